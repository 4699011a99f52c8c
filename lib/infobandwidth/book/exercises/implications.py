"""Exercises of §4.4, implications for LLM-RL (``book/part4/implications.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The instance of the from-scratch exercise: match count on |V| = 2 and T = 4, a reward every
#: k = 2 tokens, and the dense reward through a binary symmetric channel of flip probability eps.
SCRATCH = {"V": 2, "T": 4, "k": 2, "eps": 0.1}


def scratch_numbers() -> tuple[float, float, float]:
    """The library's answer: new bits per episode of the dense reward, of a reward every ``k`` tokens
    and of the dense reward through a BSC(eps), each by exact enumeration."""
    from infobandwidth.book.experiments.implications import density_bits

    s = SCRATCH
    return (density_bits("dense", s["T"], s["V"])[1],
            density_bits("every-k", s["T"], s["V"], k=s["k"])[1],
            density_bits("noisy-dense", s["T"], s["V"], eps=s["eps"])[1])


def _scratch_extra(ans: np.ndarray, exp: np.ndarray):
    if np.isclose(ans[1], SCRATCH["T"] / SCRATCH["k"], atol=1e-3):
        return ("a payment is a count of matches in a block of k tokens, not one coin: it takes k + 1 "
                "values, binomially distributed, so it carries H(Binomial(k, 1/2)) bits, more than one.")
    if np.isclose(ans[2], exp[0] * (1 - SCRATCH["eps"]), atol=1e-3):
        return ("flipping a tenth of the bits does not cost a tenth of the information: subtract the "
                "noise's entropy, H(S|ξ,τ), from H(S|τ).")
    return None


register(Exercise(
    id="implications/density-from-scratch",
    section="4.4",
    question="Match count on |V| = 2, T = 4, uniform prior and policy: in numpy, I(S;ξ|τ) of the dense "
             "reward, of a reward every 2 tokens, and of the dense reward through a BSC with ε = 0.1.",
    solution=scratch_numbers,
    compare=numbers_checker(
        ["dense", "every 2 tokens", "dense through a BSC(0.1)"],
        item_hints=[
            "the dense reward is a function of (ξ, τ): its new information is H(S | τ), the entropy of "
            "the match pattern over the 16 equally likely strings, averaged over τ.",
            "sum the indicators of each block of 2 tokens; the pair of block sums is the observation.",
            "for a noisy signal, I(S;ξ|τ) = H(S|τ) − H(S|ξ,τ): the observed pattern's distribution is the "
            "true pattern's pushed through the channel, and H(S|ξ,τ) is T·H_b(ε).",
        ],
        extra=_scratch_extra),
    praise="A payment every k tokens tells more than T/k bits (each payment counts matches), and a reward "
           "model that flips one token in ten keeps T(1 − H_b(0.1)) ≈ 0.53·T bits: hybrid rewards keep "
           "most of the dense reward's bits.",
))
