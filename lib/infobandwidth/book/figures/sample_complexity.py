"""Figures of §4.3, *Sample complexity* (``book/part4/sample-complexity.md``).

* :func:`draw_bound_ratios` — measured episodes ÷ the information bound, one marker per learner and
  task, on a log scale.
* :data:`calculator` — the article's calculator: bits to learn, policy gradient's bits per episode
  and the horizon → the two bounds and their gap (a :class:`~infobandwidth.book.demos.Demo`).
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.sample_complexity import BoundTable, article_example, bound_table
from infobandwidth.book.figures.style import (
    ACTOR_CRITIC,
    BOUND,
    DARK,
    DENSE,
    LEARN_PI,
    OPAQUE_LEGEND,
    PURPLE,
    REINFORCE,
    SPARSE,
    TEAL,
    new_figure,
    style_axes,
)

__all__ = ["LEARNER_STYLE", "draw_bound_ratios", "calculator_values", "draw_calculator", "calculator",
           "CALC_H", "CALC_C", "CALC_T"]

#: learner -> (colour, marker) of :func:`draw_bound_ratios`.
LEARNER_STYLE = {
    "ideal, posterior sampling": (LEARN_PI, "o"),
    "ideal, uniform": (TEAL, "o"),
    "ideal, sparse reward": (SPARSE, "s"),
    "ideal, dense reward": (DENSE, "s"),
    "data of REINFORCE's runs": (PURPLE, "D"),
    "REINFORCE": (REINFORCE, "^"),
    "REINFORCE, sparse": (REINFORCE, "v"),
    "REINFORCE, dense (reward-to-go)": (REINFORCE, "<"),
    "actor-critic, sparse": (ACTOR_CRITIC, "v"),
    "actor-critic, dense": (ACTOR_CRITIC, "<"),
}


def draw_bound_ratios(table: BoundTable | None = None) -> Figure:
    """Measured episodes ÷ ``(H(π*) − ε)/c`` for every row of ``table`` (default
    :func:`~infobandwidth.book.experiments.sample_complexity.bound_table`), one line per learner,
    against ``H(π*)``, on log axes.

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = bound_table() if table is None else table
    fig = new_figure(7.0, 4.0)
    ax = fig.add_axes([0.09, 0.13, 0.55, 0.8])
    learners = list(dict.fromkeys(r.learner for r in table.rows))
    for k, learner in enumerate(learners):
        rows = table.by_learner(learner)
        colour, marker = LEARNER_STYLE.get(learner, (DARK, "x"))
        jitter = 1 + 0.012 * (k - len(learners) / 2)
        x = np.array([r.H_pi for r in rows]) * jitter
        y = np.array([r.ratio for r in rows])
        filled = learner.startswith("ideal")
        series = all(r.task.startswith("exact match |V|=2") for r in rows)   # one family, T grows
        ax.plot(x, y, marker=marker, ls=("-" if filled else ":") if series else "none", lw=1, ms=6,
                color=colour,
                mfc=colour if filled else "white", mec=colour, label=learner)
    ax.axhline(1, color=BOUND, ls="--", lw=1.2)
    ax.text(5.2, 1.1, "bound is tight", color=BOUND, fontsize=8,
            va="bottom")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("H(π*), bits to learn", fontsize=9)
    ax.set_ylabel("measured episodes ÷ bound (H(π*) − H_left)/c", fontsize=9)
    ax.set_xticks([2, 3, 4, 5, 8, 12, 16, 20], ["2", "3", "4", "5", "8", "12", "16", "20"])
    ax.minorticks_off()
    ax.set_ylim(0.7, None)
    style_axes(ax, grid="y", labelsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7.5, title="filled: exact; open: runs",
              title_fontsize=7.5, **OPAQUE_LEGEND)
    return fig


#: Grid of the calculator: bits to learn, policy gradient's bits per episode, horizon.
CALC_H = (1_000, 10_000, 100_000)
CALC_C = (1, 2, 4)
CALC_T = (100, 1_000, 10_000)
#: Bits per episode of actor-critic with a poor critic, the article's low end.
POOR_CRITIC_BITS = 10


def calculator_values(H: float = 10_000, c: float = 1, T: int = 1_000) -> dict[str, float]:
    """The numbers :func:`draw_calculator` draws: episodes for each reading of the bound.

    Examples
    --------
    >>> v = calculator_values(10_000, 1, 1_000)
    >>> v["policy gradient: H/c"], v["actor-critic, T bits/episode: H/T"], v["gap, PG ÷ AC (best)"]
    (10000.0, 10.0, 1000.0)
    """
    ex = article_example(H, T, (c, c), (min(POOR_CRITIC_BITS, T), T))
    return {"policy gradient: H/c": ex["pg"][0],
            "actor-critic, 10 bits/episode: H/10": ex["ac"][1],
            "actor-critic, T bits/episode: H/T": ex["ac"][0],
            "actor-critic, sparse reward: H/c": ex["pg"][0],
            "gap, PG ÷ AC (best)": ex["pg"][0] / ex["ac"][0]}


def draw_calculator(H: float = 10_000, c: float = 1, T: int = 1_000) -> Figure:
    """Horizontal bars (log scale) of the fewest episodes each learner could need.

    Parameters
    ----------
    H : float
        ``H(π*)`` in bits.
    c : float
        Policy gradient's bits per episode.
    T : int
        Horizon (actor-critic's ceiling: ``T`` bits per episode).

    Returns
    -------
    matplotlib.figure.Figure
    """
    v = calculator_values(H, c, T)
    names = [k for k in v if not k.startswith("gap")]
    colours = [REINFORCE, ACTOR_CRITIC, ACTOR_CRITIC, SPARSE]
    fig = new_figure(6.4, 3.0)
    ax = fig.add_axes([0.38, 0.17, 0.58, 0.66])
    y = np.arange(len(names))[::-1]
    vals = [v[n] for n in names]
    ax.barh(y, vals, color=colours, height=0.6, alpha=0.9)
    for yy, val in zip(y, vals):
        ax.text(val * 1.15, yy, f"{val:,.0f}" if val >= 10 else f"{val:.2g}", va="center", fontsize=8.5)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(0.5, max(CALC_H) / min(CALC_C) * 20)
    ax.set_xlabel("fewest episodes N ≥ H(π*) / (bits per episode), log scale", fontsize=8.5)
    style_axes(ax, grid="x", labelsize=8, ticks="x")
    fig.suptitle(f"H(π*) = {H:,.0f} bits, PG at c = {c} bits/episode, T = {T:,} tokens: "
                 f"gap up to {v['gap, PG ÷ AC (best)']:,.0f}×", fontsize=9, y=0.97)
    return fig


calculator = Demo(
    name="sample-complexity-calculator",
    func=draw_calculator,
    grid={"H": list(CALC_H), "c": list(CALC_C), "T": list(CALC_T)},
    labels={"H": "bits to learn H(π*)", "c": "PG bits per episode c", "T": "horizon T"},
    description="Choose the bits to learn, policy gradient's bits per episode and the horizon: the bars "
                "are the fewest episodes each learner could need. The red bar is actor-critic with a "
                "sparse reward, whose new bits are the return's.",
)
