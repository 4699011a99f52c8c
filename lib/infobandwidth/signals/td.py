"""What temporal-difference errors tell an actor-critic learner about the reward (§3.2).

Used in §3.2 (actor-critic): the article argues that the ``T`` TD errors of an episode,
``δ_t = r_t + γ V(s_{t+1}) - V(s_t)``, carry up to ``O(T)`` bits about the reward parameter ξ,
``T`` times what the single return ``G`` of REINFORCE carries. This module computes, exactly on
small token MDPs, how much they do carry.

The key fact
------------
Hold the critic ``V`` fixed during the episode (it was trained on earlier episodes). Given the
trajectory τ, the map from the reward vector ``(r_0, ..., r_{T-1})`` to the TD errors is
invertible, ``r_t = δ_t - γ V(s_{t+1}) + V(s_t)``, so

    I({δ_t}; ξ | τ, V) = I({r_t}; ξ | τ),

whatever the critic. With sparse rewards ``{r_t} = (0, ..., 0, R)`` this is ``I(G; ξ | τ)``: the
critic adds no new information within the episode. The entropy ``H({δ_t})`` (the *potential*
bandwidth) can still be much larger, because the TD errors also encode τ and the critic.

What is here
------------
:class:`TDErrorSignal`
    The TD-error vector as a learning signal of :mod:`infobandwidth.signals.signals`, for a fixed
    critic, a critic per ξ, or the exact ``V^π_ξ`` (``critic="exact"``); usable with every function
    that takes a ``signal`` (:func:`~infobandwidth.signals.bandwidth.signal_bandwidth`, the Bayes
    learner, ...).
:class:`RewardToGoSignal`
    The rewards-to-go ``G_t = Σ_{k>=t} γ^{k-t} r_k`` of REINFORCE with reward-to-go, as a signal
    (§4.1 compares it with the return and the TD errors).
:func:`td_error_table`
    The TD errors of every (ξ, τ) for one critic.
:func:`td_information`
    Every bandwidth number of the TD errors next to those of the rewards and of ``G``, including
    ``I({δ_t}; ξ | τ, critic)`` when the critic depends on ξ.
:func:`critic_error`
    How far a critic is from ``V^π_ξ`` on the states a policy visits.

The chapter's experiments (learning phases, scaling with ``T``, learners compared) are in
:mod:`infobandwidth.book.experiments.actor_critic`; the AR(1) model of correlated TD errors is in
:mod:`infobandwidth.information.gaussian`; the §3.2 claim checks are in
:mod:`infobandwidth.book.claims.actor_critic`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from infobandwidth.base.numerics import clean_bits, observation_codes
from infobandwidth.base.validate import (
    as_array,
    check_enumerable,
    check_gamma,
    check_prior,
)
from infobandwidth.information.joint import conditional_entropy_of_codes
from infobandwidth.model.mdp import Policy, check_policy
from infobandwidth.model.rewards import MAX_PAIRS, RewardFamily, check_family
from infobandwidth.model.values import ideal_critic
from infobandwidth.signals.bandwidth import Bandwidth, signal_bandwidth
from infobandwidth.signals.signals import DenseRewards, ReturnSignal, Signal, _Bound

__all__ = [
    "td_error_table",
    "TDErrorSignal",
    "RewardToGoSignal",
    "TDInformation",
    "td_information",
    "critic_error",
]



# ============================================================================ helpers
def _reward_tensor(family: RewardFamily, dense: bool) -> np.ndarray:
    """Per-step rewards ``r[ξ, τ, t]`` of every pair, shape ``(n_xi, V**T, T)``."""
    mdp = family.mdp
    check_enumerable(family.n_xi * mdp.n_trajectories * mdp.T, MAX_PAIRS,
                     "the per-step rewards of every (ξ, τ) pair", "a smaller MDP or family")
    if dense:
        return np.asarray(family.dense_table(), dtype=np.float64)
    out = np.zeros((family.n_xi, mdp.n_trajectories, mdp.T))
    out[:, :, -1] = family.sparse_table()
    return out


def _reach(policy: Policy) -> np.ndarray:
    """Probability of reaching every prefix under ``policy``, shape ``(n_prefixes,)``."""
    mdp = policy.mdp
    p = policy.trajectory_probs()
    out = np.empty(mdp.n_prefixes)
    for t in range(mdp.T):
        lo, hi = int(mdp._offsets[t]), int(mdp._offsets[t + 1])
        out[lo:hi] = p.reshape(mdp.V**t, mdp.V ** (mdp.T - t)).sum(axis=1)
    return out


# ============================================================================ TD errors as a signal
def _critic_matrix(family: RewardFamily, critic: Any, policy: Policy, dense: bool,
                   gamma: float) -> tuple[np.ndarray, bool]:
    """The critic as ``(n_xi, n_prefixes)`` (or ``(1, n_prefixes)`` if fixed) and whether fixed."""
    mdp = family.mdp
    if isinstance(critic, str):
        if critic != "exact":
            raise ValueError(f"critic must be an array of values or 'exact', got {critic!r}")
        check_enumerable(family.n_xi * mdp.n_prefixes, MAX_PAIRS, "one exact critic per ξ",
                         "a smaller family or MDP")
        return np.stack([ideal_critic(family, policy, xi=x, dense=dense, gamma=gamma)
                         for x in range(family.n_xi)]), False
    v = as_array(critic, name="critic")
    if v.ndim == 1:
        if v.shape != (mdp.n_prefixes,):
            raise ValueError(f"a fixed critic has one value per prefix: shape ({mdp.n_prefixes},), "
                             f"got {v.shape}")
        fixed = True
        v = v[None, :]
    elif v.ndim == 2:
        if v.shape != (family.n_xi, mdp.n_prefixes):
            raise ValueError(f"a critic per ξ has shape (n_xi, n_prefixes) = "
                             f"({family.n_xi}, {mdp.n_prefixes}), got {v.shape}")
        fixed = False
    else:
        raise ValueError(f"critic must have shape (n_prefixes,) or (n_xi, n_prefixes), got {v.shape}")
    if not np.isfinite(v).all():
        raise ValueError("the critic contains NaN or inf; a critic must be finite numbers")
    return np.array(v, dtype=np.float64), fixed


def td_error_table(
    family: RewardFamily,
    critic: Any,
    policy: Policy | None = None,
    *,
    dense: bool = False,
    gamma: float = 1.0,
) -> np.ndarray:
    """TD errors ``δ_t = r_t + γ V(s_{t+1}) - V(s_t)`` of every (ξ, τ) pair, shape ``(n_xi, V**T, T)``.

    Used in §3.2. The terminal value ``V(s_T)`` is 0 (as in :func:`~infobandwidth.model.values.td_errors`).

    Parameters
    ----------
    family : RewardFamily
    critic : array_like or "exact"
        Shape ``(n_prefixes,)``: one critic, fixed whatever ξ is (trained on earlier episodes).
        Shape ``(n_xi, n_prefixes)``: a critic for each ξ (e.g. trained on data generated by ξ).
        ``"exact"``: ``V^π_ξ`` of ``policy`` for each ξ (:func:`~infobandwidth.model.values.ideal_critic`).
    policy : Policy, optional
        Only for ``critic="exact"`` (default: uniform).
    dense : bool
        Per-step rewards of the family instead of the sparse ``R(s_T)`` paid at the last step.
    gamma : float
        Discount in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n_xi, V**T, T)

    Raises
    ------
    ValueError
        A critic of the wrong shape or with NaN/inf, an unknown critic name, a policy on another MDP,
        ``gamma`` outside ``[0, 1]``, or more than :data:`~infobandwidth.model.rewards.MAX_PAIRS` entries.

    Examples
    --------
    Hidden string among ``aa, ab, ba, bb``; a critic that says 0.5 everywhere:

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> td_error_table(fam, [0.5, 0.5, 0.5])[2].tolist()       # ξ = "ba"; rows τ = aa .. bb
    [[0.0, -0.5], [0.0, -0.5], [0.0, 0.5], [0.0, -0.5]]
    """
    family = check_family(family)
    mdp = family.mdp
    policy = check_policy(policy, mdp)
    gamma = check_gamma(gamma)
    Vm, fixed = _critic_matrix(family, critic, policy, bool(dense), gamma)
    r = _reward_tensor(family, bool(dense))
    path = mdp.prefix_ids(np.arange(mdp.n_trajectories))  # (V**T, T)
    cur = Vm[:, path]  # (1 or n_xi, V**T, T)
    nxt = np.zeros_like(cur)
    nxt[..., :-1] = cur[..., 1:]
    return r + gamma * nxt - cur


def _bind_vectors(name: str, table: np.ndarray, what: str, impossible: str) -> _Bound:
    """Bind a signal whose observation is a vector (last axis of ``table``, shape (ξ, τ, k)).

    Vectors equal under the tie rule are one observation; ``encode`` matches a given vector to its
    code and raises ``ValueError`` (``what`` names the observation, ``impossible`` is formatted
    with it) when its length is wrong or it cannot occur.
    """
    codes, uniq = observation_codes(table)

    def encode(v):
        v = np.asarray(v, dtype=np.float64).reshape(-1)
        if v.shape != (uniq.shape[1],):
            raise ValueError(f"{what} has {uniq.shape[1]} numbers, got {v.size}")
        hit = np.flatnonzero(np.all(np.isclose(uniq, v, rtol=0, atol=1e-8), axis=1))
        if not hit.size:
            raise ValueError(impossible.format(v.tolist()))
        return int(hit[0])

    def label(c):
        return "(" + ",".join(f"{x:.4g}" for x in uniq[c]) + ")"

    return _Bound(name, len(uniq), lambda xi, tr: codes[np.asarray(xi)][:, np.asarray(tr)],
                  encode, label)


class TDErrorSignal(Signal):
    """The TD errors ``(δ_0, ..., δ_{T-1})`` of an episode as a learning signal (§3.2).

    For a critic held fixed during the episode. Observations are sequences of TD errors (or of
    the selected ``steps``); values equal under the tie rule (:data:`~infobandwidth.base.numerics.OBSERVATION_DECIMALS`) count as the same observation.

    Parameters
    ----------
    critic : array_like or "exact"
        As for :func:`td_error_table`.
    policy : Policy, optional
        For ``critic="exact"``.
    dense : bool
        Dense per-step rewards instead of the sparse end-of-episode reward.
    gamma : float
        Discount in ``[0, 1]``.
    steps : sequence of int, optional
        Observe only these steps (e.g. ``[-1]``, the last TD error).

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> b = TDErrorSignal([0.25, 0.0, 0.5]).bind(fam)   # V^π of "ba" under the uniform policy
    >>> b.K_obs, b.value_label(b.encode([0.25, 0.5]))
    (4, '(0.25,0.5)')
    """

    def __init__(self, critic: Any, policy: Policy | None = None, *, dense: bool = False,
                 gamma: float = 1.0, steps: Sequence[int] | None = None) -> None:
        self.critic, self.policy, self.dense, self.gamma = critic, policy, bool(dense), gamma
        self.steps = None if steps is None else [int(s) for s in steps]
        which = "" if steps is None else f" at steps {self.steps}"
        self.name = f"TD errors{which}"

    def table(self, family: RewardFamily) -> np.ndarray:
        """The observed TD errors of every (ξ, τ), shape ``(n_xi, V**T, n_steps)``."""
        d = td_error_table(family, self.critic, self.policy, dense=self.dense, gamma=self.gamma)
        d = np.broadcast_to(d, (family.n_xi,) + d.shape[1:])
        if self.steps is not None:
            T = family.mdp.T
            if any(not -T <= s < T for s in self.steps):
                raise ValueError(f"steps must lie in {-T}..{T - 1}, got {self.steps}")
            d = d[:, :, self.steps]
        return d

    def bind(self, family):
        return _bind_vectors(self.name, self.table(family), "a TD-error observation",
                             "the TD errors {} cannot occur with this critic and family")


class RewardToGoSignal(Signal):
    """The rewards-to-go ``(G_0, ..., G_{T-1})`` of an episode as a learning signal (§3.1, §4.1).

    ``G_t = Σ_{k>=t} γ^{k-t} r_k`` is what REINFORCE with reward-to-go weighs the score of step
    ``t`` by. With the sparse reward every ``G_t`` equals the return ``G`` (for ``γ = 1``), so the
    signal tells what ``G`` tells; with dense rewards it is an invertible function of the reward
    vector (``r_t = G_t - γ G_{t+1}``) and tells what :class:`~infobandwidth.signals.signals.DenseRewards`
    tells. Values equal under the tie rule (:data:`~infobandwidth.base.numerics.OBSERVATION_DECIMALS`)
    count as the same observation.

    Parameters
    ----------
    dense : bool
        Per-step rewards of the family instead of the sparse ``R(s_T)`` paid at the last step.
    gamma : float
        Discount in ``[0, 1]``.

    Raises
    ------
    ValueError
        ``gamma`` outside ``[0, 1]`` (when bound), or more than
        :data:`~infobandwidth.model.rewards.MAX_PAIRS` entries.

    Examples
    --------
    Match count on 2 binary tokens: the dense rewards pay 1/2 per matching token.

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import match_count
    >>> fam = match_count(TokenMDP(2, 2))
    >>> RewardToGoSignal(dense=True).table(fam)[0].tolist()   # ξ = "aa"; rows τ = aa .. bb
    [[1.0, 0.5], [0.5, 0.0], [0.5, 0.5], [0.0, 0.0]]
    >>> RewardToGoSignal().bind(fam).K_obs, RewardToGoSignal(dense=True).bind(fam).K_obs
    (3, 4)
    """

    def __init__(self, *, dense: bool = False, gamma: float = 1.0) -> None:
        self.dense, self.gamma = bool(dense), gamma
        self.name = f"rewards-to-go ({'dense' if self.dense else 'sparse'} reward)"

    def table(self, family: RewardFamily) -> np.ndarray:
        """``G_t`` of every (ξ, τ), shape ``(n_xi, V**T, T)``."""
        family = check_family(family)
        gamma = check_gamma(self.gamma)
        r = _reward_tensor(family, self.dense)
        out = np.empty_like(r)
        acc = np.zeros(r.shape[:2])
        for t in range(r.shape[2] - 1, -1, -1):
            acc = r[:, :, t] + gamma * acc
            out[:, :, t] = acc
        return out

    def bind(self, family):
        return _bind_vectors(self.name, self.table(family), "a reward-to-go observation",
                             "the rewards-to-go {} cannot occur in this family")


# ============================================================================ one critic
@dataclass(frozen=True)
class TDInformation:
    """The information in the TD errors of one critic, next to the rewards and the return (§3.2).

    All numbers in bits, under the behaviour policy and the weights over ξ used.

    Attributes
    ----------
    td : Bandwidth
        Of the TD-error vector: ``td.H_S`` is ``H({δ_t})``, ``td.I_S_xi_given_tau`` is
        ``I({δ_t}; ξ | τ)`` (a critic that depends on ξ is *not* conditioned on).
    rewards : Bandwidth
        Of the reward vector ``{r_t}`` (dense) or of ``G`` (sparse; the vector ``(0, .., 0, R)``
        carries exactly what ``G`` does).
    ret : Bandwidth
        Of the return ``G`` (REINFORCE's signal).
    I_td_given_critic : float
        ``I({δ_t}; ξ | τ, critic)``: the new information of the episode for a learner who knows its
        critic. Equal to ``td.I_S_xi_given_tau`` for a fixed critic.
    I_rewards_given_critic : float
        ``I({r_t}; ξ | τ, critic)`` (the theorem: equal to the previous number).
    fixed : bool
        Whether the critic is the same for every ξ.
    n_critics : int
        Number of distinct critics among the ξ with positive weight (1 if fixed).
    per_step : tuple of float
        ``I(δ_t; ξ | τ, critic)`` for ``t = 0 .. T-1``, each step on its own.
    levels_per_step : tuple of int
        Number of distinct values each ``δ_t`` takes (``log2`` of their product bounds ``H``).

    Examples
    --------
    See :func:`td_information`.
    """

    td: Bandwidth
    rewards: Bandwidth
    ret: Bandwidth
    I_td_given_critic: float
    I_rewards_given_critic: float
    fixed: bool
    n_critics: int
    per_step: tuple
    levels_per_step: tuple

    @property
    def potential(self) -> float:
        """``H({δ_t})``, the potential bandwidth of the TD errors."""
        return self.td.H_S

    @property
    def new_information(self) -> float:
        """``I({δ_t}; ξ | τ, critic)``."""
        return self.I_td_given_critic

    def row(self) -> dict[str, float]:
        """The numbers a chapter tabulates, keyed by their formula."""
        return {
            "H(δ)": self.td.H_S,
            "H(δ|τ)": self.td.H_S_given_tau,
            "I(δ;ξ)": self.td.I_S_xi,
            "I(δ;ξ|τ)": self.td.I_S_xi_given_tau,
            "I(δ;ξ|τ,critic)": self.I_td_given_critic,
            "I(r;ξ|τ)": self.rewards.I_S_xi_given_tau,
            "I(G;ξ|τ)": self.ret.I_S_xi_given_tau,
        }


def td_information(
    family: RewardFamily,
    critic: Any,
    policy: Policy | None = None,
    *,
    prior: Any = None,
    dense: bool = False,
    gamma: float = 1.0,
) -> TDInformation:
    """How much the TD errors of a critic tell about ξ, against the rewards and the return (§3.2).

    Parameters
    ----------
    family : RewardFamily
    critic : array_like or "exact"
        A fixed critic ``(n_prefixes,)``, a critic per ξ ``(n_xi, n_prefixes)``, or ``"exact"``
        (``V^π_ξ`` of ``policy`` for each ξ); see :func:`td_error_table`.
    policy : Policy, optional
        The behaviour policy (default: uniform).
    prior : array_like, optional
        Weights over ξ replacing the family's prior (e.g. the learner's posterior).
    dense : bool
        Dense per-step rewards instead of the sparse end-of-episode reward.
    gamma : float
        Discount in ``[0, 1]``.

    Returns
    -------
    TDInformation

    Raises
    ------
    ValueError
        On the errors of :func:`td_error_table` and :func:`~infobandwidth.signals.bandwidth.signal_bandwidth`.

    Examples
    --------
    Partial credit on 3 binary tokens, a random critic: the TD errors have much more entropy than
    the return, and exactly the same new information.

    >>> import numpy as np
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import match_count
    >>> fam = match_count(TokenMDP(2, 3))
    >>> info = td_information(fam, np.random.default_rng(0).normal(size=7))
    >>> round(info.td.H_S, 3), round(info.ret.H_S, 3)
    (3.811, 1.811)
    >>> round(info.I_td_given_critic, 3), round(info.ret.I_S_xi_given_tau, 3)
    (1.811, 1.811)
    """
    family = check_family(family)
    mdp = family.mdp
    policy = check_policy(policy, mdp)
    gamma = check_gamma(gamma)
    w = family.prior if prior is None else check_prior(prior, family.n_xi)
    Vm, fixed = _critic_matrix(family, critic, policy, bool(dense), gamma)
    sig = TDErrorSignal(Vm[0] if fixed else Vm, dense=dense, gamma=gamma)
    td = signal_bandwidth(family, sig, policy, prior=w)
    rsig = DenseRewards() if dense else ReturnSignal()
    rewards = signal_bandwidth(family, rsig, policy, prior=w)
    ret = signal_bandwidth(family, ReturnSignal(), policy, prior=w)

    # the joint p(ξ, τ) = w(ξ) p_π(τ) and codes of δ, of r and of the critic
    weights = w[:, None] * policy.trajectory_probs()[None, :]
    delta = np.broadcast_to(sig.table(family), (family.n_xi, mdp.n_trajectories, mdp.T))
    d_codes, _ = observation_codes(delta)
    r_codes, _ = observation_codes(_reward_tensor(family, bool(dense)))
    c_rows, _ = observation_codes(Vm)
    n_critics = 1 if fixed else len(np.unique(c_rows[w > 0]))
    c_codes = np.broadcast_to(c_rows[:, None], weights.shape) if not fixed else np.zeros(weights.shape, np.int64)
    tau = np.broadcast_to(np.arange(mdp.n_trajectories)[None, :], weights.shape)
    # δ and r are functions of (ξ, τ): I(·; ξ | τ, C) = H(· | τ, C)
    I_td = conditional_entropy_of_codes(weights, d_codes, tau, c_codes)
    I_r = conditional_entropy_of_codes(weights, r_codes, tau, c_codes)
    per_step, levels = [], []
    for t in range(mdp.T):
        ct, _ = observation_codes(delta[:, :, t:t + 1])
        per_step.append(clean_bits(conditional_entropy_of_codes(weights, ct, tau, c_codes)))
        levels.append(int(len(np.unique(ct[weights > 0]))))
    return TDInformation(td=td, rewards=rewards, ret=ret, I_td_given_critic=clean_bits(I_td),
                         I_rewards_given_critic=clean_bits(I_r), fixed=fixed,
                         n_critics=n_critics, per_step=tuple(per_step),
                         levels_per_step=tuple(levels))


def critic_error(family: RewardFamily, xi: int, policy: Policy, critic: Any, *,
                 dense: bool = False, gamma: float = 1.0) -> float:
    """Root-mean-square error of a critic against the exact ``V^π_ξ``, on the states π visits (§3.2).

    Each depth ``t = 0 .. T-1`` counts equally; inside a depth, prefixes are weighted by the
    probability that ``policy`` reaches them.

    Parameters
    ----------
    family : RewardFamily
    xi : int
        The true reward parameter.
    policy : Policy
        The policy whose value the critic estimates.
    critic : array_like, shape (n_prefixes,)
    dense, gamma
        As for :func:`~infobandwidth.model.values.ideal_critic`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        A critic of the wrong shape or with NaN/inf, or the errors of
        :func:`~infobandwidth.model.values.ideal_critic`.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP, uniform_policy
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> pi = uniform_policy(fam.mdp)
    >>> critic_error(fam, 2, pi, [0.25, 0.0, 0.5])        # the exact critic of "ba"
    0.0
    >>> round(critic_error(fam, 2, pi, [0.0, 0.0, 0.0]), 6)   # sqrt((0.25² + (0² + 0.5²)/2) / 2)
    0.306186
    """
    family = check_family(family)
    policy = check_policy(policy, family.mdp)
    v = as_array(critic, name="critic", ndim=1)
    mdp = family.mdp
    if v.shape != (mdp.n_prefixes,) or not np.isfinite(v).all():
        raise ValueError(f"critic must be {mdp.n_prefixes} finite values (one per prefix), got shape {v.shape}")
    exact = ideal_critic(family, policy, xi=xi, dense=dense, gamma=gamma)
    reach = _reach(policy)
    sq = (v - exact) ** 2 * reach
    per_depth = [sq[mdp._offsets[t]:mdp._offsets[t + 1]].sum() for t in range(mdp.T)]
    return float(math.sqrt(sum(per_depth) / mdp.T))
