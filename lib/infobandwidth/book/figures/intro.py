"""Figures and the demo of Part 1 (the central question): the hidden-string task."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.demos import Demo
from infobandwidth.book.figures.style import DENSE, SPARSE, new_figure
from infobandwidth.learning.sample_complexity import exact_match_summary

__all__ = ["draw_hidden_string", "draw_episodes_vs_length", "hidden_string_demo"]


def draw_hidden_string(V: int = 2, T: int = 4):
    """Bars: episodes the information bound allows vs episodes the ideal learner needs."""
    s = exact_match_summary(V, T)
    labels = ["bound\n(sparse)", "ideal\n(sparse)", "bound\n(dense)", "ideal\n(dense)"]
    vals = [s["bound_sparse"], s["ideal_sparse"], s["bound_dense"], s["ideal_dense"]]
    colors = [SPARSE, SPARSE, DENSE, DENSE]
    fig = new_figure(6.4, 3.3)
    ax = fig.subplots()
    bars = ax.bar(range(4), vals, color=colors, alpha=0.85)
    for b, hatch in zip(bars, ["//", "", "//", ""]):
        b.set_hatch(hatch)
    ax.set_yscale("log")
    top = max(vals)
    ax.set_ylim(0.3, top * 12)
    for i, v in enumerate(vals):
        ax.text(i, max(v, 0.35) * 1.25, f"{v:,.3g}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(4), labels, fontsize=9)
    ax.set_ylabel("episodes to identify ξ")
    ax.set_title(rf"$|\mathcal{{V}}|$ = {V}, T = {T}:  H(ξ) = {s['H_xi']:.3g} bits;  first reward tells "
                 f"{s['first_episode_bits_sparse']:.3g} bits", fontsize=9.5)
    ax.grid(axis="y", alpha=0.3)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.9, bottom=0.16)
    return fig


def draw_episodes_vs_length(V: int = 2, T_max: int = 16):
    """Episodes to identify the hidden string as the string grows, sparse vs dense feedback."""
    Ts = np.arange(1, T_max + 1)
    rows = [exact_match_summary(V, int(T)) for T in Ts]
    fig = new_figure(6.4, 3.4)
    ax = fig.subplots()
    ax.plot(Ts, [r["ideal_sparse"] for r in rows], "o-", color=SPARSE, label="ideal learner, sparse reward")
    ax.plot(Ts, [r["bound_sparse"] for r in rows], "--", color=SPARSE, label="bound H(ξ) / 1 bit")
    ax.plot(Ts, [r["ideal_dense"] for r in rows], "s-", color=DENSE, label="ideal learner, dense reward")
    ax.plot(Ts, [r["bound_dense"] for r in rows], ":", color=DENSE, label="bound H(ξ) / T bits")
    ax.set_yscale("log")
    ax.set_xlabel("string length T (tokens)")
    ax.set_ylabel("episodes")
    ax.set_title(rf"Vocabulary size $|\mathcal{{V}}|$ = {V}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.91, bottom=0.15)
    return fig


hidden_string_demo = Demo(
    name="hidden-string",
    func=draw_hidden_string,
    grid={"V": [2, 3, 4, 8], "T": [1, 2, 3, 4, 6, 8, 12, 16]},
    labels={"V": "vocabulary size |V|", "T": "length T"},
    description="Grow the string length T: the sparse learner's bar (solid red) pulls away from its "
                "information bound (hatched), while the dense learner stays near its bound.",
)
