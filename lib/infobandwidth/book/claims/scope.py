"""Claim checks of §4.5, scope and applicability."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.claims.registry import (
    RISE_BITS,
    Finding,
    claim,
    describe_instances,
    theorem_verdict,
)
from infobandwidth.book.experiments.scope import (
    DRIFT_MDP,
    GRADER_QS,
    HINT_MDP,
    HINTS,
    drift_rows,
    exploration_runs,
    hidden_grader,
    optimisation_gap,
)

__all__: list[str] = []

#: The rule of the drift check: the tracking bound, plus a positive floor wherever the task drifts.
DRIFT_RULE = ("holds if the steady-state uncertainty of the ideal observer is at least the drift's "
              "entropy rate minus log2 B on every η (within three standard errors) and above zero "
              "for every η > 0; fails otherwise")
EXPLORE_RULE = (f"holds if on an exact instance information-directed sampling gathers at least "
                f"{RISE_BITS:g} bits more in its first episode than both uniform and posterior "
                f"sampling, and identifies π* in fewer expected episodes; fails otherwise")
OPT_RULE = ("holds if on every task of the §3.1 runs REINFORCE reaches 0.9·J* later than its own "
            "data identify π*, and, on exact match, its policy holds fewer bits about ξ than the data at "
            "the episode the data identify ξ (medians over runs); fails otherwise")
HIDDEN_RULE = ("holds if a hidden grader lowers the bits per episode about π* for every q > 0 and "
               "drives them to zero at q = 1/2; fails otherwise")


@claim("scope-drift-tracking", "4.5",
       "For non-stationary objectives the effective bandwidth must also account for tracking a "
       "moving target.")
def _drift() -> Finding:
    rows = drift_rows()
    worst = max(r.bound - (r.floor + 3 * r.floor_se) for r in rows)
    positive = all(r.floor > 3 * r.floor_se for r in rows)
    verdict = theorem_verdict(max(worst, 0.0)) if positive else "fails"
    hi = max(rows, key=lambda r: r.eta)
    return Finding(
        verdict=verdict, rule=DRIFT_RULE,
        instances=describe_instances(len(rows), "drift probabilities (sampled exact filters)",
                                     V=[DRIFT_MDP[0]], T=[DRIFT_MDP[1]], n_xi=[DRIFT_MDP[0] ** DRIFT_MDP[1]]),
        evidence=(f"a drifting task creates H(ξ_n+1 | ξ_n) new bits per episode, from "
                  f"{rows[0].rate:.3f} at η = {rows[0].eta:g} to {hi.rate:.2f} at η = {hi.eta:g}; with "
                  f"the sparse return the observer never catches up: its uncertainty settles at "
                  f"{rows[0].floor:.3f} to {hi.floor:.2f} bits, never below rate − log2 B. A dense "
                  f"reward that names the task keeps it at 0."),
        numbers={**{f"η = {r.eta:g}: rate / floor": f"{r.rate:.3f} / {r.floor:.3f} ± {r.floor_se:.3f}"
                    for r in rows},
                 "largest (rate − log2 B) − floor": worst},
        decides='largest (rate − log2 B) − floor',
    )


@claim("scope-ids-bandwidth", "4.5",
       "Information-directed sampling or active learning would have different bandwidth properties.")
def _ids() -> Finding:
    runs = exploration_runs()
    h = HINTS[0]
    first = {r: float(runs[(h, r)].new_bits[0]) for r in ("uniform", "posterior_sampling", "ids")}
    n_id = {r: runs[(h, r)].episodes_to_identify for r in first}
    ok = (first["ids"] >= max(first["uniform"], first["posterior_sampling"]) + RISE_BITS
          and n_id["ids"] < min(n_id["uniform"], n_id["posterior_sampling"]))
    return Finding(
        verdict="holds" if ok else "fails", rule=EXPLORE_RULE,
        instances=describe_instances(len(runs), "exact (hint, rule) runs", V=[HINT_MDP[0]],
                                     T=[HINT_MDP[1]], n_xi=[HINT_MDP[0] ** HINT_MDP[1] - 1]),
        evidence=(f"with a hint string that never pays, IDS's first episode tells {first['ids']:.2f} "
                  f"bits about π*, against {first['posterior_sampling']:.2f} for posterior sampling and "
                  f"{first['uniform']:.2f} for uniform sampling; it identifies π* after "
                  f"{n_id['ids']:.2f} episodes on average against {n_id['posterior_sampling']:.2f} and "
                  f"{n_id['uniform']:.2f}. The bits per episode depend on the learner's choices, not "
                  f"only on the signal."),
        numbers={**{f"first-episode bits, {k}": v for k, v in first.items()},
                 **{f"episodes to identify, {k}": v for k, v in n_id.items()}},
        decides=('episodes to identify, ids', 'episodes to identify, posterior_sampling'),
    )


@claim("scope-optimisation-waste", "4.5",
       "Poor optimization can waste available bandwidth.")
def _optimisation() -> Finding:
    from infobandwidth.book.experiments.policy_gradient import chapter_runs

    rows = chapter_runs().rows
    slow = {r.label: r.reinforce_median / r.data_mean for r in rows}
    gap = optimisation_gap()
    end = {}
    for k, v in gap.items():
        i = int(np.flatnonzero(v["data"] >= np.log2(v["n_xi"]) - 1e-9)[0])
        end[k] = (float(v["data"][i]), float(v["policy"][i]), int(v["episodes"][i]))
    ok = all(s > 1 for s in slow.values()) and all(p < d for d, p, _ in end.values())
    return Finding(
        verdict="holds" if ok else "fails", rule=OPT_RULE,
        instances=describe_instances(len(rows), "tasks of §3.1 (6 REINFORCE runs each)",
                                     V=[3, 2], T=[3, 4]),
        evidence=(f"REINFORCE reaches 0.9·J* {min(slow.values()):.1f} to {max(slow.values()):.1f} "
                  f"times later than its data identify π*; on exact match its policy holds "
                  + ", ".join(f"{p:.2f} of the {d:.2f} bits its data hold at episode {n}"
                              for d, p, n in end.values())
                  + " (medians), when the data have identified ξ."),
        numbers={**{f"{k}: REINFORCE ÷ data": v for k, v in slow.items()},
                 **{f"{k}: bits in data / in policy": f"{d:.3f} / {p:.3f}" for k, (d, p, _) in end.items()}},
        decides='exact match, V=2, T=4: REINFORCE ÷ data',
    )


@claim("scope-hidden-variable", "4.5",
       "Under partial observability additional bandwidth is needed to infer hidden information.")
def _hidden() -> Finding:
    g = hidden_grader()
    bits = g["bits"]
    ok = bool((bits[1:] < bits[0]).all() and bits[-1] <= 1e-12 and g["q"][-1] == 0.5)
    return Finding(
        verdict="holds" if ok else "fails", rule=HIDDEN_RULE,
        instances=describe_instances(len(GRADER_QS), "grader probabilities q (exact)", V=[2], T=[2],
                                     n_xi=[4]),
        evidence=(f"an unseen grader who pays the opposite with probability q cuts I(G; π* | τ) from "
                  f"{bits[0]:.3f} bits to {bits[3]:.3f} at q = {g['q'][3]:g} and to 0 at q = 1/2; the "
                  f"fewest episodes H(π*)/I grow from {g['bound'][0]:.1f} to {g['bound'][3]:.1f} and "
                  f"without limit."),
        numbers={f"q = {q:g}: I(G;π*|τ)": b for q, b in zip(g["q"], bits)},
        decides='q = 0.2: I(G;π*|τ)',
    )
