"""Tests of exact Bayesian updating (§2.2) against Bayes' rule written out with plain loops."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from infobandwidth.model.mdp import TokenMDP, softmax_policy, uniform_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import exact_match, match_count, token_utility
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.observer import BayesLearner, expected_posterior_entropy, posterior
from infobandwidth.signals.signals import NoisySignal, QuantisedReturn


def entropy(p):
    return -sum(x * math.log2(x) for x in p if x > 0)


def brute_posterior(prior, R, episodes, eps=None, levels=None):
    """Bayes' rule with loops: p(ξ|D) ∝ p(ξ) Π p(s_i | τ_i, ξ)."""
    post = []
    for x, p in enumerate(prior):
        for tau, s in episodes:
            g = R[x][tau]
            if eps is None:
                p *= 1.0 if g == s else 0.0
            else:  # symmetric noise over the return levels
                K = len(levels)
                p *= (1 - eps) if levels.index(g) == s else eps / (K - 1)
        post.append(p)
    z = sum(post)
    return [p / z for p in post]


@pytest.mark.parametrize("seed", range(5))
def test_posterior_matches_loops_deterministic_signal(seed):
    rng = np.random.default_rng(seed)
    mdp = TokenMDP(3, 2)
    fam = match_count(mdp, prior=rng.dirichlet(np.ones(9)))
    R = fam.sparse_table().tolist()
    xi = int(rng.integers(9))
    eps = [(int(t), R[xi][int(t)]) for t in rng.integers(0, 9, size=3)]
    post = posterior(fam, eps)
    np.testing.assert_allclose(post, brute_posterior(fam.prior, R, eps), atol=1e-12)
    assert post[xi] > 0


@pytest.mark.parametrize("seed", range(5))
def test_posterior_matches_loops_noisy_signal(seed):
    rng = np.random.default_rng(seed)
    mdp = TokenMDP(2, 3)
    fam = match_count(mdp)  # returns 0, 1/3, 2/3, 1
    levels = list(fam.return_levels())
    R = fam.sparse_table().tolist()
    episodes = [(int(t), int(s)) for t, s in zip(rng.integers(0, 8, 4), rng.integers(0, 4, 4))]
    learner = BayesLearner(fam, NoisySignal(eps=0.3))
    for tau, s in episodes:
        learner.update(tau, levels[s])  # a square channel takes observations as return values
    np.testing.assert_allclose(learner.posterior,
                               brute_posterior(fam.prior, R, episodes, eps=0.3, levels=levels), atol=1e-12)
    assert len(learner.history) == 4
    assert learner.reset().posterior.tolist() == fam.prior.tolist()


def test_learner_by_hand_and_pi_star_posterior():
    # token_utility V=2, T=1: ξ = (u[a], u[b]). Play "a", see G = 1: ξ ∈ {(1,0), (1,1)}, both with
    # π* = a (the second by tie-breaking): H(ξ|D) = 1 bit but H(π*|D) = 0.
    learner = BayesLearner(token_utility(TokenMDP(2, 1)))
    learner.update("a", 1.0)
    assert learner.posterior.tolist() == [0, 0, 0.5, 0.5]
    assert learner.entropy_xi == pytest.approx(1.0)
    assert learner.entropy_pi_star == 0.0
    assert learner.p_pi_star.tolist() == [1.0, 0.0]


def test_quantised_observations_are_bins():
    fam = match_count(TokenMDP(2, 3))
    post = posterior(fam, [("aaa", 1)], QuantisedReturn(2))  # at least 2 of 3 positions match
    R = fam.sparse_table()[:, 0]
    assert np.allclose(post > 0, R >= 0.5)


def test_impossible_observation_is_an_error():
    learner = BayesLearner(exact_match(TokenMDP(2, 2)))
    learner.update("ab", 1.0)
    with pytest.raises(ValueError, match="has probability 0 under every ξ"):
        learner.update("ab", 0.0)
    with pytest.raises(ValueError, match="return 2 is not a value of this family"):
        learner.update("ab", 2)
    with pytest.raises(ValueError, match="trajectory index must lie in 0..3"):
        learner.update(7, 1.0)


def test_run_uniform_prior_entropy_never_increases():
    learner = BayesLearner(match_count(TokenMDP(2, 3), levels=2))
    curve = learner.run(uniform_policy(TokenMDP(2, 3)), xi=5, n_episodes=15, seed=1)
    assert len(curve.entropy_xi) == 16 and curve.entropy_xi[0] == 3.0
    assert np.all(np.diff(curve.entropy_xi) <= 1e-12)  # uniform on a shrinking consistent set
    assert learner.posterior[5] > 0
    assert np.all(curve.entropy_pi_star <= curve.entropy_xi + 1e-12)


def test_learn_noisy_needs_seed():
    learner = BayesLearner(exact_match(TokenMDP(2, 1)), NoisySignal(eps=0.1))
    with pytest.raises(ValueError, match="needs seed"):
        learner.learn("a", 0)
    learner.learn("a", 0, seed=3)
    assert len(learner.history) == 1


# ----------------------------------------------------------------------------- expected entropy
def brute_expected_entropy(fam, policy, n_episodes, eps=None):
    """E[H(ξ|D_N)] and E[H(π*|D_N)] summing over ξ and every sequence of (τ, s), with loops."""
    R = fam.sparse_table().tolist()
    levels = list(fam.return_levels())
    p_tau = policy.trajectory_probs().tolist()
    classes = optimal_policies(fam).classes.tolist()
    K = len(levels)
    outs = range(K)
    hx = hp = 0.0
    taus = [t for t in range(len(p_tau)) if p_tau[t] > 0]
    for seq in itertools.product(itertools.product(taus, outs), repeat=n_episodes):
        # p(D) = Σ_ξ p(ξ) Π p(τ_i) p(s_i | τ_i, ξ)
        joint = []
        for x, px in enumerate(fam.prior):
            q = px
            for tau, s in seq:
                g = levels.index(R[x][tau])
                like = (1.0 if g == s else 0.0) if eps is None else ((1 - eps) if g == s else eps / (K - 1))
                q *= p_tau[tau] * like
            joint.append(q)
        pd = sum(joint)
        if pd == 0:
            continue
        post = [q / pd for q in joint]
        pc = [0.0] * (max(classes) + 1)
        for x, q in enumerate(post):
            pc[classes[x]] += q
        hx += pd * entropy(post)
        hp += pd * entropy(pc)
    return hx, hp


@pytest.mark.parametrize("eps", [None, 0.2])
def test_expected_posterior_entropy_exact_matches_loops(eps):
    mdp = TokenMDP(2, 2)
    fam = token_utility(mdp, (0.0, 1.0), shared=True, prior=[0.1, 0.2, 0.3, 0.4])
    pol = softmax_policy(mdp, np.random.default_rng(0).normal(size=(3, 2)))
    sig = "return" if eps is None else NoisySignal(eps=eps)
    curve = expected_posterior_entropy(fam, sig, pol, n_episodes=3, method="exact")
    assert curve.method == "exact"
    for n in range(4):
        hx, hp = brute_expected_entropy(fam, pol, n, eps)
        assert curve.xi[n] == pytest.approx(hx, abs=1e-9)
        assert curve.pi_star[n] == pytest.approx(hp, abs=1e-9)
    assert curve.episodes.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("signal", ["return", "dense", NoisySignal(eps=0.25)])
def test_one_episode_removes_the_bandwidth(signal):
    # E[H(ξ | τ, S)] = H(ξ) - I(S; ξ | τ): the link between §2.2 and §2.5
    mdp = TokenMDP(3, 2)
    fam = match_count(mdp, levels=2)
    pol = softmax_policy(mdp, np.random.default_rng(2).normal(size=(mdp.n_prefixes, 3)))
    b = signal_bandwidth(fam, signal, pol)
    c = expected_posterior_entropy(fam, signal, pol, n_episodes=1)
    assert c.xi[0] - c.xi[1] == pytest.approx(b.I_S_xi_given_tau)
    assert c.pi_star[0] - c.pi_star[1] == pytest.approx(b.I_S_pi_given_tau)


@pytest.mark.parametrize("signal", ["return", NoisySignal(eps=0.2)])
def test_sampled_expected_entropy_within_four_standard_errors(signal):
    mdp = TokenMDP(2, 3)
    fam = match_count(mdp, levels=3)
    exact = expected_posterior_entropy(fam, signal, n_episodes=3, method="exact")
    est = expected_posterior_entropy(fam, signal, n_episodes=3, method="sample", n_runs=3000, seed=4)
    assert est.method == "sample"
    assert est.xi[0] == exact.xi[0] and est.xi_stderr[0] == 0
    for n in range(1, 4):
        assert abs(est.xi[n] - exact.xi[n]) <= 4 * est.xi_stderr[n]
        assert abs(est.pi_star[n] - exact.pi_star[n]) <= 4 * est.pi_star_stderr[n]


def test_auto_switches_to_sampling_when_exact_is_too_large(monkeypatch):
    import infobandwidth.signals.observer as bayes

    monkeypatch.setattr(bayes, "MAX_EXACT_CELLS", 50)
    fam = exact_match(TokenMDP(2, 3))
    with pytest.raises(ValueError, match="needs seed"):
        expected_posterior_entropy(fam, n_episodes=2)
    assert expected_posterior_entropy(fam, n_episodes=2, seed=0, n_runs=50).method == "sample"
    with pytest.raises(ValueError, match="use method='sample'"):
        expected_posterior_entropy(fam, n_episodes=2, method="exact")


def test_expected_entropy_bad_input():
    fam = exact_match(TokenMDP(2, 2))
    with pytest.raises(ValueError, match="unknown method 'mcmc'"):
        expected_posterior_entropy(fam, method="mcmc")
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        expected_posterior_entropy(fam, method="sample", seed="1")
    with pytest.raises(ValueError, match="n_episodes must be an integer >= 0"):
        expected_posterior_entropy(fam, n_episodes=-1)
    with pytest.raises(ValueError, match="family must be a RewardFamily"):
        BayesLearner(None)
