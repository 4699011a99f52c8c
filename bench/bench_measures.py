"""Benchmark: infobandwidth.mutual_information against two plain references, same process.

    .venv/bin/python bench/bench_measures.py          (or: python3 run.py bench measures)

For dense random joints of size n × n, n in 64, 256, 1024, 4096, it times (best of several
repeats, wall clock):

ours     ``infobandwidth.information.measures.mutual_information`` — validation included;
numpy    a plain single pass written here: marginals, then one masked
         ``Σ p log2(p / (p(x) p(y)))`` over the table (no validation);
scipy    ``H(X) + H(Y) - H(X, Y)`` with ``scipy.stats.entropy(·, base=2)`` (no validation).

Target: ours within 1.5× of the numpy single pass at 4096². Prints a table, PASS/FAIL, and
exits 1 on FAIL. The three results are also compared (they must agree to 1e-9 bits).
"""
from __future__ import annotations

import gc
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np
import scipy
import scipy.stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from infobandwidth.information.measures import mutual_information

SIZES = [64, 256, 1024, 4096]
TARGET_SIZE = 4096
TARGET_RATIO = 1.5


def mi_numpy_single_pass(p: np.ndarray) -> float:
    px = p.sum(axis=1)
    py = p.sum(axis=0)
    mask = p > 0
    q = np.outer(px, py)
    pm = p[mask]
    return float(np.sum(pm * np.log2(pm / q[mask])))


def mi_scipy(p: np.ndarray) -> float:
    return float(scipy.stats.entropy(p.sum(axis=1), base=2)
                 + scipy.stats.entropy(p.sum(axis=0), base=2)
                 - scipy.stats.entropy(p.ravel(), base=2))


def best_time(f, p: np.ndarray, repeats: int) -> tuple[float, float]:
    f(p)  # warm up
    best = math.inf
    value = math.nan
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        value = f(p)
        best = min(best, time.perf_counter() - t0)
    return best, value


def main() -> int:
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, python {platform.python_version()}, "
          f"{platform.machine()}")
    rng = np.random.default_rng(0)
    header = (f"{'n × n':>11} {'ours [ms]':>10} {'numpy [ms]':>11} {'scipy [ms]':>11} "
              f"{'ours/numpy':>11} {'ours/scipy':>11}")
    print(header)
    print("-" * len(header))
    verdict = True
    target_ratio = math.nan
    for n in SIZES:
        p = rng.random((n, n))
        p **= 2  # skewed, and heavier in one quadrant so that X and Y are dependent (I > 0)
        p[: n // 2, : n // 2] *= 4.0
        p /= p.sum()
        repeats = 30 if n <= 256 else (10 if n <= 1024 else 5)
        t_ours, v_ours = best_time(mutual_information, p, repeats)
        t_np, v_np = best_time(mi_numpy_single_pass, p, repeats)
        t_sp, v_sp = best_time(mi_scipy, p, repeats)
        if not (abs(v_ours - v_np) < 1e-9 and abs(v_ours - v_sp) < 1e-9):
            print(f"results disagree at n={n}: ours {v_ours!r}, numpy {v_np!r}, scipy {v_sp!r}")
            verdict = False
        r_np, r_sp = t_ours / t_np, t_ours / t_sp
        print(f"{n:>5} × {n:<5} {1e3 * t_ours:>10.3f} {1e3 * t_np:>11.3f} {1e3 * t_sp:>11.3f} "
              f"{r_np:>11.2f} {r_sp:>11.2f}")
        if n == TARGET_SIZE:
            target_ratio = r_np
        del p
    ok = verdict and target_ratio <= TARGET_RATIO
    print(f"target: ours within {TARGET_RATIO}× of the numpy single pass at "
          f"{TARGET_SIZE}²: ratio {target_ratio:.2f} -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
