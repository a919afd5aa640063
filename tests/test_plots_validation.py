"""Notebook 04's figures draw what they are given."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd

from framing.views import plots_validation as pv


def test_confusions_show_counts_and_titles():
    conf = pd.DataFrame([[5, 1], [2, 7]], index=["promise", "risk"], columns=["promise", "risk"])
    fig = pv.confusions([("a", conf), ("b", conf.T)])
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["a", "b"]
    assert sorted(t.get_text() for t in axes[0].texts) == ["1", "2", "5", "7"]


def test_agreement_by_group_one_row_per_group_sorted_by_the_first_coder():
    table = pd.DataFrame({"units": [10, 20, 30], "learned": [0.8, 0.5, 0.7], "rules": [0.3, 0.2, 0.4]},
                         index=["x", "y", "z"])
    fig = pv.agreement_by_group(table, {"learned": "learned", "rules": "rules"}, target=0.7)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["y (20)", "z (30)", "x (10)"]  # lowest first (drawn bottom to top)


def test_calibration_leaves_out_sparse_bins():
    rng = np.random.default_rng(0)
    prob = np.concatenate([rng.uniform(0.9, 1.0, 500), [0.15]])
    correct = np.concatenate([rng.random(500) < 0.95, [False]])
    fig = pv.calibration(prob, correct, min_units=10)
    line = fig.axes[0].get_lines()[1]
    assert len(line.get_xdata()) == 1 and line.get_xdata()[0] > 0.9  # the one-unit bin is not drawn
    assert [p.get_height() for p in fig.axes[1].patches] == [500]


def test_score_by_frame_counts_units_per_frame():
    scores = pd.DataFrame({"raw": [0.1, -0.2, 0.3, 0.0], "adapted": [0.5, -0.4, 0.2, 0.1]})
    frame = pd.Series(["promise", "risk", "promise", "neutral"])
    fig = pv.score_by_frame(scores, frame, {"raw": "raw", "adapted": "adapted"})
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["promise\n(2)", "mixed\n(0)", "neutral\n(1)", "risk\n(1)"]
