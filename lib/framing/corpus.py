"""Load a folder of articles into a pandas DataFrame, one row per article.

The loader is read-only: it opens files for reading and never writes into the
folder. Every problem with an input file is reported by name, with a reason,
and all of them at once, so that a researcher fixing a corpus does not have to
rerun the loader once per broken file.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["CorpusError", "load_corpus", "read_manifest", "TEXT_SUFFIXES"]

#: File endings read as plain text.
TEXT_SUFFIXES = (".txt",)

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
    "text",
]

_BOM = b"\xef\xbb\xbf"


class CorpusError(ValueError):
    """One or more input files cannot be used. ``problems`` maps file -> reason."""

    def __init__(self, folder: Path, problems: dict[str, str]):
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
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        return _Decoded(None, f"binary content ({controls} control characters)")
    return _Decoded(text, None)


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


def load_corpus(path, on_error: str = "raise", suffixes=TEXT_SUFFIXES) -> pd.DataFrame:
    """Load every article in folder ``path``; one row per article, sorted by doc_id.

    Parameters
    ----------
    path:
        A folder of text files, optionally with a ``manifest.csv`` that has a
        ``file`` column and any of ``doc_id``, ``label``, ``outlet``, ``title``,
        ``language``, ``sha256``, ``url``, ``date``, ``note``.
    on_error:
        ``"raise"`` (default): any broken file raises one :class:`CorpusError`
        naming every broken file with its reason. ``"skip"``: broken files are
        left out and a warning lists them.

    Without a manifest, ``doc_id`` is the file name without its ending and the
    title is the first non-empty line. A manifest ``sha256`` that does not match
    the file is an error. Exact duplicate texts are reported with a warning and
    in the ``duplicate_of`` column (the doc_id of the first copy).
    """
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    folder = Path(path)
    if not folder.is_dir():
        raise CorpusError(folder, {str(folder): "not a folder"})

    suffixes = tuple(s.lower() for s in suffixes)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    manifest_path = folder / "manifest.csv"
    manifest = read_manifest(manifest_path) if manifest_path.exists() else None

    meta: dict[str, dict[str, str]] = {}
    problems: dict[str, str] = {}
    if manifest is not None:
        present = {p.name for p in files}
        for row in manifest.to_dict("records"):
            if row["file"] not in present:
                problems[row["file"]] = "listed in manifest.csv but not found in the folder"
            meta[row["file"]] = row

    rows = []
    for file in files:
        raw = file.read_bytes()
        decoded = _decode(raw)
        if decoded.problem:
            problems[file.name] = decoded.problem
            continue
        digest = hashlib.sha256(raw).hexdigest()
        info = meta.get(file.name, {})
        expected = info.get("sha256", "")
        if expected and expected.lower() != digest:
            problems[file.name] = f"sha256 {digest} does not match manifest.csv ({expected})"
            continue
        text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
        doc_id = info.get("doc_id") or file.stem
        row = {
            "doc_id": doc_id,
            "label": info.get("label") or doc_id,
            "outlet": info.get("outlet", ""),
            "title": info.get("title", "") if manifest is not None and file.name in meta else _first_line(text),
            "language": info.get("language", ""),
            "file": file.name,
            "sha256": digest,
            "n_bytes": len(raw),
            "n_chars": len(text),
            "duplicate_of": "",
            "text": text,
        }
        for key, value in info.items():
            if key not in row:
                row[key] = value
        rows.append(row)

    if problems:
        error = CorpusError(folder, problems)
        if on_error == "raise":
            raise error
        warnings.warn(f"skipped {error}", stacklevel=2)

    if manifest is not None:
        extra = [c for c in manifest.columns if c not in BASE_COLUMNS]
    else:
        extra = []
    frame = pd.DataFrame(rows, columns=BASE_COLUMNS + extra)
    if frame["doc_id"].duplicated().any():
        dup = sorted(frame.loc[frame["doc_id"].duplicated(keep=False), "file"])
        raise CorpusError(folder, {name: "doc_id used by more than one file" for name in dup})
    frame = frame.sort_values("doc_id", kind="stable").reset_index(drop=True)

    first_by_text: dict[str, str] = {}
    duplicates = []
    for i, (doc_id, text) in enumerate(zip(frame["doc_id"], frame["text"])):
        key = " ".join(text.split())
        if key in first_by_text:
            frame.at[i, "duplicate_of"] = first_by_text[key]
            duplicates.append(f"{doc_id} duplicates {first_by_text[key]}")
        else:
            first_by_text[key] = doc_id
    if duplicates:
        warnings.warn("exact duplicate articles: " + "; ".join(duplicates), stacklevel=2)
    return frame
