"""Figures and the demo of §4.6, *Fundamental trade-offs* (``book/part4/trade-offs.md``).

* :func:`draw_density` — new bits per episode, operations per episode and bits per operation of
  the four rows of §4.1 against the horizon (captioned figure).
* :func:`draw_priors` — median episodes to solve against ``H(π* | prior)`` and against the
  surprisal of the true task, with quartile bars (captioned figure).
* :func:`draw_forgetting` — held-out KL from the pretrained policy against the training
  movement, per arm, under RL and SFT (captioned figure).
* :data:`prior_demo` — the demo: choose a prior's concentration and how far its centre is from
  the truth; see its mass and the learning curves that start from it.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.trade_offs import (
    PRIOR,
    ROW_LEARNER,
    density_rows,
    forgetting,
    prior_arm,
    prior_arms,
    prior_centre,
)
from infobandwidth.book.figures.style import (
    ACTOR_CRITIC,
    BOUND,
    CATEGORICAL,
    DARK,
    DEEP_GREEN,
    DEEP_RED,
    OPAQUE_LEGEND,
    REINFORCE,
    new_figure,
    style_axes,
)
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.priors import tempered_prior

__all__ = ["draw_density", "draw_priors", "draw_forgetting", "draw_prior_demo", "prior_demo"]

_ROW_STYLE = {"pg-return": (REINFORCE, "-", "REINFORCE, sparse return"),
              "pg-rtg": (REINFORCE, "--", "REINFORCE, reward-to-go, dense"),
              "ac-sparse": (ACTOR_CRITIC, "-", "actor-critic, sparse"),
              "ac-dense": (ACTOR_CRITIC, "--", "actor-critic, dense")}
_SHIFT_COLOUR = {0: DEEP_GREEN, 3: CATEGORICAL[1], 6: DEEP_RED}


def _shift_label(k: int) -> str:
    if k == 0:
        return "right (centre = truth)"
    if k == PRIOR["T"]:
        return f"wrong (centre {k} tokens off)"
    return f"half right (centre {k} tokens off)"


def draw_density() -> Figure:
    """Three panels against T: new bits per episode, operations per episode, bits per 1000 ops."""
    rows = density_rows()
    fig = new_figure(11.0, 3.5)
    axes = fig.subplots(1, 3)
    for key in ROW_LEARNER:
        c, ls, lab = _ROW_STYLE[key]
        r = rows[key]
        axes[0].plot(r["T"], r["bits"], color=c, ls=ls, marker="o", ms=3, label=lab)
        axes[1].plot(r["T"], r["ops"], color=c, ls=ls, marker="o", ms=3, label=lab)
        axes[2].plot(r["T"], 1000 * r["bits_per_op"], color=c, ls=ls, marker="o", ms=3, label=lab)
    titles = ("new bits per episode", "operations per episode", "bits per 1000 operations")
    for ax, title in zip(axes, titles):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("horizon T (tokens)")
        ax.set_title(title, fontsize=10)
        style_axes(ax)
    axes[2].legend(fontsize=7, loc="lower left", **OPAQUE_LEGEND)
    fig.tight_layout()
    return fig


def _median_and_bars(arm):
    ep = np.where(np.isfinite(arm.episodes), arm.episodes, 2 * arm.budget)
    q1, med, q3 = np.percentile(ep, [25, 50, 75])
    return med, med - q1, q3 - med


def draw_priors() -> Figure:
    """Median episodes to solve (quartile bars) against H(π* | prior) and against the surprisal."""
    arms = prior_arms()
    fig = new_figure(10.0, 3.8)
    axes = fig.subplots(1, 2, sharey=True)
    budget = arms[0].budget
    for k in PRIOR["shifts"]:
        sel = [a for a in arms if a.shift == k]
        for ax, xs in ((axes[0], [a.H_prior for a in sel]), (axes[1], [a.surprisal for a in sel])):
            stats = np.array([_median_and_bars(a) for a in sel])
            ax.errorbar(xs, stats[:, 0], yerr=stats[:, 1:].T, color=_SHIFT_COLOUR[k], marker="o",
                        ms=5, capsize=3, lw=1.2, label=_shift_label(k))
    s = np.linspace(0, 12, 100)
    axes[1].plot(s, 2.0 ** s, color=BOUND, ls=":", lw=1.2,
                 label=r"$2^{\mathrm{surprisal}}$: wait for the first success")
    for ax in axes:
        ax.axhline(budget, color=BOUND, ls="--", lw=1)
        ax.set_yscale("log")
        style_axes(ax)
    axes[0].text(axes[0].get_xlim()[0], budget * 1.15, " budget (above: not solved)", fontsize=8,
                 color=BOUND)
    axes[0].set_xlabel(r"$H(\pi^* \mid \mathrm{prior})$ (bits)")
    axes[1].set_xlabel(r"surprisal of the true task, $-\log_2 p(\xi^*)$ (bits)")
    axes[1].set_xlim(0, 27)
    axes[0].set_ylabel("episodes to reach 0.9 J*")
    axes[0].set_ylim(50, 8 * budget)
    axes[0].legend(fontsize=7, loc="upper right", **OPAQUE_LEGEND)
    axes[1].legend(fontsize=7, loc="lower right", **OPAQUE_LEGEND)
    fig.tight_layout()
    return fig


def draw_forgetting() -> Figure:
    """Held-out KL from π₀ against KL on the fine-tuning prompts, per arm and seed, RL and SFT."""
    fig = new_figure(10.0, 3.8)
    axes = fig.subplots(1, 2, sharey=True)
    titles = {"rl": "RL (independent targets)", "sft": "SFT (information-rich targets)"}
    top = 0.0
    for ax, task in zip(axes, ("rl", "sft")):
        for i, arm in enumerate(forgetting(task)):
            colour = DARK if arm.rank is None else CATEGORICAL[i - 1]
            ax.scatter(arm.train_kl, arm.heldout_kl, color=colour, s=28,
                       marker="s" if arm.rank is None else "o",
                       label=f"{arm.label} (α={arm.lr:g}, score {arm.train_score.mean():.2f})")
            top = max(top, float(arm.train_kl.max()), float(arm.heldout_kl.max()))
        ax.set_title(titles[task], fontsize=10)
        ax.set_xlabel(r"fine-tuning prompts: $D_{\mathrm{KL}}(\pi_0 \Vert \pi)$ (bits)")
        style_axes(ax)
        ax.legend(fontsize=7, loc="upper left", **OPAQUE_LEGEND)
    for ax in axes:
        ax.plot([0, top * 1.05], [0, top * 1.05], color=BOUND, ls=":", lw=1)
        ax.set_xlim(0, top * 1.05)
        ax.set_ylim(0, top * 1.05)
    axes[0].set_ylabel(r"held-out prompts: $D_{\mathrm{KL}}(\pi_0 \Vert \pi)$ (bits)")
    fig.tight_layout()
    return fig


def draw_prior_demo(beta: float = 1.0, shift: int = 0) -> Figure:
    """Left: the prior's mass by Hamming distance from the truth; right: the runs from it."""
    arm = prior_arm(beta, shift)
    mdp = TokenMDP(PRIOR["V"], PRIOR["T"])
    p = tempered_prior(mdp, prior_centre(shift), beta)
    truth = mdp.decode(np.array([PRIOR["xi"]]))[0]
    dist = (mdp.decode(np.arange(mdp.n_trajectories)) != truth).sum(axis=1)
    mass = np.bincount(dist, weights=p, minlength=PRIOR["T"] + 1)
    fig = new_figure(9.0, 3.4)
    ax0, ax1 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.5]})
    ax0.bar(np.arange(PRIOR["T"] + 1), mass, color=_SHIFT_COLOUR.get(shift, CATEGORICAL[0]))
    ax0.set_ylim(0, 1)
    ax0.set_xlabel("Hamming distance from the true string")
    ax0.set_ylabel("prior mass")
    ax0.set_title(f"H(π*|prior) = {arm.H_prior:.2f} bits, surprisal = {arm.surprisal:.2f} bits",
                  fontsize=9)
    style_axes(ax0, grid="y")
    for j, J in enumerate(arm.J):
        ax1.plot(arm.x, J, color=REINFORCE, lw=1.2, alpha=0.8, label="REINFORCE, 4 seeds" if j == 0 else None)
    wait = arm.expected_wait
    if wait <= arm.budget:
        ax1.axvline(wait, color=BOUND, ls=":", lw=1.2, label=f"1/p(ξ*) = {wait:.0f} episodes")
    else:
        ax1.text(0.5 * arm.budget, 0.5, f"first success expected\nafter {wait:,.0f} episodes",
                 ha="center", fontsize=9, color=BOUND)
    ax1.set_ylim(0, 1.02)
    ax1.set_xlabel("episodes")
    ax1.set_ylabel("success rate J")
    ax1.set_title(f"solved {arm.solved:.0%} of runs within {arm.budget} episodes", fontsize=9)
    style_axes(ax1)
    ax1.legend(fontsize=7, loc="upper left", **OPAQUE_LEGEND)
    fig.tight_layout()
    return fig


prior_demo = Demo(
    name="trade-offs-prior",
    func=draw_prior_demo,
    grid={"beta": list(PRIOR["betas"]), "shift": list(PRIOR["shifts"])},
    labels={"beta": "concentration λ", "shift": "centre's distance from truth"},
    description="Make the prior stronger, then move its centre away from the true string.",
)
