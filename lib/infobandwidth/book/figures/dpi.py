"""Figures and the demo of §2.4, *The data processing inequality* (``book/part2/data-processing.md``).

* :func:`draw_bsc_chain` and :data:`bsc_chain` — a fair bit X sent through two binary symmetric
  channels, X → Y → Z, with I(X;Y) and I(X;Z) drawn as bars (the demo).
* :func:`draw_cascade_curves` — I(X;Z) against the noise of the second channel, one curve per
  noise level of the first (the chapter's captioned figure).

The numbers come from :func:`infobandwidth.information.channels.markov_chain_joint` and
:func:`infobandwidth.information.measures.mutual_information`; :func:`bsc_chain_values` returns what
:func:`draw_bsc_chain` writes, for the tests.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from infobandwidth.book.demos import Demo
from infobandwidth.book.figures.style import (
    BLUE,
    GREEN,
    INK,
    MUTED,
    OPAQUE_LEGEND,
    ORANGE,
    PANEL,
    PURPLE,
    RED,
    TEAL,
    new_figure,
    style_axes,
)
from infobandwidth.information.channels import (
    binary_symmetric_channel,
    markov_chain_joint,
)
from infobandwidth.information.measures import mutual_information

__all__ = [
    "bsc_chain_joint",
    "bsc_chain_values",
    "draw_bsc_chain",
    "bsc_chain",
    "cascade_curves_values",
    "draw_cascade_curves",
]

C_Y = BLUE           # I(X;Y)
C_Z = RED            # I(X;Z)
C_LOST = MUTED       # what the second channel lost


def bsc_chain_joint(a: float, b: float, p1: float = 0.5) -> np.ndarray:
    """p(x, y, z) for X ~ Bernoulli(p1) → BSC(a) → Y → BSC(b) → Z (axes X, Y, Z)."""
    return markov_chain_joint([1.0 - p1, p1], binary_symmetric_channel(a),
                              binary_symmetric_channel(b))


def bsc_chain_values(a: float, b: float) -> dict[str, float]:
    """What :func:`draw_bsc_chain` writes: I(X;Y), I(X;Z), their gap and a ⋆ b, in bits."""
    p = bsc_chain_joint(a, b)
    i_xy = mutual_information(p.sum(axis=2))
    i_xz = mutual_information(p.sum(axis=1))
    return {"I(X;Y)": i_xy, "I(X;Z)": i_xz, "lost": i_xy - i_xz,
            "a⋆b": a * (1 - b) + b * (1 - a)}


def _box(fig, x, y, text, color="white"):
    """A rounded box with ``text`` centred at figure coordinates (x, y)."""
    fig.text(x, y, text, ha="center", va="center", fontsize=10,
             bbox={"boxstyle": "round,pad=0.45", "facecolor": color, "edgecolor": INK,
                   "linewidth": 1.2})


def _arrow(fig, x0, x1, y):
    fig.add_artist(FancyArrowPatch((x0, y), (x1, y), transform=fig.transFigure,
                                   arrowstyle="-|>", mutation_scale=12, color=INK, lw=1.2))


def draw_bsc_chain(a: float = 0.1, b: float = 0.1) -> Figure:
    """The chain X → BSC(a) → Y → BSC(b) → Z and the bars I(X;Y) ≥ I(X;Z), values written.

    Parameters
    ----------
    a, b : float
        Flip probabilities of the first and second channel, in [0, 1].

    Returns
    -------
    matplotlib.figure.Figure
        Top: the chain. Bottom: I(X;Y) and I(X;Z) on a 0–1 bit axis; the grey piece after
        I(X;Z) is what the second channel lost.
    """
    v = bsc_chain_values(a, b)
    fig = new_figure(6.4, 3.0)
    # the chain, drawn straight on the figure (no axes: cheaper, and nothing to scale)
    y = 0.82
    _box(fig, 0.06, y, " X ")
    _box(fig, 0.28, y, f"flip w.p.\na = {a:g}", color=PANEL)
    _box(fig, 0.50, y, " Y ")
    _box(fig, 0.72, y, f"flip w.p.\nb = {b:g}", color=PANEL)
    _box(fig, 0.94, y, " Z ")
    for x0, x1 in ((0.095, 0.205), (0.355, 0.465), (0.535, 0.645), (0.795, 0.905)):
        _arrow(fig, x0, x1, y)
    fig.text(0.06, 0.7, "fair bit", ha="center", va="center", fontsize=8, color=INK)

    ax = fig.add_axes([0.17, 0.15, 0.78, 0.43])
    ax.barh(1, v["I(X;Y)"], height=0.55, color=C_Y)
    ax.barh(0, v["I(X;Z)"], height=0.55, color=C_Z)
    ax.barh(0, v["lost"], left=v["I(X;Z)"], height=0.55, color=C_LOST, hatch="///",
            edgecolor="white")
    ax.axvline(v["I(X;Y)"], color=C_Y, ls="--", lw=1)
    for row, key in ((1, "I(X;Y)"), (0, "I(X;Z)")):
        val = v[key]
        inside = val > 0.2
        ax.text(val - 0.01 if inside else val + 0.01, row, f"{val:.3f}",
                ha="right" if inside else "left", va="center", fontsize=10,
                color="white" if inside else "black", fontweight="bold",
                bbox=None if inside else {"facecolor": "white", "edgecolor": "none", "pad": 1})
    if v["lost"] > 0.12:
        ax.text(v["I(X;Z)"] + v["lost"] / 2, -0.5, f"lost {v['lost']:.3f}", ha="center",
                va="top", fontsize=9, color=INK)
    ax.set_yticks([1, 0], ["I(X;Y)", "I(X;Z)"])
    ax.set_xlim(0, 1.0)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_ylim(-0.9, 1.5)
    ax.set_xlabel("bits", fontsize=9, labelpad=1)
    style_axes(ax, grid="x", labelsize=9)
    ax.set_title(f"I(X;Y) = 1 − $H_b$(a),  I(X;Z) = 1 − $H_b$(a ⋆ b),  a ⋆ b = {v['a⋆b']:.3f}",
                 fontsize=10)
    return fig


bsc_chain = Demo(
    name="bsc-chain",
    func=draw_bsc_chain,
    grid={"a": [0.0, 0.05, 0.1, 0.2, 0.3, 0.5],
          "b": [0.0, 0.05, 0.1, 0.2, 0.3, 0.5]},
    labels={"a": "first flip a", "b": "second flip b"},
    description="Set a, then raise b: the red bar I(X;Z) only shrinks, and it never passes the "
                "dashed line at I(X;Y). With b = 0 the two bars are equal; with a = 1/2 both "
                "are zero, whatever b does.",
)


def cascade_curves_values(a_values=(0.0, 0.05, 0.11, 0.2), n: int = 201) -> dict[str, np.ndarray]:
    """I(X;Z) on a grid of second-channel noise b for each first-channel noise a, in bits."""
    b = np.linspace(0.0, 0.5, n)
    curves = np.array([[mutual_information(bsc_chain_joint(a, bb).sum(axis=1)) for bb in b]
                       for a in a_values])
    first = np.array([mutual_information(bsc_chain_joint(a, 0.0).sum(axis=2)) for a in a_values])
    return {"a": np.asarray(a_values, dtype=float), "b": b, "I(X;Z)": curves, "I(X;Y)": first}


def draw_cascade_curves(a_values=(0.0, 0.05, 0.11, 0.2)) -> Figure:
    """I(X;Z) against the second channel's noise b, one curve per first-channel noise a.

    Each curve starts at I(X;Y) = 1 − H_b(a) (at b = 0 the second channel is a perfect copy), marked
    by a dashed line, and falls to 0 at b = 1/2.
    """
    v = cascade_curves_values(a_values)
    fig = new_figure(6.2, 3.2)
    ax = fig.add_axes([0.1, 0.15, 0.86, 0.75])
    colors = [BLUE, GREEN, RED, PURPLE, ORANGE, TEAL]
    for k, a in enumerate(v["a"]):
        c = colors[k % len(colors)]
        ax.plot(v["b"], v["I(X;Z)"][k], color=c, lw=2,
                label=f"a = {a:g}:  I(X;Y) = {v['I(X;Y)'][k]:.3f}")
        ax.axhline(v["I(X;Y)"][k], color=c, ls="--", lw=0.9)
    ax.set_xlabel("flip probability b of the second channel", fontsize=9)
    ax.set_ylabel("I(X;Z)  (bits)", fontsize=9)
    ax.set_xlim(0, 0.5)
    ax.set_ylim(0, 1.4)
    ax.set_yticks(np.linspace(0, 1, 6))
    style_axes(ax, labelsize=9)
    ax.legend(fontsize=8, loc="upper right", ncols=2, **OPAQUE_LEGEND,
              title="first channel (dashed line: its I(X;Y))", title_fontsize=8)
    ax.set_title("X → BSC(a) → Y → BSC(b) → Z: every curve stays under its dashed line",
                 fontsize=9.5, loc="left")
    return fig
