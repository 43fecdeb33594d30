"""Benchmark claimex's hedge and negation cue detection against negspacy.

    python benchmarks/bench_cues.py [BENCHMARK_DIR] [--limit N] [--json PATH]

BENCHMARK_DIR defaults to ``../shared/benchmarks`` next to the repository.  Both
systems see the same sentences, parsed once by the same pipeline
(``spacy.load(claimex.settings.resolve_model(), exclude=["ner"])`` +
``claimex_cues``); negspacy's ``negex`` component (default ``en_clinical``
termset) is then run on each parsed Doc after its ``doc.ents`` have been set.
claimex is a rule system and is trained on nothing, so every set is evaluated
whole (no split); ``--limit N`` keeps N items spread evenly over each set, for a quick run.

Protocols
---------
1. NegEx test set (``negex-testset/rsAnnotations-1-120-random.txt``): per
   annotated condition, is it negated (positive class = Negated)?  The condition
   is searched in its sentence case-insensitively (whitespace-insensitive).  The
   annotators UPPER-CASED the condition inside the sentence; unless
   ``--keep-case``, that marking is undone (the condition is lower-cased) when
   the rest of the sentence is not all upper-case - the same text goes to both
   systems.  claimex: negated iff the condition's character span lies inside the
   scope of a negation cue.  negspacy: ``doc.ents`` = the condition (expanded
   to token boundaries), negated iff ``ent._.negex``.  A condition not found in
   its sentence (11 rows) is predicted Affirmed by both systems.
2. BioScope (``bioscope/abstracts.xml`` + ``full_papers.xml``), all sentences:
   a. sentence "uncertain" (gold: contains a speculation cue; CoNLL-2010 Task 1
      sense) - claimex: some hedge cue found.  negspacy has no hedge detection.
   b. speculation cues, cue level: a predicted hedge cue counts when it shares a
      token with a gold ``<cue type="speculation">`` of the sentence (and a gold
      cue counts as found when a predicted cue shares a token with it).
   c. sentence negated (gold: contains a negation cue).  negspacy only decides
      per entity, so every noun chunk of the sentence is made an entity and the
      sentence counts as negated when one of them is negated.  claimex is scored
      twice: "any cue" (some negation cue found) and "noun chunks" (the negspacy
      protocol: some noun chunk lies inside a negation scope).
   d. negation cues, cue level (claimex only), as in b.
3. Yu et al. claim strength (``claim-strength-yu/annotated_pubmed.csv``): among
   sentences labelled 1 (correlational), 2 (conditional causal) or 3 (direct
   causal), positive = 2 (a hedged causal claim); claimex: some hedge cue found.
   Also printed: the share of sentences with a hedge cue per label.

Rows "claimex" use the pipeline's default (``weak_hedges=False``: 'can' is no hedge); rows
"claimex +weak" add the weak hedge 'can' (``weak_hedges=True``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cue_scoring import binary_scores, markdown_table, overlap_scores

DEFAULT_DIR = HERE.parent.parent / "shared" / "benchmarks"
NEGEX_FILE = Path("negex-testset") / "rsAnnotations-1-120-random.txt"
BIOSCOPE_FILES = [Path("bioscope") / "abstracts.xml", Path("bioscope") / "full_papers.xml"]
YU_FILE = Path("claim-strength-yu") / "annotated_pubmed.csv"
BATCH_SIZE = 64

ANCHORS = [
    {"task": "NegEx: condition negated", "system": "GenNegEx v1.2 (published, this set)", "n": 2376,
     "precision": 0.933, "recall": 0.959, "f1": 0.946, "accuracy": 0.977,
     "note": "repo TestSet.md"},
    {"task": "BioScope: sentence uncertain", "system": "CoNLL-2010 Task 1 bio best (published)",
     "n": None, "precision": None, "recall": None, "f1": 0.8636, "accuracy": None,
     "note": "Tang et al. 2010; trained, and measured on the CoNLL-2010 evaluation set, not on BioScope"},
]


# --------------------------------------------------------------------------- data


def _need(path: Path) -> Path:
    if not path.exists():
        from claimex.errors import Errors

        raise SystemExit(Errors.E059.format(path=path))
    return path


def find_phrase(phrase: str, text: str) -> tuple[int, int] | None:
    """Case- and whitespace-insensitive search of ``phrase`` in ``text``."""
    words = phrase.split()
    if not words:
        return None
    m = re.search(r"\s+".join(map(re.escape, words)), text, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def load_negex(path: Path, keep_case: bool = False) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        for row in reader:
            if len(row) < 4:
                continue
            condition, sentence, status = row[1], row[2], row[3].strip()
            span = find_phrase(condition, sentence)
            if span and not keep_case:
                s, e = span
                rest = sentence[:s] + sentence[e:]
                if rest != rest.upper():
                    sentence = sentence[:s] + sentence[s:e].lower() + sentence[e:]
            rows.append({"text": sentence, "span": span, "negated": status == "Negated"})
    return rows


def _walk(el, pieces: list, cues: list, offset: int) -> int:
    """Collect the text of ``el`` in ``pieces`` and its ``<cue>`` spans in ``cues``."""
    if el.text:
        pieces.append(el.text)
        offset += len(el.text)
    for child in el:
        start = offset
        offset = _walk(child, pieces, cues, offset)
        if child.tag == "cue":
            cues.append((child.get("type"), start, offset))
        if child.tail:
            pieces.append(child.tail)
            offset += len(child.tail)
    return offset


def load_bioscope(paths: list[Path]) -> list[dict]:
    sentences = []
    for path in paths:
        root = ET.parse(path).getroot()
        for el in root.iter("sentence"):
            pieces: list[str] = []
            cues: list[tuple[str, int, int]] = []
            _walk(el, pieces, cues, 0)
            text = "".join(pieces)
            if not text.strip():
                continue
            sentences.append({
                "text": text,
                "spec": [(s, e) for kind, s, e in cues if kind == "speculation" and e > s],
                "neg": [(s, e) for kind, s, e in cues if kind == "negation" and e > s],
            })
    return sentences


def load_yu(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return [{"text": r["sentence"], "label": int(r["label"])} for r in csv.DictReader(f)]


def sample(items: list, limit: int | None) -> list:
    """``limit`` items spread evenly over ``items`` (all of them when ``limit`` is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    return [items[i * len(items) // limit] for i in range(limit)]


# --------------------------------------------------------------------------- systems


def build_nlp():
    import negspacy.negation  # noqa: F401  registers the 'negex' factory
    import spacy

    from claimex.settings import resolve_model

    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_cues")
    negex = nlp.create_pipe("negex")  # default config: en_clinical termset
    return nlp, negex


def _tokens(doc, start: int, end: int) -> frozenset[int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return frozenset()
    return frozenset(range(span.start, span.end))


def run_negex(nlp, negex, rows: list[dict]) -> list[dict]:

    from claimex.nlp.cues import is_negated

    gold, pred_claimex, pred_negspacy = [], [], []
    docs = nlp.pipe((r["text"] for r in rows), batch_size=BATCH_SIZE)
    for row, doc in zip(rows, docs):
        gold.append(row["negated"])
        if row["span"] is None:
            pred_claimex.append(False)
            pred_negspacy.append(False)
            continue
        start, end = row["span"]
        pred_claimex.append(is_negated((start, end), doc._.claimex_cues))
        span = doc.char_span(start, end, label="CONDITION", alignment_mode="expand")
        doc.ents = [span]
        negex(doc)
        pred_negspacy.append(bool(doc.ents[0]._.negex))
    not_found = sum(1 for r in rows if r["span"] is None)
    note = f"{not_found} conditions not found in their sentence -> Affirmed"
    task = "NegEx: condition negated"
    return [
        {"task": task, "system": "claimex", **binary_scores(gold, pred_claimex), "note": note},
        {"task": task, "system": "negspacy (en_clinical)", **binary_scores(gold, pred_negspacy), "note": note},
    ]


def run_bioscope(nlp, negex, sentences: list[dict]) -> list[dict]:
    from spacy.tokens import Span

    from claimex.nlp.cues import find_cues, is_negated

    lexicon = nlp.get_pipe("claimex_cues").lexicon
    gold_unc, gold_neg = [], []
    unc = {"claimex": [], "claimex +weak": []}
    spec_gold, spec_pred = [], {"claimex": [], "claimex +weak": []}
    neg_gold, neg_pred = [], []
    neg_any, neg_chunks, neg_negspacy = [], [], []
    docs = nlp.pipe((s["text"] for s in sentences), batch_size=BATCH_SIZE)
    for sent, doc in zip(sentences, docs):
        cues = doc._.claimex_cues
        with_weak = [c.to_dict() for c in find_cues(doc, lexicon, weak_hedges=True)]
        gold_unc.append(bool(sent["spec"]))
        gold_neg.append(bool(sent["neg"]))
        spec_gold.append([_tokens(doc, s, e) for s, e in sent["spec"]])
        neg_gold.append([_tokens(doc, s, e) for s, e in sent["neg"]])
        for name, found in (("claimex", cues), ("claimex +weak", with_weak)):
            hedges = [c for c in found if c["kind"] == "hedge"]
            unc[name].append(bool(hedges))
            spec_pred[name].append([_tokens(doc, c["start"], c["end"]) for c in hedges])
        negs = [c for c in cues if c["kind"] == "negation"]
        neg_pred.append([_tokens(doc, c["start"], c["end"]) for c in negs])
        neg_any.append(bool(negs))
        chunks = list(doc.noun_chunks)
        neg_chunks.append(any(is_negated(ch, cues) for ch in chunks))
        doc.ents = [Span(doc, ch.start, ch.end, label="NP") for ch in chunks]
        negex(doc)
        neg_negspacy.append(any(e._.negex for e in doc.ents))
    n_note = "all sentences, no split (rules, nothing trained)"
    rows = []
    t = "BioScope: sentence uncertain"
    for name in ("claimex", "claimex +weak"):
        rows.append({"task": t, "system": name, **binary_scores(gold_unc, unc[name]), "note": n_note})
    rows.append({"task": t, "system": "negspacy", "n": len(sentences), "precision": None, "recall": None,
                 "f1": None, "accuracy": None, "note": "no hedge detection"})
    rows.append(ANCHORS[1])
    t = "BioScope: speculation cues (token overlap)"
    for name in ("claimex", "claimex +weak"):
        rows.append({"task": t, "system": name, **overlap_scores(spec_gold, spec_pred[name]),
                     "note": f"{sum(map(len, spec_gold))} gold cues"})
    t = "BioScope: sentence negated"
    rows.append({"task": t, "system": "claimex (any cue)", **binary_scores(gold_neg, neg_any), "note": n_note})
    rows.append({"task": t, "system": "claimex (noun chunks)", **binary_scores(gold_neg, neg_chunks),
                 "note": "negated iff a noun chunk lies in a negation scope"})
    rows.append({"task": t, "system": "negspacy (en_clinical)", **binary_scores(gold_neg, neg_negspacy),
                 "note": "noun chunks as ents; negated iff one ent._.negex"})
    t = "BioScope: negation cues (token overlap)"
    rows.append({"task": t, "system": "claimex", **overlap_scores(neg_gold, neg_pred),
                 "note": f"{sum(map(len, neg_gold))} gold cues"})
    return rows


def run_yu(nlp, rows: list[dict]) -> tuple[list[dict], dict]:
    from claimex.nlp.cues import find_cues

    lexicon = nlp.get_pipe("claimex_cues").lexicon
    labels, hedged, hedged_weak = [], [], []
    for row, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=BATCH_SIZE)):
        labels.append(row["label"])
        hedged.append(any(c["kind"] == "hedge" for c in doc._.claimex_cues))
        hedged_weak.append(any(c.kind == "hedge" for c in find_cues(doc, lexicon, weak_hedges=True)))
    keep = [i for i, lab in enumerate(labels) if lab in (1, 2, 3)]
    gold = [labels[i] == 2 for i in keep]
    t = "Yu PubMed: conditional causal (2) vs 1/3"
    out = [
        {"task": t, "system": "claimex", **binary_scores(gold, [hedged[i] for i in keep]),
         "note": "hedged iff a hedge cue; label-0 rows left out"},
        {"task": t, "system": "claimex +weak", **binary_scores(gold, [hedged_weak[i] for i in keep]),
         "note": "hedged iff a hedge cue; label-0 rows left out"},
        {"task": t, "system": "negspacy", "n": len(keep), "precision": None, "recall": None, "f1": None,
         "accuracy": None, "note": "no hedge detection"},
    ]
    rates = {}
    for lab in sorted(set(labels)):
        idx = [i for i, x in enumerate(labels) if x == lab]
        rates[str(lab)] = {"n": len(idx), "hedged": sum(hedged[i] for i in idx) / len(idx)}
    return out, rates


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmark_dir", nargs="?", default=str(DEFAULT_DIR),
                        help="folder holding negex-testset/, bioscope/, claim-strength-yu/ "
                             "(default: ../shared/benchmarks next to the repository)")
    parser.add_argument("--limit", type=int, default=None, help="use N items spread evenly over each set (quick run)")
    parser.add_argument("--json", dest="json_path", default=None, help="also write the results as JSON here")
    parser.add_argument("--keep-case", action="store_true",
                        help="NegEx set: keep the annotators' upper-casing of the condition")
    parser.add_argument("--only", choices=["negex", "bioscope", "yu"], action="append",
                        help="run only these sets (repeatable)")
    args = parser.parse_args(argv)
    base = Path(args.benchmark_dir)
    only = set(args.only or ["negex", "bioscope", "yu"])

    def lim(items: list) -> list:
        return sample(items, args.limit)

    t0 = time.perf_counter()
    nlp, negex = build_nlp()
    timings = {"load": time.perf_counter() - t0}
    rows: list[dict] = []
    extra: dict = {}
    if "negex" in only:
        t = time.perf_counter()
        data = lim(load_negex(_need(base / NEGEX_FILE), keep_case=args.keep_case))
        rows += run_negex(nlp, negex, data)
        rows.append(ANCHORS[0])
        timings["negex"] = time.perf_counter() - t
        print(f"NegEx: {len(data)} conditions in {timings['negex']:.1f}s", flush=True)
    if "bioscope" in only:
        t = time.perf_counter()
        data = lim(load_bioscope([_need(base / p) for p in BIOSCOPE_FILES]))
        rows += run_bioscope(nlp, negex, data)
        timings["bioscope"] = time.perf_counter() - t
        print(f"BioScope: {len(data)} sentences in {timings['bioscope']:.1f}s", flush=True)
    if "yu" in only:
        t = time.perf_counter()
        data = lim(load_yu(_need(base / YU_FILE)))
        yu_rows, rates = run_yu(nlp, data)
        rows += yu_rows
        extra["yu_hedged_share_by_label"] = rates
        timings["yu"] = time.perf_counter() - t
        print(f"Yu: {len(data)} sentences in {timings['yu']:.1f}s", flush=True)
        print("Yu: share of sentences with a hedge cue by label (0 none, 1 correlational, "
              "2 conditional causal, 3 direct causal): "
              + ", ".join(f"{k}: {v['hedged']:.2f} (n={v['n']})" for k, v in rates.items()))
    timings["total"] = time.perf_counter() - t0
    print()
    print(markdown_table(rows))
    print(f"\nTotal time {timings['total']:.1f}s")
    if args.json_path:
        out = {"benchmark_dir": str(base), "limit": args.limit, "rows": rows, "timings_s": timings, **extra}
        Path(args.json_path).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
