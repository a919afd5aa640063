"""Rule-based coding of promise and risk framing, hype and hedging, one unit at a time.

:func:`label` applies the codebook (``data/annotations/codebook.md``) to a list
of texts (sentences or heading lines) and returns one row per text with the
frame, the hype and hedge flags, every cue that fired and the risk sub-themes.

Everything the rules know is in the module-level lexicons below: each cue has a
name and a regular expression, so a reader can see why a unit got its label
(the ``*_cues`` columns) and a coder can argue with a single cue.

How a unit is coded, in order:

1. **boilerplate** when a cleaning rule of :mod:`framing.io.clean` fires on the
   text alone (navigation crumb, affiliate disclaimer, share prompt, site
   widget, hashtag list, foreign-script site label), when an extra page-furniture
   cue fires (:data:`BOILERPLATE_CUES`), or when the text is an off-topic
   headline (headline-like and no word about ketamine, depression or treatment).
2. Empty text: **neutral**, no cues.
3. Cues are matched. Each promise or risk match is checked for
   * **negation**: a negator ("not", "no", "never", "without", "n't", "lack of",
     "zero", "non-", ...; see :mod:`framing.measures.negation`) at most three words before the cue in the same
     clause flips it: a negated risk is reassurance about safety ("no serious
     side effects", "not dangerous": promise, cue ``no_<name>``), a negated
     promise or hype word is a limit ("not a cure", "not effective": risk, cue
     ``not_<name>``, and no hype). Risk cues are also reversed by "reduce",
     "prevent", "minimise", "few", "rare" ("prevents relapse"). Risk cues whose
     negation is still a risk are never flipped (:data:`UNFLIPPED_RISK_CUES`:
     "no head-to-head trials", "not covered"). A negator followed by a list with
     "or" reaches up to six words ("does not cause weight gain or sexual side
     effects"). "not only",
     "no longer", "no doubt" and "not without" do not negate. Limits that are
     themselves negative ("does not work for everyone", "not suitable for
     everyone", "not a one-size-fits-all solution") are risk cues of their own.
   * **patient history**: a negation inside a relative clause about patients
     ("those who have not responded", "who may not have access") describes the
     patients, not the treatment: the cue is dropped.
   * **reference only**: "despite these considerations", "despite the
     challenges" refer to a risk without naming it: cues inside such a phrase
     are dropped. Likewise "these benefits" only refers back to a promise.
   * **goals and research objects**: claim words ("effective", "efficacy",
     "safety", "potential", "benefits") that are the object of research or of a
     goal ("explore the efficacy", "to ensure safe and effective use",
     "delves into the potential") are not claims and are dropped.
   * **comparator clause**: "unlike traditional antidepressants, which ..." is
     about the other treatment: cues inside it are dropped and the unit gets
     the promise cue ``advantage_over_conventional``.
4. A unit about conventional antidepressants only (it names traditional,
   standard, other ... treatments and neither ketamine/esketamine nor "this
   treatment/approach") is **neutral** background: its promise and risk cues
   are dropped (noted as ``conventional_background``).
5. **Contrast**: promise and risk cues that both survive make the unit
   **mixed** (so "While safe but not universal, it offers hope" and "Side
   effects ..., which are generally mild and transient" are mixed: the harm
   minimiser is a promise cue); otherwise promise, risk or neutral.

Speed: every cue regex is compiled once at import, with its anchors: literal
strings one of which any match must contain (written in the cue table beside each
pattern, and in :mod:`framing.measures.negation` for its patterns). One trie-shaped regex
finds all anchors present in the lower-cased unit in a single pass, and only
the cues with an anchor present are run; the others cannot match. Where the
``hyperscan`` package is installed (x86-64), units of printable ASCII are gated by
one Hyperscan scan instead, which reports the cues whose pattern may match (a
superset, so Python's ``re`` still decides every match): the same table, about
twice as fast (tests compare both gates on real and generated text).

``hype`` is true when a hype cue fires un-negated; ``hedge`` when any hedge cue
fires. Sub-themes are the named risk themes of the risk cues that survived.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from framing.io.clean import normalise, RULES as _CLEAN_RULES
from framing.measures.negation import NEG_ANY as _NEG_ANY
from framing.measures.negation import NEGATOR_ANCHORS, REVERSER_ANCHORS, negation
from framing.measures.negation import REV_END as _REV_END
from framing.measures.negation import WHO as _WHO
from framing.measures.negation import WINDOW as _WINDOW
from framing.measures.negation import clause_before as _clause_before

__all__ = [
    "label",
    "FRAMES",
    "SUBTHEMES",
    "COLUMNS",
    "PROMISE_CUES",
    "RISK_CUES",
    "HYPE_CUES",
    "HEDGE_CUES",
    "BOILERPLATE_CUES",
    "cue_lexicon",
    "CUES_FILE",
    "PROB_COLUMNS",
    "METHODS",
]

FRAMES = ("promise", "risk", "mixed", "neutral", "boilerplate")

#: Risk sub-themes (names fixed by the project), in reporting order.
SUBTHEMES = (
    "acute_effects",
    "abuse_misuse",
    "long_term_unknowns",
    "evidence_gaps",
    "monitoring_supervision",
    "cost_access",
    "not_for_everyone",
    "effects_fade",
)

COLUMNS = [
    "frame", "hype", "hedge",
    "promise_cues", "risk_cues", "hype_cues", "hedge_cues", "boilerplate_cues",
    "subthemes", *SUBTHEMES, "notes",
]

# ----------------------------------------------------------------- lexicons
# Every cue lives in ``framing/data/frame_cues.csv`` (:data:`CUES_FILE`), one row per cue:
# kind (promise, risk, hype, hedge, boilerplate, or structure for the patterns the rules use to
# read a unit's structure), name, sub-theme (risk cues), pattern, anchors, context (a risk cue
# that counts only when the unit also matches it) and flags ("claim": a promise cue dropped when
# it is the object of research or a goal; "unflipped": a risk cue whose negation is still a
# risk). Every pattern is matched case-insensitively against the unit after
# framing.io.clean.normalise (ASCII quotes, plain spaces).
#
# ``anchors``: lower-case literal strings, joined by "|", one of which every match of the
# pattern contains ("*": none, the cue is always run). They are written out, not derived, and
# checked at load: each must occur in the pattern's own text. The test suite checks on the
# coded units and adversarial text that no match lacks an anchor.

#: The cue table inside the package (``framing/data/``).
CUES_FILE = "frame_cues.csv"
_CUE_COLUMNS = ["kind", "name", "subtheme", "pattern", "anchors", "context", "flags"]
_KINDS = ("promise", "risk", "hype", "hedge", "boilerplate", "structure")
_STRUCTURE = ("goal_before", "under_study_after", "reference_only", "comparator", "conventional", "ketamine",
              "anaphor", "topic")


def _unescaped(pattern: str) -> str:
    """The pattern's text with regex escapes of punctuation removed and case folded (for the anchor check)."""
    return re.sub(r"\\([^A-Za-z0-9])", r"\1", pattern).lower()


def _read_cues(path: str | Path | None = None) -> pd.DataFrame:
    """The cue table (default: the package's), checked: columns, kinds, names, sub-themes, flags,
    patterns and contexts that compile, anchors; RuleError naming the file and row if not."""
    from framing.io.datafiles import RuleError, compile_pattern, data_path, read_rule_table

    path = Path(str(data_path(CUES_FILE))) if path is None else Path(path)
    table = read_rule_table(path, _CUE_COLUMNS, "name")
    problems = []
    for i, row in enumerate(table.itertuples(index=False), start=1):
        where = f"row {i} ({row.kind} {row.name})"
        if row.kind not in _KINDS:
            problems.append(f"{where}: kind must be one of {_KINDS}")
        if row.kind == "risk" and row.subtheme not in (*SUBTHEMES, ""):
            problems.append(f"{where}: sub-theme {row.subtheme!r} is not one of {SUBTHEMES}")
        if row.flags not in ("", "claim", "unflipped") or (row.flags == "claim") != (row.kind == "promise" and row.flags == "claim"):
            problems.append(f"{where}: flags must be empty, 'claim' (promise cues) or 'unflipped' (risk cues)")
        if row.flags == "unflipped" and row.kind != "risk":
            problems.append(f"{where}: only risk cues can be 'unflipped'")
        if row.context and row.kind != "risk":
            problems.append(f"{where}: only risk cues take a context")
        for column in ("pattern", "context"):
            compile_pattern(getattr(row, column), path=path, row=i, rule_id=row.name, column=column, flags=_FLAGS)
        if not row.pattern:
            problems.append(f"{where}: empty pattern")
        if row.anchors != "*":
            anchors = [a.strip() for a in row.anchors.split("|")]
            text = _unescaped(row.pattern)
            bad = [a for a in anchors if not a or a != a.lower() or a not in text]
            if bad:
                problems.append(f"{where}: anchors {bad} are not lower-case literal parts of the pattern")
    dup = table.loc[table.duplicated(["kind", "name"]), "name"].tolist()
    if dup:
        problems.append(f"cues listed twice: {dup}")
    missing = sorted(set(_STRUCTURE) - set(table.loc[table["kind"] == "structure", "name"]))
    if missing:
        problems.append(f"structure patterns missing: {missing}")
    if problems:
        raise RuleError(f"{path}:\n  - " + "\n  - ".join(problems))
    return table


_FLAGS = re.I
_CUES = _read_cues()


def _of(kind: str) -> pd.DataFrame:
    return _CUES[_CUES["kind"] == kind]


#: Promise cues: (name, regex), in the table's order.
PROMISE_CUES: tuple[tuple[str, str], ...] = tuple(zip(_of("promise")["name"], _of("promise")["pattern"]))
#: Promise cues that are claims only when not the object of research or a goal.
CLAIM_CUES = frozenset(_of("promise").loc[lambda t: t["flags"] == "claim", "name"])
#: Risk cues: (name, sub-theme or "", regex).
RISK_CUES: tuple[tuple[str, str, str], ...] = tuple(zip(_of("risk")["name"], _of("risk")["subtheme"], _of("risk")["pattern"]))
#: Risk cues whose negation is still a risk ("no head-to-head trials", "not covered"): never flipped.
UNFLIPPED_RISK_CUES = frozenset(_of("risk").loc[lambda t: t["flags"] == "unflipped", "name"])
#: Risk cues that count only when the unit also matches this context (an uncertainty or a need).
RISK_CONTEXT = dict(_of("risk").loc[lambda t: t["context"] != "", ["name", "context"]].itertuples(index=False))
#: Hype: promotional or superlative wording about the treatment (also promise cues).
HYPE_CUES: tuple[tuple[str, str], ...] = tuple(zip(_of("hype")["name"], _of("hype")["pattern"]))
#: Hedges: markers of uncertainty or tentativeness.
HEDGE_CUES: tuple[tuple[str, str], ...] = tuple(zip(_of("hedge")["name"], _of("hedge")["pattern"]))
#: Page furniture beyond the cleaning rules of framing.io.clean (which are applied first).
BOILERPLATE_CUES: tuple[tuple[str, str], ...] = tuple(zip(_of("boilerplate")["name"], _of("boilerplate")["pattern"]))
_STRUCTURE_PATTERNS = dict(_of("structure")[["name", "pattern"]].itertuples(index=False))
#: A claim word preceded, in its clause, by research or a goal is not a claim.
GOAL_BEFORE = _STRUCTURE_PATTERNS["goal_before"]
#: ... and a claim word followed, in its clause, by "is still being studied" or "not understood".
UNDER_STUDY_AFTER = _STRUCTURE_PATTERNS["under_study_after"]
#: Phrases that only refer to risks or benefits named elsewhere: cues inside are dropped.
REFERENCE_ONLY = _STRUCTURE_PATTERNS["reference_only"]
#: "Unlike traditional antidepressants, which ...": the clause is about the comparator.
COMPARATOR = _STRUCTURE_PATTERNS["comparator"]
#: Conventional treatments, named as such.
CONVENTIONAL = _STRUCTURE_PATTERNS["conventional"]
#: The treatment the codebook is about: ketamine and relatives, or "this treatment/approach".
KETAMINE = _STRUCTURE_PATTERNS["ketamine"]
ANAPHOR = _STRUCTURE_PATTERNS["anaphor"]
#: Topic words: a headline without any of them is off topic.
TOPIC = _STRUCTURE_PATTERNS["topic"]
#: Anchors per (kind, name) as written in the table (None: always run).
_TABLE_ANCHORS = {(k, n): (None if a == "*" else frozenset(x.strip() for x in a.split("|")))
                  for k, n, a in _CUES[["kind", "name", "anchors"]].itertuples(index=False)}



def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, written as a trie so that the longest word wins at each position."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(root)


def _compile(kind: str, entries: Iterable[tuple[str, str]]) -> tuple:
    return tuple((name, re.compile(pattern, _FLAGS), _TABLE_ANCHORS[(kind, name)]) for name, pattern in entries)


_PROMISE = _compile("promise", PROMISE_CUES)
_RISK = tuple((name, theme, re.compile(pattern, _FLAGS), _TABLE_ANCHORS[("risk", name)],
               re.compile(RISK_CONTEXT[name], _FLAGS) if name in RISK_CONTEXT else None)
              for name, theme, pattern in RISK_CUES)
_HYPE = _compile("hype", HYPE_CUES)
_HEDGE = _compile("hedge", HEDGE_CUES)
#: Every promise, risk and hype cue in the order the coder tries them: (kind, name, pattern,
#: risk sub-theme or None, context pattern the sentence must match or None).
_CUE_ORDER = (tuple(("promise", name, rx, None, None) for name, rx, _ in _PROMISE)
              + tuple(("risk", name, rx, theme, context) for name, theme, rx, _, context in _RISK)
              + tuple(("hype", name, rx, None, None) for name, rx, _ in _HYPE))
#: Where a negated cue counts, and the prefix of its name there.
_NEGATED_AS = {"promise": ("risk", "not_"), "risk": ("promise", "no_"), "hype": ("risk", "not_")}

# One scan finds the anchors of every cue. At each position of the lower-cased unit the
# lookahead matches the longest anchor starting there; the anchors that are prefixes of it
# start there too, so each anchor maps to the cues of itself and of all its prefixes.
#: Patterns beside the cues that are run only when one of their anchors occurs (gate keys
#: ``("gate", name)``): the negators and reversers (every match of the negation patterns starts
#: with one of theirs, and a cue's clause is part of its unit), the structural patterns and
#: the boilerplate cues.
_GATED = {"negator": NEGATOR_ANCHORS, "reverser": REVERSER_ANCHORS,
          **{gate: _TABLE_ANCHORS[("structure", name)] for gate, name in
             (("reference", "reference_only"), ("comparator", "comparator"), ("conventional", "conventional"),
              ("ketamine", "ketamine"), ("anaphor", "anaphor"))},
          **{f"boilerplate:{n}": _TABLE_ANCHORS[("boilerplate", n)] for n, _ in BOILERPLATE_CUES}}
_CUE_ANCHORS = ([(("promise", n), a) for n, _, a in _PROMISE] + [(("risk", n), a) for n, _, _, a, _ in _RISK]
                + [(("hype", n), a) for n, _, a in _HYPE] + [(("hedge", n), a) for n, _, a in _HEDGE]
                + [(("gate", n), None if a is None else frozenset(a)) for n, a in _GATED.items()])
_ALWAYS = frozenset(key for key, anchors in _CUE_ANCHORS if anchors is None)
_ALL_ANCHORS = sorted({a for _, anchors in _CUE_ANCHORS if anchors for a in anchors})
_CUES_OF = {a: frozenset(key for key, anchors in _CUE_ANCHORS if anchors and any(a.startswith(b) for b in anchors))
            for a in _ALL_ANCHORS}
_SCAN = re.compile("(?=(" + _trie_regex(_ALL_ANCHORS) + "))")


#: The characters other than ASCII letters that ``re.I`` matches to an ASCII letter, and that
#: ``str.lower`` does not turn into it (U+212A, the Kelvin sign, lower-cases to "k" already).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def names_ketamine(text: str) -> bool:
    """Whether ``text`` names ketamine, esketamine, a product or a form of it (:data:`KETAMINE`)."""
    return _KETAMINE.search(text) is not None


def _gate_text(text: str) -> str:
    """The text the anchors are looked for in: case-folded the way ``re.I`` matches ASCII letters."""
    return text.translate(_FOLD).lower()


def _present(lower: str) -> set:
    """Keys (kind, name) of the cues with an anchor in ``lower`` (a :func:`_gate_text`): no other cue can match."""
    keys = set(_ALWAYS)
    for m in _SCAN.finditer(lower):
        keys |= _CUES_OF[m.group(1)]
    return keys


# The fast gate (Hyperscan). One Hyperscan database holds, with one id per key: every cue
# pattern and the structural patterns matched on the whole unit (reference, comparator,
# conventional, ketamine, anaphor), compiled in prefilter mode, which matches a superset of
# what the pattern matches; and, as literals, the anchors of the gates whose patterns are
# matched on part of the unit (negators and reversers on a clause, boilerplate cues on the
# stripped line), which keep exactly their anchor test. Python's ``re`` still decides every
# match, so a reported key only allows a search that may find nothing. The fast gate is used
# on units of printable ASCII only, where ``re.I`` and Hyperscan's caseless mode, ``\w``,
# ``\b``, ``\s`` and ``.`` agree; any other unit, or a machine without the ``hyperscan``
# package, takes the anchor scan (:func:`_present`), the reference path.

#: Gates whose patterns are matched on the whole unit: prefiltered like the cues.
_WHOLE_UNIT_GATES = {"reference": REFERENCE_ONLY, "comparator": COMPARATOR, "conventional": CONVENTIONAL,
                     "ketamine": KETAMINE, "anaphor": ANAPHOR}


def _hyperscan_entries() -> list[tuple[tuple, str, str]]:
    """(key, expression, "pattern" or "literal") for the Hyperscan database, in a fixed order."""
    entries = [(("promise", n), rx.pattern, "pattern") for n, rx, _ in _PROMISE]
    entries += [(("risk", n), rx.pattern, "pattern") for n, _, rx, _, _ in _RISK]
    entries += [(("hype", n), rx.pattern, "pattern") for n, rx, _ in _HYPE]
    entries += [(("hedge", n), rx.pattern, "pattern") for n, rx, _ in _HEDGE]
    entries += [(("gate", g), p, "pattern") for g, p in _WHOLE_UNIT_GATES.items()]
    for key, anchors in _CUE_ANCHORS:
        if key[0] == "gate" and key[1] not in _WHOLE_UNIT_GATES and anchors is not None:
            # an anchor outside ASCII cannot occur in a unit the fast gate sees
            entries += [(key, re.escape(a), "literal") for a in sorted(anchors) if a.isascii()]
    return entries


class _Scanner:
    """The compiled Hyperscan database and the key of each id (built on first use, in this process)."""

    def __init__(self) -> None:
        import hyperscan

        entries = _hyperscan_entries()
        self.keys = list(dict.fromkeys(key for key, _, _ in entries))
        ids = {key: i for i, key in enumerate(self.keys)}
        common = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
        pattern = common | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_ALLOWEMPTY
        self.db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self.db.compile(expressions=[e.encode() for _, e, _ in entries], ids=[ids[k] for k, _, _ in entries],
                        elements=len(entries), flags=[pattern if how == "pattern" else common for _, _, how in entries])
        self.scratch = hyperscan.Scratch(self.db)
        #: Keys run whatever the text (no anchors and not in the database).
        self.always = frozenset(_ALWAYS - set(self.keys))

    def keys_in(self, text: str) -> set:
        """Keys that may match ``text`` (printable ASCII): a superset of the matching cues and
        structural patterns, exactly the gates with an anchor in it."""
        found: list[int] = []
        self.db.scan(text.encode("ascii"), match_event_handler=_collect, context=found, scratch=self.scratch)
        keys = self.keys
        return {keys[i] for i in found} | self.always


def _collect(id_: int, start: int, end: int, flags: int, found: list) -> None:
    found.append(id_)


_SCANNER: _Scanner | None | bool = False  # False: not built yet; None: Hyperscan unavailable


def _scanner() -> _Scanner | None:
    """The Hyperscan gate, or None (no ``hyperscan`` package, or ``FRAMING_HYPERSCAN=0``)."""
    global _SCANNER
    if _SCANNER is False:
        import os

        if os.environ.get("FRAMING_HYPERSCAN", "1") == "0":
            _SCANNER = None
        else:
            try:
                _SCANNER = _Scanner()
            except ImportError:
                _SCANNER = None
    return _SCANNER


def _present_keys(text: str) -> set:
    """Keys of the cues and gates that may match the unit ``text`` (normalised): Hyperscan on
    printable ASCII, otherwise the anchor scan; either way no cue outside the set can match."""
    scanner = _scanner()
    if scanner is not None and text.isascii() and text.isprintable():
        return scanner.keys_in(text)
    return _present(_gate_text(text))


_BOILER = tuple((name, re.compile(pattern, _FLAGS)) for name, pattern in BOILERPLATE_CUES)
_GOAL = re.compile(GOAL_BEFORE, _FLAGS)
_UNDER_STUDY = re.compile(UNDER_STUDY_AFTER, _FLAGS)
_REFERENCE = re.compile(REFERENCE_ONLY, _FLAGS)
_COMPARATOR = re.compile(COMPARATOR, _FLAGS)
_CONVENTIONAL = re.compile(CONVENTIONAL, _FLAGS)
_KETAMINE = re.compile(KETAMINE, _FLAGS)
_ANAPHOR = re.compile(ANAPHOR, _FLAGS)
_TOPIC = re.compile(TOPIC, _FLAGS)
_STRONG_BREAK = re.compile(r"[;:()\u2014]|\b(but|however|although|though|while|whereas|yet)\b", _FLAGS)
_LIST_ITEM = re.compile(r"\s*(and|or)\b", _FLAGS)
_SENTENCE_END = re.compile(r"[.!?;,:]\W*$")
# Cleaning rules that judge a line by itself (the others need the whole page).
_CLEAN_CTX = {"script": "latin", "kept_headings": [], "kept_paragraphs": set()}
_STATELESS_RULES = tuple(r for r in _CLEAN_RULES if r.name not in ("repeated_title", "duplicate_paragraph"))



def cue_lexicon() -> pd.DataFrame:
    """Every cue of every lexicon: kind, name, sub-theme (risk cues) and pattern, for documentation."""
    rows = [("promise", n, "", p) for n, p in PROMISE_CUES]
    rows += [("risk", n, t, p) for n, t, p in RISK_CUES]
    rows += [("hype", n, "", p) for n, p in HYPE_CUES]
    rows += [("hedge", n, "", p) for n, p in HEDGE_CUES]
    rows += [("boilerplate", r.name, "", r.description) for r in _STATELESS_RULES]
    rows += [("boilerplate", "off_topic_headline", "", "headline-like line without a word about ketamine, depression or treatment")]
    rows += [("boilerplate", n, "", p) for n, p in BOILERPLATE_CUES]
    return pd.DataFrame(rows, columns=["kind", "cue", "subtheme", "pattern"])


def _claim_clause(text: str, pos: int) -> str:
    """Like :func:`_clause_before`, but a list item ("..., and its efficacy") reaches back to its list's head."""
    clause = _clause_before(text, pos)
    if not _LIST_ITEM.match(clause):
        return clause
    start = max(0, pos - 2 * _WINDOW)
    window = text[start:pos]
    last = None
    for last in _STRONG_BREAK.finditer(window):
        pass
    return window[last.end():] if last else window


def _status(text: str, pos: int, reverser: re.Pattern | None, notes: list, may_negate: bool = True) -> tuple[str, str]:
    """Negation status of a cue starting at ``pos`` (see :func:`framing.measures.negation.negation`) and its clause."""
    clause = _clause_before(text, pos)
    status = negation(clause, reverser, may_negate)
    if status == "history":
        notes.append("patient_history")
    return status, clause


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _boilerplate(text: str, present: set | None = None) -> list[str]:
    stripped = text.strip()
    fired = []
    for rule in _STATELESS_RULES:
        if rule.name == "foreign_site_label" and stripped.isascii():
            continue
        if rule.test(stripped, _CLEAN_CTX):
            fired.append(rule.name)
    fired += [name for name, rx in _BOILER
              if (present is None or ("gate", f"boilerplate:{name}") in present) and rx.search(stripped)]
    words = stripped.split()
    if (len(words) >= 6 and not _SENTENCE_END.search(stripped) and not _TOPIC.search(stripped)):
        long_words = [w for w in words if len(w) > 3]
        capitalised = sum(1 for w in long_words if w[:1].isupper())
        if ":" in stripped or (long_words and capitalised >= 0.5 * len(long_words)):
            fired.append("off_topic_headline")
    return fired


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _first_hit(kind: str, name: str, rx: re.Pattern, text: str, spans: list[tuple[int, int]], notes: list,
               gates: tuple[bool, bool] = (True, True)) -> str | None:
    """Negation status ('' or 'negated') of the first match of a cue that counts; None when none counts.

    A match counts unless it lies in ``spans`` (reference-only or comparator phrases) or in a
    patient-history clause. Risk cues (``kind`` "risk") are also reversed by "reduce", "few",
    ...; cues in :data:`UNFLIPPED_RISK_CUES` are never flipped; a risk cue that holds its own
    negator inside a who-clause is patient history. An un-negated promise claim word that is
    the object of research or of a goal does not count (noted ``not_a_claim``). ``gates``:
    whether the unit may hold a negator and a reverser (see :data:`_GATED`).
    """
    may_negate, may_reverse = gates
    for m in rx.finditer(text):
        if _in_spans(m.start(), spans):
            continue
        reverser = _REV_END if kind == "risk" and may_reverse else None
        status, clause = _status(text, m.start(), reverser, notes, may_negate)
        if kind == "risk":
            if status == "negated" and name in UNFLIPPED_RISK_CUES:
                status = ""
            if status == "" and may_negate and _NEG_ANY.search(m.group()) and _WHO.search(clause):
                status = "history"  # "who may not have access": the patients, not the treatment
                notes.append("patient_history")
        if status == "history":
            continue
        if (status == "" and kind == "promise" and name in CLAIM_CUES
                and (_GOAL.search(_claim_clause(text, m.start())) or _UNDER_STUDY.match(text, m.end()))):
            notes.append(f"not_a_claim:{name}")
            continue
        return status
    return None


def _label_one(raw: str) -> dict:
    row = {c: "" for c in COLUMNS}
    row.update({"hype": False, "hedge": False, **{t: False for t in SUBTHEMES}})
    text = normalise(raw) if isinstance(raw, str) else ""  # None and NaN count as empty
    if not text.strip():
        row["frame"] = "neutral"
        return row
    present = _present_keys(text)
    boiler = _boilerplate(text, present)
    if boiler:
        row.update(frame="boilerplate", boilerplate_cues="; ".join(_unique(boiler)))
        return row

    notes = []
    promise, risk, hype = [], [], []
    themes = []
    reference_spans = [m.span() for m in _REFERENCE.finditer(text)] if ("gate", "reference") in present else []
    comparator_spans = [m.span() for m in _COMPARATOR.finditer(text)] if ("gate", "comparator") in present else []
    gates = (("gate", "negator") in present, ("gate", "reverser") in present)
    about_ketamine = ("gate", "ketamine") in present and _KETAMINE.search(text) is not None
    if reference_spans:
        notes.append("reference_only")
    dropped = reference_spans + comparator_spans

    found = {"promise": promise, "risk": risk, "hype": hype}
    for kind, name, rx, theme, context in _CUE_ORDER:
        if (kind, name) not in present or (context is not None and not context.search(text)):
            continue
        status = _first_hit(kind, name, rx, text, reference_spans if kind == "hype" else dropped, notes, gates)
        if status == "negated":  # "not a cure" warns, "no dissociation" reassures
            side, prefix = _NEGATED_AS[kind]
            found[side].append(f"{prefix}{name}")
            notes.append(f"negated:{name}")
        elif status == "":
            found[kind].append(name)
            if theme:
                themes.append(theme)
            if kind == "hype":  # hype sells promise too
                promise.append(name)

    if comparator_spans and about_ketamine:
        promise.append("advantage_over_conventional")
        notes.append("comparator_clause")

    conventional = ([m for m in _CONVENTIONAL.finditer(text) if not _WHO.search(_clause_before(text, m.start()))]
                    if ("gate", "conventional") in present else [])
    if conventional and not about_ketamine and not (("gate", "anaphor") in present and _ANAPHOR.search(text)):
        if promise or risk or hype:
            notes.append("conventional_background")
        promise, risk, hype, themes = [], [], [], []

    hedges = [name for name, rx, _ in _HEDGE if ("hedge", name) in present and rx.search(text)]
    promise, risk, hype = _unique(promise), _unique(risk), _unique(hype)
    if promise and risk:
        frame = "mixed"
    elif promise:
        frame = "promise"
    elif risk:
        frame = "risk"
    else:
        frame = "neutral"
    themes = [t for t in SUBTHEMES if t in set(themes)]
    row.update(
        frame=frame, hype=bool(hype), hedge=bool(hedges),
        promise_cues="; ".join(promise), risk_cues="; ".join(risk),
        hype_cues="; ".join(hype), hedge_cues="; ".join(hedges),
        subthemes="; ".join(themes), notes="; ".join(_unique(notes)),
        **{t: True for t in themes},
    )
    return row


def _rules(texts: Iterable) -> pd.DataFrame:
    rows = [_label_one(t) for t in texts]
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({"hype": bool, "hedge": bool, **{t: bool for t in SUBTHEMES}})


#: Frame probability columns of the learned coder (``p_promise`` ...), after :data:`COLUMNS`.
PROB_COLUMNS = [f"p_{f}" for f in FRAMES]
METHODS = ("learned", "rules")


def label(texts: Iterable[str], doc: Iterable | None = None, method: str = "learned") -> pd.DataFrame:
    """Code every text (sentence or heading) by the codebook; one row per text, same order.

    Columns: frame (promise, risk, mixed, neutral, boilerplate), hype and hedge
    (bool), promise_cues, risk_cues, hype_cues, hedge_cues, boilerplate_cues and
    subthemes ('; '-joined names), one bool column per risk sub-theme
    (:data:`SUBTHEMES`), notes (structural rules that applied: negation,
    patient history, reference only, comparator clause, conventional background),
    and one calibrated probability per frame (:data:`PROB_COLUMNS`).

    ``method="learned"`` (the default) codes frame, hype, hedge and sub-themes with the
    learned coder (:mod:`framing.measures.coder`); the cue columns and notes are the rules'
    evidence for each text. ``method="rules"`` is the rule coder alone (probabilities
    are NaN). ``doc``: one article id per text, texts in reading order, each article's
    texts together; the learned coder then uses each unit's context (neighbouring units,
    the article's first unit and its other units). Without it every text is coded alone.
    ``None`` and empty strings are neutral without cues.
    """
    if isinstance(texts, str):
        raise TypeError("label() takes a list of texts, not a single string")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    texts = list(texts)
    if doc is not None:
        doc = list(doc)
        if len(doc) != len(texts):
            raise ValueError(f"doc has {len(doc)} ids for {len(texts)} texts")
    table = _rules(texts)
    if method == "rules":
        for col in PROB_COLUMNS:
            table[col] = float("nan")
        return table
    from framing.measures import coder

    learned = coder.predict([t if isinstance(t, str) else "" for t in texts], doc=doc, rules=table)
    empty = [not (isinstance(t, str) and t.strip()) for t in texts]
    learned.loc[empty, "frame"] = "neutral"
    learned.loc[empty, ["hype", "hedge", *SUBTHEMES]] = False
    table["frame"] = learned["frame"].to_numpy()
    for col in ["hype", "hedge", *SUBTHEMES]:
        table[col] = learned[col].to_numpy(dtype=bool)
    table["subthemes"] = pd.Series(["; ".join(t for t in SUBTHEMES if row[t]) for row in table[list(SUBTHEMES)].to_dict("records")],
                                   index=table.index, dtype=table["notes"].dtype)
    for f, col in zip(FRAMES, PROB_COLUMNS):
        table[col] = learned[f"p_{f}"].to_numpy(dtype=float)
    return table
