"""The tables behind a report: one row per sentence, one row per source, as CSV.

:func:`build` starts from :func:`framing.pipeline.prepare` and adds, per
sentence, whatever measures the installed package provides:

* ``sentiment`` -- :func:`framing.sentiment.score` (VADER compound per text);
* ``frame``, ``hype``, ``hedge`` (and ``cues``, ``subthemes``) --
  :func:`framing.frames.label`;
* ``topic`` -- :func:`framing.topics.assign` (one topic label per sentence).

A measure whose module is not there is left out and listed in
``Tables.missing``, so the same code runs before and after those modules are
merged. Per-sentence measures run on all cores (:func:`framing.parallel.map_chunks`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .parallel import map_chunks
from .pipeline import Prepared, prepare

__all__ = ["Tables", "build", "write", "sentence_measures", "source_summary", "optional_measure", "MEASURES",
           "period_unit", "shares_by_period"]

#: (module, function, what it adds): the optional per-sentence measures, in column order.
MEASURES = (
    ("framing.frames", "label", "frame, hype, hedge, cues, subthemes"),
    ("framing.sentiment", "score", "sentiment (VADER compound)"),
    ("framing.topics", "assign", "topic"),
)

SENTENCE_COLUMNS = ["sentence_id", "doc_id", "label", "outlet", "paragraph", "sentence", "is_heading", "n_words"]


@dataclass(frozen=True)
class Tables:
    """sentences: one row per sentence; sources: one row per article; missing: measures not available."""

    sentences: pd.DataFrame
    sources: pd.DataFrame
    missing: list[str] = field(default_factory=list)


def optional_measure(module: str, name: str):
    """The function ``module.name``, or None when that module is not in this build."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and module.startswith(err.name):
            return None
        raise
    return getattr(mod, name, None)


def sentence_measures(texts: list[str], n_jobs: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Per-sentence measures from the modules that exist; returns ``(frame, missing)``."""
    texts = list(texts)
    out = pd.DataFrame(index=range(len(texts)))
    missing = []
    for module, name, what in MEASURES:
        func = optional_measure(module, name)
        if func is None:
            missing.append(f"{module}.{name} ({what})")
            continue
        if module == "framing.topics":
            # topics are fitted on the whole set of sentences: not split across processes
            values = func(texts)
        else:
            values = map_chunks(func, texts, n_jobs=n_jobs)
        if isinstance(values, pd.DataFrame):
            values = values.reset_index(drop=True)
            for column in values.columns:
                out[column] = _flat(values[column])
        else:
            column = {"framing.sentiment": "sentiment", "framing.topics": "topic"}[module]
            out[column] = list(values)
    return out, missing


def _flat(column: pd.Series) -> pd.Series:
    """Lists and sets (cues, subthemes) become '; '-joined strings so the CSV stays one value per cell."""
    def one(value):
        if isinstance(value, (list, tuple, set, frozenset)):
            return "; ".join(sorted(str(v) for v in value))
        return value
    return column.map(one)


def source_summary(data: Prepared, sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per article: manifest fields, sizes, cleaning, and the means of the sentence measures."""
    corpus = data.corpus
    keep = [c for c in ["doc_id", "label", "outlet", "title", "date", "url", "file", "format", "language",
                        "n_bytes", "n_chars", "n_clean_chars", "sha256", "duplicate_of"] if c in corpus.columns]
    out = corpus[keep].copy()
    body = sentences[~sentences["is_heading"]]
    by_doc = body.groupby("doc_id")
    out["n_sentences"] = out["doc_id"].map(by_doc.size()).fillna(0).astype(int)
    out["n_words"] = out["doc_id"].map(by_doc["n_words"].sum()).fillna(0).astype(int)
    out["lines_removed"] = out["doc_id"].map(data.audit.groupby("doc_id").size()).fillna(0).astype(int)
    if "sentiment" in body.columns:
        out["mean_sentiment"] = out["doc_id"].map(by_doc["sentiment"].mean())
    for flag in ("hype", "hedge"):
        if flag in body.columns and pd.api.types.is_numeric_dtype(body[flag]):
            out[f"{flag}_share"] = out["doc_id"].map(by_doc[flag].mean())
    if "frame" in body.columns:
        shares = pd.crosstab(body["doc_id"], body["frame"], normalize="index")
        for frame in shares.columns:
            out[f"share_{frame}"] = out["doc_id"].map(shares[frame]).fillna(0.0)
    if "topic" in body.columns and len(body):
        dominant = body.groupby("doc_id")["topic"].agg(lambda s: s.value_counts().sort_index().idxmax())
        out["main_topic"] = out["doc_id"].map(dominant)
    return out.reset_index(drop=True)


def build(data_or_path, n_jobs: int | None = None) -> Tables:
    """Sentence and source tables for a prepared corpus (or a folder, prepared here)."""
    data = data_or_path if isinstance(data_or_path, Prepared) else prepare(data_or_path)
    sentences = data.sentences
    meta = data.corpus.set_index("doc_id")
    table = sentences[["sentence_id", "doc_id", "paragraph", "sentence", "is_heading", "n_words"]].copy()
    table.insert(2, "label", table["doc_id"].map(meta["label"]))
    table.insert(3, "outlet", table["doc_id"].map(meta["outlet"]))
    measures, missing = sentence_measures(sentences["text"].tolist(), n_jobs=n_jobs)
    measures.index = table.index
    table = pd.concat([table, measures], axis=1)
    table["text"] = sentences["text"].to_numpy()
    return Tables(sentences=table, sources=source_summary(data, table), missing=missing)


def write(tables: Tables, folder) -> list[Path]:
    """Write ``sentences.csv`` and ``sources.csv`` (UTF-8, dates as YYYY-MM-DD) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in (("sentences", tables.sentences), ("sources", tables.sources)):
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, date_format="%Y-%m-%d", float_format="%.6g", lineterminator="\n")
        paths.append(path)
    return paths


def period_unit(dates) -> str | None:
    """``"M"`` (months) or ``"Y"`` (years) for a time view of these dates, None without dates.

    Months while the dated articles span at most three years, years beyond.
    """
    dates = pd.to_datetime(pd.Series(dates)).dropna()
    if dates.empty:
        return None
    span_days = (dates.max() - dates.min()).days
    return "M" if span_days <= 3 * 366 else "Y"


def shares_by_period(sentences: pd.DataFrame, corpus: pd.DataFrame, column: str = "frame",
                     unit: str | None = None) -> pd.DataFrame:
    """Share of each value of ``column`` among the body sentences of the articles of each period.

    ``sentences`` needs doc_id, is_heading and ``column``; ``corpus`` needs
    doc_id and date (from the manifest). Rows are periods (``"2024-03"`` or
    ``"2024"``) in time order, with ``n_articles`` and ``n_sentences``; the
    shares of a row sum to 1. Undated articles are left out; an empty frame
    comes back when no article has a date.
    """
    unit = unit or period_unit(corpus["date"])
    if unit is None:
        return pd.DataFrame(columns=["period", "n_articles", "n_sentences"])
    dated = corpus.loc[corpus["date"].notna(), ["doc_id", "date"]]
    period = dated.set_index("doc_id")["date"].dt.to_period(unit).astype(str)
    body = sentences.loc[~sentences["is_heading"] & sentences["doc_id"].isin(period.index), ["doc_id", column]]
    body = body.assign(period=body["doc_id"].map(period))
    shares = pd.crosstab(body["period"], body[column], normalize="index")
    shares.columns = [str(c) for c in shares.columns]
    counts = body.groupby("period").agg(n_articles=("doc_id", "nunique"), n_sentences=("doc_id", "size"))
    out = counts.join(shares).sort_index().reset_index()
    return out
