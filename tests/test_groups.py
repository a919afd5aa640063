"""Group comparisons: the grouping column, pooled statistics by hand, and interval coverage."""

import numpy as np
import pandas as pd
import pytest

from framing.measures import groups
from framing.measures.frames import SUBTHEMES


def _body(spec):
    """Sentences from {doc_id: [(frame, hype, hedge, sentiment), ...]}; no probabilities (label counts)."""
    rows = []
    for doc, sentences in spec.items():
        for frame, hype, hedge, score in sentences:
            rows.append({"doc_id": doc, "frame": frame, "hype": hype, "hedge": hedge, "sentiment": score,
                         **{t: False for t in SUBTHEMES}})
    return pd.DataFrame(rows)


def test_groups_come_from_a_manifest_column_with_blanks_and_years():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "kind": ["news", "", None],
                           "date": pd.to_datetime(["2021-03-01", None, "2024-01-01"])})
    assert groups.groups_of(corpus, "kind").tolist() == ["news", groups.MISSING, groups.MISSING]
    assert groups.groups_of(corpus, "date").tolist() == ["2021", groups.MISSING, "2024"]
    with pytest.raises(groups.GroupError, match="'country' is not a column.*'kind'"):
        groups.groups_of(corpus, "country")


def test_a_group_without_one_expected_evaluative_sentence_has_no_balance():
    """Expected counts below one evaluative sentence (articles about something else): no pooled balance."""
    body = _body({"g": [("neutral", False, False, 0.1)] * 6, "h": [("neutral", False, False, 0.0)] * 4,
                  "k": [("promise", False, False, 0.4), ("risk", False, False, -0.3), ("promise", False, False, 0.2)]})
    body["p_promise"] = np.where(body["frame"] == "promise", 0.9, 0.04)
    body["p_risk"] = np.where(body["frame"] == "risk", 0.9, 0.005)
    body["p_mixed"] = 0.0
    summary = groups.group_summary(body, pd.Series({"g": "off", "h": "off", "k": "on"}))
    assert np.isnan(summary.loc["off", "balance"])
    assert summary.loc["on", "balance"] == pytest.approx((1.84 - 0.91) / (1.84 + 0.91))  # expected counts


def test_pooled_statistics_by_hand():
    body = _body({
        "a": [("promise", True, False, 0.5), ("promise", False, True, 0.1), ("risk", False, False, -0.4)],
        "b": [("risk", False, False, -0.2), ("mixed", True, True, 0.0)],
        "c": [("promise", False, False, 0.3), ("neutral", False, False, 0.0)],
    })
    summary = groups.group_summary(body, pd.Series({"a": "x", "b": "x", "c": "y"}))
    x, y = summary.loc["x"], summary.loc["y"]
    assert x["articles"] == 2 and x["sentences"] == 5
    assert x["balance"] == pytest.approx((2 - 2) / 5)          # pooled: 2 promise, 2 risk, 1 mixed
    assert x["hype_per_100"] == pytest.approx(40.0) and x["hedge_per_100"] == pytest.approx(40.0)
    assert x["sentiment"] == pytest.approx((0.5 + 0.1 - 0.4 - 0.2 + 0.0) / 5)
    assert x["balance_low"] <= x["balance"] <= x["balance_high"]
    assert y["balance"] == 1.0 and np.isnan(y["balance_low"])  # one article: no interval
    shares = groups.group_frame_shares(body, pd.Series({"a": "x", "b": "x", "c": "y"}))
    assert shares.loc["x"].tolist() == [0.4, 0.2, 0.0, 0.4] and shares.loc["y", "neutral"] == 0.5


def test_expected_counts_are_used_when_the_coder_gives_probabilities():
    body = _body({"a": [("neutral", False, False, 0.0)] * 2, "b": [("neutral", False, False, 0.0)] * 2})
    body = body.assign(p_promise=[0.6, 0.6, 0.2, 0.2], p_risk=[0.2, 0.2, 0.2, 0.2], p_mixed=0.0)
    summary = groups.group_summary(body, pd.Series({"a": "g", "b": "g"}))
    assert summary.loc["g", "balance"] == pytest.approx((1.6 - 0.8) / 2.4)


def test_cluster_bootstrap_intervals_cover_the_population_balance():
    """Coverage simulation: groups of 30 articles whose promise share varies by article
    (Beta(4, 2)) and whose length varies independently; the population's pooled balance is
    2 * 4/6 - 1 = 1/3. Over 300 groups, the 95% intervals cover it at least 90% of the time,
    while intervals that treat sentences as independent (per-sentence Dirichlet) cover it far less."""
    from framing.measures.compare import bootstrap_balance

    rng = np.random.default_rng(2026)
    truth, hits, naive_hits, reps = 1 / 3, 0, 0, 300
    for rep in range(reps):
        spec = {}
        for a in range(30):
            p = rng.beta(4, 2)
            n = rng.poisson(20) + 5
            spec[f"a{a}"] = [("promise" if rng.random() < p else "risk", False, False, 0.0) for _ in range(n)]
        body = _body(spec)
        row = groups.group_summary(body, pd.Series({d: "g" for d in spec}), n_boot=1000, seed=rep).loc["g"]
        hits += row["balance_low"] <= truth <= row["balance_high"]
        _, lo, hi = bootstrap_balance(body["frame"], n_boot=1000, seed=rep)
        naive_hits += lo <= truth <= hi
    assert hits / reps >= 0.90
    assert naive_hits / reps < hits / reps - 0.1
