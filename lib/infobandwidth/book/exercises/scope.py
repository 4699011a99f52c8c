"""Exercises of §4.5, *Scope and applicability* (``book/part4/scope.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The from-scratch drift filter: hidden string of T = 2 binary tokens, drift η, and a run.
SCRATCH = {"eta": 0.2, "episodes": 12, "seed": 3}


def scratch_data() -> dict:
    """A run on the drifting task: the strings played and the returns seen (the reader filters it)."""
    from infobandwidth.book.experiments.scope import drift_family

    rng = np.random.default_rng(SCRATCH["seed"])
    fam = drift_family()
    m, n = fam.n_xi, SCRATCH["episodes"]
    xi = int(rng.integers(m))
    taus, gs = [], []
    for i in range(n):
        if i and rng.random() < SCRATCH["eta"]:
            xi = int(rng.integers(m))
        tau = int(rng.integers(m))
        taus.append(tau)
        gs.append(float(tau == xi))
    return {"n_strings": m, "eta": SCRATCH["eta"], "trajectories": np.array(taus), "returns": np.array(gs)}


def scratch_solution() -> np.ndarray:
    """The library's filter on the same run: ``H(ξ_n | D_n)`` for ``n = 0 .. N``."""
    from infobandwidth.base.numerics import row_entropy_bits
    from infobandwidth.book.experiments.scope import drift_family
    from infobandwidth.signals.drift import filter_beliefs

    d = scratch_data()
    return row_entropy_bits(filter_beliefs(drift_family(), d["eta"], d["trajectories"], d["returns"]))


register(Exercise(
    id="scope/drift-filter",
    section="4.5",
    question="Filter a drifting hidden string in numpy: H(ξ_n | D_n) after each episode of the run.",
    solution=scratch_solution,
    data=scratch_data,
    compare=numbers_checker(
        [f"H(ξ_{i} | D_{i})" for i in range(SCRATCH["episodes"] + 1)],
        item_hints=["start from the uniform prior: 2 bits"] + [
            "before each episode after the first, mix: p ← (1 − η) p + η/m; then keep only the "
            "strings consistent with the return (G = 1: only τ; G = 0: all but τ) and renormalise"
        ] * SCRATCH["episodes"]),
    praise="A success pins the string down, but the drift blurs it again before the next episode: "
           "the observer never stays certain.",
))
