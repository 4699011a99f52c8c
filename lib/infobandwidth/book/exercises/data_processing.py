"""Exercises of §2.4, *The data processing inequality* (``book/part2/data-processing.md``)."""
from __future__ import annotations

import itertools

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: p(x, y) for the best-merge exercise: X in {0, 1} on axis 0, Y in {0, 1, 2, 3} on axis 1.
BEST_MERGE_JOINT = ((0.30, 0.10, 0.06, 0.04),
                    (0.05, 0.10, 0.15, 0.20))

#: Flip probability of the first channel in the half-information exercise.
HALF_FIRST_NOISE = 0.1


def merge_values() -> dict[tuple[int, ...], float]:
    """I(X; f(Y)) in bits for every f: {0,1,2,3} -> {0,1}, keyed by (f(0), f(1), f(2), f(3))."""
    from infobandwidth.information.measures import mutual_information

    pxy = np.array(BEST_MERGE_JOINT)
    out = {}
    for f in itertools.product((0, 1), repeat=pxy.shape[1]):
        pxf = np.zeros((pxy.shape[0], 2))
        for y, fy in enumerate(f):
            pxf[:, fy] += pxy[:, y]
        out[f] = float(mutual_information(pxf))
    return out


def _best_merge_solution():
    return max(merge_values().values())


def _best_merge_extra(ans: np.ndarray, exp: np.ndarray):
    from infobandwidth.information.measures import mutual_information

    a = float(ans[0])
    i_xy = float(mutual_information(np.array(BEST_MERGE_JOINT)))
    if np.isclose(a, i_xy, atol=1e-3):
        return ("that is I(X;Y) itself. With two output values, f has to merge some values of Y, "
                "and for this joint every merge loses something.")
    if a > i_xy + 1e-3:
        return ("that is more than I(X;Y), which no f can reach: f(Y) is computed from Y alone, "
                "so the data processing inequality caps I(X;f(Y)) at I(X;Y).")
    if np.isclose(a, 0.0, atol=1e-3):
        return "a constant f keeps nothing; the question asks for the best f."
    if any(np.isclose(a, v, atol=1e-3) for v in merge_values().values()):
        return ("that is what one of the functions keeps, but not the best one. "
                "Did you try all 2**4 = 16 functions f?")
    return None


register(Exercise(
    id="data-processing/best-merge",
    section="2.4",
    question="For the joint data('data-processing/best-merge'), give the largest I(X; f(Y)) in bits "
             "over all functions f: {0,1,2,3} -> {0,1}.",
    solution=_best_merge_solution,
    data=lambda: np.array(BEST_MERGE_JOINT),
    compare=numbers_checker(
        ["max over f of I(X;f(Y))"],
        item_hints=["Loop over itertools.product((0, 1), repeat=4); for each f add the columns of "
                    "p(x, y) that f sends to the same value, then take the mutual information."],
        extra=_best_merge_extra),
    praise="The best merge groups the values of Y whose posteriors p(x|y) are alike; it still "
           "loses a little, as the data processing inequality allows.",
))


def _cascade_info(a: float, b: float) -> float:
    from infobandwidth.information.measures import binary_entropy

    return 1.0 - float(binary_entropy(a * (1 - b) + b * (1 - a)))


def _half_solution():
    from infobandwidth.information.measures import binary_entropy

    a = HALF_FIRST_NOISE
    target = 0.5 * (1.0 - float(binary_entropy(a)))
    lo, hi = 0.0, 0.5                       # I(X;Z) falls from I(X;Y) at b=0 to 0 at b=1/2
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if _cascade_info(a, mid) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _half_extra(ans: np.ndarray, exp: np.ndarray):
    b = float(ans[0])
    if not 0.0 <= b <= 0.5:
        return "look for b between 0 and 1/2: past 1/2 the channel just relabels its output."
    # the reader aimed I(X;Z) at half a bit instead of half of I(X;Y)
    if np.isclose(_cascade_info(HALF_FIRST_NOISE, b), 0.5, atol=2e-3):
        return ("with that b, I(X;Z) is half a bit. The target is half of I(X;Y) = 1 − h(0.1), "
                "what the first channel lets through.")
    return None


register(Exercise(
    id="data-processing/half-information",
    section="2.4",
    question="X ~ Bernoulli(1/2) -> BSC(0.1) -> Y -> BSC(b) -> Z: give the b in [0, 1/2] for which "
             "I(X;Z) is half of I(X;Y).",
    solution=_half_solution,
    compare=numbers_checker(
        ["b"],
        item_hints=["I(X;Z) = 1 − h(a*b) with a*b = a(1−b) + b(1−a) falls steadily as b grows "
                    "from 0 to 1/2: bisect on b until it equals (1 − h(0.1)) / 2."],
        extra=_half_extra, information=False),
    praise="Whatever the first channel lost stays lost; each further noisy stage can only "
           "remove more.",
))
