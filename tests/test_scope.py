"""§4.5: the drift filter, information-directed sampling and the chapter's claim checks, against
independent oracles (brute-force enumeration of drift paths, closed forms, a grid search)."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from infobandwidth.book.claims.registry import evaluate
from infobandwidth.learning.exploration import best_mix, exploration_curve, ids_distribution
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import exact_match
from infobandwidth.signals.drift import drift_entropy_rate, drift_filter, filter_beliefs


def H(p):
    p = np.asarray(p, float)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def _brute_drift(m: int, eta: float, N: int) -> list[float]:
    """E[H(ξ_n | D_n)] for a uniform hidden string among m (one token per string), uniform play,
    0/1 exact match: sum over every task path and every sequence of guesses (no filtering code)."""
    out = [math.log2(m)]
    for n in range(1, N + 1):
        joint = {}                                      # data -> vector p(ξ_n = x, data)
        for path in itertools.product(range(m), repeat=n):
            p_path = 1.0 / m
            for a, b in zip(path, path[1:]):
                p_path *= (1 - eta) * (a == b) + eta / m
            for guesses in itertools.product(range(m), repeat=n):
                data = tuple((g, int(g == x)) for g, x in zip(guesses, path))
                v = joint.setdefault(data, np.zeros(m))
                v[path[-1]] += p_path / m**n
        out.append(sum(v.sum() * H(v / v.sum()) for v in joint.values() if v.sum() > 0))
    return out


@pytest.mark.parametrize("eta", [0.0, 0.3, 1.0])
def test_exact_drift_filter_matches_brute_force(eta):
    fam = exact_match(TokenMDP(3, 1))
    c = drift_filter(fam, eta, 3, method="exact")
    assert np.allclose(c.entropy, _brute_drift(3, eta, 3), atol=1e-10)


def test_sampled_filter_agrees_with_exact_within_errors():
    fam = exact_match(TokenMDP(2, 2))
    ex = drift_filter(fam, 0.3, 5, method="exact")
    sa = drift_filter(fam, 0.3, 5, method="sample", n_runs=4000, seed=1)
    assert np.all(np.abs(ex.entropy - sa.entropy) <= 4 * sa.entropy_stderr + 1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 6), st.floats(0.0, 1.0))
def test_entropy_rate_closed_form(m, eta):
    stay, move = 1 - eta + eta / m, eta / m
    closed = H([stay] + [move] * (m - 1))
    assert drift_entropy_rate(np.full(m, 1 / m), eta) == pytest.approx(closed, abs=1e-12)


def test_filter_beliefs_by_hand():
    fam = exact_match(TokenMDP(2, 2))
    b = filter_beliefs(fam, 0.5, [0, 1], [0.0, 0.0])
    # after ruling out 0: (0, 1/3, 1/3, 1/3); drift: mix with 1/4 each; rule out 1; renormalise
    pred = 0.5 * np.array([0, 1 / 3, 1 / 3, 1 / 3]) + 0.5 * 0.25
    pred[1] = 0
    assert np.allclose(b[2], pred / pred.sum())
    with pytest.raises(ValueError, match="eta"):
        filter_beliefs(fam, 1.5, [0], [0.0])


def test_drift_floor_respects_the_tracking_bound():
    from infobandwidth.book.experiments.scope import drift_rows

    for r in drift_rows():
        assert r.floor + 3 * r.floor_se >= r.rate - 1.0          # c = log2 2 = 1 bit
        assert r.dense_floor == 0.0


@settings(max_examples=40, deadline=None)
@given(*[st.floats(0.01, 3.0) for _ in range(4)])
def test_best_mix_beats_a_grid(d1, g1, d2, g2):
    q, r = best_mix(d1, g1, d2, g2)
    grid = np.linspace(0, 1, 2001)
    vals = (grid * d1 + (1 - grid) * d2) ** 2 / (grid * g1 + (1 - grid) * g2)
    assert r <= vals.min() + 1e-9 and 0 <= q <= 1


def test_ids_on_a_symmetric_task_is_posterior_sampling():
    fam = exact_match(TokenMDP(2, 2))
    m = 4
    # posterior sampling never repeats: E[N] = (m − 1)(m + 2)/(2m)
    for rule in ("posterior_sampling", "ids"):
        assert exploration_curve(fam, rule, 6).episodes_to_identify == pytest.approx((m - 1) * (m + 2) / (2 * m))
    assert ids_distribution(fam, [0, 0, 0, 1]).tolist() == [0, 0, 0, 1]


def test_ids_plays_the_naming_hint_first():
    from infobandwidth.book.experiments.scope import hint_family

    fam = hint_family()
    assert ids_distribution(fam)[0] == 1.0                       # the string aaa
    c = exploration_curve(fam, "ids", 3)
    assert c.new_bits[0] == pytest.approx(math.log2(7))           # it names one of 7 targets
    assert c.regret[0] == pytest.approx(1 - np.mean(0.1 * np.arange(1, 8) / 7))


# ------------------------------------------------------------------------------------ claims
def test_drift_claim_verdict():
    r = evaluate("scope-drift-tracking")
    assert r.verdict == "holds"
    assert r.numbers["largest (rate − log2 B) − floor"] <= 0


def test_ids_claim_verdict():
    r = evaluate("scope-ids-bandwidth")
    assert r.verdict == "holds"
    assert r.numbers["first-episode bits, ids"] == pytest.approx(math.log2(7))
    p = 1 / 7                                                     # a hit among 7 candidates
    assert r.numbers["first-episode bits, posterior_sampling"] == pytest.approx(
        -(p * math.log2(p) + (1 - p) * math.log2(1 - p)))
    assert r.numbers["episodes to identify, posterior_sampling"] == pytest.approx(6 * 9 / 14)


def test_optimisation_claim_verdict():
    r = evaluate("scope-optimisation-waste")
    assert r.verdict == "holds"
    assert all(v > 1 for k, v in r.numbers.items() if k.endswith("REINFORCE ÷ data"))


def test_hidden_variable_claim_verdict():
    r = evaluate("scope-hidden-variable")
    assert r.verdict == "holds"
    p, q = 0.25, 0.2
    hb = lambda x: -(x * math.log2(x) + (1 - x) * math.log2(1 - x))   # noqa: E731
    assert r.numbers["q = 0.2: I(G;π*|τ)"] == pytest.approx(hb(p * (1 - q) + (1 - p) * q) - hb(q))
    assert r.numbers["q = 0.5: I(G;π*|τ)"] == pytest.approx(0.0, abs=1e-12)


def test_scratch_exercise_matches_library():
    from infobandwidth.book.exercises import get

    ex = get("scope/drift-filter")
    d = ex.data()
    p = np.full(4, 0.25)
    out = [H(p)]
    for n, (t, g) in enumerate(zip(d["trajectories"], d["returns"])):
        if n:
            p = (1 - d["eta"]) * p + d["eta"] / 4
        mask = (np.arange(4) == t) if g == 1 else (np.arange(4) != t)
        p = p * mask / (p * mask).sum()
        out.append(H(p))
    assert ex.compare(np.array(out), ex.solution()) is None
