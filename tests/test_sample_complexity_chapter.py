"""§4.3's instances and claim checks against independent oracles: a direct recursion over what the
ideal learner has ruled out, the posterior-sampling closed form, scipy's binomial, and arithmetic."""
import math

import numpy as np
import pytest
from infobandwidth.book.claims.registry import evaluate
from infobandwidth.book.experiments.sample_complexity import (
    EPSILON,
    article_example,
    episodes_to_epsilon,
    hidden_string_rows,
    ideal_rows,
)
from scipy.stats import binom


def _uniform_learner_entropy(m: int, N: int) -> np.ndarray:
    """E[H(ξ | D_n)], n = 0..N, for uniform guesses at a uniform hidden string among m, told hit/miss.

    Given no hit, the belief is uniform over the strings not yet guessed; k counts the distinct
    wrong guesses. Each episode hits with 1/m, repeats a wrong guess with k/m, else finds a new one.
    """
    p = np.zeros(m)                       # P(no hit yet, k distinct wrong guesses)
    p[0] = 1.0
    out = [math.log2(m)]
    for _ in range(N):
        q = np.zeros(m)
        for k in range(m):
            if p[k]:
                q[k] += p[k] * k / m
                if k + 1 < m:
                    q[k + 1] += p[k] * (m - 1 - k) / m
        p = q
        out.append(sum(p[k] * math.log2(m - k) for k in range(m - 1)))
    return np.array(out)


def _posterior_sampling_entropy(m: int, N: int) -> np.ndarray:
    """E[H(ξ | D_n)] = (m − n)/m · log2(m − n): posterior sampling never repeats a ruled-out string."""
    return np.array([(m - n) / m * math.log2(m - n) if n < m else 0.0 for n in range(N + 1)])


def _row(rows, learner, task):
    (r,) = [r for r in rows if r.learner == learner and r.task == task]
    return r


@pytest.mark.parametrize("V,T", [(2, 3), (3, 2)])
def test_ideal_rows_match_direct_recursions_on_hidden_strings(V, T):
    rows = ideal_rows()
    m, task = V**T, f"exact match |V|={V} T={T}"
    for learner, curve in (("ideal, uniform", _uniform_learner_entropy(m, 60)),
                           ("ideal, posterior sampling", _posterior_sampling_entropy(m, 60))):
        r = _row(rows, learner, task)
        first = int(np.flatnonzero(curve <= EPSILON)[0])
        assert r.measured == first
        assert r.bound == pytest.approx((math.log2(m) - EPSILON) / 1.0)   # binary reward: c = 1 bit
        assert r.measured >= r.bound


def test_every_exact_row_respects_the_bound():
    for r in ideal_rows() + hidden_string_rows():
        assert r.measured >= r.bound * (1 - 1e-12), r


def test_episodes_to_epsilon():
    assert episodes_to_epsilon(np.array([2.0, 0.5, 0.1]), 0.1) == 2
    assert episodes_to_epsilon(np.array([2.0, 0.5]), 0.1) == -1
    with pytest.raises(ValueError, match="epsilon"):
        episodes_to_epsilon(np.array([1.0]), -1)


def test_article_example_arithmetic():
    ex = article_example()
    assert ex["pg"] == (10_000 / 4, 10_000 / 1)
    assert ex["ac"] == (10_000 / 1000, 10_000 / 10)
    assert ex["gap_at_c1"] == (10.0, 1000.0) and ex["gap"] == (2500 / 1000, 1000.0)
    with pytest.raises(ValueError, match="cannot exceed T"):
        article_example(T=100)
    with pytest.raises(ValueError, match="positive"):
        article_example(H=0)


def test_bound_vs_measured_verdict():
    r = evaluate("sample-complexity-bound-vs-measured")
    assert r.verdict == "holds" and r.rule == "lower-bound"
    # dense, |V| = 2: one episode settles every position; bound H/T = 1
    assert r.numbers["smallest measured ÷ bound"] == pytest.approx(1.0)
    n = 2**20                               # sparse, T = 20: (n−1)(n+2)/(2n) episodes against 20
    assert r.numbers["largest measured ÷ bound"] == pytest.approx((n - 1) * (n + 2) / (2 * n) / 20)


def test_article_pg_verdict():
    r = evaluate("sample-complexity-article-pg")
    assert r.verdict == "holds" and r.rule == "theorem"
    assert (r.numbers["H/4"], r.numbers["H/1"]) == (2500.0, 10000.0)


def test_article_ac_verdict():
    r = evaluate("sample-complexity-article-ac")
    # sparse reward, two levels: the return says whether M ≥ 500, M ~ Binomial(1000, 1/2)
    p = binom.sf(499, 1000, 0.5)
    h = -(p * math.log2(p) + (1 - p) * math.log2(1 - p))
    assert r.numbers["sparse, B = 2: new bits"] == pytest.approx(h, abs=1e-9)
    assert 10_000 / h > 1000                # outside the claimed 10–1000 episodes
    assert r.verdict == "ill-defined" and r.rule == "reading"


def test_article_gap_verdict():
    r = evaluate("sample-complexity-article-gap")
    assert r.verdict == "ill-defined" and r.rule == "reading"
    places = {k: v for k, v in r.numbers.items() if k.startswith("reading")}
    assert sorted(places.values()) == ["across", "below", "inside"]
