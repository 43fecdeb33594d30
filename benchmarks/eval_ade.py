"""Side-effect and dose tagging on the ADE corpus v2 (Gurulingappa et al. 2012).

    python benchmarks/eval_ade.py [--benchmarks DIR] [--limit N] [--neg-sample 1000] [--json PATH]

The claimex pipeline (``claimex.nlp.pipeline.load_pipeline``: entities, cues and
claims; trained on nothing here) runs on every distinct sentence of
``DRUG-AE.rel`` and ``DRUG-DOSE.rel`` and on a sample of ``ADE-NEG.txt``.

Gold spans.  The ``.rel`` offsets are document-level, so each adverse effect
(dose) is located in its sentence by string search: among its occurrences
(case-sensitive, else case-insensitive) the one whose distance to an
occurrence of the related drug equals the distance of the document offsets;
else the first.  A gold span is one (PMID, sentence, start, end): the 6,821
relations give fewer distinct adverse-effect spans.  Spans that cannot be
found in their sentence are counted and left out.

Recall.  A gold adverse-effect span is *found* when a predicted entity
*overlaps* it (lenient) or has *exactly* its span (strict), with label
SIDE_EFFECT (``SIDE_EFFECT``), SIDE_EFFECT or CONDITION (``SIDE_EFFECT|CONDITION``),
or any label (``any``).  Doses likewise with DOSE (and any label).

Negative sentences.  ``ADE-NEG.txt`` sentences contain no drug-related adverse
effect.  A fixed-seed sample (``random.Random(42).sample`` of the distinct
sentences, default 1,000) is tagged; a sentence with at least one SIDE_EFFECT
entity is a sentence-level false positive (and, reported separately, a
sentence with a claimex ``CAUSES`` claim).  Reported: the share of negative
sentences with no SIDE_EFFECT entity (specificity), and the sentence-level
precision of "this sentence reports an adverse effect" over the whole corpus,
estimated as TP / (TP + FP-rate × number of distinct negative sentences), where
TP = positive sentences with a SIDE_EFFECT entity (with ``--limit``, TP is
scaled from the scored positives to all of them).

Published anchor (not comparable: supervised joint NER+RE, 10-fold CV, macro-F1
over drug and adverse-effect types): SpERT ≈ 89 entity F1 (values quoted from
memory in SOURCE.md, unverified).
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from eval_strength import emit, eval_parser, need, sample

AE_FILE = Path("ade-corpus-v2") / "DRUG-AE.rel"
DOSE_FILE = Path("ade-corpus-v2") / "DRUG-DOSE.rel"
NEG_FILE = Path("ade-corpus-v2") / "ADE-NEG.txt"
SEED = 42
NEG_SAMPLE = 1000
TOP = 20
LABEL_SETS = {"SIDE_EFFECT": {"SIDE_EFFECT"}, "SIDE_EFFECT|CONDITION": {"SIDE_EFFECT", "CONDITION"}, "any": None}
DOSE_SETS = {"DOSE": {"DOSE"}, "any": None}
ANCHOR = {"system": "SpERT (Eberts & Ulges 2020), supervised joint NER+RE", "entity_f1": 0.89,
          "note": "10-fold CV, macro-F1 over drug/AE entity types; quoted from memory in SOURCE.md, unverified; "
                  "not comparable with a recall of an untrained tagger"}


# --------------------------------------------------------------------------- data


def occurrences(needle: str, text: str) -> list[int]:
    """Start offsets of ``needle`` in ``text`` (case-sensitive; case-insensitive when there is none)."""
    if not needle:
        return []
    out = [m.start() for m in re.finditer(re.escape(needle), text)]
    if not out:
        out = [m.start() for m in re.finditer(re.escape(needle), text, flags=re.IGNORECASE)]
    return out


def locate(sentence: str, target: str, t_begin: int, drug: str, d_begin: int) -> tuple[int, int] | None:
    """Sentence offsets of ``target`` (see the module docstring), or None when it is not in the sentence."""
    hits = occurrences(target, sentence)
    if not hits:
        return None
    drugs = occurrences(drug, sentence)
    want = t_begin - d_begin
    for h in hits:
        if any(h - d == want for d in drugs):
            return h, h + len(target)
    return hits[0], hits[0] + len(target)


def load_rel(path: Path) -> tuple[dict[tuple[str, str], set[tuple[int, int, str]]], int]:
    """``{(pmid, sentence): {(start, end, text)}}`` of the gold targets, and the count not located."""
    gold: dict[tuple[str, str], set[tuple[int, int, str]]] = {}
    missing = 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("|")
            if len(parts) < 8:
                continue
            pmid, sentence, target, t_begin, _t_end, drug, d_begin = parts[:7]
            span = locate(sentence, target, int(t_begin), drug, int(d_begin))
            key = (pmid, sentence)
            gold.setdefault(key, set())
            if span is None:
                missing += 1
                continue
            gold[key].add((span[0], span[1], sentence[span[0]:span[1]]))
    return gold, missing


def load_neg(path: Path) -> list[tuple[str, str]]:
    """Distinct ``(pmid, sentence)`` of ADE-NEG.txt, in file order."""
    seen, out = set(), []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) < 3 or parts[1] != "NEG":
                continue
            key = (parts[0], parts[2])
            if key not in seen:
                seen.add(key)
                out.append(key)
    return out


# --------------------------------------------------------------------------- scoring


def span_recall(gold: dict, pred: dict, labels: set[str] | None) -> dict:
    """Recall of gold spans: ``gold[key]`` = {(start, end, text)}, ``pred[key]`` = [(start, end, label, text)]."""
    n = lenient = strict = 0
    for key, spans in gold.items():
        ents = [e for e in pred.get(key, ()) if labels is None or e[2] in labels]
        for s, e, _ in spans:
            n += 1
            if any(ps < e and s < pe for ps, pe, _, _ in ents):
                lenient += 1
            if any(ps == s and pe == e for ps, pe, _, _ in ents):
                strict += 1
    return {"n": n, "lenient_found": lenient, "strict_found": strict,
            "lenient_recall": lenient / n if n else 0.0, "strict_recall": strict / n if n else 0.0}


def missed(gold: dict, pred: dict, labels: set[str] | None, top: int = TOP) -> list[tuple[str, int]]:
    """Most frequent lower-cased gold strings not overlapped by an entity of ``labels``."""
    c: Counter = Counter()
    for key, spans in gold.items():
        ents = [e for e in pred.get(key, ()) if labels is None or e[2] in labels]
        for s, e, text in spans:
            if not any(ps < e and s < pe for ps, pe, _, _ in ents):
                c[text.lower()] += 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def labels_of_missed(gold: dict, pred: dict, labels: set[str]) -> dict[str, int]:
    """For gold spans missed with ``labels``: the labels of the other entities that overlap them."""
    c: Counter = Counter()
    for key, spans in gold.items():
        for s, e, _ in spans:
            ents = [x for x in pred.get(key, ()) if x[0] < e and s < x[1]]
            if any(x[2] in labels for x in ents):
                continue
            found = sorted({x[2] for x in ents})
            c["+".join(found) if found else "(no entity)"] += 1
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def sentence_precision(n_pos: int, tp_pos: int, n_neg_sample: int, fp_neg_sample: int, n_neg_total: int,
                       n_pos_total: int | None = None) -> dict:
    """Sentence-level figures of "the sentence reports an adverse effect" (see the module docstring).

    ``n_pos`` / ``tp_pos``: positive sentences scored and those with the decision;
    the rates are scaled to ``n_pos_total`` positive (default ``n_pos``) and
    ``n_neg_total`` negative sentences for the corpus-level precision estimate."""
    n_pos_total = n_pos if n_pos_total is None else n_pos_total
    tp_rate = tp_pos / n_pos if n_pos else 0.0
    fp_rate = fp_neg_sample / n_neg_sample if n_neg_sample else 0.0
    tp_est, fp_est = tp_rate * n_pos_total, fp_rate * n_neg_total
    return {"positive_sentences": n_pos, "tp": tp_pos, "recall": tp_rate,
            "neg_sample": n_neg_sample, "neg_sample_fp": fp_neg_sample, "fp_rate": fp_rate,
            "specificity": 1.0 - fp_rate if n_neg_sample else 0.0, "neg_total": n_neg_total,
            "pos_total": n_pos_total, "tp_estimated": tp_est, "fp_estimated": fp_est,
            "precision_estimated": tp_est / (tp_est + fp_est) if tp_est + fp_est else 0.0}


# --------------------------------------------------------------------------- the benchmark


def tag(nlp, texts: Iterable[str]) -> list[tuple[list[tuple[int, int, str, str]], list[dict]]]:
    """Entities ``(start, end, label, text)`` and claims of each text."""
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        ents = [(e["start"], e["end"], e["label"], doc.text[e["start"]:e["end"]]) for e in doc._.claimex_ents or []]
        out.append((ents, list(doc._.claimex_claims or [])))
    return out


def run(base: Path, nlp=None, *, limit: int | None = None, neg_sample: int = NEG_SAMPLE) -> dict:
    from claimex.nlp.pipeline import load_pipeline

    t0 = time.perf_counter()
    nlp = nlp or load_pipeline()[0]
    ae_gold, ae_missing = load_rel(need(base / AE_FILE))
    n_pos_total = len(ae_gold)
    dose_gold, dose_missing = load_rel(need(base / DOSE_FILE))
    negs = load_neg(need(base / NEG_FILE))
    ae_keys = sample(sorted(ae_gold), limit)
    dose_keys = sample(sorted(dose_gold), limit)
    ae_gold = {k: ae_gold[k] for k in ae_keys}
    dose_gold = {k: dose_gold[k] for k in dose_keys}
    rng = random.Random(SEED)
    neg_keys = rng.sample(negs, min(neg_sample if limit is None else min(neg_sample, limit), len(negs)))
    keys = list(dict.fromkeys(ae_keys + dose_keys + neg_keys))
    tagged = dict(zip(keys, tag(nlp, (k[1] for k in keys))))
    ents = {k: v[0] for k, v in tagged.items()}
    t_tag = time.perf_counter()

    res: dict = {"n_ae_sentences": len(ae_gold), "n_dose_sentences": len(dose_gold),
                 "ae_not_located": ae_missing, "dose_not_located": dose_missing,
                 "neg_sentences_distinct": len(negs), "neg_sample": len(neg_keys), "seed": SEED}
    res["ae_recall"] = {name: span_recall(ae_gold, ents, labs) for name, labs in LABEL_SETS.items()}
    res["dose_recall"] = {name: span_recall(dose_gold, ents, labs) for name, labs in DOSE_SETS.items()}
    res["ae_missed_top"] = missed(ae_gold, ents, {"SIDE_EFFECT"})
    res["ae_missed_any_label_top"] = missed(ae_gold, ents, None)
    res["ae_missed_labels"] = labels_of_missed(ae_gold, ents, {"SIDE_EFFECT"})
    res["dose_missed_top"] = missed(dose_gold, ents, {"DOSE"})
    qualitative = [(k, sp) for k, spans in dose_gold.items() for sp in spans if not re.search(r"\d", sp[2])]
    res["dose_qualitative"] = {
        "n": len(qualitative),
        "missed": sum(1 for k, (s, e, _) in qualitative
                      if not any(x[2] == "DOSE" and x[0] < e and s < x[1] for x in ents[k])),
        "share_of_gold": len(qualitative) / max(1, sum(len(v) for v in dose_gold.values())),
    }
    pos_with_se = sum(1 for k in ae_gold if any(e[2] == "SIDE_EFFECT" for e in ents[k]))
    neg_with_se = [k for k in neg_keys if any(e[2] == "SIDE_EFFECT" for e in ents[k])]
    neg_with_claim = [k for k in neg_keys if any(c["predicate"] == "CAUSES" for c in tagged[k][1])]
    pos_with_claim = sum(1 for k in ae_gold if any(c["predicate"] == "CAUSES" for c in tagged[k][1]))
    res["sentence_side_effect"] = sentence_precision(len(ae_gold), pos_with_se, len(neg_keys), len(neg_with_se),
                                                     len(negs), n_pos_total)
    res["sentence_causes_claim"] = sentence_precision(len(ae_gold), pos_with_claim, len(neg_keys),
                                                      len(neg_with_claim), len(negs), n_pos_total)
    fp = Counter(e[3].lower() for k in neg_keys for e in ents[k] if e[2] == "SIDE_EFFECT")
    res["neg_fp_top"] = sorted(fp.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    labels_pos = Counter(e[2] for k in ae_gold for e in ents[k])
    res["entity_labels_in_ae_sentences"] = dict(sorted(labels_pos.items()))
    res["anchor"] = ANCHOR
    res["timings_s"] = {"tagging": t_tag - t0, "total": time.perf_counter() - t0}
    return res


def _pct(x: float) -> str:
    return f"{x:.3f}"


def format_markdown(res: dict) -> str:
    lines = [f"ADE corpus v2: {res['n_ae_sentences']} adverse-effect sentences, {res['n_dose_sentences']} dose "
             f"sentences, {res['neg_sample']} of {res['neg_sentences_distinct']} distinct negative sentences "
             f"(seed {res['seed']}); gold spans not found in their sentence: AE {res['ae_not_located']}, "
             f"dose {res['dose_not_located']}.", "",
             "| gold | predicted label | gold spans | recall, lenient (overlap) | recall, strict (exact span) |",
             "|---|---|---|---|---|"]
    for name, r in [(n, res["ae_recall"][n]) for n in LABEL_SETS if n in res["ae_recall"]]:
        lines.append(f"| adverse effect | {name} | {r['n']} | {_pct(r['lenient_recall'])} | {_pct(r['strict_recall'])} |")
    for name, r in [(n, res["dose_recall"][n]) for n in DOSE_SETS if n in res["dose_recall"]]:
        lines.append(f"| dose | {name} | {r['n']} | {_pct(r['lenient_recall'])} | {_pct(r['strict_recall'])} |")
    lines += ["", "| sentence-level decision | recall (AE sentences) | negatives without it (specificity) | "
              "precision, estimated over the corpus |", "|---|---|---|---|"]
    for name, key in (("has a SIDE_EFFECT entity", "sentence_side_effect"),
                      ("has a CAUSES claim", "sentence_causes_claim")):
        s = res[key]
        lines.append(f"| {name} | {_pct(s['recall'])} ({s['tp']}/{s['positive_sentences']}) | "
                     f"{_pct(s['specificity'])} ({s['neg_sample'] - s['neg_sample_fp']}/{s['neg_sample']}) | "
                     f"{_pct(s['precision_estimated'])} |")
    a = res["anchor"]
    lines += ["", f"Anchor (not comparable): {a['system']}: entity F1 ≈ {a['entity_f1']} ({a['note']}).", "",
              "Most frequent missed adverse effects (no overlapping SIDE_EFFECT): "
              + ", ".join(f"{t} ({n})" for t, n in res["ae_missed_top"]),
              "", "Labels claimex gave to the missed adverse-effect spans: "
              + ", ".join(f"{k} {v}" for k, v in sorted(res["ae_missed_labels"].items(),
                                                          key=lambda kv: (-kv[1], kv[0]))),
              "", "Most frequent missed doses: " + ", ".join(f"{t} ({n})" for t, n in res["dose_missed_top"]),
              "", "Most frequent SIDE_EFFECT strings in negative sentences (false positives): "
              + ", ".join(f"{t} ({n})" for t, n in res["neg_fp_top"])]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = eval_parser(__doc__, "use N sentences of each file, spread evenly")
    parser.add_argument("--neg-sample", type=int, default=NEG_SAMPLE)
    args = parser.parse_args(argv)
    res = run(Path(args.benchmarks), limit=args.limit, neg_sample=args.neg_sample)
    return emit(res, format_markdown, args.json_path)


if __name__ == "__main__":
    raise SystemExit(main())
