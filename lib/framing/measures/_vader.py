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
* what does not depend on the lexicon is done once per text for all lexicons: which positions
  can hold a sentiment, whether the words around them can make a rule act (a word with none of
  them before it skips the rules, one with idiom words only runs the idiom check alone), and the
  punctuation emphasis;
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
    # lower-cased in one call: ASCII lower-casing makes no whitespace, and no word is empty or holds any
    return text, words, " ".join(words).lower().split(), 0 < len(words) - allcaps < len(words)


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


#: Words that make a rule of :func:`_valence` other than the idiom check change a valence, when
#: they stand before it (or are it).
_CORE_BLOCKERS = frozenset(_NEGATE | set(BOOSTER_DICT) | {"no", "never", "without", "doubt", "so", "this", "least", "or", "nor"})


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


#: How much of :func:`_valence` a position needs: none of its rules, the idiom check only, or all.
INERT, IDIOMS, FULL = 0, 1, 2


def _context(words: list[str], lw: list[str], known) -> list[tuple[int, str, int]]:
    """The positions that can hold a sentiment, each as (i, lower-cased word, how much of
    :func:`_valence` it needs), for any lexicon within ``known``: none of this depends on the lexicon.

    Boosters, the "kind" of "kind of" and words outside ``known`` count 0. When neither the word
    nor any of the three words before it is a booster, negator, "no", "least" or another word of
    the negation and "least" checks (``_CORE_BLOCKERS``), and none has "n't", every rule but the
    idiom check leaves the valence as it is (adds 0.0 to it), except capitals emphasis; when none
    of them is an idiom word either, the idiom check does too (``INERT``).
    """
    last = len(lw) - 1
    out = []
    for i, low in enumerate(lw):
        if low not in known or low in BOOSTER_DICT or (i < last and low == "kind" and lw[i + 1] == "of"):
            continue
        before = lw[max(0, i - 3):i]
        if low in _CORE_BLOCKERS or not _CORE_BLOCKERS.isdisjoint(before) or "n't" in " ".join(before):
            out.append((i, low, FULL))
        elif low in _IDIOM_WORDS or not _IDIOM_WORDS.isdisjoint(before):
            out.append((i, low, IDIOMS))
        else:
            out.append((i, low, INERT))
    return out


def _compound(lexicon: dict, words: list[str], lw: list[str], is_cap_diff: bool,
              context: list[tuple[int, str, int]], has_but: bool) -> float | None:
    """The sum of the sentiments with one lexicon, before punctuation emphasis (None when every
    sentiment is 0); ``context`` from :func:`_context`."""
    sentiments: list = [0] * len(lw) if has_but else []
    values = []
    for i, low, need in context:
        if low not in lexicon:
            continue
        if need == FULL:
            valence = _valence(lexicon, words, lw, i, is_cap_diff)
        else:
            valence = lexicon[low]
            if is_cap_diff and words[i].isupper():
                if valence > 0:
                    valence += C_INCR
                else:
                    valence -= C_INCR
            if need == IDIOMS and i > 2 and lw[i - 3] not in lexicon:  # _valence's only rule that acts here
                valence = _special_idioms_check(valence, lw, i)
        if has_but:
            sentiments[i] = valence
        else:
            values.append(valence)
    if has_but:
        _but_check(lw, sentiments)
        values = sentiments
    # the zeros VADER's list also holds change no partial sum (none is -0.0: the sum starts at int 0)
    return float(sum(values)) if values else None


def compounds(texts: Sequence[str], analyzers: Sequence[SentimentIntensityAnalyzer]) -> list[list[float]]:
    """``[[a.polarity_scores(t)["compound"] for t in texts] for a in analyzers]``, each text
    tokenised once for all analyzers (which differ in their lexicons only)."""
    out: list[list[float]] = [[] for _ in analyzers]
    known = set().union(*(a.lexicon for a in analyzers)) if len(analyzers) > 1 else analyzers[0].lexicon if analyzers else {}
    lexicons = [a.lexicon for a in analyzers]
    for text in texts:
        prepared = tokens(text)
        if prepared is None:
            for scores, analyzer in zip(out, analyzers):
                scores.append(analyzer.polarity_scores(text)["compound"])
            continue
        stripped, words, lw, is_cap_diff = prepared
        context = _context(words, lw, known)
        if not context:  # every sentiment is 0: compound round(normalize(0.0), 4) == 0.0
            for scores in out:
                scores.append(0.0)
            continue
        has_but = "but" in lw
        amplifier = None
        for scores, lexicon in zip(out, lexicons):
            sum_s = _compound(lexicon, words, lw, is_cap_diff, context, has_but)
            if sum_s is None:
                sum_s = 0.0
            if sum_s != 0:
                if amplifier is None:  # SentimentIntensityAnalyzer._punctuation_emphasis, which reads the text only
                    amplifier = SentimentIntensityAnalyzer._amplify_ep(stripped) + SentimentIntensityAnalyzer._amplify_qm(stripped)
                if sum_s > 0:
                    sum_s += amplifier
                else:
                    sum_s -= amplifier
            scores.append(round(normalize(sum_s), 4))
    return out
