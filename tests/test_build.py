"""The built site is complete, fresh with respect to lib/, and every chapter executed within budget.

`python3 run.py test` builds the site before running pytest, so these tests check the build that the
test command itself just made.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHAPTER_BUDGET_S = 60.0

pytestmark = pytest.mark.skipif(not (HTML / "index.html").exists(),
                                reason="no built site: run `python3 run.py test` (it builds first)")


def _load_run_py():
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part["chapters"]:
            files.append(ch["file"])
            files.extend(s["file"] for s in ch.get("sections", []))
    return files


def test_site_was_built_from_the_current_lib():
    run = _load_run_py()
    stamp = ROOT / "_build" / ".lib-hash"
    assert stamp.exists(), "the build did not record which lib/ it used"
    assert stamp.read_text() == run.lib_hash(), (
        "the site was built with an older lib/: run `python3 run.py build`")


def test_every_toc_entry_is_a_built_page():
    for f in toc_files():
        assert (HTML / f"{f}.html").exists(), f"{f} is in _toc.yml but has no page"


def test_no_execution_failure_reports():
    reports = HTML / "reports"
    logs = list(reports.glob("*.log")) if reports.exists() else []
    assert not logs, f"cells raised while building: {[p.name for p in logs]}"


def test_every_chapter_executed_within_budget():
    from jupyter_cache import get_cache

    cache = get_cache(ROOT / "_build" / ".jupyter_cache")
    times = {Path(r.uri).resolve(): r.data.get("execution_seconds") for r in cache.list_cache_records()}
    for f in toc_files():
        src = next((ROOT / f).parent.glob(Path(f).name + ".*"))
        if "code-cell" not in src.read_text():
            continue  # a page without code is not executed
        assert src.resolve() in times, f"{f} has no execution record"
        assert times[src.resolve()] <= CHAPTER_BUDGET_S, f"{f} took {times[src.resolve()]:.0f} s"


def test_pages_have_no_raw_glue_or_dollar_math():
    for f in toc_files():
        html = (HTML / f"{f}.html").read_text()
        body = html.split('<main', 1)[-1]
        assert "{glue:" not in body, f"{f}: an unresolved glue role"
        text = re.sub(r"<script.*?</script>", "", body, flags=re.S)
        assert "$$" not in text, f"{f}: display math left as raw $$"
