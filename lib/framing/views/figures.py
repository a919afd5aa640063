"""Figures of the notebooks, one function each: the notebook calls it, saves and shows the figure.

Each function draws both views behind one call: one colour per source up to
:data:`framing.views.style.PER_SOURCE_MAX` sources (``mode="per_source"``, see
:func:`framing.views.style.view_mode`), distributions, top-and-bottom lists and outlet groups
beyond (:mod:`framing.views.plots_sources`). Titles state what the figure shows, computed from
the data drawn.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framing.measures import compare
from framing.views import plots_sources, style

__all__ = ["cleaning_audit", "sentence_lengths", "checklist", "frame_shares", "balance_hype_hedge", "sentiment_by_source", "risk_subthemes",
           "frames_over_time"]

#: The evaluative frames and neutral, in the order of stacked bars (boilerplate is never counted).
FOUR = ["promise", "mixed", "neutral", "risk"]

_PANELS = [("balance", "balance index  (\u22121 all risk \u2026 +1 all promise)", (-1, 1)),
           ("hype_per_100", "hype sentences per 100", None),
           ("hedge_per_100", "hedged sentences per 100", None)]


def balance_hype_hedge(summary: pd.DataFrame, body: pd.DataFrame, order: list, labels: dict, colors: dict,
                       outlets: dict | None, mode: str) -> plt.Figure:
    """Notebook 03's balance index, hype and hedging per source with their 95% intervals.

    ``summary``: :func:`framing.measures.compare.source_summary` indexed by source label, in ``order``
    (doc ids); ``body``: the analysed sentences (for the per-outlet panel); ``outlets``:
    :func:`framing.views.plots_sources.outlet_groups` or None.
    """
    if mode == "per_source":
        fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.2), sharey=True)
        y = np.arange(len(summary))[::-1]
        for ax, (col, xlabel, lim) in zip(axes, _PANELS):
            lo = summary[col.replace("_per_100", "") + "_low"] if col != "balance" else summary["balance_low"]
            hi = summary[col.replace("_per_100", "") + "_high"] if col != "balance" else summary["balance_high"]
            for yi, doc in zip(y, order):
                name = labels[doc]
                ax.plot([lo[name], hi[name]], [yi, yi], color=colors[doc], linewidth=2.2, solid_capstyle="round")
                ax.plot(summary.loc[name, col], yi, "o", color=colors[doc], markersize=7, markeredgecolor="white")
            ax.set_xlabel(xlabel)
            if lim:
                ax.set_xlim(*lim)
                ax.axvline(0, color="#999999", linewidth=0.8, linestyle=":")
            else:
                ax.set_xlim(left=0)
        axes[0].set_yticks(y, summary.index)
        axes[0].set_title("a  Promise\u2013risk balance")
        axes[1].set_title("b  Hype")
        axes[2].set_title("c  Hedging")
    else:
        # many sources: the distribution of each measure over sources (top row), then the sources at both ends
        # of the balance index with their intervals, and the outlets pooled when the manifest names few
        fig = plt.figure(figsize=(11, 3.2 + 0.2 * 2 * plots_sources.TOP_N))
        grid = fig.add_gridspec(2, 3, height_ratios=[1, 0.1 * 2 * plots_sources.TOP_N])
        for i, (col, xlabel, lim) in enumerate(_PANELS):
            ax = fig.add_subplot(grid[0, i])
            plots_sources.plot_distribution(ax, summary[col], xlabel, value_range=lim, fmt="{:+.2f}" if lim else "{:.1f}")
            ax.set_title("abc"[i] + "  " + ["Promise\u2013risk balance", "Hype", "Hedging"][i])
        # ties (many sources sit at exactly +1 or -1) are broken by the number of sentences: best supported first
        ends = plots_sources.top_bottom(summary, "balance", tiebreak="sentences")
        ax = fig.add_subplot(grid[1, :2] if outlets is not None else grid[1, :])
        plots_sources.plot_intervals(ax, ends, "balance", "balance_low", "balance_high", xlim=(-1.05, 1.05), zero_line=True,
                                     color=[style.FRAME_COLORS["promise"] if e == "highest" else style.FRAME_COLORS["risk"]
                                            for e in ends["end"]],
                                     names=[f"{name}  ({int(n)} sentences)" for name, n in ends["sentences"].items()])
        ax.set_xlabel("balance index with 95% interval")
        ax.set_title(f"d  The {(ends['end'] == 'highest').sum()} sources leaning most to promise (blue) "
                     f"and the {(ends['end'] == 'lowest').sum()} leaning least (orange)")
        if outlets is not None:
            by_outlet = (compare.source_summary(plots_sources.regroup(body, outlets)).set_index("doc_id")
                         .sort_values("balance", ascending=False))
            ax = fig.add_subplot(grid[1, 2])
            plots_sources.plot_intervals(ax, by_outlet, "balance", "balance_low", "balance_high", xlim=(-1.05, 1.05),
                                         zero_line=True)
            ax.set_xlabel("balance index, sentences pooled per outlet")
            ax.set_title(f"e  By outlet ({len(by_outlet)})")
    fig.suptitle(f"{(summary['balance_low'] > 0).sum()} of {len(summary)} sources lean to promise (95% interval above 0); "
                 f"hype runs from {summary['hype_per_100'].min():.0f} to {summary['hype_per_100'].max():.0f} sentences per 100",
                 x=0.01, ha="left", fontsize=11, fontweight="bold")
    fig.tight_layout()
    return fig


def cleaning_audit(audit: pd.DataFrame, corpus: pd.DataFrame, summary: pd.DataFrame, labels: dict, colors: dict,
                   mode: str) -> plt.Figure:
    """Notebook 01's cleaning audit: what share of each article cleaning removed, under which rules.

    ``summary``: one row per source label with ``raw_chars``, ``chars_in_removed_lines`` and
    ``share_removed_%`` (as notebook 01 builds it).
    """
    from framing.io.clean import rule_table

    counts = (
        audit.assign(source=audit["doc_id"].map(labels))
        .pivot_table(index="rule", columns="source", values="line", aggfunc="count", fill_value=0)
        .reindex(columns=[labels[d] for d in corpus["doc_id"]], fill_value=0)
    )
    rules_order = [r for r in rule_table()["rule"] if r in counts.index]
    counts = counts.loc[rules_order]
    total = summary["chars_in_removed_lines"].sum()

    if mode == "per_source":
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1, 1.25]})
        y = np.arange(len(corpus))[::-1]
        kept = summary["raw_chars"] - summary["chars_in_removed_lines"]  # raw characters on kept lines
        ax1.barh(y, kept, color=[colors[d] for d in corpus["doc_id"]], label="kept lines")
        ax1.barh(y, summary["chars_in_removed_lines"], left=kept, color="#DDDDDD",
                 edgecolor="#777777", hatch="///", linewidth=0.5, label="removed lines")
        ax1.set_yticks(y, summary.index)
        ax1.set_xlabel("characters of the raw file")
        ax1.set_title("a  Article length, kept vs removed")
        ax1.legend(loc="upper center", bbox_to_anchor=(0.45, -0.2), ncol=2)
        ax2.imshow(counts.to_numpy(), cmap="Greys", vmin=0, vmax=max(3, counts.to_numpy().max(initial=0)), aspect="auto")
        ax2.set_xticks(range(counts.shape[1]), counts.columns, rotation=30, ha="right")
        ax2.set_yticks(range(counts.shape[0]), counts.index)
        for (i, j), v in np.ndenumerate(counts.to_numpy()):
            if v:
                ax2.text(j, i, str(v), ha="center", va="center", color="white" if v >= 2 else "black", fontsize=8)
        ax2.set_title("b  Removed lines by rule and source")
        ax2.spines[:].set_visible(False)
    else:
        # many articles: how much each article lost (distribution) and how many articles each rule touched
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
        plots_sources.plot_distribution(ax1, summary["share_removed_%"], "% of an article's characters in removed lines",
                                        color="#777777", fmt="{:.1f}%", ylabel="articles",
                                        value_range=(0, max(1.0, summary["share_removed_%"].max())))
        ax1.set_title(f"a  Share removed, {len(summary)} articles")
        plots_sources.plot_share_bars(ax2, plots_sources.share_of_sources(counts.T),
                                      xlabel=f"share of the {len(corpus)} articles with a line removed by the rule",
                                      color="#777777")
        ax2.set_title("b  Articles touched by each rule")
    fig.suptitle(f"Cleaning removed {100 * total / summary['raw_chars'].sum():.1f}% of the text: "
                 f"{len(audit)} lines under {audit['rule'].nunique()} rules"
                 + (", different furniture on each page" if len(audit) else ""),
                 x=0.01, ha="left", fontsize=11, fontweight="bold")
    fig.tight_layout()
    return fig


def frame_shares(shares: pd.DataFrame, body: pd.DataFrame, outlets: dict | None, mode: str) -> plt.Figure:
    """Notebook 03's frame shares per source (stacked bars), or their spread over many sources.

    ``shares``: :func:`framing.measures.compare.frame_shares` indexed by source label.
    """
    lead = (shares[FOUR].dropna().idxmax(axis=1) == "promise").sum()  # sources without body sentences have no shares
    title = (f"Promise is the largest frame in {lead} of {len(shares)} sources; "
             f"risk peaks at {100 * shares['risk'].max():.0f}% of a source's sentences")
    if mode == "per_source":
        fig, ax = plt.subplots(figsize=(8, 3.2))
        plots_sources.plot_stacked_shares(ax, shares[FOUR], style.FRAME_COLORS)
        ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.22))
        ax.set_title(title)
    else:
        # many sources: each frame's share over sources (box: quartiles, whiskers: 5th-95th percentile),
        # and the pooled shares of each outlet when the manifest names a dozen outlets or fewer
        fig, axes = plt.subplots(1, 2 if outlets is not None else 1, figsize=(11, 3.6) if outlets is not None else (6, 3.6),
                                 squeeze=False, gridspec_kw={"width_ratios": [1, 1.4]} if outlets is not None else None)
        plots_sources.plot_box_by_column(axes[0, 0], 100 * shares[FOUR], colors=style.FRAME_COLORS,
                                         ylabel="% of a source's body sentences")
        axes[0, 0].set_title(f"a  Frame shares across {len(shares)} sources (box: quartiles; whiskers: 5th\u201395th percentile)",
                             fontsize=9)
        if outlets is not None:
            by_outlet = compare.frame_shares(plots_sources.regroup(body, outlets))
            plots_sources.plot_stacked_shares(axes[0, 1], by_outlet[FOUR], style.FRAME_COLORS)
            axes[0, 1].legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.2))
            axes[0, 1].set_title(f"b  Pooled by outlet ({len(by_outlet)} outlets)")
        fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    fig.tight_layout()
    return fig


def sentiment_by_source(body: pd.DataFrame, order: list, labels: dict, colors: dict, mode: str) -> plt.Figure:
    """Notebook 03's sentence sentiment per source, raw and adapted VADER side by side."""
    mean_raw = body.groupby("doc_id")["sentiment_raw"].mean().reindex(order)
    mean_adapted = body.groupby("doc_id")["sentiment"].mean().reindex(order)
    if mode == "per_source":
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
        rng = np.random.default_rng(0)
        for ax, col, title in [(axes[0], "sentiment_raw", "a  Raw VADER"), (axes[1], "sentiment", "b  Adapted VADER (default)")]:
            for i, doc in enumerate(order):
                values = body.loc[body["doc_id"] == doc, col].to_numpy()
                ax.boxplot(values, positions=[i], widths=0.5, showfliers=False, medianprops={"color": "black"})
                ax.scatter(i + rng.uniform(-0.18, 0.18, len(values)), values, s=12, color=colors[doc],
                           alpha=0.85, edgecolor="white", linewidth=0.3, zorder=3)
            ax.axhline(0, color="#999999", linewidth=0.8, linestyle=":")
            ax.set_xticks(range(len(order)), [labels[d] for d in order], rotation=20, ha="right")
            ax.set_title(title)
        axes[0].set_ylabel("compound sentiment (\u22121 \u2026 +1)")
    else:
        # many sources: the mean tone of each source, raw and adapted, as two distributions
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), sharex=True, sharey=True)
        span = (min(mean_raw.min(), mean_adapted.min()), max(mean_raw.max(), mean_adapted.max()))
        for ax, values, title in [(axes[0], mean_raw, "a  Raw VADER"), (axes[1], mean_adapted, "b  Adapted VADER (default)")]:
            plots_sources.plot_distribution(ax, values, "mean compound sentiment of a source (\u22121 \u2026 +1)", fmt="{:+.2f}",
                                            value_range=span)
            ax.axvline(0, color="#999999", linewidth=0.8, linestyle=":")
            ax.set_title(f"{title}, {values.notna().sum()} sources")
    lifted = int((mean_adapted > mean_raw).sum())
    fig.suptitle(f"Removing topic words from the lexicon lifts the mean tone of {lifted} of {len(order)} sources",
                 x=0.01, ha="left", fontsize=11, fontweight="bold")
    fig.tight_layout()
    return fig


def risk_subthemes(grid: pd.DataFrame, themes: list, mode: str) -> plt.Figure:
    """Notebook 03's risk sub-themes: sentences per source and sub-theme, or the share of sources naming each.

    ``grid``: sources (rows, labels) x ``themes`` (columns), counts of sentences.
    """
    risk_fill = style.tint(style.FRAME_COLORS["risk"])  # the risk colour, light enough for text on it
    values = grid.to_numpy()
    absent = [t.replace("_", " ") for t in themes if values[:, themes.index(t)].sum() == 0]
    if mode == "per_source":
        fig, ax = plt.subplots(figsize=(8.5, 3.3))
        ax.imshow(np.where(values > 0, 1, 0), cmap=plt.matplotlib.colors.ListedColormap(["#FFFFFF", risk_fill]),
                  vmin=0, vmax=1, aspect="auto")
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, str(v) if v else "\u2013", ha="center", va="center", fontsize=8,
                    color="black" if v else "#999999")
        ax.set_xticks(range(len(themes)), [t.replace("_", " ") for t in themes], rotation=25, ha="right")
        ax.set_yticks(range(len(grid)), grid.index)
        ax.set_xticks(np.arange(-0.5, len(themes)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(grid)), minor=True)
        ax.grid(which="minor", color="#DDDDDD", linewidth=0.8)
        ax.tick_params(which="minor", length=0)
        ax.spines[:].set_visible(False)
        ax.set_title(("Not found by the coder in any source: " + ", ".join(absent)) if absent
                     else "Risk sub-themes named by each source")
    else:
        # many sources: a source x sub-theme grid is unreadable; the share of sources naming each sub-theme
        fig, ax = plt.subplots(figsize=(7, 3.3))
        plots_sources.plot_share_bars(ax, plots_sources.share_of_sources(grid),
                                      xlabel=f"share of the {len(grid)} sources naming it at least once", color=risk_fill)
        ax.set_title(("Not found by the coder in any source: " + ", ".join(absent)) if absent
                     else "How many sources name each risk sub-theme")
    fig.tight_layout()
    return fig


def frames_over_time(body: pd.DataFrame, corpus: pd.DataFrame) -> tuple[plt.Figure | None, pd.DataFrame | None]:
    """Notebook 03's frame shares per period, with the articles per period; ``(None, None)`` without dates."""
    from framing.report.tables import shares_by_period

    if "date" not in corpus.columns or not corpus["date"].notna().any():
        return None, None
    by_period = shares_by_period(body, corpus).set_index("period")
    fig, ax = plt.subplots(figsize=(8, 3))
    bottom = np.zeros(len(by_period))
    for frame in FOUR:
        values = by_period[frame].to_numpy() if frame in by_period else np.zeros(len(by_period))
        ax.bar(by_period.index, values, bottom=bottom, color=style.FRAME_COLORS[frame], label=frame)
        bottom += values
    for x, n in enumerate(by_period["n_articles"]):
        ax.text(x, 1.01, str(n), ha="center", va="bottom", fontsize=7, color="#555555")
    ax.set_ylabel("share of body sentences")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    ax.set_title(f"Frame shares over time ({by_period['n_articles'].sum()} dated articles)", pad=12)
    ax.set_xlabel("period (articles per period above each bar; periods without articles left out)")
    fig.tight_layout()
    return fig, by_period


def sentence_lengths(body: pd.DataFrame, structure: pd.DataFrame, corpus: pd.DataFrame, labels: dict, colors: dict,
                     mode: str) -> plt.Figure:
    """Notebook 01's words per body sentence per article, or article and sentence lengths over many articles.

    ``structure``: one row per article with its ``sentences`` (body sentences).
    """
    if mode == "per_source":
        fig, ax = plt.subplots(figsize=(8, 3.4))
        rng = np.random.default_rng(0)
        order = list(corpus["doc_id"])
        for i, doc in enumerate(order):
            values = body.loc[body["doc_id"] == doc, "n_words"].to_numpy()
            ax.boxplot(values, positions=[i], widths=0.5, showfliers=False,
                       medianprops={"color": "black"}, boxprops={"color": "#555555"},
                       whiskerprops={"color": "#555555"}, capprops={"color": "#555555"})
            ax.scatter(i + rng.uniform(-0.18, 0.18, len(values)), values, s=14, color=colors[doc],
                       alpha=0.85, edgecolor="white", linewidth=0.4, zorder=3)
        ax.set_xticks(range(len(order)), [labels[d] for d in order], rotation=15, ha="right")
        ax.set_ylabel("words per sentence")
        ax.set_ylim(bottom=0)
        ax.set_title(f"Median sentence length is {body['n_words'].median():.0f} words; "
                     f"the longest runs to {body['n_words'].max()} words")
    else:
        # many articles: article length over articles, and sentence length over all body sentences
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.4))
        plots_sources.plot_distribution(ax1, structure["sentences"], "body sentences per article", fmt="{:.0f}",
                                        ylabel="articles")
        ax1.set_title(f"a  Article length, {len(structure)} articles")
        cap = int(np.ceil(body["n_words"].quantile(0.99)))
        ax2.hist(body["n_words"].clip(upper=cap), bins=np.arange(0, cap + 2) - 0.5 if cap <= 60 else 40, color="#0072B2")
        ax2.axvline(body["n_words"].median(), color="black", linestyle="--", linewidth=1.2)
        ax2.set_xlabel(f"words per sentence (longer than {cap} counted at {cap})")
        ax2.set_ylabel("sentences")
        ax2.set_title(f"b  Median sentence length {body['n_words'].median():.0f} words; "
                      f"the longest runs to {body['n_words'].max()} words", fontsize=9)
    fig.tight_layout()
    return fig


def checklist(table: pd.DataFrame, labels: dict, order: list, mode: str) -> plt.Figure:
    """Notebook 06's quality checklist: criteria met per article, or shares of articles and the score's spread.

    ``table``: :func:`framing.measures.quality.checklist`.
    """
    from framing.measures import quality

    nobody = quality.unmet_criteria(table)
    title = ("No article " + ("meets: " + ", ".join(nobody)) if nobody else "Quality criteria met by each article")
    if mode == "per_source":
        fig = quality.plot_checklist(table, labels)
        fig.axes[0].set_title(title, loc="left")
    else:
        # many articles: a source x criterion grid is unreadable; the share of articles meeting each criterion
        # (and using hype), and the distribution of the checklist score
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1.4, 1]})
        plots_sources.plot_share_bars(ax1, plots_sources.share_of_sources(quality.checklist_wide(table).astype(bool)),
                                      xlabel=f"share of the {len(order)} articles meeting the criterion (red: a fault)",
                                      color={"met": quality.CHECK_COLORS["met"], "uses_hype": quality.CHECK_COLORS["hype"]})
        ax1.set_title("a  Articles meeting each criterion")
        plots_sources.plot_distribution(ax2, quality.checklist_score(table)["score"],
                                        "checklist score (criteria met \u2212 hype) / 10",
                                        bins=np.arange(-0.15, 1.1, 0.1), color=quality.CHECK_COLORS["met"], fmt="{:.1f}",
                                        ylabel="articles")
        ax2.set_title("b  Checklist score over articles")
        fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
        fig.tight_layout()
    return fig
