"""Validation utilities on small synthetic data with known answers."""

import numpy as np
import pandas as pd
import pytest

from framing.checks import validation
from framing.checks.validation import agreement, disagreements
from framing.measures import frames


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


def test_alpha_and_kappa_agree_on_known_cases():
    a = ["promise", "risk", "neutral", "risk", "promise", "neutral"] * 5
    assert validation.alpha(a, a) == pytest.approx(1.0)
    b = list(a)
    b[0] = "risk"
    # Krippendorff's alpha and Cohen's kappa differ only in how chance is estimated: close on balanced data.
    k = agreement(b, a).kappa
    assert validation.alpha(b, a) == pytest.approx(k, abs=0.02) and validation.alpha(b, a) < 1


def _units(frames_, articles):
    return pd.DataFrame({"frame": frames_, **{t: [f == "risk" for f in frames_] for t in frames.SUBTHEMES},
                         "hype": False, "hedge": False, "article_id": articles})


def test_summary_of_a_perfect_coding_and_of_a_swapped_one():
    truth = _units(["promise", "promise", "risk", "neutral", "risk", "risk", "promise", "boilerplate"],
                   ["a", "a", "a", "b", "b", "b", "c", "c"])
    perfect = validation.summary(truth, truth, truth["article_id"])
    assert perfect["frame_kappa"] == pytest.approx(1) and perfect["balance_spearman"] == pytest.approx(1)
    assert perfect["article_subtheme_f1"] == 1 and perfect["risk_recall"] == 1
    swapped = truth.copy()
    swapped["frame"] = swapped["frame"].map({"promise": "risk", "risk": "promise"}).fillna(swapped["frame"])
    worse = validation.summary(truth, swapped, truth["article_id"])
    # balance (p - r) / (p + r + m) flips sign in every article: a rank correlation of -1
    assert worse["balance_spearman"] == pytest.approx(-1) and worse["balance_same_sign"] == 0
    assert worse["risk_recall"] == 0


def test_cross_validation_never_sees_the_held_out_group():
    # Each genre uses its own word and its own frame: a model that never saw a genre's frame cannot predict it.
    rows = []
    for genre, word, frame in [("g1", "alpha", "risk"), ("g2", "beta", "promise"), ("g3", "gamma", "neutral")]:
        for a in range(4):
            for k in range(6):
                rows.append({"article_id": f"{genre}-{a}", "genre": genre, "text": f"The {word} unit {k} here.",
                             "frame": frame, "hype": False, "hedge": False, **{t: False for t in frames.SUBTHEMES}})
    units = pd.DataFrame(rows)
    cv = validation.cross_validate(units, "genre", n_jobs=1)
    for key in ("context", "alone"):
        pred = cv[key]
        assert list(pred.index) == list(units.index)
        for genre, frame in [("g1", "risk"), ("g2", "promise"), ("g3", "neutral")]:
            assert not (pred.loc[units["genre"] == genre, "frame"] == frame).any()
    with pytest.raises(ValueError, match="at least two groups"):
        validation.cross_validate(units.assign(genre="one"), "genre")


def test_calibration_error_and_auc_on_known_inputs():
    rng = np.random.default_rng(0)
    prob = np.full(20000, 0.7)
    correct = rng.random(20000) < 0.7
    assert validation.calibration_error(prob, correct) < 0.01
    assert validation.calibration_error(prob, np.ones(20000, bool)) == pytest.approx(0.3)
    assert validation.promise_risk_auc(["promise", "risk", "neutral", "promise"], [1, 0, 5, 2]) == 1.0
    assert validation.promise_risk_auc(["promise", "risk"], [0, 1]) == 0.0


def test_second_coding_rows_must_match_first_coded_units(tmp_path):
    units = _units(["promise", "risk"], ["a", "a"]).assign(position=[0, 1])
    path = tmp_path / "second.csv"
    path.write_text("article_id,position,frame,hype,hedge,subthemes,note\na,0,promise,false,false,,\na,1,risk,false,true,acute_effects,\n")
    merged = validation.second_coding(path, units)
    assert merged["frame_2"].tolist() == ["promise", "risk"] and merged["hedge_2"].tolist() == [False, True]
    path.write_text("article_id,position,frame,hype,hedge,subthemes,note\nz,0,promise,false,false,,\n")
    with pytest.raises(ValueError, match="second.csv.*match no first-coded unit"):
        validation.second_coding(path, units)


def test_grouped_folds_keep_groups_whole_and_use_every_fold():
    values = ["b1", "b2", "b3", "b1", "seed", "b2", "b4"]
    folds = validation.grouped_folds(values, 3)
    for v in set(values):
        assert len({f for f, x in zip(folds, values) if x == v}) == 1
    assert set(folds) == {0, 1, 2}
    with pytest.raises(ValueError, match="cannot fill"):
        validation.grouped_folds(["a", "b"], 3)


def test_stored_cross_validation_is_current_and_refuses_other_data(tmp_path):
    from framing.io import annotations

    units = annotations.training_units()
    for scheme in ("genre", "source"):
        stored = validation.stored_cross_validation(units, scheme)  # raises if 'make model' was not re-run
        for variant in ("context", "alone"):
            pred = stored[variant]
            assert len(pred) == len(units) and set(pred["frame"]) <= set(frames.FRAMES)
            assert np.allclose(pred[frames.PROB_COLUMNS].sum(axis=1), 1, atol=1e-4)
    changed = units.copy()
    changed.loc[0, "frame"] = "risk" if changed.loc[0, "frame"] != "risk" else "promise"
    with pytest.raises(ValueError, match="coder_cv.zip.*make model"):
        validation.stored_cross_validation(changed, "genre")
    (tmp_path / "cv.zip").write_bytes(b"nope")
    with pytest.raises(ValueError, match="cv.zip.*make model"):
        validation.stored_cross_validation(units, "genre", path=tmp_path / "cv.zip")


def test_stored_cross_validation_round_trips_what_was_computed(tmp_path):
    rows = []
    for genre, word, frame in [("g1", "alpha", "risk"), ("g2", "beta", "promise"), ("g3", "gamma", "neutral"),
                               ("g4", "delta", "risk"), ("g5", "eps", "promise")]:
        for a in range(2):
            for k in range(8):
                rows.append({"article_id": f"{genre}-{a}", "genre": genre, "source": genre, "position": k,
                             "text": f"The {word} unit {k} here.", "frame": frame, "hype": k == 0, "hedge": False,
                             **{t: False for t in frames.SUBTHEMES}})
    units = pd.DataFrame(rows)
    path = validation.write_cross_validation(units, tmp_path / "cv.zip", n_jobs=1)
    stored = validation.stored_cross_validation(units, "genre", path=path)
    direct = validation.cross_validate(units, "genre", n_jobs=1)
    for variant in ("context", "alone"):
        assert stored[variant]["frame"].tolist() == direct[variant]["frame"].tolist()
        assert np.allclose(stored[variant]["p_risk"], direct[variant]["p_risk"], atol=1e-6)
    first = path.read_bytes()
    assert validation.write_cross_validation(units, tmp_path / "cv.zip", n_jobs=1).read_bytes() == first


def test_off_topic_summary_counts_framed_text_and_found_furniture():
    units = pd.DataFrame({"off_topic": [True] * 6 + [False] * 2,
                          "frame": ["neutral", "neutral", "neutral", "neutral", "boilerplate", "boilerplate", "risk", "promise"]})
    pred = pd.DataFrame({"frame": ["neutral", "risk", "mixed", "neutral", "boilerplate", "neutral", "risk", "risk"]})
    table = validation.off_topic_summary(units, {"a": pred, "perfect": units[["frame"]]})
    assert table.loc["a", "units"] == 4 and table.loc["a", "called promise or risk"] == 0.5
    assert table.loc["a", "furniture units"] == 2 and table.loc["a", "furniture recall"] == 0.5
    assert table.loc["perfect", "called promise or risk"] == 0.0 and table.loc["perfect", "furniture recall"] == 1.0
    none = validation.off_topic_summary(units.assign(off_topic=False), {"a": pred})
    assert none.loc["a", "units"] == 0 and np.isnan(none.loc["a", "called promise or risk"])
