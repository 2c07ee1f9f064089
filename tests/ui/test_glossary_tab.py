"""The Glossary tab in real Chromium (1440x900 and 1366x768): readable EN | RU | KM columns, search with exact
and prefix matches first, New concept with an id made from the English term, every term with its own status,
the needs-review flag, the open segment's panel seeing the change at once, export."""

from __future__ import annotations

import pytest

from workbench.core.store import Project
from workbench.glossary import Glossary

from .conftest import SIZES, activate, box, open_desk

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open_tab(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Glossary").click()
    expect(page.locator("#g-table tr[data-id]").first).to_be_visible(timeout=15_000)


def _term_row(page, text: str):
    """The form's row of the term ``text``."""
    idx = page.locator(".g-trow .g-text").evaluate_all("(els, t) => els.findIndex(e => e.value === t)", text)
    assert idx >= 0, text
    return page.locator(".g-trow").nth(idx)


def _search(page, text):
    from playwright.sync_api import expect

    page.locator("#g-query").fill(text)
    page.locator("#g-query").press("Enter")
    expect(page.locator(".g-info")).to_contain_text(f"matching “{text}”", timeout=15_000)


@pytest.mark.parametrize("size", ["1440", "1366"])
def test_columns_are_readable_and_search_ranks_exact_matches_first(browser, server, shot, size):
    page = open_desk(browser, server[0], size=SIZES[size])
    try:
        _open_tab(page)
        _search(page, "ASEAN")
        ids = page.locator("#g-table tr[data-id]").evaluate_all("rows => rows.map(r => r.dataset.id)")
        assert ids[0] == "asean", ids
        assert ids.index("asean-regional-forum") < ids.index("russia-asean-summit")
        # the EN, RU and KM columns are all on screen, side by side, none squeezed
        boxes = page.locator("#g-table th").evaluate_all(
            "ths => ths.map(th => { const b = th.getBoundingClientRect(); return [b.left, b.right]; })")
        width = page.viewport_size["width"]
        assert len(boxes) == 4 and all(0 <= a < b <= width for a, b in boxes), boxes
        widths = [b - a for a, b in boxes[1:]]
        assert min(widths) > 0.8 * max(widths), widths
        # no word is split across lines inside a term
        assert page.locator("#g-table .g-term").evaluate_all(
            "els => els.every(e => getComputedStyle(e).wordBreak !== 'break-all')")
        # nor inside a concept id: a long id breaks at its hyphens
        assert page.locator("#g-table .g-cid b").evaluate_all(
            "els => els.every(e => { const s = getComputedStyle(e); "
            "return s.overflowWrap !== 'anywhere' && s.wordBreak !== 'break-all'; })")
        shot(page, f"glossary-search-{size}")
    finally:
        page.context.close()


def test_new_concept_terms_with_their_own_status_and_review_flag(browser, server, shot):
    from playwright.sync_api import expect

    url, app, path = server
    with Project.open(path) as proj:
        seg = next(s.id for s in proj.segments() if "celebrated the anniversary" in s.source)
    page = open_desk(browser, url, author="olga")
    try:
        activate(page, seg, "ru")
        expect(page.locator(".wb-panel .wb-terms")).not_to_contain_text("anniversary")
        _open_tab(page)
        page.locator("#g-new").click()
        rows = page.locator(".g-terms .g-trow")
        rows.nth(0).locator(".g-text").fill("Anniversary of Diplomatic Relations")
        rows.nth(0).locator(".g-text").press("Tab")
        expect(page.locator("#g-id")).to_have_attribute("placeholder", "anniversary-of-diplomatic-relations",
                                                         timeout=15_000)
        rows.nth(1).locator(".g-text").fill("годовщина установления дипломатических отношений")
        rows.nth(2).locator(".g-text").fill("ខួបនៃការបង្កើតទំនាក់ទំនងការទូត")
        rows.nth(2).locator(".g-needs").check()
        page.locator(".g-add button[data-lang='ru']").click()
        rows.nth(3).locator(".g-text").fill("юбилей дипломатических отношений")
        rows.nth(3).locator(".g-status").select_option("deprecated")
        page.locator(".g-add button[data-lang='en']").click()
        rows.nth(4).locator(".g-text").fill("anniversary")
        rows.nth(4).locator(".g-status").select_option("admitted")
        page.locator("#g-save").click()
        expect(page.locator("#wb-msg")).to_contain_text("Added concept anniversary-of-diplomatic-relations",
                                                        timeout=15_000)
        c = Glossary.load(app.ctx.gloss.path).get("anniversary-of-diplomatic-relations")
        got = {(t.lang, t.text): (t.status, t.needs_review) for t in c.terms}
        assert got == {
            ("en", "Anniversary of Diplomatic Relations"): ("preferred", False),
            ("en", "anniversary"): ("admitted", False),
            ("ru", "годовщина установления дипломатических отношений"): ("preferred", False),
            ("ru", "юбилей дипломатических отношений"): ("deprecated", False),
            ("km", "ខួបនៃការបង្កើតទំនាក់ទំនងការទូត"): ("preferred", True),
        }
        expect(page.locator("#g-table tr.current")).to_have_attribute("data-id", "anniversary-of-diplomatic-relations")
        expect(page.locator("#g-table tr.current .g-flag")).to_have_count(1)
        shot(page, "glossary-new-concept")
        # a reviewer clears "needs review" on the Khmer term and corrects the deprecated Russian one
        _term_row(page, "ខួបនៃការបង្កើតទំនាក់ទំនងការទូត").locator(".g-needs").uncheck()
        _term_row(page, "юбилей дипломатических отношений").locator(".g-text").fill("юбилей отношений")
        page.locator("#g-save").click()
        expect(page.locator("#wb-msg")).to_contain_text("Updated concept anniversary-of-diplomatic-relations",
                                                        timeout=15_000)
        c = Glossary.load(app.ctx.gloss.path).get("anniversary-of-diplomatic-relations")
        assert not any(t.needs_review for t in c.terms)
        assert {(t.text, t.status) for t in c.terms_in("ru")} == {
            ("годовщина установления дипломатических отношений", "preferred"), ("юбилей отношений", "deprecated")}
        # the open segment's panel uses the new concept at once
        page.get_by_role("tab", name="Editor").click()
        expect(page.locator(".wb-panel .wb-terms")).to_contain_text("годовщина установления", timeout=15_000)
        items = page.locator(".wb-panel .wb-terms .wb-ins").all_inner_texts()
        n = next(i for i, t in enumerate(items, 1) if "годовщина установления" in t)
        box(page, "ru").fill("Оба государства отметили ")
        page.keyboard.press(f"Control+Alt+{n}")  # the n-th glossary term, inserted at the caret
        expect(box(page, "ru")).to_have_value(
            "Оба государства отметили годовщина установления дипломатических отношений", timeout=15_000)
        # delete it again
        _open_tab(page)
        page.locator("#g-table tr[data-id='anniversary-of-diplomatic-relations']").click()
        page.once("dialog", lambda d: d.accept())
        page.locator("#g-delete").click()
        expect(page.locator("#wb-msg")).to_contain_text("Deleted concept anniversary-of-diplomatic-relations",
                                                        timeout=15_000)
        assert "anniversary-of-diplomatic-relations" not in Glossary.load(app.ctx.gloss.path)
    finally:
        page.context.close()
