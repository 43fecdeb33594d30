"""claimex.cli.output and claimex.cli.common: what the commands print, on which stream."""

from types import SimpleNamespace

from claimex.cli.common import print_skipped
from claimex.cli.output import print_summary
from claimex.ingest import InputError


def test_print_skipped_is_one_line_on_stderr(capsys):
    print_skipped(InputError("a.jsonl:3", "parse", "[E021] a.jsonl: line 3: JSON object has no non-empty 'text' field."))
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("claimex: skipped a.jsonl:3 (parse): "
                   "[E021] a.jsonl: line 3: JSON object has no non-empty 'text' field.\n")


def test_print_summary_counts_on_stdout_and_skipped_inputs_on_stderr(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    result = SimpleNamespace(
        out_dir="out", n_documents=3, n_reused=1, n_sentences=40, n_words=500,
        entities_by_label={"SUBSTANCE": 7}, n_claims=9, flags_by_kind={"hedged": 2},
        errors=[InputError("b.txt", "read", "[E013] b.txt: file is empty or contains only whitespace.")],
    )
    print_summary(result)
    out, err = capsys.readouterr()
    rows = [" ".join(line.strip("│ ").split()) for line in out.splitlines()]
    for row in ("documents │ 3", "reused from the previous run │ 1", "sentences │ 40", "words │ 500",
                "entities: SUBSTANCE │ 7", "claims │ 9", "flags: hedged │ 2", "input errors │ 1"):
        assert row in rows, (row, rows)
    assert err == "claimex: skipped b.txt (read): [E013] b.txt: file is empty or contains only whitespace.\n"


def test_digest_and_claim_detail_print_no_escape_sequence_of_the_data(capsys, monkeypatch):
    from claimex.cli.output import print_claim, print_digest

    monkeypatch.setenv("COLUMNS", "200")
    evil = "evil\x1b[2J\x1b]0;owned\x07\u202e.jsonl:1"
    group = {"claim_key": "kratom|TREATS|pain\x1b[31m", "verdict": "supported", "n_independent_sources": 1,
             "n_sources": 1, "n_affirming": 1, "n_negating": 0, "n_hedging": 0, "n_claims": 1,
             "sources": [evil]}
    print_digest({"groups": [group], "n_groups": 1, "n_documents": 1, "flags_by_kind": {"hedged": 1},
                  "flags_by_source": {evil: {"hedged": 1}}})
    print_claim({"group": group, "mentions": [
        {"source": evil, "polarity": "affirmed", "certainty": "asserted", "attribution": "author",
         "evidence": "none", "flags": [], "contradicted_by": [], "text": "Kratom\x1b[2J eases pain."}]})
    out, err = capsys.readouterr()
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    # shown as visible escapes instead: the claim key, the source (in 4 places) and the sentence
    assert out.count("\\x1b") >= 6 and "\\u202e" in out


def test_print_summary_lines_up_the_earlier_review(capsys, monkeypatch):
    from claimex.review.state import ReviewState

    monkeypatch.setenv("COLUMNS", "120")
    review = ReviewState(kept={"f1": {"verdict": "accept"}, "f2": {"verdict": "reject"}}, new=["f3"],
                         vanished=[{"flag_id": "f9"}], reviewed=True)
    result = SimpleNamespace(out_dir="out", n_documents=1, n_reused=0, n_sentences=2, n_words=20,
                             entities_by_label={}, n_claims=3, flags_by_kind={"hedged": 3}, errors=[],
                             review=review)
    print_summary(result)
    rows = [" ".join(line.strip("│ ").split()) for line in capsys.readouterr().out.splitlines()]
    for row in ("verdicts kept (earlier review) │ 2", "flags new since the last review │ 1",
                "verdicts whose flag is gone │ 1"):
        assert row in rows, (row, rows)


def test_print_digest_shows_the_verdicts_per_kind(capsys, monkeypatch):
    from claimex.cli.output import print_digest

    monkeypatch.setenv("COLUMNS", "120")
    d = {"groups": [], "n_groups": 0, "n_documents": 1, "flags_by_kind": {"hedged": 2}, "flags_by_source": {},
         "review": {"reviewed": True, "by_kind": {"hedged": {"accept": 1, "reject": 1, "unsure": 0}},
                    "summary": "verdicts: 2 kept, 0 flags new since the last review"}}
    print_digest(d)
    out = capsys.readouterr().out
    rows = [" ".join(line.strip("│ ").split()) for line in out.splitlines()]
    assert "hedged │ 1 │ 1 │ 0" in rows, rows
    assert "verdicts: 2 kept, 0 flags new since the last review; `claimex review stats DIR` gives the precision per kind" \
        in " ".join(out.split())


def test_the_python_api_is_reachable_from_the_package_and_loads_lazily():
    import subprocess
    import sys

    code = ("import sys, claimex; assert 'spacy' not in sys.modules and 'pyarrow' not in sys.modules; "
            "from claimex.runner import run_corpus; assert claimex.run_corpus is run_corpus; print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout.strip()) == (0, "ok"), proc.stderr


def test_summary_says_duplicates_merged_time_and_where_the_report_is(capsys, monkeypatch):
    # issue 20 (CLI): "the summary says how many duplicates were merged, how long it took and
    # where the report is", in the table and in --json
    from claimex.cli.output import summary_dict

    monkeypatch.setenv("COLUMNS", "120")
    result = SimpleNamespace(
        out_dir="out", n_documents=5, n_reused=0, n_merged=2, n_sentences=40, n_words=500,
        entities_by_label={}, n_claims=9, flags_by_kind={}, errors=[],
        outputs=["out/documents.parquet", "out/report.html", "out/report.md", "out/manifest.json"])
    print_summary(result, elapsed_s=12.34)
    out, err = capsys.readouterr()
    rows = [" ".join(line.strip("│ ").split()) for line in out.splitlines()]
    assert "duplicate copies merged │ 2" in rows and "time │ 12.3 s" in rows
    assert out.splitlines()[-1] == "report: out/report.html"
    assert err == ""
    data = summary_dict(result, elapsed_s=12.3456, exit_code=0)
    assert (data["status"], data["duplicates_merged"], data["report"], data["elapsed_s"]) == (
        "ok", 2, "out/report.html", 12.346)


def test_progress_labels_the_model_load_and_shows_rate_and_time_left():
    # issue 20 (CLI): "an ETA and rate in the progress bar, a label while the model loads"
    import time

    from rich.progress import TimeRemainingColumn

    from claimex.cli.output import Progress

    with Progress(enabled=True) as prog:
        prog.update("model", 0, 1)
        prog.update("nlp", 0, 10)
        time.sleep(0.02)
        prog.update("nlp", 4, 10)
        tasks = list(prog._progress.tasks)
        assert [t.description for t in tasks] == ["Loading the model", "Processing documents"]
        assert tasks[1].fields["rate"].endswith(" docs/s") and tasks[1].completed == 4
        assert any(isinstance(c, TimeRemainingColumn) for c in prog._progress.columns)
    with Progress(enabled=False) as quiet:  # --quiet: nothing is drawn
        quiet.update("nlp", 1, 2)
        assert not hasattr(quiet, "_progress")
