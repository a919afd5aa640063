"""The shared first steps of every analysis: load, clean, split into sentences."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

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


#: Folder where :func:`prepare` keeps its results between calls (set by the report runner).
CACHE_ENV = "FRAMING_PREPARE_CACHE"


def _cache_key(path, on_error: str) -> str | None:
    """Key of the folder's files (names, sizes, mtimes) and of the package code; None if unreadable."""
    digest = hashlib.sha256(f"{on_error}\0".encode())
    try:
        folder = Path(path).resolve()
        digest.update(str(folder).encode())
        for file in sorted(folder.iterdir()):
            if file.is_file():
                stat = file.stat()
                digest.update(f"{file.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        for source in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(source.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def prepare(path, on_error: str = "raise", n_jobs: int | None = None) -> Prepared:
    """Load the folder ``path`` and return its clean text, audit and sentences.

    Extracting web pages (from 20 pages), cleaning and sentence splitting (from
    200 articles) share the documents among ``n_jobs`` processes (``None``: all
    cores; 1: this process only); the result is the same whatever ``n_jobs``.

    When the environment variable ``FRAMING_PREPARE_CACHE`` names a folder (the
    report runner sets it to a temporary folder), the result is kept there and
    reused by later calls on the unchanged folder, so six notebooks do not
    extract the same pages six times.
    """
    cache = os.environ.get(CACHE_ENV, "")
    key = _cache_key(path, on_error) if cache else None
    if key:
        stored = Path(cache) / f"prepared-{key}.pkl"
        if stored.exists():
            with stored.open("rb") as handle:
                return pickle.load(handle)
    corpus, audit = clean_corpus(load_corpus(path, on_error=on_error, n_jobs=n_jobs), n_jobs=n_jobs)
    prepared = Prepared(corpus=corpus, audit=audit, sentences=sentence_table(corpus, n_jobs=n_jobs))
    if key:
        Path(cache).mkdir(parents=True, exist_ok=True)
        partial = stored.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(stored)
    return prepared
