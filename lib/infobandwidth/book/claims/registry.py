"""Claim checks: every numeric or asymptotic claim of the article, computed, with a verdict.

A claim check is a function in the claims module of its chapter, registered here with
:func:`claim`. It computes numbers on small exact instances and returns a :class:`Finding` with a
verdict and the rule that turned the numbers into it:

``holds``        the claim is true as stated on the instances computed;
``bound``        true only as an upper (or lower) bound — the quantity can be far from it;
``fails``        the computation contradicts the claim;
``ill-defined``  the claim's words allow several computations, and their numbers disagree about it
                 (the box shows each reading's numbers).

Every finding also says how large the instances are that it rests on (``instances``, e.g.
"72 instances, |𝒱| ≤ 3, T ≤ 3, |Ξ| ≤ 512"): a verdict is only as strong as what was computed.

The rules
---------
A verdict is never typed: it is derived from the numbers by one of the rules of :data:`RULES`,
whose thresholds are the named constants below (and the tolerances of
:mod:`infobandwidth.base.numerics`). A chapter prints the rule next to the verdict.

:data:`ORDER_SHARE` = 0.5
    "About X" (a rate, a size, a factor) holds when the computed value reaches at least half of X:
    the claim then has the right order of magnitude. Below that, X is only a ceiling.
:data:`EQUAL_SHARE` = 0.9
    "Equals X" or "is constant" holds when every value is within 10 % of X (or of the largest).
:data:`RISE_BITS` = 0.5
    A quantity "goes from low to high" when it rises by at least half a bit.

A claim whose words allow several computations computes each reading, places each against the
claim (:func:`range_place`), and combines them with :func:`reading_verdict` (the ``"reading"``
rule): a shared outcome decides the verdict, a disagreement makes it ``"ill-defined"``.

A chapter shows a check with :func:`show_claim` (a boxed summary with the numbers); the conclusion
chapter collects every registered check with :func:`all_claims` into one table, recomputing each, so
the verdicts live in data, not only in prose.

Examples
--------
>>> from infobandwidth.book.claims.registry import evaluate
>>> r = evaluate("one-bit-per-episode")
>>> r.verdict
'bound'
"""
from __future__ import annotations

import hashlib
import html
import importlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from infobandwidth.base.numerics import SLACK_BITS

__all__ = [
    "Finding",
    "ClaimResult",
    "claim",
    "evaluate",
    "all_claims",
    "show_claim",
    "VERDICTS",
    "RULES",
    "ORDER_SHARE",
    "EQUAL_SHARE",
    "RISE_BITS",
    "theorem_verdict",
    "share_verdict",
    "ceiling_verdict",
    "factor_verdict",
    "lower_bound_verdict",
    "counterexample_verdict",
    "reading_verdict",
    "range_place",
    "PLACE_VERDICT",
    "describe_instances",
]

VERDICTS = {
    "holds": "holds",
    "bound": "holds only as a bound",
    "fails": "fails",
    "ill-defined": "ill-defined: depends on the reading",
}

#: "About X" holds when the computed value is at least this share of X (right order of magnitude).
ORDER_SHARE = 0.5
#: "Equals X" / "is constant" holds when every value is within this share of X (or of the largest).
EQUAL_SHARE = 0.9
#: A quantity "rises from low to high" when it grows by at least this many bits.
RISE_BITS = 0.5

#: How the numbers decide the verdict: rule name -> the rule in one sentence.
RULES = {
    "theorem": (f"holds if the inequality or identity is violated by at most {SLACK_BITS:g} bits "
                f"(rounding) on every instance computed; fails otherwise"),
    "ceiling": (f"fails if a value exceeds the claimed ceiling by more than {SLACK_BITS:g} bits; "
                f"holds if the typical value reaches {ORDER_SHARE:.0%} of it; otherwise the claim "
                f"holds only as a bound"),
    "near-ceiling": (f"fails if a value exceeds its ceiling by more than {SLACK_BITS:g} bits; holds if "
                     f"every value is within {1 - EQUAL_SHARE:.0%} of it; otherwise only a bound"),
    "factor": (f"fails if no instance shows any gain (every ratio ≤ 1); holds if the smallest ratio "
               f"reaches {ORDER_SHARE:.0%} of the claimed factor; otherwise only a bound"),
    "lower-bound": (f"fails if a measured count falls below the claimed lower bound; holds if it is "
                    f"within a factor {1 / ORDER_SHARE:g} of it; otherwise the bound is loose: "
                    f"holds only as a bound"),
    "counterexample": ("fails if one exact instance contradicts the claim; holds if none of the "
                       "instances computed does"),
    "rise": (f"holds if the quantity rises by at least {RISE_BITS:g} bits over the run and what is "
             f"new rises too; fails otherwise"),
    "reading": ("holds if every reading the claim's words allow puts the computed value inside the "
                "claimed range; fails if every reading puts it in the same place outside; "
                "ill-defined if the readings put it in different places (the numbers of each "
                "reading are shown)"),
}


def theorem_verdict(worst_violation: float) -> str:
    """``"holds"`` if the largest violation of an inequality or identity is rounding (≤ SLACK_BITS)."""
    return "holds" if worst_violation <= SLACK_BITS else "fails"


def share_verdict(value: float, target: float, share: float = ORDER_SHARE) -> str:
    """``"holds"`` if ``value`` reaches ``share · target``, else ``"bound"``."""
    return "holds" if value >= share * target else "bound"


def ceiling_verdict(top: float, ceiling: float, typical: float | None = None,
                    share: float = ORDER_SHARE) -> str:
    """The ``"ceiling"`` rule: ``"fails"`` if ``top`` exceeds ``ceiling`` beyond rounding; else
    ``"holds"`` if ``typical`` (default ``top``) reaches ``share · ceiling``; else ``"bound"``."""
    if top > ceiling + SLACK_BITS:
        return "fails"
    return share_verdict(top if typical is None else typical, ceiling, share)


def factor_verdict(ratios, factor: float) -> str:
    """The ``"factor"`` rule for "``factor`` times more": fails without any gain, holds at
    :data:`ORDER_SHARE` of the factor, else bound."""
    ratios = list(ratios)
    if not ratios:
        raise ValueError("factor_verdict needs at least one ratio (no instance carried information?)")
    if max(ratios) <= 1 + SLACK_BITS:
        return "fails"
    return share_verdict(min(ratios), factor)


def lower_bound_verdict(measured: float, bound: float) -> str:
    """The ``"lower-bound"`` rule: ``measured / bound`` below 1 fails, within ``1/ORDER_SHARE`` holds."""
    ratio = measured / bound
    if ratio < 1 - SLACK_BITS:
        return "fails"
    return "holds" if ratio <= 1 / ORDER_SHARE else "bound"


def counterexample_verdict(found: bool) -> str:
    """The ``"counterexample"`` rule: one exact counterexample makes the claim fail."""
    return "fails" if found else "holds"


def range_place(values, low: float, high: float) -> str:
    """Where computed values fall against a claimed range ``[low, high]``.

    Returns ``"inside"`` (every value in the range), ``"below"`` (every value under ``low``),
    ``"above"`` (every value over ``high``) or ``"across"`` (some in, some out, or both sides).

    Examples
    --------
    >>> range_place([1.0, 1.26], 2, 5), range_place([5.67], 2, 5), range_place([1.7, 2.2], 2, 5)
    ('below', 'above', 'across')
    """
    vals = [float(v) for v in values]
    if not vals:
        raise ValueError("range_place needs at least one value")
    if all(low <= v <= high for v in vals):
        return "inside"
    if all(v < low for v in vals):
        return "below"
    if all(v > high for v in vals):
        return "above"
    return "across"


#: The verdict of a reading that puts a claimed range's value in each place.
PLACE_VERDICT = {"inside": "holds", "below": "fails", "above": "fails", "across": "fails"}


def reading_verdict(outcomes) -> str:
    """The ``"reading"`` rule: ``"ill-defined"`` when the readings of a claim disagree.

    Each reading the claim's words allow is computed and gets an outcome: a verdict under its own
    rule, or, for a claimed range, the place of its values (:func:`range_place`). If every reading
    has the same outcome, the verdict is that outcome's (``"inside"`` holds, any place outside
    fails); if the outcomes differ, the claim has no single meaning and the verdict is
    ``"ill-defined"``.

    Parameters
    ----------
    outcomes : mapping or iterable
        ``{reading: outcome}``, or the outcomes alone; each a key of :data:`VERDICTS` or of
        :data:`PLACE_VERDICT`.

    Raises
    ------
    ValueError
        No reading, or an outcome that is neither a verdict nor a place.

    Examples
    --------
    >>> reading_verdict({"entropy rate": "below", "effective samples": "below"})
    'fails'
    >>> reading_verdict({"entropy rate": "below", "effective samples": "above"})
    'ill-defined'
    >>> reading_verdict(["holds", "holds"])
    'holds'
    """
    outs = list(outcomes.values()) if hasattr(outcomes, "values") else list(outcomes)
    if not outs:
        raise ValueError("reading_verdict needs the outcome of at least one reading")
    bad = [o for o in outs if o not in VERDICTS and o not in PLACE_VERDICT]
    if bad:
        raise ValueError(f"unknown outcomes {bad}; each must be a verdict ({', '.join(VERDICTS)}) "
                         f"or a place ({', '.join(PLACE_VERDICT)})")
    if any(o != outs[0] for o in outs):
        return "ill-defined"
    return PLACE_VERDICT.get(outs[0], outs[0])


def _span(values) -> str:
    vals = sorted(set(values))
    if not vals:
        raise ValueError("describe_instances: a size with no values")

    def fmt(v):
        return f"{v:g}" if isinstance(v, float) else str(v)

    return f" = {fmt(vals[0])}" if len(vals) == 1 else f" ≤ {fmt(vals[-1])}"


def describe_instances(count: int, what: str = "instances", **sizes) -> str:
    """The ``instances`` line of a finding: how many instances, and the largest of each size.

    Parameters
    ----------
    count : int
        Number of instances (exact computations) the verdict rests on.
    what : str
        What is counted (``"instances"``, ``"runs"``, ``"joint distributions"``...).
    **sizes : iterable
        For each size (``V``, ``T``, ``n_xi`` for ``|Ξ|``, ...), its values over the instances: one
        value prints as ``= v``, several as ``≤ max``. Keyword ``n_xi`` prints as ``|Ξ|``.

    Examples
    --------
    >>> describe_instances(72, V=[2, 3], T=[2, 3], n_xi=[4, 512])
    '72 instances, |𝒱| ≤ 3, T ≤ 3, |Ξ| ≤ 512'
    >>> describe_instances(1, "instance", V=[2], T=[8], n_xi=[256])
    '1 instance, |𝒱| = 2, T = 8, |Ξ| = 256'
    """
    names = {"n_xi": "|Ξ|", "V": "|𝒱|"}  # the notation page's symbols
    parts = [f"{count} {what}"]
    parts += [f"{names.get(k, k)}{_span(v)}" for k, v in sizes.items()]
    return ", ".join(parts)


# The modules that define claim checks, one per chapter, imported on demand so the registry is
# complete (tests/test_claims.py checks that this list names every module of the package).
_CLAIM_MODULES = [
    "infobandwidth.book.claims.central_question",
    "infobandwidth.book.claims.bayesian",
    "infobandwidth.book.claims.data_processing",
    "infobandwidth.book.claims.measuring_information",
    "infobandwidth.book.claims.policy_gradient",
    "infobandwidth.book.claims.actor_critic",
    "infobandwidth.book.claims.sample_complexity",
    "infobandwidth.book.claims.lora_miniature",
    "infobandwidth.book.claims.lora",
    "infobandwidth.book.claims.comparison",
    "infobandwidth.book.claims.implications",
    "infobandwidth.book.claims.scope",
    "infobandwidth.book.claims.trade_offs",
    "infobandwidth.book.claims.agentic",
]


@dataclass(frozen=True)
class Finding:
    """What a claim-check function returns: the verdict, one sentence of evidence, the numbers,
    the rule that decided the verdict and the size of the instances it rests on."""

    verdict: str
    evidence: str
    numbers: dict = field(default_factory=dict)
    #: The rule that decided the verdict: a key of :data:`RULES`, or the rule in one sentence.
    rule: str = ""
    #: The size of the exact instances, e.g. from :func:`describe_instances`.
    instances: str = ""
    #: The key of :attr:`numbers` that decides the verdict (a tuple of keys when the verdict
    #: compares several, e.g. the readings of an ill-defined claim). The ledger prints it.
    decides: str | tuple[str, ...] = ""

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {sorted(VERDICTS)}, got {self.verdict!r}")
        if not self.rule:
            raise ValueError("a Finding must say which rule decided its verdict: a key of RULES "
                             f"({', '.join(RULES)}) or the rule in one sentence")
        if not self.instances:
            raise ValueError("a Finding must say how large the instances are that its verdict rests "
                             "on, e.g. describe_instances(72, V=[2, 3], T=[2, 3], n_xi=[4, 512])")
        keys = (self.decides,) if isinstance(self.decides, str) else tuple(self.decides)
        missing = [k for k in keys if k and k not in self.numbers]
        if missing or (not isinstance(self.decides, str) and not all(keys)):
            raise ValueError(f"decides must name keys of numbers; {missing or keys} are not among "
                             f"{list(self.numbers)}")

    @property
    def rule_text(self) -> str:
        """The rule in one sentence."""
        return RULES.get(self.rule, self.rule)


@dataclass(frozen=True)
class ClaimResult:
    """A registered claim together with its freshly computed finding."""

    id: str
    section: str
    statement: str
    verdict: str
    evidence: str
    numbers: dict
    rule: str = ""
    instances: str = ""
    decides: str | tuple[str, ...] = ""

    @property
    def rule_text(self) -> str:
        """The rule that decided the verdict, in one sentence."""
        return RULES.get(self.rule, self.rule)

    @property
    def deciding(self) -> tuple[tuple[str, object], ...]:
        """The number(s) that decide the verdict, as (key, value) pairs: the keys the finding
        names in ``decides``, or else the first of its numbers."""
        keys = (self.decides,) if isinstance(self.decides, str) else self.decides
        keys = tuple(k for k in keys if k) or tuple(self.numbers)[:1]
        return tuple((k, self.numbers[k]) for k in keys)

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
    cached = _cache_path(id)
    if cached is not None and cached.exists():
        return pickle.loads(cached.read_bytes())
    section, statement, fn = _REGISTRY[id]
    f = fn()
    if not isinstance(f, Finding):
        raise ValueError(f"claim check {id!r} returned {type(f).__name__}, not a Finding")
    result = ClaimResult(id, section, statement, f.verdict, f.evidence, dict(f.numbers), f.rule,
                         f.instances, f.decides)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(result))
        tmp.replace(cached)
    return result


#: The environment variable naming the directory of the claim cache. The book's build sets it
#: (``_build/.claims_cache``) so that the pages which tabulate every claim (the ledger, the
#: limitations appendix) reuse the results the chapters computed in the same build; outside a
#: build it is unset and every check is computed afresh.
CACHE_ENV = "IB_CLAIMS_CACHE"
_FINGERPRINT: list[str] = []


def library_fingerprint() -> str:
    """A hash of every Python source file of the ``infobandwidth`` package (and numpy's version).

    A claim's result is a deterministic function of these, so the cache is keyed on it: any change
    to the library starts a fresh cache.
    """
    if not _FINGERPRINT:
        import numpy

        root = Path(__file__).resolve().parents[2]
        h = hashlib.sha256(numpy.__version__.encode())
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
        _FINGERPRINT.append(h.hexdigest()[:20])
    return _FINGERPRINT[0]


def _cache_path(id: str) -> Path | None:
    where = os.environ.get(CACHE_ENV)
    if not where:
        return None
    return Path(where) / library_fingerprint() / f"{id}.pickle"


def all_claims() -> list[ClaimResult]:
    """Every registered claim, evaluated, ordered by article section then id."""
    _load_all()

    def key(i):
        sec = _REGISTRY[i][0]
        return (tuple(int(x) if x.isdigit() else 0 for x in sec.split(".")), i)

    return [evaluate(i) for i in sorted(_REGISTRY, key=key)]


_COLORS = {"holds": "#1e8449", "bound": "#b9770e", "fails": "#c0392b", "ill-defined": "#6c3483"}


def show_claim(id: str):
    """Display the claim check ``id`` as a boxed summary (an HTML output) and return its result."""
    from IPython.display import HTML, display

    r = evaluate(id)
    color = _COLORS[r.verdict]
    nums = "".join(
        f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(_fmt(v))}</td></tr>" for k, v in r.numbers.items()
    )
    box = (
        f'<div class="claim-check-box" id="claim-{html.escape(r.id)}" style="border-left:5px solid {color};padding:.4em .9em;'
        f'margin:1em 0;background:rgba(127,127,127,.07)">'
        f'<p><strong>Claim check (§{html.escape(r.section)}).</strong> {html.escape(r.statement)}</p>'
        f'<p><strong>Verdict:</strong> <span style="color:{color};font-weight:bold">{r.verdict_text}</span>'
        f" — {html.escape(r.evidence)}</p>"
        f'<p class="claim-rule"><strong>Rule:</strong> {html.escape(r.rule_text)}.</p>'
        f'<p class="claim-instances"><strong>Instances:</strong> {html.escape(r.instances)}.</p>'
        f'<table class="claim-numbers">{nums}</table></div>'
    )
    display(HTML(box))
    return r


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)
