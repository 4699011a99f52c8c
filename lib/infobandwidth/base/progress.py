"""Progress bars that show when a reader runs a chapter live and stay silent in the book build.

The build sets the environment variable ``IB_BUILD=1`` (see ``run.py``); any nonempty value other
than ``0`` silences the bars so no stray output reaches the static pages.
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator, TypeVar

__all__ = [
    "in_build",
    "progress",
]

T = TypeVar("T")


def in_build() -> bool:
    """True when running inside the static-site build (``IB_BUILD`` set and not ``0``)."""
    return os.environ.get("IB_BUILD", "") not in ("", "0")


def progress(iterable: Iterable[T], total: int | None = None, desc: str = "") -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar when run live; return it unchanged in the build.

    Parameters
    ----------
    iterable : iterable
        What to iterate over.
    total : int, optional
        Number of items, if ``len(iterable)`` is not available.
    desc : str
        Label shown before the bar.
    """
    if in_build():
        return iter(iterable)
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is in requirements.txt, but a bar is never worth a crash
        return iter(iterable)
    return iter(tqdm(iterable, total=total, desc=desc, leave=False))
