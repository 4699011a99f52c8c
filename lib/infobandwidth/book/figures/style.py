"""The book's figure style, defined once: the palette, the figure canvas, and the axes helpers.

Every figure module draws with these names; none writes a colour as a hex literal of its own
(``tests/test_figures_style.py`` checks). Colours keep one meaning across chapters where the book
has a convention:

* **red** (:data:`LEARN`) — what one episode teaches the learner: I(S;ξ|τ), I(G;ξ|τ), the new
  information I(δ;ξ|τ, critic) of §3.2;
* **orange** (:data:`LEARN_PI`) — the same, about the optimal policy: I(S;π*|τ), I(G;π*|τ);
* **blue** (:data:`ARTICLE`) — the article's quantities (I(S;π*), I(G;ξ)); in §3.2 the TD errors
  of actor-critic (:data:`ACTOR_CRITIC`);
* **green** (:data:`REINFORCE`) — policy gradient: REINFORCE's return G and its J/J*;
* **dark grey** (:data:`BOUND`) — bounds and ceilings (log2 B, log2 |S|, H(ξ)), dashed or dotted.

Helpers: :func:`new_figure` (the canvas), :func:`style_axes` (grid behind the data, tick-label
size, no top/right spines), :func:`despine`, and :data:`OPAQUE_LEGEND` (legend keywords).
"""
from __future__ import annotations

from typing import Iterable

from matplotlib.figure import Figure

__all__ = [
    "BLUE", "ORANGE", "RED", "GREEN", "TEAL", "PURPLE", "YELLOW", "BROWN", "PINK", "WARM_GREY",
    "LIGHT_BLUE", "DARK_BLUE", "PALE_BLUE", "VIOLET", "DEEP_RED", "DEEP_BLUE", "DEEP_GREEN",
    "DARK", "INK", "NOISE", "REFERENCE", "DIVIDER", "CONNECTOR", "MUTED", "GRID", "SLACK", "PANEL",
    "CLAIM_BAND", "CLAIM_TEXT",
    "ARTICLE", "LEARN", "LEARN_PI", "REINFORCE", "ACTOR_CRITIC", "BOUND", "SPARSE", "DENSE",
    "CATEGORICAL", "DPI", "BACKGROUND", "OPAQUE_LEGEND",
    "new_figure", "despine", "style_axes",
]

# ------------------------------------------------------------------------------------------------
# Palette: hues (Tableau 10 as in Vega, plus a few shades)
# ------------------------------------------------------------------------------------------------
BLUE = "#4C78A8"        # the article's quantities; TD errors (§3.2); X, I(X;Y), policy edges (§2.1–2.4)
ORANGE = "#F58518"      # what an episode teaches about π*; Y-only information (§2.3)
RED = "#E45756"         # what an episode teaches about ξ, new information; I(X;Z) (§2.4)
GREEN = "#54A24B"       # REINFORCE (policy gradient): its return G, J/J*
TEAL = "#72B7B2"
PURPLE = "#B279A2"      # what earlier episodes told, I(D;ξ) (§3.2)
YELLOW = "#EECA3B"
BROWN = "#9D755D"
PINK = "#FF9DA6"
WARM_GREY = "#BAB0AC"
LIGHT_BLUE = "#9ECAE9"  # potential bandwidth beyond the article's share: H(G) (§3.1), H(S|π*) (§2.5)
DARK_BLUE = "#1F3A68"   # the article's effective bandwidth I(G;π*) (§3.1)
PALE_BLUE = "#A9C1DC"   # the uncertain part of a blue bar, between two bounds (§3.2)
VIOLET = "#8E6BB8"      # information shared by X and Y, I(X;Y) (§2.3)
DEEP_RED = "#C0392B"    # sparse reward (Part 1); the objective J and the target (§2.1); "not reached"
DEEP_BLUE = "#2471A3"   # dense reward (Part 1)
DEEP_GREEN = "#1E8449"  # "reached" (§3.2)

# ------------------------------------------------------------------------------------------------
# Greys, by role
# ------------------------------------------------------------------------------------------------
DARK = "#333333"        # markers, bar outlines and small labels that must stay legible
INK = "#555555"         # secondary text, box outlines, arrows; bounds and ceilings (BOUND)
NOISE = "#666666"       # noise, H(S|ξ,τ) (§2.5)
REFERENCE = "#777777"   # a dotted reference level (the uniform policy, §2.1)
DIVIDER = "#999999"     # the rule between two groups of bars
CONNECTOR = "#AAAAAA"   # thin lines joining two panels (ξ → π*, §2.2)
MUTED = "#BBBBBB"       # bits that are not new about the target: H(δ) (§3.2), I(S;τ) (§2.5), lost (§2.4)
GRID = "#DDDDDD"        # grid lines
SLACK = "#EEEEEE"       # the slack between a quantity and its ceiling (§3.1)
PANEL = "#F2F2F2"       # the fill of a box in a diagram (the channels of §2.4)
CLAIM_BAND = "#F2E6C9"  # a range the article claims, shaded (§3.2) ...
CLAIM_TEXT = "#8A6D1F"  # ... and its label

# ------------------------------------------------------------------------------------------------
# The book's conventions
# ------------------------------------------------------------------------------------------------
ARTICLE = BLUE          # the article's bandwidths
LEARN = RED             # what one episode teaches the learner about ξ
LEARN_PI = ORANGE       # what one episode teaches the learner about π*
REINFORCE = GREEN       # policy gradient (REINFORCE)
ACTOR_CRITIC = BLUE     # actor-critic and its TD errors
BOUND = INK             # bounds and ceilings
SPARSE = DEEP_RED       # sparse reward (one number per episode)
DENSE = DEEP_BLUE       # dense reward (one number per token)

#: Colours for categories without a meaning of their own (one per class, in this order).
CATEGORICAL = (BLUE, ORANGE, GREEN, RED, TEAL, PURPLE, YELLOW, BROWN, PINK, WARM_GREY)

# ------------------------------------------------------------------------------------------------
# Canvas, axes and legends
# ------------------------------------------------------------------------------------------------
#: Resolution of every figure (dots per inch) and its background.
DPI = 100
BACKGROUND = "white"

#: Legend keywords for a legend drawn over data: an opaque box without a visible frame.
OPAQUE_LEGEND = {"framealpha": 1, "edgecolor": "white"}


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` inches at :data:`DPI`, on the white background.

    A plain :class:`~matplotlib.figure.Figure` (no pyplot state), as every figure of the book.
    """
    return Figure(figsize=(width, height), dpi=DPI, facecolor=BACKGROUND)


def despine(ax, sides: Iterable[str] = ("top", "right")) -> None:
    """Hide the spines ``sides`` of ``ax`` (by default the top and right ones)."""
    for side in sides:
        ax.spines[side].set_visible(False)


def style_axes(ax, *, grid: str | None = "both", labelsize: float | None = None,
               ticks: str = "both", grid_lw: float | None = None) -> None:
    """The book's axes: a light grid behind the data, sized tick labels, no top/right spines.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    grid : {"both", "x", "y"} or None
        Which axis gets grid lines (colour :data:`GRID`, drawn below the data); ``None`` for none.
    labelsize : float, optional
        Font size of the tick labels of ``ticks``; left unchanged if omitted.
    ticks : {"both", "x", "y"}
        The axis whose tick labels ``labelsize`` applies to.
    grid_lw : float, optional
        Width of the grid lines (matplotlib's default if omitted).
    """
    if grid is not None:
        kw = {"color": GRID} if grid_lw is None else {"color": GRID, "lw": grid_lw}
        ax.grid(True, axis=grid, **kw)
        ax.set_axisbelow(True)
    if labelsize is not None:
        ax.tick_params(axis=ticks, labelsize=labelsize)
    despine(ax)
