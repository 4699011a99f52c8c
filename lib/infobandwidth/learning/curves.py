"""Learning curves over many seeds: episodes to identify ξ, quantiles and :func:`run_seeds` (§3, §4.3).

:func:`run_seeds` runs REINFORCE or actor-critic once per seed (ξ drawn from the prior or fixed)
and summarises the runs in a :class:`SeedSummary`: episodes to reach a share of J* (median and
quartiles), the share of runs solved. :func:`episodes_to_identify` reads off a run the episodes
after which the ideal observer knows ξ.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np

from infobandwidth.base.numerics import ZERO_BITS
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import (
    check_int,
    check_rate,
    rng_from_seed,
)
from infobandwidth.learning.actor_critic import actor_critic
from infobandwidth.learning.reinforce import reinforce
from infobandwidth.learning.runs import TrainingCurve, _Task, episodes_to_solve
from infobandwidth.learning.tabular import HiddenString
from infobandwidth.model.rewards import RewardFamily

__all__ = [
    "episodes_to_identify",
    "SeedSummary",
    "run_seeds",
]


# ============================================================================ learning curves
def episodes_to_identify(curve: Any) -> float:
    """Episodes after which the ideal observer of a run knows ξ (``H(ξ | D) = 0``), or ``inf`` (§3.2).

    Resolved to the curve's rows (``eval_every``).

    Parameters
    ----------
    curve : TrainingCurve
        From :func:`~infobandwidth.learning.reinforce.reinforce` or :func:`~infobandwidth.learning.actor_critic.actor_critic`
        with the observer tracked.

    Returns
    -------
    int or float

    Raises
    ------
    ValueError
        If the curve is not a TrainingCurve or did not track the observer.

    Examples
    --------
    >>> from infobandwidth.learning.actor_critic import actor_critic
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> c = actor_critic(exact_match(TokenMDP(2, 3)), 5, n_updates=10, batch_size=2, dense=True)
    >>> episodes_to_identify(c) <= 20
    True
    """
    from infobandwidth.learning.runs import TrainingCurve

    if not isinstance(curve, TrainingCurve):
        raise ValueError(f"curve must be a TrainingCurve, got {type(curve).__name__}")
    if curve.entropy_xi is None:
        raise ValueError("this run did not track the ideal observer; run the learner with posterior=True")
    hit = np.flatnonzero(curve.entropy_xi <= ZERO_BITS)
    return int(curve.episodes[hit[0]]) if hit.size else math.inf


# ============================================================================ summaries




def _quantiles(x: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = np.quantile(x, [0.25, 0.5, 0.75], axis=axis, method="inverted_cdf")
    return q[1], q[0], q[2]


@dataclass(frozen=True)
class SeedSummary:
    """Several runs of one learner, summarised by median and quartiles (§3.1, §3.2, §4).

    Quantiles are order statistics (inverted CDF), so an unsolved run counts as ``inf`` episodes.

    Attributes
    ----------
    algorithm : str
    threshold : float
        The ``threshold`` of :func:`episodes_to_solve`.
    seeds, xis : tuple of int
        The seed and the true ξ of every run.
    runs : tuple of TrainingCurve
    episodes_to_solve : numpy.ndarray, shape (n_runs,)
        Per run (``inf`` if never solved).
    episodes : numpy.ndarray
        The common episode axis of the curves.
    J_median, J_q25, J_q75 : numpy.ndarray
        Exact ``J`` across runs at each row.
    entropy_median, entropy_q25, entropy_q75 : numpy.ndarray or None
        ``H(ξ | D)`` across runs (None if not tracked).

    Examples
    --------
    See :func:`run_seeds`.

    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> s = run_seeds("actor_critic", exact_match(TokenMDP(2, 2)), 1, [0, 1], n_updates=30,
    ...               batch_size=4, lr_actor=2.0)
    >>> s.seeds, s.xis, s.solved_fraction
    ((0, 1), (1, 1), 1.0)
    """

    algorithm: str
    threshold: float
    seeds: tuple
    xis: tuple
    runs: tuple = field(repr=False)
    episodes_to_solve: np.ndarray
    episodes: np.ndarray = field(repr=False)
    J_median: np.ndarray = field(repr=False)
    J_q25: np.ndarray = field(repr=False)
    J_q75: np.ndarray = field(repr=False)
    entropy_median: np.ndarray | None = field(repr=False)
    entropy_q25: np.ndarray | None = field(repr=False)
    entropy_q75: np.ndarray | None = field(repr=False)

    @property
    def solved_fraction(self) -> float:
        """Share of runs that reached the threshold."""
        return float(np.isfinite(self.episodes_to_solve).mean())

    @property
    def median_episodes(self) -> float:
        """Median episodes to solve (``inf`` if at most half the runs solved)."""
        return float(_quantiles(self.episodes_to_solve)[0])

    @property
    def quartiles(self) -> tuple[float, float]:
        """Lower and upper quartile of the episodes to solve."""
        _, lo, hi = _quantiles(self.episodes_to_solve)
        return float(lo), float(hi)

    def describe(self) -> str:
        """One line: median and quartiles of episodes to solve, and how many runs solved."""
        lo, hi = self.quartiles
        solved = int(np.isfinite(self.episodes_to_solve).sum())
        return (f"{self.algorithm}: episodes to reach {self.threshold:g}·J*: median "
                f"{self.median_episodes:g} (quartiles {lo:g}–{hi:g}), solved {solved}/{len(self.runs)}")


_LEARNERS: dict[str, Callable[..., TrainingCurve]] = {
    "reinforce": reinforce,
    "actor_critic": actor_critic,
}


def run_seeds(
    algorithm: str,
    family: RewardFamily | HiddenString,
    xi: Any,
    seeds: int | Iterable[int],
    *,
    threshold: float = 0.9,
    **kwargs: Any,
) -> SeedSummary:
    """Run a learner for several seeds and summarise the curves (§3.1, §3.2, §4).

    Shows a progress bar over the seeds when run live (silent in the book build).

    Parameters
    ----------
    algorithm : {"reinforce", "actor_critic"}
    family : RewardFamily or HiddenString
    xi : int or "prior"
        The true ξ of every run, or ``"prior"``: run ``i`` draws its own ξ from the family's prior
        (uniform for a HiddenString) with a generator seeded by ``(seed_i, 1)``, independent of
        the learner's episodes.
    seeds : int or iterable of int
        ``n`` for seeds ``0 .. n-1``, or the seeds themselves (non-negative ints).
    threshold : float
        For :func:`episodes_to_solve`.
    **kwargs
        Arguments of the learner (``n_updates``, ``batch_size``, ``lr``, ...).

    Returns
    -------
    SeedSummary

    Raises
    ------
    ValueError
        An unknown algorithm, no seeds, a seed that is not a non-negative int, a threshold outside
        ``(0, 1]``, ``seed`` among the kwargs, or any error of the learner.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> s = run_seeds("reinforce", exact_match(TokenMDP(2, 3)), "prior", 4, n_updates=40,
    ...               batch_size=8, lr=2.0, baseline="mean")
    >>> len(s.runs), s.solved_fraction, s.J_median.shape
    (4, 1.0, (41,))
    """
    if algorithm not in _LEARNERS:
        raise ValueError(f"unknown algorithm {algorithm!r}; valid: {', '.join(_LEARNERS)}")
    if "seed" in kwargs:
        raise ValueError("pass the seeds as `seeds`, not seed=")
    check_rate(threshold, "threshold", at_most_one=True, hint="a share of J*, e.g. 0.9")
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seed_list = list(range(check_int(seeds, "seeds", 1, "run at least one seed")))
    else:
        try:
            seed_list = list(seeds)
        except TypeError:
            raise ValueError(f"seeds must be an int or an iterable of ints, got {seeds!r}") from None
        if not seed_list:
            raise ValueError("seeds is empty; give at least one seed")
        for s in seed_list:
            rng_from_seed(s)  # validates: a non-negative int
    draw = isinstance(xi, str)
    if draw and xi != "prior":
        raise ValueError(f"xi must be an int or 'prior', got {xi!r}")
    runs, xis = [], []
    for s in progress(seed_list, total=len(seed_list), desc=f"{algorithm} seeds"):
        x = xi
        if draw:
            g = np.random.default_rng((int(s), 1))
            if isinstance(family, HiddenString):
                x = int(g.integers(family.n_xi))
            elif isinstance(family, RewardFamily):
                x = int(g.choice(family.n_xi, p=family.prior))
            else:
                _Task(family, 0, False)  # raises the family type error
        c = _LEARNERS[algorithm](family, x, seed=int(s), **kwargs)
        runs.append(c)
        xis.append(int(c.settings["xi"]))
    ets = np.array([episodes_to_solve(c, threshold) for c in runs], dtype=float)
    J = np.stack([c.J for c in runs])
    Jm, Jlo, Jhi = _quantiles(J)
    ent = None
    if all(c.entropy_xi is not None for c in runs):
        ent = _quantiles(np.stack([c.entropy_xi for c in runs]))
    return SeedSummary(
        algorithm=algorithm,
        threshold=float(threshold),
        seeds=tuple(int(s) for s in seed_list),
        xis=tuple(xis),
        runs=tuple(runs),
        episodes_to_solve=ets,
        episodes=runs[0].episodes,
        J_median=Jm,
        J_q25=Jlo,
        J_q75=Jhi,
        entropy_median=None if ent is None else ent[0],
        entropy_q25=None if ent is None else ent[1],
        entropy_q75=None if ent is None else ent[2],
    )
