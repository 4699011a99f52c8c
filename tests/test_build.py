"""The built site is complete, fresh with respect to lib/, and every chapter executed within budget.

`python3 run.py test` builds the site before running pytest, so these tests check the build that the
test command itself just made.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

# IB_SITE=/path/to/book/_build/html checks a scratch build (its book is two folders up)
HTML = Path(os.environ.get("IB_SITE", Path(__file__).resolve().parents[1] / "_build" / "html")).resolve()
ROOT = HTML.parents[1]
CHAPTER_BUDGET_S = 60.0

pytestmark = pytest.mark.skipif(not (HTML / "index.html").exists(),
                                reason="no built site: run `python3 run.py test` (it builds first)")


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part["chapters"]:
            files.append(ch["file"])
            files.extend(s["file"] for s in ch.get("sections", []))
    return files


def test_every_chapter_was_built_from_the_current_lib():
    """Each chapter's outputs were computed with the lib modules it imports as they are now.

    The book's extension records, after every build, the dependency fingerprint of each notebook
    chapter (infobandwidth.tools.deps) that the site's outputs were computed with.
    """
    from infobandwidth.tools import deps

    state_path = ROOT / "_build" / ".lib-deps.json"
    assert state_path.exists(), "the build did not record which lib modules its chapters used"
    site = json.loads(state_path.read_text()).get("site", {})
    current = deps.fingerprints(ROOT)
    assert current, "no notebook chapter in _toc.yml"
    stale = sorted(c for c in current if site.get(c) != current[c])
    assert not stale, (f"these chapters show outputs of an older lib/: {stale}; "
                       "run `python3 run.py build`")


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
