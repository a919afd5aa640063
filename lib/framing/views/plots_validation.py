"""Figures of notebook 04 (validation): confusion matrices, agreement by genre, calibration.

Each function takes tables computed by :mod:`framing.checks.validation` and returns a matplotlib
figure; it computes nothing itself except what it draws (bin means for the calibration plot).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from matplotlib.axes import Axes
    from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framing.views import style

__all__ = ["confusions", "commonest_error", "agreement_by_group", "calibration", "score_by_frame"]


def _confusion(ax: Axes, conf: pd.DataFrame, title: str, xlabel: str) -> None:
    values = conf.to_numpy()
    share = values / np.maximum(values.sum(axis=1, keepdims=True), 1)
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color="white" if share[i, j] > 0.55 else "black")
    ax.set_xticks(range(conf.shape[1]), conf.columns, rotation=35, ha="right")
    ax.set_yticks(range(conf.shape[0]), conf.index)
    ax.set_xlabel(xlabel)
    ax.spines[:].set_visible(False)
    ax.set_title(title, fontsize=9)


def commonest_error(conf: pd.DataFrame) -> str:
    """The largest off-diagonal cell of a confusion matrix (rows: reference, columns: automatic) in
    words: "<n> <row> units coded <column> (<share>% of them)"; "no errors" when there are none.
    Ties go to the first in row, then column order."""
    values = conf.to_numpy().copy()
    np.fill_diagonal(values, 0)
    if values.max(initial=0) <= 0:
        return "no errors"
    i, j = np.unravel_index(int(np.argmax(values)), values.shape)
    row = int(conf.to_numpy()[i].sum())
    return (f"{int(values[i, j]):,} {conf.index[i]} units coded {conf.columns[j]} "
            f"({100 * values[i, j] / row:.0f}% of them)")


def confusions(panels: list[tuple[str, pd.DataFrame]], ylabel: str = "reference coding",
               xlabel: str = "automatic coding", title: str = "") -> plt.Figure:
    """Side-by-side confusion matrices ``[(title, confusion), ...]`` (rows: reference; shading: row share);
    ``title``: the figure's finding, above the panels."""
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 3.6), squeeze=False)
    for ax, (name, conf) in zip(axes[0], panels):
        _confusion(ax, conf, name, xlabel)
    axes[0][0].set_ylabel(ylabel)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    fig.tight_layout()
    return fig


def agreement_by_group(table: pd.DataFrame, columns: dict[str, str], target: float | None = None,
                       xlabel: str = "Cohen's kappa against the hand coding", title: str = "") -> plt.Figure:
    """One row per group (index), one marker per coder (``columns``: column -> legend label).

    Coders are drawn in black and greys (filled circle, hollow diamond, hollow square, ...), so
    they are not mistaken for the frame colours used elsewhere.
    """
    markers = ["o", "D", "s", "^"]
    colors = ["black", "0.35", "0.55", "0.7"]
    table = table.sort_values(list(columns)[0])
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(table) + 1.2))
    y = np.arange(len(table))
    for k, (col, label) in enumerate(columns.items()):
        ax.scatter(table[col], y, marker=markers[k % 4], color=colors[k % 4], s=36, zorder=3,
                   label=label, facecolor=colors[k % 4] if k == 0 else "white")
    for yi, (_, row) in zip(y, table.iterrows()):
        vals = [row[c] for c in columns]
        ax.plot([min(vals), max(vals)], [yi, yi], color="0.8", zorder=1)
    if target is not None:
        ax.axvline(target, color="0.5", linestyle=":", linewidth=1)
        ax.text(target, len(table) - 0.4, f" target {target:.2f}", fontsize=8, color="0.4", va="bottom")
    labels = [f"{g} ({int(n)})" for g, n in zip(table.index, table["units"])] if "units" in table else list(table.index)
    ax.set_yticks(y, labels)
    ax.set_xlim(min(0, float(np.nanmin(table[list(columns)].to_numpy())) - 0.05), 1.0)
    ax.set_ylim(-0.7, len(table) + 0.3)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower left", fontsize=8, frameon=False, bbox_to_anchor=(0, 1.0), ncol=len(columns))
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    fig.tight_layout()
    return fig


def calibration(prob: np.ndarray, correct: np.ndarray, bins: int = 10, min_units: int = 10,
                label: str = "learned coder, held-out genres", title: str = "") -> plt.Figure:
    """Reliability diagram: mean confidence (probability of the chosen frame) vs accuracy, per bin.

    Bins with fewer than ``min_units`` units are left out of both panels (too few to show a rate).
    """
    prob, correct = np.asarray(prob, dtype=float), np.asarray(correct, dtype=bool)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(prob, edges) - 1, 0, bins - 1)
    conf, acc, n = [], [], []
    for b in range(bins):
        m = idx == b
        if m.sum() >= min_units:
            conf.append(prob[m].mean())
            acc.append(correct[m].mean())
            n.append(int(m.sum()))
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(7.2, 3.2), gridspec_kw={"width_ratios": [1.2, 1]})
    ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", linewidth=1)
    ax.plot(conf, acc, marker="o", color=style.PALETTE[0], label=label)
    ax.set_xlabel("probability of the chosen frame (bin mean)")
    ax.set_ylabel("share coded the same by hand")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax2.bar(range(len(n)), n, color=style.tint(style.PALETTE[0], 0.4))
    ax2.set_xticks(range(len(n)), [f"{c:.2f}" for c in conf], rotation=60, fontsize=7)
    ax2.set_xlabel(f"bin (mean probability; bins of {min_units}+ units)")
    ax2.set_ylabel("units")
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    fig.tight_layout()
    return fig


def score_by_frame(scores: pd.DataFrame, frame: pd.Series, columns: dict[str, str],
                   order: Sequence[str] = ("promise", "mixed", "neutral", "risk"), title: str = "") -> plt.Figure:
    """Box plots of sentiment scores (``columns``: column -> label) by hand-coded frame."""
    fig, axes = plt.subplots(1, len(columns), figsize=(3.5 * len(columns), 3.0), sharey=True, squeeze=False)
    for ax, (col, label) in zip(axes[0], columns.items()):
        data = [scores.loc[frame.to_numpy() == f, col].to_numpy() for f in order]
        parts = ax.boxplot(data, widths=0.55, showfliers=False, patch_artist=True)
        for patch, f in zip(parts["boxes"], order):
            patch.set_facecolor(style.tint(style.FRAME_COLORS.get(f, "#888888"), 0.45))
            patch.set_edgecolor("0.3")
        for med in parts["medians"]:
            med.set_color("black")
        ax.set_xticks(range(1, len(order) + 1), [f"{f}\n({len(d)})" for f, d in zip(order, data)], fontsize=8)
        ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
        ax.set_title(label, fontsize=9)
    axes[0][0].set_ylabel("VADER compound score")
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    fig.tight_layout()
    return fig
