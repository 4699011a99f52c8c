"""Exercises of §3.1, *Policy gradient (REINFORCE)* (``book/part3/policy-gradient.md``)."""
from __future__ import annotations

import functools

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The baseline exercise: the task and the REINFORCE settings the reader uses.
BASELINE_TASK = {"V": 2, "T": 3, "seeds": 8, "n_updates": 100, "batch_size": 4, "lr": 2.0,
                 "threshold": 0.9}


@functools.lru_cache(maxsize=None)
def _medians(mean_instead: bool = False) -> tuple[float, float]:
    """Median (or mean) episodes to solve without a baseline and with the leave-one-out one."""
    from infobandwidth.learning.curves import run_seeds
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import exact_match

    d = BASELINE_TASK
    fam = exact_match(TokenMDP(d["V"], d["T"]))
    out = []
    for baseline in ("none", "loo"):
        s = run_seeds("reinforce", fam, "prior", d["seeds"], threshold=d["threshold"],
                      n_updates=d["n_updates"], batch_size=d["batch_size"], lr=d["lr"],
                      baseline=baseline)
        out.append(float(np.mean(s.episodes_to_solve)) if mean_instead else s.median_episodes)
    return tuple(out)


def _baseline_extra(ans: np.ndarray, exp: np.ndarray):
    if np.allclose(ans, _medians(True), atol=0.5):
        return "those are the means over the seeds; the exercise asks for the medians (SeedSummary.median_episodes)."
    if np.allclose(ans, [3.0, 3.0], atol=0.5) or np.any(np.isclose(ans, 3.0, atol=0.5)):
        return ("3 episodes is the information bound H(π*)/log2 B, not what REINFORCE needs: run the "
                "learner and read its episodes to solve.")
    if np.any(ans < 4):
        return ("REINFORCE sees 4 episodes per update, so it cannot solve in fewer than 4; did you "
                "return updates instead of episodes?")
    if np.allclose(ans, exp / BASELINE_TASK["batch_size"], atol=0.5):
        return "these look like updates; multiply by the batch size (4) to get episodes."
    return None


register(Exercise(
    id="policy-gradient/baseline",
    section="3.1",
    question="REINFORCE on exact_match(TokenMDP(2, 3)), seeds 0..7 with xi='prior', n_updates=100, "
             "batch_size=4, lr=2.0: give (median episodes to reach 0.9·J* without a baseline, the same "
             "with baseline='loo').",
    solution=_medians,
    compare=numbers_checker(
        ["median episodes, no baseline", "median episodes, leave-one-out baseline"],
        information=False,
        item_hints=["call ib.run_seeds('reinforce', family, 'prior', 8, n_updates=100, batch_size=4, "
                    "lr=2.0) and read .median_episodes (threshold 0.9 is the default).",
                    "the same call with baseline='loo'."],
        extra=_baseline_extra),
    praise="Dozens of episodes either way, where the bound allows 3: a baseline cuts variance, "
           "not the information.",
))
