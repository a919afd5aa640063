"""Estimates that stay valid when the automatic coder errs: automatic labels corrected by a hand-coded sample.

Plugging an imperfect coder's labels into shares or comparisons gives biased estimates whose
intervals miss far more often than they say (Egami, Hinck, Stewart & Wei 2023; Angelopoulos,
Bates, Fannjiang, Jordan & Zrnic 2023). With a random sample of the corpus coded by hand, with
known inclusion probabilities (:mod:`framing.io.codesheet`), three estimates of each measure are
possible; this module computes all three, per source, per group or for the whole corpus:

* ``automatic``: the automatic labels alone (what the other notebooks report), with the interval
  one would get by treating them as the truth. Biased wherever the coder errs systematically.
* ``hand sample``: the hand codes alone, weighted by the inverse inclusion probabilities
  (Horvitz-Thompson). Unbiased, but uses none of the corpus's other units: wide.
* ``corrected``: the automatic total over every unit plus the weighted sum of the hand-minus-
  automatic differences over the coded units (the difference estimator of survey sampling,
  Sarndal, Swensson & Wretman 1992, ch. 6; for a mean with known inclusion probabilities this is
  the design-based supervised learning (DSL) estimator of Egami et al. 2023, and with equal
  probabilities the prediction-powered estimate of Angelopoulos et al. 2023). Unbiased whatever
  the coder's errors, and as precise as the coder is good. **This is the one to cite.**

Every measure is a ratio of two corpus totals, ``R = T_a / T_b`` (a share: units of a frame over
units; the balance index: promise minus risk over evaluative units; hype per 100 non-boilerplate
units; a risk sub-theme over risk-bearing units). Its variance is the design variance of the
linearised residual ``e = [(a - R b) - (a_hat - R b_hat)] / T_b`` (for the sample-only estimate,
``(a - R b) / T_b``) under stratified sampling without replacement:
``V = sum_h N_h^2 (1 - n_h / N_h) s_h^2 / n_h`` (a stratum coded whole has none). The 95%
interval is a Wilson score interval on the estimate's place in the measure's range with the
survey's effective sample size, capped by the coded units behind it (:func:`interval`; Korn &
Graubard 1998): small shares are estimated from few coder errors, so their standard error
shrinks with the estimate, and a symmetric normal interval misses the truth above it (coverage
0.89 instead of 0.93 for a group's risk share in the simulation); a sample that found no error in
a stratum would otherwise give a zero-width interval. The estimand is the value in the
corpus analysed (a finite population): the intervals say how far the hand-coded sample can be
from having coded everything, not how other articles would differ (notebook 07's cluster
bootstrap does that). A stratum with fewer than two coded units borrows the pooled within-stratum
variance; a stratum with none cannot be corrected (its units count with their automatic values:
:func:`estimate_table` reports them in ``uncorrected``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Mapping

import math
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.stats import norm

from pathlib import Path

from framing.measures.compare import MIN_EVALUATIVE, has_probabilities
from framing.measures.frames import FRAMES, SUBTHEMES

__all__ = ["MEASURES", "METHODS", "unit_variables", "interval", "effective_cap", "ratio_estimates", "estimate_table", "wide",
           "simulate_coverage", "coverage_markdown", "DOCS_NOTE"]

#: The three estimates, in reporting order.
METHODS = ("automatic", "hand sample", "corrected")


def _measures() -> list[tuple[str, dict[str, float], dict[str, float], float, tuple[float, float]]]:
    """(name, numerator, denominator, scale, range) of every measure; numerator and denominator are
    weights on the columns of :func:`unit_variables`; the range is that of the ratio before the
    scale (a rate per 100 is a share times 100)."""
    out = [(f"{f} share", {f: 1.0}, {"one": 1.0}, 1.0, (0.0, 1.0)) for f in FRAMES]
    out.append(("balance", {"promise": 1.0, "risk": -1.0}, {"promise": 1.0, "risk": 1.0, "mixed": 1.0}, 1.0, (-1.0, 1.0)))
    out.append(("hype per 100", {"hype_nb": 1.0}, {"nonboiler": 1.0}, 100.0, (0.0, 1.0)))
    out.append(("hedge per 100", {"hedge_nb": 1.0}, {"nonboiler": 1.0}, 100.0, (0.0, 1.0)))
    out += [(f"{t} share of risk-bearing", {t: 1.0}, {"riskbearing": 1.0}, 1.0, (0.0, 1.0)) for t in SUBTHEMES]
    return out


#: Every measure estimated: frame shares of body sentences, the balance index, hype and hedging
#: per 100 non-boilerplate sentences, and each risk sub-theme's share of the risk or mixed sentences.
MEASURES = tuple(m[0] for m in _measures())


def unit_variables(table: pd.DataFrame, soft: bool | None = None) -> pd.DataFrame:
    """Per unit, the indicator columns the measures are ratios of: one per frame, ``one``,
    ``nonboiler``, ``hype_nb`` and ``hedge_nb`` (the flag on a non-boilerplate unit),
    ``riskbearing`` (risk or mixed) and one per sub-theme (named on a risk-bearing unit).

    ``table`` has ``frame``, ``hype``, ``hedge`` and one bool column per sub-theme (hand codes, or
    the automatic coder's output). With ``soft`` (default: when the table carries the coder's frame
    probabilities) the frame columns are the probabilities ``p_<frame>`` (expected counts, as
    :mod:`framing.measures.compare` counts the balance), the flags stay labels.
    """
    soft = has_probabilities(table) and "p_neutral" in table.columns if soft is None else soft
    frame = table["frame"].astype(str).to_numpy()
    out = {}
    for f in FRAMES:
        out[f] = table[f"p_{f}"].to_numpy(dtype=float) if soft else (frame == f).astype(float)
    out["one"] = np.ones(len(table))
    body = frame != "boilerplate"
    bearing = np.isin(frame, ["risk", "mixed"])
    out["nonboiler"] = body.astype(float)
    out["hype_nb"] = (table["hype"].astype(bool).to_numpy() & body).astype(float)
    out["hedge_nb"] = (table["hedge"].astype(bool).to_numpy() & body).astype(float)
    out["riskbearing"] = bearing.astype(float)
    for t in SUBTHEMES:
        out[t] = (table[t].astype(bool).to_numpy() & bearing).astype(float)
    return pd.DataFrame(out, index=table.index)


def _combine(variables: pd.DataFrame | np.ndarray, weights: Mapping[str, float], columns: list[str]) -> np.ndarray:
    values = variables.to_numpy(dtype=float) if isinstance(variables, pd.DataFrame) else variables
    return sum(values[:, columns.index(c)] * w for c, w in weights.items())


def _design_variance(e: np.ndarray, stratum: np.ndarray, sizes: Mapping[object, int]) -> float:
    """sum_h N_h^2 (1 - n_h/N_h) s_h^2 / n_h over the strata of the coded units; strata with one
    coded unit borrow the pooled within-stratum variance."""
    labels, codes = np.unique(stratum, return_inverse=True)
    n = np.bincount(codes, minlength=len(labels)).astype(float)
    sums = np.bincount(codes, weights=e, minlength=len(labels))
    means = sums / np.maximum(n, 1)
    ss = np.bincount(codes, weights=(e - means[codes]) ** 2, minlength=len(labels))
    free = np.maximum(n - 1, 0)
    pooled = ss.sum() / free.sum() if free.sum() > 0 else (float(np.var(e, ddof=1)) if len(e) > 1 else 0.0)
    s2 = np.where(n >= 2, ss / np.maximum(free, 1), pooled)
    big_n = np.array([float(sizes[h]) for h in labels])
    return float(np.sum(big_n ** 2 * (1 - n / big_n) * s2 / n))


@lru_cache(maxsize=8)
def _z(level: float) -> float:
    return float(norm.ppf(0.5 + level / 2))


def interval(estimate: float, se: float, bounds: tuple[float, float] | None = None, level: float = 0.95,
             n_max: float | None = None) -> tuple[float, float]:
    """The ``level`` interval of an estimate with standard error ``se``.

    Without ``bounds``: normal. With ``bounds`` (the measure's range, e.g. (0, 1) for a share,
    (-1, 1) for the balance): the Wilson score interval of the estimate's position in that range,
    with the effective sample size ``u (1 - u) / se^2`` of a survey estimate, at most ``n_max``
    (Korn & Graubard 1998): asymmetric near a bound, as the sampling distribution of a small share
    is, and never narrower than the units behind it allow, so that a sample that happened to find no
    coder error in a stratum does not give a zero-width interval. ``n_max`` infinite (a census) or
    ``se`` zero with no cap: no width."""
    z = _z(level)
    if not (estimate == estimate and se == se):
        return float("nan"), float("nan")
    if bounds is None:
        return estimate - z * se, estimate + z * se
    lo, hi = bounds
    width = hi - lo
    u = min(max((estimate - lo) / width, 0.0), 1.0)
    s = se / width
    n = u * (1 - u) / s ** 2 if s > 0 else math.inf
    if n_max is not None:
        n = min(n, n_max)
    if n == 0:  # on a bound with some error and no cap: the normal interval, clipped
        return float(np.clip(estimate - z * se, lo, hi)), float(np.clip(estimate + z * se, lo, hi))
    if math.isinf(n):
        return lo + width * u, lo + width * u
    shrink = 1 + z ** 2 / n
    centre = (u + z ** 2 / (2 * n)) / shrink
    half = z * math.sqrt(u * (1 - u) / n + z ** 2 / (4 * n ** 2)) / shrink
    return float(lo + width * max(centre - half, 0.0)), float(lo + width * min(centre + half, 1.0))


def effective_cap(method: str, b_hat: np.ndarray, b: np.ndarray, n_coded: int, n_units: int) -> float:
    """The largest effective sample size :func:`interval` may use for ``method``: the units behind the
    denominator (the hand sample: the coded units in it; automatic and corrected, which use every
    unit: its automatic total), divided by one minus the sampling fraction for the two that use
    the sample (a census has no sampling error)."""
    if method == "automatic":
        return float(np.sum(b_hat))
    behind = float(np.sum(b > 0)) if method == "hand sample" else float(np.sum(b_hat))
    fraction = n_coded / n_units if n_units else 1.0
    return math.inf if fraction >= 1 else behind / (1 - fraction)


def ratio_estimates(a_hat: np.ndarray, b_hat: np.ndarray, a: np.ndarray, b: np.ndarray, a_hat_coded: np.ndarray,
                    b_hat_coded: np.ndarray, stratum: np.ndarray, sizes: Mapping[object, int],
                    min_total: float = 0.0) -> dict[str, tuple[float, float]]:
    """The three estimates of ``R = T_a / T_b`` in one domain, each as (estimate, standard error).

    ``a_hat``, ``b_hat``: automatic values of every unit of the domain. ``a``, ``b``: hand values
    of the coded units of the domain, ``a_hat_coded``, ``b_hat_coded`` their automatic values,
    ``stratum`` their strata; the coded units of all strata outside the domain are passed with
    ``a = b = a_hat_coded = b_hat_coded = 0`` (domain estimation: they count in the strata's
    variances). ``sizes``: N_h per stratum (the coded units of stratum h are a simple random
    sample of its N_h units). NaN where the method's denominator total is zero or below
    ``min_total`` (the balance: :data:`framing.measures.compare.MIN_EVALUATIVE`, as for one source);
    :func:`interval` makes the intervals.
    """
    nan = (float("nan"), float("nan"))
    labels, codes = np.unique(stratum, return_inverse=True)
    n_h = np.bincount(codes, minlength=len(labels)).astype(float)
    weight = np.array([float(sizes[h]) for h in labels])[codes] / n_h[codes] if len(stratum) else np.zeros(0)
    out = {}
    # automatic: the labels as if true, units independent
    ta, tb = float(np.sum(a_hat)), float(np.sum(b_hat))
    if tb > 0 and tb >= min_total:
        r = ta / tb
        e = (a_hat - r * b_hat) / tb
        out["automatic"] = (r, float(np.sqrt(len(e) * np.var(e, ddof=1))) if len(e) > 1 else 0.0)
    else:
        out["automatic"] = nan
    # hand sample only (Horvitz-Thompson ratio)
    ta, tb = float(np.sum(weight * a)), float(np.sum(weight * b))
    if tb > 0 and tb >= min_total:
        r = ta / tb
        out["hand sample"] = (r, float(np.sqrt(_design_variance((a - r * b) / tb, stratum, sizes))))
    else:
        out["hand sample"] = nan
    # corrected (difference estimator)
    ta = float(np.sum(a_hat) + np.sum(weight * (a - a_hat_coded)))
    tb = float(np.sum(b_hat) + np.sum(weight * (b - b_hat_coded)))
    if tb > 0 and tb >= min_total:
        r = ta / tb
        e = ((a - r * b) - (a_hat_coded - r * b_hat_coded)) / tb
        out["corrected"] = (r, float(np.sqrt(_design_variance(e, stratum, sizes))))
    else:
        out["corrected"] = nan
    return out


def _three(a_hat: np.ndarray, b_hat: np.ndarray, a: np.ndarray, b: np.ndarray, a_hat_coded: np.ndarray,
           b_hat_coded: np.ndarray, stratum: np.ndarray, sizes: Mapping[object, int], bounds: tuple[float, float],
           n_coded: int, n_units: int, level: float, min_total: float = 0.0) -> dict[str, tuple[float, float, float, float]]:
    """:func:`ratio_estimates` made into (estimate clipped to ``bounds``, low, high, se) per method."""
    out = {}
    for method, (est, se) in ratio_estimates(a_hat, b_hat, a, b, a_hat_coded, b_hat_coded, stratum, sizes, min_total).items():
        low, high = interval(est, se, bounds, level=level, n_max=effective_cap(method, b_hat, b, n_coded, n_units))
        out[method] = (float(np.clip(est, *bounds)) if est == est else est, low, high, se)
    return out


def estimate_table(auto: pd.DataFrame, hand: pd.DataFrame, coded_index: np.ndarray, stratum: np.ndarray,
                   sizes: Mapping[object, int], domain: pd.Series | None = None, level: float = 0.95) -> pd.DataFrame:
    """Every measure of :data:`MEASURES` by the three methods, per domain and for the whole corpus.

    ``auto``: one row per unit of the population (its automatic coding, :func:`unit_variables`
    input). ``hand``: one row per coded unit (hand codes, same columns), whose population rows are
    ``coded_index`` (positions in ``auto``) and strata ``stratum``; ``sizes``: N_h per stratum.
    ``domain``: the domain (source or group) of every population unit, aligned with ``auto``
    (None: the whole corpus only). Long table: domain, measure, method, estimate, low, high,
    units (N in the domain), coded (n in it), uncorrected (the strata of the sheet with no coded unit,
    whose errors nothing corrects, ';'-joined).
    """
    va = unit_variables(auto)
    vh = unit_variables(hand, soft=False)
    columns = list(va.columns)
    va_np, vh_np = va.to_numpy(dtype=float), vh.to_numpy(dtype=float)
    coded_index = np.asarray(coded_index, dtype=int)
    stratum = np.asarray(stratum, dtype=object)
    labels = np.full(len(auto), "all", dtype=object) if domain is None else np.asarray(domain, dtype=object)
    domains = (["all"] if domain is None else sorted(set(labels), key=str) + ["all"])
    seen = {str(s) for s in stratum}
    missing = "; ".join(sorted(str(h) for h, size in sizes.items() if size > 0 and str(h) not in seen))
    rows = []
    for d in domains:
        in_d = np.ones(len(auto), dtype=bool) if d == "all" else labels == d
        coded_in = in_d[coded_index]
        for name, num, den, scale, (lo_, hi_) in _measures():
            a_hat = _combine(va_np[in_d], num, columns)
            b_hat = _combine(va_np[in_d], den, columns)
            mask = coded_in.astype(float)
            a = _combine(vh_np, num, columns) * mask
            b = _combine(vh_np, den, columns) * mask
            a_hat_c = _combine(va_np[coded_index], num, columns) * mask
            b_hat_c = _combine(va_np[coded_index], den, columns) * mask
            result = _three(a_hat, b_hat, a, b, a_hat_c, b_hat_c, stratum, sizes, (lo_, hi_),
                            int(coded_in.sum()), int(in_d.sum()), level, MIN_EVALUATIVE if name == "balance" else 0.0)
            for method in METHODS:
                est, low, high, se = result[method]
                rows.append({"domain": d, "measure": name, "method": method, "estimate": scale * est,
                             "low": scale * low, "high": scale * high, "se": scale * se,
                             "units": int(in_d.sum()), "coded": int(coded_in.sum()), "uncorrected": missing})
    return pd.DataFrame(rows)


def wide(table: pd.DataFrame, domain: str = "all", digits: int = 2) -> pd.DataFrame:
    """One domain of :func:`estimate_table` as measure x method, each cell "estimate [low, high]"."""
    part = table.loc[table["domain"] == domain]

    def cell(row: pd.Series) -> str:
        if row["estimate"] != row["estimate"]:
            return "n/a"
        return f"{row['estimate']:.{digits}f} [{row['low']:.{digits}f}, {row['high']:.{digits}f}]"

    out = part.assign(cell=part.apply(cell, axis=1)).pivot(index="measure", columns="method", values="cell")
    return out.reindex(index=[m for m in MEASURES if m in set(part["measure"])], columns=list(METHODS))


def simulate_coverage(repetitions: int = 1000, n_units: int = 4000, n_coded: int = 200, accuracy: float = 0.85,
                      risk_missed: float = 0.35, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Coverage of the three methods' intervals on synthetic corpora with known true shares.

    One fixed synthetic corpus of ``n_units`` units in four groups with different true frame mixes;
    a coder that calls a ``risk_missed`` share of true risk units neutral (biased against risk, as
    rule coders are on unseen pages) and puts ``1 - accuracy`` of the other units in a random
    wrong frame; each
    repetition draws a new stratified sample of ``n_coded`` units (:func:`framing.io.codesheet.allocate`)
    and new coder errors, and records whether each method's interval holds the true value of the
    risk share and the balance index, per group and overall. One row per method and measure:
    coverage, mean width, bias.
    """
    from framing.io.codesheet import allocate

    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(4), n_units // 4)
    mixes = np.array([[0.40, 0.15, 0.10, 0.30, 0.05], [0.20, 0.30, 0.10, 0.35, 0.05],
                      [0.30, 0.25, 0.05, 0.35, 0.05], [0.15, 0.40, 0.10, 0.30, 0.05]])
    truth = np.array([rng.choice(5, p=mixes[g]) for g in groups])
    names = list(FRAMES)
    true_table = _frame_table(truth, names)
    measures = {"risk share": ({"risk": 1.0}, {"one": 1.0}, (0.0, 1.0)), "balance": (
        {"promise": 1.0, "risk": -1.0}, {"promise": 1.0, "risk": 1.0, "mixed": 1.0}, (-1.0, 1.0))}
    vt = unit_variables(true_table, soft=False)
    columns = list(vt.columns)
    vt_np = vt.to_numpy(dtype=float)
    domains = [("all", np.ones(len(truth), dtype=bool))] + [(f"group {g}", groups == g) for g in range(4)]
    truths = {(m, d): _combine(vt_np[mask], num, columns).sum() / _combine(vt_np[mask], den, columns).sum()
              for m, (num, den, _) in measures.items() for d, mask in domains}
    per_label = unit_variables(_frame_table(np.arange(len(names)), names), soft=False).to_numpy(dtype=float)
    hits, widths, errors = {}, {}, {}
    for _ in range(repetitions):
        predicted = truth.copy()
        risk = truth == names.index("risk")
        predicted[risk & (rng.random(len(truth)) < risk_missed)] = names.index("neutral")
        wrong = (predicted == truth) & (rng.random(len(truth)) < 1 - accuracy)
        predicted[wrong] = (truth[wrong] + rng.integers(1, 5, wrong.sum())) % 5
        va_np = per_label[predicted]
        sizes = {h: int((predicted == h).sum()) for h in range(5)}
        take = allocate(sizes, n_coded)
        chosen = np.concatenate([rng.choice(np.flatnonzero(predicted == h), take[h], replace=False)
                                 for h in range(5) if take.get(h)])
        stratum = predicted[chosen]
        for m, (num, den, bounds) in measures.items():
            for d, mask in domains:
                inside = mask[chosen].astype(float)
                result = _three(_combine(va_np[mask], num, columns), _combine(va_np[mask], den, columns),
                                _combine(vt_np[chosen], num, columns) * inside, _combine(vt_np[chosen], den, columns) * inside,
                                _combine(va_np[chosen], num, columns) * inside, _combine(va_np[chosen], den, columns) * inside,
                                stratum, sizes, bounds, int(inside.sum()), int(mask.sum()), level)
                for method, (est, low, high, _) in result.items():
                    key = (method, m, d)
                    hits[key] = hits.get(key, 0) + int(low <= truths[(m, d)] <= high)
                    widths[key] = widths.get(key, 0.0) + (high - low)
                    errors[key] = errors.get(key, 0.0) + (est - truths[(m, d)])
    rows = [{"method": method, "measure": m, "domain": d, "coverage": hits[(method, m, d)] / repetitions,
             "mean width": widths[(method, m, d)] / repetitions, "bias": errors[(method, m, d)] / repetitions}
            for (method, m, d) in hits]
    return pd.DataFrame(rows)


def _frame_table(labels: np.ndarray, names: list[str]) -> pd.DataFrame:
    table = pd.DataFrame({"frame": np.array(names, dtype=object)[labels], "hype": False, "hedge": False})
    for t in SUBTHEMES:
        table[t] = False
    return table


#: The docs note that prints the coverage table (between the two markers), rebuilt by
#: ``python -m framing.measures.corrected`` and checked by the test suite.
DOCS_NOTE = Path(__file__).resolve().parents[3] / "docs" / "corrected_estimates.md"
_BEGIN, _END = "<!-- coverage table: begin -->", "<!-- coverage table: end -->"


def coverage_markdown(result: pd.DataFrame) -> str:
    """The table of :func:`simulate_coverage` as markdown: one row per measure and domain, the
    coverage, mean width and bias of each method."""
    wide_ = result.pivot_table(index=["measure", "domain"], columns="method", values=["coverage", "mean width", "bias"],
                               sort=False)
    head = ["measure", "domain"] + [f"{stat}: {m}" for stat in ("coverage", "mean width", "bias") for m in METHODS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for (measure, domain), row in wide_.iterrows():
        cells = [f"{row[(stat, m)]:.3f}" for stat in ("coverage", "mean width", "bias") for m in METHODS]
        lines.append("| " + " | ".join([measure, domain, *cells]) + " |")
    return "\n".join(lines) + "\n"


def _note_with(table: str, text: str) -> str:
    start, end = text.index(_BEGIN) + len(_BEGIN), text.index(_END)
    return text[:start] + "\n" + table + text[end:]


def main() -> int:
    """Rerun the coverage simulation and rewrite its table in :data:`DOCS_NOTE`."""
    text = DOCS_NOTE.read_text(encoding="utf-8")
    DOCS_NOTE.write_text(_note_with(coverage_markdown(simulate_coverage()), text), encoding="utf-8")
    print(f"wrote the coverage table into {DOCS_NOTE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
