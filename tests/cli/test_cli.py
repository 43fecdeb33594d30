"""The CLI surface: help without spaCy, clear one-line errors, no tracebacks."""

import subprocess
import sys

from typer.testing import CliRunner

from claimex.cli import app

runner = CliRunner()


def test_help_does_not_import_spacy_or_pyarrow():
    code = ("import sys; from claimex.cli import app; from typer.testing import CliRunner; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
            "assert 'run' in r.output; "
            "print(sorted(m for m in ('spacy', 'pyarrow', 'thinc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_run_help_shows_the_dask_extra_literally():
    # rich reads "[dask]" as markup unless it is escaped
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "240"})
    assert result.exit_code == 0
    assert "local (nlp.pipe) or dask (needs the extra: pip install 'claimex[dask]')." in " ".join(result.output.split())


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == "claimex 0.2.0"


def test_missing_path_is_one_clear_line(tmp_path):
    missing = tmp_path / "nope"
    result = runner.invoke(app, ["run", str(missing), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip() == f"claimex: error: [E010] Input path does not exist: {missing}"
    assert "Traceback" not in result.output


def test_empty_corpus_is_one_clear_line(tmp_path):
    (tmp_path / "in").mkdir()
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip() == f"claimex: error: [E011] No documents found in {tmp_path / 'in'}: nothing to process."


def test_unwritable_output_is_one_clear_line(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Kratom may relieve pain.\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["run", str(src), "--out", str(blocker / "out")])
    assert result.exit_code == 1
    assert result.output.startswith(f"claimex: error: [E030] Output folder {blocker / 'out'} is not writable")
    assert "Traceback" not in result.output


def test_report_on_a_folder_that_is_not_processed(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 1
    assert "[E032]" in result.output and "documents.parquet" in result.output


def test_python_m_claimex_cli_names_the_program_claimex():
    # `python -m claimex.cli` is the fallback the runner tests use when the script is missing
    for module in ("claimex.cli", "claimex"):
        out = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True)
        assert (out.returncode, out.stdout.strip()) == (0, "claimex 0.2.0"), module
    out = subprocess.run([sys.executable, "-m", "claimex.cli", "show"], capture_output=True, text=True,
                         env={"COLUMNS": "200", "PATH": ""})
    assert out.returncode == 2
    assert out.stderr.startswith("Usage: claimex show [OPTIONS]")


def test_show_on_a_missing_folder_is_one_clear_line(tmp_path):
    result = runner.invoke(app, ["show", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output.strip() == f"claimex: error: [E010] Input path does not exist: {tmp_path / 'nope'}"


def test_sub_apps_are_registered_and_their_help_loads_no_spacy_or_sklearn():
    code = ("import sys; from claimex.cli import app; from typer.testing import CliRunner; "
            "r = CliRunner().invoke(app, ['--help'], env={'COLUMNS': '200'}); assert r.exit_code == 0, r.output; "
            "assert 'strength' in r.output and 'review' in r.output, r.output; "
            "r = CliRunner().invoke(app, ['strength', '--help'], env={'COLUMNS': '200'}); "
            "assert r.exit_code == 0, r.output; assert 'train' in r.output and 'predict' in r.output, r.output; "
            "r = CliRunner().invoke(app, ['review', '--help'], env={'COLUMNS': '200'}); "
            "assert r.exit_code == 0, r.output; assert 'import' in r.output and 'stats' in r.output, r.output; "
            "print(sorted(m for m in ('spacy', 'pyarrow', 'thinc', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
