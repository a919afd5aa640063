"""Distinctive terms (TF-IDF, log-odds with informative Dirichlet prior) and similarity."""

from pathlib import Path

import numpy as np
import pytest

from framing.measures import terms
from framing.pipeline import prepare

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


# Hand-worked example (Monroe, Colaresi & Quinn 2008, informative prior = corpus counts).
# Vocabulary alpha, beta, gamma.
#   group i counts y_i = (5, 1, 0), n_i = 6;  group j counts y_j = (1, 1, 4), n_j = 6
#   prior a = corpus counts = (6, 2, 4), a0 = 12
# alpha: delta = ln((5+6)/(6+12-5-6)) - ln((1+6)/(6+12-1-6)) = ln(11/7) - ln(7/11) = 2 ln(11/7)
#              = 2 * 0.4519851 = 0.9039702
#        var   = 1/11 + 1/7 = 0.0909091 + 0.1428571 = 0.2337662, sd = 0.4834938
#        z     = 0.9039702 / 0.4834938 = 1.86967
# beta:  both sides ln(3/15): delta = 0, z = 0
# gamma: delta = ln(4/14) - ln(8/10) = -1.2527630 + 0.2231436 = -1.0296194
#        var   = 1/4 + 1/8 = 0.375, sd = 0.6123724
#        z     = -1.0296194 / 0.6123724 = -1.68135
HAND_Z = {"alpha": 1.86967, "beta": 0.0, "gamma": -1.68135}


def test_log_odds_z_matches_hand_worked_example():
    z = terms.log_odds_z([5, 1, 0], [1, 1, 4], [6, 2, 4])
    np.testing.assert_allclose(z, [HAND_Z["alpha"], HAND_Z["beta"], HAND_Z["gamma"]], atol=1e-4)


def test_log_odds_terms_reproduces_hand_example_from_texts():
    texts = ["alpha alpha alpha alpha alpha beta", "alpha beta gamma gamma gamma gamma"]
    table = terms.log_odds_terms(texts, ["i", "j"], n=3, ngram_range=(1, 1))
    got = table[table["group"] == "i"].set_index("term")["z"]
    for term, z in HAND_Z.items():
        assert got[term] == pytest.approx(z, abs=1e-4)
    # ranked by z, and group j is the mirror image (two groups: z_j = -z_i)
    assert list(table.loc[table["group"] == "i", "term"]) == ["alpha", "beta", "gamma"]
    got_j = table[table["group"] == "j"].set_index("term")["z"]
    assert got_j["gamma"] == pytest.approx(-HAND_Z["gamma"], abs=1e-4)


def test_log_odds_pools_the_rest_and_groups_several_texts():
    # group "a" has two texts; "b" and "c" are pooled as its rest
    texts = ["drug drug cost", "drug cost", "harm harm cost", "harm cost"]
    table = terms.log_odds_terms(texts, ["d1", "d2", "d3", "d4"], groups=["a", "a", "b", "c"],
                                 n=5, ngram_range=(1, 1))
    a = table[table["group"] == "a"].set_index("term")
    assert a.loc["drug", "count"] == 3 and a.loc["drug", "count_rest"] == 0
    assert a.loc["harm", "count"] == 0 and a.loc["harm", "count_rest"] == 3
    assert a.loc["drug", "z"] > 0 > a.loc["harm", "z"]
    assert a["z"].is_monotonic_decreasing


def test_log_odds_prefers_frequent_evidence_over_a_single_rare_word():
    # "rare" occurs once, only in A; "dose" occurs 20 times in A and 5 times in B.
    a = " ".join(["dose"] * 20 + ["rare"] + ["filler"] * 30)
    b = " ".join(["dose"] * 5 + ["filler"] * 46)
    table = terms.log_odds_terms([a, b], ["A", "B"], n=3, ngram_range=(1, 1))
    assert table[table["group"] == "A"].iloc[0]["term"] == "dose"


def test_prior_must_be_positive():
    with pytest.raises(ValueError):
        terms.log_odds_z([1, 0], [0, 1], [1, 0])


def test_drug_names_are_kept_and_possessives_split():
    assert not terms.DRUG_TERMS & set(terms.STOP_WORDS)
    vec = terms.make_vectorizer(tfidf=False, ngram_range=(1, 2))
    vec.fit(["Esketamine's effects, unlike the ketamine in Spravato, are rapid."])
    vocab = set(vec.get_feature_names_out())
    assert {"esketamine", "ketamine", "spravato", "esketamine effects"} <= vocab
    assert not vocab & {"the", "in", "are", "s"}  # stop words and the possessive s dropped


def test_tfidf_top_terms_ranks_the_document_specific_term_first():
    texts = ["ketamine ketamine ketamine depression", "esketamine depression", "spravato depression"]
    top = terms.tfidf_top_terms(texts, ["a", "b", "c"], n=2, ngram_range=(1, 1))
    first = top[top["rank"] == 1].set_index("doc_id")["term"]
    assert dict(first) == {"a": "ketamine", "b": "esketamine", "c": "spravato"}
    assert top.set_index(["doc_id", "term"]).loc[("a", "ketamine"), "count"] == 3


def test_cosine_similarity_identical_and_disjoint():
    sim = terms.cosine_similarity(["red blue green", "red blue green", "cat dog bird"], ["x", "y", "z"])
    assert sim.loc["x", "y"] == pytest.approx(1.0)
    assert sim.loc["x", "z"] == pytest.approx(0.0)
    np.testing.assert_allclose(sim.to_numpy(), sim.to_numpy().T)


def test_cosine_similarity_by_group():
    texts = ["red blue", "red blue green", "cat dog", "dog bird cat", "red blue"]
    ids = ["t1", "t2", "t3", "t4", "t5"]
    by_doc = terms.cosine_similarity(texts, ids)
    # one text per group: the same numbers as without groups, relabelled and sorted
    one = terms.cosine_similarity(texts, ids, groups=["e", "d", "c", "b", "a"])
    assert one.loc["e", "c"] == pytest.approx(by_doc.loc["t1", "t3"])
    assert one.loc["a", "d"] == pytest.approx(by_doc.loc["t5", "t2"])
    # colour words vs animal words: the groups share nothing
    grouped = terms.cosine_similarity(texts, ids, groups=["col", "col", "ani", "ani", "col2"])
    assert list(grouped.index) == ["ani", "col", "col2"]
    assert grouped.loc["col", "ani"] == pytest.approx(0.0)
    assert 0 < grouped.loc["col", "col2"] < 1


# ------------------------------------------------------------------ real seeds

@pytest.fixture(scope="module")
def seeds():
    return prepare(RAW).corpus


def test_seeds_drug_variants_separate_the_sources(seeds):
    table = terms.log_odds_terms(list(seeds["clean_text"]), list(seeds["doc_id"]), n=10_000)
    z = table.set_index(["group", "term"])["z"]
    rank = table.set_index(["group", "term"])["rank"]
    # 000 and 001 write about esketamine (one mention of ketamine each), 002 and 004 about ketamine
    for doc in ["000_e0c9615ef72ce850", "001_0dc9bdc987acac3b"]:
        assert z[(doc, "esketamine")] > 0 > z[(doc, "ketamine")]
        assert rank[(doc, "esketamine")] <= 3
    for doc in ["002_1d4fc39c1c0a0362", "004_f3384b2a33291e0f"]:
        assert z[(doc, "ketamine")] > 0 > z[(doc, "esketamine")]
    # "spravato" only appears in 001
    assert table[(table["term"] == "spravato") & (table["count"] > 0)]["group"].tolist() == ["001_0dc9bdc987acac3b"]


def test_seeds_similarity_is_a_proper_similarity_matrix(seeds):
    sim = terms.cosine_similarity(list(seeds["clean_text"]), list(seeds["doc_id"]))
    values = sim.to_numpy()
    np.testing.assert_allclose(np.diag(values), 1.0)
    off = values[~np.eye(len(values), dtype=bool)]
    assert (off > 0).all() and (off < 1).all()


def random_corpus(n_docs: int, n_words: int = 20, vocab_size: int = 20_000, seed: int = 0) -> list[str]:
    """Texts of random letter-only words ("qaaaa", "qbaaa", ...) from a large vocabulary."""
    rng = np.random.default_rng(seed)
    vocab = np.array(["q" + "".join(chr(97 + (i // 26**p) % 26) for p in range(4)) for i in range(vocab_size)])
    return [" ".join(rng.choice(vocab, n_words)) for _ in range(n_docs)]


def test_large_corpus_stays_sparse():
    # 1,500 texts with ~44,000 unigram+bigram terms: a dense texts x terms matrix would need ~530 MB
    import tracemalloc

    texts = random_corpus(1500)
    ids = [f"d{i}" for i in range(len(texts))]
    groups = [f"outlet{i % 7}" for i in range(len(texts))]
    tracemalloc.start()
    try:
        z = terms.log_odds_terms(texts, ids, groups=groups, n=5)
        sim = terms.cosine_similarity(texts, ids, groups=groups)
        top = terms.tfidf_top_terms(texts, ids, n=2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    n_terms = len(terms.make_vectorizer().fit(texts).vocabulary_)
    dense = len(texts) * n_terms * 8  # bytes of one dense texts x terms matrix
    assert dense > 400e6 and peak < dense / 4
    assert len(z) == 7 * 5 and sim.shape == (7, 7) and len(top) == 1500 * 2


# ------------------------------------------------------------------ many sources

def test_tfidf_by_group_sums_the_texts_of_each_group():
    texts = ["ketamine spray", "ketamine spray clinic", "bipolar mania", "bipolar mania lithium"]
    got = terms.tfidf_top_terms(texts, ["a", "b", "c", "d"], n=2, ngram_range=(1, 1),
                                groups=["esk", "esk", "bip", "bip"])
    assert sorted(set(got["doc_id"])) == ["bip", "esk"]
    esk = got[got["doc_id"] == "esk"].set_index("term")
    assert set(esk.index) == {"ketamine", "spray"} and esk.loc["ketamine", "count"] == 2
    # one text per group: the same weights as without groups
    alone = terms.tfidf_top_terms(texts, ["a", "b", "c", "d"], n=3)
    same = terms.tfidf_top_terms(texts, ["a", "b", "c", "d"], n=3, groups=["a", "b", "c", "d"])
    np.testing.assert_allclose(alone["tfidf"], same["tfidf"])
    assert alone["term"].tolist() == same["term"].tolist()


def test_term_groups_sources_outlets_or_top_n():
    ids = [f"d{i:02d}" for i in range(20)]
    sizes = list(range(20))
    few, how = terms.term_groups(ids[:12], sizes[:12])
    assert how == "source" and few == ids[:12]
    outlets = [f"outlet {i % 4}" for i in range(20)]
    grouped, how = terms.term_groups(ids, sizes, outlets)
    assert how == "outlet" and grouped == outlets
    # a blank outlet, or too many outlets, falls back to the largest sources
    for bad in (outlets[:-1] + [""], [f"o{i}" for i in range(20)], None):
        top, how = terms.term_groups(ids, sizes, bad, max_groups=3)
        assert how == "top"
        assert [g for g in top if g != "(other sources)"] == ["d17", "d18", "d19"]
        assert top.count("(other sources)") == 17
    # ties in size go by doc_id
    top, _ = terms.term_groups(ids, [1] * 20, max_groups=2)
    assert [g for g in top if g != "(other sources)"] == ["d00", "d01"]
    with pytest.raises(ValueError):
        terms.term_groups(ids, sizes[:3])


def test_similarity_summary_agrees_with_the_full_matrix():
    rng = np.random.default_rng(0)
    vocab = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(60)]
    texts = [" ".join(rng.choice(vocab, 30)) for _ in range(41)]
    texts[7] = texts[30]  # one exact duplicate pair
    ids = [f"s{i:02d}" for i in range(41)]
    full = terms.cosine_similarity(texts, ids).to_numpy()
    got = terms.similarity_summary(texts, ids, top=5, bins=20, block=8)  # several blocks
    upper = full[np.triu_indices(41, k=1)]
    assert got.n_pairs == len(upper) == got.histogram["pairs"].sum()
    np.testing.assert_array_equal(got.histogram["pairs"], np.histogram(upper, bins=np.linspace(0, 1, 21))[0])
    assert got.mean == pytest.approx(upper.mean())
    assert (got.top.loc[0, "a"], got.top.loc[0, "b"]) == ("s07", "s30")
    assert got.top.loc[0, "cosine"] == pytest.approx(1.0)
    np.testing.assert_allclose(got.top["cosine"], np.sort(upper)[::-1][:5])
    off = np.where(np.eye(41, dtype=bool), -np.inf, full)
    np.testing.assert_allclose(got.nearest["cosine"], off.max(axis=1))
    assert got.nearest.set_index("doc_id").loc["s30", "nearest"] == "s07"
