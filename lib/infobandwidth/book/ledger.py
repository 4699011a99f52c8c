"""Part 5's summaries: the claims ledger, the article's appendix against the book's verdicts, and
the main results table.

The main results (:func:`main_results`) are never typed: each row is computed by the §4.1
comparison, the §4.3 closed forms, or read from a registered claim check (the same ``evaluate``
that draws the chapters' boxes), and names the chapter page that computes it.

The ledger is a view of the claim registry (:func:`infobandwidth.book.claims.all_claims`), never a
list typed by hand: one row per registered check, with the article's statement, its section, the
verdict, the number that decides it (``Finding.decides``) and the chapter pages that show its box.
Where a claim is shown is read from the chapters' sources
(:func:`infobandwidth.book.sources.claim_locations`) and passed in, so this module reads no files.

On the site the table filters by part and by verdict without a kernel: the filters are radio
buttons and the hiding is pure CSS (``:checked ~``), which also works in JupyterLab and in print.

Examples
--------
>>> from infobandwidth.book.claims import evaluate
>>> rows = ledger_rows([evaluate("dpi")], {"dpi": [("book/part2/data-processing", "2.4 DPI")]})
>>> rows[0].verdict, rows[0].part, rows[0].where[0][0]
('holds', '2', 'book/part2/data-processing')
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from infobandwidth.book.claims.registry import VERDICTS, ClaimResult, _fmt, evaluate
from infobandwidth.book.experiments.comparison import (
    ARTICLE_T,
    ROWS,
    TABLE_INSTANCE,
    closed_form,
    comparison_table,
)
from infobandwidth.book.experiments.conclusion import LONG_T, MAIN_PAGE, page_href
from infobandwidth.learning.sample_complexity import exact_match_summary

__all__ = [
    "VERDICT_ORDER",
    "LedgerRow",
    "Ledger",
    "ledger_rows",
    "claims_ledger",
    "AppendixItem",
    "APPENDIX",
    "appendix_table",
    "weakest_verdict",
    "ResultRow",
    "MainResults",
    "main_results",
]

#: From the most to the least favourable verdict: an appendix item is only as strong as the weakest
#: of the claim checks that bear on it.
VERDICT_ORDER = ("holds", "bound", "ill-defined", "fails")

_PART_NAMES = {"1": "Part 1", "2": "Part 2", "3": "Part 3", "4": "Part 4", "5": "Part 5"}


@dataclass(frozen=True)
class LedgerRow:
    """One claim of the ledger.

    Attributes
    ----------
    id, section, statement, verdict, rule_text
        As in :class:`~infobandwidth.book.claims.registry.ClaimResult`.
    part : str
        The part of the article (the section's first number).
    deciding : str
        The number(s) that decide the verdict, as ``"key = value"`` (joined by ``"; "``).
    where : tuple of (docname, title)
        The chapter pages that show the claim's box, in reading order (may be empty).
    """

    id: str
    section: str
    part: str
    statement: str
    verdict: str
    rule_text: str
    deciding: str
    where: tuple[tuple[str, str], ...]

    @property
    def verdict_text(self) -> str:
        return VERDICTS[self.verdict]


def ledger_rows(claims: Sequence[ClaimResult],
                locations: Mapping[str, Sequence[tuple[str, str]]]) -> tuple[LedgerRow, ...]:
    """One :class:`LedgerRow` per claim, in the order given.

    Parameters
    ----------
    claims : sequence of ClaimResult
        Usually ``all_claims()``.
    locations : mapping
        Claim id -> [(docname, page title), ...], e.g. from
        :func:`infobandwidth.book.sources.claim_locations`.

    Raises
    ------
    ValueError
        If an entry is not a ClaimResult, an id repeats, or ``locations`` is not a mapping.
    """
    if not isinstance(locations, Mapping):
        raise ValueError(f"locations must map claim ids to pages, got {type(locations).__name__}")
    seen: set[str] = set()
    rows = []
    for c in claims:
        if not isinstance(c, ClaimResult):
            raise ValueError(f"the ledger takes ClaimResult objects (from all_claims()), got "
                             f"{type(c).__name__}")
        if c.id in seen:
            raise ValueError(f"claim {c.id!r} appears twice")
        seen.add(c.id)
        deciding = "; ".join(f"{k} = {_fmt(v)}" for k, v in c.deciding)
        rows.append(LedgerRow(c.id, c.section, c.section.split(".")[0], c.statement, c.verdict,
                              c.rule_text, deciding,
                              tuple((str(d), str(t)) for d, t in locations.get(c.id, ()))))
    return tuple(rows)


_href = page_href


_STYLE = """<style>
.ib-ledger-filters{font-size:.85em;margin:.3em 0 .6em}
.ib-ledger-filters fieldset{display:inline-block;border:1px solid #ccc;border-radius:4px;
  padding:.1em .6em .3em;margin:0 .6em .4em 0}
.ib-ledger-filters legend{font-size:.9em;padding:0 .3em}
.ib-ledger-filters label{margin-right:.7em;white-space:nowrap;cursor:pointer}
.ib-ledger{font-size:.8em;border-collapse:collapse;width:100%;table-layout:fixed;min-width:44em}
.ib-ledger th,.ib-ledger td{text-align:left;vertical-align:top;padding:.25em .45em;
  border-bottom:1px solid #ddd}
.ib-ledger td.ib-verdict{font-weight:bold}
.ib-ledger td.ib-num{overflow-wrap:anywhere}
.ib-ledger td.ib-num{font-family:var(--pst-font-family-monospace,monospace);font-size:.95em}
"""


def _filter_css(prefix: str, parts: Sequence[str]) -> str:
    rules = []
    for group, values in (("part", ["all", *parts]), ("verdict", ["all", *VERDICTS])):
        for v in values:
            ident = f"{prefix}-{group}-{v}"
            rules.append(f"#{ident}:checked ~ .ib-ledger-filters label[for='{ident}']"
                         "{font-weight:bold;text-decoration:underline}")
            rules.append(f"#{ident}:focus-visible ~ .ib-ledger-filters label[for='{ident}']"
                         "{outline:2px solid #4a90d9}")
    for p in parts:
        rules.append(f"#{prefix}-part-{p}:checked ~ .ib-ledger-wrap tbody tr:not([data-part='{p}'])"
                     "{display:none}")
    for v in VERDICTS:
        rules.append(f"#{prefix}-verdict-{v}:checked ~ .ib-ledger-wrap tbody "
                     f"tr:not([data-verdict='{v}']){{display:none}}")
    return "\n".join(rules)


@dataclass(frozen=True)
class Ledger:
    """The ledger's rows and the page that shows them (links are relative to ``page``)."""

    rows: tuple[LedgerRow, ...]
    page: str = "book/part5/ledger"

    def counts(self) -> dict[str, int]:
        """Number of claims per verdict (every verdict present, possibly 0)."""
        return {v: sum(r.verdict == v for r in self.rows) for v in VERDICTS}

    def unshown(self) -> tuple[str, ...]:
        """Ids of claims that no chapter page shows."""
        return tuple(r.id for r in self.rows if not r.where)

    def _repr_html_(self) -> str:
        from infobandwidth.book.claims.registry import _COLORS

        prefix = "ibl"
        parts = sorted({r.part for r in self.rows}, key=lambda p: (len(p), p))
        counts = self.counts()

        def radio(group, value, text, checked=False):
            ident = f"{prefix}-{group}-{value}"
            return (f'<input type="radio" name="{prefix}-{group}" id="{ident}"'
                    f'{" checked" if checked else ""}>'), f'<label for="{ident}">{html.escape(text)}</label>'

        inputs, part_labels, verdict_labels = [], [], []
        for group, values, labels in (("part", ["all", *parts], part_labels),
                                      ("verdict", ["all", *VERDICTS], verdict_labels)):
            for v in values:
                if v == "all":
                    text = f"all ({len(self.rows)})"
                elif group == "part":
                    text = f"{_PART_NAMES.get(v, 'Part ' + v)} ({sum(r.part == v for r in self.rows)})"
                else:
                    text = f"{VERDICTS[v]} ({counts[v]})"
                i, lab = radio(group, v, text, checked=v == "all")
                inputs.append(i)
                labels.append(lab)
        # the radios must be siblings *before* the table's wrapper for the CSS to reach it; the
        # labels (which the reader clicks) sit in the fieldsets
        body = []
        for r in self.rows:
            links = ", ".join(
                f'<a href="{html.escape(_href(self.page, d, "claim-" + r.id))}">{html.escape(t)}</a>'
                for d, t in r.where) or "<em>not shown on a chapter page</em>"
            body.append(
                f'<tr data-part="{r.part}" data-verdict="{r.verdict}" id="ledger-{html.escape(r.id)}">'
                f"<td>§{html.escape(r.section)}</td>"
                f"<td>{html.escape(r.statement)}<br><code>{html.escape(r.id)}</code></td>"
                f'<td class="ib-verdict" style="color:{_COLORS[r.verdict]}">'
                f"{html.escape(r.verdict_text)}</td>"
                f'<td class="ib-num">{html.escape(r.deciding)}</td>'
                f"<td>{links}</td></tr>")
        css = _STYLE + _filter_css(prefix, parts) + "\n.ib-ledger-radios input{position:absolute;" \
            "opacity:0;width:1px;height:1px}</style>"
        return (
            css + '<div class="ib-ledger-radios">' + "".join(inputs)
            + '<div class="ib-ledger-filters">'
            + "<fieldset><legend>part</legend>" + "".join(part_labels) + "</fieldset>"
            + "<fieldset><legend>verdict</legend>" + "".join(verdict_labels) + "</fieldset></div>"
            + '<div class="ib-ledger-wrap" style="overflow-x:auto"><table class="ib-ledger">'
            + '<colgroup><col style="width:7%"><col style="width:40%"><col style="width:13%">'
            + '<col style="width:22%"><col style="width:18%"></colgroup>'
            + "<thead><tr><th>§</th><th>the article's claim (paraphrased)</th><th>verdict</th>"
            + "<th>the number that decides it</th><th>shown in</th></tr></thead><tbody>"
            + "".join(body) + "</tbody></table></div></div>")


def claims_ledger(claims: Sequence[ClaimResult], locations: Mapping[str, Sequence[tuple[str, str]]],
                  page: str = "book/part5/ledger") -> Ledger:
    """The ledger of ``claims`` as shown on ``page`` (a docname; links are made relative to it).

    Examples
    --------
    >>> from infobandwidth.book.claims import evaluate
    >>> led = claims_ledger([evaluate("dpi")], {})
    >>> led.unshown(), led.counts()["holds"]
    (('dpi',), 1)
    """
    if not isinstance(page, str) or not page:
        raise ValueError("page must be the docname of the page that shows the ledger, "
                         "e.g. 'book/part5/ledger'")
    return Ledger(ledger_rows(claims, locations), page)


# ------------------------------------------------------------------------------------------------
# The article's appendix against the book's verdicts
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AppendixItem:
    """One line of the article's appendix and the claim checks of the book that bear on it.

    ``status`` is the article's own sorting: ``"rigorous"`` (its ✅), ``"assumptions"`` (⚠️) or
    ``"qualitative"`` (📊).
    """

    status: str
    text: str
    claims: tuple[str, ...]


#: How the table names the article's groups (words, not its emoji: a page must not depend on an
#: emoji font).
_STATUS = {"rigorous": "rigorous", "assumptions": "needs assumptions", "qualitative": "qualitative"}

#: The article's appendix, item by item (paraphrased), with the checks that decide each.
APPENDIX = (
    AppendixItem("rigorous", "policy gradient's scalar signal carries O(1) bits per episode",
                 ("pg-chain-log2B", "pg-one-bit-per-episode", "cmp-pg-1-to-4-bits")),
    AppendixItem("rigorous", "actor-critic's token-level signal has O(T) bits of capacity per episode",
                 ("ac-potential-bandwidth", "cmp-ac-t-bits")),
    AppendixItem("rigorous", "dense signals give T× more information bandwidth",
                 ("ac-t-times-more-information-sparse", "ac-t-times-more-information-dense",
                  "cmp-t-times-difference", "imp-sparse-dense", "imp-1000x-bandwidth")),
    AppendixItem("rigorous", "LoRA's storage far exceeds what policy gradient delivers",
                 ("lora-7b-ratio", "lora-storage-vs-rl-bits")),
    AppendixItem("assumptions", "exact sample-complexity bounds",
                 ("sample-complexity-h-over-c", "sample-complexity-bound-vs-measured",
                  "scope-optimisation-waste")),
    AppendixItem("assumptions", "information accumulates linearly over episodes",
                 ("lora-linear-accumulation", "lora-2000-bits", "agentic-t-log-s")),
    AppendixItem("assumptions", "actor-critic reaches O(T) bits only with a well-trained critic",
                 ("critic-quality-table", "cmp-ac-t-bits", "imp-ac-t-times")),
    AppendixItem("assumptions", "rewards are distinguishable to O(1) precision",
                 ("pg-potential-1-to-3.3-bits", "lora-c-range")),
    AppendixItem("qualitative", "the constants: bits per distinguishable reward level",
                 ("lora-c-range", "pg-potential-1-to-3.3-bits")),
    AppendixItem("qualitative", "saturation: when the information of one more episode shrinks",
                 ("lora-accumulation-ceilings", "lora-linear-accumulation", "scope-drift-tracking")),
    AppendixItem("qualitative", "storage bits against what a network can represent",
                 ("lora-storage-vs-rl-bits", "lora-rank1-rl", "trade-lora-forgetting")),
)


def weakest_verdict(verdicts: Sequence[str]) -> str:
    """The least favourable of ``verdicts`` in :data:`VERDICT_ORDER` (holds < bound < ill-defined
    < fails).

    >>> weakest_verdict(["holds", "bound"])
    'bound'
    """
    verdicts = list(verdicts)
    if not verdicts:
        raise ValueError("weakest_verdict needs at least one verdict")
    bad = [v for v in verdicts if v not in VERDICT_ORDER]
    if bad:
        raise ValueError(f"unknown verdicts {bad}; known: {VERDICT_ORDER}")
    return max(verdicts, key=VERDICT_ORDER.index)


@dataclass(frozen=True)
class AppendixTable:
    """The appendix items with the book's verdict for each (the weakest of its claims')."""

    rows: tuple[tuple[AppendixItem, str, tuple[LedgerRow, ...]], ...]
    page: str

    def _repr_html_(self) -> str:
        from infobandwidth.book.claims.registry import _COLORS

        body = []
        for item, verdict, rows in self.rows:
            checks = "<br>".join(
                f'<a href="{html.escape(_href(self.page, r.where[0][0], "claim-" + r.id))}">'
                f"<code>{html.escape(r.id)}</code></a>: "
                f'<span style="color:{_COLORS[r.verdict]}">{html.escape(r.verdict_text)}</span>'
                if r.where else f"<code>{html.escape(r.id)}</code>: {html.escape(r.verdict_text)}"
                for r in rows)
            body.append(f"<tr><td>{html.escape(_STATUS[item.status])}</td>"
                        f"<td>{html.escape(item.text)}</td>"
                        f'<td class="ib-verdict" style="color:{_COLORS[verdict]}">'
                        f"{html.escape(VERDICTS[verdict])}</td><td>{checks}</td></tr>")
        return (_STYLE + "</style>" + '<div style="overflow-x:auto"><table class="ib-ledger">'
                + '<colgroup><col style="width:14%"><col style="width:30%"><col style="width:16%">'
                + '<col style="width:40%"></colgroup>'
                + "<thead><tr><th>the article says</th><th>item (paraphrased)</th>"
                + "<th>the book finds</th><th>the checks behind it</th></tr></thead><tbody>"
                + "".join(body) + "</tbody></table></div>")


def appendix_table(ledger: Ledger, items: Sequence[AppendixItem] = APPENDIX,
                   page: str = "book/part5/limitations") -> AppendixTable:
    """Each appendix item with the book's verdict: the weakest verdict of the checks it names.

    Raises
    ------
    ValueError
        If an item names a claim the ledger does not hold.
    """
    by_id = {r.id: r for r in ledger.rows}
    out = []
    for item in items:
        missing = [c for c in item.claims if c not in by_id]
        if missing:
            raise ValueError(f"appendix item {item.text!r} names unknown claims {missing}")
        rows = tuple(by_id[c] for c in item.claims)
        out.append((item, weakest_verdict([r.verdict for r in rows]), rows))
    return AppendixTable(tuple(out), page)


# ------------------------------------------------------------------------------------------------
# The main results
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultRow:
    """One main result: what is measured, what the article says, what the book computes, where."""

    group: str
    quantity: str
    article: str
    book: str
    value: float
    docname: str
    chapter: str


@dataclass(frozen=True)
class MainResults:
    """The main results table; displays as HTML with a link to each row's chapter."""

    rows: tuple[ResultRow, ...]
    page: str = MAIN_PAGE

    def row(self, quantity_start: str) -> ResultRow:
        """The row whose quantity starts with ``quantity_start``."""
        hits = [r for r in self.rows if r.quantity.startswith(quantity_start)]
        if len(hits) != 1:
            raise ValueError(f"{len(hits)} rows start with {quantity_start!r}")
        return hits[0]

    def _repr_html_(self) -> str:
        out, group = [], None
        for r in self.rows:
            if r.group != group:
                group = r.group
                out.append(f'<tr class="ib-group"><th colspan="4">{html.escape(group)}</th></tr>')
            out.append(
                f"<tr><td>{html.escape(r.quantity)}</td><td>{html.escape(r.article)}</td>"
                f"<td><strong>{html.escape(r.book)}</strong></td>"
                f'<td><a href="{html.escape(page_href(self.page, r.docname))}">'
                f"{html.escape(r.chapter)}</a></td></tr>")
        style = ("<style>.ib-main{font-size:.82em;border-collapse:collapse;width:100%}"
                 ".ib-main td,.ib-main th{text-align:left;vertical-align:top;padding:.25em .5em;"
                 "border-bottom:1px solid #ddd}.ib-main tr.ib-group th{background:rgba(127,127,127,.1);"
                 "font-weight:600}</style>")
        return (style + '<div style="overflow-x:auto"><table class="ib-main"><thead><tr>'
                "<th>quantity</th><th>the article</th><th>the book computes</th><th>where</th>"
                "</tr></thead><tbody>" + "".join(out) + "</tbody></table></div>")


def _claim_number(claim_id: str, key: str) -> float:
    value = evaluate(claim_id).numbers[key]
    return float(value)


def main_results(page: str = MAIN_PAGE) -> MainResults:
    """The main results, computed (about a second once the claim checks have run in the build).

    Returns
    -------
    MainResults
    """
    rows = []
    V, T, B = TABLE_INSTANCE["V"], TABLE_INSTANCE["T"], TABLE_INSTANCE["B"]
    table = comparison_table(V, T, B)
    cmp_doc, cmp_title = "book/part4/comparison", "4.1 Unified comparison"
    group = f"New bits per episode, I(S; ξ | τ, critic): match count, |V| = {V}"
    for spec in ROWS:
        enumerated = table.row(spec.key).new
        extrapolated = closed_form(spec.key, ARTICLE_T, V, B)[1]
        rows.append(ResultRow(
            group, f"{spec.algorithm}, {spec.reward} reward ({spec.signal})",
            "O(T) bits" if spec.algorithm == "actor-critic" else "1–4 bits",
            f"{enumerated:.3g} at T = {T} (enumerated); {extrapolated:,.4g} at T = {ARTICLE_T:,} "
            f"(closed form)", extrapolated, cmp_doc, cmp_title))

    lora_doc, lora_title = "book/part4/lora", "4.2 Why LoRA works"
    group = "LoRA: information against capacity"
    c_binary = _claim_number("lora-c-range", "largest c₁, binary reward")
    rows.append(ResultRow(group, "largest bits one episode carries, pass/fail reward", "c = 1–4 bits",
                          f"{c_binary:.3g} bits", c_binary, lora_doc, lora_title))
    ratio = _claim_number("lora-ratio-100x", "ratio (bits / bits)")
    rows.append(ResultRow(group, "rank-1 adapter of one 4096 × 4096 matrix ÷ information of "
                          "10,000 episodes at c = 2 bits", "~100×", f"{ratio:,.4g}×", ratio,
                          lora_doc, lora_title))
    ratio7 = _claim_number("lora-7b-ratio", "ratio, Llama-2-7B")
    rows.append(ResultRow(group, "Llama-2-7B's storage ÷ information of 1,000 episodes",
                          "~10⁸×", f"{ratio7:.3g}×", ratio7, lora_doc, lora_title))
    mini_doc, mini_title = "book/part4/lora-miniature", "4.2.2 LoRA without regret, in miniature"
    rank1 = _claim_number("lora-rank1-rl", "rank-1 final / full")
    rows.append(ResultRow(group, "rank 1 ÷ full fine-tuning, final score under RL (miniature)",
                          "rank 1 suffices", f"{rank1:.0%}", rank1, mini_doc, mini_title))

    sc_doc, sc_title = "book/part4/sample-complexity", "4.3 Sample complexity"
    group = f"Episodes to learn a hidden string of T = {LONG_T} tokens (|V| = 2), ideal learner"
    s = exact_match_summary(2, LONG_T)
    rows.append(ResultRow(group, "bound H(ξ)/c, sparse reward (c = 1 bit)", "Ω(H(π*))",
                          f"{s['bound_sparse']:.3g}", s["bound_sparse"], sc_doc, sc_title))
    rows.append(ResultRow(group, "measured, sparse reward (exact expectation)", "—",
                          f"{s['ideal_sparse']:,.1f}", s["ideal_sparse"], sc_doc, sc_title))
    rows.append(ResultRow(group, "bound H(ξ)/c, dense reward (c = T bits)", "Ω(H(π*)/T)",
                          f"{s['bound_dense']:.3g}", s["bound_dense"], sc_doc, sc_title))
    rows.append(ResultRow(group, "measured, dense reward (exact expectation)", "—",
                          f"{s['ideal_dense']:.3g}", s["ideal_dense"], sc_doc, sc_title))
    return MainResults(tuple(rows), page)
