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

__all__ = ["terms_summary", "likeness_summary", "topics_summary", "share", "value_range"]


def share(part: float, whole: float) -> str:
    """``part`` of ``whole`` as a percentage with one decimal ("n/a" for an empty whole)."""
    return f"{part / whole:.1%}" if whole else "n/a"


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
            f"{clear} term(s) clear z = 1.96 (largest z {table['z'].max():.2f}).")


def likeness_summary(lk: Likeness, labels: dict) -> str:
    """Cosine range (or mean) and the share of words in shared passages (:class:`framing.measures.passages.Likeness`)."""
    cov = lk.found.coverage
    words = (f"{int(cov['shared_tokens'].sum())} of {int(cov['n_tokens'].sum())} words "
             f"({share(cov['shared_tokens'].sum(), cov['n_tokens'].sum())}) lie in {len(lk.found.passages)} passage(s) "
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
    n_sources = (prev.drop(columns=["(none)"], errors="ignore") > 0).sum()
    everywhere = int((n_sources == len(prev)).sum())
    narrow = n_sources.idxmin()
    eligible = k_table[(k_table["k"] >= min_k) & (k_table["sentences_per_topic"] >= min_sentences)]
    how = (f"the most stable of k = {int(eligible['k'].min())}-{int(eligible['k'].max())} "
           f"(stability {k_table.set_index('k').loc[model.k, 'stability']:.3f})" if len(eligible)
           else f"too few sentences for {min_sentences} a topic at any k >= {min_k}: the smallest k is shown")
    return (f"Topics: k = {model.k}, {how}; {everywhere} of {model.k} topics appear in all {len(prev)} source(s), "
            f"'{narrow}' in the fewest ({n_sources[narrow]}).")


def value_range(values: pd.Series, digits: int = 1) -> str:
    """"from <min> (<where>) to <max> (<where>)" over a labelled series, or "<v> in every source" when all are equal."""
    low, high = values.min(), values.max()
    if low == high:
        return f"{low:.{digits}f} in every source"
    return f"from {low:.{digits}f} ({values.idxmin()}) to {high:.{digits}f} ({values.idxmax()})"
