"""Benchmark rows for the book build: a cold build (every notebook executed) and a rebuild after
editing one chapter's code, against the targets of the finished book on this machine.

    python bench/bench_build.py          (or: python3 run.py bench build)

Works on a throw-away copy of the tracked files (node_modules linked in), so the repository's
own _build and chapters are never touched. Prints a table; exits 1 if a target is missed.
Targets: cold <= 300 s, one chapter <= 20 s.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COLD_TARGET_S = 300.0
ONE_CHAPTER_TARGET_S = 20.0
EDITED = "book/part2/information-theory.md"


def build(src: Path) -> float:
    env = {**os.environ, "IB_BUILD": "1", "PYTHONHASHSEED": "0"}
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going", "-q"],
                   cwd=src, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True,
                           text=True).stdout.split()
    with tempfile.TemporaryDirectory(prefix="ib-bench-build-") as tmp:
        src = Path(tmp)
        for f in files:
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, src / f)
        if (ROOT / "node_modules").exists():
            (src / "node_modules").symlink_to(ROOT / "node_modules")
        cold = build(src)
        chapter = src / EDITED
        text = chapter.read_text()
        # change one code cell (the cache keys on code), as an author editing the chapter would
        chapter.write_text(text.replace("import numpy as np", "import numpy as np  # edited", 1))
        one = build(src)
    rows = [("cold build, every notebook executed", cold, COLD_TARGET_S),
            (f"rebuild after editing {EDITED}", one, ONE_CHAPTER_TARGET_S)]
    print(f"{'row':<58}{'seconds':>9}{'target':>9}  verdict")
    ok = True
    for name, t, target in rows:
        verdict = "PASS" if t <= target else "FAIL"
        ok &= verdict == "PASS"
        print(f"{name:<58}{t:>9.1f}{target:>9.0f}  {verdict}")
    print(f"ratio one-chapter / cold: {one / cold:.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
