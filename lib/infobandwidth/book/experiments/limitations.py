"""Appendix, *Scope and limitations* (``book/part5/limitations.md``): the sizes the book can
enumerate, and one assumption broken on purpose.

* :func:`largest_horizon` — the longest hidden string whose exact joint of ``(ξ, τ)`` pairs the
  library enumerates (``|V|^(2T)`` pairs at most :data:`~infobandwidth.model.rewards.MAX_PAIRS`).
* :func:`weighted_return_bits` — what one *scalar* return tells about a hidden binary string when it
  weighs the matching positions by ``ratio**t`` and is read in ``levels`` levels. With ``ratio = 1``
  it is the match count of §3.1 (about ``½ log2 T`` bits at best); with ``ratio = 2`` and enough
  levels it is a binary code of the match pattern and tells all ``T`` bits. The article's "O(1)
  bits per episode for a scalar" assumes finite effective precision; this breaks it.

Examples
--------
>>> weighted_return_bits(6, 2.0, None)       # a binary code: every pattern its own value
6.0
>>> round(weighted_return_bits(2, 1.0, None), 3)   # matches of 2 tokens: 1/4, 1/2, 1/4
1.5
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from infobandwidth.base.numerics import OBSERVATION_DECIMALS, entropy_bits
from infobandwidth.base.validate import check_int
from infobandwidth.information.quantise import quantised_distribution
from infobandwidth.model.rewards import MAX_PAIRS

__all__ = ["largest_horizon", "weighted_return_values", "weighted_return_bits", "MAX_WEIGHTED_T", "BREAK_T", "BREAK_RATIOS",
           "BREAK_LEVELS"]

#: The longest string :func:`weighted_return_bits` enumerates (``2**T`` match patterns).
MAX_WEIGHTED_T = 20
#: The instance of the chapter's demo: horizons, weight ratios and levels (None: exact values).
BREAK_T = (8, 12)
BREAK_RATIOS = (1.0, 1.1, 1.5, 2.0)
BREAK_LEVELS = (2, 16, 256, None)


def largest_horizon(V: int, max_pairs: int = MAX_PAIRS) -> int:
    """The largest ``T`` with ``V**(2T) <= max_pairs``: how long a hidden string over ``V`` tokens can
    be for the exact joint of hidden strings and trajectories (0 if not even ``T = 1`` fits).

    Examples
    --------
    >>> largest_horizon(2, 50_000_000), largest_horizon(50257, 50_000_000)
    (12, 0)
    """
    V = check_int(V, "V", 2, "a vocabulary has at least two tokens")
    max_pairs = check_int(max_pairs, "max_pairs", 1, "the budget counts (ξ, τ) pairs")
    T = 0
    while V ** (2 * (T + 1)) <= max_pairs:
        T += 1
    return T


def weighted_return_values(T: int, ratio: float, p: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Every value of ``G = Σ_t ratio**t · [τ_t = ξ_t]`` over the ``2**T`` match patterns, with its
    probability when each token matches with probability ``p`` (one entry per pattern).

    Raises
    ------
    ValueError
        As :func:`weighted_return_bits`.

    Examples
    --------
    >>> values, probs = weighted_return_values(2, 2.0)
    >>> values.tolist(), probs.tolist()
    ([0.0, 2.0, 1.0, 3.0], [0.25, 0.25, 0.25, 0.25])
    """
    T = check_int(T, "T", 1, "an episode has at least one token")
    if T > MAX_WEIGHTED_T:
        raise ValueError(f"T = {T} means 2**{T} match patterns; the limit is T = {MAX_WEIGHTED_T}")
    if not isinstance(ratio, (int, float)) or not math.isfinite(ratio) or ratio <= 0:
        raise ValueError(f"ratio must be a positive finite number, got {ratio!r}")
    if not isinstance(p, (int, float)) or not 0 < p < 1:
        raise ValueError(f"p must be a probability strictly between 0 and 1, got {p!r}")
    patterns = np.array(list(itertools.product((0, 1), repeat=T)), dtype=float)
    values = patterns @ (float(ratio) ** np.arange(T))
    ones = patterns.sum(axis=1)
    return values, p ** ones * (1 - p) ** (T - ones)


def weighted_return_bits(T: int, ratio: float, levels: int | None, p: float = 0.5) -> float:
    """``I(G; ξ | τ)`` for the return ``G = Σ_t ratio**t · [τ_t = ξ_t]`` on a hidden string.

    Under a prior whose tokens are independent and match the trajectory's with probability ``p``
    (``p = 1/|V|`` for a uniform prior), the match pattern is ``T`` independent Bernoulli(``p``) bits
    for every trajectory, and ``G`` is a function of ``ξ`` given ``τ``, so ``I(G; ξ | τ) = H(G)``.

    Parameters
    ----------
    T : int
        Horizon, ``1 <= T <= MAX_WEIGHTED_T``.
    ratio : float
        Weight ratio ``> 0`` between consecutive positions (1: the match count).
    levels : int or None
        Read ``G`` in this many equal-width levels over ``[0, Σ_t ratio**t]`` (the book's one
        quantisation rule), or exactly (None: values equal to ``OBSERVATION_DECIMALS`` decimals are
        one observation).
    p : float
        Chance that a token matches, in ``(0, 1)``.

    Returns
    -------
    float
        Bits.

    Raises
    ------
    ValueError
        For a ``T`` out of range, a non-positive or non-finite ratio, invalid levels or ``p``.
    """
    values, probs = weighted_return_values(T, ratio, p)
    if levels is None:
        _, inverse = np.unique(np.round(values, OBSERVATION_DECIMALS), return_inverse=True)
        return entropy_bits(np.bincount(inverse, weights=probs))
    levels = check_int(levels, "levels", 1, "use at least one level, or None for exact values")
    return entropy_bits(quantised_distribution(values, probs, levels, 0.0, float(values.max())))
