"""Benchmark for claimex.report: report size and page load time in headless Chromium.

Generates a synthetic processed folder of N documents (about 40 sentences and
10 claims each, with realistic shares of hedged, unsupported, overstated and
contradicted flags), builds report.html / report.md, and opens the page in
Debian's Chromium (/usr/bin/chromium) through Playwright.

Measured per size:
  build_s     time of build_report() (read Parquet, render, write both files)
  html_bytes  size of report.html;  md_bytes  size of report.md
  goto_s      wall time of page.goto(file://...) until the `load` event
  dcl_ms      DOMContentLoaded end, from navigation start (Navigation Timing)
  load_ms     load event end, from navigation start
  ready_ms    window.__claimexReady: the report script has parsed its data and
              applied the filters (performance.now(), from navigation start)
  fcp_ms      first contentful paint
  filter_ms   one filter change (flag kind = hedged) applied in the page, incl. layout

By default the folders are the benchmark corpus (``corpus.py``, the articles
``make bench`` measures) processed by ``claimex run --no-report``; each report
is built in a fresh subprocess, so its peak RSS is the build's own
(``build_peak_rss_mb``, ``rss_ratio`` against the first size), and the page of
the largest size is opened in Chromium: ``ready_state`` is its ``data-ready``
(``1``: everything unpacked and the filters work), ``filter_works`` whether
the flag-kind filter then shows only cards of that kind.

Usage:  python benchmarks/bench_report.py [N ...] [--synthetic]   (default: 200 2000)
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from claimex import schema
from claimex.report import build_report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

SUBSTANCES = ["kratom", "mitragynine", "7-hydroxymitragynine", "kratom tea", "red vein kratom",
              "green vein kratom", "white vein kratom", "kratom extract"]
CONDITIONS = ["chronic pain", "fibromyalgia", "arthritis", "osteoarthritis", "rheumatoid arthritis",
              "back pain", "anxiety", "depression", "insomnia", "fatigue", "inflammation", "migraine",
              "neuropathy", "opioid withdrawal", "joint stiffness", "muscle pain"]
EFFECTS = ["dependence", "addiction", "nausea", "constipation", "dizziness", "weight loss",
           "liver injury", "seizures", "euphoria", "sedation", "tolerance", "withdrawal symptoms"]
RECEPTORS = ["mu-opioid receptors", "delta-opioid receptors", "adrenergic receptors"]
FILLER = [
    "Many readers ask how the leaf is prepared and what the traditional use looked like in Southeast Asia.",
    "The article summarises reports from online forums, patient surveys and a handful of small studies.",
    "Regulation differs between countries, and the products sold online vary widely in quality and labelling.",
    "Patients often combine several approaches, including exercise, sleep hygiene and physical therapy.",
    "The author notes that individual experiences differ and that dosing is rarely standardised.",
    "Several clinics have started to record how often their patients mention the supplement.",
    "A balanced diet, gentle stretching and regular rest remain part of most management plans.",
    "Experts interviewed for this piece asked for larger trials with clear outcome measures.",
]


def _triples(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """(subject, predicate, object, subject label, object label) pool."""
    pool = []
    for s in SUBSTANCES:
        label = "ALKALOID" if "mitragynine" in s else "SUBSTANCE"
        pool += [(s, "TREATS", c, label, "CONDITION") for c in CONDITIONS]
        pool += [(s, "CAUSES", e, label, "SIDE_EFFECT") for e in EFFECTS]
        pool += [(s, "ACTS_ON", r, label, "RECEPTOR") for r in RECEPTORS]
    rng.shuffle(pool)
    return pool


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.TABLES[name]), folder / f"{name}.parquet")


def make_processed(folder: Path, n_docs: int, *, sentences_per_doc: int = 40, claims_per_doc: int = 10,
                   seed: int = 7) -> Path:
    """Write a synthetic processed folder with ``n_docs`` documents."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pool = _triples(rng)
    # popular claims: a Zipf-like choice so that groups span many documents
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(pool))]
    documents, sentences, entities, claims = [], [], [], []
    for d in range(n_docs):
        doc_id = f"{rng.getrandbits(64):016x}"
        cond = rng.choice(CONDITIONS)
        title = f"Kratom and {cond}: what readers report (part {d + 1})"
        parts: list[tuple[str, list[tuple[str, str, str]], dict | None]] = [(title, [("Kratom", "SUBSTANCE", "kratom"),
                                                                                    (cond, "CONDITION", cond)], None)]
        claim_slots = set(rng.sample(range(1, sentences_per_doc), claims_per_doc))
        for si in range(1, sentences_per_doc):
            if si in claim_slots:
                s, p, o, sl, ol = rng.choices(pool, weights)[0]
                negated = rng.random() < 0.12
                hedged = not negated and rng.random() < 0.2
                verb = {"TREATS": "relieves", "CAUSES": "causes", "ACTS_ON": "acts on"}[p]
                if negated:
                    verb = {"TREATS": "does not relieve", "CAUSES": "does not cause", "ACTS_ON": "does not act on"}[p]
                elif hedged:
                    verb = "may " + {"TREATS": "relieve", "CAUSES": "cause", "ACTS_ON": "act on"}[p]
                subj = s[0].upper() + s[1:]
                text = (f"{subj} {verb} {o} in some adults, according to "
                        f"{rng.choice(['one survey', 'a forum thread', 'the author', 'a small study'])}.")
                parts.append((text, [(subj, sl, s), (o, ol, o)],
                              {"triple": (s, p, o), "negated": negated, "hedged": hedged,
                               "s_text": subj, "o_text": o}))
            else:
                text = rng.choice(FILLER)
                ents = []
                if rng.random() < 0.3:
                    c = rng.choice(CONDITIONS)
                    text = text[:-1] + f", especially for {c}."
                    ents.append((c, "CONDITION", c))
                parts.append((text, ents, None))
        body_start = len(title) + 2
        text = title + "\n\n"
        offsets = [(0, len(title))]
        for k, (t, _, _) in enumerate(parts[1:]):
            if k and k % 8 == 0:
                text += "\n\n"
            elif k:
                text += " "
            offsets.append((len(text), len(text) + len(t)))
            text += t
        assert offsets[1][0] >= body_start
        n_claim = 0
        for si, ((start, end), (t, ents, claim)) in enumerate(zip(offsets, parts)):
            sent_id = f"{doc_id}-s{si:04d}"
            sentences.append({
                "doc_id": doc_id, "sent_id": sent_id, "sent_index": si, "start_char": start, "end_char": end,
                "text": t, "section": None, "section_kind": "title" if si == 0 else "body",
                "paragraph": 0 if si == 0 else 1 + (si - 1) // 8,
                "hedged": bool(claim and claim["hedged"]),
                "hedge_cues": ["may"] if claim and claim["hedged"] else [],
                "negated": bool(claim and claim["negated"]),
                "negation_cues": ["not"] if claim and claim["negated"] else [],
            })
            for surface, label, canonical in ents:
                at = t.find(surface)
                if at < 0:
                    continue
                entities.append({
                    "doc_id": doc_id, "sent_id": sent_id, "ent_id": f"{doc_id}-e{len(entities):06d}",
                    "start_char": start + at, "end_char": start + at + len(surface), "text": surface,
                    "label": label, "canonical": canonical, "match": "lexicon", "dose_min": None,
                    "dose_max": None, "dose_unit": None, "dose_period": None,
                })
            if claim:
                s, p, o = claim["triple"]
                o_at = t.find(claim["o_text"])
                claims.append({
                    "claim_id": f"{doc_id}-c{n_claim:04d}", "doc_id": doc_id, "sent_id": sent_id,
                    "start_char": start, "end_char": start + o_at + len(claim["o_text"]), "text": t,
                    "subject": s, "predicate": p, "object": o, "subject_text": claim["s_text"],
                    "object_text": claim["o_text"], "subject_ent_id": None, "object_ent_id": None,
                    "polarity": "negated" if claim["negated"] else "affirmed", "hedged": claim["hedged"],
                    "hedge_cues": ["may"] if claim["hedged"] else [],
                    "certainty": "possible" if claim["hedged"] else "asserted", "attribution": "author",
                    "evidence": rng.choice(["none", "none", "anecdote", "study-reference"]),
                    "qualifiers": [], "dose_min": None, "dose_max": None, "dose_unit": None, "dose_period": None,
                    "claim_key": f"{s}|{p}|{o}",
                })
                n_claim += 1
        documents.append({
            "doc_id": doc_id, "source": f"corpus/{d:05d}_kratom-{cond.replace(' ', '-')}.txt",
            "sources": [f"corpus/{d:05d}_kratom-{cond.replace(' ', '-')}.txt"], "format": "txt", "title": title,
            "url": f"https://site{d % 40}.example.com/articles/{d}", "n_chars": len(text),
            "n_words": len(text.split()), "n_sentences": len(parts), "content_sha256": "0" * 64, "text": text,
        })

    # flags: hedged claims, unsupported (no evidence) claims, overstated comparisons,
    # and contradictions (negated claims against affirmed ones in the same group)
    by_key: dict[str, list[dict]] = {}
    for c in claims:
        by_key.setdefault(c["claim_key"], []).append(c)
    flags = []

    def add(c: dict, kind: str, sev: str, score: float, reason: str, related: list[dict]) -> None:
        flags.append({
            "flag_id": f"{c['claim_id']}-{kind}", "claim_id": c["claim_id"], "doc_id": c["doc_id"],
            "sent_id": c["sent_id"], "claim_key": c["claim_key"], "flag": kind, "reason": reason,
            "related_claim_ids": [r["claim_id"] for r in related], "related_doc_ids": [r["doc_id"] for r in related],
            "severity": sev, "score": score,
        })

    verdicts: dict[str, str] = {}
    kinds_by_key: dict[str, set[str]] = {}
    for key, cs in by_key.items():
        affirmed = [c for c in cs if c["polarity"] == "affirmed" and not c["hedged"]]
        for c in cs:
            if c["polarity"] == "negated" and affirmed:
                others = [a for a in affirmed if a["doc_id"] != c["doc_id"]][:10]
                if others:
                    add(c, "contradicted", "high", round(0.7 + 0.3 * rng.random(), 3),
                        f"{len(others)} other sources state this claim.", others)
                    kinds_by_key.setdefault(key, set()).add("contradicted")
            elif c["hedged"]:
                add(c, "hedged", "low", round(0.2 + 0.3 * rng.random(), 3), "Stated only with the hedge 'may'.", [])
                kinds_by_key.setdefault(key, set()).add("hedged")
            elif c["evidence"] == "none" and rng.random() < 0.25:
                add(c, "unsupported", "medium", round(0.4 + 0.3 * rng.random(), 3),
                    "No evidence is given for this claim.", [])
                kinds_by_key.setdefault(key, set()).add("unsupported")
            elif rng.random() < 0.03:
                add(c, "overstated", "high", round(0.6 + 0.3 * rng.random(), 3),
                    "Stated as certain without evidence.", [])
                kinds_by_key.setdefault(key, set()).add("overstated")
        kinds = kinds_by_key.get(key, set())
        verdicts[key] = next((v for v in ("contradicted", "unsupported", "hedged") if v in kinds), "supported")
    groups = []
    for key, cs in sorted(by_key.items()):
        s, p, o = key.split("|")
        docs = sorted({c["doc_id"] for c in cs})
        groups.append({
            "claim_key": key, "group_key": key, "subject": s, "predicate": p, "object": o,
            "n_claims": len(cs), "n_sources": len(docs), "n_independent_sources": len(docs),
            "n_affirming": sum(c["polarity"] == "affirmed" and not c["hedged"] for c in cs),
            "n_negating": sum(c["polarity"] == "negated" for c in cs),
            "n_hedging": sum(c["hedged"] for c in cs),
            "n_independent_affirming": len({c["doc_id"] for c in cs if c["polarity"] == "affirmed"}),
            "n_independent_negating": len({c["doc_id"] for c in cs if c["polarity"] == "negated"}), "doc_ids": docs,
            "flags": sorted(kinds_by_key.get(key, set())), "verdict": verdicts[key],
        })
    _write(folder, "documents", documents)
    _write(folder, "sentences", sentences)
    _write(folder, "entities", entities)
    _write(folder, "claims", claims)
    _write(folder, "flags", flags)
    _write(folder, "claim_groups", groups)
    (folder / "manifest.json").write_text('{"claimex_version": "0.1.0", "synthetic": true}', encoding="utf-8")
    return folder


FILTER_KIND = "hedged"
READY_TIMEOUT_S = 180


def measure_page(html_path: Path) -> dict:
    """Open the page in headless Chromium: its ``data-ready`` state, the time to it, and one
    filter (flag kind) applied: whether every card shown then has that kind."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            t0 = time.perf_counter()
            page.goto(html_path.as_uri(), wait_until="load", timeout=READY_TIMEOUT_S * 1000)
            goto_s = time.perf_counter() - t0
            # the script sets data-ready (1: unpacked and filtering; partial: the store could not be
            # unpacked); a large page unpacks its store after `load`.  The page's CSP forbids the eval
            # that wait_for_function would need, so the state is polled.
            state = None
            while time.perf_counter() - t0 < READY_TIMEOUT_S:
                state = page.evaluate("() => document.documentElement.getAttribute('data-ready')")
                if state:
                    break
                time.sleep(0.05)
            timing = page.evaluate("""() => {
                const nav = performance.getEntriesByType('navigation')[0];
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                const note = document.getElementById('store-note');
                return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                        ready: window.__claimexReady || null, fcp: fcp ? fcp.startTime : null,
                        note: note ? !note.hidden : false,
                        count: (document.getElementById('flag-count') || {}).textContent || ''};
            }""")
            flt = page.evaluate("""(kind) => {
                const t = performance.now();
                const sel = document.getElementById('f-kind');
                sel.value = kind;
                sel.dispatchEvent(new Event('change'));
                document.body.getBoundingClientRect();  // force layout
                const ms = performance.now() - t;
                const cards = [...document.querySelectorAll('#flag-list article.flag')];
                return {ms: ms, shown: cards.length,
                        all_of_kind: cards.length > 0 && cards.every(c => c.classList.contains('k-' + kind)),
                        count: document.getElementById('flag-count').textContent};
            }""", FILTER_KIND)
        finally:
            browser.close()
    return {"ready_state": state, "goto_s": round(goto_s, 3), "dcl_ms": round(timing["dcl"]),
            "load_ms": round(timing["load"]),
            "ready_ms": round(timing["ready"]) if timing["ready"] is not None else None,
            "fcp_ms": round(timing["fcp"]) if timing["fcp"] else None, "store_note_shown": timing["note"],
            "count_text": timing["count"], "filter_ms": round(flt["ms"], 1),
            "filter_works": bool(state == "1" and flt["all_of_kind"] and flt["count"] != timing["count"]),
            "filter_count_text": flt["count"]}


_BUILD = r"""
import json, resource, sys, time
from pathlib import Path
from claimex.report import build_report
t0, c0 = time.perf_counter(), time.process_time()
h, m = build_report(Path(sys.argv[1]))
print(json.dumps({"build_s": round(time.perf_counter() - t0, 2), "build_cpu_s": round(time.process_time() - c0, 2),
                  "build_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "html": str(h), "md": str(m)}))
"""


def build_in_subprocess(folder: Path) -> dict:
    """``build_report(folder)`` in a fresh interpreter: its wall and CPU time and peak RSS
    (``ru_maxrss``: imports included, so two sizes compare like for like)."""
    done = subprocess.run([sys.executable, "-c", _BUILD, str(folder)], capture_output=True, text=True,
                          timeout=3600, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if done.returncode != 0:
        raise RuntimeError(f"report build failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def benchmark_folder(n_docs: int, folder: Path) -> Path:
    """The benchmark corpus of ``n_docs`` articles (``corpus.py``) processed by ``claimex run
    --no-report`` (in a subprocess) into ``folder``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import build_corpus

    corpus = build_corpus(n_docs, folder.parent / f"corpus-{n_docs}")
    done = subprocess.run([sys.executable, "-m", "claimex", "run", str(corpus), "--out", str(folder), "--no-report",
                           "--quiet"], capture_output=True, text=True, timeout=7200,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if done.returncode not in (0, 3):
        raise RuntimeError(f"claimex run on {n_docs} articles failed: {done.stderr.strip()[-2000:]}")
    return folder


def run(n_docs_list: list[int] | tuple[int, ...] = (200, 2000), *, browser: bool = True,
        corpus: str = "benchmark") -> list[dict]:
    """Build and measure a report for each corpus size; returns one dict per size.

    ``corpus="benchmark"``: the benchmark corpus (``corpus.py``) run through claimex;
    ``"synthetic"``: :func:`make_processed` (fast, no NLP).  Every report is built in a fresh
    subprocess (its peak RSS is its own); the page of the largest size is opened in Chromium
    (every size with ``browser="all"``).  Each row after the first has ``rss_ratio``: its build
    peak over the first size's."""
    results = []
    largest = max(n_docs_list) if n_docs_list else 0
    for n in n_docs_list:
        with tempfile.TemporaryDirectory(prefix="claimex-bench-report-") as tmp:
            folder = (benchmark_folder(n, Path(tmp) / "processed") if corpus == "benchmark"
                      else make_processed(Path(tmp) / "processed", n))
            counts = {name: pq.ParquetFile(folder / f"{name}.parquet").metadata.num_rows
                      for name in ("sentences", "claims", "flags", "claim_groups")}
            built = build_in_subprocess(folder)
            html_path, md_path = Path(built.pop("html")), Path(built.pop("md"))
            row = {"n_docs": n, "corpus": corpus, **counts, **built,
                   "html_bytes": html_path.stat().st_size, "md_bytes": md_path.stat().st_size}
            if results and results[0].get("build_peak_rss_mb"):
                row["rss_ratio"] = round(row["build_peak_rss_mb"] / results[0]["build_peak_rss_mb"], 2)
            if browser and (browser == "all" or n == largest) and Path(CHROMIUM).exists():
                row.update(measure_page(html_path))
            results.append(row)
    return results


def main(argv: list[str]) -> int:
    synthetic = "--synthetic" in argv
    sizes = [int(a) for a in argv if not a.startswith("--")] or [200, 2000]
    for row in run(sizes, corpus="synthetic" if synthetic else "benchmark"):
        print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
