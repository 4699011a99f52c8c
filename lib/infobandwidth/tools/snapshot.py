"""Snapshot every number the book shows, to compare a refactoring's before and after.

    python -m infobandwidth.tools.snapshot save  _build  before.json   # after a build
    python -m infobandwidth.tools.snapshot diff  before.json after.json

``save`` collects every glued value of the executed chapters (MyST-NB keeps them in
``_build/jupyter_execute/<chapter>.glue.json``) and every registered claim check's verdict and
numbers, as their full ``repr``. ``diff`` reports what differs: values that are not numbers must be
identical; numbers are reported with their absolute difference, so a change in the last bits of a
float (a different summation order) is told apart from a change of result. It exits 1 if any
value differs by more than ``--atol`` (default 1e-12) or any text or verdict differs.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

__all__ = ["collect", "compare"]


def collect(build: Path) -> dict:
    """Glued values (chapter -> name -> text/plain) and claim checks (id -> verdict, numbers)."""
    out: dict = {"glue": {}, "claims": {}}
    for f in sorted((Path(build) / "jupyter_execute").rglob("*.glue.json")):
        data = json.loads(f.read_text())
        out["glue"][f.relative_to(build).as_posix()] = {
            k: v.get("data", {}).get("text/plain") for k, v in sorted(data.items())}
    from infobandwidth.book.claims.registry import all_claims

    for r in all_claims():
        out["claims"][r.id] = {"verdict": r.verdict,
                               "numbers": {k: repr(v) for k, v in r.numbers.items()}}
    return out


def _as_float(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def compare(before: dict, after: dict, atol: float = 1e-12) -> tuple[list[str], float, int]:
    """Lines describing every difference, the largest numeric difference, the number compared."""
    lines: list[str] = []
    worst, n = 0.0, 0

    def one(where: str, a, b) -> None:
        nonlocal worst, n
        n += 1
        if a == b:
            return
        fa, fb = _as_float(a), _as_float(b)
        if fa is not None and fb is not None and math.isfinite(fa) and math.isfinite(fb):
            d = abs(fa - fb)
            worst = max(worst, d)
            lines.append(f"{'CHANGED' if d > atol else 'ulp'} {where}: {a} -> {b} (|Δ| = {d:.3g})")
        else:
            lines.append(f"CHANGED {where}: {a!r} -> {b!r}")

    for doc in sorted(set(before["glue"]) | set(after["glue"])):
        x, y = before["glue"].get(doc, {}), after["glue"].get(doc, {})
        for k in sorted(set(x) | set(y)):
            one(f"{doc}:{k}", x.get(k), y.get(k))
    for cid in sorted(set(before["claims"]) | set(after["claims"])):
        x, y = before["claims"].get(cid, {}), after["claims"].get(cid, {})
        one(f"claim {cid}: verdict", x.get("verdict"), y.get("verdict"))
        for k in sorted(set(x.get("numbers", {})) | set(y.get("numbers", {}))):
            one(f"claim {cid}: {k}", x.get("numbers", {}).get(k), y.get("numbers", {}).get(k))
    return lines, worst, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("save")
    s.add_argument("build", type=Path)
    s.add_argument("out", type=Path)
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    d.add_argument("--atol", type=float, default=1e-12)
    args = ap.parse_args(argv)
    if args.cmd == "save":
        args.out.write_text(json.dumps(collect(args.build), indent=1, ensure_ascii=False, sort_keys=True))
        return 0
    lines, worst, n = compare(json.loads(args.before.read_text()), json.loads(args.after.read_text()),
                              args.atol)
    print("\n".join(lines))
    changed = sum(line.startswith("CHANGED") for line in lines)
    print(f"{n} values compared: {n - len(lines)} identical, {len(lines) - changed} differ in the last "
          f"bits (largest |Δ| = {worst:.3g}), {changed} changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
