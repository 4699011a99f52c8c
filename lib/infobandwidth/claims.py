"""Claim checks: every numeric or asymptotic claim of the article, computed, with a verdict.

A claim check is a function in the lib module of its concept, registered here with :func:`claim`.
It computes numbers on a small exact instance and returns a :class:`Finding` with a verdict:

``holds``   the claim is true as stated on the instances computed;
``bound``   true only as an upper (or lower) bound — the quantity can be far from it;
``fails``   the computation contradicts the claim.

A chapter shows a check with :func:`show_claim` (a boxed summary with the numbers); the conclusion
chapter collects every registered check with :func:`all_claims` into one table, recomputing each, so
the verdicts live in data, not only in prose.

Examples
--------
>>> from infobandwidth.claims import evaluate
>>> r = evaluate("one-bit-per-episode")
>>> r.verdict
'bound'
"""
from __future__ import annotations

import html
import importlib
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Finding", "ClaimResult", "claim", "evaluate", "all_claims", "show_claim", "VERDICTS"]

VERDICTS = {
    "holds": "holds",
    "bound": "holds only as a bound",
    "fails": "fails",
}

# Modules that define claim checks; imported on demand so the registry is complete.
_CLAIM_MODULES = [
    "infobandwidth.sample_complexity",
    "infobandwidth.rewards",
    "infobandwidth.bandwidth",
    "infobandwidth.reinforce_signal",
    "infobandwidth.td_information",
]


@dataclass(frozen=True)
class Finding:
    """What a claim-check function returns: the verdict, one sentence of evidence, the numbers."""

    verdict: str
    evidence: str
    numbers: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {sorted(VERDICTS)}, got {self.verdict!r}")


@dataclass(frozen=True)
class ClaimResult:
    """A registered claim together with its freshly computed finding."""

    id: str
    section: str
    statement: str
    verdict: str
    evidence: str
    numbers: dict

    @property
    def verdict_text(self) -> str:
        return VERDICTS[self.verdict]


_REGISTRY: dict[str, tuple[str, str, Callable[[], Finding]]] = {}


def claim(id: str, section: str, statement: str):
    """Register the decorated zero-argument function as the check of one claim of the article.

    Parameters
    ----------
    id : str
        Unique kebab-case identifier.
    section : str
        Article section, e.g. ``"3.1"``.
    statement : str
        The claim, paraphrased (never quoted at length).
    """
    if not id or not isinstance(id, str):
        raise ValueError("a claim needs a nonempty string id")

    def deco(fn: Callable[[], Finding]):
        if id in _REGISTRY and _REGISTRY[id][2].__qualname__ != fn.__qualname__:
            raise ValueError(f"claim id {id!r} is registered twice")
        _REGISTRY[id] = (section, statement, fn)
        return fn

    return deco


def _load_all() -> None:
    for mod in _CLAIM_MODULES:
        importlib.import_module(mod)


def evaluate(id: str) -> ClaimResult:
    """Run the check of claim ``id`` and return its result.

    Raises
    ------
    ValueError
        If no claim has that id (the message lists the known ids).
    """
    _load_all()
    if id not in _REGISTRY:
        raise ValueError(f"unknown claim {id!r}; known claims: {', '.join(sorted(_REGISTRY))}")
    section, statement, fn = _REGISTRY[id]
    f = fn()
    if not isinstance(f, Finding):
        raise ValueError(f"claim check {id!r} returned {type(f).__name__}, not a Finding")
    return ClaimResult(id, section, statement, f.verdict, f.evidence, dict(f.numbers))


def all_claims() -> list[ClaimResult]:
    """Every registered claim, evaluated, ordered by article section then id."""
    _load_all()

    def key(i):
        sec = _REGISTRY[i][0]
        return (tuple(int(x) if x.isdigit() else 0 for x in sec.split(".")), i)

    return [evaluate(i) for i in sorted(_REGISTRY, key=key)]


_COLORS = {"holds": "#1e8449", "bound": "#b9770e", "fails": "#c0392b"}


def show_claim(id: str):
    """Display the claim check ``id`` as a boxed summary (an HTML output) and return its result."""
    from IPython.display import HTML, display

    r = evaluate(id)
    color = _COLORS[r.verdict]
    nums = "".join(
        f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(_fmt(v))}</td></tr>" for k, v in r.numbers.items()
    )
    box = (
        f'<div class="claim-check-box" style="border-left:5px solid {color};padding:.4em .9em;'
        f'margin:1em 0;background:rgba(127,127,127,.07)">'
        f'<p><strong>Claim check (§{html.escape(r.section)}).</strong> {html.escape(r.statement)}</p>'
        f'<p><strong>Verdict:</strong> <span style="color:{color};font-weight:bold">{r.verdict_text}</span>'
        f" — {html.escape(r.evidence)}</p>"
        f'<table class="claim-numbers">{nums}</table></div>'
    )
    display(HTML(box))
    return r


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)
