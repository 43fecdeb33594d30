"""Tests for claimex.nlp.abbrev: Schwartz–Hearst abbreviation definitions over characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimex.nlp.abbrev import (
    Abbreviation,
    best_long_form,
    find_abbreviations,
    is_short_form,
    short_form_occurrences,
)

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
SEED_001 = RAW / "001_e00226db8c1070c3.txt"
SENTENCE = ("Kratom's unique chemical composition includes alkaloids like mitraginin and "
            "7-hydroxymitragynine (7-HMG), which interact with opioid receptors to reduce pain perception.")


def pairs(text: str) -> list[tuple[str, str]]:
    return [(a.short, a.long) for a in find_abbreviations(text)]


def test_seed_sentence_long_form_then_short_form():
    assert find_abbreviations(SENTENCE) == [Abbreviation(
        short_start=98, short_end=103, long_start=76, long_end=96, short="7-HMG", long="7-hydroxymitragynine")]
    assert SENTENCE[98:103] == "7-HMG" and SENTENCE[76:96] == "7-hydroxymitragynine"
    assert find_abbreviations(SENTENCE)[0].to_list() == [98, 103, 76, 96]


def test_seed_001_defines_7_hmg_twice():
    text = SEED_001.read_text(encoding="utf-8")
    found = find_abbreviations(text)
    assert [a.to_list() for a in found] == [[498, 503, 476, 496], [4032, 4037, 4010, 4030]]
    assert {(a.short, a.long) for a in found} == {("7-HMG", "7-hydroxymitragynine")}


@pytest.mark.parametrize("text, expected", [
    ("People with opioid use disorder (OUD) use it.", [("OUD", "opioid use disorder")]),
    ("OUD (opioid use disorder) is common.", [("OUD", "opioid use disorder")]),
    ("non-steroidal anti-inflammatory drugs (NSAIDs) such as ibuprofen", [("NSAIDs", "non-steroidal anti-inflammatory drugs")]),
    ("It binds the mu-opioid receptor (MOR).", [("MOR", "mu-opioid receptor")]),
    ("patients with psoriatic arthritis (PsA)", [("PsA", "psoriatic arthritis")]),
    ("post-traumatic stress disorder (PTSD; see below)", [("PTSD", "post-traumatic stress disorder")]),
    ("The Food and Drug Administration (FDA) warned.", [("FDA", "Food and Drug Administration")]),
    # not abbreviations
    ("analgesic (pain-relieving) properties", []),
    ("Kratom (Mitragyna speciosa) grows in Thailand.", []),
    ("the leaves of the tree (Kratom)", []),
    ("doses (mg) vary", []),
    ("a 3 gram dose (about 1 tsp)", []),
    ("severe pain (PTSD)", []),
])
def test_definitions(text, expected):
    assert pairs(text) == expected


def test_long_form_stays_in_its_sentence():
    # the long-form window starts after the previous sentence end
    assert pairs("We studied gout. Matters (GM) differ.") == []


@pytest.mark.parametrize("short, candidate, start", [
    ("7-HMG", "alkaloids like mitraginin and 7-hydroxymitragynine", 30),
    ("OUD", "people with opioid use disorder", 12),
    ("HMG", "alkaloids like 7-hydroxymitragynine", 15),  # a letter after '-' starts a word
    ("HMG", "the mitragynine alkaloid", None),  # 'h' of "the" does not start a word
    ("XYZ", "opioid use disorder", None),
])
def test_best_long_form(short, candidate, start):
    assert best_long_form(short, candidate) == start


@pytest.mark.parametrize("text, ok", [
    ("7-HMG", True), ("OUD", True), ("NSAIDs", True), ("PsA", True), ("T4", True),
    ("Kratom", False), ("mg", False), ("pain-relieving", False), ("A", False), ("12", False),
    ("ABCDEFGHIJK", False), ("-HMG", False),
])
def test_is_short_form(text, ok):
    assert is_short_form(text) is ok


def test_short_form_occurrences_are_whole_words_and_case_sensitive():
    text = "7-HMG binds; (7-HMG), X7-HMG and 7-HMGs and 7-hmg; 7-HMG."
    assert short_form_occurrences(text, "7-HMG") == [(0, 5), (14, 19), (51, 56)]
