"""The experiments of §4.4, *Implications for LLM-RL* (``book/part4/implications.md``).

Four computations, one per statement of the article's §4.4:

* **Reward density** (:data:`DENSITY_KINDS`). The new bits per episode ``I(S; ξ | τ)`` of the
  rewards between sparse and dense, on §4.1's match-count instance (a hidden string of ``T`` tokens
  from ``|V|`` tokens, uniform prior and policy): the sparse return read in ``B`` levels; a reward
  every ``k`` tokens (:class:`~infobandwidth.signals.signals.DenseRewards` with ``every=k``); the dense
  reward; the dense reward seen through a binary symmetric channel of flip probability ``ε`` (a noisy
  reward model's pseudo-reward, :func:`noisy_dense_signal`); and the sparse reward with dense value
  targets (TD errors of a fixed critic, "Monte Carlo + TD"). :func:`density_bits` enumerates them
  exactly; :func:`reward_bits` gives their closed forms for any ``T``.
* **The value-based gap** (:data:`GAP_LEARNERS`). Episodes to solve a hidden string for REINFORCE and
  for actor-critic with critics of three qualities (learned, the ideal observer's posterior-expected
  value, the exact ``V^π_ξ``), measured over seeds (:func:`value_gap_runs`).
* **The LoRA rank rule** ``64·r·d ≥ c·N`` (:func:`rank_rule`), on one matrix and on every projection of
  Llama-2-7B, reusing the capacity arithmetic of §4.2.
* **Multi-task learning** with ``K`` independent tasks ``ξ_1..ξ_K`` (:func:`multitask_accumulation`):
  an episode on one task (tasks in turn) against an episode scored on all ``K``, exactly.

Closed forms
------------
With ``p = 1/|V|`` the chance that a token matches and ``H_b`` the binary entropy, the match
indicators are independent fair-or-biased coins given the trajectory, so

* sparse return, ``B`` levels: ``H(Q_B(M/T))`` with ``M ~ Binomial(T, p)`` (§4.1);
* a reward every ``k`` tokens: ``Σ_j H(Binomial(n_j, p))`` over the blocks of ``n_j`` tokens
  (``n_j = k``, the last block shorter when ``k`` does not divide ``T``);
* dense: ``T H_b(p)``;
* dense through a BSC(ε): ``T [H_b(p ⋆ ε) − H_b(ε)]``;
* sparse return with dense value targets: the sparse return's bits (the TD errors of a fixed critic
  carry what the rewards carry, §3.2).
"""
from __future__ import annotations

import functools
import math
from typing import Sequence

import numpy as np

from infobandwidth.base.numerics import entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import check_int
from infobandwidth.book.experiments.comparison import fixed_critic, quantised_binomial_bits
from infobandwidth.book.experiments.lora import (
    LLAMA2_7B,
    adapter_parameters,
    model_adapter_parameters,
    smallest_rank,
)
from infobandwidth.information.channels import binary_symmetric_channel
from infobandwidth.information.measures import binary_entropy
from infobandwidth.learning.curves import run_seeds
from infobandwidth.learning.sample_complexity import (
    exact_match_episodes_dense,
    exact_match_episodes_sparse,
)
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import RewardFamily, exact_match, match_count
from infobandwidth.signals.accumulation import information_accumulation
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.signals import DenseRewards, NoisySignal, ReturnSignal, TableSignal
from infobandwidth.signals.td import td_information

__all__ = [
    "ARTICLE",
    "DENSITY_KINDS",
    "DENSITY_T",
    "DENSITY_EVERY",
    "NOISE_EPS",
    "SPARSE_LEVELS",
    "block_sizes",
    "binomial_entropy",
    "reward_bits",
    "noisy_dense_signal",
    "density_bits",
    "density_table",
    "GAP_T",
    "GAP_SEEDS",
    "GAP_SETTINGS",
    "GAP_LEARNERS",
    "value_gap_runs",
    "ideal_episodes",
    "rank_rule",
    "MULTITASK_TASK",
    "MULTITASK_K",
    "multitask_accumulation",
]

#: The numbers of the article's §4.4, as it states them: horizon, "T×", PPO's "100×", the "1000×"
#: of O(T) = O(1000) bits, and the LoRA rule's width, episodes, bits per episode (4-level returns),
#: bits per FP32 parameter and the ranks used in practice.
ARTICLE = {"T": 1000, "gap_traditional": 100, "gap_potential": 1000, "d": 4096, "N": 1000, "c": 2,
           "B": 4, "bits_per_parameter": 32, "r_practice": (8, 16)}

# ============================================================================ reward density
#: The rewards between sparse and dense, in the order the chapter draws them.
DENSITY_KINDS = ("sparse", "mc-td", "every-k", "noisy-dense", "dense")
#: Horizons enumerated exactly (|V| = 2); the dense reward of T = 6 takes seconds, T ≤ 5 a fraction.
DENSITY_T = (1, 2, 3, 4, 5)
#: The spacings k of the "reward every k tokens" rows.
DENSITY_EVERY = (2, 4)
#: Flip probability of the noisy pseudo-reward.
NOISE_EPS = 0.1
#: Levels of the sparse grader.
SPARSE_LEVELS = 2


def _check_p(p: float) -> float:
    if not (isinstance(p, (int, float)) and 0.0 <= float(p) <= 1.0):
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    return float(p)


def block_sizes(T: int, k: int) -> list[int]:
    """Tokens in each payment block of a reward every ``k`` tokens: ``k`` each, the last shorter.

    Examples
    --------
    >>> block_sizes(5, 2), block_sizes(4, 4), block_sizes(3, 10)
    ([2, 2, 1], [4], [3])
    """
    T = check_int(T, "T", 1, "an episode has at least 1 token")
    k = check_int(k, "k", 1, "a reward arrives every k >= 1 tokens")
    return [k] * (T // k) + ([T % k] if T % k else [])


def binomial_entropy(n: int, p: float) -> float:
    """``H(Binomial(n, p))`` in bits, by summing the probability mass function (log-space).

    Examples
    --------
    >>> binomial_entropy(1, 0.5), binomial_entropy(2, 0.5)
    (1.0, 1.5)
    """
    n = check_int(n, "n", 0, "a count of coins is >= 0")
    p = _check_p(p)
    if n == 0 or p in (0.0, 1.0):
        return 0.0
    k = np.arange(n + 1)
    log_pmf = np.array([math.lgamma(n + 1) - math.lgamma(c + 1) - math.lgamma(n - c + 1) for c in k])
    pmf = np.exp(log_pmf + k * math.log(p) + (n - k) * math.log1p(-p))
    return entropy_bits(pmf / pmf.sum())


def _check_kind(kind: str) -> str:
    if kind not in DENSITY_KINDS:
        raise ValueError(f"unknown reward {kind!r}; the rewards are {', '.join(DENSITY_KINDS)}")
    return kind


def reward_bits(kind: str, T: int, V: int = 2, *, k: int = 2, eps: float = NOISE_EPS,
                B: int = SPARSE_LEVELS) -> float:
    """New bits per episode ``I(S; ξ | τ)`` of one reward on match count, from its closed form (§4.4).

    Parameters
    ----------
    kind : str
        One of :data:`DENSITY_KINDS`.
    T, V : int
        Horizon and vocabulary size.
    k : int
        The spacing of ``"every-k"``.
    eps : float
        The flip probability of ``"noisy-dense"``.
    B : int
        Levels of the sparse grader (``"sparse"`` and ``"mc-td"``).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        An unknown kind or an invalid instance.

    Examples
    --------
    >>> reward_bits("dense", 1000), reward_bits("every-k", 4, k=2), round(reward_bits("sparse", 1000), 4)
    (1000.0, 3.0, 0.9995)
    >>> round(reward_bits("noisy-dense", 1000, eps=0.1), 1)
    531.0
    """
    _check_kind(kind)
    T = check_int(T, "T", 1, "an episode has at least 1 token")
    V = check_int(V, "V", 2, "a vocabulary has at least 2 tokens")
    B = check_int(B, "B", 2, "a grader distinguishes at least 2 levels")
    eps = _check_p(eps)
    p = 1.0 / V
    if kind in ("sparse", "mc-td"):
        return quantised_binomial_bits(T, B, p)
    if kind == "every-k":
        return float(sum(binomial_entropy(n, p) for n in block_sizes(T, k)))
    if kind == "dense":
        return T * float(binary_entropy(p))
    flip = p * (1 - eps) + (1 - p) * eps
    return T * float(binary_entropy(flip) - binary_entropy(eps))


def noisy_dense_signal(mdp: TokenMDP, eps: float) -> NoisySignal:
    """Match count's dense reward seen through a binary symmetric channel, token by token (§4.4).

    Each token's match indicator ``[a_t = ξ_t]`` (the dense reward times ``T``) is flipped with
    probability ``eps``, independently: a reward model that scores every token and errs at random.
    Built from the library's pieces: a :class:`~infobandwidth.signals.signals.TableSignal` holding the
    ``T`` indicators as the bits of an integer, passed through the ``T``-fold product of
    :func:`~infobandwidth.information.channels.binary_symmetric_channel`.

    Parameters
    ----------
    mdp : TokenMDP
        The instance (at most 10 tokens: the channel has ``4^T`` entries).
    eps : float
        Flip probability in ``[0, 1]``.

    Returns
    -------
    NoisySignal

    Raises
    ------
    ValueError
        On a non-TokenMDP, a horizon above 10 or an invalid ``eps``.

    Examples
    --------
    >>> sig = noisy_dense_signal(TokenMDP(2, 3), 0.1)
    >>> b = signal_bandwidth(match_count(TokenMDP(2, 3)), sig)
    >>> round(b.I_S_xi_given_tau, 6) == round(reward_bits("noisy-dense", 3, eps=0.1), 6)
    True
    """
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    if mdp.T > 10:
        raise ValueError(f"T = {mdp.T} is too long for a noisy dense table (at most 10 tokens)")
    eps = _check_p(eps)
    toks = mdp.trajectories()                       # (V^T, T); the hidden strings are the same list
    weights = 1 << np.arange(mdp.T)[::-1]
    pattern = ((toks[:, None, :] == toks[None, :, :]) * weights).sum(axis=2)   # [τ, ξ]
    values = np.unique(pattern)
    W = np.ones((1, 1))
    for _ in range(mdp.T):
        W = np.kron(W, binary_symmetric_channel(eps))
    # rows: the patterns that occur (the table signal's values, sorted); columns: every output pattern
    return NoisySignal(TableSignal(pattern, name="match indicators"), channel=W[values])


def density_bits(kind: str, T: int, V: int = 2, *, k: int = 2, eps: float = NOISE_EPS,
                 B: int = SPARSE_LEVELS) -> tuple[float, float]:
    """``(H(S), I(S; ξ | τ))`` of one reward on match count, by exact enumeration (§4.4).

    The same instance and arguments as :func:`reward_bits`; ``"mc-td"`` reports the TD errors of
    §4.1's fixed random critic (new bits conditioned on the critic).

    Examples
    --------
    >>> [round(x, 4) for x in density_bits("every-k", 4, k=2)]
    [3.0, 3.0]
    >>> H, new = density_bits("mc-td", 3)
    >>> round(H, 4), round(new, 4)
    (3.0, 1.0)
    """
    _check_kind(kind)
    T = check_int(T, "T", 1, "an episode has at least 1 token")
    V = check_int(V, "V", 2, "a vocabulary has at least 2 tokens")
    B = check_int(B, "B", 2, "a grader distinguishes at least 2 levels")
    mdp = TokenMDP(V, T)
    if kind in ("sparse", "mc-td"):
        fam = match_count(mdp, levels=min(B, T + 1))
        if kind == "sparse":
            b = signal_bandwidth(fam, ReturnSignal())
            return float(b.H_S), float(b.I_S_xi_given_tau)
        info = td_information(fam, fixed_critic(mdp))
        return float(info.td.H_S), float(info.I_td_given_critic)
    fam = match_count(mdp)
    sig = {"every-k": lambda: DenseRewards(every=k), "dense": DenseRewards,
           "noisy-dense": lambda: noisy_dense_signal(mdp, eps)}[kind]()
    b = signal_bandwidth(fam, sig)
    return float(b.H_S), float(b.I_S_xi_given_tau)


@functools.lru_cache(maxsize=4)
def density_table(T_values: tuple = DENSITY_T, V: int = 2) -> dict[str, dict[str, np.ndarray]]:
    """Every reward of :data:`DENSITY_KINDS` (``every-k`` once per ``k`` of :data:`DENSITY_EVERY`)
    against the horizon: exact ``H(S)``, exact ``I(S; ξ | τ)`` and the closed form (cached).

    Returns
    -------
    dict
        Row label (``"sparse"``, ``"mc-td"``, ``"every-2"``, ``"every-4"``, ``"noisy-dense"``,
        ``"dense"``) → ``{"T", "H", "new", "closed"}``.

    Examples
    --------
    >>> t = density_table((1, 2, 3))
    >>> t["dense"]["new"].tolist(), t["every-2"]["closed"].tolist()
    ([1.0, 2.0, 3.0], [1.0, 1.5, 2.5])
    """
    rows = {"sparse": ("sparse", {}), "mc-td": ("mc-td", {}),
            **{f"every-{k}": ("every-k", {"k": k}) for k in DENSITY_EVERY},
            "noisy-dense": ("noisy-dense", {}), "dense": ("dense", {})}
    out = {}
    for label, (kind, kw) in progress(list(rows.items()), desc="rewards"):
        H, new, closed = [], [], []
        for T in T_values:
            h, n = density_bits(kind, T, V, **kw)
            H.append(h)
            new.append(n)
            closed.append(reward_bits(kind, T, V, **kw))
        out[label] = {"T": np.array(T_values), "H": np.array(H), "new": np.array(new),
                      "closed": np.array(closed)}
    return out


# ============================================================================ the value-based gap
#: Horizons of the learning runs (hidden strings on |V| = 2, exact-match reward).
GAP_T = (2, 4, 6)
#: Runs per learner and horizon (seeds 0 .. GAP_SEEDS-1; ξ drawn from the prior per seed).
GAP_SEEDS = 6
#: Settings shared by every run: one step size for the policy, batches of 4 episodes (at most 240),
#: the curve read after every batch, solved at 90 % of J*.
GAP_SETTINGS = {"n_updates": 60, "batch_size": 4, "lr": 4.0, "lr_critic": 1.0, "eval_every": 1,
                "threshold": 0.9}
#: label -> (algorithm, dense reward, learner keywords).
GAP_LEARNERS = {
    "REINFORCE, sparse": ("reinforce", False, {"baseline": "mean"}),
    "actor-critic, learned critic, sparse": ("actor_critic", False, {"critic": "learned"}),
    "actor-critic, posterior critic, sparse": ("actor_critic", False, {"critic": "posterior",
                                                                       "posterior": True}),
    "actor-critic, exact critic, sparse": ("actor_critic", False, {"critic": "exact"}),
    "actor-critic, learned critic, dense": ("actor_critic", True, {"critic": "learned"}),
}


@functools.lru_cache(maxsize=2)
def value_gap_runs(T_values: tuple = GAP_T, seeds: int = GAP_SEEDS) -> dict[str, dict[str, np.ndarray]]:
    """Episodes to solve a hidden string for every learner of :data:`GAP_LEARNERS` (cached).

    Parameters
    ----------
    T_values : tuple of int
        Horizons (``exact_match(TokenMDP(2, T))``).
    seeds : int
        Runs per learner and horizon.

    Returns
    -------
    dict
        label → ``{"T", "median", "q25", "q75", "solved", "episodes"}``; ``episodes`` has one row per
        horizon and one column per seed (``inf`` for a run that never solved).

    Examples
    --------
    >>> out = value_gap_runs((2,), 2)                       # doctest: +SKIP
    >>> sorted(out) == sorted(GAP_LEARNERS)                 # doctest: +SKIP
    True
    """
    Ts = tuple(check_int(t, "T", 1, "a horizon is a positive integer") for t in T_values)
    seeds = check_int(seeds, "seeds", 1, "run at least one seed")
    s = GAP_SETTINGS
    out = {}
    for label, (alg, dense, extra) in GAP_LEARNERS.items():
        rows = {k: [] for k in ("median", "q25", "q75", "solved", "episodes")}
        for T in Ts:
            kw = {k: v for k, v in extra.items()}
            kw.setdefault("posterior", False)
            if alg == "reinforce":
                kw["lr"] = s["lr"]
            else:
                kw.update(lr_actor=s["lr"], lr_critic=s["lr_critic"])
            summary = run_seeds(alg, exact_match(TokenMDP(2, T)), "prior", seeds, threshold=s["threshold"],
                                n_updates=s["n_updates"], batch_size=s["batch_size"], dense=dense,
                                eval_every=s["eval_every"], **kw)
            lo, hi = summary.quartiles
            rows["median"].append(summary.median_episodes)
            rows["q25"].append(lo)
            rows["q75"].append(hi)
            rows["solved"].append(summary.solved_fraction)
            rows["episodes"].append(summary.episodes_to_solve)
        out[label] = {"T": np.array(Ts, dtype=float), **{k: np.array(v, dtype=float) for k, v in rows.items()}}
    return out


def ideal_episodes(T_values: Sequence[int] = GAP_T, V: int = 2) -> dict[str, np.ndarray]:
    """The ideal learner's expected episodes to know a hidden string, sparse and dense (closed forms
    of :mod:`infobandwidth.learning.sample_complexity`).

    Examples
    --------
    >>> ideal_episodes((2, 4))["sparse"].tolist(), ideal_episodes((2, 4))["dense"].tolist()
    ([2.25, 8.4375], [1.0, 1.0])
    """
    Ts = [check_int(t, "T", 1, "a horizon is a positive integer") for t in T_values]
    return {"T": np.array(Ts, dtype=float),
            "sparse": np.array([exact_match_episodes_sparse(V, T) for T in Ts]),
            "dense": np.array([exact_match_episodes_dense(V, T) for T in Ts])}


# ============================================================================ the LoRA rank rule
def rank_rule(N: float, c: float, *, d: int = ARTICLE["d"], K: int = 1,
              bits_per_parameter: float = ARTICLE["bits_per_parameter"], scope: str = "matrix") -> dict:
    """The article's rank rule ``β · (adapter parameters of rank r) ≥ K · c · N``, solved for ``r`` (§4.4).

    For one ``d × d`` matrix a rank-``r`` adapter has ``2rd`` parameters, so at ``β = 32`` bits the rule is
    the article's ``64 r d ≥ c N``. ``scope="llama2-7b"`` puts an adapter on every projection of every
    layer of Llama-2-7B instead (the parameter count of §4.2).

    Parameters
    ----------
    N : float
        Episodes (> 0).
    c : float
        Bits per episode per task (≥ 0).
    d : int
        Width of the square matrix (``scope="matrix"``).
    K : int
        Tasks scored in every episode (multiplies the information).
    bits_per_parameter : float
        ``β``.
    scope : {"matrix", "llama2-7b"}

    Returns
    -------
    dict
        ``bits`` (``K c N``), ``params_per_rank``, ``rank`` (smallest ``r ≥ 1``), ``capacity`` (bits at that
        rank) and ``margin`` of a given rank ``r`` as ``margin(r)`` (capacity ÷ bits).

    Raises
    ------
    ValueError
        On a non-positive ``N``, a negative ``c``, an invalid width, ``K`` or scope.

    Examples
    --------
    >>> out = rank_rule(1000, 2)
    >>> out["bits"], out["params_per_rank"], out["rank"], round(out["margin"](8), 1)
    (2000.0, 8192, 1, 1048.6)
    >>> rank_rule(10**6, 2, K=100)["rank"]
    763
    """
    if not (math.isfinite(N) and N > 0):
        raise ValueError(f"N must be a positive number of episodes, got {N!r}")
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"c must be a number of bits ≥ 0, got {c!r}")
    K = check_int(K, "K", 1, "at least one task")
    if scope == "matrix":
        d = check_int(d, "d", 1, "a matrix width is a positive integer")
        per_rank = adapter_parameters(d, d, 1)
    elif scope == "llama2-7b":
        per_rank = model_adapter_parameters(LLAMA2_7B, 1)
    else:
        raise ValueError(f"scope must be 'matrix' or 'llama2-7b', got {scope!r}")
    bits = float(K * c * N)
    r = smallest_rank(bits, per_rank, bits_per_parameter)

    def margin(rank: int) -> float:
        rank = check_int(rank, "rank", 1, "a rank is a positive integer")
        return math.inf if bits == 0 else rank * per_rank * bits_per_parameter / bits

    return {"bits": bits, "params_per_rank": int(per_rank), "rank": r,
            "capacity": float(r * per_rank * bits_per_parameter), "margin": margin}


# ============================================================================ multi-task learning
#: One task of the multi-task instance: match count on |V| = 2, T = 3, read in 4 levels (c ≤ 2 bits,
#: H(π*) = 3 bits), learned with a uniform behaviour policy.
MULTITASK_TASK = {"V": 2, "T": 3, "levels": 4}
#: The numbers of tasks of the chapter.
MULTITASK_K = (1, 2, 4, 8)


def _task_family() -> RewardFamily:
    t = MULTITASK_TASK
    return match_count(TokenMDP(t["V"], t["T"]), levels=t["levels"])


@functools.lru_cache(maxsize=4)
def _single_task(episodes: int) -> np.ndarray:
    """``I_total(n)`` about π* of one task, ``n = 0..episodes``, exactly (uniform policy)."""
    return np.asarray(information_accumulation(_task_family(), "uniform", episodes, method="exact")
                      .total_pi_star, dtype=float)


def multitask_accumulation(K: int, episodes: int, protocol: str) -> dict[str, np.ndarray | float]:
    """``I_total(N)`` about ``(π*_1, .., π*_K)`` for ``K`` independent tasks, exactly (§4.4).

    The tasks are independent copies of :data:`MULTITASK_TASK` (each ``ξ_k`` uniform, independent of
    the others), so the information about the ``K`` optimal policies is the sum over tasks.

    * ``protocol="one"``: each episode is played and scored on one task, the tasks in turn (episode
      ``n`` on task ``n mod K``), the learner knowing which: task ``k`` has had ``n_k`` episodes and
      ``I_total(N) = Σ_k I_1(n_k)``.
    * ``protocol="all"``: each episode's trajectory is scored by all ``K`` reward functions (``K``
      returns per episode): ``I_total(N) = K · I_1(N)``.

    Parameters
    ----------
    K : int
        Tasks (≥ 1).
    episodes : int
        ``N`` (≥ 1).
    protocol : {"one", "all"}

    Returns
    -------
    dict
        ``N`` (0..episodes), ``total`` (``I_total(n)``), ``ceiling`` (``K H(π*_1)``), ``c1`` (bits of the
        first episode).

    Raises
    ------
    ValueError
        On an invalid ``K``, ``episodes`` or protocol.

    Examples
    --------
    >>> one = multitask_accumulation(2, 4, "one")
    >>> all_ = multitask_accumulation(2, 4, "all")
    >>> bool(np.isclose(all_["total"][1], 2 * one["total"][1])), float(one["ceiling"])
    (True, 6.0)
    """
    K = check_int(K, "K", 1, "at least one task")
    episodes = check_int(episodes, "episodes", 1, "at least one episode")
    if protocol not in ("one", "all"):
        raise ValueError(f"protocol must be 'one' (an episode on one task) or 'all' (scored on every "
                         f"task), got {protocol!r}")
    single = _single_task(episodes)
    n = np.arange(episodes + 1)
    if protocol == "all":
        total = K * single
    else:
        counts = np.array([[len(range(k, m, K)) for k in range(K)] for m in n])   # episodes per task
        total = single[counts].sum(axis=1)
    return {"N": n, "total": total, "ceiling": K * _ceiling(), "c1": float(total[1])}


@functools.lru_cache(maxsize=1)
def _ceiling() -> float:
    return float(information_accumulation(_task_family(), "uniform", 1, method="exact").H_pi_star)
