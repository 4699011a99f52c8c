"""Sphinx extension for the book's static site: self-served JavaScript and .ipynb downloads.

Loaded by ``_config.yml`` (``sphinx: extra_extensions``), hence by every build, whatever command
started it (``python3 run.py build`` or a plain ``jupyter-book build .``: both give the same site).
It does seven things:

1. **Offline assets.** MathJax 3, require.js and the ipywidgets HTML manager come from the npm
   registry (``package.json``; ``python3 run.py setup`` runs ``npm ci``). At ``builder-inited`` the
   extension checks they are installed — a missing ``node_modules`` stops the build with the
   command that fixes it — and that no configured script points at another host. When the build
   finishes it copies the files the site needs into ``_static/vendor/`` (``node_modules`` itself
   is never committed nor served).
2. **.ipynb downloads.** Every chapter written as a MyST Markdown notebook gets a plain
   ``.ipynb`` copy (jupytext) next to its source in ``_sources/``, offered by the theme's download
   button. The copy runs in plain JupyterLab or Colab: a first cell makes ``infobandwidth``
   importable (the library is embedded in it as a zip when it is not installed) and stands in for
   ``myst_nb.glue``; MyST-only markup in text cells is turned into plain Markdown, and every glue
   role (``{glue:text}``, ``{eval}`glued(...)```) becomes its number, read from the build's
   ``jupyter_execute/<doc>.glue.json`` (:func:`infobandwidth.tools.myst.fill_glue`). A role whose
   key was not glued is a build warning and the page gets no download (never one showing a key).
3. **The build context of the kernels** (:mod:`infobandwidth.tools.buildenv`): ``setup()`` sets
   ``IB_BUILD=1`` (kernel-free demos, silent progress bars) and ``PYTHONHASHSEED=0`` in the
   environment the notebook kernels inherit, and has them use CurveZMQ-encrypted sockets (no
   "Kernel is running over TCP without encryption" per notebook in the log).
4. **Outputs fresh with respect to the library** (:mod:`infobandwidth.tools.deps`). The execution
   cache keys a chapter on its code cells only. Before Sphinx reads the sources, every notebook
   chapter's dependency fingerprint (the library modules its code imports, transitively) is
   compared with the one its cached outputs were computed with (``_build/.lib-deps.json``); a
   chapter whose fingerprint changed loses its cache record and is re-read, hence re-executed —
   only that chapter. So is a chapter that has code but no cache record (e.g. it raised last
   time). After a build without exception, ``site`` in the same file records the fingerprints the
   site was built from (``tests/test_build.py`` checks them against the current library).
5. **Glued numbers that JupyterLab shows too**: ``{eval}`glued("key", ".3f")``` is resolved from
   the page's glued values like ``{glue:text}`key:.3f``` (:func:`book_eval_role`), and
   jupyterlab-myst evaluates it in the live kernel (:func:`infobandwidth.book.glue.glued`).
6. **The root page** ``index.html`` (a redirect to the book's first page) names the site's icon,
   so no browser asks for ``/favicon.ico`` (:func:`write_root_redirect`).
7. Nothing else: the CSS/JS of the site itself lives in ``book/site/`` (``html_static_path``).
"""
from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ConfigError, ExtensionError
from sphinx.util import logging

from infobandwidth.tools.myst import (
    DIRECTIVE,
    LABEL,
    OPTION,
    ROLE,
    GlueError,
    fence,
    fill_glue,
    glue_json_path,
    read_glue,
)
from infobandwidth.tools.slides import REVEAL_FILES

logger = logging.getLogger(__name__)

#: What the site serves from node_modules: (package folder, folder under _static/vendor/,
#: files/folders to copy (relative to the package folder), the file whose absence means "not installed").
VENDOR = [
    ("mathjax", "mathjax",
     ["es5/tex-mml-chtml.js", "es5/input", "es5/output/chtml.js", "es5/output/chtml",
      "es5/ui", "es5/a11y", "es5/sre", "es5/adaptors", "LICENSE"],
     "es5/tex-mml-chtml.js"),
    ("requirejs", "requirejs", ["require.js"], "require.js"),
    ("@jupyter-widgets/html-manager", "html-manager",
     ["dist/embed-amd.js", "dist/*.woff2", "dist/*.woff", "dist/*.ttf", "dist/*.eot", "dist/*.svg",
      "dist/embed.js.LICENSE.txt"],
     "dist/embed-amd.js"),
    # the lecture slides' framework (python3 run.py slides, infobandwidth.tools.slides)
    ("reveal.js", "reveal.js", REVEAL_FILES, "dist/reveal.js"),
]


def find_node_modules(start: Path) -> Path | None:
    """The ``node_modules`` folder next to ``package.json`` in ``start`` or one of its parents."""
    for folder in [start, *start.parents]:
        if (folder / "package.json").exists():
            return folder / "node_modules"
    return None


def check_assets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    nm = find_node_modules(Path(app.srcdir).resolve())
    if nm is None:
        raise ConfigError("package.json not found above the book: the site's JavaScript (MathJax, "
                          "the widget manager) is installed from it")
    for package, _dest, _items, marker in VENDOR:
        if not (nm / package / marker).exists():
            raise ConfigError(
                f"node_modules/{package} not found ({nm / package / marker} is missing): "
                "run `python3 run.py setup` (needs npm) — the site serves MathJax, require.js and "
                "the ipywidgets manager itself, installed from package.json")
    cdn = []
    if "://" in (app.config.mathjax_path or ""):
        cdn.append(f"mathjax_path = {app.config.mathjax_path}")
    for path in getattr(app.config, "nb_ipywidgets_js", {}) or {}:
        if "://" in path:
            cdn.append(f"nb_ipywidgets_js: {path}")
    for entry in app.config.html_js_files + app.config.html_css_files:
        name = entry[0] if isinstance(entry, (tuple, list)) else str(entry)
        if "://" in name:
            cdn.append(f"html_js/css_files: {name}")
    if cdn:
        raise ConfigError("the site must not load code from another host, but _config.yml has: "
                          + "; ".join(cdn) + ". Point these at vendor/... (served from _static/vendor/, see infobandwidth/tools/sphinx_site.py)")
    app.env.ib_node_modules = str(nm)  # type: ignore[attr-defined]


def _copy_if_newer(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size and \
            dst.stat().st_mtime >= src.stat().st_mtime:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def copy_vendor(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    nm = find_node_modules(Path(app.srcdir).resolve())
    out = Path(app.outdir) / "_static" / "vendor"
    n = 0
    for package, dest, items, _marker in VENDOR:
        root = nm / package
        for item in items:
            for src in sorted(root.glob(item)):
                files = [src] if src.is_file() else [p for p in src.rglob("*") if p.is_file()]
                for f in files:
                    rel = f.relative_to(root)
                    if rel.parts[0] in ("es5", "dist"):
                        rel = Path(*rel.parts[1:])
                    _copy_if_newer(f, out / dest / rel)
                    n += 1
    logger.info(f"[ib-site] {n} vendor files in {out}")


# ------------------------------------------------------------------------------------------------
# .ipynb downloads
# ------------------------------------------------------------------------------------------------

SETUP_SOURCE = '''\
# Set-up for running this chapter outside the book's own environment (Colab, a plain JupyterLab).
# It does nothing when the book's library `infobandwidth` is already installed.
import sys
try:
    import infobandwidth
except ImportError:
    import base64, io, pathlib, zipfile
    _lib = pathlib.Path("infobandwidth_lib").resolve()
    zipfile.ZipFile(io.BytesIO(base64.b64decode(_IB_LIB_ZIP))).extractall(_lib)
    sys.path.insert(0, str(_lib))
    import infobandwidth
del _IB_LIB_ZIP
try:
    import myst_nb
except ImportError:  # glue() only stores numbers for the book's text: show them instead
    import types
    from IPython.display import display as _display
    _shim = types.ModuleType("myst_nb")
    _shim.glue = lambda name, variable, display=True: _display(variable) if display else None
    sys.modules["myst_nb"] = _shim
print("infobandwidth", infobandwidth.__version__, "from", infobandwidth.__file__)
'''

INTRO_MD = (
    "*This notebook is the chapter **{title}** of the book *{book}*, exported for Jupyter and "
    "Colab. Run the cells from the top; the first one makes the book's Python library "
    "importable. Figures, cross-references and the kernel-free demos are at their best in the "
    "online book, where this page lives at `{page}`.*"
)


_LIB_ZIP: dict[tuple, str] = {}


def lib_zip_b64() -> str:
    """The ``infobandwidth`` package (Python files only) as a base64 zip.

    Every page written embeds it: it is made once per state of the library (keyed on the files'
    paths, sizes and modification times), not once per page.
    """
    import infobandwidth

    root = Path(infobandwidth.__file__).resolve().parent
    files = []
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root.parent)
        if "__pycache__" in rel.parts or rel.parts[1:2] == ("tools",):
            continue
        st = f.stat()
        files.append((f, rel.as_posix(), st.st_size, st.st_mtime_ns))
    key = tuple((rel, size, mtime) for _f, rel, size, mtime in files)
    if key not in _LIB_ZIP:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for f, rel, _size, _mtime in files:
                info = zipfile.ZipInfo(rel, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, f.read_bytes())
        _LIB_ZIP.clear()
        _LIB_ZIP[key] = base64.b64encode(buf.getvalue()).decode()
    return _LIB_ZIP[key]


_TITLES = {
    "note": "Note", "tip": "Tip", "warning": "Warning", "important": "Important",
    "seealso": "See also", "exercise": "Exercise", "solution-start": "Solution",
    "solution": "Solution", "figure": "Figure", "proof": "Proof",
}


def _directive_title(name: str, arg: str) -> str:
    base = name.split(":")[-1]
    pretty = _TITLES.get(base, base.replace("-", " ").capitalize())
    if base in ("admonition",):
        return arg or "Note"
    if base in ("solution-start", "solution"):
        return "Solution"
    if base in ("exercise",):
        return f"Exercise — {arg}" if arg else "Exercise"
    return f"{pretty} ({arg})" if arg else pretty


def myst_to_markdown(text: str, glue: dict | None = None, labels: dict | None = None,
                     where: str = "") -> str:
    """Turn MyST-only markup into plain Markdown that JupyterLab and Colab render.

    Directives become a bold title followed by their body (``{math}`` becomes ``$$``), option
    lines and ``(label)=`` targets go, roles become their text: a glue role (``{glue:text}``,
    ``{glue}``) its value from ``glue`` (name -> ``text/plain`` or display data), formatted as on
    the site (:func:`infobandwidth.tools.myst.fill_glue`; a key missing from ``glue`` raises
    :class:`~infobandwidth.tools.myst.GlueError` naming ``where``), ``{ref}`` the title of its
    target when ``labels`` maps it. Ordinary code fences are left alone.

    Examples
    --------
    >>> print(myst_to_markdown(":::{prf:definition} Entropy\\n:label: def-h\\nH is $x$.\\n:::"))
    **Definition (Entropy).**
    H is $x$.
    >>> myst_to_markdown("See {ref}`the proof <thm-1>` and {cite:p}`shannon48`.")
    'See the proof and [shannon48].'
    >>> myst_to_markdown("{glue:text}`n:d` tables", glue={"n": "25"})
    '25 tables'
    """
    text = fill_glue(text, glue or {}, where=where)
    labels = labels or {}
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # (fence, kind) kind in {"code", "directive", "math"}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = fence(line, max_indent=None)
        in_code = bool(stack) and stack[-1][1] == "code"
        if m and in_code:
            if m.group("fence") == stack[-1][0] and not m.group("rest").strip():
                stack.pop()
            out.append(line)
        elif m and stack and m.group("fence") == stack[-1][0] and not m.group("rest").strip():
            kind = stack.pop()[1]
            out.append("$$" if kind == "math" else "")
        elif m and (d := DIRECTIVE.match(m.group("rest").strip())):
            name, arg = d.group("name"), d.group("arg").strip()
            i += 1
            while i < len(lines) and OPTION.match(lines[i]):
                i += 1
            i -= 1
            if name in ("math", "prf:math"):
                stack.append((m.group("fence"), "math"))
                out.append("$$")
            elif name in ("code-cell", "code", "code-block"):
                stack.append((m.group("fence"), "code"))
                out.append(m.group("fence") + (arg or "python"))
            else:
                stack.append((m.group("fence"), "directive"))
                if name not in ("solution-end",):
                    out.append(f"**{_directive_title(name, arg)}.**")
        elif m:
            stack.append((m.group("fence"), "code"))
            out.append(line)
        elif in_code:  # code is left alone
            out.append(line)
        elif LABEL.match(line):
            pass
        else:
            out.append(ROLE.sub(lambda r: _role_text(r, labels), line))
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + ("\n" if text.endswith("\n") else "")


def _role_text(m: re.Match, labels: dict) -> str:
    name, text = m.group("name"), m.group("text")
    if name.startswith("cite"):
        return "[" + text + "]"
    if name in ("math",):
        return f"${text}$"
    if name in ("numref",):
        return "the figure" if "<" in text or "%s" in text else text
    if "<" not in text and text in labels:
        return labels[text]
    shown = re.sub(r"\s*<[^>]*>$", "", text)
    return shown.lstrip("~!")


def _glue_values(app: Sphinx, docname: str, source: Path) -> dict:
    """name -> display data of every value the chapter glued in this build.

    MyST-NB keeps them in ``_build/jupyter_execute/<doc>.glue.json`` (not in the executed
    notebook). A chapter that glues nothing has no such file: ``{}``, and any glue role of its
    text is then reported as missing by :func:`myst_to_markdown`.
    """
    path = glue_json_path(Path(app.outdir).parent, docname)
    if not path.exists():
        return {}
    try:
        return read_glue(path)
    except ValueError as exc:
        raise ExtensionError(f"[ib-site] {source}: cannot read its glued values: {exc}") from None


def is_myst_notebook(path: Path) -> bool:
    if path.suffix != ".md":
        return False
    head = path.read_text(encoding="utf8")[:2000]
    return head.startswith("---") and "kernelspec" in head and "format_name: myst" in head


def notebook_for_download(app: Sphinx, docname: str, source: Path, title: str):
    """The .ipynb a reader downloads: jupytext conversion + set-up cell + plain Markdown."""
    import jupytext
    import nbformat

    nb = jupytext.read(source, fmt="md:myst")
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    glue = _glue_values(app, docname, source)
    labels = {name: title for name, (_doc, _id, title) in
              app.env.get_domain("std").data.get("labels", {}).items() if title}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = myst_to_markdown(cell.source, glue, labels, where=str(source))
        elif cell.cell_type == "code":
            md = cell.metadata
            md.pop("mystnb", None)  # figure captions are book-only metadata
            tags = md.get("tags", [])
            if any(t in tags for t in ("hide-input", "remove-input", "hide-cell")):
                md.setdefault("jupyter", {})["source_hidden"] = True
    setup = nbformat.v4.new_code_cell(f"_IB_LIB_ZIP = {lib_zip_b64()!r}\n" + SETUP_SOURCE)
    setup.metadata["jupyter"] = {"source_hidden": True}
    setup.metadata["tags"] = ["ib-setup"]
    intro = nbformat.v4.new_markdown_cell(INTRO_MD.format(
        title=title, book=app.config.html_title or app.config.project, page=f"{docname}.html"))
    first = 1 if nb.cells and nb.cells[0].cell_type == "markdown" and \
        nb.cells[0].source.lstrip().startswith("#") else 0
    nb.cells[first:first] = [intro, setup]
    for idx, cell in enumerate(nb.cells):  # stable ids: the file only changes when the chapter does
        cell["id"] = f"ib-{idx:03d}"
    return nb


def add_ipynb_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or pagename not in app.env.all_docs:
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix == ".ipynb":
        rel = f"{pagename}.ipynb"
        dst = Path(app.outdir) / "_sources" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dst)
        context["ipynb_source"] = rel
        return
    if not is_myst_notebook(source):
        return
    import nbformat

    title = re.sub("<[^>]+>", "", context.get("title", pagename))
    try:
        nb = notebook_for_download(app, pagename, source, title)
    except GlueError as exc:  # a download that would show a key instead of a number: none
        logger.warning(f"[ib-site] no .ipynb download for {pagename}: {exc}",
                       location=pagename, type="ib-site", subtype="glue")
        return
    rel = f"{pagename}.ipynb"
    dst = Path(app.outdir) / "_sources" / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(nbformat.writes(nb), encoding="utf8")
    context["ipynb_source"] = rel


# ------------------------------------------------------------------------------------------------
# {eval}`glued("key", "fmt")`: a glued number that JupyterLab can show too
# ------------------------------------------------------------------------------------------------

def book_eval_role():
    """MyST-NB's ``{eval}`` role, except that ``{eval}`glued("key", "fmt")``` is resolved like
    ``{glue:text}`key:fmt``` from the glued values of the page (same text, same warnings).

    The chapters show computed numbers with ``{eval}`glued(...)``` so that jupyterlab-myst, which
    renders ``{eval}`` from the live kernel (:func:`infobandwidth.book.glue.glued`) but not
    ``{glue:text}``, shows them in JupyterLab too. On the site the number comes from the glue data,
    like any glue role: the chapter keeps MyST-NB's execution cache (``{eval}`` alone would need
    ``execution_mode: inline``, which has none). Any other ``{eval}`` expression goes to MyST-NB.
    """
    from myst_nb.ext.eval import EvalRoleAny
    from myst_nb.ext.glue.roles import PasteTextRole

    from infobandwidth.tools.myst import GLUED_CALL

    class BookEvalRole(EvalRoleAny):
        def run(self):
            call = GLUED_CALL.match(self.text)
            if call is None:
                return super().run()
            paste = PasteTextRole()
            paste.text = f"{call['key']}:{call['fmt']}" if call["fmt"] else call["key"]
            paste.inliner, paste.rawtext = self.inliner, self.rawtext
            paste.source, paste.line = self.source, self.line
            return paste.run()

    return BookEvalRole()


# ------------------------------------------------------------------------------------------------
# the root redirect page
# ------------------------------------------------------------------------------------------------

REDIRECT_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="infobandwidth.tools.sphinx_site">
<title>{title}</title>
<link rel="icon" href="{icon}">
<meta http-equiv="Refresh" content="0; url={target}">
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def _inline_icon(app: Sphinx) -> str:
    """The site's favicon as a ``data:`` URL ("data:," if it has none or it is not a local file).

    Inline, because a page that redirects at once cancels its own icon request (a "failed
    request" in the browser) — and any ``<link rel="icon">`` stops the /favicon.ico probe.
    """
    import mimetypes

    favicon = app.config.html_favicon or ""
    if not favicon or "://" in favicon:
        return "data:,"
    path = next((Path(d) / favicon for d in (app.confdir, app.srcdir) if d and
                 (Path(d) / favicon).is_file()), None)
    if path is None:
        return "data:,"
    mime = mimetypes.guess_type(path.name)[0] or "image/x-icon"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def write_root_redirect(app: Sphinx, exception) -> None:
    """``build-finished``: the site's ``index.html`` redirects to the root page and names the icon.

    sphinx-external-toc writes a one-line ``<meta http-equiv="Refresh">`` page when the root
    document is not ``index``; with no ``<link rel="icon">`` in it, a browser may ask the server
    for ``/favicon.ico`` (a 404) before it follows the redirect. This writes a complete page with
    the site's favicon, inline (before that extension's handler, which then keeps it).
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    index = Path(app.outdir) / "index.html"
    old = index.read_text(encoding="utf8", errors="replace") if index.exists() else ""
    if "<html" in old.lower() and "infobandwidth.tools.sphinx_site" not in old:
        return  # a real page of someone else's
    icon = _inline_icon(app)
    title = (app.config.html_title or app.config.project or "").replace("<", "&lt;")
    target = app.builder.get_target_uri(app.config.root_doc)
    index.write_text(REDIRECT_HTML.format(title=title, icon=icon, target=target), encoding="utf8")


# ------------------------------------------------------------------------------------------------
# outputs fresh with respect to the library
# ------------------------------------------------------------------------------------------------

#: Where the fingerprints live, next to the output folder (``_build/`` for ``_build/html``).
LIB_DEPS = ".lib-deps.json"


def lib_deps_path(app: Sphinx) -> Path:
    return Path(app.outdir).parent / LIB_DEPS


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def refresh_lib_outputs(app: Sphinx, env, added: set, changed: set, removed: set) -> list[str]:
    """``env-get-outdated``: drop the cached outputs of chapters whose library changed; re-read them."""
    from infobandwidth.tools import deps

    srcdir = Path(app.srcdir).resolve()
    state_path = lib_deps_path(app)
    state = _read_state(state_path)
    lib = deps.Lib.find()
    lib.memo = state.get("analysis")  # the last build's import analysis, reused for unchanged files
    notebooks: dict[str, Path] = {}
    for docname in sorted(env.found_docs):
        src = Path(env.doc2path(docname)).resolve()
        if deps.chapter_cells(src) is not None:
            notebooks[docname] = src
    current = {}
    for src in notebooks.values():
        current[src.relative_to(srcdir).as_posix()] = deps.chapter_fingerprint(lib, src)
    before = state.get("cache", {})
    stale = [d for d, src in notebooks.items() if before.get(src.relative_to(srcdir).as_posix())
             != current[src.relative_to(srcdir).as_posix()]]
    nb_config = getattr(env, "mystnb_config", None)
    cache_path = Path(nb_config.execution_cache_path) if nb_config and \
        nb_config.execution_cache_path else Path(app.outdir).parent / ".jupyter_cache"
    if stale:
        removed_pks = deps.remove_cache_records(cache_path, [notebooks[d] for d in stale])
        shown = [d for d in stale if d not in added]
        if not before and removed_pks:
            logger.info(f"[ib-site] no record of the library the cached outputs were computed "
                        f"with ({state_path.name}): {len(removed_pks)} cached notebook(s) dropped")
        elif shown:
            logger.info(f"[ib-site] library changed for {len(shown)} chapter(s), re-executing: "
                        + ", ".join(shown))
    # a chapter with code but no execution record (it raised last time, or its record was
    # dropped) is read again, so it is executed again even though its source did not change
    missing = []
    if nb_config is not None and nb_config.execution_mode == "cache":
        have = deps.cached_uris(cache_path)
        missing = [d for d, src in notebooks.items() if src not in have and d not in stale
                   and d not in added and d not in changed and any(
                       c.strip() for c in deps.chapter_cells(src) or [])]
        if missing:
            logger.info(f"[ib-site] no cached outputs for {', '.join(missing)}: executing")
    state["cache"] = current
    state["lib"] = str(lib.pkg_dir)
    state["analysis"] = lib.memo_out()
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf8")
    app._ib_lib_fingerprints = current  # type: ignore[attr-defined]
    return stale + missing


def record_site_fingerprints(app: Sphinx, exception) -> None:
    """``build-finished``: the site now shows outputs computed with these library fingerprints."""
    current = getattr(app, "_ib_lib_fingerprints", None)
    if exception is not None or current is None:
        return
    path = lib_deps_path(app)
    state = _read_state(path)
    state["site"] = current
    path.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf8")


def use_claims_cache(directory: Path, environ=None) -> Path:
    """Let the kernels of this build share claim results (``IB_CLAIMS_CACHE``), keyed on the
    library's fingerprint; caches of other versions of the library are removed. An explicit
    ``IB_CLAIMS_CACHE`` in the environment is respected."""
    from infobandwidth.book.claims.registry import CACHE_ENV, library_fingerprint

    environ = os.environ if environ is None else environ
    if environ.get(CACHE_ENV):
        return Path(environ[CACHE_ENV])
    directory = Path(directory)
    if directory.is_dir():
        keep = library_fingerprint()
        for old in directory.iterdir():
            if old.is_dir() and old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
    environ[CACHE_ENV] = str(directory)
    return directory


def setup(app: Sphinx) -> dict:
    from infobandwidth.tools.buildenv import (
        encrypt_kernel_transport,
        enter_build_context,
    )

    # before any kernel starts: the kernels of this build inherit the build's context
    for key, value in enter_build_context().items():
        logger.info(f"[ib-site] {key}={value} for the notebook kernels of this build")
    use_claims_cache(Path(app.outdir).parent / ".claims_cache")
    encrypt_kernel_transport()
    # after myst_nb (loaded before every extra extension): {eval}`glued(...)` reads glue data
    app.add_role("eval", book_eval_role(), override=True)
    app.connect("builder-inited", check_assets)
    app.connect("env-get-outdated", refresh_lib_outputs)
    app.connect("build-finished", record_site_fingerprints)
    app.connect("build-finished", copy_vendor)
    app.connect("build-finished", write_root_redirect, priority=400)  # before sphinx-external-toc
    # before sphinx-book-theme builds its download menu (priority 501)
    app.connect("html-page-context", add_ipynb_download, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
