"""The numerical kernels and the named tolerances of the whole package.

One entropy kernel
------------------
Every entropy the package computes, of a validated table, of the rows of a matrix, of a histogram
of counts, goes through :func:`plogp`: ``p log2 p`` with ``0 log 0 = 0``. :func:`entropy_bits` sums
it over a whole array (in blocks, so a table of 10⁷ entries needs no second table-sized
temporary) and :func:`row_entropy_bits` along the last axis.

Named tolerances
----------------
Exact enumeration in float64 leaves rounding residue. Each place where the package decides that two
floats are "the same" uses one of these constants, never a literal:

:data:`ZERO_BITS`
    An information quantity (entropy, mutual information, a slack) smaller than this in absolute
    value is rounding residue and reported as exactly 0. Exact tables of this book have entropies of
    at most a few dozen bits, computed with relative error about 1e-15, so 1e-12 bits is far above
    the residue and far below any real quantity.
:data:`OBSERVATION_DECIMALS`
    The tie rule: two real-valued observations (rewards, returns, TD errors, reward levels) are the
    same observation when they agree after rounding to this many decimals (12). Reward tables are
    stored rounded by this rule, so equal rewards compare equal exactly. Rewards of the book's
    families are ratios of small integers and TD errors sums of a few such numbers with critic
    values: distinct values differ by far more than 1e-12, while the same value computed along two
    arithmetic paths differs by about 1e-15.
:data:`SLACK_BITS`
    An inequality between information quantities computed by exact enumeration "holds" when it is
    violated by at most this much (rounding in sums over up to 10⁷ terms).
:data:`INPUT_ATOL`
    A value a reader types (an observed return, say 1/3 as 0.333333333) matches a stored level
    when within this absolute distance.
:data:`BIN_EDGE_NUDGE`
    Equal-width binning of return levels adds this before rounding down, so a level on an edge up
    to rounding is put in the upper bin.

Examples
--------
>>> import numpy as np
>>> entropy_bits(np.array([0.5, 0.25, 0.25]))
1.5
>>> row_entropy_bits(np.array([[1.0, 0.0], [0.5, 0.5]])).tolist()
[0.0, 1.0]
>>> same_observation_codes(np.array([0.1 + 0.2, 0.3, 0.4]))[0].tolist()
[0, 0, 1]
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "ZERO_BITS",
    "OBSERVATION_DECIMALS",
    "SLACK_BITS",
    "LOG_FLOOR",
    "INPUT_ATOL",
    "BIN_EDGE_NUDGE",
    "plogp",
    "entropy_bits",
    "row_entropy_bits",
    "counts_entropy_bits",
    "clean_bits",
    "round_observations",
    "same_observation_codes",
    "observation_codes",
]

#: Information quantities below this (in bits, absolute) are rounding residue: reported as 0.
ZERO_BITS = 1e-12
#: Two real observations are the same when equal after rounding to this many decimals.
OBSERVATION_DECIMALS = 12
#: An inequality between computed information quantities holds if violated by at most this (bits).
SLACK_BITS = 1e-9
#: A real value typed by a reader (an observed return, a level) matches a stored value within this.
INPUT_ATOL = 1e-9
#: Equal-width binning adds this before the floor, so a level lying on a bin edge up to rounding
#: goes to the bin above (the edge belongs to the upper bin, as in :func:`~infobandwidth.information.quantise.quantise`).
BIN_EDGE_NUDGE = 1e-9

#: Stands in for 0 inside a logarithm: 2**-1074, whose log2 is -1074 (finite), so p·log2(p) = 0 at p = 0.
LOG_FLOOR = np.finfo(np.float64).smallest_subnormal
_CHUNK = 1 << 16  # entries per block: the log buffer (512 kB) stays in cache


def plogp(p: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``p log2 p`` elementwise, with ``0 log 0 = 0``, for a non-negative float64 array.

    ``max(p, 2**-1074)`` replaces zeros before the logarithm, so no mask and no warning is needed
    and the product with ``p = 0`` is exactly 0.

    Parameters
    ----------
    p : numpy.ndarray
        Non-negative float64 entries (not checked: callers validate).
    out : numpy.ndarray, optional
        A float64 buffer of ``p``'s shape to write into.

    Returns
    -------
    numpy.ndarray
    """
    t = np.maximum(p, LOG_FLOOR, out=out)
    np.log2(t, out=t)
    np.multiply(p, t, out=t)
    return t


def entropy_bits(p: np.ndarray) -> float:
    """``-Σ p log2 p`` over every entry of a non-negative array (no checks, no copy of ``p``).

    Large arrays are processed in blocks of 65,536 entries through one reused buffer. Each block's
    sum is numpy's pairwise sum, not a BLAS dot (BLAS threads contend on a shared machine).

    Parameters
    ----------
    p : numpy.ndarray
        Non-negative entries; they need not sum to 1 (then the result is ``-Σ p log2 p`` as is).

    Returns
    -------
    float
    """
    p = np.ascontiguousarray(p, dtype=np.float64).reshape(-1)
    n = p.size
    if n <= 1:
        return float(-plogp(p).sum()) + 0.0 if n else 0.0
    buf = np.empty(min(n, _CHUNK))
    acc = 0.0
    for start in range(0, n, _CHUNK):
        block = p[start:start + _CHUNK]
        acc += float(plogp(block, out=buf[: block.size]).sum())
    return -acc + 0.0  # + 0.0 turns -0.0 into 0.0


def row_entropy_bits(P: np.ndarray) -> np.ndarray:
    """``-Σ p log2 p`` along the last axis of a non-negative array (no checks).

    Returns
    -------
    numpy.ndarray
        One entropy per row, shape ``P.shape[:-1]``.
    """
    P = np.asarray(P, dtype=np.float64)
    return -plogp(P).sum(axis=-1) + 0.0


def counts_entropy_bits(counts: np.ndarray) -> float:
    """Entropy in bits of the histogram ``counts`` (non-negative integers), normalised by its total.

    ``H = log2 N - Σ n log2 n / N`` with ``N = Σ n``; 0 for an empty histogram.
    """
    n = np.asarray(counts, dtype=np.float64).reshape(-1)
    total = float(n.sum())
    if total <= 0:
        return 0.0
    return clean_bits(np.log2(total) + float(plogp(n).sum()) * -1.0 / total)


def clean_bits(x: float) -> float:
    """``x`` as a float, or exactly 0.0 when ``|x| <`` :data:`ZERO_BITS` (rounding residue)."""
    return 0.0 if abs(x) < ZERO_BITS else float(x)


def round_observations(values: np.ndarray) -> np.ndarray:
    """Real observations rounded by the tie rule (:data:`OBSERVATION_DECIMALS`), ``-0.0`` → ``0.0``."""
    return np.round(np.asarray(values, dtype=np.float64), OBSERVATION_DECIMALS) + 0.0


def same_observation_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of real observations under the tie rule: ``(codes, distinct values)``.

    ``values`` of shape ``(...,)`` give codes of the same shape; equal codes mean the same
    observation (equal after :func:`round_observations`). The distinct values are sorted.
    """
    r = round_observations(values)
    uniq, inv = np.unique(r.reshape(-1), return_inverse=True)
    return inv.reshape(r.shape).astype(np.int64), uniq


def observation_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of vector observations under the tie rule: the last axis is one observation.

    ``values`` of shape ``(..., k)`` give codes of shape ``(...)``; equal codes mean that all ``k``
    entries agree after :func:`round_observations`. Returns ``(codes, distinct rows)``.

    Examples
    --------
    >>> observation_codes(np.array([[0.1 + 0.2, 1.0], [0.3, 1.0], [0.3, 0.0]]))[0].tolist()
    [1, 1, 0]
    """
    v = np.asarray(values, dtype=np.float64)
    flat = round_observations(v.reshape(-1, v.shape[-1]))
    uniq, inv = np.unique(flat, axis=0, return_inverse=True)
    return inv.reshape(v.shape[:-1]).astype(np.int64), uniq
