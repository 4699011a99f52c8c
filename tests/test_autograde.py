"""Autograded assignments (infobandwidth.tools.autograde, `python3 run.py assignments`).

Unit tests of the generator on small synthetic MyST chapters, then nbgrader itself on the real
chapters: `run.py assignments` builds a course folder (nbgrader's `generate_assignment` makes the
release), three students submit, and one `nbgrader autograde` grades them all:

- "instructor" submits the source notebooks (solutions in): full points, every test cell;
- "blank" submits the release untouched: zero points, and autograde still records every submission;
- "wrong" submits the source with the first exercise's answer deliberately wrong (its numbers
  scaled): zero for that exercise, full points for the others.

The scores are read back from nbgrader's gradebook; the expected totals come from the points the
generator wrote in the notebooks' metadata, not from nbgrader. The course is generated for every
chapter (the release is checked for all of them); the grading loop, about 25 s of nbgrader work per
chapter and student on a loaded machine, runs on three chapters (DEFAULT_GRADED);
IB_AUTOGRADE_CHAPTERS=all (or stem,stem,...) changes that.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import jupytext
import nbformat
import pytest
from infobandwidth.tools.autograde import (
    BEGIN,
    CODE_STUB,
    END,
    assignment_name,
    cell_names,
    coding_exercises,
    exercise_points,
    graded_check,
    nbgrader,
    setup_cells,
    source_notebook,
    write_config,
)
from infobandwidth.tools.editions import exercises, solution_text, toc_chapters

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [c for c in toc_chapters(ROOT) if any(e.coding for e in exercises(jupytext.read(c)))]
#: The chapters of the grading loop: three with different shapes of exercise (two, three, and a
#: check on an expression rather than on one call). IB_AUTOGRADE_CHAPTERS=all grades every chapter.
DEFAULT_GRADED = ("information-theory", "data-processing", "policy-gradient-learning")
_ONLY = os.environ.get("IB_AUTOGRADE_CHAPTERS", ",".join(DEFAULT_GRADED))
GRADED = [c for c in CHAPTERS if _ONLY == "all" or c.stem in _ONLY.split(",")]


def myst(text: str):
    head = ("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
            "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n")
    return jupytext.reads(head + text, fmt="md:myst")


SYNTHETIC = '''
(ch-syn)=
# 9.9 A synthetic chapter

```{code-cell} ipython3
%matplotlib inline
import numpy as np
from infobandwidth.book.exercises import check
```

```{code-cell} ipython3
SCALE = 2.0
demo_only = np.arange(3)   # a demo the exercises do not need
```

```{code-cell} ipython3
unrelated = demo_only.sum()
```

```{exercise} Warm-up: explain it
:label: ex-s-concept
Say why, with {ref}`ch-syn`.
```

```{solution-start} ex-s-concept
:class: dropdown
```

```{code-cell} ipython3
SCALE = -1.0   # a solution cell of a conceptual exercise: never set-up for the assignment
```

```{solution-end}
```

```{exercise} Core: double it, from scratch
:label: ex-s-double
Return `SCALE` times 21.
```

```{code-cell} ipython3
:tags: [exercise-stub]

def answer():
    raise NotImplementedError("ex-s-double: return SCALE * 21")
```

```{solution-start} ex-s-double
:class: dropdown
```

SECRET prose of the solution.

```{code-cell} ipython3
def answer():
    return SCALE * 21   # SECRET-CODE
```

```{solution-end}
```

```{code-cell} ipython3
:tags: [exercise-check]

check("x/y", answer());
```
'''


# ------------------------------------------------------------------------------ the generator

def test_graded_check_asserts_each_top_level_check_and_keeps_other_lines():
    src = 'H_run = observer_entropies(**run)\ncheck("a/b", (H_run[0],\n               H_run[8]));\n'
    out = graded_check(src, "ex-q")
    tree = ast.parse(out)
    asserts = [n for n in tree.body if isinstance(n, ast.Assert)]
    assert len(asserts) == 1 and asserts[0].test.func.id == "check"
    assert ast.dump(asserts[0].test) == ast.dump(ast.parse('check("a/b", (H_run[0], H_run[8]))',
                                                           mode="eval").body)
    assert "ex-q" in ast.literal_eval(asserts[0].msg)
    assert "H_run = observer_entropies(**run)" in out
    assert out.startswith("from infobandwidth.book.exercises import check\n")
    # a check inside an expression is not a graded statement; no graded statement is an error
    with pytest.raises(ValueError, match="no top-level check"):
        graded_check("ok = check('a/b', 1)\nprint(ok)", "ex-q")


def test_the_graded_check_fails_exactly_when_check_returns_false():
    code = graded_check('check("a/b", answer());', "ex-q")
    for verdict, raises in ((True, False), (False, True)):
        env = {"answer": lambda: 1}
        import infobandwidth.book.exercises as ex
        saved = ex.check
        ex.check = lambda _id, _answer, v=verdict: v
        try:
            if raises:
                with pytest.raises(AssertionError, match="ex-q: not right yet"):
                    exec(code, env)
            else:
                exec(code, env)
        finally:
            ex.check = saved


def test_points_from_difficulty_and_overrides():
    assert [exercise_points(t, "ex") for t in ("Warm-up: a", "Core: b", "Stretch: c", "No label")] \
        == [1, 2, 3, 1]
    assert exercise_points("Core: b", "ex-b", {"ex-b": 7}) == 7
    with pytest.raises(ValueError, match="non-negative integer"):
        exercise_points("Core: b", "ex-b", {"ex-b": -1})
    from infobandwidth.tools.autograde import _parse_points
    assert _parse_points(["ex-a=3", "ex-b = 0"]) == {"ex-a": 3, "ex-b": 0}
    with pytest.raises(ValueError, match="LABEL=N"):
        _parse_points(["ex-a:3"])


def test_cell_names_reads_statement_by_statement():
    defined, used = cell_names("%matplotlib inline\nx = np.ones(3)\ny = x + z\nx += w\n"
                               "def f(a):\n    return a + g(a)\n[k * h for k in range(2)]")
    assert defined == {"x", "y", "f"}
    assert used == {"np", "z", "w", "g", "h"}   # get_ipython, range: not the chapter's business


def test_setup_slice_takes_what_the_exercises_need_and_nothing_else():
    nb = myst(SYNTHETIC)
    exs = coding_exercises(nb)
    assert [(e.label, e.points) for e in exs] == [("ex-s-double", 2)]
    taken = [nb.cells[i].source for i in setup_cells(nb, exs)]
    assert len(taken) == 2
    assert taken[0].startswith("%matplotlib inline") and taken[1].startswith("SCALE = 2.0")
    assert not any("unrelated" in s or "SCALE = -1.0" in s for s in taken)


def test_source_notebook_cells_and_nbgrader_metadata(tmp_path):
    (tmp_path / "book" / "part9").mkdir(parents=True)
    chapter = tmp_path / "book" / "part9" / "syn.md"
    chapter.write_text(jupytext.writes(myst(SYNTHETIC), fmt="md:myst"))
    nb = source_notebook(chapter, tmp_path)
    nbformat.validate(nb)
    meta = [c.metadata["nbgrader"] for c in nb.cells]
    ids = [m["grade_id"] for m in meta]
    assert len(set(ids)) == len(ids)
    answer = next(c for c in nb.cells if c.metadata["nbgrader"]["solution"])
    assert answer.source.index("raise NotImplementedError") < answer.source.index(BEGIN) \
        < answer.source.index("SECRET-CODE") < answer.source.index(END)
    assert not answer.metadata["nbgrader"]["locked"]
    graded = [c for c in nb.cells if c.metadata["nbgrader"]["grade"]]
    assert len(graded) == 1 and graded[0].metadata["nbgrader"]["points"] == 2
    assert graded[0].metadata["nbgrader"]["locked"] and "assert check(" in graded[0].source
    assert all(m["locked"] for m in meta if not m["solution"])
    text = "\n".join(c.source for c in nb.cells)
    assert "SECRET prose" not in text and "ex-s-concept" not in text and "unrelated" not in text
    assert "{ref}" not in text and "Core: double it, from scratch (2 points)" in text
    assert assignment_name(chapter) == "9.9-syn"


def test_config_is_written_once_then_left_to_the_instructor(tmp_path):
    ib, user = write_config(tmp_path)
    assert CODE_STUB in ib.read_text() and 'load_subconfig("ib_nbgrader_config.py")' in user.read_text()
    user.write_text(user.read_text() + "\n# mine\n")
    write_config(tmp_path)
    assert user.read_text().endswith("# mine\n")


def test_every_chapter_with_coding_exercises_makes_a_valid_source():
    assert CHAPTERS, "no chapter has coding exercises"
    for chapter in CHAPTERS:
        nb = source_notebook(chapter, ROOT)
        n = sum(e.coding for e in exercises(jupytext.read(chapter)))
        assert sum(c.metadata["nbgrader"]["grade"] for c in nb.cells) == n, chapter.name


# ------------------------------------------------------------------------------ nbgrader itself

def _points(nb) -> dict[str, int]:
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


WRONG = '''

# --- deliberately wrong (tests/test_autograde.py): the right answer, its numbers scaled
def _ib_wrong(value):
    import numpy as _np
    if isinstance(value, dict):
        return {k: _ib_wrong(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_ib_wrong(v) for v in value)
    try:
        return _np.asarray(value, dtype=float) * 1.5 + 1.0
    except (TypeError, ValueError):
        return None


_ib_right = {name}


def {name}(*args, **kwargs):
    return _ib_wrong(_ib_right(*args, **kwargs))
'''


def _make_wrong(nb):
    """The source notebook with its first exercise answered wrong; returns (nb, that grade id)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for test in (c for c in nb.cells if c.metadata["nbgrader"]["grade"]):
        tree = ast.parse(test.source)
        call = next(n.test for n in tree.body if isinstance(n, ast.Assert))
        arg = call.args[1]
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name):
            label = test.metadata["nbgrader"]["grade_id"].removesuffix("-check")
            answer = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == f"{label}-answer")
            answer.source += WRONG.replace("{name}", arg.func.id)
            return nb, test.metadata["nbgrader"]["grade_id"]
    raise AssertionError("no exercise whose check calls one function")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """`run.py assignments` into a fresh course folder: every chapter."""
    course = tmp_path_factory.mktemp("course")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "run.py"), "assignments", "--course",
                           str(course)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in (course / "release").iterdir()) == \
        sorted(assignment_name(c) for c in CHAPTERS)
    print(f"\n[autograde] run.py assignments for {len(CHAPTERS)} chapters: "
          f"{time.perf_counter() - t0:.0f} s")
    return course


@pytest.fixture(scope="module")
def graded(course):
    """Three students submit every assignment; one `nbgrader autograde` grades them all."""
    from nbgrader.api import Gradebook

    wrong_ids = {}
    for chapter in GRADED:
        name = assignment_name(chapter)
        src = course / "source" / name / f"{chapter.stem}.ipynb"
        rel = course / "release" / name / f"{chapter.stem}.ipynb"
        for student, nb in (("instructor", nbformat.read(src, 4)),
                            ("blank", nbformat.read(rel, 4)),
                            ("wrong", None)):
            if nb is None:
                nb, wrong_ids[name] = _make_wrong(nbformat.read(src, 4))
            dst = course / "submitted" / student / name / src.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, dst)
    t0 = time.perf_counter()
    nbgrader(course, "autograde", "*", "--force", quiet=True)
    print(f"\n[autograde] nbgrader autograde of {3 * len(GRADED)} submissions: "
          f"{time.perf_counter() - t0:.0f} s")
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for chapter in GRADED:
            name = assignment_name(chapter)
            for student in ("instructor", "blank", "wrong"):
                sub = gb.find_submission_notebook(chapter.stem, name, student)
                scores[(name, student)] = {g.name: g.score for g in sub.grades}
    return scores, wrong_ids


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_release_is_nbgraders_and_has_no_solution(chapter, course):
    name = assignment_name(chapter)
    src = nbformat.read(course / "source" / name / f"{chapter.stem}.ipynb", 4)
    rel = nbformat.read(course / "release" / name / f"{chapter.stem}.ipynb", 4)
    rel_text = "\n".join(c.source for c in rel.cells)
    assert BEGIN not in rel_text and END not in rel_text
    answers = [c for c in rel.cells if c.metadata["nbgrader"]["solution"]]
    assert answers and all(CODE_STUB in c.source and "NotImplementedError" in c.source for c in answers)
    assert all("checksum" in c.metadata["nbgrader"] for c in rel.cells
               if c.metadata["nbgrader"]["locked"]), "nbgrader's generate_assignment made it"
    # every line unique to the chapter's solutions (text and code) is absent from the release
    chapter_nb = jupytext.read(chapter)
    everywhere = Counter(ln.strip() for c in chapter_nb.cells for ln in c.source.split("\n"))
    in_solutions = Counter(ln.strip() for s in solution_text(chapter_nb) for ln in s.split("\n"))
    unique = {s for s, n in in_solutions.items()
              if n == everywhere[s] and len(s) >= 8 and not re.fullmatch(r"[\W_]+", s)}
    src_text = "\n".join(c.source for c in src.cells)
    coding_unique = {s for s in unique if s in src_text}
    assert coding_unique, "the source should hold the coding solutions"
    rel_lines = {ln.strip() for ln in rel_text.split("\n")}
    assert not unique & rel_lines, sorted(unique & rel_lines)[:5]


@pytest.mark.slow
@pytest.mark.parametrize("chapter", GRADED, ids=lambda p: p.stem)
def test_autograde_scores(chapter, course, graded):
    scores, wrong_ids = graded
    name = assignment_name(chapter)
    points = _points(nbformat.read(course / "source" / name / f"{chapter.stem}.ipynb", 4))
    assert points and all(p > 0 for p in points.values())
    assert scores[(name, "instructor")] == points, "the solutions get full points"
    assert scores[(name, "blank")] == {k: 0 for k in points}, "the untouched release gets zero"
    wrong = wrong_ids[name]
    assert scores[(name, "wrong")] == {k: (0 if k == wrong else p) for k, p in points.items()}, \
        "a wrong answer loses its exercise's points only"


@pytest.mark.slow
def test_blank_submission_stops_at_the_stubs_not_elsewhere(course, graded):
    """The autograded blank notebooks: every test cell fails with the stub's NotImplementedError."""
    for chapter in GRADED:
        name = assignment_name(chapter)
        nb = nbformat.read(course / "autograded" / "blank" / name / f"{chapter.stem}.ipynb", 4)
        for cell in nb.cells:
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if cell.metadata["nbgrader"]["grade"]:
                assert errors, f"{name}: {cell.metadata['nbgrader']['grade_id']} did not fail"
            for o in errors:
                assert o["ename"] == "NotImplementedError", (name, o["ename"], o["evalue"])
                assert cell.metadata["nbgrader"]["grade"], f"{name}: a set-up cell failed"
