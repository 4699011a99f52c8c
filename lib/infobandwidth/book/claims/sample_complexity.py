"""Claim checks of §4.3, sample complexity."""
from __future__ import annotations

from infobandwidth.book.claims.registry import (
    Finding,
    claim,
    describe_instances,
    lower_bound_verdict,
    range_place,
    reading_verdict,
    theorem_verdict,
)
from infobandwidth.book.experiments.comparison import ARTICLE_LEVELS, closed_form
from infobandwidth.book.experiments.sample_complexity import (
    ARTICLE,
    IDEAL_TASKS,
    LONG_STRINGS,
    article_example,
    hidden_string_rows,
    ideal_rows,
)
from infobandwidth.learning.sample_complexity import exact_match_summary

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = ["ARTICLE_PG", "ARTICLE_AC", "ARTICLE_GAP", "sparse_ac_bits"]

#: The article's stated ranges (§4.3's example): episodes for PG and AC, and the gap between them.
ARTICLE_PG = (2_500.0, 10_000.0)
ARTICLE_AC = (10.0, 1_000.0)
ARTICLE_GAP = (10.0, 1_000.0)


def sparse_ac_bits(T: int = ARTICLE["T"]) -> dict[int, float]:
    """New bits per episode of actor-critic on §4.1's sparse match-count reward at horizon ``T``,
    graded in ``B`` levels, for every ``B`` of the article's 1–4 bits (closed form of §4.1)."""
    return {B: closed_form("ac-sparse", T, 2, B)[1] for B in ARTICLE_LEVELS}


def _article_instances(what: str) -> str:
    return describe_instances(1, what, H=[ARTICLE["H"]], T=[ARTICLE["T"]])


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
        decides='ratio',
    )


@claim("sample-complexity-bound-vs-measured", "4.3",
       "N ≥ (H(π*) − ε)/I_per-episode: no learner identifies π* in fewer episodes.")
def _bound_vs_measured() -> Finding:
    rows = ideal_rows() + hidden_string_rows()
    tightest = min(rows, key=lambda r: r.ratio)
    loosest = max(rows, key=lambda r: r.ratio)
    return Finding(
        verdict=lower_bound_verdict(tightest.measured, tightest.bound), rule="lower-bound",
        instances=describe_instances(len(rows), "exact (learner, task) pairs",
                                     V=[t[2] for t in IDEAL_TASKS] + [2],
                                     T=[t[3] for t in IDEAL_TASKS] + list(LONG_STRINGS)),
        evidence=(f"every exact count is at least the bound; the tightest is {tightest.learner} on "
                  f"{tightest.task} ({tightest.ratio:.2f}× the bound), the loosest {loosest.learner} on "
                  f"{loosest.task} ({loosest.ratio:.3g}×). The bound holds and is tight somewhere; "
                  f"it does not predict the count."),
        numbers={"smallest measured ÷ bound": tightest.ratio, "largest measured ÷ bound": loosest.ratio,
                 "tightest": f"{tightest.learner}, {tightest.task}",
                 "loosest": f"{loosest.learner}, {loosest.task}"},
        decides='smallest measured ÷ bound',
    )


@claim("sample-complexity-article-pg", "4.3",
       "With H(π*) ≈ 10,000 bits and 1–4 bits per episode, policy gradient needs ≳ 2,500 to 10,000 "
       "episodes.")
def _article_pg() -> Finding:
    ex = article_example()
    worst = max(abs(a - b) for a, b in zip(ex["pg"], ARTICLE_PG))
    return Finding(
        verdict=theorem_verdict(worst), rule="theorem",
        instances=_article_instances("illustrative example (arithmetic)"),
        evidence=(f"H/c at c = 4 and c = 1 is {ex['pg'][0]:,.0f} and {ex['pg'][1]:,.0f} episodes, the "
                  f"article's numbers (largest difference {worst:g}). The arithmetic is right; c = 1–4 "
                  f"is a ceiling, so these are the fewest episodes, not the expected ones."),
        numbers={"H/4": ex["pg"][0], "H/1": ex["pg"][1], "article": "2,500 to 10,000",
                 "largest difference": worst},
        decides='largest difference',
    )


@claim("sample-complexity-article-ac", "4.3",
       "With T = 1000, actor-critic needs ≳ 10 to 1,000 episodes, depending on critic quality.")
def _article_ac() -> Finding:
    ex = article_example()
    bits = sparse_ac_bits()
    sparse_N = [ARTICLE["H"] / b for b in bits.values()]
    outcomes = {"T to 10 new bits per episode (a dense reward)": range_place(ex["ac"], *ARTICLE_AC),
                "sparse reward, new bits of the TD errors (§4.1)": range_place(sparse_N, *ARTICLE_AC)}
    return Finding(
        verdict=reading_verdict(outcomes), rule="reading",
        instances=_article_instances("illustrative example (closed forms of §4.1 at T = 1000)"),
        evidence=(f"H/T = {ex['ac'][0]:g} and H/10 = {ex['ac'][1]:,.0f}: the range needs 10 to 1000 new "
                  f"bits per episode. With a sparse reward the TD errors of any fixed critic teach what "
                  f"the return teaches, {min(bits.values()):.3f}–{max(bits.values()):.3f} bits at T = 1000, "
                  f"so the bound is {min(sparse_N):,.0f}–{max(sparse_N):,.0f} episodes, as for policy "
                  f"gradient. The critic's quality does not move it; the reward's density does."),
        numbers={"H/T": ex["ac"][0], "H/10": ex["ac"][1],
                 **{f"sparse, B = {B}: new bits": b for B, b in bits.items()},
                 "sparse: bound range": f"{min(sparse_N):,.0f}–{max(sparse_N):,.0f}",
                 **{f"reading: {k}": v for k, v in outcomes.items()}},
        decides=('H/T', 'sparse: bound range'),
    )


@claim("sample-complexity-article-gap", "4.3",
       "Gap between policy gradient and actor-critic: 10× to 1000× improvement possible.")
def _article_gap() -> Finding:
    ex = article_example()
    bits = sparse_ac_bits()
    sparse_gap = [1.0 for _ in bits]        # same new bits per episode, same bound
    outcomes = {"PG at c = 1 bit": range_place(ex["gap_at_c1"], *ARTICLE_GAP),
                "PG at c = 1–4 bits (the article's own range)": range_place(ex["gap"], *ARTICLE_GAP),
                "same sparse reward for both (§4.1)": range_place(sparse_gap, *ARTICLE_GAP)}
    return Finding(
        verdict=reading_verdict(outcomes), rule="reading",
        instances=_article_instances("illustrative example (arithmetic and §4.1's closed forms)"),
        evidence=(f"10×–1000× is 10,000 episodes divided by 1,000 and by 10: policy gradient at c = 1. "
                  f"With the article's own c = 1–4 the ratio runs from {ex['gap'][0]:g}× to "
                  f"{ex['gap'][1]:,.0f}×. Given the same sparse reward, both learners get the same new bits "
                  f"per episode and the bounds are equal: 1×."),
        numbers={"gap at c = 1": f"{ex['gap_at_c1'][0]:g}×–{ex['gap_at_c1'][1]:,.0f}×",
                 "gap at c = 1–4": f"{ex['gap'][0]:g}×–{ex['gap'][1]:,.0f}×",
                 "gap, same sparse reward": "1×",
                 **{f"reading: {k}": v for k, v in outcomes.items()}},
        decides=('gap at c = 1–4', 'gap, same sparse reward'),
    )
