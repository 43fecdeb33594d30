"""The ontology lexicon (pipelines/lexicons/ontology.jsonl) and its merge with the curated lexicon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimex.nlp.lexicon import Lexicon, load_default_lexicon

ROOT = Path(__file__).resolve().parents[2]
LEXICONS = ROOT / "pipelines" / "lexicons"


def lex(*rows: dict, source: str = "<test>") -> Lexicon:
    return Lexicon.from_records(list(rows), source=source)


CURATED = lex(
    {"label": "SUBSTANCE", "canonical": "kratom", "terms": ["kratom", "Mitragyna speciosa"]},
    {"label": "CONDITION", "canonical": "muscle spasms", "terms": ["muscle spasm", "muscle cramp"],
     "group": "muscle tension"},
    {"label": "SIDE_EFFECT", "canonical": "liver injury", "terms": ["liver injury", "hepatotoxicity"]},
    {"label": "RECEPTOR", "canonical": "mu-opioid receptor", "terms": ["mu-opioid receptor"], "cased": ["MOR"]},
    source="curated",
)


# ------------------------------------------------------------------------------ Lexicon.merged
def test_merged_keeps_curated_entries_first_and_unchanged():
    extra = lex({"label": "CONDITION", "canonical": "abdominal cramp", "terms": ["abdominal cramp"],
                 "group": "abdominal symptom", "note": "SYMP:0000001"}, source="onto")
    merged = Lexicon.merged(CURATED, extra)
    assert merged.to_records()[:4] == CURATED.to_records()
    assert [e.canonical for e in merged] == ["kratom", "muscle spasms", "liver injury", "mu-opioid receptor",
                                            "abdominal cramp"]
    entry = merged.lookup("abdominal cramps")
    assert (entry.label, entry.canonical, entry.group, entry.note) == (
        "CONDITION", "abdominal cramp", "abdominal symptom", "SYMP:0000001")
    assert merged.group_of("abdominal cramp") == "abdominal symptom"
    assert merged.source == "curated + onto"


def test_merged_drops_colliding_terms_and_keeps_the_rest_of_the_entry():
    extra = lex({"label": "CONDITION", "canonical": "hepatitis", "terms": ["hepatitis", "hepatotoxicity",
                                                                          "liver inflammation"]})
    merged = Lexicon.merged(CURATED, extra)
    onto = merged.get("hepatitis")
    assert onto.terms == ("hepatitis", "liver inflammation")
    assert merged.lookup("hepatotoxicity").canonical == "liver injury"
    assert merged.lookup("liver inflammations").canonical == "hepatitis"


def test_merged_drops_a_term_whose_generated_form_is_curated():
    # "muscle cramps" (the plural of the curated "muscle cramp") and "mu opioid receptor"
    # (the hyphen/space variant of the curated "mu-opioid receptor") are curated forms
    extra = lex({"label": "CONDITION", "canonical": "cramp", "terms": ["cramp", "muscle cramps"]},
                {"label": "RECEPTOR", "canonical": "mu receptor", "terms": ["mu receptor", "mu opioid receptor"]})
    merged = Lexicon.merged(CURATED, extra)
    assert merged.get("cramp").terms == ("cramp",)
    assert merged.lookup("muscle cramps").canonical == "muscle spasms"
    assert merged.get("mu receptor").terms == ("mu receptor",)
    assert merged.lookup("mu opioid receptors").canonical == "mu-opioid receptor"


def test_merged_drops_entries_left_without_their_name_or_terms():
    extra = lex(
        # same canonical as a curated entry (case-insensitively): dropped whole
        {"label": "CONDITION", "canonical": "Kratom", "terms": ["kratom dependence"]},
        # every term is curated: dropped
        {"label": "CONDITION", "canonical": "muscle cramp", "terms": ["muscle cramp", "muscle spasm"]},
        # its own name is a curated term (cased term "MOR", lower-cased): dropped although a synonym is free
        {"label": "CONDITION", "canonical": "mor", "terms": ["mor", "morbidity rate"]},
        # untouched
        {"label": "CONDITION", "canonical": "lyme disease", "terms": ["Lyme disease"], "note": "DOID:11729"},
    )
    merged = Lexicon.merged(CURATED, extra)
    assert [e.canonical for e in merged][4:] == ["lyme disease"]
    assert merged.lookup("kratom dependence") is None
    assert merged.lookup("morbidity rate") is None
    assert merged.lookup("MOR").canonical == "mu-opioid receptor"
    assert merged.lookup("Lyme diseases").note == "DOID:11729"


def test_merged_accepts_plain_entries_and_keeps_the_curated_lexicon_valid():
    extra = list(lex({"label": "CONDITION", "canonical": "photophobia", "terms": ["photophobia",
                                                                                "light sensitivity"]}))
    merged = Lexicon.merged(CURATED, extra)
    assert len(merged) == 5
    assert merged.lookup("light sensitivity").canonical == "photophobia"
    # the curated lexicon itself is not changed
    assert len(CURATED) == 4 and CURATED.lookup("photophobia") is None


# ------------------------------------------------------------------------------ packaged files
@pytest.fixture(scope="module")
def default() -> Lexicon:
    return load_default_lexicon()


def test_packaged_default_has_ontology_concepts(default):
    for term, canonical, note in [("abdominal distention", "abdominal distention", "SYMP:0000002"),
                                  ("hepatosplenomegaly", "hepatosplenomegaly", "SYMP:0000047"),
                                  ("Lyme disease", "lyme disease", "DOID:11729"),
                                  ("Kawasaki disease", "kawasaki disease", "DOID:13378")]:
        entry = default.lookup(term)
        assert entry is not None, term
        assert (entry.label, entry.canonical, entry.note) == ("CONDITION", canonical, note)
    assert default.group_of("lyme disease") == "primary bacterial infectious disease"
    assert default.group_of("abdominal distention") == "abdominal symptom"


def test_packaged_default_keeps_curated_entries_untouched(default):
    curated = Lexicon.from_file(LEXICONS / "entities.jsonl")
    assert default.to_records()[:len(curated)] == curated.to_records()
    kratom = default.lookup("Mitragyna speciosa")
    assert kratom is default.get("kratom")
    assert kratom.to_dict() == curated.get("kratom").to_dict()
    assert kratom.label == "SUBSTANCE"
    # every curated form still maps to its curated entry
    for form, entry in curated.patterns():
        assert default.lookup(form).canonical == entry.canonical, form


def test_packaged_ontology_file_matches_its_provenance():
    rows = [json.loads(line) for line in (LEXICONS / "ontology.jsonl").read_text(encoding="utf-8").splitlines()]
    source = json.loads((LEXICONS / "ontology.SOURCE.json").read_text(encoding="utf-8"))
    assert source["total"] == {"concepts": len(rows), "terms": sum(len(r["terms"]) for r in rows)}
    assert [s["licence"] for s in source["sources"]] == ["CC0 1.0 Universal"] * 2
    assert source["sources"][0]["data_version"] == "releases/2026-07-30/symp.obo"
    assert rows == sorted(rows, key=lambda r: (r["canonical"], r["note"]))
    assert {r["label"] for r in rows} == {"CONDITION"}
    assert all(r["note"].startswith(("SYMP:", "DOID:")) for r in rows)
    excluded = {line.strip().lower() for line in (LEXICONS / "ontology_exclude.txt").read_text().splitlines()
                if line.strip() and not line.startswith(("#", "+"))}
    listed = {t.lower() for r in rows for t in r["terms"]}
    assert not excluded & listed
    assert {"shock", "discharge", "gas", "symptom"} <= excluded
