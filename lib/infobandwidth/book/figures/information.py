"""Figures and the demo of §2.3, *Information theory foundations* (``book/part2/information-theory.md``).

* :func:`draw_entropy_levels` — the binary entropy curve and the ``log2 B`` ceiling of a B-level
  signal (the chapter's captioned figure).
* :func:`draw_joint_explorer` and :data:`joint_explorer` — a 2×2 joint of a bit X and a noisy copy
  Y, with H(X), H(Y), H(X|Y), H(Y|X) and I(X;Y) drawn as an information diagram.

Every number a figure writes is computed with :mod:`infobandwidth.information.measures`; the helpers
:func:`joint_explorer_values` and :func:`entropy_levels_values` return those numbers so tests can
compare them with what is drawn.
"""
from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.figures.style import BLUE, INK, ORANGE, VIOLET, new_figure, style_axes
from infobandwidth.information.channels import (
    binary_symmetric_channel,
    joint_from_channel,
)
from infobandwidth.information.measures import (
    binary_entropy,
    conditional_entropy,
    entropy,
    mutual_information,
)

__all__ = [
    "noisy_copy_joint",
    "joint_explorer_values",
    "draw_joint_explorer",
    "joint_explorer",
    "entropy_levels_values",
    "draw_entropy_levels",
]

# One palette for the whole chapter: X-only, shared, Y-only.
C_X = BLUE
C_I = VIOLET
C_Y = ORANGE


def noisy_copy_joint(p1: float, eps: float) -> np.ndarray:
    """p(x, y) for X ~ Bernoulli(p1) and Y = X flipped with probability eps (X on axis 0)."""
    return joint_from_channel([1.0 - p1, p1], binary_symmetric_channel(eps))


def joint_explorer_values(p1: float, eps: float) -> dict[str, float]:
    """The five quantities :func:`draw_joint_explorer` writes, in bits."""
    pxy = noisy_copy_joint(p1, eps)
    return {
        "H(X)": entropy(pxy.sum(axis=1)),
        "H(Y)": entropy(pxy.sum(axis=0)),
        "H(X|Y)": conditional_entropy(pxy),
        "H(Y|X)": conditional_entropy(pxy.T),
        "I(X;Y)": mutual_information(pxy),
        "H(X,Y)": entropy(pxy),
    }


def _segment(ax, y, left, width, color, label, min_width=0.3):
    """One coloured piece of an information-diagram bar, its value written inside if it fits."""
    ax.barh(y, width, left=left, height=0.55, color=color, edgecolor="white", linewidth=1.5)
    if width >= min_width:
        ax.text(left + width / 2, y, f"{width:.3f}", ha="center", va="center",
                color="white", fontsize=9, fontweight="bold")


def draw_joint_explorer(p1: float = 0.5, eps: float = 0.1) -> Figure:
    """The joint table of (X, Y) and its information diagram, every value written on the figure.

    Parameters
    ----------
    p1 : float
        P(X = 1).
    eps : float
        Probability that Y differs from X (the flip probability of a binary symmetric channel).

    Returns
    -------
    matplotlib.figure.Figure
        Left: p(x, y) as a 2×2 table. Right: two bars, H(X) split into H(X|Y) and I(X;Y), and
        H(Y) split into I(X;Y) and H(Y|X), drawn so the shared piece lines up; the list under
        them gives all six numbers.
    """
    pxy = noisy_copy_joint(p1, eps)
    v = joint_explorer_values(p1, eps)
    fig = new_figure(6.4, 3.0)

    # --- the joint table, drawn straight on the figure (no axes: cheaper) -------------------
    grey = matplotlib.colormaps["Greys"]
    xs, ys = (0.12, 0.24), (0.66, 0.46)
    fig.text(0.18, 0.8, "p(x, y)", ha="center", va="center", fontsize=10)
    for (x, y), val in np.ndenumerate(pxy):
        fig.text(xs[y], ys[x], f"{val:.3f}", ha="center", va="center", fontsize=10,
                 family="monospace", color="white" if val > 0.5 else "black",
                 bbox={"boxstyle": "square,pad=0.9", "facecolor": grey(0.05 + 0.9 * val),
                       "edgecolor": INK, "linewidth": 0.8})
    for k in (0, 1):
        fig.text(0.035, ys[k], f"X={k}", ha="center", va="center", fontsize=9)
        fig.text(xs[k], 0.335, f"Y={k}", ha="center", va="center", fontsize=9)

    # --- the information diagram ---------------------------------------------------------------
    ax = fig.add_axes([0.42, 0.33, 0.55, 0.47])
    hxy, i = v["H(X|Y)"], v["I(X;Y)"]
    _segment(ax, 1, 0.0, hxy, C_X, "H(X|Y)")
    _segment(ax, 1, hxy, i, C_I, "I(X;Y)")
    _segment(ax, 0, hxy, i, C_I, "I(X;Y)")
    _segment(ax, 0, hxy + i, v["H(Y|X)"], C_Y, "H(Y|X)")
    ax.set_yticks([1, 0], ["H(X)", "H(Y)"])
    ax.set_xlim(0, 2.0)
    ax.set_xticks([0, 0.5, 1, 1.5, 2])
    ax.set_ylim(-0.55, 1.55)
    ax.set_xlabel("bits", fontsize=9, labelpad=1)
    style_axes(ax, grid="x", labelsize=9)
    ax.set_title("information diagram (to scale)", fontsize=10)

    lines = [("H(X|Y)", C_X), ("I(X;Y)", C_I), ("H(Y|X)", C_Y)]
    x0 = 0.08
    for k, (name, color) in enumerate(lines):
        fig.text(x0 + 0.31 * k, 0.12, f"■ {name} = {v[name]:.3f}", color=color, fontsize=10,
                 fontweight="bold")
    fig.text(0.08, 0.04, f"H(X) = {v['H(X)']:.3f}    H(Y) = {v['H(Y)']:.3f}    "
             f"H(X,Y) = {v['H(X,Y)']:.3f}", fontsize=10)
    fig.suptitle(f"X ~ Bernoulli({p1:g}),  Y = X flipped with probability ε = {eps:g}",
                 fontsize=11, y=0.98)
    return fig


joint_explorer = Demo(
    name="joint-explorer",
    func=draw_joint_explorer,
    grid={"p1": [0.5, 0.8, 0.95],
          "eps": [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0]},
    labels={"p1": "P(X=1)", "eps": "flip prob. ε"},
    description="Move ε from 0 to 1/2: the shared piece I(X;Y) shrinks to nothing. Keep going to 1: "
                "a channel that always flips is as informative as one that never does. "
                "Then make X lopsided with P(X=1): the bars shorten, because H(X) does.",
)


# ------------------------------------------------------------------------------------------------
# The entropy of a coin, and the ceiling log2 B of a B-level signal
# ------------------------------------------------------------------------------------------------

def _skewed(B: int) -> np.ndarray:
    """A lopsided B-level distribution, p_k proportional to 2^-k (k = 1..B)."""
    w = 0.5 ** np.arange(1, B + 1)
    return w / w.sum()


def entropy_levels_values(levels=tuple(range(2, 11))) -> dict[str, np.ndarray]:
    """The numbers :func:`draw_entropy_levels` plots: ``log2 B`` and H of the lopsided signal."""
    levels = np.asarray(levels)
    return {
        "B": levels,
        "uniform": np.array([entropy(np.full(B, 1.0 / B)) for B in levels]),
        "skewed": np.array([entropy(_skewed(B)) for B in levels]),
    }


def draw_entropy_levels(levels=tuple(range(2, 11)), marked=(2, 5, 10)) -> Figure:
    """Left: binary entropy H_b(q). Right: the entropy of a B-level signal against B.

    Parameters
    ----------
    levels : sequence of int
        The numbers of levels B on the right panel.
    marked : sequence of int
        Levels whose ``log2 B`` is written on the figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = new_figure(7.0, 3.0)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"wspace": 0.32, "left": 0.09, "right": 0.98,
                                               "bottom": 0.16, "top": 0.86})
    p = np.linspace(0, 1, 401)
    h = binary_entropy(p)
    ax1.plot(p, h, color=C_X, lw=2)
    ax1.axvline(0.5, color="grey", ls=":", lw=1)
    ax1.plot([0.5], [binary_entropy(0.5)], "o", color=C_I)
    ax1.annotate(f"$H_b(1/2)$ = {binary_entropy(0.5):.0f} bit", (0.5, binary_entropy(0.5)),
                 xytext=(0.56, 0.62), fontsize=9, arrowprops={"arrowstyle": "-", "color": "grey"})
    q = 0.1
    ax1.plot([q], [binary_entropy(q)], "o", color=C_Y)
    ax1.annotate(f"$H_b({q:g})$ = {binary_entropy(q):.3f}", (q, binary_entropy(q)),
                 xytext=(0.13, 0.2), fontsize=9)
    ax1.set_xlabel("q = P(coin shows 1)", fontsize=9)
    ax1.set_ylabel("bits", fontsize=9)
    ax1.set_ylim(0, 1.12)
    ax1.set_title("binary entropy $H_b(q)$", fontsize=10)

    v = entropy_levels_values(levels)
    ax2.plot(v["B"], v["uniform"], "o-", color=C_I, lw=2, label="B equally likely levels: log2 B")
    ax2.plot(v["B"], v["skewed"], "s--", color=C_Y, lw=1.5, label="lopsided levels, p_k ∝ 2^-k")
    for B in marked:
        k = int(np.flatnonzero(v["B"] == B)[0])
        ax2.annotate(f"{v['uniform'][k]:.2f}", (B, v["uniform"][k]), xytext=(-4, 9),
                     textcoords="offset points", fontsize=9, ha="center", color=C_I)
    ax2.set_xlabel("number of reward levels B", fontsize=9)
    ax2.set_ylabel("bits", fontsize=9)
    ax2.set_xticks(v["B"])
    ax2.set_xlim(v["B"][0] - 0.6, v["B"][-1] + 0.6)
    ax2.set_ylim(0, max(v["uniform"]) * 1.18)
    ax2.legend(fontsize=8, loc="lower right", frameon=False)
    ax2.set_title("entropy of a B-level signal", fontsize=10)
    for ax in (ax1, ax2):
        style_axes(ax, labelsize=9)
    return fig
