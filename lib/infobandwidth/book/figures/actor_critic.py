"""Figures, tables and the demo of §3.2, *Actor-critic* (``book/part3/actor-critic*.md``, three pages).

* :func:`table_html` — a small HTML table from rows of numbers (every table of the chapter).
* :func:`draw_critic_comparison` — entropy and information of the TD errors of five critics.
* :func:`draw_potential_scaling` — ``H({δ_t})`` against ``T`` next to the new information.
* :func:`draw_dense_scaling` — information per episode against ``T``, dense and sparse, with the
  two ceilings ``H(ξ)`` and ``Σ_t log2 B_t``.
* :func:`draw_learning_phases` — the critic-quality table of the article, computed.
* :func:`draw_correlation_factor` — the reduction factor of correlated TD errors against ρ.
* :func:`draw_ar1` and :data:`ar1_demo` — an AR(1) TD-error sequence read at a resolution Δ, with
  its entropy per step (the demo).
* :func:`draw_learning_comparison` — episodes to solve against ``T`` for four learners.
* :func:`draw_td_table` and :data:`td_table_demo` — the TD-error table of a frozen critic at one
  step, and what each step tells (the demo of §3.2).
* :func:`draw_dense_steps` and :data:`dense_steps_demo` — where in the episode dense rewards
  deliver their bits, against the ceilings (the demo of §3.2.2).

The numbers come from :mod:`infobandwidth.signals.td`.
"""
from __future__ import annotations

import html
import math
from typing import Any, Mapping

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.actor_critic import (
    DENSE_FAMILIES,
    TD_TABLE_CRITICS,
    CriticComparison,
    LearningPhase,
    dense_per_step,
    frozen_critic_table,
)
from infobandwidth.book.figures.style import (
    ACTOR_CRITIC,
    BLUE,
    BOUND,
    CLAIM_BAND,
    CLAIM_TEXT,
    DARK,
    DEEP_GREEN,
    DEEP_RED,
    GREEN,
    GRID,
    LEARN,
    MUTED,
    OPAQUE_LEGEND,
    ORANGE,
    PALE_BLUE,
    PURPLE,
    RED,
    REINFORCE,
    new_figure,
    style_axes,
)
from infobandwidth.book.figures.style import SLACK as SLACK_FILL
from infobandwidth.information.gaussian import ar1_entropies, quantised_ar1

__all__ = [
    "table_html",
    "draw_critic_comparison",
    "draw_potential_scaling",
    "draw_dense_scaling",
    "draw_learning_phases",
    "correlation_factor_values",
    "draw_correlation_factor",
    "ar1_path",
    "ar1_values",
    "draw_ar1",
    "ar1_demo",
    "draw_learning_comparison",
    "td_table_values",
    "draw_td_table",
    "td_table_demo",
    "dense_steps_values",
    "draw_dense_steps",
    "dense_steps_demo",
]

C_POT = MUTED         # potential bandwidth H(·)
C_DATA = PURPLE       # what earlier episodes told
# TD errors are ACTOR_CRITIC, the episode's new information LEARN, REINFORCE's return REINFORCE,
# H(ξ) and other ceilings BOUND.


def table_html(rows: Mapping[str, Mapping[str, Any]], *, first: str = "", digits: int = 3,
               caption: str = ""):
    """An HTML table (an IPython ``HTML`` object) with one row per key of ``rows``.

    Parameters
    ----------
    rows : mapping
        ``{row label: {column: value}}``; every row has the same columns. Floats are printed with
        ``digits`` decimals, other values as they are.
    first : str
        Header of the label column.
    digits : int
    caption : str

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    labels = list(rows)
    cols = list(rows[labels[0]]) if labels else []
    pad = "padding:0.15em 0.7em;"
    head = "".join(f"<th style='{pad}text-align:{'left' if k == 0 else 'right'}'>"
                   f"{html.escape(str(c))}</th>" for k, c in enumerate([first, *cols]))

    def cell(v):
        if isinstance(v, (float, np.floating)):
            if math.isinf(v):
                return "∞"
            return f"{v:.{digits}f}"
        return html.escape(str(v))

    body = "".join(
        f"<tr><td style='{pad}text-align:left'>" + html.escape(str(lab)) + "</td>"
        + "".join(f"<td style='{pad}text-align:right'>{cell(rows[lab][c])}</td>" for c in cols)
        + "</tr>" for lab in labels)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(f"<table class='ib-table'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


# ============================================================================ critics
def draw_critic_comparison(cc: CriticComparison) -> Figure:
    """Bars per critic: ``H(δ)``, ``I(δ;ξ|τ)`` and ``I(δ;ξ|τ,critic)``; a line at ``I(G;ξ|τ)``.

    Parameters
    ----------
    cc : CriticComparison
        From :func:`infobandwidth.book.experiments.actor_critic.critic_comparison`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(cc.info)
    H = [cc.info[n].td.H_S for n in names]
    I_tau = [cc.info[n].td.I_S_xi_given_tau for n in names]
    I_new = [cc.info[n].I_td_given_critic for n in names]
    I_G = cc.info[names[0]].ret.I_S_xi_given_tau
    H_xi = cc.info[names[0]].td.H_xi
    fig = new_figure(7.0, 3.4)
    ax = fig.add_axes([0.08, 0.2, 0.9, 0.66])
    x = np.arange(len(names))
    w = 0.26
    specs = ((-w, H, C_POT, "H(δ): potential bandwidth"),
             (0.0, I_tau, ACTOR_CRITIC, "I(δ;ξ|τ): critic not conditioned on"),
             (w, I_new, LEARN, "I(δ;ξ|τ,critic): new information"))
    for dx, vals, c, lab in specs:
        ax.bar(x + dx, vals, width=w * 0.95, color=c, label=lab)
        for xi, v in zip(x + dx, vals):
            ax.text(xi, v + 0.05, f"{v:.2f}", ha="center", va="bottom", fontsize=7)
    ax.axhline(I_G, color=REINFORCE, ls="--", lw=1.3, label=f"I(G;ξ|τ) = {I_G:.3f}: REINFORCE's return")
    ax.axhline(H_xi, color=BOUND, ls=":", lw=1.0, label=f"H(ξ|D) = {H_xi:.3f}")
    ax.set_xticks(x, [n.replace(" (", "\n(").replace("V^π_ξ", r"$V^{\pi}_{\xi}$") for n in names])
    ax.set_ylabel("bits", fontsize=9)
    ax.set_ylim(0, max(max(H), H_xi) * 1.35 + 0.2)
    style_axes(ax, labelsize=8.5, grid_lw=0.8)
    ax.legend(fontsize=7.5, loc="upper left", ncols=2, **OPAQUE_LEGEND)
    return fig


def draw_potential_scaling(p: Mapping[str, np.ndarray]) -> Figure:
    """``H({δ_t})`` and the new information against ``T`` (sparse reward, random critic).

    Parameters
    ----------
    p : mapping
        From :func:`infobandwidth.book.experiments.actor_critic.potential_scaling`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = new_figure(6.2, 3.2)
    ax = fig.add_axes([0.1, 0.15, 0.86, 0.75])
    T = p["T"]
    ax.plot(T, p["H_td"], "o-", color=ACTOR_CRITIC, lw=2, label="H(δ): potential bandwidth")
    ax.plot(T, p["H_tau"], ":", color=BOUND, lw=1.2, label="T·log2 V: entropy of the trajectory")
    ax.plot(T, p["I_td_new"], "s-", color=LEARN, lw=2, label="I(δ;ξ|τ,critic): new information")
    ax.plot(T, p["I_G_new"], "x--", color=REINFORCE, lw=1.2, ms=8, label="I(G;ξ|τ): REINFORCE")
    ax.set_xlabel("horizon T (tokens per episode)", fontsize=9)
    ax.set_ylabel("bits", fontsize=9)
    ax.set_xticks(T)
    ax.set_ylim(0, max(p["H_td"].max(), p["H_tau"].max()) * 1.15)
    style_axes(ax, labelsize=8.5, grid_lw=0.8)
    ax.legend(fontsize=8, loc="upper left", **OPAQUE_LEGEND)
    return fig


def draw_dense_scaling(d: Mapping[str, Mapping[str, np.ndarray]]) -> Figure:
    """One panel per family: dense and sparse information per episode against ``T``, with ceilings.

    Parameters
    ----------
    d : mapping
        From :func:`infobandwidth.book.experiments.actor_critic.dense_scaling`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(d)
    fig = new_figure(7.2, 4.8)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.1, wspace=0.22, hspace=0.42)
    axes = [fig.add_subplot(2, 2, k + 1) for k in range(len(names))]
    top = max(max(v["H_xi"].max(), v["steps_bound"].max()) for v in d.values())
    for ax, n in zip(axes, names):
        v = d[n]
        T = v["T"]
        ax.plot(T, v["H_xi"], ":", color=BOUND, lw=1.3)
        ax.plot(T, v["steps_bound"], "-.", color=C_POT, lw=1.5)
        ax.plot(T, v["I_dense"], "o-", color=LEARN, lw=2)
        ax.plot(T, v["I_sparse"], "s--", color=REINFORCE, lw=1.5, ms=4)
        ax.set_title(n, fontsize=9, loc="left")
        ax.set_xticks(T)
        ax.set_ylim(0, top * 1.05)
        style_axes(ax, labelsize=8, grid_lw=0.8)
    for ax in axes[2:]:
        ax.set_xlabel("horizon T", fontsize=8.5)
    for ax in axes[::2]:
        ax.set_ylabel("bits per episode", fontsize=8.5)
    handles = [axes[0].lines[k] for k in (2, 3, 0, 1)]
    fig.legend(handles, ["I(r;ξ|τ) = I(δ;ξ|τ,critic): dense rewards", "I(G;ξ|τ): sparse return",
                         "H(ξ)", "Σ_t log2 B_t: entropy ceiling of the rewards"],
               loc="upper center", ncols=2, fontsize=8, frameon=False)
    return fig


# ============================================================================ learning phases
def draw_learning_phases(phases: list[LearningPhase]) -> Figure:
    """The critic-quality table as a picture: information at each checkpoint, and the critic's error.

    Parameters
    ----------
    phases : list of LearningPhase
        From :func:`infobandwidth.book.experiments.actor_critic.learning_phases`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = new_figure(7.2, 3.4)
    ax = fig.add_axes([0.08, 0.16, 0.56, 0.62])
    ax2 = fig.add_axes([0.74, 0.16, 0.24, 0.62])
    x = np.arange(len(phases))
    labels = [f"{p.updates}" for p in phases]
    w = 0.2
    series = ((-1.5 * w, [p.H_td for p in phases], C_POT, "H(δ)"),
              (-0.5 * w, [p.I_td_xi for p in phases], ACTOR_CRITIC, "I(δ;ξ)"),
              (0.5 * w, [p.I_data_xi for p in phases], C_DATA, "I(D;ξ): earlier episodes"),
              (1.5 * w, [p.I_new for p in phases], LEARN, "I(δ;ξ|τ,D) = I(G;ξ|τ,D): new"))
    for dx, vals, c, lab in series:
        ax.bar(x + dx, vals, width=w * 0.95, color=c, label=lab)
    for xi, p in zip(x, phases):
        ax.text(xi + 1.5 * w, p.I_new + 0.08, f"{p.I_new:.2f}", ha="center", va="bottom",
                fontsize=7, color=LEARN)
    ax.set_xticks(x, labels)
    ax.set_xlabel("actor-critic updates before the episode", fontsize=9)
    ax.set_ylabel("bits", fontsize=9)
    style_axes(ax, labelsize=8.5, grid_lw=0.8)
    fig.legend(*ax.get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(0.06, 1.0),
               ncols=2, fontsize=8, frameon=False)
    ax2.plot(x, [p.critic_error for p in phases], "o-", color=ACTOR_CRITIC, lw=2, label="critic RMS error")
    ax2.plot(x, [p.J for p in phases], "s--", color=REINFORCE, lw=1.5, label="J (expected return)")
    ax2.set_xticks(x, labels)
    ax2.set_xlabel("updates", fontsize=9)
    ax2.set_ylim(0, 1.05)
    style_axes(ax2, labelsize=8.5, grid_lw=0.8)
    ax2.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, 1.32), frameon=False)
    return fig


# ============================================================================ correlation
def correlation_factor_values(rhos=None, resolutions=(2.0, 1.0, 0.25, 0.1)) -> dict[str, Any]:
    """Bounds on the reduction factor ``H(Q_t)/H(Q_t|Q_{<t})`` on a grid of ρ, per resolution.

    Returns
    -------
    dict
        ``{"rho": array, "resolutions": tuple, "low": {Δ: array}, "high": {Δ: array}}``.
    """
    if rhos is None:
        rhos = np.r_[np.linspace(0.0, 0.9, 10), 0.93, 0.95, 0.97, 0.98, 0.99]
    rhos = np.asarray(rhos, dtype=float)
    low, high = {}, {}
    for d in resolutions:
        b = [quantised_ar1(float(r), d).factor_bounds for r in rhos]
        low[d] = np.array([x[0] for x in b])
        high[d] = np.array([x[1] for x in b])
    return {"rho": rhos, "resolutions": tuple(resolutions), "low": low, "high": high}


def draw_correlation_factor(v: Mapping[str, Any] | None = None) -> Figure:
    """The reduction factor against ρ, one band per resolution; the article's 2–5× at ρ = 0.7 shaded.

    Parameters
    ----------
    v : mapping, optional
        From :func:`correlation_factor_values` (computed if omitted).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if v is None:
        v = correlation_factor_values()
    fig = new_figure(6.4, 3.4)
    ax = fig.add_axes([0.1, 0.14, 0.86, 0.76])
    ax.axhspan(2, 5, xmin=0, xmax=1, color=CLAIM_BAND, zorder=0)
    ax.text(0.3, 4.6, "the article: 2–5× at ρ = 0.7", fontsize=8.5, va="center", color=CLAIM_TEXT)
    ax.axvline(0.7, color=BOUND, ls=":", lw=1)
    colors = [BLUE, GREEN, ORANGE, PURPLE, RED]
    for k, d in enumerate(v["resolutions"]):
        c = colors[k % len(colors)]
        ax.fill_between(v["rho"], v["low"][d], v["high"][d], color=c, alpha=0.35, lw=0)
        ax.plot(v["rho"], v["low"][d], color=c, lw=1.5, label=f"Δ = {d:g}σ")
    ax.axhline(1, color=BOUND, lw=0.8)
    ax.set_xlim(0, 1)
    ax.set_ylim(0.9, 6)
    ax.set_xlabel("correlation ρ of successive TD errors", fontsize=9)
    ax.set_ylabel("H(Q_t) / H(Q_t | past)", fontsize=9)
    style_axes(ax, labelsize=8.5, grid_lw=0.8)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, 0.78), **OPAQUE_LEGEND,
              title="resolution", title_fontsize=8)
    return fig


_PATH_STEPS = 40


def ar1_path(rho: float, n: int = _PATH_STEPS, seed: int = 0) -> np.ndarray:
    """A stationary AR(1) path with unit marginal variance; the same innovations for every ρ."""
    eps = np.random.default_rng(seed).normal(size=n)
    out = np.empty(n)
    out[0] = eps[0]
    s = math.sqrt(1 - rho**2)
    for t in range(1, n):
        out[t] = rho * out[t - 1] + s * eps[t]
    return out


def ar1_values(rho: float, resolution: float) -> dict[str, float]:
    """What :func:`draw_ar1` writes: entropies per step (bits) and the factor bounds."""
    q = quantised_ar1(rho, resolution)
    lo, hi = q.factor_bounds
    e = ar1_entropies(rho)
    return {"H(Q_t)": q.H_marginal, "rate low": q.H_rate_lower, "rate high": q.H_rate_upper,
            "factor low": lo, "factor high": hi, "redundancy": e["redundancy"]}


def draw_ar1(rho: float = 0.7, resolution: float = 1.0) -> Figure:
    """An AR(1) TD-error sequence read at resolution Δ, and its entropy per step.

    Left: 40 steps of ``δ_t = ρ δ_{t-1} + ε_t`` (unit marginal variance; the same innovations for
    every ρ) and the cell each value falls in. Right: bits per step if the steps were independent,
    ``H(Q_t)``, against the entropy rate of the sequence (between its two bounds, hatched), with
    the reduction factor.

    Parameters
    ----------
    rho : float
        In ``(-1, 1)``; ``|ρ| <= 0.999``.
    resolution : float
        Cell width Δ in marginal standard deviations.

    Returns
    -------
    matplotlib.figure.Figure
    """
    v = ar1_values(rho, resolution)
    path = ar1_path(rho)
    fig = new_figure(6.8, 2.9)
    ax = fig.add_axes([0.08, 0.17, 0.52, 0.66])
    t = np.arange(1, len(path) + 1)
    cells = np.clip(np.floor(path / resolution) * resolution + resolution / 2, -3.2, 3.2)
    if resolution >= 0.25:  # the cell edges, as one collection
        k = np.arange(-math.ceil(3.2 / resolution), math.ceil(3.2 / resolution) + 1) * resolution
        ax.hlines(k, 0.5, len(path) + 0.5, colors=GRID, lw=0.8, zorder=0)
    ax.step(t, cells, where="mid", color=LEARN, lw=1.3)
    ax.plot(t, path, "o-", color=ACTOR_CRITIC, ms=2.5, lw=1.0)
    ax.set_ylim(-3.2, 3.2)
    ax.set_xlim(0.5, len(path) + 0.5)
    ax.set_xlabel("step t", fontsize=9)
    ax.set_ylabel("δ_t (blue), its cell (red)", fontsize=8.5)
    style_axes(ax, grid=None, labelsize=8)
    ax.set_xticks([1, 10, 20, 30, 40])
    ax.set_yticks([-3, -2, -1, 0, 1, 2, 3])
    # fig.text, not set_title: titles make matplotlib measure every tick label (slow)
    fig.text(0.08, 0.86, f"ρ = {rho:g}, Δ = {resolution:g}σ:  each step shares "
             f"{v['redundancy']:.3f} bits with the past\n(continuous; −½log2(1−ρ²))",
             fontsize=8.5, va="bottom")

    bx = fig.add_axes([0.72, 0.17, 0.26, 0.66])
    lo, hi = v["rate low"], v["rate high"]
    bx.bar([0, 1], [v["H(Q_t)"], lo], width=0.6, color=[C_POT, ACTOR_CRITIC])
    if hi - lo >= 0.005:
        bx.bar(1, hi - lo, bottom=lo, width=0.6, color=PALE_BLUE)
    bx.text(0, v["H(Q_t)"] + 0.1, f"{v['H(Q_t)']:.2f}", ha="center", fontsize=8.5)
    rate_txt = f"{lo:.2f}" if hi - lo < 0.005 else f"{lo:.2f}–{hi:.2f}"
    bx.text(1, hi + 0.1, rate_txt, ha="center", fontsize=8.5)
    bx.set_xticks([0, 1], ["independent\nH(Q_t)", "correlated\nH(Q_t|past)"], fontsize=8)
    bx.set_ylim(0, 6.6)
    bx.set_yticks([0, 2, 4, 6])
    bx.set_ylabel("bits per step", fontsize=8.5)
    style_axes(bx, grid=None, labelsize=8)
    flo, fhi = v["factor low"], v["factor high"]
    ftxt = f"{flo:.2f}×" if fhi - flo < 0.005 else f"{flo:.2f}–{fhi:.2f}×"
    in_range = fhi >= 2 and flo <= 5
    fig.text(0.85, 0.86, f"reduction {ftxt}\n2–5×: {'reached' if in_range else 'not reached'}",
             fontsize=8.5, ha="center", va="bottom", color=DEEP_GREEN if in_range else DEEP_RED)
    return fig


ar1_demo = Demo(
    name="ar1-td-errors",
    func=draw_ar1,
    grid={"rho": [0.5, 0.7, 0.9, 0.95, 0.99],
          "resolution": [4.0, 1.0, 0.25]},
    labels={"rho": "correlation ρ", "resolution": "resolution Δ (in σ)"},
    description="Set ρ = 0.7 and move the resolution: the independent and the correlated bars stay "
                "close, and the reduction never reaches 2×. Then raise ρ: the factor enters the "
                "claimed 2–5× range only at much stronger correlation, and the finer the resolution, "
                "the later.",
)


# ============================================================================ learning curves
def draw_learning_comparison(out: Mapping[str, Mapping[str, np.ndarray]]) -> Figure:
    """Episodes to solve against ``T`` (median and quartiles), and episodes until ξ is known.

    Parameters
    ----------
    out : mapping
        From :func:`infobandwidth.book.experiments.actor_critic.learning_comparison`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = new_figure(7.2, 3.4)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.78, bottom=0.15, wspace=0.28)
    ax, bx = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    styles = {"REINFORCE, sparse": (REINFORCE, "s--"), "REINFORCE, dense (reward-to-go)": (REINFORCE, "s-"),
              "actor-critic, sparse": (ACTOR_CRITIC, "o--"), "actor-critic, dense": (ACTOR_CRITIC, "o-")}
    offsets = np.linspace(-0.09, 0.09, len(out))
    for k, (lab, v) in enumerate(out.items()):
        c, ls = styles.get(lab, (DARK, "o-"))
        T = v["T"] + offsets[k]
        ax.plot(T, v["median"], ls, color=c, lw=1.6, ms=4, label=lab)
        ax.vlines(T, v["q25"], v["q75"], color=c, lw=1.2)
        bx.plot(T, v["identify_median"], ls, color=c, lw=1.6, ms=4)
    first = next(iter(out.values()))
    for a in (ax, bx):
        a.set_xticks(first["T"])
        a.set_xlabel("horizon T", fontsize=9)
        style_axes(a, labelsize=8.5, grid_lw=0.8)
    ax.set_ylabel("episodes", fontsize=9)
    ax.set_title("to reach 0.9·J* (median, quartiles)", fontsize=9, loc="left")
    bx.set_title("until the ideal observer knows ξ (median)", fontsize=9, loc="left")
    ax.set_ylim(0, None)
    bx.set_ylim(0, None)
    fig.legend(*ax.get_legend_handles_labels(), loc="upper center", ncols=2, fontsize=8,
               frameon=False)
    return fig


# ============================================================================ the demo of §3.2
def td_table_values(critic: str = "random", t: int = 2) -> dict[str, Any]:
    """What :func:`draw_td_table` draws and writes (from
    :func:`~infobandwidth.book.experiments.actor_critic.frozen_critic_table`): the table
    ``δ_t[ξ, τ]`` at step ``t``, the per-step numbers and the totals, in bits."""
    ft = frozen_critic_table(critic)
    T = ft.delta.shape[2]
    if not isinstance(t, (int, np.integer)) or not 0 <= t < T:
        raise ValueError(f"t must be a step 0..{T - 1}, got {t!r}")
    info = ft.info
    return {"table": ft.delta[:, :, t], "strings": ft.strings, "T": T,
            "scale": float(max(np.abs(ft.delta).max(), 0.5)),
            "H_step": ft.H_step, "I_step_tau": ft.I_step_tau, "I_step_new": ft.I_step_new,
            "H(δ)": info.td.H_S, "I(δ;ξ|τ)": info.td.I_S_xi_given_tau,
            "I(δ;ξ|τ,critic)": info.I_td_given_critic, "I(G;ξ|τ)": info.ret.I_S_xi_given_tau,
            "critics": info.n_critics}


def draw_td_table(critic: str = "random", t: int = 2) -> Figure:
    """The TD errors of a frozen critic at step ``t`` on every (ξ, τ), and what each step tells.

    Exact match on ``|V| = 2`` tokens, ``T = 2``, uniform prior and policy, sparse reward. Left: the
    table ``δ_t[ξ, τ]`` (rows: the hidden string ξ; columns: the trajectory τ), values written.
    A column that is the same colour all the way down is a TD error the trajectory fixes: it says
    nothing about ξ. Right: per step, ``H(δ_t)`` (grey), ``I(δ_t; ξ | τ)`` with the critic not
    conditioned on (blue) and the new information ``I(δ_t; ξ | τ, critic)`` (red); the selected
    step is shaded.

    Parameters
    ----------
    critic : str
        A name of :data:`~infobandwidth.book.experiments.actor_critic.TD_TABLE_CRITICS`.
    t : int
        The step shown in the table.
    """
    v = td_table_values(critic, t)
    tab, names, T = v["table"], v["strings"], v["T"]
    fig = new_figure(7.2, 3.7)
    ax = fig.add_axes([0.075, 0.1, 0.4, 0.62])
    ax.imshow(tab, cmap="RdBu_r", vmin=-v["scale"], vmax=v["scale"], aspect="auto")
    for i in range(tab.shape[0]):
        for j in range(tab.shape[1]):
            x = tab[i, j]
            ax.text(j, i, f"{x:.2f}".replace("-0.00", "0.00"), ha="center", va="center",
                    fontsize=8.5, color="white" if abs(x) > 0.6 * v["scale"] else DARK)
    ax.set_xticks(range(len(names)), names, fontsize=8.5)
    ax.set_yticks(range(len(names)), names, fontsize=8.5)
    ax.tick_params(length=0)
    ax.xaxis.set_ticks_position("top")
    ax.set_ylabel("hidden string ξ", fontsize=8.5)
    fig.text(0.275, 0.805, f"δ_{t} = r_{t} + V̂(s_{t + 1}) − V̂(s_{t}); columns: trajectory τ",
             ha="center", fontsize=8.2)

    bx = fig.add_axes([0.57, 0.12, 0.42, 0.6])
    x = np.arange(T)
    w = 0.29
    bx.axvspan(t - 0.5, t + 0.5, color=SLACK_FILL, zorder=0)
    for dx, key, c, lab in ((-w, "H_step", C_POT, "H(δ_t)"),
                            (0.0, "I_step_tau", ACTOR_CRITIC, "I(δ_t;ξ|τ)"),
                            (w, "I_step_new", LEARN, "I(δ_t;ξ|τ,critic)")):
        vals = v[key]
        bx.bar(x + dx, vals, width=w * 0.95, color=c, label=lab)
        for xi, val in zip(x + dx, vals):
            bx.text(xi, val + 0.04, "0" if val == 0 else f"{val:.2f}", ha="center", va="bottom",
                    fontsize=6.3)
    bx.set_xticks(x, [f"step {k}" for k in x], fontsize=8)
    bx.set_ylim(0, 2.1)
    bx.set_yticks([0, 0.5, 1, 1.5, 2])
    bx.set_ylabel("bits", fontsize=8.5)
    style_axes(bx, grid="y", labelsize=8, grid_lw=0.6)
    bx.legend(fontsize=7.2, loc="upper left", frameon=False, ncols=1)
    fig.text(0.02, 0.975, f"critic: {critic}, frozen · exact match, |V| = 2, T = {T}, uniform "
             "prior and policy", fontsize=8.5, va="top")
    fig.text(0.02, 0.915, f"whole episode: H(δ) = {v['H(δ)']:.3f}, I(δ;ξ|τ) = {v['I(δ;ξ|τ)']:.3f}, "
             f"I(δ;ξ|τ,critic) = {v['I(δ;ξ|τ,critic)']:.3f} bits;  the return: "
             f"I(G;ξ|τ) = {v['I(G;ξ|τ)']:.3f} bits", fontsize=8.2, va="top", color=DARK)
    return fig


td_table_demo = Demo(
    name="ac-td-table",
    func=draw_td_table,
    grid={"critic": list(TD_TABLE_CRITICS), "t": [0, 1]},
    labels={"critic": "frozen critic", "t": "step t"},
    description="Each cell is one TD error: row = the hidden string, column = the trajectory. "
                "A column of one colour is fixed by the trajectory and says nothing about ξ. "
                "Change the critic and the step, and compare the red bars with I(G;ξ|τ).",
)


# ============================================================================ the demo of §3.2.2
def dense_steps_values(family: str = "per-position utilities", T: int = 3) -> dict[str, Any]:
    """What :func:`draw_dense_steps` draws and writes: :func:`~infobandwidth.book.experiments.actor_critic.dense_per_step`
    of ``(family, T)`` on two tokens, and ``"top"``, the family's largest ceiling at ``T = 5``
    (fixes the axes as ``T`` moves)."""
    v = dense_per_step(family, T)
    big = dense_per_step(family, 5)
    v["top"] = float(max(big["H_xi"], big["log2_B"].sum(), v["H_xi"], v["log2_B"].sum()))
    return v


def draw_dense_steps(family: str = "per-position utilities", T: int = 3) -> Figure:
    """Where in the episode dense rewards deliver their bits about ξ, against the ceilings.

    ``|V| = 2``, uniform prior and policy. Left: per step ``t``, the new bits of the reward
    ``r_t`` given the trajectory and the earlier rewards, ``I(r_t; ξ | τ, r_<t)`` (red), inside its
    ceiling ``log2 B_t`` (outline). Right: the running total ``I(r_0..r_t; ξ | τ)`` against the two
    ceilings, ``H(ξ)`` (dotted) and ``Σ log2 B_t`` (dash-dot), and what the sparse return tells
    (green square, at the end of the episode).

    Parameters
    ----------
    family : str
        A name of :data:`~infobandwidth.book.experiments.actor_critic.DENSE_FAMILIES`.
    T : int
        Horizon.
    """
    v = dense_steps_values(family, T)
    steps = np.arange(T)
    fig = new_figure(7.2, 3.4)
    ax = fig.add_axes([0.075, 0.14, 0.36, 0.56])
    ax.bar(steps, v["log2_B"], width=0.7, facecolor="none", edgecolor=BOUND, lw=1.0, ls="--",
           label="ceiling log₂B_t")
    ax.bar(steps, v["new"], width=0.7, color=LEARN, label="I(r_t;ξ|τ,r_<t): new bits")
    for k, val in zip(steps, v["new"]):
        ax.text(k, val + 0.03, f"{val:.3f}", ha="center", va="bottom", fontsize=7)
    ax.set_xlim(-0.6, 4.6)
    ax.set_ylim(0, 1.75)
    ax.set_yticks([0, 0.5, 1, 1.5])   # explicit ticks: the tick locator is most of a frame's cost
    ax.set_xticks(range(5), [str(k) for k in range(5)])
    ax.set_xlabel("step t", fontsize=8.5)
    ax.set_ylabel("bits", fontsize=8.5)
    style_axes(ax, grid="y", labelsize=8, grid_lw=0.6)
    ax.legend(fontsize=7.2, loc="lower left", bbox_to_anchor=(-0.02, 1.0), frameon=False,
              borderaxespad=0.2)

    bx = fig.add_axes([0.56, 0.14, 0.42, 0.56])
    n = steps + 1
    bx.axhline(v["H_xi"], color=BOUND, ls=":", lw=1.3, label=f"H(ξ) = {v['H_xi']:.0f}")
    bx.plot(n, np.cumsum(v["log2_B"]), "-.", color=C_POT, lw=2.8, label="Σ log₂B_t")
    bx.plot(n, v["cumulative"], "o-", color=LEARN, lw=2, ms=4, label="I(r_0..r_t;ξ|τ): dense")
    bx.plot([T], [v["I_sparse"]], "s", color=REINFORCE, ms=7, label="I(G;ξ|τ): the return")
    bx.set_xlim(0.5, 5.5)
    bx.set_ylim(0, v["top"] * 1.08)
    bx.set_yticks(np.arange(0, v["top"] * 1.08, 2 if v["top"] > 5 else 1))
    bx.set_xticks(range(1, 6))
    bx.set_xlabel("rewards seen (t + 1)", fontsize=8.5)
    style_axes(bx, labelsize=8, grid_lw=0.6)
    bx.legend(fontsize=7.2, loc="lower left", bbox_to_anchor=(-0.02, 1.0), ncols=2,
              frameon=False, borderaxespad=0.2)
    ratio = v["I_dense"] / v["I_sparse"] if v["I_sparse"] > 0 else math.inf
    fig.text(0.02, 0.975, f"{family}, T = {T} (|V| = 2, uniform prior and policy)", fontsize=8.8,
             va="top")
    fig.text(0.02, 0.905, f"per episode: dense rewards {v['I_dense']:.3f} bits, the return "
             f"{v['I_sparse']:.3f} bits ({ratio:.2f}×);  ceiling min(H(ξ), Σ log₂B_t) = "
             f"{min(v['H_xi'], float(v['log2_B'].sum())):.3f}", fontsize=8.2, va="top", color=DARK)
    return fig


dense_steps_demo = Demo(
    name="ac-dense-steps",
    func=draw_dense_steps,
    grid={"family": list(DENSE_FAMILIES), "T": [2, 3, 5]},
    labels={"family": "reward family", "T": "horizon T"},
    description="Left: the new bits each per-token reward adds, inside its ceiling. Right: their "
                "running total against H(ξ) and the entropy ceiling, with the return (green) for "
                "comparison. Grow T for each family and watch which totals keep climbing.",
)
