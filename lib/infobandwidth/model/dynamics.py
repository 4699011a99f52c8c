"""A small MDP whose transitions are unknown: a Dirichlet prior over every ``P(· | s, a)`` (§4.7).

Used in §4.7 (agentic RL and model-based methods). In the token MDP of §2.1 the next state is the
prefix with the new token appended, known in advance; here the environment answers with a random
next state drawn from a distribution the learner does not know.

Conventions
-----------
* States are ``0 .. n_states − 1`` (the state space 𝒮), actions ``0 .. n_actions − 1`` (𝒜). Every
  episode starts in ``start`` and takes ``T`` steps: ``s_0, a_0, s_1, ..., a_{T−1}, s_T``.
* The **transition kernel** ``P`` is an array of shape ``(|𝒮|, |𝒜|, |𝒮|)``, ``P[s, a, s'] =
  P(s' | s, a)``. Its prior makes the rows independent, ``P(· | s, a) ~ Dirichlet(α_{s,a})`` with
  ``α_{s,a} = alpha[s, a]``; a symmetric prior gives every ``α_{sas'}`` one common value ``α₀``.
* The **reward** is sparse and terminal: ``R_ξ(s_T)``, from a table ``rewards[ξ, s]`` with a prior
  over ξ independent of ``P``. The default is the goal-state family: ``ξ`` is a goal state, uniform
  over 𝒮, and ``R_ξ(s) = 1`` if ``s = ξ``, else 0.
* The behaviour policy is a table ``policy[s, a] = π(a | s)`` (default uniform). It does not depend
  on ``P`` or ξ.
* Episodes are enumerated in lexicographic order of ``(a_0, s_1, a_1, s_2, ..., a_{T−1}, s_T)``:
  :meth:`DirichletMDP.episodes` returns the actions, shape ``(n, T)``, and the states, shape
  ``(n, T + 1)`` with column 0 equal to ``start``.

Under the prior the episode has the Dirichlet-multinomial (Pólya urn) probability

    p(τ) = Π_t π(a_t | s_t) · Π_{s,a} [Γ(A_{sa}) / Γ(A_{sa} + N_{sa})] Π_{s'} [Γ(α_{sas'} + N_{sas'}) / Γ(α_{sas'})],

with ``N_{sas'}`` the number of transitions ``(s, a) → s'`` in the episode, ``N_{sa} = Σ_{s'} N_{sas'}``
the observations of the pair and ``A_{sa} = Σ_{s'} α_{sas'}``; step by step, the next state is ``s'``
with probability ``(α_{sas'} + N_{sas'}) / (A_{sa} + N_{sa})`` given the counts so far, which is how
:meth:`DirichletMDP.episode_probabilities` computes it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from infobandwidth.base.numerics import round_observations
from infobandwidth.base.validate import (
    as_array,
    check_enumerable,
    check_int,
    check_prior,
    check_stochastic,
    rng_from_seed,
)
from infobandwidth.information.dirichlet import check_concentration

__all__ = [
    "MAX_EPISODES",
    "DirichletMDP",
    "goal_rewards",
]

#: Largest number of episodes ``(|𝒜|·|𝒮|)^T`` a :class:`DirichletMDP` enumerates.
MAX_EPISODES = 500_000


def goal_rewards(n_states: int) -> np.ndarray:
    """The goal-state reward table: ``rewards[ξ, s] = 1`` if ``s = ξ``, shape ``(|𝒮|, |𝒮|)``.

    Examples
    --------
    >>> goal_rewards(3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    n = check_int(n_states, "n_states", 1, "an MDP has at least one state")
    return np.eye(n)


class DirichletMDP:
    """A finite MDP with unknown transitions (Dirichlet prior) and an unknown terminal reward (§4.7).

    Parameters
    ----------
    n_states : int
        ``|𝒮| ≥ 2``.
    n_actions : int
        ``|𝒜| ≥ 1``.
    horizon : int
        ``T ≥ 1`` steps per episode.
    alpha : float or array_like, shape (|𝒮|, |𝒜|, |𝒮|)
        Dirichlet concentrations ``α_{sas'}`` of every ``P(· | s, a)``; a number is the common
        concentration ``α₀`` of a symmetric prior, the same value everywhere (``α₀ = 1``: uniform on
        the simplex; small ``α₀``: nearly deterministic but unknown transitions).
    start : int
        The initial state ``s_0``.
    policy : array_like, shape (|𝒮|, |𝒜|), optional
        ``π(a | s)``; default uniform.
    rewards : array_like, shape (|Ξ|, |𝒮|), optional
        ``R_ξ(s)`` paid at the last state; default :func:`goal_rewards`.
    reward_prior : array_like, shape (|Ξ|,), optional
        ``p(ξ)``; default uniform.

    Raises
    ------
    ValueError
        On a wrong size or shape, a non-positive concentration, a policy row that is not a
        distribution, or more than :data:`MAX_EPISODES` episodes to enumerate.

    Examples
    --------
    >>> mdp = DirichletMDP(2, 1, 2)
    >>> mdp.n_episodes, mdp.n_xi
    (4, 2)
    >>> mdp.episodes()[1].tolist()
    [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1]]
    >>> mdp.episode_probabilities().round(4).tolist()      # Pólya urn: a repeat is more likely
    [0.3333, 0.1667, 0.25, 0.25]
    """

    def __init__(self, n_states: int, n_actions: int, horizon: int, *, alpha: Any = 1.0,
                 start: int = 0, policy: Any = None, rewards: Any = None,
                 reward_prior: Any = None) -> None:
        S = check_int(n_states, "n_states", 2, "with one state there are no transitions to learn")
        A = check_int(n_actions, "n_actions", 1, "an MDP has at least one action")
        T = check_int(horizon, "horizon", 1, "an episode takes at least one step")
        self.n_episodes = (A * S) ** T
        check_enumerable(self.n_episodes, MAX_EPISODES, f"the set of episodes (|𝒜|·|𝒮|)^T = "
                         f"({A}·{S})^{T}", "fewer states, actions or steps, or the sampled estimates "
                         "of infobandwidth.signals.model_based")
        self.n_states, self.n_actions, self.T = S, A, T
        a = np.full((S, A, S), float(alpha)) if np.ndim(alpha) == 0 else as_array(alpha, name="alpha")
        if a.shape != (S, A, S):
            raise ValueError(f"alpha must be a number or an array of shape (|𝒮|, |𝒜|, |𝒮|) = "
                             f"{(S, A, S)}, got shape {a.shape}")
        self.alpha = check_concentration(a).copy()
        self.start = check_int(start, "start", 0, "the start state is a state index")
        if self.start >= S:
            raise ValueError(f"start must be a state in 0..{S - 1}, got {self.start}")
        if policy is None:
            pol = np.full((S, A), 1.0 / A)
        else:
            pol = as_array(policy, name="policy", ndim=2)
            if pol.shape != (S, A):
                raise ValueError(f"policy must have shape (|𝒮|, |𝒜|) = {(S, A)}, got {pol.shape}")
            check_stochastic(pol, name="policy")
        self.policy = np.array(pol, dtype=np.float64)
        rew = goal_rewards(S) if rewards is None else as_array(rewards, name="rewards", ndim=2)
        if rew.shape[1] != S or not np.all(np.isfinite(rew)):
            raise ValueError(f"rewards must be a finite table of shape (|Ξ|, |𝒮| = {S}), one row per ξ; "
                             f"got shape {rew.shape}")
        self.rewards = round_observations(rew)
        self.n_xi = self.rewards.shape[0]
        self.reward_prior = check_prior(reward_prior, self.n_xi)
        for arr in (self.alpha, self.policy, self.rewards, self.reward_prior):
            arr.flags.writeable = False
        self._cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return (f"DirichletMDP(|𝒮|={self.n_states}, |𝒜|={self.n_actions}, T={self.T}, "
                f"|Ξ|={self.n_xi})")

    # -- enumeration
    def episodes(self) -> tuple[np.ndarray, np.ndarray]:
        """Every episode: ``(actions, states)`` of shapes ``(n, T)`` and ``(n, T + 1)``."""
        if "episodes" not in self._cache:
            S, A, T = self.n_states, self.n_actions, self.T
            idx = np.arange(self.n_episodes)
            digits = np.empty((self.n_episodes, 2 * T), dtype=np.int64)
            for pos in range(2 * T - 1, -1, -1):   # (a_0, s_1, a_1, s_2, ...): alternate bases A, S
                base = A if pos % 2 == 0 else S
                digits[:, pos] = idx % base
                idx //= base
            actions = digits[:, 0::2]
            states = np.empty((self.n_episodes, T + 1), dtype=np.int64)
            states[:, 0] = self.start
            states[:, 1:] = digits[:, 1::2]
            actions.flags.writeable = False
            states.flags.writeable = False
            self._cache["episodes"] = (actions, states)
        return self._cache["episodes"]

    def policy_probabilities(self) -> np.ndarray:
        """``Π_t π(a_t | s_t)`` for every episode, shape ``(n,)``."""
        actions, states = self.episodes()
        return np.prod(self.policy[states[:, :-1], actions], axis=1)

    def episode_probabilities(self, kernel: Any = None) -> np.ndarray:
        """``p(τ)`` for every episode: under the prior (``kernel=None``) or given a kernel ``P``.

        Parameters
        ----------
        kernel : array_like, shape (|𝒮|, |𝒜|, |𝒮|) or (m, |𝒮|, |𝒜|, |𝒮|), optional
            Transition kernels; with ``m`` kernels the result has shape ``(m, n)``.

        Returns
        -------
        numpy.ndarray
            Probabilities summing to 1 over the ``n`` episodes (per kernel).
        """
        actions, states = self.episodes()
        pol = self.policy_probabilities()
        s, a, s1 = states[:, :-1], actions, states[:, 1:]
        if kernel is None:
            if "marginal" not in self._cache:
                n = self.n_episodes
                counts = np.zeros((n, self.n_states, self.n_actions, self.n_states))
                rows = np.arange(n)
                p = pol.copy()
                A_sa = self.alpha.sum(axis=-1)
                for t in range(self.T):
                    c = counts[rows, s[:, t], a[:, t]]
                    num = self.alpha[s[:, t], a[:, t], s1[:, t]] + c[rows, s1[:, t]]
                    p *= num / (A_sa[s[:, t], a[:, t]] + c.sum(axis=1))
                    counts[rows, s[:, t], a[:, t], s1[:, t]] += 1
                p.flags.writeable = False
                self._cache["marginal"] = p
            return self._cache["marginal"]
        P = as_array(kernel, name="kernel")
        shape = (self.n_states, self.n_actions, self.n_states)
        if P.shape[-3:] != shape or P.ndim not in (3, 4):
            raise ValueError(f"kernel must have shape {shape} or (m,) + {shape}, got {P.shape}")
        check_stochastic(P, name="kernel")
        return pol * np.prod(P[..., s, a, s1], axis=-1)

    # -- sampling
    def sample_kernels(self, m: int, seed: int) -> np.ndarray:
        """``m`` kernels drawn from the prior, shape ``(m, |𝒮|, |𝒜|, |𝒮|)`` (seeded).

        Examples
        --------
        >>> DirichletMDP(2, 1, 1).sample_kernels(3, seed=0).sum(axis=-1).round(12).tolist()
        [[[1.0], [1.0]], [[1.0], [1.0]], [[1.0], [1.0]]]
        """
        m = check_int(m, "m", 1, "draw at least one kernel")
        rng = rng_from_seed(seed)
        g = rng.standard_gamma(np.broadcast_to(self.alpha, (m,) + self.alpha.shape))
        return g / g.sum(axis=-1, keepdims=True)

    def sample_goals(self, m: int, seed: int) -> np.ndarray:
        """``m`` reward parameters ξ drawn from the reward prior (seeded), shape ``(m,)``."""
        m = check_int(m, "m", 1, "draw at least one ξ")
        return rng_from_seed(seed).choice(self.n_xi, size=m, p=self.reward_prior)
