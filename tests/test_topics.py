"""Sentence topics: planted topics are recovered and their number is picked by stability."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from framing.measures import topics
from framing.pipeline import prepare

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def planted_corpus(k_true: int, per_topic: int = 30, words: int = 8, seed: int = 0):
    """Sentences of 5 words drawn from one of ``k_true`` disjoint vocabularies plus 2 common words.

    Returns (texts, true topic of each sentence, the vocabularies).
    """
    rng = np.random.default_rng(seed)
    vocab = [[f"topic{chr(97 + t)}word{chr(97 + i)}" for i in range(words)] for t in range(k_true)]
    common = [f"common{chr(97 + i)}" for i in range(10)]
    texts, labels = [], []
    for t in range(k_true):
        for _ in range(per_topic):
            w = list(rng.choice(vocab[t], size=5)) + list(rng.choice(common, size=2))
            rng.shuffle(w)
            texts.append(" ".join(w))
            labels.append(t)
    return texts, np.array(labels), vocab


@pytest.mark.parametrize("k_true", [3, 4, 5])
def test_stability_picks_the_planted_number_of_topics(k_true):
    texts, _, _ = planted_corpus(k_true)
    _, X = topics.sentence_matrix(texts, drop=())
    assert sparse.issparse(X)
    table = topics.select_k(X, range(2, 9), restarts=10, seed=0)
    assert topics.choose_k(table) == k_true
    # the reconstruction error keeps falling with k: it cannot pick k on its own
    assert table["error"].is_monotonic_decreasing


def test_select_k_on_worker_processes_gives_the_same_table():
    texts, _, _ = planted_corpus(3, per_topic=400)  # 1,200 rows: above PARALLEL_ROWS
    _, X = topics.sentence_matrix(texts, drop=())
    assert X.shape[0] >= topics.PARALLEL_ROWS
    serial = topics.select_k(X, [2, 3, 4], restarts=3, seed=1, n_jobs=1)
    parallel = topics.select_k(X, [2, 3, 4], restarts=3, seed=1, n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel)
    assert topics.choose_k(parallel) == 3


def test_fit_chosen_hands_n_jobs_to_the_k_selection(monkeypatch):
    from framing import _parallel

    class NoWorkers:
        def __init__(self, *args, **kwargs):
            raise RuntimeError("worker processes started")

    texts, _, _ = planted_corpus(3, per_topic=400)
    monkeypatch.setattr(_parallel, "ProcessPoolExecutor", NoWorkers)
    model, table = topics.fit_chosen(texts, ks=[2, 3, 4], restarts=2, n_jobs=1)  # one process: no pool
    assert list(table["k"]) == [2, 3, 4] and len(model.topic) == len(texts)
    with pytest.raises(RuntimeError, match="worker processes"):
        topics.fit_chosen(texts, ks=[2, 3, 4], restarts=2, n_jobs=2)


def test_fit_on_a_sample_still_gives_every_sentence_its_planted_topic():
    texts, labels, vocab = planted_corpus(4, per_topic=150)
    full = topics.fit(texts, 4, seed=0, drop=())
    sampled = topics.fit(texts, 4, seed=0, drop=(), max_fit=120)  # topics learned on 120 of 600
    assert len(sampled.topic) == len(texts) == sampled.weights.shape[0]
    assert list(sampled.vectorizer.get_feature_names_out()) == list(full.vectorizer.get_feature_names_out())
    # both partitions of the sentences are the planted one: four topics, each of one planted vocabulary
    for model in (full, sampled):
        pairs = set(zip(model.topic, labels))
        assert len(pairs) == 4 and len({t for t, _ in pairs}) == 4 and -1 not in model.topic
    # at or under max_fit nothing is sampled: the model is the full one
    same = topics.fit(texts, 4, seed=0, drop=(), max_fit=len(texts))
    np.testing.assert_array_equal(same.weights, full.weights)


def test_fit_recovers_the_planted_topics_and_sentences():
    texts, labels, vocab = planted_corpus(4)
    model = topics.fit(texts, 4, seed=0, drop=())
    # each topic's top five terms come from exactly one planted vocabulary, a different one per topic
    owners = []
    for t in range(4):
        top = model.terms.loc[model.terms["topic"] == t, "term"].head(5)
        owner = {next(i for i, v in enumerate(vocab) if term in v) for term in top if term.startswith("topic")}
        assert len(owner) == 1 and top.str.startswith("topic").all()
        owners.append(owner.pop())
    assert sorted(owners) == [0, 1, 2, 3]
    # every sentence gets the topic that owns its planted vocabulary
    predicted = np.array([owners[t] for t in model.topic])
    assert (predicted == labels).all()
    # names are built from the top three terms
    assert model.names[0] == " / ".join(model.terms.loc[model.terms["topic"] == 0, "term"].head(3))


def test_assign_new_sentences_and_none_for_unknown_words():
    texts, _, vocab = planted_corpus(3)
    model = topics.fit(texts, 3, seed=0, drop=())
    owner_of = {}
    for t in range(3):
        top = model.terms.loc[model.terms["topic"] == t, "term"].iloc[0]
        owner_of[next(i for i, v in enumerate(vocab) if top in v)] = t
    new = [" ".join(vocab[1][:4]), "completely unseen words here", ""]
    got = model.assign(new)
    assert got[0] == owner_of[1]
    assert got[1] == topics.NONE and got[2] == topics.NONE
    assert model.label(got)[1:] == ["(none)", "(none)"]


def test_same_result_on_every_run():
    texts, _, _ = planted_corpus(4, seed=3)
    a, b = topics.fit(texts, 4, seed=7, drop=()), topics.fit(texts, 4, seed=7, drop=())
    np.testing.assert_array_equal(a.model.components_, b.model.components_)
    np.testing.assert_array_equal(a.topic, b.topic)
    _, X = topics.sentence_matrix(texts, drop=())
    pd.testing.assert_frame_equal(topics.select_k(X, [3, 4], restarts=3, seed=1),
                                  topics.select_k(X, [3, 4], restarts=3, seed=1))


def test_topic_similarity_ignores_order_and_sees_different_topics():
    h = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 1.0]])
    assert topics.topic_similarity(h, h[::-1] * 3) == pytest.approx(1.0)  # order and scale ignored
    other = np.array([[0.0, 0.0, 0.0, 0.0001], [1.0, 0.0, 0.0, 0.0]])
    # best one-to-one match: row 0 of h with [1,0,0,0] (cos 1/sqrt2), row 1 with [0,0,0,1] (cos 1/sqrt5)
    assert topics.topic_similarity(h, other) == pytest.approx((1 / np.sqrt(2) + 1 / np.sqrt(5)) / 2)
    assert topics.stability([h, h, h]) == pytest.approx(1.0)


def test_choose_k_ties_and_minimum():
    table = pd.DataFrame({"k": [2, 3, 4, 5], "stability": [1.0, 0.90, 0.70, 0.898]})
    assert topics.choose_k(table) == 2
    assert topics.choose_k(table, min_k=3) == 5          # 0.898 is within 0.005 of 0.90: larger k wins
    assert topics.choose_k(table, min_k=3, tolerance=0.001) == 3


def test_dominant_topic_and_prevalence():
    w = np.array([[0.1, 0.5], [0.3, 0.0], [0.0, 0.0], [0.0, 0.0002]])
    assert topics.dominant_topic(w).tolist() == [1, 0, topics.NONE, topics.NONE]
    prev = topics.prevalence(["b", "a", "a", "b"], [1, 0, topics.NONE, 1], ["x", "y"])
    assert list(prev.index) == ["a", "b"] and list(prev.columns) == ["x", "y", "(none)"]
    assert prev.loc["a"].tolist() == [0.5, 0.0, 0.5] and prev.loc["b"].tolist() == [0.0, 1.0, 0.0]


def test_seed_topics_about_bipolar_disorder_stay_in_the_sources_that_mention_it():
    s = prepare(RAW).sentences
    model = topics.fit(list(s["text"]), 5, seed=0)
    assert "ketamine" not in model.vectorizer.vocabulary_  # drug names are left out of topics by default
    bipolar = [n for n in model.names if "bipolar" in n.split(" / ")]
    assert len(bipolar) == 1
    prev = topics.prevalence(s["doc_id"], model.topic, model.names)
    # only 003 and 004 mention MDD, bipolar depression or depressive disorder at all
    mentions = s.groupby("doc_id")["text"].apply(lambda t: t.str.contains("bipolar|disorder|MDD").any())
    for doc_id, mentioned in mentions.items():
        assert (prev.loc[doc_id, bipolar[0]] > 0) == mentioned


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # random text has no topics
def test_large_corpus_stays_sparse():
    # 2,000 random sentences over a 10,000-word vocabulary
    import tracemalloc

    rng = np.random.default_rng(0)
    vocab = np.array(["q" + "".join(chr(97 + (i // 26**p) % 26) for p in range(4)) for i in range(10_000)])
    texts = [" ".join(rng.choice(vocab, 20)) for _ in range(2000)]
    tracemalloc.start()
    try:
        _, X = topics.sentence_matrix(texts)
        table = topics.select_k(X, [2], restarts=2, seed=0)
        model = topics.fit(texts, 2, seed=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    dense = X.shape[0] * X.shape[1] * 8  # bytes of one dense sentences x words matrix
    assert sparse.issparse(X) and dense > 100e6
    assert peak < dense / 4
    assert len(table) == 1 and model.weights.shape == (2000, 2)


def test_fit_chosen_matches_the_explicit_steps(seeds):
    from framing.measures import topics

    texts = list(seeds.sentences["text"])
    model, table = topics.fit_chosen(texts, ks=range(2, 7), restarts=4, seed=0)
    _, X = topics.sentence_matrix(texts)
    explicit = topics.choose_k(topics.select_k(X, range(2, 7), restarts=4, seed=0), min_k=3)
    assert len(model.names) == explicit >= 3
    assert list(table["k"]) == list(range(2, 7))


def test_fit_chosen_on_too_little_text_says_so():
    import pytest as _pytest

    from framing.measures import topics

    with _pytest.raises(ValueError):
        topics.fit_chosen(["ketamine helps", "ketamine helps"], ks=range(5, 7), restarts=2)


def test_selection_sample_is_seeded_ordered_and_only_for_large_inputs():
    from framing.measures import topics

    texts = [f"sentence {i}" for i in range(100)]
    assert topics.selection_sample(texts, 200) == texts
    a = topics.selection_sample(texts, 10, seed=1)
    assert a == topics.selection_sample(texts, 10, seed=1) and len(set(a)) == 10
    assert a == sorted(a, key=texts.index), "the sample keeps corpus order"
    assert a != topics.selection_sample(texts, 10, seed=2)
