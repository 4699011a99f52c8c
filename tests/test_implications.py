"""§4.4, implications for LLM-RL: rewards between sparse and dense, the value gap, the rank rule and
multi-task information, each against an independent oracle (scipy, brute-force enumeration in numpy,
closed forms written out here)."""
from __future__ import annotations

import math
from itertools import product

import infobandwidth as ib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from infobandwidth.book.claims.registry import evaluate
from infobandwidth.book.experiments.implications import (
    binomial_entropy,
    block_sizes,
    density_bits,
    density_table,
    multitask_accumulation,
    noisy_dense_signal,
    rank_rule,
    reward_bits,
    value_gap_runs,
)
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import exact_match, match_count, reward_table, token_utility
from scipy.stats import binom


def _h(probs) -> float:
    probs = np.asarray(probs, dtype=float).ravel()
    probs = probs[probs > 0]
    return float(-(probs * np.log2(probs)).sum())


def _hb(x: float) -> float:
    return _h([x, 1 - x])


def _scipy_binomial_bits(n: int, p: float) -> float:
    return float(binom(n, p).entropy()) / math.log(2)


def _brute_block_bits(family, k: int) -> float:
    """I(S;ξ|τ) of payments every k tokens, from the dense reward table and numpy alone."""
    r = family.dense_table()                                        # (ξ, τ, t)
    T = r.shape[2]
    edges = list(range(k, T + 1, k))
    if not edges or edges[-1] != T:
        edges.append(T)
    cum = np.round(np.cumsum(r, axis=2)[:, :, np.array(edges) - 1], 9)
    total = 0.0
    for tau in range(r.shape[1]):
        _, counts = np.unique(cum[:, tau, :], axis=0, return_counts=True)
        total += _h(counts / counts.sum())
    return total / r.shape[1]


# ============================================================================ a reward every k tokens
@pytest.mark.parametrize("make", [match_count, exact_match, lambda m: token_utility(m)])
@pytest.mark.parametrize("T,k", [(3, 1), (3, 2), (4, 2), (4, 3), (3, 5)])
def test_block_rewards_match_brute_force(make, T, k):
    fam = make(TokenMDP(2, T))
    b = ib.signal_bandwidth(fam, ib.DenseRewards(every=k))
    assert b.I_S_xi_given_tau == pytest.approx(_brute_block_bits(fam, k), abs=1e-9)


def test_every_one_is_dense_and_every_T_is_the_return():
    fam = match_count(TokenMDP(2, 4))
    dense = ib.signal_bandwidth(fam, ib.DenseRewards())
    assert ib.signal_bandwidth(fam, ib.DenseRewards(every=1)).H_S == pytest.approx(dense.H_S)
    ret = ib.signal_bandwidth(fam, ib.ReturnSignal())
    assert ib.signal_bandwidth(fam, ib.DenseRewards(every=4)).I_S_xi_given_tau == pytest.approx(ret.I_S_xi_given_tau)


def test_block_observation_round_trips_and_rejects_bad_input():
    bound = ib.DenseRewards(every=2).bind(match_count(TokenMDP(2, 4)))
    assert bound.value_label(bound.encode([0.5, 0.25])) == "(0.5,0.25)"
    with pytest.raises(ValueError, match="2 payments"):
        bound.encode([0.25, 0.25, 0.0, 0.0])
    with pytest.raises(ValueError, match="every"):
        ib.DenseRewards(every=0)


@pytest.mark.parametrize("T,k", [(5, 2), (4, 4), (7, 3), (3, 9)])
def test_block_sizes_cover_the_episode(T, k):
    sizes = block_sizes(T, k)
    assert sum(sizes) == T and all(1 <= s <= k for s in sizes) and sizes[:-1] == [k] * (len(sizes) - 1)


@settings(max_examples=40, deadline=None)
# scipy's binomial pmf overflows for p in the subnormal range (p ≈ 1e-308): the oracle, not the
# library, limits the range to [1e-12, 1 − 1e-12] plus the exact endpoints
@given(st.integers(0, 60), st.one_of(st.sampled_from([0.0, 1.0]), st.floats(1e-12, 1 - 1e-12)))
def test_binomial_entropy_is_scipys(n, p):
    expected = 0.0 if n == 0 or p in (0.0, 1.0) else _scipy_binomial_bits(n, p)
    assert binomial_entropy(n, p) == pytest.approx(expected, abs=1e-9)


# ============================================================================ closed forms vs enumeration
@pytest.mark.parametrize("V,T", [(2, 3), (2, 4), (3, 2), (3, 3)])
def test_closed_forms_are_the_enumeration(V, T):
    for kind, kw in [("sparse", {}), ("mc-td", {}), ("every-k", {"k": 2}), ("dense", {}),
                     ("noisy-dense", {"eps": 0.2})]:
        assert density_bits(kind, T, V, **kw)[1] == pytest.approx(reward_bits(kind, T, V, **kw), abs=1e-9)


@pytest.mark.parametrize("V,T,eps", [(2, 3, 0.0), (2, 3, 0.1), (2, 4, 0.5), (3, 2, 0.25)])
def test_noisy_dense_against_the_channel_formula(V, T, eps):
    p = 1 / V
    flip = p * (1 - eps) + (1 - p) * eps
    b = ib.signal_bandwidth(match_count(TokenMDP(V, T)), noisy_dense_signal(TokenMDP(V, T), eps))
    assert b.I_S_xi_given_tau == pytest.approx(T * (_hb(flip) - _hb(eps)), abs=1e-9)


def test_block_closed_form_against_scipy_at_the_article_horizon():
    # 100 blocks of 10 fair coins: 100 H(Binomial(10, 1/2))
    assert reward_bits("every-k", 1000, k=10) == pytest.approx(100 * _scipy_binomial_bits(10, 0.5), rel=1e-9)
    assert reward_bits("noisy-dense", 1000, eps=0.1) == pytest.approx(1000 * (1 - _hb(0.1)), rel=1e-9)


def test_density_table_orders_the_rewards():
    t = density_table()
    for j in range(len(t["dense"]["T"])):
        assert t["sparse"]["new"][j] <= t["every-4"]["new"][j] + 1e-12 <= t["dense"]["new"][j] + 2e-12
        assert t["mc-td"]["new"][j] == pytest.approx(t["sparse"]["new"][j], abs=1e-12)
        assert t["mc-td"]["H"][j] >= t["mc-td"]["new"][j]


def test_invalid_arguments_say_what_to_do():
    with pytest.raises(ValueError, match="unknown reward"):
        reward_bits("hourly", 3)
    with pytest.raises(ValueError, match="probability"):
        reward_bits("noisy-dense", 3, eps=1.5)
    with pytest.raises(ValueError, match="too long"):
        noisy_dense_signal(TokenMDP(2, 11), 0.1)


# ============================================================================ the LoRA rank rule
@pytest.mark.parametrize("N,c,K,beta", [(1000, 2, 1, 32), (10**6, 2, 100, 32), (10**5, 0.1, 7, 2),
                                         (3, 0, 1, 32)])
def test_rank_rule_is_the_smallest_rank_by_search(N, c, K, beta):
    r = 1
    while r * 2 * 4096 * beta < K * c * N:
        r += 1
    assert rank_rule(N, c, K=K, bits_per_parameter=beta)["rank"] == r


def test_rank_rule_on_every_llama_projection():
    d, ff, layers = 4096, 11008, 32
    per_layer = 4 * (d + d) + 3 * (d + ff)            # q, k, v, o square; gate, up, down
    out = rank_rule(10**6, 2, scope="llama2-7b")
    assert out["params_per_rank"] == layers * per_layer
    assert out["margin"](8) == pytest.approx(8 * layers * per_layer * 32 / 2e6)
    with pytest.raises(ValueError, match="scope"):
        rank_rule(10, 1, scope="gpt")


# ============================================================================ multi-task
def test_all_tasks_scored_is_k_times_one_task_brute_force():
    """Two independent match-count tasks on T = 2, both scored every episode: the product family
    with the pair of returns as its signal, through the library's exact accumulation."""
    mdp = TokenMDP(2, 2)
    one = match_count(mdp, levels=3)
    R = one.sparse_table().T                                         # (τ, ξ)
    pairs = list(product(range(one.n_xi), repeat=2))
    sparse = np.array([[R[t, a] + R[t, b] for a, b in pairs] for t in range(R.shape[0])])
    codes = np.array([[round(3 * R[t, a]) * 10 + round(3 * R[t, b]) for a, b in pairs]
                      for t in range(R.shape[0])])
    fam = reward_table(mdp, sparse)
    both = ib.information_accumulation(fam, "uniform", 4, signal=ib.TableSignal(codes), method="exact")
    single = ib.information_accumulation(one, "uniform", 4, method="exact")
    assert np.allclose(both.total_xi, 2 * single.total_xi, atol=1e-9)


def test_one_task_per_episode_sums_the_tasks():
    single = multitask_accumulation(1, 9, "one")["total"]
    out = multitask_accumulation(4, 9, "one")
    counts = [3, 2, 2, 2]                                            # episodes 0..8 in turn
    assert out["total"][9] == pytest.approx(sum(single[n] for n in counts), abs=1e-12)
    c1 = single[1]
    assert np.all(out["total"] <= np.minimum(out["N"] * c1, out["ceiling"]) + 1e-9)
    assert out["c1"] == pytest.approx(_scipy_binomial_bits(3, 0.5), abs=1e-9)    # 4 levels, T = 3
    with pytest.raises(ValueError, match="protocol"):
        multitask_accumulation(2, 3, "some")


# ============================================================================ the learning runs
def test_value_gap_runs_are_seeded_and_ordered():
    a = value_gap_runs((2,), 2)
    b = value_gap_runs.__wrapped__((2,), 2)
    for label, d in a.items():
        assert np.array_equal(d["median"], b[label]["median"])
        assert d["q25"][0] <= d["median"][0] <= d["q75"][0]
        assert d["episodes"].shape == (1, 2)


# ============================================================================ claim verdicts
def test_claim_sparse_dense():
    # sparse return in two levels at every T ≤ 1000 carries at most one bit; dense T bits (V = 2)
    sparse_1000 = _h([binom.cdf(499, 1000, 0.5), 1 - binom.cdf(499, 1000, 0.5)])
    assert sparse_1000 <= 1
    assert evaluate("imp-sparse-dense").verdict == "holds"


def test_claim_hybrid_t_over_k():
    block = 100 * _scipy_binomial_bits(10, 0.5)
    noisy = 1000 * (1 - _hb(0.1))
    assert block >= 50 and noisy >= 50          # at least half of T/k = 100: "holds"
    # value targets on the sparse reward: the return's ≈ 1 bit, under half of 100: "bound"
    assert evaluate("imp-hybrid-t-over-k").verdict == "ill-defined"


def test_claim_ac_t_times():
    T = 6
    n = 2**T
    ideal_ratio = (n - 1) * (n + 2) / (2 * n) / 1.0            # sparse ÷ dense (one episode)
    assert ideal_ratio >= T / 2
    r = evaluate("imp-ac-t-times")
    measured = [v for k, v in r.numbers.items() if k.startswith("REINFORCE ÷")]
    expected = "holds" if min(measured) >= T / 2 else "ill-defined"
    assert r.verdict == expected


def test_claim_100x_fewer_samples():
    r = evaluate("imp-100x-fewer-samples")
    ratios = list(r.numbers.values())
    expected = "fails" if max(ratios) <= 1 + 1e-6 else ("holds" if min(ratios) >= 50 else "bound")
    assert r.verdict == expected


def test_claim_1000x_bandwidth():
    p_upper = 1 - binom.cdf(499, 1000, 0.5)
    sparse = _h([p_upper, 1 - p_upper])
    potential = (999 + sparse) / sparse
    assert potential >= 500                                     # the potential reading holds
    assert evaluate("imp-1000x-bandwidth").verdict == "ill-defined"   # new bits: 1×, fails


def test_claim_lora_rank_rule():
    assert 64 * 1 * 4096 >= 2 * 1000 and 8 * 2 * 4096 * 32 / 2000 == pytest.approx(1048.576)
    r = evaluate("imp-lora-rank-rule")
    assert r.verdict == "holds" and r.numbers["margin at r = 8"] == pytest.approx(1048.576)


def test_claim_multitask_n_times_k():
    c1 = _scipy_binomial_bits(3, 0.5)           # one task's first episode, 4 levels on T = 3
    r = evaluate("imp-multitask-n-times-k")
    assert r.numbers["first episode, one task [bits]"] == pytest.approx(c1, abs=1e-9)
    assert r.numbers["first episode, K = 8, scored on all"] == pytest.approx(8 * c1, abs=1e-9)
    assert r.verdict == "ill-defined"


def test_from_scratch_exercise_solution_is_the_closed_forms():
    from infobandwidth.book.exercises import get

    dense, blocks, noisy = get("implications/density-from-scratch").solution()
    assert (dense, blocks) == pytest.approx((4.0, 2 * 1.5))          # two blocks of Binomial(2, 1/2)
    assert noisy == pytest.approx(4 * (1 - _hb(0.1)), abs=1e-9)
