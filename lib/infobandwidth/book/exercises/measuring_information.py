"""Exercises of §2.5, *Measuring information in RL* (``book/part2/measuring-information.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The episodes a learner has seen in the next-episode exercise: (trajectory, observed return).
NEXT_EPISODE_HISTORY = (("ab", 1.0), ("bb", 1.0))


def next_episode_data() -> dict:
    """The setting of the exercise "measuring-information/next-episode".

    Returns
    -------
    dict
        ``"V"``, ``"T"`` (the token MDP), ``"family"`` (``"token_utility"``: 0/1 utilities per
        position and token, uniform prior), ``"history"``: the episodes seen so far as
        (trajectory, return) pairs. The next episode is played with the uniform policy and the
        learner sees its return.
    """
    return {"V": 2, "T": 2, "family": "token_utility", "history": list(NEXT_EPISODE_HISTORY)}


def _learner():
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import token_utility
    from infobandwidth.signals.observer import BayesLearner

    fam = token_utility(TokenMDP(2, 2))
    learner = BayesLearner(fam)
    for tau, g in NEXT_EPISODE_HISTORY:
        learner.update(tau, g)
    return fam, learner


def _next_episode_solution():
    from infobandwidth.signals.bandwidth import signal_bandwidth

    fam, learner = _learner()
    b = signal_bandwidth(fam, prior=learner.posterior)
    return (b.I_S_xi_given_tau, b.I_S_pi_given_tau)


def _next_episode_extra(ans: np.ndarray, exp: np.ndarray):
    from infobandwidth.signals.bandwidth import signal_bandwidth

    fam, learner = _learner()
    now = signal_bandwidth(fam, prior=learner.posterior)
    if np.allclose(ans, (now.I_S_xi, now.I_S_pi), atol=1e-3):
        return ("these are I(S;ξ) and I(S;π*) without τ. The learner knows which trajectory it "
                "played: condition on τ.")
    before = signal_bandwidth(fam)
    if np.allclose(ans, (before.I_S_xi_given_tau, before.I_S_pi_given_tau), atol=1e-3):
        return ("these are the numbers for a learner who has seen nothing. Use the posterior after "
                "the two episodes as the belief over ξ.")
    if np.isclose(ans[0], learner.entropy_xi, atol=1e-3):
        return "H(ξ | D) is what is left to learn, not what the next episode teaches."
    return None


register(Exercise(
    id="measuring-information/next-episode",
    section="2.5",
    question="Token utility on V = 2, T = 2, after the episodes (ab, 1) and (bb, 1): give "
             "(I(S;ξ|τ,D), I(S;π*|τ,D)) for the next episode under the uniform policy.",
    solution=_next_episode_solution,
    data=next_episode_data,
    compare=numbers_checker(
        ["I(S;ξ|τ,D)", "I(S;π*|τ,D)"],
        item_hints=[
            "update a BayesLearner on the two episodes, then compute I(S;ξ|τ) with the posterior "
            "as the prior (signal_bandwidth(..., prior=posterior)), or enumerate τ and S yourself.",
            "the same with π* in place of ξ: merge the posterior over ξ by optimal trajectory.",
        ],
        extra=_next_episode_extra),
    praise="What an episode adds depends on what the learner already knows.",
))
