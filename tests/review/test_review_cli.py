"""`claimex review import` and `claimex review stats` (the typer sub-app, through typer's CliRunner)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from claimex.cli.review import app

_spec = importlib.util.spec_from_file_location("_review_import_fixture", Path(__file__).with_name("test_review_import.py"))
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

runner = CliRunner()


def test_import_then_stats(tmp_path):
    folder = fx.write_folder(tmp_path / "out")
    export = fx.export_json(tmp_path / "v.json", [fx.rec("f1", "accept"), fx.rec("f2", "reject", 1),
                                                  fx.rec("f3", "unsure", 2)])
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{export}: 3 verdicts read: 3 new, 0 changed, 0 unchanged.",
        f"{folder / 'verdicts.parquet'}: 3 verdicts (1 accept, 1 reject, 1 unsure).",
    ]
    result = runner.invoke(app, ["stats", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "3 flags of 4 reviewed."
    assert "| hedged | 2 | 2 | 0 | 1 | 1 | 0% |" in lines
    assert "| all | 4 | 3 | 1 | 1 | 1 | 50% |" in lines
    assert lines[-1] == "| site-d1.txt | 2 | 1 | 50% |"


def test_a_malformed_file_is_one_line_naming_the_line(tmp_path):
    folder = fx.write_folder(tmp_path / "out")
    bad = tmp_path / "v.csv"
    bad.write_text("flag_id,claim_id,verdict,note,reviewer,decided_at\n"
                   "f1,d1-c0001,accept,,ana,2026-12-04T01:00:00Z\n"
                   "f2,d1-c0002,acept,,ana,2026-12-04T01:00:00Z\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(folder), str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (f"claimex: error: [E104] {bad}: line 3: verdict is 'acept', "
                             "expected one of accept, reject, unsure.\n")
    assert not (folder / "verdicts.parquet").exists()


def test_unknown_flags_warn_on_stderr(tmp_path):
    folder = fx.write_folder(tmp_path / "out")
    export = fx.export_csv(tmp_path / "v.csv", [fx.rec("f1", "accept"), fx.rec("zz", "reject")])
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"claimex: warning: [W003] {export}: 1 verdict(s) name flags that")
    assert ", 1 for flags not in " in result.stdout


def test_not_a_processed_folder(tmp_path):
    result = runner.invoke(app, ["stats", str(tmp_path)])
    assert result.exit_code == 1
    assert "[E032]" in result.stderr and "flags.parquet is missing" in result.stderr


def test_importing_the_sub_app_imports_neither_spacy_nor_pyarrow():
    code = ("import sys, claimex.cli.review; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'pyarrow', 'thinc')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
