"""Comparisons between groups of articles: outlet type, country, year, side, any manifest column.

A group is the set of articles that share a value of one manifest column (``GROUP=column``).
The articles are the sampling units: each statistic pools the sentences of a group's articles,
and its 95% interval comes from a cluster bootstrap over the group's articles (resampling whole
articles with replacement, seeded), so that one long article cannot make a group look certain.
A group of a single article gets no interval. The balance index uses expected counts where
the coder gives probabilities, as per source (:mod:`framing.measures.compare`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.measures.compare import EVALUATIVE, PROBABILITY_COLUMNS, has_probabilities
from framing.measures.frames import SUBTHEMES

__all__ = ["GroupError", "candidate_columns", "groups_of", "article_measures", "group_summary", "group_frame_shares",
           "group_subthemes", "size_table", "group_checklist", "MISSING"]

#: The group of an article whose manifest cell is empty.
MISSING = "(not given)"
_FOUR = ["promise", "mixed", "neutral", "risk"]


#: Columns the loader adds (sizes, checksums, formats): no manifest column to group by.
_INTERNAL = ("doc_id", "label", "title", "text", "clean_text", "sha256", "n_bytes", "n_chars", "n_clean_chars", "file",
             "duplicate_of", "format", "date_precision", "url", "note")


def candidate_columns(corpus: pd.DataFrame) -> list[str]:
    """The corpus's columns that can group articles: the manifest's, not the loader's own."""
    return [c for c in corpus.columns if c not in _INTERNAL]


class GroupError(ValueError):
    """The grouping column cannot be used (not in the manifest, or a single group)."""


def groups_of(corpus: pd.DataFrame, column: str) -> pd.Series:
    """The group of every article (index: doc_id) from the manifest column ``column``.

    Empty cells and missing dates become :data:`MISSING`; dates group by year. Raises
    :class:`GroupError` naming the column and the columns there are when it is not in the corpus.
    """
    if column not in corpus.columns:
        raise GroupError(f"GROUP={column!r} is not a column of the corpus; the manifest gives: {candidate_columns(corpus)}")
    values = corpus[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values.dt.year.map(lambda y: MISSING if pd.isna(y) else str(int(y)))
    else:
        out = values.map(lambda v: MISSING if v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip()
                         else str(v).strip())
    return pd.Series(out.to_numpy(dtype=object), index=corpus["doc_id"].to_numpy(), name=column)


def article_measures(body: pd.DataFrame) -> pd.DataFrame:
    """Per article (index doc_id): sentences, expected (or counted) promise/risk/mixed, hype and
    hedge counts, the sum of the adapted sentiment, and one bool per risk sub-theme named."""
    frame = body.copy()
    if has_probabilities(frame):
        for f, col in zip(EVALUATIVE, PROBABILITY_COLUMNS):
            frame[f"n_{f}"] = frame[col].astype(float)
    else:
        for f in EVALUATIVE:
            frame[f"n_{f}"] = (frame["frame"] == f).astype(float)
    for f in _FOUR:
        frame[f"is_{f}"] = (frame["frame"] == f).astype(float)
    grouped = frame.groupby("doc_id", sort=True)
    out = pd.DataFrame({"sentences": grouped.size()})
    for col in [*(f"n_{f}" for f in EVALUATIVE), *(f"is_{f}" for f in _FOUR)]:
        out[col] = grouped[col].sum()
    out["hype"] = grouped["hype"].sum().astype(float)
    out["hedge"] = grouped["hedge"].sum().astype(float)
    out["sentiment"] = grouped["sentiment"].sum()
    for theme in SUBTHEMES:
        out[theme] = grouped[theme].any()
    return out


def _statistics(w: np.ndarray, a: pd.DataFrame) -> dict[str, np.ndarray]:
    """Pooled statistics of the articles ``a`` weighted by ``w`` (draws x articles)."""
    s = lambda col: w @ a[col].to_numpy(dtype=float)  # noqa: E731
    n, p, r, m = s("sentences"), s("n_promise"), s("n_risk"), s("n_mixed")
    from framing.measures.compare import MIN_EVALUATIVE

    with np.errstate(invalid="ignore", divide="ignore"):
        # as for one source: no balance below one evaluative sentence (compare.MIN_EVALUATIVE)
        balance = np.where(p + r + m >= MIN_EVALUATIVE, (p - r) / (p + r + m), np.nan)
        return {"balance": balance, "hype_per_100": 100 * s("hype") / n,
                "hedge_per_100": 100 * s("hedge") / n, "sentiment": s("sentiment") / n}


def group_summary(body: pd.DataFrame, groups: pd.Series, n_boot: int = 2000, seed: int = 0,
                  level: float = 0.95) -> pd.DataFrame:
    """One row per group: articles, sentences, and balance, hype and hedge per 100 sentences and
    mean adapted sentiment, each pooled over the group's sentences with a cluster-bootstrap
    interval over its articles (``<name>_low``/``<name>_high``; NaN for a single article).

    ``body``: the analysed sentences (:func:`framing.measures.analysis.analysed`); ``groups``:
    :func:`groups_of`. Groups are sorted by name; every draw is seeded (``seed`` + group number).
    """
    per = article_measures(body)
    per = per.join(groups.rename("group"), how="left")
    rows = []
    alpha = (1 - level) / 2
    for i, (group, part) in enumerate(per.groupby("group", sort=True)):
        point = {k: float(v[0]) for k, v in _statistics(np.ones((1, len(part))), part).items()}
        row = {"group": group, "articles": len(part), "sentences": int(part["sentences"].sum()), **point}
        if len(part) > 1:
            w = np.random.default_rng(seed + i).multinomial(len(part), np.full(len(part), 1 / len(part)), size=n_boot)
            draws = _statistics(w.astype(float), part)
            for name, values in draws.items():
                # draws without a defined value (no evaluative sentence drawn) are left out; none: no interval
                low, high = np.nanquantile(values, [alpha, 1 - alpha]) if np.isfinite(values).any() else (np.nan, np.nan)
                row[f"{name}_low"], row[f"{name}_high"] = float(low), float(high)
        else:
            for name in point:
                row[f"{name}_low"] = row[f"{name}_high"] = float("nan")
        rows.append(row)
    order = ["group", "articles", "sentences"]
    for name in ("balance", "hype_per_100", "hedge_per_100", "sentiment"):
        order += [name, f"{name}_low", f"{name}_high"]
    return pd.DataFrame(rows)[order].set_index("group")


def group_frame_shares(body: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Share of each group's body sentences per frame (promise, mixed, neutral, risk; rows sum to 1)."""
    labels = body["doc_id"].map(groups)
    counts = pd.crosstab(labels, body["frame"]).reindex(columns=_FOUR, fill_value=0)
    return counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).rename_axis(index="group", columns=None)


def group_subthemes(body: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Share of each group's articles that name each risk sub-theme at least once."""
    per = article_measures(body)[list(SUBTHEMES)].astype(float).join(groups.rename("group"))
    return per.groupby("group", sort=True)[list(SUBTHEMES)].mean()


def size_table(sources: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Per group: articles, body sentences, words and lines removed by cleaning, from the per-source
    table (:attr:`framing.pipeline.Built.sources`)."""
    table = sources.assign(group=sources["doc_id"].map(groups))
    return table.groupby("group", sort=True).agg(articles=("doc_id", "size"), sentences=("n_sentences", "sum"),
                                                 words=("n_words", "sum"), lines_removed=("lines_removed", "sum"))


def group_checklist(checklist: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Share of each group's articles meeting each quality criterion (uses_hype: using hype), from
    the long checklist table (:func:`framing.measures.quality.checklist`)."""
    from framing.measures.quality import checklist_wide

    wide = checklist_wide(checklist).astype(float)
    return wide.groupby(wide.index.map(groups)).mean().rename_axis(index="group", columns=None)
