"""Priors of tunable strength over hidden strings, and the policy that writes them (§4.6).

Used by ``book/part4/trade-offs.md``. Pretraining gives a learner a *prior*: before any reward it
already prefers some answers. Two numbers describe such a prior ``p`` over the task ξ:

* its entropy ``H(p)``, which for a hidden string (every ξ its own optimal policy) is the article's
  ``H(π* | prior)``: how much is left to learn *if the prior is right*;
* the **surprisal** of the true task, ``-log2 p(ξ*)``: how many bits the prior is *short* of the
  answer the learner actually faces. For a prior that is wrong it is large even when ``H(p)`` is
  small.

:func:`tempered_prior` is a one-parameter family between the uniform prior (``beta = 0``) and a
point mass on a chosen centre string (``beta → ∞``): ``p(ξ) ∝ exp(-beta · d(ξ, centre))`` with
``d`` the Hamming distance. Its tokens are independent (it is a
:func:`~infobandwidth.model.rewards.string_prior`), so everything about it has a closed form.
:func:`prior_policy_logits` turns any positive prior over strings into the tabular softmax policy
that writes strings with exactly those probabilities: the "pretrained policy" a fine-tuning run
starts from.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from infobandwidth.base.validate import as_array, check_distribution
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import string_prior

__all__ = [
    "tempered_prior",
    "tempered_token_probs",
    "prior_policy_logits",
    "surprisal_bits",
]


def _check_mdp(mdp: Any) -> TokenMDP:
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    if mdp.end_token is not None:
        raise ValueError("priors over hidden strings need an MDP without an end token")
    return mdp


def _centre_tokens(mdp: TokenMDP, centre: Any) -> np.ndarray:
    if isinstance(centre, (list, tuple, np.ndarray)):
        toks = np.asarray(centre)
        if toks.shape != (mdp.T,) or toks.dtype.kind not in "iu":
            raise ValueError(f"centre as tokens must be {mdp.T} integers, got {centre!r}")
        if toks.min() < 0 or toks.max() >= mdp.V:
            raise ValueError(f"centre tokens must lie in 0..{mdp.V - 1}")
        return toks.astype(np.int64)
    if isinstance(centre, bool) or not isinstance(centre, (int, np.integer)):
        raise ValueError(f"centre must be a string index (int) or {mdp.T} tokens, got {centre!r}")
    if not 0 <= int(centre) < mdp.n_trajectories:
        raise ValueError(f"centre must lie in 0..{mdp.n_trajectories - 1}, got {centre}")
    return mdp.decode(np.array([int(centre)]))[0].astype(np.int64)


def _check_beta(beta: Any) -> float:
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.integer, np.floating)):
        raise ValueError(f"beta must be a number >= 0, got {beta!r}")
    b = float(beta)
    if not math.isfinite(b) or b < 0:
        raise ValueError(f"beta must be finite and >= 0 (0 is the uniform prior), got {beta!r}; "
                         "for a point mass use a large finite beta such as 20")
    return b


def tempered_token_probs(mdp: TokenMDP, centre: Any, beta: float) -> np.ndarray:
    """The per-position token distributions of :func:`tempered_prior`, shape ``(T, V)``.

    Position ``t`` holds the centre's token with probability ``1 / (1 + (V-1) e^{-beta})`` and each
    other token with ``e^{-beta} / (1 + (V-1) e^{-beta})``.

    Examples
    --------
    >>> tempered_token_probs(TokenMDP(2, 2), [0, 1], 0.0).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    >>> tempered_token_probs(TokenMDP(2, 1), [1], math.log(3)).round(3).tolist()
    [[0.25, 0.75]]
    """
    mdp = _check_mdp(mdp)
    c = _centre_tokens(mdp, centre)
    b = _check_beta(beta)
    w = np.full((mdp.T, mdp.V), math.exp(-b))
    w[np.arange(mdp.T), c] = 1.0
    return w / w.sum(axis=1, keepdims=True)


def tempered_prior(mdp: TokenMDP, centre: Any, beta: float) -> np.ndarray:
    """A prior over the ``V**T`` hidden strings, ``p(ξ) ∝ exp(-beta · d(ξ, centre))`` (§4.6).

    ``d`` is the Hamming distance (the number of positions where two strings differ). ``beta = 0``
    is the uniform prior; a large ``beta`` puts nearly all the mass on ``centre``. A *right* prior
    is centred on the true task, a *wrong* one elsewhere.

    Parameters
    ----------
    mdp : TokenMDP
        Without an end token.
    centre : int or sequence of int
        The string the prior prefers, as a trajectory index or as ``T`` tokens.
    beta : float
        Concentration, finite and ``>= 0``.

    Returns
    -------
    numpy.ndarray, shape (V**T,)
        Indexed like the trajectories, so it is a prior for
        :func:`~infobandwidth.model.rewards.exact_match`.

    Raises
    ------
    ValueError
        A negative or infinite ``beta``, a centre outside the strings, an MDP with an end token.

    Examples
    --------
    >>> p = tempered_prior(TokenMDP(2, 2), centre=0, beta=math.log(3))
    >>> p.tolist()                         # aa (the centre), ab, ba, bb
    [0.5625, 0.1875, 0.1875, 0.0625]
    >>> tempered_prior(TokenMDP(2, 2), 0, -1.0)
    Traceback (most recent call last):
        ...
    ValueError: beta must be finite and >= 0 (0 is the uniform prior), got -1.0; for a point mass use a large finite beta such as 20
    """
    return string_prior(mdp, tempered_token_probs(mdp, centre, beta))


def prior_policy_logits(mdp: TokenMDP, prior: Any) -> np.ndarray:
    """The tabular policy that writes each string ξ with probability ``prior[ξ]``, as logits.

    ``θ[s, a] = log P(s·a) - log P(s)``, where ``P(s)`` is the prior mass of the strings that start
    with prefix ``s``: the chain rule written token by token. The softmax of each row is then the
    prior's next-token distribution, and the policy's distribution over whole strings is the prior.
    This is the pretrained policy a fine-tuning run of §4.6 starts from (``init_logits``).

    Parameters
    ----------
    mdp : TokenMDP
        Without an end token.
    prior : array_like, shape (V**T,)
        A distribution over strings with every entry positive (a policy that gives a string zero
        probability can never find it by sampling).

    Returns
    -------
    numpy.ndarray, shape (n_prefixes, V)

    Raises
    ------
    ValueError
        A prior of the wrong length, not a distribution, or with a zero entry.

    Examples
    --------
    >>> mdp = TokenMDP(2, 2)
    >>> th = prior_policy_logits(mdp, [0.5625, 0.1875, 0.1875, 0.0625])
    >>> np.exp(th - np.log(np.exp(th).sum(axis=1, keepdims=True))).round(3).tolist()
    [[0.75, 0.25], [0.75, 0.25], [0.75, 0.25]]
    """
    mdp = _check_mdp(mdp)
    p = as_array(prior, name="prior", ndim=1)
    if p.shape != (mdp.n_trajectories,):
        raise ValueError(f"prior has {p.size} entries; give one per string, {mdp.n_trajectories}")
    check_distribution(p, name="prior")
    if (p <= 0).any():
        raise ValueError("every string needs positive prior mass: a policy that never writes a string "
                         "can never be rewarded for it; mix in a little of the uniform prior")
    V, T = mdp.V, mdp.T
    rows = []
    mass = p
    for _ in range(T):                  # prefixes of length T-1, T-2, ..., 0: children in order
        child = mass.reshape(-1, V)
        rows.append(np.log(child) - np.log(child.sum(axis=1, keepdims=True)))
        mass = child.sum(axis=1)
    return np.concatenate(rows[::-1], axis=0)


def surprisal_bits(prior: Any, xi: Any) -> float:
    """``-log2 prior[xi]``: the bits a prior is short of the true task ξ (0 for a point mass on it).

    Averaged over a true task drawn from ``q``, it is the cross-entropy ``H(q) + D_KL(q ‖ prior)``.

    Examples
    --------
    >>> surprisal_bits([0.5, 0.25, 0.25], 2)
    2.0
    """
    p = as_array(prior, name="prior", ndim=1)
    check_distribution(p, name="prior")
    if isinstance(xi, bool) or not isinstance(xi, (int, np.integer)) or not 0 <= int(xi) < p.size:
        raise ValueError(f"xi must be an index in 0..{p.size - 1}, got {xi!r}")
    if p[int(xi)] <= 0:
        return math.inf
    return float(-math.log2(p[int(xi)]))
