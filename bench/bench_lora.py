"""Benchmark: the time of one arm of §4.2.2 (``book/part4/lora-miniature.md``).

    .venv/bin/python bench/bench_lora.py          (or: python3 run.py bench lora)

One arm = one fine-tuning run at the chapter's settings (``SETTINGS``: P prompts, width d, |V|
tokens, the episode budget), timed for full fine-tuning and for rank-1 LoRA, under RL and SFT.

Baseline, same process: the forward pass alone (``forward`` on the same batches, no sampling, no
backward pass, no optimiser), as many times as the run has updates. The ratio arm/baseline is the
price of sampling, backpropagation and Adam. Wall clock, best of 3, one BLAS thread (as in the
chapter). The machine is shared: the load average is printed with the results.
"""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
os.environ.setdefault("IB_BUILD", "1")  # no progress bars
from infobandwidth.book.experiments.lora_miniature import SETTINGS, world
from infobandwidth.learning.lora import forward, one_blas_thread, rl_finetune, sft_finetune

REPEATS = 3
TARGET_SECONDS = 1.0  # one arm must take at most this long alone


def best(f) -> float:
    out = float("inf")
    for rep in range(REPEATS):
        gc.collect()
        t0 = time.perf_counter()
        f(rep)
        out = min(out, time.perf_counter() - t0)
    return out


def main() -> int:
    s = SETTINGS
    w = world()
    n_up = s["episodes"] // (s["rl_batch"] * s["group"])
    per = s["rl_batch"] * s["group"]
    print(f"bench_lora — numpy {np.__version__}, load average {os.getloadavg()[0]:.1f}; "
          f"P={s['P']}, d={s['d']}, |V|={s['V']}, {s['episodes']} episodes = {n_up} updates of {per}")

    def baseline(seed):
        rng = np.random.default_rng(seed)
        with one_blas_thread():
            for _ in range(n_up):
                forward(w.net, rng.integers(0, s["P"], size=per))

    base = best(baseline)
    rows = {
        "rl full": lambda seed: rl_finetune(w.net, w.targets, rank=None, lr=0.01, episodes=s["episodes"],
                                            batch=s["rl_batch"], group=s["group"], seed=seed),
        "rl rank 1": lambda seed: rl_finetune(w.net, w.targets, rank=1, lr=0.03, episodes=s["episodes"],
                                              batch=s["rl_batch"], group=s["group"], seed=seed),
        "sft full": lambda seed: sft_finetune(w.net, w.sft_target, rank=None, lr=0.01,
                                              episodes=s["episodes"], batch=s["sft_batch"], seed=seed),
        "sft rank 1": lambda seed: sft_finetune(w.net, w.sft_target, rank=1, lr=0.03,
                                                episodes=s["episodes"], batch=s["sft_batch"], seed=seed),
    }
    print(f"\n{'arm':<12s} {'seconds':>8s} {'/forward':>9s}  verdict")
    print(f"{'forward':<12s} {base:8.3f} {1.0:9.1f}")
    ok = True
    for name, f in rows.items():
        t = best(f)
        passed = t <= TARGET_SECONDS
        ok &= passed
        print(f"{name:<12s} {t:8.3f} {t / base:9.1f}  {'PASS' if passed else 'FAIL'}")
    print(f"\ntarget: one arm <= {TARGET_SECONDS:g} s (the chapter runs about 130 arms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
