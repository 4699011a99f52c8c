"""What an episode of an MDP with unknown dynamics tells a model-based and a model-free learner (§4.7).

Used in §4.7 (agentic RL and model-based methods), on a
:class:`~infobandwidth.model.dynamics.DirichletMDP`: unknown transitions ``P`` with a Dirichlet prior,
an unknown terminal reward ``R_ξ(s_T)`` with a prior over ξ, independent of ``P``.

An episode shows the learner its trajectory ``τ = (s_0, a_0, s_1, ..., a_{T−1}, s_T)`` (its actions
``a_{0:T−1}`` and the next states ``s_{1:T}``) and its return ``G = R_ξ(s_T)``. Because the behaviour
policy depends on neither ``P`` nor ξ, and ``G`` depends on ``P`` only through ``s_T``, the chain
rule splits what a **model-based** learner (one that uses every part of the episode) learns into two
terms:

    I(τ, G; P, ξ) = I(τ; P) + I(G; ξ | τ),

bits about the dynamics from the next states, and bits about the task from the reward. A
**model-free** learner that learns from its actions and the return only sees ``(a_{0:T−1}, G)``, a
function of ``(τ, G)``; by the data-processing inequality ``I(a_{0:T−1}, G; P, ξ) ≤ I(τ, G; P, ξ)``.

* :func:`dynamics_information` — the two terms exactly, by enumerating episodes; the dynamics term
  by the chain rule, ``Σ_t E[ I(s_{t+1}; P | past) ]``, each term the expected information gain of a
  Dirichlet posterior (:func:`~infobandwidth.information.dirichlet.dirichlet_information_gain`);
* :func:`model_free_information` — ``I(a, G; P, ξ) = H(a, G) − E_P[H(a, G | P, ξ)]`` with
  ``a = a_{0:T−1}``: the first term
  exact, the second a Monte Carlo mean over kernels drawn from the prior (exact in ξ), with its
  standard error;
* :func:`accumulated_dynamics_information` — ``I(D_N; P)`` and ``I(D_N; ξ)`` over ``N`` episodes, by
  simulating learners (seeded) and adding the *exact* expected gain of every step given its past (a
  Rao–Blackwellised estimate). The ξ posterior is updated through
  :func:`~infobandwidth.signals.observer.condition`, the package's one update rule.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from infobandwidth.base.numerics import (
    ZERO_BITS,
    clean_bits,
    entropy_bits,
    row_entropy_bits,
    same_observation_codes,
)
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import check_int, rng_from_seed
from infobandwidth.information.dirichlet import digamma, dirichlet_information_gain
from infobandwidth.model.dynamics import DirichletMDP
from infobandwidth.model.mdp import Estimate
from infobandwidth.signals.observer import condition

__all__ = [
    "DynamicsInformation",
    "dynamics_information",
    "model_free_information",
    "AccumulatedDynamics",
    "accumulated_dynamics_information",
]


def _check_mdp(mdp) -> DirichletMDP:
    if not isinstance(mdp, DirichletMDP):
        raise ValueError(f"mdp must be a DirichletMDP, got {type(mdp).__name__}; build one with "
                         "infobandwidth.model.dynamics.DirichletMDP(n_states, n_actions, horizon)")
    return mdp


def _reward_level_probs(mdp: DirichletMDP, weights: np.ndarray) -> np.ndarray:
    """p(R = level | s_T = s) under weights over ξ: shape (|𝒮|, levels) (or (m, |𝒮|, levels))."""
    codes, levels = same_observation_codes(mdp.rewards)        # (|Ξ|, |𝒮|)
    onehot = (codes[..., None] == np.arange(len(levels))).astype(np.float64)   # (|Ξ|, |𝒮|, L)
    return np.einsum("...x,xsl->...sl", weights, onehot)


@dataclass(frozen=True)
class DynamicsInformation:
    """Exact information of one episode of a :class:`~infobandwidth.model.dynamics.DirichletMDP` (§4.7).

    Attributes
    ----------
    I_dynamics : float
        ``I(τ; P)``: bits about the transitions, from the next states.
    I_reward : float
        ``I(G; ξ | τ)``: bits about the task, from the terminal reward.
    I_total : float
        ``I(τ, G; P, ξ)``, their sum: what a model-based learner can extract.
    H_next_states : float
        ``Σ_t H(s_{t+1} | past)``: the entropy of the next states given the learner's own choices
        (the potential bandwidth of observing them).
    H_reward : float
        ``H(G | τ)``, the potential of the reward (equal to ``I_reward``: the reward is a function
        of ``s_T`` and ξ).
    ceiling : float
        ``T log2 |𝒮|``: the article's ``O(T log|𝒮|)`` read as a number.
    per_step : numpy.ndarray, shape (T,)
        ``E[I(s_{t+1}; P | past)]`` for each step.
    """

    I_dynamics: float
    I_reward: float
    I_total: float
    H_next_states: float
    H_reward: float
    ceiling: float
    per_step: np.ndarray


def dynamics_information(mdp: DirichletMDP) -> DynamicsInformation:
    """Exact bits per episode about the dynamics and about the reward (§4.7), by enumeration.

    Parameters
    ----------
    mdp : DirichletMDP

    Returns
    -------
    DynamicsInformation

    Examples
    --------
    One step, two next states, a uniform prior on ``P(· | s_0, a)`` (``α₀ = 1``): the next state tells
    ``1 − 1/(2 ln 2)`` bits about the kernel, and the goal reward ``H_b(1/2) = 1`` bit about ξ.

    >>> from infobandwidth.model.dynamics import DirichletMDP
    >>> info = dynamics_information(DirichletMDP(2, 1, 1))
    >>> round(info.I_dynamics, 6), round(info.I_reward, 6), info.ceiling
    (0.278652, 1.0, 1.0)
    """
    mdp = _check_mdp(mdp)
    actions, states = mdp.episodes()
    p = mdp.episode_probabilities()
    n, T = len(p), mdp.T
    S, A = mdp.n_states, mdp.n_actions
    counts = np.zeros((n, S, A, S))
    rows = np.arange(n)
    per_step = np.zeros(T)
    H_next = 0.0
    for t in range(T):
        s, a, s1 = states[:, t], actions[:, t], states[:, t + 1]
        post = mdp.alpha[s, a] + counts[rows, s, a]                  # Dirichlet posterior, (n, |𝒮|)
        per_step[t] = float(p @ np.asarray(dirichlet_information_gain(post)))
        H_next += float(p @ row_entropy_bits(post / post.sum(axis=1, keepdims=True)))
        counts[rows, s, a, s1] += 1
    # the reward: a function of (s_T, ξ), so I(G; ξ | τ) = H(G | s_T) averaged over s_T
    p_end = np.bincount(states[:, -1], weights=p, minlength=S)
    H_R_given_s = row_entropy_bits(_reward_level_probs(mdp, mdp.reward_prior))
    I_reward = clean_bits(float(p_end @ H_R_given_s))
    I_dyn = clean_bits(float(per_step.sum()))
    return DynamicsInformation(I_dynamics=I_dyn, I_reward=I_reward, I_total=I_dyn + I_reward,
                               H_next_states=clean_bits(H_next), H_reward=I_reward,
                               ceiling=T * math.log2(S), per_step=per_step)


def _model_free_codes(mdp: DirichletMDP) -> tuple[np.ndarray, np.ndarray, int]:
    """Per episode the index of its action sequence; per (ξ, episode) the reward level."""
    actions, states = mdp.episodes()
    A, T = mdp.n_actions, mdp.T
    a_code = (actions * (A ** np.arange(T - 1, -1, -1))).sum(axis=1)
    codes, levels = same_observation_codes(mdp.rewards)
    return a_code, codes[:, states[:, -1]], len(levels)


def _cells(a_code: np.ndarray, g_code: np.ndarray, n_g: int, n_cells: int) -> np.ndarray:
    """One-hot matrix (episodes × (actions, G) cells) of the cell each episode lands in."""
    onehot = np.zeros((len(a_code), n_cells))
    onehot[np.arange(len(a_code)), a_code * n_g + g_code] = 1.0
    return onehot


def model_free_information(mdp: DirichletMDP, n_kernels: int = 2000, *, seed: int) -> dict:
    """``I(a_{0:T−1}, G; P, ξ)`` of a learner that uses its actions and the return only (§4.7), sampled.

    With ``a = a_{0:T−1}``, ``I(a, G; P, ξ) = H(a, G) − E_{P, ξ}[H(a, G | P, ξ)]``: ``H(a, G)`` is exact
    (episodes enumerated under the Dirichlet-multinomial marginal), the expectation is a mean over
    ``n_kernels`` kernels drawn from the prior, exact in ξ. The same kernels give a sampled
    ``I(τ, G; P, ξ)`` of the
    model-based learner, for comparison with the exact :func:`dynamics_information`.

    Parameters
    ----------
    mdp : DirichletMDP
    n_kernels : int
        Kernels drawn from the prior.
    seed : int

    Returns
    -------
    dict
        ``"model_free"`` and ``"model_based"``: :class:`~infobandwidth.model.mdp.Estimate` in bits;
        ``"advantage"``: the exact ``I(τ, G; P, ξ)`` minus the sampled ``I(a, G; P, ξ)``, as an
        Estimate.

    Examples
    --------
    >>> from infobandwidth.model.dynamics import DirichletMDP
    >>> out = model_free_information(DirichletMDP(3, 1, 2), n_kernels=500, seed=0)
    >>> out["advantage"].value > 4 * out["advantage"].stderr
    True
    """
    mdp = _check_mdp(mdp)
    m = check_int(n_kernels, "n_kernels", 2, "a standard error needs at least two kernels")
    mdp_kernels = mdp.sample_kernels(m, seed)
    a_code, g_code, n_g = _model_free_codes(mdp)
    n_cells = mdp.n_actions ** mdp.T * n_g
    w = mdp.reward_prior
    onehots = [_cells(a_code, g_code[x], n_g, n_cells) for x in range(len(w))]   # one per ξ
    p_marg = mdp.episode_probabilities()
    H_AG = entropy_bits(sum(wx * (p_marg @ oh) for wx, oh in zip(w, onehots)))
    H_E = entropy_bits(p_marg)
    H_R_given_s = row_entropy_bits(_reward_level_probs(mdp, w))
    _, states = mdp.episodes()
    cond_mf = np.zeros(m)
    cond_mb = np.zeros(m)
    for lo in progress(range(0, m, 256), total=-(-m // 256), desc="kernels"):
        p_e = mdp.episode_probabilities(mdp_kernels[lo:lo + 256])          # (batch, episodes)
        for wx, oh in zip(w, onehots):
            if wx > 0:
                cond_mf[lo:lo + 256] += wx * row_entropy_bits(p_e @ oh)
        # given P and ξ the reward is fixed by s_T: H(τ, G | P, ξ) = H(τ | P)
        cond_mb[lo:lo + 256] = row_entropy_bits(p_e)
    mf = H_AG - cond_mf
    mb = H_E + float(np.bincount(states[:, -1], weights=p_marg, minlength=mdp.n_states) @ H_R_given_s) \
        - cond_mb
    exact_mb = dynamics_information(mdp).I_total
    se = lambda x: float(x.std(ddof=1) / math.sqrt(m))      # noqa: E731
    return {"model_free": Estimate(float(mf.mean()), se(mf), m),
            "model_based": Estimate(float(mb.mean()), se(mb), m),
            "advantage": Estimate(exact_mb - float(mf.mean()), se(mf), m)}


@dataclass(frozen=True)
class AccumulatedDynamics:
    """``I(D_N; P)`` and ``I(D_N; ξ)`` for ``N = 0, 1, ...`` episodes, sampled with standard errors (§4.7).

    Attributes
    ----------
    dynamics, dynamics_stderr : numpy.ndarray, shape (N + 1,)
        Bits about the transitions after ``N`` episodes (index ``N``), and their standard errors.
    reward, reward_stderr : numpy.ndarray, shape (N + 1,)
        Bits about ξ, and their standard errors.
    visits : numpy.ndarray, shape (N + 1,)
        Mean number of visits of the least visited (s, a) pair (how far the asymptote is).
    n_runs : int
    """

    dynamics: np.ndarray
    dynamics_stderr: np.ndarray
    reward: np.ndarray
    reward_stderr: np.ndarray
    visits: np.ndarray
    n_runs: int


def accumulated_dynamics_information(mdp: DirichletMDP, n_episodes: int, n_runs: int = 200, *,
                                     seed: int) -> AccumulatedDynamics:
    """What ``N`` episodes tell about ``P`` and about ξ, by simulating ``n_runs`` learners (§4.7).

    Each run draws ``P`` and ξ from their priors and plays the behaviour policy for ``N`` episodes.
    At every step it adds the exact expected gain of the next state given the counts so far,
    :func:`~infobandwidth.information.dirichlet.dirichlet_information_gain` of the posterior, and at
    every episode's end the entropy of the reward under the current posterior over ξ. By the chain
    rule the means over runs are unbiased estimates of ``I(D_N; P)`` and ``I(D_N; ξ)``.

    Parameters
    ----------
    mdp : DirichletMDP
    n_episodes : int
        ``N``.
    n_runs : int
        Simulated learners (at least 2, for a standard error).
    seed : int

    Returns
    -------
    AccumulatedDynamics

    Examples
    --------
    >>> from infobandwidth.model.dynamics import DirichletMDP
    >>> from infobandwidth.information.dirichlet import dirichlet_accumulated_information
    >>> acc = accumulated_dynamics_information(DirichletMDP(2, 1, 1), 4, n_runs=400, seed=0)
    >>> exact = dirichlet_accumulated_information([1, 1], 4)       # one coin (α₀ = 1), tossed 4 times
    >>> bool(abs(acc.dynamics[4] - exact[4]) < 4 * acc.dynamics_stderr[4])
    True
    """
    mdp = _check_mdp(mdp)
    N = check_int(n_episodes, "n_episodes", 1, "count at least one episode")
    R = check_int(n_runs, "n_runs", 2, "a standard error needs at least two runs")
    rng = rng_from_seed(seed)
    S, A, T = mdp.n_states, mdp.n_actions, mdp.T
    kernels = mdp.sample_kernels(R, int(rng.integers(2**31)))
    goals = mdp.sample_goals(R, int(rng.integers(2**31)))
    codes, levels = same_observation_codes(mdp.rewards)            # (|Ξ|, |𝒮|)
    L = len(levels)
    counts = np.zeros((R, S, A, S))
    W = np.tile(mdp.reward_prior, (R, 1))
    runs = np.arange(R)
    dyn = np.zeros((R, N + 1))
    rew = np.zeros((R, N + 1))
    H_xi = entropy_bits(mdp.reward_prior)
    visits = np.zeros(N + 1)
    cum_policy = np.cumsum(mdp.policy, axis=1)
    # ψ tables for the exact gain of a Dirichlet posterior α_{s,a} + c with integer counts c ≤ N·T
    # (the same formula as dirichlet_information_gain, looked up instead of recomputed)
    top = N * T + 1
    psi_next = digamma(mdp.alpha[..., None] + 1.0 + np.arange(top))        # ψ(α_sas' + c + 1)
    psi_total = digamma(mdp.alpha.sum(axis=-1)[..., None] + 1.0 + np.arange(top))
    cols = np.arange(S)[None, :]
    for n in progress(range(N), total=N, desc="episodes"):
        s = np.full(R, mdp.start)
        gain = np.zeros(R)
        for _t in range(T):
            a = (rng.random(R)[:, None] > cum_policy[s]).sum(axis=1).clip(max=A - 1)
            c = counts[runs, s, a].astype(np.int64)                 # (R, |𝒮|) counts so far
            post = mdp.alpha[s, a] + c
            total = post.sum(axis=1)
            expected_h = psi_total[s, a, c.sum(axis=1)] - (
                post / total[:, None] * psi_next[s[:, None], a[:, None], cols, c]).sum(axis=1)
            gain += np.maximum(row_entropy_bits(post / total[:, None]) - expected_h / math.log(2), 0.0)
            cum_p = np.cumsum(kernels[runs, s, a], axis=1)
            s1 = (rng.random(R)[:, None] > cum_p).sum(axis=1).clip(max=S - 1)
            counts[runs, s, a, s1] += 1
            s = s1
        dyn[:, n + 1] = dyn[:, n] + gain
        # the reward: its entropy under the current belief about ξ is what it tells, in expectation
        obs_codes = codes[:, s].T                                    # (R, |Ξ|): level each ξ would pay
        p_level = np.zeros((R, L))
        np.add.at(p_level, (np.repeat(runs, mdp.n_xi), obs_codes.reshape(-1)), W.reshape(-1))
        h = row_entropy_bits(p_level)
        for r in np.flatnonzero(h > ZERO_BITS):                      # only informative episodes
            W[r] = condition(W[r], obs_codes[r][:, None], np.array([codes[goals[r], s[r]]]))
        rew[:, n + 1] = H_xi - row_entropy_bits(W)                   # H(ξ) − H(ξ | D_n), per run
        visits[n + 1] = counts.sum(axis=-1).reshape(R, -1).min(axis=1).mean()
    se = lambda x: x.std(axis=0, ddof=1) / math.sqrt(R)      # noqa: E731
    return AccumulatedDynamics(dynamics=dyn.mean(axis=0), dynamics_stderr=se(dyn),
                               reward=rew.mean(axis=0), reward_stderr=se(rew), visits=visits,
                               n_runs=R)
