"""Exercises of §3.2, *Actor-critic* (``book/part3/actor-critic.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

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
