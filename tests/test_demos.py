"""The demo machinery: registry, static (kernel-free) form, page-weight budget, live form, switch.

The drawing functions here are test fixtures (tiny, fast figures); the real demos of the book are
swept by `test_every_registered_demo_*` and by bench/bench_demos.py.
"""
from __future__ import annotations

import asyncio
import io
import textwrap
import threading
import time

import ipywidgets as w
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from infobandwidth.book import demos
from infobandwidth.book.demos import Demo, all_demos, show
from PIL import Image

CALLS: list[dict] = []


def draw_line(a=1, b=0.0):
    """A small figure whose pixels depend on both parameters."""
    CALLS.append({"a": a, "b": b})
    fig, ax = plt.subplots(figsize=(2, 1.5))
    x = np.linspace(0, 1, 20)
    ax.plot(x, a * x + b)
    ax.set_ylim(-1, 4)
    ax.set_title(f"a={a} b={b:g}", fontsize=7)
    return fig


def draw_noise(n=10):
    """A figure that quantises badly: random pixels (for the budget test)."""
    fig = plt.figure(figsize=(4, 3))
    fig.figimage(np.random.default_rng(n).random((288, 384, 3)))
    return fig


ONE = Demo(name="one-param", func=draw_line, grid={"a": [0, 1, 2]}, labels={"a": "slope"},
           description="Move the slope.", play=True)
TWO = Demo(name="two-params", func=draw_line, grid={"a": [0, 1, 2], "b": [0.0, 0.5, 1.0, 1.5]},
           labels={"a": "slope", "b": "offset"})


@pytest.fixture(autouse=True)
def _clean():
    demos.reset_page_weight()
    demos.LIVE_CACHE.clear()
    CALLS.clear()
    yield
    demos.reset_page_weight()
    plt.close("all")


def _leaves(stack):
    out = []
    for child in stack.children:
        out.extend(_leaves(child) if isinstance(child, w.Stack) else [child])
    return out


def _png_of(params):
    return demos.render_frame(TWO, params)


# ------------------------------------------------------------------ Demo validation

@pytest.mark.parametrize("kwargs, match", [
    (dict(name="Bad Name", func=draw_line, grid={"a": [1]}), "kebab-case"),
    (dict(name="x", func=3, grid={"a": [1]}), "callable"),
    (dict(name="x", func=draw_line, grid={}), "non-empty"),
    (dict(name="x", func=draw_line, grid={"a": []}), "no values"),
    (dict(name="x", func=draw_line, grid={"a": [1, 1.0]}), "repeats"),
    (dict(name="x", func=draw_line, grid={"a": [1]}, labels={"z": "?"}), "name no parameter"),
    (dict(name="x", func=draw_line, grid={"a": [1], "b": [0.0]}, play=True), "exactly one"),
])
def test_bad_demo_definitions_say_what_to_fix(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Demo(**kwargs)


def test_grid_points_are_in_order_last_parameter_fastest():
    pts = list(TWO.points())
    assert TWO.shape == (3, 4) and TWO.n_frames == 12 == len(pts)
    assert pts[0] == {"a": 0, "b": 0.0} and pts[1] == {"a": 0, "b": 0.5} and pts[4] == {"a": 1, "b": 0.0}


# ------------------------------------------------------------------ registry

def test_registry_finds_module_level_demos(tmp_path, monkeypatch):
    pkg = tmp_path / "fakefigs"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "alpha.py").write_text(textwrap.dedent("""
        from infobandwidth.book.demos import Demo
        def f(x=0): pass
        first = Demo(name="alpha-one", func=f, grid={"x": [0, 1]})
        alias = first                      # the same demo twice is found once
        not_a_demo = 3
    """))
    (pkg / "beta.py").write_text(textwrap.dedent("""
        from infobandwidth.book.demos import Demo
        def g(y=0): pass
        second = Demo(name="beta-one", func=g, grid={"y": [0, 1, 2]})
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    found = all_demos("fakefigs")
    assert [d.name for d in found] == ["alpha-one", "beta-one"]


def test_registry_rejects_duplicate_names(tmp_path, monkeypatch):
    pkg = tmp_path / "dupfigs"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for mod in ("a", "b"):
        (pkg / f"{mod}.py").write_text(
            "from infobandwidth.book.demos import Demo\n"
            "d = Demo(name='same', func=print, grid={'x': [1]})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError, match="two demos are named 'same'"):
        all_demos("dupfigs")


def test_registry_of_the_book_has_unique_valid_demos():
    found = all_demos()
    assert all(isinstance(d, Demo) for d in found)
    assert len({d.name for d in found}) == len(found)


# ------------------------------------------------------------------ static form

def test_static_form_two_parameters_nested_stacks_and_links():
    box = show(TWO, form="static")
    outer = box.ib_stack
    assert isinstance(outer, w.Stack) and len(outer.children) == 3
    assert all(isinstance(c, w.Stack) and len(c.children) == 4 for c in outer.children)
    leaves = _leaves(outer)
    assert len(leaves) == TWO.n_frames and all(isinstance(x, w.Image) for x in leaves)
    assert all(x.format == "png" and x.value[:8] == b"\x89PNG\r\n\x1a\n" for x in leaves)
    # frame (a, b) sits at outer[a_index].children[b_index]
    a_i, b_i = 2, 3
    assert outer.children[a_i].children[b_i].value == _png_of({"a": 2, "b": 1.5})
    assert outer.children[0].children[0].value != outer.children[a_i].children[b_i].value
    # one jslink per stack: slider a -> outer, slider b -> each of the 3 inner stacks
    links = box.ib_links
    assert len(links) == 1 + 3
    sa, sb = box.ib_sliders["a"], box.ib_sliders["b"]
    targets_a = [lk.target[0] for lk in links if lk.source[0] is sa]
    targets_b = [lk.target[0] for lk in links if lk.source[0] is sb]
    assert targets_a == [outer]
    assert sorted(map(id, targets_b)) == sorted(map(id, outer.children))
    assert all(lk.source[1] == "index" and lk.target[1] == "selected_index" for lk in links)
    assert isinstance(sa, w.SelectionSlider) and sa.description == "slope"
    assert [o[0] for o in sb.options] == ["0", "0.5", "1", "1.5"]


def test_static_form_one_parameter_with_play_button():
    box = show(ONE, form="static")
    assert len(box.ib_stack.children) == 3
    assert all(isinstance(c, w.Image) for c in box.ib_stack.children)
    row = box.children[1]
    assert isinstance(row, w.HBox) and isinstance(row.children[0], w.Play)
    assert row.children[0].max == 2
    assert "Move the slope." in box.children[0].value


def test_frames_are_small_quantised_pngs():
    png = demos.render_frame(TWO, {"a": 1, "b": 0.5})
    img = Image.open(io.BytesIO(png))
    assert img.mode == "P"  # 256-colour palette
    assert img.size == (2 * demos.FRAME_DPI, int(1.5 * demos.FRAME_DPI))
    assert len(png) < 15_000


def test_budget_violation_names_the_demo_before_rendering_everything():
    big = Demo(name="too-big", func=draw_noise, grid={"n": list(range(400))})
    rendered = []
    orig = big.func

    def counting(**p):
        rendered.append(p)
        return orig(**p)

    object.__setattr__(big, "func", counting)
    with pytest.raises(ValueError) as exc:
        show(big, form="static")
    msg = str(exc.value)
    assert "'too-big'" in msg and "400 frames" in msg and "~" in msg and "MB" in msg
    assert "budget" in msg and "shrink the grid" in msg
    assert len(rendered) == 1, "the budget must be checked from the first frame, before the rest"


def test_page_budget_counts_every_demo_of_the_page(monkeypatch):
    one = sum(demos.frame_bytes(f) for f in demos.static_frames(TWO))
    demos.reset_page_weight()
    monkeypatch.setattr(demos, "PAGE_BUDGET_BYTES", int(one * 2.5))
    show(TWO, form="static")
    show(TWO, form="static")
    assert demos.page_weight() == pytest.approx(2 * one, rel=0.01)
    with pytest.raises(ValueError, match="per page"):
        show(TWO, form="static")


def test_func_must_return_a_figure():
    bad = Demo(name="no-figure", func=lambda x=0: "oops", grid={"x": [0, 1]})
    with pytest.raises(ValueError, match="not a matplotlib Figure"):
        show(bad, form="static")


# ------------------------------------------------------------------ live form

def test_live_form_recomputes_on_change_and_caches():
    box = show(TWO, form="live", prefetch="none")
    img, sliders = box.ib_image, box.ib_sliders
    first = img.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert CALLS == [{"a": 0, "b": 0.0}]
    sliders["a"].value = 2
    assert CALLS[-1] == {"a": 2, "b": 0.0}
    assert img.value != first
    sliders["b"].value = 1.5
    assert CALLS[-1] == {"a": 2, "b": 1.5}
    n_calls = len(CALLS)
    sliders["a"].value = 0
    sliders["b"].value = 0.0  # back to the first point: served from the cache
    assert img.value == first
    assert len(CALLS) == n_calls + 1  # (0, 1.5) was new, (0, 0.0) was cached
    assert demos.LIVE_CACHE.hits >= 1


def test_live_cache_is_bounded():
    cache = demos._FrameCache(size=3)
    for b in (0.0, 0.5, 1.0, 1.5):
        cache.get(TWO, {"a": 1, "b": b})
    assert len(cache._data) == 3
    assert cache.key(TWO, {"a": 1, "b": 0.0}) not in cache


def test_live_form_prefetches_in_the_event_loop_when_func_is_not_importable():
    local = Demo(name="local-demo", func=lambda a=1, b=0.0: draw_line(a, b), grid=TWO.grid)
    assert not demos._ProcessPrefetcher.usable(local)

    async def scenario():
        box = show(local, form="live")  # renders (0, 0.0) and schedules the rest of the grid
        assert isinstance(box.ib_prefetcher, demos._LoopPrefetcher)
        for _ in range(200):
            await asyncio.sleep(0.05)
            if demos.LIVE_CACHE.key(local, {"a": 1, "b": 0.5}) in demos.LIVE_CACHE:
                break
        return box

    # a thread of its own: the test must not depend on whether the suite has a loop running here
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("box", asyncio.run(scenario())))
    worker.start()
    worker.join(timeout=60)
    box = result["box"]
    for p in ({"a": 0, "b": 0.5}, {"a": 1, "b": 0.0}, {"a": 1, "b": 0.5}):  # nearest first
        assert demos.LIVE_CACHE.key(local, p) in demos.LIVE_CACHE, p
    n = len(CALLS)
    box.ib_sliders["b"].value = 0.5  # a one-step move: already rendered
    assert len(CALLS) == n


def test_live_form_prefetches_the_grid_in_a_worker_process():
    assert demos._ProcessPrefetcher.usable(TWO)
    box = show(TWO, form="live", prefetch="process")
    assert isinstance(box.ib_prefetcher, demos._ProcessPrefetcher)
    deadline = time.time() + 60
    while time.time() < deadline and len(demos.LIVE_CACHE) < TWO.n_frames:
        time.sleep(0.1)
    assert len(demos.LIVE_CACHE) == TWO.n_frames, "the worker did not render the whole grid"
    assert CALLS == [{"a": 0, "b": 0.0}], "the other frames were drawn in the worker, not here"
    box.ib_sliders["a"].value = 2
    box.ib_sliders["b"].value = 1.5
    assert box.ib_image.value == demos.render_frame(TWO, {"a": 2, "b": 1.5}, quantise=False)
    assert len(CALLS) == 2  # the render_frame above; the moves themselves were cache hits


def test_bad_prefetch_mode():
    with pytest.raises(ValueError, match="prefetch must be"):
        show(TWO, form="live", prefetch="psychic")


# ------------------------------------------------------------------ the switch

def test_in_build_switch(monkeypatch):
    monkeypatch.setenv("IB_BUILD", "1")
    assert "ib-demo-static" in show(ONE)._dom_classes
    monkeypatch.setenv("IB_BUILD", "0")
    assert "ib-demo-live" in show(ONE)._dom_classes
    monkeypatch.delenv("IB_BUILD")
    assert "ib-demo-live" in show(ONE)._dom_classes
    with pytest.raises(ValueError, match="form must be"):
        show(ONE, form="movie")


# ------------------------------------------------------------------ every demo of the book

@pytest.mark.parametrize("demo", all_demos(), ids=lambda d: d.name)
def test_every_registered_demo_fits_the_budget_and_draws_every_point(demo):
    box = show(demo, form="static")
    leaves = _leaves(box.ib_stack)
    assert len(leaves) == demo.n_frames
    assert sum(demos.frame_bytes(x.value) for x in leaves) <= demos.DEMO_BUDGET_BYTES
