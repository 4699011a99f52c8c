"""Live latency of every demo: what a JupyterLab reader waits for after moving a slider.

    python3 run.py bench demos        (or: .venv/bin/python bench/bench_demos.py [--repeat N])

For every demo registered in ``infobandwidth.book.figures`` (``infobandwidth.book.demos.all_demos``) the whole
grid is swept in the live form's work unit — ``func(**params)`` + drawing + PNG encoding
(``render_frame(..., quantise=False)``), exactly what the live widget does on a cache miss — and
the per-demo p50/p95/max are printed against the **100 ms p95 target**. Machines differ, so every
number is also given as a ratio to a baseline measured in the same process: rendering an empty
matplotlib figure of the same size to PNG.

Then the same moves with the live form's frame cache (``LIVE_CACHE``): a revisited point, and a
one-step slider move once the neighbour prefetch has run, cost a cache lookup. Results are also
written to ``bench/results/demos.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.pop("IB_BUILD", None)  # the live form

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from infobandwidth.book import demos  # noqa: E402

TARGET_P95_S = 0.100
ROOT = Path(__file__).resolve().parents[1]


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def baseline(figsize=(6.4, 3.4), n=30) -> float:
    """p50 seconds to render an empty figure to PNG at the frame resolution."""
    import io

    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fig = plt.figure(figsize=figsize)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=demos.FRAME_DPI, facecolor="white")
        plt.close(fig)
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def sweep(demo, repeat: int) -> dict:
    cold, cached = [], []
    points = list(demo.points())
    demos.render_frame(demo, points[0], quantise=False)  # warm-up: imports, font cache
    for _ in range(repeat):
        for p in points:
            t0 = time.perf_counter()
            demos.render_frame(demo, p, quantise=False)
            cold.append(time.perf_counter() - t0)
    cache = demos._FrameCache(size=max(demos.LIVE_CACHE_FRAMES, len(points)))
    for p in points:
        cache.put(demo, p)
    for p in points:
        t0 = time.perf_counter()
        cache.get(demo, p)
        cached.append(time.perf_counter() - t0)
    return {
        "frames": len(points),
        "p50_s": pct(cold, 0.5), "p95_s": pct(cold, 0.95), "max_s": max(cold),
        "cached_p95_s": pct(cached, 0.95),
    }


def reader(demo, moves: int, think_s: float, seed: int = 0) -> dict:
    """A reader in JupyterLab: the live widget, then random one-step slider moves.

    Each move is timed from setting the slider to the new frame being in the image widget (the
    observer runs synchronously). Between moves the reader looks for ``think_s`` seconds, while the
    prefetcher renders ahead.
    """
    import random

    rng = random.Random(seed)
    demos.LIVE_CACHE.clear()
    quiet = contextlib.redirect_stdout(io.StringIO())  # Output.clear_output's escapes outside Jupyter
    quiet.__enter__()
    start = t0 = time.perf_counter()
    box = demos.show(demo, form="live")
    first = time.perf_counter() - t0
    sliders = list(box.ib_sliders.values())
    lat = []
    for _ in range(moves):
        time.sleep(think_s)
        s = rng.choice([s for s in sliders if len(s.options) > 1] or sliders)
        j = s.index + rng.choice([-1, 1])
        j = min(max(j, 0), len(s.options) - 1) if len(s.options) > 1 else 0
        if j == s.index:
            j = s.index - 1 if s.index > 0 else s.index + 1
        t0 = time.perf_counter()
        s.index = j
        lat.append(time.perf_counter() - t0)
    misses = demos.LIVE_CACHE.misses - 1
    while len(demos.LIVE_CACHE) < demo.n_frames and time.perf_counter() - start < 120:
        time.sleep(0.05)
    grid_s = time.perf_counter() - start
    box.close()
    quiet.__exit__(None, None, None)
    return {"first_frame_s": first, "moves": moves, "think_s": think_s, "misses": misses,
            "p50_s": pct(lat, 0.5), "p95_s": pct(lat, 0.95), "max_s": max(lat),
            "whole_grid_cached_after_s": grid_s, "prefetch": type(box.ib_prefetcher).__name__}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1, help="sweeps of each grid (default 1)")
    ap.add_argument("--package", default="infobandwidth.book.figures")
    ap.add_argument("--moves", type=int, default=30, help="slider moves of the simulated reader")
    ap.add_argument("--think", type=float, default=0.5, help="seconds between two moves")
    args = ap.parse_args(argv)

    base = baseline()
    found = demos.all_demos(args.package)
    print(f"baseline: empty figure -> PNG at {demos.FRAME_DPI} dpi: {base * 1e3:.1f} ms (p50)")
    print(f"target: p95 <= {TARGET_P95_S * 1e3:.0f} ms per slider move "
          f"(= {TARGET_P95_S / base:.1f}x baseline on this machine)\n")
    if not found:
        print("no demos registered in", args.package)
        return 0
    head = (f"{'demo':24} {'frames':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/base':>9} "
            f"{'cold':>6} {'cached p95':>11}")
    print(head)
    print("-" * len(head))
    results = {"baseline_s": base, "target_p95_s": TARGET_P95_S, "frame_dpi": demos.FRAME_DPI,
               "python": sys.version.split()[0], "cpus": os.cpu_count(), "demos": {}}
    for demo in found:
        r = sweep(demo, args.repeat)
        r["ratio_p95_to_baseline"] = r["p95_s"] / base
        r["cold_meets_target"] = r["p95_s"] <= TARGET_P95_S
        results["demos"][demo.name] = r
        print(f"{demo.name:24} {r['frames']:6d} {r['p50_s'] * 1e3:8.1f} {r['p95_s'] * 1e3:8.1f} "
              f"{r['max_s'] * 1e3:8.1f} {r['ratio_p95_to_baseline']:8.1f}x "
              f"{'ok' if r['cold_meets_target'] else 'SLOW':>6} {r['cached_p95_s'] * 1e6:8.1f} µs")
    slow = [n for n, r in results["demos"].items() if not r["cold_meets_target"]]
    print()
    if slow:
        print(f"over the target on a cache miss: {', '.join(slow)}. The live form therefore renders "
              f"the grid ahead of the reader (nearest points first, in a worker process) and serves "
              f"moves from its frame cache; the reader simulation below measures what that buys.")
    else:
        print("every demo meets the target even on a cache miss.")
    print(f"\nthe live widget as a reader uses it: {args.moves} random one-step moves, "
          f"{args.think:g} s apart, from a cold cache (prefetch renders ahead meanwhile)")
    head = (f"{'demo':24} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'misses':>7} "
            f"{'vs 100 ms':>10} {'grid cached':>12}")
    print(head)
    print("-" * len(head))
    for demo in found:
        r = reader(demo, args.moves, args.think)
        results["demos"][demo.name]["reader"] = r
        print(f"{demo.name:24} {r['first_frame_s'] * 1e3:9.1f} {r['p50_s'] * 1e3:8.1f} "
              f"{r['p95_s'] * 1e3:8.1f} {r['max_s'] * 1e3:8.1f} {r['misses']:4d}/{r['moves']:<2d} "
              f"{'ok' if r['p95_s'] <= TARGET_P95_S else 'SLOW':>10} {r['whole_grid_cached_after_s']:10.1f} s")
    print(f"(prefetch: {', '.join(sorted({r['reader']['prefetch'] for r in results['demos'].values()}))}; "
          "after 'grid cached' every move is a lookup, see 'cached p95' above)")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "demos.json").write_text(json.dumps(results, indent=2))
    print(f"\nwritten: {out / 'demos.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
