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
    """Bits carried by the first binary exact-match reward on a uniform hidden string of V**T."""
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
                "information a 0/1 reward carries is the binary entropy h(p) of that probability.")
    if np.isclose(bits, T * np.log2(V), atol=1e-3):
        return ("your first number is H(ξ) = T log2 V, everything the learner must find out. One "
                "binary reward carries far less: at most one bit, and only when success and "
                "failure are equally likely.")
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
