"""Readers of an output folder check the set (issue 22): `claimex report`, `show`, `export` and
`review` refuse tables that are not the manifest's (E037 naming the table), do not read while a run
holds the folder (they wait, then E031), and a report is recorded in the manifest so that a stale
one is found and named.  The folder is the report tests' kratom fixture with a manifest of its digests."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from reportkit import write_kratom_fixture  # noqa: E402

from claimex.cli import app  # noqa: E402
from claimex.errors import ClaimexError  # noqa: E402
from claimex.store import lock  # noqa: E402
from claimex.store.atomic import file_sha256  # noqa: E402
from claimex.store.manifest import stale_report, tables_id, verify_readable  # noqa: E402

runner = CliRunner()


def claimex(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def with_manifest(folder: Path) -> Path:
    """A manifest like a run's: each table's digest in table_sha256 and outputs."""
    digests = {p.stem: file_sha256(p) for p in sorted(folder.glob("*.parquet"))}
    manifest = {"claimex_version": "test", "table_sha256": digests,
                "outputs": {f"{n}.parquet": d for n, d in digests.items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path) -> Path:
    return with_manifest(write_kratom_fixture(tmp_path / "out"))


def replace_with_fewer(folder: Path, name: str = "flags") -> None:
    """A table from another run (a row fewer): the set is mixed, as after a full disk."""
    table = pq.read_table(folder / f"{name}.parquet")
    pq.write_table(table.slice(1), folder / f"{name}.parquet")


@pytest.mark.parametrize("command", [["show"], ["export"], ["report"], ["review", "stats"]])
def test_a_reader_refuses_a_mixed_set_naming_the_table(folder, command):
    replace_with_fewer(folder)
    result = claimex(*command, folder)
    assert result.exit_code == 1, result.output
    assert "[E037]" in result.output
    assert "flags.parquet has changed" in result.output
    assert not (folder / "report.html").exists()
    assert not (folder / "flags.csv").exists()


@pytest.mark.parametrize("command", [["show"], ["export"], ["report"]])
def test_a_changed_claims_table_is_named(folder, command):
    replace_with_fewer(folder, "claims")
    result = claimex(*command, folder)
    assert result.exit_code == 1 and "claims.parquet has changed" in result.output


def test_review_import_refuses_a_mixed_set(folder, tmp_path):
    replace_with_fewer(folder)
    verdicts = tmp_path / "v.json"
    verdicts.write_text('{"verdicts": []}', encoding="utf-8")
    result = claimex("review", "import", folder, verdicts)
    assert result.exit_code == 1
    assert "[E037]" in result.output and "flags.parquet has changed" in result.output


def test_a_table_the_manifest_does_not_list_is_refused(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["outputs"]["entities.parquet"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = claimex("report", folder)
    assert result.exit_code == 1 and "entities.parquet is not in the manifest" in result.output


def test_a_consistent_set_is_read(folder):
    assert claimex("show", folder).exit_code == 0
    result = claimex("export", folder, "--format", "jsonl", "--dest", folder / "x")
    assert result.exit_code == 0 and (folder / "x" / "claims.jsonl").is_file()


def test_without_a_manifest_of_digests_nothing_is_checked(tmp_path):
    folder = write_kratom_fixture(tmp_path / "plain")   # its manifest records no digests
    replace_with_fewer(folder, "claims")
    assert verify_readable(folder, ["claims"]) is not None
    (folder / "manifest.json").unlink()
    assert verify_readable(folder, ["claims"]) is None


def hold_lock(folder: Path, seconds: float, release: threading.Event | None = None, *,
              reader: bool = False) -> threading.Thread:
    """A 'run' (``reader``: a ``claimex show``) holding the folder's lock for ``seconds``, or until
    ``release`` is set (another open file: flock conflicts)."""
    taken = threading.Event()

    def hold():
        with lock.read_lock(folder, wait=0) if reader else lock.output_lock(folder):
            taken.set()
            if release is not None:
                release.wait(30)
            else:
                time.sleep(seconds)

    t = threading.Thread(target=hold)
    t.start()
    assert taken.wait(5)
    return t


def test_a_reader_waits_for_a_run_holding_the_folder(folder):
    t = hold_lock(folder, 0.6)
    started = time.monotonic()
    result = claimex("show", folder)
    waited = time.monotonic() - started
    t.join()
    assert result.exit_code == 0, result.output
    assert waited >= 0.4


def test_a_reader_gives_up_with_e031_when_the_run_goes_on(folder, monkeypatch):
    monkeypatch.setattr(lock, "LOCK_WAIT_S", 0.2)
    release = threading.Event()
    t = hold_lock(folder, 0, release)
    try:
        for command in (["show"], ["export"], ["report"], ["review", "stats"]):
            result = claimex(*command, folder)
            assert result.exit_code == 1, command
            assert "[E031]" in result.output and "locked by another claimex run" in result.output
    finally:
        release.set()
        t.join()
    assert not (folder / "report.html").exists()


def test_a_run_cannot_take_the_folder_while_it_is_read(folder):
    with lock.read_lock(folder, wait=0):
        with pytest.raises(ClaimexError, match=r"\[E031\]"):
            with lock.output_lock(folder, readers_wait=0):
                pass
        with lock.read_lock(folder, wait=0):  # readers share it
            pass
    with lock.output_lock(folder):
        pass


def test_a_run_waits_for_a_reader_to_finish(folder):
    t = hold_lock(folder, 0.6, reader=True)
    started = time.monotonic()
    with lock.output_lock(folder):  # wait=0, the run's default: readers are still waited for
        waited = time.monotonic() - started
        assert (folder / lock.LOCK_NAME).read_text() == str(os.getpid())
    t.join()
    assert waited >= 0.4


def test_a_run_gives_up_on_a_reader_that_goes_on_with_e031(folder, monkeypatch):
    monkeypatch.setattr(lock, "LOCK_WAIT_S", 0.3)
    t = hold_lock(folder, 2.0, reader=True)
    started = time.monotonic()
    with pytest.raises(ClaimexError, match=r"\[E031\].*pid unknown"):
        with lock.output_lock(folder):
            pass
    waited = time.monotonic() - started
    t.join()
    assert 0.3 <= waited < 1.5


def test_a_second_run_is_refused_at_once_even_though_readers_are_waited_for(folder):
    release = threading.Event()
    t = hold_lock(folder, 0, release)   # a run: its pid is in the lock file
    try:
        started = time.monotonic()
        with pytest.raises(ClaimexError, match=rf"\[E031\].*pid {os.getpid()}"):
            with lock.output_lock(folder):
                pass
        assert time.monotonic() - started < lock.LOCK_WAIT_S / 2
    finally:
        release.set()
        t.join()


def test_claimex_report_is_recorded_in_the_manifest(folder):
    result = claimex("report", folder)
    assert result.exit_code == 0, result.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["outputs"]["report.html"] == file_sha256(folder / "report.html")
    assert manifest["outputs"]["report.md"] == file_sha256(folder / "report.md")
    assert manifest["report"] == {"tables_id": tables_id(manifest), "files": ["report.html", "report.md"]}
    assert stale_report(folder) == []
    assert "stale" not in claimex("show", folder).output


def test_a_report_overwritten_by_an_interrupted_build_is_stale(folder):
    assert claimex("report", folder).exit_code == 0
    # a signal after report.html was replaced but before the manifest recorded it
    (folder / "report.html").write_text("<html>half of another report</html>", encoding="utf-8")
    assert stale_report(folder) == ["report.html is not the report recorded for these tables (it was "
                                    "changed or overwritten by an interrupted report)"]
    shown = claimex("show", folder)
    assert shown.exit_code == 0
    assert "claimex: warning: the report in" in shown.output and "is stale: report.html is not the report" in shown.output
    rebuilt = claimex("report", folder)
    assert rebuilt.exit_code == 0
    assert "claimex: note: the report that was in" in rebuilt.output and "it is replaced" in rebuilt.output
    assert stale_report(folder) == []


def test_a_report_beside_tables_it_was_not_built_for_is_stale(folder):
    (folder / "report.md").write_text("# claimex flag report\n\nfrom an earlier run\n", encoding="utf-8")
    assert stale_report(folder) == ["report.md is not part of this output set (it was left by an earlier "
                                    "run or an interrupted report)"]
    assert "is stale: report.md is not part of this output set" in claimex("show", folder).output
