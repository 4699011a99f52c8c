"""The experiments of chapter 3.2 (actor-critic): its instances, runs and tables.

:func:`learning_phases` freezes actor-critic at checkpoints and splits the information in its TD
errors into what the critic already knew and what the episode adds (the article's critic-quality
table); :func:`critic_comparison` compares five critics of one learner state;
:func:`dense_scaling` and :func:`potential_scaling` give bits per episode against ``T``;
:func:`learning_comparison` runs REINFORCE and actor-critic, sparse and dense, against ``T``.
:data:`PHASE_INSTANCE` and :func:`sparse_instances` are the instances the chapter and its claim
checks share. :func:`frozen_critic_table` (the TD-error table of one frozen critic, step by step)
and :func:`dense_per_step` (where in the episode dense rewards deliver their bits) feed the demos
of §3.2 and §3.2.2.
"""
from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from infobandwidth.base.numerics import clean_bits, entropy_bits, observation_codes, round_observations
from infobandwidth.base.validate import (
    check_int,
)
from infobandwidth.information.joint import conditional_entropy_of_codes
from infobandwidth.learning.curves import episodes_to_identify
from infobandwidth.model.mdp import Policy, TokenMDP, softmax_policy
from infobandwidth.model.rewards import RewardFamily, check_family, exact_match, match_count, token_utility
from infobandwidth.model.values import ideal_critic
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.observer import posterior_given_data
from infobandwidth.signals.signals import ReturnSignal
from infobandwidth.signals.td import (
    TDErrorSignal,
    TDInformation,
    _critic_matrix,
    _reward_tensor,
    critic_error,
    td_error_table,
    td_information,
)

__all__ = [
    "sparse_instances",
    "phase_table",
    "PHASE_INSTANCE",
    "CORRELATION_RESOLUTIONS",
    "LearningPhase",
    "learning_phases",
    "dense_scaling",
    "potential_scaling",
    "learning_comparison",
    "LEARNING_CONFIGS",
    "CriticComparison",
    "critic_comparison",
    "CRITIC_NAMES",
    "DENSE_FAMILIES",
    "TD_TABLE_CRITICS",
    "FrozenCriticTable",
    "frozen_critic_table",
    "reward_levels_per_step",
    "dense_per_step",
]


# ============================================================================ learning phases
@dataclass(frozen=True)
class LearningPhase:
    """The information in actor-critic's TD errors at one checkpoint of training (§3.2).

    The learner is run with the same seeds for every ξ, so its data ``D`` (trajectories and
    rewards), policy and critic are functions of ξ. Numbers are averages over the seeds, in bits.

    Attributes
    ----------
    updates, episodes : int
        Updates done and episodes seen at the checkpoint.
    critic_error : float
        RMS error of the learned critic against ``V^π_ξ`` (:func:`critic_error`), averaged over ξ.
    J : float
        Expected return of the frozen policy, averaged over ξ.
    H_td : float
        ``H({δ_t})``: potential bandwidth of the TD errors of the next episode.
    I_td_xi : float
        ``I({δ_t}; ξ)``: everything the TD errors reveal, including what the critic learned before.
    I_data_xi : float
        ``I(D; ξ)``: what the earlier episodes told.
    I_new : float
        ``I({δ_t}; ξ | τ, D)``: what the next episode adds for a learner who knows its own data.
    I_rewards_new : float
        ``I({r_t}; ξ | τ, D)`` (the theorem: equal to ``I_new``).
    I_return_new : float
        ``I(G; ξ | τ, D)``: what REINFORCE's signal would add in the same state.
    H_xi_given_data : float
        ``H(ξ | D)``.
    per_seed : dict
        The same numbers per seed (arrays), keyed by attribute name.
    """

    updates: int
    episodes: int
    critic_error: float
    J: float
    H_td: float
    I_td_xi: float
    I_data_xi: float
    I_new: float
    I_rewards_new: float
    I_return_new: float
    H_xi_given_data: float
    per_seed: dict = field(repr=False)

    def row(self) -> dict[str, float]:
        """The numbers a chapter tabulates, keyed by their formula."""
        return {"updates": self.updates, "episodes": self.episodes,
                "critic RMS error": self.critic_error, "J": self.J, "H(δ)": self.H_td,
                "I(δ;ξ)": self.I_td_xi, "I(D;ξ)": self.I_data_xi,
                "I(δ;ξ|τ,D)": self.I_new, "I(r;ξ|τ,D)": self.I_rewards_new,
                "I(G;ξ|τ,D)": self.I_return_new}


def _phase_numbers(family, states, dense, gamma):
    """One checkpoint and one seed: ``states[ξ] = (logits, critic, trajectories)``."""
    mdp = family.mdp
    n_xi, n_tr, T = family.n_xi, mdp.n_trajectories, mdp.T
    r_all = _reward_tensor(family, dense)
    sparse = family.sparse_table()
    path = mdp.prefix_ids(np.arange(n_tr))
    weights = np.zeros((n_xi, n_tr))
    delta = np.zeros((n_xi, n_tr, T))
    data_sig = []
    errs, Js = [], []
    for x in range(n_xi):
        logits, critic, trajs = states[x]
        pol = softmax_policy(mdp, logits)
        weights[x] = family.prior[x] * pol.trajectory_probs()
        cur = critic[path]
        nxt = np.zeros_like(cur)
        nxt[:, :-1] = cur[:, 1:]
        delta[x] = r_all[x] + gamma * nxt - cur
        seen = round_observations(r_all[x][trajs])
        data_sig.append(trajs.tobytes() + seen.tobytes())
        if family.prior[x] > 0:
            errs.append((family.prior[x], critic_error(family, x, pol, critic, dense=dense, gamma=gamma)))
            Js.append((family.prior[x], float(weights[x] @ sparse[x]) / family.prior[x]))
    sig_ids = {s: i for i, s in enumerate(dict.fromkeys(data_sig))}
    D = np.broadcast_to(np.array([sig_ids[s] for s in data_sig])[:, None], (n_xi, n_tr))
    tau = np.broadcast_to(np.arange(n_tr)[None, :], (n_xi, n_tr))
    xi = np.broadcast_to(np.arange(n_xi)[:, None], (n_xi, n_tr))
    d_codes, _ = observation_codes(delta)
    r_codes, _ = observation_codes(r_all)
    g_codes, _ = observation_codes(sparse[:, :, None])
    H_td = conditional_entropy_of_codes(weights, d_codes)
    H_xi = entropy_bits(family.prior)
    H_xi_D = conditional_entropy_of_codes(weights, xi, D)
    out = {
        "critic_error": sum(p * e for p, e in errs) / sum(p for p, _ in errs),
        "J": sum(p * j for p, j in Js) / sum(p for p, _ in Js),
        "H_td": H_td,
        "I_td_xi": H_td - conditional_entropy_of_codes(weights, d_codes, xi),
        "I_data_xi": H_xi - H_xi_D,
        "I_new": conditional_entropy_of_codes(weights, d_codes, tau, D),
        "I_rewards_new": conditional_entropy_of_codes(weights, r_codes, tau, D),
        "I_return_new": conditional_entropy_of_codes(weights, g_codes, tau, D),
        "H_xi_given_data": H_xi_D,
    }
    return {k: clean_bits(v) for k, v in out.items()}


def learning_phases(
    family: RewardFamily,
    checkpoints: Sequence[int] = (0, 2, 8, 32),
    seeds: int | Sequence[int] = 3,
    *,
    batch_size: int = 1,
    lr_actor: float = 2.0,
    lr_critic: float = 0.5,
    dense: bool = False,
    gamma: float = 1.0,
) -> list[LearningPhase]:
    """Actor-critic frozen at checkpoints: how much its TD errors tell, and how much is new (§3.2).

    For every seed and every ξ with prior mass, :func:`~infobandwidth.learning.actor_critic.actor_critic` is
    run from the uniform policy and the zero critic, and stopped after each checkpoint's number of
    updates (training continues from the frozen logits and critic, the segment after checkpoint
    ``j`` with seed ``1000·seed + j``). Running the same seeds for every ξ makes the learner's data
    ``D``, policy and critic functions of ξ, so the joint ``p(ξ) π_ξ(τ) [δ = δ_ξ(τ)]`` of the next
    episode is exact; :class:`LearningPhase` lists what is computed from it.

    Parameters
    ----------
    family : RewardFamily
    checkpoints : sequence of int
        Increasing numbers of updates (0 = before training).
    seeds : int or sequence of int
        ``n`` for seeds ``0 .. n-1``, or the seeds.
    batch_size, lr_actor, lr_critic, dense, gamma
        Arguments of :func:`~infobandwidth.learning.actor_critic.actor_critic`.

    Returns
    -------
    list of LearningPhase
        One per checkpoint.

    Raises
    ------
    ValueError
        Checkpoints that are not increasing non-negative integers, no seeds, or the errors of the
        learner.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> ph = learning_phases(exact_match(TokenMDP(2, 2)), checkpoints=(0, 4), seeds=1)
    >>> [round(p.I_new, 3) for p in ph], [round(p.I_data_xi, 3) for p in ph]
    ([0.811, 0.0], [0.0, 2.0])
    """
    from infobandwidth.learning.actor_critic import actor_critic

    family = check_family(family)
    cps = [check_int(c, "checkpoint", 0, "checkpoints are numbers of updates >= 0") for c in checkpoints]
    if not cps or any(b <= a for a, b in zip(cps, cps[1:])):
        raise ValueError(f"checkpoints must be a non-empty increasing sequence of update counts, got {list(checkpoints)}")
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seed_list = list(range(check_int(seeds, "seeds", 1, "use at least one seed")))
    else:
        seed_list = [check_int(s, "seed", 0, "seeds are non-negative integers") for s in seeds]
        if not seed_list:
            raise ValueError("seeds is empty; give at least one seed")
    mdp = family.mdp
    support = [x for x in range(family.n_xi) if family.prior[x] > 0]
    per_cp: list[list[dict]] = [[] for _ in cps]
    for s in seed_list:
        states = {x: (np.zeros((mdp.n_prefixes, mdp.V)), np.zeros(mdp.n_prefixes),
                      np.zeros(0, dtype=np.int64)) for x in range(family.n_xi)}
        done = 0
        for j, cp in enumerate(cps):
            if cp > done:
                for x in support:
                    logits, critic, trajs = states[x]
                    c = actor_critic(family, x, n_updates=cp - done, batch_size=batch_size,
                                     lr_actor=lr_actor, lr_critic=lr_critic, dense=dense,
                                     gamma=gamma, seed=1000 * s + j, eval_every=cp - done,
                                     posterior=False, table="dense", init_logits=logits,
                                     init_values=critic)
                    states[x] = (c.logits, c.critic, np.concatenate([trajs, c.trajectories]))
                done = cp
            per_cp[j].append(_phase_numbers(family, states, bool(dense), gamma))
    out = []
    for cp, rows in zip(cps, per_cp):
        keys = rows[0].keys()
        per_seed = {k: np.array([r[k] for r in rows]) for k in keys}
        means = {k: float(v.mean()) for k, v in per_seed.items()}
        out.append(LearningPhase(updates=cp, episodes=cp * batch_size, per_seed=per_seed, **means))
    return out


# ============================================================================ scaling with T
#: The instances of :func:`dense_scaling`, by their label in the chapter: label -> family builder
#: on a TokenMDP (reward families of :mod:`infobandwidth.model.rewards`; the labels are display text).
DENSE_FAMILIES = {
    "per-position utilities": functools.partial(token_utility, shared=False),
    "match count": match_count,
    "shared utilities": functools.partial(token_utility, shared=True),
    "exact match": exact_match,
}


def dense_scaling(T_values: Sequence[int] = (1, 2, 3, 4, 5), V: int = 2,
                  families: Sequence[str] | None = None, seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """Information per episode against ``T`` for dense and sparse rewards (§3.2, §4.4).

    For each family of :data:`DENSE_FAMILIES` on ``TokenMDP(V, T)`` with its uniform prior and the
    uniform policy: what the dense rewards tell, ``I({r_t}; ξ | τ)`` (= what TD errors tell given a
    fixed critic; checked here with a random critic), what the return tells, ``I(G; ξ | τ)``, and
    the two ceilings: ``H(ξ)`` and ``Σ_t log2 B_t`` with ``B_t`` the number of values ``r_t`` takes.

    Parameters
    ----------
    T_values : sequence of int
        Horizons (each ``V**T`` small).
    V : int
        Vocabulary size.
    families : sequence of str, optional
        Names from :data:`DENSE_FAMILIES` (default: all).
    seed : int
        Seed of the random critic.

    Returns
    -------
    dict
        ``{family: {"T", "I_dense", "I_td_random", "I_sparse", "H_xi", "steps_bound", "H_dense_given_tau"}}``,
        each an array over ``T_values``.

    Raises
    ------
    ValueError
        An unknown family name or a horizon that is not a positive integer.

    Examples
    --------
    >>> d = dense_scaling((1, 2, 3), families=["per-position utilities"])["per-position utilities"]
    >>> d["I_dense"].round(6).tolist(), d["steps_bound"].round(6).tolist(), d["I_sparse"].round(3).tolist()
    ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 1.5, 1.811])
    """
    names = tuple(DENSE_FAMILIES) if families is None else tuple(families)
    for n in names:
        if n not in DENSE_FAMILIES:
            raise ValueError(f"unknown family {n!r}; valid: {', '.join(DENSE_FAMILIES)}")
    Ts = tuple(check_int(T, "T", 1, "a horizon is a positive integer") for T in T_values)
    V = check_int(V, "V", 1, "a vocabulary has at least one token")
    seed = check_int(seed, "seed", 0, "seeds are non-negative integers")
    cached = _dense_scaling(Ts, V, names, seed)  # the chapter and its claim check share it
    return {n: {k: v.copy() for k, v in d.items()} for n, d in cached.items()}


@functools.lru_cache(maxsize=4)
def _dense_scaling(Ts, V, names, seed):
    rng = np.random.default_rng(seed)
    out = {n: {k: [] for k in ("T", "I_dense", "I_td_random", "I_sparse", "H_xi", "steps_bound",
                               "H_dense_given_tau")} for n in names}
    for T in Ts:
        mdp = TokenMDP(V, T)
        critic = rng.normal(size=mdp.n_prefixes)
        for n in names:
            fam = DENSE_FAMILIES[n](mdp)
            info = td_information(fam, critic, dense=True)
            bound = sum(math.log2(b) for b in reward_levels_per_step(fam))
            row = out[n]
            row["T"].append(T)
            row["I_dense"].append(info.rewards.I_S_xi_given_tau)
            row["I_td_random"].append(info.I_td_given_critic)
            row["I_sparse"].append(info.ret.I_S_xi_given_tau)
            row["H_xi"].append(info.rewards.H_xi)
            row["steps_bound"].append(bound)
            row["H_dense_given_tau"].append(info.rewards.H_S_given_tau)
    return {n: {k: np.array(v) for k, v in d.items()} for n, d in out.items()}


def reward_levels_per_step(family: RewardFamily) -> tuple[int, ...]:
    """``B_t``: the number of values the dense reward ``r_t`` takes over all (ξ, τ), per step.

    ``Σ_t log2 B_t`` is the entropy ceiling of the dense reward vector (§3.2.2).

    Examples
    --------
    >>> reward_levels_per_step(match_count(TokenMDP(2, 3)))      # r_t ∈ {0, 1/3}
    (2, 2, 2)
    """
    family = check_family(family)
    r = _reward_tensor(family, True)
    return tuple(len(np.unique(round_observations(r[:, :, t]))) for t in range(family.mdp.T))


def potential_scaling(T_values: Sequence[int] = (1, 2, 3, 4, 5), V: int = 2, seed: int = 0,
                      family: str = "exact match") -> dict[str, np.ndarray]:
    """Potential bandwidth ``H({δ_t})`` against ``T`` for sparse rewards and a random critic (§3.2).

    Parameters
    ----------
    T_values : sequence of int
    V : int
    seed : int
        Seed of the random critic (independent normal values on every prefix).
    family : str
        A name from :data:`DENSE_FAMILIES`.

    Returns
    -------
    dict
        Arrays over ``T_values``: ``"T"``, ``"H_td"`` (``H({δ_t})``), ``"levels_bound"``
        (``Σ_t log2`` of the number of values of ``δ_t``), ``"H_tau"`` (``T log2 V``),
        ``"I_td_new"`` (``I({δ_t}; ξ | τ, critic)``), ``"I_G_new"`` (``I(G; ξ | τ)``),
        ``"H_G"`` and ``"I_last_new"`` (``I(δ_{T-1}; ξ | τ, critic)``, the last step alone).

    Raises
    ------
    ValueError
        An unknown family or a horizon that is not a positive integer.

    Examples
    --------
    >>> p = potential_scaling((1, 2, 3))
    >>> p["H_td"].round(3).tolist(), p["I_td_new"].round(3).tolist()
    ([1.0, 1.811, 2.544], [1.0, 0.811, 0.544])
    """
    if family not in DENSE_FAMILIES:
        raise ValueError(f"unknown family {family!r}; valid: {', '.join(DENSE_FAMILIES)}")
    rng = np.random.default_rng(seed)
    keys = ("T", "H_td", "levels_bound", "H_tau", "I_td_new", "I_G_new", "H_G", "I_last_new")
    out = {k: [] for k in keys}
    for T in T_values:
        T = check_int(T, "T", 1, "a horizon is a positive integer")
        mdp = TokenMDP(V, T)
        fam = DENSE_FAMILIES[family](mdp)
        info = td_information(fam, rng.normal(size=mdp.n_prefixes))
        out["T"].append(T)
        out["H_td"].append(info.td.H_S)
        out["levels_bound"].append(sum(math.log2(k) for k in info.levels_per_step))
        out["H_tau"].append(T * math.log2(V))
        out["I_td_new"].append(info.I_td_given_critic)
        out["I_G_new"].append(info.ret.I_S_xi_given_tau)
        out["H_G"].append(info.ret.H_S)
        out["I_last_new"].append(info.per_step[-1])
    return {k: np.array(v) for k, v in out.items()}


#: The four learners compared by :func:`learning_comparison`: label -> (algorithm, dense, kwargs).
LEARNING_CONFIGS = {
    "REINFORCE, sparse": ("reinforce", False, {"baseline": "mean"}),
    "REINFORCE, dense (reward-to-go)": ("reinforce", True, {"baseline": "mean", "reward_to_go": True}),
    "actor-critic, sparse": ("actor_critic", False, {}),
    "actor-critic, dense": ("actor_critic", True, {}),
}


def learning_comparison(
    T_values: Sequence[int] = (2, 3, 4, 5),
    seeds: int = 4,
    *,
    V: int = 2,
    n_updates: int = 150,
    batch_size: int = 4,
    lr: float = 4.0,
    lr_critic: float = 1.0,
    eval_every: int = 2,
    threshold: float = 0.9,
) -> dict[str, dict[str, np.ndarray]]:
    """Episodes to solve a hidden string against ``T``: REINFORCE and actor-critic, sparse and dense (§3.2).

    Every learner of :data:`LEARNING_CONFIGS` runs on ``exact_match(TokenMDP(V, T))`` with ξ drawn
    from the prior per seed (:func:`~infobandwidth.learning.curves.run_seeds`), the same step size ``lr``
    for the policy, ``lr_critic`` for the critic, and the ideal observer tracked.

    Parameters
    ----------
    T_values : sequence of int
    seeds : int
        Runs per learner and horizon (seeds ``0 .. seeds-1``).
    V, n_updates, batch_size, lr, lr_critic, eval_every, threshold
        Settings of the runs (``threshold`` as in :func:`~infobandwidth.learning.curves.episodes_to_solve`).

    Returns
    -------
    dict
        ``{label: {"T", "median", "q25", "q75", "solved", "identify_median"}}``: episodes to reach
        ``threshold·J*`` (median and quartiles over seeds, ``inf`` if unsolved), the share solved,
        and the median number of episodes after which the ideal observer knows ξ.

    Raises
    ------
    ValueError
        The errors of :func:`~infobandwidth.learning.curves.run_seeds`.

    Examples
    --------
    >>> out = learning_comparison((2,), seeds=2, n_updates=30)
    >>> sorted(out) == sorted(LEARNING_CONFIGS), out["actor-critic, dense"]["solved"].tolist()
    (True, [1.0])
    """
    from infobandwidth.learning.curves import run_seeds
    from infobandwidth.model.rewards import exact_match

    out = {lab: {k: [] for k in ("T", "median", "q25", "q75", "solved", "identify_median")}
           for lab in LEARNING_CONFIGS}
    for T in T_values:
        T = check_int(T, "T", 1, "a horizon is a positive integer")
        fam = exact_match(TokenMDP(V, T))
        for lab, (alg, dense, extra) in LEARNING_CONFIGS.items():
            kw = dict(extra)
            if alg == "reinforce":
                kw["lr"] = lr
            else:
                kw.update(lr_actor=lr, lr_critic=lr_critic)
            s = run_seeds(alg, fam, "prior", seeds, threshold=threshold, n_updates=n_updates,
                          batch_size=batch_size, dense=dense, eval_every=eval_every,
                          posterior=True, **kw)
            lo, hi = s.quartiles
            ident = np.array([episodes_to_identify(c) for c in s.runs], dtype=float)
            row = out[lab]
            row["T"].append(T)
            row["median"].append(s.median_episodes)
            row["q25"].append(lo)
            row["q75"].append(hi)
            row["solved"].append(s.solved_fraction)
            row["identify_median"].append(float(np.quantile(ident, 0.5, method="inverted_cdf")))
    return {lab: {k: np.array(v, dtype=float) for k, v in d.items()} for lab, d in out.items()}


# ============================================================================ several critics
@dataclass(frozen=True)
class CriticComparison:
    """Several critics of one learner state, and what their TD errors tell (§3.2).

    Attributes
    ----------
    family : RewardFamily
    xi : int
        The true reward parameter of the run that produced the state.
    policy : Policy
        The learner's policy after its training episodes (the behaviour policy of the next one).
    posterior : numpy.ndarray
        ``p(ξ | D)`` of the ideal observer after the same episodes: the weights over ξ used.
    critics : dict
        Name -> critic (an array ``(n_prefixes,)`` or, for the exact critic, ``(n_xi, n_prefixes)``).
    info : dict
        Name -> :class:`TDInformation`.
    """

    family: RewardFamily
    xi: int
    policy: Policy
    posterior: np.ndarray = field(repr=False)
    critics: dict = field(repr=False)
    info: dict = field(repr=False)

    def table(self) -> dict[str, dict[str, float]]:
        """``{critic name: TDInformation.row()}``."""
        return {k: v.row() for k, v in self.info.items()}


def _posterior_from_data(family: RewardFamily, xi: int, trajectories: np.ndarray, dense: bool) -> np.ndarray:
    """The ideal observer after the run's episodes, which saw the rewards (dense) or the return."""
    return posterior_given_data(family, xi, trajectories, signal="dense" if dense else "return")


CRITIC_NAMES = ("none (δ = r)", "random", "learned", "posterior-expected", "exact V^π_ξ")


def critic_comparison(
    family: RewardFamily,
    xi: int,
    *,
    n_updates: int = 3,
    batch_size: int = 2,
    lr_actor: float = 2.0,
    lr_critic: float = 0.5,
    dense: bool = False,
    gamma: float = 1.0,
    seed: int = 0,
) -> CriticComparison:
    """Train actor-critic briefly, then compare five critics of that state (§3.2).

    :func:`~infobandwidth.learning.actor_critic.actor_critic` runs ``n_updates`` updates against the true ``xi``.
    Its final policy generates the next episode and the ideal observer's posterior ``p(ξ | D)`` on
    its data weighs ξ. The critics of :data:`CRITIC_NAMES`: the zero critic (TD errors = rewards),
    independent normal values (``seed``), the learned critic, the posterior-expected critic
    ``E_{ξ~p(ξ|D)}[V^π_ξ]``, and the exact ``V^π_ξ`` of every ξ (a critic that knows ξ).

    Parameters
    ----------
    family : RewardFamily
    xi : int
    n_updates, batch_size, lr_actor, lr_critic, dense, gamma, seed
        Settings of the run.

    Returns
    -------
    CriticComparison

    Raises
    ------
    ValueError
        The errors of the learner or of :func:`td_information`.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import match_count
    >>> cc = critic_comparison(match_count(TokenMDP(2, 3)), 5, n_updates=1, batch_size=1)
    >>> {round(v.I_td_given_critic, 4) for v in cc.info.values() if v.fixed}   # the same for all
    {0.6218}
    >>> round(cc.info["none (δ = r)"].ret.I_S_xi_given_tau, 4)                  # = I(G; ξ | τ)
    0.6218
    """
    from infobandwidth.learning.actor_critic import actor_critic

    family = check_family(family)
    mdp = family.mdp
    c = actor_critic(family, xi, n_updates=n_updates, batch_size=batch_size, lr_actor=lr_actor,
                     lr_critic=lr_critic, dense=dense, gamma=gamma, seed=seed,
                     eval_every=n_updates, posterior=False, table="dense")
    policy = softmax_policy(mdp, c.logits)
    post = _posterior_from_data(family, int(c.settings["xi"]), c.trajectories, bool(dense))
    critics = {
        CRITIC_NAMES[0]: np.zeros(mdp.n_prefixes),
        CRITIC_NAMES[1]: np.random.default_rng(seed).normal(size=mdp.n_prefixes),
        CRITIC_NAMES[2]: c.critic,
        CRITIC_NAMES[3]: ideal_critic(family, policy, belief=post, dense=dense, gamma=gamma),
        CRITIC_NAMES[4]: _critic_matrix(family, "exact", policy, bool(dense), gamma)[0],
    }
    info = {k: td_information(family, v, policy, prior=post, dense=dense, gamma=gamma)
            for k, v in critics.items()}
    return CriticComparison(family=family, xi=int(c.settings["xi"]), policy=policy,
                            posterior=post, critics=critics, info=info)


# ============================================================================ the chapter's instances
#: The instance of the learning-phase table (chapter and claim check): family, checkpoints, seeds.
PHASE_INSTANCE = {"V": 2, "T": 4, "family": "match count", "checkpoints": (0, 4, 16, 64), "seeds": 3}


@functools.lru_cache(maxsize=2)
def phase_table(dense: bool = False) -> tuple[LearningPhase, ...]:
    """:func:`learning_phases` on :data:`PHASE_INSTANCE` (cached: the chapter and its claim check).

    Examples
    --------
    >>> ph = phase_table()                                     # doctest: +SKIP
    >>> [p.updates for p in ph]                                # doctest: +SKIP
    [0, 4, 16, 64]
    """
    inst = PHASE_INSTANCE
    fam = DENSE_FAMILIES[inst["family"]](TokenMDP(inst["V"], inst["T"]))
    return tuple(learning_phases(fam, inst["checkpoints"], inst["seeds"], dense=dense))


@functools.lru_cache(maxsize=1)
def sparse_instances() -> tuple[tuple[str, int, float, TDInformation], ...]:
    """Sparse-reward instances of the §3.2 claim checks: ``(description, T, log2 B, TDInformation)``.

    Exact match and match count on ``TokenMDP(2, T)`` for ``T = 3, 4, 5``, each with the five
    critics of :func:`critic_comparison` after one update on one episode against ``ξ = 1``.

    Returns
    -------
    tuple of (str, int, float, TDInformation)

    Examples
    --------
    >>> inst = sparse_instances()                        # doctest: +SKIP
    >>> len(inst), inst[0][0]                            # doctest: +SKIP
    (30, 'exact match, T=3, critic: none (δ = r)')
    """
    out = []
    for T in (3, 4, 5):
        for name in ("exact match", "match count"):
            fam = DENSE_FAMILIES[name](TokenMDP(2, T))
            cc = critic_comparison(fam, 1, n_updates=1, batch_size=1)
            log2B = math.log2(len(fam.return_levels()))
            for crit, info in cc.info.items():
                out.append((f"{name}, T={T}, critic: {crit}", T, log2B, info))
    return tuple(out)


#: Resolutions (cell widths in marginal standard deviations) of the correlation claim checks.
CORRELATION_RESOLUTIONS = (4.0, 2.0, 1.0, 0.5, 0.25, 0.1)


# ============================================================================ the demos of §3.2 and §3.2.2
#: The critics of the §3.2 demo, frozen during the episode, on exact match with |V| = 2, T = 2
#: under the uniform policy and prior: none (the TD errors are the rewards), independent normal
#: values (seed 0), the best critic that does not know ξ (``E_ξ[V^π_ξ]`` under the prior), and
#: the exact ``V^π_ξ`` of every ξ (a critic that knows ξ).
TD_TABLE_CRITICS = ("none (δ = r)", "random", "E_ξ[V^π_ξ] (good, ξ-free)", "V^π_ξ (knows ξ)")


@dataclass(frozen=True)
class FrozenCriticTable:
    """The TD errors of one frozen critic on every (ξ, τ), and what each step tells (§3.2).

    Attributes
    ----------
    critic : str
        A name of :data:`TD_TABLE_CRITICS`.
    strings : tuple of str
        The strings, in the order of both axes of ``delta`` (ξ and τ range over the same strings).
    delta : numpy.ndarray, shape (n_xi, n_trajectories, T)
        ``δ_t`` of every pair (:func:`~infobandwidth.signals.td.td_error_table`).
    info : TDInformation
        The whole vector: ``info.td.H_S`` is ``H({δ_t})``, ``info.I_td_given_critic`` the new
        information, ``info.ret.I_S_xi_given_tau`` what the return tells.
    H_step : tuple of float
        ``H(δ_t)`` per step.
    I_step_tau : tuple of float
        ``I(δ_t; ξ | τ)`` per step, the critic *not* conditioned on.
    I_step_new : tuple of float
        ``I(δ_t; ξ | τ, critic)`` per step (``info.per_step``).
    """

    critic: str
    strings: tuple
    delta: np.ndarray = field(repr=False)
    info: TDInformation = field(repr=False)
    H_step: tuple
    I_step_tau: tuple
    I_step_new: tuple


def frozen_critic_table(critic: str, T: int = 2) -> FrozenCriticTable:
    """The TD-error table of one critic of :data:`TD_TABLE_CRITICS`, step by step (§3.2's demo).

    Exact match on ``TokenMDP(2, T)`` (uniform prior over the ``2**T`` strings, uniform policy,
    sparse reward, γ = 1), the critic frozen during the episode. Every number comes from
    :func:`~infobandwidth.signals.td.td_information` and, per step, from
    :func:`~infobandwidth.signals.bandwidth.signal_bandwidth` of
    :class:`~infobandwidth.signals.td.TDErrorSignal` at that step (cached).

    Parameters
    ----------
    critic : str
        A name of :data:`TD_TABLE_CRITICS`.
    T : int
        Horizon, 1 to 4.

    Returns
    -------
    FrozenCriticTable

    Raises
    ------
    ValueError
        An unknown critic name or a horizon outside 1..4.

    Examples
    --------
    >>> ft = frozen_critic_table("random", T=3)
    >>> [round(x, 3) for x in ft.I_step_new]           # all the new bits are in the last step
    [0.0, 0.0, 0.544]
    >>> round(ft.info.ret.I_S_xi_given_tau, 3)         # = I(G; ξ | τ) = H_b(1/8)
    0.544
    """
    if critic not in TD_TABLE_CRITICS:
        raise ValueError(f"unknown critic {critic!r}; valid: {', '.join(TD_TABLE_CRITICS)}")
    T = check_int(T, "T", 1, "a horizon is a positive integer")
    if T > 4:
        raise ValueError(f"T = {T} makes a table too large to draw; use T <= 4")
    return _frozen_critic_table(critic, T)


@functools.lru_cache(maxsize=16)
def _frozen_critic_table(critic: str, T: int) -> FrozenCriticTable:
    from infobandwidth.model.mdp import uniform_policy

    fam = exact_match(TokenMDP(2, T))
    mdp = fam.mdp
    pol = uniform_policy(mdp)
    values = {
        TD_TABLE_CRITICS[0]: np.zeros(mdp.n_prefixes),
        TD_TABLE_CRITICS[1]: np.random.default_rng(0).normal(size=mdp.n_prefixes),
        TD_TABLE_CRITICS[2]: ideal_critic(fam, pol, belief=fam.prior),
        TD_TABLE_CRITICS[3]: "exact",
    }[critic]
    info = td_information(fam, values, pol)
    H, I_tau = [], []
    for t in range(T):
        b = signal_bandwidth(fam, TDErrorSignal(values, pol, steps=[t]), pol)
        H.append(b.H_S)
        I_tau.append(b.I_S_xi_given_tau)
    delta = np.broadcast_to(td_error_table(fam, values, pol), (fam.n_xi, mdp.n_trajectories, T))
    strings = tuple(mdp.label(i) for i in range(mdp.n_trajectories))
    return FrozenCriticTable(critic=critic, strings=strings, delta=np.array(delta), info=info,
                             H_step=tuple(H), I_step_tau=tuple(I_tau), I_step_new=info.per_step)


def dense_per_step(family: str, T: int, V: int = 2) -> dict[str, np.ndarray | float]:
    """Where in the episode dense rewards deliver their bits (§3.2.2's demo).

    For a family of :data:`DENSE_FAMILIES` on ``TokenMDP(V, T)``, uniform prior and policy: the
    information of the first ``t + 1`` rewards, ``I(r_0..r_t; ξ | τ)``, for every ``t`` (the
    TD errors of the zero critic are the rewards, so
    :class:`~infobandwidth.signals.td.TDErrorSignal` with ``steps=range(t + 1)`` observes exactly
    them), its increments ``I(r_t; ξ | τ, r_<t)`` (chain rule), the per-step ceilings
    ``log2 B_t`` (:func:`reward_levels_per_step`), ``H(ξ)`` and the sparse return's ``I(G; ξ | τ)``.

    Parameters
    ----------
    family : str
        A name of :data:`DENSE_FAMILIES`.
    T, V : int
        Horizon and vocabulary size.

    Returns
    -------
    dict
        ``"cumulative"``, ``"new"``, ``"log2_B"`` (arrays over ``t = 0 .. T-1``), ``"H_xi"``,
        ``"I_sparse"``, ``"I_dense"`` (the last cumulative value) as floats.

    Raises
    ------
    ValueError
        An unknown family or a horizon that is not a positive integer.

    Examples
    --------
    >>> d = dense_per_step("exact match", 3)                   # halves each step: 1, 1/2, 1/4
    >>> d["new"].round(6).tolist(), round(d["I_dense"], 6)
    ([1.0, 0.5, 0.25], 1.75)
    """
    if family not in DENSE_FAMILIES:
        raise ValueError(f"unknown family {family!r}; valid: {', '.join(DENSE_FAMILIES)}")
    T = check_int(T, "T", 1, "a horizon is a positive integer")
    V = check_int(V, "V", 1, "a vocabulary has at least one token")
    cached = _dense_per_step(family, T, V)
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in cached.items()}


@functools.lru_cache(maxsize=32)
def _dense_per_step(family: str, T: int, V: int):
    fam = DENSE_FAMILIES[family](TokenMDP(V, T))
    zero = np.zeros(fam.mdp.n_prefixes)
    cum = np.array([signal_bandwidth(fam, TDErrorSignal(zero, dense=True, steps=range(t + 1)))
                    .I_S_xi_given_tau for t in range(T)])
    ret = signal_bandwidth(fam, ReturnSignal())
    return {"cumulative": cum, "new": np.diff(np.r_[0.0, cum]),
            "log2_B": np.log2(np.array(reward_levels_per_step(fam), dtype=float)),
            "H_xi": float(ret.H_xi), "I_sparse": float(ret.I_S_xi_given_tau),
            "I_dense": float(cum[-1])}
