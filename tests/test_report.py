"""The report runner: paths it refuses, offline HTML, findings, and one end-to-end run into OUT only."""

import re
import shutil
import subprocess

import nbformat
import pytest

from framing.report import runner

from test_formats import PAGE


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _git_status():
    try:
        return subprocess.run(["git", "-C", str(runner.REPO), "status", "--porcelain"], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")


def test_out_inside_the_repository_or_the_corpus_is_refused(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    with pytest.raises(runner.ReportError, match="inside the repository"):
        runner.check_paths(corpus, runner.REPO / "build" / "out")
    with pytest.raises(runner.ReportError, match="inside CORPUS"):
        runner.check_paths(corpus, corpus / "report")
    with pytest.raises(runner.ReportError, match="inside CORPUS"):
        runner.check_paths(corpus, corpus)
    with pytest.raises(runner.ReportError, match="CORPUS .* is inside OUT"):
        runner.check_paths(corpus, tmp_path)
    with pytest.raises(runner.ReportError, match="both CORPUS"):
        runner.check_paths(corpus, "")
    with pytest.raises(runner.ReportError, match="not a folder"):
        runner.check_paths(tmp_path / "missing", tmp_path / "out")
    assert runner.check_paths(corpus, tmp_path / "out") == (corpus.resolve(), (tmp_path / "out").resolve())


def test_out_must_be_new_empty_or_a_previous_report(tmp_path):
    new = tmp_path / "new"
    runner.prepare_out(new)
    assert [p.name for p in new.iterdir()] == [runner.MARKER]
    empty = tmp_path / "empty"
    empty.mkdir()
    runner.prepare_out(empty)
    assert [p.name for p in empty.iterdir()] == [runner.MARKER]
    # a previous report (marker present) is replaced whole, sub-folders included
    (new / "figures").mkdir()
    (new / "figures" / "old.png").write_bytes(b"x")
    (new / "notes.txt").write_text("stale")
    runner.prepare_out(new)
    assert [p.name for p in new.iterdir()] == [runner.MARKER]
    # a folder with someone's files and no marker is refused and left as it was
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "thesis.docx").write_bytes(b"work")
    with pytest.raises(runner.ReportError, match="not a previous report") as err:
        runner.prepare_out(theirs)
    assert "thesis.docx" in str(err.value) and str(theirs) in str(err.value)
    assert [p.name for p in theirs.iterdir()] == ["thesis.docx"]


def test_cli_refusal_is_a_clear_error_without_traceback(tmp_path, capsys):
    assert runner.main(["--corpus", str(tmp_path), "--out", str(tmp_path / "inside")]) == 2
    assert "inside CORPUS" in capsys.readouterr().err


def test_offline_check_finds_network_resources(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<script src="https://cdn.example/require.js"></script>'
                    "<link rel=stylesheet href='//fonts.example/css'>"
                    "<style>@import url(https://x.example/a.css);</style>"
                    '<a href="https://example.org">a link is not fetched</a><img src="data:image/png;base64,AA==">')
    problems = runner.offline_problems(page)
    assert len(problems) == 3 and not any("example.org" in p for p in problems)


def test_findings_prefer_tagged_cells_and_fall_back_to_printed_lines(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 07 · A question\n\nIntro."),
        nbformat.v4.new_code_cell("print('12 articles')", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="12 articles\n\n")]),
    ]
    path = tmp_path / "07_x.ipynb"
    nbformat.write(nb, path)
    assert runner.findings(path) == ("07 · A question", ["12 articles"])
    nb.cells.append(nbformat.v4.new_markdown_cell("**Most sentences promise.**", metadata={"tags": ["findings"]}))
    nbformat.write(nb, path)
    assert runner.findings(path) == ("07 · A question", ["**Most sentences promise.**"])


def test_notebooks_are_found_generically():
    names = [p.name for p in runner.notebook_paths()]
    assert names and names == sorted(names) and all(n[0].isdigit() and n.endswith(".ipynb") for n in names)
    assert "01_corpus.ipynb" in names


@pytest.mark.slow
def test_run_writes_only_into_out_and_reads_offline(tmp_path):
    """One txt article and one saved web page, run through notebook 01 (a copy, to keep the test fast)."""
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "clinic.html").write_text(PAGE, encoding="utf-8")
    (corpus / "note.txt").write_text("Esketamine nasal spray\n\nIt is given in a clinic. Patients stay for two hours.\n")
    (corpus / "manifest.csv").write_text(
        "file,outlet,date,url\nclinic.html,Health Daily,2024-03,https://health.example/k\nnote.txt,,2023-11-02,\n")
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    shutil.copy(runner.NOTEBOOKS / "01_corpus.ipynb", notebooks)
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)  # a previous report: its stale figure must not survive
    (out / runner.MARKER).write_text("old report\n")
    (out / "figures" / "03_frames_over_time.png").write_bytes(b"stale")
    before, status = _snapshot(corpus), _git_status()

    result = runner.run(corpus, out, notebooks_folder=notebooks, progress=False)

    assert _snapshot(corpus) == before
    assert _git_status() == status
    assert {p.name for p in out.iterdir()} == {"notebooks", "figures", "report", "tables", runner.MARKER}
    assert not (out / "figures" / "03_frames_over_time.png").exists()
    assert (out / "notebooks" / "01_corpus.ipynb").exists()
    assert {p.name for p in (out / "figures").iterdir()} >= {"01_cleaning_audit.png", "01_cleaning_audit.svg"}
    executed = nbformat.read(out / "notebooks" / "01_corpus.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and str(corpus.resolve()) in injected[0].source
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert printed.startswith("2 articles")
    # paragraphs about the seed articles are replaced by a note: this corpus is not the seeds
    seed_cells = [c for c in executed.cells if runner.SEED_TAG in c.metadata.get("tags", [])]
    assert seed_cells and all(c.source == runner.SEED_NOTE for c in seed_cells)
    assert "epsketamine" not in "".join(c.source for c in executed.cells if c.cell_type == "markdown")
    page = (out / "report" / "01_corpus.html").read_text()
    assert "S-enantiomer" not in page and "Our Good Life" not in page and "left out because" in page

    import pandas as pd

    sentences = pd.read_csv(out / "tables" / "sentences.csv")
    sources = pd.read_csv(out / "tables" / "sources.csv")
    assert list(sources["doc_id"]) == ["clinic", "note"]
    assert list(sources["date"]) == ["2024-03-01", "2023-11-02"]
    assert sources.loc[0, "format"] == "html" and sources.loc[0, "url"] == "https://health.example/k"
    assert set(sentences["doc_id"]) == {"clinic", "note"}
    assert (sentences.groupby("doc_id").size() == sources.set_index("doc_id")["n_sentences"]
            + sentences[sentences["is_heading"]].groupby("doc_id").size().reindex(sources["doc_id"], fill_value=0)).all()

    pages = sorted(p.name for p in (out / "report").iterdir())
    assert pages == ["01_corpus.html", "index.html"]
    for page in (out / "report").iterdir():
        assert runner.offline_problems(page) == [], page
    index = (out / "report" / "index.html").read_text()
    assert 'href="01_corpus.html"' in index
    assert "2 articles" in index                                    # headline findings
    assert index.count("data:image/png;base64,") == len(list((out / "figures").glob("*.png")))
    assert "clinic.html" in index and "2024-03-01" in index         # manifest
    assert before["clinic.html"][0] and "sha256" in index
    import hashlib
    assert hashlib.sha256(PAGE.encode()).hexdigest() in index      # checksums of the inputs
    assert "pandas" in index and "papermill" in index               # versions
    assert result.index == out / "report" / "index.html"


def test_seed_notes_stay_for_the_seeds_wherever_they_are_and_go_for_other_corpora(tmp_path):
    copy = tmp_path / "seeds"
    shutil.copytree(runner.SEEDS, copy)
    assert runner.is_seed_corpus(runner.SEEDS) and runner.is_seed_corpus(copy)
    (copy / "extra.txt").write_text("One more article about ketamine.\n")
    assert not runner.is_seed_corpus(copy)
    (copy / "extra.txt").unlink()
    first = sorted(copy.glob("*.txt"))[0]
    first.write_bytes(first.read_bytes() + b" ")  # same names, one file changed by a byte
    assert not runner.is_seed_corpus(copy)

    nb = nbformat.read(runner.NOTEBOOKS / "02_terms_and_topics.ipynb", as_version=4)
    tagged = [c.source for c in nb.cells if runner.SEED_TAG in c.metadata.get("tags", [])]
    assert tagged and all(c.cell_type == "markdown" for c in nb.cells if runner.SEED_TAG in c.metadata.get("tags", []))
    path = tmp_path / "02.ipynb"
    nbformat.write(nb, path)
    assert runner.drop_seed_notes(path) == len(tagged)
    after = nbformat.read(path, as_version=4)
    assert [c.source for c in after.cells if runner.SEED_TAG in c.metadata.get("tags", [])] == [runner.SEED_NOTE] * len(tagged)
    untagged = [c.source for c in nb.cells if runner.SEED_TAG not in c.metadata.get("tags", [])]
    assert [c.source for c in after.cells if runner.SEED_TAG not in c.metadata.get("tags", [])] == untagged


@pytest.mark.parametrize("name", ["01_corpus", "02_terms_and_topics", "03_sentiment_and_framing",
                                  "05_explore", "06_quality_and_facts"])
def test_prose_about_particular_seed_articles_is_tagged_or_says_seed(name):
    """Notebooks that run on any corpus: a paragraph naming a seed article is dropped or says it is a seed."""
    nb = nbformat.read(runner.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    specific = re.compile(r"\b00[0-4]\b|Our Good Life|S-enantiomer|epsketamine")
    for cell in nb.cells:
        if cell.cell_type == "markdown" and specific.search(cell.source):
            assert runner.SEED_TAG in cell.metadata.get("tags", []) or "seed" in cell.source.lower(), cell.source[:200]


def test_committed_notebooks_render_to_offline_pages_with_embedded_figures(tmp_path):
    nb = runner.notebook_paths()[0]
    page = tmp_path / f"{nb.stem}.html"
    runner.render_notebook(nb, page)
    text = page.read_text()
    assert runner.offline_problems(page) == []
    assert "require.min.js" not in text and "MathJax" not in text.split("</head>")[0]
    assert "data:image/png;base64," in text
    assert 'href="index.html"' in text


@pytest.mark.slow
def test_a_whole_report_measures_the_corpus_and_fits_its_topics_once(tmp_path, monkeypatch):
    """Every notebook runs on the seeds in its own kernel; build() computes once and the rest read it."""
    from framing import pipeline

    cache = tmp_path / "cache"
    monkeypatch.setenv(pipeline.CACHE_ENV, str(cache))
    result = runner.run(runner.REPO / "data" / "raw", tmp_path / "out", progress=False)
    log = (cache / pipeline.BUILD_LOG).read_text().splitlines()
    assert len(log) == 1, log
    assert len(list(cache.glob("built-*.pkl"))) == 1
    executed = sorted(p.name for p in (tmp_path / "out" / "notebooks").iterdir())
    assert executed == [p.name for p in runner.notebook_paths(runner.NOTEBOOKS)]
    assert result.index.exists()


@pytest.mark.slow
def test_a_corpus_without_the_word_ketamine_runs_through_notebook_02(tmp_path):
    """Notebook 02 looked up the drug names' ranks and crashed (KeyError) on a corpus that never uses them."""
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Spravato nasal spray explained\n\nSpravato is a nasal spray for adults with "
                                  "depression. It is given in a certified clinic. Common effects include dizziness.\n")
    (corpus / "b.txt").write_text("What our clinic offers\n\nOur infusion clinic treats depression with an anesthetic. "
                                  "Sessions cost about four hundred dollars each. Some people feel relief quickly.\n")
    (corpus / "c.txt").write_text("A patient writes\n\nI tried the nasal spray last spring. The first sessions made me "
                                  "feel detached. By the fourth week my mood had lifted.\n")
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    shutil.copy(runner.NOTEBOOKS / "02_terms_and_topics.ipynb", notebooks)
    runner.run(corpus, tmp_path / "out", notebooks_folder=notebooks, progress=False)
    executed = nbformat.read(tmp_path / "out" / "notebooks" / "02_terms_and_topics.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "esketamine absent, ketamine absent" in printed
