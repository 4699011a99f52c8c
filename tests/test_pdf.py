"""The print edition (`python3 run.py pdf`, infobandwidth.tools.pdf), printed from the built site by
headless Chromium and read back with pypdf.

The expected values come from elsewhere than the printer: titles, figure numbers, demos and
solutions from the built HTML (parsed here with BeautifulSoup), glued numbers from the build's
``<doc>.glue.json`` through the roles of the executed chapter (``_build/jupyter_execute``).

One print per session, of three pages of ``_toc.yml`` (the root page and two chapters with figures,
solutions and, in 2.2, a demo) with ``--solutions appendix``; the chapter PDFs and a book of those
three pages are assembled from it, then again with ``--solutions omit`` from the same print. The
whole book takes several minutes to print, so it is made by ``python3 run.py pdf``, not here.

Needs the built site (``python3 run.py test`` builds it first; ``IB_SITE`` points elsewhere, as for
the browser tests) and Chromium at ``/usr/bin/chromium`` (``IB_CHROMIUM``). Without either, the tests
fail and say what to install or run: nothing is skipped.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("IB_SITE", ROOT / "_build" / "html")).resolve()
#: Printed in the session: the root page, a chapter with 2 figures + a demo, a chapter with 2 figures.
DOCS = ["book/intro", "book/part2/bayesian", "book/part3/actor-critic-dense"]
CHAPTERS = DOCS[1:]


def norm(text: str) -> str:
    """Text as compared: NFKC (the PDF's ﬁ ligature is fi), whitespace runs as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@functools.lru_cache(maxsize=None)
def _page_texts(path: Path) -> tuple[str, ...]:
    from pypdf import PdfReader

    return tuple(norm(p.extract_text() or "") for p in PdfReader(path).pages)


def page_texts(path: Path) -> list[str]:
    return list(_page_texts(Path(path)))


def soup(docname: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup((SITE / f"{docname}.html").read_text(encoding="utf8"), "html.parser")


def html_title(docname: str) -> str:
    h1 = soup(docname).select_one("article.bd-article h1")
    for a in h1.select("a.headerlink"):
        a.decompose()
    return norm(h1.get_text())


def html_figures(docname: str) -> list[str]:
    """The caption numbers ("Fig. 4") of the page's figures outside the solutions."""
    s = soup(docname)
    return [norm(f.select_one(".caption-number").get_text()) for f in s.select("article.bd-article figure")
            if f.select_one(".caption-number") and not f.find_parent("div", class_="solution")]


def html_demos(docname: str) -> int:
    s = soup(docname)
    return sum(1 for out in s.select("article.bd-article .cell_output")
               if out.select_one('script[type="application/vnd.jupyter.widget-view+json"]'))


def solution_phrases(docname: str) -> list[str]:
    """From each solution, a run of 5 plain words (no math, no code) that only the solution has."""
    s = soup(docname)
    phrases = []
    for sol in s.select("article.bd-article div.solution"):
        for p in sol.select("section p"):
            for m in p.select(".math, code"):
                m.replace_with("\x00")
            runs = [norm(r).split() for r in p.get_text().split("\x00")]
            best = max(runs, key=len, default=[])
            if len(best) >= 6:  # drop the run's last word: it may touch math or punctuation
                phrases.append(" ".join(best[:5]))
                break
    return phrases


def glued_numbers(docname: str) -> list[str]:
    """Every glued number of the page's text (solutions excluded), formatted as the site shows it.

    The roles come from the chapter as it was executed (``jupyter_execute/<doc>.ipynb``) and the
    values from ``<doc>.glue.json`` beside it, so they match the built site.
    """
    import nbformat
    from infobandwidth.tools.editions import student_notebook
    from infobandwidth.tools.myst import fill_glue, glue_json_path, glue_roles, read_glue

    build = SITE.parent
    nb = student_notebook(nbformat.read(build / "jupyter_execute" / f"{docname}.ipynb", as_version=4))
    values = read_glue(glue_json_path(build, docname))
    out = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for kind, key, fmt in glue_roles(cell.source):
            if kind == "text":
                out.append(norm(fill_glue(f"{{glue:text}}`{key}:{fmt}`", values)))
    return out


# ------------------------------------------------------------------------------------------------
# The print (once per session)
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from infobandwidth.tools.pdf import CHROMIUM, make_pdfs, toc_pages

    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site at {SITE}: run `python3 run.py test` (it builds first) or "
                    "`python3 run.py build`")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: the print edition needs Chromium, "
                    "`apt-get install -y chromium` (never `playwright install`)")
    pages = {p.docname: p for p in toc_pages(ROOT)}
    out = tmp_path_factory.mktemp("pdf-appendix")
    result = make_pdfs(ROOT, SITE, out, pages=[pages[d] for d in DOCS], solutions="appendix", book=True,
                       log=lambda msg: None)
    return result


@pytest.fixture(scope="module")
def omitted(printed, tmp_path_factory):
    """The same print assembled with --solutions omit."""
    from infobandwidth.tools.pdf import book_pdf, chapter_pdf, chromium

    out = tmp_path_factory.mktemp("pdf-omit")
    with chromium() as browser:
        chapters = {p.page.docname: chapter_pdf(p, out / p.body.name.replace(".text", ""),
                                                solutions="omit", browser=browser)
                    for p in printed["printed"]}
        book = book_pdf(printed["printed"], out / "book.pdf", solutions="omit", browser=browser,
                        book_title="Test book")
    return {"chapters": chapters, "book": book}


def body_pages(printed, docname: str) -> int:
    from pypdf import PdfReader

    p = next(p for p in printed["printed"] if p.page.docname == docname)
    return len(PdfReader(p.body).pages)


# ------------------------------------------------------------------------------------------------
# Chapter PDFs
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("docname", DOCS)
def test_a_chapter_pdf_opens_with_its_title(printed, docname):
    texts = page_texts(printed["chapters"][docname])
    assert html_title(docname) in texts[0]
    assert printed["chapters"][docname].name.endswith(".pdf")


@pytest.mark.parametrize("docname", CHAPTERS)
def test_a_chapter_pdf_shows_its_glued_numbers(printed, docname):
    numbers = glued_numbers(docname)
    assert numbers, f"{docname} glues no number into its text: choose another chapter for this test"
    text = " ".join(page_texts(printed["chapters"][docname])[:body_pages(printed, docname)])
    missing = [n for n in numbers if n not in text]
    assert not missing, f"glued numbers of {docname} not in its PDF: {missing}"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_every_figure_is_printed_whole(printed, docname):
    """Each caption of the HTML is in the PDF, on a page with an image (break-inside: avoid keeps
    the figure and its caption together); the printer counted the same figures."""
    from pypdf import PdfReader

    figures = html_figures(docname)
    assert figures, f"{docname} has no figure: choose another chapter for this test"
    reader = PdfReader(printed["chapters"][docname])
    n_body = body_pages(printed, docname)
    texts = page_texts(printed["chapters"][docname])[:n_body]
    for fig in figures:
        pattern = re.compile(re.escape(fig) + r"(?!\d)")
        on = [i for i, t in enumerate(texts) if pattern.search(t)]
        assert on, f"{fig} of {docname} is not in its PDF"
        assert any(len(reader.pages[i].images) >= 1 for i in on), f"{fig}: no image on its page"
    assert sum(len(reader.pages[i].images) for i in range(n_body)) >= len(figures)
    found = next(p for p in printed["printed"] if p.page.docname == docname)
    assert found.figures == len(figures)


def test_a_demo_is_printed_with_where_its_live_version_is(printed):
    docname = "book/part2/bayesian"
    n = html_demos(docname)
    assert n >= 1
    text = " ".join(page_texts(printed["chapters"][docname]))
    assert text.count("Interactive demo, printed at its initial setting") == n
    assert f"{docname}.html#" in text.replace(" ", "")


@pytest.mark.parametrize("docname", CHAPTERS)
def test_solutions_are_in_the_appendix_only(printed, omitted, docname):
    phrases = solution_phrases(docname)
    assert len(phrases) >= 2, f"{docname}: too few solution phrases to test with"
    texts = page_texts(printed["chapters"][docname])
    n_body = body_pages(printed, docname)
    body, appendix = " ".join(texts[:n_body]), " ".join(texts[n_body:])
    assert appendix.startswith("Solutions · " + html_title(docname))
    for phrase in phrases:
        assert phrase not in body, f"solution text in the chapter's text: {phrase!r}"
        assert phrase in appendix, f"solution text missing from the appendix: {phrase!r}"
    omit = page_texts(omitted["chapters"][docname])
    assert len(omit) == n_body
    assert not [ph for ph in phrases if ph in " ".join(omit)]


def test_chapter_pages_are_numbered(printed):
    texts = page_texts(printed["chapters"]["book/part2/bayesian"])
    for i, t in enumerate(texts, 1):
        assert re.search(rf"\b{i} / {len(texts)}\b", t), f"page {i}: no '{i} / {len(texts)}' footer"


# ------------------------------------------------------------------------------------------------
# The book
# ------------------------------------------------------------------------------------------------

def _contents(texts: list[str], titles: list[str]) -> dict[str, int]:
    """title -> page number as printed in the contents (the pages after the cover that list them)."""
    front = " ".join(t for t in texts[1:4] if t.startswith("Contents") or "Contents" in t[:40])
    out = {}
    for title in titles:
        m = re.search(re.escape(title) + r" (\d+)\b", front)
        assert m, f"{title!r} is not in the table of contents: {front[:600]}"
        out[title] = int(m[1])
    return out


def test_the_book_has_a_cover_and_contents_that_point_at_the_pages(printed):
    import yaml

    book_title = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    texts = page_texts(printed["book"])
    assert norm(book_title) in texts[0] and "Print edition" in texts[0]
    titles = [html_title(d) for d in DOCS]
    titles_sol = [f"Solutions · {html_title(d)}" for d in CHAPTERS]
    where = _contents(texts, titles + titles_sol)
    assert list(where.values()) == sorted(where.values()), "contents out of order"
    for title, page in where.items():  # the page opens with the title (the heading comes first)
        assert title in texts[page - 1][:len(title) + 80], f"contents say {title!r} is on page {page}"
    for i, t in enumerate(texts[1:], 2):  # every page after the cover carries its number
        assert re.search(rf"{re.escape(norm(book_title))} {i}\b", t), f"book page {i} has no number"


def test_the_book_without_solutions_has_none(printed, omitted):
    texts = " ".join(page_texts(omitted["book"]))
    assert "Solutions ·" not in texts
    for docname in CHAPTERS:
        assert not [ph for ph in solution_phrases(docname) if ph in texts]
        assert html_title(docname) in texts


# ------------------------------------------------------------------------------------------------
# Without a browser
# ------------------------------------------------------------------------------------------------

def test_pages_come_in_toc_order_with_every_chapter():
    from infobandwidth.tools.editions import toc_chapters
    from infobandwidth.tools.pdf import toc_pages

    pages = [p.docname for p in toc_pages(ROOT)]
    chapters = [c.relative_to(ROOT).with_suffix("").as_posix() for c in toc_chapters(ROOT)]
    assert [p for p in pages if p in chapters] == chapters
    assert pages[0] == "book/intro" and len(pages) == len(set(pages))


def test_bad_arguments_are_refused(tmp_path, capsys):
    from infobandwidth.tools.pdf import main, make_pdfs

    with pytest.raises(ValueError, match="solutions must be one of"):
        make_pdfs(ROOT, SITE, tmp_path, solutions="inline")
    with pytest.raises(ValueError, match="paper must be one of"):
        make_pdfs(ROOT, SITE, tmp_path, paper="A5")
    assert main(["--root", str(ROOT), "--out", str(tmp_path), "book/part9/nothing.md"]) == 2
    assert "not a page of _toc.yml" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--solutions", "inline"])
    assert main(["--root", str(ROOT), "--site", str(tmp_path / "none"), "--out", str(tmp_path),
                 "book/part2/bayesian.md"]) == 1
    assert "build it first" in capsys.readouterr().err
