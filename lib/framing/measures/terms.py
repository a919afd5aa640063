"""Distinctive terms per source and similarity between sources.

Two views of what is distinctive in each source, computed on the same tokens:

* :func:`tfidf_top_terms` -- the terms with the highest TF-IDF weight in each
  source's document vector (each source is one document).
* :func:`log_odds_terms` -- the log-odds ratio with an informative Dirichlet
  prior, reported as z-scores (Monroe, Colaresi & Quinn 2008, "Fightin'
  Words", Political Analysis 16:372), each source against all other sources
  pooled. The core formula is :func:`log_odds_z`.

Tokens: lower-cased runs of two or more letters (hyphens and apostrophes split
words, so "ketamine's" counts as "ketamine"), unigrams and bigrams, scikit-learn's
English stop-word list removed before bigrams are formed. The drug names
(ketamine, esketamine, Spravato and their variants) are never stop words and are
never merged: each spelling stays visible as its own term.

Everything stays sparse: document-term matrices are ``scipy.sparse`` and only
vectors of vocabulary length (one group at a time) or documents x documents
similarity matrices are dense.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from numpy.typing import ArrayLike
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import (ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer,
                                             TfidfVectorizer)
from sklearn.preprocessing import normalize

__all__ = [
    "DRUG_TERMS",
    "Distinctive",
    "distinctive",
    "STOP_WORDS",
    "TOKEN_PATTERN",
    "make_vectorizer",
    "tfidf_top_terms",
    "log_odds_z",
    "log_odds_terms",
    "cosine_similarity",
    "term_groups",
    "SimilaritySummary",
    "similarity_summary",
]

#: Drug-name spellings that must stay visible as terms (never stop words, never merged).
DRUG_TERMS = frozenset({"ketamine", "esketamine", "epsketamine", "spravato", "arketamine", "norketamine"})

#: scikit-learn's English stop words; none of the drug names is among them.
STOP_WORDS = sorted(ENGLISH_STOP_WORDS - DRUG_TERMS)

#: Two or more letters; digits, hyphens and apostrophes end a token.
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"


def make_vectorizer(tfidf: bool = True, ngram_range: tuple[int, int] = (1, 2), min_df: int | float = 1, max_df: int | float = 1.0, **kwargs: object) -> "TfidfVectorizer | CountVectorizer":
    """A scikit-learn vectorizer with the project's tokens and stop words.

    ``tfidf=True`` gives a :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
    (smooth idf, l2-normalised rows), otherwise a
    :class:`~sklearn.feature_extraction.text.CountVectorizer`. Further keyword
    arguments go to the vectorizer (``stop_words`` replaces the default
    :data:`STOP_WORDS`). Both return sparse matrices.
    """
    cls = TfidfVectorizer if tfidf else CountVectorizer
    kwargs.setdefault("stop_words", STOP_WORDS)
    return cls(lowercase=True, token_pattern=TOKEN_PATTERN,
               ngram_range=ngram_range, min_df=min_df, max_df=max_df, **kwargs)


def _top_of_row(values: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n largest values, ties broken by index (stable)."""
    order = np.argsort(-values, kind="stable")
    return order[:n]


def _membership(groups: Sequence[str], labels: Sequence[str]) -> sparse.csr_matrix:
    """Sparse groups x texts indicator matrix (row g has 1 for each text of group labels[g])."""
    row = {g: i for i, g in enumerate(labels)}
    return sparse.csr_matrix((np.ones(len(groups)), ([row[g] for g in groups], np.arange(len(groups)))),
                             shape=(len(labels), len(groups)))


def tfidf_top_terms(texts: Sequence[str], doc_ids: Sequence[str], n: int = 10,
                    ngram_range: tuple[int, int] = (1, 2), groups: Sequence[str] | None = None) -> pd.DataFrame:
    """The ``n`` highest-weighted TF-IDF terms of each document.

    Each text is one document (one source). Returns a long frame with columns
    doc_id, rank (1 = highest), term, tfidf, count (raw count of the term in
    that document). Ties are broken alphabetically. With ``groups`` (one label
    per text, e.g. the outlet), each group is one document: its texts' term
    counts are summed (no phrase spans two texts), the idf is over groups, and
    the doc_id column holds the sorted group labels.
    """
    if groups is None:
        vec = make_vectorizer(tfidf=True, ngram_range=ngram_range)
        weights = vec.fit_transform(texts).tocsr()
        counts = make_vectorizer(tfidf=False, ngram_range=ngram_range,
                                 vocabulary=vec.vocabulary_).transform(texts).tocsr()
    else:
        groups = list(groups)
        doc_ids = sorted(set(groups))
        vec = make_vectorizer(tfidf=False, ngram_range=ngram_range)
        counts = (_membership(groups, doc_ids) @ vec.fit_transform(texts)).tocsr()
        counts.eliminate_zeros()
        weights = TfidfTransformer().fit_transform(counts).tocsr()
    # same non-zero pattern in both; with sorted indices, ties in the stable ranking go alphabetically
    weights.sort_indices()
    counts.sort_indices()
    vocab = vec.get_feature_names_out()
    rows = []
    for i, doc_id in enumerate(doc_ids):
        lo, hi = weights.indptr[i], weights.indptr[i + 1]
        idx, val, cnt = weights.indices[lo:hi], weights.data[lo:hi], counts.data[lo:hi]
        for rank, j in enumerate(_top_of_row(val, n), start=1):
            rows.append((doc_id, rank, vocab[idx[j]], float(val[j]), int(cnt[j])))
    return pd.DataFrame(rows, columns=["doc_id", "rank", "term", "tfidf", "count"])


def log_odds_z(y_i: ArrayLike, y_j: ArrayLike, alpha: ArrayLike) -> np.ndarray:
    """Log-odds ratio with a Dirichlet prior, as z-scores (Monroe et al. 2008, eq. 16-22).

    ``y_i`` and ``y_j`` are term counts of the focus group and of the comparison
    group, ``alpha`` the prior pseudo-counts per term (same length, all > 0).
    With ``n = sum(y)`` and ``a0 = sum(alpha)``::

        delta_w = log((y_i + a) / (n_i + a0 - y_i - a)) - log((y_j + a) / (n_j + a0 - y_j - a))
        var_w  ~= 1 / (y_i + a) + 1 / (y_j + a)
        z_w     = delta_w / sqrt(var_w)

    Positive z: the term is more typical of group i than of group j.
    """
    y_i = np.asarray(y_i, dtype=float)
    y_j = np.asarray(y_j, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    if np.any(alpha <= 0):
        raise ValueError("every prior pseudo-count must be positive")
    a0 = alpha.sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = (np.log((y_i + alpha) / (n_i + a0 - y_i - alpha))
             - np.log((y_j + alpha) / (n_j + a0 - y_j - alpha)))
    var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    return delta / np.sqrt(var)


def log_odds_terms(texts: Sequence[str], doc_ids: Sequence[str], groups: Sequence[str] | None = None,
                   n: int = 10, alpha0: float | None = None, ngram_range: tuple[int, int] = (1, 2)) -> pd.DataFrame:
    """Most distinctive terms of each group against all other groups pooled.

    ``groups`` gives each text's group (default: its doc_id, i.e. each source
    against the rest). The informative prior is the whole corpus's term
    distribution scaled to ``alpha0`` pseudo-counts; ``alpha0=None`` uses the
    corpus's own total count, so each term's prior equals its corpus count
    (the usual "Fightin' Words" choice). Returns a long frame with columns
    group, rank, term, z, count (count in the group), count_rest, sorted by
    group and descending z (ties alphabetically); only the top ``n`` per group.
    """
    groups = list(doc_ids if groups is None else groups)
    vec = make_vectorizer(tfidf=False, ngram_range=ngram_range)
    counts = vec.fit_transform(texts).tocsr()
    vocab = vec.get_feature_names_out()
    labels = sorted(set(groups))
    member = _membership(groups, labels)
    by_group = (member @ counts).tocsr()  # groups x vocab, sparse
    total = np.asarray(by_group.sum(axis=0)).ravel()
    scale = 1.0 if alpha0 is None else alpha0 / total.sum()
    alpha = total * scale
    rows = []
    for g, label in enumerate(labels):
        y_i = by_group.getrow(g).toarray().ravel()
        y_j = total - y_i
        z = log_odds_z(y_i, y_j, alpha)
        for rank, j in enumerate(_top_of_row(z, n), start=1):
            rows.append((label, rank, vocab[j], float(z[j]), int(y_i[j]), int(y_j[j])))
    return pd.DataFrame(rows, columns=["group", "rank", "term", "z", "count", "count_rest"])


def cosine_similarity(texts: Sequence[str], doc_ids: Sequence[str], groups: Sequence[str] | None = None,
                      ngram_range: tuple[int, int] = (1, 2)) -> pd.DataFrame:
    """Cosine similarity of TF-IDF vectors, as a labelled square frame.

    Without ``groups``: one row and column per text, labelled by ``doc_ids``.
    With ``groups`` (one label per text, e.g. the outlet): each group's vector
    is the sum of its texts' l2-normalised TF-IDF rows (the direction of their
    centroid), and the frame is groups x groups (sorted labels). Computed as a
    sparse product; only the square result is dense, so on a large corpus
    pass ``groups`` to keep it small.
    """
    weights = make_vectorizer(tfidf=True, ngram_range=ngram_range).fit_transform(texts).tocsr()
    if groups is None:
        names = list(doc_ids)
    else:
        groups = list(groups)
        names = sorted(set(groups))
        member = _membership(groups, names)
        weights = normalize(member @ weights)
    sim = (weights @ weights.T).toarray()
    np.fill_diagonal(sim, 1.0)
    return pd.DataFrame(sim, index=names, columns=names)


def term_groups(doc_ids: Sequence[str], sizes: Sequence[int], outlets: Sequence[str] | None = None,
                max_groups: int = 12, other: str = "(other sources)") -> tuple[list[str], str]:
    """The groups whose distinctive terms a figure can show: (one group label per doc_id, how).

    * ``"source"``: at most ``max_groups`` sources, each its own group.
    * ``"outlet"``: more sources, but ``outlets`` names every source's outlet
      (no blank) and there are 2 to ``max_groups`` outlets: the outlet is the group.
    * ``"top"``: otherwise the ``max_groups`` largest sources (``sizes``, e.g.
      words; ties by doc_id) keep their own group and all others share the
      group ``other``, so each top source is still compared with the whole rest
      of the corpus.
    """
    doc_ids = list(doc_ids)
    if len(sizes) != len(doc_ids) or (outlets is not None and len(outlets) != len(doc_ids)):
        raise ValueError("doc_ids, sizes and outlets must have the same length")
    if len(set(doc_ids)) <= max_groups:
        return doc_ids, "source"
    if outlets is not None:
        names = [str(o).strip() if o is not None and not pd.isna(o) else "" for o in outlets]
        if all(names) and 2 <= len(set(names)) <= max_groups:
            return names, "outlet"
    order = sorted(range(len(doc_ids)), key=lambda i: (-sizes[i], doc_ids[i]))
    top = {doc_ids[i] for i in order[:max_groups]}
    return [d if d in top else other for d in doc_ids], "top"


@dataclass(frozen=True)
class SimilaritySummary:
    """Pairwise cosine similarities summarised without a sources x sources matrix.

    histogram: one row per bin (left, right, pairs) over [0, 1], each unordered
    pair of different sources counted once. nearest: one row per source
    (doc_id, nearest, cosine), its most similar other source. top: the most
    similar pairs (a, b, cosine), a < b. n_pairs and mean over all pairs.
    """

    histogram: pd.DataFrame
    nearest: pd.DataFrame
    top: pd.DataFrame
    n_pairs: int
    mean: float


def similarity_summary(texts: Sequence[str], doc_ids: Sequence[str], top: int = 10, bins: int = 50,
                       block: int = 512, ngram_range: tuple[int, int] = (1, 2)) -> SimilaritySummary:
    """The distribution of TF-IDF cosine similarities between sources, their nearest neighbours and top pairs.

    Same vectors as :func:`cosine_similarity`, computed ``block`` rows at a
    time: memory is block x sources, never sources x sources, so it works for
    any number of sources. Ties in the top pairs go by doc_id.
    """
    doc_ids = list(doc_ids)
    if len(doc_ids) < 2:
        raise ValueError("similarity needs at least two sources")
    weights = make_vectorizer(tfidf=True, ngram_range=ngram_range).fit_transform(texts).tocsr()
    n = len(doc_ids)
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts = np.zeros(bins, dtype=np.int64)
    best_j = np.zeros(n, dtype=np.int64)
    best = np.full(n, -np.inf)
    cand_i, cand_j, cand_v = [], [], []
    total = 0.0
    for lo in range(0, n, block):
        hi = min(lo + block, n)
        sim = (weights[lo:hi] @ weights.T).toarray()
        rows = np.arange(lo, hi)
        sim[rows - lo, rows] = -np.inf  # a source is not its own neighbour
        j = np.argmax(sim, axis=1)  # first (lowest index) maximum on ties
        best_j[lo:hi], best[lo:hi] = j, sim[rows - lo, j]
        upper = np.triu_indices(hi - lo, k=1, m=n - lo)  # pairs i < j within this block's rows
        vals = sim[:, lo:][upper]
        counts += np.histogram(np.clip(vals, 0.0, 1.0), bins=edges)[0]
        total += float(vals.sum())
        keep = np.argsort(-vals, kind="stable")[:top]
        cand_i.append(upper[0][keep] + lo)
        cand_j.append(upper[1][keep] + lo)
        cand_v.append(vals[keep])
    ci, cj, cv = (np.concatenate(x) for x in (cand_i, cand_j, cand_v))
    top_frame = pd.DataFrame({"a": [doc_ids[i] for i in ci], "b": [doc_ids[j] for j in cj], "cosine": cv})
    swap = top_frame["a"] > top_frame["b"]
    top_frame.loc[swap, ["a", "b"]] = top_frame.loc[swap, ["b", "a"]].to_numpy()
    top_frame = (top_frame.sort_values(["cosine", "a", "b"], ascending=[False, True, True], kind="stable")
                 .head(top).reset_index(drop=True))
    n_pairs = n * (n - 1) // 2
    return SimilaritySummary(
        histogram=pd.DataFrame({"left": edges[:-1], "right": edges[1:], "pairs": counts}),
        nearest=pd.DataFrame({"doc_id": doc_ids, "nearest": [doc_ids[j] for j in best_j], "cosine": best}),
        top=top_frame, n_pairs=n_pairs, mean=total / n_pairs)


@dataclass(frozen=True)
class Distinctive:
    """Distinctive terms of the sources, or of at most twelve groups of them (:func:`distinctive`).

    grouping: "source" (each source its own group), "outlet" (the manifest's outlets) or "top"
    (the longest sources, each against the rest pooled). shown: the groups drawn, in order.
    names: group -> display name. tfidf: top TF-IDF terms per group (doc_id column = group).
    log_odds: top log-odds terms per group (group column). all_log_odds: every term of every
    source's log-odds list (grouping "source" only, else None). n_terms: terms per group.
    """

    grouping: str
    shown: list
    names: dict
    tfidf: pd.DataFrame
    log_odds: pd.DataFrame
    all_log_odds: pd.DataFrame | None
    n_terms: int


def distinctive(texts: Sequence[str], doc_ids: Sequence[str], words: Sequence[int], outlets: Sequence[str] | None,
                labels: dict, n: int = 8, max_groups: int = 12) -> Distinctive:
    """TF-IDF and log-odds distinctive terms of each source, or of at most ``max_groups`` groups.

    Up to ``max_groups`` sources, every source against the others; beyond, the outlets when the
    manifest names 2 to ``max_groups`` of them for every source, else the ``max_groups``
    longest sources (``words``: their lengths), each against all other sources pooled
    (:func:`term_groups`).
    """
    texts, doc_ids = list(texts), list(doc_ids)
    group, grouping = term_groups(doc_ids, list(words), None if outlets is None else list(outlets), max_groups=max_groups)
    if grouping == "source":
        all_terms = log_odds_terms(texts, doc_ids, n=1_000_000)
        return Distinctive("source", doc_ids, {d: labels.get(d, d) for d in doc_ids},
                           tfidf_top_terms(texts, doc_ids, n=n), all_terms[all_terms["rank"] <= n], all_terms, n)
    shown = sorted(set(group) - {"(other sources)"})
    if grouping == "top":
        length = dict(zip(doc_ids, words))
        shown = sorted(shown, key=lambda d: -length[d])
    tfidf = tfidf_top_terms(texts, doc_ids, n=n, groups=group if grouping == "outlet" else None)
    odds = log_odds_terms(texts, doc_ids, groups=group, n=n)
    return Distinctive(grouping, shown, {g: labels.get(g, g) for g in shown},
                       tfidf[tfidf["doc_id"].isin(shown)], odds[odds["group"].isin(shown)], None, n)
