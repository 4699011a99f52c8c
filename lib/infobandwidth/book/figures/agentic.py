"""Figures of §4.7, agentic RL and model-based methods (chapter ``book/part4/agentic.md``).

* :func:`draw_transition_gain` — what one observed transition tells about ``P(· | s, a)`` against
  the common concentration α₀ of a symmetric prior, and what ``N_{s,a}`` observed transitions of one
  pair tell, against ``N_{s,a}`` (captioned figure);
* :func:`draw_accumulation` — what ``N`` episodes of the chapter's MDP tell about the transitions and
  about the reward, sampled, against the article's linear reading (captioned figure);
* :func:`draw_episode_bars` and :data:`episode_bars` — one episode's bits, split by source and by
  learner, for a chosen ``|𝒮|``, α₀ and ``T`` (the demo).

The argument ``alpha`` is α₀, the common concentration of a symmetric Dirichlet prior (a plain α is
the learning rate in the book).

The ``*_values`` functions return what the drawings show, for the tests.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.agentic import (
    ACCUMULATION,
    INSTANCE,
    episode_rows,
    mdp_accumulation,
    pair_curves,
)
from infobandwidth.book.figures.style import (
    ARTICLE,
    BOUND,
    LEARN,
    MUTED,
    OPAQUE_LEGEND,
    PURPLE,
    REINFORCE,
    TEAL,
    new_figure,
    style_axes,
)
from infobandwidth.information.dirichlet import dirichlet_information_gain

__all__ = [
    "transition_gain_values",
    "draw_transition_gain",
    "accumulation_values",
    "draw_accumulation",
    "episode_bars_values",
    "draw_episode_bars",
    "episode_bars",
    "GAIN_K",
]

#: Numbers of next states ``|𝒮|`` drawn in the left panel of :func:`draw_transition_gain`.
GAIN_K = (2, 3, 5)
_K_COLOR = {2: ARTICLE, 3: TEAL, 5: PURPLE}


def transition_gain_values() -> dict:
    """What :func:`draw_transition_gain` draws: the gain of one draw on a grid of α₀ for each number
    of next states ``|𝒮|`` in :data:`GAIN_K`, and the exact per-pair curves with their asymptotes."""
    alpha = np.geomspace(1e-3, 1e3, 121)
    gain = {k: np.asarray(dirichlet_information_gain(np.repeat(alpha[:, None], k, axis=1)))
            for k in GAIN_K}
    return {"alpha": alpha, "gain": gain, "pairs": pair_curves()}


def draw_transition_gain() -> Figure:
    """Left: ``I(s'; P(·|s,a))`` of one observed transition against the common concentration α₀.
    Right: ``I(s'_1..s'_N; P(·|s,a))`` against the pair's observations ``N = N_{s,a}``, exact, with
    the asymptote and the linear reading."""
    v = transition_gain_values()
    fig = new_figure(7.6, 3.4)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.15, wspace=0.28)
    ax = fig.add_subplot(1, 2, 1)
    for k in GAIN_K:
        ax.plot(v["alpha"], v["gain"][k], color=_K_COLOR[k], lw=1.8, label=rf"$|\mathcal{{S}}|$ = {k}")
        ax.axhline(math.log2(k), color=_K_COLOR[k], ls="--", lw=0.9)
        ax.text(1.5e3, math.log2(k), rf"$\log_2 {k}$", fontsize=7.5, va="bottom", ha="right",
                color=_K_COLOR[k])
    ax.axvline(1.0, color=BOUND, ls=":", lw=0.9)
    ax.set_xscale("log")
    ax.set_ylim(0, math.log2(max(GAIN_K)) * 1.1)
    ax.set_xlabel(r"prior concentration $\alpha_0$ (each of the $|\mathcal{S}|$ entries)", fontsize=8.5)
    ax.set_ylabel("bits", fontsize=8.5)
    ax.set_title(r"one transition: $I(s'; \mathbf{P}(\cdot|s,a))$", fontsize=9.5, loc="left")
    ax.legend(fontsize=7.8, loc="lower left", **OPAQUE_LEGEND)
    style_axes(ax, labelsize=8, grid_lw=0.8)
    ax = fig.add_subplot(1, 2, 2)
    top = 0.0
    for k, c in v["pairs"].items():
        ax.plot(c["n"], c["exact"], color=_K_COLOR[k], lw=2)
        ax.plot(c["n"], c["asymptote"], color=_K_COLOR[k], ls="--", lw=1)
        ax.plot(c["n"], c["n"] * math.log2(k), color=_K_COLOR[k], ls=":", lw=1)
        x_end, y_end = float(c["n"][-1]), float(c["exact"][-1])
        longest = c["n"][-1] == max(cc["n"][-1] for cc in v["pairs"].values())
        ax.text(x_end if longest else x_end * 1.15, y_end + (0.15 if longest else 0.0),
                rf"$|\mathcal{{S}}|$ = {k}", color=_K_COLOR[k], fontsize=8,
                ha="right" if longest else "left", va="bottom" if longest else "center")
        top = max(top, float(c["exact"][-1]))
    # line styles, in grey: the colours are the numbers of next states
    ax.plot([], [], color=BOUND, lw=2, label="exact")
    ax.plot([], [], color=BOUND, ls="--", lw=1, label=r"$\frac{|\mathcal{S}|-1}{2}\log_2 N_{s,a}$ + const")
    ax.plot([], [], color=BOUND, ls=":", lw=1, label=r"$N_{s,a}\,\log_2|\mathcal{S}|$ (linear reading)")
    ax.set_xscale("log")
    ax.set_ylim(0, top * 1.45)
    ax.set_xlabel(r"observations $N_{s,a}$ of one pair $(s, a)$", fontsize=8.5)
    ax.set_title(r"$N_{s,a}$ transitions: $I(s'_1, \dots, s'_{N_{s,a}}; \mathbf{P}(\cdot|s,a))$", fontsize=9.5,
                 loc="left")
    ax.legend(fontsize=7.2, loc="upper left", bbox_to_anchor=(0.3, 1.0), **OPAQUE_LEGEND)
    style_axes(ax, labelsize=8, grid_lw=0.8)
    fig.text(0.08, 0.955, "Dirichlet prior on one transition distribution; right panel: uniform "
             r"prior ($\alpha_0$ = 1)", fontsize=7.8, color=BOUND)
    return fig


def accumulation_values() -> dict:
    """What :func:`draw_accumulation` draws: sampled ``I(D_N; P)`` and ``I(D_N; ξ)`` with standard
    errors, the linear reading ``N T log2|𝒮|`` and the log-slope reference."""
    acc = mdp_accumulation()
    N = np.arange(len(acc.dynamics))
    S, A, T = INSTANCE["n_states"], INSTANCE["n_actions"], ACCUMULATION["horizon"]
    slope = S * A * (S - 1) / 2                               # bits per doubling of N, asymptotically
    ref = acc.dynamics[-1] + slope * np.log2(np.maximum(N, 1) / N[-1])
    return {"N": N, "dynamics": acc.dynamics, "dynamics_se": acc.dynamics_stderr,
            "reward": acc.reward, "reward_se": acc.reward_stderr, "linear": N * T * math.log2(S),
            "reference": ref, "slope": slope, "H_xi": math.log2(S), "n_runs": acc.n_runs}


def draw_accumulation() -> Figure:
    """Bits about the transitions and about the reward after ``N`` episodes (log ``N``)."""
    v = accumulation_values()
    N = v["N"][1:]
    fig = new_figure(6.6, 3.7)
    ax = fig.add_axes([0.1, 0.14, 0.86, 0.7])
    d, se = v["dynamics"][1:], v["dynamics_se"][1:]
    ax.fill_between(N, d - 2 * se, d + 2 * se, color=LEARN, alpha=0.25, lw=0)
    ax.plot(N, d, color=LEARN, lw=2, label=r"$I(D_N; \mathbf{P})$: the next states, about the transitions")
    r, rse = v["reward"][1:], v["reward_se"][1:]
    ax.fill_between(N, r - 2 * rse, r + 2 * rse, color=REINFORCE, alpha=0.25, lw=0)
    ax.plot(N, r, color=REINFORCE, lw=2, label=r"$I(D_N; \xi)$: the rewards, about the goal")
    ax.axhline(v["H_xi"], color=REINFORCE, ls="--", lw=0.9)
    far = N >= 16
    ax.plot(N[far], v["reference"][1:][far], color=BOUND, ls="--", lw=1,
            label=rf"slope $|\mathcal{{S}}||\mathcal{{A}}|(|\mathcal{{S}}|-1)/2$ = {v['slope']:.0f} bits per doubling of N")
    ax.plot(N, v["linear"][1:], color=MUTED, ls=":", lw=2, label=r"$N\,T\,\log_2|\mathcal{S}|$ (linear reading)")
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, float(d[-1]) * 1.3)
    ax.set_xlabel("episodes N", fontsize=8.5)
    ax.set_ylabel("bits", fontsize=8.5)
    style_axes(ax, labelsize=8, grid_lw=0.8)
    ax.legend(fontsize=7.6, loc="upper left", **OPAQUE_LEGEND)
    fig.text(0.1, 0.9, rf"$|\mathcal{{S}}|$ = {INSTANCE['n_states']}, $|\mathcal{{A}}|$ = {INSTANCE['n_actions']}, "
             f"T = {ACCUMULATION['horizon']}, Dirichlet(1, 1, 1) on every $\\mathbf{{P}}(\\cdot|s,a)$, goal-state reward;\n"
             f"mean of {v['n_runs']} sampled learners, bands ±2 s.e.", fontsize=7.6, color=BOUND,
             va="center")
    return fig


# ------------------------------------------------------------------------------------------------
# the demo
# ------------------------------------------------------------------------------------------------
_DEMO_KERNELS = 300


def episode_bars_values(n_states: int = 3, alpha: float = 1.0, T: int = 2) -> dict[str, float]:
    """What :func:`draw_episode_bars` writes, in bits: the ceiling, the entropy of the next states,
    the two exact terms of the model-based learner, and the model-free learner's (sampled)."""
    r = episode_rows((T,), n_states=n_states, alpha=alpha, n_kernels=_DEMO_KERNELS)[0]
    return {"ceiling": r.ceiling, "H_next": r.H_next, "I_dynamics": r.I_dynamics,
            "I_reward": r.I_reward, "model_free": r.model_free}


def draw_episode_bars(n_states: int = 3, alpha: float = 1.0, T: int = 2) -> Figure:
    """One episode's bits: ceiling, potential, and what each learner can extract, values written."""
    v = episode_bars_values(n_states, alpha, T)
    fig = new_figure(6.4, 3.3)
    ax = fig.add_axes([0.09, 0.14, 0.88, 0.66])
    x = np.arange(4)
    ax.bar(x[0], v["ceiling"], 0.6, color="white", edgecolor=BOUND, ls="--", lw=1.2)
    ax.bar(x[1], v["H_next"], 0.6, color=MUTED)
    ax.bar(x[2], v["I_dynamics"], 0.6, color=LEARN, label=r"about $\mathbf{P}$, from the next states")
    ax.bar(x[2], v["I_reward"], 0.6, bottom=v["I_dynamics"], color=REINFORCE,
           label="about ξ, from the reward")
    ax.bar(x[3], v["model_free"], 0.6, color=ARTICLE)
    tops = [v["ceiling"], v["H_next"], v["I_dynamics"] + v["I_reward"], v["model_free"]]
    top = max(tops)
    for k, val in enumerate(tops):
        ax.text(x[k], val + top * 0.02, f"{val:.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [r"$T\,\log_2|\mathcal{S}|$", "H(next states)", "model-based\n" + r"$I(\tau, G; \mathbf{P}, \xi)$",
                      "model-free\n" + r"$I(a_{0:T-1}, G; \mathbf{P}, \xi)$"], fontsize=8)
    ax.set_ylim(0, top * 1.4 + 0.1)          # room for the legend above the value labels
    ax.set_ylabel("bits per episode", fontsize=8.5)
    style_axes(ax, grid="y", labelsize=8)
    ax.legend(fontsize=7.8, loc="upper right", **OPAQUE_LEGEND)
    fig.suptitle(rf"$|\mathcal{{S}}|$ = {n_states}, $|\mathcal{{A}}|$ = 2, T = {T}, Dirichlet($\alpha_0$ = {alpha:g}) on every $\mathbf{{P}}(\cdot|s,a)$, "
                 f"goal-state reward\nmodel-free bits sampled ({_DEMO_KERNELS} kernels)",
                 fontsize=8.6, y=0.97)
    return fig


episode_bars = Demo(
    name="agentic-episode-bars",
    func=draw_episode_bars,
    grid={"n_states": [2, 4], "alpha": [0.1, 1.0, 10.0], "T": [1, 2, 3]},
    labels={"n_states": "states |𝒮|", "alpha": "concentration α₀", "T": "horizon T"},
    description="The dashed bar is the article's T log|𝒮|, the grey bar the entropy of the next "
                "states, the stacked bar what a model-based learner can extract (red: about the "
                "transitions; green: about the goal), the blue bar what a learner that uses only its "
                "actions and the return can extract.",
)
