"""Tests for claimex.ingest.textio: decoding policy and text normalisation."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.errors import ClaimexError
from claimex.ingest.textio import DecodeError, decode_bytes, normalise_text

SEEDS = sorted((Path(__file__).resolve().parents[2] / "data" / "raw").glob("*.txt"))


# --------------------------------------------------------------------------
# decode_bytes: encodings that decide themselves


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", ""),
        (b"plain ascii\n", "plain ascii\n"),
        ("naïve café — “ok”".encode(), "naïve café — “ok”"),
        (codecs.BOM_UTF8 + "café".encode(), "café"),
        (codecs.BOM_UTF16_LE + "héllo wörld".encode("utf-16-le"), "héllo wörld"),
        (codecs.BOM_UTF16_BE + "héllo wörld".encode("utf-16-be"), "héllo wörld"),
        (codecs.BOM_UTF32_LE + "kratom ✓".encode("utf-32-le"), "kratom ✓"),
        # BOM-less UTF-16 of Latin text is recognised by where its NUL bytes sit
        ("Kratom eases pain?\n".encode("utf-16-le"), "Kratom eases pain?\n"),
        ("Kratom eases pain?\n".encode("utf-16-be"), "Kratom eases pain?\n"),
    ],
)
def test_decode_unambiguous(data, expected):
    assert decode_bytes(data, "f.txt") == expected


def test_utf16_with_bom_and_odd_length_ends_in_replacement_char():
    data = codecs.BOM_UTF16_LE + "hé".encode("utf-16-le") + b"\x00"
    assert decode_bytes(data, "f.txt") == "hé\ufffd"


# --------------------------------------------------------------------------
# decode_bytes: damaged UTF-8 (the deliberate policy of the module docstring)


def test_truncated_final_utf8_sequence_becomes_one_replacement_char():
    data = "naïve café ".encode() + "—".encode()[:2]
    assert decode_bytes(data, "f.txt") == "naïve café \ufffd"


def test_truncated_final_lone_lead_byte_after_utf8_text():
    data = "naïve café".encode() + b"\xc3"
    assert decode_bytes(data, "f.txt") == "naïve café\ufffd"


def test_two_byte_cut_short_sequence_alone_is_evidence_of_utf8():
    assert decode_bytes(b"pain relief \xe2\x80", "f.txt") == "pain relief \ufffd"


def test_lone_lead_byte_after_ascii_is_windows_1252():
    # No evidence of UTF-8 at all: read as a legacy encoding.
    assert decode_bytes(b"caf\xe9", "f.txt") == "café"


def test_utf8_with_pasted_windows_1252_quotes_keeps_both():
    data = "Kratom’s effects — ".encode() + b"\x93quoted\x94"
    assert decode_bytes(data, "f.txt") == "Kratom’s effects — “quoted”"


def test_cut_short_sequence_inside_utf8_text():
    data = "é".encode() + b" x\xe2\x80 y"
    assert decode_bytes(data, "f.txt") == "é x\ufffd y"


# --------------------------------------------------------------------------
# decode_bytes: legacy encodings


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"caf\xe9 \x93quoted\x94", "café “quoted”"),
        ("naïve résumé © 2024, Größe".encode("latin-1"), "naïve résumé © 2024, Größe"),
        (
            "Le kratom est une plante d’Asie. À forte dose, ses effets sont sédatifs.".encode("cp1252"),
            "Le kratom est une plante d’Asie. À forte dose, ses effets sont sédatifs.",
        ),
        # Central-European text: the detector's cp1250 beats Windows-1252's "Za¿ó³æ"
        (
            "Zażółć gęślą jaźń. Polska wersja tekstu o kratomie.".encode("cp1250"),
            "Zażółć gęślą jaźń. Polska wersja tekstu o kratomie.",
        ),
        # Another script: the detector's guess is used as is
        ("Привет, как дела? Это тест.".encode("cp1251"), "Привет, как дела? Это тест."),
    ],
)
def test_decode_legacy(data, expected):
    assert decode_bytes(data, "f.txt") == expected


def test_declared_charset_is_used_for_non_utf8_bytes():
    data = "<p>Привет мир</p>".encode("koi8-r")
    assert decode_bytes(data, "p.html", declared="KOI8-R") == "<p>Привет мир</p>"


def test_declared_latin1_means_windows_1252():
    assert decode_bytes(b"\x93hi\x94 caf\xe9", "p.html", declared="iso-8859-1") == "“hi” café"


def test_declared_charset_does_not_override_valid_utf8():
    assert decode_bytes("café".encode(), "p.html", declared="koi8-r") == "café"


# --------------------------------------------------------------------------
# decode_bytes: not text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"abc\x00\x01\x02def", "contains NUL bytes"),
        (b"\x00\x00\x00", "contains NUL bytes"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
        (b"PK\x03\x04\x14\x00", "ZIP archive or Office document"),
        (bytes(range(1, 32)) * 3, "84% control bytes"),
    ],
)
def test_binary_is_rejected(data, reason):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, "sub/x.txt")
    assert info.value.code == "E014"
    assert str(info.value) == f"[E014] sub/x.txt: looks like a binary file ({reason}), not text."
    assert isinstance(info.value, ClaimexError)


def test_undecodable_high_bytes():
    with pytest.raises(DecodeError) as info:
        decode_bytes(bytes(range(0x80, 0x100)) * 4, "x.txt")
    assert info.value.code == "E015"
    assert str(info.value) == (
        "[E015] x.txt: could not decode the text (not UTF-8, UTF-16 or any known legacy encoding).")


# --------------------------------------------------------------------------
# normalise_text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ""),
        (" \n\t \n", ""),
        ("a\r\nb\rc", "a\nb\nc"),
        ("cafe\u0301", "café"),  # NFC
        ("\ufeffHello", "Hello"),
        ("zero\ufeffwidth", "zerowidth"),
        ("bell\x07 esc\x1b del\x7f c1\x9d", "bell esc del c1"),
        ("tab\tkept\n\tindent", "tab\tkept\n\tindent"),
        ("trailing  \t\nnbsp\u00a0\nideo\u3000", "trailing\nnbsp\nideo"),
        ("a\n\nb", "a\n\nb"),
        ("a\n\n\nb", "a\n\nb"),
        ("a\n \n\t\n\n\nb", "a\n\nb"),
        ("page\x0cbreak\x0bvt\x85nel\u2028ls", "page\nbreak\nvt\nnel\nls"),
        ("para\u2029next", "para\n\nnext"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("zwsp\u200bzwj\u200d", "zwsp\u200bzwj\u200d"),
        ("  \n\n  first line\nsecond  \n\n\n\n", "first line\nsecond"),
    ],
)
def test_normalise_text(text, expected):
    assert normalise_text(text) == expected


def test_seeds_are_already_normal():
    assert len(SEEDS) == 5
    for path in SEEDS:
        seed = path.read_text(encoding="utf-8")
        assert normalise_text(seed) == seed.strip() == seed, path.name


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60))
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip()
    assert "\r" not in once and "\n\n\n" not in once
    once.encode("utf-8")  # no lone surrogates left


_TEXT_CHARS = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t")


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(alphabet=_TEXT_CHARS, max_size=80).filter(lambda t: not t.startswith("\ufeff")))
def test_decode_round_trips_utf8_and_utf16(text):
    assert decode_bytes(text.encode("utf-8"), "f.txt") == text
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass"), "f.txt") == text
