"""Figures and the demo of §2.1, *Autoregressive generation as an MDP* (``book/part2/token-mdp.md``).

* :func:`draw_token_tree` — the prefix tree of a small token MDP: states as nodes, tokens as edges
  labelled with the policy's probabilities, leaves with p(τ) and the reward (the chapter's
  captioned figure).
* :func:`draw_sampled_j` — the objective J estimated from more and more sampled episodes, with
  two standard errors, against the exact value.
* :func:`draw_trajectory_bars` and :data:`trajectory_explorer` — the distribution over all
  trajectories under a softmax policy at a chosen temperature, coloured by reward, with J (the
  demo).

Every instance is built by :func:`demo_task`: a match-count reward with a fixed target string and a
softmax policy whose logits favour the target (plus fixed, seeded noise). The numbers a figure
writes are computed with :mod:`infobandwidth.model.mdp` and :mod:`infobandwidth.model.rewards`; the
``*_values`` helpers return them for the tests.
"""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.figures.style import (
    BLUE,
    DARK,
    DEEP_RED,
    INK,
    OPAQUE_LEGEND,
    REFERENCE,
    new_figure,
    style_axes,
)
from infobandwidth.model.mdp import (
    Policy,
    TokenMDP,
    expected_return,
    sampled_return,
    softmax_policy,
)
from infobandwidth.model.rewards import MatchCount, match_count

__all__ = [
    "DemoTask",
    "demo_task",
    "token_tree_values",
    "draw_token_tree",
    "sampled_j_values",
    "draw_sampled_j",
    "trajectory_bars_values",
    "draw_trajectory_bars",
    "trajectory_explorer",
]

C_EDGE = BLUE       # the policy: edges of the tree, sampled estimates
C_J = DEEP_RED      # the objective J and the target string
#: Logit bonus of the target token at every prefix.
TARGET_BONUS = 1.5


@dataclass(frozen=True)
class DemoTask:
    """A small token MDP with a reward and a policy: what the §2.1 figures draw.

    Attributes
    ----------
    mdp : TokenMDP
    family : MatchCount
        Match-count rewards (share of positions equal to the hidden string).
    xi : int
        The hidden string's index; ``target`` is its text.
    target : str
    policy : Policy
        Softmax policy ``π(x | s) ∝ exp(logits[s, x] / temperature)``.
    rewards : numpy.ndarray, shape (V**T,)
        ``R_ξ(s_T)`` for every trajectory.
    """

    mdp: TokenMDP
    family: MatchCount
    xi: int
    target: str
    policy: Policy
    rewards: np.ndarray


def demo_task(V: int = 2, T: int = 3, temperature: float = 1.0) -> DemoTask:
    """The instance of the §2.1 figures for vocabulary ``V``, length ``T`` and a temperature.

    The hidden string has token ``(t + 1) mod V`` at position ``t`` ("bab" for V=2, T=3). The
    logits are :data:`TARGET_BONUS` for the target token plus standard normal noise drawn with
    seed ``10·V + T``, so every (V, T) has one fixed policy and only the temperature changes it.

    Examples
    --------
    >>> task = demo_task(2, 3)
    >>> task.target, task.rewards.round(3).tolist()[:3]
    ('bab', [0.333, 0.667, 0.0])
    """
    mdp = TokenMDP(V, T)
    family = match_count(mdp)
    target = [(t + 1) % V for t in range(T)]
    xi = mdp.index(target)
    rng = np.random.default_rng(10 * V + T)
    logits = rng.normal(size=(mdp.n_prefixes, V))
    lengths = mdp.prefix_lengths
    logits[np.arange(mdp.n_prefixes), [target[t] for t in lengths]] += TARGET_BONUS
    policy = softmax_policy(mdp, logits, temperature)
    return DemoTask(mdp, family, xi, mdp.label(xi), policy, family.sparse_rewards(xi))


# ------------------------------------------------------------------------------------------------
# The prefix tree
# ------------------------------------------------------------------------------------------------

def token_tree_values(V: int = 2, T: int = 3, temperature: float = 1.0) -> dict:
    """What :func:`draw_token_tree` writes: edge probabilities, leaf p(τ) and R(τ), and J.

    Returns
    -------
    dict
        ``"edges"``: ``{(prefix, token): π(token | prefix)}``; ``"p_tau"`` and ``"R"``:
        arrays over trajectories; ``"J"``: the exact objective; ``"target"``.
    """
    task = demo_task(V, T, temperature)
    mdp = task.mdp
    edges = {}
    for i, prefix in enumerate(mdp.prefixes()):
        for x in range(V):
            edges[(prefix, x)] = float(task.policy.table[i, x])
    return {"edges": edges, "p_tau": task.policy.trajectory_probs().copy(), "R": task.rewards,
            "J": expected_return(task.policy, task.rewards), "target": task.target}


def draw_token_tree(V: int = 2, T: int = 3, temperature: float = 1.0) -> Figure:
    """The prefix tree of ``TokenMDP(V, T)`` under the demo policy, every probability written.

    Nodes are states (prefixes), from ``s_0`` (empty) on the left to the ``V**T`` complete
    episodes on the right. An edge is an action (a token); its label is ``π(token | prefix)`` and
    its width is proportional to the probability of passing along it. Each leaf shows the text of
    the episode, its probability ``p(τ)`` and its reward ``R_ξ(s_T)``.

    Parameters
    ----------
    V, T : int
        Keep ``V**T <= 16`` so the labels fit.
    temperature : float
        Temperature of the softmax policy.

    Returns
    -------
    matplotlib.figure.Figure
    """
    v = token_tree_values(V, T, temperature)
    task = demo_task(V, T, temperature)
    mdp = task.mdp
    n_leaves = mdp.n_trajectories
    fig = new_figure(6.4, 3.4)
    ax = fig.add_axes([0.01, 0.02, 0.98, 0.86])
    ax.set_axis_off()
    x_of = lambda t: t / T * 0.62                                          # noqa: E731
    leaf_y = np.linspace(1.0, 0.0, n_leaves)

    def y_of(prefix):
        first = last = 0
        for x in prefix:
            first = first * V + x
        span = V ** (T - len(prefix))
        first *= span
        last = first + span - 1
        return (leaf_y[first] + leaf_y[last]) / 2

    reach = {(): 1.0}
    for prefix in mdp.prefixes():
        for x in range(V):
            reach[prefix + (x,)] = reach[prefix] * v["edges"][(prefix, x)]
    for prefix in mdp.prefixes():
        t = len(prefix)
        x0, y0 = x_of(t), y_of(prefix)
        for x in range(V):
            child = prefix + (x,)
            x1, y1 = x_of(t + 1), y_of(child)
            ax.plot([x0, x1], [y0, y1], color=C_EDGE, lw=0.6 + 5.0 * reach[child],
                    solid_capstyle="round", zorder=1)
            xm, ym = x0 + 0.55 * (x1 - x0), y0 + 0.55 * (y1 - y0)
            ax.text(xm, ym, f"{mdp.token_names[x]} {v['edges'][(prefix, x)]:.2f}", fontsize=7.5,
                    ha="center", va="center", zorder=3,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    for prefix in [()] + [p for p in reach if 0 < len(p) < T]:
        ax.plot([x_of(len(prefix))], [y_of(prefix)], "o", ms=5, color=DARK, zorder=2)
    cmap = matplotlib.colormaps["viridis"]
    for i in range(n_leaves):
        y = leaf_y[i]
        ax.plot([x_of(T)], [y], "s", ms=6, color=cmap(0.15 + 0.7 * v["R"][i]), zorder=2)
        ax.text(x_of(T) + 0.025, y, f"{mdp.label(i)}  p = {v['p_tau'][i]:.3f}  R = {v['R'][i]:.2f}",
                fontsize=8, va="center", family="monospace",
                fontweight="bold" if mdp.label(i) == v["target"] else "normal")
    ax.text(x_of(0), y_of(()) + 0.07, "s₀ = ∅", ha="center", fontsize=8)
    for t in range(T + 1):
        ax.text(x_of(t), -0.09, f"t = {t}", ha="center", fontsize=8, color=INK)
    ax.set_xlim(-0.03, 1.02)
    ax.set_ylim(-0.13, 1.08)
    fig.suptitle(rf"$|\mathcal{{V}}|$ = {V}, T = {T}: hidden string ξ = {v['target']}, R = share of matching "
                 f"tokens;  J = Σ p(τ)R(τ) = {v['J']:.3f}", fontsize=9.5, y=0.97)
    return fig


# ------------------------------------------------------------------------------------------------
# J by sampling
# ------------------------------------------------------------------------------------------------

def sampled_j_values(V: int = 2, T: int = 3, temperature: float = 1.0,
                     sizes=(10, 30, 100, 300, 1000, 3000, 10000), seed: int = 0) -> dict:
    """Sampled estimates of J with standard errors, one per sample size, and the exact J.

    Each size uses its own seed ``seed + k`` so the estimates are independent.

    Returns
    -------
    dict
        ``"n"``, ``"estimate"``, ``"stderr"`` (arrays) and ``"J"`` (exact).
    """
    task = demo_task(V, T, temperature)
    est = [sampled_return(task.policy, task.rewards, n=int(n), seed=seed + k)
           for k, n in enumerate(sizes)]
    return {"n": np.asarray(sizes), "estimate": np.array([e.value for e in est]),
            "stderr": np.array([e.stderr for e in est]),
            "J": expected_return(task.policy, task.rewards)}


def draw_sampled_j(V: int = 2, T: int = 3, temperature: float = 1.0,
                   sizes=(10, 30, 100, 300, 1000, 3000, 10000), seed: int = 0) -> Figure:
    """Estimates of J from ``n`` sampled episodes (± 2 standard errors) against the exact J."""
    v = sampled_j_values(V, T, temperature, sizes, seed)
    fig = new_figure(6.4, 3.2)
    ax = fig.add_axes([0.11, 0.15, 0.86, 0.72])
    ax.axhline(v["J"], color=C_J, lw=1.5, label=f"exact J = {v['J']:.3f} (enumeration)")
    ax.errorbar(v["n"], v["estimate"], yerr=2 * v["stderr"], fmt="o", color=C_EDGE, capsize=3,
                label="sample mean ± 2 standard errors")
    for n, e, s in zip(v["n"], v["estimate"], v["stderr"]):
        ax.annotate(f"{e:.3f}", (n, e + 2 * s), xytext=(0, 3), textcoords="offset points",
                    ha="center", fontsize=7.5, color=DARK)
    ax.set_xscale("log")
    ax.set_xlabel("number of sampled episodes n", fontsize=9)
    ax.set_ylabel("estimate of J", fontsize=9)
    style_axes(ax, labelsize=8.5)
    ax.legend(fontsize=8, loc="lower right", **OPAQUE_LEGEND)
    ax.set_title(rf"$|\mathcal{{V}}|$ = {V}, T = {T}: the error shrinks like 1/√n (seed {seed})", fontsize=9.5)
    return fig


# ------------------------------------------------------------------------------------------------
# The demo: the trajectory distribution at a temperature
# ------------------------------------------------------------------------------------------------

def trajectory_bars_values(V: int = 2, T: int = 3, temperature: float = 1.0) -> dict:
    """What :func:`draw_trajectory_bars` writes: p(τ), R(τ), J, J of the uniform policy, and
    a sampled estimate of J (1000 episodes, seed 0) with its standard error."""
    task = demo_task(V, T, temperature)
    est = sampled_return(task.policy, task.rewards, n=1000, seed=0)
    p = task.policy.trajectory_probs()
    return {"labels": [task.mdp.label(i) for i in range(task.mdp.n_trajectories)],
            "p_tau": p.copy(), "R": task.rewards, "target": task.target,
            "J": expected_return(task.policy, task.rewards),
            "J_uniform": float(task.rewards.mean()), "J_max": float(task.rewards.max()),
            "J_sampled": est.value, "J_stderr": est.stderr}


def draw_trajectory_bars(V: int = 2, T: int = 3, temperature: float = 1.0) -> Figure:
    """Bars of p(τ) over every trajectory, coloured by reward, with J exact and sampled.

    Parameters
    ----------
    V, T : int
        The MDP (up to ``V**T = 27`` bars).
    temperature : float
        Temperature of the softmax policy of :func:`demo_task`.
    """
    v = trajectory_bars_values(V, T, temperature)
    n = len(v["labels"])
    fig = new_figure(6.4, 3.3)
    ax = fig.add_axes([0.09, 0.28, 0.76, 0.58])
    cmap = matplotlib.colormaps["viridis"]
    colors = [cmap(0.15 + 0.7 * r) for r in v["R"]]
    ax.bar(np.arange(n), v["p_tau"], color=colors, edgecolor=DARK, linewidth=0.4)
    ax.axhline(1 / n, color=REFERENCE, ls=":", lw=1)
    ax.text(n - 0.5, 1 / n, "uniform", fontsize=7.5, color=INK, ha="right", va="bottom")
    fs = 8 if n <= 9 else 6.5
    ax.set_xticks(np.arange(n), v["labels"], rotation=0 if n <= 9 else 90, fontsize=fs,
                  family="monospace")
    for k, lab in zip(ax.get_xticklabels(), v["labels"]):
        if lab == v["target"]:
            k.set_fontweight("bold")
            k.set_color(C_J)
    ax.set_ylim(0, max(1.0 / n * 1.5, float(v["p_tau"].max()) * 1.18))
    ax.set_ylabel("p(τ)", fontsize=9)
    style_axes(ax, grid="y", labelsize=8, ticks="y")
    # a small colour key for the reward
    levels = np.unique(v["R"])
    for k, r in enumerate(levels[::-1]):
        fig.text(0.87, 0.78 - 0.07 * k, "■", color=cmap(0.15 + 0.7 * r), fontsize=11, va="center")
        fig.text(0.9, 0.78 - 0.07 * k, f"R = {r:.2f}", fontsize=8, va="center")
    fig.text(0.87, 0.85, "reward", fontsize=8.5, va="center")
    fig.text(0.09, 0.085,
             f"J = {v['J']:.3f} exact;  {v['J_sampled']:.3f} ± {v['J_stderr']:.3f} from 1000 "
             f"sampled episodes (± 1 s.e.)", fontsize=9, color=C_J, fontweight="bold")
    fig.text(0.09, 0.025, f"for comparison: uniform policy J = {v['J_uniform']:.3f};  "
             f"best policy J = {v['J_max']:.2f}", fontsize=8.5)
    fig.suptitle(rf"$|\mathcal{{V}}|$ = {V}, T = {T}, temperature {temperature:g}: target ξ = {v['target']} "
                 f"(red), R = share of matching tokens", fontsize=9.5, y=0.96)
    return fig


trajectory_explorer = Demo(
    name="trajectory-explorer",
    func=draw_trajectory_bars,
    grid={"V": [2, 3], "T": [2, 3], "temperature": [0.1, 0.3, 1.0, 3.0, 10.0]},
    labels={"V": "vocabulary size |V|", "T": "length T", "temperature": "temperature"},
    description="Lower the temperature: the policy piles its mass on one trajectory and J moves "
                "towards that trajectory's reward. Raise it: p(τ) flattens towards the dotted "
                "uniform line and J towards the average reward. Increase T and watch the number "
                "of trajectories grow as V^T.",
)
