"""Claim checks of §2.5, measuring information (chapter ``book/part2/measuring-information.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.base.numerics import SLACK_BITS
from infobandwidth.book.claims.registry import (
    Finding,
    claim,
    counterexample_verdict,
    describe_instances,
    share_verdict,
    theorem_verdict,
)
from infobandwidth.model.mdp import uniform_policy
from infobandwidth.signals.bandwidth import Bandwidth, signal_bandwidth

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = ["claim_instances"]



def claim_instances() -> list[tuple[str, Bandwidth]]:
    """The instances the §2.5 claim checks compute on: ``[(description, Bandwidth), ...]``.

    Three families on ``TokenMDP(2, 3)`` with uniform priors (exact match, match count, 0/1 token
    utilities) × four signals (return, return in 2 bins, return with 10% symmetric noise, dense
    rewards) × two behaviour policies (uniform; token ``a`` with probability 0.8 at every
    prefix), plus exact match on ``TokenMDP(2, 2)`` with a uniform policy, the chapter's example.

    Examples
    --------
    >>> inst = claim_instances()
    >>> len(inst), inst[0][0]
    (25, 'exact match V=2 T=2, return, uniform policy')
    """
    return [(name, signal_bandwidth(fam, sig, pol)) for name, fam, sig, pol in _instance_specs()]


def _instance_specs() -> list[tuple]:
    """``(description, family, signal, policy)`` of every instance of :func:`claim_instances`."""
    from infobandwidth.model.mdp import TokenMDP, table_policy
    from infobandwidth.model.rewards import exact_match, match_count, token_utility
    from infobandwidth.signals.signals import (
        DenseRewards,
        NoisySignal,
        QuantisedReturn,
        ReturnSignal,
    )

    small = _example_family()
    out = [(f"exact match V={small.mdp.V} T={small.mdp.T}, return, uniform policy", small,
            ReturnSignal(), uniform_policy(small.mdp))]
    mdp = TokenMDP(2, 3)
    policies = {"uniform policy": uniform_policy(mdp),
                "policy a w.p. 0.8": table_policy(mdp, np.tile([0.8, 0.2], (mdp.n_prefixes, 1)))}
    families = {"exact match": exact_match(mdp), "match count": match_count(mdp),
                "token utility": token_utility(mdp)}
    signals = {"return": ReturnSignal(), "2 bins": QuantisedReturn(2),
               "noisy return": NoisySignal(eps=0.1), "dense": DenseRewards()}
    for fn, fam in families.items():
        for sn, sig in signals.items():
            for pn, pol in policies.items():
                out.append((f"{fn} V={mdp.V} T={mdp.T}, {sn}, {pn}", fam, sig, pol))
    return out


def _example_family():
    """The chapter's example: exact match on ``TokenMDP(2, 2)``, uniform prior."""
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import exact_match

    return exact_match(TokenMDP(2, 2))


def _sizes(specs=None) -> str:
    """The ``instances`` line of the §2.5 checks: how many instances and how large."""
    specs = _instance_specs() if specs is None else specs
    fams = [fam for _, fam, _, _ in specs]
    return describe_instances(len(specs), V=[f.mdp.V for f in fams], T=[f.mdp.T for f in fams],
                              n_xi=[f.n_xi for f in fams])


@claim("effective-le-potential", "2.5",
       "The effective bandwidth I(S; π*) is at most the potential bandwidth H(S), and the "
       "difference is the conditional entropy H(S | π*).")
def _effective_le_potential() -> Finding:
    inst = claim_instances()
    margin = min(b.H_S - b.I_S_pi for _, b in inst)
    worst_identity = max(abs(b.H_S - b.I_S_pi - b.H_S_given_pi) for _, b in inst)
    smallest_ratio = min(b.I_S_pi / b.H_S for _, b in inst if b.H_S > 0)
    return Finding(
        verdict=theorem_verdict(max(-margin, worst_identity)), rule="theorem", instances=_sizes(),
        evidence=(f"on {len(inst)} exact instances I(S;π*) ≤ H(S) (smallest margin {margin:.3f} bits) "
                  f"and H(S) − I(S;π*) = H(S|π*) to {worst_identity:.1e} bits: it is the bound "
                  f"I(X;Y) ≤ H(X) of §2.3. It can be far from tight: I(S;π*)/H(S) goes down to "
                  f"{smallest_ratio:.3g}."),
        numbers={"instances": len(inst), "min H(S) − I(S;π*) [bits]": margin,
                 "max identity error [bits]": worst_identity,
                 "min I(S;π*)/H(S)": smallest_ratio},
        decides='min H(S) − I(S;π*) [bits]',
    )


def _learning_numbers() -> dict[str, float]:
    """Exact match on V=2, T=2 with a uniform policy: I(S;π*), I(S;π*|τ) and the entropy drop."""
    from infobandwidth.signals.observer import expected_posterior_entropy

    fam = _example_family()
    b = signal_bandwidth(fam)
    curve = expected_posterior_entropy(fam, n_episodes=1, method="exact")
    return {"I(S;π*) [bits]": b.I_S_pi, "I(S;π*|τ) [bits]": b.I_S_pi_given_tau,
            "mean drop of H(π*) [bits]": float(curve.pi_star[0] - curve.pi_star[1]),
            "H(S|π*) [bits]": b.H_S_given_pi, "H(S|ξ,τ) [bits]": b.H_S_given_xi_tau}


@claim("effective-bandwidth-measures-learning", "2.5",
       "The effective bandwidth I(S; π*) measures how much one learning signal reduces the "
       "uncertainty about the optimal policy.")
def _effective_measures_learning() -> Finding:
    n = _learning_numbers()
    inst = claim_instances()
    # a learner sees τ: what it gains about π* is I(S;π*|τ); I(S;π*) is never larger (τ ⟂ π*)
    margin = min(b.I_S_pi_given_tau - b.I_S_pi for _, b in inst)
    ratio = min(b.I_S_pi / b.I_S_pi_given_tau for _, b in inst if b.I_S_pi_given_tau > 0)
    verdict = "fails" if theorem_verdict(-margin) == "fails" else share_verdict(ratio, 1.0)
    return Finding(
        verdict=verdict, rule="ceiling", instances=_sizes(),
        evidence=(f"a learner sees the trajectory it generated, so one episode removes I(S;π*|τ) bits "
                  f"about π* on average, not I(S;π*). Exact match, V=2, T=2, uniform policy: "
                  f"I(S;π*) = {n['I(S;π*) [bits]']:.3f} bits while H(π*) drops by "
                  f"{n['mean drop of H(π*) [bits]']:.3f} bits = I(S;π*|τ). On "
                  f"{len(inst)} instances I(S;π*) ≤ I(S;π*|τ) (smallest margin {margin:.3f} bits): "
                  f"a lower bound on what is learned, which can be 0 when learning is not."),
        numbers={**{k: v for k, v in n.items() if not k.startswith("H(")},
                 "instances": len(inst), "min I(S;π*|τ)−I(S;π*)": margin,
                 "min I(S;π*)/I(S;π*|τ)": ratio},
        decides='min I(S;π*)/I(S;π*|τ)',
    )


@claim("gap-is-noise", "2.5",
       "The gap H(S | π*) between potential and effective bandwidth is noise or task-irrelevant "
       "information.")
def _gap_is_noise() -> Finding:
    n = _learning_numbers()
    gap = n["H(S|π*) [bits]"]
    noise = n["H(S|ξ,τ) [bits]"]
    useful = n["I(S;π*|τ) [bits]"] - n["I(S;π*) [bits]"]
    fam = _example_family()
    return Finding(
        verdict=counterexample_verdict(useful > noise + SLACK_BITS), rule="counterexample",
        instances=describe_instances(1, "instance (the chapter's example, exact match)",
                                     V=[fam.mdp.V], T=[fam.mdp.T], n_xi=[fam.n_xi]),
        evidence=(f"exact match, V=2, T=2, uniform policy: the gap is {gap:.3f} bits, of which "
                  f"{noise:.3f} bits are noise (H(S|ξ,τ)) and {useful:.3f} bits are information about "
                  f"π* that a learner reads off once it knows which trajectory it played "
                  f"(I(S;π*|τ) − I(S;π*))."),
        numbers={"H(S|π*) [bits]": gap, "noise H(S|ξ,τ) [bits]": noise,
                 "used by learner [bits]": useful},
        decides='noise H(S|ξ,τ) [bits]',
    )
