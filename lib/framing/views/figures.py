"""Figures of the notebooks, one function each: the notebook calls it, saves and shows the figure.

Each function draws both views behind one call: one colour per source up to
:data:`framing.views.style.PER_SOURCE_MAX` sources (``mode="per_source"``, see
:func:`framing.views.style.view_mode`), distributions, top-and-bottom lists and outlet groups
beyond (:mod:`framing.views.plots_sources`). Titles state what the figure shows, computed from
the data drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from matplotlib.axes import Axes

    from framing.measures.passages import Likeness
    from framing.measures.terms import Distinctive

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framing.measures import compare, quality, sources
from framing.views import plots_sources, style

__all__ = ["cleaning_audit", "sentence_lengths", "checklist", "frame_shares", "balance_hype_hedge", "sentiment_by_source", "risk_subthemes",
           "frames_over_time", "distinctive_terms", "likeness", "topic_k", "topic_prevalence", "group_measures",
           "group_frames", "corrected_estimates", "checklist_grid", "CHECK_COLORS"]

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
    :func:`framing.views.sources.outlet_groups` or None.
    """
    if mode == "per_source":
        fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.2), sharey=True)
        y = np.arange(len(summary))[::-1]
        for ax, (col, xlabel, lim) in zip(axes, _PANELS):
            lo = summary[col.replace("_per_100", "") + "_low"] if col != "balance" else summary["balance_low"]
            hi = summary[col.replace("_per_100", "") + "_high"] if col != "balance" else summary["balance_high"]
            for yi, doc in zip(y, order):
                name = labels[doc]
                if col == "balance" and np.isnan(summary.loc[name, col]):  # fewer than one evaluative sentence
                    ax.text(0, yi, "no balance: no evaluative sentence", ha="center", va="center", fontsize=8,
                            color="#666666", style="italic")
                    continue
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
        fig = plt.figure(figsize=(11, 3.2 + 0.2 * 2 * sources.TOP_N))
        grid = fig.add_gridspec(2, 3, height_ratios=[1, 0.1 * 2 * sources.TOP_N])
        for i, (col, xlabel, lim) in enumerate(_PANELS):
            ax = fig.add_subplot(grid[0, i])
            plots_sources.plot_distribution(ax, summary[col], xlabel, value_range=lim, fmt="{:+.2f}" if lim else "{:.1f}")
            ax.set_title("abc"[i] + "  " + ["Promise\u2013risk balance", "Hype", "Hedging"][i])
        # ties (many sources sit at exactly +1 or -1) are broken by the number of sentences: best supported first
        ends = sources.top_bottom(summary, "balance", tiebreak="sentences")
        ax = fig.add_subplot(grid[1, :2] if outlets is not None else grid[1, :])
        plots_sources.plot_intervals(ax, ends, "balance", "balance_low", "balance_high", xlim=(-1.05, 1.05), zero_line=True,
                                     color=[style.FRAME_COLORS["promise"] if e == "highest" else style.FRAME_COLORS["risk"]
                                            for e in ends["end"]],
                                     names=[f"{name}  ({int(n)} sentences)" for name, n in ends["sentences"].items()])
        ax.set_xlabel("balance index with 95% interval")
        ax.set_title(f"d  The {(ends['end'] == 'highest').sum()} sources leaning most to promise (blue) "
                     f"and the {(ends['end'] == 'lowest').sum()} leaning least (orange)")
        if outlets is not None:
            by_outlet = (compare.source_summary(sources.regroup(body, outlets)).set_index("doc_id")
                         .sort_values("balance", ascending=False))
            ax = fig.add_subplot(grid[1, 2])
            plots_sources.plot_intervals(ax, by_outlet, "balance", "balance_low", "balance_high", xlim=(-1.05, 1.05),
                                         zero_line=True)
            ax.set_xlabel("balance index, sentences pooled per outlet")
            ax.set_title(f"e  By outlet ({len(by_outlet)})")
    low, high = f"{summary['hype_per_100'].min():.0f}", f"{summary['hype_per_100'].max():.0f}"
    hype = f"hype runs from {low} to {high} sentences per 100" if low != high else \
        f"hype is {low} sentences per 100 in {'every source' if len(summary) > 1 else 'it'}"
    fig.suptitle(f"{(summary['balance_low'] > 0).sum()} of {len(summary)} sources lean to promise (95% interval above 0); "
                 f"{hype}", x=0.01, ha="left", fontsize=11, fontweight="bold")
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
        if len(counts):
            ax2.imshow(counts.to_numpy(), cmap="Greys", vmin=0, vmax=max(3, counts.to_numpy().max(initial=0)), aspect="auto")
            ax2.set_xticks(range(counts.shape[1]), counts.columns, rotation=30, ha="right")
            ax2.set_yticks(range(counts.shape[0]), counts.index)
            for (i, j), v in np.ndenumerate(counts.to_numpy()):
                if v:
                    ax2.text(j, i, str(v), ha="center", va="center", color="white" if v >= 2 else "black", fontsize=8)
        else:  # an empty image would warn and draw nothing
            ax2.set_xticks([])
            ax2.set_yticks([])
            ax2.text(0.5, 0.5, "no rule removed a line", ha="center", va="center", transform=ax2.transAxes, color="0.4")
        ax2.set_title("b  Removed lines by rule and source")
        ax2.spines[:].set_visible(False)
    else:
        # many articles: how much each article lost (distribution) and how many articles each rule touched
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
        plots_sources.plot_distribution(ax1, summary["share_removed_%"], "% of an article's characters in removed lines",
                                        color="#777777", fmt="{:.1f}%", ylabel="articles",
                                        value_range=(0, max(1.0, summary["share_removed_%"].max())))
        ax1.set_title(f"a  Share removed, {len(summary)} articles")
        plots_sources.plot_share_bars(ax2, sources.share_of_sources(counts.T),
                                      xlabel=f"share of the {len(corpus)} articles with a line removed by the rule",
                                      color="#777777")
        ax2.set_title("b  Articles touched by each rule")
    if len(audit):
        title = (f"Cleaning removed {100 * total / summary['raw_chars'].sum():.1f}% of the text: "
                 f"{len(audit)} lines under {audit['rule'].nunique()} rules, different furniture on each page")
    else:
        title = "Cleaning removed no line: every line of every file is kept"
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
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
            by_outlet = compare.frame_shares(sources.regroup(body, outlets))
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
    fig.suptitle(f"Adapting the lexicon (topic words out, domain stance words in) lifts the mean tone of {lifted} of {len(order)} sources",
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
        plots_sources.plot_share_bars(ax, sources.share_of_sources(grid),
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
    # the legend goes to the right of the axes, clear of the rotated tick labels and the axis label
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
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


#: Cell colours of :func:`checklist_grid`: criterion met, not met, hype used (counts against).
CHECK_COLORS = {"met": "#2166AC", "not_met": "#F0F0F0", "hype": "#D66B00"}


def checklist_grid(long: pd.DataFrame, labels: dict | None = None, ax: Axes | None = None) -> plt.Figure:
    """Source x criterion grid: filled when met (red for uses_hype), with the number of evidence sentences.

    ``labels`` maps doc_id to a short label for the rows. Returns the figure.
    """
    from matplotlib.colors import to_rgb

    present = quality.checklist_wide(long).astype(bool)
    counts = quality.checklist_wide(long, "n_sentences").astype(int)
    if ax is None:
        fig, ax = plt.subplots(figsize=(0.62 * len(present.columns) + 2.2, 0.42 * len(present) + 1.6))
    else:
        fig = ax.figure
    rgb = np.ones((len(present), len(present.columns), 3))
    for j, criterion in enumerate(present.columns):
        on = CHECK_COLORS["hype" if criterion == quality.HYPE_CRITERION else "met"]
        for i in range(len(present)):
            rgb[i, j] = to_rgb(on if present.iat[i, j] else CHECK_COLORS["not_met"])
            if present.iat[i, j]:
                ax.text(j, i, str(counts.iat[i, j]), ha="center", va="center", color="white", fontsize=8)
    ax.imshow(rgb, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(present.columns)), [c.replace("_", " ") for c in present.columns],
                  rotation=40, ha="right")
    ax.set_yticks(range(len(present)), [(labels or {}).get(d, d) for d in present.index])
    ax.set_xticks(np.arange(-0.5, len(present.columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(present)), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title("Checklist per source (number: sentences behind the answer)")
    return fig



def checklist(table: pd.DataFrame, labels: dict, order: list, mode: str) -> plt.Figure:
    """Notebook 06's quality checklist: criteria met per article, or shares of articles and the score's spread.

    ``table``: :func:`framing.measures.quality.checklist`.
    """
    nobody = quality.unmet_criteria(table)
    title = ("No article " + ("meets: " + ", ".join(nobody)) if nobody else "Quality criteria met by each article")
    if mode == "per_source":
        fig = checklist_grid(table, labels)
        fig.axes[0].set_title(title, loc="left")
    else:
        # many articles: a source x criterion grid is unreadable; the share of articles meeting each criterion
        # (and using hype), and the distribution of the checklist score
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1.4, 1]})
        plots_sources.plot_share_bars(ax1, sources.share_of_sources(quality.checklist_wide(table).astype(bool)),
                                      xlabel=f"share of the {len(order)} articles meeting the criterion (red: a fault)",
                                      color={"met": CHECK_COLORS["met"], "uses_hype": CHECK_COLORS["hype"]})
        ax1.set_title("a  Articles meeting each criterion")
        plots_sources.plot_distribution(ax2, quality.checklist_score(table)["score"],
                                        "checklist score (criteria met \u2212 hype) / 10",
                                        bins=np.arange(-0.15, 1.1, 0.1), color=CHECK_COLORS["met"], fmt="{:.1f}",
                                        ylabel="articles")
        ax2.set_title("b  Checklist score over articles")
        fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
        fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- notebook 02
def distinctive_terms(d: Distinctive, colors: dict) -> plt.Figure:
    """Top terms per source by TF-IDF and by log-odds z (:class:`framing.measures.terms.Distinctive`);
    beyond a dozen sources, the log-odds panels of the groups it shows."""
    from framing.views import plots

    if d.grouping != "source":
        fig = plots.term_panels(d.log_odds.assign(group=d.log_odds["group"].map(d.names)), [d.names[g] for g in d.shown])
        what = f"{len(d.shown)} outlets" if d.grouping == "outlet" else f"{len(d.shown)} longest sources"
        fig.suptitle(f"Most distinctive terms of the {what} (log-odds z vs the rest of the corpus, dashed: z = 1.96)",
                     x=0.0, ha="left", fontsize=10, fontweight="bold")
        return fig
    docs = d.shown
    rest = "the other source" if len(docs) == 2 else f"the other {len(docs) - 1}"
    fig, axes = plt.subplots(len(docs), 2, figsize=(7.5, max(2.6, 2.2 * len(docs))), constrained_layout=True,
                             squeeze=False)
    for row, doc_id in enumerate(docs):
        for col, (table, key, value, xlabel) in enumerate([
            (d.tfidf, "doc_id", "tfidf", "TF-IDF weight"),
            (d.log_odds, "group", "z", f"log-odds z-score vs {rest} (dashed: z = 1.96)"),
        ]):
            ax = axes[row, col]
            part = table[table[key] == doc_id].sort_values("rank", ascending=False)
            ax.barh(part["term"], part[value], color=colors[doc_id])
            ax.tick_params(axis="y", labelsize=8)
            ax.set_xlabel(xlabel if row == len(docs) - 1 else "")
            ax.set_title(f"{d.names[doc_id]}: {'TF-IDF' if col == 0 else 'log-odds'}", fontsize=9, color=colors[doc_id])
        axes[row, 1].axvline(1.96, color="0.5", lw=0.8, ls="--")
    for col in range(2):
        xmax = max(ax.get_xlim()[1] for ax in axes[:, col])
        for ax in axes[:, col]:
            ax.set_xlim(0, xmax)
    from framing.report.prose import plural

    clear = int((d.all_log_odds["z"] > 1.96).sum())
    fig.suptitle(f"Top {d.n_terms} terms of each of {len(docs)} sources by TF-IDF and by log-odds; "
                 f"{plural(clear, 'term')} in all clear z = 1.96", x=0.0, ha="left", fontsize=10, fontweight="bold")
    return fig


def likeness(lk: Likeness, labels: dict, colors: dict) -> plt.Figure:
    """Vocabulary similarity and shared wording (:class:`framing.measures.passages.Likeness`)."""
    from framing.views import plots

    cov = lk.found.coverage
    shared = f"{int(cov['shared_tokens'].sum())} of {int(cov['n_tokens'].sum())} words"
    if lk.mode != "per_source":
        fig = plots.likeness_overview(lk.summary.histogram, lk.summary.nearest, cov, lk.top_shared, labels,
                                      n_words=lk.n_words)
        fig.suptitle(f"{len(cov)} sources: mean pairwise cosine {lk.summary.mean:.2f}; {shared} "
                     f"lie in shared passages of {lk.n_words}+ words", x=0.0, ha="left", fontsize=10, fontweight="bold")
        return fig
    docs = list(lk.similarity.index)
    short = {d: labels[d].split()[0] for d in docs}
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 3.6), constrained_layout=True)
    for ax, values, fmt, cmap, title in [
        (ax1, lk.similarity.to_numpy(), "{:.2f}", "Blues", "Cosine similarity of TF-IDF vectors"),
        (ax2, lk.pair_tokens.to_numpy(), "{:d}", "Oranges", f"Words of row source in {lk.n_words}+ word passages\n"
                                                             "shared with column source"),
    ]:
        shown = values.astype(float).copy()
        np.fill_diagonal(shown, np.nan)
        ax.imshow(shown, cmap=cmap, vmin=0)
        top = np.nanmax(shown) if np.isfinite(shown).any() else 0.0
        for i in range(len(docs)):
            for j in range(len(docs)):
                ax.text(j, i, "–" if i == j else fmt.format(values[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if i != j and values[i, j] > 0.75 * top else "black")
        ax.set_xticks(range(len(docs)), [short[d] for d in docs])
        ax.set_yticks(range(len(docs)), [labels[d] for d in docs] if ax is ax1 else [short[d] for d in docs])
        for lab, d in [*zip(ax.get_xticklabels(), docs), *zip(ax.get_yticklabels(), docs)]:
            lab.set_color(colors[d])
        ax.set_xlabel("source")
        ax.set_title(title, fontsize=9, fontweight="normal")
    ax1.set_ylabel("source")
    off = lk.off_diagonal()
    span = f"cosine {off.min():.2f}-{off.max():.2f}" if len(off) else "one source only"
    fig.suptitle(f"Vocabulary overlap of the sources ({span}); {shared} lie in shared passages",
                 x=0.0, ha="left", fontsize=10, fontweight="bold")
    return fig


def topic_k(k_table: pd.DataFrame, k: int, min_k: int, min_sentences: int, sample: int, sentences: int) -> plt.Figure:
    """Reconstruction error and top-term stability per k, the chosen k marked (:func:`framing.measures.topics.select_k`)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 3.0), constrained_layout=True)
    ax1.plot(k_table["k"], k_table["error"], marker="o", color="0.3")
    ax1.set_xlabel("number of topics k")
    ax1.set_ylabel("reconstruction error\n(Frobenius, all sentences)")
    ax1.set_title("Reconstruction error", fontsize=9, fontweight="normal")
    eligible = k_table["sentences_per_topic"] >= min_sentences
    upper = np.minimum(k_table["stability_sd"], 1 - k_table["stability"])  # stability cannot exceed 1
    ax2.errorbar(k_table["k"], k_table["stability"], yerr=[k_table["stability_sd"], upper], color="0.3", capsize=2, lw=1)
    ax2.scatter(k_table["k"], k_table["stability"], c=np.where(eligible, "0.3", "white"), edgecolors="0.3", zorder=3)
    ax2.axvline(k, color="#B2182B", lw=1, ls="--")
    ax2.set_xlabel(f"number of topics k (open: under {min_sentences} sentences a topic)")
    ax2.set_ylabel("stability (top-term agreement\nof subsample fits, ±1 sd)")
    ax2.set_title(f"Stability (dashed: chosen k = {k})", fontsize=9, fontweight="normal", color="#B2182B")
    for ax in (ax1, ax2):
        ax.set_xticks(list(k_table["k"]))
    on = f" (chosen on {sample:,} of {sentences:,} sentences)" if sample < sentences else ""
    fig.suptitle(f"Of k = {min_k} or more with {min_sentences}+ sentences a topic, k = {k} gives the most "
                 f"reproducible topics{on}", x=0.0, ha="left", fontsize=10, fontweight="bold")
    return fig


def topic_prevalence(prev: pd.DataFrame, overall: pd.Series, labels: dict, colors: dict, mode: str) -> plt.Figure:
    """Share of each source's sentences per topic (``prev``: :func:`framing.measures.topics.prevalence`
    over the sources, "(none)" dropped); beyond a dozen sources, its spread over sources."""
    from framing.measures.topics import reach
    from framing.views import plots

    n_sources, everywhere, narrow = reach(prev)
    title = (f"{everywhere} of {len(n_sources)} topics {'appears' if everywhere == 1 else 'appear'} in every one of "
             f"the {len(prev)} sources; "
             f"'{narrow}' in the fewest ({n_sources[narrow]})")
    if mode != "per_source":
        fig = plots.topic_spread(prev, overall)
    else:
        docs = list(prev.index)
        cats = list(prev.columns)
        fig, ax = plt.subplots(figsize=(7.5, 5.0), constrained_layout=True)
        height = 0.8 / len(docs)
        for i, d in enumerate(docs):
            y = np.arange(len(cats)) + (i - (len(docs) - 1) / 2) * height
            ax.barh(y, prev.loc[d], height=height, color=colors[d], label=labels[d])
        ax.set_yticks(range(len(cats)), cats)
        ax.invert_yaxis()
        ax.set_xlabel("share of the source's sentences whose dominant topic this is")
        ax.set_ylabel("topic (top three terms)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.12), ncol=3, title="source")
    fig.suptitle(title, x=0.0, ha="left", fontsize=10, fontweight="bold")
    return fig


# ----------------------------------------------------------------------------- notebook 07
_GROUP_PANELS = [("balance", "balance index (\u22121 all risk \u2026 +1 all promise)", (-1, 1)),
                 ("hype_per_100", "hype sentences per 100", None),
                 ("hedge_per_100", "hedged sentences per 100", None),
                 ("sentiment", "mean adapted sentiment", (-1, 1))]


def group_measures(summary: pd.DataFrame, column: str) -> plt.Figure:
    """Balance, hype, hedging and sentiment per group with cluster-bootstrap 95% intervals
    (:func:`framing.measures.groups.group_summary`)."""
    n = len(summary)
    fig, axes = plt.subplots(1, 4, figsize=(11, 1.0 + 0.42 * n), sharey=True, squeeze=False)
    y = np.arange(n)[::-1]
    for ax, (col, xlabel, lim) in zip(axes[0], _GROUP_PANELS):
        ax.hlines(y, summary[f"{col}_low"], summary[f"{col}_high"], color="0.45", linewidth=2.2)
        ax.plot(summary[col], y, "o", color="black", markersize=6, markeredgecolor="white")
        ax.set_xlabel(xlabel, fontsize=8)
        if lim:
            ax.axvline(0, color="#999999", linewidth=0.8, linestyle=":")
        else:
            ax.set_xlim(left=0)
    axes[0][0].set_yticks(y, [f"{g}  ({int(a)} art.)" for g, a in summary["articles"].items()])
    lean = summary["balance_low"] > 0
    fig.suptitle(f"By {column}: {int(lean.sum())} of {n} groups lean to promise (95% interval above 0); "
                 f"balance from {summary['balance'].min():+.2f} to {summary['balance'].max():+.2f}",
                 x=0.01, ha="left", fontsize=11, fontweight="bold")
    fig.tight_layout()
    return fig


def group_frames(shares: pd.DataFrame, subthemes: pd.DataFrame, column: str) -> plt.Figure:
    """Frame shares of each group's sentences (stacked bars) and the share of its articles naming
    each risk sub-theme (heatmap)."""
    n = len(shares)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 1.4 + 0.42 * n), gridspec_kw={"width_ratios": [1, 1.3]})
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    for frame in FOUR:
        values = shares[frame].fillna(0).to_numpy()
        ax1.barh(y, values, left=left, color=style.FRAME_COLORS[frame], label=frame, height=0.7)
        left += values
    ax1.set_yticks(y, list(shares.index))
    ax1.set_xlim(0, 1)
    ax1.set_title("share of the group's body sentences per frame", fontsize=9)
    # the legend sits under the tick labels; the axis has no label for it to cover
    ax1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if n < 4 else -0.08), ncol=4, fontsize=8, frameon=False)
    grid = subthemes.reindex(shares.index)
    ax2.imshow(grid.to_numpy(dtype=float), cmap="Oranges", vmin=0, vmax=1, aspect="auto")
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            v = grid.iat[i, j]
            ax2.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7, color="white" if v > 0.6 else "black")
    ax2.set_xticks(range(grid.shape[1]), [c.replace("_", " ") for c in grid.columns], rotation=35, ha="right", fontsize=8)
    ax2.set_yticks(range(grid.shape[0]), [])
    ax2.set_title("share of the group's articles naming each risk", fontsize=9)
    named = grid.mean(axis=0)
    fig.suptitle(f"Frames and risks by {column}: the risk named by the fewest articles overall is "
                 f"'{named.idxmin().replace('_', ' ')}'", x=0.01, ha="left", fontsize=11, fontweight="bold")
    fig.tight_layout()
    return fig


#: How each estimate of :mod:`framing.measures.corrected` is drawn: colour, marker, vertical offset.
_METHOD_STYLE = {"automatic": ("#9a9a9a", "s", 0.22), "hand sample": ("#4c78a8", "^", 0.0),
                 "corrected": ("#d62728", "o", -0.22)}
_CORRECTED_PANELS = [("balance", "balance index (\u22121 all risk \u2026 +1 all promise)", (-1, 1)),
                     ("risk share", "share of sentences coded risk", (0, 1)),
                     ("promise share", "share of sentences coded promise", (0, 1)),
                     ("hype per 100", "hype sentences per 100", (0, 100))]


def corrected_estimates(table: pd.DataFrame, domains: list, names: dict | None = None, max_domains: int = 12) -> plt.Figure:
    """The automatic, hand-sample and corrected estimates with 95% intervals of the balance, risk and
    promise shares and hype, one row per domain (source or group, then the whole corpus), from
    :func:`framing.measures.corrected.estimate_table`. ``domains``: the rows to draw, in order (at
    most ``max_domains``, then "all"); ``names``: labels for them."""
    names = names or {}
    shown = [d for d in domains if d != "all"][:max_domains] + ["all"]
    n = len(shown)
    fig, axes = plt.subplots(1, len(_CORRECTED_PANELS), figsize=(11.5, 1.5 + 0.45 * n), sharey=True, squeeze=False)
    y = np.arange(n)[::-1].astype(float)
    for ax, (measure, xlabel, lim) in zip(axes[0], _CORRECTED_PANELS):
        part = table.loc[table["measure"] == measure].set_index(["domain", "method"])
        for method, (color, marker, dy) in _METHOD_STYLE.items():
            rows = part.reindex([(d, method) for d in shown])
            ax.hlines(y + dy, rows["low"], rows["high"], color=color, linewidth=1.8)
            ax.plot(rows["estimate"], y + dy, marker, color=color, markersize=5, markeredgecolor="white", linestyle="none",
                    label=method)
        if lim[0] < 0:
            ax.set_xlim(*lim)
            ax.axvline(0, color="#999999", linewidth=0.8, linestyle=":")
        else:  # rates and shares: up to the largest interval drawn
            top = part["high"].reindex([(d, m) for d in shown for m in _METHOD_STYLE]).max()
            ax.set_xlim(lim[0], min(lim[1], 1.1 * top) if top == top and top > 0 else lim[1])
        ax.set_xlabel(xlabel, fontsize=8)
    axes[0][0].set_yticks(y, [("whole corpus" if d == "all" else str(names.get(d, d))) for d in shown])
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9, frameon=False, markerscale=1.4)
    whole = table.loc[(table["domain"] == "all") & (table["measure"] == "balance")].set_index("method")["estimate"]
    fixed = f"{whole['corrected']:+.2f}" if whole["corrected"] == whole["corrected"] else "not estimable"
    fig.suptitle(f"Corrected by {int(table['coded'].max())} hand-coded sentences, the corpus's balance is "
                 f"{fixed} (automatic labels alone: {whole['automatic']:+.2f})",
                 x=0.01, ha="left", fontsize=11, fontweight="bold")
    fig.tight_layout(rect=(0, 0.6 / (1.5 + 0.45 * n), 1, 1))
    return fig
