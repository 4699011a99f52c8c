"""Exercises of §2.3, *Information theory foundations* (``book/part2/information-theory.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: Flip probability of the noise bit E in the noisy-XOR exercise.
XOR_NOISE = 0.1

#: Probabilities of the five reward levels in the reward-levels exercise (very bad ... very good).
REWARD_LEVEL_PROBS = (0.05, 0.15, 0.40, 0.30, 0.10)


def noisy_xor_joint(noise: float = XOR_NOISE) -> np.ndarray:
    """p(x, y, z) for X, Y fair independent bits and Z = X xor Y xor E, E ~ Bernoulli(noise).

    Examples
    --------
    >>> p = noisy_xor_joint()
    >>> p.shape, float(p.sum()), float(p[0, 0, 0])     # X = Y = 0 and no flip: 1/4 · 0.9
    ((2, 2, 2), 1.0, 0.225)
    """
    p = np.zeros((2, 2, 2))
    for x in (0, 1):
        for y in (0, 1):
            for e, pe in ((0, 1 - noise), (1, noise)):
                p[x, y, x ^ y ^ e] += 0.25 * pe
    return p


def _noisy_xor_solution():
    from infobandwidth.information.measures import (
        conditional_mutual_information,
        mutual_information,
    )

    p = noisy_xor_joint()                      # axes (X, Y, Z)
    i_xz = mutual_information(p.sum(axis=1))   # p(x, z)
    i_xz_given_y = conditional_mutual_information(p.transpose(0, 2, 1))  # axes (X, Z, Y)
    return (float(i_xz), float(i_xz_given_y))


def _noisy_xor_extra(ans: np.ndarray, exp: np.ndarray):
    if np.isclose(ans[0], exp[0], atol=1e-3) and np.isclose(ans[1], 1.0, atol=1e-3):
        return ("your second number, I(X;Z|Y), ignores the noise: even when Y is known, "
                "E still flips Z some of the time.")
    return None


register(Exercise(
    id="information-theory/noisy-xor",
    section="2.3",
    question="X, Y fair independent bits, E ~ Bernoulli(0.1), Z = X xor Y xor E: "
             "give (I(X;Z), I(X;Z|Y)) in bits, computed with numpy from p(x, y, z).",
    solution=_noisy_xor_solution,
    compare=numbers_checker(
        ["I(X;Z)", "I(X;Z|Y)"],
        item_hints=[
            "Marginalise Y out: p(x, z) = p_xyz.sum(axis=1); then I(X;Z) = H(X) + H(Z) − H(X, Z).",
            "Fix Y = y. Then Z is X sent through a channel that flips it with probability 0.1 "
            "(and relabels it when y = 1). Write I(X;Z|Y) = H(X,Y) + H(Y,Z) − H(X,Y,Z) − H(Y).",
        ],
        extra=_noisy_xor_extra),
    praise="Alone, Z says nothing about X; once Y is known it says a lot. "
           "Conditioning can increase mutual information.",
))


def _reward_levels_solution():
    from infobandwidth.information.measures import entropy

    h = float(entropy(np.asarray(REWARD_LEVEL_PROBS)))
    return (h, float(np.log2(len(REWARD_LEVEL_PROBS))) - h)


def _reward_levels_extra(ans: np.ndarray, exp: np.ndarray):
    bound = np.log2(len(REWARD_LEVEL_PROBS))
    if ans[0] > bound + 1e-3:
        return ("your H(G) exceeds log2 B for B = 5 levels, which no 5-level signal can do. "
                "Check that the probabilities sum to 1 and that you use log base 2.")
    if np.isclose(ans[0], exp[0], atol=1e-3) and np.isclose(ans[0] + ans[1], 0.0, atol=1e-3):
        return "the gap is log2(5) − H(G), the bits lost to the uneven levels; it is not −H(G)."
    return None


register(Exercise(
    id="information-theory/reward-levels",
    section="2.3",
    question="A reward with 5 levels used with probabilities (0.05, 0.15, 0.40, 0.30, 0.10): "
             "give (H(G), log2(5) − H(G)) in bits.",
    solution=_reward_levels_solution,
    data=lambda: np.array(REWARD_LEVEL_PROBS),
    compare=numbers_checker(
        ["H(G)", "log2(5) − H(G)"],
        item_hints=[
            "H(G) = −Σ p log2 p over the five levels.",
            "Subtract your H(G) from log2(5), the entropy of five equally likely levels.",
        ],
        extra=_reward_levels_extra),
    praise="Unevenly used levels carry less than log2 B bits; this signal can tell a learner at "
           "most H(G) bits per episode.",
))
