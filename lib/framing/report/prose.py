"""The sentences a notebook prints about its results, computed from them (never written for one corpus).

Each function takes what a notebook computed and returns one short sentence, so that the
notebook's summary (and the report's entry page) says what the corpus it ran on shows,
whatever that corpus is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from framing.measures.passages import Likeness
    from framing.measures.terms import Distinctive
    from framing.measures.topics import TopicModel

import pandas as pd

__all__ = ["terms_summary", "likeness_summary", "topics_summary", "share", "value_range", "span", "corrected_summary",
           "sentiment_summary", "plural", "cleaning_summary"]


def share(part: float, whole: float) -> str:
    """``part`` of ``whole`` as a percentage with one decimal ("n/a" for an empty whole)."""
    return f"{part / whole:.1%}" if whole else "n/a"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and the noun, singular for one ("1 line", "3 lines", "0 lines"); ``many``: an irregular plural."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def cleaning_summary(summary: pd.DataFrame, audit: pd.DataFrame, n_show: int = 10) -> str:
    """What cleaning removed: lines, characters and rules; the page that lost most; the articles left whole.

    ``summary``: one row per article (index: its label) with ``raw_chars``, ``lines_removed``,
    ``chars_in_removed_lines`` and ``share_removed_%``; ``audit``: one row per removed line with ``rule``.
    """
    if not len(audit):
        return "Cleaning removed no line from " + ("the one article." if len(summary) == 1 else f"any of the {len(summary):,} articles.")
    total = int(summary["chars_in_removed_lines"].sum())
    untouched = summary.index[summary["lines_removed"] == 0].tolist()
    most = summary["share_removed_%"].idxmax()
    text = (f"Cleaning removed {plural(len(audit), 'line')} ({plural(total, 'character')}, "
            f"{share(total, summary['raw_chars'].sum())} of all raw text) under "
            f"{plural(audit['rule'].nunique(), 'different rule')}. The most furnished page is {most} "
            f"({summary.loc[most, 'share_removed_%']}% of its characters removed); ")
    if not untouched:
        return text + "every article had some text removed."
    shown = ", ".join(str(u) for u in untouched[:n_show])
    more = f" and {len(untouched) - n_show:,} more" if len(untouched) > n_show else ""
    return text + f"{plural(len(untouched), 'article')} needed no removal: {shown}{more}."


def terms_summary(d: Distinctive, n_show: int = 5) -> str:
    """Top log-odds term of each group and how many terms clear z = 1.96 (:class:`framing.measures.terms.Distinctive`)."""
    top = d.log_odds[d.log_odds["rank"] == 1].set_index("group")
    shown = [g for g in d.shown if g in top.index]
    listed = "; ".join(f"{d.names[g]}: '{top.loc[g, 'term']}' (z {top.loc[g, 'z']:.1f})" for g in shown[:n_show])
    more = f" and {len(shown) - n_show} more" if len(shown) > n_show else ""
    table = d.all_log_odds if d.all_log_odds is not None else d.log_odds
    clear = int((table["z"] > 1.96).sum())
    what = {"source": "source", "outlet": "outlet", "top": "of the longest sources"}[d.grouping]
    return (f"Distinctive terms: the top log-odds term per {what} is {listed}{more}; "
            f"{plural(clear, 'term')} clear z = 1.96 (largest z {table['z'].max():.2f}).")


def likeness_summary(lk: Likeness, labels: dict) -> str:
    """Cosine range (or mean) and the share of words in shared passages (:class:`framing.measures.passages.Likeness`)."""
    cov = lk.found.coverage
    words = (f"{int(cov['shared_tokens'].sum())} of {int(cov['n_tokens'].sum())} words "
             f"({share(cov['shared_tokens'].sum(), cov['n_tokens'].sum())}) lie in {plural(len(lk.found.passages), 'passage')} "
             f"of {lk.n_words}+ words found in two or more sources")
    if lk.mode == "per_source":
        off = lk.off_diagonal()
        if not len(off):
            return f"Likeness: one source only; {words}."
        a, b = off.idxmax()
        return (f"Likeness: TF-IDF cosine between sources {off.min():.2f} and {off.max():.2f} (most similar: "
                f"{labels[a]} and {labels[b]}); {words}.")
    return f"Likeness: mean TF-IDF cosine {lk.summary.mean:.2f} over {lk.summary.n_pairs:,} pairs of sources; {words}."


def topics_summary(model: TopicModel, k_table: pd.DataFrame, prev: pd.DataFrame, min_k: int, min_sentences: int) -> str:
    """The chosen k, how it was chosen, and how the topics spread over sources."""
    from framing.measures.topics import reach

    n_sources, everywhere, narrow = reach(prev)
    eligible = k_table[(k_table["k"] >= min_k) & (k_table["sentences_per_topic"] >= min_sentences)]
    how = (f"the most stable of k = {int(eligible['k'].min())}-{int(eligible['k'].max())} "
           f"(stability {k_table.set_index('k').loc[model.k, 'stability']:.3f})" if len(eligible)
           else f"too few sentences for {min_sentences} a topic at any k >= {min_k}: the smallest k is shown")
    return (f"Topics: k = {model.k}, {how}; {everywhere} of {model.k} topics {'appears' if everywhere == 1 else 'appear'} in all {plural(len(prev), 'source')}, "
            f"'{narrow}' in the fewest ({n_sources[narrow]}).")


def value_range(values: pd.Series, digits: int = 1, per: str = "", every: str = "in every source") -> str:
    """"from <min> (<where>) to <max> (<where>)<per>" over a labelled series, or "<v> <every>" when all are equal."""
    low, high = values.min(), values.max()
    if low == high:
        return f"{low:.{digits}f} {every}"
    return f"from {low:.{digits}f} ({values.idxmin()}) to {high:.{digits}f} ({values.idxmax()}){per}"


def span(low: float, high: float, sep: str = " to ") -> str:
    """"<low><sep><high>", or just "<low>" when the two are equal ("4", not "4 to 4")."""
    return f"{low}" if low == high else f"{low}{sep}{high}"


def sentiment_summary(body: pd.DataFrame, labels: dict, order: list, per_source: bool) -> str:
    """Mean adapted (and raw) sentiment of promise and risk sentences, and per source; a frame
    with no sentence in ``body`` is said to have none (a corpus about something else may have neither)."""
    adapted = body.groupby("frame")["sentiment"].mean()
    raw = body.groupby("frame")["sentiment_raw"].mean()
    present = [f for f in ("promise", "risk") if f in adapted.index]
    if present:
        parts = ", ".join(f"{f} sentences average {adapted[f]:+.2f}" for f in present)
        raws = " vs ".join(f"{raw[f]:+.2f}" for f in present)
        head = f"Adapted sentiment: {parts} (raw VADER: {raws})"
        missing = [f for f in ("promise", "risk") if f not in present]
        if missing:
            head += f"; no sentence is coded {missing[0]}"
    else:
        head = "Adapted sentiment: no sentence is coded promise or risk"
    per = body.groupby("doc_id")["sentiment"].mean().reindex(order)
    if per_source:
        tail = "Mean per source, adapted: " + ", ".join(f"{labels[d]} {per[d]:+.2f}" for d in order) + "."
    else:
        tail = (f"Mean per source, adapted: median {per.median():+.2f} over {per.notna().sum()} sources "
                f"(from {per.min():+.2f} to {per.max():+.2f}).")
    return f"{head}. {tail}"


def balance_summary(summary: pd.DataFrame) -> str:
    """Notebook 03's sentences on :func:`framing.measures.compare.source_summary` (indexed by source
    label): the most and least balanced sources with their intervals, hype and hedging rates,
    whether the two intervals overlap; sources without a balance (fewer than one evaluative
    sentence) are named, and a corpus where no source has one says so."""
    defined = summary.dropna(subset=["balance"])
    lines = []
    if len(defined):
        most, least = defined["balance"].abs().idxmin(), defined["balance"].abs().idxmax()

        def fmt(name: str) -> str:
            row = defined.loc[name]
            return f"{row['balance']:+.2f} [95% CI {row['balance_low']:+.2f} to {row['balance_high']:+.2f}]"

        lines += [f"Most balanced source: {most}, balance {fmt(most)}.", f"Least balanced source: {least}, balance {fmt(least)}."]
    else:
        lines.append("No source has a balance index: none has one evaluative (promise, risk or mixed) sentence, "
                     "counted or expected.")
    lines.append(f"Hype per 100 sentences: {value_range(summary['hype_per_100'])}; "
                 f"hedging {value_range(summary['hedge_per_100'])}.")
    if len(defined):
        a, b = defined.loc[most], defined.loc[least]  # intervals overlap when neither ends before the other starts
        overlap = max(a["balance_low"], b["balance_low"]) <= min(a["balance_high"], b["balance_high"])
        lines.append("The intervals of the most and least balanced sources " + ("overlap" if overlap else "do not overlap")
                     + f"; {(summary['balance_low'] > 0).sum()} of {len(summary)} sources have an interval wholly above 0. "
                     f"Body sentences per source: {span(summary['sentences'].min(), summary['sentences'].max())}.")
    undefined = [str(name) for name in summary.index if name not in defined.index]
    if undefined and len(defined):
        shown = ", ".join(undefined[:5]) + (f" and {len(undefined) - 5} more" if len(undefined) > 5 else "")
        lines.append(f"No balance for {plural(len(undefined), 'source')} with fewer than one evaluative sentence: {shown}.")
    return "\n".join(lines)


def groups_summary(summary: pd.DataFrame, named: pd.DataFrame, column: str) -> str:
    """Notebook 07's sentences: the groups' sizes and balance range (groups without a balance,
    fewer than one evaluative sentence, named; a corpus where none has one says so), and the
    risk sub-theme whose naming differs most between groups (``named``: share of each group's
    articles naming each sub-theme)."""
    defined = summary["balance"].dropna()
    head = (f"Groups by {column}: {len(summary)} groups of {int(summary['articles'].min())}-{int(summary['articles'].max())} "
            "articles; ")
    if len(defined):
        hi, lo = defined.idxmax(), defined.idxmin()
        head += f"balance from {defined[lo]:+.2f} ({lo}) to {defined[hi]:+.2f} ({hi})."
        missing = [str(g) for g in summary.index if g not in defined.index]
        if missing:
            head += f" No balance for {plural(len(missing), 'group')} with fewer than one evaluative sentence: {', '.join(missing)}."
    else:
        head += "no group has a balance index (none has one evaluative sentence, counted or expected)."
    gap = named.max(axis=0) - named.min(axis=0)
    top = gap.idxmax()
    return (f"{head}\nThe risk whose naming differs most between groups: {top.replace('_', ' ')} "
            f"(named by {named[top].min():.0%} to {named[top].max():.0%} of a group's articles).")


def corrected_summary(table: pd.DataFrame, names: dict | None = None) -> list[str]:
    """Sentences on :func:`framing.measures.corrected.estimate_table`: the corpus's corrected balance
    and risk share next to the automatic ones, the measure the automatic labels get most wrong, and
    in how many domains the automatic interval misses the corrected estimate."""
    names = names or {}
    whole = table.loc[table["domain"] == "all"].set_index(["measure", "method"])
    coded, units = int(whole["coded"].iloc[0]), int(whole["units"].iloc[0])

    def said(measure: str, method: str, fmt: str = "{:+.2f}") -> str:
        row = whole.loc[(measure, method)]
        if row["estimate"] != row["estimate"]:
            return "n/a (its denominator is empty)"
        return f"{fmt.format(row['estimate'])} [{fmt.format(row['low'])}, {fmt.format(row['high'])}]"

    out = [f"Corrected by {coded} hand-coded of {units} body sentences: balance {said('balance', 'corrected')} "
           f"(automatic labels alone {said('balance', 'automatic')}; hand sample alone {said('balance', 'hand sample')}); "
           f"risk share {said('risk share', 'corrected', '{:.2f}')} (automatic {said('risk share', 'automatic', '{:.2f}')})."]
    gap = (whole.xs("automatic", level="method")["estimate"] - whole.xs("corrected", level="method")["estimate"]).abs()
    scaled = gap / whole.xs("corrected", level="method")["estimate"].abs().clip(lower=0.05)
    worst = scaled.dropna().idxmax() if scaled.notna().any() else None
    if worst is not None:
        out.append(f"The automatic labels are furthest from the corrected estimate on '{worst}': "
                   f"{whole.loc[(worst, 'automatic'), 'estimate']:.2f} against {whole.loc[(worst, 'corrected'), 'estimate']:.2f}.")
    parts = table.loc[(table["domain"] != "all") & (table["measure"] == "balance")]
    auto = parts[parts["method"] == "automatic"].set_index("domain")
    fixed = parts[parts["method"] == "corrected"].set_index("domain")["estimate"]
    missed = [d for d in auto.index if fixed.get(d) == fixed.get(d)
              and not auto.loc[d, "low"] <= fixed[d] <= auto.loc[d, "high"]]
    if len(auto):
        listed = ", ".join(str(names.get(d, d)) for d in missed[:5]) + (" ..." if len(missed) > 5 else "")
        out.append(f"In {len(missed)} of {len(auto)} domains the automatic interval for the balance excludes the corrected "
                   f"estimate" + (f" ({listed})." if missed else "."))
    return out
