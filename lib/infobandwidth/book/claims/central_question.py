"""Claim checks of Part 1, the central question (chapter ``book/part1/central-question.md``)."""
from __future__ import annotations

from infobandwidth.book.claims.registry import Finding, ceiling_verdict, claim, describe_instances
from infobandwidth.learning.sample_complexity import exact_match_summary

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = []



@claim("one-bit-per-episode", "1",
       "Policy gradient receives roughly one bit (at most log2 B bits) of information per episode.")
def _one_bit_per_episode() -> Finding:
    s = exact_match_summary(2, 8)
    bits_per_episode = s["H_xi"] / s["ideal_sparse"]
    return Finding(
        verdict=ceiling_verdict(bits_per_episode, 1.0), rule="ceiling",
        instances=describe_instances(1, "instance (a hidden string, exact match)", V=[s["V"]],
                                     T=[s["T"]], n_xi=[s["V"] ** s["T"]]),
        evidence=(f"log2 B is a ceiling; on a hidden 8-bit string the first binary reward carries "
                  f"{s['first_episode_bits_sparse']:.3g} bits and an ideal learner gains "
                  f"{bits_per_episode:.3g} bits per episode on average."),
        numbers={"H(ξ) [bits]": s["H_xi"], "first reward [bits]": s["first_episode_bits_sparse"],
                 "ideal learner episodes": s["ideal_sparse"], "bits per episode (ideal)": bits_per_episode},
        decides='bits per episode (ideal)',
    )
