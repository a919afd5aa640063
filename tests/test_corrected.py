"""Corrected estimates: known answers on synthetic data, and the coverage simulation of the docs note."""

import numpy as np
import pandas as pd
import pytest

from framing.checks import coders
from framing.measures import corrected
from framing.measures.frames import FRAMES, SUBTHEMES


def _table(frames, hype=None):
    t = pd.DataFrame({"frame": list(frames), "hype": hype if hype is not None else False, "hedge": False})
    for theme in SUBTHEMES:
        t[theme] = False
    return t


def _estimate(auto, hand, coded, stratum, sizes, domain=None):
    return corrected.estimate_table(_table(auto), _table(hand), np.array(coded), np.array(stratum, dtype=object),
                                    sizes, domain=domain).set_index(["domain", "measure", "method"])


def test_a_census_gives_the_truth_with_no_width_and_a_perfect_coder_changes_nothing():
    truth = ["promise"] * 6 + ["risk"] * 3 + ["neutral"] * 3
    auto = ["promise"] * 6 + ["neutral"] * 3 + ["neutral"] * 3  # every risk called neutral
    sizes = {"promise": 6, "neutral": 6}
    everyone = _estimate(auto, truth, range(12), auto, sizes)
    row = everyone.loc[("all", "risk share", "corrected")]
    assert row["estimate"] == pytest.approx(0.25) and row["low"] == pytest.approx(0.25) and row["high"] == pytest.approx(0.25)
    assert everyone.loc[("all", "risk share", "automatic"), "estimate"] == 0
    # balance (6 - 3) / 9
    assert everyone.loc[("all", "balance", "corrected"), "estimate"] == pytest.approx(1 / 3)
    perfect = _estimate(truth, [truth[i] for i in (0, 2, 7, 9, 11)], [0, 2, 7, 9, 11], [truth[i] for i in (0, 2, 7, 9, 11)],
                        {"promise": 6, "risk": 3, "neutral": 3})
    for measure in ("risk share", "balance", "promise share"):
        assert perfect.loc[("all", measure, "corrected"), "estimate"] == pytest.approx(
            perfect.loc[("all", measure, "automatic"), "estimate"])


def test_the_difference_estimator_by_hand_on_a_small_stratified_sample():
    # 10 units predicted neutral, 2 of the 4 coded are really risk; 10 predicted risk, 2 coded, both right
    auto = ["neutral"] * 10 + ["risk"] * 10
    coded = [0, 1, 2, 3, 10, 11]
    hand = ["risk", "neutral", "risk", "neutral", "risk", "risk"]
    table = _estimate(auto, hand, coded, [auto[i] for i in coded], {"neutral": 10, "risk": 10})
    # T_risk = 10 (automatic) + (10/4) * 2 (neutral stratum) + 0 = 15 of 20
    row = table.loc[("all", "risk share", "corrected")]
    assert row["estimate"] == pytest.approx(0.75)
    # variance: N_h^2 (1 - n_h/N_h) s_h^2 / n_h with e = d / 20 in the neutral stratum, none in the other
    e = np.array([1, 0, 1, 0]) / 20
    se = np.sqrt(10 ** 2 * (1 - 4 / 10) * np.var(e, ddof=1) / 4)
    assert row["se"] == pytest.approx(se)
    assert row["low"] < 0.75 < row["high"] and row["high"] <= 1
    assert table.loc[("all", "risk share", "hand sample"), "estimate"] == pytest.approx(0.75)


def test_domains_use_only_their_units_but_every_coded_unit_for_the_variance():
    auto = ["promise"] * 8 + ["risk"] * 8
    domain = pd.Series(["a", "b"] * 8)
    coded = [0, 1, 2, 3, 8, 9]
    hand = ["promise", "risk", "promise", "promise", "risk", "risk"]
    table = _estimate(auto, hand, coded, [auto[i] for i in coded], {"promise": 8, "risk": 8}, domain=domain)
    # domain b: promise stratum units 1, 3 coded (one really risk) -> 4 - 4/2*1 = 2 promise of 8 units of b
    assert table.loc[("b", "promise share", "corrected"), "estimate"] == pytest.approx(2 / 8)
    assert table.loc[("a", "promise share", "corrected"), "estimate"] == pytest.approx(4 / 8)
    assert table.loc[("b", "promise share", "corrected"), "units"] == 8
    assert table.loc[("b", "promise share", "corrected"), "coded"] == 3


def test_no_balance_below_one_evaluative_sentence_expected_as_for_one_source():
    """compare.MIN_EVALUATIVE holds here too: a domain whose expected evaluative count (sum of the
    coder's promise, risk and mixed probabilities) is below one gets no automatic balance, while its
    shares are still estimated; a domain with enough gets one."""
    auto = _table(["neutral"] * 4 + ["promise"] * 4)
    p = {f: np.zeros(8) for f in FRAMES}
    p["neutral"][:4], p["risk"][:4] = 0.85, 0.15  # domain a: 0.6 expected evaluative sentences
    p["promise"][4:], p["risk"][4:] = 0.7, 0.3  # domain b: 4
    for f in FRAMES:
        auto[f"p_{f}"] = p[f]
    hand = _table(["neutral", "promise"])
    table = corrected.estimate_table(auto, hand, np.array([0, 4]), np.array(["neutral", "promise"], dtype=object),
                                     {"neutral": 4, "promise": 4}, domain=pd.Series(["a"] * 4 + ["b"] * 4)
                                     ).set_index(["domain", "measure", "method"])
    assert np.isnan(table.loc[("a", "balance", "automatic"), "estimate"])
    assert table.loc[("a", "risk share", "automatic"), "estimate"] == pytest.approx(0.15)
    assert table.loc[("b", "balance", "automatic"), "estimate"] == pytest.approx(0.4)


def test_intervals_are_asymmetric_near_a_bound_and_stay_in_range():
    low, high = corrected.interval(0.05, 0.02, (0, 1))
    assert 0 < low < 0.05 < high < 1 and (high - 0.05) > (0.05 - low)
    assert corrected.interval(0.0, 0.01, (0, 1)) == (0.0, pytest.approx(0.0196, abs=1e-4))
    low, high = corrected.interval(-0.9, 0.1, (-1, 1))
    assert -1 < low < -0.9 < high
    assert np.isnan(corrected.interval(float("nan"), 0.1, (0, 1))).all()


def test_coder_agreement_kappa_and_alpha_on_known_codings():
    units = [f"u{i}" for i in range(8)]
    a = pd.DataFrame({"unit_id": units, "frame": ["promise"] * 4 + ["risk"] * 4, "hype": [True] * 2 + [False] * 6,
                      "hedge": False})
    b = a.copy()
    b.loc[0, "frame"] = "risk"
    b.loc[4, "frame"] = "promise"  # two swaps: observed agreement 6/8, expected 1/2 -> kappa 0.5
    rows = pd.DataFrame(coders.pair_table(a, b, "a", "b")).set_index("code")
    assert rows.loc["frame", "agreement"] == pytest.approx(0.75)
    assert rows.loc["frame", "kappa"] == pytest.approx(0.5)
    # Krippendorff's nominal alpha for two coders, 16 values: 1 - (n - 1) D_o / D_e = 1 - 15 * 4 / 128
    assert rows.loc["frame", "alpha"] == pytest.approx(1 - 15 * 4 / 128)
    assert rows.loc["hype", "kappa"] == pytest.approx(1.0)


@pytest.fixture(scope="module")
def simulation():
    return corrected.simulate_coverage(repetitions=1000)


@pytest.mark.slow
def test_corrected_intervals_cover_the_truth_and_automatic_ones_do_not(simulation):
    """1,000 synthetic corpora' samples with a coder biased against risk: the corrected 95% intervals
    hold the true risk share and balance at least 93% of the time, overall and in every group; the
    automatic labels' intervals fail wherever their bias exceeds their half-width."""
    fixed = simulation[simulation["method"] == "corrected"]
    assert (fixed["coverage"] >= 0.93).all(), fixed
    assert (fixed["bias"].abs() < 0.02).all()
    auto = simulation[simulation["method"] == "automatic"]
    biased = auto["bias"].abs() > auto["mean width"] / 2
    assert biased.sum() >= 8 and (auto.loc[biased, "coverage"] < 0.5).all()
    sample = simulation[simulation["method"] == "hand sample"].set_index(["measure", "domain"])
    narrower = fixed.set_index(["measure", "domain"])["mean width"] <= sample["mean width"] + 1e-9
    assert narrower.all()


@pytest.mark.slow
def test_the_docs_note_prints_this_simulation(simulation):
    text = corrected.DOCS_NOTE.read_text(encoding="utf-8")
    assert corrected.coverage_markdown(simulation) in text


def test_rates_per_100_stay_between_0_and_100_with_their_intervals():
    auto = ["neutral"] * 30
    hand = ["neutral"] * 10
    table = corrected.estimate_table(_table(auto, hype=[True] + [False] * 29), _table(hand, hype=[False] * 10),
                                     np.arange(10), np.array(["neutral"] * 10, dtype=object), {"neutral": 30})
    rates = table[table["measure"].isin(["hype per 100", "hedge per 100"])]
    assert ((rates[["estimate", "low", "high"]] >= 0) & (rates[["estimate", "low", "high"]] <= 100)).all().all()
    row = rates.set_index(["measure", "method"]).loc[("hype per 100", "hand sample")]
    assert row["estimate"] == 0 and 0 < row["high"] < 100  # no hype found in 10 of 30: an upper bound, not 100


def test_every_measure_is_estimated_for_every_frame_and_subtheme():
    assert {f"{f} share" for f in FRAMES} <= set(corrected.MEASURES)
    assert {f"{t} share of risk-bearing" for t in SUBTHEMES} <= set(corrected.MEASURES)
    assert {"balance", "hype per 100", "hedge per 100"} <= set(corrected.MEASURES)
