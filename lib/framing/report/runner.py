"""Run every notebook on a corpus and write an offline HTML report: ``python -m framing.report.runner``.

Three uses:

* ``python -m framing.report.runner --corpus FOLDER --out OUT`` executes every
  ``notebooks/[0-9]*.ipynb`` with papermill on ``FOLDER`` and writes only into
  ``OUT``: ``notebooks/`` (executed copies), ``figures/`` (PNG and SVG),
  ``tables/`` (``sentences.csv``, ``sources.csv``) and ``report/`` (one HTML
  page per notebook and ``index.html``). ``OUT`` may not be inside the
  repository or inside ``FOLDER``; the corpus folder is only read, and the
  runner checks at the end that its files are unchanged. ``OUT`` must be new,
  empty, or a previous report of this runner (it holds the marker file
  :data:`MARKER`), which is then deleted whole before anything is written: a
  report is never mixed with stale files (:func:`prepare_out`).
* ``python -m framing.report.runner --html-only --out reports`` renders the
  notebooks already executed in the repository (and ``figures/``) into
  ``reports/``: this is the second half of ``make report`` without variables.
* ``python -m framing.report.runner --in-place notebooks/*.ipynb`` (``make notebooks``, the first
  half) builds the seeds once into ``FRAMING_CACHE`` and executes the repository's notebooks in
  place (:func:`execute_in_place`).

Either way the corpus is built once and the notebooks then run :func:`notebook_jobs` at a time
(two by default), each in its own kernel reading the one build.

Every page reads offline: nbconvert's lab template is used without its
require.js, MathJax, mermaid and widget scripts (they come from a CDN), CSS is
inlined and figures are embedded as base64. The entry page holds the headline
findings of each notebook (markdown cells tagged ``findings`` or, when a
notebook has none, the lines it prints), every figure, the corpus manifest and
provenance: package versions, git commit, SHA-256 of every input file.

Markdown cells tagged ``seed-corpus`` comment on the five seed articles; on any
other corpus their text is replaced, in the executed copies, by a one-line note
(:func:`drop_seed_notes`), so that the report never describes articles it did
not analyse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterable

    import pandas as pd
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

import argparse
import base64
import hashlib
import html
import importlib.metadata
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "REPO", "NOTEBOOKS", "notebook_paths", "declared_parameters", "check_paths", "check_codes", "input_checksums", "execute", "render_notebook",
    "findings", "write_index", "render_report", "run", "offline_problems", "main", "ReportError",
    "SEED_TAG", "is_seed_corpus", "drop_seed_notes", "MARKER", "prepare_out", "KEY_FIGURES",
]

#: The repository this package lives in (``lib/framing`` -> repo root).
REPO = Path(__file__).resolve().parents[3]
NOTEBOOKS = REPO / "notebooks"
SEEDS = REPO / "data" / "raw"

#: The file that marks a folder as a report of this runner (and so safe to replace whole).
MARKER = ".framing-report"
_MARKER_TEXT = "This folder is a report written by python -m framing.report.runner; a new run replaces it whole.\n"

#: Tag of the markdown cells that describe the seed corpus only.
SEED_TAG = "seed-corpus"
SEED_NOTE = ("*A paragraph about the project's five seed articles stands here in the repository's notebook; "
             "it is left out because it does not describe this corpus.*")

#: Distributions whose versions the provenance table lists.
PACKAGES = (
    "framing", "pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "vaderSentiment", "trafilatura",
    "papermill", "nbconvert", "nbclient", "ipykernel", "tqdm",
)

_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block body_header -%}
{{ super() }}
<p class="framing-nav"><a href="index.html">&larr; report index</a></p>
{%- endblock body_header -%}
"""


class ReportError(RuntimeError):
    """The report cannot be made as asked (bad paths, a notebook failed, the corpus changed)."""


# --------------------------------------------------------------------- paths
def notebook_paths(folder: str | os.PathLike[str] = NOTEBOOKS) -> list[Path]:
    """Every ``[0-9]*.ipynb`` in ``folder``, sorted by name."""
    return sorted(Path(folder).glob("[0-9]*.ipynb"))


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_paths(corpus: str | os.PathLike[str], out: str | os.PathLike[str], repo: str | os.PathLike[str] = REPO) -> tuple[Path, Path]:
    """Resolve ``corpus`` and ``out``; raise :class:`ReportError` if writing to ``out`` could touch either."""
    if not corpus or not out:
        raise ReportError("both CORPUS (a folder of articles) and OUT (an output folder) are needed, "
                          "e.g. make report CORPUS=~/articles OUT=~/articles-report")
    corpus, out, repo = Path(corpus).expanduser().resolve(), Path(out).expanduser().resolve(), Path(repo).resolve()
    if not corpus.is_dir():
        raise ReportError(f"CORPUS {corpus} is not a folder")
    if _inside(out, repo):
        raise ReportError(f"OUT {out} is inside the repository {repo}; choose a folder outside it "
                          "(the repository is never written by a report on your own corpus)")
    if _inside(out, corpus):
        raise ReportError(f"OUT {out} is inside CORPUS {corpus}; the corpus folder is only read: "
                          "choose an output folder outside it")
    if _inside(corpus, out):
        raise ReportError(f"CORPUS {corpus} is inside OUT {out}; OUT is written: keep them apart")
    if out.exists() and not out.is_dir():
        raise ReportError(f"OUT {out} exists and is not a folder")
    return corpus, out


def prepare_out(out: Path) -> None:
    """Make ``out`` an empty report folder holding only :data:`MARKER`.

    A missing or empty folder is created or used; a folder with the marker (a previous report,
    complete or not) is emptied whole; any other folder with files is refused with
    :class:`ReportError`, since deleting it could lose work.
    """
    import shutil

    out = Path(out)
    if out.is_dir():
        entries = sorted(out.iterdir())
        if entries and not (out / MARKER).is_file():
            shown = ", ".join(e.name for e in entries[:5]) + (" ..." if len(entries) > 5 else "")
            raise ReportError(f"OUT {out} is not empty ({shown}) and is not a previous report (no {MARKER} file); "
                              "choose a new or empty folder, so that nothing in it is lost or mixed into the report")
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(_MARKER_TEXT)


def input_checksums(folder: str | os.PathLike[str]) -> list[tuple[str, int, str]]:
    """``(file name, bytes, sha256)`` of every file in the corpus folder (not recursive), sorted by name."""
    rows = []
    for path in sorted(Path(folder).iterdir()):
        if path.is_file():
            data = path.read_bytes()
            rows.append((path.name, len(data), hashlib.sha256(data).hexdigest()))
    return rows


# ------------------------------------------------------------------ execution
def declared_parameters(notebook: Path) -> set[str]:
    """The names the notebook's cell tagged ``parameters`` assigns (``NAME = ...`` lines)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in _tags(c)]
    return {m.group(1) for c in cells for m in re.finditer(r"^([A-Za-z_]\w*)\s*=", c.source, re.M)}


def execute(notebook: Path, output: Path, corpus: Path, figures: Path, cwd: str | os.PathLike[str] = NOTEBOOKS,
            group: str = "", codes: str = "") -> None:
    """Execute one notebook with papermill: ``CORPUS``, ``FIGURES``, and ``GROUP`` and ``CODES`` where
    its parameters cell declares them, cwd the notebooks folder."""
    import papermill

    given = {"CORPUS": str(corpus), "FIGURES": str(figures), "GROUP": group, "CODES": codes}
    declared = declared_parameters(notebook)
    parameters = {k: v for k, v in given.items() if k in declared or k in ("CORPUS", "FIGURES")}
    output.parent.mkdir(parents=True, exist_ok=True)
    # The kernel writes start-up and shut-down chatter (a TCP-transport warning, "KeyboardInterrupt
    # caught in kernel") to the stderr it inherits: it goes to a temporary file instead, shown
    # only when the notebook fails.
    with tempfile.TemporaryFile(mode="w+b") as chatter:
        saved = os.dup(2)
        sys.stderr.flush()
        os.dup2(chatter.fileno(), 2)
        try:
            papermill.execute_notebook(
                str(notebook), str(output), parameters=parameters,
                cwd=str(cwd), progress_bar=False, log_output=False, report_mode=False,
                execution_timeout=3600, kernel_name="python3",
            )
        except papermill.PapermillExecutionError as err:
            chatter.seek(0)
            tail = chatter.read().decode("utf-8", "replace").strip().splitlines()[-20:]
            raise ReportError(f"{notebook.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue} "
                              f"(the executed notebook with the traceback is {output})"
                              + ("\nkernel messages:\n" + "\n".join(tail) if tail else "")) from err
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def is_seed_corpus(corpus: str | os.PathLike[str], seeds: str | os.PathLike[str] = SEEDS,
                   checksums: list[tuple[str, int, str]] | None = None) -> bool:
    """True when ``corpus`` holds exactly the seed files (same names and checksums), wherever it is.

    ``checksums``: the corpus's :func:`input_checksums`, when already computed.
    """
    if not Path(seeds).is_dir():
        return False
    return (input_checksums(corpus) if checksums is None else checksums) == input_checksums(seeds)


def drop_seed_notes(notebook: Path) -> int:
    """Replace the text of ``seed-corpus`` markdown cells of an executed notebook by a note; return how many."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown" and SEED_TAG in _tags(cell):
            cell.source = SEED_NOTE
            n += 1
    if n:
        nbformat.write(nb, str(notebook))
    return n


# ------------------------------------------------------------------ rendering
def _exporter() -> HTMLExporter:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"offline.html.j2": _OFFLINE_TEMPLATE})],
                        template_file="offline.html.j2")


def render_notebook(notebook: Path, page: Path) -> None:
    """Render one executed notebook to a self-contained HTML page."""
    import nbformat

    import logging

    nb = nbformat.read(str(notebook), as_version=4)
    log = logging.getLogger("traitlets")
    level = log.level
    log.setLevel(logging.ERROR)  # nbconvert warns about figures without alternative text: noise here
    try:
        body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    finally:
        log.setLevel(level)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(_with_contents(body), encoding="utf-8")


_HEADING = re.compile(r"<h([23])[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)


def _with_contents(page: str) -> str:
    """The page with a table of contents (its h2 and h3 headings) after the link back to the index."""
    items = []
    for level, anchor, inner in _HEADING.findall(page):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("\u00b6", "").strip()
        if text:
            items.append(f"<li class=\"toc-h{level}\"><a href=\"#{anchor}\">{html.escape(text)}</a></li>")
    if not items:
        return page
    toc = ("<nav class=\"framing-toc\" style=\"margin:0.5rem 2rem;font-size:0.9rem\"><strong>Contents</strong>"
           f"<ul>{''.join(items)}</ul></nav>")
    nav = re.search(r'<p class="framing-nav">.*?</p>', page, re.S)
    return page[:nav.end()] + "\n" + toc + page[nav.end():] if nav else page


def _tags(cell: NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def findings(notebook: Path) -> tuple[str, list[str]]:
    """``(title, findings)`` of an executed notebook.

    Findings are the markdown cells tagged ``findings`` (as markdown source) and
    the printed output of code cells tagged ``findings``; a notebook with no
    such tag contributes every line its code cells print (stdout).
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    title = notebook.stem
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                title = match.group(1).strip()
                break
    tagged = [c for c in nb.cells if "findings" in _tags(c)]
    cells = tagged or [c for c in nb.cells if c.cell_type == "code"]
    lines = []
    for cell in cells:
        if cell.cell_type == "markdown":
            lines.append(cell.source.strip())
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                lines += [line.strip() for line in output.get("text", "").splitlines() if line.strip()]
    return title, lines


def _markdown(text: str) -> str:
    from nbconvert.filters import markdown2html

    return markdown2html(text)


def _git_commit(repo: str | os.PathLike[str] = REPO) -> str:
    try:
        commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True, timeout=20).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not available (not a git checkout)"
    return commit + (" (with uncommitted changes)" if dirty else "")


def _versions() -> list[tuple[str, str]]:
    rows = [("python", platform.python_version())]
    for name in PACKAGES:
        try:
            rows.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return rows


def _table(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05rem; }
table { border-collapse: collapse; font-size: 0.82rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
figure { margin: 1rem 0 2rem; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.85rem; color: #555; }
.findings li { margin-bottom: 0.3rem; } code { font-size: 0.85em; }
.scroll { max-height: 32rem; overflow: auto; }
.keyfigs { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; align-items: start; }
.keyfigs figure { margin: 0; } .findings { font-size: 0.92rem; }
"""


#: The figures the entry page shows, in this order, when the run wrote them: those that answer
#: the mission's question (balance, its estimate corrected by a hand-coded sample, risks named,
#: hype and hedging, groups, topics).
KEY_FIGURES = ("03_balance_hype_hedge", "08_corrected_estimates", "07_group_measures", "03_risk_subthemes", "02_topic_prevalence",
               "03_frame_shares", "07_group_frames")
#: At most this many of :data:`KEY_FIGURES` go on the entry page.
N_KEY_FIGURES = 4


def _page(title: str, body: list[str]) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n" + "".join(body)
            + "</body>\n</html>\n")


def _figure(png: Path) -> str:
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f"<figure id=\"{html.escape(png.stem)}\"><img alt=\"{html.escape(png.stem)}\" "
            f"src=\"data:image/png;base64,{data}\"><figcaption>{html.escape(png.name)} "
            f"(SVG alongside in the figures folder)</figcaption></figure>\n")


def write_index(report: Path, pages: list[tuple[str, str, list[str]]], figures: Path, corpus_frame: pd.DataFrame,
                checksums: list[tuple[str, int, str]], corpus_label: str, title: str = "Framing of ketamine for depression: report") -> Path:
    """Write ``report/index.html`` (corpus, the key figures, each notebook's findings and link),
    ``figures.html`` (every figure) and ``provenance.html`` (manifest, versions, checksums)."""
    from framing.report.prose import plural

    pngs = sorted(Path(figures).glob("*.png")) if Path(figures).is_dir() else []
    by_stem = {png.stem: png for png in pngs}
    key = [by_stem[k] for k in KEY_FIGURES if k in by_stem][:N_KEY_FIGURES]
    parts = [f"<h1>{html.escape(title)}</h1>\n",
             f"<p>Corpus: <code>{html.escape(corpus_label)}</code>, {plural(len(corpus_frame), 'article')}. "
             f"<a href=\"figures.html\">All {len(pngs)} figures</a> · <a href=\"provenance.html\">manifest, "
             "software versions and input checksums</a>. Every page reads offline.</p>\n"]
    if key:
        parts.append("<h2>Key figures</h2>\n<div class=\"keyfigs\">" + "".join(_figure(png) for png in key) + "</div>\n")
    parts.append("<h2>Notebooks and headline findings</h2>\n")
    for href, name, lines in pages:
        parts.append(f"<h3><a href=\"{html.escape(href)}\">{html.escape(name)}</a></h3>\n")
        if lines:
            items = "".join(f"<li>{_markdown(line) if chr(10) in line or line.startswith(('#', '*', '-')) else html.escape(line)}</li>"
                            for line in lines)
            parts.append(f"<ul class=\"findings\">{items}</ul>\n")
        else:
            parts.append("<p>(no findings printed)</p>\n")
    report.mkdir(parents=True, exist_ok=True)
    back = "<p class=\"framing-nav\"><a href=\"index.html\">&larr; report index</a></p>\n"
    gallery = [back, "<h1>Figures</h1>\n"] + ([_figure(png) for png in pngs] or ["<p>No figures were written.</p>\n"])
    (report / "figures.html").write_text(_page(f"{title}: figures", gallery), encoding="utf-8")

    columns = [c for c in ["doc_id", "label", "outlet", "title", "date", "url", "file", "format", "language",
                           "n_chars", "duplicate_of"] if c in corpus_frame.columns]
    shown = corpus_frame[columns].copy()
    if "date" in shown.columns:
        shown["date"] = shown["date"].map(lambda d: "" if d is None or d != d else str(d)[:10])
    provenance = [back, "<h1>Provenance</h1>\n", "<h2>Corpus manifest</h2>\n",
                  f"<div class=\"scroll\">{_table(columns, shown.itertuples(index=False))}</div>\n",
                  "<h2>Software</h2>\n", _table(["package", "version"], _versions()),
                  f"<p>Git commit of the analysis code: <code>{html.escape(_git_commit())}</code></p>\n",
                  "<h2>Input files (SHA-256)</h2>\n",
                  f"<div class=\"scroll\">{_table(['file', 'bytes', 'sha256'], checksums)}</div>\n"]
    (report / "provenance.html").write_text(_page(f"{title}: provenance", provenance), encoding="utf-8")
    index = report / "index.html"
    index.write_text(_page(title, parts), encoding="utf-8")
    return index


def render_report(notebooks: list[Path], report: Path, figures: Path, corpus_folder: Path,
                  corpus_frame: pd.DataFrame | None = None) -> Path:
    """HTML page per executed notebook plus ``index.html`` in ``report``; returns the index path."""
    from framing.io.corpus import load_corpus

    if corpus_frame is None:
        corpus_frame = load_corpus(corpus_folder, on_error="skip")
    pages = []
    for nb in notebooks:
        page = report / f"{nb.stem}.html"
        render_notebook(nb, page)
        title, lines = findings(nb)
        pages.append((page.name, title, lines))
    return write_index(report, pages, figures, corpus_frame, input_checksums(corpus_folder), str(corpus_folder))


_EXTERNAL = re.compile(r"<(script|link|img|iframe|source|video|audio|embed)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//",
                       re.I)
_CSS_EXTERNAL = re.compile(r"@import\s+(url\()?\s*[\"']?(https?:)?//|url\(\s*[\"']?(https?:)?//", re.I)


def offline_problems(page: Path) -> list[str]:
    """Resources the page would fetch from the network (empty list: it reads offline)."""
    text = Path(page).read_text(encoding="utf-8")
    found = [m.group(0)[:120] for m in _EXTERNAL.finditer(text)]
    found += [m.group(0)[:120] for m in _CSS_EXTERNAL.finditer(text)]
    return found


# ---------------------------------------------------------------------- run
@dataclass(frozen=True)
class RunResult:
    out: Path
    index: Path
    tables: list[Path]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def check_codes(codes: str | list, out: Path) -> list[Path]:
    """The coding sheets of ``CODES`` (paths joined by commas) as absolute paths; raises
    :class:`ReportError` for a missing file or one inside ``out`` (which the run empties)."""
    paths = [Path(p.strip()).expanduser().resolve() for p in (codes.split(",") if isinstance(codes, str) else codes)
             if str(p).strip()]
    for path in paths:
        if not path.is_file():
            raise ReportError(f"CODES: {path} is not a file (give coding sheets made by make codesheet, joined by commas)")
        if _inside(path, Path(out).resolve()):
            raise ReportError(f"CODES: {path} is inside OUT {out}, which the report empties first: keep the sheets elsewhere")
    return paths


def run(corpus: str | os.PathLike[str], out: str | os.PathLike[str], notebooks_folder: str | os.PathLike[str] = NOTEBOOKS,
        repo: str | os.PathLike[str] = REPO, progress: bool = True, group: str = "", codes: str | list = "",
        engine: str = "memory", scheduler: str = "") -> RunResult:
    """Everything for one corpus into ``out`` (see the module docstring); ``group``: a manifest
    column whose values group the articles (notebook 07 compares the groups); ``codes``: coding
    sheets of a hand-coded sample of this corpus (``make codesheet``), which notebook 04 validates
    on and notebook 08 corrects the estimates with. ``engine="dask"``: the corpus is built with
    :mod:`framing.dask_engine` (on a LocalCluster, or on the scheduler at address ``scheduler``),
    its partitioned Parquet tables kept in ``out/parquet``; the notebooks then read the same
    tables as with the in-memory engine."""
    from framing import _progress as progress_mod
    from framing.pipeline import CACHE_ENV, ENGINES, build
    from framing.report import tables as tables_mod
    from framing.report.prose import plural

    if engine not in ENGINES:
        raise ReportError(f"ENGINE must be one of {', '.join(ENGINES)}, not {engine!r}")
    corpus, out = check_paths(corpus, out, repo)
    sheets = check_codes(codes, out)
    notebooks = notebook_paths(notebooks_folder)
    if not notebooks:
        raise ReportError(f"no notebooks [0-9]*.ipynb in {notebooks_folder}")
    before = input_checksums(corpus)
    sheet_bytes = [p.read_bytes() for p in sheets]
    started = time.perf_counter()
    prepare_out(out)

    _log(f"corpus {corpus}: {len(before)} file(s); output {out}")
    # build() keeps its result in a cache folder that every notebook's kernel reads: a temporary
    # folder, or the one FRAMING_CACHE names (kept, so a test can count the computations)
    with tempfile.TemporaryDirectory(prefix="framing-report-") as temporary:
        saved = os.environ.get(CACHE_ENV)
        os.environ[CACHE_ENV] = saved or temporary
        try:
            with progress_mod.enabled(progress):
                if engine == "dask":
                    built = build(corpus, engine="dask", scheduler=scheduler, dataset=out / "parquet")
                else:
                    built = build(corpus)
                _log(f"built {plural(len(built.corpus), 'article')}, {plural(len(built.sentences), 'sentence')} ({engine} engine)")
                if group:
                    from framing.measures.groups import GroupError, groups_of

                    try:
                        groups_of(built.corpus, group)
                    except GroupError as err:
                        raise ReportError(str(err)) from err
                if sheets:
                    from framing.io.codesheet import SheetError, design, read_sheets

                    try:
                        found = design(built, read_sheets(sheets))
                    except SheetError as err:
                        raise ReportError(f"CODES: {err}") from err
                    _log(f"CODES: {len(found.hand)} hand-coded unit(s) of {found.n_planned} in {len(sheets)} sheet(s)")
                tables = tables_mod.build(built, group=group)
            table_paths = tables_mod.write(tables, out / "tables")

            seeds = is_seed_corpus(corpus, checksums=before)
            jobs = [(nb, out / "notebooks" / nb.name, corpus, out / "figures", Path(notebooks_folder), group,
                     ",".join(str(p) for p in sheets), seeds) for nb in notebooks]
            _log(f"executing {len(jobs)} notebooks, {notebook_jobs()} at a time")
            if notebook_jobs() == 1:
                executed = [_execute_and_tidy(job) for job in jobs]
            else:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                with ProcessPoolExecutor(notebook_jobs(), mp_context=multiprocessing.get_context("spawn")) as pool:
                    executed = list(pool.map(_execute_and_tidy, jobs))
        finally:
            if saved is None:
                os.environ.pop(CACHE_ENV, None)
            else:
                os.environ[CACHE_ENV] = saved
    _log("rendering HTML")
    index = render_report(executed, out / "report", out / "figures", corpus, built.corpus)

    if input_checksums(corpus) != before:
        raise ReportError(f"the corpus folder {corpus} changed during the run")
    if [p.read_bytes() for p in sheets] != sheet_bytes:
        raise ReportError("a coding sheet of CODES changed during the run")
    _log(f"done in {time.perf_counter() - started:.0f} s: open {index}")
    return RunResult(out=out, index=index, tables=table_paths)


def _execute_and_tidy(job: tuple) -> Path:
    """One notebook of :func:`run`: executed into OUT, then made byte-stable (and its seed notes
    dropped on another corpus); ``job`` = (notebook, target, corpus, figures, cwd, group, codes, seeds)."""
    from framing.report import nbtools

    nb, target, corpus, figures, cwd, group, codes, seeds = job
    _log(f"executing {nb.name}")
    execute(nb, target, corpus, figures, cwd=cwd, group=group, codes=codes)
    nbtools.drop_run_details(target)  # no clock times, no random ids: a rerun gives the same files
    nbtools.merge_streams(target)
    nbtools.normalise_widgets(target)
    if not seeds:
        drop_seed_notes(target)
    return target


def notebook_jobs() -> int:
    """Notebooks executed at once: ``FRAMING_NOTEBOOK_JOBS``, else two (or one on a one-core machine).
    The notebooks are independent once the corpus is built: each reads the build cache and writes
    its own figures (named after it), so their outputs do not depend on the order they run in."""
    from framing._parallel import default_jobs

    env = os.environ.get("FRAMING_NOTEBOOK_JOBS", "").strip()
    return int(env) if env.isdigit() and int(env) > 0 else min(2, default_jobs())


def _nbconvert_in_place(notebook: Path) -> str:
    """Execute ``notebook`` in place as ``make notebooks`` always has (``jupyter nbconvert
    --execute --inplace``, metadata cleared, cell tags kept), then normalise it (:mod:`nbtools`).
    Returns the kernel's stderr chatter; raises ReportError with it when the notebook fails."""
    import subprocess

    from framing.report import nbtools

    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "nbconvert", "--to", "notebook", "--execute", "--inplace", "--log-level=WARN",
               "--ExecutePreprocessor.timeout=1200", "--ExecutePreprocessor.record_timing=False",
               "--ClearMetadataPreprocessor.enabled=True", "--ClearMetadataPreprocessor.clear_notebook_metadata=False",
               "--ClearMetadataPreprocessor.preserve_cell_metadata_mask=tags", str(notebook)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        tail = "\n".join(done.stderr.strip().splitlines()[-40:])  # the cell, its error and traceback
        raise ReportError(f"{notebook.name} failed:\n{tail}")
    nbtools.main([str(notebook)])
    return done.stderr


def execute_in_place(notebooks: list[Path], corpus: str | os.PathLike[str] = REPO / "data" / "raw",
                     jobs: int | None = None) -> None:
    """``make notebooks``: build ``corpus`` once into the cache (``FRAMING_CACHE``, which the
    notebooks' kernels read), then execute the repository's notebooks in place, :func:`notebook_jobs`
    at a time; the files written are the same as one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from framing.pipeline import build

    build(corpus)
    jobs = notebook_jobs() if jobs is None else max(1, jobs)
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # threads only wait for the nbconvert processes
        futures = []
        for nb in notebooks:
            futures.append(pool.submit(_nbconvert_in_place, Path(nb)))
        for nb, future in zip(notebooks, futures):
            future.result()
            _log(f"executed {nb}")


def main(argv: list[str] | None = None) -> int:
    """``python -m framing.report.runner --corpus DIR --out DIR``: run everything into OUT (exit 2 on a refused path)."""
    parser = argparse.ArgumentParser(prog="python -m framing.report.runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.environ.get("CORPUS", ""), help="folder of articles (read only)")
    parser.add_argument("--out", default=os.environ.get("OUT", ""), help="output folder (outside the repository)")
    parser.add_argument("--group", default=os.environ.get("GROUP", ""),
                        help="manifest column whose values group the articles (compared in notebook 07)")
    parser.add_argument("--codes", default=os.environ.get("CODES", ""),
                        help="coding sheets of a hand-coded sample (make codesheet), joined by commas (notebooks 04 and 08)")
    parser.add_argument("--engine", default=os.environ.get("ENGINE", "") or "memory",
                        help="memory (default) or dask (framing.dask_engine: partitioned Parquet tables in OUT/parquet)")
    parser.add_argument("--scheduler", default=os.environ.get("SCHEDULER", ""),
                        help="with --engine dask: address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--html-only", action="store_true",
                        help="render the repository's executed notebooks and figures/ into --out (default reports/)")
    parser.add_argument("--notebooks", default=str(NOTEBOOKS), help="folder of the notebooks to run")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars on stderr")
    parser.add_argument("--in-place", nargs="+", metavar="NOTEBOOK", default=None,
                        help="execute these repository notebooks in place on the seeds (make notebooks)")
    args = parser.parse_args(argv)
    try:
        if args.in_place:
            execute_in_place([Path(p) for p in args.in_place])
        elif args.html_only:
            report = Path(args.out or REPO / "reports")
            corpus = Path(args.corpus or REPO / "data" / "raw")
            index = render_report(notebook_paths(args.notebooks), report, REPO / "figures", corpus)
            _log(f"wrote {index}")
        else:
            run(args.corpus, args.out, notebooks_folder=Path(args.notebooks), progress=not args.no_progress,
                group=args.group, codes=args.codes, engine=args.engine, scheduler=args.scheduler)
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
