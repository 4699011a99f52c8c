"""The figures and demos of §2.3 and §2.4: each draws a Figure, and the numbers it writes are the lib's."""
import itertools
import time

import matplotlib
import numpy as np
import pytest
from infobandwidth.book.demos import Demo
from infobandwidth.book.figures import dpi, information
from infobandwidth.information.channels import binary_symmetric_channel, markov_chain_joint
from infobandwidth.information.measures import (
    binary_entropy,
    conditional_entropy,
    entropy,
    mutual_information,
)
from matplotlib.figure import Figure
from matplotlib.text import Text

matplotlib.use("Agg")


def texts(fig: Figure) -> str:
    """Every string drawn on the figure (titles, labels, annotations, legend, tick labels)."""
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def background_is_white(fig: Figure) -> bool:
    return matplotlib.colors.to_hex(fig.get_facecolor()) == "#ffffff"


# --------------------------------------------------------------------------------------------
# §2.3
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p1, eps", [(0.5, 0.1), (0.3, 0.2), (0.05, 0.5), (0.2, 0.9), (0.5, 0.0)])
def test_joint_explorer_writes_the_lib_numbers(p1, eps):
    fig = information.draw_joint_explorer(p1, eps)
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    pxy = np.array([[(1 - p1) * (1 - eps), (1 - p1) * eps], [p1 * eps, p1 * (1 - eps)]])
    expected = {
        "H(X)": entropy(pxy.sum(1)), "H(Y)": entropy(pxy.sum(0)),
        "H(X|Y)": conditional_entropy(pxy), "H(Y|X)": conditional_entropy(pxy.T),
        "I(X;Y)": mutual_information(pxy), "H(X,Y)": entropy(pxy),
    }
    for name, val in expected.items():
        assert f"{name} = {val:.3f}" in s, (name, s)
    for val in pxy.ravel():                       # the joint table
        assert f"{val:.3f}" in s
    assert information.joint_explorer_values(p1, eps) == pytest.approx(expected)


def test_joint_explorer_identities():
    """The diagram's pieces add up: H(X) = H(X|Y) + I, H(X,Y) = H(X|Y) + I + H(Y|X)."""
    for p1, eps in itertools.product([0.05, 0.3, 0.5], [0.0, 0.2, 0.5, 1.0]):
        v = information.joint_explorer_values(p1, eps)
        assert v["H(X|Y)"] + v["I(X;Y)"] == pytest.approx(v["H(X)"])
        assert v["H(Y|X)"] + v["I(X;Y)"] == pytest.approx(v["H(Y)"])
        assert v["H(X|Y)"] + v["I(X;Y)"] + v["H(Y|X)"] == pytest.approx(v["H(X,Y)"])
        assert v["I(X;Y)"] == pytest.approx(information.joint_explorer_values(p1, 1 - eps)["I(X;Y)"])


def test_entropy_levels_figure():
    fig = information.draw_entropy_levels()
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    for B in (2, 5, 10):
        assert f"{np.log2(B):.2f}" in s
    assert f"$H_b(0.1)$ = {binary_entropy(0.1):.3f}" in s
    v = information.entropy_levels_values()
    assert v["uniform"] == pytest.approx(np.log2(v["B"]))
    assert np.all(v["skewed"] < v["uniform"])


# --------------------------------------------------------------------------------------------
# §2.4
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [(0.1, 0.2), (0.0, 0.0), (0.4, 0.05), (0.5, 0.3), (0.05, 0.5)])
def test_bsc_chain_writes_the_lib_numbers(a, b):
    fig = dpi.draw_bsc_chain(a, b)
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    p = markov_chain_joint([0.5, 0.5], binary_symmetric_channel(a), binary_symmetric_channel(b))
    i_xy = mutual_information(p.sum(axis=2))
    i_xz = mutual_information(p.sum(axis=1))
    assert f"{i_xy:.3f}" in s and f"{i_xz:.3f}" in s
    ab = a * (1 - b) + b * (1 - a)
    assert f"a ⋆ b = {ab:.3f}" in s
    # the closed forms the title states
    assert i_xy == pytest.approx(1 - binary_entropy(a), abs=1e-12)
    assert i_xz == pytest.approx(1 - binary_entropy(ab), abs=1e-12)
    assert i_xz <= i_xy + 1e-12


def test_cascade_curves():
    fig = dpi.draw_cascade_curves()
    assert isinstance(fig, Figure) and background_is_white(fig)
    s = texts(fig)
    v = dpi.cascade_curves_values()
    for a, i_xy in zip(v["a"], v["I(X;Y)"]):
        assert i_xy == pytest.approx(1 - binary_entropy(a))
        assert f"I(X;Y) = {i_xy:.3f}" in s
    # every curve starts at I(X;Y), never rises, never passes it, and ends at 0
    assert v["I(X;Z)"][:, 0] == pytest.approx(v["I(X;Y)"])
    assert np.all(np.diff(v["I(X;Z)"], axis=1) <= 1e-12)
    assert np.all(v["I(X;Z)"] <= v["I(X;Y)"][:, None] + 1e-12)
    assert v["I(X;Z)"][:, -1] == pytest.approx(0, abs=1e-12)


# --------------------------------------------------------------------------------------------
# The demos: every grid point draws, quickly, within the frame budget
# --------------------------------------------------------------------------------------------

DEMOS = [information.joint_explorer, dpi.bsc_chain]


@pytest.mark.parametrize("demo", DEMOS, ids=lambda d: d.name)
def test_demo_grid(demo):
    assert isinstance(demo, Demo)
    assert len(demo.grid) <= 2
    n = int(np.prod([len(v) for v in demo.grid.values()]))
    assert n <= 60, f"{demo.name}: {n} frames"
    assert demo.description and set(demo.labels) == set(demo.grid)
    import matplotlib.pyplot as plt
    cpu = []
    for values in itertools.product(*demo.grid.values()):
        params = dict(zip(demo.grid, values))
        t0 = time.process_time()           # CPU time: robust to a loaded machine
        fig = demo.func(**params)
        cpu.append(time.process_time() - t0)
        assert isinstance(fig, Figure)
        assert background_is_white(fig)
        w, h = fig.get_size_inches()
        assert w <= 7 and h <= 3.5
        plt.close(fig)
    # the first call pays for imports and font caches; the typical frame must be quick
    assert float(np.median(cpu[1:])) < 0.05, f"{demo.name}: median {np.median(cpu[1:]):.3f} s"
