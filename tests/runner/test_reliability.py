"""Reliability of ``claimex run`` (issue 7): bad input costs only itself, nothing is
lost or half-written when a run is killed, and one run at a time writes a folder.

Every case is built in ``tmp_path`` and checked for its exact outcome.  The CLI
runs in real subprocesses (exit codes, stderr, SIGKILL, two runs at once); the
failure-injection tests run in-process with one loaded pipeline.

Files cannot be made unreadable for root by ``chmod`` alone: when the tests run
as root, the CLI subprocess is started under ``setpriv`` without the
capabilities that bypass file permissions (``CAP_DAC_OVERRIDE``,
``CAP_DAC_READ_SEARCH``).  Where that is impossible the unreadable file is
left out of the corpus (and out of the expected errors).
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
from claimex.cli.common import EXIT_PARTIAL
import pytest

from claimex.engine import local as engine

from claimex.nlp import pipeline
from claimex.engine.local import MAX_RUN_CHARS, split_pieces
from claimex.errors import ClaimexError, ClaimexWarning
from claimex.ingest import text_digest
from claimex.runner import LOCK_NAME, run_corpus
from claimex.schema import TABLES
from claimex.nlp.segment import LIST_MARKER

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
SEEDS = sorted(p.name for p in RAW.glob("*.txt"))
TABLE_FILES = sorted(f"{n}.parquet" for n in TABLES)
OUTPUT_FILES = sorted(TABLE_FILES + ["manifest.json", "report.html", "report.md"])
BIG_PIECE_CHARS = 8_000  # CLAIMEX_PIECE_CHARS for the bad-input run: same code path as 20 MB
BIG_CHARS = 50_000
LONG_LINE_CHARS = 200_000


# --------------------------------------------------------------------------
# helpers


def claimex_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("claimex")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "claimex.cli"]


def _unreadable_prefix() -> list[str] | None:
    """Command prefix under which a mode-000 file cannot be read, or None."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search", "true"],
                           capture_output=True)
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if probe.returncode == 0 else None


UNREADABLE_PREFIX = _unreadable_prefix()


def cli(*args: str | Path, env: dict[str, str] | None = None, prefix: list[str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, COLUMNS="200", **(env or {}))
    return subprocess.run([*(prefix or []), *claimex_cmd(), *map(str, args)], capture_output=True,
                          text=True, env=full_env, timeout=timeout)


def read_rows(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / f"{name}.parquet").to_pylist()


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("claimex: skipped ")]


def assert_offsets_slice_back(out: Path) -> dict[str, str]:
    """Every sentence, entity and claim row slices back out of its document's text."""
    texts = {d["doc_id"]: d["text"] for d in read_rows(out, "documents")}
    for name in ("sentences", "entities", "claims"):
        for row in read_rows(out, name):
            text = texts[row["doc_id"]]
            assert 0 <= row["start_char"] < row["end_char"] <= len(text), (name, row)
            assert text[row["start_char"]:row["end_char"]] == row["text"], (name, row)
    return texts


def _uncovered_is_space_or_a_list_marker(text: str, start: int, end: int) -> bool:
    """Text between two sentence rows: spaces, or spaces and the bullet of the list item after them."""
    pos = start + len(text[start:end]) - len(text[start:end].lstrip())
    if pos == end:
        return True
    marker = LIST_MARKER.match(text, pos, len(text))
    return marker is not None and marker.end() == end


def _after_list_marker(text: str, pos: int) -> int:
    """Where the text of a line starting at ``pos`` begins: after its bullet if it is a list item."""
    marker = LIST_MARKER.match(text, pos)
    return marker.end() if marker else pos


def assert_sentences_cover_documents(out: Path) -> None:
    """Sentences are in order, do not overlap, and hold every non-space character once, except the
    bullets of list items (a sentence row starts after its bullet since schema 1.1)."""
    docs = read_rows(out, "documents")
    by_doc: dict[str, list[dict]] = {}
    for s in read_rows(out, "sentences"):
        by_doc.setdefault(s["doc_id"], []).append(s)
    for d in docs:
        sents = by_doc.get(d["doc_id"], [])
        assert [s["sent_index"] for s in sents] == list(range(len(sents)))
        assert [s["sent_id"] for s in sents] == [f"{d['doc_id']}-s{i:04d}" for i in range(len(sents))]
        assert all(a["end_char"] <= b["start_char"] for a, b in zip(sents, sents[1:]))
        bounds = [0, *(x for s in sents for x in (s["start_char"], s["end_char"])), len(d["text"])]
        for a, b in zip(bounds[::2], bounds[1::2]):
            assert _uncovered_is_space_or_a_list_marker(d["text"], a, b), (d["source"], d["text"][a:b])
        assert d["n_sentences"] == len(sents)


def snapshot(folder: Path) -> dict[str, bytes]:
    """The final-named outputs of a folder (hidden files excluded)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --------------------------------------------------------------------------
# the bad-input corpus

NAV = "<nav><ul>" + "".join(f"<li><a href='/p{i}'>Page {i}</a></li>" for i in range(60)) + "</ul></nav>"
SCRIPTS = "<script>" + "var t = {};" * 200 + "</script><style>body{color:red}</style>"
COOKIE = ("<div class='cc-window'><p>We use cookies to improve your experience. By continuing you accept "
          "our cookie policy.</p><button>Accept all cookies</button><button>Settings</button></div>")
BANNER = "<div><p>This site uses cookies. Click accept to agree to our privacy policy.</p></div>"
ARTICLE = ("<article><h1>Kratom and Chronic Pain</h1>"
           "<p>Kratom may relieve chronic pain in some adults, according to several small surveys of users.</p>"
           "<p>However, kratom can cause nausea and constipation, and long-term use may lead to dependence.</p>"
           "</article>")
MOSTLY_NAV_HTML = (
    "<!DOCTYPE html><html><head><title>Kratom and Chronic Pain | Example Health</title>"
    "<link rel='canonical' href='https://example.org/kratom-pain'>" + SCRIPTS + "</head><body>"
    + COOKIE + "<header>" + NAV + "</header><main>" + ARTICLE + "</main><aside>" + NAV + "</aside>" + BANNER
    + "<footer>" + NAV + "<p>© 2024 Example Health. All rights reserved.</p></footer>" + SCRIPTS + "</body></html>")
NAV_ONLY_HTML = ("<html><head><title>Shop</title>" + SCRIPTS + "</head><body>" + COOKIE + NAV
                 + "<script>console.log('tracking')</script><footer>© 2024 Example</footer></body></html>")
MALFORMED_HTML = (  # unclosed <p>, stray closing tags, misnested <b><i>, bare & and <, no </html>
    "<html><head><title>Kratom and pain</title></head><body><div><p>Kratom may relieve chronic pain in "
    "some adults, according to several small surveys of users.<p>However, kratom can cause nausea and "
    "constipation</span></b><div><b>and long-term use <i>may lead to dependence</b> within 3 & < 6 "
    "months.</i></div></td></body")
JSONL_LINES = [json.dumps({"text": "Kratom may relieve arthritis pain.", "title": "A"}),
               '{"text": "broken json',
               json.dumps({"text": "Kratom can cause constipation in regular users."})]
LONG_WORDS = "kratom pain relief fibromyalgia arthritis users report dose grams".split()


def big_text(n_chars: int) -> str:
    """An article of about ``n_chars`` characters: seed paragraphs over and over."""
    paragraphs = [p for p in (RAW / SEEDS[3]).read_text(encoding="utf-8").split("\n") if p.strip()]
    out: list[str] = []
    size = 0
    while size < n_chars:
        p = paragraphs[len(out) % len(paragraphs)]
        out.append(p)
        size += len(p) + 2
    return "\n\n".join(out)


def long_line(n_chars: int) -> str:
    line = " ".join(LONG_WORDS[i % len(LONG_WORDS)] for i in range(n_chars // 5))
    return line[:n_chars].rstrip()


def build_bad_corpus(root: Path, *, big_chars: int = BIG_CHARS, with_unreadable: bool = True) -> Path:
    root.mkdir(parents=True)
    for name in SEEDS[:3]:
        shutil.copyfile(RAW / name, root / name)
    shutil.copyfile(RAW / SEEDS[0], root / "copy of 000.txt")  # the same article under another name
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b"  \n\t\r\n \xc2\xa0 \n")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    euro = "€".encode("utf-8")
    (root / "truncated.txt").write_bytes("Kratom may ease pain — some users say.\nPrice: 20 ".encode("utf-8")
                                         + euro[:2])
    (root / "cp1252.txt").write_bytes("Kratom “reduces pain” – said the café owner.".encode("cp1252"))
    (root / "latin1.txt").write_bytes("Kratom soulage la douleur à Zürich. Naïve façade, déjà vu.".encode("latin-1"))
    (root / "utf16.txt").write_bytes(
        codecs.BOM_UTF16_LE + "Kratom may relieve chronic pain.\r\nSome users report nausea.\r\n".encode("utf-16-le"))
    (root / "mostly_nav.html").write_text(MOSTLY_NAV_HTML, encoding="utf-8")
    (root / "nav_only.html").write_text(NAV_ONLY_HTML, encoding="utf-8")
    (root / "malformed.html").write_text(MALFORMED_HTML, encoding="utf-8")
    (root / "articles.jsonl").write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    (root / "notext.csv").write_text("title,body\nA,Kratom relieves pain.\n", encoding="utf-8")
    (root / "big.txt").write_text(big_text(big_chars), encoding="utf-8")
    (root / "longline.txt").write_text(long_line(LONG_LINE_CHARS), encoding="utf-8")
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "up")
    if with_unreadable:
        (root / "locked.txt").write_text("Kratom is a plant.", encoding="utf-8")
        os.chmod(root / "locked.txt", 0)
    return root


def expected_errors(with_unreadable: bool) -> list[dict]:
    rows = [
        {"source": "articles.jsonl:2", "stage": "parse",
         "error": "[E016] articles.jsonl: line 2: malformed JSON (Unterminated string starting at at column 10)."},
        {"source": "blank.txt", "stage": "read",
         "error": "[E013] blank.txt: file is empty or contains only whitespace."},
        {"source": "empty.txt", "stage": "read",
         "error": "[E013] empty.txt: file is empty or contains only whitespace."},
        {"source": "image.txt", "stage": "decode",
         "error": "[E014] image.txt: looks like a binary file (PNG image), not text."},
        {"source": "locked.txt", "stage": "read",
         "error": "[E019] locked.txt: cannot read file (permission denied)."},
        {"source": "loop/up", "stage": "read",
         "error": "[E020] loop/up: symbolic link loop or link to a folder already visited; skipped."},
        {"source": "nav_only.html", "stage": "parse",
         "error": "[E018] nav_only.html: HTML page has no extractable main text."},
        {"source": "notext.csv", "stage": "parse",
         "error": "[E017] notext.csv: CSV has no 'text' column (columns: 'title', 'body')."},
    ]
    return [r for r in rows if with_unreadable or r["source"] != "locked.txt"]


# (source, sources, format, exact text or None when checked elsewhere)
EXPECTED_DOCUMENTS = [
    (SEEDS[0], [SEEDS[0], "copy of 000.txt"], "txt", None),
    (SEEDS[1], [SEEDS[1]], "txt", None),
    (SEEDS[2], [SEEDS[2]], "txt", None),
    ("articles.jsonl:1", ["articles.jsonl:1"], "jsonl", "Kratom may relieve arthritis pain."),
    ("articles.jsonl:3", ["articles.jsonl:3"], "jsonl", "Kratom can cause constipation in regular users."),
    ("big.txt", ["big.txt"], "txt", None),
    ("cp1252.txt", ["cp1252.txt"], "txt", "Kratom “reduces pain” – said the café owner."),
    ("latin1.txt", ["latin1.txt"], "txt", "Kratom soulage la douleur à Zürich. Naïve façade, déjà vu."),
    ("longline.txt", ["longline.txt"], "txt", None),
    ("malformed.html", ["malformed.html"], "html",
     ("Kratom may relieve chronic pain in some adults, according to several small surveys of users.\n"
      "However, kratom can cause nausea and constipation")),
    ("mostly_nav.html", ["mostly_nav.html"], "html",
     ("Kratom and Chronic Pain\n"
      "Kratom may relieve chronic pain in some adults, according to several small surveys of users.\n"
      "However, kratom can cause nausea and constipation, and long-term use may lead to dependence.")),
    ("truncated.txt", ["truncated.txt"], "txt", "Kratom may ease pain — some users say.\nPrice: 20 \ufffd"),
    ("utf16.txt", ["utf16.txt"], "txt", "Kratom may relieve chronic pain.\nSome users report nausea."),
]


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    """``claimex run`` (a real subprocess) over the bad-input corpus."""
    tmp = tmp_path_factory.mktemp("bad")
    with_unreadable = UNREADABLE_PREFIX is not None
    corpus = build_bad_corpus(tmp / "corpus", with_unreadable=with_unreadable)
    out = tmp / "out"
    started = time.perf_counter()
    proc = cli("run", corpus, "--out", out, env={engine.PIECE_CHARS_ENV: str(BIG_PIECE_CHARS)},
               prefix=UNREADABLE_PREFIX or [])
    seconds = time.perf_counter() - started
    if with_unreadable:
        os.chmod(corpus / "locked.txt", 0o644)
    return corpus, out, proc, with_unreadable, seconds


# --------------------------------------------------------------------------
# 1. bad input costs only itself


@pytest.mark.slow
def test_bad_inputs_exit_code_and_one_stderr_line_per_bad_file(bad_run):
    _, _, proc, with_unreadable, _ = bad_run
    assert proc.returncode == EXIT_PARTIAL, proc.stderr  # the run finished; some inputs are in errors.parquet
    assert "Traceback" not in proc.stderr
    assert skipped_lines(proc.stderr) == [
        f"claimex: skipped {e['source']} ({e['stage']}): {e['error']}" for e in expected_errors(with_unreadable)]
    summary = dict(re.findall(r"│ (documents|input errors)\s*│\s*(\d+) │", proc.stdout))
    assert summary == {"documents": "13", "input errors": str(len(expected_errors(with_unreadable)))}
    # the two long documents are announced, one line each
    warned = [line for line in proc.stderr.splitlines() if line.startswith("claimex: warning: ")]
    assert [re.sub(r"\d[\d,]*", "N", w) for w in warned] == [
        f"claimex: warning: [WN] {name}: N characters long; processing it in N pieces "
        "(offsets still refer to the whole text)." for name in ("big.txt", "longline.txt")]
    assert [re.search(r"in (\d+) pieces", w).group(1) for w in warned] == ["7", "41"]


@pytest.mark.slow
def test_bad_inputs_errors_table_and_manifest(bad_run):
    _, out, _, with_unreadable, _ = bad_run
    assert read_rows(out, "errors") == expected_errors(with_unreadable)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["errors"] == expected_errors(with_unreadable)
    assert manifest["piece_chars"] == BIG_PIECE_CHARS
    assert sorted(p.name for p in out.iterdir()) == OUTPUT_FILES  # complete, no lock, no temp files


@pytest.mark.slow
def test_bad_inputs_every_good_document_is_processed(bad_run):
    _, out, _, _, _ = bad_run
    docs = read_rows(out, "documents")
    assert [(d["source"], d["sources"], d["format"]) for d in docs] == [
        (source, sources, fmt) for source, sources, fmt, _ in EXPECTED_DOCUMENTS]
    for d, (_, _, _, text) in zip(docs, EXPECTED_DOCUMENTS):
        if text is not None:
            assert d["text"] == text
        assert (d["doc_id"], d["content_sha256"]) == text_digest(d["text"])
        assert d["n_chars"] == len(d["text"]) and d["n_sentences"] > 0
    by_source = {d["source"]: d for d in docs}
    for name in SEEDS[:3]:
        assert by_source[name]["text"] == (RAW / name).read_text(encoding="utf-8")
    assert by_source["big.txt"]["text"] == big_text(BIG_CHARS)
    assert by_source["longline.txt"]["text"] == long_line(LONG_LINE_CHARS)
    assert by_source["mostly_nav.html"]["title"] == "Kratom and Chronic Pain"
    assert by_source["mostly_nav.html"]["url"] == "https://example.org/kratom-pain"


@pytest.mark.slow
def test_bad_inputs_offsets_slice_back_for_every_row(bad_run):
    _, out, _, _, _ = bad_run
    assert_offsets_slice_back(out)
    assert_sentences_cover_documents(out)
    for name, prefix in (("entities", "e"), ("claims", "c")):
        by_doc: dict[str, list[str]] = {}
        for row in read_rows(out, name):
            by_doc.setdefault(row["doc_id"], []).append(row[f"{'ent' if prefix == 'e' else 'claim'}_id"])
        for doc_id, ids in by_doc.items():
            assert ids == [f"{doc_id}-{prefix}{i:04d}" for i in range(len(ids))]


@pytest.mark.slow
def test_small_documents_have_their_sentences(bad_run):
    _, out, _, _, _ = bad_run
    docs = {d["doc_id"]: d["source"] for d in read_rows(out, "documents")}
    sents: dict[str, list[str]] = {}
    for s in read_rows(out, "sentences"):
        sents.setdefault(docs[s["doc_id"]], []).append(s["text"])
    assert sents["utf16.txt"] == ["Kratom may relieve chronic pain.", "Some users report nausea."]
    assert sents["articles.jsonl:3"] == ["Kratom can cause constipation in regular users."]
    assert sents["latin1.txt"] == ["Kratom soulage la douleur à Zürich.", "Naïve façade, déjà vu."]


@pytest.mark.slow
def test_long_documents_are_processed_in_pieces_with_right_offsets(bad_run):
    _, out, _, _, _ = bad_run
    docs = {d["source"]: d for d in read_rows(out, "documents")}
    big, line = docs["big.txt"], docs["longline.txt"]
    # the same code path as a 20 MB article under the default PIECE_CHARS
    assert len(split_pieces(big["text"], BIG_PIECE_CHARS)) == 7
    assert len(split_pieces(line["text"], BIG_PIECE_CHARS)) == 41
    sents = read_rows(out, "sentences")
    big_sents = [s for s in sents if s["doc_id"] == big["doc_id"]]
    line_sents = [s for s in sents if s["doc_id"] == line["doc_id"]]
    # no sentence crosses a paragraph of the big article (pieces are cut at line breaks)
    # (a list item's sentence starts after its bullet)
    paragraph_starts = {m.start() for m in re.finditer(r"(?m)^(?=\S)", big["text"])}
    paragraph_starts = {_after_list_marker(big["text"], p) for p in paragraph_starts}
    assert paragraph_starts <= {s["start_char"] for s in big_sents}
    # the line without punctuation never reaches the pipeline as one 200,000-character sentence
    assert max(s["end_char"] - s["start_char"] for s in line_sents) <= MAX_RUN_CHARS
    assert line_sents[0]["start_char"] == 0 and line_sents[-1]["end_char"] == len(line["text"])


def test_nothing_processable_is_a_clear_error_and_writes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "blank.txt").write_bytes(b" \n\n ")
    (corpus / "image.txt").write_bytes(b"%PDF-1.7\n\x00\x01binary")
    (corpus / "notext.csv").write_text("title\nA\n", encoding="utf-8")
    (corpus / "lines.jsonl").write_text('{"text": ""}\n[1, 2]\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("run", corpus, "--out", out)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        "claimex: error: [E090] No document could be processed: all 5 inputs failed: "
        "blank.txt (read), image.txt (decode), lines.jsonl:1 (parse), lines.jsonl:2 (parse), "
        "notext.csv (parse).")
    assert "Traceback" not in proc.stderr
    assert list(out.iterdir()) == []


def test_nothing_processable_error_carries_every_input_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"")
    with pytest.raises(ClaimexError) as info:
        run_corpus([tmp_path / "in"], tmp_path / "out")
    assert str(info.value) == "[E090] No document could be processed: all 1 inputs failed: a.txt (read)."
    assert [(e.source, e.stage) for e in info.value.errors] == [("a.txt", "read")]


def test_piece_size_setting_is_validated(monkeypatch):
    monkeypatch.setenv(engine.PIECE_CHARS_ENV, "12_000")
    assert engine.piece_chars_setting() == 12_000
    monkeypatch.setenv(engine.PIECE_CHARS_ENV, "")
    assert engine.piece_chars_setting() == engine.PIECE_CHARS == 100_000
    for bad in ("abc", "10", "2000000"):
        monkeypatch.setenv(engine.PIECE_CHARS_ENV, bad)
        with pytest.raises(ClaimexError, match=re.escape(
                f"[E091] CLAIMEX_PIECE_CHARS='{bad}' is invalid: expected a whole number of "
                f"characters from 1000 to 900000.")):
            engine.piece_chars_setting()


def test_split_pieces_cuts_long_runs_without_punctuation():
    text = "Short intro. " + "word " * 2000 + "\nEnd."
    pieces = split_pieces(text, limit=100_000, max_run=1000)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o:o + len(p)] == p for o, p in pieces)
    # the run starts a piece of its own, and is cut after a space into pieces of <= 1000
    assert [len(p) for _, p in pieces] == [12, 996] + [1000] * 9 + [10]
    assert pieces[0] == (0, "Short intro.")
    assert pieces[1][1] == " " + "word " * 199 and pieces[2][1] == "word " * 200
    assert pieces[-1] == (10008, "word \nEnd.")
    # ordinary prose is one piece
    prose = (RAW / SEEDS[0]).read_text(encoding="utf-8")
    assert split_pieces(prose) == [(0, prose)]


# --------------------------------------------------------------------------
# failure injection in-process: a failing component or extractor costs one document


@pytest.fixture(scope="module")
def loaded():
    return pipeline.load_pipeline()


@pytest.fixture()
def same_pipeline(loaded, monkeypatch):
    """The loaded ``nlp``; ``run_corpus`` uses it instead of loading its own."""
    monkeypatch.setattr(pipeline, "load_pipeline", lambda model=None, **kw: loaded)
    return loaded[0]


def _three_docs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("Kratom may relieve pain.", encoding="utf-8")
    (folder / "b.txt").write_text("BOOM kratom causes nausea.", encoding="utf-8")
    (folder / "c.txt").write_text("Kratom causes constipation.", encoding="utf-8")
    return folder


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_failing_component_costs_only_its_document(tmp_path, same_pipeline, monkeypatch, n_process):
    cls = type(same_pipeline.get_pipe("claimex_claims"))
    real = cls.__call__

    def failing(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("injected failure")
        return real(self, doc)

    monkeypatch.setattr(cls, "__call__", failing)
    out = tmp_path / "out"
    result = run_corpus([_three_docs(tmp_path / "in")], out, n_process=n_process, report=False)
    assert result.n_documents == 2
    assert read_rows(out, "errors") == [{
        "source": "b.txt", "stage": "nlp",
        "error": "[E033] b.txt: processing failed in the NLP pipeline "
                 "(claimex_claims: ValueError: injected failure); document skipped."}]
    assert [d["source"] for d in read_rows(out, "documents")] == ["a.txt", "c.txt"]
    texts = assert_offsets_slice_back(out)
    assert sorted(texts.values()) == ["Kratom causes constipation.", "Kratom may relieve pain."]


def _dying_on_boom(monkeypatch, times: int | None, marker: Path):
    """Worker processes exit on a task holding b.txt ("BOOM"): every time
    (``times`` None) or the first ``times`` times (counted in ``marker``)."""
    parent = os.getpid()
    real = engine.process_documents

    def dying(nlp, docs, **kw):
        docs = list(docs)
        if os.getpid() != parent and any("BOOM" in d.text for d in docs):
            with open(marker, "a") as fh:
                fh.write("x")
            if times is None or marker.stat().st_size <= times:
                os._exit(3)
        return real(nlp, docs, **kw)

    monkeypatch.setattr(engine, "process_documents", dying)
    monkeypatch.setattr(engine, "TASK_CHARS", 1)  # one document per task
    return real


def test_a_worker_killed_once_costs_nothing_but_time(tmp_path, same_pipeline, monkeypatch):
    """A worker killed mid-task breaks the pool; the documents it may have been
    working on are retried alone in fresh processes, the rest go on in a new pool."""
    real = _dying_on_boom(monkeypatch, 1, tmp_path / "deaths")
    assert [len(t) for t in engine.tasks(_docs_of(_three_docs(tmp_path / "in")), batch_size=16)] == [1, 1, 1]
    out = tmp_path / "out"
    with pytest.warns(ClaimexWarning, match=r"\[W002\] A worker process stopped unexpectedly .* the [123] "
                                            r"documents it may have been processing are retried one by one"):
        result = run_corpus([tmp_path / "in"], out, n_process=2, report=False)
    assert result.n_documents == 3 and result.errors == []
    assert (tmp_path / "deaths").read_text() == "xx"  # died once, then done alone
    monkeypatch.setattr(engine, "process_documents", real)
    single = tmp_path / "single"
    run_corpus([tmp_path / "in"], single, n_process=1, report=False)
    for name in ("documents", "sentences", "entities", "claims", "flags"):
        assert (out / f"{name}.parquet").read_bytes() == (single / f"{name}.parquet").read_bytes(), name


def test_a_document_that_kills_every_worker_costs_only_itself(tmp_path, same_pipeline, monkeypatch):
    """It never runs in the main process (which would die with the whole run)."""
    real = _dying_on_boom(monkeypatch, None, tmp_path / "deaths")
    _three_docs(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.warns(ClaimexWarning, match=r"\[W002\]"):
        result = run_corpus([tmp_path / "in"], out, n_process=2, report=False)
    assert result.n_documents == 2
    assert read_rows(out, "errors") == [{
        "source": "b.txt", "stage": "nlp",
        "error": "[E033] b.txt: processing failed in the NLP pipeline (its worker process stopped: killed, "
                 "or out of memory); document skipped."}]
    assert (tmp_path / "deaths").read_text() == "xx"  # in the pool, then alone
    monkeypatch.setattr(engine, "process_documents", real)
    (tmp_path / "in" / "b.txt").unlink()
    single = tmp_path / "single"
    run_corpus([tmp_path / "in"], single, n_process=1, report=False)
    for name in ("documents", "sentences", "entities", "claims", "flags"):
        assert (out / f"{name}.parquet").read_bytes() == (single / f"{name}.parquet").read_bytes(), name


def _docs_of(folder):
    from claimex.ingest import read_corpus

    return read_corpus([folder])[0]


def test_a_pool_that_breaks_between_tasks_costs_nothing_but_time(tmp_path, same_pipeline, monkeypatch):
    """A worker can die while the main process writes rows; the next submit then
    fails, and that task is retried alone in a fresh process."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    real_submit = ProcessPoolExecutor.submit
    calls = []

    def submit(self, fn, *args, **kwargs):
        calls.append(args[0][0].source)
        if len(calls) == 3:
            raise BrokenProcessPool("a worker died")
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    monkeypatch.setattr(engine, "TASK_CHARS", 1)
    out = tmp_path / "out"
    with pytest.warns(ClaimexWarning, match=r"\[W002\] .* the 1 documents it may have been processing"):
        run_corpus([_three_docs(tmp_path / "in")], out, n_process=2, report=False)
    assert calls == ["a.txt", "b.txt", "c.txt", "c.txt"]  # c again, alone
    single = tmp_path / "single"
    run_corpus([tmp_path / "in"], single, n_process=1, report=False)
    for name in ("documents", "sentences", "entities", "claims", "flags"):
        assert (out / f"{name}.parquet").read_bytes() == (single / f"{name}.parquet").read_bytes(), name


def test_no_worker_is_started_for_a_single_task(tmp_path, same_pipeline, monkeypatch):
    from concurrent import futures

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started for one task")

    monkeypatch.setattr(futures, "ProcessPoolExecutor", no_pool)
    result = run_corpus([_three_docs(tmp_path / "in")], tmp_path / "out", n_process=8, report=False)
    assert result.n_documents == 3  # three short documents: one task of at most 16


def test_nlp_batches_are_bounded_by_characters(same_pipeline, monkeypatch):
    """Long pieces go through nlp.pipe in small batches (memory grows with a batch's
    tokens), short documents after them in full ones; the rows do not depend on it."""
    from claimex.ingest import RawDocument, text_digest as digest

    seen = []
    real = type(same_pipeline).pipe

    def spy(self, texts, **kw):
        texts = list(texts)
        seen.append((len(texts), kw["batch_size"]))
        return real(self, texts, **kw)

    def raw(name, text):
        doc_id, sha = digest(text)
        return RawDocument(doc_id, text, name, (name,), "txt", None, None, sha)

    long_doc = raw("long.txt", "Kratom may relieve chronic pain in some users.\n" * 120)  # 5,640 characters
    shorts = [raw(f"s{i}.txt", f"Kratom may cause nausea in user {i}.") for i in range(20)]
    monkeypatch.setattr(type(same_pipeline), "pipe", spy)
    wide = list(engine.process_documents(same_pipeline, [long_doc] + shorts, batch_size=16, piece_chars=1000))
    monkeypatch.setattr(engine, "BATCH_CHARS", 3000)
    narrow = list(engine.process_documents(same_pipeline, [long_doc] + shorts, batch_size=16, piece_chars=1000))
    # (Language.pipe calls itself once more for as_tuples input: every batch shows twice)
    calls = [c for c in seen[::2]]
    assert [len(t) for _, t in engine.split_pieces(long_doc.text, 1000)] == [987] * 5 + [705]
    assert {len(d.text) for d in shorts} == {34, 35}
    assert calls == [(16, 16), (10, 10),  # 6 pieces + 10 short documents, then the other 10
                     # under 3,000 characters: 3 pieces (2,961); 3 pieces (2,679) + 9 shorts; 11 shorts
                     (3, 3), (12, 12), (11, 11)]
    assert len(wide[0].claims) == len(narrow[0].claims) == 120
    for w, n in zip(wide, narrow, strict=True):
        assert (n.doc_id, n.sentences, n.entities, n.claims) == (w.doc_id, w.sentences, w.entities, w.claims)


def test_tasks_are_bounded_by_documents_and_characters():
    class Doc:
        def __init__(self, n):
            self.text = "x" * n

    sizes = [5, 5, 5, 30, 5, 5, 5, 5, 5]
    got = [[len(d.text) for d in t] for t in engine.tasks([Doc(n) for n in sizes], batch_size=3, task_chars=12)]
    assert got == [[5, 5], [5], [30], [5, 5], [5, 5], [5]]
    assert list(engine.tasks([], batch_size=3)) == []


def test_a_failing_batched_component_does_not_drop_its_batch(tmp_path, same_pipeline, monkeypatch):
    # the tagger predicts a whole batch at once: one bad doc fails the batch
    tagger = same_pipeline.get_pipe("tagger")
    real = type(tagger).predict

    def failing(self, docs):
        if any("BOOM" in d.text for d in docs):
            raise RuntimeError("batch failure")
        return real(self, docs)

    monkeypatch.setattr(type(tagger), "predict", failing)
    out = tmp_path / "out"
    result = run_corpus([_three_docs(tmp_path / "in")], out, batch_size=16, report=False)
    assert result.n_documents == 2
    assert read_rows(out, "errors") == [{
        "source": "b.txt", "stage": "nlp",
        "error": "[E033] b.txt: processing failed in the NLP pipeline "
                 "(tagger: RuntimeError: batch failure); document skipped."}]
    assert [d["source"] for d in read_rows(out, "documents")] == ["a.txt", "c.txt"]


def test_a_failing_extractor_costs_only_its_document(tmp_path, same_pipeline, monkeypatch):
    real = engine.DocAccumulator.add_piece

    def failing(self, doc, offset=0):
        if "BOOM" in doc.text:
            raise KeyError("label")
        return real(self, doc, offset)

    monkeypatch.setattr(engine.DocAccumulator, "add_piece", failing)
    out = tmp_path / "out"
    run_corpus([_three_docs(tmp_path / "in")], out, report=False)
    assert read_rows(out, "errors") == [{
        "source": "b.txt", "stage": "extract",
        "error": "[E092] b.txt: extracting the rows failed (KeyError: 'label'); document skipped."}]
    assert [d["source"] for d in read_rows(out, "documents")] == ["a.txt", "c.txt"]


def test_every_document_failing_in_the_pipeline_is_e090_and_keeps_the_old_output(
        tmp_path, same_pipeline, monkeypatch):
    corpus = _three_docs(tmp_path / "in")
    out = tmp_path / "out"
    run_corpus([corpus], out, report=False)
    before = snapshot(out)
    monkeypatch.setattr(engine.DocAccumulator, "add_piece",
                        lambda self, doc, offset=0: (_ for _ in ()).throw(ValueError("x")))
    with pytest.raises(ClaimexError, match=re.escape(
            "[E090] No document could be processed: all 3 inputs failed: "
            "a.txt (extract), b.txt (extract), c.txt (extract).")):
        run_corpus([corpus], out, report=False, force=True)
    assert snapshot(out) == before
    assert hidden(out) == []


# --------------------------------------------------------------------------
# 2. nothing lost or half-written


def _corpus(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(RAW / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory, loaded):
    """A first corpus and its output, a second one (two articles more, a page, a bad file)
    and its clean output: the folders the interrupted runs start from and must end at."""
    tmp = tmp_path_factory.mktemp("kill")
    first = _corpus(tmp / "first", SEEDS[:2])
    second = _corpus(tmp / "second", SEEDS[:4])
    (second / "page.html").write_text(MOSTLY_NAV_HTML, encoding="utf-8")
    (second / "empty.txt").write_bytes(b"")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "load_pipeline", lambda model=None, **kw: loaded)
        run_corpus([first], tmp / "previous")
        run_corpus([second], tmp / "reference")
    return tmp, first, second


# The swap's renames into the output folder: the outputs in name order, the manifest last.
SWAP_ORDER = sorted(TABLE_FILES + ["report.html", "report.md"]) + ["manifest.json"]


@pytest.mark.parametrize("renamed", [0, 1, 3, 5, 8, 9])
def test_interrupted_during_the_swap_then_rerun_equals_a_clean_run(
        two_corpora, tmp_path, same_pipeline, monkeypatch, renamed):
    """A run dies after ``renamed`` of its outputs were moved from its staging folder into
    place, and every later rename fails too.  The marked staging folder stays; the next run
    finishes the swap first (so reuses all five articles) and gives the very bytes of a clean run."""
    tmp, _, second = two_corpora
    old, new = snapshot(tmp / "previous"), snapshot(tmp / "reference")
    out = tmp_path / "out"
    shutil.copytree(tmp / "previous", out)
    real = os.replace
    done: list[str] = []

    def dying(src, dst, *args, **kwargs):
        if Path(dst).parent == out:
            if len(done) == renamed:
                raise KeyboardInterrupt("killed")
            done.append(Path(dst).name)
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", dying)
    with pytest.raises(KeyboardInterrupt):
        run_corpus([second], out)
    monkeypatch.setattr(os, "replace", real)
    assert done == SWAP_ORDER[:renamed]
    assert hidden(out) == [".claimex-staging"]  # marked complete; the lock is released
    for name, data in snapshot(out).items():
        assert data == (new[name] if name in done else old[name]), name
    result = run_corpus([second], out)
    assert result.n_reused == 5
    assert snapshot(out) == new
    assert hidden(out) == []


@pytest.mark.parametrize("stage", ["flags", "report"])
def test_interrupted_before_the_swap_leaves_the_old_set_byte_for_byte(
        two_corpora, tmp_path, same_pipeline, monkeypatch, stage):
    tmp, _, second = two_corpora
    out = tmp_path / "out"
    shutil.copytree(tmp / "previous", out)
    old = snapshot(out)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    import claimex.report
    import claimex.runner

    monkeypatch.setattr(*((claimex.runner, "run_flags", killed) if stage == "flags"
                          else (claimex.report, "build_report", killed)))
    with pytest.raises(KeyboardInterrupt):
        run_corpus([second], out)
    assert snapshot(out) == old and hidden(out) == []


def test_files_that_look_like_temporaries_are_never_deleted(tmp_path, same_pipeline):
    """Issue 22: only the run's own staging folder and the outputs the previous manifest names
    are removed; files named like claimex's temporaries are the user's."""
    corpus = _corpus(tmp_path / "in", SEEDS[:1])
    out = tmp_path / "out"
    run_corpus([corpus], out, report=False)
    theirs = [".documents.k2x9_ab1.parquet.tmp", ".manifest.json.q1w2e3r4.tmp", ".report.html.zz11yy22.tmp",
              ".mine.tmp", "notes.txt"]
    for name in theirs:
        (out / name).write_text("the user's")
    (out / ".parts-0123456789ab").mkdir()
    (out / ".claimex-staging").mkdir()  # a killed run's unfinished staging folder: claimex's
    (out / ".claimex-staging" / "claims.parquet").write_bytes(b"PAR1 half written")
    run_corpus([corpus], out)
    assert hidden(out) == sorted([".documents.k2x9_ab1.parquet.tmp", ".manifest.json.q1w2e3r4.tmp",
                                  ".mine.tmp", ".parts-0123456789ab", ".report.html.zz11yy22.tmp"])
    assert sorted(snapshot(out)) == sorted(OUTPUT_FILES + ["notes.txt"])
    # a rerun without the report removes the old report: the previous manifest named it
    run_corpus([corpus], out, report=False)
    assert sorted(snapshot(out)) == sorted(set(OUTPUT_FILES) - {"report.html", "report.md"} | {"notes.txt"})


def test_a_folder_that_is_not_a_claimex_output_is_refused_unless_forced(tmp_path, same_pipeline):
    corpus = _corpus(tmp_path / "in", SEEDS[:1])
    out = tmp_path / "mine"
    out.mkdir()
    (out / "report.html").write_text("my own report")
    (out / "errors.parquet").write_text("my own table")
    with pytest.raises(ClaimexError, match=r"^\[E035\] Output folder .* found errors.parquet, report.html\)"):
        run_corpus([corpus], out)
    assert sorted(p.name for p in out.iterdir()) == ["errors.parquet", "report.html"]
    run_corpus([corpus], out, force_out=True)
    assert sorted(snapshot(out)) == OUTPUT_FILES  # forced: claimex's files replace same-named ones
    assert hidden(out) == []


def test_output_files_are_readable_by_others(tmp_path, same_pipeline):
    out = tmp_path / "out"
    run_corpus([_corpus(tmp_path / "in", SEEDS[:1])], out)
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {
        name: "0o644" for name in OUTPUT_FILES}


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_old_or_new_files_and_rerun_is_identical(two_corpora):
    """Real ``claimex run`` subprocesses killed with SIGKILL after a random delay."""
    tmp, first, second = two_corpora
    ref = tmp / "sigkill-ref"
    started = time.perf_counter()
    proc = cli("run", second, "--out", ref)
    duration = time.perf_counter() - started
    assert proc.returncode == EXIT_PARTIAL, proc.stderr  # the second corpus holds an empty file
    previous = tmp / "sigkill-previous"
    assert cli("run", first, "--out", previous).returncode == 0
    old, new = snapshot(previous), snapshot(ref)
    assert sorted(old) == sorted(new) == OUTPUT_FILES
    rng = random.Random(20240607)
    delays = sorted(rng.uniform(0.0, duration) for _ in range(3))
    for k, delay in enumerate(delays):
        out = tmp / f"sigkill-{k}"
        shutil.copytree(previous, out)
        child = subprocess.Popen([*claimex_cmd(), "run", str(second), "--out", str(out)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        after = snapshot(out)
        assert sorted(after) == OUTPUT_FILES, delay
        for name, data in after.items():
            assert data in (old[name], new[name]), (delay, name)
            if name.endswith(".parquet"):
                pq.read_table(out / name)
        # a kill during the swap leaves the marked staging folder, which the rerun finishes first
        assert all(n in (LOCK_NAME, ".claimex-staging") or n.endswith(".tmp") for n in hidden(out)), hidden(out)
        rerun = cli("run", second, "--out", out)
        assert rerun.returncode == EXIT_PARTIAL, rerun.stderr
        assert snapshot(out) == new, delay
        assert hidden(out) == []


@pytest.mark.slow
def test_a_second_concurrent_run_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(3):  # 15 articles keep the first run busy for a while
        for name in SEEDS:
            text = (RAW / name).read_text(encoding="utf-8")
            (corpus / f"{k}-{name}").write_text(f"Copy {k}.\n{text}", encoding="utf-8")
    out = tmp_path / "out"
    first = subprocess.Popen([*claimex_cmd(), "run", str(corpus), "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out / LOCK_NAME).exists():
        assert first.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    second = cli("run", corpus, "--out", out)
    still_running = first.poll() is None
    _, first_err = first.communicate(timeout=600)
    assert still_running
    assert second.returncode == 1
    assert second.stderr.strip().splitlines()[-1] == (
        f"claimex: error: [E031] Output folder {out} is locked by another claimex run (pid {first.pid}). "
        f"Wait for it to finish, or remove {out / LOCK_NAME} if that run is gone.")
    assert first.returncode == 0, first_err
    assert len(read_rows(out, "documents")) == 15
    assert sorted(p.name for p in out.iterdir()) == OUTPUT_FILES
    # the lock is gone with the first run: a third run goes ahead
    assert cli("run", corpus, "--out", out, "--no-report").returncode == 0
