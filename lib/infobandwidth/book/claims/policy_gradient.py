"""Claim checks of §3.1, policy gradient (the pages ``book/part3/policy-gradient.md``,
``policy-gradient-bandwidth.md`` and ``policy-gradient-learning.md``).

Each check computes on exact instances of :mod:`infobandwidth.signals.returns` and of the chapter's
REINFORCE runs (:mod:`infobandwidth.book.experiments.policy_gradient`).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from infobandwidth.base.numerics import SLACK_BITS, ZERO_BITS, clean_bits
from infobandwidth.book.claims.registry import (
    EQUAL_SHARE,
    Finding,
    ceiling_verdict,
    claim,
    counterexample_verdict,
    describe_instances,
    share_verdict,
    theorem_verdict,
)
from infobandwidth.book.experiments.policy_gradient import (
    CHAIN_FAMILIES,
    ChainTable,
    _family_of,
    _median,
    chain_grid,
    chapter_runs,
)
from infobandwidth.model.mdp import (
    TokenMDP,
    behaviour_policy,
)
from infobandwidth.model.rewards import (
    family_label,
    make_family,
)
from infobandwidth.signals.observer import episode_information
from infobandwidth.signals.returns import (
    InformationChain,
    information_chain,
    markov_numbers,
)

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = ["claim_grid", "one_bit_numbers", "potential_numbers", "markov_instances", "invertible_numbers"]



def claim_grid() -> ChainTable:
    """The instances of the §3.1 chain claims: 3 families × V ∈ {2, 3} × T ∈ {2, 3} × B ∈ {2, 3, 4}
    × {uniform policy, token ``a`` w.p. 0.8}, uniform priors (72 rows).

    Examples
    --------
    >>> len(claim_grid().rows)
    72
    """
    return chain_grid(Vs=(2, 3), Ts=(2, 3), Bs=(2, 3, 4), policies=(None, 0.8))


@functools.lru_cache(maxsize=None)
def _n_xi(label: str, V: int, T: int) -> int:
    """|Ξ| of the chain family labelled ``label`` on ``TokenMDP(V, T)``."""
    name = {family_label(n): n for n in CHAIN_FAMILIES}[label]
    return make_family(name, TokenMDP(V, T)).n_xi


def _chain_sizes(rows, what: str = "instances") -> str:
    """The ``instances`` line of a check on :class:`InformationChain` rows."""
    return describe_instances(len(rows), what, V=[r.V for r in rows], T=[r.T for r in rows],
                              B=[r.B for r in rows], n_xi=[_n_xi(r.family, r.V, r.T) for r in rows])


@claim("pg-chain-log2B", "3.1",
       "The return of one episode tells at most log2 B bits about the optimal policy: "
       "I(G; π*) ≤ I(G; ξ) ≤ H(G) ≤ log2 B, so at most 1 bit with B = 2 levels and 2 bits with B = 4.")
def _chain_log2B() -> Finding:
    grid = claim_grid()
    s = grid.min_slacks()
    worst = min(s.values())
    rows = grid.rows
    learner_excess = max(r.I_G_pi_given_tau - r.log2_B for r in rows)
    learner_excess = clean_bits(learner_excess)
    at_ceiling = sum(r.I_G_xi_given_tau >= r.log2_B - SLACK_BITS for r in rows)
    violation = max(-worst, learner_excess, 0.0 if grid.all_hold() else float("inf"))
    return Finding(
        verdict=theorem_verdict(violation), rule="theorem", instances=_chain_sizes(rows),
        evidence=(f"on {len(rows)} exact instances every link holds (smallest slacks: "
                  f"log2 B − H(G) {s['log2 B − H(G)']:.3f}, H(G) − I(G;ξ) {s['H(G) − I(G;ξ)']:.3f}, "
                  f"I(G;ξ) − I(G;π*) {s['I(G;ξ) − I(G;π*)']:.3f} bits), and so does the learner's "
                  f"version I(G;π*|τ) ≤ I(G;ξ|τ) = H(G|τ) ≤ H(G). The ceiling is a theorem. What an "
                  f"episode teaches about ξ reaches it on {at_ceiling} of {len(rows)} instances, "
                  f"those whose B levels are equally likely given τ."),
        numbers={"instances": len(rows), **{f"min {k} [bits]": v for k, v in s.items()},
                 "max I(G;π*|τ) − log2 B [bits]": learner_excess,
                 "I(G;ξ|τ) = log2 B on": at_ceiling},
        decides='min log2 B − H(G) [bits]',
    )


def one_bit_numbers() -> dict[str, float]:
    """The numbers of the §3.1 "one bit per episode" check, from the binary tasks of
    :func:`chapter_runs` (exact match on 27 and 16 strings, 6 seeds each).

    Like is compared with like: information with information. Per run, the episode ``k`` after
    which the ideal observer of the run's data identified π* (``H(π* | D_k) = 0``), and
    ``H(π*) / k``, the bits about π* the data delivered per episode until then (the posterior
    entropy fell from ``H(π*)`` to 0 in ``k`` episodes); and the largest information any single
    episode was expected to carry (:func:`episode_information`). How fast REINFORCE then reaches
    0.9·J* is another event, and is not part of this check.

    Examples
    --------
    >>> n = one_bit_numbers()
    >>> 0 < n["median bits per episode, data"] <= n["max expected bits of one episode"] <= 1
    True
    """
    delivered, known, top = [], [], 0.0
    for row in chapter_runs().rows:
        if row.levels != 2:
            continue
        fam = _family_of(row)
        for c in row.summary.runs:
            hit = np.flatnonzero(c.entropy_pi_star <= ZERO_BITS)   # batch that determined π*
            stop = int(c.episodes[hit[0]]) if hit.size else len(c.trajectories)
            info = episode_information(fam, int(c.settings["xi"]), c.trajectories[:stop])
            k = info.first_known()
            known.append(k if k > 0 else math.inf)
            delivered.append(row.H_pi / k if k > 0 else 0.0)
            top = max(top, float(info.expected_pi.max()) if stop else 0.0)
    return {"runs": len(delivered),
            "median episodes to identify π*": _median(np.array(known)),
            "median bits per episode, data": _median(np.array(delivered)),
            "max expected bits of one episode": top, "log2 B": 1.0}


def _one_bit_sizes() -> str:
    """The ``instances`` line of the "one bit per episode" check: the binary runs and their tasks."""
    rows = [row for row in chapter_runs().rows if row.levels == 2]
    fams = [_family_of(row) for row in rows]
    return describe_instances(sum(row.runs for row in rows), f"REINFORCE runs on {len(rows)} binary tasks",
                              V=[f.mdp.V for f in fams], T=[f.mdp.T for f in fams],
                              n_xi=[f.n_xi for f in fams])


@claim("pg-one-bit-per-episode", "3.1",
       "With a good/bad return (B = 2), policy gradient learns about one bit of information per "
       "episode.")
def _one_bit_reinforce() -> Finding:
    n = one_bit_numbers()
    rate = n["median bits per episode, data"]
    return Finding(
        verdict=ceiling_verdict(n["max expected bits of one episode"], n["log2 B"], typical=rate),
        rule="ceiling", instances=_one_bit_sizes(),
        evidence=(f"REINFORCE on hidden strings of 27 and 16 candidates ({n['runs']} runs): no single "
                  f"episode was expected to carry more than {n['max expected bits of one episode']:.3f} "
                  f"bits about π*, and the data identified π* after a median "
                  f"{n['median episodes to identify π*']:g} episodes, delivering a median {rate:.3f} "
                  f"bits per episode until then. One bit is a ceiling, not a rate. (How long "
                  f"REINFORCE takes to reach 0.9·J* is a different event and is not counted here.)"),
        numbers=n,
        decides='median bits per episode, data',
    )


def potential_numbers() -> list[InformationChain]:
    """H(G) for B = 2..10 levels: match count and exact match on ``TokenMDP(2, 9)``, uniform policy.

    Examples
    --------
    >>> rows = potential_numbers()
    >>> len(rows), rows[0].B, rows[-1].B
    (18, 2, 10)
    """
    out = []
    for name in ("match_count", "exact_match"):
        fam = make_family(name, TokenMDP(2, 9))
        out += [information_chain(fam, B, label=family_label(name)) for B in range(2, 11)]
    return out


@claim("pg-potential-1-to-3.3-bits", "3.1",
       "With B = 2 to 10 distinguishable reward levels, the potential bandwidth of policy gradient "
       "is B_potential = H(G) = 1 to 3.3 bits per episode.")
def _potential() -> Finding:
    rows = potential_numbers()
    excess = max(r.H_G - r.log2_B for r in rows)
    ratios = [r.H_G / r.log2_B for r in rows]
    mc = [r for r in rows if r.family == "match count"]
    em = [r for r in rows if r.family == "exact match"]
    verdict = "fails" if excess > SLACK_BITS else share_verdict(min(ratios), 1.0, EQUAL_SHARE)
    return Finding(
        verdict=verdict, rule="near-ceiling", instances=_chain_sizes(rows),
        evidence=(f"H(G) ≤ log2 B on all {len(rows)} instances (hidden 9-token binary string, B = 2..10), "
                  f"but it equals log2 B only when the B levels are equally likely: with partial "
                  f"credit H(G) runs from {min(r.H_G for r in mc):.3f} to {max(r.H_G for r in mc):.3f} "
                  f"bits while log2 B runs from 1 to {max(r.log2_B for r in rows):.2f}; with exact "
                  f"match it is {em[0].H_G:.3f} bits whatever B is. log2 B is the ceiling of H(G), "
                  f"not its value."),
        numbers={"instances": len(rows), "max H(G) − log2 B [bits]": excess,
                 "min H(G)/log2 B": min(ratios), "H(G), match count, B=10 [bits]": mc[-1].H_G,
                 "H(G), exact match [bits]": em[0].H_G},
        decides='min H(G)/log2 B',
    )


def markov_instances() -> list[tuple[str, dict]]:
    """:func:`markov_numbers` for the three families on ``TokenMDP(2, 2)`` with a random current
    policy: token ``a`` w.p. 0.9 or w.p. 0.2 at every prefix, each with probability 1/2.

    Examples
    --------
    >>> [name for name, _ in markov_instances()]
    ['exact match', 'match count', 'token utility']
    """
    out = []
    for name, fam in _markov_families().items():
        pols = [behaviour_policy(fam.mdp, 0.9), behaviour_policy(fam.mdp, 0.2)]
        out.append((family_label(name), markov_numbers(fam, pols)))
    return out


def _markov_families() -> dict:
    """The three chain families on ``TokenMDP(2, 2)``, uniform priors (the Markov check)."""
    return {name: make_family(name, TokenMDP(2, 2)) for name in CHAIN_FAMILIES}


@claim("pg-not-markov-chain", "3.1",
       "G → ξ → π* is not a Markov chain, because G depends on ξ and on the policy π_θ while π* "
       "depends on ξ alone.")
def _not_markov() -> Finding:
    inst = markov_instances()
    cmi = max(n["I(G;π*|ξ)"] for _, n in inst)
    dep = min(n["I(G;π_θ|ξ)"] for _, n in inst)
    fams = list(_markov_families().values())
    return Finding(
        # the counterexample: a family on which G – ξ – π* *is* a Markov chain
        verdict=counterexample_verdict(cmi <= ZERO_BITS), rule="counterexample",
        instances=describe_instances(len(fams), "families, each with a random choice of 2 policies",
                                     V=[f.mdp.V for f in fams], T=[f.mdp.T for f in fams],
                                     n_xi=[f.n_xi for f in fams]),
        evidence=(f"with the current policy itself random (two candidates), G does depend on it "
                  f"(I(G;π_θ|ξ) ≥ {dep:.3f} bits) and yet I(G;π*|ξ) = {cmi:.3g} on all three families: "
                  f"G and π* are independent given ξ, which is exactly the Markov chain G – ξ – π* "
                  f"the data processing inequality needs. Once ξ is known π* is fixed, whatever else "
                  f"G depends on."),
        numbers={"families": len(inst), "max I(G;π*|ξ) [bits]": cmi,
                 "min I(G;π_θ|ξ) [bits]": dep},
        decides='min I(G;π_θ|ξ) [bits]',
    )


@claim("pg-mi-le-entropy-by-dpi", "3.1",
       "I(G; ξ) ≤ H(G) by the data processing inequality: compressing T tokens into one scalar can "
       "only lose information.")
def _mi_le_entropy() -> Finding:
    rows = claim_grid().rows
    slack = min(r.H_G - r.I_G_xi for r in rows)
    dpi_bound_larger = sum(r.H_xi + 0.0 > r.H_G + SLACK_BITS for r in rows)
    return Finding(
        verdict=theorem_verdict(-slack), rule="theorem", instances=_chain_sizes(rows),
        evidence=(f"the inequality holds on all {len(rows)} instances (smallest slack {slack:.3f} "
                  f"bits = H(G|ξ)), but it is the bound I(X;Y) ≤ H(X) of §2.3, true of any signal. "
                  f"Processing the compression (ξ, τ) → G only gives I(G;ξ) ≤ H(ξ), which is above "
                  f"H(G) on {dpi_bound_larger} of {len(rows)} instances."),
        numbers={"instances": len(rows), "min H(G) − I(G;ξ) [bits]": slack,
                 "H(ξ) > H(G) on": dpi_bound_larger},
        decides='min H(G) − I(G;ξ) [bits]',
    )


def invertible_numbers() -> dict[str, float]:
    """The §3.1 equality condition on a counterexample and on the claim grid.

    The counterexample: one token, ξ ∈ {a, b} uniform, ``R_ξ(τ) = 1`` iff ``τ ≠ ξ`` (so ``G`` is an
    invertible function of ξ once ``τ`` is fixed), uniform policy.

    Examples
    --------
    >>> n = invertible_numbers()
    >>> n["XOR: I(G;ξ) [bits]"], n["XOR: H(G) [bits]"], n["XOR: I(G;ξ|τ) [bits]"]
    (0.0, 1.0, 1.0)
    """
    c = information_chain(_xor_family(), 2, label="xor")
    rows = claim_grid().rows
    dev = max(abs(r.I_G_xi_given_tau - r.H_G_given_tau) for r in rows)
    not_invertible = sum(2 ** r.H_xi > r.n_used + 0.5 for r in rows)
    return {"XOR: I(G;ξ) [bits]": c.I_G_xi, "XOR: H(G) [bits]": c.H_G,
            "XOR: I(G;ξ|τ) [bits]": c.I_G_xi_given_tau, "XOR: H(G|τ) [bits]": c.H_G_given_tau,
            "instances": len(rows), "max |I(G;ξ|τ) − H(G|τ)| [bits]": dev,
            "G not invertible in ξ on": not_invertible}


def _xor_family():
    """One token, ξ ∈ {a, b} uniform, ``R_ξ(τ) = 1`` iff ``τ ≠ ξ``: the counterexample."""
    from infobandwidth.model.rewards import reward_table

    return reward_table(TokenMDP(2, 1), [[0, 1], [1, 0]], labels=["a", "b"])


@claim("pg-equal-when-invertible", "3.1",
       "I(G; ξ) and H(G) are equal when the return is an invertible function of ξ given the final "
       "state s_T.")
def _equal_when_invertible() -> Finding:
    n = invertible_numbers()
    gap = n["XOR: H(G) [bits]"] - n["XOR: I(G;ξ) [bits]"]
    xor = _xor_family()
    return Finding(
        verdict=counterexample_verdict(gap > SLACK_BITS), rule="counterexample",
        instances=(describe_instances(1, "counterexample", V=[xor.mdp.V], T=[xor.mdp.T],
                                      n_xi=[xor.n_xi])
                   + f"; {_chain_sizes(claim_grid().rows, 'grid instances')}"),
        evidence=(f"a one-token task whose return is 1 iff the answer differs from ξ is invertible in ξ "
                  f"for each answer, yet under a uniform policy I(G;ξ) = {n['XOR: I(G;ξ) [bits]']:.3f} "
                  f"while H(G) = {n['XOR: H(G) [bits]']:.3f} bit. What holds is the conditional "
                  f"identity I(G;ξ|τ) = H(G|τ) (here {n['XOR: I(G;ξ|τ) [bits]']:.3f} bit), and it "
                  f"needs only a deterministic reward: on all {n['instances']} grid instances the "
                  f"two sides differ by at most {n['max |I(G;ξ|τ) − H(G|τ)| [bits]']:.1g} bits, and "
                  f"in {n['G not invertible in ξ on']} of them G is not invertible."),
        numbers=n,
        decides='XOR: I(G;ξ) [bits]',
    )
