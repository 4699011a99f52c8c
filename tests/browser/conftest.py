"""Fixtures for the browser tests: the built site served on 127.0.0.1 and Debian's headless Chromium.

The site is `_build/html` (override with IB_SITE=/path/to/html, e.g. a scratch build made by
tests/fixtures/make_scratch_book.sh). `python3 run.py test` builds it first. Run alone without a
built site or without /usr/bin/chromium the tests skip with the reason — except under CI (CI set),
where a missing site or browser is a failure.

Screenshots of every page (desktop 1280 px, phone 390 px, and chapters in dark mode) are written
to `_build/screenshots/` (next to the site, so they are not published with it).

Never `playwright install`: the tests drive the system Chromium (`apt-get install chromium`).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .helpers import serve

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("IB_SITE", ROOT / "_build" / "html")).resolve()
CHROMIUM = os.environ.get("IB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def site_pages() -> list[str]:
    """Every HTML page of the built site, relative to its root (not assets, sources, reports)."""
    if not (SITE / "index.html").exists():
        return []
    skip = {"_static", "_sources", "_images", "reports", "_screenshots", "slides"}  # decks: test_slides.py
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if not skip & set(p.relative_to(SITE).parts)
                  and not any(part.startswith(".") for part in p.relative_to(SITE).parts))


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (CI must run the browser tests)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `python3 run.py test` (it builds first)")
    return SITE


@pytest.fixture(scope="session")
def base_url(site: Path):
    with serve(site, "index.html") as url:
        yield url


@pytest.fixture(scope="module")  # Playwright's sync API keeps an event loop running: close it
def browser():                    # after this folder's tests, before the rest of the suite
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        _missing(f"{CHROMIUM} not found: `apt-get install -y chromium` (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:  # launch() gives every run a fresh, temporary profile
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def screenshots(site: Path) -> Path:
    out = site.parent / "screenshots"
    out.mkdir(exist_ok=True)
    return out
