"""Figures of §4.1, the unified comparison (chapter ``book/part4/comparison.md``).

* :func:`draw_growth` — every row of the table against the horizon ``T``: potential and new bits
  per episode, enumerated for small ``T`` and from the closed forms beyond, and the ratio of
  actor-critic to REINFORCE's return out to the article's ``T = 1000`` with its 250–1000× band
  (captioned figure).
* :func:`draw_comparison_bars` and :data:`comparison_bars` — the table as bars for a chosen ``T``
  and ``B`` (the demo).

Every number comes from :mod:`infobandwidth.book.experiments.comparison`; the ``*_values``
functions return what the drawings write, for the tests.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.comparison import (
    ARTICLE_T,
    GROWTH_T,
    ROWS,
    closed_form,
    comparison_table,
    growth,
    ratios,
)
from infobandwidth.book.figures.style import (
    ACTOR_CRITIC,
    BOUND,
    CLAIM_BAND,
    CLAIM_TEXT,
    LEARN,
    MUTED,
    OPAQUE_LEGEND,
    REINFORCE,
    new_figure,
    style_axes,
)

__all__ = [
    "growth_values",
    "draw_growth",
    "comparison_bars_values",
    "draw_comparison_bars",
    "comparison_bars",
    "DEMO_T",
    "DEMO_B",
]

#: Colour and marker of each row: green for REINFORCE, blue for actor-critic; circles for the sparse
#: reward, squares for the dense one.
_STYLE = {
    "pg-return": (REINFORCE, "o"),
    "pg-rtg": (REINFORCE, "s"),
    "ac-sparse": (ACTOR_CRITIC, "o"),
    "ac-dense": (ACTOR_CRITIC, "s"),
}
_LABEL = {r.key: f"{r.algorithm}, {r.reward}" for r in ROWS}
#: Ratio readings of the right panel: (key of ``ratios``, label, colour, line style).
_RATIOS = (
    ("potential", "potential H(δ)/H(G), sparse reward", MUTED, "--"),
    ("new, sparse", "new bits, sparse reward", ACTOR_CRITIC, "-"),
    ("new, dense", "new bits, dense reward vs sparse return", LEARN, "-"),
)


# ------------------------------------------------------------------------------------------------
# growth with T
# ------------------------------------------------------------------------------------------------
def growth_values(V: int = 2, B: int = 2) -> dict:
    """What :func:`draw_growth` draws: the enumerated rows, their closed forms on a fine grid of ``T``
    up to :data:`~infobandwidth.book.experiments.comparison.ARTICLE_T`, and the ratios."""
    g = growth(GROWTH_T, V, B)
    T_line = np.unique(np.r_[np.arange(1, 11), np.geomspace(10, ARTICLE_T, 40).round()]).astype(int)
    closed = {r.key: np.array([closed_form(r.key, int(t), V, B) for t in T_line]) for r in ROWS}
    rat = {k: np.array([ratios(int(t), V, B)[k] for t in T_line]) for k, _, _, _ in _RATIOS}
    return {"enumerated": g, "T_line": T_line, "closed": closed, "ratios": rat, "V": V, "B": B}


def draw_growth(V: int = 2, B: int = 2) -> Figure:
    """Potential bits and new bits against small ``T`` (top), and the ratios out to T = 1000 (bottom).

    Parameters
    ----------
    V : int
        Vocabulary size.
    B : int
        Levels of the sparse grader.

    Returns
    -------
    matplotlib.figure.Figure
    """
    v = growth_values(V, B)
    g, T_line = v["enumerated"], v["T_line"]
    small = T_line <= max(GROWTH_T) + 3
    fig = new_figure(7.4, 6.8)
    fig.subplots_adjust(left=0.09, right=0.98, top=0.80, bottom=0.08, wspace=0.25, hspace=0.42)
    axes = [fig.add_subplot(2, 2, 1), fig.add_subplot(2, 2, 2), fig.add_subplot(2, 1, 2)]
    for col, (ax, what) in enumerate(zip(axes[:2], ("potential", "new"))):
        for r in ROWS:
            color, marker = _STYLE[r.key]
            ax.plot(T_line[small], v["closed"][r.key][small, col], "-", color=color, lw=1,
                    alpha=0.6, zorder=1)
            big = r.algorithm.startswith("REINFORCE")   # REINFORCE behind, actor-critic inside it
            ax.plot(g[r.key]["T"], g[r.key][what], marker, color=color, ms=10 if big else 5,
                    mfc=color if marker == "s" and not big else "white", mew=1.5,
                    label=_LABEL[r.key], zorder=2 if big else 3)
        ax.set_xlabel("horizon T", fontsize=8.5)
        style_axes(ax, labelsize=8, grid_lw=0.8)
    axes[0].set_title("potential H(S)", fontsize=9.5, loc="left")
    axes[1].set_title("new I(S;ξ|τ,critic): what it teaches", fontsize=9.5, loc="left")
    axes[0].set_ylabel("bits per episode", fontsize=8.5)
    top = max(axes[0].get_ylim()[1], axes[1].get_ylim()[1])
    for ax in axes[:2]:
        ax.set_ylim(0, top)
    ax = axes[2]
    ax.fill_between([ARTICLE_T * 0.7, ARTICLE_T * 1.3], 250, 1000, color=CLAIM_BAND, zorder=0)
    ax.text(ARTICLE_T * 0.9, 60, "the article:\n250–1000×\nat T = 1000", fontsize=8, ha="right",
            va="center", color=CLAIM_TEXT)
    for key, label, color, ls in _RATIOS:
        wide = key == "potential"     # nearly the dense line: drawn wide, underneath
        ax.plot(T_line, v["ratios"][key], ls, color=color, lw=5 if wide else 1.6, label=label,
                zorder=1 if wide else 2)
    T_en = g["pg-return"]["T"]
    en = {"potential": g["ac-sparse"]["potential"] / g["pg-return"]["potential"],
          "new, sparse": g["ac-sparse"]["new"] / g["pg-return"]["new"],
          "new, dense": g["ac-dense"]["new"] / g["pg-return"]["new"]}
    for key, _, color, _ in _RATIOS:
        ax.plot(T_en, en[key], "o", color=color, ms=4, mfc="white", mew=1.2, zorder=3)
    ax.axvline(ARTICLE_T, color=BOUND, ls=":", lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.8, ARTICLE_T * 1.5)
    ax.set_ylabel("ratio", fontsize=8.5)
    ax.set_xlabel("horizon T (closed forms; dots enumerated)", fontsize=8.5)
    ax.set_title("actor-critic ÷ REINFORCE's return", fontsize=9.5, loc="left")
    style_axes(ax, labelsize=8, grid_lw=0.8)
    ax.legend(fontsize=7.8, loc="upper left", **OPAQUE_LEGEND)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.07, 1.0), ncols=2, fontsize=8,
               frameon=False)
    fig.text(0.09, 0.87, f"match count, |V| = {V}, sparse reward graded in B = {B} levels, uniform prior "
             f"and policy, fixed critic.\nMarkers: exact enumeration; lines: closed forms.",
             fontsize=7.8, ha="left", va="center", color=BOUND)
    return fig


# ------------------------------------------------------------------------------------------------
# the demo: the table as bars
# ------------------------------------------------------------------------------------------------
#: The grid of the demo.
DEMO_T = (1, 2, 3, 4, 5)
DEMO_B = (2, 3, 4, 6)


def comparison_bars_values(T: int = 3, B: int = 2, V: int = 2) -> dict[str, tuple[float, float]]:
    """What :func:`draw_comparison_bars` writes: row key → (potential, new) in bits."""
    t = comparison_table(V, T, B)
    return {r.key: (r.potential, r.new) for r in t.rows}


def draw_comparison_bars(T: int = 3, B: int = 2) -> Figure:
    """The four rows of the table as pairs of bars (potential grey, new red), values written.

    Parameters
    ----------
    T : int
        Horizon.
    B : int
        Levels of the sparse grader.

    Returns
    -------
    matplotlib.figure.Figure
    """
    v = comparison_bars_values(T, B)
    fig = new_figure(6.4, 3.3)
    ax = fig.add_axes([0.09, 0.2, 0.89, 0.6])
    x = np.arange(len(ROWS))
    w = 0.38
    top = max(max(p) for p in v.values())
    for k, r in enumerate(ROWS):
        pot, new = v[r.key]
        ax.bar(x[k] - w / 2, pot, w, color=MUTED, edgecolor=_STYLE[r.key][0], lw=1.2)
        ax.bar(x[k] + w / 2, new, w, color=LEARN)
        for dx, val in ((-w / 2, pot), (w / 2, new)):
            ax.text(x[k] + dx, val + top * 0.02, f"{val:.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [f"{r.algorithm}\n{r.reward} reward" for r in ROWS], fontsize=7.8)
    for lab, r in zip(ax.get_xticklabels(), ROWS):
        lab.set_color(_STYLE[r.key][0])
    ax.set_ylim(0, top * 1.18 + 0.1)
    ax.set_ylabel("bits per episode", fontsize=8.5)
    style_axes(ax, grid="y", labelsize=8)
    ax.legend([Patch(color=MUTED), Patch(color=LEARN)], ["potential H(S)", "new I(S;ξ|τ,critic)"],
              fontsize=8, loc="upper left", **OPAQUE_LEGEND)
    fig.suptitle(f"match count, |V| = 2, T = {T}, sparse reward graded in B = {B} levels\n"
                 f"uniform prior and policy, fixed critic", fontsize=8.8, y=0.97)
    return fig


comparison_bars = Demo(
    name="comparison-bars",
    func=draw_comparison_bars,
    grid={"T": list(DEMO_T), "B": list(DEMO_B)},
    labels={"T": "horizon T", "B": "grader levels B"},
    description="Grey bars are potential bits, red bars what the episode teaches. Grow T: the grey "
                "bars of actor-critic grow by a bit per token whatever the reward, the red bars grow "
                "only with the dense reward, and then for REINFORCE too. Change B: only the sparse "
                "rows move.",
)
