"""Tests for claimex.ingest: every input case built in tmp_path, exact outcomes."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from pathlib import Path

import pytest

from claimex import ingest
from claimex.ingest import walk
from claimex.errors import ClaimexError
from claimex.ingest import (
    InputError,
    RawDocument,
    iter_input_files,
    read_corpus,
    source_sort_key,
)

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read_single(tmp_path: Path, name: str, data: bytes | str):
    folder = tmp_path / ("in-" + name.replace("/", "-"))
    write(folder, name, data)
    return read_corpus([folder])


def only_text(tmp_path: Path, name: str, data: bytes | str) -> str:
    docs, errors = read_single(tmp_path, name, data)
    assert errors == []
    assert len(docs) == 1
    return docs[0].text


# --------------------------------------------------------------------------
# one file per case


def test_plain_text_document_fields(tmp_path):
    docs, errors = read_single(tmp_path, "sub/a.txt", "Kratom is a plant.\r\nIt may ease pain.  \n\n\n\n")
    text = "Kratom is a plant.\nIt may ease pain."
    assert errors == []
    assert docs == [RawDocument(
        doc_id=digest(text)[:16], text=text, source="sub/a.txt", sources=("sub/a.txt",),
        format="txt", title=None, url=None, content_sha256=digest(text), meta={})]


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
# HTML

GOOD_HTML = """<!DOCTYPE html>
<html><head><title>Kratom and Fibromyalgia | Example Health</title>
<meta charset="utf-8">
<link rel="canonical" href="https://example.org/kratom-fibro">
<meta property="og:url" content="https://example.org/og-url">
<script>var tracking = "do not keep this";</script>
<style>body { color: red; }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop</a></li><li><a href="/blog">Blog</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<article>
<h1>Kratom and Fibromyalgia</h1>
<p>Fibromyalgia is a chronic condition characterised by widespread pain, fatigue and poor sleep.
Many patients look for alternatives to prescription painkillers.</p>
<p>Some users report that kratom may reduce pain, but clinical trials are lacking.</p>
<script>console.log("inline script in article");</script>
</article>
<footer>Copyright 2024 Example Health. All rights reserved.</footer>
</body></html>"""

NAV_HTML = """<html><head><title>Shop</title><script>var x = 1;</script><style>.a {}</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop</a></li><li><a href="/about">About us</a></li></ul></nav>
<div class="cookie-banner">We use cookies. <a href="/privacy">Privacy policy</a> <button>Accept</button></div>
<div><p>This website uses cookies to ensure you get the best experience. By continuing you accept our
use of cookies.</p></div>
<noscript>Please enable JavaScript to view this site.</noscript>
<script>document.write("hello")</script>
<footer><a href="/terms">Terms</a></footer></body></html>"""

MALFORMED_HTML = """<html><body><div><p>Kratom leaves contain mitragynine, an alkaloid.<p>Users report relief
from chronic back pain <b>but also nausea.
<div><span>Unclosed tags everywhere</table></body>"""


def test_good_html(tmp_path):
    docs, errors = read_single(tmp_path, "page.html", GOOD_HTML)
    assert errors == []
    [doc] = docs
    assert doc.text == (
        "Kratom and Fibromyalgia\n"
        "Fibromyalgia is a chronic condition characterised by widespread pain, fatigue and poor sleep. "
        "Many patients look for alternatives to prescription painkillers.\n"
        "Some users report that kratom may reduce pain, but clinical trials are lacking.")
    assert doc.title == "Kratom and Fibromyalgia"
    assert doc.url == "https://example.org/kratom-fibro"  # canonical beats og:url
    assert doc.format == "html"
    assert doc.meta == {"sitename": "example.org"}


def test_html_url_falls_back_to_og_url_and_title_to_title_tag(tmp_path):
    html = GOOD_HTML.replace('<link rel="canonical" href="https://example.org/kratom-fibro">',
                             '<link rel="canonical" href="/relative-only">')
    docs, errors = read_single(tmp_path, "page.htm", html)
    assert errors == []
    assert docs[0].url == "https://example.org/og-url"
    assert docs[0].format == "html"


def test_navigation_only_html(tmp_path):
    docs, errors = read_single(tmp_path, "shop.html", NAV_HTML)
    assert docs == []
    assert errors == [InputError("shop.html", "parse",
                                 "[E018] shop.html: HTML page has no extractable main text.")]


def test_malformed_html_still_yields_text(tmp_path):
    docs, errors = read_single(tmp_path, "broken.html", MALFORMED_HTML)
    assert errors == []
    # The source line break inside the paragraph is collapsed as a browser
    # would; the <div> left inside the unclosed <b> stays inline.
    assert docs[0].text == ("Kratom leaves contain mitragynine, an alkaloid.\n"
                            "Users report relief from chronic back pain but also nausea. "
                            "Unclosed tags everywhere")
    assert (docs[0].title, docs[0].url) == (None, None)


def test_html_in_windows_1252_with_meta_charset(tmp_path):
    html = ('<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body>'
            '<p>Kratom \x93works\x94 for some users, according to anecdotal reports from forums.</p>'
            '</body></html>').encode("latin-1")
    docs, errors = read_single(tmp_path, "w.html", html)
    assert errors == []
    assert docs[0].text == "Kratom “works” for some users, according to anecdotal reports from forums."
    assert docs[0].title == "Café"


def test_html_with_control_characters_and_preformatted_text(tmp_path):
    html = ("<html><body><p>Kratom\x01 leaf\x0cpowder is sold\n   online in many forms.</p>"
            "<pre>dose:\n  2 g</pre></body></html>")
    assert only_text(tmp_path, "c.html", html) == "Kratom leaf powder is sold online in many forms.\ndose:\n  2 g"


@pytest.mark.parametrize("html", ["<!-- only a comment -->", "<html><head></head></html>", "<p>\u00a0</p>"])
def test_html_without_any_text(tmp_path, html):
    docs, errors = read_single(tmp_path, "e.html", html)
    assert docs == []
    assert errors == [InputError("e.html", "parse", "[E018] e.html: HTML page has no extractable main text.")]


# --------------------------------------------------------------------------
# JSONL and CSV

JSONL_LINES = [
    json.dumps({"id": 7, "title": "  First\n title ", "url": "https://a.example/1",
                "text": "Kratom may ease pain.", "lang": "en", "score": 0.5, "tags": ["x"]}),
    '{"text": "broken", ',
    "",
    json.dumps({"text": "Second article.", "source": "https://b.example/2", "id": "b2"}),
    json.dumps(["not", "an", "object"]),
    json.dumps({"title": "no text"}),
    json.dumps({"text": "Kratom may ease pain."}),
    json.dumps({"text": "   "}),
]


def test_jsonl_with_bad_lines(tmp_path):
    docs, errors = read_single(tmp_path, "sub/f.jsonl", "\r\n".join(JSONL_LINES) + "\n")
    assert [(d.source, d.sources, d.text, d.title, d.url, d.format, d.meta) for d in docs] == [
        ("https://b.example/2", ("https://b.example/2",), "Second article.", None, None, "jsonl",
         {"id": "b2"}),
        ("sub/f.jsonl:1", ("sub/f.jsonl:1", "sub/f.jsonl:7"), "Kratom may ease pain.", "First title",
         "https://a.example/1", "jsonl", {"id": "7", "lang": "en", "score": "0.5"}),
    ]
    assert docs[1].doc_id == digest("Kratom may ease pain.")[:16]
    assert errors == [
        InputError("sub/f.jsonl:2", "parse", "[E016] sub/f.jsonl: line 2: malformed JSON "
                   "(Expecting property name enclosed in double quotes at column 20)."),
        InputError("sub/f.jsonl:5", "parse",
                   "[E016] sub/f.jsonl: line 5: malformed JSON (expected a JSON object, got an array)."),
        InputError("sub/f.jsonl:6", "parse",
                   "[E021] sub/f.jsonl: line 6: JSON object has no non-empty 'text' field."),
        InputError("sub/f.jsonl:8", "parse",
                   "[E021] sub/f.jsonl: line 8: JSON object has no non-empty 'text' field."),
    ]


def test_csv_without_text_column(tmp_path):
    docs, errors = read_single(tmp_path, "t.csv", "title,body\nA,some words\n")
    assert docs == []
    assert errors == [InputError("t.csv", "parse",
                                 "[E017] t.csv: CSV has no 'text' column (columns: 'title', 'body').")]


def test_csv_with_text_column(tmp_path):
    data = ("title, Text ,url,source,extra\n"
            'T1,"Multi\nline text",https://c.example/1,,x\n'
            ",,,,\n"
            "T2,,,,\n"
            "T3,Third text,,src-3,\n")
    docs, errors = read_single(tmp_path, "t.csv", data)
    assert [(d.source, d.sources, d.text, d.title, d.url, d.format, d.meta) for d in docs] == [
        ("src-3", ("src-3",), "Third text", "T3", None, "csv", {}),
        ("t.csv:2", ("t.csv:2",), "Multi\nline text", "T1", "https://c.example/1", "csv", {"extra": "x"}),
    ]
    assert errors == [InputError("t.csv:5", "parse",
                                 "[E023] t.csv: line 5: CSV row has an empty 'text' value; skipped.")]


def test_csv_header_only(tmp_path):
    docs, errors = read_single(tmp_path, "h.csv", "text,title\n")
    assert docs == []
    assert errors == [InputError("h.csv", "parse", "[E025] h.csv: CSV has a header but no rows.")]


def test_csv_long_field_is_not_cut(tmp_path):
    long_text = "word " * 40000  # 200,000 characters: above csv's default field limit
    text = only_text(tmp_path, "long.csv", f"text\n{long_text}\n")
    assert text == long_text.strip()


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


def test_symlink_loop_is_one_error_and_the_walk_goes_on(tmp_path):
    folder = tmp_path / "in"
    write(folder, "a.txt", "Alpha.")
    write(folder, "sub/b.txt", "Beta.")
    os.symlink("..", folder / "sub" / "up")
    os.symlink("self.txt", folder / "self.txt")
    outside = tmp_path / "outside"
    write(outside, "o.txt", "Outside.")
    os.symlink(outside, folder / "ext")
    docs, errors = read_corpus([folder])
    assert [(d.source, d.text) for d in docs] == [
        ("a.txt", "Alpha."), ("ext/o.txt", "Outside."), ("sub/b.txt", "Beta.")]
    assert errors == [
        InputError("self.txt", "read",
                   "[E020] self.txt: symbolic link loop or link to a folder already visited; skipped."),
        InputError("sub/up", "read",
                   "[E020] sub/up: symbolic link loop or link to a folder already visited; skipped."),
    ]
    # The same loop reached from two overlapping roots is still reported once.
    _, errors2 = read_corpus([folder / "sub", folder])
    assert [e.source for e in errors2] == ["self.txt", "sub/up"]


def test_broken_symlink(tmp_path):
    folder = tmp_path / "in"
    write(folder, "ok.txt", "Fine.")
    os.symlink("missing.txt", folder / "gone.txt")
    os.symlink("missing.bin", folder / "gone.bin")  # unsupported suffix: silent
    docs, errors = read_corpus([folder])
    assert [d.source for d in docs] == ["ok.txt"]
    assert errors == [InputError("gone.txt", "read",
                                 "[E019] gone.txt: cannot read file (broken symbolic link).")]


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


def test_unreadable_folder_simulated(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write(folder, "ok.txt", "Fine.")
    write(folder, "closed/x.txt", "Behind a closed door.")
    real_scandir = os.scandir

    def fake_scandir(path):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", fake_scandir)
    docs, errors = read_corpus([folder])
    assert [d.source for d in docs] == ["ok.txt"]
    assert errors == [InputError("closed", "read", "[E027] closed: cannot read folder (permission denied).")]


def test_explicit_unknown_suffix_is_an_error_but_skipped_in_folders(tmp_path):
    folder = tmp_path / "in"
    write(folder, "notes.pdf", "not really a pdf")
    write(folder, "README", "no suffix")
    write(folder, ".hidden.txt", "hidden file")
    write(folder, ".git/x.txt", "hidden folder")
    write(folder, "doc.TXT", "Upper-case suffix.")
    docs, errors = read_corpus([folder])
    assert ([d.source for d in docs], errors) == (["doc.TXT"], [])
    docs, errors = read_corpus([folder / "notes.pdf", folder / "README", folder / ".hidden.txt"])
    assert [d.source for d in docs] == [".hidden.txt"]
    assert errors == [
        InputError("README", "read", "[E022] README: unsupported file type '(no suffix)'; skipped."),
        InputError("notes.pdf", "read", "[E022] notes.pdf: unsupported file type '.pdf'; skipped."),
    ]


def test_file_given_directly_is_named_by_its_file_name(tmp_path):
    path = write(tmp_path / "deep" / "er", "x.txt", "Direct.")
    docs, errors = read_corpus([str(path)])
    assert errors == []
    assert (docs[0].source, docs[0].sources) == ("x.txt", ("x.txt",))


def test_missing_input_path(tmp_path):
    with pytest.raises(ClaimexError) as info:
        read_corpus([tmp_path / "nope", tmp_path])
    assert str(info.value) == f"[E010] Input path does not exist: {tmp_path / 'nope'}"


def test_iter_input_files(tmp_path):
    folder = tmp_path / "in"
    for name in ["b.txt", "a/c.md", "a/b.html", "x.pdf", "d.csv", "e.jsonl"]:
        write(folder, name, "x")
    found = list(iter_input_files([folder]))
    assert [source for _, source in found] == ["a/b.html", "a/c.md", "b.txt", "d.csv", "e.jsonl"]
    assert all(path.is_absolute() and path.is_file() for path, _ in found)


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
    assert [(d.source, d.sources) for d in docs] == [
        ("a.txt", ("a.txt", "dup.txt")),
        ("b.html", ("b.html",)),
        ("c.jsonl:1", ("c.jsonl:1", "c.jsonl:7")),
        ("https://b.example/2", ("https://b.example/2",)),
        ("w.txt", ("w.txt",)),
    ]
    assert [(e.source, e.stage) for e in errors] == [
        ("bad.txt", "read"), ("c.jsonl:2", "parse"), ("c.jsonl:5", "parse"),
        ("c.jsonl:6", "parse"), ("c.jsonl:8", "parse")]


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
