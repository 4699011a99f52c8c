"""Benchmark rows for the book build, against the targets of the finished book on this machine:

(a) cold build, every notebook executed                                       target <= 300 s
(b) edit one chapter's code, rebuild: only that chapter re-executes           target <=  20 s
(c) edit one lib module that exactly one chapter uses (chosen with
    infobandwidth.tools.deps, a figures module), rebuild: only that chapter
    re-executes                                                               target <=  20 s

    python bench/bench_build.py          (or: python3 run.py bench build)

Works on a throw-away copy of the work tree (tracked and untracked-but-not-ignored files;
node_modules linked in), with the copy's lib/ first on PYTHONPATH so the kernels and the book's
extension use the copy's library; the repository's own _build, chapters and lib are never touched.
Every build is `python3 run.py build` in the copy (its .venv a link to this one), with IB_BUILD and
PYTHONHASHSEED removed from the environment (the book's extension sets them).

Which notebooks a build executed is read from its log (myst-nb's "Executed notebook in N seconds"
lines). The table also splits each time into the notebooks' own execution and the rest
(jupyter-book/Sphinx start-up, reading, writing the pages).
Prints a table; exits 1 if a target is missed or a rebuild executed another notebook than expected.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLD_TARGET_S = 300.0
ONE_CHAPTER_TARGET_S = 20.0
EDITED = "book/part2/information-theory.md"


SKIP = {".git", ".venv", "_build", "node_modules", ".pytest_cache", ".hypothesis", "__pycache__"}


def copy_tree(dst: Path) -> None:
    git = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True)
    if git.returncode == 0:
        files = git.stdout.split("\0")
    else:  # not a git checkout (e.g. an exported copy): everything but the generated folders
        files = []
        for folder, dirs, names in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in SKIP]
            files += [(Path(folder) / n).relative_to(ROOT).as_posix() for n in names]
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file() and not src.is_symlink():  # skip files deleted in the work tree
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / f)
    if (ROOT / "node_modules").exists():
        (dst / "node_modules").symlink_to(ROOT / "node_modules")
    (dst / ".venv").symlink_to(ROOT / ".venv")  # run.py uses the copy's .venv


def env_for(src: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("IB_BUILD", "PYTHONHASHSEED")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src / "lib"), env.get("PYTHONPATH")) if p)
    return env


_EXECUTED = re.compile(r"^(?P<path>\S+): Executed notebook in (?P<s>[\d.]+) seconds", re.M)


def build(src: Path) -> tuple[float, list[tuple[str, float]]]:
    """Build the copy; return the wall time and the (chapter, execution s) of the notebooks executed.

    Executed notebooks are read from the build's log (myst-nb's "<path>: Executed notebook in
    <s> seconds" line, one per execution; a notebook served from the cache logs "Using cached").
    """
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "run.py", "build"],
                          cwd=src, env=env_for(src), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    if proc.returncode != 0:
        sys.stdout.write(log[-6000:])
        raise SystemExit(f"the build failed (exit {proc.returncode})")
    if "without encryption" in log:
        print("note: a kernel warned about unencrypted TCP (see infobandwidth.tools.buildenv)")
    executed = [(Path(m["path"]).resolve().relative_to(src.resolve()).as_posix(), float(m["s"]))
                for m in _EXECUTED.finditer(log)]
    return wall, executed


def leaf_module(src: Path) -> tuple[str, Path, str]:
    """A figures module used by exactly one chapter (the edited chapter's if possible)."""
    sys.path.insert(0, str(src / "lib"))
    try:
        from infobandwidth.tools import deps

        lib = deps.Lib(src / "lib" / "infobandwidth")
        users: dict[str, list[str]] = {}
        for chapter in deps.toc_chapters(src):
            for mod in deps.chapter_modules(lib, chapter):
                users.setdefault(mod, []).append(chapter.relative_to(src).as_posix())
    finally:
        sys.path.remove(str(src / "lib"))
    leaves = sorted((m, u[0]) for m, u in users.items()
                    if len(u) == 1 and ".figures." in m and not m.rsplit(".", 1)[1].startswith("_"))
    if not leaves:
        raise SystemExit("no figures module is used by exactly one chapter: see "
                         "`python -m infobandwidth.tools.deps leaves`")
    mod, chapter = next(((m, c) for m, c in leaves if c == EDITED), leaves[0])
    return mod, lib.modules[mod], chapter


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ib-bench-build-") as tmp:
        src = Path(tmp)
        copy_tree(src)
        cold, cold_exec = build(src)
        print(f"(a) cold build: {cold:.1f} s, {len(cold_exec)} notebooks executed", flush=True)

        chapter = src / EDITED
        text = chapter.read_text()
        # change one code cell (the cache keys on code), as an author editing the chapter would
        chapter.write_text(text.replace("import numpy as np", "import numpy as np  # edited", 1))
        one, one_exec = build(src)
        print(f"(b) one chapter: {one:.1f} s, executed {one_exec}", flush=True)

        mod, mod_file, user = leaf_module(src)
        mod_file.write_text(mod_file.read_text() + "\n# edited by bench_build\n")
        leaf, leaf_exec = build(src)
        print(f"(c) {mod} (used by {user} only): {leaf:.1f} s, executed {leaf_exec}", flush=True)

    rows = [
        ("(a) cold build, every notebook executed", cold, COLD_TARGET_S, None, len(cold_exec) > 0),
        (f"(b) edit {EDITED}", one, ONE_CHAPTER_TARGET_S, one_exec,
         [c for c, _ in one_exec] == [EDITED]),
        (f"(c) edit {mod.removeprefix('infobandwidth.')}", leaf, ONE_CHAPTER_TARGET_S, leaf_exec,
         [c for c, _ in leaf_exec] == [user]),
    ]
    print(f"\n{'row':<52}{'seconds':>8}{'target':>8}{'executed':>10}{'exec s':>8}{'rest s':>8}  verdict")
    ok = True
    for name, t, target, executed, right in rows:
        verdict = "PASS" if t <= target and right else "FAIL"
        ok &= verdict == "PASS"
        n = len(cold_exec) if executed is None else len(executed)
        exec_s = sum(s for _, s in (cold_exec if executed is None else executed))
        print(f"{name:<52}{t:>8.1f}{target:>8.0f}{n:>10}{exec_s:>8.1f}{t - exec_s:>8.1f}  {verdict}"
              + ("" if right else "  (executed other notebooks than expected)"))
    print(f"ratio one-chapter / cold: {one / cold:.3f};  load average: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
