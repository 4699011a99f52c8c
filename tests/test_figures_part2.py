"""The figures and demos of §2.1, §2.2 and §2.5: each draws a Figure, and the numbers it writes are
the library's, recomputed here independently where that is cheap."""
import itertools
import math

import matplotlib
import numpy as np
import pytest
from infobandwidth.book.demos import Demo
from infobandwidth.book.figures import bayesian, measuring
from infobandwidth.book.figures import mdp as mdpfig
from infobandwidth.information.measures import binary_entropy, entropy
from infobandwidth.model.mdp import TokenMDP, expected_return, table_policy
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import exact_match, match_count, string_prior, token_utility
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.signals import DenseRewards, NoisySignal, QuantisedReturn, ReturnSignal
from matplotlib.figure import Figure
from matplotlib.text import Text

matplotlib.use("Agg")


def texts(fig: Figure) -> str:
    """Every string drawn on the figure (titles, labels, annotations, tick labels)."""
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def background_is_white(fig: Figure) -> bool:
    return matplotlib.colors.to_hex(fig.get_facecolor()) == "#ffffff"


def close(fig):
    import matplotlib.pyplot as plt
    plt.close(fig)


# --------------------------------------------------------------------------------------------
# §2.1
# --------------------------------------------------------------------------------------------

def test_demo_task_logits_and_target():
    task = mdpfig.demo_task(3, 2, temperature=1.0)
    assert task.target == "bc" and task.mdp.label(task.xi) == "bc"
    # rewards are the share of matching tokens, by hand
    for i in range(task.mdp.n_trajectories):
        lab = task.mdp.label(i)
        assert task.rewards[i] == pytest.approx(sum(a == b for a, b in zip(lab, "bc")) / 2)
    # the temperature divides the logits: at a tiny temperature the policy is (nearly) greedy
    cold = mdpfig.demo_task(3, 2, temperature=1e-3).policy.table
    assert np.allclose(cold.max(axis=1), 1.0)


@pytest.mark.parametrize("V, T, temp", [(2, 3, 1.0), (2, 2, 0.5), (3, 2, 2.0)])
def test_token_tree_writes_the_lib_numbers(V, T, temp):
    fig = mdpfig.draw_token_tree(V, T, temp)
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    v = mdpfig.token_tree_values(V, T, temp)
    mdp = TokenMDP(V, T)
    # p(τ) is the product of the edge labels along the path (plain loop)
    for i, row in enumerate(mdp.trajectories().tolist()):
        prod = math.prod(v["edges"][(tuple(row[:t]), row[t])] for t in range(T))
        assert prod == pytest.approx(v["p_tau"][i], abs=1e-12)
        assert f"p = {v['p_tau'][i]:.3f}" in s and f"R = {v['R'][i]:.2f}" in s
    assert sum(v["p_tau"]) == pytest.approx(1.0)
    for (_prefix, x), p in v["edges"].items():
        assert f"{'abc'[x]} {p:.2f}" in s
    J = float(np.dot(v["p_tau"], v["R"]))
    assert v["J"] == pytest.approx(J) and f"= {J:.3f}" in s
    close(fig)


def test_sampled_j_within_standard_errors():
    v = mdpfig.sampled_j_values()
    task = mdpfig.demo_task()
    assert v["J"] == pytest.approx(expected_return(task.policy, task.rewards))
    assert np.all(np.abs(v["estimate"] - v["J"]) < 4 * v["stderr"])
    assert np.all(np.diff(v["stderr"]) < 0)             # more episodes, smaller error
    fig = mdpfig.draw_sampled_j()
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    assert f"exact J = {v['J']:.3f}" in s
    for e in v["estimate"]:
        assert f"{e:.3f}" in s
    close(fig)


@pytest.mark.parametrize("V, T, temp", [(2, 2, 1.0), (3, 3, 0.3), (2, 3, 10.0)])
def test_trajectory_bars_write_the_lib_numbers(V, T, temp):
    fig = mdpfig.draw_trajectory_bars(V, T, temp)
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    v = mdpfig.trajectory_bars_values(V, T, temp)
    task = mdpfig.demo_task(V, T, temp)
    assert len(v["labels"]) == V ** T
    assert v["J"] == pytest.approx(float(task.policy.trajectory_probs() @ task.rewards))
    assert f"J = {v['J']:.3f} exact" in s
    assert f"{v['J_sampled']:.3f} ± {v['J_stderr']:.3f}" in s
    assert abs(v["J_sampled"] - v["J"]) < 4 * v["J_stderr"] + 1e-12
    assert f"uniform policy J = {np.mean(task.rewards):.3f}" in s
    close(fig)


# --------------------------------------------------------------------------------------------
# §2.2
# --------------------------------------------------------------------------------------------

def test_pistar_family_priors():
    fam = bayesian.pistar_family("exact match", 0.2)
    assert fam.prior.tolist() == pytest.approx([0.64, 0.16, 0.16, 0.04])
    assert bayesian.pistar_family("pass/fail match", 0.5).prior.tolist() == pytest.approx([1 / 8] * 8)
    tu = bayesian.pistar_family("token utility", 0.3)
    assert tu.n_xi == 16 and tu.prior[0] == pytest.approx(0.7 ** 4)
    su = bayesian.pistar_family("shared utility", 0.3)
    assert su.n_xi == 8 and su.mdp.V == 3
    with pytest.raises(ValueError, match="unknown family"):
        bayesian.pistar_family("jackpot", 0.5)
    with pytest.raises(ValueError, match="probability"):
        bayesian.pistar_family("exact match", 1.5)


@pytest.mark.parametrize("family, q", list(itertools.product(bayesian.PISTAR_FAMILIES, [0.1, 0.5, 0.8])))
def test_pistar_merge_writes_the_lib_numbers(family, q):
    fig = bayesian.draw_pistar_merge(family, q)
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    v = bayesian.pistar_values(family, q)
    # recompute p(π*) by a plain loop over ξ: first optimal trajectory of each reward row
    fam = bayesian.pistar_family(family, q)
    table = fam.sparse_table()
    p_traj = {}
    tie_mass = 0.0
    for x in range(fam.n_xi):
        best = table[x].max()
        first = int(np.flatnonzero(table[x] == best)[0])
        p_traj[first] = p_traj.get(first, 0.0) + fam.prior[x]
        tie_mass += fam.prior[x] * ((table[x] == best).sum() > 1)
    assert sorted(p_traj.values()) == pytest.approx(sorted(v["p_pi"].tolist()))
    assert v["H_pi"] == pytest.approx(entropy(np.array(list(p_traj.values()))))
    assert v["H_xi"] == pytest.approx(entropy(fam.prior))
    assert v["P_tie"] == pytest.approx(tie_mass)
    assert v["H_pi"] <= v["H_xi"] + 1e-12
    assert f"H(ξ) = {v['H_xi']:.3f}" in s and f"H(π*) = {v['H_pi']:.3f}" in s
    assert f"P(tie) = {v['P_tie']:.3f}" in s
    for p in v["p_pi"]:
        assert f"{p:.3f}" in s
    if family == "exact match":
        assert v["H_pi"] == pytest.approx(v["H_xi"]) and v["P_tie"] == 0
    close(fig)


def test_discretised_parameter():
    assert bayesian.discretised_parameter_joint(3).sum() == pytest.approx(1.0)
    # B = 2 by hand: p(k, s) = [[3/8, 1/8], [1/8, 3/8]], a BSC(1/4) with a fair input
    v = bayesian.discretised_parameter_values((1, 2, 1024))
    assert v["I"][0] == 0.0
    assert v["I"][1] == pytest.approx(1 - binary_entropy(0.25))
    assert v["H"].tolist() == pytest.approx([0, 1, 10])
    assert v["I_limit"] == pytest.approx(1 - 1 / (2 * math.log(2)))
    assert abs(v["I"][2] - v["I_limit"]) < 1e-5
    full = bayesian.discretised_parameter_values()
    assert np.all(np.diff(full["I"]) > 0) and np.all(full["I"] < full["I_limit"])
    with pytest.raises(ValueError, match="positive integer"):
        bayesian.discretised_parameter_joint(0)
    fig = bayesian.draw_discretised_parameter()
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    assert f"{v['I_limit']:.4f}" in s and f"{v['I'][1]:.3f}" in s
    close(fig)


# --------------------------------------------------------------------------------------------
# §2.5
# --------------------------------------------------------------------------------------------

def _direct(family, signal, eps):
    """signal_bandwidth built without the figure module's helpers."""
    mdp = TokenMDP(2, 3)
    fam = match_count(mdp) if family == "match count" else token_utility(mdp)
    base = {"return": ReturnSignal(), "return in 2 bins": QuantisedReturn(2),
            "return in 3 bins": QuantisedReturn(3), "dense rewards": DenseRewards()}[signal]
    sig = base if eps == 0 else NoisySignal(base, eps=eps)
    pol = table_policy(mdp, np.tile([0.8, 0.2], (mdp.n_prefixes, 1)))
    return signal_bandwidth(fam, sig, pol)


@pytest.mark.parametrize("family, signal, eps", [("match count", "return", 0.0),
                                                 ("token utility", "return in 2 bins", 0.1),
                                                 ("token utility", "dense rewards", 0.0),
                                                 ("match count", "return in 3 bins", 0.5)])
def test_signal_bars_write_the_lib_numbers(family, signal, eps):
    fig = measuring.draw_signal_bars(family, signal, eps)
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    b = _direct(family, signal, eps)
    for val in (b.H_S, b.I_S_pi, b.H_S_given_pi, b.I_S_xi_given_tau, b.I_S_pi_given_tau):
        assert f"{val:.3f}" in s
    assert measuring.signal_bars_values(family, signal, eps)["I(S;π*|τ)"] == pytest.approx(b.I_S_pi_given_tau)
    # the sandwich the chapter proves
    chain = [b.I_S_pi, b.I_S_pi_given_tau, b.I_S_xi_given_tau, b.H_S_given_tau, b.H_S]
    assert all(x <= y + 1e-9 for x, y in zip(chain, chain[1:]))
    close(fig)


def test_measuring_helpers_reject_unknown_names():
    with pytest.raises(ValueError, match="unknown family"):
        measuring.measuring_family("exact")
    with pytest.raises(ValueError, match="unknown signal"):
        measuring.measuring_signal("advantage")


def test_bandwidth_split_adds_up_and_is_drawn():
    rows = measuring.bandwidth_split_values("token utility")
    assert len(rows) == len(measuring.SPLIT_SIGNALS)
    for row, (signal, eps) in zip(rows, measuring.SPLIT_SIGNALS):
        b = _direct("token utility", signal, eps)
        assert row["H(S)"] == pytest.approx(b.H_S)
        assert row["I(S;π*)"] + row["H(S|π*)"] == pytest.approx(row["H(S)"])
        assert (row["I(S;τ)"] + row["I(S;π*|τ)"] + row["I(S;ξ|π*,τ)"] + row["H(S|ξ,τ)"]
                == pytest.approx(row["H(S)"]))
        assert row["I(S;ξ|π*,τ)"] >= -1e-12
    fig = measuring.draw_bandwidth_split("token utility")
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    for row in rows:
        assert f"H(S) = {row['H(S)']:.3f}" in s
        assert f"I(S;π*) = {row['I(S;π*)']:.3f}" in s and f"I(S;π*|τ) = {row['I(S;π*|τ)']:.3f}" in s
    close(fig)


def test_exact_match_example_of_the_chapter():
    """Uniform policy: G is independent of ξ, yet it tells h(1/4) bits once τ is known."""
    b = signal_bandwidth(exact_match(TokenMDP(2, 2)))
    assert b.I_S_xi == 0 and b.I_S_pi == 0
    assert b.I_S_xi_given_tau == pytest.approx(binary_entropy(0.25))
    assert optimal_policies(exact_match(TokenMDP(2, 2), prior=string_prior(TokenMDP(2, 2), [0.5, 0.5]))).n_tied == 0


# --------------------------------------------------------------------------------------------
# The demos: a valid grid, and every grid point draws a white figure of the right size
# --------------------------------------------------------------------------------------------

DEMOS = [mdpfig.trajectory_explorer, bayesian.pistar_explorer, measuring.signal_explorer]


@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.name)
def test_demo_grid(demo):
    assert isinstance(demo, Demo)
    assert demo.n_frames <= 40, f"{demo.name}: {demo.n_frames} frames"
    assert demo.description and set(demo.labels) == set(demo.grid)
    for params in demo.points():
        fig = demo.func(**params)
        assert isinstance(fig, Figure) and background_is_white(fig)
        w, h = fig.get_size_inches()
        assert w <= 6.5 and h <= 3.5
        close(fig)
