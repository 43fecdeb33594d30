"""Equality check (issue 21): the fast pipeline's output is the reference pipeline's.

claimex runs three parts of the work faster than spaCy does, each meant to give
the same result:

* the base model's attribute rules by lookup (``claimex_attribute_ruler``,
  :mod:`claimex.nlp.attribute_rules`) instead of spaCy's ``AttributeRuler``;
* the base model's lemmatizer once per distinct word form (``claimex_lemmatizer``)
  instead of spaCy's ``Lemmatizer``;
* cue and strength-cue matching over windows at anchor words
  (``PatternLexicon.windowed``) instead of the whole ``Matcher``.

The *reference* pipeline is the packaged config with spaCy's own attribute
ruler and lemmatizer sourced from the base model, and ``windowed`` off.  Both
run over the same documents; their rows (sentences, entities, claims) and the
flags computed from them are compared field by field.  Every difference is
printed with the table, document and field.  The CPU seconds of both are
printed side by side.

    python benchmarks/bench_equality.py [DIR ...] [--limit N] [--json PATH]

Without folders: the seeds (``data/raw``), the first 60 articles of the
benchmark corpus (built in a temporary folder) and the dev corpus
(``../shared/corpora/web-dev``) when it is there.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

TABLES = ("sentences", "entities", "claims")


def reference_config() -> str:
    """The packaged config with spaCy's attribute ruler and lemmatizer sourced from the base model."""
    from claimex.nlp.pipeline import default_config_text

    text = default_config_text()
    for name in ("attribute_ruler", "lemmatizer"):
        text, n = re.subn(rf"\[components\.{name}\]\n(?:#.*\n)*(?:[a-z_]+ = .*\n)+",
                          f"[components.{name}]\nsource = ${{paths.base_model}}\n", text)
        if n != 1:
            raise RuntimeError(f"cannot find [components.{name}] in the packaged config")
    return text


def _rows(nlp, raw_docs) -> tuple[dict[str, list[dict]], float]:
    from claimex.engine.local import DocRows, _title
    from claimex.nlp.extract import DocAccumulator

    c0 = time.process_time()
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    rows = []
    for raw, doc in zip(raw_docs, nlp.pipe((d.text for d in raw_docs), batch_size=16)):
        acc = DocAccumulator(raw.doc_id)
        acc.add_piece(doc, 0)
        for table in TABLES:
            out[table].extend(getattr(acc, table))
        rows.append(DocRows(acc.doc_id, n_words=acc.n_words, blocks=acc.blocks or [], sentences=acc.sentences,
                            entities=acc.entities, claims=acc.claims, title=_title(raw.text, acc.blocks or [])))
    return out, time.process_time() - c0, rows  # type: ignore[return-value]


def _flags(raw_docs, rows) -> list[dict]:
    from bench_pipeline import write_tables
    from claimex.runner import run_flags

    with tempfile.TemporaryDirectory(prefix="claimex-equality-") as tmp:
        out = Path(tmp)
        write_tables(out, raw_docs, rows)
        run_flags(out)
        import pyarrow.parquet as pq

        return pq.read_table(out / "flags.parquet").to_pylist()


def _key(table: str, row: dict) -> tuple:
    ident = {"sentences": "sent_id", "entities": "ent_id", "claims": "claim_id", "flags": "flag_id"}[table]
    return (row.get("doc_id"), row.get(ident))


def differences(table: str, fast: list[dict], ref: list[dict]) -> list[str]:
    """One line per row present on one side only and per field that differs."""
    a = {_key(table, r): r for r in fast}
    b = {_key(table, r): r for r in ref}
    out = []
    for key in sorted(set(a) | set(b), key=str):
        if key not in b:
            out.append(f"{table} {key}: only in the fast pipeline")
        elif key not in a:
            out.append(f"{table} {key}: only in the reference pipeline")
        else:
            for field in sorted(set(a[key]) | set(b[key])):
                if a[key].get(field) != b[key].get(field):
                    out.append(f"{table} {key} {field}: fast {a[key].get(field)!r} vs reference {b[key].get(field)!r}")
    return out


def compare(folders: list[Path]) -> dict[str, Any]:
    from claimex.ingest import read_corpus
    from claimex.nlp.pipeline import load_pipeline
    from claimex.rulebase import PatternLexicon

    result: dict[str, Any] = {"corpora": []}
    with tempfile.TemporaryDirectory(prefix="claimex-refcfg-") as tmp:
        ref_cfg = Path(tmp) / "reference.cfg"
        ref_cfg.write_text(reference_config(), encoding="utf-8")
        fast_nlp, _ = load_pipeline()
        ref_nlp, _ = load_pipeline(config_path=ref_cfg)
    assert type(ref_nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    for folder in folders:
        raw_docs, _ = read_corpus([folder])
        fast, fast_cpu, fast_rows = _rows(fast_nlp, raw_docs)
        PatternLexicon.windowed = False
        try:
            ref, ref_cpu, ref_rows = _rows(ref_nlp, raw_docs)
        finally:
            PatternLexicon.windowed = True
        diffs = []
        for table in TABLES:
            diffs += differences(table, fast[table], ref[table])
        fast["flags"], ref["flags"] = _flags(raw_docs, fast_rows), _flags(raw_docs, ref_rows)
        diffs += differences("flags", fast["flags"], ref["flags"])
        result["corpora"].append({
            "corpus": str(folder), "n_docs": len(raw_docs),
            "rows": {t: len(fast[t]) for t in (*TABLES, "flags")},
            "n_differences": len(diffs), "differences": diffs[:50],
            "fast_cpu_s": round(fast_cpu, 2), "reference_cpu_s": round(ref_cpu, 2),
        })
    result["equal"] = all(c["n_differences"] == 0 for c in result["corpora"])
    return result


def default_folders(tmp: Path, limit: int) -> list[Path]:
    from corpus import build_corpus

    folders = [ROOT / "data" / "raw"]
    bench = tmp / "bench"
    build_corpus(limit, bench)
    folders.append(bench)
    dev = ROOT.parent / "shared" / "corpora" / "web-dev"
    for sub in ("kratom", "general"):
        if (dev / sub).is_dir():
            folders.append(dev / sub)
    return folders


def print_result(res: dict[str, Any], log=print) -> None:
    log("| Corpus | Docs | Sentences | Entities | Claims | Flags | Differences | CPU fast / reference |")
    log("|---|---:|---:|---:|---:|---:|---:|---|")
    for c in res["corpora"]:
        r = c["rows"]
        log(f"| {c['corpus']} | {c['n_docs']} | {r['sentences']} | {r['entities']} | {r['claims']} | {r['flags']} "
            f"| {c['n_differences']} | {c['fast_cpu_s']} / {c['reference_cpu_s']} s |")
    for c in res["corpora"]:
        for line in c["differences"]:
            log(f"  {line}")
    log(f"equality: {'the same rows and flags' if res['equal'] else 'DIFFERENCES (listed above)'}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=60, help="articles of the benchmark corpus")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="claimex-equality-") as tmp:
        folders = args.folders or default_folders(Path(tmp), args.limit)
        res = compare(folders)
    print_result(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2), encoding="utf-8")
    return 0 if res["equal"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
