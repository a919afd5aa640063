"""Coding sheets: a seeded, stratified random sample of a corpus's sentences for hand coding.

A user who wants numbers that stay valid when the automatic coder errs hand-codes a random sample
of their own corpus (``make codesheet``), then gives the coded sheets to the report (``CODES=``),
which combines them with the automatic labels (:mod:`framing.measures.corrected`).

The population is every body sentence of the corpus (headings excluded; sentences the coder
calls boilerplate included, so that its boilerplate calls are checked too). The sample is
stratified by the automatic coder's frame: stratum ``h`` holds ``N_h`` sentences, of which
``n_h`` are drawn without replacement, so each has inclusion probability ``pi = n_h / N_h``
(recorded per row with ``N_h``). The allocation is proportional to ``sqrt(N_h)``, between
proportional and equal allocation, so that rare frames (risk, mixed) get enough units to check,
with at least :data:`MIN_PER_STRATUM` units in every stratum that has that many. The sheet lists
the sample in a random order: a coder who stops after any number of units has coded a random
sample of each stratum, and the report uses the units coded so far (``pi`` recomputed from
the coded counts).

Sheet columns (:data:`SHEET_COLUMNS`): the unit (``unit_id`` = the sentence id, ``doc_id``,
``title``, ``position`` within the article, ``before``, ``text``, ``after``), the design
(``stratum``, ``stratum_size``, ``pi``), then the codes, empty until coded (:data:`CODE_COLUMNS`:
``frame``, ``hype``, ``hedge`` as true/false, ``subthemes`` joined by ``;``, ``note``, ``coder``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from framing.pipeline import Built

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framing.measures.frames import FRAMES, SUBTHEMES

__all__ = ["CODEBOOK", "UNIT_COLUMNS", "DESIGN_COLUMNS", "CODE_COLUMNS", "SHEET_COLUMNS", "MIN_PER_STRATUM", "SheetError",
           "allocate", "draw", "write_codesheet", "read_sheet", "coded", "fill_from", "read_sheets", "Design", "design", "strata_table",
           "SEED_SHEET", "seed_sheet"]

UNIT_COLUMNS = ["unit_id", "doc_id", "title", "position", "before", "text", "after"]
DESIGN_COLUMNS = ["stratum", "stratum_size", "pi"]
CODE_COLUMNS = ["frame", "hype", "hedge", "subthemes", "note", "coder"]
SHEET_COLUMNS = UNIT_COLUMNS + DESIGN_COLUMNS + CODE_COLUMNS
#: Every stratum with at least this many sentences gets at least this many in the sample (a
#: stratum's variance needs two).
MIN_PER_STRATUM = 2
#: The blank sheet and the coding notebook ``make codesheet`` writes.
SHEET_NAME = "codesheet.csv"
NOTEBOOK_NAME = "coding.ipynb"
_TEMPLATE = Path(__file__).resolve().parents[1] / "data" / NOTEBOOK_NAME
CODEBOOK = Path(__file__).resolve().parents[3] / "data" / "annotations" / "codebook.md"


class SheetError(ValueError):
    """A coding sheet cannot be used; the message names the file and the rows."""


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Units to draw per stratum: ``n`` in all (at most the population), proportional to
    ``sqrt(N_h)`` with largest-remainder rounding (ties in the order given), at least
    :data:`MIN_PER_STRATUM` (or ``N_h`` when smaller) per non-empty stratum, never more than ``N_h``."""
    sizes = {h: int(s) for h, s in sizes.items() if int(s) > 0}
    total = sum(sizes.values())
    n = min(int(n), total)
    if n <= 0:
        return dict.fromkeys(sizes, 0)
    floor = {h: min(s, MIN_PER_STRATUM) for h, s in sizes.items()}
    if sum(floor.values()) >= n:  # too small a sample for the floor: proportional to sqrt among the first
        floor = dict.fromkeys(sizes, 0)
    out = dict(floor)
    while sum(out.values()) < n:
        open_ = [h for h in sizes if out[h] < sizes[h]]
        left = n - sum(out.values())
        weights = np.array([np.sqrt(sizes[h]) for h in open_])
        ideal = left * weights / weights.sum()
        add = np.minimum(np.floor(ideal).astype(int), [sizes[h] - out[h] for h in open_])
        for h, a in zip(open_, add):
            out[h] += int(a)
        left = n - sum(out.values())
        if left and add.sum() == 0:  # hand out the remainder, largest fraction first
            order = sorted(range(len(open_)), key=lambda i: (-(ideal[i] - np.floor(ideal[i])), i))
            for i in order[:left]:
                out[open_[i]] += 1
    return out


def _population(built: Built) -> pd.DataFrame:
    """Body sentences in reading order with their article title and neighbouring sentences."""
    measured = built.measured.sort_values(["doc_id", "sentence"], kind="stable").reset_index(drop=True)
    by_doc = measured.groupby("doc_id", sort=False)["text"]
    before = by_doc.shift(1).fillna("")
    after = by_doc.shift(-1).fillna("")
    corpus = built.prepared.corpus.set_index("doc_id")
    titles = corpus["title"].where(corpus["title"].astype(str).str.strip() != "", corpus["label"]) \
        if "title" in corpus.columns else corpus["label"]
    table = pd.DataFrame({
        "unit_id": measured["sentence_id"], "doc_id": measured["doc_id"],
        "title": measured["doc_id"].map(titles).fillna("").astype(str),
        "position": measured["sentence"].astype(int), "before": before, "text": measured["text"], "after": after,
        "stratum": measured["frame"],
    })
    return table.loc[~measured["is_heading"].to_numpy()].reset_index(drop=True)


def draw(built: Built, n: int = 200, seed: int = 0) -> pd.DataFrame:
    """A blank coding sheet: ``n`` body sentences of ``built`` (:func:`framing.pipeline.build`)
    drawn by stratified random sampling on the automatic frame (:func:`allocate`), seeded, in a
    random order, with the inclusion probability of each (:data:`SHEET_COLUMNS`)."""
    population = _population(built).sort_values("unit_id", kind="stable").reset_index(drop=True)
    sizes = {h: int((population["stratum"] == h).sum()) for h in FRAMES}
    take = allocate(sizes, n)
    rng = np.random.default_rng(seed)
    parts = []
    for h in FRAMES:
        rows = population.loc[population["stratum"] == h]
        if take.get(h, 0):
            chosen = rows.iloc[np.sort(rng.choice(len(rows), size=take[h], replace=False))].copy()
            chosen["stratum_size"] = len(rows)
            chosen["pi"] = take[h] / len(rows)
            parts.append(chosen)
    sheet = pd.concat(parts, ignore_index=True) if parts else population.head(0).assign(stratum_size=0, pi=0.0)
    sheet = sheet.iloc[rng.permutation(len(sheet))].reset_index(drop=True)
    for column in CODE_COLUMNS:
        sheet[column] = ""
    return sheet[SHEET_COLUMNS]


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")


def write_codesheet(corpus: str | os.PathLike[str], out: str | os.PathLike[str], n: int = 200, seed: int = 0) -> Path:
    """``make codesheet``: draw the sample of ``corpus`` into the new or empty folder ``out``, with
    the coding notebook and the codebook beside it; returns the sheet's path. Refuses a folder
    that holds anything (it may hold someone's codes)."""
    from framing.pipeline import build

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SheetError(f"{out}: not a new or empty folder (it may hold coding work; choose another OUT)")
    sheet = draw(build(corpus, on_error="skip"), n=n, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    path = out / SHEET_NAME
    _write_csv(sheet, path)
    if _TEMPLATE.exists():
        shutil.copyfile(_TEMPLATE, out / NOTEBOOK_NAME)
    shutil.copyfile(CODEBOOK, out / "codebook.md")
    return path


_TRUTH = {"true": True, "false": False}


def read_sheet(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a coding sheet and check it: every column of :data:`SHEET_COLUMNS`, unique unit ids,
    a valid design (``0 < pi <= 1``, one size per stratum) and, on coded rows (``frame`` not
    empty), codebook frames, true/false hype and hedge and known sub-themes on risk or mixed
    units only. Raises :class:`SheetError` naming the file and the CSV lines (header = line 1)."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise SheetError(f"{path}: cannot be read as a coding sheet ({error})") from error
    missing = [c for c in SHEET_COLUMNS if c not in table.columns]
    if missing:
        raise SheetError(f"{path}: not a coding sheet, missing columns {missing}")
    line = pd.Series(table.index + 2, index=table.index)
    problems = []
    if table["unit_id"].duplicated().any():
        problems.append(f"unit_id repeated on lines {line[table['unit_id'].duplicated()].tolist()[:10]}")
    pi = pd.to_numeric(table["pi"], errors="coerce")
    size = pd.to_numeric(table["stratum_size"], errors="coerce")
    bad = line[~((pi > 0) & (pi <= 1)) | ~(size >= 1)].tolist()
    if bad:
        problems.append(f"pi must be in (0, 1] and stratum_size a count on lines {bad[:10]}")
    if (table.assign(size=size).groupby("stratum")["size"].nunique() > 1).any():
        problems.append("a stratum has more than one stratum_size")
    done = table["frame"].str.strip() != ""
    bad = line[done & ~table["frame"].isin(FRAMES)].tolist()
    if bad:
        problems.append(f"frame is not one of {list(FRAMES)} on lines {bad[:10]}")
    for column in ("hype", "hedge"):
        bad = line[done & ~table[column].str.strip().str.lower().isin(list(_TRUTH))].tolist()
        if bad:
            problems.append(f"{column} is not true/false on coded lines {bad[:10]}")
    themes = table["subthemes"].map(lambda s: [t.strip() for t in s.split(";") if t.strip()])
    bad = line[themes.map(lambda ts: any(t not in SUBTHEMES for t in ts))].tolist()
    if bad:
        problems.append(f"unknown sub-theme on lines {bad[:10]} (known: {list(SUBTHEMES)})")
    bad = line[done & themes.map(bool) & ~table["frame"].isin(["risk", "mixed"])].tolist()
    if bad:
        problems.append(f"sub-themes on a unit coded neither risk nor mixed on lines {bad[:10]}")
    if problems:
        raise SheetError(f"{path}: " + "; ".join(problems))
    table["position"] = pd.to_numeric(table["position"], errors="coerce").fillna(-1).astype(int)
    table["pi"], table["stratum_size"] = pi, size.astype(int)
    return table


def coded(sheet: pd.DataFrame) -> pd.DataFrame:
    """The coded rows of a sheet read by :func:`read_sheet`, with ``hype`` and ``hedge`` as bools and
    one bool column per sub-theme (converted by :func:`framing.io.annotations.parse_codes`)."""
    from framing.io.annotations import parse_codes

    out = sheet.loc[sheet["frame"].str.strip() != ""].copy()
    for column in ("hype", "hedge"):
        out[column] = out[column].str.strip().str.lower()
    parse_codes(out)  # read_sheet has checked the codes: no problem left to report
    return out.reset_index(drop=True)


def fill_from(sheet: pd.DataFrame, coding: pd.DataFrame, coder: str) -> pd.DataFrame:
    """``sheet`` with its codes taken from a reference coding (columns id, frame, hype, hedge and
    ``risk_subthemes`` or ``subthemes``), e.g. the seeds' hand coding: how the seed report gets a
    "user's sheet". Raises :class:`SheetError` for units the coding lacks."""
    themes = "risk_subthemes" if "risk_subthemes" in coding.columns else "subthemes"
    ref = coding.set_index("id")
    lacking = sorted(set(sheet["unit_id"]) - set(ref.index))
    if lacking:
        raise SheetError(f"the reference coding lacks units {lacking[:10]}")
    out = sheet.copy()
    rows = ref.loc[out["unit_id"]]
    out["frame"] = rows["frame"].to_numpy()
    for column in ("hype", "hedge"):
        out[column] = rows[column].map(lambda v: "true" if str(v).strip().lower() in ("true", "1", "yes") else "false").to_numpy()
    out["subthemes"] = rows[themes].fillna("").astype(str).to_numpy()
    out["note"] = ""
    out["coder"] = coder
    return out


def read_sheets(paths: str | os.PathLike[str] | list) -> list[tuple[str, pd.DataFrame]]:
    """The sheets named by ``paths`` (a list, or one string of paths joined by commas, as ``CODES=``
    gives them), each read and checked by :func:`read_sheet`, as (name, sheet) pairs; the name is the
    coder named in the sheet, else the file's stem. Raises :class:`SheetError` when the sheets were
    not all copied from the same blank sheet (same units in the same order, same design)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [p.strip() for p in str(paths).split(",") if p.strip()]
    if not paths:
        raise SheetError("no coding sheet given")
    out = []
    first = None
    for path in paths:
        sheet = read_sheet(path)
        if first is None:
            first = (path, sheet)
        elif not sheet[["unit_id", "stratum", "stratum_size"]].equals(first[1][["unit_id", "stratum", "stratum_size"]]):
            raise SheetError(f"{path}: not a copy of the same blank sheet as {first[0]} (other units, order or design)")
        names = sorted({c for c in sheet["coder"].str.strip() if c})
        name = names[0] if len(names) == 1 else Path(path).stem
        out.append((name if name not in [n for n, _ in out] else f"{name} ({Path(path).name})", sheet))
    return out


@dataclass(frozen=True)
class Design:
    """A hand-coded sample matched to the corpus it was drawn from.

    population: the automatic coding of every body sentence (rows of ``Built.measured``), the
    sample's population. hand: the hand codes of the coded units (:func:`coded`; the first sheet
    that coded a unit gives its codes), with ``coder``. coded_index: their rows in ``population``;
    stratum: their strata; sizes: N_h per stratum; planned: units per stratum in the sheet;
    n_planned: units in the sheet; prefix: whether
    the coded units are the first ones of the sheet's random order (if not, the estimates assume
    the coded ones are still a random sample of each stratum).
    """

    population: pd.DataFrame
    hand: pd.DataFrame
    coded_index: np.ndarray
    stratum: np.ndarray
    sizes: dict
    planned: dict
    n_planned: int
    prefix: bool


def design(built: Built, sheets: list[tuple[str, pd.DataFrame]]) -> Design:
    """Match the coded sheets (:func:`read_sheets`) with ``built``, the corpus they were drawn from.

    Raises :class:`SheetError` when the corpus is not the one the sheet was drawn from: a unit id
    not among the corpus's body sentences, a unit whose text differs, or strata sizes that do not
    add up to the corpus's body sentences (the corpus or the cleaning changed since the draw).
    """
    population = built.measured.loc[~built.measured["is_heading"].to_numpy()].reset_index(drop=True)
    first = sheets[0][1]
    where = pd.Series(np.arange(len(population)), index=population["sentence_id"].to_numpy())
    unknown = first.loc[~first["unit_id"].isin(where.index), "unit_id"].tolist()
    if unknown:
        raise SheetError(f"the sheet's units {unknown[:5]} are not body sentences of this corpus: was it drawn "
                         "from another corpus, or has the corpus changed since?")
    rows = where.loc[first["unit_id"]].to_numpy()
    changed = first.loc[population["text"].to_numpy()[rows] != first["text"].to_numpy(), "unit_id"].tolist()
    if changed:
        raise SheetError(f"the text of units {changed[:5]} differs from the corpus's: the corpus or its cleaning "
                         "changed since the sheet was drawn")
    sizes = first.groupby("stratum")["stratum_size"].first().astype(int).to_dict()
    if sum(sizes.values()) != len(population):
        raise SheetError(f"the sheet was drawn from {sum(sizes.values())} body sentences, the corpus has "
                         f"{len(population)}: the corpus or its cleaning changed since the draw")
    done = np.zeros(len(first), dtype=bool)
    parts = []
    for name, sheet in sheets:
        mask = (sheet["frame"].str.strip() != "").to_numpy() & ~done
        if mask.any():
            part = coded(sheet.loc[mask])
            part["coder"] = [c or name for c in part["coder"].str.strip()]
            part["order"] = np.flatnonzero(mask)
            parts.append(part)
        done |= mask
    if not parts:
        raise SheetError("no unit of the sheets is coded yet")
    hand = pd.concat(parts, ignore_index=True).sort_values("order", kind="stable").reset_index(drop=True)
    index = where.loc[hand["unit_id"]].to_numpy()
    return Design(population=population, hand=hand, coded_index=index, stratum=hand["stratum"].to_numpy(dtype=object),
                  sizes=sizes, planned=first["stratum"].value_counts().to_dict(), n_planned=len(first), prefix=bool(done[: done.sum()].all()))


#: The seed report's "user's sheet": a sample of the seeds coded from their hand coding.
SEED_SHEET = Path(__file__).resolve().parents[3] / "data" / "annotations" / "seed_codesheet.csv"
#: Units in it (of the seeds' 139 body sentences, so that part of the corpus stays uncoded).
SEED_SHEET_N = 60


def seed_sheet() -> pd.DataFrame:
    """The sample :data:`SEED_SHEET` holds: :func:`draw` of the seeds (``data/raw``), n =
    :data:`SEED_SHEET_N`, seed 0, coded by :func:`fill_from` from ``seed_sentences.csv``."""
    from framing.pipeline import build

    root = Path(__file__).resolve().parents[3] / "data"
    coding = pd.read_csv(root / "annotations" / "seed_sentences.csv", dtype=str, keep_default_na=False)
    return fill_from(draw(build(root / "raw"), n=SEED_SHEET_N, seed=0), coding, coder="seed hand coding")


def strata_table(found: Design) -> pd.DataFrame:
    """Per stratum (the automatic frame at the draw): sentences in the corpus (N_h), units in the
    sheet, units coded, and the inclusion probability of a coded unit (coded / N_h)."""
    coded_n = pd.Series(found.stratum).value_counts()
    rows = [{"stratum": h, "sentences": size, "in the sheet": found.planned.get(h, 0), "coded": int(coded_n.get(h, 0)),
             "inclusion probability": coded_n.get(h, 0) / size} for h, size in found.sizes.items()]
    order = {f: i for i, f in enumerate(FRAMES)}
    return pd.DataFrame(rows).sort_values("stratum", key=lambda s: s.map(order)).set_index("stratum")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framing.io.codesheet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="folder of articles (read only)")
    parser.add_argument("--out", help="new or empty folder for the sheet and the coding notebook")
    parser.add_argument("--seed-sheet", action="store_true", help=f"rebuild {SEED_SHEET.name} (make seedsheet)")
    parser.add_argument("--n", type=int, default=200, help="units to sample (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.seed_sheet:
        _write_csv(seed_sheet(), SEED_SHEET)
        print(f"wrote {SEED_SHEET}")
        return 0
    if not args.corpus or not args.out:
        parser.error("both --corpus and --out are needed (make codesheet CORPUS=folder OUT=folder)")
    try:
        path = write_codesheet(args.corpus, args.out, n=args.n, seed=args.seed)
    except (SheetError, FileNotFoundError, ValueError) as error:
        print(f"codesheet: {error}", file=sys.stderr)
        return 2
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    print(f"wrote {path} ({len(sheet)} units), {path.parent / NOTEBOOK_NAME} and {path.parent / 'codebook.md'}: "
          f"open {NOTEBOOK_NAME} in JupyterLab to code (jupyter lab {path.parent / NOTEBOOK_NAME})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
