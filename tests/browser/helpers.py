"""Open a page of the built site and record what it did: requests, failures, console errors."""
from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

#: Console errors known to be harmless (see /work/shared/notes/toolchain.md).
HARMLESS = [
    re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),  # sphinx-thebe's script twice
    re.compile(r"Got invalid theme mode"),                                # pydata theme, first visit
]

PHONE = {"width": 390, "height": 844}


@contextlib.contextmanager
def serve(directory: Path, probe: str = "index.html"):
    """Serve ``directory`` with ``python -m http.server`` on a free loopback port; yield its URL.

    Waits until ``probe`` answers (at most 15 s) and stops the server on exit.
    """
    import pytest

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(directory)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 15
    while True:
        try:
            urllib.request.urlopen(url + probe, timeout=1).close()
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"http.server on port {port} did not start")
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Visit:
    page: object
    url: str
    requests: list = field(default_factory=list)
    bad_responses: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def external(self) -> list[str]:
        host = urlparse(self.url).netloc
        return [u for u in self.requests
                if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).netloc != host]

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(h.search(e) for h in HARMLESS)]


def open_page(browser, url: str, *, viewport=DESKTOP, dark: bool = False) -> Visit:
    ctx = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light",
                              device_scale_factor=1)
    page = ctx.new_page()
    v = Visit(page, url)
    page.on("request", lambda r: v.requests.append(r.url))
    page.on("response", lambda r: v.bad_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: v.failed.append(f"{r.failure} {r.url}"))
    page.on("console", lambda m: v.errors.append(f"console.error: {m.text} @ {m.location.get('url')}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: v.errors.append(f"pageerror: {e}"))
    if dark:
        page.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    page.goto(url, wait_until="networkidle")
    for attempt in range(3):  # a redirect page (index.html) navigates again right after loading
        try:
            page.wait_for_load_state("networkidle")
            settle(page)
            break
        except Exception as exc:  # playwright.Error: "Execution context was destroyed"
            if "context was destroyed" not in str(exc) or attempt == 2:
                raise
            page.wait_for_timeout(300)
    return v


def settle(page, timeout_ms: int = 20000) -> None:
    """Wait until MathJax has typeset and every embedded widget view has been rendered."""
    page.wait_for_function(
        """() => {
            const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
            const shown = document.querySelectorAll('.widget-subarea > *').length;
            const mj = window.MathJax;
            const mathDone = !document.querySelector('.math') || (mj && mj.startup && mj.startup.document
                               && document.querySelector('mjx-container'));
            return shown >= views && mathDone;
        }""", timeout=timeout_ms)
    page.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise : null")
    page.wait_for_timeout(300)


def close(v: Visit) -> None:
    v.page.context.close()
