"""Shared plumbing for rule tables kept as data (regex cues, reference facts).

Both :mod:`framing.measures.quality` and :mod:`framing.measures.facts` keep their rules in CSV
files so that a reader can audit them as a table. This module reads such a
table, compiles its patterns and reports a broken rule by file, row and
column, so that a typo in a regex fails loudly at load time and never
silently matches nothing.

Row numbers in messages count data rows from 1 (the header is not a row),
and give the rule's id where there is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    import os
    from collections.abc import Iterable
    from importlib.resources.abc import Traversable

import re
from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = ["data_path", "RuleError", "read_rule_table", "compile_pattern", "expand_macros", "join_ids", "join_texts",
           "EVIDENCE_SEPARATOR"]


def data_path(name: str) -> "Traversable":
    """A data file shipped inside the package (``framing/data/<name>``)."""
    return resources.files("framing").joinpath("data", name)

#: How sentence ids are joined in evidence columns.
EVIDENCE_SEPARATOR = "; "


class RuleError(ValueError):
    """A rule table is missing, lacks a column, or has a pattern that does not compile."""


def read_rule_table(path: str | os.PathLike[str], required: list[str], id_column: str) -> pd.DataFrame:
    """Read a CSV of rules as strings (empty cells stay ``""``) and check its columns and ids.

    Raises :class:`RuleError` naming the file when it is missing, when a required
    column is absent, or when an id is empty or repeated.
    """
    path = Path(path)
    if not path.is_file():
        raise RuleError(f"{path}: rule file not found")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise RuleError(f"{path}: cannot be read as CSV ({err})") from err
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise RuleError(f"{path}: missing column(s) {missing}; found {list(table.columns)}")
    for c in table.columns:
        table[c] = table[c].str.strip()
    empty = [i + 1 for i, v in enumerate(table[id_column]) if not v]
    if empty:
        raise RuleError(f"{path}: empty {id_column} in row(s) {empty}")
    return table.reset_index(drop=True)


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace ``{NAME}`` by the regex ``macros[NAME]`` wrapped in a non-capturing group.

    Only upper-case names in braces are macros, so regex quantifiers such as
    ``{0,3}`` are left alone. An unknown macro name raises KeyError.
    """
    return re.sub(r"\{([A-Z][A-Z_]*)\}", lambda m: f"(?:{macros[m.group(1)]})", pattern)


def compile_pattern(pattern: str, *, path: str | os.PathLike[str], row: int, rule_id: str, column: str,
                    flags: int = re.IGNORECASE, macros: dict[str, str] | None = None) -> re.Pattern | None:
    """Compile one cell of a rule table; ``None`` for an empty cell.

    Raises :class:`RuleError` naming the file, the row, the rule id and the column
    when the pattern uses an unknown macro or does not compile.
    """
    if not pattern:
        return None
    where = f"{path}: row {row} ({rule_id!r}), column {column}"
    try:
        text = expand_macros(pattern, macros or {})
    except KeyError as err:
        raise RuleError(f"{where}: unknown macro {{{err.args[0]}}}; known: {sorted(macros or {})}") from None
    try:
        return re.compile(text, flags)
    except re.error as err:
        raise RuleError(f"{where}: pattern does not compile ({err}): {pattern!r}") from None


def join_ids(ids: Iterable[str]) -> str:
    """Sentence ids joined with :data:`EVIDENCE_SEPARATOR`, in the order given."""
    return EVIDENCE_SEPARATOR.join(str(i) for i in ids)


def join_texts(texts: Iterable[str]) -> str:
    """Sentence texts joined with ``" | "`` for an evidence column."""
    return " | ".join(str(t) for t in texts)
