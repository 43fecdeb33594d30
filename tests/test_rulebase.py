"""The rule-file base: packaged lookup, reading, JSONL/JSON records, numbered errors, PatternLexicon."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

import pytest

from claimex.errors import ClaimexError
from claimex.rulebase import (PatternLexicon, RuleFile, cue_words, data_root, iter_jsonl, json_key_lines, packaged,
                              parse_json, read_data_file, record_checker, rule_error)


class Pairs(RuleFile):
    """A toy JSONL loader: records {"a": str}."""

    DEFAULT_FILE = ("lexicons", "claim_groups.jsonl")
    LINE_ERROR = "E045"
    READ_ERROR = "E044"
    EMPTY_ERROR = "E046"

    def __init__(self, rows, source):
        self.rows, self.source = rows, source

    @classmethod
    def from_lines(cls, rows, *, source):
        for line, row in rows:
            if not isinstance(row, dict):
                raise cls.line_error(source)(line, "not an object")
        return cls([row for _, row in rows], source)

    def to_records(self):
        return self.rows


class Whole(RuleFile):
    FORMAT = "json"
    LINE_ERROR = "E045"
    MISSING_ERROR = "E053"

    def __init__(self, data):
        self.data = data

    @classmethod
    def from_data(cls, data, *, source, lines=None):
        cls.lines = lines
        return cls(data)

    def to_data(self):
        return self.data


def test_packaged_lookup_is_claimex_pipelines():
    assert packaged("lexicons", "entities.jsonl").is_file()
    assert str(packaged("patterns", "dose.jsonl")) == str(data_root() / "patterns" / "dose.jsonl")
    assert len(Pairs.default().rows) > 10  # DEFAULT_FILE read through the same path as from_file
    assert Pairs.default().source == str(packaged("lexicons", "claim_groups.jsonl"))


def test_rule_error_formats_path_line_and_reason():
    assert str(rule_error("E045", "d.jsonl", 3, "bad")) == "[E045] d.jsonl: line 3: dose pattern entry is invalid (bad)."
    assert str(rule_error("E053", "d.jsonl")) == "[E053] Cue lexicon file not found: d.jsonl."


def test_jsonl_reading_names_file_and_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": "1"}\n\n# no comment here\n', encoding="utf-8")
    with pytest.raises(ClaimexError) as err:
        Pairs.from_file(path)
    assert str(err.value) == f"[E045] {path}: line 3: dose pattern entry is invalid (malformed JSON: Expecting value)."
    path.write_text('{"a": "1"}\n\n[1]\n', encoding="utf-8")
    with pytest.raises(ClaimexError) as err:
        Pairs.from_file(path)
    assert str(err.value) == f"[E045] {path}: line 3: dose pattern entry is invalid (not an object)."
    path.write_text('{"a": "1"}\n\n{"a": "2"}\n', encoding="utf-8")
    loaded = Pairs.from_file(path)
    assert loaded.rows == [{"a": "1"}, {"a": "2"}] and loaded.source == str(path)
    assert list(iter_jsonl("# c\n{}\n", lambda n, r: ClaimexError(r), comments=True)) == [(2, {})]


def test_missing_unreadable_and_empty_files(tmp_path):
    with pytest.raises(ClaimexError) as err:
        Pairs.from_file(tmp_path / "none.jsonl")
    assert str(err.value) == f"[E044] {tmp_path / 'none.jsonl'}: cannot read the file (No such file or directory)."
    with pytest.raises(ClaimexError) as err:
        Whole.from_file(tmp_path / "none.json")
    assert str(err.value) == f"[E053] Cue lexicon file not found: {tmp_path / 'none.json'}."
    (tmp_path / "latin1.jsonl").write_bytes(b'{"a": "\xe9"}\n')
    with pytest.raises(ClaimexError, match=r"^\[E044\] .*latin1.jsonl: cannot read the file \('utf-8' codec"):
        Pairs.from_file(tmp_path / "latin1.jsonl")
    with pytest.raises(ClaimexError) as err:
        Pairs.from_text("\n\n", source="empty.jsonl")
    assert str(err.value) == "[E046] empty.jsonl: the lexicon has no entries."
    assert read_data_file(packaged("lexicons", "claim_rules.json"), lambda n, r: ClaimexError(r)).startswith("{")


def test_json_file_errors_name_the_line(tmp_path):
    with pytest.raises(ClaimexError) as err:
        Whole.from_text('{\n  "a": 1,\n  "b": \n}\n', source="r.json")
    assert str(err.value) == ("[E045] r.json: line 4: dose pattern entry is invalid "
                              "(malformed JSON: Expecting value (column 1)).")
    assert parse_json("[1, 2]", lambda n, r: ClaimexError(r)) == [1, 2]
    Whole.from_text('{\n  "a": {\n    "b": 1,\n    "a": 2\n  },\n  "c": "x"\n}\n', source="r.json")
    assert Whole.lines == {"a": 2, "c": 6}
    assert json_key_lines("[1]") == {}


def test_a_template_without_line_gets_it_in_the_reason():
    assert str(rule_error("E044", "r.json", 4, "bad")) == "[E044] r.json: cannot read the file (line 4: bad)."
    assert str(rule_error("E044", "r.json", 0, "bad")) == "[E044] r.json: cannot read the file (bad)."


def test_round_trip_through_a_file(tmp_path):
    rows = [{"a": "é"}, {"a": "2"}]
    Pairs.from_records(rows).to_file(tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == '{"a": "é"}\n{"a": "2"}\n'
    assert Pairs.from_file(tmp_path / "out.jsonl").rows == rows
    Whole({"k": [1, "ü"]}).to_file(tmp_path / "out.json")
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == '{\n  "k": [\n    1,\n    "ü"\n  ]\n}\n'
    assert Whole.from_file(tmp_path / "out.json").data == {"k": [1, "ü"]}
    with pytest.raises(ClaimexError) as err:
        Pairs.from_records([{"a": "1"}, "x"], source="<mem>")
    assert str(err.value) == "[E045] <mem>: line 2: dose pattern entry is invalid (not an object)."


def test_record_checker():
    bad = record_checker({"cue": "x"}, {"cue", "kind"}, path="c.jsonl", line=4)
    assert str(bad("why")) == "[E050] c.jsonl: line 4: cue entry is invalid (why)."
    with pytest.raises(ClaimexError) as err:
        record_checker({"cue": "x", "colour": 1}, {"cue"}, path="c.jsonl", line=2)
    assert str(err.value) == "[E050] c.jsonl: line 2: cue entry is invalid (unknown field(s) colour; allowed: cue)."
    with pytest.raises(ClaimexError, match=r"^\[E045\] d: line 1: .*expected a JSON object, got list"):
        record_checker([], {"a"}, path="d", line=1, code="E045")


# --------------------------------------------------------------------------- PatternLexicon


@dataclass(frozen=True)
class Word:
    cue: str
    kind: str = "hedge"
    weak: bool = False

    @classmethod
    def from_dict(cls, data: Any, *, path: str, line: int) -> Word:
        record_checker(data, {"cue", "kind", "weak"}, path=path, line=line)
        return cls(**data)

    def to_dict(self) -> dict:
        return {"cue": self.cue, "kind": self.kind, **({"weak": True} if self.weak else {})}

    def token_pattern(self) -> list[dict]:
        return [{"ORTH": w} for w in self.cue.split()]  # a bare Vocab has no LOWER


class Words(PatternLexicon):
    ENTRY = Word


def test_cue_words_split_like_the_tokenizer():
    assert cue_words("Cannot") == ["can", "not"]
    assert cue_words("lack of") == ["lack", "of"]


def _doc(text: str):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    words = text.replace(",", " ,").replace(":", " :").replace(".", " .").split()
    return Doc(Vocab(), words=words)


def test_pattern_lexicon_reads_and_matches(tmp_path):
    lex = Words.from_text('# a comment\n{"cue": "may"}\n{"cue": "not only", "kind": "pseudo"}\n'
                          '{"cue": "not", "kind": "negation"}\n{"cue": "can", "weak": true}\n'
                          '{"cue": "may not", "kind": "negation"}\n', source="w.jsonl")
    assert len(lex) == 5 and lex.source == "w.jsonl"
    doc = _doc("It may not help, not only that: it can hurt and may.")
    assert [(s.text, e.kind) for s, e in lex.match(doc)] == [("may not", "negation"), ("may", "hedge")]
    assert [s.text for s, _ in lex.match(doc, weak_hedges=True)] == ["may not", "can", "may"]
    assert [(s.start, s.text) for s, _ in lex.match(doc[5:])] == [(13, "may")]  # Span offsets are Doc offsets
    lex.to_file(tmp_path / "w.jsonl")
    assert Words.from_file(tmp_path / "w.jsonl") == lex
    assert pickle.loads(pickle.dumps(lex)) == lex
    assert len(lex + Words.from_records([{"cue": "x"}])) == 6


def test_pattern_lexicon_errors(tmp_path):
    with pytest.raises(ClaimexError) as err:
        Words.from_file(tmp_path / "gone.jsonl")
    assert str(err.value) == f"[E053] Cue lexicon file not found: {tmp_path / 'gone.jsonl'}."
    with pytest.raises(ClaimexError) as err:
        Words.from_text('{"cue": "a"}\n{"cue": \n', source="w.jsonl")
    assert str(err.value) == "[E054] w.jsonl: line 2: cannot read the cue lexicon (malformed JSON: Expecting value)."
    with pytest.raises(ClaimexError) as err:
        Words.from_text('{"cue": "a", "colour": 1}\n', source="w.jsonl")
    assert str(err.value).startswith("[E050] w.jsonl: line 1: cue entry is invalid (unknown field(s) colour")

    class Broken(Word):
        def token_pattern(self):
            return [{"LOWER": {"NOPE": 1}}]

    class BrokenWords(PatternLexicon):
        ENTRY = Broken

    with pytest.raises(ClaimexError, match=r"^\[E056\] Cue 'x' has an invalid spaCy Matcher pattern \("):
        BrokenWords.from_records([{"cue": "x"}]).match(_doc("x"))


class Shaped(Word):
    """Entries whose 'cue' names one of a few pattern shapes."""

    SHAPES = {
        "anchored": [{"ORTH": "not"}, {"IS_SPACE": True, "OP": "*"}, {"ORTH": "proven"}],
        "in-list": [{"ORTH": {"IN": ["more", "further"]}}, {"ORTH": "research"}, {"ORTH": "is", "OP": "?"},
                    {"POS": "ADV", "OP": "*"}, {"ORTH": "needed"}],
        "unanchored": [{"POS": "ADV", "OP": "+"}, {"ORTH": "safe"}],
        "starred": [{"ORTH": "may"}, {"ORTH": "x", "OP": "*"}],
    }

    def token_pattern(self) -> list[dict]:
        return [dict(t) for t in self.SHAPES[self.cue]]


class ShapedWords(PatternLexicon):
    ENTRY = Shaped


def test_windowed_matching_finds_what_the_whole_matcher_finds():
    import spacy
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    vocab = spacy.blank("en").vocab  # with IS_SPACE
    words = ["It", "is", "not", "\n", "proven", ";", "more", "research", "is", "really", "very", "needed", ",",
             "surely", "quite", "safe", "and", "it", "may", "x", "x", "help", "further", "research", "needed"]
    doc = Doc(vocab, words=words, spaces=[True] * len(words),
              pos=["PRON", "AUX", "PART", "SPACE", "VERB", "PUNCT", "ADJ", "NOUN", "AUX", "ADV", "ADV", "VERB",
                   "PUNCT", "ADV", "ADV", "ADJ", "CCONJ", "PRON", "AUX", "X", "X", "VERB", "ADJ", "NOUN", "VERB"])
    lex = ShapedWords.from_records([{"cue": c} for c in Shaped.SHAPES])
    whole = Matcher(vocab)
    for i, entry in enumerate(lex.entries):
        whole.add(str(i), [entry.token_pattern()])
    expected = sorted((s, e, int(vocab.strings[m])) for m, s, e in whole(doc))
    assert lex._raw_matches(doc) == expected
    assert (2, 5, 0) in expected and (6, 12, 1) in expected and (22, 25, 1) in expected
    assert (13, 16, 2) in expected and (18, 21, 3) in expected
    sent = doc[6:16]
    assert lex._raw_matches(sent) == [m for m in expected if m[0] >= 6 and m[1] <= 16]
    # only "unanchored" and "starred" ("x" repeats without bound) go to the whole-doc matcher
    assert lex._plan(vocab)[0] is not None and sorted(lex._plan(vocab)[1]) != []
    assert [(s.text, e.cue) for s, e in lex.match(doc)][:2] == [("not \n proven", "anchored"),
                                                                ("more research is really very needed", "in-list")]


def test_the_reference_path_gives_the_same_matches(monkeypatch):
    lex = Words.from_text('{"cue": "may"}\n{"cue": "may not", "kind": "negation"}\n{"cue": "not"}\n', source="w.jsonl")
    doc = _doc("It may not help, and it may.")
    fast = [(s.start, s.end, e.cue) for s, e in lex.match(doc[1:])]
    monkeypatch.setattr(PatternLexicon, "windowed", False)
    assert [(s.start, s.end, e.cue) for s, e in lex.match(doc[1:])] == fast == [(1, 3, "may not"), (7, 8, "may")]
