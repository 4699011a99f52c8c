"""Exercises of §4.3, *Sample complexity* (``book/part4/sample-complexity.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The instance of the from-scratch exercise: a hidden string of T = 3 binary tokens, exact match,
#: and the posterior entropy ε at which π* counts as learned.
SCRATCH = {"V": 2, "T": 3, "epsilon": 0.1, "n": 5}


def scratch_numbers() -> tuple[float, float, float]:
    """The library's answer: ``N_ε`` of the uniform and the posterior-sampling learner, and the
    uniform learner's ``E[H(ξ | D_n)]`` at ``n = SCRATCH["n"]``."""
    from infobandwidth.book.experiments.sample_complexity import accumulation_runs, episodes_to_epsilon

    key = ("exact match", "exact_match", SCRATCH["V"], SCRATCH["T"])
    uni = accumulation_runs()[(*key, "uniform")]
    ps = accumulation_runs()[(*key, "posterior_sampling")]
    eps = SCRATCH["epsilon"]
    return (float(episodes_to_epsilon(uni.entropy_xi, eps)), float(episodes_to_epsilon(ps.entropy_xi, eps)),
            float(uni.entropy_xi[SCRATCH["n"]]))


def _scratch_extra(ans: np.ndarray, exp: np.ndarray):
    if np.isclose(ans[2], 3 / 8 * np.log2(3), atol=1e-3):
        return ("the uniform learner can guess a string it has already ruled out. Track k, the number of "
                "*distinct* wrong guesses: a repeat (probability k/m) teaches nothing.")
    if np.isclose(ans[1], 8, atol=1e-3) and not np.isclose(exp[1], 8):
        return "after m − 1 misses the last string is known without being tried."
    return None


register(Exercise(
    id="sample-complexity/episodes-from-scratch",
    section="4.3",
    question="Hidden string of 3 binary tokens, 0/1 exact-match reward: in numpy, the first N with "
             "E[H(ξ|D_N)] ≤ 0.1 bits for the uniform and the posterior-sampling learner, and the "
             "uniform learner's E[H(ξ|D_5)].",
    solution=scratch_numbers,
    compare=numbers_checker(
        ["N_ε, uniform", "N_ε, posterior sampling", "E[H(ξ|D_5)], uniform"],
        item_hints=[
            "keep P(no hit yet, k distinct wrong guesses) for k = 0..m−1; each episode hits with 1/m, "
            "repeats with k/m, finds a new wrong string with (m−1−k)/m. Given no hit, the belief is "
            "uniform over m − k strings: E[H] = Σ_k P(k) log2(m − k).",
            "posterior sampling never repeats: E[H(ξ|D_n)] = (m − n)/m · log2(m − n).",
            "E[H(ξ|D_5)] = Σ_k P_5(no hit, k) log2(m − k), with m = 8.",
        ],
        extra=_scratch_extra),
    praise="Both learners need several times the bound (H − ε)/1 ≈ 2.9 episodes: a binary reward on a "
           "hidden string tells far less than one bit, and the uniform learner wastes episodes repeating "
           "what it already knows.",
))
