"""Exercises of §2.1, *Autoregressive generation as an MDP* (``book/part2/token-mdp.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: Vocabulary size and horizon of the enumeration exercise.
ENUM_V, ENUM_T = 3, 2
#: Rewards R(τ) of the nine trajectories aa, ab, ac, ba, ..., cc of the enumeration exercise.
ENUM_REWARDS = (0.0, 1.0, 0.0, 0.5, 0.0, 2.0, 1.0, 0.0, 0.5)


def enumerate_data() -> dict:
    """The policy table and rewards of the exercise "token-mdp/enumerate".

    Returns
    -------
    dict
        ``"V"``, ``"T"``; ``"policy"``: shape ``(4, 3)``, row ``i`` is ``π(· | prefix i)`` in the
        breadth-first numbering of :class:`~infobandwidth.model.mdp.TokenMDP` (row 0: the empty prefix,
        rows 1–3: the prefixes a, b, c); ``"rewards"``: shape ``(9,)``, ``R(τ)`` for
        τ = aa, ab, ..., cc.
    """
    rng = np.random.default_rng(21)
    policy = rng.dirichlet(np.full(ENUM_V, 1.5), size=1 + ENUM_V).round(3)
    policy[:, -1] = 1.0 - policy[:, :-1].sum(axis=1)       # rows sum to 1 exactly
    return {"V": ENUM_V, "T": ENUM_T, "policy": policy, "rewards": np.array(ENUM_REWARDS)}


def _enumerate_solution():
    from infobandwidth.model.mdp import TokenMDP, expected_return, table_policy

    d = enumerate_data()
    pol = table_policy(TokenMDP(d["V"], d["T"]), d["policy"])
    return (expected_return(pol, d["rewards"]), float(pol.trajectory_probs().max()))


def _enumerate_extra(ans: np.ndarray, exp: np.ndarray):
    d = enumerate_data()
    R, P = d["rewards"], d["policy"]
    if np.isclose(ans[0], R.mean(), atol=1e-3):
        return "your J is the plain average of the rewards: weight each R(τ) by p(τ)."
    # the common slip: using the row of the empty prefix at every step
    p_same = np.array([P[0, x1] * P[0, x2] for x1 in range(3) for x2 in range(3)])
    if np.isclose(ans[0], p_same @ R, atol=1e-3):
        return ("at the second step use the row of the prefix you are at (rows 1–3 for a, b, c), "
                "not the row of the empty prefix again.")
    # another: row t for step t (the step number instead of the prefix)
    p_step = np.array([P[0, x1] * P[1, x2] for x1 in range(3) for x2 in range(3)])
    if np.isclose(ans[0], p_step @ R, atol=1e-3):
        return ("the second token's distribution depends on the first token: after x₁ the row is "
                "1 + x₁, not always row 1.")
    return None


register(Exercise(
    id="token-mdp/enumerate",
    section="2.1",
    question="V = 3, T = 2, a policy table and nine rewards: give (J, the largest p(τ)), "
             "computed by enumerating the trajectories.",
    solution=_enumerate_solution,
    data=enumerate_data,
    compare=numbers_checker(
        ["J", "max p(τ)"],
        item_hints=[
            "J = Σ_τ p(τ) R(τ), with p(x₁x₂) = π(x₁ | ∅) · π(x₂ | x₁).",
            "compute p(τ) for all nine trajectories (they must sum to 1) and take the largest.",
        ],
        extra=_enumerate_extra, information=False),
    praise="Exact, at the cost of V^T terms; real learners sample instead.",
))
