"""The ecosystem's own command builds a working site: a plain `jupyter-book build`, no run.py.

Every user and every hosting service types `jupyter-book build .`, without run.py and without
IB_BUILD in the environment. The book's Sphinx extension (infobandwidth.tools.sphinx_site, loaded
by every build) sets the kernels' build context itself, so the demos still take their kernel-free
form. This module builds a small scratch book — the repository's _config.yml, the site's own
assets and the demo fixture page (tests/fixtures/demo-page.md) as its only page — with exactly that
command (IB_BUILD and PYTHONHASHSEED removed from the environment) and checks in headless Chromium
that a demo slider changes the shown frame with no kernel. The build's log is checked too: no
"Kernel is running over TCP without encryption" line (the extension encrypts the kernel sockets).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import IN_CI, ROOT
from .helpers import close, open_page, serve

pytestmark = pytest.mark.browser

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
PAGE = "book/demo-fixture"


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory):
    """(html folder, build log) of the small book built with the plain command."""
    if not JUPYTER_BOOK.exists():
        pytest.skip(f"{JUPYTER_BOOK} not found: run `python3 run.py setup`")
    if not (ROOT / "node_modules").exists():
        (pytest.fail if IN_CI else pytest.skip)("no node_modules: run `python3 run.py setup` (npm ci)")
    book = tmp_path_factory.mktemp("plain-book")
    for rel in ("_config.yml", "package.json", "book/references.bib", "book/site",
                "tests/fixtures/fixture_demos.py"):
        src, dst = ROOT / rel, book / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
    (book / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copy2(ROOT / "tests" / "fixtures" / "demo-page.md", book / f"{PAGE}.md")
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: {PAGE}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("IB_BUILD", "PYTHONHASHSEED")}
    proc = subprocess.run([str(JUPYTER_BOOK), "build", "."], cwd=book, env=env,
                          capture_output=True, text=True, timeout=900)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"`jupyter-book build .` failed:\n{log[-5000:]}"
    return book / "_build" / "html", log


@pytest.fixture(scope="module")
def plain_url(plain_build):
    with serve(plain_build[0], f"{PAGE}.html") as url:
        yield url


def test_plain_build_runs_the_kernels_in_the_build_context(plain_build):
    html, log = plain_build
    assert "[ib-site] IB_BUILD=1 for the notebook kernels of this build" in log
    page = (html / f"{PAGE}.html").read_text(encoding="utf8")
    assert "ib-demo-static" in page, "the demos were built in their live (kernel-only) form"
    state = json.loads((html.parent / ".lib-deps.json").read_text())
    assert f"{PAGE}.md" in state["site"], "the build did not record the page's lib fingerprint"


def test_plain_build_log_has_no_unencrypted_kernel_warning(plain_build):
    _html, log = plain_build
    assert "Executed notebook" in log  # the page was executed in this build
    assert "without encryption" not in log, [l for l in log.splitlines() if "encryption" in l]


def _frame(demo):
    img = demo.locator("img.ib-demo-frame:visible")
    assert img.count() == 1
    return hashlib.sha256(img.screenshot()).hexdigest()


def test_demo_slider_changes_the_frame_without_a_kernel(browser, plain_url):
    v = open_page(browser, plain_url + f"{PAGE}.html")
    try:
        assert v.page.locator(".ib-demo-static").count() > 0, \
            "no kernel-free demo on the page: its kernel ran without the build context (IB_BUILD)"
        demo = v.page.locator(".ib-demo-static").first
        demo.scroll_into_view_if_needed()
        slider = demo.locator(".ib-demo-slider").first
        readout = slider.locator(".widget-readout")
        before_value, before = readout.inner_text(), _frame(demo)
        handle = slider.locator(".noUi-handle")
        handle.focus()
        handle.press("ArrowRight")
        v.page.wait_for_timeout(250)
        assert readout.inner_text() != before_value, "the slider did not move"
        assert _frame(demo) != before, "moving the slider did not change the frame"
        assert not v.unexpected_errors(), v.unexpected_errors()
    finally:
        close(v)
