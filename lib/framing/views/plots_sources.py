"""Plots of per-source results that stay readable whatever the number of sources.

Up to :data:`framing.views.style.PER_SOURCE_MAX` sources the notebooks draw one
colour per source (:func:`framing.views.style.view_mode` says ``"per_source"``).
Beyond that they switch to the plots drawn here, of the selections and summaries that
:mod:`framing.measures.sources` computes:

* distributions across sources (:func:`plot_distribution`);
* the most and least extreme sources on a measure with their intervals
  (:func:`framing.measures.sources.top_bottom`, :func:`plot_intervals`);
* share-of-sources bars instead of source x category grids
  (:func:`framing.measures.sources.share_of_sources`, :func:`plot_share_bars`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Collection, Mapping, Sequence
    from numpy.typing import ArrayLike
    from matplotlib.axes import Axes

import numpy as np
import pandas as pd


__all__ = [
    "n_bins", "share_label", "plot_distribution", "plot_intervals", "plot_share_bars", "plot_box_by_column", "plot_stacked_shares",
]

def n_bins(n: int) -> int:
    """Histogram bins for ``n`` values: twice the square root, between 8 and 30."""
    return int(min(30, max(8, 2 * np.sqrt(max(n, 0)))))


def plot_distribution(ax: Axes, values: ArrayLike, xlabel: str, bins: int | Sequence[float] | None = None, color: str = "#0072B2",
                      value_range: tuple[float, float] | None = None, fmt: str = "{:.2f}", ylabel: str = "sources") -> float:
    """Histogram of one value per source (counts on integer ticks), with the median marked; returns the median.

    ``bins`` defaults to :func:`n_bins`; pass the same ``value_range`` to panels that are to be compared.
    """
    from matplotlib.ticker import MaxNLocator

    values = pd.Series(values, dtype=float).dropna().to_numpy()
    median = float(np.median(values)) if len(values) else float("nan")
    bins = n_bins(len(values)) if bins is None else bins
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(values):
        ax.hist(values, bins=bins, range=value_range, color=color, edgecolor="white", linewidth=0.5)
        ax.axvline(median, color="black", linewidth=1.2, linestyle="--")
        ax.annotate(f"median {fmt.format(median)}", xy=(median, 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -2), textcoords="offset points", ha="left", va="top", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return median


def plot_intervals(ax: Axes, table: pd.DataFrame, column: str, low: str, high: str, names: Sequence[str] | None = None, color: str | Sequence[str] | None = "#0072B2",
                   xlim: tuple[float, float] | None = None, zero_line: bool = False) -> "Axes":
    """One row per entry of ``table`` (top to bottom in table order): estimate and its interval."""
    names = list(table.index) if names is None else list(names)
    colors = color if isinstance(color, (list, tuple)) else [color] * len(table)
    y = np.arange(len(table))[::-1]
    for yi, (_, row), c in zip(y, table.iterrows(), colors):
        ax.plot([row[low], row[high]], [yi, yi], color=c, linewidth=2, solid_capstyle="round")
        ax.plot(row[column], yi, "o", color=c, markersize=5, markeredgecolor="white")
    ax.set_yticks(y, names)
    ax.set_ylim(-0.7, len(table) - 0.3)
    if xlim:
        ax.set_xlim(*xlim)
    if zero_line:
        ax.axvline(0, color="#999999", linewidth=0.8, linestyle=":")
    return ax


def share_label(share: float) -> str:
    """A share as a whole percentage, "<1%" for a share above 0 that rounds to 0 and ">99%" below 1 that rounds to 100."""
    text = f"{100 * share:.0f}%"
    if text == "0%" and share > 0:
        return "<1%"
    if text == "100%" and share < 1:
        return ">99%"
    return text


def plot_share_bars(ax: Axes, shares: pd.Series, xlabel: str = "share of sources", color: str | Sequence[str] | None = "#0072B2") -> "Axes":
    """Horizontal bars of shares (0..1), first on top, each labelled with :func:`share_label`.

    ``color`` is one colour or a dict from index value to colour (others get the first dict value).
    """
    y = np.arange(len(shares))[::-1]
    if shares.empty:
        ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes, color="#777777")
    if isinstance(color, dict):
        default = next(iter(color.values()))
        color = [color.get(i, default) for i in shares.index]
    ax.barh(y, shares.to_numpy(), color=color, height=0.7)
    for yi, v in zip(y, shares.to_numpy()):
        ax.text(min(v, 1) + 0.01, yi, share_label(v), va="center", fontsize=8)
    ax.set_yticks(y, [str(i).replace("_", " ") for i in shares.index])
    ax.set_xlim(0, 1.1)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
    ax.set_xlabel(xlabel)
    return ax


def plot_box_by_column(ax: Axes, table: pd.DataFrame, colors: Mapping[str, str] | None = None, ylabel: str = "") -> "Axes":
    """One box per column of ``table`` (rows: sources), whiskers at 5th/95th percentiles, no fliers."""
    data = [table[c].dropna().to_numpy(dtype=float) for c in table.columns]
    parts = ax.boxplot(data, positions=range(len(data)), widths=0.55, whis=(5, 95), showfliers=False,
                       patch_artist=True, medianprops={"color": "black"})
    for patch, c in zip(parts["boxes"], table.columns):
        patch.set_facecolor((colors or {}).get(c, "#DDDDDD"))
        patch.set_edgecolor("#555555")
    ax.set_xticks(range(len(data)), [str(c).replace("_", " ") for c in table.columns])
    ax.set_ylabel(ylabel)
    return ax


def plot_stacked_shares(ax: Axes, shares: pd.DataFrame, colors: dict, label_min: float = 0.06,
                        dark: Collection[str] = ("promise", "risk"), xlabel: str = "share of body sentences") -> "Axes":
    """One horizontal bar per row of ``shares`` (first row on top), its columns stacked, each share of at least
    ``label_min`` written inside in percent. Used per source (few sources) and per outlet."""
    left = np.zeros(len(shares))
    y = np.arange(len(shares))[::-1]
    for column in shares.columns:
        values = shares[column].to_numpy()
        ax.barh(y, values, left=left, color=colors[column], edgecolor="white", linewidth=0.6, label=column)
        for yi, (start, v) in enumerate(zip(left, values)):
            if v >= label_min:
                ax.text(start + v / 2, y[yi], f"{100 * v:.0f}%", ha="center", va="center", fontsize=7,
                        color="white" if column in dark else "black")
        left += values
    ax.set_yticks(y, shares.index)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
    ax.set_xlabel(xlabel)
    return ax
