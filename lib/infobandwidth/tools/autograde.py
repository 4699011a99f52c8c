"""Autograded assignments for nbgrader, generated from the chapters' coding exercises.

    python3 run.py assignments                          # every chapter of _toc.yml
    python -m infobandwidth.tools.autograde --course _build/course [book/part2/information-theory.md ...]

For every chapter with coding exercises (CONTRIBUTING.md, item 11) this writes an nbgrader
*source* notebook, ``<course>/source/<n>-<name>/<name>.ipynb``, and then runs nbgrader's own
``nbgrader generate_assignment`` in ``<course>``, which writes the student version to
``<course>/release/<n>-<name>/`` and records the assignment in ``<course>/gradebook.db``. The
assignment holds only the chapter's coding exercises and the chapter cells they need:

* a read-only introduction;
* the chapter's code cells the exercises use (imports, data, helper functions), found by a backward
  slice over the names each cell defines and uses (:func:`setup_cells`), read-only, in chapter order;
* per exercise: its text (read-only Markdown, with the points), one **solution cell** holding the
  chapter's ``exercise-stub`` followed by the chapter's solution code between ``### BEGIN SOLUTION``
  and ``### END SOLUTION`` (nbgrader removes that region from the release and leaves the stub, which
  raises ``NotImplementedError`` until the student completes it), and one read-only **graded test
  cell** that runs the chapter's ``exercise-check`` with each ``check(...)`` call turned into
  ``assert check(...)``, so a wrong answer (``check`` returns False) or an unfinished stub (it
  raises) loses the exercise's points.

Points come from the difficulty in the exercise's title (:data:`DIFFICULTY_POINTS`), unless
:data:`POINTS` or ``--points LABEL=N`` says otherwise. Everything is generated from the chapters'
MyST source: edit the chapter, never the generated notebooks. The course folder's
``nbgrader_config.py`` is written once and then left to the instructor (the exchange, the course id);
the settings the generated notebooks rely on live in ``ib_nbgrader_config.py``, which it loads and
which is rewritten every time.

Examples
--------
>>> print(graded_check('check("ch/ex", answer());', "ex-1"))
from infobandwidth.book.exercises import check
assert check("ch/ex", answer()), 'ex-1: not right yet (the hint printed above says why)'
>>> exercise_points("Core: a TD-error table, from scratch", "ex-x")
2
"""
from __future__ import annotations

import argparse
import ast
import builtins
import os
import re
import subprocess
import symtable
import sys
from dataclasses import dataclass, field
from pathlib import Path

from infobandwidth.tools.editions import (
    directives,
    edition_name,
    exercises,
    toc_chapters,
)
from infobandwidth.tools.myst import LABEL, glue_roles

__all__ = ["DIFFICULTY_POINTS", "POINTS", "CODE_STUB", "COURSE_ID", "CodingExercise",
           "coding_exercises", "exercise_points", "graded_check", "cell_names", "setup_cells",
           "assignment_name", "source_notebook", "book_labels", "write_sources",
           "write_config", "generate_assignments", "build_course", "nbgrader"]

#: Points of an exercise by the difficulty its title starts with (CONTRIBUTING.md, item 11).
DIFFICULTY_POINTS = {"Warm-up": 1, "Core": 2, "Stretch": 3}
#: Points for particular exercises, by label; wins over :data:`DIFFICULTY_POINTS`.
POINTS: dict[str, int] = {}
#: What nbgrader puts in the release where the solution was (``ClearSolutions.code_stub``).
CODE_STUB = "# YOUR CODE HERE: complete the definitions above (they raise NotImplementedError until you do)"
#: nbgrader's course id for the book's course (the instructor may change it in nbgrader_config.py).
COURSE_ID = "infobandwidth"

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_BUILTINS = set(dir(builtins)) | {"__name__", "__file__", "get_ipython", "display", "In", "Out"}


@dataclass
class CodingExercise:
    """One coding exercise of a chapter, as the assignment shows it."""

    label: str
    title: str
    text: str                     #: the exercise's body (MyST)
    stub: int                     #: index of its exercise-stub cell in the chapter notebook
    solution: list[int]           #: indices of its solution code cells
    check: int                    #: index of its exercise-check cell
    points: int = 1
    cells: list[int] = field(default_factory=list)  #: stub, solution and check cells


def exercise_points(title: str, label: str, points: dict[str, int] | None = None) -> int:
    """The points of an exercise: ``points`` or :data:`POINTS` by label, else by difficulty.

    >>> exercise_points("Warm-up: the entropy of a five-level reward", "ex-it-levels")
    1
    >>> exercise_points("Warm-up: anything", "ex-a", {"ex-a": 5})
    5
    """
    table = {**POINTS, **(points or {})}
    if label in table:
        value = table[label]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"points for {label} must be a non-negative integer, got {value!r}")
        return value
    m = re.match(r"\s*(Warm-up|Core|Stretch)\b", title)
    return DIFFICULTY_POINTS[m[1]] if m else 1


def coding_exercises(nb, points: dict[str, int] | None = None) -> list[CodingExercise]:
    """The coding exercises of a chapter notebook (jupytext) with their cells and points.

    Raises
    ------
    ValueError
        If a coding exercise lacks its stub, its solution code or its check cell (the shape of
        CONTRIBUTING.md, item 11), naming the exercise.
    """
    out = []
    for e in exercises(nb):
        if not e.coding:
            continue
        missing = [what for what, ok in (("an exercise-stub cell", e.stub is not None),
                                         ("an exercise-check cell", e.check is not None),
                                         ("solution code", bool(e.solution_code))) if not ok]
        if missing:
            raise ValueError(f"coding exercise {e.label or '?'} has no {' and no '.join(missing)} "
                             "(see CONTRIBUTING.md, item 11)")
        title = next((d.arg for d in directives(nb.cells[e.cell].source)
                      if d.name in ("exercise", "exercise-start") and d.options.get("label") == e.label),
                     "")
        sol = [i for i in range(e.stub + 1, e.check) if nb.cells[i].cell_type == "code"]
        out.append(CodingExercise(e.label, title, e.text, e.stub, sol, e.check,
                                  exercise_points(title, e.label, points),
                                  [e.stub, *sol, e.check]))
    return out


def graded_check(source: str, label: str) -> str:
    """The chapter's check cell as an nbgrader test cell: every top-level ``check(...)`` asserted.

    ``check`` prints its verdict and hint and returns a bool; asserting it makes a wrong answer an
    error, which is how nbgrader takes the points away. Other lines are kept as they are.

    Raises
    ------
    ValueError
        If the cell has no top-level ``check(...)`` call.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    py = TransformerManager().transform_cell(source)
    tree = ast.parse(py)
    lines = py.rstrip("\n").split("\n")
    found = 0
    for stmt in reversed(tree.body):
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "check":
            seg = ast.get_source_segment(py, call)
            msg = f"{label}: not right yet (the hint printed above says why)"
            lines[stmt.lineno - 1:stmt.end_lineno] = [f"assert {seg}, {msg!r}"]
            found += 1
    if not found:
        raise ValueError(f"the check cell of {label} has no top-level check(...) call:\n{source}")
    return "from infobandwidth.book.exercises import check\n" + "\n".join(lines).strip("\n")


def cell_names(source: str) -> tuple[set[str], set[str]]:
    """``(defined, used)``: the global names a code cell binds, and those it reads before binding.

    The cell is read statement by statement: a name counts as used when a statement reads it and
    no earlier statement of the cell (nor an assignment's own target) bound it. Names read inside
    functions, classes and comprehensions count when they are globals there; builtins are left out.
    IPython magics are translated first.

    >>> defined, used = cell_names("import numpy as np\\ndef f(x):\\n    return np.log2(x) + c\\ny = f(2)")
    >>> sorted(defined), sorted(used)
    (['f', 'np', 'y'], ['c'])
    >>> [sorted(names) for names in cell_names("total = total + 1\\nk = total")]
    [['k', 'total'], ['total']]
    """
    from IPython.core.inputtransformer2 import TransformerManager

    py = TransformerManager().transform_cell(source)
    defined: set[str] = set()
    used: set[str] = set()
    for stmt in ast.parse(py).body:
        binds, reads = _symbols(ast.unparse(stmt))
        free = reads - binds
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and stmt.value is not None:
            free |= _symbols(ast.unparse(stmt.value))[1]   # `x = x + 1` reads the old x
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            free.add(stmt.target.id)
        used |= free - defined
        defined |= binds
    return defined, used - _BUILTINS


def _symbols(py: str) -> tuple[set[str], set[str]]:
    """(bound, read) global names of a piece of Python, nested scopes' global reads included."""
    table = symtable.symtable(py, "<cell>", "exec")
    bound = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    read = {s.get_name() for s in table.get_symbols() if s.is_referenced()}

    def walk(t):
        for child in t.get_children():
            read.update(s.get_name() for s in child.get_symbols()
                        if s.is_global() and s.is_referenced() and not s.is_assigned())
            walk(child)

    walk(table)
    return bound, read


def setup_cells(nb, exs: list[CodingExercise]) -> list[int]:
    """Indices of the chapter's code cells the exercises need, in chapter order.

    A backward slice: walking the code cells from the last to the first with the set of names still
    needed, an exercise cell is always taken, and any other cell is taken when it defines a needed
    name; a taken cell's own reads become needed. Solution cells of the chapter's other exercises are
    never taken (they would give answers away).
    """
    exercise_cells = {i for e in exs for i in e.cells}
    other_solutions = set().union(*(_solution_cells(nb, e) for e in exercises(nb) if not e.coding))
    last = max(exercise_cells, default=-1)
    needed: set[str] = set()
    taken: list[int] = []
    for i in range(last, -1, -1):
        cell = nb.cells[i]
        if cell.cell_type != "code" or i in other_solutions:
            continue
        try:
            defined, used = cell_names(cell.source)
        except SyntaxError as exc:
            raise ValueError(f"cell {i} does not parse as Python: {exc}") from None
        if i in exercise_cells or defined & needed:
            if i not in exercise_cells:
                taken.append(i)
            needed = (needed - defined) | used
    return sorted(taken)


def _solution_cells(nb, e) -> set[int]:
    """Indices of the code cells of exercise ``e``'s solution."""
    out = set()
    for code in e.solution_code:
        out.update(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source == code)
    return out


def assignment_name(path: Path) -> str:
    """``<section number>-<file stem>``, the name of the chapter's assignment (sorts like the book)."""
    return edition_name(path).removesuffix(".ipynb")


def book_labels(root: Path) -> dict[str, str]:
    """Label -> readable name for cross-references in exercise texts: chapters and directives.

    ``(ch-x)=`` before ``# 2.3 Title`` gives ``"2.3 Title"``; a directive with ``:label:`` gives
    its title as the site's notebooks write it ("Definition (Entropy)").
    """
    from infobandwidth.tools.sphinx_site import _directive_title

    labels: dict[str, str] = {}
    for path in sorted(Path(root).glob("book/**/*.md")):
        text = path.read_text(encoding="utf8")
        lines = text.split("\n")
        for k, line in enumerate(lines):
            m = LABEL.match(line)
            if m:
                nxt = next((ln for ln in lines[k + 1:] if ln.strip()), "")
                if nxt.startswith("#"):
                    labels[m["label"]] = nxt.lstrip("#").strip()
        for d in directives(text):
            if "label" in d.options:
                labels[d.options["label"]] = _directive_title(d.name, d.arg)
    return labels


def _nbgrader_meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


INTRO = ("# Assignment {name}: the coding exercises of *{title}*\n\n"
         "This assignment holds the coding exercises of the chapter **{title}** of *Information "
         "Bandwidth in Reinforcement Learning*, {total} point{s} in all. For each exercise, complete "
         "the cell below its text: it defines what you write and raises `NotImplementedError` until "
         "you do. The read-only cell after it checks your answer, prints a hint if it is not right "
         "yet, and is what the autograder scores. The other read-only cells set up what the "
         "exercises use; run every cell from the top (*Run ▸ Run All Cells*) before you submit.\n\n"
         "*Generated from `{source}` by `python3 run.py assignments`: edit the chapter, not this "
         "notebook.*")


def source_notebook(path: Path, root: Path, points: dict[str, int] | None = None,
                    labels: dict[str, str] | None = None, glue: dict | None = None):
    """The nbgrader source (instructor) notebook of one chapter, or None if it has no coding exercise.

    ``glue`` holds the build's glued values, needed only when an exercise's text shows one (see
    :func:`infobandwidth.tools.editions.chapter_glue`).
    """
    import jupytext
    import nbformat

    from infobandwidth.tools.editions import _chapter_title
    from infobandwidth.tools.sphinx_site import myst_to_markdown

    path, root = Path(path), Path(root)
    nb = jupytext.read(path, fmt="md:myst")
    try:
        exs = coding_exercises(nb, points)
        setup = setup_cells(nb, exs)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    if not exs:
        return None
    labels = book_labels(root) if labels is None else labels
    title = _chapter_title(path)
    try:
        source = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        source = path.name
    total = sum(e.points for e in exs)
    new = nbformat.v4.new_notebook()
    new.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    new.metadata["language_info"] = {"name": "python"}
    intro = nbformat.v4.new_markdown_cell(INTRO.format(name=assignment_name(path), title=title,
                                                       total=total, s="s" if total != 1 else "",
                                                       source=source))
    intro.metadata.update(_nbgrader_meta("intro", locked=True))
    cells = [intro]
    by_stub = {e.stub: e for e in exs}
    for i in sorted(set(setup) | set(by_stub)):
        if i in setup:
            cell = nbformat.v4.new_code_cell(nb.cells[i].source)
            cell.metadata.update(_nbgrader_meta(f"setup-{i:03d}", locked=True))
            cells.append(cell)
            continue
        e = by_stub[i]
        text = f"## Exercise — {e.title} ({e.points} point{'s' if e.points != 1 else ''})\n\n{e.text}"
        md = nbformat.v4.new_markdown_cell(myst_to_markdown(text, glue, labels, where=str(path)))
        md.metadata.update(_nbgrader_meta(f"{e.label}-text", locked=True))
        solution = "\n\n".join(nb.cells[k].source.strip("\n") for k in e.solution)
        answer = nbformat.v4.new_code_cell(
            f"{nb.cells[e.stub].source.strip()}\n\n{BEGIN}\n{solution}\n{END}")
        answer.metadata.update(_nbgrader_meta(f"{e.label}-answer", solution=True))
        try:
            test_source = graded_check(nb.cells[e.check].source, e.label)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        test = nbformat.v4.new_code_cell(test_source)
        test.metadata.update(_nbgrader_meta(f"{e.label}-check", grade=True, locked=True,
                                            points=e.points))
        cells.extend([md, answer, test])
    new.cells = cells
    for idx, cell in enumerate(new.cells):  # stable ids: a file changes only when its chapter does
        cell["id"] = f"ib-{idx:03d}"
    nbformat.validate(new)
    return new


# ------------------------------------------------------------------------------------------------
# The course folder
# ------------------------------------------------------------------------------------------------

IB_CONFIG = f'''\
# Written by `python3 run.py assignments` (infobandwidth.tools.autograde) every time it runs:
# the settings the generated assignments rely on. Put your own settings in nbgrader_config.py.
c = get_config()  # noqa: F821
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ExecutePreprocessor.timeout = 300       # seconds per cell when autograding
c.Execute.timeout = 300
'''

USER_CONFIG = f'''\
# nbgrader's configuration for the course of "Information Bandwidth in Reinforcement Learning".
# Written once by `python3 run.py assignments`, then yours to edit: it is never overwritten.
c = get_config()  # noqa: F821
load_subconfig("ib_nbgrader_config.py")  # noqa: F821  (the settings the assignments rely on)

c.CourseDirectory.course_id = {COURSE_ID!r}
# On a JupyterHub, the folder through which assignments are released and collected, e.g.:
# c.Exchange.root = "/srv/nbgrader/exchange"
# The students, for `nbgrader db student import students.csv` or by hand:
# c.CourseDirectory.db_students = [dict(id="ada", first_name="Ada", last_name="Lovelace")]
'''


def write_config(course: Path) -> list[Path]:
    """Write ``ib_nbgrader_config.py`` (always) and ``nbgrader_config.py`` (if missing) in ``course``."""
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    ib = course / "ib_nbgrader_config.py"
    ib.write_text(IB_CONFIG, encoding="utf8")
    user = course / "nbgrader_config.py"
    if not user.exists():
        user.write_text(USER_CONFIG, encoding="utf8")
    return [ib, user]


def write_sources(root: Path, course: Path, chapters: list[Path] | None = None,
                  points: dict[str, int] | None = None, build: Path | None = None) -> list[Path]:
    """Write ``<course>/source/<assignment>/<stem>.ipynb`` for each chapter with coding exercises.

    Chapters default to every chapter of ``_toc.yml``. Returns the notebooks written.
    """
    import nbformat

    from infobandwidth.tools.editions import chapter_glue

    root, course = Path(root), Path(course)
    chapters = [Path(c) for c in chapters] if chapters else toc_chapters(root)
    labels = book_labels(root)
    written = []
    for path in chapters:
        if not path.exists():
            raise FileNotFoundError(f"no chapter {path}")
        glue = None
        if any(glue_roles(text) for text in _exercise_texts(path)):
            glue = chapter_glue(path, root, build)
        nb = source_notebook(path, root, points, labels, glue)
        if nb is None:
            continue
        dst = course / "source" / assignment_name(path) / f"{path.stem}.ipynb"
        dst.parent.mkdir(parents=True, exist_ok=True)
        text = nbformat.writes(nb)
        if not dst.exists() or dst.read_text(encoding="utf8") != text:
            dst.write_text(text, encoding="utf8")
        written.append(dst)
    return written


def _exercise_texts(path: Path) -> list[str]:
    """The texts (title and body) of the chapter's coding exercises: what the assignment shows."""
    import jupytext

    nb = jupytext.read(path, fmt="md:myst")
    return [f"{e.title}\n{e.text}" for e in coding_exercises(nb)]


def nbgrader(course: Path, *args: str, check: bool = True, quiet: bool = False):
    """Run ``nbgrader <args>`` in the course folder with this interpreter; returns the process.

    Raises ``RuntimeError`` with nbgrader's output when it fails and ``check`` is true.
    """
    # nbgrader runs `alembic` (installed beside it) when it creates the gradebook
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                          capture_output=True, text=True, env={**os.environ, "PATH": path})
    if not quiet:
        print(proc.stdout + proc.stderr, end="")
    if check and proc.returncode != 0:
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n"
                           f"{proc.stdout}{proc.stderr}")
    return proc


def generate_assignments(course: Path, names: list[str] | None = None, quiet: bool = False) -> None:
    """``nbgrader generate_assignment --force`` for ``names`` (default: every source folder)."""
    for pattern in (names or ["*"]):
        nbgrader(course, "generate_assignment", pattern, "--force", quiet=quiet)


def build_course(root: Path, course: Path, chapters: list[Path] | None = None,
                 points: dict[str, int] | None = None, build: Path | None = None,
                 quiet: bool = False) -> list[Path]:
    """Sources, configuration and nbgrader's release: the whole course folder. Returns the sources."""
    write_config(course)
    sources = write_sources(root, course, chapters, points, build)
    if sources:
        names = [s.parent.name for s in sources] if chapters else None
        generate_assignments(course, names, quiet=quiet)
    return sources


def _parse_points(items: list[str]) -> dict[str, int]:
    out = {}
    for item in items:
        label, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise ValueError(f"--points wants LABEL=N with N a whole number, got {item!r}")
        out[label.strip()] = int(value)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chapters", nargs="*", type=Path, help="chapter files (default: all of _toc.yml)")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the repository (holds _toc.yml)")
    p.add_argument("--course", type=Path, default=None,
                   help="the nbgrader course folder (default: <root>/_build/course)")
    p.add_argument("--build", type=Path, default=None,
                   help="the build whose glued numbers fill exercise texts, if any show one")
    p.add_argument("--points", action="append", default=[], metavar="LABEL=N",
                   help="points of one exercise, by its label (repeat for more)")
    args = p.parse_args(argv)
    course = (args.course or args.root / "_build" / "course").resolve()
    try:
        points = _parse_points(args.points)
        sources = build_course(args.root, course, [c.resolve() for c in args.chapters] or None,
                               points, args.build)
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"assignments: {exc}", file=sys.stderr)
        return 1
    print(f"{len(sources)} assignment{'s' if len(sources) != 1 else ''} in {course}: source/ "
          f"(with solutions), release/ (for "
          f"students, made by nbgrader generate_assignment), gradebook.db, nbgrader_config.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
