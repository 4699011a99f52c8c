"""One demo, two forms: a live widget in JupyterLab and a kernel-free widget on the static site.

A chapter writes a demo once, as a module-level :class:`Demo` in an ``infobandwidth.book.figures``
module, and shows it with :func:`show`:

>>> from infobandwidth.book.demos import Demo, show
>>> demo = Demo(name="my-demo", func=draw, grid={"eps": [0.0, 0.1, 0.2]},
...             labels={"eps": "noise ε"})            # doctest: +SKIP
>>> show(demo)                                        # doctest: +SKIP

``func(**params)`` returns a matplotlib Figure that draws the picture *and* the numbers: on the
static site nothing is computed after the build, so every number the reader should see has to be
in the picture.

The two forms
-------------
**Static (the book build, ``IB_BUILD`` set, see** :func:`infobandwidth.base.progress.in_build` **).**
Every grid point is drawn once, at build time, to a PNG frame (:data:`FRAME_DPI`, quantised to a
256-colour palette). The frames sit in nested ``Stack`` widgets — one level per parameter — whose
``selected_index`` is ``jslink``-ed to the ``index`` of that parameter's ``SelectionSlider``. Moving
a slider therefore switches frames in the browser, with no kernel. A 1-parameter demo may ask for a
Play button (``Demo(..., play=True)``) that steps the slider.

**Live (JupyterLab, Colab).** The same sliders; each change re-runs ``func`` through
``interactive_output`` and shows the PNG. Rendered frames are kept in an LRU cache
(:data:`LIVE_CACHE_FRAMES`), and the rest of the grid is rendered ahead of the reader, nearest
points first — in one worker process when ``func`` is importable by name (every demo of
``infobandwidth.book.figures``), else in the kernel's idle time — so a slider move is usually a cache
lookup (see ``bench/bench_demos.py`` for the latency this buys: a cold frame of the book's demos
takes 0.2–0.4 s, over the 100 ms target).

Page-weight budget
------------------
Frames are embedded in the page as base64 PNG, so the grid size *is* the page weight. The budget is
counted in the bytes the frames add to the HTML (base64, 4/3 of the PNG bytes):

* :data:`DEMO_BUDGET_BYTES` = 1.5 MB per demo,
* :data:`PAGE_BUDGET_BYTES` = 2.5 MB per page (all demos of one chapter, i.e. one kernel).

Why these numbers: a chapter page already loads ~1 MB compressed of JavaScript (the widget manager,
MathJax) and its static figures. 2.5 MB of frames on top keeps a chapter under ~4 MB, about 3 s on a
10 Mbit/s phone connection; base64 PNG does not compress further. At the default 96 dpi a 6×3.5-inch
frame is 6–15 KB after quantisation, so 1.5 MB is 100–200 frames: a 10×10 grid fits, a 40×30 one
does not. A demo whose grid would exceed its budget raises :class:`ValueError` naming the demo, its
frame count and the estimate (made from the first frame, before rendering the rest) — shrink the
grid, or the figure.
"""
from __future__ import annotations

import html
import importlib
import io
import itertools
import math
import pkgutil
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

from infobandwidth.base.progress import in_build

__all__ = [
    "Demo",
    "show",
    "all_demos",
    "render_frame",
    "frame_bytes",
    "FRAME_DPI",
    "DEMO_BUDGET_BYTES",
    "PAGE_BUDGET_BYTES",
    "LIVE_CACHE_FRAMES",
]

#: Resolution of every frame, static and live (a 6-inch-wide figure becomes 576 px).
FRAME_DPI = 96
#: Largest weight one demo's frames may add to a page, in bytes of base64 (see the module doc).
DEMO_BUDGET_BYTES = 1_500_000
#: Largest weight the frames of all demos of one page (one kernel) may add, in bytes of base64.
PAGE_BUDGET_BYTES = 2_500_000
#: How many rendered frames the live form keeps (all demos of the kernel together).
LIVE_CACHE_FRAMES = 512

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Demo:
    """A demo: a drawing function and the grid of parameter values a reader can choose from.

    Parameters
    ----------
    name : str
        Unique id (kebab-case), used in error messages, tests and benchmarks.
    func : callable
        ``func(**params) -> matplotlib.figure.Figure``; called once per grid point.
    grid : mapping of str to sequence
        For each keyword of ``func``, the values offered (one slider each, in this order).
    labels : mapping of str to str
        Slider labels; defaults to the parameter names.
    description : str
        One sentence telling the reader what to try.
    play : bool
        Add a Play button that steps through the values (1-parameter demos only).

    Raises
    ------
    ValueError
        If the name is not kebab-case, ``func`` is not callable, the grid is empty, a parameter
        has no values or repeats a value, or a label names no parameter.

    Examples
    --------
    >>> d = Demo(name="noise", func=lambda eps: None, grid={"eps": [0.0, 0.5]})
    >>> d.n_frames, d.shape
    (2, (2,))
    """

    name: str
    func: Callable[..., Any]
    grid: Mapping[str, Sequence[Any]]
    labels: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    play: bool = False

    def __post_init__(self):
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ValueError(f"demo name {self.name!r} must be kebab-case (like 'noisy-channel'): "
                             "it is used in test ids and the benchmark table")
        if not callable(self.func):
            raise ValueError(f"demo {self.name!r}: func must be callable, got {type(self.func).__name__}")
        if not isinstance(self.grid, Mapping) or not self.grid:
            raise ValueError(f"demo {self.name!r}: grid must be a non-empty mapping "
                             "{parameter: [values...]}")
        frozen = {}
        for key, values in self.grid.items():
            if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) and not hasattr(values, "__iter__"):
                raise ValueError(f"demo {self.name!r}: grid[{key!r}] must be a list of values, "
                                 f"got {values!r}")
            values = tuple(values)
            if not values:
                raise ValueError(f"demo {self.name!r}: grid[{key!r}] has no values; give at least one")
            labels = [_value_label(v) for v in values]
            if len(set(labels)) != len(labels):
                dup = sorted({x for x in labels if labels.count(x) > 1})
                raise ValueError(f"demo {self.name!r}: grid[{key!r}] repeats the value(s) {dup}; "
                                 "each slider position must be a different value")
            frozen[key] = values
        object.__setattr__(self, "grid", frozen)
        unknown = set(self.labels) - set(frozen)
        if unknown:
            raise ValueError(f"demo {self.name!r}: labels for {sorted(unknown)} name no parameter of "
                             f"the grid {list(frozen)}")
        if self.play and len(frozen) != 1:
            raise ValueError(f"demo {self.name!r}: play=True needs exactly one parameter, "
                             f"the grid has {len(frozen)}")

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values of each parameter, in grid order."""
        return tuple(len(v) for v in self.grid.values())

    @property
    def n_frames(self) -> int:
        """Number of grid points, i.e. frames of the static form."""
        return math.prod(self.shape)

    def points(self) -> Iterator[dict[str, Any]]:
        """Every grid point as a ``func`` keyword dict, last parameter varying fastest."""
        keys = list(self.grid)
        for combo in itertools.product(*self.grid.values()):
            yield dict(zip(keys, combo))

    def label(self, key: str) -> str:
        """The slider label of parameter ``key``."""
        return self.labels.get(key, key)


def _value_label(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


# ------------------------------------------------------------------------------------------------
# Frames
# ------------------------------------------------------------------------------------------------

def render_frame(demo: Demo, params: Mapping[str, Any], *, quantise: bool = True,
                 dpi: int = FRAME_DPI) -> bytes:
    """Draw one grid point of ``demo`` and return it as PNG bytes; the figure is closed.

    Parameters
    ----------
    demo : Demo
    params : mapping
        Keyword arguments of ``demo.func``.
    quantise : bool
        Reduce to a 256-colour palette (about 3× smaller; used for the static site).
    dpi : int
        Resolution.

    Raises
    ------
    ValueError
        If ``func`` does not return a matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    fig = demo.func(**params)
    if not isinstance(fig, Figure):
        raise ValueError(f"demo {demo.name!r}: func({_fmt_params(params)}) returned "
                         f"{type(fig).__name__}, not a matplotlib Figure; return the figure you drew")
    try:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    finally:
        plt.close(fig)
    png = buf.getvalue()
    if quantise:
        from PIL import Image

        img = Image.open(io.BytesIO(png)).convert("RGB")
        out = io.BytesIO()
        img.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(out, format="png", optimize=True)
        if out.tell() < len(png):
            png = out.getvalue()
    return png


def frame_bytes(png: bytes) -> int:
    """Bytes one PNG frame adds to the page: its base64 length."""
    return 4 * math.ceil(len(png) / 3)


def _fmt_params(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n < 10e6 else f"{n / 1e6:.0f} MB"


# Bytes of frames already embedded by this process (= this page: the build runs one kernel per page).
_page_bytes = 0
_page_lock = threading.Lock()


def reset_page_weight() -> None:
    """Forget the frames counted against :data:`PAGE_BUDGET_BYTES` (tests; a new page)."""
    global _page_bytes
    with _page_lock:
        _page_bytes = 0


def page_weight() -> int:
    """Bytes of frames the static demos shown by this process have embedded so far."""
    return _page_bytes


def static_frames(demo: Demo, *, demo_budget: int | None = None,
                  page_budget: int | None = None) -> list[bytes]:
    """Render every frame of ``demo`` (grid order), enforcing the page-weight budget.

    The first frame is rendered alone and its size times the number of frames is checked against
    both budgets before any other frame is drawn; the real total is checked again at the end.

    Raises
    ------
    ValueError
        ``demo 'x' has 1200 frames, ~24 MB > budget 1.50 MB per demo; shrink the grid ...``
    """
    global _page_bytes
    demo_budget = DEMO_BUDGET_BYTES if demo_budget is None else demo_budget
    page_budget = PAGE_BUDGET_BYTES if page_budget is None else page_budget
    points = list(demo.points())
    n = len(points)
    first = render_frame(demo, points[0])
    estimate = frame_bytes(first) * n
    _check_budget(demo, n, estimate, demo_budget, page_budget, estimated=True)
    frames = [first] + [render_frame(demo, p) for p in points[1:]]
    total = sum(frame_bytes(f) for f in frames)
    _check_budget(demo, n, total, demo_budget, page_budget, estimated=False)
    with _page_lock:
        _page_bytes += total
    return frames


def _check_budget(demo, n, size, demo_budget, page_budget, *, estimated):
    approx = "~" if estimated else ""
    how = ("estimated from the first frame" if estimated else "measured")
    shape = "×".join(str(s) for s in demo.shape)
    if size > demo_budget:
        raise ValueError(
            f"demo {demo.name!r} has {n} frames ({shape}), {approx}{_mb(size)} ({how}) > budget "
            f"{_mb(demo_budget)} per demo; shrink the grid (fewer values per slider) or the figure")
    if _page_bytes + size > page_budget:
        raise ValueError(
            f"demo {demo.name!r} has {n} frames ({shape}), {approx}{_mb(size)} ({how}); with the "
            f"{_mb(_page_bytes)} of frames already on this page that is > budget {_mb(page_budget)} "
            f"per page; shrink the grid or split the demos over two chapters")


# ------------------------------------------------------------------------------------------------
# Widgets
# ------------------------------------------------------------------------------------------------

def _sliders(demo: Demo, *, continuous: bool):
    import ipywidgets as w

    sliders = {}
    for key, values in demo.grid.items():
        sliders[key] = w.SelectionSlider(
            options=[(_value_label(v), v) for v in values], index=0,
            description=demo.label(key), continuous_update=continuous,
            style={"description_width": "initial"},
            layout=w.Layout(width="100%", max_width="34em"))
        sliders[key].add_class("ib-demo-slider")
    return sliders


def _header(demo: Demo):
    import ipywidgets as w

    if not demo.description:
        return []
    return [w.HTML(f'<p class="ib-demo-description">{html.escape(demo.description)}</p>')]


def _controls(demo: Demo, sliders) -> list:
    import ipywidgets as w

    rows = list(sliders.values())
    if demo.play:
        (key, slider), = sliders.items()
        n = len(demo.grid[key])
        play = w.Play(min=0, max=n - 1, step=1, value=0, interval=700,
                      description=f"play {demo.label(key)}")
        w.jslink((play, "value"), (slider, "index"))
        rows[0] = w.HBox([play, slider], layout=w.Layout(align_items="center"))
    return rows


def _image(png: bytes):
    import ipywidgets as w

    img = w.Image(value=png, format="png", layout=w.Layout(max_width="100%", height="auto"))
    img.add_class("ib-demo-frame")
    return img


def _static(demo: Demo):
    import ipywidgets as w

    frames = static_frames(demo)
    sliders = _sliders(demo, continuous=True)
    keys = list(demo.grid)
    shape = demo.shape
    links = []

    def build(level: int, offset: int):
        """Stack for parameter ``level``; ``offset`` = index of its first frame in grid order."""
        stride = math.prod(shape[level + 1:])
        if level == len(shape) - 1:
            children = [_image(frames[offset + i]) for i in range(shape[level])]
        else:
            children = [build(level + 1, offset + i * stride) for i in range(shape[level])]
        stack = w.Stack(children=children, selected_index=0)
        stack.add_class("ib-demo-stack")
        links.append(w.jslink((sliders[keys[level]], "index"), (stack, "selected_index")))
        return stack

    stack = build(0, 0)
    box = w.VBox([*_header(demo), *_controls(demo, sliders), stack])
    box.add_class("ib-demo")
    box.add_class("ib-demo-static")
    box.ib_demo, box.ib_sliders, box.ib_stack, box.ib_links = demo, sliders, stack, links
    return box


class _FrameCache:
    """LRU cache of rendered live frames, shared by all demos of the process (thread-safe)."""

    def __init__(self, size: int = LIVE_CACHE_FRAMES):
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def key(demo: Demo, params: Mapping[str, Any]):
        return (demo.name, id(demo.func), tuple(_value_label(params[k]) for k in demo.grid))

    def __contains__(self, k):
        return k in self._data

    def __len__(self):
        return len(self._data)

    def lookup(self, demo: Demo, params: Mapping[str, Any]) -> bytes | None:
        k = self.key(demo, params)
        with self._lock:
            if k in self._data:
                self._data.move_to_end(k)
                return self._data[k]
        return None

    def get(self, demo: Demo, params: Mapping[str, Any]) -> bytes:
        png = self.lookup(demo, params)
        if png is not None:
            self.hits += 1
            return png
        self.misses += 1
        return self.put(demo, params)

    def put(self, demo: Demo, params: Mapping[str, Any], png: bytes | None = None) -> bytes:
        if png is None:
            png = render_frame(demo, params, quantise=False)
        k = self.key(demo, params)
        with self._lock:
            self._data[k] = png
            self._data.move_to_end(k)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return png

    def clear(self):
        with self._lock:
            self._data.clear()
        self.hits = self.misses = 0


#: The live form's frame cache (``LIVE_CACHE.clear()`` after editing a drawing function).
LIVE_CACHE = _FrameCache()


def _by_distance(demo: Demo, index: tuple[int, ...]) -> list[dict[str, Any]]:
    """Every grid point except ``index``, nearest first (L1 distance in slider steps)."""
    values = list(demo.grid.values())
    keys = list(demo.grid)
    pts = []
    for idx in itertools.product(*(range(len(v)) for v in values)):
        d = sum(abs(a - b) for a, b in zip(idx, index))
        if d:
            pts.append((d, idx))
    pts.sort()
    return [{k: values[a][i] for a, (k, i) in enumerate(zip(keys, idx))} for _, idx in pts]


class _LoopPrefetcher:
    """Renders the grid, nearest points first, one frame per idle turn of the kernel's event loop.

    A slider message waits at most for the one frame being drawn. Without a running loop (plain
    Python, tests) nothing is prefetched.
    """

    def __init__(self, demo: Demo):
        self.demo = demo
        self.token = 0

    def get(self, params):
        return LIVE_CACHE.get(self.demo, params)

    def schedule(self, index):
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self.token += 1
        mine = self.token
        todo = [p for p in _by_distance(self.demo, index)[:LIVE_CACHE.size // 2]
                if LIVE_CACHE.key(self.demo, p) not in LIVE_CACHE]

        def step():
            if self.token != mine or not todo:
                return  # the reader moved on: a newer schedule owns the loop
            try:
                LIVE_CACHE.put(self.demo, todo.pop(0))
            except Exception:  # never disturb the reader; the live call will show the error
                return
            loop.call_later(0.02, step)

        loop.call_later(0.05, step)


_EXECUTOR = None
_EXECUTOR_LOCK = threading.Lock()


def _worker_init():  # runs in the prefetch process
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # "interrupt kernel" is for the kernel, not us
    os.environ.pop("IB_BUILD", None)
    import matplotlib

    matplotlib.use("Agg")


def _executor():
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            import atexit
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            _EXECUTOR = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                                            initializer=_worker_init)
            atexit.register(_EXECUTOR.shutdown, wait=False, cancel_futures=True)
        return _EXECUTOR


class _ProcessPrefetcher:
    """Renders the grid in one worker process, nearest points first, while the reader looks.

    The kernel stays free: a slider move is a cache lookup, or waits for the frame if the worker
    is drawing it, or draws it itself if it is not queued. Needs a ``func`` importable by module
    and name (every demo in ``infobandwidth.book.figures``); others use :class:`_LoopPrefetcher`.
    """

    def __init__(self, demo: Demo):
        self.demo = demo
        self.pending: dict = {}

    @staticmethod
    def usable(demo: Demo) -> bool:
        import pickle

        mod = getattr(demo.func, "__module__", None) or "__main__"
        if mod == "__main__" or "<locals>" in getattr(demo.func, "__qualname__", "<locals>"):
            return False
        try:
            pickle.dumps(demo)
        except Exception:
            return False
        return True

    def get(self, params):
        png = LIVE_CACHE.lookup(self.demo, params)
        if png is not None:
            LIVE_CACHE.hits += 1
            return png
        fut = self.pending.get(LIVE_CACHE.key(self.demo, params))
        if fut is not None and fut.running():
            try:
                png = fut.result(timeout=30)
                LIVE_CACHE.hits += 1
                return LIVE_CACHE.put(self.demo, params, png)
            except Exception:
                pass
        return LIVE_CACHE.get(self.demo, params)

    def schedule(self, index):
        for k, fut in list(self.pending.items()):
            if fut.cancel() or fut.done():
                del self.pending[k]
        try:
            ex = _executor()
        except Exception:  # no processes here (some sandboxes): live without prefetch
            return
        for p in _by_distance(self.demo, index)[:LIVE_CACHE.size // 2]:
            k = LIVE_CACHE.key(self.demo, p)
            if k in LIVE_CACHE or k in self.pending:
                continue
            fut = ex.submit(render_frame, self.demo, p, quantise=False)
            fut.add_done_callback(lambda f, p=p: (not f.cancelled() and f.exception() is None
                                                  and LIVE_CACHE.put(self.demo, p, f.result())))
            self.pending[k] = fut


def _prefetcher(demo: Demo, mode: str):
    if mode == "auto":
        mode = "process" if _ProcessPrefetcher.usable(demo) else "loop"
    if mode == "process":
        return _ProcessPrefetcher(demo)
    if mode == "loop":
        return _LoopPrefetcher(demo)
    if mode == "none":
        pre = _LoopPrefetcher(demo)
        pre.schedule = lambda index: None
        return pre
    raise ValueError(f"prefetch must be 'auto', 'process', 'loop' or 'none', got {mode!r}")


def _live(demo: Demo, prefetch: str = "auto"):
    import ipywidgets as w

    sliders = _sliders(demo, continuous=False)
    img = _image(b"")
    pre = _prefetcher(demo, prefetch)

    def update(**params):
        img.value = pre.get(params)
        pre.schedule(tuple(s.index for s in sliders.values()))

    # start the prefetch (and its worker process) before the first frame is drawn here
    pre.schedule(tuple(s.index for s in sliders.values()))
    out = w.interactive_output(update, sliders)
    box = w.VBox([*_header(demo), *_controls(demo, sliders), img, out])
    box.add_class("ib-demo")
    box.add_class("ib-demo-live")
    box.ib_demo, box.ib_sliders, box.ib_image, box.ib_prefetcher = demo, sliders, img, pre
    return box


def show(demo: Demo, *, form: str | None = None, prefetch: str = "auto"):
    """Return the widget for ``demo``: kernel-free frames in the build, the live form otherwise.

    Parameters
    ----------
    demo : Demo
    form : {"static", "live"}, optional
        Force a form; by default ``"static"`` when :func:`~infobandwidth.base.progress.in_build` is true.
    prefetch : {"auto", "process", "loop", "none"}
        Live form only: how frames are rendered ahead of the reader. ``"process"`` uses one
        worker process (the kernel stays free), ``"loop"`` the kernel's idle time; ``"auto"``
        picks ``"process"`` when ``func`` is importable by name, else ``"loop"``.

    Raises
    ------
    ValueError
        If the static form would exceed the page-weight budget (see the module doc), or ``func``
        does not return a Figure.
    """
    if not isinstance(demo, Demo):
        raise ValueError(f"show() takes a Demo, got {type(demo).__name__}")
    if form is None:
        form = "static" if in_build() else "live"
    if form == "static":
        return _static(demo)
    if form == "live":
        return _live(demo, prefetch)
    raise ValueError(f"form must be 'static' or 'live', got {form!r}")


# ------------------------------------------------------------------------------------------------
# Registry
# ------------------------------------------------------------------------------------------------

def all_demos(package: str = "infobandwidth.book.figures") -> list[Demo]:
    """Every module-level :class:`Demo` of every module of ``package``, in module order.

    Raises
    ------
    ValueError
        If two different demos share a name.

    Examples
    --------
    >>> names = [d.name for d in all_demos()]
    >>> len(names) == len(set(names))
    True
    """
    pkg = importlib.import_module(package)
    found: list[Demo] = []
    owner: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__, prefix=pkg.__name__ + "."),
                       key=lambda m: m.name):
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            if not isinstance(value, Demo) or any(value is d for d in found):
                continue
            where = f"{info.name}.{attr}"
            if value.name in owner:
                raise ValueError(f"two demos are named {value.name!r}: {owner[value.name]} and "
                                 f"{where}; demo names must be unique")
            owner[value.name] = where
            found.append(value)
    return found
