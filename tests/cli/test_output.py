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
