"""The figure style module: its helpers set what they promise, and it is the only place that
defines the palette or hides spines."""
import re
from pathlib import Path

import matplotlib
import pytest
from infobandwidth.book.figures import style
from matplotlib.colors import is_color_like, same_color

FIGURES = Path(style.__file__).parent
HEX = re.compile(r"""["']#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?["']""")


def _axes():
    return style.new_figure(3, 2).subplots()


def test_new_figure():
    fig = style.new_figure(6.4, 3.3)
    assert tuple(fig.get_size_inches()) == (6.4, 3.3)
    assert fig.dpi == style.DPI == 100
    assert same_color(fig.get_facecolor(), "white")


@pytest.mark.parametrize("grid, on, off", [("both", "xy", ""), ("x", "x", "y"), ("y", "y", "x")])
def test_style_axes_grid_and_spines(grid, on, off):
    ax = _axes()
    style.style_axes(ax, grid=grid, labelsize=7.5)
    for name in on:
        lines = getattr(ax, f"{name}axis").get_gridlines()
        assert lines and all(g.get_visible() and same_color(g.get_color(), style.GRID) for g in lines)
    for name in off:
        assert not any(g.get_visible() for g in getattr(ax, f"{name}axis").get_gridlines())
    assert ax.get_axisbelow() is True
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert ax.spines["left"].get_visible() and ax.spines["bottom"].get_visible()
    for axis in (ax.xaxis, ax.yaxis):
        assert axis.get_major_ticks()[0].label1.get_fontsize() == 7.5


def test_style_axes_options():
    ax = _axes()
    default = ax.xaxis.get_major_ticks()[0].label1.get_fontsize()
    style.style_axes(ax, grid=None, labelsize=8, ticks="y")
    assert not any(g.get_visible() for g in ax.xaxis.get_gridlines() + ax.yaxis.get_gridlines())
    assert ax.get_axisbelow() == matplotlib.rcParams["axes.axisbelow"]   # left alone
    assert ax.yaxis.get_major_ticks()[0].label1.get_fontsize() == 8
    assert ax.xaxis.get_major_ticks()[0].label1.get_fontsize() == default
    assert not ax.spines["top"].get_visible()

    ax = _axes()
    style.style_axes(ax, grid_lw=0.6)
    assert ax.yaxis.get_gridlines()[0].get_linewidth() == 0.6


def test_despine():
    ax = _axes()
    style.despine(ax, ("top",))
    assert not ax.spines["top"].get_visible()
    assert ax.spines["right"].get_visible()
    style.despine(ax)
    assert not ax.spines["right"].get_visible()


def test_opaque_legend():
    ax = _axes()
    ax.plot([0, 1], label="a")
    frame = ax.legend(**style.OPAQUE_LEGEND).get_frame()
    assert frame.get_alpha() == 1 and same_color(frame.get_edgecolor(), "white")


def test_palette_is_valid():
    names = [n for n in style.__all__ if n.isupper() and isinstance(getattr(style, n), str)]
    assert {"GRID", "ARTICLE", "LEARN", "REINFORCE", "ACTOR_CRITIC", "BOUND"} <= set(names)
    for n in names:
        if n != "BACKGROUND":
            assert HEX.fullmatch(repr(getattr(style, n))), n
        assert is_color_like(getattr(style, n)), n
    assert all(is_color_like(c) for c in style.CATEGORICAL)
    assert len(set(style.CATEGORICAL)) == len(style.CATEGORICAL)


def test_no_figure_module_defines_its_own_style():
    """Colours, grids and spines come from style.py: no other figure module writes a hex colour
    (such as the palette's) or touches spines itself."""
    palette = {getattr(style, n).lower() for n in style.__all__
               if isinstance(getattr(style, n), str) and getattr(style, n).startswith("#")}
    modules = sorted(p for p in FIGURES.glob("*.py") if p.name != "style.py")
    assert len(modules) >= 9
    for path in modules:
        text = path.read_text(encoding="utf-8")
        literals = {m.group(0)[1:-1].lower() for m in HEX.finditer(text)}
        assert not literals, f"{path.name} writes hex colours {sorted(literals)}; use style.py " \
                             f"(palette colours among them: {sorted(literals & palette)})"
        assert ".spines[" not in text, f"{path.name} styles spines itself; use style.despine"
        assert "set_axisbelow" not in text, f"{path.name} places its grid itself; use style.style_axes"
