"""Claim checks of §2.2, the Bayesian formulation (chapter ``book/part2/bayesian.md``)."""
from __future__ import annotations

import numpy as np

from infobandwidth.book.claims.registry import Finding, claim, counterexample_verdict, describe_instances
from infobandwidth.model.mdp import (
    TokenMDP,
)
from infobandwidth.model.optimal import optimal_policies, optimal_policy_counts
from infobandwidth.model.rewards import (
    exact_match,
    match_count,
    reward_table,
    token_utility,
)

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = ["unique_optimum_numbers"]



def _unique_optimum_families(V: int = 2, T: int = 3, seed: int = 0) -> dict:
    """The four reward families of the §2.2 check on ``TokenMDP(V, T)``, uniform priors."""
    mdp = TokenMDP(V, T)
    rng = np.random.default_rng(seed)
    return {
        "exact match": exact_match(mdp),
        "pass/fail match count": match_count(mdp, levels=2),
        "0/1 token utility": token_utility(mdp),
        "Gaussian rewards": reward_table(mdp, rng.normal(size=(mdp.n_trajectories, 64))),
    }


def unique_optimum_numbers(V: int = 2, T: int = 3, seed: int = 0) -> dict[str, float]:
    """The numbers of the §2.2 claim check on the unique-optimum assumption.

    On ``TokenMDP(V, T)`` with uniform priors: the prior mass of ξ whose optimal *trajectory* is
    tied, for four families (exact match; a pass/fail match count, ``levels=2``; 0/1 token
    utilities; a table of Gaussian rewards drawn with ``seed``, the "generic" case), and the
    smallest number of optimal deterministic *policies* of any ξ (:func:`optimal_policy_counts`).

    Returns
    -------
    dict
        Keys ``"tied: exact match"``, ``"tied: pass/fail match count"``,
        ``"tied: 0/1 token utility"``, ``"tied: Gaussian rewards"`` (fractions in [0, 1]) and
        ``"fewest optimal policies"``.

    Examples
    --------
    >>> n = unique_optimum_numbers()
    >>> n["tied: exact match"], n["tied: pass/fail match count"], n["fewest optimal policies"]
    (0.0, 1.0, 16)
    """
    fams = _unique_optimum_families(V, T, seed)
    out: dict[str, float] = {}
    fewest = None
    for name, fam in fams.items():
        opt = optimal_policies(fam)
        out[f"tied: {name}"] = float(fam.prior[opt.tied].sum())
        m = min(optimal_policy_counts(fam))
        fewest = m if fewest is None else min(fewest, m)
    out["fewest optimal policies"] = int(fewest)
    return out


@claim("unique-optimum", "2.2",
       "For every reward parameter ξ the optimal policy π*_ξ is unique; this holds generically "
       "(continuous action spaces, lexicographic tie-breaking, or enough structure in the reward).")
def _unique_optimum() -> Finding:
    n = unique_optimum_numbers()
    fewest = n["fewest optimal policies"]
    tied = {k[len("tied: "):]: v for k, v in n.items() if k.startswith("tied: ")}
    unique = fewest == 1 and max(tied.values()) == 0.0
    fams = list(_unique_optimum_families().values())
    return Finding(
        verdict=counterexample_verdict(not unique), rule="counterexample",
        instances=describe_instances(len(fams), "reward families", V=[f.mdp.V for f in fams],
                                     T=[f.mdp.T for f in fams], n_xi=[f.n_xi for f in fams]),
        evidence=(f"on V=2, T=3 every ξ has at least {fewest} optimal deterministic policies, because "
                  f"behaviour off the optimal path does not change J; even optimal trajectories tie "
                  f"for {tied['pass/fail match count']:.0%} of ξ with a pass/fail reward and "
                  f"{tied['0/1 token utility']:.1%} with 0/1 token utilities (0% only for exact match "
                  f"and Gaussian rewards). Uniqueness is a convention: π* = the optimal trajectory, "
                  f"ties broken lexicographically."),
        numbers=n,
    )
