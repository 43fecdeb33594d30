"""ClaimGroupLexicon, the claim_groups.jsonl data file (claimex.flags.lexicon)."""

from __future__ import annotations

import json

import pytest
from flagkit import by_flag, claim, run

from claimex.errors import ClaimexError
from claimex.flags import ClaimGroupLexicon, FlagSettings


def test_packaged_lexicon_groups():
    lex = ClaimGroupLexicon.default()
    assert [lex.group_of(o) for o in ("Addiction", "dependency", "abuse potential",
                                      "psychological dependence", "sedative effects", "drowsiness",
                                      "adverse reactions", "kidney stones")] == [
        "dependence", "dependence", "dependence", "dependence", "sedation", "sedation",
        "side effects", "kidney stones"]
    assert lex.generic_group == "side effects"
    assert {"dependence", "sedation", "nausea", "side effects"} <= lex.side_effect_groups
    assert "pain" not in lex.side_effect_groups
    assert lex.level("amount", "Higher amounts") == ("amount", "high")
    assert lex.level("dose", "low-dose") == ("amount", "low")
    assert lex.level("duration", "long-term use") == ("duration", "long")
    assert lex.level("population", "older adults") is None
    assert lex.dose_role("not to exceed the upper limit of 12 to 15 grams; higher doses") == "limit"
    assert lex.dose_role("The standard recommended starting dose") == "starting"
    assert lex.dose_role("a moderate dose") == "recommended"
    assert (lex.unit("mg"), lex.unit("grams"), lex.unit("ml")) == (("g", 0.001), ("g", 1.0), ("ml", 1.0))
    assert [lex.period(p) for p in (None, "per day", "within a 24-hour period", "24 hours", "weekly")] == [
        "day", "day", "day", "day", "week"]


def test_lexicon_file_errors_name_the_file_and_line(tmp_path):
    path = tmp_path / "groups.jsonl"
    path.write_text('{"type": "group", "group": "a", "members": ["x"]}\n\n'
                    '{"type": "group", "group": "b", "members": ["X"]}\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=rf"^\[E062\] {path}: line 3: claim-group entry is invalid "
                                           rf"\('X' is already in group 'a'\)"):
        ClaimGroupLexicon.from_file(path)
    path.write_text('{"type": "group", "group": "a", "members": ["x"]}\n{oops\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=rf"^\[E062\] {path}: line 2: .*malformed JSON"):
        ClaimGroupLexicon.from_file(path)
    path.write_text('{"type": "synonyms"}\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"line 1: .*unknown type 'synonyms'"):
        ClaimGroupLexicon.from_file(path)
    with pytest.raises(ClaimexError, match=r"^\[E062\] <records>: line 2: claim-group entry is invalid "
                                           r"\(expected a JSON object\)"):
        ClaimGroupLexicon.from_records([{"type": "relative", "cues": ["milder"]}, ["not", "a", "record"]])
    missing = tmp_path / "none.jsonl"
    with pytest.raises(ClaimexError, match=rf"^\[E019\] {missing}: cannot read file \(No such file or directory\)\.$"):
        ClaimGroupLexicon.load(str(missing))


def test_custom_lexicon_file_is_used(tmp_path):
    path = tmp_path / "groups.jsonl"
    records = [{"type": "group", "group": "harm", "members": ["nausea", "vomiting"]}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    lex = ClaimGroupLexicon.from_file(path)
    lex.to_file(tmp_path / "copy.jsonl")
    assert ClaimGroupLexicon.from_file(tmp_path / "copy.jsonl").to_records() == records
    rows = [claim("c1", "000", "nausea"), claim("c2", "001", "vomiting", polarity="negated")]
    flags, groups = run(rows, settings=FlagSettings(lexicon_path=str(path)))
    assert sorted(by_flag(flags, "contradicted")) == ["c1", "c2"]
    assert groups.column("group_key").to_pylist() == ["kratom|CAUSES|harm", "kratom|CAUSES|harm"]
    flags, _ = run(rows)  # the packaged lexicon keeps nausea and vomiting apart
    assert by_flag(flags, "contradicted") == {}
