"""Exercises of the appendix, *Scope and limitations* (``book/part5/limitations.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The instance of the from-scratch exercise: a hidden string of T = 6 binary tokens.
SCRATCH = {"T": 6}


def scratch_numbers() -> tuple[float, float, float]:
    """The library's answer: ``I(G; ξ | τ)`` of the match count read exactly, of the binary-weighted
    return read exactly, and of the binary-weighted return read in 4 levels."""
    from infobandwidth.book.experiments.limitations import weighted_return_bits

    T = SCRATCH["T"]
    return (weighted_return_bits(T, 1.0, None), weighted_return_bits(T, 2.0, None),
            weighted_return_bits(T, 2.0, 4))


def _scratch_extra(ans: np.ndarray, exp: np.ndarray):
    if np.isclose(ans[0], np.log2(SCRATCH["T"] + 1), atol=1e-3):
        return ("log2(T + 1) assumes the T + 1 counts are equally likely; the count of matches is "
                "Binomial(T, 1/2), so use its probabilities.")
    if np.isclose(ans[2], 6.0, atol=1e-3):
        return "four levels can tell at most log2 4 = 2 bits: read G in levels before the entropy."
    return None


register(Exercise(
    id="limitations/precision-from-scratch",
    section="appendix",
    question="T = 6 binary tokens, uniform prior: in numpy, I(G;ξ|τ) for the match count read exactly, "
             "for G = Σ 2^t·[match at t] read exactly, and for that G read in 4 equal-width levels.",
    solution=scratch_numbers,
    compare=numbers_checker(
        ["match count, exact [bits]", "binary weights, exact [bits]", "binary weights, 4 levels [bits]"],
        item_hints=[
            "given τ the T match indicators are independent fair coins; G is their sum, so I(G;ξ|τ) = "
            "H(Binomial(T, 1/2)).",
            "with weights 2^t every match pattern gives a different G: H(G) is the entropy of the "
            "2^T patterns.",
            "levels are k with k/4 ≤ G/G_max < (k+1)/4, and G = G_max in the top level.",
        ],
        extra=_scratch_extra),
    praise="The same scalar return tells the entropy of a binomial, all T bits, or log2 B bits, depending "
           "only on its weights and its precision: 'one number per episode' does not by itself cap "
           "the bits.",
))
