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


# -- the word lists (WORD_GROUPS): data, typed like every other field

def test_every_word_list_is_read_from_the_file_by_name():
    from claimex.nlp.claim_rules import WORD_GROUPS

    rules = ClaimRules.default()
    names = [name for shapes in WORD_GROUPS.values() for name in shapes]
    assert len(names) == len(set(names))  # one name, one list, across the groups
    for group, shapes in WORD_GROUPS.items():
        data = getattr(rules, group)
        assert data["_doc"]  # each group says what it is for, and each list too
        for name in shapes:
            assert data[f"_{name}"] and getattr(rules.words, name)
    assert "be" in rules.words.copulas and rules.words.frame_preps["come"] == frozenset({"with"})
    assert rules.words.source_verbs["due"] == "to"


def test_a_mistyped_word_list_names_its_group_line(tmp_path):
    path, text = _copy(tmp_path, lambda t: t.replace('"copulas": [', '"copulas": "be", "_was": [', 1))
    line = next(i for i, raw in enumerate(text.splitlines(), 1) if raw.startswith('  "predicate_words"'))
    with pytest.raises(ClaimexError) as err:
        ClaimRules.from_file(path)
    assert str(err.value) == (f"[E048] {path}: line {line}: claim rules are invalid ('predicate_words' 'copulas' "
                              f"must be a list of strings).")


@pytest.mark.parametrize("edit, reason", [
    (lambda g: g.update(copula=g.pop("copulas")), "'predicate_words' has no list 'copula' (its lists: copulas, "),
    (lambda g: g.pop("copulas"), "'predicate_words' misses 'copulas'"),
    (lambda g: g.update(source_verbs={"come": ["from"]}), "'predicate_words' 'source_verbs' must map words to words"),
    (lambda g: g.update(frame_preps={"come": "with"}),
     "'predicate_words' 'frame_preps' must map words to lists of strings"),
    (lambda g: g.clear() or None, "'predicate_words' misses 'copulas', "),
])
def test_a_misspelt_missing_or_mistyped_word_list_is_a_numbered_error(edit, reason):
    data = json.loads(json.dumps(ClaimRules.default().to_dict()))
    edit(data["predicate_words"])
    with pytest.raises(ClaimexError) as err:
        ClaimRules.from_dict(data)
    assert str(err.value).startswith(f"[E048] <dict>: line 0: claim rules are invalid ({reason}")
    data["predicate_words"] = ["copulas"]
    with pytest.raises(ClaimexError, match=r"\('predicate_words' must be an object\)"):
        ClaimRules.from_dict(data)
    del data["predicate_words"]
    with pytest.raises(ClaimexError, match=r"\(missing predicate_words\)"):
        ClaimRules.from_dict(data)
