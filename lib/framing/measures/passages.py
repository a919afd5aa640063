"""Passages that several sources share word for word.

A passage is shared when its word n-grams (default: 6 tokens) occur in two or
more different sources. Tokens are lower-cased runs of letters and digits
(apostrophes dropped, so "ketamine's" and "ketamines" match; punctuation and
spacing are ignored). Stop words are kept: shared phrasing is about the exact
wording.

Within each source, the tokens covered by at least one shared n-gram are merged
into maximal spans; the same wording found in several sources becomes one
passage. Repeats inside a single source never count as shared.

Memory is linear in the total number of tokens (one hash-table entry per
n-gram). Work grows with the number of source pairs that share an n-gram, so
a boilerplate sentence found in m sources costs m(m-1)/2 pair checks. On a
large corpus pass ``max_sources``: an n-gram found in more sources than that
(corpus-wide boilerplate) still counts in each source's coverage, but is not
paired, so it starts no passage and no pair; this bounds the pair work by
max_sources(max_sources-1)/2 per n-gram. :func:`shared_pairs` gives the
pairwise summary in long form (only pairs that share something);
:func:`shared_tokens_matrix` is its dense sources x sources form, for small
corpora.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterable

import itertools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["tokenize", "SharedText", "find_shared", "shared_pairs", "top_pairs", "share_by_length", "shared_tokens_matrix",
           "Likeness", "likeness", "passage_table"]

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def tokenize(text: str) -> tuple[list[str], np.ndarray]:
    """Tokens of ``text`` (lower-case, apostrophes removed) and their (start, end) character offsets."""
    tokens, spans = [], []
    for m in _TOKEN.finditer(text):
        tokens.append(m.group().lower().replace("'", ""))
        spans.append((m.start(), m.end()))
    return tokens, np.array(spans, dtype=np.int64).reshape(-1, 2)


@dataclass(frozen=True)
class SharedText:
    """Result of :func:`find_shared`.

    passages: one row per distinct shared wording: passage (int id), text (the
    normalised tokens joined by spaces), n_tokens, sources (sorted tuple of the
    doc_ids where it occurs), n_sources.
    occurrences: one row per place a passage occurs: passage, doc_id, token_start,
    token_end (token indices, end exclusive), start, end (character offsets into
    that source's text), excerpt (the original text of the span).
    coverage: one row per source: doc_id, n_tokens, shared_tokens, share
    (fraction of the source's tokens inside some shared n-gram).
    n: the n-gram length used.
    skipped: number of distinct n-grams found in more than ``max_sources``
    sources, counted in coverage but not paired (0 without a cap).
    """

    passages: pd.DataFrame
    occurrences: pd.DataFrame
    coverage: pd.DataFrame
    n: int
    skipped: int = 0


def _ngram_positions(tokens: Mapping[str, list[str]], n: int) -> dict[tuple, list]:
    """n-gram -> [(doc_id, position), ...] in document order."""
    index: dict[tuple, list] = defaultdict(list)
    for doc_id, toks in tokens.items():
        for p in range(len(toks) - n + 1):
            index[tuple(toks[p:p + n])].append((doc_id, p))
    return index


def _by_source(places: list) -> dict[str, list[int]]:
    """[(doc_id, position), ...] -> {doc_id: [positions]} (order kept)."""
    out: dict[str, list[int]] = defaultdict(list)
    for d, p in places:
        out[d].append(p)
    return out


def _too_widespread(n_sources: int, max_sources: int | None) -> bool:
    return max_sources is not None and n_sources > max_sources


def _pairwise_matches(index: dict[tuple, list], n: int, max_sources: int | None = None) -> set[tuple]:
    """Maximal common token runs of every pair of sources: {(doc_a, start_a, doc_b, start_b, length)}.

    Each n-gram found in two sources is a hit (position in a, position in b);
    hits on the same diagonal (same position difference) at consecutive
    positions chain into one run of length last - first + n. Only pairs of
    different sources are enumerated; n-grams in more than ``max_sources``
    sources are left out.
    """
    hits: dict[tuple, list] = defaultdict(list)  # (a, b) -> [(pos_a, pos_b)]
    for places in index.values():
        by_doc = _by_source(places)
        if len(by_doc) < 2 or _too_widespread(len(by_doc), max_sources):
            continue
        for a, b in itertools.combinations(sorted(by_doc), 2):
            hits[(a, b)].extend(itertools.product(by_doc[a], by_doc[b]))
    matches = set()
    for (a, b), pairs in hits.items():
        pairs.sort(key=lambda x: (x[0] - x[1], x[0]))
        run_start = prev = None
        for pa, pb in pairs + [(None, None)]:
            if prev is not None and pa is not None and pa - pb == prev[0] - prev[1] and pa == prev[0] + 1:
                prev = (pa, pb)
                continue
            if prev is not None:
                matches.add((a, run_start[0], b, run_start[1], prev[0] - run_start[0] + n))
            run_start = prev = (pa, pb) if pa is not None else None
    return matches


def find_shared(texts: Mapping[str, str], n: int = 6, min_sources: int = 2,
                max_sources: int | None = None) -> SharedText:
    """Find word n-grams of ``n`` or more tokens shared by ``min_sources`` or more sources.

    ``texts`` maps doc_id -> text. For every pair of sources, the n-grams they
    share are chained into maximal common spans; the distinct wordings of these
    spans are the passages, each listed with every place it occurs. A shorter
    passage can lie inside a longer one when it is also shared in a shorter
    form: more widely (A and B share ten words, of which C also has seven) or
    at another place (B repeats only part of the span). Passages are
    numbered by descending length, then by wording. Coverage counts each source's
    tokens inside any n-gram found in ``min_sources`` or more sources.

    ``max_sources`` (default: no cap) leaves n-grams found in more sources out
    of the pairing (see the module notes): they still count in coverage, but
    a passage running through one is cut there, and wording found only in such
    n-grams is not listed. ``SharedText.skipped`` says how many n-grams that was.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    doc_ids = sorted(texts)
    tokens, offsets = {}, {}
    for d in doc_ids:
        tokens[d], offsets[d] = tokenize(texts[d])
    index = _ngram_positions(tokens, n)
    places = set()  # (wording, doc_id, token_start, token_end)
    for a, sa, b, sb, length in _pairwise_matches(index, n, max_sources):
        wording = " ".join(tokens[a][sa:sa + length])
        places.add((wording, a, sa, sa + length))
        places.add((wording, b, sb, sb + length))
    sources = defaultdict(set)
    for wording, d, *_ in places:
        sources[wording].add(d)
    wordings = sorted((w for w in sources if len(sources[w]) >= min_sources),
                      key=lambda w: (-len(w.split()), w))
    pid = {w: i for i, w in enumerate(wordings)}
    occ_rows = []
    for w, d, s, e in places:
        if w in pid:
            cs, ce = int(offsets[d][s, 0]), int(offsets[d][e - 1, 1])
            occ_rows.append((pid[w], d, s, e, cs, ce, texts[d][cs:ce]))
    occurrences = pd.DataFrame(occ_rows, columns=["passage", "doc_id", "token_start", "token_end",
                                                  "start", "end", "excerpt"])
    occurrences = occurrences.sort_values(["passage", "doc_id", "token_start"], ignore_index=True)
    passages = pd.DataFrame({
        "passage": range(len(wordings)),
        "text": wordings,
        "n_tokens": [len(w.split()) for w in wordings],
        "sources": [tuple(sorted(sources[w])) for w in wordings],
    })
    passages["n_sources"] = passages["sources"].map(len)
    cov, n_sources = _coverage(_encode(tokens), n, min_sources)
    skipped = 0 if max_sources is None else int((n_sources > max_sources).sum())
    return SharedText(passages=passages, occurrences=occurrences, coverage=cov, n=n, skipped=skipped)


def _encode(tokens: Mapping[str, list[str]]) -> dict[str, np.ndarray]:
    """Each source's tokens as integers (one id per distinct token)."""
    vocab: dict[str, int] = {}
    return {d: np.fromiter((vocab.setdefault(t, len(vocab)) for t in toks), dtype=np.int64, count=len(toks))
            for d, toks in tokens.items()}


def _ngram_source_counts(ids: Mapping[str, np.ndarray], n: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per source, the id of the n-gram starting at each position; per id, the number of sources it occurs in.

    ``ids`` are the sources' tokens as integers (:func:`_encode`). Vectorised
    (each n-gram a fixed-width byte string), so it stays fast on a corpus of
    millions of tokens.
    """
    doc_ids = list(ids)
    windows, owners, lengths = [], [], []
    for k, d in enumerate(doc_ids):
        m = max(len(ids[d]) - n + 1, 0)
        lengths.append(m)
        if m:
            windows.append(np.lib.stride_tricks.sliding_window_view(ids[d], n))
            owners.append(np.full(m, k, dtype=np.int64))
    if not windows:
        return {d: np.empty(0, dtype=np.int64) for d in doc_ids}, np.empty(0, dtype=np.int64)
    grams = np.ascontiguousarray(np.concatenate(windows))
    keys = grams.view(np.dtype((np.void, grams.dtype.itemsize * n))).ravel()
    _, gram = np.unique(keys, return_inverse=True)
    gram = gram.ravel()
    pairs = np.unique(gram * len(doc_ids) + np.concatenate(owners))  # distinct (n-gram, source)
    n_sources = np.bincount(pairs // len(doc_ids), minlength=int(gram.max()) + 1)
    bounds = np.cumsum([0] + lengths)
    return {d: gram[bounds[k]:bounds[k + 1]] for k, d in enumerate(doc_ids)}, n_sources


def _coverage(ids: Mapping[str, np.ndarray], n: int, min_sources: int) -> tuple[pd.DataFrame, np.ndarray]:
    """(doc_id, n_tokens, shared_tokens, share: tokens inside an n-gram found in ``min_sources``+ sources;
    the number of sources of every distinct n-gram). ``ids``: see :func:`_encode`."""
    gram, n_sources = _ngram_source_counts(ids, n)
    rows = []
    for d, toks in ids.items():
        starts = np.flatnonzero(n_sources[gram[d]] >= min_sources)
        length = len(toks)
        inside = np.cumsum(np.bincount(starts, minlength=length + 1)[:length + 1]
                           - np.bincount(starts + n, minlength=length + n + 1)[:length + 1])
        rows.append((d, length, int((inside[:length] > 0).sum())))
    cov = pd.DataFrame(rows, columns=["doc_id", "n_tokens", "shared_tokens"])
    cov["share"] = cov["shared_tokens"] / cov["n_tokens"].where(cov["n_tokens"] > 0)
    return cov, n_sources


def share_by_length(texts: Mapping[str, str], ns: Iterable[int] = (4, 5, 6, 8, 10), min_sources: int = 2) -> pd.DataFrame:
    """How much of the corpus lies in shared runs of at least n words, for each n in ``ns``.

    The coverage of :func:`find_shared` without its passages (so cheap on a
    large corpus): one row per n with columns min words, shared words, share of
    corpus (shared words / all words).
    """
    doc_ids = sorted(texts)
    ids = _encode({d: tokenize(texts[d])[0] for d in doc_ids})
    rows = []
    for n in ns:
        cov, _ = _coverage(ids, n, min_sources)
        total = int(cov["n_tokens"].sum())
        rows.append((n, int(cov["shared_tokens"].sum()), cov["shared_tokens"].sum() / total if total else np.nan))
    return pd.DataFrame(rows, columns=["min words", "shared words", "share of corpus"])


def shared_pairs(texts: Mapping[str, str], n: int = 6, max_sources: int | None = None) -> pd.DataFrame:
    """Tokens of each source covered by n-grams that also occur in another source, pair by pair.

    One row per ordered pair (doc_id, other) that shares at least one n-gram:
    tokens (doc_id's tokens inside some n-gram that ``other`` also contains),
    n_tokens (doc_id's length) and share (tokens / n_tokens). Not symmetric
    when a passage is repeated within one source. N-grams in more than
    ``max_sources`` sources (default: no cap) are left out, as in
    :func:`find_shared`, so the work stays bounded on a large corpus. Sorted by
    doc_id, then other.
    """
    doc_ids = sorted(texts)
    tokens = {d: tokenize(texts[d])[0] for d in doc_ids}
    index = _ngram_positions(tokens, n)
    others = {}
    for gram, places in index.items():
        docs = sorted({d for d, _ in places})
        if len(docs) >= 2 and not _too_widespread(len(docs), max_sources):
            others[gram] = docs
    rows = []
    for a in doc_ids:
        toks = tokens[a]
        covered: dict[str, np.ndarray] = {}  # only for sources that share something with a
        for p in range(len(toks) - n + 1):
            for b in others.get(tuple(toks[p:p + n]), ()):
                if b != a:
                    covered.setdefault(b, np.zeros(len(toks), dtype=bool))[p:p + n] = True
        for b in sorted(covered):
            rows.append((a, b, int(covered[b].sum()), len(toks)))
    out = pd.DataFrame(rows, columns=["doc_id", "other", "tokens", "n_tokens"])
    out["share"] = out["tokens"] / out["n_tokens"]
    return out


def top_pairs(pairs: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` unordered pairs of sources that share the most wording.

    ``pairs`` is the output of :func:`shared_pairs`. One row per pair (a < b):
    a, b, tokens_a, tokens_b (each side's tokens shared with the other),
    share_a, share_b, and share (the larger of the two shares). Ranked by the
    larger token count, then the larger share, then a, b.
    """
    cols = ["a", "b", "tokens_a", "tokens_b", "share_a", "share_b", "share"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    fwd = pairs.rename(columns={"doc_id": "a", "other": "b", "tokens": "tokens_a", "share": "share_a"})
    back = pairs.rename(columns={"doc_id": "b", "other": "a", "tokens": "tokens_b", "share": "share_b"})
    both = fwd[fwd["a"] < fwd["b"]][["a", "b", "tokens_a", "share_a"]].merge(
        back[back["a"] < back["b"]][["a", "b", "tokens_b", "share_b"]], on=["a", "b"], how="outer")
    both = both.fillna({"tokens_a": 0, "tokens_b": 0, "share_a": 0.0, "share_b": 0.0})
    both[["tokens_a", "tokens_b"]] = both[["tokens_a", "tokens_b"]].astype("int64")
    both["share"] = both[["share_a", "share_b"]].max(axis=1)
    both["_most"] = both[["tokens_a", "tokens_b"]].max(axis=1)
    both = both.sort_values(["_most", "share", "a", "b"], ascending=[False, False, True, True], kind="stable")
    return both[cols].head(n).reset_index(drop=True)


def shared_tokens_matrix(texts: Mapping[str, str], n: int = 6) -> pd.DataFrame:
    """Tokens of each row source covered by n-grams that also occur in the column source.

    A doc_id x doc_id frame of counts (the diagonal is 0): row A, column B counts
    A's tokens inside some n-gram that B also contains. Not symmetric when a
    passage is repeated within one source. Dense: for a small corpus; on a large
    one use :func:`shared_pairs`.
    """
    doc_ids = sorted(texts)
    pairs = shared_pairs(texts, n=n)
    out = pd.DataFrame(0, index=doc_ids, columns=doc_ids, dtype="int64")
    for row in pairs.itertuples():
        out.loc[row.doc_id, row.other] = row.tokens
    return out


@dataclass(frozen=True)
class Likeness:
    """How alike the sources are (:func:`likeness`).

    Per source (``mode="per_source"``): ``similarity`` (sources x sources TF-IDF cosine) and
    ``pair_tokens`` (words of the row source in passages shared with the column source).
    Many sources: ``summary`` (:class:`framing.measures.terms.SimilaritySummary`) and
    ``top_shared`` (:func:`top_pairs`). Both: ``found`` (:func:`find_shared`) and ``n_words``.
    """

    mode: str
    found: SharedText
    n_words: int
    similarity: pd.DataFrame | None = None
    pair_tokens: pd.DataFrame | None = None
    summary: object = None
    top_shared: pd.DataFrame | None = None

    def off_diagonal(self) -> pd.Series:
        """Cosine of every ordered pair of different sources (per-source mode)."""
        sim = self.similarity
        return sim.where(~np.eye(len(sim), dtype=bool)).stack().dropna()


def likeness(texts: Sequence[str], doc_ids: Sequence[str], mode: str, n: int = 6, top: int = 15,
             max_sources: int = 50) -> Likeness:
    """Vocabulary similarity and shared wording of the sources, for the view ``mode``.

    Shared passages are runs of ``n``+ words (:func:`find_shared`); with many sources an n-gram
    in more than ``max_sources`` sources counts as shared but is not paired.
    """
    from framing.measures import terms

    docs = dict(zip(doc_ids, texts))
    if mode == "per_source":
        return Likeness(mode, find_shared(docs, n=n), n,
                        similarity=terms.cosine_similarity(list(texts), list(doc_ids)),
                        pair_tokens=shared_tokens_matrix(docs, n=n).loc[list(doc_ids), list(doc_ids)])
    return Likeness(mode, find_shared(docs, n=n, max_sources=max_sources), n,
                    summary=terms.similarity_summary(list(texts), list(doc_ids), top=top),
                    top_shared=top_pairs(shared_pairs(docs, n=n, max_sources=max_sources), n=top))


def passage_table(found: SharedText, labels: Mapping[str, str], short: Mapping[str, str], per_source: bool = True,
                  n: int = 15, width: int = 160) -> pd.DataFrame:
    """The shared passages as a table to read: per source, every passage with its sources and
    where it occurs (``short[doc_id] [start:end]`` offsets into the clean text); for many
    sources, the ``n`` found in the most sources, text cut at ``width`` characters."""
    if per_source:
        where = (found.occurrences.assign(place=lambda t: t["doc_id"].map(short) + " [" + t["start"].astype(str)
                                          + ":" + t["end"].astype(str) + "]")
                 .groupby("passage")["place"].agg("; ".join))
        return found.passages.assign(
            sources=found.passages["sources"].map(lambda s: ", ".join(labels[d] for d in s)),
            where=found.passages["passage"].map(where),
        )[["text", "n_tokens", "sources", "where"]].rename(columns={"n_tokens": "words"})
    top = found.passages.sort_values(["n_sources", "n_tokens", "passage"], ascending=[False, False, True],
                                     kind="stable").head(n)
    return (top.assign(text=top["text"].map(lambda x: x if len(x) <= width else x[:width - 1] + "…"),
                       example=top["sources"].map(lambda s: ", ".join(labels[d] for d in s[:3])))
            [["text", "n_tokens", "n_sources", "example"]]
            .rename(columns={"n_tokens": "words", "n_sources": "sources", "example": "first sources"})
            .reset_index(drop=True))
