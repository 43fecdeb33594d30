"""Many short documents (issue 20): rows of one JSONL/CSV file against the same texts as files.

    python benchmarks/bench_rows.py [--rows N] [--tiny N] [--format jsonl|csv]

Builds, from the seed articles' sentences, ``N`` distinct short texts (two
sentences each, about 250 characters) and writes them twice: as the rows of
one ``rows.jsonl`` (or ``rows.csv``) and as ``N`` files of one article each.
Each corpus is run by ``run_corpus(..., report=False)`` in a fresh subprocess
(``bench_pipeline.measure``), so the two are measured side by side in one
run: the target is rows within 2x the time of the files and memory flat.
"Memory flat" is judged as the peak RSS of the ``N`` rows within 1.2x that of
the same ``N`` texts as files (the baseline the issue compares the rows with);
the growth from ``N / 10`` to ``N`` rows is reported beside it, against the
same 1.2x (part of the peak grows with the corpus whatever its form: the
corpus-level flags stage and the documents held for it).  A folder of
``--tiny`` very small files (a few words each) gives the per-file cost.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_pipeline import measure  # noqa: E402
from corpus import SEED_DIR  # noqa: E402

TARGETS = {"rows_vs_files": 2.0, "rows_memory_vs_files": 1.2, "rows_memory_10x": 1.2}
FULL = {"rows": 100_000, "tiny": 10_000}
QUICK = {"rows": 2_000, "tiny": 1_000}


def _sentences() -> list[str]:
    out = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")):
            s = " ".join(s.split())
            if 40 <= len(s) <= 240:
                out.append(s)
    return out


def short_texts(n: int, seed: int = 20) -> list[str]:
    """``n`` distinct short texts of two seed sentences each, chosen at random with a fixed
    seed (distinct, so none is merged as a duplicate; few share both sentences, so the
    near-duplicate clusters stay as small as a real collection's)."""
    import random

    sents = _sentences()
    rng = random.Random(seed)
    return [f"Note {i}. {rng.choice(sents)} {rng.choice(sents)}" for i in range(n)]


def write_rows(texts: list[str], folder: Path, fmt: str = "jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with open(folder / "rows.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["text"])
            writer.writerows([t] for t in texts)
    else:
        with open(folder / "rows.jsonl", "w", encoding="utf-8") as fh:
            for text in texts:
                fh.write(json.dumps({"text": text}) + "\n")
    return folder


def write_files(texts: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"a{i:06d}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def write_tiny(n: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"t{i:06d}.txt").write_text(f"Kratom note {i} may ease pain.\n", encoding="utf-8")
    return folder


def run(rows: int, tiny: int, *, fmt: str = "jsonl", log: Callable[[str], None] = print) -> dict[str, Any]:
    res: dict[str, Any] = {"n_rows": rows, "n_tiny": tiny, "format": fmt}  # "rows", "files"...: the runs
    with tempfile.TemporaryDirectory(prefix="claimex-bench-rows-") as tmp:
        tmp = Path(tmp)
        texts = short_texts(rows)
        corpora = {"rows_small": write_rows(texts[:max(1, rows // 10)], tmp / "rows-small", fmt),
                   "files": write_files(texts, tmp / "files"), "rows": write_rows(texts, tmp / "rows", fmt)}
        if tiny:
            corpora["tiny"] = write_tiny(tiny, tmp / "tiny")
        # the small run first: it brings the model files into the page cache for the two compared
        for name, folder in corpora.items():
            log(f"# {name}: {folder}")
            r = measure({"kind": "claimex", "corpus": str(folder), "n_process": 1})
            log(f"  {r['n_docs']:,} docs in {r['seconds']:.1f} s ({1000 * r['seconds'] / max(r['n_docs'], 1):.1f} "
                f"ms/doc), peak RSS {r['peak_rss_mb']:,.0f} MB")
            res[name] = r
    res["rows_vs_files"] = res["rows"]["seconds"] / res["files"]["seconds"]
    # CPU seconds of the process tree: much less sensitive to other work on a shared machine
    res["rows_vs_files_cpu"] = res["rows"]["cpu_s"] / res["files"]["cpu_s"]
    res["rows_memory_vs_files"] = res["rows"]["peak_rss_mb"] / res["files"]["peak_rss_mb"]
    res["rows_memory_10x"] = res["rows"]["peak_rss_mb"] / res["rows_small"]["peak_rss_mb"]
    return res


def markdown(res: dict[str, Any]) -> list[str]:
    def ok(value: float, target: float) -> str:
        return "yes" if value <= target else "**no**"

    rows = res["rows"]
    out = ["| Measure | Value | Target | Met |", "|---|---:|---:|:---:|",
           f"| {res['rows']['n_docs']:,} short rows in one {res['format'].upper()} / the same texts as files "
           f"(time) | {res['rows_vs_files']:.2f}x | <= {TARGETS['rows_vs_files']}x | "
           f"{ok(res['rows_vs_files'], TARGETS['rows_vs_files'])} |",
           f"| the same, CPU seconds of the process tree | {res['rows_vs_files_cpu']:.2f}x | "
           f"<= {TARGETS['rows_vs_files']}x | {ok(res['rows_vs_files_cpu'], TARGETS['rows_vs_files'])} |",
           f"| peak RSS, {rows['n_docs']:,} rows / the same texts as files (memory flat) | "
           f"{res['rows_memory_vs_files']:.2f}x | <= {TARGETS['rows_memory_vs_files']}x | "
           f"{ok(res['rows_memory_vs_files'], TARGETS['rows_memory_vs_files'])} |",
           f"| peak RSS, {rows['n_docs']:,} rows / {res['rows_small']['n_docs']:,} rows (growth with the corpus) | "
           f"{res['rows_memory_10x']:.2f}x | <= {TARGETS['rows_memory_10x']}x | "
           f"{ok(res['rows_memory_10x'], TARGETS['rows_memory_10x'])} |", "",
           "| Corpus | Docs | Seconds | ms/doc | CPU s | Setup s | NLP+tables s | Flags s | Peak RSS (MB) | Load avg |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    labels = {"rows": f"rows of one {res['format'].upper()}", "files": "one file per text",
              "rows_small": f"rows of one {res['format'].upper()} (1/10)", "tiny": "tiny files"}
    for key, label in labels.items():
        r = res.get(key)
        if r is None:
            continue
        out.append(f"| {label} | {r['n_docs']:,} | {r['seconds']:.1f} | {1000 * r['seconds'] / max(r['n_docs'], 1):.1f} "
                   f"| {r.get('cpu_s', float('nan')):.1f} | {r.get('setup_s', float('nan')):.1f} | {r.get('nlp_tables_s', float('nan')):.1f} | "
                   f"{r.get('flags_s', float('nan')):.1f} | {r['peak_rss_mb']:,.0f} | {r['load_before']:.1f} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=FULL["rows"])
    parser.add_argument("--tiny", type=int, default=FULL["tiny"])
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    res = run(args.rows, args.tiny, fmt=args.format, log=lambda m: print(m, file=sys.stderr, flush=True))
    print("\n".join(markdown(res)))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
