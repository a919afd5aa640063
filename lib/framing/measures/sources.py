"""Summaries across sources: which to show when there are too many to show each one.

Up to :data:`PER_SOURCE_MAX` sources the notebooks show every source; beyond that they show
the most and least extreme sources on a measure (:func:`top_bottom`), sources pooled by outlet
when the manifest names few enough outlets (:func:`outlet_groups`, :func:`regroup`; per-outlet
statistics then come from the ordinary per-source functions, e.g.
:func:`framing.measures.compare.source_summary`), the share of sources per category
(:func:`share_of_sources`) and distributions over sources (:func:`describe_sources`).
:mod:`framing.views.plots_sources` draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterable

import pandas as pd

__all__ = ["PER_SOURCE_MAX", "TOP_N", "NO_OUTLET", "top_bottom", "outlet_groups", "regroup", "share_of_sources",
           "describe_sources"]

#: Up to this many sources (or outlets), each is shown on its own (one colour each).
PER_SOURCE_MAX = 12
#: How many sources a top-N view shows at each end.
TOP_N = 10

#: Group name of the articles whose manifest row names no outlet.
NO_OUTLET = "(no outlet)"


def top_bottom(table: pd.DataFrame, column: str, n: int = TOP_N, tiebreak: str | None = None) -> pd.DataFrame:
    """The ``n`` rows with the highest and the ``n`` with the lowest ``column``.

    Rows with NaN in ``column`` are left out. Ties are broken by ``tiebreak``
    (a column, larger values nearer the ends: e.g. the number of sentences, so
    that among sources at +1 the best-supported come first), then by the index
    (sorted ascending), so the choice is deterministic. The result is sorted by
    ``column`` descending and has a column ``end``: ``"highest"`` or
    ``"lowest"``. When there are at most ``2 n`` rows, every row is returned
    (the upper half marked highest).
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, not {n}")
    valid = table[table[column].notna()].sort_index(kind="mergesort")
    if tiebreak is None:
        ranked = valid.sort_values(column, ascending=False, kind="mergesort")
    else:
        # descending by column; within a tie, larger tiebreak first at the top end and last at the bottom end
        high = valid.sort_values([column, tiebreak], ascending=[False, False], kind="mergesort")
        low = valid.sort_values([column, tiebreak], ascending=[False, True], kind="mergesort")
        if len(valid) > 2 * n:
            return pd.concat([high.iloc[:n].assign(end="highest"), low.iloc[-n:].assign(end="lowest")])
        ranked = high
    if len(ranked) <= 2 * n:
        half = (len(ranked) + 1) // 2
        ends = ["highest"] * half + ["lowest"] * (len(ranked) - half)
        return ranked.assign(end=ends)
    high = ranked.iloc[:n].assign(end="highest")
    low = ranked.iloc[-n:].assign(end="lowest")
    return pd.concat([high, low])


def outlet_groups(corpus: pd.DataFrame, max_outlets: int = PER_SOURCE_MAX) -> pd.Series | None:
    """doc_id -> outlet, when the manifest names between 2 and ``max_outlets`` groups; else None.

    Articles with an empty outlet form the group :data:`NO_OUTLET` (counted as
    one group). None when no article has an outlet, when all share one group,
    or when there are more groups than ``max_outlets`` (then a per-outlet view
    would be as unreadable as a per-source one).
    """
    if "outlet" not in corpus.columns:
        return None
    outlet = corpus["outlet"].fillna("").astype(str).str.strip()
    if not (outlet != "").any():
        return None
    groups = outlet.where(outlet != "", NO_OUTLET)
    if not 2 <= groups.nunique() <= max_outlets:
        return None
    return pd.Series(groups.to_numpy(), index=corpus["doc_id"].to_numpy(), name="outlet")


def regroup(table: pd.DataFrame, groups: pd.Series, column: str = "doc_id") -> pd.DataFrame:
    """A copy of ``table`` whose ``column`` holds the group of each row's doc_id instead.

    With it, every per-source function (``compare.source_summary``,
    ``compare.frame_shares``, ...) gives per-group results: the sentences of a
    group are pooled. Rows whose doc_id has no group are dropped.
    """
    mapped = table[column].map(groups)
    return table.loc[mapped.notna()].assign(**{column: mapped[mapped.notna()]})


def share_of_sources(counts: pd.DataFrame) -> pd.Series:
    """Per column, the share of rows (sources) with a count above zero (or True).

    ``counts`` is a source x category table (sentences naming a risk
    sub-theme, lines removed by a rule, criteria met...). Sorted descending,
    ties in column order.
    """
    if counts.empty:
        return pd.Series(dtype=float)
    present = counts.fillna(0).astype(float) > 0
    return present.mean(axis=0).sort_values(ascending=False, kind="mergesort")


def describe_sources(table: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Distribution over sources of each numeric column: n, mean, and quartiles (one row per column)."""
    columns = list(columns) if columns is not None else list(table.select_dtypes("number").columns)
    values = table[columns].astype(float)
    out = pd.DataFrame({
        "sources": values.notna().sum(),
        "mean": values.mean(),
        "min": values.min(),
        "25%": values.quantile(0.25),
        "median": values.median(),
        "75%": values.quantile(0.75),
        "max": values.max(),
    })
    out.index.name = "measure"
    return out


# ------------------------------------------------------------------ drawing
