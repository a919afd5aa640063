"""Balance index and bootstrap intervals on data whose answer is known."""

import numpy as np
import pandas as pd
import pytest

from framing.compare import balance_index, bootstrap_balance, frame_shares, rate_per_100, source_summary


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


def test_bootstrap_matches_resampling_sentences():
    """The multinomial shortcut gives the same interval as resampling sentences directly."""
    frames = np.array(["promise"] * 20 + ["risk"] * 10 + ["mixed"] * 5 + ["neutral"] * 15)
    rng = np.random.default_rng(5)
    direct = [balance_index(frames[rng.integers(0, len(frames), len(frames))]) for _ in range(3000)]
    _, lo, hi = bootstrap_balance(frames, n_boot=3000, seed=5)
    d_lo, d_hi = np.quantile(direct, [0.025, 0.975])
    assert lo == pytest.approx(d_lo, abs=0.05) and hi == pytest.approx(d_hi, abs=0.05)


def test_bootstrap_is_deterministic_for_a_seed():
    frames = ["promise", "risk", "neutral", "promise", "mixed"] * 3
    assert bootstrap_balance(frames, seed=3) == bootstrap_balance(frames, seed=3)


def test_rate_per_100():
    rate, lo, hi = rate_per_100([True] * 5 + [False] * 15)
    assert rate == 25.0 and lo < 25 < hi
    assert rate_per_100([False] * 10)[:3] == (0.0, 0.0, 0.0)


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

