"""Sample complexity: information lower bounds against what an ideal learner actually needs (§1, §4.3).

The article's sample-complexity argument divides the bits to be learned by the bits an episode can
carry. This module computes both sides exactly on the simplest task there is — find a hidden string
of ``T`` tokens from a vocabulary of ``V`` — so the book can show how loose the division can be.

The ideal learner knows the task family and never wastes an episode: it tries candidates it has not
ruled out yet. "Episodes to identify" counts episodes until the learner *knows* ξ (it may know it
without having produced it: when one candidate is left, no episode is needed to test it).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

__all__ = [
    "information_lower_bound",
    "exact_match_episodes_sparse",
    "exact_match_episodes_dense",
    "exact_match_summary",
]

_MAX_CANDIDATES_EXACT = 10**15  # above this, exact Fractions are replaced by floats


def _check_vt(V, T, overflow: bool = True) -> tuple[int, int]:
    """Validate ``V`` and ``T``; with ``overflow``, also refuse a ``V**T`` beyond float range."""
    for name, val in (("V", V), ("T", T)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)):
            raise ValueError(f"{name} must be a positive integer, got {val!r}")
        if val < 1:
            raise ValueError(f"{name} must be at least 1, got {val}")
    if overflow and int(T) * math.log10(max(int(V), 1)) > 300:
        raise ValueError(
            f"V**T = {V}**{T} has more than 300 digits and overflows a float; use smaller V or T")
    return int(V), int(T)


def information_lower_bound(bits_to_learn: float, bits_per_episode: float) -> float:
    """Fewest episodes any learner could need: ``bits_to_learn / bits_per_episode``.

    If every episode tells at most ``c`` bits, identifying a variable of entropy ``H`` takes at
    least ``H / c`` episodes on average (§4.3; a consequence of the chain rule).

    Parameters
    ----------
    bits_to_learn : float
        Entropy of what must be identified, in bits (≥ 0).
    bits_per_episode : float
        Upper bound on the information one episode carries, in bits (> 0).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If an argument is not finite, ``bits_to_learn < 0`` or ``bits_per_episode <= 0``.

    Examples
    --------
    >>> information_lower_bound(10.0, 2.0)
    5.0
    """
    for name, val in (("bits_to_learn", bits_to_learn), ("bits_per_episode", bits_per_episode)):
        if not np.isfinite(val):
            raise ValueError(f"{name} must be finite, got {val!r}")
    if bits_to_learn < 0:
        raise ValueError(f"bits_to_learn must be >= 0, got {bits_to_learn}")
    if bits_per_episode <= 0:
        raise ValueError(f"bits_per_episode must be > 0, got {bits_per_episode}: "
                         "a signal that carries no information never identifies anything")
    return float(bits_to_learn) / float(bits_per_episode)


def exact_match_episodes_sparse(V: int, T: int) -> float:
    """Expected episodes for an ideal learner to identify a uniformly random hidden string from a
    binary exact-match reward (1 if the whole string matches, else 0).

    With ``n = V**T`` candidates tried in any fixed order, the target sits at a uniform position
    ``K``; the learner knows it after ``K`` episodes, except that after ``n - 1`` failures the last
    candidate is known untested. Hence ``E = (n - 1)(n + 2) / (2n)``.

    Parameters
    ----------
    V, T : int
        Vocabulary size and string length (≥ 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If V or T is not a positive integer or ``V**T`` overflows.

    Examples
    --------
    >>> exact_match_episodes_sparse(2, 1)   # two candidates: one test settles it
    1.0
    >>> exact_match_episodes_sparse(2, 2)   # (3 * 6) / 8
    2.25
    """
    V, T = _check_vt(V, T)
    n = V**T
    if n <= _MAX_CANDIDATES_EXACT:
        return float(Fraction((n - 1) * (n + 2), 2 * n))
    return (n - 1) / 2 * (n + 2) / n


def exact_match_episodes_dense(V: int, T: int) -> float:
    """Expected episodes for an ideal learner that is told, after every episode, which positions
    of its string were correct (a dense per-token reward for the same hidden string).

    Positions are searched in parallel. Position ``i`` is known after ``M_i = min(K_i, V - 1)``
    episodes with ``K_i`` uniform on ``1..V``; the string is known after ``max_i M_i``. So
    ``E = sum_{m>=0} P(max > m) = sum_{m=0}^{V-2} (1 - (m / V)**T)``, with ``(0/V)**T = 0``.

    Examples
    --------
    >>> exact_match_episodes_dense(2, 5)    # every position is settled by the first episode
    1.0
    >>> exact_match_episodes_dense(1, 3)    # a one-token vocabulary leaves nothing to learn
    0.0
    """
    V, T = _check_vt(V, T, overflow=False)       # the sum below never forms V**T
    if V > 10**7:
        raise ValueError(f"V = {V} is too large to sum over exactly (limit 10**7)")
    m = np.arange(0, V - 1, dtype=float)
    return float(np.sum(1.0 - (m / V) ** T))


def exact_match_summary(V: int, T: int) -> dict:
    """Everything §1 compares for the hidden-string task, in one dictionary.

    Returns
    -------
    dict
        ``H_xi`` (bits to learn, ``T log2 V``), ``bound_sparse`` (``H_xi / 1`` — a binary reward
        carries at most 1 bit), ``bound_dense`` (``H_xi / T`` — T binary signals carry at most T
        bits), ``ideal_sparse`` and ``ideal_dense`` (expected episodes of the ideal learner), and
        ``first_episode_bits_sparse`` — the information the very first binary reward carries,
        ``h(V**-T)``.

    Examples
    --------
    >>> s = exact_match_summary(2, 3)
    >>> s["H_xi"], s["bound_sparse"], s["ideal_sparse"]
    (3.0, 3.0, 4.375)
    """
    V, T = _check_vt(V, T)
    H = T * math.log2(V)
    p = V ** (-float(T))
    h = 0.0 if p in (0.0, 1.0) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))
    return {
        "V": V,
        "T": T,
        "H_xi": H,
        "bound_sparse": information_lower_bound(H, 1.0),
        "bound_dense": information_lower_bound(H, float(T)),
        "ideal_sparse": exact_match_episodes_sparse(V, T),
        "ideal_dense": exact_match_episodes_dense(V, T),
        "first_episode_bits_sparse": h,
    }
