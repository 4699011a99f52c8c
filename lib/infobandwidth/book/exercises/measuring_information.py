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


# --------------------------------------------------------------------------------------------
# "measuring-information/new-information": I(S; ξ) and I(S; ξ | τ) from a joint array, from scratch
# --------------------------------------------------------------------------------------------

#: The four hidden strings of the new-information exercise (the values of both ξ and τ).
NEW_INFO_STRINGS = ("aa", "ab", "ba", "bb")
#: Prior p(ξ) over :data:`NEW_INFO_STRINGS`.
NEW_INFO_PRIOR = (0.25, 0.25, 0.25, 0.25)
#: The probability that the learner writes ``a`` at each of the two positions.
NEW_INFO_P_A = 0.8
#: Noise: with this probability the match count is replaced by one of the two other counts.
NEW_INFO_EPS = 0.2


def new_information_data() -> dict:
    """The setting of "measuring-information/new-information".

    Returns
    -------
    dict
        ``"strings"``: ``["aa", "ab", "ba", "bb"]``, the values of ξ and of τ; ``"prior"``: shape
        ``(4,)``, p(ξ); ``"p_tau"``: shape ``(4,)``, the probability that the learner writes each
        string (``a`` with probability 0.8 at each position); ``"eps"``: the probability that the
        signal, the number of positions where τ agrees with ξ, is replaced by one of the two other
        counts, chosen uniformly.

    Examples
    --------
    >>> d = new_information_data()
    >>> d["strings"], d["p_tau"].round(2).tolist(), d["eps"]
    (['aa', 'ab', 'ba', 'bb'], [0.64, 0.16, 0.16, 0.04], 0.2)
    """
    p_a = NEW_INFO_P_A
    p_tau = np.array([np.prod([p_a if c == "a" else 1 - p_a for c in s]) for s in NEW_INFO_STRINGS])
    return {"strings": list(NEW_INFO_STRINGS), "prior": np.array(NEW_INFO_PRIOR),
            "p_tau": p_tau, "eps": NEW_INFO_EPS}


def _new_information_bandwidth(eps: float = NEW_INFO_EPS):
    from infobandwidth.model.mdp import TokenMDP, table_policy
    from infobandwidth.model.rewards import match_count
    from infobandwidth.signals.bandwidth import signal_bandwidth
    from infobandwidth.signals.signals import NoisySignal, ReturnSignal

    mdp = TokenMDP(2, 2)
    policy = table_policy(mdp, np.tile([NEW_INFO_P_A, 1 - NEW_INFO_P_A], (mdp.n_prefixes, 1)))
    signal = NoisySignal(eps=eps) if eps > 0 else ReturnSignal()
    return signal_bandwidth(match_count(mdp, prior=np.array(NEW_INFO_PRIOR)), signal, policy)


def _new_information_solution():
    b = _new_information_bandwidth()
    return (b.I_S_xi, b.I_S_xi_given_tau)


def _new_information_extra(ans: np.ndarray, exp: np.ndarray):
    if np.isclose(ans[0], ans[1], atol=1e-3) and not np.isclose(exp[0], exp[1], atol=1e-3):
        if np.isclose(ans[0], exp[1], atol=1e-3):
            return ("your I(S; ξ) conditions on τ. Without τ, sum the joint over t first: "
                    "H(S | ξ) comes from the table p(ξ, S).")
        return ("your I(S; ξ | τ) forgets τ: it is H(S | τ) − H(S | ξ, τ), with both entropies "
                "conditioned on the trajectory.")
    clean = _new_information_bandwidth(0.0)
    if np.allclose(ans, (clean.I_S_xi, clean.I_S_xi_given_tau), atol=1e-3):
        return ("these are the numbers without noise: with probability eps the count is replaced "
                "by one of the two other counts, so p(S | τ, ξ) is never 0 or 1.")
    return None


register(Exercise(
    id="measuring-information/new-information",
    section="2.5",
    question="Match count on two tokens, a uniform prior over aa, ab, ba, bb, a learner writing a "
             "with probability 0.8, the count replaced w.p. 0.2: give (I(S; ξ), I(S; ξ | τ)) in "
             "bits, computed with numpy from the joint p(ξ, τ, S).",
    solution=_new_information_solution,
    data=new_information_data,
    compare=numbers_checker(
        ["I(S; ξ)", "I(S; ξ | τ)"],
        item_hints=[
            "I(S; ξ) = H(S) − H(S | ξ), with H(S | ξ) = H(ξ, S) − H(ξ) from the table "
            "joint.sum(axis=1).",
            "I(S; ξ | τ) = H(S | τ) − H(S | ξ, τ) = [H(τ, S) − H(τ)] − [H(ξ, τ, S) − H(ξ, τ)].",
        ],
        extra=_new_information_extra),
    praise="The learner knows the trajectory it wrote, so it gains I(S; ξ | τ): the article's "
           "I(S; ξ) leaves τ out and counts far less.",
))
