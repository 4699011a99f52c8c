"""A task that drifts between episodes: the ideal observer's exact forward filter (§4.5).

The article assumes one task ξ for the whole run. Here ξ moves. Before every episode after the
first, with probability ``eta`` the task is redrawn from the prior ``p`` (it may come out the same),
otherwise it stays:

    p(ξ_{n+1} = y | ξ_n = x) = (1 − η)·[y = x] + η·p(y).

The prior is the stationary distribution of this chain, so ``H(ξ_n) = H(ξ)`` for every ``n``. The
chain's **entropy rate** ``H(ξ_{n+1} | ξ_n)`` (:func:`drift_entropy_rate`) is the number of bits of
new uncertainty the drift creates per episode: an observer that wants to know the current task
exactly must receive that many bits per episode just to keep up.

:func:`drift_filter` computes the ideal observer's expected posterior entropy ``E[H(ξ_n | D_n)]``
exactly: it enumerates every reachable belief (identical beliefs merged), alternating the two steps
of a hidden-Markov filter,

* predict: ``p(ξ_{n+1} | D_n) = (1 − η)·p(ξ_n | D_n) + η·p``;
* update: Bayes' rule with the episode's signal, through
  :func:`~infobandwidth.signals.observer.condition` (the package's one update rule).

With ``eta = 0`` this is the stationary observer of
:func:`~infobandwidth.signals.observer.expected_posterior_entropy`.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infobandwidth.base.numerics import ZERO_BITS, entropy_bits, row_entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import check_enumerable, check_int, check_prior, rng_from_seed
from infobandwidth.model.mdp import Policy, check_policy, uniform_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import RewardFamily, check_family
from infobandwidth.signals.observer import MAX_SAMPLED_CELLS, condition
from infobandwidth.signals.signals import Signal, as_signal

__all__ = [
    "MAX_DRIFT_STATES",
    "check_drift",
    "drift_kernel",
    "drift_entropy_rate",
    "DriftCurve",
    "drift_filter",
    "filter_beliefs",
]

#: Largest number of beliefs the exact filter updates in one episode.
MAX_DRIFT_STATES = 200_000
#: Decimals at which two beliefs of the filter are the same state.
_MERGE_DECIMALS = 12


def check_drift(eta: Any) -> float:
    """A drift probability ``eta`` in ``[0, 1]`` (the chance that ξ is redrawn before an episode).

    Examples
    --------
    >>> check_drift(0.1)
    0.1
    >>> check_drift(1.5)
    Traceback (most recent call last):
        ...
    ValueError: eta must be a probability in [0, 1] (the chance that ξ is redrawn before an episode), got 1.5
    """
    if isinstance(eta, bool) or not isinstance(eta, numbers.Real) or not 0.0 <= float(eta) <= 1.0:
        raise ValueError(f"eta must be a probability in [0, 1] (the chance that ξ is redrawn before "
                         f"an episode), got {eta!r}")
    return float(eta)


def drift_kernel(prior: Any, eta: float) -> np.ndarray:
    """The transition matrix ``K[x, y] = p(ξ_{n+1} = y | ξ_n = x) = (1 − η)[y = x] + η p(y)``.

    Parameters
    ----------
    prior : array_like, shape (n,)
        The prior ``p(ξ)``, a distribution.
    eta : float
        Drift probability in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        Rows sum to one; ``prior @ K == prior``.

    Raises
    ------
    ValueError
        If ``prior`` is not a distribution or ``eta`` is not in ``[0, 1]``.

    Examples
    --------
    >>> drift_kernel([0.5, 0.5], 0.2).tolist()
    [[0.9, 0.1], [0.1, 0.9]]
    """
    eta = check_drift(eta)
    p = check_prior(prior, len(np.asarray(prior).reshape(-1)))
    return (1 - eta) * np.eye(len(p)) + eta * p[None, :]


def drift_entropy_rate(prior: Any, eta: float) -> float:
    """``H(ξ_{n+1} | ξ_n)`` in bits: the new uncertainty the drift creates per episode (§4.5).

    With ``ξ_n`` distributed as the prior (the chain's stationary law),
    ``H(ξ_{n+1} | ξ_n) = Σ_x p(x) H(K[x, ·])``. For a uniform prior over ``m`` tasks it is the
    entropy of ``(1 − η + η/m, η/m, …, η/m)``.

    Parameters
    ----------
    prior : array_like, shape (n,)
    eta : float
        Drift probability in ``[0, 1]``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As :func:`drift_kernel`.

    Examples
    --------
    A fair coin redrawn every episode (η = 1) is a fresh bit each time; no drift, no new bits:

    >>> drift_entropy_rate([0.5, 0.5], 1.0), drift_entropy_rate([0.5, 0.5], 0.0)
    (1.0, 0.0)
    >>> round(drift_entropy_rate([0.25] * 4, 0.2), 4)
    0.8476
    """
    K = drift_kernel(prior, eta)
    p = check_prior(prior, K.shape[0])
    return float(p @ row_entropy_bits(K))


@dataclass(frozen=True)
class DriftCurve:
    """The ideal observer of a drifting task, exactly (§4.5); returned by :func:`drift_filter`.

    Attributes
    ----------
    entropy : numpy.ndarray, shape (N+1,)
        ``E[H(ξ_n | D_n)]`` for ``n = 0 .. N`` (``n = 0``: the prior's entropy).
    predicted : numpy.ndarray, shape (N,)
        ``E[H(ξ_n | D_{n-1})]`` for ``n = 1 .. N``: the belief about episode ``n``'s task before
        it is played (after the drift step).
    entropy_stderr : numpy.ndarray, shape (N+1,)
        Standard errors of ``entropy`` (zeros when exact).
    eta : float
        The drift probability.
    rate : float
        The drift's entropy rate ``H(ξ_{n+1} | ξ_n)`` in bits.
    n_levels : int
        ``B``: the number of values the signal can take (``log2 B`` caps the new bits).
    method : str
        ``"exact"`` or ``"sample"``.
    n_runs, seed
        The sampled estimate's runs and seed (0 and None when exact).
    runs : numpy.ndarray or None, shape (N+1, n_runs)
        ``H(ξ_n | D_n)`` of every simulated filter (sampled only).

    Examples
    --------
    See :func:`drift_filter`.

    >>> c = DriftCurve(np.array([1.0, 0.0, 0.5]), np.array([1.0, 0.5]), np.zeros(3), 0.5, 1.0, 2,
    ...                "exact", 0, None)
    >>> c.new_bits.tolist(), c.floor
    ([1.0, 0.0], 0.5)
    """

    entropy: np.ndarray
    predicted: np.ndarray
    entropy_stderr: np.ndarray
    eta: float
    rate: float
    n_levels: int
    method: str
    n_runs: int
    seed: int | None
    runs: np.ndarray | None = field(default=None, repr=False)

    @property
    def N(self) -> int:
        """The number of episodes."""
        return len(self.entropy) - 1

    @property
    def new_bits(self) -> np.ndarray:
        """New bits about the current task of episode ``n = 1 .. N``:
        ``E[H(ξ_n | D_{n-1})] − E[H(ξ_n | D_n)] = I(S_n; ξ_n | τ_n, D_{n-1})``."""
        return _clean(self.predicted - self.entropy[1:])

    @property
    def floor(self) -> float:
        """``E[H(ξ_N | D_N)]``: the uncertainty the observer is left with after the last episode
        (the steady state, once the curve has settled)."""
        return float(self.entropy[-1])

    def steady(self, start: int) -> tuple[float, float]:
        """Mean of ``E[H(ξ_n | D_n)]`` over ``n = start .. N`` and its standard error.

        Sampled: each run's time average is one independent number, so the error is their standard
        deviation over ``sqrt(n_runs)``. Exact: the error is 0.

        Examples
        --------
        >>> c = DriftCurve(np.array([1.0, 0.5, 0.5]), np.array([1.0, 1.0]), np.zeros(3), 0.5, 1.0,
        ...                2, "exact", 0, None)
        >>> c.steady(1)
        (0.5, 0.0)
        """
        start = check_int(start, "start", 0, "the first episode of the steady state")
        if start > self.N:
            raise ValueError(f"start must be at most N = {self.N}, got {start}")
        if self.runs is None:
            return float(self.entropy[start:].mean()), 0.0
        per_run = self.runs[start:].mean(axis=0)
        return float(per_run.mean()), float(per_run.std(ddof=1) / np.sqrt(per_run.size))

    @property
    def log2_levels(self) -> float:
        """``log2 B``: no episode tells more."""
        return float(np.log2(self.n_levels))


def _clean(a: np.ndarray) -> np.ndarray:
    return np.where(np.abs(a) < ZERO_BITS, 0.0, a)


def drift_filter(family: RewardFamily, eta: float, episodes: int, *,
                 signal: Signal | str | None = None, policy: Any = None, method: str = "auto",
                 n_runs: int = 2000, seed: int | None = None) -> DriftCurve:
    """``E[H(ξ_n | D_n)]``, ``n = 0 .. episodes``, for the ideal observer of a drifting task (§4.5).

    ξ_1 is drawn from the family's prior; before every later episode it is redrawn from the prior
    with probability ``eta`` (see the module docstring). The learner plays ``policy`` and observes
    ``signal``; the observer knows ``eta`` and filters exactly.

    Parameters
    ----------
    family : RewardFamily
    eta : float
        Drift probability in ``[0, 1]``.
    episodes : int
        ``N`` (≥ 1).
    signal : Signal or str, optional
        What is observed (default: the return ``G``). Must be deterministic.
    policy : Policy or "posterior_sampling", optional
        A fixed behaviour policy (default: uniform), or ``"posterior_sampling"``: draw ξ' from the
        predicted belief and play π*_{ξ'}.
    method : {"auto", "exact", "sample"}
        ``"exact"`` enumerates every reachable belief: exact, but the number of beliefs grows
        exponentially with the episodes when the signal leaves doubt, so it suits a few episodes.
        ``"sample"`` runs ``n_runs`` exact filters on simulated tasks and episodes and averages
        them (standard errors in ``entropy_stderr``). ``"auto"`` tries exact, then samples.
    n_runs : int
        Filters simulated by ``"sample"``.
    seed : int, optional
        Seed of ``"sample"`` (required when it is used).

    Returns
    -------
    DriftCurve

    Raises
    ------
    ValueError
        A bad family, ``eta``, ``episodes`` or method, a noisy signal, an unknown policy name,
        ``"exact"`` with more than :data:`MAX_DRIFT_STATES` distinct beliefs, or sampling without
        a seed.

    Examples
    --------
    Two tasks, one binary token, exact match: any episode tells which task is in force. Without
    drift the first episode settles it; with η = 1/2 the observer must relearn after each redraw,
    but the episode always tells it the task in force, so it still ends every episode certain:

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> fam = exact_match(TokenMDP(2, 1))
    >>> drift_filter(fam, 0.0, 2).entropy.tolist()
    [1.0, 0.0, 0.0]
    >>> c = drift_filter(fam, 0.5, 3)
    >>> c.method, c.entropy.tolist(), c.predicted.round(4).tolist(), round(c.rate, 4)
    ('exact', [1.0, 0.0, 0.0, 0.0], [1.0, 0.8113, 0.8113], 0.8113)
    """
    check_family(family)
    eta = check_drift(eta)
    N = check_int(episodes, "episodes", 1, "use at least one episode")
    if method not in ("auto", "exact", "sample"):
        raise ValueError(f"unknown method {method!r}; valid: 'auto', 'exact', 'sample'")
    bound = as_signal(signal).bind(family)
    if bound.channel is not None:
        raise ValueError("drift_filter needs a deterministic signal (the observer updates by "
                         "restriction through condition); drop the noise or use a smaller family")
    setup = _Setup(family, bound, policy)
    if method in ("auto", "exact"):
        try:
            return _exact(setup, eta, N)
        except _TooLarge as exc:
            if method == "exact":
                raise ValueError(
                    f"the exact filter reached {exc.args[0]} distinct beliefs, above "
                    f"MAX_DRIFT_STATES = {MAX_DRIFT_STATES}; use method='sample' with a seed, "
                    "fewer episodes or a smaller family") from None
    if seed is None:
        raise ValueError("the sampled estimate needs seed=<int> (method='sample' or a large case)")
    runs = check_int(n_runs, "n_runs", 2, "use at least 2 runs")
    check_enumerable(runs * family.n_xi, MAX_SAMPLED_CELLS, "the (runs × ξ) array of beliefs",
                     "fewer runs (n_runs) or a smaller family")
    return _sampled(setup, eta, N, runs, seed)


class _TooLarge(Exception):
    pass


class _Setup:
    """The family, the bound signal and the behaviour rule, as arrays."""

    def __init__(self, family, bound, policy):
        self.family, self.bound = family, bound
        self.w = family.prior.copy()
        self.n_xi, self.K = family.n_xi, bound.K_obs
        if isinstance(policy, str):
            if policy != "posterior_sampling":
                raise ValueError(f"unknown policy {policy!r}; give a Policy or 'posterior_sampling'")
            opt = optimal_policies(family)
            self.cols = opt.class_trajectory
            self.member = (opt.classes[None, :] == np.arange(opt.n_classes)[:, None]).astype(float)
            self.p_tr = None
        else:
            pol = uniform_policy(family.mdp) if policy is None else check_policy(policy, family.mdp)
            if not isinstance(pol, Policy):
                raise ValueError(f"policy must be a Policy or 'posterior_sampling', got "
                                 f"{type(pol).__name__}")
            p_tr = pol.trajectory_probs()
            self.cols = np.flatnonzero(p_tr > 0)
            self.p_tr = p_tr[self.cols]
        self.codes = bound.codes(np.arange(self.n_xi), self.cols)          # (n_xi, m)

    def plays(self, P: np.ndarray) -> np.ndarray:
        """(states, m): the probability of each column given each belief."""
        if self.p_tr is None:                    # posterior sampling: the mass of each π* class
            return P @ self.member.T
        return np.broadcast_to(self.p_tr, (P.shape[0], len(self.cols)))


def _exact(su: _Setup, eta: float, N: int) -> DriftCurve:
    w, n_xi, K = su.w, su.n_xi, su.K
    onehot = (su.codes[:, :, None] == np.arange(K)[None, None, :]).astype(float)
    states, probs = w[None, :].copy(), np.ones(1)
    hx, pred = [entropy_bits(w)], []
    for n in range(N):
        P = states if n == 0 else (1 - eta) * states + eta * w[None, :]      # predict
        pred.append(float(probs @ row_entropy_bits(P)))
        mass = np.einsum("sx,xmk->smk", P, onehot)                            # p(k | τ, D)
        wgt = probs[:, None, None] * su.plays(P)[:, :, None] * mass
        s_idx, m_idx, k_idx = np.nonzero(wgt > 0)
        if len(s_idx) > MAX_DRIFT_STATES:
            raise _TooLarge(len(s_idx))
        new = np.empty((len(s_idx), n_xi))
        for row, (s, j, k) in enumerate(zip(s_idx, m_idx, k_idx)):          # update
            new[row] = condition(P[s], su.codes[:, j][:, None], np.array([k]))
        uniq, inv = np.unique(np.round(new, _MERGE_DECIMALS), axis=0, return_inverse=True)
        probs = np.bincount(inv.reshape(-1), weights=wgt[s_idx, m_idx, k_idx], minlength=len(uniq))
        states = uniq / uniq.sum(axis=1, keepdims=True)
        hx.append(float(probs @ row_entropy_bits(states)))
    z = np.zeros(N + 1)
    return DriftCurve(_clean(np.array(hx)), np.array(pred), z, eta, drift_entropy_rate(w, eta), K,
                      "exact", 0, None)


def _sampled(su: _Setup, eta: float, N: int, runs: int, seed: int) -> DriftCurve:
    rng = rng_from_seed(seed)
    w, n_xi = su.w, su.n_xi
    cw = np.cumsum(w)
    xi = np.minimum(np.searchsorted(cw, rng.random(runs), side="right"), n_xi - 1)
    P = np.tile(w, (runs, 1))
    H = np.zeros((N + 1, runs))
    H[0] = row_entropy_bits(P)
    pred = np.zeros(N)
    ar = np.arange(runs)
    for n in progress(range(N), total=N, desc="episodes"):
        if n:
            redraw = rng.random(runs) < eta                                   # the task drifts
            fresh = np.minimum(np.searchsorted(cw, rng.random(runs), side="right"), n_xi - 1)
            xi = np.where(redraw, fresh, xi)
            P = (1 - eta) * P + eta * w[None, :]                              # predict
        pred[n] = row_entropy_bits(P).mean()
        cum = np.cumsum(su.plays(P), axis=1)
        col = np.minimum((rng.random(runs)[:, None] >= cum).sum(axis=1), len(su.cols) - 1)
        D = su.codes[:, col].T                                                # (runs, n_xi)
        P = P * (D == D[ar, xi][:, None])                                     # update (restriction)
        P /= P.sum(axis=1, keepdims=True)
        H[n + 1] = row_entropy_bits(P)
    return DriftCurve(_clean(H.mean(axis=1)), pred, H.std(axis=1, ddof=1) / np.sqrt(runs), eta,
                      drift_entropy_rate(w, eta), su.K, "sample", runs, seed, H)


def filter_beliefs(family: RewardFamily, eta: float, trajectories: Any, observations: Any, *,
                   signal: Signal | str | None = None) -> np.ndarray:
    """The ideal observer's beliefs ``p(ξ_n | D_n)`` along one run of a drifting task (§4.5).

    Parameters
    ----------
    family : RewardFamily
    eta : float
        Drift probability in ``[0, 1]``.
    trajectories : array_like of int, shape (N,)
        Trajectory index of each episode.
    observations : array_like, shape (N,)
        The observed signal value of each episode (a return, for the default signal).
    signal : Signal or str, optional
        Deterministic; default the return.

    Returns
    -------
    numpy.ndarray, shape (N+1, n_xi)
        Row 0 is the prior; row ``n`` the belief after episode ``n``.

    Raises
    ------
    ValueError
        Bad arguments, or an observation impossible under the predicted belief.

    Examples
    --------
    Two tasks (a, b), one token. The learner plays ``a`` and sees 1, so the task is ``a``; with
    η = 0.5 the next belief is (3/4, 1/4) before the second episode, whose 0 says ``b``:

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> filter_beliefs(exact_match(TokenMDP(2, 1)), 0.5, [0, 0], [1.0, 0.0]).tolist()
    [[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]]
    """
    check_family(family)
    eta = check_drift(eta)
    bound = as_signal(signal).bind(family)
    if bound.channel is not None:
        raise ValueError("filter_beliefs needs a deterministic signal")
    tr = np.asarray(trajectories)
    obs = list(observations)
    if tr.ndim != 1 or (tr.size and tr.dtype.kind not in "iu") or len(obs) != len(tr):
        raise ValueError("trajectories must be a 1-D array of trajectory indices with one "
                         f"observation each; got shape {tr.shape} and {len(obs)} observations")
    if tr.size and (tr.min() < 0 or tr.max() >= family.mdp.n_trajectories):
        raise ValueError(f"trajectory indices must lie in 0..{family.mdp.n_trajectories - 1}")
    w = family.prior.copy()
    out = [w]
    P = w
    for n, (t, o) in enumerate(zip(tr.tolist(), obs)):
        if n:
            P = (1 - eta) * P + eta * w
        code = bound.encode(o)
        P = condition(P, bound.codes(np.arange(family.n_xi), np.array([t])), np.array([code]))
        out.append(P)
    return np.array(out)
