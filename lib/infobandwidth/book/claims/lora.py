"""Claim checks of §4.2, why LoRA works (the page ``book/part4/lora.md``).

The accumulation checks compute on the exact instances of
:mod:`infobandwidth.book.experiments.lora` (:data:`~infobandwidth.book.experiments.lora.ACCUMULATION_CASES`,
both learners); the capacity checks redo the article's arithmetic exactly (integers and sympy
rationals) and on the published Llama 2 shapes.
"""
from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from infobandwidth.book.claims.registry import (
    EQUAL_SHARE,
    ORDER_SHARE,
    Finding,
    ceiling_verdict,
    claim,
    counterexample_verdict,
    describe_instances,
    factor_verdict,
    reading_verdict,
    theorem_verdict,
)
from infobandwidth.book.experiments.lora import (
    ACCUMULATION_CASES,
    ARTICLE,
    LLAMA2_7B,
    accumulation,
    accumulation_table,
    adapter_parameters,
    byte_sizes,
    case_family,
)

#: The instances and numbers of the checks, for the chapter to show (the checks register
#: themselves with the registry and are not exported).
__all__ = ["linear_ratios", "capacity_numbers"]

_POLICIES = ("uniform", "posterior_sampling")


def _sizes(cases=ACCUMULATION_CASES, what="instances (family × learner)") -> str:
    fams = [case_family(c) for c in cases]
    return describe_instances(len(cases) * len(_POLICIES), what, V=[c.V for c in cases],
                              T=[c.T for c in cases], B=[len(f.return_levels()) for f in fams],
                              n_xi=[f.n_xi for f in fams])


@claim("lora-accumulation-ceilings", "4.2",
       "Each return adds at most O(1) bits about π*, and the total can never exceed H(π*).")
def _ceilings() -> Finding:
    worst, n_terms = 0.0, 0
    for case in ACCUMULATION_CASES:
        for pol in _POLICIES:
            a = accumulation(case, pol)
            worst = max(worst, float(np.max(a.new_pi_star - a.log2_levels)),
                        float(np.max(a.total_pi_star - a.H_pi_star)),
                        float(np.max(a.total_xi - a.H_xi)), float(np.max(-a.new_pi_star)))
            n_terms += a.N
    return Finding(
        verdict=theorem_verdict(worst), rule="theorem", instances=_sizes(),
        evidence=(f"on every instance each episode adds between 0 and log2 B bits and the running "
                  f"total stays below H(π*) (and below H(ξ) for ξ); the largest violation over "
                  f"{n_terms} episodes is {worst:.1e} bits."),
        numbers={"episodes checked": n_terms, "largest violation [bits]": worst},
        decides='largest violation [bits]',
    )


@functools.lru_cache(maxsize=None)
def linear_ratios() -> dict:
    """``I_total(n) / (n · c₁)`` for every ``n`` with ``n · c₁ < H(π*)``, per (case label, learner).

    Examples
    --------
    >>> r = linear_ratios()
    >>> min(min(v) for v in r.values()) < EQUAL_SHARE < 1
    True
    """
    out = {}
    for case in ACCUMULATION_CASES:
        for pol in _POLICIES:
            a = accumulation(case, pol)
            c1 = float(a.new_pi_star[0])
            n = a.linear_regime()
            out[(case.label, pol)] = tuple(float(a.total_pi_star[k] / (k * c1)) for k in n)
    return out


@claim("lora-linear-accumulation", "4.2",
       "While N·c < H(π*), the information accumulated is about N·c bits for a constant c.")
def _linear() -> Finding:
    ratios = [x for v in linear_ratios().values() for x in v]
    lo, hi = min(ratios), max(ratios)

    def within(share):
        return "holds" if share <= lo and hi <= 1 / share else "fails"

    outcomes = {"a constant rate (within 10 %)": within(EQUAL_SHARE),
                "the right order (within a factor 2)": within(ORDER_SHARE)}
    return Finding(
        verdict=reading_verdict(outcomes), rule="reading", instances=_sizes(),
        evidence=(f"with c the first episode's bits, I_total(n)/(n·c) ranges over [{lo:.2f}, {hi:.2f}] "
                  f"in the regime n·c < H(π*): the total grows like N·c to the right order, but the "
                  f"rate is not constant — it falls for a learner that repeats itself and can rise "
                  f"when the first return is uninformative."),
        numbers={"smallest I_total/(n·c)": lo, "largest I_total/(n·c)": hi,
                 **{f"reading: {k}": v for k, v in outcomes.items()}},
        decides=('smallest I_total/(n·c)', 'largest I_total/(n·c)'),
    )


@claim("lora-c-range", "4.2",
       "The information per episode is c ∈ [1, 4] bits, depending on how distinguishable rewards are.")
def _c_range() -> Finding:
    rows = accumulation_table().rows
    c1 = np.array([r["c1"] for r in rows])
    outside = [r for r in rows if not 1 <= r["c1"] <= 4]
    binary = max(r["c1"] for r in rows if r["B"] == 2)
    multi = [r["c1"] for r in rows if r["B"] > 2]
    levels = sorted({r["B"] for r in rows if r["B"] > 2})
    later = max(float(accumulation(r["case"], r["policy"]).new_pi_star[1:].max()) for r in rows)
    return Finding(
        verdict=counterexample_verdict(bool(outside)), rule="counterexample", instances=_sizes(),
        evidence=(f"c is capped by log2 B, not pinned to [1, 4]: the first episode's bits range from "
                  f"{c1.min():.2f} to {c1.max():.2f}; every binary reward gives less than 1 bit (at "
                  f"most {binary:.2f}), rewards with {levels[0]} to {levels[-1]} levels give {min(multi):.2f}–"
                  f"{max(multi):.2f} bits, and from the second episode on no instance reaches 1 bit "
                  f"(largest {later:.2f})."),
        numbers={"smallest c₁ [bits]": float(c1.min()), "largest c₁ [bits]": float(c1.max()),
                 "largest c₁, binary reward": binary, "largest bits, episodes 2–12": later,
                 "instances outside [1, 4]": len(outside)},
        decides='largest c₁, binary reward',
    )


@claim("lora-2000-bits", "4.2",
       "With c = 2 bits per episode (4-level rewards), 1,000 episodes deliver about 2,000 bits "
       "(250 bytes).")
def _two_thousand() -> Finding:
    four = [c for c in ACCUMULATION_CASES if len(case_family(c).return_levels()) == 4]
    tops, totals = [], []
    for case in four:
        for pol in _POLICIES:
            a = accumulation(case, pol)
            tops.append(float(a.new_pi_star.max()))
            totals.append(float(a.total_pi_star[-1]))  # already H(π*): more episodes add nothing
    N, c = ARTICLE["N_small"], ARTICLE["c"]
    arithmetic_ok = sp.Integer(N * c) == ARTICLE["bits_small"] and \
        byte_sizes(N * c)["bytes"] == ARTICLE["bytes_small"]
    typical = max(totals) / N
    return Finding(
        verdict=ceiling_verdict(max(tops), c, typical=typical), rule="ceiling",
        instances=_sizes(four, "instances with 4 reward levels (family × learner)"),
        evidence=(f"the arithmetic is right (2,000 bits = 250 bytes: {arithmetic_ok}) and 2 bits is "
                  f"the most a 4-level return can carry, but no episode reaches it (best "
                  f"{max(tops):.2f} bits) and the total stops at H(π*) = {max(totals):.0f} bits: "
                  f"N·c is a ceiling that needs H(π*) ≥ 2,000 bits to be reached."),
        numbers={"best episode [bits]": max(tops), "I_total(1000) [bits]": max(totals),
                 "average bits per episode over 1,000": typical},
        decides='I_total(1000) [bits]',
    )


# ============================================================================ capacity
@functools.lru_cache(maxsize=None)
def capacity_numbers() -> dict:
    """The article's capacity arithmetic, recomputed exactly.

    Examples
    --------
    >>> n = capacity_numbers()
    >>> n["params"], n["storage_bits"], n["storage"]["KiB"], n["info_large"]["kB"]
    (65536, 2097152, 256, 5/2)
    """
    r, d, b = ARTICLE["r"], ARTICLE["d"], ARTICLE["bits_per_parameter"]
    params = adapter_parameters(d, d, r)
    storage_bits = b * params
    info_small = ARTICLE["c"] * ARTICLE["N_small"]
    info_large = ARTICLE["c"] * ARTICLE["N_large"]
    return {
        "params": params, "storage_bits": storage_bits, "storage": byte_sizes(storage_bits),
        "info_small_bits": info_small, "info_large_bits": info_large,
        "info_small": byte_sizes(info_small), "info_large": byte_sizes(info_large),
        "ratio_large": sp.Rational(storage_bits, info_large),
        "ratio_small": sp.Rational(storage_bits, info_small),
        "ratio_mixed_units": sp.Rational(ARTICLE["storage_kb"]) / ARTICLE["kb_large"],
        "episodes_for_10x": sp.Rational(storage_bits, 10 * ARTICLE["c"]),
        "ratio_7b": sp.Rational(ARTICLE["M"] * b, ARTICLE["bits_small"]),
        "ratio_llama2_7b": sp.Rational(LLAMA2_7B.n_parameters * b, ARTICLE["bits_small"]),
    }


_ARITH = describe_instances(1, "instance (the article's arithmetic)", r=[ARTICLE["r"]], d=[ARTICLE["d"]])


@claim("lora-adapter-size", "4.2",
       "A rank-r adapter on a d × d layer has 2rd parameters and 64rd bits of FP32 storage: "
       "65,536 parameters and 2,097,152 bits for r = 8, d = 4096.")
def _adapter_size() -> Finding:
    n = capacity_numbers()
    r, d, b = sp.symbols("r d b", positive=True)
    symbolic = sp.simplify(32 * adapter_parameters(d, d, r) - 64 * r * d)
    worst = float(abs(symbolic.subs({r: 1, d: 1})) + abs(n["params"] - ARTICLE["params"])
                  + abs(n["storage_bits"] - ARTICLE["storage_bits"]))
    return Finding(
        verdict=theorem_verdict(worst), rule="theorem", instances=_ARITH,
        evidence=(f"B (d × r) and A (r × d) hold 2rd numbers, 32 bits each: 64rd bits; at r = 8, "
                  f"d = 4096 that is {n['params']:,} parameters and {n['storage_bits']:,} bits."),
        numbers={"parameters": n["params"], "storage [bits]": n["storage_bits"],
                 "bits per parameter": ARTICLE["bits_per_parameter"]},
        decides='storage [bits]',
    )


@claim("lora-units", "4.2",
       "The adapter's 2,097,152 bits are 256 KB; the 20,000 bits of 10,000 episodes are 2.5 KB.")
def _units() -> Finding:
    n = capacity_numbers()
    outcomes, nums = {}, {}
    for unit in ("kB", "KiB"):
        store, info = float(n["storage"][unit]), float(n["info_large"][unit])
        close = all(EQUAL_SHARE <= x / y <= 1 / EQUAL_SHARE
                    for x, y in ((store, ARTICLE["storage_kb"]), (info, float(ARTICLE["kb_large"]))))
        outcomes[f"KB = {'1000' if unit == 'kB' else '1024'} bytes"] = "holds" if close else "fails"
        nums[f"storage [{unit}]"], nums[f"information [{unit}]"] = store, info
    return Finding(
        verdict=reading_verdict(outcomes), rule="reading", instances=_ARITH,
        evidence=("both sizes are right to within 2.4 % in either unit, but exact only when the "
                  "article's 256 KB is read as KiB (1024 bytes) and its 2.5 KB as kB (1000 bytes): "
                  "it mixes the two units."),
        numbers=nums,
        decides=('storage [KiB]', 'information [kB]'),
    )


@claim("lora-ratio-100x", "4.2",
       "LoRA storage over RL information is 256 KB / 2.5 KB ≈ 100×.")
def _ratio_100() -> Finding:
    n = capacity_numbers()
    ratio = float(n["ratio_large"])
    return Finding(
        verdict=factor_verdict([ratio], ARTICLE["ratio"]), rule="factor", instances=_ARITH,
        evidence=(f"2,097,152 bits over 20,000 bits (N = 10,000, c = 2) is {ratio:.1f}×; the "
                  f"article's 256/2.5 = {float(n['ratio_mixed_units']):.1f} divides KiB by kB."),
        numbers={"ratio (bits / bits)": ratio, "ratio as the article divides": float(n["ratio_mixed_units"]),
                 "ratio at N = 1,000": float(n["ratio_small"])},
        decides='ratio (bits / bits)',
    )


@claim("lora-ratio-10x", "4.2",
       "Even for N = 10,000 episodes (about 20 KB of information) LoRA has about 10× excess capacity.")
def _ratio_10() -> Finding:
    n = capacity_numbers()
    kb, ratio = float(n["info_large"]["kB"]), float(n["ratio_large"])
    off = max(ARTICLE["kb_at_large"] / kb, ratio / ARTICLE["ratio_at_large"])
    return Finding(
        verdict="fails" if off > 1 / EQUAL_SHARE else "holds",
        rule=(f"fails if a number the claim states is off by more than a factor {1 / EQUAL_SHARE:.2f} "
              f"(1/EQUAL_SHARE) from the computed one; holds otherwise"),
        instances=_ARITH,
        evidence=(f"20,000 bits is {kb:g} kB, not 20 KB (bits read as bytes, a factor 8), and the "
                  f"excess at N = 10,000 is the {ratio:.0f}× of the previous claim; 10× would take "
                  f"about {float(n['episodes_for_10x']):,.0f} episodes at c = 2."),
        numbers={"information at N = 10,000 [kB]": kb, "excess at N = 10,000": ratio,
                 "episodes for a 10× excess": float(n["episodes_for_10x"])},
        decides='excess at N = 10,000',
    )


@claim("lora-7b-ratio", "4.2",
       "A 7B-parameter model holds 7B × 32 bits, about 100,000,000× the 2,000 bits policy gradient "
       "delivers.")
def _ratio_7b() -> Finding:
    n = capacity_numbers()
    art, real = float(n["ratio_7b"]), float(n["ratio_llama2_7b"])
    return Finding(
        verdict=factor_verdict([art, real], ARTICLE["ratio_7b"]), rule="factor",
        instances=describe_instances(2, "models (7 × 10⁹ parameters; Llama-2-7B)",
                                     M=[7 * 10**9, LLAMA2_7B.n_parameters]),
        evidence=(f"7 × 10⁹ × 32 / 2,000 = {art:.3g}, and with Llama-2-7B's "
                  f"{LLAMA2_7B.n_parameters:,} weights {real:.3g}; note the divisor is the "
                  f"information of N = 1,000 episodes, while the LoRA ratio used N = 10,000."),
        numbers={"ratio, 7 × 10⁹ parameters": art, "ratio, Llama-2-7B": real},
        decides='ratio, Llama-2-7B',
    )

