"""REINFORCE (§3.1): the policy-gradient learner, from one return per episode.

:func:`reinforce` trains a tabular softmax policy with the score-function estimator, with a
baseline (none, batch mean, leave-one-out, or a value function) and optionally reward-to-go;
:func:`policy_gradient` is the estimator itself on given trajectories (tested against finite
differences). The training loop and the curve it records are in :mod:`infobandwidth.learning.runs`.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from infobandwidth.base.validate import (
    as_array,
    check_bool,
    check_choice,
    check_gamma,
    check_rate,
)
from infobandwidth.learning.runs import BASELINES, TrainingCurve, _batch_of, _psi, _Run, _targets
from infobandwidth.learning.tabular import HiddenString, _Batch, _scatter, _visit_means
from infobandwidth.model.mdp import (
    TokenMDP,
)
from infobandwidth.model.rewards import RewardFamily
from infobandwidth.model.values import (
    _reward_matrix,
)

__all__ = [
    "reinforce",
    "policy_gradient",
]


class _Reinforce(_Run):
    def __init__(self, *args, lr, baseline, reward_to_go, baseline_rate, **kw):
        self.lr = check_rate(lr, "lr", hint="the policy step size, e.g. 1.0")
        self.baseline = check_choice(baseline, "baseline", BASELINES)
        self.reward_to_go = check_bool(reward_to_go, "reward_to_go")
        self.beta = check_rate(baseline_rate, "baseline_rate", at_most_one=True,
                                hint="the baseline's averaging rate, e.g. 0.1")
        super().__init__(*args, **kw)
        if self.baseline == "loo" and self.n < 2:
            raise ValueError("baseline='loo' (leave-one-out) needs batch_size >= 2")
        self.bmean = np.zeros(self.task.T)
        self.has_critic = self.baseline == "value"

    def update(self, b: _Batch, r: np.ndarray) -> None:
        target = _targets(r, self.gamma, self.reward_to_go)
        n = self.n
        if self.baseline == "none":
            base = 0.0
        elif self.baseline == "mean":
            base = self.bmean[:, None]
        elif self.baseline == "loo":
            base = (target.sum(axis=1, keepdims=True) - target) / (n - 1)
        else:
            base = self.tab.values[b.rows]
        psi = _psi(target, base, self.gamma, self.reward_to_go)
        _scatter(self.tab.logits, b.rows, b.toks, b.P, psi * (self.lr / n))
        self.tab._renormalise(b.rows.reshape(-1))
        if self.baseline == "mean":
            self.bmean += self.beta * (target.mean(axis=1) - self.bmean)
        elif self.baseline == "value":
            u, m = _visit_means(b.rows, target)
            self.tab.values[u] += self.beta * (m - self.tab.values[u])


# ============================================================================ public learners
def reinforce(
    family: RewardFamily | HiddenString,
    xi: Any,
    *,
    n_updates: int = 100,
    batch_size: int = 16,
    lr: float = 1.0,
    baseline: str = "none",
    reward_to_go: bool = False,
    baseline_rate: float = 0.1,
    dense: bool = False,
    gamma: float = 1.0,
    seed: int = 0,
    eval_every: int = 1,
    posterior: bool | str = "auto",
    table: str = "auto",
    init_logits: Any = None,
) -> TrainingCurve:
    """REINFORCE with a tabular softmax policy on the token MDP (§3.1; Williams 1992).

    See the module docstring for the pseudocode and the baselines. Each update samples
    ``batch_size`` episodes from the current policy (vectorised over the batch) and takes one
    step ``θ ← θ + lr · policy_gradient(...)``.

    Parameters
    ----------
    family : RewardFamily or HiddenString
        The task: reward functions over ξ with a prior (the prior is used by the observer only).
    xi : int
        The true reward parameter (the hidden task the learner faces).
    n_updates : int
        Number of updates (>= 1).
    batch_size : int
        Episodes per update (>= 1; >= 2 for ``baseline="loo"``).
    lr : float
        Step size ``α > 0``.
    baseline : {"none", "mean", "loo", "value"}
        See the module docstring.
    reward_to_go : bool
        Weight ``∇ log π(a_t|s_t)`` by the discounted rewards from ``t`` on instead of the whole return.
    baseline_rate : float
        In ``(0, 1]``: the averaging rate of the ``"mean"`` and ``"value"`` baselines.
    dense : bool
        Observe the family's per-step rewards ``r_t`` instead of the sparse ``R(s_T)`` at the end.
    gamma : float
        Discount in ``[0, 1]`` of the learner's objective ``J_γ = E[Σ_t γ^t r_t]``. (The curve's
        ``J`` is always the task's undiscounted return.)
    seed : int
        Seed of the numpy Generator that samples the episodes.
    eval_every : int
        Record a row of the curve every ``k`` updates (and after the last). Each row costs an
        exact ``J`` (``O(T·V**T)`` for a family) and the observer's entropies.
    posterior : {"auto", True, False}
        Track the ideal observer. ``"auto"``: for families when ``|Ξ|·batch_size`` (``·T`` for a
        dense signal) is at most :data:`MAX_OBSERVER_CELLS`, always for :class:`HiddenString`
        (closed form; except the sparse ``"count"`` return). A skipped observer is explained in
        ``TrainingCurve.note``.
    table : {"auto", "dense", "lazy"}
        Storage of the prefix table (module docstring). Results do not depend on it.
    init_logits : array_like, shape (n_prefixes, V), optional
        Starting logits (finite); default 0 (uniform). Dense table only.

    Returns
    -------
    TrainingCurve

    Raises
    ------
    ValueError
        A learning or baseline rate that is not a positive finite number (or above 1), a batch
        size, number of updates or ``eval_every`` below 1, ``gamma`` outside ``[0, 1]``, a seed
        that is not a non-negative int, an unknown baseline/table/posterior option, a ``xi``
        outside the family, a dense table above :data:`MAX_TABLE_ENTRIES` entries, or
        ``init_logits`` of the wrong shape.

    Examples
    --------
    Hidden string of 3 bits: the sparse return alone, a running-mean baseline.

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 3))
    >>> c = reinforce(fam, xi=5, n_updates=60, batch_size=8, lr=2.0, baseline="mean", seed=1)
    >>> round(float(c.J[0]), 3), bool(c.J[-1] > 0.9)
    (0.125, True)
    >>> c.entropy_xi[[0, -1]].tolist()              # 3 bits before, none left at the end
    [3.0, 0.0]
    >>> reinforce(fam, xi=5, lr=0)
    Traceback (most recent call last):
        ...
    ValueError: lr must be a number > 0 and finite, got 0; the policy step size, e.g. 1.0
    """
    settings = dict(n_updates=n_updates, batch_size=batch_size, lr=lr, baseline=baseline,
                    reward_to_go=reward_to_go, baseline_rate=baseline_rate, dense=dense,
                    gamma=gamma, seed=seed, eval_every=eval_every, posterior=posterior)
    run = _Reinforce(
        "reinforce", family, xi, lr=lr, baseline=baseline, reward_to_go=reward_to_go,
        baseline_rate=baseline_rate, n_updates=n_updates, batch_size=batch_size, dense=dense,
        gamma=gamma, seed=seed, eval_every=eval_every, posterior=posterior, table=table,
        init_logits=init_logits, init_values=None, settings=settings,
    )
    return run.run()


def policy_gradient(
    mdp: TokenMDP,
    logits: Any,
    trajectories: Any,
    rewards: Any,
    *,
    gamma: float = 1.0,
    reward_to_go: bool = False,
    baseline: Any = None,
) -> np.ndarray:
    """The REINFORCE gradient estimate of a batch of episodes, w.r.t. the logits (§3.1).

    ``(1/n) Σ_i Σ_t Ψ^i_t ∇_θ log π_θ(a^i_t | s^i_t)`` with ``Ψ`` as in the module docstring
    (whole discounted return, or ``γ^t``-weighted reward-to-go, minus the baseline). Its
    expectation over ``τ ~ π_θ`` is ``∇_θ J_γ(θ)`` for any baseline that depends on the state
    only. :func:`reinforce` steps ``lr`` times this.

    Parameters
    ----------
    mdp : TokenMDP
    logits : array_like, shape (n_prefixes, V)
    trajectories : array_like of int, shape (n,)
        The episodes (trajectory indices).
    rewards : array_like
        Sparse ``(V**T,)`` or dense ``(V**T, T)`` rewards (see :mod:`infobandwidth.model.values`).
    gamma : float
        Discount in ``[0, 1]``.
    reward_to_go : bool
    baseline : None, float, or array_like of shape (n_prefixes,)
        A constant or a per-prefix baseline ``b(s_t)``.

    Returns
    -------
    numpy.ndarray, shape (n_prefixes, V)

    Raises
    ------
    ValueError
        Bad logits, trajectories, rewards, ``gamma`` or baseline (shape or non-finite).

    Examples
    --------
    One bit, hidden token ``b``; the episode ``b`` earns 1 and pushes the logit of ``b`` up:

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> policy_gradient(TokenMDP(2, 1), [[0.0, 0.0]], [1], [0.0, 1.0]).tolist()
    [[-0.5, 0.5]]
    """
    b = _batch_of(mdp, logits, trajectories)
    gamma = check_gamma(gamma)
    rtg = check_bool(reward_to_go, "reward_to_go")
    r = _reward_matrix(mdp, rewards)[b.k].T
    if baseline is None:
        base: Any = 0.0
    elif isinstance(baseline, numbers.Real) and not isinstance(baseline, bool):
        if not math.isfinite(baseline):
            raise ValueError(f"baseline must be finite, got {baseline!r}")
        base = float(baseline)
    else:
        bv = as_array(baseline, name="baseline", ndim=1)
        if bv.shape != (mdp.n_prefixes,) or not np.isfinite(bv).all():
            raise ValueError(
                f"baseline must be None, a number, or {mdp.n_prefixes} finite values (one per "
                f"prefix); got shape {bv.shape}"
            )
        base = bv[b.rows]
    psi = _psi(_targets(r, gamma, rtg), base, gamma, rtg)
    out = np.zeros((mdp.n_prefixes, mdp.V))
    _scatter(out, b.rows, b.toks, b.P, psi / len(b.k))
    return out
