"""The claim registry: every check runs and names its rule; verdicts against independent expectations.

The verdict of a claim check is never tested by re-applying the check's own threshold to the check's
own numbers (such a test cannot fail on its own). Instead the key numbers are recomputed here, by
brute force or closed form on the same small instance, and the verdict is the one the mathematics
says it must have. The rules themselves are tested in ``test_claim_rules.py``; the §3.1 and §3.2
checks in ``test_policy_gradient.py`` and ``test_td_information.py``.
"""
from __future__ import annotations

import html
import itertools
import math
from pathlib import Path

import IPython.display
import numpy as np
import pytest
from infobandwidth.book.claims.registry import (
    _COLORS,
    RULES,
    VERDICTS,
    Finding,
    all_claims,
    evaluate,
    show_claim,
)


def show_claim_colour(verdict: str) -> str:
    return _COLORS[verdict]

#: Every registered claim, and the test module that checks its verdict against an independent
#: expectation. A new claim must be added here, with such a test.
VERDICT_TESTS = {
    "agentic-t-log-s": "test_agentic.py",
    "agentic-model-based-advantage": "test_agentic.py",
    "one-bit-per-episode": "test_claims.py",
    "unique-optimum": "test_claims.py",
    "dpi": "test_claims.py",
    "dpi-function": "test_claims.py",
    "dpi-function-entropy-reason": "test_claims.py",
    "more-variables-more-information": "test_claims.py",
    "effective-le-potential": "test_claims.py",
    "effective-bandwidth-measures-learning": "test_claims.py",
    "gap-is-noise": "test_claims.py",
    "sample-complexity-h-over-c": "test_claims.py",
    "sample-complexity-bound-vs-measured": "test_sample_complexity_chapter.py",
    "sample-complexity-article-pg": "test_sample_complexity_chapter.py",
    "sample-complexity-article-ac": "test_sample_complexity_chapter.py",
    "sample-complexity-article-gap": "test_sample_complexity_chapter.py",
    "pg-chain-log2B": "test_policy_gradient.py",
    "lora-rank1-rl": "test_lora.py",
    "lora-rank-sft": "test_lora.py",
    "lora-storage-vs-rl-bits": "test_lora.py",
    "pg-one-bit-per-episode": "test_policy_gradient.py",
    "pg-potential-1-to-3.3-bits": "test_policy_gradient.py",
    "pg-not-markov-chain": "test_policy_gradient.py",
    "pg-mi-le-entropy-by-dpi": "test_policy_gradient.py",
    "pg-equal-when-invertible": "test_policy_gradient.py",
    "ac-potential-bandwidth": "test_td_information.py",
    "ac-t-times-more-information-sparse": "test_td_information.py",
    "ac-t-times-more-information-dense": "test_td_information.py",
    "td-terminal-step-constant": "test_td_information.py",
    "critic-quality-table": "test_td_information.py",
    "td-correlation-factor": "test_td_information.py",
    "td-correlation-still-linear": "test_td_information.py",
    "lora-accumulation-ceilings": "test_accumulation.py",
    "lora-linear-accumulation": "test_accumulation.py",
    "lora-c-range": "test_accumulation.py",
    "lora-2000-bits": "test_accumulation.py",
    "lora-adapter-size": "test_accumulation.py",
    "lora-units": "test_accumulation.py",
    "lora-ratio-100x": "test_accumulation.py",
    "lora-ratio-10x": "test_accumulation.py",
    "lora-7b-ratio": "test_accumulation.py",
    "cmp-pg-1-to-4-bits": "test_comparison.py",
    "cmp-pg-constant": "test_comparison.py",
    "cmp-ac-t-bits": "test_comparison.py",
    "cmp-t-times-difference": "test_comparison.py",
    "cmp-250-1000x": "test_comparison.py",
    "scope-drift-tracking": "test_scope.py",
    "scope-ids-bandwidth": "test_scope.py",
    "scope-optimisation-waste": "test_scope.py",
    "scope-hidden-variable": "test_scope.py",
    "imp-sparse-dense": "test_implications.py",
    "imp-hybrid-t-over-k": "test_implications.py",
    "imp-ac-t-times": "test_implications.py",
    "imp-100x-fewer-samples": "test_implications.py",
    "imp-1000x-bandwidth": "test_implications.py",
    "imp-lora-rank-rule": "test_implications.py",
    "imp-multitask-n-times-k": "test_implications.py",
    "trade-density-compute": "test_trade_offs.py",
    "trade-prior-speed": "test_trade_offs.py",
    "trade-prior-surprisal": "test_trade_offs.py",
    "trade-lora-forgetting": "test_trade_offs.py",
}


def h2(p: float) -> float:
    return 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)


@pytest.fixture(scope="module")
def results():
    return {r.id: r for r in all_claims()}


# ------------------------------------------------------------------------------------ the registry
def test_every_registered_claim_evaluates(results):
    assert len(results) >= 2
    for r in results.values():
        assert r.verdict in VERDICTS and r.evidence and r.numbers
        assert r.section and r.statement


def test_every_claim_names_its_rule(results):
    for r in results.values():
        # a key of RULES, or the rule in its own sentence ("holds if ...; fails otherwise")
        assert r.rule in RULES or (len(r.rule.split()) >= 8 and "holds" in r.rule), r.id
        assert r.rule_text and r.rule_text == RULES.get(r.rule, r.rule)


def test_every_claim_states_the_size_of_its_instances(results):
    for r in results.values():
        # a count first ("72 instances, ...", "1 counterexample, ...", "entropy rate: 6 ...")
        assert r.instances and any(ch.isdigit() for ch in r.instances), r.id


def test_every_claim_has_an_independent_verdict_test(results):
    assert set(results) == set(VERDICT_TESTS)
    here = Path(__file__).parent
    for cid, module in VERDICT_TESTS.items():
        assert f'"{cid}"' in (here / module).read_text(encoding="utf-8"), (cid, module)


def test_show_claim_prints_the_rule(monkeypatch):
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    r = show_claim("one-bit-per-episode")
    (out,) = shown
    box = out.data
    assert "Verdict:" in box and "Rule:" in box and "Instances:" in box
    assert html.escape(RULES["ceiling"]) in box
    assert r.verdict_text in box and html.escape(r.instances) in box


def test_an_ill_defined_box_has_its_own_colour(monkeypatch):
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    r = show_claim("td-correlation-factor")
    box = shown[0].data
    assert r.verdict == "ill-defined" and "ill-defined: depends on the reading" in box
    colours = {v: show_claim_colour(v) for v in VERDICTS}
    assert len(set(colours.values())) == len(VERDICTS)             # one colour per verdict
    assert colours["ill-defined"] in box


def test_unknown_claim_lists_known_ones():
    with pytest.raises(ValueError, match="one-bit-per-episode"):
        evaluate("no-such-claim")


def test_finding_rejects_unknown_verdict():
    with pytest.raises(ValueError, match="verdict must be one of"):
        Finding(verdict="maybe", evidence="", rule="theorem")


# ------------------------------------------------------------------------------------ §1 and §4.3
def _ideal_episodes_by_brute_force(n: int) -> float:
    """Expected episodes to identify a uniform hidden string among ``n`` from a 0/1 exact-match
    reward: every order of testing and every target, a candidate known by elimination untested."""
    total, count = 0, 0
    for order in itertools.permutations(range(n)):
        for target in range(n):
            left, k = set(range(n)), 0
            for guess in order:
                if len(left) == 1:
                    break
                k += 1
                if guess == target:
                    break
                left.discard(guess)
            total, count = total + k, count + 1
    return total / count


def _ideal_episodes(n: int) -> float:
    # target at a uniform position K = 1..n; after n-1 misses the last one is known: (n-1)(n+2)/(2n)
    return (sum(range(1, n)) + (n - 1)) / n


def test_ideal_learner_closed_form_by_brute_force():
    for n in range(1, 7):
        assert _ideal_episodes_by_brute_force(n) == pytest.approx(_ideal_episodes(n))


def test_one_bit_per_episode_verdict(results):
    r = results["one-bit-per-episode"]
    n = 2**8                                              # a hidden 8-bit string
    assert r.numbers["H(ξ) [bits]"] == 8.0
    assert r.numbers["ideal learner episodes"] == pytest.approx(_ideal_episodes(n))
    assert r.numbers["bits per episode (ideal)"] == pytest.approx(8 / _ideal_episodes(n))
    assert r.numbers["first reward [bits]"] == pytest.approx(h2(1 / n))
    # a binary reward never carries more than 1 bit, and the ideal learner gets 8 bits in ~128
    # episodes, 0.06 bits each: one bit is a ceiling, an order of magnitude above the rate
    assert 8 / _ideal_episodes(n) < 0.1
    assert r.verdict == "bound" and r.rule == "ceiling"


def test_sample_complexity_verdict(results):
    r = results["sample-complexity-h-over-c"]
    n = 2**12
    assert r.numbers["bound H/1"] == 12.0
    assert r.numbers["ideal learner"] == pytest.approx(_ideal_episodes(n))
    # the ideal learner needs ~n/2 = 2048 episodes, 170 times H/c: a valid but very loose bound
    assert r.numbers["ratio"] == pytest.approx(_ideal_episodes(n) / 12)
    assert _ideal_episodes(n) / 12 > 100
    assert r.verdict == "bound" and r.rule == "lower-bound"


# ------------------------------------------------------------------------------------ §2.2
def _optimal_policy_counts(R: np.ndarray, V: int, T: int) -> np.ndarray:
    """For each column ξ of ``R`` (trajectories × ξ), how many deterministic policies (one token per
    prefix, prefixes numbered breadth-first) generate a trajectory of maximal reward."""
    n_prefix = (V**T - 1) // (V - 1)
    counts = np.zeros(R.shape[1], dtype=np.int64)
    for actions in itertools.product(range(V), repeat=n_prefix):
        node, traj = 0, 0
        for _t in range(T):
            tok = actions[node]
            traj = traj * V + tok
            node = node * V + 1 + tok            # breadth-first child of the prefix
        counts += R[traj] == R.max(axis=0)
    return counts


def test_unique_optimum_verdict(results):
    r = results["unique-optimum"]
    V, T = 2, 3
    paths = list(itertools.product(range(V), repeat=T))
    exact = np.array([[float(s == x) for x in paths] for s in paths])
    matches = np.array([[sum(a == b for a, b in zip(s, x)) for x in paths] for s in paths])
    passfail = (matches >= 2).astype(float)             # pass: at least 2 of 3 positions right
    utils = list(itertools.product((0.0, 1.0), repeat=T * V))
    token = np.array([[sum(u[t * V + s[t]] for t in range(T)) for u in utils] for s in paths])
    gauss = np.round(np.random.default_rng(0).normal(size=(V**T, 64)), 12)

    def tied(R):
        return float(np.mean((R == R.max(axis=0)).sum(axis=0) > 1))

    assert r.numbers["tied: exact match"] == tied(exact) == 0.0
    assert r.numbers["tied: pass/fail match count"] == tied(passfail) == 1.0
    # a 0/1 utility table ties unless both tokens differ at every one of the 3 positions
    assert r.numbers["tied: 0/1 token utility"] == tied(token) == 1 - 0.5**3
    assert r.numbers["tied: Gaussian rewards"] == tied(gauss) == 0.0
    fewest = min(int(_optimal_policy_counts(R, V, T).min()) for R in (exact, passfail, token, gauss))
    # a unique optimal trajectory still leaves the 4 prefixes off its path free: 2**4 policies
    assert fewest == 2 ** (7 - 3) == r.numbers["fewest optimal policies"]
    assert r.verdict == "fails" and r.rule == "counterexample"


# ------------------------------------------------------------------------------------ §2.5
def _exact_match_example():
    """Exact match on V=2, T=2, uniform prior and policy, S = G: by enumeration of (ξ, τ)."""
    joint = {}
    for xi, tau in itertools.product(range(4), repeat=2):
        joint[(xi, tau, int(xi == tau))] = 1 / 16

    def H(*axes):
        m = {}
        for k, p in joint.items():
            key = tuple(k[a] for a in axes)
            m[key] = m.get(key, 0.0) + p
        return -sum(p * math.log2(p) for p in m.values() if p > 0)

    XI, TAU, S = 0, 1, 2                     # π* = ξ here (the hidden string is the optimum)
    return {"H(S)": H(S), "I(S;π*)": H(S) + H(XI) - H(S, XI),
            "I(S;π*|τ)": H(S, TAU) + H(XI, TAU) - H(S, XI, TAU) - H(TAU),
            "H(S|ξ,τ)": H(S, XI, TAU) - H(XI, TAU),
            # one episode: a hit (1/4) leaves 0 bits, a miss leaves 3 equally likely strings
            "drop": 2 - 0.75 * math.log2(3)}


def test_exact_match_example_by_hand():
    e = _exact_match_example()
    assert e["H(S)"] == pytest.approx(h2(0.25)) and e["I(S;π*)"] == pytest.approx(0.0, abs=1e-12)
    assert e["I(S;π*|τ)"] == pytest.approx(h2(0.25)) and e["drop"] == pytest.approx(h2(0.25))


def test_effective_le_potential_verdict(results):
    r = results["effective-le-potential"]
    e = _exact_match_example()
    # I(S;π*) ≤ H(S) and H(S) − I(S;π*) = H(S|π*) are identities: nothing to violate
    assert r.numbers["max identity error [bits]"] == pytest.approx(0.0, abs=1e-12)
    assert r.numbers["min H(S) − I(S;π*) [bits]"] > 0
    # the chapter's example is among the instances, and there I(S;π*)/H(S) = 0
    assert e["I(S;π*)"] / e["H(S)"] == pytest.approx(0.0, abs=1e-12)
    assert r.numbers["min I(S;π*)/H(S)"] == pytest.approx(0.0, abs=1e-12)
    assert r.verdict == "holds" and r.rule == "theorem"


def test_effective_bandwidth_measures_learning_verdict(results):
    r = results["effective-bandwidth-measures-learning"]
    e = _exact_match_example()
    assert r.numbers["I(S;π*) [bits]"] == pytest.approx(e["I(S;π*)"], abs=1e-12)
    assert r.numbers["I(S;π*|τ) [bits]"] == pytest.approx(e["I(S;π*|τ)"])
    assert r.numbers["mean drop of H(π*) [bits]"] == pytest.approx(e["drop"])
    # an episode teaches h(1/4) = 0.81 bits while I(S;π*) = 0: a lower bound only
    assert r.numbers["min I(S;π*)/I(S;π*|τ)"] == pytest.approx(0.0, abs=1e-12)
    assert r.verdict == "bound"


def test_gap_is_noise_verdict(results):
    r = results["gap-is-noise"]
    e = _exact_match_example()
    assert r.numbers["H(S|π*) [bits]"] == pytest.approx(e["H(S)"] - e["I(S;π*)"])
    assert r.numbers["noise H(S|ξ,τ) [bits]"] == pytest.approx(e["H(S|ξ,τ)"], abs=1e-12) == 0.0
    # the whole gap, h(1/4) bits, is information a learner uses once it knows τ: not noise
    assert r.numbers["used by learner [bits]"] == pytest.approx(e["I(S;π*|τ)"] - e["I(S;π*)"])
    assert e["I(S;π*|τ)"] - e["I(S;π*)"] > 0.8
    assert r.verdict == "fails" and r.rule == "counterexample"


# ------------------------------------------------------------------------------------ §2.4
def _H(p) -> float:
    p = np.asarray(p, dtype=float).ravel()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def _I(pab) -> float:
    """I(A;B) of a 2-D table, from the three entropies."""
    pab = np.asarray(pab, dtype=float)
    return _H(pab.sum(axis=1)) + _H(pab.sum(axis=0)) - _H(pab)


def test_dpi_verdict(results):
    from infobandwidth.book.claims.data_processing import chain_instances

    r = results["dpi"]
    # a fair bit through BSC(a) then BSC(b) is a fair bit through BSC(a(1−b) + b(1−a)):
    # I(X;Y) − I(X;Z) = h(a*b) − h(a) ≥ 0, since a*b is at least as close to 1/2 as a
    grid = np.linspace(0, 1, 21)
    closed = [h2(a * (1 - b) + b * (1 - a)) - h2(a) for a in grid for b in grid]
    assert min(closed) >= -1e-12 and min(closed) == pytest.approx(0.0, abs=1e-12)
    inst = chain_instances()
    assert r.numbers["chains"] == len(inst) == len(grid) ** 2 + 300
    # every chain, with entropies computed here from scratch: X → Y → Z loses, never gains
    gaps = [_I(p.sum(axis=2)) - _I(p.sum(axis=1)) for _, p in inst]
    assert min(gaps) >= -1e-12
    assert r.numbers["min I(X;Y) − I(X;Z) [bits]"] == pytest.approx(min(gaps), abs=1e-12)
    # the fork of the evidence: Y = X through BSC(0.2), Z = X through BSC(0.1), separately
    assert r.numbers["fork: I(X;Z) − I(X;Y) [bits]"] == pytest.approx(h2(0.2) - h2(0.1))
    assert r.verdict == "holds" and r.rule == "theorem"


def test_dpi_function_verdict(results):
    r = results["dpi-function"]
    # Y = 2X' + N: f keeps all of I(X;Y) = I(X;X') iff f(Y) still tells X', i.e. the images of
    # {0, 1} (X' = 0) and {2, 3} (X' = 1) are disjoint; one-to-one functions are 4! of those
    keep = [f for f in itertools.product(range(4), repeat=4) if not {f[0], f[1]} & {f[2], f[3]}]
    assert r.numbers["functions keeping all of I(X;Y), chapter's Y"] == len(keep) == 84
    assert r.numbers["of which not one-to-one"] == len(keep) - math.factorial(4) == 60
    assert r.numbers["(joint, function) pairs"] == 21 * 4**4
    assert r.numbers["min I(X;Y) − I(X;f(Y)) [bits]"] >= -1e-12      # a theorem: nothing to break
    assert r.verdict == "holds" and r.rule == "theorem"


def test_dpi_entropy_reason_verdict(results):
    r = results["dpi-function-entropy-reason"]
    # [Y = 3] is 1 w.p. 1/4; given X = 1 w.p. 0.9·0.5, given X = 0 w.p. 0.1·0.5
    h_both = h2(0.25)
    i_both = h2(0.25) - 0.5 * (h2(0.45) + h2(0.05))
    assert r.numbers["[Y = 3]: H, I(X;·) [bits]"] == f"{h_both:.3f}, {i_both:.3f}"
    # Y mod 2 is the coin E: one bit of entropy, nothing about X
    assert r.numbers["Y mod 2: H, I(X;·) [bits]"] == "1.000, 0.000"
    # less entropy and more information: one such pair refutes "less entropy, so less information"
    assert h_both < 1 and i_both > 0
    assert r.numbers["… and I(X;f(Y)) > I(X;g(Y))"] > 0
    assert r.numbers["U: H, I(X;U) [bits]"] == "1.000, 1.000"
    assert r.numbers["M: H, I(X;M) [bits]"] == "2.000, 0.000"
    assert r.verdict == "fails" and r.rule == "counterexample"


def test_more_variables_verdict(results):
    from infobandwidth.book.claims.data_processing import random_joints

    r = results["more-variables-more-information"]
    joints = random_joints()
    # the same draws as the chapter's cell: default_rng(1), one Dirichlet(0.3) of 24 weights each
    rng = np.random.default_rng(1)
    assert np.array_equal(joints[0], rng.dirichlet(np.full(24, 0.3)).reshape(2, 3, 4))
    gains = [_I(p.reshape(2, 12)) - _I(p.sum(axis=1)) for p in joints]
    # I(X;Y,Z) − I(X;Z) = I(X;Y|Z) ≥ 0: the chain rule and non-negativity
    assert min(gains) >= 0
    assert r.numbers["min I(X;Y,Z) − I(X;Z) [bits]"] == pytest.approx(min(gains), abs=1e-12)
    # conditioning, unlike observing, can go either way (an XOR-like joint raises, a copy lowers)
    assert r.numbers["min I(X;Y|Z) − I(X;Y) [bits]"] < 0 < r.numbers["max I(X;Y|Z) − I(X;Y) [bits]"]
    assert r.verdict == "holds" and r.rule == "theorem"
