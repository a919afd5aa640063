"""Remove page furniture from article text and keep an audit of every removal.

Cleaning works line by line on the raw text. Each rule is general (it names a
kind of web-page furniture, never a particular file) and every removed line is
recorded with its line number and the rule that removed it, so the reader of an
analysis can check that no article content was lost.

Besides removals, the clean text is normalised: Unicode NFC, non-breaking and
other unusual spaces become plain spaces, typographic quotes become ASCII
quotes, trailing spaces are dropped and paragraphs are separated by exactly one
blank line. The raw text is never changed; the clean text is derived from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import pandas as pd

from framing._parallel import map_chunks

__all__ = ["RULES", "normalise", "clean_text", "clean_corpus", "AUDIT_COLUMNS", "content_words"]

AUDIT_COLUMNS = ["doc_id", "line", "rule", "text"]

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u200b": "", "\ufeff": "",
})

_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just may me might more most must my new no nor not now of off on once only or other
    our out over own same she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where which while
    who whom why will with would you your""".split()
)

_WORD = re.compile(r"[a-z][a-z'\-]+")


def normalise(line: str) -> str:
    """NFC, ASCII quotes, plain spaces, no trailing space."""
    return unicodedata.normalize("NFC", line).translate(_QUOTES).rstrip()


def content_words(text: str) -> set[str]:
    """Lower-cased words of three or more letters that are not stop words."""
    words = {w.strip("'-") for w in _WORD.findall(text.lower())}
    return {w.removesuffix("'s") for w in words if len(w) >= 3 and w not in _STOP}


def _key(line: str) -> list[str]:
    """Tokens of a line for comparing repeated lines: case and punctuation ignored."""
    return re.findall(r"[a-z0-9]+", line.lower().replace("'", ""))


# Several rules look at the same line: its word count and key are computed once.
@lru_cache(maxsize=8192)
def _n_words(line: str) -> int:
    return len(line.split())


@lru_cache(maxsize=8192)
def _key_tuple(line: str) -> tuple[str, ...]:
    return tuple(_key(line))


def _ends_like_sentence(line: str) -> bool:
    r"""Same as ``re.search(r"[.;,]\W*$", line)``: a . ; or , among the trailing non-word characters."""
    i = len(line)
    while i > 0 and not (line[i - 1].isalnum() or line[i - 1] == "_"):
        i -= 1
    tail = line[i:]
    return "." in tail or ";" in tail or "," in tail


def _is_heading_like(line: str) -> bool:
    """Short line that does not end like a sentence."""
    return 0 < _n_words(line) <= 25 and not _ends_like_sentence(line)


# ----------------------------------------------------------------- line rules
_NAV = re.compile(
    r"^\s*(current location|you are here|breadcrumbs?|location)\s*[:>»›]"
    r"|^\s*(home|homepage|start)\s*[>»›/|]\s*\S",
    re.I,
)
_AFFILIATE = re.compile(
    r"\baffiliate (marketing|links?|programs?|partners?|commissions?)\b"
    r"|\b(may|might|will) (earn|receive|get) (a )?(small )?(commission|compensation)"
    r"|\b(sponsored|paid) (post|content|partnership)\b"
    r"|\bforms of advertising\b",
    re.I,
)
_SHARE = re.compile(
    r"\b(would you like to|want to|feel free to|please) (leave a |post a |add a )?comment"
    r"|\bleave (a|your) (comment|reply)\b"
    r"|\b(take a moment to |please )share\b"
    r"|\bshare (this|on|via|with your)\b"
    r"|\b(tweeting|pinning|yumming)\b"
    r"|\bfollow us on\b"
    r"|\bsubscribe to (our|the) newsletter\b"
    r"|\bif you (liked|enjoyed) (what you read|this (article|post))",
    re.I,
)
_WIDGET = re.compile(
    r"^\s*(guess you('ll)? like( it)?|you (may|might) also like|related (posts|articles|stories|reading)"
    r"|recommended( for you| reading)?|read more|read next|trending( now)?|popular posts|most read"
    r"|more (stories|articles) from.*|advertisement|sponsored|share this( article| post)?)\W*$",
    re.I,
)


def _rule_nav(line: str, ctx: dict) -> bool:
    return bool(_NAV.search(line))


# Words one of which every match of the pattern contains: lines without any skip the regex.
_AFFILIATE_WORDS = ("affiliate", "commission", "compensation", "sponsored", "paid", "advertising")
_SHARE_WORDS = ("comment", "reply", "share", "tweeting", "pinning", "yumming", "follow", "subscribe", "if you")


@lru_cache(maxsize=8192)
def _lower(line: str) -> str:
    return line.lower()


def _rule_affiliate(line: str, ctx: dict) -> bool:
    low = _lower(line)
    if not any(word in low for word in _AFFILIATE_WORDS):
        return False
    return _n_words(line) <= 60 and bool(_AFFILIATE.search(line))


def _rule_share(line: str, ctx: dict) -> bool:
    low = _lower(line)
    if not any(word in low for word in _SHARE_WORDS):
        return False
    return _n_words(line) <= 40 and bool(_SHARE.search(line))


def _rule_widget(line: str, ctx: dict) -> bool:
    return bool(_WIDGET.search(line))


def _rule_hashtags(line: str, ctx: dict) -> bool:
    if "#" not in line:
        return False
    tokens = line.split()
    tags = [t for t in tokens if t.startswith("#") and len(t) > 1]
    return len(tags) >= 2 and len(tags) >= 0.6 * len(tokens)


_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _latin_counts(text: str) -> tuple[int, int]:
    """``(letters, latin letters)`` in ``text``; ASCII letters are counted in bulk, other characters one by one."""
    raw = text.encode("utf-8")  # bytes of multi-byte characters are >= 0x80: never an ASCII letter
    ascii_letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    if text.isascii():
        return ascii_letters, ascii_letters
    letters = latin = ascii_letters
    for ch in _NON_ASCII.findall(text):
        if ch.isalpha():
            letters += 1
            if "LATIN" in unicodedata.name(ch, ""):
                latin += 1
    return letters, latin


def _rule_foreign_script(line: str, ctx: dict) -> bool:
    if ctx["script"] != "latin":
        return False
    letters, latin = _latin_counts(line)
    return bool(letters) and latin < 0.5 * letters


def _rule_repeated_title(line: str, ctx: dict) -> bool:
    """Repeats an earlier heading-like line, allowing up to two extra words around it."""
    if not _is_heading_like(line):
        return False
    key = _key_tuple(line)
    for earlier in ctx["kept_headings"]:
        n = len(earlier)
        if n < 3 or not (0 <= len(key) - n <= 2):
            continue
        if any(key[i:i + n] == earlier for i in range(len(key) - n + 1)):
            return True
    return False


def _rule_duplicate_paragraph(line: str, ctx: dict) -> bool:
    return _n_words(line) > 25 and _key_tuple(line) in ctx["kept_paragraphs"]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    test: Callable[[str, dict], bool]


#: Line rules, applied in this order; the first that fires names the removal.
RULES: tuple[Rule, ...] = (
    Rule("navigation_crumb", "breadcrumb trail such as 'Current location: home > Health'", _rule_nav),
    Rule("affiliate_disclaimer", "affiliate-marketing or advertising disclosure", _rule_affiliate),
    Rule("share_prompt", "request to comment, share, follow or subscribe", _rule_share),
    Rule("site_widget", "label of a site widget ('Guess you like it', 'Related posts', 'Read more')", _rule_widget),
    Rule("hashtag_list", "line made mostly of #hashtags", _rule_hashtags),
    Rule("foreign_site_label", "line mostly in another script than the article's", _rule_foreign_script),
    Rule("repeated_title", "repeat of an earlier title or heading line (case, punctuation and up to two extra words ignored)", _rule_repeated_title),
    Rule("duplicate_paragraph", "verbatim repeat of an earlier paragraph", _rule_duplicate_paragraph),
)

TRAILING_RULE = Rule(
    "unrelated_trailing_headline",
    "heading-like line at the end of the page that shares under a third of its content words with the article",
    lambda line, ctx: False,
)


def _document_script(lines: list[str]) -> str:
    letters, latin = _latin_counts("\n".join(lines))
    return "latin" if letters and latin >= 0.5 * letters else "other"


def clean_text(text: str, doc_id: str = "") -> tuple[str, pd.DataFrame]:
    """Return ``(clean_text, audit)`` for one article.

    ``audit`` has one row per removed line: doc_id, line (1-based line number in
    the raw text), rule, text (the raw line, stripped).
    """
    clean, rows = _clean(text, doc_id)
    return clean, pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def _clean(text: str, doc_id: str) -> tuple[str, list[tuple]]:
    """:func:`clean_text` with the audit as a list of row tuples."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [normalise(line).strip() for line in raw_lines]
    ctx = {"script": _document_script(lines), "kept_headings": [], "kept_paragraphs": set()}
    removed: dict[int, str] = {}
    for i, line in enumerate(lines):
        if not line:
            continue
        for rule in RULES:
            if rule.test(line, ctx):
                removed[i] = rule.name
                break
        else:
            if _is_heading_like(line):
                ctx["kept_headings"].append(_key_tuple(line))
            ctx["kept_paragraphs"].add(_key_tuple(line))

    # Unrelated headlines at the end of the page: walk back over the last kept lines.
    kept = [i for i, line in enumerate(lines) if line and i not in removed]
    for i in reversed(kept):
        line = lines[i]
        if not _is_heading_like(line):
            break
        body = set().union(*(content_words(lines[j]) for j in kept if j != i and j not in removed))
        words = content_words(line)
        if len(words) < 3 or len(words & body) >= len(words) / 3:
            break
        removed[i] = TRAILING_RULE.name

    audit = [(doc_id, i + 1, rule, raw_lines[i].strip()) for i, rule in sorted(removed.items())]
    paragraphs: list[str] = []
    previous = -2
    for i, line in enumerate(lines):
        if not line or i in removed:
            continue
        wrapped = (
            previous == i - 1
            and paragraphs
            and not re.search(r"[.!?:\"')]$", paragraphs[-1])
            and line[0].islower()
        )
        if wrapped:  # a hard-wrapped line continues the paragraph above it
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        previous = i
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else ""), audit


def _clean_many(pairs: list[tuple[str, str]]) -> list[tuple[str, list[tuple]]]:
    return [_clean(text, doc_id) for doc_id, text in pairs]


def clean_corpus(corpus: pd.DataFrame, n_jobs: int | None = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``clean_text`` (and its length) to a corpus frame; return it with the audit.

    The input frame is not modified. ``n_jobs`` processes share the documents
    (``None``: all cores; the result does not depend on it).
    """
    out = corpus.copy()
    pairs = list(zip(corpus["doc_id"], corpus["text"]))
    results = map_chunks(_clean_many, pairs, n_jobs=n_jobs, min_items=200, desc="clean")
    out["clean_text"] = [clean for clean, _ in results]
    out["n_clean_chars"] = out["clean_text"].str.len()
    rows = [row for _, audit in results for row in audit]
    # object columns, as the audit has always had (the notebooks' saved outputs depend on it)
    audit = pd.DataFrame(rows, columns=AUDIT_COLUMNS, dtype=object)
    return out, audit


def rule_table() -> pd.DataFrame:
    """The cleaning rules with their descriptions, for documentation and reports."""
    rules = list(RULES) + [TRAILING_RULE]
    return pd.DataFrame({"rule": [r.name for r in rules], "description": [r.description for r in rules]})
