"""Figures of §4.5, *Scope and applicability* (``book/part4/scope.md``).

* :func:`draw_drift_floor` — the drift's entropy rate and the observer's steady-state uncertainty
  against the drift probability η.
* :func:`draw_exploration` — ``E[H(π* | D_n)]`` of uniform, posterior and information-directed
  sampling on the hint tasks.
* :func:`draw_optimisation_gap` — bits about ξ in REINFORCE's data against bits in its policy.
* :data:`drift_demo` — the observer's uncertainty along the episodes, for a chosen η and signal.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.scope import (
    DRIFT_ETAS,
    HINTS,
    drift_rows,
    drift_runs,
    exploration_runs,
    optimisation_gap,
)
from infobandwidth.book.figures.style import (
    BOUND,
    DENSE,
    LEARN,
    LEARN_PI,
    OPAQUE_LEGEND,
    PURPLE,
    REINFORCE,
    SPARSE,
    TEAL,
    new_figure,
    style_axes,
)

__all__ = ["draw_drift_floor", "draw_exploration", "draw_optimisation_gap", "draw_drift_run",
           "drift_demo", "RULE_STYLE"]

#: rule -> (label, colour) of :func:`draw_exploration`.
RULE_STYLE = {"uniform": ("uniform sampling", TEAL),
              "posterior_sampling": ("posterior (Thompson) sampling", LEARN_PI),
              "ids": ("information-directed sampling", PURPLE)}


def draw_drift_floor() -> Figure:
    """Entropy rate, the bound ``rate − log2 B`` and the steady-state uncertainty against η."""
    rows = drift_rows()
    eta = np.array([r.eta for r in rows])
    fig = new_figure(6.4, 3.6)
    ax = fig.add_axes([0.1, 0.14, 0.56, 0.78])
    ax.plot(eta, [r.rate for r in rows], "-", color=LEARN, lw=1.6,
            label="bits the drift creates, H(ξₙ₊₁ | ξₙ)")
    ax.errorbar(eta, [r.floor for r in rows], yerr=[2 * r.floor_se for r in rows], fmt="o-",
                color=SPARSE, ms=4, lw=1.4, capsize=2, label="left uncertain, sparse return")
    ax.plot(eta, [r.new_bits for r in rows], "s--", color=LEARN_PI, ms=3.5, lw=1,
            label="new bits per episode, sparse return")
    ax.plot(eta, [r.bound for r in rows], ":", color=BOUND, lw=1.4, label="floor bound: rate − log₂B")
    ax.plot(eta, [r.dense_floor for r in rows], "D-", color=DENSE, ms=3.5, lw=1,
            label="left uncertain, dense reward")
    ax.set_xlabel("drift probability η (ξ redrawn before an episode)", fontsize=9)
    ax.set_ylabel("bits", fontsize=9)
    ax.set_ylim(-0.05, 2.1)
    style_axes(ax, labelsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7.5, **OPAQUE_LEGEND)
    return fig


def draw_exploration() -> Figure:
    """``E[H(π* | D_n)]`` against ``n`` for the three rules, one panel per hint of :data:`HINTS`."""
    runs = exploration_runs()
    fig = new_figure(7.0, 3.2)
    axes = [fig.add_axes([0.08 + 0.47 * i, 0.15, 0.4, 0.72]) for i in range(2)]
    for ax, hint in zip(axes, HINTS):
        for rule, (label, colour) in RULE_STYLE.items():
            c = runs[(hint, rule)]
            n = np.arange(16)
            ax.plot(n, c.entropy_pi_star[:16], "o-", ms=3, lw=1.3, color=colour,
                    label=f"{label}: {c.episodes_to_identify:.2f}")
        ax.set_title(f"hint string aaa {hint}", fontsize=9)
        ax.set_xlabel("episodes n", fontsize=9)
        style_axes(ax, labelsize=8)
        ax.legend(fontsize=7, title="E[episodes to identify π*]", title_fontsize=7, **OPAQUE_LEGEND)
    axes[0].set_ylabel("E[H(π* | Dₙ)], bits", fontsize=9)
    return fig


def draw_optimisation_gap() -> Figure:
    """Bits about ξ in REINFORCE's data (ideal observer) and in its policy, medians and quartiles."""
    gap = optimisation_gap()
    fig = new_figure(7.0, 3.2)
    axes = [fig.add_axes([0.08 + 0.47 * i, 0.15, 0.4, 0.72]) for i in range(len(gap))]
    for ax, (label, g) in zip(axes, gap.items()):
        x = g["episodes"]
        ax.plot(x, g["data"], color=LEARN, lw=1.6, label="in the data (ideal observer)")
        ax.fill_between(x, *g["data_q"], color=LEARN, alpha=0.15, lw=0)
        ax.plot(x, g["policy"], color=REINFORCE, lw=1.6, label="in the policy, log₂(|Ξ|·J)")
        ax.fill_between(x, *g["policy_q"], color=REINFORCE, alpha=0.15, lw=0)
        ax.axhline(np.log2(g["n_xi"]), color=BOUND, ls="--", lw=1)
        ax.set_xscale("symlog", linthresh=4)
        ax.set_xlim(0, x[-1])
        ax.set_xticks([0, 4, 16, 64, 256], ["0", "4", "16", "64", "256"])
        ax.minorticks_off()
        ax.set_ylim(-1.2, np.log2(g["n_xi"]) + 0.4)
        ax.set_title(label.replace("V=", "|V|="), fontsize=9)
        ax.set_xlabel("episodes", fontsize=9)
        style_axes(ax, labelsize=8)
    axes[0].set_ylabel("bits about ξ gained over the prior", fontsize=9)
    axes[0].legend(fontsize=7, loc="lower right", **OPAQUE_LEGEND)
    return fig


def draw_drift_run(eta: float = 0.2, signal: str = "sparse return") -> Figure:
    """``E[H(ξ_n | D_n)]`` and the predicted uncertainty along the episodes, for one η and signal.

    Parameters
    ----------
    eta : float
        One of :data:`DRIFT_ETAS`.
    signal : {"sparse return", "dense reward"}
    """
    if eta not in DRIFT_ETAS:
        raise ValueError(f"eta must be one of {DRIFT_ETAS}, got {eta!r}")
    if signal not in ("sparse return", "dense reward"):
        raise ValueError(f"signal must be 'sparse return' or 'dense reward', got {signal!r}")
    c = drift_runs()[("sparse" if signal == "sparse return" else "dense", eta)]
    rows = {r.eta: r for r in drift_rows()}
    fig = new_figure(6.0, 3.3)
    ax = fig.add_axes([0.1, 0.15, 0.85, 0.7])
    n = np.arange(c.N + 1)
    ax.plot(n, c.entropy, "o-", ms=2.5, lw=1.2, color=SPARSE if c.method == "sample" else DENSE,
            label="E[H(ξₙ | Dₙ)], after the episode")
    ax.plot(n[1:], c.predicted, "-", lw=1, color=LEARN_PI, label="E[H(ξₙ | Dₙ₋₁)], before it")
    ax.axhline(c.rate, color=LEARN, ls="--", lw=1.2, label=f"drift's entropy rate {c.rate:.2f} bits")
    ax.set_xlim(0, 50)
    ax.set_ylim(-0.05, 2.1)
    ax.set_xlabel("episode n", fontsize=9)
    ax.set_ylabel("bits", fontsize=9)
    style_axes(ax, labelsize=8)
    ax.legend(fontsize=7.5, loc="upper right", **OPAQUE_LEGEND)
    floor = c.steady(1 if c.method == "exact" else 25)[0]
    fig.suptitle(f"η = {eta:g}, {signal}: settles at {floor:.2f} bits; rate − log₂B = "
                 f"{max(0.0, c.rate - c.log2_levels):.2f}; sparse floor {rows[eta].floor:.2f}",
                 fontsize=9, y=0.97)
    return fig


drift_demo = Demo(
    name="scope-drift",
    func=draw_drift_run,
    grid={"eta": list(DRIFT_ETAS), "signal": ["sparse return", "dense reward"]},
    labels={"eta": "drift probability η", "signal": "signal"},
    description="Choose how often the hidden string is redrawn and what the learner observes: the "
                "curve is the ideal observer's uncertainty about the current string.",
)
