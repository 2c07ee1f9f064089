"""The Alignment tab in a real browser: open another project, align a pasted Russian text, review, confirm a
link as an anchor, accept confident pairs into the project and the TM, three-way view."""

from __future__ import annotations

import pytest

from workbench.core.store import Project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EN = [
    (0, "The Russian Federation and the Kingdom of Cambodia maintain friendly relations."),
    (0, "In 2020 both states celebrated the 25th anniversary of the Joint Declaration."),
    (1, "The ministers met in Phnom Penh on 12 March."),
    (1, "They discussed trade, education and health care."),
    (2, "The next meeting will take place in Moscow."),
]
RU = ("Российская Федерация и Королевство Камбоджа поддерживают дружественные отношения. "
      "В 2020 году оба государства отметили 25-летие Совместной декларации.\n\n"
      "Министры встретились в Пномпене 12 марта. Они обсудили торговлю, образование и здравоохранение.\n\n"
      "Следующая встреча состоится в Москве.")
RU_SENTS = [
    "Российская Федерация и Королевство Камбоджа поддерживают дружественные отношения.",
    "В 2020 году оба государства отметили 25-летие Совместной декларации.",
    "Министры встретились в Пномпене 12 марта.",
    "Они обсудили торговлю, образование и здравоохранение.",
    "Следующая встреча состоится в Москве.",
]


@pytest.fixture(scope="module")
def align_project(server):
    url, app, path = server
    target = app.ctx.ws.folder / "bilateral.db"
    proj = Project.create(target, "bilateral", "en", ["ru", "km"])
    proj.add_document("Bilateral", EN, origin="bilateral.txt", format="txt")
    proj.close()
    assert app.ctx.ws.resolve("bilateral") == target.resolve()  # the Projects tab can open it by name
    return target


def test_align_review_confirm_accept(browser, server, align_project, shot):
    from playwright.sync_api import expect

    from workbench.tm.memory import TranslationMemory

    url, app, _ = server
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(url)
    page.wait_for_selector(".wb-row", timeout=30_000)
    # Open the other project from the Projects tab.
    page.get_by_role("tab", name="Projects").click()
    page.locator("#proj-pick input").fill("bilateral")
    page.locator("#proj-pick input").press("Enter")
    page.locator("#proj-open").click()
    expect(page.locator("#proj-head")).to_contain_text("bilateral", timeout=15_000)
    expect(page.locator(".wb-src", has_text="friendly relations")).to_have_count(1, timeout=15_000)
    page.get_by_role("tab", name="Alignment").click()
    expect(page.locator("#al-doc input")).to_have_value("1: Bilateral", timeout=15_000)
    page.locator("#al-text textarea").fill(RU)
    page.locator("#al-go").click()
    expect(page.locator("#wb-msg")).to_contain_text("Aligned Russian", timeout=60_000)
    # Every Russian sentence is listed with its number, and shows in the three-way view.
    for k, sent in enumerate(RU_SENTS):
        row = page.locator("#al-targets [role=row]", has_text=sent)
        expect(row).to_have_count(1)
        expect(row.locator("[role=gridcell]").first).to_have_text(str(k))
        expect(page.locator("#al-three [role=gridcell]", has_text=sent)).to_have_count(1)
    shot(page, "aligned")
    with Project.open(align_project) as proj:
        segs = proj.segments()
        assert all(s.translations["ru"].origin == "aligned" for s in segs if s.translations["ru"].text)
    # Confirm the third segment's link explicitly to target sentence 2 (an anchor).
    third = segs[2].id
    page.locator("#al-seg textarea, #al-seg input").first.fill(str(third))
    page.locator("#al-tgt textarea, #al-tgt input").first.fill("2")
    page.locator("#al-confirm").click()
    expect(page.locator("#wb-msg")).to_contain_text(f"Segment #{third} confirmed as an anchor", timeout=60_000)
    with Project.open(align_project) as proj:
        tr = proj.translation(third, "ru")
        assert (tr.text, tr.status) == (RU_SENTS[2], "translated")
        assert tr.meta["align"]["anchor"] is True
    # Accept everything the aligner is sure of.
    page.locator("#al-accept").click()
    expect(page.locator("#wb-msg")).to_contain_text("Accepted", timeout=30_000)
    shot(page, "align-accepted")
    with Project.open(align_project) as proj:
        confirmed = [(s.source, s.translations["ru"].text) for s in proj.segments()
                     if s.translations["ru"].confirmed]
    assert (EN[2][1], RU_SENTS[2]) in confirmed
    mem = TranslationMemory.open(app.ctx.tm_path)
    try:
        for src, tgt in confirmed:
            assert tgt in [h.target for h in mem.lookup(src, "en", "ru", min_score=100)]
    finally:
        mem.close()
    page.context.close()
