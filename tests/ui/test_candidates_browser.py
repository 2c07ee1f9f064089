"""The Glossary tab's Candidates view in a real Chromium against a real Gradio server: mine the open project and
the TM in the background, look at a candidate in context, accept one into the glossary, reject another and see
it stay away."""

from __future__ import annotations

import pytest

from tests.glossary.test_mining import PAIRS

from .conftest import running_editor

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def mining_server(tmp_path_factory):
    """An editor over a project whose Russian translations are confirmed (PAIRS), with a TM holding one more
    pair and a copy of the test glossary (which knows «green corridors»)."""

    from workbench.core.store import Project
    from workbench.tm.memory import TranslationMemory

    from ..plugins.glossary import GLOSSARY_TEST_DATA

    base = tmp_path_factory.mktemp("mining")
    folder = base / "projects"
    folder.mkdir()
    proj = Project.create(folder / "mined.db", "mined", "en", ["ru", "km"])
    proj.add_document("Pairs", [(i, s) for i, (s, _) in enumerate(PAIRS)])
    for seg, (_, t) in zip(proj.segments(), PAIRS):
        proj.set_translation(seg.id, "ru", t, origin="human", status="translated", author="test")
    proj.close()
    tm = TranslationMemory.open(base / "tm.db")
    tm.add("Hanoi prepared the East Asia Summit.", "Ханой подготовил Восточноазиатский саммит.", "en", "ru")
    tm.close()
    with running_editor(folder / "mined.db", folder, GLOSSARY_TEST_DATA / "mini.csv") as running:
        yield running


def _mine(page):
    from playwright.sync_api import expect

    page.locator("#c-run").click()
    expect(page.locator("#c-status")).to_contain_text("candidates from", timeout=60_000)


def test_mine_review_accept_reject(browser, mining_server, shot):
    from playwright.sync_api import expect

    from workbench.glossary import Glossary
    from workbench.glossary.mining_io import Rejections

    url, app, glossary = mining_server
    ctx = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = ctx.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(".wb-row", timeout=30_000)
        page.get_by_role("tab", name="Glossary").click()
        page.locator("#c-acc").get_by_text("Candidates").first.click()
        expect(page.locator("#c-run")).to_be_visible(timeout=15_000)
        _mine(page)
        # 13 pairs: the project's 12 and the TM's one; the glossary's terms are not proposed
        expect(page.locator("#c-status")).to_contain_text("from 13 pairs of project mined and the translation memory")
        table = page.locator("#c-table")
        expect(table.locator("[role=gridcell]", has_text="Ханой").first).to_be_visible()
        # the glossary's terms (East Asia Summit, green corridors) are not proposed
        assert table.locator("[role=gridcell]", has_text="Восточноазиатский саммит").count() == 0
        assert table.locator("[role=gridcell]", has_text="green corridor").count() == 0
        assert app.glossary.candidates.runner.jobs(kind="mine-terms")[-1].state == "done"

        # Hanoi in context: both sides marked in every example, the TM's pair among them
        table.locator("[role=gridcell]", has_text="Ханой").first.click()
        detail = page.locator("#cand-detail")
        expect(detail).to_contain_text("4 pairs together", timeout=15_000)
        expect(detail.locator("li")).to_have_count(4)
        expect(detail.locator("mark", has_text="Ханое")).to_have_count(2)
        expect(detail.locator("li", has_text="Ханой подготовил")).to_have_count(1)
        shot(page, "candidates")
        page.locator("#c-accept").click()
        expect(page.locator("#wb-msg")).to_contain_text("Added Hanoi = Ханой", timeout=15_000)
        # Saved to the glossary: needs review, with where it was mined; the glossary table shows it
        c = Glossary.load(glossary).get("hanoi")
        ru = c.preferred("ru")
        assert ru.text == "Ханой" and ru.needs_review and c.preferred("en").needs_review
        assert ru.source.startswith("mined from project mined and the translation memory")
        expect(table.locator("[role=gridcell]", has_text="Ханой")).to_have_count(0)
        expect(page.locator("#g-table tr[data-id='hanoi']")).to_contain_text("Ханой", timeout=15_000)

        # Filter, then reject trade = торговля: remembered, not proposed again when mining anew
        query = page.locator("#c-query textarea, #c-query input").first
        query.fill("торгов")
        query.press("Enter")
        expect(table.locator("[role=row]")).to_have_count(2, timeout=15_000)  # the header and trade
        table.locator("[role=gridcell]", has_text="торговля").first.click()
        expect(detail).to_contain_text("trade", timeout=15_000)
        page.locator("#c-reject").click()
        expect(page.locator("#wb-msg")).to_contain_text("Rejected trade = торговля", timeout=15_000)
        assert ("trade", "торговля") in Rejections.beside(glossary).keys("en", "ru")
        expect(table).to_contain_text("(no candidates)")
        query.fill("")
        query.press("Enter")
        _mine(page)
        expect(table.locator("[role=gridcell]", has_text="министр").first).to_be_visible()
        assert table.locator("[role=gridcell]", has_text="торговля").count() == 0
        assert table.locator("[role=gridcell]", has_text="Ханой").count() == 0  # in the glossary now

        # Accept without choosing: one clear line, nothing changes
        page.locator("#c-accept").click()
        expect(page.locator("#wb-msg")).to_contain_text("choose a candidate", timeout=15_000)
    finally:
        ctx.close()


def test_mining_a_language_without_pairs_says_so(browser, mining_server):
    from playwright.sync_api import expect

    url, _, _ = mining_server
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(".wb-row", timeout=30_000)
        page.get_by_role("tab", name="Glossary").click()
        page.locator("#c-acc").get_by_text("Candidates").first.click()
        page.locator("#c-lang").get_by_text("Khmer").click()
        page.locator("#c-run").click()
        expect(page.locator("#c-status")).to_contain_text("no confirmed or aligned km translations",
                                                          timeout=30_000)
    finally:
        ctx.close()
