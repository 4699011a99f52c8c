"""§4.1, the unified comparison: the reward-to-go signal, the table's rows, the closed forms and the
claim checks, against brute-force enumeration in plain Python and against scipy."""
from __future__ import annotations

import math
from collections import Counter
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from infobandwidth.book.claims.comparison import ROW_CLAIMS
from infobandwidth.book.claims.registry import evaluate
from infobandwidth.book.experiments.comparison import (
    ROWS,
    closed_form,
    comparison_table,
    fixed_critic,
    growth,
    quantised_binomial_bits,
    ratios,
    row_numbers,
)
from infobandwidth.book.figures.comparison import comparison_bars_values, growth_values
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import exact_match, match_count
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.signals import DenseRewards, ReturnSignal
from infobandwidth.signals.td import RewardToGoSignal
from scipy import stats


# ------------------------------------------------------------------------------------------------
# brute force: every (ξ, τ) pair, equally likely, in plain Python
# ------------------------------------------------------------------------------------------------
def _H(counter: Counter) -> float:
    n = sum(counter.values())
    return -sum(c / n * math.log2(c / n) for c in counter.values())


def _level(c: int, T: int, B: int) -> int:
    return min(B * c // T, B - 1)


def _brute_row(key: str, V: int, T: int, B: int) -> tuple[float, float]:
    """(H(S), H(S | τ)) of one row by enumeration; S is a function of (ξ, τ), so H(S|τ) is the new
    information (given the fixed critic, which depends on nothing)."""
    mdp = TokenMDP(V, T)
    critic = dict(zip(mdp.prefixes(), fixed_critic(mdp)))
    strings = list(product(range(V), repeat=T))
    everything, per_tau = Counter(), []
    for tau in strings:
        given_tau = Counter()
        for xi in strings:
            match = [int(a == b) for a, b in zip(tau, xi)]
            if key == "pg-return":
                s = _level(sum(match), T, B)
            elif key == "pg-rtg":
                s = tuple(round(sum(match[t:]) / T, 9) for t in range(T))
            else:
                if key == "ac-sparse":
                    r = [0.0] * (T - 1) + [_level(sum(match), T, min(B, T + 1)) / (min(B, T + 1) - 1)]
                else:
                    r = [m / T for m in match]
                values = [critic[tuple(tau[:t])] for t in range(T)] + [0.0]
                s = tuple(round(r[t] + values[t + 1] - values[t], 9) for t in range(T))
            everything[s] += 1
            given_tau[s] += 1
        per_tau.append(_H(given_tau))
    return _H(everything), float(np.mean(per_tau))


@pytest.mark.parametrize("V,T,B", [(2, 1, 2), (2, 2, 2), (2, 3, 4), (3, 2, 2), (3, 2, 3), (2, 4, 3)])
@pytest.mark.parametrize("key", [r.key for r in ROWS])
def test_rows_match_brute_force(key, V, T, B):
    row = row_numbers(key, V, T, B)
    H, H_given_tau = _brute_row(key, V, T, B)
    assert row.potential == pytest.approx(H, abs=1e-9)
    assert row.new == pytest.approx(H_given_tau, abs=1e-9)


@pytest.mark.parametrize("V,T,B", [(2, 3, 2), (2, 4, 4), (3, 2, 2), (3, 3, 5), (2, 5, 16)])
@pytest.mark.parametrize("key", [r.key for r in ROWS])
def test_closed_forms_match_the_enumeration(key, V, T, B):
    row = row_numbers(key, V, T, B)
    potential, new = closed_form(key, T, V, B)
    assert row.potential == pytest.approx(potential, abs=1e-9)
    assert row.new == pytest.approx(new, abs=1e-9)


def test_the_table_obeys_the_td_theorem_and_shares_the_dense_bits():
    for T in (2, 3, 4):
        t = comparison_table(2, T, 3)
        assert t.row("ac-sparse").new == pytest.approx(t.row("pg-return").new, abs=1e-9)
        assert t.row("ac-dense").new == pytest.approx(t.row("pg-rtg").new, abs=1e-9)
        assert t.row("ac-dense").new == pytest.approx(T, abs=1e-9)            # one fair coin per token
        for r in t.rows:
            assert r.new <= r.potential + 1e-9


def test_growth_is_the_table_at_each_horizon():
    g = growth((1, 2, 3), V=2, B=2)
    for key, v in g.items():
        assert v["T"].tolist() == [1, 2, 3]
        assert v["new"][2] == pytest.approx(comparison_table(2, 3, 2).row(key).new)
    assert np.allclose(g["ac-dense"]["potential"], [1, 3, 5])                 # (T-1) + T


# ------------------------------------------------------------------------------------------------
# the reward-to-go signal
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("gamma", [1.0, 0.5])
def test_rewards_to_go_are_discounted_tail_sums(gamma):
    fam = exact_match(TokenMDP(2, 3))
    table = RewardToGoSignal(dense=True, gamma=gamma).table(fam)
    dense = np.stack([fam.dense_rewards(x) for x in range(fam.n_xi)])
    for xi, tau, t in product(range(fam.n_xi), range(8), range(3)):
        expected = sum(gamma ** (k - t) * dense[xi, tau, k] for k in range(t, 3))
        assert table[xi, tau, t] == pytest.approx(expected)


def test_sparse_rewards_to_go_are_the_return_repeated():
    fam = match_count(TokenMDP(2, 3))
    table = RewardToGoSignal().table(fam)
    G = np.stack([fam.sparse_rewards(x) for x in range(fam.n_xi)])
    assert np.allclose(table, G[:, :, None])
    a = signal_bandwidth(fam, RewardToGoSignal())
    b = signal_bandwidth(fam, ReturnSignal())
    assert (a.H_S, a.I_S_xi_given_tau) == pytest.approx((b.H_S, b.I_S_xi_given_tau))


@pytest.mark.parametrize("family", [exact_match, match_count])
def test_dense_rewards_to_go_tell_what_the_rewards_tell(family):
    fam = family(TokenMDP(3, 2))
    a = signal_bandwidth(fam, RewardToGoSignal(dense=True))
    b = signal_bandwidth(fam, DenseRewards())
    for field in ("H_S", "I_S_xi", "I_S_pi", "I_S_xi_given_tau"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), abs=1e-9)


def test_reward_to_go_validates():
    fam = exact_match(TokenMDP(2, 2))
    with pytest.raises(ValueError, match="gamma"):
        RewardToGoSignal(gamma=1.5).table(fam)
    bound = RewardToGoSignal(dense=True).bind(fam)
    with pytest.raises(ValueError, match="2 numbers"):
        bound.encode([1.0])
    with pytest.raises(ValueError, match="cannot occur"):
        bound.encode([7.0, 7.0])


# ------------------------------------------------------------------------------------------------
# closed forms
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("T,B,p", [(1, 2, 0.5), (4, 3, 0.5), (5, 2, 1 / 3), (6, 16, 0.2), (7, 4, 0.9)])
def test_quantised_binomial_bits_by_brute_force(T, B, p):
    levels = Counter()
    for bits in product((0, 1), repeat=T):
        c = sum(bits)
        levels[_level(c, T, B)] += p ** c * (1 - p) ** (T - c)
    H = -sum(q * math.log2(q) for q in levels.values() if q > 0)
    assert quantised_binomial_bits(T, B, p) == pytest.approx(H, abs=1e-12)


def test_quantised_binomial_bits_at_the_article_horizon():
    T = 1000
    pmf = stats.binom.pmf(np.arange(T + 1), T, 0.5)
    assert quantised_binomial_bits(T, T + 1, 0.5) == pytest.approx(stats.entropy(pmf, base=2), abs=1e-9)
    # two levels, even T: the upper one has probability 1/2 + P(M = T/2)/2
    q = 0.5 + stats.binom.pmf(T // 2, T, 0.5) / 2
    assert quantised_binomial_bits(T, 2, 0.5) == pytest.approx(stats.entropy([q, 1 - q], base=2), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(T=st.integers(1, 60), B=st.integers(1, 40), p=st.floats(0.0, 1.0))
def test_quantised_binomial_bits_stays_under_its_ceilings(T, B, p):
    H = quantised_binomial_bits(T, B, p)
    assert -1e-12 <= H <= min(math.log2(B), math.log2(T + 1)) + 1e-9


def test_ratios_odd_and_even_horizons():
    for T in (3, 11, 999):
        assert ratios(T, 2, 2)["new, dense"] == pytest.approx(T)               # one fair bit
        assert ratios(T, 2, 2)["new, sparse"] == pytest.approx(1.0)
    # even T: T + 1/(π ln 2) + o(1)
    assert ratios(2000, 2, 2)["new, dense"] == pytest.approx(2000 + 1 / (math.pi * math.log(2)), abs=1e-3)
    assert ratios(1000, 2, 2)["potential"] == pytest.approx(999 / closed_form("pg-return", 1000)[1] + 1)


def test_arguments_are_validated():
    with pytest.raises(ValueError, match="unknown row"):
        row_numbers("ppo", 2, 2, 2)
    with pytest.raises(ValueError, match="V"):
        closed_form("pg-return", 3, 1, 2)
    with pytest.raises(ValueError, match="probability"):
        quantised_binomial_bits(3, 2, 1.5)
    with pytest.raises(ValueError, match="horizon"):
        growth(())
    with pytest.raises(ValueError, match="unknown rows"):
        comparison_table(2, 2, 2).with_verdicts({"ppo": "holds"})


# ------------------------------------------------------------------------------------------------
# claims, figures, exercise
# ------------------------------------------------------------------------------------------------
def test_every_row_names_a_registered_claim():
    assert set(ROW_CLAIMS) == {r.key for r in ROWS}
    for cid in ROW_CLAIMS.values():
        assert evaluate(cid).section == "4.1"


@pytest.mark.parametrize("cid,verdict", [
    ("cmp-pg-1-to-4-bits", "bound"),       # ≈ 1 bit at T = 1000 for every B ≤ 16: log2 B is a ceiling
    ("cmp-pg-constant", "fails"),          # reward-to-go on a dense reward: one bit per token
    ("cmp-ac-t-bits", "ill-defined"),      # T bits of entropy, one bit of news
    ("cmp-t-times-difference", "ill-defined"),
    ("cmp-250-1000x", "ill-defined"),
])
def test_claim_verdicts(cid, verdict):
    r = evaluate(cid)
    assert r.verdict == verdict
    assert r.rule and r.instances


def test_figure_values_are_the_tables():
    v = comparison_bars_values(3, 4)
    t = comparison_table(2, 3, 4)
    assert v == {r.key: (r.potential, r.new) for r in t.rows}
    gv = growth_values(2, 2)
    assert gv["T_line"][-1] == 1000
    assert np.allclose(gv["closed"]["ac-dense"][:, 1], gv["T_line"])


def test_from_scratch_exercise_against_a_hand_count():
    from infobandwidth.book.exercises import check, get

    # B = 3 levels of c = 0..4 matches out of 4: {0, 1} → 0, {2} → 1, {3, 4} → 2
    q = np.array([1 + 4, 6, 4 + 1]) / 16
    by_hand = (float(-(q * np.log2(q)).sum()), 4.0)
    assert get("comparison/table-from-scratch").solution() == pytest.approx(by_hand)
    assert check("comparison/table-from-scratch", by_hand)
    assert not check("comparison/table-from-scratch", (2.0306, 4.0))
