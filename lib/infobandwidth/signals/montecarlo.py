"""Monte Carlo estimates of the bandwidth quantities when enumeration is too large (§2.5).

Used in §2.5 and §3.1–3.2 for MDPs whose (ξ, τ) table exceeds
:data:`~infobandwidth.model.rewards.MAX_PAIRS`.

The estimator samples trajectories ``τ_1..τ_n`` from the behaviour policy and, for each one,
sums *exactly* over ξ (a Rao–Blackwellised estimator: ξ is not sampled, which removes its
variance). Per sample it gets the exact distributions ``p(s | τ_i)``, ``p(s | π*, τ_i)`` and
``p(s | ξ, τ_i)``; then

* ``H(S | τ)``, ``I(S; ξ | τ)``, ``I(S; π* | τ)`` are sample means of exact per-τ values
  (unbiased);
* ``H(S)``, ``I(S; ξ)``, ``I(S; π*)`` plug in ``p(s) ≈ mean_i p(s | τ_i)`` (and the same for
  ``p(ξ, s)``, ``p(π*, s)``): consistent, with a bias of order ``1/n``.

Standard errors come from a delete-one-group jackknife over ``groups`` equal groups of samples.
The cost is ``n · |Ξ|`` signal evaluations, so ``|Ξ|`` must be enumerable and π* computable
(closed form for the built-in families without an end token).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from infobandwidth.base.numerics import entropy_bits, row_entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import check_int, rng_from_seed
from infobandwidth.model.mdp import Estimate, Policy, check_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import RewardFamily
from infobandwidth.signals.bandwidth import _setup
from infobandwidth.signals.signals import Signal, as_signal

__all__ = [
    "McBandwidth",
    "signal_bandwidth_mc",
]

_BINS = 1 << 22  # per-batch histogram cells
_PAIRS = 1 << 21  # (ξ, sample) pairs per batch
_MAX_ACCUMULATOR = 50_000_000  # numbers in the per-group accumulators


@dataclass(frozen=True)
class McBandwidth:
    """Monte Carlo bandwidth estimates (§2.5), each an :class:`~infobandwidth.model.mdp.Estimate` in bits.

    Parameters
    ----------
    signal : str
        The signal's name.
    n : int
        Number of sampled trajectories.
    H_S, I_S_pi, H_S_given_pi, I_S_xi : Estimate
        Plug-in estimates (bias of order ``1/n``).
    H_S_given_tau, I_S_xi_given_tau, I_S_pi_given_tau : Estimate
        Unbiased sample means of exact per-τ values.

    Examples
    --------
    See :func:`signal_bandwidth_mc`.

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> round(signal_bandwidth_mc(exact_match(TokenMDP(2, 1)), n=40, seed=0).H_S.value, 6)
    1.0
    """

    signal: str
    n: int
    H_S: Estimate
    I_S_pi: Estimate
    H_S_given_pi: Estimate
    I_S_xi: Estimate
    H_S_given_tau: Estimate
    I_S_xi_given_tau: Estimate
    I_S_pi_given_tau: Estimate

    def as_dict(self) -> dict[str, Any]:
        """Fields as a dict of plain values; estimates become ``{value, stderr, n}`` dicts."""
        return asdict(self)


def signal_bandwidth_mc(
    family: RewardFamily,
    signal: Signal | str | None = None,
    policy: Policy | None = None,
    *,
    n: int = 2000,
    seed: int,
    prior: Any = None,
    groups: int = 20,
) -> McBandwidth:
    """Estimate the numbers of :func:`~infobandwidth.signals.bandwidth.signal_bandwidth` by sampling τ (§2.5).

    Parameters
    ----------
    family, signal, policy, prior
        As for :func:`~infobandwidth.signals.bandwidth.signal_bandwidth`.
    n : int
        Number of sampled trajectories (a multiple of ``groups`` is used: ``n // groups * groups``).
    seed : int
        Seed of the sampler.
    groups : int
        Number of jackknife groups (>= 2).

    Returns
    -------
    McBandwidth

    Raises
    ------
    ValueError
        Bad ``n``, ``seed`` or ``groups``, or the arguments :func:`signal_bandwidth` rejects.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> est = signal_bandwidth_mc(exact_match(TokenMDP(2, 2)), n=400, seed=0)
    >>> round(est.I_S_xi_given_tau.value, 4)        # exact: h(1/4) = 0.8113 for every τ
    0.8113
    """
    G = check_int(groups, "groups", 2, "the jackknife needs at least 2 groups")
    n = check_int(n, "n", G, f"use at least groups = {G} samples")
    n = n // G * G
    rng = rng_from_seed(seed)
    bound, _, w = _setup(family, signal, policy, prior)
    pol = check_policy(policy, family.mdp)  # validated by _setup; None → uniform
    opt = optimal_policies(family)
    rows = np.flatnonzero(w > 0)
    ws = w[rows] / w[rows].sum()
    _, cls = np.unique(opt.classes[rows], return_inverse=True)
    cls = cls.astype(np.int64)
    n_c = int(cls.max()) + 1
    pc = np.bincount(cls, weights=ws, minlength=n_c)
    K = bound.K_det
    C = bound.channel
    if K > 4096:
        raise ValueError(
            f"the signal takes up to {K} values; the Monte Carlo estimator histograms them per "
            "sample, use a coarser signal (e.g. a quantised return)"
        )
    cells = G * (len(rows) + n_c) * K
    if cells > _MAX_ACCUMULATOR:
        raise ValueError(
            f"the Monte Carlo accumulators p(ξ, S) and p(π*, S) per group would hold {cells} "
            f"numbers, above {_MAX_ACCUMULATOR}; use fewer groups, a coarser signal, or a prior "
            "with smaller support"
        )
    rowH = None if C is None else row_entropy_bits(C)

    def obs(q):
        return q if C is None else q @ C

    tr_all = pol._sample(n, rng)
    per = n // G
    # per-group accumulators
    acc_s = np.zeros((G, K))  # Σ_i p(d | τ_i)
    acc_xd = np.zeros((G, len(rows), K))  # Σ_i p(ξ, d | τ_i)
    acc_cd = np.zeros((G, n_c, K))  # Σ_i p(π*, d | τ_i)
    lin = np.zeros((G, 3))  # Σ_i H(S|τ_i), H(S|ξ,τ_i), H(S|π*,τ_i)
    n_x = len(rows)
    b = max(1, min(_PAIRS // n_x, _BINS // max(n_c * K, 1), per))
    H_pc = entropy_bits(pc)
    for g in progress(range(G), total=G, desc="Monte Carlo groups"):
        for a in range(0, per, b):
            tr = tr_all[g * per + a : g * per + min(per, a + b)]
            k = len(tr)
            utr, inv = np.unique(tr, return_inverse=True)
            D = bound.codes(rows, utr)[:, inv]  # (n_x, k)
            # p(ξ, d | τ_i) rows: w_ξ [D = d]
            keys = D + (np.arange(n_x, dtype=np.int64) * K)[:, None]
            acc_xd[g] += np.bincount(keys.ravel(), weights=np.repeat(ws, k), minlength=n_x * K).reshape(n_x, K)
            # p(π*, d | τ_i) per sample
            keys = D + ((np.arange(k, dtype=np.int64)[None, :] * n_c + cls[:, None]) * K)
            q = np.bincount(keys.ravel(), weights=np.repeat(ws, k), minlength=k * n_c * K).reshape(k, n_c, K)
            acc_cd[g] += q.sum(axis=0)
            qs = q.sum(axis=1)  # p(d | τ_i), (k, K)
            acc_s[g] += qs.sum(axis=0)
            h_tau = row_entropy_bits(obs(qs))
            h_pi_tau = row_entropy_bits(obs(q).reshape(k, -1)) - H_pc
            h_xi_tau = np.zeros(k) if C is None else ws @ rowH[D]
            lin[g] += [h_tau.sum(), h_xi_tau.sum(), h_pi_tau.sum()]

    H_w = entropy_bits(ws)

    def estimates(sel: np.ndarray) -> np.ndarray:
        m = per * sel.sum()
        ps = obs(acc_s[sel].sum(axis=0) / m)
        pxs = obs(acc_xd[sel].sum(axis=0) / m)
        pcs = obs(acc_cd[sel].sum(axis=0) / m)
        h_s = entropy_bits(ps)
        h_s_xi = entropy_bits(pxs) - H_w
        h_s_pi = entropy_bits(pcs) - H_pc
        h_tau, h_xi_tau, h_pi_tau = lin[sel].sum(axis=0) / m
        return np.array([h_s, h_s - h_s_pi, h_s_pi, h_s - h_s_xi, h_tau,
                         h_tau - h_xi_tau, h_tau - h_pi_tau])

    full = estimates(np.ones(G, dtype=bool))
    loo = np.array([estimates(np.arange(G) != g) for g in range(G)])
    se = np.sqrt((G - 1) / G * ((loo - loo.mean(axis=0)) ** 2).sum(axis=0))
    est = [Estimate(float(v) + 0.0, float(s), n) for v, s in zip(full, se)]  # + 0.0: no -0.0
    return McBandwidth(as_signal(signal).name, n, *est)
