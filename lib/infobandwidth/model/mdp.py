"""The token-level MDP of §2.1: states are prefixes, actions are tokens, transitions concatenate.

Used in §2.1 (autoregressive generation as an MDP), and by every later chapter that enumerates
trajectories (§2.2 Bayesian formulation, §2.5 bandwidth, §3.1 REINFORCE, §3.2 actor-critic).

Conventions
-----------
* Tokens are the integers ``0 .. V-1`` (``token_names`` only changes how they are printed).
* A **trajectory** (episode) is ``T`` generated tokens ``(x_1, ..., x_T)``. It is stored as one
  integer, its **index**: the base-``V`` number whose most significant digit is ``x_1``. Index
  order is therefore lexicographic order of token strings, which is what makes
  "the lexicographically smallest optimal trajectory" a plain ``argmax`` (first maximum).
  :meth:`TokenMDP.trajectories` is the integer array of shape ``(V**T, T)`` whose row ``i`` is
  trajectory ``i``.
* With an **end token** ``e`` an episode stops when ``e`` is generated; the remaining positions are
  padded with ``e`` so every episode is still a length-``T`` index. Index strings with a non-``e``
  token after an ``e`` are not episodes (:attr:`TokenMDP.valid` is ``False`` for them); every policy
  gives them probability 0 because after ``e`` it is forced to repeat ``e``.
* A **prefix** is a state where a token is chosen: the generated tokens so far, of length
  ``t = 0 .. T-1``. Prefixes are numbered breadth-first: the empty prefix is 0, then the ``V``
  prefixes of length 1, then the ``V**2`` of length 2, ...; inside one length by their base-``V``
  value. A prompt, if given, is prepended to every state (callable policies see it) but it is
  fixed, so it does not enter the numbering.
* A policy is a table of shape ``(n_prefixes, V)``: row ``i`` is ``π(· | prefix i)``.
* Random experiments take an integer ``seed``; nothing reads global random state.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from infobandwidth.base.validate import as_array, check_enumerable, check_int, rng_from_seed

__all__ = [
    "MAX_TRAJECTORIES",
    "MAX_CALLABLE_PREFIXES",
    "TokenMDP",
    "Policy",
    "Estimate",
    "check_policy",
    "uniform_policy",
    "softmax_policy",
    "table_policy",
    "deterministic_policy",
    "callable_policy",
    "expected_return",
    "sampled_return",
    "behaviour_policy",
]

#: Largest number of trajectories ``V**T`` a :class:`TokenMDP` enumerates.
MAX_TRAJECTORIES = 10_000_000
#: Largest number of prefixes on which :func:`callable_policy` calls the user's function.
MAX_CALLABLE_PREFIXES = 1_000_000

_ROW_TOL = 1e-9  # |row sum - 1| accepted for a policy's next-token distribution


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate: ``value`` with its standard error ``stderr`` from ``n`` samples.

    Returned by every sampled computation of the book (§2.1 sampled returns, §2.5 Monte Carlo
    bandwidth, §4.3 sampled posterior entropies).

    Parameters
    ----------
    value : float
        The estimate.
    stderr : float
        Its standard error.
    n : int
        Number of samples it is based on.

    Examples
    --------
    >>> e = Estimate(0.5, 0.01, 100)
    >>> e.interval()
    (0.48, 0.52)
    """

    value: float
    stderr: float
    n: int

    def interval(self, z: float = 2.0) -> tuple[float, float]:
        """``(value - z·stderr, value + z·stderr)``, rounded to 12 digits."""
        return (round(self.value - z * self.stderr, 12), round(self.value + z * self.stderr, 12))


# ----------------------------------------------------------------------------- the MDP
class TokenMDP:
    """Autoregressive generation of ``T`` tokens from a vocabulary of ``V`` as a deterministic MDP.

    Used in §2.1. States are prefixes, actions are tokens, the transition appends the token.

    Parameters
    ----------
    vocab_size : int
        ``V >= 1``, the number of tokens.
    horizon : int
        ``T >= 1``, the number of tokens in an episode.
    end_token : int, optional
        A token that ends the episode early; later positions are padded with it.
    prompt : sequence of int, optional
        Tokens prepended to every state (seen by callable policies and in labels).
    token_names : sequence of str, optional
        How to print each token. Default: ``a, b, c, ...`` for ``V <= 26``, else ``t0, t1, ...``.

    Raises
    ------
    ValueError
        If ``V`` or ``T`` is not an integer >= 1, ``V**T`` exceeds :data:`MAX_TRAJECTORIES`, the end
        token or a prompt token is outside ``0..V-1``, or ``token_names`` has the wrong length.

    Examples
    --------
    >>> mdp = TokenMDP(2, 3)
    >>> mdp.n_trajectories, mdp.n_prefixes
    (8, 7)
    >>> mdp.trajectories()[5]                 # index 5 = 101 in base 2
    array([1, 0, 1])
    >>> mdp.label(5), mdp.index("bab")
    ('bab', 5)
    >>> mdp.prefix(4), mdp.prefix_index((1, 0))
    ((0, 1), 5)
    """

    def __init__(
        self,
        vocab_size: int,
        horizon: int,
        *,
        end_token: int | None = None,
        prompt: Sequence[int] = (),
        token_names: Sequence[str] | None = None,
    ) -> None:
        V = check_int(vocab_size, "vocab_size", 1, "a vocabulary needs at least one token")
        T = check_int(horizon, "horizon", 1, "an episode generates at least one token")
        check_enumerable(
            V**T,
            MAX_TRAJECTORIES,
            f"the set of token sequences V^T = {V}^{T}",
            "a smaller vocabulary or horizon (exact enumeration only works for small MDPs)",
        )
        self.V = V
        self.T = T
        if end_token is not None:
            end_token = check_int(end_token, "end_token", 0, "pass a token id in 0..V-1 or None")
            if end_token >= V:
                raise ValueError(f"end_token must be a token in 0..{V - 1}, got {end_token}")
        self.end_token = end_token
        prompt = tuple(prompt)
        for x in prompt:
            if isinstance(x, bool) or not isinstance(x, numbers.Integral) or not 0 <= x < V:
                raise ValueError(f"prompt tokens must be integers in 0..{V - 1}, got {x!r}")
        self.prompt = tuple(int(x) for x in prompt)
        if token_names is None:
            token_names = (
                [chr(ord("a") + i) for i in range(V)] if V <= 26 else [f"t{i}" for i in range(V)]
            )
        token_names = [str(n) for n in token_names]
        if len(token_names) != V:
            raise ValueError(
                f"token_names has {len(token_names)} names for a vocabulary of {V}; give one per token"
            )
        self.token_names = tuple(token_names)
        self._sep = "" if all(len(n) == 1 for n in token_names) else " "
        self.n_trajectories = V**T
        # offsets[t] = number of prefixes shorter than t
        offsets = [0]
        for t in range(T):
            offsets.append(offsets[-1] + V**t)
        self._offsets = np.array(offsets, dtype=np.int64)
        self.n_prefixes = int(self._offsets[T])
        self._powers = np.array([V ** (T - 1 - t) for t in range(T)], dtype=np.int64)
        self._cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        extra = f", end_token={self.end_token}" if self.end_token is not None else ""
        extra += f", prompt={self.prompt}" if self.prompt else ""
        return f"TokenMDP(V={self.V}, T={self.T}{extra})"

    # -- trajectories
    def decode(self, index: Any) -> np.ndarray:
        """Token arrays of trajectory indices: shape ``index.shape + (T,)``.

        Examples
        --------
        >>> TokenMDP(3, 2).decode([0, 5])
        array([[0, 0],
               [1, 2]])
        """
        idx = np.asarray(index, dtype=np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= self.n_trajectories):
            raise ValueError(
                f"trajectory indices must lie in 0..{self.n_trajectories - 1} (V^T - 1), "
                f"got values in {int(idx.min())}..{int(idx.max())}"
            )
        return ((idx[..., None] // self._powers) % self.V)

    def trajectories(self) -> np.ndarray:
        """All ``V**T`` trajectories as tokens, shape ``(V**T, T)``; row ``i`` is trajectory ``i``.

        Used in §2.1. The array is cached and read-only.

        Examples
        --------
        >>> TokenMDP(2, 2).trajectories().tolist()
        [[0, 0], [0, 1], [1, 0], [1, 1]]
        """
        if "traj" not in self._cache:
            arr = self.decode(np.arange(self.n_trajectories))
            arr.flags.writeable = False
            self._cache["traj"] = arr
        return self._cache["traj"]

    def index(self, tokens: Any) -> int:
        """The index of one trajectory given as tokens (or a string of single-character names).

        With an end token, a shorter sequence ending in it is padded.

        Raises
        ------
        ValueError
            If a token is unknown or the length is not ``T``.

        Examples
        --------
        >>> TokenMDP(2, 3).index([1, 1, 0])
        6
        >>> TokenMDP(3, 3, end_token=2).index("ac")     # padded to "acc"
        8
        """
        if isinstance(tokens, str):
            lookup = {n: i for i, n in enumerate(self.token_names)}
            parts = tokens.split(" ") if self._sep else list(tokens)
            try:
                seq = [lookup[p] for p in parts]
            except KeyError as exc:
                raise ValueError(
                    f"unknown token name {exc.args[0]!r}; the names are {list(self.token_names)}"
                ) from None
        else:
            seq = [int(x) for x in tokens]
        if any(not 0 <= x < self.V for x in seq):
            raise ValueError(f"tokens must lie in 0..{self.V - 1}, got {seq}")
        if self.end_token is not None and len(seq) < self.T and seq and seq[-1] == self.end_token:
            seq = seq + [self.end_token] * (self.T - len(seq))
        if len(seq) != self.T:
            raise ValueError(f"a trajectory has T = {self.T} tokens, got {len(seq)}: {seq}")
        return int(sum(x * int(p) for x, p in zip(seq, self._powers)))

    def label(self, index: int) -> str:
        """The trajectory as a readable string (padding after an end token dropped).

        Examples
        --------
        >>> mdp = TokenMDP(3, 4, end_token=2, token_names="ab$")
        >>> mdp.index("ab$"), mdp.label(mdp.index("ab$"))
        (17, 'ab$')
        """
        toks = [int(x) for x in self.decode(int(index))]
        if self.end_token is not None and self.end_token in toks:
            toks = toks[: toks.index(self.end_token) + 1]
        return self._sep.join(self.token_names[x] for x in toks)

    @property
    def valid(self) -> np.ndarray:
        """Boolean ``(V**T,)``: is the index string an episode (only end tokens after an end token)."""
        if "valid" not in self._cache:
            if self.end_token is None:
                v = np.ones(self.n_trajectories, dtype=bool)
            else:
                alive = self.alive
                v = np.all(alive | (self.trajectories() == self.end_token), axis=1)
            v.flags.writeable = False
            self._cache["valid"] = v
        return self._cache["valid"]

    @property
    def alive(self) -> np.ndarray:
        """Boolean ``(V**T, T)``: step ``t`` is taken (no end token among the first ``t`` tokens)."""
        if "alive" not in self._cache:
            if self.end_token is None:
                a = np.ones((self.n_trajectories, self.T), dtype=bool)
            else:
                ended = np.cumsum(self.trajectories() == self.end_token, axis=1) > 0
                a = np.ones_like(ended)
                a[:, 1:] = ~ended[:, :-1]
            a.flags.writeable = False
            self._cache["alive"] = a
        return self._cache["alive"]

    # -- prefixes
    def prefix(self, i: int) -> tuple[int, ...]:
        """The generated tokens of prefix number ``i`` (breadth-first numbering, see module doc)."""
        i = check_int(i, "prefix index", 0, f"prefix indices lie in 0..{self.n_prefixes - 1}")
        if i >= self.n_prefixes:
            raise ValueError(f"prefix index must lie in 0..{self.n_prefixes - 1}, got {i}")
        t = int(np.searchsorted(self._offsets, i, side="right")) - 1
        k = i - int(self._offsets[t])
        return tuple(int((k // self.V ** (t - 1 - j)) % self.V) for j in range(t))

    def prefix_index(self, prefix: Sequence[int]) -> int:
        """The number of a prefix given as a tuple of generated tokens (length ``0 .. T-1``)."""
        seq = [int(x) for x in prefix]
        if len(seq) >= self.T or any(not 0 <= x < self.V for x in seq):
            raise ValueError(
                f"a prefix is 0..{self.T - 1} tokens in 0..{self.V - 1}, got {tuple(seq)}"
            )
        k = 0
        for x in seq:
            k = k * self.V + x
        return int(self._offsets[len(seq)]) + k

    def prefixes(self) -> list[tuple[int, ...]]:
        """Every prefix (state where a token is chosen), in numbering order.

        Examples
        --------
        >>> TokenMDP(2, 2).prefixes()
        [(), (0,), (1,)]
        """
        return [self.prefix(i) for i in range(self.n_prefixes)]

    @property
    def prefix_lengths(self) -> np.ndarray:
        """Length ``t`` of every prefix, shape ``(n_prefixes,)``."""
        return np.repeat(np.arange(self.T), [self.V**t for t in range(self.T)])

    @property
    def dead_prefixes(self) -> np.ndarray:
        """Boolean ``(n_prefixes,)``: the prefix already contains the end token."""
        if "dead" not in self._cache:
            dead = np.zeros(self.n_prefixes, dtype=bool)
            if self.end_token is not None:
                for t in range(1, self.T):
                    k = np.arange(self.V**t, dtype=np.int64)
                    digits = (k[:, None] // self.V ** np.arange(t - 1, -1, -1)) % self.V
                    dead[self._offsets[t] : self._offsets[t + 1]] = np.any(
                        digits == self.end_token, axis=1
                    )
            dead.flags.writeable = False
            self._cache["dead"] = dead
        return self._cache["dead"]

    def prefix_ids(self, index: Any) -> np.ndarray:
        """Prefix numbers of the states ``s_0 .. s_{T-1}`` visited by trajectories, ``(n, T)``."""
        idx = np.asarray(index, dtype=np.int64)
        t = np.arange(self.T)
        return self._offsets[t] + idx[..., None] // (self._powers * self.V)


# ----------------------------------------------------------------------------- policies
class Policy:
    """A stochastic policy ``π(x_{t+1} | x_1..x_t)`` on a :class:`TokenMDP`, as a table.

    Used in §2.1 (the language model's next-token distribution) and as the behaviour policy of
    §2.5. Build one with :func:`uniform_policy`, :func:`softmax_policy`, :func:`table_policy`,
    :func:`deterministic_policy` or :func:`callable_policy`.

    Parameters
    ----------
    mdp : TokenMDP
        The MDP the policy acts in.
    table : array_like, shape (n_prefixes, V)
        Row ``i`` is the next-token distribution at prefix ``i`` (numbering of
        :meth:`TokenMDP.prefixes`). Rows of prefixes that already contain the end token are
        replaced by all mass on the end token.
    name : str
        A label for plots and messages.

    Raises
    ------
    ValueError
        Wrong shape, NaN/inf, negative entries, or a row that does not sum to 1 (the message
        names the row and its prefix).

    Examples
    --------
    >>> mdp = TokenMDP(2, 1)
    >>> pol = Policy(mdp, [[0.25, 0.75]], name="mostly b")
    >>> pol.probs(()), pol.trajectory_probs()
    (array([0.25, 0.75]), array([0.25, 0.75]))
    """

    def __init__(self, mdp: TokenMDP, table: Any, name: str = "policy") -> None:
        if not isinstance(mdp, TokenMDP):
            raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
        arr = as_array(table, name="policy table", ndim=2)
        expected = (mdp.n_prefixes, mdp.V)
        if arr.shape != expected:
            raise ValueError(
                f"policy table has shape {arr.shape}, expected {expected} = (n_prefixes, V); "
                "give one next-token distribution per prefix (see TokenMDP.prefixes())"
            )
        arr = np.array(arr, dtype=np.float64)
        if mdp.end_token is not None:
            dead = mdp.dead_prefixes
            arr[dead] = 0.0
            arr[dead, mdp.end_token] = 1.0
        _check_rows(arr, mdp)
        arr.flags.writeable = False
        self.mdp = mdp
        self.table = arr
        self.name = name
        self._traj_probs: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"Policy({self.name!r}, {self.mdp!r})"

    def probs(self, prefix: Sequence[int]) -> np.ndarray:
        """The next-token distribution at a prefix given as generated tokens."""
        return self.table[self.mdp.prefix_index(prefix)]

    def trajectory_probs(self) -> np.ndarray:
        """``p_π(τ)`` for every trajectory index, shape ``(V**T,)``; sums to 1.

        Used in §2.1 and §2.5. ``p(τ) = Π_t π(x_{t+1} | s_t)``, computed with ``T`` vectorised
        gathers (no loop over trajectories).

        Examples
        --------
        >>> mdp = TokenMDP(2, 2)
        >>> softmax_policy(mdp, np.log([[1, 3], [1, 1], [1, 1]])).trajectory_probs()
        array([0.125, 0.125, 0.375, 0.375])
        """
        if self._traj_probs is None:
            mdp = self.mdp
            idx = np.arange(mdp.n_trajectories, dtype=np.int64)
            p = np.ones(mdp.n_trajectories)
            for t in range(mdp.T):
                pid = mdp._offsets[t] + idx // (mdp._powers[t] * mdp.V)
                tok = (idx // mdp._powers[t]) % mdp.V
                p *= self.table[pid, tok]
            p.flags.writeable = False
            self._traj_probs = p
        return self._traj_probs

    def sample(self, n: int, seed: int) -> np.ndarray:
        """Sample ``n`` episodes; returns their trajectory indices, shape ``(n,)``.

        Used in §2.1 and the Monte Carlo estimators. One vectorised draw per time step;
        :meth:`TokenMDP.decode` turns the indices into tokens.

        Parameters
        ----------
        n : int
            Number of episodes (>= 1).
        seed : int
            Seed of the numpy Generator.

        Raises
        ------
        ValueError
            If ``n`` is not a positive integer or ``seed`` is not a non-negative integer.

        Examples
        --------
        >>> mdp = TokenMDP(2, 3)
        >>> idx = uniform_policy(mdp).sample(4, seed=0)
        >>> mdp.decode(idx).shape
        (4, 3)
        """
        n = check_int(n, "n", 1, "ask for at least one episode")
        return self._sample(n, rng_from_seed(seed))

    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        mdp = self.mdp
        cum = self._cumulative()
        k = np.zeros(n, dtype=np.int64)
        for t in range(mdp.T):
            rows = cum[mdp._offsets[t] + k]
            u = rng.random(n)
            tok = np.minimum((u[:, None] >= rows).sum(axis=1), mdp.V - 1)
            k = k * mdp.V + tok
        return k

    def _cumulative(self) -> np.ndarray:
        cum = np.cumsum(self.table, axis=1)
        cum[:, -1] = np.inf  # u < 1 always lands inside the row, whatever the rounding
        # zero-probability tokens are never drawn: u >= cum[j-1] and u < cum[j] needs cum[j] > cum[j-1]
        return cum


def _check_rows(arr: np.ndarray, mdp: TokenMDP) -> None:
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad.any(axis=1))[0])
        raise ValueError(
            f"policy row {i} (prefix {mdp.prefix(i)}) contains NaN or inf; "
            "a next-token distribution must be finite numbers"
        )
    if (arr < 0).any():
        i = int(np.flatnonzero((arr < 0).any(axis=1))[0])
        raise ValueError(
            f"policy row {i} (prefix {mdp.prefix(i)}) has negative mass {arr[i].min():.6g}; "
            "probabilities must be >= 0"
        )
    sums = arr.sum(axis=1)
    off = np.abs(sums - 1.0) > _ROW_TOL
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise ValueError(
            f"policy row {i} (prefix {mdp.prefix(i)}) is not a distribution: it sums to "
            f"{sums[i]:.12g}, not 1; normalise each row (table / table.sum(axis=1, keepdims=True))"
        )


def check_policy(policy: Any, mdp: TokenMDP, *, what: str = "the family") -> Policy:
    """A :class:`Policy` on ``mdp`` (same ``V``, ``T`` and end token); ``None`` gives the uniform policy.

    The one check that a policy and a reward family (or another policy) live on the same MDP.

    Examples
    --------
    >>> check_policy(None, TokenMDP(2, 2)).name
    'uniform'
    >>> check_policy(uniform_policy(TokenMDP(3, 2)), TokenMDP(2, 2))
    Traceback (most recent call last):
        ...
    ValueError: the policy is for TokenMDP(V=3, T=2) but the family is on TokenMDP(V=2, T=2); use the same MDP
    """
    if policy is None:
        return uniform_policy(mdp)
    if not isinstance(policy, Policy):
        raise ValueError(f"policy must be a Policy (e.g. softmax_policy(mdp, logits), or None for "
                         f"uniform), got {type(policy).__name__}")
    m = policy.mdp
    if m is not mdp and (m.V, m.T, m.end_token) != (mdp.V, mdp.T, mdp.end_token):
        raise ValueError(f"the policy is for {m!r} but {what} is on {mdp!r}; use the same MDP")
    return policy


def uniform_policy(mdp: TokenMDP) -> Policy:
    """The policy that picks every token with probability ``1/V`` (§2.1, §2.5).

    Parameters
    ----------
    mdp : TokenMDP

    Returns
    -------
    Policy
        With an end token, the end token is forced after it appears, so the episode
        distribution is uniform over tokens, not over strings.

    Examples
    --------
    >>> uniform_policy(TokenMDP(2, 2)).trajectory_probs()
    array([0.25, 0.25, 0.25, 0.25])
    """
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    return Policy(mdp, np.full((mdp.n_prefixes, mdp.V), 1.0 / mdp.V), name="uniform")


def softmax_policy(mdp: TokenMDP, logits: Any, temperature: float = 1.0) -> Policy:
    """Tabular softmax policy ``π(x | s) ∝ exp(logits[s, x] / temperature)`` (§2.1, §3.1).

    Parameters
    ----------
    mdp : TokenMDP
    logits : array_like, shape (n_prefixes, V)
        One row per prefix (numbering of :meth:`TokenMDP.prefixes`). ``-inf`` forbids a token;
        every row needs at least one finite entry.
    temperature : float
        ``> 0``. Small temperatures approach the argmax policy.

    Returns
    -------
    Policy

    Raises
    ------
    ValueError
        Wrong shape (both shapes are given), NaN/``+inf`` logits, a row of only ``-inf``, or a
        temperature that is not a positive finite number.

    Examples
    --------
    >>> mdp = TokenMDP(2, 1)
    >>> softmax_policy(mdp, [[0.0, np.log(3)]]).table
    array([[0.25, 0.75]])
    >>> softmax_policy(mdp, [[0.0, 1.0, 2.0]])
    Traceback (most recent call last):
        ...
    ValueError: logits has shape (1, 3), expected (1, 2) = (n_prefixes, V); give one row of V logits per prefix
    """
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    z = as_array(logits, name="logits", ndim=2)
    expected = (mdp.n_prefixes, mdp.V)
    if z.shape != expected:
        raise ValueError(
            f"logits has shape {z.shape}, expected {expected} = (n_prefixes, V); "
            "give one row of V logits per prefix"
        )
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not (
        math.isfinite(temperature) and temperature > 0
    ):
        raise ValueError(
            f"temperature must be a positive finite number, got {temperature!r}; use e.g. 1.0"
        )
    if np.isnan(z).any() or np.isposinf(z).any():
        raise ValueError("logits contain NaN or +inf; use finite numbers (-inf forbids a token)")
    top = z.max(axis=1, keepdims=True)
    if np.isneginf(top).any():
        i = int(np.flatnonzero(np.isneginf(top[:, 0]))[0])
        raise ValueError(f"logits row {i} (prefix {mdp.prefix(i)}) is all -inf; allow some token")
    e = np.exp((z - top) / float(temperature))
    return Policy(mdp, e / e.sum(axis=1, keepdims=True), name=f"softmax(T={temperature:g})")


def table_policy(mdp: TokenMDP, probs: Any, name: str = "table") -> Policy:
    """A policy from a table of next-token distributions, shape ``(n_prefixes, V)`` (§2.1).

    Parameters
    ----------
    mdp : TokenMDP
    probs : array_like, shape (n_prefixes, V)
        Row ``i``: the distribution of the next token at prefix ``i``.
    name : str
        A label.

    Returns
    -------
    Policy

    Raises
    ------
    ValueError
        Wrong shape, NaN/inf, negative entries, or a row that does not sum to 1 (names the row).

    Examples
    --------
    >>> table_policy(TokenMDP(2, 1), [[0.5, 0.4]])
    Traceback (most recent call last):
        ...
    ValueError: policy row 0 (prefix ()) is not a distribution: it sums to 0.9, not 1; normalise each row (table / table.sum(axis=1, keepdims=True))
    """
    return Policy(mdp, probs, name=name)


def deterministic_policy(mdp: TokenMDP, actions: Any, name: str = "deterministic") -> Policy:
    """The policy choosing token ``actions[i]`` at prefix ``i`` with probability 1 (§2.2).

    Parameters
    ----------
    mdp : TokenMDP
    actions : array_like of int, shape (n_prefixes,)
        The token chosen at every prefix.
    name : str
        A label.

    Returns
    -------
    Policy

    Raises
    ------
    ValueError
        If ``actions`` is not one integer token per prefix.

    Examples
    --------
    >>> mdp = TokenMDP(2, 2)
    >>> deterministic_policy(mdp, [1, 0, 0]).trajectory_probs()      # picks "ba"
    array([0., 0., 1., 0.])
    """
    a = np.asarray(actions)
    if a.shape != (mdp.n_prefixes,) or a.dtype.kind not in "iu":
        raise ValueError(
            f"actions must be {mdp.n_prefixes} integer tokens (one per prefix), got shape {a.shape} "
            f"and dtype {a.dtype}"
        )
    if a.size and (a.min() < 0 or a.max() >= mdp.V):
        raise ValueError(f"actions must be tokens in 0..{mdp.V - 1}")
    table = np.zeros((mdp.n_prefixes, mdp.V))
    table[np.arange(mdp.n_prefixes), a] = 1.0
    return Policy(mdp, table, name=name)


def callable_policy(
    mdp: TokenMDP, fn: Callable[[tuple[int, ...]], Any], name: str = "callable"
) -> Policy:
    """A policy from a function ``state tuple -> distribution over V tokens`` (§2.1).

    ``fn`` is called once per prefix that does not already contain the end token; its argument is
    the full state ``prompt + generated tokens``. Every answer is validated.

    Parameters
    ----------
    mdp : TokenMDP
    fn : callable
        ``fn(state: tuple[int, ...]) -> sequence of V probabilities``.
    name : str
        A label.

    Returns
    -------
    Policy

    Raises
    ------
    ValueError
        If the MDP has more than :data:`MAX_CALLABLE_PREFIXES` prefixes, or ``fn`` returns
        something that is not a distribution over ``V`` tokens (the message names the state).

    Examples
    --------
    >>> mdp = TokenMDP(2, 2)
    >>> pol = callable_policy(mdp, lambda s: [0.9, 0.1] if len(s) == 0 else [0.5, 0.5])
    >>> pol.trajectory_probs()
    array([0.45, 0.45, 0.05, 0.05])
    >>> callable_policy(mdp, lambda s: [1.0, 1.0])
    Traceback (most recent call last):
        ...
    ValueError: fn(()) is not a distribution over 2 tokens: it sums to 2, not 1; return normalised probabilities
    """
    check_enumerable(
        mdp.n_prefixes,
        MAX_CALLABLE_PREFIXES,
        "the set of prefixes a callable policy is evaluated on",
        "softmax_policy with a logits array, or a smaller MDP",
    )
    table = np.zeros((mdp.n_prefixes, mdp.V))
    dead = mdp.dead_prefixes
    for i in range(mdp.n_prefixes):
        if dead[i]:
            table[i, mdp.end_token] = 1.0
            continue
        state = mdp.prompt + mdp.prefix(i)
        try:
            row = np.asarray(fn(state), dtype=np.float64).reshape(-1)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"fn({state}) did not return numbers: {exc}") from None
        if row.shape != (mdp.V,):
            raise ValueError(
                f"fn({state}) returned {row.size} numbers; return one probability per token ({mdp.V})"
            )
        if not np.isfinite(row).all() or (row < 0).any():
            raise ValueError(
                f"fn({state}) returned {row.tolist()}; probabilities must be finite and >= 0"
            )
        if abs(row.sum() - 1.0) > _ROW_TOL:
            raise ValueError(
                f"fn({state}) is not a distribution over {mdp.V} tokens: it sums to "
                f"{row.sum():.12g}, not 1; return normalised probabilities"
            )
        table[i] = row
    return Policy(mdp, table, name=name)


# ----------------------------------------------------------------------------- returns
def _check_rewards(policy: Policy, rewards: Any) -> np.ndarray:
    if not isinstance(policy, Policy):
        raise ValueError(f"policy must be a Policy, got {type(policy).__name__}")
    mdp = policy.mdp
    r = as_array(rewards, name="rewards")
    if r.shape not in ((mdp.n_trajectories,), (mdp.n_trajectories, mdp.T)):
        raise ValueError(
            f"rewards has shape {r.shape}; expected ({mdp.n_trajectories},) for a sparse reward "
            f"R(s_T) per trajectory or ({mdp.n_trajectories}, {mdp.T}) for dense per-step rewards"
        )
    if not np.isfinite(r).all():
        raise ValueError("rewards contain NaN or inf; rewards must be finite numbers")
    return r


def _returns(r: np.ndarray, gamma: float) -> np.ndarray:
    if not (isinstance(gamma, numbers.Real) and 0.0 <= gamma <= 1.0):
        raise ValueError(f"gamma must be a discount factor in [0, 1], got {gamma!r}")
    if r.ndim == 1:
        return r
    return r @ (float(gamma) ** np.arange(r.shape[1]))


def expected_return(policy: Policy, rewards: Any, *, gamma: float = 1.0) -> float:
    """Exact ``J(π; ξ)`` by enumeration of every trajectory (§2.1).

    Parameters
    ----------
    policy : Policy
    rewards : array_like
        Shape ``(V**T,)``: sparse, ``J = E[R(s_T)]``; shape ``(V**T, T)``: dense per-step rewards
        ``r_t`` (paid for the ``t``-th token), ``J = E[Σ_t γ^t r_t]``.
    gamma : float
        Discount in ``[0, 1]`` (dense rewards only).

    Returns
    -------
    float
        ``Σ_τ p_π(τ) · return(τ)``.

    Raises
    ------
    ValueError
        Wrong shape (names both allowed shapes), NaN/inf, or ``gamma`` outside ``[0, 1]``.

    Examples
    --------
    >>> mdp = TokenMDP(2, 2)
    >>> expected_return(uniform_policy(mdp), [0, 0, 0, 1])
    0.25
    >>> expected_return(uniform_policy(mdp), np.ones((4, 2)), gamma=0.5)
    1.5
    """
    r = _check_rewards(policy, rewards)
    return float(policy.trajectory_probs() @ _returns(r, gamma))


def sampled_return(
    policy: Policy, rewards: Any, n: int, seed: int, *, gamma: float = 1.0
) -> Estimate:
    """``J(π; ξ)`` estimated from ``n`` sampled episodes, with its standard error (§2.1, §3.1).

    Parameters
    ----------
    policy : Policy
    rewards : array_like
        As for :func:`expected_return`.
    n : int
        Number of episodes (>= 1).
    seed : int
        Seed of the sampler.
    gamma : float
        Discount in ``[0, 1]`` (dense rewards only).

    Returns
    -------
    Estimate
        Sample mean of the returns and ``std / sqrt(n)``.

    Raises
    ------
    ValueError
        As :func:`expected_return`, plus a non-positive ``n`` or a seed that is not an int.

    Examples
    --------
    >>> mdp = TokenMDP(2, 2)
    >>> est = sampled_return(uniform_policy(mdp), [0, 0, 0, 1], n=4000, seed=1)
    >>> abs(est.value - 0.25) < 4 * est.stderr
    True
    """
    r = _check_rewards(policy, rewards)
    n = check_int(n, "n", 1, "ask for at least one episode")
    g = _returns(r, gamma)[policy._sample(n, rng_from_seed(seed))]
    se = float(g.std(ddof=1) / math.sqrt(n)) if n > 1 else float("inf")
    return Estimate(float(g.mean()), se, n)


def behaviour_policy(mdp: TokenMDP, p_a: float | None = None) -> Policy:
    """The behaviour policy of the §3.1 tables: uniform (``p_a=None``), or token ``a`` w.p. ``p_a``.

    Parameters
    ----------
    mdp : TokenMDP
    p_a : float, optional
        Probability of token ``a`` (index 0) at every prefix; the other tokens share the rest
        equally. ``None``: the uniform policy, REINFORCE's starting point.

    Returns
    -------
    Policy

    Raises
    ------
    ValueError
        ``p_a`` outside ``[0, 1]`` (or not 1 when ``V = 1``).

    Examples
    --------
    >>> behaviour_policy(TokenMDP(3, 1), 0.5).table.tolist()
    [[0.5, 0.25, 0.25]]
    >>> behaviour_policy(TokenMDP(2, 1)).name
    'uniform'
    """
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    if p_a is None:
        return uniform_policy(mdp)
    if isinstance(p_a, bool) or not isinstance(p_a, numbers.Real) or not 0 <= p_a <= 1:
        raise ValueError(f"p_a must be a probability in [0, 1], got {p_a!r}")
    if mdp.V == 1 and p_a != 1:
        raise ValueError("with V = 1 the only token has probability 1; use p_a=None or 1")
    row = np.full(mdp.V, (1.0 - p_a) / max(mdp.V - 1, 1))
    row[0] = p_a
    return table_policy(mdp, np.tile(row, (mdp.n_prefixes, 1)), name=f"a w.p. {p_a:g}")
