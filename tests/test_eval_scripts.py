"""Scoring functions of the benchmark scripts (benchmarks/eval_*.py) on tiny hand-made inputs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"_eval_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


@pytest.fixture(scope="module")
def es():
    return _load("eval_strength")


@pytest.fixture(scope="module")
def ei():
    return _load("eval_insciout")


@pytest.fixture(scope="module")
def ea():
    return _load("eval_ade")


# --------------------------------------------------------------------------- eval_strength


def test_multiclass_scores(es):
    gold = [0, 1, 2, 3, 3, 1]
    pred = [0, 1, 3, 3, 1, 1]
    s = es.multiclass_scores(gold, pred)
    assert s["confusion"] == [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 1], [0, 1, 0, 1]]
    assert [s["labels"][k]["f1"] for k in "0123"] == pytest.approx([1.0, 0.8, 0.0, 0.5])
    assert s["macro_f1"] == pytest.approx(0.575)
    assert s["accuracy"] == pytest.approx(4 / 6)
    assert s["labels"]["1"] == {"gold": 2, "predicted": 3, "tp": 2, "precision": pytest.approx(2 / 3),
                                "recall": 1.0, "f1": pytest.approx(0.8)}
    with pytest.raises(ValueError):
        es.multiclass_scores([0], [])


def test_causal_f1(es):
    s = es.causal_f1([0, 1, 2, 3, 3, 1], [0, 1, 3, 3, 1, 1])
    assert (s["tp"], s["fp"], s["fn"]) == (2, 0, 1)
    assert s["f1"] == pytest.approx(0.8)
    assert es.causal_f1([0, 1], [1, 0])["f1"] == 0.0


def test_folds_are_stratified_and_fixed(es):
    labels = [0] * 10 + [1] * 10
    f = es.folds(labels)
    assert f == es.folds(labels)
    assert [len(x) for x in f] == [4, 4, 4, 4, 4]
    assert [sum(labels[i] for i in x) for x in f] == [2, 2, 2, 2, 2]
    assert sorted(i for x in f for i in x) == list(range(20))


def test_cv_summary(es):
    gold = [0, 1, 0, 1]
    pred = [0, 1, 1, 1]
    s = es.cv_summary(gold, pred, [[0, 1], [2, 3]])
    assert [x["accuracy"] for x in s["folds"]] == [1.0, 0.5]
    assert s["accuracy_mean"] == pytest.approx(0.75)
    assert s["accuracy_std"] == pytest.approx(0.25)
    # fold 2: label 0 F1 0, label 1 F1 2/3, labels 2 and 3 absent (F1 0)
    assert [x["macro_f1"] for x in s["folds"]] == pytest.approx([0.5, (2 / 3) / 4])
    assert s["pooled"]["accuracy"] == pytest.approx(0.75)
    assert s["causal_vs_not"]["f1"] == 0.0


def test_sample(es):
    assert es.sample(list(range(10)), 3) == [0, 3, 6]
    assert es.sample([1, 2], None) == [1, 2]
    assert es.sample([1, 2], 5) == [1, 2]


def test_choose_c_and_cross_validate(es):
    feats = [["a"]] * 6 + [["b"]] * 6
    labels = [0] * 6 + [3] * 6
    c, scores = es.choose_c(feats, labels, grid=(1.0, 4.0))
    assert c == 1.0  # a tie goes to the smaller C
    assert scores == {"1.0": pytest.approx(0.5), "4.0": pytest.approx(0.5)}  # two of four labels, both perfect
    pred, folds, info = es.cross_validate(feats * 2, labels * 2, nested=False)
    assert pred == labels * 2
    assert [i["C"] for i in info] == [4.0] * 5
    assert sum(len(f) for f in folds) == 24


# --------------------------------------------------------------------------- eval_insciout


def test_label_scores(ei):
    gold = ["same", "same", "exaggerates", "downplays"]
    pred = ["same", "exaggerates", "exaggerates", "same"]
    s = ei.label_scores(gold, pred)
    assert [s["labels"][k]["f1"] for k in ei.LABELS] == pytest.approx([0.5, 2 / 3, 0.0])
    assert s["macro_f1"] == pytest.approx(7 / 18)
    assert s["accuracy"] == pytest.approx(0.5)


def test_compare_with_flags(ei):
    assert ei.compare_with_flags([3, 1, 2, 0], [1, 1, 3, 0]) == ["exaggerates", "same", "downplays", "same"]
    assert ei.compare_with_flags([3, 2], [1, 1], min_gap=2) == ["exaggerates", "same"]
    table = ei.pair_table([3], [1])
    assert [(r["claim_id"], r["claim_key"], r["strength"]) for r in table] == [
        ("p0000-c0000", "pair0000|CAUSES|finding", 3), ("a0000-c0000", "pair0000|CAUSES|finding", 1)]


def test_compare_expected(ei):
    assert ei.compare_expected([2.5, 1.0, 1.2], [1.0, 2.0, 1.0], 0.3) == ["exaggerates", "downplays", "same"]


# --------------------------------------------------------------------------- eval_ade


def test_locate(ea):
    s = "Aspirin caused rash, and later a rash with aspirin."
    assert ea.occurrences("rash", s) == [15, 33]
    assert ea.occurrences("aspirin", s) == [43]  # case-sensitive first
    assert ea.occurrences("ASPIRIN", s) == [0, 43]  # case-insensitive when nothing matches exactly
    assert ea.locate(s, "rash", 1033, "aspirin", 1043) == (33, 37)  # the drug distance decides
    assert ea.locate(s, "rash", 2000, "aspirin", 1043) == (15, 19)  # no match: the first occurrence
    assert ea.locate(s, "fever", 0, "aspirin", 0) is None


def test_load_rel_and_neg(ea, tmp_path):
    rel = tmp_path / "DRUG-AE.rel"
    rel.write_text("1|Aspirin caused rash, and later a rash with aspirin.|rash|1033|1037|aspirin|1043|1050\n"
                   "1|Aspirin caused rash, and later a rash with aspirin.|rash|1033|1037|aspirin|1043|1050\n"
                   "2|Fever after MTX.|chills|10|16|MTX|22|25\n"
                   "short|line\n", encoding="utf-8")
    gold, missing = ea.load_rel(rel)
    assert gold == {("1", "Aspirin caused rash, and later a rash with aspirin."): {(33, 37, "rash")},
                    ("2", "Fever after MTX."): set()}
    assert missing == 1
    neg = tmp_path / "ADE-NEG.txt"
    neg.write_text("5 NEG A sentence.\n5 NEG A sentence.\n6 NEG Another one.\n7 POS Not this.\n", encoding="utf-8")
    assert ea.load_neg(neg) == [("5", "A sentence."), ("6", "Another one.")]


def test_span_recall_and_misses(ea):
    gold = {"k1": {(0, 5, "Fever"), (10, 20, "rash on arm")}, "k2": {(3, 8, "SIADH")}}
    pred = {"k1": [(0, 5, "CONDITION", "Fever"), (12, 16, "SIDE_EFFECT", "rash")],
            "k2": [(0, 2, "SIDE_EFFECT", "xx")]}
    r = ea.span_recall(gold, pred, {"SIDE_EFFECT"})
    assert (r["n"], r["lenient_found"], r["strict_found"]) == (3, 1, 0)
    r = ea.span_recall(gold, pred, {"SIDE_EFFECT", "CONDITION"})
    assert (r["lenient_found"], r["strict_found"]) == (2, 1)
    assert r["strict_recall"] == pytest.approx(1 / 3)
    assert ea.span_recall(gold, pred, None)["lenient_found"] == 2
    assert ea.missed(gold, pred, {"SIDE_EFFECT"}) == [("fever", 1), ("siadh", 1)]
    assert ea.labels_of_missed(gold, pred, {"SIDE_EFFECT"}) == {"(no entity)": 1, "CONDITION": 1}


def test_sentence_precision(ea):
    s = ea.sentence_precision(n_pos=100, tp_pos=40, n_neg_sample=200, fp_neg_sample=20, n_neg_total=1000)
    assert s["recall"] == pytest.approx(0.4)
    assert s["specificity"] == pytest.approx(0.9)
    assert s["fp_estimated"] == pytest.approx(100.0)
    assert s["precision_estimated"] == pytest.approx(40 / 140)
    scaled = ea.sentence_precision(n_pos=10, tp_pos=4, n_neg_sample=200, fp_neg_sample=20, n_neg_total=1000,
                                   n_pos_total=100)
    assert scaled["tp_estimated"] == pytest.approx(40.0)
    assert scaled["precision_estimated"] == pytest.approx(40 / 140)
