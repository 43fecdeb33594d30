"""claimex.ingest.formats: JSONL lines and CSV rows as documents, and their errors."""

from __future__ import annotations

from claimex.ingest import InputError

from ingest_files import JSONL_LINES, digest, only_text, read_single


def test_jsonl_with_bad_lines(tmp_path):
    docs, errors = read_single(tmp_path, "sub/f.jsonl", "\r\n".join(JSONL_LINES) + "\n")
    # A record is named by its place (file:line); its own "source" field is its site.
    assert [(d.source, d.sources, d.text, d.title, d.url, d.format, d.meta) for d in docs] == [
        ("sub/f.jsonl:1", ("sub/f.jsonl:1", "sub/f.jsonl:7"), "Kratom may ease pain.", "First title",
         "https://a.example/1", "jsonl", {"id": "7", "lang": "en", "score": "0.5"}),
        ("sub/f.jsonl:4", ("sub/f.jsonl:4",), "Second article.", None, None, "jsonl", {"id": "b2"}),
    ]
    assert [(d.input_path, d.input_line, d.site) for d in docs] == [
        ("sub/f.jsonl", 1, None), ("sub/f.jsonl", 4, "https://b.example/2")]
    assert docs[0].doc_id == digest("Kratom may ease pain.")[:16]
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
        ("t.csv:2", ("t.csv:2",), "Multi\nline text", "T1", "https://c.example/1", "csv", {"extra": "x"}),
        ("t.csv:6", ("t.csv:6",), "Third text", "T3", None, "csv", {}),
    ]
    assert [(d.input_path, d.input_line, d.site) for d in docs] == [("t.csv", 2, None), ("t.csv", 6, "src-3")]
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
