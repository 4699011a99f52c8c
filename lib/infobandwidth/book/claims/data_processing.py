"""Claim checks of §2.4, the data processing inequality (chapter ``book/part2/data-processing.md``).

Each check computes on explicit joint distributions built with :mod:`infobandwidth.information`:
chains of binary symmetric channels and random channels (:mod:`~infobandwidth.information.channels`),
every function of a four-valued variable, and random joints of three variables
(:mod:`~infobandwidth.information.measures`, :class:`~infobandwidth.information.joint.Joint`).
"""
from __future__ import annotations

import functools
import itertools

import numpy as np

from infobandwidth.base.numerics import SLACK_BITS
from infobandwidth.book.claims.registry import (
    Finding,
    claim,
    counterexample_verdict,
    describe_instances,
    theorem_verdict,
)
from infobandwidth.information.channels import (
    binary_symmetric_channel,
    compose,
    deterministic_channel,
    joint_from_channel,
    markov_chain_joint,
)
from infobandwidth.information.joint import Joint
from infobandwidth.information.measures import (
    conditional_mutual_information,
    entropy,
    mutual_information,
)

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = ["chain_instances", "noisy_pair_joint", "function_table", "random_joints"]

#: Flip probabilities of the chapter's sweep over pairs of binary symmetric channels.
_BSC_GRID = np.linspace(0, 1, 21)


def chain_instances(n_random: int = 300, seed: int = 0) -> list[tuple[str, np.ndarray]]:
    """Markov chains ``X → Y → Z`` as joints ``p(x, y, z)`` (axes X, Y, Z): the §2.4 DPI check.

    The chapter's sweep (a fair bit through ``BSC(a)`` then ``BSC(b)``, ``a, b`` on a grid of 21
    values in ``[0, 1]``), then ``n_random`` chains with alphabets of 2 to 4 values, a random input
    distribution and random channels (rows drawn from a Dirichlet(0.5) law, seeded).

    Examples
    --------
    >>> inst = chain_instances(n_random=2)
    >>> len(inst), inst[0][1].shape
    (443, (2, 2, 2))
    """
    out = []
    for a in _BSC_GRID:
        for b in _BSC_GRID:
            out.append((f"BSC({a:g}) then BSC({b:g})",
                        markov_chain_joint([0.5, 0.5], binary_symmetric_channel(a),
                                           binary_symmetric_channel(b))))
    rng = np.random.default_rng(seed)
    for k in range(n_random):
        nx, ny, nz = rng.integers(2, 5, size=3)
        px = rng.dirichlet(np.full(nx, 0.5))
        w1 = rng.dirichlet(np.full(ny, 0.5), size=nx)
        w2 = rng.dirichlet(np.full(nz, 0.5), size=ny)
        out.append((f"random chain {k}", markov_chain_joint(px, w1, w2)))
    return out


#: The fork of the DPI check: Y and Z made from a fair bit X separately, by BSC(a) and BSC(b).
_FORK = (0.2, 0.1)


def _fork_gap(a: float = _FORK[0], b: float = _FORK[1]) -> float:
    """``I(X; Z) − I(X; Y)`` in a fork: Y and Z made from a fair bit X separately, by BSC(a), BSC(b)."""
    fork = (Joint.independent(X=[0.5, 0.5])
            .with_channel("Y", binary_symmetric_channel(a), "X")
            .with_channel("Z", binary_symmetric_channel(b), "X"))
    return fork.I("X", "Z") - fork.I("X", "Y")


@claim("dpi", "2.4",
       "If X → Y → Z is a Markov chain, then I(X; Z) ≤ I(X; Y): processing cannot create "
       "information.")
def _dpi() -> Finding:
    inst = chain_instances()
    gaps, markov, identity = [], [], []
    for _, p in inst:
        i_xy = mutual_information(p.sum(axis=2))
        i_xz = mutual_information(p.sum(axis=1))
        gaps.append(i_xy - i_xz)
        markov.append(conditional_mutual_information(p.transpose(0, 2, 1)))        # I(X;Z|Y)
        identity.append(abs(i_xy - i_xz - conditional_mutual_information(p)))     # gap = I(X;Y|Z)
    margin, cmi, ident = min(gaps), max(markov), max(identity)
    fork = _fork_gap()
    shapes = [p.shape for _, p in inst]
    return Finding(
        verdict=theorem_verdict(max(-margin, cmi, ident)), rule="theorem",
        instances=describe_instances(len(inst), "Markov chains", **{
            "|X|": [s[0] for s in shapes], "|Y|": [s[1] for s in shapes], "|Z|": [s[2] for s in shapes]}),
        evidence=(f"on {len(inst)} chains (the chapter's {len(_BSC_GRID) ** 2} pairs of binary symmetric "
                  f"channels and {len(inst) - len(_BSC_GRID) ** 2} random ones) I(X;Y) − I(X;Z) is never "
                  f"below {margin:.1e} bits and equals I(X;Y|Z) to {ident:.1e} bits, as the proof says; "
                  f"the Markov property I(X;Z|Y) = 0 holds to {cmi:.1e}. The hypothesis matters: in a fork, "
                  f"where Y = X through BSC({_FORK[0]:g}) and Z has its own line to X, through "
                  f"BSC({_FORK[1]:g}), Z knows {fork:.3f} bits more than Y."),
        numbers={"chains": len(inst), "min I(X;Y) − I(X;Z) [bits]": margin,
                 "max |I(X;Y) − I(X;Z) − I(X;Y|Z)| [bits]": ident,
                 "max I(X;Z|Y) [bits]": cmi, "fork: I(X;Z) − I(X;Y) [bits]": fork},
        decides='min I(X;Y) − I(X;Z) [bits]',
    )


def noisy_pair_joint(eps: float = 0.1) -> np.ndarray:
    """The chapter's ``p(x, y)``: X a fair bit, ``Y = 2X' + E`` with X' = X through ``BSC(eps)`` and
    E an independent fair coin (four values).

    Examples
    --------
    >>> noisy_pair_joint(0.0)[0].tolist()
    [0.25, 0.25, 0.0, 0.0]
    """
    w = np.kron(binary_symmetric_channel(eps), np.array([[0.5, 0.5]]))
    return joint_from_channel([0.5, 0.5], w)


@functools.lru_cache(maxsize=4)
def function_table(n_random: int = 20, seed: int = 0) -> tuple:
    """``(joint label, |X|, f as a table, H(Y), I(X;Y), H(f(Y)), I(X;f(Y)))`` for every function
    ``f: {0..3} → {0..3}`` (256 of them) of the ``Y`` of :func:`noisy_pair_joint` and of
    ``n_random`` random joints ``p(x, y)`` with ``|X| ∈ {2, 3}``, ``|Y| = 4`` (Dirichlet(0.5), seeded).

    Examples
    --------
    >>> rows = function_table(n_random=1)
    >>> len(rows), rows[0][:3]
    (512, ("the chapter's Y = 2X' + E", 2, (0, 0, 0, 0)))
    """
    joints = [("the chapter's Y = 2X' + E", noisy_pair_joint())]
    rng = np.random.default_rng(seed)
    for k in range(n_random):
        nx = int(rng.integers(2, 4))
        joints.append((f"random joint {k}", rng.dirichlet(np.full(nx * 4, 0.5)).reshape(nx, 4)))
    rows = []
    for label, pxy in joints:
        h_y, i_y = entropy(pxy.sum(axis=0)), mutual_information(pxy)
        px, w = pxy.sum(axis=1), pxy / pxy.sum(axis=1, keepdims=True)
        for f in itertools.product(range(4), repeat=4):
            pxf = joint_from_channel(px, compose(w, deterministic_channel(f, 4, 4)))
            rows.append((label, pxy.shape[0], f, h_y, i_y, entropy(pxf.sum(axis=0)),
                         mutual_information(pxf)))
    return tuple(rows)


@claim("dpi-function", "2.4",
       "For any deterministic function f, I(X; f(Y)) ≤ I(X; Y).")
def _dpi_function() -> Finding:
    rows = function_table()
    margin = min(i_y - i_f for _, _, _, _, i_y, _, i_f in rows)
    chapter = [r for r in rows if r[0] == rows[0][0]]
    kept = [f for _, _, f, _, i_y, _, i_f in chapter if abs(i_y - i_f) <= SLACK_BITS]
    kept_not_1to1 = sum(len(set(f)) < 4 for f in kept)
    n_joints = len({r[0] for r in rows})
    return Finding(
        verdict=theorem_verdict(-margin), rule="theorem",
        instances=describe_instances(len(rows), f"(joint, function) pairs: every f of Y on {n_joints} "
                                     f"joints", **{"|X|": [r[1] for r in rows], "|Y|": [4]}),
        evidence=(f"every one of the {len(chapter)} functions from Y's {len(chapter[0][2])} values to as "
                  f"many, on {n_joints} joints p(x, y): I(X;Y) − I(X;f(Y)) is never below {margin:.1e} bits. On the "
                  f"chapter's Y = 2X' + E, {len(kept)} functions keep all of I(X;Y), and "
                  f"{kept_not_1to1} of them are not one-to-one: they merge only values of Y that differ "
                  f"in the coin E."),
        numbers={"(joint, function) pairs": len(rows), "min I(X;Y) − I(X;f(Y)) [bits]": margin,
                 "functions keeping all of I(X;Y), chapter's Y": len(kept),
                 "of which not one-to-one": kept_not_1to1},
        decides='min I(X;Y) − I(X;f(Y)) [bits]',
    )


def _entropy_order_counterexamples():
    """Pairs of functions of the chapter's Y ordered one way by entropy, the other by information."""
    rows = function_table()
    chapter = [(f, h_f, i_f) for label, _, f, _, _, h_f, i_f in rows if label == rows[0][0]]
    pairs = [(f, g) for f, h_f, i_f in chapter for g, h_g, i_g in chapter
             if h_f < h_g - SLACK_BITS and i_f > i_g + SLACK_BITS]
    return chapter, pairs


@claim("dpi-function-entropy-reason", "2.4",
       "More simply: a deterministic function can only reduce or preserve entropy, so it cannot "
       "increase mutual information.")
def _entropy_reason() -> Finding:
    rows = function_table()
    premise = max(h_f - h_y for _, _, _, h_y, _, h_f, _ in rows)  # H(f(Y)) − H(Y) ≤ 0: true
    chapter, pairs = _entropy_order_counterexamples()
    ordered = sum(h_f < h_g - SLACK_BITS for _, h_f, _ in chapter for _, h_g, _ in chapter)
    by_f = {f: (h, i) for f, h, i in chapter}
    both_one, coin = (0, 0, 0, 1), (0, 1, 0, 1)                     # [y = 3] and y mod 2
    u = Joint.independent(X=[0.5, 0.5]).with_function("U", lambda x: x, 2, inputs="X")
    m = Joint.independent(X=[0.5, 0.5], M=np.full(4, 0.25))
    across = u.H("U") < m.H("M") and u.I("X", "U") > m.I("X", "M") + SLACK_BITS
    return Finding(
        verdict=counterexample_verdict(bool(pairs) or across), rule="counterexample",
        instances=describe_instances(len(chapter), "functions of the chapter's Y", **{"|Y|": [4]})
                  + "; one pair of variables U, M",
        evidence=(f"the premise is true (H(f(Y)) − H(Y) ≤ {premise:.1e} bits on every function) and so is "
                  f"the conclusion (the DPI for functions), but 'less entropy, so no more information' "
                  f"is not a valid step: among the {len(chapter)} functions of the chapter's Y, {len(pairs)} "
                  f"of the {ordered} pairs with H(f(Y)) < H(g(Y)) have I(X; f(Y)) > I(X; g(Y)), e.g. [Y = 3] "
                  f"({by_f[both_one][0]:.3f} bits of entropy, {by_f[both_one][1]:.3f} about X) against "
                  f"Y mod 2 ({by_f[coin][0]:.3f}, {by_f[coin][1]:.3f}). A copy U of a fair bit X has less "
                  f"entropy than an independent M uniform on 4 values and more information about X."),
        numbers={"max H(f(Y)) − H(Y) [bits]": premise, "pairs with H(f(Y)) < H(g(Y))": ordered,
                 "… and I(X;f(Y)) > I(X;g(Y))": len(pairs),
                 "[Y = 3]: H, I(X;·) [bits]": f"{by_f[both_one][0]:.3f}, {by_f[both_one][1]:.3f}",
                 "Y mod 2: H, I(X;·) [bits]": f"{by_f[coin][0]:.3f}, {by_f[coin][1]:.3f}",
                 "U: H, I(X;U) [bits]": f"{u.H('U'):.3f}, {u.I('X', 'U'):.3f}",
                 "M: H, I(X;M) [bits]": f"{m.H('M'):.3f}, {m.I('X', 'M'):.3f}"},
        decides='… and I(X;f(Y)) > I(X;g(Y))',
    )


def random_joints(n: int = 500, shape: tuple[int, int, int] = (2, 3, 4), seed: int = 1,
                  alpha: float = 0.3) -> list[np.ndarray]:
    """``n`` random joints ``p(x, y, z)`` of the given shape, Dirichlet(``alpha``) weights, seeded:
    the same draws as the chapter's cell (``default_rng(seed)``, one ``dirichlet`` call each).

    Examples
    --------
    >>> ps = random_joints(3)
    >>> len(ps), ps[0].shape, round(float(ps[0].sum()), 12)
    (3, (2, 3, 4), 1.0)
    """
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape))
    return [rng.dirichlet(np.full(size, alpha)).reshape(shape) for _ in range(n)]


@claim("more-variables-more-information", "2.4",
       "I(S; π*, ξ) ≥ I(S; π*): observing more variables cannot decrease mutual information.")
def _more_variables() -> Finding:
    joints = random_joints()
    gain, ident, cond = [], [], []
    for p in joints:
        nx, ny, nz = p.shape
        i_x_yz = mutual_information(p.reshape(nx, ny * nz))          # X against the pair (Y, Z)
        i_x_z = mutual_information(p.sum(axis=1))
        i_x_y_given_z = conditional_mutual_information(p)
        gain.append(i_x_yz - i_x_z)
        ident.append(abs(i_x_yz - i_x_z - i_x_y_given_z))            # the chain rule
        cond.append(i_x_y_given_z - mutual_information(p.sum(axis=2)))   # conditioning on Z
    shape = joints[0].shape
    return Finding(
        verdict=theorem_verdict(-min(gain)), rule="theorem",
        instances=describe_instances(len(joints), "random joint distributions", **{
            "|X|": [shape[0]], "|Y|": [shape[1]], "|Z|": [shape[2]]}),
        evidence=(f"on {len(joints)} random joints of three variables, I(X; Y, Z) − I(X; Z) is never below "
                  f"{min(gain):.3g} bits: it is I(X; Y | Z) (chain rule, to {max(ident):.1e} bits), never "
                  f"negative. Observing more never hurts; conditioning is another matter: I(X; Y | Z) − "
                  f"I(X; Y) ranges from {min(cond):.3f} to {max(cond):.3f} bits on the same joints."),
        numbers={"joints": len(joints), "min I(X;Y,Z) − I(X;Z) [bits]": min(gain),
                 "max |I(X;Y,Z) − I(X;Z) − I(X;Y|Z)| [bits]": max(ident),
                 "min I(X;Y|Z) − I(X;Y) [bits]": min(cond), "max I(X;Y|Z) − I(X;Y) [bits]": max(cond)},
        decides='min I(X;Y,Z) − I(X;Z) [bits]',
    )
