"""Balance index and bootstrap intervals on data whose answer is known."""

import numpy as np
import pandas as pd
import pytest

from framing.measures.compare import balance_index, bootstrap_balance, expected_balance, frame_shares, rate_per_100, source_summary


@pytest.mark.parametrize("frames, expected", [
    (["promise"] * 4, 1.0),
    (["risk"] * 3 + ["neutral"] * 5, -1.0),
    (["promise", "risk"], 0.0),
    (["promise", "promise", "promise", "risk", "mixed", "neutral"], (3 - 1) / 5),
    (["mixed", "mixed"], 0.0),
])
def test_balance_index_by_hand(frames, expected):
    assert balance_index(frames) == pytest.approx(expected)


def test_balance_index_without_evaluative_sentences_is_nan():
    assert np.isnan(balance_index(["neutral", "boilerplate"]))
    assert np.isnan(bootstrap_balance([])[0])


def test_bootstrap_interval_contains_estimate_and_narrows_with_more_data():
    small = ["promise"] * 6 + ["risk"] * 3 + ["neutral"] * 3
    b, lo, hi = bootstrap_balance(small, seed=1)
    assert lo <= b <= hi
    b2, lo2, hi2 = bootstrap_balance(small * 25, seed=1)
    assert b2 == pytest.approx(b)
    assert (hi2 - lo2) < (hi - lo) / 3  # about 1/sqrt(25) as wide


def test_interval_does_not_collapse_when_a_category_is_unseen():
    """No risk sentence in 20 does not prove the article could never have had one."""
    b, lo, hi = bootstrap_balance(["promise"] * 20, seed=0)
    assert b == 1.0 and hi <= 1.0 and lo < 0.95


def test_balance_interval_is_the_dirichlet_posterior_range():
    """Checked against a direct simulation of the same posterior."""
    frames = ["promise"] * 20 + ["risk"] * 10 + ["mixed"] * 5 + ["neutral"] * 15
    rng = np.random.default_rng(11)
    draws = rng.dirichlet(np.array([20, 10, 5, 15]) + 0.5, size=20000)
    values = (draws[:, 0] - draws[:, 1]) / draws[:, :3].sum(axis=1)
    d_lo, d_hi = np.quantile(values, [0.025, 0.975])
    _, lo, hi = bootstrap_balance(frames, n_boot=20000, seed=5)
    assert lo == pytest.approx(d_lo, abs=0.02) and hi == pytest.approx(d_hi, abs=0.02)


def test_bootstrap_is_deterministic_for_a_seed():
    frames = ["promise", "risk", "neutral", "promise", "mixed"] * 3
    assert bootstrap_balance(frames, seed=3) == bootstrap_balance(frames, seed=3)


def test_rate_per_100_uses_the_jeffreys_interval():
    rate, lo, hi = rate_per_100([True] * 5 + [False] * 15)
    assert rate == 25.0 and lo < 25 < hi
    # Jeffreys interval for 5 of 20 (Brown, Cai & DasGupta 2001, Stat. Sci.): 0.102 to 0.464
    assert lo == pytest.approx(10.2, abs=0.1) and hi == pytest.approx(46.4, abs=0.1)
    rate, lo, hi = rate_per_100([False] * 10)
    assert rate == 0.0 and lo == 0.0 and 0 < hi < 25, "none seen in 10 still allows a real rate"


def test_frame_shares_and_summary():
    table = pd.DataFrame({
        "doc_id": ["a"] * 4 + ["b"] * 2,
        "frame": ["promise", "promise", "risk", "neutral", "risk", "risk"],
        "hype": [True, False, False, False, False, False],
        "hedge": [False, False, True, True, False, True],
    })
    shares = frame_shares(table)
    assert shares.loc["a", "promise"] == 0.5 and shares.loc["b", "risk"] == 1.0
    assert np.allclose(shares.sum(axis=1), 1.0)
    summary = source_summary(table, n_boot=500).set_index("doc_id")
    assert summary.loc["a", "balance"] == pytest.approx(1 / 3)
    assert summary.loc["b", "balance"] == -1.0
    assert summary.loc["a", "hype_per_100"] == 25.0
    assert summary.loc["b", "hedge_per_100"] == 50.0



def _one_hot(frames):
    return pd.DataFrame({f"p_{f}": [float(x == f) for x in frames] for f in ("promise", "risk", "mixed", "neutral")})


def test_expected_balance_equals_the_label_balance_for_certain_probabilities():
    frames = ["promise"] * 7 + ["risk"] * 2 + ["mixed"] + ["neutral"] * 4
    assert expected_balance(_one_hot(frames)) == pytest.approx(balance_index(frames))
    assert bootstrap_balance(["neutral"], seed=2, probabilities=_one_hot(frames)) == bootstrap_balance(frames, seed=2)


def test_expected_balance_by_hand():
    # expected counts: promise 0.6 + 0.1 = 0.7, risk 0.3 + 0.8 = 1.1, mixed 0.1 + 0.05 = 0.15
    probs = pd.DataFrame({"p_promise": [0.6, 0.1], "p_risk": [0.3, 0.8], "p_mixed": [0.1, 0.05], "p_neutral": [0.0, 0.05]})
    assert expected_balance(probs) == pytest.approx((0.7 - 1.1) / (0.7 + 1.1 + 0.15))


def test_expected_balance_recovers_a_known_balance_where_argmax_cannot():
    """Each risk sentence is read as 40% risk / 60% neutral by a calibrated coder: argmax labels
    never say risk, so the label balance is +1, while the expected counts find the truth."""
    rng = np.random.default_rng(4)
    truth = rng.choice(["promise", "risk"], size=4000, p=[0.5, 0.5])
    p_risk = np.where(truth == "risk", 0.4, 0.0)
    probs = pd.DataFrame({"p_promise": np.where(truth == "promise", 1.0, 0.0), "p_risk": p_risk, "p_mixed": 0.0})
    argmax = np.where(truth == "promise", "promise", "neutral")
    assert balance_index(argmax) == 1.0
    # true expected balance: (0.5 - 0.5 * 0.4) / (0.5 + 0.5 * 0.4)
    assert expected_balance(probs) == pytest.approx(0.3 / 0.7, abs=0.03)


def test_fewer_than_one_expected_evaluative_sentence_has_no_balance():
    """An article the coder finds almost entirely neutral (a few percent of promise per sentence,
    almost no risk) has no balance, as an article without evaluative labels has none; from one
    expected evaluative sentence on, the index is defined."""
    from framing.measures.compare import MIN_EVALUATIVE

    off_topic = pd.DataFrame({"p_promise": [0.05] * 8, "p_risk": [0.001] * 8, "p_mixed": [0.0] * 8})
    assert off_topic[["p_promise", "p_risk"]].to_numpy().sum() < MIN_EVALUATIVE
    assert np.isnan(expected_balance(off_topic))
    table = off_topic.assign(doc_id="garden", frame="neutral", hype=False, hedge=False)
    row = source_summary(table).iloc[0]
    assert np.isnan(row["balance"]) and np.isnan(row["balance_low"]) and np.isnan(row["balance_high"])
    just = pd.DataFrame({"p_promise": [0.5, 0.3], "p_risk": [0.2, 0.0], "p_mixed": [0.0, 0.0]})  # 1.0 expected
    assert expected_balance(just) == pytest.approx(0.6)
    assert balance_index(["risk"]) == -1.0 and np.isnan(balance_index(["neutral", "boilerplate"]))


def test_expected_balance_rejects_bad_probabilities():
    with pytest.raises(ValueError, match="lack the columns"):
        expected_balance(pd.DataFrame({"p_promise": [1.0]}))
    with pytest.raises(ValueError, match="sum to at most 1"):
        expected_balance(pd.DataFrame({"p_promise": [0.9], "p_risk": [0.9], "p_mixed": [0.0]}))


def test_source_summary_uses_expected_counts_when_probabilities_are_there():
    table = pd.DataFrame({"doc_id": ["a"] * 2, "frame": ["promise", "neutral"], "hype": False, "hedge": False,
                          "p_promise": [0.9, 0.2], "p_risk": [0.1, 0.4], "p_mixed": [0.0, 0.0]})
    row = source_summary(table).iloc[0]
    assert row["balance"] == pytest.approx((1.1 - 0.5) / 1.6)
    assert source_summary(table.drop(columns=["p_promise", "p_risk", "p_mixed"])).iloc[0]["balance"] == 1.0


def test_empty_probability_columns_of_the_rule_coder_mean_label_counts():
    from framing.measures.compare import has_probabilities
    from framing.measures.frames import label

    rules = label(["Ketamine can raise blood pressure.", "It brings rapid relief."], method="rules")
    assert not has_probabilities(rules) and has_probabilities(label(["It brings rapid relief."]))
    rules["doc_id"] = "a"
    assert source_summary(rules).iloc[0]["balance"] == balance_index(rules["frame"])


def _same_table(a, b):
    assert list(a.columns) == list(b.columns) and a.dtypes.equals(b.dtypes) and len(a) == len(b)
    for column in a.columns:
        if a[column].dtype == object:
            assert a[column].tolist() == b[column].tolist(), column
        else:
            assert a[column].to_numpy().tobytes() == b[column].to_numpy().tobytes(), column


def _sentences(n_docs, seed, max_len=60):
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        n = int(rng.integers(1, max_len))
        p = rng.dirichlet(np.ones(5) * rng.choice([0.05, 1.0, 5.0]), size=n)
        doc = f"d{int(rng.integers(0, n_docs)):05d}" if d % 7 == 0 else f"d{d:05d}"  # some articles interleaved
        for i in range(n):
            rows.append({"doc_id": doc, "frame": rng.choice(["promise", "risk", "mixed", "neutral", "boilerplate"]),
                         "hype": rng.random() < 0.1, "hedge": rng.random() < 0.2,
                         "p_promise": p[i, 0], "p_risk": p[i, 1], "p_mixed": p[i, 2]})
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_the_batched_source_summary_is_the_reference_bit_for_bit():
    """source_summary (counts and quantiles for all sources at once, draws on all cores for many
    sources) equals the one-source-at-a-time reference exactly, on the seeds' coded sentences and on
    generated tables: label counts and expected counts, no flags or every flag, no evaluative unit."""
    from framing import pipeline
    from framing.measures.analysis import analysed
    from framing.measures.compare import source_summary_reference

    seeds = analysed(pipeline.build("data/raw").measured)
    generated = _sentences(300, seed=1)
    for table in (seeds, generated, generated.drop(columns=["p_promise"]), generated.assign(hype=False, hedge=True),
                  generated.assign(frame="neutral").drop(columns=["p_risk"]), generated.iloc[:1], seeds.iloc[:0]):
        _same_table(source_summary(table), source_summary_reference(table))
    many = _sentences(2600, seed=2, max_len=4)
    assert many["doc_id"].nunique() > 2000  # enough sources for the worker processes
    _same_table(source_summary(many, n_boot=50), source_summary_reference(many, n_boot=50))
