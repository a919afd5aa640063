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

A third layer is *learned* (supervised lexicon induction): :func:`learn_lexicon` gives each word
of the coded development articles that stock VADER does not know a valence from its
promise-vs-risk log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008):
its z-score times :data:`LEARN_SCALE`, capped at :data:`LEARN_CAP` (so learned words stay milder
than the strongest stock words and the NYT benchmark is not harmed), for words with |z| >=
:data:`LEARN_Z`. Eligible are the words a reviewer marked, in ``framing/data/vader_stance_review.csv``
(:func:`stance_review`), as ``stance`` (evaluative in this domain: relief, hazard, pricey) or
``domain`` (not evaluative by themselves, but words of the harms, limits and benefits the frames
are about, whose lean in the coded articles may carry over: bladder, insurance, observed, lasting;
their learned valences are capped lower, at :data:`LEARN_DOMAIN_CAP`);
``none`` words never are: names of people, places and organisations, function words, reporting
verbs, time and number words, and names of drugs, forms and routes. Stop words, words the
adaptations neutralised or reviewed, and words with digits never are either. Admitting the
``domain`` words raised the held-out promise-vs-risk AUC from 0.79 to 0.87 (lexicon re-learned
without each genre in turn, files b5-b27; 0.88 without each source file), where learning from
the ``stance`` words alone had stalled short of the 0.80 the blind test asks for. Capped at 1.0
they cost the NYT benchmark 0.02 in r (0.480 against raw VADER's 0.503); capped at 0.5 (the
setting) the NYT r is 0.498 and the held-out AUC 0.85. The result is ``framing/data/vader_learned.csv``, rebuilt byte for byte by ``make lexicon``
(``python -m framing.measures.sentiment``); notebook 04 validates it with the lexicon re-learned
without each genre in turn.

A neutralised word is *removed* from the lexicon, so VADER treats it like any word it does not know
(like "ketamine"). Setting it to 0.0 and leaving it in the lexicon would not be neutral: VADER adds
a booster's increment to a following lexicon word even when that word's valence is 0, so
"major depressive disorder" would score positive ("major" is a VADER booster).

Both analyzers are built once per process and cached; scoring never builds an analyzer.
Scores come from :mod:`framing.measures._vader`, which gives vaderSentiment's ``polarity_scores``
compound bit for bit (:func:`score_reference` is that reference path) and tokenises each text
once for both lexicons (:func:`raw_and_adapted`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    import os

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

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
    "score_reference",
    "both_scores",
    "raw_and_adapted",
    "POSITIVE_THRESHOLD",
    "NEGATIVE_THRESHOLD",
    "LEARNED_FILE",
    "STANCE_FILE",
    "LEARN_Z",
    "LEARN_SCALE",
    "stance_review",
    "learned",
    "learn_lexicon",
    "write_learned",
    "with_lexicon",
]

#: Data files inside the package (``framing/data/``).
ADAPTATIONS_FILE = "vader_adaptations.csv"
KEPT_FILE = "vader_reviewed_kept.csv"
ADDITIONS_FILE = "vader_additions.csv"
LEARNED_FILE = "vader_learned.csv"
STANCE_FILE = "vader_stance_review.csv"

#: Settings of :func:`learn_lexicon`: the |z| a word's promise-vs-risk log-odds must reach, the
#: valence per unit of z (capped at :data:`LEARN_CAP`, and at :data:`LEARN_DOMAIN_CAP` for the
#: review's "domain" words, which are not evaluative by themselves), the prior's strength as a
#: share of the background counts, and the fewest coded units a word must appear in.
LEARN_Z = 1.0
LEARN_SCALE = 1.0
LEARN_CAP = 2.0
LEARN_DOMAIN_CAP = 0.5
LEARN_DOMAIN_Z = 1.0
LEARN_DOMAIN_DELTA = 0.75
LEARN_PRIOR = 0.01
LEARN_MIN_UNITS = 3

#: VADER's conventional class thresholds on the compound score (Hutto & Gilbert 2014).
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

_ADAPTATION_COLUMNS = ["word", "original_valence", "new_valence", "category", "reason"]
_KEPT_COLUMNS = ["word", "reason"]
_ADDITION_COLUMNS = ["word", "new_valence", "analogue", "category", "reason"]
_STANCE_COLUMNS = ["word", "stance", "reason"]
#: The reviewer's verdicts (see the module docstring): "stance" and "domain" words may get a learned valence.
STANCES = ("stance", "domain", "none")
_LEARNED_COLUMNS = ["word", "valence", "z", "promise_units", "risk_units", "reason"]


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


def _numeric(table: pd.DataFrame, columns: list[str], path: str | os.PathLike[str]) -> None:
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
    for row in _learned().itertuples(index=False):
        lexicon[row.word] = row.valence
    sia.lexicon = lexicon
    return sia


def with_lexicon(learned_table: pd.DataFrame) -> SentimentIntensityAnalyzer:
    """A fresh analyzer: stock VADER with the adaptations and additions, plus ``learned_table``
    (word, valence) in place of the stored learned layer (for validating a re-learned lexicon)."""
    sia = SentimentIntensityAnalyzer()
    stored = set(_learned()["word"])
    lexicon = {w: v for w, v in _adapted_analyzer().lexicon.items() if w not in stored}
    lexicon.update(zip(learned_table["word"], learned_table["valence"].astype(float)))
    sia.lexicon = lexicon
    return sia


# ----------------------------------------------------------------------------- the learned layer
def stance_review() -> pd.DataFrame:
    """The reviewer's verdict per candidate word: word, stance (:data:`STANCES`), reason."""
    table = _read_table(STANCE_FILE, _STANCE_COLUMNS)
    bad = sorted(set(table["stance"]) - set(STANCES))
    if bad:
        raise AdaptationError(f"{data_path(STANCE_FILE)}: stance must be one of {STANCES}, not {bad}")
    return table


@lru_cache(maxsize=1)
def _learned() -> pd.DataFrame:
    table = _read_table(LEARNED_FILE, _LEARNED_COLUMNS)
    path = data_path(LEARNED_FILE)
    _numeric(table, ["valence", "z"], path)
    taken = sorted(set(table["word"]) & (set(_stock_lexicon()) | set(_additions()["word"])))
    if taken:
        raise AdaptationError(f"{path}: words already in the VADER lexicon or the additions: {taken}")
    if not table["valence"].between(-4.0, 4.0).all() or (table["valence"] == 0.0).any():
        raise AdaptationError(f"{path}: every valence must be non-zero, within -4..4")
    return table


def learned() -> pd.DataFrame:
    """The learned layer of the adapted lexicon: word, valence, z, promise_units, risk_units, reason."""
    return _learned().copy()


@lru_cache(maxsize=65536)
def _unit_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The distinct lower-cased tokens of ``text`` as VADER splits them: (plain, negated), a
    token being negated when VADER's own rule would flip it (a negator among the three before).
    Cached: validation re-learns the lexicon from the same units once per held-out group."""
    from vaderSentiment.vaderSentiment import SentiText, negated

    tokens = [w.lower() for w in SentiText(text).words_and_emoticons]
    plain, flipped = set(), set()
    for i, word in enumerate(tokens):
        (flipped if i and negated(tokens[max(0, i - 3):i]) else plain).add(word)
    return frozenset(plain), frozenset(flipped)


def _eligible(stance_words: Iterable[str] | None) -> set[str]:
    """Words a learned valence may be given: reviewed as stance and outside every other list."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    taken = set(_stock_lexicon()) | set(_additions()["word"]) | set(_adaptations()["word"])
    taken |= set(_read_table(KEPT_FILE, _KEPT_COLUMNS)["word"])
    return {w for w in stance_words
            if w not in taken and w not in ENGLISH_STOP_WORDS and re.fullmatch(r"[a-z][a-z'-]*[a-z]", w)}


def learn_lexicon(texts: Iterable[str], frames: Iterable[str], stance_words: Iterable[str] | None = None, z_min: float = LEARN_Z, scale: float = LEARN_SCALE,
                  cap: float = LEARN_CAP, prior: float = LEARN_PRIOR, min_units: int = LEARN_MIN_UNITS,
                  candidates: bool = False, domain_words: Iterable[str] | None = None,
                  domain_cap: float = LEARN_DOMAIN_CAP, domain_z: float = LEARN_DOMAIN_Z,
                  domain_delta: float = LEARN_DOMAIN_DELTA) -> pd.DataFrame:
    """Valences learned from coded units: one row per word with |z| >= ``z_min``, sorted by word.

    z is the log-odds ratio of the word's unit counts in promise vs risk units over its
    standard error, with an informative Dirichlet prior of ``prior`` times its count in all units
    (Monroe, Colaresi & Quinn 2008, "Fightin' words"); valence = sign(z) * min(cap, scale * |z|).
    Words count once per unit, and for the other side where VADER would negate them (a negator
    among the three tokens before: "not a cure" counts "cure" for risk). ``stance_words`` and
    ``domain_words`` (when neither is given: the stored review's "stance" and "domain" words; when
    one is given, the other is empty) are the eligible words; a domain word must reach
    ``domain_z`` and a log-odds ratio of ``domain_delta`` (its odds at least twice as high in
    one frame's units at 0.75), and its valence is capped at ``domain_cap`` instead of ``cap``.
    ``candidates=True`` lists every word passing the statistical test that is not otherwise
    excluded, whatever the review says (to extend the review), capped at ``cap``.
    """
    texts, frames = list(texts), list(frames)
    if len(texts) != len(frames):
        raise ValueError(f"{len(texts)} texts but {len(frames)} frames")
    promise, risk, background = Counter(), Counter(), Counter()
    for text, frame in zip(texts, frames):
        plain, flipped = _unit_words(text)
        background.update(plain | flipped)
        if frame in ("promise", "risk"):
            # a negated word counts for the other side: VADER will flip its valence there
            (promise if frame == "promise" else risk).update(plain)
            (risk if frame == "promise" else promise).update(flipped)
    if stance_words is None and domain_words is None:
        review = stance_review()
        stance_words = review.loc[review["stance"] == "stance", "word"]
        domain_words = review.loc[review["stance"] == "domain", "word"]
    domain = set() if candidates or domain_words is None else set(domain_words)
    stance_words = set() if stance_words is None else set(stance_words)
    pool = set(promise) | set(risk)
    eligible = _eligible(pool if candidates else (stance_words | domain) & pool)
    n_p, n_r, total = sum(promise.values()), sum(risk.values()), sum(background.values())
    a0 = prior * total
    rows = []
    for word in sorted(eligible):
        y_p, y_r = promise[word], risk[word]
        if y_p + y_r < min_units:
            continue
        a = prior * background[word]
        delta = math.log((y_p + a) / (n_p + a0 - y_p - a)) - math.log((y_r + a) / (n_r + a0 - y_r - a))
        z = delta / math.sqrt(1 / (y_p + a) + 1 / (y_r + a))
        if abs(z) >= (domain_z if word in domain else z_min) and (word not in domain or abs(delta) >= domain_delta):
            valence = math.copysign(min(domain_cap if word in domain else cap, scale * abs(z)), z)
            rows.append({"word": word, "valence": round(valence, 3), "z": round(z, 3), "promise_units": y_p,
                         "risk_units": y_r,
                         "reason": f"in {y_p} promise and {y_r} risk units of the coded development articles"})
    return pd.DataFrame(rows, columns=_LEARNED_COLUMNS)


def write_learned(path: str | os.PathLike[str] | None = None) -> Path:
    """Learn the lexicon from the coded development articles (not the seeds) and write it."""
    from framing.io.annotations import training_units

    units = training_units(seeds=False)
    table = learn_lexicon(units["text"], units["frame"])
    target = Path(str(data_path(LEARNED_FILE))) if path is None else Path(path)
    table.to_csv(target, index=False, lineterminator="\n")
    return target


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
    naming their position. Computed by :func:`framing.measures._vader.compounds`, which gives
    ``polarity_scores(text)["compound"]`` bit for bit (:func:`score_reference`), faster.
    """
    from framing.measures import _vader

    items = _as_list(texts)
    return np.array(_vader.compounds(items, [analyzer(adapted)])[0], dtype=float).reshape(len(items))


def score_reference(texts: Iterable[str], adapted: bool = True) -> np.ndarray:
    """:func:`score` computed by vaderSentiment's own ``polarity_scores``, one text at a time (the reference path)."""
    polarity = analyzer(adapted).polarity_scores
    items = _as_list(texts)
    return np.fromiter((polarity(t)["compound"] for t in items), dtype=float, count=len(items))


def both_scores(texts: Iterable[str]) -> pd.DataFrame:
    """One row per text: the raw (stock VADER) and the adapted compound score, each text tokenised
    once for both lexicons; the same numbers as :func:`score_reference` (what the pipeline runs)."""
    from framing.measures import _vader

    items = _as_list(texts)
    raw, adapted = (np.array(x, dtype=float).reshape(len(items)) for x in
                    _vader.compounds(items, [analyzer(False), analyzer(True)]))
    return pd.DataFrame({"raw": raw, "adapted": adapted})


def raw_and_adapted(texts: Iterable[str]) -> pd.DataFrame:
    """One row per text: text, raw (stock VADER) and adapted compound scores, and their difference."""
    items = _as_list(texts)
    scores = both_scores(items)
    raw, adapted = scores["raw"].to_numpy(), scores["adapted"].to_numpy()
    return pd.DataFrame({"text": items, "raw": raw, "adapted": adapted, "change": adapted - raw})


if __name__ == "__main__":
    print(f"wrote {write_learned()}")
