"""Figures of notebook 02 for corpora with more sources than colours (``style.view_mode == "aggregate"``).

Up to twelve sources, notebook 02 draws one colour per source. Beyond that these
functions draw views that stay readable whatever the number of sources:
distinctive terms of at most twelve groups (the largest sources or the outlets,
see :func:`framing.measures.terms.term_groups`), distributions of pairwise similarity and
of shared wording with the top pairs named, and the spread of topic shares over
sources. Each function takes the tables computed by ``framing.measures.terms``,
``framing.measures.passages`` and ``framing.measures.topics`` and returns a matplotlib figure; it
computes nothing itself except what it draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from matplotlib.figure import Figure

import math
import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["GREY", "short_label", "term_panels", "likeness_overview", "topic_spread"]

#: Colour of aggregate views (no source has its own colour there).
GREY = "0.35"


def short_label(text: str, width: int = 28) -> str:
    """``text`` cut to ``width`` characters with an ellipsis, for tick labels."""
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def term_panels(table: pd.DataFrame, groups: Sequence[str], value: str = "z", key: str = "group",
                colors: Mapping[str, str] | None = None, xlabel: str = "log-odds z-score vs the rest",
                ncols: int = 3, line: float | None = 1.96) -> "Figure":
    """One small bar panel of top terms per group (at most twelve groups), in a grid.

    ``table`` is long (``key``, rank, term, ``value``), e.g. from
    :func:`framing.measures.terms.log_odds_terms`. All panels share the x axis so bars
    compare across groups; ``line`` draws a dashed reference (z = 1.96).
    """
    groups = list(groups)
    nrows = max(1, math.ceil(len(groups) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.5, 1.55 * nrows + 0.9), sharex=True,
                             constrained_layout=True, squeeze=False)
    xmax = float(table[value].max()) if len(table) else 1.0
    for ax, group in zip(axes.flat, groups):
        part = table[table[key] == group].sort_values("rank", ascending=False)
        color = (colors or {}).get(group, GREY)
        ax.barh([short_label(t, 22) for t in part["term"]], part[value], color=color)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(short_label(group, 34), fontsize=8, fontweight="normal", color=color)
        if line is not None:
            ax.axvline(line, color="0.5", lw=0.8, ls="--")
        ax.set_xlim(0, xmax * 1.05)
    for ax in axes.flat[len(groups):]:
        ax.set_visible(False)
    for col in range(ncols):  # the x axis under the lowest panel of each column
        shown = [ax for ax in axes[:, col] if ax.get_visible()]
        if shown:
            shown[-1].xaxis.set_tick_params(labelbottom=True)
            shown[-1].set_xlabel(xlabel)
    return fig


def likeness_overview(histogram: pd.DataFrame, nearest: pd.DataFrame, coverage: pd.DataFrame,
                      top_shared: pd.DataFrame, labels: Mapping[str, str] | None = None, n_words: int = 6) -> "Figure":
    """Four panels on how alike many sources are.

    (a) histogram (log scale) of the TF-IDF cosine of every pair of sources
    (:class:`framing.measures.terms.SimilaritySummary` ``histogram``); (b) each source's
    cosine with its most similar other source (``nearest``); (c) the share of
    each source's words inside passages of ``n_words``+ words found elsewhere
    (:attr:`framing.measures.passages.SharedText.coverage`); (d) the pairs that share the
    most words (:func:`framing.measures.passages.top_pairs`), named.
    """
    labels = labels or {}
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 6.2), constrained_layout=True)
    (ax1, ax2), (ax3, ax4) = axes
    width = histogram["right"] - histogram["left"]
    ax1.bar(histogram["left"], histogram["pairs"], width=width, align="edge", color=GREY)
    ax1.set_xlim(0, 1)
    ax1.set_yscale("log")  # most pairs are far apart; the log scale keeps the few close pairs visible
    ax1.set_xlabel("cosine similarity of TF-IDF vectors")
    ax1.set_ylabel("pairs of sources (log scale)")
    ax1.set_title(f"(a) All {int(histogram['pairs'].sum()):,} pairs", fontsize=9, fontweight="normal")
    ax2.hist(nearest["cosine"], bins=np.linspace(0, 1, 41), color=GREY)
    ax2.set_xlim(0, 1)
    ax2.set_xlabel("cosine with its most similar other source")
    ax2.set_ylabel("sources")
    ax2.set_title("(b) Each source's nearest neighbour", fontsize=9, fontweight="normal")
    share = coverage["share"].fillna(0.0)
    ax3.hist(share, bins=np.linspace(0, 1, 41), color=GREY)
    ax3.set_xlim(0, 1)
    ax3.set_xlabel(f"share of the source's words in {n_words}+ word passages found elsewhere")
    ax3.set_ylabel("sources")
    ax3.set_title("(c) Shared wording per source", fontsize=9, fontweight="normal")
    if len(top_shared):
        rows = top_shared.iloc[::-1]
        names = [f"{short_label(labels.get(a, a), 22)} – {short_label(labels.get(b, b), 22)}"
                 for a, b in zip(rows["a"], rows["b"])]
        ax4.barh(names, rows[["tokens_a", "tokens_b"]].max(axis=1), color=GREY)
        ax4.tick_params(axis="y", labelsize=7)
    else:
        ax4.text(0.5, 0.5, "no shared passage", ha="center", va="center", transform=ax4.transAxes)
    ax4.set_xlabel("shared words (the larger of the two sources' counts)")
    ax4.set_title(f"(d) The {len(top_shared)} pairs sharing most wording", fontsize=9, fontweight="normal")
    return fig


def topic_spread(prev: pd.DataFrame, overall: pd.Series) -> "Figure":
    """Per topic, the spread over sources of the share of a source's sentences in that topic.

    ``prev`` is :func:`framing.measures.topics.prevalence` (sources x topics, rows sum
    to 1); ``overall`` the share of all sentences per topic (same columns),
    drawn as a red mark. Box: quartiles over sources; whiskers 1.5 IQR; dots
    beyond them are single sources.
    """
    cats = list(prev.columns)
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(cats) + 1.4), constrained_layout=True)
    ax.boxplot([prev[c].to_numpy() for c in cats], orientation="horizontal", widths=0.6,
               flierprops=dict(marker=".", markersize=3, markerfacecolor=GREY, markeredgecolor="none"),
               medianprops=dict(color="black"), boxprops=dict(color=GREY), whiskerprops=dict(color=GREY),
               capprops=dict(color=GREY))
    ax.scatter(overall.reindex(cats).to_numpy(), np.arange(1, len(cats) + 1), color="#B2182B", zorder=3,
               s=18, label="share of all sentences")
    ax.set_yticks(np.arange(1, len(cats) + 1), ["\n".join(textwrap.wrap(c, 40)) for c in cats])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of a source's sentences whose dominant topic this is (box: {len(prev)} sources)")
    ax.legend(loc="lower right")
    return fig
