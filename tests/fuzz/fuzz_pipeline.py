"""Coverage-guided fuzzing of claimex with atheris (libFuzzer for Python).

    python tests/fuzz/fuzz_pipeline.py -max_total_time=120      # or: make fuzz

The first byte of each input picks a target, the rest is its data:

0. ``decode_bytes`` + ``normalise_text`` on raw bytes (the ingest decoding layer);
1. ``normalise_text`` on arbitrary ``str`` (lone surrogates included);
2. ``segment_text`` on arbitrary ``str``;
3. ``find_doses`` on arbitrary ``str``;
4. ``split_pieces`` with a piece size and a run limit taken from the input;
5. the whole claimex spaCy pipeline and the extractors (``process_documents``)
   on a short normalised text, in pieces of a size taken from the input;
6. ``read_corpus`` on one file (``.txt``, ``.html``, ``.jsonl``, ``.csv``, ``.md``).

Every target checks its invariants (offsets inside the text and slicing back
to the stored span text, pieces concatenating to the text, idempotent
normalisation, rows that fit the table schemas, no exception other than the
documented ``ClaimexError``) and raises ``AssertionError`` on a violation, which
libFuzzer reports as a crash and saves as ``crash-<sha1>``.

Without ``-dict`` the fuzzer gets a dictionary of domain words, without a
corpus folder a seed corpus cut from ``data/raw`` (both written to a temporary
folder), and without ``-max_len`` inputs of up to 2048 bytes.  This module imports neither atheris nor claimex at import time, so
``check_input`` can also be called without atheris (``tests/test_properties.py``
does, to keep this target from rotting); pytest never collects it (no
``test_`` prefix).
"""

from __future__ import annotations

import re
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_TEXT = 600  # characters given to the spaCy pipeline per input
SUFFIXES = (".txt", ".html", ".jsonl", ".csv", ".md")
DICTIONARY = (
    "kratom", "Kratom", "may", "might", "could", "not", "no", "never", "without", "relieve", "relieves",
    "pain", "chronic pain", "fibromyalgia", "arthritis", "nausea", "constipation", "dependence",
    "causes", "treats", "mitragynine", "7-hydroxymitragynine", "7-OH", "opioid", "receptors",
    "mu-opioid", "users report", "studies show", "research suggests", "according to", "than",
    "safer than", "grams", "g", "mg", "mg/kg", "capsules", "tsp", "per day", "daily", "twice daily",
    "up to", "at least", "between", "1-5", "2 to 4", "0.5", "½", "every 6 hours", "24-hour",
    "However,", "It", "(", ")", ".", ",", ";", ":", "?", "!", "\n", "\n\n", "- ", "* ", "1. ", "# ",
    "## ", "Conclusion", "Table of Contents", "\t", "\r\n", "\x0b", "\x0c", "\u2028", "\u2029",
    "\ufeff", "\u200b", "\xa0", "é", "—", "–", "“", "”", "…", "\ufffd",
    "<p>", "</p>", "<html>", "<body>", "<article>", "<nav>", "<script>", "<title>", "&amp;",
    "<meta charset=\"windows-1252\">", '{"text": "', '"}', "text,title\n",
)

_STATE: dict = {}


# --------------------------------------------------------------------------
# invariants, one function per target


def _text(data: bytes) -> str:
    """Any ``str``, lone surrogates included, from any bytes."""
    return data.decode("utf-8", "surrogateescape")


def _check_normalised(text: str) -> None:
    from claimex.ingest.textio import normalise_text

    assert normalise_text(text) == text, "normalise_text is not idempotent"
    text.encode("utf-8")  # no lone surrogates: Parquet needs valid UTF-8
    assert text == text.strip()
    assert "\r" not in text and "\ufeff" not in text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), "control character kept"
    assert not re.search(r"[^\S\n]\n", text), "trailing space kept"
    assert "\n\n\n" not in text


def check_decode(data: bytes) -> None:
    from claimex.ingest.textio import DecodeError, decode_bytes, normalise_text

    try:
        raw = decode_bytes(data, "fuzz.txt")
    except DecodeError as exc:
        assert exc.code in ("E014", "E015") and str(exc).startswith(f"[{exc.code}] fuzz.txt: ")
        return
    assert isinstance(raw, str)
    _check_normalised(normalise_text(raw))


def check_normalise(data: bytes) -> None:
    from claimex.ingest.textio import normalise_text

    _check_normalised(normalise_text(_text(data)))


def check_segment(data: bytes) -> None:
    from claimex.nlp.segment import BLOCK_KINDS, segment_text

    text = _text(data)
    blocks = segment_text(text)
    previous_end = 0
    for index, block in enumerate(blocks):
        start, end, kind, section, paragraph = block
        assert previous_end <= start < end <= len(text), block
        span = text[start:end]
        assert span == span.strip() and span, block
        assert kind in BLOCK_KINDS and paragraph == index, block
        assert section is None or isinstance(section, str), block
        previous_end = end


def check_doses(data: bytes) -> None:
    from claimex.nlp.dose import find_doses

    text = _text(data)
    previous_end = 0
    for dose in find_doses(text):
        assert previous_end <= dose.start < dose.end <= len(text), dose
        assert text[dose.start:dose.end].strip(), dose
        assert dose.dose_min is not None or dose.dose_max is not None, dose
        if dose.dose_min is not None and dose.dose_max is not None:
            assert dose.dose_min <= dose.dose_max, dose
        assert dose.unit and isinstance(dose.canonical, str), dose
        previous_end = dose.end


def check_pieces(data: bytes) -> None:
    from claimex.engine.local import _long_run, split_pieces

    if len(data) < 2:
        return
    limit, max_run = 1 + data[0] % 64, 1 + data[1] % 32
    text = _text(data[2:])
    pieces = split_pieces(text, limit, max_run=max_run)
    assert "".join(piece for _, piece in pieces) == text
    position = 0
    for offset, piece in pieces:
        assert offset == position and (piece or not text) and len(piece) <= limit
        assert _long_run(piece, 0, len(piece), max_run) is None, (piece, max_run)
        position += len(piece)


def _nlp():
    if "nlp" not in _STATE:
        from claimex.nlp.pipeline import load_pipeline

        _STATE["nlp"] = load_pipeline()[0]
    return _STATE["nlp"]


def check_pipeline(data: bytes) -> None:
    from claimex.store import tables
    from claimex.engine.local import process_documents
    from claimex.errors import ClaimexWarning
    from claimex.ingest import RawDocument, text_digest
    from claimex.nlp.segment import LIST_MARKER
    from claimex.ingest.textio import normalise_text

    if not data:
        return
    piece_chars = 20 + data[0] * 4
    text = normalise_text(_text(data[1:])[:MAX_TEXT])
    if not text:
        return
    doc_id, sha = text_digest(text)
    raw = RawDocument(doc_id, text, "fuzz.txt", ("fuzz.txt",), "txt", None, None, sha)
    with warnings.catch_warnings():  # W001 (a document in pieces) is what this target asks for
        warnings.simplefilter("ignore", ClaimexWarning)
        (rows,) = list(process_documents(_nlp(), [raw], piece_chars=piece_chars))
    assert rows.error is None, rows.error
    assert rows.doc_id == doc_id
    sents = rows.sentences
    assert [s["sent_id"] for s in sents] == [f"{doc_id}-s{i:04d}" for i in range(len(sents))]
    assert all(a["end_char"] <= b["start_char"] for a, b in zip(sents, sents[1:])), "sentences overlap"
    # every non-space character is in one sentence, except a list item's bullet (rows start after it)
    bounds = [0, *(x for s in sents for x in (s["start_char"], s["end_char"])), len(text)]
    for a, b in zip(bounds[::2], bounds[1::2]):
        pos = a + len(text[a:b]) - len(text[a:b].lstrip())
        marker = LIST_MARKER.match(text, pos) if pos < b else None
        assert pos == b or (marker is not None and marker.end() == b), ("text lost", text[a:b])
    for name in ("sentences", "entities", "claims"):
        rows_of = getattr(rows, name)
        for row in rows_of:
            assert 0 <= row["start_char"] < row["end_char"] <= len(text), (name, row)
            assert text[row["start_char"]:row["end_char"]] == row["text"], (name, row)
        tables.to_table(name, rows_of)  # the rows fit the table schema
    sent_ids = {s["sent_id"] for s in sents}
    assert all(r["sent_id"] in sent_ids for r in rows.entities + rows.claims)


def check_ingest(data: bytes) -> None:
    from claimex.ingest import read_corpus

    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "in" + suffix).write_bytes(data[1:])
        docs, errors = read_corpus([tmp])
    for doc in docs:
        _check_normalised(doc.text)
        assert doc.text and doc.source.startswith("in" + suffix)
    for error in errors:
        assert error.stage in ("read", "decode", "parse") and error.source.startswith("in" + suffix)
        assert re.match(r"\[E0\d\d\] in\.", error.error), error


TARGETS = (check_decode, check_normalise, check_segment, check_doses, check_pieces, check_pipeline,
           check_ingest)


def check_input(data: bytes) -> None:
    """The fuzz entry point: the first byte picks the target."""
    if data:
        TARGETS[data[0] % len(TARGETS)](data[1:])


# --------------------------------------------------------------------------
# running under atheris


def _seed_corpus(folder: Path) -> None:
    raw = sorted((ROOT / "data" / "raw").glob("*.txt"))
    for k, path in enumerate(raw):
        text = path.read_bytes()
        for target in range(len(TARGETS)):
            chunk = text[(target * 400) % max(1, len(text) - 400):][:400]
            prefix = bytes([target, 40 + k]) if TARGETS[target] in (check_pipeline, check_pieces) else bytes([target])
            (folder / f"seed-{target}-{k}").write_bytes(prefix + chunk)
    (folder / "seed-html").write_bytes(bytes([6, 1]) + b"<html><body><article><p>Kratom may relieve pain.</p>"
                                                     b"</article></body></html>")
    (folder / "seed-jsonl").write_bytes(bytes([6, 2]) + b'{"text": "Kratom 5 g daily."}\n{"text": ""}\n')
    (folder / "seed-csv").write_bytes(bytes([6, 3]) + b'title,text\nA,"Kratom, 2-4 g per day"\n')


def _dictionary_file(folder: Path) -> Path:
    path = folder / "claimex.dict"
    lines = []
    for word in DICTIONARY:
        escaped = "".join(ch if " " <= ch <= "~" and ch not in '\\"' else
                          "".join(f"\\x{b:02X}" for b in ch.encode("utf-8", "surrogateescape"))
                          for ch in word)
        lines.append(f'"{escaped}"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def main(argv: list[str] | None = None) -> None:
    import atheris

    argv = list(sys.argv if argv is None else argv)
    with atheris.instrument_imports(include=["claimex"]):
        import claimex.nlp.dose
        import claimex.engine.local
        import claimex.nlp.extract
        import claimex.ingest
        import claimex.nlp.segment
        import claimex.ingest.textio  # noqa: F401  (instrumented on import)

        _nlp()  # imports (and instruments) the claimex components
    work = Path(tempfile.mkdtemp(prefix="claimex-fuzz-"))
    if not any(a.startswith("-dict=") for a in argv[1:]):
        argv.append(f"-dict={_dictionary_file(work)}")
    if not any(a.startswith("-max_len=") for a in argv[1:]):
        argv.append("-max_len=2048")
    if not any(not a.startswith("-") for a in argv[1:]):
        corpus = work / "corpus"
        corpus.mkdir()
        _seed_corpus(corpus)
        argv.append(str(corpus))
    print(f"claimex fuzz: working folder {work}", file=sys.stderr)
    atheris.Setup(argv, check_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
