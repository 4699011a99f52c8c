"""Claim checks of §4.7, agentic RL and model-based methods."""
from __future__ import annotations

import math

from infobandwidth.base.numerics import SLACK_BITS
from infobandwidth.book.claims.registry import (
    Finding,
    ceiling_verdict,
    claim,
    describe_instances,
    reading_verdict,
)
from infobandwidth.book.experiments.agentic import (
    ACCUMULATION,
    HORIZONS,
    INSTANCE,
    episode_rows,
    mdp_accumulation,
    token_advantage,
)

__all__ = ["ADVANTAGE_Z", "ADVANTAGE_RULE"]

#: A sampled advantage counts as positive when it exceeds this many standard errors.
ADVANTAGE_Z = 4.0
#: The rule of the advantage check, in one sentence.
ADVANTAGE_RULE = (f"holds if the model-based advantage is 0 within {SLACK_BITS:g} bits on the token MDP "
                  f"and exceeds {ADVANTAGE_Z:g} standard errors on every stochastic instance; fails "
                  "otherwise")


def _instances() -> str:
    return describe_instances(len(HORIZONS), "exact instances (enumerated episodes)",
                              **{"|𝒮|": [INSTANCE["n_states"]], "|𝒜|": [INSTANCE["n_actions"]],
                                 "T": list(HORIZONS)})


@claim("agentic-t-log-s", "4.7",
       "Observing the next states gives O(T log|𝒮|) bits per episode: log|𝒮| bits each step.")
def _t_log_s() -> Finding:
    rows = episode_rows()
    acc = mdp_accumulation()
    T = ACCUMULATION["horizon"]
    N = ACCUMULATION["n_episodes"]
    last_episode = float(acc.dynamics[N] - acc.dynamics[N - 1])
    # each reading as a share of the ceiling T log2|𝒮| (so the ceiling is 1)
    potential = ceiling_verdict(max(r.H_next / r.ceiling for r in rows), 1.0,
                                typical=min(r.H_next / r.ceiling for r in rows))
    first = ceiling_verdict(max(r.I_dynamics / r.ceiling for r in rows), 1.0,
                            typical=max(r.I_dynamics / r.ceiling for r in rows))
    later = ceiling_verdict(last_episode / (T * math.log2(INSTANCE["n_states"])), 1.0)
    return Finding(
        verdict=reading_verdict({"entropy of the next states": potential,
                                 "information about P, first episode": first,
                                 f"information about P, episode {N}": later}),
        rule="reading",
        instances=_instances() + f"; {acc.n_runs} sampled learners over {N} episodes (T = {T})",
        evidence=(f"as the entropy of the next states the ceiling is nearly reached "
                  f"({rows[-1].H_next:.2f} of {rows[-1].ceiling:.2f} bits at T = {rows[-1].T}); as "
                  f"information about the transitions a first episode gives {rows[-1].I_dynamics:.2f} "
                  f"bits, and the {N}-th only {last_episode:.3f}: the bits per episode shrink as the "
                  f"counts grow, so T log|𝒮| is a ceiling on the potential, not a rate of learning."),
        numbers={f"T log2|𝒮| (T = {rows[-1].T})": rows[-1].ceiling,
                 "H(next states)": rows[-1].H_next,
                 "I(τ;P), first episode": rows[-1].I_dynamics,
                 f"I(τ;P), episode {N} (T = {T})": last_episode},
        decides=(f"T log2|𝒮| (T = {rows[-1].T})", "I(τ;P), first episode"),
    )


@claim("agentic-model-based-advantage", "4.7",
       "With known deterministic transitions (the token MDP) a model-based learner has no information "
       "advantage; with unknown transitions it has one.")
def _advantage() -> Finding:
    tok = token_advantage()
    rows = episode_rows()
    gaps = [(r.I_total - r.model_free) / r.model_free_stderr for r in rows]
    ok = abs(tok["advantage"]) <= SLACK_BITS and min(gaps) > ADVANTAGE_Z
    return Finding(
        verdict="holds" if ok else "fails", rule=ADVANTAGE_RULE,
        instances=("token MDP |𝒱| = 2, T = 3 (match count, 8 strings), exact; " + _instances()
                   + ", model-free bits sampled"),
        evidence=(f"on the token MDP the next states are functions of the tokens, and the learner that "
                  f"sees them learns exactly what the return tells ({tok['model_based']:.3f} bits, "
                  f"advantage {tok['advantage']:.0f}); with unknown transitions the model-based "
                  f"learner gets {rows[-1].I_total:.2f} bits at T = {rows[-1].T} against "
                  f"{rows[-1].model_free:.3f} for a learner that uses its actions and the return."),
        numbers={"token MDP advantage [bits]": tok["advantage"],
                 f"model-based I(τ,G;P,ξ), T = {rows[-1].T}": rows[-1].I_total,
                 f"model-free I(a_0:T-1,G;P,ξ), T = {rows[-1].T}": rows[-1].model_free,
                 "smallest advantage / s.e.": min(gaps)},
        decides=("token MDP advantage [bits]", "smallest advantage / s.e."),
    )
