"""The Dask engine gives the in-memory engine's tables, and the exact pieces it rests on."""

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from framing.measures import topics

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _corpus(folder: Path) -> Path:
    """The seeds, 36 articles recombined from their paragraphs (a manifest with dates for some,
    so that partitions differ in their date columns), a duplicate of a seed with its white space
    changed, a Markdown article, an empty file and a page of links only (no prose)."""
    folder.mkdir()
    manifest = pd.read_csv(RAW / "manifest.csv", dtype=str, keep_default_na=False)
    for file in manifest["file"]:
        shutil.copyfile(RAW / file, folder / file)
    paragraphs = [p for f in manifest["file"] for p in (RAW / f).read_text(encoding="utf-8").split("\n\n")
                  if len(p.split()) > 12]
    rng = np.random.default_rng(7)
    rows = []
    for i in range(36):
        picked = rng.choice(len(paragraphs), size=int(rng.integers(3, 9)), replace=False)
        text = f"Mixed article {i}\n\n" + "\n\n".join(paragraphs[j] for j in picked) + "\n"
        name = f"mix_{i:03d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        rows.append({"doc_id": f"mix_{i:03d}", "file": name, "label": f"mix {i}", "outlet": ["A", "B", "C"][i % 3],
                     "date": "" if i < 18 else f"2024-{1 + i % 12:02d}-15"})
    seed_text = (RAW / manifest["file"][2]).read_text(encoding="utf-8")
    (folder / "zz_copy.txt").write_text("  " + seed_text.replace(" ", "  ", 5), encoding="utf-8")
    (folder / "notes.md").write_text("# A note\n\nKetamine *may* help some patients, and it can raise blood "
                                     "pressure for a while after each dose.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "links.txt").write_text("Home\n\nAbout\n\nContact us\n", encoding="utf-8")
    extra = pd.DataFrame(rows)
    full = pd.concat([manifest, extra], ignore_index=True).fillna("")
    full.to_csv(folder / "manifest.csv", index=False)
    return folder


def _build_both(tmp_path: Path, monkeypatch, partition_mb: float = 0.02):
    from framing import pipeline
    from framing.dask_engine import local_client

    # small samples and blocks, so that k is chosen on a sample, NMF is fitted on another and
    # the projection blocks cross partition boundaries
    monkeypatch.setattr(topics, "K_SAMPLE", 500)
    monkeypatch.setattr(topics, "FIT_SAMPLE", 700)
    monkeypatch.setattr(topics, "PROJECT_ROWS", 230)
    monkeypatch.setenv("FRAMING_PARTITION_MB", str(partition_mb))
    corpus = _corpus(tmp_path / "corpus")
    with warnings.catch_warnings(record=True) as memory_warnings:
        warnings.simplefilter("always")
        memory = pipeline.build(corpus, on_error="skip")
    client = local_client(2)
    try:
        with warnings.catch_warnings(record=True) as dask_warnings:
            warnings.simplefilter("always")
            dask = pipeline.build(corpus, on_error="skip", engine="dask", client=client, dataset=tmp_path / "dataset")
    finally:
        client.close()
        client.cluster.close()
    return memory, dask, [str(w.message) for w in memory_warnings], [str(w.message) for w in dask_warnings]


def test_dask_engine_gives_the_in_memory_tables_on_a_corpus_cut_into_partitions(tmp_path, monkeypatch):
    import json

    memory, dask, memory_warnings, dask_warnings = _build_both(tmp_path, monkeypatch)
    info = json.loads((tmp_path / "dataset" / "dataset.json").read_text())
    assert info["partitions"] >= 5  # the corpus really was cut
    assert len(memory.measured) > 700 and memory.topics.k == dask.topics.k
    for name in ("corpus", "audit", "sentences", "measured", "sources", "k_table"):
        pd.testing.assert_frame_equal(getattr(memory, name), getattr(dask, name), check_exact=True, obj=name)
    assert np.array_equal(memory.topics.weights, dask.topics.weights)
    assert np.array_equal(memory.topics.topic, dask.topics.topic)
    assert np.array_equal(memory.topics.model.components_, dask.topics.model.components_)
    assert np.array_equal(memory.topics.vectorizer.idf_, dask.topics.vectorizer.idf_)
    pd.testing.assert_frame_equal(memory.topics.terms, dask.topics.terms, check_exact=True)
    # what the corpus holds was found by both: the duplicate, the broken files, the dates
    assert memory.corpus.set_index("doc_id").loc["zz_copy", "duplicate_of"] == "002_1d4fc39c1c0a0362"
    assert memory.corpus["date"].notna().sum() == 18
    relevant = [w for w in memory_warnings if "duplicate" in w or "skipped" in w]
    assert len(relevant) == 2 and relevant == [w for w in dask_warnings if "duplicate" in w or "skipped" in w]
    assert "empty.txt" in relevant[1] and "links.txt" in relevant[1]
    # the folder holds the partitioned tables and nothing stale
    assert sorted(p.name for p in (tmp_path / "dataset").iterdir()) == [
        "audit", "corpus", "dataset.json", "k_table.parquet", "measured", "sources", "topics.pkl", "weights"]
    parts = pd.read_parquet(tmp_path / "dataset" / "measured")
    assert len(parts) == len(memory.measured)


def test_dask_engine_raises_as_the_in_memory_engine_does(tmp_path):
    from framing.dask_engine import build_dataset, local_client
    from framing.io.corpus import CorpusError
    from framing.pipeline import build

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("Ketamine can help. It can also raise blood pressure for an hour or two.\n")
    (folder / "b.txt").write_bytes(b"\xff\xfe not text")
    with pytest.raises(CorpusError) as memory:
        build(folder)
    client = local_client(1)
    try:
        with pytest.raises(CorpusError) as dask:
            build_dataset(folder, tmp_path / "out", client=client)
    finally:
        client.close()
        client.cluster.close()
    assert str(memory.value) == str(dask.value) and "b.txt" in str(dask.value)
    assert not (tmp_path / "out" / "dataset.json").exists()


@pytest.mark.parametrize("files", [{}, {"empty.txt": b"", "links.txt": b"Home\n\nAbout us\n"}])
def test_a_folder_without_a_usable_article_is_one_clear_error_on_both_engines(tmp_path, files):
    from framing.dask_engine import build_dataset, local_client
    from framing.io.corpus import CorpusError
    from framing.pipeline import build

    folder = tmp_path / "c"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with pytest.raises(CorpusError, match="no usable article") as memory:
        build(folder, on_error="skip")
    client = local_client(1) if files else None  # an empty folder is refused before any cluster starts
    try:
        with pytest.raises(CorpusError) as dask:
            build_dataset(folder, tmp_path / "out", on_error="skip", client=client)
    finally:
        if client is not None:
            client.close()
            client.cluster.close()
    assert str(memory.value) == str(dask.value)
    assert all(name in str(dask.value) for name in files)


def test_dask_engine_refuses_a_folder_it_did_not_write(tmp_path):
    from framing.dask_engine import build_dataset

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "thesis.docx").write_text("months of work")
    with pytest.raises(FileExistsError, match="thesis.docx"):
        build_dataset(RAW, tmp_path / "out", client=object())
    assert (tmp_path / "out" / "thesis.docx").read_text() == "months of work"


def test_partitions_follow_doc_id_order_and_hold_at_least_the_size(tmp_path):
    from framing.dask_engine import partitions

    names = []
    for name, size in [("c", 500), ("a", 700), ("b", 300), ("d", 900)]:
        (tmp_path / name).write_bytes(b"x" * size)
        names.append(name)
    assert partitions(tmp_path, names, names, mb=0.001) == [["a", "b"], ["c", "d"]]
    assert [f for p in partitions(tmp_path, names, ["4", "3", "2", "1"], mb=1) for f in p] == ["d", "b", "a", "c"]


# ------------------------------------------------------------------ the exact pieces
def _texts():
    from framing.pipeline import prepare

    seeds = prepare(RAW).sentences["text"].tolist()
    adversarial = ["", "   ", "the and of", "Ketamine ketamine KETAMINE esketamine", "café naïve résumé café",
                   "x " * 300, "Spravato\u00a0nasal spray, 56\u202fmg", "A1 b2 c3 dosing dosing dosing"]
    return seeds + adversarial


def test_sentence_matrix_is_the_tfidf_vectorizer_and_its_transform_in_any_blocks():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.measures.terms import DRUG_TERMS, STOP_WORDS, TOKEN_PATTERN

    texts = _texts()
    vec, X = topics.sentence_matrix(texts)
    reference = TfidfVectorizer(token_pattern=TOKEN_PATTERN, stop_words=sorted(set(STOP_WORDS) | DRUG_TERMS), min_df=2)
    R = reference.fit_transform(texts).tocsr()
    R.sort_indices()
    assert list(vec.get_feature_names_out()) == list(reference.get_feature_names_out())
    assert np.array_equal(vec.idf_, reference.idf_)
    assert np.array_equal(R.indptr, X.indptr) and np.array_equal(R.indices, X.indices)
    assert np.abs(R.data - X.data).max() <= 4e-16  # the same numbers to the last bit or two (summation order)
    for cuts in ([0, len(texts)], [0, 1, 50, 51, 97, len(texts)], list(range(0, len(texts), 17)) + [len(texts)]):
        Y = sparse.vstack([vec.transform(texts[a:b]) for a, b in zip(cuts, cuts[1:])]).tocsr()
        assert all(np.array_equal(getattr(X, k), getattr(Y, k)) for k in ("indptr", "indices", "data"))


def test_tfidf_from_counts_adds_up_document_frequencies_counted_in_parts():
    from collections import Counter

    texts = _texts()
    analyzer = topics.sentence_analyzer()
    df = Counter()
    for part in (texts[:40], texts[40:41], texts[41:]):
        for text in part:
            df.update(set(analyzer(text)))
    vocabulary = sorted(t for t, c in df.items() if c >= 2)
    rebuilt = topics.tfidf_from_counts(vocabulary, [df[t] for t in vocabulary], len(texts))
    vec, X = topics.sentence_matrix(texts)
    assert np.array_equal(rebuilt.idf_, vec.idf_)
    Y = rebuilt.transform(texts)
    assert all(np.array_equal(getattr(X, k), getattr(Y, k)) for k in ("indptr", "indices", "data"))
    with pytest.raises(ValueError, match="sorted"):
        topics.tfidf_from_counts(["b", "a"], [2, 2], 3)


def test_projection_in_blocks_is_one_transform_per_block():
    texts = _texts()
    _, X = topics.sentence_matrix(texts)
    model = topics.fit_nmf(X, 3, seed=0)
    with topics._quiet_nmf():
        whole = model.transform(X)
        blocks = np.vstack([model.transform(X[a:a + 40]) for a in range(0, X.shape[0], 40)])
    assert np.array_equal(topics.project(model, X, rows=X.shape[0]), whole)
    assert np.array_equal(topics.project(model, X, rows=40), blocks)


def test_rowwise_product_does_not_depend_on_the_other_rows():
    from framing.measures.coder import rowwise_product

    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(67, 42)), rng.normal(size=(42, 5))
    full = rowwise_product(a, b)
    assert np.allclose(full, a @ b, rtol=0, atol=1e-12)
    for start in range(0, 12):
        assert np.array_equal(rowwise_product(a[start:], b), full[start:])
        assert np.array_equal(rowwise_product(a[start:start + 1], b), full[start:start + 1])


def test_an_articles_coding_does_not_depend_on_what_else_is_coded(seeds):
    from framing.measures import coder

    texts, docs = seeds.sentences["text"].tolist(), seeds.sentences["doc_id"].tolist()
    full = coder.predict(texts, docs)
    starts = [i for i in range(1, len(docs)) if docs[i] != docs[i - 1]]
    for cut in starts:
        pd.testing.assert_frame_equal(coder.predict(texts[cut:], docs[cut:]), full.iloc[cut:].reset_index(drop=True),
                                      check_exact=True)
        pd.testing.assert_frame_equal(coder.predict(texts[:cut], docs[:cut]), full.iloc[:cut], check_exact=True)
