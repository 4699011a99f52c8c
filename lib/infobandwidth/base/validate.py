"""Shared argument checks for every public function of :mod:`infobandwidth`.

Every check raises :class:`ValueError` with a message that says what is wrong *and* what to do,
so a reader who passes a bad table in a chapter sees the fix, not a traceback into numpy.

The checks used most are:

:func:`as_distribution`
    An array of probabilities: numeric, non-empty, the right number of axes, finite,
    non-negative and summing to 1 within :func:`normalisation_tolerance`.
:func:`check_enumerable`
    A size guard for anything that enumerates a table, used by the exact computations of
    every chapter (joints here, the token-level MDPs of Part 3).

The fast path of :func:`as_distribution` costs two reductions over the array (``min`` and
``sum``): a NaN makes the minimum NaN, ``-inf`` makes it ``-inf`` and ``+inf`` makes the sum
infinite, so one finiteness test of those two numbers replaces a pass of ``np.isfinite``.
Only when a check fails is the array searched again to name the offending index.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = [
    "as_array",
    "as_distribution",
    "check_distribution",
    "check_stochastic",
    "check_enumerable",
    "check_probability",
    "check_names",
    "normalisation_tolerance",
    "check_int",
    "rng_from_seed",
    "check_prior",
    "check_gamma",
    "check_rate",
    "check_bool",
    "check_choice",
]

#: Relative tolerance per ``sqrt(entries)`` for the sum of a distribution (see
#: :func:`normalisation_tolerance`).
NORMALISATION_RTOL = 1e-9


def normalisation_tolerance(n: int) -> float:
    """How far from 1 the sum of ``n`` probabilities may be: ``1e-9 * max(1, sqrt(n))``.

    A table normalised in float64 (``p / p.sum()``) sums to 1 within a few ``1e-16`` times
    ``log2(n)``; ``1e-9`` leaves room for tables typed with 10 significant digits or built from
    products of a few normalised factors. The tolerance grows like ``sqrt(n)`` (the typical
    growth of rounding error in a sum), not like ``n``: a linear rule would accept a
    4096×4096 table summing to 0.99.

    Parameters
    ----------
    n : int
        Number of entries in the table.

    Returns
    -------
    float
        The largest accepted ``|sum - 1|``.

    Examples
    --------
    >>> normalisation_tolerance(4)
    2e-09
    >>> normalisation_tolerance(1)
    1e-09
    """
    return NORMALISATION_RTOL * max(1.0, math.sqrt(n))


def _fmt_index(flat: int, shape: tuple[int, ...]) -> str:
    idx = np.unravel_index(flat, shape)
    if len(shape) == 1:
        return str(int(idx[0]))
    return "(" + ", ".join(str(int(i)) for i in idx) + ")"


def _fmt_number(x: float) -> str:
    return f"{x:.12g}"


def as_array(
    p: Any,
    *,
    name: str = "p",
    ndim: int | None = None,
    min_ndim: int = 1,
) -> np.ndarray:
    """Convert ``p`` to a float64 numpy array and check its type, axes and size (not its values).

    Parameters
    ----------
    p : array_like
        Numbers (a list, nested list, numpy array; bools and integers are converted).
    name : str
        What the caller calls this argument, used in the messages.
    ndim : int, optional
        The exact number of axes required. ``None`` accepts any number ``>= min_ndim``.
    min_ndim : int
        The smallest number of axes accepted when ``ndim`` is ``None``.

    Returns
    -------
    numpy.ndarray
        ``p`` as float64 (no copy when it already is float64).

    Raises
    ------
    ValueError
        If ``p`` is not numeric (strings, complex numbers, ragged lists, symbols), has the wrong
        number of axes, or has no entries.

    Examples
    --------
    >>> as_array([[1, 0], [0, 0]], ndim=2).dtype
    dtype('float64')
    >>> as_array([0.5, 0.5], ndim=2)
    Traceback (most recent call last):
        ...
    ValueError: p must have 2 axes, got 1 (shape (2,)); pass a 2-D table with one axis per variable
    """
    if isinstance(p, np.ndarray) and p.dtype == np.float64:
        arr = p
    else:
        try:
            arr = np.asarray(p)
        except (ValueError, TypeError) as exc:  # ragged nested lists
            raise ValueError(
                f"{name} is not a rectangular array of numbers ({exc}); "
                "pass a numpy array or equal-length nested lists"
            ) from None
        kind = arr.dtype.kind
        if kind == "c":
            raise ValueError(
                f"{name} has complex entries; probabilities are real numbers, pass p.real if the "
                "imaginary parts are zero"
            )
        if kind not in "biuf":
            try:
                arr = arr.astype(np.float64)
            except (ValueError, TypeError):
                raise ValueError(
                    f"{name} is not numeric (dtype {arr.dtype}); pass numbers, e.g. a float numpy "
                    "array (for symbols use the sym_* functions of infobandwidth.information.symbolic)"
                ) from None
        else:
            arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} ax{'is' if ndim == 1 else 'es'}, got {arr.ndim} "
            f"(shape {arr.shape}); pass a {ndim}-D table with one axis per variable"
        )
    if ndim is None and arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} ax{'is' if min_ndim == 1 else 'es'}, got "
            f"{arr.ndim} (shape {arr.shape}); wrap a single number in a list, e.g. [1.0]"
        )
    if arr.size == 0:
        raise ValueError(
            f"{name} is empty (shape {arr.shape}); a distribution needs at least one outcome"
        )
    return arr


def _check_finite_nonnegative(arr: np.ndarray, name: str, s: float, m: float) -> None:
    """Raise on NaN/inf or negative entries, given ``s = arr.sum()`` and ``m = arr.min()``."""
    if not (math.isfinite(s) and math.isfinite(m)):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:  # the sum can also overflow to inf with finite (huge) entries
            raise ValueError(
                f"{name} contains NaN or inf at index {_fmt_index(int(bad[0]), arr.shape)} "
                f"({bad.size} non-finite entr{'y' if bad.size == 1 else 'ies'}); "
                "probabilities must be finite numbers"
            )
    if m < 0:
        k = int(np.argmin(arr))
        raise ValueError(
            f"{name} has negative mass: the most negative value is {_fmt_number(m)} at index "
            f"{_fmt_index(k, arr.shape)}; probabilities must be >= 0 (if these are rounding "
            f"errors, use np.clip({name}, 0, None) and renormalise)"
        )


def check_distribution(
    arr: np.ndarray,
    *,
    name: str = "p",
    total: float | None = None,
    minimum: float | None = None,
) -> None:
    """Check that a float array holds a probability distribution; raise ``ValueError`` if not.

    The array must be finite, non-negative and sum to 1 within
    :func:`normalisation_tolerance` ``(arr.size)``.

    Parameters
    ----------
    arr : numpy.ndarray
        A float array (see :func:`as_array`).
    name : str
        What the caller calls it, used in the messages.
    total, minimum : float, optional
        ``arr.sum()`` and ``arr.min()`` if the caller already has them (e.g. the sum of the
        marginal it computed anyway), to save a pass over a large array.

    Raises
    ------
    ValueError
        On NaN/inf (names the first index), negative entries (names the most negative value),
        or a sum away from 1 (names the sum).

    Examples
    --------
    >>> check_distribution(np.array([0.5, 0.4]))
    Traceback (most recent call last):
        ...
    ValueError: p is not normalised: the probabilities sum to 0.9, not 1; divide by the sum to normalise (p / p.sum())
    """
    s = float(arr.sum()) if total is None else float(total)
    m = float(arr.min()) if minimum is None else float(minimum)
    _check_finite_nonnegative(arr, name, s, m)
    if not abs(s - 1.0) <= normalisation_tolerance(arr.size):
        if s > 0:
            fix = f"divide by the sum to normalise ({name} / {name}.sum())"
        else:
            fix = "give some outcome positive mass"
        raise ValueError(
            f"{name} is not normalised: the probabilities sum to {_fmt_number(s)}, not 1; {fix}"
        )


def as_distribution(
    p: Any,
    *,
    name: str = "p",
    ndim: int | None = None,
    min_ndim: int = 1,
) -> np.ndarray:
    """Convert ``p`` to a float64 array and check it is a probability distribution.

    :func:`as_array` followed by :func:`check_distribution`.

    Parameters
    ----------
    p : array_like
        The probabilities; a joint of several variables has one axis per variable.
    name : str
        What the caller calls it, used in the messages.
    ndim : int, optional
        Required number of axes (``None``: any number ``>= min_ndim``).
    min_ndim : int
        Smallest number of axes when ``ndim`` is ``None``.

    Returns
    -------
    numpy.ndarray
        ``p`` as float64 (not copied when it already is float64).

    Raises
    ------
    ValueError
        See :func:`as_array` and :func:`check_distribution`.

    Examples
    --------
    >>> as_distribution([0.25, 0.75])
    array([0.25, 0.75])
    >>> as_distribution([0.5, float("nan")])
    Traceback (most recent call last):
        ...
    ValueError: p contains NaN or inf at index 1 (1 non-finite entry); probabilities must be finite numbers
    """
    arr = as_array(p, name=name, ndim=ndim, min_ndim=min_ndim)
    check_distribution(arr, name=name)
    return arr


def check_probability(p: Any, *, name: str = "p") -> np.ndarray:
    """Check one probability or an array of them: finite and in ``[0, 1]``.

    Parameters
    ----------
    p : float or array_like
        The probabilities (not a distribution: they need not sum to 1).
    name : str
        What the caller calls it.

    Returns
    -------
    numpy.ndarray
        ``p`` as a float64 array (0-d for a scalar).

    Raises
    ------
    ValueError
        If ``p`` is non-numeric, NaN/inf, or outside ``[0, 1]``.

    Examples
    --------
    >>> check_probability(1.5)
    Traceback (most recent call last):
        ...
    ValueError: p must lie in [0, 1]; got 1.5 at index ()
    """
    arr = as_array(p, name=name, min_ndim=0)
    bad = ~np.isfinite(arr)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} contains NaN or inf at index {_fmt_index(k, arr.shape) if arr.ndim else '()'}"
            "; probabilities must be finite numbers in [0, 1]"
        )
    out = (arr < 0) | (arr > 1)
    if out.any():
        k = int(np.flatnonzero(out)[0])
        where = _fmt_index(k, arr.shape) if arr.ndim else "()"
        raise ValueError(
            f"{name} must lie in [0, 1]; got {_fmt_number(float(arr.flat[k]))} at index {where}"
        )
    return arr


def check_names(names: Any, *, what: str = "names") -> tuple[str, ...]:
    """Check a sequence of variable names: strings, non-empty, no duplicates.

    Parameters
    ----------
    names : sequence of str
        The names, one per axis.
    what : str
        What the caller calls them.

    Returns
    -------
    tuple of str

    Raises
    ------
    ValueError
        If a name is not a non-empty string or a name appears twice.

    Examples
    --------
    >>> check_names(["x", "y"])
    ('x', 'y')
    >>> check_names(["x", "x"])
    Traceback (most recent call last):
        ...
    ValueError: names has duplicates ['x']; give every variable its own name
    """
    if isinstance(names, str):
        names = (names,)
    try:
        names = tuple(names)
    except TypeError:
        raise ValueError(f"{what} must be a sequence of strings, got {names!r}") from None
    for n in names:
        if not isinstance(n, str) or not n:
            raise ValueError(f"{what} must be non-empty strings, got {n!r} in {list(names)}")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"{what} has duplicates {dup}; give every variable its own name")
    return names


def check_enumerable(n: int, limit: int, what: str, alternative: str) -> int:
    """Refuse to enumerate a table that is too large; return ``n`` when it fits.

    Exact computations in the book enumerate tables (joints, token sequences, policies).
    Call this before allocating or looping, so a reader who turns a slider too far gets a
    message with a way out instead of an exhausted machine.

    Parameters
    ----------
    n : int
        Number of entries that would be enumerated (may be a Python int of any size, e.g.
        ``vocab ** horizon``).
    limit : int
        Largest accepted ``n``.
    what : str
        What would be enumerated, as a noun phrase (``"the joint p(τ, ξ)"``).
    alternative : str
        What to do instead (``"a shorter horizon or the Monte Carlo estimator"``).

    Returns
    -------
    int
        ``n``, unchanged.

    Raises
    ------
    ValueError
        ``"<what> has <n> entries, above the limit <limit>; use <alternative>"``, or if ``n`` or
        ``limit`` is not a non-negative integer.

    Examples
    --------
    >>> check_enumerable(16, 1000, "the joint p(x, y)", "fewer levels")
    16
    >>> check_enumerable(2 ** 40, 10 ** 7, "the set of token sequences", "a shorter horizon")
    Traceback (most recent call last):
        ...
    ValueError: the set of token sequences has 1099511627776 entries, above the limit 10000000; use a shorter horizon
    """
    for label, v in (("n", n), ("limit", limit)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise ValueError(f"check_enumerable: {label} must be a non-negative integer, got {v!r}")
    if n > limit:
        raise ValueError(f"{what} has {int(n)} entries, above the limit {int(limit)}; use {alternative}")
    return n


def check_stochastic(arr: np.ndarray, *, name: str = "kernel") -> None:
    """Check that every slice along the last axis of ``arr`` is a distribution.

    A channel matrix ``W[x, y] = p(y | x)`` (rows sum to 1) or a kernel with several input axes
    ``K[i, j, v] = p(v | i, j)``. Each row sum must be within
    :func:`normalisation_tolerance` ``(arr.shape[-1])`` of 1.

    Parameters
    ----------
    arr : numpy.ndarray
        A float array with at least one axis (see :func:`as_array`).
    name : str
        What the caller calls it.

    Raises
    ------
    ValueError
        On NaN/inf, negative entries, or a row whose sum is not 1 (names the row and its sum).

    Examples
    --------
    >>> check_stochastic(np.array([[0.9, 0.1], [0.5, 0.4]]), name="W")
    Traceback (most recent call last):
        ...
    ValueError: W row 1 sums to 0.9, not 1; every row (last axis) must be a distribution: divide each row by its sum
    """
    sums = arr.sum(axis=-1)
    _check_finite_nonnegative(arr, name, float(sums.sum()), float(arr.min()))
    bad = np.flatnonzero(~(np.abs(sums - 1.0) <= normalisation_tolerance(arr.shape[-1])))
    if bad.size:
        k = int(bad[0])
        where = _fmt_index(k, sums.shape) if sums.ndim else "0"
        raise ValueError(
            f"{name} row {where} sums to {_fmt_number(float(sums.flat[k]))}, not 1; every row "
            "(last axis) must be a distribution: divide each row by its sum"
        )


# ----------------------------------------------------------------------------- scalar arguments
def check_int(value: Any, name: str, minimum: int, hint: str) -> int:
    """An integer argument ``>= minimum`` (bools refused); ``hint`` says what to pass instead.

    Examples
    --------
    >>> check_int(3, "T", 1, "a horizon is a positive integer")
    3
    >>> check_int(0, "T", 1, "a horizon is a positive integer")
    Traceback (most recent call last):
        ...
    ValueError: T must be an integer >= 1, got 0; a horizon is a positive integer
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{name} must be an integer >= {minimum}, got {value!r} ({type(value).__name__}); {hint}"
        )
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}; {hint}")
    return value


def rng_from_seed(seed: Any) -> np.random.Generator:
    """A numpy Generator from an integer seed; anything else is a ValueError."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(
            f"seed must be a non-negative int (e.g. seed=0), got {seed!r} "
            f"({type(seed).__name__}); pass an integer so the experiment is reproducible"
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int (e.g. seed=0), got {seed}")
    return np.random.default_rng(int(seed))


def check_prior(prior: Any, n_xi: int) -> np.ndarray:
    """A prior over ``n_xi`` reward parameters: a distribution with one entry per ξ (``None``: uniform)."""
    if prior is None:
        return np.full(n_xi, 1.0 / n_xi)
    p = as_distribution(prior, name="prior", ndim=1)
    if p.shape != (n_xi,):
        raise ValueError(
            f"prior has {p.shape[0]} entries but the family has |Ξ| = {n_xi} reward parameters; "
            "give one probability per ξ"
        )
    return np.array(p, dtype=np.float64)


def check_gamma(gamma: Any) -> float:
    """A discount factor in ``[0, 1]``."""
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real) or not 0.0 <= gamma <= 1.0:
        raise ValueError(
            f"gamma must be a discount factor in [0, 1], got {gamma!r}; use 1.0 for undiscounted "
            "episodes"
        )
    return float(gamma)


def check_rate(value: Any, name: str, *, at_most_one: bool = False, hint: str = "") -> float:
    """A positive finite number (a step size, a threshold); ``at_most_one`` also caps it at 1."""
    ok = (
        not isinstance(value, bool)
        and isinstance(value, numbers.Real)
        and math.isfinite(value)
        and value > 0
        and (not at_most_one or value <= 1)
    )
    if not ok:
        rng = "in (0, 1]" if at_most_one else "> 0 and finite"
        raise ValueError(f"{name} must be a number {rng}, got {value!r}; {hint or 'e.g. 0.5'}")
    return float(value)


def check_bool(value: Any, name: str) -> bool:
    """``True`` or ``False`` (numpy bools accepted; 0/1 refused)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value: Any, name: str, choices: tuple) -> Any:
    """One of ``choices``; the message lists them."""
    if not isinstance(value, (str, bool)) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value
