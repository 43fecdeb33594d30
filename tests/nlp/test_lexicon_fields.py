"""The lexicon's `role` and `pos` fields: validation, error messages (file and line), round trip."""

from __future__ import annotations

import json
import re

import pytest

from claimex.errors import ClaimexError
from claimex.nlp.lexicon import ENTRY_FIELDS, ROLE_LABELS, UNIVERSAL_POS, Lexicon

SUBSTANCE = {"label": "SUBSTANCE", "canonical": "ginger", "terms": ["ginger root"]}
GENERIC = {"label": "GENERIC", "canonical": "side effects", "terms": ["side effect"], "role": "SIDE_EFFECT"}


def jsonl(*rows) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_entry_fields_and_role_labels():
    assert ENTRY_FIELDS == ("label", "canonical", "terms", "cased", "fuzzy", "group", "role", "pos",
                            "inflect", "note")
    assert ROLE_LABELS == ("SUBSTANCE", "ALKALOID", "CONDITION", "SIDE_EFFECT", "RECEPTOR", "EFFECT", "THERAPY")
    assert "NOUN" in UNIVERSAL_POS and "VERB" in UNIVERSAL_POS and len(UNIVERSAL_POS) == 17


def test_generic_entry_with_role_and_pos_loads_and_round_trips():
    row = dict(GENERIC, pos=["NOUN"])
    lex = Lexicon.from_records([SUBSTANCE, row])
    entry = lex.get("side effects")
    assert (entry.label, entry.role, entry.pos, entry.line) == ("GENERIC", "SIDE_EFFECT", ("NOUN",), 2)
    assert entry.to_dict() == {"label": "GENERIC", "canonical": "side effects", "terms": ["side effect"],
                               "role": "SIDE_EFFECT", "pos": ["NOUN"]}
    assert lex.get("ginger").role is None and lex.get("ginger").pos == ()
    assert "role" not in lex.get("ginger").to_dict() and "pos" not in lex.get("ginger").to_dict()
    again = Lexicon.from_text(lex.to_text())
    assert again.get("side effects") == entry


def test_pos_on_a_non_generic_entry_is_allowed():
    lex = Lexicon.from_records([{"label": "EFFECT", "canonical": "focus", "terms": ["focus"], "pos": ["NOUN", "PROPN"]}])
    assert lex.get("focus").pos == ("NOUN", "PROPN")


def err(match_reason: str, source: str, line: int) -> str:
    return rf"^\[E041\] {re.escape(source)}: line {line}: lexicon entry is invalid \({match_reason}"


def test_generic_without_role_names_source_and_line():
    row = {k: v for k, v in GENERIC.items() if k != "role"}
    with pytest.raises(ClaimexError, match=err(r"a GENERIC entry needs a 'role'", "mini.jsonl", 2)):
        Lexicon.from_text(jsonl(SUBSTANCE, row), source="mini.jsonl")


def test_role_on_a_non_generic_entry_is_rejected():
    row = dict(SUBSTANCE, role="SUBSTANCE")
    with pytest.raises(ClaimexError, match=err(r"a GENERIC entry needs a 'role' .*and only GENERIC entries have "
                                               r"one\)", "<records>", 1)):
        Lexicon.from_records([row])


@pytest.mark.parametrize("role", ["GENERIC", "DOSE", "side_effect", "PAIN"])
def test_role_must_be_a_claim_label(role):
    row = dict(GENERIC, role=role)
    with pytest.raises(ClaimexError, match=err(r"'role' must be one of SUBSTANCE, ALKALOID, CONDITION, SIDE_EFFECT, "
                                               r"RECEPTOR, EFFECT, THERAPY, not '" + role + "'", "lex.jsonl", 3)):
        Lexicon.from_text(jsonl(SUBSTANCE, {"label": "CONDITION", "canonical": "pain", "terms": ["ache"]},
                                        row), source="lex.jsonl")


@pytest.mark.parametrize("pos", [["NOUNS"], ["noun"], "NOUN", [1], ["NOUN", "VRB"]])
def test_pos_must_be_a_list_of_universal_tags(pos):
    row = dict(SUBSTANCE, pos=pos)
    with pytest.raises(ClaimexError, match=err(r"'pos' must be a list of universal POS tags \(ADJ, ADP, ",
                                               "pos.jsonl", 1)):
        Lexicon.from_text(jsonl(row), source="pos.jsonl")


def test_blank_lines_count_in_the_reported_line():
    text = json.dumps(SUBSTANCE) + "\n\n" + json.dumps(dict(GENERIC, pos=["VERBS"])) + "\n"
    with pytest.raises(ClaimexError, match=err(r"'pos' must be", "blank.jsonl", 3)):
        Lexicon.from_text(text, source="blank.jsonl")


def test_unknown_field_lists_the_allowed_fields():
    row = dict(SUBSTANCE, roles="SUBSTANCE")
    with pytest.raises(ClaimexError, match=err(r"unknown field 'roles'; allowed fields: label, canonical, terms, "
                                               r"cased, fuzzy, group, role, pos, inflect, note\)", "<records>", 1)):
        Lexicon.from_records([row])
