"""Shared passages: planted spans are found exactly, nothing else is."""

from pathlib import Path

import pandas.testing as pd_testing
import pytest

from framing.measures import passages
from framing.pipeline import prepare

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"

PLANT_AB = "the nasal spray acts within hours for most patients"             # 9 tokens, in A and B
PLANT_BC = "monitoring for two hours after every single dose is required"  # 10 tokens, in B and C
PLANT_ABC = "offers new hope to those who suffer"                          # 7 tokens, in A, B and C
SHORT_AC = "rapid relief for many people"                                  # 5 tokens < 6, in A and C
REPEAT_A = "this sentence repeats inside one source only ok"                # 8 tokens, twice in A only


def filler(prefix: str, n: int) -> str:
    """n words that occur in no other document (unique prefix per document and place)."""
    return " ".join(f"{prefix}{i}" for i in range(n))


@pytest.fixture
def planted():
    texts = {
        "A": f"{filler('a', 12)} {PLANT_AB}. {filler('b', 9)} {PLANT_ABC} {filler('c', 7)} "
             f"{SHORT_AC} {filler('d', 5)} {REPEAT_A} {filler('e', 4)} {REPEAT_A}",
        # B: the same wording with other case, punctuation and an apostrophe-free variant
        "B": f"{filler('f', 3)} The nasal spray acts, within hours, for most patients! {filler('g', 8)} "
             f"{PLANT_BC} {filler('h', 6)} Offers new hope to those who suffer {filler('i', 2)}",
        "C": f"{PLANT_BC} {filler('j', 11)} {SHORT_AC} {filler('k', 3)} {PLANT_ABC}.",
    }
    return texts


def test_finds_exactly_the_planted_spans(planted):
    result = passages.find_shared(planted, n=6)
    found = {(row.text, row.sources) for row in result.passages.itertuples()}
    assert found == {
        (PLANT_AB, ("A", "B")),
        (PLANT_BC, ("B", "C")),
        (PLANT_ABC.lower(), ("A", "B", "C")),
    }


def test_offsets_point_at_the_original_text(planted):
    result = passages.find_shared(planted, n=6)
    occ = result.occurrences
    assert len(occ) == 7  # 2 + 2 + 3 occurrences; the in-source repeat is not one
    for row in occ.itertuples():
        assert planted[row.doc_id][row.start:row.end] == row.excerpt
    b = occ[(occ["doc_id"] == "B") & (occ["excerpt"].str.startswith("The nasal"))]
    assert b["excerpt"].tolist() == ["The nasal spray acts, within hours, for most patients"]


def test_coverage_counts_the_planted_tokens(planted):
    cov = passages.find_shared(planted, n=6).coverage.set_index("doc_id")
    assert cov.loc["A", "shared_tokens"] == 9 + 7
    assert cov.loc["B", "shared_tokens"] == 9 + 10 + 7
    assert cov.loc["C", "shared_tokens"] == 10 + 7
    assert cov.loc["A", "share"] == pytest.approx(16 / cov.loc["A", "n_tokens"])


def test_pairwise_matrix_says_between_whom(planted):
    m = passages.shared_tokens_matrix(planted, n=6)
    assert m.loc["A", "B"] == 16 and m.loc["B", "A"] == 16
    assert m.loc["A", "C"] == 7 and m.loc["B", "C"] == 17 and m.loc["C", "B"] == 17
    assert (m.to_numpy().diagonal() == 0).all()


def test_threshold_is_inclusive_and_short_phrases_are_ignored():
    five = "one two three four five"
    six = "one two three four five six"
    assert passages.find_shared({"x": f"a b {five} c", "y": f"d {five} e"}, n=6).passages.empty
    got = passages.find_shared({"x": f"a b {six} c", "y": f"d {six} e"}, n=6).passages
    assert got["text"].tolist() == [six]


def test_overlapping_ngrams_merge_into_one_maximal_span():
    long = " ".join(f"w{i}" for i in range(20))
    got = passages.find_shared({"x": f"p q {long} r", "y": f"s {long} t u"}, n=6).passages
    assert got["text"].tolist() == [long] and got["n_tokens"].tolist() == [20]


def test_nothing_shared_between_unrelated_texts():
    result = passages.find_shared({"x": filler("x", 50), "y": filler("y", 50)}, n=6)
    assert result.passages.empty and result.occurrences.empty
    assert (result.coverage["shared_tokens"] == 0).all()


def test_seed_passages_are_consistent():
    corpus = prepare(RAW).corpus
    texts = dict(zip(corpus["doc_id"], corpus["clean_text"]))
    result = passages.find_shared(texts, n=6)
    assert (result.passages["n_tokens"] >= 6).all() and (result.passages["n_sources"] >= 2).all()
    for row in result.occurrences.itertuples():
        tokens, _ = passages.tokenize(row.excerpt)
        assert " ".join(tokens) == result.passages.loc[row.passage, "text"]
        assert texts[row.doc_id][row.start:row.end] == row.excerpt


def test_large_corpus_finds_one_planted_passage():
    import numpy as np

    rng = np.random.default_rng(0)
    vocab = np.array([f"v{i}" for i in range(50_000)])
    texts = {f"d{i:04d}": " ".join(rng.choice(vocab, 40)) for i in range(3000)}
    texts["d0100"] += " " + PLANT_BC
    texts["d2900"] = PLANT_BC + " " + texts["d2900"]
    result = passages.find_shared(texts, n=6)
    assert result.passages["text"].tolist() == [PLANT_BC]
    assert result.passages["sources"].tolist() == [("d0100", "d2900")]


def test_pairs_long_form_matches_the_matrix_and_top_pairs_rank_them(planted):
    pairs = passages.shared_pairs(planted, n=6)
    m = passages.shared_tokens_matrix(planted, n=6)
    assert len(pairs) == 6  # A-B, A-C, B-C both ways
    for row in pairs.itertuples():
        assert m.loc[row.doc_id, row.other] == row.tokens
        assert row.share == pytest.approx(row.tokens / len(passages.tokenize(planted[row.doc_id])[0]))
    top = passages.top_pairs(pairs, n=2)
    assert list(zip(top["a"], top["b"])) == [("B", "C"), ("A", "B")]
    assert top.loc[0, "tokens_a"] == 17 and top.loc[0, "tokens_b"] == 17
    assert top.loc[0, "share"] == max(top.loc[0, "share_a"], top.loc[0, "share_b"])
    assert passages.top_pairs(pairs.iloc[0:0]).empty


def test_cap_skips_widespread_ngrams_but_keeps_them_in_coverage():
    boiler = "share this page with your friends today"  # 7 tokens in every source
    texts = {f"s{i:02d}": f"{filler(f'x{i}x', 5)} {boiler} {filler(f'y{i}y', 5)}" for i in range(30)}
    texts["s00"] += f" {PLANT_BC}"
    texts["s07"] += f" {PLANT_BC}"
    full = passages.find_shared(texts, n=6)
    capped = passages.find_shared(texts, n=6, max_sources=5)
    assert set(full.passages["text"]) == {boiler, PLANT_BC}
    assert capped.passages["text"].tolist() == [PLANT_BC]
    assert capped.passages["sources"].tolist() == [("s00", "s07")]
    assert capped.skipped == 2 and full.skipped == 0  # the two 6-grams of the 7-word boilerplate
    pd_testing.assert_frame_equal(capped.coverage, full.coverage)
    pairs = passages.shared_pairs(texts, n=6, max_sources=5)
    assert set(zip(pairs["doc_id"], pairs["other"])) == {("s00", "s07"), ("s07", "s00")}
    assert len(passages.shared_pairs(texts, n=6)) == 30 * 29


def test_cap_bounds_the_work_on_many_sources():
    import time

    boiler = "read more articles like this one on our site every day"
    texts = {f"s{i:04d}": f"{boiler} {filler(f'u{i}x', 30)} {boiler}" for i in range(2000)}
    start = time.process_time()
    capped = passages.find_shared(texts, n=6, max_sources=20)
    assert time.process_time() - start < 20  # uncapped: 2000 x 1999 / 2 pairs per n-gram
    assert capped.passages.empty and capped.skipped == 6
    assert (capped.coverage["shared_tokens"] == 2 * 11).all()


def test_share_by_length_equals_the_coverage_of_find_shared(planted):
    table = passages.share_by_length(planted, ns=(5, 6, 8))
    assert table["min words"].tolist() == [5, 6, 8]
    for row in table.itertuples():
        cov = passages.find_shared(planted, n=row[1]).coverage
        assert row[2] == cov["shared_tokens"].sum()
        assert row[3] == pytest.approx(cov["shared_tokens"].sum() / cov["n_tokens"].sum())
    assert table["shared words"].is_monotonic_decreasing


def test_coverage_matches_a_brute_force_count():
    import numpy as np

    rng = np.random.default_rng(3)
    words = ["alpha", "beta", "gamma", "delta"]  # few words: many short n-grams recur across sources
    texts = {f"t{i}": " ".join(rng.choice(words, int(rng.integers(0, 40)))) for i in range(8)}
    for n in (2, 3, 5):
        toks = {d: passages.tokenize(t)[0] for d, t in texts.items()}
        grams = {d: {tuple(v[p:p + n]) for p in range(len(v) - n + 1)} for d, v in toks.items()}
        cov = passages.find_shared(texts, n=n, min_sources=3).coverage.set_index("doc_id")
        for d, v in toks.items():
            covered = set()
            for p in range(len(v) - n + 1):
                if sum(tuple(v[p:p + n]) in g for g in grams.values()) >= 3:
                    covered.update(range(p, p + n))
            assert cov.loc[d, "shared_tokens"] == len(covered) and cov.loc[d, "n_tokens"] == len(v)
