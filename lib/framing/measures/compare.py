"""Per-source comparisons with uncertainty.

The promise-risk balance index of a source is

    B = (n_promise - n_risk) / (n_promise + n_risk + n_mixed)

over its evaluative sentences (promise, risk, mixed). A mixed sentence counts in the
denominator but for neither side (it carries both), so B = +1 when every evaluative sentence
sells promise, -1 when every one warns of risk, and 0 when the two are balanced. Sources with
fewer than one evaluative sentence (:data:`MIN_EVALUATIVE`, counted or expected) get NaN:
with expected counts, below that the index is a ratio of two sums near zero and swings to
either end on noise (an article about growing tomatoes, whose sentences the coder gives a few
percent of promise each and almost no risk, came out at +0.98 with an interval of -0.92 to +0.94).

When the coder gives calibrated probabilities per frame (the learned coder's ``p_promise`` ...
columns), the counts are *expected* counts, the sums of those probabilities ("probabilistic
classify and count", Bella, Ferri, Hernandez-Orallo & Ramirez-Quintana 2010): a sentence the
coder finds 55% risk and 45% neutral adds 0.55 to the risk count instead of a whole sentence
or nothing. Held out by genre on the project's coded articles, it ranks articles' balance closer
to the hand coding than counting argmax labels (notebook 04). :func:`source_summary` uses
expected counts whenever the table carries the probability columns.

Uncertainty: 95% intervals with Jeffreys' prior. B depends on a source's sentences only
through the counts of promise, risk, mixed and other sentences, so its interval comes from
draws of the category shares from their Dirichlet(counts + 1/2) posterior; rates per 100
sentences get the Jeffreys interval for a proportion (Beta(k + 1/2, n - k + 1/2) quantiles).
Unlike a plain bootstrap over sentences, these intervals do not collapse when a category
was never observed (a source with no risk sentence can still have had one), and they cost
the same for ten sentences or ten million.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterable

from functools import partial

import numpy as np
import pandas as pd

__all__ = ["balance_index", "expected_balance", "bootstrap_balance", "rate_per_100", "frame_shares", "source_summary",
           "source_summary_reference",
           "EVALUATIVE", "PROBABILITY_COLUMNS", "has_probabilities", "MIN_EVALUATIVE"]

EVALUATIVE = ("promise", "risk", "mixed")
#: The probability columns whose sums are the expected promise, risk and mixed counts.
PROBABILITY_COLUMNS = tuple(f"p_{f}" for f in EVALUATIVE)


def _label_counts(frames: Iterable[str]) -> np.ndarray:
    """Counts of promise, risk, mixed and every other label, as floats."""
    frames = pd.Series(list(frames), dtype=object)
    return np.array([(frames == f).sum() for f in EVALUATIVE] + [(~frames.isin(EVALUATIVE)).sum()], dtype=float)


def _expected_counts(probabilities: pd.DataFrame) -> np.ndarray:
    """Expected counts of promise, risk, mixed and the rest: sums of the probability columns."""
    missing = [c for c in PROBABILITY_COLUMNS if c not in probabilities.columns]
    if missing:
        raise ValueError(f"probabilities lack the columns {missing}")
    p = probabilities[list(PROBABILITY_COLUMNS)].to_numpy(dtype=float)
    if np.isnan(p).any() or (p < 0).any() or (p.sum(axis=1) > 1 + 1e-9).any():
        raise ValueError("frame probabilities must be non-negative, not NaN, and sum to at most 1 per sentence")
    evaluative = p.sum(axis=0)
    return np.array([*evaluative, max(len(p) - evaluative.sum(), 0.0)])


def has_probabilities(table: pd.DataFrame) -> bool:
    """Whether ``table`` carries frame probabilities to count with: the columns
    :data:`PROBABILITY_COLUMNS`, filled (the rule coder leaves them empty, NaN)."""
    return all(c in table.columns for c in PROBABILITY_COLUMNS) and bool(table[list(PROBABILITY_COLUMNS)].notna().all().all())


#: The fewest evaluative sentences (promise + risk + mixed, counted or expected) a balance index needs.
MIN_EVALUATIVE = 1.0


def _balance(counts: np.ndarray) -> float:
    p, r, m = counts[:3]
    return float((p - r) / (p + r + m)) if (p + r + m) >= MIN_EVALUATIVE else float("nan")


def balance_index(frames: Iterable[str]) -> float:
    """(promise - risk) / (promise + risk + mixed) of a sequence of frame labels."""
    return _balance(_label_counts(frames))


def expected_balance(probabilities: pd.DataFrame) -> float:
    """The balance index from expected counts: sums of ``p_promise``, ``p_risk``, ``p_mixed``."""
    return _balance(_expected_counts(probabilities))


def bootstrap_balance(frames: Iterable[str], n_boot: int = 4000, seed: int = 0, level: float = 0.95,
                      probabilities: pd.DataFrame | None = None) -> tuple[float, float, float]:
    """Balance index with its interval: (B, low, high).

    The interval is the central ``level`` range of B over ``n_boot`` draws of the category
    shares from Dirichlet(counts + 1/2) (Jeffreys' prior), with a fixed ``seed``. With
    ``probabilities`` (columns :data:`PROBABILITY_COLUMNS`, one row per sentence) the counts are
    the expected counts and ``frames`` is not used.
    """
    counts = _label_counts(frames) if probabilities is None else _expected_counts(probabilities)
    return _dirichlet_interval(counts, n_boot, seed, level)


def _dirichlet_interval(counts: np.ndarray, n_boot: int, seed: int, level: float) -> tuple[float, float, float]:
    """(B, low, high) from the counts of promise, risk, mixed and the rest (:func:`bootstrap_balance`)."""
    estimate = _balance(counts)
    if counts.sum() == 0 or np.isnan(estimate):
        return estimate, float("nan"), float("nan")
    shares = np.random.default_rng(seed).dirichlet(counts + 0.5, size=n_boot)
    p, r, m = shares[:, 0], shares[:, 1], shares[:, 2]
    values = (p - r) / (p + r + m)
    alpha = (1 - level) / 2
    low, high = np.quantile(values, [alpha, 1 - alpha])
    return estimate, float(low), float(high)


def rate_per_100(flags: Iterable[bool], n_boot: int = 4000, seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
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


def frame_shares(table: pd.DataFrame, by: str = "doc_id", frames: Iterable[str] = ("promise", "mixed", "neutral", "risk")) -> pd.DataFrame:
    """Share of each frame per group (rows sum to 1 over the frames present in ``frames``)."""
    counts = pd.crosstab(table[by], table["frame"]).reindex(columns=list(frames), fill_value=0)
    return counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0)


def source_summary(table: pd.DataFrame, n_boot: int = 4000, seed: int = 0) -> pd.DataFrame:
    """One row per source: sentences, balance index with 95% interval, hype and hedge per 100 with intervals.

    ``table`` has one row per sentence with doc_id, frame, hype, hedge (boilerplate and heading
    rows should already be removed by the caller if they are not to count). When it also has
    the columns :data:`PROBABILITY_COLUMNS` filled (:func:`has_probabilities`), the balance comes
    from expected counts.

    The same numbers as :func:`source_summary_reference` (one source at a time through
    :func:`bootstrap_balance` and :func:`rate_per_100`; tested equal bit for bit), with the
    counts, the Jeffreys quantiles and the interval quantiles computed for all sources at once;
    each source's Dirichlet draws still come from its own generator seeded with ``seed``.
    """
    from scipy.stats import beta

    soft = has_probabilities(table)
    if not len(table):
        return source_summary_reference(table, n_boot=n_boot, seed=seed)
    order = np.argsort(table["doc_id"].to_numpy(dtype=object), kind="stable")  # groupby's sorted groups, rows in order
    docs = table["doc_id"].to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    sizes = np.diff(np.r_[starts, len(docs)])
    if soft:
        p = table[list(PROBABILITY_COLUMNS)].to_numpy(dtype=float)[order]
        if np.isnan(p).any() or (p < 0).any() or (p.sum(axis=1) > 1 + 1e-9).any():
            raise ValueError("frame probabilities must be non-negative, not NaN, and sum to at most 1 per sentence")
        ends = starts + sizes
        # each column summed as one contiguous run, as numpy sums the (column-major) array pandas gives the reference
        cols = [np.ascontiguousarray(p[:, j]) for j in range(p.shape[1])]
        evaluative = np.array([[c[a:b].sum() for c in cols] for a, b in zip(starts, ends)])
        counts = np.column_stack([evaluative, [max(n - e.sum(), 0.0) for n, e in zip(sizes, evaluative)]])
    else:
        frames = table["frame"].to_numpy(dtype=object)[order]
        columns = [np.add.reduceat((frames == f).astype(float), starts) for f in EVALUATIVE]
        columns.append(np.add.reduceat((~pd.Series(frames).isin(EVALUATIVE).to_numpy()).astype(float), starts))
        counts = np.column_stack(columns)
    from framing._parallel import map_chunks

    alpha = (1 - 0.95) / 2
    # the Dirichlet draws are most of the work: on all cores for many sources (each source's own generator)
    balance = np.array(map_chunks(partial(_balance_intervals, n_boot=n_boot, seed=seed), list(counts), min_items=2000),
                       dtype=float).reshape(len(starts), 3)
    out = {"doc_id": docs[starts], "sentences": sizes,
           "balance": balance[:, 0], "balance_low": balance[:, 1], "balance_high": balance[:, 2]}
    for flag, name in (("hype", "hype"), ("hedge", "hedge")):
        k = np.add.reduceat(table[flag].to_numpy(dtype=bool)[order].astype(np.int64), starts)
        n = sizes.astype(np.int64)
        low = np.where(k == 0, 0.0, beta.ppf(alpha, k + 0.5, n - k + 0.5))
        high = np.where(k == n, 1.0, beta.ppf(1 - alpha, k + 0.5, n - k + 0.5))
        out[f"{name}_per_100"] = 100 * k / n
        out[f"{name}_low"], out[f"{name}_high"] = 100 * low, 100 * high
    result = pd.DataFrame(out)
    result["doc_id"] = result["doc_id"].astype(table["doc_id"].dtype) if table["doc_id"].dtype != object else result["doc_id"]
    return result


def _balance_intervals(counts: list[np.ndarray], n_boot: int, seed: int) -> list[tuple[float, float, float]]:
    """:func:`bootstrap_balance` (95%) from each source's counts (promise, risk, mixed, other)."""
    return [_dirichlet_interval(c, n_boot, seed, 0.95) for c in counts]


def source_summary_reference(table: pd.DataFrame, n_boot: int = 4000, seed: int = 0) -> pd.DataFrame:
    """:func:`source_summary` one source at a time (the reference path)."""
    soft = has_probabilities(table)
    rows = []
    for doc_id, group in table.groupby("doc_id", sort=True):
        b, bl, bh = bootstrap_balance(group["frame"], n_boot=n_boot, seed=seed,
                                      probabilities=group if soft else None)
        hy, hyl, hyh = rate_per_100(group["hype"], n_boot=n_boot, seed=seed)
        he, hel, heh = rate_per_100(group["hedge"], n_boot=n_boot, seed=seed)
        rows.append({
            "doc_id": doc_id, "sentences": len(group),
            "balance": b, "balance_low": bl, "balance_high": bh,
            "hype_per_100": hy, "hype_low": hyl, "hype_high": hyh,
            "hedge_per_100": he, "hedge_low": hel, "hedge_high": heh,
        })
    return pd.DataFrame(rows)

