"""The grouped "bits" bar chart shared by §2.5 and §3.1: the article's quantities on the left, what
one episode teaches on the right, each bar labelled with its value."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from infobandwidth.book.figures.style import DIVIDER, style_axes


def bits_bars(ax, values: Sequence[float], names: Sequence[str], captions: Sequence[str],
              colors: Sequence[str], *, top: float, left: tuple[str, str], right: tuple[str, str],
              ylabel: str, title_at: float, ylim_at: float) -> None:
    """Draw labelled bars on ``ax``, split after the third bar into two titled groups.

    ``top`` scales the value labels and the axis; ``left``/``right`` are ``(title, colour)`` of the
    groups, placed at ``title_at * top``; the y axis ends at ``ylim_at * top``.
    """
    x = np.arange(len(values))
    ax.bar(x, values, color=colors, width=0.62, edgecolor="white")
    for i, v in enumerate(values):
        ax.text(i, v + 0.02 * top, f"{v:.3f}", ha="center", va="bottom", fontsize=9.5,
                fontweight="bold")
    ax.set_xticks(x, [f"{n}\n{c}" for n, c in zip(names, captions)], fontsize=8.5)
    ax.axvline(2.5, color=DIVIDER, lw=0.8)
    ax.text(1.0, top * title_at, left[0], ha="center", fontsize=8.5, color=left[1])
    ax.text(3.5, top * title_at, right[0], ha="center", fontsize=8.5, color=right[1])
    ax.set_ylim(0, top * ylim_at)
    ax.set_ylabel(ylabel, fontsize=9)
    style_axes(ax, grid="y", labelsize=8, ticks="y")
