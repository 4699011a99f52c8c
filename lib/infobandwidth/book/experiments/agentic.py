"""The instances and runs of §4.7, agentic RL and model-based methods (``book/part4/agentic.md``).

* :data:`INSTANCE` — the chapter's MDP with unknown dynamics: three states, two actions, a uniform
  Dirichlet prior on every ``P(· | s, a)`` (symmetric, common concentration α₀ = 1), the goal-state
  reward, a uniform behaviour policy;
* :func:`episode_rows` — bits per episode about ``P`` and ξ, exact, and the model-free learner's
  bits, sampled, for horizons ``T = 1..4``;
* :func:`pair_curves` — what ``N_{s,a}`` observations of one ``(s, a)`` pair tell about
  ``P(· | s, a)``, exact, with the Clarke–Barron asymptote;
* :func:`mdp_accumulation` — ``I(D_N; P)`` and ``I(D_N; ξ)`` over ``N`` episodes of the instance,
  sampled with standard errors;
* :func:`token_advantage` — the model-based advantage on the token MDP of §2.1 (known, deterministic
  transitions), exact.

The argument ``alpha`` is α₀, the common concentration of a symmetric Dirichlet prior (a plain α is
the learning rate in the book). Runs are cached: the chapter, its claims and its figures share them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from infobandwidth.information.dirichlet import (
    dirichlet_accumulated_information,
    dirichlet_information_asymptote,
)
from infobandwidth.model.dynamics import DirichletMDP
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import match_count
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.model_based import (
    accumulated_dynamics_information,
    dynamics_information,
    model_free_information,
)
from infobandwidth.signals.signals import CallableSignal

__all__ = [
    "INSTANCE",
    "HORIZONS",
    "N_KERNELS",
    "ACCUMULATION",
    "PAIR_DRAWS",
    "SEED",
    "instance",
    "EpisodeRow",
    "episode_rows",
    "pair_curves",
    "mdp_accumulation",
    "token_advantage",
]

#: The chapter's MDP: |𝒮| = 3 states, |𝒜| = 2 actions, Dirichlet(1, 1, 1) on every P(·|s,a)
#: (``alpha`` is the common concentration α₀ = 1).
INSTANCE = {"n_states": 3, "n_actions": 2, "alpha": 1.0}
#: Horizons of the per-episode table.
HORIZONS = (1, 2, 3, 4)
#: Kernels drawn for the model-free learner's bits.
N_KERNELS = 1000
#: Episodes and simulated learners of the accumulation run (horizon 3).
ACCUMULATION = {"horizon": 3, "n_episodes": 512, "n_runs": 200}
#: Observations ``N_{s,a}`` of one (s, a) pair for the exact per-pair curves, keyed by the number of
#: next states ``|𝒮|``.
PAIR_DRAWS = {2: 512, 3: 128}
#: The seed of every sampled number of the chapter.
SEED = 0


def instance(horizon: int = 3, **overrides) -> DirichletMDP:
    """The chapter's :class:`~infobandwidth.model.dynamics.DirichletMDP` with horizon ``T``."""
    kw = dict(INSTANCE, **overrides)
    return DirichletMDP(kw.pop("n_states"), kw.pop("n_actions"), horizon, **kw)


@dataclass(frozen=True)
class EpisodeRow:
    """One horizon of the per-episode table, in bits."""

    T: int
    ceiling: float
    H_next: float
    I_dynamics: float
    I_reward: float
    I_total: float
    model_free: float
    model_free_stderr: float


@lru_cache(maxsize=None)
def _row(T: int, n_states: int, alpha: float, n_kernels: int) -> EpisodeRow:
    mdp = instance(T, n_states=n_states, alpha=alpha)
    info = dynamics_information(mdp)
    mf = model_free_information(mdp, n_kernels, seed=SEED)["model_free"]
    return EpisodeRow(T, info.ceiling, info.H_next_states, info.I_dynamics, info.I_reward,
                      info.I_total, mf.value, mf.stderr)


def episode_rows(horizons=HORIZONS, *, n_states: int = INSTANCE["n_states"],
                 alpha: float = INSTANCE["alpha"], n_kernels: int = N_KERNELS) -> list[EpisodeRow]:
    """Bits per episode for each horizon: the ceiling ``T log2|𝒮|``, the next states' entropy, the
    exact ``I(τ; P)``, ``I(G; ξ | τ)`` and their sum, and the sampled ``I(a_{0:T−1}, G; P, ξ)``, under
    a symmetric Dirichlet prior with common concentration ``alpha`` = α₀."""
    return [_row(int(T), int(n_states), float(alpha), int(n_kernels)) for T in horizons]


@lru_cache(maxsize=None)
def pair_curves() -> dict[int, dict[str, np.ndarray]]:
    """For each number of next states ``|𝒮|`` (uniform prior, α₀ = 1): the exact
    ``I(s'_1..s'_N; P(·|s,a))`` for ``N = N_{s,a} = 1..`` (key ``"n"``), and the Clarke–Barron
    asymptote at the same ``N_{s,a}``."""
    out = {}
    for n_next, n_obs in PAIR_DRAWS.items():
        alpha = np.ones(n_next)
        exact = dirichlet_accumulated_information(alpha, n_obs)
        ns = np.arange(1, n_obs + 1)
        out[n_next] = {"n": ns, "exact": exact[1:],
                  "asymptote": np.asarray(dirichlet_information_asymptote(alpha, ns))}
    return out


@lru_cache(maxsize=None)
def mdp_accumulation():
    """``I(D_N; P)`` and ``I(D_N; ξ)`` of the instance (horizon 3) for ``N`` up to 512, sampled."""
    mdp = instance(ACCUMULATION["horizon"])
    return accumulated_dynamics_information(mdp, ACCUMULATION["n_episodes"], ACCUMULATION["n_runs"],
                                            seed=SEED)


@lru_cache(maxsize=None)
def token_advantage(V: int = 2, T: int = 3) -> dict[str, float]:
    """On the token MDP (match count, uniform prior and policy): what the model-based learner's
    observation (every next state and the return) and the model-free one's (the return) tell about
    ξ given the tokens, exactly, and the difference."""
    family = match_count(TokenMDP(V, T))
    table = family.sparse_table()                   # (V^T, |Ξ|)
    index = {tuple(int(x) for x in row): i for i, row in enumerate(family.mdp.trajectories())}

    def states_and_return(tokens, xi):
        # s_1, ..., s_T are the prefixes: the environment's answer is known in advance
        return (tuple(tokens[:t] for t in range(1, T + 1)), float(table[index[tokens], xi]))

    mb = signal_bandwidth(family, CallableSignal(states_and_return, name="next states and return"))
    mf = signal_bandwidth(family, "return")
    return {"model_based": mb.I_S_xi_given_tau, "model_free": mf.I_S_xi_given_tau,
            "advantage": mb.I_S_xi_given_tau - mf.I_S_xi_given_tau,
            "H_model_based": mb.H_S, "H_model_free": mf.H_S}
