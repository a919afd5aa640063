"""One figure style for the whole project and a save function with reproducible bytes.

* Each source keeps one colour in every figure: colours are assigned in the
  sorted order of all doc_ids of the corpus, from the Okabe-Ito palette
  (colour-blind safe), extended with Paul Tol's muted colours up to twelve.
* :func:`view_mode` says whether a figure can show one colour per source
  (up to twelve sources) or should aggregate (more than twelve).
* :func:`save` writes PNG and SVG whose bytes are identical when the same
  figure is drawn again (no dates, no software stamp, fixed SVG id salt).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterable

    from matplotlib.figure import Figure

import os
from pathlib import Path

import matplotlib as mpl

from framing.measures.sources import PER_SOURCE_MAX as _PER_SOURCE_MAX

__all__ = ["PALETTE", "FRAME_COLORS", "PER_SOURCE_MAX", "apply", "source_colors", "save", "view_mode", "tint"]

#: Okabe & Ito (2008) without black, then Paul Tol's muted scheme: 12 distinct colours.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
    "#332288", "#882255", "#999933", "#44AA99", "#000000",
)

#: Colours of the codebook's frames, used wherever frames are drawn: a blue-orange pair
#: (distinguishable with red-green colour blindness), mixed in between, neutral grey.
FRAME_COLORS = {
    "promise": "#2166AC",
    "mixed": "#B2ABD2",
    "neutral": "#BDBDBD",
    "risk": "#D66B00",
    "boilerplate": "#FFFFFF",
}

RC = {
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "svg.hashsalt": "framing-ketamine",
    "svg.fonttype": "path",
    "path.simplify": True,
}


def tint(color: str, amount: float = 0.5) -> str:
    """``color`` (``#RRGGBB``) mixed with white: 0 keeps it, 1 gives white. For fills behind text."""
    if not 0 <= amount <= 1:
        raise ValueError(f"tint amount must be between 0 and 1, not {amount}")
    rgb = mpl.colors.to_rgb(color)
    return mpl.colors.to_hex([c + (1 - c) * amount for c in rgb]).upper()


def apply() -> None:
    """Set the project's matplotlib style (call once at the top of a notebook)."""
    mpl.rcParams.update(RC)


def source_colors(doc_ids: Iterable[str]) -> dict[str, str]:
    """Map every doc_id to its colour; the same ids always get the same colours."""
    ids = sorted(set(doc_ids))
    return {doc_id: PALETTE[i % len(PALETTE)] for i, doc_id in enumerate(ids)}


def save(fig: Figure, name: str, folder: str | os.PathLike[str] = "figures") -> list[Path]:
    """Write ``<folder>/<name>.png`` and ``.svg`` with reproducible bytes; return the paths.

    Each file is written aside and renamed into place, so a reader (``git status``, a test, a
    notebook re-run beside this one) never sees half a figure.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context({"svg.hashsalt": RC["svg.hashsalt"]}):
        png = folder / f"{name}.png"
        svg = folder / f"{name}.svg"
        for path, metadata in ((png, {"Software": None}), (svg, {"Date": None, "Creator": None})):
            partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fig.savefig(partial, format=path.suffix[1:], metadata=metadata)
            os.replace(partial, path)
    return [png, svg]


#: Above this many sources, figures aggregate instead of giving each source a colour (the one
#: threshold of :mod:`framing.measures.sources`, which selects what they show then).
PER_SOURCE_MAX = _PER_SOURCE_MAX


def view_mode(n_sources: int, threshold: int = PER_SOURCE_MAX) -> str:
    """``"per_source"`` for up to ``threshold`` sources, else ``"aggregate"``.

    ``n_sources`` is a count or any collection of doc_ids (duplicates counted
    once). Up to about a dozen sources, a figure can give each one its own
    colour and a readable legend (:func:`source_colors` has twelve colours);
    beyond that a notebook should switch to views that aggregate: distributions
    over sources, the top N sources, or sources grouped by outlet. Usage::

        if style.view_mode(corpus["doc_id"]) == "per_source":
            ...  # one colour per source, as for the seed corpus
        else:
            ...  # boxplots / histograms over sources, top-N, by outlet
    """
    if isinstance(n_sources, int):
        n = n_sources
    else:
        n = len(set(n_sources))
    if n < 0:
        raise ValueError(f"number of sources must be >= 0, not {n}")
    return "per_source" if n <= threshold else "aggregate"
