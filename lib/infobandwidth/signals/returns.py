"""The return as a learning signal: what one scalar per episode tells REINFORCE (§3.1).

In §3.1 the article bounds what one scalar return ``G = R_ξ(s_T)`` can tell a policy-gradient
learner by the chain

    I(G; π*)  <=  I(G; ξ)  <=  H(G)  <=  log2 B,

with ``B`` the number of distinguishable return levels, and concludes "about one bit per episode".
This module computes every link exactly.

:func:`information_chain`
    Every link of the chain for one family, horizon, number of levels ``B`` and behaviour policy,
    plus the learner's version ``I(G; π* | τ) <= I(G; ξ | τ) = H(G | τ)`` (a learner knows the
    trajectory it wrote; for a deterministic reward ``H(G | ξ, τ) = 0``, so what an episode teaches
    about ξ is exactly the entropy of the return given the trajectory).
:func:`return_bins`
    The bin of each return level when the return is squeezed into ``B`` equal-width levels
    (:class:`~infobandwidth.signals.signals.QuantisedReturn`).
:func:`markov_numbers`
    Whether ``G – ξ – π*`` is a Markov chain when the current policy is itself random.

What one episode of a run teaches the ideal observer is in
:func:`infobandwidth.signals.observer.episode_information`; the chapter's grids and runs are in
:mod:`infobandwidth.book.experiments.policy_gradient`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from infobandwidth.base.numerics import BIN_EDGE_NUDGE, SLACK_BITS, clean_bits
from infobandwidth.base.validate import check_int
from infobandwidth.model.mdp import Policy, check_policy, uniform_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import (
    RewardFamily,
    check_family,
)
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.signals import QuantisedReturn, as_signal

__all__ = [
    "return_bins",
    "InformationChain",
    "information_chain",
    "markov_numbers",
]



# ============================================================================ the chain
@dataclass(frozen=True)
class InformationChain:
    """Every link of the §3.1 chain for one instance, in bits.

    Attributes
    ----------
    family : str
        The family's label.
    V, T, B : int
        Vocabulary, horizon, number of quantisation levels.
    policy : str
        The behaviour policy's name.
    n_used : int
        Number of quantised return values that occur (at most ``B``).
    log2_B, H_G, I_G_xi, I_G_pi : float
        The article's chain, right to left.
    H_G_given_tau, I_G_xi_given_tau, I_G_pi_given_tau, H_G_given_xi_tau : float
        The learner's side: what one episode teaches a learner that knows its trajectory.
    H_xi, H_pi : float
        Prior entropies of ξ and π*.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import make_family
    >>> c = information_chain(make_family("exact_match", TokenMDP(2, 1)), 2)
    >>> c.H_G, c.I_G_xi, c.I_G_pi, c.I_G_xi_given_tau
    (1.0, 0.0, 0.0, 1.0)
    """

    family: str
    V: int
    T: int
    B: int
    policy: str
    n_used: int
    log2_B: float
    H_G: float
    I_G_xi: float
    I_G_pi: float
    H_G_given_tau: float
    I_G_xi_given_tau: float
    I_G_pi_given_tau: float
    H_G_given_xi_tau: float
    H_xi: float
    H_pi: float

    def slacks(self) -> dict[str, float]:
        """The slack of each link: ``log2 B − H(G)``, ``H(G) − I(G;ξ) = H(G|ξ)``,
        ``I(G;ξ) − I(G;π*) = I(G;ξ|π*)``, and the learner's ``H(G|τ) − I(G;ξ|τ) = H(G|ξ,τ)``."""
        return {
            "log2 B − H(G)": self.log2_B - self.H_G,
            "H(G) − I(G;ξ)": self.H_G - self.I_G_xi,
            "I(G;ξ) − I(G;π*)": self.I_G_xi - self.I_G_pi,
            "H(G|τ) − I(G;ξ|τ)": self.H_G_given_tau - self.I_G_xi_given_tau,
        }

    def holds(self, tol: float = SLACK_BITS) -> bool:
        """Whether every link of both chains holds (no slack below ``-tol``), including
        ``I(G;π*|τ) <= I(G;ξ|τ)`` and ``H(G|τ) <= H(G)``."""
        extra = [self.I_G_xi_given_tau - self.I_G_pi_given_tau, self.H_G - self.H_G_given_tau,
                 math.log2(self.n_used) - self.H_G]
        return min(list(self.slacks().values()) + extra) >= -tol


def return_bins(values: Any, B: int) -> np.ndarray:
    """The bin of each return level under :class:`~infobandwidth.signals.signals.QuantisedReturn` ``(B)`` (§3.1).

    Equal-width bins over ``[values[0], values[-1]]``; a value on an edge goes to the bin above,
    the top value to the top bin (as :func:`infobandwidth.information.quantise.quantise`).

    Parameters
    ----------
    values : array_like
        The sorted return values of a family (``family.return_levels()``).
    B : int
        Number of bins, ``>= 1``.

    Returns
    -------
    numpy.ndarray of int

    Raises
    ------
    ValueError
        ``B`` not an integer ``>= 1``, or values that are empty, not finite or not sorted.

    Examples
    --------
    >>> return_bins([0, 1/3, 2/3, 1], 2).tolist()
    [0, 0, 1, 1]
    """
    B = check_int(B, "B", 1, "the number of bins, e.g. 2")
    values = np.asarray(values, dtype=float).reshape(-1)
    if not values.size or not np.isfinite(values).all() or (np.diff(values) < 0).any():
        raise ValueError("values must be a non-empty, finite, sorted array of return values")
    return _bins(values, B)


def _bins(values: np.ndarray, B: int) -> np.ndarray:
    lo, hi = float(values[0]), float(values[-1])
    if hi <= lo:
        return np.zeros(len(values), dtype=np.int64)
    return np.clip(np.floor((values - lo) / (hi - lo) * B + BIN_EDGE_NUDGE), 0, B - 1).astype(np.int64)


def information_chain(family: RewardFamily, B: int, policy: Policy | None = None, *,
                      prior: Any = None, label: str | None = None) -> InformationChain:
    """Every link of ``I(G;π*) <= I(G;ξ) <= H(G) <= log2 B`` for one instance, exactly (§3.1).

    ``G`` is the sparse return quantised into ``B`` equal-width bins over the family's range of
    returns; the numbers come from :func:`~infobandwidth.signals.bandwidth.signal_bandwidth`.

    Parameters
    ----------
    family : RewardFamily
    B : int
        Number of levels, ``>= 1``.
    policy : Policy, optional
        The behaviour policy (default uniform).
    prior : array_like, optional
        Weights over ξ replacing the family's prior (e.g. a learner's posterior).
    label : str, optional
        The family's label in tables (default: its kind, e.g. ``"exact_match"``).

    Returns
    -------
    InformationChain

    Raises
    ------
    ValueError
        ``B`` not an integer ``>= 1``; any error of ``signal_bandwidth``.

    Examples
    --------
    Match count on two tokens of a binary vocabulary, uniform policy, 3 and 2 levels:

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import make_family
    >>> fam = make_family("match_count", TokenMDP(2, 2))
    >>> c3, c2 = information_chain(fam, 3), information_chain(fam, 2)
    >>> round(c3.H_G, 3), round(c2.H_G, 3), c3.H_G <= c3.log2_B     # G = 0, 1/2, 1 w.p. 1/4, 1/2, 1/4
    (1.5, 0.811, True)
    """
    check_family(family)
    B = check_int(B, "B", 1, "the number of return levels, e.g. 2")
    signal = QuantisedReturn(B)
    b = signal_bandwidth(family, signal, policy, prior=prior)
    pol = policy if policy is not None else uniform_policy(family.mdp)
    n_used = len(np.unique(_bins(family.return_levels(), B)))
    return InformationChain(
        family=label or family.name, V=family.mdp.V, T=family.mdp.T, B=B, policy=pol.name,
        n_used=n_used, log2_B=math.log2(B), H_G=b.H_S, I_G_xi=b.I_S_xi, I_G_pi=b.I_S_pi,
        H_G_given_tau=b.H_S_given_tau, I_G_xi_given_tau=b.I_S_xi_given_tau,
        I_G_pi_given_tau=b.I_S_pi_given_tau, H_G_given_xi_tau=b.H_S_given_xi_tau,
        H_xi=b.H_xi, H_pi=b.H_pi,
    )


# ============================================================================ Markov check
def markov_numbers(family: RewardFamily, policies: Sequence[Policy], weights: Any = None) -> dict:
    """``I(G; π* | ξ)`` and friends when the current policy π_θ is itself random (§3.1, §2.4).

    Builds the joint of ξ (the family's prior), the current policy π_θ (one of ``policies``, drawn
    with probabilities ``weights``, default uniform, independent of ξ), the trajectory
    ``τ ~ π_θ``, the return ``G = R_ξ(τ)`` and ``π* = π*_ξ``,
    and measures the conditional independences the data processing inequality needs.

    Parameters
    ----------
    family : RewardFamily
    policies : sequence of Policy
        The candidate current policies, on the family's MDP.
    weights : array_like, optional
        Their probabilities.

    Returns
    -------
    dict
        ``"I(G;π*|ξ)"`` (0 exactly when ``G – ξ – π*`` is a Markov chain), ``"I(G;π*|ξ,π_θ)"``,
        ``"I(G;π_θ|ξ)"`` (how much ``G`` depends on the policy once the task is fixed), ``"I(G;π_θ)"``,
        ``"I(G;ξ)"``, ``"I(G;π*)"``.

    Raises
    ------
    ValueError
        No policies, a policy on another MDP, or weights that are not a distribution.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import make_family
    >>> from infobandwidth.model.mdp import behaviour_policy
    >>> fam = make_family("token_utility", TokenMDP(2, 1))
    >>> mdp = fam.mdp
    >>> n = markov_numbers(fam, [behaviour_policy(mdp, 0.9), behaviour_policy(mdp, 0.1)])
    >>> n["I(G;π*|ξ)"], n["I(G;π_θ|ξ)"] > 0.1
    (0.0, True)
    """
    from infobandwidth.information.joint import Joint

    check_family(family)
    policies = list(policies)
    if not policies:
        raise ValueError("give at least one policy")
    policies = [check_policy(p, family.mdp) for p in policies]
    k = len(policies)
    wts = np.full(k, 1.0 / k) if weights is None else np.asarray(weights, dtype=float)
    if wts.shape != (k,) or (wts < 0).any() or abs(wts.sum() - 1) > 1e-9:
        raise ValueError(f"weights must be a distribution over the {k} policies, got {weights!r}")
    bound = as_signal("return").bind(family)
    n_xi, n_tr = family.n_xi, family.mdp.n_trajectories
    opt = optimal_policies(family)
    codes = bound.codes(np.arange(n_xi), np.arange(n_tr))  # (n_xi, n_tr)
    joint = Joint.independent(xi=family.prior, policy=wts)
    joint = joint.with_channel("tau", np.stack([p.trajectory_probs() for p in policies]), "policy")
    G = np.zeros((n_xi, n_tr, bound.K_obs))
    G[np.arange(n_xi)[:, None], np.arange(n_tr)[None, :], codes] = 1.0
    joint = joint.with_channel("G", G, ["xi", "tau"])
    P = np.zeros((n_xi, opt.n_classes))
    P[np.arange(n_xi), opt.classes] = 1.0
    joint = joint.with_channel("pi_star", P, "xi")
    return {
        "I(G;π*|ξ)": clean_bits(joint.I("G", "pi_star", given="xi")),
        "I(G;π*|ξ,π_θ)": clean_bits(joint.I("G", "pi_star", given=["xi", "policy"])),
        "I(G;π_θ|ξ)": clean_bits(joint.I("G", "policy", given="xi")),
        "I(G;π_θ)": clean_bits(joint.I("G", "policy")),
        "I(G;ξ)": clean_bits(joint.I("G", "xi")),
        "I(G;π*)": clean_bits(joint.I("G", "pi_star")),
    }
