"""Benchmark: the exact bandwidth engine (infobandwidth.signals.bandwidth.signal_bandwidth) by problem size.

    .venv/bin/python bench/bench_engine.py          (or: python3 run.py bench engine)

For a few reward families at about 10^5, 10^6 and 10^7 (ξ, τ) pairs it times one complete
``signal_bandwidth(family, signal, policy)`` call (signal: the sparse return, or the dense reward vector) — optimal policies, signal codes and every number
(H(S), I(S;π*), I(S;ξ), I(S;ξ|τ), I(S;π*|τ), ...) — on a fresh family each time, under a random
softmax behaviour policy (all τ have positive probability, so all pairs are enumerated).
Wall clock, best and median of 3 runs; CPU time of the best run.

Baseline, same run: ``naive`` builds the joint p(ξ, π*, τ, S) in Python dictionaries with a loop
over (ξ, τ) pairs (the way the tests' oracle does), at the ~10^5 size of every family (10^6 takes
~25 s, see NAIVE_AT); its numbers must agree with the engine's to 1e-9 bits. The ratio
naive/engine is printed.

Target: every >= 10^7-pair case in <= 2 s (best of 3, wall clock). Prints a table, PASS/FAIL, and
exits 1 on FAIL. The machine is shared: the load average is printed with the results.
"""
from __future__ import annotations

import gc
import math
import os
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
os.environ.setdefault("IB_BUILD", "1")  # no progress bars
from infobandwidth.model.mdp import TokenMDP, softmax_policy
from infobandwidth.model.rewards import MAX_PAIRS, exact_match, match_count, token_utility
from infobandwidth.signals.bandwidth import signal_bandwidth

TARGET_SECONDS = 2.0
REPEATS = 3

# (label, family builder, signal, [(V, T), ...]); pairs = n_xi · V^T
CASES = [
    ("exact_match", lambda m: exact_match(m), "return", [(7, 3), (10, 3), (15, 3)]),
    ("match_count B=2", lambda m: match_count(m, levels=2), "return", [(7, 3), (10, 3), (15, 3)]),
    ("token_utility 0/1", lambda m: token_utility(m, (0.0, 1.0)), "return", [(2, 6), (2, 7), (2, 8)]),
    ("exact_match", lambda m: exact_match(m), "dense", [(7, 3), (15, 3)]),
    ("match_count", lambda m: match_count(m), "dense", [(7, 3), (15, 3)]),
]
NAIVE_AT: set[tuple[str, int, int]] = set()  # add e.g. ("exact_match", 10, 3) for 10^6 (25 s)


def policy_for(mdp: TokenMDP):
    rng = np.random.default_rng(0)
    return softmax_policy(mdp, rng.normal(size=(mdp.n_prefixes, mdp.V)))


def naive(fam, pol, signal: str) -> dict[str, float]:
    """The joint in dictionaries, one Python iteration per (ξ, τ) pair."""
    mdp = fam.mdp
    R = fam.sparse_table().tolist()
    if signal == "dense":
        S = [[tuple(v) for v in row] for row in np.round(fam.dense_table(), 9).tolist()]
    else:
        S = R
    p_tau = pol.trajectory_probs().tolist()
    prior = fam.prior.tolist()
    n_tr = mdp.n_trajectories
    pi = [max(range(n_tr), key=lambda t, r=row: (r[t], -t)) for row in R]
    joint: dict[tuple, float] = defaultdict(float)
    for x in range(fam.n_xi):
        row, px, c = S[x], prior[x], pi[x]
        for t in range(n_tr):
            joint[(x, c, t, row[t])] += px * p_tau[t]

    def H(*axes):
        m: dict[tuple, float] = defaultdict(float)
        for k, v in joint.items():
            m[tuple(k[a] for a in axes)] += v
        return -sum(v * math.log2(v) for v in m.values() if v > 0)

    hs = H(3)
    return {
        "H_S": hs,
        "I_S_pi": hs - (H(1, 3) - H(1)),
        "I_S_xi_given_tau": H(2, 3) - H(2),
        "I_S_pi_given_tau": (H(2, 3) - H(2)) - (H(1, 2, 3) - H(1, 2)),
    }


def timed(f) -> tuple[float, float, float, object]:
    walls, cpus, out = [], [], None
    for _ in range(REPEATS):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        out = f()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    i = int(np.argmin(walls))
    return walls[i], float(np.median(walls)), cpus[i], out


def main() -> int:
    print(f"bench_engine — Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(f"pair budget MAX_PAIRS = {MAX_PAIRS:.0e}; target: ~1e7 pairs in <= {TARGET_SECONDS} s\n")
    head = (f"{'family':18s} {'signal':7s} {'V':>3s} {'T':>2s} {'pairs':>10s} {'best s':>8s} {'median s':>9s} "
            f"{'cpu s':>7s} {'Mpairs/s':>9s} {'naive s':>8s} {'ratio':>7s}  verdict")
    print(head)
    print("-" * len(head))
    ok = True
    for label, build, signal, sizes in CASES:
        for V, T in sizes:
            mdp = TokenMDP(V, T)
            pol = policy_for(mdp)
            pairs = build(mdp).n_xi * mdp.n_trajectories
            best, med, cpu, b = timed(lambda: signal_bandwidth(build(mdp), signal, pol))
            nv, ratio = "", ""
            if pairs <= 2e5 or (label, V, T) in NAIVE_AT:
                fam = build(mdp)
                t0 = time.perf_counter()
                ref = naive(fam, pol, signal)
                tn = time.perf_counter() - t0
                for k, v in ref.items():
                    if abs(getattr(b, k) - v) > 1e-9:
                        print(f"  MISMATCH {label} {k}: engine {getattr(b, k)!r} naive {v!r}")
                        ok = False
                nv, ratio = f"{tn:8.2f}", f"{tn / best:6.0f}x"
            verdict = ""
            if pairs >= 1e7:
                passed = best <= TARGET_SECONDS
                ok &= passed
                verdict = "PASS" if passed else "FAIL"
            print(f"{label:18s} {signal:7s} {V:3d} {T:2d} {pairs:10.2e} {best:8.3f} {med:9.3f} {cpu:7.3f} "
                  f"{pairs / best / 1e6:9.1f} {nv:>8s} {ratio:>7s}  {verdict}")
    print(f"\nload average {os.getloadavg()[0]:.1f} at end")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
