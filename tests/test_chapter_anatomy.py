"""Every chapter in _toc.yml has the anatomy CONTRIBUTING.md describes (items 3, 9, 11 and 12).

- `Learning objectives` and `Prerequisites` admonitions right after the title, before any code;
- `Key takeaways` as the very end of the chapter;
- at least three `{exercise}` blocks with a label, each followed by its solution in a dropdown;
- at least one coding exercise, and every coding exercise in the shape the editions rely on: a code
  cell tagged `exercise-stub` that raises `NotImplementedError("<label>: ...")`, the solution between
  `{solution-start}` and `{solution-end}` redefining the stub's names, then a code cell tagged
  `exercise-check` calling `check("<registered id>", ...)`.

And item 9 (with 6): the code a reader sees teaches. `glue(...)` calls and asserts that the prose
still matches the numbers run in cells tagged `remove-cell`; at most `PLUMBING_SHARE` of a chapter's
visible code lines are such plumbing (the rule is in `plumbing_lines`).

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


# --- item 9: glue and prose-checking asserts live in removed cells -------------------------------

PLUMBING_SHARE = 0.10
HIDDEN_TAGS = {"remove-cell", "remove-input"}
DERIVATION_NAMES = {"sp", "sympy"}
SIMPLIFIERS = {"simplify", "expand", "expand_log", "factor", "cancel", "equals"}
DERIVATION_CALLS = SIMPLIFIERS | {"subs"}


def _called(node: ast.AST) -> set[str]:
    return {n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", None)
            for n in ast.walk(node) if isinstance(n, ast.Call)}


def _is_derivation(node: ast.AST, helpers: set[str]) -> bool:
    return (any(isinstance(n, ast.Name) and n.id in DERIVATION_NAMES for n in ast.walk(node))
            or bool(_called(node) & (DERIVATION_CALLS | helpers)))


def _is_glue(node: ast.stmt) -> bool:
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    f = node.value.func
    return (f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)) == "glue"


def _blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [getattr(node, k) for k in ("body", "orelse", "finalbody") if getattr(node, k, None)]
    return blocks + [h.body for h in getattr(node, "handlers", [])]


def _is_plumbing(node: ast.stmt, helpers: set[str]) -> bool:
    if _is_glue(node):
        return True
    if isinstance(node, ast.Assert):
        return not _is_derivation(node, helpers)
    if isinstance(node, (ast.For, ast.While, ast.If, ast.With)):
        return all(_is_plumbing(s, helpers) for b in _blocks(node) for s in b)
    return False


def _plumbing_statements(stmts: list[ast.stmt], helpers: set[str]) -> set[int]:
    lines = set()
    for s in stmts:
        if _is_plumbing(s, helpers):
            lines.update(range(s.lineno, s.end_lineno + 1))
        else:
            for b in _blocks(s):
                lines |= _plumbing_statements(b, helpers)
    return lines


def _parse(source: str) -> ast.Module:
    """The cell as Python, IPython magics (`%...`, `!...`) blanked."""
    return ast.parse("\n".join("" if re.match(r"\s*[%!]", line) else line
                               for line in source.splitlines()))


def derivation_helpers(sources: list[str]) -> set[str]:
    """Functions a chapter defines whose body calls a sympy simplifier (e.g. its `is_zero(expr)`)."""
    return {node.name for src in sources for node in ast.walk(_parse(src))
            if isinstance(node, ast.FunctionDef) and _called(node) & SIMPLIFIERS}


def plumbing_lines(source: str, helpers: set[str] = frozenset()) -> tuple[list[str], list[str]]:
    """The code lines of one cell, and those among them that are plumbing.

    A *code line* is a line that is neither blank nor a comment (`# ...`); IPython magics count.
    A code line is *plumbing* if it belongs to (any physical line of) one of these statements,
    at any depth:

    - a call `glue(...)` (or `something.glue(...)`) used as a statement;
    - an `assert` that is not a derivation. An assert is a **derivation**, and stays visible, if it
      mentions the name `sp` or `sympy`, or calls sympy's `simplify`, `expand`, `expand_log`, `factor`,
      `cancel`, `equals` or `subs`, or one of `helpers` (the chapter's own sympy checks, see
      `derivation_helpers`): e.g. `assert sp.simplify(lhs - rhs) == 0`, `assert is_zero(H - h(p))`, or a
      closed form `.subs(...)` compared with the library. Every other assert
      (`assert 0.4 < share < 0.5`, `assert abs(x - y) < 1e-12`, `assert result.verdict == "holds"`)
      checks that the numbers still say what the prose says: bookkeeping;
    - a `for`/`while`/`if`/`with` whose body holds only plumbing (the header counts too).
    """
    raw = source.splitlines()
    code = [i for i, line in enumerate(raw, 1) if line.strip() and not line.strip().startswith("#")]
    plumbing = _plumbing_statements(_parse(source).body, set(helpers))
    return [raw[i - 1] for i in code], [raw[i - 1] for i in code if i in plumbing]


def plumbing_share(chapter) -> tuple[int, list[str]]:
    """(visible code lines, the plumbing lines among them) of a chapter.

    Visible cells are the code cells not tagged `remove-cell` or `remove-input` (`hide-input` cells
    are visible: one click shows them)."""
    cells = [c for c in _nb(chapter).cells if c.cell_type == "code"]
    helpers = derivation_helpers([c.source for c in cells])
    visible, plumbing = 0, []
    for cell in cells:
        if HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
            continue
        code, plumb = plumbing_lines(cell.source, helpers)
        visible += len(code)
        plumbing += plumb
    return visible, plumbing


def test_plumbing_rule_on_a_small_chapter(tmp_path):
    chapter = tmp_path / "toy.md"
    chapter.write_text(
        "# Toy\n\n"
        "```{code-cell} ipython3\n"
        "def is_zero(e):\n"
        "    return simplify(e) == 0\n"
        "```\n\n"
        "```{code-cell} ipython3\n"
        "x = 0.45                       # computed\n"
        "assert sp.simplify(x - x) == 0\n"
        "assert is_zero(x - x)\n"
        "assert 0.4 < x < 0.5           # the text says about half\n"
        "glue('x', x,\n"
        "     display=False)\n"
        "for k in range(2):\n"
        "    glue(f'k{k}', k, display=False)\n"
        "```\n\n"
        "```{code-cell} ipython3\n"
        ":tags: [remove-cell]\n\n"
        "glue('y', x, display=False)\n"
        "```\n")
    visible, plumbing = plumbing_share(chapter)
    assert visible == 10
    assert plumbing == ["assert 0.4 < x < 0.5           # the text says about half",
                        "glue('x', x,", "     display=False)",
                        "for k in range(2):", "    glue(f'k{k}', k, display=False)"]


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_visible_code_is_mostly_not_glue_or_prose_checks(chapter):
    visible, plumbing = plumbing_share(chapter)
    share = len(plumbing) / max(visible, 1)
    assert share <= PLUMBING_SHARE, (
        f"{chapter.name}: {len(plumbing)} of {visible} visible code lines ({share:.0%}) are glue(...) "
        f"calls or asserts that the prose matches the numbers; at most {PLUMBING_SHARE:.0%}. Move them "
        "to a code cell tagged remove-cell right after the cell that computes the values (CONTRIBUTING, "
        "anatomy items 6 and 9). The lines:\n  " + "\n  ".join(plumbing))
