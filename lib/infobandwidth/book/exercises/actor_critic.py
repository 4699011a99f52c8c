"""Exercises of §3.2, *Actor-critic* (``book/part3/actor-critic.md``, ``actor-critic-dense.md`` and
``actor-critic-correlation.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The frozen critic of the from-scratch TD-error table (exact match on |V| = 2, T = 3): one value
#: per prefix, keyed by the prefix as a string. It is V^π of the string "aba" under the uniform policy.
TD_TABLE_CRITIC = {"": 0.125, "a": 0.25, "b": 0.0, "aa": 0.0, "ab": 0.5, "ba": 0.0, "bb": 0.0}
#: The horizon of the from-scratch dense-information exercise (exact match on |V| = 2).
DENSE_T = 4
#: The correlation and horizon of the from-scratch effective-samples exercise.
NEFF_RHO, NEFF_T = 0.7, 10

#: The run of the frozen-critic exercise: the family is match_count(TokenMDP(2, 4)).
FROZEN_RUN = {"xi": 9, "n_updates": 2, "batch_size": 2, "lr_actor": 2.0, "lr_critic": 0.5, "seed": 0}


def frozen_critic_numbers() -> dict[str, float]:
    """The numbers of the frozen-critic exercise, and the likely wrong answers (for the hints)."""
    from infobandwidth.learning.actor_critic import actor_critic
    from infobandwidth.model.mdp import TokenMDP, softmax_policy
    from infobandwidth.model.rewards import match_count
    from infobandwidth.signals.observer import posterior
    from infobandwidth.signals.td import td_information

    fam = match_count(TokenMDP(2, 4))
    run = dict(FROZEN_RUN)
    xi = run.pop("xi")
    curve = actor_critic(fam, xi, **run)
    policy = softmax_policy(fam.mdp, curve.logits)
    R = fam.sparse_rewards(xi)
    post = posterior(fam, [(int(t), float(R[t])) for t in curve.trajectories])
    info = td_information(fam, curve.critic, policy, prior=post)
    prior_info = td_information(fam, curve.critic, policy)
    uniform_info = td_information(fam, curve.critic, prior=post)
    return {"H_td": info.td.H_S, "I_td": info.td.I_S_xi_given_tau,
            "I_G": info.ret.I_S_xi_given_tau,
            "prior_H": prior_info.td.H_S, "prior_I": prior_info.td.I_S_xi_given_tau,
            "uniform_H": uniform_info.td.H_S}


def _frozen_solution():
    n = frozen_critic_numbers()
    return (n["H_td"], n["I_td"], n["I_G"])


def _frozen_extra(ans: np.ndarray, exp: np.ndarray):
    n = frozen_critic_numbers()
    if np.isclose(ans[0], n["prior_H"], atol=1e-3) and np.isclose(ans[1], n["prior_I"], atol=1e-3):
        return ("these are the numbers under the prior. Weigh ξ by the posterior of the ideal "
                "observer after the run's episodes: prior=ib.posterior(family, episodes).")
    if np.isclose(ans[0], n["uniform_H"], atol=1e-3):
        return ("your H(δ) is that of the uniform policy. The next episode is played by the trained "
                "actor: pass ib.softmax_policy(family.mdp, curve.logits) as the policy.")
    if np.isclose(ans[1], ans[2], atol=1e-3) and not np.isclose(ans[1], exp[1], atol=1e-3):
        return ("your last two numbers agree, as they should, but not with the run: check the "
                "run's settings (ξ, updates, batch size, step sizes, seed).")
    return None


register(Exercise(
    id="actor-critic/frozen-critic",
    section="3.2",
    question="Run actor_critic on match_count(TokenMDP(2, 4)) with the settings of FROZEN_RUN, freeze "
             "its critic and policy, weigh ξ by the ideal observer's posterior, and give "
             "(H(δ), I(δ;ξ|τ), I(G;ξ|τ)) in bits.",
    solution=_frozen_solution,
    compare=numbers_checker(
        ["H(δ)", "I(δ;ξ|τ)", "I(G;ξ|τ)"],
        item_hints=[
            "H(δ) is td_information(...).td.H_S, with the learned critic curve.critic, the trained "
            "policy and the posterior as prior=.",
            "I(δ;ξ|τ) is td_information(...).td.I_S_xi_given_tau.",
            "I(G;ξ|τ) is td_information(...).ret.I_S_xi_given_tau (or signal_bandwidth with the "
            "return, the same policy and the same posterior).",
        ],
        extra=_frozen_extra),
    praise="The TD errors have more entropy than the return, and exactly the same new information: "
           "given the trajectory and a frozen critic, δ is an invertible function of the rewards.",
))


# ============================================================================ TD-error table, from scratch
def td_table_numbers() -> dict[str, float]:
    """The library's numbers for the from-scratch TD-error table, and likely wrong answers."""
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import exact_match
    from infobandwidth.signals.td import td_information

    mdp = TokenMDP(2, 3)
    fam = exact_match(mdp)
    critic = [TD_TABLE_CRITIC["".join(mdp.token_names[x] for x in p)] for p in mdp.prefixes()]
    info = td_information(fam, critic)
    return {"H_td": info.td.H_S, "I_td_tau": info.I_td_given_critic, "I_td": info.td.I_S_xi,
            "H_G": info.ret.H_S}


def _td_table_extra(ans: np.ndarray, exp: np.ndarray):
    n = td_table_numbers()
    if np.isclose(ans[1], n["I_td"], atol=1e-3) and not np.isclose(n["I_td"], exp[1], atol=1e-3):
        return ("your second number is I(δ;ξ), with τ averaged out. The learner knows its trajectory: "
                "compute H(δ | τ) for each τ (ξ uniform) and average over τ.")
    if np.isclose(ans[0], n["H_G"], atol=1e-3) and not np.isclose(n["H_G"], exp[0], atol=1e-3):
        return ("your H(δ) is the entropy of the rewards alone, as with a critic of zeros. Subtract "
                "the critic's values: δ_t = r_t + V(s_{t+1}) − V(s_t), with V(s_T) = 0.")
    return None


register(Exercise(
    id="actor-critic/td-table",
    section="3.2",
    question="For exact match on |V| = 2, T = 3 (uniform prior and policy) and the frozen critic "
             "TD_TABLE_CRITIC, build δ_t = r_t + V(s_{t+1}) − V(s_t) for every (ξ, τ) in numpy and give "
             "(H(δ), I(δ;ξ|τ)) in bits.",
    solution=lambda: (td_table_numbers()["H_td"], td_table_numbers()["I_td_tau"]),
    compare=numbers_checker(
        ["H(δ)", "I(δ;ξ|τ)"],
        item_hints=[
            "H(δ) is the entropy of the TD-error vector over the 64 equally likely pairs (ξ, τ): "
            "group the pairs by their vector (round it, e.g. to 9 decimals) and sum −p log2 p.",
            "δ is a function of (ξ, τ), so I(δ;ξ|τ) = H(δ|τ): for each τ, the entropy of δ over the "
            "8 strings ξ; then average over τ.",
        ],
        extra=_td_table_extra),
    praise="H(δ) is far above what the episode tells about ξ: most of it encodes the trajectory. "
           "Given τ, only the last TD error still varies with ξ, exactly as the reward does.",
))


# ============================================================================ dense rewards, from scratch
def dense_information_numbers() -> dict[str, float]:
    """The library's ``I({r_t};ξ|τ)`` and ``I(G;ξ|τ)`` for dense exact match, and a likely slip."""
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import exact_match
    from infobandwidth.signals.td import td_information

    fam = exact_match(TokenMDP(2, DENSE_T))
    info = td_information(fam, np.zeros(fam.mdp.n_prefixes), dense=True)
    return {"I_dense": info.rewards.I_S_xi_given_tau, "I_sparse": info.ret.I_S_xi_given_tau,
            "I_dense_xi": info.rewards.I_S_xi}


def _dense_extra(ans: np.ndarray, exp: np.ndarray):
    n = dense_information_numbers()
    if np.isclose(ans[0], n["I_dense_xi"], atol=1e-3):
        return ("your first number is I({r_t};ξ) with τ averaged out; the learner knows τ: average "
                "H({r_t} | τ) over τ instead.")
    if np.isclose(ans[0], DENSE_T, atol=1e-3):
        return ("T bits would mean every token reveals a fresh bit. Exact-match rewards stop saying "
                "anything after the first mismatch: check your reward rule.")
    return None


register(Exercise(
    id="actor-critic/dense-information",
    section="3.2",
    question="Exact match on |V| = 2, T = DENSE_T, uniform prior and policy, with the dense reward "
             "r_t = Φ(s_{t+1}) − Φ(s_t), Φ(s) = |s|/T if s is a prefix of ξ, else 0: give "
             "(I({r_t};ξ|τ), I(G;ξ|τ)) in bits, computed in numpy.",
    solution=lambda: (dense_information_numbers()["I_dense"], dense_information_numbers()["I_sparse"]),
    compare=numbers_checker(
        ["I({r_t};ξ|τ)", "I(G;ξ|τ)"],
        item_hints=[
            "the reward vector is a function of (ξ, τ): I({r_t};ξ|τ) = H({r_t}|τ), the entropy of the "
            "vector over the equally likely ξ for each τ, averaged over τ.",
            "G = Σ_t r_t is 1 for τ = ξ and 0 otherwise: for each τ it is a coin with P(G = 1) = 2^-T.",
        ],
        extra=_dense_extra),
    praise="The dense rewards tell where the first mismatch is, a little under 2 bits whatever T, "
           "several times what the return tells, and far from T bits.",
))


# ============================================================================ effective samples, from scratch
def effective_samples_numbers() -> tuple[float, float]:
    """``(n_eff of the best linear estimate, n_eff of the plain average)`` from the library."""
    from infobandwidth.information.gaussian import ar1_effective_samples

    e = ar1_effective_samples(NEFF_RHO, NEFF_T)
    return (e["n_eff_best"], e["n_eff_mean"])


def _neff_extra(ans: np.ndarray, exp: np.ndarray):
    if np.allclose(ans, NEFF_T, atol=1e-3):
        return ("T looks are worth T only when the noise is independent. Build Ω with "
                "Ω[i, j] = ρ^|i−j| and use it.")
    if np.any(ans > NEFF_T + 1e-9):
        return "correlated looks are worth at most T independent ones; check Ω and the formulas."
    if ans[1] > ans[0] + 1e-3:
        return ("the best linear estimate is never worse than the plain average: n_eff(best) ≥ "
                "n_eff(average). Check which formula gives which number.")
    return None


register(Exercise(
    id="actor-critic/effective-samples",
    section="3.2",
    question="With Ω[i, j] = ρ^|i−j| for ρ = NEFF_RHO and T = NEFF_T steps, give (1ᵀΩ⁻¹1, T²/1ᵀΩ1): "
             "the effective number of independent samples of the best linear estimate and of the "
             "plain average.",
    solution=effective_samples_numbers,
    compare=numbers_checker(
        ["n_eff (best)", "n_eff (average)"],
        item_hints=[
            "the best linear estimate has variance 1/(1ᵀΩ⁻¹1): solve Ω x = 1 with np.linalg.solve "
            "and sum x.",
            "the plain average has variance 1ᵀΩ1 / T² (the sum of all entries of Ω over T²); n_eff is "
            "one over that variance.",
        ],
        extra=_neff_extra, information=False),
    praise="Ten correlated steps are worth fewer than three independent ones, and the clever "
           "weighting of the best estimate gains little over the plain average.",
))
