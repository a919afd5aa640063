"""Fact check of articles against a small table of reference facts kept as data.

The table (``data/reference/facts.csv`` in the repository) has one row per
fact: fact_id, fact, topic_pattern (a regex that recognises a sentence *about*
the fact), correct_pattern (a correct claim), wrong_pattern (a wrong claim;
may be empty when no wrong claim is defined) and source (the reference).
Patterns are case-insensitive.

How a sentence is read, per fact:

* it is *about* the fact when topic_pattern matches; correct and wrong
  patterns are only read in such sentences;
* a sentence about the fact that matches neither pattern is *vague* (listed as
  evidence, but it neither states the fact nor contradicts it).

How an article is judged, per fact (``status``):

* ``wrong`` when any sentence makes the wrong claim -- **wrong takes
  precedence over correct**: one wrong statement misleads a reader even if the
  article also states the fact correctly elsewhere, and a fact check should
  surface it;
* else ``correct`` when any sentence makes the correct claim;
* else ``omitted`` (whether or not vague sentences touch the topic; they are
  listed in ``vague_ids`` for the reader).

Decisions recorded in the table's ``source`` column, e.g. "derivative of
ketamine" is vague for the enantiomer fact (loosely true in lay use, only wrong
when called metabolic), and "approved by regulatory bodies" is vague for the
approval fact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    import os
    from collections.abc import Iterable

import re

import pandas as pd

from framing.io.datafiles import RuleError, compile_pattern, join_ids, join_texts, read_rule_table

__all__ = ["FACT_COLUMNS", "STATUSES", "load_facts", "sentence_facts", "check", "summary"]

FACT_COLUMNS = ["fact_id", "fact", "topic_pattern", "correct_pattern", "wrong_pattern", "source"]
PATTERN_COLUMNS = ("topic_pattern", "correct_pattern", "wrong_pattern")
#: Article-level statuses, in the order of precedence.
STATUSES = ("wrong", "correct", "omitted")


def load_facts(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and compile the reference facts.

    Returns the table with three extra columns of compiled patterns
    (``topic_re``, ``correct_re``, ``wrong_re``; ``None`` for an empty wrong
    pattern). Raises :class:`framing.io.datafiles.RuleError` (a ValueError) naming the
    file -- and the row and column -- when the file is missing, a column is
    missing, a fact_id is empty or repeated, a topic or correct pattern is
    empty, or a pattern does not compile.
    """
    table = read_rule_table(path, FACT_COLUMNS, "fact_id")
    dup = table.loc[table["fact_id"].duplicated(), "fact_id"].tolist()
    if dup:
        raise RuleError(f"{path}: duplicated fact_id {dup}")
    for column in PATTERN_COLUMNS:
        compiled = []
        for i, (fact_id, pattern) in enumerate(zip(table["fact_id"], table[column]), start=1):
            if not pattern and column != "wrong_pattern":
                raise RuleError(f"{path}: row {i} ({fact_id!r}), column {column}: empty pattern")
            compiled.append(compile_pattern(pattern, path=path, row=i, rule_id=fact_id, column=column,
                                            flags=re.IGNORECASE))
        table[column.replace("_pattern", "_re")] = compiled
    return table


def sentence_facts(texts: Iterable[str], facts: pd.DataFrame) -> pd.DataFrame:
    """Per text and fact: about (topic matched), correct, wrong (both only where about).

    Returns a long frame with columns ``row`` (position in ``texts``), fact_id,
    about, correct, wrong -- one row per (text, fact), texts in order, facts in
    table order.
    """
    texts = [str(t) for t in texts]
    rows = []
    for i, text in enumerate(texts):
        for fact_id, topic, correct, wrong in zip(facts["fact_id"], facts["topic_re"], facts["correct_re"],
                                                  facts["wrong_re"]):
            about = bool(topic.search(text))
            rows.append({
                "row": i,
                "fact_id": fact_id,
                "about": about,
                "correct": about and bool(correct.search(text)),
                "wrong": about and wrong is not None and bool(wrong.search(text)),
            })
    return pd.DataFrame(rows, columns=["row", "fact_id", "about", "correct", "wrong"])


def check(sentences: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Fact check every article: one row per (doc_id, fact_id).

    ``sentences`` needs doc_id, sentence_id and text. Columns: doc_id, fact_id,
    status (wrong > correct > omitted), evidence_ids and evidence (the
    sentences behind the status: the wrong ones, else the correct ones, else
    none), correct_ids, wrong_ids, vague_ids ("; "-joined ids in reading order).
    Docs sorted, facts in table order.
    """
    missing = {"doc_id", "sentence_id", "text"} - set(sentences.columns)
    if missing:
        raise ValueError(f"check: sentences lack column(s) {sorted(missing)}")
    ordered = sentences.sort_values(["doc_id", "sentence_id"], kind="stable").reset_index(drop=True)
    hits = sentence_facts(ordered["text"], facts)
    hits = hits.join(ordered[["doc_id", "sentence_id", "text"]], on="row")
    groups = dict(list(hits.groupby(["doc_id", "fact_id"], sort=False)))
    rows = []
    for doc_id in sorted(ordered["doc_id"].unique()):
        for fact_id in facts["fact_id"]:
            part = groups[(doc_id, fact_id)]
            wrong = part[part["wrong"]]
            correct = part[part["correct"] & ~part["wrong"]]
            vague = part[part["about"] & ~part["correct"] & ~part["wrong"]]
            if len(wrong):
                status, evidence = "wrong", wrong
            elif len(correct):
                status, evidence = "correct", correct
            else:
                status, evidence = "omitted", part.iloc[0:0]
            rows.append({
                "doc_id": doc_id,
                "fact_id": fact_id,
                "status": status,
                "evidence_ids": join_ids(evidence["sentence_id"]),
                "evidence": join_texts(evidence["text"]),
                "correct_ids": join_ids(correct["sentence_id"]),
                "wrong_ids": join_ids(wrong["sentence_id"]),
                "vague_ids": join_ids(vague["sentence_id"]),
            })
    return pd.DataFrame(rows, columns=["doc_id", "fact_id", "status", "evidence_ids", "evidence", "correct_ids",
                                       "wrong_ids", "vague_ids"])


def summary(checked: pd.DataFrame) -> pd.DataFrame:
    """Per article: counts of facts right, wrong and missing (omitted), and the ids of the wrong ones."""
    counts = pd.crosstab(checked["doc_id"], checked["status"]).reindex(columns=list(STATUSES), fill_value=0)
    out = pd.DataFrame({
        "right": counts["correct"],
        "wrong": counts["wrong"],
        "missing": counts["omitted"],
    }).astype(int)
    wrong_facts = checked[checked["status"] == "wrong"].groupby("doc_id")["fact_id"].agg(", ".join)
    out["wrong_facts"] = wrong_facts.reindex(out.index).fillna("")
    out.index.name = "doc_id"
    return out.sort_index().reset_index()
