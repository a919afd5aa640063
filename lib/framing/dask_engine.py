"""The pipeline of :func:`framing.pipeline.build` on Dask, for corpora larger than memory or than one machine.

:func:`build_dataset` cuts the corpus's files (in doc_id order) into partitions of about
:data:`PARTITION_MB` MB and runs the per-partition stages (load, clean, sentences, sentiment,
framing) as one function per partition on a :mod:`dask.bag`, on a ``distributed`` cluster: a
``LocalCluster`` of one single-threaded worker process per core by default, or the scheduler
whose address the caller gives (the workers must see the corpus and output folders at the same
paths). Every partition writes its tables as Parquet files; the driver only gathers small
summaries. The corpus-wide steps are reductions over the partitions:

* duplicates: each article's :func:`framing.io.corpus.text_key`, grouped on the workers
  (``foldby``); only groups of two or more reach the driver;
* vocabulary and idf: document frequencies of the topic vocabulary, summed on the workers
  (``fold``), give the same vectorizer as :func:`framing.measures.topics.sentence_matrix`
  (:func:`framing.measures.topics.tfidf_from_counts`);
* topics: k is chosen on the same seeded sample of at most ``K_SAMPLE`` sentences and NMF is fitted
  on the same sample of at most ``FIT_SAMPLE`` sentences as in memory (both gathered to the
  driver); every sentence is then projected on the topics in the same fixed blocks of
  ``PROJECT_ROWS`` sentences (:func:`framing.measures.topics.project`), one task per block,
  and the topic sizes that order the topics are summed over blocks.

A last pass per partition adds the topics and ``duplicate_of`` and writes the per-source table.
The tables are those of the in-memory path, value for value and dtype for dtype (tested on a
corpus cut into several partitions). The driver's memory does not grow with the corpus: it
holds the partition list, the vocabulary, the samples and one block of weights at most.

Output folder layout (written afresh; a stale folder is removed first): ``corpus/``, ``audit/``,
``measured/``, ``sources/`` (``part-NNNNN.parquet`` each, one per partition, in doc_id order),
``weights/part-NNNNN.npy`` (the sentences' topic weights), ``k_table.parquet``, ``topics.pkl``
(the fitted :class:`~framing.measures.topics.TopicModel` without per-sentence arrays) and
``dataset.json`` (partitions, sentence counts, columns), written last. :func:`load_built`
reads it back as a :class:`~framing.pipeline.Built`, for corpora that fit in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterator

import json
import logging
import os
import pickle
import shutil
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["PARTITION_MB", "PARTITION_ENV", "build_dataset", "load_built", "partitions", "local_client"]

#: Partitions hold about this many MB of input files (``FRAMING_PARTITION_MB`` overrides): a
#: worker's memory is bounded by what a partition's tables take, not by the corpus.
PARTITION_MB = 16.0
PARTITION_ENV = "FRAMING_PARTITION_MB"
_DONE = "dataset.json"
_TABLES = ("corpus", "audit", "measured", "sources")


def partitions(folder: Path, names: list[str], doc_ids: list[str], mb: float | None = None) -> list[list[str]]:
    """The files ``names`` of ``folder`` in doc_id order (stable), cut into contiguous runs of at
    least ``mb`` MB of raw bytes (the last run may be smaller): the partitions, whose concatenation
    is the corpus in the order the in-memory path sorts it. File names only: the driver's memory
    for a million files stays a few tens of MB."""
    if mb is None:
        mb = float(os.environ.get(PARTITION_ENV, "") or PARTITION_MB)
    limit = max(1.0, mb * 1e6)
    order = sorted(range(len(names)), key=lambda i: doc_ids[i])
    out: list[list[str]] = []
    current: list[str] = []
    size = 0
    for i in order:
        current.append(names[i])
        size += os.stat(folder / names[i]).st_size
        if size >= limit:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


@contextmanager
def _one_process() -> Iterator[None]:
    """Inside a task: the package's own process pools stay off (the cluster shares the cores)."""
    before = os.environ.get("FRAMING_JOBS")
    os.environ["FRAMING_JOBS"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("FRAMING_JOBS", None)
        else:
            os.environ["FRAMING_JOBS"] = before


def _part(folder: Path, table: str, p: int, suffix: str = "parquet") -> Path:
    """The file of part ``p`` of ``table`` in ``folder`` (its folder is made)."""
    (folder / table).mkdir(parents=True, exist_ok=True)
    return folder / table / f"part-{p:05d}.{suffix}"


def _write(table: pd.DataFrame, path: Path) -> list[str]:
    from framing.pipeline import _write_table

    path.parent.mkdir(parents=True, exist_ok=True)
    return _write_table(table, path)


def _read_table(path: Path, objects: list[str]) -> pd.DataFrame:
    """A part written by :func:`_write`, its ``object`` columns restored (:func:`framing.pipeline._read_table`)."""
    from framing.pipeline import _read_table as read_table

    return read_table(path, objects)


def _read(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.read_parquet(path, engine="pyarrow", columns=columns)


# ------------------------------------------------------------------ stage 1: per partition
def _stage_one(task: tuple) -> dict:
    """Load, clean, split, measure one partition; write its tables to the staging folder; return
    what the corpus-wide steps need (problems, doc_ids and text keys, sentence count, document
    frequencies of the topic vocabulary, the frames present)."""
    from framing.io.clean import clean_corpus
    from framing.io.corpus import articles_frame, text_key
    from framing.io.segment import sentence_table
    from framing.measures import topics
    from framing.measures.analysis import analysed, measure
    from framing.pipeline import drop_without_prose

    p, listing, stage = task
    with _one_process():
        loaded, problems = articles_frame(listing, listing.files, n_jobs=1)
        keys = [(text_key(t), d) for d, t in zip(loaded["doc_id"], loaded["text"])]
        ids = list(zip(loaded["doc_id"], loaded["file"]))
        corpus, audit = clean_corpus(loaded, n_jobs=1)
        sentences = sentence_table(corpus, n_jobs=1)
        corpus, audit, sentences = drop_without_prose(corpus, audit, sentences, problems)
        measured = measure(sentences, n_jobs=1)
    analyzer = topics.sentence_analyzer()
    df: Counter = Counter()
    for text in measured["text"]:
        df.update(set(analyzer(text)))
    objects = {"corpus": _write(corpus, _part(stage, "corpus", p)), "audit": _write(audit, _part(stage, "audit", p)),
               "measured": _write(measured, _part(stage, "measured", p))}
    return {"p": p, "problems": problems, "keys": keys, "ids": ids, "n": len(measured), "docs": len(corpus), "df": df,
            "frames": sorted(set(analysed(measured)["frame"])), "objects": objects, "sentence_columns": list(sentences.columns)}


def _add_counts(a: Counter, b: Counter) -> Counter:
    out = Counter(a)
    out.update(b)
    return out


def _pluck_df(summary: dict) -> Counter:
    return summary["df"]


def _first(pair: tuple) -> str:
    return pair[0]


def _collect(acc: tuple, pair: tuple) -> tuple:
    return (*acc, pair[1])


def _concat(a: tuple, b: tuple) -> tuple:
    return a + b


def _shared(group: tuple) -> bool:
    return len(group[1]) > 1


def _keys(summary: dict) -> list:
    return summary["keys"]


def _ids(summary: dict) -> list:
    return summary["ids"]


def _small(summary: dict) -> dict:
    return {k: summary[k] for k in ("p", "problems", "n", "docs", "frames", "objects", "sentence_columns")}


# ------------------------------------------------------------------ topics
def _rows_of(counts: list[int], rows: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Global sorted row numbers ``rows`` as (partition, local rows) pairs."""
    offsets = np.r_[0, np.cumsum(counts)]
    where = np.searchsorted(offsets, rows, side="right") - 1
    return [(int(p), rows[where == p] - offsets[p]) for p in np.unique(where)]


def _texts(args: tuple) -> list[str]:
    stage, p, local = args
    text = _read(_part(stage, "measured", p), ["text"])["text"]
    return text.iloc[local].tolist() if local is not None else text.tolist()


def _project_block(args: tuple) -> np.ndarray:
    """Topic weights of one block of sentences (unordered topics) into ``blocks/``; returns the
    topic sizes of the block."""
    from framing.measures import topics

    stage, b, pieces, vec, model, min_weight = args
    texts: list[str] = []
    for p, start, stop in pieces:
        texts += _read(_part(stage, "measured", p), ["text"])["text"].iloc[start:stop].tolist()
    weights = topics.project(model, vec.transform(texts), rows=max(1, len(texts)))
    np.save(_part(stage, "blocks", b, "npy"), weights, allow_pickle=False)
    return topics.topic_sizes(weights, model.n_components, min_weight)


def _finish_partition(args: tuple) -> list[str]:
    """Topics, ``duplicate_of`` and the per-source table of one partition, into the output folder."""
    from framing.measures import topics
    from framing.pipeline import Prepared
    from framing.report.tables import sources_table

    stage, out, p, start, stop, block, order, names, min_weight, duplicate_of, frames, objects, columns = args
    with _one_process():
        measured = _read_table(_part(stage, "measured", p), objects["measured"])
        corpus = _read_table(_part(stage, "corpus", p), objects["corpus"])
        audit = _read_table(_part(stage, "audit", p), objects["audit"])
        first, last = start // block, max(start, stop - 1) // block
        weights = np.vstack([np.load(_part(stage, "blocks", b, "npy")) for b in range(first, last + 1)])
        weights = weights[start - first * block:stop - first * block][:, order]
        topic = topics.dominant_topic(weights, min_weight)
        measured["topic"] = topic
        measured["topic_name"] = topics.topic_labels(names, topic)
        corpus["duplicate_of"] = [duplicate_of.get(d, "") for d in corpus["doc_id"]]
        prepared = Prepared(corpus=corpus, audit=audit, sentences=measured[columns])
        sources = sources_table(prepared, measured, frames=frames)
        np.save(_part(out, "weights", p, "npy"), weights, allow_pickle=False)
        kinds = {"corpus": corpus, "audit": audit, "measured": measured, "sources": sources}
        return {name: _write(table, _part(out, name, p)) for name, table in kinds.items()}


# ------------------------------------------------------------------ driver
def _sub_listing(listing, files: list[str]):
    """``listing`` with the files ``files`` and their manifest rows only (what one partition's task needs)."""
    from dataclasses import replace

    return replace(listing, files=files, meta={f: listing.meta[f] for f in files if f in listing.meta},
                   problems={})


def local_client(n_workers: int | None = None):
    """A ``distributed`` client on a LocalCluster of ``n_workers`` single-threaded worker processes
    (default: :func:`framing._parallel.default_jobs`), no dashboard."""
    from distributed import Client, LocalCluster

    from framing._parallel import default_jobs

    cluster = LocalCluster(n_workers=n_workers or default_jobs(), threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    return Client(cluster, set_as_default=False)


def build_dataset(path: str | os.PathLike[str], out: str | os.PathLike[str], on_error: str = "raise", seed: int = 0,
                  client=None, scheduler: str = "", partition_mb: float | None = None) -> dict:
    """Run the pipeline on the corpus in folder ``path`` with Dask and write its tables into the
    folder ``out`` (see the module's description); return the contents of ``out/dataset.json``.

    ``client``: a ``distributed.Client`` to run on; else ``scheduler``, the address of a running
    scheduler; else a :func:`local_client`, closed at the end. ``partition_mb``: see
    :func:`partitions`. Problems with input files are reported as the in-memory path does
    (``on_error``), duplicates are warned about the same way.
    """
    import dask.bag as db

    from framing.io.corpus import CorpusError, find_duplicates, list_corpus, report_problems, warn_duplicates
    from framing.measures import topics
    from framing.pipeline import no_articles

    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    folder = Path(path).resolve()
    out = Path(out).resolve()
    listing = list_corpus(folder)
    if not listing.files:
        raise no_articles(folder, listing.problems)
    parts = partitions(folder, listing.files, [listing.doc_id(f) for f in listing.files], partition_mb)
    if out.exists():
        entries = sorted(p.name for p in out.iterdir())
        if entries and not ({_DONE, ".stage"} & set(entries)):
            raise FileExistsError(f"{out}: not empty and not a dataset written by build_dataset ({', '.join(entries[:5])}); "
                                  "choose a new or empty folder, so that nothing in it is lost")
        shutil.rmtree(out)  # an earlier dataset, complete or not: written afresh, never mixed
    stage = out / ".stage"
    stage.mkdir(parents=True)
    own = client is None
    if own:
        if scheduler:
            from distributed import Client

            client = Client(scheduler, set_as_default=False)
        else:
            client = local_client()
    try:
        summaries = db.from_sequence([(p, _sub_listing(listing, files), stage) for p, files in enumerate(parts)],
                                     npartitions=max(1, len(parts))).map(_stage_one)
        df_sum = summaries.map(_pluck_df).fold(_add_counts, _add_counts, initial=Counter())
        shared_text = summaries.map(_keys).flatten().foldby(_first, _collect, (), _concat, ()).filter(_shared)
        shared_ids = summaries.map(_ids).flatten().foldby(_first, _collect, (), _concat, ()).filter(_shared)
        small = summaries.map(_small)
        df, dup_texts, dup_ids, small = client.compute([df_sum, shared_text, shared_ids, small], sync=True)
        small = sorted(small, key=lambda s: s["p"])

        problems = dict(listing.problems)
        for s in small:
            problems.update(s["problems"])
        if dup_ids:
            raise CorpusError(folder, {name: "doc_id used by more than one file"
                                       for _, files in dup_ids for name in sorted(files)})
        # the articles that share a text, in corpus (doc_id) order, through the in-memory engine's rule
        members = sorted((d, key) for key, docs in dup_texts for d in docs)
        firsts, lines = find_duplicates([d for d, _ in members], [key for _, key in members])
        duplicate_of = {d: first for (d, _), first in zip(members, firsts) if first}
        warn_duplicates(lines, stacklevel=3)
        if not sum(s["docs"] for s in small):
            raise no_articles(folder, problems)
        # the in-memory path's problems: unusable files, then articles without prose
        report_problems(folder, problems, on_error)

        counts = [s["n"] for s in small]
        n = int(sum(counts))
        vocabulary = sorted(term for term, c in df.items() if c >= 2)
        vec = topics.tfidf_from_counts(vocabulary, [df[t] for t in vocabulary], n)
        del df

        def gather(rows: np.ndarray | None) -> list[str]:
            pieces = [(stage, p, None) for p in range(len(parts))] if rows is None else \
                [(stage, p, local) for p, local in _rows_of(counts, rows)]
            texts: list[str] = []
            for chunk in client.gather(client.map(_texts, pieces, pure=False)):
                texts += chunk
            return texts

        k, k_table = topics.chosen_k(gather(topics.sample_rows(n, topics.K_SAMPLE, seed)), seed=seed, sampled=n > topics.K_SAMPLE)
        fit_texts = gather(topics.sample_rows(n, topics.FIT_SAMPLE, seed))
        model = topics.fit_nmf(vec.transform(fit_texts), k, seed)
        del fit_texts
        block, min_weight = topics.PROJECT_ROWS, 1e-3
        offsets = np.r_[0, np.cumsum(counts)]
        jobs = []
        vec_f, model_f = client.scatter([vec, model], broadcast=True)
        for b, start in enumerate(range(0, n, block)):
            stop = min(n, start + block)
            pieces = [(p, max(start, offsets[p]) - offsets[p], min(stop, offsets[p + 1]) - offsets[p])
                      for p in range(len(parts)) if offsets[p] < stop and offsets[p + 1] > start]
            jobs.append((stage, b, pieces, vec_f, model_f, min_weight))
        sizes = np.zeros(k, dtype=np.int64)
        for block_sizes in client.gather(client.map(_project_block, jobs, pure=False)):
            sizes += block_sizes
        order = topics.topic_order(sizes)
        fitted = topics.finish(vec, model, None, min_weight=min_weight, sizes=sizes)

        frames = sorted({f for s in small for f in s["frames"]})
        columns = small[0]["sentence_columns"] if small else []
        final = [(stage, out, s["p"], int(offsets[s["p"]]), int(offsets[s["p"] + 1]), block, order, fitted.names,
                  min_weight, duplicate_of, frames, s["objects"], columns) for s in small]
        objects = client.gather(client.map(_finish_partition, final, pure=False))
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    shutil.rmtree(stage)
    _write(k_table, out / "k_table.parquet")
    with (out / "topics.pkl").open("wb") as handle:
        pickle.dump(fitted, handle, protocol=pickle.HIGHEST_PROTOCOL)
    info = {"corpus": str(folder), "partitions": len(parts), "sentences": counts, "k": int(k),
            "sentence_columns": columns,
            "object_columns": {name: sorted({c for o in objects for c in o[name]}) for name in _TABLES}}
    (out / _DONE).write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return info


def load_built(out: str | os.PathLike[str]):
    """The :class:`~framing.pipeline.Built` of a folder written by :func:`build_dataset` (the
    whole corpus in memory: for corpora that fit; larger ones are read part by part, e.g. with
    ``dask.dataframe.read_parquet(out / "measured")``)."""
    from framing.pipeline import Built, Prepared

    out = Path(out)
    done = out / _DONE
    if not done.exists():
        raise FileNotFoundError(f"{out}: not a complete dataset ({_DONE} missing)")
    info = json.loads(done.read_text(encoding="utf-8"))
    tables = {}
    for name in _TABLES:
        files = sorted((out / name).glob("part-*.parquet"))
        frames = [_read_table(f, info["object_columns"][name]) for f in files]
        tables[name] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    with (out / "topics.pkl").open("rb") as handle:
        model = pickle.load(handle)
    weights = [np.load(f) for f in sorted((out / "weights").glob("part-*.npy"))]
    model.weights = np.vstack(weights) if weights else np.zeros((0, model.k))
    from framing.measures.topics import dominant_topic

    model.topic = dominant_topic(model.weights, model.min_weight)
    measured = tables["measured"]
    prepared = Prepared(corpus=tables["corpus"], audit=tables["audit"],
                        sentences=measured[info["sentence_columns"]].copy())
    k_table = _read(out / "k_table.parquet")
    return Built(prepared=prepared, measured=measured, topics=model, k_table=k_table, sources=tables["sources"])
