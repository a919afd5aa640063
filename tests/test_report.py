"""The report runner: paths it refuses, offline HTML, findings, and one end-to-end run into OUT only."""

import re
import shutil
import subprocess

import nbformat
import pandas as pd
import pytest

from framing.report import runner

from test_formats import PAGE


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _git_status():
    """``git status --porcelain`` of the repository, without the partial files (``.<name>.<pid>.tmp``,
    ``style.save``'s atomic writes) that a notebook run by nbval on the other test worker holds for a
    moment in ``figures/``: they are not this test's writes, and their coming and going made it flaky."""
    try:
        out = subprocess.run(["git", "-C", str(runner.REPO), "status", "--porcelain"], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    partial = re.compile(r"^\?\? figures/\.[^/]+\.\d+\.tmp$")
    return "".join(line + "\n" for line in out.splitlines() if not partial.match(line))


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
    assert pages == ["01_corpus.html", "figures.html", "index.html", "provenance.html"]
    for page in (out / "report").iterdir():
        assert runner.offline_problems(page) == [], page
    index = (out / "report" / "index.html").read_text()
    assert 'href="01_corpus.html"' in index and 'href="figures.html"' in index and 'href="provenance.html"' in index
    assert "Cleaning removed" in index                              # headline findings (tagged cells)
    gallery = (out / "report" / "figures.html").read_text()
    assert gallery.count("data:image/png;base64,") == len(list((out / "figures").glob("*.png")))
    provenance = (out / "report" / "provenance.html").read_text()
    assert "clinic.html" in provenance and "2024-03-01" in provenance   # manifest
    assert before["clinic.html"][0] and "sha256" in provenance
    import hashlib
    assert hashlib.sha256(PAGE.encode()).hexdigest() in provenance     # checksums of the inputs
    assert "pandas" in provenance and "papermill" in provenance         # versions
    page = (out / "report" / "01_corpus.html").read_text()
    assert '<nav class="framing-toc"' in page and 'href="#' in page.split('<nav class="framing-toc"')[1][:400]
    assert result.index == out / "report" / "index.html"
    # rerunning into the same OUT gives the same files, byte for byte (no clock times, no random ids)
    contents = lambda: {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}  # noqa: E731
    first = contents()
    runner.run(corpus, out, notebooks_folder=notebooks, progress=False)
    assert contents() == first


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


#: Words and phrases that belong to the seed articles and their findings (ids, labels, terms,
#: claims): none may appear in a report on another corpus, outside notebook 04 (which always
#: validates on the project's own hand-coded references, the seeds among them).
SEED_MARKERS = re.compile(
    r"(?<![\w.,#])00[0-4](?![\w.,])|e0c9615e|0dc9bdc9|1d4fc39c|424da298|f3384b2a|Esketamine breakthrough|Our Good Life|"
    r"game[- ]changer|TRD overview|MDD/bipolar|epsketamine|Unlocking Hope|In , ketamine|other four|"
    r"bipolar|five sources|\(000|002-004", re.I)

NO_KETAMINE = {
    "psilocybin.txt": "Psilocybin trial results\n\nA psilocybin trial reported that many adults with depression "
                      "improved within weeks. The researchers said larger studies are still needed. Sessions took "
                      "a full day and required two trained monitors. Some participants felt anxious during the "
                      "session. The effect faded for a few of them after three months.\n",
    "tms.txt": "What TMS therapy costs\n\nTranscranial magnetic stimulation is offered at our center. A full "
               "course runs five days a week for six weeks. Many insurers cover it after two failed medications. "
               "Headaches are the most common side effect. Patients can drive themselves home after each visit.\n",
    "story.txt": "My year of treatment\n\nI tried three medications before my doctor suggested magnetic "
                 "stimulation. The first weeks were tiring and the visits took hours. By the end of the course I "
                 "was sleeping again. I still see my therapist every month. Nobody promised me a cure.\n",
}
ONE_ARTICLE = {
    "clinic.txt": "Ketamine infusions at our clinic\n\nOur clinic offers ketamine infusions for adults whose "
                  "depression did not respond to other treatments. Each infusion lasts about forty minutes. A nurse "
                  "checks your blood pressure before and after the session. Some patients feel detached or dizzy "
                  "for an hour. Most people need six infusions over three weeks. Insurance rarely covers the cost, "
                  "which is about five hundred dollars a session. Relief can come within days for some patients. "
                  "It does not work for everyone.\n",
}


#: Embedded images (base64 in pages and notebook outputs): random text, where "000" can occur by chance.
_EMBEDDED = re.compile(r'(base64,|"image/png": ")[A-Za-z0-9+/=\\n]+')


def _report_text(out) -> dict[str, str]:
    """Every text file of a report (executed notebooks, pages, tables) but notebook 04's, by
    path, with embedded images left out."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in {".ipynb", ".html", ".csv"} and "04_validation" not in path.name:
            texts[str(path.relative_to(out))] = _EMBEDDED.sub(r"\1", path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _notebooks(folder, validation: bool):
    """Copies of the notebooks; without notebook 04 unless ``validation`` (04 validates on the
    project's references whatever the corpus, and runs under nbval; one run here is enough)."""
    folder.mkdir()
    (folder.parent / "data").symlink_to(runner.REPO / "data")  # the notebooks read ../data/ (hand codings)
    for nb in runner.notebook_paths(runner.NOTEBOOKS):
        if validation or not nb.name.startswith("04_"):
            shutil.copy(nb, folder)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("files, group", [(NO_KETAMINE, "kind"), (ONE_ARTICLE, "")], ids=["no-ketamine+group", "one-article"])
def test_a_report_on_another_corpus_says_nothing_about_the_seeds(tmp_path, monkeypatch, files, group):
    """The whole report on a corpus that never names ketamine (grouped by a manifest column, with a
    hand-coded sample that notebook 04 validates on), and on a single article; every notebook runs
    in its own kernel, reading one build (the corpus is measured and its topics fitted once), no seed id,
    label, term or finding appears in any output; the group comparison of notebook 07 is made when
    GROUP is given, the corrected estimates of notebook 08 when CODES is."""
    from framing import pipeline

    cache = tmp_path / "cache"
    monkeypatch.setenv(pipeline.CACHE_ENV, str(cache))
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text)
    if group:
        (corpus / "manifest.csv").write_text("file,kind\npsilocybin.txt,news\ntms.txt,clinic\nstory.txt,news\n")
    codes = ""
    if group:  # a hand-coded sample too: the coder's frame, but the first unit coded risk
        from framing.io import codesheet
        from framing.pipeline import build

        sheet = codesheet.draw(build(corpus), n=8)
        sheet[["frame", "hype", "hedge", "coder"]] = [[f, "false", "false", "tester"] for f in sheet["stratum"]]
        sheet.loc[0, "frame"] = "risk"
        sheet.to_csv(codes := tmp_path / "codes_tester.csv", index=False)
    before = _snapshot(corpus)
    notebooks = _notebooks(tmp_path / "nbs", validation=bool(group))  # 04 where it has the user's codes
    runner.run(corpus, tmp_path / "out", notebooks_folder=notebooks, progress=False, group=group, codes=str(codes))
    log = (cache / pipeline.BUILD_LOG).read_text().splitlines()
    assert len(log) == 1 and len([p for p in cache.glob("built-*") if p.is_dir()]) == 1, log
    executed = sorted(p.name for p in (tmp_path / "out" / "notebooks").iterdir())
    assert executed == [p.name for p in runner.notebook_paths(notebooks)]
    if group:
        checked = nbformat.read(tmp_path / "out" / "notebooks" / "04_validation.ipynb", as_version=4)
        said = "".join(o.get("text", "") for c in checked.cells if c.cell_type == "code" for o in c.outputs)
        assert "Frame on 8 units of this corpus coded by hand: kappa" in said
    assert _snapshot(corpus) == before
    texts = _report_text(tmp_path / "out")
    assert any(p.endswith("index.html") for p in texts) and len(texts) > 10
    own = "\n".join(files.values())
    for path, text in texts.items():
        for match in SEED_MARKERS.finditer(text):
            assert SEED_MARKERS.search(own) and match.group(0).lower() in own.lower(), (path, match.group(0),
                                                                                         text[max(0, match.start() - 80):match.end() + 80])
    corrected = nbformat.read(tmp_path / "out" / "notebooks" / "08_corrected.ipynb", as_version=4)
    fixed = "".join(o.get("text", "") for c in corrected.cells if c.cell_type == "code" for o in c.outputs)
    if group:
        assert "8 hand-coded sentences of the 8 in the sheet, by tester" in fixed
        assert "Corrected by 8 hand-coded of" in fixed and "08_corrected_estimates.png" in {p.name for p in (tmp_path / "out" / "figures").iterdir()}
    else:
        assert "No coding sheet given (CODES)" in fixed
    executed = nbformat.read(tmp_path / "out" / "notebooks" / "07_groups.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    if group:
        assert "3 articles in 2 groups by 'kind': clinic (1), news (2)" in printed
        corpus_nb = nbformat.read(tmp_path / "out" / "notebooks" / "01_corpus.ipynb", as_version=4)
        sizes = "".join(o.get("text", "") for c in corpus_nb.cells if c.cell_type == "code" for o in c.outputs)
        assert "By kind: clinic 1 article, " in sizes and "news 2 articles, " in sizes  # GROUP reaches every notebook
        assert "Groups by kind: 2 groups of 1-2 articles" in printed
        figures = {p.name for p in (tmp_path / "out" / "figures").iterdir()}
        assert {"07_group_measures.png", "07_group_frames.png", "07_group_terms.png"} <= figures
        assert "Groups by kind" in texts["report/index.html"]
        grouped = pd.read_csv(tmp_path / "out" / "tables" / "groups.csv")
        assert grouped["kind"].tolist() == ["clinic", "news"] and grouped["articles"].tolist() == [1, 2]
        assert {"balance", "balance_low", "share_risk", "names_cost_access"} <= set(grouped.columns)
        with pytest.raises(runner.ReportError, match="'country' is not a column.*'kind'"):
            runner.run(corpus, tmp_path / "out", notebooks_folder=tmp_path / "nbs", progress=False, group="country")
    else:
        assert "No GROUP column given" in printed




def test_entry_page_shows_the_key_figures_answering_the_question_and_links_the_rest(tmp_path):
    import pandas as pd

    figures = tmp_path / "figures"
    figures.mkdir()
    names = ["01_cleaning_audit", "02_topic_prevalence", "03_balance_hype_hedge", "03_frame_shares",
             "03_risk_subthemes", "07_group_measures"]
    for name in names:
        (figures / f"{name}.png").write_bytes(b"\x89PNG fake " + name.encode())
    index = runner.write_index(tmp_path / "report", [("01.html", "01 · Corpus", ["2 articles."])], figures,
                               pd.DataFrame({"doc_id": ["a"], "file": ["a.txt"]}), [("a.txt", 3, "ab")], "corpus")
    page = index.read_text()
    shown = re.findall(r'<figure id="([^"]+)"', page)
    # balance (per source, then per group), the risks named and the topics: four figures
    assert shown == ["03_balance_hype_hedge", "07_group_measures", "03_risk_subthemes", "02_topic_prevalence"]
    assert "All 6 figures" in page and "<li>2 articles.</li>" in page
    gallery = (tmp_path / "report" / "figures.html").read_text()
    assert re.findall(r'<figure id="([^"]+)"', gallery) == sorted(names)
    assert "a.txt" in (tmp_path / "report" / "provenance.html").read_text() and "a.txt" not in page
    # with a hand-coded sample (CODES), its corrected estimates come right after the balance
    (figures / "08_corrected_estimates.png").write_bytes(b"\x89PNG fake 08")
    index = runner.write_index(tmp_path / "report", [], figures, pd.DataFrame({"doc_id": ["a"]}), [], "corpus")
    shown = re.findall(r'<figure id="([^"]+)"', index.read_text())
    assert shown == ["03_balance_hype_hedge", "08_corrected_estimates", "07_group_measures", "03_risk_subthemes"]


def test_every_notebook_takes_the_corpus_figures_and_group_and_the_codes_where_it_uses_them():
    declared = {nb.name: runner.declared_parameters(nb) for nb in runner.notebook_paths(runner.NOTEBOOKS)}
    assert all({"CORPUS", "FIGURES", "GROUP"} <= names for names in declared.values()), declared
    assert {name for name, names in declared.items() if "CODES" in names} == {"04_validation.ipynb", "08_corrected.ipynb"}


def test_ranges_over_equal_values_are_not_written_as_ranges():
    from framing.report import prose
    import pandas as pd

    assert prose.span(4, 4) == "4" and prose.span(16, 35) == "16 to 35" and prose.span(1, 2, "–") == "1–2"
    equal = pd.Series([4, 4], index=["a", "b"])
    assert prose.value_range(equal, 0, per=" per article", every="in every article") == "4 in every article"
    assert prose.value_range(pd.Series([16, 35], index=["x", "y"]), 0, per=" per article") == "from 16 (x) to 35 (y) per article"


def test_cleaning_summary_counts_in_words_that_agree_with_the_numbers():
    from framing.report import prose

    def table(removed: dict) -> pd.DataFrame:
        out = pd.DataFrame({"raw_chars": 1000, "lines_removed": pd.Series(removed),
                            "chars_in_removed_lines": pd.Series(removed) * 50})
        return out.assign(**{"share_removed_%": (100 * out["chars_in_removed_lines"] / out["raw_chars"]).round(1)})

    one = prose.cleaning_summary(table({"a": 1, "b": 0}), pd.DataFrame({"rule": ["menu"]}))
    assert one.startswith("Cleaning removed 1 line (50 characters, 2.5% of all raw text) under 1 different rule. ")
    assert one.endswith("The most furnished page is a (5.0% of its characters removed); 1 article needed no removal: b.")
    everywhere = prose.cleaning_summary(table({"a": 2, "b": 1}), pd.DataFrame({"rule": ["menu", "menu", "footer"]}))
    assert "3 lines (150 characters" in everywhere and "under 2 different rules" in everywhere
    assert everywhere.endswith("every article had some text removed.") and "0 article" not in everywhere
    many = prose.cleaning_summary(table({**{f"x{i:02d}": 0 for i in range(12)}, "y": 1}), pd.DataFrame({"rule": ["menu"]}))
    assert many.endswith("12 articles needed no removal: x00, x01, x02, x03, x04, x05, x06, x07, x08, x09 and 2 more.")
    assert prose.cleaning_summary(table({"a": 0}), pd.DataFrame({"rule": []})) == \
        "Cleaning removed no line from the one article."
    assert prose.cleaning_summary(table({"a": 0, "b": 0}), pd.DataFrame({"rule": []})) == \
        "Cleaning removed no line from any of the 2 articles."


def test_sentiment_summary_names_missing_frames_instead_of_failing():
    import pandas as pd

    from framing.report import prose

    body = pd.DataFrame({"doc_id": ["a", "a", "b"], "frame": ["risk", "neutral", "risk"],
                         "sentiment": [-0.5, 0.0, -0.1], "sentiment_raw": [-0.4, 0.1, 0.0]})
    text = prose.sentiment_summary(body, {"a": "A", "b": "B"}, ["a", "b"], per_source=True)
    assert text == ("Adapted sentiment: risk sentences average -0.30 (raw VADER: -0.20); no sentence is coded promise. "
                    "Mean per source, adapted: A -0.25, B -0.10.")
    neutral = prose.sentiment_summary(body.assign(frame="neutral"), {}, ["a", "b"], per_source=False)
    assert neutral.startswith("Adapted sentiment: no sentence is coded promise or risk. Mean per source, adapted: median")


def test_balance_summary_names_sources_without_a_balance_and_a_corpus_without_any():
    from framing.report import prose

    nan = float("nan")
    summary = pd.DataFrame({"balance": [0.1, -0.8, nan], "balance_low": [-0.3, -0.95, nan], "balance_high": [0.5, -0.4, nan],
                            "hype_per_100": [0.0, 5.0, 0.0], "hedge_per_100": [10.0, 0.0, 0.0], "sentences": [12, 20, 4]},
                           index=["clinic", "news", "garden"])
    text = prose.balance_summary(summary).splitlines()
    assert text[0] == "Most balanced source: clinic, balance +0.10 [95% CI -0.30 to +0.50]."
    assert text[1] == "Least balanced source: news, balance -0.80 [95% CI -0.95 to -0.40]."
    assert text[2] == "Hype per 100 sentences: from 0.0 (clinic) to 5.0 (news); hedging from 0.0 (news) to 10.0 (clinic)."
    assert text[3].startswith("The intervals of the most and least balanced sources do not overlap; 0 of 3 sources")
    level = prose.balance_summary(summary.assign(hype_per_100=0.0)).splitlines()
    assert level[2].startswith("Hype per 100 sentences: 0.0 in every source; hedging from")
    assert text[4] == "No balance for 1 source with fewer than one evaluative sentence: garden."
    none = prose.balance_summary(summary.loc[["garden"]]).splitlines()
    assert none[0].startswith("No source has a balance index") and len(none) == 2


def test_groups_summary_names_groups_without_a_balance_and_a_corpus_without_any():
    from framing.report import prose

    nan = float("nan")
    summary = pd.DataFrame({"articles": [3, 2, 1], "balance": [0.4, -0.2, nan]}, index=["clinic", "news", "garden"])
    named = pd.DataFrame({"cost_access": [1.0, 0.5, 0.0], "abuse_misuse": [0.0, 0.5, 0.0]}, index=summary.index)
    text = prose.groups_summary(summary, named, "kind").splitlines()
    assert text[0] == ("Groups by kind: 3 groups of 1-3 articles; balance from -0.20 (news) to +0.40 (clinic). "
                       "No balance for 1 group with fewer than one evaluative sentence: garden.")
    assert text[1] == "The risk whose naming differs most between groups: cost access (named by 0% to 100% of a group's articles)."
    none = prose.groups_summary(summary.assign(balance=nan), named, "kind").splitlines()[0]
    assert none.endswith("no group has a balance index (none has one evaluative sentence, counted or expected).")


@pytest.mark.slow
def test_make_notebooks_builds_once_and_runs_the_notebooks_in_place_two_at_a_time(tmp_path, monkeypatch):
    """runner --in-place (make notebooks): one build into the cache, then every notebook executed
    in place (outputs saved, metadata cleared), whatever order they finish in; a failing notebook
    is named with its error."""
    from framing import pipeline

    cache = tmp_path / "cache"
    monkeypatch.setenv(pipeline.CACHE_ENV, str(cache))
    from conftest import two_article_corpus

    corpus = two_article_corpus(tmp_path / "articles")
    code = ("import os\nfrom framing.pipeline import build\nbuilt = build({corpus!r})\n"
            "print(len(built.sentences), os.path.basename(os.environ['FRAMING_CACHE']))")
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    paths = [tmp_path / name for name in ("n1.ipynb", "n2.ipynb", "n3.ipynb")]
    for path in paths:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code.format(corpus=str(corpus)))])
        nb.metadata["kernelspec"] = kernel
        nbformat.write(nb, path)
    monkeypatch.setenv("FRAMING_NOTEBOOK_JOBS", "2")
    runner.execute_in_place(paths, corpus=corpus)
    for path in paths:
        cell = nbformat.read(path, as_version=4).cells[0]
        assert cell.outputs and "cache" in cell.outputs[0]["text"] and "execution" not in cell.metadata
    assert len((cache / pipeline.BUILD_LOG).read_text().splitlines()) == 1  # the notebooks read the one build
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise ValueError('broken on purpose')")])
    bad.metadata["kernelspec"] = kernel
    nbformat.write(bad, tmp_path / "bad.ipynb")
    with pytest.raises(runner.ReportError, match="(?s)bad.ipynb failed.*broken on purpose"):
        runner.execute_in_place([paths[0], tmp_path / "bad.ipynb"], corpus=corpus)
