"""The tables behind a report: one row per sentence, one row per source, as CSV.

:func:`build` formats what :func:`framing.pipeline.build` computed: per sentence, the
measures of :func:`framing.measures.analysis.measure` (sentiment adapted and raw, frame, hype, hedge,
the cues that fired, risk sub-themes) and the topic of the chosen topic model.
The per-source table counts the sentences notebook 03 counts (:func:`framing.measures.analysis.analysed`:
no headings, no boilerplate) and carries the balance index and rates with their intervals
(:func:`framing.measures.compare.source_summary`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Sequence

    from numpy.typing import ArrayLike
    import os

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framing.measures.analysis import analysed
from framing.pipeline import build as build_corpus, Built, Prepared

__all__ = ["Tables", "build", "write", "groups_table", "sources_table", "period_unit", "shares_by_period"]

SENTENCE_COLUMNS = ["sentence_id", "doc_id", "label", "outlet", "paragraph", "sentence", "is_heading", "n_words"]


@dataclass(frozen=True)
class Tables:
    """sentences: one row per sentence; sources: one row per article; groups: one row per group of
    articles when a grouping column was given (else None)."""

    sentences: pd.DataFrame
    sources: pd.DataFrame
    groups: pd.DataFrame | None = None


def sources_table(data: Prepared, sentences: pd.DataFrame, frames: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per article: manifest fields, sizes, cleaning, and the means of the sentence measures.

    ``frames``: the frames given a ``share_<frame>`` column (default: those of ``sentences``); the
    Dask engine, which makes this table part by part, passes those of the whole corpus."""
    corpus = data.corpus
    keep = [c for c in ["doc_id", "label", "outlet", "title", "date", "url", "file", "format", "language",
                        "n_bytes", "n_chars", "n_clean_chars", "sha256", "duplicate_of"] if c in corpus.columns]
    out = corpus[keep].copy()
    from framing.measures.compare import source_summary

    body = analysed(sentences) if "frame" in sentences.columns else sentences[~sentences["is_heading"]]
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
        if frames is not None:
            shares = shares.reindex(columns=sorted(frames), fill_value=0.0)
        for frame in shares.columns:
            out[f"share_{frame}"] = out["doc_id"].map(shares[frame]).fillna(0.0)
    if {"frame", "hype", "hedge"} <= set(body.columns) and len(body):
        stats = source_summary(body).set_index("doc_id")
        for column in ["balance", "balance_low", "balance_high", "hype_per_100", "hype_low", "hype_high",
                       "hedge_per_100", "hedge_low", "hedge_high"]:
            out[column] = out["doc_id"].map(stats[column])
    if "topic" in body.columns and len(body):
        dominant = body.groupby("doc_id")["topic"].agg(lambda s: s.value_counts().sort_index().idxmax())
        out["main_topic"] = out["doc_id"].map(dominant)
    return out.reset_index(drop=True)


def groups_table(built: Built, column: str) -> pd.DataFrame:
    """One row per group of articles by the manifest column ``column`` (notebook 07's numbers):
    articles, sentences, balance, hype, hedging and sentiment with cluster-bootstrap 95% intervals
    (:func:`framing.measures.groups.group_summary`), the share of each frame and the share of the
    group's articles naming each risk sub-theme (``names_<sub-theme>``)."""
    from framing.measures import groups

    body = analysed(built.measured)
    by = groups.groups_of(built.corpus, column)
    table = groups.group_summary(body, by)
    table = table.join(groups.group_frame_shares(body, by).add_prefix("share_"))
    table = table.join(groups.group_subthemes(body, by).add_prefix("names_"))
    return table.rename_axis(column).reset_index()


def build(built_or_path: Built | str | os.PathLike[str], n_jobs: int | None = None, group: str = "") -> Tables:
    """Sentence and source tables of a built corpus (:func:`framing.pipeline.build`, or a folder,
    built here), and the groups table when ``group`` names a manifest column (:func:`groups_table`)."""
    built = built_or_path if isinstance(built_or_path, Built) else build_corpus(built_or_path, n_jobs=n_jobs)
    meta = built.corpus.set_index("doc_id")
    table = built.measured.drop(columns=["start", "end"])
    table.insert(2, "label", table["doc_id"].map(meta["label"]))
    table.insert(3, "outlet", table["doc_id"].map(meta["outlet"]))
    table = table[[c for c in table.columns if c != "text"] + ["text"]]
    return Tables(sentences=table, sources=built.sources, groups=groups_table(built, group) if group else None)


def write(tables: Tables, folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``sentences.csv``, ``sources.csv`` and, with groups, ``groups.csv`` (UTF-8, dates as
    YYYY-MM-DD) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    named = [("sentences", tables.sentences), ("sources", tables.sources)]
    for name, frame in named + ([("groups", tables.groups)] if tables.groups is not None else []):
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, date_format="%Y-%m-%d", float_format="%.6g", lineterminator="\n")
        paths.append(path)
    return paths


def period_unit(dates: ArrayLike, precision: ArrayLike | None = None) -> str | None:
    """``"M"`` (months) or ``"Y"`` (years) for a time view of these dates, None without dates.

    Months while the dated articles span at most three years, years beyond, and years whenever
    a dated article's manifest gives its year only (``precision``: the corpus's
    ``date_precision`` column), so that "2024" is never shown as "2024-01".
    """
    dates = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    if precision is not None and (pd.Series(list(precision))[dates.notna().to_numpy()] == "year").any():
        return "Y" if dates.notna().any() else None
    dates = dates.dropna()
    if dates.empty:
        return None
    span_days = (dates.max() - dates.min()).days
    return "M" if span_days <= 3 * 366 else "Y"


def shares_by_period(sentences: pd.DataFrame, corpus: pd.DataFrame, column: str = "frame",
                     unit: str | None = None) -> pd.DataFrame:
    """Share of each value of ``column`` among the body sentences (no headings, no boilerplate) of each period.

    ``sentences`` needs doc_id, is_heading and ``column``; ``corpus`` needs
    doc_id and date (from the manifest). Rows are periods (``"2024-03"`` or
    ``"2024"``) in time order, with ``n_articles`` and ``n_sentences``; the
    shares of a row sum to 1. Undated articles are left out; an empty frame
    comes back when no article has a date.
    """
    unit = unit or period_unit(corpus["date"], corpus["date_precision"] if "date_precision" in corpus.columns else None)
    if unit is None:
        return pd.DataFrame(columns=["period", "n_articles", "n_sentences"])
    dated = corpus.loc[corpus["date"].notna(), ["doc_id", "date"]]
    period = dated.set_index("doc_id")["date"].dt.to_period(unit).astype(str)
    body = analysed(sentences) if "frame" in sentences.columns else sentences[~sentences["is_heading"]]
    body = body.loc[body["doc_id"].isin(period.index), ["doc_id", column]]
    body = body.assign(period=body["doc_id"].map(period))
    shares = pd.crosstab(body["period"], body[column], normalize="index")
    shares.columns = [str(c) for c in shares.columns]
    counts = body.groupby("period").agg(n_articles=("doc_id", "nunique"), n_sentences=("doc_id", "size"))
    out = counts.join(shares).sort_index().reset_index()
    return out
