"""Figures of Part 5, *Conclusion* (``book/part5/conclusion.md``).

* :func:`draw_headline` — the main table as a function of the instance: new bits per episode of
  the four signals of §4.1 (left) and the episodes a hidden string of ``T`` tokens needs with each
  (right: the information bound ``H(ξ)/c`` and, for the ideal learner, the exact expectation).
* :data:`headline_demo` — the same figure with sliders for ``T``, ``|V|`` and ``B``.
* :func:`draw_scalar_ceiling` — what one graded scalar return can carry as ``T`` grows: the exact
  entropy of the match count in ``B`` levels, its Gaussian approximation, and the article's 1–4
  bits.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.comparison import ROWS, quantised_binomial_bits
from infobandwidth.book.experiments.conclusion import gaussian_count_bits, headline
from infobandwidth.book.figures.style import (
    ACTOR_CRITIC,
    BOUND,
    CLAIM_BAND,
    CLAIM_TEXT,
    DARK,
    DENSE,
    REINFORCE,
    SPARSE,
    new_figure,
    style_axes,
)

__all__ = ["ROW_STYLE", "draw_headline", "headline_demo", "DEMO_T", "DEMO_V", "DEMO_B",
           "draw_scalar_ceiling", "CEILING_T", "CEILING_B"]

#: row key -> (short label, colour, hatch) for the four signals of §4.1.
ROW_STYLE = {
    "pg-return": ("REINFORCE, return\n(sparse reward)", REINFORCE, ""),
    "pg-rtg": ("REINFORCE, reward-to-go\n(dense reward)", REINFORCE, "//"),
    "ac-sparse": ("actor-critic, TD errors\n(sparse reward)", ACTOR_CRITIC, ""),
    "ac-dense": ("actor-critic, TD errors\n(dense reward)", ACTOR_CRITIC, "//"),
}

#: The demo's grid: horizons, vocabulary sizes (50,257 is GPT-2's) and grader levels.
DEMO_T = (1, 10, 100, 1000)
DEMO_V = (2, 16, 50257)
DEMO_B = (2, 4, 16)


def _fmt_episodes(x: float) -> str:
    if not math.isfinite(x):
        return "> 10³⁰⁰"
    if x >= 1e6:
        exp = int(math.floor(math.log10(x)))
        return f"{x / 10**exp:.1f}·10$^{{{exp}}}$"
    return f"{x:,.3g}" if x < 1000 else f"{x:,.0f}"


def _fmt_bits(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def draw_headline(T: int = 100, V: int = 2, B: int = 4) -> Figure:
    """New bits per episode of each §4.1 signal (left) and episodes to learn a hidden string
    (right), at one instance, from the closed forms.

    Parameters
    ----------
    T, V, B : int
        Horizon, vocabulary size, levels of the sparse grader (as :func:`headline`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    h = headline(T, V, B)
    keys = [r.key for r in ROWS]
    fig = new_figure(7.6, 4.0)
    ax = fig.add_axes([0.25, 0.2, 0.3, 0.62])
    y = np.arange(len(keys))[::-1]
    bits = [h["new"][k] for k in keys]
    lo = 1e-3
    for yi, k, b in zip(y, keys, bits):
        label, colour, hatch = ROW_STYLE[k]
        ax.barh(yi, max(b, lo), color=colour, hatch=hatch, edgecolor="white", height=0.6)
        text = f"{b:.3g}" if b >= lo else f"{b:.1e} ≈ 0"
        ax.text(max(b, lo) * 1.2, yi, text, va="center", fontsize=8, color=DARK)
    ax.set_xscale("log")
    ax.set_xlim(lo, max(10.0, h["H"]) * 30)
    ax.set_yticks(y, [ROW_STYLE[k][0] for k in keys], fontsize=8)
    ax.set_xlabel("new bits per episode, I(S; ξ | τ, critic)", fontsize=8.5)
    ax.axvline(h["H"], color=BOUND, ls=":", lw=1)
    ax.text(h["H"], len(keys) - 0.45, "H(ξ)", color=BOUND, fontsize=8, va="bottom", ha="center")
    style_axes(ax, grid="x", labelsize=8)

    ax2 = fig.add_axes([0.62, 0.2, 0.34, 0.62])
    bounds = [h["bound"][k] for k in keys]
    finite = [b for b in bounds if math.isfinite(b) and b < 1e290]
    top = max([10.0, *finite]) * 3            # beyond ~1e290 a bar is drawn to the edge
    for yi, k, b in zip(y, keys, bounds):
        _, colour, hatch = ROW_STYLE[k]
        ax2.barh(yi, min(b, top), color=colour, hatch=hatch, edgecolor="white", height=0.6,
                 alpha=0.45)
        ax2.text(0.62, yi, f"≥ {_fmt_episodes(b)}", va="center", fontsize=8.5, color=DARK)
    ax2.set_xscale("log")
    ax2.set_yticks(y, [""] * len(keys))
    ax2.tick_params(axis="y", length=0)
    ax2.set_xlabel("episodes to learn ξ: the bound H(ξ)/c", fontsize=8.5)
    ax2.set_xlim(0.5, top)
    style_axes(ax2, grid="x", labelsize=8)
    fig.text(0.02, 0.895, f"episodes of the ideal learner, exactly: pass/fail reward {_fmt_episodes(h['ideal_sparse'])}, "
             f"per-token reward {_fmt_episodes(h['ideal_dense'])}", fontsize=8.5, color=DARK)
    fig.text(0.02, 0.955, f"T = {T}, $|\\mathcal{{V}}|$ = {V:,}, B = {B}:  H(ξ) = T log₂$|\\mathcal{{V}}|$ = {_fmt_bits(h['H'])} bits",
             fontsize=9, color=DARK, weight="bold")
    fig.text(0.02, 0.02, "sparse: pass/fail-graded match count in B levels; dense: one "
             "match/no-match per token", fontsize=7, color=SPARSE)
    fig.text(0.98, 0.02, "uniform prior and policy, ξ-free critic", fontsize=7, color=DENSE,
             ha="right")
    return fig


headline_demo = Demo(
    name="conclusion-headline",
    func=draw_headline,
    grid={"T": list(DEMO_T), "V": list(DEMO_V), "B": list(DEMO_B)},
    labels={"T": "horizon T", "V": "vocabulary size", "B": "levels B"},
    description="The main table as a function of the instance: bits per episode and episodes to "
                "learn a hidden string, per signal.",
)


#: Horizons and grader levels of :func:`draw_scalar_ceiling`.
CEILING_T = tuple(int(t) for t in np.unique(np.round(np.logspace(0, 4, 33))))
CEILING_B = (2, 4, 16)


def draw_scalar_ceiling(Ts=CEILING_T, levels=CEILING_B) -> Figure:
    """The bits one graded return carries about a hidden binary string, ``I(G; ξ | τ)``, against
    the horizon: exact for ``B`` levels and for every count its own level (``B = T + 1``), with the
    Gaussian approximation and the article's 1–4 bits.

    Returns
    -------
    matplotlib.figure.Figure
    """
    Ts = np.asarray(Ts, dtype=int)
    fig = new_figure(6.4, 3.6)
    ax = fig.add_axes([0.1, 0.14, 0.86, 0.82])
    ax.axhspan(1, 4, color=CLAIM_BAND, zorder=0)
    ax.text(9000, 3.85, "the article: 1–4 bits", ha="right", color=CLAIM_TEXT, fontsize=8, va="top")
    exact = [quantised_binomial_bits(int(t), int(t) + 1, 0.5) for t in Ts]
    ax.plot(Ts, exact, color=REINFORCE, lw=2, label="every count its own level (B = T + 1)")
    ax.plot(Ts, gaussian_count_bits(Ts), color=BOUND, ls="--", lw=1.2,
            label="½ log₂(πeT/2), Gaussian approximation")
    for B, shade, ls in zip(levels, (0.5, 0.75, 1.0), (":", "-.", (0, (6, 2)))):
        ax.plot(Ts, [quantised_binomial_bits(int(t), B, 0.5) for t in Ts], color=DARK,
                alpha=shade, lw=1.4, ls=ls, label=f"B = {B} levels")
    ax.set_xscale("log")
    ax.set_ylim(0, max(exact) + 0.8)
    ax.set_xlabel("horizon T (tokens); match count, |V| = 2, uniform prior", fontsize=8.5)
    ax.set_ylabel("bits per episode, I(G; ξ | τ)", fontsize=8.5)
    style_axes(ax, labelsize=8)
    ax.legend(fontsize=7.5, loc="upper left", frameon=False)
    ax.text(Ts[-1], 0.3, f"a dense reward carries T bits: {Ts[-1]:,} at the right edge, off the chart",
            color=DENSE, fontsize=8, ha="right")
    return fig
