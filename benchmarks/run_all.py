"""``make bench``: speed, memory and scaling of claimex, with ratios against bare ``en_core_web_sm``.

    python benchmarks/run_all.py [--quick] [--skip-report] [--skip-dask] [--skip-rows] [--repeat R]
                                 [--docs N] [--rows N] [--no-write] [--json PATH]

Measured in one run, each in a fresh subprocess (see ``bench_pipeline.py``):

* words per second of bare ``en_core_web_sm`` (``resolve_model()``, full
  default pipeline incl. ``ner``) and of the whole claimex run
  (``run_corpus(..., report=False)``: ingest, NLP, tables, flags) with 1 and 2
  processes, over the same synthetic corpus (``corpus.py``), and their ratios;
* peak RSS of the claimex run's process tree at 1x and 10x corpus size;
* peak RSS of an incremental rerun over the 10x corpus (every document reused);
* the Dask engine on a two-worker LocalCluster;
* 10^5 short rows of one JSONL file against the same texts as one file each,
  and a folder of 10^4 tiny files (``bench_rows.run``; issue 20);
* the flagging stage at 10^4 / 10^5 / 10^6 claims (``bench_flags.run``);
* the report of the benchmark corpus at 200 and 2,000 articles (``bench_report.run``): build
  peak RSS and its ratio, sizes, and the page in Chromium (data-ready, time to it, a filter);
* one unpunctuated line of 10^6 characters (``bench_long_line``; issue 20/22): seconds, target
  < 30 s, and its cost per byte against the throughput corpus (1 process);
* ``claimex --help`` wall time (best of 5).

Prints Markdown tables and writes them into ``docs/benchmarks.md`` between
the ``bench:begin`` / ``bench:end`` markers (``--no-write`` to skip).
The machine is shared: the 1-minute load average is printed next to every
figure; rerun on a quiet machine for the figures that count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_rows  # noqa: E402
from bench_pipeline import cli_help_seconds, measure  # noqa: E402
from corpus import SEED_DIR, build_corpus  # noqa: E402

DOC_PATH = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench:begin (written by benchmarks/run_all.py; do not edit by hand) -->"
END = "<!-- bench:end -->"

FULL = {"docs": 200, "memory_factor": 10, "flags": [10_000, 100_000, 1_000_000], "report": [2000],
        **bench_rows.FULL}
QUICK = {"docs": 40, "memory_factor": 10, "flags": [10_000, 100_000], "report": [200], **bench_rows.QUICK}

TARGETS = {
    "claimex_vs_bare": 1.5,   # claimex words/s >= 1.5x bare sm at the same process count (issue 21)
    "two_vs_one": 1.8,        # 2 processes >= 1.8x one process (issue 21, on a quiet machine)
    "memory_10x": 1.2,        # 10x corpus needs <= 1.2x the peak memory
    "help_s": 0.5,            # claimex --help < 0.5 s
    "long_line_s": 30.0,      # one 1 MB unpunctuated line < 30 s (issue 20/22)
}
LONG_LINE_CHARS = {"full": 1_000_000, "quick": 100_000}


# ---------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    import psutil

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(), "python": platform.python_version(),
    }
    from importlib.metadata import PackageNotFoundError, version

    import claimex
    from claimex.settings import resolve_model

    info["claimex"] = claimex.__version__
    for pkg in ("spacy", "pyarrow", "dask", "distributed"):
        try:
            info[pkg] = version(pkg)
        except PackageNotFoundError:
            info[pkg] = None
    model = resolve_model()
    try:
        info["model"] = f"{model} {version(model)}"
    except PackageNotFoundError:
        info["model"] = model
    return info


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------- running


DEV_CORPUS = ROOT.parent / "shared" / "corpora" / "web-dev"


def _dev_copy(dest: Path) -> Path:
    """The dev corpus's articles (its kratom/ and general/ folders, not README.md or
    SOURCES.tsv) copied under ``dest`` (a temporary folder), to be read as one corpus."""
    import shutil

    for sub in ("kratom", "general"):
        if (DEV_CORPUS / sub).is_dir():
            shutil.copytree(DEV_CORPUS / sub, dest / sub)
    return dest


def _equality(tmp: Path, log) -> dict[str, Any]:
    import bench_equality

    res = bench_equality.compare(bench_equality.default_folders(tmp / "equality", 60))
    bench_equality.print_result(res, log=lambda line: log(f"  {line}"))
    return res


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated runs (the least disturbed by other load); peak RSS is the max."""
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    best["repeats"] = len(runs)
    return best


def _guarded(res: dict[str, Any], key: str, log, fn) -> None:
    """Run one optional measurement; a failure is logged and reported, not fatal."""
    try:
        res[key] = fn()
    except Exception as exc:  # noqa: BLE001 - any failure of a side benchmark
        log(f"  FAILED: {exc}")
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
        short = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1]}"
        res.setdefault("failures", {})[key] = short[:400]


def _long_line(n_chars: int) -> dict[str, Any]:
    """``bench_long_line.py --chars n_chars`` in a subprocess: its JSON row."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="claimex-bench-long-") as tmp:
        out = Path(tmp) / "long.json"
        subprocess.run([sys.executable, str(HERE / "bench_long_line.py"), "--chars", str(n_chars), "--json", str(out)],
                       check=True, capture_output=True, text=True)
        return json.loads(out.read_text(encoding="utf-8"))["long_line"][0]


def _wps(r: dict[str, Any]) -> float:
    return r["n_words"] / r["seconds"] if r["seconds"] else 0.0


def run(args: argparse.Namespace, log=print) -> dict[str, Any]:
    plan = dict(QUICK if args.quick else FULL)
    if args.docs:
        plan["docs"] = args.docs
    if args.rows:
        plan["rows"] = args.rows
        plan["tiny"] = min(plan["tiny"], args.rows)
    res: dict[str, Any] = {"plan": plan, "machine": machine(), "started": dt.datetime.now().isoformat(timespec="seconds"),
                           "load_start": _load()}
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimex-bench-corpus-") as tmp:
        small = build_corpus(plan["docs"], Path(tmp) / "x1")
        big = build_corpus(plan["docs"] * plan["memory_factor"], Path(tmp) / f"x{plan['memory_factor']}")

        log(f"# claimex --help (load {_load()})")
        res["help"] = cli_help_seconds(5)
        log(f"  best {res['help']['best_s']} s, median {res['help']['median_s']} s")

        log("# warm-up (model files into the page cache)")
        measure({"kind": "bare", "corpus": str(SEED_DIR), "n_process": 1})

        runs: dict[str, list[dict[str, Any]]] = {}
        order = [("bare", 1), ("claimex", 1), ("bare", 2), ("claimex", 2)]
        for rep in range(args.repeat):
            for kind, n in order:  # pairs at the same process count run back to back
                log(f"# {kind} n_process={n} on {plan['docs']} docs (run {rep + 1}/{args.repeat}, load {_load()})")
                r = measure({"kind": kind, "corpus": str(small), "n_process": n})
                log(f"  {r['n_words']:,} words in {r['seconds']:.1f} s = {_wps(r):,.0f} words/s, "
                    f"peak RSS {r['peak_rss_mb']:,.0f} MB")
                runs.setdefault(f"{kind}-{n}", []).append(r)
        res["throughput"] = {k: _best(v) for k, v in runs.items()}
        res["corpus_bytes"] = sum(p.stat().st_size for p in Path(small).rglob("*") if p.is_file())

        # -- long line (issue 20/22): one unpunctuated line, its seconds and cost per byte
        if not getattr(args, "skip_long_line", False):
            n_long = LONG_LINE_CHARS["quick" if args.quick else "full"]
            log(f"# one unpunctuated line of {n_long:,} characters (bench_long_line, load {_load()})")
            _guarded(res, "long_line", log, lambda: _long_line(n_long))
            if "long_line" in res:
                log(f"  {res['long_line']['seconds']} s, {res['long_line']['sentences']:,} sentences")

        if DEV_CORPUS.is_dir():  # real articles, side by side in the same run (issue 21)
            dev = _dev_copy(Path(tmp) / "dev")
            dev_runs: dict[str, list[dict[str, Any]]] = {}
            for rep in range(args.repeat):
                for kind in ("bare", "claimex"):
                    log(f"# {kind} n_process=1 on the dev corpus {DEV_CORPUS} (run {rep + 1}/{args.repeat}, "
                        f"load {_load()})")
                    r = measure({"kind": kind, "corpus": str(dev), "n_process": 1})
                    log(f"  {r['n_words']:,} words in {r['seconds']:.1f} s = {_wps(r):,.0f} words/s")
                    dev_runs.setdefault(kind, []).append(r)
            res["throughput_dev"] = {k: _best(v) for k, v in dev_runs.items()}

        log(f"# equality: the fast pipeline against the reference (spaCy's ruler, lemmatizer, Matcher; load {_load()})")
        _guarded(res, "equality", log, lambda: _equality(Path(tmp), log))

        n_big = plan["docs"] * plan["memory_factor"]
        log(f"# claimex n_process=1 on {n_big} docs (memory at {plan['memory_factor']}x, load {_load()})")
        big_out = str(Path(tmp) / "x-big-out")
        _guarded(res, "memory_big", log, lambda: measure({"kind": "claimex", "corpus": str(big), "n_process": 1,
                                                         "out": big_out}))
        if "memory_big" in res:
            r = res["memory_big"]
            log(f"  {r['n_words']:,} words in {r['seconds']:.1f} s = {_wps(r):,.0f} words/s, "
                f"peak RSS {r['peak_rss_mb']:,.0f} MB")
            log(f"# the same, again into the same folder: an incremental rerun (load {_load()})")
            _guarded(res, "rerun_big", log, lambda: measure({"kind": "claimex", "corpus": str(big), "n_process": 1,
                                                            "out": big_out}))
            if "rerun_big" in res:
                r = res["rerun_big"]
                log(f"  {r['n_reused']:,} of {r['n_docs']:,} documents reused, {r['seconds']:.1f} s, "
                    f"peak RSS {r['peak_rss_mb']:,.0f} MB")

        if not args.skip_dask:
            log(f"# claimex --engine dask, 2-worker LocalCluster, on {plan['docs']} docs (load {_load()})")
            _guarded(res, "dask", log, lambda: measure({"kind": "claimex", "corpus": str(small), "n_process": 2,
                                                       "engine": "dask"}))
            if "dask" in res:
                r = res["dask"]
                log(f"  {r['n_words']:,} words in {r['seconds']:.1f} s = {_wps(r):,.0f} words/s, "
                    f"peak RSS {r['peak_rss_mb']:,.0f} MB")

    if not args.skip_rows:
        log(f"# {plan['rows']:,} short rows vs files, {plan['tiny']:,} tiny files (load {_load()})")
        _guarded(res, "short_rows", log, lambda: bench_rows.run(plan["rows"], plan["tiny"], log=log))

    log(f"# flags at {plan['flags']} claims (load {_load()})")
    _guarded(res, "flags", log, lambda: measure({"kind": "flags", "sizes": plan["flags"]}))
    for row in res.get("flags", {}).get("rows", []):
        log(f"  {row['n_claims']:>9,} claims: {row['seconds']:.2f} s")

    if not args.skip_report:
        # the benchmark corpus at a tenth of the size and at the size: build memory must stay flat
        sizes = sorted({max(1, n // 10) for n in plan["report"]} | set(plan["report"]))
        log(f"# report for {sizes} articles of the benchmark corpus (claimex run, then the report; load {_load()})")
        _guarded(res, "report", log, lambda: measure({"kind": "report", "sizes": sizes}, timeout=7200))
        for row in res.get("report", {}).get("rows", []):
            line = (f"  {row['n_docs']:,} articles, {row['flags']:,} flags: build {row['build_s']} s, "
                    f"peak RSS {row['build_peak_rss_mb']:,} MB"
                    + (f" ({row['rss_ratio']:.2f}x the {sizes[0]:,}-article build)" if "rss_ratio" in row else "")
                    + f", report.html {row['html_bytes']:,} bytes, report.md {row['md_bytes']:,} bytes")
            if "ready_state" in row:
                line += (f"; Chromium: data-ready={row['ready_state']} at {row['ready_ms']} ms, "
                         f"filter {'works' if row['filter_works'] else 'FAILS'} ({row['filter_ms']} ms)")
            log(line)
    res["total_s"] = round(time.perf_counter() - t_start, 1)
    res["load_end"] = _load()
    return res


# ---------------------------------------------------------------- formatting


def _ok(value: float | None, target: float, *, below: bool = False) -> str:
    if value is None:
        return "n/a"
    return "yes" if (value <= target if below else value >= target) else "**no**"


def markdown(res: dict[str, Any], command: str) -> str:
    m = res["machine"]
    tp = res["throughput"]
    plan = res["plan"]
    out: list[str] = []
    out.append(f"Command: `{command}` — {res['started']}, total {res['total_s'] / 60:.1f} min.  ")
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; "
               f"Python {m['python']}, spaCy {m['spacy']}, model {m['model']}, claimex {m['claimex']}, "
               f"pyarrow {m['pyarrow']}, dask {m['dask']}.  ")
    out.append(f"Load average (1/5/15 min): {res['load_start']} at the start, {res['load_end']} at the end "
               f"(the machine has {m['cores']} cores; a load above that means other work competed).")
    if plan["docs"] < FULL["docs"]:
        out.append(f"Small sizes ({plan['docs']} documents): a smoke test.  Fixed costs (model load, process "
                   f"start-up, the NLP stage's working set) weigh more on a small corpus, so the targets are "
                   f"judged on the full sizes (`make bench`).")
    out.append("")

    b1, c1, b2, c2 = (tp.get(k) for k in ("bare-1", "claimex-1", "bare-2", "claimex-2"))
    big = res.get("memory_big")
    r_c1 = _wps(c1) / _wps(b1)
    r_c2 = _wps(c2) / _wps(b2)
    s_c = _wps(c2) / _wps(c1)
    s_b = _wps(b2) / _wps(b1)
    mem = big["peak_rss_mb"] / c1["peak_rss_mb"] if big else None
    help_s = res["help"]["best_s"]
    out += ["| Measure | Value | Target | Met |", "|---|---:|---:|:---:|"]
    out.append(f"| claimex / bare sm, 1 process | {r_c1:.2f}x | >= {TARGETS['claimex_vs_bare']}x | "
               f"{_ok(r_c1, TARGETS['claimex_vs_bare'])} |")
    out.append(f"| claimex / bare sm, 2 processes | {r_c2:.2f}x | >= {TARGETS['claimex_vs_bare']}x | "
               f"{_ok(r_c2, TARGETS['claimex_vs_bare'])} |")
    out.append(f"| claimex, 2 processes / 1 process | {s_c:.2f}x | >= {TARGETS['two_vs_one']}x | "
               f"{_ok(s_c, TARGETS['two_vs_one'])} |")
    out.append(f"| bare sm, 2 processes / 1 process (reference) | {s_b:.2f}x | | |")
    dev = res.get("throughput_dev")
    if dev and "bare" in dev and "claimex" in dev:
        r_dev = _wps(dev["claimex"]) / _wps(dev["bare"])
        out.append(f"| claimex / bare sm, 1 process, real articles (dev corpus, {dev['claimex']['n_docs']} docs) | "
                   f"{r_dev:.2f}x | >= {TARGETS['claimex_vs_bare']}x | {_ok(r_dev, TARGETS['claimex_vs_bare'])} |")
    eq = res.get("equality")
    if eq:
        n_diff = sum(c["n_differences"] for c in eq["corpora"])
        docs = sum(c["n_docs"] for c in eq["corpora"])
        out.append(f"| equality with the reference pipeline (spaCy's ruler, lemmatizer, whole Matcher), "
                   f"{docs} docs: rows and flags that differ | {n_diff} | 0 | {_ok(n_diff, 0, below=True)} |")
    if c1.get("cpu_s") and c2.get("cpu_s"):
        # less sensitive to other work than wall time: 1.00x means the second process costs no extra CPU
        out.append(f"| claimex, CPU seconds of the process tree, 2 processes / 1 process | "
                   f"{c2['cpu_s'] / c1['cpu_s']:.2f}x | | |")
    mem_txt = f"{mem:.2f}x" if mem is not None else "failed"
    out.append(f"| claimex peak RSS, {plan['memory_factor']}x corpus / 1x corpus (1 process) | {mem_txt} | "
               f"<= {TARGETS['memory_10x']}x | {_ok(mem, TARGETS['memory_10x'], below=True)} |")
    rerun = res.get("rerun_big")
    if rerun:
        mem_re = rerun["peak_rss_mb"] / c1["peak_rss_mb"]
        out.append(f"| claimex peak RSS, incremental rerun of the {plan['memory_factor']}x corpus "
                   f"({rerun['n_reused']:,} documents reused) / 1x corpus | {mem_re:.2f}x | "
                   f"<= {TARGETS['memory_10x']}x | {_ok(mem_re, TARGETS['memory_10x'], below=True)} |")
    out.append(f"| `claimex --help` wall time (best of 5) | {help_s:.2f} s | < {TARGETS['help_s']} s | "
               f"{_ok(help_s, TARGETS['help_s'] - 1e-9, below=True)} |")
    if "dask" in res:
        d = res["dask"]
        out.append(f"| claimex Dask (2-worker LocalCluster) / local 2 processes | {_wps(d) / _wps(c2):.2f}x | | |")
    ll = res.get("long_line")
    if ll:
        # seconds per byte of the long line against the 1-process run of the throughput corpus
        normal = c1["seconds"] / res["corpus_bytes"] if res.get("corpus_bytes") else None
        ratio = (ll["seconds"] / ll["chars"]) / normal if normal else None
        target = TARGETS["long_line_s"] * ll["chars"] / 1_000_000
        out.append(f"| one unpunctuated line of {ll['chars']:,} characters (`bench_long_line`) | {ll['seconds']:.1f} s | "
                   f"< {target:g} s | {_ok(ll['seconds'], target, below=True)} |")
        if ratio is not None:
            out.append(f"| its cost per byte / the throughput corpus's (1 process, both incl. model load) | "
                       f"{ratio:.2f}x | | |")
    out.append("")

    out += ["| Run | Processes | Docs | Words | Seconds | Words/s | Peak RSS (MB) | CPU s (process tree) | Load avg |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def row(label: str, n: int | str, r: dict[str, Any]) -> None:
        out.append(f"| {label} | {n} | {r['n_docs']:,} | {r['n_words']:,} | {r['seconds']:.1f} | "
                   f"{_wps(r):,.0f} | {r['peak_rss_mb']:,.0f} | {r.get('cpu_s', float('nan')):.1f} | "
                   f"{r['load_before']:.1f} |")

    row("bare en_core_web_sm (load + `nlp.pipe`)", 1, b1)
    row("claimex run (ingest, NLP, tables, flags)", 1, c1)
    row("bare en_core_web_sm (load + `nlp.pipe`)", 2, b2)
    row("claimex run (ingest, NLP, tables, flags)", 2, c2)
    if big:
        row(f"claimex run, {plan['memory_factor']}x corpus", 1, big)
    if rerun:
        row(f"claimex rerun, {plan['memory_factor']}x corpus, all stored rows reused", 1, rerun)
    if "dask" in res:
        row("claimex run, `--engine dask` (LocalCluster incl. start-up)", "2 workers", res["dask"])
    out.append("")
    stage_rows = [(lbl, r) for lbl, r in (("claimex, 1 process", c1), ("claimex, 2 processes", c2),
                                          (f"claimex, 1 process, {plan['memory_factor']}x", big),
                                          ("claimex, Dask", res.get("dask"))) if r and "setup_s" in r]
    if stage_rows:
        out += ["| claimex run | Setup (ingest, load) s | NLP + tables s | Flags s |", "|---|---:|---:|---:|"]
        for lbl, r in stage_rows:
            out.append(f"| {lbl} | {r['setup_s']:.1f} | {r.get('nlp_tables_s', 0):.1f} | {r.get('flags_s', 0):.2f} |")
        out.append("")

    if "short_rows" in res:
        out += [f"Many short documents (`bench_rows`, issue 20): {res['short_rows']['n_rows']:,} short texts "
                "(two sentences each), as rows of one JSONL file and as one file each, measured one after the other "
                "in this run.", ""]
        out += bench_rows.markdown(res["short_rows"]) + [""]

    fl = res.get("flags", {}).get("rows", [])
    out += [] if not fl else ["| Flagging stage (`bench_flags`) | Claims/s | Wall s | CPU s | Wall t / t(previous size) |",
            "|---|---:|---:|---:|---:|"]
    prev = None
    for f in fl:
        ratio = ""
        if prev and prev["seconds"]:
            ratio = f"{f['seconds'] / prev['seconds']:.1f} (size x{f['n_claims'] / prev['n_claims']:g})"
        cpu = f"{f['cpu_seconds']:.2f}" if f.get("cpu_seconds") is not None else "n/a"
        rate = f"{f['n_claims'] / f['seconds']:,.0f}" if f["seconds"] else "n/a"
        out.append(f"| {f['n_claims']:,} claims, {f['n_documents']:,} docs | {rate} | "
                   f"{f['seconds']:.2f} | {cpu} | {ratio} |")
        prev = f
    if "flags" in res:
        out.append(f"\nFlags subprocess peak RSS: {res['flags']['peak_rss_mb']:,.0f} MB.\n")

    if "report" in res:
        out += ["| Report (`bench_report`, benchmark corpus) | Claims | Flags | Build s | Build peak RSS MB | "
                "RSS / smallest | report.html bytes | report.md bytes | Chromium data-ready | Ready ms | "
                "Filter works | Filter ms |",
                "|---|---:|---:|---:|---:|---:|---:|---:|:---:|---:|:---:|---:|"]
        for r in res["report"]["rows"]:
            cells = [f"{r.get(k):,}" if isinstance(r.get(k), (int, float)) and not isinstance(r.get(k), bool)
                     else "n/a" for k in ("claims", "flags", "build_s", "build_peak_rss_mb")]
            ratio = r.get("rss_ratio")
            cells.append(f"{ratio:.2f}x (target <= 1.2x)" if ratio is not None else "")
            cells += [f"{r[k]:,}" for k in ("html_bytes", "md_bytes")]
            if "ready_state" in r:
                cells += [str(r["ready_state"]), f"{r['ready_ms']:,}" if r["ready_ms"] is not None else "n/a",
                          "yes" if r["filter_works"] else "**no**", f"{r['filter_ms']:,}"]
            else:
                cells += ["", "", "", ""]
            out.append(f"| {r['n_docs']:,} articles | " + " | ".join(cells) + " |")
        out.append("")
    for key, err in sorted(res.get("failures", {}).items()):
        out.append(f"**{key} failed:** `{err}`  ")
    return "\n".join(out)


def write_doc(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n## Latest results\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="claimex speed, memory and scaling benchmarks")
    parser.add_argument("--benchmarks", help="public benchmark sets (accepted for `make`; not used here)")
    parser.add_argument("--quick", action="store_true", help="small sizes (about 3 minutes on a quiet machine)")
    parser.add_argument("--docs", type=int, help="documents in the throughput corpus (default 200; quick 40)")
    parser.add_argument("--repeat", type=int, default=1, help="repeat the throughput runs, keep the fastest")
    parser.add_argument("--skip-report", action="store_true", help="do not run the report benchmark")
    parser.add_argument("--skip-dask", action="store_true", help="do not run the Dask engine")
    parser.add_argument("--skip-rows", action="store_true", help="do not run the short-rows / tiny-files measures")
    parser.add_argument("--skip-long-line", action="store_true", help="do not run the long-line measure")
    parser.add_argument("--rows", type=int, help="short rows for bench_rows (default 100,000; quick 2,000)")
    parser.add_argument("--no-write", action="store_true", help=f"do not update {DOC_PATH.relative_to(ROOT)}")
    parser.add_argument("--doc", type=Path, default=DOC_PATH, help="Markdown file to update")
    parser.add_argument("--json", type=Path, help="also write all raw figures as JSON")
    args = parser.parse_args(argv)
    command = "python benchmarks/run_all.py " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    res = run(args, log=lambda msg: print(msg, file=sys.stderr, flush=True))
    block = markdown(res, command.strip())
    print(block)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    if not args.no_write:
        write_doc(args.doc, block)
        print(f"\n(written to {args.doc})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
