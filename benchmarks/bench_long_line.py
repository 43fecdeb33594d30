"""Cost of one long unpunctuated line (issue 16): a ``claimex run`` over a folder holding one
text file of N characters that has no sentence punctuation at all.

    python benchmarks/bench_long_line.py [--chars N] [--repeat R] [--json PATH]

The text is made of lower-case words drawn (seeded, so every run sees the same text) from a
small health vocabulary, single spaces, one final newline: the shape of a pasted keyword list
or a page whose markup was stripped with its punctuation.  Before issue 16 the sentence
splitter left sentences of ~1,500 tokens in such a text and claim extraction, which is
superlinear in the sentence length, took minutes for 1 MB; the segmenter now caps
unpunctuated runs at ``max_sentence_tokens`` (150) tokens, and labels such a block ``run_on``
(more than 150 words without a sentence end: no prose; claims skip it once ``run_on`` is one of
their non-claim kinds).  CPU on a loaded machine (load 6-7, n_process 1): 1,000,000 characters
25.4 s with claims read from the run, 16.3 s without.

Prints the wall time of the whole run (``run_corpus(..., report=False)``: ingest, NLP,
tables, flags), the number of sentences and the longest sentence in words, with the
1-minute load average (the machine is shared).  Target: < 30 s for 1,000,000 characters
on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("kratom pain relief users report energy and the leaves are chewed by workers for stamina "
         "with opioid receptors binding mitragynine dose of grams daily in many people who take it "
         "for anxiety or depression nausea constipation liver injury turmeric ginger tea").split()
SEED = 16


def long_line(n_chars: int, seed: int = SEED) -> str:
    """``n_chars`` characters of space-separated words without punctuation, then a newline."""
    rng = random.Random(seed)
    parts, length = [], 0
    while length < n_chars:
        word = rng.choice(WORDS)
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:n_chars].rstrip() + "\n"


def run_once(n_chars: int) -> dict:
    import pyarrow.parquet as pq

    from claimex.runner import run_corpus

    with tempfile.TemporaryDirectory(prefix="claimex-long-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "long.txt").write_text(long_line(n_chars), encoding="utf-8")
        out = Path(tmp) / "out"
        start = time.perf_counter()
        run_corpus([folder], out, report=False, force=True)
        seconds = time.perf_counter() - start
        sentences = pq.read_table(out / "sentences.parquet", columns=["text"]).column("text").to_pylist()
    return {"chars": n_chars, "seconds": round(seconds, 2), "sentences": len(sentences),
            "max_sentence_words": max((len(s.split()) for s in sentences), default=0),
            "load_1min": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = [run_once(args.chars) for _ in range(args.repeat)]
    best = min(rows, key=lambda r: r["seconds"])
    print("| chars | seconds (best of %d) | sentences | longest sentence (words) | load (1 min) |" % len(rows))
    print("| --- | --- | --- | --- | --- |")
    print(f"| {best['chars']:,} | {best['seconds']} | {best['sentences']} | {best['max_sentence_words']} "
          f"| {best['load_1min']} |")
    if args.json:
        args.json.write_text(json.dumps({"long_line": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
