"""What TD errors tell (§3.2): the invertibility theorem against a first-principles enumeration and
hand derivations; consistency between library paths; learning phases; the AR(1) entropies against
closed forms and scipy; the claim checks against independent expectations.

The first-principles oracle uses no instance, policy, critic or TD error of the library: it
enumerates the token strings with itertools, computes trajectory probabilities from raw logits, TD
errors by hand from a raw critic array (prefixes numbered breadth-first, ``V(s_T) = 0``), builds the
joint with ``np.bincount`` and takes entropies with ``scipy.stats.entropy(base=2)``.
"""
from __future__ import annotations

import itertools
import math
from collections import defaultdict

import infobandwidth as ib
import numpy as np
import pytest
from infobandwidth.book.claims.registry import evaluate
from infobandwidth.book.experiments.actor_critic import (
    CORRELATION_RESOLUTIONS,
    CRITIC_NAMES,
    DENSE_FAMILIES,
    LEARNING_CONFIGS,
    _posterior_from_data,
    critic_comparison,
    dense_scaling,
    learning_comparison,
    learning_phases,
    phase_table,
    potential_scaling,
)
from infobandwidth.information.gaussian import (
    ar1_correlation_sum,
    ar1_effective_samples,
    ar1_entropies,
    ar1_shared_signal_information,
    quantised_ar1,
)
from infobandwidth.learning.curves import episodes_to_identify
from infobandwidth.model.values import td_errors
from infobandwidth.signals.observer import BayesLearner
from infobandwidth.signals.td import TDErrorSignal, critic_error, td_error_table, td_information
from scipy import integrate, stats


def h2(p):
    return 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def H(counts):
    p = np.array([c for c in counts if c > 0], dtype=float)
    p /= p.sum()
    return float(-(p * np.log2(p)).sum())


# ----------------------------------------------------------------------------- first-principles oracle
def paths(V, T):
    """Every token string of length T in index order (lexicographic)."""
    return list(itertools.product(range(V), repeat=T))


def prefix_id(prefix, V):
    """Breadth-first number of a prefix: the V**t prefixes of length t after the shorter ones."""
    t = len(prefix)
    return (V**t - 1) // (V - 1) + sum(x * V ** (t - 1 - i) for i, x in enumerate(prefix))


def traj_probs(V, T, logits):
    """p(τ) of the tabular softmax policy with one row of logits per prefix."""
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    table = z / z.sum(axis=1, keepdims=True)
    return np.array([math.prod(table[prefix_id(s[:t], V), s[t]] for t in range(T)) for s in paths(V, T)])


def td_by_hand(V, T, critic, R, gamma=1.0):
    """δ_t = r_t + γ V(s_{t+1}) − V(s_t), V(s_T) = 0, sparse reward R[τ] paid at the last step."""
    out = np.zeros((V**T, T))
    for i, s in enumerate(paths(V, T)):
        v = [critic[prefix_id(s[:t], V)] for t in range(T)] + [0.0]
        for t in range(T):
            out[i, t] = (R[i] if t == T - 1 else 0.0) + gamma * v[t + 1] - v[t]
    return out


def codes(values):
    """Integer codes of real vectors (last axis), equal when equal to 9 decimals."""
    v = np.asarray(values, dtype=float)
    flat = np.round(v.reshape(-1, v.shape[-1]), 9) + 0.0
    return np.unique(flat, axis=0, return_inverse=True)[1].reshape(v.shape[:-1])


def entropy(w, *keys):
    """H(keys) in bits under weights w (keys: integer arrays broadcastable to w)."""
    if not keys:
        return 0.0
    cols = [np.broadcast_to(k, w.shape).ravel() for k in keys]
    code = np.ravel_multi_index(cols, [int(c.max()) + 1 for c in cols])
    return float(stats.entropy(np.bincount(code, weights=w.ravel()), base=2))


def cond_info(w, S, X, *given):
    """I(S; X | given) = H(S,G) + H(X,G) − H(S,X,G) − H(G)."""
    return (entropy(w, S, *given) + entropy(w, X, *given) - entropy(w, S, X, *given)
            - entropy(w, *given))


def random_instance(seed, T=3, n_xi=5, levels=3):
    """A random reward table, prior, softmax policy and critic on V = 2: the raw arrays, and the
    library's objects built from them (the code under test)."""
    rng = np.random.default_rng(seed)
    mdp = ib.TokenMDP(2, T)
    table = rng.integers(0, levels, size=(mdp.n_trajectories, n_xi)).astype(float)
    prior = rng.dirichlet(np.ones(n_xi))
    logits = rng.normal(size=(mdp.n_prefixes, 2))
    critic = rng.normal(size=mdp.n_prefixes)
    fam = ib.reward_table(mdp, table, prior=prior)
    pol = ib.softmax_policy(mdp, logits)
    raw = {"R": table.T, "prior": prior, "logits": logits, "T": T}
    return fam, pol, critic, raw


def test_oracle_conventions_by_hand():
    # prefixes of V=2, T=3: "", a, b, aa, ab, ba, bb
    assert [prefix_id(p, 2) for p in [(), (0,), (1,), (0, 0), (0, 1), (1, 0), (1, 1)]] == list(range(7))
    # the chapter's example: hidden "ba", critic 0.5 everywhere
    tab = td_by_hand(2, 2, [0.5, 0.5, 0.5], [0, 0, 1, 0])
    assert tab.tolist() == [[0.0, -0.5], [0.0, -0.5], [0.0, 0.5], [0.0, -0.5]]
    assert traj_probs(2, 1, np.array([[0.0, math.log(3)]])).tolist() == pytest.approx([0.25, 0.75])
    # I(G; ξ | τ) = 1 bit for exact match on 2 strings (G = [τ = ξ]); 0 without conditioning on τ
    w = np.full((2, 2), 0.25)
    G, XI, TAU = np.eye(2, dtype=int), np.arange(2)[:, None], np.arange(2)[None, :]
    assert cond_info(w, G, XI, TAU) == pytest.approx(1.0) and cond_info(w, G, XI) == pytest.approx(0.0)


# ----------------------------------------------------------------------------- TD-error table
def test_td_error_table_matches_critics_td_errors():
    fam = ib.match_count(ib.TokenMDP(2, 3))
    V = np.random.default_rng(1).normal(size=fam.mdp.n_prefixes)
    tab = td_error_table(fam, V, gamma=0.9)
    for x in (0, 5):
        ref = td_errors(fam.mdp, V, np.arange(8), fam.sparse_rewards(x), gamma=0.9)
        assert np.allclose(tab[x], ref)
    dense = td_error_table(fam, V, dense=True)
    ref = td_errors(fam.mdp, V, np.arange(8), fam.dense_rewards(3))
    assert np.allclose(dense[3], ref)


@pytest.mark.parametrize("gamma", [1.0, 0.9])
def test_td_error_table_against_first_principles(gamma):
    fam, _, critic, raw = random_instance(4)
    tab = td_error_table(fam, critic, gamma=gamma)
    for x in range(fam.n_xi):
        assert np.allclose(tab[x], td_by_hand(2, raw["T"], critic, raw["R"][x], gamma))


def test_td_error_table_by_hand():
    # hidden string "ba" (ξ = 2), critic 0.5 everywhere: δ_0 = 0.5 - 0.5 = 0, δ_1 = R - 0.5
    fam = ib.exact_match(ib.TokenMDP(2, 2))
    tab = td_error_table(fam, [0.5, 0.5, 0.5])
    assert tab[2].tolist() == [[0.0, -0.5], [0.0, -0.5], [0.0, 0.5], [0.0, -0.5]]


def test_exact_critic_gives_advantages_with_zero_mean():
    fam = ib.match_count(ib.TokenMDP(2, 3))
    pol = ib.softmax_policy(fam.mdp, np.random.default_rng(0).normal(size=(7, 2)))
    tab = td_error_table(fam, "exact", pol)
    p = pol.trajectory_probs()
    # E_π[δ_t] = 0 for every ξ and t: the exact critic's TD errors are advantages
    assert np.allclose(np.einsum("xtk,t->xk", tab, p), 0.0, atol=1e-12)


# ----------------------------------------------------------------------------- the theorem
@pytest.mark.parametrize("seed", range(6))
def test_theorem_fixed_critic_random_tables(seed):
    fam, pol, critic, raw = random_instance(seed)
    info = td_information(fam, critic, pol)
    # the TD errors tell exactly what the return tells, given τ (fixed critic)
    assert info.I_td_given_critic == pytest.approx(info.ret.I_S_xi_given_tau, abs=1e-9)
    assert info.td.I_S_xi_given_tau == pytest.approx(info.ret.I_S_xi_given_tau, abs=1e-9)
    # first principles: the joint of (ξ, τ) from the raw arrays, TD errors by hand
    T, R = raw["T"], raw["R"]
    w = raw["prior"][:, None] * traj_probs(2, T, raw["logits"])[None, :]
    delta = codes(np.stack([td_by_hand(2, T, critic, R[x]) for x in range(len(R))]))
    G = codes(R[:, :, None])
    XI, TAU = np.arange(len(R))[:, None], np.arange(2**T)[None, :]
    assert info.td.I_S_xi_given_tau == pytest.approx(cond_info(w, delta, XI, TAU), abs=1e-9)
    assert info.ret.I_S_xi_given_tau == pytest.approx(cond_info(w, G, XI, TAU), abs=1e-9)
    assert info.td.I_S_xi == pytest.approx(cond_info(w, delta, XI), abs=1e-9)
    assert info.td.H_S == pytest.approx(entropy(w, delta), abs=1e-9)
    # the potential bandwidth is at least the new information
    assert info.td.H_S >= info.I_td_given_critic - 1e-12


@pytest.mark.parametrize("name", list(DENSE_FAMILIES))
def test_theorem_dense_rewards(name):
    fam = DENSE_FAMILIES[name](ib.TokenMDP(2, 3))
    V = np.random.default_rng(3).normal(size=fam.mdp.n_prefixes)
    info = td_information(fam, V, dense=True)
    assert info.I_td_given_critic == pytest.approx(info.rewards.I_S_xi_given_tau, abs=1e-9)
    dense = ib.signal_bandwidth(fam, "dense")
    assert info.rewards.I_S_xi_given_tau == pytest.approx(dense.I_S_xi_given_tau, abs=1e-12)


def test_theorem_fails_when_the_map_is_not_invertible():
    # a control: a signal that drops the reward sign is not the TD-error vector, and carries less;
    # the test of equality above can therefore fail
    fam = ib.reward_table(ib.TokenMDP(2, 2), [[1, -1], [0, 0], [0, 0], [0, 0]])
    full = td_information(fam, np.zeros(3))
    abs_sig = ib.CallableSignal(lambda tk, x: abs(fam.sparse_rewards(x)[fam.mdp.index(tk)]))
    lossy = ib.signal_bandwidth(fam, abs_sig)
    assert full.I_td_given_critic > lossy.I_S_xi_given_tau + 0.1


def test_bayes_posterior_after_td_errors_equals_after_return():
    fam = ib.match_count(ib.TokenMDP(2, 3))
    V = np.random.default_rng(2).normal(size=fam.mdp.n_prefixes)
    td = BayesLearner(fam, TDErrorSignal(V))
    g = BayesLearner(fam, "return")
    tab = td_error_table(fam, V)
    for tau in (5, 2, 7):
        td.update(tau, tab[4, tau])
        g.update(tau, fam.sparse_rewards(4)[tau])
        assert np.allclose(td.posterior, g.posterior)


def test_exact_critic_leaks_and_conditioning_removes_it():
    fam = ib.match_count(ib.TokenMDP(2, 3))
    pol = ib.uniform_policy(fam.mdp)
    info = td_information(fam, "exact", pol)
    # under the uniform policy V^π_ξ reveals the first two tokens of ξ, not the last: 4 critics
    assert not info.fixed and info.n_critics == 4
    # unconditioned, the TD errors tell all 3 bits; given the critic, only the last token's bit
    assert info.td.I_S_xi_given_tau == pytest.approx(3.0)
    assert info.I_td_given_critic == pytest.approx(1.0)
    # first principles: R = matches/3; under the uniform policy the exact critic of ξ at a prefix
    # of length t is (matches so far + (3 − t)/2) / 3
    T, strings = 3, paths(2, 3)
    R = np.array([[sum(a == b for a, b in zip(t, x)) / T for t in strings] for x in strings])
    prefixes = [p for t in range(T) for p in itertools.product(range(2), repeat=t)]
    crit = np.array([[(sum(a == b for a, b in zip(p, x)) + (T - len(p)) / 2) / T for p in prefixes]
                     for x in strings])
    assert np.allclose(crit, np.stack([ib.ideal_critic(fam, pol, xi=x) for x in range(8)]))
    assert len({tuple(np.round(c, 9)) for c in crit}) == 4
    w = np.full((8, 8), 1 / 64)
    delta = codes(np.stack([td_by_hand(2, T, crit[x], R[x]) for x in range(8)]))
    XI, TAU, C = np.arange(8)[:, None], np.arange(8)[None, :], codes(crit)[:, None]
    assert info.td.I_S_xi_given_tau == pytest.approx(cond_info(w, delta, XI, TAU), abs=1e-12)
    assert info.I_td_given_critic == pytest.approx(cond_info(w, delta, XI, TAU, C), abs=1e-12)


def test_per_xi_critic_grouping_by_first_principles():
    # two critics, each shared by a group of ξ: I(δ;ξ|τ,C) = Σ_c p(c) I(δ;ξ|τ, C=c)
    fam, pol, V, raw = random_instance(11, n_xi=6)
    crit = np.stack([V if x < 3 else 2 * V for x in range(6)])
    info = td_information(fam, crit, pol)
    T, R = raw["T"], raw["R"]
    w = raw["prior"][:, None] * traj_probs(2, T, raw["logits"])[None, :]
    delta = codes(np.stack([td_by_hand(2, T, crit[x], R[x]) for x in range(6)]))
    XI, TAU = np.arange(6)[:, None], np.arange(2**T)[None, :]
    group = (XI >= 3).astype(int)
    assert info.n_critics == 2
    assert info.I_td_given_critic == pytest.approx(cond_info(w, delta, XI, TAU, group), abs=1e-9)
    assert info.I_td_given_critic == pytest.approx(info.I_rewards_given_critic, abs=1e-9)


def test_sparse_information_sits_in_the_last_step():
    fam = ib.match_count(ib.TokenMDP(2, 4))
    info = td_information(fam, np.random.default_rng(0).normal(size=15))
    assert info.per_step[:-1] == (0.0, 0.0, 0.0)
    assert info.per_step[-1] == pytest.approx(info.ret.I_S_xi_given_tau)
    # H(Binomial(4, 1/2)) by hand
    b = [math.comb(4, k) / 16 for k in range(5)]
    assert info.ret.I_S_xi_given_tau == pytest.approx(-sum(p * math.log2(p) for p in b))


def test_steps_and_observation_encoding():
    fam = ib.exact_match(ib.TokenMDP(2, 2))
    sig = TDErrorSignal([0.25, 0.0, 0.5], steps=[-1]).bind(fam)
    assert sig.K_obs == 4  # R - V(s_1) with V(a) = 0, V(b) = 0.5, R in {0, 1}
    with pytest.raises(ValueError, match="cannot occur"):
        sig.encode([0.3])
    with pytest.raises(ValueError, match="steps"):
        TDErrorSignal([0.0] * 3, steps=[5]).bind(fam)


@pytest.mark.parametrize("critic, match", [
    (np.zeros(4), "one value per prefix"),
    (np.zeros((3, 3)), "critic per ξ"),
    ([0.0, np.nan, 0.0], "NaN or inf"),
    ("perfect", "'exact'"),
    (np.zeros((2, 2, 2)), "shape"),
])
def test_bad_critics(critic, match):
    with pytest.raises(ValueError, match=match):
        td_error_table(ib.exact_match(ib.TokenMDP(2, 2)), critic)


def test_bad_family_and_policy():
    with pytest.raises(ValueError, match="RewardFamily"):
        td_information("exact match", np.zeros(3))
    fam = ib.exact_match(ib.TokenMDP(2, 2))
    with pytest.raises(ValueError, match="same MDP"):
        td_information(fam, np.zeros(3), ib.uniform_policy(ib.TokenMDP(2, 3)))


# ----------------------------------------------------------------------------- critics, posterior
def test_posterior_from_data_matches_bayes():
    fam = ib.match_count(ib.TokenMDP(2, 4))
    trajs = np.array([3, 9, 3, 14])
    R = fam.sparse_rewards(6)
    ref = ib.posterior(fam, [(int(t), float(R[t])) for t in trajs])
    assert np.allclose(_posterior_from_data(fam, 6, trajs, False), ref)
    refd = ib.posterior(fam, [(int(t), fam.dense_rewards(6)[t]) for t in trajs], signal="dense")
    assert np.allclose(_posterior_from_data(fam, 6, trajs, True), refd)


def test_critic_comparison_rows():
    fam = ib.match_count(ib.TokenMDP(2, 4))
    cc = critic_comparison(fam, 6, n_updates=1, batch_size=2)
    assert list(cc.info) == list(CRITIC_NAMES)
    IG = cc.info[CRITIC_NAMES[0]].ret.I_S_xi_given_tau
    for _name, info in cc.info.items():
        assert info.I_td_given_critic == pytest.approx(info.I_rewards_given_critic, abs=1e-9)
        if info.fixed:
            assert info.I_td_given_critic == pytest.approx(IG, abs=1e-9)
    # the posterior-expected critic is V^π of the posterior-mean reward
    mean_r = sum(cc.posterior[x] * fam.sparse_rewards(x) for x in range(fam.n_xi))
    assert np.allclose(cc.critics["posterior-expected"], ib.value_function(cc.policy, mean_r))
    assert cc.info["none (δ = r)"].td.H_S == pytest.approx(
        ib.signal_bandwidth(fam, "return", cc.policy, prior=cc.posterior).H_S)


def test_critic_error_by_hand():
    fam = ib.exact_match(ib.TokenMDP(2, 2))
    pi = ib.uniform_policy(fam.mdp)
    assert critic_error(fam, 2, pi, [0.25, 0.0, 0.5]) == 0.0
    # depth 0: (0 - 0.25)², depth 1: ½(0)² + ½(0.5)²; mean over depths
    assert critic_error(fam, 2, pi, np.zeros(3)) == pytest.approx(math.sqrt((0.0625 + 0.125) / 2))
    with pytest.raises(ValueError, match="one per prefix"):
        critic_error(fam, 2, pi, np.zeros(4))


# ----------------------------------------------------------------------------- scaling with T
def test_dense_scaling_hand_derivations():
    d = dense_scaling((1, 2, 3, 4))
    T = np.arange(1, 5)
    assert np.allclose(d["per-position utilities"]["I_dense"], T)
    assert np.allclose(d["per-position utilities"]["H_xi"], 2 * T)
    assert np.allclose(d["match count"]["I_dense"], T)
    assert np.allclose(d["shared utilities"]["I_dense"], 2 - 2.0 ** (1 - T))
    assert np.allclose(d["exact match"]["I_dense"], 2 - 2.0 ** (1 - T))
    assert np.allclose(d["exact match"]["I_sparse"], [h2(2.0**-t) for t in T])
    for v in d.values():
        assert np.allclose(v["I_td_random"], v["I_dense"])
        assert np.all(v["I_dense"] <= np.minimum(v["H_xi"], v["steps_bound"]) + 1e-9)
    # cached results are copies: mutating one does not change the next call
    d["match count"]["I_dense"][:] = -1
    assert dense_scaling((1, 2, 3, 4))["match count"]["I_dense"][0] == 1.0


def test_potential_scaling_hand_derivation():
    p = potential_scaling((1, 2, 3, 4))
    T = p["T"]
    assert np.allclose(p["H_td"], [(t - 1) + h2(2.0**-t) for t in T])
    assert np.allclose(p["I_td_new"], p["I_G_new"])
    assert np.all(p["H_td"] <= p["levels_bound"] + 1e-9)


def test_scaling_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown family"):
        dense_scaling((1,), families=["jackpot"])
    with pytest.raises(ValueError, match="unknown family"):
        potential_scaling((1,), family="jackpot")
    with pytest.raises(ValueError, match="positive integer"):
        potential_scaling((0,))


# ----------------------------------------------------------------------------- learning phases
def test_learning_phases_identities_per_seed():
    fam = ib.match_count(ib.TokenMDP(2, 3))
    ph = learning_phases(fam, (0, 1, 4), seeds=2)
    for p in ph:
        s = p.per_seed
        assert np.allclose(s["I_new"], s["I_rewards_new"]) and np.allclose(s["I_new"], s["I_return_new"])
        assert np.all(s["I_td_xi"] <= s["I_data_xi"] + s["I_new"] + 1e-9)
        assert np.allclose(s["I_data_xi"] + s["H_xi_given_data"], 3.0)
    # before training: uniform policy, zero critic, no data: the prior numbers of the return
    g = ib.signal_bandwidth(fam, "return")
    assert ph[0].I_new == pytest.approx(g.I_S_xi_given_tau)
    assert ph[0].I_td_xi == pytest.approx(g.I_S_xi) and ph[0].I_data_xi == 0.0
    assert ph[0].episodes == 0 and ph[-1].episodes == 4


def test_learning_phase_state_is_the_learner_state():
    # one segment: the frozen state is exactly actor_critic's run with seed 1000·s + j
    fam = ib.exact_match(ib.TokenMDP(2, 2))
    ph = learning_phases(fam, (0, 3), seeds=[5])
    states = {}
    for x in range(4):
        c = ib.actor_critic(fam, x, n_updates=3, batch_size=1, lr_actor=2.0, lr_critic=0.5,
                            seed=5001, posterior=False, table="dense")
        states[x] = c
    # I(D; ξ) = H(D): group ξ by the data each would have produced
    sig = {x: (states[x].trajectories.tobytes(),
               fam.sparse_rewards(x)[states[x].trajectories].tobytes()) for x in range(4)}
    groups = defaultdict(float)
    for x in range(4):
        groups[sig[x]] += 0.25
    assert ph[1].I_data_xi == pytest.approx(-sum(w * math.log2(w) for w in groups.values()))
    # I(G; ξ | τ, D) = H(G | τ, D) by enumeration, each ξ with its own trained policy
    joint = defaultdict(float)
    for x in range(4):
        p_tau = ib.softmax_policy(fam.mdp, states[x].logits).trajectory_probs()
        for t in range(4):
            joint[(sig[x], t, fam.sparse_rewards(x)[t])] += 0.25 * p_tau[t]
    marg = defaultdict(float)
    for (d, t, _g), w in joint.items():
        marg[(d, t)] += w
    brute = H(list(joint.values())) - H(list(marg.values()))
    assert ph[1].I_return_new == pytest.approx(brute, abs=1e-9)


def test_learning_phases_rejects_bad_checkpoints():
    fam = ib.exact_match(ib.TokenMDP(2, 2))
    with pytest.raises(ValueError, match="increasing"):
        learning_phases(fam, (0, 4, 4))
    with pytest.raises(ValueError, match="empty"):
        learning_phases(fam, (0,), seeds=[])


def test_phase_table_trends():
    ph = phase_table()
    assert ph[-1].I_td_xi > ph[0].I_td_xi and ph[-1].I_new < ph[0].I_new
    assert phase_table() is ph  # cached


# ----------------------------------------------------------------------------- AR(1)
def test_ar1_closed_forms_against_log_det():
    rho, sigma, T = 0.6, 1.7, 6
    e = ar1_entropies(rho, sigma, T)
    v = sigma**2 / (1 - rho**2)
    Sigma = v * rho ** np.abs(np.subtract.outer(np.arange(T), np.arange(T)))
    h_joint = 0.5 * math.log2((2 * math.pi * math.e) ** T * np.linalg.det(Sigma))
    assert e["h_joint"] == pytest.approx(h_joint)
    assert e["h_marginal"] == pytest.approx(stats.norm(scale=math.sqrt(v)).entropy() / math.log(2))
    assert e["redundancy"] == pytest.approx(-0.5 * math.log2(1 - rho**2))
    assert e["h_joint"] == pytest.approx(
        stats.multivariate_normal(cov=Sigma).entropy() / math.log(2))


def test_quantised_sign_quantiser_closed_form():
    # a coarse grid is the sign of δ: H(Q) = 1 and H(Q_t|Q_{t-1}) = h(1/2 - arcsin(ρ)/π)
    for rho in (0.3, 0.7, 0.9):
        q = quantised_ar1(rho, 20.0)
        assert q.n_cells == 2
        assert q.H_marginal == pytest.approx(1.0, abs=1e-9)
        assert q.H_rate_upper == pytest.approx(h2(0.5 - math.asin(rho) / math.pi), abs=1e-6)
        s = math.sqrt(1 - rho**2)
        low, _ = integrate.quad(lambda x: stats.norm.pdf(x) * h2(stats.norm.cdf(rho * x / s)), -12, 12,
                                limit=200)
        assert q.H_rate_lower == pytest.approx(low, abs=1e-6)


def test_quantised_upper_bound_against_scipy_rectangles():
    rho, d = 0.7, 1.0
    q = quantised_ar1(rho, d)
    edges = np.r_[-np.inf, np.arange(-8, 9) * d, np.inf]
    edges = edges[(edges == -np.inf) | (edges == np.inf) | (np.abs(edges) <= 5)]
    mvn = stats.multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]])
    def cdf(a, b):
        return mvn.cdf([a, b]) if np.isfinite(a) and np.isfinite(b) else (
            stats.norm.cdf(b) if a == np.inf else stats.norm.cdf(a) if b == np.inf else 0.0)
    F = np.array([[cdf(a, b) for b in edges] for a in edges])
    P = F[1:, 1:] - F[:-1, 1:] - F[1:, :-1] + F[:-1, :-1]
    P = np.clip(P, 0, None)
    P /= P.sum()
    ref = H(P.ravel()) - H(P.sum(axis=1))
    assert q.H_rate_upper == pytest.approx(ref, abs=2e-4)  # cells beyond ±5 are merged in ref


def test_quantised_limits_and_order():
    q0 = quantised_ar1(0.0, 0.5)
    assert q0.H_rate_lower == pytest.approx(q0.H_marginal, abs=1e-9)
    assert q0.H_rate_upper == pytest.approx(q0.H_marginal, abs=1e-9)
    fine = quantised_ar1(0.7, 0.05)
    h = ar1_entropies(0.7, math.sqrt(0.51))
    assert fine.H_marginal + math.log2(0.05) == pytest.approx(h["h_marginal"], abs=2e-3)
    assert fine.H_rate_lower + math.log2(0.05) == pytest.approx(h["h_rate"], abs=2e-3)
    f = [quantised_ar1(r, 1.0).factor_bounds for r in (0.3, 0.6, 0.9)]
    assert f[0][0] < f[1][0] < f[2][0] and all(lo <= hi for lo, hi in f)
    lo, hi = fine.joint_bounds(5)
    assert fine.H_marginal + 4 * fine.H_rate_lower == pytest.approx(lo) and lo <= hi


def _ar1_R(rho, T):
    return rho ** np.abs(np.subtract.outer(np.arange(T), np.arange(T)))


@pytest.mark.parametrize("rho", [-0.6, 0.0, 0.3, 0.7, 0.95])
@pytest.mark.parametrize("T", [1, 2, 3, 7, 40])
def test_effective_samples_against_the_covariance_matrix(rho, T):
    R = _ar1_R(rho, T)
    ones = np.ones(T)
    e = ar1_effective_samples(rho, T)
    # the plain average has variance 1ᵀR1/T²; the best linear estimator of a common mean 1/(1ᵀR⁻¹1)
    assert ar1_correlation_sum(rho, T) == pytest.approx(ones @ R @ ones)
    assert e["n_eff_mean"] == pytest.approx(T**2 / (ones @ R @ ones))
    assert e["n_eff_best"] == pytest.approx(ones @ np.linalg.solve(R, ones))
    assert e["n_eff_mean"] <= e["n_eff_best"] + 1e-9         # Gauss–Markov: the best is no worse
    if rho >= 0:
        assert e["n_eff_best"] <= T + 1e-9                   # positive correlation never helps
    assert e["factor_limit"] == pytest.approx((1 + rho) / (1 - rho))
    # I(μ; μ·1 + η) for μ ~ N(0, snr): ½ log2 det(R + snr 11ᵀ) / det R, by log-determinants
    snr = 0.3
    _, ld_signal = np.linalg.slogdet(R + snr * np.outer(ones, ones))
    _, ld_noise = np.linalg.slogdet(R)
    i = ar1_shared_signal_information(rho, T, snr)
    assert i["I_correlated"] == pytest.approx((ld_signal - ld_noise) / (2 * math.log(2)))
    assert i["I_independent"] == pytest.approx(0.5 * math.log2(1 + snr * T))


def test_effective_samples_by_simulation():
    # the variance of the plain average of simulated AR(1) paths with unit marginal variance
    rho, T, n = 0.7, 20, 40_000
    rng = np.random.default_rng(3)
    x = np.empty((n, T))
    x[:, 0] = rng.normal(size=n)
    for t in range(1, T):
        x[:, t] = rho * x[:, t - 1] + math.sqrt(1 - rho**2) * rng.normal(size=n)
    var_mean = x.mean(axis=1).var()
    assert var_mean == pytest.approx(1 / ar1_effective_samples(rho, T)["n_eff_mean"], rel=0.03)


def test_shared_signal_ratio_between_one_and_the_sample_factor():
    # low snr: bits ≈ snr·n/(2 ln 2), so the ratio → T/n_eff; high snr: both ≈ ½ log2 snr, ratio → 1
    e = ar1_effective_samples(0.7, 100)
    low = ar1_shared_signal_information(0.7, 100, 1e-6)["ratio"]
    high = ar1_shared_signal_information(0.7, 100, 1e12)["ratio"]
    assert low == pytest.approx(e["factor_best"], rel=1e-3)
    assert 1 < high < 1.2
    with pytest.raises(ValueError, match="snr"):
        ar1_shared_signal_information(0.7, 10, 0.0)
    with pytest.raises(ValueError, match="T"):
        ar1_effective_samples(0.7, 0)
    with pytest.raises(ValueError, match="rho"):
        ar1_correlation_sum(1.0, 3)


@pytest.mark.parametrize("args, match", [((1.0, 1.0), "strictly between"), ((0.9995, 1.0), "0.999"),
                                         ((0.5, 0.001), "resolution"), ((0.5, 50.0), "resolution")])
def test_quantised_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        quantised_ar1(*args)


def test_ar1_bad_arguments():
    with pytest.raises(ValueError, match="sigma"):
        ar1_entropies(0.5, sigma=0.0)
    with pytest.raises(ValueError, match="rho"):
        ar1_entropies(-1.0)


# ----------------------------------------------------------------------------- learning curves
def test_learning_comparison_against_run_seeds():
    out = learning_comparison((2,), seeds=2, n_updates=20)
    fam = ib.exact_match(ib.TokenMDP(2, 2))
    s = ib.run_seeds("actor_critic", fam, "prior", 2, n_updates=20, batch_size=4, dense=True,
                     eval_every=2, posterior=True, lr_actor=4.0, lr_critic=1.0)
    assert out["actor-critic, dense"]["median"][0] == s.median_episodes
    assert set(out) == set(LEARNING_CONFIGS)


def test_episodes_to_identify():
    fam = ib.exact_match(ib.TokenMDP(2, 3))
    c = ib.actor_critic(fam, 5, n_updates=10, batch_size=2, dense=True, posterior=True)
    n = episodes_to_identify(c)
    k = int(np.flatnonzero(c.entropy_xi == 0)[0])
    assert n == c.episodes[k]
    c2 = ib.actor_critic(fam, 5, n_updates=2, batch_size=1, posterior=False)
    with pytest.raises(ValueError, match="posterior=True"):
        episodes_to_identify(c2)
    with pytest.raises(ValueError, match="TrainingCurve"):
        episodes_to_identify("curve")


# ----------------------------------------------------------------------------- claims
CLAIMS = ["ac-potential-bandwidth", "ac-t-times-more-information-sparse",
          "ac-t-times-more-information-dense", "td-terminal-step-constant", "critic-quality-table",
          "td-correlation-factor", "td-correlation-still-linear"]


@pytest.mark.parametrize("cid", CLAIMS)
def test_claims_registered_with_numbers(cid):
    r = evaluate(cid)
    assert r.section == "3.2" and r.numbers and r.evidence


def test_potential_bandwidth_verdict():
    r = evaluate("ac-potential-bandwidth")
    # exact match, V = 2, sparse reward, a critic with distinct values: δ_0..δ_{T−2} spell out the
    # first T−1 tokens (T−1 bits) and δ_{T−1} = R − V(s_{T−1}) adds whether τ = ξ, P = 2^−T
    H_td = {T: (T - 1) + h2(2.0**-T) for T in (1, 5)}
    assert r.numbers["H(δ) at T=1 [bits]"] == pytest.approx(H_td[1])
    assert r.numbers["H(δ) at T=5 [bits]"] == pytest.approx(H_td[5])
    assert r.numbers["slope [bits/step]"] == pytest.approx((H_td[5] - H_td[1]) / 4)
    # δ_t takes one value per prefix of length t+1 (2^{t+1}), the last 2·2^{T−1}: Σ = T(T+1)/2 bits
    assert r.numbers["Σ log2 levels at T=5 [bits]"] == pytest.approx(15.0)
    assert r.numbers["I(δ;ξ|τ,critic) at T=5 [bits]"] == pytest.approx(h2(2.0**-5))
    # H(δ) grows with T (0.8 bits per step) and stays far below the counting bound: holds
    assert r.verdict == "holds"


def test_t_times_more_sparse_verdict():
    r = evaluate("ac-t-times-more-information-sparse")
    # given τ and the critic, δ_{T−1} = R − V(s_{T−1}) and the earlier δ_t are known: the TD errors
    # are an invertible function of the return, so the ratio is exactly 1 on every instance
    assert r.numbers["instances"] == 3 * 2 * len(CRITIC_NAMES)
    assert r.numbers["min ratio"] == pytest.approx(1.0, abs=1e-9)
    assert r.numbers["max ratio"] == pytest.approx(1.0, abs=1e-9)
    assert r.numbers["max |I(δ;ξ|τ,critic) − I(G;ξ|τ,critic)| [bits]"] < 1e-9
    # no gain at all, let alone a factor T
    assert r.verdict == "fails" and r.rule == "factor"


def test_t_times_more_dense_verdict():
    r = evaluate("ac-t-times-more-information-dense")
    T = 5
    # dense rewards reveal each token's utility bit (per-position utilities), each match (match
    # count); with exact match only the first mismatch, H = Σ t 2^−t + T 2^−T = 2 − 2^{1−T}; with
    # shared utilities the utility of each token used, 2 bits unless τ repeats one token
    dense = {"per-position utilities": T, "match count": T,
             "shared utilities": 2 - 2.0 ** (1 - T), "exact match": 2 - 2.0 ** (1 - T)}
    for name, bits in dense.items():
        assert r.numbers[f"I(r;ξ|τ)/T at T={T}, {name}"] == pytest.approx(bits / T), name
    binom = H([math.comb(T, k) for k in range(T + 1)])           # G given τ: Binomial(T, 1/2)
    assert r.numbers[f"I(r;ξ|τ)/I(G;ξ|τ) at T={T}, match count"] == pytest.approx(T / binom)
    assert r.numbers[f"I(r;ξ|τ)/I(G;ξ|τ) at T={T}, exact match"] == pytest.approx(
        (2 - 2.0 ** (1 - T)) / h2(2.0**-T))
    assert r.numbers["max I(r;ξ|τ) − min(H(ξ), Σ log2 B_t) [bits]"] <= 1e-9
    # linear for two families, capped at 2 bits for the other two: O(T) is a ceiling
    assert r.verdict == "bound"


def test_terminal_step_verdict():
    r = evaluate("td-terminal-step-constant")
    # sparse reward: given τ and the critic, δ_t (t < T−1) is known and δ_{T−1} = R − V(s_{T−1}) is
    # R shifted: it tells what G tells, at most log2 B bits (B reward levels). A theorem.
    assert r.numbers["max I(δ_t;ξ|τ,critic), t < T−1 [bits]"] == pytest.approx(0.0, abs=1e-12)
    assert r.numbers["max |I(δ_last;ξ|τ,critic) − I(G;ξ|τ,critic)| [bits]"] < 1e-9
    assert r.numbers["max I(δ_last;ξ|τ,critic) − log2 B [bits]"] <= 1e-9
    assert r.verdict == "holds" and r.rule == "theorem"


def test_critic_quality_verdict():
    r = evaluate("critic-quality-table")
    # before training (uniform policy, zero critic, no data) on match count V=2, T=4: G given ξ is
    # Binomial(4, 1/2)/4 whatever ξ is, so I(δ;ξ) = 0, and the new information is H(G|τ) = H(Bin)
    assert r.numbers["after 0 updates: I(δ;ξ) [bits]"] == pytest.approx(0.0, abs=1e-12)
    first_new = H([math.comb(4, k) for k in range(5)])
    assert r.numbers["after 0 updates: I(δ;ξ|τ,D) [bits]"] == pytest.approx(first_new)
    # I(δ;ξ) rises, but what an episode adds falls from 2.03 bits: the effective bandwidth does
    # not rise with the critic, so the claim fails
    last = max(int(k.split()[1]) for k in r.numbers if k.startswith("after "))
    assert r.numbers[f"after {last} updates: I(δ;ξ) [bits]"] > 1.0
    assert r.numbers[f"after {last} updates: I(δ;ξ|τ,D) [bits]"] < first_new
    assert r.verdict == "fails" and r.rule == "rise"


def test_correlation_factor_verdict():
    r = evaluate("td-correlation-factor")
    rho = 0.7
    red = -0.5 * math.log2(1 - rho**2)
    assert r.numbers["redundancy −½log2(1−ρ²) [bits/step]"] == pytest.approx(red)
    for d in CORRELATION_RESOLUTIONS:
        lo, hi = (float(x) for x in r.numbers[f"factor at Δ = {d:g}σ"].split("–"))
        # H(Q_t) − H(Q_t | δ_{t−1}) = I(Q_t; δ_{t−1}) ≤ I(δ_t; δ_{t−1}) = red (data processing), so
        # the factor H(Q_t)/H(Q_t|·) is at most H(Q)/(H(Q) − red), with H(Q) of N(0,1) in cells of Δ
        edges = np.arange(-math.ceil(8.5 / d), math.ceil(8.5 / d) + 1) * d
        cdf = stats.norm.cdf(edges)
        cdf[0], cdf[-1] = 0.0, 1.0
        HQ = float(stats.entropy(np.diff(cdf), base=2))
        ceiling = HQ / (HQ - red)
        assert 1 - 1e-3 <= lo <= hi <= ceiling + 1e-3, d
        assert ceiling < 2, d                     # the claimed 2–5 is out of reach at every Δ
    assert r.numbers["entropy rate: place against 2–5"] == "below"
    # the second reading: T steps of a common mean in AR(1) noise are worth 1ᵀR⁻¹1 =
    # (T(1−ρ) + 2ρ)/(1+ρ) independent ones; T/n_eff ≥ 2 iff T ≥ 4ρ/(3ρ−1) = 2.55, ≤ 5 iff
    # T ≤ 10ρ/(6ρ−4) = 35, and → (1+ρ)/(1−ρ) = 17/3 per step
    assert r.numbers["effective samples: (1+ρ)/(1−ρ), T → ∞"] == pytest.approx(17 / 3)
    assert r.numbers["effective samples: T with T/n_eff in 2–5"] == (
        f"{math.ceil(4 * rho / (3 * rho - 1))}–{math.floor(10 * rho / (6 * rho - 4) + 1e-9)}")
    assert r.numbers["effective samples: T/n_eff at T = 5"] == pytest.approx(5 * 1.7 / (5 * 0.3 + 1.4))
    assert r.numbers["effective samples: place against 2–5"] == "above"
    # one reading puts the factor below the claimed range, the other above it
    assert r.verdict == "ill-defined" and r.rule == "reading"


def test_correlation_still_linear_verdict():
    r = evaluate("td-correlation-still-linear")
    # H(Q_t | δ_{t−1} = x) ≥ −log2 (largest cell probability) and δ_t | δ_{t−1} = x is
    # N(ρx, 1 − ρ²): no cell of width Δ holds more than 2Φ(Δ / (2√(1−ρ²))) − 1
    for rho in (0.5, 0.7, 0.9, 0.99):
        floor = -math.log2(2 * stats.norm.cdf(0.25 / (2 * math.sqrt(1 - rho**2))) - 1)
        assert r.numbers[f"entropy rate at ρ={rho:g}, Δ=0.25σ [bits/step] ≥"] >= floor - 1e-6 > 0
    # but with sparse rewards the new information falls from h(1/2) at T=1 to h(2^−5) at T=5
    assert r.numbers["I(δ;ξ|τ,critic) at T=1 / T=5, sparse [bits]"] == f"{h2(0.5):.3f} / {h2(2.0**-5):.3f}"
    # a linear ceiling, not linear information
    assert r.verdict == "bound"


# ----------------------------------------------------------------------------- §3.2's exercises
def test_exercise_solutions_against_plain_enumeration_and_closed_forms():
    """The checkers of the three §3.2 pages' from-scratch exercises, against oracles without the lib."""
    from infobandwidth.book.exercises import get
    from infobandwidth.book.exercises.actor_critic import (
        DENSE_T,
        NEFF_RHO,
        NEFF_T,
        TD_TABLE_CRITIC,
    )

    def H(values):
        counts = np.unique(np.asarray(values), axis=0, return_counts=True)[1]
        p = counts / counts.sum()
        return float(-(p * np.log2(p)).sum())

    def hb(q):
        return -q * math.log2(q) - (1 - q) * math.log2(1 - q)

    # TD-error table: exact match on 2 tokens, T = 3, the frozen critic, by plain loops
    strings = ["".join(s) for s in itertools.product("ab", repeat=3)]
    C = TD_TABLE_CRITIC
    table = {(xi, tau): tuple(round((float(tau == xi) if t == 2 else 0.0)
                                    + (C[tau[:t + 1]] if t < 2 else 0.0) - C[tau[:t]], 9)
                              for t in range(3))
             for xi in strings for tau in strings}
    H_td = H(list(table.values()))
    I_new = np.mean([H([table[xi, tau] for xi in strings]) for tau in strings])
    assert I_new == pytest.approx(hb(1 / 8))                     # only δ_2 varies, a 1/8 coin
    assert get("actor-critic/td-table").solution() == pytest.approx((H_td, I_new))
    assert H_td > I_new + 1                                     # the trajectory shows through
    # dense exact match: the first mismatch, 2 - 2^(1-T) bits; the return, a 2^-T coin
    assert get("actor-critic/dense-information").solution() == pytest.approx(
        (2 - 2.0 ** (1 - DENSE_T), hb(2.0**-DENSE_T)))
    # effective samples: the closed form, and one over the variance of the plain average
    rho, T = NEFF_RHO, NEFF_T
    corr_sum = sum(rho ** abs(i - j) for i in range(T) for j in range(T))
    assert get("actor-critic/effective-samples").solution() == pytest.approx(
        ((T * (1 - rho) + 2 * rho) / (1 + rho), T**2 / corr_sum))
