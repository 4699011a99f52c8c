"""Which library modules each chapter runs, and a fingerprint of them, for incremental rebuilds.

Jupyter Book's execution cache keys a chapter on its code cells only: an edit in ``lib/`` would leave
its outputs stale. This module finds, *statically*, the ``infobandwidth`` modules a chapter's code
executes, so a build re-executes exactly the chapters whose code or whose library changed:

1. **The chapter's own imports** (code cells of a MyST ``.md`` notebook or an ``.ipynb``):
   ``import infobandwidth.x.y``, ``import infobandwidth.x as m``, ``from infobandwidth.x import n``
   (``n`` a submodule or, for a lazy package, an entry of its export table), and attribute uses
   ``ib.NAME`` / ``ib.sub.NAME`` after ``import infobandwidth as ib``. Importing a module runs its
   parent packages' ``__init__`` too, so they count.
2. **Lazy export tables.** A package whose ``__init__.py`` has a module-level dict literal
   ``_EXPORTS = {"entropy": "infobandwidth.information.measures", ...}`` (resolved by a PEP 562
   ``__getattr__``) makes ``ib.entropy`` depend on that module only; the table's strings are *not*
   dependencies of the ``__init__`` itself. Without a table (an eager ``__init__`` that imports its
   submodules) ``ib.NAME`` depends on whatever that ``__init__`` imports — its closure, below —
   which is the whole package as ``import infobandwidth`` loads it.
3. **Closure over the library's own imports**: every ``import``/``from`` statement of each module
   reached (relative ones resolved, those inside functions included), every string literal that
   is exactly the name of an existing ``infobandwidth`` module (registries load modules by name
   through ``importlib``), and every submodule of a package whose ``__path__`` the code reads
   through a name bound to it (``pkgutil.iter_modules(pkg.__path__)`` after
   ``from infobandwidth import exercises as pkg``).

A chapter's **fingerprint** is the sha256 of the sorted (path, bytes) of the files of that closure,
paths relative to the folder holding the package, so a copy of the repository gives the same
fingerprints. Not tracked: data files the library reads, modules imported by a *computed* name
(``importlib.import_module(variable)``: e.g. ``demos.all_demos(package)``, which no chapter calls),
and modules a chapter imports from outside the package (e.g. a test fixture put on ``sys.path``).
A chapter whose code cannot be parsed depends on the whole package.

The book's Sphinx extension (:mod:`infobandwidth.tools.sphinx_site`) uses this on every build;
the command line shows the analysis::

    python -m infobandwidth.tools.deps                      # chapter -> fingerprint, modules
    python -m infobandwidth.tools.deps users infobandwidth.figures.intro   # chapters using it
    python -m infobandwidth.tools.deps leaves               # modules used by exactly one chapter
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from infobandwidth.tools.myst import toc_files

PACKAGE = "infobandwidth"
EXPORTS = "_EXPORTS"

__all__ = ["Lib", "chapter_code", "chapter_modules", "chapter_fingerprint", "fingerprint",
           "toc_chapters", "fingerprints", "remove_cache_records", "cached_uris"]


# ------------------------------------------------------------------------------------------------
# the library: module name -> file, parsed lazily
# ------------------------------------------------------------------------------------------------

@dataclass
class Lib:
    """The modules of one package on disk. ``pkg_dir`` is the package folder (``lib/infobandwidth``)."""

    pkg_dir: Path
    name: str = PACKAGE
    #: the analysis of an earlier run (:meth:`memo_out`), reused for files whose bytes did not change
    memo: dict | None = field(default=None, repr=False)
    modules: dict[str, Path] = field(default_factory=dict)
    _deps: dict[str, frozenset] = field(default_factory=dict, repr=False)
    _exports: dict[str, dict | None] = field(default_factory=dict, repr=False)
    _bytes: dict[str, bytes] = field(default_factory=dict, repr=False)
    _code: dict[str, frozenset] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.pkg_dir = Path(self.pkg_dir).resolve()
        if not (self.pkg_dir / "__init__.py").exists():
            raise ValueError(f"{self.pkg_dir} is not a package folder (no __init__.py)")
        for f in sorted(self.pkg_dir.rglob("*.py")):
            rel = f.relative_to(self.pkg_dir)
            if "__pycache__" in rel.parts or any(p.startswith(".") for p in rel.parts):
                continue
            parts = [self.name, *rel.with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            elif not (f.parent / "__init__.py").exists():
                continue  # a script in a folder that is not a package
            self.modules[".".join(parts)] = f

    @classmethod
    def find(cls, name: str = PACKAGE) -> "Lib":
        """The package that ``import name`` would load here (found without importing it)."""
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ValueError(f"package {name!r} is not importable")
        return cls(Path(list(spec.submodule_search_locations)[0]), name)

    @property
    def base(self) -> Path:
        """The folder that holds the package folder (paths in fingerprints are relative to it)."""
        return self.pkg_dir.parent

    def is_package(self, mod: str) -> bool:
        return self.modules.get(mod, Path()).name == "__init__.py"

    def with_parents(self, mod: str) -> set[str]:
        """``mod`` and the packages whose ``__init__`` importing it runs (those that exist)."""
        parts = mod.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & self.modules.keys()

    def exports(self, pkg: str) -> dict | None:
        """The lazy export table (name -> module) of package ``pkg``, or None if it has none."""
        if pkg not in self._exports:
            self._exports[pkg] = None
            if self.is_package(pkg):
                tree = _parse(self.read(pkg).decode("utf8"))
                node = _exports_node(tree) if tree is not None else None
                if node is not None:
                    table = {}
                    for k, v in zip(node.keys, node.values):
                        if isinstance(k, ast.Constant) and isinstance(v, ast.Constant) \
                                and isinstance(k.value, str) and isinstance(v.value, str):
                            table[k.value] = v.value
                    self._exports[pkg] = table
        return self._exports[pkg]

    def export_target(self, pkg: str, name: str) -> set[str]:
        """Modules that ``pkg.name`` loads through the lazy table (empty if not in a table)."""
        table = self.exports(pkg)
        target = table.get(name) if table else None
        if not target:
            return set()
        target = target.split(":")[0]
        while target and target not in self.modules:  # "pkg.module.object": keep the module
            target = target.rpartition(".")[0]
        return self.with_parents(target) if target else set()

    def read(self, mod: str) -> bytes:
        if mod not in self._bytes:
            self._bytes[mod] = self.modules[mod].read_bytes()
        return self._bytes[mod]

    def layout(self) -> str:
        """A key of what a module's analysis depends on besides its own bytes: which modules
        exist, and every package ``__init__`` (export tables)."""
        if not hasattr(self, "_layout"):
            h = hashlib.sha256("\n".join(sorted(self.modules)).encode())
            for mod in sorted(m for m in self.modules if self.is_package(m)):
                h.update(_sha(self.read(mod)).encode())
            self._layout = h.hexdigest()
        return self._layout

    def _memo(self, kind: str, key: str):
        memo = self.memo or {}
        if memo.get("layout") != self.layout():
            return None
        found = memo.get(kind, {}).get(key)
        if isinstance(found, list) and set(found) <= self.modules.keys():
            return frozenset(found)
        return None

    def direct_deps(self, mod: str) -> frozenset:
        """The modules that executing ``mod`` imports directly (statements and module-name strings)."""
        if mod not in self._deps:
            data = self.read(mod)
            found = self._memo("modules", f"{mod}:{_sha(data)}")
            if found is None:
                found = frozenset(source_deps(self, data.decode("utf8"), current=mod,
                                              is_package=self.is_package(mod)) - {mod})
            self._deps[mod] = found
        return self._deps[mod]

    def code_deps(self, code: str) -> frozenset:
        """:func:`source_deps` of a chapter's code, memoised on its bytes."""
        key = _sha(code.encode())
        if key not in self._code:
            found = self._memo("code", key)
            self._code[key] = found if found is not None else frozenset(source_deps(self, code))
        return self._code[key]

    def memo_out(self) -> dict:
        """This run's analysis, to pass as ``memo`` to the next run's :class:`Lib`."""
        return {"layout": self.layout(),
                "modules": {f"{m}:{_sha(self.read(m))}": sorted(d) for m, d in self._deps.items()},
                "code": {k: sorted(d) for k, d in self._code.items()}}

    def closure(self, roots) -> set[str]:
        """``roots`` and every library module they import, transitively."""
        seen: set[str] = set()
        todo = [m for r in roots for m in self.with_parents(r)]
        while todo:
            mod = todo.pop()
            if mod in seen:
                continue
            seen.add(mod)
            todo.extend(self.direct_deps(mod) - seen)
        return seen

    def everything(self) -> set[str]:
        return set(self.modules)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _exports_node(tree: ast.Module) -> ast.Dict | None:
    """The dict literal assigned to ``_EXPORTS`` at module level, if any."""
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == EXPORTS for t in targets) \
                and isinstance(node.value, ast.Dict):
            return node.value
    return None


def _resolve_relative(module: str | None, level: int, current: str | None, is_package: bool) -> str | None:
    if level == 0:
        return module
    if current is None:
        return None  # a relative import outside the package (a chapter): not ours
    parts = current.split(".") if is_package else current.split(".")[:-1]
    if level - 1 > len(parts) - 1:
        return None
    parts = parts[:len(parts) - (level - 1)]
    return ".".join(parts + ([module] if module else []))


def _attribute_chain(node: ast.Attribute) -> tuple[str, list[str]] | None:
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return node.id, attrs[::-1]
    return None


def source_deps(lib: Lib, source: str, current: str | None = None, is_package: bool = False) -> set[str]:
    """Library modules that executing ``source`` imports directly (parent packages included).

    ``current`` is the dotted name of the module the source belongs to (None for a chapter). If
    the source does not parse, the whole package.
    """
    tree = _parse(source)
    if tree is None:
        return lib.everything()
    deps: set[str] = set()
    aliases: dict[str, str] = {}  # local name -> library module it is bound to
    skip: set[int] = set()
    if current is not None and is_package and (table := _exports_node(tree)) is not None:
        skip = {id(v) for v in table.values}  # the lazy table's targets load on attribute access

    def use(mod: str) -> None:
        deps.update(lib.with_parents(mod))

    chains = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, (ast.Name, ast.Attribute)) and (chain := _attribute_chain(node)):
                chains.append(chain)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != lib.name:
                    continue
                use(alias.name)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    aliases[lib.name] = lib.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_relative(node.module, node.level, current, is_package)
            if not base or base.split(".")[0] != lib.name:
                continue
            use(base)
            for alias in node.names:
                if alias.name == "*":
                    continue  # names defined by `base`, already counted
                sub = f"{base}.{alias.name}"
                if sub in lib.modules:
                    use(sub)
                    aliases[alias.asname or alias.name] = sub
                else:
                    deps.update(lib.export_target(base, alias.name))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value in lib.modules and id(node) not in skip:
            use(node.value)
    for root, attrs in chains:
        mod = aliases.get(root)
        for attr in attrs if mod else []:
            if attr == "__path__":  # pkgutil.iter_modules(pkg.__path__): every submodule
                deps.update(m for m in lib.modules if m.startswith(mod + "."))
                break
            sub = f"{mod}.{attr}"
            if sub in lib.modules:
                use(sub)
                mod = sub
                continue
            deps.update(lib.export_target(mod, attr))
            break
    return deps


# ------------------------------------------------------------------------------------------------
# chapters
# ------------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*\{code-cell\}")
_MAGIC = re.compile(r"^(\s*)([%!?].*)$")


def chapter_cells(path: Path) -> list[str] | None:
    """The sources of the code cells of a chapter (MyST ``.md`` notebook or ``.ipynb``).

    None if the file is neither (not executed by the build).
    """
    path = Path(path)
    text = path.read_text(encoding="utf8")
    if path.suffix == ".ipynb":
        nb = json.loads(text)
        return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    if path.suffix != ".md" or not (text.startswith("---") and "kernelspec" in text[:2000]):
        return None
    cells, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        i += 1
        if not m:
            continue
        fence, body = m.group("fence"), []
        while i < len(lines) and not (lines[i].startswith(fence[0] * len(fence))
                                      and not lines[i].strip().strip(fence[0])):
            body.append(lines[i])
            i += 1
        i += 1
        if body and body[0].strip() == "---":  # YAML options block
            end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), 0)
            body = body[end + 1:]
        while body and re.match(r"^:[\w-]+:", body[0]):  # short options
            body = body[1:]
        cells.append("\n".join(body))
    return cells


def chapter_code(path: Path) -> str | None:
    """The chapter's code cells as one Python source (IPython magics and shell lines blanked)."""
    cells = chapter_cells(path)
    if cells is None:
        return None
    return "\n".join(_MAGIC.sub(r"\1pass", line) for cell in cells for line in cell.split("\n"))


def chapter_modules(lib: Lib, path: Path) -> set[str]:
    """Every library module executing the chapter imports (transitively)."""
    code = chapter_code(path)
    if not code:
        return set()
    return lib.closure(lib.code_deps(code))


def fingerprint(lib: Lib, modules) -> str:
    """sha256 of the sorted (path relative to the package's parent folder, bytes) of ``modules``."""
    h = hashlib.sha256()
    for rel, data in sorted((lib.modules[m].relative_to(lib.base).as_posix(), lib.read(m))
                            for m in modules):
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def chapter_fingerprint(lib: Lib, path: Path) -> str:
    return fingerprint(lib, chapter_modules(lib, path))


def toc_chapters(root: Path) -> list[Path]:
    """The source files of every entry of ``root/_toc.yml`` that the build executes (notebooks)."""
    return [p for p in toc_files(root) if chapter_cells(p) is not None]


def fingerprints(root: Path, lib: Lib | None = None, chapters=None) -> dict[str, str]:
    """chapter path relative to ``root`` (posix) -> fingerprint, for every chapter of the TOC."""
    root = Path(root).resolve()
    lib = lib or Lib.find()
    chapters = toc_chapters(root) if chapters is None else chapters
    return {Path(c).resolve().relative_to(root).as_posix(): chapter_fingerprint(lib, c) for c in chapters}


# ------------------------------------------------------------------------------------------------
# the jupyter-cache
# ------------------------------------------------------------------------------------------------

def cached_uris(cache_path: Path) -> set[Path]:
    """The (resolved) source paths that have an execution record in the cache."""
    if not Path(cache_path).exists():
        return set()
    from jupyter_cache import get_cache

    return {Path(r.uri).resolve() for r in get_cache(str(cache_path)).list_cache_records()}


def remove_cache_records(cache_path: Path, sources) -> list[int]:
    """Remove every execution record of the given source files; return the removed primary keys.

    Every record whose ``uri`` is one of ``sources`` goes (older versions of the chapter's code
    too: their outputs were computed with an older library).
    """
    if not Path(cache_path).exists():
        return []
    from jupyter_cache import get_cache

    wanted = {Path(s).resolve() for s in sources}
    cache = get_cache(str(cache_path))
    removed = []
    for record in cache.list_cache_records():
        if Path(record.uri).resolve() in wanted:
            cache.remove_cache(record.pk)
            removed.append(record.pk)
    return removed


# ------------------------------------------------------------------------------------------------
# command line
# ------------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=".", help="the book's root (with _toc.yml)")
    ap.add_argument("--lib", help="the package folder (default: where `import infobandwidth` finds it)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("what", nargs="?", default="show", choices=["show", "users", "leaves"])
    ap.add_argument("module", nargs="?")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    lib = Lib(Path(args.lib)) if args.lib else Lib.find()
    chapters = toc_chapters(root)
    mods = {c.relative_to(root).as_posix(): chapter_modules(lib, c) for c in chapters}
    if args.what == "show":
        out = {c: {"fingerprint": fingerprint(lib, m), "modules": sorted(m)} for c, m in mods.items()}
        if args.json:
            print(json.dumps(out, indent=1))
        else:
            for c, info in out.items():
                print(f"{c}  {info['fingerprint'][:12]}  {len(info['modules'])} modules")
                print("    " + " ".join(m.removeprefix(lib.name + ".") for m in info["modules"]))
    elif args.what == "users":
        if not args.module:
            ap.error("users needs a module name, e.g. infobandwidth.figures.intro")
        users = [c for c, m in mods.items() if args.module in m]
        print(json.dumps(users) if args.json else "\n".join(users))
    else:
        count: dict[str, list[str]] = {}
        for c, m in mods.items():
            for mod in m:
                count.setdefault(mod, []).append(c)
        leaves = {mod: cs[0] for mod, cs in sorted(count.items()) if len(cs) == 1}
        if args.json:
            print(json.dumps({m: {"chapter": c, "file": lib.modules[m].relative_to(lib.base).as_posix()}
                              for m, c in leaves.items()}, indent=1))
        else:
            for mod, c in leaves.items():
                print(f"{mod:<50} {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
