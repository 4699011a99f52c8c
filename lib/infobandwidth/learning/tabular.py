"""Tabular softmax policies on the prefix tree, batched rollouts, and the hidden-string task (§3).

Both learners keep a table of logits with one row per prefix; :class:`_Table` holds it (dense, or
lazy for large ``V**T``), :func:`_rollout` samples a batch of episodes from it. :class:`HiddenString`
is the hidden-string task without enumerating the ``V**T`` strings, for large ``V`` and ``T``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infobandwidth.base.validate import (
    check_bool,
    check_choice,
    check_int,
)
from infobandwidth.model.mdp import (
    MAX_TRAJECTORIES,
    TokenMDP,
)
from infobandwidth.model.rewards import RewardFamily

__all__ = [
    "MAX_TABLE_ENTRIES",
    "HiddenString",
]

#: Largest dense logits table (``n_prefixes · V`` entries) that ``table="auto"`` allocates.
MAX_TABLE_ENTRIES = 1 << 22

_RENORM = 30.0  # shift a logits row when its maximum leaves [-_RENORM, _RENORM]


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
