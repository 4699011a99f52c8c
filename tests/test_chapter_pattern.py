"""The teaching rules of CONTRIBUTING (items 3, 8 and 11) that make a chapter learnable.

- the Prerequisites admonition ends by pointing to the notation page and the glossary;
- every demo is followed by a "What to look for" admonition with at least one question;
- every exercise title starts with its difficulty (Warm-up, Core, Stretch);
- every chapter has a from-scratch coding exercise whose solution uses numpy, not the library;
- a code variable holding a joint distribution is never called ``J`` (``J`` is the objective);
- numbers in prose use ``{eval}`glued(...)``` , never ``{glue:text}`` (JupyterLab shows its key);
- every chapter pairs a visible sympy derivation (an ``assert`` on a sympy expression, item 6) with
  at least one widget demo, ``show(...)`` (item 8).

Each rule is also run on a small made-up chapter, once obeyed and once broken, so that a rule which
can no longer fail is noticed.
"""
from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest
from infobandwidth.tools.editions import directives, exercises, toc_chapters

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = toc_chapters(ROOT)
ids = dict(ids=lambda p: p.stem)

SYMBOLS_LINE = "Symbols and terms: {ref}`notation`, {ref}`glossary`."
LEVELS = ("Warm-up:", "Core:", "Stretch:")
LOOK = "What to look for"


def prerequisites_problem(nb) -> str | None:
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for d in directives(cell.source):
            if d.name == "admonition" and d.arg == "Prerequisites":
                last = [ln.strip() for ln in d.body.strip().splitlines()][-1]
                if last != SYMBOLS_LINE:
                    return f"the Prerequisites end with {last!r}, not {SYMBOLS_LINE!r}"
                return None
    return "no Prerequisites admonition"


def demo_prompt_problems(nb) -> list[str]:
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not re.search(r"^\s*show\(", cell.source, re.M):
            continue
        nxt = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if nxt is None or nxt.cell_type != "markdown":
            out.append(f"cell {i} shows a demo and is not followed by prose")
            continue
        found = [d for d in directives(nxt.source) if d.name == "admonition"]
        if not nxt.source.lstrip().startswith(":::{admonition} " + LOOK) or not found:
            out.append(f"cell {i}: the prose after the demo does not open with "
                       f"':::{{admonition}} {LOOK}'")
        elif "?" not in found[0].body:
            out.append(f"cell {i}: the '{LOOK}' admonition asks no question")
    return out


def exercise_titles(nb) -> dict[str, str]:
    titles = {}
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for d in directives(cell.source):
            if d.name == "exercise":
                titles[d.options.get("label", "")] = d.arg.strip()
    return titles


def from_scratch_problems(nb) -> list[str]:
    titles = exercise_titles(nb)
    scratch = [e for e in exercises(nb) if "from scratch" in titles.get(e.label, "").lower()]
    if not scratch:
        return ["no exercise titled '... from scratch ...'"]
    out = []
    for e in scratch:
        if not e.coding:
            out.append(f"{e.label} is titled from scratch but is not a coding exercise")
        for src in e.solution_code:
            if re.search(r"\bib\.|infobandwidth", src):
                out.append(f"{e.label}: the from-scratch solution calls the library")
    return out


def glue_roles(nb) -> list[str]:
    """Prose roles JupyterLab cannot show as numbers: {glue}, {glue:}, {glue:text} …"""
    return [m.group(0) for c in nb.cells if c.cell_type == "markdown"
            for m in re.finditer(r"\{glue(:[a-z]*)?\}`[^`]*`", c.source)]


HIDDEN = {"remove-cell", "remove-input", "hide-input"}


def _visible_code(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and not HIDDEN & set(c.metadata.get("tags", []))]


def sympy_derivations(nb) -> list[int]:
    """Visible code cells that assert on a sympy expression (CONTRIBUTING item 6).

    An assert counts when its line calls sympy (``sp.``) or a helper of the chapter whose body calls
    ``sp.simplify`` (e.g. ``zero(expr)``). Cells in an exercise's solution count: the book shows them
    (in a dropdown). Cells tagged remove-cell, remove-input or hide-input do not.
    """
    helpers = {m.group(1) for c in nb.cells if c.cell_type == "code"
               for m in re.finditer(r"^def (\w+)\(.*?(?=^\S|\Z)", c.source, re.M | re.S)
               if "sp.simplify" in m.group(0)}
    call = re.compile(r"\bsp\.\w" + "".join(rf"|\b{h}\(" for h in sorted(helpers)))
    return [i for i, c in _visible_code(nb)
            if any(call.search(ln) for ln in c.source.splitlines()
                   if re.match(r"\s*assert\b", ln))]


def demo_calls(nb) -> list[int]:
    """Visible code cells that show a widget demo (CONTRIBUTING item 8)."""
    return [i for i, c in _visible_code(nb) if re.search(r"^\s*show\(", c.source, re.M)]


def joint_named_j(nb) -> list[str]:
    return [f"cell {i}" for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and re.search(r"^\s*J\s*=\s*(ib\.)?(Joint|joint_from)", c.source, re.M)]


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_prerequisites_point_to_notation_and_glossary(chapter):
    problem = prerequisites_problem(jupytext.read(chapter))
    assert problem is None, f"{chapter.name}: {problem}"


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_every_demo_has_a_what_to_look_for_prompt(chapter):
    problems = demo_prompt_problems(jupytext.read(chapter))
    assert not problems, f"{chapter.name}: " + "; ".join(problems)


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_exercise_titles_state_their_difficulty(chapter):
    titles = exercise_titles(jupytext.read(chapter))
    bad = {k: v for k, v in titles.items() if not v.startswith(LEVELS)}
    assert titles and not bad, (
        f"{chapter.name}: exercise titles must start with one of {LEVELS}; not: {bad}")


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_a_from_scratch_exercise_in_numpy(chapter):
    problems = from_scratch_problems(jupytext.read(chapter))
    assert not problems, f"{chapter.name}: " + "; ".join(problems)


PAGES = sorted({*CHAPTERS, *ROOT.glob("book/*.md")})


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_prose_numbers_are_eval_roles_that_jupyterlab_shows(page):
    roles = glue_roles(jupytext.read(page))
    assert not roles, (f"{page.name}: write {{eval}}`glued(\"key\", \".3f\")` instead of "
                       f"{roles[:3]} (JupyterLab shows a glue role's key, not its number)")


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_a_visible_sympy_derivation(chapter):
    assert sympy_derivations(jupytext.read(chapter)), (
        f"{chapter.name}: no visible code cell asserts on a sympy expression; derive one result of "
        f"the chapter in sympy and check it with `assert sp.simplify(lhs - rhs) == 0` (item 6)")


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_a_widget_demo(chapter):
    assert demo_calls(jupytext.read(chapter)), (
        f"{chapter.name}: no `show(demo)` cell; define a Demo in "
        f"infobandwidth.book.figures.<topic> and show it (item 8)")


@pytest.mark.parametrize("chapter", CHAPTERS, **ids)
def test_j_is_the_objective_not_a_joint(chapter):
    assert not joint_named_j(jupytext.read(chapter)), (
        f"{chapter.name}: a variable holding a joint is called J (call it joint)")


# --- the rules on a small made-up chapter ---------------------------------------------------------

GOOD = '''---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# 9.9 Made up

:::{admonition} Prerequisites
:class: note
Nothing.
Symbols and terms: {ref}`notation`, {ref}`glossary`.
:::

```{code-cell} ipython3
import sympy as sp
x = sp.Symbol("x")
assert sp.simplify(sp.sin(x)**2 + sp.cos(x)**2 - 1) == 0
```

```{code-cell} ipython3
show(demo)
```

:::{admonition} What to look for
:class: tip
- Move the slider. Does the bar grow?
:::

```{exercise} Core: entropy from scratch
:label: ex-made-up
Compute it.
```

```{code-cell} ipython3
:tags: [exercise-stub]
def answer():
    raise NotImplementedError("ex-made-up: do it")
```

```{solution-start} ex-made-up
:class: dropdown
```

```{code-cell} ipython3
import numpy as np
def answer():
    return -np.sum(np.array([0.5, 0.5]) * np.log2([0.5, 0.5]))
```

```{solution-end}
```

```{code-cell} ipython3
:tags: [exercise-check]
check("made/up", answer())
```
'''


def _text_nb(text):
    return jupytext.reads(text, fmt="md:myst")


def test_the_rules_pass_a_chapter_that_obeys_them():
    nb = _text_nb(GOOD)
    assert prerequisites_problem(nb) is None
    assert demo_prompt_problems(nb) == []
    assert exercise_titles(nb) == {"ex-made-up": "Core: entropy from scratch"}
    assert from_scratch_problems(nb) == []
    assert joint_named_j(nb) == []
    assert glue_roles(nb) == []
    assert sympy_derivations(nb) and demo_calls(nb)


@pytest.mark.parametrize("old, new, rule", [
    ("Symbols and terms: {ref}`notation`, {ref}`glossary`.\n", "", prerequisites_problem),
    (":::{admonition} What to look for", ":::{admonition} Notes", demo_prompt_problems),
    ("Does the bar grow?", "The bar grows.", demo_prompt_problems),
    ("Core: entropy from scratch", "Entropy, from scratch", "titles"),
    ("Core: entropy from scratch", "Core: entropy", from_scratch_problems),
    ("    return -np.sum", "    import infobandwidth as ib\n    return -np.sum",
     from_scratch_problems),
    ("show(demo)", "J = ib.Joint(p, names)\nshow(demo)", joint_named_j),
    ("Compute it.", "Compute {glue:text}`h:.3f` bits.", glue_roles),
    ("assert sp.simplify(", "sp.simplify(", "no derivation"),
    ("```{code-cell} ipython3\nimport sympy", "```{code-cell} ipython3\n:tags: [remove-cell]\nimport sympy",
     "no derivation"),
    ("```{code-cell} ipython3\nimport sympy", "```{code-cell} ipython3\n:tags: [hide-input]\nimport sympy",
     "no derivation"),
    ("```{code-cell} ipython3\nshow(demo)", "```{code-cell} ipython3\n# show(demo)", "no demo"),
    ("```{code-cell} ipython3\nshow(demo)", "```{code-cell} ipython3\n:tags: [remove-cell]\nshow(demo)",
     "no demo"),
])
def test_each_rule_fails_a_chapter_that_breaks_it(old, new, rule):
    assert old in GOOD
    nb = _text_nb(GOOD.replace(old, new))
    if rule == "titles":
        assert not all(v.startswith(LEVELS) for v in exercise_titles(nb).values())
    elif rule == "no derivation":
        assert sympy_derivations(nb) == []
    elif rule == "no demo":
        assert demo_calls(nb) == []
    else:
        assert rule(nb), f"{rule.__name__} did not notice {new!r}"


def test_a_helper_that_simplifies_counts_as_a_derivation():
    check = "assert sp.simplify(sp.sin(x)**2 + sp.cos(x)**2 - 1) == 0"
    helper = ("def zero(expr):\n    return sp.simplify(expr) == 0\n\n\n"
              "assert zero(sp.sin(x)**2 + sp.cos(x)**2 - 1)")
    assert sympy_derivations(_text_nb(GOOD.replace(check, helper)))
    numeric = "def zero(expr):\n    return expr == 0\n\n\nassert zero(x - x)"
    assert sympy_derivations(_text_nb(GOOD.replace(check, numeric))) == []
