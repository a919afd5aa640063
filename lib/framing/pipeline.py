"""The path from a folder of articles to every table the notebooks read, computed once.

:func:`prepare` loads, cleans and splits into sentences (:class:`Prepared`);
:func:`build` adds every per-sentence measure, the topic model and the per-source table
(:class:`Built`). Both keep their result in the folder named by ``FRAMING_CACHE`` (the
report runner and ``make`` set it), keyed by the input files' contents and the package's
code and data, so six notebooks, the tables and the benchmark share one computation. The
cache is columnar: each table a Parquet file (pyarrow), read back identical, dtypes included
(tested); only the fitted topic model, an object, is pickled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Callable
    from contextlib import AbstractContextManager

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framing.io.clean import clean_corpus
from framing.io.corpus import CorpusError, read_corpus, report_problems
from framing.io.segment import sentence_table

__all__ = ["Prepared", "prepare", "Built", "build", "ENGINES", "CACHE_ENV", "PROSE_MIN_WORDS", "without_prose", "drop_without_prose"]

#: An article needs at least one sentence of prose: a body sentence (not a heading) of at
#: least this many words, after cleaning. Pages of navigation, link lists or headlines only
#: have none and are listed with the unusable files.
PROSE_MIN_WORDS = 4


@dataclass(frozen=True)
class Prepared:
    """A corpus ready for analysis.

    corpus: one row per article, with ``clean_text`` added.
    audit: one row per line that cleaning removed (doc_id, line, rule, text).
    sentences: one row per sentence of the clean text (see :func:`framing.io.segment.sentence_table`).
    """

    corpus: pd.DataFrame
    audit: pd.DataFrame
    sentences: pd.DataFrame

    @property
    def labels(self) -> dict[str, str]:
        """doc_id -> short label for figures."""
        return dict(zip(self.corpus["doc_id"], self.corpus["label"]))


#: Folder where :func:`prepare` and :func:`build` keep their results between calls (set by
#: the report runner and by ``make``); unset: nothing is kept.
CACHE_ENV = "FRAMING_CACHE"
#: File in the cache folder with one line per computation :func:`build` did (not per reuse).
BUILD_LOG = "build.log"


def _stored(kind: str, *parts: str | os.PathLike[str] | int) -> Path | None:
    """The folder where the cache keeps ``kind`` ("prepared", "built") for this input (None: no
    cache set, or the folder is unreadable, which the loader then reports)."""
    cache = os.environ.get(CACHE_ENV, "")
    if not cache:
        return None
    try:
        return Path(cache) / f"{kind}-{build_key(*parts)}"
    except OSError:
        return None


#: The tables of each cached kind, one Parquet file each; ``built`` also keeps ``topics.pkl``
#: (the fitted topic model, an object, not a table) and refers to the ``prepared`` entry.
_TABLES = {"prepared": ("corpus", "audit", "sentences"), "built": ("measured", "k_table", "sources")}
_OBJECT_COLUMNS = "object_columns.json"


def _write_table(table: pd.DataFrame, path: Path) -> list[str]:
    """``table`` as Parquet (pyarrow); returns its ``object`` columns, which Parquet stores by
    their values' type and :func:`_read_table` turns back into ``object``."""
    table.to_parquet(path, engine="pyarrow", index=True)
    return [str(c) for c in table.columns if table[c].dtype == object]


def _read_table(path: Path, object_columns: list[str]) -> pd.DataFrame:
    table = pd.read_parquet(path, engine="pyarrow")
    for column in object_columns:
        table[column] = table[column].astype(object)
    return table


def _read(stored: Path | None) -> Prepared | Built | None:
    """The cached value in folder ``stored`` (None when there is none)."""
    import json

    if stored is None or not (stored / _OBJECT_COLUMNS).exists():
        return None
    kind = stored.name.split("-", 1)[0]
    objects = json.loads((stored / _OBJECT_COLUMNS).read_text(encoding="utf-8"))
    tables = {name: _read_table(stored / f"{name}.parquet", objects[name]) for name in _TABLES[kind]}
    if kind == "prepared":
        return Prepared(**tables)
    prepared = _read(stored.parent / (stored / "prepared.txt").read_text(encoding="utf-8").strip())
    with (stored / "topics.pkl").open("rb") as handle:
        model = pickle.load(handle)
    return Built(prepared=prepared, topics=model, **tables)


def _write(stored: Path | None, value: Prepared | Built, prepared_at: Path | None = None) -> None:
    """Keep ``value`` in folder ``stored``: its tables as Parquet (columnar, via pyarrow); a
    :class:`Built` also keeps its topic model (pickle) and the name of its ``prepared`` entry
    (``prepared_at``). Written into a folder aside, then renamed, so readers never see half an
    entry; the file that marks an entry complete is written last."""
    import json
    import shutil

    if stored is None:
        return
    stored.parent.mkdir(parents=True, exist_ok=True)
    partial = stored.with_name(f"{stored.name}.{os.getpid()}.tmp")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    kind = stored.name.split("-", 1)[0]
    objects = {name: _write_table(getattr(value, name), partial / f"{name}.parquet") for name in _TABLES[kind]}
    if kind == "built":
        with (partial / "topics.pkl").open("wb") as handle:
            pickle.dump(value.topics, handle, protocol=pickle.HIGHEST_PROTOCOL)
        (partial / "prepared.txt").write_text(prepared_at.name + "\n", encoding="utf-8")
    (partial / _OBJECT_COLUMNS).write_text(json.dumps(objects, sort_keys=True) + "\n", encoding="utf-8")
    try:
        partial.rename(stored)
    except OSError:  # another process stored the same entry first: same key, same content
        shutil.rmtree(partial, ignore_errors=True)


def prepare(path: str | os.PathLike[str], on_error: str = "raise", n_jobs: int | None = None,
            stage: Callable[[str], AbstractContextManager] | None = None) -> Prepared:
    """Load the folder ``path`` and return its clean text, audit and sentences.

    Extracting web pages (from 20 pages), cleaning and sentence splitting (from
    200 articles) share the documents among ``n_jobs`` processes (``None``: all
    cores; 1: this process only); the result is the same whatever ``n_jobs``.

    When the environment variable ``FRAMING_CACHE`` names a folder (the report runner
    and ``make`` set it), the result is kept there and reused by later calls on the
    same files and code (:func:`build_key`), so six notebooks do not extract the same
    pages six times. ``stage``: see :func:`build`.
    """
    stored = _stored("prepared", path, on_error)
    cached = _read(stored)
    if cached is not None:
        return cached
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    stage = stage or _no_stage
    with stage("load"):
        loaded, problems = read_corpus(path, n_jobs=n_jobs)
    if loaded.empty:
        raise no_articles(path, problems)
    with stage("clean"):
        corpus, audit = clean_corpus(loaded, n_jobs=n_jobs)
    with stage("sentences"):
        sentences = sentence_table(corpus, n_jobs=n_jobs)
    corpus, audit, sentences = drop_without_prose(corpus, audit, sentences, problems)
    if corpus.empty:
        raise no_articles(path, problems)
    report_problems(Path(path), problems, on_error)
    prepared = Prepared(corpus=corpus, audit=audit, sentences=sentences)
    _write(stored, prepared)
    return prepared


def no_articles(path: str | os.PathLike[str], problems: dict[str, str]) -> CorpusError:
    """The error for a folder with no usable article: its problems, and the folder itself."""
    from framing.io.corpus import ARTICLE_SUFFIXES

    reason = f"no usable article (files ending {', '.join(ARTICLE_SUFFIXES)}, with prose) in the folder"
    return CorpusError(Path(path), {**problems, str(Path(path)): reason})


def drop_without_prose(corpus: pd.DataFrame, audit: pd.DataFrame, sentences: pd.DataFrame, problems: dict[str, str]
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three tables without the articles :func:`without_prose` finds, each of whose files gets
    its reason in ``problems`` (updated in place)."""
    empty = without_prose(corpus, sentences)
    if not empty:
        return corpus, audit, sentences
    files = dict(zip(corpus["doc_id"], corpus["file"]))
    problems.update({files[d]: reason for d, reason in empty.items()})
    gone = list(empty)
    return tuple(table[~table["doc_id"].isin(gone)].reset_index(drop=True) for table in (corpus, audit, sentences))


def without_prose(corpus: pd.DataFrame, sentences: pd.DataFrame) -> dict[str, str]:
    """doc_id -> reason, for the articles with no sentence of prose (:data:`PROSE_MIN_WORDS`)."""
    body = sentences[~sentences["is_heading"] & (sentences["n_words"] >= PROSE_MIN_WORDS)]
    have = set(body["doc_id"])
    out = {}
    for doc_id, text in zip(corpus["doc_id"], corpus["clean_text"]):
        if doc_id in have:
            continue
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        shown = "; ".join(lines[:4]) + (" ..." if len(lines) > 4 else "")
        out[doc_id] = ("no sentence of article prose after cleaning (only headings, links or navigation"
                       + (f": {shown[:120]})" if lines else "; nothing left)"))
    return out


# ------------------------------------------------------------------------------ build
@dataclass(frozen=True)
class Built:
    """Everything the notebooks, the tables and the benchmark read about one corpus.

    prepared: the :class:`Prepared` corpus (``corpus``, ``audit``, ``sentences`` are here too).
    measured: one row per sentence, :func:`framing.measures.analysis.measure` (sentiment, frame, hype,
    hedge, cues, sub-themes, frame probabilities) plus ``topic`` and ``topic_name``.
    topics: the chosen topic model (:func:`framing.measures.topics.fit_chosen` on every sentence).
    k_table: the table the number of topics was chosen from.
    sources: one row per article (:func:`framing.report.tables.sources_table`).
    """

    prepared: Prepared
    measured: pd.DataFrame
    topics: object
    k_table: pd.DataFrame
    sources: pd.DataFrame

    @property
    def corpus(self) -> pd.DataFrame:
        return self.prepared.corpus

    @property
    def audit(self) -> pd.DataFrame:
        return self.prepared.audit

    @property
    def sentences(self) -> pd.DataFrame:
        return self.prepared.sentences

    @property
    def labels(self) -> dict[str, str]:
        return self.prepared.labels


def _no_stage(name: str) -> AbstractContextManager[None]:
    """The default ``stage``: no timing."""
    from contextlib import nullcontext

    return nullcontext()


def build_key(path: str | os.PathLike[str], on_error: str = "raise", seed: int = 0) -> str:
    """Checksum of what :func:`build` depends on: the contents of the folder's files, the
    package's code and data files, its version and the versions of the libraries that compute."""
    import importlib.metadata as md

    from framing import __version__

    digest = hashlib.sha256(f"build\0{on_error}\0{seed}\0{__version__}\n".encode())
    folder = Path(path).resolve()
    for file in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(f"{file.name}\0{hashlib.sha256(file.read_bytes()).hexdigest()}\n".encode())
    here = Path(__file__).parent
    for source in sorted([*here.rglob("*.py"), *(here / "data").glob("*")]):
        if source.is_file():
            name = source.relative_to(here).as_posix()
            digest.update(name.encode() + b"\0" + hashlib.sha256(source.read_bytes()).digest())
    for dist in ("numpy", "scipy", "pandas", "scikit-learn", "vaderSentiment", "wordllama", "trafilatura"):
        digest.update(f"{dist}=={md.version(dist)}\n".encode())
    return digest.hexdigest()


#: The engines :func:`build` runs on.
ENGINES = ("memory", "dask")


def build(path: str | os.PathLike[str], on_error: str = "raise", n_jobs: int | None = None, seed: int = 0,
          stage: Callable[[str], AbstractContextManager] | None = None, engine: str = "memory",
          client: object | None = None, scheduler: str = "", dataset: str | os.PathLike[str] | None = None) -> Built:
    """Load, clean, segment, measure and model the corpus in folder ``path``, once.

    The steps: :func:`prepare` (load, clean, sentences), :func:`framing.measures.analysis.measure`
    (sentiment and framing, each article's sentences as context), the topic model chosen by
    :func:`framing.measures.topics.fit_chosen` on every sentence (``seed``), and the per-source table.
    With ``FRAMING_CACHE`` set, the result is stored there under :func:`build_key` and later
    calls on the same files and code read it back; each computation adds a line to
    :data:`BUILD_LOG` there. ``stage``: a function of a stage name returning a context manager
    around that stage (the benchmark times the stages with it). ``n_jobs``: processes for the
    per-sentence work and the choice of k (None: all cores); the result does not depend on it.

    ``engine="dask"`` runs the same steps with :func:`framing.dask_engine.build_dataset` on
    ``client`` (a ``distributed.Client``), or on the scheduler at address ``scheduler``, or on a
    LocalCluster, writing partitioned Parquet tables into the folder ``dataset`` (default: a
    ``dataset-<key>`` folder beside the cache entries, or a temporary folder without a cache);
    the tables are then read back: the same :class:`Built` as the in-memory engine (tested).
    ``stage`` times only the in-memory engine.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    stage = stage or _no_stage
    stored = _stored("built", path, on_error, seed)
    cached = _read(stored)
    if cached is not None:
        return cached
    if engine == "dask":
        built = _build_dask(path, on_error, seed, client, scheduler, dataset, stored)
    else:
        built = _build_memory(path, on_error, n_jobs, seed, stage)
    if stored is not None:
        prepared_at = _stored("prepared", path, on_error)
        if not (prepared_at / _OBJECT_COLUMNS).exists():  # the prepared entry is part of this one
            _write(prepared_at, built.prepared)
        _write(stored, built, prepared_at)
        with (stored.parent / BUILD_LOG).open("a", encoding="utf-8") as log:
            log.write(f"{stored.stem} {Path(path).resolve()}\n")
    return built


def _build_dask(path: str | os.PathLike[str], on_error: str, seed: int, client: object | None, scheduler: str,
                dataset: str | os.PathLike[str] | None, stored: Path | None) -> Built:
    import shutil
    import tempfile

    from framing.dask_engine import build_dataset, load_built

    temporary = None
    if dataset is None:
        if stored is not None:
            dataset = stored.with_name(stored.name.replace("built-", "dataset-", 1))
        else:
            temporary = tempfile.mkdtemp(prefix="framing-dataset-")
            dataset = Path(temporary) / "dataset"
    try:
        build_dataset(path, dataset, on_error=on_error, seed=seed, client=client, scheduler=scheduler)
        return load_built(dataset)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _build_memory(path: str | os.PathLike[str], on_error: str, n_jobs: int | None, seed: int,
                  stage: Callable[[str], AbstractContextManager]) -> Built:
    from framing.measures import topics
    from framing.measures.analysis import measure
    from framing.report.tables import sources_table

    prepared = prepare(path, on_error=on_error, n_jobs=n_jobs, stage=stage)
    measured = measure(prepared.sentences, n_jobs=n_jobs, stage=stage)
    with stage("topics"):
        model, k_table = topics.fit_chosen(measured["text"].tolist(), seed=seed, n_jobs=n_jobs)
    measured["topic"] = model.topic
    measured["topic_name"] = model.label(model.topic)
    with stage("sources"):
        sources = sources_table(prepared, measured)
    return Built(prepared=prepared, measured=measured, topics=model, k_table=k_table, sources=sources)
