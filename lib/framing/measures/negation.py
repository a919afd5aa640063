"""Negation: one definition for the frame coder and the quality checklist.

A cue is negated when a negator stands in its clause, at most three words before it
("no serious side effects", "is not addictive", "non-addictive", "zero cases of abuse").
The clause is the text before the cue back to the last comma, semicolon, colon,
parenthesis, dash or contrast word ("but", "however", "although", "while" ...), at most
:data:`WINDOW` characters. "not only", "not just", "no longer", "no doubt", "without
doubt", "not without" are not negations. A negator inside a who-clause ("patients who have not responded to ...") is
about the patients, not the cue: :func:`negation` calls it ``"history"``.
Risk cues are also reversed by :data:`RISK_REVERSERS` ("reduces relapse", "few side effects").

The table of test phrases in ``tests/test_negation.py`` is the specification; both
:mod:`framing.measures.frames` and :mod:`framing.measures.quality` use the functions here.
"""

from __future__ import annotations

import re

__all__ = ["NEGATORS", "RISK_REVERSERS", "NEGATOR_ANCHORS", "REVERSER_ANCHORS", "WINDOW", "clause_before", "negation",
           "is_negated"]

#: Negators before a cue (at most three words between, same clause).
NEGATORS = (
    r"\bnot\b(?! only\b| just\b| merely\b| without\b)|\bno\b(?! longer\b| doubt\b| exception\b)|\bnever\b"
    r"|(?<!not )\bwithout\b(?! doubt\b| question\b)|\b\w+n't\b|\bcannot\b|\bnor\b|\bneither\b|\bnone\b|\black(s|ing)? of\b"
    r"|\babsence of\b|\bfree (of|from)\b|\bfail(s|ed)? to\b|\b(rarely|seldom|hardly)\b|\bzero\b|\bnon-"
)
#: Words that reverse a risk cue only ("prevents relapse", "few side effects").
RISK_REVERSERS = (
    r"\b(reduc\w+|lower\w*|minimi[sz]\w*|prevent\w*|mitigat\w*|avoid\w*|few|minimal|rare|rarely|little)\b"
)
#: Lower-case literal strings one of which every match of :data:`NEGATORS` contains, and of
#: :data:`RISK_REVERSERS`: the frame coder runs the negation patterns only when one occurs
#: (``tests/test_negation.py`` checks that no match lacks one).
NEGATOR_ANCHORS = ("absence of", "cannot", "fail", "free", "hardly", "lack", "n't", "neither", "never", "no", "non-",
                   "none", "nor", "not", "rarely", "seldom", "without", "zero")
REVERSER_ANCHORS = ("avoid", "few", "little", "lower", "minimal", "minimi", "mitigat", "prevent", "rare", "rarely", "reduc")
#: Characters looked at before a cue for its clause.
WINDOW = 80

_FLAGS = re.I
NEG_END = re.compile(r"(?:" + NEGATORS + r")(?:\W+\w+){0,3}\W*$", _FLAGS)
REV_END = re.compile(r"(?:" + RISK_REVERSERS + r")(?:\W+\w+){0,3}\W*$", _FLAGS)
NEG_ANY = re.compile(NEGATORS, _FLAGS)
NEG_COORD = re.compile(r"(?:" + NEGATORS + r")(?=(?:\W+\w+){0,6}\W*$)(?=.*\b(or|nor)\b)", _FLAGS)
WHO = re.compile(r"\bwho(m)?\b", _FLAGS)
CLAUSE_BREAK = re.compile(r"[,;:()\u2014]|\s-\s|\b(but|however|although|though|while|whereas|yet)\b", _FLAGS)


def clause_before(text: str, pos: int) -> str:
    """The text of the clause that ends at ``pos`` (at most :data:`WINDOW` characters)."""
    start = max(0, pos - WINDOW)
    window = text[start:pos]
    last = None
    for last in CLAUSE_BREAK.finditer(window):  # noqa: B007 - the last break is the one wanted
        pass
    return window[last.end():] if last else window


def negation(clause: str, reverser: re.Pattern | None = None, may_negate: bool = True) -> str:
    """'' if the cue after ``clause`` is not negated, 'negated', or 'history' (negation inside a who-clause).

    ``reverser``: also look for this pattern at the clause's end (:data:`REV_END` for risk
    cues). ``may_negate`` False: the unit holds no negator, so none is searched for.
    """
    m = (NEG_END.search(clause) or NEG_COORD.search(clause)) if may_negate else None
    if m is None and reverser is not None:
        m = reverser.search(clause)
    if m is None:
        return ""
    return "history" if WHO.search(clause, 0, m.start()) else "negated"


def is_negated(text: str, start: int) -> bool:
    """True when the cue starting at ``start`` in ``text`` does not stand as said: negated,
    or negated inside a who-clause about the patients (:func:`negation`)."""
    return negation(clause_before(text, start)) != ""
