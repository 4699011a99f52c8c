"""Benchmark: episode-steps per second of the learners (infobandwidth.learning) by problem size.

    .venv/bin/python bench/bench_learners.py          (or: python3 run.py bench learners)

For V in {2, 3, 4} and T in {4, 8, 16} it times complete runs on the hidden-string task
(``HiddenString``: ``V**T`` up to 4.3·10^9, so the large sizes use the lazily allocated trie):

``reinforce``      sparse return, running-mean baseline;
``actor_critic``   dense per-token rewards, learned TD(0) critic;
``reinforce+obs``  as ``reinforce`` but with a full curve row after *every* update: exact J and
                   the ideal observer's posterior entropy (closed form for this task), to show
                   that the curve does not dominate.

A second, informational table (no verdict) times ``reinforce`` on reward *families*
(``exact_match`` on an enumerable ``TokenMDP``) with a curve row every 10 updates: exact J by
``mdp.expected_return`` (``O(T·V**T)``) and the observer by ``BayesLearner``'s signal codes
(``O(|Ξ|·episodes)``), against the same run with the curve off.

The first two record the curve only at the start and the end (``eval_every = n_updates``,
``posterior=False``), i.e. they time the learner itself. Batch: 32 episodes per update; each run
takes about 2·10^5 episode-steps. Wall clock, best of 3.

Baseline, same process: ``numpy`` samples the same number of episodes batch by batch with the
same per-step loop (a cumulative-sum draw per step from a fixed softmax), with no prefix table, no
rewards and no update: the floor cost of generating the tokens. The ratio learner/baseline is the
price of learning.

Target: every learner >= 1e5 episode-steps/s. Prints a table, PASS/FAIL, and exits 1 on FAIL.
The machine is shared: the load average is printed with the results.
"""
from __future__ import annotations

import gc
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
os.environ.setdefault("IB_BUILD", "1")  # no progress bars
from infobandwidth.learning.actor_critic import actor_critic
from infobandwidth.learning.reinforce import reinforce
from infobandwidth.learning.tabular import HiddenString
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import exact_match

TARGET = 1e5  # episode-steps per second
BATCH = 32
STEPS_PER_RUN = 200_000
REPEATS = 3
SIZES = [(V, T) for V in (2, 3, 4) for T in (4, 8, 16)]
FAMILY_SIZES = [(2, 4), (2, 8), (3, 4), (4, 4), (2, 12)]


def numpy_sampling(V: int, T: int, n_updates: int, seed: int) -> None:
    """The baseline: the same episodes drawn step by step from a fixed softmax, batch by batch."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=V)
    for _ in range(n_updates):
        U = rng.random((T, BATCH))
        k = np.zeros(BATCH, dtype=np.int64)
        for t in range(T):
            e = np.exp(np.broadcast_to(logits, (BATCH, V)))
            c = np.add.accumulate(e, axis=1)
            tok = (c[:, :-1] <= (U[t] * c[:, -1])[:, None]).sum(axis=1)
            k = k * V + tok


def best_rate(f, steps: int) -> float:
    best = float("inf")
    for rep in range(REPEATS):
        gc.collect()
        t0 = time.perf_counter()
        f(rep)
        best = min(best, time.perf_counter() - t0)
    return steps / best


def main() -> int:
    print(f"bench_learners — Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(f"batch {BATCH} episodes/update, ~{STEPS_PER_RUN:.0e} episode-steps per run, best of "
          f"{REPEATS}; target >= {TARGET:.0e} episode-steps/s for every learner\n")
    head = (f"{'V':>2s} {'T':>3s} {'V^T':>10s} {'table':>6s} {'numpy':>10s} {'reinforce':>10s} "
            f"{'actor_crit':>10s} {'reinf+obs':>10s} {'RF/np':>6s} {'AC/np':>6s}  verdict")
    print(head)
    print("-" * len(head))
    ok = True
    for V, T in SIZES:
        hs = HiddenString(V, T)
        xi = hs.n_xi // 3
        n_up = max(1, STEPS_PER_RUN // (BATCH * T))
        steps = n_up * BATCH * T
        base = best_rate(lambda s: numpy_sampling(V, T, n_up, s), steps)
        common = dict(n_updates=n_up, batch_size=BATCH, eval_every=n_up, posterior=False)
        rf = best_rate(lambda s: reinforce(hs, xi, baseline="mean", seed=s, **common), steps)
        ac = best_rate(lambda s: actor_critic(hs, xi, dense=True, seed=s, **common), steps)
        full = dict(common, eval_every=1, posterior=True)
        obs = best_rate(lambda s: reinforce(hs, xi, baseline="mean", seed=s, **full), steps)
        table = reinforce(hs, xi, n_updates=1, batch_size=1).settings["table"]
        passed = min(rf, ac, obs) >= TARGET
        ok &= passed
        print(f"{V:2d} {T:3d} {hs.n_xi:10.2e} {table:>6s} {base:10.3g} {rf:10.3g} {ac:10.3g} "
              f"{obs:10.3g} {base / rf:6.1f} {base / ac:6.1f}  {'PASS' if passed else 'FAIL'}")
    print("\n(episode-steps/s; RF/np and AC/np: how many times slower than bare numpy sampling)")

    print("\nfamilies (exact_match), reinforce, episode-steps/s: curve off vs a row every 10 updates")
    head = f"{'V':>2s} {'T':>3s} {'|Xi|':>8s} {'curve off':>10s} {'every 10':>10s} {'ratio':>6s}"
    print(head)
    print("-" * len(head))
    for V, T in FAMILY_SIZES:
        fam = exact_match(TokenMDP(V, T))
        n_up = max(10, STEPS_PER_RUN // 4 // (BATCH * T))
        steps = n_up * BATCH * T
        off = best_rate(lambda s: reinforce(fam, 1, baseline="mean", seed=s, n_updates=n_up,
                                            batch_size=BATCH, eval_every=n_up, posterior=False), steps)
        on = best_rate(lambda s: reinforce(fam, 1, baseline="mean", seed=s, n_updates=n_up,
                                           batch_size=BATCH, eval_every=10, posterior=True), steps)
        print(f"{V:2d} {T:3d} {fam.n_xi:8d} {off:10.3g} {on:10.3g} {off / on:6.1f}")
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
