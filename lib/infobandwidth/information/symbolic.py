"""The information measures on sympy expressions, for derivations in the chapters.

Used in §2.3 and §2.4. Each function mirrors a numeric one of :mod:`infobandwidth.information.measures`
(same argument layout, same units), so a chapter derives with the vocabulary it computes with:

==============================  ===========================================
symbolic                        numeric
==============================  ===========================================
:func:`sym_entropy`             :func:`~infobandwidth.information.measures.entropy`
:func:`sym_binary_entropy`      :func:`~infobandwidth.information.measures.binary_entropy`
:func:`sym_conditional_entropy` :func:`~infobandwidth.information.measures.conditional_entropy`
:func:`sym_mutual_information`  :func:`~infobandwidth.information.measures.mutual_information`
:func:`sym_kl_divergence`       :func:`~infobandwidth.information.measures.kl_divergence`
==============================  ===========================================

Conventions: logarithms are ``sp.log(x, 2)`` (bits); a joint is a sympy ``Matrix`` or nested
list with X on the rows and Y on the columns; entries that are a literal ``0`` are dropped
(``0 · log 0 = 0``). Symbolic entries cannot be checked for sign, but literal numbers are:
a negative literal, or literal entries whose sum is not 1, raise ``ValueError``. When the sum
of the entries simplifies to a number (e.g. ``[a, 1 - a]``), that number must be 1.

Substitute values into the *table* before calling a ``sym_*`` function when some become 0:
sympy evaluates ``(b*log(b)).subs(b, 0)`` to ``nan``, whereas a literal 0 entry is dropped.
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy as sp

__all__ = [
    "sym_entropy",
    "sym_binary_entropy",
    "sym_conditional_entropy",
    "sym_mutual_information",
    "sym_kl_divergence",
    "sym_joint_2x2",
    "sym_bsc_joint",
    "SymJoint",
]

_SUM_TOL = 1e-9  # for literal floats, as in the numeric functions


def _sympify(x: Any, name: str) -> sp.Expr:
    try:
        e = sp.sympify(x, strict=True)
    except (sp.SympifyError, TypeError):
        raise ValueError(
            f"{name} has an entry {x!r} that is not a number or sympy expression; "
            "use sp.Symbol / sp.Rational, not strings"
        ) from None
    if not isinstance(e, sp.Expr):
        raise ValueError(f"{name} has an entry {x!r} that is not a sympy expression")
    return e


def _check_literal(e: sp.Expr, name: str, where: str) -> None:
    if not e.is_number:
        return
    if e.has(sp.nan, sp.oo, -sp.oo, sp.zoo):
        raise ValueError(f"{name} has a non-finite entry {e} at {where}; probabilities are finite")
    if e.is_real is False:
        raise ValueError(f"{name} has a complex entry {e} at {where}; probabilities are real")
    if e.is_negative:
        raise ValueError(
            f"{name} has negative mass: {e} at {where}; probabilities must be >= 0"
        )


def _check_sum(entries: Sequence[sp.Expr], name: str) -> None:
    total = sp.Add(*entries)
    d = sp.expand(total - 1)
    if d.free_symbols or not d.is_number:
        return  # cannot decide for symbolic entries
    if d == 0:
        return
    err = abs(complex(d.evalf(30)))
    if err > _SUM_TOL:
        shown = f"{float(total):.12g}" if total.has(sp.Float) else str(total)
        raise ValueError(
            f"{name} is not normalised: the probabilities sum to {shown}, not 1; "
            "divide by the sum to normalise"
        )


def _vector(probs: Any, name: str, *, check_sum: bool = True) -> list[sp.Expr]:
    if isinstance(probs, sp.MatrixBase):
        items = list(probs)
    elif isinstance(probs, (list, tuple)):
        items = []
        for x in probs:  # allow a nested list (a joint) to be flattened
            if isinstance(x, (list, tuple, sp.MatrixBase)):
                items.extend(list(x))
            else:
                items.append(x)
    else:
        raise ValueError(
            f"{name} must be a list, tuple or sympy Matrix of probabilities, got "
            f"{type(probs).__name__}"
        )
    if not items:
        raise ValueError(f"{name} is empty; a distribution needs at least one outcome")
    es = [_sympify(x, name) for x in items]
    for i, e in enumerate(es):
        _check_literal(e, name, f"index {i}")
    if check_sum:
        _check_sum(es, name)
    return es


def _matrix(matrix: Any, name: str) -> sp.Matrix:
    if isinstance(matrix, sp.MatrixBase):
        m = sp.Matrix(matrix)
    elif isinstance(matrix, (list, tuple)):
        rows = list(matrix)
        if not rows or not all(isinstance(r, (list, tuple)) for r in rows):
            raise ValueError(
                f"{name} must be a sympy Matrix or a nested list (rows = X, columns = Y), "
                f"got {matrix!r}"
            )
        lengths = {len(r) for r in rows}
        if len(lengths) != 1:
            raise ValueError(
                f"{name} has rows of different lengths {sorted(lengths)}; every row (a value of "
                "X) needs one entry per value of Y"
            )
        m = sp.Matrix([[_sympify(x, name) for x in r] for r in rows])
    else:
        raise ValueError(
            f"{name} must be a sympy Matrix or a nested list (rows = X, columns = Y), got "
            f"{type(matrix).__name__}"
        )
    if m.rows == 0 or m.cols == 0:
        raise ValueError(f"{name} is empty (shape {m.shape}); a joint needs at least one entry")
    for i in range(m.rows):
        for j in range(m.cols):
            m[i, j] = _sympify(m[i, j], name)
            _check_literal(m[i, j], name, f"row {i}, column {j}")
    _check_sum(list(m), name)
    return m


def _H(es: Sequence[sp.Expr]) -> sp.Expr:
    return -sp.Add(*[p * sp.log(p, 2) for p in es if p != 0])


def sym_entropy(probs: Any) -> sp.Expr:
    """Entropy ``-Σ p log2 p`` of a list of sympy probabilities.

    Used in §2.3. Symbolic counterpart of :func:`infobandwidth.information.measures.entropy`.

    Parameters
    ----------
    probs : list, tuple or sympy Matrix
        The probabilities (numbers or expressions). A nested list or a Matrix is flattened,
        giving the joint entropy.

    Returns
    -------
    sympy.Expr
        The entropy in bits, unsimplified (literal zeros dropped).

    Raises
    ------
    ValueError
        If ``probs`` is empty, not a list/Matrix, has a non-expression entry, a negative or
        non-finite literal, or sums (after expansion) to a number other than 1.

    Examples
    --------
    >>> import sympy as sp
    >>> sp.simplify(sym_entropy([sp.Rational(1, 4)] * 4))
    2
    >>> p = sp.Symbol("p", positive=True)
    >>> sym_entropy([p, 1 - p, 0])
    -p*log(p)/log(2) - (1 - p)*log(1 - p)/log(2)
    """
    return _H(_vector(probs, "probs"))


def sym_binary_entropy(p: Any) -> sp.Expr:
    """Binary entropy ``h(p) = -p log2 p - (1 - p) log2(1 - p)``.

    Used in §2.3 and §2.4 (capacity ``1 - h(ε)`` of the binary symmetric channel). Symbolic
    counterpart of :func:`infobandwidth.information.measures.binary_entropy`.

    Parameters
    ----------
    p : sympy expression or number
        A probability; a literal number must lie in ``[0, 1]``.

    Returns
    -------
    sympy.Expr
        ``h(p)`` in bits (``0`` for a literal 0 or 1).

    Raises
    ------
    ValueError
        If ``p`` is not an expression, or a literal outside ``[0, 1]``.

    Examples
    --------
    >>> import sympy as sp
    >>> sym_binary_entropy(sp.Rational(1, 2))
    1
    >>> e = sp.Symbol("e", positive=True)
    >>> sp.simplify(sp.diff(sym_binary_entropy(e), e).subs(e, sp.Rational(1, 2)))
    0
    """
    e = _sympify(p, "p")
    _check_literal(e, "p", "p")
    if e.is_number and (1 - e).is_negative:
        raise ValueError(f"p must lie in [0, 1], got {e}")
    return _H([e, 1 - e])


def sym_conditional_entropy(matrix: Any) -> sp.Expr:
    """Conditional entropy ``H(X | Y) = H(X, Y) - H(Y)`` of a symbolic joint.

    Used in §2.3. Symbolic counterpart of
    :func:`infobandwidth.information.measures.conditional_entropy` (same layout: X rows, Y columns).

    Parameters
    ----------
    matrix : sympy Matrix or nested list
        ``matrix[x, y] = p(x, y)``.

    Returns
    -------
    sympy.Expr
        ``H(X | Y)`` in bits.

    Raises
    ------
    ValueError
        As :func:`sym_entropy`, or for ragged rows.

    Examples
    --------
    >>> import sympy as sp
    >>> q = sp.Rational(1, 4)
    >>> sp.simplify(sym_conditional_entropy([[q, q], [q, q]]))
    1
    """
    m = _matrix(matrix, "matrix")
    py = [sp.Add(*m[:, j]) for j in range(m.cols)]
    return _H(list(m)) - _H(py)


def sym_mutual_information(matrix: Any) -> sp.Expr:
    """Mutual information ``I(X; Y) = H(X) + H(Y) - H(X, Y)`` of a symbolic joint.

    Used in §2.3 and §2.4. Symbolic counterpart of
    :func:`infobandwidth.information.measures.mutual_information` (X rows, Y columns).

    Parameters
    ----------
    matrix : sympy Matrix or nested list
        ``matrix[x, y] = p(x, y)``.

    Returns
    -------
    sympy.Expr
        ``I(X; Y)`` in bits.

    Raises
    ------
    ValueError
        As :func:`sym_entropy`, or for ragged rows.

    Examples
    --------
    The binary symmetric channel with a uniform input carries ``1 - h(ε)`` bits:

    >>> import sympy as sp
    >>> e = sp.Symbol("e", positive=True)
    >>> I = sym_mutual_information(sym_bsc_joint(sp.Rational(1, 2), e))
    >>> sp.simplify(I - (1 - sym_binary_entropy(e)))
    0
    """
    m = _matrix(matrix, "matrix")
    px = [sp.Add(*m[i, :]) for i in range(m.rows)]
    py = [sp.Add(*m[:, j]) for j in range(m.cols)]
    return _H(px) + _H(py) - _H(list(m))


def sym_kl_divergence(p: Any, q: Any) -> sp.Expr:
    """KL divergence ``D(p || q) = Σ p log2(p / q)`` of two symbolic distributions.

    Used in §2.3. Symbolic counterpart of :func:`infobandwidth.information.measures.kl_divergence`.

    Parameters
    ----------
    p, q : list, tuple or sympy Matrix
        Distributions of the same length (flattened as in :func:`sym_entropy`).

    Returns
    -------
    sympy.Expr
        ``D(p || q)`` in bits; terms with a literal ``p = 0`` are dropped, and ``sp.oo`` is
        returned when a nonzero literal ``p`` meets a literal ``q = 0``.

    Raises
    ------
    ValueError
        As :func:`sym_entropy`; if the lengths differ; or if a symbolic ``p`` entry meets a
        literal ``q = 0`` (the answer depends on whether that ``p`` is 0: substitute first).

    Examples
    --------
    >>> import sympy as sp
    >>> h = sp.Rational(1, 2)
    >>> sym_kl_divergence([1, 0], [h, h])
    1
    >>> sym_kl_divergence([h, h], [1, 0])
    oo
    """
    ps = _vector(p, "p")
    qs = _vector(q, "q")
    if len(ps) != len(qs):
        raise ValueError(
            f"p has {len(ps)} entries but q has {len(qs)}; D(p || q) compares two distributions "
            "over the same outcomes"
        )
    terms = []
    for i, (a, b) in enumerate(zip(ps, qs)):
        if a == 0:
            continue
        if b == 0:
            if a.is_number:
                return sp.oo
            raise ValueError(
                f"q[{i}] is 0 but p[{i}] = {a} is symbolic: D(p || q) is infinite unless p[{i}] = 0;"
                " substitute a value for it first"
            )
        terms.append(a * sp.log(a / b, 2))
    return sp.Add(*terms)


def _symbol(x: Any, name: str) -> sp.Expr:
    if isinstance(x, str):
        return sp.Symbol(x, positive=True)
    e = _sympify(x, name)
    _check_literal(e, name, name)
    if e.is_number and (1 - e).is_negative:
        raise ValueError(f"{name} must lie in [0, 1], got {e}")
    return e


def sym_joint_2x2(a: Any = "a", b: Any = "b", c: Any = "c") -> sp.Matrix:
    """A parametrised 2×2 joint ``[[a, b], [c, 1 - a - b - c]]`` for derivations.

    Used in §2.3 (mutual information of two binary variables in closed form).

    Parameters
    ----------
    a, b, c : str or sympy expression
        ``p(0,0)``, ``p(0,1)``, ``p(1,0)``. A string becomes a positive ``sp.Symbol`` of that
        name (every cell possible; pass your own symbols for other assumptions).

    Returns
    -------
    sympy.Matrix, shape (2, 2)
        X on the rows, Y on the columns; ``d = 1 - a - b - c`` in the corner.

    Raises
    ------
    ValueError
        If a literal argument is outside ``[0, 1]``.

    Examples
    --------
    >>> M = sym_joint_2x2()
    >>> M[0, :], M[1, 1]
    (Matrix([[a, b]]), -a - b - c + 1)
    >>> import sympy as sp
    >>> a, b, c = sp.symbols("a b c", positive=True)
    >>> M = sym_joint_2x2(a, b, c)
    >>> sp.simplify(sym_mutual_information(M.subs({a: sp.Rational(1, 4), b: sp.Rational(1, 4),
    ...                                            c: sp.Rational(1, 4)})))
    0

    Substitute zeros into the *table*, not into the formula: a literal 0 entry is dropped
    (``0 · log 0 = 0``), while ``(b·log b).subs(b, 0)`` is ``nan`` in sympy.

    >>> sym_mutual_information(M.subs({a: sp.Rational(1, 2), b: 0, c: 0}))
    1
    """
    sa, sb, sc = _symbol(a, "a"), _symbol(b, "b"), _symbol(c, "c")
    return sp.Matrix([[sa, sb], [sc, 1 - sa - sb - sc]])


def sym_bsc_joint(q: Any = "q", eps: Any = "epsilon") -> sp.Matrix:
    """The joint of a Bernoulli(q) bit X and its image Y through a binary symmetric channel.

    Used in §2.4 (``I(X; Y) = h(q ∗ ε) - h(ε)``, largest, ``1 - h(ε)``, at ``q = 1/2``).

    Parameters
    ----------
    q : str or sympy expression
        ``P(X = 1)``. A string becomes a positive symbol.
    eps : str or sympy expression
        The flip probability ε. A string becomes a positive symbol.

    Returns
    -------
    sympy.Matrix, shape (2, 2)
        ``[[(1-q)(1-ε), (1-q)ε], [qε, q(1-ε)]]``, X on the rows, Y on the columns.

    Raises
    ------
    ValueError
        If a literal argument is outside ``[0, 1]``.

    Examples
    --------
    >>> sym_bsc_joint()
    Matrix([
    [(1 - epsilon)*(1 - q), epsilon*(1 - q)],
    [            epsilon*q, q*(1 - epsilon)]])
    """
    sq, se = _symbol(q, "q"), _symbol(eps, "eps")
    return sp.Matrix([[(1 - sq) * (1 - se), (1 - sq) * se], [sq * se, sq * (1 - se)]])


# ============================================================================ symbolic chain
class SymJoint:
    """A joint distribution of named discrete variables with sympy probabilities (§3.1).

    Built from a list of outcomes ``(probability, {name: value, ...})``; every outcome names the
    same variables. Entropies are ``-Σ p log2 p`` over the marginal, unsimplified.

    Parameters
    ----------
    outcomes : sequence of (sympy expression, dict)
    complements : dict, optional
        ``{symbol: expression}`` substituted after each marginal is factored. Writing ``1 - θ`` as
        its own positive symbol ``θ̄`` and substituting back after factoring keeps every factor
        in the form ``1 - θ`` (never ``θ - 1``), so that ``expand_log(..., force=True)`` splits
        logarithms of products correctly.

    Raises
    ------
    ValueError
        No outcomes, outcomes naming different variables, or an unknown variable in a query.

    Examples
    --------
    >>> import sympy as sp
    >>> p = sp.Symbol("p", positive=True)
    >>> J = SymJoint([(p, {"x": 0}), (1 - p, {"x": 1})])
    >>> J.entropy("x")
    -p*log(p)/log(2) - (1 - p)*log(1 - p)/log(2)
    """

    def __init__(self, outcomes: Sequence[tuple[Any, dict]], complements: dict | None = None):
        import sympy as sp

        self._sp = sp
        outcomes = list(outcomes)
        if not outcomes:
            raise ValueError("a SymJoint needs at least one outcome (probability, {name: value})")
        names = set(outcomes[0][1])
        for _, v in outcomes:
            if set(v) != names:
                raise ValueError(f"every outcome must name the same variables; got {sorted(v)} "
                                 f"and {sorted(names)}")
        self.names = tuple(sorted(names))
        self.outcomes = [(sp.sympify(p), dict(v)) for p, v in outcomes]
        self.complements = dict(complements or {})

    def _group(self, names: Any) -> tuple[str, ...]:
        if isinstance(names, str):
            names = (names,)
        names = tuple(names)
        bad = [n for n in names if n not in self.names]
        if bad:
            raise ValueError(f"unknown variable(s) {bad}; this joint has {list(self.names)}")
        return names

    def marginal(self, names: Any) -> dict:
        """``{values: probability}`` of the variables ``names`` (factored, complements substituted)."""
        sp = self._sp
        names = self._group(names)
        m: dict = {}
        for p, v in self.outcomes:
            k = tuple(v[n] for n in names)
            m[k] = m.get(k, 0) + p
        return {k: sp.factor(p).subs(self.complements) for k, p in m.items()}

    def entropy(self, *names: Any, given: Any = ()) -> Any:
        """``H(names | given)`` in bits: ``H(names, given) − H(given)`` (the API of :class:`~infobandwidth.information.joint.Joint`).

        Each of ``names`` is a variable or a group of variables; with none, every variable not in
        ``given``.
        """
        sp = self._sp
        flat: tuple[str, ...] = ()
        for n in names:
            flat += self._group(n)
        given = self._group(given)
        if not names:
            flat = tuple(n for n in self.names if n not in given)

        def ent(group):
            if not group:
                return sp.Integer(0)
            return -sp.Add(*[p * sp.log(p, 2) for p in self.marginal(group).values() if p != 0])

        return ent(tuple(dict.fromkeys(flat + given))) - ent(given)

    def mutual_information(self, a: Any, b: Any, given: Any = ()) -> Any:
        """``I(a; b | given) = H(a | given) − H(a | b, given)`` in bits (the API of :class:`~infobandwidth.information.joint.Joint`)."""
        a, b, given = self._group(a), self._group(b), self._group(given)
        return self.entropy(a, given=given) - self.entropy(a, given=b + given)

    #: Short names, as on :class:`~infobandwidth.information.joint.Joint`.
    H = entropy
    I = mutual_information  # noqa: E741
