"""Figures and the demo of §2.2, *The Bayesian formulation* (``book/part2/bayesian.md``).

* :func:`draw_pistar_merge` and :data:`pistar_explorer` — a prior p(ξ) over reward parameters and
  the distribution p(π*) it induces on optimal policies: bars for every ξ, coloured by the π* they
  share, ties hatched, H(ξ) and H(π*) written (the chapter's captioned figure and its demo).
* :func:`draw_discretised_parameter` — a continuous parameter Λ cut into B bins: the entropy of the
  binned Λ grows like log2 B without limit while the information a signal carries about it
  converges (the note on differential entropy).

Priors are built with :func:`infobandwidth.model.rewards.string_prior` (hidden strings whose tokens are
``b`` with probability ``q``) or ``value_probs`` (utilities equal to 1 with probability ``q``); the
numbers come from :func:`infobandwidth.model.optimal.optimal_policies` and
:mod:`infobandwidth.information.measures`. The ``*_values`` helpers return what the figures write.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.figures.style import (
    BLUE,
    BOUND,
    CATEGORICAL,
    CONNECTOR,
    INK,
    ORANGE,
    new_figure,
    style_axes,
)
from infobandwidth.information.measures import entropy, mutual_information
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import (
    RewardFamily,
    exact_match,
    match_count,
    string_prior,
    token_utility,
)

__all__ = [
    "PISTAR_FAMILIES",
    "pistar_family",
    "pistar_values",
    "draw_pistar_merge",
    "pistar_explorer",
    "discretised_parameter_joint",
    "discretised_parameter_values",
    "draw_discretised_parameter",
]

#: The families of the demo, with the MDP each lives on.
PISTAR_FAMILIES = ("exact match", "pass/fail match", "token utility", "shared utility")


def pistar_family(name: str = "token utility", q: float = 0.5) -> RewardFamily:
    """The family ``name`` of :data:`PISTAR_FAMILIES` with the prior tilted by ``q``.

    * ``"exact match"``: hidden string on V=2, T=2; R = 1 iff the answer equals it.
    * ``"pass/fail match"``: hidden string on V=2, T=3; R = 1 iff at least 2 of 3 tokens match.
    * ``"token utility"``: a 0/1 utility for every (position, token) on V=2, T=2; R = the sum.
    * ``"shared utility"``: a 0/1 utility per token, the same at every position, on V=3, T=2.

    For the string families each token of the hidden string is ``b`` with probability ``q``; for
    the utility families each utility is 1 with probability ``q``. ``q = 0.5`` is uniform.

    Raises
    ------
    ValueError
        For an unknown name or ``q`` outside ``[0, 1]``.

    Examples
    --------
    >>> pistar_family("exact match", 0.25).prior.tolist()
    [0.5625, 0.1875, 0.1875, 0.0625]
    """
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must be a probability in [0, 1], got {q!r}")
    if name == "exact match":
        mdp = TokenMDP(2, 2)
        return exact_match(mdp, prior=string_prior(mdp, [1 - q, q]))
    if name == "pass/fail match":
        mdp = TokenMDP(2, 3)
        return match_count(mdp, levels=2, prior=string_prior(mdp, [1 - q, q]))
    if name == "token utility":
        return token_utility(TokenMDP(2, 2), value_probs=[1 - q, q])
    if name == "shared utility":
        return token_utility(TokenMDP(3, 2), shared=True, value_probs=[1 - q, q])
    raise ValueError(f"unknown family {name!r}; choose one of {', '.join(PISTAR_FAMILIES)}")


def pistar_values(family: str = "token utility", q: float = 0.5, tie_break: str = "first") -> dict:
    """What :func:`draw_pistar_merge` writes: p(ξ), the π* classes, p(π*) and the entropies.

    Returns
    -------
    dict
        ``"xi_labels"``, ``"prior"``, ``"classes"``, ``"tied"`` (per ξ); ``"pi_labels"``,
        ``"p_pi"`` (per π*); ``"H_xi"``, ``"H_pi"``, ``"P_tie"`` (prior mass of tied ξ),
        ``"n_xi"``, ``"n_pi"``.
    """
    fam = pistar_family(family, q)
    opt = optimal_policies(fam, tie_break=tie_break)
    return {
        "xi_labels": fam.labels, "prior": fam.prior.copy(), "classes": opt.classes.copy(),
        "tied": opt.tied.copy(), "pi_labels": list(opt.labels), "p_pi": opt.distribution(),
        "H_xi": opt.H_xi, "H_pi": opt.H_pi_star, "P_tie": float(fam.prior[opt.tied].sum()),
        "n_xi": fam.n_xi, "n_pi": opt.n_classes,
    }


def draw_pistar_merge(family: str = "token utility", q: float = 0.5) -> Figure:
    """Every ξ with its prior probability, grouped into the optimal policy it induces.

    Left: p(ξ) for every reward parameter, one bar each, coloured by its optimal policy π*_ξ;
    hatched bars are ξ with tied optima before lexicographic tie-breaking. Right: p(π*), the sum
    of the bars of each colour. Grey lines join each ξ to its π*. The title gives H(ξ), H(π*) and
    the prior probability of a tie.

    Parameters
    ----------
    family : str
        One of :data:`PISTAR_FAMILIES`.
    q : float
        Prior tilt (see :func:`pistar_family`).
    """
    v = pistar_values(family, q)
    n, k = v["n_xi"], v["n_pi"]
    order = np.lexsort((np.arange(n), v["classes"]))            # group the ξ by their π*
    fig = new_figure(6.4, 3.4)
    ax1 = fig.add_axes([0.19, 0.1, 0.3, 0.72])
    ax2 = fig.add_axes([0.7, 0.1, 0.27, 0.72])
    colors = [CATEGORICAL[c % len(CATEGORICAL)] for c in v["classes"]]
    ypos = np.arange(n)[::-1]
    fs = 8 if n <= 9 else 6.5
    bars = ax1.barh(ypos, v["prior"][order], height=0.75, color=[colors[x] for x in order],
                    edgecolor="white", linewidth=0.5)
    for patch, x in zip(bars.patches, order):
        if v["tied"][x]:
            patch.set_hatch("////")
    ax1.set_yticks(ypos, [v["xi_labels"][x] for x in order], fontsize=fs, family="monospace")
    top1 = max(float(v["prior"].max()), 1e-9)
    ax1.set_xlim(0, top1 * 1.15)
    ax1.set_ylim(-0.6, n - 0.4)
    ax1.set_title(f"p(ξ): {n} reward parameters", fontsize=9)
    # the π* side, centred on its group of ξ rows
    centres = []
    for c in range(k):
        rows = ypos[np.flatnonzero(v["classes"][order] == c)]
        centres.append(rows.mean() / max(n - 1, 1))
    centres = np.array(centres)
    if k > 1:                                   # spread evenly, keeping the order of the groups
        centres = np.linspace(centres.max(), centres.min(), k) if n > 1 else centres
    for c in range(k):
        ax2.barh(centres[c], v["p_pi"][c], height=min(0.8 / k, 0.12), color=CATEGORICAL[c % len(CATEGORICAL)])
        ax2.text(v["p_pi"][c] + 0.02, centres[c], f"{v['p_pi'][c]:.3f}", va="center", fontsize=8)
    ax2.set_yticks(centres, v["pi_labels"], fontsize=8, family="monospace")
    ax2.set_ylim(-0.08, 1.08)
    ax2.set_xlim(0, 1.25)
    ax2.set_xticks([0, 0.5, 1])
    ax2.set_title(f"p(π*): {k} optimal trajectories", fontsize=9)
    for ax in (ax1, ax2):
        style_axes(ax, grid="x", labelsize=7.5, ticks="x")
    # lines from each ξ to its π*
    inv = fig.transFigure.inverted()
    segments = []
    for row, x in zip(ypos, order):
        c = v["classes"][x]
        p1 = inv.transform(ax1.transData.transform((top1 * 1.15, row)))
        p2 = inv.transform(ax2.transData.transform((0, centres[c])))
        segments.append([(p1[0] + 0.005, p1[1]), (p2[0] - 0.07, p2[1])])
    fig.add_artist(LineCollection(segments, colors=CONNECTOR, linewidths=0.6,
                                  transform=fig.transFigure))
    fig.suptitle(f"{family}, q = {q:g}:   H(ξ) = {v['H_xi']:.3f} bits,   H(π*) = {v['H_pi']:.3f} bits,"
                 f"   P(tie) = {v['P_tie']:.3f}", fontsize=9.5, y=0.97)
    fig.text(0.01, 0.01, "hatched: ξ with several optimal trajectories (tie broken to the first)",
             fontsize=7, color=INK)
    return fig


pistar_explorer = Demo(
    name="pistar-explorer",
    func=draw_pistar_merge,
    grid={"family": list(PISTAR_FAMILIES), "q": [0.1, 0.3, 0.5, 0.8]},
    labels={"family": "reward family", "q": "prior tilt q"},
    description="Exact match never merges: H(π*) = H(ξ) for every prior. The other families merge "
                "several ξ into one π*, so H(π*) < H(ξ). Move q away from 1/2: both entropies fall, "
                "and for the utility families the ties (hatched) pile probability onto the "
                "lexicographically first answer.",
)


# ------------------------------------------------------------------------------------------------
# A continuous parameter, binned
# ------------------------------------------------------------------------------------------------

def discretised_parameter_joint(B: int) -> np.ndarray:
    """p(k, S) for Λ ~ Uniform[0, 1] cut into ``B`` equal bins (``k``) and S ~ Bernoulli(Λ).

    ``p(k, S=1) = ∫ λ dλ`` over bin ``k`` ``= (2k + 1) / (2 B²)`` and ``p(k, S=0) = 1/B − p(k, S=1)``.

    Examples
    --------
    >>> discretised_parameter_joint(2).tolist()
    [[0.375, 0.125], [0.125, 0.375]]
    """
    if isinstance(B, bool) or not isinstance(B, (int, np.integer)) or B < 1:
        raise ValueError(f"B must be a positive integer number of bins, got {B!r}")
    k = np.arange(B)
    p1 = (2 * k + 1) / (2.0 * B * B)
    return np.column_stack([1.0 / B - p1, p1])


#: I(S; Λ) for Λ ~ Uniform[0, 1] and S ~ Bernoulli(Λ): 1 − 1/(2 ln 2) bits.
I_CONTINUOUS = 1.0 - 1.0 / (2.0 * math.log(2.0))


def discretised_parameter_values(bins=(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024)) -> dict:
    """H(Λ_B) and I(S; Λ_B) for each number of bins B, and the limit I(S; Λ)."""
    bins = np.asarray(bins)
    joints = [discretised_parameter_joint(int(B)) for B in bins]
    return {"B": bins, "H": np.array([entropy(j.sum(axis=1)) for j in joints]),
            "I": np.array([mutual_information(j) for j in joints]), "I_limit": I_CONTINUOUS}


def draw_discretised_parameter(bins=(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024)) -> Figure:
    """Entropy and information of a continuous parameter Λ read at finer and finer resolution.

    Λ ~ Uniform[0, 1] is the probability of a success S. Cut into B bins, Λ has entropy log2 B,
    which grows without bound as B grows; the information S carries about it converges to
    I(S; Λ) = 1 − 1/(2 ln 2).
    """
    v = discretised_parameter_values(bins)
    fig = new_figure(6.4, 3.2)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"wspace": 0.35, "left": 0.09, "right": 0.97,
                                               "bottom": 0.16, "top": 0.8})
    ax1.plot(v["B"], v["H"], "o-", color=BLUE, lw=2)
    for B, h in zip(v["B"], v["H"]):
        if B in (2, 16, 1024):
            ax1.annotate(f"{h:.0f} bit" + ("" if h == 1 else "s"), (B, h), xytext=(-6, 7), textcoords="offset points",
                         fontsize=8, color=BLUE, ha="right" if B == 1024 else "center")
    ax1.set_ylim(-0.5, 12)
    ax1.set_title("H(Λ_B) = log₂ B: no limit", fontsize=9.5)
    ax2.plot(v["B"], v["I"], "s-", color=ORANGE, lw=2)
    ax2.axhline(v["I_limit"], color=BOUND, ls="--", lw=1)
    ax2.text(v["B"][-1], v["I_limit"] - 0.06, f"dashed: the limit\n1 − 1/(2 ln 2) = {v['I_limit']:.4f}",
             fontsize=8, color=BOUND, ha="right", va="top")
    for B, i in zip(v["B"], v["I"]):
        if B in (2, 4):
            ax2.annotate(f"{i:.3f}", (B, i), xytext=(8, -4), textcoords="offset points", fontsize=8,
                         color=ORANGE)
    ax2.set_ylim(0, 0.32)
    ax2.set_title("I(S; Λ_B): converges", fontsize=9.5)
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("number of bins B", fontsize=9)
        ax.set_ylabel("bits", fontsize=9)
        style_axes(ax, labelsize=8.5)
    fig.suptitle("Λ ~ Uniform[0, 1] read to B bins; S ~ Bernoulli(Λ) is one success/failure",
                 fontsize=9.5, y=0.97)
    return fig
