"""The scoring and loading helpers of benchmarks/bench_cues.py and benchmarks/cue_scoring.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def _load_bench(name: str):
    path = REPO / "benchmarks" / f"{name}.py"
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def test_binary_scores():
    scoring = _load_bench("cue_scoring")
    s = scoring.binary_scores([True, True, False, False, True], [True, False, True, False, True])
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (2, 1, 1, 1)
    assert s["precision"] == pytest.approx(2 / 3)
    assert s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 / 3)
    assert s["accuracy"] == pytest.approx(0.6)
    empty = scoring.binary_scores([False], [False])
    assert (empty["precision"], empty["recall"], empty["f1"], empty["accuracy"]) == (0.0, 0.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        scoring.binary_scores([True], [])


def test_overlap_scores():
    scoring = _load_bench("cue_scoring")
    gold = [[frozenset({0, 1})], [frozenset({3})], []]
    pred = [[frozenset({1}), frozenset({5})], [], [frozenset({2})]]
    s = scoring.overlap_scores(gold, pred)
    assert (s["n_gold"], s["n_pred"], s["pred_matched"], s["gold_matched"]) == (2, 3, 1, 1)
    assert s["precision"] == pytest.approx(1 / 3)
    assert s["recall"] == pytest.approx(1 / 2)
    assert s["f1"] == pytest.approx(0.4)


def test_markdown_table():
    scoring = _load_bench("cue_scoring")
    table = scoring.markdown_table([{"task": "t", "system": "s", "n": 3, "precision": 0.5, "recall": None,
                                     "f1": 2 / 3, "accuracy": 1.0, "note": "x"}])
    assert table.splitlines() == ["| task | system | n | P | R | F1 | acc | note |",
                                  "|---|---|---|---|---|---|---|---|",
                                  "| t | s | 3 | 0.500 | n/a | 0.667 | 1.000 | x |"]


def test_bench_loaders(tmp_path):
    bench = _load_bench("bench_cues")
    assert bench.find_phrase("free  fluid", "There is no FREE FLUID here.") == (12, 22)
    assert bench.find_phrase("liver", "no kidney") is None
    assert bench.sample(list(range(10)), 3) == [0, 3, 6]
    assert bench.sample([1, 2], None) == [1, 2]
    negex = tmp_path / "negex.tsv"
    negex.write_text("line\tCondition\tsentence\tnegation_status\n"
                     "1\tedema\tExtremities reveal no cyanosis or EDEMA.\tNegated\n"
                     "2\tedema\tNO EDEMA.\tAffirmed\n"
                     "3\tfever\tHe is well.\tAffirmed\n", encoding="utf-8")
    rows = bench.load_negex(negex)
    assert rows == [
        {"text": "Extremities reveal no cyanosis or edema.", "span": (34, 39), "negated": True},
        {"text": "NO EDEMA.", "span": (3, 8), "negated": False},
        {"text": "He is well.", "span": None, "negated": False},
    ]
    assert bench.load_negex(negex, keep_case=True)[0]["text"] == "Extremities reveal no cyanosis or EDEMA."
    xml = tmp_path / "bio.xml"
    xml.write_text('<Annotation><DocumentSet><Document><DocumentPart>'
                   '<sentence id="S1">These <xcope id="X1"><cue type="speculation" ref="X1">suggest</cue> '
                   'that it is <xcope id="X2"><cue type="negation" ref="X2">not</cue> needed</xcope></xcope>.'
                   '</sentence><sentence id="S2">Plain.</sentence></DocumentPart></Document></DocumentSet>'
                   '</Annotation>', encoding="utf-8")
    assert bench.load_bioscope([xml]) == [
        {"text": "These suggest that it is not needed.", "spec": [(6, 13)], "neg": [(25, 28)]},
        {"text": "Plain.", "spec": [], "neg": []},
    ]
