"""Sentence sentiment with VADER, adapted to health news on depression treatment.

Plain VADER reads the names of the condition and topic as the writer's negative stance:
``depression`` is -2.7 and ``suicidal`` -3.5 in its lexicon, so "Esketamine offers rapid relief
for treatment-resistant depression." scores -0.15. The adapted scorer removes such topic words
from a *copy* of VADER's lexicon; the stance words (relief, promising, risk, abuse, ...) keep their
valence. Every change is data, with a reason, in ``framing/data/vader_adaptations.csv``
(:func:`adaptations`); words that were reviewed and deliberately left alone are listed with a reason
in ``framing/data/vader_reviewed_kept.csv`` (:func:`reviewed_kept`). Stance words of the domain that
stock VADER does not know at all (named harms such as dissociation and nausea, misuse, evidence
gaps, cost barriers; benefit words such as remission and breakthrough) are added with a valence
set next to a stock word of like sense, in ``framing/data/vader_additions.csv`` (:func:`additions`).
The additions were chosen from the promise-vs-risk log-odds of half of the project's coded
articles (files b1-b4) and checked on the files written after them (b5 onwards); notebook 04 reports both.

A neutralised word is *removed* from the lexicon, so VADER treats it like any word it does not know
(like "ketamine"). Setting it to 0.0 and leaving it in the lexicon would not be neutral: VADER adds
a booster's increment to a following lexicon word even when that word's valence is 0, so
"major depressive disorder" would score positive ("major" is a VADER booster).

Both analyzers are built once per process and cached; scoring never builds an analyzer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from framing.io.datafiles import data_path

__all__ = [
    "AdaptationError",
    "ADAPTATIONS_FILE",
    "KEPT_FILE",
    "adaptations",
    "reviewed_kept",
    "additions",
    "ADDITIONS_FILE",
    "analyzer",
    "score",
    "raw_and_adapted",
    "POSITIVE_THRESHOLD",
    "NEGATIVE_THRESHOLD",
]

#: Data files inside the package (``framing/data/``).
ADAPTATIONS_FILE = "vader_adaptations.csv"
KEPT_FILE = "vader_reviewed_kept.csv"
ADDITIONS_FILE = "vader_additions.csv"

#: VADER's conventional class thresholds on the compound score (Hutto & Gilbert 2014).
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

_ADAPTATION_COLUMNS = ["word", "original_valence", "new_valence", "category", "reason"]
_KEPT_COLUMNS = ["word", "reason"]
_ADDITION_COLUMNS = ["word", "new_valence", "analogue", "category", "reason"]


class AdaptationError(ValueError):
    """A lexicon data file does not match its format or the installed VADER lexicon."""




def _read_table(name: str, columns: list[str]) -> pd.DataFrame:
    path = data_path(name)
    with resources.as_file(path) as real:
        try:
            table = pd.read_csv(real, dtype={"word": str}, keep_default_na=False)
        except (OSError, pd.errors.ParserError) as err:
            raise AdaptationError(f"{real}: cannot be read as CSV ({err})") from err
    if list(table.columns) != columns:
        raise AdaptationError(f"{path}: columns are {list(table.columns)}, expected {columns}")
    if (table["word"].str.strip() == "").any() or (table["reason"].str.strip() == "").any():
        raise AdaptationError(f"{path}: every row needs a word and a reason")
    if (table["word"] != table["word"].str.lower()).any():
        raise AdaptationError(f"{path}: words must be lower case (VADER looks words up lower-cased)")
    dup = table["word"][table["word"].duplicated()].tolist()
    if dup:
        raise AdaptationError(f"{path}: words listed twice: {dup}")
    return table


def _numeric(table: pd.DataFrame, columns: list[str], path) -> None:
    """Convert ``columns`` of a lexicon table to float in place; AdaptationError naming the file if not numeric."""
    for col in columns:
        try:
            table[col] = table[col].astype(float)
        except ValueError as err:
            raise AdaptationError(f"{path}: column {col} is not numeric ({err})") from err


@lru_cache(maxsize=1)
def _stock_lexicon() -> dict[str, float]:
    return dict(_raw_analyzer().lexicon)


@lru_cache(maxsize=1)
def _adaptations() -> pd.DataFrame:
    table = _read_table(ADAPTATIONS_FILE, _ADAPTATION_COLUMNS)
    path = data_path(ADAPTATIONS_FILE)
    _numeric(table, ["original_valence", "new_valence"], path)
    stock = _stock_lexicon()
    problems = []
    for row in table.itertuples(index=False):
        if row.word not in stock:
            problems.append(f"{row.word!r} is not in the installed VADER lexicon")
        elif not math.isclose(stock[row.word], row.original_valence):
            problems.append(
                f"{row.word!r}: original_valence {row.original_valence} but the installed "
                f"lexicon has {stock[row.word]}"
            )
        if not -4.0 <= row.new_valence <= 4.0:
            problems.append(f"{row.word!r}: new_valence {row.new_valence} outside -4..4")
    if problems:
        raise AdaptationError(f"{path}:\n  - " + "\n  - ".join(problems))
    return table


@lru_cache(maxsize=1)
def _additions() -> pd.DataFrame:
    table = _read_table(ADDITIONS_FILE, _ADDITION_COLUMNS)
    path = data_path(ADDITIONS_FILE)
    _numeric(table, ["new_valence"], path)
    stock = _stock_lexicon()
    problems = []
    for row in table.itertuples(index=False):
        if row.word in stock:
            problems.append(f"{row.word!r} is already in the VADER lexicon (change it in {ADAPTATIONS_FILE})")
        if row.analogue not in stock:
            problems.append(f"{row.word!r}: analogue {row.analogue!r} is not a VADER word")
        if not (-4.0 <= row.new_valence <= 4.0) or row.new_valence == 0.0:
            problems.append(f"{row.word!r}: new_valence {row.new_valence} must be non-zero, within -4..4")
    if problems:
        raise AdaptationError(f"{path}:\n  - " + "\n  - ".join(problems))
    return table


def additions() -> pd.DataFrame:
    """Domain words added to the adapted lexicon: word, new_valence, analogue (the stock word
    whose valence guided the value), category, reason."""
    return _additions().copy()


def adaptations() -> pd.DataFrame:
    """The documented lexicon changes: word, original_valence, new_valence, category, reason.

    new_valence 0.0 means the word is removed from the lexicon (see the module docstring).
    """
    return _adaptations().copy()


def reviewed_kept() -> pd.DataFrame:
    """Words reviewed for the adaptation and deliberately left unchanged: word, reason."""
    table = _read_table(KEPT_FILE, _KEPT_COLUMNS)
    missing = sorted(set(table["word"]) - set(_stock_lexicon()))
    if missing:
        raise AdaptationError(f"{data_path(KEPT_FILE)}: not in the installed VADER lexicon: {missing}")
    clash = sorted(set(table["word"]) & set(_adaptations()["word"]))
    if clash:
        raise AdaptationError(f"{data_path(KEPT_FILE)}: words also in {ADAPTATIONS_FILE}: {clash}")
    return table


@lru_cache(maxsize=1)
def _raw_analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _adapted_analyzer() -> SentimentIntensityAnalyzer:
    sia = SentimentIntensityAnalyzer()
    lexicon = dict(sia.lexicon)  # a copy: the stock analyzer is never modified
    for row in _adaptations().itertuples(index=False):
        if row.new_valence == 0.0:
            del lexicon[row.word]
        else:
            lexicon[row.word] = row.new_valence
    for row in _additions().itertuples(index=False):
        lexicon[row.word] = row.new_valence
    sia.lexicon = lexicon
    return sia


def analyzer(adapted: bool = True) -> SentimentIntensityAnalyzer:
    """The cached VADER analyzer, domain-adapted (default) or stock. Do not modify it."""
    return _adapted_analyzer() if adapted else _raw_analyzer()


def _as_list(texts: Iterable[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("score() takes a list of texts, not a single string; wrap it in a list")
    items = list(texts)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise TypeError(f"text at position {i} is {type(text).__name__} ({text!r}), not str")
    return items


def score(texts: Iterable[str], adapted: bool = True) -> np.ndarray:
    """VADER compound score in [-1, 1] per text, same order; adapted lexicon by default.

    ``[]`` gives an empty array and ``""`` gives 0.0. Non-string items (None, NaN) raise TypeError
    naming their position.
    """
    polarity = analyzer(adapted).polarity_scores
    items = _as_list(texts)
    return np.fromiter(
        (polarity(t)["compound"] for t in items), dtype=float, count=len(items)
    )


def raw_and_adapted(texts: Iterable[str]) -> pd.DataFrame:
    """One row per text: text, raw (stock VADER) and adapted compound scores, and their difference."""
    items = _as_list(texts)
    raw = score(items, adapted=False)
    adapted = score(items, adapted=True)
    return pd.DataFrame({"text": items, "raw": raw, "adapted": adapted, "change": adapted - raw})
