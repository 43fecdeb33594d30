"""Synthetic benchmark corpus built from the committed seed articles (``data/raw``).

Every synthetic article has the shape of the seeds: one or two introductory
paragraphs, sometimes a bulleted table of contents ("- heading" lines), then
two to four sections, each a heading line followed by one or two paragraphs.
Headings and paragraphs are drawn from the seeds with a fixed seed; 70 % of
the paragraphs are copied verbatim and 30 % are remixed from 3-7 sentences of
random seed paragraphs.  So, as on the web, the same sentences recur across
many sources (every seed sentence appears in hundreds of articles of a 2,000
article corpus) while no two articles are identical (an article whose text
was already drawn is drawn again).

    python benchmarks/corpus.py 2000 /tmp/corpus      # writes 00000.txt ... 01999.txt

``build_corpus(n_docs, out_dir, seed=0)`` is what the benchmarks call.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "raw"
HEADING_MAX_CHARS = 150
REMIX_SHARE = 0.3
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class SeedPool:
    headings: tuple[str, ...]
    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]


def seed_pool(seed_dir: Path = SEED_DIR) -> SeedPool:
    """Headings, paragraphs and sentences of the seed articles (sorted by file name)."""
    files = sorted(Path(seed_dir).glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"{seed_dir}: no seed articles (*.txt) to build a corpus from")
    headings: list[str] = []
    paragraphs: list[str] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("- "):
                line = line[2:].strip()
            if len(line) <= HEADING_MAX_CHARS and not line.endswith((".", "!", "?")):
                if line not in headings:
                    headings.append(line)
            elif line not in paragraphs:
                paragraphs.append(line)
    sentences = [s for p in paragraphs for s in _SENT_SPLIT.split(p) if s.strip()]
    return SeedPool(tuple(headings), tuple(paragraphs), tuple(sentences))


def _paragraph(rng: random.Random, pool: SeedPool) -> str:
    if rng.random() < REMIX_SHARE:
        return " ".join(rng.choice(pool.sentences) for _ in range(rng.randint(3, 7)))
    return rng.choice(pool.paragraphs)


def _article(rng: random.Random, pool: SeedPool) -> str:
    lines = [_paragraph(rng, pool) for _ in range(rng.randint(1, 2))]
    sections = rng.sample(pool.headings, rng.randint(2, min(4, len(pool.headings))))
    if rng.random() < 0.5:
        lines.extend(f"- {h}" for h in sections)
    for heading in sections:
        lines.append(heading)
        lines.extend(_paragraph(rng, pool) for _ in range(rng.randint(1, 2)))
    return "\n".join(lines) + "\n"


def corpus_texts(n_docs: int, seed: int = 0, *, pool: SeedPool | None = None) -> list[str]:
    """``n_docs`` distinct synthetic articles; the same ``seed`` gives the same texts."""
    if n_docs < 0:
        raise ValueError(f"n_docs must be >= 0, not {n_docs}")
    pool = pool or seed_pool()
    rng = random.Random(seed)
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < n_docs:
        text = _article(rng, pool)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        texts.append(text)
    return texts


def build_corpus(n_docs: int, out_dir: str | Path, seed: int = 0) -> Path:
    """Write ``n_docs`` synthetic articles as ``<out_dir>/00000.txt`` ...; returns ``out_dir``.

    Text files of an earlier call in the same folder are replaced, so the
    folder holds exactly this corpus.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    for i, text in enumerate(corpus_texts(n_docs, seed)):
        (out / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python benchmarks/corpus.py N_DOCS OUT_DIR [SEED]", file=sys.stderr)
        return 2
    out = build_corpus(int(argv[0]), argv[1], int(argv[2]) if len(argv) == 3 else 0)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in out.glob("*.txt"))
    print(f"{out}: {argv[0]} articles, {words:,} whitespace-separated words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
