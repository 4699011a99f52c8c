"""The .ipynb downloads of the built site: plain Markdown, and they run outside the book's environment.

A reader on Colab has neither the book's library nor myst-nb. The download's first cell makes up for
both; here a fresh kernel with `infobandwidth` and `myst_nb` hidden runs every downloaded chapter
top to bottom. The text shows the glued numbers (read from `_build/jupyter_execute/<doc>.glue.json`,
where MyST-NB keeps them): two of them are computed here independently and looked for in the
downloads (and, in tests/test_editions.py, in both editions).
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
from pathlib import Path

import pytest
from infobandwidth.tools.myst import GlueError
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


#: (chapter, glue key, format spec of its role, the value computed here from its definition)
KNOWN_NUMBERS = [
    ("book/part2/information-theory.md", "log2_5", ".3f", math.log2(5)),  # H of 5 equal levels
    ("book/part2/token-mdp.md", "sqrt10", ".2f", math.sqrt(10)),
]


def in_context(chapter: Path, key: str, fmt: str, value: float) -> str:
    """The chapter's text around the first role showing ``key`` with ``fmt``, with ``value`` in it.

    The role is ``{glue:text}`key:fmt``` or ``{eval}`glued("key", "fmt")```. Up to 15 characters
    of plain prose on each side of it (stopping at markup), so the string is found only where that
    number stands in that sentence.
    """
    roles = [f"{{glue:text}}`{key}:{fmt}`", f'{{eval}}`glued("{key}", "{fmt}")`']
    line, role = next(((ln, r) for ln in chapter.read_text(encoding="utf8").split("\n")
                       for r in roles if r in ln), (None, None))
    assert line is not None, f"{chapter.name} no longer has {roles[0]}: update KNOWN_NUMBERS"
    before, after = line.split(role, 1)
    before = re.split(r"[`{}]", before)[-1][-15:]
    after = re.split(r"[`{}]", after)[0][:15]
    return before + format(value, fmt) + after


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_glue_roles_take_the_glued_values_formatted_as_on_the_site():
    from myst_nb.core.variables import format_plain_text  # the site's own formatting: an oracle

    glue = {"n": {"data": {"text/plain": "25"}}, "share": {"data": {"text/plain": "0.1234"}},
            "h": {"data": {"text/plain": repr(math.log2(5))}}, "word": "'fails'"}
    src = ("{glue:text}`n:d` tables, {glue:text}`share:.1%` of them, H = {glue:text}`h:.3f`; "
           "it {glue}`word`, {glue:}`n`, {eval}`glued(\"h\", \".1f\")`.\n"
           "```python\n{glue:text}`untouched`\n```")
    out = myst_to_markdown(src, glue=glue)
    assert out.split("\n")[0] == (f"{25:d} tables, {0.1234:.1%} of them, H = {math.log2(5):.3f}; "
                                   f"it fails, 25, {math.log2(5):.1f}.")
    assert "{glue:text}`untouched`" in out  # code is left alone
    for key, fmt in [("n", "d"), ("share", ".1%"), ("h", ".3f")]:
        assert format_plain_text(glue[key]["data"]["text/plain"], fmt) in out
    with pytest.raises(GlueError, match=r"ch\.md: \{glue:text\}`nope:d` names the key 'nope'"):
        myst_to_markdown("Over {glue:text}`nope:d` tables", glue=glue, where="ch.md")
    with pytest.raises(GlueError, match="does not glue"):
        myst_to_markdown("Over {glue:text}`n:d` tables")  # no values at all: never left as a key


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


@pytest.mark.parametrize("chapter, key, fmt, value", KNOWN_NUMBERS, ids=[k[1] for k in KNOWN_NUMBERS])
def test_downloads_show_the_glued_numbers(chapter, key, fmt, value):
    import nbformat

    _need_site()
    path = SITE / "_sources" / Path(chapter).with_suffix(".ipynb")
    assert path.exists(), f"no download of {chapter}"
    text = _markdown(nbformat.read(path, as_version=4))
    assert "{glue" not in text, "a glue role was left in the download"
    want = in_context(ROOT / chapter, key, fmt, value)
    assert want in text, f"{want!r} not in the download of {chapter}"


@pytest.mark.parametrize("chapter, key, fmt, value", KNOWN_NUMBERS, ids=[k[1] for k in KNOWN_NUMBERS])
def test_pages_show_the_glued_numbers(chapter, key, fmt, value):
    _need_site()
    html = (SITE / Path(chapter).with_suffix(".html")).read_text(encoding="utf8")
    assert f'<span class="pasted-text">{format(value, fmt)}</span>' in html


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
