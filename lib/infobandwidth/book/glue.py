"""Glue computed values into a chapter's prose, without importing Sphinx into the kernel.

``myst_nb.glue`` works by displaying the value's MIME bundle with ``scrapbook`` metadata, which the
book build reads back for ``{glue:text}`` roles. Importing it pulls in Sphinx, docutils and the MyST
parser — about five seconds per chapter on this book's machines, for five lines of logic. This
module emits exactly the same output (myst-nb 1.x format, checked in ``tests/test_glue.py`` against
``myst_nb.glue`` itself), so chapters use ``from infobandwidth.book.glue import glue``.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "glue",
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

    mimebundle, metadata = format_display_data(variable)
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=mime_prefix)
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)
