"""Tests of §3.1 (``infobandwidth.signals.returns``, its figures, exercise and claim checks).

Oracles: hand-derived values, a brute-force enumeration of (ξ, τ) written here with plain loops,
sympy closed forms, the BayesLearner replayed episode by episode, and the learning curves of
``ib.reinforce``. No timing assertions.
"""
from __future__ import annotations

import math
from collections import defaultdict

import infobandwidth as ib
import numpy as np
import pytest
import sympy as sp
from infobandwidth.book.claims.registry import evaluate
from infobandwidth.book.exercises import check
from infobandwidth.book.experiments.policy_gradient import (
    CHAIN_FAMILIES,
    chain_grid,
    chapter_runs,
    run_information,
    solve_table,
    sym_one_token_utility,
)
from infobandwidth.information.symbolic import SymJoint
from infobandwidth.model.mdp import TokenMDP, behaviour_policy, table_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import make_family, reward_table, token_utility
from infobandwidth.signals.observer import BayesLearner, episode_information
from infobandwidth.signals.returns import information_chain, markov_numbers, return_bins
from matplotlib.figure import Figure


# ------------------------------------------------------------------------------------------------
# a brute-force oracle: loops over (ξ, τ), entropies of dictionaries
# ------------------------------------------------------------------------------------------------
def _H(counter: dict) -> float:
    return -sum(p * math.log2(p) for p in counter.values() if p > 0)


def _brute_chain(family, B, policy):
    """I(G;π*), I(G;ξ), H(G), I(G;ξ|τ), I(G;π*|τ) by plain loops over every (ξ, τ)."""
    levels = family.return_levels()
    lo, hi = levels[0], levels[-1]
    cls = optimal_policies(family).classes
    p_tau = policy.trajectory_probs()
    joint = defaultdict(float)          # (xi, pi, tau, g) -> p
    for xi in range(family.n_xi):
        r = family.sparse_rewards(xi)
        for tau in range(family.mdp.n_trajectories):
            v = r[tau]
            g = 0 if hi == lo else min(B - 1, int(math.floor((v - lo) / (hi - lo) * B + 1e-9)))
            joint[(xi, cls[xi], tau, g)] += family.prior[xi] * p_tau[tau]

    def H(*axes):
        m = defaultdict(float)
        for k, p in joint.items():
            m[tuple(k[a] for a in axes)] += p
        return _H(m)

    XI, PI, TAU, G = 0, 1, 2, 3
    return {
        "H_G": H(G),
        "I_G_xi": H(G) + H(XI) - H(G, XI),
        "I_G_pi": H(G) + H(PI) - H(G, PI),
        "I_G_xi_given_tau": H(G, TAU) + H(XI, TAU) - H(G, XI, TAU) - H(TAU),
        "I_G_pi_given_tau": H(G, TAU) + H(PI, TAU) - H(G, PI, TAU) - H(TAU),
        "H_G_given_tau": H(G, TAU) - H(TAU),
    }


CASES = [
    ("exact_match", 2, 2, 2, None),
    ("exact_match", 3, 2, 4, 0.8),
    ("match_count", 2, 3, 2, 0.8),
    ("match_count", 2, 3, 3, None),
    ("token_utility", 2, 2, 4, 0.8),
    ("token_utility", 2, 2, 2, 0.3),
]


@pytest.mark.parametrize("name,V,T,B,p_a", CASES)
def test_chain_matches_brute_force(name, V, T, B, p_a):
    fam = make_family(name, TokenMDP(V, T))
    pol = behaviour_policy(fam.mdp, p_a)
    c = information_chain(fam, B, pol)
    ref = _brute_chain(fam, B, pol)
    for key, value in ref.items():
        assert getattr(c, key) == pytest.approx(value, abs=1e-10), key
    assert c.holds()
    assert c.log2_B == pytest.approx(math.log2(B))


def test_hand_derived_values():
    # exact match, 2 strings, uniform policy: G is a fair coin independent of ξ; given τ it is ξ
    c = information_chain(make_family("exact_match", TokenMDP(2, 1)), 2)
    assert (c.H_G, c.I_G_xi, c.I_G_pi, c.I_G_xi_given_tau) == (1.0, 0.0, 0.0, 1.0)
    # match count T=2 in 2 bins: G in {0, 1/2, 1} w.p. 1/4, 1/2, 1/4 -> bins {0}, {1/2, 1}
    c = information_chain(make_family("match_count", TokenMDP(2, 2)), 2)
    assert c.H_G == pytest.approx(ib.binary_entropy(0.25))
    # a deterministic policy: H(G|ξ) = 0, so I(G;ξ) = H(G)
    mdp = TokenMDP(2, 2)
    c = information_chain(make_family("token_utility", TokenMDP(2, 2)), 4, behaviour_policy(mdp, 1.0))
    assert c.I_G_xi == pytest.approx(c.H_G)
    # a single bin carries nothing
    c = information_chain(make_family("match_count", TokenMDP(2, 3)), 1)
    assert c.H_G == 0 and c.n_used == 1


def test_one_token_utility_closed_forms():
    h = ib.binary_entropy
    for theta, q in [(0.3, 0.9), (0.5, 0.5), (0.8, 0.2), (0.1, 0.0)]:
        mdp = TokenMDP(2, 1)
        c = information_chain(token_utility(mdp, value_probs=[1 - theta, theta]), 2,
                              table_policy(mdp, [[1 - q, q]]))
        assert c.H_G == pytest.approx(h(theta))
        assert c.H_G - c.I_G_xi == pytest.approx(2 * theta * (1 - theta) * h(q))
        assert c.I_G_xi_given_tau == pytest.approx(h(theta))


def test_sym_joint_agrees_with_numbers():
    th, q = sp.symbols("theta q", positive=True)
    J = sym_one_token_utility(th, q)
    exprs = {"H_G": J.H("G"), "I_G_xi": J.I("G", "xi"), "I_G_pi": J.I("G", "pi_star"),
             "I_G_xi_given_tau": J.I("G", "xi", given="tau"),
             "I_G_pi_given_tau": J.I("G", "pi_star", given="tau")}
    for t_val, q_val in [(0.25, 0.6), (0.7, 0.1)]:
        mdp = TokenMDP(2, 1)
        c = information_chain(token_utility(mdp, value_probs=[1 - t_val, t_val]), 2,
                              table_policy(mdp, [[1 - q_val, q_val]]))
        for key, e in exprs.items():
            assert float(e.subs({th: t_val, q: q_val})) == pytest.approx(getattr(c, key), abs=1e-12)
    # the Markov property and determinism, symbolically
    zero = lambda e: sp.simplify(sp.expand_log(e, force=True)) == 0  # noqa: E731
    assert zero(J.I("G", "pi_star", given="xi"))
    assert zero(J.H("G", given=["xi", "tau"]))
    assert not zero(J.H("G", given="xi"))        # a random policy leaves G uncertain given ξ


def test_sym_joint_validates():
    p = sp.Symbol("p", positive=True)
    with pytest.raises(ValueError, match="at least one outcome"):
        SymJoint([])
    with pytest.raises(ValueError, match="same variables"):
        SymJoint([(p, {"x": 0}), (1 - p, {"y": 1})])
    J = SymJoint([(p, {"x": 0}), (1 - p, {"x": 1})])
    with pytest.raises(ValueError, match="unknown variable"):
        J.H("z")


def test_return_bins_match_the_signal():
    fam = make_family("match_count", TokenMDP(2, 3))
    levels = fam.return_levels()
    for B in (1, 2, 3, 4, 7):
        bound = ib.QuantisedReturn(B).bind(fam)
        codes = bound.codes(np.arange(fam.n_xi), np.arange(fam.mdp.n_trajectories))
        raw = fam._return_codes(np.arange(fam.n_xi), np.arange(fam.mdp.n_trajectories))
        assert (codes == return_bins(levels, B)[raw]).all()
    assert return_bins([0, 1 / 3, 2 / 3, 1], 2).tolist() == [0, 0, 1, 1]
    with pytest.raises(ValueError, match="sorted"):
        return_bins([1.0, 0.0], 2)
    with pytest.raises(ValueError):
        return_bins([0.0, 1.0], 0)


def test_chain_grid_and_table():
    t = chain_grid(Vs=(2,), Ts=(2,), Bs=(2, 3), policies=(None, 0.8))
    assert len(t.rows) == len(CHAIN_FAMILIES) * 2 * 2
    assert t.all_hold()
    s = t.min_slacks()
    assert min(s.values()) >= -1e-12
    html = t._repr_html_()
    assert html.count("<tr") == len(t.rows) + 1 and "I(G;π*)" in html
    with pytest.raises(ValueError, match="empty"):
        chain_grid(families=[])


def test_validation_errors():
    with pytest.raises(ValueError, match="unknown reward family"):
        make_family("jackpot", TokenMDP(2, 2))
    with pytest.raises(ValueError):
        make_family("exact_match", TokenMDP(0, 2))
    fam = make_family("exact_match", TokenMDP(2, 2))
    with pytest.raises(ValueError):
        information_chain(fam, 0)
    with pytest.raises(ValueError, match="RewardFamily"):
        information_chain("exact_match", 2)
    with pytest.raises(ValueError, match="probability"):
        behaviour_policy(fam.mdp, 1.5)
    with pytest.raises(ValueError, match="xi must be"):
        episode_information(fam, 7, [0])
    with pytest.raises(ValueError, match="1-D"):
        episode_information(fam, 0, [[0, 1]])
    with pytest.raises(ValueError, match="lie in"):
        episode_information(fam, 0, [4])
    with pytest.raises(ValueError, match="prior probability 0"):
        episode_information(fam, 0, [1], prior=[0, 0.5, 0.5, 0])
    with pytest.raises(ValueError, match="weights"):
        markov_numbers(fam, [behaviour_policy(fam.mdp)], weights=[0.5, 0.5])
    with pytest.raises(ValueError, match="at least one"):
        solve_table([])


# ------------------------------------------------------------------------------------------------
# episode information: BayesLearner replay and the learners' observer
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,V,T,xi", [("exact_match", 2, 3, 5), ("match_count", 2, 3, 2),
                                        ("token_utility", 2, 2, 9)])
def test_episode_information_replays_the_bayes_learner(name, V, T, xi):
    fam = make_family(name, TokenMDP(V, T))
    rng = np.random.default_rng(3)
    traj = rng.integers(fam.mdp.n_trajectories, size=12)
    info = episode_information(fam, xi, traj)
    learner = BayesLearner(fam)
    rewards = fam.sparse_rewards(xi)
    table = fam.sparse_table()                      # (n_xi, n_tr)
    levels = fam.return_levels()
    for i, tau in enumerate(traj):
        post = learner.posterior.copy()
        # oracle for H(G | τ_i, D): the belief's distribution of the return of τ_i
        dist = defaultdict(float)
        for x in range(fam.n_xi):
            dist[round(float(table[x, tau]), 9)] += post[x]
        assert info.expected_xi[i] == pytest.approx(_H(dist), abs=1e-10)
        assert info.p_top[i] == pytest.approx(dist.get(round(float(levels[-1]), 9), 0.0), abs=1e-12)
        assert info.entropy_xi[i] == pytest.approx(learner.entropy_xi, abs=1e-10)
        assert info.entropy_pi[i] == pytest.approx(learner.entropy_pi_star, abs=1e-10)
        learner.update(int(tau), float(rewards[tau]))
        assert info.returns[i] == pytest.approx(rewards[tau])
    assert info.entropy_xi[-1] == pytest.approx(learner.entropy_xi, abs=1e-10)
    assert np.allclose(info.realised_xi, info.entropy_xi[:-1] - info.entropy_xi[1:])
    assert (info.expected_pi <= info.expected_xi + 1e-12).all()
    assert (info.expected_xi <= info.log2_levels + 1e-12).all()


def test_episode_information_after_the_task_is_known():
    fam = make_family("exact_match", TokenMDP(2, 2))
    info = episode_information(fam, 2, [2, 0, 2, 3])          # the first episode hits
    assert info.entropy_xi.tolist() == [2.0, 0.0, 0.0, 0.0, 0.0]
    assert info.expected_xi[1:].tolist() == [0.0, 0.0, 0.0]
    assert info.p_top.tolist() == [0.25, 0.0, 1.0, 0.0]
    assert info.returns.tolist() == [1.0, 0.0, 1.0, 0.0]
    assert info.first_known() == 1
    assert episode_information(fam, 2, []).first_known() == -1


def test_episode_information_matches_the_reinforce_observer():
    fam = make_family("match_count", TokenMDP(2, 3))
    curve = ib.reinforce(fam, xi=6, n_updates=20, batch_size=3, lr=2.0, seed=4)
    info = episode_information(fam, 6, curve.trajectories)
    assert np.allclose(info.entropy_xi[curve.episodes], curve.entropy_xi, atol=1e-10)
    assert np.allclose(info.entropy_pi[curve.episodes], curve.entropy_pi_star, atol=1e-10)


# ------------------------------------------------------------------------------------------------
# Markov check, runs, claims
# ------------------------------------------------------------------------------------------------
def test_markov_numbers():
    fam = make_family("token_utility", TokenMDP(2, 2))
    pols = [behaviour_policy(fam.mdp, 0.9), behaviour_policy(fam.mdp, 0.2)]
    n = markov_numbers(fam, pols)
    assert n["I(G;π*|ξ)"] == 0 and n["I(G;π*|ξ,θ)"] == 0
    assert n["I(G;θ|ξ)"] > 0.05
    same = markov_numbers(fam, [pols[0], pols[0]])
    assert same["I(G;θ|ξ)"] == 0                     # identical policies: G cannot depend on θ
    # with one candidate policy the joint is the chain's, so I(G;ξ) and I(G;π*) agree with it
    single = markov_numbers(fam, [pols[0]])
    c = information_chain(fam, len(fam.return_levels()), pols[0])
    assert single["I(G;ξ)"] == pytest.approx(c.I_G_xi) and single["I(G;π*)"] == pytest.approx(c.I_G_pi)


def test_solve_table_small():
    t = solve_table([("4 strings", make_family("exact_match", TokenMDP(2, 2)))], seeds=3, n_updates=40,
                    batch_size=4, lr=2.0)
    (row,) = t.rows
    assert row.H_pi == pytest.approx(2.0) and row.levels == 2 and row.bound == pytest.approx(2.0)
    assert row.runs == 3 and 0 <= row.solved <= 3
    assert row.data_median <= row.reinforce_median
    assert "4 strings" in t._repr_html_()


def test_chapter_runs_are_cached_and_consistent():
    t = chapter_runs(2)
    assert chapter_runs(2) is t
    for row in t.rows:
        assert row.runs == 2
        info = run_information(row, 0)
        c = row.summary.runs[0]
        assert len(info.expected_xi) == len(c.trajectories)
        assert np.allclose(info.entropy_pi[c.episodes], c.entropy_pi_star, atol=1e-10)


PG_CLAIMS = ["pg-chain-log2B", "pg-one-bit-per-episode", "pg-potential-1-to-3.3-bits",
             "pg-not-markov-chain", "pg-mi-le-entropy-by-dpi", "pg-equal-when-invertible"]


@pytest.mark.parametrize("cid", PG_CLAIMS)
def test_claims_registered(cid):
    r = evaluate(cid)
    assert r.section == "3.1" and r.numbers and r.evidence


def test_claim_verdicts_follow_from_numbers():
    r = evaluate("pg-chain-log2B")
    assert min(v for k, v in r.numbers.items() if k.startswith("min ")) >= -1e-9
    assert r.verdict == "holds"
    r = evaluate("pg-one-bit-per-episode")
    assert r.numbers["max expected bits of one episode"] <= 1 + 1e-9
    assert r.verdict == ("holds" if r.numbers["median bits per episode, REINFORCE"] >= 0.5 else "bound")
    r = evaluate("pg-potential-1-to-3.3-bits")
    assert r.numbers["max H(G) − log2 B [bits]"] <= 1e-9
    assert r.verdict == ("holds" if r.numbers["min H(G)/log2 B"] >= 0.9 else "bound")
    r = evaluate("pg-not-markov-chain")
    assert r.numbers["max I(G;π*|ξ) [bits]"] == 0 and r.verdict == "fails"
    r = evaluate("pg-equal-when-invertible")
    # independent: the XOR task. G = [τ ≠ ξ] with τ, ξ independent fair bits is a fair coin
    xor = reward_table(TokenMDP(2, 1), [[0, 1], [1, 0]])
    ref = _brute_chain(xor, 2, behaviour_policy(xor.mdp))
    assert ref["I_G_xi"] == pytest.approx(0) and ref["H_G"] == pytest.approx(1)
    assert r.numbers["XOR: I(G;ξ) [bits]"] == pytest.approx(ref["I_G_xi"], abs=1e-12)
    assert r.verdict == "fails"
    r = evaluate("pg-mi-le-entropy-by-dpi")
    assert r.numbers["min H(G) − I(G;ξ) [bits]"] >= 0 and r.verdict == "holds"


# ------------------------------------------------------------------------------------------------
# figures, demo, exercise
# ------------------------------------------------------------------------------------------------
def test_figures_draw_and_write_the_right_numbers():
    from infobandwidth.book.figures import policy_gradient as fig

    v = fig.chain_bars_values("token_utility", 2, 2, 4)
    c = information_chain(make_family("token_utility", TokenMDP(2, 2)), 4,
                          behaviour_policy(TokenMDP(2, 2), fig.BARS_POLICY_A))
    assert v["I(G;π*)"] == c.I_G_pi and v["I(G;ξ|τ)"] == c.I_G_xi_given_tau and v["log2 B"] == 2
    s = fig.sym_chain_values(0.5, 0.5)
    assert s["H(G)"] == pytest.approx(1.0) and s["I(G;ξ)"] == pytest.approx(0.5)
    assert isinstance(fig.draw_chain_bars("exact_match", 3, 3, 2), Figure)
    assert isinstance(fig.draw_sym_chain(n=5), Figure)
    small = chapter_runs(2)
    assert isinstance(fig.draw_learning_curves(small), Figure)
    assert isinstance(fig.draw_bits_per_episode(small), Figure)
    b = fig.bits_per_episode_values(small)
    for p, e, _ in b["pairs"]:                       # binary returns: bits = h(p)
        assert np.allclose(e, ib.binary_entropy(p))
    assert fig.chain_bars.n_frames <= 40


def test_exercise_check():
    from infobandwidth.book.exercises.policy_gradient import _medians

    none, loo = _medians()
    assert check("policy-gradient/baseline", (none, loo))
    if none != loo:
        assert not check("policy-gradient/baseline", (loo, none))
    assert not check("policy-gradient/baseline", (3.0, 3.0))
    assert not check("policy-gradient/baseline", ...)
