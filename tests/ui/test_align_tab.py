"""The Alignment tab in a real browser: preview before anything is written, apply (drafts only, nothing
structural), review list with merge proposals and groups, accept a proposal, undo whole runs, confirm a link as
an anchor, accept confident pairs into the project and the TM; every view refreshed after a structural change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.core.store import Project

from .conftest import SIZES, open_desk

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
#: A Russian translation of the seed article's first seven segments only, where the translator made one
#: sentence of segments 3 and 4 (the aligner proposes merging them; it never merges on its own).
PARTIAL_RU = (Path(__file__).resolve().parents[1] / "align" / "data" / "seed_partial.ru.txt").read_text(
    encoding="utf-8").replace("каждой стране. Тем не менее эти", "каждой стране, однако эти")


def _state(path):
    """The project as a person sees it: sources and translations in order (ids aside)."""
    with Project.open(path) as proj:
        return [(s.source, {l: (t.text, t.status, t.origin) for l, t in s.translations.items()})
                for s in proj.segments()]


def _message(page, text, timeout=60_000):
    from playwright.sync_api import expect

    expect(page.locator("#wb-msg")).to_contain_text(text, timeout=timeout)


def _preview(page, text):
    from playwright.sync_api import expect

    page.locator("#al-text textarea").fill(text)
    page.locator("#al-go").click()
    expect(page.locator("#al-preview-info")).to_contain_text("Nothing is written until you Apply", timeout=90_000)


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
    _preview(page, RU)
    expect(page.locator("#al-preview-info .al-n-write b")).to_have_text("5")
    # another language: the preview made for Russian cannot be applied there
    page.locator("#al-lang").get_by_text("Khmer").click()
    expect(page.locator("#al-apply")).to_be_disabled(timeout=15_000)
    expect(page.locator("#al-preview-info")).to_have_text("")
    page.locator("#al-lang").get_by_text("Russian").click()
    _preview(page, RU)
    with Project.open(align_project) as proj:  # a preview writes nothing
        assert all(not s.translations["ru"].text for s in proj.segments())
    page.locator("#al-apply").click()
    _message(page, "Applied alignment run")
    # Every Russian sentence is listed with its number (from 1), and shows in the three-way view.
    for k, sent in enumerate(RU_SENTS):
        row = page.locator("#al-targets [role=row]", has_text=sent)
        expect(row).to_have_count(1)
        expect(row.locator("[role=gridcell]").first).to_have_text(str(k + 1))
        expect(page.locator("#al-three [role=gridcell]", has_text=sent)).to_have_count(1)
    shot(page, "aligned")
    with Project.open(align_project) as proj:
        segs = proj.segments()
        assert all(s.translations["ru"].origin == "aligned" for s in segs if s.translations["ru"].text)
    # Click the third segment in the three-way table and confirm its link, target sentence 3, as an anchor.
    third = segs[2].id
    page.locator("#al-three [role=gridcell]", has_text=EN[2][1]).first.click()
    expect(page.locator("#al-pick")).to_contain_text(f"Segment id {third} · position 3 of 5", timeout=15_000)
    page.locator("#al-tgt textarea, #al-tgt input").first.fill("3")
    page.locator("#al-confirm").click()
    _message(page, f"Segment id {third} · position 3 of 5 confirmed as an anchor")
    with Project.open(align_project) as proj:
        tr = proj.translation(third, "ru")
        assert (tr.text, tr.status) == (RU_SENTS[2], "translated")
        assert tr.meta["align"]["anchor"] is True
    # Accept everything the aligner is sure of.
    page.locator("#al-accept").click()
    _message(page, "Accepted", timeout=30_000)
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


def test_a_partial_translation_never_damages_the_project(browser, seed_server, shot):
    """The seed article (35 segments) and a Russian translation of its first seven: preview, apply (drafts in
    the covered span only; a confirmed segment untouched; 35 segments), accept the one merge proposal (34, and
    every view follows), undo both runs (the project as before)."""
    from playwright.sync_api import expect

    url, app, path = seed_server
    with Project.open(path) as proj:  # a translator already confirmed segment 6
        segs = proj.segments()
        assert len(segs) == 35
        mine = proj.save_edit(segs[5].id, "ru", "Мой перевод шестого предложения.", confirm=True, author="anna")
    before = _state(path)
    page = open_desk(browser, url, size=SIZES["1440"])
    try:
        page.get_by_role("tab", name="Alignment").click()
        expect(page.locator("#al-doc input")).not_to_have_value("", timeout=15_000)
        _preview(page, PARTIAL_RU)
        info = page.locator("#al-preview-info")
        expect(info).to_contain_text("covers segments 1–7 of 35")
        expect(info.locator(".al-n-write b")).to_have_text("4")   # 1, 2, 5, 7
        expect(info.locator(".al-n-kept b")).to_have_text("1")    # 6: confirmed by anna
        expect(info.locator(".al-n-merge b")).to_have_text("1")   # 3+4: one Russian sentence
        expect(info.locator(".al-n-outside b")).to_have_text("28")
        preview = page.locator("#al-preview [role=row]")
        expect(preview).to_have_count(6)  # the header, the four drafts and the merge proposal
        expect(page.locator("#al-preview [role=gridcell]", has_text="written only if you accept it")).to_have_count(1)
        expect(page.locator("#al-preview [role=gridcell]", has_text="position 5 of 35")).to_have_count(1)
        assert _state(path) == before, "a preview writes nothing"
        # a look at the Editor tab and back: the preview is still there, ready to apply
        page.get_by_role("tab", name="Editor").click()
        page.get_by_role("tab", name="Alignment").click()
        expect(info.locator(".al-n-write b")).to_have_text("4", timeout=15_000)
        expect(page.locator("#al-apply")).to_be_enabled()
        shot(page, "align-preview-1440")
        page.set_viewport_size({"width": 1366, "height": 768})
        page.wait_for_timeout(700)  # the tables measure themselves again
        shot(page, "align-preview-1366")
        page.set_viewport_size({"width": 1440, "height": 900})

        page.locator("#al-apply").click()
        _message(page, "Applied alignment run")
        expect(info).to_contain_text("Undo this alignment run")  # the result where the preview was
        expect(page.locator("#al-preview")).to_be_hidden()
        after = _state(path)
        assert len(after) == 35
        for k, (src, trs) in enumerate(after):
            assert src == before[k][0]
            if k in (0, 1, 4, 6):
                assert trs["ru"][1:] == ("draft", "aligned") and trs["ru"][0]
            else:  # the proposal's segments, the confirmed one and everything outside the span: as they were
                assert trs == before[k][1], k
        # the review list: the merge proposal, and ONE entry for the 28 segments the text does not cover
        review = page.locator("#al-review")
        merge_row = review.locator("[role=row]", has_text="merge proposal: segments 3-4")
        expect(merge_row).to_have_count(1)
        expect(review.locator("[role=row]", has_text="not covered by the target document")).to_have_count(1)
        expect(review.locator("[role=row]", has_text="segments 8-35 (28)")).to_have_count(1)
        assert review.locator("[role=row]").count() <= 6
        shot(page, "align-review-1440")
        page.set_viewport_size({"width": 1366, "height": 768})
        page.wait_for_timeout(700)  # the tables measure themselves again
        shot(page, "align-review-1366")
        page.set_viewport_size({"width": 1440, "height": 900})

        # accept the merge proposal: a structural change, and every view follows
        merge_row.locator("[role=gridcell]").nth(1).click()
        expect(page.locator("#al-pick")).to_contain_text("Merge proposal 1: segments 3, 4 (ids", timeout=15_000)
        page.locator("#al-prop-accept").click()
        _message(page, "Merged segments 3, 4")
        with Project.open(path) as proj:
            assert len(proj.segments()) == 34
        three = page.locator("#al-three")
        merged = f"{segs[2].source} {segs[3].source}"
        expect(three.locator("[role=gridcell]", has_text=merged)).to_have_count(1, timeout=15_000)
        expect(three.locator("[role=gridcell]", has_text=f"3 (id {segs[2].id})")).to_have_count(1)
        expect(page.locator("#proj-head")).to_contain_text("/34")
        expect(review.locator("[role=row]", has_text="merge proposal")).to_have_count(0)
        page.get_by_role("tab", name="Editor").click()
        expect(page.locator(".wb-pageinfo")).to_contain_text("of 34", timeout=15_000)
        expect(page.locator(f".wb-row[data-seg='{segs[3].id}']")).to_have_count(0)
        page.get_by_role("tab", name="Projects").click()
        expect(page.locator("#proj-list")).to_contain_text("/34", timeout=15_000)

        # undo the merge run, then the alignment run: the project as before
        page.get_by_role("tab", name="Alignment").click()
        runs = page.locator("#al-runs input")
        expect(runs).to_have_value(re.compile(r"^run \d+ · merge accepted"), timeout=15_000)
        page.locator("#al-undo").click()
        _message(page, "1 merged segments split again")
        expect(runs).to_have_value(re.compile(r"^run \d+ · alignment"), timeout=15_000)
        page.locator("#al-undo").click()
        _message(page, "4 translations restored")
        assert _state(path) == before
        expect(three.locator("[role=gridcell]", has_text=merged)).to_have_count(0, timeout=15_000)
        expect(three.locator("[role=gridcell]", has_text=segs[3].source)).to_have_count(1)
        expect(runs).to_have_value("", timeout=15_000)
        page.get_by_role("tab", name="Editor").click()
        expect(page.locator(".wb-pageinfo")).to_contain_text("of 35", timeout=15_000)
        with Project.open(path) as proj:  # the history says what happened, undo included
            hist = [h.action for h in proj.history(proj.segments()[0].id, "ru")]
            assert "align" in hist and "undo" in hist
    finally:
        page.context.close()
        with Project.open(path) as proj:
            proj.undo(segs[5].id, "ru", expected_version=mine.version)
