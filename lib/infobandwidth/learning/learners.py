"""REINFORCE (§3.1) and TD actor-critic (§3.2) on the token MDP, with exact learning curves.

Used in §3.1 (policy gradient learns from one scalar return per episode), §3.2 (actor-critic
learns from one TD error per token) and §4 (episodes-to-solve against information bounds).

Both learners are *tabular*: the policy is a softmax over a table of logits with one row of ``V``
entries per prefix (state), ``π_θ(a | s) ∝ exp θ[s, a]``, starting from the uniform policy
``θ = 0`` (or ``init_logits``). They sample a batch of episodes, update, and record a
:class:`TrainingCurve`: after every ``eval_every`` updates

* ``J``: the expected return of the current policy on the *true* ξ, computed **exactly**
  (:func:`~infobandwidth.model.mdp.expected_return` on the family's sparse reward, which equals the
  undiscounted dense return; for :class:`HiddenString` by a closed form on the prefix tree);
* the success rate (episodes whose return is optimal, ``R = J*``) and mean return of the batches
  since the previous row;
* the posterior entropies ``H(ξ | D)`` and ``H(π* | D)`` of an *ideal Bayesian observer* that saw
  exactly the learner's data: the same trajectories and the same signals (the return ``G`` for a
  sparse reward, the per-step rewards for a dense one). The learner's own updates are functions of
  these data, so its progress can be plotted against what the data could have taught.

REINFORCE (Williams 1992; §3.1), as implemented by :func:`reinforce`::

    θ[s, ·] = init_logits[s] (default 0) for every prefix s; baseline state b = 0
    repeat n_updates times:
        sample n episodes τ^i ~ π_θ, observe the rewards r^i_t (sparse: r_{T-1} = R_ξ(s_T), else 0)
        reward_to_go:  Ψ^i_t = γ^t (G^i_t - b(s^i_t)),   G^i_t = Σ_{k>=t} γ^{k-t} r^i_k
        otherwise:     Ψ^i_t = G^i - b(s^i_t),            G^i   = Σ_k γ^k r^i_k
        θ ← θ + (α / n) Σ_i Σ_t Ψ^i_t ∇_θ log π_θ(a^i_t | s^i_t)     # row s_t: onehot(a_t) - π(·|s_t)
        update the baseline on the batch

Baselines: ``"none"``; ``"mean"`` (an exponential running mean, rate ``baseline_rate``, of the
returns of earlier batches, one per step ``t`` with reward-to-go); ``"loo"`` (leave-one-out mean
of the other episodes of the batch, as in RLOO); ``"value"`` (a per-prefix table ``b(s)`` moved
``baseline_rate`` of the way to the batch mean of the returns observed from ``s``). All leave the
expected update unbiased. The estimator itself is :func:`policy_gradient`; its expectation is the
exact ``∇_θ J_γ`` (tested against finite differences).

TD actor-critic (Konda & Tsitsiklis 2000; Sutton & Barto 2018, §13.5; §3.2), :func:`actor_critic`::

    θ = init_logits (default 0); V(s) = 0 for every prefix; V(s_T) = 0
    repeat n_updates times:
        sample n episodes with π_θ                 # the critic is held fixed during the batch
        δ^i_t = r^i_t + γ V(s^i_{t+1}) - V(s^i_t)
        θ ← θ + (α_a / n) Σ_i Σ_t γ^t δ^i_t ∇_θ log π_θ(a^i_t | s^i_t)
        V(s) ← V(s) + α_c · mean{δ^i_t : s^i_t = s}    for every visited prefix s

The factor ``γ^t`` is Sutton & Barto's ``I``; with the exact critic ``V^π`` the expected actor
step is exactly ``∇_θ J_γ`` (:func:`actor_critic_gradient`, tested). The critic step is batched
TD(0) averaged per visited state, so ``α_c = 1`` sets ``V(s)`` to the mean TD target of its visits
and ``α_c <= 1`` never overshoots. ``critic="exact"`` replaces the learned critic by the exact
``V^π_ξ`` of the current policy and ``critic="posterior"`` by ``E_{ξ~p(ξ|D)}[V^π_ξ]`` (the
idealised critics of :mod:`infobandwidth.model.values`), recomputed before every batch.

The prefix table: dense or lazy
-------------------------------
Prefixes are identified by their breadth-first number (the numbering of
:class:`~infobandwidth.model.mdp.TokenMDP`; an int64 for every ``V**T < 2**62``). Storage:

* ``table="dense"``: one row per prefix, ``(n_prefixes, V)``, row = prefix number. Needs
  ``n_prefixes·V <=`` :data:`MAX_TABLE_ENTRIES`.
* ``table="lazy"``: a **trie** grown on first visit (chosen over a hash of prefix numbers
  because the sampler walks the tree anyway). A child array ``children[row, token]`` maps a prefix
  and a token to the next row, so the lookup is one vectorised gather per step; a prefix not
  visited yet maps to a shared all-zero "fresh" row (its children are fresh too), and after each
  batch the newly visited prefixes get their own rows in one vectorised pass (``np.unique`` of
  their prefix numbers). ``ids[row]`` keeps the prefix number. Only visited prefixes cost memory
  (``V=4, T=16`` has ``1.4·10^9`` prefixes; a run of 10^5 episodes visits at most
  ``1.6·10^6``). Unvisited prefixes have logits 0 (uniform) and value 0.
* ``table="auto"`` (default): dense when it fits, else lazy. Both give identical runs.

Logits are shifted by their row maximum whenever a visited row's maximum leaves ``[-30, 30]``
(the policy is unchanged), so ``exp`` never overflows.

Speed: the sampler and the updates are vectorised over the batch (a loop over the ``T`` steps
only), with elementwise numpy (no BLAS products, which stall on shared cores). Exact ``J`` costs
``O(T·V**T)`` per evaluated row and the observer ``O(|Ξ|·n)`` per batch: both are skipped or
cheap when ``V**T`` is large (see ``posterior`` and ``eval_every``).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np

from infobandwidth.base.numerics import ZERO_BITS, entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import (
    as_array,
    check_bool,
    check_choice,
    check_gamma,
    check_int,
    check_rate,
    rng_from_seed,
)
from infobandwidth.model.mdp import (
    MAX_TRAJECTORIES,
    TokenMDP,
    expected_return,
    softmax_policy,
)
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import RewardFamily
from infobandwidth.model.values import (
    _backward,
    _mean_rewards,
    _reward_matrix,
    _td,
)
from infobandwidth.signals.observer import condition
from infobandwidth.signals.signals import (
    as_signal,
)

__all__ = [
    "episodes_to_identify",
    "MAX_TABLE_ENTRIES",
    "MAX_OBSERVER_CELLS",
    "BASELINES",
    "CRITICS",
    "HiddenString",
    "TrainingCurve",
    "SeedSummary",
    "reinforce",
    "actor_critic",
    "policy_gradient",
    "actor_critic_gradient",
    "episodes_to_solve",
    "run_seeds",
]


# ============================================================================ learning curves
def episodes_to_identify(curve: Any) -> float:
    """Episodes after which the ideal observer of a run knows ξ (``H(ξ | D) = 0``), or ``inf`` (§3.2).

    Resolved to the curve's rows (``eval_every``).

    Parameters
    ----------
    curve : TrainingCurve
        From :func:`~infobandwidth.learning.learners.reinforce` or :func:`~infobandwidth.learning.learners.actor_critic`
        with the observer tracked.

    Returns
    -------
    int or float

    Raises
    ------
    ValueError
        If the curve is not a TrainingCurve or did not track the observer.

    Examples
    --------
    >>> from infobandwidth.learning.learners import actor_critic
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> c = actor_critic(exact_match(TokenMDP(2, 3)), 5, n_updates=10, batch_size=2, dense=True)
    >>> episodes_to_identify(c) <= 20
    True
    """
    from infobandwidth.learning.learners import TrainingCurve

    if not isinstance(curve, TrainingCurve):
        raise ValueError(f"curve must be a TrainingCurve, got {type(curve).__name__}")
    if curve.entropy_xi is None:
        raise ValueError("this run did not track the ideal observer; run the learner with posterior=True")
    hit = np.flatnonzero(curve.entropy_xi <= ZERO_BITS)
    return int(curve.episodes[hit[0]]) if hit.size else math.inf

#: Largest dense logits table (``n_prefixes · V`` entries) that ``table="auto"`` allocates.
MAX_TABLE_ENTRIES = 1 << 22
#: Largest (ξ × episodes [× T for dense signals]) work per batch for which ``posterior="auto"``
#: tracks the ideal observer of a reward family.
MAX_OBSERVER_CELLS = 4_000_000
#: Baselines of :func:`reinforce`.
BASELINES = ("none", "mean", "loo", "value")
#: Critics of :func:`actor_critic`.
CRITICS = ("learned", "exact", "posterior")

_RENORM = 30.0  # shift a logits row when its maximum leaves [-_RENORM, _RENORM]
_SUCCESS_TOL = 1e-9


def _offsets(V: int, T: int) -> np.ndarray:
    out = [0]
    for t in range(T):
        out.append(out[-1] + V**t)
    return np.array(out, dtype=np.int64)


# ============================================================================ large hidden string
class HiddenString:
    """The hidden-string task without enumerating ``V**T`` strings, for large ``V`` and ``T`` (§3.1).

    ξ is the hidden string, given as its trajectory index (base-``V``, first token most
    significant, as in :class:`~infobandwidth.model.mdp.TokenMDP`) or as tokens; the prior is uniform
    over all ``V**T`` strings. Two rewards, identical to the families of
    :mod:`infobandwidth.model.rewards` on small instances (tested):

    ``reward="exact"``  as :func:`~infobandwidth.model.rewards.exact_match`: ``R = 1`` iff the episode is
                        ξ; dense: ``1/T`` per token while the prefix still matches, the progress
                        given back at the first mismatch.
    ``reward="count"``  as :func:`~infobandwidth.model.rewards.match_count` with ``T+1`` levels:
                        ``R`` = share of positions that match; dense: ``1/T`` per correct token.

    The learners compute ``J`` exactly on the prefix tree (a product along ξ's path for
    ``"exact"``; per-depth marginals of the visited part of the tree plus uniform elsewhere for
    ``"count"``) and the ideal observer in closed form (uniform over the strings consistent with
    the data), except for the sparse ``"count"`` return, whose posterior has no closed form (use
    :func:`~infobandwidth.model.rewards.match_count` on a small MDP).

    Parameters
    ----------
    vocab_size : int
        ``V >= 1``.
    horizon : int
        ``T >= 1``; ``V**T`` must be below ``2**62``.
    reward : {"exact", "count"}

    Raises
    ------
    ValueError
        ``V`` or ``T`` not a positive integer, ``V**T >= 2**62``, an unknown reward.

    Examples
    --------
    >>> task = HiddenString(4, 16)
    >>> task.n_xi
    4294967296
    >>> xi = task.index([3] * 16)
    >>> task.rewards([[3] * 16, [3] * 15 + [0]], xi).sum(axis=1).tolist()
    [1.0, 0.0]
    """

    def __init__(self, vocab_size: int, horizon: int, reward: str = "exact") -> None:
        V = check_int(vocab_size, "vocab_size", 1, "a vocabulary needs at least one token")
        T = check_int(horizon, "horizon", 1, "an episode generates at least one token")
        if V**T >= 2**62:
            raise ValueError(
                f"V^T = {V}^{T} >= 2^62: trajectory and prefix numbers would overflow int64; "
                "use a smaller vocabulary or horizon"
            )
        self.reward = check_choice(reward, "reward", ("exact", "count"))
        self.V, self.T = V, T
        self.n_xi = V**T
        self.end_token = None
        self._powers = np.array([V ** (T - 1 - t) for t in range(T)], dtype=np.int64)

    def __repr__(self) -> str:
        return f"HiddenString(V={self.V}, T={self.T}, reward={self.reward!r})"

    @property
    def mdp(self) -> TokenMDP | None:
        """The :class:`~infobandwidth.model.mdp.TokenMDP` if ``V**T`` is enumerable, else None."""
        return TokenMDP(self.V, self.T) if self.n_xi <= MAX_TRAJECTORIES else None

    def index(self, tokens: Any) -> int:
        """The ξ (trajectory index) of a hidden string given as ``T`` tokens."""
        seq = [int(x) for x in tokens]
        if len(seq) != self.T or any(not 0 <= x < self.V for x in seq):
            raise ValueError(f"a hidden string is {self.T} tokens in 0..{self.V - 1}, got {seq}")
        k = 0
        for x in seq:
            k = k * self.V + x
        return k

    def target(self, xi: Any) -> np.ndarray:
        """The hidden string of ξ as tokens, shape ``(T,)``."""
        return (self._xi(xi) // self._powers) % self.V

    def _xi(self, xi: Any) -> int:
        if isinstance(xi, (list, tuple, np.ndarray)):
            return self.index(xi)
        xi = check_int(xi, "xi", 0, f"ξ is a trajectory index in 0..{self.n_xi - 1} or T tokens")
        if xi >= self.n_xi:
            raise ValueError(f"xi must lie in 0..{self.n_xi - 1} (V^T - 1), got {xi}")
        return xi

    def _step_rewards(self, toks: np.ndarray, y: np.ndarray, dense: bool) -> np.ndarray:
        """Per-step rewards, shape ``(T, n)``, of token arrays ``toks`` (T, n) for target ``y``."""
        T = self.T
        match = toks == y[:, None]
        if self.reward == "exact":
            run = np.cumprod(match, axis=0)  # prefix of length t+1 still matches
            phi = run * (np.arange(1, T + 1)[:, None] / T)
        else:
            phi = np.cumsum(match, axis=0) / T
        if not dense:
            out = np.zeros(toks.shape)
            out[-1] = np.round(phi[-1], 12)
            return out
        return np.round(np.diff(phi, axis=0, prepend=0.0), 12)

    def rewards(self, tokens: Any, xi: Any, *, dense: bool = False) -> np.ndarray:
        """Per-step rewards of episodes given as tokens, shape ``(n, T)`` (§3.1, §3.2).

        Sparse (default): ``(0, ..., 0, R)``; dense: the family's ``r_t``.

        Examples
        --------
        >>> HiddenString(2, 2).rewards([[1, 0], [1, 1]], xi=2, dense=True).tolist()
        [[0.5, 0.5], [0.5, -0.5]]
        """
        toks = np.asarray(tokens)
        if toks.ndim != 2 or toks.shape[1] != self.T or (toks.size and toks.dtype.kind not in "iu"):
            raise ValueError(f"tokens must be an integer array of shape (n, T={self.T}), got {toks.shape}")
        if toks.size and (toks.min() < 0 or toks.max() >= self.V):
            raise ValueError(f"tokens must lie in 0..{self.V - 1}")
        return self._step_rewards(toks.T, self.target(xi), check_bool(dense, "dense")).T

    def family(self) -> RewardFamily:
        """The equivalent family of :mod:`infobandwidth.model.rewards` (small ``V**T`` only)."""
        from infobandwidth.model.rewards import exact_match, match_count

        mdp = self.mdp
        if mdp is None:
            raise ValueError(f"V^T = {self.n_xi} strings is too many to enumerate as a family")
        return exact_match(mdp) if self.reward == "exact" else match_count(mdp)


# ============================================================================ the prefix table
class _Table:
    """Per-prefix parameters: logits ``(rows, V)`` and one value column; dense or a lazy trie.

    Lazy layout: row 0 is the root, row 1 (``_FRESH``) a permanent all-zero row standing for every
    prefix not visited yet; ``children[row, token]`` is the child's row, ``_FRESH`` if unvisited
    (and a fresh prefix's children are fresh too). The sampler follows ``children`` with one
    gather per step; after the batch, :meth:`commit` gives each newly visited prefix its own row.
    """

    def __init__(self, V: int, T: int, lazy: bool, init_logits=None, init_values=None) -> None:
        self.V, self.T, self.lazy = V, T, lazy
        self.off = _offsets(V, T)
        self.n_prefixes = int(self.off[T])
        if lazy:
            cap = 1024
            self.logits = np.zeros((cap, V))
            self.values = np.zeros(cap)
            self.children = np.full((cap, V), _FRESH, dtype=np.int64)
            self.ids = np.zeros(cap, dtype=np.int64)
            self.depth = np.zeros(cap, dtype=np.int64)
            self.parent = np.zeros(cap, dtype=np.int64)
            self.ptok = np.zeros(cap, dtype=np.int64)
            self.depth[_FRESH] = -1  # not a prefix
            self.n_rows = 2
        else:
            n = self.n_prefixes
            self.logits = np.zeros((n, V)) if init_logits is None else np.array(init_logits, dtype=float)
            self.values = np.zeros(n) if init_values is None else np.array(init_values, dtype=float)
            self.n_rows = n
            self._renormalise(np.arange(n))

    # -- rows
    def commit(self, rows: np.ndarray, ids: np.ndarray, toks: np.ndarray) -> None:
        """Give every prefix the batch visited for the first time a row; fix ``rows`` in place.

        ``rows``, ``ids`` (prefix numbers) and ``toks`` have shape (T, n); fresh entries of
        ``rows`` are ``_FRESH``.
        """
        fresh = rows == _FRESH
        if not fresh.any():
            return
        new_ids, inv = np.unique(ids[fresh], return_inverse=True)
        m = len(new_ids)
        start = self.n_rows
        self._grow(start + m)
        rows[fresh] = start + inv.reshape(-1)
        self.n_rows += m
        t_idx, i_idx = np.nonzero(fresh)  # t >= 1: the root always has a row
        child = rows[t_idx, i_idx]
        par = rows[t_idx - 1, i_idx]
        tok = toks[t_idx - 1, i_idx]
        self.children[par, tok] = child
        self.ids[child] = ids[t_idx, i_idx]
        self.depth[child] = t_idx
        self.parent[child] = par
        self.ptok[child] = tok

    def _grow(self, need: int) -> None:
        cap = len(self.values)
        if need <= cap:
            return
        new_cap = max(need, 2 * cap)
        extra = new_cap - cap
        self.logits = np.concatenate([self.logits, np.zeros((extra, self.V))])
        self.values = np.concatenate([self.values, np.zeros(extra)])
        self.children = np.concatenate([self.children, np.full((extra, self.V), _FRESH, np.int64)])
        for name in ("ids", "depth", "parent", "ptok"):
            setattr(self, name, np.concatenate([getattr(self, name), np.zeros(extra, np.int64)]))

    def row_ids(self, rows: np.ndarray) -> np.ndarray:
        """Prefix numbers of table rows."""
        return self.ids[rows] if self.lazy else rows

    def full_logits(self) -> np.ndarray:
        if not self.lazy:
            return self.logits
        full = np.zeros((self.n_prefixes, self.V))
        full[self.ids[2: self.n_rows]] = self.logits[2: self.n_rows]
        full[0] = self.logits[0]
        return full

    def full_values(self) -> np.ndarray:
        if not self.lazy:
            return self.values
        full = np.zeros(self.n_prefixes)
        full[self.ids[2: self.n_rows]] = self.values[2: self.n_rows]
        full[0] = self.values[0]
        return full

    def _renormalise(self, rows: np.ndarray) -> None:
        top = self.logits[rows].max(axis=1)
        if rows.size and np.abs(top).max() > _RENORM:
            u = np.unique(rows)
            self.logits[u] -= self.logits[u].max(axis=1, keepdims=True)

    # -- closed forms for HiddenString
    def path_logits(self, y: np.ndarray) -> np.ndarray:
        """Logits along the path of tokens ``y`` (unvisited prefixes: 0), shape (T, V)."""
        out = np.zeros((self.T, self.V))
        if not self.lazy:
            k = 0
            for t in range(self.T):
                out[t] = self.logits[self.off[t] + k]
                k = k * self.V + int(y[t])
            return out
        row = 0
        for t in range(self.T):
            out[t] = self.logits[row]  # the fresh row is all zeros
            row = int(self.children[row, int(y[t])])
        return out

    def depth_marginals(self, y: np.ndarray) -> np.ndarray:
        """``P_π(x_{t+1} = y_{t+1})`` for t = 0..T-1 (unvisited subtrees: uniform), shape (T,)."""
        V, T = self.V, self.T
        out = np.zeros(T)
        if not self.lazy:
            reach = np.ones(1)
            for t in range(T):
                P = _softmax(self.logits[self.off[t]: self.off[t + 1]])
                out[t] = (reach * P[:, int(y[t])]).sum()
                reach = (reach[:, None] * P).reshape(-1)
            return out
        n = self.n_rows
        P = _softmax(self.logits[:n])
        reach = np.zeros(n)
        reach[0] = 1.0
        depth = self.depth[:n]
        for t in range(T):
            sel = np.flatnonzero(depth == t)
            if t > 0:  # rows are allocated after their parents: parents' reach is final
                reach[sel] = reach[self.parent[sel]] * P[self.parent[sel], self.ptok[sel]]
            seen = reach[sel].sum()
            out[t] = (reach[sel] * P[sel, int(y[t])]).sum() + max(0.0, 1.0 - seen) / V
        return out


_FRESH = 1  # the lazy table's all-zero row standing for unvisited prefixes


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class _Batch:
    rows: np.ndarray  # (T, n) table rows of s_0 .. s_{T-1}
    toks: np.ndarray  # (T, n) tokens a_t
    P: np.ndarray  # (T, n, V) π(· | s_t) (forced rows after an end token)
    k: np.ndarray  # (n,) trajectory indices


def _rollout(tab: _Table, n: int, rng: np.random.Generator, end_token: int | None) -> _Batch:
    """Sample ``n`` episodes from the softmax of the table: a loop over ``T``, vectorised over n."""
    V, T, lazy = tab.V, tab.T, tab.lazy
    U = rng.random((T, n))
    r = np.zeros(n, dtype=np.int64)
    k = np.zeros(n, dtype=np.int64)
    rows, ks, toks, es, tots, dead = [], [], [], [], [], []
    ended = np.zeros(n, dtype=bool) if end_token is not None else None
    acc = np.add.accumulate
    for t in range(T):
        rows.append(r)
        ks.append(k)
        e = np.exp(tab.logits[r])
        c = acc(e, axis=1)
        tot = c[:, -1]
        tok = (c[:, :-1] <= (U[t] * tot)[:, None]).sum(axis=1)
        if ended is not None:
            dead.append(ended)
            tok = np.where(ended, end_token, tok)
            ended = ended | (tok == end_token)
        es.append(e)
        tots.append(tot)
        toks.append(tok)
        k = k * V + tok
        if t + 1 < T:
            r = tab.children[r, tok] if lazy else tab.off[t + 1] + k
    P = np.stack(es) / np.stack(tots)[..., None]
    if end_token is not None:
        d = np.stack(dead)
        if d.any():
            P[d] = 0.0
            P[d, end_token] = 1.0
    R, TK = np.stack(rows), np.stack(toks)
    if lazy:
        tab.commit(R, np.stack(ks) + tab.off[:T, None], TK)
    return _Batch(R, TK, P, k)


def _scatter(target: np.ndarray, rows: np.ndarray, toks: np.ndarray, P: np.ndarray, W: np.ndarray):
    """``target[s_t] += W_t · (onehot(a_t) - π(·|s_t))`` summed over all (t, episode)."""
    V = P.shape[-1]
    G = (P * (-W)[..., None]).reshape(-1, V)
    G[np.arange(G.shape[0]), toks.reshape(-1)] += W.reshape(-1)
    np.add.at(target, rows.reshape(-1), G)


def _visit_means(rows: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows and the mean of ``x`` over the visits of each."""
    u, inv = np.unique(rows.reshape(-1), return_inverse=True)
    inv = inv.reshape(-1)
    s = np.bincount(inv, weights=x.reshape(-1), minlength=len(u))
    c = np.bincount(inv, minlength=len(u))
    return u, s / c


def _returns_to_go(r: np.ndarray, gamma: float) -> np.ndarray:
    """``G_t = Σ_{k>=t} γ^{k-t} r_k`` along axis 0 of ``r`` (T, n)."""
    if gamma == 1.0:
        return np.cumsum(r[::-1], axis=0)[::-1]
    out = np.empty_like(r)
    acc = np.zeros(r.shape[1:])
    for t in range(r.shape[0] - 1, -1, -1):
        acc = r[t] + gamma * acc
        out[t] = acc
    return out


def _targets(r: np.ndarray, gamma: float, reward_to_go: bool) -> np.ndarray:
    """What the baseline predicts at step t: ``G_t`` (reward-to-go) or the whole return ``G``."""
    if reward_to_go:
        return _returns_to_go(r, gamma)
    gp = gamma ** np.arange(r.shape[0], dtype=float)
    G = (gp[:, None] * r).sum(axis=0)
    return np.broadcast_to(G, r.shape)


def _psi(target: np.ndarray, b: Any, gamma: float, reward_to_go: bool) -> np.ndarray:
    if reward_to_go:
        gp = gamma ** np.arange(target.shape[0], dtype=float)
        return gp[:, None] * (target - b)
    return target - b


# ============================================================================ tasks and observers
class _Task:
    """What a learner plays against: rewards of the true ξ, exact J, the ideal observer."""

    def __init__(self, family: Any, xi: Any, dense: bool) -> None:
        self.dense = dense
        if isinstance(family, HiddenString):
            self.hs, self.family, self.mdp = family, None, None
            self.V, self.T, self.end_token = family.V, family.T, None
            self.xi = family._xi(xi)
            self.y = family.target(self.xi)
            self.J_star = 1.0
            self.n_xi = family.n_xi
        elif isinstance(family, RewardFamily):
            self.hs, self.family, self.mdp = None, family, family.mdp
            mdp = family.mdp
            self.V, self.T, self.end_token = mdp.V, mdp.T, mdp.end_token
            self.xi = family._xi(xi)
            self.R = family.sparse_rewards(self.xi)
            self.J_star = float(self.R[mdp.valid].max())
            self.n_xi = family.n_xi
            self.Rd = None
            if dense and mdp.n_trajectories * mdp.T <= (1 << 23):
                self.Rd = family.dense_rewards(self.xi)
        else:
            raise ValueError(
                f"family must be a RewardFamily (e.g. exact_match(TokenMDP(2, 4))) or a "
                f"HiddenString, got {type(family).__name__}"
            )
        self.n_prefixes = int(_offsets(self.V, self.T)[-1])

    def step_rewards(self, b: _Batch) -> np.ndarray:
        """Per-step rewards of the batch, shape (T, n)."""
        if self.hs is not None:
            return self.hs._step_rewards(b.toks, self.y, self.dense)
        if self.dense:
            if self.Rd is not None:
                return self.Rd[b.k].T
            return self.family._dense(np.array([self.xi]), b.k)[0].T
        out = np.zeros(b.toks.shape)
        out[-1] = self.R[b.k]
        return out

    def reward_matrix(self) -> np.ndarray:
        """Per-step rewards of every trajectory under the true ξ, (V**T, T) (families only)."""
        r = self.family.dense_rewards(self.xi) if self.dense else self.R
        return _reward_matrix(self.mdp, r, check_causal=False)

    def task_return(self, b: _Batch, r: np.ndarray) -> np.ndarray:
        """The undiscounted task return ``R_ξ(s_T)`` of each episode."""
        if self.hs is not None:
            return r.sum(axis=0) if self.dense else r[-1]
        return self.R[b.k]

    def exact_J(self, tab: _Table) -> float:
        if self.hs is not None:
            if self.hs.reward == "exact":
                P = _softmax(tab.path_logits(self.y))
                return float(np.prod(P[np.arange(self.T), self.y]))
            return float(tab.depth_marginals(self.y).mean())
        pol = softmax_policy(self.mdp, tab.full_logits())
        return expected_return(pol, self.R)


class _FamilyObserver:
    """The ideal observer ``p(ξ | D)`` for a reward family, updated on batches of episodes."""

    def __init__(self, task: _Task) -> None:
        self.family, self.xi = task.family, task.xi
        self.bound = as_signal("dense" if task.dense else "return").bind(task.family)
        self.post = task.family.prior.copy()
        self.pending: list[np.ndarray] = []
        self._opt = None

    def add(self, b: _Batch, r: np.ndarray) -> None:
        self.pending.append(b.k)

    def flush(self) -> None:
        if not self.pending:
            return
        k = np.unique(np.concatenate(self.pending))
        self.pending = []
        sup = np.flatnonzero(self.post > 0)
        post = np.zeros_like(self.post)
        post[sup] = condition(self.post[sup], self.bound.codes(sup, k),
                              self.bound.codes(np.array([self.xi]), k)[0])
        self.post = post

    def entropies(self) -> tuple[float, float]:
        self.flush()
        if self._opt is None:
            self._opt = optimal_policies(self.family)
        p_star = np.bincount(self._opt.classes, weights=self.post, minlength=self._opt.n_classes)
        return entropy_bits(self.post), entropy_bits(p_star)


class _HiddenStringObserver:
    """Closed-form ideal observer for :class:`HiddenString` (uniform prior over V**T strings)."""

    def __init__(self, task: _Task) -> None:
        hs = task.hs
        self.V, self.T, self.kind, self.dense = hs.V, hs.T, hs.reward, task.dense
        self.success = False
        self.failed: set[int] = set()
        self.m_star = 0
        self.excluded = np.zeros(self.V, dtype=bool)  # exact/dense: wrong tokens at depth m_star
        self.known = np.zeros(self.T, dtype=bool)  # count/dense: position solved
        self.wrong = np.zeros((self.T, self.V), dtype=bool)  # count/dense: tokens ruled out

    def add(self, b: _Batch, r: np.ndarray) -> None:
        toks, T = b.toks, self.T
        if self.kind == "exact" and not self.dense:
            hit = r[-1] > 0.5
            if hit.any():
                self.success = True
            if not self.success:
                self.failed.update(b.k[~hit].tolist())
        elif self.kind == "exact":
            # matched prefix length: Φ(s_{t+1}) = (t+1)/T while matched, then 0
            m = (np.cumsum(r, axis=0) > 0.5 / T).sum(axis=0)
            top = int(m.max())
            if top > self.m_star:
                self.m_star = top
                self.excluded[:] = False
            if self.m_star < T:
                self.excluded[toks[self.m_star, m == self.m_star]] = True
        else:
            correct = r > 0.5 / T  # r_t = 1/T for a correct token, else 0
            self.known |= correct.any(axis=1)
            t_idx, i_idx = np.nonzero(~correct)
            self.wrong[t_idx, toks[t_idx, i_idx]] = True

    def entropies(self) -> tuple[float, float]:
        V, T = self.V, self.T
        if self.kind == "exact" and not self.dense:
            h = 0.0 if self.success else math.log2(V**T - len(self.failed))
        elif self.kind == "exact":
            if self.m_star == T:
                h = 0.0
            else:
                h = math.log2(V - int(self.excluded.sum())) + (T - self.m_star - 1) * math.log2(V)
        else:
            cand = np.where(self.known, 1, V - self.wrong.sum(axis=1))
            h = float(np.log2(cand).sum())
        return h + 0.0, h + 0.0  # π* = ξ: every hidden string is its own unique optimum


# ============================================================================ the result
@dataclass(frozen=True)
class TrainingCurve:
    """The learning curve of one run of :func:`reinforce` or :func:`actor_critic` (§3.1, §3.2).

    Row 0 is the initial policy (0 episodes); then one row every ``eval_every`` updates and one
    after the last update.

    Attributes
    ----------
    algorithm : str
        ``"reinforce"`` or ``"actor_critic"``.
    updates, episodes : numpy.ndarray of int, shape (m,)
        Updates done and episodes seen at each row.
    J : numpy.ndarray, shape (m,)
        Exact expected task return ``E_π[R_ξ(s_T)]`` of the current policy on the true ξ.
    J_star : float
        The optimal return ``max_τ R_ξ(τ)``.
    success_rate : numpy.ndarray, shape (m,)
        Share of the episodes since the previous row whose return is optimal (NaN at row 0).
    mean_return : numpy.ndarray, shape (m,)
        Mean discounted return ``Σ_t γ^t r_t`` the learner saw since the previous row (NaN at row 0).
    entropy_xi, entropy_pi_star : numpy.ndarray or None
        ``H(ξ | D)`` and ``H(π* | D)`` in bits of the ideal observer given the learner's episodes
        and signals so far; None when not tracked (see ``note``).
    trajectories : numpy.ndarray of int64, shape (episodes[-1],)
        Every episode's trajectory index, in order.
    logits : numpy.ndarray or None
        Final logits ``(n_prefixes, V)`` (None when the prefix table is too large to expand).
    critic : numpy.ndarray or None
        Final learned critic (actor-critic) or value baseline (REINFORCE ``baseline="value"``),
        shape ``(n_prefixes,)``; None otherwise or when too large.
    settings : dict
        The arguments of the run (with the true ``xi``).
    note : str
        What was skipped and why (empty if nothing).

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> c = reinforce(exact_match(TokenMDP(2, 2)), xi=3, n_updates=4, batch_size=2, seed=0)
    >>> c.episodes.tolist(), float(c.J[0])
    ([0, 2, 4, 6, 8], 0.25)
    """

    algorithm: str
    updates: np.ndarray
    episodes: np.ndarray
    J: np.ndarray
    J_star: float
    success_rate: np.ndarray
    mean_return: np.ndarray
    entropy_xi: np.ndarray | None
    entropy_pi_star: np.ndarray | None
    trajectories: np.ndarray = field(repr=False)
    logits: np.ndarray | None = field(repr=False)
    critic: np.ndarray | None = field(repr=False)
    settings: dict = field(repr=False)
    note: str = ""

    def episodes_to_solve(self, threshold: float = 0.9) -> float:
        """Shortcut for :func:`episodes_to_solve` ``(self, threshold)``."""
        return episodes_to_solve(self, threshold)


# ============================================================================ the training loop
class _Run:
    def __init__(self, algorithm, family, xi, *, n_updates, batch_size, dense, gamma, seed,
                 eval_every, posterior, table, init_logits, init_values, settings):
        self.algorithm = algorithm
        self.n_updates = check_int(n_updates, "n_updates", 1, "run at least one update")
        self.n = check_int(batch_size, "batch_size", 1, "use at least one episode per update")
        self.dense = check_bool(dense, "dense")
        self.gamma = check_gamma(gamma)
        self.eval_every = check_int(eval_every, "eval_every", 1,
                                     "evaluate every k >= 1 updates (use n_updates for start/end only)")
        self.rng = rng_from_seed(seed)
        check_choice(posterior, "posterior", (True, False, "auto"))
        check_choice(table, "table", ("auto", "dense", "lazy"))
        task = self.task = _Task(family, xi, self.dense)
        V, T = task.V, task.T
        entries = task.n_prefixes * V
        init_logits = self._check_init(init_logits, "init_logits", (task.n_prefixes, V))
        init_values = self._check_init(init_values, "init_values", (task.n_prefixes,))
        if table == "auto":
            lazy = entries > MAX_TABLE_ENTRIES
        else:
            lazy = table == "lazy"
        if not lazy and entries > MAX_TABLE_ENTRIES:
            raise ValueError(
                f"a dense prefix table needs n_prefixes·V = {entries} entries, above "
                f"MAX_TABLE_ENTRIES = {MAX_TABLE_ENTRIES}; use table='lazy' (rows allocated on "
                "first visit) or a smaller V/T"
            )
        if lazy and (init_logits is not None or init_values is not None):
            raise ValueError("init_logits/init_values need table='dense' (the lazy trie starts at 0)")
        self.tab = _Table(V, T, lazy, init_logits, init_values)
        self.notes: list[str] = []
        self.observer = self._make_observer(posterior)
        self.settings = dict(settings, xi=task.xi, table="lazy" if lazy else "dense")

    def _check_init(self, arr, name, shape):
        if arr is None:
            return None
        if self.task.mdp is None:
            raise ValueError(f"{name} needs an enumerable MDP (a RewardFamily), not a HiddenString")
        a = as_array(arr, name=name, ndim=len(shape))
        if a.shape != shape:
            raise ValueError(f"{name} has shape {a.shape}, expected {shape} (one entry per prefix)")
        if not np.isfinite(a).all():
            raise ValueError(f"{name} contains NaN or inf; use finite numbers")
        return a

    def _make_observer(self, posterior):
        task = self.task
        if posterior is False:
            return None
        if task.hs is not None:
            if task.hs.reward == "count" and not task.dense:
                self.notes.append(
                    "ideal observer not tracked: the sparse partial-credit return of a HiddenString "
                    "has no closed-form posterior; use match_count(TokenMDP(V, T)) on a small MDP"
                )
                return None
            return _HiddenStringObserver(task)
        cells = task.n_xi * self.n * (task.T if task.dense else 1)
        if posterior == "auto" and cells > MAX_OBSERVER_CELLS:
            self.notes.append(
                f"ideal observer not tracked: |Ξ|·batch{'·T' if task.dense else ''} = {cells} "
                f"> MAX_OBSERVER_CELLS = {MAX_OBSERVER_CELLS} per update; pass posterior=True to "
                "force it (slow) or use a smaller family"
            )
            return None
        return _FamilyObserver(task)

    def update(self, b: _Batch, r: np.ndarray) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def run(self) -> TrainingCurve:
        task, tab, n = self.task, self.tab, self.n
        gp = self.gamma ** np.arange(task.T, dtype=float)
        rows_u, rows_J, rows_s, rows_m, rows_hx, rows_hp = [0], [task.exact_J(tab)], [np.nan], [np.nan], [], []
        if self.observer is not None:
            hx, hp = self.observer.entropies()
            rows_hx.append(hx)
            rows_hp.append(hp)
        trajs = []
        succ = ret = 0.0
        count = 0
        for u in range(1, self.n_updates + 1):
            b = _rollout(tab, n, self.rng, task.end_token)
            r = task.step_rewards(b)
            self.update(b, r)  # before the observer sees the batch (critic="posterior")
            if self.observer is not None:
                self.observer.add(b, r)
            trajs.append(b.k)
            succ += float((task.task_return(b, r) >= task.J_star - _SUCCESS_TOL).sum())
            ret += float((gp[:, None] * r).sum())
            count += n
            if u % self.eval_every == 0 or u == self.n_updates:
                rows_u.append(u)
                rows_J.append(task.exact_J(tab))
                rows_s.append(succ / count)
                rows_m.append(ret / count)
                succ = ret = 0.0
                count = 0
                if self.observer is not None:
                    hx, hp = self.observer.entropies()
                    rows_hx.append(hx)
                    rows_hp.append(hp)
        expandable = tab.n_prefixes * task.V <= MAX_TABLE_ENTRIES
        if not expandable:
            self.notes.append("final logits/critic not returned: the prefix table is too large to expand")
        updates = np.array(rows_u, dtype=np.int64)
        return TrainingCurve(
            algorithm=self.algorithm,
            updates=updates,
            episodes=updates * n,
            J=np.array(rows_J),
            J_star=task.J_star,
            success_rate=np.array(rows_s),
            mean_return=np.array(rows_m),
            entropy_xi=np.array(rows_hx) if self.observer is not None else None,
            entropy_pi_star=np.array(rows_hp) if self.observer is not None else None,
            trajectories=np.concatenate(trajs),
            logits=tab.full_logits().copy() if expandable else None,
            critic=tab.full_values().copy() if expandable and self.has_critic else None,
            settings=self.settings,
            note="; ".join(self.notes),
        )

    has_critic = False


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


# ============================================================================ gradient estimators
def _batch_of(mdp: TokenMDP, logits: Any, trajectories: Any) -> _Batch:
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    table = softmax_policy(mdp, logits).table  # validates; forced rows after an end token
    tr = np.asarray(trajectories)
    if tr.ndim != 1 or tr.size == 0 or tr.dtype.kind not in "iu":
        raise ValueError(
            f"trajectories must be a non-empty 1-D array of integer trajectory indices, got shape "
            f"{tr.shape} and dtype {tr.dtype}"
        )
    tr = tr.astype(np.int64)
    if tr.min() < 0 or tr.max() >= mdp.n_trajectories:
        raise ValueError(f"trajectory indices must lie in 0..{mdp.n_trajectories - 1}")
    rows = mdp.prefix_ids(tr).T
    toks = mdp.decode(tr).T.astype(np.int64)
    return _Batch(rows, toks, table[rows], tr)


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


# ============================================================================ summaries
def _check_curve(curve: Any) -> TrainingCurve:
    if not isinstance(curve, TrainingCurve):
        raise ValueError(f"curve must be a TrainingCurve (from reinforce/actor_critic), got {type(curve).__name__}")
    return curve


def episodes_to_solve(curve: TrainingCurve, threshold: float = 0.9) -> float:
    """The first episode count at which the exact ``J`` reaches ``threshold · J*`` (§3.1, §4).

    Precisely: the first row with ``J >= J* - (1 - threshold)·|J*|`` (``= threshold·J*`` for
    ``J* >= 0``). The answer is resolved to the curve's rows (``eval_every``).

    Parameters
    ----------
    curve : TrainingCurve
    threshold : float
        In ``(0, 1]``.

    Returns
    -------
    int or float
        The number of episodes seen (an int), or ``math.inf`` if never reached.

    Raises
    ------
    ValueError
        A threshold outside ``(0, 1]`` or a curve that is not a :class:`TrainingCurve`.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> c = reinforce(exact_match(TokenMDP(2, 2)), xi=0, n_updates=50, batch_size=4, lr=2.0, seed=0)
    >>> n = episodes_to_solve(c, 0.9)
    >>> 0 < n <= 200, episodes_to_solve(c, 1.0)
    (True, inf)
    """
    curve = _check_curve(curve)
    thr = check_rate(threshold, "threshold", at_most_one=True, hint="a share of J*, e.g. 0.9")
    goal = curve.J_star - (1.0 - thr) * abs(curve.J_star)
    hit = np.flatnonzero(curve.J >= goal - 1e-12)
    return int(curve.episodes[hit[0]]) if hit.size else math.inf


def _quantiles(x: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = np.quantile(x, [0.25, 0.5, 0.75], axis=axis, method="inverted_cdf")
    return q[1], q[0], q[2]


@dataclass(frozen=True)
class SeedSummary:
    """Several runs of one learner, summarised by median and quartiles (§3.1, §3.2, §4).

    Quantiles are order statistics (inverted CDF), so an unsolved run counts as ``inf`` episodes.

    Attributes
    ----------
    algorithm : str
    threshold : float
        The ``threshold`` of :func:`episodes_to_solve`.
    seeds, xis : tuple of int
        The seed and the true ξ of every run.
    runs : tuple of TrainingCurve
    episodes_to_solve : numpy.ndarray, shape (n_runs,)
        Per run (``inf`` if never solved).
    episodes : numpy.ndarray
        The common episode axis of the curves.
    J_median, J_q25, J_q75 : numpy.ndarray
        Exact ``J`` across runs at each row.
    entropy_median, entropy_q25, entropy_q75 : numpy.ndarray or None
        ``H(ξ | D)`` across runs (None if not tracked).

    Examples
    --------
    See :func:`run_seeds`.

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> s = run_seeds("actor_critic", exact_match(TokenMDP(2, 2)), 1, [0, 1], n_updates=30,
    ...               batch_size=4, lr_actor=2.0)
    >>> s.seeds, s.xis, s.solved_fraction
    ((0, 1), (1, 1), 1.0)
    """

    algorithm: str
    threshold: float
    seeds: tuple
    xis: tuple
    runs: tuple = field(repr=False)
    episodes_to_solve: np.ndarray
    episodes: np.ndarray = field(repr=False)
    J_median: np.ndarray = field(repr=False)
    J_q25: np.ndarray = field(repr=False)
    J_q75: np.ndarray = field(repr=False)
    entropy_median: np.ndarray | None = field(repr=False)
    entropy_q25: np.ndarray | None = field(repr=False)
    entropy_q75: np.ndarray | None = field(repr=False)

    @property
    def solved_fraction(self) -> float:
        """Share of runs that reached the threshold."""
        return float(np.isfinite(self.episodes_to_solve).mean())

    @property
    def median_episodes(self) -> float:
        """Median episodes to solve (``inf`` if at most half the runs solved)."""
        return float(_quantiles(self.episodes_to_solve)[0])

    @property
    def quartiles(self) -> tuple[float, float]:
        """Lower and upper quartile of the episodes to solve."""
        _, lo, hi = _quantiles(self.episodes_to_solve)
        return float(lo), float(hi)

    def describe(self) -> str:
        """One line: median and quartiles of episodes to solve, and how many runs solved."""
        lo, hi = self.quartiles
        solved = int(np.isfinite(self.episodes_to_solve).sum())
        return (f"{self.algorithm}: episodes to reach {self.threshold:g}·J*: median "
                f"{self.median_episodes:g} (quartiles {lo:g}–{hi:g}), solved {solved}/{len(self.runs)}")


_LEARNERS: dict[str, Callable[..., TrainingCurve]] = {
    "reinforce": reinforce,
    "actor_critic": actor_critic,
}


def run_seeds(
    algorithm: str,
    family: RewardFamily | HiddenString,
    xi: Any,
    seeds: int | Iterable[int],
    *,
    threshold: float = 0.9,
    **kwargs: Any,
) -> SeedSummary:
    """Run a learner for several seeds and summarise the curves (§3.1, §3.2, §4).

    Shows a progress bar over the seeds when run live (silent in the book build).

    Parameters
    ----------
    algorithm : {"reinforce", "actor_critic"}
    family : RewardFamily or HiddenString
    xi : int or "prior"
        The true ξ of every run, or ``"prior"``: run ``i`` draws its own ξ from the family's prior
        (uniform for a HiddenString) with a generator seeded by ``(seed_i, 1)``, independent of
        the learner's episodes.
    seeds : int or iterable of int
        ``n`` for seeds ``0 .. n-1``, or the seeds themselves (non-negative ints).
    threshold : float
        For :func:`episodes_to_solve`.
    **kwargs
        Arguments of the learner (``n_updates``, ``batch_size``, ``lr``, ...).

    Returns
    -------
    SeedSummary

    Raises
    ------
    ValueError
        An unknown algorithm, no seeds, a seed that is not a non-negative int, a threshold outside
        ``(0, 1]``, ``seed`` among the kwargs, or any error of the learner.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> s = run_seeds("reinforce", exact_match(TokenMDP(2, 3)), "prior", 4, n_updates=40,
    ...               batch_size=8, lr=2.0, baseline="mean")
    >>> len(s.runs), s.solved_fraction, s.J_median.shape
    (4, 1.0, (41,))
    """
    if algorithm not in _LEARNERS:
        raise ValueError(f"unknown algorithm {algorithm!r}; valid: {', '.join(_LEARNERS)}")
    if "seed" in kwargs:
        raise ValueError("pass the seeds as `seeds`, not seed=")
    check_rate(threshold, "threshold", at_most_one=True, hint="a share of J*, e.g. 0.9")
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seed_list = list(range(check_int(seeds, "seeds", 1, "run at least one seed")))
    else:
        try:
            seed_list = list(seeds)
        except TypeError:
            raise ValueError(f"seeds must be an int or an iterable of ints, got {seeds!r}") from None
        if not seed_list:
            raise ValueError("seeds is empty; give at least one seed")
        for s in seed_list:
            rng_from_seed(s)  # validates: a non-negative int
    draw = isinstance(xi, str)
    if draw and xi != "prior":
        raise ValueError(f"xi must be an int or 'prior', got {xi!r}")
    runs, xis = [], []
    for s in progress(seed_list, total=len(seed_list), desc=f"{algorithm} seeds"):
        x = xi
        if draw:
            g = np.random.default_rng((int(s), 1))
            if isinstance(family, HiddenString):
                x = int(g.integers(family.n_xi))
            elif isinstance(family, RewardFamily):
                x = int(g.choice(family.n_xi, p=family.prior))
            else:
                _Task(family, 0, False)  # raises the family type error
        c = _LEARNERS[algorithm](family, x, seed=int(s), **kwargs)
        runs.append(c)
        xis.append(int(c.settings["xi"]))
    ets = np.array([episodes_to_solve(c, threshold) for c in runs], dtype=float)
    J = np.stack([c.J for c in runs])
    Jm, Jlo, Jhi = _quantiles(J)
    ent = None
    if all(c.entropy_xi is not None for c in runs):
        ent = _quantiles(np.stack([c.entropy_xi for c in runs]))
    return SeedSummary(
        algorithm=algorithm,
        threshold=float(threshold),
        seeds=tuple(int(s) for s in seed_list),
        xis=tuple(xis),
        runs=tuple(runs),
        episodes_to_solve=ets,
        episodes=runs[0].episodes,
        J_median=Jm,
        J_q25=Jlo,
        J_q75=Jhi,
        entropy_median=None if ent is None else ent[0],
        entropy_q25=None if ent is None else ent[1],
        entropy_q75=None if ent is None else ent[2],
    )
