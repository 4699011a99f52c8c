"""The demos of §3.1, §3.1.3, §3.2 and §3.2.2: their frames change with every control, and the numbers
they draw are the library's, checked against independent oracles (closed forms, brute force over
the (ξ, τ) pairs, and the chapter's own runs)."""
from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest
from infobandwidth.book import demos
from infobandwidth.book.demos import render_frame
from infobandwidth.book.experiments.actor_critic import (
    DENSE_FAMILIES,
    TD_TABLE_CRITICS,
    dense_per_step,
    dense_scaling,
    frozen_critic_table,
)
from infobandwidth.book.experiments.policy_gradient import (
    PG_SETTINGS,
    PG_TASKS,
    STEP_START_A,
    STEP_STRINGS,
    chapter_runs,
    identify_row,
    one_step,
)
from infobandwidth.book.figures.actor_critic import (
    dense_steps_demo,
    dense_steps_values,
    td_table_demo,
    td_table_values,
)
from infobandwidth.book.figures.policy_gradient import (
    draw_one_step,
    identify_demo,
    identify_values,
    one_step_demo,
)
from infobandwidth.learning.curves import run_seeds
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import make_family

DEMOS = (identify_demo, td_table_demo, dense_steps_demo)


@pytest.fixture(autouse=True)
def _clean():
    demos.reset_page_weight()
    yield
    demos.reset_page_weight()


# ------------------------------------------------------------------ brute-force oracles
def _H(counts) -> float:
    p = np.asarray(list(counts), dtype=float)
    p = p[p > 0] / p.sum()
    return float(-(p * np.log2(p)).sum())


def _cond_entropy(weight, obs, given) -> float:
    """H(obs | given) for a joint given as parallel lists (weight, obs, given), by counting."""
    out = 0.0
    for g in set(given):
        sub = [(w, o) for w, o, gg in zip(weight, obs, given) if gg == g]
        mass = sum(w for w, _ in sub)
        per = {}
        for w, o in sub:
            per[o] = per.get(o, 0.0) + w
        out += mass * _H(per.values())
    return out


def _strings(T):
    return ["".join(s) for s in itertools.product("ab", repeat=T)]


# ------------------------------------------------------------------ frames change with every control
@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.name)
def test_every_control_changes_the_frame(demo):
    base = dict(next(iter(demo.points())))
    first = render_frame(demo, base)
    for key, values in demo.grid.items():
        moved = {**base, key: values[-1]}
        assert render_frame(demo, moved) != first, f"{demo.name}: moving {key} left the frame as it was"


@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.name)
def test_grids_stay_small(demo):
    assert demo.n_frames <= 12       # every frame is drawn in the chapter's build


# ------------------------------------------------------------------ §3.2: the TD-error table
def _td_oracle(critic: str):
    """δ[ξ, τ, t] by hand for exact match, |V| = 2, T = 2, uniform policy (V̂(s_T) = 0)."""
    ft = frozen_critic_table(critic)
    S = _strings(2)
    delta = np.zeros((4, 4, 2))
    for i, xi in enumerate(S):
        for j, tau in enumerate(S):
            r = [0.0, float(tau == xi)]
            if critic == "none (δ = r)":
                v = {"": 0.0, tau[0]: 0.0}
            elif critic == "E_ξ[V^π_ξ] (good, ξ-free)":
                v = {"": 0.25, tau[0]: 0.25}        # every prefix: 1/4 of the strings extend it, π = ½·½
            elif critic == "V^π_ξ (knows ξ)":
                v = {"": 0.25, tau[0]: 0.5 if tau[0] == xi[0] else 0.0}
            else:                                   # the random critic: read its table
                return ft, None
            delta[i, j] = [r[0] + v[tau[0]] - v[""], r[1] + 0.0 - v[tau[0]]]
    return ft, delta


@pytest.mark.parametrize("critic", TD_TABLE_CRITICS)
def test_td_table_is_the_hand_computed_table(critic):
    ft, delta = _td_oracle(critic)
    if delta is not None:
        assert np.allclose(ft.delta, delta)
    for t in (0, 1):
        assert np.array_equal(td_table_values(critic, t)["table"], ft.delta[:, :, t])


@pytest.mark.parametrize("critic", TD_TABLE_CRITICS)
def test_td_demo_numbers_against_brute_force(critic):
    ft = frozen_critic_table(critic)
    v = td_table_values(critic, 1)
    n = 4
    pairs = [(i, j) for i in range(n) for j in range(n)]
    w = [1 / 16] * 16
    vec = [tuple(np.round(ft.delta[i, j], 9)) for i, j in pairs]
    tau = [j for _, j in pairs]
    # the critic a learner holds: one table per ξ for the critic that knows ξ, else the same one
    crit = [i // 2 if critic.startswith("V^π_ξ") else 0 for i, _ in pairs]   # V^π_ξ shows ξ's first token
    assert v["H(δ)"] == pytest.approx(_H(np.unique(vec, axis=0, return_counts=True)[1]), abs=1e-9)
    assert v["I(δ;ξ|τ)"] == pytest.approx(_cond_entropy(w, vec, tau), abs=1e-9)
    assert v["I(δ;ξ|τ,critic)"] == pytest.approx(
        _cond_entropy(w, vec, list(zip(tau, crit))), abs=1e-9)
    for t in (0, 1):
        step = [round(float(ft.delta[i, j, t]), 9) for i, j in pairs]
        assert v["H_step"][t] == pytest.approx(_H(np.unique(step, return_counts=True)[1]), abs=1e-9)
        assert v["I_step_tau"][t] == pytest.approx(_cond_entropy(w, step, tau), abs=1e-9)
        assert v["I_step_new"][t] == pytest.approx(
            _cond_entropy(w, step, list(zip(tau, crit))), abs=1e-9)
    h_quarter = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    assert v["I(G;ξ|τ)"] == pytest.approx(h_quarter, abs=1e-12)       # the return: H_b(1/4)
    if not critic.startswith("V^π_ξ"):
        assert v["I(δ;ξ|τ,critic)"] == pytest.approx(h_quarter, abs=1e-9)   # the theorem
        assert v["I_step_new"][0] == 0


def test_td_table_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown critic"):
        frozen_critic_table("perfect")
    with pytest.raises(ValueError, match="T <= 4"):
        frozen_critic_table("random", T=6)
    with pytest.raises(ValueError, match="step 0..1"):
        td_table_values("random", 2)


# ------------------------------------------------------------------ §3.2.2: bits per step, dense
@pytest.mark.parametrize("name", list(DENSE_FAMILIES))
@pytest.mark.parametrize("T", [2, 3])
def test_dense_steps_against_brute_force(name, T):
    """I(r_0..r_t; ξ | τ) by counting reward prefixes over all (ξ, τ) pairs, uniform prior/policy."""
    fam = DENSE_FAMILIES[name](TokenMDP(2, T))
    r = np.asarray(fam.dense_table(), dtype=float)         # (n_xi, n_tau, T)
    n_xi, n_tau = r.shape[:2]
    w = [1 / (n_xi * n_tau)] * (n_xi * n_tau)
    tau = [j for _ in range(n_xi) for j in range(n_tau)]
    cum = []
    for t in range(T):
        obs = [tuple(np.round(r[i, j, :t + 1], 9)) for i in range(n_xi) for j in range(n_tau)]
        cum.append(_cond_entropy(w, obs, tau))            # r is a function of (ξ, τ)
    d = dense_per_step(name, T)
    assert np.allclose(d["cumulative"], cum, atol=1e-9)
    assert np.allclose(d["new"], np.diff(np.r_[0.0, cum]), atol=1e-9)
    levels = [len(np.unique(np.round(r[:, :, t], 9))) for t in range(T)]
    assert np.allclose(d["log2_B"], np.log2(levels))
    assert d["H_xi"] == pytest.approx(math.log2(n_xi))


def test_dense_steps_closed_forms_and_the_page_table():
    for name in ("exact match", "shared utilities"):          # each step halves: 1, 1/2, 1/4, ...
        assert np.allclose(dense_per_step(name, 5)["new"], 2.0 ** -np.arange(5))
    for name in ("per-position utilities", "match count"):    # a fresh bit per step
        assert np.allclose(dense_per_step(name, 5)["new"], 1.0)
    table = dense_scaling((2, 3, 5))
    for name in DENSE_FAMILIES:
        for k, T in enumerate((2, 3, 5)):
            v = dense_steps_values(name, T)
            assert v["I_dense"] == pytest.approx(table[name]["I_dense"][k], abs=1e-12)
            assert v["I_sparse"] == pytest.approx(table[name]["I_sparse"][k], abs=1e-12)
            assert float(v["log2_B"].sum()) == pytest.approx(table[name]["steps_bound"][k])
            assert v["top"] >= max(v["H_xi"], float(v["log2_B"].sum()))


def test_dense_steps_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown family"):
        dense_per_step("exact", 3)
    with pytest.raises(ValueError, match="positive integer"):
        dense_per_step("exact match", 0)


# ------------------------------------------------------------------ §3.1.3: the step size
def test_identify_demo_at_the_chapter_step_size_is_the_chapter_row():
    table = chapter_runs()
    for k, (label, *_rest) in enumerate(PG_TASKS):
        row = identify_row(label, PG_SETTINGS["lr"])
        assert row is table.rows[k]
        v = identify_values(label, PG_SETTINGS["lr"])
        assert (v["bound"], v["data"], v["reinforce"]) == (row.bound, row.data_mean,
                                                           row.reinforce_median)


def test_identify_demo_against_run_seeds_and_the_closed_form():
    label, name, V, T = PG_TASKS[0]                         # exact match, V=3, T=3
    fam = make_family(name, TokenMDP(V, T))
    s = run_seeds("reinforce", fam, "prior", 6, threshold=0.9, posterior=True,
                  **{**PG_SETTINGS, "lr": 8.0})
    known = [float(c.episodes[np.flatnonzero(c.entropy_pi_star <= 1e-12)[0]]) for c in s.runs]
    v = identify_values(label, 8.0)
    assert v["data"] == pytest.approx(np.mean(known))
    assert v["reinforce"] == s.median_episodes
    assert v["bound"] == pytest.approx(T * math.log2(V))               # H(π*)/log2 2 = T log2 |V|
    assert v["H_pi"] == pytest.approx(optimal_policies(fam).entropy_pi_star())
    # before its first hit every return of a batch is 0, the leave-one-out advantages are 0 and the
    # policy does not move: the data identify ξ at the same episode whatever the step size
    assert identify_values(label, 1.0)["data"] == v["data"]
    assert identify_values(label, 1.0)["reinforce"] > v["reinforce"]


def test_identify_row_rejects_bad_arguments():
    with pytest.raises(ValueError, match="unknown task"):
        identify_row("exact match, V=9, T=9", 2.0)
    with pytest.raises(ValueError, match="positive step size"):
        identify_row(PG_TASKS[0][0], 0.0)


# ------------------------------------------------------------------ §3.1: one REINFORCE step
def _hand_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _hand_log_p(logits, tau):
    """log p_θ(τ) for |V| = 2, T = 2: rows "", "a", "b"; a product of two softmax entries."""
    first, second = "ab".index(tau[0]), "ab".index(tau[1])
    pi = _hand_softmax(logits)
    return math.log(pi[0, first]) + math.log(pi[1 + first, second])


def _hand_step(tau, G, b, lr):
    """θ_before, and α (G − b) ∇ log p_θ(τ) by central finite differences (no library call)."""
    p_a = np.array(STEP_START_A)
    theta = np.log(np.stack([p_a, 1 - p_a], axis=1))
    grad, eps = np.zeros_like(theta), 1e-6
    for idx in np.ndindex(*theta.shape):
        up, down = theta.copy(), theta.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (_hand_log_p(up, tau) - _hand_log_p(down, tau)) / (2 * eps)
    return theta, lr * (G - b) * grad


def _hand_p_tau(logits):
    return np.array([math.exp(_hand_log_p(logits, t)) for t in STEP_STRINGS])


@pytest.mark.parametrize("point", list(one_step_demo.points()),
                         ids=lambda p: f"{p['tau']}-G{p['G']:g}-b{p['baseline']:g}")
def test_one_step_against_finite_differences(point):
    st = one_step(**point)
    theta, delta = _hand_step(point["tau"], point["G"], point["baseline"], PG_SETTINGS["lr"])
    assert np.allclose(st.logits_before, theta)
    assert np.allclose(st.delta, delta, atol=1e-6)
    assert np.allclose(st.p_tau_before, _hand_p_tau(theta))
    assert np.allclose(st.p_tau_after, _hand_p_tau(theta + delta), atol=1e-6)
    off_path = 2 if point["tau"][0] == "a" else 1            # the row of the prefix τ did not visit
    assert np.array_equal(st.delta[off_path], [0.0, 0.0])
    if point["G"] == point["baseline"]:
        assert not st.delta.any()                            # G − b = 0: no step at all


def test_one_step_frame_writes_the_oracle_numbers():
    point = {"tau": "ba", "G": 1.0, "baseline": 0.5}
    theta, delta = _hand_step(**{"tau": "ba", "G": 1.0, "b": 0.5, "lr": PG_SETTINGS["lr"]})
    fig = draw_one_step(**point)
    texts = {t.get_text() for t in fig.texts} | {t.get_text() for ax in fig.axes for t in ax.texts}
    before, after = _hand_softmax(theta), _hand_softmax(theta + delta)
    for row in range(3):
        for col in range(2):
            assert f"{before[row, col]:.2f} → {after[row, col]:.2f}" in texts
    for p in (*_hand_p_tau(theta), *_hand_p_tau(theta + delta)):
        assert f"{p:.2f}" in texts
    lines = [t for t in texts if t.startswith("Δθ[row")]
    for row in (0, 2):                                       # the path of ba: s₀, then b
        want = "(" + ", ".join(f"{x:+.2f}".replace("-", "−") for x in delta[row]) + ")"
        assert any(want in t for t in lines), want


def test_one_step_demo_every_control_changes_the_frame():
    assert one_step_demo.n_frames <= 16
    base = {"tau": "aa", "G": 1.0, "baseline": 0.0}
    first = render_frame(one_step_demo, base)
    for key, values in one_step_demo.grid.items():
        moved = {**base, key: next(v for v in values if v != base[key])}
        assert render_frame(one_step_demo, moved) != first, f"moving {key} left the frame as it was"


def test_one_step_rejects_bad_arguments():
    with pytest.raises(ValueError, match="tau must be one of"):
        one_step("abc", 1.0)
    with pytest.raises(ValueError, match="G must be a finite number"):
        one_step("ab", float("nan"))
    with pytest.raises(ValueError, match="positive step size"):
        one_step("ab", 1.0, lr=0.0)
