"""Reward families with priors over ξ, learning signals, and the optimal policy π*_ξ (§2.2, §2.5).

Used in §2.2 (the Bayesian formulation: a prior p(ξ) over reward functions induces p(π*)),
§2.5 (the learning signal S as a function of τ and ξ), §3.1 (sparse return G) and §3.2 (dense
per-token rewards).

Reward families
---------------
A family is a set of reward functions ``R_ξ`` on a :class:`~infobandwidth.mdp.TokenMDP`, indexed by
``ξ = 0 .. n_xi-1``, with a prior. Four are built in (:func:`make_family` builds any by name):

``exact_match``   ξ is a hidden string; ``R = 1`` if the episode equals it, else 0.
``match_count``   ξ is a hidden string; ``R`` = number of matching positions quantised to ``B``
                  levels, scaled to ``[0, 1]``.
``token_utility`` ξ is a table ``u[t, token]`` (or ``u[token]``) with entries from a small set;
                  ``R = Σ_t u[t, x_t]``.
``table``         a user table of shape ``(V**T, |Ξ|)`` with a user prior.

Every family has a **sparse** version (``R_ξ(s_T)`` paid at the end) and a **dense** version
(``r_t`` paid for the ``t``-th token). The dense rewards telescope a potential Φ_ξ over prefixes,
``r_t = Φ(s_{t+1}) - Φ(s_t)`` with ``Φ(s_0) = 0`` and ``Φ(s_T) = R_ξ(s_T)``, so the undiscounted
dense return equals the sparse one: both versions define the same task and the same π*_ξ,
and differ only in what the learner is shown (which is what §3.1 vs §3.2 compares). The
potentials are: matched prefix length (exact match), quantised running match count
(match count), running utility sum (token utility), and 0 until the end (user tables, unless a
dense table is given).

The optimal policy π*_ξ
-----------------------
Transitions are deterministic and known, so a policy maximises ``J(π; R_ξ)`` iff it generates,
from ``s_0``, a trajectory of maximal reward. Behaviour off that path does not change ``J``, so
"the" optimal policy is only unique once we (i) break ties and (ii) ignore unreachable states.
We define **π*_ξ as the optimal trajectory**: the lexicographically smallest ``τ`` maximising
``R_ξ(τ)`` (in index order, a first ``argmax``). Equivalently, it is the deterministic optimal
policy that at every tie picks the smallest token, restricted to the states it reaches. Two ξ
have the same π* iff they have the same optimal trajectory. :func:`optimal_policy` also gives the
full (all-prefix) deterministic policy for plotting; its path from ``s_0`` is the same trajectory.
π* always refers to the task (the sparse, undiscounted return), whichever signal is observed.

Learning signals
----------------
A signal ``S = f(τ, ξ)``, optionally passed through a noisy channel. Built in
(:func:`make_signal`): ``return`` (S = G), ``quantised_return`` (G in ``B`` equal-width bins),
``dense`` (the vector of per-step rewards), ``noisy_return`` (G through a channel),
``table`` (a user table of values, shape ``(V**T, |Ξ|)``) and ``callable`` (``fn(tokens, xi)``).

Floating-point rewards are rounded to 12 decimals so that equal rewards compare equal.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ._validate import as_array, as_distribution, check_enumerable
from .mdp import Policy, TokenMDP, _check_int, deterministic_policy, expected_return

__all__ = [
    "FAMILY_NAMES",
    "SIGNAL_NAMES",
    "MAX_XI",
    "MAX_PAIRS",
    "RewardFamily",
    "ExactMatch",
    "MatchCount",
    "TokenUtility",
    "TableFamily",
    "exact_match",
    "match_count",
    "token_utility",
    "reward_table",
    "make_family",
    "Signal",
    "ReturnSignal",
    "QuantisedReturn",
    "DenseRewards",
    "NoisySignal",
    "TableSignal",
    "CallableSignal",
    "make_signal",
    "as_signal",
    "OptimalPolicies",
    "optimal_policies",
    "optimal_policy",
    "TIE_BREAKS",
    "optimal_policy_counts",
    "string_prior",
]

#: Largest number of reward parameters ξ a family enumerates.
MAX_XI = 10_000_000
#: Largest number of (ξ, τ) pairs any exact computation enumerates (see
#: :mod:`infobandwidth.bandwidth`; above it use :mod:`infobandwidth.montecarlo`).
MAX_PAIRS = 50_000_000
#: Largest number of (ξ, τ) pairs a :class:`CallableSignal` calls its function on.
MAX_CALLABLE_PAIRS = 1_000_000

_CHUNK = 1 << 21  # (ξ, τ) pairs handled per vectorised block


def _r12(x: np.ndarray) -> np.ndarray:
    return np.round(x, 12)


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def _grid_lookup(levels: np.ndarray) -> tuple[float, float, np.ndarray] | None:
    """``(lo, q, table)`` if every level is ``lo + q·j`` for small integers ``j``, else None."""
    if len(levels) < 2:
        return (float(levels[0]), 1.0, np.zeros(1, dtype=np.int64))
    lo = float(levels[0])
    q = float(np.min(np.diff(levels)))
    j = (levels - lo) / q
    if q <= 0 or j[-1] > 1_000_000 or np.abs(j - np.rint(j)).max() > 1e-6:
        return None
    j = np.rint(j).astype(np.int64)
    table = np.full(j[-1] + 1, -1, dtype=np.int64)
    table[j] = np.arange(len(levels))
    if (table < 0).any():  # values between levels: map to the nearest level
        filled = np.maximum.accumulate(np.where(table >= 0, np.arange(len(table)), 0))
        table = table[filled]
    return lo, q, table


def _row_chunks(n_rows: int, n_cols: int, pairs: int = _CHUNK):
    step = max(1, pairs // max(1, n_cols))
    for a in range(0, n_rows, step):
        yield a, min(n_rows, a + step)


def _check_prior(prior: Any, n_xi: int) -> np.ndarray:
    if prior is None:
        return np.full(n_xi, 1.0 / n_xi)
    p = as_distribution(prior, name="prior", ndim=1)
    if p.shape != (n_xi,):
        raise ValueError(
            f"prior has {p.shape[0]} entries but the family has |Ξ| = {n_xi} reward parameters; "
            "give one probability per ξ"
        )
    return np.array(p, dtype=np.float64)


# ============================================================================ families
class RewardFamily:
    """Base class of reward families (§2.2). Use the builders, e.g. :func:`exact_match`.

    Parameters
    ----------
    mdp : TokenMDP
        The token-level MDP the rewards are defined on.
    n_xi : int
        ``|Ξ|``.
    prior : array_like or None
        ``p(ξ)``; uniform if None.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> fam = exact_match(TokenMDP(2, 1), prior=[0.9, 0.1])
    >>> fam.n_xi, fam.prior.tolist(), fam.sparse_table().tolist()
    (2, [0.9, 0.1], [[1.0, 0.0], [0.0, 1.0]])
    >>> fam.with_prior([0.5, 0.5]).prior.tolist()
    [0.5, 0.5]

    Attributes
    ----------
    name : str
        The family's kind (``"exact_match"``, ...).
    mdp : TokenMDP
    n_xi : int
        ``|Ξ|``, the number of reward parameters.
    prior : numpy.ndarray, shape (n_xi,)
        ``p(ξ)`` (read-only).
    """

    name = "family"

    def __init__(self, mdp: TokenMDP, n_xi: int, prior: Any) -> None:
        if not isinstance(mdp, TokenMDP):
            raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
        self.mdp = mdp
        self.n_xi = int(n_xi)
        p = _check_prior(prior, self.n_xi)
        p.flags.writeable = False
        self.prior = p
        self._cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.mdp!r}, n_xi={self.n_xi})"

    # -- to implement
    def _sparse(self, xi: np.ndarray, tr: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _potential(self, xi: np.ndarray, tr: np.ndarray) -> np.ndarray:
        """Φ_ξ(s_t) for t = 0..T, shape (k, m, T+1); default: 0 until the end, then R."""
        phi = np.zeros((len(xi), len(tr), self.mdp.T + 1))
        phi[:, :, -1] = self._sparse(xi, tr)
        return phi

    def label(self, xi: int) -> str:
        """A readable label for reward parameter ``xi``."""
        return f"ξ{int(xi)}"

    # -- overridable fast paths
    def _levels(self) -> np.ndarray:
        """Sorted superset of the values the sparse reward takes."""
        vals = [np.unique(self._sparse(np.arange(a, b), np.arange(self.mdp.n_trajectories)))
                for a, b in _row_chunks(self.n_xi, self.mdp.n_trajectories)]
        return np.unique(np.concatenate(vals))

    def _return_codes(self, xi: np.ndarray, tr: np.ndarray) -> np.ndarray:
        """Index of R_ξ(τ) in :meth:`return_levels`, shape (k, m)."""
        return self._codes_of_values(self._sparse(xi, tr))

    def _codes_of_values(self, r: np.ndarray) -> np.ndarray:
        """Index of each reward value in :meth:`return_levels` (values need not be rounded).

        When the levels lie on a grid ``lo + q·j`` (e.g. sums of 0/1 utilities) the index is
        read from a lookup table after one multiply-and-round; otherwise by binary search.
        """
        levels = self.return_levels()
        grid = self._grid()
        if grid is not None:
            lo, q, table = grid
            j = np.rint((r - lo) * (1.0 / q)).astype(np.int64)
            np.clip(j, 0, len(table) - 1, out=j)
            return table[j]
        codes = np.searchsorted(levels, _r12(r))
        np.minimum(codes, len(levels) - 1, out=codes)
        return codes

    def _grid(self) -> tuple[float, float, np.ndarray] | None:
        """The return levels as a grid ``lo + q·j`` with a lookup table (see ``_grid_lookup``)."""
        if "grid" not in self._cache:
            self._cache["grid"] = _grid_lookup(self.return_levels())
        return self._cache["grid"]

    def _potential_levels(self) -> list[np.ndarray] | None:
        """Supersets of the values of Φ'(s_1) .. Φ'(s_T) (see :meth:`potential_levels`), or None."""
        return None

    def _potential_codes(self, xi: np.ndarray, tr: np.ndarray) -> np.ndarray | None:
        """Fast path: index of Φ'(s_t) in ``potential_levels()[t-1]``, shape (k, m, T), or None."""
        return None

    def _optimal(self) -> tuple[np.ndarray, np.ndarray] | None:
        return None

    # -- public
    @property
    def labels(self) -> list[str]:
        """Readable labels of every ξ (list of ``n_xi`` strings)."""
        return [self.label(i) for i in range(self.n_xi)]

    def with_prior(self, prior: Any) -> "RewardFamily":
        """The same family with another prior over ξ (validated)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        p = _check_prior(prior, self.n_xi)
        p.flags.writeable = False
        new.prior = p
        new._cache = {k: v for k, v in self._cache.items() if not k.startswith("optimal")}
        return new

    def return_levels(self) -> np.ndarray:
        """Sorted values the sparse reward ``R_ξ(s_T)`` can take (a superset of those that occur)."""
        if "levels" not in self._cache:
            lv = _r12(np.asarray(self._levels(), dtype=np.float64))
            self._cache["levels"] = np.unique(lv)
        return self._cache["levels"]

    def potential_levels(self) -> list[np.ndarray]:
        """For ``t = 1..T``, the sorted values the running return ``Φ'(s_t) = r_0 + .. + r_{t-1}``
        can take (a superset). The dense reward vector and the vector of running returns
        determine each other, so :class:`DenseRewards` codes the latter."""
        if "potential_levels" not in self._cache:
            lv = self._potential_levels()
            if lv is None:
                n_tr = self.mdp.n_trajectories
                parts: list[list[np.ndarray]] = [[] for _ in range(self.mdp.T)]
                for a, b in _row_chunks(self.n_xi, n_tr * (self.mdp.T + 1)):
                    phi = self._phi(np.arange(a, b), np.arange(n_tr))
                    for t in range(self.mdp.T):
                        parts[t].append(np.unique(_r12(phi[:, :, t + 1])))
                lv = [np.unique(np.concatenate(p)) for p in parts]
            self._cache["potential_levels"] = [np.unique(_r12(np.asarray(v, float))) for v in lv]
        return self._cache["potential_levels"]

    def _phi(self, xi: np.ndarray, tr: np.ndarray) -> np.ndarray:
        """Φ'(s_0..s_T), shape (k, m, T+1): the potential, frozen at R once the episode ended."""
        phi = self._potential(xi, tr)
        if self.mdp.end_token is not None:
            ended = ~self.mdp.alive[tr]  # ended[:, t]: s_t is after the end token (t < T)
            last = phi[:, :, -1:]
            body = phi[:, :, :-1]
            phi = np.concatenate([np.where(ended[None], last, body), last], axis=2)
        return phi

    def _dense(self, xi: np.ndarray, tr: np.ndarray) -> np.ndarray:
        return _r12(np.diff(self._phi(xi, tr), axis=2))

    def _xi(self, xi: Any) -> int:
        xi = _check_int(xi, "xi", 0, f"ξ indexes the family's {self.n_xi} reward parameters")
        if xi >= self.n_xi:
            raise ValueError(f"xi must lie in 0..{self.n_xi - 1}, got {xi}")
        return xi

    def sparse_rewards(self, xi: int) -> np.ndarray:
        """``R_ξ(s_T)`` for every trajectory, shape ``(V**T,)`` (§2.1 sparse reward)."""
        xi = self._xi(xi)
        return self._sparse(np.array([xi]), np.arange(self.mdp.n_trajectories))[0]

    def dense_rewards(self, xi: int) -> np.ndarray:
        """Per-step rewards ``r_t`` for every trajectory, shape ``(V**T, T)`` (§3.2 dense reward)."""
        xi = self._xi(xi)
        return self._dense(np.array([xi]), np.arange(self.mdp.n_trajectories))[0]

    def sparse_table(self) -> np.ndarray:
        """The sparse reward table ``R[ξ, τ]``, shape ``(n_xi, V**T)``.

        Raises
        ------
        ValueError
            If ``n_xi · V**T`` exceeds :data:`MAX_PAIRS`.
        """
        check_enumerable(self.n_xi * self.mdp.n_trajectories, MAX_PAIRS,
                         "the reward table (ξ, τ)", "sparse_rewards(xi) one ξ at a time")
        return self._sparse(np.arange(self.n_xi), np.arange(self.mdp.n_trajectories))

    def dense_table(self) -> np.ndarray:
        """The dense rewards ``r[ξ, τ, t]``, shape ``(n_xi, V**T, T)``.

        Raises
        ------
        ValueError
            If ``n_xi · V**T · T`` exceeds :data:`MAX_PAIRS`.
        """
        check_enumerable(self.n_xi * self.mdp.n_trajectories * self.mdp.T, MAX_PAIRS,
                         "the dense reward table (ξ, τ, t)", "dense_rewards(xi) one ξ at a time")
        return self._dense(np.arange(self.n_xi), np.arange(self.mdp.n_trajectories))

    def expected_return(
        self, policy: Policy, xi: int, *, dense: bool = False, gamma: float = 1.0
    ) -> float:
        """Exact ``J(π; ξ)`` for the sparse (default) or dense version (§2.1)."""
        r = self.dense_rewards(xi) if dense else self.sparse_rewards(xi)
        return expected_return(policy, r, gamma=gamma)


def _gather_sum(tables: np.ndarray, mdp: TokenMDP, tr: np.ndarray, alive_only: bool) -> np.ndarray:
    """``out[ξ, τ] = Σ_t tables[t, x_t(τ), ξ]`` (only steps taken if ``alive_only``), shape (k, m).

    Each step gathers whole rows of length k (contiguous), which is several times faster than
    a matrix product on shared cores (no BLAS threads) and keeps small integer dtypes.
    """
    toks = mdp.trajectories()[tr]
    out = np.zeros((len(tr), tables.shape[2]), dtype=tables.dtype)
    alive = mdp.alive[tr] if alive_only and mdp.end_token is not None else None
    for t in range(mdp.T):
        rows = tables[t][toks[:, t]]
        if alive is not None:
            rows *= alive[:, t][:, None]
        out += rows
    return np.ascontiguousarray(out.T)


def _hidden_string_targets(mdp: TokenMDP) -> np.ndarray:
    return np.flatnonzero(mdp.valid).astype(np.int64)


class ExactMatch(RewardFamily):
    """ξ = a hidden string; ``R_ξ(τ) = 1`` iff ``τ`` equals it (see :func:`exact_match`).

    Used in §2.2 and §2.5.

    Parameters
    ----------
    See :func:`exact_match`, which builds it.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> isinstance(exact_match(TokenMDP(2, 1)), ExactMatch)
    True
    """

    name = "exact_match"

    def __init__(self, mdp: TokenMDP, prior: Any = None) -> None:
        self.targets = _hidden_string_targets(mdp) if isinstance(mdp, TokenMDP) else None
        super().__init__(mdp, 0 if self.targets is None else len(self.targets), prior)

    def label(self, xi: int) -> str:
        return self.mdp.label(int(self.targets[int(xi)]))

    def _sparse(self, xi, tr):
        return (self.targets[xi][:, None] == tr[None, :]).astype(np.float64)

    def _return_codes(self, xi, tr):
        return (self.targets[xi][:, None] == tr[None, :]).astype(np.int8)

    def _levels(self):
        return np.array([0.0, 1.0])

    def _potential(self, xi, tr):
        T, V = self.mdp.T, self.mdp.V
        tg = self.targets[xi]
        phi = np.zeros((len(xi), len(tr), T + 1))
        for t in range(1, T + 1):
            d = V ** (T - t)
            phi[:, :, t] = (tg[:, None] // d == tr[None, :] // d) * (t / T)
        return phi

    def _potential_levels(self):
        if self.mdp.end_token is not None:
            return None
        T = self.mdp.T
        return [np.array([0.0, t / T]) for t in range(1, T + 1)]

    def _potential_codes(self, xi, tr):
        if self.mdp.end_token is not None:
            return None
        T, V = self.mdp.T, self.mdp.V
        tg = self.targets[xi]
        out = np.empty((len(xi), len(tr), T), dtype=np.int8)
        for t in range(1, T + 1):  # is the prefix of length t still matched?
            d = V ** (T - t)
            out[:, :, t - 1] = tg[:, None] // d == tr[None, :] // d
        return out

    def _optimal(self):
        return self.targets.copy(), np.ones(self.n_xi, dtype=np.int64)


class MatchCount(RewardFamily):
    """ξ = a hidden string; ``R`` = matching positions quantised to ``B`` levels (:func:`match_count`).

    Used in §2.2 and §2.5.

    Parameters
    ----------
    See :func:`match_count`, which builds it.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> isinstance(match_count(TokenMDP(2, 1)), MatchCount)
    True
    """

    name = "match_count"

    def __init__(self, mdp: TokenMDP, levels: int | None = None, prior: Any = None) -> None:
        if not isinstance(mdp, TokenMDP):
            raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
        B = mdp.T + 1 if levels is None else levels
        B = _check_int(B, "levels", 2, f"use 2 <= levels <= T+1 = {mdp.T + 1}")
        if B > mdp.T + 1:
            raise ValueError(
                f"levels must be <= T+1 = {mdp.T + 1} (a count of 0..T matches has T+1 values), got {B}"
            )
        self.B = B
        self.targets = _hidden_string_targets(mdp)
        super().__init__(mdp, len(self.targets), prior)

    def label(self, xi: int) -> str:
        return self.mdp.label(int(self.targets[int(xi)]))

    def _q(self, c: np.ndarray) -> np.ndarray:
        return (c.astype(np.int64) * self.B) // (self.mdp.T + 1)

    def _counts(self, xi, tr):
        # matching positions: Σ_t [target_t == x_t], as row gathers of one-hot targets
        tg = self.mdp.trajectories()[self.targets[xi]]  # (k, T)
        onehot = (tg.T[:, None, :] == np.arange(self.mdp.V)[None, :, None]).astype(np.int16)
        return _gather_sum(onehot, self.mdp, tr, alive_only=False)  # (T, V, k) tables

    def _return_codes(self, xi, tr):
        qtab = self._q(np.arange(self.mdp.T + 1)).astype(np.int16)
        return qtab[self._counts(xi, tr)]

    def _sparse(self, xi, tr):
        return _r12(self._return_codes(xi, tr) / (self.B - 1))

    def _levels(self):
        return np.arange(self.B) / (self.B - 1)

    def _potential(self, xi, tr):
        traj = self.mdp.trajectories()
        a, b = traj[self.targets[xi]], traj[tr]
        T = self.mdp.T
        phi = np.zeros((len(xi), len(tr), T + 1))
        c = np.zeros((len(xi), len(tr)), dtype=np.int16)
        for t in range(T):
            c += a[:, t][:, None] == b[:, t][None, :]
            phi[:, :, t + 1] = self._q(c) / (self.B - 1)
        return phi

    def _potential_levels(self):
        if self.mdp.end_token is not None:
            return None
        return [np.arange(self.B) / (self.B - 1)] * self.mdp.T

    def _potential_codes(self, xi, tr):
        if self.mdp.end_token is not None:
            return None
        T = self.mdp.T
        tg = self.mdp.trajectories()[self.targets[xi]]
        toks = self.mdp.trajectories()[tr]
        qtab = self._q(np.arange(T + 1)).astype(np.int8)
        c = np.zeros((len(xi), len(tr)), dtype=np.int8)
        out = np.empty((len(xi), len(tr), T), dtype=np.int8)
        for t in range(T):  # running count of matches, quantised
            c += tg[:, t][:, None] == toks[:, t][None, :]
            out[:, :, t] = qtab[c]
        return out

    def _optimal(self):
        if self.mdp.end_token is not None:
            return None
        T, V, B = self.mdp.T, self.mdp.V, self.B
        c_min = -(-(B - 1) * (T + 1) // B)  # smallest count in the top level
        tg = self.mdp.trajectories()[self.targets].astype(np.int64)
        m = np.zeros(self.n_xi, dtype=np.int64)
        out = np.zeros(self.n_xi, dtype=np.int64)
        for t in range(T):
            zero_ok = (tg[:, t] == 0) | (m + T - t - 1 >= c_min)
            tok = np.where(zero_ok, 0, tg[:, t])
            m += tok == tg[:, t]
            out = out * V + tok
        n_opt = sum(math.comb(T, k) * (V - 1) ** (T - k) for k in range(c_min, T + 1))
        return out, np.full(self.n_xi, n_opt, dtype=np.int64)


class TokenUtility(RewardFamily):
    """ξ = a utility table ``u[t, token]`` with entries from a small set (:func:`token_utility`).

    Used in §2.2 and §2.5.

    Parameters
    ----------
    See :func:`token_utility`, which builds it.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> isinstance(token_utility(TokenMDP(2, 1)), TokenUtility)
    True
    """

    name = "token_utility"

    def __init__(
        self,
        mdp: TokenMDP,
        values: Sequence[float] = (0.0, 1.0),
        prior: Any = None,
        value_probs: Any = None,
        shared: bool = False,
    ) -> None:
        if not isinstance(mdp, TokenMDP):
            raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
        vals = as_array(values, name="values", ndim=1)
        if not np.isfinite(vals).all():
            raise ValueError("values must be finite numbers")
        if len(np.unique(vals)) != len(vals):
            raise ValueError(f"values must be distinct, got {vals.tolist()}")
        self.values = _r12(vals)
        self.shared = bool(shared)
        self.n_cells = mdp.V if self.shared else mdp.T * mdp.V
        m = len(vals)
        n_xi = check_enumerable(
            m**self.n_cells, MAX_XI,
            f"the set of utility tables ({m} values ^ {self.n_cells} cells)",
            "fewer values, shared=True (one utility per token), or a smaller MDP",
        )
        if value_probs is not None:
            if prior is not None:
                raise ValueError("give either prior or value_probs, not both")
            vp = as_distribution(value_probs, name="value_probs", ndim=1)
            if vp.shape != (m,):
                raise ValueError(f"value_probs has {vp.shape[0]} entries for {m} values")
            prior = np.ones(1)
            for _ in range(self.n_cells):
                prior = np.kron(prior, vp)
        super().__init__(mdp, n_xi, prior)

    def utilities(self, xi: Any) -> np.ndarray:
        """The utility tables of parameters ``xi``: shape ``(k, T, V)`` (``(T, V)`` for an int)."""
        scalar = np.ndim(xi) == 0
        x = np.atleast_1d(np.asarray(xi, dtype=np.int64))
        m = len(self.values)
        powers = m ** np.arange(self.n_cells - 1, -1, -1, dtype=np.int64)
        u = self.values[(x[:, None] // powers) % m]
        if self.shared:
            u = np.broadcast_to(u[:, None, :], (len(x), self.mdp.T, self.mdp.V))
        else:
            u = u.reshape(len(x), self.mdp.T, self.mdp.V)
        return u[0] if scalar else u

    def label(self, xi: int) -> str:
        u = self.utilities(int(xi))
        rows = [u[0]] if self.shared else u
        return "u=" + "|".join(",".join(_fmt(v) for v in row) for row in rows)

    def _per_step(self, xi, tr):
        u = self.utilities(xi)
        toks = self.mdp.trajectories()[tr]
        alive = self.mdp.alive[tr]
        for t in range(self.mdp.T):
            yield t, np.where(alive[:, t][None, :], u[:, t, :][:, toks[:, t]], 0.0)

    def _sparse(self, xi, tr):
        return _r12(self._raw_sums(xi, tr))

    def _raw_sums(self, xi, tr):
        # Σ_t u[t, x_t] over the steps taken
        u = np.ascontiguousarray(self.utilities(xi).transpose(1, 2, 0))  # (T, V, k)
        return _gather_sum(u, self.mdp, tr, alive_only=True)

    def _integer_utilities(self):
        """Without an end token, and when every value is ``v_min + q·n`` with integer ``n`` on the
        grid of the return levels: ``(n per value, lookup table)``; else None."""
        if "int_util" not in self._cache:
            res = None
            if self.mdp.end_token is None:
                grid = self._grid()
                if grid is not None:
                    lo, q, table = grid
                    n = (self.values - lo / self.mdp.T) / q
                    if np.abs(n - np.rint(n)).max() < 1e-6 and len(table) < 32767:
                        res = (np.rint(n).astype(np.int16), table)
            self._cache["int_util"] = res
        return self._cache["int_util"]

    def _return_codes(self, xi, tr):
        iu = self._integer_utilities()
        if iu is None:
            return self._codes_of_values(self._raw_sums(xi, tr))
        # the level index of the sum is a sum of small integers: no floating point at all
        n, table = iu
        m = len(self.values)
        powers = m ** np.arange(self.n_cells - 1, -1, -1, dtype=np.int64)
        digits = (np.asarray(xi, dtype=np.int64)[:, None] // powers) % m  # (k, cells)
        N = n[digits]
        if self.shared:
            N = np.broadcast_to(N[:, None, :], (len(xi), self.mdp.T, self.mdp.V))
        N = np.ascontiguousarray(N.reshape(len(xi), self.mdp.T, self.mdp.V).transpose(1, 2, 0))
        j = _gather_sum(N, self.mdp, tr, alive_only=False)
        if len(table) == len(self.return_levels()):  # every grid point is a level: identity
            return j
        return table[j]

    def _potential(self, xi, tr):
        phi = np.zeros((len(xi), len(tr), self.mdp.T + 1))
        for t, step in self._per_step(xi, tr):
            phi[:, :, t + 1] = phi[:, :, t] + step
        phi[:, :, -1] = _r12(phi[:, :, -1])
        return phi

    def _levels(self):
        sums, out = np.zeros(1), []
        for k in range(1, self.mdp.T + 1):
            sums = np.unique(_r12(sums[:, None] + self.values[None, :]))
            if self.mdp.end_token is not None or k == self.mdp.T:
                out.append(sums)
        return np.unique(np.concatenate(out))

    def _potential_levels(self):
        sums, out = np.zeros(1), []
        for t in range(1, self.mdp.T + 1):
            sums = np.unique(_r12(sums[:, None] + self.values[None, :]))
            if self.mdp.end_token is not None:
                prev = out[-1] if out else np.zeros(1)
                out.append(np.union1d(sums, prev))  # frozen after the end
            else:
                out.append(sums)
        return out

    def _optimal(self):
        if self.mdp.end_token is not None:
            return None
        T, V = self.mdp.T, self.mdp.V
        traj = np.zeros(self.n_xi, dtype=np.int64)
        n_opt = np.ones(self.n_xi, dtype=np.int64)
        for a, b in _row_chunks(self.n_xi, T * V):
            u = self.utilities(np.arange(a, b))
            best = u.max(axis=2, keepdims=True)
            tok = np.argmax(u, axis=2)  # first maximum: smallest token
            traj[a:b] = tok @ (V ** np.arange(T - 1, -1, -1, dtype=np.int64))
            n_opt[a:b] = np.prod((u == best).sum(axis=2), axis=1)
        return traj, n_opt


class TableFamily(RewardFamily):
    """A user reward table of shape ``(V**T, |Ξ|)`` with a prior (see :func:`reward_table`).

    Used in §2.2 and §2.5.

    Parameters
    ----------
    See :func:`reward_table`, which builds it.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> isinstance(reward_table(TokenMDP(2, 1), [[1], [0]]), TableFamily)
    True
    """

    name = "table"

    def __init__(self, mdp, table, prior=None, labels=None, dense=None) -> None:
        if not isinstance(mdp, TokenMDP):
            raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
        tab = as_array(table, name="reward table", ndim=2)
        n_tr = mdp.n_trajectories
        n_xi = tab.shape[1] if prior is None else np.asarray(prior).reshape(-1).shape[0]
        if tab.shape != (n_tr, n_xi):
            raise ValueError(
                f"reward table has shape {tab.shape}, expected {(n_tr, n_xi)} = (V^T, |Ξ|) with "
                f"V^T = {mdp.V}^{mdp.T} = {n_tr} trajectories and |Ξ| = {n_xi} (one column per ξ)"
            )
        if not np.isfinite(tab).all():
            raise ValueError("reward table contains NaN or inf; rewards must be finite numbers")
        super().__init__(mdp, n_xi, prior)
        self.table = _r12(np.ascontiguousarray(tab.T))
        self.table.flags.writeable = False
        if labels is not None:
            labels = [str(s) for s in labels]
            if len(labels) != n_xi:
                raise ValueError(f"labels has {len(labels)} entries for |Ξ| = {n_xi}")
        self._labels = labels
        self._dense_tab = None
        if dense is not None:
            d = as_array(dense, name="dense reward table", ndim=3)
            if d.shape != (n_tr, n_xi, mdp.T):
                raise ValueError(
                    f"dense reward table has shape {d.shape}, expected {(n_tr, n_xi, mdp.T)} = "
                    "(V^T, |Ξ|, T)"
                )
            if not np.isfinite(d).all():
                raise ValueError("dense reward table contains NaN or inf")
            self._dense_tab = _r12(np.ascontiguousarray(d.transpose(1, 0, 2)))

    def label(self, xi: int) -> str:
        return self._labels[int(xi)] if self._labels is not None else f"ξ{int(xi)}"

    def _sparse(self, xi, tr):
        return self.table[np.asarray(xi)][:, tr]

    def _levels(self):
        return np.unique(self.table)

    def _dense(self, xi, tr):
        if self._dense_tab is None:
            return super()._dense(xi, tr)
        return self._dense_tab[np.asarray(xi)][:, tr]

    def _phi(self, xi, tr):
        if self._dense_tab is None:
            return super()._phi(xi, tr)
        d = self._dense(xi, tr)
        return np.concatenate([np.zeros(d.shape[:2] + (1,)), np.cumsum(d, axis=2)], axis=2)


def exact_match(mdp: TokenMDP, prior: Any = None) -> ExactMatch:
    """Hidden-string family: ``R_ξ(τ) = 1`` iff ``τ == ξ`` (§2.2, §3.1).

    ξ ranges over the episodes of ``mdp`` (all ``V**T`` strings without an end token), in index
    order. Dense version: the potential is the matched-prefix progress ``(t/T)·[x_{1..t} = ξ_{1..t}]``,
    so each token earns ``1/T`` while the prefix still matches and gives the progress back at the
    first mismatch.

    Parameters
    ----------
    mdp : TokenMDP
    prior : array_like, optional
        ``p(ξ)``; uniform by default.

    Returns
    -------
    ExactMatch

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> fam.n_xi, fam.labels
    (4, ['aa', 'ab', 'ba', 'bb'])
    >>> fam.sparse_rewards(2)
    array([0., 0., 1., 0.])
    >>> fam.dense_rewards(2).tolist()       # rows: τ = aa, ab, ba, bb
    [[0.0, 0.0], [0.0, 0.0], [0.5, 0.5], [0.5, -0.5]]
    """
    return ExactMatch(mdp, prior)


def match_count(mdp: TokenMDP, levels: int | None = None, prior: Any = None) -> MatchCount:
    """Hidden-string family with partial credit: matching positions quantised to ``levels`` (§3.1).

    ``R = floor(c·B/(T+1)) / (B-1)`` for ``c`` matching positions, ``B = levels`` in ``2..T+1``
    (default ``T+1``: ``R = c/T``). Dense version: potential = the same quantisation of the running
    count.

    Parameters
    ----------
    mdp : TokenMDP
    levels : int, optional
        ``B``, the number of reward levels, ``2 <= B <= T+1``.
    prior : array_like, optional
        ``p(ξ)`` over the hidden strings; uniform by default.

    Returns
    -------
    MatchCount

    Raises
    ------
    ValueError
        If ``levels`` is outside ``2..T+1`` or the prior is not a distribution over ``|Ξ|``.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> fam = match_count(TokenMDP(2, 3))
    >>> fam.sparse_rewards(0).round(3).tolist()    # target aaa: share of positions that match
    [1.0, 0.667, 0.667, 0.333, 0.667, 0.333, 0.333, 0.0]
    >>> match_count(TokenMDP(2, 3), levels=2).sparse_rewards(0).tolist()
    [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    """
    return MatchCount(mdp, levels, prior)


def token_utility(
    mdp: TokenMDP,
    values: Sequence[float] = (0.0, 1.0),
    *,
    prior: Any = None,
    value_probs: Any = None,
    shared: bool = False,
) -> TokenUtility:
    """Per-token utilities: ξ is a table ``u[t, token]`` with entries in ``values`` (§2.2, §3.2).

    ``R_ξ(τ) = Σ_t u[t, x_t]`` (sparse: paid at the end; dense: ``u[t, x_t]`` paid for each token).
    ξ enumerates all ``len(values) ** (T·V)`` tables (``** V`` with ``shared=True``, one utility per
    token whatever its position), first cell most significant.

    Parameters
    ----------
    values : sequence of float
        The distinct values a utility can take.
    prior : array_like, optional
        ``p(ξ)`` over all tables; uniform by default.
    value_probs : array_like, optional
        Alternative to ``prior``: each cell independently takes ``values[k]`` w.p. ``value_probs[k]``.
    shared : bool
        One utility per token, shared by all positions.

    Returns
    -------
    TokenUtility

    Raises
    ------
    ValueError
        Repeated or non-finite values, too many tables (above :data:`MAX_XI`), both ``prior`` and
        ``value_probs``, or a prior that is not a distribution.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> fam = token_utility(TokenMDP(2, 2), shared=True)
    >>> fam.labels
    ['u=0,0', 'u=0,1', 'u=1,0', 'u=1,1']
    >>> fam.sparse_rewards(1).tolist()          # u[a]=0, u[b]=1: count the b's
    [0.0, 1.0, 1.0, 2.0]
    """
    return TokenUtility(mdp, values, prior, value_probs, shared)


def reward_table(
    mdp: TokenMDP,
    table: Any,
    prior: Any = None,
    *,
    labels: Sequence[str] | None = None,
    dense: Any = None,
) -> TableFamily:
    """A user family: ``table[τ, ξ] = R_ξ(τ)``, shape ``(V**T, |Ξ|)`` (§2.2).

    Parameters
    ----------
    table : array_like, shape (V**T, n_xi)
    prior : array_like, optional
        ``p(ξ)``, length ``n_xi``; uniform by default.
    labels : sequence of str, optional
    dense : array_like, shape (V**T, n_xi, T), optional
        Per-step rewards. Default: the sparse reward paid for the last token. π* is always taken
        from ``table``.

    Returns
    -------
    TableFamily

    Raises
    ------
    ValueError
        If the table's shape is not ``(V**T, |Ξ|)`` (both shapes are given), entries are not
        finite, or the prior is not a distribution of length ``|Ξ|``.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> fam = reward_table(TokenMDP(2, 1), [[1, 0], [0, 1]], labels=["likes a", "likes b"])
    >>> fam.sparse_rewards(1), fam.labels
    (array([0., 1.]), ['likes a', 'likes b'])
    >>> reward_table(TokenMDP(2, 2), [[1, 0], [0, 1]])
    Traceback (most recent call last):
        ...
    ValueError: reward table has shape (2, 2), expected (4, 2) = (V^T, |Ξ|) with V^T = 2^2 = 4 trajectories and |Ξ| = 2 (one column per ξ)
    """
    return TableFamily(mdp, table, prior, labels, dense)


_FAMILIES: dict[str, Callable[..., RewardFamily]] = {
    "exact_match": exact_match,
    "match_count": match_count,
    "token_utility": token_utility,
    "table": reward_table,
}
#: Names accepted by :func:`make_family`.
FAMILY_NAMES = tuple(_FAMILIES)


def make_family(name: str, mdp: TokenMDP, **kwargs: Any) -> RewardFamily:
    """Build a reward family by name (§2.2): one of :data:`FAMILY_NAMES`.

    Parameters
    ----------
    name : str
        ``"exact_match"``, ``"match_count"``, ``"token_utility"`` or ``"table"``.
    mdp : TokenMDP
    **kwargs
        The builder's arguments (e.g. ``levels=``, ``prior=``, ``table=``).

    Returns
    -------
    RewardFamily

    Raises
    ------
    ValueError
        For an unknown name (the message lists the valid names).

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> make_family("match_count", TokenMDP(2, 2), levels=2).n_xi
    4
    >>> make_family("jackpot", TokenMDP(2, 2))
    Traceback (most recent call last):
        ...
    ValueError: unknown reward family 'jackpot'; valid names: exact_match, match_count, token_utility, table
    """
    if name not in _FAMILIES:
        raise ValueError(f"unknown reward family {name!r}; valid names: {', '.join(FAMILY_NAMES)}")
    return _FAMILIES[name](mdp, **kwargs)


# ============================================================================ optimal policies
@dataclass(frozen=True)
class OptimalPolicies:
    """π*_ξ for every ξ of a family and the induced distribution p(π*) (§2.2).

    π*_ξ is the lexicographically smallest optimal trajectory (see the module docstring).

    Attributes
    ----------
    trajectory : numpy.ndarray, shape (n_xi,)
        Index of π*_ξ's trajectory for every ξ.
    n_optima : numpy.ndarray, shape (n_xi,)
        Number of optimal trajectories of ξ before tie-breaking.
    classes : numpy.ndarray, shape (n_xi,)
        ``classes[ξ]`` numbers π*_ξ among the distinct optima (0 .. n_classes-1, in trajectory order).
    class_trajectory : numpy.ndarray, shape (n_classes,)
        The trajectory of each distinct optimal policy.
    prior : numpy.ndarray, shape (n_xi,)
        The family's prior, used by the properties below.
    labels : list of str
        The trajectory of each class as text.

    Examples
    --------
    See :func:`optimal_policies`.

    >>> from infobandwidth.mdp import TokenMDP
    >>> optimal_policies(exact_match(TokenMDP(2, 1))).n_classes
    2
    """

    trajectory: np.ndarray
    n_optima: np.ndarray
    classes: np.ndarray
    class_trajectory: np.ndarray
    prior: np.ndarray
    labels: list[str] = field(repr=False)

    @property
    def n_classes(self) -> int:
        """Number of distinct optimal policies."""
        return len(self.class_trajectory)

    @property
    def tied(self) -> np.ndarray:
        """Boolean ``(n_xi,)``: ξ has several optimal trajectories before tie-breaking."""
        return self.n_optima > 1

    @property
    def n_tied(self) -> int:
        """How many ξ have ties (non-unique optima) before tie-breaking."""
        return int(self.tied.sum())

    def distribution(self, weights: Any = None) -> np.ndarray:
        """``p(π*)`` over the classes under ``weights`` over ξ (default: the prior)."""
        w = self.prior if weights is None else _check_prior(weights, len(self.prior))
        return np.bincount(self.classes, weights=w, minlength=self.n_classes)

    def entropy_xi(self, weights: Any = None) -> float:
        """``H(ξ)`` in bits under ``weights`` (default: the prior)."""
        from .measures import entropy

        w = self.prior if weights is None else _check_prior(weights, len(self.prior))
        return entropy(w)

    def entropy_pi_star(self, weights: Any = None) -> float:
        """``H(π*)`` in bits under ``weights`` over ξ (default: the prior)."""
        from .measures import entropy

        return entropy(self.distribution(weights))

    @property
    def H_xi(self) -> float:
        """``H(ξ)`` under the prior."""
        return self.entropy_xi()

    @property
    def H_pi_star(self) -> float:
        """``H(π*)`` under the prior; ``<= H(ξ)``, with equality iff ξ ↦ π* is one-to-one on the support."""
        return self.entropy_pi_star()


def _optimal_generic(family: RewardFamily) -> tuple[np.ndarray, np.ndarray]:
    n_tr = family.mdp.n_trajectories
    check_enumerable(family.n_xi * n_tr, MAX_PAIRS, "the reward table (ξ, τ)",
                     "a family with a closed-form optimum or a smaller MDP")
    invalid = ~family.mdp.valid
    traj = np.zeros(family.n_xi, dtype=np.int64)
    n_opt = np.zeros(family.n_xi, dtype=np.int64)
    for a, b in _row_chunks(family.n_xi, n_tr):
        r = family._sparse(np.arange(a, b), np.arange(n_tr))
        if invalid.any():
            r = np.where(invalid[None, :], -np.inf, r)
        best = r.max(axis=1)
        traj[a:b] = np.argmax(r, axis=1)  # first maximum = lexicographically smallest
        n_opt[a:b] = (r == best[:, None]).sum(axis=1)
    return traj, n_opt


def optimal_policies(family: RewardFamily, tie_break: str = "first") -> OptimalPolicies:
    """π*_ξ for every ξ, ties counted, and the induced p(π*) (§2.2).

    Among the trajectories of maximal reward, π*_ξ is the lexicographically smallest; ξ's that
    share it are merged into one class. ``H(π*) <= H(ξ)``, strictly when several likely ξ share
    an optimum.

    Parameters
    ----------
    family : RewardFamily
    tie_break : {"first", "last", "set"}
        How a ξ with several optimal trajectories is mapped to one π* (§2.2):
        ``"first"`` (the default, used everywhere else in the book) takes the lexicographically
        smallest optimal trajectory, ``"last"`` the largest, and ``"set"`` identifies π*_ξ with
        the whole set of optimal trajectories (equivalently, the uniform mixture over them), so
        two ξ share π* only if they have exactly the same optima. ``"last"`` and ``"set"``
        enumerate the reward table (at most :data:`MAX_PAIRS` pairs).

    Returns
    -------
    OptimalPolicies
        Cached on the family (its prior is used by the entropy properties). With ``"last"`` and
        ``"set"``, ``trajectory`` holds the last or first optimal trajectory as representative
        and the labels of ``"set"`` list the optima, e.g. ``"{a,b}"``.

    Raises
    ------
    ValueError
        If the family has no closed-form optimum and its table exceeds :data:`MAX_PAIRS`.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> fam = token_utility(TokenMDP(2, 1))        # ξ = (u[a], u[b]) in {0,1}^2
    >>> opt = optimal_policies(fam)
    >>> opt.trajectory.tolist(), opt.n_tied        # (0,0) and (1,1) tie, broken to 'a'
    ([0, 1, 0, 0], 2)
    >>> opt.labels, opt.distribution().tolist()
    (['a', 'b'], [0.75, 0.25])
    >>> round(opt.H_xi, 3), round(opt.H_pi_star, 3)
    (2.0, 0.811)
    >>> opt_set = optimal_policies(fam, tie_break="set")   # ties kept as the set {a, b}
    >>> opt_set.labels, opt_set.distribution().tolist(), opt_set.H_pi_star
    (['a', '{a,b}', 'b'], [0.25, 0.5, 0.25], 1.5)
    """
    if not isinstance(family, RewardFamily):
        raise ValueError(f"family must be a RewardFamily, got {type(family).__name__}")
    if tie_break not in TIE_BREAKS:
        raise ValueError(f"unknown tie_break {tie_break!r}; valid rules: {', '.join(TIE_BREAKS)}")
    if tie_break != "first":
        key = f"optimal:{tie_break}"
        if key not in family._cache:
            family._cache[key] = _optimal_by_rule(family, tie_break)
        return family._cache[key]
    if "optimal" not in family._cache:
        res = family._optimal()
        traj, n_opt = res if res is not None else _optimal_generic(family)
        distinct, classes = np.unique(traj, return_inverse=True)
        for arr in (traj, n_opt, classes, distinct):
            arr.flags.writeable = False
        family._cache["optimal"] = OptimalPolicies(
            trajectory=traj,
            n_optima=n_opt,
            classes=classes.astype(np.int64),
            class_trajectory=distinct,
            prior=family.prior,
            labels=[family.mdp.label(int(t)) for t in distinct],
        )
    return family._cache["optimal"]


def optimal_policy(family: RewardFamily, xi: int) -> Policy:
    """The full deterministic optimal policy of ξ on every prefix (§2.2).

    At each prefix it picks the token whose best completion has the highest reward, the smallest
    token on ties. From ``s_0`` it generates π*_ξ's trajectory (:func:`optimal_policies`); off that
    path it is the optimal continuation, which ``J`` does not see.

    Parameters
    ----------
    family : RewardFamily
    xi : int
        The reward parameter.

    Returns
    -------
    Policy
        A deterministic policy (one token per prefix).

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> pol = optimal_policy(fam, 2)               # target "ba"
    >>> pol.trajectory_probs().tolist()
    [0.0, 0.0, 1.0, 0.0]
    >>> fam.expected_return(pol, 2)
    1.0
    """
    mdp = family.mdp
    r = family.sparse_rewards(xi)
    r = np.where(mdp.valid, r, -np.inf)
    V, T = mdp.V, mdp.T
    actions = np.zeros(mdp.n_prefixes, dtype=np.int64)
    w = r
    for t in range(T - 1, -1, -1):
        q = w.reshape(-1, V)  # q[k, a]: best reward after prefix k (length t) then token a
        actions[mdp._offsets[t] : mdp._offsets[t + 1]] = np.argmax(q, axis=1)
        w = q.max(axis=1)
    return deterministic_policy(mdp, actions, name=f"π*[{family.label(xi)}]")


#: Tie-breaking rules accepted by :func:`optimal_policies`.
TIE_BREAKS = ("first", "last", "set")


def _optimal_mask_blocks(family: RewardFamily):
    """Yield ``(a, b, mask)``: ``mask[i, τ]`` is True iff τ is optimal for ξ = a + i."""
    n_tr = family.mdp.n_trajectories
    check_enumerable(family.n_xi * n_tr, MAX_PAIRS, "the reward table (ξ, τ)",
                     "tie_break='first' (closed forms for the built-in families) or a smaller MDP")
    invalid = ~family.mdp.valid
    for a, b in _row_chunks(family.n_xi, n_tr):
        r = family._sparse(np.arange(a, b), np.arange(n_tr))
        if invalid.any():
            r = np.where(invalid[None, :], -np.inf, r)
        yield a, b, r == r.max(axis=1, keepdims=True)


def _set_label(mdp: TokenMDP, optima: np.ndarray) -> str:
    names = [mdp.label(int(t)) for t in optima]
    if len(names) == 1:
        return names[0]
    if len(names) > 4:
        return "{" + ",".join(names[:3]) + f",… ({len(names)})" + "}"
    return "{" + ",".join(names) + "}"


def _optimal_by_rule(family: RewardFamily, rule: str) -> OptimalPolicies:
    mdp = family.mdp
    n_tr = mdp.n_trajectories
    traj = np.zeros(family.n_xi, dtype=np.int64)
    n_opt = np.zeros(family.n_xi, dtype=np.int64)
    keys: list[bytes] = []
    for a, b, mask in _optimal_mask_blocks(family):
        n_opt[a:b] = mask.sum(axis=1)
        if rule == "last":
            traj[a:b] = n_tr - 1 - np.argmax(mask[:, ::-1], axis=1)
        else:
            traj[a:b] = np.argmax(mask, axis=1)
            packed = np.packbits(mask, axis=1)
            keys.extend(row.tobytes() for row in packed)
    if rule == "last":
        distinct, classes = np.unique(traj, return_inverse=True)
        labels = [mdp.label(int(t)) for t in distinct]
    else:
        # classes = distinct optimal sets, ordered by (first optimum, number of optima)
        first_of: dict[bytes, tuple[int, int]] = {}
        for x, k in enumerate(keys):
            first_of.setdefault(k, (int(traj[x]), int(n_opt[x])))
        order = sorted(first_of, key=lambda k: first_of[k])
        number = {k: i for i, k in enumerate(order)}
        classes = np.array([number[k] for k in keys], dtype=np.int64)
        distinct = np.array([first_of[k][0] for k in order], dtype=np.int64)
        labels = []
        for k in order:
            bits = np.unpackbits(np.frombuffer(k, dtype=np.uint8))[:n_tr].astype(bool)
            labels.append(_set_label(mdp, np.flatnonzero(bits)))
    classes = classes.astype(np.int64)
    for arr in (traj, n_opt, classes, distinct):
        arr.flags.writeable = False
    return OptimalPolicies(trajectory=traj, n_optima=n_opt, classes=classes,
                           class_trajectory=distinct, prior=family.prior, labels=labels)


def optimal_policy_counts(family: RewardFamily) -> np.ndarray:
    """How many deterministic policies are optimal for each ξ, before any convention (§2.2).

    A deterministic policy generates one trajectory, and it is optimal iff that trajectory is.
    Its choices at the prefixes the trajectory never visits are free, so every optimal trajectory
    ``τ`` is generated by ``V ** (live prefixes - steps of τ)`` optimal policies (live: not
    after the end token). The count is therefore more than 1 for every ξ as soon as ``T >= 2``
    and ``V >= 2``, even when the optimal *trajectory* is unique: the unique-optimum assumption
    of §2.2 holds only for policies identified by their behaviour on the optimal path.

    Parameters
    ----------
    family : RewardFamily

    Returns
    -------
    numpy.ndarray of int (object dtype), shape (n_xi,)
        Exact counts (Python integers: they grow like ``V ** (V ** (T-1))``).

    Raises
    ------
    ValueError
        If ``family`` is not a RewardFamily, or (with an end token) its table exceeds
        :data:`MAX_PAIRS`.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> optimal_policy_counts(exact_match(TokenMDP(2, 2))).tolist()   # one free prefix each
    [2, 2, 2, 2]
    >>> optimal_policy_counts(token_utility(TokenMDP(2, 1))).tolist() # T = 1: only ties count
    [2, 1, 1, 2]
    """
    if not isinstance(family, RewardFamily):
        raise ValueError(f"family must be a RewardFamily, got {type(family).__name__}")
    mdp = family.mdp
    if mdp.end_token is None:
        free = mdp.V ** (mdp.n_prefixes - mdp.T)
        n_opt = optimal_policies(family).n_optima
        return np.array([int(k) * free for k in n_opt], dtype=object)
    n_live = int(mdp.n_prefixes - mdp.dead_prefixes.sum())
    steps = mdp.alive.sum(axis=1)
    per_tau = [mdp.V ** int(n_live - s) for s in steps]
    out = np.empty(family.n_xi, dtype=object)
    for a, b, mask in _optimal_mask_blocks(family):
        for i, row in enumerate(mask):
            out[a + i] = sum(per_tau[int(t)] for t in np.flatnonzero(row))
    return out


def string_prior(mdp: TokenMDP, token_probs: Any) -> np.ndarray:
    """A prior over the ``V**T`` hidden strings whose tokens are drawn independently (§2.2).

    Position ``t`` holds token ``x`` with probability ``token_probs[x]`` (the same at every
    position) or ``token_probs[t, x]`` (one row per position). The result is indexed like the
    trajectories (first token most significant), so it is a prior for :func:`exact_match` and
    :func:`match_count`.

    Parameters
    ----------
    mdp : TokenMDP
        Without an end token.
    token_probs : array_like, shape (V,) or (T, V)
        Distribution(s) of one token.

    Returns
    -------
    numpy.ndarray, shape (V**T,)

    Raises
    ------
    ValueError
        For an MDP with an end token, a wrong shape, or rows that are not distributions.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> string_prior(TokenMDP(2, 2), [0.75, 0.25]).tolist()      # aa, ab, ba, bb
    [0.5625, 0.1875, 0.1875, 0.0625]
    >>> float(exact_match(TokenMDP(2, 2), prior=string_prior(TokenMDP(2, 2), [0.75, 0.25])).prior[0])
    0.5625
    """
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    if mdp.end_token is not None:
        raise ValueError("string_prior needs an MDP without an end token (every string has T tokens)")
    q = as_array(token_probs, name="token_probs")
    if q.ndim == 1:
        q = np.broadcast_to(q, (mdp.T, len(q)))
    if q.shape != (mdp.T, mdp.V):
        raise ValueError(f"token_probs has shape {q.shape}; give ({mdp.V},) for every position "
                         f"or ({mdp.T}, {mdp.V}), one row per position")
    for t, row in enumerate(q):
        as_distribution(row, name=f"token_probs for position {t + 1}", ndim=1)
    out = np.ones(1)
    for row in q:
        out = np.kron(out, row)
    return out


# ============================================================================ signals
class _Bound:
    """A signal bound to a family: integer codes of its deterministic part, plus a channel."""

    def __init__(self, name, K_det, codes, encode, value_label, channel=None):
        self.name = name
        self.K_det = int(K_det)
        self.codes = codes  # (xi array, tr array) -> int64 (k, m) in [0, K_det)
        self._encode = encode
        self._value_label = value_label
        self.channel = channel  # None or (K_det, K_obs) row-stochastic
        self.K_obs = self.K_det if channel is None else channel.shape[1]

    def encode(self, observation: Any) -> int:
        code = self._encode(observation)
        if not 0 <= code < self.K_obs:
            raise ValueError(f"{self.name}: observation {observation!r} is not a possible value")
        return int(code)

    def value_label(self, code: int) -> str:
        return self._value_label(int(code))


class Signal:
    """A learning signal ``S = f(τ, ξ)``, possibly noisy (§2.5). Build with :func:`make_signal`.

    A signal is a specification; :meth:`bind` ties it to a family (its reward values), which
    every computation does internally.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> b = ReturnSignal().bind(exact_match(TokenMDP(2, 1)))
    >>> b.K_obs, b.encode(1.0), b.value_label(1)
    (2, 1, '1')
    """

    name = "signal"

    def bind(self, family: RewardFamily) -> _Bound:  # pragma: no cover
        """Tie the signal to ``family``: integer codes of ``f(τ, ξ)``, the channel, the encoder.

        Parameters
        ----------
        family : RewardFamily

        Returns
        -------
        _Bound
            ``codes(xi_array, tau_array) -> int array``, ``K_det``, ``channel`` (None or a
            ``(K_det, K_obs)`` matrix), ``encode(observation) -> int``, ``value_label(code)``.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class ReturnSignal(Signal):
    """``S = G = R_ξ(s_T)``, the sparse return (§3.1). Observations are reward values.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> ReturnSignal().bind(match_count(TokenMDP(2, 2))).K_obs     # G in {0, 1/2, 1}
    3
    """

    name = "return"

    def bind(self, family):
        levels = family.return_levels()

        def encode(v):
            hit = np.flatnonzero(np.isclose(levels, float(v), rtol=0, atol=1e-9))
            if not hit.size:
                raise ValueError(f"return {v!r} is not a value of this family: {levels.tolist()}")
            return int(hit[0])

        return _Bound(self.name, len(levels), family._return_codes, encode,
                      lambda c: _fmt(levels[c]))


class QuantisedReturn(Signal):
    """``S`` = the return in ``levels`` equal-width bins over ``[lo, hi]`` (§3.1).

    ``lo``/``hi`` default to the smallest/largest reward of the family. Observations are bin
    numbers ``0 .. levels-1``.

    Parameters
    ----------
    levels : int
        ``B >= 1`` bins.
    lo, hi : float, optional
        The range cut into bins.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> b = QuantisedReturn(2).bind(match_count(TokenMDP(2, 3)))
    >>> [b.value_label(c) for c in range(2)]
    ['[0,0.5)', '[0.5,1)']
    """

    def __init__(self, levels: int, lo: float | None = None, hi: float | None = None) -> None:
        self.levels = _check_int(levels, "levels", 1, "use at least one bin")
        self.lo, self.hi = lo, hi
        self.name = f"G in {self.levels} bins"

    def bind(self, family):
        base = family.return_levels()
        lo = float(base[0]) if self.lo is None else float(self.lo)
        hi = float(base[-1]) if self.hi is None else float(self.hi)
        if not hi >= lo:
            raise ValueError(f"need lo <= hi for the bins, got lo={lo}, hi={hi}")
        B = self.levels
        if hi > lo:
            bins = np.clip(np.floor((base - lo) / (hi - lo) * B + 1e-9), 0, B - 1).astype(np.int64)
        else:
            bins = np.zeros(len(base), dtype=np.int64)
        width = (hi - lo) / B

        def codes(xi, tr):
            return bins[family._return_codes(xi, tr)]

        def encode(v):
            return _check_int(v, "observed bin", 0, f"bins are 0..{B - 1}")

        return _Bound(self.name, B, codes, encode,
                      lambda c: f"[{_fmt(lo + c * width)},{_fmt(lo + (c + 1) * width)})")


class DenseRewards(Signal):
    """``S = (r_0, ..., r_{T-1})``, the vector of per-step rewards (§3.2).

    Observations are sequences of ``T`` rewards. Internally the vector is coded through its
    running sums ``Φ'(s_1), ..., Φ'(s_T)``, which determine it and take few values per step.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> b = DenseRewards().bind(exact_match(TokenMDP(2, 2)))
    >>> b.value_label(b.encode([0.5, -0.5]))
    '(0.5,-0.5)'
    """

    name = "dense rewards"

    def bind(self, family):
        levels = family.potential_levels()
        sizes = [len(lv) for lv in levels]
        K = math.prod(sizes)
        if K >= 2**62:
            raise ValueError(
                f"the dense reward vector has up to {K} values, too many to code; "
                "use a shorter horizon or fewer reward values"
            )
        radix = np.array([math.prod(sizes[t + 1:]) for t in range(len(sizes))], dtype=np.int64)
        grids = [_grid_lookup(lv) for lv in levels]

        def codes(xi, tr):
            pc = family._potential_codes(xi, tr)
            out = np.zeros((len(xi), len(tr)), dtype=np.int64)
            if pc is not None:
                for t in range(len(levels)):
                    out += pc[:, :, t] * radix[t]
                return out
            phi = family._phi(xi, tr)
            for t, lv in enumerate(levels):
                v = phi[:, :, t + 1]
                if grids[t] is not None:  # levels on a grid: arithmetic and a lookup table
                    lo, q, table = grids[t]
                    j = np.rint((v - lo) * (1.0 / q)).astype(np.int64)
                    np.clip(j, 0, len(table) - 1, out=j)
                    c = table[j]
                else:
                    c = np.minimum(np.searchsorted(lv, _r12(v)), len(lv) - 1)
                out += c * radix[t]
            return out

        def encode(v):
            v = np.asarray(v, dtype=np.float64).reshape(-1)
            if v.shape != (len(levels),):
                raise ValueError(f"a dense observation has T = {len(levels)} rewards, got {v.size}")
            code = 0
            for t, (lv, phi) in enumerate(zip(levels, np.cumsum(v))):
                hit = np.flatnonzero(np.isclose(lv, phi, rtol=0, atol=1e-9))
                if not hit.size:
                    raise ValueError(f"the rewards {v.tolist()} are not possible in this family "
                                     f"(running sum {phi:.4g} at step {t})")
                code += int(hit[0]) * int(radix[t])
            return code

        def label(c):
            phi = [levels[t][(c // int(radix[t])) % sizes[t]] for t in range(len(levels))]
            r = np.diff(np.r_[0.0, phi])
            return "(" + ",".join(_fmt(x) for x in r) + ")"

        return _Bound(self.name, K, codes, encode, label)


def _check_channel(channel: Any, k_in: int) -> np.ndarray:
    C = as_array(channel, name="channel", ndim=2)
    if C.shape[0] != k_in:
        raise ValueError(
            f"channel has {C.shape[0]} rows but the signal takes {k_in} values; "
            f"give a ({k_in}, n_outputs) matrix with one row p(output | value) per value"
        )
    if not np.isfinite(C).all() or (C < 0).any():
        raise ValueError("channel entries must be finite and >= 0")
    s = C.sum(axis=1)
    if np.abs(s - 1).max() > 1e-9:
        i = int(np.argmax(np.abs(s - 1)))
        raise ValueError(f"channel row {i} sums to {s[i]:.12g}, not 1; each row must be p(output | value)")
    return np.array(C, dtype=np.float64)


class NoisySignal(Signal):
    """A signal passed through a noisy channel ``p(output | value)`` (§2.5, §3.1).

    Give either a ``channel`` matrix of shape ``(K, K_out)`` over the base signal's ``K`` values,
    or ``eps``: keep the value w.p. ``1 - eps``, else replace it by one of the other ``K - 1``
    values uniformly. Observations are as for the base signal when the channel is square, else
    output numbers.

    Parameters
    ----------
    base : Signal or str
        The signal before the noise (default: the return).
    channel : array_like, shape (K, K_out), optional
        Row ``k``: ``p(output | value k)``.
    eps : float, optional
        Symmetric noise level in ``[0, 1]``.

    Raises
    ------
    ValueError
        Neither or both of ``channel`` and ``eps``; rows that are not distributions; wrong size.

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> NoisySignal(eps=0.1).bind(exact_match(TokenMDP(2, 1))).channel.tolist()
    [[0.9, 0.1], [0.1, 0.9]]
    """

    def __init__(self, base: Signal | str = "return", channel: Any = None, eps: float | None = None):
        self.base = as_signal(base)
        if (channel is None) == (eps is None):
            raise ValueError("give exactly one of channel (a matrix) or eps (a flip probability)")
        if eps is not None and not (isinstance(eps, numbers.Real) and 0 <= eps <= 1):
            raise ValueError(f"eps must be a probability in [0, 1], got {eps!r}")
        self.channel, self.eps = channel, eps
        self.name = f"{self.base.name} + noise"

    def bind(self, family):
        b = self.base.bind(family)
        K = b.K_obs
        if self.eps is not None:
            if K > 4096:
                raise ValueError(f"eps-noise on a signal with {K} values is too large; give a channel")
            C = np.full((K, K), self.eps / max(K - 1, 1)) if K > 1 else np.ones((1, 1))
            np.fill_diagonal(C, 1 - self.eps if K > 1 else 1.0)
        else:
            C = _check_channel(self.channel, K)
        if b.channel is not None:
            C = b.channel @ C
        square = C.shape[1] == K
        encode = b._encode if square else (lambda v: _check_int(v, "observed output", 0, "outputs are numbered"))
        label = b._value_label if square else (lambda c: f"y{c}")
        return _Bound(self.name, b.K_det, b.codes, encode, label, channel=C)


class TableSignal(Signal):
    """A user signal table ``values[τ, ξ]`` of shape ``(V**T, |Ξ|)``; any hashable values (§2.5).

    Parameters
    ----------
    table : array_like, shape (V**T, n_xi)
        ``table[τ, ξ]`` is the signal for trajectory ``τ`` under ``ξ``.
    name : str

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> xor = TableSignal([[0, 1], [1, 0]], name="x1 XOR ξ")       # τ on rows, ξ on columns
    >>> xor.bind(exact_match(TokenMDP(2, 1))).K_obs
    2
    """

    def __init__(self, table: Any, name: str = "table signal") -> None:
        self.table = np.asarray(table)
        self.name = name

    def bind(self, family):
        n_tr, n_xi = family.mdp.n_trajectories, family.n_xi
        if self.table.shape != (n_tr, n_xi):
            raise ValueError(
                f"signal table has shape {self.table.shape}, expected {(n_tr, n_xi)} = (V^T, |Ξ|)"
            )
        values, inv = np.unique(self.table.T, return_inverse=True)
        inv = inv.reshape(n_xi, n_tr).astype(np.int64)
        lookup = {v.item() if hasattr(v, "item") else v: i for i, v in enumerate(values)}

        def encode(v):
            if v not in lookup:
                raise ValueError(f"{v!r} is not a value of this signal: {list(lookup)[:10]}")
            return lookup[v]

        return _Bound(self.name, len(values), lambda xi, tr: inv[np.asarray(xi)][:, tr], encode,
                      lambda c: str(values[c]))


class CallableSignal(Signal):
    """A signal ``fn(tokens, xi) -> hashable value`` evaluated on every (τ, ξ) pair (§2.5).

    ``tokens`` is the tuple of generated tokens, ``xi`` the ξ index. Slow (a Python call per pair):
    at most :data:`MAX_CALLABLE_PAIRS` pairs; prefer :class:`TableSignal` for large cases.

    Parameters
    ----------
    fn : callable
        ``fn(tokens: tuple[int, ...], xi: int) -> hashable``.
    name : str

    Examples
    --------
    >>> from infobandwidth.mdp import TokenMDP
    >>> sig = CallableSignal(lambda tokens, xi: tokens[0] ^ xi, name="x1 XOR ξ")
    >>> sig.bind(exact_match(TokenMDP(2, 1))).K_obs
    2
    """

    def __init__(self, fn: Callable[[tuple[int, ...], int], Any], name: str = "callable signal"):
        if not callable(fn):
            raise ValueError(f"fn must be callable, got {type(fn).__name__}")
        self.fn, self.name = fn, name

    def bind(self, family):
        n_tr, n_xi = family.mdp.n_trajectories, family.n_xi
        check_enumerable(n_tr * n_xi, MAX_CALLABLE_PAIRS, "the (τ, ξ) pairs of a callable signal",
                         "a TableSignal built with numpy")
        toks = [tuple(int(x) for x in row) for row in family.mdp.trajectories()]
        vals: dict[Any, int] = {}
        codes = np.empty((n_xi, n_tr), dtype=np.int64)
        for x in range(n_xi):
            for i, tk in enumerate(toks):
                v = self.fn(tk, x)
                try:
                    codes[x, i] = vals.setdefault(v, len(vals))
                except TypeError:
                    raise ValueError(f"fn{(tk, x)} returned {v!r}, which is not hashable") from None
        names = list(vals)

        def encode(v):
            if v not in vals:
                raise ValueError(f"{v!r} is not a value of this signal")
            return vals[v]

        return _Bound(self.name, len(vals), lambda xi, tr: codes[np.asarray(xi)][:, tr], encode,
                      lambda c: str(names[c]))


_SIGNALS: dict[str, Callable[..., Signal]] = {
    "return": ReturnSignal,
    "quantised_return": QuantisedReturn,
    "dense": DenseRewards,
    "noisy_return": lambda **kw: NoisySignal("return", **kw),
    "table": TableSignal,
    "callable": CallableSignal,
}
#: Names accepted by :func:`make_signal`.
SIGNAL_NAMES = tuple(_SIGNALS)


def make_signal(name: str, **kwargs: Any) -> Signal:
    """Build a learning signal by name (§2.5): one of :data:`SIGNAL_NAMES`.

    ``return``; ``quantised_return`` (``levels``, optional ``lo``, ``hi``); ``dense``;
    ``noisy_return`` (``eps`` or ``channel``); ``table`` (``table``); ``callable`` (``fn``).

    Parameters
    ----------
    name : str
        One of :data:`SIGNAL_NAMES`.
    **kwargs
        The signal's arguments.

    Returns
    -------
    Signal

    Raises
    ------
    ValueError
        For an unknown name (lists the valid names).

    Examples
    --------
    >>> make_signal("quantised_return", levels=4).name
    'G in 4 bins'
    >>> make_signal("advantage")
    Traceback (most recent call last):
        ...
    ValueError: unknown signal 'advantage'; valid names: return, quantised_return, dense, noisy_return, table, callable
    """
    if name not in _SIGNALS:
        raise ValueError(f"unknown signal {name!r}; valid names: {', '.join(SIGNAL_NAMES)}")
    return _SIGNALS[name](**kwargs)


def as_signal(signal: Signal | str | None) -> Signal:
    """A :class:`Signal` from a Signal, a name without arguments, or ``None`` (the return).

    Used by every function of §2.5 that takes a ``signal`` argument.

    Parameters
    ----------
    signal : Signal, str or None

    Returns
    -------
    Signal

    Raises
    ------
    ValueError
        For an unknown name or another type.

    Examples
    --------
    >>> as_signal(None).name, as_signal("dense").name
    ('return', 'dense rewards')
    """
    if signal is None:
        return ReturnSignal()
    if isinstance(signal, Signal):
        return signal
    if isinstance(signal, str):
        return make_signal(signal)
    raise ValueError(f"signal must be a Signal or a name in {SIGNAL_NAMES}, got {signal!r}")


# ============================================================================ claim checks
from .claims import Finding, claim  # noqa: E402  (registered with infobandwidth.claims)


def unique_optimum_numbers(V: int = 2, T: int = 3, seed: int = 0) -> dict[str, float]:
    """The numbers of the §2.2 claim check on the unique-optimum assumption.

    On ``TokenMDP(V, T)`` with uniform priors: the prior mass of ξ whose optimal *trajectory* is
    tied, for four families (exact match; a pass/fail match count, ``levels=2``; 0/1 token
    utilities; a table of Gaussian rewards drawn with ``seed``, the "generic" case), and the
    smallest number of optimal deterministic *policies* of any ξ (:func:`optimal_policy_counts`).

    Returns
    -------
    dict
        Keys ``"tied: exact match"``, ``"tied: pass/fail match count"``,
        ``"tied: 0/1 token utility"``, ``"tied: Gaussian rewards"`` (fractions in [0, 1]) and
        ``"fewest optimal policies"``.

    Examples
    --------
    >>> n = unique_optimum_numbers()
    >>> n["tied: exact match"], n["tied: pass/fail match count"], n["fewest optimal policies"]
    (0.0, 1.0, 16)
    """
    mdp = TokenMDP(V, T)
    rng = np.random.default_rng(seed)
    fams = {
        "exact match": exact_match(mdp),
        "pass/fail match count": match_count(mdp, levels=2),
        "0/1 token utility": token_utility(mdp),
        "Gaussian rewards": reward_table(mdp, rng.normal(size=(mdp.n_trajectories, 64))),
    }
    out: dict[str, float] = {}
    fewest = None
    for name, fam in fams.items():
        opt = optimal_policies(fam)
        out[f"tied: {name}"] = float(fam.prior[opt.tied].sum())
        m = min(optimal_policy_counts(fam))
        fewest = m if fewest is None else min(fewest, m)
    out["fewest optimal policies"] = int(fewest)
    return out


@claim("unique-optimum", "2.2",
       "For every reward parameter ξ the optimal policy π*_ξ is unique; this holds generically "
       "(continuous action spaces, lexicographic tie-breaking, or enough structure in the reward).")
def _unique_optimum() -> Finding:
    n = unique_optimum_numbers()
    fewest = n["fewest optimal policies"]
    tied = {k[len("tied: "):]: v for k, v in n.items() if k.startswith("tied: ")}
    unique = fewest == 1 and max(tied.values()) == 0.0
    return Finding(
        verdict="holds" if unique else "fails",
        evidence=(f"on V=2, T=3 every ξ has at least {fewest} optimal deterministic policies, because "
                  f"behaviour off the optimal path does not change J; even optimal trajectories tie "
                  f"for {tied['pass/fail match count']:.0%} of ξ with a pass/fail reward and "
                  f"{tied['0/1 token utility']:.1%} with 0/1 token utilities (0% only for exact match "
                  f"and Gaussian rewards). Uniqueness is a convention: π* = the optimal trajectory, "
                  f"ties broken lexicographically."),
        numbers=n,
    )
