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

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

__all__ = [
    "DRUG_TERMS",
    "STOP_WORDS",
    "TOKEN_PATTERN",
    "make_vectorizer",
    "tfidf_top_terms",
    "log_odds_z",
    "log_odds_terms",
    "cosine_similarity",
]

#: Drug-name spellings that must stay visible as terms (never stop words, never merged).
DRUG_TERMS = frozenset({"ketamine", "esketamine", "epsketamine", "spravato", "arketamine", "norketamine"})

#: scikit-learn's English stop words; none of the drug names is among them.
STOP_WORDS = sorted(ENGLISH_STOP_WORDS - DRUG_TERMS)

#: Two or more letters; digits, hyphens and apostrophes end a token.
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"


def make_vectorizer(tfidf: bool = True, ngram_range=(1, 2), min_df=1, max_df=1.0, **kwargs):
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
                    ngram_range=(1, 2)) -> pd.DataFrame:
    """The ``n`` highest-weighted TF-IDF terms of each document.

    Each text is one document (one source). Returns a long frame with columns
    doc_id, rank (1 = highest), term, tfidf, count (raw count of the term in
    that document). Ties are broken alphabetically.
    """
    vec = make_vectorizer(tfidf=True, ngram_range=ngram_range)
    weights = vec.fit_transform(texts).tocsr()
    counts = make_vectorizer(tfidf=False, ngram_range=ngram_range, vocabulary=vec.vocabulary_).transform(texts).tocsr()
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


def log_odds_z(y_i, y_j, alpha) -> np.ndarray:
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
                   n: int = 10, alpha0: float | None = None, ngram_range=(1, 2)) -> pd.DataFrame:
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
                      ngram_range=(1, 2)) -> pd.DataFrame:
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
