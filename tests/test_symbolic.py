"""Tests of infobandwidth.information.symbolic.

Oracles: the numeric functions of infobandwidth.information.measures (themselves tested against scipy and
loops) at random points, and closed forms checked with sympy.simplify (uniform on B levels is
log2 B; the BSC with a uniform input carries 1 - h(ε)).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from conftest import PROPERTY
from hypothesis import given
from hypothesis import strategies as st
from infobandwidth.information.measures import (
    binary_entropy,
    conditional_entropy,
    entropy,
    kl_divergence,
    mutual_information,
)
from infobandwidth.information.symbolic import (
    sym_binary_entropy,
    sym_bsc_joint,
    sym_conditional_entropy,
    sym_entropy,
    sym_joint_2x2,
    sym_kl_divergence,
    sym_mutual_information,
)

pytestmark = pytest.mark.filterwarnings("error")

TOL = 1e-9


def rational_distribution(weights):
    """Exact sympy Rationals and the matching floats, from integer weights (zeros allowed)."""
    total = sum(weights)
    exact = [sp.Rational(w, total) for w in weights]
    return exact, np.array([float(Fraction(w, total)) for w in weights])


weights = st.lists(st.integers(0, 9), min_size=1, max_size=6).filter(lambda w: sum(w) > 0)
positive_weights = st.lists(st.integers(1, 9), min_size=1, max_size=6)


def weight_matrix(rows, cols, positive=False):
    lo = 1 if positive else 0
    return st.lists(st.lists(st.integers(lo, 9), min_size=cols, max_size=cols),
                    min_size=rows, max_size=rows).filter(lambda m: sum(map(sum, m)) > 0)


# one generic symbolic table per shape, derived once and reused at many random points
SHAPES = [(1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]
SYMS = {s: sp.Matrix(s[0], s[1], lambda i, j: sp.Symbol(f"p{i}{j}", positive=True))
        for s in SHAPES}
SYM_MI = {s: sym_mutual_information(m) for s, m in SYMS.items()}
SYM_CE = {s: sym_conditional_entropy(m) for s, m in SYMS.items()}
# The same expressions as plain functions of the table's entries (row-major), for speed.
NUM_MI = {s: sp.lambdify(list(SYMS[s]), e, "math") for s, e in SYM_MI.items()}
NUM_CE = {s: sp.lambdify(list(SYMS[s]), e, "math") for s, e in SYM_CE.items()}
Q, E = sp.symbols("Q E", positive=True)
BSC_MI = sp.lambdify((Q, E), sym_mutual_information(sym_bsc_joint(Q, E)), "math")
A, B, C = sp.symbols("a b c", positive=True)
MI_2X2 = sp.lambdify((A, B, C), sym_mutual_information(sym_joint_2x2(A, B, C)), "math")


class TestAgreementWithNumeric:
    @PROPERTY
    @given(weights)
    def test_entropy_with_literal_entries(self, w):
        exact, p = rational_distribution(w)
        assert float(sym_entropy(exact)) == pytest.approx(entropy(p), abs=TOL)

    @PROPERTY
    @given(st.sampled_from(SHAPES), st.data())
    def test_mi_and_conditional_entropy_evaluated(self, shape, data):
        m = data.draw(weight_matrix(*shape, positive=True))
        p = np.array(m, dtype=float) / sum(map(sum, m))
        assert NUM_MI[shape](*p.ravel()) == pytest.approx(mutual_information(p), abs=TOL)
        assert NUM_CE[shape](*p.ravel()) == pytest.approx(conditional_entropy(p), abs=TOL)

    @pytest.mark.parametrize("shape", SHAPES)
    def test_mi_substituted_exactly(self, shape):
        rng = np.random.default_rng(sum(shape))
        w = rng.integers(1, 10, size=shape)
        total = int(w.sum())
        values = {SYMS[shape][i, j]: sp.Rational(int(w[i, j]), total)
                  for i in range(shape[0]) for j in range(shape[1])}
        p = w / total
        assert float(SYM_MI[shape].subs(values)) == pytest.approx(mutual_information(p), abs=TOL)
        assert float(SYM_CE[shape].subs(values)) == pytest.approx(conditional_entropy(p), abs=TOL)

    @PROPERTY
    @given(st.sampled_from(SHAPES), st.data())
    def test_mi_with_literal_zeros(self, shape, data):
        m = data.draw(weight_matrix(*shape))
        total = sum(map(sum, m))
        exact = [[sp.Rational(v, total) for v in row] for row in m]
        p = np.array(m, dtype=float) / total
        assert float(sym_mutual_information(exact)) == pytest.approx(mutual_information(p),
                                                                     abs=TOL)
        assert float(sym_conditional_entropy(sp.Matrix(exact))) == pytest.approx(
            conditional_entropy(p), abs=TOL)
        assert float(sym_entropy(exact)) == pytest.approx(entropy(p), abs=TOL)

    @PROPERTY
    @given(st.integers(1, 6).flatmap(lambda n: st.tuples(
        st.lists(st.integers(0, 9), min_size=n, max_size=n).filter(lambda w: sum(w) > 0),
        st.lists(st.integers(0, 9), min_size=n, max_size=n).filter(lambda w: sum(w) > 0))))
    def test_kl(self, pq):
        ep, p = rational_distribution(pq[0])
        eq, q = rational_distribution(pq[1])
        ours = sym_kl_divergence(ep, eq)
        ref = kl_divergence(p, q)
        if math.isinf(ref):
            assert ours == sp.oo
        else:
            assert float(ours) == pytest.approx(ref, abs=TOL)

    @PROPERTY
    @given(st.floats(1e-6, 1 - 1e-6))
    def test_binary_entropy_substituted(self, x):
        e = sp.Symbol("e", positive=True)
        expr = sym_binary_entropy(e)
        assert float(expr.subs(e, x)) == pytest.approx(binary_entropy(x), abs=TOL)

    @PROPERTY
    @given(st.floats(0.01, 0.99), st.floats(0.01, 0.99))
    def test_bsc_joint_mi_is_h_of_output_minus_h_eps(self, q, eps):
        out = q * (1 - eps) + (1 - q) * eps
        assert BSC_MI(q, eps) == pytest.approx(
            binary_entropy(out) - binary_entropy(eps), abs=TOL)

    @PROPERTY
    @given(st.lists(st.integers(1, 9), min_size=4, max_size=4))
    def test_joint_2x2_evaluated(self, w):
        p = np.array(w, dtype=float).reshape(2, 2) / sum(w)
        assert MI_2X2(p[0, 0], p[0, 1], p[1, 0]) == pytest.approx(mutual_information(p), abs=TOL)

    def test_joint_2x2_substituted_exactly(self):
        a, b, c = sp.symbols("a b c", positive=True)
        expr = sym_mutual_information(sym_joint_2x2(a, b, c))
        vals = {a: sp.Rational(1, 10), b: sp.Rational(2, 10), c: sp.Rational(3, 10)}
        p = np.array([[0.1, 0.2], [0.3, 0.4]])
        assert float(expr.subs(vals)) == pytest.approx(mutual_information(p), abs=TOL)


class TestClosedForms:
    @pytest.mark.parametrize("b", range(1, 13))
    def test_uniform_b_levels_is_log2_b(self, b):
        h = sym_entropy([sp.Rational(1, b)] * b)
        assert sp.simplify(h - sp.log(b, 2)) == 0

    def test_bsc_capacity_identity(self):
        e = sp.Symbol("e", positive=True)
        I = sym_mutual_information(sym_bsc_joint(sp.Rational(1, 2), e))
        assert sp.simplify(I - (1 - sym_binary_entropy(e))) == 0

    def test_literal_zeros_are_dropped(self):
        assert sym_entropy([1, 0]) == 0
        assert sym_entropy([sp.Rational(1, 2), 0, sp.Rational(1, 2)]) == 1
        assert sym_binary_entropy(0) == 0
        assert sym_binary_entropy(1) == 0
        assert sym_binary_entropy(sp.Rational(1, 2)) == 1
        assert sp.simplify(sym_mutual_information([[sp.Rational(1, 2), 0],
                                                   [0, sp.Rational(1, 2)]])) == 1
        assert sym_kl_divergence([1, 0], [1, 0]) == 0
        assert sym_kl_divergence([sp.Rational(1, 2)] * 2, [1, 0]) == sp.oo

    def test_symbolic_entries_accepted(self):
        a = sp.Symbol("a", positive=True)
        h = sym_entropy([a, 1 - a])
        assert h.free_symbols == {a}
        assert sp.simplify(h.subs(a, sp.Rational(1, 2))) == 1
        M = sym_joint_2x2()
        assert M.shape == (2, 2)
        assert sp.expand(sum(M) - 1) == 0
        assert all(s.is_positive for s in M.free_symbols)
        assert {str(s) for s in M.free_symbols} == {"a", "b", "c"}

    def test_logs_are_base_2(self):
        assert sym_entropy([sp.Rational(1, 2)] * 2).equals(1)
        assert sp.simplify(sym_kl_divergence([1, 0, 0, 0], [sp.Rational(1, 4)] * 4) - 2) == 0

    def test_float_entries(self):
        assert float(sym_entropy([0.25, 0.75])) == pytest.approx(entropy([0.25, 0.75]), abs=TOL)


class TestValidation:
    @pytest.mark.parametrize("bad,phrase", [
        ([sp.Rational(1, 2), sp.Rational(2, 5)], "sum to 9/10, not 1"),
        ([0.5, 0.4], "sum to 0.9, not 1"),
        ([sp.Rational(3, 2), -sp.Rational(1, 2)], "negative mass: -1/2 at index 1"),
        ([], "empty"),
        (["a", "b"], "not a number or sympy expression"),
        ("ab", "must be a list"),
        ([sp.nan, 1], "non-finite"),
        ([sp.I, 1 - sp.I], "complex"),
    ])
    def test_entropy_rejects(self, bad, phrase):
        with pytest.raises(ValueError, match=phrase):
            sym_entropy(bad)

    def test_sum_that_simplifies_to_a_number(self):
        a = sp.Symbol("a")
        with pytest.raises(ValueError, match="sum to 3/2, not 1"):
            sym_entropy([a, 1 - a, sp.Rational(1, 2)])

    @pytest.mark.parametrize("f", [sym_mutual_information, sym_conditional_entropy])
    def test_matrix_rejects(self, f):
        a, b, c = sp.symbols("a b c")
        with pytest.raises(ValueError, match=r"rows of different lengths \[1, 2\]"):
            f([[a, b], [c]])
        with pytest.raises(ValueError, match="sum to 3/4"):
            f([[sp.Rational(1, 4)] * 2, [sp.Rational(1, 4), 0]])
        with pytest.raises(ValueError, match="negative mass: -1/4 at row 0, column 1"):
            f([[sp.Rational(1, 2), -sp.Rational(1, 4)], [sp.Rational(3, 4), 0]])
        with pytest.raises(ValueError, match="nested list"):
            f(0.5)
        with pytest.raises(ValueError, match="nested list"):
            f([0.5, 0.5])
        with pytest.raises(ValueError, match="empty"):
            f(sp.zeros(0, 2))

    def test_kl_rejects(self):
        h = sp.Rational(1, 2)
        with pytest.raises(ValueError, match="p has 2 entries but q has 3"):
            sym_kl_divergence([h, h], [sp.Rational(1, 3)] * 3)
        a = sp.Symbol("a", positive=True)
        with pytest.raises(ValueError, match=r"q\[1\] is 0 but p\[1\] = 1 - a is symbolic"):
            sym_kl_divergence([a, 1 - a], [1, 0])
        with pytest.raises(ValueError, match="q is not normalised"):
            sym_kl_divergence([h, h], [h, h / 2])

    @pytest.mark.parametrize("bad,phrase", [
        (sp.Rational(3, 2), r"must lie in \[0, 1\], got 3/2"),
        (-1, "negative mass"),
        ("p", "not a number or sympy expression"),
    ])
    def test_binary_entropy_rejects(self, bad, phrase):
        with pytest.raises(ValueError, match=phrase):
            sym_binary_entropy(bad)

    def test_constructors_reject_literals_out_of_range(self):
        with pytest.raises(ValueError, match=r"a must lie in \[0, 1\], got 2"):
            sym_joint_2x2(2, "b", "c")
        with pytest.raises(ValueError, match="negative mass"):
            sym_bsc_joint(-sp.Rational(1, 2), "e")
        with pytest.raises(ValueError, match=r"eps must lie in \[0, 1\]"):
            sym_bsc_joint("q", 3)
