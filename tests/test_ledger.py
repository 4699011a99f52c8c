"""Part 5: the claims ledger, the appendix table, the main results and the appendix's experiments.

The ledger must equal the registry (every registered claim, once) and every claim must be shown on a
chapter page; both are checked against independent scans of the chapters' sources. The main results
and the appendix's numbers are checked against closed forms computed here (scipy, plain Python) and
against the library's general exact engine.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from infobandwidth.book.claims import registry
from infobandwidth.book.claims.registry import Finding, all_claims, evaluate
from infobandwidth.book.experiments.conclusion import headline, page_href
from infobandwidth.book.experiments.limitations import largest_horizon, weighted_return_bits
from infobandwidth.book.ledger import (
    APPENDIX,
    VERDICT_ORDER,
    appendix_table,
    claims_ledger,
    ledger_rows,
    main_results,
    weakest_verdict,
)
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import MAX_PAIRS, reward_table
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.signals import QuantisedReturn, ReturnSignal
from infobandwidth.tools.myst import book_root, claim_locations
from scipy.stats import binom

ROOT = Path(__file__).resolve().parents[1]
SHOW = re.compile(r"show_claim\(\s*[\"']([\w.-]+)[\"']")


def registered_ids() -> set[str]:
    registry._load_all()
    return set(registry._REGISTRY)


def shown_on_chapter_pages() -> dict[str, set[str]]:
    """claim id -> chapter files showing it, by a plain scan of book/part*/ (not the library's)."""
    out: dict[str, set[str]] = {}
    for path in sorted(ROOT.glob("book/part*/*.md")):
        for cid in SHOW.findall(path.read_text(encoding="utf8")):
            out.setdefault(cid, set()).add(path.relative_to(ROOT).with_suffix("").as_posix())
    return out


@pytest.fixture(scope="module")
def claims():
    return all_claims()


# ------------------------------------------------------------------ the ledger is the registry

def test_every_registered_claim_is_shown_on_a_chapter_page():
    shown = shown_on_chapter_pages()
    missing = sorted(registered_ids() - set(shown))
    assert not missing, f"claims registered but shown on no chapter page: {missing}"
    unknown = sorted(set(shown) - registered_ids())
    assert not unknown, f"chapters show claims nobody registered: {unknown}"


def test_claim_locations_agree_with_a_plain_scan():
    found = claim_locations(ROOT)
    shown = shown_on_chapter_pages()
    assert {cid: {d for d, _ in places} for cid, places in found.items()} == shown
    assert book_root() == ROOT


def test_the_ledger_has_one_row_per_registered_claim(claims):
    ledger = claims_ledger(claims, claim_locations(ROOT), page="book/part5/conclusion")
    ids = [r.id for r in ledger.rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == registered_ids()
    assert ledger.unshown() == ()
    assert sum(ledger.counts().values()) == len(ids)


def test_every_claim_names_the_number_that_decides_it(claims):
    vague = [c.id for c in claims if not c.decides]
    assert not vague, f"claims without `decides=`: {vague}"
    for c in claims:
        for key, value in c.deciding:
            assert key in c.numbers and c.numbers[key] is value


def test_the_ledger_html_filters_and_links(claims):
    page = "book/part5/conclusion"
    ledger = claims_ledger(claims, claim_locations(ROOT), page=page)
    html = ledger._repr_html_()
    rows = re.findall(r'<tr data-part="(\w+)" data-verdict="([\w-]+)" id="ledger-([\w.-]+)"', html)
    assert [(p, v, i) for p, v, i in rows] == [(r.part, r.verdict, r.id) for r in ledger.rows]
    for verdict in ("holds", "bound", "fails", "ill-defined"):
        assert f'id="ibl-verdict-{verdict}"' in html
        assert f"#ibl-verdict-{verdict}:checked ~ .ib-ledger-wrap tbody tr:not([data-verdict='{verdict}'])" in html
    for part in {r.part for r in ledger.rows}:
        assert f'id="ibl-part-{part}"' in html
    # every link points at an existing chapter source and the claim's box anchor
    for href in re.findall(r'href="([^"]+)"', html):
        target, _, anchor = href.partition("#")
        doc = (ROOT / Path(page).parent / target).resolve().with_suffix(".md")
        assert doc.exists(), href
        cid = anchor.removeprefix("claim-")
        assert re.search(r"show_claim\(\s*[\"']" + re.escape(cid) + r"[\"']", doc.read_text()), href


def test_ledger_rows_reject_bad_input(claims):
    with pytest.raises(ValueError, match="ClaimResult"):
        ledger_rows(["dpi"], {})
    with pytest.raises(ValueError, match="twice"):
        ledger_rows([claims[0], claims[0]], {})
    with pytest.raises(ValueError, match="map claim ids"):
        ledger_rows(claims[:1], [("x", "y")])
    with pytest.raises(ValueError, match="docname"):
        claims_ledger(claims[:1], {}, page="")


def test_a_finding_must_name_existing_numbers():
    kw = dict(verdict="holds", evidence="e", rule="theorem", instances="1 instance")
    with pytest.raises(ValueError, match="decides"):
        Finding(numbers={"a": 1.0}, decides="b", **kw)
    with pytest.raises(ValueError, match="decides"):
        Finding(numbers={"a": 1.0}, decides=("a", ""), **kw)
    assert Finding(numbers={"a": 1.0, "b": 2.0}, decides=("a", "b"), **kw).decides == ("a", "b")


# ------------------------------------------------------------------ the appendix

def test_weakest_verdict_follows_the_stated_order():
    assert VERDICT_ORDER == ("holds", "bound", "ill-defined", "fails")
    assert weakest_verdict(["holds"]) == "holds"
    assert weakest_verdict(["holds", "ill-defined", "bound"]) == "ill-defined"
    assert weakest_verdict(["fails", "holds"]) == "fails"
    with pytest.raises(ValueError):
        weakest_verdict([])
    with pytest.raises(ValueError, match="unknown"):
        weakest_verdict(["true"])


def test_the_appendix_names_registered_claims_and_takes_the_weakest(claims):
    ids = registered_ids()
    assert {c for item in APPENDIX for c in item.claims} <= ids
    assert {item.status for item in APPENDIX} == {"rigorous", "assumptions", "qualitative"}
    ledger = claims_ledger(claims, claim_locations(ROOT))
    table = appendix_table(ledger)
    verdict_of = {c.id: c.verdict for c in claims}
    for item, verdict, rows in table.rows:
        vs = [verdict_of[c] for c in item.claims]
        worst = max(vs, key=["holds", "bound", "ill-defined", "fails"].index)
        assert verdict == worst and [r.id for r in rows] == list(item.claims)
    with pytest.raises(ValueError, match="unknown claims"):
        appendix_table(ledger, [type(APPENDIX[0])("rigorous", "x", ("no-such-claim",))])


# ------------------------------------------------------------------ the main results

def _binary_entropy(q: float) -> float:
    return 0.0 if q in (0.0, 1.0) else -(q * math.log2(q) + (1 - q) * math.log2(1 - q))


def _sparse_bits_scipy(T: int, B: int, p: float) -> float:
    """Entropy of the match count in B levels, level min(B·k // T, B − 1), from scipy's pmf."""
    pmf = binom.pmf(np.arange(T + 1), T, p)
    levels = np.minimum(B * np.arange(T + 1) // T, B - 1)
    q = np.bincount(levels, weights=pmf)
    q = q[q > 0]
    return float(-(q * np.log2(q)).sum())


def test_main_results_match_closed_forms(claims):
    res = main_results()
    assert res.row("REINFORCE, sparse").value == pytest.approx(_sparse_bits_scipy(1000, 4, 0.5), abs=1e-9)
    assert res.row("actor-critic, dense").value == pytest.approx(1000 * _binary_entropy(0.5))
    assert res.row("actor-critic, sparse").value == pytest.approx(res.row("REINFORCE, sparse").value)
    n = 2.0**20
    assert res.row("measured, sparse").value == pytest.approx((n - 1) * (n + 2) / (2 * n))
    assert res.row("bound H(ξ)/c, sparse").value == 20
    assert res.row("measured, dense").value == 1
    # rows read from claim checks carry the claim's own number
    by_id = {c.id: c for c in claims}
    assert res.row("rank 1").value == pytest.approx(by_id["lora-rank1-rl"].numbers["rank-1 final / full"])
    # every row links to an existing chapter
    for r in res.rows:
        assert (ROOT / f"{r.docname}.md").exists(), r.docname
    with pytest.raises(ValueError):
        res.row("no such quantity")


@given(T=st.integers(1, 2000), V=st.sampled_from([2, 3, 16, 50257]), B=st.integers(2, 32))
@settings(max_examples=40, deadline=None)
def test_headline_against_independent_formulas(T, V, B):
    h = headline(T, V, B)
    assert h["new"]["ac-dense"] == pytest.approx(T * _binary_entropy(1 / V), rel=1e-12)
    assert h["new"]["pg-rtg"] == pytest.approx(h["new"]["ac-dense"], rel=1e-12)
    assert h["new"]["pg-return"] == pytest.approx(h["new"]["ac-sparse"], rel=1e-12)
    assert h["new"]["pg-return"] <= math.log2(B) + 1e-12
    assert h["H"] == pytest.approx(T * math.log2(V))
    if V == 2:
        assert h["ideal_dense"] == 1.0
        if T <= 900:
            n = 2.0**T
            assert h["ideal_sparse"] == pytest.approx((n - 1) * (n + 2) / (2 * n))
    for key, c in h["new"].items():
        assert h["bound"][key] == (h["H"] / c if c > 0 else math.inf)


def test_headline_rejects_bad_input():
    for bad in [dict(T=0), dict(T=3, V=1), dict(T=3, B=1), dict(T=2.5)]:
        with pytest.raises(ValueError):
            headline(**bad)


def test_page_href():
    assert page_href("book/part5/conclusion", "book/part4/lora") == "../part4/lora.html"
    assert page_href("book/part5/conclusion", "book/part5/limitations", "x") == "limitations.html#x"
    with pytest.raises(ValueError):
        page_href("book/part5/conclusion.md", "book/part4/lora")


# ------------------------------------------------------------------ the appendix's experiments

def test_largest_horizon_by_brute_force():
    for V in (2, 3, 4, 16, 256, 50257):
        T = max([t for t in range(0, 40) if V ** (2 * t) <= MAX_PAIRS])
        assert largest_horizon(V) == T
    assert largest_horizon(2, 4**5) == 5 and largest_horizon(2, 4**5 - 1) == 4
    with pytest.raises(ValueError):
        largest_horizon(1)


@pytest.mark.parametrize("T", [2, 3])
@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("levels", [None, 2, 3, 8])
def test_weighted_return_matches_the_general_engine(T, ratio, levels):
    """The same quantity from the library's exact (ξ, τ) engine: a reward table over all pairs."""
    mdp = TokenMDP(2, T)
    strings = np.array([[(i >> (T - 1 - t)) & 1 for t in range(T)] for i in range(2**T)])
    weights = ratio ** np.arange(T)
    table = (strings[:, None, :] == strings[None, :, :]) @ weights       # (τ, ξ) -> return
    family = reward_table(mdp, table)
    signal = ReturnSignal() if levels is None else QuantisedReturn(levels, 0.0, float(weights.sum()))
    expected = signal_bandwidth(family, signal).I_S_xi_given_tau
    assert weighted_return_bits(T, ratio, levels) == pytest.approx(expected, abs=1e-9)


@given(T=st.integers(1, 10), ratio=st.floats(0.3, 3.0), levels=st.integers(1, 64))
@settings(max_examples=60, deadline=None)
def test_weighted_return_respects_both_ceilings(T, ratio, levels):
    bits = weighted_return_bits(T, ratio, levels)
    assert -1e-12 <= bits <= min(T, math.log2(levels)) + 1e-9
    assert weighted_return_bits(T, ratio, None) <= T + 1e-9


def test_weighted_return_closed_forms():
    assert weighted_return_bits(10, 2.0, None) == pytest.approx(10.0)
    pmf = binom.pmf(np.arange(11), 10, 0.5)
    assert weighted_return_bits(10, 1.0, None) == pytest.approx(float(-(pmf * np.log2(pmf)).sum()))
    for bad in [dict(T=0, ratio=1.0, levels=None), dict(T=21, ratio=1.0, levels=None),
                dict(T=3, ratio=-1.0, levels=None), dict(T=3, ratio=float("nan"), levels=None),
                dict(T=3, ratio=1.0, levels=0)]:
        with pytest.raises(ValueError):
            weighted_return_bits(**bad)


# ------------------------------------------------------------------ the claim cache of the build

def test_the_claim_cache_returns_what_the_check_computes(tmp_path, monkeypatch):
    fresh = evaluate("lora-adapter-size")
    monkeypatch.setenv(registry.CACHE_ENV, str(tmp_path))
    first = evaluate("lora-adapter-size")
    assert first == fresh
    files = list(tmp_path.rglob("lora-adapter-size.pickle"))
    assert len(files) == 1 and files[0].parent.name == registry.library_fingerprint()
    calls = []
    section, statement, fn = registry._REGISTRY["lora-adapter-size"]
    monkeypatch.setitem(registry._REGISTRY, "lora-adapter-size",
                        (section, statement, lambda: calls.append(1) or fn()))
    assert evaluate("lora-adapter-size") == fresh and calls == []      # served from the cache
    monkeypatch.delenv(registry.CACHE_ENV)
    assert evaluate("lora-adapter-size") == fresh and calls == [1]     # no cache outside a build


def test_the_build_keeps_only_the_current_librarys_cache(tmp_path):
    from infobandwidth.tools.sphinx_site import use_claims_cache

    (tmp_path / "stale0000").mkdir()
    current = tmp_path / registry.library_fingerprint()
    current.mkdir()
    env: dict = {}
    assert use_claims_cache(tmp_path, env) == tmp_path
    assert env[registry.CACHE_ENV] == str(tmp_path)
    assert current.exists() and not (tmp_path / "stale0000").exists()
    explicit = {registry.CACHE_ENV: "/somewhere"}
    assert use_claims_cache(tmp_path, explicit) == Path("/somewhere")
