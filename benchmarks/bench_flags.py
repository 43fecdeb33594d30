"""Scaling benchmark of the corpus-level flagging stage (:func:`claimex.flags.flag_claims`).

Builds synthetic ``claims`` / ``documents`` / ``sentences`` tables of 10^4,
10^5 and 10^6 claims with a realistic shape — about one distinct claim key per
20 claims, one document per 50 claims (5 % of them near-duplicate copies),
20 % negated, 30 % hedged, 25 % of the claims scoped by an amount or duration
qualifier, 3 % DOSAGE claims with doses (limits, starting and recommended
doses, in g and mg) — and times ``flag_claims`` on each (table building is not
timed).  A linear stage shows ratios t(10x) / t(x) close to 10.

    python benchmarks/bench_flags.py            # 10^4, 10^5, 10^6
    python benchmarks/bench_flags.py 10000 100000

On the dev gold instead (the flag measures of ``claimex evaluate`` plus the
hand-marked evidence sentences of ``tests/flags/gold/web-dev-evidence.jsonl``):

    python benchmarks/bench_flags.py dev tests/gold/web-dev /tmp/dev [EVIDENCE_FILE]

``run(sizes)`` returns one dict per size for ``benchmarks/run_all.py``.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from claimex import schema
from claimex.flags import flag_claims

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SEED = 20240611

_LEXICON_OBJECTS = ["addiction", "dependence", "sedation", "side effects", "adverse effects",
                    "nausea", "constipation", "withdrawal", "liver damage", "drowsiness"]
_CONDITIONS = ["chronic pain", "fibromyalgia", "arthritis", "anxiety", "neuropathy", "pain",
               "insomnia", "depression", "migraine", "back pain"]
_PREDICATES = ["TREATS", "CAUSES", "CONTAINS", "ACTS_ON", "INTERACTS_WITH", "SAFER_THAN"]
_AMOUNTS = ["low doses", "higher amounts", "moderate doses", "high doses", "small amounts"]
_DURATIONS = ["long-term use", "short-term use", "daily use"]
_EVIDENCE = ["none", "anecdote", "vague-appeal", "citation", "study-reference"]
_EVIDENCE_P = [0.55, 0.15, 0.15, 0.1, 0.05]
_CERTAINTY = ["asserted", "probable", "possible", "speculative"]
_WORDS = ("kratom pain relief users report leaves alkaloids opioid receptors dose grams daily "
          "safety research effects sedation stimulant tolerance dependence withdrawal liver "
          "nausea arthritis fibromyalgia anxiety mood sleep energy capsule powder tea extract "
          "vendor quality legal status market study trial evidence doctor patient health").split()


def _dict(values) -> pa.Array:
    return pa.array(values, pa.string()).dictionary_encode().cast(pa.dictionary(pa.int32(), pa.string()))


def make_tables(n: int, seed: int = SEED) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Synthetic (claims, documents, sentences) tables with ``n`` claims."""
    rng = np.random.default_rng(seed + n)
    n_keys = max(1, n // 20)
    n_docs = max(2, n // 50)

    # documents: short texts; 5 % are copies of another document with one word changed
    vocab = np.array(_WORDS)
    doc_ids = [f"d{j:07d}" for j in range(n_docs)]
    words = rng.integers(0, len(vocab), size=(n_docs, 60))
    texts = [" ".join(vocab[row]) for row in words]
    for j in np.flatnonzero(rng.random(n_docs) < 0.05):
        src = int(rng.integers(n_docs))
        texts[j] = texts[src] + " indeed"
    documents = pa.table({
        "doc_id": doc_ids,
        "source": [f"corpus/{d}.txt" for d in doc_ids],
        "sources": [[f"corpus/{d}.txt"] for d in doc_ids],
        "format": _dict(["txt"] * n_docs),
        "title": pa.nulls(n_docs, pa.string()),
        "url": pa.nulls(n_docs, pa.string()),
        "n_chars": pa.array([len(t) for t in texts], pa.int32()),
        "n_words": pa.array([len(t.split()) for t in texts], pa.int32()),
        "n_sentences": pa.array([30] * n_docs, pa.int32()),
        "content_sha256": [hashlib.sha256(t.encode()).hexdigest() for t in texts],
        "text": pa.array(texts, pa.large_string()),
        "input_path": [f"corpus/{d}.txt" for d in doc_ids],
        "input_line": pa.nulls(n_docs, pa.int32()),
        "site": pa.nulls(n_docs, pa.string()),
        "text_repairs": pa.array([[]] * n_docs, pa.list_(pa.string())),
    }, schema=schema.DOCUMENTS)

    # claim keys: n/20 distinct keys, 60 per subject (6 predicates x 10 objects), so that the
    # shape (claims per key, keys per subject) does not change with n
    k = np.arange(n_keys)
    j = k % 60
    preds = np.array(_PREDICATES)[j % 6]
    objects = np.where(preds == "CAUSES", np.array(_LEXICON_OBJECTS)[j // 6],
                       np.array(_CONDITIONS)[j // 6]).astype(object)
    subjects = np.array([f"substance{i}" for i in range(n_keys // 60 + 1)])[k // 60]

    key_of = rng.integers(0, n_keys, size=n)
    subj = subjects[key_of]
    pred = preds[key_of].astype(object)
    obj = objects[key_of]
    dosage = rng.random(n) < 0.03
    pred[dosage] = "DOSAGE"
    obj[dosage] = "dose"
    subj = subj.astype(object)

    doc_of = rng.integers(0, n_docs, size=n)
    sent_no = rng.integers(0, 30, size=n)
    claim_doc = [doc_ids[j] for j in doc_of]
    sent_ids = [f"{claim_doc[i]}:{sent_no[i]}" for i in range(n)]
    polarity = np.where(rng.random(n) < 0.2, "negated", "affirmed")
    polarity[dosage] = "affirmed"
    hedged = rng.random(n) < 0.3
    certainty = np.where(hedged, np.array(_CERTAINTY)[rng.integers(1, 4, size=n)], "asserted")
    evidence = np.array(_EVIDENCE)[rng.choice(len(_EVIDENCE), size=n, p=_EVIDENCE_P)]
    attribution = np.array(["author", "users", "research", "experts"])[rng.integers(0, 4, size=n)]

    # qualifiers
    r = rng.random(n)
    offsets = [0]
    q_kind: list[str] = []
    q_text: list[str] = []
    texts_c: list[str] = []
    dmin = [None] * n
    dmax = [None] * n
    dunit = [None] * n
    dperiod = [None] * n
    amounts = rng.integers(0, len(_AMOUNTS), size=n)
    durations = rng.integers(0, len(_DURATIONS), size=n)
    dose_lo = rng.integers(1, 20, size=n)
    dose_span = rng.integers(0, 10, size=n)
    role = rng.integers(0, 3, size=n)
    for i in range(n):
        if dosage[i]:
            lo, hi = float(dose_lo[i]), float(dose_lo[i] + dose_span[i])
            if i % 2:
                dmin[i], dmax[i], dunit[i] = lo, hi, "g"
            else:
                dmin[i], dmax[i], dunit[i] = lo * 1000, hi * 1000, "mg"
            if role[i] == 0:
                texts_c.append(f"do not exceed the upper limit of {lo:g} to {hi:g} grams a day")
                dperiod[i] = "a day"
            elif role[i] == 1:
                texts_c.append(f"a starting dose of {lo:g} to {hi:g} grams")
            else:
                q_kind.append("amount")
                q_text.append("moderate dose")
                texts_c.append(f"a moderate dose of {lo:g} to {hi:g} grams")
        else:
            texts_c.append(f"{subj[i]} {pred[i].lower()} {obj[i]}")
            if r[i] < 0.15:
                q_kind.append("amount")
                q_text.append(_AMOUNTS[amounts[i]])
            elif r[i] < 0.25:
                q_kind.append("duration")
                q_text.append(_DURATIONS[durations[i]])
            elif r[i] < 0.30:
                q_kind.append("comparator")
                q_text.append("prescription opioids")
        offsets.append(len(q_kind))
    quals = pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()),
        pa.StructArray.from_arrays([pa.array(q_kind, pa.string()), pa.array(q_text, pa.string())],
                                   fields=list(schema.QUALIFIER)))
    claim_ids = [f"c{i:08d}" for i in range(n)]
    keys = [f"{s}|{p}|{o}" for s, p, o in zip(subj, pred, obj)]
    hedge_cues = pa.array([["may"] if h else [] for h in hedged], pa.list_(pa.string()))
    claims = pa.table({
        "claim_id": claim_ids,
        "doc_id": claim_doc,
        "sent_id": sent_ids,
        "start_char": pa.array(np.zeros(n, dtype=np.int32)),
        "end_char": pa.array(np.full(n, 10, dtype=np.int32)),
        "text": texts_c,
        "subject": pa.array(subj.tolist(), pa.string()),
        "predicate": _dict(pred.tolist()),
        "object": pa.array(obj.tolist(), pa.string()),
        "subject_text": pa.array(subj.tolist(), pa.string()),
        "object_text": pa.array(obj.tolist(), pa.string()),
        "subject_ent_id": pa.nulls(n, pa.string()),
        "object_ent_id": pa.nulls(n, pa.string()),
        "polarity": _dict(polarity.tolist()),
        "hedged": pa.array(hedged),
        "hedge_cues": hedge_cues,
        "certainty": _dict(certainty.tolist()),
        # a strength grade consistent with the certainty (3 asserted, 2 hedged)
        "strength": pa.array(np.where(certainty == "asserted", 3, 2).astype(np.int8)),
        "attribution": _dict(attribution.tolist()),
        "evidence": _dict(evidence.tolist()),
        # the quoted evidence is not read by the flagging stage: null here
        "evidence_text": pa.nulls(n, pa.string()),
        "evidence_start": pa.nulls(n, pa.int32()),
        "evidence_end": pa.nulls(n, pa.int32()),
        "qualifiers": quals,
        "dose_min": pa.array(dmin, pa.float64()),
        "dose_max": pa.array(dmax, pa.float64()),
        "dose_unit": _dict(dunit),
        "dose_period": pa.array(dperiod, pa.string()),
        "claim_key": keys,
    }, schema=schema.CLAIMS)

    # sentences: one row per distinct (doc, sentence); 2 % share one boilerplate text
    pairs = sorted(set(zip(claim_doc, sent_ids)))
    shared = rng.random(len(pairs)) < 0.02
    sent_texts = ["Kratom may cause dependence when it is used every day for months."
                  if shared[j] else f"Sentence {s} of document {d} says something about kratom."
                  for j, (d, s) in enumerate(pairs)]
    m = len(pairs)
    sentences = pa.table({
        "doc_id": [d for d, _ in pairs],
        "sent_id": [s for _, s in pairs],
        "sent_index": pa.array([int(s.rsplit(":", 1)[1]) for _, s in pairs], pa.int32()),
        "start_char": pa.array(np.zeros(m, dtype=np.int32)),
        "end_char": pa.array(np.full(m, 60, dtype=np.int32)),
        "text": sent_texts,
        "section": pa.nulls(m, pa.string()),
        "section_kind": _dict(["body"] * m),
        "paragraph": pa.array(np.zeros(m, dtype=np.int32)),
        "hedged": pa.array(np.zeros(m, dtype=bool)),
        "hedge_cues": pa.array([[]] * m, pa.list_(pa.string())),
        "negated": pa.array(np.zeros(m, dtype=bool)),
        "negation_cues": pa.array([[]] * m, pa.list_(pa.string())),
        "citations": pa.nulls(m, pa.list_(schema.CITATION)),
    }, schema=schema.SENTENCES)
    return claims, documents, sentences


def run(sizes: Sequence[int] = DEFAULT_SIZES) -> list[dict]:
    """Time ``flag_claims`` for each size; one result dict per size.

    ``seconds`` is wall-clock time, ``cpu_seconds`` the process CPU time (the
    steadier figure on a shared machine); the ratios compare each size with
    the previous one.
    """
    results: list[dict] = []
    for n in sizes:
        claims, documents, sentences = make_tables(n)
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        flags, groups = flag_claims(claims, documents, sentences)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        flag_counts = flags.column("flag").value_counts().to_pylist()
        row = {
            "benchmark": "flags",
            "n_claims": n,
            "n_documents": documents.num_rows,
            "n_keys": groups.num_rows,
            "n_flags": flags.num_rows,
            "flags_by_kind": {d["values"]: d["counts"] for d in flag_counts},
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "claims_per_second": round(n / wall) if wall else None,
        }
        if results:
            prev = results[-1]
            row["size_ratio"] = n / prev["n_claims"]
            row["time_ratio"] = round(wall / prev["seconds"], 2) if prev["seconds"] else None
            row["cpu_ratio"] = round(cpu / prev["cpu_seconds"], 2) if prev["cpu_seconds"] else None
        results.append(row)
        del claims, documents, sentences, flags, groups
    return results


DEV_EVIDENCE = "tests/flags/gold/web-dev-evidence.jsonl"


def dev(gold: str, pred: str, evidence: str = DEV_EVIDENCE) -> str:
    """The flag sections of the evaluation of ``pred`` against ``gold``, with the evidence gold."""
    from claimex.evaluate import format_report, lexicon_names, load_gold, score
    from claimex.evaluate.flag_measures import load_evidence_gold

    scores = score(load_gold(gold), pred, names=lexicon_names(), evidence=load_evidence_gold(evidence))
    text = format_report(scores)
    return text[text.index("## Flags"):]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["dev"]:
        print(dev(*argv[1:]), end="")
        return 0
    sizes = [int(a) for a in argv] or list(DEFAULT_SIZES)
    for row in run(sizes):
        ratio = ""
        if "time_ratio" in row:
            ratio = (f"  x{row['size_ratio']:g} size -> wall x{row['time_ratio']:.2f}, "
                     f"cpu x{row['cpu_ratio']:.2f}")
        print(f"flag_claims  n={row['n_claims']:>9,}  keys={row['n_keys']:>7,}  "
              f"flags={row['n_flags']:>9,}  wall {row['seconds']:7.2f} s  cpu {row['cpu_seconds']:7.2f} s"
              f"{ratio}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
