"""Per-source comparisons with uncertainty.

The promise-risk balance index of a source is

    B = (n_promise - n_risk) / (n_promise + n_risk + n_mixed)

over its evaluative sentences (promise, risk, mixed). A mixed sentence counts in the
denominator but for neither side (it carries both), so B = +1 when every evaluative sentence
sells promise, -1 when every one warns of risk, and 0 when the two are balanced. Sources with
no evaluative sentence get NaN.

Uncertainty comes from a bootstrap over sentences. B and the per-100-sentence rates depend
on the sentences only through category counts, so resampling n sentences with replacement is
exactly a multinomial draw of counts with the observed shares: the bootstrap is done on
counts (``numpy.random.Generator.multinomial``), which costs the same for ten sentences or
ten million.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["balance_index", "bootstrap_balance", "rate_per_100", "frame_shares", "source_summary"]

EVALUATIVE = ("promise", "risk", "mixed")


def balance_index(frames) -> float:
    """(promise - risk) / (promise + risk + mixed) of a sequence of frame labels."""
    frames = pd.Series(list(frames), dtype=object)
    p, r, m = ((frames == f).sum() for f in EVALUATIVE)
    return float((p - r) / (p + r + m)) if (p + r + m) else float("nan")


def bootstrap_balance(frames, n_boot: int = 4000, seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
    """Balance index with a percentile bootstrap interval over sentences: (B, low, high)."""
    frames = pd.Series(list(frames), dtype=object)
    n = len(frames)
    estimate = balance_index(frames)
    if n == 0 or np.isnan(estimate):
        return estimate, float("nan"), float("nan")
    counts = np.array([(frames == f).sum() for f in EVALUATIVE] + [(~frames.isin(EVALUATIVE)).sum()])
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, counts / n, size=n_boot)
    p, r, m = draws[:, 0], draws[:, 1], draws[:, 2]
    denom = p + r + m
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(denom > 0, (p - r) / np.maximum(denom, 1), np.nan)
    values = values[~np.isnan(values)]
    alpha = (1 - level) / 2
    low, high = np.quantile(values, [alpha, 1 - alpha])
    return estimate, float(low), float(high)


def rate_per_100(flags, n_boot: int = 4000, seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
    """Rate of True per 100 sentences with a percentile bootstrap interval: (rate, low, high)."""
    flags = np.asarray(list(flags), dtype=bool)
    n = len(flags)
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    k = int(flags.sum())
    rng = np.random.default_rng(seed)
    draws = rng.binomial(n, k / n, size=n_boot) / n * 100
    alpha = (1 - level) / 2
    low, high = np.quantile(draws, [alpha, 1 - alpha])
    return 100 * k / n, float(low), float(high)


def frame_shares(table: pd.DataFrame, by: str = "doc_id", frames=("promise", "mixed", "neutral", "risk")) -> pd.DataFrame:
    """Share of each frame per group (rows sum to 1 over the frames present in ``frames``)."""
    counts = pd.crosstab(table[by], table["frame"]).reindex(columns=list(frames), fill_value=0)
    return counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0)


def source_summary(table: pd.DataFrame, n_boot: int = 4000, seed: int = 0) -> pd.DataFrame:
    """One row per source: sentences, balance index with 95% interval, hype and hedge per 100 with intervals.

    ``table`` has one row per sentence with doc_id, frame, hype, hedge (boilerplate and heading
    rows should already be removed by the caller if they are not to count).
    """
    rows = []
    for doc_id, group in table.groupby("doc_id", sort=True):
        b, bl, bh = bootstrap_balance(group["frame"], n_boot=n_boot, seed=seed)
        hy, hyl, hyh = rate_per_100(group["hype"], n_boot=n_boot, seed=seed)
        he, hel, heh = rate_per_100(group["hedge"], n_boot=n_boot, seed=seed)
        rows.append({
            "doc_id": doc_id, "sentences": len(group),
            "balance": b, "balance_low": bl, "balance_high": bh,
            "hype_per_100": hy, "hype_low": hyl, "hype_high": hyh,
            "hedge_per_100": he, "hedge_low": hel, "hedge_high": heh,
        })
    return pd.DataFrame(rows)

