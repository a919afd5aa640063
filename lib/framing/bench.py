"""Benchmark: throughput per stage, peak memory and linearity on a large corpus (``make bench``).

Not a test: it prints a table. Usage::

    python -m framing.bench                 # 25, 50 and 100 MB
    python -m framing.bench --mb 20         # 5, 10 and 20 MB
    python -m framing.bench --sizes 10,40   # explicit sizes in MB

The corpus is made of real English sentences: the ground-truth snippets of
Hutto & Gilbert (ICWSM 2014) shipped in the vaderSentiment 3.3.2 source
distribution on PyPI (NYT editorials, movie reviews, Amazon reviews, tweets;
fetched once with ``pip download`` into ``~/.cache/framing-bench``) plus the
sentences of the seed articles. A seeded RNG recombines them into articles of
20-60 sentences with a title line and paragraphs of 2-6 sentences, written
as ``.txt`` into a temporary folder (never into the repository).

Each size runs in its own child process, so its peak memory belongs to that
size alone: the proportional set size (PSS) of the process and its worker
processes, summed and sampled every 250 ms (see :class:`PeakMemory`), overall
and per stage.
Stages: exactly those :func:`framing.pipeline.build` runs for a report, timed by its
``stage`` hook (load, clean, sentences, sentiment, framing, topics, sources; see
:data:`NOTES`). References, outside the pipeline sum: a bare ``TfidfVectorizer().fit_transform``
over the same article texts, and the rule coder alone, timed in the same child process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    from collections.abc import Iterator

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["sentence_pool", "make_corpus", "run_stages", "main"]

CACHE = Path(os.environ.get("FRAMING_BENCH_CACHE", Path.home() / ".cache" / "framing-bench"))
SDIST = "vaderSentiment-3.3.2.tar.gz"
REPO = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------- sentences
def _sdist(cache: Path = CACHE) -> Path:
    path = cache / SDIST
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"downloading {SDIST} (source distribution) with pip into {cache}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "vaderSentiment==3.3.2", "-d", str(cache)], check=True)
    return path


def sentence_pool(cache: Path = CACHE) -> list[str]:
    """Real English sentences: VADER's ground-truth snippets plus the seed corpus's body sentences."""
    pool: list[str] = []
    with tarfile.open(_sdist(cache)) as outer:
        member = next(m for m in outer.getmembers() if m.name.endswith("hutto_ICWSM_2014.tar.gz"))
        inner_bytes = outer.extractfile(member).read()
    with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
        for m in sorted(inner.getmembers(), key=lambda m: m.name):
            if m.name.endswith("_GroundTruth.txt"):
                for line in inner.extractfile(m).read().decode("utf-8", "replace").splitlines():
                    parts = line.split("\t", 2)
                    if len(parts) == 3 and len(parts[2].split()) >= 3:
                        pool.append(" ".join(parts[2].split()))
    raw = REPO / "data" / "raw"
    if raw.is_dir():
        from framing.pipeline import prepare

        sentences = prepare(raw).sentences
        pool += sentences.loc[~sentences["is_heading"], "text"].tolist()
    return pool


def _title(sentence: str, rng: np.random.Generator) -> str:
    words = sentence.rstrip(".!?").split()
    n = int(rng.integers(3, 10))
    title = " ".join(words[:n]).strip(" ,;:.")
    return title[:1].upper() + title[1:]


def make_corpus(folder: Path, mb: float, pool: list[str], seed: int = 0) -> tuple[int, int]:
    """Write articles into ``folder`` until they hold ``mb`` megabytes; return (files, bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    target = int(mb * 1_000_000)
    total = n = 0
    pool_arr = np.array(pool, dtype=object)
    while total < target:
        k = int(rng.integers(20, 61))
        picked = pool_arr[rng.integers(0, len(pool_arr), k)]
        paragraphs, i = [], 0
        while i < k:
            step = int(rng.integers(2, 7))
            paragraphs.append(" ".join(picked[i:i + step]))
            i += step
        text = _title(picked[0], rng) + "\n\n" + "\n\n".join(paragraphs) + "\n"
        data = text.encode("utf-8")
        (folder / f"article_{n:06d}.txt").write_bytes(data)
        total += len(data)
        n += 1
    return n, total


# -------------------------------------------------------------------- memory
class PeakMemory:
    """Sample the memory of this process plus its worker processes every 250 ms; keep the peaks.

    Reading a process's PSS makes the kernel walk its pages (``/proc/<pid>/smaps_rollup``, about
    4 ms per GB resident, measured here): every 50 ms, with a parent and two workers of 1.5 GB,
    that took a third of a core from the stages being timed (the learned coder ran at 9,100
    instead of 13,200 sentences a second); every 250 ms it costs about a twentieth of a core.

    Two sums are kept. ``rss``: resident set sizes added up, an upper bound, since forked
    workers share the parent's pages and each worker's RSS counts them again. ``pss``:
    proportional set sizes (Linux), where a page shared by n processes counts 1/n in each,
    so the sum is the physical memory the run holds. ``stage()`` returns the peaks since the
    previous call and starts a new stage.
    """

    def __init__(self, interval: float = 0.25) -> None:
        import psutil

        self._proc = psutil.Process()
        self._interval = interval
        self.peak = {"rss": 0, "pss": 0}
        self._stage = {"rss": 0, "pss": 0}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> dict:
        rss = pss = 0
        for p in [self._proc] + self._proc.children(recursive=True):
            try:
                info = p.memory_full_info()
            except Exception:  # a worker that just ended
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        return {"rss": rss, "pss": pss}

    def _record(self) -> None:
        sample = self._sample()
        with self._lock:
            for key, value in sample.items():
                self.peak[key] = max(self.peak[key], value)
                self._stage[key] = max(self._stage[key], value)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._record()
            self._stop.wait(self._interval)

    def stage(self) -> dict:
        """Peaks (bytes) since the last call; the next stage starts from the current memory."""
        self._record()
        with self._lock:
            out, self._stage = self._stage, {"rss": 0, "pss": 0}
        self._record()
        return out

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._record()


# -------------------------------------------------------------------- stages
#: What each stage of :func:`framing.pipeline.build` runs, for the printed table.
NOTES = {
    "load": "framing.io.corpus.load_corpus",
    "clean": "framing.io.clean.clean_corpus, {jobs} processes",
    "sentences": "framing.io.segment.sentence_table, {jobs} processes",
    "sentiment": "framing.measures.sentiment.both_scores (raw and adapted lexicon), {jobs} processes",
    "framing": "framing.measures.frames.label (learned coder, article context), {jobs} processes",
    "topics": "framing.measures.topics.fit_chosen (k chosen on a 5,000-sentence sample, {jobs} processes)",
    "sources": "framing.report.tables.sources_table (per-source rates and intervals)",
    "rules": "framing.measures.frames.label(method='rules'), reference only (not in the pipeline sum), {jobs} processes",
    "coder 100k": "framing.measures.frames.label (learned coder, article context) on the first 100,000 sentences, "
                  "model loaded, reference only, {jobs} processes",
    "rules ref": "the rule coder's reference path (anchor scan, no Hyperscan) on the same 100,000 sentences, {jobs} processes",
    "rules 100k": "framing.measures.frames.label(method='rules') (Hyperscan gate) on the same 100,000 sentences, {jobs} processes",
    "vader 100k": "vaderSentiment's polarity_scores, stock and adapted lexicon, on the same 100,000 sentences, {jobs} processes",
    "sent 100k": "framing.measures.sentiment.both_scores (exact fast path) on the same 100,000 sentences, {jobs} processes",
}

#: Sentences the learned coder's own throughput is measured on (the issue's target: 10,000 a second).
CODER_SENTENCES = 100_000


def vader_both(texts: list[str]) -> pd.DataFrame:
    """Both compound scores by vaderSentiment's own ``polarity_scores`` (the reference of the sentiment stage)."""
    from framing.measures import sentiment

    return pd.DataFrame({"raw": sentiment.score_reference(texts, adapted=False),
                         "adapted": sentiment.score_reference(texts, adapted=True)})


def run_stages(folder: Path, n_jobs: int) -> dict:
    """Time every stage of :func:`framing.pipeline.build` on the corpus in ``folder`` (uncached;
    run in a child process, one per size), then the references: a bare TF-IDF pass over the
    article texts and the rule coder alone."""
    from contextlib import contextmanager

    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing import pipeline
    from framing._parallel import map_chunks
    from framing.io.corpus import load_corpus
    from framing.measures import frames, sentiment
    from framing.measures.analysis import label_sentences

    os.environ.pop(pipeline.CACHE_ENV, None)  # time the computation, never a stored result
    stages = []

    def cpu() -> float:
        """CPU seconds of this process and of its finished workers (robust to a busy machine)."""
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    @contextmanager
    def timed(name: str, reference: bool = False, items: int | None = None) -> Iterator[None]:
        mem.stage()
        start, start_cpu = time.perf_counter(), cpu()
        yield
        seconds, used = time.perf_counter() - start, cpu() - start_cpu
        peak = mem.stage()
        stages.append({"stage": name, "seconds": seconds, "cpu": used, "reference": reference, "items": items,
                       "note": NOTES.get(name, "").format(jobs=n_jobs),
                       "peak_pss": peak["pss"], "peak_rss": peak["rss"]})

    with PeakMemory() as mem:
        built = pipeline.build(folder, n_jobs=n_jobs, stage=timed)
        texts = load_corpus(folder)["text"].tolist()
        bare_start, bare_cpu_start = time.perf_counter(), cpu()
        TfidfVectorizer().fit_transform(texts)
        bare, bare_cpu = time.perf_counter() - bare_start, cpu() - bare_cpu_start
        with timed("rules", reference=True):
            map_chunks(partial(frames.label, method="rules"), built.sentences["text"].tolist(), n_jobs=n_jobs)
        first = built.sentences.iloc[:CODER_SENTENCES]
        with timed("coder 100k", reference=True, items=len(first)):
            label_sentences(first, n_jobs=n_jobs)
        sample = first["text"].tolist()
        with timed("rules ref", reference=True, items=len(sample)):
            scanner, frames._SCANNER = frames._SCANNER, None  # the anchor scan in this process and its workers
            try:
                map_chunks(partial(frames.label, method="rules"), sample, n_jobs=n_jobs)
            finally:
                frames._SCANNER = scanner
        with timed("rules 100k", reference=True, items=len(sample)):
            map_chunks(partial(frames.label, method="rules"), sample, n_jobs=n_jobs)
        with timed("vader 100k", reference=True, items=len(sample)):
            map_chunks(vader_both, sample, n_jobs=n_jobs)
        with timed("sent 100k", reference=True, items=len(sample)):
            map_chunks(sentiment.both_scores, sample, n_jobs=n_jobs)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"bytes": int(built.corpus["n_bytes"].sum()), "files": len(built.corpus), "sentences": len(built.sentences),
            "bare_tfidf_seconds": bare, "jobs": n_jobs, "bare_tfidf_cpu": bare_cpu, "load_average": os.getloadavg(),
            "stages": stages, "peak_rss_bytes": mem.peak["rss"], "peak_pss_bytes": mem.peak["pss"],
            "maxrss_self_bytes": self_kb * 1024,
            "maxrss_children_bytes": children_kb * 1024}


# -------------------------------------------------------------------- report
def report(results: list[dict]) -> str:
    """The printed benchmark: per size, a table of stages, then throughput ratio, memory and linearity."""
    lines = []
    for r in results:
        mb = r["bytes"] / 1e6
        load = ", ".join(f"{x:.1f}" for x in r["load_average"])
        lines.append(f"\n{mb:,.1f} MB, {r['files']:,} articles, {r['sentences']:,} sentences "
                     f"(load average at the end: {load})")
        # each stage's throughput against three references timed in the same run: vaderSentiment's
        # polarity_scores (sentences/s), the rule coder's reference path (sentences/s), bare TF-IDF (MB/s)
        refs = {s["stage"]: s["items"] / s["seconds"] for s in r["stages"] if s.get("items") and s["seconds"]}
        bare_mbs = mb / r["bare_tfidf_seconds"]
        lines.append(f"  {'stage':<10} {'seconds':>8} {'MB/s':>9} {'sentences/s':>13} {'CPU s':>8} {'peak MiB':>9} "
                     f"{'/vader':>7} {'/rules':>7} {'/tfidf':>7}  note")
        total = total_cpu = 0.0
        for s in r["stages"]:
            if s["seconds"] is None:
                lines.append(f"  {s['stage']:<10} {'-':>8} {'-':>9} {'-':>13} {'-':>8}  {s['note']}")
                continue
            if not s.get("reference"):
                total += s["seconds"]
                total_cpu += s["cpu"]
            peak = f"{s['peak_pss'] / 2**20:>9,.0f}" if "peak_pss" in s else f"{'-':>9}"
            items = s.get("items") or r["sentences"]
            share = items / r["sentences"]
            rate = items / s["seconds"]
            ratios = "".join(f" {rate / refs[ref]:>7.2f}" if ref in refs else f" {'-':>7}" for ref in ("vader 100k", "rules ref"))
            lines.append(f"  {s['stage']:<10} {s['seconds']:>8.2f} {mb * share / s['seconds']:>9.2f} "
                         f"{rate:>13,.0f} {s['cpu']:>8.2f} {peak}{ratios} {mb * share / s['seconds'] / bare_mbs:>7.3f}"
                         f"  {s['note']}")
        bare, bare_cpu = r["bare_tfidf_seconds"], r["bare_tfidf_cpu"]
        rate = r["sentences"] / total
        ratios = "".join(f" {rate / refs[ref]:>7.2f}" if ref in refs else f" {'-':>7}" for ref in ("vader 100k", "rules ref"))
        pipeline_pss = max((s.get("peak_pss", 0) for s in r["stages"] if s["seconds"] is not None and not s.get("reference")),
                           default=0)
        lines.append(f"  {'pipeline':<10} {total:>8.2f} {mb / total:>9.2f} {rate:>13,.0f} "
                     f"{total_cpu:>8.2f} {pipeline_pss / 2**20:>9,.0f}{ratios} {mb / total / bare_mbs:>7.3f}"
                     "  sum of the available stages (peak: the largest of theirs)")
        lines.append("  (/vader, /rules, /tfidf: the stage's throughput over that of vaderSentiment's polarity_scores, the "
                     "rule coder's reference path and a bare TF-IDF pass, all timed in this run)")
        lines.append(f"  {'bare tfidf':<10} {bare:>8.2f} {mb / bare:>9.2f} {'':>13} {bare_cpu:>8.2f} {'':>9}  "
                     "TfidfVectorizer().fit_transform(article texts), same run")
        coder = next((s for s in r["stages"] if s["stage"] == "coder 100k" and s["seconds"]), None)
        if coder:
            rate = coder["items"] / coder["seconds"]
            lines.append(f"  learned frame coder: {rate:,.0f} sentences/s on {coder['items']:,} sentences, "
                         f"{r.get('jobs', '?')} processes (target >= 10,000/s on two cores: "
                         f"{'met' if rate >= 10000 else 'NOT met'}); in the pipeline's framing stage, model "
                         "loading included: " + next((f"{r['sentences'] / f['seconds']:,.0f}/s" for f in r["stages"]
                                                      if f["stage"] == "framing" and f["seconds"]), "-"))
        rate = {s["stage"]: s["items"] / s["seconds"] for s in r["stages"] if s.get("items") and s["seconds"]}
        if "vader 100k" in rate and "sent 100k" in rate:
            speed = rate["sent 100k"] / rate["vader 100k"]
            lines.append(f"  sentiment, both lexicons, against vaderSentiment on the same sentences: {speed:.1f} times as fast "
                         f"(target >= 5: {'met' if speed >= 5 else 'NOT met'}); outputs identical (tests)")
        if "rules ref" in rate and "rules 100k" in rate:
            lines.append(f"  rule coder against its reference path (anchor scan) on the same sentences: "
                         f"{rate['rules 100k'] / rate['rules ref']:.1f} times as fast; outputs identical (tests)")
        ratio = bare / total
        lines.append(f"  pipeline / bare TF-IDF throughput: {ratio:.2f} (target >= 0.20: "
                     f"{'met' if ratio >= 0.2 else 'NOT met'}); in CPU seconds: {bare_cpu / total_cpu:.2f}")
        if "peak_pss_bytes" in r:
            pss = r["peak_pss_bytes"]
            verdict = f" (target < 2 GB = 1,907 MiB at 100 MB: {'met' if pipeline_pss < 2e9 else 'NOT met'})" if 99.5 <= mb <= 100.5 else ""
            lines.append(f"  peak memory of the pipeline's stages (process + workers, PSS, sampled every 250 ms): "
                         f"{pipeline_pss / 2**20:,.0f} MiB{verdict}; of the whole run, the reference stages included "
                         f"(they run with the built tables held): {pss / 2**20:,.0f} MiB; "
                         f"RSS summed, counting shared pages once per process: {r['peak_rss_bytes'] / 2**20:,.0f} MiB")
        lines.append(f"  ru_maxrss: this process {r['maxrss_self_bytes'] / 2**20:,.0f} MiB, "
                     f"largest worker {r['maxrss_children_bytes'] / 2**20:,.0f} MiB")
        r["pipeline_seconds"] = total
    if len(results) >= 2:
        lines.append("\nlinearity: CPU seconds per MB at each size (constant = linear cost; CPU time is not "
                     "inflated by other work on the machine)")
        names = [s["stage"] for s in results[0]["stages"] if s["seconds"] is not None and not s.get("items")] + ["pipeline"]
        header = f"  {'stage':<10}" + "".join(f"{r['bytes'] / 1e6:>10.0f} MB" for r in results)
        lines.append(header + "   largest/smallest")
        for name in names:
            per = []
            for r in results:
                if name == "pipeline":
                    secs = sum(s["cpu"] for s in r["stages"] if s["cpu"] is not None and not s.get("reference"))
                else:
                    secs = next(s["cpu"] for s in r["stages"] if s["stage"] == name)
                per.append(secs / (r["bytes"] / 1e6))
            lines.append(f"  {name:<10}" + "".join(f"{p:>13.3f}" for p in per) + f"   {per[-1] / per[0]:>8.2f}")
    return "\n".join(lines)


def machine() -> str:
    """One line naming the CPU, cores, memory, Python and OS this run measured."""
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import psutil

    mem = psutil.virtual_memory().total / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def dask_run(folder: Path, jobs: int) -> dict:
    """:func:`framing.dask_engine.build_dataset` of ``folder`` on a LocalCluster of ``jobs`` workers, in
    this process (a fresh one per size): wall and CPU seconds (driver and workers), the driver's peak
    RSS (``getrusage``, this process alone) and the peak PSS of the driver with its workers."""

    import psutil

    from framing.dask_engine import build_dataset, local_client

    size = sum(f.stat().st_size for f in folder.iterdir())
    with tempfile.TemporaryDirectory(prefix="framing-dask-bench-") as tmp, PeakMemory() as memory:
        client = local_client(jobs)
        workers = [psutil.Process(p) for p in (client.run(os.getpid) or {}).values()]
        started, cpu0 = time.perf_counter(), time.process_time()
        worker_cpu0 = sum(sum(w.cpu_times()[:2]) for w in workers)
        info = build_dataset(folder, Path(tmp) / "dataset", client=client)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
        worker_cpu = sum(sum(w.cpu_times()[:2]) for w in workers) - worker_cpu0
        client.close()
        client.cluster.close()
    return {"mb": size / 1e6, "partitions": info["partitions"], "sentences": int(sum(info["sentences"])), "wall_s": wall,
            "driver_cpu_s": cpu, "worker_cpu_s": worker_cpu,
            "driver_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "all_peak_pss_mib": memory.peak["pss"] / 2**20}


def dask_report(rows: list[dict]) -> str:
    """The table of :func:`dask_run` results, one row per size."""
    lines = ["Dask engine (LocalCluster), driver memory against corpus size:",
             f"{'MB':>7} {'parts':>5} {'sentences':>10} {'wall s':>7} {'CPU s/MB':>8} {'driver peak MiB':>15} "
             f"{'all PSS MiB':>11}"]
    for r in rows:
        cpu = (r["driver_cpu_s"] + r["worker_cpu_s"]) / r["mb"]
        lines.append(f"{r['mb']:7.1f} {r['partitions']:5d} {r['sentences']:10,d} {r['wall_s']:7.1f} {cpu:8.2f} "
                     f"{r['driver_peak_mib']:15.0f} {r['all_peak_pss_mib']:11.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m framing.bench [--mb N]``: build the corpora, time every stage, print the report."""
    parser = argparse.ArgumentParser(prog="python -m framing.bench", description="Throughput, memory and linearity benchmark.")
    parser.add_argument("--mb", type=float, default=100.0,
                        help="largest size in MB (sizes: 25, 100 and mb from 100 MB up; mb/4 and mb below)")
    parser.add_argument("--sizes", default="", help="comma-separated sizes in MB (overrides --mb)")
    parser.add_argument("--jobs", type=int, default=None, help="processes for per-sentence work (default: all cores)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", default="", help="write the corpora into this folder (outside the repo) and keep them")
    parser.add_argument("--dask", action="store_true",
                        help="benchmark the Dask engine instead: time and driver memory at each size")
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    parser.add_argument("--dask-worker", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from framing._parallel import default_jobs

    jobs = args.jobs or default_jobs()
    if args.worker:
        print(json.dumps(run_stages(Path(args.worker), jobs)))
        return 0
    if args.dask_worker:
        print(json.dumps(dask_run(Path(args.dask_worker), jobs)))
        return 0
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()] or (
        sorted({25.0, 100.0, args.mb}) if args.mb >= 100 else [args.mb / 4, args.mb])
    pool = sentence_pool()
    print(f"machine: {machine()}; {jobs} process(es) for per-sentence work")
    print(f"sentence pool: {len(pool):,} real English sentences (VADER ground truth + seed articles)")
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1")
    results = []
    with tempfile.TemporaryDirectory(prefix="framing-bench-") as tmp:
        base = Path(args.keep).resolve() if args.keep else Path(tmp)
        if REPO in base.parents or base == REPO:
            parser.error("--keep must be outside the repository")
        for mb in sizes:
            folder = base / f"corpus_{mb:g}MB"
            if not folder.exists():
                n, size = make_corpus(folder, mb, pool, seed=args.seed)
                print(f"wrote {n:,} articles ({size / 1e6:,.1f} MB) into {folder}", file=sys.stderr)
            mode = "--dask-worker" if args.dask else "--worker"
            out = subprocess.run([sys.executable, "-m", "framing.bench", mode, str(folder), "--jobs", str(jobs)],
                                 env=env, capture_output=True, text=True)
            if out.returncode:
                sys.stderr.write(out.stderr)
                return out.returncode
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(dask_report(results) if args.dask else report(results[-1:]), flush=True)
    if len(results) > 1 and not args.dask:
        print(report(results).split("\nlinearity:", 1)[-1].join(["\nlinearity:", ""]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
