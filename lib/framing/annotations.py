"""Units for hand coding, and reading the hand-coded reference back.

A coding unit is one sentence of the clean text (its ``sentence_id``) or one
line that cleaning removed (``<doc_id>:removed-L<line>``). Removed lines are
coded too, so that the codebook's ``boilerplate`` frame has real examples in
the validation and the cleaning itself is checked against a human reader.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .clean import clean_corpus
from .segment import sentence_table

__all__ = ["coding_units", "read_hand_coding", "FRAMES"]

FRAMES = ("promise", "risk", "mixed", "neutral", "boilerplate")


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


def read_hand_coding(path) -> pd.DataFrame:
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
