"""infobandwidth.tools.deps: which library modules a chapter runs, on a tiny fake package.

The fake package ``infobandwidth`` lives in tmp_path (its own ``lib/``) with a shared low module,
two leaf modules, a registry that loads a module by name, a lazy export table at the top level and
a subpackage walked with ``pkgutil``. Chapters are MyST notebooks in a fake book with a _toc.yml.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from infobandwidth.tools import deps

FRONT = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

LAZY_INIT = '''\
"""Fake top level with a lazy export table."""
_EXPORTS = {
    "entropy": "infobandwidth.core.measures",
    "draw_a": "infobandwidth.figs.a",
    "show_claim": "infobandwidth.claims",
}


def __getattr__(name):
    import importlib
    return getattr(importlib.import_module(_EXPORTS[name]), name)
'''

EAGER_INIT = '''\
from .core.measures import *  # noqa
from .claims import show_claim  # noqa
'''

MODULES = {
    "core/__init__.py": "",
    "core/base.py": "TOL = 1e-12\n",
    "core/measures.py": "from .base import TOL\n\ndef entropy(p):\n    return 0.0\n",
    "figs/__init__.py": "",
    "figs/a.py": "from infobandwidth.core.measures import entropy\n\ndef draw_a():\n    return 1\n",
    "figs/b.py": ("def draw_b():\n"
                  "    from ..core import base  # inside a function, relative\n"
                  "    return base.TOL\n"),
    "claims.py": ('import importlib\n\n_MODULES = ["infobandwidth.checks"]\n\n'
                  "def show_claim(i):\n    for m in _MODULES:\n        importlib.import_module(m)\n"),
    "checks.py": "X = 1\n",
    "exercises/__init__.py": "from ._registry import check\n",
    "exercises/_registry.py": ("import importlib, pkgutil\n\n"
                               "def check(i):\n    from infobandwidth import exercises as pkg\n"
                               "    for info in pkgutil.iter_modules(pkg.__path__):\n"
                               "        importlib.import_module(f'{pkg.__name__}.{info.name}')\n"),
    "exercises/ch1.py": "ANSWER = 1\n",
    "unused.py": "Y = 2\n",
}

CHAPTERS = {
    # uses a leaf figure module (and, through it, the shared low modules)
    "book/ch_a.md": "from infobandwidth.figs.a import draw_a\ndraw_a()\n",
    # a different leaf, imported as a module alias
    "book/ch_b.md": "import infobandwidth.figs.b as fb\nfb.draw_b()\n",
    # the top level only: ib.NAME through the lazy table
    "book/ch_top.md": "import infobandwidth as ib\nib.entropy([1.0])\n",
    # the claims registry (which loads infobandwidth.checks by name)
    "book/ch_claims.md": "%matplotlib inline\nimport infobandwidth as ib\nib.show_claim('x')\n",
    # exercises: the registry walks its package
    "book/ch_ex.md": "from infobandwidth.exercises import check\n",
    # no library at all
    "book/ch_plain.md": "x = 1 + 1\n",
}


def write_book(tmp_path: Path, init: str = LAZY_INIT) -> tuple[Path, deps.Lib]:
    pkg = tmp_path / "lib" / "infobandwidth"
    for rel, text in {"__init__.py": init, **MODULES}.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    toc = ["format: jb-book", "root: book/intro", "chapters:"]
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.md").write_text("# Intro\n\nNo code.\n")
    for rel, code in CHAPTERS.items():
        body = f"# {rel}\n\n```{{code-cell}} ipython3\n:tags: [hide-input]\n{code}```\n\nText.\n"
        (tmp_path / rel).write_text(FRONT + body)
        toc.append(f"- file: {rel[:-3]}")
    (tmp_path / "_toc.yml").write_text("\n".join(toc) + "\n")
    return tmp_path, deps.Lib(pkg)


def mods(lib, root, chapter):
    return {m.removeprefix("infobandwidth.") for m in deps.chapter_modules(lib, root / chapter)}


def edit(lib: deps.Lib, module_file: str) -> deps.Lib:
    path = lib.pkg_dir / module_file
    path.write_text(path.read_text() + "\n# edited\n")
    return deps.Lib(lib.pkg_dir)  # a fresh analysis, as a new build makes


def changed(before: dict, after: dict) -> set[str]:
    return {c for c in before if before[c] != after[c]}


def test_chapter_dependencies_follow_imports_aliases_and_the_lazy_table(tmp_path):
    root, lib = write_book(tmp_path)
    assert mods(lib, root, "book/ch_a.md") == {
        "infobandwidth", "figs", "figs.a", "core", "core.measures", "core.base"}
    # relative import inside a function, through a module alias
    assert mods(lib, root, "book/ch_b.md") == {"infobandwidth", "figs", "figs.b", "core", "core.base"}
    # ib.entropy -> the module of the lazy table only; the table's other targets are not loaded
    assert mods(lib, root, "book/ch_top.md") == {"infobandwidth", "core", "core.measures", "core.base"}
    # a string literal naming a module counts (importlib); the magic line does not break parsing
    assert mods(lib, root, "book/ch_claims.md") == {"infobandwidth", "claims", "checks"}
    # pkgutil.iter_modules(pkg.__path__): every module of the walked package
    assert mods(lib, root, "book/ch_ex.md") == {
        "infobandwidth", "exercises", "exercises._registry", "exercises.ch1"}
    assert mods(lib, root, "book/ch_plain.md") == set()
    assert [p.name for p in deps.toc_chapters(root)] == [f"{Path(c).name}" for c in CHAPTERS]


def test_a_leaf_change_invalidates_only_its_dependents(tmp_path):
    root, lib = write_book(tmp_path)
    before = deps.fingerprints(root, lib)
    assert changed(before, deps.fingerprints(root, edit(lib, "figs/a.py"))) == {"book/ch_a.md"}
    before = deps.fingerprints(root, deps.Lib(lib.pkg_dir))
    assert changed(before, deps.fingerprints(root, edit(lib, "figs/b.py"))) == {"book/ch_b.md"}
    before = deps.fingerprints(root, deps.Lib(lib.pkg_dir))
    assert changed(before, deps.fingerprints(root, edit(lib, "unused.py"))) == set()


def test_a_shared_low_module_invalidates_every_user(tmp_path):
    root, lib = write_book(tmp_path)
    before = deps.fingerprints(root, lib)
    assert changed(before, deps.fingerprints(root, edit(lib, "core/base.py"))) == {
        "book/ch_a.md", "book/ch_b.md", "book/ch_top.md"}


def test_a_module_loaded_by_name_counts(tmp_path):
    root, lib = write_book(tmp_path)
    before = deps.fingerprints(root, lib)
    assert changed(before, deps.fingerprints(root, edit(lib, "checks.py"))) == {"book/ch_claims.md"}
    before = deps.fingerprints(root, deps.Lib(lib.pkg_dir))
    assert changed(before, deps.fingerprints(root, edit(lib, "exercises/ch1.py"))) == {"book/ch_ex.md"}


def test_the_top_level_init_is_shared_by_every_chapter_that_uses_the_library(tmp_path):
    root, lib = write_book(tmp_path)
    before = deps.fingerprints(root, lib)
    after = deps.fingerprints(root, edit(lib, "__init__.py"))
    assert changed(before, after) == set(CHAPTERS) - {"book/ch_plain.md"}


def test_without_an_export_table_the_top_level_means_what_its_init_imports(tmp_path):
    root, lib = write_book(tmp_path, init=EAGER_INIT)
    # `import infobandwidth` runs the eager __init__: every chapter depends on what it imports
    for chapter in CHAPTERS:
        if chapter != "book/ch_plain.md":
            assert {"core.measures", "core.base", "claims", "checks"} <= mods(lib, root, chapter)
    before = deps.fingerprints(root, lib)
    # a leaf the __init__ does not import still invalidates only its own chapter
    assert changed(before, deps.fingerprints(root, edit(lib, "figs/a.py"))) == {"book/ch_a.md"}


def test_fingerprints_do_not_depend_on_where_the_book_is(tmp_path):
    a, lib_a = write_book(tmp_path / "a")
    b, lib_b = write_book(tmp_path / "b")
    assert deps.fingerprints(a, lib_a) == deps.fingerprints(b, lib_b)


def test_unparsable_chapter_code_depends_on_everything(tmp_path):
    root, lib = write_book(tmp_path)
    bad = root / "book" / "ch_bad.md"
    bad.write_text(FRONT + "```{code-cell} ipython3\nfrom infobandwidth.figs import (\n```\n")
    assert deps.chapter_modules(lib, bad) == set(lib.modules)


def test_remove_cache_records_removes_only_the_given_chapters(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from jupyter_cache import get_cache

    root, _ = write_book(tmp_path)
    cache = get_cache(str(tmp_path / "cache"))
    for i, rel in enumerate(["book/ch_a.md", "book/ch_b.md"]):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {i}", outputs=[])])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        from jupyter_cache.base import CacheBundleIn
        cache.cache_notebook_bundle(CacheBundleIn(nb, str(root / rel)), check_validity=False)
    assert deps.cached_uris(tmp_path / "cache") == {root / "book/ch_a.md", root / "book/ch_b.md"}
    removed = deps.remove_cache_records(tmp_path / "cache", [root / "book" / "ch_a.md"])
    assert len(removed) == 1
    assert deps.cached_uris(tmp_path / "cache") == {root / "book/ch_b.md"}
    assert deps.remove_cache_records(tmp_path / "missing", [root / "book/ch_a.md"]) == []


def test_the_book_itself_is_analysable():
    root = Path(__file__).resolve().parents[1]
    fps = deps.fingerprints(root)
    assert fps and all(len(v) == 64 for v in fps.values())


def test_the_memo_of_an_earlier_run_is_reused_only_for_unchanged_files(tmp_path):
    root, lib = write_book(tmp_path)
    first = deps.fingerprints(root, lib)
    memo = json.loads(json.dumps(lib.memo_out()))  # as stored in _build/.lib-deps.json
    again = deps.Lib(lib.pkg_dir, memo=memo)
    assert deps.fingerprints(root, again) == first
    # a module that gains an import is analysed afresh: the new dependency is seen
    (lib.pkg_dir / "figs" / "a.py").write_text("import infobandwidth.unused\n")
    edited = deps.Lib(lib.pkg_dir, memo=memo)
    assert "unused" in mods(edited, root, "book/ch_a.md")
    # a new module changes the layout: the whole memo is dropped
    (lib.pkg_dir / "core" / "new.py").write_text("Z = 0\n")
    assert deps.Lib(lib.pkg_dir, memo=memo)._memo("modules", "x") is None
