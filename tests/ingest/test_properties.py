"""Property tests (hypothesis) for the input-facing functions (issue 7).

On arbitrary bytes and Unicode (control characters and lone surrogates
included): no exception escapes other than the documented ``DecodeError``, and
every offset lies inside its text and slices back to the stored span text.
Bounded: every test has ``max_examples`` and the file runs in well under a
minute.  The atheris target ``tests/fuzz/fuzz_pipeline.py`` checks the same
invariants under coverage guidance; its entry point is exercised here too.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimex.store import tables
from claimex.nlp.dose import find_doses
from claimex.engine.local import _long_run, process_documents, split_pieces
from claimex.ingest import RawDocument, text_digest
from claimex.nlp.segment import BLOCK_KINDS, LIST_MARKER, segment_text
from claimex.ingest.textio import DecodeError, decode_bytes, normalise_text

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"

# Any code point, lone surrogates and C0/C1 controls included.
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=300)
# Text built from the vocabulary of the domain, so the components have something to find.
WORDS = [
    "kratom", "Kratom", "may", "might", "not", "no", "without", "relieve", "relieves", "pain",
    "chronic pain", "fibromyalgia", "arthritis", "nausea", "constipation", "dependence", "causes",
    "treats", "mitragynine", "7-hydroxymitragynine", "7-OH", "opioid receptors", "users report",
    "studies show", "safer than", "opioids", "5", "2 to 4", "1-5", "0.5", "½", "grams", "g", "mg",
    "mg/kg", "capsules", "per day", "twice daily", "up to", "at least", "every 6 hours", "It",
    "However,", "(", ")", ".", ",", ";", "?", "!", "\n", "\n\n", "- ", "# ", "1. ", "Conclusion",
    "\t", "\r\n", "\x0b", "\x00", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\xa0", "é", "—",
    "“", "”", "…", "\ufffd", "\ud800",
]
DOMAIN_TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(ANY_CHAR, max_size=3)),
                       max_size=60).map(" ".join)
SOME_TEXT = st.one_of(ANY_TEXT, DOMAIN_TEXT)
FAST = settings(max_examples=300, deadline=None)


def assert_normal_form(text: str) -> None:
    assert normalise_text(text) == text
    text.encode("utf-8")  # no lone surrogate: Parquet stores valid UTF-8 only
    assert text == text.strip()
    assert "\r" not in text and "\ufeff" not in text and "\n\n\n" not in text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    assert not re.search(r"[^\S\n]\n", text)


# --------------------------------------------------------------------------
# ingest: decoding and normalisation


@FAST
@given(st.binary(max_size=400))
@example(b"\xff\xfe" + "Kratom".encode("utf-16-le") + b"\x00")  # odd-length UTF-16
@example(b"caf\xc3")  # a truncated UTF-8 sequence
@example(b"\xfe\xff\xd8\x00")  # UTF-16-BE: a lone high surrogate
def test_decode_bytes_returns_text_or_a_decode_error(data):
    try:
        text = decode_bytes(data, "x.txt")
    except DecodeError as exc:
        assert exc.code in ("E014", "E015")
        assert str(exc).startswith(f"[{exc.code}] x.txt: ")
        return
    assert isinstance(text, str)
    assert_normal_form(normalise_text(text))


@FAST
@given(SOME_TEXT)
def test_utf8_and_utf16_bytes_decode_back_to_the_text(text):
    text = normalise_text(text)
    if not text:
        return
    assert decode_bytes(text.encode("utf-8"), "x.txt") == text
    assert decode_bytes(b"\xff\xfe" + text.encode("utf-16-le"), "x.txt") == text


@FAST
@given(SOME_TEXT)
@example("a\ud800b\r\n\x0c\u2029  \n\n\n\nc\ufeff")
def test_normalise_text_gives_the_normal_form(text):
    assert_normal_form(normalise_text(text))


# --------------------------------------------------------------------------
# segmentation, doses, pieces


@FAST
@given(SOME_TEXT)
@example("Title\n\n- Item\n# Heading\nBody text.\r\n\r\nConclusion\nLast words")
def test_segment_text_blocks_lie_in_the_text(text):
    previous_end = 0
    for index, (start, end, kind, section, paragraph) in enumerate(segment_text(text)):
        assert previous_end <= start < end <= len(text)
        span = text[start:end]
        assert span and span == span.strip()
        assert kind in BLOCK_KINDS and paragraph == index
        assert section is None or isinstance(section, str)
        previous_end = end


@FAST
@given(SOME_TEXT)
@example("take 2 to 4 grams twice daily, up to 10 g per day; ½ tsp every 6 hours; 5G")
def test_find_doses_offsets_lie_in_the_text(text):
    previous_end = 0
    for dose in find_doses(text):
        assert previous_end <= dose.start < dose.end <= len(text)
        assert text[dose.start:dose.end].strip()
        assert dose.dose_min is not None or dose.dose_max is not None
        if dose.dose_min is not None and dose.dose_max is not None:
            assert dose.dose_min <= dose.dose_max
        assert dose.unit and isinstance(dose.canonical, str)
        previous_end = dose.end


@FAST
@given(SOME_TEXT, st.integers(1, 80), st.integers(1, 40))
def test_split_pieces_concatenate_to_the_text(text, limit, max_run):
    pieces = split_pieces(text, limit, max_run=max_run)
    assert "".join(p for _, p in pieces) == text
    position = 0
    for offset, piece in pieces:
        assert offset == position and len(piece) <= limit
        assert piece or not text
        assert _long_run(piece, 0, len(piece), max_run) is None
        position += len(piece)


# --------------------------------------------------------------------------
# the claim extractor: the whole pipeline on short text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOME_TEXT, st.sampled_from([None, 25, 60, 200]))
@example("Kratom may relieve chronic pain.\nIt does not cure arthritis; users report 2 to 4 g daily.", 25)
@example("\x00\x01It\u2028 (7-OH) ,,, —\ud800 not\tno", 25)
@example("- 0", None)
@example("Effects include:\n•\nnausea\n  2) dizziness.\n-", 25)
def test_pipeline_rows_slice_back_into_the_text(nlp, text, piece_chars):
    text = normalise_text(text)
    if not text:
        return
    doc_id, sha = text_digest(text)
    raw = RawDocument(doc_id, text, "p.txt", ("p.txt",), "txt", None, None, sha)
    (rows,) = list(process_documents(nlp, [raw], piece_chars=piece_chars))
    assert rows.error is None
    sents = rows.sentences
    assert [s["sent_id"] for s in sents] == [f"{doc_id}-s{i:04d}" for i in range(len(sents))]
    assert all(a["end_char"] <= b["start_char"] for a, b in zip(sents, sents[1:]))
    # every non-space character is in one sentence, except a list item's bullet (rows start after it)
    bounds = [0, *(x for s in sents for x in (s["start_char"], s["end_char"])), len(text)]
    for a, b in zip(bounds[::2], bounds[1::2]):
        pos = a + len(text[a:b]) - len(text[a:b].lstrip())
        marker = LIST_MARKER.match(text, pos) if pos < b else None
        assert pos == b or (marker is not None and marker.end() == b), text[a:b]
    for name in ("sentences", "entities", "claims"):
        for row in getattr(rows, name):
            assert 0 <= row["start_char"] < row["end_char"] <= len(text)
            assert text[row["start_char"]:row["end_char"]] == row["text"]
        tables.to_table(name, getattr(rows, name))  # the rows fit the table schema
    sent_ids = {s["sent_id"] for s in sents}
    assert all(r["sent_id"] in sent_ids for r in rows.entities + rows.claims)


# --------------------------------------------------------------------------
# the atheris target works without atheris


@pytest.fixture(scope="module")
def fuzz_target():
    path = ROOT / "tests" / "fuzz" / "fuzz_pipeline.py"
    spec = importlib.util.spec_from_file_location("claimex_fuzz_pipeline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fuzz_target_runs_every_target_on_seed_inputs(fuzz_target, nlp, monkeypatch, tmp_path):
    monkeypatch.setitem(fuzz_target._STATE, "nlp", nlp)
    assert len(fuzz_target.TARGETS) == 7
    seed = (RAW / "000_0b499bb038d65974.txt").read_bytes()[:300]
    for target in range(len(fuzz_target.TARGETS)):
        for data in (b"", seed, b"\xff\xfe\x00\xd8" + seed, b"\x00\x01\x02\x85\x9c"):
            fuzz_target.check_input(bytes([target, 17]) + data)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    fuzz_target._seed_corpus(corpus)
    for path in sorted(corpus.iterdir()):
        fuzz_target.check_input(path.read_bytes())
    assert len(list(corpus.iterdir())) == 5 * 7 + 3
    words = fuzz_target._dictionary_file(tmp_path).read_text(encoding="ascii").splitlines()
    assert len(words) == len(fuzz_target.DICTIONARY)
    assert '"\\xE2\\x80\\xA8"' in words and '"kratom"' in words


_REPAIR_ALPHABET = st.sampled_from(
    list("Kratom pain\n .,") + ["\u200b", "\u00ad", "\u202e", "\u200d", "\u0430", "\u043e", "\u03bc", "é",
                                "â€™", "Ã©", "\u05e9", "中"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_REPAIR_ALPHABET, max_size=30).map("".join))
def test_repairs_are_idempotent_and_leave_ascii_alone(text):
    from claimex.ingest.repair import repair_text

    once = normalise_text(repair_text(text)[0])
    again, repairs = repair_text(once)
    assert (normalise_text(again), repairs) == (once, ())
    if text.isascii():
        assert repair_text(text) == (text, ())
