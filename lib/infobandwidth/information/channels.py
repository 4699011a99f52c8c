"""Noisy channels and Markov chains, for the data-processing inequality.

Used in §2.4: a channel is a row-stochastic matrix ``W[x, y] = p(y | x)`` (each row a
distribution over outputs). Chaining channels gives a Markov chain ``X → Y → Z``, and the
data-processing inequality says ``I(X; Z) <= I(X; Y)``: no processing of Y, noisy or
deterministic, adds information about X.

Examples
--------
>>> from infobandwidth.information.measures import mutual_information
>>> W = binary_symmetric_channel(0.1)
>>> p = markov_chain_joint([0.5, 0.5], W, W)                 # X → Y → Z, two noisy hops
>>> mutual_information(p.sum(axis=2)) >= mutual_information(p.sum(axis=1))
True
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from infobandwidth.base.validate import (
    as_array,
    as_distribution,
    check_probability,
    check_stochastic,
)

__all__ = [
    "channel",
    "binary_symmetric_channel",
    "deterministic_channel",
    "compose",
    "joint_from_channel",
    "markov_chain_joint",
]


def channel(matrix: Any, *, name: str = "channel") -> np.ndarray:
    """Check a channel matrix and return it as a float array.

    Used in §2.4.

    Parameters
    ----------
    matrix : array_like, shape (n_in, n_out)
        ``matrix[x, y] = p(y | x)``: each row is a distribution over the outputs.
    name : str
        What the caller calls it, for the messages.

    Returns
    -------
    numpy.ndarray, shape (n_in, n_out)
        A float64 copy.

    Raises
    ------
    ValueError
        If the matrix is not 2-D, empty, non-numeric, has NaN/inf or negative entries, or a row
        that does not sum to 1 (the message names the row and its sum).

    Examples
    --------
    >>> channel([[1, 0], [0.5, 0.5]])
    array([[1. , 0. ],
           [0.5, 0.5]])
    >>> channel([[1, 0], [0.5, 0.6]])
    Traceback (most recent call last):
        ...
    ValueError: channel row 1 sums to 1.1, not 1; every row (last axis) must be a distribution: divide each row by its sum
    """
    w = np.array(as_array(matrix, name=name, ndim=2), dtype=np.float64, copy=True)
    check_stochastic(w, name=name)
    return w


def binary_symmetric_channel(eps: float) -> np.ndarray:
    """The binary symmetric channel: flips its input bit with probability ``eps``.

    Used in §2.4 (capacity ``1 - h(eps)``, reached by a uniform input).

    Parameters
    ----------
    eps : float
        Flip probability, in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, shape (2, 2)
        ``[[1 - eps, eps], [eps, 1 - eps]]``.

    Raises
    ------
    ValueError
        If ``eps`` is not a single number in ``[0, 1]``.

    Examples
    --------
    >>> binary_symmetric_channel(0.25)
    array([[0.75, 0.25],
           [0.25, 0.75]])
    """
    e = check_probability(eps, name="eps")
    if e.ndim != 0:
        raise ValueError(f"eps must be a single number, got shape {e.shape}")
    e = float(e)
    return np.array([[1.0 - e, e], [e, 1.0 - e]])


def deterministic_channel(f: Callable[[int], int] | Any, n_in: int, n_out: int) -> np.ndarray:
    """The channel matrix of a function: ``W[x, f(x)] = 1``.

    Used in §2.4 (processing by a function cannot add information: ``I(X; f(Y)) <= I(X; Y)``).

    Parameters
    ----------
    f : callable or array_like of int
        A function ``f(x) -> int`` called for ``x = 0 .. n_in-1``, or the table of its values
        (length ``n_in``).
    n_in, n_out : int
        Number of inputs and outputs, ``>= 1``.

    Returns
    -------
    numpy.ndarray, shape (n_in, n_out)
        A 0/1 matrix with one 1 per row.

    Raises
    ------
    ValueError
        If ``n_in``/``n_out`` are not integers ``>= 1``, the table has the wrong length, or a
        value of ``f`` is not an integer in ``0 .. n_out-1``.

    Examples
    --------
    >>> deterministic_channel(lambda x: x // 2, 4, 2)      # forget the low bit
    array([[1., 0.],
           [1., 0.],
           [0., 1.],
           [0., 1.]])
    """
    for label, v in (("n_in", n_in), ("n_out", n_out)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
            raise ValueError(f"{label} must be an integer >= 1, got {v!r}")
    n_in, n_out = int(n_in), int(n_out)
    if callable(f):
        values = [f(x) for x in range(n_in)]
    else:
        t = np.asarray(f)
        if t.shape != (n_in,):
            raise ValueError(
                f"the table of f has shape {t.shape}, expected ({n_in},): one output per input"
            )
        values = t.tolist()
    w = np.zeros((n_in, n_out))
    for x, y in enumerate(values):
        ok = (not isinstance(y, bool)) and (
            isinstance(y, numbers.Integral) or (isinstance(y, float) and y.is_integer())
        )
        if not ok or not 0 <= y < n_out:
            raise ValueError(
                f"f({x}) = {y!r}; it must be an integer in 0..{n_out - 1} "
                "(raise n_out if f has more values)"
            )
        w[x, int(y)] = 1.0
    return w


def compose(*channels: Any) -> np.ndarray:
    """The channel of several channels in series: ``W1 @ W2 @ ...``.

    Used in §2.4 (a chain of processing steps is one channel).

    Parameters
    ----------
    *channels : array_like
        Channel matrices; each one's number of outputs must equal the next one's inputs.

    Returns
    -------
    numpy.ndarray
        ``p(last output | first input)``, shape ``(n_in of the first, n_out of the last)``.

    Raises
    ------
    ValueError
        With no channels, an invalid channel (see :func:`channel`), or shapes that do not
        chain (the message names the pair).

    Examples
    --------
    Two binary symmetric channels with ``eps = 0.1`` make one with ``eps = 0.18``:

    >>> W = binary_symmetric_channel(0.1)
    >>> compose(W, W)
    array([[0.82, 0.18],
           [0.18, 0.82]])
    """
    if not channels:
        raise ValueError("compose needs at least one channel")
    ws = [channel(c, name=f"channel {i}") for i, c in enumerate(channels)]
    out = ws[0]
    for i in range(1, len(ws)):
        if ws[i - 1].shape[1] != ws[i].shape[0]:
            raise ValueError(
                f"channel {i - 1} has {ws[i - 1].shape[1]} outputs but channel {i} has "
                f"{ws[i].shape[0]} inputs; the outputs of each channel are the inputs of the next"
            )
        out = out @ ws[i]
    return out


def joint_from_channel(px: Any, w: Any) -> np.ndarray:
    """The joint ``p(x, y) = p(x) W[x, y]`` of a channel's input and output.

    Used in §2.4 (``I(X; Y)`` of a channel for a given input distribution).

    Parameters
    ----------
    px : array_like, shape (n_in,)
        Input distribution.
    w : array_like, shape (n_in, n_out)
        Channel matrix.

    Returns
    -------
    numpy.ndarray, shape (n_in, n_out)
        X on axis 0, Y on axis 1.

    Raises
    ------
    ValueError
        If ``px`` is not a 1-D distribution, ``w`` is not a channel, or their sizes differ.

    Examples
    --------
    >>> joint_from_channel([0.5, 0.5], binary_symmetric_channel(0.0))
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    p = as_distribution(px, name="px", ndim=1)
    wm = channel(w, name="channel")
    if wm.shape[0] != p.size:
        raise ValueError(
            f"px has {p.size} values but the channel has {wm.shape[0]} inputs (rows); "
            "they must match"
        )
    return p[:, None] * wm


def markov_chain_joint(px: Any, p_y_given_x: Any, p_z_given_y: Any) -> np.ndarray:
    """The joint ``p(x, y, z) = p(x) p(y | x) p(z | y)`` of a Markov chain ``X → Y → Z``.

    Used in §2.4 (the data-processing inequality ``I(X; Z) <= I(X; Y)``).

    Parameters
    ----------
    px : array_like, shape (nx,)
        Distribution of X.
    p_y_given_x : array_like, shape (nx, ny)
        Channel from X to Y (rows sum to 1).
    p_z_given_y : array_like, shape (ny, nz)
        Channel from Y to Z (rows sum to 1).

    Returns
    -------
    numpy.ndarray, shape (nx, ny, nz)
        X on axis 0, Y on axis 1, Z on axis 2.

    Raises
    ------
    ValueError
        If an argument is invalid (see :func:`channel`) or the sizes do not chain.

    Examples
    --------
    >>> p = markov_chain_joint([0.5, 0.5], np.eye(2), np.eye(2))
    >>> p.shape, p[1, 1, 1]
    ((2, 2, 2), np.float64(0.5))
    """
    p = as_distribution(px, name="px", ndim=1)
    w1 = channel(p_y_given_x, name="p_y_given_x")
    w2 = channel(p_z_given_y, name="p_z_given_y")
    if w1.shape[0] != p.size:
        raise ValueError(
            f"px has {p.size} values but p_y_given_x has {w1.shape[0]} rows; they must match"
        )
    if w2.shape[0] != w1.shape[1]:
        raise ValueError(
            f"p_y_given_x has {w1.shape[1]} outputs (columns) but p_z_given_y has "
            f"{w2.shape[0]} inputs (rows); they must match"
        )
    return p[:, None, None] * w1[:, :, None] * w2[None, :, :]
