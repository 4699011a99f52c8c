"""Tests of infobandwidth.information.quantise.

Oracles: the floor formula ``floor((x - low) / width)`` away from bin edges, a loop that sums
probabilities per level, and the closed form ``H = log2 B`` for a signal spread evenly over the
B levels.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from conftest import PROPERTY, distributions
from hypothesis import assume, given
from hypothesis import strategies as st
from infobandwidth.information.measures import entropy
from infobandwidth.information.quantise import (
    bin_centers,
    bin_edges,
    count_levels,
    quantise,
    quantised_distribution,
)

pytestmark = pytest.mark.filterwarnings("error")

ranges = st.tuples(
    st.floats(-1e3, 1e3),
    st.floats(1e-2, 1e3),
).map(lambda t: (t[0], t[0] + t[1]))  # (low, high) with high > low


class TestQuantise:
    @PROPERTY
    @given(ranges, st.integers(1, 64), st.floats(0, 1))
    def test_matches_floor_formula_away_from_edges(self, rng_, levels, u):
        low, high = rng_
        x = low + u * (high - low)
        assume(low <= x <= high)
        width = (high - low) / levels
        pos = (x - low) / width
        assume(abs(pos - round(pos)) > 1e-6)  # not on an edge, where rounding decides
        expected = min(int(math.floor(pos)), levels - 1)
        assert quantise(x, levels, low, high) == expected

    @PROPERTY
    @given(ranges, st.integers(1, 64))
    def test_edges_go_to_the_bin_above_and_high_to_the_top(self, rng_, levels):
        low, high = rng_
        edges = bin_edges(levels, low, high)
        assert edges[0] == low and edges[-1] == high and len(edges) == levels + 1
        k = quantise(edges, levels, low, high)
        np.testing.assert_array_equal(k[:-1], np.arange(levels))
        assert k[-1] == levels - 1
        assert quantise(low, levels, low, high) == 0
        assert quantise(high, levels, low, high) == levels - 1

    @PROPERTY
    @given(st.lists(st.floats(0, 1), min_size=1, max_size=50), st.integers(1, 20))
    def test_monotone_and_in_range(self, xs, levels):
        xs = np.sort(np.array(xs))
        k = quantise(xs, levels, 0.0, 1.0)
        assert k.dtype.kind == "i"
        assert np.all(np.diff(k) >= 0)
        assert k.min() >= 0 and k.max() <= levels - 1

    def test_examples(self):
        np.testing.assert_array_equal(
            quantise([0.0, 0.1, 0.2, 0.5, 0.74, 0.75, 1.0], 4, 0.0, 1.0), [0, 0, 0, 2, 2, 3, 3])
        np.testing.assert_array_equal(quantise([-1.0, 0.0, 1.0], 2, -1.0, 1.0), [0, 1, 1])
        assert quantise(0.3, 1, 0.0, 1.0) == 0
        assert isinstance(quantise(0.3, 4, 0.0, 1.0), int)
        assert quantise(np.array([[0.1, 0.9]]), 2, 0, 1).shape == (1, 2)

    def test_bin_centers(self):
        np.testing.assert_allclose(bin_centers(4, 0.0, 2.0), [0.25, 0.75, 1.25, 1.75])
        c = bin_centers(7, -3.0, 5.0)
        np.testing.assert_array_equal(quantise(c, 7, -3.0, 5.0), np.arange(7))

    def test_clip(self):
        np.testing.assert_array_equal(
            quantise([-5.0, 0.5, 9.0], 4, 0.0, 1.0, clip=True), [0, 2, 3])

    @pytest.mark.parametrize("kwargs,phrase", [
        (dict(x=[0.5, 1.5], levels=2, low=0.0, high=1.0), r"outside \[low, high\] = \[0, 1\] "
                                                          r"\(min 0.5, max 1.5\).*clip=True"),
        (dict(x=[-0.1], levels=2, low=0.0, high=1.0), "outside"),
        (dict(x=[np.nan], levels=2, low=0.0, high=1.0), "NaN or inf"),
        (dict(x=[np.inf], levels=2, low=0.0, high=1.0, clip=True), "NaN or inf"),
        (dict(x=["a"], levels=2, low=0.0, high=1.0), "not numeric"),
        (dict(x=[0.5], levels=0, low=0.0, high=1.0), "levels must be >= 1"),
        (dict(x=[0.5], levels=2.5, low=0.0, high=1.0), "levels must be an integer"),
        (dict(x=[0.5], levels=True, low=0.0, high=1.0), "levels must be an integer"),
        (dict(x=[0.5], levels=2, low=1.0, high=1.0), "low must be below high"),
        (dict(x=[0.5], levels=2, low=2.0, high=1.0), "low must be below high"),
        (dict(x=[0.5], levels=2, low=-np.inf, high=1.0), "low must be a finite"),
        (dict(x=[0.5], levels=2, low=0.0, high=np.nan), "high must be a finite"),
        (dict(x=[0.5], levels=2, low="0", high=1.0), "low must be a finite"),
    ])
    def test_rejects(self, kwargs, phrase):
        with pytest.raises(ValueError, match=phrase):
            quantise(**kwargs)


def level_by_fractions(c: int, n: int, B: int) -> int:
    """The rule in exact rationals: the largest k < B with k/B <= c/n (an edge goes up, n to the top)."""
    return max(k for k in range(B) if Fraction(k, B) <= Fraction(c, n))


class TestCountLevels:
    """The one B-level rule for counts, against exact rationals, for odd and even n and every B."""

    @pytest.mark.parametrize("n", range(1, 13))
    def test_brute_force_oracle_every_count_and_level(self, n):
        for B in range(1, n + 2):
            levels = count_levels(n, B)
            expected = [level_by_fractions(c, n, B) for c in range(n + 1)]
            assert levels.tolist() == expected, (n, B)
            # the real-valued quantiser gives the same levels for the shares c/n (edges up to rounding)
            assert quantise(np.arange(n + 1) / n, B, 0.0, 1.0).tolist() == expected, (n, B)
            # every level is used once B <= n + 1, and the levels never go down
            assert set(expected) == set(range(B)) and sorted(expected) == expected

    def test_the_rule_that_was_replaced_differs_on_even_n(self):
        # match count used to pay floor(B·c/(n+1)); for B = 2 and even n the middle count c = n/2
        # went down there and goes up now (a share of exactly 1/2 is on the edge)
        for n in (2, 4, 6):
            assert (2 * (n // 2)) // (n + 1) == 0 and count_levels(n, 2)[n // 2] == 1
        for n in (1, 3, 5, 7):  # odd n: the two rules agree for B = 2
            assert [(2 * c) // (n + 1) for c in range(n + 1)] == count_levels(n, 2).tolist()

    def test_a_value_on_an_edge_up_to_rounding_goes_up(self):
        assert np.linspace(0, 1, 11)[3] > 0.3          # the float edge is one ulp above 3/10
        assert quantise(0.3, 10, 0.0, 1.0) == 3
        assert quantise([0.1 * k for k in range(11)], 10, 0.0, 1.0).tolist() == list(range(10)) + [9]

    @pytest.mark.parametrize("n,levels,phrase", [
        (0, 2, "n must be an integer >= 1"), (2.0, 2, "n must be an integer"),
        (True, 2, "n must be an integer"), (3, 0, "levels must be >= 1"),
        (3, 1.5, "levels must be an integer")])
    def test_rejects(self, n, levels, phrase):
        with pytest.raises(ValueError, match=phrase):
            count_levels(n, levels)


class TestQuantisedDistribution:
    @PROPERTY
    @given(st.data())
    def test_matches_loop_and_is_a_distribution(self, data):
        n = data.draw(st.integers(1, 30))
        levels = data.draw(st.integers(1, 16))
        values = np.array(data.draw(st.lists(st.floats(-2, 3), min_size=n, max_size=n)))
        probs = data.draw(distributions(shape=(n,)))
        out = quantised_distribution(values, probs, levels, -2.0, 3.0)
        ref = np.zeros(levels)
        for v, p in zip(values, probs):
            ref[quantise(v, levels, -2.0, 3.0)] += p
        np.testing.assert_allclose(out, ref, atol=1e-15)
        assert out.shape == (levels,)
        assert out.sum() == pytest.approx(1.0, abs=1e-12)
        # a function of the signal: at most log2 B bits, at most the signal's own entropy
        h = entropy(out)
        assert h <= math.log2(levels) + 1e-12
        merged = {}
        for v, p in zip(values, probs):
            merged[v] = merged.get(v, 0.0) + p
        assert h <= entropy(np.array(list(merged.values()))) + 1e-12

    @pytest.mark.parametrize("levels", [1, 2, 3, 4, 8, 16, 100])
    def test_even_signal_gives_log2_b_bits(self, levels):
        centers = bin_centers(levels, 0.0, 10.0)
        values = np.repeat(centers, 3)  # three equally likely values inside each bin
        probs = np.full(values.size, 1 / values.size)
        out = quantised_distribution(values, probs, levels, 0.0, 10.0)
        np.testing.assert_allclose(out, np.full(levels, 1 / levels), atol=1e-15)
        assert entropy(out) == pytest.approx(math.log2(levels), abs=1e-12)

    def test_rejects(self):
        with pytest.raises(ValueError, match="values has 3 entries but probs has 2"):
            quantised_distribution([0.1, 0.2, 0.3], [0.5, 0.5], 2, 0.0, 1.0)
        with pytest.raises(ValueError, match="probs is not normalised.*sum to 0.8"):
            quantised_distribution([0.1, 0.2], [0.4, 0.4], 2, 0.0, 1.0)
        with pytest.raises(ValueError, match="probs has negative mass"):
            quantised_distribution([0.1, 0.2], [1.5, -0.5], 2, 0.0, 1.0)
        with pytest.raises(ValueError, match="outside"):
            quantised_distribution([0.1, 2.0], [0.5, 0.5], 2, 0.0, 1.0)
        np.testing.assert_allclose(
            quantised_distribution([0.1, 2.0], [0.5, 0.5], 2, 0.0, 1.0, clip=True), [0.5, 0.5])
        with pytest.raises(ValueError, match="values must have 1 axis"):
            quantised_distribution([[0.1, 0.2]], [0.5, 0.5], 2, 0.0, 1.0)
