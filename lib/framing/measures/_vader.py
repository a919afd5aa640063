"""VADER's compound score, the same numbers as vaderSentiment 3.3.2, several times faster.

``SentimentIntensityAnalyzer.polarity_scores`` (Hutto & Gilbert 2014) re-lower-cases the whole
word list for every lexicon word it meets (three times in its negation check, once in its
idiom check), rebuilds the text character by character to replace emoji, and computes the
``pos``/``neu``/``neg`` proportions that the project never reads. :func:`compounds` follows the
same rules, in the same order, with the same floating-point operations, on a word list
lower-cased once, and scores one tokenisation against several lexicons (stock and adapted):

* the text's words are VADER's (``str.split``, punctuation stripped from words longer than two
  characters after stripping), and the capitals differential is VADER's (some but not all
  words all capitals); a text without any lexicon word scores 0.0, as every rule leaves it;
* per word: boosters and "kind of" count 0; a lexicon word gets its valence, the "no" rules,
  capitals emphasis, the three preceding-word booster, negation and idiom checks, the "least"
  check, each a line-for-line port of the method it replaces, with vaderSentiment's own
  ``scalar_inc_dec`` and ``normalize``;
* the "but" rule keeps vaderSentiment's quirk (it finds each value by ``list.index``, so equal
  values are scaled at their first position), on the non-zero values only (:func:`_but_check`);
* punctuation emphasis and rounding as in ``score_valence``.

Texts that are not pure ASCII (where an emoji may be replaced by its description) are scored
by ``polarity_scores`` itself. ``tests/test_sentiment.py`` checks the two paths are equal bit for
bit on the NYT snippets, the seed and coded units, and generated adversarial text.
"""

from __future__ import annotations

import string
from collections.abc import Sequence

from vaderSentiment.vaderSentiment import (BOOSTER_DICT, C_INCR, N_SCALAR, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer,
                                           normalize, scalar_inc_dec)

__all__ = ["compounds", "tokens"]

_NEGATE = frozenset(NEGATE)
_PUNCTUATION = string.punctuation


def tokens(text: str) -> tuple[str, list[str], list[str], bool] | None:
    """VADER's preparation of an ASCII text: (text stripped, words, lower-cased words, capitals
    differential); None when the text is not ASCII (scored by ``polarity_scores``)."""
    if not text.isascii():
        return None
    text = text.strip()
    words = [w if len(s := w.strip(_PUNCTUATION)) <= 2 else s for w in text.split()]  # SentiText's words
    allcaps = sum(map(str.isupper, words))  # allcap_differential(words), counted in one pass
    return text, words, [w.lower() for w in words], 0 < len(words) - allcaps < len(words)


def _negated(word: str) -> bool:
    """``vaderSentiment.negated([word])`` for one lower-case word."""
    return word in _NEGATE or "n't" in word


def _negation_check(valence: float, lw: list[str], start_i: int, i: int) -> float:
    if start_i == 0:
        if _negated(lw[i - 1]):
            valence = valence * N_SCALAR
    if start_i == 1:
        if lw[i - 2] == "never" and (lw[i - 1] == "so" or lw[i - 1] == "this"):
            valence = valence * 1.25
        elif lw[i - 2] == "without" and lw[i - 1] == "doubt":
            valence = valence
        elif _negated(lw[i - 2]):
            valence = valence * N_SCALAR
    if start_i == 2:
        if lw[i - 3] == "never" and (lw[i - 2] == "so" or lw[i - 2] == "this") or (lw[i - 1] == "so" or lw[i - 1] == "this"):
            valence = valence * 1.25
        elif lw[i - 3] == "without" and (lw[i - 2] == "doubt" or lw[i - 1] == "doubt"):
            valence = valence
        elif _negated(lw[i - 3]):
            valence = valence * N_SCALAR
    return valence


#: Every word of a special case or of a multi-word booster: each sequence the idiom check
#: looks up holds word i-2, i-1 or i, so when none of these is here nothing can match.
_IDIOM_WORDS = frozenset(w for key in (*SPECIAL_CASES, *(b for b in BOOSTER_DICT if " " in b)) for w in key.split())


#: Words that make a rule of :func:`_valence` change a valence, when they stand before it (or are it).
_INERT_BLOCKERS = frozenset(_NEGATE | set(BOOSTER_DICT) | _IDIOM_WORDS
                            | {"no", "never", "without", "doubt", "so", "this", "least", "or", "nor"})


def _special_idioms_check(valence: float, lw: list[str], i: int) -> float:
    if lw[i] not in _IDIOM_WORDS and lw[i - 1] not in _IDIOM_WORDS and lw[i - 2] not in _IDIOM_WORDS:
        return valence
    onezero = f"{lw[i - 1]} {lw[i]}"
    twoonezero = f"{lw[i - 2]} {lw[i - 1]} {lw[i]}"
    twoone = f"{lw[i - 2]} {lw[i - 1]}"
    threetwoone = f"{lw[i - 3]} {lw[i - 2]} {lw[i - 1]}"
    threetwo = f"{lw[i - 3]} {lw[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lw) - 1 > i:
        zeroone = f"{lw[i]} {lw[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lw) - 1 > i + 1:
        zeroonetwo = f"{lw[i]} {lw[i + 1]} {lw[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _least_check(valence: float, lexicon: dict, lw: list[str], i: int) -> float:
    if i > 1 and lw[i - 1] not in lexicon and lw[i - 1] == "least":
        if lw[i - 2] != "at" and lw[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and lw[i - 1] not in lexicon and lw[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


def _valence(lexicon: dict, words: list[str], lw: list[str], i: int, is_cap_diff: bool) -> float:
    """``SentimentIntensityAnalyzer.sentiment_valence`` for a word ``lw[i]`` that is in ``lexicon``."""
    item, item_lowercase = words[i], lw[i]
    valence = lexicon[item_lowercase]
    if item_lowercase == "no" and i != len(words) - 1 and lw[i + 1] in lexicon:
        valence = 0.0
    if (i > 0 and lw[i - 1] == "no") or (i > 1 and lw[i - 2] == "no") \
            or (i > 2 and lw[i - 3] == "no" and lw[i - 1] in ["or", "nor"]):
        valence = lexicon[item_lowercase] * N_SCALAR
    if item.isupper() and is_cap_diff:
        if valence > 0:
            valence += C_INCR
        else:
            valence -= C_INCR
    for start_i in range(0, 3):
        if i > start_i and lw[i - (start_i + 1)] not in lexicon:
            # scalar_inc_dec is 0.0 for a word that is not a booster
            s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff) if lw[i - (start_i + 1)] in BOOSTER_DICT else 0.0
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation_check(valence, lw, start_i, i)
            if start_i == 2:
                valence = _special_idioms_check(valence, lw, i)
    return _least_check(valence, lexicon, lw, i)


def _but_check(lw: list[str], sentiments: list) -> None:
    """``SentimentIntensityAnalyzer._but_check`` in place, on the non-zero sentiments only.

    VADER walks the list and, for each value, scales the *first* entry equal to it (``list.index``)
    by 0.5 before the first "but" and 1.5 after it. A zero stays zero and never equals a non-zero
    value, so the non-zero entries, walked in order with their positions, end exactly as VADER
    leaves them (tested on generated text with repeated words around "but").
    """
    bi = lw.index("but")
    where = [i for i, v in enumerate(sentiments) if v != 0]
    values = [sentiments[i] for i in where]
    for k in range(len(values)):
        v = values[k]
        j = values.index(v)
        si = where[j]
        if si < bi:
            values[j] = v * 0.5
        elif si > bi:
            values[j] = v * 1.5
    for i, v in zip(where, values):
        sentiments[i] = v


def _compound(analyzer: SentimentIntensityAnalyzer, text: str, words: list[str], lw: list[str], is_cap_diff: bool,
              candidates: list[int]) -> float:
    """The compound score with one lexicon; ``candidates``: the positions whose word is in any of the lexicons."""
    lexicon = analyzer.lexicon
    sentiments: list = [0] * len(lw)  # boosters, "kind" of "kind of" and words outside the lexicon count 0
    last = len(lw) - 1
    for i in candidates:
        low = lw[i]
        if low not in lexicon or low in BOOSTER_DICT or (i < last and low == "kind" and lw[i + 1] == "of"):
            continue
        before = lw[max(0, i - 3):i]
        if low in _INERT_BLOCKERS or not _INERT_BLOCKERS.isdisjoint(before) or "n't" in " ".join(before):
            sentiments[i] = _valence(lexicon, words, lw, i, is_cap_diff)
            continue
        # none of the three words before is a booster, negator, "no", "least" or idiom word and the
        # word is no "no" or idiom word: every rule of _valence leaves the valence as it is
        # (adds 0.0 to a lexicon valence), except capitals emphasis
        valence = lexicon[low]
        if is_cap_diff and words[i].isupper():
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        sentiments[i] = valence
    if "but" in lw:
        _but_check(lw, sentiments)
    if not sentiments:
        return 0.0
    sum_s = float(sum(sentiments))
    punct_emph_amplifier = analyzer._punctuation_emphasis(text)
    if sum_s > 0:
        sum_s += punct_emph_amplifier
    elif sum_s < 0:
        sum_s -= punct_emph_amplifier
    return round(normalize(sum_s), 4)


def compounds(texts: Sequence[str], analyzers: Sequence[SentimentIntensityAnalyzer]) -> list[list[float]]:
    """``[[a.polarity_scores(t)["compound"] for t in texts] for a in analyzers]``, each text
    tokenised once for all analyzers (which differ in their lexicons only)."""
    out: list[list[float]] = [[] for _ in analyzers]
    known = set().union(*(a.lexicon for a in analyzers)) if len(analyzers) > 1 else analyzers[0].lexicon if analyzers else {}
    for text in texts:
        prepared = tokens(text)
        if prepared is None:
            for scores, analyzer in zip(out, analyzers):
                scores.append(analyzer.polarity_scores(text)["compound"])
            continue
        stripped, words, lw, is_cap_diff = prepared
        candidates = [i for i, low in enumerate(lw) if low in known]
        if not candidates:  # every sentiment is 0: compound round(normalize(0.0), 4) == 0.0
            for scores in out:
                scores.append(0.0)
            continue
        for scores, analyzer in zip(out, analyzers):
            scores.append(_compound(analyzer, stripped, words, lw, is_cap_diff, candidates))
    return out
