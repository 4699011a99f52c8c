"""run.py's own logic that needs no build: the half-built venv of a Debian machine without
python3-venv, and `run.py lab` as root. Everything happens in tmp_path (no root, no apt)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _fake_python(venv: Path, exit_code: int) -> None:
    """A venv whose `python` answers `-c "import pip"` with ``exit_code``."""
    py = venv / "bin" / "python"
    py.parent.mkdir(parents=True)
    py.write_text(f"#!/bin/sh\nexit {exit_code}\n")
    py.chmod(0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")
def test_a_venv_without_pip_is_removed(run, tmp_path):
    venv = tmp_path / ".venv"
    # what `python3 -m venv` leaves on Debian without python3-venv: an interpreter, no pip
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    assert (venv / "bin" / "python").exists()
    assert not run.venv_has_pip(venv)
    assert run.remove_broken_venv(venv)
    assert not venv.exists()


def test_a_venv_folder_without_python_is_removed(run, tmp_path):
    venv = tmp_path / ".venv"
    (venv / "lib").mkdir(parents=True)
    assert run.remove_broken_venv(venv)
    assert not venv.exists()


def test_a_working_venv_is_kept(run, tmp_path):
    venv = tmp_path / ".venv"
    _fake_python(venv, 0)
    assert run.venv_has_pip(venv)
    assert not run.remove_broken_venv(venv)
    assert venv.exists()


def test_no_venv_is_not_an_error(run, tmp_path):
    assert not run.remove_broken_venv(tmp_path / ".venv")


def test_without_ensurepip_setup_stops_and_names_the_package(run, tmp_path, monkeypatch, capsys):
    venv = tmp_path / ".venv"
    _fake_python(venv, 1)  # a half-built venv from an earlier attempt
    monkeypatch.setitem(sys.modules, "ensurepip", None)  # `import ensurepip` raises ImportError
    with pytest.raises(SystemExit) as exc:
        run.make_venv(venv)
    assert exc.value.code == 2
    out = capsys.readouterr().out
    assert not venv.exists(), "the half-built venv must be removed"
    want = f"python{sys.version_info[0]}.{sys.version_info[1]}-venv"
    assert want in out and "apt-get install" in out and "run.py setup" in out


def test_a_venv_that_comes_out_without_pip_is_removed_with_the_message(run, tmp_path, monkeypatch, capsys):
    venv = tmp_path / ".venv"

    def fake_sh(*cmd, env=None, check=True):  # `python -m venv` "succeeds" but installs no pip
        _fake_python(venv, 1)
        return 0

    monkeypatch.setattr(run, "sh", fake_sh)
    with pytest.raises(SystemExit):
        run.make_venv(venv)
    assert not venv.exists()
    assert run.venv_package() in capsys.readouterr().out


def test_lab_as_root_passes_allow_root_once(run, capsys):
    assert run.lab_root_args(["--port", "9999"], euid=0) == ["--port", "9999", "--allow-root"]
    assert "--allow-root" in capsys.readouterr().out
    assert run.lab_root_args(["--allow-root"], euid=0) == ["--allow-root"]
    assert run.lab_root_args(["--ServerApp.allow_root=True"], euid=0) == ["--ServerApp.allow_root=True"]
    assert run.lab_root_args(["--port", "9999"], euid=1000) == ["--port", "9999"]


def test_bench_names_are_positional(run, monkeypatch):
    import argparse

    calls = []
    monkeypatch.setattr(run, "sh", lambda *cmd, **kw: calls.append(cmd) or 0)
    monkeypatch.setattr(run, "need_venv", lambda: None)
    run.cmd_bench(argparse.Namespace(only=["build"]))
    assert [Path(c[1]).name for c in calls] == ["bench_build.py"]
    with pytest.raises(SystemExit):
        run.cmd_bench(argparse.Namespace(only=["--only"]))
