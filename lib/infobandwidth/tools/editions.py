"""Student and instructor editions of the chapters, generated from their MyST sources.

    python3 run.py editions                       # every chapter of _toc.yml
    python -m infobandwidth.tools.editions --out editions [book/part2/information-theory.md ...]

For every chapter listed in ``_toc.yml`` (the files under ``book/part*/``) this writes

* ``editions/instructor/<n>-<name>.ipynb`` — the chapter as a notebook, solutions included;
* ``editions/student/<n>-<name>.ipynb`` — the same notebook with every solution removed: everything
  from a ``{solution-start}`` directive through its ``{solution-end}`` (text *and* the code cells in
  between), and every one-piece ``{solution}`` directive. What remains of a coding exercise is its
  text, its ``exercise-stub`` cell (which raises ``NotImplementedError``) and its ``exercise-check``
  cell, so running the student notebook stops at each check until the student fills in the stub
  (see CONTRIBUTING.md, item 11).

``<n>`` is the section number from the chapter's title (``# 2.3 Information theory foundations``), so
the files sort in reading order. The text cells keep the book's MyST markup, which JupyterLab renders
with ``jupyterlab-myst`` (in ``requirements.txt``), except the roles that show computed numbers:
every ``{eval}`glued("key", "fmt")``` and ``{glue:text}`key:fmt``` (and ``{glue}`key```) is
replaced by its number, formatted as on the site,
read from the last build (``_build/jupyter_execute/<doc>.glue.json``, where MyST-NB keeps glued
values), so the numbers read right in plain Jupyter and Colab too. The editions therefore need a
build: ``python3 run.py editions`` builds first; the module alone stops with a clear message when a
chapter's values are missing or older than the chapter. Both editions start with a short note and the
hidden set-up cell of the site's ``.ipynb`` downloads (see :mod:`infobandwidth.tools.sphinx_site`):
where ``infobandwidth`` is not installed, it unpacks the copy of the library embedded in the
notebook, so the editions run in any Jupyter with numpy, sympy, matplotlib and ipywidgets.

The functions here take and return jupytext/nbformat notebooks (or text) and never execute
anything. :func:`exercises` parses a chapter's exercises for the tests that check the
chapter anatomy.

Examples
--------
>>> import jupytext
>>> nb = jupytext.reads('''
... ```{exercise}
... :label: ex-a
... Compute it.
... ```
...
... ```{solution-start} ex-a
... :class: dropdown
... ```
... It is 42.
... ```{solution-end}
... ```
... ''', fmt="md:myst")
>>> [c.source for c in student_notebook(nb).cells]
['```{exercise}\\n:label: ex-a\\nCompute it.\\n```']
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from infobandwidth.tools.myst import (
    DIRECTIVE,
    OPTION,
    Directive,
    close_fence,
    directives,
    fence,
    fill_glue,
    glue_json_path,
    glue_roles,
    read_glue,
    toc_files,
)

__all__ = ["Directive", "Exercise", "directives", "strip_solutions_markdown", "student_notebook",
           "instructor_notebook", "edition", "exercises", "solution_text", "toc_chapters",
           "edition_name", "write_editions", "copy_site_notebooks", "chapter_glue", "STUB_TAG",
           "CHECK_TAG"]

#: Tag of the code cell that defines what the student writes and raises NotImplementedError.
STUB_TAG = "exercise-stub"
#: Tag of the code cell after ``{solution-end}`` that calls ``check(...)``.
CHECK_TAG = "exercise-check"

_TITLE = re.compile(r"^#\s+(?P<num>\d+(?:\.\d+)*)?\s*(?P<title>.*)$", re.M)
# The MyST scanning (fences, directives, glue roles) is shared with the site's downloads:
# infobandwidth.tools.myst. `directives` and `Directive` are re-exported here for the tests.


def strip_solutions_markdown(text: str, in_solution: str | None = None) -> tuple[str, str | None]:
    """Remove the solution parts of one Markdown cell.

    Parameters
    ----------
    text : str
        The cell's source.
    in_solution : str or None
        The label of a ``{solution-start}`` opened in an earlier cell and not yet closed, or None.

    Returns
    -------
    (str, str or None)
        The text without solutions (blank runs tidied), and the label of a solution still open at
        the end of the cell (None if none is).

    Raises
    ------
    ValueError
        On a ``{solution-end}`` with no open ``{solution-start}``, or a ``{solution-start}`` inside
        another one.

    Examples
    --------
    >>> strip_solutions_markdown("Before.\\n```{solution-start} ex-1\\n```\\nSecret.")
    ('Before.', 'ex-1')
    >>> strip_solutions_markdown("More secret.\\n```{solution-end}\\n```\\nAfter.", "ex-1")
    ('After.', None)
    """
    lines = text.split("\n")
    keep: list[str] = []
    i = 0
    while i < len(lines):
        m = fence(lines[i])
        if not m:
            if in_solution is None:
                keep.append(lines[i])
            i += 1
            continue
        end = close_fence(lines, i, m["fence"])
        d = DIRECTIVE.match(m["rest"].strip())
        name = d["name"] if d else None
        if in_solution is None:
            if name == "solution-start":
                in_solution = d["arg"].split()[0] if d["arg"].split() else "?"
            elif name == "solution-end":
                raise ValueError(f"a {{solution-end}} (line {i + 1} of a cell) has no "
                                 "{solution-start} before it")
            elif name != "solution":  # a one-piece {solution} block goes whole
                keep.extend(lines[i:end + 1])
        else:
            if name == "solution-end":
                in_solution = None
            elif name == "solution-start":
                raise ValueError(f"{{solution-start}} {d['arg']} opens inside the solution of "
                                 f"{in_solution}: close that one with {{solution-end}} first")
        i = end + 1
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip("\n")
    return out, in_solution


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def student_notebook(nb):
    """A copy of ``nb`` with every solution removed (text and the code cells inside it).

    Markdown cells left empty are dropped. Raises ``ValueError`` if a ``{solution-start}`` is never
    closed or the markers are out of order (see :func:`strip_solutions_markdown`).
    """
    nb = copy.deepcopy(nb)
    cells = []
    open_label: str | None = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text, open_label_after = strip_solutions_markdown(cell.source, open_label)
            open_label = open_label_after
            if text.strip():
                cell.source = text
                cells.append(cell)
        elif open_label is None:
            cells.append(cell)
    if open_label is not None:
        raise ValueError(f"{{solution-start}} {open_label} has no {{solution-end}}")
    nb.cells = cells
    return nb


def instructor_notebook(nb):
    """A copy of ``nb`` with everything in it (solutions included); checks the markers pair up."""
    student_notebook(nb)  # raises if the solution markers are malformed
    return copy.deepcopy(nb)


def solution_text(nb) -> list[str]:
    """The source of every solution of ``nb``, one string per solution (its text and its code).

    The directive lines themselves (``{solution-start}``, its options, ``{solution-end}``) are not
    included. Used by the tests that check no solution leaks into a student edition.
    """
    sols: list[list[str]] = []
    open_label: str | None = None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            if open_label is not None:
                sols[-1].append(cell.source)
            continue
        lines = cell.source.split("\n")
        i = 0
        while i < len(lines):
            m = fence(lines[i])
            end = close_fence(lines, i, m["fence"]) if m else i
            d = DIRECTIVE.match(m["rest"].strip()) if m else None
            name = d["name"] if d else None
            if open_label is None and name == "solution-start":
                open_label = d["arg"] or "?"
                sols.append([])
            elif open_label is None and name == "solution":
                sols.append([ln for ln in lines[i + 1:end] if not OPTION.match(ln)])
            elif open_label is not None and name == "solution-end":
                open_label = None
            elif open_label is not None:
                sols[-1].extend(lines[i:end + 1])
            i = end + 1
    return ["\n".join(s) for s in sols]


@dataclass
class Exercise:
    """One ``{exercise}`` of a chapter, as the chapter-anatomy tests see it."""

    label: str
    cell: int                           #: index of the cell holding the ``{exercise}`` directive
    text: str                           #: the exercise's body
    solution: bool = False              #: a solution follows (before the next exercise)
    solution_directive: str = ""        #: "solution-start" (gated) or "solution" (one piece)
    solution_label: str = ""            #: the label the solution names
    solution_class: str = ""            #: its :class: option ("dropdown")
    stub: int | None = None             #: index of its ``exercise-stub`` cell
    stub_source: str = ""
    check: int | None = None            #: index of its ``exercise-check`` cell
    check_source: str = ""
    solution_code: list[str] = field(default_factory=list)

    @property
    def coding(self) -> bool:
        """A coding exercise: it has a stub or a check cell, or its text or solution calls check()."""
        return (self.stub is not None or self.check is not None or "check(" in self.text
                or any("check(" in s for s in self.solution_code))


def exercises(nb) -> list[Exercise]:
    """The exercises of a chapter notebook with their solution, stub and check cells.

    A stub belongs to the exercise before it if it comes before that exercise's solution; a check
    cell belongs to the exercise whose ``{solution-end}`` it follows.
    """
    out: list[Exercise] = []
    state = "none"          # none | text (after an exercise) | solution | after (after solution-end)
    for idx, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            tags = _tags(cell)
            if state == "solution" and out:
                out[-1].solution_code.append(cell.source)
            elif STUB_TAG in tags and state == "text" and out[-1].stub is None:
                out[-1].stub, out[-1].stub_source = idx, cell.source
            elif CHECK_TAG in tags and state == "after" and out[-1].check is None:
                out[-1].check, out[-1].check_source = idx, cell.source
            continue
        for d in directives(cell.source):
            if d.name in ("exercise", "exercise-start"):
                out.append(Exercise(label=d.options.get("label", ""), cell=idx, text=d.body))
                state = "text"
            elif d.name in ("solution", "solution-start") and out and state == "text":
                out[-1].solution = True
                out[-1].solution_directive = d.name
                out[-1].solution_label = d.arg
                out[-1].solution_class = d.options.get("class", "")
                state = "after" if d.name == "solution" else "solution"
            elif d.name == "solution-end" and state == "solution":
                state = "after"
    return out


# ------------------------------------------------------------------------------------------------
# Chapters and files
# ------------------------------------------------------------------------------------------------

def toc_chapters(root: Path) -> list[Path]:
    """The chapter files of ``_toc.yml`` in reading order: the MyST notebooks under ``book/part*/``."""
    root = Path(root)
    return [p for p in toc_files(root)
            if re.match(r"book/part\d+/", p.relative_to(root).as_posix())]


def edition_name(path: Path) -> str:
    """``<section number>-<file stem>.ipynb`` from the chapter's ``# <n> Title`` heading.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "information-theory.md"
    >>> _ = p.write_text("(ch-x)=\\n# 2.3 Information theory foundations\\n")
    >>> edition_name(p)
    '2.3-information-theory.ipynb'
    """
    m = _TITLE.search(Path(path).read_text(encoding="utf8"))
    num = m["num"] if m and m["num"] else None
    return f"{num}-{Path(path).stem}.ipynb" if num else f"{Path(path).stem}.ipynb"


def _chapter_title(path: Path) -> str:
    m = _TITLE.search(Path(path).read_text(encoding="utf8"))
    return f"{m['num'] or ''} {m['title']}".strip() if m else Path(path).stem


NOTE = {
    "student": ("*Student edition of **{title}**, a chapter of the executable course *Information "
                "Bandwidth in Reinforcement Learning*. The solutions are removed. Each coding "
                "exercise gives you a cell to complete (it raises `NotImplementedError` until you "
                "do) and a check cell after it that tells you whether your answer is right, with a "
                "hint if it is not. Run the cells from the top; the first (hidden) one makes the "
                "book's library importable. Generated from `{source}` by `python3 run.py "
                "editions`: edit the chapter, not this file.*"),
    "instructor": ("*Instructor edition of **{title}**, a chapter of the executable course "
                   "*Information Bandwidth in Reinforcement Learning*, with every solution. The "
                   "student edition is the same notebook without them. Run the cells from the top; "
                   "the first (hidden) one makes the book's library importable. Generated from "
                   "`{source}` by `python3 run.py editions`: edit the chapter, not this file.*"),
}


def chapter_glue(path: Path, root: Path, build: Path | None = None) -> dict:
    """The values the chapter at ``path`` glued in the last build (name -> display data).

    Read from ``<build>/jupyter_execute/<doc>.glue.json`` (``build`` defaults to
    ``<root>/_build``), where MyST-NB keeps them. A chapter without glue roles needs no build and
    gets ``{}``.

    Raises
    ------
    FileNotFoundError
        If the chapter has glue roles and the build has no values for it, or if the chapter
        changed after the build that wrote them (the numbers may be stale): the message says to
        build first (``python3 run.py editions`` builds, then writes the editions).
    """
    path, root = Path(path).resolve(), Path(root).resolve()
    build = Path(build) if build else root / "_build"
    if not glue_roles(path.read_text(encoding="utf8")):
        return {}
    docname = path.relative_to(root).with_suffix("").as_posix()
    src = glue_json_path(build, docname)
    if not src.exists():
        raise FileNotFoundError(
            f"{path.relative_to(root)} has glue roles but the build has no glued values for it "
            f"({src} is missing). The editions show the numbers of the last build: run "
            "`python3 run.py editions` (it builds the book first) or `python3 run.py build`.")
    if path.stat().st_mtime > src.stat().st_mtime:
        raise FileNotFoundError(
            f"{path.relative_to(root)} changed after the build that computed its glued values "
            f"({src}): its numbers may be stale. Run `python3 run.py editions` (it builds the book "
            "first) or `python3 run.py build`.")
    return read_glue(src)


def edition(path: Path, kind: str, root: Path | None = None, lib_zip: str | None = None,
            glue: dict | None = None):
    """The student or instructor edition of the chapter at ``path`` as an nbformat notebook.

    Every glue role of the text (``{eval}`glued("key", "fmt")```, ``{glue:text}`key:fmt```,
    ``{glue}`key```) is replaced by the value ``glue`` holds for its key (name -> ``text/plain``
    or display data, see :func:`chapter_glue`), formatted as the book site formats it, so the
    notebook reads right in any Jupyter. Raises :class:`~infobandwidth.tools.myst.GlueError` if a role's key is not in
    ``glue``.
    """
    import jupytext
    import nbformat

    from infobandwidth.tools.sphinx_site import SETUP_SOURCE, lib_zip_b64

    if kind not in NOTE:
        raise ValueError(f"kind must be 'student' or 'instructor', got {kind!r}")
    path = Path(path)
    nb = jupytext.read(path, fmt="md:myst")
    try:
        nb = student_notebook(nb) if kind == "student" else instructor_notebook(nb)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = fill_glue(cell.source, glue or {}, where=str(path))
        elif cell.cell_type == "code":
            cell.metadata.pop("mystnb", None)  # figure captions are book-only metadata
            tags = _tags(cell)
            if any(t in tags for t in ("hide-input", "remove-input", "hide-cell")):
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    try:
        source = path.resolve().relative_to(Path(root).resolve()).as_posix() if root else path.name
    except ValueError:
        source = path.name
    note = nbformat.v4.new_markdown_cell(NOTE[kind].format(title=_chapter_title(path), source=source))
    setup = nbformat.v4.new_code_cell(f"_IB_LIB_ZIP = {(lib_zip or lib_zip_b64())!r}\n" + SETUP_SOURCE)
    setup.metadata["jupyter"] = {"source_hidden": True}
    setup.metadata["tags"] = ["ib-setup"]
    nb.cells[0:0] = [note, setup]
    for idx, cell in enumerate(nb.cells):  # stable ids: a file changes only when its chapter does
        cell["id"] = f"ib-{idx:03d}"
    return nb


def write_editions(root: Path, out: Path, chapters: list[Path] | None = None,
                   build: Path | None = None) -> list[Path]:
    """Write both editions of ``chapters`` (default: every chapter of ``_toc.yml``) under ``out``.

    The glued numbers come from the build in ``build`` (default ``<root>/_build``, see
    :func:`chapter_glue`); nothing is written if a chapter's values are missing or stale.
    Returns the files written: ``out/student/*.ipynb`` and ``out/instructor/*.ipynb``. Stale
    ``.ipynb`` files in those folders (a chapter renamed or removed) are deleted.
    """
    import nbformat

    from infobandwidth.tools.sphinx_site import lib_zip_b64

    root, out = Path(root), Path(out)
    chapters_given = bool(chapters)
    chapters = [Path(c) for c in chapters] if chapters else toc_chapters(root)
    glue = {path: chapter_glue(path, root, build) for path in chapters}  # all found, or nothing
    lib_zip = lib_zip_b64()
    written: list[Path] = []
    for kind in ("student", "instructor"):
        folder = out / kind
        folder.mkdir(parents=True, exist_ok=True)
        for path in chapters:
            dst = folder / edition_name(path)
            nb = edition(path, kind, root, lib_zip, glue=glue[path])
            dst.write_text(nbformat.writes(nb), encoding="utf8")
            written.append(dst)
    if not chapters_given:  # every chapter: remove editions of chapters renamed or removed
        for kind in ("student", "instructor"):
            for stale in (out / kind).glob("*.ipynb"):
                if stale not in written:
                    stale.unlink()
    return written


def copy_site_notebooks(root: Path, site: Path, out: Path) -> list[Path]:
    """Copy the ``.ipynb`` export of every chapter of ``_toc.yml`` from a built site into ``out``.

    The book build (:mod:`infobandwidth.tools.sphinx_site`) writes them to ``<site>/_sources/``:
    plain Markdown, the glued numbers filled in, and a first cell that makes the library
    importable, so they run top to bottom in any Jupyter. Named like the editions.

    Raises
    ------
    FileNotFoundError
        If the site has no export of a chapter (build the site first: ``python3 run.py build``).
    """
    import shutil

    root, site, out = Path(root), Path(site), Path(out)
    written = []
    for chapter in toc_chapters(root):
        src = site / "_sources" / chapter.resolve().relative_to(root.resolve()).with_suffix(".ipynb")
        if not src.exists():
            raise FileNotFoundError(f"{src} is missing: build the site first (python3 run.py build)")
        out.mkdir(parents=True, exist_ok=True)
        dst = out / edition_name(chapter)
        shutil.copyfile(src, dst)
        written.append(dst)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chapters", nargs="*", type=Path, help="chapter files (default: all of _toc.yml)")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the repository (holds _toc.yml)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: <root>/editions)")
    p.add_argument("--build", type=Path, default=None, metavar="BUILD",
                   help="the build whose glued numbers fill the text (default: <root>/_build)")
    p.add_argument("--from-site", type=Path, default=None, metavar="HTML",
                   help="instead: copy the chapters' .ipynb exports of this built site to --out")
    args = p.parse_args(argv)
    if args.from_site:
        out = args.out or args.root / "_build" / "notebooks"
        try:
            written = copy_site_notebooks(args.root, args.from_site, out)
        except FileNotFoundError as exc:
            print(f"notebooks: {exc}", file=sys.stderr)
            return 1
        print(f"{len(written)} chapter notebooks -> {out} (they run top to bottom in any Jupyter)")
        return 0
    out = args.out or args.root / "editions"
    try:
        written = write_editions(args.root, out, args.chapters or None, args.build)
    except (ValueError, FileNotFoundError) as exc:
        print(f"editions: {exc}", file=sys.stderr)
        return 1
    n = len(written) // 2
    print(f"{n} chapters -> {out / 'student'} and {out / 'instructor'}")
    for f in written:
        print(f"  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
