"""Tests of the bandwidth quantities (§2.4–2.5): hand-derived cases, a plain-loop oracle on
random instances (hypothesis), the inequalities of the article, scale guards and Monte Carlo."""
from __future__ import annotations

import math
from collections import defaultdict

import infobandwidth.model.rewards as rw
import infobandwidth.signals.bandwidth as bw
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from infobandwidth.model.mdp import TokenMDP, deterministic_policy, softmax_policy, uniform_policy
from infobandwidth.model.rewards import exact_match, match_count, reward_table, token_utility
from infobandwidth.signals.bandwidth import signal_bandwidth, signal_joint
from infobandwidth.signals.montecarlo import signal_bandwidth_mc
from infobandwidth.signals.observer import BayesLearner, expected_posterior_entropy
from infobandwidth.signals.signals import CallableSignal, DenseRewards, NoisySignal, QuantisedReturn


def h(p: float) -> float:
    """Binary entropy in bits."""
    return 0.0 if p in (0.0, 1.0) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


# ----------------------------------------------------------------------------- the oracle
def oracle(fam, policy, prior, kind, eps=0.0, B=2):
    """Every bandwidth number from the joint p(ξ, π*, τ, S) built entry by entry with loops."""
    mdp = fam.mdp
    R, D = fam.sparse_table(), fam.dense_table()
    p_tau = policy.trajectory_probs()
    levels = list(fam.return_levels())
    lo, hi = min(levels), max(levels)
    pi = []
    for x in range(fam.n_xi):  # lexicographically smallest optimal valid trajectory
        best = max(R[x, t] for t in range(mdp.n_trajectories) if mdp.valid[t])
        pi.append(min(t for t in range(mdp.n_trajectories) if mdp.valid[t] and R[x, t] == best))
    joint = defaultdict(float)
    for x in range(fam.n_xi):
        for t in range(mdp.n_trajectories):
            pr = prior[x] * p_tau[t]
            if pr == 0:
                continue
            g = R[x, t]
            if kind == "return":
                outs = [(g, 1.0)]
            elif kind == "quantised":
                b = 0 if hi == lo else min(B - 1, math.floor((g - lo) / (hi - lo) * B + 1e-9))
                outs = [(b, 1.0)]
            elif kind == "dense":
                outs = [(tuple(np.round(D[x, t], 9)), 1.0)]
            else:  # noisy: keep G w.p. 1-eps, else one of the other values uniformly
                K = len(levels)
                i = levels.index(g)
                outs = [(j, (1 - eps) if j == i else eps / (K - 1)) for j in range(K)] if K > 1 else [(0, 1.0)]
            for s, q in outs:
                joint[(x, pi[x], t, s)] += pr * q

    def H(*axes):
        m = defaultdict(float)
        for k, v in joint.items():
            m[tuple(k[a] for a in axes)] += v
        return -sum(v * math.log2(v) for v in m.values() if v > 0)

    XI, PI, TAU, S = 0, 1, 2, 3
    out = {
        "H_S": H(S),
        "H_S_given_pi": H(PI, S) - H(PI),
        "H_S_given_xi": H(XI, S) - H(XI),
        "H_S_given_tau": H(TAU, S) - H(TAU),
        "H_S_given_xi_tau": H(XI, TAU, S) - H(XI, TAU),
        "H_S_given_pi_tau": H(PI, TAU, S) - H(PI, TAU),
        "H_xi": H(XI),
        "H_pi": H(PI),
    }
    out["I_S_pi"] = out["H_S"] - out["H_S_given_pi"]
    out["I_S_xi"] = out["H_S"] - out["H_S_given_xi"]
    out["I_S_xi_given_tau"] = out["H_S_given_tau"] - out["H_S_given_xi_tau"]
    out["I_S_pi_given_tau"] = out["H_S_given_tau"] - out["H_S_given_pi_tau"]
    out["I_S_tau"] = out["H_S"] - out["H_S_given_tau"]
    return out


def signal_of(kind, eps=0.0, B=2):
    return {"return": "return", "quantised": QuantisedReturn(B), "dense": DenseRewards(),
            "noisy": NoisySignal(eps=eps)}[kind]


def assert_matches(b, ref, tol=1e-9):
    for k, v in ref.items():
        assert getattr(b, k) == pytest.approx(v, abs=tol), (k, getattr(b, k), v)


def check_inequalities(b, tol=1e-9):
    # §2.4–2.5: I(S;π*) <= I(S;ξ) <= H(S) <= log2 |S|, gap identity, conditional DPI
    assert -tol <= b.I_S_pi <= b.I_S_xi + tol
    assert b.I_S_xi <= b.H_S + tol
    assert b.H_S <= math.log2(b.n_values) + tol
    assert b.H_S - b.I_S_pi == pytest.approx(b.H_S_given_pi, abs=tol)
    assert -tol <= b.I_S_pi_given_tau <= b.I_S_xi_given_tau + tol
    assert b.I_S_xi_given_tau <= b.H_S_given_tau + tol
    assert b.H_pi <= b.H_xi + tol
    assert b.I_S_pi <= b.H_pi + tol and b.I_S_pi_given_tau <= b.H_pi + tol


# ----------------------------------------------------------------------------- by hand
def test_hand_exact_match_one_bit_xor():
    # V=2, T=1, ξ ∈ {a, b} uniform, uniform policy: G = 1 iff τ = ξ, i.e. G = NOT(τ XOR ξ).
    # G is a fair coin whatever ξ is → H(G) = 1, I(G; ξ) = 0 = I(G; π*), gap = 1.
    # Given τ, G reveals ξ → I(G; ξ | τ) = H(G | τ) = 1 = I(G; π* | τ) (π* = ξ here).
    b = signal_bandwidth(exact_match(TokenMDP(2, 1)))
    assert (b.H_S, b.I_S_xi, b.I_S_pi, b.gap) == pytest.approx((1, 0, 0, 1))
    assert (b.I_S_xi_given_tau, b.I_S_pi_given_tau, b.I_S_tau) == pytest.approx((1, 1, 0))
    assert b.n_values == 2 and b.n_pairs == 4


def test_hand_exact_match_four_targets_uniform_policy():
    # V=2, T=2, ξ uniform over 4 strings, uniform policy: P(G=1) = Σ_ξ,τ [τ=ξ]/16 = 1/4,
    # H(G) = h(1/4) ≈ 0.811. Given any ξ, G=1 w.p. 1/4 (τ uniform) → H(G|ξ) = h(1/4): I(G;ξ) = 0,
    # so I(G;π*) = 0 too. Given τ, G=1 iff ξ = τ, prob 1/4 → I(G;ξ|τ) = H(G|τ) = h(1/4).
    b = signal_bandwidth(exact_match(TokenMDP(2, 2)))
    assert b.H_S == pytest.approx(h(0.25))
    assert b.I_S_xi == pytest.approx(0) and b.I_S_pi == pytest.approx(0)
    assert b.gap == pytest.approx(h(0.25))
    assert b.I_S_xi_given_tau == pytest.approx(h(0.25)) == b.I_S_pi_given_tau
    assert (b.H_xi, b.H_pi) == pytest.approx((2, 2))


def test_hand_exact_match_deterministic_policy():
    # Same family, policy always plays "aa": G = [ξ = aa], P(G=1) = 1/4.
    # G is a function of ξ → H(G|ξ) = 0: I(G;ξ) = H(G) = h(1/4); π* = ξ so I(G;π*) = h(1/4),
    # gap 0. τ is constant so conditioning on it changes nothing: I(G;ξ|τ) = h(1/4).
    mdp = TokenMDP(2, 2)
    pol = deterministic_policy(mdp, [0, 0, 0])
    b = signal_bandwidth(exact_match(mdp), "return", pol)
    assert (b.H_S, b.I_S_xi, b.I_S_pi, b.gap) == pytest.approx((h(0.25), h(0.25), h(0.25), 0))
    assert b.I_S_xi_given_tau == pytest.approx(h(0.25))
    assert b.n_pairs == 4  # only the trajectory with positive probability is enumerated


def test_hand_ties_merge_xi_into_pi_star():
    # V=2, T=1, ξ = (u[a], u[b]) ∈ {0,1}² uniform, G = u[τ], uniform policy.
    # π*: (0,0)→a (tie), (0,1)→b, (1,0)→a, (1,1)→a (tie); p(π*=a) = 3/4.
    # H(G) = 1 (G is a fair coin). H(G|ξ): (0,0),(1,1) → 0; (0,1),(1,0) → 1 bit: = 1/2,
    # so I(G;ξ) = 1/2. Given π*=a, P(G=1) = (0 + 1/2 + 1)/3 = 1/2; given π*=b, 1/2: I(G;π*) = 0.
    # Given τ, G = u[τ] is a fair coin (H(G|τ) = 1) fixed by ξ: I(G;ξ|τ) = 1.
    # Given τ=a and π*=a, u[a] ∈ {0,1,1} → h(1/3); given π*=b, u[a] = 0 → 0. Same for τ=b:
    # H(G|π*,τ) = 3/4 h(1/3), so I(G;π*|τ) = 1 - 3/4 h(1/3) ≈ 0.311.
    b = signal_bandwidth(token_utility(TokenMDP(2, 1)))
    assert (b.H_S, b.I_S_xi, b.I_S_pi) == pytest.approx((1, 0.5, 0))
    assert b.I_S_xi_given_tau == pytest.approx(1)
    assert b.I_S_pi_given_tau == pytest.approx(1 - 0.75 * h(1 / 3))
    assert (b.H_xi, b.H_pi) == pytest.approx((2, h(0.25)))


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.25, 0.5])
def test_hand_noisy_return_binary_symmetric_channel(eps):
    # V=2, T=1 exact match (the XOR case) and S = G flipped w.p. eps. S is still a fair coin:
    # H(S) = 1, I(S;ξ) = 0. Given τ, S is ξ through a BSC(eps): I(S;ξ|τ) = 1 - h(eps).
    b = signal_bandwidth(exact_match(TokenMDP(2, 1)), NoisySignal(eps=eps))
    assert (b.H_S, b.I_S_xi) == pytest.approx((1, 0))
    assert b.I_S_xi_given_tau == pytest.approx(1 - h(eps))
    assert b.H_S_given_xi_tau == pytest.approx(h(eps))


def test_hand_dense_rewards_reveal_the_matched_prefix():
    # V=2, T=2 exact match, uniform prior and policy. The dense rewards tell the length L of the
    # matched prefix: given τ, L = 2 (ξ = τ) w.p. 1/4, L = 1 (first token right, second wrong)
    # w.p. 1/4, L = 0 w.p. 1/2: I(S;ξ|τ) = H(1/4, 1/4, 1/2) = 1.5 bits > h(1/4) for G.
    fam = exact_match(TokenMDP(2, 2))
    dense, sparse = signal_bandwidth(fam, "dense"), signal_bandwidth(fam, "return")
    assert dense.I_S_xi_given_tau == pytest.approx(1.5)
    assert sparse.I_S_xi_given_tau == pytest.approx(h(0.25))
    assert dense.I_S_xi == pytest.approx(0)  # still nothing without τ


def test_xor_signal_independent_of_pi_star_yet_informative_given_tau():
    # S = x_1 XOR ξ for a hidden bit ξ (reward table: ξ=0 rewards b, ξ=1 rewards a), uniform
    # policy. S alone is a fair coin for both ξ: I(S;π*) = 0. Given τ it reveals ξ: 1 bit.
    mdp = TokenMDP(2, 1)
    fam = reward_table(mdp, [[0, 1], [1, 0]])
    sig = CallableSignal(lambda tokens, xi: tokens[0] ^ xi)
    b = signal_bandwidth(fam, sig)
    assert b.I_S_pi == pytest.approx(0) and b.I_S_xi == pytest.approx(0)
    assert b.I_S_pi_given_tau == pytest.approx(1)


def test_degenerate_cases_carry_no_information():
    # one token: a single trajectory and a single target; one bin: a constant signal;
    # a point-mass belief: nothing left to learn, whatever τ does to the signal
    b = signal_bandwidth(exact_match(TokenMDP(1, 3)))
    assert all(v == 0.0 for k, v in b.as_dict().items() if k not in ("signal", "n_values", "n_pairs"))
    fam = match_count(TokenMDP(3, 2), levels=2)
    b = signal_bandwidth(fam, QuantisedReturn(1))
    assert b.H_S == 0.0 and b.I_S_xi_given_tau == 0.0 and b.n_values == 1
    w = np.zeros(fam.n_xi)
    w[4] = 1
    b = signal_bandwidth(fam, "return", prior=w)
    assert b.H_S > 0 and b.I_S_xi == 0.0 and b.I_S_xi_given_tau == 0.0 and b.H_xi == 0.0


def test_bars_and_dict():
    b = signal_bandwidth(exact_match(TokenMDP(2, 2)))
    bars = b.bars()
    assert list(bars) == ["log2 |S|", "H(S)", "I(S;ξ)", "I(S;π*)", "H(S|π*)", "I(S;ξ|τ)", "I(S;π*|τ)"]
    assert bars["log2 |S|"] == 1.0
    d = b.as_dict()
    assert d["H_S"] == b.potential and d["I_S_pi"] == b.effective and d["H_S_given_pi"] == b.gap
    assert all(type(v) in (float, int, str) for v in d.values())


# ----------------------------------------------------------------------------- random instances
@st.composite
def instances(draw):
    V = draw(st.integers(1, 3))
    T = draw(st.integers(1, 2 if V == 3 else 3))
    end = draw(st.sampled_from([None] + list(range(V)))) if V > 1 and T > 1 else None
    mdp = TokenMDP(V, T, end_token=end)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    kind = draw(st.sampled_from(["table", "exact_match", "match_count", "token_utility"]))
    if kind == "table":
        n_xi = draw(st.integers(1, 5))
        fam = reward_table(mdp, rng.integers(0, 3, size=(mdp.n_trajectories, n_xi)) / 2)
    elif kind == "exact_match":
        fam = exact_match(mdp)
    elif kind == "match_count":
        fam = match_count(mdp, levels=draw(st.integers(2, T + 1)))
    else:
        fam = token_utility(mdp, (0.0, 1.0), shared=True)
    w = rng.dirichlet(np.ones(fam.n_xi))
    if draw(st.booleans()):  # some ξ ruled out, as in a posterior
        w[rng.random(fam.n_xi) < 0.3] = 0
        if w.sum() == 0:
            w[0] = 1
        w /= w.sum()
    logits = rng.normal(size=(mdp.n_prefixes, V)) * 2
    if draw(st.booleans()):  # forbid some tokens
        mask = rng.random(logits.shape) < 0.3
        mask[np.arange(len(mask)), rng.integers(0, V, len(mask))] = False
        logits[mask] = -np.inf
    pol = softmax_policy(mdp, logits)
    sig = draw(st.sampled_from(["return", "quantised", "dense", "noisy"]))
    eps = draw(st.floats(0.0, 0.6))
    B = draw(st.integers(1, 4))
    return fam, pol, w, sig, eps, B


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instances_match_the_oracle_and_obey_the_inequalities(inst):
    fam, pol, w, kind, eps, B = inst
    b = signal_bandwidth(fam, signal_of(kind, eps, B), pol, prior=w)
    assert_matches(b, oracle(fam, pol, w, kind, eps, B))
    check_inequalities(b)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_blocked_computation_equals_one_block(inst):
    # tiny blocks force classes split across blocks, the carried tables and the bin limits
    fam, pol, w, kind, eps, B = inst
    sig = signal_of(kind, eps, B)
    ref = signal_bandwidth(fam, sig, pol, prior=w)
    old = bw._CHUNK, bw._BIN_LIMIT
    try:
        bw._CHUNK = max(1, fam.mdp.n_trajectories // 2 + 1)
        bw._BIN_LIMIT = max(fam.mdp.n_trajectories * ref.n_values * 4, 64)
        small = signal_bandwidth(fam, sig, pol, prior=w)
    finally:
        bw._CHUNK, bw._BIN_LIMIT = old
    for k, v in ref.as_dict().items():
        assert getattr(small, k) == pytest.approx(v, abs=1e-9), k


@pytest.mark.parametrize("prior", ["uniform", "random"])
def test_blocks_on_a_larger_case_with_split_classes(prior):
    mdp = TokenMDP(3, 3)
    fam = match_count(mdp, levels=2)  # many ξ share an optimum
    w = None if prior == "uniform" else np.random.default_rng(0).dirichlet(np.ones(fam.n_xi))
    pol = softmax_policy(mdp, np.random.default_rng(1).normal(size=(mdp.n_prefixes, 3)))
    ref = oracle(fam, pol, fam.prior if w is None else w, "return")
    old = bw._CHUNK, bw._BIN_LIMIT
    try:
        bw._CHUNK, bw._BIN_LIMIT = 40, 27 * 2 * 3
        assert_matches(signal_bandwidth(fam, "return", pol, prior=w), ref)
    finally:
        bw._CHUNK, bw._BIN_LIMIT = old


def test_signal_joint_agrees_with_bandwidth():
    mdp = TokenMDP(2, 2)
    fam = match_count(mdp, levels=2)
    pol = softmax_policy(mdp, np.random.default_rng(3).normal(size=(3, 2)))
    for sig in ("return", NoisySignal(eps=0.2)):
        J = signal_joint(fam, sig, pol)
        b = signal_bandwidth(fam, sig, pol)
        assert J.H("S") == pytest.approx(b.H_S)
        assert J.I("S", "pi_star") == pytest.approx(b.I_S_pi, abs=1e-12)
        assert J.I("S", "xi", given="tau") == pytest.approx(b.I_S_xi_given_tau)
        assert J.I("S", "pi_star", given="tau") == pytest.approx(b.I_S_pi_given_tau)


# ----------------------------------------------------------------------------- posterior as prior
def test_posterior_as_prior_measures_the_next_episode():
    # The expected entropy drop of one more episode from a posterior is I(S; ξ | τ) under it.
    mdp = TokenMDP(2, 3)
    fam = match_count(mdp, levels=3)
    learner = BayesLearner(fam)
    # Under the one B-level rule (count_levels) bba is aab's complement, hence uninformative here;
    # abb with the top level leaves two candidates (one bit), so the next episode can still tell.
    learner.update("aab", 0.5).update("abb", 1.0)
    assert learner.entropy_xi == pytest.approx(1.0)
    post = learner.posterior
    b = signal_bandwidth(fam, "return", prior=post)
    curve = expected_posterior_entropy(fam, "return", n_episodes=1, prior=post, method="exact")
    assert curve.xi[0] - curve.xi[1] == pytest.approx(b.I_S_xi_given_tau)
    assert curve.pi_star[0] - curve.pi_star[1] == pytest.approx(b.I_S_pi_given_tau)
    assert b.H_xi == pytest.approx(learner.entropy_xi)
    assert b.n_pairs == int((post > 0).sum()) * mdp.n_trajectories


# ----------------------------------------------------------------------------- scale
def test_refuses_above_the_pair_budget_and_points_to_monte_carlo(monkeypatch):
    monkeypatch.setattr(bw, "MAX_PAIRS", 100)
    with pytest.raises(ValueError, match=r"has 4096 entries, above the limit 100; use the Monte Carlo "
                                         r"estimator infobandwidth.signals.montecarlo.signal_bandwidth_mc"):
        signal_bandwidth(exact_match(TokenMDP(2, 6)))
    # a posterior with small support fits
    w = np.zeros(64)
    w[:1] = 1
    assert signal_bandwidth(exact_match(TokenMDP(2, 6)), prior=w).n_pairs == 64


def test_too_many_signal_values_refused(monkeypatch):
    monkeypatch.setattr(bw, "_BIN_LIMIT", 50)
    with pytest.raises(ValueError, match="use a coarser signal"):
        signal_bandwidth(token_utility(TokenMDP(2, 3), (0.0, 1.0, 2.0), shared=True), "dense")


def test_pair_budget_constant_is_documented():
    assert rw.MAX_PAIRS == 50_000_000
    assert "MAX_PAIRS" in bw.__doc__


# ----------------------------------------------------------------------------- Monte Carlo
@pytest.mark.parametrize("family,signal", [
    ("match_count", "return"),
    ("match_count", "noisy"),
    ("token_utility", "dense"),
    ("exact_match", "quantised"),
])
def test_monte_carlo_within_four_standard_errors(family, signal):
    mdp = TokenMDP(3, 2)
    fam = {"match_count": match_count(mdp, levels=2), "exact_match": exact_match(mdp),
           "token_utility": token_utility(mdp, (0.0, 1.0), shared=True)}[family]
    pol = softmax_policy(mdp, np.random.default_rng(0).normal(size=(mdp.n_prefixes, 3)))
    sig = signal_of(signal, 0.2, 2)
    exact = signal_bandwidth(fam, sig, pol)
    est = signal_bandwidth_mc(fam, sig, pol, n=3000, seed=11)
    for k in ("H_S", "I_S_pi", "H_S_given_pi", "I_S_xi", "H_S_given_tau", "I_S_xi_given_tau",
              "I_S_pi_given_tau"):
        e = getattr(est, k)
        assert abs(e.value - getattr(exact, k)) <= 4 * e.stderr + 1e-9, (k, e, getattr(exact, k))
        assert e.n == 3000


def test_monte_carlo_refuses_oversized_accumulators(monkeypatch):
    import infobandwidth.signals.montecarlo as mc

    monkeypatch.setattr(mc, "_MAX_ACCUMULATOR", 100)
    with pytest.raises(ValueError, match="use fewer groups, a coarser signal"):
        signal_bandwidth_mc(exact_match(TokenMDP(2, 3)), n=100, seed=0)


def test_monte_carlo_bad_input():
    fam = exact_match(TokenMDP(2, 2))
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        signal_bandwidth_mc(fam, n=100, seed=0.5)
    with pytest.raises(ValueError, match="groups must be an integer >= 2"):
        signal_bandwidth_mc(fam, n=100, seed=0, groups=1)
    with pytest.raises(ValueError, match="n must be an integer >= 20"):
        signal_bandwidth_mc(fam, n=10, seed=0)


# ----------------------------------------------------------------------------- bad input
def test_bandwidth_bad_input():
    fam = exact_match(TokenMDP(2, 2))
    with pytest.raises(ValueError, match="the policy is for TokenMDP\\(V=2, T=3\\) but the family is on"):
        signal_bandwidth(fam, "return", uniform_policy(TokenMDP(2, 3)))
    with pytest.raises(ValueError, match="prior has 3 entries but the family has"):
        signal_bandwidth(fam, prior=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="prior is not normalised"):
        signal_bandwidth(fam, prior=[0.2, 0.3, 0.4, 0.0])
    with pytest.raises(ValueError, match="unknown signal 'reward'"):
        signal_bandwidth(fam, "reward")
    with pytest.raises(ValueError, match="family must be a RewardFamily"):
        signal_bandwidth("exact_match")
    with pytest.raises(ValueError, match="policy must be a Policy"):
        signal_bandwidth(fam, "return", "uniform")
    with pytest.raises(ValueError, match="above the limit"):
        signal_joint(exact_match(TokenMDP(2, 10)))


# --------------------------------------------------------------------------------------------
# The §2.5 claim checks
# --------------------------------------------------------------------------------------------

def test_claim_instances_and_the_sandwich():
    """On every instance: I(S;π*) ≤ I(S;π*|τ) ≤ I(S;ξ|τ) ≤ H(S|τ) ≤ H(S) (τ is independent of ξ)."""
    from infobandwidth.book.claims.measuring_information import claim_instances
    inst = claim_instances()
    assert len(inst) == 25
    for name, b in inst:
        chain = [b.I_S_pi, b.I_S_pi_given_tau, b.I_S_xi_given_tau, b.H_S_given_tau, b.H_S]
        assert all(x <= y + 1e-9 for x, y in zip(chain, chain[1:])), (name, chain)
        assert b.I_S_xi <= b.I_S_xi_given_tau + 1e-9


def test_bandwidth_claims_follow_from_their_numbers():
    from infobandwidth.book.claims.registry import evaluate

    r = evaluate("effective-le-potential")
    assert r.verdict == "holds"
    assert r.numbers["min H(S) − I(S;π*) [bits]"] >= 0
    assert r.numbers["min I(S;π*)/H(S)"] == 0.0          # exact match: I(S;π*) = 0

    r = evaluate("effective-bandwidth-measures-learning")
    h = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    assert r.numbers["I(S;π*) [bits]"] == 0.0
    assert r.numbers["I(S;π*|τ) [bits]"] == pytest.approx(h)
    assert r.numbers["mean drop of H(π*) [bits]"] == pytest.approx(h)
    assert r.numbers["min I(S;π*|τ)−I(S;π*)"] >= 0
    assert r.verdict == "bound"                          # a lower bound, 0 where the gain is h(1/4)

    r = evaluate("gap-is-noise")
    assert r.numbers["H(S|π*) [bits]"] == pytest.approx(h)
    assert r.numbers["noise H(S|ξ,τ) [bits]"] == 0.0
    assert r.numbers["used by learner [bits]"] == pytest.approx(h)
    assert r.verdict == "fails"
