"""Every claimex evaluation in one run; writes ``docs/evaluation.md`` and a JSON file.

    python benchmarks/evaluate_all.py --benchmarks ../shared/benchmarks [--quick] [--limit N]
                                      [--skip-cues] [--corpus ../shared/corpora/web-dev]
                                      [--md docs/evaluation.md] [--json docs/evaluation.json]

(``make eval`` runs the first line.)  Parts, in order:

1. **gold** - ``claimex run data/raw`` into a temporary folder, scored with
   :mod:`claimex.evaluate` against ``tests/gold/seeds.gold.jsonl`` (the seeds
   are also the development set the lexicons were tuned on); plus the
   ``overstated`` flags claimex would raise on the seeds.
2. **webdev** - ``claimex run`` over the ``kratom/`` and ``general/`` folders of
   the real-article corpus (``--corpus``, default ``<benchmarks>/../corpora/web-dev``;
   the part is skipped with a note when it is absent), scored against the dev
   gold ``tests/gold/web-dev/`` with canonical names compared through the
   lexicon, for the kratom articles, the general ones and all together; the same
   run is also scored against the held-out claims gold ``tests/gold/web-dev-heldout/``
   (10 articles whose claims the rules were not tuned on; claims only).
3. **strength** - ``eval_strength.py``: Yu et al. PubMed, 5-fold CV.
4. **insciout** - ``eval_insciout.py``: exaggeration, formulation T1.
5. **ade** - ``eval_ade.py``: side-effect / dose recall, negative sentences.
6. **cues** - ``bench_cues.py``: NegEx, BioScope, Yu hedges (``--skip-cues`` to leave out).

``--quick``: ``--limit 300`` on every set, no nested selection of C, cues
skipped; for a smoke run, not for figures.  The full run takes about 5-10
minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import eval_ade
import eval_insciout
import eval_strength

from claimex.markdown import md_row, md_table
from claimex.schema import FLAG_KINDS, PREDICATES

GOLD = ROOT / "tests" / "gold" / "seeds.gold.jsonl"
WEBDEV_GOLD = ROOT / "tests" / "gold" / "web-dev"
# Claims of 10 other web-dev articles, annotated blind (issue 17): the generalisation figure; never tune on it.
HELDOUT_GOLD = ROOT / "tests" / "gold" / "web-dev-heldout"
# The article folders of the web-dev corpus (its README.md and SOURCES.tsv are not articles).
WEBDEV_FOLDERS = ("kratom", "general")
# Slices of the dev gold, by the first folder of each record's ``source``; "all" is every record.
WEBDEV_SLICES = ("kratom", "general", "all")
RAW = ROOT / "data" / "raw"
DEFAULT_MD = ROOT / "docs" / "evaluation.md"
DEFAULT_JSON = ROOT / "docs" / "evaluation.json"
QUICK_LIMIT = 300


# --------------------------------------------------------------------------- parts


def run_gold(nlp) -> dict:
    """Seeds through ``run_corpus``, scored against the gold file; plus overstated flags on the seeds."""
    from claimex.store import tables
    from claimex.flags.dedup import independent_sources
    from claimex.evaluate import load_gold, score
    from claimex.flags.overstated import overstated_flags
    from claimex.runner import run_corpus
    from claimex.nlp.strength import claim_strength

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimex-eval-") as tmp:
        run_corpus([RAW], tmp, report=False)
        scores = score(load_gold(GOLD), tmp)
        claims = tables.read_table(Path(tmp), "claims")
        documents = tables.read_table(Path(tmp), "documents")
        sentences = tables.read_table(Path(tmp), "sentences")
    units = independent_sources(documents, sentences, claims)
    rows = claims.to_pylist()
    by_doc = {r["doc_id"]: r["text"] for r in documents.to_pylist()}
    names = {r["doc_id"]: r["source"] for r in documents.to_pylist()}
    strength = {}
    for doc_id, doc in zip(sorted(by_doc), nlp.pipe([by_doc[d] for d in sorted(by_doc)])):
        for c in doc._.claimex_claims or []:
            key = (doc_id, c["start"], c["end"], c["subject"], c["predicate"], c["object"], c["polarity"])
            strength[key] = claim_strength(doc, c)
    for r in rows:
        r["strength"] = strength.get((r["doc_id"], r["start_char"], r["end_char"], r["subject"], r["predicate"],
                                      r["object"], r["polarity"]))
    flags_cert = overstated_flags(rows, documents=names, source_units=units, level="certainty")
    flags_auto = overstated_flags(rows, documents=names, source_units=units, level="auto")
    dist = {}
    for r in rows:
        k = "null" if r["strength"] is None else str(r["strength"])
        dist[k] = dist.get(k, 0) + 1
    return {"scores": scores, "n_claims": len(rows), "strength_distribution": dict(sorted(dist.items())),
            "overstated_certainty": {"n": len(flags_cert), "examples": flags_cert[:3]},
            "overstated_auto": {"n": len(flags_auto), "examples": flags_auto[:3]},
            "timings_s": {"total": time.perf_counter() - t0}}


def default_corpus(benchmarks: str | Path) -> Path:
    """``<benchmarks>/../corpora/web-dev``, written without the ``..``."""
    return Path(os.path.normpath(Path(benchmarks) / ".." / "corpora" / "web-dev"))


def webdev_slice(s: dict, n_docs: int, n_claim_docs: int) -> dict:
    """Figures of one slice from a :func:`claimex.evaluate.score` dict computed with ``details=True``.

    Keeps the scores (without the per-item details) and adds the derived
    figures: DOSE exact recall and the share of predicted DOSE matching no gold
    DOSE (lenient), polarity and hedged agreement over the matched claims, and
    negated-claim precision = matched claims predicted negated whose gold is
    negated / (matched claims predicted negated + unmatched predicted claims
    that are negated).
    """
    details = s.pop("details")
    ex = s["entities"]["exact"]["labels"].get("DOSE")
    le = s["entities"]["lenient"]["labels"].get("DOSE")
    pol = s["claims"]["polarity"]
    matched_neg = sum(row.get("negated", 0) for row in pol["matrix"].values())
    neg_tp = pol["matrix"].get("negated", {}).get("negated", 0)
    unmatched_neg = sum(1 for c in details["claims"]["spurious"] if c["polarity"] == "negated")
    denom = matched_neg + unmatched_neg
    gold_neg = sum(1 for c in details["claims"]["missed"] if c["polarity"] == "negated") + sum(
        pol["matrix"].get("negated", {}).values())
    unmatched_dose = None if le is None else le["predicted"] - le["tp"]
    return {
        "documents": {"gold": n_docs, "found": s["documents"]["found"], "with_claims": n_claim_docs,
                      "missing": s["documents"]["missing"]},
        "scores": s,
        "dose": {"gold": ex["gold"] if ex else 0, "predicted": ex["predicted"] if ex else 0,
                 "exact_tp": ex["tp"] if ex else 0, "exact_recall": ex["recall"] if ex else None,
                 "lenient_tp": le["tp"] if le else 0, "unmatched_predicted": unmatched_dose or 0,
                 "unmatched_share": (unmatched_dose / le["predicted"]) if le and le["predicted"] else None},
        "polarity_agreement": {"n": pol["n"], "accuracy": pol["accuracy"]},
        "hedged_agreement": {"n": s["claims"]["hedged"]["n"], "accuracy": s["claims"]["hedged"]["accuracy"]},
        "negated_precision": {"tp": neg_tp, "matched_predicted_negated": matched_neg,
                              "unmatched_predicted_negated": unmatched_neg, "predicted_negated": denom,
                              "gold_negated": gold_neg, "precision": neg_tp / denom if denom else None},
    }


def webdev_scores(gold_docs: list, pred_dir: str | Path, names=None) -> dict:
    """Score ``pred_dir`` against the dev gold, per slice (:data:`WEBDEV_SLICES`); see :func:`webdev_slice`.

    ``names`` defaults to :func:`claimex.evaluate.lexicon_names`.  A slice with
    no gold record is left out.
    """
    from claimex.evaluate import lexicon_names, score

    names = names if names is not None else lexicon_names()
    out = {}
    for name in WEBDEV_SLICES:
        docs = [d for d in gold_docs if name == "all" or d.source.startswith(name + "/")]
        if not docs:
            continue
        s = score(docs, pred_dir, details=True, names=names)
        out[name] = webdev_slice(s, len(docs), sum(1 for d in docs if "claims" in d.layers))
    return {"slices": out}


def webdev_slice_of(source: str) -> str | None:
    """The web-dev slice of a document from its file name: d001-d060 are kratom articles, d061-d100 the others."""
    name = Path(source).name
    if len(name) >= 4 and name[0] == "d" and name[1:4].isdigit():
        return "kratom" if int(name[1:4]) <= 60 else "general"
    return None


def flag_shares(pred_dir: str | Path) -> dict:
    """Per slice: how many of the predicted claims carry each flag kind (every article, not only gold records)."""
    import pyarrow.parquet as pq

    docs = pq.read_table(Path(pred_dir) / "documents.parquet", columns=["doc_id", "source"]).to_pylist()
    claims = pq.read_table(Path(pred_dir) / "claims.parquet", columns=["claim_id", "doc_id"]).to_pylist()
    flags = pq.read_table(Path(pred_dir) / "flags.parquet", columns=["claim_id", "flag"]).to_pylist()
    slice_of = {d["doc_id"]: webdev_slice_of(d["source"]) for d in docs}
    out: dict[str, dict] = {}
    for name in WEBDEV_SLICES:
        ids = {c["claim_id"] for c in claims if name == "all" or slice_of.get(c["doc_id"]) == name}
        kinds = {k: len({f["claim_id"] for f in flags if f["flag"] == k and f["claim_id"] in ids})
                 for k in FLAG_KINDS}
        out[name] = {"claims": len(ids), "flagged": kinds,
                     "share": {k: (v / len(ids) if ids else None) for k, v in kinds.items()}}
    return out


def run_webdev(corpus: Path, gold_dir: Path = WEBDEV_GOLD, heldout_dir: Path | None = HELDOUT_GOLD) -> dict:
    """``run_corpus`` over the corpus's article folders into a temporary folder, scored by :func:`webdev_scores`
    against the dev gold and (key ``heldout``, when ``heldout_dir`` is a folder) the held-out claims gold."""
    from claimex.evaluate import load_gold
    from claimex.runner import run_corpus

    t0 = time.perf_counter()
    folders = [corpus / f for f in WEBDEV_FOLDERS]
    absent = [str(f) for f in folders if not f.is_dir()]
    if absent:
        return {"corpus": str(corpus), "skipped": f"corpus folder(s) not found: {', '.join(absent)}"}
    gold = load_gold(gold_dir)
    with tempfile.TemporaryDirectory(prefix="claimex-eval-webdev-") as tmp:
        run_corpus(folders, tmp, report=False)
        res = webdev_scores(gold, tmp)
        shares = flag_shares(tmp)
        for name, share in shares.items():
            if name in res["slices"]:
                res["slices"][name]["flag_shares"] = share
        if heldout_dir is not None and heldout_dir.is_dir():
            res["heldout"] = dict(webdev_scores(load_gold(heldout_dir), tmp), gold=_rel(heldout_dir))
    res.update({"corpus": str(corpus), "gold": _rel(gold_dir), "timings_s": {"total": time.perf_counter() - t0}})
    return res


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def run_cues(base: Path, limit: int | None) -> dict:
    import bench_cues

    t0 = time.perf_counter()
    nlp, negex = bench_cues.build_nlp()
    rows = []
    data = bench_cues.sample(bench_cues.load_negex(bench_cues._need(base / bench_cues.NEGEX_FILE)), limit)
    rows += bench_cues.run_negex(nlp, negex, data)
    rows.append(bench_cues.ANCHORS[0])
    data = bench_cues.sample(bench_cues.load_bioscope([bench_cues._need(base / p)
                                                       for p in bench_cues.BIOSCOPE_FILES]), limit)
    rows += bench_cues.run_bioscope(nlp, negex, data)
    data = bench_cues.sample(bench_cues.load_yu(bench_cues._need(base / bench_cues.YU_FILE)), limit)
    yu_rows, rates = bench_cues.run_yu(nlp, data)
    rows += yu_rows
    return {"rows": rows, "yu_hedged_share_by_label": rates, "timings_s": {"total": time.perf_counter() - t0}}


# --------------------------------------------------------------------------- report


def _ordered(d: dict, order) -> list:
    """Items of ``d`` in the order of ``order``, then the others sorted (JSON files may sort keys)."""
    return [(k, d[k]) for k in order if k in d] + sorted((k, v) for k, v in d.items() if k not in order)


def _f(x, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _prf_table(first: str, rows) -> list[str]:
    """A pipe table of ``(name, prf dict)`` rows: gold, predicted, TP, P, R, F1."""
    return md_table([first, "gold", "predicted", "TP", "P", "R", "F1"],
                    [[name, str(r["gold"]), str(r["predicted"]), str(r["tp"]), _f(r["precision"]),
                      _f(r["recall"]), _f(r["f1"])] for name, r in rows])


def gold_markdown(g: dict) -> str:
    s = g["scores"]
    m = s["micro"]
    rows = [("entities (exact span, label, canonical)", m["entities"]),
            ("entities (lenient: overlap, label)", m["entities_lenient"]),
            ("claims (subject, predicate, object, sentence)", m["claims"]),
            ("claims, polarity too", s["claims"]["micro_with_polarity"]),
            ("flags", m["flags"])]
    lines = _prf_table("layer", rows)
    lines += ["", f"Over matched claims: polarity agreement {_f(s['claims']['polarity']['accuracy'])}, "
                  f"hedged agreement {_f(s['claims']['hedged']['accuracy'])}, certainty agreement "
                  f"{_f(s['claims']['certainty']['accuracy'])} (n = {s['claims']['certainty']['n']}).", ""]
    lines += _prf_table("predicate", _ordered(s["claims"]["predicates"], PREDICATES))
    lines += [""] + _prf_table("flag", _ordered(s["flags"]["kinds"], FLAG_KINDS))
    lines += ["", f"`overstated` on the seeds (not annotated in the gold file): {g['overstated_certainty']['n']} "
                  f"flags on the certainty scale, {g['overstated_auto']['n']} with `level=\"auto\"` (strength "
                  f"from `claim_strength`; distribution over the {g['n_claims']} seed claims: "
                  + ", ".join(f"{k}: {v}" for k, v in g["strength_distribution"].items()) + ")."]
    for f in g["overstated_auto"]["examples"][:2]:
        lines += ["", f"> {f['claim_id']} ({f['severity']}): {f['reason']}"]
    return "\n".join(lines)


def _prf3(r: dict) -> str:
    return f"{_f(r['precision'])} / {_f(r['recall'])} / {_f(r['f1'])}"


def _ratio(x, num: int, den: int) -> str:
    return f"{_f(x)} ({num}/{den})"


WEBDEV_DEFS = """\
Definitions.  *Entities exact*: same span, label and canonical name;
*lenient*: same label and overlapping spans (one-to-one); canonical names are
compared through the lexicon (`claimex.evaluate.lexicon_names`, the same
concept under another spelling matches).  The entity headline rows leave out
GENERIC (its own row below).  *Claims*: same subject, predicate and object,
overlapping sentence; scored only in the records whose `layers` include
`claims`.  *Polarity / hedged agreement*: share of the matched claims whose
predicted polarity / hedged value equals the gold one.  *Negated-claim
precision*: the matched claims predicted negated whose gold claim is negated,
divided by every predicted negated claim (matched ones plus unmatched
predicted claims that are negated) in the claim-annotated records; the counts
in brackets are (numerator/denominator).  *Doses exact*: exact recall of the
gold DOSE spans; *predicted DOSE matching nothing*: share of predicted DOSE
entities that overlap no gold DOSE (1 - lenient DOSE precision)."""


def webdev_markdown(w: dict, claims_only: bool = False) -> str:
    """The section "Real web articles (dev gold)" from :func:`webdev_scores` (or a skipped part).

    ``claims_only``: the claim rows and the per-predicate table only (the held-out gold annotates claims only).
    """
    if "skipped" in w:
        return f"Skipped: {w['skipped']}.  Pass `--corpus` to point at the web-dev corpus."
    from claimex.schema import ENTITY_LABELS

    sl = w["slices"]
    names = list(sl)
    head = md_row(["figure"] + names)
    rule = md_row(["---"] * (len(names) + 1))

    def row(title, fn):
        return md_row([title] + [fn(sl[n]) for n in names])

    entity_rows = [] if claims_only else [
        row("entities exact P / R / F1", lambda x: _prf3(x["scores"]["micro"]["entities"])),
        row("entities lenient P / R / F1", lambda x: _prf3(x["scores"]["micro"]["entities_lenient"])),
        row("entities gold / predicted", lambda x: f"{x['scores']['micro']['entities']['gold']} / "
                                                 f"{x['scores']['micro']['entities']['predicted']}")]
    lines = [head, rule,
             row("documents (claims annotated)", lambda x: f"{x['documents']['gold']} ({x['documents']['with_claims']})"),
             *entity_rows,
             row("claims P / R / F1", lambda x: _prf3(x["scores"]["micro"]["claims"])),
             row("claims, polarity too, P / R / F1", lambda x: _prf3(x["scores"]["claims"]["micro_with_polarity"])),
             row("claims gold / predicted", lambda x: f"{x['scores']['micro']['claims']['gold']} / "
                                                    f"{x['scores']['micro']['claims']['predicted']}"),
             row("polarity agreement (matched)", lambda x: f"{_f(x['polarity_agreement']['accuracy'])} "
                                                        f"(n = {x['polarity_agreement']['n']})"),
             row("hedged agreement (matched)", lambda x: f"{_f(x['hedged_agreement']['accuracy'])} "
                                                      f"(n = {x['hedged_agreement']['n']})"),
             row("negated-claim precision", lambda x: _ratio(x["negated_precision"]["precision"],
                                                             x["negated_precision"]["tp"],
                                                             x["negated_precision"]["predicted_negated"])
                 + f"; gold negated {x['negated_precision']['gold_negated']}")]
    if not claims_only:
        lines += [row("doses exact (DOSE exact recall)", lambda x: _ratio(x["dose"]["exact_recall"],
                                                                          x["dose"]["exact_tp"], x["dose"]["gold"])),
                  row("predicted DOSE matching nothing", lambda x: _ratio(x["dose"]["unmatched_share"],
                                                                          x["dose"]["unmatched_predicted"],
                                                                          x["dose"]["predicted"]))]
        lines += ["", "Entities per label, lenient P / R (gold, predicted); GENERIC is not in the headline figures:",
                  "", head.replace("figure", "label"), rule]
    for lab in () if claims_only else ENTITY_LABELS:
        def cell(x, lab=lab):
            r = x["scores"]["entities"]["lenient"]["labels"].get(lab)
            return "–" if r is None else f"{_f(r['precision'])} / {_f(r['recall'])} ({r['gold']}, {r['predicted']})"
        lines.append(row(lab, cell))
    lines += ["", "Claims per predicate, P / R / F1 (gold, predicted):", "",
              head.replace("figure", "predicate"), rule]
    preds = list(PREDICATES) + sorted({p for x in sl.values() for p in x["scores"]["claims"]["predicates"]}
                                      - set(PREDICATES))
    for p in preds:
        def cell(x, p=p):
            r = x["scores"]["claims"]["predicates"].get(p)
            return "–" if r is None else f"{_prf3(r)} ({r['gold']}, {r['predicted']})"
        lines.append(row(p, cell))
    missing = sorted({m for x in sl.values() for m in x["documents"]["missing"]})
    missing_note = ["", f"**{len(missing)} gold document(s) not found in the run** (counted as predicted empty): "
                        + ", ".join(missing) + "."] if missing else []
    if claims_only:
        return "\n".join(lines + missing_note)
    lines += ["", "Flags per kind, P / R / F1 (gold, predicted), over the records whose `layers` include `flags`:",
              "", head.replace("figure", "flag"), rule]
    for k in FLAG_KINDS:
        def cell(x, k=k):
            r = x["scores"]["flags"]["kinds"].get(k)
            return "–" if r is None else f"{_prf3(r)} ({r['gold']}, {r['predicted']})"
        lines.append(row(k, cell))
    if all("flag_shares" in x for x in sl.values()):
        lines += ["", "Share of the predicted claims that carry each flag (the whole corpus of the slice):", "",
                  head.replace("figure", "flag"), rule]
        for k in FLAG_KINDS:
            lines.append(row(k, lambda x, k=k: f"{_f(x['flag_shares']['share'][k], 2)} "
                                              f"({x['flag_shares']['flagged'][k]} of {x['flag_shares']['claims']})"))
    lines += missing_note + ["", WEBDEV_DEFS]
    return "\n".join(lines)


def summary_markdown(res: dict) -> str:
    lines = md_table(["task", "protocol", "claimex", "published anchor"], [])
    if "gold" in res:
        m = res["gold"]["scores"]["micro"]
        lines.append(f"| seeds gold set (development set!) | `claimex run data/raw` vs tests/gold/seeds.gold.jsonl | "
                     f"entities F1 {_f(m['entities']['f1'])} (lenient {_f(m['entities_lenient']['f1'])}), claims F1 "
                     f"{_f(m['claims']['f1'])}, flags F1 {_f(m['flags']['f1'])} | – |")
    if "webdev" in res and "slices" in res["webdev"]:
        for name, x in res["webdev"]["slices"].items():
            m = x["scores"]["micro"]
            lines.append(f"| web-dev dev gold, {name} ({x['documents']['gold']} articles, "
                         f"{x['documents']['with_claims']} with claims) | `claimex run` web-dev/kratom + general vs "
                         f"tests/gold/web-dev | entities F1 {_f(m['entities']['f1'])} (lenient "
                         f"{_f(m['entities_lenient']['f1'])}), claims F1 {_f(m['claims']['f1'])}, polarity agreement "
                         f"{_f(x['polarity_agreement']['accuracy'])}, negated-claim P "
                         f"{_f(x['negated_precision']['precision'])} | – |")
        for name, x in res["webdev"].get("heldout", {}).get("slices", {}).items():
            m = x["scores"]["micro"]["claims"]
            lines.append(f"| web-dev held-out claims gold, {name} ({x['documents']['gold']} articles) | same run vs "
                         f"{res['webdev']['heldout']['gold']} (not tuned on) | claims P / R / F1 {_prf3(m)}, polarity "
                         f"agreement {_f(x['polarity_agreement']['accuracy'])}, hedged agreement "
                         f"{_f(x['hedged_agreement']['accuracy'])}, negated-claim P "
                         f"{_f(x['negated_precision']['precision'])} | – |")
    if "strength" in res:
        s = res["strength"]
        a = s["anchor"]
        lines.append(f"| claim strength, 4-way (Yu PubMed) | 5-fold stratified CV, seed 42, n = {s['n']} | "
                     f"rules: macro-F1 {_f(s['rules_keep']['macro_f1_mean'])}, acc {_f(s['rules_keep']['accuracy_mean'])}; "
                     f"learned: macro-F1 {_f(s['learned']['macro_f1_mean'])}, acc {_f(s['learned']['accuracy_mean'])} | "
                     f"BioBERT macro-F1 {a['macro_f1']:.2f}, acc {a['accuracy']:.2f} |")
        lines.append(f"| claim strength, causal (2+3) vs not | same folds | rules F1 "
                     f"{_f(s['rules_keep']['causal_vs_not']['f1'])}; learned F1 {_f(s['learned']['causal_vs_not']['f1'])} | – |")
    if "insciout" in res:
        i = res["insciout"]
        sel = i["selected"]
        lines.append(f"| exaggeration (InSciOut test), T1 | strength of each side compared by `overstated_flags`; "
                     f"variant chosen on the 100 train pairs; n = {i['n_test']} | macro-F1 "
                     f"{_f(i['systems'][sel]['test']['macro_f1'])} ({eval_insciout.NAMES[sel]}) | MT-PET: just under "
                     f"0.50 (**unverified**, see SOURCE.md) |")
    if "ade" in res:
        d = res["ade"]
        lines.append(f"| ADE adverse effects (DRUG-AE.rel) | gold AE span found by an entity, n = "
                     f"{d['ae_recall']['SIDE_EFFECT']['n']} | recall SIDE_EFFECT lenient "
                     f"{_f(d['ae_recall']['SIDE_EFFECT']['lenient_recall'])} / strict "
                     f"{_f(d['ae_recall']['SIDE_EFFECT']['strict_recall'])}; SIDE_EFFECT or CONDITION lenient "
                     f"{_f(d['ae_recall']['SIDE_EFFECT|CONDITION']['lenient_recall'])} | not comparable (supervised "
                     f"NER+RE, SpERT ≈ 0.89 entity F1, unverified) |")
        lines.append(f"| ADE doses (DRUG-DOSE.rel) | gold dose span found by a DOSE, n = {d['dose_recall']['DOSE']['n']} | "
                     f"recall lenient {_f(d['dose_recall']['DOSE']['lenient_recall'])} / strict "
                     f"{_f(d['dose_recall']['DOSE']['strict_recall'])} | – |")
        sp = d["sentence_side_effect"]
        lines.append(f"| ADE negative sentences (ADE-NEG.txt) | {sp['neg_sample']} sampled, seed 42 | "
                     f"{_f(sp['specificity'])} have no SIDE_EFFECT; est. sentence precision {_f(sp['precision_estimated'])} | – |")
    if "cues" in res:
        for r in res["cues"]["rows"]:
            if r["system"] == "claimex" and r["task"] in ("NegEx: condition negated", "BioScope: sentence uncertain"):
                lines.append(f"| {r['task']} | bench_cues.py, whole set | F1 {_f(r['f1'])} | "
                             + ("GenNegEx F1 0.946" if r["task"].startswith("NegEx") else "CoNLL-2010 best 0.864 (other set)")
                             + " |")
    return "\n".join(lines)


MAPPING = """\
### Strength and claimex certainty

Yu et al.'s scale grades the *relation* a sentence states; claimex's certainty
grades only the *hedging*.  For a claim, `claim_strength` combines the
relation cue nearest the claim's object (correlational or causal; a claim
with none is causal for TREATS/CAUSES/ACTS_ON/INTERACTS_WITH) with the
claim's polarity and certainty:

| claim | strength |
|---|---|
| negated ("does not cause addiction") | 0 no relationship |
| correlational relation ("is linked to", "associated with", "a risk factor for"), any certainty | 1 correlational |
| causal relation, certainty `probable` / `possible` / `speculative` ("may relieve", "can cause", "is believed to reduce") | 2 conditional causal |
| causal relation, certainty `asserted` ("relieves", "causes") | 3 direct causal |
| CONTAINS, DOSAGE, SAFER_THAN | null (not a causal statement) |

Backwards, strength 3 is `asserted` and strength 2 is `possible`
(`claimex.nlp.strength.STRENGTH_TO_CERTAINTY`); strengths 0 and 1 carry no
certainty of their own (a correlation can be asserted or hedged).  So the two
columns are not redundant: certainty cannot tell "is linked to" from
"causes", and strength does not separate `probable` from `speculative`.
**Proposal:** a nullable `strength` column (int8, 0-3, null for non-causal
predicates) in the claims table, filled by `claimex.nlp.strength.claim_strength(doc, claim)`
in the claims component; `overstated_flags(level="auto")` then compares
strength where it exists and certainty elsewhere.
"""


def to_markdown(res: dict) -> str:
    args = res["args"]
    out = ["# claimex evaluation", "",
           "Generated by `benchmarks/evaluate_all.py` (`make eval`); do not edit by hand. "
           f"Command: `{res['command']}`. Total time {res['timings_s']['total']:.0f} s "
           f"({'QUICK RUN: subsets, figures not for citing' if args['quick'] or args['limit'] else 'full sets'}).",
           "", "Every figure below is measured on the data named beside it; published figures are quoted from "
           "the SOURCE.md of each set, and marked **unverified** where SOURCE.md says so.", "",
           "## Summary", "", summary_markdown(res), ""]
    if "gold" in res:
        out += ["## Seeds gold set", "",
                "`claimex run data/raw` into a temporary folder, scored by `claimex.evaluate` against "
                "`tests/gold/seeds.gold.jsonl` (matching rules in `docs/gold-format.md`). **Caveat:** the five "
                "seeds are also the development set the lexicons and rules were tuned on, so these figures are "
                "optimistic; they are a regression check, not an estimate of accuracy on new articles.", "",
                gold_markdown(res["gold"]), ""]
    if "webdev" in res:
        w = res["webdev"]
        out += ["## Real web articles (dev gold)", "",
                f"`claimex run` over `kratom/` and `general/` of `{w['corpus']}` into a temporary folder, scored "
                f"by `claimex.evaluate.score` against `tests/gold/web-dev/` (format: `docs/gold-format.md`, "
                f"`docs/gold-web-dev.md`), separately for the kratom articles, the general ones and all together. "
                f"**Caveat:** a development set: the rules and lexicons may be tuned while reading these articles, "
                f"so the figures are a check on real text, not a held-out estimate.", "",
                webdev_markdown(w), ""]
        if "heldout" in w:
            out += ["## Real web articles (held-out claims gold)", "",
                    f"The same run scored against `{w['heldout']['gold']}/`: the claims of 10 other web-dev "
                    f"articles (5 kratom, 5 general, 10 sites), annotated blind and never used to tune the rules "
                    f"(see its README.md), so these are the honest generalisation figures for claims; "
                    f"entities and flags are not annotated there.", "",
                    webdev_markdown(w["heldout"], claims_only=True), ""]
    if "strength" in res:
        out += ["## Claim strength (Yu et al. 2019)", "", eval_strength.__doc__.split("\n\n", 2)[2].strip(), "",
                eval_strength.format_markdown(res["strength"]), "", MAPPING, ""]
    if "insciout" in res:
        out += ["## Overstated claims: exaggeration in press releases (Wright & Augenstein 2021)", "",
                eval_insciout.__doc__.split("\n\n", 2)[2].strip(), "",
                eval_insciout.format_markdown(res["insciout"]), "",
                "The rules were written while reading the 100 InSciOut training pairs (allowed: tuning only) "
                "and the EurekAlert sentences.  The test pairs were not used for tuning, but at the start about "
                "50 negated sentences of test and train were read to learn how InSciOut codes a negated "
                "relation (as 0); the rules' figure is therefore slightly optimistic.  The learned model is "
                "trained on PubMed abstracts only, and does worse on press releases than the rules.", ""]
    if "ade" in res:
        d = res["ade"]
        n_missed = sum(d["ae_missed_labels"].values())
        as_condition = sum(v for k, v in d["ae_missed_labels"].items() if "CONDITION" in k.split("+"))
        no_entity = d["ae_missed_labels"].get("(no entity)", 0)
        q = d["dose_qualitative"]
        out += ["## Side effects and doses: ADE corpus v2", "", eval_ade.__doc__.split("\n\n", 2)[2].strip(), "",
                eval_ade.format_markdown(d), "",
                "Where the lexicons do not generalise: the SIDE_EFFECT lexicon was written for kratom articles "
                "(nausea, constipation, dependence, liver damage, …) and has almost none of the clinical "
                "adverse-event vocabulary of case reports (haematological, renal, dermatological, neurological "
                f"terms, abbreviations such as SIADH, HUS): of the {n_missed} adverse-effect spans without an "
                f"overlapping SIDE_EFFECT, {as_condition} are tagged CONDITION (counted by the lenient "
                f"SIDE_EFFECT|CONDITION row) and {no_entity} get no entity at all.  The dose grammar needs a number "
                f"and a unit: {q['n']} gold doses ({q['share_of_gold']:.0%}) are qualitative ('high-dose', "
                f"'overdose', 'low-dose') and {q['missed']} of them are missed.  In negative sentences, generic "
                "terms ('side effects', 'toxicity', 'hepatitis', 'seizures') are tagged SIDE_EFFECT although they "
                "are not drug-related there: the tagger has no notion of an adverse *drug* effect.  The CAUSES "
                "claim is much more specific but finds few relations, since a claim needs a subject from "
                "claimex's (kratom-centred) substance lexicon.", ""]
    if "cues" in res:
        import cue_scoring

        out += ["## Hedge and negation cues (bench_cues.py)", "",
                "Protocols in `benchmarks/bench_cues.py`; claimex against negspacy on the same parses.", "",
                cue_scoring.markdown_table(res["cues"]["rows"]), ""]
    out += ["## Reproduce", "", "```", "make eval                                   # everything, ~10 min on 2 cores",
            ".venv/bin/python benchmarks/evaluate_all.py --benchmarks ../shared/benchmarks --quick   # smoke run",
            ".venv/bin/python benchmarks/evaluate_all.py --only webdev --corpus ../shared/corpora/web-dev --md /tmp/w.md "
            "--json /tmp/w.json",
            ".venv/bin/python benchmarks/eval_strength.py --benchmarks ../shared/benchmarks",
            ".venv/bin/python benchmarks/eval_insciout.py --benchmarks ../shared/benchmarks",
            ".venv/bin/python benchmarks/eval_ade.py --benchmarks ../shared/benchmarks",
            ".venv/bin/claimex strength train --data ../shared/benchmarks/claim-strength-yu/"
            "pubmed_causal_language_use.csv --coding yu2019 --out strength.json \\",
            "    --provenance 'Yu et al. 2019, github.com/junwang4/causal-language-use-in-science @7ca243a, GPL-3.0'",
            "```", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmarks", default=str(eval_strength.DEFAULT_DIR), help="folder of the benchmark sets")
    parser.add_argument("--limit", type=int, default=None, help="use N items of each set (spread evenly)")
    parser.add_argument("--quick", action="store_true", help=f"--limit {QUICK_LIMIT}, no nested CV, no cues")
    parser.add_argument("--skip-cues", action="store_true", help="leave out the cue benchmark (bench_cues.py)")
    parser.add_argument("--corpus", default=None,
                        help="the web-dev corpus (folders kratom/ and general/; default <benchmarks>/../corpora/web-dev)")
    parser.add_argument("--only", action="append",
                        choices=["gold", "webdev", "strength", "insciout", "ade", "cues"],
                        help="run only these parts (repeatable)")
    parser.add_argument("--md", default=str(DEFAULT_MD), help="Markdown report (default docs/evaluation.md)")
    parser.add_argument("--json", dest="json_path", default=str(DEFAULT_JSON),
                        help="JSON results (default docs/evaluation.json)")
    parser.add_argument("--render", metavar="JSON", default=None,
                        help="only re-write the Markdown report from a JSON file of an earlier run")
    args = parser.parse_args(argv)
    if args.render:
        res = json.loads(Path(args.render).read_text(encoding="utf-8"))
        Path(args.md).write_text(to_markdown(res), encoding="utf-8")
        print(f"wrote {args.md} from {args.render}")
        return 0
    base = Path(args.benchmarks)
    limit = args.limit if args.limit is not None else (QUICK_LIMIT if args.quick else None)
    parts = set(args.only or ["gold", "webdev", "strength", "insciout", "ade", "cues"])
    if args.skip_cues or args.quick:
        parts.discard("cues")

    from claimex.nlp.pipeline import load_pipeline

    t0 = time.perf_counter()
    nlp = load_pipeline()[0]
    res: dict = {"benchmarks": str(base),
                 "command": "python benchmarks/evaluate_all.py " + " ".join(sys.argv[1:] if argv is None else argv),
                 "args": {"limit": limit, "quick": args.quick, "parts": sorted(parts)}, "timings_s": {}}

    def step(name, fn):
        t = time.perf_counter()
        print(f"[{name}] running ...", flush=True)
        res[name] = fn()
        res["timings_s"][name] = time.perf_counter() - t
        print(f"[{name}] done in {res['timings_s'][name]:.0f} s", flush=True)

    if "gold" in parts:
        step("gold", lambda: run_gold(nlp))
    if "webdev" in parts:
        corpus = Path(args.corpus) if args.corpus else default_corpus(base)
        step("webdev", lambda: run_webdev(corpus))
        if "skipped" in res["webdev"]:
            print(f"[webdev] skipped: {res['webdev']['skipped']}", flush=True)
    light = ["claimex_claims", "claimex_entities"]
    cache: dict = {}
    with nlp.select_pipes(disable=light):
        if "strength" in parts:
            step("strength", lambda: eval_strength.run(base, nlp, limit=limit, quick=args.quick, keep_docs=cache))
        if "insciout" in parts:
            yu = cache.get("yu_pubmed") if limit is None and res.get("strength", {}).get(
                "same_sentences_as_gpl_file") else None
            step("insciout", lambda: eval_insciout.run(base, nlp, limit=limit, quick=args.quick, yu_docs=yu))
    if "ade" in parts:
        step("ade", lambda: eval_ade.run(base, nlp, limit=limit))
    if "cues" in parts:
        step("cues", lambda: run_cues(base, limit))
    res["timings_s"]["total"] = time.perf_counter() - t0
    if args.md:
        Path(args.md).write_text(to_markdown(res), encoding="utf-8")
        print(f"wrote {args.md}")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(res, indent=2, default=str) + "\n",
                                        encoding="utf-8")
        print(f"wrote {args.json_path}")
    print()
    print(summary_markdown(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
