"""Student and instructor editions (infobandwidth.tools.editions, `python3 run.py editions`).

Unit tests of the transformation on small synthetic MyST notebooks, then the real thing: both
editions of every chapter in _toc.yml are generated and executed without IB_BUILD (the live form
of the demos, as a student runs them). Each notebook is executed once, in one kernel, and every
test below reads those results; the notebooks run two at a time (the machine has two cores).

- instructor editions run cleanly, and every `exercise-check` cell says "Correct!";
- student editions run with errors allowed, and the only errors are the NotImplementedError of the
  stubs, raised from the check cells, one per coding exercise;
- no line of a solution (text or code) is left in a student edition;
- the text shows the numbers of the build, not glue roles: glued values are read from
  `_build/jupyter_execute/<doc>.glue.json` and formatted as on the site; two of them are computed
  here independently and looked for in both editions.
"""
from __future__ import annotations

import asyncio
import json
import math
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
from infobandwidth.tools.editions import (
    CHECK_TAG,
    STUB_TAG,
    chapter_glue,
    copy_site_notebooks,
    directives,
    edition_name,
    exercises,
    instructor_notebook,
    solution_text,
    strip_solutions_markdown,
    student_notebook,
    toc_chapters,
    write_editions,
)
from infobandwidth.tools.myst import GlueError
from test_site_downloads import KNOWN_NUMBERS, in_context

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
CHAPTERS = toc_chapters(ROOT)
#: Notebooks executed at the same time (one kernel each); the machine has two cores.
PARALLEL = int(os.environ.get("IB_EDITIONS_PARALLEL", "2"))


def myst(text: str):
    """A jupytext notebook from MyST text (front matter added)."""
    head = ("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
            "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n")
    return jupytext.reads(head + text, fmt="md:myst")


def all_text(nb) -> str:
    return "\n".join(c.source for c in nb.cells)


SYNTHETIC = '''
# 9.9 A synthetic chapter

Intro text.

```{exercise}
:label: ex-a

Explain it.
```

```{solution-start} ex-a
:class: dropdown
```

SECRET-A text of the first solution.

```{solution-end}
```

```{exercise}
:label: ex-b

Write `answer()`.
```

```{code-cell} ipython3
:tags: [exercise-stub]

def answer():
    raise NotImplementedError("ex-b: write answer()")
```

```{solution-start} ex-b
:class: dropdown
```

SECRET-B first paragraph.

```{code-cell} ipython3
secret_b1 = 41
```

SECRET-B between the code cells.

```{code-cell} ipython3
def answer():
    return secret_b1 + 1
```

SECRET-B last words.

```{solution-end}
```

```{code-cell} ipython3
:tags: [exercise-check]

print("check", answer())
```

Closing text.
'''


# ------------------------------------------------------------------------------ transformation

def test_student_drops_solution_text_and_nested_code_cells():
    nb = myst(SYNTHETIC)
    st = student_notebook(nb)
    text = all_text(st)
    assert "SECRET" not in text and "secret_b1" not in text
    assert "solution-start" not in text and "solution-end" not in text
    for kept in ("Intro text.", "Explain it.", "Write `answer()`.", "ex-b: write answer()",
                 'print("check", answer())', "Closing text."):
        assert kept in text
    tags = [c.metadata.get("tags", []) for c in st.cells if c.cell_type == "code"]
    assert tags == [[STUB_TAG], [CHECK_TAG]]
    assert all(c.source.strip() for c in st.cells), "no empty cells are left behind"


def test_instructor_keeps_everything_and_the_input_is_not_changed():
    nb = myst(SYNTHETIC)
    before = json.dumps(nb, sort_keys=True)
    ins = instructor_notebook(nb)
    student_notebook(nb)
    assert json.dumps(nb, sort_keys=True) == before, "the functions must not modify their input"
    assert all_text(ins) == all_text(nb)
    assert "SECRET-B last words." in all_text(ins)


def test_one_markdown_cell_with_exercise_text_and_solution_markers():
    cell = ("```{exercise}\n:label: ex-c\n\nDo it.\n```\n\n```{solution-start} ex-c\n:class: dropdown\n"
            "```\n\nSECRET-C.\n\n```{solution-end}\n```\n\nText after the solution.")
    out, still_open = strip_solutions_markdown(cell)
    assert still_open is None
    assert out == "```{exercise}\n:label: ex-c\n\nDo it.\n```\n\nText after the solution."
    # the same with colon fences, and the solution open across a cell boundary
    first, still_open = strip_solutions_markdown("Task.\n:::{solution-start} ex-d\n:::\nSECRET")
    assert (first, still_open) == ("Task.", "ex-d")
    second, still_open = strip_solutions_markdown("SECRET\n:::{solution-end}\n:::\nNext.", "ex-d")
    assert (second, still_open) == ("Next.", None)


def test_one_piece_solution_directives_and_code_blocks_inside_solutions():
    text = ("Keep 1.\n\n````{solution} ex-e\n:class: dropdown\n\nSECRET\n```python\nx = 1\n```\n"
            "````\n\nKeep 2.\n\n```{solution-start} ex-f\n```\nSECRET\n"
            "```text\n```{solution-end}\n```\nSECRET still\n```{solution-end}\n```\nKeep 3.")
    out, still_open = strip_solutions_markdown(text)
    assert still_open is None
    assert "SECRET" not in out
    assert out == "Keep 1.\n\nKeep 2.\n\nKeep 3."


def test_markers_inside_a_code_block_are_text():
    text = "How to write a solution:\n\n````md\n```{solution-start} ex-x\n```\nHi\n````\n\nEnd."
    out, still_open = strip_solutions_markdown(text)
    assert out == text and still_open is None


@pytest.mark.parametrize("text, message", [
    ("```{exercise}\n:label: ex-a\nA\n```\n```{solution-start} ex-a\n```\nnever closed", "no {solution-end}"),
    ("```{solution-end}\n```", "no {solution-start}"),
    ("```{solution-start} ex-a\n```\n```{solution-start} ex-b\n```", "inside the solution"),
])
def test_malformed_markers_are_errors(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        student_notebook(myst(text))


def test_solution_text_and_exercise_structure():
    nb = myst(SYNTHETIC)
    sols = solution_text(nb)
    assert len(sols) == 2
    assert "SECRET-A" in sols[0] and "solution-end" not in sols[0]
    assert "secret_b1 = 41" in sols[1] and "SECRET-B last words." in sols[1]
    ex = exercises(nb)
    assert [e.label for e in ex] == ["ex-a", "ex-b"]
    assert [e.coding for e in ex] == [False, True]
    assert ex[1].stub is not None and ex[1].check is not None and ex[1].solution
    assert "NotImplementedError" in ex[1].stub_source and "answer()" in ex[1].check_source
    assert [d.name for d in directives(nb.cells[0].source)][:1] == ["exercise"]


def test_edition_files(tmp_path):
    (tmp_path / "book" / "part9").mkdir(parents=True)
    chapter = tmp_path / "book" / "part9" / "synthetic.md"
    chapter.write_text(jupytext.writes(myst(SYNTHETIC), fmt="md:myst"))
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n"
                                       "  - caption: P\n    chapters:\n      - file: book/part9/synthetic\n")
    stale = tmp_path / "out" / "student" / "0-removed.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    written = write_editions(tmp_path, tmp_path / "out")
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == [
        "student/9.9-synthetic.ipynb", "instructor/9.9-synthetic.ipynb"]
    assert not stale.exists(), "editions of chapters no longer in the TOC are removed"
    st = nbformat.read(written[0], as_version=4)
    nbformat.validate(st)
    assert "jupytext" not in st.metadata and st.metadata["kernelspec"]["name"] == "python3"
    assert "Student edition" in st.cells[0].source and "book/part9/synthetic.md" in st.cells[0].source
    assert st.cells[1].metadata["tags"] == ["ib-setup"] and "_IB_LIB_ZIP" in st.cells[1].source
    assert [c.id for c in st.cells] == [f"ib-{i:03d}" for i in range(len(st.cells))]
    assert "SECRET" not in all_text(st)
    ins = nbformat.read(written[1], as_version=4)
    assert "SECRET-B last words." in all_text(ins) and "Instructor edition" in ins.cells[0].source
    assert edition_name(chapter) == "9.9-synthetic.ipynb"


GLUED = """
Over {glue:text}`n_tables:d` tables, {glue:text}`share:.1%` of them; H = {glue:text}`h:.3f` bits,
the verdict {glue}`verdict` ({glue:}`n_tables`). In Lab too: {eval}`glued("h", ".2f")` bits.

```python
{glue:text}`kept:d` in a code block stays as written
```

```{exercise}
:label: ex-g

Show that {glue:text}`h:.3f` is right.
```

```{solution-start} ex-g
:class: dropdown
```

Because {glue:text}`share:.1%`.

```{solution-end}
```
"""


def _glue_repo(tmp_path, text, values):
    """A repository with one chapter (``text``) and a build that glued ``values`` for it."""
    (tmp_path / "book" / "part9").mkdir(parents=True)
    chapter = tmp_path / "book" / "part9" / "glued.md"
    chapter.write_text(jupytext.writes(myst("# 9.8 Glued\n" + text), fmt="md:myst"))
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n"
                                       "  - caption: P\n    chapters:\n      - file: book/part9/glued\n")
    glue = tmp_path / "_build" / "jupyter_execute" / "book" / "part9" / "glued.glue.json"
    glue.parent.mkdir(parents=True)
    glue.write_text(json.dumps({k: {"output_type": "display_data", "metadata": {},
                                    "data": {"text/plain": v}} for k, v in values.items()}))
    return chapter, glue


def test_editions_fill_glue_roles_from_the_build(tmp_path):
    h = math.log2(5)
    chapter, _ = _glue_repo(tmp_path, GLUED, {"n_tables": "25", "share": "0.1234", "h": repr(h),
                                              "verdict": "'holds'"})
    st, ins = (nbformat.read(p, as_version=4) for p in write_editions(tmp_path, tmp_path / "out"))
    for nb in (st, ins):
        text = all_text(nb)
        assert f"Over {25:d} tables, {0.1234:.1%} of them; H = {h:.3f} bits," in text
        assert "the verdict holds (25)." in text  # strings lose their quotes, as on the site
        assert f"In Lab too: {h:.2f} bits." in text
        assert f"Show that {h:.3f} is right." in text
        assert "{glue:text}`kept:d` in a code block" in text
        assert text.count("{glue") == 1 and "{eval}" not in text  # only the one in the code block
    assert f"Because {0.1234:.1%}." in all_text(ins) and "Because" not in all_text(st)


def test_a_glue_key_missing_from_the_build_is_an_error(tmp_path):
    _glue_repo(tmp_path, GLUED, {"n_tables": "25", "share": "0.1234", "verdict": "'holds'"})
    with pytest.raises(GlueError, match=r"glued\.md: \{glue:text\}`h:\.3f` names the key 'h'"):
        write_editions(tmp_path, tmp_path / "out")
    assert not (tmp_path / "out" / "student" / "9.8-glued.ipynb").exists()


def test_an_eval_role_the_build_cannot_fill_is_an_error(tmp_path):
    _glue_repo(tmp_path, "Live: {eval}`n_tables + 1`.", {"n_tables": "25"})
    with pytest.raises(GlueError, match=r"\{eval\}`n_tables \+ 1`: a static notebook cannot evaluate"):
        write_editions(tmp_path, tmp_path / "out")


def test_editions_without_a_build_or_after_a_change_say_to_build(tmp_path):
    chapter, glue = _glue_repo(tmp_path, GLUED, {"n_tables": "25"})
    os.utime(chapter, (glue.stat().st_mtime + 10,) * 2)
    with pytest.raises(FileNotFoundError, match="changed after the build.*run.py editions"):
        chapter_glue(chapter, tmp_path)
    glue.unlink()
    with pytest.raises(FileNotFoundError, match="glued.glue.json is missing.*run.py editions"):
        chapter_glue(chapter, tmp_path)
    from infobandwidth.tools.editions import main
    assert main(["--root", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    chapter.write_text(jupytext.writes(myst("# 9.8 No numbers\nPlain text.\n"), fmt="md:myst"))
    assert chapter_glue(chapter, tmp_path) == {}  # nothing glued: no build needed


def test_site_notebooks_are_copied_under_edition_names(tmp_path):
    """`run.py notebooks` copies the site's .ipynb export of every TOC chapter."""
    (tmp_path / "book" / "part9").mkdir(parents=True)
    (tmp_path / "book" / "part9" / "synthetic.md").write_text(SYNTHETIC)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n"
                                       "  - caption: P\n    chapters:\n      - file: book/part9/synthetic\n")
    with pytest.raises(FileNotFoundError, match="build the site first"):
        copy_site_notebooks(tmp_path, tmp_path / "site", tmp_path / "nb")
    export = tmp_path / "site" / "_sources" / "book" / "part9" / "synthetic.ipynb"
    export.parent.mkdir(parents=True)
    export.write_text('{"cells": []}')
    assert copy_site_notebooks(tmp_path, tmp_path / "site", tmp_path / "nb") == [
        tmp_path / "nb" / "9.9-synthetic.ipynb"]


def test_run_py_editions_command(tmp_path):
    out = tmp_path / "editions"
    proc = subprocess.run([sys.executable, str(ROOT / "run.py"), "editions", "--out", str(out),
                           "book/part2/information-theory.md"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "student" / "2.3-information-theory.ipynb").exists()
    assert (out / "instructor" / "2.3-information-theory.ipynb").exists()


# ------------------------------------------------------------------------------ the real chapters

def test_there_are_chapters():
    assert CHAPTERS, "no chapter under book/part*/ in _toc.yml"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_solution_leaks_into_the_student_edition(chapter):
    nb = jupytext.read(chapter)
    text = all_text(student_notebook(nb))
    student_lines = {ln.strip() for ln in text.split("\n")}
    sols = solution_text(nb)
    assert len(sols) == len(exercises(nb)), "one solution per exercise"
    # a line unique to the solutions: every occurrence of it in the chapter is inside a solution
    everywhere = Counter(ln.strip() for ln in all_text(nb).split("\n"))
    in_solutions = Counter(ln.strip() for sol in sols for ln in sol.split("\n"))
    unique = {s for s, n in in_solutions.items()
              if n == everywhere[s] and len(s) >= 8 and not re.fullmatch(r"[\W_]+", s)}
    assert len(unique) >= len(sols), "each solution should have lines of its own"
    leaked = sorted(unique & student_lines)
    assert not leaked, f"solution lines in the student edition of {chapter.name}: {leaked[:5]}"
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.strip() and \
                any(cell.source in sol for sol in sols):
            assert cell.source not in text, f"solution code left in the student edition:\n{cell.source}"
    for e in exercises(nb):
        assert e.label in text, f"the exercise {e.label} itself must stay"
        if e.coding:
            assert e.stub_source in text and e.check_source in text


@pytest.mark.parametrize("chapter, key, fmt, value", KNOWN_NUMBERS, ids=[k[1] for k in KNOWN_NUMBERS])
def test_both_editions_show_the_glued_numbers(chapter, key, fmt, value, tmp_path):
    chapter = ROOT / chapter
    try:
        chapter_glue(chapter, ROOT, BUILD)
    except FileNotFoundError as exc:
        (pytest.fail if IN_CI else pytest.skip)(f"needs a fresh build: {exc}")
    want = in_context(chapter, key, fmt, value)
    for path in write_editions(ROOT, tmp_path, [chapter], BUILD):
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "markdown")
        assert "{glue" not in text, f"a glue role was left in {path}"
        assert want in text, f"{want!r} not in {path}"


# Execution ---------------------------------------------------------------------------------------

async def _run_all(jobs, parallel):
    from nbclient import NotebookClient

    sem = asyncio.Semaphore(parallel)
    results = {}

    async def run(key, nb, cwd, allow_errors):
        async with sem:
            t0 = time.perf_counter()
            client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=allow_errors,
                                    resources={"metadata": {"path": str(cwd)}})
            try:
                await client.async_execute()
                err = None
            except Exception as exc:  # reported by the tests, not here
                err = exc
            results[key] = (nb, err, time.perf_counter() - t0)

    await asyncio.gather(*(run(*job) for job in jobs))
    return results


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Both editions of every chapter, executed once: {(kind, chapter stem): (nb, error, seconds)}."""
    out = tmp_path_factory.mktemp("editions")
    try:
        write_editions(ROOT, out, build=BUILD)
    except FileNotFoundError as exc:
        (pytest.fail if IN_CI else pytest.skip)(f"the editions need a fresh build: {exc}")
    jobs = []
    for chapter in CHAPTERS:
        for kind in ("instructor", "student"):
            path = out / kind / edition_name(chapter)
            jobs.append(((kind, chapter.stem), nbformat.read(path, as_version=4), path.parent,
                         kind == "student"))
    jobs.sort(key=lambda j: j[0][1])
    saved = {k: os.environ.pop(k) for k in ("IB_BUILD", "MPLBACKEND") if k in os.environ}
    t0 = time.perf_counter()
    try:
        results = asyncio.run(_run_all(jobs, PARALLEL))
    finally:
        os.environ.update(saved)
    total = time.perf_counter() - t0
    report = {f"{k}/{c}": round(r[2], 1) for (k, c), r in sorted(results.items())}
    print(f"\n[editions] executed {len(jobs)} notebooks in {total:.0f} s "
          f"({PARALLEL} at a time): {report}")
    return results


def _outputs_text(cell) -> str:
    return "".join(o.get("text", "") if o.get("output_type") == "stream" else
                   json.dumps(o.get("data", {})) for o in cell.get("outputs", []))


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_instructor_edition_runs_and_every_check_passes(chapter, executed):
    nb, err, _ = executed[("instructor", chapter.stem)]
    assert err is None, f"the instructor edition of {chapter.name} raised:\n{err}"
    checks = [c for c in nb.cells if CHECK_TAG in c.metadata.get("tags", [])]
    coding = [e for e in exercises(jupytext.read(chapter)) if e.coding]
    assert len(checks) == len(coding)
    for cell in checks:
        assert "Correct!" in _outputs_text(cell), f"{cell.source!r} printed {_outputs_text(cell)!r}"


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_student_edition_stops_only_at_the_stubs(chapter, executed):
    nb, err, _ = executed[("student", chapter.stem)]
    assert err is None, f"the student edition of {chapter.name} failed to run:\n{err}"
    coding = [e for e in exercises(jupytext.read(chapter)) if e.coding]
    errors = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                errors.append((cell, o))
    for cell, o in errors:
        assert o["ename"] == "NotImplementedError", (
            f"{chapter.name}: a cell raised {o['ename']}: {o['evalue']}\n{cell.source}")
        assert CHECK_TAG in cell.metadata.get("tags", []), (
            f"{chapter.name}: NotImplementedError from a cell that is not an exercise check:\n"
            f"{cell.source}")
        label = o["evalue"].split(":", 1)[0]
        assert label in {e.label for e in coding}, (
            f"{chapter.name}: the stub's message should start with its exercise label, got "
            f"{o['evalue']!r}")
    assert sorted(o["evalue"].split(":", 1)[0] for _, o in errors) == sorted(e.label for e in coding)
    if coding:
        assert errors, f"{chapter.name} has coding exercises, so its student edition must stop at them"
