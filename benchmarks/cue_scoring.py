"""Scoring helpers for ``bench_cues.py`` (plain Python, no spaCy).

* :func:`binary_scores` - precision / recall / F1 / accuracy of a yes/no decision.
* :func:`overlap_scores` - cue-level P/R/F1 where a predicted cue counts as found
  when it shares at least one token with a gold cue of the same item (and a gold
  cue counts as found when some predicted cue shares a token with it).
* :func:`markdown_table` - the results table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def binary_scores(gold: Sequence[bool], pred: Sequence[bool]) -> dict:
    """Scores of ``pred`` against ``gold`` with ``True`` as the positive class."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    tn = len(gold) - tp - fp - fn
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    return {"n": len(gold), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": precision, "recall": recall, "f1": f1(precision, recall),
            "accuracy": _ratio(tp + tn, len(gold))}


def overlap_scores(gold: Sequence[Iterable[frozenset[int]]], pred: Sequence[Iterable[frozenset[int]]]) -> dict:
    """Cue-level scores by token overlap.

    ``gold[i]`` and ``pred[i]`` are the cues of item ``i``, each cue a set of token
    indices.  Precision = predicted cues overlapping a gold cue / predicted cues;
    recall = gold cues overlapped by a predicted cue / gold cues.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    n_gold = n_pred = pred_hit = gold_hit = 0
    for g_cues, p_cues in zip(gold, pred):
        g_cues, p_cues = list(g_cues), list(p_cues)
        n_gold += len(g_cues)
        n_pred += len(p_cues)
        pred_hit += sum(1 for p in p_cues if any(p & g for g in g_cues))
        gold_hit += sum(1 for g in g_cues if any(p & g for p in p_cues))
    precision = _ratio(pred_hit, n_pred)
    recall = _ratio(gold_hit, n_gold)
    return {"n": len(gold), "n_gold": n_gold, "n_pred": n_pred, "pred_matched": pred_hit,
            "gold_matched": gold_hit, "precision": precision, "recall": recall,
            "f1": f1(precision, recall), "accuracy": None}


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def markdown_table(rows: Sequence[dict]) -> str:
    """Rows with keys task, system, n, precision, recall, f1, accuracy, note."""
    cols = ["task", "system", "n", "precision", "recall", "f1", "accuracy", "note"]
    head = ["task", "system", "n", "P", "R", "F1", "acc", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(c)) for c in cols) + " |")
    return "\n".join(lines)
