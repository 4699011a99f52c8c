"""Exercises of §2.2, *The Bayesian formulation* (``book/part2/bayesian.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: Number of reward parameters in the induced-prior exercise (V = 2, T = 2: four trajectories).
INDUCED_N_XI = 12


def induced_prior_data() -> dict:
    """A reward table with ties and a prior, for the exercise "bayesian/induced-prior".

    Returns
    -------
    dict
        ``"rewards"``: shape ``(12, 4)``, ``rewards[ξ, τ]`` for τ = aa, ab, ba, bb (integers 0–2,
        so several trajectories can tie); ``"prior"``: shape ``(12,)``.
    """
    rng = np.random.default_rng(7)
    rewards = rng.integers(0, 3, size=(INDUCED_N_XI, 4)).astype(float)
    prior = rng.dirichlet(np.full(INDUCED_N_XI, 2.0)).round(4)
    prior[-1] = 1.0 - prior[:-1].sum()
    return {"rewards": rewards, "prior": prior}


def _family():
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import reward_table

    d = induced_prior_data()
    return reward_table(TokenMDP(2, 2), d["rewards"].T, prior=d["prior"])


def _induced_solution():
    from infobandwidth.model.optimal import optimal_policies

    fam = _family()
    opt = optimal_policies(fam)
    return (opt.H_xi, opt.H_pi_star, float(fam.prior[opt.tied].sum()))


def _induced_extra(ans: np.ndarray, exp: np.ndarray):
    from infobandwidth.information.measures import entropy
    from infobandwidth.model.optimal import optimal_policies

    fam = _family()
    if np.isclose(ans[1], exp[0], atol=1e-3) and not np.isclose(exp[1], exp[0], atol=1e-3):
        return ("your H(π*) equals H(ξ): add up p(ξ) over all ξ that share an optimal trajectory "
                "before taking the entropy.")
    last = optimal_policies(fam, tie_break="last")
    if np.isclose(ans[1], last.H_pi_star, atol=1e-3) and not np.isclose(exp[1], last.H_pi_star, atol=1e-3):
        return ("break ties towards the lexicographically smallest trajectory: np.argmax returns the "
                "first maximum, which is the one we want.")
    full = optimal_policies(fam, tie_break="set")
    if np.isclose(ans[1], full.H_pi_star, atol=1e-3) and not np.isclose(exp[1], full.H_pi_star, atol=1e-3):
        return "you kept tied optima apart as sets; the book's π* breaks ties to the first trajectory."
    opt = optimal_policies(fam)
    if np.isclose(ans[2], opt.n_tied / fam.n_xi, atol=1e-3) and not np.isclose(exp[2], opt.n_tied / fam.n_xi, atol=1e-3):
        return "P(tie) is a probability under the prior: add p(ξ) over the tied ξ, do not count them."
    if np.isclose(ans[0], entropy(np.full(fam.n_xi, 1 / fam.n_xi)), atol=1e-3):
        return "H(ξ) uses the given prior, not a uniform one."
    return None


register(Exercise(
    id="bayesian/induced-prior",
    section="2.2",
    question="A reward table over 12 ξ and 4 trajectories with a prior: give (H(ξ), H(π*), P(tie)) "
             "with ties broken to the first optimal trajectory.",
    solution=_induced_solution,
    data=induced_prior_data,
    compare=numbers_checker(
        ["H(ξ)", "H(π*)", "P(tie)"],
        item_hints=[
            "H(ξ) = −Σ p(ξ) log2 p(ξ) over the given prior.",
            "for each ξ find its optimal trajectory (np.argmax of its row), add up p(ξ) per "
            "trajectory, and take the entropy of that distribution.",
            "a ξ is tied when more than one trajectory reaches the maximum of its row; add up their p(ξ).",
        ],
        extra=_induced_extra),
    praise="ξ that share an optimum never need to be told apart.",
))


# --------------------------------------------------------------------------------------------
# "bayesian/posterior": the posterior after one episode and H(π* | D), by Bayes' rule on arrays
# --------------------------------------------------------------------------------------------

#: The episode of the posterior exercise: the answer written and the grade seen (0 = fail).
POSTERIOR_EPISODE = ("abb", 0.0)
#: Probability that each token of the hidden string is a (then b) in the posterior exercise.
POSTERIOR_TOKEN_PROBS = (0.7, 0.3)


def _posterior_family():
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import match_count, string_prior

    mdp = TokenMDP(2, 3)
    return match_count(mdp, levels=2, prior=string_prior(mdp, list(POSTERIOR_TOKEN_PROBS)))


def posterior_data() -> dict:
    """The reward table, prior and episode of the exercise "bayesian/posterior".

    The pass/fail family on V = 2, T = 3: ξ is a hidden string, and an answer passes (reward 1)
    if at least two of its three tokens match ξ. Each token of ξ is a with probability 0.7.

    Returns
    -------
    dict
        ``"strings"``: the eight strings ``"aaa", ..., "bbb"`` (values of ξ and of τ, in this
        order); ``"rewards"``: shape ``(8, 8)``, ``rewards[ξ, τ]``; ``"prior"``: shape ``(8,)``;
        ``"tau"``: the index of the answer written (``"abb"``); ``"grade"``: the grade seen (0.0).
    """
    fam = _posterior_family()
    rewards = np.array([fam.sparse_rewards(x) for x in range(fam.n_xi)])
    strings = [fam.mdp.label(i) for i in range(fam.mdp.n_trajectories)]
    tau, grade = POSTERIOR_EPISODE
    return {"strings": strings, "rewards": rewards, "prior": fam.prior.copy(),
            "tau": strings.index(tau), "grade": grade}


def _posterior_solution():
    from infobandwidth.signals.observer import BayesLearner

    learner = BayesLearner(_posterior_family()).update(*POSTERIOR_EPISODE)
    return (float(learner.posterior[0]), learner.entropy_xi, learner.entropy_pi_star)


def _posterior_extra(ans: np.ndarray, exp: np.ndarray):
    from infobandwidth.information.measures import entropy
    from infobandwidth.signals.observer import BayesLearner

    fam = _posterior_family()
    if np.isclose(ans[0], fam.prior[0], atol=1e-3) and not np.isclose(exp[0], fam.prior[0], atol=1e-3):
        return "your p(aaa | D) is the prior p(aaa): multiply by the likelihood and renormalise."
    if np.isclose(ans[1], entropy(fam.prior), atol=1e-3):
        return "your H(ξ | D) is the prior entropy H(ξ): use the posterior, after the episode."
    passed = BayesLearner(fam).update(POSTERIOR_EPISODE[0], 1.0)
    if np.isclose(ans[1], passed.entropy_xi, atol=1e-3) and not np.isclose(exp[1], passed.entropy_xi, atol=1e-3):
        return ("you kept the ξ under which the answer passes. The grade was 0: keep the ξ with "
                "rewards[ξ, τ] == 0.")
    if np.isclose(ans[2], exp[1], atol=1e-3) and not np.isclose(exp[2], exp[1], atol=1e-3):
        return ("your H(π* | D) equals H(ξ | D): add up the posterior over the ξ that share an "
                "optimal answer before taking the entropy.")
    return None


register(Exercise(
    id="bayesian/posterior",
    section="2.2",
    question="Pass/fail family on V = 2, T = 3 with a tilted prior; the learner wrote abb and failed: "
             "give (p(ξ = aaa | D), H(ξ | D), H(π* | D)).",
    solution=_posterior_solution,
    data=posterior_data,
    compare=numbers_checker(
        ["p(ξ = aaa | D)", "H(ξ | D)", "H(π* | D)"],
        item_hints=[
            "p(ξ | D) ∝ p(ξ) · p(grade | τ, ξ), and p(grade | τ, ξ) is 1 if rewards[ξ, τ] equals the "
            "grade, else 0. Divide by the sum.",
            "H(ξ | D) = −Σ p(ξ | D) log2 p(ξ | D), skipping the zeros.",
            "π*_ξ is the first maximum of row ξ of the rewards (np.argmax); add up p(ξ | D) per "
            "optimal answer, then take the entropy.",
        ],
        extra=_posterior_extra),
    praise="Bayes' rule with a 0/1 likelihood just crosses out the ξ the episode rules out, and "
           "the merged ξ make H(π* | D) smaller than H(ξ | D).",
))
