"""The verdict rules of ``infobandwidth.book.claims.registry``, against hand-worked cases.

Every claim check turns its numbers into a verdict through one of these functions, so each is tested
here at its boundaries: exactly at ``ORDER_SHARE · X``, just inside and just outside the rounding
slack ``SLACK_BITS`` of a ceiling, ratios all ``≤ 1`` for "factor", and so on. The expected verdicts
are written out by hand from the rules as :data:`RULES` states them, not recomputed with the
registry's own expressions.
"""
from __future__ import annotations

import pytest
from infobandwidth.base.numerics import SLACK_BITS
from infobandwidth.book.claims.registry import (
    EQUAL_SHARE,
    ORDER_SHARE,
    PLACE_VERDICT,
    RISE_BITS,
    RULES,
    VERDICTS,
    ClaimResult,
    Finding,
    ceiling_verdict,
    counterexample_verdict,
    describe_instances,
    factor_verdict,
    lower_bound_verdict,
    range_place,
    reading_verdict,
    share_verdict,
    theorem_verdict,
)


def test_the_documented_thresholds():
    # the values the module docstring and the chapters promise; a change must be deliberate
    assert (ORDER_SHARE, EQUAL_SHARE, RISE_BITS, SLACK_BITS) == (0.5, 0.9, 0.5, 1e-9)


def test_rule_sentences_name_their_thresholds():
    assert set(RULES) == {"theorem", "ceiling", "near-ceiling", "factor", "lower-bound",
                          "counterexample", "rise", "reading"}
    assert "ill-defined" in RULES["reading"]
    assert "1e-09 bits" in RULES["theorem"]
    assert "1e-09 bits" in RULES["ceiling"] and "50%" in RULES["ceiling"]
    assert "10%" in RULES["near-ceiling"]
    assert "≤ 1" in RULES["factor"] and "50%" in RULES["factor"]
    assert "factor 2" in RULES["lower-bound"]
    assert "0.5 bits" in RULES["rise"]
    for key, sentence in RULES.items():
        assert sentence.split()[0] in ("holds", "fails"), key
        assert "holds" in sentence and "fails" in sentence, key


# ------------------------------------------------------------------------------------ theorem
@pytest.mark.parametrize("violation, verdict", [
    (-3.0, "holds"),            # a comfortable margin
    (0.0, "holds"),             # the bound is attained exactly
    (1e-9, "holds"),            # = SLACK_BITS: still rounding
    (0.9e-9, "holds"),
    (1.1e-9, "fails"),          # just beyond rounding
    (1e-6, "fails"),
    (0.25, "fails"),
])
def test_theorem_verdict(violation, verdict):
    assert theorem_verdict(violation) == verdict


# ------------------------------------------------------------------------------------ share
@pytest.mark.parametrize("value, target, share, verdict", [
    (1.0, 2.0, None, "holds"),      # exactly half of X: the right order of magnitude
    (0.999, 2.0, None, "bound"),    # just below half
    (5.0, 2.0, None, "holds"),      # above X is fine too
    (0.0, 2.0, None, "bound"),
    (0.9, 1.0, 0.9, "holds"),       # exactly 90 % with the EQUAL_SHARE threshold
    (0.89, 1.0, 0.9, "bound"),
    (0.5, 1.0, 0.9, "bound"),       # half is enough for "about X" but not for "equals X"
])
def test_share_verdict(value, target, share, verdict):
    args = (value, target) if share is None else (value, target, share)
    assert share_verdict(*args) == verdict


# ------------------------------------------------------------------------------------ ceiling
@pytest.mark.parametrize("top, ceiling, typical, verdict", [
    (1.0, 1.0, None, "holds"),              # at the ceiling
    (1.0 + 0.5e-9, 1.0, None, "holds"),     # above by rounding only
    (1.0 + 2e-9, 1.0, None, "fails"),       # above by more than SLACK_BITS
    (1.5, 1.0, 0.9, "fails"),               # a typical value below does not save a broken ceiling
    (0.5, 1.0, None, "holds"),              # top itself is typical: exactly half
    (0.49, 1.0, None, "bound"),
    (1.0, 1.0, 0.5, "holds"),               # typical exactly half the ceiling
    (1.0, 1.0, 0.062, "bound"),             # one bit is reached once, the rate is 0.062 bits
    (2.0, 2.0, 0.999, "bound"),
])
def test_ceiling_verdict(top, ceiling, typical, verdict):
    assert ceiling_verdict(top, ceiling, typical=typical) == verdict


def test_ceiling_verdict_with_the_equal_share():
    # the "near-ceiling" use: every value within 10 % of its ceiling
    assert ceiling_verdict(1.0, 1.0, typical=0.9, share=0.9) == "holds"
    assert ceiling_verdict(1.0, 1.0, typical=0.85, share=0.9) == "bound"


# ------------------------------------------------------------------------------------ factor
@pytest.mark.parametrize("ratios, factor, verdict", [
    ([1.0, 1.0, 1.0], 5, "fails"),                  # the same information: no gain at all
    ([0.3, 0.9, 1.0], 5, "fails"),                  # every ratio <= 1
    ([1.0 + 0.5e-9], 5, "fails"),                   # a gain within rounding is no gain
    ([0.9999999999999959, 1.0000000000000013], 5, "fails"),   # the §3.2 sparse numbers
    ([1.0, 1.5], 5, "bound"),                       # some gain, far from 5x
    ([2.4, 4.0], 5, "bound"),                       # the smallest ratio decides: 2.4 < 2.5
    ([2.5, 4.0], 5, "holds"),                       # exactly half of the factor
    ([6.0, 7.0], 5, "holds"),
])
def test_factor_verdict(ratios, factor, verdict):
    assert factor_verdict(ratios, factor) == verdict
    assert factor_verdict(iter(ratios), factor) == verdict        # any iterable


# ------------------------------------------------------------------------------------ lower bound
@pytest.mark.parametrize("measured, bound, verdict", [
    (12.0, 12.0, "holds"),                  # the bound is met exactly
    (24.0, 12.0, "holds"),                  # within a factor 2 = 1/ORDER_SHARE
    (24.5, 12.0, "bound"),                  # just beyond a factor 2
    (2048.499755859375, 12.0, "bound"),     # the §4.3 numbers: 170x the bound
    (11.0, 12.0, "fails"),                  # fewer episodes than the lower bound allows
    (12.0 * (1 - 0.5e-9), 12.0, "holds"),   # below by rounding only
])
def test_lower_bound_verdict(measured, bound, verdict):
    assert lower_bound_verdict(measured, bound) == verdict


def test_counterexample_verdict():
    assert counterexample_verdict(True) == "fails"
    assert counterexample_verdict(False) == "holds"


# ------------------------------------------------------------------------------------ Finding
def test_finding_needs_a_rule_and_spells_it_out():
    with pytest.raises(ValueError, match="which rule decided"):
        Finding(verdict="holds", evidence="e", numbers={"x": 1}, instances="1 instance")
    with pytest.raises(ValueError, match="verdict must be one of"):
        Finding(verdict="maybe", evidence="e", rule="theorem", instances="1 instance")
    f = Finding(verdict="holds", evidence="e", rule="theorem", instances="1 instance")
    assert f.rule_text == RULES["theorem"]
    own = "holds if the two numbers agree to three decimals; fails otherwise"
    assert Finding(verdict="fails", evidence="e", rule=own, instances="2 instances").rule_text == own
    r = ClaimResult("x", "1", "s", "bound", "e", {}, "ceiling")
    assert r.rule_text == RULES["ceiling"] and r.verdict_text == "holds only as a bound"


def test_factor_rule_refuses_an_empty_list():
    import pytest
    from infobandwidth.book.claims.registry import factor_verdict

    with pytest.raises(ValueError, match="at least one ratio"):
        factor_verdict([], 3)


def test_finding_needs_the_size_of_its_instances():
    with pytest.raises(ValueError, match="how large the instances are"):
        Finding(verdict="holds", evidence="e", rule="theorem")
    f = Finding(verdict="holds", evidence="e", rule="theorem", instances="3 instances, T ≤ 2")
    assert f.instances == "3 instances, T ≤ 2"


# ------------------------------------------------------------------------------------ readings
def test_ill_defined_is_a_verdict_with_its_own_text():
    assert VERDICTS["ill-defined"] == "ill-defined: depends on the reading"
    r = ClaimResult("x", "3.2", "s", "ill-defined", "e", {}, "reading", "2 readings")
    assert r.verdict_text == "ill-defined: depends on the reading" and r.instances == "2 readings"


@pytest.mark.parametrize("values, place", [
    ([1.0, 1.26], "below"),        # the entropy-rate factors at ρ = 0.7: all under 2
    ([2.0, 5.0], "inside"),        # the ends of the range count as inside
    ([17 / 3], "above"),           # (1+ρ)/(1−ρ) at ρ = 0.7
    ([1.7, 2.2], "across"),        # some in, some out
    ([1.0, 6.0], "across"),        # both sides
])
def test_range_place(values, place):
    assert range_place(values, 2, 5) == place


@pytest.mark.parametrize("outcomes, verdict", [
    ({"a": "below", "b": "below"}, "fails"),          # agree: the claim is wrong either way
    ({"a": "above", "b": "above"}, "fails"),
    ({"a": "inside", "b": "inside"}, "holds"),
    ({"a": "below", "b": "above"}, "ill-defined"),    # one reading too small, one too large
    ({"a": "below", "b": "inside"}, "ill-defined"),
    ({"a": "holds", "b": "fails"}, "ill-defined"),     # verdicts of other rules work too
    ({"a": "bound"}, "bound"),                        # one reading: its own verdict
    (["holds", "holds"], "holds"),                    # any iterable
])
def test_reading_verdict(outcomes, verdict):
    assert reading_verdict(outcomes) == verdict


def test_reading_verdict_refuses_nonsense():
    with pytest.raises(ValueError, match="at least one reading"):
        reading_verdict({})
    with pytest.raises(ValueError, match="unknown outcomes"):
        reading_verdict({"a": "maybe"})
    assert set(PLACE_VERDICT) == {"inside", "below", "above", "across"}


def test_describe_instances():
    assert describe_instances(72, V=[2, 3, 2], T=[2, 3], n_xi=[4, 512]) == \
        "72 instances, |𝒱| ≤ 3, T ≤ 3, |Ξ| ≤ 512"
    assert describe_instances(1, "instance", V=[2], T=[8]) == "1 instance, |𝒱| = 2, T = 8"
    assert describe_instances(5, "runs") == "5 runs"
    with pytest.raises(ValueError, match="no values"):
        describe_instances(1, V=[])
