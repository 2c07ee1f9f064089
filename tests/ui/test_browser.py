"""The editor in a real Chromium against a real Gradio server (one server for this module): the segment desk
(edit in place, confirm and move on, keyboard, saving on leaving a box, stale saves refused), text shown
literally, Khmer font, creating a project, TM/QA/export, the glossary seen in the panel."""

from __future__ import annotations

import pytest

from workbench.core.store import Project

from .conftest import KHMER, activate, box, open_desk, row

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RU_TEXT = "Региональный форум АСЕАН собрался в Пномпене."


@pytest.fixture
def page(browser, server):
    pg = open_desk(browser, server[0], author="tester")
    yield pg
    pg.context.close()


def _seg_id(path, fragment: str) -> int:
    with Project.open(path) as proj:
        return next(s.id for s in proj.segments() if fragment in s.source)


def test_markup_in_segments_is_shown_as_text(page, server, shot):
    rows = page.locator(".wb-row")
    expect_text = page.locator(".wb-src", has_text="<script>window.__pwned = 1</script>")
    assert expect_text.count() == 1
    assert page.locator(".wb-src", has_text="**Bold claims** and <b>tags</b> stay as typed.").count() == 1
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(".wb-rows script, .wb-rows strong, .wb-rows b:not(.wb-n)").count() == 0
    assert rows.count() == 6
    # In place: the box of the row shows the source's markup as typed when copied.
    seg = _seg_id(server[2], "**Bold claims**")
    activate(page, seg)
    row(page, seg).locator("button[data-act='copy'][data-lang='ru']").click()
    assert box(page, "ru").input_value() == "**Bold claims** and <b>tags</b> stay as typed."
    shot(page, "markup-literal")


def test_khmer_renders_with_the_bundled_font(page, server, shot):
    from workbench.ui.assets import KHMER_FAMILY

    cell = box(page, "km")  # the first segment is open (the first with work to do): its Khmer box
    assert cell.input_value() == KHMER
    page.evaluate("(fam) => document.fonts.load(`16px \"${fam}\"`, 'ក')", KHMER_FAMILY)
    faces = page.evaluate(
        "() => Array.from(document.fonts).map(f => [f.family.replace(/\"/g, ''), f.status])")
    assert [KHMER_FAMILY, "loaded"] in [list(f) for f in faces], faces
    assert page.evaluate("(fam) => document.fonts.check(`16px \"${fam}\"`, 'ព្រះរាជាណាចក្រ')", KHMER_FAMILY)
    family = cell.first.evaluate("el => getComputedStyle(el).fontFamily")
    assert KHMER_FAMILY in family
    widths = page.evaluate(
        """(args) => { const [fam, text] = args; const c = document.createElement('canvas').getContext('2d');
           c.font = `32px "${fam}"`; const a = c.measureText(text).width;
           c.font = '32px monospace'; const b = c.measureText(text).width; return [a, b]; }""",
        [KHMER_FAMILY, KHMER])
    assert widths[0] > 0 and abs(widths[0] - widths[1]) > 5, widths
    shot(page, "khmer")


def test_edit_confirm_and_reload_keep_the_place(page, server, shot):
    from playwright.sync_api import expect

    url, app, path = server
    seg = _seg_id(path, "ASEAN Regional Forum")
    activate(page, seg, "ru")
    box(page, "ru").fill(RU_TEXT)
    page.keyboard.press("Control+Enter")
    # feedback on the row itself, and the next unconfirmed row open with the caret in its Russian box
    expect(row(page, seg).locator(".wb-rowmsg")).to_contain_text("RU confirmed by tester", timeout=15_000)
    expect(page.locator(".wb-row.active")).not_to_have_attribute("data-seg", str(seg))
    nxt = page.locator(".wb-row.active").get_attribute("data-seg")
    page.wait_for_function("() => document.activeElement && document.activeElement.closest(\".wb-row.active "
                           ".wb-tgt[data-lang='ru']\")")
    expect(row(page, seg).locator(".wb-st")).to_contain_text(["translated", "new"])
    with Project.open(path) as proj:
        tr = proj.translation(seg, "ru")
        assert (tr.text, tr.status, tr.origin, tr.updated_by) == (RU_TEXT, "translated", "human", "tester")
    assert f"seg={nxt}" in page.evaluate("() => location.search")
    shot(page, "confirmed")
    page.reload()
    page.wait_for_selector(".wb-row.active", timeout=30_000)
    expect(page.locator(".wb-row.active")).to_have_attribute("data-seg", nxt)  # the URL kept the place
    expect(row(page, seg).locator(".wb-tgt[data-lang='ru'] .wb-text")).to_have_text(RU_TEXT)
    activate(page, seg)
    assert box(page, "ru").input_value() == RU_TEXT
    expect(page.locator(".wb-panel .wb-hist")).to_contain_text(RU_TEXT)
    expect(page.locator(".wb-panel .wb-hist")).to_contain_text("tester")
    shot(page, "after-reload")


def test_second_tab_stale_save_is_refused(browser, server, shot):
    from playwright.sync_api import expect

    url, app, path = server
    seg = _seg_id(path, "celebrated the anniversary")
    a = open_desk(browser, url, author="ana")
    b = open_desk(browser, url, author="bob")
    for pg in (a, b):
        activate(pg, seg, "ru")
    box(a, "ru").fill("Текст первой вкладки.")
    box(a, "ru").press("Control+s")
    expect(row(a, seg).locator(".wb-rowmsg")).to_contain_text("RU saved by ana", timeout=15_000)
    box(b, "ru").fill("Текст второй вкладки.")
    box(b, "ru").press("Control+s")
    expect(row(b, seg).locator(".wb-rowmsg")).to_contain_text("was changed by ana", timeout=15_000)
    shot(b, "stale-save-refused")
    with Project.open(path) as proj:
        assert proj.translation(seg, "ru").text == "Текст первой вкладки."
    assert box(b, "ru").input_value() == "Текст второй вкладки."  # what was typed stays
    b.locator(".wb-panel button[data-act='reload']").click()
    expect(box(b, "ru")).to_have_value("Текст первой вкладки.", timeout=15_000)
    for pg in (a, b):
        pg.context.close()


def test_create_project_from_upload_of_the_seed_article(page, server, shot):
    from playwright.sync_api import expect

    from workbench.core.config import SEED_ARTICLE

    url, app, path = server
    page.get_by_role("tab", name="Projects").click()
    page.locator("#new-name textarea, #new-name input").first.fill("Seed via browser")
    page.locator("#new-file input[type=file]").set_input_files(str(SEED_ARTICLE))
    page.locator("#new-targets label", has_text="Khmer").click()
    page.locator("#new-go").click()
    expect(page.locator("#wb-msg")).to_contain_text("Created Seed via browser", timeout=60_000)
    expect(page.locator(".wb-src", has_text="Russia, Cambodia and ASEAN").first).to_be_visible(timeout=30_000)
    assert page.locator(".wb-colhead").inner_text().split("\n")[-1] == "Russian (RU)"  # no Khmer column
    created = app.ctx.ws.folder / "Seed via browser.db"
    with Project.open(created) as proj:
        assert proj.target_langs == ["ru"]
        assert proj.documents()[0].origin == SEED_ARTICLE.name
    assert "project=Seed+via+browser" in page.evaluate("() => location.search")
    shot(page, "created-from-upload")
    page.get_by_role("tab", name="Projects").click()
    expect(page.locator("#proj-list")).to_contain_text("Seed via browser")
    expect(page.locator("#proj-list")).to_contain_text("RU 0/")
    page.locator("#proj-pick input").fill("fixture")
    page.locator("#proj-pick input").press("Enter")
    page.locator("#proj-open").click()
    expect(page.locator(".wb-src", has_text="Phnom Penh")).to_have_count(1, timeout=30_000)


def test_leaving_a_box_saves_it_at_once(page, server):
    from playwright.sync_api import expect

    url, app, path = server
    seg = _seg_id(path, "**Bold claims**")
    activate(page, seg, "ru")
    box(page, "ru").fill("**Смелые заявления** и <b>теги</b> остаются как есть.")
    box(page, "km").click()  # leave the Russian box
    expect(row(page, seg).locator(".wb-rowmsg")).to_contain_text("RU saved", timeout=15_000)
    page.keyboard.type("ក")  # typing in the Khmer box is not disturbed by the save
    expect(box(page, "km")).to_have_value("ក")
    with Project.open(path) as proj:
        tr = proj.translation(seg, "ru")
        assert (tr.text, tr.status, tr.origin) == ("**Смелые заявления** и <b>теги</b> остаются как есть.", "draft",
                                                   "human")
    # Clicking another row right after typing saves too (and the row shows the text literally).
    box(page, "km").fill("សេចក្តីថ្លែងការណ៍")
    other = _seg_id(path, "Joint Declaration")
    row(page, other).locator(".wb-src").click()
    expect(row(page, seg).locator(".wb-tgt[data-lang='km'] .wb-text")).to_have_text("សេចក្តីថ្លែងការណ៍",
                                                                                     timeout=15_000)
    expect(row(page, seg).locator(".wb-tgt[data-lang='ru'] .wb-text")).to_have_text(
        "**Смелые заявления** и <b>теги</b> остаются как есть.")
    with Project.open(path) as proj:
        assert proj.translation(seg, "km").text == "សេចក្តីថ្លែងការណ៍"


def test_confirmed_pair_feeds_tm_panel_qa_and_export(page, server, shot):
    """Confirm a translation: a similar segment's panel offers it as a TM match (inserted by its shortcut); QA
    findings show in the panel and the QA filter; the TMX export (a background job) holds the edit."""
    from playwright.sync_api import expect

    from workbench.tm.tmx import read_tmx

    url, app, path = server
    seg = _seg_id(path, "bilateral level and within the UN")
    activate(page, seg, "ru")
    text = "Сотрудничество продолжается на двустороннем уровне и в ООН."
    box(page, "ru").fill(text)
    page.keyboard.press("Control+Enter")
    expect(row(page, seg).locator(".wb-rowmsg")).to_contain_text("RU confirmed", timeout=15_000)
    with Project.open(path) as proj:
        similar = proj.add_document("Second article",
                                    [(0, "Cooperation continues at the bilateral level and within ASEAN.")])
        sim_id = proj.segments(similar.id)[0].id
    page.locator(".wb-toolbar input[data-f='query']").fill("within ASEAN")
    page.locator(".wb-toolbar input[data-f='query']").press("Enter")
    expect(page.locator(".wb-pageinfo")).to_contain_text("Segments 1–1 of 1", timeout=15_000)
    expect(page.locator(".wb-src mark.hit")).to_have_text(["within ", "ASEAN"])  # the hit is highlighted
    activate(page, sim_id, "ru")
    expect(page.locator(".wb-panel .wb-tm .wb-ins").first).to_contain_text(text, timeout=15_000)
    page.keyboard.press("Control+Shift+Digit1")  # insert TM match 1 at the caret
    expect(box(page, "ru")).to_have_value(text, timeout=15_000)
    # inline codes in the box show as tag chips (drawn behind the text, which stays as typed)
    box(page, "ru").fill("<g1>Сотрудничество</g1> продолжается<x2/>")
    chips = page.locator(".wb-row.active .wb-tgt[data-lang='ru'] .wb-backdrop mark.tag")
    expect(chips).to_have_text(["<g1>", "</g1>", "<x2/>"], timeout=15_000)
    shot(page, "tag-chips")
    box(page, "ru").fill("Сотрудничество продолжается в АСЕАН с 1999 года.")
    box(page, "ru").press("Control+s")
    expect(page.locator(".wb-panel .wb-qa-list")).to_contain_text("1999", timeout=15_000)
    page.locator(".wb-toolbar input[data-f='query']").fill("")
    page.locator(".wb-toolbar input[data-f='query']").press("Enter")
    page.locator(".wb-toolbar input[data-f='qa']").check()
    expect(page.locator(".wb-row", has_text="within ASEAN")).to_have_count(1, timeout=30_000)
    expect(page.locator(".wb-row", has_text="Phnom Penh")).to_have_count(0)
    shot(page, "tm-qa-panel")
    page.locator(".wb-toolbar input[data-f='qa']").uncheck()
    page.get_by_role("tab", name="Export").click()
    page.locator("#ex-go").click()
    expect(page.locator("#wb-msg")).to_contain_text("Exported", timeout=60_000)
    link = page.locator("#ex-files a").first
    with page.expect_download() as dl:
        link.click()
    units = list(read_tmx(dl.value.path()).units())
    pairs = {(u.text("en"), u.text("ru")) for u in units}
    assert ("Cooperation continues at the bilateral level and within the UN.", text) in pairs
    assert all(u.text("ru") != "Сотрудничество продолжается в АСЕАН с 1999 года." for u in units)  # a draft
    shot(page, "export")


def test_keyboard_navigation_save_status_and_undo(page, server):
    from playwright.sync_api import expect

    url, app, path = server
    first = _seg_id(path, "The ambassador wrote")
    second = _seg_id(path, "**Bold claims**")
    activate(page, first, "km")
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator(".wb-row.active")).to_have_attribute("data-seg", str(second), timeout=15_000)
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator(".wb-row.active")).to_have_attribute("data-seg", str(first), timeout=15_000)
    km = box(page, "km")
    before = km.input_value()
    km.fill("ឯកអគ្គរាជទូតបានសរសេរ។")
    km.press("Control+s")
    expect(row(page, first).locator(".wb-rowmsg")).to_contain_text("KM saved", timeout=15_000)
    km.press("Control+Alt+r")  # reviewed, saved at once; the caret stays
    expect(row(page, first).locator(".wb-rowmsg")).to_contain_text("KM status set to reviewed", timeout=15_000)
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'TEXTAREA'")
    with Project.open(path) as proj:
        assert proj.translation(first, "km").status == "reviewed"
    km.press("Control+Shift+U")
    expect(row(page, first).locator(".wb-rowmsg")).to_contain_text("KM undone", timeout=15_000)
    km.press("Control+Shift+U")
    expect(km).to_have_value(before, timeout=15_000)
    with Project.open(path) as proj:
        hist = proj.history(first, "km")
        assert [h.action for h in hist[-3:]] == ["edit", "undo", "undo"]
        assert proj.translation(first, "km").text == before
    expect(page.locator(".wb-panel .wb-hist")).to_contain_text("undo")
