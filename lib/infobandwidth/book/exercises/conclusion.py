"""Exercises of Part 5, *Conclusion* (``book/part5/conclusion.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The instance of the from-scratch exercise: the article's horizon, a binary vocabulary and a
#: sparse grader with four levels.
SCRATCH = {"T": 1000, "V": 2, "B": 4}


def scratch_numbers() -> tuple[float, float, float]:
    """The library's answer: new bits per episode of REINFORCE's sparse return and of actor-critic
    with a dense reward at :data:`SCRATCH`, and their ratio."""
    from infobandwidth.book.experiments.comparison import closed_form

    T, V, B = SCRATCH["T"], SCRATCH["V"], SCRATCH["B"]
    sparse = closed_form("pg-return", T, V, B)[1]
    dense = closed_form("ac-dense", T, V, B)[1]
    return float(sparse), float(dense), float(dense / sparse)


def _scratch_extra(ans: np.ndarray, exp: np.ndarray):
    if np.isclose(ans[0], 2.0, atol=1e-2):
        return ("log2 B = 2 is the ceiling of four levels, not what they carry: the share of "
                "matching tokens concentrates near 1/2, so two of the four levels are almost never "
                "used. Compute the entropy of the levels' probabilities.")
    if np.isclose(ans[1], 1999.0, atol=1e-2):
        return ("1,999 bits is the entropy of the TD errors (the potential). The new bits are only "
                "the rewards' part: T·H_b(1/|V|).")
    return None


register(Exercise(
    id="conclusion/main-table-from-scratch",
    section="5",
    question="T = 1000, |V| = 2, B = 4: in numpy, the new bits per episode of REINFORCE's sparse return "
             "(matches graded in 4 levels) and of actor-critic with a per-token reward, and their ratio.",
    solution=scratch_numbers,
    compare=numbers_checker(
        ["sparse return [bits]", "dense TD errors [bits]", "ratio"],
        item_hints=[
            "the number of matches K is Binomial(T, 1/2); level j holds the counts k with "
            "j ≤ B·k/T < j + 1 (k = T goes in the top level). Sum the pmf per level, then take the "
            "entropy.",
            "each token's reward is a fair coin given τ under a uniform prior: T·H_b(1/2) bits.",
            "divide the second number by the first.",
        ],
        extra=_scratch_extra),
    praise="A thousand tokens, and the sparse return still says about one bit: the ratio is the "
           "article's T×, but it comes from the dense reward, not from the critic.",
))
