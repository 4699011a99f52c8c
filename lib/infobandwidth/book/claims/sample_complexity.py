"""Claim checks of §4.3, sample complexity."""
from __future__ import annotations

from infobandwidth.book.claims.registry import Finding, claim, describe_instances, lower_bound_verdict
from infobandwidth.learning.sample_complexity import exact_match_summary

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = []



@claim("sample-complexity-h-over-c", "4.3",
       "Policy gradient needs on the order of H(π*)/c episodes, c = 1–4 bits per episode.")
def _sample_complexity() -> Finding:
    s = exact_match_summary(2, 12)
    ratio = s["ideal_sparse"] / s["bound_sparse"]
    return Finding(
        verdict=lower_bound_verdict(s["ideal_sparse"], s["bound_sparse"]), rule="lower-bound",
        instances=describe_instances(1, "instance (a hidden string, exact match)", V=[s["V"]],
                                     T=[s["T"]], n_xi=[s["V"] ** s["T"]]),
        evidence=(f"H/c is a lower bound only: on a hidden 12-bit string with a binary reward an ideal "
                  f"learner needs {s['ideal_sparse']:.0f} episodes, {ratio:.0f}× the bound."),
        numbers={"H(ξ) [bits]": s["H_xi"], "bound H/1": s["bound_sparse"],
                 "ideal learner": s["ideal_sparse"], "ratio": ratio},
    )
