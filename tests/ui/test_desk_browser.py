"""The segment desk as a translator's desk, in real Chromium at 1440x900 and 1366x768, on the seed article
(35 segments): edit in place, a dozen segments in view, the active row always in view with its panel beside
the list, one source rendering with glossary highlights, the targets each user works on, feedback on the row,
context that survives a reload, QA findings with their places, readable history, filters and search hits."""

from __future__ import annotations

import pytest

from workbench.core.store import Project

from .conftest import SIZES, VISIBLE_ROWS_JS, activate, box, open_desk, row

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _ids(path) -> list[int]:
    with Project.open(path) as proj:
        return [s.id for s in proj.segments()]


def _focused_lang(page) -> str | None:
    return page.evaluate("() => { const c = document.activeElement && document.activeElement.closest("
                         "'.wb-row.active .wb-tgt'); return c ? c.dataset.lang : null; }")


@pytest.mark.parametrize("size", ["1440", "1366"])
def test_the_list_is_the_editor(browser, seed_server, shot, size):
    url, app, path = seed_server
    ids = _ids(path)
    page = open_desk(browser, url, size=SIZES[size])
    try:
        page.wait_for_timeout(500)
        seen = page.evaluate(VISIBLE_ROWS_JS)
        # a dozen segments in view at once at 1440x900, the active one open (10 on the smaller screen)
        assert len(seen) >= (12 if size == "1440" else 10), seen
        # the page opens on the first segment to do, caret in its first target
        assert page.locator(".wb-row.active").get_attribute("data-seg") == str(ids[0])
        assert _focused_lang(page) == "ru"
        # one source rendering per row, with the glossary's terms highlighted inline (no word broken)
        src = row(page, ids[1]).locator(".wb-src")
        assert src.count() == 1 and src.locator("mark.term").count() >= 2
        assert src.locator("mark.term").evaluate_all("ms => ms.every(m => getComputedStyle(m).display === 'inline')")
        assert page.locator(".wb-src").evaluate_all(
            "els => els.every(e => ['normal', 'keep-all'].includes(getComputedStyle(e).wordBreak))")
        # one click on a row's Khmer cell: that row opens with the caret in its Khmer box
        activate(page, ids[4], "km")
        assert _focused_lang(page) == "km"
        # the panel is beside the list: the rows after the active one stay in view
        visible = page.evaluate(VISIBLE_ROWS_JS)
        assert {ids[5], ids[6], ids[7]} <= set(visible), visible
        panel = page.locator(".wb-panel").bounding_box()
        listing = page.locator(".wb-list").bounding_box()
        assert panel["x"] >= listing["x"] + listing["width"] - 1
        # the status chips never wrap inside a word
        assert page.locator(".wb-st").evaluate_all("els => els.every(e => getComputedStyle(e).whiteSpace === 'nowrap')")
        shot(page, f"desk-{size}")
        # moving past the last row in view scrolls the active row into view
        for _ in range(len(visible) + 3):
            page.keyboard.press("Alt+ArrowDown")
        page.wait_for_timeout(500)
        active = int(page.locator(".wb-row.active").get_attribute("data-seg"))
        assert active in page.evaluate(VISIBLE_ROWS_JS), active
        shot(page, f"desk-scrolled-{size}")
    finally:
        page.context.close()


def test_each_user_shows_the_targets_they_work_on(browser, seed_server, shot):
    from playwright.sync_api import expect

    url, app, path = seed_server
    ids = _ids(path)
    with Project.open(path) as proj:  # Russian of the first three segments is done, Khmer untouched
        for sid in ids[:3]:
            proj.save_edit(sid, "ru", f"Готово {sid}.", confirm=True, author="rita")
    page = open_desk(browser, url, size=SIZES["1366"])
    try:
        page.locator(".wb-show-langs input[value='ru']").uncheck()  # a Khmer reviewer hides Russian
        expect(page.locator(".wb-colhead")).not_to_contain_text("Russian", timeout=15_000)
        assert page.locator(".wb-tgt[data-lang='ru']").count() == 0
        assert "show=km" in page.evaluate("() => location.search")
        # "unconfirmed" means: not confirmed in the languages shown (Khmer), so the first rows are there
        page.locator(".wb-toolbar select[data-f='status']").select_option("unconfirmed")
        expect(page.locator(".wb-pageinfo")).to_contain_text("of 35", timeout=15_000)
        assert row(page, ids[0]).count() == 1
        page.locator(".wb-show-langs input[value='ru']").check()
        page.locator(".wb-show-langs input[value='km']").uncheck()
        expect(page.locator(".wb-pageinfo")).to_contain_text("of 32", timeout=15_000)  # Russian: 3 are done
        assert row(page, ids[0]).count() == 0
        shot(page, "desk-russian-only-1366")
        # the choice is remembered by this browser
        page.goto(url)
        page.wait_for_selector(".wb-row", timeout=30_000)
        expect(page.locator(".wb-colhead")).not_to_contain_text("Khmer")
    finally:
        page.context.close()
        with Project.open(path) as proj:
            for sid in ids[:3]:
                proj.undo(sid, "ru")


def test_context_survives_a_reload(browser, seed_server, shot):
    """The project, the filter, the languages and the active segment are in the address; the author typed in
    the header is remembered by the browser and recorded."""
    from playwright.sync_api import expect

    url, app, path = seed_server
    page = open_desk(browser, url, size=SIZES["1440"])
    try:
        page.locator("#author input, #author textarea").first.fill("Sophea")
        page.locator("#author input, #author textarea").first.press("Tab")
        page.get_by_role("tab", name="Projects").click()
        page.locator("#proj-pick input").fill("second")
        page.locator("#proj-pick input").press("Enter")
        page.locator("#proj-open").click()
        # the second project is in the desk (the seed article has a Phnom Penh row too)
        expect(page.locator(".wb-pageinfo")).to_contain_text("of 6", timeout=30_000)
        expect(page.locator(".wb-src", has_text="Phnom Penh")).to_have_count(1, timeout=30_000)
        page.locator(".wb-toolbar input[data-f='query']").fill("the")
        page.locator(".wb-toolbar input[data-f='query']").press("Enter")
        expect(page.locator(".wb-pageinfo")).to_contain_text("filtered from 6", timeout=15_000)
        target = page.locator(".wb-row", has_text="Phnom Penh").get_attribute("data-seg")
        activate(page, int(target), "km")
        address = page.evaluate("() => location.search")
        assert all(p in address for p in ("project=second", "q=the", f"seg={target}")), address
        page.reload()
        page.wait_for_selector(".wb-row.active", timeout=30_000)
        expect(page.locator(".wb-row.active")).to_have_attribute("data-seg", target)
        expect(page.locator(".wb-toolbar input[data-f='query']")).to_have_value("the")
        expect(page.locator(".wb-pageinfo")).to_contain_text("filtered from 6")
        expect(page.locator("#proj-head")).to_contain_text("second")
        expect(page.locator("#author input, #author textarea").first).to_have_value("Sophea")
        box(page, "km").fill("វេទិកាតំបន់អាស៊ាន")
        box(page, "km").press("Control+s")
        expect(page.locator(".wb-row.active .wb-rowmsg")).to_contain_text("KM saved by Sophea", timeout=15_000)
        shot(page, "context-after-reload")
        # the address can be sent to someone else: it opens the same place
        other = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        other.goto(url + address)
        other.wait_for_selector(".wb-row.active", timeout=30_000)
        expect(other.locator(".wb-row.active")).to_have_attribute("data-seg", target)
        other.context.close()
    finally:
        page.context.close()


def test_qa_findings_with_their_places_and_readable_history(browser, seed_server, shot):
    from playwright.sync_api import expect

    url, app, path = seed_server
    ids = _ids(path)
    with Project.open(path) as proj:
        seg = proj.segment(ids[1])  # "Russia, Cambodia and ASEAN – resilient partnership in the time of turbulence"
    page = open_desk(browser, url, size=SIZES["1440"])
    try:
        activate(page, seg.id, "ru")
        text = "Россия,  Камбоджа и АСЕАН - устойчивое  партнерство во времена турбулентности"
        box(page, "ru").fill(text)
        box(page, "ru").press("Control+s")
        qa = page.locator(".wb-panel .wb-qa-list")
        expect(qa).to_contain_text("double space", timeout=15_000)
        doubles = qa.locator(".wb-finding", has_text="double space")
        expect(doubles).to_have_count(1)  # one finding for the two places...
        expect(doubles).to_contain_text("at 8–9, 39–40")
        expect(qa.locator(".wb-finding", has_text="em dash")).to_contain_text("at 26–28")
        # ...each place underlined in the box
        marks = page.locator(".wb-row.active .wb-tgt[data-lang='ru'] .wb-backdrop mark.qa")
        expect(marks).to_have_count(3, timeout=15_000)
        assert marks.evaluate_all("ms => ms.map(m => m.textContent)") == ["  ", " - ", "  "]
        shot(page, "qa-places")
        doubles.click()  # selects it in the box
        sel = page.evaluate("() => { const t = document.activeElement; return [t.selectionStart, t.selectionEnd]; }")
        assert text[sel[0]:sel[1]] == "  "
        # the history: who, when, what, the text — one readable entry per change
        hist = page.locator(".wb-panel .wb-hist li")
        expect(hist.first).to_contain_text("edit")
        expect(hist.first).to_contain_text(text)
    finally:
        page.context.close()
