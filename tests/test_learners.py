"""Tests of the learners (§3.1 REINFORCE, §3.2 actor-critic) and the critics.

Oracles are plain loops over the enumerated trajectories of small MDPs: the exact policy
gradient Σ_τ p(τ) ∇log p(τ) G(τ), finite differences of the exact J, the ideal observer replayed
episode by episode through bayes.BayesLearner.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from infobandwidth.learning.actor_critic import actor_critic, actor_critic_gradient
from infobandwidth.learning.curves import episodes_to_solve, run_seeds
from infobandwidth.learning.reinforce import policy_gradient, reinforce
from infobandwidth.learning.runs import TrainingCurve
from infobandwidth.learning.tabular import MAX_TABLE_ENTRIES, HiddenString
from infobandwidth.model.mdp import TokenMDP, expected_return, softmax_policy
from infobandwidth.model.rewards import exact_match, match_count, token_utility
from infobandwidth.model.values import ideal_critic, step_rewards, td_errors, value_function
from infobandwidth.signals.observer import BayesLearner

MDPS = [TokenMDP(2, 3), TokenMDP(3, 2), TokenMDP(3, 3, end_token=2)]


def random_logits(mdp, seed, scale=1.0):
    return np.random.default_rng(seed).normal(size=(mdp.n_prefixes, mdp.V)) * scale


def random_rewards(mdp, seed, dense):
    """A causal dense table (r_t depends on x_1..x_{t+1}) or a sparse one."""
    rng = np.random.default_rng(seed)
    if not dense:
        return rng.normal(size=mdp.n_trajectories)
    traj = mdp.trajectories()
    R = np.zeros((mdp.n_trajectories, mdp.T))
    for t in range(mdp.T):
        prefix = (traj[:, : t + 1] * mdp.V ** np.arange(t, -1, -1)).sum(axis=1)
        R[:, t] = rng.normal(size=mdp.V ** (t + 1))[prefix]
    return R


def exact_J(mdp, logits, rewards, gamma):
    pol = softmax_policy(mdp, logits)
    if np.ndim(rewards) == 1:  # sparse: the per-step vector (0, .., 0, R) has return γ^{T-1} R
        return gamma ** (mdp.T - 1) * expected_return(pol, rewards)
    return expected_return(pol, rewards, gamma=gamma)


def fd_gradient(mdp, logits, rewards, gamma, h=1e-5):
    g = np.zeros_like(logits)
    for idx in np.ndindex(*logits.shape):
        up, dn = logits.copy(), logits.copy()
        up[idx] += h
        dn[idx] -= h
        g[idx] = (exact_J(mdp, up, rewards, gamma) - exact_J(mdp, dn, rewards, gamma)) / (2 * h)
    return g


def grad_log_p(mdp, probs, tau):
    """∇_θ log p(τ) by a plain loop over the steps (forced steps after an end token add 0)."""
    g = np.zeros((mdp.n_prefixes, mdp.V))
    toks = [int(x) for x in mdp.decode(tau)]
    for t in range(mdp.T):
        s = mdp.prefix_index(toks[:t])
        if mdp.dead_prefixes[s]:
            continue
        g[s] -= probs[s]
        g[s, toks[t]] += 1.0
    return g


def discounted_return(mdp, rewards, tau, gamma):
    r = step_rewards(mdp, rewards)[tau]
    return float(sum(gamma**t * r[t] for t in range(mdp.T)))


# ============================================================================ gradients
@pytest.mark.parametrize("mdp", MDPS, ids=repr)
@pytest.mark.parametrize("dense,gamma", [(False, 1.0), (True, 1.0), (True, 0.7), (False, 0.8)])
def test_reinforce_gradient_matches_finite_differences(mdp, dense, gamma):
    logits = random_logits(mdp, 1)
    R = random_rewards(mdp, 2, dense)
    fd = fd_gradient(mdp, logits, R, gamma)
    pol = softmax_policy(mdp, logits)
    p = pol.trajectory_probs()
    taus = np.flatnonzero(p > 0)
    # the exact expected gradient Σ_τ p(τ) ∇log p(τ) G(τ), by plain loops
    oracle = sum(p[t] * grad_log_p(mdp, pol.table, t) * discounted_return(mdp, R, t, gamma)
                 for t in taus)
    np.testing.assert_allclose(oracle, fd, atol=1e-7)
    # the per-sample estimator averaged exactly over τ, for every variant
    rng = np.random.default_rng(3)
    for rtg in (False, True):
        for base in (None, 0.7, rng.normal(size=mdp.n_prefixes)):
            est = sum(p[t] * policy_gradient(mdp, logits, [t], R, gamma=gamma, reward_to_go=rtg,
                                             baseline=base) for t in taus)
            np.testing.assert_allclose(est, fd, atol=1e-7)


@pytest.mark.parametrize("mdp", MDPS, ids=repr)
@pytest.mark.parametrize("dense,gamma", [(False, 1.0), (True, 1.0), (True, 0.6)])
def test_actor_critic_direction_with_exact_critic_is_the_gradient(mdp, dense, gamma):
    logits = random_logits(mdp, 4)
    R = random_rewards(mdp, 5, dense)
    fd = fd_gradient(mdp, logits, R, gamma)
    pol = softmax_policy(mdp, logits)
    Vpi = value_function(pol, R, gamma=gamma)
    p = pol.trajectory_probs()
    est = sum(p[t] * actor_critic_gradient(mdp, logits, Vpi, [t], R, gamma=gamma)
              for t in np.flatnonzero(p > 0))
    np.testing.assert_allclose(est, fd, atol=1e-7)
    # a wrong critic biases the direction (the advantage form needs V^π)
    wrong = Vpi + np.random.default_rng(6).normal(size=mdp.n_prefixes)
    est_wrong = sum(p[t] * actor_critic_gradient(mdp, logits, wrong, [t], R, gamma=gamma)
                    for t in np.flatnonzero(p > 0))
    assert np.abs(est_wrong - fd).max() > 1e-3


def test_gradient_is_zero_on_forced_rows_after_the_end_token():
    mdp = TokenMDP(3, 3, end_token=2)
    logits = random_logits(mdp, 7)
    R = random_rewards(mdp, 8, True)
    taus = np.flatnonzero(mdp.valid)
    g = policy_gradient(mdp, logits, taus, R)
    assert np.all(g[mdp.dead_prefixes] == 0)
    assert np.abs(g[~mdp.dead_prefixes]).max() > 0


# ============================================================================ the learners use the estimators
def test_one_reinforce_update_is_lr_times_the_estimator():
    fam = match_count(TokenMDP(2, 3))
    mdp = fam.mdp
    init = random_logits(mdp, 9, 0.5)
    R = fam.sparse_rewards(6)
    for rtg in (False, True):
        c = reinforce(fam, 6, n_updates=1, batch_size=5, lr=0.3, reward_to_go=rtg,
                      init_logits=init, seed=2)
        expected = init + 0.3 * policy_gradient(mdp, init, c.trajectories, R, reward_to_go=rtg)
        np.testing.assert_allclose(c.logits, expected, atol=1e-12)


def test_one_actor_critic_update_moves_actor_and_critic_as_documented():
    fam = exact_match(TokenMDP(2, 3))
    mdp = fam.mdp
    init = random_logits(mdp, 10, 0.5)
    v0 = np.random.default_rng(11).normal(size=mdp.n_prefixes)
    R = fam.dense_rewards(3)
    c = actor_critic(fam, 3, n_updates=1, batch_size=6, lr_actor=0.4, lr_critic=0.5, dense=True,
                     gamma=0.9, init_logits=init, init_values=v0, seed=3)
    expected = init + 0.4 * actor_critic_gradient(mdp, init, v0, c.trajectories, R, gamma=0.9)
    np.testing.assert_allclose(c.logits, expected, atol=1e-12)
    delta = td_errors(mdp, v0, c.trajectories, R, gamma=0.9)
    ids = mdp.prefix_ids(c.trajectories)
    v1 = v0.copy()
    for s in np.unique(ids):  # plain loop: mean TD error of the visits of s
        v1[s] += 0.5 * delta[ids == s].mean()
    np.testing.assert_allclose(c.critic, v1, atol=1e-12)


# ============================================================================ learning
def test_reinforce_learns_a_hidden_string():
    fam = exact_match(TokenMDP(2, 3))
    c = reinforce(fam, 5, n_updates=80, batch_size=8, lr=2.0, baseline="mean", seed=0)
    J0 = fam.mdp.V ** -fam.mdp.T  # uniform policy: one string in V^T
    assert c.J[0] == pytest.approx(J0)
    assert c.J_star == 1.0
    assert c.J[-1] >= 0.9 * c.J_star
    assert c.J[-1] - c.J[0] >= 0.9 - J0


@pytest.mark.parametrize("dense", [False, True])
def test_actor_critic_learns_partial_credit(dense):
    fam = match_count(TokenMDP(2, 4))
    c = actor_critic(fam, 6, n_updates=80, batch_size=8, lr_actor=2.0, dense=dense, seed=1)
    assert c.J[0] == pytest.approx(0.5)  # each position matches with probability 1/2
    assert c.J[-1] >= 0.9 * c.J_star
    assert c.success_rate[-1] > 0.5


@pytest.mark.parametrize("baseline", ["none", "mean", "loo", "value"])
def test_every_baseline_learns(baseline):
    fam = token_utility(TokenMDP(2, 3), shared=True)  # ξ = 2: u[a] = 1, u[b] = 0
    c = reinforce(fam, 2, n_updates=60, batch_size=8, lr=1.0, baseline=baseline,
                  reward_to_go=True, dense=True, seed=4)
    assert c.J_star == 3.0 and c.J[0] == pytest.approx(1.5)
    assert c.J[-1] >= 0.9 * c.J_star


def test_idealised_critics_learn():
    fam = exact_match(TokenMDP(2, 3))
    for critic in ("exact", "posterior"):
        c = actor_critic(fam, 2, n_updates=60, batch_size=8, lr_actor=2.0, critic=critic,
                         posterior=True, seed=0)
        assert c.J[-1] >= 0.9 and c.critic is None


def test_large_lazy_hidden_string_runs_with_exact_J():
    hs = HiddenString(4, 16)
    c = reinforce(hs, hs.index([1] * 16), n_updates=5, batch_size=32, dense=True, seed=0)
    assert c.settings["table"] == "lazy" and c.logits is None
    assert c.J[0] == pytest.approx(4.0**-16)
    assert c.entropy_xi[0] == 32.0 and np.all(np.diff(c.entropy_xi) <= 0)
    assert "too large" in c.note


# ============================================================================ critics and TD errors
@pytest.mark.parametrize("mdp", MDPS, ids=repr)
@pytest.mark.parametrize("dense,gamma", [(False, 1.0), (True, 0.8)])
def test_td_errors_telescope_and_average_to_zero_for_the_exact_critic(mdp, dense, gamma):
    logits = random_logits(mdp, 12)
    R = random_rewards(mdp, 13, dense)
    pol = softmax_policy(mdp, logits)
    Vpi = value_function(pol, R, gamma=gamma)
    taus = pol.sample(200, seed=14)
    disc = gamma ** np.arange(mdp.T)
    G = np.array([discounted_return(mdp, R, t, gamma) for t in taus])
    for critic in (Vpi, np.random.default_rng(15).normal(size=mdp.n_prefixes)):
        d = td_errors(mdp, critic, taus, R, gamma=gamma)
        np.testing.assert_allclose((d * disc).sum(axis=1), G - critic[0], atol=1e-12)
    # E[δ_t | s_t] = 0 under π for the exact critic, by enumeration
    p = pol.trajectory_probs()
    all_t = np.arange(mdp.n_trajectories)
    d = td_errors(mdp, Vpi, all_t, R, gamma=gamma)
    ids = mdp.prefix_ids(all_t)
    for t in range(mdp.T):
        mass = np.bincount(ids[:, t], weights=p * d[:, t], minlength=mdp.n_prefixes)
        np.testing.assert_allclose(mass, 0.0, atol=1e-12)


def test_value_function_root_is_J_and_ideal_critic_is_linear_in_the_belief():
    fam = match_count(TokenMDP(3, 3))
    pol = softmax_policy(fam.mdp, random_logits(fam.mdp, 16))
    for xi in (0, 7, 20):
        Vx = ideal_critic(fam, pol, xi=xi)
        assert Vx[0] == pytest.approx(expected_return(pol, fam.sparse_rewards(xi)))
        Vd = ideal_critic(fam, pol, xi=xi, dense=True, gamma=0.5)
        assert Vd[0] == pytest.approx(expected_return(pol, fam.dense_rewards(xi), gamma=0.5))
    b = np.random.default_rng(17).dirichlet(np.ones(fam.n_xi))
    b[::3] = 0
    b /= b.sum()
    mix = sum(b[x] * ideal_critic(fam, pol, xi=x, dense=True) for x in range(fam.n_xi) if b[x] > 0)
    np.testing.assert_allclose(ideal_critic(fam, pol, belief=b, dense=True), mix, atol=1e-12)


# ============================================================================ reproducibility
@pytest.mark.parametrize("learner", [reinforce, actor_critic])
def test_same_seed_same_curve_different_seed_different_curve(learner):
    fam = exact_match(TokenMDP(2, 4))
    kw = dict(n_updates=15, batch_size=4, dense=True)
    a, b, c = (learner(fam, 11, seed=s, **kw) for s in (5, 5, 6))
    for name in ("J", "success_rate", "mean_return", "entropy_xi", "trajectories", "logits"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.trajectories, c.trajectories)
    assert not np.array_equal(a.J, c.J)


@pytest.mark.parametrize("learner,kw", [
    (reinforce, dict(baseline="value", reward_to_go=True)),
    (actor_critic, dict()),
])
@pytest.mark.parametrize("mdp", [TokenMDP(3, 3), TokenMDP(3, 3, end_token=2)], ids=repr)
def test_lazy_trie_and_dense_table_give_identical_runs(learner, kw, mdp):
    fam = match_count(mdp)
    runs = [learner(fam, 4, n_updates=12, batch_size=6, dense=True, seed=8, table=t, **kw)
            for t in ("dense", "lazy")]
    for name in ("J", "trajectories", "logits", "critic", "entropy_xi"):
        np.testing.assert_array_equal(getattr(runs[0], name), getattr(runs[1], name))
    assert [r.settings["table"] for r in runs] == ["dense", "lazy"]


# ============================================================================ the ideal observer
def replay_entropies(fam, curve, dense):
    """H(ξ | D) after every row of the curve, replaying its episodes through BayesLearner."""
    learner = BayesLearner(fam, "dense" if dense else "return")
    xi = curve.settings["xi"]
    out = [learner.entropy_xi]
    R, Rd = fam.sparse_rewards(xi), fam.dense_rewards(xi)
    for lo, hi in zip(curve.episodes[:-1], curve.episodes[1:]):
        for tau in curve.trajectories[lo:hi]:
            learner.update(int(tau), Rd[tau] if dense else R[tau])
        out.append(learner.entropy_xi)
    return np.array(out)


@pytest.mark.parametrize("learner", [reinforce, actor_critic])
@pytest.mark.parametrize("dense", [False, True])
def test_posterior_entropy_matches_bayes_learner_on_the_same_data(learner, dense):
    fam = match_count(TokenMDP(2, 4), levels=3)
    c = learner(fam, 9, n_updates=12, batch_size=3, dense=dense, seed=2, eval_every=4)
    np.testing.assert_allclose(c.entropy_xi, replay_entropies(fam, c, dense), atol=1e-9)
    assert c.entropy_pi_star is not None and np.all(c.entropy_pi_star <= c.entropy_xi + 1e-9)


@pytest.mark.parametrize("reward,dense", [("exact", False), ("exact", True), ("count", True)])
@pytest.mark.parametrize("V,T", [(2, 3), (3, 2)])
def test_hidden_string_matches_its_family(reward, dense, V, T):
    hs = HiddenString(V, T, reward)
    fam = hs.family()
    toks = fam.mdp.trajectories().astype(np.int64)
    for xi in range(fam.n_xi):
        r = hs.rewards(toks, xi, dense=dense)
        expected = fam.dense_rewards(xi) if dense else step_rewards(fam.mdp, fam.sparse_rewards(xi))
        np.testing.assert_array_equal(r, expected)
    # same sampler, so the same episodes; J and H(ξ|D) computed in two different ways agree
    for learner in (reinforce, actor_critic):
        for table in ("dense", "lazy"):
            a = learner(hs, 3, n_updates=10, batch_size=3, dense=dense, seed=1, table=table)
            b = learner(fam, 3, n_updates=10, batch_size=3, dense=dense, seed=1)
            np.testing.assert_array_equal(a.trajectories, b.trajectories)
            np.testing.assert_allclose(a.J, b.J, atol=1e-12)
            np.testing.assert_allclose(a.entropy_xi, b.entropy_xi, atol=1e-9)


def test_observer_can_be_turned_off_or_is_skipped_with_a_note():
    fam = exact_match(TokenMDP(2, 3))
    assert reinforce(fam, 1, n_updates=2, posterior=False).entropy_xi is None
    c = reinforce(HiddenString(2, 3, "count"), 1, n_updates=2)
    assert c.entropy_xi is None and "closed-form" in c.note


# ============================================================================ curve bookkeeping
def test_success_rate_and_mean_return_follow_the_episodes():
    fam = exact_match(TokenMDP(2, 3))
    c = reinforce(fam, 6, n_updates=20, batch_size=4, lr=2.0, seed=3, eval_every=5)
    assert c.updates.tolist() == [0, 5, 10, 15, 20] and c.episodes.tolist() == [0, 20, 40, 60, 80]
    hits = (c.trajectories == 6).astype(float)
    windows = [hits[lo:hi] for lo, hi in zip(c.episodes[:-1], c.episodes[1:])]
    np.testing.assert_allclose(c.success_rate[1:], [w.mean() for w in windows])
    np.testing.assert_allclose(c.mean_return[1:], [w.mean() for w in windows])
    assert np.isnan(c.success_rate[0]) and np.isnan(c.mean_return[0])


def test_huge_steps_keep_the_logits_bounded():
    fam = exact_match(TokenMDP(2, 3))
    c = reinforce(fam, 1, n_updates=30, batch_size=4, lr=1e4, seed=0)
    assert np.isfinite(c.J).all() and np.isfinite(c.logits).all()
    # every visited row whose maximum left [-30, 30] was shifted back to maximum 0
    assert np.abs(c.logits.max(axis=1)).max() <= 30


def make_curve(J, J_star=1.0):
    J = np.asarray(J, dtype=float)
    n = np.arange(len(J))
    return TrainingCurve("reinforce", n, 10 * n, J, J_star, J * 0, J * 0, None, None,
                         np.zeros(0, np.int64), None, None, {}, "")


def test_episodes_to_solve():
    assert episodes_to_solve(make_curve([0.1, 0.5, 0.95, 0.8])) == 20
    assert episodes_to_solve(make_curve([0.1, 0.5, 0.95]), 0.5) == 10
    assert episodes_to_solve(make_curve([0.1, 0.5, 0.8])) == math.inf
    # J* < 0: the goal is J* - 0.1·|J*| = -2.2
    assert episodes_to_solve(make_curve([-3.0, -2.3, -2.1], J_star=-2.0)) == 20
    assert make_curve([1.0]).episodes_to_solve() == 0


def test_run_seeds_summarises_runs():
    fam = exact_match(TokenMDP(2, 3))
    s = run_seeds("reinforce", fam, "prior", [3, 4, 5], n_updates=30, batch_size=8, lr=2.0,
                  baseline="mean", eval_every=2)
    assert s.seeds == (3, 4, 5) and len(s.runs) == 3
    again = run_seeds("reinforce", fam, "prior", [3, 4, 5], n_updates=30, batch_size=8, lr=2.0,
                      baseline="mean", eval_every=2)
    assert s.xis == again.xis
    ets = [episodes_to_solve(r, 0.9) for r in s.runs]
    np.testing.assert_array_equal(s.episodes_to_solve, ets)
    assert s.median_episodes == sorted(ets)[1]
    J = np.stack([r.J for r in s.runs])
    np.testing.assert_array_equal(s.J_median, np.sort(J, axis=0)[1])
    assert s.entropy_median.shape == s.episodes.shape
    assert "solved" in s.describe()


# ============================================================================ bad input
FAM = exact_match(TokenMDP(2, 2))


@pytest.mark.parametrize("call,match", [
    (lambda: reinforce(FAM, 0, lr=-1.0), "lr must be a number > 0"),
    (lambda: reinforce(FAM, 0, lr=float("nan")), "lr must be a number > 0 and finite"),
    (lambda: reinforce(FAM, 0, lr=float("inf")), "finite"),
    (lambda: reinforce(FAM, 0, batch_size=0), "batch_size must be an integer >= 1"),
    (lambda: reinforce(FAM, 0, batch_size=2.5), "batch_size must be an integer"),
    (lambda: reinforce(FAM, 0, n_updates=0), "n_updates must be an integer >= 1"),
    (lambda: reinforce(FAM, 0, gamma=1.5), r"gamma must be a discount factor in \[0, 1\]"),
    (lambda: reinforce(FAM, 0, seed=1.0), "seed must be a non-negative int"),
    (lambda: reinforce(FAM, 0, seed=-1), "seed must be a non-negative int"),
    (lambda: reinforce(FAM, 0, seed="a"), "seed must be a non-negative int"),
    (lambda: reinforce(FAM, 7), r"xi must lie in 0..3"),
    (lambda: reinforce(FAM, 0, baseline="median"), "baseline must be one of"),
    (lambda: reinforce(FAM, 0, baseline="loo", batch_size=1), "needs batch_size >= 2"),
    (lambda: reinforce(FAM, 0, baseline_rate=2.0), r"baseline_rate must be a number in \(0, 1\]"),
    (lambda: reinforce(FAM, 0, eval_every=0), "eval_every must be an integer >= 1"),
    (lambda: reinforce(FAM, 0, posterior="yes"), "posterior must be one of"),
    (lambda: reinforce(FAM, 0, table="hash"), "table must be one of"),
    (lambda: reinforce(FAM, 0, init_logits=np.zeros((3, 3))), r"init_logits has shape \(3, 3\), expected \(3, 2\)"),
    (lambda: reinforce(FAM, 0, init_logits=np.full((3, 2), np.nan)), "NaN or inf"),
    (lambda: reinforce(FAM, 0, init_logits=np.zeros((3, 2)), table="lazy"), "need table='dense'"),
    (lambda: reinforce("family", 0), "family must be a RewardFamily"),
    (lambda: reinforce(HiddenString(2, 22), 0, table="dense"), "MAX_TABLE_ENTRIES"),
    (lambda: actor_critic(FAM, 0, lr_actor=0), "lr_actor must be a number > 0"),
    (lambda: actor_critic(FAM, 0, lr_critic=1.5), r"lr_critic must be a number in \(0, 1\]"),
    (lambda: actor_critic(FAM, 0, critic="oracle"), "critic must be one of"),
    (lambda: actor_critic(FAM, 0, critic="posterior", posterior=False), "needs the ideal observer"),
    (lambda: actor_critic(HiddenString(2, 2), 0, critic="exact"), "needs an enumerable family"),
    (lambda: actor_critic(FAM, 0, init_values=np.zeros(4)), r"init_values has shape \(4,\)"),
    (lambda: HiddenString(4, 40), r"V\^T = 4\^40 >= 2\^62"),
    (lambda: HiddenString(0, 4), "vocab_size must be an integer >= 1"),
    (lambda: HiddenString(2, 4, "fuzzy"), "reward must be one of"),
    (lambda: HiddenString(2, 2).index([0, 2]), "a hidden string is 2 tokens in 0..1"),
    (lambda: policy_gradient(FAM.mdp, np.zeros((3, 2)), [9], [0, 0, 0, 1]), r"must lie in 0..3"),
    (lambda: policy_gradient(FAM.mdp, np.zeros((3, 2)), [1.5], [0, 0, 0, 1]), "integer trajectory"),
    (lambda: policy_gradient(FAM.mdp, np.zeros((3, 2)), [1], [0, 1]), r"rewards has shape \(2,\)"),
    (lambda: policy_gradient(FAM.mdp, np.zeros((3, 2)), [1], [0, 0, 0, 1], baseline=[1, 2]), "one per"),
    (lambda: policy_gradient(FAM.mdp, np.zeros((2, 2)), [1], [0, 0, 0, 1]), "logits has shape"),
    (lambda: step_rewards(FAM.mdp, np.arange(8.0).reshape(4, 2)), "not causal"),
    (lambda: td_errors(FAM.mdp, np.zeros(4), [0], [0, 0, 0, 1]), "values has 4 entries"),
    (lambda: ideal_critic(FAM, softmax_policy(FAM.mdp, np.zeros((3, 2)))), "exactly one of xi"),
    (lambda: ideal_critic(FAM, softmax_policy(FAM.mdp, np.zeros((3, 2))), belief=[0.5, 0.5]),
     "prior has 2 entries"),
    (lambda: value_function(softmax_policy(FAM.mdp, np.zeros((3, 2))), [0, 0, 0, 1], gamma=-0.1),
     "gamma must be a discount factor"),
    (lambda: episodes_to_solve(make_curve([0.5]), 1.5), r"threshold must be a number in \(0, 1\]"),
    (lambda: episodes_to_solve([0.5], 0.9), "curve must be a TrainingCurve"),
    (lambda: run_seeds("ppo", FAM, 0, 2), "unknown algorithm 'ppo'"),
    (lambda: run_seeds("reinforce", FAM, 0, []), "seeds is empty"),
    (lambda: run_seeds("reinforce", FAM, 0, [1, -2]), "seed must be a non-negative int"),
    (lambda: run_seeds("reinforce", FAM, 0, 2, seed=3), "pass the seeds as `seeds`"),
    (lambda: run_seeds("reinforce", FAM, "posterior", 2), "xi must be an int or 'prior'"),
])
def test_bad_input_raises_value_error_with_the_reason(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_table_limit_is_what_auto_switches_on():
    # V=2, T=22: (2^22 - 1) prefixes · 2 > MAX_TABLE_ENTRIES, so "auto" goes lazy
    hs = HiddenString(2, 22)
    assert (2**22 - 1) * 2 > MAX_TABLE_ENTRIES
    assert reinforce(hs, 0, n_updates=1, batch_size=2).settings["table"] == "lazy"
