"""claimex.evaluate: gold records, scoring a processed folder, the Markdown and JSON outputs."""

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimex.store import tables
from claimex.errors import ClaimexError
from claimex.evaluate import (
    GoldError,
    Predictions,
    check_spans,
    evaluate,
    format_report,
    load_gold,
    parse_gold_record,
    score,
    score_predictions,
    write_json,
)
from claimex.ingest import text_digest


# A three-sentence document used by the hand-made cases.
TEXT = "Kratom relieves pain and fatigue. It may cause nausea. It is not addictive."
DOC_ID = text_digest(TEXT)[0]
S0 = (0, TEXT.index(". It may") + 1)           # "Kratom relieves pain and fatigue."
S1 = (TEXT.index("It may"), TEXT.index(". It is") + 1)
S2 = (TEXT.index("It is"), len(TEXT))


def span(surface, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(surface, start + 1)
    return start, start + len(surface)


def ent(surface, label, canonical, nth=0):
    s, e = span(surface, nth)
    return {"start": s, "end": e, "text": surface, "label": label, "canonical": canonical}


def claim(sent, subject, predicate, obj, polarity="affirmed", certainty="asserted"):
    return {"sentence_start": sent[0], "sentence_end": sent[1], "subject": subject, "predicate": predicate,
            "object": obj, "polarity": polarity, "hedged": certainty != "asserted", "certainty": certainty}


def flag(sent, subject, predicate, obj, kind):
    return {"claim": {"subject": subject, "predicate": predicate, "object": obj, "sentence_start": sent[0]},
            "flag": kind}


def record(entities=(), claims=(), flags=(), doc_id=DOC_ID):
    return {"doc_id": doc_id, "source": "doc.txt", "entities": list(entities), "claims": list(claims),
            "flags": list(flags)}


GOLD_CLAIMS = [
    claim(S0, "kratom", "TREATS", "pain"),
    claim(S0, "kratom", "TREATS", "fatigue"),
    claim(S1, "kratom", "CAUSES", "nausea", certainty="possible"),
    claim(S2, "kratom", "CAUSES", "addiction", polarity="negated"),
]
GOLD_FLAGS = [
    flag(S0, "kratom", "TREATS", "pain", "unsupported"),
    flag(S1, "kratom", "CAUSES", "nausea", "hedged"),
    flag(S2, "kratom", "CAUSES", "addiction", "contradicted"),
]


def pclaim(cid, sent, subject, predicate, obj, polarity="affirmed", certainty="asserted"):
    return {"claim_id": f"{DOC_ID}-c{cid:04d}", "doc_id": DOC_ID, "start": sent[0], "end": sent[1],
            "subject": subject, "predicate": predicate, "object": obj, "polarity": polarity,
            "hedged": certainty != "asserted", "certainty": certainty}


PRED_CLAIMS = [
    pclaim(0, S0, "kratom", "TREATS", "pain"),                             # match
    pclaim(1, S1, "kratom", "CAUSES", "nausea"),                           # match, hedging missed
    pclaim(2, S2, "kratom", "CAUSES", "addiction"),                        # match, polarity wrong
    pclaim(3, S2, "kratom", "CAUSES", "nausea"),                           # wrong sentence: spurious
    pclaim(4, S0, "kratom", "CAUSES", "pain"),                             # spurious
]
PRED_FLAGS = [
    {"claim_id": f"{DOC_ID}-c0001", "doc_id": DOC_ID, "flag": "hedged"},
    {"claim_id": f"{DOC_ID}-c0002", "doc_id": DOC_ID, "flag": "contradicted"},
    {"claim_id": f"{DOC_ID}-c0000", "doc_id": DOC_ID, "flag": "hedged"},
    {"claim_id": f"{DOC_ID}-c9999", "doc_id": DOC_ID, "flag": "unsupported"},  # unknown claim
]


def claims_case():
    gold = [parse_gold_record(record(claims=GOLD_CLAIMS, flags=GOLD_FLAGS))]
    preds = Predictions(doc_ids={DOC_ID}, claims=[dict(c) for c in PRED_CLAIMS],
                        flags=[dict(f) for f in PRED_FLAGS], texts={DOC_ID: TEXT})
    return gold, preds


# ---------------------------------------------------------------------------
# entities


def entity_case():
    text = "Kratom relieves chronic pain, fatigue and stiffness."
    doc_id = text_digest(text)[0]

    def e(surface, label, canonical):
        s = text.index(surface)
        return {"start": s, "end": s + len(surface), "text": surface, "label": label, "canonical": canonical}

    gold = [parse_gold_record(record(doc_id=doc_id, entities=[
        e("Kratom", "SUBSTANCE", "kratom"),
        e("chronic pain", "CONDITION", "chronic pain"),
        e("fatigue", "CONDITION", "fatigue"),
        e("stiffness", "CONDITION", "stiffness"),
    ]))]
    preds = Predictions(doc_ids={doc_id}, texts={doc_id: text}, entities=[
        dict(e("chronic pain", "CONDITION", "chronic pain"), doc_id=doc_id),           # exact
        dict(e("fatigue and stiffness", "CONDITION", "fatigue"), doc_id=doc_id),       # overlaps two golds
        dict(e("Kratom", "ALKALOID", "kratom"), doc_id=doc_id),                        # wrong label
    ])
    return gold, preds


def test_entity_scores_exact_and_lenient():
    gold, preds = entity_case()
    ents = score_predictions(gold, preds)["entities"]
    cond = ents["exact"]["labels"]["CONDITION"]
    assert (cond["gold"], cond["predicted"], cond["tp"]) == (3, 2, 1)
    assert cond["precision"] == 0.5
    assert cond["recall"] == pytest.approx(1 / 3)
    assert cond["f1"] == pytest.approx(0.4)
    lenient = ents["lenient"]["labels"]["CONDITION"]
    assert (lenient["tp"], lenient["precision"], lenient["f1"]) == (2, 1.0, pytest.approx(0.8))
    assert lenient["recall"] == pytest.approx(2 / 3)
    assert ents["exact"]["labels"]["SUBSTANCE"] == {"gold": 1, "predicted": 0, "tp": 0, "precision": None,
                                                    "recall": 0.0, "f1": 0.0}
    assert ents["exact"]["labels"]["ALKALOID"] == {"gold": 0, "predicted": 1, "tp": 0, "precision": 0.0,
                                                   "recall": None, "f1": 0.0}
    assert ents["exact"]["labels"]["DOSE"]["f1"] is None
    assert list(ents["exact"]["labels"]) == ["SUBSTANCE", "ALKALOID", "CONDITION", "SIDE_EFFECT", "DOSE",
                                             "RECEPTOR", "EFFECT", "THERAPY", "GENERIC"]
    micro = ents["exact"]["micro"]
    assert (micro["gold"], micro["predicted"], micro["tp"]) == (4, 3, 1)
    assert micro["precision"] == pytest.approx(1 / 3)
    assert micro["recall"] == 0.25
    assert micro["f1"] == pytest.approx(2 / 7)
    assert ents["lenient"]["micro"]["tp"] == 2


def test_entity_details_list_missed_and_spurious():
    gold, preds = entity_case()
    det = score_predictions(gold, preds, details=True)["details"]["entities"]
    assert [(m["text"], m["label"]) for m in det["missed"]] == [("Kratom", "SUBSTANCE"), ("fatigue", "CONDITION"),
                                                                 ("stiffness", "CONDITION")]
    assert [(m["text"], m["label"]) for m in det["spurious"]] == [("Kratom", "ALKALOID"),
                                                                   ("fatigue and stiffness", "CONDITION")]


def test_details_quote_gold_spans_from_the_stored_text_and_print_in_the_report():
    gold, preds = entity_case()
    doc_id = gold[0].doc_id
    text = preds.texts[doc_id]
    spans = [("Kratom", "SUBSTANCE", "kratom"), ("chronic pain", "CONDITION", "chronic pain"),
             ("fatigue", "CONDITION", "fatigue"), ("stiffness", "CONDITION", "stiffness")]
    # gold files carry offsets only, no text
    gold = [parse_gold_record(record(doc_id=doc_id, entities=[
        {"start": text.index(w), "end": text.index(w) + len(w), "label": lab, "canonical": c} for w, lab, c in spans]))]
    scores = score_predictions(gold, preds, details=True)
    missed = scores["details"]["entities"]["missed"]
    assert [m["text"] for m in missed] == ["Kratom", "fatigue", "stiffness"]
    report = format_report(scores)
    assert "### Entities missed (3)" in report and "### Entities spurious (2)" in report
    assert "| CONDITION | fatigue and stiffness | fatigue and stiffness |" not in report
    assert "| CONDITION | fatigue | fatigue |" in report
    assert "### Claims missed (0)" in report
    assert "## Details" not in format_report(score_predictions(gold, preds))


def test_no_predictions():
    gold, _ = entity_case()
    doc_id = gold[0].doc_id
    scores = score_predictions(gold, Predictions(doc_ids={doc_id}))
    assert scores["micro"]["entities"] == {"gold": 4, "predicted": 0, "tp": 0, "precision": None,
                                           "recall": 0.0, "f1": 0.0}
    assert scores["micro"]["claims"] == {"gold": 0, "predicted": 0, "tp": 0, "precision": None,
                                         "recall": None, "f1": None}
    assert scores["documents"] == {"gold": 1, "found": 1, "missing": []}
    missing = score_predictions(gold, Predictions(doc_ids=set()))
    assert missing["documents"] == {"gold": 1, "found": 0, "missing": [doc_id]}


def test_predictions_for_other_documents_are_ignored():
    gold, preds = entity_case()
    preds.entities.append({"doc_id": "ffffffffffffffff", "start": 0, "end": 6, "text": "Kratom",
                           "label": "SUBSTANCE", "canonical": "kratom"})
    assert score_predictions(gold, preds)["micro"]["entities"]["predicted"] == 3


# ---------------------------------------------------------------------------
# claims and flags


def test_claim_scores_per_predicate():
    gold, preds = claims_case()
    cl = score_predictions(gold, preds)["claims"]
    assert cl["predicates"]["TREATS"] == {"gold": 2, "predicted": 1, "tp": 1, "precision": 1.0,
                                          "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert cl["predicates"]["CAUSES"] == {"gold": 2, "predicted": 4, "tp": 2, "precision": 0.5,
                                          "recall": 1.0, "f1": pytest.approx(2 / 3)}
    assert cl["predicates"]["DOSAGE"]["f1"] is None
    assert cl["micro"] == {"gold": 4, "predicted": 5, "tp": 3, "precision": 0.6, "recall": 0.75,
                           "f1": pytest.approx(2 / 3)}
    assert cl["micro_with_polarity"] == {"gold": 4, "predicted": 5, "tp": 2, "precision": 0.4, "recall": 0.5,
                                         "f1": pytest.approx(4 / 9)}


def test_confusion_tables():
    gold, preds = claims_case()
    cl = score_predictions(gold, preds)["claims"]
    assert cl["polarity"] == {"labels": ["affirmed", "negated"],
                              "matrix": {"affirmed": {"affirmed": 2, "negated": 0},
                                         "negated": {"affirmed": 1, "negated": 0}},
                              "n": 3, "accuracy": pytest.approx(2 / 3)}
    assert cl["hedged"]["matrix"] == {"true": {"true": 0, "false": 1}, "false": {"true": 0, "false": 2}}
    assert cl["hedged"]["accuracy"] == pytest.approx(2 / 3)
    assert cl["certainty"]["matrix"]["possible"] == {"asserted": 1, "probable": 0, "possible": 0, "speculative": 0}
    assert cl["certainty"]["matrix"]["asserted"]["asserted"] == 2


def test_claim_matches_when_sentence_boundaries_differ():
    gold, preds = claims_case()
    # the segmenter joined the first two sentences: still overlaps the gold sentence
    preds.claims = [dict(PRED_CLAIMS[0], start=S0[0], end=S1[1])]
    assert score_predictions(gold, preds)["claims"]["predicates"]["TREATS"]["tp"] == 1
    preds.claims = [dict(PRED_CLAIMS[0], start=S1[0], end=S1[1])]
    assert score_predictions(gold, preds)["claims"]["predicates"]["TREATS"]["tp"] == 0


def test_matching_prefers_the_same_polarity():
    gold = [parse_gold_record(record(claims=[claim(S2, "kratom", "CAUSES", "addiction", polarity="negated")]))]
    preds = Predictions(doc_ids={DOC_ID}, claims=[
        pclaim(0, S2, "kratom", "CAUSES", "addiction", polarity="affirmed"),
        pclaim(1, S2, "kratom", "CAUSES", "addiction", polarity="negated"),
    ])
    cl = score_predictions(gold, preds)["claims"]
    assert cl["micro"]["tp"] == 1 and cl["micro"]["predicted"] == 2
    assert cl["micro_with_polarity"]["tp"] == 1
    assert cl["polarity"]["matrix"]["negated"] == {"affirmed": 0, "negated": 1}


def test_flag_scores():
    gold, preds = claims_case()
    fl = score_predictions(gold, preds)["flags"]
    assert fl["kinds"]["hedged"] == {"gold": 1, "predicted": 2, "tp": 1, "precision": 0.5, "recall": 1.0,
                                     "f1": pytest.approx(2 / 3)}
    assert fl["kinds"]["contradicted"] == {"gold": 1, "predicted": 1, "tp": 1, "precision": 1.0, "recall": 1.0,
                                           "f1": 1.0}
    assert fl["kinds"]["unsupported"] == {"gold": 1, "predicted": 1, "tp": 0, "precision": 0.0, "recall": 0.0,
                                          "f1": 0.0}
    assert fl["kinds"]["overstated"]["precision"] is None
    assert fl["micro"] == {"gold": 3, "predicted": 4, "tp": 2, "precision": 0.5, "recall": pytest.approx(2 / 3),
                           "f1": pytest.approx(4 / 7)}


def test_scores_do_not_depend_on_row_order():
    gold, preds = claims_case()
    first = score_predictions(gold, preds, details=True)
    preds.claims.reverse()
    preds.flags.reverse()
    assert score_predictions(gold, preds, details=True) == first


# ---------------------------------------------------------------------------
# reading the processed folder


def write_processed(folder: Path, text=TEXT, doc_id=DOC_ID, flags=True):
    folder.mkdir(parents=True, exist_ok=True)
    tables.write_table(folder, "documents", [{
        "doc_id": doc_id, "source": "doc.txt", "sources": ["doc.txt"], "format": "txt", "title": None,
        "url": None, "n_chars": len(text), "n_words": len(text.split()), "n_sentences": 3,
        "content_sha256": "0" * 64, "text": text}])
    ents = [("Kratom", "SUBSTANCE", "kratom"), ("pain", "CONDITION", "pain"), ("nausea", "SIDE_EFFECT", "nausea")]
    tables.write_table(folder, "entities", [{
        "doc_id": doc_id, "sent_id": f"{doc_id}-s0000", "ent_id": f"{doc_id}-e{i:04d}",
        "start_char": span(s)[0], "end_char": span(s)[1], "text": s, "label": lab, "canonical": can,
        "match": "lexicon", "dose_min": None, "dose_max": None, "dose_unit": None, "dose_period": None}
        for i, (s, lab, can) in enumerate(ents)])
    tables.write_table(folder, "claims", [{
        "claim_id": c["claim_id"], "doc_id": doc_id, "sent_id": f"{doc_id}-s0000", "start_char": c["start"],
        "end_char": c["end"], "text": TEXT[c["start"]:c["end"]], "subject": c["subject"],
        "predicate": c["predicate"], "object": c["object"], "subject_text": "Kratom", "object_text": c["object"],
        "subject_ent_id": None, "object_ent_id": None, "polarity": c["polarity"], "hedged": c["hedged"],
        "hedge_cues": [], "certainty": c["certainty"], "attribution": "author", "evidence": "none",
        "qualifiers": [], "dose_min": None, "dose_max": None, "dose_unit": None, "dose_period": None,
        "claim_key": f"{c['subject']}|{c['predicate']}|{c['object']}"} for c in PRED_CLAIMS])
    if flags:
        tables.write_table(folder, "flags", [{
            "flag_id": f"{i:016x}", "claim_id": f["claim_id"], "doc_id": doc_id, "sent_id": f"{doc_id}-s0000",
            "claim_key": "k", "flag": f["flag"], "reason": "r", "related_claim_ids": [], "related_doc_ids": [],
            "severity": "low", "score": 0.5} for i, f in enumerate(PRED_FLAGS)])


def gold_for_parquet():
    return [parse_gold_record(record(
        entities=[ent("Kratom", "SUBSTANCE", "kratom"), ent("pain", "CONDITION", "pain"),
                  ent("fatigue", "CONDITION", "fatigue"), ent("nausea", "SIDE_EFFECT", "nausea")],
        claims=GOLD_CLAIMS, flags=GOLD_FLAGS))]


def test_score_reads_parquet_tables(tmp_path):
    write_processed(tmp_path / "out")
    scores = score(gold_for_parquet(), tmp_path / "out")
    assert scores["micro"]["entities"] == {"gold": 4, "predicted": 3, "tp": 3, "precision": 1.0, "recall": 0.75,
                                           "f1": pytest.approx(6 / 7)}
    assert scores["micro"]["claims"]["tp"] == 3
    assert scores["claims"]["polarity"]["matrix"]["negated"] == {"affirmed": 1, "negated": 0}
    assert scores["micro"]["flags"] == {"gold": 3, "predicted": 4, "tp": 2, "precision": 0.5,
                                        "recall": pytest.approx(2 / 3), "f1": pytest.approx(4 / 7)}


def test_missing_table_is_named(tmp_path):
    write_processed(tmp_path / "out", flags=False)
    with pytest.raises(ClaimexError, match=r"\[E032\] .*out is not a claimex output folder: flags.parquet"):
        score(gold_for_parquet(), tmp_path / "out")


def test_table_without_a_needed_column(tmp_path):
    write_processed(tmp_path / "out")
    pq.write_table(pa.table({"claim_id": ["x"], "doc_id": [DOC_ID]}), tmp_path / "out" / "flags.parquet")
    with pytest.raises(ClaimexError, match=r"\[E088\] .*flags.parquet: cannot use this table for evaluation "
                                           r"\(no column\(s\) flag\)"):
        score(gold_for_parquet(), tmp_path / "out")


def test_folder_without_the_gold_documents(tmp_path):
    write_processed(tmp_path / "out", doc_id="ffffffffffffffff")
    with pytest.raises(ClaimexError, match=r"\[E089\] None of the 1 gold documents \(doc.txt, \.\.\.\) is in "):
        score(gold_for_parquet(), tmp_path / "out")


def test_gold_span_that_does_not_match_the_stored_text(tmp_path):
    write_processed(tmp_path / "out", text=TEXT.replace("Kratom", "Kratum"))
    with pytest.raises(GoldError, match=r"\[E087\] <gold>: line 0: entity 0-6 is 'Kratom' in the gold file "
                                        r"but 'Kratum' in the stored text"):
        score(gold_for_parquet(), tmp_path / "out")


# ---------------------------------------------------------------------------
# output


def test_format_report_tables():
    gold, preds = entity_case()
    md = format_report(score_predictions(gold, preds))
    lines = md.splitlines()
    assert lines[0] == "# claimex evaluation"
    assert "1 gold documents, 1 found in the processed folder (missing: none)." in lines
    assert "| CONDITION | 3 | 2 | 1 | 0.500 | 0.333 | 0.400 | 2 | 1.000 | 0.667 | 0.800 |" in lines
    assert "| SUBSTANCE | 1 | 0 | 0 | – | 0.000 | 0.000 | 0 | – | 0.000 | 0.000 |" in lines
    assert "| entities (exact) | 4 | 3 | 1 | 0.333 | 0.250 | 0.286 |" in lines
    assert "| claims | 0 | 0 | 0 | – | – | – |" in lines
    flags = md[md.index("## Flags"):]
    assert "| **micro** | 0 | 0 | 0 | – | – | – |" in flags.splitlines()
    # the flag measures follow the flags table (claimex.evaluate.flag_measures)
    assert md.endswith("| sentence | 0 | 0 | – |\n| paragraph | 0 | 0 | – |\n")
    assert "### Share of claims flagged" in flags


def test_format_report_confusion():
    gold, preds = claims_case()
    lines = format_report(score_predictions(gold, preds)).splitlines()
    i = lines.index("### Polarity")
    assert lines[i + 2] == "Over 3 matched claims; agreement 0.667."
    assert lines[i + 4:i + 8] == ["| gold \\ predicted | affirmed | negated |", "| --- | --- | --- |",
                                  "| affirmed | 2 | 0 |", "| negated | 1 | 0 |"]


def test_write_json_and_evaluate(tmp_path):
    write_processed(tmp_path / "out")
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps(record(
        entities=[ent("Kratom", "SUBSTANCE", "kratom")], claims=GOLD_CLAIMS, flags=GOLD_FLAGS)) + "\n",
        encoding="utf-8")
    scores, md = evaluate(gold_file, tmp_path / "out", json_path=tmp_path / "eval.json")
    assert json.loads((tmp_path / "eval.json").read_text(encoding="utf-8")) == json.loads(json.dumps(scores))
    assert scores["micro"]["entities"]["tp"] == 1
    assert md == format_report(scores)
    write_json(scores, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "eval.json").read_bytes()


# ---------------------------------------------------------------------------
# gold file validation


def write_lines(tmp_path, *lines):
    path = tmp_path / "bad.gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps(record(claims=GOLD_CLAIMS, flags=GOLD_FLAGS))


@pytest.mark.parametrize("bad, pattern", [
    ("{not json", r"\[E081\] .*bad.gold.jsonl: line 2: malformed JSON"),
    (json.dumps(record(entities=[dict(ent("pain", "CONDITION", "pain"), label="SYMPTOM")], doc_id="a" * 16)),
     r"\[E083\] .*bad.gold.jsonl: line 2: entities\[0\].label is 'SYMPTOM', which is not one of SUBSTANCE, "),
    (json.dumps(record(entities=[dict(ent("pain", "CONDITION", "pain"), text="pains")], doc_id="a" * 16)),
     r"\[E082\] .*line 2: invalid gold record: entities\[0\].text 'pains' has 5 characters but the span"),
    (json.dumps(record(claims=[dict(claim(S0, "kratom", "TREATS", "pain"), hedged=True)], doc_id="a" * 16)),
     r"\[E082\] .*line 2: invalid gold record: claims\[0\] has hedged=true but certainty 'asserted'"),
    (json.dumps(record(flags=[flag(S0, "kratom", "TREATS", "pain", "hedged")], doc_id="a" * 16)),
     r"\[E085\] .*line 2: flags\[0\] names a claim that the record does not have: kratom TREATS pain"),
    (json.dumps(dict(record(doc_id="a" * 16), extra=1)),
     r"\[E082\] .*line 2: invalid gold record: the record has unknown field\(s\) 'extra'"),
    (json.dumps(record(doc_id="0B499BB038D65974")), r"\[E082\] .*line 2: .*doc_id must be 16 lower-case hex"),
    (GOOD, r"\[E084\] .*line 2: doc_id '" + DOC_ID + "' is annotated twice \\(first on line 1\\)"),
])
def test_bad_gold_line_names_file_and_line(tmp_path, bad, pattern):
    path = write_lines(tmp_path, GOOD, bad)
    with pytest.raises(GoldError, match=pattern):
        load_gold(path)


def test_empty_and_missing_gold_files(tmp_path):
    with pytest.raises(GoldError, match=r"\[E086\] .*bad.gold.jsonl: the gold file has no records"):
        load_gold(write_lines(tmp_path, "", "  "))
    with pytest.raises(GoldError, match=r"\[E080\] .*nothing.jsonl: cannot read the gold file"):
        load_gold(tmp_path / "nothing.jsonl")


def test_gold_flags_take_the_sentence_end_of_their_claim(tmp_path):
    doc = load_gold(write_lines(tmp_path, GOOD))[0]
    assert doc.line == 1 and doc.path.endswith("bad.gold.jsonl")
    assert [(f.flag, f.sentence_start, f.sentence_end) for f in doc.flags] == [
        ("unsupported", S0[0], S0[1]), ("hedged", S1[0], S1[1]), ("contradicted", S2[0], S2[1])]


# ---------------------------------------------------------------------------
# gold on third-party text: offsets only, layers, a folder of gold files


def test_entities_without_text_are_scored_from_the_stored_text():
    s, e = span("nausea")
    gold = [parse_gold_record(record(entities=[{"start": s, "end": e, "label": "SIDE_EFFECT",
                                                "canonical": "nausea"}]))]
    assert gold[0].entities[0].text is None
    preds = Predictions(doc_ids={DOC_ID}, texts={DOC_ID: TEXT}, entities=[
        {"doc_id": DOC_ID, "start": s, "end": e, "text": "nausea", "label": "SIDE_EFFECT", "canonical": "nausea"}])
    scores = score_predictions(gold, preds, details=True)
    assert scores["micro"]["entities"]["tp"] == 1
    # an offset past the end of the stored text is a stale gold record
    stale = parse_gold_record(record(entities=[{"start": len(TEXT), "end": len(TEXT) + 3, "label": "SUBSTANCE",
                                                "canonical": "kratom"}]))
    with pytest.raises(GoldError, match="E087"):
        check_spans(stale, TEXT)


def test_generic_words_are_scored_apart_from_the_headline():
    s, e = span("Kratom")
    g = [parse_gold_record(record(entities=[ent("Kratom", "SUBSTANCE", "kratom"),
                                            ent("nausea", "GENERIC", "side effects")]))]
    preds = Predictions(doc_ids={DOC_ID}, texts={DOC_ID: TEXT}, entities=[
        {"doc_id": DOC_ID, "start": s, "end": e, "text": "Kratom", "label": "SUBSTANCE", "canonical": "kratom"},
        {"doc_id": DOC_ID, "start": 7, "end": 15, "text": "relieves", "label": "GENERIC", "canonical": "x"}])
    scores = score_predictions(g, preds)
    assert scores["micro"]["entities"] == {"gold": 1, "predicted": 1, "tp": 1, "precision": 1.0,
                                           "recall": 1.0, "f1": 1.0}
    generic = scores["entities"]["exact"]["labels"]["GENERIC"]
    assert (generic["gold"], generic["predicted"], generic["tp"]) == (1, 1, 0)


def test_layers_limit_what_is_scored():
    rec = record(entities=[ent("Kratom", "SUBSTANCE", "kratom")])
    rec["layers"] = ["entities"]
    gold = [parse_gold_record(rec)]
    assert gold[0].layers == ("entities",)
    preds = Predictions(doc_ids={DOC_ID}, texts={DOC_ID: TEXT}, claims=[dict(c) for c in PRED_CLAIMS])
    scores = score_predictions(gold, preds)
    # claims predicted in a document whose claims were not annotated are not counted
    assert scores["micro"]["claims"]["predicted"] == 0
    bad = record(claims=GOLD_CLAIMS)
    bad["layers"] = ["entities"]
    with pytest.raises(GoldError, match="'claims' has items but 'layers' leaves it out"):
        parse_gold_record(bad)
    unknown = record()
    unknown["layers"] = ["entities", "tokens"]
    with pytest.raises(GoldError, match="E083"):
        parse_gold_record(unknown)


def test_a_claims_only_record_ignores_the_predicted_entities():
    # (the held-out gold of tests/gold/web-dev-heldout/ is claims only; its entities live in the dev gold)
    rec = record(claims=GOLD_CLAIMS)
    rec["layers"] = ["claims"]
    gold = [parse_gold_record(rec)]
    s, e = span("Kratom")
    preds = Predictions(doc_ids={DOC_ID}, texts={DOC_ID: TEXT}, claims=[dict(c) for c in PRED_CLAIMS], entities=[
        {"doc_id": DOC_ID, "start": s, "end": e, "text": "Kratom", "label": "SUBSTANCE", "canonical": "kratom"}])
    scores = score_predictions(gold, preds)
    assert scores["micro"]["entities"] == {"gold": 0, "predicted": 0, "tp": 0, "precision": None,
                                           "recall": None, "f1": None}
    assert (scores["micro"]["claims"]["gold"], scores["micro"]["claims"]["predicted"],
            scores["micro"]["claims"]["tp"]) == (4, 5, 3)


def test_a_gold_folder_reads_every_file_and_rejects_a_document_twice(tmp_path):
    other = "Ginger eases nausea."
    other_id = text_digest(other)[0]
    (tmp_path / "a.jsonl").write_text(json.dumps(record()) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(record(doc_id=other_id)) + "\n", encoding="utf-8")
    docs = load_gold(tmp_path)
    assert [d.doc_id for d in docs] == [DOC_ID, other_id]
    (tmp_path / "c.jsonl").write_text(json.dumps(record()) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="E084"):
        load_gold(tmp_path)
    with pytest.raises(GoldError, match="E086"):
        load_gold(tmp_path / "empty-dir-does-not-exist-yet" if False else _empty_dir(tmp_path))


def _empty_dir(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    return d
