"""Tests for claimex.evaluate.strength_model (the learned strength model, its data and training)
and the ``claimex strength`` commands (claimex.cli.strength)."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from claimex.cli.strength import app
from claimex.errors import ClaimexError
from claimex.evaluate.strength_model import (
    CODINGS,
    StrengthModel,
    load_labelled_csv,
    strength_features,
    train_model,
)
from claimex.nlp.strength import sentence_strength

# sentence and its grade (negation="zero"): a small training set the model memorises
GRADED = [
    ("Kratom causes addiction.", 3),
    ("Kratom may cause addiction.", 2),
    ("Kratom is associated with liver damage.", 1),
    ("Kratom does not cause addiction.", 0),
    ("Kratom use is common among adults with chronic pain.", 0),
    ("Pain was reduced by kratom.", 3),
    ("Kratom is a risk factor for seizures.", 1),
    ("Kratom appears to reduce pain.", 2),
]


@pytest.fixture(scope="module")
def docs(nlp):
    return {d.text: d for d in nlp.pipe([s for s, _ in GRADED])}

# --------------------------------------------------------------------------- features and model


def test_features(docs):
    doc = docs["Kratom causes addiction."]
    assert strength_features(doc) == [
        "b=addiction .", "b=causes addiction", "b=kratom causes", "cue=causal verb|plain", "main=causal|plain",
        "maincue=causal verb", "rel=causal|plain", "rule=3", "w=.", "w=addiction", "w=causes", "w=kratom"]
    neg = strength_features(docs["Kratom does not cause addiction."])
    assert [f for f in neg if not f.startswith(("w=", "b="))] == [
        "cue=causal verb|neg", "main=causal|neg", "maincue=causal verb", "rel=causal|neg", "rule=0"]


def test_model_scores_by_hand():
    model = StrengthModel(classes=[0, 1], weights={"x": [0.0, 2.0], "z": [1.0, 0.0]}, intercept=[0.0, 0.0])
    p = model.proba_features(["x", "unknown"])  # one known feature: norm 1
    assert p == pytest.approx([1 / (1 + math.e ** 2), math.e ** 2 / (1 + math.e ** 2)])
    q = model.proba_features(["x", "z"])  # two known features: each scaled by 1/sqrt(2)
    s = 2 / math.sqrt(2) - 1 / math.sqrt(2)
    assert q[1] == pytest.approx(math.e ** s / (1 + math.e ** s))
    assert model.predict_features(["x"]) == 1
    assert model.predict_features([]) == 0  # a tie goes to the first class


def test_train_predict_and_round_trip(tmp_path):
    feats = [["a", "c"], ["a"], ["b", "c"], ["b"], ["d"]]
    labels = [0, 0, 3, 3, 1]
    model = train_model(feats, labels, C=10.0, min_count=1, meta={"data": "toy"})
    assert model.classes == [0, 1, 3]
    assert [model.predict_features(f) for f in (["a"], ["b"], ["d"])] == [0, 3, 1]
    assert sorted(model.weights) == ["a", "b", "c", "d"]
    assert model.meta["label_counts"] == {"0": 2, "1": 1, "3": 2}
    assert model.meta["data"] == "toy"
    pruned = train_model(feats, labels, min_count=2)
    assert sorted(pruned.weights) == ["a", "b", "c"]
    path = tmp_path / "m.json"
    model.to_disk(path)
    again = StrengthModel.from_disk(path)
    assert again.classes == model.classes
    assert [again.predict_features(f) for f in (["a"], ["b"], ["d"])] == [0, 3, 1]
    assert json.loads(path.read_text())["format"] == "claimex-strength-logreg"
    with pytest.raises(ValueError, match="5 feature rows but 2 labels"):
        train_model(feats, [0, 1])


def test_model_file_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"\[E044\] .*bad.json: cannot read the file \(not a claimex strength "
                                           r"model: 'format' is not 'claimex-strength-logreg'\)"):
        StrengthModel.from_disk(bad)
    bad.write_text('{"format": "claimex-strength-logreg", "version": 1, "classes": [0, 1], "intercept": [0, 0], '
                   '"weights": {"x": [1.0]}}', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"feature 'x' has 1 weights, expected 2"):
        StrengthModel.from_disk(bad)
    with pytest.raises(ClaimexError, match=r"\[E044\] .*missing.json: cannot read the file"):
        StrengthModel.from_disk(tmp_path / "missing.json")


def test_model_predicts_docs(docs):
    feats = [strength_features(docs[t]) for t, _ in GRADED]
    model = train_model(feats, [g for _, g in GRADED], C=100.0, min_count=1)
    assert model.predict(docs["Kratom causes addiction."]) == 3
    assert sentence_strength(docs["Kratom may cause addiction."], model=model) == 2
    assert sum(model.predict_proba(docs["Pain was reduced by kratom."])) == pytest.approx(1.0)


# --------------------------------------------------------------------------- data and command line


def test_load_labelled_csv(tmp_path):
    path = tmp_path / "yu.csv"
    path.write_text('sentence,label\n"A, causes B.",1\nC is linked to D.,3\nE.,0\nF may cause G.,2\n',
                    encoding="utf-8")
    assert load_labelled_csv(path, "yu2019") == [("A, causes B.", 3), ("C is linked to D.", 1), ("E.", 0),
                                                 ("F may cause G.", 2)]
    assert [g for _, g in load_labelled_csv(path)] == [1, 3, 0, 2]
    assert CODINGS["yu2019"] == {0: 0, 1: 3, 2: 2, 3: 1}
    path.write_text("text,label\nx,1\n", encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"expected columns 'sentence' and 'label', found \['text', 'label'\]"):
        load_labelled_csv(path)
    path.write_text("sentence,label\nx,1\ny,strong\n", encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"yu.csv: cannot read the file \(line 3: label 'strong' is not an integer"):
        load_labelled_csv(path)


def test_train_command(tmp_path):
    data = tmp_path / "train.csv"
    data.write_text("sentence,label\n"
                    "Kratom causes addiction.,1\nCoffee causes insomnia.,1\n"
                    "Kratom may cause nausea.,2\nTea may cause insomnia.,2\n"
                    "Kratom is linked to seizures.,3\nCoffee is linked to anxiety.,3\n"
                    "More research is needed.,0\nKratom is a plant.,0\n", encoding="utf-8")
    out = tmp_path / "model.json"
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--data", str(data), "--coding", "yu2019", "--out", str(out),
                                 "--provenance", "hand-made"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("trained on 8 sentences (")
    model = StrengthModel.from_disk(out)
    assert model.classes == [0, 1, 2, 3]
    assert model.meta["label_counts"] == {"0": 2, "1": 2, "2": 2, "3": 2}
    assert (model.meta["coding"], model.meta["provenance"], model.meta["data"]) == ("yu2019", "hand-made",
                                                                                   "train.csv")
    assert len(model.meta["data_sha256"]) == 64
    result = runner.invoke(app, ["train", "--data", str(tmp_path / "none.csv"), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("claimex: error: [E044] ") and "none.csv: cannot read the file" in result.stderr


def test_predict_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["predict", "Kratom may cause addiction.", "Kratom is a plant."])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["rules"], r["model"]) for r in rows] == [
        ("Kratom may cause addiction.", 2, None), ("Kratom is a plant.", 0, None)]
    assert [r["cue"] for r in rows[0]["relations"]] == ["causal verb"]
    result = runner.invoke(app, ["predict", "x", "--strength-model", str(tmp_path / "none.json")])
    assert result.exit_code == 1 and "[E044]" in result.stderr


def test_help_imports_neither_spacy_nor_sklearn():
    import subprocess
    import sys

    code = ("import sys, claimex.cli.strength as s; from typer.testing import CliRunner; "
            "r = CliRunner().invoke(s.app, ['train', '--help']); assert r.exit_code == 0; "
            "print(sorted(m for m in ('spacy', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
