"""A run's outputs as one set (claimex.store.staging), the manifest's digests
(verify_outputs, record_outputs) and the refusal of a folder that is not claimex's."""

from __future__ import annotations

import errno
import json
import os

import pytest

from claimex.errors import ClaimexError
from claimex.store import staging
from claimex.store.atomic import file_sha256
from claimex.store.lock import LOCK_NAME, check_output_folder
from claimex.store.manifest import output_names, record_outputs, verify_outputs


def _write_set(folder, files: dict[str, str], **extra) -> None:
    """A fake output set: ``files`` and a manifest naming them with their digests."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    tables = {n[:-len(".parquet")]: file_sha256(folder / n) for n in files if n.endswith(".parquet")}
    manifest = {"claimex_version": "test", "table_sha256": tables,
                "outputs": {n: file_sha256(folder / n) for n in files}, **extra}
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _contents(folder) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


OLD = {"claims.parquet": "old claims", "flags.parquet": "old flags", "report.md": "old report"}
NEW = {"claims.parquet": "new claims", "errors.parquet": "new errors"}


def test_publish_swaps_the_whole_set_and_deletes_only_old_outputs(tmp_path):
    out = tmp_path / "out"
    _write_set(out, OLD)
    (out / "notes.txt").write_text("the user's")
    (out / ".claims.x.parquet.tmp").write_text("the user's too")
    with staging.staging(out) as stage:
        _write_set(stage, NEW)
        moved = staging.publish(out, stage)
    assert moved == [out / "claims.parquet", out / "errors.parquet", out / "manifest.json"]
    files = _contents(out)
    assert {k: v for k, v in files.items() if k != "manifest.json"} == {
        "claims.parquet": "new claims", "errors.parquet": "new errors", "notes.txt": "the user's",
        ".claims.x.parquet.tmp": "the user's too"}  # flags.parquet and report.md: old outputs, gone
    assert not (out / staging.STAGING_NAME).exists()
    verify_outputs(out)


def test_a_failure_while_staging_leaves_the_old_set_byte_for_byte(tmp_path):
    out = tmp_path / "out"
    _write_set(out, OLD)
    before = _contents(out)
    with pytest.raises(RuntimeError):
        with staging.staging(out) as stage:
            _write_set(stage, NEW)
            raise RuntimeError("killed")
    assert _contents(out) == before
    assert sorted(os.listdir(out)) == sorted([*OLD, "manifest.json"])


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_is_one_numbered_line_and_keeps_the_old_set(tmp_path, code):
    out = tmp_path / "out"
    _write_set(out, OLD)
    before = _contents(out)
    with pytest.raises(ClaimexError) as info:
        with staging.staging(out) as stage:
            (stage / "claims.parquet").write_text("half")
            raise OSError(code, os.strerror(code))
    assert str(info.value) == (f"[E036] Cannot write the outputs to {out}: {os.strerror(code)}. "
                               "The previous outputs are left as they were.")
    assert _contents(out) == before


def test_arrow_disk_full_message_without_errno_is_recognised():
    exc = OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")
    assert staging.is_disk_full(exc)
    assert not staging.is_disk_full(OSError("Permission denied"))
    assert not staging.is_disk_full(ValueError("No space left on device"))


@pytest.mark.parametrize("moved_before_crash", [0, 1, 2])
def test_a_swap_killed_halfway_is_finished_by_recover(tmp_path, monkeypatch, moved_before_crash):
    out = tmp_path / "out"
    _write_set(out, OLD)
    reference = tmp_path / "reference"
    _write_set(reference, NEW)
    real = os.replace
    calls = []

    def dying(src, dst):
        if len(calls) == moved_before_crash:
            raise KeyboardInterrupt("killed")
        calls.append(dst)
        return real(src, dst)

    stage = staging.staging_path(out)
    _write_set(stage, NEW)
    monkeypatch.setattr(os, "replace", dying)
    with pytest.raises(KeyboardInterrupt):
        staging.publish(out, stage)
    monkeypatch.setattr(os, "replace", real)
    assert staging.swap_pending(out)
    with pytest.raises(ClaimexError, match=r"\[E037\] .*an interrupted run's outputs are only partly in place"):
        verify_outputs(out)
    assert staging.recover(out) == "finished"
    assert not staging.swap_pending(out)
    assert _contents(out) == _contents(reference)
    verify_outputs(out)


def test_recover_removes_an_unfinished_staging_folder(tmp_path):
    out = tmp_path / "out"
    _write_set(out, OLD)
    before = _contents(out)
    _write_set(staging.staging_path(out), NEW)  # no mark: the run died while writing
    assert staging.recover(out) == "removed"
    assert _contents(out) == before and not staging.staging_path(out).exists()
    assert staging.recover(out) is None


def test_verify_outputs_names_missing_and_changed_files(tmp_path):
    out = tmp_path / "out"
    _write_set(out, OLD)
    verify_outputs(out, ["claims", "report.md"])
    (out / "claims.parquet").write_text("new claims beside an old manifest")
    (out / "flags.parquet").unlink()
    with pytest.raises(ClaimexError) as info:
        verify_outputs(out)
    assert str(info.value) == (
        f"[E037] {out}: the outputs do not match manifest.json (claims.parquet has changed; flags.parquet "
        "is missing): the folder was changed or a run was interrupted. Run `claimex run` again to rebuild it.")
    with pytest.raises(ClaimexError, match=r"\[E032\]"):
        verify_outputs(tmp_path / "nowhere")


def test_record_outputs_adds_the_report_digest(tmp_path):
    out = tmp_path / "out"
    _write_set(out, {"claims.parquet": "c"})
    (out / "report.html").write_text("<html>")
    manifest = record_outputs(out, [out / "report.html"])
    assert manifest["outputs"] == {"claims.parquet": file_sha256(out / "claims.parquet"),
                                   "report.html": file_sha256(out / "report.html")}
    assert json.loads((out / "manifest.json").read_text()) == manifest
    verify_outputs(out, ["report.html"])


def test_output_names_never_leave_the_folder():
    manifest = {"outputs": {"claims.parquet": "x", "../../etc/passwd": "x", "/abs": "x", ".claimex.lock": "x",
                            "manifest.json": "x", "a\\b": "x"}}
    assert output_names(manifest) == ["claims.parquet"]
    # a manifest older than `outputs`: its tables and the report
    assert output_names({"table_sha256": {"claims": "x"}}) == ["claims.parquet", "report.html", "report.md"]


def test_a_foreign_non_empty_folder_is_refused_unless_forced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    for name in ("report.html", "errors.parquet", "a.txt", "b.txt", "c.txt", "d.txt"):
        (out / name).write_text("the user's")
    with pytest.raises(ClaimexError) as info:
        check_output_folder(out)
    assert str(info.value) == (
        f"[E035] Output folder {out} is not empty and is not a claimex output (no claimex manifest.json; "
        "found a.txt, b.txt, c.txt, d.txt, errors.parquet and 1 more): claimex will not write into it. "
        "Choose an empty or new folder, or pass --force-out to write there anyway (files claimex does not "
        "write are left alone).")
    (out / "manifest.json").write_text('{"not": "claimex"}')
    with pytest.raises(ClaimexError, match=r"\[E035\]"):
        check_output_folder(out)
    check_output_folder(out, force_out=True)


def test_empty_claimex_and_interrupted_first_run_folders_are_accepted(tmp_path):
    check_output_folder(tmp_path / "new")  # does not exist yet
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty")
    _write_set(tmp_path / "ours", OLD)
    check_output_folder(tmp_path / "ours")
    first = tmp_path / "first"
    (first / staging.STAGING_NAME).mkdir(parents=True)
    (first / LOCK_NAME).write_text("123")
    check_output_folder(first)


def test_an_output_name_that_is_a_folder_is_e036_before_anything_is_swapped(tmp_path):
    # issue 22 (Low): a claims.parquet folder in the output folder gave an IsADirectoryError
    # traceback halfway through the swap (some new tables in, the rest old, and every later
    # run failing the same way on the marked staging folder)
    out = tmp_path / "out"
    _write_set(out, OLD)
    (out / "claims.parquet").unlink()
    (out / "claims.parquet").mkdir()
    (out / "claims.parquet" / "part-0").write_text("the user's")
    before = _contents(out)
    with pytest.raises(ClaimexError) as info:
        with staging.staging(out) as stage:
            _write_set(stage, {"errors.parquet": "new errors", "claims.parquet": "new claims"})
            staging.publish(out, stage)
    assert str(info.value) == (
        f"[E036] Cannot write the outputs to {out}: claims.parquet there is a folder, where claimex "
        "writes a file; move or remove it. The previous outputs are left as they were.")
    assert _contents(out) == before
    assert (out / "claims.parquet" / "part-0").read_text() == "the user's"
    assert not (out / staging.STAGING_NAME).exists() and not (out / "errors.parquet").exists()
