"""The print edition: one PDF per page of the book and one for the whole book, printed from the site.

    python3 run.py pdf                           # build (incremental), then every page + the book
    python3 run.py pdf --solutions appendix      # solutions after each chapter / in the book's appendix
    python3 run.py pdf book/part2/bayesian.md    # only these chapters (no whole-book PDF)
    python -m infobandwidth.tools.pdf --root . --site _build/html --out _build/pdf [--site-url URL]

No TeX: headless Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright, exactly as the
browser tests drive it; never ``playwright install``) opens each page of the built site
(``_build/html``, served on 127.0.0.1), waits until MathJax has typeset it and every ipywidgets demo
has been drawn, prepares it for paper and prints it (``page.pdf``). What is printed is what the site
shows: the same figures with their numbered captions, the same glued numbers, the same math. Preparing
a page for paper means

* the print style sheet :data:`PRINT_CSS` (injected at print time, so no rebuild is needed): no
  sidebars, navbar, buttons or "#" anchors; no figure, displayed equation, table or demo split by a
  page break (``break-inside: avoid``); headings kept with what follows; long code lines wrapped;
* each demo shown at its initial frame (its state at build time, as on the site before anyone moves
  a control), followed by a line saying where the live version is: the page's address on the site,
  ``--site-url`` + ``book/part2/bayesian.html#section`` (without ``--site-url``, the page's path on
  the site, which ``python3 run.py serve`` serves locally);
* links to other pages of the site pointed at ``--site-url`` (or made plain text without it: a
  link to the print server would lead nowhere);
* the solutions of the exercises (sphinx-exercise's ``div.solution``) taken out of the text. With
  ``--solutions omit`` (the default: handouts) they are dropped; with ``--solutions appendix`` they
  are printed separately, after the chapter in its own PDF and together at the end of the book.

Page numbers are printed by Chromium's footer template. A page's PDF is printed once, without
footer; its footer (the page title and "n / total") and the book's (the book title and the page
number, counting from the cover) are each printed as a blank document of as many pages with
``display_header_footer`` and stamped onto the pages with pypdf, so the book's numbers run on
across chapters. The book opens with a generated cover and a table of contents whose page numbers
are computed from the printed pages' counts (and reprinted until the contents' own length is
stable), and has PDF bookmarks for every part and page.

Pages come in ``_toc.yml``'s order (the root page first); output goes to ``_build/pdf/``:
``<n>-<name>.pdf`` per page (named like the editions) and ``book.pdf`` (the raw prints they are
assembled from stay in ``_build/pdf/.pages/``). The whole book (23 pages of the site, ~270 PDF
pages, ~13 MB with the solutions) took 15 min on a loaded 2-core machine, ~10–50 s a page.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import html
import io
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["SOLUTIONS", "PRINT_CSS", "PrintPage", "Printed", "toc_pages", "pdf_name", "serve",
           "chromium", "print_pages", "chapter_pdf", "contents_html", "book_pdf", "make_pdfs", "main",
           "CHROMIUM", "CHROMIUM_FLAGS"]

#: Where the solutions go: nowhere (handouts) or after the text (a chapter's PDF, the book's appendix).
SOLUTIONS = ("omit", "appendix")
#: The browser: Debian's Chromium (``apt-get install chromium``), as in the browser tests.
CHROMIUM = os.environ.get("IB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Page margins; the footer is printed in the bottom one.
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
PAPERS = ("A4", "Letter")
#: How long one page may take to load, typeset and draw its demos (ms). The machine may be loaded.
LOAD_TIMEOUT_MS = 120_000

PRINT_CSS = """
@media print {
  /* the site's furniture */
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
  .bd-footer-article, .bd-footer-content, .prev-next-area, .prev-next-footer, #jb-print-docs-body,
  .headerlink, .copybtn, .toggle-button, button, .search-button, #pst-back-to-top, .skip-link,
  .bd-search, #searchbox, .header-article-items, .sidebar-toggle { display: none !important; }
  html { font-size: 10pt; }
  .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; margin-top: 0; }
  body, .bd-page-width, .bd-main, .bd-main .bd-content, .bd-article-container, .bd-article {
    max-width: 100% !important; width: 100% !important; margin: 0 !important;
    padding: 0 !important; }
  .bd-container, .bd-container__inner { display: block !important; max-width: 100% !important; }
  a { color: #1a4d8f; text-decoration: none; }
  a:not([href]) { color: inherit !important; }
  /* code cells hidden on the site stay hidden; their "show code" line goes too */
  details.hide > summary { display: none !important; }
  pre { white-space: pre-wrap !important; word-break: break-word; overflow: visible !important; }
  div.math mjx-container[display="true"] { overflow: visible !important; }
  /* page breaks: never inside a figure, a displayed equation, a table or a demo */
  figure, div.math, mjx-container[display="true"], table, .table-wrapper, .cell_output,
  .widget-subarea, .ib-demo, .ib-print-live, .cell_input { break-inside: avoid; }
  figure img, .cell_output img { max-height: 19cm; width: auto; max-width: 100%; }
  h1, h2, h3, h4, h5, .admonition-title, p.caption, .rubric { break-after: avoid; }
  figcaption { break-before: avoid; }
  figcaption, figcaption p, p.caption { color: #222 !important; }
  .ib-print-live { break-before: avoid; margin: 0.2rem 0 1rem; font-size: 0.9em; font-style: italic;
                   color: #444; }
  .ib-print-live code { font-style: normal; font-size: 0.95em; }
  /* a page prints either its text (solutions taken out) or, alone, its solutions */
  body:not(.ib-print-solutions-only) #ib-print-solutions { display: none !important; }
  body.ib-print-solutions-only article.bd-article > :not(#ib-print-solutions) {
    display: none !important; }
  #ib-print-solutions div.solution { break-inside: auto; }
  #ib-print-solutions div.solution > * { display: block !important; }
}
"""

# Runs in the page (after MathJax and the widgets are done): prepares it for paper, returns what it
# found. Leaves the solutions in #ib-print-solutions (hidden unless body.ib-print-solutions-only).
_PREPARE_JS = r"""
(opts) => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main')
                  || document.body;
  article.querySelectorAll('a.headerlink, .copybtn, button.toggle-button').forEach(e => e.remove());
  const h1 = article.querySelector('h1');
  const title = (h1 ? h1.textContent : document.title).replace(/\s+/g, ' ').trim();
  // links into the site: to the published site, or plain text (never to the print server)
  const here = location.origin + location.pathname;
  for (const a of document.querySelectorAll('a[href]')) {
    let u;
    try { u = new URL(a.getAttribute('href'), location.href); } catch (e) { continue; }
    if (u.origin !== location.origin) continue;
    if (u.origin + u.pathname === here && u.hash) continue;
    const path = u.pathname.replace(/^\//, '') + u.hash;
    if (opts.siteUrl) a.setAttribute('href', opts.siteUrl + path); else a.removeAttribute('href');
  }
  // demos: printed at their initial frame, with where the live one is
  let demos = 0;
  for (const out of article.querySelectorAll('.cell_output')) {
    if (!out.querySelector('.widget-subarea, script[type="application/vnd.jupyter.widget-view+json"]'))
      continue;
    demos += 1;
    const sec = out.closest('section[id]');
    const where = opts.pagePath + (sec ? '#' + sec.id : '');
    const p = document.createElement('p');
    p.className = 'ib-print-live';
    p.append('Interactive demo, printed at its initial setting. Move its controls in the online book: ');
    if (opts.siteUrl) {
      const a = document.createElement('a');
      a.href = opts.siteUrl + where;
      a.textContent = opts.siteUrl + where;
      p.append(a);
    } else {
      const c = document.createElement('code');
      c.textContent = where;
      p.append('page ', c, ' of the book\u2019s site (python3 run.py serve shows it locally).');
    }
    out.after(p);
  }
  // solutions: out of the text, into their own section
  const sols = [...article.querySelectorAll('div.solution')]
    .filter(s => !s.parentElement.closest('div.solution'));
  const box = document.createElement('section');
  box.id = 'ib-print-solutions';
  const head = document.createElement('h1');
  head.textContent = 'Solutions \u00b7 ' + title;
  box.append(head);
  for (const s of sols) {
    s.classList.remove('toggle-hidden', 'toggle', 'dropdown');
    box.append(s);
  }
  for (const a of box.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (!id || !box.querySelector('[id="' + id.replace(/"/g, '\\"') + '"]')) a.removeAttribute('href');
  }
  if (opts.keepSolutions && sols.length) article.append(box);
  const figures = article.querySelectorAll('figure').length
                  - (box.isConnected ? box.querySelectorAll('figure').length : 0);
  return {title, demos, figures, solutions: sols.length};
}
"""

# True once MathJax has typeset, every embedded widget view is drawn, fonts and images are loaded.
_READY_JS = r"""
() => {
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  const shown = document.querySelectorAll('.widget-subarea > *').length;
  const mj = window.MathJax;
  const math = !document.querySelector('.math') ||
               (mj && mj.startup && mj.startup.document && document.querySelector('mjx-container'));
  const images = [...document.images].every(i => i.complete);
  return shown >= views && math && images && document.fonts.status === 'loaded';
}
"""

_FOOTER = ('<div style="width:100%; margin:0 16mm; padding-top:1.5mm; border-top:0.4pt solid #bbb; '
           'display:flex; justify-content:space-between; font-family:sans-serif; font-size:7.5pt; '
           'color:#555; -webkit-print-color-adjust:exact;"><span>{left}</span><span>{right}</span></div>')


@dataclass(frozen=True)
class PrintPage:
    """One page of ``_toc.yml``: its docname (``book/part2/bayesian``), part caption and depth."""

    docname: str
    part: str | None = None
    level: int = 0

    @property
    def html(self) -> str:
        return f"{self.docname}.html"


@dataclass
class Printed:
    """A printed page: its text's PDF, its solutions' PDF (or None) and what was found on it."""

    page: PrintPage
    title: str
    body: Path
    solutions: Path | None
    figures: int
    demos: int
    n_solutions: int


def toc_pages(root: Path, toc: Path | None = None) -> list[PrintPage]:
    """Every page of ``_toc.yml`` in reading order, the root page first.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "_toc.yml").write_text(
    ...     "root: book/intro\\nparts:\\n  - caption: P1\\n    chapters:\\n"
    ...     "      - file: book/part1/a\\n        sections:\\n          - file: book/part1/b\\n")
    >>> [(p.docname, p.part, p.level) for p in toc_pages(d)]
    [('book/intro', None, 0), ('book/part1/a', 'P1', 0), ('book/part1/b', 'P1', 1)]
    """
    import yaml

    root = Path(root)
    data = yaml.safe_load((toc or root / "_toc.yml").read_text(encoding="utf8"))
    pages = [PrintPage(_docname(data["root"]))] if data.get("root") else []

    def walk(items, part, level):
        for it in items or []:
            if "file" in it:
                pages.append(PrintPage(_docname(it["file"]), part, level))
                walk(it.get("sections"), part, level + 1)
            else:
                walk(it.get("sections"), part, level)

    for part in data.get("parts") or []:
        walk(part.get("chapters"), part.get("caption"), 0)
    walk(data.get("chapters"), None, 0)
    return pages


def _docname(entry: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", str(entry).strip("/"))


def pdf_name(title: str, docname: str) -> str:
    """``<section number>-<file name>.pdf`` (as the editions), or ``<file name>.pdf`` without a number.

    >>> pdf_name("2.3 Information theory foundations", "book/part2/information-theory")
    '2.3-information-theory.pdf'
    >>> pdf_name("Notation", "book/notation")
    'notation.pdf'
    """
    m = re.match(r"(\d+(?:\.\d+)*)\s", title)
    stem = docname.rsplit("/", 1)[-1]
    return f"{m[1]}-{stem}.pdf" if m else f"{stem}.pdf"


@contextlib.contextmanager
def serve(site: Path):
    """Serve ``site`` on a free loopback port from a thread of this process; yield its URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium(executable: str = CHROMIUM):
    """Debian's headless Chromium through Playwright (a fresh temporary profile); yields the browser.

    Raises
    ------
    FileNotFoundError
        If ``executable`` does not exist: install it with ``apt-get install chromium`` (never
        ``playwright install``, which downloads another browser).
    """
    import shutil

    if not Path(executable).exists() and not shutil.which(executable):
        raise FileNotFoundError(f"{executable} not found: the print edition is printed by headless "
                                "Chromium; install it with `apt-get install -y chromium` (never "
                                "`playwright install`), or point IB_CHROMIUM at a Chromium binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _pdf_options(paper: str) -> dict:
    return {"format": paper, "margin": MARGIN, "print_background": True,
            "display_header_footer": False}


def print_page(browser, base_url: str, page: PrintPage, out_dir: Path, *, solutions: bool,
               site_url: str | None = None, paper: str = "A4") -> Printed:
    """Print one page of the site: its text to ``out_dir/<name>.text.pdf`` and, if ``solutions``
    and it has any, its solutions to ``out_dir/<name>.solutions.pdf``."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 1400}, color_scheme="light")
    tab = ctx.new_page()
    try:
        tab.goto(base_url + page.html, wait_until="networkidle", timeout=LOAD_TIMEOUT_MS)
        tab.wait_for_function(_READY_JS, timeout=LOAD_TIMEOUT_MS)
        tab.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise "
                     ": null")
        tab.add_style_tag(content=PRINT_CSS)
        found = tab.evaluate(_PREPARE_JS, {"siteUrl": site_url, "pagePath": page.html,
                                           "keepSolutions": solutions})
        tab.wait_for_timeout(200)
        stem = pdf_name(found["title"], page.docname)[:-4]
        body = out_dir / f"{stem}.text.pdf"
        tab.pdf(path=str(body), **_pdf_options(paper))
        sol = None
        if solutions and found["solutions"]:
            tab.evaluate("() => document.body.classList.add('ib-print-solutions-only')")
            sol = out_dir / f"{stem}.solutions.pdf"
            tab.pdf(path=str(sol), **_pdf_options(paper))
    finally:
        ctx.close()
    return Printed(page, found["title"], body, sol, found["figures"], found["demos"], found["solutions"])


def print_pages(pages: list[PrintPage], site: Path, out_dir: Path, *, solutions: bool,
                site_url: str | None = None, paper: str = "A4", browser=None, log=print) -> list[Printed]:
    """Print every page of ``pages`` from the built ``site`` (see :func:`print_page`)."""
    site, out_dir = Path(site), Path(out_dir)
    _check_site(site, pages)
    out_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if browser is None:
            browser = stack.enter_context(chromium())
        url = stack.enter_context(serve(site))
        done = []
        for i, page in enumerate(pages, 1):
            t0 = time.time()
            done.append(print_page(browser, url, page, out_dir, solutions=solutions,
                                   site_url=site_url, paper=paper))
            log(f"[pdf] {i}/{len(pages)} {done[-1].title}: {time.time() - t0:.1f} s")
    return done


def _overlay(browser, n: int, left: str, right: str, paper: str):
    """``n`` blank pages whose footer (Chromium's footer template) reads ``left`` and ``right``."""
    from pypdf import PdfReader

    ctx = browser.new_context()
    try:
        tab = ctx.new_page()
        tab.set_content("<html><body style='margin:0'>"
                        + "<div style='height:1px; break-after:page'></div>" * (n - 1)
                        + "<div style='height:1px'></div></body></html>")
        data = tab.pdf(format=paper, margin=MARGIN, print_background=False,
                       display_header_footer=True, header_template="<span></span>",
                       footer_template=_FOOTER.format(left=left, right=right))
    finally:
        ctx.close()
    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) != n:
        raise RuntimeError(f"the footer overlay has {len(reader.pages)} pages, expected {n}")
    return reader


def _stamp(writer, overlay, skip: int = 0) -> None:
    for i, page in enumerate(writer.pages):
        if i >= skip:
            page.merge_page(overlay.pages[i])
            page.compress_content_streams()  # merging leaves the page's content uncompressed


_NUMBER = '<span class="pageNumber"></span>'


def chapter_pdf(printed: Printed, dest: Path, *, solutions: str, browser, paper: str = "A4",
                book_title: str = "") -> Path:
    """The PDF of one page: its text, then (``solutions="appendix"``) its solutions; numbered."""
    from pypdf import PdfReader, PdfWriter

    _check_solutions(solutions)
    writer = PdfWriter()
    writer.append(PdfReader(printed.body), import_outline=False)
    writer.add_outline_item(title=printed.title, page_number=0)
    if solutions == "appendix" and printed.solutions:
        start = len(writer.pages)
        writer.append(PdfReader(printed.solutions), import_outline=False)
        writer.add_outline_item(title=f"Solutions · {printed.title}", page_number=start)
    left = html.escape(printed.title + (f" · {book_title}" if book_title else ""))
    _stamp(writer, _overlay(browser, len(writer.pages), left,
                            f'{_NUMBER} / <span class="totalPages"></span>', paper))
    writer.add_metadata({"/Title": printed.title, "/Subject": book_title})
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as f:
        writer.write(f)
    return dest


@dataclass
class _Entry:
    title: str
    page: int  # 1-based page number in the book
    part: str | None
    level: int


def contents_html(book_title: str, entries: list[_Entry], *, author: str = "", site_url: str | None = None,
                  solutions: str = "omit", date: str = "") -> str:
    """The cover (one page) and the table of contents of the book, as one HTML document.

    >>> doc = contents_html("B", [_Entry("2.1 A", 3, "Part 2", 0)])
    >>> "2.1 A" in doc and ">3<" in doc and "Part 2" in doc
    True
    """
    e = html.escape
    rows, part = [], object()
    for entry in entries:
        if entry.part != part:
            part = entry.part
            if part:
                rows.append(f'<div class="part">{e(part)}</div>')
        rows.append(f'<div class="row level{entry.level}"><span class="t">{e(entry.title)}</span>'
                    f'<span class="dots"></span><span class="n">{entry.page}</span></div>')
    where = (f'<p>The live book, with interactive demos: <a href="{e(site_url)}">{e(site_url)}</a></p>'
             if site_url else "<p>The live book, with interactive demos: the book's site "
             "(<code>python3 run.py serve</code> shows it locally).</p>")
    sol = ("Solutions to the exercises are in the appendix." if solutions == "appendix"
           else "Solutions to the exercises are omitted (print with <code>--solutions appendix</code> "
                "to include them).")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(book_title)}</title><style>
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; color: #222; margin: 0; }}
.cover {{ height: 250mm; display: flex; flex-direction: column; justify-content: center;
          break-after: page; }}
.cover h1 {{ font-size: 26pt; font-weight: 600; line-height: 1.2; margin: 0 0 8mm; }}
.cover .sub {{ font-size: 13pt; color: #555; margin-bottom: 30mm; }}
.cover p {{ margin: 1.5mm 0; color: #444; }}
h2 {{ font-size: 18pt; font-weight: 600; margin: 0 0 6mm; }}
.part {{ font-weight: 600; margin: 5mm 0 1.5mm; break-after: avoid; }}
.row {{ display: flex; align-items: baseline; margin: 1.2mm 0; }}
.row.level1 {{ padding-left: 7mm; }} .row.level2 {{ padding-left: 14mm; }}
.dots {{ flex: 1; border-bottom: 0.8pt dotted #999; margin: 0 2mm; }}
.n {{ min-width: 8mm; text-align: right; }}
a {{ color: #1a4d8f; text-decoration: none; }}
</style></head><body>
<div class="cover"><h1>{e(book_title)}</h1><div class="sub">Print edition</div>
<p>{e(author)}</p>{where}<p>{sol}</p><p>Printed {e(date)} from the built site.</p></div>
<h2>Contents</h2>
{"".join(rows)}
</body></html>"""


def _print_html(browser, document: str, paper: str) -> bytes:
    ctx = browser.new_context()
    try:
        tab = ctx.new_page()
        tab.set_content(document)
        return tab.pdf(**_pdf_options(paper))
    finally:
        ctx.close()


def book_pdf(printed: list[Printed], dest: Path, *, solutions: str, browser, book_title: str,
             author: str = "", site_url: str | None = None, paper: str = "A4") -> Path:
    """The whole book: cover, contents (real page numbers), every page, the solutions' appendix."""
    from pypdf import PdfReader, PdfWriter

    _check_solutions(solutions)
    parts = [(p.title, PdfReader(p.body), p.page.part, p.page.level) for p in printed]
    if solutions == "appendix":
        parts += [(f"Solutions · {p.title}", PdfReader(p.solutions), "Appendix · Solutions", 0)
                  for p in printed if p.solutions]
    date = time.strftime("%Y-%m-%d")
    front_pages, front = 2, None
    for _attempt in range(5):  # the contents' own length moves the numbers: until stable
        entries, page = [], front_pages + 1
        for title, reader, part, level in parts:
            entries.append(_Entry(title, page, part, level))
            page += len(reader.pages)
        front = PdfReader(io.BytesIO(_print_html(browser, contents_html(
            book_title, entries, author=author, site_url=site_url, solutions=solutions, date=date),
            paper)))
        if len(front.pages) == front_pages:
            break
        front_pages = len(front.pages)
    else:
        raise RuntimeError("the table of contents does not settle on a page count")
    writer = PdfWriter()
    writer.append(front, import_outline=False)
    writer.add_outline_item(title="Contents", page_number=1)
    part_items: dict = {}
    for (title, reader, part, _level), entry in zip(parts, entries):
        start = len(writer.pages)
        assert start + 1 == entry.page, (title, start, entry.page)
        writer.append(reader, import_outline=False)
        parent = None
        if part:
            if part not in part_items:
                part_items[part] = writer.add_outline_item(title=part, page_number=start)
            parent = part_items[part]
        writer.add_outline_item(title=title, page_number=start, parent=parent)
    _stamp(writer, _overlay(browser, len(writer.pages), html.escape(book_title), _NUMBER, paper), skip=1)
    writer.add_metadata({"/Title": book_title, "/Author": author})
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as f:
        writer.write(f)
    return dest


def _check_site(site: Path, pages: list[PrintPage]) -> None:
    missing = [p.html for p in pages if not (site / p.html).exists()]
    if not (site / "index.html").exists() or missing:
        raise FileNotFoundError(f"no built site at {site} (or pages missing from it: "
                                f"{', '.join(missing[:5]) or 'index.html'}): build it first "
                                "(`python3 run.py build`)")


def _check_solutions(solutions: str) -> None:
    if solutions not in SOLUTIONS:
        raise ValueError(f"solutions must be one of {SOLUTIONS}, got {solutions!r}")


def _book_config(root: Path) -> tuple[str, str]:
    import yaml

    cfg = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf8")) or {}
    return str(cfg.get("title") or "The book"), str(cfg.get("author") or "")


def make_pdfs(root: Path, site: Path, out: Path, *, pages: list[PrintPage] | None = None,
              solutions: str = "omit", book: bool = True, site_url: str | None = None,
              paper: str = "A4", log=print) -> dict:
    """Print ``pages`` (default: every page of ``_toc.yml``) and write their PDFs and the book's.

    Parameters
    ----------
    root, site, out : Path
        The repository (``_toc.yml``, ``_config.yml``), the built site (``_build/html``) and the
        output folder (``_build/pdf``).
    pages : list of PrintPage, optional
        What to print (default every page of ``_toc.yml``, in order).
    solutions : {"omit", "appendix"}
        Leave the solutions out, or print them after each page and in the book's appendix.
    book : bool
        Also write ``out/book.pdf`` from the printed pages.
    site_url : str, optional
        The published site's address (``https://…/``): the demos' "live version" lines and the
        links between pages point there.
    paper : {"A4", "Letter"}

    Returns
    -------
    dict
        ``{"chapters": {docname: Path}, "book": Path or None, "printed": [Printed], "seconds": float}``

    Raises
    ------
    ValueError
        On an unknown ``solutions`` or ``paper``.
    FileNotFoundError
        Without a built site or without Chromium (the message says what to install or run).
    """
    _check_solutions(solutions)
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {PAPERS}, got {paper!r}")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    root, site, out = Path(root), Path(site), Path(out)
    pages = toc_pages(root) if pages is None else pages
    if not pages:
        raise ValueError("no pages to print: _toc.yml lists none, or the list given is empty")
    _check_site(site, pages)
    book_title, author = _book_config(root)
    t0 = time.time()
    work = out / ".pages"
    with chromium() as browser:
        printed = print_pages(pages, site, work, solutions=solutions == "appendix", site_url=site_url,
                              paper=paper, browser=browser, log=log)
        chapters = {}
        for p in printed:
            chapters[p.page.docname] = chapter_pdf(p, out / pdf_name(p.title, p.page.docname),
                                                   solutions=solutions, browser=browser, paper=paper,
                                                   book_title=book_title)
        whole = None
        if book:
            whole = book_pdf(printed, out / "book.pdf", solutions=solutions, browser=browser,
                             book_title=book_title, author=author, site_url=site_url, paper=paper)
    seconds = time.time() - t0
    log(f"[pdf] {len(chapters)} page PDFs{' and book.pdf' if whole else ''} in {out} "
        f"({seconds:.0f} s)")
    return {"chapters": chapters, "book": whole, "printed": printed, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chapters", nargs="*", type=Path,
                   help="chapter files (default: every page of _toc.yml, and the whole book)")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the repository (holds _toc.yml)")
    p.add_argument("--site", type=Path, default=None, help="the built site (default <root>/_build/html)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default <root>/_build/pdf)")
    p.add_argument("--solutions", choices=SOLUTIONS, default="omit",
                   help="omit the solutions (default) or print them in an appendix")
    p.add_argument("--site-url", default=os.environ.get("IB_SITE_URL"),
                   help="the published site's address: where the demos' live versions are "
                        "(default: $IB_SITE_URL, else the page's path on the site)")
    p.add_argument("--paper", choices=PAPERS, default="A4")
    args = p.parse_args(argv)
    root = args.root.resolve()
    pages = None
    if args.chapters:
        known = {pg.docname: pg for pg in toc_pages(root)}
        pages = []
        for c in args.chapters:
            try:
                doc = _docname(c.resolve().relative_to(root).as_posix()) if c.is_absolute() or \
                    c.exists() else _docname(c.as_posix())
            except ValueError:  # a file outside the repository
                doc = None
            if doc not in known:
                print(f"pdf: {c} is not a page of _toc.yml", file=sys.stderr)
                return 2
            pages.append(known[doc])
    try:
        make_pdfs(root, args.site or root / "_build" / "html", args.out or root / "_build" / "pdf",
                  pages=pages, solutions=args.solutions, book=not args.chapters,
                  site_url=args.site_url, paper=args.paper)
    except (FileNotFoundError, ValueError) as exc:
        print(f"pdf: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
