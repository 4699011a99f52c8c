"""Tests of the token-level MDP (§2.1): enumeration, policies, sampling, returns, bad input."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from infobandwidth.model.mdp import (
    Policy,
    TokenMDP,
    callable_policy,
    deterministic_policy,
    expected_return,
    sampled_return,
    softmax_policy,
    table_policy,
    uniform_policy,
)


def random_policy(mdp, seed):
    rng = np.random.default_rng(seed)
    return softmax_policy(mdp, rng.normal(size=(mdp.n_prefixes, mdp.V)) * 2)


# ----------------------------------------------------------------------------- enumeration
@pytest.mark.parametrize("V,T", [(1, 1), (1, 3), (2, 1), (2, 3), (3, 2), (4, 3)])
def test_trajectories_are_base_V_numbers_in_lexicographic_order(V, T):
    mdp = TokenMDP(V, T)
    traj = mdp.trajectories()
    assert traj.shape == (V**T, T)
    # plain loop: itertools.product enumerates strings in lexicographic order
    expected = list(itertools.product(range(V), repeat=T))
    assert [tuple(r) for r in traj.tolist()] == expected
    for i, seq in enumerate(expected):
        assert mdp.index(seq) == i
        assert sum(x * V ** (T - 1 - t) for t, x in enumerate(seq)) == i


@pytest.mark.parametrize("V,T", [(1, 2), (2, 3), (3, 3)])
def test_prefixes_numbered_breadth_first_and_invertible(V, T):
    mdp = TokenMDP(V, T)
    prefixes = mdp.prefixes()
    expected = [p for t in range(T) for p in itertools.product(range(V), repeat=t)]
    assert prefixes == expected
    assert mdp.n_prefixes == len(expected) == sum(V**t for t in range(T))
    for i, p in enumerate(prefixes):
        assert mdp.prefix_index(p) == i
    assert mdp.prefix_lengths.tolist() == [len(p) for p in expected]
    # prefix_ids: the states s_0..s_{T-1} each trajectory visits
    ids = mdp.prefix_ids(np.arange(mdp.n_trajectories))
    for i, seq in enumerate(itertools.product(range(V), repeat=T)):
        assert ids[i].tolist() == [mdp.prefix_index(seq[:t]) for t in range(T)]


def test_labels_and_token_names():
    mdp = TokenMDP(3, 2, token_names=["yes", "no", "eh"])
    assert mdp.label(mdp.index([1, 2])) == "no eh"
    assert mdp.index("no eh") == 5
    assert TokenMDP(2, 2).label(1) == "ab"
    assert TokenMDP(30, 1).token_names[29] == "t29"


def test_end_token_valid_alive_and_padding():
    # V=3, T=3, end token 2: episodes without an end (2^3 = 8), ending at step 1 (1), 2 (2), 3 (4)
    mdp = TokenMDP(3, 3, end_token=2, token_names="ab$")
    assert mdp.valid.sum() == 8 + 1 + 2 + 4
    for i, seq in enumerate(itertools.product(range(3), repeat=3)):
        first_end = seq.index(2) if 2 in seq else None
        ok = first_end is None or all(x == 2 for x in seq[first_end:])
        assert mdp.valid[i] == ok
        alive = [first_end is None or t <= first_end for t in range(3)]
        assert mdp.alive[i].tolist() == alive
    assert mdp.index("a$") == mdp.index("a$$")
    assert mdp.label(mdp.index("a$")) == "a$"
    dead = [2 in p for p in mdp.prefixes()]
    assert mdp.dead_prefixes.tolist() == dead


# ----------------------------------------------------------------------------- policies
def brute_traj_probs(policy):
    mdp = policy.mdp
    out = []
    for seq in itertools.product(range(mdp.V), repeat=mdp.T):
        p = 1.0
        for t in range(mdp.T):
            p *= policy.table[mdp.prefix_index(seq[:t]), seq[t]]
        out.append(p)
    return np.array(out)


@pytest.mark.parametrize("V,T,end", [(2, 3, None), (3, 2, None), (3, 3, 2), (1, 2, None), (4, 2, 0)])
def test_trajectory_probabilities_sum_to_one_and_match_loop(V, T, end):
    mdp = TokenMDP(V, T, end_token=end)
    for pol in (uniform_policy(mdp), random_policy(mdp, 0)):
        p = pol.trajectory_probs()
        assert p.shape == (V**T,)
        assert abs(p.sum() - 1) < 1e-12
        np.testing.assert_allclose(p, brute_traj_probs(pol), rtol=1e-12, atol=1e-15)
        assert np.all(p[~mdp.valid] == 0)


def test_uniform_policy_with_end_token_is_not_uniform_over_strings():
    mdp = TokenMDP(2, 2, end_token=1)  # episodes: aa, ab, b(b)
    p = uniform_policy(mdp).trajectory_probs()
    assert p.tolist() == [0.25, 0.25, 0.0, 0.5]


def test_softmax_temperature():
    mdp = TokenMDP(2, 1)
    logits = [[0.0, 1.0]]
    p1 = softmax_policy(mdp, logits).table[0]
    assert p1[1] == pytest.approx(math.e / (1 + math.e))
    p_cold = softmax_policy(mdp, logits, temperature=0.1).table[0]
    p_hot = softmax_policy(mdp, logits, temperature=10.0).table[0]
    assert p_cold[1] > p1[1] > p_hot[1] > 0.5
    # -inf forbids a token
    assert softmax_policy(mdp, [[-np.inf, 0.0]]).table[0].tolist() == [0.0, 1.0]
    # large logits do not overflow
    assert softmax_policy(mdp, [[1000.0, 0.0]]).table[0][0] == 1.0


def test_callable_policy_sees_prompt_and_matches_table():
    mdp = TokenMDP(2, 2, prompt=(1, 1))
    seen = []

    def fn(state):
        seen.append(state)
        return [0.2, 0.8] if state[-1] == 1 else [0.6, 0.4]

    pol = callable_policy(mdp, fn)
    assert seen == [(1, 1), (1, 1, 0), (1, 1, 1)]
    expected = table_policy(mdp, [[0.2, 0.8], [0.6, 0.4], [0.2, 0.8]])
    np.testing.assert_allclose(pol.trajectory_probs(), expected.trajectory_probs())
    assert pol.probs(()).tolist() == [0.2, 0.8]


def test_callable_policy_not_called_after_end_token():
    mdp = TokenMDP(2, 3, end_token=1)
    seen = []
    callable_policy(mdp, lambda s: seen.append(s) or [0.5, 0.5])
    assert all(1 not in s for s in seen)


def test_deterministic_policy():
    mdp = TokenMDP(3, 2)
    actions = np.array([2, 0, 1, 1])  # () -> c, then at "c" (prefix 3) -> b
    p = deterministic_policy(mdp, actions).trajectory_probs()
    assert p[mdp.index("cb")] == 1.0


# ----------------------------------------------------------------------------- sampling
@pytest.mark.parametrize("end", [None, 1])
def test_sampled_frequencies_converge_to_enumerated(end):
    mdp = TokenMDP(3, 3, end_token=end)
    pol = random_policy(mdp, 1)
    n = 20000
    idx = pol.sample(n, seed=123)
    assert idx.shape == (n,) and idx.dtype == np.int64
    freq = np.bincount(idx, minlength=mdp.n_trajectories) / n
    p = pol.trajectory_probs()
    se = np.sqrt(p * (1 - p) / n)
    assert np.all(np.abs(freq - p) <= 4 * se + 1e-12), np.max(np.abs(freq - p) / (se + 1e-12))
    assert np.all(freq[p == 0] == 0)  # impossible episodes (invalid strings, zero-probability tokens) never appear


def test_sampling_is_reproducible_and_seeded():
    mdp = TokenMDP(4, 3)
    pol = uniform_policy(mdp)
    a = pol.sample(50, seed=7)
    assert np.array_equal(a, pol.sample(50, seed=7))
    assert not np.array_equal(a, pol.sample(50, seed=8))
    assert mdp.decode(a).shape == (50, 3)


def test_zero_probability_tokens_never_sampled():
    mdp = TokenMDP(3, 2)
    pol = table_policy(mdp, np.tile([0.0, 1.0, 0.0], (mdp.n_prefixes, 1)))
    assert set(pol.sample(1000, seed=0).tolist()) == {mdp.index("bb")}


# ----------------------------------------------------------------------------- returns
def test_expected_return_by_hand():
    mdp = TokenMDP(2, 2)
    # sparse: reward 1 on "bb" only; uniform policy reaches it w.p. 1/4
    assert expected_return(uniform_policy(mdp), [0, 0, 0, 1]) == 0.25
    # dense: reward 1 for every token b, γ = 0.5: E[1{x1=b}] + 0.5 E[1{x2=b}] = 0.5 + 0.25
    dense = mdp.trajectories().astype(float)
    assert expected_return(uniform_policy(mdp), dense, gamma=0.5) == pytest.approx(0.75)


@pytest.mark.parametrize("gamma", [1.0, 0.7])
def test_expected_return_exact_matches_sampled(gamma):
    mdp = TokenMDP(3, 3)
    pol = random_policy(mdp, 2)
    rng = np.random.default_rng(0)
    sparse = rng.normal(size=mdp.n_trajectories)
    dense = rng.integers(0, 3, size=(mdp.n_trajectories, mdp.T)).astype(float)
    for r in (sparse, dense):
        exact = expected_return(pol, r, gamma=gamma)
        est = sampled_return(pol, r, n=20000, seed=5, gamma=gamma)
        assert abs(est.value - exact) <= 4 * est.stderr
        assert est.n == 20000


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "args,kwargs,phrase",
    [
        ((0, 2), {}, "vocab_size must be an integer >= 1"),
        ((2, 0), {}, "horizon must be an integer >= 1"),
        ((2.5, 2), {}, "vocab_size must be an integer"),
        ((True, 2), {}, "vocab_size must be an integer"),
        ((2, 30), {}, "above the limit"),
        ((2, 2), {"end_token": 2}, "end_token must be a token in 0..1"),
        ((2, 2), {"prompt": (0, 5)}, "prompt tokens must be integers in 0..1"),
        ((2, 2), {"token_names": ["a"]}, "token_names has 1 names"),
    ],
)
def test_bad_mdp(args, kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        TokenMDP(*args, **kwargs)


@pytest.mark.parametrize("seed", [1.5, "0", None, True, -1, np.float64(2.0)])
def test_seed_must_be_an_int(seed):
    pol = uniform_policy(TokenMDP(2, 2))
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        pol.sample(3, seed=seed)
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        sampled_return(pol, [0, 0, 0, 1], n=3, seed=seed)


def test_numpy_integer_seed_accepted():
    pol = uniform_policy(TokenMDP(2, 2))
    assert np.array_equal(pol.sample(5, seed=np.int64(3)), pol.sample(5, seed=3))


@pytest.mark.parametrize(
    "table,phrase",
    [
        ([[0.5, 0.4], [0.5, 0.5], [0.5, 0.5]], "sums to 0.9, not 1"),
        ([[1.5, -0.5], [0.5, 0.5], [0.5, 0.5]], "negative mass"),
        ([[np.nan, 1.0], [0.5, 0.5], [0.5, 0.5]], "NaN or inf"),
        ([[0.5, 0.5]], r"expected \(3, 2\)"),
    ],
)
def test_policy_not_a_distribution(table, phrase):
    with pytest.raises(ValueError, match=phrase):
        table_policy(TokenMDP(2, 2), table)


def test_policy_row_error_names_the_prefix():
    with pytest.raises(ValueError, match=r"row 2 \(prefix \(1,\)\)"):
        table_policy(TokenMDP(2, 2), [[0.5, 0.5], [0.5, 0.5], [0.7, 0.7]])


@pytest.mark.parametrize(
    "fn,phrase",
    [
        (lambda s: [0.5, 0.6], "sums to 1.1"),
        (lambda s: [0.5], "returned 1 numbers"),
        (lambda s: [1.5, -0.5], "finite and >= 0"),
        (lambda s: "ab", "did not return numbers"),
    ],
)
def test_callable_policy_validated(fn, phrase):
    with pytest.raises(ValueError, match=phrase):
        callable_policy(TokenMDP(2, 2), fn)


def test_softmax_bad_input():
    mdp = TokenMDP(2, 2)
    with pytest.raises(ValueError, match=r"logits has shape \(2, 2\), expected \(3, 2\)"):
        softmax_policy(mdp, np.zeros((2, 2)))
    for t in (0, -1.0, float("inf"), "hot"):
        with pytest.raises(ValueError, match="temperature must be a positive finite number"):
            softmax_policy(mdp, np.zeros((3, 2)), temperature=t)
    with pytest.raises(ValueError, match="all -inf"):
        softmax_policy(mdp, [[0, 0], [-np.inf, -np.inf], [0, 0]])
    with pytest.raises(ValueError, match="NaN or"):
        softmax_policy(mdp, [[0, np.nan], [0, 0], [0, 0]])


def test_returns_bad_input():
    pol = uniform_policy(TokenMDP(2, 2))
    with pytest.raises(ValueError, match=r"rewards has shape \(3,\)"):
        expected_return(pol, [0, 0, 1])
    with pytest.raises(ValueError, match="gamma must be a discount factor"):
        expected_return(pol, np.zeros((4, 2)), gamma=1.5)
    with pytest.raises(ValueError, match="finite"):
        expected_return(pol, [0, 0, np.inf, 1])
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        sampled_return(pol, [0, 0, 0, 1], n=0, seed=0)
    with pytest.raises(ValueError, match="must be a Policy"):
        expected_return("uniform", [0, 0, 0, 1])


def test_decode_and_index_bad_input():
    mdp = TokenMDP(2, 2)
    with pytest.raises(ValueError, match="must lie in 0..3"):
        mdp.decode([4])
    with pytest.raises(ValueError, match="a trajectory has T = 2 tokens"):
        mdp.index([0])
    with pytest.raises(ValueError, match="unknown token name"):
        mdp.index("az")
    with pytest.raises(ValueError, match="a prefix is 0..1 tokens"):
        mdp.prefix_index((0, 1))
    with pytest.raises(ValueError, match="prefix index must lie in 0..2"):
        mdp.prefix(3)


def test_policy_table_is_read_only():
    pol = uniform_policy(TokenMDP(2, 2))
    assert isinstance(pol, Policy)
    with pytest.raises(ValueError):
        pol.table[0, 0] = 1.0


def test_token_arrays_do_arithmetic_without_overflow():
    """Tokens are plain int64: scaling a large vocabulary's tokens cannot wrap around."""
    mdp = TokenMDP(100, 2)
    tr = mdp.trajectories()
    assert tr.dtype == np.int64 and mdp.decode([0]).dtype == np.int64
    assert int((tr * 100).max()) == 99 * 100
    assert int(tr.sum(axis=1).max()) == 198
