"""The lecture slides (reveal.js decks cut from the chapters) in headless Chromium.

The decks of `python3 run.py slides` in `<site>/slides/` are tested when they are newer than every
chapter page; otherwise (e.g. `python3 run.py test`, which builds the site but not the decks) they
are generated into a copy of the site first, from the same chapter pages, with the reveal.js of
node_modules. Each deck is opened once: every slide is stepped through with reveal.js's own API
and must show something, fit its 1280×720 frame and leave no math untypeset; the deck must make
no request to another host and no JavaScript error; its default selection must hold what the
chapter holds (definitions/theorems, figures, claim checks, the first demo); the demo's slider
must change its frame on the slide without moving the deck.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, SITE, _missing
from .helpers import DESKTOP, close, open_page, serve

pytestmark = pytest.mark.browser

CHAPTER = re.compile(r"^book/part\d+/[^/]+\.html$")


def _chapters() -> list[str]:
    if not (SITE / "index.html").exists():
        return []
    return sorted(p.relative_to(SITE).as_posix() for p in (SITE / "book").rglob("*.html")
                  if CHAPTER.match(p.relative_to(SITE).as_posix()))


CHAPTERS = _chapters()


def _decks_fresh(site: Path) -> bool:
    decks = site / "slides"
    return (decks / "index.html").exists() and all(
        (decks / Path(c).name).exists() and
        (decks / Path(c).name).stat().st_mtime >= (site / c).stat().st_mtime for c in CHAPTERS)


@pytest.fixture(scope="session")
def slides_site(site: Path, tmp_path_factory) -> Path:
    if _decks_fresh(site):
        return site
    node_modules = ROOT / "node_modules"
    if not (node_modules / "reveal.js" / "dist" / "reveal.js").exists():
        _missing("reveal.js is not in node_modules: run `python3 run.py setup` (npm ci)")
    from infobandwidth.tools.slides import build_slides

    copy = tmp_path_factory.mktemp("slides") / "html"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("slides", "_sources", "reports"))
    build_slides(copy, node_modules)
    return copy


@pytest.fixture(scope="session")
def slides_url(slides_site: Path):
    with serve(slides_site, "slides/index.html") as url:
        yield url


def _expected(chapter: str) -> dict[str, int]:
    """What the chapter page holds that its deck must show, counted on the page itself: every
    definition/theorem, figure and claim check, and one demo, unless marked ``no-slide``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((SITE / chapter).read_text(encoding="utf8"), "html.parser")

    def on(el) -> bool:
        return not any({"no-slide", "tag_no-slide"} & set(p.get("class") or [])
                       for p in [el, *el.parents] if p.name)

    theorems = {"definition", "theorem", "lemma", "corollary", "proposition"}
    return {
        "definition": sum(on(d) for d in soup.select("div.proof.admonition")
                          if theorems & set(d["class"])),
        "figure": sum(on(f) for f in soup.find_all("figure")),
        "claim": sum(on(c) for c in soup.select("div.claim-check-box")),
        "demo": min(1, sum(on(s) for s in soup.find_all(
            "script", type="application/vnd.jupyter.widget-view+json"))),
    }


STEP_ALL = r"""() => {
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  Reveal.slide(0);
  const total = Reveal.getTotalSlides(), report = [];
  for (let i = 0; i < total; i++) {
    if (i > 0) Reveal.next();
    const s = Reveal.getCurrentSlide(), body = s.querySelector('.ib-body');
    const r = s.getBoundingClientRect();
    report.push({
      index: Reveal.getIndices().h, kind: s.dataset.ibKind,
      visible: r.width > 100 && r.height > 100 && getComputedStyle(s).display !== 'none',
      content: (body.innerText.trim().length > 0) || !!body.querySelector('img, .widget-subarea > *'),
      overflow: body.scrollHeight - body.clientHeight,
      rawMath: [...s.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container')).length,
      rawText: /\$\$|\\\[|\\\(/.test(s.innerText),
    });
  }
  return report;
}"""


def _frame_hash(demo) -> str:
    img = demo.locator("img.ib-demo-frame:visible")
    assert img.count() == 1, "the demo shows exactly one frame"
    return hashlib.sha256(img.screenshot()).hexdigest()


@pytest.mark.parametrize("chapter", CHAPTERS or [pytest.param("none", marks=pytest.mark.skip(
    reason="no built site"))])
def test_every_slide_of_the_deck_renders_offline(browser, slides_url, chapter):
    v = open_page(browser, slides_url + "slides/" + Path(chapter).name, viewport=DESKTOP)
    try:
        page = v.page
        page.wait_for_function("document.documentElement.dataset.ibSlides === 'ready'", timeout=30000)
        assert not v.external(), f"{chapter}: the deck asked another host for {v.external()}"
        assert not v.bad_responses and not v.failed, (v.bad_responses, v.failed)
        assert not v.unexpected_errors(), v.unexpected_errors()

        report = page.evaluate(STEP_ALL)
        assert [r["index"] for r in report] == list(range(len(report))), "Reveal.next skipped a slide"
        for r in report:
            where = f"{chapter}: slide {r['index'] + 1} ({r['kind']})"
            assert r["visible"] and r["content"], f"{where} shows nothing"
            assert r["overflow"] <= 2, f"{where} overflows its frame by {r['overflow']}px"
            assert r["rawMath"] == 0 and not r["rawText"], f"{where} has math left as raw LaTeX"
        if page.locator(".slides .math").count():
            assert page.locator(".slides mjx-container").count() > 0, "MathJax typeset nothing"

        kinds = [r["kind"] for r in report]
        assert kinds[0] == "title" and "objectives" in kinds and "takeaways" in kinds, kinds
        # the default selection: everything of these kinds the chapter has (splitting may add slides)
        shown = page.evaluate("""() => ({
            definition: document.querySelectorAll('.slides > section:not(.ib-cont) :is(.proof.definition, .proof.theorem, .proof.lemma, .proof.corollary, .proof.proposition)').length,
            figure: document.querySelectorAll('.slides figure').length,
            claim: document.querySelectorAll('.slides > section:not(.ib-cont) .claim-check-box').length,
            demo: document.querySelectorAll('.slides > section[data-ib-kind=demo]').length})""")
        assert shown == _expected(chapter), f"{chapter}: deck {shown}, chapter {_expected(chapter)}"
        assert not v.unexpected_errors(), v.unexpected_errors()

        if shown["demo"]:  # the demo moves on its slide, and the arrow key does not turn the slide
            index = page.evaluate("""() => { const s = document.querySelector('.slides > section[data-ib-kind=demo]');
                Reveal.slide(Reveal.getIndices(s).h); return Reveal.getIndices().h; }""")
            demo = page.locator(".slides > section.present .ib-demo-static").first
            handle = demo.locator(".ib-demo-slider .noUi-handle").first
            before = _frame_hash(demo)
            handle.focus()
            handle.press("ArrowRight")
            page.wait_for_timeout(300)
            assert _frame_hash(demo) != before, f"{chapter}: the demo's frame did not change on its slide"
            assert page.evaluate("Reveal.getIndices().h") == index, "the slider's arrow key turned the slide"
            assert not v.unexpected_errors(), v.unexpected_errors()
    finally:
        close(v)


def test_the_index_links_every_deck(browser, slides_url, slides_site):
    if not CHAPTERS:
        pytest.skip("no built site")
    v = open_page(browser, slides_url + "slides/index.html")
    try:
        hrefs = v.page.eval_on_selector_all("li > a:first-child", "els => els.map(e => e.getAttribute('href'))")
        assert sorted(hrefs) == sorted(Path(c).name for c in CHAPTERS)
        for h in hrefs:
            assert v.page.request.get(slides_url + "slides/" + h).status == 200
        assert not v.external() and not v.bad_responses and not v.unexpected_errors()
    finally:
        close(v)
