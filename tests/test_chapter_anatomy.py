"""Every chapter in _toc.yml has the anatomy CONTRIBUTING.md describes (items 3, 11 and 12).

- `Learning objectives` and `Prerequisites` admonitions right after the title, before any code;
- `Key takeaways` as the very end of the chapter;
- at least three `{exercise}` blocks with a label, each followed by its solution in a dropdown;
- at least one coding exercise, and every coding exercise in the shape the editions rely on: a code
  cell tagged `exercise-stub` that raises `NotImplementedError("<label>: ...")`, the solution between
  `{solution-start}` and `{solution-end}` redefining the stub's names, then a code cell tagged
  `exercise-check` calling `check("<registered id>", ...)`.

Chapters are the files under book/part*/ listed in _toc.yml (infobandwidth.tools.editions.toc_chapters).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import pytest
from infobandwidth.book.exercises import exercise_ids
from infobandwidth.tools.editions import directives, exercises, toc_chapters

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = toc_chapters(ROOT)
ids = dict(ids=lambda p: p.stem)


def _nb(chapter):
    return jupytext.read(chapter)


def test_the_toc_has_chapters():
    assert CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_objectives_and_prerequisites_open_the_chapter(chapter):
    nb = _nb(chapter)
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    head = "\n".join(c.source for c in nb.cells[:first_code] if c.cell_type == "markdown")
    head = head.split("\n## ", 1)[0]  # before the first section
    assert re.search(r"^# \S", head, re.M), f"{chapter.name}: the title comes first"
    titles = [d.arg for d in directives(head) if d.name == "admonition"]
    assert titles[:2] == ["Learning objectives", "Prerequisites"], (
        f"{chapter.name}: after the title, the admonitions 'Learning objectives' then "
        f"'Prerequisites' (before any code cell or section); found {titles}")
    objectives = next(d for d in directives(head) if d.arg == "Learning objectives")
    n_items = len(re.findall(r"^\s*[-*] ", objectives.body, re.M))
    assert 3 <= n_items <= 6, f"{chapter.name}: 3–5 learning objectives, found {n_items}"


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_key_takeaways_close_the_chapter(chapter):
    nb = _nb(chapter)
    last = nb.cells[-1]
    assert last.cell_type == "markdown", f"{chapter.name}: the chapter ends with a code cell"
    ds = directives(last.source)
    assert ds and ds[-1].name == "admonition" and ds[-1].arg == "Key takeaways", (
        f"{chapter.name}: the last block must be the 'Key takeaways' admonition")
    after = last.source.split("\n")[ds[-1].end + 1:]
    assert not "".join(after).strip(), f"{chapter.name}: text after the key takeaways: {after}"


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_at_least_three_exercises_each_with_a_solution(chapter):
    ex = exercises(_nb(chapter))
    assert len(ex) >= 3, f"{chapter.name}: {len(ex)} exercises, at least 3 needed"
    labels = [e.label for e in ex]
    assert all(labels) and len(set(labels)) == len(labels), f"{chapter.name}: labels {labels}"
    for e in ex:
        assert e.solution, f"{chapter.name}: {e.label} has no solution before the next exercise"
        assert e.solution_label == e.label, (
            f"{chapter.name}: the solution after {e.label} names {e.solution_label!r}")
        assert e.solution_class == "dropdown", f"{chapter.name}: {e.label}'s solution is not a dropdown"


def _defined_names(source: str) -> set[str]:
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                names.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def _stub_names(source: str) -> set[str]:
    """Functions of the stub whose body raises NotImplementedError."""
    out = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n)
                for n in ast.walk(node)):
            out.add(node.name)
    return out


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_coding_exercises_have_the_stub_solution_check_shape(chapter):
    ex = exercises(_nb(chapter))
    coding = [e for e in ex if e.coding]
    assert coding, f"{chapter.name}: no coding exercise (CONTRIBUTING item 11 asks for one)"
    known = set(exercise_ids())
    for e in coding:
        where = f"{chapter.name}, {e.label}"
        assert e.stub is not None, f"{where}: no code cell tagged exercise-stub after the exercise"
        assert re.search(r'raise NotImplementedError\(\s*[fr]?["\']' + re.escape(e.label) + ":",
                         e.stub_source), (
            f'{where}: the stub must raise NotImplementedError("{e.label}: ...")')
        assert e.solution_directive == "solution-start", (
            f"{where}: a coding exercise's solution goes between {{solution-start}} and "
            "{solution-end} (its code cells are removed from the student edition)")
        assert e.solution_code, f"{where}: the solution has no code cell"
        redefined = set().union(*(_defined_names(s) for s in e.solution_code))
        missing = _stub_names(e.stub_source) - redefined
        assert not missing, f"{where}: the solution does not redefine {sorted(missing)}"
        assert not any("check(" in s for s in e.solution_code), (
            f"{where}: call check() in the exercise-check cell, not in the solution")
        assert e.check is not None, (
            f"{where}: no code cell tagged exercise-check after {{solution-end}}")
        m = re.search(r'check\(\s*"([^"]+)"', e.check_source)
        assert m, f"{where}: the check cell must call check(\"<chapter>/<exercise>\", ...)"
        assert m.group(1) in known, f"{where}: {m.group(1)!r} is not a registered exercise id"
        assert e.stub < e.check
