"""A full disk: a real ``claimex run`` into a small tmpfs (root only: it mounts one).

The run that does not fit must end with one numbered line (E036), exit 1, and
leave the previous output set byte for byte, with no staging folder behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"


def _claimex() -> list[str]:
    exe = Path(sys.executable).with_name("claimex")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "claimex.cli"]


def _mount(point: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    point.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                          capture_output=True).returncode == 0


def _used_kib(point: Path) -> int:
    st = os.statvfs(point)
    return (st.f_blocks - st.f_bfree) * st.f_frsize // 1024


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def disk(tmp_path):
    point = tmp_path / "disk"
    if not _mount(point, "64m"):
        pytest.skip("needs root and tmpfs to fill a disk")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.mark.slow
def test_full_disk_is_one_numbered_line_and_keeps_the_previous_outputs(tmp_path, disk):
    small = tmp_path / "small"
    small.mkdir()
    first = sorted(RAW.glob("*.txt"))[0]
    shutil.copyfile(first, small / first.name)
    big = tmp_path / "big"
    big.mkdir()
    for k in range(6):
        for path in sorted(RAW.glob("*.txt")):
            (big / f"{k}-{path.name}").write_text(f"Copy {k}.\n" + path.read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    out = disk / "out"
    done = subprocess.run([*_claimex(), "run", str(small), "--out", str(out)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    before = _snapshot(out)
    # room for a little more than the first run's outputs: the 30 articles' outputs do not fit
    subprocess.run(["mount", "-o", f"remount,size={_used_kib(disk) + 512}k", str(disk)], check=True)
    full = subprocess.run([*_claimex(), "run", str(big), "--out", str(out)], capture_output=True, text=True,
                          timeout=600)
    assert full.returncode == 1, full.stderr
    last = full.stderr.strip().splitlines()[-1]
    assert last == (f"claimex: error: [E036] Cannot write the outputs to {out}: No space left on device. "
                    "The previous outputs are left as they were."), full.stderr
    assert "Traceback" not in full.stderr
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
