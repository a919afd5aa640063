"""Topics of sentences: NMF on sentence-level TF-IDF, with k chosen by stability.

Sentences are the documents (a handful of articles is far too few for
document-level topics). The steps:

1. :func:`select_k` measures, for each k in a range, how reproducible the topics are, following
   Greene, O'Callaghan & Cunningham (2014): NMF is fitted on all sentences (the reference) and
   on :data:`SUBSAMPLES` seeded random samples of :data:`SUBSAMPLE_FRACTION` of them; each
   sample's topics are matched one-to-one to the reference's (Hungarian matching) by the
   average Jaccard agreement of their top :data:`TOP_TERMS` terms, and the stability of k is
   the mean agreement over samples. :func:`choose_k` picks the most stable k among those with
   at least :data:`MIN_SENTENCES_PER_TOPIC` sentences per topic.
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
    from collections.abc import Callable

    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF

from framing.measures.terms import DRUG_TERMS, STOP_WORDS, make_vectorizer

__all__ = [
    "NONE",
    "K_RANGE",
    "SUBSAMPLES",
    "SUBSAMPLE_FRACTION",
    "TOP_TERMS",
    "MIN_SENTENCES_PER_TOPIC",
    "MIN_K",
    "sentence_matrix",
    "average_jaccard",
    "topic_agreement",
    "select_k",
    "choose_k",
    "TopicModel",
    "fit",
    "fit_chosen",
    "chosen_k",
    "fit_nmf",
    "reach",
    "project",
    "finish",
    "topic_order",
    "topic_sizes",
    "PROJECT_ROWS",
    "sentence_analyzer",
    "tfidf_from_counts",
    "selection_sample",
    "sample_rows",
    "dominant_topic",
    "topic_labels",
    "prevalence",
]

#: Topic index given to a sentence whose topic weights are all ~0.
NONE = -1

#: select_k runs its NMF fits in worker processes from this many sentences up (fewer: starting them costs more).
PARALLEL_ROWS = 1000

_NMF_ARGS = dict(max_iter=2000, tol=1e-5)
#: The k-selection fits stop earlier: only their top terms are used (the stabilities differ
#: from those of the final fit's tolerance by at most 0.002 on the NYT corpus).
_SELECT_NMF_ARGS = dict(max_iter=2000, tol=1e-4)
#: On a corpus larger than :data:`K_SAMPLE` sentences (k chosen on a sample) the k-selection
#: fits stop at this tolerance instead: about 35% less time (121 fits on 5,000 sentences), the
#: same k on the NYT editorials, the bench corpus and the coded units, with stabilities within
#: 0.03 (``tests/test_topics.py``). Corpora of up to K_SAMPLE sentences, the seeds among them,
#: keep the tolerance above, so their tables do not change.
SAMPLE_SELECT_TOL = 1e-3

#: Greene et al. (2014)'s settings: samples per k, share of the sentences in each, top terms compared.
SUBSAMPLES = 10
SUBSAMPLE_FRACTION = 0.8
TOP_TERMS = 20
#: A k is eligible only with at least this many sentences per topic on average.
MIN_SENTENCES_PER_TOPIC = 20


def sentence_matrix(texts: Sequence[str], min_df: int = 2, drop: Sequence[str] = DRUG_TERMS) -> "tuple[TfidfVectorizer, csr_matrix]":
    """Fit the sentence TF-IDF vectorizer; return (vectorizer, sparse sentences x terms matrix).

    Unigrams, stop words removed. ``min_df=2`` drops words that occur in a
    single sentence: they cannot link sentences into a topic. ``drop`` lists
    further words left out of topics; by default the drug names, which are
    the corpus's search terms (every article is about them) and whose spelling
    mostly tells which source a sentence comes from (shown in the term
    analysis), not what it talks about. Pass ``drop=()`` to keep them.

    The sentences are tokenised once (a float64 count matrix, as inside ``TfidfVectorizer``);
    the vectorizer returned is :func:`tfidf_from_counts` of their document frequencies, and the
    matrix is exactly what its ``transform`` gives for the same sentences, in one batch or in
    any blocks of rows (tested): the Dask engine vectorises block by block and gets the same numbers.
    """
    from scipy.sparse import csr_matrix

    counter = make_vectorizer(tfidf=False, ngram_range=(1, 1), min_df=min_df, stop_words=_stop_words(drop),
                              dtype=np.float64)
    counts = csr_matrix(counter.fit_transform(texts))
    counts.sort_indices()  # the order transform() gives, so that rows sum their squares alike
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    vec = tfidf_from_counts(counter.get_feature_names_out(), df, counts.shape[0], drop=drop)
    return vec, _tfidf_of_counts(vec, counts)


def _stop_words(drop: Sequence[str]) -> list[str]:
    return sorted(set(STOP_WORDS) | set(drop))


def sentence_analyzer(drop: Sequence[str] = DRUG_TERMS) -> "Callable[[str], list[str]]":
    """The tokeniser of :func:`sentence_matrix` (lower-cased unigrams, stop words and ``drop`` removed)."""
    return make_vectorizer(tfidf=False, ngram_range=(1, 1), stop_words=_stop_words(drop)).build_analyzer()


def tfidf_from_counts(vocabulary: Sequence[str], df: Sequence[int], n: int, drop: Sequence[str] = DRUG_TERMS) -> "TfidfVectorizer":
    """The fitted TF-IDF vectorizer of :func:`sentence_matrix` from its sufficient statistics:
    the sorted ``vocabulary``, each term's document frequency ``df`` and the number of sentences
    ``n`` (smooth idf, ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it). Document
    frequencies add up over parts of a corpus, so they can be counted part by part."""
    vocabulary = [str(w) for w in vocabulary]
    if vocabulary != sorted(vocabulary):
        raise ValueError("the vocabulary must be sorted")
    vec = make_vectorizer(tfidf=True, ngram_range=(1, 1), stop_words=_stop_words(drop),
                          vocabulary={w: i for i, w in enumerate(vocabulary)})
    df = np.asarray(df, dtype=np.float64)
    vec.idf_ = np.log((n + 1) / (df + 1)) + 1
    return vec


def _tfidf_of_counts(vec: "TfidfVectorizer", counts: csr_matrix) -> csr_matrix:
    """``vec.transform`` of the sentences whose (sorted, float64) term counts are ``counts``."""
    from sklearn.feature_extraction.text import TfidfTransformer

    weigh = TfidfTransformer(norm=vec.norm, use_idf=True, smooth_idf=vec.smooth_idf, sublinear_tf=vec.sublinear_tf)
    weigh.idf_ = vec.idf_
    weigh.n_features_in_ = counts.shape[1]
    return weigh.transform(counts, copy=False)


@contextmanager
def _quiet_nmf() -> Iterator[None]:
    """No console noise from NMF fits: on tiny corpora (a few dozen sentences) the fits stop at their
    iteration cap (ConvergenceWarning) and scikit-learn's error step takes the square root of a
    rounding residue below zero (RuntimeWarning); neither changes a number reported."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        warnings.filterwarnings("ignore", message="invalid value encountered in sqrt", category=RuntimeWarning)
        yield


def _nmf(k: int, seed: int, init: str) -> NMF:
    return NMF(n_components=k, init=init, random_state=seed, **_NMF_ARGS)


def average_jaccard(a: Sequence, b: Sequence) -> float:
    """Average Jaccard agreement of two ranked lists: the mean over depths d = 1..len of the
    Jaccard index of their first d items (Greene, O'Callaghan & Cunningham 2014)."""
    if len(a) != len(b) or not len(a):
        raise ValueError("ranked lists must be non-empty and of equal length")
    return float(np.mean([len(set(a[:d]) & set(b[:d])) / len(set(a[:d]) | set(b[:d])) for d in range(1, len(a) + 1)]))


def topic_agreement(terms_a: Sequence[Sequence], terms_b: Sequence[Sequence]) -> float:
    """Agreement of two topic models given as top-term lists (k lists each): the mean
    :func:`average_jaccard` of the topics after one-to-one best matching (Hungarian)."""
    sim = np.array([[average_jaccard(a, b) for b in terms_b] for a in terms_a])
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean())


def _top_indices(components: np.ndarray, n: int) -> list[list[int]]:
    return [list(np.argsort(-row, kind="stable")[:n]) for row in components]


def select_k(X: csr_matrix | np.ndarray, ks: Sequence[int], subsamples: int = SUBSAMPLES, fraction: float = SUBSAMPLE_FRACTION,
             top_terms: int = TOP_TERMS, seed: int = 0, n_jobs: int | None = None, tol: float | None = None) -> pd.DataFrame:
    """Stability of the topics for each k (Greene, O'Callaghan & Cunningham 2014).

    ``X`` is a (sparse) sentence x term matrix. For each k, NMF (NNDSVDa start, ``seed``) is
    fitted on all rows (the reference) and on ``subsamples`` random samples of ``fraction``
    of the rows (sample s drawn with seed ``seed + s``, the same samples for every k). The
    agreement of a sample's model with the reference is :func:`topic_agreement` of their
    top ``top_terms`` terms. Returns one row per k: k, error (the reference fit's Frobenius
    reconstruction error), stability (mean agreement over samples), stability_sd, and
    sentences_per_topic (rows / k).

    The fits are independent; with ``n_jobs`` > 1 (default: all cores) and at least
    :data:`PARALLEL_ROWS` rows they run in worker processes; the table is the same either way.
    ``tol``: the NMF fits' stopping tolerance (default that of ``_SELECT_NMF_ARGS``).
    """
    from framing._parallel import map_chunks

    ks = list(ks)
    n = X.shape[0]
    top_terms = min(top_terms, X.shape[1])
    size = max(1, int(round(fraction * n)))
    samples = [None] + [np.sort(np.random.default_rng(seed + s).choice(n, size=size, replace=False))
                        for s in range(subsamples)]
    tol = _SELECT_NMF_ARGS["tol"] if tol is None else float(tol)
    jobs = [(X, rows, k, seed, top_terms, tol) for k in ks for rows in samples]
    if n < PARALLEL_ROWS:
        n_jobs = 1
    # one fit per chunk: fits of large k take longer, so workers take them one at a time
    fits = map_chunks(_selection_fits, jobs, n_jobs=n_jobs, min_items=2, chunks_per_job=max(1, len(jobs)))
    rows_out = []
    per_k = len(samples)
    for i, k in enumerate(ks):
        (reference, error), others = fits[i * per_k], fits[i * per_k + 1:(i + 1) * per_k]
        agreement = [topic_agreement(reference, terms) for terms, _ in others]
        rows_out.append((k, float(error), float(np.mean(agreement)), float(np.std(agreement)), n / k))
    return pd.DataFrame(rows_out, columns=["k", "error", "stability", "stability_sd", "sentences_per_topic"])


def _selection_fits(jobs: list[tuple[csr_matrix | np.ndarray, np.ndarray | None, int, int, int, float]]
                    ) -> list[tuple[list[list[int]], float]]:
    """NMF fits of :func:`select_k`, one per ``(X, rows, k, seed, top_terms, tol)``: (top term indices, error)."""
    fits = []
    for X, rows, k, seed, top_terms, tol in jobs:
        data = X if rows is None else X[rows]
        # NNDSVDa needs k <= min(rows, terms); a sample of a tiny corpus can be smaller than that
        init = "nndsvda" if k <= min(data.shape) else "random"
        model = NMF(n_components=k, init=init, random_state=seed, **{**_SELECT_NMF_ARGS, "tol": tol})
        with _quiet_nmf():
            model.fit(data)
        fits.append((_top_indices(model.components_, top_terms), model.reconstruction_err_))
    return fits


def choose_k(table: pd.DataFrame, min_k: int = 2, min_sentences: float = MIN_SENTENCES_PER_TOPIC) -> int:
    """The most stable k of ``table`` (:func:`select_k`) with k >= ``min_k`` and at least
    ``min_sentences`` sentences per topic; exact ties go to the smaller k. When no k has that
    many sentences per topic, the smallest k of at least ``min_k`` (the table says so)."""
    table = table[table["k"] >= min_k]
    if table.empty:
        raise ValueError(f"no k >= {min_k} in the table")
    eligible = table[table["sentences_per_topic"] >= min_sentences]
    if eligible.empty:
        return int(table["k"].min())
    best = eligible["stability"].max()
    return int(eligible.loc[eligible["stability"] == best, "k"].min())


def topic_labels(names: Sequence[str], topics: Sequence[int]) -> list[str]:
    """The name of each topic index (``names[t]``); "(none)" for :data:`NONE`."""
    return [names[t] if t != NONE else "(none)" for t in topics]


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
        return topic_labels(self.names, topics)

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
    same step that gives the weights of the fitted sentences themselves), in blocks of
    :data:`PROJECT_ROWS` sentences (:func:`project`). The vocabulary is always that of all
    sentences. This keeps the cost of a large corpus linear in its size.
    """
    texts = list(texts)
    max_fit = FIT_SAMPLE if max_fit is None else int(max_fit)
    vec, X = sentence_matrix(texts, min_df=min_df, drop=drop)
    rows = sample_rows(len(texts), max_fit, seed)
    model = fit_nmf(X if rows is None else X[rows], k, seed)
    return finish(vec, model, project(model, X), n_terms=n_terms, min_weight=min_weight)


#: :func:`project` gives the sentences their topic weights this many at a time. ``NMF.transform``
#: starts from the block's mean and stops when the whole block has converged, so the weights can
#: depend on the blocks (in their last digits): they are fixed blocks of the corpus's sentences, the
#: same whichever engine runs.
PROJECT_ROWS = 50_000


def fit_nmf(X: csr_matrix, k: int, seed: int = 0) -> NMF:
    """The NMF of :func:`fit` (NNDSVDa start, ``seed``) fitted on the TF-IDF rows ``X``.

    Its topic-term matrix is stored in C order: scikit-learn leaves it a transposed view, which
    pickling (sending the model to another process) turns into C order, and ``NMF.transform``'s
    matrix products round differently for the two layouts of the same numbers, so the weights
    would depend on the process that projects."""
    with _quiet_nmf():
        model = _nmf(k, seed, "nndsvda").fit(X)
    model.components_ = np.ascontiguousarray(model.components_)
    return model


def project(model: NMF, X: csr_matrix, rows: int | None = None) -> np.ndarray:
    """Topic weights of the TF-IDF rows ``X`` under ``model``, in blocks of ``rows`` rows (the
    first block starts at row 0; default :data:`PROJECT_ROWS`)."""
    rows = PROJECT_ROWS if rows is None else int(rows)
    with _quiet_nmf():
        blocks = [model.transform(X[start:start + rows]) for start in range(0, X.shape[0], rows)]
    return np.vstack(blocks) if blocks else np.zeros((0, model.n_components))


def topic_order(sizes: Sequence[int]) -> np.ndarray:
    """Topics ordered by the number of sentences they dominate (largest first, ties by index)."""
    return np.argsort(-np.asarray(sizes), kind="stable")


def topic_sizes(weights: np.ndarray, k: int, min_weight: float = 1e-3) -> np.ndarray:
    """How many of the sentences (rows of ``weights``) each of the ``k`` topics dominates."""
    topic = dominant_topic(weights, min_weight)
    return np.bincount(topic[topic != NONE], minlength=k)


def finish(vec: "TfidfVectorizer", model: NMF, weights: np.ndarray | None, n_terms: int = 10,
           min_weight: float = 1e-3, sizes: Sequence[int] | None = None) -> TopicModel:
    """The :class:`TopicModel` of a fitted NMF and the sentences' ``weights``: topics reordered
    by size (:func:`topic_order`), named by their top three terms. ``weights=None`` with the
    topic ``sizes`` given: a model without the per-sentence arrays (the Dask engine keeps
    them on disk, block by block)."""
    k = model.n_components
    order = topic_order(topic_sizes(weights, k, min_weight) if sizes is None else sizes)
    model.components_ = model.components_[order]
    if weights is None:
        weights = np.zeros((0, k))
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
    keep = sample_rows(len(texts), max_n, seed)
    return texts if keep is None else [texts[i] for i in keep]


def sample_rows(n: int, max_n: int, seed: int) -> np.ndarray | None:
    """Sorted indices of a seeded random sample of ``max_n`` of ``n`` rows; None when n <= max_n."""
    if n <= max_n:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, size=max_n, replace=False))


#: The numbers of topics :func:`fit_chosen` chooses from.
K_RANGE = range(2, 13)
#: The smallest k :func:`fit_chosen` takes: on the seeds and on the NYT editorials alike, k = 2
#: is the most stable split of all (frequent, generic words against the rest), and says
#: nothing about subjects.
MIN_K = 3


def fit_chosen(texts: Sequence[str], ks: Sequence[int] = K_RANGE, subsamples: int = SUBSAMPLES, seed: int = 0,
               min_k: int = MIN_K, max_sample: int | None = None, n_jobs: int | None = None) -> tuple[TopicModel, pd.DataFrame]:
    """Choose k by stability (:func:`select_k`, :func:`choose_k`) and fit that model.

    The project's default choice, as argued in notebook 02: k from 2 to 12, the most stable k
    of at least ``min_k`` with :data:`MIN_SENTENCES_PER_TOPIC` sentences per topic. Returns
    the fitted :class:`TopicModel` and the k-selection table. With a vocabulary or a corpus
    too small for the range, k falls to what the data allow. On more than ``max_sample``
    (default :data:`K_SAMPLE`) sentences, k is chosen on a seeded random sample (:func:`selection_sample`); the final
    model is :func:`fit` (which learns its topics on at most :data:`FIT_SAMPLE`). ``n_jobs``
    goes to :func:`select_k`.
    """
    texts = list(texts)
    max_sample = K_SAMPLE if max_sample is None else int(max_sample)
    k, table = chosen_k(selection_sample(texts, max_sample, seed), ks=ks, subsamples=subsamples, seed=seed,
                        min_k=min_k, n_jobs=n_jobs, sampled=len(texts) > max_sample)
    return fit(texts, k, seed=seed), table


def chosen_k(sample: Sequence[str], ks: Sequence[int] = K_RANGE, subsamples: int = SUBSAMPLES, seed: int = 0,
             min_k: int = MIN_K, n_jobs: int | None = None, sampled: bool = False) -> tuple[int, pd.DataFrame]:
    """The k :func:`fit_chosen` takes, and its k-selection table, from the sentences ``sample``
    (:func:`selection_sample` of the corpus); ``sampled``: the corpus was larger than the sample,
    so the fits stop at :data:`SAMPLE_SELECT_TOL`."""
    _, X = sentence_matrix(sample)
    usable = [k for k in ks if k <= min(X.shape)]
    if not usable:
        raise ValueError(f"too few sentences or terms for topics: matrix {X.shape}, k in {list(ks)}")
    table = select_k(X, usable, subsamples=subsamples, seed=seed, n_jobs=n_jobs,
                     tol=SAMPLE_SELECT_TOL if sampled else None)
    return choose_k(table, min_k=min(min_k, max(usable))), table


def prevalence(groups: Sequence[str], topic: Sequence[int], names: Sequence[str]) -> pd.DataFrame:
    """Share of each group's sentences whose dominant topic is each topic (rows sum to 1).

    Rows: sorted groups; columns: the topic names in order, then "(none)" for
    sentences without a topic.
    """
    table = pd.crosstab(pd.Series(list(groups), name="doc_id"), pd.Series(topic_labels(names, topic), name="topic"),
                        normalize="index")
    columns = list(names) + ["(none)"]
    return table.reindex(columns=columns, fill_value=0.0).sort_index()


def reach(prev: pd.DataFrame) -> tuple[pd.Series, int, str]:
    """How far the topics of a :func:`prevalence` table spread: in how many groups (rows) each topic
    occurs ("(none)" left out), how many topics occur in every group, and the topic found in the
    fewest groups (the first in column order on a tie)."""
    n_groups = (prev.drop(columns=["(none)"], errors="ignore") > 0).sum()
    return n_groups, int((n_groups == len(prev)).sum()), n_groups.idxmin()
