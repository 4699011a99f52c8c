"""Exercises of §4.6, *Fundamental trade-offs* (``book/part4/trade-offs.md``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, register

__all__: list[str] = []

#: The from-scratch instance: strings of T binary tokens, a tempered prior of concentration beta
#: centred on ``centre``, and the true string ``truth`` (all as tokens).
SCRATCH = {"V": 2, "T": 3, "beta": 1.5, "centre": [1, 0, 1], "truth": [0, 0, 1]}
#: An answer rounded to four decimals is right.
ANSWER_ATOL = 1e-3


def _data() -> dict:
    return {k: (list(v) if isinstance(v, list) else v) for k, v in SCRATCH.items()}


def _solution() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The library's policy table of the prior, the surprisal of the truth and 1/p(truth) (the two
    numbers as 1-element arrays)."""
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.priors import prior_policy_logits, surprisal_bits, tempered_prior

    mdp = TokenMDP(SCRATCH["V"], SCRATCH["T"])
    p = tempered_prior(mdp, SCRATCH["centre"], SCRATCH["beta"])
    xi = int(np.dot(SCRATCH["truth"], SCRATCH["V"] ** np.arange(SCRATCH["T"])[::-1]))
    th = prior_policy_logits(mdp, p)
    probs = np.exp(th - th.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    return probs, np.array([surprisal_bits(p, xi)]), np.array([1.0 / p[xi]])


def _compare(answer: Any, expected: Any) -> str | None:
    try:
        probs, surprisal, wait = answer
        probs = np.asarray(probs, dtype=float)
        surprisal = float(np.asarray(surprisal, dtype=float).reshape(-1)[0])
        wait = float(np.asarray(wait, dtype=float).reshape(-1)[0])
    except (TypeError, ValueError):
        return "return a triple (policy table of shape (7, 2), surprisal in bits, expected wait)."
    eP = expected[0]
    eS, eW = float(expected[1][0]), float(expected[2][0])
    if probs.shape != eP.shape:
        return (f"the policy table needs one row per prefix in breadth-first order (root, a, b, aa, "
                f"ab, ...): shape {eP.shape}; you gave {probs.shape}.")
    if not np.allclose(probs.sum(axis=1), 1, atol=1e-6):
        return "each row of the policy must sum to 1: it is a next-token distribution."
    if not np.allclose(probs, eP, atol=ANSWER_ATOL):
        return ("the table is off: row s is P(s·a) / P(s), where P(s) sums the prior over the strings "
                "that start with s. For this prior the rows do not depend on the prefix.")
    if np.isclose(surprisal, eS * np.log(2), atol=ANSWER_ATOL):
        return "the surprisal looks like nats: use log2."
    if not np.isclose(surprisal, eS, atol=ANSWER_ATOL):
        return "the surprisal is −log2 p(truth): multiply the per-position probabilities of the truth's tokens."
    if not np.isclose(wait, eW, rtol=ANSWER_ATOL):
        return "the expected wait for the first success is 1 / p(truth) = 2 ** surprisal (a geometric wait)."
    return None


register(Exercise(
    id="trade-offs/prior-policy",
    section="4.6",
    question="For the tempered prior of data('trade-offs/prior-policy'), the policy table that writes "
             "strings with the prior's probabilities, the surprisal of the true string, and the "
             "expected number of episodes until REINFORCE from that policy first succeeds.",
    solution=_solution,
    compare=_compare,
    data=_data,
    praise="The pretrained policy is the prior, written token by token; a wrong centre makes the true "
           "string rare, and REINFORCE waits 2^surprisal episodes before its first non-zero update.",
))
