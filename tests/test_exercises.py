"""infobandwidth.book.exercises.check: right answers pass, wrong ones get a hint, the solution never shows."""
import math

import numpy as np
import pytest
from infobandwidth.book.exercises import check, data, exercise_ids, get
from infobandwidth.book.exercises.data_processing import BEST_MERGE_JOINT, merge_values
from infobandwidth.book.exercises.information_theory import noisy_xor_joint
from infobandwidth.information.measures import binary_entropy, entropy, mutual_information

IDS = exercise_ids()


def _is_ragged(sol):
    """An answer made of arrays of different shapes (e.g. two gradient matrices)."""
    return isinstance(sol, tuple) and any(np.ndim(x) > 0 for x in sol)


def _numbers(sol):
    if _is_ragged(sol):
        return np.concatenate([np.ravel(np.asarray(x, dtype=float)) for x in sol])
    return np.atleast_1d(np.asarray(sol, dtype=float))


def _like(sol, f):
    """Apply ``f`` to the numbers of ``sol``, keeping its form (a number, a tuple, arrays)."""
    if _is_ragged(sol):
        return tuple(f(np.asarray(x, dtype=float)) for x in sol)
    arr = f(np.atleast_1d(np.asarray(sol, dtype=float)))
    return tuple(arr) if arr.size > 1 else float(arr[0])


def _solution_strings(sol):
    """The ways a printed solution could look: each number at 1-6 decimals and its repr."""
    out = set()
    numbers = _numbers(sol)
    for v in numbers[:200]:
        if abs(v) < 1e-9 or abs(v - round(v)) < 1e-9:
            continue  # 0 and 1 appear in any sentence about bits; the checks below cover them
        for d in range(2, 7):
            out.add(f"{v:.{d}f}")
        out.add(repr(float(v)))
    return out


def _wrong_answers(sol):
    """A few wrong answers of the right form: shifted, scaled, reversed, zero, nats."""
    return [_like(sol, f) for f in (
        lambda a: a + 0.07, lambda a: a * 0.5 + 0.01, lambda a: a[::-1] + 0.003,
        lambda a: np.zeros_like(a) + 0.2, lambda a: a * math.log(2), lambda a: -a - 0.1,
        lambda a: a + 10)]


def test_the_book_registers_its_exercises():
    for i in ("information-theory/noisy-xor", "information-theory/reward-levels",
              "data-processing/best-merge", "data-processing/half-information"):
        assert i in IDS


@pytest.mark.parametrize("eid", IDS)
def test_right_answer_is_accepted(eid, capsys):
    sol = get(eid).solution()
    assert check(eid, sol) is True
    assert capsys.readouterr().out.startswith("Correct!")


@pytest.mark.parametrize("eid", IDS)
def test_rounded_answer_is_accepted(eid, capsys):
    assert check(eid, _like(get(eid).solution(), lambda a: np.round(a, 3))) is True


@pytest.mark.parametrize("eid", IDS)
def test_wrong_answers_get_a_hint_and_never_the_solution(eid, capsys):
    sol = get(eid).solution()
    secret = _solution_strings(sol)
    for wrong in _wrong_answers(sol):
        assert check(eid, wrong) is False
        out = capsys.readouterr().out
        assert out.startswith("Not yet: ")
        assert len(out.strip()) > len("Not yet: ") + 10  # a real hint, not just a verdict
        leaked = [s for s in secret if s in out]
        assert not leaked, f"{eid}: hint {out!r} shows the solution {leaked}"


@pytest.mark.parametrize("eid", IDS)
@pytest.mark.parametrize("bad", [..., None, "0.5", {"a": 1}, (1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
                                 float("nan"), [[1, 2], [3]]])
def test_malformed_answers_give_a_hint_not_a_traceback(eid, bad, capsys):
    assert check(eid, bad) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet: ")


def test_specific_hints():
    """The hints name the likely mistake."""
    import io
    from contextlib import redirect_stdout

    def hint(eid, ans):
        buf = io.StringIO()
        with redirect_stdout(buf):
            check(eid, ans)
        return buf.getvalue()

    i_xz, i_xz_y = get("information-theory/noisy-xor").solution()
    assert "nats" in hint("information-theory/noisy-xor", (i_xz, i_xz_y * math.log(2)))
    assert "wrong order" in hint("information-theory/noisy-xor", (i_xz_y, i_xz))
    assert "noise" in hint("information-theory/noisy-xor", (i_xz, 1.0))
    assert "never negative" in hint("information-theory/noisy-xor", (-0.2, i_xz_y))
    i_xy = mutual_information(np.array(BEST_MERGE_JOINT))
    assert "I(X;Y) itself" in hint("data-processing/best-merge", i_xy)
    assert "more than I(X;Y)" in hint("data-processing/best-merge", i_xy + 0.1)
    second_best = sorted(set(round(v, 6) for v in merge_values().values()))[-2]
    assert "not the best" in hint("data-processing/best-merge", second_best)
    assert "between 0 and 1/2" in hint("data-processing/half-information", 0.7)


def test_unknown_or_malformed_ids_raise_valueerror():
    with pytest.raises(ValueError, match="unknown exercise id"):
        check("information-theory/no-such-exercise", 1.0)
    with pytest.raises(ValueError, match="Did you mean"):
        check("information-theory/noisy-xo", 1.0)
    with pytest.raises(ValueError, match="must be a string"):
        check(3, 1.0)
    with pytest.raises(ValueError, match="needs no data"):
        data("information-theory/noisy-xor")


def test_solutions_agree_with_independent_computations():
    """The checker's solutions, recomputed by hand from the formulas of §2.3-2.4."""
    h = binary_entropy
    assert get("information-theory/noisy-xor").solution() == pytest.approx((0.0, 1 - h(0.1)))
    p = noisy_xor_joint()
    assert p.sum() == pytest.approx(1.0) and p.shape == (2, 2, 2)
    probs = np.array([0.05, 0.15, 0.40, 0.30, 0.10])
    hg = -np.sum(probs * np.log2(probs))
    assert get("information-theory/reward-levels").solution() == pytest.approx((hg, np.log2(5) - hg))
    # best merge: brute force straight from the definition of I
    pxy = np.array(BEST_MERGE_JOINT)
    best = 0.0
    for mask in range(16):
        f = [(mask >> k) & 1 for k in range(4)]
        pxf = np.zeros((2, 2))
        for y in range(4):
            pxf[:, f[y]] += pxy[:, y]
        px, pf = pxf.sum(1), pxf.sum(0)
        nz = pxf > 0
        best = max(best, float(np.sum(pxf[nz] * np.log2(pxf[nz] / np.outer(px, pf)[nz]))))
    assert get("data-processing/best-merge").solution() == pytest.approx(best)
    assert best < mutual_information(pxy)  # strict: the exercise's point
    b = get("data-processing/half-information").solution()
    a = 0.1
    assert 1 - h(a * (1 - b) + b * (1 - a)) == pytest.approx((1 - h(a)) / 2, abs=1e-9)


def test_data_returns_a_fresh_copy():
    d = data("data-processing/best-merge")
    d[0, 0] = 99
    assert data("data-processing/best-merge")[0, 0] == BEST_MERGE_JOINT[0][0]
    assert entropy(data("information-theory/reward-levels")) > 0


# --- the from-scratch exercises of Part 1, §2.1 and §2.2: solutions against formulas by hand ------

def _h2(p):
    """Entropy in bits of a probability vector, straight from the definition."""
    p = np.asarray(p, dtype=float)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def test_pass_fail_bits_against_the_formulas():
    d = data("central-question/pass-fail-bits")
    prior, p_tau = d["prior"], d["p_tau"]
    # exact match: G = 1 iff τ = ξ, so P(G = 1) = Σ_t p(τ = t) p(ξ = t)
    hg = binary_entropy(float(prior @ p_tau))
    # given ξ = x, G = 1 iff the learner writes x: H(G | ξ = x) = H_b(p_tau[x])
    i_xi = hg - sum(px * binary_entropy(pt) for px, pt in zip(prior, p_tau))
    # given τ = t, G = 1 iff ξ = t, and G is determined by (ξ, τ): I(G; ξ | τ) = H(G | τ)
    i_xi_tau = sum(pt * binary_entropy(px) for px, pt in zip(prior, p_tau))
    assert get("central-question/pass-fail-bits").solution() == pytest.approx((hg, i_xi, i_xi_tau))
    assert i_xi < i_xi_tau  # the exercise's point: knowing τ, the grade tells more


def test_softmax_objective_against_brute_force():
    from itertools import product

    from scipy.special import softmax

    d = data("token-mdp/softmax-objective")
    row = {s: i for i, s in enumerate(d["prefixes"])}
    pi = softmax(d["logits"], axis=1)
    J, p_target = 0.0, None
    for word in ("".join(w) for w in product("ab", repeat=3)):
        p = np.prod([pi[row[word[:k]], "ab".index(word[k])] for k in range(3)])
        J += p * d["rewards"][word]
        if word == d["target"]:
            p_target = p
    assert get("token-mdp/softmax-objective").solution() == pytest.approx((J, p_target))


def test_posterior_against_bayes_rule_by_hand():
    d = data("bayesian/posterior")
    strings, prior = d["strings"], d["prior"]
    # the prior: each token is a with probability 0.7, independently
    assert prior == pytest.approx([0.7 ** s.count("a") * 0.3 ** s.count("b") for s in strings])
    # pass iff at least two of three tokens match
    tau = strings[d["tau"]]
    passes = np.array([sum(x == y for x, y in zip(s, tau)) >= 2 for s in strings])
    post = prior * (passes == bool(d["grade"]))
    post = post / post.sum()
    best = [min(t for t in strings if sum(x == y for x, y in zip(s, t)) >= 2) for s in strings]
    p_pi = {}
    for b, w in zip(best, post):
        p_pi[b] = p_pi.get(b, 0.0) + w
    expected = (post[strings.index("aaa")], _h2(post), _h2(list(p_pi.values())))
    assert get("bayesian/posterior").solution() == pytest.approx(expected)
    assert expected[2] < expected[1]


def test_from_scratch_hints_name_the_mistake():
    import io
    from contextlib import redirect_stdout

    def hint(eid, ans):
        buf = io.StringIO()
        with redirect_stdout(buf):
            check(eid, ans)
        return buf.getvalue()

    hg, i_xi, i_xi_tau = get("central-question/pass-fail-bits").solution()
    assert "conditions on τ" in hint("central-question/pass-fail-bits", (hg, i_xi_tau, i_xi_tau))
    assert "forgets τ" in hint("central-question/pass-fail-bits", (hg, i_xi, i_xi))
    d = data("token-mdp/softmax-objective")
    mean_r = float(np.mean(list(d["rewards"].values())))
    assert "plain average" in hint("token-mdp/softmax-objective", (mean_r, 0.2))
    post = get("bayesian/posterior").solution()
    prior = data("bayesian/posterior")["prior"]
    assert "renormalise" in hint("bayesian/posterior", (prior[0], post[1], post[2]))
    assert "add up the posterior" in hint("bayesian/posterior", (post[0], post[1], post[1]))
