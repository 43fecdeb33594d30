"""claimex run on hostile inputs, its exit codes, output modes and signals (issues 20 and 22).

The end-to-end cases run the real command in a subprocess (the model loads once per run)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from claimex.cli import app
from claimex.cli.common import print_skipped, terminal_safe
from claimex.ingest import InputError

CLAIMEX = [sys.executable, "-m", "claimex"]
runner = CliRunner()


def _article(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_terminal_safe_escapes_control_and_bidi_characters():
    hostile = "a\x1b[2J\x1b]0;title\x07b\u202ec\nd\x00"
    assert terminal_safe(hostile) == "a\\x1b[2J\\x1b]0;title\\x07b\\u202ec\\x0ad\\x00"
    assert terminal_safe(hostile, keep_lines=True) == "a\\x1b[2J\\x1b]0;title\\x07b\\u202ec\nd\\x00"
    assert terminal_safe("x" * 50, limit=10) == "x" * 9 + "…"
    assert terminal_safe("café – ok") == "café – ok"


def test_print_skipped_cannot_drive_the_terminal(capsys):
    print_skipped(InputError("evil\x1b[2J.jsonl:1", "parse", "[E021] evil\x1b[2J.jsonl: line 1: x"))
    assert capsys.readouterr().err == "claimex: skipped evil\\x1b[2J.jsonl:1 (parse): [E021] evil\\x1b[2J.jsonl: line 1: x\n"


def test_help_answers_fast_without_spacy():
    code = ("import sys, time; t = time.perf_counter(); from claimex.cli import app; "
            "from typer.testing import CliRunner; r = CliRunner().invoke(app, ['--help']); "
            "assert r.exit_code == 0; print(time.perf_counter() - t, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, spacy_loaded = out.stdout.split()
    assert spacy_loaded == "False"
    assert float(seconds) < 0.5


def test_bad_glob_and_config_folder_are_clear_errors(tmp_path):
    _article(tmp_path / "in", "a.txt", "Kratom may ease pain.")
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--exclude", "/"])
    assert result.exit_code == 2
    assert result.output.strip() == "claimex: error: [E112] Invalid --exclude pattern '/': it is empty."
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                                 "--config", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"claimex: error: [E008] {tmp_path} is a folder, but a file is "
                                     "expected here (the config file, e.g. claimex.toml).")


def test_processed_table_that_is_a_folder_and_json_dest_that_is_a_folder(tmp_path):
    (tmp_path / "p" / "documents.parquet").mkdir(parents=True)
    result = runner.invoke(app, ["report", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert result.output.strip() == (f"claimex: error: [E008] {tmp_path / 'p' / 'documents.parquet'} is a "
                                     "folder, but a file is expected here (the documents.parquet table of a "
                                     "claimex output).")
    gold = tmp_path / "g.jsonl"
    gold.write_text("{}\n")
    result = runner.invoke(app, ["evaluate", str(gold), "--pred", str(tmp_path / "p"), "--json", str(tmp_path)])
    assert result.exit_code == 1
    assert "[E008]" in result.output and "--json names the file" in result.output


def test_manifest_that_is_a_folder_is_one_numbered_line(tmp_path):
    # issue 22 (Low): "manifest.json ... being a directory gives an IsADirectoryError traceback"
    _article(tmp_path / "in", "a.txt", "Kratom may ease pain.")
    out = tmp_path / "out"
    (out / "manifest.json").mkdir(parents=True)
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(out), "--quiet"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.strip().startswith(f"claimex: error: [E035] Output folder {out} is not empty and is "
                                            "not a claimex output")
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"] and (out / "manifest.json").is_dir()


def test_partial_run_odd_names_unsupported_files_and_old_outputs(tmp_path):
    corpus = tmp_path / "in"
    _article(corpus, "a.txt", "Kratom may ease chronic pain, according to some users.")
    _article(corpus, "b.txt", "Kratom can cause nausea and constipation.")
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "wb") as fh:
        fh.write(b"Kava may reduce anxiety.")
    (corpus / "paper.pdf").write_bytes(b"%PDF-1.4\n")
    old = corpus / "old-run"
    _article(old, "manifest.json", '{"claimex_version": "0.2.0", "schema_version": "1.1"}')
    _article(old, "report.md", "# Old report\n\nKratom may ease pain.")
    out = tmp_path / "out"
    proc = subprocess.run(CLAIMEX + ["run", str(corpus), "--out", str(out), "--json", "--no-report"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 3, proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["status"], summary["exit_code"], summary["documents"]) == ("partial", 3, 2)
    assert [(e["source"], e["stage"]) for e in summary["input_errors"]] == [
        ("caf\\xe9.txt", "read"), ("paper.pdf", "read")]
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("claimex: skipped")]
    assert skipped == [
        "claimex: skipped caf\\xe9.txt (read): [E029] caf\\xe9.txt: the file name is not valid UTF-8 or "
        "holds control characters (shown with escapes); rename the file to read it; skipped.",
        "claimex: skipped paper.pdf (read): [E022] paper.pdf: unsupported file type '.pdf'; skipped.",
    ]
    errors = pq.read_table(out / "errors.parquet").to_pylist()
    assert [(e["source"], e["stage"]) for e in errors] == [("caf\\xe9.txt", "read"), ("paper.pdf", "read")]
    documents = pq.read_table(out / "documents.parquet", columns=["source"]).column("source").to_pylist()
    assert documents == ["a.txt", "b.txt"]
    # the human summary: error lines first (stderr), then the table (stdout) and a closing note
    # (one stream, as a terminal shows them: every error line comes before the summary table)
    proc = subprocess.run(CLAIMEX + ["run", str(corpus), "--out", str(out), "--no-report"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert proc.returncode == 3
    assert "2 input(s) could not be read" in proc.stdout and "(exit code 3)" in proc.stdout
    lines = proc.stdout.splitlines()
    skipped_at = [i for i, line in enumerate(lines) if line.startswith("claimex: skipped")]
    table_at = next(i for i, line in enumerate(lines) if line.lstrip("\u2502| ").startswith("documents "))
    assert len(skipped_at) == 2 and max(skipped_at) < table_at
    assert lines[-1].startswith("2 input(s) could not be read")


def _start(args, tmp_path):
    return subprocess.Popen(CLAIMEX + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path)


@pytest.mark.parametrize("signum, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")])
def test_signals_give_one_line_and_the_documented_exit_code(tmp_path, signum, code, name):
    corpus = tmp_path / "in"
    # enough articles that the run is still processing when the signal comes, even on a quiet machine
    # (40 were done in under 4 s, and a signal during the interpreter's exit kills it with the default action)
    for i in range(400):
        _article(corpus, f"a{i:03d}.txt", f"Article {i}. Kratom may ease pain. " * 30)
    proc = _start(["run", str(corpus), "--out", str(tmp_path / "out"), "--no-report"], tmp_path)
    time.sleep(4)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    lines = [line for line in err.splitlines() if line.startswith("claimex:")]
    assert lines[-1] == (f"claimex: interrupted by {name}; stopped (exit code {code}). "
                         "The output folder keeps its previous outputs.")
    assert "Traceback" not in err
    # no lock, staging folder or temporary file is left for the next run to clear up
    assert sorted(os.listdir(tmp_path / "out")) == []


def _documents(out: Path) -> list[str]:
    return pq.read_table(out / "documents.parquet", columns=["source"]).column("source").to_pylist()


def test_out_inside_or_equal_to_the_input_folder_never_reads_its_own_outputs(tmp_path):
    corpus = tmp_path / "in"
    _article(corpus, "a.txt", "Kratom may ease chronic pain, according to some users.")
    _article(corpus, "b.txt", "Kratom can cause nausea and constipation.")
    nested = corpus / "out"
    for _ in range(2):  # the second run meets the first run's report.html/report.md/tables
        proc = subprocess.run(CLAIMEX + ["run", str(corpus), "--out", str(nested), "-v"],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert _documents(nested) == ["a.txt", "b.txt"]
    assert "claimex: INFO: skipped out/report.html: an output of claimex" in proc.stderr
    # --out equal to the input folder (a folder of articles: --force-out), then a rerun
    for extra in (["--force-out"], []):
        proc = subprocess.run(CLAIMEX + ["run", str(corpus), "--out", str(corpus), "--no-report", *extra],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert _documents(corpus) == ["a.txt", "b.txt"]


def test_python_api_of_the_readme(tmp_path, monkeypatch):
    from claimex.ingest import IngestOptions, read_corpus
    from claimex.runner import run_corpus
    from claimex.settings import load_settings

    corpus = tmp_path / "articles"
    _article(corpus, "a.txt", "Kratom may ease chronic pain.")
    _article(corpus / "drafts", "b.txt", "A draft about kava.")
    (tmp_path / "claimex.toml").write_text('[input]\nexclude = ["drafts"]\n[flags]\nmin_independent_sources = 3\n')
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    result = run_corpus([corpus], tmp_path / "out", ingest=settings.ingest_options(), settings=settings,
                        report=True)
    assert (result.n_documents, result.errors) == (1, [])
    names = sorted(Path(p).name for p in result.outputs)
    assert {"manifest.json", "report.html", "report.md", "documents.parquet", "claims.parquet",
            "flags.parquet", "errors.parquet"} <= set(names)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["settings"]["input"]["exclude"] == ["drafts"]
    assert manifest["settings"]["flags"]["min_independent_sources"] == 3
    docs, errors = read_corpus([corpus], IngestOptions(exclude=("drafts",)))
    assert ([(d.source, d.input_path, d.input_line, d.site, d.repairs) for d in docs], errors) == (
        [("a.txt", "a.txt", None, None, ())], [])


def test_json_mode_reports_a_failed_run_on_stdout_too(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                                 "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["status"], data["exit_code"]) == ("error", 1)
    assert data["error"].startswith("[E090] No document could be processed: all 1 inputs failed: empty.txt (read)")
    assert data["input_errors"] == [{"source": "empty.txt", "stage": "read",
                                     "error": "[E013] empty.txt: file is empty or contains only whitespace."}]
    assert "claimex: skipped empty.txt (read)" in result.stderr
