"""The .ipynb downloads of the built site: plain Markdown, and they run outside the book's environment.

A reader on Colab has neither the book's library nor myst-nb. The download's first cell makes up for
both; here a fresh kernel with `infobandwidth` and `myst_nb` hidden runs every downloaded chapter
top to bottom.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from infobandwidth.tools.sphinx_site import myst_to_markdown

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("IB_SITE", ROOT / "_build" / "html")).resolve()
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
NOTEBOOKS = sorted((SITE / "_sources").rglob("*.ipynb")) if (SITE / "_sources").exists() else []

HIDE = '''\
# test only: pretend to be a fresh Colab runtime without the book's packages
import sys, pathlib
sys.path[:] = [p for p in sys.path if not (pathlib.Path(p or ".") / "infobandwidth").is_dir()]
class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "myst_nb":
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, _Hide())
'''


def test_myst_markup_becomes_plain_markdown():
    src = "\n".join([
        "(sec-x)=",
        "## Title",
        ":::{prf:definition} Entropy",
        ":label: def-h",
        "$H(X) = -\\sum p \\log p$, see {prf:ref}`def-h` and {numref}`fig-a`.",
        ":::",
        "```{math}",
        ":label: eq-1",
        "a = b",
        "```",
        "```python",
        ":::{not-a-directive}",
        "```",
        "Glued: {glue:text}`val:.2f`, cited {cite:p}`shannon1948`, {ref}`the intro <ch-intro>`.",
        "::::{exercise} Warm-up",
        ":label: ex-1",
        "Do it.",
        "::::",
    ])
    out = myst_to_markdown(src, glue={"val": "0.12345"})
    assert "(sec-x)=" not in out and ":label:" not in out and ":::" not in out.replace(
        ":::{not-a-directive}", "")
    assert "**Definition (Entropy).**" in out
    assert "$$\na = b\n$$" in out
    assert "```python\n:::{not-a-directive}\n```" in out  # code is left alone
    assert "Glued: 0.12, cited [shannon1948], the intro." in out
    assert "**Exercise — Warm-up.**" in out and "def-h" in out


def _need_site():
    if not NOTEBOOKS:
        msg = f"no .ipynb downloads under {SITE / '_sources'}: run `python3 run.py test` (it builds first)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)


def test_every_notebook_chapter_has_a_download():
    _need_site()
    pages = [p for p in (SITE / "book").rglob("*.html")]
    for page in pages:
        html = page.read_text(encoding="utf8")
        if "download-notebook-button" in html:
            rel = page.relative_to(SITE).with_suffix(".ipynb")
            assert (SITE / "_sources" / rel).exists(), f"{rel} is offered but missing"
    assert any("download-notebook-button" in p.read_text(encoding="utf8") for p in pages)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(SITE / "_sources").as_posix())
def test_downloaded_notebook_runs_without_the_book_environment(path, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    text = json.dumps(nb)
    if "tests/fixtures" in text:
        pytest.skip("the demo fixture page imports test-only modules (scratch builds only)")
    for marker in (":label:", "{prf:", "{glue:", "{numref}", "{ref}", ":::"):
        assert marker not in "".join(c.source for c in nb.cells if c.cell_type == "markdown"), marker
    setup = [i for i, c in enumerate(nb.cells) if "ib-setup" in c.metadata.get("tags", [])]
    assert len(setup) == 1, "exactly one set-up cell"
    assert not any(c.cell_type == "code" for c in nb.cells[:setup[0]]), "set-up cell comes first"
    nb.cells.insert(0, nbformat.v4.new_code_cell(HIDE))
    env_backup = {k: os.environ.pop(k) for k in ("IB_BUILD", "MPLBACKEND") if k in os.environ}
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.update(env_backup)
    out = "".join(o.get("text", "") for o in nb.cells[setup[0] + 1].outputs)
    assert "infobandwidth_lib" in out, f"the set-up cell did not use the embedded library: {out!r}"
    assert len(text) < 1_000_000
    shutil.rmtree(tmp_path / "infobandwidth_lib", ignore_errors=True)
