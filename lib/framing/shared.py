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
a boilerplate sentence found in m sources costs m(m-1)/2 pair checks; the
sources x sources summary of :func:`shared_tokens_matrix` is dense.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["tokenize", "SharedText", "find_shared", "shared_tokens_matrix"]

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
    """

    passages: pd.DataFrame
    occurrences: pd.DataFrame
    coverage: pd.DataFrame
    n: int


def _ngram_positions(tokens: Mapping[str, list[str]], n: int) -> dict[tuple, list]:
    """n-gram -> [(doc_id, position), ...] in document order."""
    index: dict[tuple, list] = defaultdict(list)
    for doc_id, toks in tokens.items():
        for p in range(len(toks) - n + 1):
            index[tuple(toks[p:p + n])].append((doc_id, p))
    return index


def _pairwise_matches(index: dict[tuple, list], n: int) -> set[tuple]:
    """Maximal common token runs of every pair of sources: {(doc_a, start_a, doc_b, start_b, length)}.

    Each n-gram found in two sources is a hit (position in a, position in b);
    hits on the same diagonal (same position difference) at consecutive
    positions chain into one run of length last - first + n.
    """
    hits: dict[tuple, list] = defaultdict(list)  # (a, b) -> [(pos_a, pos_b)]
    for places in index.values():
        docs = {d for d, _ in places}
        if len(docs) < 2:
            continue
        for (a, pa), (b, pb) in itertools.combinations(sorted(places), 2):
            if a != b:
                hits[(a, b)].append((pa, pb))
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


def find_shared(texts: Mapping[str, str], n: int = 6, min_sources: int = 2) -> SharedText:
    """Find word n-grams of ``n`` or more tokens shared by ``min_sources`` or more sources.

    ``texts`` maps doc_id -> text. For every pair of sources, the n-grams they
    share are chained into maximal common spans; the distinct wordings of these
    spans are the passages, each listed with every place it occurs. A shorter
    passage can lie inside a longer one when it is also shared in a shorter
    form: more widely (A and B share ten words, of which C also has seven) or
    at another place (B repeats only part of the span). Passages are
    numbered by descending length, then by wording. Coverage counts each source's
    tokens inside any n-gram found in ``min_sources`` or more sources.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    doc_ids = sorted(texts)
    tokens, offsets = {}, {}
    for d in doc_ids:
        tokens[d], offsets[d] = tokenize(texts[d])
    index = _ngram_positions(tokens, n)
    places = set()  # (wording, doc_id, token_start, token_end)
    for a, sa, b, sb, length in _pairwise_matches(index, n):
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
    coverage = []
    for d in doc_ids:
        covered = np.zeros(len(tokens[d]), dtype=bool)
        for p in range(len(tokens[d]) - n + 1):
            if len({doc for doc, _ in index[tuple(tokens[d][p:p + n])]}) >= min_sources:
                covered[p:p + n] = True
        coverage.append((d, len(tokens[d]), int(covered.sum())))
    cov = pd.DataFrame(coverage, columns=["doc_id", "n_tokens", "shared_tokens"])
    cov["share"] = cov["shared_tokens"] / cov["n_tokens"].where(cov["n_tokens"] > 0)
    return SharedText(passages=passages, occurrences=occurrences, coverage=cov, n=n)


def shared_tokens_matrix(texts: Mapping[str, str], n: int = 6) -> pd.DataFrame:
    """Tokens of each row source covered by n-grams that also occur in the column source.

    A doc_id x doc_id frame of counts (the diagonal is 0): row A, column B counts
    A's tokens inside some n-gram that B also contains. Not symmetric when a
    passage is repeated within one source.
    """
    doc_ids = sorted(texts)
    tokens = {d: tokenize(texts[d])[0] for d in doc_ids}
    index = _ngram_positions(tokens, n)
    out = pd.DataFrame(0, index=doc_ids, columns=doc_ids, dtype="int64")
    for a in doc_ids:
        toks = tokens[a]
        covered: dict[str, np.ndarray] = {}  # only for sources that share something with a
        for p in range(len(toks) - n + 1):
            for b in {doc for doc, _ in index[tuple(toks[p:p + n])]}:
                if b != a:
                    covered.setdefault(b, np.zeros(len(toks), dtype=bool))[p:p + n] = True
        for b, mask in covered.items():
            out.loc[a, b] = int(mask.sum())
    return out
