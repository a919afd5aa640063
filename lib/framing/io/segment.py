"""Split clean article text into paragraphs and sentences with character offsets.

The splitter is rule-based and deliberately small: a boundary is sentence-final
punctuation (with any closing quotes or brackets, typographic and doubled ``''``
included) followed by white space, any opening quotes, and an upper-case letter or
digit, unless the word before it is a known abbreviation ("Dr.", "e.g.",
"vs.", "U.S."), a single initial ("J."), or the boundary falls inside
parentheses. Decimals ("2.5 mg") never split because no space follows the
point. Every sentence keeps ``start``/``end`` offsets into the clean text, so
``clean_text[start:end] == text`` always holds.

Known limit: an abbreviation that really ends a sentence ("... in the U.S. The
drug ...") is not split. That costs one merged sentence, never a lost one.
"""

from __future__ import annotations

import re

import pandas as pd

from framing._parallel import map_chunks

__all__ = ["ABBREVIATIONS", "split_sentences", "paragraphs", "is_heading", "sentence_table", "SENTENCE_COLUMNS",
           "SUSPECT_PATTERNS", "suspect_sentences"]

#: Lower-case abbreviations (without their final point) that do not end a sentence.
ABBREVIATIONS = frozenset(
    """dr mr mrs ms prof sr jr st mt vs v e.g i.e cf al approx ca fig figs no nos vol pp p
    gov lieut sen rep gen col capt lt sgt adm
    dept univ inc ltd co corp est min max mg ml kg mcg hr hrs wk wks mo yr yrs jan feb mar apr
    jun jul aug sep sept oct nov dec u.s u.k u.n e.u ph.d m.d b.sc m.sc d.c a.m p.m""".split()
)

SENTENCE_COLUMNS = [
    "sentence_id", "doc_id", "paragraph", "sentence", "text", "start", "end", "is_heading", "n_words",
]

#: Closing quotes and brackets that may follow sentence-final punctuation (ASCII, typographic,
#: and the doubled '' of text converted from LaTeX or Penn Treebank style).
_CLOSERS = "\"')]\u201d\u2019\u00bb"
#: Opening quotes and brackets that may begin a sentence ("``" and "''" openers included).
_OPENERS = "\"'([\u201c\u2018\u00ab`"
_CANDIDATE = re.compile(r"[.!?]+[" + re.escape(_CLOSERS) + r"]*(?=\s+)")
_NEXT_START = re.compile(r"\s+([" + re.escape(_OPENERS) + r"]*[A-Z0-9])")


#: Abbreviations that are also words ("said no."): abbreviations only before a number ("No. 5").
_BEFORE_NUMBERS = frozenset({"no", "nos"})


def _is_abbreviation(token: str, following: str = "") -> bool:
    word = token.lstrip(_OPENERS).rstrip(".").lower()
    if word in _BEFORE_NUMBERS:
        return following[:1].isdigit()
    if word in ABBREVIATIONS:
        return True
    if re.fullmatch(r"[a-z]", word) and token.lstrip(_OPENERS)[:1].isupper():
        return True  # an initial such as "J."
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))  # "e.g", "u.s.a"


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in one paragraph of text."""
    spans: list[tuple[int, int]] = []
    start = 0
    depth = 0
    scanned = 0
    for match in _CANDIDATE.finditer(text):
        chunk = text[scanned:match.start()]
        depth = max(0, depth + chunk.count("(") - chunk.count(")"))
        scanned = match.start()
        nxt = _NEXT_START.match(text, match.end())
        if not nxt or depth > 0:
            continue
        if match.group().startswith(".") and len(match.group().rstrip(_CLOSERS)) == 1:
            end = match.start() + 1
            begin = end
            while begin > 0 and not text[begin - 1].isspace():
                begin -= 1  # back to the start of the word before the point
            if _is_abbreviation(text[begin:end], nxt.group(1)):
                continue
        spans.append((start, match.end()))
        start = nxt.start(1)
    spans.append((start, len(text.rstrip())))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            out.append((s + offset, e + offset))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the non-empty lines of a clean text (one paragraph a line)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def is_heading(paragraph: str, n_sentences: int) -> bool:
    """A one-sentence paragraph that is short and does not end like a sentence."""
    words = paragraph.split()
    if n_sentences != 1 or not words:
        return False
    stripped = paragraph.rstrip("\"') ")
    if stripped.endswith("?"):
        return len(words) <= 10
    return len(words) <= 15 and not re.search(r"[.!:;,]$", stripped)


_SPAN_COLUMNS = ["doc", "paragraph", "sentence", "start", "end", "is_heading", "n_words"]


def _sentence_spans(docs: list[tuple[int, str]]) -> pd.DataFrame:
    """Numbers only (document index, paragraph, sentence, offsets, heading flag, words) for some documents.

    Workers send back these integers; the strings are sliced from the clean
    text by the caller, so little has to travel between processes.
    """
    rows = []
    for index, text in docs:
        n = 0
        for p, (ps, pe) in enumerate(paragraphs(text)):
            spans = split_sentences(text[ps:pe], offset=ps)
            heading = is_heading(text[ps:pe], len(spans))
            for s, e in spans:
                rows.append((index, p, n, s, e, heading, len(text[s:e].split())))
                n += 1
    return pd.DataFrame(rows, columns=_SPAN_COLUMNS, dtype="int64").astype({"is_heading": "bool"})


def sentence_table(clean: pd.DataFrame, text_column: str = "clean_text", n_jobs: int | None = 1) -> pd.DataFrame:
    """One row per sentence of every document in ``clean`` (a frame with doc_id and text).

    Columns: sentence_id ("<doc_id>:<n>"), doc_id, paragraph and sentence
    (0-based, sentence numbered within the document), text, start and end
    (offsets into the clean text), is_heading, n_words. ``n_jobs`` processes
    share the documents (``None``: all cores; the result does not depend on it).
    """
    texts = list(clean[text_column])
    doc_ids = list(clean["doc_id"])
    spans = map_chunks(_sentence_spans, list(enumerate(texts)), n_jobs=n_jobs, min_items=200, desc="sentences")
    docs, numbers = spans["doc"].tolist(), spans["sentence"].tolist()
    starts, ends = spans["start"].tolist(), spans["end"].tolist()
    table = pd.DataFrame({
        "sentence_id": [f"{doc_ids[d]}:{n:04d}" for d, n in zip(docs, numbers)],
        "doc_id": [doc_ids[d] for d in docs],
        "paragraph": spans["paragraph"],
        "sentence": spans["sentence"],
        "text": [texts[d][s:e] for d, s, e in zip(docs, starts, ends)],
        "start": spans["start"],
        "end": spans["end"],
        "is_heading": spans["is_heading"],
        "n_words": spans["n_words"],
    }, columns=SENTENCE_COLUMNS)
    return table.astype({"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64",
                         "is_heading": "bool", "n_words": "int64"})


#: Signs of a defect in the text itself (kept by cleaning, which never edits article text).
SUSPECT_PATTERNS = (
    ("space before punctuation (a word may be missing)", r"\w\s+[,;:](?=\s)|^\W*\w+\s+,"),
    ("the same word twice", r"\b(\w{2,})\s+\1\b"),
    ("unusual spelling of a drug name", r"\b(?!(?:es|ar|nor)?ketamine\b)\w*k[ae]t[ae]m[iy]ne?s?\b"),
)


def suspect_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences (of :func:`sentence_table`) that show a sign of a defect of the article's own text:
    sentence_id, text, reason (:data:`SUSPECT_PATTERNS`; the first that matches)."""
    reasons = pd.Series("", index=sentences.index, dtype=object)
    for reason, pattern in reversed(SUSPECT_PATTERNS):  # the first listed wins
        search = re.compile(pattern, re.I).search
        hit = [bool(search(text)) for text in sentences["text"]]
        reasons[hit] = reason
    found = sentences.loc[reasons != "", ["sentence_id", "text"]].assign(reason=reasons[reasons != ""])
    return found.reset_index(drop=True)
