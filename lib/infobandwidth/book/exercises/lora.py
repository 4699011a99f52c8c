"""Exercises of §4.2, *Why LoRA works* (``book/part4/lora.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The setting of "lora/from-scratch-accumulation".
ACCUMULATION_SETTING = {"V": 2, "T": 2, "episodes": 3, "family": "exact_match", "policy": "uniform"}


def accumulation_data() -> dict:
    """The setting of the exercise "lora/from-scratch-accumulation".

    Returns
    -------
    dict
        ``"V"``, ``"T"`` (the token MDP: ξ is one of the ``V**T`` strings, uniformly), ``"episodes"``
        (``N``), ``"family"`` (``"exact_match"``: ``G = 1`` iff the episode equals ξ) and
        ``"policy"`` (``"uniform"``: every episode is a uniformly random string, whatever was seen).
    """
    return dict(ACCUMULATION_SETTING)


def _accumulation(policy: str = "uniform") -> np.ndarray:
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import exact_match
    from infobandwidth.signals.accumulation import information_accumulation

    s = ACCUMULATION_SETTING
    return information_accumulation(exact_match(TokenMDP(s["V"], s["T"])), policy,
                                    episodes=s["episodes"]).total_xi


def _accumulation_extra(ans: np.ndarray, exp: np.ndarray):
    if np.allclose(ans, _accumulation("posterior_sampling"), atol=1e-3):
        return ("these are the numbers of a learner that never repeats a ruled-out string. The "
                "uniform policy may play the same wrong string twice: enumerate every sequence of "
                "trajectories, repeats included.")
    n = 2 ** ACCUMULATION_SETTING["T"]
    if np.allclose(ans, np.log2(n) - exp, atol=1e-3):
        return "these are E[H(ξ | D_n)], what is left; I_total(n) is H(ξ) minus it."
    if abs(ans[0]) > 1e-3:
        return "before any episode nothing has been learned: I_total(0) = 0."
    return None


register(Exercise(
    id="lora/from-scratch-accumulation",
    section="4.2",
    question="Exact match on V = 2, T = 2 with the uniform policy: give I_total(n) = H(ξ) − E[H(ξ | D_n)] "
             "for n = 0, 1, 2, 3, in bits.",
    solution=_accumulation,
    data=accumulation_data,
    compare=numbers_checker(
        ["I_total(0)", "I_total(1)", "I_total(2)", "I_total(3)"],
        item_hints=["nothing is learned before the first episode."] + [
            "weight each (ξ, τ_1..τ_n) by p(ξ) Π p(τ_i), restrict the prior to the strings "
            "consistent with every (τ_i, G_i), and average the entropy of that posterior."] * 3,
        extra=_accumulation_extra),
    praise="The uniform learner's increments shrink: a repeated wrong guess teaches nothing.",
))


def _fill_up() -> tuple[float, float]:
    from infobandwidth.book.experiments.lora import LLAMA2_7B, adapter_parameters, model_adapter_parameters

    c, b = 2, 1
    return (adapter_parameters(4096, 4096, 1) * b / c, model_adapter_parameters(LLAMA2_7B, 1) * b / c)


def _fill_up_extra(ans: np.ndarray, exp: np.ndarray):
    if np.allclose(ans, 32 * exp, rtol=1e-6):
        return "these use 32 bits per parameter; the exercise asks for 1 bit per parameter."
    if np.isclose(ans[0], 2 * exp[0], rtol=1e-6) or np.isclose(ans[0], exp[0] / 2, rtol=1e-6):
        return ("off by a factor 2 in the first number: a rank-1 adapter on a d × d matrix has "
                "d + d parameters, and each episode brings c = 2 bits.")
    return None


register(Exercise(
    id="lora/rank-one-fills-up",
    section="4.2",
    question="At c = 2 bits per episode and 1 bit per parameter, after how many episodes is a rank-1 "
             "adapter full: on one 4096 × 4096 matrix, and on every projection of Llama-2-7B?",
    solution=_fill_up,
    compare=numbers_checker(
        ["N* for one matrix", "N* for all Llama-2-7B projections"],
        item_hints=["solve r · 2d · b = N · c for N with r = 1, d = 4096, b = 1, c = 2.",
                    "sum r (d_in + d_out) over q, k, v, o, gate, up, down and the 32 layers, then "
                    "divide by c."],
        extra=_fill_up_extra, information=False),
    praise="Even at one bit per parameter, rank 1 on every projection outlasts a million episodes.",
))
