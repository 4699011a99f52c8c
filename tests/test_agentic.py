"""§4.7: Dirichlet information, the MDP with unknown dynamics, and its claims, against oracles."""
from __future__ import annotations

import math
from itertools import product

import numpy as np
import pytest
import scipy.integrate
import scipy.special as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from infobandwidth.information.dirichlet import (
    digamma,
    dirichlet_accumulated_information,
    dirichlet_expected_entropy,
    dirichlet_information_asymptote,
    dirichlet_information_gain,
)
from infobandwidth.model.dynamics import DirichletMDP
from infobandwidth.signals.model_based import (
    accumulated_dynamics_information,
    dynamics_information,
    model_free_information,
)


@given(st.floats(1e-3, 1e3))
def test_digamma_matches_scipy(x):
    assert abs(float(digamma(x)) - ss.digamma(x)) < 1e-11 * max(1.0, abs(ss.digamma(x)))


def test_beta_expected_entropy_by_quadrature():
    for a, b in ((1, 1), (0.5, 2.0), (3.0, 7.0)):
        f = lambda q: -(q * np.log2(q) + (1 - q) * np.log2(1 - q)) * q**(a - 1) * (1 - q)**(b - 1) \
            / ss.beta(a, b)  # noqa: E731
        assert abs(scipy.integrate.quad(f, 0, 1, limit=200)[0] - dirichlet_expected_entropy([a, b])) < 1e-7


@given(st.lists(st.floats(0.05, 20), min_size=2, max_size=5))
def test_gain_below_log_k_and_positive(alpha):
    g = dirichlet_information_gain(alpha)
    assert 0 < g < math.log2(len(alpha))


def _direct_accumulated(alpha, n):
    """I(X_1..X_n; p) = H(X^n) − n E[H(p)], with Dirichlet-multinomial sequence probabilities (scipy)."""
    a = np.asarray(alpha, float)
    tot = 0.0
    for c in product(range(n + 1), repeat=len(a)):
        if sum(c) != n:
            continue
        c = np.array(c)
        log_seq = ss.gammaln(a + c).sum() - ss.gammaln(a.sum() + n) - ss.gammaln(a).sum() + ss.gammaln(a.sum())
        log_mult = ss.gammaln(n + 1) - ss.gammaln(c + 1).sum()
        tot -= math.exp(log_mult + log_seq) * log_seq
    return tot / math.log(2) - n * dirichlet_expected_entropy(a)


@pytest.mark.parametrize("alpha", [[1, 1], [0.5, 2, 1], [0.3, 0.3, 0.3, 0.3]])
def test_accumulated_information_against_direct_formula(alpha):
    curve = dirichlet_accumulated_information(alpha, 10)
    for n in (1, 4, 10):
        assert abs(curve[n] - _direct_accumulated(alpha, n)) < 1e-10


def test_asymptote_is_approached():
    curve = dirichlet_accumulated_information([1, 1], 2000)
    assert abs(curve[-1] - dirichlet_information_asymptote([1, 1], 2000)) < 2e-3


def test_too_many_counts_refused():
    with pytest.raises(ValueError, match="above the limit"):
        dirichlet_accumulated_information([1, 1, 1, 1, 1], 100)
    with pytest.raises(ValueError, match="positive"):
        dirichlet_information_gain([1, -1])


def test_episode_probabilities_closed_form_and_kernel_average():
    mdp = DirichletMDP(3, 2, 2, alpha=[[[0.5, 1, 2]] * 2] * 3)
    actions, states = mdp.episodes()
    p = mdp.episode_probabilities()
    assert abs(p.sum() - 1) < 1e-12
    # closed form: policy × Π_{s,a} B(α + n)/B(α) with scipy's gammaln
    for i in range(0, mdp.n_episodes, 7):
        counts = np.zeros((3, 2, 3))
        for t in range(2):
            counts[states[i, t], actions[i, t], states[i, t + 1]] += 1
        a = mdp.alpha
        log = (ss.gammaln(a + counts).sum() - ss.gammaln(a).sum()
               - ss.gammaln(a.sum(-1) + counts.sum(-1)).sum() + ss.gammaln(a.sum(-1)).sum())
        assert abs(p[i] - 0.25 * math.exp(log)) < 1e-12
    # and the Monte Carlo average of p(E | P) over kernels from the prior
    mc = mdp.episode_probabilities(mdp.sample_kernels(20000, seed=1)).mean(axis=0)
    assert np.abs(mc - p).max() < 0.01


def test_too_many_episodes_refused():
    with pytest.raises(ValueError, match="above the limit"):
        DirichletMDP(10, 4, 5)


def test_dynamics_information_single_pair_equals_coin():
    # one action, T steps that all start in state 0 only if the chain stays: use T = 1 and 2 states
    info = dynamics_information(DirichletMDP(2, 1, 1))
    assert abs(info.I_dynamics - (1 - 1 / (2 * math.log(2)))) < 1e-12
    assert abs(info.I_reward - 1) < 1e-12


def test_dynamics_information_is_entropy_difference():
    # I(τ; P) = H(τ) − H(policy) − E_P[H(next states | P)], the last by Monte Carlo over kernels
    mdp = DirichletMDP(2, 2, 2)
    info = dynamics_information(mdp)
    p = mdp.episode_probabilities()
    H_tau = -(p * np.log2(p)).sum()
    pe = mdp.episode_probabilities(mdp.sample_kernels(40000, seed=2))
    H_given = -(pe * np.log2(pe)).sum(axis=1)
    est, se = H_tau - H_given.mean(), H_given.std(ddof=1) / math.sqrt(len(H_given))
    assert abs(info.I_dynamics - est) < 4 * se


def test_model_free_exact_at_one_step():
    # T = 1: given ξ the return is Bernoulli(P(ξ | s0, a)), whose law is Beta(α_ξ, A − α_ξ) (aggregation)
    mdp = DirichletMDP(3, 2, 1)
    out = model_free_information(mdp, 4000, seed=3)
    pg = 1 / 3
    H_AG = 1 + (-(pg * math.log2(pg) + (1 - pg) * math.log2(1 - pg)))
    exact = H_AG - 1 - dirichlet_expected_entropy([1, 2])
    assert abs(out["model_free"].value - exact) < 4 * out["model_free"].stderr
    assert abs(out["model_based"].value - dynamics_information(mdp).I_total) < 4 * out["model_based"].stderr


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 1000))
def test_data_processing_model_free_below_model_based(seed):
    mdp = DirichletMDP(2, 2, 2, alpha=0.5)
    out = model_free_information(mdp, 300, seed=seed)
    assert out["model_free"].value <= dynamics_information(mdp).I_total


def test_accumulation_matches_exact_single_pair():
    acc = accumulated_dynamics_information(DirichletMDP(2, 1, 1), 8, n_runs=2000, seed=4)
    exact = dirichlet_accumulated_information([1, 1], 8)
    assert np.all(np.abs(acc.dynamics - exact) <= 4 * acc.dynamics_stderr + 1e-12)
    assert abs(acc.reward[-1] - 1) < 0.05


def test_claim_verdicts():
    from infobandwidth.book.claims.registry import evaluate
    from infobandwidth.book.experiments.agentic import episode_rows, token_advantage

    r = evaluate("agentic-t-log-s")
    rows = episode_rows()
    potential_holds = all(x.H_next >= 0.5 * x.ceiling for x in rows)
    information_below = all(x.I_dynamics < 0.5 * x.ceiling for x in rows)
    assert potential_holds and information_below and r.verdict == "ill-defined"
    r = evaluate("agentic-model-based-advantage")
    assert token_advantage()["advantage"] == 0 and r.verdict == "holds"
