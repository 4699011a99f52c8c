"""Exercises of §4.2.2, *LoRA without regret, in miniature* (``book/part4/lora-miniature.md``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, register

__all__: list[str] = []

#: An answer rounded to three decimals is right (half a unit of the last place, with room).
ANSWER_ATOL = 6e-4


def _instance() -> dict:
    """A tiny network, a rank-2 adapter with non-zero B, a batch of prompts and tokens."""
    from infobandwidth.learning.lora import init_lora, init_network

    rng = np.random.default_rng(7)
    net = init_network(5, 6, 4, seed=3)
    ad = init_lora(net, 2, seed=4)
    ad.B1[...] = rng.normal(size=ad.B1.shape) / 3
    ad.B2[...] = rng.normal(size=ad.B2.shape) / 3
    return {"E": net.E, "W1": net.W1, "b1": net.b1, "W2": net.W2, "b2": net.b2,
            "B1": ad.B1, "A1": ad.A1, "B2": ad.B2, "A2": ad.A2,
            "prompts": np.array([0, 3, 3, 1, 4, 2]), "tokens": np.array([1, 0, 2, 3, 3, 1])}


def _solution() -> tuple[np.ndarray, np.ndarray]:
    """Gradients of the mean negative log-likelihood with respect to B2 and A2, by the library."""
    from infobandwidth.learning.lora import LoRA, PolicyNet, backward, forward

    d = _instance()
    net = PolicyNet(d["E"], d["W1"], d["b1"], d["W2"], d["b2"])
    ad = LoRA(d["B1"], d["A1"], d["B2"], d["A2"])
    cache = forward(net, d["prompts"], ad)
    n = len(d["prompts"])
    dZ = cache["probs"].copy()
    dZ[np.arange(n), d["tokens"]] -= 1
    g = backward(net, cache, dZ / n, ad, wrt="lora")
    return g["B2"], g["A2"]


def _compare(answer: Any, expected: Any) -> str | None:
    try:
        gB, gA = (np.asarray(a, dtype=float) for a in answer)
    except (TypeError, ValueError):
        return "return a pair (grad_B2, grad_A2) of numpy arrays."
    eB, eA = expected
    if gB.shape != eB.shape or gA.shape != eA.shape:
        return (f"shapes: grad_B2 must be {eB.shape} like B2 and grad_A2 {eA.shape} like A2; "
                f"you gave {gB.shape} and {gA.shape}.")
    if np.allclose(gB, -eB, atol=1e-8) and np.allclose(gA, -eA, atol=1e-8):
        return "the sign is flipped: the loss is the NEGATIVE mean log-likelihood."
    if np.allclose(gB * len(_instance()["prompts"]), eB, atol=1e-8):
        return "these are sums over the batch; the loss is the mean, so divide by n."
    if not np.allclose(gB, eB, rtol=0, atol=ANSWER_ATOL):
        if np.allclose(gA, eA, rtol=0, atol=ANSWER_ATOL):
            return "grad_A2 is right; grad_B2 = (∂L/∂W) A2ᵀ, with ∂L/∂W = dZᵀ H."
        return ("grad_B2 is off: did you use the ADAPTED W1 + B1 A1 in the hidden layer, and "
                "dZ = (softmax − one-hot)/n?")
    if not np.allclose(gA, eA, rtol=0, atol=ANSWER_ATOL):
        return "grad_B2 is right; grad_A2 = B2ᵀ (∂L/∂W)."
    return None


register(Exercise(
    id="lora-miniature/lora-gradient",
    section="4.2",
    question="For the instance data('lora-miniature/lora-gradient'), return the gradients of the mean "
             "negative log-likelihood of the tokens with respect to B2 and A2.",
    solution=_solution,
    compare=_compare,
    data=_instance,
    praise="Both factors' gradients are the full gradient seen through the other factor: that is "
           "all LoRA changes in backpropagation.",
))
