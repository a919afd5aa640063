"""Agreement on a user's coding sheets: coder with coder, and each coder with the automatic coder.

Between two hand coders (the same blank sheet coded independently) the agreement measures the
construct itself: how reproducible the codebook's categories are on this corpus. Between a coder
and the automatic labels it measures the coder's errors on this corpus. Both use the units coded
in both codings only, and report Krippendorff's alpha (the ``krippendorff`` package, nominal),
Cohen's kappa and the raw share of agreement for the frame, hype and hedging.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.checks.validation import agreement, alpha
from framing.io.codesheet import Design, coded
from framing.measures.frames import FRAMES

__all__ = ["AUTOMATIC", "pair_table", "coder_agreement", "frame_confusion"]

#: The name the automatic coder goes by in the tables.
AUTOMATIC = "automatic coder"
_CODES = ("frame", "hype", "hedge")


def pair_table(a: pd.DataFrame, b: pd.DataFrame, first: str, second: str) -> list[dict]:
    """Rows (one per code) comparing two codings of the same units (tables with ``unit_id`` and
    the :data:`_CODES` columns): units in both, agreement share, Cohen's kappa, Krippendorff's alpha."""
    both = a.merge(b, on="unit_id", suffixes=("_a", "_b"))
    rows = []
    for code in _CODES:
        x, y = both[f"{code}_a"], both[f"{code}_b"]
        labels = list(FRAMES) if code == "frame" else [True, False]
        ok = len(both) > 0
        kappa = agreement(x, y, labels=labels).kappa if ok and len(set(x) | set(y)) > 1 else float("nan")
        rows.append({"first": first, "second": second, "code": code, "units": len(both),
                     "agreement": float(np.mean(x.to_numpy() == y.to_numpy())) if ok else float("nan"),
                     "kappa": kappa, "alpha": alpha(x, y) if ok else float("nan")})
    return rows


def coder_agreement(sheets: list[tuple[str, pd.DataFrame]], found: Design) -> pd.DataFrame:
    """One row per pair of codings and code: every pair of hand coders (units both coded), then
    every coder against the automatic coder on the units that coder coded."""
    codings = [(name, coded(sheet)) for name, sheet in sheets]
    rows = []
    for i, (first, a) in enumerate(codings):
        for second, b in codings[i + 1:]:
            rows += pair_table(a, b, first, second)
    auto = found.population[["sentence_id", *_CODES]].rename(columns={"sentence_id": "unit_id"})
    for name, table in codings:
        rows += pair_table(table, auto, name, AUTOMATIC)
    return pd.DataFrame(rows)


def frame_confusion(found: Design) -> pd.DataFrame:
    """Counts of hand frame (rows, the codes the estimates use) by automatic frame (columns) on the
    coded units."""
    auto = found.population["frame"].to_numpy()[found.coded_index]
    return agreement(pd.Series(auto), pd.Series(found.hand["frame"].to_numpy()), labels=list(FRAMES)).confusion
