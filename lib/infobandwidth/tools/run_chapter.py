"""Execute chapters (MyST .md or .ipynb) top to bottom in a fresh kernel and report the time.

    python -m infobandwidth.tools.run_chapter book/part2/information-theory.md [...]

Exit code 1 if any chapter raises; the failing cell's traceback is printed. The chapters run in
the book build's context (:mod:`infobandwidth.tools.buildenv`: ``IB_BUILD=1``, ``PYTHONHASHSEED=0``
unless set, encrypted kernel sockets), so what they show is what the build would show.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path


def execute(path: Path, timeout: int = 300):
    """Run one chapter in a fresh python3 kernel (cwd = its folder); return the executed notebook."""
    import jupytext
    from nbclient import NotebookClient

    from infobandwidth.tools.buildenv import encrypt_kernel_transport

    encrypt_kernel_transport()
    nb = jupytext.read(path)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    from infobandwidth.tools.buildenv import enter_build_context

    enter_build_context()
    failed = 0
    for arg in argv:
        path = Path(arg)
        if not path.exists():
            print(f"{arg}: no such file")
            failed += 1
            continue
        t0 = time.time()
        try:
            execute(path)
        except Exception as exc:  # report every chapter, then fail
            print(f"FAILED {arg} after {time.time() - t0:.1f} s\n{exc}")
            failed += 1
        else:
            print(f"ok     {arg}  {time.time() - t0:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
