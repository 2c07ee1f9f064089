"""The editor in a real Chromium against a real Gradio server (one server for this module)."""

from __future__ import annotations

import pytest

from workbench.core.store import Project

from .conftest import KHMER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RU_TEXT = "Региональный форум АСЕАН собрался в Пномпене."


@pytest.fixture
def page(browser, server):
    url = server[0]
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.goto(url)
    pg.wait_for_selector("#grid [role=gridcell]", timeout=30_000)
    yield pg
    ctx.close()


def _open_segment(page, text: str, seg_id: int) -> None:
    from playwright.sync_api import expect

    page.locator("#grid [role=gridcell]", has_text=text).first.click()
    expect(page.locator("#seg-head")).to_contain_text(f"Segment #{seg_id} ", timeout=15_000)


def _seg_id(path, fragment: str) -> int:
    with Project.open(path) as proj:
        return next(s.id for s in proj.segments() if fragment in s.source)


def test_markup_in_segments_is_shown_as_text(page, server, shot):
    cells = page.locator("#grid [role=gridcell]")
    script_cell = cells.filter(has_text="<script>window.__pwned = 1</script>")
    bold_cell = cells.filter(has_text="**Bold claims** and <b>tags</b> stay as typed.")
    assert script_cell.count() == 1
    assert bold_cell.count() == 1
    assert page.evaluate("() => window.__pwned") is None
    # Nothing was turned into markup inside the grid.
    assert page.locator("#grid script, #grid strong, #grid b").count() == 0
    # The segment editor shows the source literally too.
    seg = _seg_id(server[2], "**Bold claims**")
    _open_segment(page, "**Bold claims**", seg)
    assert page.locator("#src textarea").input_value() == "**Bold claims** and <b>tags</b> stay as typed."
    shot(page, "markup-literal")


def test_khmer_renders_with_the_bundled_font(page, server, shot):
    from workbench.ui.assets import KHMER_FAMILY

    # The Khmer translation of segment 1 is in the grid and in the editor box.
    cell = page.locator("#grid [role=gridcell]", has_text=KHMER)
    assert cell.count() == 1
    page.evaluate("(fam) => document.fonts.load(`16px \"${fam}\"`, 'ក')", KHMER_FAMILY)
    faces = page.evaluate(
        "() => Array.from(document.fonts).map(f => [f.family.replace(/\"/g, ''), f.status])")
    assert [KHMER_FAMILY, "loaded"] in [list(f) for f in faces], faces
    assert page.evaluate("(fam) => document.fonts.check(`16px \"${fam}\"`, 'ព្រះរាជាណាចក្រ')", KHMER_FAMILY)
    family = cell.first.evaluate("el => getComputedStyle(el).fontFamily")
    assert KHMER_FAMILY in family
    # Rendered with the font, Khmer text is as wide as the font makes it, not as a row of fallback boxes:
    # compare to the same text forced onto a font that has no Khmer glyphs.
    widths = page.evaluate(
        """(args) => { const [fam, text] = args; const c = document.createElement('canvas').getContext('2d');
           c.font = `32px "${fam}"`; const a = c.measureText(text).width;
           c.font = '32px monospace'; const b = c.measureText(text).width; return [a, b]; }""",
        [KHMER_FAMILY, KHMER])
    assert widths[0] > 0 and abs(widths[0] - widths[1]) > 5, widths
    shot(page, "khmer")


def test_edit_confirm_reload_keeps_it(page, server, shot):
    from playwright.sync_api import expect

    url, app, path = server
    seg = _seg_id(path, "ASEAN Regional Forum")
    _open_segment(page, "ASEAN Regional Forum", seg)
    box = page.locator("#tgt-ru textarea")
    box.click()
    box.fill(RU_TEXT)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#wb-msg")).to_contain_text(f"Segment #{seg} RU confirmed", timeout=15_000)
    # Moved on to the next unconfirmed segment, caret in the Russian box.
    expect(page.locator("#seg-head")).not_to_contain_text(f"Segment #{seg} ")
    nxt = page.locator("#seg-head [data-seg]").get_attribute("data-seg")
    expect(page.locator("#grid .wb-current [role=gridcell]").first).to_have_text(nxt)  # its row is marked
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('#tgt-ru')")
    with Project.open(path) as proj:
        tr = proj.translation(seg, "ru")
        assert (tr.text, tr.status, tr.origin) == (RU_TEXT, "translated", "human")
        assert proj.history(seg, "ru")[-1].new_text == RU_TEXT
    shot(page, "confirmed")
    page.reload()
    page.wait_for_selector("#grid [role=gridcell]", timeout=30_000)
    expect(page.locator("#grid [role=gridcell]", has_text=RU_TEXT)).to_have_count(1)
    _open_segment(page, "ASEAN Regional Forum", seg)
    assert box.input_value() == RU_TEXT
    expect(page.locator("#info-ru")).to_contain_text("translated")
    # The history panel lists the change.
    expect(page.locator("#history")).to_contain_text(RU_TEXT)
    shot(page, "after-reload")


def test_second_tab_stale_save_is_refused(browser, server, shot):
    from playwright.sync_api import expect

    url, app, path = server
    seg = _seg_id(path, "celebrated the anniversary")
    tabs = []
    for _ in range(2):
        pg = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        pg.goto(url)
        pg.wait_for_selector("#grid [role=gridcell]", timeout=30_000)
        _open_segment(pg, "celebrated the anniversary", seg)
        tabs.append(pg)
    a, b = tabs
    a.locator("#tgt-ru textarea").fill("Текст первой вкладки.")
    a.locator("#tgt-ru textarea").press("Control+s")
    expect(a.locator("#wb-msg")).to_contain_text(f"Saved RU of segment #{seg}", timeout=15_000)
    b.locator("#tgt-ru textarea").fill("Текст второй вкладки.")
    b.locator("#tgt-ru textarea").press("Control+s")
    expect(b.locator("#wb-msg")).to_contain_text("was changed by", timeout=15_000)
    shot(b, "stale-save-refused")
    # Nothing was overwritten, and the second tab still holds what was typed there.
    with Project.open(path) as proj:
        assert proj.translation(seg, "ru").text == "Текст первой вкладки."
    assert b.locator("#tgt-ru textarea").input_value() == "Текст второй вкладки."
    # After reloading the segment the second tab sees the first tab's text.
    b.locator("#reload-seg").click()
    expect(b.locator("#tgt-ru textarea")).to_have_value("Текст первой вкладки.", timeout=15_000)
    for pg in tabs:
        pg.context.close()


def test_create_project_from_upload_of_the_seed_article(page, server, shot):
    from playwright.sync_api import expect

    from workbench.core.config import SEED_ARTICLE

    url, app, path = server
    page.get_by_role("tab", name="Projects").click()
    page.locator("#new-name textarea, #new-name input").first.fill("Seed via browser")
    page.locator("#new-file input[type=file]").set_input_files(str(SEED_ARTICLE))
    # Only Russian as target for this one.
    page.locator("#new-targets label", has_text="Khmer").click()
    page.locator("#new-go").click()
    expect(page.locator("#wb-msg")).to_contain_text("Created Seed via browser", timeout=60_000)
    expect(page.locator("#grid [role=gridcell]", has_text="Russia, Cambodia and ASEAN").first).to_be_visible()
    assert not page.locator("#tgt-km").is_visible()
    created = app.ctx.ws.folder / "Seed via browser.db"
    with Project.open(created) as proj:
        assert proj.target_langs == ["ru"]
        assert any("Russia, Cambodia and ASEAN" in s.source for s in proj.segments())
        # The upload's file name is a label only: the document remembers it, not a server path.
        assert proj.documents()[0].origin == SEED_ARTICLE.name
    shot(page, "created-from-upload")
    # The list of projects shows it with its progress; open the fixture project again from there.
    page.get_by_role("tab", name="Projects").click()
    expect(page.locator("#proj-list")).to_contain_text("Seed via browser")
    expect(page.locator("#proj-list")).to_contain_text("RU 0/")


def test_leaving_a_box_saves_it_at_once(page, server):
    from playwright.sync_api import expect

    url, app, path = server
    seg = _seg_id(path, "**Bold claims**")
    _open_segment(page, "**Bold claims**", seg)
    page.locator("#tgt-ru textarea").fill("**Смелые заявления** и <b>теги</b> остаются как есть.")
    page.locator("#tgt-km textarea").click()  # leave the Russian box
    expect(page.locator("#wb-msg")).to_contain_text(f"Saved RU of segment #{seg}", timeout=15_000)
    page.keyboard.type("ក")  # typing in the Khmer box is not disturbed by the save
    with Project.open(path) as proj:
        tr = proj.translation(seg, "ru")
        assert (tr.text, tr.status, tr.origin) == ("**Смелые заявления** и <b>теги</b> остаются как есть.", "draft",
                                                   "human")
    # Clicking another row right after typing saves too (and the grid shows the text literally).
    page.locator("#tgt-km textarea").fill("សេចក្តីថ្លែងការណ៍")
    page.locator("#grid [role=gridcell]", has_text="Joint Declaration").first.click()
    expect(page.locator("#grid [role=gridcell]", has_text="សេចក្តីថ្លែងការណ៍")).to_have_count(1, timeout=15_000)
    expect(page.locator("#grid [role=gridcell]", has_text="**Смелые заявления** и <b>теги</b>")).to_have_count(1)
    with Project.open(path) as proj:
        assert proj.translation(seg, "km").text == "សេចក្តីថ្លែងការណ៍"


def test_confirmed_pair_feeds_tm_panel_qa_and_export(page, server, shot):
    """Confirm a translation: a similar segment's panel offers it as a TM match; QA findings show in the panel
    and the QA filter; the TMX export downloaded from the Export tab parses and holds the edit."""
    from playwright.sync_api import expect

    from workbench.tm.tmx import read_tmx

    url, app, path = server
    seg = _seg_id(path, "bilateral level and within the UN")
    _open_segment(page, "bilateral level and within the UN", seg)
    text = "Сотрудничество продолжается на двустороннем уровне и в ООН."
    page.locator("#tgt-ru textarea").fill(text)
    page.locator("#tgt-ru textarea").press("Control+Enter")
    expect(page.locator("#wb-msg")).to_contain_text(f"Segment #{seg} RU confirmed", timeout=15_000)
    with Project.open(path) as proj:
        similar = proj.add_document("Second article",
                                    [(0, "Cooperation continues at the bilateral level and within ASEAN.")])
        sim_id = proj.segments(similar.id)[0].id
    page.locator("#filter-refresh, #reload-seg").first.click()
    page.locator("#search input, #search textarea").first.fill("within ASEAN")
    page.locator("#search input, #search textarea").first.press("Enter")
    expect(page.locator("#page-info")).to_contain_text("Segments 1–1 of 1", timeout=15_000)
    _open_segment(page, "within ASEAN", sim_id)
    expect(page.locator("#panel .tm-hit").first).to_contain_text(text)
    expect(page.locator("#panel .tm-hit").first).to_contain_text("TM ")
    page.locator("#use-tm-ru").click()
    expect(page.locator("#tgt-ru textarea")).to_have_value(text, timeout=15_000)
    # The TM text names the UN, the source ASEAN: a number/term-free QA check still runs; a wrong number shows.
    page.locator("#tgt-ru textarea").fill("Сотрудничество продолжается в АСЕАН с 1999 года.")
    page.locator("#tgt-ru textarea").press("Control+s")
    expect(page.locator("#panel")).to_contain_text("1999", timeout=15_000)
    page.locator("#search input, #search textarea").first.fill("")
    page.locator("#search input, #search textarea").first.press("Enter")
    page.get_by_label("QA problems only").check()
    expect(page.locator("#page-info")).to_contain_text("Segments 1–", timeout=15_000)
    cells = page.locator("#grid [role=gridcell]")
    expect(cells.filter(has_text="within ASEAN")).to_have_count(1)
    expect(cells.filter(has_text="Phnom Penh")).to_have_count(0)
    shot(page, "tm-qa-panel")
    page.get_by_label("QA problems only").uncheck()
    # Export: confirmed only, all languages, one TMX.
    page.get_by_role("tab", name="Export").click()
    page.locator("#ex-go").click()
    expect(page.locator("#wb-msg")).to_contain_text("Exported", timeout=30_000)
    link = page.locator("#ex-files a").first
    with page.expect_download() as dl:
        link.click()
    target = dl.value.path()
    units = list(read_tmx(target).units())
    pairs = {(u.text("en"), u.text("ru")) for u in units}
    assert ("Cooperation continues at the bilateral level and within the UN.", text) in pairs
    assert all(u.text("ru") != "Сотрудничество продолжается в АСЕАН с 1999 года." for u in units)  # a draft
    shot(page, "export")


def test_glossary_term_added_shows_in_the_segment_panel(page, server, shot):
    from playwright.sync_api import expect

    from workbench.glossary import Glossary

    url, app, path = server
    seg = _seg_id(path, "celebrated the anniversary")
    # Before: the source has no term of the concept we are about to add.
    _open_segment(page, "celebrated the anniversary", seg)
    expect(page.locator("#panel")).not_to_contain_text("anniversary →")
    page.get_by_role("tab", name="Glossary").click()
    # Wait until the tab has loaded its table, then fill the form and check each value took before saving
    # (on a loaded machine a click could otherwise race the last input event).
    expect(page.locator("#g-table [role=gridcell]").first).to_be_visible(timeout=15_000)
    for field, value in (("g-id", "anniversary-test"), ("g-domain", "events"), ("g-en", "anniversary"),
                         ("g-ru", "годовщина"), ("g-km", "ខួប")):
        box = page.locator(f"#{field} textarea, #{field} input").first
        box.fill(value)
        expect(box).to_have_value(value)
    page.wait_for_timeout(300)
    page.locator("#g-save").click()
    expect(page.locator("#wb-msg")).to_contain_text("Added concept anniversary-test", timeout=15_000)
    # Saved to the glossary file at once.
    concept = Glossary.load(app.ctx.gloss.path).get("anniversary-test")
    assert concept.preferred("ru").text == "годовщина"
    # Search finds it in the table.
    page.locator("#g-query textarea, #g-query input").first.fill("годовщ")
    page.locator("#g-query textarea, #g-query input").first.press("Enter")
    expect(page.locator("#g-table [role=gridcell]", has_text="anniversary-test")).to_have_count(1)
    shot(page, "glossary-tab")
    # The open segment's panel shows the term with its expected Russian and Khmer, and its source highlight.
    page.get_by_role("tab", name="Editor").click()
    expect(page.locator("#panel")).to_contain_text("anniversary → годовщина", timeout=15_000)
    expect(page.locator("#panel")).to_contain_text("anniversary → ខួប")
    expect(page.locator("#src-terms")).to_contain_text("anniversary-test")
    # A target without the term is flagged; with it, it complies.
    # (Each save is awaited in the grid before the next edit: a save's reply re-renders the editor.)
    page.locator("#tgt-ru textarea").fill("Оба государства отметили праздник.")
    page.locator("#tgt-ru textarea").press("Control+s")
    expect(page.locator("[role=gridcell]", has_text="Оба государства отметили праздник.").first).to_be_visible(
        timeout=15_000)
    expect(page.locator("#panel .term-missing", has_text="anniversary")).to_contain_text("годовщина", timeout=15_000)
    with_term = "Оба государства отметили годовщину дружественных отношений."
    page.locator("#tgt-ru textarea").fill(with_term)
    expect(page.locator("#tgt-ru textarea")).to_have_value(with_term)
    page.locator("#tgt-ru textarea").press("Control+s")
    expect(page.locator("[role=gridcell]", has_text="отметили годовщину").first).to_be_visible(timeout=15_000)
    expect(page.locator("#panel .term-ok", has_text="anniversary")).to_contain_text("годовщина", timeout=15_000)
    shot(page, "glossary-panel")
    # Export as TBX: the file holds the concept.
    page.get_by_role("tab", name="Glossary").click()
    page.locator("#g-export").click()
    expect(page.locator("#wb-msg")).to_contain_text("Exported the glossary", timeout=15_000)
    with page.expect_download() as dl:
        page.locator("#g-file a").first.click()
    exported = Glossary.read(dl.value.path(), "tbx")
    assert exported.get("anniversary-test").preferred("km").text == "ខួប"
    # Delete it again.
    page.locator("#g-delete").click()
    expect(page.locator("#wb-msg")).to_contain_text("Deleted concept anniversary-test", timeout=15_000)
    assert "anniversary-test" not in Glossary.load(app.ctx.gloss.path)


def test_keyboard_navigation_save_and_undo(page, server):
    from playwright.sync_api import expect

    url, app, path = server
    first = _seg_id(path, "The ambassador wrote")
    second = _seg_id(path, "**Bold claims**")
    _open_segment(page, "The ambassador wrote", first)
    page.locator("#tgt-km textarea").click()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#seg-head")).to_contain_text(f"Segment #{second} ", timeout=15_000)
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#seg-head")).to_contain_text(f"Segment #{first} ", timeout=15_000)
    box = page.locator("#tgt-km textarea")
    before = box.input_value()
    box.fill("ឯកអគ្គរាជទូតបានសរសេរ។")
    box.press("Control+s")
    expect(page.locator("#wb-msg")).to_contain_text(f"Saved KM of segment #{first}", timeout=15_000)
    box.press("Control+Shift+U")
    expect(page.locator("#wb-msg")).to_contain_text(f"Undid the last change of segment #{first} KM", timeout=15_000)
    expect(box).to_have_value(before)
    with Project.open(path) as proj:
        hist = proj.history(first, "km")
        assert [h.action for h in hist[-2:]] == ["edit", "undo"]
        assert proj.translation(first, "km").text == before
    expect(page.locator("#history")).to_contain_text("undo")
