"""Tests of infobandwidth.information.measures (and the shared validation in infobandwidth.base.validate).

Oracles: closed forms, Cover & Thomas (2006) Example 2.2.1, scipy.stats.entropy, and brute-force
loops written here. Warnings are errors: 0·log 0 and tiny masses must not warn.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from conftest import PROPERTY, distributions, stochastic_matrices
from hypothesis import assume, given
from hypothesis import strategies as st
from infobandwidth.base.validate import (
    as_distribution,
    check_enumerable,
    check_stochastic,
    normalisation_tolerance,
)
from infobandwidth.information.channels import deterministic_channel, markov_chain_joint
from infobandwidth.information.measures import (
    binary_entropy,
    conditional_entropy,
    conditional_mutual_information,
    entropy,
    kl_divergence,
    mutual_information,
)

pytestmark = pytest.mark.filterwarnings("error")

TOL = 1e-9


# ----------------------------------------------------------------------------- oracles
def h2(p: float) -> float:
    """Binary entropy straight from the definition."""
    return -sum(t * math.log2(t) for t in (p, 1 - p) if t > 0)


def mi_loop(p: np.ndarray) -> float:
    """I(X;Y) by a double loop over the table, logs of marginals computed separately."""
    nx, ny = p.shape
    px = [math.fsum(p[i, j] for j in range(ny)) for i in range(nx)]
    py = [math.fsum(p[i, j] for i in range(nx)) for j in range(ny)]
    terms = []
    for i in range(nx):
        for j in range(ny):
            if p[i, j] > 0:
                terms.append(p[i, j] * (math.log2(p[i, j]) - math.log2(px[i]) - math.log2(py[j])))
    return math.fsum(terms)


def cmi_loop(p: np.ndarray) -> float:
    """I(X;Y|Z) = Σ p(x,y,z) log[p(x,y,z) p(z) / (p(x,z) p(y,z))] by a triple loop."""
    nx, ny, nz = p.shape
    pz = [math.fsum(p[:, :, k].ravel()) for k in range(nz)]
    pxz = [[math.fsum(p[i, :, k]) for k in range(nz)] for i in range(nx)]
    pyz = [[math.fsum(p[:, j, k]) for k in range(nz)] for j in range(ny)]
    terms = []
    for i in range(nx):
        for j in range(ny):
            for k in range(nz):
                v = p[i, j, k]
                if v > 0:
                    terms.append(v * (math.log2(v) + math.log2(pz[k])
                                      - math.log2(pxz[i][k]) - math.log2(pyz[j][k])))
    return math.fsum(terms)


def h_loop(p: np.ndarray) -> float:
    return -math.fsum(v * math.log2(v) for v in p.ravel() if v > 0)


# Cover & Thomas 2006, Example 2.2.1. In the book the rows are Y = 1..4 and the columns X = 1..4,
# so with X on axis 0 (our convention) the joint is the transpose.
CT_ROWS_Y = np.array([
    [1 / 8, 1 / 16, 1 / 32, 1 / 32],
    [1 / 16, 1 / 8, 1 / 32, 1 / 32],
    [1 / 16, 1 / 16, 1 / 16, 1 / 16],
    [1 / 4, 0, 0, 0],
])
CT_PXY = CT_ROWS_Y.T


# ----------------------------------------------------------------------------- closed forms
class TestClosedForms:
    def test_fair_coin_is_one_bit(self):
        assert entropy([0.5, 0.5]) == pytest.approx(1.0, abs=1e-15)

    @pytest.mark.parametrize("b", [1, 2, 3, 4, 7, 8, 10, 256, 1000])
    def test_uniform_on_b_levels_is_log2_b(self, b):
        assert entropy(np.full(b, 1.0 / b)) == pytest.approx(math.log2(b), abs=1e-12)

    def test_point_mass_has_zero_entropy(self):
        p = np.zeros((3, 4))
        p[2, 1] = 1.0
        assert entropy(p) == 0.0
        assert mutual_information(p) == 0.0
        assert conditional_entropy(p) == 0.0

    def test_entropy_of_joint_is_entropy_of_flattened(self):
        p = np.array([[0.1, 0.2], [0.3, 0.4]])
        assert entropy(p) == pytest.approx(h_loop(p), abs=1e-12)

    def test_cover_thomas_example_2_2_1(self):
        assert entropy(CT_PXY.sum(axis=1)) == pytest.approx(7 / 4, abs=1e-12)  # H(X)
        assert entropy(CT_PXY.sum(axis=0)) == pytest.approx(2.0, abs=1e-12)  # H(Y)
        assert conditional_entropy(CT_PXY) == pytest.approx(11 / 8, abs=1e-12)  # H(X|Y)
        assert conditional_entropy(CT_PXY.T) == pytest.approx(13 / 8, abs=1e-12)  # H(Y|X)
        assert mutual_information(CT_PXY) == pytest.approx(3 / 8, abs=1e-12)
        assert entropy(CT_PXY) == pytest.approx(27 / 8, abs=1e-12)  # H(X,Y)

    def test_copy_and_independent_bits(self):
        assert mutual_information(np.eye(2) / 2) == pytest.approx(1.0, abs=1e-15)
        assert mutual_information(np.full((2, 2), 0.25)) == pytest.approx(0.0, abs=1e-15)
        assert conditional_entropy(np.full((2, 2), 0.25)) == pytest.approx(1.0, abs=1e-15)

    @pytest.mark.parametrize("eps", [0.0, 0.01, 0.1, 0.25, 0.5, 0.8, 1.0])
    def test_bsc_with_uniform_input_carries_capacity(self, eps):
        pxy = 0.5 * np.array([[1 - eps, eps], [eps, 1 - eps]])
        assert mutual_information(pxy) == pytest.approx(1 - h2(eps), abs=1e-12)

    def test_xor_cmi(self):
        p = np.zeros((2, 2, 2))
        for x in (0, 1):
            for y in (0, 1):
                p[x, y, x ^ y] = 0.25
        assert mutual_information(p.sum(axis=2)) == pytest.approx(0.0, abs=1e-15)
        assert conditional_mutual_information(p) == pytest.approx(1.0, abs=1e-15)

    def test_binary_entropy_values(self):
        assert binary_entropy(0.5) == 1.0
        assert binary_entropy(0.0) == 0.0
        assert binary_entropy(1.0) == 0.0
        assert binary_entropy(0.25) == pytest.approx(2 - 0.75 * math.log2(3), abs=1e-15)
        assert binary_entropy(0.11) == pytest.approx(h2(0.11), abs=1e-15)

    def test_binary_entropy_is_vectorised(self):
        ps = np.linspace(0, 1, 101).reshape(101, 1)
        out = binary_entropy(ps)
        assert isinstance(out, np.ndarray) and out.shape == (101, 1)
        np.testing.assert_allclose(out.ravel(), [h2(p) for p in ps.ravel()], atol=1e-14)
        assert isinstance(binary_entropy(0.3), float)
        np.testing.assert_allclose(binary_entropy([0.2, 0.8]), [h2(0.2)] * 2, atol=1e-15)

    def test_kl_closed_forms(self):
        assert kl_divergence([0.5, 0.5], [0.25, 0.75]) == pytest.approx(
            0.5 * math.log2(2) + 0.5 * math.log2(0.5 / 0.75), abs=1e-15)
        assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(1.0, abs=1e-15)

    def test_kl_infinite_when_q_misses_support(self):
        assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
        # p = 0 where q = 0 is fine
        assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0

    def test_kl_does_not_overflow_on_extreme_ratio(self):
        p = np.array([1e-10, 1 - 1e-10])
        q = np.array([1e-320, 1.0])
        d = kl_divergence(p, q)
        expected = 1e-10 * (math.log2(1e-10) - math.log2(1e-320)) + (1 - 1e-10) * math.log2(
            1 - 1e-10)
        assert math.isfinite(d)
        assert d == pytest.approx(expected, rel=1e-9)

    def test_returns_python_floats(self):
        p = np.full((2, 2, 2), 1 / 8)
        for v in (entropy(p), conditional_entropy(p[0] * 2), mutual_information(p[0] * 2),
                  conditional_mutual_information(p), kl_divergence(p, p)):
            assert type(v) is float


# ----------------------------------------------------------------------------- tiny masses
class TestTinyProbabilities:
    @pytest.mark.parametrize("tiny", [1e-300, 5e-324, 1e-200, 2.2250738585072014e-308])
    def test_tiny_masses_are_finite_and_silent(self, tiny):
        p = np.array([tiny, 0.5 - tiny, 0.5, 0.0])
        h = entropy(p)
        assert math.isfinite(h) and h == pytest.approx(1.0, abs=1e-12)
        pxy = np.array([[tiny, 0.5], [0.5 - tiny, 0.0]])
        for v in (mutual_information(pxy), conditional_entropy(pxy), conditional_entropy(pxy.T)):
            assert math.isfinite(v) and v >= 0
        assert math.isfinite(kl_divergence(p, np.full(4, 0.25)))
        assert math.isfinite(float(binary_entropy(tiny)))
        assert math.isfinite(conditional_mutual_information(pxy[:, :, None]))

    def test_tiny_mass_contributes_its_exact_share(self):
        p = np.array([1e-300, 1.0])
        assert entropy(p) == pytest.approx(-1e-300 * math.log2(1e-300), rel=1e-12)


# ----------------------------------------------------------------------------- oracles, random
class TestAgainstOracles:
    @PROPERTY
    @given(distributions(max_dims=3, max_side=6))
    def test_entropy_matches_scipy(self, p):
        assert entropy(p) == pytest.approx(scipy.stats.entropy(p.ravel(), base=2), abs=TOL)

    @PROPERTY
    @given(distributions(max_dims=3, max_side=6))
    def test_entropy_matches_loop_and_bounds(self, p):
        h = entropy(p)
        assert h == pytest.approx(h_loop(p), abs=TOL)
        assert -1e-12 <= h <= math.log2(p.size) + 1e-12

    @PROPERTY
    @given(st.data())
    def test_kl_matches_scipy(self, data):
        shape = data.draw(st.tuples(st.integers(1, 8)))
        p = data.draw(distributions(shape=shape))
        q = data.draw(distributions(shape=shape))
        ours = kl_divergence(p, q)
        with np.errstate(all="ignore"):
            ref = scipy.stats.entropy(p, q, base=2)
        if math.isinf(ref):
            assert ours == math.inf
        else:
            assert ours == pytest.approx(ref, abs=TOL)

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=6))
    def test_mi_matches_double_loop(self, p):
        assert mutual_information(p) == pytest.approx(mi_loop(p), abs=TOL)

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=6))
    def test_mi_matches_scipy_entropies(self, p):
        ref = (scipy.stats.entropy(p.sum(1), base=2) + scipy.stats.entropy(p.sum(0), base=2)
               - scipy.stats.entropy(p.ravel(), base=2))
        assert mutual_information(p) == pytest.approx(max(ref, 0.0), abs=TOL)

    @PROPERTY
    @given(distributions(min_dims=3, max_dims=3, max_side=4))
    def test_cmi_matches_triple_loop(self, p):
        assert conditional_mutual_information(p) == pytest.approx(cmi_loop(p), abs=TOL)

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=6))
    def test_conditional_entropy_matches_definition(self, p):
        # H(X|Y) = Σ_y p(y) H(X | Y=y)
        py = p.sum(axis=0)
        ref = math.fsum(py[j] * h_loop(p[:, j] / py[j]) for j in range(p.shape[1]) if py[j] > 0)
        assert conditional_entropy(p) == pytest.approx(ref, abs=TOL)

    def test_large_table_in_blocks_matches_scipy(self):
        # larger than the 65536-entry blocks of the implementation, with a ragged last block
        rng = np.random.default_rng(11)
        p = rng.random(3 * 65536 + 17)
        p[rng.integers(0, p.size, 5000)] = 0.0
        p[rng.integers(0, p.size, 50)] = 1e-300
        p[65535:65538] = 0.0  # zeros across a block boundary
        p /= p.sum()
        assert entropy(p) == pytest.approx(scipy.stats.entropy(p, base=2), abs=1e-10)

    def test_large_dense_mi_matches_loop_free_oracle(self):
        rng = np.random.default_rng(7)
        p = rng.random((400, 300)) ** 3
        p /= p.sum()
        px, py = p.sum(1), p.sum(0)
        ref = float(np.sum(p * (np.log2(p) - np.log2(px)[:, None] - np.log2(py)[None, :])))
        assert mutual_information(p) == pytest.approx(ref, abs=1e-10)


# ----------------------------------------------------------------------------- properties
class TestProperties:
    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=6))
    def test_mi_symmetric_nonnegative_bounded(self, p):
        i = mutual_information(p)
        assert i == pytest.approx(mutual_information(p.T), abs=1e-12)
        assert i >= -1e-12
        assert i <= min(entropy(p.sum(1)), entropy(p.sum(0))) + 1e-12

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=6))
    def test_chain_rule_entropy(self, p):
        # H(X,Y) = H(X) + H(Y|X); Y|X is conditional_entropy of the table with Y on axis 0
        assert entropy(p) == pytest.approx(entropy(p.sum(1)) + conditional_entropy(p.T), abs=TOL)
        assert entropy(p) == pytest.approx(entropy(p.sum(0)) + conditional_entropy(p), abs=TOL)

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=6, tiny=False))
    def test_mi_is_kl_from_product(self, p):
        # (no 1e-300 masses: the oracle's product p(x) p(y) would underflow to 0)
        prod = np.outer(p.sum(1), p.sum(0))
        assert mutual_information(p) == pytest.approx(kl_divergence(p, prod), abs=TOL)

    @PROPERTY
    @given(distributions(min_dims=3, max_dims=3, max_side=4))
    def test_chain_rule_mi(self, p):
        nx, ny, nz = p.shape
        i_x_yz = mutual_information(p.reshape(nx, ny * nz))
        i_x_y = mutual_information(p.sum(axis=2))
        i_x_z_given_y = conditional_mutual_information(p.transpose(0, 2, 1))
        assert i_x_yz == pytest.approx(i_x_y + i_x_z_given_y, abs=TOL)
        assert conditional_mutual_information(p) >= -1e-12
        # symmetry in X and Y
        assert conditional_mutual_information(p) == pytest.approx(
            conditional_mutual_information(p.transpose(1, 0, 2)), abs=1e-12)

    @PROPERTY
    @given(st.data())
    def test_data_processing_markov_chain(self, data):
        nx, ny, nz = (data.draw(st.integers(1, 5)) for _ in range(3))
        px = data.draw(distributions(shape=(nx,)))
        w1 = data.draw(stochastic_matrices(nx, ny))
        w2 = data.draw(stochastic_matrices(ny, nz))
        p = markov_chain_joint(px, w1, w2)
        i_xy = mutual_information(p.sum(axis=2))
        i_xz = mutual_information(p.sum(axis=1))
        i_yz = mutual_information(p.sum(axis=0))
        assert i_xz <= i_xy + 1e-12
        assert i_xz <= i_yz + 1e-12
        assert conditional_mutual_information(p.transpose(0, 2, 1)) == pytest.approx(0, abs=1e-9)

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=6), st.data())
    def test_data_processing_deterministic(self, p, data):
        ny = p.shape[1]
        n_out = data.draw(st.integers(1, ny))
        table = data.draw(st.lists(st.integers(0, n_out - 1), min_size=ny, max_size=ny))
        p_xf = p @ deterministic_channel(table, ny, n_out)
        assert mutual_information(p_xf) <= mutual_information(p) + 1e-12
        assert entropy(p_xf.sum(0)) <= entropy(p.sum(0)) + 1e-12

    @PROPERTY
    @given(st.data())
    def test_kl_nonnegative_zero_iff_equal_pinsker(self, data):
        shape = data.draw(st.tuples(st.integers(1, 8)))
        p = data.draw(distributions(shape=shape))
        q = data.draw(distributions(shape=shape))
        assert kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
        d = kl_divergence(p, q)
        assert d >= 0
        l1 = float(np.abs(p - q).sum())
        # Pinsker: D >= ||p - q||_1^2 / (2 ln 2) in bits, so D = 0 forces p = q
        assert d >= l1 ** 2 / (2 * math.log(2)) - 1e-12
        assume(l1 > 1e-6)
        assert d > 0

    @PROPERTY
    @given(st.floats(0, 1))
    def test_binary_entropy_matches_entropy(self, p):
        assert binary_entropy(p) == pytest.approx(entropy([p, 1 - p]), abs=1e-12)
        assert binary_entropy(p) == pytest.approx(binary_entropy(1 - p), abs=1e-12)
        assert 0 <= binary_entropy(p) <= 1

    @PROPERTY
    @given(distributions(min_dims=2, max_dims=2, max_side=5))
    def test_transposed_and_noncontiguous_inputs(self, p):
        big = np.zeros((p.shape[0], 2 * p.shape[1]))
        big[:, ::2] = p
        view = big[:, ::2]  # non-contiguous view of the same table
        assert mutual_information(view) == pytest.approx(mutual_information(p), abs=1e-12)
        assert entropy(np.asfortranarray(p)) == pytest.approx(entropy(p), abs=1e-12)


# ----------------------------------------------------------------------------- validation
BAD_DISTRIBUTIONS = [
    ([0.5, float("nan"), 0.5], "NaN or inf at index 1"),
    ([0.5, float("inf")], "NaN or inf at index 1"),
    ([0.5, -float("inf"), 0.5], "NaN or inf at index 1"),
    ([0.7, -0.2, 0.5], "most negative value is -0.2"),
    ([1.1, -0.05, -0.05], "most negative value is -0.05"),
    ([0.5, 0.4], "sum to 0.9, not 1"),
    ([0.5, 0.4], "divide by the sum"),
    ([0.6, 0.6], "sum to 1.2, not 1"),
    ([0.0, 0.0], "sum to 0, not 1"),
    ([], "empty"),
    (["a", "b"], "not numeric"),
    ([[0.5], [0.25, 0.25]], "not a rectangular array"),
    ([0.5 + 0j, 0.5], "complex"),
    (0.5, "at least 1 axis"),
]


class TestValidation:
    @pytest.mark.parametrize("bad,phrase", BAD_DISTRIBUTIONS)
    def test_entropy_rejects(self, bad, phrase):
        with pytest.raises(ValueError, match=phrase.replace("(", r"\(")):
            entropy(bad)

    @pytest.mark.parametrize("bad,phrase", BAD_DISTRIBUTIONS[:9])
    def test_kl_rejects_both_arguments(self, bad, phrase):
        good = np.full(len(bad), 1 / len(bad))
        with pytest.raises(ValueError, match=r"^p .*" + phrase):
            kl_divergence(bad, good)
        with pytest.raises(ValueError, match=r"^q .*" + phrase):
            kl_divergence(good, bad)

    def test_nan_index_in_2d(self):
        p = np.full((2, 3), 1 / 6)
        p[1, 2] = np.nan
        with pytest.raises(ValueError, match=r"NaN or inf at index \(1, 2\)"):
            mutual_information(p)

    def test_negative_mass_location_and_value(self):
        p = np.array([[0.6, -0.3], [0.5, 0.2]])
        with pytest.raises(ValueError, match=r"-0.3 at index \(0, 1\)"):
            conditional_entropy(p)

    @pytest.mark.parametrize("f", [mutual_information, conditional_entropy])
    def test_two_axis_functions(self, f):
        with pytest.raises(ValueError, match="must have 2 axes, got 1"):
            f([0.5, 0.5])
        with pytest.raises(ValueError, match="must have 2 axes, got 3"):
            f(np.full((2, 2, 2), 1 / 8))
        with pytest.raises(ValueError, match="sum to 0.75, not 1"):
            f([[0.25, 0.25], [0.25, 0.0]])
        with pytest.raises(ValueError, match="empty"):
            f(np.zeros((0, 3)))

    def test_cmi_axes(self):
        with pytest.raises(ValueError, match="must have 3 axes, got 2"):
            conditional_mutual_information(np.full((2, 2), 0.25))
        with pytest.raises(ValueError, match="sum to 2, not 1"):
            conditional_mutual_information(np.full((2, 2, 2), 0.25))

    def test_kl_shape_mismatch(self):
        with pytest.raises(ValueError, match=r"p has shape \(2,\) but q has shape \(3,\)"):
            kl_divergence([0.5, 0.5], [1 / 3] * 3)
        with pytest.raises(ValueError, match="same shape"):
            kl_divergence(np.full((2, 2), 0.25), np.full(4, 0.25))

    @pytest.mark.parametrize("bad,phrase", [
        (1.5, "must lie in \\[0, 1\\]; got 1.5"),
        (-0.1, "got -0.1"),
        ([0.2, 2.0], "got 2 at index 1"),
        (float("nan"), "NaN or inf"),
        ("half", "not numeric"),
    ])
    def test_binary_entropy_rejects(self, bad, phrase):
        with pytest.raises(ValueError, match=phrase):
            binary_entropy(bad)

    def test_tolerance_scales_with_size(self):
        assert normalisation_tolerance(1) == 1e-9
        assert normalisation_tolerance(10 ** 6) == pytest.approx(1e-6)
        entropy([0.5, 0.5 + 1e-12])  # accepted: rounding-sized error
        with pytest.raises(ValueError, match="sum to"):
            entropy([0.5, 0.5 + 1e-7])
        n = 10 ** 6
        entropy(np.full(n, (1 + 1e-7) / n))  # within 1e-9 * sqrt(n) = 1e-6
        with pytest.raises(ValueError, match="sum to 1.00001"):
            entropy(np.full(n, (1 + 1e-5) / n))

    def test_integer_and_bool_input_accepted(self):
        assert entropy([0, 1]) == 0.0
        assert entropy(np.array([1])) == 0.0
        assert as_distribution([True, False]).dtype == np.float64

    def test_validation_does_not_modify_input(self):
        p = np.array([0.25, 0.75])
        entropy(p)
        np.testing.assert_array_equal(p, [0.25, 0.75])

    def test_check_enumerable(self):
        assert check_enumerable(10, 10, "x", "y") == 10
        with pytest.raises(ValueError) as e:
            check_enumerable(2 ** 40, 10 ** 6, "the set of token sequences", "a shorter horizon")
        assert str(e.value) == ("the set of token sequences has 1099511627776 entries, above the "
                                "limit 1000000; use a shorter horizon")
        with pytest.raises(ValueError, match="non-negative integer"):
            check_enumerable(2.5, 10, "x", "y")
        with pytest.raises(ValueError, match="non-negative integer"):
            check_enumerable(5, -1, "x", "y")

    def test_check_stochastic(self):
        check_stochastic(np.array([[0.5, 0.5], [1.0, 0.0]]))
        with pytest.raises(ValueError, match="row 1 sums to 0.9"):
            check_stochastic(np.array([[0.5, 0.5], [0.5, 0.4]]), name="W")
        with pytest.raises(ValueError, match=r"row \(1, 0\) sums to 2"):
            check_stochastic(np.array([[[1.0, 0.0]], [[1.0, 1.0]]]))
        with pytest.raises(ValueError, match="most negative value is -0.5"):
            check_stochastic(np.array([[1.5, -0.5]]))
