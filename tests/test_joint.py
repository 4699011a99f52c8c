"""Tests of infobandwidth.information.joint.Joint.

Oracles: Cover & Thomas Example 2.2.1, closed forms (xor, copies, independent variables), and the
positional functions of infobandwidth.information.measures applied to the same array reshaped by hand
(those are themselves tested against brute-force loops in test_measures.py).
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from conftest import PROPERTY, distributions, stochastic_matrices
from hypothesis import given
from hypothesis import strategies as st
from infobandwidth.information.channels import markov_chain_joint
from infobandwidth.information.joint import Joint
from infobandwidth.information.measures import (
    conditional_entropy,
    conditional_mutual_information,
    entropy,
    mutual_information,
)

pytestmark = pytest.mark.filterwarnings("error")

TOL = 1e-9

CT_PXY = np.array([
    [1 / 8, 1 / 16, 1 / 32, 1 / 32],
    [1 / 16, 1 / 8, 1 / 32, 1 / 32],
    [1 / 16, 1 / 16, 1 / 16, 1 / 16],
    [1 / 4, 0, 0, 0],
]).T  # Cover & Thomas print Y on the rows; X is axis 0 here


def h2(p):
    return -sum(t * math.log2(t) for t in (p, 1 - p) if t > 0)


def xor_joint():
    return Joint.independent(x=[0.5, 0.5], y=[0.5, 0.5]).with_function("z", lambda x, y: x ^ y, 2)


class TestClosedForms:
    def test_cover_thomas(self):
        J = Joint(CT_PXY, ["x", "y"])
        assert J.H("x") == pytest.approx(7 / 4, abs=1e-12)
        assert J.H("y") == pytest.approx(2.0, abs=1e-12)
        assert J.H("x", given="y") == pytest.approx(11 / 8, abs=1e-12)
        assert J.H("y", given="x") == pytest.approx(13 / 8, abs=1e-12)
        assert J.I("x", "y") == pytest.approx(3 / 8, abs=1e-12)
        assert J.H() == pytest.approx(27 / 8, abs=1e-12)
        assert J.H("x", "y") == pytest.approx(27 / 8, abs=1e-12)

    def test_xor(self):
        J = xor_joint()
        assert J.names == ("x", "y", "z")
        assert J.shape == (2, 2, 2)
        for a, b in itertools.permutations("xyz", 2):
            assert J.I(a, b) == pytest.approx(0.0, abs=1e-12)
        rest = {"x": "z", "y": "x", "z": "y"}
        for a, b in rest.items():
            c = ({"x", "y", "z"} - {a, b}).pop()
            assert J.I(a, b, given=c) == pytest.approx(1.0, abs=1e-12)
        assert J.I("x", ["y", "z"]) == pytest.approx(1.0, abs=1e-12)
        assert J.H("z", given=["x", "y"]) == pytest.approx(0.0, abs=1e-12)
        assert J.H() == pytest.approx(2.0, abs=1e-12)

    def test_bsc_through_functions(self):
        eps = 0.1
        J = Joint.independent(x=[0.5, 0.5], n=[1 - eps, eps]).with_function(
            "y", lambda x, n: x ^ n, 2)
        assert J.I("x", "y") == pytest.approx(1 - h2(eps), abs=1e-12)
        assert J.I("x", "y", given="n") == pytest.approx(1.0, abs=1e-12)

    def test_independent(self):
        J = Joint.independent(a=[0.5, 0.5], b=np.full(4, 0.25), c=[0.1, 0.9])
        assert J.shape == (2, 4, 2)
        assert J.H() == pytest.approx(1 + 2 + h2(0.1), abs=1e-12)
        assert J.I("a", ["b", "c"]) == pytest.approx(0.0, abs=1e-12)
        assert J.I("a", "b", given="c") == pytest.approx(0.0, abs=1e-12)
        np.testing.assert_allclose(J.p[1, 2, 1], 0.5 * 0.25 * 0.9)

    def test_task_signal_example(self):
        # ξ uniform over 4 tasks, τ uniform over 4 trajectories, G = [τ == ξ], π* = ξ mod 2.
        J = Joint.independent(xi=np.full(4, 0.25), tau=np.full(4, 0.25))
        J = J.with_function("G", lambda xi, tau: int(xi == tau), 2)
        J = J.with_function("pi", lambda xi: xi % 2, 2, inputs="xi")
        # G given τ: a Bernoulli(1/4) whose value tells whether ξ = τ.
        assert J.I("G", "xi", given="tau") == pytest.approx(h2(0.25), abs=1e-12)
        assert J.H("pi") == pytest.approx(1.0, abs=1e-12)
        assert J.I("pi", "xi") == pytest.approx(1.0, abs=1e-12)
        assert J.H("pi", given="xi") == pytest.approx(0.0, abs=1e-12)
        # G = 1 pins ξ = τ, so it says about π* what τ's parity says
        assert J.I("G", "pi", given="tau") <= J.I("G", "xi", given="tau") + 1e-12


class TestAgreementWithPositionalFunctions:
    @PROPERTY
    @given(distributions(min_dims=3, max_dims=3, max_side=4))
    def test_three_variables(self, p):
        J = Joint(p, ["x", "y", "z"])
        nx, ny, nz = p.shape
        assert J.H() == pytest.approx(entropy(p), abs=TOL)
        assert J.H("x") == pytest.approx(entropy(p.sum(axis=(1, 2))), abs=TOL)
        assert J.H("x", given="y") == pytest.approx(conditional_entropy(p.sum(axis=2)), abs=TOL)
        assert J.H("y", given="x") == pytest.approx(conditional_entropy(p.sum(axis=2).T), abs=TOL)
        assert J.I("x", "y") == pytest.approx(mutual_information(p.sum(axis=2)), abs=TOL)
        assert J.I("x", "z") == pytest.approx(mutual_information(p.sum(axis=1)), abs=TOL)
        assert J.I("x", "y", given="z") == pytest.approx(
            conditional_mutual_information(p), abs=TOL)
        assert J.I("z", "x", given="y") == pytest.approx(
            conditional_mutual_information(p.transpose(2, 0, 1)), abs=TOL)
        assert J.I("x", ["y", "z"]) == pytest.approx(
            mutual_information(p.reshape(nx, ny * nz)), abs=TOL)
        assert J.H(["x", "y"], given="z") == pytest.approx(
            conditional_entropy(p.reshape(nx * ny, nz)), abs=TOL)
        assert J.mutual_information("x", "y") == J.I("x", "y")
        assert J.entropy("x", given="z") == J.H("x", given="z")

    @PROPERTY
    @given(distributions(min_dims=5, max_dims=5, max_side=3))
    def test_five_variables_groups(self, p):
        names = ["s", "xi", "tau", "g", "a"]
        J = Joint(p, names)
        n = p.shape
        # I((s, xi); tau | (g, a)) by reshaping: axes (s xi) -> A, tau -> B, (g a) -> C
        ref = conditional_mutual_information(p.reshape(n[0] * n[1], n[2], n[3] * n[4]))
        assert J.I(["s", "xi"], "tau", given=["g", "a"]) == pytest.approx(ref, abs=TOL)
        # order inside groups and of the two groups does not matter
        assert J.I(["xi", "s"], "tau", given=["a", "g"]) == pytest.approx(ref, abs=TOL)
        assert J.I("tau", ["s", "xi"], given=("g", "a")) == pytest.approx(ref, abs=TOL)
        # I(s; xi | tau) on a non-adjacent selection: move the axes by hand
        q = p.sum(axis=(3, 4))
        assert J.I("s", "xi", given="tau") == pytest.approx(
            conditional_mutual_information(q), abs=TOL)
        # chain rule by name: I(s; xi, tau) = I(s; xi) + I(s; tau | xi)
        assert J.I("s", ["xi", "tau"]) == pytest.approx(
            J.I("s", "xi") + J.I("s", "tau", given="xi"), abs=TOL)
        assert J.I("s", "xi", given="tau") >= 0

    @PROPERTY
    @given(distributions(min_dims=3, max_dims=4, max_side=4), st.data())
    def test_marginal_matches_sum_and_transpose(self, p, data):
        names = ["a", "b", "c", "d"][: p.ndim]
        J = Joint(p, names)
        keep = data.draw(st.permutations(names).flatmap(
            lambda perm: st.integers(1, len(perm)).map(lambda k: perm[:k])))
        M = J.marginal(*keep)
        assert M.names == tuple(keep)
        drop = tuple(i for i, n in enumerate(names) if n not in keep)
        ref = p.sum(axis=drop) if drop else p
        kept_in_order = [n for n in names if n in keep]
        ref = np.transpose(ref, [kept_in_order.index(n) for n in keep])
        np.testing.assert_allclose(M.p, ref, atol=1e-15)
        assert M.H() == pytest.approx(J.H(*keep), abs=TOL)

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=5), st.data())
    def test_deterministic_function_cannot_add_information(self, p, data):
        ny = p.shape[1]
        n_out = data.draw(st.integers(1, ny))
        table = np.array(data.draw(st.lists(st.integers(0, n_out - 1), min_size=ny,
                                            max_size=ny)))
        J = Joint(p, ["x", "y"]).with_function("f", table, n_out, inputs="y")
        assert J.I("x", "f") <= J.I("x", "y") + 1e-12
        assert J.H("f", given="y") == pytest.approx(0.0, abs=1e-12)
        np.testing.assert_allclose(J.marginal("x", "y").p, p, atol=1e-15)
        # the new variable's marginal, by a loop
        pf = np.zeros(n_out)
        for y in range(ny):
            pf[table[y]] += p[:, y].sum()
        np.testing.assert_allclose(J.marginal("f").p, pf, atol=1e-15)

    @PROPERTY
    @given(st.data())
    def test_with_channel_builds_the_markov_chain(self, data):
        nx, ny, nz = (data.draw(st.integers(1, 4)) for _ in range(3))
        px = data.draw(distributions(shape=(nx,)))
        w1 = data.draw(stochastic_matrices(nx, ny))
        w2 = data.draw(stochastic_matrices(ny, nz))
        J = Joint.independent(x=px).with_channel("y", w1, "x").with_channel("z", w2, "y")
        np.testing.assert_allclose(J.p, markov_chain_joint(px, w1, w2), atol=1e-15)
        assert J.I("x", "z", given="y") == pytest.approx(0.0, abs=1e-9)
        assert J.I("x", "z") <= J.I("x", "y") + 1e-12

    @PROPERTY
    @given(distributions(min_dims=3, max_dims=3, max_side=3), st.data())
    def test_condition_matches_slice(self, p, data):
        J = Joint(p, ["x", "y", "z"])
        y = data.draw(st.integers(0, p.shape[1] - 1))
        mass = p[:, y, :].sum()
        if mass == 0:
            with pytest.raises(ValueError, match="probability 0"):
                J.condition(y=y)
            return
        C = J.condition(y=y)
        assert C.names == ("x", "z")
        np.testing.assert_allclose(C.p, p[:, y, :] / mass, atol=1e-12)
        assert J.probability(y=y) == pytest.approx(mass, abs=1e-15)
        # H(X | Y) = Σ_y p(y) H(X | Y = y)
        if y == 0:
            total = sum(J.probability(y=v) * J.condition(y=v).H("x")
                        for v in range(p.shape[1]) if J.probability(y=v) > 0)
            assert total == pytest.approx(J.H("x", given="y"), abs=TOL)


class TestBehaviour:
    def test_function_of_table_equals_function_of_callable(self):
        rng = np.random.default_rng(3)
        p = rng.random((3, 4))
        p /= p.sum()
        R = np.array([[0, 1, 2, 0], [1, 1, 0, 2], [2, 0, 1, 1]])
        J = Joint(p, ["tau", "xi"])
        A = Joint.from_function(J, "G", lambda tau, xi: int(R[tau, xi]), 3)
        B = Joint.from_function(J, "G", R, 3, inputs=["tau", "xi"])
        np.testing.assert_array_equal(A.p, B.p)
        # inputs in the other order: the table is indexed (xi, tau)
        C = Joint.from_function(J, "G", R.T, 3, inputs=["xi", "tau"])
        np.testing.assert_array_equal(A.p, C.p)
        D = Joint.from_function(J, "G", lambda xi, tau: int(R[tau, xi]), 3, inputs=("xi", "tau"))
        np.testing.assert_array_equal(A.p, D.p)
        for t in range(3):
            for x in range(4):
                assert A.p[t, x, R[t, x]] == p[t, x]
                assert A.p[t, x].sum() == pytest.approx(p[t, x])

    def test_p_is_read_only_and_copied(self):
        p = np.array([[0.25, 0.25], [0.25, 0.25]])
        J = Joint(p, ["x", "y"])
        with pytest.raises(ValueError):
            J.p[0, 0] = 1.0
        p[0, 0] = 0.5  # the caller's array is not shared
        assert J.p[0, 0] == 0.25
        assert not J.marginal("x").p.flags.writeable
        assert not J.condition(x=0).p.flags.writeable

    def test_repr(self):
        J = Joint(np.full((2, 3), 1 / 6), ["x", "y"])
        assert repr(J) == "Joint(names=('x', 'y'), shape=(2, 3))"

    def test_condition_with_mapping_for_non_identifier_names(self):
        J = Joint(np.array([[0.1, 0.3], [0.2, 0.4]]), ["π*", "G(τ)"])
        C = J.condition({"G(τ)": 1})
        np.testing.assert_allclose(C.p, [0.3 / 0.7, 0.4 / 0.7])
        assert J.condition() is J

    def test_caching_gives_same_answers(self):
        rng = np.random.default_rng(0)
        p = rng.random((3, 3, 3))
        p /= p.sum()
        J = Joint(p, list("abc"))
        first = [J.I("a", "b", given="c"), J.H("a", "b"), J.I("a", "c")]
        second = [J.I("a", "b", given="c"), J.H("a", "b"), J.I("a", "c")]
        assert first == second

    def test_single_variable(self):
        J = Joint([0.5, 0.25, 0.25], ["x"])
        assert J.H("x") == pytest.approx(1.5, abs=1e-12)
        assert J.marginal("x").p.tolist() == [0.5, 0.25, 0.25]


class TestValidation:
    def test_names_and_axes(self):
        with pytest.raises(ValueError, match="p has 2 axes .* but 3 names"):
            Joint(np.full((2, 2), 0.25), ["x", "y", "z"])
        with pytest.raises(ValueError, match=r"duplicates \['x'\]"):
            Joint(np.full((2, 2), 0.25), ["x", "x"])
        with pytest.raises(ValueError, match="non-empty strings"):
            Joint(np.full((2, 2), 0.25), ["x", 3])
        with pytest.raises(ValueError, match="at least one variable"):
            Joint(1.0, [])

    def test_bad_distribution(self):
        with pytest.raises(ValueError, match="sum to 0.9, not 1"):
            Joint([[0.5, 0.4], [0.0, 0.0]], ["x", "y"])
        with pytest.raises(ValueError, match="NaN or inf at index \\(0, 1\\)"):
            Joint([[0.5, np.nan], [0.0, 0.5]], ["x", "y"])
        with pytest.raises(ValueError, match="most negative value is -0.5"):
            Joint([[1.0, -0.5], [0.5, 0.0]], ["x", "y"])
        with pytest.raises(ValueError, match="not numeric"):
            Joint([["a", "b"]], ["x", "y"])

    def test_unknown_names_list_the_existing_ones(self):
        J = xor_joint()
        for call in (lambda: J.H("w"), lambda: J.I("x", "w"), lambda: J.I("x", "y", given="w"),
                     lambda: J.marginal("w"), lambda: J.condition(w=0),
                     lambda: J.with_function("v", lambda w: 0, 1, inputs="w")):
            with pytest.raises(ValueError, match=r"unknown variable\(s\) \['w'\]; this joint has "
                                                 r"variables \['x', 'y', 'z'\]"):
                call()

    def test_overlapping_groups(self):
        J = xor_joint()
        with pytest.raises(ValueError, match=r"\['x'\] appear in both a and b"):
            J.I("x", ["x", "y"])
        with pytest.raises(ValueError, match=r"\['z'\] appear in both b and given"):
            J.I("x", "z", given="z")
        with pytest.raises(ValueError, match=r"\['y'\] appear in both the variables and given"):
            J.H("y", given="y")
        with pytest.raises(ValueError, match="more than once"):
            J.I(["x", "x"], "y")
        with pytest.raises(ValueError, match="group a is empty"):
            J.I([], "y")
        with pytest.raises(ValueError, match="marginal needs at least one"):
            J.marginal()

    def test_condition_errors(self):
        J = Joint(np.array([[0.5, 0.0], [0.5, 0.0]]), ["x", "y"])
        with pytest.raises(ValueError, match="the event y=1 has probability 0"):
            J.condition(y=1)
        with pytest.raises(ValueError, match="y=2 is not a value of y; its values are the "
                                             "integers 0..1"):
            J.condition(y=2)
        with pytest.raises(ValueError, match="not a value"):
            J.condition(y=0.5)
        with pytest.raises(ValueError, match="every variable"):
            J.condition(x=0, y=0)

    def test_function_errors(self):
        J = Joint.independent(x=[0.5, 0.5])
        with pytest.raises(ValueError, match=r"f\(x=1\) returned 2; it must return an integer in "
                                             r"0..1"):
            J.with_function("y", lambda x: 2 * x, 2)
        with pytest.raises(ValueError, match="returned 0.5"):
            J.with_function("y", lambda x: x + 0.5, 2)
        with pytest.raises(ValueError, match="already exists"):
            J.with_function("x", lambda x: x, 2)
        with pytest.raises(ValueError, match="n_values must be an integer >= 1"):
            J.with_function("y", lambda x: x, 0)
        with pytest.raises(ValueError, match=r"lookup table .* has shape \(3,\), expected \(2,\)"):
            J.with_function("y", [0, 1, 1], 2)
        with pytest.raises(ValueError, match="lookup table gives 'y'=5 at x=1"):
            J.with_function("y", [0, 5], 2)
        with pytest.raises(ValueError, match="base must be a Joint"):
            Joint.from_function(np.ones(2) / 2, "y", lambda x: x, 2)

    def test_channel_errors(self):
        J = Joint.independent(x=[0.5, 0.5])
        with pytest.raises(ValueError, match=r"kernel has shape \(3, 2\), expected \(2,\)"):
            J.with_channel("y", np.full((3, 2), 0.5), "x")
        with pytest.raises(ValueError, match="kernel row 1 sums to 0.9"):
            J.with_channel("y", [[0.5, 0.5], [0.5, 0.4]], "x")

    def test_independent_errors(self):
        with pytest.raises(ValueError, match="at least one"):
            Joint.independent()
        with pytest.raises(ValueError, match="marginal 'b' .*sum to 0.5"):
            Joint.independent(a=[0.5, 0.5], b=[0.25, 0.25])
        with pytest.raises(ValueError, match="must have 1 axis"):
            Joint.independent(a=np.full((2, 2), 0.25))

    def test_size_guard(self):
        J = Joint.independent(a=np.full(1000, 1e-3), b=np.full(1000, 1e-3))
        with pytest.raises(ValueError, match="above the limit"):
            J.with_channel("c", np.full((1000, 100), 0.01), "a")
