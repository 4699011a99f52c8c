"""Exploration: information-directed sampling against uniform and posterior sampling (§4.5).

The article measures what a signal tells when the learner plays a policy that does not seek
information. A learner can also *choose* its episodes for what they will tell.
**Information-directed sampling** (IDS; Russo & Van Roy 2014) does so explicitly. For every
trajectory ``τ`` (an action) and the current belief ``p(ξ | D)`` it weighs

* the expected regret ``Δ(τ) = E[R_ξ(π*_ξ) − R_ξ(τ) | D]``, against
* the information gain ``g(τ) = I(G_τ; π* | D)``, the bits the return of ``τ`` is expected to
  tell about the optimal policy,

and plays the distribution ``q`` over trajectories that minimises the **information ratio**
``Ψ(q) = (Σ q Δ)² / (Σ q g)``. A minimiser with at most two trajectories always exists (Russo &
Van Roy, Proposition 6), so :func:`ids_distribution` searches every pair with the closed form of
the best mixing weight (:func:`best_mix`).

:func:`exploration_curve` runs the ideal Bayesian learner with one of three rules — ``"uniform"``
(every trajectory equally likely), ``"posterior_sampling"`` (Thompson sampling: draw ξ' from the
belief, play π*_{ξ'}) and ``"ids"`` — and computes exactly, by enumerating every reachable belief,
the expected entropy ``E[H(π* | D_n)]``, the expected regret of every episode and the probability
that π* is identified after ``n`` episodes. The signal is the return ``G``; beliefs update through
:func:`~infobandwidth.signals.observer.condition`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infobandwidth.base.numerics import ZERO_BITS, entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import check_choice, check_int, check_prior
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import RewardFamily, check_family
from infobandwidth.signals.observer import condition
from infobandwidth.signals.signals import as_signal

__all__ = [
    "EXPLORATION_RULES",
    "MAX_EXPLORATION_STATES",
    "regret_and_gain",
    "best_mix",
    "ids_distribution",
    "action_distribution",
    "ExplorationCurve",
    "exploration_curve",
]

#: The behaviour rules :func:`exploration_curve` knows.
EXPLORATION_RULES = ("uniform", "posterior_sampling", "ids")
#: Largest number of distinct beliefs the exact recursion keeps.
MAX_EXPLORATION_STATES = 100_000
_MERGE_DECIMALS = 12


def _tables(family: RewardFamily):
    if "exploration" not in family._cache:
        opt = optimal_policies(family)
        R = family.sparse_table()                                    # (n_xi, n_tr)
        codes = as_signal("return").bind(family).codes(np.arange(family.n_xi),
                                                      np.arange(family.mdp.n_trajectories))
        best = R[np.arange(family.n_xi), opt.trajectory]             # R_ξ(π*_ξ)
        family._cache["exploration"] = (opt, R, codes, best)
    return family._cache["exploration"]


def regret_and_gain(family: RewardFamily, weights: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """``Δ(τ)`` and ``g(τ) = I(G_τ; π*)`` for every trajectory, under the belief ``weights``.

    Parameters
    ----------
    family : RewardFamily
    weights : array_like, shape (n_xi,), optional
        The belief ``p(ξ | D)`` (default: the prior).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray), each of shape (V**T,)
        Expected regret and information gain in bits of each trajectory.

    Raises
    ------
    ValueError
        A bad family or belief.

    Examples
    --------
    A hidden string of 2 binary tokens: every string has regret 3/4 and tells ``H_b(1/4)`` bits.

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> d, g = regret_and_gain(exact_match(TokenMDP(2, 2)))
    >>> d.tolist(), g.round(4).tolist()
    ([0.75, 0.75, 0.75, 0.75], [0.8113, 0.8113, 0.8113, 0.8113])
    """
    check_family(family)
    w = family.prior if weights is None else check_prior(weights, family.n_xi)
    opt, R, codes, best = _tables(family)
    delta = w @ (best[:, None] - R)
    K = int(codes.max()) + 1
    gain = np.empty(R.shape[1])
    pc = np.bincount(opt.classes, weights=w, minlength=opt.n_classes)
    h_pi = entropy_bits(pc)
    for t in range(R.shape[1]):
        g_k = np.bincount(codes[:, t], weights=w, minlength=K)
        joint = np.bincount(opt.classes * K + codes[:, t], weights=w, minlength=opt.n_classes * K)
        gain[t] = entropy_bits(g_k) + h_pi - entropy_bits(joint)
    return np.where(np.abs(delta) < ZERO_BITS, 0.0, delta), np.where(gain < ZERO_BITS, 0.0, gain)


def best_mix(d1: float, g1: float, d2: float, g2: float) -> tuple[float, float]:
    """The weight ``q`` on action 1 that minimises ``(q d1 + (1−q) d2)² / (q g1 + (1−q) g2)``.

    Setting the derivative to zero gives ``q = (d2 (g1 − g2) − 2 (d1 − d2) g2) / ((d1 − d2)(g1 − g2))``;
    the ratio is convex in ``q`` (a square over a positive linear function), so its minimiser over
    ``[0, 1]`` is that value clipped to the interval, or an endpoint; comparing the three suffices.

    Parameters
    ----------
    d1, g1, d2, g2 : float
        Regrets (≥ 0) and information gains (≥ 0, not both zero) of the two actions.

    Returns
    -------
    (float, float)
        ``q`` and the ratio it attains.

    Raises
    ------
    ValueError
        Negative or non-finite inputs, or no information in either action.

    Examples
    --------
    A costly but revealing action (Δ = 1, g = 3 bits) against a cheap, nearly silent one:

    >>> q, ratio = best_mix(1.0, 3.0, 0.2, 0.1)
    >>> round(q, 4), round(ratio, 4)
    (0.181, 0.1902)
    """
    vals = np.array([d1, g1, d2, g2], dtype=float)
    if not np.isfinite(vals).all() or (vals < 0).any():
        raise ValueError(f"regrets and gains must be finite and ≥ 0, got {vals.tolist()}")
    if g1 <= 0 and g2 <= 0:
        raise ValueError("neither action is informative (g1 = g2 = 0): the ratio is undefined")

    def ratio(q):
        g = q * g1 + (1 - q) * g2
        return np.inf if g <= 0 else (q * d1 + (1 - q) * d2) ** 2 / g

    cands = [0.0, 1.0]
    a, b = d1 - d2, g1 - g2
    if a != 0 and b != 0:
        cands.append(float(np.clip((d2 * b - 2 * a * g2) / (a * b), 0.0, 1.0)))
    q = min(cands, key=ratio)
    return q, float(ratio(q))


def ids_distribution(family: RewardFamily, weights: Any = None) -> np.ndarray:
    """The IDS distribution over trajectories under the belief ``weights`` (Russo & Van Roy 2014).

    If some trajectory has zero expected regret (π* is known, or every candidate agrees on it), IDS
    plays it: the ratio is 0. Otherwise the pair of trajectories and the weight that minimise the
    information ratio (:func:`best_mix`); ties go to the pair with the smallest indices.

    Parameters
    ----------
    family : RewardFamily
    weights : array_like, optional
        The belief (default: the prior).

    Returns
    -------
    numpy.ndarray, shape (V**T,)
        A distribution with at most two non-zero entries.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> ids_distribution(exact_match(TokenMDP(2, 2)), [0, 0, 1, 0]).tolist()   # known: play it
    [0.0, 0.0, 1.0, 0.0]
    """
    delta, gain = regret_and_gain(family, weights)
    out = np.zeros(len(delta))
    zero = np.flatnonzero(delta <= ZERO_BITS)
    if zero.size:
        out[zero[0]] = 1.0
        return out
    informative = np.flatnonzero(gain > ZERO_BITS)
    if not informative.size:                    # nothing to learn: play the least regret
        out[int(np.argmin(delta))] = 1.0
        return out
    best = (np.inf, 0, 0, 1.0)
    for i in informative:
        for j in range(len(delta)):
            if j == i:
                continue
            q, r = best_mix(delta[i], gain[i], delta[j], gain[j])
            if r < best[0] - 1e-12:
                best = (r, i, j, q)
    _, i, j, q = best
    out[i] += q
    out[j] += 1 - q
    return out


def action_distribution(family: RewardFamily, rule: str, weights: Any = None) -> np.ndarray:
    """The distribution over trajectories that ``rule`` plays under the belief ``weights``.

    Parameters
    ----------
    family : RewardFamily
    rule : {"uniform", "posterior_sampling", "ids"}
    weights : array_like, optional
        The belief (default: the prior).

    Returns
    -------
    numpy.ndarray, shape (V**T,)

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> action_distribution(exact_match(TokenMDP(2, 1)), "posterior_sampling", [0.3, 0.7]).tolist()
    [0.3, 0.7]
    """
    check_family(family)
    check_choice(rule, "rule", EXPLORATION_RULES)
    w = family.prior if weights is None else check_prior(weights, family.n_xi)
    n_tr = family.mdp.n_trajectories
    if rule == "uniform":
        return np.full(n_tr, 1.0 / n_tr)
    if rule == "ids":
        return ids_distribution(family, w)
    opt = _tables(family)[0]
    return np.bincount(opt.trajectory, weights=w, minlength=n_tr)


@dataclass(frozen=True)
class ExplorationCurve:
    """The ideal learner under one exploration rule, exactly (§4.5); from :func:`exploration_curve`.

    Attributes
    ----------
    rule : str
    entropy_pi_star : numpy.ndarray, shape (N+1,)
        ``E[H(π* | D_n)]``, ``n = 0 .. N``.
    regret : numpy.ndarray, shape (N,)
        Expected regret ``E[Δ(τ_n)]`` of episode ``n = 1 .. N``.
    identified : numpy.ndarray, shape (N+1,)
        ``P(H(π* | D_n) = 0)``: the chance that π* is known after ``n`` episodes.

    Examples
    --------
    >>> c = ExplorationCurve("x", np.array([1.0, 0.0]), np.array([0.5]), np.array([0.0, 1.0]))
    >>> c.new_bits.tolist(), c.episodes_to_identify, c.total_regret
    ([1.0], 1.0, 0.5)
    """

    rule: str
    entropy_pi_star: np.ndarray
    regret: np.ndarray
    identified: np.ndarray

    @property
    def N(self) -> int:
        """The number of episodes."""
        return len(self.regret)

    @property
    def new_bits(self) -> np.ndarray:
        """Expected new bits about π* of episode ``n = 1 .. N``."""
        d = -np.diff(self.entropy_pi_star)
        return np.where(np.abs(d) < 1e-12, 0.0, d)

    @property
    def episodes_to_identify(self) -> float:
        """``E[first n with H(π* | D_n) = 0] = Σ_n P(not identified after n)``.

        Raises
        ------
        ValueError
            If π* may still be unknown after the last episode (more than 1e-9 of the mass).
        """
        left = 1.0 - self.identified
        if left[-1] > 1e-9:
            raise ValueError(f"π* is still unknown with probability {left[-1]:.3g} after {self.N} "
                             "episodes; run more episodes")
        return float(left.sum())

    @property
    def total_regret(self) -> float:
        """Expected regret summed over the episodes."""
        return float(self.regret.sum())


def exploration_curve(family: RewardFamily, rule: str, episodes: int) -> ExplorationCurve:
    """The ideal learner playing ``rule`` for ``episodes`` episodes, exactly (§4.5).

    ξ is drawn from the family's prior; each episode the learner plays
    :func:`action_distribution` of its belief, sees the return and updates by Bayes' rule.

    Parameters
    ----------
    family : RewardFamily
    rule : {"uniform", "posterior_sampling", "ids"}
    episodes : int
        ``N`` (≥ 1).

    Returns
    -------
    ExplorationCurve

    Raises
    ------
    ValueError
        A bad family, rule or number of episodes, or more than :data:`MAX_EXPLORATION_STATES`
        beliefs.

    Examples
    --------
    On a hidden string of 2 binary tokens every string is equally informative, and IDS plays like
    posterior sampling (it never tries a string it has ruled out):

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> [exploration_curve(fam, r, 4).episodes_to_identify for r in ("posterior_sampling", "ids")]
    [2.25, 2.25]
    """
    check_family(family)
    check_choice(rule, "rule", EXPLORATION_RULES)
    N = check_int(episodes, "episodes", 1, "use at least one episode")
    opt, R, codes, best = _tables(family)
    K = int(codes.max()) + 1
    # The beliefs form a Markov chain: each belief's successors are computed once (memoised).
    beliefs: list[np.ndarray] = []
    index: dict[bytes, int] = {}
    succ: list[tuple[np.ndarray, np.ndarray, float]] = []    # (next states, their mass, regret)

    def state(P: np.ndarray) -> int:
        key = np.round(P, _MERGE_DECIMALS).tobytes()
        if key not in index:
            if len(beliefs) >= MAX_EXPLORATION_STATES:
                raise ValueError(f"more than MAX_EXPLORATION_STATES = {MAX_EXPLORATION_STATES} "
                                 "beliefs; use a smaller family")
            index[key] = len(beliefs)
            beliefs.append(P)
        return index[key]

    def expand(i: int) -> None:
        P = beliefs[i]
        play = action_distribution(family, rule, P)
        nxt, mass = [], []
        for t in np.flatnonzero(play > 0):
            pk = np.bincount(codes[:, t], weights=P, minlength=K)
            for k in np.flatnonzero(pk > 0):
                nxt.append(state(condition(P, codes[:, t][:, None], np.array([k]))))
                mass.append(play[t] * pk[k])
        succ.append((np.array(nxt), np.array(mass), float(play @ (P @ (best[:, None] - R)))))

    def h_pi(P):
        return entropy_bits(np.bincount(opt.classes, weights=P, minlength=opt.n_classes))

    dist = {state(family.prior.copy()): 1.0}
    H, reg, ident = [], [], []
    hs: list[float] = []
    for n in progress(range(N + 1), total=N + 1, desc="episodes"):
        while len(hs) < len(beliefs):
            hs.append(h_pi(beliefs[len(hs)]))
        H.append(sum(p * hs[i] for i, p in dist.items()))
        ident.append(sum(p for i, p in dist.items() if hs[i] <= ZERO_BITS))
        if n == N:
            break
        new: dict[int, float] = {}
        r = 0.0
        for i, p in dist.items():
            while len(succ) <= i:
                expand(len(succ))
            nxt, mass, d = succ[i]
            r += p * d
            for j, q in zip(nxt.tolist(), mass.tolist()):
                new[j] = new.get(j, 0.0) + p * q
        dist = new
        reg.append(r)
    return ExplorationCurve(rule, np.array(H), np.array(reg), np.array(ident))
