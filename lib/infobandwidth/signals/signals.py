"""Learning signals: what a learner observes of the reward in one episode (§2.5, §3).

A signal maps the pair (ξ, τ) — the unknown reward parameter and the trajectory the learner wrote —
to an observation: the total return (:class:`ReturnSignal`), the return squeezed into ``B`` levels
(:class:`QuantisedReturn`), the vector of per-step rewards (:class:`DenseRewards`), any of these
through a noisy channel (:class:`NoisySignal`), or a table or function given by the reader
(:class:`TableSignal`, :class:`CallableSignal`). A signal *binds* to a reward family and gives
integer observation codes for every (ξ, τ), which is all the exact bandwidth computations need.
Two real-valued observations are the same when they agree under the package's tie rule
(:data:`infobandwidth.base.numerics.OBSERVATION_DECIMALS`).
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Callable

import numpy as np

from infobandwidth.base.numerics import INPUT_ATOL
from infobandwidth.base.validate import (
    as_array,
    check_enumerable,
    check_int,
)
from infobandwidth.information.quantise import quantise
from infobandwidth.model.rewards import (
    MAX_CALLABLE_PAIRS,
    RewardFamily,
    _fmt,
    _grid_lookup,
    _r12,
)

__all__ = [
    "SIGNAL_NAMES",
    "Signal",
    "ReturnSignal",
    "QuantisedReturn",
    "DenseRewards",
    "NoisySignal",
    "TableSignal",
    "CallableSignal",
    "make_signal",
    "as_signal",
]


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
    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.model.mdp import TokenMDP
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
    >>> from infobandwidth.model.rewards import match_count
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> ReturnSignal().bind(match_count(TokenMDP(2, 2))).K_obs     # G in {0, 1/2, 1}
    3
    """

    name = "return"

    def bind(self, family):
        levels = family.return_levels()

        def encode(v):
            hit = np.flatnonzero(np.isclose(levels, float(v), rtol=0, atol=INPUT_ATOL))
            if not hit.size:
                raise ValueError(f"return {v!r} is not a value of this family: {levels.tolist()}")
            return int(hit[0])

        return _Bound(self.name, len(levels), family._return_codes, encode,
                      lambda c: _fmt(levels[c]))


class QuantisedReturn(Signal):
    """``S`` = the return in ``levels`` equal-width bins over ``[lo, hi]`` (§3.1).

    ``lo``/``hi`` default to the smallest/largest reward of the family. Observations are bin
    numbers ``0 .. levels-1``. The bins follow the book's one rule
    (:func:`~infobandwidth.information.quantise.quantise`: a return on an edge goes to the bin
    above, ``hi`` to the top bin; returns outside ``[lo, hi]`` to the end bins), the rule the
    match-count reward with ``B`` levels uses too.

    Parameters
    ----------
    levels : int
        ``B >= 1`` bins.
    lo, hi : float, optional
        The range cut into bins.

    Examples
    --------
    >>> from infobandwidth.model.rewards import match_count
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> b = QuantisedReturn(2).bind(match_count(TokenMDP(2, 3)))
    >>> [b.value_label(c) for c in range(2)]
    ['[0,0.5)', '[0.5,1)']
    """

    def __init__(self, levels: int, lo: float | None = None, hi: float | None = None) -> None:
        self.levels = check_int(levels, "levels", 1, "use at least one bin")
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
            bins = quantise(base, B, lo, hi, clip=True).astype(np.int64)
        else:
            bins = np.zeros(len(base), dtype=np.int64)
        width = (hi - lo) / B

        def codes(xi, tr):
            return bins[family._return_codes(xi, tr)]

        def encode(v):
            return check_int(v, "observed bin", 0, f"bins are 0..{B - 1}")

        return _Bound(self.name, B, codes, encode,
                      lambda c: f"[{_fmt(lo + c * width)},{_fmt(lo + (c + 1) * width)})")


class DenseRewards(Signal):
    """``S = (r_0, ..., r_{T-1})``, the vector of per-step rewards (§3.2), or a reward every ``k`` tokens (§4.4).

    With ``every = k`` the learner is paid after tokens ``k, 2k, ...`` (and after the last token):
    each payment is the sum of the per-step rewards since the previous one. ``every = 1`` is the
    dense reward, ``every >= T`` one payment at the end, the return ``G`` (unquantised).

    Observations are sequences of payments (``T`` of them for ``every = 1``). Internally the vector
    is coded through the running sums ``Φ'(s_t)`` at the payment steps, which determine it and take
    few values per step.

    Parameters
    ----------
    every : int
        ``k >= 1``, the tokens between two payments.

    Raises
    ------
    ValueError
        If ``every`` is not a positive integer.

    Examples
    --------
    >>> from infobandwidth.model.rewards import exact_match, match_count
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> b = DenseRewards().bind(exact_match(TokenMDP(2, 2)))
    >>> b.value_label(b.encode([0.5, -0.5]))
    '(0.5,-0.5)'
    >>> blocks = DenseRewards(every=2).bind(match_count(TokenMDP(2, 4)))
    >>> blocks.value_label(blocks.encode([0.25, 0.5]))     # 1 match in tokens 1-2, 2 in tokens 3-4
    '(0.25,0.5)'
    """

    def __init__(self, every: int = 1) -> None:
        self.every = check_int(every, "every", 1, "a reward arrives every k >= 1 tokens")
        self.name = "dense rewards" if self.every == 1 else f"a reward every {self.every} tokens"

    def __repr__(self) -> str:
        return f"DenseRewards(every={self.every})"

    def bind(self, family):
        T = family.mdp.T
        steps = list(range(self.every, T + 1, self.every))
        if not steps or steps[-1] != T:
            steps.append(T)                     # the last payment comes with the last token
        all_levels = family.potential_levels()
        levels = [all_levels[t - 1] for t in steps]
        cols = np.array(steps) - 1
        sizes = [len(lv) for lv in levels]
        K = math.prod(sizes)
        if K >= 2**62:
            raise ValueError(
                f"the dense reward vector has up to {K} values, too many to code; "
                "use a shorter horizon, fewer reward values or a larger `every`"
            )
        radix = np.array([math.prod(sizes[t + 1:]) for t in range(len(sizes))], dtype=np.int64)
        grids = [_grid_lookup(lv) for lv in levels]

        def codes(xi, tr):
            pc = family._potential_codes(xi, tr)
            out = np.zeros((len(xi), len(tr)), dtype=np.int64)
            if pc is not None:
                for j, t in enumerate(cols):
                    out += pc[:, :, t] * radix[j]
                return out
            phi = family._phi(xi, tr)
            for j, lv in enumerate(levels):
                v = phi[:, :, cols[j] + 1]
                if grids[j] is not None:  # levels on a grid: arithmetic and a lookup table
                    lo, q, table = grids[j]
                    k = np.rint((v - lo) * (1.0 / q)).astype(np.int64)
                    np.clip(k, 0, len(table) - 1, out=k)
                    c = table[k]
                else:
                    c = np.minimum(np.searchsorted(lv, _r12(v)), len(lv) - 1)
                out += c * radix[j]
            return out

        def encode(v):
            v = np.asarray(v, dtype=np.float64).reshape(-1)
            if v.shape != (len(levels),):
                what = ("rewards, one per token" if self.every == 1
                        else f"payments, one per block of {self.every} tokens")
                raise ValueError(f"a dense observation has {len(levels)} {what} (T = {T}); "
                                 f"got {v.size} values: pass one value per entry")
            code = 0
            for j, (lv, phi) in enumerate(zip(levels, np.cumsum(v))):
                hit = np.flatnonzero(np.isclose(lv, phi, rtol=0, atol=INPUT_ATOL))
                if not hit.size:
                    raise ValueError(f"the rewards {v.tolist()} are not possible in this family "
                                     f"(running sum {phi:.4g} after token {steps[j]})")
                code += int(hit[0]) * int(radix[j])
            return code

        def label(c):
            phi = [levels[j][(c // int(radix[j])) % sizes[j]] for j in range(len(levels))]
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
    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.model.mdp import TokenMDP
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
        encode = b._encode if square else (lambda v: check_int(v, "observed output", 0, "outputs are numbered"))
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
    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.model.mdp import TokenMDP
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
    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.model.mdp import TokenMDP
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

    ``return``; ``quantised_return`` (``levels``, optional ``lo``, ``hi``); ``dense`` (optional ``every``);
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
