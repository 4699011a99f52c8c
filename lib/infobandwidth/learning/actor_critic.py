"""TD actor-critic (§3.2): the actor learns from one TD error per token.

:func:`actor_critic` trains a tabular softmax actor and a tabular critic ``V(s)`` (learned, exact
``V^π_ξ`` or the ideal observer's posterior-expected value); :func:`actor_critic_gradient` is the
actor's update direction on given trajectories. The training loop and its curve are in
:mod:`infobandwidth.learning.runs`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from infobandwidth.base.validate import (
    check_choice,
    check_gamma,
    check_rate,
)
from infobandwidth.learning.runs import CRITICS, TrainingCurve, _batch_of, _FamilyObserver, _Run
from infobandwidth.learning.tabular import HiddenString, _Batch, _scatter, _visit_means
from infobandwidth.model.mdp import (
    TokenMDP,
    softmax_policy,
)
from infobandwidth.model.rewards import RewardFamily
from infobandwidth.model.values import (
    _backward,
    _mean_rewards,
    _reward_matrix,
    _td,
)

__all__ = [
    "actor_critic",
    "actor_critic_gradient",
]


class _ActorCritic(_Run):
    has_critic = True

    def __init__(self, *args, lr_actor, lr_critic, critic, **kw):
        self.lr_a = check_rate(lr_actor, "lr_actor", hint="the actor's step size, e.g. 1.0")
        self.lr_c = check_rate(lr_critic, "lr_critic", at_most_one=True,
                                hint="the critic moves lr_critic of the way to its TD target; e.g. 0.5")
        self.critic = check_choice(critic, "critic", CRITICS)
        super().__init__(*args, **kw)
        task = self.task
        if self.critic != "learned":
            self.has_critic = False
            if task.mdp is None:
                raise ValueError(
                    f"critic={self.critic!r} needs an enumerable family (e.g. exact_match(TokenMDP(V, T))), "
                    "not a HiddenString"
                )
            if self.critic == "posterior" and not isinstance(self.observer, _FamilyObserver):
                raise ValueError("critic='posterior' needs the ideal observer: pass posterior=True")
            self._R_true = task.reward_matrix()

    def _critic_values(self, b: _Batch) -> np.ndarray:
        if self.critic == "learned":
            return self.tab.values[b.rows]
        task = self.task
        probs = softmax_policy(task.mdp, self.tab.full_logits()).table
        if self.critic == "exact":
            R = self._R_true
        else:
            self.observer.flush()
            R = _reward_matrix(task.mdp, _mean_rewards(task.family, self.observer.post, task.dense),
                               check_causal=False)
        full = _backward(task.mdp, probs, R, self.gamma)
        return full[self.tab.row_ids(b.rows)]

    def update(self, b: _Batch, r: np.ndarray) -> None:
        vs = self._critic_values(b)  # the critic before this batch, fixed during its episodes
        delta = _td(vs.T, r.T, self.gamma).T
        gp = self.gamma ** np.arange(self.task.T, dtype=float)
        _scatter(self.tab.logits, b.rows, b.toks, b.P, gp[:, None] * delta * (self.lr_a / self.n))
        self.tab._renormalise(b.rows.reshape(-1))
        if self.critic == "learned":
            u, m = _visit_means(b.rows, delta)
            self.tab.values[u] += self.lr_c * m


def actor_critic(
    family: RewardFamily | HiddenString,
    xi: Any,
    *,
    n_updates: int = 100,
    batch_size: int = 16,
    lr_actor: float = 1.0,
    lr_critic: float = 0.5,
    critic: str = "learned",
    dense: bool = False,
    gamma: float = 1.0,
    seed: int = 0,
    eval_every: int = 1,
    posterior: bool | str = "auto",
    table: str = "auto",
    init_logits: Any = None,
    init_values: Any = None,
) -> TrainingCurve:
    """One-step TD actor-critic with a tabular softmax actor and a tabular critic (§3.2).

    Konda & Tsitsiklis (2000); Sutton & Barto (2018), §13.5. See the module docstring for the
    pseudocode. The learning signal is the TD errors ``{δ_t}``, one per token; the critic is held
    fixed during each batch (:func:`~infobandwidth.model.values.td_errors` computes them for any given
    critic).

    Parameters
    ----------
    family : RewardFamily or HiddenString
    xi : int
        The true reward parameter.
    n_updates, batch_size : int
        As for :func:`reinforce`.
    lr_actor : float
        Actor step size ``α_a > 0``.
    lr_critic : float
        Critic step ``α_c`` in ``(0, 1]``: each visited prefix moves this fraction of the way to the
        batch mean of its TD targets.
    critic : {"learned", "exact", "posterior"}
        ``"learned"``: the tabular TD(0) critic. ``"exact"``: the exact ``V^π_ξ`` of the current
        policy on the true ξ (a perfectly trained critic; its TD errors are the advantages).
        ``"posterior"``: ``E_{ξ~p(ξ|D)}[V^π_ξ]`` with the ideal observer's posterior before the
        batch. The last two need an enumerable family.
    dense, gamma, seed, eval_every, posterior, table, init_logits
        As for :func:`reinforce`.
    init_values : array_like, shape (n_prefixes,), optional
        Starting critic (finite); default 0. Dense table only.

    Returns
    -------
    TrainingCurve
        ``critic`` holds the final learned critic.

    Raises
    ------
    ValueError
        As :func:`reinforce`; ``lr_critic`` outside ``(0, 1]``; an unknown critic; an idealised
        critic on a :class:`HiddenString` or (``"posterior"``) without the observer.

    Examples
    --------
    Dense rewards on a hidden string of 4 bits:

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 4))
    >>> c = actor_critic(fam, xi=9, n_updates=40, batch_size=8, lr_actor=2.0, dense=True, seed=0)
    >>> round(float(c.J[0]), 4), bool(c.J[-1] > 0.9), float(c.entropy_xi[-1])
    (0.0625, True, 0.0)
    """
    settings = dict(n_updates=n_updates, batch_size=batch_size, lr_actor=lr_actor,
                    lr_critic=lr_critic, critic=critic, dense=dense, gamma=gamma, seed=seed,
                    eval_every=eval_every, posterior=posterior)
    run = _ActorCritic(
        "actor_critic", family, xi, lr_actor=lr_actor, lr_critic=lr_critic, critic=critic,
        n_updates=n_updates, batch_size=batch_size, dense=dense, gamma=gamma, seed=seed,
        eval_every=eval_every, posterior=posterior, table=table, init_logits=init_logits,
        init_values=init_values, settings=settings,
    )
    return run.run()


def actor_critic_gradient(
    mdp: TokenMDP, logits: Any, values: Any, trajectories: Any, rewards: Any, *, gamma: float = 1.0
) -> np.ndarray:
    """The actor's update direction of a batch, ``(1/n) Σ_i Σ_t γ^t δ^i_t ∇ log π(a^i_t|s^i_t)`` (§3.2).

    ``δ_t`` are the TD errors of the given critic ``values``
    (:func:`~infobandwidth.model.values.td_errors`). With the exact critic ``V^π``
    (:func:`~infobandwidth.model.values.value_function`) ``δ_t`` is the advantage and the expectation
    over ``τ ~ π`` is ``∇_θ J_γ``. :func:`actor_critic` steps ``lr_actor`` times this.

    Parameters
    ----------
    mdp : TokenMDP
    logits : array_like, shape (n_prefixes, V)
    values : array_like, shape (n_prefixes,)
        The critic.
    trajectories : array_like of int, shape (n,)
    rewards : array_like
        Sparse ``(V**T,)`` or dense ``(V**T, T)``.
    gamma : float
        Discount in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n_prefixes, V)

    Raises
    ------
    ValueError
        Bad logits, critic, trajectories, rewards or ``gamma``.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> actor_critic_gradient(TokenMDP(2, 1), [[0.0, 0.0]], [0.5], [1], [0.0, 1.0]).tolist()
    [[-0.25, 0.25]]
    """
    from infobandwidth.model.values import td_errors

    b = _batch_of(mdp, logits, trajectories)
    gamma = check_gamma(gamma)
    delta = td_errors(mdp, values, b.k, rewards, gamma=gamma).T
    gp = gamma ** np.arange(mdp.T, dtype=float)
    out = np.zeros((mdp.n_prefixes, mdp.V))
    _scatter(out, b.rows, b.toks, b.P, gp[:, None] * delta / len(b.k))
    return out
