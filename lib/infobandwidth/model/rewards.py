"""Reward families with priors over ξ, learning signals, and the optimal policy π*_ξ (§2.2, §2.5).

Used in §2.2 (the Bayesian formulation: a prior p(ξ) over reward functions induces p(π*)),
§2.5 (the learning signal S as a function of τ and ξ), §3.1 (sparse return G) and §3.2 (dense
per-token rewards).

Reward families
---------------
A family is a set of reward functions ``R_ξ`` on a :class:`~infobandwidth.model.mdp.TokenMDP`, indexed by
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
from typing import Any, Callable, Sequence

import numpy as np

from infobandwidth.base.numerics import OBSERVATION_DECIMALS
from infobandwidth.base.validate import (
    as_array,
    as_distribution,
    check_enumerable,
    check_int,
    check_prior,
)
from infobandwidth.information.quantise import count_levels
from infobandwidth.model.mdp import (
    Policy,
    TokenMDP,
    expected_return,
)

__all__ = [
    "FAMILY_NAMES",
    "MAX_XI",
    "MAX_PAIRS",
    "RewardFamily",
    "check_family",
    "ExactMatch",
    "MatchCount",
    "TokenUtility",
    "TableFamily",
    "exact_match",
    "match_count",
    "token_utility",
    "reward_table",
    "make_family",
    "string_prior",
    "family_label",
]

#: Largest number of reward parameters ξ a family enumerates.
MAX_XI = 10_000_000
#: Largest number of (ξ, τ) pairs any exact computation enumerates (see
#: :mod:`infobandwidth.signals.bandwidth`; above it use :mod:`infobandwidth.signals.montecarlo`).
MAX_PAIRS = 50_000_000
#: Largest number of (ξ, τ) pairs a :class:`CallableSignal` calls its function on.
MAX_CALLABLE_PAIRS = 1_000_000

_CHUNK = 1 << 21  # (ξ, τ) pairs handled per vectorised block


def _r12(x: np.ndarray) -> np.ndarray:
    """Reward values as stored: rounded by the package's tie rule (``OBSERVATION_DECIMALS``)."""
    return np.round(x, OBSERVATION_DECIMALS)


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def _grid_lookup(values: np.ndarray) -> tuple[float, float, np.ndarray] | None:
    """``(lo, q, table)`` if every level is ``lo + q·j`` for small integers ``j``, else None."""
    if len(values) < 2:
        return (float(values[0]), 1.0, np.zeros(1, dtype=np.int64))
    lo = float(values[0])
    q = float(np.min(np.diff(values)))
    j = (values - lo) / q
    if q <= 0 or j[-1] > 1_000_000 or np.abs(j - np.rint(j)).max() > 1e-6:
        return None
    j = np.rint(j).astype(np.int64)
    table = np.full(j[-1] + 1, -1, dtype=np.int64)
    table[j] = np.arange(len(values))
    if (table < 0).any():  # values between values: map to the nearest level
        filled = np.maximum.accumulate(np.where(table >= 0, np.arange(len(table)), 0))
        table = table[filled]
    return lo, q, table


def _row_chunks(n_rows: int, n_cols: int, pairs: int = _CHUNK):
    step = max(1, pairs // max(1, n_cols))
    for a in range(0, n_rows, step):
        yield a, min(n_rows, a + step)


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
    >>> from infobandwidth.model.mdp import TokenMDP
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
        p = check_prior(prior, self.n_xi)
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
        p = check_prior(prior, self.n_xi)
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
        xi = check_int(xi, "xi", 0, f"ξ indexes the family's {self.n_xi} reward parameters")
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
    >>> from infobandwidth.model.mdp import TokenMDP
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
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> isinstance(match_count(TokenMDP(2, 1)), MatchCount)
    True
    """

    name = "match_count"

    def __init__(self, mdp: TokenMDP, levels: int | None = None, prior: Any = None) -> None:
        if not isinstance(mdp, TokenMDP):
            raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
        B = mdp.T + 1 if levels is None else levels
        B = check_int(B, "levels", 2, f"use 2 <= levels <= T+1 = {mdp.T + 1}")
        if B > mdp.T + 1:
            raise ValueError(
                f"levels must be <= T+1 = {mdp.T + 1} (a count of 0..T matches has T+1 values), got {B}"
            )
        self.B = B
        #: level of each count c = 0..T: the book's one B-level rule (information.quantise)
        self._level_of_count = count_levels(mdp.T, B).astype(np.int64)
        self.targets = _hidden_string_targets(mdp)
        super().__init__(mdp, len(self.targets), prior)

    def label(self, xi: int) -> str:
        return self.mdp.label(int(self.targets[int(xi)]))

    def _q(self, c: np.ndarray) -> np.ndarray:
        return self._level_of_count[np.asarray(c, dtype=np.int64)]

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
        c_min = int(np.flatnonzero(self._level_of_count == B - 1)[0])  # smallest count in the top level
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
    >>> from infobandwidth.model.mdp import TokenMDP
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
        for _t in range(1, self.mdp.T + 1):
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
    >>> from infobandwidth.model.mdp import TokenMDP
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


def check_family(family: Any) -> "RewardFamily":
    """A :class:`RewardFamily`, or a ValueError saying how to build one."""
    if not isinstance(family, RewardFamily):
        raise ValueError(f"family must be a RewardFamily (e.g. exact_match(TokenMDP(2, 3))), "
                         f"got {type(family).__name__}")
    return family


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
    >>> from infobandwidth.model.mdp import TokenMDP
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

    ``R = k / (B-1)`` for ``c`` matching positions, where ``k = min(B·c // T, B-1)`` is the level of
    the share ``c/T`` in ``B`` equal-width bins over ``[0, 1]`` (a share on an edge goes up: the
    book's one rule, :func:`~infobandwidth.information.quantise.count_levels`), ``B = levels`` in
    ``2..T+1`` (default ``T+1``: ``R = c/T``). So ``match_count(mdp, levels=B)`` pays exactly the
    levels of :class:`~infobandwidth.signals.signals.QuantisedReturn` ``(B)`` applied to
    ``match_count(mdp)``. Dense version: potential = the same quantisation of the running count.

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
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> fam = match_count(TokenMDP(2, 3))
    >>> fam.sparse_rewards(0).round(3).tolist()    # target aaa: share of positions that match
    [1.0, 0.667, 0.667, 0.333, 0.667, 0.333, 0.333, 0.0]
    >>> match_count(TokenMDP(2, 3), levels=2).sparse_rewards(0).tolist()
    [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    >>> match_count(TokenMDP(2, 2), levels=2).sparse_rewards(0).tolist()   # 1 of 2 = half: pays
    [1.0, 1.0, 1.0, 0.0]
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
    >>> from infobandwidth.model.mdp import TokenMDP
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
    >>> from infobandwidth.model.mdp import TokenMDP
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


def family_label(name: str) -> str:
    """How the book prints a family name: ``"exact_match"`` → ``"exact match"``.

    Examples
    --------
    >>> [family_label(n) for n in FAMILY_NAMES]
    ['exact match', 'match count', 'token utility', 'table']
    """
    if name not in _FAMILIES:
        raise ValueError(f"unknown reward family {name!r}; valid names: {', '.join(FAMILY_NAMES)}")
    return name.replace("_", " ")


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
    >>> from infobandwidth.model.mdp import TokenMDP
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
    >>> from infobandwidth.model.mdp import TokenMDP
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
