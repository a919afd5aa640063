"""Per-source comparisons with uncertainty.

The promise-risk balance index of a source is

    B = (n_promise - n_risk) / (n_promise + n_risk + n_mixed)

over its evaluative sentences (promise, risk, mixed). A mixed sentence counts in the
denominator but for neither side (it carries both), so B = +1 when every evaluative sentence
sells promise, -1 when every one warns of risk, and 0 when the two are balanced. Sources with
no evaluative sentence get NaN.

Uncertainty: 95% intervals with Jeffreys' prior. B depends on a source's sentences only
through the counts of promise, risk, mixed and other sentences, so its interval comes from
draws of the category shares from their Dirichlet(counts + 1/2) posterior; rates per 100
sentences get the Jeffreys interval for a proportion (Beta(k + 1/2, n - k + 1/2) quantiles).
Unlike a plain bootstrap over sentences, these intervals do not collapse when a category
was never observed (a source with no risk sentence can still have had one), and they cost
the same for ten sentences or ten million.
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
    """Balance index with its interval: (B, low, high).

    The interval is the central ``level`` range of B over ``n_boot`` draws of the category
    shares from Dirichlet(counts + 1/2) (Jeffreys' prior), with a fixed ``seed``.
    """
    frames = pd.Series(list(frames), dtype=object)
    estimate = balance_index(frames)
    if len(frames) == 0 or np.isnan(estimate):
        return estimate, float("nan"), float("nan")
    counts = np.array([(frames == f).sum() for f in EVALUATIVE] + [(~frames.isin(EVALUATIVE)).sum()], dtype=float)
    shares = np.random.default_rng(seed).dirichlet(counts + 0.5, size=n_boot)
    p, r, m = shares[:, 0], shares[:, 1], shares[:, 2]
    values = (p - r) / (p + r + m)
    alpha = (1 - level) / 2
    low, high = np.quantile(values, [alpha, 1 - alpha])
    return estimate, float(low), float(high)


def rate_per_100(flags, n_boot: int = 4000, seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
    """Rate of True per 100 sentences with the Jeffreys interval: (rate, low, high).

    ``n_boot`` and ``seed`` are accepted for a uniform signature; the interval is exact.
    """
    from scipy.stats import beta

    flags = np.asarray(list(flags), dtype=bool)
    n = len(flags)
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    k = int(flags.sum())
    alpha = (1 - level) / 2
    low = 0.0 if k == 0 else float(beta.ppf(alpha, k + 0.5, n - k + 0.5))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha, k + 0.5, n - k + 0.5))
    return 100 * k / n, 100 * low, 100 * high


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

