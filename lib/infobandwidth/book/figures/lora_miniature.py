"""Figures and the demo of §4.2.2, *LoRA without regret, in miniature* (``book/part4/lora-miniature.md``).

* :func:`draw_curves` — learning curves of every arm on the three tasks, mean over seeds with a
  band of ± one standard deviation (captioned figure).
* :func:`draw_capacity` — for the RL arms: fp32 storage bits, the description length of the learned
  update, and the bits the RL episodes delivered to the ideal observer (captioned figure).
* :data:`rank_curves` — the demo: one task and one rank against full fine-tuning.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.lora_miniature import RANKS, capacity_rows, summaries
from infobandwidth.book.figures.style import (
    BOUND,
    CATEGORICAL,
    DARK,
    LEARN,
    OPAQUE_LEGEND,
    new_figure,
    style_axes,
)

__all__ = ["TASK_TITLES", "SCORE_LABELS", "draw_curves", "draw_capacity", "draw_rank_curves",
           "rank_curves"]

TASK_TITLES = {"rl": "RL, one shared preference", "rl-indep": "RL, independent targets",
               "sft": "SFT, information-rich targets"}
SCORE_LABELS = {"rl": "success rate J", "rl-indep": "success rate J", "sft": "share of KL removed"}
_COLOURS = {None: DARK, **{r: CATEGORICAL[i] for i, r in enumerate(RANKS)}}


def _band(ax, arm, colour, lw=1.6, label=None):
    mean, sd = arm.scores.mean(axis=0), arm.scores.std(axis=0)
    ax.fill_between(arm.episodes, mean - sd, mean + sd, color=colour, alpha=0.18, lw=0)
    ax.plot(arm.episodes, mean, color=colour, lw=lw, label=label or arm.label)


def draw_curves(tasks=("rl", "sft", "rl-indep")) -> Figure:
    """One panel per task, one curve per arm (full fine-tuning in black)."""
    fig = new_figure(4.0 * len(tasks), 3.6)
    axes = fig.subplots(1, len(tasks), squeeze=False)[0]
    for ax, task in zip(axes, tasks):
        for arm in summaries(task):
            _band(ax, arm, _COLOURS[arm.rank], lw=2.2 if arm.rank is None else 1.4,
                  label=f"{arm.label} (α={arm.lr:g})")
        ax.set_title(TASK_TITLES[task], fontsize=10)
        ax.set_xlabel("episodes (examples for SFT)")
        ax.set_ylabel(SCORE_LABELS[task])
        ax.set_ylim(0, 1)
        style_axes(ax)
        ax.legend(fontsize=7, loc="lower right", **OPAQUE_LEGEND)
    fig.tight_layout()
    return fig


def draw_capacity(task: str = "rl") -> Figure:
    """Bars on a log scale, per arm: storage bits, update description length, observer bits."""
    rows = capacity_rows(task)
    fig = new_figure(7.5, 3.6)
    ax = fig.subplots()
    x = np.arange(len(rows))
    w = 0.27
    ax.bar(x - w, [r["storage_bits"] for r in rows], w, color=CATEGORICAL[0],
           label="parameters × 32 bits")
    ax.bar(x, [r["update_bits"] for r in rows], w, color=CATEGORICAL[1],
           label="description length of the learned update")
    if "observer_bits" in rows[0]:
        ax.bar(x + w, [r["observer_bits"] for r in rows], w, color=LEARN,
               label="bits the episodes told the ideal observer")
        ax.axhline(rows[0]["prior_bits"], color=BOUND, ls="--", lw=1)
        ax.text(len(rows) - 0.5, rows[0]["prior_bits"] * 1.15, "all there is to learn",
                ha="right", fontsize=8, color=BOUND)
    ax.set_yscale("log")
    ax.set_ylim(bottom=10)
    ax.set_xticks(x, [r["arm"] for r in rows])
    ax.set_ylabel("bits")
    style_axes(ax, grid="y")
    ax.legend(fontsize=8, loc="upper right", **OPAQUE_LEGEND)
    fig.tight_layout()
    return fig


def draw_rank_curves(task: str = "rl", rank: int = 1) -> Figure:
    """One task, one LoRA rank against full fine-tuning, with both areas under the curve."""
    arms = {a.rank: a for a in summaries(task)}
    full, lo = arms[None], arms[rank]
    fig = new_figure(6.0, 3.5)
    ax = fig.subplots()
    _band(ax, full, _COLOURS[None], lw=2.2, label=f"full (α={full.lr:g})")
    _band(ax, lo, _COLOURS[rank], label=f"rank {rank} (α={lo.lr:g})")
    ax.set_ylim(0, 1)
    ax.set_xlabel("episodes (examples for SFT)")
    ax.set_ylabel(SCORE_LABELS[task])
    ax.set_title(f"{TASK_TITLES[task]}: rank {rank} reaches {lo.finals.mean() / full.finals.mean():.0%} "
                 f"of full, area {lo.aucs.mean() / full.aucs.mean():.0%}", fontsize=10)
    style_axes(ax)
    ax.legend(fontsize=8, loc="lower right", **OPAQUE_LEGEND)
    fig.tight_layout()
    return fig


rank_curves = Demo(
    name="lora-rank-curves",
    func=draw_rank_curves,
    grid={"task": ["rl", "sft", "rl-indep"], "rank": list(RANKS)},
    labels={"task": "task", "rank": "LoRA rank r"},
    description="Choose a task and a LoRA rank; the black curve is full fine-tuning.",
)
