"""Load a folder of articles into a pandas DataFrame, one row per article.

Three kinds of file are read: plain text (``.txt``), Markdown (``.md``, markup
stripped to text, headings kept as lines, one paragraph per line) and saved
web pages (``.html``/``.htm``: the main text is extracted with trafilatura,
offline, one paragraph per line). A web page with no extractable text is a
broken file like an empty one.

The loader is read-only: it opens files for reading and never writes into the
folder. Every problem with an input file is reported by name, with a reason,
and all of them at once, so that a researcher fixing a corpus does not have to
rerun the loader once per broken file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterable

import hashlib
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framing._parallel import map_chunks

__all__ = [
    "CorpusError", "load_corpus", "read_corpus", "Listing", "list_corpus", "articles_frame",
    "check_doc_ids", "text_key", "find_duplicates", "warn_duplicates", "report_problems", "read_manifest", "markdown_to_text", "html_to_text",
    "TEXT_SUFFIXES", "MARKDOWN_SUFFIXES", "HTML_SUFFIXES", "ARTICLE_SUFFIXES",
]

#: File endings read as plain text.
TEXT_SUFFIXES = (".txt",)
#: File endings read as Markdown (markup stripped).
MARKDOWN_SUFFIXES = (".md",)
#: File endings read as saved web pages (main text extracted).
HTML_SUFFIXES = (".html", ".htm")
#: Every file ending :func:`load_corpus` reads by default.
ARTICLE_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES

#: Columns every corpus frame has, in this order; manifest extras follow.
BASE_COLUMNS = [
    "doc_id",
    "label",
    "outlet",
    "title",
    "language",
    "file",
    "sha256",
    "n_bytes",
    "n_chars",
    "duplicate_of",
    "format",
    "text",
]

_BOM = b"\xef\xbb\xbf"
#: Control characters other than tab, newline, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


class CorpusError(ValueError):
    """One or more input files cannot be used. ``problems`` maps file -> reason."""

    def __init__(self, folder: Path, problems: dict[str, str]) -> None:
        self.folder = Path(folder)
        self.problems = dict(sorted(problems.items()))
        lines = [f"{len(self.problems)} unusable file(s) in {self.folder}:"]
        lines += [f"  - {name}: {reason}" for name, reason in self.problems.items()]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class _Decoded:
    text: str | None
    problem: str | None


def _decode(raw: bytes) -> _Decoded:
    """Decode bytes as UTF-8 (BOM stripped) or say why they are not an article."""
    if len(raw) == 0:
        return _Decoded(None, "empty file (0 bytes)")
    nul = raw.find(b"\x00")
    if nul >= 0:
        return _Decoded(None, f"binary content (NUL byte at byte offset {nul})")
    body = raw[len(_BOM):] if raw.startswith(_BOM) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + (len(raw) - len(body))
        return _Decoded(
            None,
            f"not valid UTF-8 (byte 0x{raw[offset]:02x} at byte offset {offset}); "
            "re-save the file as UTF-8",
        )
    if not text.strip():
        return _Decoded(None, "only whitespace, no text")
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        return _Decoded(None, f"binary content ({controls} control characters)")
    return _Decoded(text, None)


# ------------------------------------------------------------------ Markdown
_MD_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_MD_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),                 # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),               # inline links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),              # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),                  # autolinks
    (re.compile(r"<!--.*?-->"), ""),                             # comments
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),                      # inline HTML tags
    (re.compile(r"`+([^`]+?)`+"), r"\1"),                        # inline code
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),       # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)"), r"\1"),  # emphasis *x*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),    # emphasis _x_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),              # strike-through
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),         # backslash escapes
)


def _md_inline(line: str) -> str:
    for pattern, repl in _MD_INLINE:
        line = pattern.sub(repl, line)
    return line.strip()


def markdown_to_text(text: str) -> str:
    """Markdown as plain text: one paragraph, heading, list item or table row per line.

    Headings keep their words (the ``#`` marks go); links keep their text and
    lose the address; images, HTML tags, comments, front matter, rules and
    reference definitions go; emphasis and code marks go; hard-wrapped lines of
    one paragraph are joined; fenced code keeps its lines; table rows keep
    their cells separated by `` | ``. Paragraphs are separated by a blank line.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _MD_FRONT_MATTER.sub("", text, count=1)
    blocks: list[str] = []
    current: list[str] = []
    in_fence = False

    def flush() -> None:
        if current:
            joined = " ".join(part for part in current if part)
            if joined:
                blocks.append(joined)
            current.clear()

    for raw in text.split("\n"):
        if _MD_FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if raw.strip():
                blocks.append(raw.rstrip())
            continue
        line = _MD_QUOTE.sub("", raw)
        if not line.strip():
            flush()
            continue
        if _MD_SETEXT.match(line) and current:
            # "Title\n=====": the paragraph so far is a heading
            heading = " ".join(current)
            current.clear()
            blocks.append(heading)
            continue
        if _MD_RULE.match(line) or _MD_REFDEF.match(line) or _MD_TABLE_SEP.match(line):
            flush()
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(_md_inline(heading.group(1)))
            continue
        if _MD_ITEM.match(line):
            flush()
            current.append(_md_inline(_MD_ITEM.sub("", line, count=1)))
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            flush()
            cells = [_md_inline(c) for c in line.strip().strip("|").split("|")]
            blocks.append(" | ".join(c for c in cells if c))
            continue
        current.append(_md_inline(line))
    flush()
    blocks = [b for b in blocks if b.strip()]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


# ------------------------------------------------------------------ HTML
def html_to_text(raw: bytes | str) -> tuple[str, str]:
    """Main text and title of a saved web page, extracted offline with trafilatura.

    Returns ``(text, title)``; ``text`` has one paragraph (or heading, or list
    item) per line, paragraphs separated by a blank line, and is empty when the
    page has no extractable main text. Nothing is fetched from the network.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        raw, output_format="python", include_comments=False, include_tables=True,
        include_images=False, include_links=False, include_formatting=False,
        with_metadata=True, deduplicate=False, fast=False,
    )
    if document is None:
        return "", ""
    text = getattr(document, "text", None) or ""
    title = (getattr(document, "title", None) or "").strip()
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    return "\n\n".join(lines) + ("\n" if lines else ""), title


def read_manifest(path: Path) -> pd.DataFrame:
    """Read ``manifest.csv``: a ``file`` column is required, all others optional."""
    path = Path(path)
    try:
        manifest = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise CorpusError(path.parent, {path.name: f"unreadable manifest: {err}"}) from err
    if "file" not in manifest.columns:
        raise CorpusError(path.parent, {path.name: "manifest has no 'file' column"})
    dupes = manifest["file"][manifest["file"].duplicated()].tolist()
    if dupes:
        raise CorpusError(path.parent, {path.name: f"files listed twice: {sorted(set(dupes))}"})
    return manifest


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _format_of(file: Path) -> str:
    suffix = file.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "txt"


def _read_article(raw: bytes, kind: str) -> tuple[_Decoded, str]:
    """The article text of one file (or why there is none) and the page title, if any."""
    if kind != "html":
        decoded = _decode(raw)
        if decoded.problem or kind == "txt":
            return decoded, ""
        text = markdown_to_text(decoded.text)
        if not text.strip():
            return _Decoded(None, "Markdown with no text once markup is removed"), ""
        return _Decoded(text, None), ""
    if len(raw) == 0:
        return _Decoded(None, "empty file (0 bytes)"), ""
    nul = raw.find(b"\x00")
    if nul >= 0:
        return _Decoded(None, f"binary content (NUL byte at byte offset {nul})"), ""
    try:
        text, title = html_to_text(raw)
    except Exception as err:  # trafilatura/lxml failures are reported per file
        return _Decoded(None, f"web page could not be parsed ({type(err).__name__}: {err})"), ""
    if not text.strip():
        return _Decoded(None, "web page with no extractable article text (trafilatura found none)"), ""
    return _Decoded(text, None), title


#: From this many web pages on, extraction is shared among processes.
_PARALLEL_PAGES = 20


def _read_files(files: list[Path]) -> list[tuple]:
    """``(format, decoded, page title, bytes, sha256)`` of each file, in order."""
    out = []
    for file in files:
        raw = file.read_bytes()
        kind = _format_of(file)
        decoded, title = _read_article(raw, kind)
        out.append((kind, decoded, title, len(raw), hashlib.sha256(raw).hexdigest()))
    return out


#: Date forms accepted in the manifest's ``date`` column.
DATE_FORMATS = "YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 date-time"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def _to_timestamp(value: str) -> pd.Timestamp:
    value = value.strip()
    if not _DATE.match(value):
        raise ValueError(value)
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp


def _check_date(value: object) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        _to_timestamp(str(value))
    except ValueError:
        return f"manifest.csv date {value!r} is not a date (use {DATE_FORMATS})"
    return None


def _precision(value: object) -> str:
    """"year", "month" or "day" for a manifest date (already checked), "" for none."""
    value = str(value).strip() if isinstance(value, str) else ""
    return {4: "year", 7: "month"}.get(len(value), "day") if value else ""


def _parse_dates(values: pd.Series) -> pd.Series:
    """Manifest dates (already checked) as datetime64; empty cells are NaT."""
    parsed = [(_to_timestamp(str(v)) if isinstance(v, str) and v.strip() else pd.NaT) for v in values]
    return pd.Series(pd.to_datetime(parsed), index=values.index, name="date")


def load_corpus(path: str | os.PathLike[str], on_error: str = "raise", suffixes: Iterable[str] = ARTICLE_SUFFIXES, n_jobs: int | None = None) -> pd.DataFrame:
    """Load every article in folder ``path``; one row per article, sorted by doc_id.

    Parameters
    ----------
    path:
        A folder of ``.txt``, ``.md`` and ``.html``/``.htm`` files, optionally
        with a ``manifest.csv`` that has a ``file`` column and any of
        ``doc_id``, ``label``, ``outlet``, ``title``, ``language``, ``sha256``,
        ``url``, ``date``, ``note``. ``url``, ``date`` and ``note`` are always
        columns of the result (empty or NaT when not given). ``date`` is parsed into a datetime column
        (YYYY, YYYY-MM or YYYY-MM-DD; empty cells are NaT); a cell that is not a
        date makes the file it describes a broken file.
    on_error:
        ``"raise"`` (default): any broken file raises one :class:`CorpusError`
        naming every broken file with its reason. ``"skip"``: broken files are
        left out and a warning lists them.

    Without a manifest, ``doc_id`` is the file name without its ending and the
    title is the page's title (web pages) or the first non-empty line. The
    ``text`` column holds the article text (for Markdown and web pages: the
    extracted text, see :func:`markdown_to_text` and :func:`html_to_text`);
    ``format`` says which reader was used (txt, md, html). From 20 web pages
    on, extraction is shared among ``n_jobs`` processes (``None``: all cores). A manifest ``sha256`` that does not match
    the file is an error. Exact duplicate texts are reported with a warning and
    in the ``duplicate_of`` column (the doc_id of the first copy).
    """
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    frame, problems = read_corpus(path, suffixes=suffixes, n_jobs=n_jobs)
    report_problems(Path(path), problems, on_error)
    return frame


def report_problems(folder: Path, problems: dict[str, str], on_error: str) -> None:
    """Raise one :class:`CorpusError` listing ``problems`` (file -> reason), or warn with the
    same list when ``on_error`` is ``"skip"``; nothing when there are none."""
    if problems:
        error = CorpusError(folder, problems)
        if on_error == "raise":
            raise error
        warnings.warn(f"skipped {error}", stacklevel=3)


def read_corpus(path: str | os.PathLike[str], suffixes: Iterable[str] = ARTICLE_SUFFIXES, n_jobs: int | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`load_corpus` without raising: the usable articles and ``{file: reason}`` of the others."""
    listing = list_corpus(path, suffixes)
    frame, problems = articles_frame(listing, listing.files, n_jobs=n_jobs)
    problems = {**listing.problems, **problems}
    check_doc_ids(listing.folder, frame)
    keys = [text_key(text) for text in frame["text"]]
    duplicate_of, duplicates = find_duplicates(list(frame["doc_id"]), keys)
    frame["duplicate_of"] = duplicate_of
    warn_duplicates(duplicates, stacklevel=3)
    return frame, problems


@dataclass(frozen=True)
class Listing:
    """What :func:`list_corpus` finds in a folder before reading any article.

    files: the names of the article files, sorted (names, not paths: a million of them stay small); meta: manifest row per file name (empty without a
    manifest); columns: the manifest's columns beyond :data:`BASE_COLUMNS` (``None``: no manifest);
    problems: files listed in the manifest but missing from the folder.
    """

    folder: Path
    files: list[str]
    meta: dict[str, dict[str, str]]
    columns: list[str] | None
    problems: dict[str, str]

    def doc_id(self, name: str) -> str:
        """The doc_id the article in file ``name`` gets (manifest ``doc_id`` or the name without its ending)."""
        return self.meta.get(name, {}).get("doc_id") or Path(name).stem


def list_corpus(path: str | os.PathLike[str], suffixes: Iterable[str] = ARTICLE_SUFFIXES) -> Listing:
    """The article files of folder ``path`` and its manifest (:class:`Listing`), nothing read yet."""
    folder = Path(path)
    if not folder.is_dir():
        raise CorpusError(folder, {str(folder): "not a folder"})
    suffixes = tuple(s.lower() for s in suffixes)
    with os.scandir(folder) as entries:
        files = sorted(e.name for e in entries if e.is_file() and Path(e.name).suffix.lower() in suffixes)
    manifest_path = folder / "manifest.csv"
    manifest = read_manifest(manifest_path) if manifest_path.exists() else None
    meta: dict[str, dict[str, str]] = {}
    problems: dict[str, str] = {}
    if manifest is not None:
        present = set(files)
        for row in manifest.to_dict("records"):
            if row["file"] not in present:
                problems[row["file"]] = "listed in manifest.csv but not found in the folder"
            meta[row["file"]] = row
    columns = None if manifest is None else [c for c in manifest.columns if c not in BASE_COLUMNS]
    return Listing(folder=folder, files=files, meta=meta, columns=columns, problems=problems)


def articles_frame(listing: Listing, names: list[str], n_jobs: int | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The corpus frame of the files ``names`` (some of ``listing.files``), sorted by doc_id, and
    ``{file: reason}`` of those that cannot be used. ``duplicate_of`` is left empty (duplicates
    are a property of the whole corpus: :func:`find_duplicates`)."""
    meta = listing.meta
    files = [listing.folder / name for name in names]
    # Extracting web pages is the slow part: many pages are shared among processes.
    n_html = sum(_format_of(f) == "html" for f in files)
    jobs = n_jobs if n_html >= _PARALLEL_PAGES else 1
    read = map_chunks(_read_files, files, n_jobs=jobs, min_items=0, desc="load", unit="file")

    rows = []
    problems: dict[str, str] = {}
    for file, (kind, decoded, page_title, n_raw, digest) in zip(files, read):
        if decoded.problem:
            problems[file.name] = decoded.problem
            continue
        info = meta.get(file.name, {})
        expected = info.get("sha256", "")
        if expected and expected.lower() != digest:
            problems[file.name] = f"sha256 {digest} does not match manifest.csv ({expected})"
            continue
        date_problem = _check_date(info.get("date", ""))
        if date_problem:
            problems[file.name] = date_problem
            continue
        text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
        doc_id = listing.doc_id(file.name)
        if listing.columns is not None and file.name in meta:
            title = info.get("title", "")
        else:
            title = page_title or _first_line(text)
        row = {
            "doc_id": doc_id,
            "label": info.get("label") or doc_id,
            "outlet": info.get("outlet", ""),
            "title": title,
            "language": info.get("language", ""),
            "file": file.name,
            "sha256": digest,
            "n_bytes": n_raw,
            "n_chars": len(text),
            "duplicate_of": "",
            "format": kind,
            "text": text,
        }
        for key, value in info.items():
            if key not in row:
                row[key] = value
        rows.append(row)

    frame = pd.DataFrame(rows, columns=BASE_COLUMNS + (listing.columns or []))
    frame = frame.sort_values("doc_id", kind="stable").reset_index(drop=True)
    for column in ("url", "note"):
        if column not in frame.columns:
            frame[column] = ""
    raw_dates = frame["date"] if "date" in frame.columns else pd.Series("", index=frame.index)
    frame["date"] = _parse_dates(frame["date"]) if "date" in frame.columns else pd.Series(
        pd.NaT, index=frame.index, dtype="datetime64[ns]", name="date")
    # how precise each manifest date is: a year alone must not be shown as that year's January
    frame["date_precision"] = [_precision(v) for v in raw_dates]
    return frame, problems


def check_doc_ids(folder: Path, frame: pd.DataFrame) -> None:
    """Raise :class:`CorpusError` naming the files when one doc_id belongs to more than one file."""
    if frame["doc_id"].duplicated().any():
        dup = sorted(frame.loc[frame["doc_id"].duplicated(keep=False), "file"])
        raise CorpusError(folder, {name: "doc_id used by more than one file" for name in dup})


def text_key(text: str) -> str:
    """What two articles must share to be exact duplicates: their text with runs of white space
    made one space (a SHA-256 of it, so that the whole corpus's keys fit in memory)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def find_duplicates(doc_ids: list[str], keys: list[str]) -> tuple[list[str], list[str]]:
    """For articles in corpus (doc_id) order: each one's ``duplicate_of`` (the doc_id of the first
    article with the same :func:`text_key`, or "") and the lines of the duplicates warning."""
    first_by_key: dict[str, str] = {}
    duplicate_of, duplicates = [], []
    for doc_id, key in zip(doc_ids, keys):
        if key in first_by_key:
            duplicate_of.append(first_by_key[key])
            duplicates.append(f"{doc_id} duplicates {first_by_key[key]}")
        else:
            first_by_key[key] = doc_id
            duplicate_of.append("")
    return duplicate_of, duplicates


def warn_duplicates(duplicates: list[str], stacklevel: int = 2) -> None:
    """The warning that lists exact duplicate articles (none: no warning)."""
    if duplicates:
        warnings.warn("exact duplicate articles: " + "; ".join(duplicates), stacklevel=stacklevel + 1)
