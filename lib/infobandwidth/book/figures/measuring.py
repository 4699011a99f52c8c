"""Figures and the demo of §2.5, *Measuring information in RL* (``book/part2/measuring-information.md``).

* :func:`draw_bandwidth_split` — the entropy H(S) of several learning signals split two ways: the
  article's split into I(S; π*) and the gap H(S | π*), and the learner's split into what the
  trajectory explains, what the episode teaches about π* and about the rest of ξ, and noise (the
  chapter's captioned figure).
* :func:`draw_signal_bars` and :data:`signal_explorer` — for a chosen family, signal and noise
  level: H(S), I(S; π*), H(S | π*), I(S; ξ | τ) and I(S; π* | τ), values written (the demo).

Every instance lives on ``TokenMDP(2, 3)`` with a uniform prior and a behaviour policy that writes
``a`` with probability :data:`POLICY_A` at every prefix (a learner with a preference; under a
uniform policy the symmetric families have I(S; π*) = 0 exactly). The numbers come from
:func:`infobandwidth.signals.bandwidth.signal_bandwidth`.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from infobandwidth.book.demos import Demo
from infobandwidth.book.figures._bars import bits_bars
from infobandwidth.book.figures.style import (
    ARTICLE,
    BOUND,
    LEARN,
    LEARN_PI,
    LIGHT_BLUE,
    MUTED,
    NOISE,
    new_figure,
    style_axes,
)
from infobandwidth.model.mdp import Policy, TokenMDP, table_policy
from infobandwidth.model.rewards import RewardFamily, match_count, token_utility
from infobandwidth.signals.bandwidth import Bandwidth, signal_bandwidth
from infobandwidth.signals.signals import (
    DenseRewards,
    NoisySignal,
    QuantisedReturn,
    ReturnSignal,
    Signal,
)

__all__ = [
    "POLICY_A",
    "MEASURING_FAMILIES",
    "MEASURING_SIGNALS",
    "measuring_family",
    "measuring_policy",
    "measuring_signal",
    "measure",
    "signal_bars_values",
    "draw_signal_bars",
    "signal_explorer",
    "bandwidth_split_values",
    "draw_bandwidth_split",
]

#: Probability of the token ``a`` at every prefix under the behaviour policy of the §2.5 figures.
POLICY_A = 0.8
#: Families of the §2.5 figures.
MEASURING_FAMILIES = ("match count", "token utility")
#: Signals of the §2.5 figures (before noise).
MEASURING_SIGNALS = ("return", "return in 2 bins", "return in 3 bins", "dense rewards")

C_GAP = LIGHT_BLUE         # the gap H(S|π*)
C_TAU = MUTED              # what the trajectory alone explains, I(S;τ)


def measuring_family(name: str = "token utility") -> RewardFamily:
    """``"match count"`` (hidden string, share of matching tokens) or ``"token utility"`` (0/1
    utilities per position and token) on ``TokenMDP(2, 3)``, uniform prior."""
    mdp = TokenMDP(2, 3)
    if name == "match count":
        return match_count(mdp)
    if name == "token utility":
        return token_utility(mdp)
    raise ValueError(f"unknown family {name!r}; choose one of {', '.join(MEASURING_FAMILIES)}")


def measuring_policy(p_a: float = POLICY_A) -> Policy:
    """The behaviour policy: token ``a`` with probability ``p_a`` at every prefix of TokenMDP(2, 3)."""
    mdp = TokenMDP(2, 3)
    return table_policy(mdp, np.tile([p_a, 1.0 - p_a], (mdp.n_prefixes, 1)), name=f"a w.p. {p_a:g}")


def measuring_signal(name: str = "return", eps: float = 0.0) -> Signal:
    """A signal of :data:`MEASURING_SIGNALS`; with ``eps > 0`` it is replaced, with probability
    ``eps``, by one of its other values chosen uniformly (:class:`~infobandwidth.signals.signals.NoisySignal`)."""
    base = {"return": ReturnSignal(), "return in 2 bins": QuantisedReturn(2),
            "return in 3 bins": QuantisedReturn(3), "dense rewards": DenseRewards()}
    if name not in base:
        raise ValueError(f"unknown signal {name!r}; choose one of {', '.join(MEASURING_SIGNALS)}")
    return base[name] if eps == 0 else NoisySignal(base[name], eps=eps)


def measure(family: str = "token utility", signal: str = "return", eps: float = 0.0,
            p_a: float = POLICY_A) -> Bandwidth:
    """:func:`~infobandwidth.signals.bandwidth.signal_bandwidth` of one instance of the §2.5 figures."""
    return signal_bandwidth(measuring_family(family), measuring_signal(signal, eps),
                            measuring_policy(p_a))


def signal_bars_values(family: str = "token utility", signal: str = "return",
                       eps: float = 0.0) -> dict[str, float]:
    """What :func:`draw_signal_bars` writes, in bits (keys as in ``Bandwidth.bars()``)."""
    b = measure(family, signal, eps)
    bars = b.bars()
    return {k: bars[k] for k in ("log2 |S|", "H(S)", "I(S;π*)", "H(S|π*)", "I(S;ξ|τ)", "I(S;π*|τ)")}


def draw_signal_bars(family: str = "token utility", signal: str = "return", eps: float = 0.0) -> Figure:
    """Five bars for one signal: the article's H(S), I(S;π*), H(S|π*), then I(S;ξ|τ), I(S;π*|τ).

    Parameters
    ----------
    family : str
        One of :data:`MEASURING_FAMILIES`.
    signal : str
        One of :data:`MEASURING_SIGNALS`.
    eps : float
        Noise level in [0, 1].
    """
    v = signal_bars_values(family, signal, eps)
    names = ["H(S)", "I(S;π*)", "H(S|π*)", "I(S;ξ|τ)", "I(S;π*|τ)"]
    captions = ["potential", "effective", "gap", "new about ξ", "new about π*"]
    colors = [ARTICLE, ARTICLE, C_GAP, LEARN, LEARN_PI]
    fig = new_figure(6.4, 3.3)
    ax = fig.add_axes([0.09, 0.2, 0.8, 0.64])
    top = max(v["log2 |S|"], 1.0)
    ax.axhline(v["log2 |S|"], color=BOUND, ls="--", lw=1)
    ax.text(1.01, v["log2 |S|"], f"log₂|S|\n= {v['log2 |S|']:.2f}", ha="left", va="center",
            fontsize=8, color=BOUND, transform=ax.get_yaxis_transform())
    bits_bars(ax, [v[n] for n in names], names, captions, colors, top=top,
              left=("the article's bandwidths", ARTICLE), right=("what one episode teaches", LEARN),
              ylabel="bits", title_at=1.13, ylim_at=1.22)
    noise = "no noise" if eps == 0 else f"replaced w.p. ε = {eps:g}"
    fig.suptitle(f"{family} (V=2, T=3), policy writes a w.p. {POLICY_A:g}: {signal}, {noise}",
                 fontsize=9.5, y=0.97)
    return fig


signal_explorer = Demo(
    name="signal-explorer",
    func=draw_signal_bars,
    grid={"family": list(MEASURING_FAMILIES), "signal": list(MEASURING_SIGNALS),
          "eps": [0.0, 0.1, 0.3, 0.5]},
    labels={"family": "reward family", "signal": "learning signal", "eps": "noise ε"},
    description="Compare the blue bar I(S;π*) with the orange one I(S;π*|τ): the learner, who knows "
                "its trajectory, always learns at least the article's effective bandwidth, often "
                "much more. Add noise: every bar shrinks except H(S), which grows. Switch to dense "
                "rewards: more values, more bits. For match count π* determines ξ, so the red and "
                "orange bars are equal; for token utility most of what an episode teaches about ξ "
                "is irrelevant to π*.",
)


# ------------------------------------------------------------------------------------------------
# H(S), split two ways
# ------------------------------------------------------------------------------------------------

SPLIT_SIGNALS = (("return", 0.0), ("return in 2 bins", 0.0), ("return", 0.2), ("dense rewards", 0.0))


def bandwidth_split_values(family: str = "token utility", signals=SPLIT_SIGNALS) -> list[dict]:
    """For each ``(signal, eps)``: H(S) split the article's way and the learner's way, in bits.

    Each dict has ``"label"``, ``"H(S)"``, the article's ``"I(S;π*)"`` and ``"H(S|π*)"``, and the
    learner's ``"I(S;τ)"`` (what the trajectory alone explains), ``"I(S;π*|τ)"``,
    ``"I(S;ξ|π*,τ)"`` (about ξ but not π*) and ``"H(S|ξ,τ)"`` (noise). Each split adds up to H(S).
    """
    out = []
    for signal, eps in signals:
        b = measure(family, signal, eps)
        out.append({
            "label": signal + ("" if eps == 0 else f", ε = {eps:g}"),
            "H(S)": b.H_S, "I(S;π*)": b.I_S_pi, "H(S|π*)": b.H_S_given_pi,
            "I(S;τ)": b.I_S_tau, "I(S;π*|τ)": b.I_S_pi_given_tau,
            "I(S;ξ|π*,τ)": b.I_S_xi_given_tau - b.I_S_pi_given_tau, "H(S|ξ,τ)": b.H_S_given_xi_tau,
        })
    return out


def draw_bandwidth_split(family: str = "token utility", signals=SPLIT_SIGNALS) -> Figure:
    """H(S) of several signals, each split two ways (stacked bars, values written).

    Upper bar of each pair: the article's split, I(S;π*) + H(S|π*). Lower bar: the learner's split,
    I(S;τ) + I(S;π*|τ) + I(S;ξ|π*,τ) + H(S|ξ,τ).
    """
    rows = bandwidth_split_values(family, signals)
    fig = new_figure(6.4, 3.6)
    ax = fig.add_axes([0.22, 0.2, 0.76, 0.7])
    pieces_a = [("I(S;π*)", ARTICLE), ("H(S|π*)", C_GAP)]
    pieces_l = [("I(S;τ)", C_TAU), ("I(S;π*|τ)", LEARN_PI), ("I(S;ξ|π*,τ)", LEARN),
                ("H(S|ξ,τ)", NOISE)]
    yt, yl = [], []
    for k, row in enumerate(rows):
        y0 = -k * 1.2
        for y, pieces in ((y0 + 0.22, pieces_a), (y0 - 0.22, pieces_l)):
            left = 0.0
            for key, color in pieces:
                w = row[key]
                ax.barh(y, w, left=left, height=0.38, color=color, edgecolor="white", linewidth=0.8)
                if w >= 0.17:
                    ax.text(left + w / 2, y, f"{w:.2f}", ha="center", va="center", fontsize=7.5,
                            color="white" if color in (ARTICLE, LEARN, NOISE) else "black")
                left += w
        ax.text(row["H(S)"] + 0.04, y0 + 0.22, f"I(S;π*) = {row['I(S;π*)']:.3f}", va="center",
                fontsize=8, color=ARTICLE)
        ax.text(row["H(S)"] + 0.04, y0 - 0.22, f"I(S;π*|τ) = {row['I(S;π*|τ)']:.3f}", va="center",
                fontsize=8, color=LEARN_PI)
        yt.append(y0)
        yl.append(f"{row['label']}\nH(S) = {row['H(S)']:.3f}")
    ax.set_yticks(yt, yl, fontsize=8.5)
    ax.set_xlim(0, max(r["H(S)"] for r in rows) * 1.42)
    ax.set_xlabel("bits", fontsize=9)
    style_axes(ax, grid="x", labelsize=8, ticks="x")
    legend = [("I(S;π*)", ARTICLE), ("H(S|π*)", C_GAP), ("I(S;τ)", C_TAU),
              ("I(S;π*|τ)", LEARN_PI), ("I(S;ξ|π*,τ)", LEARN), ("H(S|ξ,τ) noise", NOISE)]
    for i, (name, color) in enumerate(legend):
        fig.text(0.02 + 0.163 * i, 0.035, "■", color=color, fontsize=11, va="center")
        fig.text(0.045 + 0.163 * i, 0.035, name, fontsize=7.5, va="center")
    fig.suptitle(f"{family}, V=2, T=3: H(S) split by the article (upper bars) and by the "
                 f"learner (lower bars)", fontsize=9.5, y=0.97)
    return fig
