"""The shared first steps of every analysis: load, clean, split into sentences."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .clean import clean_corpus
from .corpus import load_corpus
from .segment import sentence_table

__all__ = ["Prepared", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """A corpus ready for analysis.

    corpus: one row per article, with ``clean_text`` added.
    audit: one row per line that cleaning removed (doc_id, line, rule, text).
    sentences: one row per sentence of the clean text (see :func:`framing.segment.sentence_table`).
    """

    corpus: pd.DataFrame
    audit: pd.DataFrame
    sentences: pd.DataFrame

    @property
    def labels(self) -> dict[str, str]:
        """doc_id -> short label for figures."""
        return dict(zip(self.corpus["doc_id"], self.corpus["label"]))


def prepare(path, on_error: str = "raise", n_jobs: int | None = None) -> Prepared:
    """Load the folder ``path`` and return its clean text, audit and sentences.

    Extracting web pages (from 20 pages), cleaning and sentence splitting (from
    200 articles) share the documents among ``n_jobs`` processes (``None``: all
    cores; 1: this process only); the result is the same whatever ``n_jobs``.
    """
    corpus, audit = clean_corpus(load_corpus(path, on_error=on_error, n_jobs=n_jobs), n_jobs=n_jobs)
    return Prepared(corpus=corpus, audit=audit, sentences=sentence_table(corpus, n_jobs=n_jobs))
