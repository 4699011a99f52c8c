"""The package's architecture, checked: layer contracts (import-linter), the linter (ruff), the
public API at the top level, and the claim registry's list of modules.

The contracts and the rule set live in pyproject.toml; a wrong import fails here with
import-linter's message naming the importing and the imported module.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "infobandwidth"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    exe = BIN / name
    if exe.exists():
        return str(exe)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `python3 run.py setup` (requirements.txt pins it)")
    return found


def test_layer_contracts_are_kept():
    r = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, "import-linter found a broken contract:\n" + r.stdout[-4000:] + r.stderr[-2000:]
    assert "BROKEN" not in r.stdout and r.stdout.count("KEPT") >= 3


def test_a_wrong_import_breaks_the_contract(tmp_path):
    """The contract can fail: a core module importing the book layer is reported by name."""
    import grimp

    graph = grimp.build_graph("infobandwidth")
    graph.add_import(importer="infobandwidth.information.measures",
                     imported="infobandwidth.book.claims.registry", line_number=1,
                     line_contents="from infobandwidth.book.claims.registry import claim")
    chains = graph.find_shortest_chains(importer="infobandwidth.information",
                                        imported="infobandwidth.book")
    assert chains, "the graph should now have a chain from the core to the book layer"
    # and the real package has none
    clean = grimp.build_graph("infobandwidth")
    for low in ("base", "information", "model", "signals", "learning"):
        assert not clean.find_shortest_chains(importer=f"infobandwidth.{low}",
                                              imported="infobandwidth.book"), low


def test_ruff_is_clean():
    r = subprocess.run([_tool("ruff"), "check", "--no-cache", "--output-format", "concise", "lib",
                        "tests", "bench", "run.py"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, "ruff (rules in pyproject.toml) reports:\n" + r.stdout[-4000:]


def test_the_top_level_reexports_explicitly():
    """No star imports; every name of __all__ is imported by name and resolves."""
    import infobandwidth as ib

    tree = ast.parse((LIB / "__init__.py").read_text())
    stars = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)]
    assert not stars
    imported = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert set(ib.__all__) <= imported
    for name in ib.__all__:
        assert getattr(ib, name) is not None, name
    for name in ("entropy", "mutual_information", "TokenMDP", "exact_match", "match_count",
                 "token_utility", "reinforce", "actor_critic", "signal_bandwidth", "show_claim",
                 "all_claims", "posterior", "td_information", "information_chain"):
        assert name in ib.__all__, name


def test_no_submodule_is_shadowed_by_a_function():
    """``import infobandwidth.x.y as m`` gives the module, whatever the top level re-exports."""
    for info in pkgutil.walk_packages([str(LIB)], prefix="infobandwidth."):
        if info.name.startswith("infobandwidth.tools"):
            continue
        mod = importlib.import_module(info.name)
        parent, _, leaf = info.name.rpartition(".")
        assert getattr(importlib.import_module(parent), leaf) is mod, info.name


def test_the_claim_registry_names_every_claims_module():
    from infobandwidth.book import claims
    from infobandwidth.book.claims import registry

    modules = {f"infobandwidth.book.claims.{m.name}" for m in pkgutil.iter_modules(claims.__path__)
               if m.name != "registry"}
    assert set(registry._CLAIM_MODULES) == modules


def test_every_name_a_chapter_imports_is_public():
    """Chapters use the lib only through public names: ``ib.X`` is in ``infobandwidth.__all__`` and
    ``from infobandwidth.m import X`` names something in ``m.__all__``."""
    import re

    import infobandwidth as ib

    missing = []
    for chapter in sorted((ROOT / "book").rglob("*.md")):
        text = chapter.read_text()
        missing += [f"{chapter.name}: ib.{n}" for n in sorted(set(re.findall(r"\bib\.(\w+)", text)))
                    if n not in ib.__all__]
        for m in re.finditer(r"^from (infobandwidth[\w.]+) import (\([^)]*\)|[^\n]*)", text, re.M):
            public = getattr(importlib.import_module(m.group(1)), "__all__", ())
            names = [x.strip().split(" as ")[0] for x in m.group(2).strip("()").split(",") if x.strip()]
            missing += [f"{chapter.name}: {m.group(1)}.{n}" for n in names if n not in public]
    assert not missing, "chapters use names missing from __all__:\n" + "\n".join(missing)
