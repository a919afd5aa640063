"""Topics of sentences: NMF on sentence-level TF-IDF, with k chosen by stability.

Sentences are the documents (a handful of articles is far too few for
document-level topics). The steps:

1. :func:`select_k` fits NMF for each k in a range with several random
   restarts and reports, per k, the reconstruction error and the topic
   stability: the mean, over all pairs of restarts, of the mean cosine between
   topic-term vectors matched one-to-one (Hungarian matching, as in Greene,
   O'Callaghan & Cunningham 2014). :func:`choose_k` picks the most stable k.
2. :func:`fit` fits the final model for one k and returns a :class:`TopicModel`
   with the vectorizer, the NMF model, topic names (from top terms), the top
   terms and a per-sentence dominant topic.
3. :meth:`TopicModel.assign` gives any sentence its dominant topic, or none
   (-1) when all its topic weights are ~0; :func:`prevalence` and
   :meth:`TopicModel.top_sentences` summarise by source and give evidence.

Large corpora: k is chosen on a seeded sample of at most :data:`K_SAMPLE`
sentences (its fits run on all cores), and the final topics are learned on a
seeded sample of at most :data:`FIT_SAMPLE` sentences, then every sentence is
projected on them; the cost past that size is the vectorising and the
projection, both linear in the number of sentences.

The TF-IDF matrix stays sparse; the dense arrays are sentences x k (weights)
and k x vocabulary (topic-term matrix), never sentences x vocabulary. Every
random step takes an explicit seed, so results repeat exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.preprocessing import normalize

from framing.measures.terms import DRUG_TERMS, STOP_WORDS, make_vectorizer

__all__ = [
    "NONE",
    "TIE_TOLERANCE",
    "K_RANGE",
    "RESTARTS",
    "MIN_K",
    "sentence_matrix",
    "topic_similarity",
    "stability",
    "select_k",
    "choose_k",
    "TopicModel",
    "fit",
    "fit_chosen",
    "selection_sample",
    "dominant_topic",
    "prevalence",
]

#: Topic index given to a sentence whose topic weights are all ~0.
NONE = -1

#: select_k runs its NMF fits in worker processes from this many sentences up (fewer: starting them costs more).
PARALLEL_ROWS = 1000

#: Stabilities closer than this to the best count as tied in :func:`choose_k`.
TIE_TOLERANCE = 0.005

_NMF_ARGS = dict(max_iter=2000, tol=1e-5)


def sentence_matrix(texts: Sequence[str], min_df: int = 2, drop: Sequence[str] = DRUG_TERMS) -> "tuple[TfidfVectorizer, csr_matrix]":
    """Fit the sentence TF-IDF vectorizer; return (vectorizer, sparse sentences x terms matrix).

    Unigrams, stop words removed. ``min_df=2`` drops words that occur in a
    single sentence: they cannot link sentences into a topic. ``drop`` lists
    further words left out of topics; by default the drug names, which are
    the corpus's search terms (every article is about them) and whose spelling
    mostly tells which source a sentence comes from (shown in the term
    analysis), not what it talks about. Pass ``drop=()`` to keep them.
    """
    stop = sorted(set(STOP_WORDS) | set(drop))
    vec = make_vectorizer(tfidf=True, ngram_range=(1, 1), min_df=min_df, stop_words=stop)
    return vec, vec.fit_transform(texts).tocsr()


def _nmf(k: int, seed: int, init: str) -> NMF:
    return NMF(n_components=k, init=init, random_state=seed, **_NMF_ARGS)


def topic_similarity(h_a: np.ndarray, h_b: np.ndarray) -> float:
    """Mean cosine of two topic-term matrices (k x vocab) after one-to-one best matching."""
    sim = normalize(h_a) @ normalize(h_b).T
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean())


def stability(components: Sequence[np.ndarray]) -> float:
    """Mean :func:`topic_similarity` over all pairs of restarts (1.0 = identical topics every time)."""
    pairs = list(itertools.combinations(range(len(components)), 2))
    if not pairs:
        raise ValueError("stability needs at least two restarts")
    return float(np.mean([topic_similarity(components[a], components[b]) for a, b in pairs]))


def select_k(X, ks: Sequence[int], restarts: int = 10, seed: int = 0, n_jobs: int | None = None) -> pd.DataFrame:
    """Reconstruction error and stability of NMF for each k over ``restarts`` random starts.

    ``X`` is a (sparse) sentence x term matrix. Restart r of every k uses
    ``init="random"`` with random_state ``seed + r``. Returns one row per k:
    k, error (mean Frobenius reconstruction error over restarts), error_min,
    stability (see :func:`stability`), stability_sd (sd of the pairwise
    similarities).

    The fits are independent; with ``n_jobs`` > 1 (default: all cores, see
    :func:`framing._parallel.default_jobs`) and at least :data:`PARALLEL_ROWS` rows they
    run in worker processes (:func:`framing._parallel.map_chunks`). Each fit is seeded, so
    the table is the same either way.
    """
    from framing._parallel import map_chunks

    ks = list(ks)
    jobs = [(X, k, seed + r) for k in ks for r in range(restarts)]
    if X.shape[0] < PARALLEL_ROWS:
        n_jobs = 1
    # one fit per chunk: fits of large k take longer, so workers take them one at a time
    fits = map_chunks(_restarts, jobs, n_jobs=n_jobs, min_items=2, chunks_per_job=max(1, len(jobs)))
    rows = []
    for i, k in enumerate(ks):
        comps = [c for c, _ in fits[i * restarts:(i + 1) * restarts]]
        errs = [e for _, e in fits[i * restarts:(i + 1) * restarts]]
        sims = [topic_similarity(comps[a], comps[b])
                for a, b in itertools.combinations(range(restarts), 2)]
        rows.append((k, float(np.mean(errs)), float(np.min(errs)), float(np.mean(sims)), float(np.std(sims))))
    return pd.DataFrame(rows, columns=["k", "error", "error_min", "stability", "stability_sd"])


def _restarts(jobs) -> list[tuple[np.ndarray, float]]:
    """Random-start NMF fits of :func:`select_k`, one per ``(X, k, seed)``: (topic-term matrix, error)."""
    fits = []
    for X, k, seed in jobs:
        model = _nmf(k, seed, "random").fit(X)
        fits.append((model.components_, model.reconstruction_err_))
    return fits


def choose_k(table: pd.DataFrame, tolerance: float = TIE_TOLERANCE, min_k: int = 2) -> int:
    """The k (at least ``min_k``) with the highest stability; among near-ties, the largest.

    ``table`` is the output of :func:`select_k`. Every k whose stability is
    within ``tolerance`` of the best counts as a tie; preferring the larger k
    keeps distinct topics apart when a coarser split is just as reproducible.
    ``min_k=3`` excludes the two-topic split, which in a corpus about a single
    subject tends to be a trivially stable "subject phrase versus the rest".
    """
    table = table[table["k"] >= min_k]
    if table.empty:
        raise ValueError(f"no k >= {min_k} in the table")
    best = table["stability"].max()
    return int(table.loc[table["stability"] >= best - tolerance, "k"].max())


def dominant_topic(weights: np.ndarray, min_weight: float = 1e-3) -> np.ndarray:
    """Index of each row's largest weight, or :data:`NONE` when that weight is below ``min_weight``."""
    weights = np.asarray(weights)
    top = weights.argmax(axis=1)
    top[weights.max(axis=1) < min_weight] = NONE
    return top


@dataclass
class TopicModel:
    """A fitted sentence topic model (see :func:`fit`).

    vectorizer: the fitted TF-IDF vectorizer. model: the fitted NMF.
    names: one short name per topic (its top three terms joined by " / ").
    terms: long frame topic, name, rank, term, weight (top terms per topic).
    weights: sentences x k topic weights of the training sentences.
    topic: dominant topic of each training sentence (:data:`NONE` if all weights ~0).
    """

    vectorizer: object
    model: NMF
    names: list[str]
    terms: pd.DataFrame
    weights: np.ndarray = field(repr=False)
    topic: np.ndarray = field(repr=False)
    min_weight: float = 1e-3

    @property
    def k(self) -> int:
        return self.model.n_components

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Topic weights (len(texts) x k) of new sentences under the fitted topics."""
        return self.model.transform(self.vectorizer.transform(texts))

    def assign(self, texts: Sequence[str]) -> np.ndarray:
        """Dominant topic index of each sentence, :data:`NONE` (-1) when its weights are all ~0."""
        return dominant_topic(self.transform(texts), self.min_weight)

    def label(self, topics: Sequence[int]) -> list[str]:
        """Topic names for topic indices; "(none)" for :data:`NONE`."""
        return [self.names[t] if t != NONE else "(none)" for t in topics]

    def top_sentences(self, texts: Sequence[str], n: int = 3) -> pd.DataFrame:
        """For each topic, the ``n`` training sentences with the highest weight on it.

        Only sentences whose dominant topic is that topic are eligible. Returns
        topic, name, rank, index (position in ``texts``), weight, text.
        """
        rows = []
        for t in range(self.k):
            idx = np.flatnonzero(self.topic == t)
            order = idx[np.argsort(-self.weights[idx, t], kind="stable")][:n]
            for rank, i in enumerate(order, start=1):
                rows.append((t, self.names[t], rank, int(i), float(self.weights[i, t]), texts[i]))
        return pd.DataFrame(rows, columns=["topic", "name", "rank", "index", "weight", "text"])


def _top_terms(components: np.ndarray, vocab: np.ndarray, n: int) -> pd.DataFrame:
    rows = []
    for t, row in enumerate(components):
        for rank, j in enumerate(np.argsort(-row, kind="stable")[:n], start=1):
            rows.append((t, rank, vocab[j], float(row[j])))
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def fit(texts: Sequence[str], k: int, seed: int = 0, n_terms: int = 10, min_df: int = 2,
        drop: Sequence[str] = DRUG_TERMS, min_weight: float = 1e-3, max_fit: int | None = None) -> TopicModel:
    """Fit NMF with ``k`` topics on the sentences ``texts`` and return a :class:`TopicModel`.

    NMF starts from NNDSVDa (SVD-based, seeded by ``seed``), so the same input
    gives the same topics. ``min_df`` and ``drop`` go to :func:`sentence_matrix`.
    Topics are ordered by how many sentences they
    dominate (largest first), then by index; each is named by its top three terms.

    On more than ``max_fit`` sentences (default :data:`FIT_SAMPLE`), the topic-term matrix is
    learned on a seeded random sample of ``max_fit`` sentences (:func:`selection_sample`) and
    every sentence's weights come from projecting it on those topics (``NMF.transform``, the
    same step that gives the weights of the fitted sentences themselves). The vocabulary is
    always that of all sentences. This keeps the cost of a large corpus linear in its size.
    """
    texts = list(texts)
    max_fit = FIT_SAMPLE if max_fit is None else int(max_fit)
    vec, X = sentence_matrix(texts, min_df=min_df, drop=drop)
    rows = _sample_rows(len(texts), max_fit, seed)
    model = _nmf(k, seed, "nndsvda").fit(X if rows is None else X[rows])
    weights = model.transform(X)
    topic = dominant_topic(weights, min_weight)
    # reorder topics by size so topic 0 is the most common
    sizes = np.array([(topic == t).sum() for t in range(k)])
    order = np.argsort(-sizes, kind="stable")
    model.components_ = model.components_[order]
    weights = weights[:, order]
    topic = dominant_topic(weights, min_weight)
    terms = _top_terms(model.components_, vec.get_feature_names_out(), n_terms)
    names = [" / ".join(terms.loc[terms["topic"] == t, "term"].head(3)) for t in range(k)]
    terms.insert(1, "name", terms["topic"].map(dict(enumerate(names))))
    return TopicModel(vectorizer=vec, model=model, names=names, terms=terms, weights=weights,
                      topic=topic, min_weight=min_weight)


#: At most this many sentences (a seeded random sample) are used to choose k on a large corpus.
K_SAMPLE = 5000
#: At most this many sentences (a seeded random sample) are used to learn the topics in :func:`fit`.
FIT_SAMPLE = 50_000


def selection_sample(texts: Sequence[str], max_n: int = K_SAMPLE, seed: int = 0) -> list[str]:
    """The sentences used to choose k: all of them, or a seeded random sample of ``max_n`` in corpus order."""
    texts = list(texts)
    keep = _sample_rows(len(texts), max_n, seed)
    return texts if keep is None else [texts[i] for i in keep]


def _sample_rows(n: int, max_n: int, seed: int) -> np.ndarray | None:
    """Sorted indices of a seeded random sample of ``max_n`` of ``n`` rows; None when n <= max_n."""
    if n <= max_n:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, size=max_n, replace=False))


#: The numbers of topics :func:`fit_chosen` chooses from, and its random restarts per k.
K_RANGE = range(2, 13)
RESTARTS = 10
#: The smallest k :func:`fit_chosen` takes (a two-topic split is trivially stable).
MIN_K = 3


def fit_chosen(texts: Sequence[str], ks: Sequence[int] = K_RANGE, restarts: int = RESTARTS, seed: int = 0,
               min_k: int = MIN_K, max_sample: int = K_SAMPLE, n_jobs: int | None = None) -> tuple[TopicModel, pd.DataFrame]:
    """Choose k by stability (:func:`select_k`, :func:`choose_k`) and fit that model.

    The project's default choice, as argued in notebook 02: k from 2 to 12, ten restarts, the
    most stable k of at least ``min_k`` (a two-topic split is trivially stable). Returns the
    fitted :class:`TopicModel` and the k-selection table. With fewer sentences than the
    smallest k, or a vocabulary too small for it, k falls to what the data allow. On more than
    ``max_sample`` sentences, k is chosen on a seeded random sample (:func:`selection_sample`);
    the final model is :func:`fit` (which learns its topics on at most :data:`FIT_SAMPLE`).
    ``n_jobs`` goes to :func:`select_k`.
    """
    texts = list(texts)
    _, X = sentence_matrix(selection_sample(texts, max_sample, seed))
    usable = [k for k in ks if k <= min(X.shape)]
    if not usable:
        raise ValueError(f"too few sentences or terms for topics: matrix {X.shape}, k in {list(ks)}")
    table = select_k(X, usable, restarts=restarts, seed=seed, n_jobs=n_jobs)
    k = choose_k(table, min_k=min(min_k, max(usable)))
    return fit(texts, k, seed=seed), table


def prevalence(groups: Sequence[str], topic: Sequence[int], names: Sequence[str]) -> pd.DataFrame:
    """Share of each group's sentences whose dominant topic is each topic (rows sum to 1).

    Rows: sorted groups; columns: the topic names in order, then "(none)" for
    sentences without a topic.
    """
    labels = [names[t] if t != NONE else "(none)" for t in topic]
    table = pd.crosstab(pd.Series(list(groups), name="doc_id"), pd.Series(labels, name="topic"),
                        normalize="index")
    columns = list(names) + ["(none)"]
    return table.reindex(columns=columns, fill_value=0.0).sort_index()
