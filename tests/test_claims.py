"""The claim registry: every check runs, returns numbers consistent with its verdict, bad ids fail."""
import pytest
from infobandwidth.book.claims.registry import VERDICTS, Finding, all_claims, evaluate


def test_every_registered_claim_evaluates():
    results = all_claims()
    assert len(results) >= 2
    ids = [r.id for r in results]
    assert len(ids) == len(set(ids))
    for r in results:
        assert r.verdict in VERDICTS and r.evidence and r.numbers
        assert r.section and r.statement


def test_one_bit_verdict_follows_from_its_numbers():
    r = evaluate("one-bit-per-episode")
    bits = r.numbers["bits per episode (ideal)"]
    # independent recomputation: H = 8 bits over (n-1)(n+2)/(2n) episodes with n = 256
    n = 256
    assert bits == pytest.approx(8 / ((n - 1) * (n + 2) / (2 * n)))
    assert r.verdict == ("bound" if bits < 0.5 else "holds")


def test_unknown_claim_lists_known_ones():
    with pytest.raises(ValueError, match="one-bit-per-episode"):
        evaluate("no-such-claim")


def test_finding_rejects_unknown_verdict():
    with pytest.raises(ValueError, match="verdict must be one of"):
        Finding(verdict="maybe", evidence="")
