"""Entropy, conditional entropy, mutual information and KL divergence of discrete tables, in bits.

Used in §2.3 (information-theory foundations), §2.4 (the data-processing inequality) and by every
later chapter through :class:`infobandwidth.information.joint.Joint`.

Conventions
-----------
* All logarithms are base 2: every result is in **bits**.
* ``0 · log 0 = 0``: outcomes of probability zero contribute nothing. Tiny probabilities
  (``1e-300``, subnormals) give finite results and no warnings.
* A joint table has one numpy axis per variable: ``pxy[x, y] = p(X=x, Y=y)``, X on axis 0,
  Y on axis 1 (and Z on axis 2 for :func:`conditional_mutual_information`).
* Every function validates its input (see :mod:`infobandwidth.base.validate`): NaN/inf, negative
  mass, a sum away from 1 (tolerance ``1e-9 · max(1, sqrt(size))``), an empty table or the
  wrong number of axes raise :class:`ValueError` saying what to do.
* Mutual informations and conditional entropies are differences of entropies; rounding can
  push a true zero to ``-1e-16``, so they are clipped at 0.

How it is computed
------------------
An entropy is one pass of ``log2`` over the table and one multiply-and-sum (in cache-sized
blocks through one reused buffer, so a large table needs no table-sized temporary):
``H(p) = -p · log2(max(p, 2**-1074))``. For ``p = 0`` the ``max`` gives the smallest subnormal,
whose logarithm (-1074) is finite, and ``0 · (-1074) = 0``; for ``p > 0`` it leaves ``p``
unchanged. Mutual information is ``H(X) + H(Y) - H(X, Y)``: one ``log2`` over the joint plus two
over the (small) marginals, whose sums also serve as the normalisation check.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from infobandwidth.base.numerics import LOG_FLOOR, entropy_bits
from infobandwidth.base.validate import (
    as_array,
    as_distribution,
    check_distribution,
    check_probability,
)

__all__ = [
    "entropy",
    "conditional_entropy",
    "mutual_information",
    "conditional_mutual_information",
    "kl_divergence",
    "binary_entropy",
]


def entropy(p: Any) -> float:
    """Shannon entropy ``H(p) = -Σ p log2 p`` in bits.

    Used in §2.3 (entropy as the average surprise of a signal) and §3.1 (entropy of a
    quantised reward).

    Parameters
    ----------
    p : array_like
        A probability distribution of any shape; a joint table is treated as the distribution
        of the tuple of its variables, so ``entropy(pxy)`` is ``H(X, Y)``.

    Returns
    -------
    float
        ``H(p)`` in bits, ``0 <= H <= log2(p.size)``.

    Raises
    ------
    ValueError
        If ``p`` is empty, a scalar, non-numeric, has NaN/inf or negative entries, or does not
        sum to 1 (the message gives the sum).

    Examples
    --------
    A fair coin carries one bit, a uniform choice among 8 outcomes three:

    >>> entropy([0.5, 0.5])
    1.0
    >>> entropy(np.full(8, 1 / 8))
    3.0
    >>> entropy([[0.25, 0.25], [0.5, 0.0]])
    1.5
    """
    arr = as_distribution(p, name="p")
    return entropy_bits(arr)


def _joint2(pxy: Any, name: str = "pxy") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a 2-D joint with the marginals' sums as the normalisation check."""
    arr = as_array(pxy, name=name, ndim=2)
    px = arr.sum(axis=1)
    py = arr.sum(axis=0)
    check_distribution(arr, name=name, total=px.sum())
    return arr, px, py


def conditional_entropy(pxy: Any) -> float:
    """Conditional entropy ``H(X | Y) = H(X, Y) - H(Y)`` in bits.

    Used in §2.3 (what remains uncertain about X once Y is seen).

    Parameters
    ----------
    pxy : array_like, shape (nx, ny)
        Joint distribution with ``pxy[x, y] = p(X=x, Y=y)``: X on axis 0, Y on axis 1.
        ``conditional_entropy(pxy.T)`` is ``H(Y | X)``.

    Returns
    -------
    float
        ``H(X | Y) >= 0`` in bits.

    Raises
    ------
    ValueError
        If ``pxy`` is not a 2-D probability table (see :func:`entropy`).

    Examples
    --------
    If Y is a copy of X nothing is left to learn; if Y is independent nothing was learned:

    >>> conditional_entropy([[0.5, 0.0], [0.0, 0.5]])
    0.0
    >>> conditional_entropy([[0.25, 0.25], [0.25, 0.25]])
    1.0
    """
    arr, _, py = _joint2(pxy)
    return max(0.0, entropy_bits(arr) - entropy_bits(py))


def mutual_information(pxy: Any) -> float:
    """Mutual information ``I(X; Y) = H(X) + H(Y) - H(X, Y)`` in bits.

    Used in §2.3 (how much a signal tells about what it is about), §2.4 (the data-processing
    inequality) and §3.1 (bits carried by a quantised reward).

    Parameters
    ----------
    pxy : array_like, shape (nx, ny)
        Joint distribution, X on axis 0, Y on axis 1.

    Returns
    -------
    float
        ``0 <= I(X; Y) <= min(H(X), H(Y))`` in bits (rounding below 0 is clipped to 0).

    Raises
    ------
    ValueError
        If ``pxy`` is not a 2-D probability table (see :func:`entropy`).

    Examples
    --------
    A noiseless copy of a fair bit carries one bit; an independent one carries none:

    >>> mutual_information([[0.5, 0.0], [0.0, 0.5]])
    1.0
    >>> mutual_information(np.outer([0.3, 0.7], [0.6, 0.4])) < 1e-12
    True
    """
    arr, px, py = _joint2(pxy)
    return max(0.0, entropy_bits(px) + entropy_bits(py) - entropy_bits(arr))


def conditional_mutual_information(pxyz: Any) -> float:
    """Conditional mutual information ``I(X; Y | Z)`` in bits.

    Computed as ``H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z)``. Used in §2.5 (what a signal tells
    about the task beyond what the trajectory already shows).

    Parameters
    ----------
    pxyz : array_like, shape (nx, ny, nz)
        Joint distribution with X on axis 0, Y on axis 1, Z on axis 2.

    Returns
    -------
    float
        ``I(X; Y | Z) >= 0`` in bits.

    Raises
    ------
    ValueError
        If ``pxyz`` is not a 3-D probability table (see :func:`entropy`).

    Examples
    --------
    Z = X xor Y for two fair independent bits: X and Y are independent, but given Z each
    determines the other.

    >>> p = np.zeros((2, 2, 2))
    >>> for x in (0, 1):
    ...     for y in (0, 1):
    ...         p[x, y, x ^ y] = 0.25
    >>> conditional_mutual_information(p)
    1.0
    >>> mutual_information(p.sum(axis=2))
    0.0
    """
    arr = as_array(pxyz, name="pxyz", ndim=3)
    pxz = arr.sum(axis=1)
    pyz = arr.sum(axis=0)
    pz = pxz.sum(axis=0)
    check_distribution(arr, name="pxyz", total=pz.sum())
    return max(0.0, entropy_bits(pxz) + entropy_bits(pyz) - entropy_bits(arr) - entropy_bits(pz))


def kl_divergence(p: Any, q: Any) -> float:
    """Kullback-Leibler divergence ``D(p || q) = Σ p log2(p / q)`` in bits.

    Used in §2.3 (the cost of believing q when the truth is p) and §2.4
    (``I(X; Y) = D(p(x, y) || p(x) p(y))``).

    Parameters
    ----------
    p, q : array_like
        Two distributions of the same shape (any number of axes).

    Returns
    -------
    float
        ``D(p || q) >= 0`` in bits, ``0`` exactly when ``p == q``. It is ``inf`` when some
        outcome has ``p > 0`` and ``q = 0``: that is the correct value (a code built for q has
        no codeword for an outcome that happens), not an error. Outcomes with ``p = 0``
        contribute 0 whatever q is.

    Raises
    ------
    ValueError
        If either argument is not a distribution, or their shapes differ.

    Examples
    --------
    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> kl_divergence([0.5, 0.5], [0.25, 0.75]) # doctest: +ELLIPSIS
    0.2075...
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    >>> kl_divergence([1.0, 0.0], [0.5, 0.5])
    1.0
    """
    pa = as_distribution(p, name="p")
    qa = as_distribution(q, name="q")
    if pa.shape != qa.shape:
        raise ValueError(
            f"p has shape {pa.shape} but q has shape {qa.shape}; D(p || q) compares two "
            "distributions over the same outcomes, pass arrays of the same shape"
        )
    mask = pa > 0
    pm = pa[mask]
    qm = qa[mask]
    if (qm == 0).any():
        return float("inf")
    # Difference of logs, not log of the ratio: p / q overflows for p = 1e-10, q = 1e-320.
    d = float(np.sum(pm * (np.log2(pm) - np.log2(qm))))
    return max(0.0, d)


def binary_entropy(p: Any) -> float | np.ndarray:
    """Binary entropy ``h(p) = -p log2 p - (1 - p) log2(1 - p)`` in bits, vectorised.

    Used in §2.3 (the entropy of a biased coin) and §2.4 (the capacity ``1 - h(ε)`` of a
    binary symmetric channel).

    Parameters
    ----------
    p : float or array_like
        Probabilities in ``[0, 1]`` (each entry is one coin's bias; they need not sum to 1).

    Returns
    -------
    float or numpy.ndarray
        ``h(p)`` in bits: a float for a scalar ``p``, an array of ``p``'s shape otherwise.
        ``h(0) = h(1) = 0``, ``h(1/2) = 1``.

    Raises
    ------
    ValueError
        If an entry is NaN/inf or outside ``[0, 1]``, or ``p`` is non-numeric.

    Examples
    --------
    >>> binary_entropy(0.5)
    1.0
    >>> binary_entropy([0.0, 0.5, 1.0])
    array([0., 1., 0.])
    >>> round(binary_entropy(0.11), 4)
    0.4999
    """
    arr = check_probability(p, name="p")
    q = 1.0 - arr
    lp = np.log2(np.maximum(arr, LOG_FLOOR))
    lq = np.log2(np.maximum(q, LOG_FLOOR))
    h = -(arr * lp + q * lq)
    h = np.maximum(h, 0.0)  # -0.0 at the endpoints
    if h.ndim == 0:
        return float(h)
    return h
