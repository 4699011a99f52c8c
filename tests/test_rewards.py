"""Tests of reward families, signals and optimal policies (§2.2), against plain-loop definitions."""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from infobandwidth.book.claims.bayesian import unique_optimum_numbers
from infobandwidth.model.mdp import TokenMDP, softmax_policy, uniform_policy
from infobandwidth.model.optimal import (
    _optimal_generic,
    optimal_policies,
    optimal_policy,
    optimal_policy_counts,
)
from infobandwidth.model.rewards import (
    FAMILY_NAMES,
    exact_match,
    make_family,
    match_count,
    reward_table,
    string_prior,
    token_utility,
)
from infobandwidth.signals.signals import (
    CallableSignal,
    DenseRewards,
    NoisySignal,
    QuantisedReturn,
    TableSignal,
    make_signal,
)

MDPS = [TokenMDP(2, 1), TokenMDP(2, 3), TokenMDP(3, 2), TokenMDP(3, 3, end_token=2), TokenMDP(1, 2)]


def episodes(mdp):
    """(index, tokens, number of real steps) of every trajectory, by plain loops."""
    out = []
    for i, seq in enumerate(itertools.product(range(mdp.V), repeat=mdp.T)):
        n = mdp.T
        if mdp.end_token is not None and mdp.end_token in seq:
            n = seq.index(mdp.end_token) + 1
        out.append((i, seq, n))
    return out


def valid_strings(mdp):
    return [seq for i, seq, n in episodes(mdp) if all(x == mdp.end_token for x in seq[n:])]


# ----------------------------------------------------------------------------- families by loops
@pytest.mark.parametrize("mdp", MDPS, ids=repr)
def test_exact_match_table_by_loops(mdp):
    fam = exact_match(mdp)
    targets = valid_strings(mdp)
    assert fam.n_xi == len(targets)
    assert abs(fam.prior.sum() - 1) < 1e-12
    R = fam.sparse_table()
    for x, target in enumerate(targets):
        for i, seq, _ in episodes(mdp):
            assert R[x, i] == float(seq == target)
    assert fam.labels[0] == mdp.label(mdp.index(targets[0]))


@pytest.mark.parametrize("mdp", MDPS, ids=repr)
@pytest.mark.parametrize("levels", [None, 2, 3])
def test_match_count_table_by_loops(mdp, levels):
    B = mdp.T + 1 if levels is None else levels
    if B > mdp.T + 1:
        with pytest.raises(ValueError, match="levels must be <= T\\+1"):
            match_count(mdp, levels=levels)
        return
    fam = match_count(mdp, levels=levels)
    R = fam.sparse_table()
    for x, target in enumerate(valid_strings(mdp)):
        for i, seq, _ in episodes(mdp):
            c = sum(a == b for a, b in zip(seq, target))
            # the level of the share c/T in B equal-width bins, an edge going up (exact rationals)
            k = max(j for j in range(B) if Fraction(j, B) <= Fraction(c, mdp.T))
            assert R[x, i] == pytest.approx(k / (B - 1))


@pytest.mark.parametrize("mdp", [TokenMDP(3, T) for T in (1, 2, 3, 4, 5)] + [TokenMDP(2, 6)], ids=repr)
def test_match_count_levels_are_the_quantised_full_return(mdp):
    """One B-level rule: match_count(levels=B) pays the bin of QuantisedReturn(B) on the full count.

    The two used to differ for |V| = 3 and even T (floor(B·c/(T+1)) against equal-width bins of c/T);
    odd and even T, every B, checked on every (ξ, τ)."""
    full = match_count(mdp)
    xi, tr = np.arange(full.n_xi), np.arange(mdp.n_trajectories)
    for B in range(2, mdp.T + 2):
        fam = match_count(mdp, levels=B)
        bins = QuantisedReturn(B).bind(full).codes(xi, tr)
        np.testing.assert_allclose(fam.sparse_table(), bins / (B - 1), atol=1e-12, err_msg=f"B={B}")
        # and quantising the B-level family into its own B levels changes nothing
        own = QuantisedReturn(B).bind(fam).codes(xi, tr)
        np.testing.assert_array_equal(own, bins)


@pytest.mark.parametrize("mdp", MDPS[:4], ids=repr)
@pytest.mark.parametrize("shared", [False, True])
def test_token_utility_table_by_loops(mdp, shared):
    values = (0.0, 0.5, 2.0) if mdp.T * mdp.V <= 6 or shared else (0.0, 1.0)
    fam = token_utility(mdp, values, shared=shared)
    cells = mdp.V if shared else mdp.T * mdp.V
    assert fam.n_xi == len(values) ** cells
    R = fam.sparse_table()
    for x, digits in enumerate(itertools.product(range(len(values)), repeat=cells)):
        # cell (t, v) is digit t·V + v (first cell most significant); shared: digit v
        u = [[values[digits[v if shared else t * mdp.V + v]] for v in range(mdp.V)]
             for t in range(mdp.T)]
        assert np.allclose(fam.utilities(x), u)
        for i, seq, n in episodes(mdp):
            assert R[x, i] == pytest.approx(sum(u[t][seq[t]] for t in range(n)))


def test_token_utility_value_probs_is_a_product_prior():
    mdp = TokenMDP(2, 1)
    fam = token_utility(mdp, (0.0, 1.0), value_probs=[0.8, 0.2])
    # ξ = (u[a], u[b]) with digits most significant first
    assert np.allclose(fam.prior, [0.64, 0.16, 0.16, 0.04])
    assert fam.labels == ["u=0,0", "u=0,1", "u=1,0", "u=1,1"]


@pytest.mark.parametrize("mdp", MDPS, ids=repr)
def test_dense_rewards_telescope_to_the_sparse_reward(mdp):
    rng = np.random.default_rng(0)
    fams = [exact_match(mdp), match_count(mdp), match_count(mdp, levels=2),
            token_utility(mdp, (0.0, 1.0), shared=True),
            reward_table(mdp, rng.integers(0, 3, size=(mdp.n_trajectories, 3)))]
    for fam in fams:
        D, R = fam.dense_table(), fam.sparse_table()
        assert D.shape == (fam.n_xi, mdp.n_trajectories, mdp.T)
        np.testing.assert_allclose(D.sum(axis=2), R, atol=1e-9, err_msg=fam.name)
        # no reward after the episode ended
        assert np.all(D[:, ~mdp.alive] == 0)
        # the level sets cover every value that occurs
        assert set(np.unique(R)) <= set(fam.return_levels())
        running = np.round(np.cumsum(D, axis=2), 9)
        for t, lv in enumerate(fam.potential_levels()):
            assert set(np.unique(running[:, :, t])) <= set(np.round(lv, 9)), (fam.name, t)


def test_exact_match_dense_rewards_by_hand():
    # T = 3, target "aba": +1/3 per matching token, progress given back at the first mismatch
    mdp = TokenMDP(2, 3)
    fam = exact_match(mdp)
    d = fam.dense_rewards(mdp.index("aba"))
    assert d[mdp.index("aba")] == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert d[mdp.index("abb")] == pytest.approx([1 / 3, 1 / 3, -2 / 3])
    assert d[mdp.index("bba")] == pytest.approx([0, 0, 0])


def test_expected_return_of_a_family():
    mdp = TokenMDP(2, 2)
    fam = token_utility(mdp, shared=True)
    # ξ = 1: u[a]=0, u[b]=1 → J = E[#b] = 1 under the uniform policy, sparse and dense alike
    assert fam.expected_return(uniform_policy(mdp), 1) == pytest.approx(1.0)
    assert fam.expected_return(uniform_policy(mdp), 1, dense=True) == pytest.approx(1.0)
    assert fam.expected_return(uniform_policy(mdp), 1, dense=True, gamma=0.5) == pytest.approx(0.75)


def test_reward_table_family_and_its_errors():
    mdp = TokenMDP(2, 2)
    tab = np.arange(12.0).reshape(4, 3)
    fam = reward_table(mdp, tab, [0.2, 0.3, 0.5], labels=["x", "y", "z"])
    assert fam.n_xi == 3 and fam.labels == ["x", "y", "z"]
    assert fam.sparse_rewards(1).tolist() == tab[:, 1].tolist()
    assert fam.dense_rewards(1)[:, 0].tolist() == [0, 0, 0, 0]  # paid for the last token
    with pytest.raises(ValueError, match=r"shape \(3, 3\), expected \(4, 3\) = \(V\^T, \|Ξ\|\)"):
        reward_table(mdp, np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"shape \(4, 3\), expected \(4, 2\)"):
        reward_table(mdp, tab, [0.5, 0.5])
    with pytest.raises(ValueError, match="NaN or inf"):
        reward_table(mdp, np.full((4, 2), np.nan))
    with pytest.raises(ValueError, match="prior is not normalised: the probabilities sum to 0.9"):
        reward_table(mdp, tab, [0.2, 0.2, 0.5])
    with pytest.raises(ValueError, match=r"dense reward table has shape \(4, 3, 3\), expected \(4, 3, 2\)"):
        reward_table(mdp, tab, dense=np.zeros((4, 3, 3)))
    with pytest.raises(ValueError, match="labels has 1 entries"):
        reward_table(mdp, tab, labels=["x"])


def test_family_and_signal_names():
    mdp = TokenMDP(2, 2)
    for name in FAMILY_NAMES:
        kw = {"table": np.zeros((4, 2))} if name == "table" else {}
        assert make_family(name, mdp, **kw).name == name
    with pytest.raises(ValueError, match="valid names: exact_match, match_count, token_utility, table"):
        make_family("exactmatch", mdp)
    with pytest.raises(ValueError, match="unknown signal 'G'; valid names: return"):
        make_signal("G")


def test_prior_errors():
    mdp = TokenMDP(2, 2)
    with pytest.raises(ValueError, match="prior has 3 entries but the family has |Ξ| = 4"):
        exact_match(mdp, prior=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="negative mass"):
        exact_match(mdp, prior=[1.5, -0.5, 0, 0])
    with pytest.raises(ValueError, match="give either prior or value_probs"):
        token_utility(mdp, prior=np.full(256, 1 / 256), value_probs=[0.5, 0.5])
    with pytest.raises(ValueError, match="above the limit"):
        token_utility(TokenMDP(4, 4), (0, 1, 2))
    with pytest.raises(ValueError, match="values must be distinct"):
        token_utility(mdp, (1.0, 1.0))
    with pytest.raises(ValueError, match="xi must lie in 0..3"):
        exact_match(mdp).sparse_rewards(4)


# ----------------------------------------------------------------------------- optimal policies
def brute_optimum(fam):
    """Lexicographically smallest optimal valid trajectory and number of optima, by loops."""
    mdp = fam.mdp
    R = fam.sparse_table()
    out = []
    for x in range(fam.n_xi):
        best, first, count = -math.inf, None, 0
        for i, _seq, _n in episodes(mdp):
            if not mdp.valid[i]:
                continue
            if R[x, i] > best:
                best, first, count = R[x, i], i, 1
            elif R[x, i] == best:
                count += 1
        out.append((first, count))
    return out


@pytest.mark.parametrize("mdp", MDPS + [TokenMDP(3, 3), TokenMDP(4, 2)], ids=repr)
def test_optimal_policies_match_brute_force(mdp):
    fams = [exact_match(mdp), match_count(mdp), token_utility(mdp, (0.0, 1.0), shared=True)]
    fams += [match_count(mdp, levels=b) for b in range(2, mdp.T + 1)]
    if mdp.T * mdp.V <= 8:
        fams.append(token_utility(mdp, (0.0, 1.0, 3.0) if mdp.T * mdp.V <= 6 else (0.0, 1.0)))
    for fam in fams:
        opt = optimal_policies(fam)
        expected = brute_optimum(fam)
        assert opt.trajectory.tolist() == [e[0] for e in expected], fam
        assert opt.n_optima.tolist() == [e[1] for e in expected], fam
        traj, n_opt = _optimal_generic(fam)  # the closed forms agree with enumeration
        assert np.array_equal(traj, opt.trajectory) and np.array_equal(n_opt, opt.n_optima)
        # classes merge exactly the ξ that share an optimum
        for a in range(fam.n_xi):
            assert opt.class_trajectory[opt.classes[a]] == opt.trajectory[a]
        assert opt.n_tied == sum(e[1] > 1 for e in expected)
        assert opt.H_pi_star <= opt.H_xi + 1e-12


def test_p_pi_star_by_hand_with_ties():
    # V=2, T=1, ξ = (u[a], u[b]) in {0,1}^2 uniform. Optimum: (0,0) tie → a, (0,1) → b,
    # (1,0) → a, (1,1) tie → a. So p(π* = a) = 3/4, H(ξ) = 2 bits, H(π*) = h(1/4) ≈ 0.811 bits,
    # and two ξ have ties before tie-breaking.
    opt = optimal_policies(token_utility(TokenMDP(2, 1)))
    assert opt.labels == ["a", "b"]
    assert opt.distribution().tolist() == [0.75, 0.25]
    assert opt.H_xi == pytest.approx(2.0)
    h = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    assert opt.H_pi_star == pytest.approx(h)
    assert opt.n_tied == 2 and opt.tied.tolist() == [True, False, False, True]
    # under another belief
    assert opt.entropy_pi_star([0, 0.5, 0.5, 0]) == pytest.approx(1.0)


def test_exact_match_pi_star_is_one_to_one():
    opt = optimal_policies(exact_match(TokenMDP(3, 2)))
    assert opt.n_classes == 9 and opt.n_tied == 0
    assert opt.H_pi_star == pytest.approx(opt.H_xi)


@pytest.mark.parametrize("mdp", [TokenMDP(2, 3), TokenMDP(3, 2), TokenMDP(3, 3, end_token=2)], ids=repr)
def test_full_optimal_policy_is_optimal_everywhere_and_follows_pi_star(mdp):
    fam = match_count(mdp, levels=2)
    opt = optimal_policies(fam)
    for x in range(fam.n_xi):
        pol = optimal_policy(fam, x)
        r = fam.sparse_rewards(x)
        assert pol.trajectory_probs()[opt.trajectory[x]] == 1.0
        assert fam.expected_return(pol, x) == pytest.approx(r[mdp.valid].max())
        # at every live prefix the chosen token has the best completion (smallest on ties)
        for i, prefix in enumerate(mdp.prefixes()):
            if mdp.dead_prefixes[i]:
                continue
            best = []
            for a in range(mdp.V):
                comps = [r[j] for j, seq, _ in episodes(mdp)
                         if seq[: len(prefix) + 1] == prefix + (a,) and mdp.valid[j]]
                best.append(max(comps) if comps else -math.inf)
            assert int(np.argmax(pol.table[i])) == int(np.argmax(best))


# ----------------------------------------------------------------------------- signals
def test_quantised_return_bins():
    fam = match_count(TokenMDP(2, 3))  # returns 0, 1/3, 2/3, 1
    b = QuantisedReturn(2).bind(fam)
    codes = b.codes(np.arange(fam.n_xi), np.arange(8))
    R = fam.sparse_table()
    assert np.array_equal(codes, (R >= 0.5).astype(int))
    assert b.value_label(1) == "[0.5,1)"
    assert QuantisedReturn(1).bind(fam).K_det == 1


def test_dense_signal_codes_identify_the_reward_vector():
    fam = match_count(TokenMDP(3, 2, end_token=2), levels=2)
    b = DenseRewards().bind(fam)
    D = fam.dense_table()
    codes = b.codes(np.arange(fam.n_xi), np.arange(9))
    flat = D.reshape(-1, 2)
    seen = {}
    for c, vec in zip(codes.ravel(), map(tuple, flat)):
        assert seen.setdefault(c, vec) == vec  # one code ↔ one reward vector
    assert len(set(seen.values())) == len(seen)
    vec = tuple(D[1, 4])
    assert b.encode(vec) == codes[1, 4]


@pytest.mark.parametrize("mdp", [TokenMDP(2, 3), TokenMDP(3, 2)], ids=repr)
def test_dense_fast_codes_equal_the_generic_ones(mdp):
    for fam in (exact_match(mdp), match_count(mdp), match_count(mdp, levels=2)):
        b = DenseRewards().bind(fam)
        fast = b.codes(np.arange(fam.n_xi), np.arange(mdp.n_trajectories))
        fam._potential_codes = lambda xi, tr: None  # force the generic path
        slow = b.codes(np.arange(fam.n_xi), np.arange(mdp.n_trajectories))
        assert np.array_equal(fast, slow), fam


def test_table_and_callable_signals_agree():
    mdp = TokenMDP(2, 2)
    fam = exact_match(mdp)
    fn = lambda tokens, xi: (tokens[0] + xi) % 2  # noqa: E731 - an XOR of a token and ξ's parity
    table = np.array([[fn(tuple(s), x) for x in range(4)] for s in mdp.trajectories().tolist()])
    a = TableSignal(table).bind(fam).codes(np.arange(4), np.arange(4))
    b = CallableSignal(fn).bind(fam).codes(np.arange(4), np.arange(4))
    assert np.array_equal(a == a[0, 0], b == b[0, 0])
    with pytest.raises(ValueError, match=r"signal table has shape \(4, 3\), expected \(4, 4\)"):
        TableSignal(np.zeros((4, 3))).bind(fam)
    with pytest.raises(ValueError, match="not hashable"):
        CallableSignal(lambda t, x: [t]).bind(fam)


def test_noisy_signal_channels():
    fam = exact_match(TokenMDP(2, 1))
    b = NoisySignal(eps=0.1).bind(fam)
    assert np.allclose(b.channel, [[0.9, 0.1], [0.1, 0.9]])
    b2 = NoisySignal("return", channel=[[1, 0, 0], [0, 0.5, 0.5]]).bind(fam)
    assert b2.K_obs == 3 and b2.encode(2) == 2
    with pytest.raises(ValueError, match="channel has 3 rows but the signal takes 2 values"):
        NoisySignal(channel=np.eye(3)).bind(fam)
    with pytest.raises(ValueError, match="channel row 1 sums to 0.5"):
        NoisySignal(channel=[[1, 0], [0.5, 0]]).bind(fam)
    with pytest.raises(ValueError, match="exactly one of channel"):
        NoisySignal()
    with pytest.raises(ValueError, match="eps must be a probability"):
        NoisySignal(eps=1.5)


def test_signal_encode_errors():
    fam = exact_match(TokenMDP(2, 2))
    with pytest.raises(ValueError, match="return 0.5 is not a value of this family"):
        make_signal("return").bind(fam).encode(0.5)
    with pytest.raises(ValueError, match=r"a dense observation has 2 rewards, one per token \(T = 2\)"):
        DenseRewards().bind(fam).encode([0.5])


def test_policy_used_with_family_mdp():
    mdp = TokenMDP(2, 2)
    pol = softmax_policy(mdp, np.zeros((3, 2)))
    assert exact_match(mdp).expected_return(pol, 0) == pytest.approx(0.25)


# --------------------------------------------------------------------------------------------
# Tie-breaking rules, optimal-policy counts, string priors, the §2.2 claim check
# --------------------------------------------------------------------------------------------

def _brute_optimal_sets(fam):
    """For every ξ, the tuple of optimal trajectory indices, by plain loops over the table."""
    R = fam.sparse_table()
    valid = fam.mdp.valid
    out = []
    for x in range(fam.n_xi):
        vals = [R[x, i] for i in range(fam.mdp.n_trajectories) if valid[i]]
        best = max(vals)
        out.append(tuple(i for i in range(fam.mdp.n_trajectories) if valid[i] and R[x, i] == best))
    return out


@pytest.mark.parametrize("mdp", [TokenMDP(2, 1), TokenMDP(2, 3), TokenMDP(3, 2),
                                 TokenMDP(3, 3, end_token=2)], ids=repr)
def test_tie_break_rules_match_brute_force(mdp):
    rng = np.random.default_rng(3)
    base = match_count(mdp, levels=2)
    fams = [exact_match(mdp), base, token_utility(mdp, shared=True),
            base.with_prior(rng.dirichlet(np.ones(base.n_xi)))]
    for fam in fams:
        sets = _brute_optimal_sets(fam)
        first = optimal_policies(fam, tie_break="first")
        last = optimal_policies(fam, tie_break="last")
        full = optimal_policies(fam, tie_break="set")
        assert first is optimal_policies(fam)          # the default rule is "first"
        assert last.trajectory.tolist() == [s[-1] for s in sets]
        assert full.trajectory.tolist() == [s[0] for s in sets]
        for opt in (last, full):
            assert opt.n_optima.tolist() == [len(s) for s in sets]
        # "set" merges exactly the ξ with the same optimal set; it refines both other rules
        for a in range(fam.n_xi):
            for b in range(fam.n_xi):
                assert (full.classes[a] == full.classes[b]) == (sets[a] == sets[b])
                if full.classes[a] == full.classes[b]:
                    assert first.classes[a] == first.classes[b] and last.classes[a] == last.classes[b]
        assert full.H_pi_star >= max(first.H_pi_star, last.H_pi_star) - 1e-12
        assert full.H_pi_star <= full.H_xi + 1e-12
        assert abs(full.distribution().sum() - 1) < 1e-12
        assert len(full.labels) == full.n_classes


def test_tie_break_by_hand_and_errors():
    # V=2, T=1, ξ = (u[a], u[b]) in {0,1}^2: ties (0,0) and (1,1)
    fam = token_utility(TokenMDP(2, 1), prior=[0.1, 0.2, 0.3, 0.4])
    first = optimal_policies(fam)
    last = optimal_policies(fam, tie_break="last")
    full = optimal_policies(fam, tie_break="set")
    assert first.distribution().tolist() == pytest.approx([0.8, 0.2])       # ties → a
    assert last.distribution().tolist() == pytest.approx([0.3, 0.7])        # ties → b
    assert full.labels == ["a", "{a,b}", "b"]
    assert full.distribution().tolist() == pytest.approx([0.3, 0.5, 0.2])
    with pytest.raises(ValueError, match="unknown tie_break 'random'; valid rules: first, last, set"):
        optimal_policies(fam, tie_break="random")
    # a new prior is not served from the old cache
    new = fam.with_prior([0.25] * 4)
    assert optimal_policies(new, tie_break="set").distribution().tolist() == [0.25, 0.5, 0.25]
    assert optimal_policies(fam, tie_break="set").distribution().tolist() == pytest.approx([0.3, 0.5, 0.2])


@pytest.mark.parametrize("mdp", [TokenMDP(2, 1), TokenMDP(2, 2), TokenMDP(2, 3), TokenMDP(3, 2),
                                 TokenMDP(3, 2, end_token=2), TokenMDP(2, 3, end_token=1)], ids=repr)
def test_optimal_policy_counts_by_enumerating_deterministic_policies(mdp):
    for fam in (exact_match(mdp), match_count(mdp, levels=2), token_utility(mdp, shared=True)):
        R = fam.sparse_table()
        best = np.where(mdp.valid[None, :], R, -np.inf).max(axis=1)
        counts = [0] * fam.n_xi
        live = [i for i in range(mdp.n_prefixes) if not mdp.dead_prefixes[i]]
        for choice in itertools.product(range(mdp.V), repeat=len(live)):
            actions = np.full(mdp.n_prefixes, mdp.end_token or 0, dtype=np.int64)
            actions[live] = choice
            # follow the policy from the empty prefix
            prefix, tau = (), None
            for _ in range(mdp.T):
                x = int(actions[mdp.prefix_index(prefix)])
                prefix = prefix + (x,)
                if len(prefix) == mdp.T:
                    tau = mdp.index(prefix)
            for x in range(fam.n_xi):
                counts[x] += R[x, tau] == best[x]
        assert optimal_policy_counts(fam).tolist() == counts, fam


def test_optimal_policy_counts_errors():
    with pytest.raises(ValueError, match="must be a RewardFamily"):
        optimal_policy_counts("exact_match")


def test_string_prior():
    mdp = TokenMDP(3, 2)
    q = np.array([0.5, 0.3, 0.2])
    p = string_prior(mdp, q)
    for i, (x1, x2) in enumerate(itertools.product(range(3), repeat=2)):
        assert p[i] == pytest.approx(q[x1] * q[x2])
    rows = np.array([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]])
    p2 = string_prior(mdp, rows)
    assert p2.tolist() == pytest.approx([0.2, 0.3, 0.5] + [0.0] * 6)
    assert string_prior(TokenMDP(2, 3), [0.5, 0.5]).tolist() == [0.125] * 8
    with pytest.raises(ValueError, match=r"shape \(2, 2\); give \(3,\)"):
        string_prior(mdp, [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="position 1"):
        string_prior(mdp, [0.5, 0.6, 0.1])
    with pytest.raises(ValueError, match="without an end token"):
        string_prior(TokenMDP(3, 2, end_token=2), q)


def test_unique_optimum_claim_follows_from_its_numbers():
    from infobandwidth.book.claims.registry import evaluate

    n = unique_optimum_numbers()
    # by hand on V=2, T=3: exact match never ties; pass/fail (≥ 2 of 3 right) always does;
    # 0/1 utilities: untied iff u[t,a] ≠ u[t,b] at all 3 positions, probability (1/2)^3
    assert n["tied: exact match"] == 0.0
    assert n["tied: pass/fail match count"] == 1.0
    assert n["tied: 0/1 token utility"] == pytest.approx(1 - 0.5 ** 3)
    assert n["tied: Gaussian rewards"] == 0.0
    assert n["fewest optimal policies"] == 2 ** (7 - 3)
    r = evaluate("unique-optimum")
    assert r.section == "2.2" and r.numbers == n
    assert r.verdict == "fails"     # 16 > 1 optimal policies for every ξ
