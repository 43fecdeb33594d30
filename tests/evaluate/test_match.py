"""claimex.evaluate.match: one-to-one matching, P/R/F1 and confusion tables."""

import pytest

from claimex.evaluate.match import confusion, match, prf, table


def test_prf_values():
    assert prf(1, 3, 2) == {"gold": 3, "predicted": 2, "tp": 1, "precision": 0.5,
                            "recall": pytest.approx(1 / 3), "f1": pytest.approx(0.4)}


def test_prf_empty_sides():
    assert prf(0, 3, 0) == {"gold": 3, "predicted": 0, "tp": 0, "precision": None, "recall": 0.0, "f1": 0.0}
    assert prf(0, 0, 2) == {"gold": 0, "predicted": 2, "tp": 0, "precision": 0.0, "recall": None, "f1": 0.0}
    assert prf(0, 0, 0) == {"gold": 0, "predicted": 0, "tp": 0, "precision": None, "recall": None, "f1": None}


def item(start, end, key="k", polarity="affirmed"):
    return {"start": start, "end": end, "key": key, "polarity": polarity}


def test_match_pairs_overlapping_items_with_equal_keys_once():
    gold = [item(0, 10), item(20, 30), item(40, 50, key="other")]
    pred = [item(25, 35), item(5, 12), item(8, 9), item(40, 50)]
    # gold 0 overlaps pred 1 (5 chars) and pred 2 (1 char): the larger overlap wins;
    # gold 2 has no candidate with its key; pred 2 and pred 3 stay unmatched
    assert match(gold, pred, lambda x: x["key"]) == [(0, 1), (1, 0)]


def test_match_with_polarity_prefers_the_same_polarity_over_a_larger_overlap():
    gold = [item(0, 10, polarity="negated")]
    pred = [item(0, 10), item(5, 10, polarity="negated")]
    assert match(gold, pred, lambda x: x["key"]) == [(0, 0)]
    assert match(gold, pred, lambda x: x["key"], polarity=True) == [(0, 1)]


def test_table_counts_a_pair_under_its_gold_category_and_adds_unknown_ones():
    gold = [{"c": "A"}, {"c": "B"}]
    pred = [{"c": "A"}, {"c": "C"}]
    rows, micro = table(gold, pred, [(0, 0), (1, 1)], ("A", "B"), lambda x: x["c"])
    assert list(rows) == ["A", "B", "C"]
    assert (rows["A"]["tp"], rows["B"]["tp"], rows["C"]["tp"]) == (1, 1, 0)
    assert (rows["B"]["predicted"], rows["C"]["gold"], rows["C"]["predicted"]) == (0, 0, 1)
    assert micro == prf(2, 2, 2)


def test_confusion_over_the_pairs():
    gold = [{"v": "x"}, {"v": "x"}, {"v": "y"}]
    pred = [{"v": "x"}, {"v": "y"}, {"v": "y"}]
    conf = confusion([(0, 0), (1, 1), (2, 2)], gold, pred, ("x", "y"), lambda r: r["v"])
    assert conf == {"labels": ["x", "y"], "matrix": {"x": {"x": 1, "y": 1}, "y": {"x": 0, "y": 1}},
                    "n": 3, "accuracy": pytest.approx(2 / 3)}
    assert confusion([], gold, pred, ("x", "y"), lambda r: r["v"])["accuracy"] is None
