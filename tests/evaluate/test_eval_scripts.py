"""Scoring functions of the benchmark scripts (benchmarks/eval_*.py) on tiny hand-made inputs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
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


# --------------------------------------------------------------------------- evaluate_all: webdev part


@pytest.fixture(scope="module")
def ev():
    return _load("evaluate_all")


WEB_A = "Kratom eased my back pain. Take 2 grams daily. Kratom does not cause addiction."
WEB_B = ("Turmeric may reduce inflammation at 500 mg. Fish oil is not a cure for arthritis. "
         "Other supplements help with 2 cups of tea.")


def _sents(text):
    out, start = [], 0
    for part in text.split(". "):
        end = start + len(part) + (0 if part.endswith(".") else 1)
        out.append((start, end))
        start = end + 1
    return out


def _at(text, surface, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def _webdev_case(tmp_path):
    """Two tiny articles (kratom/ and general/), their gold and a hand-made processed folder."""
    from claimex.store import tables
    from claimex.evaluate import parse_gold_record
    from claimex.ingest import text_digest

    ids = {"a": text_digest(WEB_A)[0], "b": text_digest(WEB_B)[0]}
    texts = {"a": WEB_A, "b": WEB_B}
    sa, sb = _sents(WEB_A), _sents(WEB_B)

    def gent(k, surface, label, canonical, nth=0):  # offsets only, as in the web-dev gold
        s, e = _at(texts[k], surface, nth)
        return {"start": s, "end": e, "label": label, "canonical": canonical}

    def gclaim(sent, subject, predicate, obj, polarity="affirmed", certainty="asserted"):
        return {"sentence_start": sent[0], "sentence_end": sent[1], "subject": subject, "predicate": predicate,
                "object": obj, "polarity": polarity, "hedged": certainty != "asserted", "certainty": certainty}

    gold = [
        parse_gold_record({"doc_id": ids["a"], "source": "kratom/a.txt", "layers": ["entities", "claims"], "flags": [],
                           "entities": [gent("a", "Kratom", "SUBSTANCE", "kratom"),
                                        gent("a", "back pain", "CONDITION", "back pain"),
                                        gent("a", "2 grams daily", "DOSE", "2 g daily"),
                                        gent("a", "Kratom", "SUBSTANCE", "kratom", 1),
                                        gent("a", "addiction", "SIDE_EFFECT", "addiction")],
                           "claims": [gclaim(sa[0], "kratom", "TREATS", "back pain"),
                                      gclaim(sa[2], "kratom", "CAUSES", "addiction", "negated")]}),
        parse_gold_record({"doc_id": ids["b"], "source": "general/b.txt", "layers": ["entities", "claims"],
                           "flags": [],
                           "entities": [gent("b", "Turmeric", "SUBSTANCE", "turmeric"),
                                        gent("b", "inflammation", "CONDITION", "inflammation"),
                                        gent("b", "500 mg", "DOSE", "500 mg"),
                                        gent("b", "Fish oil", "SUBSTANCE", "fish oil"),
                                        gent("b", "arthritis", "CONDITION", "arthritis"),
                                        gent("b", "supplements", "GENERIC", "supplements")],
                           "claims": [gclaim(sb[0], "turmeric", "TREATS", "inflammation", certainty="possible"),
                                      gclaim(sb[1], "fish oil", "TREATS", "arthritis", "negated")]}),
    ]
    pred_ents = [  # (doc, surface, nth, label, canonical)
        ("a", "Kratom", 0, "SUBSTANCE", "kratom"), ("a", "pain", 0, "CONDITION", "back pain"),  # lenient only
        ("a", "2 grams", 0, "DOSE", "2 g"),  # lenient only
        ("a", "Kratom", 1, "SUBSTANCE", "kratom"), ("a", "addiction", 0, "SIDE_EFFECT", "addiction"),
        ("b", "Turmeric", 0, "SUBSTANCE", "turmeric"), ("b", "inflammation", 0, "CONDITION", "inflammation"),
        ("b", "500 mg", 0, "DOSE", "500 mg"), ("b", "Fish oil", 0, "SUBSTANCE", "fish oil"),
        ("b", "2 cups", 0, "DOSE", "2 cups"),  # matches no gold entity; arthritis is missed
        ("b", "supplements", 0, "GENERIC", "supplements"),
    ]
    pred_claims = [  # (doc, sentence, subject, predicate, object, polarity, certainty)
        ("a", sa[0], "kratom", "TREATS", "back pain", "affirmed", "possible"),  # match; hedged disagrees
        ("a", sa[2], "kratom", "CAUSES", "addiction", "negated", "asserted"),  # match; negated right
        ("a", sa[1], "kratom", "DOSAGE", "2 g", "affirmed", "asserted"),  # spurious
        ("b", sb[0], "turmeric", "TREATS", "inflammation", "affirmed", "possible"),  # match
        ("b", sb[1], "fish oil", "TREATS", "arthritis", "affirmed", "asserted"),  # match; polarity wrong
        ("b", sb[1], "fish oil", "CAUSES", "arthritis", "negated", "asserted"),  # spurious, negated
    ]
    out = tmp_path / "out"
    out.mkdir()
    tables.write_table(out, "documents", [{
        "doc_id": ids[k], "source": f"{k}.txt", "sources": [f"{k}.txt"], "format": "txt", "title": None,
        "url": None, "n_chars": len(t), "n_words": len(t.split()), "n_sentences": 3, "content_sha256": "0" * 64,
        "text": t} for k, t in texts.items()])
    tables.write_table(out, "entities", [{
        "doc_id": ids[k], "sent_id": f"{ids[k]}-s0000", "ent_id": f"{ids[k]}-e{i:04d}",
        "start_char": _at(texts[k], s, n)[0], "end_char": _at(texts[k], s, n)[1], "text": s, "label": lab,
        "canonical": can, "match": "lexicon", "dose_min": None, "dose_max": None, "dose_unit": None,
        "dose_period": None} for i, (k, s, n, lab, can) in enumerate(pred_ents)])
    tables.write_table(out, "claims", [{
        "claim_id": f"{ids[k]}-c{i:04d}", "doc_id": ids[k], "sent_id": f"{ids[k]}-s0000", "start_char": sent[0],
        "end_char": sent[1], "text": texts[k][sent[0]:sent[1]], "subject": subj, "predicate": pred, "object": obj,
        "subject_text": subj, "object_text": obj, "subject_ent_id": None, "object_ent_id": None,
        "polarity": pol, "hedged": cert != "asserted", "hedge_cues": [], "certainty": cert,
        "attribution": "author", "evidence": "none", "qualifiers": [], "dose_min": None, "dose_max": None,
        "dose_unit": None, "dose_period": None, "claim_key": f"{subj}|{pred}|{obj}"}
        for i, (k, sent, subj, pred, obj, pol, cert) in enumerate(pred_claims)])
    tables.write_table(out, "flags", [])
    return gold, out


def test_webdev_scores_per_slice(ev, tmp_path):
    gold, out = _webdev_case(tmp_path)
    w = ev.webdev_scores(gold, out)
    assert list(w["slices"]) == ["kratom", "general", "all"]
    k, g, a = (w["slices"][n] for n in ("kratom", "general", "all"))
    assert k["documents"] == {"gold": 1, "found": 1, "with_claims": 1, "missing": []}
    # entities: GENERIC is left out of the headline
    assert k["scores"]["micro"]["entities"] == {"gold": 5, "predicted": 5, "tp": 3, "precision": 0.6,
                                                "recall": 0.6, "f1": pytest.approx(0.6)}
    assert k["scores"]["micro"]["entities_lenient"]["f1"] == 1.0
    assert g["scores"]["micro"]["entities"]["tp"] == 4 and g["scores"]["micro"]["entities_lenient"]["tp"] == 4
    assert (a["scores"]["micro"]["entities"]["tp"], a["scores"]["micro"]["entities_lenient"]["tp"]) == (7, 9)
    assert a["scores"]["entities"]["lenient"]["labels"]["GENERIC"]["tp"] == 1
    assert a["scores"]["entities"]["lenient"]["labels"]["CONDITION"]["recall"] == pytest.approx(2 / 3)
    # doses: exact recall and the share of predicted DOSE overlapping no gold DOSE
    assert (k["dose"]["exact_recall"], k["dose"]["unmatched_share"]) == (0.0, 0.0)
    assert (g["dose"]["exact_recall"], g["dose"]["unmatched_share"]) == (1.0, 0.5)
    assert (a["dose"]["exact_tp"], a["dose"]["gold"], a["dose"]["unmatched_predicted"], a["dose"]["predicted"]) == (
        1, 2, 1, 3)
    # claims
    assert k["scores"]["micro"]["claims"] == {"gold": 2, "predicted": 3, "tp": 2, "precision": pytest.approx(2 / 3),
                                              "recall": 1.0, "f1": pytest.approx(0.8)}
    assert a["scores"]["claims"]["predicates"]["TREATS"]["tp"] == 3
    assert a["scores"]["claims"]["predicates"]["DOSAGE"] == {"gold": 0, "predicted": 1, "tp": 0, "precision": 0.0,
                                                             "recall": None, "f1": 0.0}
    assert [x["polarity_agreement"]["accuracy"] for x in (k, g, a)] == [1.0, 0.5, 0.75]
    assert [x["hedged_agreement"]["accuracy"] for x in (k, g, a)] == [0.5, 1.0, 0.75]
    # negated-claim precision: matched predicted negated with negated gold / every predicted negated claim
    assert k["negated_precision"] == {"tp": 1, "matched_predicted_negated": 1, "unmatched_predicted_negated": 0,
                                      "predicted_negated": 1, "gold_negated": 1, "precision": 1.0}
    assert (g["negated_precision"]["tp"], g["negated_precision"]["predicted_negated"],
            g["negated_precision"]["precision"]) == (0, 1, 0.0)
    assert (a["negated_precision"]["precision"], a["negated_precision"]["gold_negated"]) == (0.5, 2)
    assert "details" not in a["scores"]

    md = ev.webdev_markdown(w)
    assert "| figure | kratom | general | all |" in md
    assert "| entities exact P / R / F1 | 0.600 / 0.600 / 0.600 | 0.800 / 0.800 / 0.800 | 0.700 / 0.700 / 0.700 |" in md
    assert "| negated-claim precision | 1.000 (1/1); gold negated 1 | 0.000 (0/1); gold negated 1 | " \
           "0.500 (1/2); gold negated 2 |" in md
    assert "| doses exact (DOSE exact recall) | 0.000 (0/1) | 1.000 (1/1) | 0.500 (1/2) |" in md
    assert "| predicted DOSE matching nothing | 0.000 (0/1) | 0.500 (1/2) | 0.333 (1/3) |" in md
    assert "| DOSE | 1.000 / 1.000 (1, 1) | 0.500 / 1.000 (1, 2) | 0.667 / 1.000 (2, 3) |" in md
    assert "| TREATS | 1.000 / 1.000 / 1.000 (1, 1) | 1.000 / 1.000 / 1.000 (2, 2) |" in md
    assert "Negated-claim\nprecision" in md

    res = {"args": {"quick": False, "limit": None}, "command": "x", "timings_s": {"total": 1.0},
           "webdev": dict(w, corpus="c")}
    full = ev.to_markdown(res)
    assert "## Real web articles (dev gold)" in full
    assert "| web-dev dev gold, general (1 articles, 1 with claims) |" in ev.summary_markdown(res)
    skipped = ev.to_markdown(dict(res, webdev={"corpus": "c", "skipped": "corpus folder(s) not found: c/kratom"}))
    assert "Skipped: corpus folder(s) not found: c/kratom." in skipped


def test_heldout_claims_gold_section(ev, tmp_path):
    from dataclasses import replace

    gold, out = _webdev_case(tmp_path)
    w = ev.webdev_scores(gold, out)
    # the held-out gold annotates claims only: the same records without their entities
    claims_only = [replace(d, entities=(), layers=("claims",)) for d in gold]
    h = dict(ev.webdev_scores(claims_only, out), gold="tests/gold/web-dev-heldout")
    a = h["slices"]["all"]
    assert a["scores"]["micro"]["entities"]["predicted"] == 0  # predicted entities are not scored there
    assert a["scores"]["micro"]["claims"] == w["slices"]["all"]["scores"]["micro"]["claims"]
    md = ev.webdev_markdown(h, claims_only=True)
    assert "| documents (claims annotated) | 1 (1) | 1 (1) | 2 (2) |" in md
    assert "| claims gold / predicted | 2 / 3 | 2 / 3 | 4 / 6 |" in md
    assert "| hedged agreement (matched) | 0.500 (n = 2) | 1.000 (n = 2) | 0.750 (n = 4) |" in md
    assert "entities" not in md and "DOSE" not in md and "Flags per kind" not in md
    assert "| TREATS | 1.000 / 1.000 / 1.000 (1, 1) | 1.000 / 1.000 / 1.000 (2, 2) |" in md
    res = {"args": {"quick": False, "limit": None}, "command": "x", "timings_s": {"total": 1.0},
           "webdev": dict(w, corpus="c", heldout=h)}
    full = ev.to_markdown(res)
    assert full.index("## Real web articles (dev gold)") < full.index("## Real web articles (held-out claims gold)")
    assert ("| web-dev held-out claims gold, all (2 articles) | same run vs tests/gold/web-dev-heldout (not tuned "
            "on) | claims P / R / F1 0.667 / 1.000 / 0.800, polarity agreement 0.750, hedged agreement 0.750, "
            "negated-claim P 0.500 | – |") in ev.summary_markdown(res)
    # without a held-out gold the dev section stands alone
    alone = dict(res, webdev=dict(w, corpus="c"))
    assert "held-out claims gold" not in ev.to_markdown(alone) + ev.summary_markdown(alone)


def test_default_corpus(ev):
    assert str(ev.default_corpus("../shared/benchmarks")) == "../shared/corpora/web-dev"


def test_webdev_slice_of_file_names(ev):
    assert ev.webdev_slice_of("d001-lighthouserecovery.txt") == "kratom"
    assert ev.webdev_slice_of("kratom/d060-nationaltribune.txt") == "kratom"
    assert ev.webdev_slice_of("d061-pacificcbdco.txt") == "general"
    assert ev.webdev_slice_of("README.md") is None


def test_flag_shares_count_flagged_claims_per_slice(ev, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"doc_id": ["a", "b"], "source": ["d002-x.txt", "d070-y.txt"]}),
                   tmp_path / "documents.parquet")
    pq.write_table(pa.table({"claim_id": ["a1", "a2", "b1"], "doc_id": ["a", "a", "b"]}),
                   tmp_path / "claims.parquet")
    pq.write_table(pa.table({"claim_id": ["a1", "a1", "b1"], "flag": ["hedged", "unsupported", "unsupported"]}),
                   tmp_path / "flags.parquet")
    shares = ev.flag_shares(tmp_path)
    assert shares["kratom"]["claims"] == 2
    assert shares["kratom"]["flagged"]["unsupported"] == 1
    assert shares["kratom"]["share"]["hedged"] == 0.5
    assert shares["general"]["share"]["unsupported"] == 1.0
    assert shares["all"]["flagged"] == {"hedged": 1, "contradicted": 0, "unsupported": 2, "overstated": 0}
