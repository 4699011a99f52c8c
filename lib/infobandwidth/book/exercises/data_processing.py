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
        return ("with that b, I(X;Z) is half a bit. The target is half of I(X;Y) = 1 − H_b(0.1), "
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
        item_hints=["I(X;Z) = 1 − H_b(a ⋆ b) with a ⋆ b = a(1−b) + b(1−a) falls steadily as b "
                    "grows from 0 to 1/2: bisect on b until it equals (1 − H_b(0.1)) / 2."],
        extra=_half_extra, information=False),
    praise="Whatever the first channel lost stays lost; each further noisy stage can only "
           "remove more.",
))


# --------------------------------------------------------------------------------------------
# "data-processing/two-channels": the DPI on two binary symmetric channels, from scratch
# --------------------------------------------------------------------------------------------

#: The flip probabilities (a, b) of the two channels in the two-channels exercise.
TWO_CHANNELS_FLIPS = (0.1, 0.25)


def two_channels_data() -> dict:
    """The setting of "data-processing/two-channels": X -> BSC(a) -> Y -> BSC(b) -> Z.

    Returns
    -------
    dict
        ``"p_x"``: shape ``(2,)``, the distribution of X (a fair bit); ``"a"``, ``"b"``: the flip
        probabilities of the first and the second channel.

    Examples
    --------
    >>> d = two_channels_data()
    >>> d["p_x"].tolist(), d["a"], d["b"]
    ([0.5, 0.5], 0.1, 0.25)
    """
    a, b = TWO_CHANNELS_FLIPS
    return {"p_x": np.array([0.5, 0.5]), "a": a, "b": b}


def _two_channels_solution():
    from infobandwidth.information.channels import binary_symmetric_channel, markov_chain_joint
    from infobandwidth.information.measures import mutual_information

    a, b = TWO_CHANNELS_FLIPS
    p = markov_chain_joint([0.5, 0.5], binary_symmetric_channel(a), binary_symmetric_channel(b))
    return (float(mutual_information(p.sum(axis=2))), float(mutual_information(p.sum(axis=1))),
            a * (1 - b) + b * (1 - a))


def _two_channels_extra(ans: np.ndarray, exp: np.ndarray):
    a, b = TWO_CHANNELS_FLIPS
    if np.isclose(ans[2], a * b, atol=1e-3):
        return ("your third number is the product a·b. The star is binary convolution: Z ≠ X when "
                "exactly one of the two channels flips, a(1 − b) + b(1 − a).")
    if np.isclose(ans[1], exp[0], atol=1e-3) and not np.isclose(exp[0], exp[1], atol=1e-3):
        return ("your I(X;Z) equals I(X;Y): did you use W_a alone for p(x, z)? The transition "
                "matrix from X to Z is the product W_a @ W_b.")
    if np.isclose(ans[1], 1.0 - exp[1], atol=1e-3):
        return "I(X;Z) = 1 − H_b(a ⋆ b), not H_b(a ⋆ b): the noise is what is lost."
    return None


register(Exercise(
    id="data-processing/two-channels",
    section="2.4",
    question="X a fair bit -> BSC(0.1) -> Y -> BSC(0.25) -> Z: give (I(X;Y), I(X;Z), a ⋆ b), "
             "computed with numpy from the transition matrices.",
    solution=_two_channels_solution,
    data=two_channels_data,
    compare=numbers_checker(
        ["I(X;Y)", "I(X;Z)", "a ⋆ b"],
        item_hints=[
            "p(x, y) = p(x) W_a[x, y]; then I = Σ p(x, y) log2(p(x, y) / (p(x) p(y))).",
            "p(x, z) = p(x) (W_a @ W_b)[x, z]: the matrix product sums over the middle value y.",
            "a ⋆ b is the probability that exactly one of the two channels flips.",
        ],
        extra=_two_channels_extra, information=False),
    praise="Two noisy stages in a row act like one noisier stage, BSC(a ⋆ b); the second can only "
           "lose what the first let through.",
))
