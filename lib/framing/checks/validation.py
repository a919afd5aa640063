"""Check automatic coding against hand coding: the learned coder (the default) and the rules.

* :func:`agreement`: Cohen's kappa, per-class precision/recall/F1 and the
  confusion matrix of two codings of the same units.
* :func:`disagreements`: every unit where the two codings differ, with its text.
* :func:`alpha`: Krippendorff's alpha (the ``krippendorff`` package).
* :func:`summary`: the headline measures of a frame coding (kappa, alpha, macro-F1, risk and
  boilerplate recall, hype and hedge F1, per-article balance rank correlation and sub-theme F1).
* :func:`cross_validate`: out-of-group predictions of the learned coder (one fold per group,
  e.g. leave one genre out; :func:`grouped_folds` deals many small groups into k folds),
  trained each time exactly as ``make model`` trains it.
* :func:`write_cross_validation`, :func:`stored_cross_validation`: ``make model`` stores the
  held-out predictions of :data:`CV_SCHEMES` with a checksum (:func:`cv_key`); notebook 04
  reads them and refuses a file made from other data, code or settings.
* :func:`second_coding`, :func:`flag_table`, :func:`worst_errors`, :func:`calibration_error`,
  :func:`promise_risk_auc`, :func:`off_topic_summary`: the other tables of notebook 04.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    import os
    from collections.abc import Iterable
    from numpy.typing import ArrayLike

from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support

__all__ = ["Agreement", "agreement", "disagreements", "alpha",
           "article_measures", "summary", "cross_validate", "second_coding", "flag_table", "worst_errors",
           "calibration_error", "promise_risk_auc", "off_topic_summary", "BLIND_TARGETS", "SENTIMENT_AUC_TARGET", "sentiment_split",
           "sentiment_held_out",
           "grouped_folds", "CV_FILE", "CV_SCHEMES", "cv_key", "write_cross_validation", "stored_cross_validation"]


class Agreement(NamedTuple):
    """Result of :func:`agreement` (unpacks as ``kappa, table, confusion``)."""

    kappa: float
    table: pd.DataFrame      # one row per label: precision, recall, f1, support (support = hand count)
    confusion: pd.DataFrame  # rows: hand label, columns: automatic label


def _aligned(auto: ArrayLike, hand: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
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


def agreement(auto: ArrayLike, hand: ArrayLike, labels: Sequence | None = None) -> Agreement:
    """Agreement of an automatic coding with the hand coding of the same units.

    ``labels`` fixes the classes and their order in the tables (for example
    :data:`framing.measures.frames.FRAMES`, or ``[True, False]`` for hype); by default
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


def disagreements(units: pd.DataFrame, auto: ArrayLike, hand: ArrayLike) -> pd.DataFrame:
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


# ----------------------------------------------------------------------------- the learned coder
def alpha(a: ArrayLike, b: ArrayLike, level: str = "nominal") -> float:
    """Krippendorff's alpha of two codings of the same units (the ``krippendorff`` package)."""
    import krippendorff

    a, b = _aligned(a, b)
    values = sorted(set(a) | set(b), key=str)
    if len(values) < 2:
        return float("nan")
    index = {v: i for i, v in enumerate(values)}
    data = np.array([[index[v] for v in a], [index[v] for v in b]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=list(range(len(values)))))


def article_measures(articles: ArrayLike, truth: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per article: balance index and risk sub-themes present, by both codings.

    ``truth`` and ``predicted`` have ``frame`` and one bool column per sub-theme, one row per
    unit, aligned with ``articles`` (an article id per unit). Boilerplate units count for neither.
    When ``predicted`` has frame probabilities (not the rule coder), its balance comes from expected counts
    (:func:`framing.measures.compare.expected_balance`), as in the reports.
    """
    from framing.measures.compare import balance_index, expected_balance, has_probabilities
    from framing.measures.frames import SUBTHEMES

    frame = pd.DataFrame({"article": list(articles), "truth": truth["frame"].to_numpy(), "auto": predicted["frame"].to_numpy()})
    soft = has_probabilities(predicted)
    rows = []
    for art, idx in frame.groupby("article", sort=False).groups.items():
        t, p = truth.iloc[idx], predicted.iloc[idx]
        row = {"article": art, "units": len(idx), "balance_truth": balance_index(frame.loc[idx, "truth"]),
               "balance_auto": expected_balance(p) if soft else balance_index(frame.loc[idx, "auto"])}
        for theme in SUBTHEMES:
            row[f"truth_{theme}"] = bool(t[theme].any())
            row[f"auto_{theme}"] = bool(p[theme].any())
        rows.append(row)
    return pd.DataFrame(rows)


def summary(truth: pd.DataFrame, predicted: pd.DataFrame, articles: ArrayLike | None = None) -> dict:
    """The headline agreement measures of one automatic coding against a reference coding.

    Frame: Cohen's kappa, Krippendorff's alpha, macro-F1, recall of risk and boilerplate;
    hype and hedge F1; with ``articles``: the rank correlation of the per-article balance
    index (Spearman), its same-sign share, and the micro-F1 of per-article sub-theme presence.
    """
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score

    from framing.measures.frames import FRAMES, SUBTHEMES

    t, p = truth["frame"].to_numpy(dtype=object), predicted["frame"].to_numpy(dtype=object)
    table = agreement(p, t, list(FRAMES)).table
    out = {
        "units": len(t),
        "frame_kappa": float(cohen_kappa_score(t, p, labels=list(FRAMES))),
        "frame_alpha": alpha(p, t),
        "frame_macro_f1": float(table["f1"][table["support"] > 0].mean()),
        "risk_recall": float(table.loc["risk", "recall"]),
        "boilerplate_recall": float(table.loc["boilerplate", "recall"]),
        "hype_f1": float(f1_score(truth["hype"].astype(bool), predicted["hype"].astype(bool), zero_division=0)),
        "hedge_f1": float(f1_score(truth["hedge"].astype(bool), predicted["hedge"].astype(bool), zero_division=0)),
    }
    if articles is not None:
        per = article_measures(articles, truth.reset_index(drop=True), predicted.reset_index(drop=True))
        both = per.dropna(subset=["balance_truth", "balance_auto"])
        out["balance_spearman"] = float(spearmanr(both["balance_truth"], both["balance_auto"]).statistic) if len(both) > 2 else float("nan")
        out["balance_same_sign"] = float((np.sign(both["balance_truth"]) == np.sign(both["balance_auto"])).mean()) if len(both) else float("nan")
        tt = np.concatenate([per[f"truth_{s}"].to_numpy() for s in SUBTHEMES])
        pp = np.concatenate([per[f"auto_{s}"].to_numpy() for s in SUBTHEMES])
        out["article_subtheme_f1"] = float(f1_score(tt, pp, zero_division=0))
        out["article_subtheme_recall"] = float((tt & pp).sum() / tt.sum()) if tt.sum() else float("nan")
    return out


def _fit_and_predict(jobs: list) -> list:
    """Worker of :func:`cross_validate`: [(settings, train, held)] -> [(context, alone) predictions]."""
    from framing.measures import coder

    out = []
    for settings, train, held in jobs:
        model = coder.fit_coder(train, settings=settings)
        out.append((model.predict(held["text"].tolist(), doc=held["article_id"].tolist()),
                    model.predict(held["text"].tolist())))
    return out


def cross_validate(units: pd.DataFrame, group: str = "genre", settings: dict | None = None,
                   n_jobs: int | None = None) -> dict[str, pd.DataFrame]:
    """Out-of-group predictions of the learned coder: each group held out in turn.

    ``units``: coded units as :func:`framing.io.annotations.training_units` returns them (articles
    in reading order). For each value of ``group`` (e.g. genre, or source file) the coder is
    trained, exactly as ``make model`` trains it, on every other group and predicts the
    held-out one, with context (``"context"``, ``doc`` given) and without (``"alone"``).
    Returns both prediction tables, aligned with ``units``. The folds run on ``n_jobs``
    processes (None: all cores); the result does not depend on it.
    """
    from framing._parallel import map_chunks

    units = units.reset_index(drop=True)
    keys = units[group].to_numpy(dtype=object)
    values = sorted(set(keys), key=str)
    if len(values) < 2:
        raise ValueError(f"cross-validation by {group!r} needs at least two groups, got {values}")
    jobs = [(settings, units.loc[keys != v].reset_index(drop=True), units.loc[keys == v]) for v in values]
    results = map_chunks(_fit_and_predict, jobs, n_jobs=n_jobs, min_items=2, chunks_per_job=len(jobs))
    out = {}
    for i, key in enumerate(("context", "alone")):
        parts = []
        for v, res in zip(values, results):
            pred = res[i].copy()
            pred.index = np.flatnonzero(keys == v)
            parts.append(pred)
        out[key] = pd.concat(parts).sort_index()
    return out


def second_coding(path: str | os.PathLike[str], units: pd.DataFrame) -> pd.DataFrame:
    """The independent second coding (``article_id, position, frame, hype, hedge, subthemes, note``)
    joined to the first coding in ``units``: columns of ``units`` plus ``<column>_2`` for the
    second coder's frame, hype, hedge and sub-themes. Raises ValueError naming the file when a
    row does not match a first-coded unit or a value is not in the codebook."""
    from framing.io.annotations import parse_codes
    from framing.measures.frames import SUBTHEMES

    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = ["article_id", "position", "frame", "hype", "hedge", "subthemes"]
    if [c for c in need if c not in table.columns]:
        raise ValueError(f"{path}: columns {table.columns.tolist()} lack {[c for c in need if c not in table.columns]}")
    problems = parse_codes(table)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    table["position"] = table["position"].astype(int)
    merged = units.merge(table[["article_id", "position", "frame", "hype", "hedge", *SUBTHEMES]],
                         on=["article_id", "position"], how="inner", suffixes=("", "_2"))
    if len(merged) != len(table):
        raise ValueError(f"{path}: {len(table) - len(merged)} rows match no first-coded unit (article_id, position)")
    return merged


def flag_table(truth: pd.DataFrame, predicted: pd.DataFrame, flags: Iterable[bool]) -> pd.DataFrame:
    """Precision, recall, F1 and kappa of binary codes (hype, hedge, sub-themes), one row per flag."""
    from sklearn.metrics import f1_score, precision_score, recall_score

    rows = []
    for flag in flags:
        t, p = truth[flag].to_numpy(dtype=bool), predicted[flag].to_numpy(dtype=bool)
        rows.append({"code": flag, "reference": int(t.sum()), "automatic": int(p.sum()),
                     "precision": precision_score(t, p, zero_division=0), "recall": recall_score(t, p, zero_division=0),
                     "f1": f1_score(t, p, zero_division=0),
                     "kappa": cohen_kappa_score(t, p) if len(set(t) | set(p)) > 1 else float("nan")})
    return pd.DataFrame(rows).set_index("code")


def off_topic_summary(units: pd.DataFrame, codings: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """How each coding treats articles that are not about ketamine (``units["off_topic"]``), one row per coding.

    Columns: ``units`` (their own text: hand-coded neutral or, for the few lines that mention
    ketamine in passing, coded on content), ``called promise or risk`` (share of the
    hand-neutral text units coded promise, risk or mixed: the error an off-topic gate prevents),
    ``furniture units`` and ``furniture recall`` (share of hand-boilerplate units coded
    boilerplate). ``codings`` hold one row per unit of ``units``, index-aligned.
    """
    off = units["off_topic"].to_numpy(dtype=bool)
    hand = units["frame"].to_numpy()
    text, furniture = off & (hand == "neutral"), off & (hand == "boilerplate")
    rows = {}
    for name, pred in codings.items():
        frame = pred["frame"].to_numpy()
        rows[name] = {"units": int(text.sum()),
                      "called promise or risk": float(np.isin(frame[text], ["promise", "risk", "mixed"]).mean()) if text.any() else float("nan"),
                      "furniture units": int(furniture.sum()),
                      "furniture recall": float((frame[furniture] == "boilerplate").mean()) if furniture.any() else float("nan")}
    return pd.DataFrame(rows).T


def worst_errors(units: pd.DataFrame, predicted: pd.DataFrame, n: int = 12) -> pd.DataFrame:
    """The ``n`` units coded wrongly with the highest probability for the wrong frame."""
    from framing.measures.frames import PROB_COLUMNS

    prob = predicted[PROB_COLUMNS].to_numpy().max(axis=1)
    wrong = predicted["frame"].to_numpy() != units["frame"].to_numpy()
    table = pd.DataFrame({"genre": units["genre"].to_numpy(), "text": units["text"].to_numpy(),
                          "hand": units["frame"].to_numpy(), "learned": predicted["frame"].to_numpy(),
                          "probability": prob}, index=units.index)
    return table.loc[wrong].sort_values(["probability", "text"], ascending=[False, True], kind="stable").head(n)


def calibration_error(prob: ArrayLike, correct: ArrayLike, bins: int = 10) -> float:
    """Expected calibration error: the unit-weighted mean gap between confidence and accuracy per bin."""
    prob, correct = np.asarray(prob, dtype=float), np.asarray(correct, dtype=bool)
    idx = np.clip(np.digitize(prob, np.linspace(0, 1, bins + 1)) - 1, 0, bins - 1)
    return float(sum(abs(prob[idx == b].mean() - correct[idx == b].mean()) * (idx == b).sum()
                     for b in range(bins) if (idx == b).any()) / len(prob))


def promise_risk_auc(frames_: ArrayLike, score: ArrayLike) -> float:
    """AUC of ``score`` for telling hand-coded promise units (high) from risk units (low)."""
    from sklearn.metrics import roc_auc_score

    frames_ = np.asarray(frames_, dtype=object)
    score = np.asarray(score, dtype=float)
    keep = np.isin(frames_, ["promise", "risk"])
    return float(roc_auc_score(frames_[keep] == "promise", score[keep]))


#: The blind-test targets of the frame coder (issue 11), by :func:`summary` key.
BLIND_TARGETS = {"frame_kappa": 0.70, "risk_recall": 0.75, "boilerplate_recall": 0.70,
                 "balance_spearman": 0.85, "article_subtheme_f1": 0.75}
#: ... and of the adapted sentiment: AUC of promise vs risk units.
SENTIMENT_AUC_TARGET = 0.80
#: The files of coded articles from which the sentiment lexicon's additions were chosen.
LEXICON_DEVELOPMENT_FILES = ("b1", "b2", "b3", "b4")


def sentiment_split(source: str) -> str:
    """Which part of the coded data a file belongs to for the sentiment lexicon's validation."""
    if source == "seed":
        return "seeds"
    return "chose the additions (b1-b4)" if source in LEXICON_DEVELOPMENT_FILES else "held out (b5 onwards)"


def sentiment_held_out(units: pd.DataFrame, by: str = "genre") -> np.ndarray:
    """Adapted VADER compound per unit, the lexicon's learned layer re-learned without the
    unit's ``by`` group (:func:`framing.measures.sentiment.learn_lexicon`); seed units, never
    used in learning, are scored with the stored lexicon."""
    from framing.measures import _vader, sentiment

    units = units.reset_index(drop=True)
    out = np.full(len(units), np.nan)
    seed = (units["genre"] == "seed").to_numpy()
    out[seed] = sentiment.score(units.loc[seed, "text"])
    written = units[~seed]
    for group in sorted(written[by].unique()):
        train, held = written[written[by] != group], written[written[by] == group]
        analyzer = sentiment.with_lexicon(sentiment.learn_lexicon(train["text"], train["frame"]))
        out[held.index] = _vader.compounds(held["text"].tolist(), [analyzer])[0]  # = polarity_scores' compound
    return out


# (unannotated: the source of this function is part of the stored cross-validation's checksum, cv_key)
def grouped_folds(values: ArrayLike, k: int) -> np.ndarray:
    """Fold number (0..k-1) per item, whole groups per fold (:func:`framing.measures.coder.deal_folds`).

    For cross-validation over many small groups (sources) in ``k`` folds instead of one per group.
    """
    from framing.measures.coder import deal_folds

    values = list(values)
    n_groups = len(set(values))
    if n_groups < k:
        raise ValueError(f"{n_groups} groups cannot fill {k} folds")
    return deal_folds(values, k)


# ----------------------------------------------------------------------------- stored cross-validation
#: Held-out predictions of the learned coder, written by ``make model`` beside the model file.
CV_FILE = "coder_cv.zip"
#: The cross-validation schemes stored: (name, group column, folds of whole groups or None for one per group).
CV_SCHEMES = (("genre", "genre", None), ("source", "source", 5))
_CV_COLUMNS = ["frame", "hype", "hedge", *(f"p_{f}" for f in ("promise", "risk", "mixed", "neutral", "boilerplate"))]


def cv_key(units: pd.DataFrame) -> str:
    """Checksum of what the stored cross-validation depends on: the coded units, the coder's
    code and settings, and the versions of the libraries that fit and embed."""
    import hashlib
    import importlib.metadata as md
    import json

    from framing.measures import coder
    from framing.measures.frames import SUBTHEMES

    digest = hashlib.sha256()
    cols = ["article_id", "genre", "source", "position", "text", "frame", "hype", "hedge", *SUBTHEMES]
    digest.update(units[cols].to_csv(index=False).encode("utf-8"))
    digest.update(json.dumps(coder.SETTINGS, sort_keys=True).encode())
    import inspect

    from framing.io import clean
    from framing.measures import frames, negation

    for module in (coder, frames, negation, clean):
        digest.update(Path(module.__file__).read_bytes())
    for func in (cross_validate, _fit_and_predict, grouped_folds, write_cross_validation):
        digest.update(inspect.getsource(func).encode())
    for dist in ("scikit-learn", "numpy", "scipy", "wordllama"):
        digest.update(f"{dist}=={md.version(dist)}".encode())
    return digest.hexdigest()


def _fold_column(units: pd.DataFrame, column: str, folds: int | None) -> np.ndarray:
    return units[column].to_numpy(dtype=object) if folds is None else grouped_folds(units[column], folds)


# (``path`` unannotated: the source of this function is part of cv_key)
def write_cross_validation(units: pd.DataFrame, path: str | os.PathLike[str], n_jobs: int | None = None) -> Path:
    """Run every scheme of :data:`CV_SCHEMES` and store the held-out predictions with :func:`cv_key`."""
    import json

    from framing.measures.coder import write_zip
    from framing.measures.frames import SUBTHEMES

    units = units.reset_index(drop=True)
    parts = []
    for name, column, folds in CV_SCHEMES:
        grouped = units.assign(_fold=_fold_column(units, column, folds))
        result = cross_validate(grouped, group="_fold", n_jobs=n_jobs)
        for variant, pred in result.items():
            table = pred[[*_CV_COLUMNS, *SUBTHEMES]].copy()
            for col in ["hype", "hedge", *SUBTHEMES]:
                table[col] = table[col].astype(int)
            table.insert(0, "unit", np.arange(len(units)))
            table.insert(0, "variant", variant)
            table.insert(0, "scheme", name)
            parts.append(table)
    body = pd.concat(parts, ignore_index=True).to_csv(index=False, float_format="%.6f", lineterminator="\n")
    meta = json.dumps({"key": cv_key(units), "units": len(units), "schemes": [list(s) for s in CV_SCHEMES]},
                      sort_keys=True, indent=0)
    return write_zip(path, {"meta.json": meta.encode("utf-8"), "predictions.csv": body.encode("utf-8")})


def stored_cross_validation(units: pd.DataFrame, scheme: str, path: str | os.PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """The held-out predictions ``make model`` stored for ``scheme`` ("genre" or "source"), as
    :func:`cross_validate` returns them; raises ValueError naming the file when they were made
    from other data, code or settings than the current ones (then run ``make model``)."""
    import io
    import json
    import zipfile

    from framing.io.datafiles import data_path
    from framing.measures.frames import SUBTHEMES

    path = Path(str(data_path(CV_FILE))) if path is None else Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read("meta.json"))
            table = pd.read_csv(io.BytesIO(zf.read("predictions.csv")))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as err:
        raise ValueError(f"{path}: no readable stored cross-validation ({err}); run 'make model'") from err
    units = units.reset_index(drop=True)
    if meta.get("key") != cv_key(units):
        raise ValueError(f"{path}: made from other coded data, coder code or settings than the current ones; "
                         "run 'make model' to recompute it")
    if scheme not in {s for s, _, _ in CV_SCHEMES}:
        raise ValueError(f"unknown scheme {scheme!r}; stored: {[s for s, _, _ in CV_SCHEMES]}")
    out = {}
    for variant in ("context", "alone"):
        part = table[(table["scheme"] == scheme) & (table["variant"] == variant)].sort_values("unit")
        pred = part[[*_CV_COLUMNS, *SUBTHEMES]].reset_index(drop=True)
        for col in ["hype", "hedge", *SUBTHEMES]:
            pred[col] = pred[col].astype(bool)
        out[variant] = pred
    return out
