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


# --------------------------------------------------------------------------------------------
# "token-mdp/softmax-objective": J(θ) of a softmax policy from its logits, by enumeration
# --------------------------------------------------------------------------------------------

#: Vocabulary size, horizon and target string of the softmax-objective exercise.
SOFTMAX_V, SOFTMAX_T, SOFTMAX_TARGET = 2, 3, "bab"


def softmax_data() -> dict:
    """The logits and rewards of the exercise "token-mdp/softmax-objective".

    Returns
    -------
    dict
        ``"prefixes"``: the seven decision states ``["", "a", "b", "aa", "ab", "ba", "bb"]`` in the
        row order of ``"logits"``; ``"logits"``: shape ``(7, 2)``, ``θ[s, x]`` (column 0 for token
        a, column 1 for b); ``"rewards"``: a dict from each of the eight answers ``"aaa", ...,
        "bbb"`` to its reward, the share of positions matching the target ``"bab"``;
        ``"target"``: ``"bab"``.
    """
    rng = np.random.default_rng(11)
    logits = rng.normal(scale=1.5, size=(7, SOFTMAX_V)).round(2)
    prefixes = ["", "a", "b", "aa", "ab", "ba", "bb"]
    answers = [a + b + c for a in "ab" for b in "ab" for c in "ab"]
    rewards = {w: sum(x == y for x, y in zip(w, SOFTMAX_TARGET)) / SOFTMAX_T for w in answers}
    return {"prefixes": prefixes, "logits": logits, "rewards": rewards, "target": SOFTMAX_TARGET}


def _softmax_policy_and_rewards():
    from infobandwidth.model.mdp import TokenMDP, softmax_policy

    d = softmax_data()
    mdp = TokenMDP(SOFTMAX_V, SOFTMAX_T)
    if ["".join("ab"[x] for x in s) for s in mdp.prefixes()] != d["prefixes"]:  # pragma: no cover
        raise ValueError("softmax_data's prefixes are not in TokenMDP's row order")
    rewards = np.array([d["rewards"][mdp.label(i)] for i in range(mdp.n_trajectories)])
    return mdp, softmax_policy(mdp, d["logits"]), rewards


def _softmax_solution():
    from infobandwidth.model.mdp import expected_return

    mdp, policy, rewards = _softmax_policy_and_rewards()
    return (expected_return(policy, rewards),
            float(policy.trajectory_probs()[mdp.index(SOFTMAX_TARGET)]))


def _softmax_extra(ans: np.ndarray, exp: np.ndarray):
    mdp, policy, rewards = _softmax_policy_and_rewards()
    logits = softmax_data()["logits"]
    if np.isclose(ans[0], rewards.mean(), atol=1e-3):
        return "your J is the plain average of the rewards: weight each R(τ) by p(τ)."
    # the slip of normalising the logits without the exponential
    shifted = logits - logits.min(axis=1, keepdims=True) + 1e-12
    table = shifted / shifted.sum(axis=1, keepdims=True)
    rows = [[mdp.prefix_index(tuple(t[:k])) for k in range(mdp.T)] for t in mdp.trajectories().tolist()]
    p_lin = np.array([np.prod([table[r, x] for r, x in zip(rs, t)])
                      for rs, t in zip(rows, mdp.trajectories().tolist())])
    if np.isclose(ans[0], p_lin @ rewards, atol=1e-3):
        return "π(x | s) = exp(θ[s, x]) / Σ_y exp(θ[s, y]): exponentiate before you normalise."
    # the slip of reading every step from the row of the empty prefix
    e = np.exp(logits[0] - logits[0].max())
    row0 = e / e.sum()
    p_same = np.array([np.prod(row0[t]) for t in mdp.trajectories().tolist()])
    if np.isclose(ans[0], p_same @ rewards, atol=1e-3):
        return ("each step uses the row of the prefix written so far (row 0 for the empty prefix, "
                "then the row of 'a', 'b', 'aa', ...), not always row 0.")
    return None


register(Exercise(
    id="token-mdp/softmax-objective",
    section="2.1",
    question="V = 2, T = 3, the logits of a tabular softmax policy and the rewards of the eight "
             "answers: give (J(θ), p(bab)), computed by enumerating the trajectories.",
    solution=_softmax_solution,
    data=softmax_data,
    compare=numbers_checker(
        ["J(θ)", "p(bab)"],
        item_hints=[
            "J(θ) = Σ_τ p(τ) R(τ) over the eight answers, with p(x₁x₂x₃) = π(x₁ | ∅) π(x₂ | x₁) "
            "π(x₃ | x₁x₂) and π(· | s) the softmax of the row of s.",
            "p(bab) = π(b | ∅) · π(a | b) · π(b | ba); check that your eight p(τ) sum to 1.",
        ],
        extra=_softmax_extra, information=False),
    praise="Every exact number of this book is such a sum over trajectories; the library vectorises it.",
))
