"""Joint distributions of many named discrete variables, queried by name.

Used from §2.3 on, and above all in §2.5 and Part 3, where a chapter builds the joint of a task
ξ, a trajectory τ, a return G = R(τ, ξ) and a learning signal, and asks for quantities such as
``I(signal; ξ | τ)``. A :class:`Joint` holds one numpy array with **one axis per named
variable**; every query marginalises by summing axes and combines entropies:

* ``H(A | C) = H(A, C) - H(C)``
* ``I(A; B | C) = H(A, C) + H(B, C) - H(A, B, C) - H(C)``

Entropies of subsets of variables are cached (a :class:`Joint` is immutable), so a chapter can
ask many questions of one joint cheaply. All results are in bits.

Examples
--------
>>> J = Joint.independent(x=[0.5, 0.5], noise=[0.9, 0.1])
>>> J = J.with_function("y", lambda x, noise: x ^ noise, 2)   # a bit sent through a BSC(0.1)
>>> round(J.I("x", "y"), 4)                                   # 1 - h(0.1)
0.531
>>> J.I("x", "y", given="noise")                              # knowing the noise, y reveals x
1.0
"""
from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from infobandwidth.base.numerics import entropy_bits
from infobandwidth.base.validate import (
    as_array,
    as_distribution,
    check_distribution,
    check_enumerable,
    check_names,
    check_stochastic,
)

__all__ = [
    "Joint",
    "joint_codes",
    "conditional_entropy_of_codes",
]

#: Largest number of entries a :class:`Joint` may hold (8 bytes each: 400 MB).
MAX_ENTRIES = 50_000_000
#: Largest number of input combinations :meth:`Joint.from_function` calls ``f`` on.
MAX_CALLS = 1_000_000


class Joint:
    """A joint distribution of named discrete variables, one numpy axis per name.

    Parameters
    ----------
    p : array_like
        The probability table; ``p[i, j, ...]`` is the probability that the first variable
        takes value ``i``, the second ``j``, and so on. It must be finite, non-negative and sum
        to 1 (within ``1e-9 · max(1, sqrt(p.size))``). It is copied and stored read-only.
    names : sequence of str
        One distinct name per axis of ``p``.

    Attributes
    ----------
    names : tuple of str
        The variables, in axis order.
    shape : tuple of int
        Number of values of each variable.
    p : numpy.ndarray
        The probability table (read-only).

    Raises
    ------
    ValueError
        If ``p`` is not a distribution (see :func:`infobandwidth.base.validate.as_distribution`),
        the names are not distinct non-empty strings, or their number differs from ``p.ndim``.

    See Also
    --------
    Joint.independent, Joint.with_channel, Joint.from_function : other ways to build one.

    Examples
    --------
    Cover & Thomas's Example 2.2.1 (X on axis 0, Y on axis 1):

    >>> table = np.array([[1/8, 1/16, 1/32, 1/32],
    ...                   [1/16, 1/8, 1/32, 1/32],
    ...                   [1/16, 1/16, 1/16, 1/16],
    ...                   [1/4, 0, 0, 0]]).T
    >>> J = Joint(table, ["x", "y"])
    >>> J
    Joint(names=('x', 'y'), shape=(4, 4))
    >>> J.H("x"), J.H("y"), J.H("x", given="y"), J.I("x", "y")
    (1.75, 2.0, 1.375, 0.375)
    """

    __slots__ = ("_p", "_names", "_axis", "_hcache")

    def __init__(self, p: Any, names: Iterable[str]):
        names = check_names(names)
        arr = as_array(p, name="p", min_ndim=0)
        if arr.ndim != len(names):
            raise ValueError(
                f"p has {arr.ndim} axes (shape {arr.shape}) but {len(names)} names were given "
                f"({list(names)}); give exactly one name per axis"
            )
        if not names:
            raise ValueError("a Joint needs at least one variable; give one name per axis of p")
        check_enumerable(arr.size, MAX_ENTRIES, "the joint table", "fewer variables or values")
        arr = np.array(arr, dtype=np.float64, copy=True)
        check_distribution(arr, name="p")
        self._init(arr, names)

    def _init(self, arr: np.ndarray, names: tuple[str, ...]) -> None:
        arr.setflags(write=False)
        self._p = arr
        self._names = names
        self._axis = {n: i for i, n in enumerate(names)}
        self._hcache: dict[frozenset[int], float] = {}

    @classmethod
    def _trusted(cls, arr: np.ndarray, names: tuple[str, ...]) -> "Joint":
        """Build from an array already known to be a distribution (no checks, no copy)."""
        obj = cls.__new__(cls)
        obj._init(np.ascontiguousarray(arr, dtype=np.float64), names)
        return obj

    # ------------------------------------------------------------------ basic attributes
    @property
    def names(self) -> tuple[str, ...]:
        """The variables, in axis order."""
        return self._names

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values of each variable, in axis order."""
        return self._p.shape

    @property
    def p(self) -> np.ndarray:
        """The probability table, one axis per name (read-only)."""
        return self._p

    def __repr__(self) -> str:
        return f"Joint(names={self._names!r}, shape={self._p.shape!r})"

    # ------------------------------------------------------------------ name handling
    def _unknown(self, bad: Iterable[str]) -> ValueError:
        return ValueError(
            f"unknown variable(s) {sorted(bad)}; this joint has variables {list(self._names)}"
        )

    def _group(self, g: Any, what: str) -> tuple[str, ...]:
        """A name or a sequence of names -> tuple of distinct, existing names."""
        if isinstance(g, str):
            g = (g,)
        try:
            g = tuple(g)
        except TypeError:
            raise ValueError(
                f"{what} must be a variable name or a sequence of names, got {g!r}; "
                f"this joint has variables {list(self._names)}"
            ) from None
        for n in g:
            if not isinstance(n, str):
                raise ValueError(
                    f"{what} must contain variable names (strings), got {n!r}; "
                    f"this joint has variables {list(self._names)}"
                )
        bad = [n for n in g if n not in self._axis]
        if bad:
            raise self._unknown(bad)
        dup = sorted({n for n in g if g.count(n) > 1})
        if dup:
            raise ValueError(f"{what} names {dup} more than once; name each variable once")
        return g

    def _flatten_args(self, args: tuple[Any, ...], what: str) -> tuple[str, ...]:
        out: list[str] = []
        for a in args:
            out.extend(self._group(a, what))
        return self._group(tuple(out), what)

    @staticmethod
    def _disjoint(groups: Mapping[str, tuple[str, ...]]) -> None:
        items = list(groups.items())
        for i, (la, ga) in enumerate(items):
            for lb, gb in items[i + 1:]:
                common = sorted(set(ga) & set(gb))
                if common:
                    raise ValueError(
                        f"variable(s) {common} appear in both {la} and {lb}; "
                        "the groups must be disjoint"
                    )

    # ------------------------------------------------------------------ core computation
    def _H(self, names: Iterable[str]) -> float:
        axes = frozenset(self._axis[n] for n in names)
        if not axes:
            return 0.0
        h = self._hcache.get(axes)
        if h is None:
            other = tuple(i for i in range(self._p.ndim) if i not in axes)
            h = entropy_bits(self._p.sum(axis=other) if other else self._p)
            self._hcache[axes] = h
        return h

    # ------------------------------------------------------------------ public queries
    def marginal(self, *names: str | Iterable[str]) -> "Joint":
        """The joint of some variables, summing the others out.

        Parameters
        ----------
        *names : str or sequence of str
            The variables to keep, in the order wanted for the new axes.

        Returns
        -------
        Joint

        Raises
        ------
        ValueError
            For no names, an unknown name, or a name given twice.

        Examples
        --------
        >>> J = Joint([[0.1, 0.2], [0.3, 0.4]], ["x", "y"])
        >>> J.marginal("y").p
        array([0.4, 0.6])
        >>> J.marginal("y", "x").names
        ('y', 'x')
        """
        keep = self._flatten_args(names, "marginal")
        if not keep:
            raise ValueError(
                f"marginal needs at least one variable; this joint has variables {list(self._names)}"
            )
        axes = [self._axis[n] for n in keep]
        other = tuple(i for i in range(self._p.ndim) if i not in axes)
        s = self._p.sum(axis=other) if other else self._p
        remaining = sorted(axes)  # axis order of s
        perm = [remaining.index(a) for a in axes]
        return Joint._trusted(np.transpose(s, perm), keep)

    def entropy(self, *names: str | Iterable[str], given: str | Iterable[str] = ()) -> float:
        """Entropy ``H(names | given)`` in bits.

        Parameters
        ----------
        *names : str or sequence of str
            The variables whose (joint) entropy is wanted. None: all variables not in ``given``.
        given : str or sequence of str
            Variables conditioned on.

        Returns
        -------
        float
            ``H(A | C) = H(A, C) - H(C) >= 0`` (rounding below 0 is clipped).

        Raises
        ------
        ValueError
            For an unknown or repeated name, or a variable in both ``names`` and ``given``.

        Examples
        --------
        >>> J = Joint.independent(a=[0.5, 0.5], b=[0.25] * 4)
        >>> J.H("a"), J.H("a", "b"), J.H(), J.H("b", given="a")
        (1.0, 3.0, 3.0, 2.0)
        """
        c = self._group(given, "given")
        a = self._flatten_args(names, "entropy")
        if not a:
            a = tuple(n for n in self._names if n not in c)
        self._disjoint({"the variables": a, "given": c})
        return max(0.0, self._H(a + c) - self._H(c))

    def mutual_information(
        self,
        a: str | Iterable[str],
        b: str | Iterable[str],
        given: str | Iterable[str] = (),
    ) -> float:
        """Mutual information ``I(A; B | C)`` in bits, with groups of variables allowed.

        Parameters
        ----------
        a, b : str or sequence of str
            A variable or a group of variables (their tuple is treated as one variable).
        given : str or sequence of str
            Variables conditioned on (none by default).

        Returns
        -------
        float
            ``H(A,C) + H(B,C) - H(A,B,C) - H(C) >= 0`` (rounding below 0 is clipped).

        Raises
        ------
        ValueError
            For an unknown or repeated name, an empty group, or groups that overlap.

        Examples
        --------
        >>> J = Joint.independent(x=[0.5, 0.5], y=[0.5, 0.5])
        >>> J = J.with_function("z", lambda x, y: x ^ y, 2)
        >>> J.I("x", "y"), J.I("x", "y", given="z"), J.I("x", ["y", "z"])
        (0.0, 1.0, 1.0)
        """
        ga = self._group(a, "a")
        gb = self._group(b, "b")
        gc = self._group(given, "given")
        for label, g in (("a", ga), ("b", gb)):
            if not g:
                raise ValueError(
                    f"group {label} is empty; name at least one of {list(self._names)}"
                )
        self._disjoint({"a": ga, "b": gb, "given": gc})
        i = self._H(ga + gc) + self._H(gb + gc) - self._H(ga + gb + gc) - self._H(gc)
        return max(0.0, i)

    H = entropy
    I = mutual_information  # noqa: E741

    def probability(self, values: Mapping[str, int] | None = None, /, **kw: int) -> float:
        """Probability of the event ``name=value, ...`` (marginalising the rest).

        Parameters
        ----------
        values : mapping, optional
            ``{name: value}``, for names that are not Python identifiers.
        **kw : int
            ``name=value`` pairs.

        Returns
        -------
        float

        Raises
        ------
        ValueError
            For an unknown name or a value out of range.

        Examples
        --------
        >>> J = Joint([[0.1, 0.2], [0.3, 0.4]], ["x", "y"])
        >>> J.probability(x=1)
        0.7
        """
        index = self._event(values, kw)
        return float(self._p[index].sum())

    def _event(self, values: Mapping[str, int] | None, kw: Mapping[str, int]) -> tuple:
        ev = dict(values or {})
        for k, v in kw.items():
            if k in ev:
                raise ValueError(f"variable {k!r} is given twice")
            ev[k] = v
        bad = [n for n in ev if n not in self._axis]
        if bad:
            raise self._unknown(bad)
        index: list[Any] = [slice(None)] * self._p.ndim
        for n, v in ev.items():
            size = self._p.shape[self._axis[n]]
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not 0 <= v < size:
                raise ValueError(
                    f"{n}={v!r} is not a value of {n}; its values are the integers 0..{size - 1}"
                )
            index[self._axis[n]] = int(v)
        return tuple(index)

    def condition(self, values: Mapping[str, int] | None = None, /, **kw: int) -> "Joint":
        """The joint of the other variables given observed values, renormalised.

        Parameters
        ----------
        values : mapping, optional
            ``{name: value}``, for names that are not Python identifiers.
        **kw : int
            ``name=value`` pairs (integers ``0 .. size-1``).

        Returns
        -------
        Joint
            ``p(rest | event)`` over the variables not conditioned on (the observed ones are
            dropped: their value is known).

        Raises
        ------
        ValueError
            For an unknown name, a value out of range, conditioning on every variable, or an
            event of probability 0 (the conditional distribution is undefined).

        Examples
        --------
        >>> J = Joint([[0.1, 0.2], [0.3, 0.4]], ["x", "y"])
        >>> J.condition(x=0).p                     # doctest: +ELLIPSIS
        array([0.333..., 0.666...])
        """
        index = self._event(values, kw)
        observed = [n for n, i in zip(self._names, index) if not isinstance(i, slice)]
        rest = tuple(n for n in self._names if n not in observed)
        if not observed:
            return self
        if not rest:
            raise ValueError(
                "conditioning on every variable leaves no distribution; keep at least one "
                "variable unobserved (use .probability(...) for the probability of the event)"
            )
        sub = self._p[index]
        mass = float(sub.sum())
        if mass <= 0.0:
            ev = ", ".join(f"{n}={index[self._axis[n]]}" for n in observed)
            raise ValueError(
                f"the event {ev} has probability 0, so conditioning on it is undefined; "
                "condition on an event that can happen"
            )
        return Joint._trusted(sub / mass, rest)

    # ------------------------------------------------------------------ building joints
    @classmethod
    def independent(cls, **marginals: Any) -> "Joint":
        """The joint of independent variables, ``p(a, b, ...) = p(a) p(b) ...``.

        Parameters
        ----------
        **marginals : array_like
            ``name=distribution`` for each variable (1-D), in the order of the new axes.

        Returns
        -------
        Joint

        Raises
        ------
        ValueError
            With no variables, or a marginal that is not a 1-D distribution.

        Examples
        --------
        >>> J = Joint.independent(coin=[0.5, 0.5], die=np.full(6, 1 / 6))
        >>> J.shape, round(J.H(), 4)
        ((2, 6), 3.585)
        """
        if not marginals:
            raise ValueError("independent needs at least one name=distribution argument")
        arrs = [as_distribution(v, name=f"marginal {k!r}", ndim=1) for k, v in marginals.items()]
        size = 1
        for a in arrs:
            size *= a.size
        check_enumerable(size, MAX_ENTRIES, "the joint of independent variables",
                         "fewer variables or values")
        p = arrs[0]
        for a in arrs[1:]:
            p = np.multiply.outer(p, a)
        return cls(p, tuple(marginals))

    def with_channel(self, name: str, kernel: Any, inputs: str | Iterable[str]) -> "Joint":
        """Add a variable drawn from a conditional distribution ``p(name | inputs)``.

        Parameters
        ----------
        name : str
            The new variable (must not exist yet).
        kernel : array_like
            ``kernel[i1, ..., ik, v] = p(name = v | inputs = (i1, ..., ik))``: one axis per input
            in the order of ``inputs``, then one for the new variable; each row (last axis) is a
            distribution.
        inputs : str or sequence of str
            The existing variables the new one depends on (it is conditionally independent of
            the others given these).

        Returns
        -------
        Joint
            With ``name`` appended as the last axis.

        Raises
        ------
        ValueError
            For an existing ``name``, unknown inputs, a kernel of the wrong shape, a kernel row
            that is not a distribution, or a result above ``MAX_ENTRIES`` entries.

        Examples
        --------
        >>> J = Joint.independent(x=[0.5, 0.5])
        >>> bsc = [[0.9, 0.1], [0.1, 0.9]]
        >>> J = J.with_channel("y", bsc, "x").with_channel("z", bsc, "y")
        >>> J.names, round(J.I("x", "z", given="y"), 12)
        (('x', 'y', 'z'), 0.0)
        """
        (name,) = check_names([name], what="name")
        if name in self._axis:
            raise ValueError(
                f"variable {name!r} already exists; this joint has variables {list(self._names)}"
            )
        ins = self._group(inputs, "inputs")
        k = as_array(kernel, name="kernel", min_ndim=1)
        in_shape = tuple(self._p.shape[self._axis[n]] for n in ins)
        if k.ndim != len(ins) + 1 or k.shape[:-1] != in_shape:
            raise ValueError(
                f"kernel has shape {k.shape}, expected {in_shape} + (number of values of "
                f"{name!r},): one axis per input {list(ins)} then one for {name!r}"
            )
        check_stochastic(k, name="kernel")
        return self._extend(name, k, ins)

    def _extend(self, name: str, k: np.ndarray, ins: tuple[str, ...]) -> "Joint":
        n_new = k.shape[-1]
        check_enumerable(self._p.size * n_new, MAX_ENTRIES, f"the joint with {name!r} added",
                         "fewer values, or marginalise away variables you do not need first")
        # Reorder the kernel's input axes into the joint's axis order, then insert size-1 axes
        # for the variables it does not depend on, so it broadcasts against p[..., None].
        order = sorted(range(len(ins)), key=lambda j: self._axis[ins[j]])
        k = np.transpose(k, order + [len(ins)])
        shape = [1] * self._p.ndim + [n_new]
        for n in ins:
            shape[self._axis[n]] = self._p.shape[self._axis[n]]
        full = self._p[..., None] * k.reshape(shape)
        return Joint._trusted(full, self._names + (name,))

    def with_function(
        self,
        name: str,
        f: Callable[..., int] | Any,
        n_values: int,
        inputs: str | Iterable[str] | None = None,
    ) -> "Joint":
        """Add a variable that is a deterministic function of existing ones.

        Same as ``Joint.from_function(self, name, f, n_values, inputs)``; see there.

        Examples
        --------
        >>> J = Joint.independent(tau=[0.5, 0.5], xi=[0.5, 0.5])
        >>> J = J.with_function("G", lambda tau, xi: int(tau == xi), 2)   # return: 1 if τ hits ξ
        >>> J.I("G", "xi"), J.I("G", "xi", given="tau")
        (0.0, 1.0)
        """
        return Joint.from_function(self, name, f, n_values, inputs)

    @classmethod
    def from_function(
        cls,
        base: "Joint",
        name: str,
        f: Callable[..., int] | Any,
        n_values: int,
        inputs: str | Iterable[str] | None = None,
    ) -> "Joint":
        """Add to ``base`` a variable ``name = f(inputs)``, a deterministic function.

        Used from §2.4 on for quantities computed from others: the optimal action
        ``π* = f(ξ)``, the return ``G = R(τ, ξ)``, a quantised signal.

        Parameters
        ----------
        base : Joint
            The joint to extend.
        name : str
            The new variable (must not exist yet); it becomes the last axis.
        f : callable or array_like of int
            Either a function called once per combination of input values, as
            ``f(v1, ..., vk)`` with Python ints in the order of ``inputs``, returning an integer
            in ``0 .. n_values-1``; or a lookup table of such integers with one axis per input.
        n_values : int
            Number of values of the new variable.
        inputs : str or sequence of str, optional
            The variables ``f`` reads (default: all variables of ``base``, in axis order).

        Returns
        -------
        Joint

        Raises
        ------
        ValueError
            For an existing ``name``, unknown inputs, ``n_values < 1``, an ``f`` value that is
            not an integer in range (the message names the inputs that produced it), a table of
            the wrong shape, or too many input combinations (``MAX_CALLS``) or entries.

        Examples
        --------
        >>> J = Joint.independent(xi=[0.25, 0.25, 0.5])
        >>> J = Joint.from_function(J, "pi_star", [0, 1, 1], 2, inputs="xi")  # π* = f(ξ)
        >>> J.marginal("pi_star").p
        array([0.25, 0.75])
        """
        if not isinstance(base, Joint):
            raise ValueError(f"base must be a Joint, got {type(base).__name__}")
        (name,) = check_names([name], what="name")
        if name in base._axis:
            raise ValueError(
                f"variable {name!r} already exists; this joint has variables {list(base._names)}"
            )
        if isinstance(n_values, bool) or not isinstance(n_values, numbers.Integral) or n_values < 1:
            raise ValueError(f"n_values must be an integer >= 1, got {n_values!r}")
        n_values = int(n_values)
        ins = base._names if inputs is None else base._group(inputs, "inputs")
        in_shape = tuple(base._p.shape[base._axis[n]] for n in ins)
        if callable(f):
            n_calls = int(np.prod(in_shape, dtype=np.int64))
            check_enumerable(n_calls, MAX_CALLS, f"the input space of {name!r}",
                             "a lookup table (array) instead of a function, or fewer inputs")
            table = np.empty(in_shape, dtype=np.int64)
            for idx in np.ndindex(*in_shape):
                v = f(*idx)
                if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not 0 <= v < n_values:
                    args = ", ".join(f"{n}={i}" for n, i in zip(ins, idx))
                    raise ValueError(
                        f"f({args}) returned {v!r}; it must return an integer in "
                        f"0..{n_values - 1} (raise n_values if {name!r} has more values)"
                    )
                table[idx] = int(v)
        else:
            t = np.asarray(f)
            if t.shape != in_shape:
                raise ValueError(
                    f"the lookup table for {name!r} has shape {t.shape}, expected {in_shape} "
                    f"(one axis per input {list(ins)})"
                )
            if t.dtype.kind not in "iu":
                if t.dtype.kind == "f" and np.all(np.isfinite(t)) and np.all(t == np.round(t)):
                    t = t.astype(np.int64)
                else:
                    raise ValueError(
                        f"the lookup table for {name!r} must hold integers 0..{n_values - 1}, "
                        f"got dtype {t.dtype}"
                    )
            bad = np.flatnonzero((t < 0) | (t >= n_values))
            if bad.size:
                idx = np.unravel_index(int(bad[0]), in_shape)
                args = ", ".join(f"{n}={int(i)}" for n, i in zip(ins, idx))
                raise ValueError(
                    f"the lookup table gives {name!r}={int(t[idx])} at {args}; values must lie "
                    f"in 0..{n_values - 1} (raise n_values if {name!r} has more values)"
                )
            table = t
        kernel = (table[..., None] == np.arange(n_values)).astype(np.float64)
        return base._extend(name, kernel, tuple(ins))


# ============================================================================ joints given by codes
def joint_codes(*codes: np.ndarray) -> np.ndarray:
    """One small non-negative integer per cell for a tuple of non-negative integer code arrays.

    Cells with equal tuples get equal keys (the codes of the joint variable). Keys are renumbered
    densely whenever they would grow past ``2**40`` or four times the number of cells.

    Examples
    --------
    >>> joint_codes(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])).tolist()
    [0, 1, 2, 3]
    """
    shape = np.broadcast_shapes(*(c.shape for c in codes))
    key = np.zeros(shape, dtype=np.int64)
    for c in codes:
        c = np.broadcast_to(np.asarray(c, dtype=np.int64), shape)
        key = key * (int(c.max()) + 1 if c.size else 1) + c
        if key.size and key.max() > (1 << 40):
            key = np.unique(key, return_inverse=True)[1].reshape(shape)
    if key.size and key.max() >= 4 * key.size:
        key = np.unique(key, return_inverse=True)[1].reshape(shape)
    return key


def conditional_entropy_of_codes(weights: np.ndarray, target: np.ndarray, *given: np.ndarray) -> float:
    """``H(target | given...)`` in bits of variables given as integer codes of weighted cells.

    A joint distribution given cell by cell: ``weights`` (non-negative, summing to 1) is the
    probability of each cell and each code array (broadcastable to ``weights.shape``) the value of
    one variable in that cell. This is how the exact computations of §3.2 describe joints whose
    variables (trajectory, TD-error vector, critic, data) are functions of a few underlying indices.
    With no ``given`` it is the entropy ``H(target)``.

    Parameters
    ----------
    weights : numpy.ndarray
        Probabilities of the cells.
    target, *given : numpy.ndarray of int
        Integer codes of each variable, broadcastable to ``weights.shape``.

    Returns
    -------
    float
        ``H(target, given) − H(given)`` in bits (never below 0).

    Examples
    --------
    >>> w = np.full(4, 0.25)
    >>> conditional_entropy_of_codes(w, np.array([0, 1, 0, 1])), \\
    ...     conditional_entropy_of_codes(w, np.array([0, 1, 0, 1]), np.array([0, 1, 0, 1]))
    (1.0, 0.0)
    """
    w = weights.ravel()
    keep = w > 0
    w = w[keep]
    shape = weights.shape
    t = np.broadcast_to(target, shape).ravel()[keep]
    if given:
        g = joint_codes(*(np.broadcast_to(x, shape) for x in given)).ravel()[keep]
    else:
        g = np.zeros_like(t)
    both = joint_codes(g, t)
    return max(0.0, entropy_bits(np.bincount(both, weights=w)) - entropy_bits(np.bincount(g, weights=w)))
