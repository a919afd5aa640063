"""Units for hand coding, and reading the hand-coded reference back.

A coding unit is one sentence of the clean text (its ``sentence_id``) or one
line that cleaning removed (``<doc_id>:removed-L<line>``). Removed lines are
coded too, so that the codebook's ``boilerplate`` frame has real examples in
the validation and the cleaning itself is checked against a human reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    import os

from pathlib import Path

import pandas as pd

from framing.io.clean import clean_corpus
from framing.io.segment import sentence_table
from framing.measures.frames import FRAMES

__all__ = ["coding_units", "read_hand_coding", "FRAMES"]


def coding_units(corpus: pd.DataFrame) -> pd.DataFrame:
    """All units of a corpus in reading order: id, doc_id, source ('sentence' or 'removed'), text."""
    clean, audit = clean_corpus(corpus)
    sentences = sentence_table(clean)
    kept = pd.DataFrame({
        "id": sentences["sentence_id"],
        "doc_id": sentences["doc_id"],
        "unit": "sentence",
        "is_heading": sentences["is_heading"],
        "text": sentences["text"],
    })
    removed = pd.DataFrame({
        "id": [f"{d}:removed-L{int(n):03d}" for d, n in zip(audit["doc_id"], audit["line"])],
        "doc_id": audit["doc_id"],
        "unit": "removed",
        "is_heading": False,
        "text": audit["text"],
    })
    units = pd.concat([kept, removed], ignore_index=True)
    return units.sort_values(["doc_id", "unit", "id"], kind="stable").reset_index(drop=True)


def read_hand_coding(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a hand-coding CSV (id, frame, hype, hedge, ...) and check its values.

    ``hype`` and ``hedge`` are read as booleans from true/false, yes/no or 1/0.
    Raises ValueError naming the file and the offending rows.
    """
    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"id", "frame", "hype", "hedge"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    bad = table.loc[~table["frame"].isin(FRAMES), "id"].tolist()
    if bad:
        raise ValueError(f"{path}: unknown frame in rows {bad[:10]}")
    truth = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    for col in ("hype", "hedge"):
        values = table[col].str.strip().str.lower()
        wrong = table.loc[~values.isin(list(truth)), "id"].tolist()
        if wrong:
            raise ValueError(f"{path}: {col} is not true/false in rows {wrong[:10]}")
        table[col] = values.map(truth).astype(bool)
    if table["id"].duplicated().any():
        raise ValueError(f"{path}: duplicated ids {table.loc[table['id'].duplicated(), 'id'].tolist()[:10]}")
    return table


# ----------------------------------------------------------------------------- training data
#: Where the project's coded data lives (in the source tree, beside the seeds).
ANNOTATIONS = Path(__file__).resolve().parents[3] / "data" / "annotations"
DEV_COLUMNS = ["article_id", "genre", "title", "position", "text", "frame", "hype", "hedge", "subthemes", "note"]


def _subtheme_names() -> tuple[str, ...]:
    from framing.measures.frames import SUBTHEMES

    return SUBTHEMES


def parse_codes(table: pd.DataFrame) -> list[str]:
    """Check and convert the code columns of a coding table read as strings, in place.

    ``frame`` must be a codebook frame, ``hype`` and ``hedge`` true/false (made bool),
    ``subthemes`` ';'-joined known sub-themes on risk and mixed units only (one bool column per
    sub-theme is added). Returns the problems found, each naming the CSV lines (header = line 1).
    """
    line = table.index + 2
    problems = []
    bad = line[~table["frame"].isin(FRAMES)].tolist()
    if bad:
        problems.append(f"unknown frame on lines {bad[:10]}")
    for col in ("hype", "hedge"):
        bad = line[~table[col].isin(["true", "false"])].tolist()
        if bad:
            problems.append(f"{col} is not true/false on lines {bad[:10]}")
        table[col] = table[col] == "true"
    themes = table["subthemes"].map(lambda s: [t.strip() for t in s.split(";") if t.strip()])
    known = set(_subtheme_names())
    bad = line[themes.map(lambda ts: any(t not in known for t in ts))].tolist()
    if bad:
        problems.append(f"unknown sub-theme on lines {bad[:10]}")
    bad = line[themes.map(bool) & ~table["frame"].isin(["risk", "mixed"])].tolist()
    if bad:
        problems.append(f"sub-themes on a unit that is not risk or mixed on lines {bad[:10]}")
    for theme in _subtheme_names():
        table[theme] = themes.map(lambda ts, t=theme: t in ts)
    return problems


def read_dev_coding(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read one file of coded articles written for the project (columns :data:`DEV_COLUMNS`).

    Checks every value and raises ValueError naming the file and the rows: frames from the
    codebook, true/false flags, known sub-themes (on risk and mixed units only), positions
    0..n-1 in reading order, one title and genre per article.
    """
    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != DEV_COLUMNS:
        raise ValueError(f"{path}: columns are {list(table.columns)}, expected {DEV_COLUMNS}")
    line = table.index + 2
    problems = parse_codes(table)
    if (table["text"].str.strip() == "").any():
        problems.append(f"empty text on lines {line[table['text'].str.strip() == ''].tolist()[:10]}")
    for article, part in table.groupby("article_id", sort=False):
        if part["position"].tolist() != [str(i) for i in range(len(part))]:
            problems.append(f"article {article}: positions are not 0..{len(part) - 1} in order")
        if part["title"].nunique() != 1 or part["genre"].nunique() != 1:
            problems.append(f"article {article}: more than one title or genre")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    table["position"] = table["position"].astype(int)
    return table


def _seed_units(folder: Path, coding: Path) -> pd.DataFrame:
    """The seed hand coding as articles in reading order (units located in the raw text)."""
    from framing.io.clean import normalise
    from framing.io.corpus import load_corpus

    corpus = load_corpus(folder).set_index("doc_id")
    hand = read_hand_coding(coding)
    rows = []
    for doc, part in hand.groupby("doc_id", sort=True):
        raw = normalise(corpus.loc[doc, "text"])
        squashed = " ".join(raw.split()).lower()
        located = []
        for order, row in enumerate(part.itertuples(index=False)):
            probe = " ".join(normalise(row.text).split()).lower()[:40]
            at = squashed.find(probe) if probe else -1
            located.append((at if at >= 0 else len(squashed) + order, order, row))
        located.sort(key=lambda t: (t[0], t[1]))
        title = corpus.loc[doc, "title"] if isinstance(corpus.loc[doc, "title"], str) else ""
        for position, (_, _, row) in enumerate(located):
            themes = [t.strip() for t in row.risk_subthemes.split(";") if t.strip()]
            rows.append({"article_id": f"seed-{doc}", "genre": "seed", "title": title, "position": position,
                         "text": row.text, "frame": row.frame, "hype": bool(row.hype), "hedge": bool(row.hedge),
                         "subthemes": "; ".join(themes), "note": row.note,
                         **{t: t in themes for t in _subtheme_names()}})
    return pd.DataFrame(rows)


def dev_files(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """The coded-article files written for the project (``data/annotations/dev/*.csv``), sorted."""
    folder = Path(folder) if folder is not None else ANNOTATIONS / "dev"
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise FileNotFoundError(f"{folder}: no coded-article files (*.csv)")
    return files


#: The note that opens an off-topic article (one not about ketamine: every unit of its own text
#: is neutral, its furniture boilerplate); such articles teach the coder what is not its subject.
OFF_TOPIC_NOTE = "off-topic:"


def training_units(folder: str | os.PathLike[str] | None = None, seeds: bool = True) -> pd.DataFrame:
    """All coded units the learned coder is trained on, article by article in reading order.

    The written articles (:func:`dev_files`) followed by the seed hand coding (genre
    ``seed``). Columns: :data:`DEV_COLUMNS`, ``source`` (file stem or ``seed``), one bool
    column per risk sub-theme, and ``off_topic`` (the article's first note starts with
    :data:`OFF_TOPIC_NOTE`). Article ids are unique across files (checked).
    """
    parts = []
    for file in dev_files(folder):
        table = read_dev_coding(file)
        table["source"] = file.stem
        parts.append(table)
    if seeds:
        root = ANNOTATIONS.parent
        seed = _seed_units(root / "raw", ANNOTATIONS / "seed_sentences.csv")
        seed["source"] = "seed"
        parts.append(seed)
    units = pd.concat(parts, ignore_index=True)
    owners = units.groupby("article_id")["source"].nunique()
    if (owners > 1).any():
        raise ValueError(f"article ids used in more than one file: {owners[owners > 1].index.tolist()[:10]}")
    first_note = units.loc[units["position"] == 0].set_index("article_id")["note"]
    off = set(first_note.index[first_note.fillna("").astype(str).str.startswith(OFF_TOPIC_NOTE)])
    units["off_topic"] = units["article_id"].isin(off)
    return units
