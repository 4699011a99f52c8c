"""The ideal learner's episode counts against a brute-force simulation of that learner."""
import itertools
import math

import numpy as np
import pytest
from infobandwidth.learning.sample_complexity import (
    exact_match_episodes_dense,
    exact_match_episodes_sparse,
    exact_match_summary,
    information_lower_bound,
)


def simulate_sparse(V, T):
    """Average over every target of the episodes an eliminating learner needs (binary feedback)."""
    cands = list(itertools.product(range(V), repeat=T))
    total = 0
    for target in cands:
        alive = list(cands)
        episodes = 0
        while len(alive) > 1:
            guess = alive[0]
            episodes += 1
            alive = [c for c in alive if (c == guess) == (guess == target)]
        assert alive == [target]
        total += episodes
    return total / len(cands)


def simulate_dense(V, T):
    """Same, told which positions were right; the learner guesses the smallest live token per position."""
    total = 0
    targets = list(itertools.product(range(V), repeat=T))
    for target in targets:
        alive = [set(range(V)) for _ in range(T)]
        episodes = 0
        while any(len(a) > 1 for a in alive):
            guess = [min(a) for a in alive]
            episodes += 1
            for i in range(T):
                alive[i] = {guess[i]} if guess[i] == target[i] else alive[i] - {guess[i]}
        assert tuple(min(a) for a in alive) == target
        total += episodes
    return total / len(targets)


@pytest.mark.parametrize("V,T", [(1, 1), (2, 1), (2, 2), (2, 3), (3, 2), (4, 2), (3, 3), (5, 1)])
def test_closed_forms_match_simulated_ideal_learner(V, T):
    assert exact_match_episodes_sparse(V, T) == pytest.approx(simulate_sparse(V, T), rel=1e-12)
    assert exact_match_episodes_dense(V, T) == pytest.approx(simulate_dense(V, T), rel=1e-12)


@pytest.mark.parametrize("V,T", [(2, 4), (3, 3), (4, 3), (2, 8)])
def test_ideal_learner_respects_the_information_bound(V, T):
    # No learner can beat bits-to-learn / bits-per-episode (up to the fact that the bound is on
    # average over the prior and the ideal counts are averages too).
    s = exact_match_summary(V, T)
    assert s["ideal_sparse"] >= s["bound_sparse"] - 1e-12
    assert s["ideal_dense"] >= s["bound_dense"] - 1e-12
    assert s["H_xi"] == pytest.approx(T * math.log2(V))


def test_sparse_grows_exponentially_dense_slowly():
    sparse = [exact_match_episodes_sparse(2, T) for T in range(1, 12)]
    dense = [exact_match_episodes_dense(3, T) for T in range(1, 12)]
    assert all(b / a > 1.9 for a, b in zip(sparse[2:], sparse[3:]))  # roughly doubles with T
    assert max(dense) < 3  # never more than V - 1 = 2 episodes


def test_first_episode_bits_is_binary_entropy_of_success():
    s = exact_match_summary(2, 1)
    assert s["first_episode_bits_sparse"] == pytest.approx(1.0)
    s = exact_match_summary(4, 3)
    p = 4.0**-3
    assert s["first_episode_bits_sparse"] == pytest.approx(-(p * np.log2(p) + (1 - p) * np.log2(1 - p)))


@pytest.mark.parametrize("V,T,msg", [(0, 2, "at least 1"), (2, 0, "at least 1"), (2.5, 2, "integer"),
                                     (True, 2, "integer"), (10, 400, "overflows")])
def test_bad_sizes(V, T, msg):
    with pytest.raises(ValueError, match=msg):
        exact_match_summary(V, T)


@pytest.mark.parametrize("h,c,msg", [(-1, 1, ">= 0"), (1, 0, "> 0"), (float("nan"), 1, "finite"),
                                     (1, float("inf"), "finite")])
def test_bad_bound_arguments(h, c, msg):
    with pytest.raises(ValueError, match=msg):
        information_lower_bound(h, c)
