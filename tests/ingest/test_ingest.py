"""claimex.ingest.read_corpus: plain files, decoding, copies merged, determinism, the seeds (cases built in tmp_path)."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from claimex import ingest
from claimex.ingest import InputError, RawDocument, read_corpus, source_sort_key, walk

from ingest_files import GOOD_HTML, JSONL_LINES, RAW, digest, only_text, read_single, write

# --------------------------------------------------------------------------
# one file per case


def test_plain_text_document_fields(tmp_path):
    docs, errors = read_single(tmp_path, "sub/a.txt", "Kratom is a plant.\r\nIt may ease pain.  \n\n\n\n")
    text = "Kratom is a plant.\nIt may ease pain."
    assert errors == []
    assert docs == [RawDocument(
        doc_id=digest(text)[:16], text=text, source="sub/a.txt", sources=("sub/a.txt",),
        format="txt", title=None, url=None, content_sha256=digest(text), meta={},
        input_path="sub/a.txt", input_line=None, site=None, repairs=())]


def test_markdown_is_kept_as_is(tmp_path):
    docs, errors = read_single(tmp_path, "n.md", "# Kratom\n\n- item *one*\n")
    assert errors == []
    assert (docs[0].text, docs[0].format) == ("# Kratom\n\n- item *one*", "md")


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n \n"])
def test_empty_and_whitespace_files(tmp_path, data):
    docs, errors = read_single(tmp_path, "empty.txt", data)
    assert docs == []
    assert errors == [InputError("empty.txt", "read",
                                 "[E013] empty.txt: file is empty or contains only whitespace.")]


def test_binary_file_with_txt_suffix(tmp_path):
    docs, errors = read_single(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert docs == []
    assert errors == [InputError("image.txt", "decode",
                                 "[E014] image.txt: looks like a binary file (PNG image), not text.")]
    docs, errors = read_single(tmp_path, "nul.txt", b"text\x00with\x00nul\x01\x02")
    assert errors == [InputError("nul.txt", "decode",
                                 "[E014] nul.txt: looks like a binary file (contains NUL bytes), not text.")]


def test_truncated_utf8_keeps_document_with_one_replacement_char(tmp_path):
    data = "Kratom’s “effects” vary.\n".encode() + "Dose: 2–4 g".encode() + "—".encode()[:2]
    assert only_text(tmp_path, "cut.txt", data) == "Kratom’s “effects” vary.\nDose: 2–4 g\ufffd"


def test_cp1252_file(tmp_path):
    assert only_text(tmp_path, "w.txt", b"caf\xe9 \x93quoted\x94") == "café “quoted”"


def test_latin1_file(tmp_path):
    data = "Kratom: naïve résumé, Größe © 2024\n".encode("latin-1")
    assert only_text(tmp_path, "l.txt", data) == "Kratom: naïve résumé, Größe © 2024"


def test_utf16_bom_file(tmp_path):
    data = codecs.BOM_UTF16_LE + "Kratom – café\r\nline two\r\n".encode("utf-16-le")
    assert only_text(tmp_path, "u16.txt", data) == "Kratom – café\nline two"


def test_utf8_bom_file(tmp_path):
    assert only_text(tmp_path, "bom.md", codecs.BOM_UTF8 + b"Hello") == "Hello"


# --------------------------------------------------------------------------
# names, duplicates, walking


def test_duplicates_under_two_names_become_one_document(tmp_path):
    folder = tmp_path / "in"
    write(folder, "b/copy.txt", "Same article.\n")
    write(folder, "a.md", "Same article.")
    write(folder, "z.txt", "Other article.")
    docs, errors = read_corpus([folder])
    assert errors == []
    assert [(d.source, d.sources, d.format) for d in docs] == [
        ("a.md", ("a.md", "b/copy.txt"), "md"),
        ("z.txt", ("z.txt",), "txt"),
    ]
    assert docs[0].doc_id == digest("Same article.")[:16]


def test_symlinked_file_is_read_once_and_reported_once(tmp_path):
    folder = tmp_path / "in"
    write(folder, "real.txt", b"\x00\x01binary")
    os.symlink("real.txt", folder / "alias.txt")
    docs, errors = read_corpus([folder])
    assert docs == []
    assert errors == [InputError("alias.txt", "decode",
                                 "[E014] alias.txt: looks like a binary file (contains NUL bytes), not text.")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read every file")
def test_unreadable_file(tmp_path):
    folder = tmp_path / "in"
    write(folder, "ok.txt", "Fine.")
    secret = write(folder, "secret.txt", "Hidden.")
    secret.chmod(0)
    try:
        docs, errors = read_corpus([folder])
    finally:
        secret.chmod(0o644)
    assert [d.source for d in docs] == ["ok.txt"]
    assert errors == [InputError("secret.txt", "read",
                                 "[E019] secret.txt: cannot read file (permission denied).")]


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """Same as above, for root: the read itself is made to fail."""
    folder = tmp_path / "in"
    write(folder, "ok.txt", "Fine.")
    write(folder, "secret.txt", "Hidden.")
    real_read = ingest._read_bytes

    def fake_read(path):
        if Path(path).name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(ingest, "_read_bytes", fake_read)
    docs, errors = read_corpus([folder])
    assert [d.source for d in docs] == ["ok.txt"]
    assert errors == [InputError("secret.txt", "read",
                                 "[E019] secret.txt: cannot read file (permission denied).")]


def test_source_sort_key_orders_line_numbers_numerically():
    names = ["f.jsonl:10", "f.jsonl", "f.jsonl:2", "e.txt", "f.jsonl.bak"]
    assert sorted(names, key=source_sort_key) == ["e.txt", "f.jsonl", "f.jsonl:2", "f.jsonl:10", "f.jsonl.bak"]


# --------------------------------------------------------------------------
# determinism


def _mixed_corpus(tmp_path: Path) -> tuple[Path, Path]:
    one = tmp_path / "one"
    two = tmp_path / "two"
    write(one, "a.txt", "Alpha article about kratom.")
    write(one, "b.html", GOOD_HTML)
    write(one, "c.jsonl", "\n".join(JSONL_LINES))
    write(one, "bad.txt", b"")
    write(two, "dup.txt", "Alpha article about kratom.")
    write(two, "w.txt", b"caf\xe9 \x93quoted\x94")
    return one, two


def test_output_does_not_depend_on_path_order(tmp_path):
    one, two = _mixed_corpus(tmp_path)
    first = read_corpus([one, two])
    second = read_corpus([two, one])
    third = read_corpus([str(two), str(one), one])
    assert first == second == third
    docs, errors = first
    # Two roots: every name starts with its root's label, so equal relative names stay apart.
    assert [(d.source, d.sources) for d in docs] == [
        ("one/a.txt", ("one/a.txt", "two/dup.txt")),
        ("one/b.html", ("one/b.html",)),
        ("one/c.jsonl:1", ("one/c.jsonl:1", "one/c.jsonl:7")),
        ("one/c.jsonl:4", ("one/c.jsonl:4",)),
        ("two/w.txt", ("two/w.txt",)),
    ]
    assert [(e.source, e.stage) for e in errors] == [
        ("one/bad.txt", "read"), ("one/c.jsonl:2", "parse"), ("one/c.jsonl:5", "parse"),
        ("one/c.jsonl:6", "parse"), ("one/c.jsonl:8", "parse")]


def test_output_does_not_depend_on_directory_listing_order(tmp_path, monkeypatch):
    one, two = _mixed_corpus(tmp_path)
    expected = read_corpus([one, two])
    real_scandir = os.scandir

    class Reversed:
        def __init__(self, path):
            self.it = real_scandir(path)

        def __enter__(self):
            return reversed(list(self.it))

        def __exit__(self, *exc):
            self.it.close()

    monkeypatch.setattr(walk.os, "scandir", Reversed)
    assert read_corpus([one, two]) == expected


# --------------------------------------------------------------------------
# the seed corpus

SEED_IDS = {
    "000_0b499bb038d65974.txt": "bd6dc54bef8ad296",
    "001_e00226db8c1070c3.txt": "0741bd6af4856b66",
    "002_8d8250643712a73f.txt": "f5647b61a140f240",
    "003_81d297962e730e8c.txt": "75bfb1f9e1ba027d",
    "004_87505c1645927b3b.txt": "70abac32b42f0628",
}


def test_seed_corpus():
    docs, errors = read_corpus([RAW])
    assert errors == []
    assert [(d.source, d.doc_id) for d in docs] == list(SEED_IDS.items())
    for doc in docs:
        assert doc.sources == (doc.source,)
        assert (doc.format, doc.title, doc.url, doc.meta) == ("txt", None, None, {})
        assert doc.text == (RAW / doc.source).read_text(encoding="utf-8")
        assert doc.content_sha256.startswith(doc.doc_id) and len(doc.content_sha256) == 64
    assert docs[4].text.startswith(
        "Understanding Kratom’s Role in Pain Management – A Holistic Approach to Wellness\n\n")
