"""The learned coder: frame, hype, hedge and risk sub-themes from data, the rules as evidence.

:func:`framing.measures.frames.label` calls :func:`predict` by default. The model is a set of
scikit-learn logistic regressions (one multinomial model for the frame, one binary model
for hype, hedge and each risk sub-theme) over five feature blocks:

* **words**: TF-IDF of word 1-2-grams (sublinear counts, seen in at least two units);
* **characters**: TF-IDF of character 2-5-grams inside word boundaries, so that spelling
  variants and word forms share evidence;
* **rule cues**: every cue, negation and structural note that the rule coder
  (:func:`framing.measures.frames.label` with ``method="rules"``) fires, and its frame, as binary
  indicators from a fixed vocabulary (the cue names of :mod:`framing.measures.frames`);
* **embedding**: the WordLlama 0.4 sentence embedding (256 dimensions, the weights and
  tokenizer that ship inside the ``wordllama`` wheel; nothing is downloaded);
* **shape**: length, question mark, end punctuation, very short lines, digits, currency,
  capitalisation, link-like characters (``|``, ``>``, ``@``, web addresses).

With ``doc`` (one article id per unit, units in reading order) a second, stacked model
(Wolpert 1992) recodes each unit's frame from its own frame probabilities and those of
its **context**: the two units before and after it, the mean over the article's other
units, the article's first unit (usually the title), and its relative position. The
stacked model is trained on out-of-fold probabilities (folds by article), so it learns
how much to trust the neighbours of units the first model has not seen. Without ``doc``
every unit is coded alone by the first model. Hype, hedge and sub-themes come from the
first model; sub-themes are kept on risk and mixed units only (codebook D17), hype and
hedge are false on boilerplate (D2).

The first model's frame probabilities are calibrated by temperature scaling (Guo et al.
2017) fitted on its out-of-fold predictions; the stacked model's are its own (it is fitted
on out-of-fold inputs). Flag thresholds are chosen on the out-of-fold predictions too. Training is deterministic: :func:`train` on
the same data writes the same model file byte for byte (``make model``).
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # names in annotations only
    import os

    from numpy.typing import ArrayLike
    from sklearn.feature_extraction.text import TfidfVectorizer

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.measures.frames import SUBTHEMES  # frames imports this module only inside label(), so no cycle

__all__ = [
    "MODEL_FILE", "FLAGS", "Coder", "featurize", "train", "fit_coder", "save", "load", "default_coder",
    "predict", "warm", "embed", "embed_reference", "char_tfidf", "deal_folds", "write_zip",
]

#: Model file inside the package (``framing/data/``); rebuilt by ``make model``.
MODEL_FILE = "coder_model.zip"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


#: Binary targets beside the frame, in model order.
FLAGS = ("hype", "hedge", *SUBTHEMES)

#: Feature settings (part of the model file, so a model always featurises as it was trained).
SETTINGS = {
    "word": {"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True},
    "char": {"ngram_range": [2, 5], "min_df": 3, "sublinear_tf": True, "max_features": 60000},
    "weights": {"word": 1.0, "char": 1.0, "rules": 0.5, "embedding": 1.0, "shape": 0.5},
    "C_frame": 4.0,
    "C_context": 1.0,
    "C_flag": 4.0,
    "balanced_frame": False,
    "balanced_flag": True,
    "folds": 5,
    "tol": 1e-3,
    "tol_flag": 1e-4,
}


# ------------------------------------------------------------------------------ embeddings
@lru_cache(maxsize=1)
def _wordllama():
    import wordllama
    from wordllama import WordLlama

    folder = Path(wordllama.__file__).parent
    return WordLlama.load(cache_dir=folder, disable_download=True)


@lru_cache(maxsize=1)
def _tokenizer():
    """WordLlama's tokenizer without padding (a copy: the model's own pads every batch)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(_wordllama().tokenizer.to_str())
    tok.no_padding()
    tok.no_truncation()
    return tok


#: Texts tokenised and pooled at a time by :func:`embed` (bounds the token-id matrix).
EMBED_BLOCK = 4096


def embed(texts: Sequence[str]) -> np.ndarray:
    """WordLlama 0.4 sentence embeddings (256 dimensions, L2-normalised), float32, one row per text.

    The same numbers as WordLlama's own ``embed(texts, norm=True)`` bit for bit (tested on the
    coded units, benchmark sentences and adversarial text; :func:`embed_reference`), about
    twice as fast: texts are tokenised without padding and, longest first, each token
    position's embeddings are added to the texts still that long, in token order, which is
    the order of WordLlama's masked sum over padded batches (padding adds zeros); then the
    same mean and norm. A text's embedding does not depend on the other texts (tested).
    """
    texts = [t if t.strip() else "." for t in texts]
    n = len(texts)
    table = _wordllama().embedding
    out = np.empty((n, table.shape[1]), dtype=np.float32)
    order = np.argsort(-np.fromiter((len(t) for t in texts), dtype=np.int64, count=n), kind="stable")
    for start in range(0, n, EMBED_BLOCK):
        block = order[start:start + EMBED_BLOCK]
        encoded = _tokenizer().encode_batch([texts[i] for i in block], add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
        longest_first = np.argsort(-lengths, kind="stable")
        lengths, block = lengths[longest_first], block[longest_first]
        ids = np.zeros((len(encoded), max(int(lengths[0]), 1)), dtype=np.int64)
        for row, j in enumerate(longest_first):
            tokens = encoded[j].ids
            ids[row, :len(tokens)] = tokens
        np.clip(ids, 0, table.shape[0] - 1, out=ids)
        total = np.zeros((len(encoded), table.shape[1]), dtype=np.float32)
        still = int((lengths > 0).sum())
        total[:still] = table[ids[:still, 0]]
        for position in range(1, int(lengths[0])):
            still = int(np.searchsorted(-lengths, -position, side="left"))  # texts longer than position
            total[:still] += table[ids[:still, position]]
        total /= np.maximum(lengths, 1).astype(np.float32)[:, None]
        total /= np.linalg.norm(total, axis=1, keepdims=True)
        out[block] = total
    return out


def embed_reference(texts: Sequence[str]) -> np.ndarray:
    """:func:`embed` computed by WordLlama's own ``embed`` (the reference path; slower)."""
    texts = [t if t.strip() else "." for t in texts]
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    order = np.argsort(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)), kind="stable")
    sorted_out = _wordllama().embed([texts[i] for i in order], norm=True, return_np=True, batch_size=512)
    out = np.empty((len(texts), sorted_out.shape[1]), dtype=np.float32)
    out[order] = sorted_out
    return out


# ------------------------------------------------------------------------------ rule features
@lru_cache(maxsize=1)
def _rule_vocab() -> dict[str, int]:
    from framing.measures import frames

    promise = [n for n, _ in frames.PROMISE_CUES] + [n for n, _ in frames.HYPE_CUES] + ["advantage_over_conventional"]
    risk = [n for n, _, _ in frames.RISK_CUES]
    tokens = [f"frame={f}" for f in frames.FRAMES]
    tokens += [f"p:{n}" for n in promise] + [f"p:no_{n}" for n in risk]
    tokens += [f"r:{n}" for n in risk] + [f"r:not_{n}" for n in promise]
    tokens += [f"y:{n}" for n, _ in frames.HYPE_CUES] + [f"g:{n}" for n, _ in frames.HEDGE_CUES]
    tokens += [f"b:{r.name}" for r in frames._CLEAN_RULES] + [f"b:{n}" for n, _ in frames.BOILERPLATE_CUES]
    tokens += ["b:off_topic_headline"] + [f"t:{t}" for t in frames.SUBTHEMES]
    tokens += [f"n:{k}" for k in ("negated", "not_a_claim", "patient_history", "reference_only",
                                  "comparator_clause", "conventional_background")]
    return {t: i for i, t in enumerate(dict.fromkeys(tokens))}


def _rule_matrix(rules: pd.DataFrame) -> sp.csr_matrix:
    vocab = _rule_vocab()
    prefix = {"promise_cues": "p:", "risk_cues": "r:", "hype_cues": "y:", "hedge_cues": "g:",
              "boilerplate_cues": "b:", "subthemes": "t:"}
    rows, cols = [], []
    columns = {c: rules[c].tolist() for c in [*prefix, "notes", "frame"]}
    for i in range(len(rules)):
        found = {vocab[f"frame={columns['frame'][i]}"]}
        for col, pre in prefix.items():
            for name in filter(None, columns[col][i].split("; ")):
                j = vocab.get(pre + name)
                if j is not None:
                    found.add(j)
        for note in filter(None, columns["notes"][i].split("; ")):
            j = vocab.get("n:" + note.split(":")[0])
            if j is not None:
                found.add(j)
        rows.extend([i] * len(found))
        cols.extend(sorted(found))
    data = np.ones(len(rows), dtype=np.float64)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(rules), len(vocab)))


_CURRENCY = re.compile("[$\u20ac\u00a3]")
_LINKISH = re.compile(r"[|>\u00bb@]|http|www\.")


def _shape(texts: Sequence[str]) -> np.ndarray:
    out = np.zeros((len(texts), 8), dtype=np.float64)
    for i, t in enumerate(texts):
        s = t.strip()
        words = s.split()
        n = len(words)
        caps = sum(1 for w in words if w[:1].isupper())
        out[i] = (
            math.log1p(n) / 3.0,
            s.endswith("?"),
            s[-1:] in ".!?\"'\u201d\u2019)" if s else 0.0,
            n <= 4,
            any(map(str.isdigit, s)),
            _CURRENCY.search(s) is not None or " dollars" in s.lower(),
            caps / n if n else 0.0,
            _LINKISH.search(s) is not None,
        )
    return out


# ------------------------------------------------------------------------------ featurising
def _groups(doc: Sequence | None, n: int) -> list[np.ndarray]:
    """Index arrays of consecutive runs of equal doc ids (the articles, in reading order)."""
    if doc is None:
        return [np.array([i]) for i in range(n)]
    doc = list(doc)
    if len(doc) != n:
        raise ValueError(f"doc has {len(doc)} ids for {n} texts")
    out, start = [], 0
    for i in range(1, n + 1):
        if i == n or doc[i] != doc[start]:
            out.append(np.arange(start, i))
            start = i
    seen = set()
    for g in out:
        key = doc[g[0]]
        if key in seen:
            raise ValueError(f"doc id {key!r} appears in two separate runs: give each article's texts together, in reading order")
        seen.add(key)
    return out


#: Units before and after a unit whose probabilities the stacked model sees.
_REACH = 2


def _stack_features(prob: np.ndarray, groups: list[np.ndarray], topical: np.ndarray | None = None) -> np.ndarray:
    """Stacked-model inputs from first-model frame probabilities ``prob`` (n x frames).

    Per unit: its own log-probabilities; the probabilities of the units 1 and 2 before and
    after it (zeros past the article's edge); the mean of the article's other units; the
    article's first unit (zeros for the first unit itself); relative position, first, last,
    and the article's length; and the article's topicality: whether the unit, and whether any
    and what share of the article's units, name ketamine or esketamine (``topical``, one bool
    per unit, :func:`_topical`; zeros when not given), so that the same words in an article
    about something else can be read as neutral.
    """
    n, k = prob.shape
    width = k + 2 * _REACH * k + k + k + 4 + 3
    out = np.zeros((n, width), dtype=np.float64)
    topical = np.zeros(n, dtype=bool) if topical is None else np.asarray(topical, dtype=bool)
    for g in groups:
        p = prob[g]
        m = len(g)
        cols = [np.log(np.clip(p, 1e-6, 1.0))]
        for shift in range(1, _REACH + 1):
            before = np.zeros_like(p)
            after = np.zeros_like(p)
            if m > shift:
                before[shift:] = p[:-shift]
                after[:-shift] = p[shift:]
            cols += [before, after]
        others = (p.sum(axis=0, keepdims=True) - p) / max(m - 1, 1)
        cols.append(others if m > 1 else np.zeros_like(p))
        first = np.repeat(p[:1], m, axis=0)
        first[0] = 0.0
        cols.append(first)
        pos = np.arange(m, dtype=np.float64)
        cols.append(np.column_stack([pos / max(m - 1, 1), pos == 0, pos == m - 1, np.full(m, math.log1p(m) / 4)]))
        named = topical[g]
        cols.append(np.column_stack([named, np.full(m, named.any()), np.full(m, named.mean())]))
        out[g] = np.hstack(cols)
    return out


def _topical(texts: Sequence[str]) -> np.ndarray:
    """Whether each text names ketamine, esketamine or a product or form of it (the rule coder's pattern)."""
    from framing.measures import frames

    return np.fromiter((frames.names_ketamine(t) for t in texts), dtype=bool, count=len(texts))


def rowwise_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for a dense ``a`` where each row's result depends on that row alone. BLAS's
    matrix product does not promise that: its kernels take rows in groups, and a row's last bits
    change with its position in the batch, so an article's frame probabilities would depend on
    what else was coded with it (its partition, its chunk). ``numpy.einsum`` without
    optimisation sums each row in one fixed order (tested on rows at every offset)."""
    return np.einsum("ij,jk->ik", a, b)


@dataclass
class Features:
    """The blocks of one batch of units (before weighting), and its articles."""

    word: sp.csr_matrix
    char: sp.csr_matrix
    rules: sp.csr_matrix
    embedding: np.ndarray
    shape: np.ndarray
    groups: list | None
    topical: np.ndarray | None = None

    def matrix(self, weights: dict) -> sp.csr_matrix:
        """All blocks side by side, weighted (the training matrix)."""
        return sp.hstack([self.word * weights["word"], self.char * weights["char"], self.rules * weights["rules"],
                          sp.csr_matrix(self.embedding.astype(np.float64) * weights["embedding"]),
                          sp.csr_matrix(self.shape * weights["shape"])], format="csr")

    def scores(self, weights: dict, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``matrix(weights) @ w.T + b`` computed block by block (no dense-to-sparse copies)."""
        w = w.astype(np.float64)
        out = np.tile(b.astype(np.float64), (self.word.shape[0], 1))
        at = 0
        for name in ("word", "char", "rules", "embedding", "shape"):
            block = getattr(self, name)
            width = block.shape[1]
            part = w[:, at:at + width].T
            product = block @ part if sp.issparse(block) else rowwise_product(block, part)
            out += np.asarray(product) * weights[name]
            at += width
        return out


def _vectorizers(settings: dict) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer

    w, c = settings["word"], settings["char"]
    word = TfidfVectorizer(ngram_range=tuple(w["ngram_range"]), min_df=w["min_df"], sublinear_tf=w["sublinear_tf"],
                           lowercase=True, dtype=np.float64)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(c["ngram_range"]), min_df=c["min_df"],
                           sublinear_tf=c["sublinear_tf"], max_features=c["max_features"], lowercase=True,
                           dtype=np.float64)
    return word, char


_WHITE_SPACES = re.compile(r"\s\s+")  # as in sklearn's char_wb analyzer


def _wb_grams(word: str, lo: int, hi: int) -> list[str]:
    """The ``char_wb`` n-grams of one (pre-processed) word, as sklearn's analyzer lists them:
    the word padded with a space each side, all windows of each length, and a padded word
    no longer than ``n`` once, as a whole, ending the list."""
    w = f" {word} "
    size = len(w)
    out: list[str] = []
    for n in range(lo, hi + 1):
        if n >= size:
            out.append(w)
            break
        out += [w[i:i + n] for i in range(size - n + 1)]
    return out


_GRAM_INDEX: dict = {}


def _terms(vocab: dict[str, int]) -> np.ndarray:
    """A vectorizer's terms in column order (``vocab``: term -> column)."""
    terms = np.empty(len(vocab), dtype=object)
    for term, col in vocab.items():
        terms[col] = term
    return terms


def _gram_index(vectorizer: TfidfVectorizer) -> pd.Index:
    """The vectorizer's vocabulary as an index whose positions are the column numbers (cached)."""
    key = id(vectorizer)
    if key not in _GRAM_INDEX or _GRAM_INDEX[key][0] is not vectorizer:
        _GRAM_INDEX.clear()
        _WORD_COLUMNS.clear()
        _GRAM_INDEX[key] = (vectorizer, pd.Index(_terms(vectorizer.vocabulary_)))
    return _GRAM_INDEX[key][1]


#: Column numbers of each word's known ``char_wb`` n-grams (repeats kept), for the vectorizer
#: of :data:`_GRAM_INDEX`; emptied when it changes or holds more than :data:`WORD_CACHE` words.
_WORD_COLUMNS: dict[str, np.ndarray] = {}
WORD_CACHE = 400_000


def _word_columns(vectorizer: TfidfVectorizer, words: Sequence[str]) -> list[np.ndarray]:
    """The known n-gram columns of each word (:func:`_wb_grams` looked up in the vocabulary), cached across calls."""
    from itertools import chain

    index = _gram_index(vectorizer)
    if len(_WORD_COLUMNS) > WORD_CACHE:
        _WORD_COLUMNS.clear()
    new = [w for w in dict.fromkeys(words) if w not in _WORD_COLUMNS]
    if new:
        lo, hi = vectorizer.ngram_range
        grams = [_wb_grams(word, lo, hi) for word in new]
        cols = index.get_indexer(np.fromiter(chain.from_iterable(grams), dtype=object))
        ends = np.cumsum(np.fromiter(map(len, grams), dtype=np.int64, count=len(grams)))
        for word, part in zip(new, np.split(cols, ends[:-1])):
            _WORD_COLUMNS[word] = part[part >= 0]
    return [_WORD_COLUMNS[w] for w in words]


def char_tfidf(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` for a fitted ``char_wb`` TfidfVectorizer, about five times faster.

    A ``char_wb`` n-gram never crosses a word, so each distinct word is analysed once
    (:func:`_wb_grams`, cached across calls) into a word x n-gram count matrix, and the counts
    of a batch are its document x word counts times that matrix: the same integer counts, as
    float64, as ``CountVectorizer`` builds, then the steps of ``TfidfTransformer.transform``
    (sublinear counts, the fitted ``idf_``, l2 norm) for the settings the coder uses. The result
    is identical to ``vectorizer.transform`` bit for bit (tested on the coded units and on
    adversarial text); other analyzers are passed to ``vectorizer.transform``.
    """

    plain = (vectorizer.analyzer == "char_wb" and vectorizer.input == "content" and vectorizer.sublinear_tf
             and vectorizer.use_idf and vectorizer.norm == "l2" and vectorizer.dtype == np.float64
             and vectorizer.preprocessor is None and vectorizer.strip_accents is None)
    if not plain or not isinstance(texts, list) or not texts:
        return vectorizer.transform(texts)
    from itertools import chain

    preprocess, vocab = vectorizer.build_preprocessor(), vectorizer.vocabulary_
    docs = [_WHITE_SPACES.sub(" ", preprocess(text)).split() for text in texts]
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, docs), dtype=np.int64, count=len(docs)), out=indptr[1:])
    ids, words = pd.factorize(np.fromiter(chain.from_iterable(docs), dtype=object, count=int(indptr[-1])))
    doc_word = sp.csr_matrix((np.ones(len(ids)), ids.astype(np.int64), indptr), shape=(len(texts), len(words)))
    columns = _word_columns(vectorizer, list(words))
    sizes = np.fromiter(map(len, columns), dtype=np.int64, count=len(columns))
    rows = np.repeat(np.arange(len(words), dtype=np.int64), sizes)
    cols = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    word_gram = sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(words), len(vocab)))
    return _tfidf_tail(vectorizer, (doc_word @ word_gram).tocsr())


_WORD_TABLES: dict = {}


def _word_tables(vectorizer: TfidfVectorizer) -> tuple[pd.Index, np.ndarray, np.ndarray] | None:
    """For a fitted word (1, 2)-gram vectorizer: its terms as an index (positions = columns),
    and its bigrams as sorted codes ``column(a) * n + column(b)`` with their columns; None
    when a bigram's word is not itself a term (then the sklearn path is used). Cached."""
    key = id(vectorizer)
    if key not in _WORD_TABLES or _WORD_TABLES[key][0] is not vectorizer:
        vocab = vectorizer.vocabulary_
        codes, cols, tables = [], [], None
        for term, col in vocab.items():
            parts = term.split(" ")
            if len(parts) == 2:
                if parts[0] not in vocab or parts[1] not in vocab:
                    break
                codes.append(vocab[parts[0]] * len(vocab) + vocab[parts[1]])
                cols.append(col)
        else:
            order = np.argsort(np.array(codes, dtype=np.int64), kind="stable")
            tables = (pd.Index(_terms(vocab)), np.array(codes, dtype=np.int64)[order], np.array(cols, dtype=np.int64)[order])
        _WORD_TABLES.clear()
        _WORD_TABLES[key] = (vectorizer, tables)
    return _WORD_TABLES[key][1]


def _tfidf_tail(vectorizer: TfidfVectorizer, x: sp.csr_matrix) -> sp.csr_matrix:
    """The steps of ``TfidfTransformer.transform`` on a count matrix, for the coder's settings:
    indices sorted (as ``CountVectorizer`` leaves them), sublinear tf, the fitted idf, l2 norm."""
    from sklearn.preprocessing import normalize

    x.sort_indices()
    np.log(x.data, x.data)
    x.data += 1.0
    x.data *= vectorizer.idf_[x.indices]
    return normalize(x, norm="l2", copy=False)


def word_tfidf(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` for a fitted word (1, 2)-gram TfidfVectorizer, several times faster.

    Each text is lower-cased and tokenised as sklearn does (the vectorizer's own
    tokenizer); the tokens of the batch are looked up in the vocabulary at once, and each
    pair of neighbouring known words is looked up as a bigram code in a sorted array (a
    bigram of the vocabulary is made of two words of the vocabulary: checked, else sklearn's
    path). The counts are the integer counts ``CountVectorizer`` builds, as float64, then
    :func:`_tfidf_tail`. Identical to ``vectorizer.transform`` bit for bit (tested on the coded
    units, the bench sentences and adversarial text); other settings go to ``vectorizer.transform``.
    """
    plain = (vectorizer.analyzer == "word" and vectorizer.input == "content" and tuple(vectorizer.ngram_range) == (1, 2)
             and vectorizer.sublinear_tf and vectorizer.use_idf and vectorizer.norm == "l2"
             and vectorizer.dtype == np.float64 and vectorizer.preprocessor is None and vectorizer.tokenizer is None
             and vectorizer.strip_accents is None and vectorizer.stop_words is None and vectorizer.lowercase)
    tables = _word_tables(vectorizer) if plain and isinstance(texts, list) and texts else None
    if tables is None:
        return vectorizer.transform(texts)
    from itertools import chain

    index, codes, code_cols = tables
    n_terms = len(index)
    tokenize = vectorizer.build_tokenizer()
    docs = [tokenize(text.lower()) for text in texts]
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    row = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    tokens = np.fromiter(chain.from_iterable(docs), dtype=object, count=int(lengths.sum()))
    ids, unique = pd.factorize(tokens)
    uni = index.get_indexer(unique)[ids] if len(tokens) else np.zeros(0, dtype=np.int64)
    uni = uni.astype(np.int64)
    # neighbouring tokens of the same text, both known words
    pair = (row[1:] == row[:-1]) & (uni[1:] >= 0) & (uni[:-1] >= 0)
    code = uni[:-1][pair] * n_terms + uni[1:][pair]
    at = np.searchsorted(codes, code)
    at = np.minimum(at, max(len(codes) - 1, 0))
    hit = codes[at] == code if len(codes) else np.zeros(len(code), dtype=bool)
    known = uni >= 0
    rows = np.concatenate([row[known], row[:-1][pair][hit]])
    cols = np.concatenate([uni[known], code_cols[at[hit]]])
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), n_terms))
    x.sum_duplicates()
    return _tfidf_tail(vectorizer, x)


def featurize(texts: Sequence[str], doc: Sequence | None = None, vectorizers: dict | None = None,
              rules: pd.DataFrame | None = None) -> Features:
    """Feature blocks of ``texts``; ``vectorizers`` = (word, char) fitted TF-IDF vectorizers."""
    from framing.io.clean import normalise
    from framing.measures import frames

    texts = [normalise(t) if isinstance(t, str) else "" for t in texts]
    if rules is None:
        rules = frames.label(texts, method="rules")
    word_vec, char_vec = vectorizers
    groups = _groups(doc, len(texts)) if doc is not None else None
    return Features(word=word_tfidf(word_vec, texts), char=char_tfidf(char_vec, texts), rules=_rule_matrix(rules),
                    embedding=embed(texts), shape=_shape(texts), groups=groups,
                    topical=_topical(texts) if groups is not None else None)


# ------------------------------------------------------------------------------ the model
def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass
class Coder:
    """A trained coder: vectorizers, first-model and stacked-model weights, calibration, thresholds.

    ``weights``: ``"frame"`` and ``"flags"`` (first model, ``(W, b)`` over the feature blocks)
    and ``"context"`` (stacked model over :func:`_stack_features`).
    """

    settings: dict
    vectorizers: tuple
    frames: tuple
    weights: dict
    temperature: float
    thresholds: np.ndarray

    def first_probabilities(self, feats: Features) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated first-model frame probabilities (n x frames) and flag probabilities (n x flags)."""
        ws = self.settings["weights"]
        p = _softmax(feats.scores(ws, *self.weights["frame"]) / self.temperature)
        q = _sigmoid(feats.scores(ws, *self.weights["flags"]))
        return p, q

    def predict(self, texts: Sequence[str], doc: Sequence | None = None, rules: pd.DataFrame | None = None) -> pd.DataFrame:
        """Frame, hype, hedge, sub-themes and frame probabilities for each text (see :func:`predict`)."""
        texts = list(texts)
        if not texts:  # nothing to featurize: scikit-learn rejects zero rows
            feats, p, q = None, np.zeros((0, len(self.frames))), np.zeros((0, len(FLAGS)))
        else:
            feats = featurize(texts, doc, self.vectorizers, rules)
            p, q = self.first_probabilities(feats)
        if feats is not None and feats.groups is not None and len(p):
            w, b = self.weights["context"]
            p = _softmax(rowwise_product(_stack_features(p, feats.groups, feats.topical), w.T.astype(np.float64))
                         + b.astype(np.float64))
        frame = np.asarray(self.frames, dtype=object)[p.argmax(axis=1)] if len(p) else np.array([], dtype=object)
        flags = q >= self.thresholds
        out = pd.DataFrame({"frame": frame})
        for j, name in enumerate(FLAGS):
            out[name] = flags[:, j] if len(q) else np.array([], dtype=bool)
        boiler = out["frame"] == "boilerplate"
        out.loc[boiler, ["hype", "hedge"]] = False  # D2
        not_risk = ~out["frame"].isin(["risk", "mixed"])
        for theme in SUBTHEMES:
            out.loc[not_risk, theme] = False  # D17: sub-themes only on risk and mixed units
        for j, f in enumerate(self.frames):
            out[f"p_{f}"] = p[:, j] if len(p) else np.array([], dtype=float)
        return out


def _targets(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    y = table["frame"].to_numpy(dtype=object)
    flags = np.column_stack([table[f].to_numpy(dtype=bool) for f in FLAGS]).astype(int)
    return y, flags


def _fit_linear(x: sp.spmatrix | np.ndarray, y: np.ndarray, classes: Sequence, c: float, balanced: bool = False,
                tol: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """(W, b) of a logistic regression over ``classes``; a class absent from ``y`` gets a very low score."""
    from sklearn.linear_model import LogisticRegression

    classes = list(classes)
    present = sorted(set(y), key=classes.index)
    binary = len(classes) == 2
    if len(present) == 1:
        w = np.zeros((1 if binary else len(classes), x.shape[1]))
        if binary:
            b = np.full(1, 20.0 if present[0] == classes[1] else -20.0)
        else:
            b = np.full(len(classes), -20.0)
            b[classes.index(present[0])] = 20.0
        return w, b
    model = LogisticRegression(C=c, max_iter=3000, tol=tol, solver="lbfgs",
                               class_weight="balanced" if balanced else None)
    model.fit(x, y)
    if binary:
        return model.coef_.copy(), model.intercept_.copy()
    w = np.zeros((len(classes), x.shape[1]))
    b = np.full(len(classes), -20.0)
    if len(model.classes_) == 2:  # only two of the classes in this fold
        for sign, cls in zip((-0.5, 0.5), model.classes_):
            w[classes.index(cls)], b[classes.index(cls)] = sign * model.coef_[0], sign * model.intercept_[0]
    else:
        for k, cls in enumerate(model.classes_):
            w[classes.index(cls)], b[classes.index(cls)] = model.coef_[k], model.intercept_[k]
    return w, b


def _fit_flags(x: sp.spmatrix | np.ndarray, flags: np.ndarray, settings: dict) -> tuple[np.ndarray, np.ndarray]:
    fw, fb = [], []
    for j in range(flags.shape[1]):
        wj, bj = _fit_linear(x, flags[:, j], [0, 1], settings["C_flag"], settings["balanced_flag"], settings["tol_flag"])
        fw.append(wj[0])
        fb.append(bj[0])
    return np.vstack(fw), np.array(fb)


def _temperature(logits: np.ndarray, y_idx: np.ndarray) -> float:
    """Temperature minimising the log loss of out-of-fold logits (grid search, deterministic)."""
    best, best_t = math.inf, 1.0
    for t in np.round(np.arange(0.3, 4.001, 0.05), 2):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        loss = -(z[np.arange(len(z)), y_idx] - np.log(np.exp(z).sum(axis=1))).mean()
        if loss < best - 1e-12:
            best, best_t = loss, float(t)
    return best_t


def _threshold(prob: np.ndarray, truth: np.ndarray) -> float:
    """The flag threshold that maximises out-of-fold F1 (0.5 when the flag is never true)."""
    if truth.sum() == 0:
        return 0.5
    best, best_t = -1.0, 0.5
    for t in np.round(np.arange(0.2, 0.801, 0.025), 3):
        pred = prob >= t
        tp = float((pred & (truth == 1)).sum())
        f1 = 2 * tp / (pred.sum() + truth.sum()) if (pred.sum() + truth.sum()) else 0.0
        if f1 > best + 1e-12:
            best, best_t = f1, float(t)
    return best_t


def deal_folds(values: ArrayLike, k: int) -> np.ndarray:
    """Fold number (0..k-1) per item, whole groups per fold: the sorted distinct values dealt round-robin."""
    values = np.asarray(list(values), dtype=object)
    fold_of = {name: i % k for i, name in enumerate(sorted(set(values), key=str))}
    return np.array([fold_of[v] for v in values], dtype=np.int64)


def fit_coder(table: pd.DataFrame, settings: dict | None = None) -> Coder:
    """Train a :class:`Coder` on coded units (see :func:`_fit_coder`), with BLAS and OpenMP held
    to one thread so that the same data give the same model file byte for byte on any machine
    (several threads sum in another order)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _fit_coder(table, settings)


def _fit_coder(table: pd.DataFrame, settings: dict | None = None) -> Coder:
    """Train a :class:`Coder` on coded units.

    ``table`` has one row per unit in reading order within each article: ``article_id``,
    ``text``, ``frame``, ``hype``, ``hedge`` and one bool column per risk sub-theme (as
    :func:`framing.io.annotations.training_units` returns). The first model is fitted on all
    units; out-of-fold predictions (``settings["folds"]`` folds by article) give the
    temperature, the flag thresholds and the stacked model's training inputs. Articles marked
    ``off_topic`` (not about ketamine; optional column) train the stacked model only: there
    the article's topicality tells their units to be neutral, while the first model, which
    sees a unit alone, learns from articles about ketamine, where the same words carry a frame.
    """
    from framing.io.clean import normalise
    from framing.measures import frames as frames_mod

    settings = json.loads(json.dumps(settings or SETTINGS))
    texts = [normalise(t) for t in table["text"].astype(str)]
    doc = table["article_id"].tolist()
    rules = frames_mod.label(texts, method="rules")
    word, char = _vectorizers(settings)
    word.fit(texts)
    char.fit(texts)
    feats = featurize(texts, doc, (word, char), rules)
    y, flags = _targets(table)
    frames = tuple(frames_mod.FRAMES)
    x = feats.matrix(settings["weights"])
    on = (~table["off_topic"].to_numpy(dtype=bool)) if "off_topic" in table else np.ones(len(y), dtype=bool)
    w, b = _fit_linear(x[on], y[on], frames, settings["C_frame"], settings["balanced_frame"], settings["tol"])
    fw, fb = _fit_flags(x[on], flags[on], settings)
    folds = deal_folds(table["article_id"], settings["folds"])
    logits = np.zeros((len(y), len(frames)))
    flag_p = np.zeros(flags.shape)
    for k in range(settings["folds"]):
        tr, te = (folds != k) & on, folds == k
        if not te.any():
            continue
        wk, bk = _fit_linear(x[tr], y[tr], frames, settings["C_frame"], settings["balanced_frame"], settings["tol"])
        logits[te] = x[te] @ wk.T + bk
        fwk, fbk = _fit_flags(x[tr], flags[tr], settings)
        flag_p[te] = _sigmoid(x[te] @ fwk.T + fbk)
    y_idx = np.array([frames.index(v) for v in y])
    temperature = _temperature(logits[on], y_idx[on])
    thresholds = np.array([_threshold(flag_p[on, j], flags[on, j]) for j in range(len(FLAGS))])
    stacked = _stack_features(_softmax(logits / temperature), feats.groups, feats.topical)
    cw, cb = _fit_linear(stacked, y, frames, settings["C_context"], settings["balanced_frame"], settings["tol"])
    weights = {"frame": (w.astype(np.float32), b.astype(np.float32)),
               "flags": (fw.astype(np.float32), fb.astype(np.float32)),
               "context": (cw.astype(np.float32), cb.astype(np.float32))}
    return Coder(settings=settings, vectorizers=(word, char), frames=frames, weights=weights,
                 temperature=temperature, thresholds=thresholds)


# ------------------------------------------------------------------------------ model file
def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def save(coder: Coder, path: str | os.PathLike[str]) -> None:
    """Write the model as a zip of JSON and .npy members with fixed dates: same model, same bytes."""
    word, char = coder.vectorizers
    meta = {
        "format": 2,
        "settings": coder.settings,
        "frames": list(coder.frames),
        "flags": list(FLAGS),
        "temperature": coder.temperature,
        "thresholds": [float(v) for v in coder.thresholds],
        "word_vocabulary": sorted(word.vocabulary_, key=word.vocabulary_.get),
        "char_vocabulary": sorted(char.vocabulary_, key=char.vocabulary_.get),
    }
    members = {"meta.json": json.dumps(meta, sort_keys=True, ensure_ascii=False, indent=0).encode("utf-8"),
               "word_idf.npy": _npy(word.idf_.astype(np.float64)), "char_idf.npy": _npy(char.idf_.astype(np.float64))}
    for part in sorted(coder.weights):
        w, b = coder.weights[part]
        members[f"{part}_W.npy"] = _npy(w.astype(np.float32))
        members[f"{part}_b.npy"] = _npy(b.astype(np.float32))
    write_zip(path, members)


def write_zip(path: str | os.PathLike[str], members: dict[str, bytes]) -> Path:
    """Write ``members`` (name -> bytes) as a deflated zip with fixed dates and modes, names sorted,
    through a temporary file: the same members give the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, members[name], compresslevel=9)
    tmp.replace(path)
    return path


def load(path: str | os.PathLike[str]) -> Coder:
    """Read a model file written by :func:`save`; a missing or broken file raises naming it."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read("meta.json").decode("utf-8"))
            arrays = {n: np.load(io.BytesIO(zf.read(n)), allow_pickle=False) for n in zf.namelist() if n.endswith(".npy")}
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as err:
        raise ValueError(f"{path}: not a readable coder model ({err}); rebuild it with 'make model'") from err
    if meta.get("format") != 2 or tuple(meta.get("flags", ())) != FLAGS:
        raise ValueError(f"{path}: model format or flags do not match this version of framing; run 'make model'")
    settings = meta["settings"]
    word, char = _vectorizers(settings)
    word.vocabulary_ = {t: i for i, t in enumerate(meta["word_vocabulary"])}
    char.vocabulary_ = {t: i for i, t in enumerate(meta["char_vocabulary"])}
    word.idf_ = arrays["word_idf.npy"]
    char.idf_ = arrays["char_idf.npy"]
    try:
        weights = {part: (arrays[f"{part}_W.npy"], arrays[f"{part}_b.npy"]) for part in ("frame", "flags", "context")}
    except KeyError as err:
        raise ValueError(f"{path}: model member {err} missing; rebuild it with 'make model'") from err
    return Coder(settings=settings, vectorizers=(word, char), frames=tuple(meta["frames"]), weights=weights,
                 temperature=float(meta["temperature"]), thresholds=np.array(meta["thresholds"]))


@lru_cache(maxsize=1)
def default_coder() -> Coder:
    """The committed model (``framing/data/coder_model.zip``), loaded once per process."""
    from importlib import resources

    from framing.io.datafiles import data_path

    with resources.as_file(data_path(MODEL_FILE)) as real:
        if not Path(real).exists():
            raise FileNotFoundError(f"{real}: the learned coder's model file is missing; build it with 'make model'")
        return load(real)


def warm() -> None:
    """Load the committed model, WordLlama and the char n-gram index into this process, so that
    worker processes forked afterwards share them instead of loading them again."""
    coder = default_coder()
    _wordllama()
    _tokenizer()
    _gram_index(coder.vectorizers[1])


def predict(texts: Sequence[str], doc: Sequence | None = None, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Code ``texts`` with the committed model (context used when ``doc`` is given)."""
    return default_coder().predict(texts, doc, rules)


def train(out_path: str | os.PathLike[str] | None = None) -> Path:
    """Train on the project's coded data (written articles and seed coding) and write the model file."""
    from framing.io.annotations import training_units
    from framing.io.datafiles import data_path

    if out_path is None:
        out_path = Path(str(data_path(MODEL_FILE)))
    coder = fit_coder(training_units())
    save(coder, out_path)
    return Path(out_path)


if __name__ == "__main__":  # python -m framing.measures.coder [--no-cv]: rebuild the model file and its cross-validation
    import sys

    from framing.checks import validation
    from framing.io.annotations import training_units
    from framing.io.datafiles import data_path

    written = train()
    print(f"wrote {written}")
    if "--no-cv" not in sys.argv[1:]:
        stored = validation.write_cross_validation(training_units(), Path(str(data_path(validation.CV_FILE))))
        print(f"wrote {stored}")
