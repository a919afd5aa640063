"""Check automatic coding against hand coding, and a learned baseline beside the rules.

* :func:`agreement`: Cohen's kappa, per-class precision/recall/F1 and the
  confusion matrix of two codings of the same units.
* :func:`disagreements`: every unit where the two codings differ, with its text.
* :func:`leave_one_source_out`: predictions of a TF-IDF + logistic-regression
  model trained on all sources but one and tested on the held-out source, so a
  learned model's agreement can be reported beside the rules'.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import LeaveOneGroupOut
from sklearn.pipeline import Pipeline

__all__ = ["Agreement", "agreement", "disagreements", "leave_one_source_out", "baseline_model"]


class Agreement(NamedTuple):
    """Result of :func:`agreement` (unpacks as ``kappa, table, confusion``)."""

    kappa: float
    table: pd.DataFrame      # one row per label: precision, recall, f1, support (support = hand count)
    confusion: pd.DataFrame  # rows: hand label, columns: automatic label


def _aligned(auto, hand) -> tuple[np.ndarray, np.ndarray]:
    """Two codings as arrays; pandas objects are matched on their index."""
    if isinstance(auto, pd.Series) and isinstance(hand, pd.Series):
        if set(auto.index) != set(hand.index) or auto.index.has_duplicates:
            raise ValueError("auto and hand must have the same unique index")
        hand = hand.reindex(auto.index)
    # dtype inferred (bool stays bool, str becomes str): scikit-learn rejects object arrays of bools
    auto, hand = np.asarray(list(auto)), np.asarray(list(hand))
    if auto.shape != hand.shape or auto.ndim != 1:
        raise ValueError(f"auto and hand must be one-dimensional and of equal length, not {auto.shape} and {hand.shape}")
    return auto, hand


def agreement(auto, hand, labels: Sequence | None = None) -> Agreement:
    """Agreement of an automatic coding with the hand coding of the same units.

    ``labels`` fixes the classes and their order in the tables (for example
    :data:`framing.frames.FRAMES`, or ``[True, False]`` for hype); by default
    the sorted union of the values seen. Precision, recall and F1 are computed
    per class with the hand coding as the reference (0 where undefined).
    """
    auto, hand = _aligned(auto, hand)
    if labels is None:
        labels = sorted(set(auto) | set(hand), key=str)
    labels = list(labels)
    if len(auto) == 0:
        raise ValueError("no units to compare")
    kappa = float(cohen_kappa_score(hand, auto, labels=labels))
    p, r, f, s = precision_recall_fscore_support(hand, auto, labels=labels, zero_division=0)
    table = pd.DataFrame({"precision": p, "recall": r, "f1": f, "support": s}, index=pd.Index(labels, name="label"))
    cm = confusion_matrix(hand, auto, labels=labels)
    confusion = pd.DataFrame(cm, index=pd.Index(labels, name="hand"), columns=pd.Index(labels, name="auto"))
    return Agreement(kappa, table, confusion)


def disagreements(units: pd.DataFrame, auto, hand) -> pd.DataFrame:
    """Every unit on which the two codings differ, in the order of ``units``.

    ``auto`` and ``hand`` are either sequences (one value per row of ``units``)
    or data frames with one row per unit and the same columns (for example
    frame, hype, hedge); then a unit is listed when any shared column differs.
    The result has the columns of ``units`` followed by ``auto_<col>`` and
    ``hand_<col>`` for every compared column and ``differs`` (the columns that differ).
    """
    units = units.reset_index(drop=True)
    if isinstance(auto, pd.DataFrame) and isinstance(hand, pd.DataFrame):
        cols = [c for c in auto.columns if c in hand.columns]
        if not cols:
            raise ValueError("auto and hand have no column in common")
        a = auto[cols].reset_index(drop=True)
        h = hand[cols].reset_index(drop=True)
    else:
        cols = ["label"]
        a = pd.DataFrame({"label": np.asarray(auto, dtype=object)})
        h = pd.DataFrame({"label": np.asarray(hand, dtype=object)})
    if not (len(a) == len(h) == len(units)):
        raise ValueError(f"units, auto and hand differ in length: {len(units)}, {len(a)}, {len(h)}")
    differ = pd.DataFrame({c: a[c].astype(object).to_numpy() != h[c].astype(object).to_numpy() for c in cols})
    out = units.copy()
    for c in cols:
        out[f"auto_{c}"] = a[c].to_numpy()
        out[f"hand_{c}"] = h[c].to_numpy()
    out["differs"] = ["; ".join(c for c in cols if row[c]) for _, row in differ.iterrows()]
    return out.loc[differ.any(axis=1).to_numpy()].reset_index(drop=True)


def baseline_model(seed: int = 0) -> Pipeline:
    """The learned baseline: word 1-2-gram TF-IDF and class-balanced logistic regression."""
    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True)),
        ("logreg", LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)),
    ])


def leave_one_source_out(texts, labels, groups, seed: int = 0) -> pd.DataFrame:
    """Predict every unit with a model trained on all other sources (groups).

    Returns one row per input unit, in input order: group, label (the given
    one) and predicted. A fold whose training part holds a single class
    predicts that class. Deterministic for a fixed ``seed``.
    """
    texts = [("" if t is None else str(t)) for t in texts]
    labels = np.asarray(labels, dtype=object)
    groups = np.asarray(groups, dtype=object)
    if not (len(texts) == len(labels) == len(groups)):
        raise ValueError("texts, labels and groups must have the same length")
    if len(set(groups)) < 2:
        raise ValueError("leave-one-source-out needs at least two sources")
    predicted = np.empty(len(texts), dtype=object)
    text_array = np.asarray(texts, dtype=object)
    for train, test in LeaveOneGroupOut().split(text_array, labels, groups):
        classes = sorted(set(labels[train]), key=str)
        if len(classes) == 1:
            predicted[test] = classes[0]
            continue
        model = baseline_model(seed).fit(list(text_array[train]), list(labels[train]))
        predicted[test] = model.predict(list(text_array[test]))
    return pd.DataFrame({"group": groups, "label": labels, "predicted": predicted})
