"""The instances of §4.5, *Scope and applicability* (``book/part4/scope.md``).

One instance per assumption of the article, each broken on purpose:

* a task that **drifts** between episodes (:func:`drift_runs`, :func:`drift_rows`): the ideal
  observer's exact filter on a hidden string of two binary tokens, sparse return against a dense
  reward, over a grid of drift probabilities η;
* **exploration**: uniform sampling, posterior sampling and information-directed sampling on a
  hidden string with a *hint* string that never pays but whose reward tells about the target
  (:func:`hint_family`, :func:`exploration_runs`);
* **optimisation** as the bottleneck: the REINFORCE runs of §3.1 against their own ideal observer
  (:func:`optimisation_gap`);
* a reward that depends on a **hidden variable**: a grader who, unseen, pays the opposite with
  probability ``q`` (:func:`hidden_grader`).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from infobandwidth.base.validate import check_prior
from infobandwidth.information.measures import binary_entropy
from infobandwidth.learning.exploration import EXPLORATION_RULES, ExplorationCurve, exploration_curve
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import RewardFamily, exact_match, match_count, reward_table
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.drift import DriftCurve, drift_entropy_rate, drift_filter
from infobandwidth.signals.signals import NoisySignal

__all__ = [
    "DRIFT_MDP",
    "DRIFT_ETAS",
    "DRIFT_SETTINGS",
    "DriftRow",
    "drift_family",
    "drift_runs",
    "drift_rows",
    "HINT_MDP",
    "HINTS",
    "EXPLORATION_EPISODES",
    "hint_family",
    "exploration_runs",
    "optimisation_gap",
    "GRADER_QS",
    "hidden_grader",
]

#: The drifting task: a hidden string of T = 2 binary tokens (|Ξ| = 4).
DRIFT_MDP = (2, 2)
#: Drift probabilities of the grid.
DRIFT_ETAS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
#: Episodes, simulated filters, seed, and the first episode of the steady state.
DRIFT_SETTINGS = {"episodes": 50, "n_runs": 1000, "seed": 0, "steady_from": 25, "dense_episodes": 6}


def drift_family(dense: bool = False) -> RewardFamily:
    """The drifting task's family: exact match (sparse return), or match count read token by token
    (the dense reward, which names the right tokens)."""
    mdp = TokenMDP(*DRIFT_MDP)
    return match_count(mdp) if dense else exact_match(mdp)


@functools.lru_cache(maxsize=2)
def drift_runs() -> dict[tuple[str, float], DriftCurve]:
    """``{("sparse" | "dense", η): DriftCurve}`` over :data:`DRIFT_ETAS` (cached).

    The sparse rows are sampled (:data:`DRIFT_SETTINGS`); the dense ones are exact (a dense reward
    names the task, so the filter has at most ``|Ξ|`` beliefs).
    """
    s = DRIFT_SETTINGS
    out = {}
    for eta in DRIFT_ETAS:
        out[("sparse", eta)] = drift_filter(drift_family(), eta, s["episodes"], method="sample",
                                            n_runs=s["n_runs"], seed=s["seed"])
        out[("dense", eta)] = drift_filter(drift_family(dense=True), eta, s["dense_episodes"],
                                           signal="dense", method="exact")
    return out


@dataclass(frozen=True)
class DriftRow:
    """One drift probability: what the drift creates and what the observer keeps up with.

    Attributes
    ----------
    eta : float
    rate : float
        Entropy rate ``H(ξ_{n+1} | ξ_n)``: bits per episode needed to keep up.
    floor, floor_se : float
        Steady-state ``E[H(ξ_n | D_n)]`` with the sparse return, and its standard error.
    new_bits : float
        Steady-state new bits per episode of the sparse return.
    ceiling : float
        ``log2 B`` of the sparse return (1 bit).
    bound : float
        ``max(0, rate − ceiling)``: the floor no observer of this signal goes below.
    dense_floor : float
        Steady-state ``E[H(ξ_n | D_n)]`` with the dense reward (exact).
    """

    eta: float
    rate: float
    floor: float
    floor_se: float
    new_bits: float
    ceiling: float
    bound: float
    dense_floor: float


def drift_rows() -> list[DriftRow]:
    """One :class:`DriftRow` per η of :data:`DRIFT_ETAS`.

    Examples
    --------
    >>> rows = drift_rows()                                   # doctest: +SKIP
    >>> all(r.floor + 3 * r.floor_se >= r.bound for r in rows)  # doctest: +SKIP
    True
    """
    runs, start = drift_runs(), DRIFT_SETTINGS["steady_from"]
    rows = []
    for eta in DRIFT_ETAS:
        sp, de = runs[("sparse", eta)], runs[("dense", eta)]
        floor, se = sp.steady(start)
        rows.append(DriftRow(eta, sp.rate, floor, se, float(sp.new_bits[start:].mean()),
                             sp.log2_levels, max(0.0, sp.rate - sp.log2_levels),
                             de.steady(1)[0]))
    return rows


# ============================================================================ exploration
#: The hint task: hidden strings of T = 3 binary tokens; the string ``aaa`` is the hint.
HINT_MDP = (2, 3)
#: The hints: what the reward of ``aaa`` tells about the target.
HINTS = ("names the target", "one bit")
#: Episodes of the exact exploration runs (enough for every rule to identify π*).
EXPLORATION_EPISODES = 250


def hint_family(hint: str = HINTS[0]) -> RewardFamily:
    """Hidden string among the 7 strings other than ``aaa``; ``aaa`` never pays 1 but hints.

    The target pays 1 and every other string 0, except the hint string ``aaa``, which pays a small
    amount that depends on the target: ``0.1·(k + 1)/7`` for the ``k``-th target (it names the
    target; ``"names the target"``), or ``0.1`` when the target is among the last four (``"one
    bit"``). Its regret is large, its information high: the situation where exploration matters.

    Raises
    ------
    ValueError
        An unknown hint.

    Examples
    --------
    >>> fam = hint_family()
    >>> fam.n_xi, fam.sparse_rewards(0).round(3).tolist()
    (7, [0.014, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    """
    if hint not in HINTS:
        raise ValueError(f"unknown hint {hint!r}; choose one of {HINTS}")
    mdp = TokenMDP(*HINT_MDP)
    m = mdp.n_trajectories - 1
    table = np.zeros((mdp.n_trajectories, m))
    table[np.arange(1, m + 1), np.arange(m)] = 1.0
    k = np.arange(m)
    table[0] = 0.1 * (k + 1) / m if hint == HINTS[0] else 0.1 * (k >= m // 2)
    return reward_table(mdp, table, labels=[mdp.label(i) for i in range(1, m + 1)])


@functools.lru_cache(maxsize=2)
def exploration_runs() -> dict[tuple[str, str], ExplorationCurve]:
    """``{(hint, rule): ExplorationCurve}`` for every hint of :data:`HINTS` and every rule (cached)."""
    return {(h, r): exploration_curve(hint_family(h), r, EXPLORATION_EPISODES)
            for h in HINTS for r in EXPLORATION_RULES}


# ============================================================================ optimisation
def optimisation_gap(rows=None) -> dict[str, dict[str, np.ndarray]]:
    """Bits about ξ held by REINFORCE's data against bits its policy has absorbed, per episode.

    On exact match the ideal observer's belief is uniform over the ``m_D`` strings not ruled out, so
    it puts ``2^{−H(ξ|D)}`` on the truth; the policy puts ``π_θ(ξ) = J`` on it. Measured as bits
    gained over the prior, ``log2 |Ξ| − H(ξ | D)`` for the data and ``log2(|Ξ|·J)`` for the
    policy (negative while the policy is below uniform on the truth).

    Parameters
    ----------
    rows : sequence of SolveRow, optional
        Default: the exact-match rows of :func:`~infobandwidth.book.experiments.policy_gradient.chapter_runs`.

    Returns
    -------
    dict
        ``{task label: {"episodes", "data", "policy" (medians over runs), "data_q", "policy_q"
        (quartiles, shape (2, n)), "n_xi"}}``.
    """
    if rows is None:
        from infobandwidth.book.experiments.policy_gradient import chapter_runs

        rows = [r for r in chapter_runs().rows if r.label.startswith("exact match")]
    out = {}
    for row in rows:
        runs = row.summary.runs
        n_xi = 2.0 ** row.H_pi
        data = np.array([math.log2(n_xi) - c.entropy_xi for c in runs])
        policy = np.array([np.log2(n_xi * c.J) for c in runs])
        out[row.label] = {"episodes": runs[0].episodes, "data": np.median(data, axis=0),
                          "policy": np.median(policy, axis=0),
                          "data_q": np.quantile(data, [0.25, 0.75], axis=0),
                          "policy_q": np.quantile(policy, [0.25, 0.75], axis=0),
                          "n_xi": n_xi, "data_mean": row.data_mean,
                          "reinforce_median": row.reinforce_median}
    return out


# ============================================================================ hidden grader
#: Probabilities that the unseen grader is adversarial (pays the opposite).
GRADER_QS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)


def hidden_grader(qs=GRADER_QS, V: int = 2, T: int = 2) -> dict[str, np.ndarray]:
    """Bits about π* per episode when an unseen grader flips the exact-match reward w.p. ``q``.

    The learner plays uniformly and sees ``G``, which is ``[τ = ξ]`` or, when the hidden grader is
    adversarial (probability ``q``, independently each episode), ``1 − [τ = ξ]``. The return is
    then the true one through a binary symmetric channel, and ``I(G; π* | τ)`` is computed exactly
    with :func:`~infobandwidth.signals.bandwidth.signal_bandwidth`.

    Returns
    -------
    dict
        ``q``, ``bits`` (``I(G; π* | τ)``), ``closed_form`` (``H_b(p ⋆ q) − H_b(q)`` with
        ``p = 1/|Ξ|``), ``capacity`` (``1 − H_b(q)``), ``H_pi`` and ``bound`` (``H(π*)/bits``, the
        fewest episodes).
    """
    fam = exact_match(TokenMDP(V, T))
    check_prior(fam.prior, fam.n_xi)
    p = 1.0 / fam.n_xi
    qs = np.asarray(qs, dtype=float)
    bits = np.array([signal_bandwidth(fam, NoisySignal(eps=float(q))).I_S_pi_given_tau for q in qs])
    conv = p * (1 - qs) + (1 - p) * qs
    closed = np.asarray(binary_entropy(conv)) - np.asarray(binary_entropy(qs))
    H_pi = math.log2(fam.n_xi)
    with np.errstate(divide="ignore"):
        bound = np.where(bits > 1e-12, H_pi / np.maximum(bits, 1e-300), np.inf)
    return {"q": qs, "bits": bits, "closed_form": closed, "capacity": 1 - np.asarray(binary_entropy(qs)),
            "H_pi": H_pi, "bound": bound}


def drift_rate_grid(etas=DRIFT_ETAS) -> np.ndarray:
    """The entropy rate of the drifting task at each η (uniform prior over its 4 strings)."""
    w = drift_family().prior
    return np.array([drift_entropy_rate(w, e) for e in etas])
