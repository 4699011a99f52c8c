"""Glue computed values into a chapter's prose, without importing Sphinx into the kernel.

``myst_nb.glue`` works by displaying the value's MIME bundle with ``scrapbook`` metadata, which the
book build reads back for ``{glue:text}`` roles. Importing it pulls in Sphinx, docutils and the MyST
parser — about five seconds per chapter on this book's machines, for five lines of logic. This
module emits exactly the same output (myst-nb 1.x format, checked in ``tests/test_glue.py`` against
``myst_nb.glue`` itself), so chapters use ``from infobandwidth.book.glue import glue``.

:func:`glued` reads a glued value back in the kernel, formatted: the prose role
``{eval}`glued("name", ".3f")``` shows the number in every form of a chapter. On the site the book's
extension resolves it from the build's glued values exactly like ``{glue:text}`name:.3f``` (no
kernel involved, the execution cache still applies); in JupyterLab, jupyterlab-myst evaluates it in
the live kernel once the cells above have run; the ``.ipynb`` downloads and the student/instructor
editions get the number written in (:mod:`infobandwidth.tools.myst`).
"""
from __future__ import annotations

from ast import literal_eval
from typing import Any

import numpy as np

__all__ = [
    "glue",
    "glued",
    "format_plain_text",
]

GLUE_PREFIX = "application/papermill.record/"  # myst_nb.core.render.GLUE_PREFIX in myst-nb 1.x


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Record ``variable`` under ``name`` for ``{glue:text}`name``` / ``{glue}`name``` in the page.

    Parameters
    ----------
    name : str
        Key used by the roles; unique within the chapter.
    variable : object
        The value; what is stored is its display form (text, and HTML/PNG where it has them).
    display : bool
        Also show the value in the cell's output (``False`` keeps it for the prose only).

    Raises
    ------
    ValueError
        If ``name`` is not a nonempty string.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"glue needs a nonempty string name, got {name!r}")
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    if isinstance(variable, np.generic):
        # numpy >= 2 writes np.float64(0.5) as its text, which no format spec can read: store 0.5
        variable = variable.item()
    mimebundle, metadata = format_display_data(variable)
    if "text/plain" in mimebundle:
        _GLUED[name] = mimebundle["text/plain"]
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=mime_prefix)
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)


#: name -> text/plain of every value glued in this kernel (what the build keeps in <doc>.glue.json).
_GLUED: dict[str, str] = {}


def format_plain_text(text: str, fmt_spec: str = "") -> str:
    """A glued value's ``text/plain`` formatted as MyST-NB's ``{glue:text}`` role formats it.

    The text is read back as a Python literal (so a string loses its quotes); the format spec's
    type letter decides whether the value is formatted as an ``int`` (``d``, ``x``, …), a
    ``float`` (``f``, ``e``, ``g``, ``%``, …) or a ``str``; no spec gives ``str(value)``
    (``myst_nb.core.variables.format_plain_text``, checked against it in ``tests/test_glue.py``).

    Examples
    --------
    >>> format_plain_text("2.321928094887362", ".3f"), format_plain_text("25", "d")
    ('2.322', '25')
    >>> format_plain_text("0.1234", ".1%"), format_plain_text("'holds'")
    ('12.3%', 'holds')
    """
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    type_char = fmt_spec[-1]
    if type_char == "s":
        value = str(value)
    elif type_char in ("b", "c", "d", "o", "x", "X"):
        value = int(value)
    elif type_char in ("e", "E", "f", "F", "g", "G", "n", "%"):
        value = float(value)
    return format(value, fmt_spec)


def glued(name: str, fmt: str = "") -> str:
    """The value glued as ``name`` in this kernel, formatted like ``{glue:text}`name:fmt```.

    For the prose role ``{eval}`glued("name", ".3f")``` (see the module docstring).

    Raises
    ------
    KeyError
        If nothing was glued as ``name`` yet (run the cells above first).

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch("IPython.display.display"):
    ...     glue("demo_h", 2.321928094887362, display=False)
    >>> glued("demo_h", ".3f")
    '2.322'
    """
    if name not in _GLUED:
        raise KeyError(f"nothing was glued as {name!r} yet: run the cells above this text first")
    return format_plain_text(_GLUED[name], fmt)
