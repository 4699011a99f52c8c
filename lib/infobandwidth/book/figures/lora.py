"""Figures and the demo of §4.2, why LoRA works (``book/part4/lora.md``).

:func:`draw_accumulation` draws ``I_total(n)`` about π* for the chapter's instances and both learners
against the ceilings ``H(π*)`` and ``n · log2 B`` and the article's band ``n · [1, 4]``;
:func:`draw_capacity` puts bits delivered beside bits stored on one log axis; :data:`accumulation_explorer`
is the demo (family × T).
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.lora import (
    ACCUMULATION_CASES,
    ARTICLE,
    DEMO_FAMILIES,
    LLAMA2_7B,
    AccumulationCase,
    accumulation,
    adapter_parameters,
    case_family,
    demo_accumulation,
    model_adapter_parameters,
)
from infobandwidth.book.figures.style import (
    BOUND,
    CLAIM_BAND,
    DARK,
    INK,
    LEARN_PI,
    OPAQUE_LEGEND,
    REINFORCE,
    TEAL,
    new_figure,
    style_axes,
)
from infobandwidth.signals.accumulation import Accumulation

__all__ = ["FIGURE_CASES", "draw_accumulation", "draw_capacity", "capacity_bars", "accumulation_explorer"]

#: The panels of :func:`draw_accumulation`.
FIGURE_CASES = (ACCUMULATION_CASES[0], ACCUMULATION_CASES[2], ACCUMULATION_CASES[3],
                ACCUMULATION_CASES[5])
#: Line colours of the two learners.
_COLOURS = {"posterior_sampling": LEARN_PI, "uniform": TEAL}
_NAMES = {"posterior_sampling": "posterior sampling", "uniform": "uniform policy"}


def _panel(ax, accs: dict[str, Accumulation], title: str, *, legend: bool, fontsize: float = 8) -> None:
    a0 = next(iter(accs.values()))
    n = a0.episodes
    H = a0.H_pi_star
    top = max(H * 1.25, 1.0)
    ax.fill_between(n, np.minimum(n * 1.0, top * 2), np.minimum(n * 4.0, top * 2), color=CLAIM_BAND,
                    lw=0, zorder=0, label="article: n·c, c ∈ [1, 4]")
    ax.plot(n, np.minimum(n * a0.log2_levels, top * 2), color=BOUND, ls=":", lw=1.2,
            label="n · log₂ B")
    ax.axhline(H, color=BOUND, ls="--", lw=1.2, label="H(π*)")
    for pol, a in accs.items():
        y = a.total_pi_star
        ax.plot(n, y, color=_COLOURS[pol], lw=2, marker="o", ms=3, label=_NAMES[pol])
        if a.method == "sample":
            se = 2 * a.pi_star_stderr
            ax.fill_between(n, y - se, y + se, color=_COLOURS[pol], alpha=0.25, lw=0)
    ax.set_ylim(0, top)
    ax.set_xlim(0, n[-1])
    ax.set_title(title, fontsize=fontsize)
    ax.set_xlabel("episodes n", fontsize=fontsize)
    ax.set_ylabel("I_total(n) about π* [bits]", fontsize=fontsize)
    style_axes(ax, labelsize=fontsize - 1)
    if legend:
        ax.legend(fontsize=fontsize - 1.5, loc="lower right", **OPAQUE_LEGEND)


def draw_accumulation(cases=FIGURE_CASES) -> Figure:
    """``I_total(n)`` about π* for ``cases`` (one panel each), both learners, with the ceilings.

    Returns
    -------
    matplotlib.figure.Figure
    """
    cases = list(cases)
    cols = 2
    rows = (len(cases) + 1) // cols
    fig = new_figure(8.0, 3.0 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for i, (ax, case) in enumerate(zip(axes, cases)):
        accs = {p: accumulation(case, p) for p in ("posterior_sampling", "uniform")}
        _panel(ax, accs, case.label, legend=i == 0)
    for ax in axes[len(cases):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def capacity_bars(r: int = ARTICLE["r"]) -> list[tuple[str, float, str]]:
    """The bars of :func:`draw_capacity`: (label, bits, kind) with kind ``"information"`` or ``"storage"``.

    Examples
    --------
    >>> [round(b) for _, b, _ in capacity_bars()][:2]
    [2000, 20000]
    """
    c, b, d = ARTICLE["c"], ARTICLE["bits_per_parameter"], ARTICLE["d"]
    one = adapter_parameters(d, d, r)
    one_r1 = adapter_parameters(d, d, 1)
    every = model_adapter_parameters(LLAMA2_7B, r)
    return [
        (f"RL, N = 1,000 (c = {c})", c * ARTICLE["N_small"], "information"),
        (f"RL, N = 10,000 (c = {c})", c * ARTICLE["N_large"], "information"),
        ("rank 1, one 4096² matrix, 1 bit/param", one_r1, "storage"),
        ("rank 1, one 4096² matrix, 32 bits/param", b * one_r1, "storage"),
        (f"rank {r}, one 4096² matrix, 32 bits/param", b * one, "storage"),
        (f"rank {r}, all Llama-2-7B projections, 32 bits", b * every, "storage"),
        ("full Llama-2-7B, 32 bits/param", b * LLAMA2_7B.n_parameters, "storage"),
    ]


def draw_capacity(r: int = ARTICLE["r"]) -> Figure:
    """Bits delivered by policy gradient beside bits an adapter can store, on a log axis.

    Returns
    -------
    matplotlib.figure.Figure
    """
    bars = capacity_bars(r)
    fig = new_figure(8.0, 3.4)
    ax = fig.subplots()
    y = np.arange(len(bars))[::-1]
    colours = [REINFORCE if kind == "information" else INK for _, _, kind in bars]
    ax.barh(y, [v for _, v, _ in bars], color=colours, height=0.6)
    for yi, (_, v, _) in zip(y, bars):
        ax.text(v * 1.3, yi, f"{v:,.0f} bits", va="center", fontsize=7.5, color=DARK)
    ax.set_yticks(y, [lab for lab, _, _ in bars], fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(1e3, 1e13)
    ax.set_xlabel("bits (log scale): green = delivered by RL at c bits per episode, grey = storage",
                  fontsize=8)
    style_axes(ax, grid="x", labelsize=7.5)
    fig.tight_layout()
    return fig


def draw_explorer(family: str = "match count, B = T + 1", T: int = 3) -> Figure:
    """One frame of the demo: both learners on ``family`` with ``V = 2`` and horizon ``T``."""
    accs = {p: demo_accumulation(family, T, p) for p in ("posterior_sampling", "uniform")}
    fig = new_figure(6.4, 3.6)
    ax = fig.subplots()
    a = accs["posterior_sampling"]
    method = "exact" if a.method == "exact" else f"Monte Carlo, {a.n_runs} learners, ±2 s.e."
    name, levels = DEMO_FAMILIES[family]
    case = AccumulationCase(name, 2, T, levels)
    _panel(ax, accs, f"{family}, $|\\mathcal{{V}}|$ = 2, T = {T}  ({method})", legend=True, fontsize=9)
    c1 = {p: acc.new_pi_star[0] for p, acc in accs.items()}
    to90 = a.episodes_to(0.9)
    ax.text(0.02, 0.97, f"|Ξ| = {case_family(case).n_xi}, "
            f"B = {a.n_levels}, H(π*) = {a.H_pi_star:.2f} bits\n"
            f"first episode: c₁ = {c1['posterior_sampling']:.2f} bits\n"
            f"90 % of H(π*) after {to90 if to90 >= 0 else 'more than 10'} episodes "
            f"(posterior sampling)",
            transform=ax.transAxes, va="top", fontsize=8, color=DARK,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 2})
    fig.tight_layout()
    return fig


accumulation_explorer = Demo(
    name="accumulation-explorer",
    func=draw_explorer,
    grid={"family": list(DEMO_FAMILIES), "T": [1, 2, 3, 4]},
    labels={"family": "reward family", "T": "tokens T"},
    description="Watch where each curve leaves the shaded band n·[1, 4]: binary rewards never "
                "enter it, multi-level rewards stay in it for the first few episodes, and every "
                "curve bends flat at H(π*).",
)
