"""Figures of the appendix, *Scope and limitations* (``book/part5/limitations.md``).

* :func:`draw_weighted_return` — a scalar return that weighs matching positions by ``ratio**t``:
  its distribution (left) and the bits it tells against the two ceilings ``log2 B`` and ``T``
  (right).
* :data:`precision_demo` — the same with sliders for ``T``, the weight ratio and the levels.
* :func:`draw_precision_curves` — the bits against the precision ``log2 B`` for a few weight ratios.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.limitations import (
    BREAK_LEVELS,
    BREAK_RATIOS,
    BREAK_T,
    weighted_return_bits,
    weighted_return_values,
)
from infobandwidth.book.figures.style import (
    BOUND,
    CLAIM_BAND,
    CLAIM_TEXT,
    DARK,
    DENSE,
    REINFORCE,
    new_figure,
    style_axes,
)
from infobandwidth.information.quantise import quantised_distribution

__all__ = ["draw_weighted_return", "precision_demo", "draw_precision_curves", "CURVE_RATIOS"]

#: Weight ratios of :func:`draw_precision_curves`.
CURVE_RATIOS = (1.0, 1.1, 2.0)


def draw_weighted_return(T: int = 8, ratio: float = 1.0, levels: int | None = None) -> Figure:
    """The return ``G = Σ_t ratio**t · [τ_t = ξ_t]`` on a uniform hidden binary string.

    Parameters
    ----------
    T : int
        Horizon (at most 20).
    ratio : float
        Weight ratio between consecutive positions.
    levels : int or None
        Levels the return is read in (None: exactly).

    Returns
    -------
    matplotlib.figure.Figure
    """
    bits = weighted_return_bits(T, ratio, levels)
    values, probs = weighted_return_values(T, ratio)
    fig = new_figure(7.4, 3.3)
    ax = fig.add_axes([0.1, 0.17, 0.52, 0.66])
    if levels is None:
        uniq, index = np.unique(np.round(values, 9), return_inverse=True)
        probs = np.bincount(index, weights=probs)
        ax.vlines(uniq, 0, probs, color=REINFORCE, lw=1.2 if len(uniq) < 200 else 0.5)
        ax.set_xlabel("return G = Σ ratio$^t$ · [token t matches]", fontsize=8.5)
        title = f"what the learner sees: {len(uniq):,} distinct values of G"
    else:
        level_probs = quantised_distribution(values, probs, levels, 0.0, float(values.max()))
        ax.bar(np.arange(levels), level_probs, color=REINFORCE, width=0.85)
        ax.set_xlabel(f"level of G (B = {levels} equal-width levels)", fontsize=8.5)
        if levels <= 16:
            ax.set_xticks(range(levels))
        title = f"what the learner sees: the level of G, {int((level_probs > 0).sum())} of {levels} used"
    ax.set_ylabel("probability", fontsize=8.5)
    style_axes(ax, labelsize=8)
    ax.set_title(title, fontsize=8.5, loc="left")

    ax2 = fig.add_axes([0.72, 0.17, 0.09, 0.66])
    ax2.axhspan(1, 4, color=CLAIM_BAND, zorder=0)
    ax2.bar([0], [bits], color=REINFORCE, width=0.7)
    ax2.axhline(T, color=DENSE, lw=1.2)
    labels = [(T, f"T = {T}", DENSE), (2.5, "the article:\n1–4 bits", CLAIM_TEXT)]
    if levels is not None:
        ceiling = float(np.log2(levels))
        ax2.axhline(ceiling, color=BOUND, lw=1.2, ls="--")
        labels.append((ceiling, f"log₂B = {ceiling:g}", BOUND))
    for y, text, colour in labels:
        ax2.text(0.62, y, text, color=colour, fontsize=7.5, va="center", clip_on=False)
    inside = bits > 1.5
    ax2.text(0, bits / 2 if inside else bits + 0.15, f"{bits:.2f}", ha="center",
             va="center" if inside else "bottom", fontsize=9, color="white" if inside else DARK,
             weight="bold", rotation=90 if inside else 0)
    ax2.set_xlim(-0.5, 0.5)
    ax2.set_ylim(0, float(T) + 0.8)
    ax2.set_xticks([])
    ax2.set_ylabel("I(G; ξ | τ) [bits]", fontsize=8.5)
    style_axes(ax2, grid=None, labelsize=8)
    fig.text(0.08, 0.94, f"hidden string of T = {T} binary tokens, uniform prior; weight ratio {ratio:g}",
             fontsize=9, color=DARK, weight="bold")
    return fig


precision_demo = Demo(
    name="limitations-precision",
    func=draw_weighted_return,
    grid={"T": list(BREAK_T), "ratio": list(BREAK_RATIOS), "levels": list(BREAK_LEVELS)},
    labels={"T": "horizon T", "ratio": "weight ratio", "levels": "levels B"},
    description="A scalar return that weighs positions differently: how many bits it tells, as its "
                "precision grows.",
)


def draw_precision_curves(T: int = 12, ratios=CURVE_RATIOS, max_log2_levels: int = 16) -> Figure:
    """``I(G; ξ | τ)`` of the weighted return against the precision ``log2 B`` it is read at, one
    line per weight ratio, with the ceilings ``log2 B`` and ``T``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = new_figure(6.2, 3.4)
    ax = fig.add_axes([0.1, 0.15, 0.62, 0.78])
    k = np.arange(0, max_log2_levels + 1)
    ax.axhspan(1, 4, color=CLAIM_BAND, zorder=0)
    ax.plot(k, np.minimum(k, T), color=DARK, ls="--", lw=1.1, zorder=5, label="ceiling min(log₂B, T)")
    shades = np.linspace(0.45, 1.0, len(ratios))
    for r, shade in zip(ratios, shades):
        bits = [weighted_return_bits(T, r, 2**int(j)) for j in k]
        name = "match count (ratio 1)" if r == 1 else f"weight ratio {r:g}"
        ax.plot(k, bits, color=REINFORCE, alpha=float(shade), lw=1.8, marker="o", ms=3, label=name)
    ax.set_xlabel("precision of the grader, log₂B (bits)", fontsize=8.5)
    ax.set_ylabel("I(G; ξ | τ) [bits]", fontsize=8.5)
    ax.set_ylim(0, T + 1)
    style_axes(ax, labelsize=8)
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.text(max_log2_levels, 2.5, "the article: 1–4 bits", color=CLAIM_TEXT, fontsize=7.5,
            ha="right", va="center")
    fig.text(0.74, 0.3, f"T = {T} binary tokens,\nuniform prior", fontsize=8, color=DARK)
    return fig
