"""The site's own JavaScript: installed from npm, checked at build time, served from _static/vendor.

The static checks of the built pages (no script or stylesheet from another host, frames within the
page-weight budget) complement the browser tests, which record every request a page makes.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from infobandwidth.book import demos
from infobandwidth.tools import sphinx_site
from sphinx.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("IB_SITE", ROOT / "_build" / "html")).resolve()
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def _app(srcdir: Path, **config):
    cfg = dict(mathjax_path="vendor/mathjax/tex-mml-chtml.js", html_js_files=[], html_css_files=[],
               nb_ipywidgets_js={"vendor/requirejs/require.js": {}})
    cfg.update(config)
    return SimpleNamespace(srcdir=str(srcdir), builder=SimpleNamespace(format="html"),
                           config=SimpleNamespace(**cfg), env=SimpleNamespace())


def _fake_install(root: Path, skip: str | None = None):
    (root / "package.json").write_text("{}")
    for package, _dest, _items, marker in sphinx_site.VENDOR:
        if package == skip:
            continue
        f = root / "node_modules" / package / marker
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("//")


def test_missing_npm_install_stops_the_build_with_the_fix(tmp_path):
    _fake_install(tmp_path, skip="mathjax")
    with pytest.raises(ConfigError, match=r"node_modules/mathjax not found.*python3 run.py setup.*npm"):
        sphinx_site.check_assets(_app(tmp_path))


def test_a_cdn_url_in_the_config_stops_the_build(tmp_path):
    _fake_install(tmp_path)
    sphinx_site.check_assets(_app(tmp_path))  # all installed, all local: fine
    bad = _app(tmp_path, nb_ipywidgets_js={"https://cdn.example.org/require.js": {}})
    with pytest.raises(ConfigError, match="must not load code from another host"):
        sphinx_site.check_assets(bad)


def test_run_py_and_the_extension_agree_on_what_npm_must_provide():
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    assert sorted(run.ASSET_MARKERS) == sorted(f"{p}/{m}" for p, _d, _i, m in sphinx_site.VENDOR)
    pkg = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert set(pkg) == {p for p, *_ in sphinx_site.VENDOR}
    assert pkg["@jupyter-widgets/html-manager"].startswith("1.0."), "the line that matches ipywidgets 8"
    assert pkg["mathjax"].startswith("3.")


def test_the_notebook_set_up_cell_embeds_the_whole_library(tmp_path):
    import base64
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(sphinx_site.lib_zip_b64()))).namelist()
    assert "infobandwidth/__init__.py" in names and "infobandwidth/book/demos.py" in names
    assert not any("__pycache__" in n or n.startswith("infobandwidth/tools/") for n in names)


# ------------------------------------------------------------------ the built site

def _pages():
    if not (SITE / "index.html").exists():
        if IN_CI:
            pytest.fail(f"no built site at {SITE}")
        pytest.skip(f"no built site at {SITE}: run `python3 run.py test` (it builds first)")
    return [p for p in SITE.rglob("*.html")
            if not {"_static", "_sources", "reports"} & set(p.relative_to(SITE).parts)]


def test_built_site_serves_its_own_javascript():
    _pages()
    vendor = SITE / "_static" / "vendor"
    for rel in ("mathjax/tex-mml-chtml.js", "mathjax/output/chtml/fonts/woff-v2",
                "requirejs/require.js", "html-manager/embed-amd.js"):
        assert (vendor / rel).exists(), f"_static/vendor/{rel} missing from the built site"
    fonts = list((vendor / "html-manager").glob("*.woff2"))
    assert fonts, "the widget manager's fonts were not copied next to its bundle"


def test_no_page_loads_a_script_or_stylesheet_from_another_host():
    for page in _pages():
        html = page.read_text(encoding="utf8")
        tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
        remote = [t for t in tags if re.search(r'(?:src|href)="(?:https?:)?//', t)
                  and "rel=\"canonical\"" not in t]
        assert not remote, f"{page.relative_to(SITE)}: {remote}"


def test_demo_frames_of_every_page_fit_the_page_budget():
    weights = {}
    for page in _pages():
        html = page.read_text(encoding="utf8")
        m = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
        if not m:
            continue
        state = json.loads(m.group(1))
        frames = sum(len(b["data"]) for model in state["state"].values()
                     for b in model.get("buffers", []))
        weights[page.relative_to(SITE).as_posix()] = frames
        assert frames <= demos.PAGE_BUDGET_BYTES, (
            f"{page.relative_to(SITE)}: {frames / 1e6:.2f} MB of frames > {demos.PAGE_BUDGET_BYTES / 1e6} MB")
    print("frame bytes per page:", weights)


def test_every_numbered_figure_shows_an_image():
    """A figure cell must output a picture, not the text repr of a Figure.

    That happens when the kernel's matplotlib backend is not the inline one (MPLBACKEND=Agg in
    the build's environment, or ``matplotlib.use("Agg")`` in a module a chapter imports): the
    figure's PNG is never produced and the caption sits under "<Figure size 640x340 with 1 Axes>".
    """
    broken = []
    for page in _pages():
        html = page.read_text(encoding="utf8")
        for fig_id, body in re.findall(r'<figure[^>]*id="([^"]+)"[^>]*>(.*?)</figure>', html, re.S):
            if "caption-number" in body and ("<img" not in body or "&lt;Figure size" in body):
                broken.append(f"{page.relative_to(SITE)}#{fig_id}")
    assert not broken, f"numbered figures without an image: {broken}"
