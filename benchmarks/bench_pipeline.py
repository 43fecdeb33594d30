"""Speed and memory of the whole claimex run, side by side with bare ``en_core_web_sm``.

Each measurement runs in a fresh Python subprocess (``python
benchmarks/bench_pipeline.py _worker '<json spec>'``) so that its memory
figure is clean.  The parent samples the resident set size (RSS) of the
subprocess and all its descendants (spaCy's ``n_process`` workers, Dask's
worker processes) every 0.1 s with psutil and keeps the peak of the sum.
RSS double-counts pages that forked workers share with their parent
(copy-on-write), so multi-process figures are an upper bound.

Worker kinds (``spec["kind"]``):

``bare``     ``spacy.load(resolve_model())`` (the full default pipeline, ``ner``
             included) then ``nlp.pipe(texts, n_process=..., batch_size=...)``
             over the texts claimex's ingest reads from the corpus (ingest is
             not timed).  Timed: model load + ``nlp.pipe``.
``claimex``  ``claimex.runner.run_corpus(corpus, out, report=False, tune_process=True, ...)``: ingest,
             pipeline load, NLP, Parquet tables, flags, manifest.  Timed: the
             whole call.  ``out`` is a temporary folder unless ``spec["out"]``
             names one (kept, so that a second run there is an incremental rerun).  ``engine="dask"`` runs it on a two-worker LocalCluster
             (cluster start-up included).
``flags``    ``bench_flags.run(sizes)``.
``report``   ``bench_report.run(sizes)``.

Words are tokens that are neither space nor punctuation (claimex's
``n_words``), counted on the same texts for every run; words per second =
words / timed seconds.  The timers start after ``import spacy`` and
``import claimex.runner``.

    python benchmarks/bench_pipeline.py CORPUS_DIR [--n-process 1 2]   # ad hoc
    python benchmarks/bench_pipeline.py profile CORPUS_DIR [--batch-size 16]
    python benchmarks/bench_pipeline.py long [--repeat 90]                # one very long article
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULT_PREFIX = "BENCH-RESULT "
SAMPLE_SECONDS = 0.1
DEFAULT_BATCH_SIZE = 16  # claimex.runner.run_corpus's default; bare sm uses the same


# ---------------------------------------------------------------- measuring (parent side)


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(spec: dict[str, Any], *, timeout: float = 3600.0) -> dict[str, Any]:
    """Run one worker in a fresh subprocess; its result dict plus ``peak_rss_mb``, ``wall_s``, load."""
    import psutil

    cmd = [sys.executable, str(Path(__file__).resolve()), "_worker", json.dumps(spec)]
    import resource

    load_before = os.getloadavg()[0]
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            proc = psutil.Process(child.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc))
            stop.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, stderr = child.communicate()
        raise RuntimeError(f"benchmark worker {spec} timed out after {timeout:.0f} s") from None
    finally:
        stop.set()
        sampler.join()
    wall = time.perf_counter() - t0
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the subprocess and every descendant it waited for (spaCy's and Dask's workers),
    # interpreter start-up and imports included
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    lines = [line for line in stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if child.returncode != 0 or not lines:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"benchmark worker {spec} failed (exit {child.returncode}):\n{tail}")
    result = json.loads(lines[-1][len(RESULT_PREFIX):])
    result.update(peak_rss_mb=round(peak / 2**20, 1), wall_s=round(wall, 2), cpu_s=round(cpu, 2),
                  load_before=round(load_before, 2), load_after=round(os.getloadavg()[0], 2))
    return result


def cli_help_seconds(repeat: int = 5) -> dict[str, Any]:
    """Wall time of ``claimex --help`` as a subprocess: best and median of ``repeat``."""
    exe = Path(sys.executable).with_name("claimex")
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "claimex.cli", "--help"]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {"best_s": round(times[0], 3), "median_s": round(times[len(times) // 2], 3),
            "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}


# ---------------------------------------------------------------- workers (child side)


def _count_words(doc) -> int:
    return sum(1 for t in doc if not (t.is_space or t.is_punct))


def _worker_bare(spec: dict[str, Any]) -> dict[str, Any]:
    import spacy

    from claimex.ingest import read_corpus
    from claimex.settings import resolve_model

    raw_docs, _ = read_corpus([spec["corpus"]])
    texts = [d.text for d in raw_docs]
    name = resolve_model()
    t0 = time.perf_counter()
    nlp = spacy.load(name)
    t1 = time.perf_counter()
    words = sum(_count_words(doc) for doc in nlp.pipe(texts, n_process=spec["n_process"],
                                                        batch_size=spec["batch_size"]))
    t2 = time.perf_counter()
    return {"n_docs": len(texts), "n_words": words, "seconds": round(t2 - t0, 3),
            "load_s": round(t1 - t0, 3), "pipe_s": round(t2 - t1, 3), "pipes": nlp.pipe_names}


def _worker_claimex(spec: dict[str, Any]) -> dict[str, Any]:
    import spacy  # noqa: F401  (imported before the timer, as for bare sm)

    from claimex.runner import run_corpus

    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if done == 0:
            marks.setdefault(f"{stage}_start", time.perf_counter())
        if done == total:
            marks[f"{stage}_end"] = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="claimex-bench-") as tmp:
        out = Path(spec.get("out") or Path(tmp) / "out")  # a given folder is kept (reruns)
        t0 = time.perf_counter()
        result = run_corpus([spec["corpus"]], out, n_process=spec["n_process"],
                            batch_size=spec["batch_size"], report=False,
                            engine=spec.get("engine", "local"), progress=progress,
                            tune_process=True)  # as the CLI does
        t1 = time.perf_counter()
    stages = {}
    if "nlp_start" in marks:
        stages["setup_s"] = round(marks["nlp_start"] - t0, 3)  # ingest + pipeline load (+ cluster)
        if "flags_start" in marks:
            stages["nlp_tables_s"] = round(marks["flags_start"] - marks["nlp_start"], 3)
        if "flags_end" in marks and "flags_start" in marks:
            stages["flags_s"] = round(marks["flags_end"] - marks["flags_start"], 3)
    return {"n_docs": result.n_documents, "n_words": result.n_words, "n_sentences": result.n_sentences,
            "n_claims": result.n_claims, "n_flags": sum(result.flags_by_kind.values()),
            "n_reused": result.n_reused,
            "seconds": round(t1 - t0, 3), **stages}


def _worker_flags(spec: dict[str, Any]) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import bench_flags

    return {"rows": bench_flags.run(spec["sizes"])}


def _worker_report(spec: dict[str, Any]) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import bench_report

    return {"rows": bench_report.run(spec["sizes"], browser=spec.get("browser", True))}


WORKERS = {"bare": _worker_bare, "claimex": _worker_claimex, "flags": _worker_flags,
           "report": _worker_report}


def _worker_main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    spec.setdefault("batch_size", DEFAULT_BATCH_SIZE)
    spec.setdefault("n_process", 1)
    result = WORKERS[spec["kind"]](spec)
    result["spec"] = spec
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


# ---------------------------------------------------------------- stage profile


class _Clock:
    """CPU (process_time) and wall seconds per stage; CPU is the steadier figure on a shared machine."""

    def __init__(self) -> None:
        self.stages: dict[str, list[float]] = {}

    def __call__(self, stage: str):
        import contextlib

        @contextlib.contextmanager
        def timed():
            c0, w0 = time.process_time(), time.perf_counter()
            try:
                yield
            finally:
                acc = self.stages.setdefault(stage, [0.0, 0.0])
                acc[0] += time.process_time() - c0
                acc[1] += time.perf_counter() - w0

        return timed()


def write_tables(out: Path, raw_docs, rows) -> None:
    """The per-document tables of ``rows`` (extracted from ``raw_docs``) into ``out``, as a run writes them."""
    from claimex.runner import _document_row
    from claimex.store import tables

    writers = {n: tables.TableWriter(out, n) for n in ("documents", "sentences", "entities", "claims", "errors")}
    for raw, r in zip(raw_docs, rows):
        writers["documents"].write([_document_row(raw, r)])
        writers["sentences"].write(r.sentences)
        writers["entities"].write(r.entities)
        writers["claims"].write(r.claims)
    for w in writers.values():
        w.commit()


def profile_stages(corpus: str | Path, *, batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, Any]:
    """Where a one-process claimex run spends its time, stage by stage (single process).

    Replays ``run_corpus`` step by step: ingest, pipeline load, tokenizer, each
    pipeline component over all documents (``proc.pipe`` in batches of
    ``batch_size``), row extraction, Parquet tables, flags.  Also times
    ``Doc.to_bytes``/``Doc.from_bytes`` of the processed docs: the price spaCy's
    ``n_process>1`` pays to ship every Doc back to the main process.
    """
    from claimex.engine.local import DocRows, _title
    from claimex.nlp.extract import DocAccumulator
    from claimex.ingest import read_corpus
    from claimex.nlp.pipeline import load_pipeline
    from claimex.runner import run_flags
    from spacy.tokens import Doc

    clock = _Clock()
    with clock("ingest (read_corpus)"):
        raw_docs, _ = read_corpus([corpus])
    with clock("pipeline load"):
        nlp, _ = load_pipeline()
    with clock("tokenizer"):
        docs = [nlp.make_doc(d.text) for d in raw_docs]
    for name, proc in nlp.pipeline:
        with clock(f"component {name}"):
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=batch_size))
            else:
                docs = [proc(doc) for doc in docs]
    with clock("extraction (DocAccumulator rows)"):
        rows = []
        for raw, doc in zip(raw_docs, docs):
            acc = DocAccumulator(raw.doc_id)
            acc.add_piece(doc, 0)
            rows.append(DocRows(acc.doc_id, n_words=acc.n_words, blocks=acc.blocks or [],
                                sentences=acc.sentences, entities=acc.entities, claims=acc.claims,
                                title=_title(raw.text, acc.blocks or [])))
    with clock("n_process>1 only: Doc.to_bytes (worker side)"):
        payload = [doc.to_bytes() for doc in docs]
    with clock("n_process>1 only: Doc.from_bytes (main process)"):
        for b in payload:
            Doc(nlp.vocab).from_bytes(b)
    with tempfile.TemporaryDirectory(prefix="claimex-profile-") as tmp:
        out = Path(tmp)
        with clock("Parquet tables (TableWriter)"):
            write_tables(out, raw_docs, rows)
        with clock("flags (run_flags: read tables, flag_claims, write)"):
            run_flags(out)
    words = sum(r.n_words for r in rows)
    in_run = [k for k in clock.stages if not k.startswith("n_process")]
    total_cpu = sum(clock.stages[k][0] for k in in_run)
    return {"n_docs": len(raw_docs), "n_words": words, "batch_size": batch_size,
            "n_claims": sum(len(r.claims) for r in rows), "payload_mb": round(sum(map(len, payload)) / 2**20, 1),
            "total_cpu_s": round(total_cpu, 3),
            "stages": {k: {"cpu_s": round(c, 3), "wall_s": round(w, 3),
                           "cpu_share": round(c / total_cpu, 4) if k in in_run else None}
                       for k, (c, w) in clock.stages.items()}}


def print_profile(prof: dict[str, Any]) -> None:
    print(f"{prof['n_docs']} docs, {prof['n_words']:,} words, {prof['n_claims']:,} claims, "
          f"batch_size {prof['batch_size']}; total CPU {prof['total_cpu_s']:.1f} s; "
          f"Doc.to_bytes payload {prof['payload_mb']} MB\n")
    print("| Stage | CPU s | Wall s | Share of CPU |\n|---|---:|---:|---:|")
    for k, v in prof["stages"].items():
        share = f"{100 * v['cpu_share']:.1f} %" if v["cpu_share"] is not None else "(not in a 1-process run)"
        print(f"| {k} | {v['cpu_s']:.2f} | {v['wall_s']:.2f} | {share} |")


# ---------------------------------------------------------------- one very long article


def long_article(repeat: int = 90) -> dict[str, Any]:
    """A claimex run over one article made of the five seeds repeated ``repeat`` times.

    90 times is a 2.9 MB article (29 pieces of up to 100,000 characters), 620
    times a 20 MB one.
    """
    seeds = sorted((HERE.parent / "data" / "raw").glob("*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in seeds)
    with tempfile.TemporaryDirectory(prefix="claimex-long-") as tmp:
        corpus = Path(tmp) / "long"
        corpus.mkdir()
        (corpus / "long.txt").write_text((text + "\n\n") * repeat, encoding="utf-8")
        result = measure({"kind": "claimex", "corpus": str(corpus), "n_process": 1})
    result["n_chars"] = (len(text) + 2) * repeat
    return result


# ---------------------------------------------------------------- ad hoc use


def main(argv: list[str]) -> int:
    if argv and argv[0] == "_worker":
        return _worker_main(argv[1])
    if argv and argv[0] == "profile":
        import argparse

        parser = argparse.ArgumentParser(prog="bench_pipeline.py profile",
                                         description=profile_stages.__doc__.split("\n")[0])
        parser.add_argument("corpus")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--json", type=Path)
        args = parser.parse_args(argv[1:])
        prof = profile_stages(args.corpus, batch_size=args.batch_size)
        print_profile(prof)
        if args.json:
            args.json.write_text(json.dumps(prof, indent=1), encoding="utf-8")
        return 0
    if argv and argv[0] == "long":
        import argparse

        parser = argparse.ArgumentParser(prog="bench_pipeline.py long",
                                         description=long_article.__doc__.split("\n")[0])
        parser.add_argument("--repeat", type=int, default=90, help="times the five seeds are repeated")
        args = parser.parse_args(argv[1:])
        r = long_article(args.repeat)
        print(f"one article of {r['n_chars']:,} characters: {r['n_claims']:,} claims, {r['seconds']:.1f} s, "
              f"peak RSS {r['peak_rss_mb']:,.0f} MB")
        return 0
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", help="folder of articles (see benchmarks/corpus.py)")
    parser.add_argument("--n-process", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--kinds", nargs="+", default=["bare", "claimex"], choices=["bare", "claimex", "dask"])
    args = parser.parse_args(argv)
    for kind in args.kinds:
        for n in args.n_process if kind != "dask" else [2]:
            spec = {"kind": "claimex" if kind == "dask" else kind, "corpus": str(Path(args.corpus).resolve()),
                    "n_process": n, "batch_size": args.batch_size}
            if kind == "dask":
                spec["engine"] = "dask"
            r = measure(spec)
            print(f"{kind:8} n_process={n}  docs={r['n_docs']}  words={r['n_words']:,}  "
                  f"{r['seconds']:.1f} s  {r['n_words'] / r['seconds']:,.0f} words/s  "
                  f"peak RSS {r['peak_rss_mb']:,.0f} MB  load {r['load_before']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
