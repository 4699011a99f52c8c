"""Figures and the demo of §4.4, implications for LLM-RL (``book/part4/implications.md``).

* :func:`draw_density` — new bits per episode of the rewards between sparse and dense: exactly for
  ``T ≤ 5``, and at the article's ``T = 1000`` against the spacing ``k`` of a reward every ``k`` tokens,
  with the article's ``T/k``.
* :func:`draw_value_gap` — episodes to solve a hidden string for REINFORCE and actor-critic with
  three critics, medians and quartiles over seeds, beside the ideal learner.
* :func:`draw_multitask` — ``I_total(N)`` for ``K`` tasks, an episode on one task against an episode
  scored on all.
* :data:`rank_calculator` — the demo: episodes ``N`` and bits per episode ``c`` → the smallest LoRA
  rank against the number of tasks ``K``.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.implications import (
    ARTICLE,
    DENSITY_EVERY,
    GAP_LEARNERS,
    NOISE_EPS,
    SPARSE_LEVELS,
    density_table,
    ideal_episodes,
    multitask_accumulation,
    rank_rule,
    reward_bits,
    value_gap_runs,
)
from infobandwidth.book.figures.style import (
    ACTOR_CRITIC,
    BOUND,
    CLAIM_BAND,
    CLAIM_TEXT,
    DARK,
    DARK_BLUE,
    DENSE,
    LEARN,
    MUTED,
    OPAQUE_LEGEND,
    ORANGE,
    PALE_BLUE,
    PURPLE,
    REINFORCE,
    SPARSE,
    TEAL,
    new_figure,
    style_axes,
)

__all__ = ["DENSITY_STYLE", "draw_density", "draw_value_gap", "draw_multitask", "draw_rank_rule",
           "rank_calculator", "CALC_N", "CALC_C"]

#: row label -> (legend text, colour, marker) of :func:`draw_density`.
DENSITY_STYLE = {
    "dense": ("dense: a reward per token", DENSE, "o"),
    "noisy-dense": (f"dense through a BSC, ε = {NOISE_EPS:g}", PURPLE, "D"),
    **{f"every-{k}": (f"a reward every {k} tokens", c, m)
       for k, c, m in zip(DENSITY_EVERY, (TEAL, ORANGE), ("^", "v"))},
    "mc-td": ("sparse + dense value targets (TD)", ACTOR_CRITIC, "x"),
    "sparse": (f"sparse return, B = {SPARSE_LEVELS}", SPARSE, "s"),
}


def draw_density() -> Figure:
    """Two panels: new bits per episode against ``T`` (exact markers, closed-form lines), and at
    ``T = 1000`` against the spacing ``k`` (log-log), with the article's ``T/k``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    t = density_table()
    fig = new_figure(9.6, 4.2)
    ax = fig.add_axes([0.07, 0.33, 0.38, 0.58])
    bx = fig.add_axes([0.56, 0.33, 0.42, 0.58])
    Tfine = np.arange(1, 6)
    kinds = {"dense": ("dense", {}), "noisy-dense": ("noisy-dense", {}),
             **{f"every-{k}": ("every-k", {"k": k}) for k in DENSITY_EVERY},
             "sparse": ("sparse", {}), "mc-td": ("mc-td", {})}
    for label, (kind, kw) in kinds.items():
        name, colour, marker = DENSITY_STYLE[label]
        closed = [reward_bits(kind, int(T), **kw) for T in Tfine]
        ax.plot(Tfine, closed, color=colour, lw=1.2, alpha=0.8)
        ms = 9 if label == "sparse" else 6
        ax.plot(t[label]["T"], t[label]["new"], ls="none", marker=marker, ms=ms, color=colour,
                mfc="white" if label == "sparse" else colour, label=name)
    ax.set_xlabel("tokens per episode T", fontsize=9)
    ax.set_ylabel("new bits per episode I(S; ξ | τ)", fontsize=9)
    ax.set_xticks(Tfine)
    ax.set_title("exact, $|\\mathcal{V}|$ = 2 (markers), closed forms (lines)", fontsize=9)
    style_axes(ax, labelsize=8)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, **OPAQUE_LEGEND)

    T = ARTICLE["T"]
    ks = np.unique(np.round(np.logspace(0, 3, 40)).astype(int))
    block = np.array([reward_bits("every-k", T, k=int(k)) for k in ks])
    bx.fill_between(ks, T / ks, block, color=CLAIM_BAND, lw=0)
    bx.plot(ks, T / ks, color=CLAIM_TEXT, ls="--", lw=1.4, label="article: T/k")
    bx.plot(ks, block, color=TEAL, lw=2, label="a reward every k tokens (exact)")
    bx.axhline(reward_bits("dense", T), color=DENSE, lw=1.2, ls=":", label="dense, T·H_b(1/2)")
    bx.axhline(reward_bits("noisy-dense", T), color=PURPLE, lw=1.2, ls="-.",
               label=f"dense through a BSC, ε = {NOISE_EPS:g}")
    bx.axhline(reward_bits("sparse", T), color=SPARSE, lw=1.2, ls=":",
               label="sparse; sparse + value targets")
    bx.set_xscale("log")
    bx.set_yscale("log")
    bx.set_xlabel("tokens between two rewards, k", fontsize=9)
    bx.set_ylabel("new bits per episode", fontsize=9)
    bx.set_title(f"T = {T:,} (closed forms)", fontsize=9)
    bx.set_ylim(0.5, 2_000)
    style_axes(bx, labelsize=8)
    bx.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, **OPAQUE_LEGEND)
    return fig


#: learner label -> (colour, marker, line style) of :func:`draw_value_gap`.
_GAP_STYLE = {
    "REINFORCE, sparse": (REINFORCE, "s", "-"),
    "actor-critic, learned critic, sparse": (PALE_BLUE, "o", "-"),
    "actor-critic, posterior critic, sparse": (ACTOR_CRITIC, "o", "-"),
    "actor-critic, exact critic, sparse": (DARK_BLUE, "o", "-"),
    "actor-critic, learned critic, dense": (DENSE, "D", "--"),
}


def draw_value_gap() -> Figure:
    """Median episodes to solve (quartiles as error bars) against ``T`` for every learner of
    :data:`~infobandwidth.book.experiments.implications.GAP_LEARNERS`, with the ideal learner's exact
    expected episodes to know ξ (sparse and dense reward), on a log scale.

    Returns
    -------
    matplotlib.figure.Figure
    """
    runs = value_gap_runs()
    fig = new_figure(7.6, 3.9)
    ax = fig.add_axes([0.09, 0.13, 0.5, 0.8])
    n = len(GAP_LEARNERS)
    for j, label in enumerate(GAP_LEARNERS):
        d = runs[label]
        colour, marker, ls = _GAP_STYLE[label]
        x = d["T"] + 0.09 * (j - (n - 1) / 2)
        err = np.vstack([d["median"] - d["q25"], d["q75"] - d["median"]])
        ax.errorbar(x, d["median"], yerr=err, color=colour, marker=marker, ls=ls, lw=1.3, ms=6,
                    capsize=3, label=label)
    ideal = ideal_episodes()
    ax.plot(ideal["T"], ideal["sparse"], color=SPARSE, ls=":", lw=1.5, label="ideal learner, sparse (exact)")
    ax.plot(ideal["T"], ideal["dense"], color=LEARN, ls=":", lw=1.5, label="ideal learner, dense (exact)")
    ax.set_yscale("log")
    ax.set_xticks(ideal["T"])
    ax.set_xlabel("length of the hidden string T ($|\\mathcal{V}|$ = 2)", fontsize=9)
    ax.set_ylabel("episodes", fontsize=9)
    style_axes(ax, grid="y", labelsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7.5, **OPAQUE_LEGEND,
              title="median and quartiles of\nepisodes to 0.9·J* over seeds", title_fontsize=7.5)
    return fig


def draw_multitask(Ks=(2, 8), episodes: int = 24) -> Figure:
    """``I_total(N)`` about the ``K`` optimal policies, one panel per ``K``: episodes on one task in
    turn, episodes scored on all ``K``, the ceiling ``K·H(π*₁)`` and one task's curve.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = new_figure(8.4, 3.4)
    axes = fig.subplots(1, len(Ks), sharey=False)
    for ax, K in zip(np.atleast_1d(axes), Ks):
        one = multitask_accumulation(K, episodes, "one")
        every = multitask_accumulation(K, episodes, "all")
        single = multitask_accumulation(1, episodes, "one")
        N = one["N"]
        ax.plot(N, np.minimum(N * ARTICLE["c"] * K, one["ceiling"] * 1.3), color=CLAIM_TEXT, ls="--", lw=1,
                label="N·c·K, c = 2 (the article's N·O(K))")
        ax.axhline(one["ceiling"], color=BOUND, ls="--", lw=1.2, label="K·H(π*₁), all there is")
        ax.plot(N, every["total"], color=DENSE, lw=2, marker="o", ms=3, label="each episode scored on all K")
        ax.plot(N, one["total"], color=SPARSE, lw=2, marker="s", ms=3, label="each episode on one task")
        ax.plot(N, single["total"], color=MUTED, lw=1.2, label="one task alone")
        ax.set_title(f"K = {K} tasks", fontsize=9)
        ax.set_xlabel("episodes N", fontsize=9)
        ax.set_ylim(0, one["ceiling"] * 1.25)
        style_axes(ax, labelsize=8)
    first = np.atleast_1d(axes)[0]
    first.set_ylabel("I_total(N) about (π*₁, …, π*_K) [bits]", fontsize=8.5)
    np.atleast_1d(axes)[-1].legend(fontsize=7, loc="lower right", **OPAQUE_LEGEND)
    fig.tight_layout()
    return fig


#: Grid of the rank calculator: episodes, bits per episode per task.
CALC_N = (1_000, 10_000, 100_000, 1_000_000)
CALC_C = (0.1, 2)
_K = np.unique(np.round(np.logspace(0, 3, 31)).astype(int))


def draw_rank_rule(N: int = ARTICLE["N"], c: float = ARTICLE["c"]) -> Figure:
    """One frame of the demo: the smallest rank with ``β·(parameters) ≥ K·c·N`` against ``K``.

    Three lines: one ``4096 × 4096`` matrix at ``β = 32`` bits (the article's rule ``64 r d ≥ c N``),
    the same at ``β = 2``, and adapters on every projection of Llama-2-7B at ``β = 32``; the ranks used
    in practice (8, 16) for reference.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lines = {"one matrix, d = 4096, β = 32 (the article's rule)": ("matrix", 32, DARK_BLUE, "-"),
             "one matrix, d = 4096, β = 2": ("matrix", 2, ORANGE, "--"),
             "all Llama-2-7B projections, β = 32": ("llama2-7b", 32, TEAL, "-.")}
    fig = new_figure(6.6, 3.6)
    ax = fig.add_axes([0.1, 0.14, 0.86, 0.66])
    for name, (scope, beta, colour, ls) in lines.items():
        ranks = [rank_rule(N, c, K=int(K), bits_per_parameter=beta, scope=scope)["rank"] for K in _K]
        ax.step(_K, ranks, where="post", color=colour, ls=ls, lw=1.8, label=name)
    for r in ARTICLE["r_practice"]:
        ax.axhline(r, color=MUTED, lw=1, ls=":")
        ax.text(1.05, r * 1.08, f"r = {r}", fontsize=7.5, color=DARK)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(0.8, 5_000)
    ax.set_xlabel("tasks K scored in every episode", fontsize=9)
    ax.set_ylabel("smallest rank r", fontsize=9)
    style_axes(ax, labelsize=8)
    ax.legend(fontsize=7.5, loc="upper left", **OPAQUE_LEGEND)
    one = rank_rule(N, c)
    fig.suptitle(f"N = {N:,} episodes, c = {c:g} bits per episode and task: K·c·N = {one['bits']:,.0f} bits "
                 f"at K = 1;\n rank 1 on one matrix at β = 32 holds {one['params_per_rank'] * 32:,} bits",
                 fontsize=8.5, y=0.97)
    return fig


rank_calculator = Demo(
    name="lora-rank-calculator",
    func=draw_rank_rule,
    grid={"N": list(CALC_N), "c": list(CALC_C)},
    labels={"N": "episodes N", "c": "bits per episode c"},
    description="Choose the number of episodes and the bits each episode carries per task: the lines "
                "are the smallest LoRA rank whose capacity covers K·c·N bits, against the number of "
                "tasks K that score every episode.",
)
