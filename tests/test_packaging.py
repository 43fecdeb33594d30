"""claimex as a user gets it: the wheel ships every data file, runs like the
editable install, fails once and clearly when its data is missing, and
``python -m claimex`` is the ``claimex`` command.

The wheel is built once per session from a copy of the files git tracks (or
would track), without build isolation or network: the dev install brings
setuptools (see pyproject.toml's dev extra).  It is installed, without its
dependencies, into fresh virtual environments under tmp_path that reuse this
environment's site-packages through a ``.pth`` line (a plain path line does
not run the editable install's import hook, so ``import claimex`` finds the
wheel's copy; a fixture checks that).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_BIN = Path(sys.executable).parent
DATA_DIRS = {"pipelines": "claimex/pipelines", "src/claimex/report/assets": "claimex/report/assets",
             "src/claimex/report/templates": "claimex/report/templates"}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["COLUMNS"] = "100"
    return env


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=_env(), **kw)


def _git_files(*paths: str) -> list[str]:
    """Files git tracks, or would track after ``git add`` (untracked, not ignored), that exist."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: cannot list the checkout's files")
    proc = _run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                 "--", *paths])
    if proc.returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout: cannot list the files a wheel must ship")
    return sorted(f for f in proc.stdout.split("\0") if f and (ROOT / f).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("sdist-tree")
    for name in _git_files():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "--quiet", "--wheel-dir", dist, src])
    assert proc.returncode == 0, f"building the wheel failed (make install brings setuptools>=77):\n{proc.stderr}"
    (whl,) = dist.glob("claimex-*.whl")
    return whl


def _venv_with(wheel: Path, where: Path) -> Path:
    """A fresh venv at ``where`` with the wheel installed and this environment's packages visible."""
    _run([sys.executable, "-m", "venv", "--without-pip", where]).check_returncode()
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(where), "platbase": str(where)}))
    dev_sites = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "zz_claimex_dev_deps.pth").write_text("".join(f"{p}\n" for p in dev_sites))
    proc = _run([sys.executable, "-m", "pip", "--python", where / "bin" / "python", "install", "--quiet",
                 "--no-deps", "--no-index", wheel])
    assert proc.returncode == 0, proc.stderr
    return where


def _installed_claimex(venv: Path) -> Path:
    proc = _run([venv / "bin" / "python", "-c", "import claimex.pipelines as p; print(p.__file__)"], cwd=venv)
    assert proc.returncode == 0, proc.stderr
    pkg = Path(proc.stdout.strip()).parents[1]
    assert venv in pkg.parents and ROOT not in pkg.parents, f"import claimex found {pkg}, not the wheel's copy"
    return pkg


@pytest.fixture(scope="module")
def wheel_venv(wheel, tmp_path_factory) -> Path:
    venv = _venv_with(wheel, tmp_path_factory.mktemp("wheel-venv") / "venv")
    _installed_claimex(venv)  # the wheel's copy, not the source tree's
    return venv


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A working folder outside the source tree holding a copy of data/raw."""
    work = tmp_path_factory.mktemp("work")
    shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw")
    return work


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_wheel_ships_every_data_file(wheel):
    expected = {name.replace(folder, target, 1) for folder, target in DATA_DIRS.items()
                for name in _git_files(folder)}
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n for n in zf.namelist() if n.startswith(tuple(DATA_DIRS.values()))
                   and not n.endswith((".pyc", "/"))}
    assert expected, "git lists no file under pipelines/, report/assets/ or report/templates/"
    assert sorted(expected - shipped) == [], "files in the checkout that the wheel leaves out"
    assert sorted(shipped - expected) == [], "files in the wheel that the checkout does not have"


def test_declared_data_files_are_the_ones_the_code_reads():
    """E003's list (claimex.nlp.pipeline) holds every packaged data file that claimex's
    code names, and only files that exist.  Files that only scripts read (sources
    of a generated lexicon, say) ship too but need not be declared."""
    from claimex.nlp.pipeline import OPTIONAL_DATA_FILES, PIPELINE_DATA_FILES, REPORT_ASSET_FILES

    pkg = ROOT / "src" / "claimex"
    code = "\n".join(p.read_text(encoding="utf-8") for p in pkg.rglob("*.py") if p.name != "pipeline.py")
    for folder, declared in ((ROOT / "pipelines", PIPELINE_DATA_FILES),
                             (pkg, REPORT_ASSET_FILES)):
        missing = [name for name in declared if not (folder / name).is_file()]
        assert missing == [], f"declared in claimex.nlp.pipeline but not in {folder}: {missing}"
    data = {p.relative_to(ROOT / "pipelines").as_posix() for p in (ROOT / "pipelines").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    read = {name for name in data if Path(name).name in code}
    undeclared = sorted(read - set(PIPELINE_DATA_FILES) - set(OPTIONAL_DATA_FILES))
    assert undeclared == [], (f"claimex's code reads {undeclared}: add them to claimex.nlp.pipeline.PIPELINE_DATA_FILES "
                              "(or OPTIONAL_DATA_FILES, if the code does without them)")
    assert sorted(p.relative_to(pkg).as_posix() for sub in ("assets", "templates")
                  for p in (pkg / "report" / sub).rglob("*") if p.is_file()) == sorted(REPORT_ASSET_FILES)


@pytest.mark.slow
def test_wheel_install_runs_like_the_editable_install(wheel_venv, corpus):
    editable = DEV_BIN / "claimex"
    assert editable.exists(), f"no claimex script beside {sys.executable}: run make install"
    outs = {}
    for name, claimex in (("wheel", wheel_venv / "bin" / "claimex"), ("editable", editable)):
        out = corpus / f"out-{name}"
        proc = _run([claimex, "run", "data/raw", "--out", out], cwd=corpus)
        assert proc.returncode == 0, f"{name} run failed:\n{proc.stderr}"
        outs[name] = out
    tables = sorted(p.name for p in outs["editable"].glob("*.parquet"))
    assert len(tables) >= 7 and tables == sorted(p.name for p in outs["wheel"].glob("*.parquet"))
    differ = [t for t in tables if _sha256(outs["wheel"] / t) != _sha256(outs["editable"] / t)]
    assert differ == [], f"tables that differ byte for byte between the wheel and editable runs: {differ}"
    # The manifest holds no paths nor times, so it is equal too (config hash, table hashes, versions).
    manifest = json.loads((outs["wheel"] / "manifest.json").read_text())
    assert (outs["wheel"] / "manifest.json").read_bytes() == (outs["editable"] / "manifest.json").read_bytes()
    assert manifest["row_counts"]["claims"] > 0 and manifest["errors"] == []
    assert (outs["wheel"] / "report.html").stat().st_size > 0  # report/assets came from the wheel


@pytest.mark.slow
def test_install_without_a_data_file_fails_once_at_load(wheel, corpus, tmp_path):
    venv = _venv_with(wheel, tmp_path / "venv")
    (_installed_claimex(venv) / "pipelines" / "lexicons" / "claim_rules.json").unlink()
    out = tmp_path / "out"
    proc = _run([venv / "bin" / "claimex", "run", "data/raw", "--out", out], cwd=corpus)
    assert proc.returncode != 0
    numbered = [line for line in proc.stderr.splitlines() if "[E0" in line]
    assert len(numbered) == 1, proc.stderr
    assert "[E003]" in numbered[0] and "claim_rules.json" in numbered[0]
    assert "installed without its data files" in numbered[0]
    assert list(out.glob("*.parquet")) == [] and not (out / "manifest.json").exists()


def test_data_file_check_names_missing_and_unreadable_files(tmp_path, monkeypatch):
    import claimex.nlp.pipeline as pipeline
    from claimex.errors import ClaimexError

    copy = tmp_path / "pipelines"
    shutil.copytree(Path(str(pipeline.pipeline_resources())), copy)
    pipeline.check_data_files()  # the real install is complete
    monkeypatch.setattr(pipeline, "pipeline_resources", lambda: copy)
    pipeline.check_data_files()  # so is the copy
    (copy / "lexicons" / "claim_rules.json").unlink()
    (copy / "patterns" / "dose.jsonl").unlink()
    (copy / "patterns" / "dose.jsonl").mkdir()  # exists, but cannot be read as a file
    (copy / "lexicons" / "ontology.jsonl").unlink(missing_ok=True)  # optional: not an error
    with pytest.raises(ClaimexError) as exc:
        pipeline.pipeline_info()
    msg = str(exc.value)
    assert msg.startswith("[E003]") and msg.count("[E") == 1
    assert f"{copy / 'lexicons' / 'claim_rules.json'} (missing)" in msg
    assert str(copy / "patterns" / "dose.jsonl") in msg
    assert "installed without its data files" in msg and "ontology" not in msg
    with pytest.raises(ClaimexError, match=r"\[E003\]"):
        pipeline.load_pipeline()


def test_python_dash_m_claimex_is_the_claimex_command():
    module = _run([sys.executable, "-m", "claimex", "--help"], cwd=ROOT)
    script = _run([DEV_BIN / "claimex", "--help"], cwd=ROOT)
    assert module.returncode == 0, module.stderr
    assert script.returncode == 0, script.stderr
    assert "Usage: claimex" in module.stdout
    assert module.stdout == script.stdout
