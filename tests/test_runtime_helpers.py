"""progress (silent by default), _parallel.map_chunks (ordered, same result), style.view_mode, tables, bench corpus and report."""

import io
import sys

import numpy as np
import pandas as pd
import pytest

from framing import _parallel, _progress
from framing.bench import make_corpus
from framing.io.clean import clean_corpus
from framing.io.segment import sentence_table
from framing.report import tables
from framing.views import style


def _lengths(texts):
    return [len(t) for t in texts]


def _frame(texts):
    return pd.DataFrame({"n": [len(t) for t in texts], "first": [t[:1] for t in texts]})


def test_progress_is_silent_unless_enabled(monkeypatch, capsys):
    monkeypatch.delenv("FRAMING_PROGRESS", raising=False)
    items = [1, 2, 3]
    assert _progress.track(items, "x") is items
    assert not _progress.is_enabled()
    monkeypatch.setenv("FRAMING_PROGRESS", "1")
    assert _progress.is_enabled()
    assert _progress.track(items, "x", enabled=False) is items
    monkeypatch.setenv("FRAMING_PROGRESS", "0")
    with _progress.enabled():
        bar = _progress.track(items, "x")
        assert bar is not items and list(bar) == items and bar.total == 3
    assert _progress.track(items, "x") is items
    out = capsys.readouterr()
    assert out.out == ""


def test_progress_bar_writes_to_stderr_on_long_loops(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    bar = _progress.track(range(3), "demo", enabled=True, delay=0)
    list(bar)
    bar.close()
    assert "demo" in err.getvalue()


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_map_chunks_keeps_the_order_and_the_result(n_jobs):
    texts = [f"text {i}" * (i % 7 + 1) for i in range(101)]
    assert _parallel.map_chunks(_lengths, texts, n_jobs=n_jobs, min_items=0) == _lengths(texts)
    pd.testing.assert_frame_equal(_parallel.map_chunks(_frame, texts, n_jobs=n_jobs, min_items=0), _frame(texts))
    assert _parallel.map_chunks(_lengths, [], n_jobs=n_jobs, min_items=0) == []


def _freeze_counts(items: list) -> list:
    import gc

    return [gc.get_freeze_count()] * len(items)


def test_map_chunks_workers_skip_inherited_objects_in_garbage_collection_and_the_parent_is_restored():
    import gc

    keep = [[i] for i in range(1000)]  # container objects the workers inherit
    assert gc.get_freeze_count() == 0
    counts = _parallel.map_chunks(_freeze_counts, list(range(40)), n_jobs=2, min_items=0)
    assert len(counts) == 40 and min(counts) >= len(keep)  # frozen in the workers
    assert gc.get_freeze_count() == 0  # and no longer in this process


def test_clean_and_sentences_do_not_depend_on_the_number_of_processes(seeds):
    many = pd.concat([seeds.corpus.assign(doc_id=seeds.corpus["doc_id"] + f"_{k:02d}") for k in range(45)],
                     ignore_index=True)[["doc_id", "text"]]
    assert len(many) >= 200  # large enough for the parallel path
    one, audit_one = clean_corpus(many, n_jobs=1)
    two, audit_two = clean_corpus(many, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(audit_one, audit_two)
    pd.testing.assert_frame_equal(sentence_table(one, n_jobs=1), sentence_table(one, n_jobs=2))
    first = one[one["doc_id"].str.endswith("_00")].reset_index(drop=True)
    assert list(first["clean_text"]) == list(seeds.corpus["clean_text"])


def test_view_mode_switches_above_twelve_sources():
    assert style.view_mode(1) == "per_source"
    assert style.view_mode(12) == "per_source"
    assert style.view_mode(13) == "aggregate"
    assert style.view_mode(["a", "b", "a"]) == "per_source"
    assert style.view_mode([f"d{i}" for i in range(300)]) == "aggregate"
    assert style.view_mode(5, threshold=4) == "aggregate"
    assert style.PER_SOURCE_MAX == len(style.PALETTE)
    with pytest.raises(ValueError):
        style.view_mode(-1)


def test_tables_have_one_row_per_sentence_and_per_source(seeds, tmp_path):
    from framing.measures import frames, sentiment

    built = tables.build("data/raw", n_jobs=1)
    s = built.sentences
    assert list(s["sentence_id"]) == list(seeds.sentences["sentence_id"])
    assert list(built.sources["doc_id"]) == list(seeds.corpus["doc_id"])
    from framing.measures.analysis import analysed

    assert built.sources["n_sentences"].sum() == len(analysed(s)), "same basis as notebook 03"
    assert built.sources["lines_removed"].sum() == len(seeds.audit)
    from framing.measures.compare import source_summary

    expected_balance = source_summary(analysed(s)).set_index("doc_id")["balance"]
    assert list(built.sources.set_index("doc_id")["balance"]) == list(expected_balance)
    # the measures are exactly those of the modules, row for row
    texts = s["text"].tolist()
    assert list(s["frame"]) == list(frames.label(texts, doc=s["doc_id"].tolist())["frame"])
    assert s["sentiment"].tolist() == list(sentiment.score(texts))
    assert s["sentiment_raw"].tolist() == list(sentiment.score(texts, adapted=False))
    assert s["topic"].min() >= -1 and s["topic_name"].str.len().gt(0).all()
    src = built.sources.set_index("doc_id")
    assert {"mean_sentiment", "hype_share", "hedge_share", "share_promise", "share_neutral", "main_topic"} <= set(src.columns)
    expected = analysed(s).groupby("doc_id")["sentiment"].mean()
    pd.testing.assert_series_equal(src["mean_sentiment"], expected.reindex(src.index), check_names=False)
    paths = tables.write(built, tmp_path / "tables")
    assert [p.name for p in paths] == ["sentences.csv", "sources.csv"]
    back = pd.read_csv(paths[0], keep_default_na=False)
    assert len(back) == len(s) and list(back.columns) == list(s.columns)


def test_measures_on_two_processes_equal_one_process(seeds, monkeypatch):
    from framing.measures import analysis

    many = pd.concat([seeds.sentences] * 13, ignore_index=True)  # above map_chunks' serial threshold
    whole = analysis.measure(many, n_jobs=1)
    pd.testing.assert_frame_equal(whole, analysis.measure(many, n_jobs=2))
    monkeypatch.setattr(analysis, "CHUNK_SENTENCES", 300)  # many chunks of whole articles: the same codes
    pd.testing.assert_frame_equal(whole, analysis.measure(many, n_jobs=1))
    pd.testing.assert_frame_equal(whole, analysis.measure(many, n_jobs=2))


def test_bench_corpus_is_articles_of_real_sentences(tmp_path):
    pool = [f"Sentence number {i} is here." for i in range(500)]
    n, size = make_corpus(tmp_path / "c", 0.05, pool, seed=1)
    files = sorted((tmp_path / "c").iterdir())
    assert len(files) == n and sum(f.stat().st_size for f in files) == size >= 50_000
    text = files[0].read_text()
    title, *paragraphs = text.strip().split("\n\n")
    assert not title.endswith(".") and 2 <= len(paragraphs)
    sentences = [s for p in paragraphs for s in p.split(". ")]
    assert 20 <= len(sentences) <= 60
    again = tmp_path / "d"
    make_corpus(again, 0.05, pool, seed=1)
    assert [f.read_bytes() for f in sorted(again.iterdir())] == [f.read_bytes() for f in files]


def test_time_view_shares_by_month_or_year():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                           "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-01", None])})
    sentences = pd.DataFrame({
        "doc_id": ["a", "a", "a", "b", "c", "c", "d"],
        "is_heading": [True, False, False, False, False, False, False],
        "frame": ["promise", "promise", "risk", "risk", "neutral", "promise", "risk"],
    })
    assert tables.period_unit(corpus["date"]) == "M"
    assert tables.period_unit(pd.to_datetime(["2015-01-01", "2024-01-01"])) == "Y"
    assert tables.period_unit(pd.Series([pd.NaT])) is None
    view = tables.shares_by_period(sentences, corpus)
    assert list(view["period"]) == ["2024-01", "2024-03"]
    assert list(view["n_articles"]) == [2, 1] and list(view["n_sentences"]) == [3, 2]
    row = view.set_index("period").loc["2024-01"]
    assert row["promise"] == pytest.approx(1 / 3) and row["risk"] == pytest.approx(2 / 3) and row["neutral"] == 0
    assert view[["neutral", "promise", "risk"]].sum(axis=1).tolist() == pytest.approx([1.0, 1.0])
    yearly = tables.shares_by_period(sentences, corpus, unit="Y")
    assert list(yearly["period"]) == ["2024"] and yearly.loc[0, "n_articles"] == 3
    assert tables.shares_by_period(sentences, corpus.assign(date=pd.NaT)).empty


def test_prepare_cache_reuses_results_until_a_file_changes(tmp_path, monkeypatch):
    from framing import pipeline

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title\n\nKetamine acts fast. It is not for everyone.\n")
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "cache"))
    first = pipeline.prepare(corpus)
    stored = [p for p in (tmp_path / "cache").glob("prepared-*") if p.is_dir()]
    assert len(stored) == 1 and sorted(f.name for f in stored[0].iterdir()) == [
        "audit.parquet", "corpus.parquet", "object_columns.json", "sentences.parquet"]
    calls = []
    monkeypatch.setattr(pipeline, "read_corpus", lambda *a, **k: calls.append(1))
    again = pipeline.prepare(corpus)
    assert calls == [] and again.sentences.equals(first.sentences)
    monkeypatch.undo()
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "cache"))
    (corpus / "a.txt").write_text("Title\n\nKetamine acts fast in most patients.\n")
    changed = pipeline.prepare(corpus)
    assert list(changed.sentences["text"]) == ["Title", "Ketamine acts fast in most patients."]
    monkeypatch.delenv(pipeline.CACHE_ENV)
    pipeline.prepare(corpus)
    assert len(list((tmp_path / "cache").glob("prepared-*"))) == 2
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]  # nothing written beside the corpus


@pytest.mark.slow
def test_bench_times_every_stage_and_reports_memory_and_linearity(tmp_path):
    from framing.bench import report, run_stages
    from framing.pipeline import prepare

    sentences = prepare("data/raw").sentences
    pool = sentences.loc[~sentences["is_heading"], "text"].tolist()  # real sentences, as the benchmark uses
    make_corpus(tmp_path / "c", 0.04, pool, seed=0)
    result = run_stages(tmp_path / "c", n_jobs=1)
    results = [result, result]  # the report's linearity table needs two sizes; one run keeps the test short
    stages = ["load", "clean", "sentences", "sentiment", "framing", "topics", "sources", "rules"]
    samples = ["coder 100k", "rules ref", "rules 100k", "vader 100k", "sent 100k"]
    assert [s["stage"] for s in result["stages"]] == stages + samples  # build's own stages, in its order
    assert [s["stage"] for s in result["stages"] if s["reference"]] == ["rules"] + samples
    for coder_stage in result["stages"][-5:]:
        assert coder_stage["items"] == result["sentences"] < 100_000  # a small corpus: all of its sentences
    assert result["bytes"] >= 40_000 and result["sentences"] > 200 and result["files"] >= 5
    for s in result["stages"]:
        assert s["seconds"] > 0 and s["cpu"] >= 0 and s["peak_pss"] > 50 * 2**20  # at least the interpreter
    assert result["peak_pss_bytes"] >= max(s["peak_pss"] for s in result["stages"]) > 50 * 2**20
    assert result["bare_tfidf_seconds"] > 0
    text = report(results)
    for stage in stages + ["pipeline", "bare tfidf", "pipeline / bare TF-IDF throughput", "peak memory", "linearity",
                           "learned frame coder:", f"sentences/s on {result['sentences']:,} sentences, 1 processes",
                           "coder 100k", "against vaderSentiment on the same sentences",
                           "against its reference path (anchor scan)"]:
        assert stage in text, stage
    assert "target < 2 GB at 100 MB" not in text  # the memory verdict is only given at 100 MB
    # each stage's throughput over vaderSentiment's, the rule coder reference's and bare TF-IDF's
    header = next(line for line in text.splitlines() if line.strip().startswith("stage "))
    assert header.split()[-4:] == ["/vader", "/rules", "/tfidf", "note"]
    rows = {line.split()[0] + (" " + line.split()[1] if line.split()[1].isalpha() or "k" in line.split()[1] else ""): line.split()
            for line in text.splitlines() if line.startswith("  ") and len(line.split()) > 9}
    vader, rules = rows["vader 100k"], rows["rules ref"]
    # two-word stage names: seconds, MB/s, sentences/s, CPU s, peak MiB, /vader, /rules, /tfidf from the third word on
    assert vader[7] == "1.00" and rules[8] == "1.00"  # a reference against itself
    sent = rows["sent 100k"]
    assert float(sent[7]) == pytest.approx(float(sent[4].replace(",", "")) / float(vader[4].replace(",", "")), abs=0.01)
    assert "target >= 0.20" in text
    linearity = text.split("linearity:", 1)[1].splitlines()[2:]
    assert [line.split()[0] for line in linearity] == stages + ["pipeline"]  # not the fixed-size coder run
    assert all(line.split()[-1] == "1.00" for line in linearity)  # the same run twice: cost per MB unchanged
    # the reference coder is timed but not part of the pipeline's sum
    pipeline = next(line for line in text.splitlines() if line.strip().startswith("pipeline ") and "sum" in line)
    assert float(pipeline.split()[1]) == pytest.approx(sum(s["seconds"] for s in result["stages"] if not s["reference"]), abs=0.01)
    # its peak memory is that of its own stages, not of the references run afterwards with the tables held
    assert pipeline.split()[5] == f"{max(s['peak_pss'] for s in result['stages'] if not s['reference']) / 2**20:,.0f}"
    assert "peak memory of the pipeline's stages" in text and "the reference stages included" in text


def test_build_computes_once_per_content_and_code(tmp_path, monkeypatch):
    """build() with a cache: the second call reads the stored result (measure and the topic
    fit are not called again); a changed file, or the same bytes under a new mtime, decide by content."""
    import os

    from framing import pipeline
    from framing.measures import analysis, topics

    from conftest import BODY as body
    from conftest import two_article_corpus

    corpus = two_article_corpus(tmp_path / "c")
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "cache"))
    calls = []
    real_measure, real_fit = analysis.measure, topics.fit_chosen
    monkeypatch.setattr(analysis, "measure", lambda *a, **k: calls.append("measure") or real_measure(*a, **k))
    monkeypatch.setattr(topics, "fit_chosen", lambda *a, **k: calls.append("topics") or real_fit(*a, **k))
    first = pipeline.build(corpus, n_jobs=1)
    assert calls == ["measure", "topics"]
    assert {"frame", "sentiment", "topic", "topic_name", "p_risk"} <= set(first.measured.columns)
    assert list(first.sources["doc_id"]) == ["a", "b"] and len(first.measured) == len(first.sentences)
    again = pipeline.build(corpus, n_jobs=1)
    assert calls == ["measure", "topics"]                       # read back, not recomputed
    assert again.measured.equals(first.measured) and again.k_table.equals(first.k_table)
    os.utime(corpus / "a.txt", ns=(1, 1))                       # same bytes, other mtime: still the same input
    pipeline.build(corpus, n_jobs=1)
    assert calls == ["measure", "topics"]
    (corpus / "a.txt").write_text("Ketamine clinic\n\n" + body * 2)
    changed = pipeline.build(corpus, n_jobs=1)
    assert calls == ["measure", "topics"] * 2 and len(changed.measured) < len(first.measured)
    log = (tmp_path / "cache" / pipeline.BUILD_LOG).read_text().splitlines()
    assert len(log) == 2 and sorted(p.name for p in corpus.iterdir()) == ["a.txt", "b.txt"]
    # without a cache nothing is kept and everything is computed
    monkeypatch.delenv(pipeline.CACHE_ENV)
    pipeline.build(corpus, n_jobs=1)
    assert calls.count("measure") == 3


def test_the_columnar_cache_reads_back_every_table_identical(tmp_path, monkeypatch):
    """Parquet round trip of a real build: the same values, dtypes, index and string storage."""
    from framing import pipeline

    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path / "cache"))
    built = pipeline.build("data/raw", n_jobs=1)
    entry = next(p for p in (tmp_path / "cache").glob("built-*") if p.is_dir())
    assert sorted(f.name for f in entry.iterdir()) == ["k_table.parquet", "measured.parquet", "object_columns.json",
                                                       "prepared.txt", "sources.parquet", "topics.pkl"]
    back = pipeline._read(entry)
    for name in ("corpus", "audit", "sentences", "measured", "k_table", "sources"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(built, name), check_exact=True)
        assert list(getattr(back, name).dtypes) == list(getattr(built, name).dtypes), name
    assert back.measured["text"].array.__class__ is built.measured["text"].array.__class__  # Python strings, not Arrow
    assert np.array_equal(back.topics.topic, built.topics.topic)
    # a half-written entry (no marker file) is not read
    (entry / pipeline._OBJECT_COLUMNS).unlink()
    assert pipeline._read(entry) is None


def test_no_notebook_recomputes_what_build_computes():
    """The notebooks read framing.pipeline.build; none calls the steps it runs once."""
    import json

    from conftest import ROOT

    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        code = "\n".join("".join(c["source"]) for c in json.load(open(path))["cells"] if c["cell_type"] == "code")
        for step in ("measure(", "fit_chosen(", "select_k(", "prepare(", "label_sentences(", "sources_table("):
            assert step not in code, (path.name, step)
