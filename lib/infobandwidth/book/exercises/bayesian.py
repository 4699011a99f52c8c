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
