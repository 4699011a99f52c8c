#!/usr/bin/env python3
"""The book's task runner. Needs only Python 3.11+ (and Node/npm for the site's assets).

    python3 run.py setup      # venv + every dependency + build the site (the README's first command)
    python3 run.py test       # build (fresh w.r.t. lib/) and run every test (the second command)

Other tasks, for authors and instructors:

    python3 run.py build             # build the site; re-executes only chapters whose code changed
    python3 run.py build --force     # re-execute every chapter
    python3 run.py chapter PATH      # execute one chapter's notebook, report errors and its time
    python3 run.py lab               # JupyterLab on the book, chapters open as notebooks
    python3 run.py notebooks         # every chapter as a plain .ipynb in _build/notebooks/
    python3 run.py editions          # student and instructor notebooks in editions/ (builds first)
    python3 run.py pdf               # print edition: a PDF per chapter + the whole book in _build/pdf/
    python3 run.py bench             # the benchmarks in bench/
    python3 run.py serve             # serve the built site on http://127.0.0.1:8000
    python3 run.py slides            # a reveal.js deck per chapter in _build/html/slides/ (from the built site)
    python3 run.py assignments       # nbgrader course in _build/course/: autograded coding exercises

The execution cache of Jupyter Book keys on code cells only, so a change to lib/ would leave stale
outputs. The book's Sphinx extension (lib/infobandwidth/tools/sphinx_site.py, loaded by every build)
therefore finds which lib modules each chapter imports (infobandwidth.tools.deps) and re-executes
exactly the chapters whose code or whose lib modules changed. It also sets the kernels' build
context (IB_BUILD=1, PYTHONHASHSEED=0), so a plain `jupyter-book build .` gives the same site as
`python3 run.py build`; run.py adds only `-W -n --keep-going` (zero warnings allowed) and starts
Jupyter Book through infobandwidth.tools.jb, which skips a 2 s import nothing in the build uses.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"


def say(msg: str) -> None:
    print(f"[run.py] {msg}", flush=True)


def sh(*cmd: str | Path, env: dict | None = None, check: bool = True) -> int:
    say(" ".join(str(c) for c in cmd))
    full_env = {**os.environ, **(env or {})}
    rc = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=full_env)
    if check and rc != 0:
        say(f"command failed with exit code {rc}")
        sys.exit(rc)
    return rc


def need_venv() -> None:
    if not PY.exists():
        say("no virtual environment in .venv: run `python3 run.py setup` first")
        sys.exit(2)


def venv_package(version=sys.version_info) -> str:
    """The Debian/Ubuntu package that gives this interpreter `venv` with pip (ensurepip)."""
    return f"python{version[0]}.{version[1]}-venv"


def venv_has_pip(venv: Path = VENV) -> bool:
    """True when ``venv`` is a usable virtual environment: its python exists and has pip."""
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    if not py.exists():
        return False
    return subprocess.call([str(py), "-c", "import pip"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0


def remove_broken_venv(venv: Path = VENV) -> bool:
    """Remove ``venv`` if it exists but is half-built (no python or no pip); True if removed.

    On Debian/Ubuntu without the `python3-venv` package, `python3 -m venv` fails after creating
    the folder and the interpreter link but before installing pip: every later `pip install`
    into it fails with "No module named pip" until the folder is removed.
    """
    if venv.exists() and not venv_has_pip(venv):
        say(f"{venv} is a half-built virtual environment (no pip in it): removing it")
        shutil.rmtree(venv)
        return True
    return False


def no_venv_message(python: str = sys.executable) -> str:
    return (f"{python} cannot create a virtual environment with pip (the `ensurepip` module is "
            f"missing). On Debian/Ubuntu install it with `sudo apt-get install {venv_package()}` "
            f"(or python3-venv), then run `python3 run.py setup` again.")


def make_venv(venv: Path = VENV) -> None:
    """Create ``venv`` with pip, or stop with the command that makes that possible.

    A half-built venv left by an earlier failed attempt is removed first; if creating the venv
    fails or leaves one without pip, it is removed again, so a rerun after installing the missing
    package starts clean.
    """
    remove_broken_venv(venv)
    if venv.exists():
        return
    try:
        import ensurepip  # noqa: F401  (Debian ships it in pythonX.Y-venv, not in python3)
    except ImportError:
        say(no_venv_message())
        sys.exit(2)
    rc = sh(sys.executable, "-m", "venv", venv, check=False)
    if rc != 0 or not venv_has_pip(venv):
        if venv.exists():
            shutil.rmtree(venv)
        say(f"creating {venv} failed and the half-built folder was removed. " + no_venv_message())
        sys.exit(2)


def cmd_setup(args) -> None:
    if sys.version_info < (3, 11):
        say(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
        sys.exit(2)
    make_venv()
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-r", "requirements.txt")
    install_labconfig()
    setup_assets()
    cmd_build(argparse.Namespace(force=False))
    say(f"done: open {BUILD / 'html' / 'index.html'} (or `python3 run.py serve`)")


# What the site serves from node_modules (kept in step with infobandwidth.tools.sphinx_site.VENDOR).
ASSET_MARKERS = ["mathjax/es5/tex-mml-chtml.js", "requirejs/require.js",
                 "@jupyter-widgets/html-manager/dist/embed-amd.js",
                 "reveal.js/dist/reveal.js"]  # the lecture slides (infobandwidth.tools.slides)


def setup_assets() -> None:
    """Install the site's JavaScript (MathJax, require.js, the widget manager) from npm.

    `npm ci` installs exactly package-lock.json into node_modules/ (git-ignored); the book build
    copies what the pages need into _build/html/_static/vendor/. Skipped when node_modules already
    holds this lock file's install.
    """
    lock = ROOT / "package-lock.json"
    modules = ROOT / "node_modules"
    stamp = modules / ".ib-lock-sha256"
    want = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want and \
            all((modules / m).exists() for m in ASSET_MARKERS):
        say("node_modules is up to date with package-lock.json")
        return
    npm = shutil.which("npm")
    if npm is None:
        say("npm was not found: install Node.js 18+ (it brings npm), then run setup again. "
            "The site serves MathJax, require.js and the widget manager itself (no CDN) and "
            "needs npm to fetch them from the npm registry.")
        sys.exit(2)
    sh(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
    missing = [m for m in ASSET_MARKERS if not (modules / m).exists()]
    if missing:
        say(f"npm ci finished but node_modules lacks {missing}: check package.json")
        sys.exit(2)
    stamp.write_text(want)


def cmd_build(args) -> None:
    """Build the site: `jupyter-book build . -W -n --keep-going` (see the module docstring).

    Which chapters re-execute is decided inside the build by the book's extension: those whose
    code changed (the execution cache) or whose imported lib modules changed (their fingerprints
    in _build/.lib-deps.json). --force clears the cache and re-reads every page (`--all`).
    """
    need_venv()
    BUILD.mkdir(exist_ok=True)
    (BUILD / ".lib-hash").unlink(missing_ok=True)  # the stamp of the former whole-lib hash
    extra = []
    if args.force:
        if CACHE.exists():
            say("--force: clearing the execution cache")
            shutil.rmtree(CACHE)
        extra.append("--all")  # a fresh Sphinx environment: every page is read, so executed
    t0 = time.time()
    # = `jupyter-book build . -W -n --keep-going`, started ~2 s faster (see infobandwidth/tools/jb.py)
    sh(PY, "-m", "infobandwidth.tools.jb", "build", ".", "-W", "-n", "--keep-going", *extra)
    say(f"built in {time.time() - t0:.0f} s: {BUILD / 'html' / 'index.html'}")


def cmd_test(args) -> None:
    need_venv()
    cmd_build(argparse.Namespace(force=False))
    rc = sh(PY, "-m", "pytest", *args.pytest_args, check=False)
    sys.exit(rc)


def cmd_chapter(args) -> None:
    need_venv()
    sh(PY, "-m", "infobandwidth.tools.run_chapter", *args.paths)  # in the build's context


LABCONFIG = ROOT / "jupyter" / "labconfig" / "default_setting_overrides.json"


def _merge(into: dict, new: dict) -> dict:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def install_labconfig(prefix: Path = VENV) -> Path:
    """Merge the book's JupyterLab defaults (jupyter/labconfig/) into <prefix>/etc/jupyter/labconfig/.

    JupyterLab reads ``labconfig/default_setting_overrides.json`` from every Jupyter config
    directory, ``<sys.prefix>/etc/jupyter`` among them: once this file is in the venv, a plain
    ``jupyter lab`` started from it opens Markdown chapters as notebooks too. Settings already in
    that file are kept; ours win where they overlap. Returns the path written.
    """
    import json

    dst = prefix / "etc" / "jupyter" / "labconfig" / "default_setting_overrides.json"
    ours = json.loads(LABCONFIG.read_text())
    current = json.loads(dst.read_text()) if dst.exists() else {}
    merged = _merge(json.loads(json.dumps(current)), ours)
    if merged != current or not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(json.dumps(merged, indent=2) + "\n")
        say(f"JupyterLab opens Markdown as notebooks: wrote {dst}")
    return dst


def cmd_lab(args) -> None:
    """JupyterLab on the repository: chapters open as notebooks, demos live (no IB_BUILD)."""
    need_venv()
    install_labconfig()
    env = {"JUPYTER_CONFIG_PATH": os.pathsep.join(
        p for p in (str(LABCONFIG.parent.parent), os.environ.get("JUPYTER_CONFIG_PATH")) if p)}
    os.environ.pop("IB_BUILD", None)  # the lab runs the live form of the demos
    sh(BIN / "jupyter", "lab", "--notebook-dir", ROOT, *lab_root_args(args.lab_args), env=env)


def lab_root_args(lab_args: list[str], euid: int | None = None) -> list[str]:
    """``lab_args`` plus ``--allow-root`` when running as root (JupyterLab refuses root without it)."""
    if euid is None:
        euid = os.geteuid() if hasattr(os, "geteuid") else -1
    if euid == 0 and not any(a == "--allow-root" or a.startswith("--allow-root=") or
                             a.startswith("--ServerApp.allow_root") for a in lab_args):
        say("running as root: passing --allow-root to JupyterLab")
        return [*lab_args, "--allow-root"]
    return list(lab_args)


def cmd_editions(args) -> None:
    """Student and instructor notebooks of every chapter (infobandwidth.tools.editions).

    Their text shows the glued numbers of the build (MyST-NB keeps them in
    _build/jupyter_execute/<doc>.glue.json), so the book is built first (incremental: only chapters
    whose code or lib changed execute). --no-build uses the last build as it is; the editions
    tool stops with a message if a chapter's numbers are missing or older than the chapter.
    """
    need_venv()
    if not args.no_build:
        cmd_build(argparse.Namespace(force=False))
    out = Path(args.out).resolve() if args.out else ROOT / "editions"
    sh(PY, "-m", "infobandwidth.tools.editions", "--root", ROOT, "--out", out,
       "--build", BUILD, *(Path(c).resolve() for c in args.chapters))


NOTEBOOKS = BUILD / "notebooks"


def cmd_notebooks(args) -> None:
    """Every chapter as a plain .ipynb in _build/notebooks/ (builds the site first).

    The site's extension (infobandwidth.tools.sphinx_site) exports each chapter as an .ipynb with
    plain Markdown, the glued numbers filled in and a first cell that makes the library importable;
    this copies those of the chapters in _toc.yml, named like the editions.
    """
    need_venv()
    cmd_build(argparse.Namespace(force=False))
    sh(PY, "-m", "infobandwidth.tools.editions", "--root", ROOT, "--from-site", BUILD / "html",
       "--out", NOTEBOOKS)


def cmd_pdf(args) -> None:
    """The print edition (infobandwidth.tools.pdf): headless Chromium prints the built site to
    _build/pdf/, one PDF per page of _toc.yml and book.pdf (cover, contents, page numbers).

    Builds the site first unless --no-build. Solutions: --solutions omit (default) or appendix.
    """
    need_venv()
    if not args.no_build:
        cmd_build(argparse.Namespace(force=False))
    extra = ["--site-url", args.site_url] if args.site_url else []
    sh(PY, "-m", "infobandwidth.tools.pdf", "--root", ROOT, "--site", BUILD / "html",
       "--out", Path(args.out).resolve() if args.out else BUILD / "pdf", "--solutions", args.solutions,
       "--paper", args.paper, *extra, *(Path(c).resolve() for c in args.chapters))


def cmd_bench(args) -> None:
    """Run bench/bench_*.py, or only those whose name contains one of the given words."""
    need_venv()
    scripts = [s for s in sorted((ROOT / "bench").glob("bench_*.py"))
               if not args.only or any(o in s.name for o in args.only)]
    if not scripts:
        say(f"no benchmark matches {args.only}: choose among "
            + ", ".join(s.stem.removeprefix("bench_") for s in sorted((ROOT / "bench").glob("bench_*.py"))))
        sys.exit(2)
    for script in scripts:
        sh(PY, script)


def cmd_slides(args) -> None:
    """A reveal.js deck per chapter, cut from the built site, in _build/html/slides/ (+ index.html).

    Builds the site first unless --no-build (the decks show the site's executed outputs). reveal.js
    comes from node_modules (package.json) and is copied into the site's _static/vendor/.
    """
    need_venv()
    setup_assets()
    if not args.no_build:
        cmd_build(argparse.Namespace(force=False))
    site = Path(args.site).resolve() if args.site else BUILD / "html"
    sh(PY, "-m", "infobandwidth.tools.slides", "--site", site, "--node-modules", ROOT / "node_modules",
       *args.pages)
    say(f"slides: {site / 'slides' / 'index.html'} (or `python3 run.py serve`, then /slides/)")


def cmd_assignments(args) -> None:
    """An nbgrader course in _build/course/ (or --course): one autograded assignment per chapter.

    infobandwidth.tools.autograde writes source/<n>-<chapter>/ from the chapters' coding exercises,
    then runs `nbgrader generate_assignment`, which writes release/ and gradebook.db. No build needed.
    """
    need_venv()
    course = Path(args.course).resolve() if args.course else BUILD / "course"
    sh(PY, "-m", "infobandwidth.tools.autograde", "--root", ROOT, "--course", course,
       *(f"--points={p}" for p in args.points), *(Path(c).resolve() for c in args.chapters))


def cmd_serve(args) -> None:
    sh(sys.executable, "-m", "http.server", str(args.port), "--bind", "127.0.0.1",
       "--directory", BUILD / "html")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="task", required=True)
    sub.add_parser("setup").set_defaults(func=cmd_setup)
    b = sub.add_parser("build")
    b.add_argument("--force", action="store_true", help="re-execute every chapter")
    b.set_defaults(func=cmd_build)
    t = sub.add_parser("test", prefix_chars="+")  # pytest options after `test` go to pytest
    t.add_argument("pytest_args", nargs=argparse.REMAINDER)
    t.set_defaults(func=cmd_test)
    c = sub.add_parser("chapter")
    c.add_argument("paths", nargs="+")
    c.set_defaults(func=cmd_chapter)
    # prefix_chars="+": every argument after `lab`, --options included, goes to JupyterLab
    lab = sub.add_parser("lab", prefix_chars="+",
                         description="JupyterLab on the book; arguments go to `jupyter lab`.")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER)
    lab.set_defaults(func=cmd_lab)
    ed = sub.add_parser("editions", description="Student and instructor notebooks of every chapter.")
    ed.add_argument("chapters", nargs="*", help="chapter files (default: every chapter of _toc.yml)")
    ed.add_argument("--out", help="output folder (default: editions/)")
    ed.add_argument("--no-build", action="store_true",
                    help="use the last build's numbers as they are (default: build first)")
    ed.set_defaults(func=cmd_editions)
    sub.add_parser("notebooks", description="Every chapter as a plain .ipynb in _build/notebooks/."
                   ).set_defaults(func=cmd_notebooks)
    pd = sub.add_parser("pdf", description="The print edition: a PDF per chapter and the whole book "
                        "in _build/pdf/, printed from the built site by headless Chromium.")
    pd.add_argument("chapters", nargs="*", help="chapter files (default: every page and book.pdf)")
    pd.add_argument("--solutions", choices=["omit", "appendix"], default="omit",
                    help="leave the solutions out (default) or print them in an appendix")
    pd.add_argument("--site-url", help="the published site's address (the demos' live versions)")
    pd.add_argument("--paper", choices=["A4", "Letter"], default="A4")
    pd.add_argument("--out", help="output folder (default: _build/pdf/)")
    pd.add_argument("--no-build", action="store_true", help="print the last build as it is")
    pd.set_defaults(func=cmd_pdf)
    be = sub.add_parser("bench", description="The benchmarks in bench/, e.g. `python3 run.py bench "
                        "build engine` runs bench_build.py and bench_engine.py.")
    be.add_argument("only", nargs="*", help="names (or parts of names) of benchmarks to run")
    be.set_defaults(func=cmd_bench)
    sl = sub.add_parser("slides", description="A reveal.js deck per chapter in _build/html/slides/.")
    sl.add_argument("pages", nargs="*", help="chapter pages, e.g. book/part2/bayesian.html (default: all)")
    sl.add_argument("--no-build", action="store_true", help="use the last build as it is")
    sl.add_argument("--site", help="the built site to add the decks to (default: _build/html)")
    sl.set_defaults(func=cmd_slides)
    asg = sub.add_parser("assignments", description="An nbgrader course in _build/course/: the "
                         "coding exercises of every chapter as autograded assignments.")
    asg.add_argument("chapters", nargs="*", help="chapter files (default: every chapter of _toc.yml)")
    asg.add_argument("--course", help="the course folder (default: _build/course)")
    asg.add_argument("--points", action="append", default=[], metavar="LABEL=N",
                     help="points of one exercise, by label, e.g. ex-it-xor=3 (repeatable)")
    asg.set_defaults(func=cmd_assignments)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
