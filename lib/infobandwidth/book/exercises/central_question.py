"""Exercises of Part 1, *The central question* (``book/part1/central-question.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The hidden-string instance of the first-reward exercise: vocabulary size and string length.
FIRST_REWARD_V, FIRST_REWARD_T = 2, 8
#: The threshold (bits) the exercise asks the first reward to drop below.
FIRST_REWARD_THRESHOLD = 0.01


def first_reward_bits(V: int, T: int) -> float:
    """Bits carried by the first binary exact-match reward on a uniform hidden string of V**T.

    ``V`` is the vocabulary size (the book's :math:`\\lvert\\mathcal V\\rvert`), ``T`` the length.

    Examples
    --------
    >>> round(first_reward_bits(2, 1), 6)       # a coin: success with probability 1/2
    1.0
    """
    from infobandwidth.information.measures import binary_entropy

    return float(binary_entropy(float(V) ** -T))


def _first_reward_solution():
    t_first = next(t for t in range(1, 64)
                   if first_reward_bits(FIRST_REWARD_V, t) < FIRST_REWARD_THRESHOLD)
    return (first_reward_bits(FIRST_REWARD_V, FIRST_REWARD_T), float(t_first))


def _first_reward_extra(ans: np.ndarray, exp: np.ndarray):
    V, T = FIRST_REWARD_V, FIRST_REWARD_T
    bits, t = float(ans[0]), float(ans[1])
    if np.isclose(bits, float(V) ** -T, atol=1e-4) and not np.isclose(bits, exp[0], atol=1e-3):
        return ("your first number is the probability that the first guess succeeds. The "
                "information a 0/1 reward carries is the binary entropy H_b of that probability.")
    if np.isclose(bits, T * np.log2(V), atol=1e-3):
        return ("your first number is H(ξ) = T log2 |V|, everything the learner must find out. One "
                "binary reward carries far less: at most one bit, and a full bit only if, for the "
                "answer written, success and failure are equally likely.")
    if np.isclose(bits, 1.0, atol=1e-3):
        return ("one bit is the ceiling for a binary reward, reached only when the first guess "
                "succeeds with probability 1/2. Here it almost never succeeds.")
    if np.isclose(bits, exp[0], atol=1e-3) and t != round(t):
        return "the second number is a string length: a whole number."
    if np.isclose(bits, exp[0], atol=1e-3) and np.isclose(t, exp[1] - 1):
        return (f"at that length the first reward still carries at least {FIRST_REWARD_THRESHOLD} "
                "bits: the question asks for the first T where it is below the threshold.")
    if np.isclose(bits, exp[0], atol=1e-3) and np.isclose(t, exp[1] + 1):
        return ("at the length just before yours the first reward already carries less than "
                f"{FIRST_REWARD_THRESHOLD} bits: look for the first such T.")
    return None


register(Exercise(
    id="central-question/first-reward-bits",
    section="1",
    question="Hidden string uniform over V**T, binary exact-match reward: give (the bits the first "
             "reward carries for V = 2, T = 8, the first T at which they drop below 0.01 for V = 2).",
    solution=_first_reward_solution,
    compare=numbers_checker(
        ["bits of the first reward (V = 2, T = 8)", "first T below 0.01 bits"],
        item_hints=["Whatever the first guess is, it succeeds with probability V**-T. How much does "
                    "a reward that is 1 with that probability tell? (Binary entropy, in bits.)",
                    "Evaluate your function for V = 2 and T = 1, 2, 3, ... and stop at the first "
                    "value below 0.01."],
        extra=_first_reward_extra, information=False),
    praise="A needle-in-a-haystack reward carries almost nothing on the first try: the one-bit "
           "ceiling is far from what a binary reward actually tells.",
))


# --------------------------------------------------------------------------------------------
# "central-question/pass-fail-bits": H(G), I(G; ξ) and I(G; ξ | τ) from a joint array
# --------------------------------------------------------------------------------------------

#: Prior over the four hidden strings aa, ab, ba, bb of the pass/fail exercise.
PASS_FAIL_PRIOR = (0.4, 0.3, 0.2, 0.1)
#: The learner's probabilities of writing aa, ab, ba, bb in the pass/fail exercise.
PASS_FAIL_P_TAU = (0.375, 0.125, 0.25, 0.25)


def pass_fail_data() -> dict:
    """The prior and the learner's answer distribution of "central-question/pass-fail-bits".

    Returns
    -------
    dict
        ``"strings"``: the four strings ``["aa", "ab", "ba", "bb"]`` (the values of both ξ and τ);
        ``"prior"``: shape ``(4,)``, ``p(ξ)``; ``"p_tau"``: shape ``(4,)``, the probability that
        the learner writes each string. The reward is 1 if τ = ξ, else 0 (exact match).
    """
    return {"strings": ["aa", "ab", "ba", "bb"], "prior": np.array(PASS_FAIL_PRIOR),
            "p_tau": np.array(PASS_FAIL_P_TAU)}


def _pass_fail_family_policy():
    from infobandwidth.model.mdp import TokenMDP, table_policy
    from infobandwidth.model.rewards import exact_match

    mdp = TokenMDP(2, 2)
    p = PASS_FAIL_P_TAU
    first_b = p[2] + p[3]
    # π(b | ∅), then π(b | a) and π(b | b): the table whose trajectory probabilities are p_tau
    table = [[1 - first_b, first_b],
             [p[0] / (p[0] + p[1]), p[1] / (p[0] + p[1])],
             [p[2] / (p[2] + p[3]), p[3] / (p[2] + p[3])]]
    return exact_match(mdp, prior=np.array(PASS_FAIL_PRIOR)), table_policy(mdp, table)


def _pass_fail_solution():
    from infobandwidth.signals.bandwidth import signal_bandwidth

    family, policy = _pass_fail_family_policy()
    b = signal_bandwidth(family, policy=policy)
    return (b.H_S, b.I_S_xi, b.I_S_xi_given_tau)


def _pass_fail_extra(ans: np.ndarray, exp: np.ndarray):
    from infobandwidth.information.measures import binary_entropy

    family, policy = _pass_fail_family_policy()
    p_pass = float(np.dot(PASS_FAIL_PRIOR, PASS_FAIL_P_TAU))
    if np.isclose(ans[0], p_pass, atol=1e-3) and not np.isclose(exp[0], p_pass, atol=1e-3):
        return ("your first number is P(G = 1), a probability. H(G) is the binary entropy of that "
                "probability, in bits.")
    if np.isclose(ans[1], exp[2], atol=1e-3) and not np.isclose(exp[1], exp[2], atol=1e-3):
        return ("your second number conditions on τ. I(G; ξ) = H(G) − H(G | ξ) averages over the "
                "answer the learner writes: given ξ alone, G is still random.")
    if np.isclose(ans[2], exp[1], atol=1e-3) and not np.isclose(exp[1], exp[2], atol=1e-3):
        return ("your third number forgets τ. I(G; ξ | τ) = H(G | τ) − H(G | ξ, τ): for each answer "
                "τ, the entropy of G under p(ξ), averaged with the weights p(τ).")
    uniform = binary_entropy(0.25)
    if np.isclose(ans[2], uniform, atol=1e-3) and not np.isclose(exp[2], uniform, atol=1e-3):
        return "use the given prior p(ξ), not a uniform one."
    return None


register(Exercise(
    id="central-question/pass-fail-bits",
    section="1",
    question="Exact match on four strings with a given prior and answer distribution: build "
             "p(ξ, τ, G) and give (H(G), I(G; ξ), I(G; ξ | τ)) in bits.",
    solution=_pass_fail_solution,
    data=pass_fail_data,
    compare=numbers_checker(
        ["H(G)", "I(G; ξ)", "I(G; ξ | τ)"],
        item_hints=[
            "sum the joint over ξ and τ to get p(G), then H(G) = −Σ p(g) log2 p(g).",
            "I(G; ξ) = H(G) − H(G | ξ), where H(G | ξ) = Σ_ξ p(ξ) H(G | ξ = x) and p(g | ξ) comes "
            "from summing the joint over τ.",
            "I(G; ξ | τ) = H(G | τ) − H(G | ξ, τ). Given ξ and τ the reward is certain, so the "
            "second term is 0; H(G | τ) = Σ_τ p(τ) H(G | τ = t).",
        ],
        extra=_pass_fail_extra),
    praise="The learner knows its own answer: given τ, the grade tells far more about ξ than the "
           "grade alone does. That is why the book measures I(G; ξ | τ).",
))
