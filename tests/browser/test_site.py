"""The built site in a real browser (headless Chromium): every page, offline, demos, reader features.

Run by `python3 run.py test` after the build; alone: `.venv/bin/python -m pytest tests/browser`.
"""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from .conftest import IN_CI, SITE, site_pages
from .helpers import DESKTOP, PHONE, close, open_page

pytestmark = pytest.mark.browser

PAGES = site_pages()
CHAPTERS = [p for p in PAGES if p.startswith("book/")]


def _page_html(page: str) -> str:
    return (SITE / page).read_text(encoding="utf8")


def _has_math(page: str) -> bool:
    return bool(re.search(r'class="math notranslate', _page_html(page)))


def _demo_pages() -> list[str]:
    return [p for p in PAGES if "ib-demo-static" in _page_html(p)]


def test_the_site_was_built():
    if not PAGES:
        msg = f"no built site at {SITE}: run `python3 run.py test` (it builds first)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    assert "book/intro.html" in PAGES or "index.html" in PAGES


CONTRAST_JS = r"""() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bgOf = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c; } return [255, 255, 255]; };
  return [...document.querySelectorAll('.widget-label, .widget-readout, .ib-demo-description')]
    .filter(e => e.offsetParent !== null && e.textContent.trim())
    .map(e => { const a = lum(rgb(getComputedStyle(e).color)), b = lum(bgOf(e));
      return [e.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; })
    .filter(([, ratio]) => ratio < 4.5);
}"""


# ------------------------------------------------------------------ every page, offline and clean

@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(browser, base_url, page, screenshots):
    v = open_page(browser, base_url + page)
    try:
        assert not v.external(), f"{page} asked another host for {v.external()}"
        assert not v.bad_responses, f"{page}: {v.bad_responses}"
        assert not v.failed, f"{page}: requests failed: {v.failed}"
        assert not v.unexpected_errors(), f"{page}: {v.unexpected_errors()}"
        if _has_math(page):
            n = v.page.locator("mjx-container").count()
            assert n > 0, f"{page} has math but MathJax typeset none of it"
            raw = v.page.evaluate(r"""() => [...document.querySelectorAll('.math')]
                .filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60))""")
            assert not raw, f"{page}: math left as raw LaTeX: {raw[:3]}"
        views = v.page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        if views:
            assert v.page.locator(".widget-subarea > *").count() >= views
        n_demos = _page_html(page).count("ib-demo-static")
        if n_demos:
            assert v.page.locator(".ib-demo-static").count() >= 1, f"{page}: demos did not render"
            imgs = v.page.locator(".ib-demo-static img.ib-demo-frame:visible")
            assert imgs.count() == v.page.locator(".ib-demo-static").count(), \
                "each demo shows exactly one frame"
            assert all(imgs.nth(i).evaluate("e => e.naturalWidth > 0") for i in range(imgs.count()))
    finally:
        close(v)


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("page", PAGES)
def test_screenshot(browser, base_url, page, width, screenshots):
    viewport = DESKTOP if width == "desktop" else PHONE
    v = open_page(browser, base_url + page, viewport=viewport)
    try:
        name = page.replace("/", "__").removesuffix(".html")
        v.page.screenshot(path=str(screenshots / f"{name}.{width}.png"), full_page=True)
        overflow = v.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 2, f"{page} is {overflow}px wider than a {viewport['width']}px screen"
    finally:
        close(v)


@pytest.mark.parametrize("page", CHAPTERS)
def test_dark_mode_screenshot_and_readable_widgets(browser, base_url, page, screenshots):
    v = open_page(browser, base_url + page, dark=True)
    try:
        assert v.page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        name = page.replace("/", "__").removesuffix(".html")
        v.page.screenshot(path=str(screenshots / f"{name}.dark.png"), full_page=True)
        # every text of a widget must be readable against what is actually behind it
        low = v.page.evaluate(CONTRAST_JS)
        assert not low, f"{page}: widget text with contrast < 4.5 in dark mode: {low[:5]}"
        # figures stay on white paper, undimmed
        imgs = v.page.evaluate("""() => [...document.querySelectorAll('.cell_output img')]
                .map(e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).filter])""")
        assert all(bg == "rgb(255, 255, 255)" and f == "none" for bg, f in imgs), imgs
    finally:
        close(v)


# ------------------------------------------------------------------ kernel-free demos

def _visible_frame(demo):
    img = demo.locator("img.ib-demo-frame:visible")
    assert img.count() == 1
    return img.get_attribute("src"), hashlib.sha256(img.screenshot()).hexdigest()


@pytest.mark.parametrize("page", _demo_pages() or [pytest.param("none", marks=pytest.mark.skip(
    reason="no page of this build shows a kernel-free demo"))])
def test_every_demo_slider_switches_frames_without_a_kernel(browser, base_url, page):
    v = open_page(browser, base_url + page)
    try:
        demos = v.page.locator(".ib-demo-static")
        assert demos.count() > 0
        for d in range(demos.count()):
            demo = demos.nth(d)
            demo.scroll_into_view_if_needed()
            sliders = demo.locator(".ib-demo-slider")
            assert sliders.count() >= 1
            for s in range(sliders.count()):
                handle = sliders.nth(s).locator(".noUi-handle")
                readout = sliders.nth(s).locator(".widget-readout")
                before_val = readout.inner_text()
                before = _visible_frame(demo)
                handle.focus()
                handle.press("ArrowRight")
                v.page.wait_for_timeout(250)
                after = _visible_frame(demo)
                assert readout.inner_text() != before_val, f"demo {d} slider {s} did not move"
                assert after[1] != before[1], \
                    f"{page}: demo {d}, slider {s}: the frame did not change"
                handle.press("ArrowLeft")
                v.page.wait_for_timeout(250)
                back = _visible_frame(demo)
                assert readout.inner_text() == before_val
                assert back[1] == before[1], f"{page}: demo {d}, slider {s}: moving back did not restore the frame"
        assert not v.unexpected_errors(), v.unexpected_errors()
    finally:
        close(v)


@pytest.mark.parametrize("page", [p for p in _demo_pages() if "widget-play" in _page_html(p)
                                  or "PlayModel" in _page_html(p)] or
                         [pytest.param("none", marks=pytest.mark.skip(reason="no demo with a Play button"))])
def test_play_button_steps_the_demo(browser, base_url, page):
    v = open_page(browser, base_url + page)
    try:
        demo = v.page.locator(".ib-demo-static", has=v.page.locator(".widget-play")).first
        demo.scroll_into_view_if_needed()
        # Font Awesome must nest its <svg> inside the widget's <i> (autoReplaceSvg "nest"), not
        # replace the <i>: the Play view keeps a reference to it
        assert demo.locator(".widget-play button i > svg").count() >= 1
        before = _visible_frame(demo)
        demo.locator(".widget-play button").first.click()
        v.page.wait_for_timeout(1600)
        assert _visible_frame(demo) != before, "Play did not change the frame"
        demo.locator(".widget-play button").nth(1).click()  # stop
        assert not v.unexpected_errors(), v.unexpected_errors()
    finally:
        close(v)


# ------------------------------------------------------------------ reader features

def test_search_finds_a_word_of_a_chapter(browser, base_url):
    text = re.sub(r"<[^>]+>", " ", _page_html(CHAPTERS[0]))
    word = max(re.findall(r"\b[a-z]{7,}\b", text), key=text.count)
    v = open_page(browser, base_url + f"search.html?q={word}")
    try:
        v.page.wait_for_selector("#search-results li", timeout=15000)
        assert v.page.locator("#search-results li").count() >= 1
        assert not v.unexpected_errors(), v.unexpected_errors()
    finally:
        close(v)


def test_the_root_page_names_the_icon_so_no_browser_asks_for_favicon_ico(browser, base_url):
    """index.html (the redirect to the first page) declares the site's icon, inline (a request
    for a file would be cancelled by the redirect): Chromium then never requests /favicon.ico,
    which the site does not have (a 404 that used to come and go)."""
    import base64

    if not (SITE / "index.html").exists():
        pytest.skip("no built site")
    html = (SITE / "index.html").read_text(encoding="utf8")
    icon = re.search(r'<link rel="icon" href="data:image/svg\+xml;base64,([^"]+)"', html)
    assert icon, f"index.html does not declare the site's icon inline: {html[:400]}"
    assert base64.b64decode(icon.group(1)) == (SITE / "_static" / "favicon.svg").read_bytes()
    for _ in range(3):  # the 404 was a timing race: give it a few chances to appear
        v = open_page(browser, base_url + "index.html")
        try:
            assert not [u for u in v.requests if u.endswith("/favicon.ico")], v.requests
            assert not v.bad_responses and not v.failed and not v.unexpected_errors(), (
                v.bad_responses, v.failed, v.errors)
            assert v.page.url.endswith(".html") and v.page.url != base_url + "index.html"
        finally:
            close(v)


def test_previous_next_navigation_walks_the_book(browser, base_url):
    v = open_page(browser, base_url + "index.html")
    try:
        seen = [v.page.url]
        for _ in range(len(CHAPTERS) + 2):
            nxt = v.page.locator("a.right-next")
            if nxt.count() == 0:
                break
            nxt.first.click()
            v.page.wait_for_load_state("networkidle")
            assert v.page.url not in seen, "next led back to a page already seen"
            seen.append(v.page.url)
            assert v.page.locator("a.left-prev").count() == 1
        assert len(seen) >= min(3, len(CHAPTERS)), seen
        assert not v.bad_responses, v.bad_responses
    finally:
        close(v)


@pytest.mark.parametrize("page", [p for p in CHAPTERS if '"kernelspec"' in _page_html(p) or
                                  "download-notebook-button" in _page_html(p)] or CHAPTERS[:1])
def test_chapter_offers_an_ipynb_download(browser, base_url, page):
    v = open_page(browser, base_url + page)
    try:
        link = v.page.locator('a[href$=".ipynb"]')
        assert link.count() >= 1, f"{page} has no .ipynb download"
        href = link.first.get_attribute("href")
        resp = v.page.request.get(v.page.url.rsplit("/", 1)[0] + "/" + href)
        assert resp.status == 200
        nb = json.loads(resp.body())
        assert nb["nbformat"] == 4 and nb["metadata"]["kernelspec"]["name"] == "python3"
        assert any("ib-setup" in c["metadata"].get("tags", []) for c in nb["cells"])
    finally:
        close(v)


def test_figures_are_numbered_and_referenced():
    pages = [p for p in CHAPTERS if 'class="caption-number"' in _page_html(p)]
    if not pages:
        pytest.skip("no numbered figure in this build")
    for p in pages:
        html = _page_html(p)
        numbers = re.findall(r'<span class="caption-number">Fig\. ([\d.]+) </span>', html)
        assert numbers, f"{p}: captions without a figure number"
        refs = re.findall(r'<span class="std std-numref">Fig\. ([\d.]+)</span>', html)
        for r in refs:
            assert r in numbers or any(r in _page_html(q) for q in pages)
