"""Validation utilities on small synthetic data with known answers."""

import numpy as np
import pandas as pd
import pytest

from framing.validation import agreement, disagreements, leave_one_source_out


def test_perfect_agreement():
    hand = ["promise", "risk", "neutral", "promise"]
    kappa, table, confusion = agreement(hand, hand, labels=["promise", "risk", "mixed", "neutral"])
    assert kappa == pytest.approx(1.0)
    assert table.loc["promise", "f1"] == 1.0
    assert table.loc["mixed", "support"] == 0 and table.loc["mixed", "f1"] == 0.0
    assert list(confusion.index) == ["promise", "risk", "mixed", "neutral"]
    assert np.trace(confusion.to_numpy()) == 4


def test_kappa_precision_recall_by_hand():
    # hand: 5 promise, 5 risk; auto gets 4 promise right, calls 1 promise risk, and 2 risk promise.
    hand = ["promise"] * 5 + ["risk"] * 5
    auto = ["promise"] * 4 + ["risk"] + ["promise"] * 2 + ["risk"] * 3
    result = agreement(auto, hand, labels=["promise", "risk"])
    # observed 7/10; expected (5*6 + 5*4)/100 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4
    assert result.kappa == pytest.approx(0.4)
    assert result.table.loc["promise", "precision"] == pytest.approx(4 / 6)
    assert result.table.loc["promise", "recall"] == pytest.approx(4 / 5)
    assert result.table.loc["risk", "precision"] == pytest.approx(3 / 4)
    assert result.table.loc["risk", "recall"] == pytest.approx(3 / 5)
    assert result.table.loc["risk", "f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    # rows are the hand coding, columns the automatic one
    assert result.confusion.loc["promise", "risk"] == 1
    assert result.confusion.loc["risk", "promise"] == 2
    assert result.confusion.index.name == "hand" and result.confusion.columns.name == "auto"


def test_boolean_labels_and_index_alignment():
    hand = pd.Series([True, False, True], index=["a", "b", "c"])
    auto = pd.Series([True, True, False], index=["c", "b", "a"])  # same units, other order
    result = agreement(auto, hand, labels=[True, False])
    # aligned: a auto False/hand True, b True/False, c True/True
    assert result.confusion.loc[True, True] == 1
    assert result.confusion.loc[True, False] == 1
    assert result.confusion.loc[False, True] == 1
    with pytest.raises(ValueError):
        agreement(pd.Series([True], index=["x"]), hand)


def test_agreement_rejects_unequal_lengths():
    with pytest.raises(ValueError):
        agreement(["promise"], ["promise", "risk"])


def test_disagreements_single_column():
    units = pd.DataFrame({"id": ["u1", "u2", "u3"], "text": ["a", "b", "c"]})
    out = disagreements(units, ["promise", "risk", "neutral"], ["promise", "mixed", "risk"])
    assert list(out["id"]) == ["u2", "u3"]
    assert list(out["auto_label"]) == ["risk", "neutral"]
    assert list(out["hand_label"]) == ["mixed", "risk"]
    assert list(out["text"]) == ["b", "c"]


def test_disagreements_several_columns():
    units = pd.DataFrame({"id": ["u1", "u2", "u3"], "text": ["a", "b", "c"]})
    auto = pd.DataFrame({"frame": ["promise", "risk", "neutral"], "hype": [True, False, False]})
    hand = pd.DataFrame({"frame": ["promise", "risk", "risk"], "hype": [False, False, False]})
    out = disagreements(units, auto, hand)
    assert list(out["id"]) == ["u1", "u3"]
    assert list(out["differs"]) == ["hype", "frame"]
    assert {"auto_frame", "hand_frame", "auto_hype", "hand_hype"} <= set(out.columns)
    assert disagreements(units, auto, auto).empty


def _synthetic():
    """Three sources; promise units say 'hope', risk units say 'harm'."""
    rows = []
    for g in ["s1", "s2", "s3"]:
        for i in range(4):
            rows.append((f"ketamine brings hope and relief {g} {i}", "promise", g))
            rows.append((f"ketamine can cause harm and nausea {g} {i}", "risk", g))
    texts, labels, groups = map(list, zip(*rows))
    return texts, labels, groups


def test_leave_one_source_out_learns_and_keeps_order():
    texts, labels, groups = _synthetic()
    out = leave_one_source_out(texts, labels, groups, seed=0)
    assert list(out.columns) == ["group", "label", "predicted"]
    assert list(out["group"]) == groups and list(out["label"]) == labels
    assert (out["predicted"] == out["label"]).all()


def test_leave_one_source_out_holds_the_source_out():
    # A word seen only in the held-out source cannot help: s3 uses other words entirely.
    texts, labels, groups = _synthetic()
    texts += ["zzz qqq", "yyy www"]
    labels += ["promise", "risk"]
    groups += ["s4", "s4"]
    out = leave_one_source_out(texts, labels, groups, seed=0)
    held = out[out["group"] == "s4"]["predicted"]
    # unseen vocabulary gives an empty vector, hence the same prediction for both units
    assert held.nunique() == 1


def test_leave_one_source_out_is_deterministic_and_checks_input():
    texts, labels, groups = _synthetic()
    a = leave_one_source_out(texts, labels, groups, seed=3)
    b = leave_one_source_out(texts, labels, groups, seed=3)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError):
        leave_one_source_out(texts, labels, ["one"] * len(texts))
    with pytest.raises(ValueError):
        leave_one_source_out(texts, labels[:-1], groups)


def test_single_class_training_fold_predicts_that_class():
    out = leave_one_source_out(["a b", "c d", "e f"], ["risk", "risk", "promise"], ["g1", "g1", "g2"])
    assert out.loc[2, "predicted"] == "risk"
