"""Lecture slides from the built site: one reveal.js deck per chapter (``python3 run.py slides``).

A deck is cut out of the chapter's own page in the built site (``_build/html``), so nothing is
written twice: the slides show the executed figures, the glued numbers and the typeset math of the
page, and its kernel-free demo runs on the slides with the same widget state and scripts as on the
page. reveal.js (npm, ``package.json``) is copied from ``node_modules`` into the site's
``_static/vendor/reveal.js/`` and MathJax, require.js and the widget manager are the site's own:
a deck makes no request to another host.

What goes on slides
-------------------
Without any work from the author, in the page's order:

* a title slide, the *Learning objectives* and the *Key takeaways* admonitions;
* every ``{prf:definition}``, ``{prf:theorem}`` (and lemma, corollary, proposition);
* every figure (a cell's ``mystnb: figure`` output or a ``{figure}``) and every claim-check box;
* the first demo (``show(demo)``), followed by its *What to look for* prompts.

Authors add or remove material with one class or one cell tag (no build warning):

* ``:class: slide`` on a directive (``{admonition}``, ``{prf:proof}``, ``{figure}``, ``{note}``…)
  puts it on a slide; wrap plain prose in ``:::{container} slide`` … ``:::`` to show a paragraph;
* ``:class: no-slide`` on a directive keeps it off the slides;
* the cell tags ``slide`` / ``no-slide`` (MyST-NB renders them as ``tag_slide`` / ``tag_no-slide``)
  put a code cell (its code and output) on a slide, or keep its figure, claim box or demo off.

Long material is split over several slides in the browser, at block boundaries (list items, table
rows, paragraphs, display equations), once MathJax has typeset it; what cannot be split (a figure,
a demo) is scaled to fit. The decks are listed on ``slides/index.html``.
"""
from __future__ import annotations

import argparse
import html as htmllib
import json
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SLIDE", "NO_SLIDE", "Slide", "book_pages", "select_slides", "render_deck", "build_slides"]

#: The class (on a directive, ``:class: slide``) and cell tag (``slide`` -> ``tag_slide``) that
#: put material on the slides, and those that keep it off.
SLIDE, NO_SLIDE = "slide", "no-slide"
_ON = {SLIDE, f"tag_{SLIDE}"}
_OFF = {NO_SLIDE, f"tag_{NO_SLIDE}"}
#: sphinx-proof kinds shown by default (not proofs, remarks or examples).
THEOREM_KINDS = {"definition", "theorem", "lemma", "corollary", "proposition"}
#: Chapter pages: the book's parts (not the teaching and reference pages).
CHAPTER = re.compile(r"^book/part\d+/[^/]+\.html$")
#: reveal.js files a deck needs, from node_modules/reveal.js (the themes embed their fonts). The
#: book build copies them into _static/vendor/reveal.js/ (``sphinx_site.VENDOR``); so does
#: :func:`build_slides`, for a site built before reveal.js was added.
REVEAL_FILES = ["dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "LICENSE"]
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@dataclass
class Slide:
    """One slide before splitting: its kind, the section it comes from, and its HTML."""

    kind: str      # title, objectives, definition, figure, claim, demo, prompts, takeaways, marked
    section: str   # heading (HTML) of the page section it comes from ("" on the title slide)
    html: str


def _soup(text: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser")


def _classes(el) -> set[str]:
    return set(el.get("class") or [])


def _text(el) -> str:
    """The visible text of a heading or title, without Sphinx's ``#`` permalink."""
    el = _soup(str(el))
    for a in el.select("a.headerlink"):
        a.decompose()
    return " ".join(el.get_text(" ").split())


def book_pages(site: Path) -> list[str]:
    """The chapter pages of ``site`` in reading order (``book/partN/*.html``).

    The order is the site's own: the root page's "next" links are followed from the first page.
    Pages the chain misses (none in a complete build) follow, sorted.
    """
    site = Path(site)
    if not (site / "index.html").exists():
        raise ValueError(f"{site} is not a built site (no index.html): run `python3 run.py build` first")
    found = sorted(p.relative_to(site).as_posix() for p in (site / "book").rglob("*.html")
                   if CHAPTER.match(p.relative_to(site).as_posix()))
    index = (site / "index.html").read_text(encoding="utf8", errors="replace")
    start = re.search(r'url=([^"\'>]+\.html)', index) or re.search(r'href="([^"]+\.html)"', index)
    order: list[str] = []
    page = start.group(1) if start else None
    while page and page not in order and (site / page).exists():
        order.append(page)
        nxt = re.search(r'<link rel="next"[^>]*href="([^"]+)"',
                        (site / page).read_text(encoding="utf8", errors="replace"))
        page = posixpath.normpath(posixpath.join(posixpath.dirname(page), nxt.group(1))) if nxt else None
    chapters = [p for p in order if CHAPTER.match(p)]
    return chapters + [p for p in found if p not in chapters]


def _section_of(el) -> str:
    """The heading of the page section holding ``el``, as HTML (its math stays typesettable)."""
    for parent in el.parents:
        if parent.name == "section":
            h = parent.find(["h2", "h3"], recursive=False)
            if h is not None:
                h = _soup(str(h)).find(h.name)
                for a in h.select("a.headerlink"):
                    a.decompose()
                return h.decode_contents().strip()
    return ""


def _admonition_title(el) -> str:
    t = el.find("p", class_="admonition-title", recursive=False)
    return _text(t).lower() if t is not None else ""


def _kind(el, demo_taken: bool) -> str | None:
    """The kind of slide ``el`` makes by default or by mark, or None."""
    cls = _classes(el)
    if cls & _ON:
        return "marked"
    if el.name == "figure":
        return "figure"
    if el.name != "div":
        return None
    if "claim-check-box" in cls:
        return "claim"
    if "proof" in cls and cls & THEOREM_KINDS:
        return "definition"
    if "admonition" in cls:
        title = _admonition_title(el)
        if title.startswith("learning objectives"):
            return "objectives"
        if title.startswith("key takeaways"):
            return "takeaways"
    if "cell_output" in cls and not demo_taken and el.find("script", type=WIDGET_VIEW):
        return "demo"
    return None


def select_slides(page_html: str) -> tuple[str, list[Slide]]:
    """The title of a chapter page and its slides, in page order (see the module docstring).

    Examples
    --------
    >>> page = ('<article class="bd-article"><section><h1>2.3 Entropy</h1>'
    ...         '<div class="proof definition admonition"><p>H is...</p></div>'
    ...         '<div class="proof theorem admonition no-slide"><p>Hidden</p></div>'
    ...         '<div class="cell tag_slide"><pre>x = 1</pre></div></section></article>')
    >>> title, slides = select_slides(page)
    >>> title, [s.kind for s in slides]
    ('2.3 Entropy', ['title', 'definition', 'marked'])
    """
    soup = _soup(page_html)
    article = soup.find("article") or soup.body or soup
    h1 = article.find("h1")
    title = _text(h1) if h1 is not None else ""
    slides = [Slide("title", "", "")]
    taken: list = []
    demo_taken = False

    for el in article.find_all(True):
        if any(el is t for t in taken) or any(p is t for t in taken for p in el.parents):
            continue
        if _classes(el) & _OFF or any(_classes(p) & _OFF for p in el.parents if p.name):
            continue
        kind = _kind(el, demo_taken)
        if kind is None:
            continue
        taken.append(el)
        slides.append(Slide(kind, _section_of(el), str(el)))
        if kind == "demo":
            demo_taken = True
            # the prompts that follow the demo's cell ("What to look for") come next
            cell = el.find_parent("div", class_="cell")
            nxt = cell.find_next_sibling() if cell is not None else None
            if nxt is not None and nxt.name == "div" and "admonition" in _classes(nxt) and \
                    _admonition_title(nxt).startswith("what to look for") and not _classes(nxt) & _OFF:
                taken.append(nxt)
                slides.append(Slide("prompts", _section_of(nxt), str(nxt)))
    return title, slides


def _relink(fragment: str, page: str, deck: str) -> str:
    """Rewrite the relative links and image sources of ``fragment`` (from ``page``) for ``deck``."""
    soup = _soup(fragment)
    base, here = posixpath.dirname(page), posixpath.dirname(deck)
    for tag, attr in (("a", "href"), ("img", "src"), ("source", "src")):
        for el in soup.find_all(tag):
            url = el.get(attr)
            if not url or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
                continue
            path, _, frag = url.partition("#")
            target = posixpath.normpath(posixpath.join(base, path)) if path else page
            new = posixpath.relpath(target, here or ".")
            el[attr] = new + (f"#{frag}" if frag else "")
            if tag == "a":
                el["target"] = "_blank"
    # nested <section>s would be taken for slides by reveal.js's CSS
    for sec in soup.find_all("section"):
        sec.name = "div"
    for a in soup.select("a.headerlink"):
        a.decompose()
    for d in soup.find_all("details"):  # a marked cell's hidden input is shown on its slide
        d["open"] = ""
    return str(soup)


def _page_bits(page_html: str) -> tuple[str, str, str]:
    """The MathJax configuration, the widget state script and the book's title of a page."""
    mj = re.search(r"<script>(window\.MathJax\s*=.*?)</script>", page_html, re.S)
    state = re.search(rf'<script type="{re.escape(WIDGET_STATE)}">.*?</script>', page_html, re.S)
    book = re.search(r"<title>(.*?)</title>", page_html, re.S)
    book_title = htmllib.unescape(book.group(1)).split(" — ")[-1].strip() if book else ""
    return (mj.group(1) if mj else "window.MathJax = {}",
            state.group(0) if state else "", book_title)


DECK = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — slides</title>
<link rel="icon" href="{static}favicon.svg">
<link rel="stylesheet" href="{static}vendor/reveal.js/reveal.css">
<link rel="stylesheet" href="{static}vendor/reveal.js/theme/white.css">
<link rel="stylesheet" href="{static}pygments.css">
<link rel="stylesheet" href="{static}ib-site.css">
<link rel="stylesheet" href="ib-slides.css">
<script>{mathjax_config}</script>
<script defer src="{static}vendor/mathjax/tex-mml-chtml.js"></script>
</head>
<body>
<div class="reveal"><div class="slides tex2jax_ignore mathjax_ignore">
{sections}
</div></div>
<!-- reveal.js before require.js: its UMD wrapper would otherwise register it as an AMD module -->
<script src="{static}vendor/reveal.js/reveal.js"></script>
{widgets}
<script src="ib-slides.js"></script>
</body>
</html>
"""

WIDGET_SCRIPTS = """{state}
<script src="{static}vendor/requirejs/require.js"></script>
<script src="{static}ib-widgets.js"></script>
<script src="{static}vendor/html-manager/embed-amd.js"></script>"""


def _section_html(slide: Slide, chapter_title: str, book_title: str, chapter_link: str) -> str:
    if slide.kind == "title":
        return (f'<section class="ib-slide ib-kind-title" data-ib-kind="title"><div class="ib-frame">'
                f'<div class="ib-body"><p class="ib-book">{htmllib.escape(book_title)}</p>'
                f"<h1>{htmllib.escape(chapter_title)}</h1>"
                f'<p class="ib-source">Slides of the chapter: <a href="{chapter_link}" target="_blank">'
                f"read it in the book</a>. Keys: → next, ← back, Esc overview.</p></div></div></section>")
    section = slide.section if slide.kind not in ("objectives", "takeaways") else ""
    kicker = htmllib.escape(chapter_title) + (f" · {section}" if section else "")
    return (f'<section class="ib-slide ib-kind-{slide.kind}" data-ib-kind="{slide.kind}">'
            f'<div class="ib-frame"><header class="ib-kicker">{kicker}</header>'
            f'<div class="ib-body">{slide.html}</div></div></section>')


def render_deck(site: Path, page: str, deck: str) -> tuple[str, str, str, int]:
    """The deck of chapter ``page`` (relative to ``site``), to be written at ``deck``.

    Returns the deck's HTML, the chapter's title, the book's title and the number of slides
    before splitting.
    """
    page_html = (Path(site) / page).read_text(encoding="utf8")
    title, slides = select_slides(page_html)
    mathjax_config, state, book_title = _page_bits(page_html)
    here = posixpath.dirname(deck)
    static = posixpath.relpath("_static", here or ".") + "/"
    link = posixpath.relpath(page, here or ".")
    sections = []
    for s in slides:
        s = Slide(s.kind, s.section, _relink(s.html, page, deck) if s.html else "")
        sections.append(_section_html(s, title, book_title, link))
    has_demo = any(s.kind == "demo" or WIDGET_VIEW in s.html for s in slides)
    widgets = WIDGET_SCRIPTS.format(state=state, static=static) if has_demo and state else ""
    text = DECK.format(title=htmllib.escape(title), static=static, mathjax_config=mathjax_config,
                       sections="\n".join(sections), widgets=widgets)
    return text, title, book_title, len(slides)


INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lecture slides — {book}</title>
<link rel="icon" href="../_static/favicon.svg">
<link rel="stylesheet" href="ib-slides.css">
</head>
<body class="ib-deck-index">
<h1>Lecture slides</h1>
<p>One deck per chapter of <a href="{root}">{book}</a>, cut from the chapter itself: its definitions
and theorems, figures, claim checks, first demo (live, no kernel needed) and key takeaways. Open a
deck and press → to advance, Esc for the overview, F for full screen.</p>
<ul>
{items}
</ul>
</body>
</html>
"""


def _copy_reveal(node_modules: Path, static: Path) -> None:
    root = node_modules / "reveal.js"
    if not (root / "dist" / "reveal.js").exists():
        raise ValueError(f"reveal.js is not installed ({root / 'dist' / 'reveal.js'} is missing): "
                         "run `python3 run.py setup` (npm ci installs it from package.json)")
    for item in REVEAL_FILES:
        src = root / item
        rel = Path(item).relative_to("dist") if item.startswith("dist/") else Path(item)
        dst = static / "vendor" / "reveal.js" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


def build_slides(site: Path, node_modules: Path, out: Path | None = None,
                 pages: list[str] | None = None) -> list[Path]:
    """Write one deck per chapter of the built ``site`` into ``out`` (default ``site/slides``).

    ``out`` must be a folder directly inside ``site`` (the decks use the site's ``_static``).
    ``pages`` (paths relative to ``site``) limits the decks; default every chapter. Returns the
    paths written, the index page last.
    """
    site = Path(site).resolve()
    out = (site / "slides") if out is None else Path(out).resolve()
    if out.parent != site:
        raise ValueError(f"the slides folder must be directly inside the site ({site}), not {out}")
    chapters = book_pages(site)
    if pages:
        unknown = [p for p in pages if p not in chapters]
        if unknown:
            raise ValueError(f"not chapter pages of {site}: {unknown}; choose among {chapters}")
        chapters = [p for p in chapters if p in pages]
    stems = [posixpath.splitext(posixpath.basename(p))[0] for p in chapters]
    if len(set(stems)) != len(stems):
        raise ValueError(f"two chapters share a file name, their decks would collide: {stems}")
    _copy_reveal(Path(node_modules), site / "_static")
    out.mkdir(exist_ok=True)
    (out / "ib-slides.js").write_text(SLIDES_JS, encoding="utf8")
    (out / "ib-slides.css").write_text(SLIDES_CSS, encoding="utf8")
    written, items = [], []
    book_title = ""
    for page, stem in zip(chapters, stems):
        deck = f"{out.name}/{stem}.html"
        text, title, book_title, n = render_deck(site, page, deck)
        (site / deck).write_text(text, encoding="utf8")
        written.append(site / deck)
        items.append(f'<li><a href="{stem}.html">{htmllib.escape(title)}</a> '
                     f'<span class="ib-count">({n} items · <a href="../{page}">the chapter</a>)'
                     f"</span></li>")
    index = out / "index.html"
    index.write_text(INDEX.format(book=htmllib.escape(book_title), root="../index.html",
                                  items="\n".join(items)), encoding="utf8")
    written.append(index)
    return written


SLIDES_CSS = r"""/* Lecture slides (infobandwidth.tools.slides): reveal.js at 1280×720, the book's content. */
.reveal { font-size: 28px; }
.reveal .slides { text-align: left; }
.reveal .slides section.ib-slide { height: 720px; padding: 0; }
.reveal .ib-frame { box-sizing: border-box; height: 720px; padding: 14px 28px 24px;
  display: flex; flex-direction: column; }
.reveal .ib-kicker { flex: none; font-size: 0.6em; color: #666; border-bottom: 2px solid #7c3aed;
  padding-bottom: 4px; margin-bottom: 12px; }
.reveal .ib-body { flex: 1 1 auto; min-height: 0; overflow: hidden; }
.reveal h1, .reveal h2, .reveal h3 { text-transform: none; }
.reveal .ib-kind-title .ib-body { display: flex; flex-direction: column; justify-content: center; }
.reveal .ib-kind-title h1 { font-size: 1.9em; }
.reveal .ib-book { color: #7c3aed; font-weight: 600; margin: 0; }
.reveal .ib-source { font-size: 0.7em; color: #555; }
.reveal p, .reveal li { line-height: 1.3; }
.reveal p { margin: 0.45em 0; }
.reveal ul, .reveal ol { display: block; margin-left: 1.2em; }
.reveal li + li { margin-top: 0.25em; }
/* admonitions and sphinx-proof boxes, as on the page */
.reveal .admonition { border-left: 6px solid #7c3aed; background: rgba(124, 58, 237, 0.05);
  padding: 0.2em 0.8em 0.4em; margin: 0.3em 0; }
.reveal .admonition.tip { border-left-color: #0f9d58; background: rgba(15, 157, 88, 0.05); }
.reveal .admonition.important { border-left-color: #d97706; background: rgba(217, 119, 6, 0.06); }
.reveal .admonition.note { border-left-color: #2563eb; background: rgba(37, 99, 235, 0.05); }
.reveal .admonition-title { font-weight: 700; margin: 0.3em 0; font-size: 1.05em; }
.reveal .admonition-title.ib-continued::after { content: " (continued)"; font-weight: 400; color: #777; }
.reveal .caption-number { font-weight: 700; }
.reveal div.math { margin: 0.3em 0; }
.reveal mjx-container[display="true"] { margin: 0.3em 0 !important; }
/* figures: the image shrinks to leave room for its caption */
.reveal .ib-kind-figure .ib-body, .reveal .ib-kind-figure .ib-body > figure { display: flex;
  flex-direction: column; min-height: 0; height: 100%; margin: 0; }
.reveal .ib-kind-figure figure img { flex: 1 1 auto; min-height: 0; max-width: 100%; max-height: none;
  object-fit: contain; margin: 0; }
.reveal figure img { max-height: 470px; margin: 0.2em auto; display: block; align-self: center; }
.reveal figcaption { flex: none; font-size: 0.62em; line-height: 1.3; color: #333; }
.reveal figcaption p { margin: 0.2em 0; }
/* claim checks */
.reveal .claim-check-box { font-size: 0.8em; }
.reveal .claim-check-box table, .reveal table { font-size: 0.8em; margin: 0.3em 0; }
.reveal table td, .reveal table th { padding: 0.1em 0.5em; }
/* code cells marked for the slides */
.reveal pre { width: 100%; font-size: 0.6em; box-shadow: none; margin: 0.3em 0; }
.reveal .cell_output pre { background: #f6f6f6; }
.reveal details.hide > summary { display: none; }
/* demos */
.reveal .ib-kind-demo .ib-body { font-size: 16px; }
.reveal .ib-demo img.ib-demo-frame { margin: 0; max-height: none; }
.reveal .jupyter-widgets { font-size: 16px; }
/* measuring before reveal.js lays the deck out (ib-slides.js) */
html.ib-measure .reveal { overflow: visible; height: auto; }
html.ib-measure .reveal .slides { position: relative; width: 1280px; height: auto; inset: auto;
  transform: none; }
html.ib-measure .reveal .slides > section { display: block; position: relative; width: 1280px;
  visibility: hidden; }
/* the index of the decks */
body.ib-deck-index { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.5; }
body.ib-deck-index li { margin: 0.3rem 0; }
body.ib-deck-index .ib-count { color: #666; font-size: 0.9em; }
"""

SLIDES_JS = r"""/* Lecture slides (infobandwidth.tools.slides): fit the chapter's material on 1280×720 slides,
 * then start reveal.js. Runs once MathJax has typeset and the widgets have rendered, so what is
 * measured is what is shown. A slide whose content is too tall is split at block boundaries
 * (paragraphs, equations, list items, table rows) into continuation slides; a block that cannot
 * be split (a figure, a demo) is scaled down. `document.documentElement.dataset.ibSlides` becomes
 * "ready" when the deck is live (the browser tests wait for it). */
(function () {
  var W = 1280, H = 720;
  var root = document.documentElement;
  root.classList.add("ib-measure");
  var ATOMS = "p, li, tr, figure, img, pre, div.math, div.highlight, div.cell_output, h1, h2, h3, h4, " +
              "mjx-container, .jupyter-widgets, .widget-subarea, dt, dd";
  var HEADS = ".admonition-title, thead, caption, .ib-head";

  function overflows(sec) {
    var body = sec.querySelector(".ib-body");
    return body.scrollHeight > body.clientHeight + 2;
  }
  function kids(el) {
    return Array.prototype.filter.call(el.children, function (c) {
      return !(c.tagName === "SCRIPT" && c.type.indexOf("widget-state") >= 0);
    });
  }
  function isContainer(el) { return !el.matches(ATOMS) && kids(el).length > 0; }
  function insertFront(dst, node) {
    var first = kids(dst).filter(function (c) { return !c.matches(HEADS); })[0];
    if (first) dst.insertBefore(node, first); else dst.appendChild(node);
  }
  function shellOf(el) {
    var shell = el.cloneNode(false);
    shell.removeAttribute("id");
    kids(el).forEach(function (c) {
      if (c.matches(HEADS)) {
        var head = c.cloneNode(true);
        head.classList.add("ib-head");
        if (c.classList.contains("admonition-title")) head.classList.add("ib-continued");
        shell.appendChild(head);
      }
    });
    return shell;
  }
  // Move blocks from the end of `src` to the front of `dst` until `sec` fits; true if any moved.
  function moveTail(src, dst, sec) {
    var movable = kids(src).filter(function (c) { return !c.matches(HEADS); });
    var moved = false;
    while (overflows(sec) && movable.length > 1) {
      insertFront(dst, movable.pop());
      moved = true;
    }
    // a short lead-in ("Step 2.", "By the chain rule,") goes with the equation or list it introduces
    var lead = movable[movable.length - 1], first = kids(dst).filter(function (c) { return !c.matches(HEADS); })[0];
    if (moved && movable.length > 1 && lead.tagName === "P" && lead.textContent.trim().length < 90 &&
        first && first.matches("div.math, ul, ol, table, figure, div.highlight")) {
      insertFront(dst, movable.pop());
    }
    if (!overflows(sec) || movable.length !== 1) return moved;
    var only = movable[0];
    if (!isContainer(only) || only.tagName === "TABLE" && !only.querySelector("tbody")) return moved;
    var from = only, shell = shellOf(only), into = shell;
    if (only.tagName === "TABLE") {  // split the rows, keep the header on both slides
      from = only.querySelector("tbody");
      into = from.cloneNode(false);
      shell.appendChild(into);
    }
    insertFront(dst, shell);
    if (moveTail(from, into, sec)) return true;
    shell.remove();
    return moved;
  }
  function fit(sec) {
    if (!overflows(sec)) return null;
    var cont = sec.cloneNode(false);
    cont.classList.add("ib-cont");
    var frame = sec.querySelector(".ib-frame").cloneNode(false);
    frame.appendChild(sec.querySelector(".ib-kicker").cloneNode(true));
    var body = sec.querySelector(".ib-body").cloneNode(false);
    frame.appendChild(body);
    cont.appendChild(frame);
    sec.after(cont);
    if (moveTail(sec.querySelector(".ib-body"), body, sec)) return cont;
    cont.remove();
    shrink(sec);
    return null;
  }
  function shrink(sec) {  // what cannot be split is scaled down to fit
    var body = sec.querySelector(".ib-body");
    for (var i = 0; i < 4 && overflows(sec); i++) {
      var z = parseFloat(body.style.zoom || "1");
      body.style.zoom = Math.max(0.35, z * (body.clientHeight / body.scrollHeight) * 0.98);
    }
    sec.dataset.ibScaled = body.style.zoom || "1";
  }
  function grow(sec) {  // a demo is drawn for a page column: enlarge it to fill the slide
    var body = sec.querySelector(".ib-body"), demo = body.firstElementChild;
    if (!demo || overflows(sec)) return;
    var left = body.getBoundingClientRect().left, right = 1;  // the widest fixed-size part
    body.querySelectorAll("img, .widget-slider, .widget-dropdown, .widget-play").forEach(function (e) {
      right = Math.max(right, e.getBoundingClientRect().right - left);
    });
    var z = Math.min(1.6, body.clientHeight / Math.max(1, demo.offsetHeight), body.clientWidth / right);
    for (z = 0.97 * z; z > 1.05; z *= 0.95) {  // zoomed text wraps differently: step down until it fits
      body.style.zoom = z.toFixed(3);
      if (!overflows(sec)) return;
    }
    body.style.zoom = "";
  }
  function fitAll() {
    var secs = Array.prototype.slice.call(document.querySelectorAll(".reveal .slides > section"));
    for (var i = 0; i < secs.length; i++) {
      if (secs[i].dataset.ibKind === "demo") grow(secs[i]);
      var next = fit(secs[i]);
      if (next) secs.splice(i + 1, 0, next);
    }
  }
  function widgetsShown() {
    var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
    return document.querySelectorAll(".widget-subarea > *").length >= views;
  }
  function whenReady() {
    var loaded = new Promise(function (resolve) {
      if (document.readyState === "complete") resolve(); else window.addEventListener("load", resolve);
    });
    return loaded.then(function () {
      var mj = window.MathJax;
      return mj && mj.startup && mj.startup.promise ? mj.startup.promise : null;
    }).then(function () {
      return new Promise(function (resolve) {
        var t0 = Date.now();
        (function poll() {
          if (widgetsShown() || Date.now() - t0 > 10000) resolve(); else setTimeout(poll, 50);
        })();
      });
    }).then(function () {
      var imgs = Array.prototype.filter.call(document.images, function (i) { return !i.complete; });
      return Promise.all(imgs.map(function (i) {
        return new Promise(function (r) { i.addEventListener("load", r); i.addEventListener("error", r); });
      }));
    });
  }
  var t0 = performance.now();
  whenReady().then(function () {
    root.dataset.ibWaited = Math.round(performance.now() - t0);
    fitAll();
    root.dataset.ibFitted = Math.round(performance.now() - t0);
    root.classList.remove("ib-measure");
    return Reveal.initialize({
      width: W, height: H, margin: 0.03, center: false, hash: true, slideNumber: "c/t",
      transition: "slide", transitionSpeed: "fast", controlsTutorial: false,
      // the demo's sliders take the arrow keys while they have the focus
      keyboardCondition: function (event) {
        var t = event.target;
        return !(t && t.closest && t.closest(".jupyter-widgets, .widget-subarea, input, select, textarea"));
      }
    });
  }).then(function () {
    root.dataset.ibSlides = "ready";
  }).catch(function (err) {
    root.classList.remove("ib-measure");
    console.error("slides could not start", err);
  });
})();
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Lecture slides (reveal.js) from the chapters of a built site.")
    p.add_argument("--site", required=True, type=Path, help="the built site (_build/html)")
    p.add_argument("--node-modules", required=True, type=Path, help="node_modules with reveal.js")
    p.add_argument("--out", type=Path, help="folder directly inside the site (default SITE/slides)")
    p.add_argument("pages", nargs="*", help="chapter pages relative to the site (default: every chapter)")
    args = p.parse_args(argv)
    try:
        pages = [re.sub(r"\.(md|ipynb)$", ".html", p) for p in args.pages]  # a chapter's source names it too
        written = build_slides(args.site, args.node_modules, args.out, pages or None)
    except ValueError as exc:
        print(f"slides: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"decks": len(written) - 1, "index": str(written[-1])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
