"""Claim strength (Yu et al. 2019) on ``claim-strength-yu/annotated_pubmed.csv``.

    python benchmarks/eval_strength.py [--benchmarks DIR] [--limit N] [--quick] [--json PATH]

Protocol (the papers'): 3,061 conclusion sentences of PubMed abstracts, ordinal
coding (0 no relationship, 1 correlational, 2 conditional causal, 3 direct
causal), 5-fold stratified cross-validation with a fixed seed (42).  Metrics:
4-way macro-F1 and accuracy (mean and standard deviation over the folds, and
pooled over all out-of-fold predictions), and the F1 of the collapsed
"causal (2+3) vs not (0+1)" decision (positive class = causal), pooled.

Systems:

* **rules** - :func:`claimex.nlp.strength.analyse_strength`, nothing learned, so
  its pooled figures are over all sentences (the fold means use the same
  folds).  ``negation="keep"`` is the reading of this data set's coding ("X
  was not associated with Y" is labelled correlational); ``negation="zero"``
  is printed too.  The rules were written while looking at the EurekAlert
  press-release sentences (``annotated_eureka.csv``) and the 100 InSciOut
  training pairs, not at this file - apart from a first look at ~100 random
  sentences and at the label counts of a dozen cue words (which showed that a
  negated relation keeps its type here and that "suggest" does not make a
  claim conditional); they were not tuned on it.
* **learned** - :class:`claimex.evaluate.strength_model.StrengthModel` (logistic regression
  on the rule features + word uni/bigrams), trained on the four training folds
  of each split.  ``C`` is chosen inside each training part by a 3-fold inner
  cross-validation over ``C_GRID`` (nested; ``--quick``: fixed ``C = 4``).

Published anchor: fine-tuned BioBERT, same data and protocol: macro-F1 0.88,
accuracy 0.90 (Yu et al. 2019; repo README 0.883 / 0.900).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent.parent / "shared" / "benchmarks"
YU_PUBMED = Path("claim-strength-yu") / "annotated_pubmed.csv"
YU_PUBMED_GPL = Path("claim-strength-yu") / "pubmed_causal_language_use.csv"
YU_EUREKA = Path("claim-strength-yu") / "annotated_eureka.csv"
SEED = 42
N_FOLDS = 5
C_GRID = (1.0, 4.0, 16.0)
QUICK_C = 4.0
LABELS = (0, 1, 2, 3)
ANCHOR = {"system": "BioBERT (Yu et al. 2019, published)", "macro_f1": 0.88, "accuracy": 0.90,
          "note": "fine-tuned, 5-fold CV on the same 3,061 sentences; repo README 0.883 / 0.900"}
EUREKA_ANCHOR = {"system": "BioBERT + augmentation (Yu et al. 2020, published)", "macro_f1": 0.892,
                 "accuracy": 0.890, "note": "5-fold CV on the EurekAlert sentences (repo README)"}


# --------------------------------------------------------------------------- scoring (plain Python)


def need(path: Path) -> Path:
    if not path.exists():
        from claimex.errors import Errors

        raise SystemExit(Errors.E059.format(path=path))
    return path


def confusion(gold: Sequence[int], pred: Sequence[int], labels: Sequence[int] = LABELS) -> list[list[int]]:
    """``matrix[i][j]``: items of gold label ``labels[i]`` predicted ``labels[j]``."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    pos = {lab: k for k, lab in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred):
        m[pos[g]][pos[p]] += 1
    return m


def multiclass_scores(gold: Sequence[int], pred: Sequence[int], labels: Sequence[int] = LABELS) -> dict:
    """Accuracy, per-label P/R/F1 and macro-F1 (the unweighted mean of the labels' F1;
    a label with no gold and no predicted item has F1 0)."""
    m = confusion(gold, pred, labels)
    per = {}
    for k, lab in enumerate(labels):
        tp = m[k][k]
        n_gold = sum(m[k])
        n_pred = sum(row[k] for row in m)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        per[str(lab)] = {"gold": n_gold, "predicted": n_pred, "tp": tp, "precision": p, "recall": r,
                         "f1": 2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0}
    n = len(gold)
    return {"n": n, "accuracy": sum(m[k][k] for k in range(len(labels))) / n if n else 0.0,
            "macro_f1": sum(v["f1"] for v in per.values()) / len(labels), "labels": per,
            "confusion": m}


def causal_f1(gold: Sequence[int], pred: Sequence[int]) -> dict:
    """The collapsed decision: causal (2 or 3) vs not (0 or 1); positive class = causal."""
    g = [x >= 2 for x in gold]
    p = [x >= 2 for x in pred]
    tp = sum(1 for a, b in zip(g, p) if a and b)
    fp = sum(1 for a, b in zip(g, p) if not a and b)
    fn = sum(1 for a, b in zip(g, p) if a and not b)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": prec, "recall": rec,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0}


def folds(labels: Sequence[int], n_folds: int = N_FOLDS, seed: int = SEED) -> list[list[int]]:
    """Test indices of each fold of a stratified, shuffled K-fold split (scikit-learn, fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    skf = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return [sorted(int(i) for i in te) for _, te in skf.split([[0]] * len(labels), list(labels))]


def cv_summary(gold: Sequence[int], pred: Sequence[int], test_folds: list[list[int]]) -> dict:
    """Pooled scores, fold mean/std of macro-F1 and accuracy, and the collapsed causal F1."""
    per_fold = [multiclass_scores([gold[i] for i in f], [pred[i] for i in f]) for f in test_folds]
    pooled = multiclass_scores(gold, pred)
    mf = [s["macro_f1"] for s in per_fold]
    acc = [s["accuracy"] for s in per_fold]
    return {
        "macro_f1_mean": statistics.fmean(mf), "macro_f1_std": statistics.pstdev(mf),
        "accuracy_mean": statistics.fmean(acc), "accuracy_std": statistics.pstdev(acc),
        "pooled": pooled, "causal_vs_not": causal_f1(gold, pred),
        "folds": [{"macro_f1": s["macro_f1"], "accuracy": s["accuracy"], "n": s["n"]} for s in per_fold],
    }


def sample(items: list, limit: int | None) -> list:
    """``limit`` items spread evenly over ``items`` (all of them when ``limit`` is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    return [items[i * len(items) // limit] for i in range(max(limit, 0))]


# --------------------------------------------------------------------------- learned component


def choose_c(feats: list[list[str]], labels: list[int], grid: Sequence[float] = C_GRID, *, seed: int = SEED
             ) -> tuple[float, dict]:
    """The ``C`` of ``grid`` with the best mean macro-F1 over a 3-fold inner CV (ties: the smaller C)."""
    from claimex.evaluate.strength_model import train_model

    inner = folds(labels, 3, seed)
    scores = {}
    for c in grid:
        vals = []
        for te in inner:
            held = set(te)
            tr = [i for i in range(len(labels)) if i not in held]
            model = train_model([feats[i] for i in tr], [labels[i] for i in tr], C=c)
            vals.append(multiclass_scores([labels[i] for i in te],
                                          [model.predict_features(feats[i]) for i in te])["macro_f1"])
        scores[str(c)] = statistics.fmean(vals)
    best = max(grid, key=lambda c: (scores[str(c)], -c))
    return best, scores


def cross_validate(feats: list[list[str]], labels: list[int], *, nested: bool = True, seed: int = SEED
                   ) -> tuple[list[int], list[list[int]], list[dict]]:
    """Out-of-fold predictions of the learned model; returns ``(pred, test folds, per-fold info)``."""
    from claimex.evaluate.strength_model import train_model

    test_folds = folds(labels, N_FOLDS, seed)
    pred = [0] * len(labels)
    info = []
    for te in test_folds:
        held = set(te)
        tr = [i for i in range(len(labels)) if i not in held]
        tr_feats, tr_labels = [feats[i] for i in tr], [labels[i] for i in tr]
        if nested:
            c, inner = choose_c(tr_feats, tr_labels, seed=seed)
        else:
            c, inner = QUICK_C, {}
        model = train_model(tr_feats, tr_labels, C=c)
        for i in te:
            pred[i] = model.predict_features(feats[i])
        info.append({"C": c, "inner_macro_f1": inner, "n_features": model.meta["n_features"]})
    return pred, test_folds, info


# --------------------------------------------------------------------------- the benchmark


def analyse(nlp, texts: list[str], **settings):
    """Parse ``texts`` and read them with the rules; returns ``(docs, analyses)``."""
    from claimex.nlp.strength import analyse_strength

    docs = list(nlp.pipe(texts, batch_size=64))
    return docs, [analyse_strength(d, **settings) for d in docs]


def run(base: Path, nlp=None, *, limit: int | None = None, quick: bool = False, keep_docs: dict | None = None
        ) -> dict:
    """The whole Yu PubMed benchmark (rules and learned); plus rules-only on the EurekAlert set.

    ``keep_docs``: a dict that receives ``"yu_pubmed": (docs, analyses)`` for reuse."""
    from claimex.evaluate.strength_model import load_labelled_csv, strength_features, strength_nlp
    from claimex.nlp.strength import analyse_strength

    t0 = time.perf_counter()
    nlp = nlp or strength_nlp()
    rows = sample(load_labelled_csv(need(base / YU_PUBMED), "ordinal"), limit)
    gpl = load_labelled_csv(need(base / YU_PUBMED_GPL), "yu2019")
    same_as_gpl = [r for r in load_labelled_csv(base / YU_PUBMED, "ordinal")] == gpl
    gold = [g for _, g in rows]
    docs, keep = analyse(nlp, [s for s, _ in rows], negation="keep")
    if keep_docs is not None:
        keep_docs["yu_pubmed"] = (docs, keep)
    zero = [analyse_strength(d, negation="zero") for d in docs]
    test_folds = folds(gold)
    feats = [strength_features(d, a) for d, a in zip(docs, keep)]
    t_rules = time.perf_counter()
    pred, learned_folds, info = cross_validate(feats, gold, nested=not quick)
    out = {
        "data": str(YU_PUBMED), "n": len(rows), "seed": SEED, "n_folds": N_FOLDS,
        "label_counts": {str(k): gold.count(k) for k in LABELS},
        "same_sentences_as_gpl_file": same_as_gpl,
        "rules_keep": cv_summary(gold, [a.grade for a in keep], test_folds),
        "rules_zero": cv_summary(gold, [a.grade for a in zero], test_folds),
        "learned": {**cv_summary(gold, pred, learned_folds), "folds_info": info,
                    "selection": "fixed C=4 (quick)" if quick else f"nested 3-fold over C in {list(C_GRID)}"},
        "anchor": ANCHOR,
        "timings_s": {"parse_and_rules": t_rules - t0, "cross_validation": time.perf_counter() - t_rules},
    }
    eu_rows = sample(load_labelled_csv(need(base / YU_EUREKA), "ordinal"), limit)
    _, eu_keep = analyse(nlp, [s for s, _ in eu_rows], negation="keep")
    eu_gold = [g for _, g in eu_rows]
    out["eureka_rules_keep"] = {**multiclass_scores(eu_gold, [a.grade for a in eu_keep]),
                                "causal_vs_not": causal_f1(eu_gold, [a.grade for a in eu_keep]),
                                "note": "development set of the rules (not held out)", "anchor": EUREKA_ANCHOR}
    return out


def format_markdown(res: dict) -> str:
    def row(name, s, note):
        p = s["pooled"]
        return (f"| {name} | {s['macro_f1_mean']:.3f} ± {s['macro_f1_std']:.3f} | {p['macro_f1']:.3f} | "
                f"{s['accuracy_mean']:.3f} ± {s['accuracy_std']:.3f} | {s['causal_vs_not']['f1']:.3f} | {note} |")

    a = res["anchor"]
    lines = [
        f"Yu et al. PubMed conclusions, n = {res['n']}, {res['n_folds']}-fold stratified CV (seed {res['seed']}).",
        "",
        "| system | macro-F1 (fold mean ± sd) | macro-F1 (pooled) | accuracy (fold mean ± sd) | causal (2+3) vs not F1 | note |",
        "|---|---|---|---|---|---|",
        row("claimex rules (negation keep)", res["rules_keep"], "nothing learned"),
        row("claimex rules (negation zero)", res["rules_zero"], "negated relation -> 0"),
        row("claimex learned (LR: rule features + n-grams)", res["learned"], res["learned"]["selection"]),
        f"| {a['system']} | {a['macro_f1']:.2f} | – | {a['accuracy']:.2f} | – | {a['note']} |",
    ]
    e = res["eureka_rules_keep"]
    ea = e["anchor"]
    lines += ["", f"EurekAlert press-release sentences (n = {e['n']}), rules only - the rules' development set:",
              "", "| system | macro-F1 | accuracy | causal vs not F1 |", "|---|---|---|---|",
              f"| claimex rules (negation keep) | {e['macro_f1']:.3f} | {e['accuracy']:.3f} | "
              f"{e['causal_vs_not']['f1']:.3f} |",
              f"| {ea['system']} | {ea['macro_f1']:.3f} | {ea['accuracy']:.3f} | – |"]
    return "\n".join(lines)


def eval_parser(description: str, limit_help: str) -> argparse.ArgumentParser:
    """The options every ``eval_*.py`` script shares: ``--benchmarks``, ``--limit``, ``--json``."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--benchmarks", default=str(DEFAULT_DIR), help="folder of the public benchmark sets")
    parser.add_argument("--limit", type=int, default=None, help=limit_help)
    parser.add_argument("--json", dest="json_path", default=None, help="also write the figures as JSON")
    return parser


def emit(res: dict, format_markdown, json_path: str | None) -> int:
    """Print the Markdown report of ``res``; write ``res`` as JSON to ``json_path`` when given."""
    print(format_markdown(res))
    if json_path:
        Path(json_path).write_text(json.dumps(res, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = eval_parser(__doc__, "use N sentences spread evenly (quick run)")
    parser.add_argument("--quick", action="store_true", help="no nested selection of C (C = 4)")
    args = parser.parse_args(argv)
    return emit(run(Path(args.benchmarks), limit=args.limit, quick=args.quick), format_markdown, args.json_path)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
