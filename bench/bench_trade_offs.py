"""Benchmark: wall time per episode of REINFORCE and actor-critic, against the counted operations (§4.6).

    .venv/bin/python bench/bench_trade_offs.py

``book/part4/trade-offs.md`` compares learners by *counted* operations
(:func:`infobandwidth.learning.cost.ops_per_episode`), because time depends on the machine and a
page must build twice to the same numbers. This script shows how time relates to the counts on this
machine, as ratios against a baseline measured in the same process: REINFORCE with the sparse
return. Each learner runs on a hidden string (``HiddenString(2, T)``, lazy prefix table, no ideal
observer, exact ``J`` only at the end) with the same number of updates and batch size; best of 3.

Numpy's per-call overhead dominates small tabular updates, so the time ratio need not follow the
operation ratio; the page's argument rests on the counts. The load average is printed with the results.
"""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
os.environ.setdefault("IB_BUILD", "1")  # no progress bars
from infobandwidth.learning.actor_critic import actor_critic
from infobandwidth.learning.cost import ops_per_episode
from infobandwidth.learning.reinforce import reinforce
from infobandwidth.learning.tabular import HiddenString

REPEATS = 3
UPDATES = 200
BATCH = 16
HORIZONS = (8, 32, 60)   # V**T must stay below 2**62


def best(f) -> float:
    out = float("inf")
    for rep in range(REPEATS):
        gc.collect()
        t0 = time.perf_counter()
        f(rep)
        out = min(out, time.perf_counter() - t0)
    return out


def main() -> int:
    print(f"bench_trade_offs — load average {os.getloadavg()[0]:.1f}; {UPDATES} updates of {BATCH} "
          f"episodes, |V| = 2")
    print(f"\n{'T':>5s} {'learner':<28s} {'time / base':>11s} {'ops / base':>10s}")
    for T in HORIZONS:
        task = HiddenString(2, T)
        kw = dict(n_updates=UPDATES, batch_size=BATCH, eval_every=UPDATES, posterior=False)
        runs = {
            "reinforce": lambda s: reinforce(task, 0, lr=1.0, baseline="mean", seed=s, **kw),
            "reinforce-rtg": lambda s: reinforce(task, 0, lr=1.0, baseline="mean", reward_to_go=True,
                                                 dense=True, seed=s, **kw),
            "actor-critic": lambda s: actor_critic(task, 0, lr_actor=1.0, dense=True, seed=s, **kw),
        }
        base_t = best(runs["reinforce"])
        base_ops = ops_per_episode("reinforce", 2, T, batch_size=BATCH).total
        for name, f in runs.items():
            t = base_t if name == "reinforce" else best(f)
            ops = ops_per_episode(name, 2, T, batch_size=BATCH).total
            print(f"{T:5d} {name:<28s} {t / base_t:11.2f} {float(ops / base_ops):10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
