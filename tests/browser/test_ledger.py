"""The claims ledger on the built site: its filters work without a kernel, its links reach the boxes."""
from __future__ import annotations

import pytest

from .helpers import close, open_page

PAGE = "book/part5/conclusion.html"

VISIBLE_ROWS = """() => [...document.querySelectorAll('table.ib-ledger tbody tr')]
    .filter(tr => getComputedStyle(tr).display !== 'none')
    .map(tr => [tr.dataset.part, tr.dataset.verdict])"""


def test_ledger_filters_by_part_and_verdict_without_a_kernel(browser, base_url):
    v = open_page(browser, base_url + PAGE)
    try:
        page = v.page
        everything = page.evaluate(VISIBLE_ROWS)
        assert len(everything) >= 40, "the ledger should list every registered claim"
        verdicts = {vd for _, vd in everything}
        assert {"holds", "fails"} <= verdicts
        page.click("label[for='ibl-verdict-fails']")
        shown = page.evaluate(VISIBLE_ROWS)
        assert shown and all(vd == "fails" for _, vd in shown)
        assert len(shown) == sum(vd == "fails" for _, vd in everything)
        page.click("label[for='ibl-part-3']")
        both = page.evaluate(VISIBLE_ROWS)
        assert both == [r for r in everything if r == ["3", "fails"]]
        page.click("label[for='ibl-verdict-all']")
        page.click("label[for='ibl-part-all']")
        assert page.evaluate(VISIBLE_ROWS) == everything
    finally:
        close(v)


@pytest.mark.parametrize("row", [0, -1])
def test_ledger_links_land_on_the_claims_box(browser, base_url, row):
    v = open_page(browser, base_url + PAGE)
    try:
        links = v.page.locator("table.ib-ledger tbody tr a")
        assert links.count() >= 40
        href = links.nth(row if row >= 0 else links.count() - 1).get_attribute("href")
        target = v.page.evaluate("h => new URL(h, location.href).href", href)
    finally:
        close(v)
    w = open_page(browser, target)
    try:
        anchor = target.split("#", 1)[1]
        assert anchor.startswith("claim-")
        assert w.page.locator(f"div.claim-check-box[id='{anchor}']").count() == 1, target
    finally:
        close(w)
