"""Part 5's headline numbers at any instance, from the closed forms the chapters derive.

:func:`headline` gives the numbers the conclusion's demo draws for any ``T``, ``|V|`` and ``B``:
the new bits per episode of the four signals of §4.1, from their closed forms, and the episodes a
hidden string of ``T`` tokens needs under each (the information bound ``H(ξ)/c`` and, for the
ideal learner, the exact expectation).

Examples
--------
>>> h = headline(T=3, V=2, B=2)         # "at least 2 of 3 match" is a fair coin
>>> round(h["new"]["ac-dense"], 3), round(h["new"]["pg-return"], 3)
(3.0, 1.0)
"""
from __future__ import annotations

import math
import posixpath

import numpy as np

from infobandwidth.base.validate import check_int
from infobandwidth.book.experiments.comparison import ROWS, closed_form
from infobandwidth.learning.sample_complexity import (
    exact_match_episodes_dense,
    exact_match_episodes_sparse,
)

__all__ = ["MAIN_PAGE", "headline", "page_href", "LONG_T", "gaussian_count_bits"]

#: The page that shows the main results (links are made relative to it).
MAIN_PAGE = "book/part5/conclusion"
#: The horizon of the long hidden string of the sample-complexity rows.
LONG_T = 20


def page_href(page: str, docname: str, anchor: str = "") -> str:
    """The link from the built page ``page`` to ``docname`` (both docnames, e.g.
    ``"book/part5/conclusion"``), optionally to an ``anchor`` on it.

    >>> page_href("book/part5/conclusion", "book/part4/comparison", "claim-x")
    '../part4/comparison.html#claim-x'
    """
    for name, value in (("page", page), ("docname", docname)):
        if not isinstance(value, str) or not value or value.endswith((".md", ".html")):
            raise ValueError(f"{name} must be a docname without suffix, e.g. 'book/part4/lora', "
                             f"got {value!r}")
    rel = posixpath.relpath(docname, posixpath.dirname(page)) + ".html"
    return rel + (f"#{anchor}" if anchor else "")


def gaussian_count_bits(T, p: float = 0.5):
    """``½ log2(2πe T p(1−p))``: the Gaussian approximation of the entropy of ``Binomial(T, p)``
    (derived in the conclusion).

    >>> round(float(gaussian_count_bits(1000)), 3)
    6.03
    """
    T = np.asarray(T, dtype=float)
    if np.any(T < 1) or not 0 < p < 1:
        raise ValueError("need T >= 1 and 0 < p < 1")
    return 0.5 * np.log2(2 * np.pi * np.e * T * p * (1 - p))


def headline(T: int, V: int = 2, B: int = 2) -> dict:
    """The conclusion's numbers at any ``T``, ``|V|``, ``B``, from closed forms.

    Parameters
    ----------
    T : int
        Horizon, ``>= 1``.
    V : int
        Vocabulary size, ``>= 2``.
    B : int
        Levels of the sparse grader, ``>= 2``.

    Returns
    -------
    dict
        ``"new"``: row key -> new bits per episode (§4.1 closed forms); ``"H"``: the bits of a
        hidden string, ``T log2 |V|``; ``"bound"``: row key -> ``H / new`` episodes (the
        information bound with that row's rate); ``"ideal_sparse"``, ``"ideal_dense"``: the ideal
        learner's exact expected episodes with a pass/fail and a per-token reward (§4.3), or
        ``inf`` when ``|V|^T`` is beyond float range.

    Raises
    ------
    ValueError
        On an invalid ``T``, ``V`` or ``B``.
    """
    T = check_int(T, "T", 1, "an episode has at least one token")
    V = check_int(V, "V", 2, "a vocabulary has at least two tokens")
    B = check_int(B, "B", 2, "a grader distinguishes at least two levels")
    new = {spec.key: closed_form(spec.key, T, V, B)[1] for spec in ROWS}
    H = T * math.log2(V)
    bound = {k: (H / c if c > 0 else math.inf) for k, c in new.items()}
    ideal_sparse = exact_match_episodes_sparse(V, T) if T * math.log10(V) < 300 else math.inf
    ideal_dense = exact_match_episodes_dense(V, T)
    return {"new": new, "H": H, "bound": bound, "ideal_sparse": ideal_sparse,
            "ideal_dense": ideal_dense}
