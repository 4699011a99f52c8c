"""The instances and runs of §4.3, *Sample complexity* (``book/part4/sample-complexity.md``).

The information bound ``N ≥ (H(π*) − ε) / c`` is set against episodes that were *measured*:

* the ideal Bayesian learner, exactly (:func:`~infobandwidth.signals.accumulation.information_accumulation`),
  playing uniformly or by posterior sampling; ``N_ε`` is the first ``N`` with
  ``E[H(π* | D_N)] ≤ ε``, the very quantity the bound is about;
* the ideal learner on a hidden string, in closed form for long strings
  (:func:`~infobandwidth.learning.sample_complexity.exact_match_summary`);
* the Part 3 learners: REINFORCE on the §3.1 tasks (:func:`~infobandwidth.book.experiments.policy_gradient.chapter_runs`)
  and REINFORCE and actor-critic with sparse and dense rewards on hidden strings
  (:func:`~infobandwidth.book.experiments.actor_critic.learning_comparison`).

:func:`article_example` recomputes the article's illustrative numbers (``H = 10⁴`` bits, ``T = 1000``).
"""
from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from infobandwidth.base.validate import check_int
from infobandwidth.learning.sample_complexity import exact_match_summary, information_lower_bound
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import make_family
from infobandwidth.signals.accumulation import information_accumulation

__all__ = [
    "ARTICLE",
    "EPSILON",
    "IDEAL_TASKS",
    "AC_HORIZONS",
    "LONG_STRINGS",
    "BoundRow",
    "BoundTable",
    "article_example",
    "episodes_to_epsilon",
    "ideal_rows",
    "hidden_string_rows",
    "learner_rows",
    "bound_table",
    "accumulation_runs",
]

#: The article's illustrative example: bits to learn, horizon, policy gradient's bits per episode
#: ``c ∈ [1, 4]``, and actor-critic's from "a poor critic" (10 bits) to ``T`` bits.
ARTICLE = {"H": 10_000, "T": 1000, "pg_bits": (1, 4), "ac_bits": (10, 1000)}
#: Posterior entropy (bits) at which π* counts as learned in the exact rows.
EPSILON = 0.1
#: The ideal learner's tasks: (label, family name, |V|, T); all exact.
IDEAL_TASKS = (
    ("exact match", "exact_match", 2, 3),
    ("exact match", "exact_match", 3, 2),
    ("match count", "match_count", 2, 3),
    ("match count", "match_count", 3, 2),
    ("match count", "match_count", 2, 4),
)
#: Horizons of the actor-critic runs (hidden strings on |V| = 2) and their settings.
AC_HORIZONS = (2, 3, 4)
AC_SETTINGS = {"seeds": 4, "n_updates": 40}
#: Long hidden strings (|V| = 2) of the closed-form rows.
LONG_STRINGS = (4, 8, 12, 16, 20)
#: Episodes of the exact accumulation runs (enough for every task to reach EPSILON).
_EPISODES = 30


@dataclass(frozen=True)
class BoundRow:
    """One learner on one task: the information bound against a measured count of episodes.

    Attributes
    ----------
    learner : str
    task : str
        Family, ``|V|`` and ``T``.
    H_pi : float
        ``H(π*)`` in bits.
    c : float
        Bits one episode can carry at most (the bound's denominator).
    bound : float
        ``(H(π*) − ε) / c`` (ε = 0 for the learner rows).
    measured : float
        Episodes measured (what is counted is in ``counts``).
    counts : str
        What ``measured`` counts.
    exact : bool
        Whether ``measured`` is an exact expectation (else a mean or median over seeds).
    """

    learner: str
    task: str
    H_pi: float
    c: float
    bound: float
    measured: float
    counts: str
    exact: bool

    @property
    def ratio(self) -> float:
        """``measured / bound``: 1 is a tight bound."""
        return self.measured / self.bound


@dataclass(frozen=True)
class BoundTable:
    """Rows of :func:`bound_table`; displays as an HTML table in a notebook."""

    rows: tuple

    def by_learner(self, learner: str) -> list[BoundRow]:
        """The rows of one learner."""
        return [r for r in self.rows if r.learner == learner]

    def _repr_html_(self) -> str:
        heads = ("learner", "task", "H(π*)", "c", "bound", "measured", "÷ bound")
        short = {}
        body = []
        for r in self.rows:
            key = short.setdefault(r.counts, "abcdefgh"[len(short)])
            cells = [r.learner, r.task, f"{r.H_pi:.2f}", f"{r.c:.3g}", f"{r.bound:.2f}",
                     (f"{r.measured:,.0f}" if r.measured >= 100 else f"{r.measured:.3g}")
                     + ("" if r.exact else "*") + f" ({key})",
                     f"{r.ratio:,.0f}" if r.ratio >= 100 else f"{r.ratio:.3g}"]
            body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        legend = "; ".join(f"({k}) {html.escape(what)}" for what, k in short.items())
        return (_TABLE_STYLE + '<div class="ib-bound-wrap"><table class="ib-bound-table"><thead><tr>'
                + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
                + "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>"
                + f"<p><small>H(π*) and c in bits, c per episode; bound = (H(π*) − H_left)/c with H_left = {EPSILON:g} in (a), 0 otherwise. "
                  f"What is measured: {legend}. * a mean or median over seeds; the others are exact."
                  f"</small></p>")


#: Compact, right-aligned numeric table that scrolls sideways on a narrow screen.
_TABLE_STYLE = (
    "<style>.ib-bound-wrap{overflow-x:auto;max-width:100%}"
    ".ib-bound-table{font-size:.76em;border-collapse:collapse;margin:.5em 0}"
    ".ib-bound-table th,.ib-bound-table td{padding:.12em .45em;text-align:right;"
    "border-bottom:1px solid #ddd;white-space:nowrap}"
    ".ib-bound-table th:nth-child(n+3),.ib-bound-table td:nth-child(n+3){padding-left:.3em}"
    ".ib-bound-table td:nth-child(-n+2),.ib-bound-table th:nth-child(-n+2){text-align:left}</style>"
)


def article_example(H: float = ARTICLE["H"], T: int = ARTICLE["T"],
                    pg_bits: Sequence[float] = ARTICLE["pg_bits"],
                    ac_bits: Sequence[float] = ARTICLE["ac_bits"]) -> dict[str, tuple[float, float]]:
    """The article's illustrative bounds: ``H / c`` for policy gradient and actor-critic, and their ratio.

    Parameters
    ----------
    H : float
        Bits to learn, ``H(π*)`` (> 0).
    T : int
        Horizon; actor-critic's bits per episode are capped at ``T``.
    pg_bits, ac_bits : pair of float
        Lowest and highest bits per episode of each algorithm.

    Returns
    -------
    dict
        ``pg`` and ``ac``: (fewest, most) episodes; ``gap``: (smallest, largest) ratio PG ÷ AC over
        all the combinations; ``gap_at_c1``: the same with policy gradient at one bit per episode.

    Raises
    ------
    ValueError
        A non-positive ``H`` or number of bits, or actor-critic bits above ``T``.

    Examples
    --------
    >>> ex = article_example()
    >>> ex["pg"], ex["ac"], ex["gap_at_c1"]
    ((2500.0, 10000.0), (10.0, 1000.0), (10.0, 1000.0))
    >>> ex["gap"]
    (2.5, 1000.0)
    """
    T = check_int(T, "T", 1, "a horizon is a positive integer")
    if not (np.isfinite(H) and H > 0):
        raise ValueError(f"H must be a positive number of bits, got {H!r}")
    lo_pg, hi_pg = (float(b) for b in pg_bits)
    lo_ac, hi_ac = (float(b) for b in ac_bits)
    if min(lo_pg, lo_ac) <= 0 or lo_pg > hi_pg or lo_ac > hi_ac:
        raise ValueError(f"bits per episode must be positive (low, high) pairs, got {pg_bits!r}, {ac_bits!r}")
    if hi_ac > T:
        raise ValueError(f"actor-critic's bits per episode ({hi_ac:g}) cannot exceed T = {T}: "
                         "T binary TD errors carry at most T bits of new information")
    pg = (information_lower_bound(H, hi_pg), information_lower_bound(H, lo_pg))
    ac = (information_lower_bound(H, hi_ac), information_lower_bound(H, lo_ac))
    return {"pg": pg, "ac": ac,
            "gap": (pg[0] / ac[1], pg[1] / ac[0]),
            "gap_at_c1": (pg[1] / ac[1], pg[1] / ac[0])}


def episodes_to_epsilon(entropy: np.ndarray, epsilon: float = EPSILON) -> int:
    """First ``N`` with ``E[H(π* | D_N)] ≤ epsilon``, from a curve ``entropy[N]``; ``-1`` if never.

    Examples
    --------
    >>> episodes_to_epsilon(np.array([3.0, 1.0, 0.05, 0.0]), 0.1)
    2
    """
    if not (np.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(f"epsilon must be a finite number of bits ≥ 0, got {epsilon!r}")
    hit = np.flatnonzero(np.asarray(entropy, dtype=float) <= epsilon)
    return int(hit[0]) if hit.size else -1


@functools.lru_cache(maxsize=2)
def accumulation_runs(episodes: int = _EPISODES) -> dict:
    """Exact :func:`information_accumulation` of both ideal learners on :data:`IDEAL_TASKS` (cached).

    Returns
    -------
    dict
        ``{(label, name, V, T, learner): Accumulation}``.
    """
    out = {}
    for label, name, V, T in IDEAL_TASKS:
        fam = make_family(name, TokenMDP(V, T))
        for learner in ("uniform", "posterior_sampling"):
            out[(label, name, V, T, learner)] = information_accumulation(fam, learner, episodes,
                                                                         method="exact")
    return out


def ideal_rows(epsilon: float = EPSILON) -> list[BoundRow]:
    """The ideal learner on :data:`IDEAL_TASKS`: ``N_ε`` exactly against ``(H(π*) − ε) / log2 B``.

    Examples
    --------
    >>> rows = ideal_rows()
    >>> all(r.ratio >= 1 for r in rows), rows[1].task, rows[1].measured
    (True, 'exact match |V|=2 T=3', 7.0)
    """
    rows = []
    for (label, _, V, T, learner), acc in accumulation_runs().items():
        n = episodes_to_epsilon(acc.entropy_pi_star, epsilon)
        if n < 0:
            raise ValueError(f"{label} V={V} T={T}: the {learner} learner did not reach ε = {epsilon} "
                             f"in {acc.N} episodes; raise the number of episodes")
        c = acc.log2_levels
        rows.append(BoundRow(
            learner="ideal, " + ("uniform" if learner == "uniform" else "posterior sampling"),
            task=f"{label} |V|={V} T={T}", H_pi=acc.H_pi_star, c=c,
            bound=information_lower_bound(acc.H_pi_star - epsilon, c), measured=float(n),
            counts=f"N with E[H(π*|D_N)] ≤ {epsilon:g} bits", exact=True))
    return rows


def hidden_string_rows(Ts: Sequence[int] = LONG_STRINGS, V: int = 2) -> list[BoundRow]:
    """The ideal learner on long hidden strings, in closed form: sparse (c = 1) and dense (c = T).

    Examples
    --------
    >>> rows = hidden_string_rows((4,))
    >>> [(r.bound, r.measured) for r in rows]
    [(4.0, 8.4375), (1.0, 1.0)]
    """
    rows = []
    for T in Ts:
        s = exact_match_summary(V, T)
        task = f"exact match |V|={V} T={T}"
        rows.append(BoundRow("ideal, sparse reward", task, s["H_xi"], 1.0, s["bound_sparse"],
                             s["ideal_sparse"], "E[episodes until ξ is known]", True))
        rows.append(BoundRow("ideal, dense reward", task, s["H_xi"], float(T), s["bound_dense"],
                             s["ideal_dense"], "E[episodes until ξ is known]", True))
    return rows


def learner_rows() -> list[BoundRow]:
    """The Part 3 learners: REINFORCE on the §3.1 tasks, and REINFORCE and actor-critic on hidden
    strings with sparse (c = 1 bit) and dense (c = T bits) rewards, with the bound at ε = 0.

    Examples
    --------
    >>> rows = learner_rows()                              # doctest: +SKIP
    >>> min(r.ratio for r in rows) >= 1                    # doctest: +SKIP
    True
    """
    from infobandwidth.book.experiments.actor_critic import learning_comparison
    from infobandwidth.book.experiments.policy_gradient import chapter_runs

    rows = []
    for r in chapter_runs().rows:
        c = math.log2(r.levels)
        task = r.label.replace(", V=", " |V|=").replace(", T=", " T=")
        rows.append(BoundRow("data of REINFORCE's runs", task, r.H_pi, c,
                             r.bound, r.data_mean, "mean episodes until the data identify π*", False))
        rows.append(BoundRow("REINFORCE", task, r.H_pi, c, r.bound,
                             r.reinforce_median, "median episodes to 0.9·J*", False))
    runs = learning_comparison(AC_HORIZONS, seeds=AC_SETTINGS["seeds"],
                               n_updates=AC_SETTINGS["n_updates"])
    for label, d in runs.items():
        dense = "dense" in label
        for T, med in zip(d["T"], d["median"]):
            T = int(T)
            c = float(T) if dense else 1.0
            rows.append(BoundRow(label, f"exact match |V|=2 T={T}", float(T), c,
                                 information_lower_bound(float(T), c), float(med),
                                 "median episodes to 0.9·J*", False))
    return rows


@functools.lru_cache(maxsize=1)
def bound_table() -> BoundTable:
    """All rows: :func:`ideal_rows`, :func:`hidden_string_rows` and :func:`learner_rows` (cached:
    the chapter, its figure and its claim checks share them).

    Examples
    --------
    >>> t = bound_table()                                  # doctest: +SKIP
    >>> all(r.ratio >= 1 for r in t.rows)                  # doctest: +SKIP
    True
    """
    return BoundTable(tuple(ideal_rows() + hidden_string_rows() + learner_rows()))
