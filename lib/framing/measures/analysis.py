"""All per-sentence measures in one table: the input of every per-source comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Callable
    from contextlib import AbstractContextManager

from itertools import groupby

import pandas as pd

from framing.measures import coder, frames, sentiment

__all__ = ["measure", "analysed", "label_sentences"]


def measure(sentences: pd.DataFrame, n_jobs: int | None = 1,
            stage: Callable[[str], AbstractContextManager] | None = None) -> pd.DataFrame:
    """Add sentiment (raw and adapted VADER) and the frame coding to a sentence table.

    ``sentences`` needs a ``text`` column (e.g. :attr:`framing.pipeline.Prepared.sentences`).
    Returns a copy with columns ``sentiment_raw``, ``sentiment`` (the adapted, default score)
    and every column of :func:`framing.measures.frames.label` (frame, hype, hedge, cues, sub-themes,
    frame probabilities), coded with each sentence's article as context (``doc_id``; the
    sentences of an article must be together, in reading order).
    ``n_jobs`` processes share the work on large inputs (:func:`framing._parallel.map_chunks`;
    ``None``: all cores); the result does not depend on it. ``stage``: see :func:`framing.pipeline.build`.
    """
    from framing._parallel import map_chunks
    from framing.pipeline import _no_stage

    stage = stage or _no_stage
    texts = sentences["text"].tolist()
    with stage("sentiment"):
        scores = map_chunks(sentiment.both_scores, texts, n_jobs=n_jobs)
    with stage("framing"):
        labels = label_sentences(sentences, n_jobs=n_jobs)
    out = sentences.reset_index(drop=True).copy()
    out["sentiment_raw"] = scores["raw"].to_numpy()
    out["sentiment"] = scores["adapted"].to_numpy()
    for column in labels.columns:
        out[column] = labels[column].to_numpy()
    return out


#: About this many sentences are coded at a time (whole articles), so that memory does not grow with the corpus.
#: Each worker's feature matrices grow with it: on the 25 MB bench corpus, coding on two cores took
#: 776 MiB above the table's memory at 25,000, 478 MiB at 5,000, in the same time (20 s).
CHUNK_SENTENCES = 5_000


def label_sentences(sentences: pd.DataFrame, n_jobs: int | None = 1) -> pd.DataFrame:
    """:func:`framing.measures.frames.label` of a sentence table, each article's sentences as context.

    Articles are runs of equal ``doc_id`` (a table without it is one article per sentence);
    ``n_jobs`` processes share whole articles, in chunks of about :data:`CHUNK_SENTENCES`
    sentences; the result depends on neither.
    """
    import math

    from framing._parallel import _chunks, default_jobs, map_chunks

    texts = sentences["text"].tolist()
    docs = sentences["doc_id"].tolist() if "doc_id" in sentences else list(range(len(texts)))
    articles = [(d, [t for _, t in run]) for d, run in groupby(zip(docs, texts), key=lambda pair: pair[0])]
    # The model, the rule coder's Hyperscan database (compiled in 0.4 s) and the coder's lookup
    # tables are built once here, by coding one short article, so forked workers share them
    # instead of each building its own.
    coder.warm()
    frames.label(["Ketamine may help.", "It can raise blood pressure."], doc=[0, 0])
    jobs = default_jobs() if n_jobs is None else max(1, int(n_jobs))
    parts = max(1, math.ceil(len(texts) / CHUNK_SENTENCES))  # bounds the feature matrices held at once
    if jobs == 1 or len(articles) < 200:
        return pd.concat([_label_articles(part) for part in _chunks(articles, parts)], ignore_index=True) \
            if parts > 1 and len(articles) > 1 else _label_articles(articles)
    return map_chunks(_label_articles, articles, n_jobs=jobs, min_items=200, chunks_per_job=max(4, math.ceil(parts / jobs)))


def _label_articles(articles: list) -> pd.DataFrame:
    """Frame coding of whole articles ``[(doc_id, [texts in reading order]), ...]``, with context."""
    texts = [t for _, run in articles for t in run]
    doc = [i for i, (_, run) in enumerate(articles) for _ in run]
    return frames.label(texts, doc=doc)


def analysed(measured: pd.DataFrame) -> pd.DataFrame:
    """The sentences that count in per-source comparisons: body sentences, not headings or boilerplate."""
    keep = ~measured["is_heading"] & (measured["frame"] != "boilerplate")
    return measured.loc[keep].reset_index(drop=True)
