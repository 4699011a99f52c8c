"""Figures and the demo of §3.1, *Policy gradient (REINFORCE)* (``book/part3/policy-gradient.md``).

* :func:`draw_sym_chain` — the chain I(G;π*) ≤ I(G;ξ) ≤ H(G) ≤ log2 B on the one-token utility
  family, against the chance q that an answer has utility 1, for two policies (captioned figure).
* :func:`draw_learning_curves` — REINFORCE over seeds on the §3.1 tasks: exact J/J* and the ideal
  observer's H(π* | D), with the information bound and the median episodes (captioned figure).
* :func:`draw_bits_per_episode` — what each episode of those runs was expected to teach, along the
  run and against the success probability under the observer's belief (captioned figure).
* :func:`draw_chain_bars` and :data:`chain_bars` — bars I(G;π*), I(G;ξ), H(G), I(G;π*|τ),
  I(G;ξ|τ) against log2 B for a family, V, T and B (the demo of §3.1.2).
* :func:`draw_identify` and :data:`identify_demo` — one task's learning curves and the three episode
  counts (bound, data identify π*, REINFORCE reaches 0.9·J*) as the step size moves (the demo of
  §3.1.3).
* :func:`draw_one_step` and :data:`one_step_demo` — one REINFORCE step on |V| = 2, T = 2 from a
  chosen episode τ, return G and baseline b: the policy before and after, and the change of every
  logit row (the demo of §3.1).

Every number comes from :mod:`infobandwidth.signals.returns`; the ``*_values`` functions return
what the drawings write, for the tests.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from infobandwidth.book.demos import Demo
from infobandwidth.book.experiments.policy_gradient import (
    CHAIN_FAMILIES,
    IDENTIFY_LRS,
    PG_TASKS,
    STEP_STRINGS,
    SolveTable,
    chapter_runs,
    identify_row,
    one_step,
    run_information,
)
from infobandwidth.book.figures._bars import bits_bars
from infobandwidth.book.figures.style import (
    ARTICLE,
    BOUND,
    DARK,
    DARK_BLUE,
    LEARN,
    LEARN_PI,
    LIGHT_BLUE,
    MUTED,
    REINFORCE,
    SLACK,
    despine,
    new_figure,
    style_axes,
)
from infobandwidth.information.measures import binary_entropy
from infobandwidth.model.mdp import TokenMDP, behaviour_policy, table_policy
from infobandwidth.model.rewards import family_label, make_family, token_utility
from infobandwidth.signals.returns import information_chain

__all__ = [
    "sym_chain_values",
    "draw_sym_chain",
    "learning_curve_values",
    "draw_learning_curves",
    "bits_per_episode_values",
    "draw_bits_per_episode",
    "chain_bars_values",
    "draw_chain_bars",
    "chain_bars",
    "BARS_POLICY_A",
    "identify_values",
    "draw_identify",
    "identify_demo",
    "draw_one_step",
    "one_step_demo",
]

C_PI = DARK_BLUE        # I(G;π*), the article's effective bandwidth
C_XI = ARTICLE          # I(G;ξ)
C_H = LIGHT_BLUE        # H(G)
# I(G;ξ|τ) is LEARN, I(G;π*|τ) LEARN_PI; REINFORCE's J/J* is REINFORCE; log2 B is BOUND.

#: Behaviour policy of the demo: token ``a`` with this probability at every prefix.
BARS_POLICY_A = 0.8


# ------------------------------------------------------------------------------------------------
# the chain on the one-token utility family
# ------------------------------------------------------------------------------------------------
def sym_chain_values(q: float, pi_b: float) -> dict[str, float]:
    """The chain for ξ = (u_a, u_b), each utility 1 w.p. ``q``; the policy answers b w.p. ``pi_b``.

    Computed numerically with :func:`~infobandwidth.signals.returns.information_chain` on
    ``token_utility(TokenMDP(2, 1), value_probs=[1 - q, q])`` (the family the chapter treats with
    sympy). Keys ``"I(G;π*)"``, ``"I(G;ξ)"``, ``"H(G)"``, ``"I(G;ξ|τ)"``, ``"I(G;π*|τ)"``,
    ``"log2 B"``.
    """
    mdp = TokenMDP(2, 1)
    fam = token_utility(mdp, value_probs=[1.0 - q, q])
    c = information_chain(fam, 2, table_policy(mdp, [[1.0 - pi_b, pi_b]]))
    return {"I(G;π*)": c.I_G_pi, "I(G;ξ)": c.I_G_xi, "H(G)": c.H_G,
            "I(G;ξ|τ)": c.I_G_xi_given_tau, "I(G;π*|τ)": c.I_G_pi_given_tau, "log2 B": c.log2_B}


def draw_sym_chain(pi_bs=(0.5, 0.9), n: int = 33) -> Figure:
    """The chain against ``q`` for each policy in ``pi_bs`` (one panel each), slacks shaded.

    Parameters
    ----------
    pi_bs : sequence of float
        Probabilities π(b) of answering ``b``.
    n : int
        Grid points of ``q`` (the chance that an answer has utility 1) in ``[0.01, 0.99]``.
    """
    qs = np.linspace(0.01, 0.99, n)
    fig = new_figure(7.2, 3.0)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.84, wspace=0.18)
    axes = fig.subplots(1, len(pi_bs), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, pi_b in zip(axes, pi_bs):
        v = [sym_chain_values(float(q), pi_b) for q in qs]
        get = lambda k: np.array([d[k] for d in v])  # noqa: E731
        pi, xi, H = get("I(G;π*)"), get("I(G;ξ)"), get("H(G)")
        ax.fill_between(qs, H, 1.0, color=SLACK, lw=0)
        ax.fill_between(qs, xi, H, color=C_H, alpha=0.55, lw=0)
        ax.fill_between(qs, pi, xi, color=C_XI, alpha=0.35, lw=0)
        ax.axhline(1.0, color=BOUND, ls="--", lw=1)
        ax.plot(qs, H, color=LEARN, lw=2, label="H(G) = I(G;ξ|τ)")
        ax.plot(qs, xi, color=C_XI, lw=1.6, label="I(G;ξ)")
        ax.plot(qs, pi, color=C_PI, lw=1.6, label="I(G;π*)")
        ax.set_title(f"policy answers b with probability π(b) = {pi_b:g}", fontsize=9)
        ax.set_xlabel("q = P(an answer has utility 1)", fontsize=8.5)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.08)
        style_axes(ax, labelsize=8, grid_lw=0.6)
        k = int(np.argmin(np.abs(qs - 0.5)))
        ax.text(0.5, 1.015, "log₂B = 1", ha="center", va="bottom", fontsize=7.5, color=BOUND)
        ax.text(0.5, (xi[k] + H[k]) / 2, "H(G|ξ)", ha="center", va="center", fontsize=7.5)
        if xi[k] - pi[k] > 0.08:
            ax.text(0.5, (pi[k] + xi[k]) / 2, "I(G;ξ|π*)", ha="center", va="center", fontsize=7.5)
    axes[0].set_ylabel("bits", fontsize=9)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=3, fontsize=8, frameon=False,
               bbox_to_anchor=(0.53, 1.0))
    return fig


# ------------------------------------------------------------------------------------------------
# learning curves over seeds
# ------------------------------------------------------------------------------------------------
def _q(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = np.quantile(x, [0.25, 0.5, 0.75], axis=0, method="inverted_cdf")
    return q[1], q[0], q[2]


def learning_curve_values(table: SolveTable | None = None) -> list[dict]:
    """Per task: episodes, quantiles of J/J* and of H(π* | D) over the runs, and the three
    episode counts drawn by :func:`draw_learning_curves`: the bound, the mean episodes after which
    the data identified π* (the event the bound is about), REINFORCE's median to 0.9·J*."""
    table = chapter_runs() if table is None else table
    out = []
    for row in table.rows:
        runs = row.summary.runs
        J = np.stack([c.J / c.J_star for c in runs])
        H = np.stack([c.entropy_pi_star for c in runs])
        out.append({"label": row.label, "episodes": runs[0].episodes, "J": _q(J), "H": _q(H),
                    "H_pi": row.H_pi, "levels": row.levels, "bound": row.bound,
                    "data": row.data_mean, "reinforce": row.reinforce_median,
                    "runs": len(runs)})
    return out


def draw_learning_curves(table: SolveTable | None = None, max_episodes: int = 600) -> Figure:
    """REINFORCE on each task of ``table`` (default :func:`~infobandwidth.book.experiments.policy_gradient.chapter_runs`):
    exact J/J* (green, left axis) and the observer's H(π* | D) (red, right axis), median and
    quartile band over the runs; vertical lines at the bound H(π*)/log2 B (dotted), the mean
    episode at which the data identified π* (dashed; the bound bounds this) and the median
    episodes REINFORCE needed to reach 0.9·J* (solid).
    The episode axis is linear up to 4 episodes and logarithmic beyond, so that both the first
    few episodes (where the data settle π*) and the long tail (where REINFORCE catches up) show."""
    vals = learning_curve_values(table)
    n = len(vals)
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    fig = new_figure(7.2, 2.35 * rows + 0.55)
    fig.subplots_adjust(left=0.08, right=0.91, bottom=0.1 if rows > 1 else 0.2, top=0.87,
                        wspace=0.42, hspace=0.75)
    axes = np.atleast_1d(fig.subplots(rows, cols)).reshape(-1)
    for ax, v in zip(axes, vals):
        ep = v["episodes"]
        keep = ep <= max_episodes
        x = ep[keep]
        Jm, Jlo, Jhi = (a[keep] for a in v["J"])
        Hm, Hlo, Hhi = (a[keep] for a in v["H"])
        ax.fill_between(x, Jlo, Jhi, color=REINFORCE, alpha=0.25, lw=0)
        ax.plot(x, Jm, color=REINFORCE, lw=1.8)
        ax.set_ylim(0, 1.05)
        ax.set_xscale("symlog", linthresh=4, linscale=0.4)
        ax.set_xlim(0, max_episodes)
        ax.set_xticks([0, 4, 10, 30, 100, 300], ["0", "4", "10", "30", "100", "300"])
        ax.set_ylabel("J / J*", fontsize=8.5, color=REINFORCE)
        ax2 = ax.twinx()
        ax2.fill_between(x, Hlo, Hhi, color=LEARN, alpha=0.2, lw=0, step="post")
        ax2.step(x, Hm, where="post", color=LEARN, lw=1.5)
        ax2.set_ylim(0, v["H_pi"] * 1.05)
        ax2.set_ylabel("H(π* | D) [bits]", fontsize=8.5, color=LEARN)
        ax2.tick_params(labelsize=8)
        despine(ax2, ("top",))
        for xv, ls, _name in ((v["bound"], ":", "bound"), (v["data"], "--", "data"),
                             (v["reinforce"], "-", "REINFORCE")):
            ax.axvline(xv, color=BOUND, ls=ls, lw=1)
        ax.set_title(f"{v['label']}\nbound {v['bound']:.1f} · data {v['data']:.1f} · "
                     f"REINFORCE {v['reinforce']:g}", fontsize=8)
        ax.set_xlabel("episodes", fontsize=8.5)
        style_axes(ax, labelsize=8, grid_lw=0.6)
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.text(0.5, 0.99, "dotted: H(π*)/log₂B · dashed: data identify π* (mean) · "
             "solid: REINFORCE reaches 0.9·J* (median)", ha="center", va="top", fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# bits per episode along the runs
# ------------------------------------------------------------------------------------------------
def bits_per_episode_values(table: SolveTable | None = None, tasks=(0, 2),
                           binary=(0, 1)) -> dict:
    """What :func:`draw_bits_per_episode` draws: per task of ``tasks``, the expected bits of every
    episode of every run and the median over runs of their mean over the episodes REINFORCE
    needed; for the tasks of ``binary``, the pairs (p, bits) of every episode."""
    table = chapter_runs() if table is None else table
    out = {"along": [], "pairs": []}
    for t in tasks:
        row = table.rows[t]
        series, means = [], []
        for k in range(row.runs):
            info = run_information(row, k)
            series.append(info.expected_xi)
            n_solve = row.summary.episodes_to_solve[k]
            if np.isfinite(n_solve):
                means.append(float(info.expected_xi[: int(n_solve)].mean()))
        out["along"].append({"label": row.label, "levels": row.levels, "series": series,
                             "mean_until_solved": float(np.median(means)) if means else np.nan})
    for t in binary:
        row = table.rows[t]
        for k in range(row.runs):
            info = run_information(row, k)
            out["pairs"].append((info.p_top, info.expected_xi, row.label))
    return out


def draw_bits_per_episode(table: SolveTable | None = None, tasks=(0, 2), binary=(0, 1),
                          max_episodes: int = 40) -> Figure:
    """What each episode was expected to teach about ξ, ``H(G | τ_i, D_{i-1})``, in the runs of
    ``table`` (default :func:`~infobandwidth.book.experiments.policy_gradient.chapter_runs`).

    Top row, one panel per task of ``tasks``: against the episode number, every run, with the
    ceiling log2 B (dashed). Bottom: for the binary tasks of ``binary``, against the probability
    p, under the observer's belief, that the episode succeeds; the points lie on the binary
    entropy curve H_b(p) (drawn), which reaches 1 bit only at p = 1/2.
    """
    v = bits_per_episode_values(table, tasks, binary)
    fig = new_figure(7.2, 5.4)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.09, top=0.93, wspace=0.25, hspace=0.55)
    gs = fig.add_gridspec(2, len(tasks))
    for j, a in enumerate(v["along"]):
        ax = fig.add_subplot(gs[0, j])
        ceiling = float(np.log2(a["levels"]))
        for e in a["series"]:
            e = e[:max_episodes]
            x = np.arange(1, len(e) + 1)
            ax.plot(x, e, color=LEARN, lw=0.7, alpha=0.5, marker="o", ms=2.2)
        ax.axhline(ceiling, color=BOUND, ls="--", lw=1)
        ax.text(max_episodes, ceiling, f"log₂B = {ceiling:g}", ha="right", va="bottom",
                fontsize=7.5, color=BOUND)
        ax.set_xlim(0, max_episodes + 1)
        ax.set_ylim(0, ceiling * 1.12)
        ax.set_xlabel("episode", fontsize=8.5)
        ax.set_title(f"{a['label']} (B = {a['levels']})\nmean until solved: "
                     f"{a['mean_until_solved']:.3f} bits per episode", fontsize=8.2)
        if j == 0:
            ax.set_ylabel("expected bits about ξ", fontsize=8.5)
        style_axes(ax, labelsize=8, grid_lw=0.6)
    ax = fig.add_subplot(gs[1, :])
    p = np.linspace(0, 1, 201)
    ax.plot(p, binary_entropy(p), color=BOUND, lw=1.2, label="H_b(p)")
    labels = sorted({lab for _, _, lab in v["pairs"]})
    marks = {lab: m for lab, m in zip(labels, ("o", "s", "^", "D"))}
    seen = set()
    for pt, e, lab in v["pairs"]:
        live = np.arange(len(e)) < max_episodes
        ax.scatter(pt[live], e[live], s=12, marker=marks[lab], color=LEARN, alpha=0.45, lw=0,
                   label=None if lab in seen else lab)
        seen.add(lab)
    ax.axvline(0.5, color=BOUND, ls=":", lw=1)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(0, 1.1)
    ax.set_xlabel("p = P(success | τ, belief): how likely the episode is to succeed, before it is "
                  "played", fontsize=8.5)
    ax.set_ylabel("expected bits about ξ", fontsize=8.5)
    ax.set_title("binary return: one episode teaches H_b(p) bits, 1 bit only at p = 1/2",
                 fontsize=8.5)
    ax.legend(fontsize=7.5, frameon=False, loc="upper right")
    style_axes(ax, labelsize=8, grid_lw=0.6)
    return fig


# ------------------------------------------------------------------------------------------------
# the demo: bars for one instance
# ------------------------------------------------------------------------------------------------
_BARS = ("I(G;π*)", "I(G;ξ)", "H(G)", "I(G;π*|τ)", "I(G;ξ|τ)")
_BAR_COLORS = (C_PI, C_XI, C_H, LEARN_PI, LEARN)
_BAR_CAPTIONS = ("effective", "about ξ", "potential", "learner: π*", "learner: ξ")


def chain_bars_values(family: str = "match_count", V: int = 2, T: int = 3, B: int = 2) -> dict[str, float]:
    """What :func:`draw_chain_bars` writes, in bits (keys: the bar names and ``"log2 B"``)."""
    fam = make_family(family, TokenMDP(V, T))
    c = information_chain(fam, B, behaviour_policy(fam.mdp, BARS_POLICY_A), label=family_label(family))
    return {"I(G;π*)": c.I_G_pi, "I(G;ξ)": c.I_G_xi, "H(G)": c.H_G,
            "I(G;π*|τ)": c.I_G_pi_given_tau, "I(G;ξ|τ)": c.I_G_xi_given_tau, "log2 B": c.log2_B,
            "H(π*)": c.H_pi}


def draw_chain_bars(family: str = "match_count", V: int = 2, T: int = 3, B: int = 2) -> Figure:
    """Five bars, values written, against the ceiling log2 B (dashed) for one instance.

    Parameters
    ----------
    family : str
        One of :data:`~infobandwidth.book.experiments.policy_gradient.CHAIN_FAMILIES`.
    V, T : int
        Vocabulary and horizon.
    B : int
        Number of levels the return is quantised into.
    """
    v = chain_bars_values(family, V, T, B)
    fig = new_figure(6.4, 3.2)
    ax = fig.add_axes([0.09, 0.2, 0.88, 0.62])
    top = max(v["log2 B"], 1.0)
    ax.axhline(v["log2 B"], color=BOUND, ls="--", lw=1)
    ax.text(-0.4, v["log2 B"], f"log₂B = {v['log2 B']:.2f}", ha="left", va="bottom", fontsize=8,
            color=BOUND)
    bits_bars(ax, [v[k] for k in _BARS], _BARS, _BAR_CAPTIONS, _BAR_COLORS, top=top,
              left=("the article's chain", C_XI), right=("what one episode teaches", LEARN),
              ylabel="bits per episode", title_at=1.12, ylim_at=1.2)
    fig.suptitle(f"{family_label(family)}, V={V}, T={T}, return in B={B} levels; policy writes a w.p. "
                 f"{BARS_POLICY_A:g}; H(π*) = {v['H(π*)']:.2f} bits", fontsize=9.2, y=0.96)
    return fig


chain_bars = Demo(
    name="pg-chain-bars",
    func=draw_chain_bars,
    grid={"family": list(CHAIN_FAMILIES), "V": [2, 3], "T": [2, 3], "B": [2, 4]},
    labels={"family": "reward family", "V": "vocabulary size |V|", "T": "horizon T", "B": "levels B"},
    description="The dashed line is log₂B. No bar ever crosses it. Exact match ignores B: its "
                "return has two values whatever the number of bins. Grow T or V and exact match's "
                "bars shrink, because a hit becomes rare. The red bar, what a learner that knows its "
                "trajectory learns about ξ, always equals H(G) here; the article's effective "
                "bandwidth, the dark blue bar, is much smaller.",
)


# ------------------------------------------------------------------------------------------------
# the demo of §3.1.3: the bound, the data and the learner as the step size moves
# ------------------------------------------------------------------------------------------------
def identify_values(task: str = "exact match, V=2, T=4", lr: float = 2.0) -> dict:
    """What :func:`draw_identify` draws and writes: :func:`learning_curve_values` of the one row
    :func:`~infobandwidth.book.experiments.policy_gradient.identify_row` ``(task, lr)``, plus
    ``"lr"`` and ``"solved"`` (runs that reached 0.9·J*)."""
    row = identify_row(task, lr)
    v = learning_curve_values(SolveTable((row,)))[0]
    return {**v, "lr": float(lr), "solved": row.solved}


def _fmt_episodes(x: float) -> str:
    return "never" if not np.isfinite(x) else f"{x:.1f}" if x != int(x) else f"{int(x)}"


def draw_identify(task: str = "exact match, V=2, T=4", lr: float = 2.0,
                  max_episodes: int = 400) -> Figure:
    """REINFORCE on one §3.1 task at step size ``lr``: curves and the three episode counts.

    Left: the median and quartiles over the runs of the exact J/J* (green, left axis) and of the
    ideal observer's H(π* | D) (red, right axis), episode axis linear to 4 and logarithmic beyond.
    Right: three bars, written: the bound H(π*)/log2 B, the mean episodes after which the data
    identified π* (what the bound bounds), and REINFORCE's median episodes to 0.9·J*.

    Parameters
    ----------
    task : str
        A label of :data:`~infobandwidth.book.experiments.policy_gradient.PG_TASKS`.
    lr : float
        REINFORCE's step size.
    max_episodes : int
        Right end of the episode axis.
    """
    v = identify_values(task, lr)
    fig = new_figure(7.2, 3.1)
    ax = fig.add_axes([0.08, 0.16, 0.44, 0.64])
    ep = v["episodes"]
    keep = ep <= max_episodes
    x = ep[keep]
    Jm, Jlo, Jhi = (a[keep] for a in v["J"])
    Hm, Hlo, Hhi = (a[keep] for a in v["H"])
    ax.fill_between(x, Jlo, Jhi, color=REINFORCE, alpha=0.25, lw=0)
    ax.plot(x, Jm, color=REINFORCE, lw=1.8)
    ax.set_ylim(0, 1.05)
    ax.set_xscale("symlog", linthresh=4, linscale=0.4)
    ax.set_xlim(0, max_episodes)
    ax.set_xticks([0, 4, 10, 30, 100, 300], ["0", "4", "10", "30", "100", "300"])
    ax.xaxis.set_minor_locator(NullLocator())  # plain ticks: log minor ticks are slow to draw
    ax.set_ylabel("J / J*", fontsize=8.5, color=REINFORCE)
    ax.set_xlabel("episodes", fontsize=8.5)
    ax2 = ax.twinx()
    ax2.fill_between(x, Hlo, Hhi, color=LEARN, alpha=0.2, lw=0, step="post")
    ax2.step(x, Hm, where="post", color=LEARN, lw=1.5)
    ax2.set_ylim(0, v["H_pi"] * 1.05)
    ax2.set_ylabel("H(π* | D) [bits]", fontsize=8.5, color=LEARN)
    ax2.tick_params(labelsize=8)
    despine(ax2, ("top",))
    counts = (("bound H(π*)/log₂B", v["bound"], ":", BOUND),
              ("data identify π* (mean)", v["data"], "--", LEARN),
              ("REINFORCE reaches 0.9·J* (median)", v["reinforce"], "-", REINFORCE))
    for _, xv, ls, c in counts:
        if np.isfinite(xv):
            ax.axvline(min(xv, max_episodes), color=c, ls=ls, lw=1.2)
    style_axes(ax, labelsize=8, grid_lw=0.6)

    bx = fig.add_axes([0.66, 0.16, 0.32, 0.64])
    y = np.arange(3)[::-1].astype(float)
    for yy, (label, val, _, c) in zip(y, counts):
        shown = min(val, max_episodes) if np.isfinite(val) else max_episodes
        bx.barh(yy, shown, color=c, height=0.42)
        bx.text(shown * 1.12, yy, _fmt_episodes(val), va="center", fontsize=8.5)
        bx.text(1.05, yy + 0.28, label, va="bottom", fontsize=8)
    bx.set_xscale("log")
    bx.set_xlim(1, max_episodes * 3)
    bx.set_xticks([1, 10, 100], ["1", "10", "100"])  # no mathtext labels (slow)
    bx.xaxis.set_minor_locator(NullLocator())
    bx.set_ylim(-0.45, 2.85)
    bx.set_yticks([])
    bx.set_xlabel("episodes (log scale)", fontsize=8.5)
    style_axes(bx, grid="x", labelsize=8, grid_lw=0.6)
    despine(bx, ("top", "right", "left"))
    fig.text(0.02, 0.97, f"{task}, step size {lr:g}: H(π*) = {v['H_pi']:.2f} bits, "
             f"B = {v['levels']} return values; {v['runs']} runs, {v['solved']} reached 0.9·J*",
             fontsize=8.8, va="top")
    fig.text(0.02, 0.89, "left: median and quartiles over the runs; vertical lines: the three "
             "counts of the right panel", fontsize=8, va="top", color=BOUND)
    return fig


identify_demo = Demo(
    name="pg-identify-bound",
    func=draw_identify,
    grid={"task": [t[0] for t in PG_TASKS if t[0] != "exact match, V=2, T=4"],
          "lr": list(IDENTIFY_LRS)},
    labels={"task": "task", "lr": "step size α"},
    description="The dotted line is the information bound, the dashed one the mean episode at which "
                "the data identified π*, the solid one REINFORCE's median episodes to 0.9·J*. Move "
                "the step size and watch which lines move.",
)


# ------------------------------------------------------------------------------------------------
# the demo of §3.1: one REINFORCE step, from (τ, G) only
# ------------------------------------------------------------------------------------------------
_NODES = {"": (0.0, 0.5), "a": (1.0, 0.76), "b": (1.0, 0.24)}
_LEAVES = {"aa": (2.0, 0.89), "ab": (2.0, 0.63), "ba": (2.0, 0.37), "bb": (2.0, 0.11)}
_ROW_NAMES = ("s₀", "a", "b")


def _signed(x: float) -> str:
    return "0.00" if abs(x) < 0.005 else f"{x:+.2f}".replace("-", "−")


def draw_one_step(tau: str = "ab", G: float = 1.0, baseline: float = 0.0) -> Figure:
    """One REINFORCE step from the episode ``tau`` with return ``G`` and baseline ``baseline``.

    Left: the prefix tree of |V| = 2, T = 2, each edge labelled with the probability of its token
    before → after the step; the sampled episode's path is green. Right: the probability
    p_θ(τ') of each of the four episodes before (grey) and after (green) the step. Below: the
    change of each row of logits, α (G − b) (onehot(a_t) − π_θ(·|s_t)) on τ's path, 0 elsewhere.
    Every number comes from :func:`~infobandwidth.book.experiments.policy_gradient.one_step`.
    """
    st = one_step(tau, G, baseline)
    adv = st.G - st.baseline
    fig = new_figure(7.2, 3.7)
    fig.text(0.02, 0.975, f"one REINFORCE step:  θ ← θ + α·(G − b)·∇ log p_θ(τ),   α = {st.lr:g}, "
             f"one episode", fontsize=9.2, va="top")
    fig.text(0.02, 0.905, f"the step reads τ = {tau}, G = {st.G:g}, b = {st.baseline:g}, so "
             f"G − b = {_signed(adv)}{'' if adv else ' (no step)'}, and π_θ on τ's path.  "
             "It never reads ξ.",
             fontsize=8.8, va="top", color=REINFORCE if adv else DARK)

    ax = fig.add_axes([0.02, 0.27, 0.52, 0.54])
    ax.set_xlim(-0.25, 2.35)
    ax.set_ylim(0.0, 1.0)
    ax.axis("off")
    prefixes = ("", "a", "b")
    for row, s in enumerate(prefixes):
        x0, y0 = _NODES[s]
        for col, tok in enumerate("ab"):
            child = s + tok
            x1, y1 = (_NODES if child in _NODES else _LEAVES)[child]
            on = tau.startswith(child)
            ax.plot([x0, x1], [y0, y1], color=REINFORCE if on else MUTED, lw=3 if on else 1.2,
                    zorder=1)
            b_, a_ = st.probs_before[row, col], st.probs_after[row, col]
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, f"{b_:.2f} → {a_:.2f}", ha="center",
                    va="center", fontsize=7.8, color=DARK if row in st.visited else BOUND,
                    fontweight="bold" if on else "normal",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"), zorder=3)
    for s, (x, y) in _NODES.items():
        on = s in ("", tau[:1])
        ax.scatter([x], [y], s=160, color=REINFORCE if on else MUTED, zorder=2)
        ax.text(x, y, s or "s₀", ha="center", va="center", fontsize=8, color="white", zorder=4)
    for s, (x, y) in _LEAVES.items():
        ax.text(x + 0.06, y, s, ha="left", va="center", fontsize=9,
                fontweight="bold" if s == tau else "normal",
                color=REINFORCE if s == tau else DARK)
    ax.text(1.0, 0.98, "edges: π_θ(token | prefix), before → after", ha="center", va="top",
            fontsize=7.8, color=BOUND)

    bx = fig.add_axes([0.60, 0.33, 0.38, 0.42])
    xs = np.arange(len(STEP_STRINGS))
    bx.bar(xs - 0.19, st.p_tau_before, width=0.36, color=MUTED, label="before")
    bx.bar(xs + 0.19, st.p_tau_after, width=0.36, color=REINFORCE, label="after")
    for x, pb, pa in zip(xs, st.p_tau_before, st.p_tau_after):
        bx.text(x - 0.19, pb + 0.02, f"{pb:.2f}", ha="center", va="bottom", fontsize=6.3,
                color=BOUND)
        bx.text(x + 0.19, pa + 0.02, f"{pa:.2f}", ha="center", va="bottom", fontsize=6.3,
                color=DARK)
    bx.set_xticks(xs, list(STEP_STRINGS))
    for lab in bx.get_xticklabels():
        if lab.get_text() == tau:
            lab.set_color(REINFORCE)
            lab.set_fontweight("bold")
    bx.set_ylim(0, 1.0)
    bx.set_yticks([0, 0.5, 1])
    bx.set_title("p_θ(τ′) of each episode τ′", fontsize=8.5)
    bx.legend(fontsize=7.5, frameon=False, loc="upper left", ncol=2)
    style_axes(bx, grid="y", labelsize=8, grid_lw=0.6)

    y = 0.21
    for row in range(len(prefixes)):
        d = st.delta[row]
        if row in st.visited:
            t = st.visited.index(row)
            tok = tau[t]
            pi = st.probs_before[row]
            onehot = "(1, 0)" if tok == "a" else "(0, 1)"
            text = (f"Δθ[row {_ROW_NAMES[row]}] = {st.lr:g}·({_signed(adv)})·({onehot} − "
                    f"({pi[0]:.2f}, {pi[1]:.2f})) = ({_signed(d[0])}, {_signed(d[1])})"
                    f"     wrote {tok}")
            color = DARK
        else:
            text = f"Δθ[row {_ROW_NAMES[row]}] = (0, 0)   not on τ's path: not changed"
            color = BOUND
        fig.text(0.04, y, text, fontsize=8.2, va="center", color=color, family="DejaVu Sans Mono")
        y -= 0.075
    return fig


one_step_demo = Demo(
    name="pg-one-step",
    func=draw_one_step,
    grid={"tau": list(STEP_STRINGS), "G": [0.0, 1.0], "baseline": [0.0, 0.5]},
    labels={"tau": "sampled episode τ", "G": "its return G", "baseline": "baseline b"},
    description="One REINFORCE step from one episode. Pick the episode the policy wrote, the return "
                "the grader gave it, and the baseline. The step sees only these and the policy; "
                "the hidden ξ is nowhere among its inputs.",
)
