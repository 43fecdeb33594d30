"""The output folder: prepare_output and the run lock (claimex.store.lock)."""

import os

import pytest

from claimex.errors import ClaimexError
from claimex.store.lock import LOCK_NAME, output_lock, prepare_output


def test_lock_refuses_a_second_run(tmp_path):
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == str(os.getpid())
        with pytest.raises(ClaimexError, match=r"\[E031\] .* is locked by another claimex run"):
            with output_lock(tmp_path):
                pass
    assert not (tmp_path / LOCK_NAME).exists()


def test_refusal_names_the_pid_of_the_holder(tmp_path):
    with output_lock(tmp_path):
        with pytest.raises(ClaimexError) as exc:
            with output_lock(tmp_path):
                pass
    assert f"(pid {os.getpid()})" in str(exc.value)
    assert f"remove {tmp_path / LOCK_NAME} if" in str(exc.value)


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    (tmp_path / LOCK_NAME).write_text("999999999")
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == str(os.getpid())


def test_lock_is_released_when_the_block_fails(tmp_path):
    with pytest.raises(RuntimeError):
        with output_lock(tmp_path):
            raise RuntimeError("boom")
    assert not (tmp_path / LOCK_NAME).exists()
    with output_lock(tmp_path):
        pass


def test_prepare_output_creates_the_folder_with_its_parents(tmp_path):
    out = prepare_output(tmp_path / "a" / "b")
    assert out == tmp_path / "a" / "b" and out.is_dir()


def test_prepare_output_refuses_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ClaimexError, match=r"\[E030\] .* is not writable \(File exists\)"):
        prepare_output(tmp_path / "f")
