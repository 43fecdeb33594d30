"""Determinism of ``claimex run`` (issue 7): the same input and configuration give
byte-identical outputs (every Parquet table, manifest.json, report.html,
report.md) and the same ids, whatever the process count, the batch size, the
order the input paths are given in, and the hash seed of the interpreter.

The runs are real ``claimex run`` subprocesses over a mixed corpus (plain text,
HTML, JSONL, CSV, Markdown, a duplicate, a bad file, and an article long enough
to be processed in several pieces).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from claimex.engine import local as engine
from claimex.engine.local import split_pieces

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
SEEDS = sorted(p.name for p in RAW.glob("*.txt"))
OUTPUTS = sorted([f"{n}.parquet" for n in ("documents", "sentences", "entities", "claims", "flags",
                                           "claim_groups", "sources", "errors")] + ["manifest.json", "report.html",
                                                                                    "report.md"])
PIECE_CHARS = 6_000

pytestmark = pytest.mark.slow


def claimex_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("claimex")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "claimex.cli"]


def build_corpus(root: Path) -> dict[str, Path]:
    """Three inputs: two folders and a file."""
    web, feeds = root / "web", root / "feeds"
    web.mkdir(parents=True)
    feeds.mkdir()
    for name in SEEDS[:3]:
        shutil.copyfile(RAW / name, web / name)
    shutil.copyfile(RAW / SEEDS[1], feeds / "mirror.txt")  # the same article in two inputs
    seed3 = (RAW / SEEDS[3]).read_text(encoding="utf-8")
    (web / "long.txt").write_text("\n\n".join([seed3] * 3), encoding="utf-8")  # several pieces
    (web / "page.html").write_text(
        "<html><head><title>Kratom and Chronic Pain | Example</title></head><body><nav>Home | Shop</nav>"
        "<article><h1>Kratom and Chronic Pain</h1><p>Kratom may relieve chronic pain in some adults, "
        "according to several small surveys of users.</p><p>However, kratom can cause nausea and "
        "constipation, and long-term use may lead to dependence.</p></article></body></html>",
        encoding="utf-8")
    (web / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    records = [{"text": "Kratom does not cure arthritis. Some users say kratom relieves arthritis pain.",
                "title": "Arthritis", "url": "https://example.org/a"},
               {"text": "Kratom may cause constipation and nausea in regular users."}]
    (feeds / "items.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (feeds / "rows.csv").write_text(
        'id,title,text\n1,Fibro,"Kratom may ease fibromyalgia pain, but it can cause dependence."\n',
        encoding="utf-8")
    notes = root / "notes.md"
    notes.write_text("# Kratom notes\n\nKratom contains mitragynine. Mitragynine acts on opioid receptors.\n",
                     encoding="utf-8")
    return {"web": web, "feeds": feeds, "notes": notes}


def run(paths: list[Path], out: Path, *, n_process: int, batch_size: int, hash_seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, **{engine.PIECE_CHARS_ENV: str(PIECE_CHARS)})
    proc = subprocess.run([*claimex_cmd(), "run", *map(str, paths), "--out", str(out),
                           "--n-process", str(n_process), "--batch-size", str(batch_size)],
                          capture_output=True, text=True, env=env,
                          timeout=900)
    # 3: the run finished; the corpus's broken file is in errors.parquet (claimex.cli.common.EXIT_PARTIAL)
    assert proc.returncode == 3, proc.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("determinism")
    inputs = build_corpus(tmp / "corpus")
    one = tmp / "one"
    run([inputs["web"], inputs["feeds"], inputs["notes"]], one, n_process=1, batch_size=16, hash_seed="0")
    two = tmp / "two"
    run([inputs["notes"], inputs["feeds"], inputs["web"]], two, n_process=2, batch_size=3, hash_seed="4242")
    return inputs, one, two


def test_the_corpus_exercises_every_format_and_several_pieces(runs):
    _, one, _ = runs
    docs = pq.read_table(one / "documents.parquet").to_pylist()
    # issue 20: with several input roots every name starts with its root's name, so equal relative
    # names stay apart; the copy of 001 in feeds/ (mirror.txt) is named first in sort order
    assert [(d["source"], d["format"], len(d["sources"])) for d in docs] == [
        ("feeds/items.jsonl:1", "jsonl", 1),
        ("feeds/items.jsonl:2", "jsonl", 1),
        ("feeds/mirror.txt", "txt", 2),
        ("feeds/rows.csv:2", "csv", 1),
        ("notes.md", "md", 1),
        ("web/000_0b499bb038d65974.txt", "txt", 1),
        ("web/002_8d8250643712a73f.txt", "txt", 1),
        ("web/long.txt", "txt", 1),
        ("web/page.html", "html", 1),
    ]
    assert docs[2]["sources"] == ["feeds/mirror.txt", "web/001_e00226db8c1070c3.txt"]
    long_doc = next(d for d in docs if d["source"] == "web/long.txt")
    assert len(split_pieces(long_doc["text"], PIECE_CHARS)) == 5
    errors = pq.read_table(one / "errors.parquet").to_pylist()
    assert errors == [{"source": "web/broken.txt", "stage": "decode",
                       "error": "[E014] web/broken.txt: looks like a binary file (PNG image), not text."}]


def test_outputs_are_byte_identical_across_process_count_path_order_batch_size_and_hash_seed(runs):
    _, one, two = runs
    a, b = files(one), files(two)
    assert sorted(a) == sorted(b) == OUTPUTS
    assert [name for name in OUTPUTS if a[name] != b[name]] == []


def test_ids_are_the_same_and_well_formed(runs):
    _, one, two = runs
    for table, key in (("documents", "doc_id"), ("sentences", "sent_id"), ("entities", "ent_id"),
                       ("claims", "claim_id"), ("flags", "flag_id")):
        ids_one = pq.read_table(one / f"{table}.parquet", columns=[key]).column(key).to_pylist()
        ids_two = pq.read_table(two / f"{table}.parquet", columns=[key]).column(key).to_pylist()
        assert ids_one == ids_two
        assert len(set(ids_one)) == len(ids_one) > 0, table


def test_manifest_records_the_configuration(runs):
    _, one, _ = runs
    manifest = json.loads((one / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["piece_chars"] == PIECE_CHARS
    assert sorted(manifest["table_sha256"]) == sorted(n[:-len(".parquet")] for n in OUTPUTS
                                                      if n.endswith(".parquet"))
    assert [i["sources"] for i in manifest["inputs"]][:3] == [
        ["feeds/items.jsonl:1"], ["feeds/items.jsonl:2"], ["feeds/mirror.txt", "web/001_e00226db8c1070c3.txt"]]
