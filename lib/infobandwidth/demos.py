"""One demo, two forms: a live widget in JupyterLab and a kernel-free widget on the static site.

PROVISIONAL minimal version (live form only). The full version — precomputed frames switched in
the browser, page-weight budget, latency cache — replaces it; the public API below stays.

A chapter writes a demo once, as a :class:`Demo` defined in a ``infobandwidth.figures`` module:

>>> from infobandwidth.demos import Demo, show        # doctest: +SKIP
>>> demo = Demo(name="my-demo", func=draw, grid={"eps": [0.0, 0.1, 0.2]},
...             labels={"eps": "noise ε"})            # doctest: +SKIP
>>> show(demo)                                        # doctest: +SKIP

``func(**params)`` returns a matplotlib Figure that draws the picture *and* the numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

__all__ = ["Demo", "show"]


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
    """

    name: str
    func: Callable[..., Any]
    grid: Mapping[str, Sequence[Any]]
    labels: Mapping[str, str] = field(default_factory=dict)
    description: str = ""


def show(demo: Demo):
    """Return the widget for ``demo`` (live form)."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    sliders = {k: w.SelectionSlider(options=list(v), value=list(v)[0],
                                    description=demo.labels.get(k, k), continuous_update=False)
               for k, v in demo.grid.items()}
    out = w.Output()

    def redraw(**params):
        fig = demo.func(**params)
        with out:
            out.clear_output(wait=True)
            display(fig)
        plt.close(fig)

    w.interactive_output(redraw, sliders)
    return w.VBox([w.HTML(f"<p>{demo.description}</p>"), *sliders.values(), out])
