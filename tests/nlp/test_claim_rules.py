"""Tests for claimex.nlp.claim_rules: the claim extractor's rule file and its numbered errors."""

from __future__ import annotations

import json

import pytest

from claimex.errors import ClaimexError
from claimex.nlp.claim_rules import ClaimRules
from claimex.rulebase import packaged


def test_default_rules_round_trip(tmp_path):
    rules = ClaimRules.default()
    assert ClaimRules.from_dict(rules.to_dict()) == rules
    assert "cause" in rules.trigger_sets["CAUSES"] and rules.regulatory
    rules.to_file(tmp_path / "rules.json")
    assert ClaimRules.from_file(tmp_path / "rules.json") == rules
    assert json.loads((tmp_path / "rules.json").read_text(encoding="utf-8")) == rules.to_dict()


def _copy(tmp_path, edit) -> tuple:
    text = packaged("lexicons", "claim_rules.json").read_text(encoding="utf-8")
    path = tmp_path / "claim_rules.json"
    path.write_text(edit(text), encoding="utf-8")
    return path, text


def test_a_mistyped_field_names_its_line(tmp_path):
    path, text = _copy(tmp_path, lambda t: t.replace('"pronouns": [', '"pronouns": 7, "x": [', 1))
    line = next(i for i, raw in enumerate(text.splitlines(), 1) if raw.lstrip().startswith('"pronouns"'))
    with pytest.raises(ClaimexError) as err:
        ClaimRules.from_file(path)
    assert str(err.value) == f"[E048] {path}: line {line}: claim rules are invalid ('pronouns' must be a list of strings)."


def test_a_bad_pattern_names_its_field(tmp_path):
    data = ClaimRules.default().to_dict()
    data["qualifier_patterns"] = {"amount": "(higher"}
    with pytest.raises(ClaimexError, match=r"^\[E048\] <dict>: line 0: claim rules are invalid \('qualifier_patterns' "
                                           r"'amount' is not a regular expression \(missing \), unterminated"):
        ClaimRules.from_dict(data)


def test_missing_fields_and_malformed_json(tmp_path):
    data = {k: v for k, v in ClaimRules.default().to_dict().items() if k != "triggers"}
    with pytest.raises(ClaimexError) as err:
        ClaimRules.from_dict(data)
    assert str(err.value) == "[E048] <dict>: line 0: claim rules are invalid (missing triggers)."
    path, _ = _copy(tmp_path, lambda t: t.replace('"pronouns": [', '"pronouns": [,', 1))
    with pytest.raises(ClaimexError, match=r"^\[E048\] .*claim_rules.json: line \d+: claim rules are invalid \("
                                           r"malformed JSON: Expecting value \(column \d+\)\)"):
        ClaimRules.from_file(path)
    with pytest.raises(ClaimexError, match=r"^\[E044\] .*none.json: cannot read the file \(No such file"):
        ClaimRules.from_file(tmp_path / "none.json")
    with pytest.raises(ClaimexError, match=r"^\[E048\] r.json: line 1: claim rules are invalid \(expected a JSON "
                                           r"object, not list\)"):
        ClaimRules.from_text("[]", source="r.json")
