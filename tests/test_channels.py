"""Tests of infobandwidth.information.channels.

Oracles: the BSC capacity ``1 - h(ε)`` for a uniform input, the closed form of two BSCs in series
(``ε' = 2ε(1 - ε)``), the definition of a Markov chain written as loops, and the
data-processing inequality.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import PROPERTY, distributions, stochastic_matrices
from hypothesis import given
from hypothesis import strategies as st
from infobandwidth.information.channels import (
    binary_symmetric_channel,
    channel,
    compose,
    deterministic_channel,
    joint_from_channel,
    markov_chain_joint,
)
from infobandwidth.information.measures import conditional_mutual_information, mutual_information

pytestmark = pytest.mark.filterwarnings("error")


def h2(p):
    return -sum(t * math.log2(t) for t in (p, 1 - p) if t > 0)


class TestBSC:
    @pytest.mark.parametrize("eps", [0.0, 0.05, 0.1, 0.3, 0.5, 0.9, 1.0])
    def test_capacity_with_uniform_input(self, eps):
        W = binary_symmetric_channel(eps)
        assert W.shape == (2, 2)
        np.testing.assert_allclose(W.sum(axis=1), 1.0)
        assert W[0, 1] == eps and W[1, 0] == eps
        assert mutual_information(joint_from_channel([0.5, 0.5], W)) == pytest.approx(
            1 - h2(eps), abs=1e-12)

    @PROPERTY
    @given(st.floats(0, 1), st.floats(0, 1))
    def test_uniform_input_is_best(self, eps, q):
        W = binary_symmetric_channel(eps)
        assert mutual_information(joint_from_channel([1 - q, q], W)) <= 1 - h2(eps) + 1e-12

    @PROPERTY
    @given(st.floats(0, 1), st.floats(0, 1))
    def test_two_bscs_in_series(self, a, b):
        W = compose(binary_symmetric_channel(a), binary_symmetric_channel(b))
        flip = a * (1 - b) + b * (1 - a)
        np.testing.assert_allclose(W, [[1 - flip, flip], [flip, 1 - flip]], atol=1e-15)

    @pytest.mark.parametrize("bad,phrase", [
        (-0.1, r"must lie in \[0, 1\]"), (1.2, "got 1.2"), (np.nan, "NaN or inf"),
        ([0.1, 0.2], "single number"), ("x", "not numeric"),
    ])
    def test_rejects(self, bad, phrase):
        with pytest.raises(ValueError, match=phrase):
            binary_symmetric_channel(bad)


class TestChannelValidation:
    def test_returns_copy(self):
        m = np.array([[1.0, 0.0], [0.5, 0.5]])
        w = channel(m)
        w[0, 0] = 7
        assert m[0, 0] == 1.0

    @pytest.mark.parametrize("bad,phrase", [
        ([[1.0, 0.0], [0.5, 0.6]], "channel row 1 sums to 1.1, not 1"),
        ([[0.9, 0.0]], "row 0 sums to 0.9"),
        ([[1.5, -0.5]], "most negative value is -0.5"),
        ([[np.nan, 1.0]], r"NaN or inf at index \(0, 0\)"),
        ([0.5, 0.5], "must have 2 axes, got 1"),
        (np.zeros((0, 2)), "empty"),
        ([["a"]], "not numeric"),
    ])
    def test_rejects(self, bad, phrase):
        with pytest.raises(ValueError, match=phrase):
            channel(bad)


class TestDeterministic:
    def test_function_and_table(self):
        W = deterministic_channel(lambda x: x % 3, 7, 3)
        for x in range(7):
            expected = np.zeros(3)
            expected[x % 3] = 1
            np.testing.assert_array_equal(W[x], expected)
        np.testing.assert_array_equal(deterministic_channel([0, 1, 2, 0, 1, 2, 0], 7, 3), W)
        np.testing.assert_array_equal(deterministic_channel(np.array([1, 1]), 2, 2),
                                      [[0, 1], [0, 1]])

    def test_identity_preserves_information(self):
        p = np.array([[0.2, 0.1], [0.3, 0.4]])
        assert mutual_information(p @ deterministic_channel(lambda y: y, 2, 2)) == pytest.approx(
            mutual_information(p), abs=1e-15)
        assert mutual_information(p @ deterministic_channel(lambda y: 0, 2, 1)) == 0.0

    @pytest.mark.parametrize("args,phrase", [
        ((lambda x: 3, 2, 3), r"f\(0\) = 3; it must be an integer in 0..2"),
        ((lambda x: -1, 2, 3), r"f\(0\) = -1"),
        ((lambda x: 0.5, 2, 3), r"f\(0\) = 0.5"),
        (([0, 1, 2], 2, 3), r"shape \(3,\), expected \(2,\)"),
        ((lambda x: 0, 0, 3), "n_in must be an integer >= 1"),
        ((lambda x: 0, 2, 1.5), "n_out must be an integer >= 1"),
    ])
    def test_rejects(self, args, phrase):
        with pytest.raises(ValueError, match=phrase):
            deterministic_channel(*args)


class TestCompose:
    @PROPERTY
    @given(st.data())
    def test_stochastic_and_associative(self, data):
        a, b, c, d = (data.draw(st.integers(1, 4)) for _ in range(4))
        W1 = data.draw(stochastic_matrices(a, b))
        W2 = data.draw(stochastic_matrices(b, c))
        W3 = data.draw(stochastic_matrices(c, d))
        W = compose(W1, W2, W3)
        assert W.shape == (a, d)
        np.testing.assert_allclose(W.sum(axis=1), 1.0, atol=1e-12)
        np.testing.assert_allclose(W, compose(compose(W1, W2), W3), atol=1e-15)
        np.testing.assert_allclose(W, compose(W1, compose(W2, W3)), atol=1e-15)
        # entry by entry: p(w | x) = Σ_y Σ_z W1[x,y] W2[y,z] W3[z,w]
        x, w = a - 1, d - 1
        ref = sum(W1[x, y] * W2[y, z] * W3[z, w] for y in range(b) for z in range(c))
        assert W[x, w] == pytest.approx(ref, abs=1e-15)

    def test_rejects(self):
        with pytest.raises(ValueError, match="channel 0 has 3 outputs but channel 1 has 2 inputs"):
            compose(np.full((2, 3), 1 / 3), np.eye(2))
        with pytest.raises(ValueError, match="at least one"):
            compose()
        with pytest.raises(ValueError, match="channel 1 row 0 sums to 2"):
            compose(np.eye(2), [[1, 1], [0, 1]])


class TestMarkovChain:
    @PROPERTY
    @given(st.data())
    def test_joint_is_the_chain(self, data):
        nx, ny, nz = (data.draw(st.integers(1, 4)) for _ in range(3))
        px = data.draw(distributions(shape=(nx,)))
        W1 = data.draw(stochastic_matrices(nx, ny))
        W2 = data.draw(stochastic_matrices(ny, nz))
        p = markov_chain_joint(px, W1, W2)
        assert p.shape == (nx, ny, nz)
        for x in range(nx):
            for y in range(ny):
                for z in range(nz):
                    assert p[x, y, z] == pytest.approx(px[x] * W1[x, y] * W2[y, z], abs=1e-16)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(p.sum(axis=1), joint_from_channel(px, compose(W1, W2)),
                                   atol=1e-15)
        # data-processing inequality and the Markov property
        i_xy = mutual_information(p.sum(axis=2))
        i_xz = mutual_information(p.sum(axis=1))
        assert i_xz <= i_xy + 1e-12
        assert conditional_mutual_information(p.transpose(0, 2, 1)) == pytest.approx(0, abs=1e-9)

    def test_noiseless_then_bsc(self):
        p = markov_chain_joint([0.5, 0.5], np.eye(2), binary_symmetric_channel(0.2))
        assert mutual_information(p.sum(axis=2)) == pytest.approx(1.0, abs=1e-12)
        assert mutual_information(p.sum(axis=1)) == pytest.approx(1 - h2(0.2), abs=1e-12)

    def test_rejects(self):
        with pytest.raises(ValueError, match="px has 3 values but p_y_given_x has 2 rows"):
            markov_chain_joint([1 / 3] * 3, np.eye(2), np.eye(2))
        with pytest.raises(ValueError, match="p_y_given_x has 2 outputs .* p_z_given_y has 3"):
            markov_chain_joint([0.5, 0.5], np.eye(2), np.full((3, 2), 0.5))
        with pytest.raises(ValueError, match="px is not normalised.*sum to 0.9"):
            markov_chain_joint([0.5, 0.4], np.eye(2), np.eye(2))
        with pytest.raises(ValueError, match="p_z_given_y row 1 sums to 0.5"):
            markov_chain_joint([0.5, 0.5], np.eye(2), [[1, 0], [0.25, 0.25]])
        with pytest.raises(ValueError, match="px has 2 values but the channel has 3 inputs"):
            joint_from_channel([0.5, 0.5], np.full((3, 2), 0.5))
