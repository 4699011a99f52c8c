"""`python3 run.py lab` in a real browser: a chapter opens as a notebook, its MyST renders, a cell runs,
and after "Run All" its prose shows the computed numbers (`{eval}`glued("key", "fmt")``, which
jupyterlab-myst evaluates in the live kernel), e.g. H = log2 5 = 2.322 bits in 2.3.

The server is started exactly as the README says (`python3 run.py lab`), headless, on a free port of
127.0.0.1 with a random token, with its own (empty) user settings, workspaces and runtime folders so
nothing of the machine's JupyterLab state leaks in. Autosave is switched off in those user settings
and the test checks that the chapter file is unchanged afterwards: the cell it adds is never saved
into the chapter. The server (and its kernels) is shut down at the end, whatever happened.

Screenshot: `<IB_SCREENSHOTS or _build/screenshots>/lab-information-theory.png`.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

CHAPTER = "book/part2/information-theory.md"
START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read() or b"null")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _processes() -> list[tuple[int, int, str, str]]:
    """(pid, process group, state, command line) of every process (Linux /proc; [] elsewhere)."""
    out = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        out.append((int(d.name), int(fields[2]), fields[0], cmd))
    return out


def _wait_gone(select, timeout: float) -> list[int]:
    """Wait until no live (non-zombie) process matches ``select``; return those left."""
    deadline = time.time() + timeout
    while True:
        left = [pid for pid, pgrp, state, cmd in _processes()
                if state != "Z" and select(pid, pgrp, cmd)]
        if not left or time.time() > deadline:
            return left
        time.sleep(0.3)


def _stop(proc, runtime: Path) -> None:
    """Stop the server we started (its process group) and the kernels it started (they run in
    their own process groups; their command lines name our private runtime folder)."""
    def in_group(pid, pgrp, cmd):
        return pgrp == proc.pid

    def ours(pid, pgrp, cmd):
        return str(runtime) in cmd

    for sig, wait in ((None, 30), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if sig is not None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
        if not _wait_gone(in_group, wait):
            break
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for pid in _wait_gone(ours, 10):
        os.kill(pid, signal.SIGKILL)
    assert not _wait_gone(ours, 10), "kernels of the lab session survived it"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`python3 run.py lab` on a free port; yields (base url, token); stops the server afterwards."""
    tmp = tmp_path_factory.mktemp("lab")
    settings = tmp / "settings"
    for plugin, values in {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
    }.items():
        f = settings / f"{plugin}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values))
    env = {k: v for k, v in os.environ.items() if k not in ("IB_BUILD", "JUPYTER_CONFIG_PATH")}
    env.update(JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "ws"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTER_CONFIG_DIR=str(tmp / "config"))
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, str(ROOT / "run.py"), "lab", "--no-browser", f"--port={port}",
           "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
           f"--IdentityProvider.token={token}"]
    # no --allow-root here: run as root (containers, CI), `run.py lab` must add it itself
    log = open(tmp / "lab.log", "w")
    before = _sha(ROOT / CHAPTER)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # its own process group: run.py + jupyter
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + START_TIMEOUT_S
        while True:
            try:
                _get(f"{base}/api/status?token={token}", timeout=2)
                break
            except (OSError, urllib.error.URLError):
                if proc.poll() is not None or time.time() > deadline:
                    log.flush()
                    pytest.fail("`python3 run.py lab` did not start:\n"
                                + (tmp / "lab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, token
    finally:
        try:  # shuts the kernels down, then the server
            urllib.request.urlopen(urllib.request.Request(
                f"{base}/api/shutdown?token={token}", method="POST"), timeout=10).close()
        except OSError:
            pass
        _stop(proc, tmp / "runtime")
        log.close()
    assert _sha(ROOT / CHAPTER) == before, f"the lab session modified {CHAPTER}"


def test_the_lab_makes_markdown_open_as_a_notebook(lab):
    base, token = lab
    plugin = _get(f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin?token={token}")
    viewers = plugin["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers.get("markdown") == "Jupytext Notebook", viewers


def test_plain_jupyter_lab_in_the_venv_has_the_setting(tmp_path):
    """`run.py setup`/`lab` put the setting in the venv, so a bare `jupyter lab` reads it too."""
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    written = run.install_labconfig()
    assert written == run.VENV / "etc" / "jupyter" / "labconfig" / "default_setting_overrides.json"
    probe = ("import json; from jupyter_server.services.config import ConfigManager; "
             "print(json.dumps(ConfigManager(config_dir_name='labconfig')"
             ".get('default_setting_overrides')))")
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path)  # no user-level config
    out = subprocess.run([str(run.PY), "-c", probe], env=env, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    viewers = json.loads(out)["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"


def test_a_chapter_opens_as_a_notebook_renders_myst_and_runs_a_cell(lab, browser):
    base, token = lab
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{base}/lab/tree/{CHAPTER}?token={token}", timeout=60000)
        panel = page.locator(".jp-NotebookPanel").first
        panel.locator(".jp-Cell").first.wait_for(timeout=60000)
        assert page.locator(".jp-FileEditor").count() == 0, "the chapter opened in the text editor"
        # the whole chapter is in the notebook: the status bar says "Cell i/N" with N >= 20
        try:
            page.wait_for_function(
                r"() => +((document.body.innerText.match(/Cell \d+\/(\d+)/) || [])[1] || 0) >= 20",
                timeout=30000)
        except Exception:
            m = re.search(r"Cell \d+/\d+", page.inner_text("body"))
            pytest.fail(f"the chapter was not split into cells: status bar {m and m.group(0)!r}")
        # jupyterlab-myst renders the directives: the admonitions are <aside>s, not raw text
        objectives = panel.locator(".jp-MarkdownCell .myst aside.myst-admonition",
                                   has_text="Learning objectives").first
        objectives.wait_for(timeout=30000)
        rendered = panel.locator(".jp-MarkdownCell .myst").first.inner_text()
        assert "{admonition}" not in rendered and ":::" not in rendered, rendered[:300]
        # a kernel starts; a new cell runs, imports the lib and shows a live widget
        page.wait_for_function(
            "() => document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'",
            timeout=90000)
        panel.locator(".jp-CodeCell").first.locator(".jp-InputArea-prompt").click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.type("import infobandwidth, ipywidgets\n"
                           "print('lab says', 6 * 7, infobandwidth.__name__)\n"
                           "ipywidgets.IntSlider(value=3, description='live')")
        page.keyboard.press("Shift+Enter")
        panel.locator(".jp-OutputArea-output", has_text="lab says 42 infobandwidth").wait_for(timeout=90000)
        panel.locator(".jp-OutputArea .widget-slider").first.wait_for(timeout=30000)
        shots = Path(os.environ.get("IB_SCREENSHOTS", ROOT / "_build" / "screenshots"))
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "lab-information-theory.png"))
        assert not errors, errors
    finally:
        ctx.close()


def test_after_run_all_the_prose_shows_the_computed_numbers(lab, browser):
    """The chapter's text says "five equally likely levels give 2.322 bits" once the cells ran."""
    base, token = lab
    want = f"{math.log2(5):.3f}"  # the entropy of five equally likely levels, computed here
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{base}/lab/tree/{CHAPTER}?token={token}", timeout=60000)
        panel = page.locator(".jp-NotebookPanel").first
        cell = panel.locator(".jp-MarkdownCell .myst", has_text="five equally likely levels give").first
        cell.wait_for(state="attached", timeout=60000)  # Lab renders cells out of view lazily
        cell.scroll_into_view_if_needed()
        assert "{glue" not in cell.inner_text(), (
            "the chapter still uses {glue:text} roles, which JupyterLab shows as their keys: "
            "write numbers as {eval}`glued(\"key\", \"fmt\")` (see CONTRIBUTING, item 9)")
        page.wait_for_function(
            "() => document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'",
            timeout=90000)
        panel.locator(".jp-Notebook").first.click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Shift+c")  # the command palette: Run All Cells
        page.keyboard.type("Run All Cells")
        page.keyboard.press("Enter")
        try:
            page.wait_for_function(
                "([el, want]) => el.innerText.includes(want)", arg=[cell.element_handle(), want],
                timeout=240000)
        except Exception:
            pytest.fail(f"after Run All the text reads {cell.inner_text()[:300]!r}, without {want}")
        text = cell.inner_text()
        assert f"five equally likely levels give {want} bits" in " ".join(text.split()), text[:300]
        assert "glued(" not in text, text[:300]
        cell.scroll_into_view_if_needed()
        shots = Path(os.environ.get("IB_SCREENSHOTS", ROOT / "_build" / "screenshots"))
        shots.mkdir(parents=True, exist_ok=True)
        cell.screenshot(path=str(shots / "lab-information-theory-numbers.png"))
        assert not errors, errors
    finally:
        ctx.close()
