"""A real-valued signal squeezed into B levels.

Used in §3.1, where a learning signal (a reward, a return, a score) is quantised into ``B``
uniform levels and the chapter asks how many bits survive: at most ``log2 B``; and in §2.2 and
§3.2, where the match-count reward pays a count of matching positions in ``B`` levels.

Bins: the one rule
------------------
The interval ``[low, high]`` is cut into ``levels`` bins of equal width at the edges
``np.linspace(low, high, levels + 1)`` (:func:`bin_edges`). Bin ``k`` is the half-open interval
``[edges[k], edges[k+1])``, except the top bin, which also holds ``high``. A value exactly on an
edge therefore goes to the bin above it: ``quantise(edges[k], ...) == k``. "Exactly" is up to
floating-point rounding (:data:`~infobandwidth.base.numerics.BIN_EDGE_NUDGE` of a bin width), so
``quantise(0.3, 10, 0, 1) == 3`` although ``np.linspace(0, 1, 11)[3]`` is ``0.30000000000000004``.

Every B-level quantiser of the book uses this rule: :func:`quantise` for real values,
:func:`count_levels` (the same rule in integer arithmetic) for a count ``c`` of ``0 .. n``, i.e.
``quantise(c / n, B, 0, 1)``. The match-count reward with ``B`` levels
(:func:`~infobandwidth.model.rewards.match_count`) and the quantised return
(:class:`~infobandwidth.signals.signals.QuantisedReturn`) are both built on them, so quantising the
full match-count return into ``B`` bins gives the levels of ``match_count(..., levels=B)``.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from infobandwidth.base.numerics import BIN_EDGE_NUDGE
from infobandwidth.base.validate import as_array, as_distribution

__all__ = [
    "bin_edges",
    "bin_centers",
    "quantise",
    "count_levels",
    "quantised_distribution",
]


def _check_grid(levels: Any, low: Any, high: Any) -> tuple[int, float, float]:
    if isinstance(levels, bool) or not isinstance(levels, numbers.Integral):
        raise ValueError(
            f"levels must be an integer >= 1 (the number of quantisation levels B), got {levels!r}"
        )
    if levels < 1:
        raise ValueError(f"levels must be >= 1 (the number of quantisation levels B), got {levels}")
    for label, v in (("low", low), ("high", high)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ValueError(f"{label} must be a finite real number, got {v!r}")
    low, high = float(low), float(high)
    if not low < high:
        raise ValueError(
            f"low must be below high, got low={low!r}, high={high!r}; the levels cover [low, high]"
        )
    return int(levels), low, high


def bin_edges(levels: int, low: float, high: float) -> np.ndarray:
    """The ``levels + 1`` edges of the uniform bins over ``[low, high]``.

    Used in §3.1 (to draw the quantiser).

    Parameters
    ----------
    levels : int
        Number of bins ``B >= 1``.
    low, high : float
        The range, finite, ``low < high``.

    Returns
    -------
    numpy.ndarray, shape (levels + 1,)

    Raises
    ------
    ValueError
        If ``levels`` is not an integer ``>= 1`` or the range is not finite with ``low < high``.

    Examples
    --------
    >>> bin_edges(4, 0.0, 1.0)
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    levels, low, high = _check_grid(levels, low, high)
    return np.linspace(low, high, levels + 1)


def bin_centers(levels: int, low: float, high: float) -> np.ndarray:
    """The midpoints of the uniform bins: the value each level stands for.

    Used in §3.1 (the reconstruction of a quantised signal).

    Parameters
    ----------
    levels : int
        Number of bins ``B >= 1``.
    low, high : float
        The range, finite, ``low < high``.

    Returns
    -------
    numpy.ndarray, shape (levels,)

    Raises
    ------
    ValueError
        As :func:`bin_edges`.

    Examples
    --------
    >>> bin_centers(2, 0.0, 1.0)
    array([0.25, 0.75])
    """
    e = bin_edges(levels, low, high)
    return (e[:-1] + e[1:]) / 2


def quantise(x: Any, levels: int, low: float, high: float, *, clip: bool = False) -> Any:
    """Quantise real values into ``levels`` uniform bins over ``[low, high]``.

    Used in §3.1 (a reward squeezed into B levels).

    Parameters
    ----------
    x : float or array_like
        The values, finite.
    levels : int
        Number of levels ``B >= 1``.
    low, high : float
        The range covered, finite, ``low < high``; ``high`` itself goes into the top bin.
    clip : bool
        If False (default), a value outside ``[low, high]`` raises ``ValueError``. If True,
        values below ``low`` go to level 0 and values above ``high`` to level ``B - 1``.

    Returns
    -------
    int or numpy.ndarray of int
        The level ``k`` in ``0 .. B-1`` of each value (see the module docstring for the bins):
        an ``int`` for a scalar ``x``, an integer array of ``x``'s shape otherwise.

    Raises
    ------
    ValueError
        For NaN/inf or non-numeric ``x``, a value outside the range (without ``clip``), or an
        invalid grid (see :func:`bin_edges`).

    Examples
    --------
    >>> quantise([0.0, 0.24, 0.25, 0.99, 1.0], 4, 0.0, 1.0)
    array([0, 0, 1, 3, 3])
    >>> quantise(0.5, 2, 0.0, 1.0)
    1
    >>> quantise(7.0, 2, 0.0, 1.0, clip=True)
    1
    """
    edges = bin_edges(levels, low, high)
    arr = as_array(x, name="x", min_ndim=0)
    bad = ~np.isfinite(arr)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        where = np.unravel_index(k, arr.shape) if arr.ndim else ()
        raise ValueError(f"x contains NaN or inf at index {tuple(int(i) for i in where)}; "
                         "quantise finite values only")
    if not clip:
        lo, hi = float(arr.min()), float(arr.max())
        if lo < edges[0] or hi > edges[-1]:
            raise ValueError(
                f"x has values outside [low, high] = [{edges[0]:g}, {edges[-1]:g}] "
                f"(min {lo:g}, max {hi:g}); widen the range or pass clip=True to put them in "
                "the end levels"
            )
    # the rule of the module docstring, in bin units: floor, an edge (up to rounding) goes up
    pos = (arr - edges[0]) / (edges[-1] - edges[0]) * levels
    k = np.clip(np.floor(pos + BIN_EDGE_NUDGE), 0, levels - 1).astype(np.intp)
    if k.ndim == 0:
        return int(k)
    return k.astype(np.intp, copy=False)


def count_levels(n: int, levels: int) -> np.ndarray:
    """The level of every count ``c = 0 .. n`` under the module's rule, in exact integer arithmetic.

    Used in §2.2 and §3.2 (the match-count reward with ``B`` levels) and §3.1 (the same levels as a
    quantised return). Level ``k`` holds the counts with ``k/B <= c/n < (k+1)/B``, and ``c = n`` is
    in the top level: ``min(B·c // n, B - 1)``, which is ``quantise(c / n, B, 0, 1)`` computed without
    rounding.

    Parameters
    ----------
    n : int
        The largest count, ``>= 1`` (for match count, the horizon ``T``).
    levels : int
        Number of levels ``B >= 1``.

    Returns
    -------
    numpy.ndarray of int, shape (n + 1,)
        ``out[c]`` is the level of count ``c``; it never decreases with ``c``.

    Raises
    ------
    ValueError
        If ``n`` is not an integer ``>= 1`` or ``levels`` is not an integer ``>= 1``.

    Examples
    --------
    Four positions, two levels: "at least half of them match" pays.

    >>> count_levels(4, 2).tolist()
    [0, 0, 1, 1, 1]
    >>> count_levels(3, 4).tolist()          # B = n + 1: every count is its own level
    [0, 1, 2, 3]
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be an integer >= 1 (the largest count), got {n!r}")
    levels, _, _ = _check_grid(levels, 0.0, 1.0)
    c = np.arange(int(n) + 1, dtype=np.int64)
    return np.minimum(levels * c // int(n), levels - 1).astype(np.intp)


def quantised_distribution(
    values: Any,
    probs: Any,
    levels: int,
    low: float,
    high: float,
    *,
    clip: bool = False,
) -> np.ndarray:
    """The distribution over ``levels`` levels of a discrete real signal after quantisation.

    Used in §3.1 (the entropy of a quantised reward, at most ``log2 B`` bits).

    Parameters
    ----------
    values : array_like, shape (n,)
        The values the signal can take (repeats allowed).
    probs : array_like, shape (n,)
        Their probabilities (a distribution).
    levels : int
        Number of levels ``B >= 1``.
    low, high : float
        The range, as in :func:`quantise`.
    clip : bool
        As in :func:`quantise`.

    Returns
    -------
    numpy.ndarray, shape (levels,)
        ``out[k]`` = total probability of the values that fall in level ``k``.

    Raises
    ------
    ValueError
        If ``probs`` is not a 1-D distribution, ``values`` and ``probs`` differ in length, or
        as :func:`quantise`.

    Examples
    --------
    >>> quantised_distribution([0.1, 0.2, 0.9], [0.25, 0.25, 0.5], 2, 0.0, 1.0)
    array([0.5, 0.5])
    """
    p = as_distribution(probs, name="probs", ndim=1)
    v = as_array(values, name="values", ndim=1)
    if v.shape != p.shape:
        raise ValueError(
            f"values has {v.size} entries but probs has {p.size}; give one probability per value"
        )
    k = quantise(v, levels, low, high, clip=clip)
    return np.bincount(k, weights=p, minlength=int(levels))
