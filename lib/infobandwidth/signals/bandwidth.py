"""Potential and effective bandwidth of a learning signal, computed exactly by enumeration (§2.5).

Used in §2.5 (measuring information in RL), §3.1 (the sparse return of REINFORCE) and §3.2 (the
dense rewards of actor-critic).

The joint distribution
----------------------
Under a behaviour policy π (which does not depend on ξ) the joint of the task, the trajectory
and the signal is

    p(ξ, π*, τ, S) = p(ξ) · p_π(τ) · p(S | τ, ξ) · [π* = π*_ξ],

with ``p(S | τ, ξ)`` a 0/1 table for a deterministic signal ``S = f(τ, ξ)`` or a channel row
``C[f(τ, ξ), ·]`` for a noisy one. ``p(ξ)`` may be a learner's current posterior instead of the
prior (argument ``prior``): then the numbers measure what the *next* episode adds.

The quantities
--------------
``H(S)``                 potential bandwidth: what the signal could carry.
``I(S; π*)``             effective bandwidth: what it says about the optimal policy.
``H(S | π*)``            the gap, ``H(S) - I(S; π*)``: noise and task-irrelevant variation.
``I(S; ξ)``              what it says about the reward parameter, ``>= I(S; π*)`` (DPI, §2.4).
``I(S; ξ | τ)``          the new information about ξ an episode adds for a learner who sees τ.
``I(S; π* | τ)``         the same about π*, ``<= I(S; ξ | τ)``.

A learner always sees the trajectory it generated, so the last two are what an episode
teaches; they can exceed the unconditional ones (a reward that is 1 iff the first token equals
a hidden bit has ``I(S; ξ) = 0`` under a uniform policy but ``I(S; ξ | τ) = 1`` bit).

How it is computed
------------------
Every quantity is ``H(S | G) = H(G, S) - H(G)`` for a grouping ``G`` (nothing, ξ, π*, τ, (π*, τ)).
The joint of (ξ, τ) is the outer product ``p(ξ) p(τ)``, so ``H(G)`` is known in closed form and
``H(G, S)`` is one ``np.bincount`` of integer keys per block of rows: rows (ξ) are sorted by
their π* class and processed in blocks of about 2·10^6 pairs; only ξ with ``p(ξ) > 0`` and τ with
``p(τ) > 0`` are enumerated. When ξ ↦ π* is one-to-one on the support, the (π*, τ) table is the
(ξ, τ) one and is skipped. Above :data:`~infobandwidth.model.rewards.MAX_PAIRS` (ξ, τ) pairs the
functions refuse and point to :func:`infobandwidth.signals.montecarlo.signal_bandwidth_mc`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from infobandwidth.base.numerics import SLACK_BITS, clean_bits, entropy_bits
from infobandwidth.base.validate import check_enumerable, check_prior
from infobandwidth.model.mdp import Policy, check_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import MAX_PAIRS, RewardFamily, check_family
from infobandwidth.signals.signals import Signal, as_signal

__all__ = [
    "Bandwidth",
    "signal_bandwidth",
    "signal_joint",
    "MAX_JOINT_ENTRIES",
]

#: Largest dense table p(ξ, π*, τ, S) that :func:`signal_joint` builds.
MAX_JOINT_ENTRIES = 5_000_000

#: Block sizes of the exact engine: at most _CHUNK (ξ, τ) pairs and _BIN_LIMIT histogram cells
#: per block of rows, so the temporaries of one block stay around 16–64 MB at any problem size.
_BIN_LIMIT = 1 << 23
_CHUNK = 1 << 21

_ALTERNATIVE = (
    "the Monte Carlo estimator infobandwidth.signals.montecarlo.signal_bandwidth_mc(family, signal, policy, "
    "n=..., seed=...), a smaller MDP/family, or a prior/policy with smaller support"
)


@dataclass(frozen=True)
class Bandwidth:
    """Every bandwidth number of one signal under one behaviour policy and prior (§2.5), in bits.

    Attributes
    ----------
    signal : str
        The signal's name.
    n_values : int
        Number of values the observed signal can take (``log2`` of it bounds ``H(S)``).
    n_pairs : int
        Number of (ξ, τ) pairs enumerated.
    H_S, H_S_given_pi, I_S_pi : float
        Potential bandwidth, the gap, effective bandwidth (``H_S - H_S_given_pi``).
    H_S_given_xi, I_S_xi : float
    H_S_given_tau, H_S_given_xi_tau, H_S_given_pi_tau : float
    I_S_xi_given_tau, I_S_pi_given_tau : float
        New information an episode adds about ξ and about π*.
    I_S_tau : float
        ``I(S; τ)``: how much the signal depends on which trajectory was generated.
    H_xi, H_pi : float
        ``H(ξ)`` and ``H(π*)`` under the (prior or posterior) weights used.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> b = signal_bandwidth(exact_match(TokenMDP(2, 1)))
    >>> b.potential, b.effective, b.gap, b.bars()["I(S;ξ|τ)"]
    (1.0, 0.0, 1.0, 1.0)
    """

    signal: str
    n_values: int
    n_pairs: int
    H_S: float
    H_S_given_pi: float
    I_S_pi: float
    H_S_given_xi: float
    I_S_xi: float
    H_S_given_tau: float
    H_S_given_xi_tau: float
    H_S_given_pi_tau: float
    I_S_xi_given_tau: float
    I_S_pi_given_tau: float
    I_S_tau: float
    H_xi: float
    H_pi: float

    @property
    def potential(self) -> float:
        """``H(S)``."""
        return self.H_S

    @property
    def effective(self) -> float:
        """``I(S; π*)``."""
        return self.I_S_pi

    @property
    def gap(self) -> float:
        """``H(S | π*) = H(S) - I(S; π*)``."""
        return self.H_S_given_pi

    def as_dict(self) -> dict[str, Any]:
        """All fields as a plain dict."""
        return asdict(self)

    def bars(self) -> dict[str, float]:
        """The numbers a chapter shows as bars, keyed by their formula."""
        return {
            "log2 |S|": float(np.log2(self.n_values)),
            "H(S)": self.H_S,
            "I(S;ξ)": self.I_S_xi,
            "I(S;π*)": self.I_S_pi,
            "H(S|π*)": self.H_S_given_pi,
            "I(S;ξ|τ)": self.I_S_xi_given_tau,
            "I(S;π*|τ)": self.I_S_pi_given_tau,
        }


def _setup(family: RewardFamily, signal: Any, policy: Policy | None, prior: Any):
    bound = as_signal(signal).bind(check_family(family))
    policy = check_policy(policy, family.mdp)
    w = family.prior if prior is None else check_prior(prior, family.n_xi)
    return bound, policy.trajectory_probs(), w


def signal_bandwidth(
    family: RewardFamily,
    signal: Signal | str | None = None,
    policy: Policy | None = None,
    *,
    prior: Any = None,
) -> Bandwidth:
    """Exact potential/effective bandwidth and per-episode information of a signal (§2.5).

    Parameters
    ----------
    family : RewardFamily
        The reward functions and (default) prior.
    signal : Signal or str, optional
        The learning signal (default: the sparse return ``G``); see
        :func:`infobandwidth.signals.signals.make_signal`.
    policy : Policy, optional
        The behaviour policy generating τ (default: uniform).
    prior : array_like, optional
        Weights over ξ replacing the family's prior, e.g. a learner's posterior.

    Returns
    -------
    Bandwidth
        ``H(S)``, ``I(S;π*)``, ``H(S|π*)``, ``I(S;ξ)``, ``I(S;ξ|τ)``, ``I(S;π*|τ)`` and more, in
        bits; rounding residue below :data:`~infobandwidth.base.numerics.ZERO_BITS` is reported as 0.

    Raises
    ------
    ValueError
        If more than :data:`~infobandwidth.model.rewards.MAX_PAIRS` (ξ, τ) pairs have positive
        probability (the message gives the size and points to the Monte Carlo estimator), or on
        invalid arguments.

    Examples
    --------
    Exact match with 4 hidden strings and a uniform policy: the return is 1 w.p. 1/4 whatever
    the target, so it says nothing about it on its own, but everything a learner needs once
    the episode is known: ``I(G; ξ | τ) = h(1/4)``.

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> b = signal_bandwidth(exact_match(TokenMDP(2, 2)))
    >>> round(b.H_S, 4), round(b.I_S_pi, 4), round(b.I_S_xi_given_tau, 4)
    (0.8113, 0.0, 0.8113)
    """
    bound, p_tau, w = _setup(family, signal, policy, prior)
    sup = _support(family, w, p_tau)
    code = _code_space(bound, sup)
    tally = _Tally(sup, code)
    for a, b in _blocks(sup.n_rows, sup.m, code.K):
        tally.add_block(a, b)
    return _assemble(signal, bound, sup, code, tally.finish())


# ---------------------------------------------------------------------------- signal_bandwidth's steps
#: Up to this many signal values, p(τ, d) is summed with one einsum per value (a few fast dense
#: passes); above it one bincount over (τ, d) keys is cheaper.
_EINSUM_MAX_VALUES = 8
#: Up to this many signal values, p(π*, d) is summed with one bincount per value column; above it
#: one np.add.at over the rows (slower per element, but one call instead of K).
_COLUMN_MAX_VALUES = 64


@dataclass
class _Support:
    """The (ξ, τ) pairs with positive probability, rows ordered for the block engine.

    Rows (ξ) whose π* is theirs alone come first, then the others grouped by π* class, and the
    classes are renumbered in that order, so every block of rows holds a contiguous range of
    classes. ``ws`` and ``ps`` are the renormalised weights of the rows and columns (τ).
    """

    rows: np.ndarray
    cols: np.ndarray
    cls: np.ndarray
    multi: np.ndarray
    ws: np.ndarray
    ps: np.ndarray
    pc: np.ndarray
    n_pairs: int

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def m(self) -> int:
        return len(self.cols)

    @property
    def n_c(self) -> int:
        return len(self.pc)


def _support(family: RewardFamily, w: np.ndarray, p_tau: np.ndarray) -> _Support:
    opt = optimal_policies(family)
    rows = np.flatnonzero(w > 0)
    cols = np.flatnonzero(p_tau > 0)
    n_pairs = len(rows) * len(cols)
    check_enumerable(n_pairs, MAX_PAIRS, "the set of (ξ, τ) pairs with positive probability",
                     _ALTERNATIVE)
    _, cls, sizes = np.unique(opt.classes[rows], return_inverse=True, return_counts=True)
    multi = sizes[cls] > 1
    order = np.lexsort((cls, multi))  # ξ with a π* of their own first, then grouped by π*
    rows, cls, multi = rows[order], cls[order], multi[order]
    # renumber the classes in this order, so that every block of rows holds a contiguous range
    cls = (np.cumsum(np.r_[True, cls[1:] != cls[:-1]]) - 1).astype(np.int64)
    ws = w[rows]
    ws = ws / ws.sum()
    ps = p_tau[cols] / p_tau[cols].sum()
    pc = np.bincount(cls, weights=ws, minlength=int(cls[-1]) + 1)
    return _Support(rows, cols, cls, multi, ws, ps, pc, n_pairs)


@dataclass
class _CodeSpace:
    """The signal's deterministic codes ``d`` (``K`` of them, renumbered densely when the raw code
    space is too large to histogram) and the channel ``C = p(s | d)`` (``None``: ``s = d``)."""

    bound: Any
    rows: np.ndarray
    cols: np.ndarray
    K: int
    remap: np.ndarray | None
    C: np.ndarray | None

    def codes(self, a: int, b: int) -> np.ndarray:
        c = self.bound.codes(self.rows[a:b], self.cols)
        return np.searchsorted(self.remap, c) if self.remap is not None else c

    def obs(self, q: np.ndarray) -> np.ndarray:
        """``p(..., d)`` → ``p(..., s)`` through the channel."""
        return q if self.C is None else q @ self.C


def _code_space(bound: Any, sup: _Support) -> _CodeSpace:
    K, remap, C, m = bound.K_det, None, bound.channel, sup.m
    if m * K > _BIN_LIMIT:
        seen = [np.unique(bound.codes(sup.rows[a:b], sup.cols)) for a, b in _blocks(sup.n_rows, m, 1)]
        remap = np.unique(np.concatenate(seen))
        K = len(remap)
        if m * K > _BIN_LIMIT:
            raise ValueError(
                f"the signal takes {K} distinct values on {m} trajectories: the table p(τ, S) "
                f"would have {m * K} cells, above {_BIN_LIMIT}; use a coarser signal or "
                + _ALTERNATIVE
            )
        if C is not None:
            C = C[remap]
    return _CodeSpace(bound, sup.rows, sup.cols, K, remap, C)


class _Tally:
    """Streams the blocks of rows and accumulates the tables the entropies need.

    Per block: ``p(ξ, d)`` (for ``H(ξ, S)``), ``p(π*, d)``, ``p(τ, d)`` and, unless every π* of the
    block belongs to a single ξ, ``p(π*, τ, d)`` for ``H(S | π*, τ)``. With uniform weights on the
    support and a deterministic signal that last term comes from integer counts (``counts_path``).
    """

    def __init__(self, sup: _Support, code: _CodeSpace) -> None:
        self.sup, self.code = sup, code
        m, K = sup.m, code.K
        self.bijective = sup.n_c == sup.n_rows
        self.p_uniform = bool(np.all(sup.ps == sup.ps[0]))
        self.w0 = float(sup.ws[0])
        self.counts_path = code.C is None and bool(np.all(sup.ws == self.w0))
        # p(τ, d) is summed from the (π*, τ, d) tables when classes hold >= K rows on average
        self.a_via_n3 = not self.bijective and sup.n_c * K <= sup.n_rows
        self.A = np.zeros((m, K))  # p(τ, d), without the factor p(τ) until the end
        self.Qc = np.zeros((sup.n_c, K))  # p(π*, d)
        self.H_xi_S = 0.0  # H(ξ, S)
        self.H_pi_tau_S = 0.0  # H(π*, τ, S)
        self.H_S_pi_tau = 0.0  # H(S | π*, τ) on the counts path
        self.carry = None  # (class, (m, K) table) of a class split across blocks
        self.tile_p = None

    def add_block(self, a: int, b: int) -> None:
        sup, code = self.sup, self.code
        m, K, cls, ps = sup.m, code.K, sup.cls, sup.ps
        codes = code.codes(a, b)
        k = b - a
        wk = sup.ws[a:b]
        w_const = bool(np.all(wk == wk[0]))
        # p(ξ, d) = w_ξ Σ_τ p_τ [d(ξ,τ) = d]
        keys = codes + (np.arange(k, dtype=np.int64) * K)[:, None]
        if self.p_uniform:
            qx = np.bincount(keys.ravel(), minlength=k * K).reshape(k, K) * ps[0]
        else:
            if self.tile_p is None or len(self.tile_p) < k * m:
                self.tile_p = np.tile(ps, k)
            qx = np.bincount(keys.ravel(), weights=self.tile_p[: k * m],
                             minlength=k * K).reshape(k, K)
        qx *= wk[:, None]
        self.H_xi_S += entropy_bits(code.obs(qx))
        # p(π*, d) = Σ_{ξ in π*} p(ξ, d): a small per-class sum of the rows of qx
        c_blk = cls[a:b] - cls[a]
        n_blk = int(c_blk[-1]) + 1
        if K <= _COLUMN_MAX_VALUES:
            for d in range(K):
                self.Qc[cls[a]: cls[a] + n_blk, d] += np.bincount(c_blk, weights=qx[:, d],
                                                                  minlength=n_blk)
        else:
            np.add.at(self.Qc, cls[a:b], qx)
        needs_n3 = not (self.bijective or (self.counts_path and not sup.multi[a:b].any()))
        # p(τ, d) up to the factor p(τ) = Σ_ξ w_ξ [d(ξ,τ) = d]; from the (π*, τ, d) table below
        # when that table is built and not larger than the block
        if not (needs_n3 and self.a_via_n3):
            if K <= _EINSUM_MAX_VALUES:
                for d in range(K):
                    self.A[:, d] += np.einsum("i,ij->j", wk, codes == d)
            else:
                keys = codes + (np.arange(m, dtype=np.int64) * K)[None, :]
                wts = None if w_const else np.repeat(wk, m)
                self.A += np.bincount(keys.ravel(), weights=wts, minlength=m * K).reshape(m, K) * (
                    wk[0] if w_const else 1.0)
        if not needs_n3:
            # every π* of this block belongs to a single ξ: p(π*, τ, S) is p(ξ, τ, S) (bijective:
            # H(S|π*,τ) = H(S|ξ,τ), set by _assemble) and, for a deterministic S, H(S | π*=c, τ) = 0
            return
        self._add_class_table(a, b, codes, wk, w_const, c_blk, n_blk)

    def _add_class_table(self, a, b, codes, wk, w_const, c_blk, n_blk) -> None:
        """p(π*, τ, d) for the classes of rows a..b (sorted by class), carried across blocks."""
        sup, m, K = self.sup, self.sup.m, self.code.K
        cls, ps = sup.cls, sup.ps
        wts = None if w_const else np.repeat(wk, m)
        scale = wk[0] if w_const else 1.0
        keys = np.add.outer(c_blk * (m * K), np.arange(m, dtype=np.int64) * K)
        keys += codes
        n3 = np.bincount(keys.ravel(), weights=wts, minlength=n_blk * m * K).reshape(n_blk, m, K)
        if self.counts_path:  # integer counts, the same weight w0 for every row of every block
            scale = self.w0
        else:  # weights in the table itself, so that a carried class adds up consistently
            n3 = n3 * scale
            scale = 1.0
        if self.carry is not None and self.carry[0] == cls[a]:
            n3[0] += self.carry[1]
        elif self.carry is not None:  # pragma: no cover - blocks always continue a split class
            raise RuntimeError("internal: split class not continued")
        self.carry = None
        if b < sup.n_rows and cls[b] == cls[b - 1]:
            self.carry = (int(cls[b - 1]), n3[-1].copy())
            n3 = n3[:-1]
        if not len(n3):
            return
        if self.a_via_n3:
            self.A += n3.sum(axis=0) * scale
        if self.counts_path:
            # H(S | π*, τ) = Σ_c w Σ_τ p_τ [|c| log|c| - Σ_d n log n], n = integer counts
            sizes = n3[:, 0, :].sum(axis=1)
            per_tau = _nlogn(n3).sum(axis=(0, 2))
            self.H_S_pi_tau += self.w0 * (float(_nlogn(sizes).sum()) - float((per_tau * ps).sum()))
        else:
            q3 = n3 * (scale * ps[None, :, None])
            self.H_pi_tau_S += entropy_bits(self.code.obs(q3))

    def finish(self) -> "_Tally":
        self.A *= self.sup.ps[:, None]
        return self


def _assemble(signal: Any, bound: Any, sup: _Support, code: _CodeSpace, t: _Tally) -> Bandwidth:
    """Entropies from the tallies, conditional ones as differences, rounding cleaned."""
    obs, C = code.obs, code.C
    p_d = t.A.sum(axis=0)
    p_s = obs(p_d)
    H_S = entropy_bits(p_s)
    H_tau = entropy_bits(sup.ps)
    H_xi = entropy_bits(sup.ws)
    H_pi = entropy_bits(sup.pc)
    H_S_tau = max(0.0, entropy_bits(obs(t.A)) - H_tau)
    H_S_xi = max(0.0, t.H_xi_S - H_xi)
    if C is None:
        H_S_xi_tau = 0.0
    else:
        rowH = np.array([entropy_bits(r) for r in C])
        H_S_xi_tau = float((p_d * rowH).sum())
    H_S_pi_tau = t.H_S_pi_tau
    if t.bijective:
        H_S_pi, H_S_pi_tau = H_S_xi, H_S_xi_tau
    else:
        H_S_pi = max(0.0, entropy_bits(obs(t.Qc)) - H_pi)
        if not t.counts_path:
            H_S_pi_tau = max(0.0, t.H_pi_tau_S - H_pi - H_tau)
    # conditioning on more never increases entropy; clean rounding in the last digits only
    H_S_pi = _le(H_S_pi, H_S)
    H_S_xi = _le(H_S_xi, H_S_pi)
    H_S_pi_tau = _le(_le(H_S_pi_tau, H_S_tau), H_S_pi)
    H_S_xi_tau = _le(_le(H_S_xi_tau, H_S_pi_tau), H_S_xi)
    out = dict(
        signal=as_signal(signal).name,
        n_values=bound.K_obs,
        n_pairs=sup.n_pairs,
        H_S=H_S,
        H_S_given_pi=H_S_pi,
        I_S_pi=max(0.0, H_S - H_S_pi),
        H_S_given_xi=H_S_xi,
        I_S_xi=max(0.0, H_S - H_S_xi),
        H_S_given_tau=H_S_tau,
        H_S_given_xi_tau=H_S_xi_tau,
        H_S_given_pi_tau=H_S_pi_tau,
        I_S_xi_given_tau=max(0.0, H_S_tau - H_S_xi_tau),
        I_S_pi_given_tau=max(0.0, H_S_tau - H_S_pi_tau),
        I_S_tau=max(0.0, H_S - H_S_tau),
        H_xi=H_xi,
        H_pi=H_pi,
    )
    return Bandwidth(**{k: v if isinstance(v, str) else (int(v) if k in ("n_values", "n_pairs")
                                                             else clean_bits(v)) for k, v in out.items()})


def _nlogn(n: np.ndarray) -> np.ndarray:
    """``n log2 n`` of non-negative integer counts (as floats), by table lookup."""
    n = np.asarray(n).astype(np.int64, copy=False)
    top = int(n.max()) if n.size else 0
    table = np.zeros(top + 1)
    k = np.arange(1, top + 1, dtype=np.float64)
    table[1:] = k * np.log2(k)
    return table[n]


def _le(x: float, bound: float) -> float:
    """``x``, moved down to ``bound`` if it exceeds it by rounding (≤ SLACK_BITS) only."""
    return bound if bound < x <= bound + SLACK_BITS else x


def _blocks(n_rows: int, m: int, K: int):
    """Row blocks with at most _CHUNK pairs and at most _BIN_LIMIT (row, τ, value) bins."""
    step = max(1, min(_CHUNK // max(m, 1), _BIN_LIMIT // max(m * K, 1)))
    for a in range(0, n_rows, step):
        yield a, min(n_rows, a + step)


def signal_joint(
    family: RewardFamily,
    signal: Signal | str | None = None,
    policy: Policy | None = None,
    *,
    prior: Any = None,
):
    """The dense joint ``p(ξ, π*, τ, S)`` as a :class:`~infobandwidth.information.joint.Joint` (§2.5).

    Axes are named ``"xi"``, ``"pi_star"`` (class number, see
    :func:`~infobandwidth.model.optimal.optimal_policies`), ``"tau"`` (trajectory index) and ``"S"``
    (the signal's observed value number). For small cases, to ask any question by name.

    Parameters
    ----------
    family, signal, policy, prior
        As for :func:`signal_bandwidth`.

    Returns
    -------
    Joint
        Shape ``(n_xi, n_classes, V**T, n_values)``.

    Raises
    ------
    ValueError
        If the table would have more than :data:`MAX_JOINT_ENTRIES` entries (use
        :func:`signal_bandwidth`, which never builds it).

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> J = signal_joint(exact_match(TokenMDP(2, 1)))
    >>> J.I("S", "xi"), J.I("S", "xi", given="tau")
    (0.0, 1.0)
    """
    from infobandwidth.information.joint import Joint

    bound, p_tau, w = _setup(family, signal, policy, prior)
    opt = optimal_policies(family)
    n_xi, n_tr = family.n_xi, family.mdp.n_trajectories
    shape = (n_xi, opt.n_classes, n_tr, bound.K_obs)
    check_enumerable(int(np.prod(shape, dtype=object)), MAX_JOINT_ENTRIES,
                     f"the joint p(ξ, π*, τ, S) of shape {shape}", "signal_bandwidth(), which never builds it")
    d = bound.codes(np.arange(n_xi), np.arange(n_tr))  # (n_xi, n_tr)
    p = np.zeros(shape)
    base = w[:, None] * p_tau[None, :]
    xi_i = np.arange(n_xi)[:, None]
    tr_i = np.arange(n_tr)[None, :]
    c_i = opt.classes[:, None]
    if bound.channel is None:
        p[xi_i, c_i, tr_i, d] = base
    else:
        p[np.arange(n_xi), opt.classes] = base[:, :, None] * bound.channel[d]
    return Joint(p, ("xi", "pi_star", "tau", "S"))
