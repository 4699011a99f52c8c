"""Critics of §3.2: exact value functions, the idealised critic, and TD errors for a given critic.

Used in §3.2 (actor-critic: what the TD errors ``δ_t = r_t + γ V(s_{t+1}) - V(s_t)`` tell the
learner, and how that depends on the critic) and by :mod:`infobandwidth.learning`.

Conventions
-----------
* **Per-step rewards.** Every episode has ``T`` steps; step ``t`` chooses token ``x_{t+1}`` in
  state ``s_t`` (the prefix of length ``t``) and pays ``r_t``. A *sparse* reward table (shape
  ``(V**T,)``, ``R(s_T)`` per trajectory) is the per-step vector ``(0, ..., 0, R)``; a *dense*
  table (shape ``(V**T, T)``) gives ``r_t`` directly and must be *causal*: ``r_t`` may depend on
  ``x_1 .. x_{t+1}`` only (every family of :mod:`infobandwidth.model.rewards` is). The discounted return
  is ``G = Σ_t γ^t r_t``; for a sparse reward and ``γ < 1`` that is ``γ^{T-1} R`` (whereas
  :func:`infobandwidth.model.mdp.expected_return` ignores ``γ`` for sparse rewards). With ``γ = 1`` both
  agree.
* **End token.** Episodes are padded to ``T`` steps: after the end token the policy is forced to
  repeat it (a "decision" with probability 1, no gradient), and rewards are those of the family
  (dense: 0 after the end; sparse: ``R`` at the last step).
* **Values** live on prefixes, numbered as in :class:`~infobandwidth.model.mdp.TokenMDP` (shape
  ``(n_prefixes,)``); the value of the terminal state ``s_T`` is 0 and is not stored.

The two idealised critics
-------------------------
``ideal_critic(family, policy, xi=ξ)``
    ``V^π_ξ``: the exact value function of the current policy under the true reward, by backward
    induction over the prefix tree. A critic that had seen infinitely many episodes of *this*
    policy. Its TD errors are the advantages: ``δ_t = A^π(s_t, a_t)`` exactly (transitions and
    rewards are deterministic given the token), so ``E[δ_t | s_t] = 0``.
``ideal_critic(family, policy, belief=p)``
    ``E_{ξ~p}[V^π_ξ]``: the best critic a learner can hold given only its data, when ``p`` is the
    posterior ``p(ξ | D)`` of the ideal observer (:class:`~infobandwidth.signals.observer.BayesLearner`). By
    linearity it is ``V^π`` of the posterior-mean reward ``Σ_ξ p(ξ) r_ξ``. Its TD errors carry only
    what the data have not already told.

Backward induction (``value_function``)::

    U_T(s_T) = 0
    for t = T-1 .. 0:                          # one vectorised pass per depth
        Q_t(s_t, a) = r_t(s_t ∘ a) + γ U_{t+1}(s_t ∘ a)
        U_t(s_t)    = Σ_a π(a | s_t) Q_t(s_t, a)
    V(prefix of length t) = U_t

Cost ``O(T · V**T)`` (the last pass dominates), elementwise numpy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from infobandwidth.base.validate import (
    as_array,
    check_enumerable,
    check_gamma,
    check_prior,
)
from infobandwidth.model.mdp import Policy, TokenMDP, check_policy
from infobandwidth.model.rewards import MAX_PAIRS, RewardFamily, check_family

__all__ = [
    "step_rewards",
    "value_function",
    "ideal_critic",
    "td_errors",
]


def _check_mdp(mdp: Any) -> TokenMDP:
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    return mdp


def _reward_matrix(mdp: TokenMDP, rewards: Any, *, check_causal: bool = True) -> np.ndarray:
    """Per-step rewards of every trajectory, shape ``(V**T, T)`` (see the module conventions)."""
    r = as_array(rewards, name="rewards")
    n, T = mdp.n_trajectories, mdp.T
    if r.shape not in ((n,), (n, T)):
        raise ValueError(
            f"rewards has shape {r.shape}; expected ({n},) for a sparse reward R(s_T) per "
            f"trajectory or ({n}, {T}) for dense per-step rewards r_t (V^T = {mdp.V}^{T})"
        )
    if not np.isfinite(r).all():
        raise ValueError("rewards contain NaN or inf; rewards must be finite numbers")
    if r.ndim == 1:
        out = np.zeros((n, T))
        out[:, -1] = r
        return out
    if check_causal:
        V = mdp.V
        for t in range(T - 1):
            block = r[:, t].reshape(V ** (t + 1), V ** (T - t - 1))
            bad = np.flatnonzero((block != block[:, :1]).any(axis=1))
            if bad.size:
                k = int(bad[0]) * V ** (T - t - 1)
                raise ValueError(
                    f"dense rewards are not causal: r_{t} differs between trajectories that share "
                    f"their first {t + 1} tokens ({mdp.label(k)!r}...); r_t may depend on "
                    f"x_1..x_(t+1) only (the families of infobandwidth.model.rewards are causal)"
                )
    return np.array(r, dtype=np.float64)


def step_rewards(mdp: TokenMDP, rewards: Any) -> np.ndarray:
    """The per-step rewards ``r_0 .. r_{T-1}`` of every trajectory, shape ``(V**T, T)`` (§3.2).

    Parameters
    ----------
    mdp : TokenMDP
    rewards : array_like
        Sparse ``(V**T,)`` (becomes ``(0, ..., 0, R)``) or dense ``(V**T, T)`` (returned as is,
        after checking it is causal).

    Returns
    -------
    numpy.ndarray, shape (V**T, T)

    Raises
    ------
    ValueError
        Wrong shape (both allowed shapes are named), NaN/inf, or a dense table in which ``r_t``
        depends on tokens after ``x_{t+1}``.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> step_rewards(TokenMDP(2, 2), [0, 0, 1, 0]).tolist()
    [[0.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """
    return _reward_matrix(_check_mdp(mdp), rewards)


def _probs(policy: Any, mdp: TokenMDP | None = None) -> tuple[TokenMDP, np.ndarray]:
    if not isinstance(policy, Policy):
        raise ValueError(
            f"policy must be a Policy (e.g. softmax_policy(mdp, logits)), got {type(policy).__name__}"
        )
    if mdp is not None:
        check_policy(policy, mdp)
    return policy.mdp, policy.table


def _backward(mdp: TokenMDP, probs: np.ndarray, R: np.ndarray, gamma: float) -> np.ndarray:
    """Backward induction: ``V^π`` on every prefix for per-step rewards ``R`` (V**T, T)."""
    V, T = mdp.V, mdp.T
    values = np.empty(mdp.n_prefixes)
    U = np.zeros(V**T)  # values of the states at depth t+1 (terminal: 0)
    for t in range(T - 1, -1, -1):
        stride = V ** (T - t - 1)
        q = R[::stride, t] + gamma * U  # Q(s_t, a), indexed by the child prefix s_{t+1}
        lo, hi = int(mdp._offsets[t]), int(mdp._offsets[t + 1])
        U = (probs[lo:hi] * q.reshape(V**t, V)).sum(axis=1)
        values[lo:hi] = U
    return values


def value_function(policy: Policy, rewards: Any, *, gamma: float = 1.0) -> np.ndarray:
    """Exact ``V^π(s)`` on every prefix by backward induction over the prefix tree (§3.2).

    ``V^π(s_t) = E_π[Σ_{k>=t} γ^{k-t} r_k | s_t]``; the terminal value is 0. See the module
    docstring for the pseudocode and the reward conventions.

    Parameters
    ----------
    policy : Policy
        The policy whose values are computed (e.g. ``softmax_policy(mdp, logits)``).
    rewards : array_like
        Sparse ``(V**T,)`` or dense ``(V**T, T)`` (causal) rewards of one reward function.
    gamma : float
        Discount in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n_prefixes,)
        ``values[0]`` is ``J_γ(π) = E[Σ_t γ^t r_t]`` (``= expected_return`` when ``γ = 1``).

    Raises
    ------
    ValueError
        As :func:`step_rewards`, a policy that is not a :class:`~infobandwidth.model.mdp.Policy`, or
        ``gamma`` outside ``[0, 1]``.

    Examples
    --------
    Hidden string ``ba``: under the uniform policy, the prefix ``b`` is worth 1/2, ``a`` nothing.

    >>> from infobandwidth.model.mdp import TokenMDP, uniform_policy
    >>> value_function(uniform_policy(TokenMDP(2, 2)), [0, 0, 1, 0]).tolist()
    [0.25, 0.0, 0.5]
    """
    mdp, probs = _probs(policy)
    return _backward(mdp, probs, _reward_matrix(mdp, rewards), check_gamma(gamma))


def _mean_rewards(family: RewardFamily, weights: np.ndarray, dense: bool) -> np.ndarray:
    """``Σ_ξ w_ξ r_ξ`` over the support of ``w``, shape ``(V**T,)`` or ``(V**T, T)``."""
    support = np.flatnonzero(weights > 0)
    n_tr, T = family.mdp.n_trajectories, family.mdp.T
    check_enumerable(len(support) * n_tr * (T if dense else 1), MAX_PAIRS,
                     "the rewards of every ξ in the belief's support",
                     "a belief with smaller support or a smaller MDP")
    out = np.zeros((n_tr, T) if dense else n_tr)
    for x in support:
        r = family.dense_rewards(int(x)) if dense else family.sparse_rewards(int(x))
        out += weights[x] * r
    return out


def ideal_critic(
    family: RewardFamily,
    policy: Policy,
    *,
    xi: int | None = None,
    belief: Any = None,
    dense: bool = False,
    gamma: float = 1.0,
) -> np.ndarray:
    """The idealised well-trained critic of §3.2: ``V^π_ξ``, or ``E_{ξ~belief}[V^π_ξ]``.

    Give exactly one of ``xi`` (the exact value function of ``policy`` under the reward of ``ξ``:
    a critic trained to convergence on this policy) or ``belief`` (a distribution over ξ, e.g. the
    ideal observer's posterior: the best critic the data so far allow; by linearity ``V^π`` of the
    belief-mean reward). See the module docstring.

    Parameters
    ----------
    family : RewardFamily
    policy : Policy
        On the family's MDP.
    xi : int, optional
        The reward parameter.
    belief : array_like, shape (n_xi,), optional
        A distribution over ξ.
    dense : bool
        Per-step (dense) rewards of the family instead of the sparse ``R(s_T)``.
    gamma : float
        Discount in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n_prefixes,)

    Raises
    ------
    ValueError
        Neither or both of ``xi`` and ``belief``; a belief that is not a distribution over the
        family's ξ; a policy on another MDP; ``gamma`` outside ``[0, 1]``; a belief whose support
        times ``V**T`` exceeds :data:`~infobandwidth.model.rewards.MAX_PAIRS`.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP, uniform_policy
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> pi = uniform_policy(fam.mdp)
    >>> ideal_critic(fam, pi, xi=2).tolist()                 # hidden string "ba"
    [0.25, 0.0, 0.5]
    >>> ideal_critic(fam, pi, belief=[0, 0, 0.5, 0.5]).tolist()   # "ba" or "bb"
    [0.25, 0.0, 0.5]
    >>> ideal_critic(fam, pi, belief=fam.prior).tolist()     # knowing nothing
    [0.25, 0.25, 0.25]
    """
    check_family(family)
    mdp, probs = _probs(policy, family.mdp)
    gamma = check_gamma(gamma)
    if (xi is None) == (belief is None):
        raise ValueError(
            "give exactly one of xi= (the exact critic V^π_ξ of one reward) or belief= (a "
            "distribution over ξ, e.g. a posterior: the posterior-expected critic)"
        )
    if xi is not None:
        r = family.dense_rewards(xi) if dense else family.sparse_rewards(xi)
    else:
        r = _mean_rewards(family, check_prior(belief, family.n_xi), bool(dense))
    return _backward(mdp, probs, _reward_matrix(mdp, r, check_causal=False), gamma)


def _td(values_s: np.ndarray, r: np.ndarray, gamma: float) -> np.ndarray:
    """TD errors from ``V(s_t)`` and ``r_t``, both ``(..., T)``; terminal value 0."""
    nxt = np.zeros_like(values_s)
    nxt[..., :-1] = values_s[..., 1:]
    return r + gamma * nxt - values_s


def td_errors(
    mdp: TokenMDP, values: Any, trajectories: Any, rewards: Any, *, gamma: float = 1.0
) -> np.ndarray:
    """TD errors ``δ_t = r_t + γ V(s_{t+1}) - V(s_t)`` of trajectories for a GIVEN critic (§3.2).

    The critic is held fixed during the episodes (as when a chapter measures the information in
    ``{δ_t}`` for a critic trained on past data). ``V(s_T) = 0``. Telescoping:
    ``Σ_t γ^t δ_t = G - V(s_0)`` for any critic, with ``G = Σ_t γ^t r_t``.

    Parameters
    ----------
    mdp : TokenMDP
    values : array_like, shape (n_prefixes,)
        The critic, e.g. from :func:`ideal_critic` or a learner's ``TrainingCurve.critic``.
    trajectories : array_like of int, shape (n,)
        Trajectory indices (e.g. from ``policy.sample``).
    rewards : array_like
        Sparse ``(V**T,)`` or dense ``(V**T, T)`` rewards (see the module conventions).
    gamma : float
        Discount in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n, T)

    Raises
    ------
    ValueError
        A critic of the wrong length or with NaN/inf, trajectory indices outside ``0 .. V**T-1``,
        bad rewards or ``gamma``.

    Examples
    --------
    With the exact critic the last step's TD error is the surprise in the reward:

    >>> from infobandwidth.model.mdp import TokenMDP, uniform_policy
    >>> mdp = TokenMDP(2, 2)
    >>> V = value_function(uniform_policy(mdp), [0, 0, 1, 0])       # [0.25, 0, 0.5]
    >>> td_errors(mdp, V, [2, 3], [0, 0, 1, 0]).tolist()            # "ba", "bb"
    [[0.25, 0.5], [0.25, -0.5]]
    """
    mdp = _check_mdp(mdp)
    v = as_array(values, name="values", ndim=1)
    if v.shape != (mdp.n_prefixes,):
        raise ValueError(
            f"values has {v.shape[0]} entries, expected n_prefixes = {mdp.n_prefixes} "
            "(one value per prefix, numbered as TokenMDP.prefixes())"
        )
    if not np.isfinite(v).all():
        raise ValueError("values contain NaN or inf; a critic must be finite numbers")
    tr = np.asarray(trajectories)
    if tr.ndim != 1 or (tr.size and tr.dtype.kind not in "iu"):
        raise ValueError(
            f"trajectories must be a 1-D array of integer trajectory indices, got shape {tr.shape} "
            f"and dtype {tr.dtype}"
        )
    tr = tr.astype(np.int64)
    if tr.size and (tr.min() < 0 or tr.max() >= mdp.n_trajectories):
        raise ValueError(
            f"trajectory indices must lie in 0..{mdp.n_trajectories - 1}, got values in "
            f"{int(tr.min())}..{int(tr.max())}"
        )
    R = _reward_matrix(mdp, rewards)
    return _td(v[mdp.prefix_ids(tr)], R[tr], check_gamma(gamma))
