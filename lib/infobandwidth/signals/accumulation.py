"""Information accumulation: how many bits ``N`` episodes deliver to the ideal Bayesian learner (§4.2).

The article sums what each episode adds (§4.2),

    I_total(N) = Σ_{i=1..N} I(S_i; ξ | τ_i, D_{i-1}),

with ``D_{i-1}`` the episodes before the ``i``-th. When the behaviour policy depends on the past
only (never on ξ itself) the trajectory carries no information about ξ, and the chain rule turns the
sum into a difference of two entropies:

    I_total(N) = I(ξ; D_N) = H(ξ) − E[H(ξ | D_N)].

So the accumulated information is read off the expected posterior entropies, and the ``i``-th term
(the bits the ``i``-th episode is *expected* to add, the article's ``c`` at step ``i``) is the drop
``E[H(ξ | D_{i-1})] − E[H(ξ | D_i)]``. The same holds with π* in place of ξ, with the ceiling
``H(π*)`` instead of ``H(ξ)``.

Two behaviour policies are built in, and any fixed :class:`~infobandwidth.model.mdp.Policy` is
accepted:

``"uniform"``             every token uniformly at random, whatever was seen (a learner that
                          does not exploit what it knows);
``"posterior_sampling"``  draw ``ξ' ~ p(ξ | D)`` and play π*_{ξ'} (Thompson sampling): the learner
                          acts on its belief, as a policy-gradient learner does once it has learned.

Exact or sampled
----------------
``method="exact"`` enumerates every reachable posterior, merging identical ones, so the numbers are
exact expectations over ξ, trajectories and signals. A fixed policy goes through the vectorised
recursion of :func:`~infobandwidth.signals.observer.expected_posterior_entropy`; posterior sampling
updates each reachable posterior with :func:`~infobandwidth.signals.observer.condition`, the
package's one update rule, and stops with :data:`MAX_EXACT_UPDATES` updates per episode.
``method="sample"`` simulates ``n_runs`` learners (true ξ drawn from the prior) and reports means with
standard errors; it needs a ``seed``. ``"auto"`` is exact when that fits, else sampled.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infobandwidth.base.numerics import ZERO_BITS, entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import check_int, check_prior, rng_from_seed
from infobandwidth.model.mdp import Policy, check_policy, uniform_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import RewardFamily, check_family
from infobandwidth.signals.observer import condition, expected_posterior_entropy
from infobandwidth.signals.signals import Signal, as_signal

__all__ = [
    "ACCUMULATION_POLICIES",
    "MAX_EXACT_UPDATES",
    "Accumulation",
    "information_accumulation",
]

#: Behaviour policies :func:`information_accumulation` knows by name.
ACCUMULATION_POLICIES = ("uniform", "posterior_sampling")
#: Largest number of Bayes updates of the exact posterior-sampling recursion (all episodes; ~1 s).
MAX_EXACT_UPDATES = 60_000
#: Decimals at which two posteriors of the exact recursion are the same state.
_MERGE_DECIMALS = 12


@dataclass(frozen=True)
class Accumulation:
    """Expected information accumulated over ``N`` episodes by the ideal Bayesian learner (§4.2).

    Attributes
    ----------
    entropy_xi, entropy_pi_star : numpy.ndarray, shape (N+1,)
        ``E[H(ξ | D_n)]`` and ``E[H(π* | D_n)]`` for ``n = 0 .. N``.
    xi_stderr, pi_star_stderr : numpy.ndarray, shape (N+1,)
        Their standard errors (zeros when exact).
    policy : str
        ``"uniform"``, ``"posterior_sampling"`` or the name of the fixed policy.
    method : str
        ``"exact"`` or ``"sample"``.
    n_levels : int
        ``B``, the number of values the observed signal can take: ``log2 B`` caps every term.
    n_runs : int
        Learners simulated (0 when exact).
    seed : int or None
        The seed of the sampled estimate.

    Examples
    --------
    >>> a = Accumulation(np.array([2.0, 1.0, 0.0]), np.array([2.0, 1.0, 0.0]), np.zeros(3),
    ...                  np.zeros(3), "uniform", "exact", 2, 0, None)
    >>> a.total_xi.tolist(), a.new_xi.tolist(), a.N
    ([0.0, 1.0, 2.0], [1.0, 1.0], 2)
    """

    entropy_xi: np.ndarray
    entropy_pi_star: np.ndarray
    xi_stderr: np.ndarray
    pi_star_stderr: np.ndarray
    policy: str
    method: str
    n_levels: int
    n_runs: int
    seed: int | None

    @property
    def N(self) -> int:
        """The number of episodes."""
        return len(self.entropy_xi) - 1

    @property
    def episodes(self) -> np.ndarray:
        """``0 .. N``."""
        return np.arange(self.N + 1)

    @property
    def H_xi(self) -> float:
        """``H(ξ)`` before the first episode: the ceiling of :attr:`total_xi`."""
        return float(self.entropy_xi[0])

    @property
    def H_pi_star(self) -> float:
        """``H(π*)`` before the first episode: the ceiling of :attr:`total_pi_star`."""
        return float(self.entropy_pi_star[0])

    @property
    def total_xi(self) -> np.ndarray:
        """``I_total(n)`` about ξ, ``H(ξ) − E[H(ξ | D_n)]``, for ``n = 0 .. N``."""
        return _clean(self.H_xi - self.entropy_xi)

    @property
    def total_pi_star(self) -> np.ndarray:
        """``I_total(n)`` about π*, ``H(π*) − E[H(π* | D_n)]``, for ``n = 0 .. N``."""
        return _clean(self.H_pi_star - self.entropy_pi_star)

    @property
    def new_xi(self) -> np.ndarray:
        """Expected new bits about ξ of episode ``i = 1 .. N``: ``I(S_i; ξ | τ_i, D_{i-1})``."""
        return _clean(-np.diff(self.entropy_xi))

    @property
    def new_pi_star(self) -> np.ndarray:
        """Expected new bits about π* of episode ``i = 1 .. N``."""
        return _clean(-np.diff(self.entropy_pi_star))

    @property
    def log2_levels(self) -> float:
        """``log2 B``: no episode adds more."""
        return float(np.log2(self.n_levels))

    def linear_regime(self, c: float | None = None) -> np.ndarray:
        """The episode counts ``n ≥ 1`` with ``n · c < H(π*)``: the article's early regime.

        Parameters
        ----------
        c : float, optional
            Bits per episode; default the first episode's new bits about π*.

        Returns
        -------
        numpy.ndarray of int
        """
        c = float(self.new_pi_star[0]) if c is None else float(c)
        if not c > 0:
            return np.zeros(0, dtype=np.int64)
        n = np.arange(1, self.N + 1)
        return n[n * c < self.H_pi_star - ZERO_BITS]

    def episodes_to(self, share: float) -> int:
        """Fewest episodes after which ``I_total`` about π* reaches ``share · H(π*)``; ``-1`` if never."""
        if not 0 < share <= 1:
            raise ValueError(f"share must lie in (0, 1], got {share!r}")
        hit = np.flatnonzero(self.total_pi_star >= share * self.H_pi_star - 1e-9)
        return int(hit[0]) if hit.size else -1


def _clean(a: np.ndarray) -> np.ndarray:
    return np.where(np.abs(a) < 1e-9, 0.0, a)


class _TooLarge(Exception):
    pass


def information_accumulation(
    family: RewardFamily,
    policy: Any = "uniform",
    episodes: int = 10,
    *,
    signal: Signal | str | None = None,
    method: str = "auto",
    n_runs: int = 1000,
    seed: int | None = None,
    prior: Any = None,
) -> Accumulation:
    """``I_total(n)`` and the new bits of every episode, ``n = 0 .. episodes``, for the ideal learner (§4.2).

    Parameters
    ----------
    family : RewardFamily
        The task family; ξ is drawn from its prior (or ``prior``).
    policy : {"uniform", "posterior_sampling"} or Policy
        The behaviour policy (see the module docstring). A ``Policy`` is played unchanged.
    episodes : int
        ``N`` (≥ 1).
    signal : Signal or str, optional
        What the learner observes (default: the return ``G``, what REINFORCE sees). Posterior
        sampling needs a deterministic signal.
    method : {"auto", "exact", "sample"}
        Exact expectation over every outcome, or a Monte Carlo estimate with standard errors.
    n_runs : int
        Learners simulated by the sampled estimate.
    seed : int, optional
        Seed of the sampled estimate (required when it is used).
    prior : array_like, optional
        The learner's belief before the first episode (default: the family's prior).

    Returns
    -------
    Accumulation

    Raises
    ------
    ValueError
        An unknown policy name or method, fewer than one episode, a noisy signal with posterior
        sampling, ``method="exact"`` on an instance too large to enumerate, or sampling without
        an integer ``seed``.

    Examples
    --------
    A hidden string of ``T = 2`` binary tokens (2 bits). Posterior sampling tries strings it has not
    ruled out, so it knows ξ after three episodes:

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> a = information_accumulation(exact_match(TokenMDP(2, 2)), "posterior_sampling", episodes=4)
    >>> a.method, a.total_xi.round(4).tolist()
    ('exact', [0.0, 0.8113, 1.5, 2.0, 2.0])
    >>> a.new_xi.round(4).tolist()          # h(1/4), then (3/4)·h(1/3), then (1/2)·h(1/2)
    [0.8113, 0.6887, 0.5, 0.0]

    The uniform policy repeats itself and learns more slowly:

    >>> information_accumulation(exact_match(TokenMDP(2, 2)), episodes=2).total_xi.round(4).tolist()
    [0.0, 0.8113, 1.3278]
    """
    check_family(family)
    N = check_int(episodes, "episodes", 1, "use at least one episode")
    if method not in ("auto", "exact", "sample"):
        raise ValueError(f"unknown method {method!r}; valid: 'auto', 'exact', 'sample'")
    w = family.prior.copy() if prior is None else check_prior(prior, family.n_xi).copy()
    bound = as_signal(signal).bind(family)
    if isinstance(policy, str):
        if policy not in ACCUMULATION_POLICIES:
            raise ValueError(f"unknown policy {policy!r}; give one of {', '.join(ACCUMULATION_POLICIES)} "
                             "or a Policy")
        name = policy
    else:
        check_policy(policy, family.mdp)
        if not isinstance(policy, Policy):
            raise ValueError(f"policy must be a name or a Policy, got {type(policy).__name__}")
        name = policy.name
    if name != "posterior_sampling":
        pol = uniform_policy(family.mdp) if isinstance(policy, str) else policy
        curve = expected_posterior_entropy(family, signal, pol, N, method=method, n_runs=n_runs,
                                           seed=seed, prior=w)
        return Accumulation(curve.xi, curve.pi_star, curve.xi_stderr, curve.pi_star_stderr, name,
                            curve.method, bound.K_obs, 0 if curve.method == "exact" else n_runs,
                            None if curve.method == "exact" else seed)
    if bound.channel is not None:
        raise ValueError("posterior sampling is computed for deterministic signals only (the "
                         "learner updates by restriction); use a fixed policy for a noisy signal")
    if method in ("auto", "exact"):
        try:
            hx, hp = _exact_posterior_sampling(family, bound, w, N)
            z = np.zeros(N + 1)
            return Accumulation(hx, hp, z, z.copy(), name, "exact", bound.K_obs, 0, None)
        except _TooLarge as exc:
            if method == "exact":
                raise ValueError(
                    f"the exact recursion needs {exc.args[0]} Bayes updates in one episode, above "
                    f"{MAX_EXACT_UPDATES}; use method='sample' with a seed (or fewer episodes)"
                ) from None
    if seed is None:
        raise ValueError("the sampled estimate needs seed=<int> (method='sample' or a large case)")
    runs = check_int(n_runs, "n_runs", 2, "use at least 2 runs")
    hx, hp, sx, sp = _sampled_posterior_sampling(family, bound, w, N, runs, seed)
    return Accumulation(hx, hp, sx, sp, name, "sample", bound.K_obs, runs, seed)


def _ps_setup(family, bound, w):
    opt = optimal_policies(family)
    taus = opt.class_trajectory  # the trajectories posterior sampling can play
    codes = bound.codes(np.arange(family.n_xi), taus)  # (n_xi, n_classes)
    return opt, taus, codes


def _class_entropy(P: np.ndarray, opt) -> float:
    return entropy_bits(np.bincount(opt.classes, weights=P, minlength=opt.n_classes))


def _exact_posterior_sampling(family, bound, w, N):
    opt, taus, codes = _ps_setup(family, bound, w)
    K = bound.K_obs
    states = [w]
    probs = np.ones(1)
    hx = [entropy_bits(w)]
    hp = [_class_entropy(w, opt)]
    for _ in range(N):
        # posterior sampling plays class c with the posterior mass of the ξ whose π* is c
        play = np.stack([np.bincount(opt.classes, weights=P, minlength=opt.n_classes) for P in states])
        index: dict[bytes, int] = {}
        new_states: list[np.ndarray] = []
        new_probs: list[float] = []
        n_updates = 0
        for P, pr, row in zip(states, probs, play):
            for c in np.flatnonzero(row > 0):
                col = codes[:, c]
                pk = np.bincount(col, weights=P, minlength=K)
                outcomes = np.flatnonzero(pk > 0)
                n_updates += len(outcomes)
                if n_updates > MAX_EXACT_UPDATES:
                    raise _TooLarge(f"more than {n_updates}")
                for k in outcomes:
                    post = condition(P, col[:, None], np.array([k]))
                    key = np.round(post, _MERGE_DECIMALS).tobytes()
                    mass = pr * row[c] * pk[k]
                    if key in index:
                        new_probs[index[key]] += mass
                    else:
                        index[key] = len(new_states)
                        new_states.append(post)
                        new_probs.append(mass)
        states, probs = new_states, np.array(new_probs)
        hx.append(float(sum(p * entropy_bits(P) for P, p in zip(states, probs))))
        hp.append(float(sum(p * _class_entropy(P, opt) for P, p in zip(states, probs))))
    return np.array(hx), np.array(hp)


def _sampled_posterior_sampling(family, bound, w, N, runs, seed):
    opt, taus, codes = _ps_setup(family, bound, w)
    rng = rng_from_seed(seed)
    hx = np.zeros((N + 1, runs))
    hp = np.zeros((N + 1, runs))
    for r in progress(range(runs), total=runs, desc="learners"):
        xi = int(rng.choice(family.n_xi, p=w))
        P = w
        hx[0, r], hp[0, r] = entropy_bits(P), _class_entropy(P, opt)
        for n in range(1, N + 1):
            xi_sampled = min(int(np.searchsorted(np.cumsum(P), rng.random(), side="right")),
                             family.n_xi - 1)
            c = opt.classes[xi_sampled]  # ξ' ~ p(ξ | D), play π*_{ξ'}
            col = codes[:, c]
            P = condition(P, col[:, None], np.array([col[xi]]))
            hx[n, r], hp[n, r] = entropy_bits(P), _class_entropy(P, opt)
    se = np.sqrt(runs)
    return (hx.mean(axis=1), hp.mean(axis=1), hx.std(axis=1, ddof=1) / se,
            hp.std(axis=1, ddof=1) / se)
