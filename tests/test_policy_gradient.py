"""Tests of §3.1 (``infobandwidth.signals.returns``, its figures, exercise and claim checks).

Oracles: hand-derived values; a first-principles enumeration of (ξ, τ) written here from the
definitions of the three families (itertools over token strings, integer rewards, the joint with
``np.bincount``, entropies with ``scipy.stats.entropy``), which uses no instance, policy or reward
of the library; sympy closed forms; the BayesLearner replayed episode by episode; and the learning
curves of ``ib.reinforce``. The claim checks are tested against these oracles, never by re-applying
a check's own threshold to its own numbers. No timing assertions.
"""
from __future__ import annotations

import itertools
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
from infobandwidth.model.rewards import make_family, token_utility
from infobandwidth.signals.observer import BayesLearner, episode_information
from infobandwidth.signals.returns import information_chain, markov_numbers, return_bins
from matplotlib.figure import Figure
from scipy import stats


def _H(counter: dict) -> float:
    return -sum(p * math.log2(p) for p in counter.values() if p > 0)


def h2(p: float) -> float:
    return 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)


# ------------------------------------------------------------------------------------------------
# a first-principles oracle: the families from their definitions, the joint of (ξ, π*, τ, G)
# ------------------------------------------------------------------------------------------------
def _paths(V: int, T: int) -> list[tuple[int, ...]]:
    """Every token string of length T, in index order (lexicographic, token a = 0 first)."""
    return list(itertools.product(range(V), repeat=T))


def _task_by_hand(name: str, V: int, T: int):
    """``(R, pi_star, scale)`` of a §3.1 family with a uniform prior over ξ.

    ``R[ξ, τ]`` is an integer and the return is ``R / scale`` in ``[0, 1]``, on the levels
    ``0, 1/scale, .., 1``; ``pi_star[ξ]`` labels ξ's optimal trajectory (the first argmax).
    """
    paths = _paths(V, T)
    if name == "exact_match":           # ξ a hidden string, R = [τ = ξ]; the optimum is ξ itself
        return np.array([[int(t == x) for t in paths] for x in paths]), np.arange(len(paths)), 1
    if name == "match_count":           # R = matching positions / T; only ξ itself matches all T
        R = [[sum(a == b for a, b in zip(t, x)) for t in paths] for x in paths]
        return np.array(R), np.arange(len(paths)), T
    if name == "token_utility":         # ξ a 0/1 table u[t, v], R = Σ_t u[t, x_t] on 0..T
        tables = [np.array(u).reshape(T, V) for u in itertools.product((0, 1), repeat=T * V)]
        R = [[sum(int(u[t, s[t]]) for t in range(T)) for s in paths] for u in tables]
        best = [tuple(int(np.argmax(u[t])) for t in range(T)) for u in tables]   # first maximum
        labels = {b: i for i, b in enumerate(sorted(set(best)))}
        return np.array(R), np.array([labels[b] for b in best]), T
    raise ValueError(name)


def _p_tau(V: int, T: int, p_a: float | None) -> np.ndarray:
    """Trajectory probabilities when every token is drawn independently: a w.p. p_a (or 1/V)."""
    q = [1 / V] * V if p_a is None else [p_a] + [(1 - p_a) / (V - 1)] * (V - 1)
    return np.array([math.prod(q[x] for x in s) for s in _paths(V, T)])


def _entropy(w: np.ndarray, *keys: np.ndarray) -> float:
    """H(keys) in bits under the weights w: the joint by ``np.bincount`` over integer codes."""
    if not keys:
        return 0.0
    cols = [np.broadcast_to(k, w.shape).ravel() for k in keys]
    code = np.ravel_multi_index(cols, [int(c.max()) + 1 for c in cols])
    return float(stats.entropy(np.bincount(code, weights=w.ravel()), base=2))


def _chain_by_hand(R, pi_star, scale, B, p_tau) -> dict:
    """Every link of the §3.1 chain, G = R/scale in B equal-width bins (an edge goes up)."""
    n_xi, n_tau = R.shape
    w = np.full((n_xi, 1), 1 / n_xi) * p_tau[None, :]
    G = np.minimum(B - 1, R * B // scale)
    XI, PI, TAU = np.arange(n_xi)[:, None], pi_star[:, None], np.arange(n_tau)[None, :]

    def H(*k):
        return _entropy(w, *k)

    return {
        "H_G": H(G), "H_xi": H(XI), "log2_B": math.log2(B),
        "I_G_xi": H(G) + H(XI) - H(G, XI),
        "I_G_pi": H(G) + H(PI) - H(G, PI),
        "H_G_given_tau": H(G, TAU) - H(TAU),
        "I_G_xi_given_tau": H(G, TAU) + H(XI, TAU) - H(G, XI, TAU) - H(TAU),
        "I_G_pi_given_tau": H(G, TAU) + H(PI, TAU) - H(G, PI, TAU) - H(TAU),
        "n_used": len({min(B - 1, k * B // scale) for k in range(scale + 1)}),
    }


def test_oracle_by_hand():
    # exact match on 2 strings, uniform: G = [τ = ξ] is a fair coin independent of ξ
    c = _chain_by_hand(*_task_by_hand("exact_match", 2, 1), 2, _p_tau(2, 1, None))
    assert (c["H_G"], c["I_G_xi"], c["I_G_xi_given_tau"]) == pytest.approx((1.0, 0.0, 1.0))
    # match count, T = 2, 3 bins: G = 0, 1/2, 1 w.p. 1/4, 1/2, 1/4
    c = _chain_by_hand(*_task_by_hand("match_count", 2, 2), 3, _p_tau(2, 2, None))
    assert c["H_G"] == pytest.approx(1.5) and c["n_used"] == 3
    # token utility, T = 1: π* is the first argmax of u = (u_a, u_b): a unless (0, 1)
    R, pi, scale = _task_by_hand("token_utility", 2, 1)
    assert R.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and pi.tolist() == [0, 1, 0, 0]


CASES = [
    ("exact_match", 2, 2, 2, None),
    ("exact_match", 3, 2, 4, 0.8),
    ("match_count", 2, 3, 2, 0.8),
    ("match_count", 2, 3, 3, None),
    ("token_utility", 2, 2, 4, 0.8),
    ("token_utility", 2, 2, 2, 0.3),
]


@pytest.mark.parametrize("name,V,T,B,p_a", CASES)
def test_chain_matches_first_principles(name, V, T, B, p_a):
    fam = make_family(name, TokenMDP(V, T))
    c = information_chain(fam, B, behaviour_policy(fam.mdp, p_a))
    ref = _chain_by_hand(*_task_by_hand(name, V, T), B, _p_tau(V, T, p_a))
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
    for q, pi_b in [(0.3, 0.9), (0.5, 0.5), (0.8, 0.2), (0.1, 0.0)]:
        mdp = TokenMDP(2, 1)
        c = information_chain(token_utility(mdp, value_probs=[1 - q, q]), 2,
                              table_policy(mdp, [[1 - pi_b, pi_b]]))
        assert c.H_G == pytest.approx(h(q))
        assert c.H_G - c.I_G_xi == pytest.approx(2 * q * (1 - q) * h(pi_b))
        assert c.I_G_xi_given_tau == pytest.approx(h(q))


def test_sym_joint_agrees_with_numbers():
    q, pi_b = sp.symbols("q pi_b", positive=True)
    joint = sym_one_token_utility(q, pi_b)
    exprs = {"H_G": joint.H("G"), "I_G_xi": joint.I("G", "xi"), "I_G_pi": joint.I("G", "pi_star"),
             "I_G_xi_given_tau": joint.I("G", "xi", given="tau"),
             "I_G_pi_given_tau": joint.I("G", "pi_star", given="tau")}
    for q_val, b_val in [(0.25, 0.6), (0.7, 0.1)]:
        mdp = TokenMDP(2, 1)
        c = information_chain(token_utility(mdp, value_probs=[1 - q_val, q_val]), 2,
                              table_policy(mdp, [[1 - b_val, b_val]]))
        for key, e in exprs.items():
            assert float(e.subs({q: q_val, pi_b: b_val})) == pytest.approx(getattr(c, key), abs=1e-12)
    # the Markov property and determinism, symbolically
    zero = lambda e: sp.simplify(sp.expand_log(e, force=True)) == 0  # noqa: E731
    assert zero(joint.I("G", "pi_star", given="xi"))
    assert zero(joint.H("G", given=["xi", "tau"]))
    assert not zero(joint.H("G", given="xi"))    # a random policy leaves G uncertain given ξ


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
    assert n["I(G;π*|ξ)"] == 0 and n["I(G;π*|ξ,π_θ)"] == 0
    assert n["I(G;π_θ|ξ)"] > 0.05
    same = markov_numbers(fam, [pols[0], pols[0]])
    assert same["I(G;π_θ|ξ)"] == 0                   # identical policies: G cannot depend on π_θ
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
    # the mean episodes to identify π*, read off the runs' observer curves independently
    known = [int(c.episodes[np.flatnonzero(c.entropy_pi_star == 0)[0]]) for c in row.summary.runs]
    assert row.data_mean == pytest.approx(np.mean(known))
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


# the §3.1 claim grid, by hand: 3 families × V ∈ {2, 3} × T ∈ {2, 3} × B ∈ {2, 3, 4} × 2 policies
@pytest.fixture(scope="module")
def grid_by_hand() -> list[dict]:
    rows = []
    for name in CHAIN_FAMILIES:
        for V, T in itertools.product((2, 3), (2, 3)):
            task = _task_by_hand(name, V, T)
            for B, p_a in itertools.product((2, 3, 4), (None, 0.8)):
                rows.append(_chain_by_hand(*task, B, _p_tau(V, T, p_a)))
    return rows


def test_chain_log2B_verdict(grid_by_hand):
    r = evaluate("pg-chain-log2B")
    assert r.numbers["instances"] == len(grid_by_hand) == 72
    links = {"log2 B − H(G)": ("log2_B", "H_G"), "H(G) − I(G;ξ)": ("H_G", "I_G_xi"),
             "I(G;ξ) − I(G;π*)": ("I_G_xi", "I_G_pi"),
             "H(G|τ) − I(G;ξ|τ)": ("H_G_given_tau", "I_G_xi_given_tau")}
    for link, (big, small) in links.items():
        slack = min(c[big] - c[small] for c in grid_by_hand)
        assert r.numbers[f"min {link} [bits]"] == pytest.approx(slack, abs=1e-9), link
        assert slack >= -1e-12, link              # the enumeration finds no violation either
    excess = max(c["I_G_pi_given_tau"] - c["log2_B"] for c in grid_by_hand)
    assert r.numbers["max I(G;π*|τ) − log2 B [bits]"] == pytest.approx(excess, abs=1e-9) and excess <= 1e-12
    at_ceiling = sum(c["I_G_xi_given_tau"] >= c["log2_B"] - 1e-9 for c in grid_by_hand)
    assert r.numbers["I(G;ξ|τ) = log2 B on"] == at_ceiling
    # I(G;π*) ≤ I(G;ξ) (π* is a function of ξ), I(G;ξ) ≤ H(G), H(G) ≤ log2 B: a theorem
    assert r.verdict == "holds" and r.rule == "theorem"


def test_mi_le_entropy_verdict(grid_by_hand):
    r = evaluate("pg-mi-le-entropy-by-dpi")
    slack = min(c["H_G"] - c["I_G_xi"] for c in grid_by_hand)         # = min H(G|ξ)
    assert r.numbers["min H(G) − I(G;ξ) [bits]"] == pytest.approx(slack, abs=1e-9) and slack > 0
    assert r.numbers["H(ξ) > H(G) on"] == sum(c["H_xi"] > c["H_G"] + 1e-9 for c in grid_by_hand)
    assert r.verdict == "holds" and r.rule == "theorem"          # I(X;Y) ≤ H(X) for any X, Y


def test_equal_when_invertible_verdict(grid_by_hand):
    r = evaluate("pg-equal-when-invertible")
    # XOR: R = [τ ≠ ξ] on one binary token. For each τ, G is an invertible function of ξ; yet with τ
    # and ξ independent fair bits, G is a fair coin independent of ξ: I(G;ξ) = 0 < H(G) = 1
    R = np.array([[int(t != x) for t in range(2)] for x in range(2)])
    xor = _chain_by_hand(R, np.array([1, 0]), 1, 2, _p_tau(2, 1, None))
    assert (xor["I_G_xi"], xor["H_G"], xor["I_G_xi_given_tau"]) == pytest.approx((0.0, 1.0, 1.0))
    assert r.numbers["XOR: I(G;ξ) [bits]"] == pytest.approx(xor["I_G_xi"], abs=1e-12)
    assert r.numbers["XOR: H(G) [bits]"] == pytest.approx(xor["H_G"])
    assert r.numbers["XOR: I(G;ξ|τ) [bits]"] == pytest.approx(xor["I_G_xi_given_tau"])
    # what does hold: I(G;ξ|τ) = H(G|τ) whenever G is a function of (ξ, τ)
    dev = max(abs(c["I_G_xi_given_tau"] - c["H_G_given_tau"]) for c in grid_by_hand)
    assert dev < 1e-12 and r.numbers["max |I(G;ξ|τ) − H(G|τ)| [bits]"] < 1e-9
    n_not_invertible = sum(2 ** c["H_xi"] > c["n_used"] + 0.5 for c in grid_by_hand)
    assert r.numbers["G not invertible in ξ on"] == n_not_invertible
    assert r.verdict == "fails" and r.rule == "counterexample"     # one exact counterexample


def _markov_by_hand(name: str) -> dict:
    """ξ uniform, π_θ ∈ {a w.p. 0.9, a w.p. 0.2} uniform, τ ~ π_θ, G = R_ξ(τ) on TokenMDP(2, 2)."""
    R, pi, _ = _task_by_hand(name, 2, 2)
    n_xi = R.shape[0]
    w = np.stack([0.5 / n_xi * np.ones((n_xi, 1)) * _p_tau(2, 2, p)[None, :] for p in (0.9, 0.2)])
    TH, XI, PI, G = np.arange(2)[:, None, None], np.arange(n_xi)[None, :, None], pi[None, :, None], R[None]

    def H(*k):
        return _entropy(w, *k)

    return {"I(G;π*|ξ)": H(G, XI) + H(PI, XI) - H(G, PI, XI) - H(XI),
            "I(G;π_θ|ξ)": H(G, XI) + H(TH, XI) - H(G, TH, XI) - H(XI)}


def test_not_markov_chain_verdict():
    r = evaluate("pg-not-markov-chain")
    ref = {name: _markov_by_hand(name) for name in CHAIN_FAMILIES}
    # π* is a function of ξ, so I(G;π*|ξ) = 0 whatever G depends on: G – ξ – π* IS a Markov chain
    assert all(abs(v["I(G;π*|ξ)"]) < 1e-12 for v in ref.values())
    assert r.numbers["max I(G;π*|ξ) [bits]"] == pytest.approx(0.0, abs=1e-12)
    # ... even though G does depend on the (random) current policy
    dep = min(v["I(G;π_θ|ξ)"] for v in ref.values())
    assert dep > 0.1 and r.numbers["min I(G;π_θ|ξ) [bits]"] == pytest.approx(dep, abs=1e-9)
    assert r.verdict == "fails" and r.rule == "counterexample"


def test_potential_verdict():
    r = evaluate("pg-potential-1-to-3.3-bits")
    # hidden 9-token binary string, uniform policy: K = matches ~ Binomial(9, 1/2), G = K/9 in B bins
    pK = [math.comb(9, k) / 2**9 for k in range(10)]
    mc = {}
    for B in range(2, 11):
        bins = defaultdict(float)
        for k, p in enumerate(pK):
            bins[min(B - 1, k * B // 9)] += p
        mc[B] = _H(bins)
    em = h2(2.0**-9)                # exact match: G = 1 w.p. 2^-9, whatever B is
    assert r.numbers["instances"] == 18
    assert r.numbers["H(G), match count, B=10 [bits]"] == pytest.approx(mc[10])
    assert r.numbers["H(G), exact match [bits]"] == pytest.approx(em)
    ratios = [mc[B] / math.log2(B) for B in mc] + [em / math.log2(B) for B in mc]
    assert r.numbers["min H(G)/log2 B"] == pytest.approx(min(ratios))
    excess = max(max(mc[B] - math.log2(B) for B in mc), max(em - math.log2(B) for B in mc))
    assert r.numbers["max H(G) − log2 B [bits]"] == pytest.approx(excess, abs=1e-9) and excess <= 1e-12
    # log2 B is never exceeded, but exact match carries 0.02 bits, < 1 % of log2 B: a ceiling
    assert em / math.log2(10) < 0.01
    assert r.verdict == "bound" and r.rule == "near-ceiling"


def _elimination(n: int, xi: int, trajectories) -> tuple[list[float], int]:
    """Exact match on n strings, uniform prior: the information about π* = ξ each episode is
    expected to carry, h(1/|left|) when τ is still a candidate, and the episode after which
    one candidate is left (-1: never)."""
    left, expected, known = set(range(n)), [], -1
    for i, tau in enumerate(int(t) for t in trajectories):
        expected.append(h2(1 / len(left)) if tau in left else 0.0)
        left = {xi} if tau == xi else left - {tau}
        if known < 0 and len(left) == 1:
            known = i + 1
    return expected, known


def test_one_bit_per_episode_verdict():
    r = evaluate("pg-one-bit-per-episode")
    n_strings = {"exact match, V=3, T=3": 27, "exact match, V=2, T=4": 16}
    rows = [row for row in chapter_runs().rows if row.levels == 2]
    assert sorted(row.label for row in rows) == sorted(n_strings)
    delivered, knowns, top = [], [], 0.0
    for row in rows:
        n = n_strings[row.label]
        for c in row.summary.runs:
            expected, known = _elimination(n, int(c.settings["xi"]), c.trajectories)
            delivered.append(math.log2(n) / known if known > 0 else 0.0)
            knowns.append(known if known > 0 else math.inf)
            top = max(top, *expected)
    lower_median = sorted(delivered)[(len(delivered) - 1) // 2]
    assert r.numbers["runs"] == len(delivered) == 12
    assert r.numbers["median bits per episode, data"] == pytest.approx(lower_median)
    assert r.numbers["median episodes to identify π*"] == sorted(knowns)[(len(knowns) - 1) // 2]
    assert r.numbers["max expected bits of one episode"] == pytest.approx(top)
    # a binary return carries at most H_b(1/2) = 1 bit, attained when two candidates are left
    assert top <= 1.0
    # like with like: the check compares information with information; REINFORCE's episodes to
    # reach 0.9·J* (another event) are not among its numbers
    assert not any("REINFORCE" in k for k in r.numbers)
    # and the data deliver well under half a bit per episode: one bit is a ceiling, not the rate
    assert lower_median < 0.4
    assert r.verdict == "bound" and r.rule == "ceiling"


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
