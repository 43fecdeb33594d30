"""Matching gold items with predicted ones, one to one, and counting the result.

Items are plain dicts with ``start``/``end`` character offsets.  :func:`match`
pairs a gold item with a predicted one when their ``key`` fields are equal and
their spans overlap, greedily in a fixed order (gold items by key and
position; among the candidates: same polarity first when asked, then the
largest overlap, then position), so the same inputs always give the same
pairs.  :func:`prf` gives precision, recall and F1 from counts;
:func:`table` the per-category and micro figures of a set of pairs;
:func:`confusion` the gold-by-predicted table of one attribute over the pairs.

Precision is ``tp / predicted`` and is ``None`` when nothing was predicted;
recall is ``tp / gold`` and is ``None`` when the gold has nothing; F1 is
``2·tp / (gold + predicted)``, which is ``0.0`` when one side is empty and the
other is not, and ``None`` only when both are empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

__all__ = ["confusion", "match", "prf", "table"]


def prf(tp: int, n_gold: int, n_pred: int) -> dict[str, Any]:
    """Counts with precision, recall and F1 (see the module docstring for the empty cases)."""
    return {
        "gold": n_gold,
        "predicted": n_pred,
        "tp": tp,
        "precision": tp / n_pred if n_pred else None,
        "recall": tp / n_gold if n_gold else None,
        "f1": 2 * tp / (n_gold + n_pred) if n_gold + n_pred else None,
    }


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def match(gold: list[dict[str, Any]], pred: list[dict[str, Any]], key, *, polarity: bool = False
          ) -> list[tuple[int, int]]:
    """One-to-one greedy matching of items with equal ``key`` and overlapping spans.

    Items are dicts with ``start``/``end``; ``key(item)`` gives the fields that
    must be equal.  Returns ``(gold index, pred index)`` pairs.
    """
    by_key: dict[Any, list[int]] = {}
    for j, p in enumerate(pred):
        by_key.setdefault(key(p), []).append(j)
    order = sorted(range(len(gold)), key=lambda i: (key(gold[i]), gold[i]["start"], gold[i]["end"], i))
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for i in order:
        g = gold[i]
        best, best_rank = None, None
        for j in by_key.get(key(g), ()):
            if j in used:
                continue
            p = pred[j]
            ov = _overlap(g["start"], g["end"], p["start"], p["end"])
            if ov <= 0:
                continue
            rank = (0 if not polarity or p.get("polarity") == g.get("polarity") else 1,
                    -ov, p["start"], p["end"], j)
            if best_rank is None or rank < best_rank:
                best, best_rank = j, rank
        if best is not None:
            used.add(best)
            pairs.append((i, best))
    return sorted(pairs)


def table(gold_items, pred_items, pairs, categories: Iterable[str], cat) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per-category and micro P/R/F1 from matched pairs (the category of a pair is its gold item's)."""
    g_count = Counter(cat(x) for x in gold_items)
    p_count = Counter(cat(x) for x in pred_items)
    tp = Counter(cat(gold_items[i]) for i, _ in pairs)
    names = list(categories)
    names += sorted((set(g_count) | set(p_count)) - set(names))
    rows = {n: prf(tp[n], g_count[n], p_count[n]) for n in names}
    micro = prf(len(pairs), len(gold_items), len(pred_items))
    return rows, micro


def confusion(pairs, gold_items, pred_items, labels: tuple[str, ...], value) -> dict[str, Any]:
    """Gold value by predicted value over the matched pairs, with the share that agrees."""
    matrix = {g: {p: 0 for p in labels} for g in labels}
    for i, j in pairs:
        g, p = value(gold_items[i]), value(pred_items[j])
        matrix.setdefault(g, {q: 0 for q in labels})
        matrix[g][p] = matrix[g].get(p, 0) + 1
    n = len(pairs)
    agree = sum(matrix[g].get(g, 0) for g in matrix)
    return {"labels": list(labels), "matrix": matrix, "n": n, "accuracy": agree / n if n else None}
