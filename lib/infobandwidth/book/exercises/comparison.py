"""Exercises of §4.1, *Unified comparison* (``book/part4/comparison.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The instance of the from-scratch exercise: match count on |V| = 2, T = 4, sparse reward in B = 3 levels.
SCRATCH = {"V": 2, "T": 4, "B": 3}


def scratch_numbers() -> dict[str, float]:
    """The library's numbers for the from-scratch table, and likely wrong answers (for the hints)."""
    from infobandwidth.book.experiments.comparison import comparison_table
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import match_count
    from infobandwidth.signals.bandwidth import signal_bandwidth

    t = comparison_table(SCRATCH["V"], SCRATCH["T"], SCRATCH["B"])
    raw = signal_bandwidth(match_count(TokenMDP(SCRATCH["V"], SCRATCH["T"])))
    return {"return": t.row("pg-return").new, "dense": t.row("pg-rtg").new,
            "raw_return": raw.I_S_xi_given_tau, "unconditional": raw.I_S_xi}


def _scratch_extra(ans: np.ndarray, exp: np.ndarray):
    n = scratch_numbers()
    if np.isclose(ans[0], n["raw_return"], atol=1e-3):
        return ("your first number is what the exact share of matches tells. The grader reports only "
                "B = 3 levels: level min(3·c // 4, 2) for c matching tokens.")
    if np.isclose(ans[0], n["unconditional"], atol=1e-3) or np.isclose(ans[1], 0.0, atol=1e-3):
        return ("a zero is I(S;ξ) with the trajectory averaged out. The learner knows τ: compute "
                "H(S | τ = t) over the 16 equally likely strings ξ for each t, then average over t.")
    return None


register(Exercise(
    id="comparison/table-from-scratch",
    section="4.1",
    question="Match count on |V| = 2, T = 4, uniform prior and policy: in numpy, give the new bits per "
             "episode of REINFORCE's return graded in B = 3 levels, I(G_B;ξ|τ), and of the dense "
             "per-token rewards, I({r_t};ξ|τ).",
    solution=lambda: (scratch_numbers()["return"], scratch_numbers()["dense"]),
    compare=numbers_checker(
        ["I(G_B;ξ|τ)", "I({r_t};ξ|τ)"],
        item_hints=[
            "G_B is a function of (ξ, τ): I(G_B;ξ|τ) = H(G_B | τ). For each τ, count the matches c with "
            "each of the 16 strings ξ, map c to its level min(3·c // 4, 2), and take the entropy of the "
            "levels; then average over the 16 τ.",
            "the dense rewards are the vector of match indicators [τ_t = ξ_t]; for each τ, its entropy over "
            "the 16 strings ξ, averaged over τ.",
        ],
        extra=_scratch_extra),
    praise="The same task, the same learner's knowledge of τ: a grade at the end tells well under two "
           "bits, a reward at every token tells one bit per token. Actor-critic with the sparse grade "
           "learns the first number, REINFORCE with reward-to-go on the dense reward the second.",
))
