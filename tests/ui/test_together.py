"""Several people at once, in real Chromium: two users editing the same project in parallel see each other's
saves and soft locks within seconds; a background job shows its progress (done/total, ETA, Cancel) to its
owner while another user keeps confirming, and a reload finds the job again."""

from __future__ import annotations

import threading

import pytest

from workbench.core.store import Project

from .conftest import SIZES, activate, box, open_desk, row, wait_cell

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _ids(path) -> list[int]:
    with Project.open(path) as proj:
        return [s.id for s in proj.segments()]


def test_two_users_edit_in_parallel_and_see_each_other(browser, server, shot):
    from playwright.sync_api import expect

    url, app, path = server
    ids = _ids(path)
    rita = open_desk(browser, url, author="rita", size=SIZES["1440"])
    boris = open_desk(browser, url, author="boris", size=SIZES["1366"])
    try:
        activate(rita, ids[5], "ru")
        activate(boris, ids[4], "km")
        # each sees the other's soft lock on the row being edited
        expect(row(boris, ids[5]).locator(".wb-lock")).to_have_text("✎ rita", timeout=15_000)
        expect(row(boris, ids[5]).locator(".wb-lock")).to_have_attribute("title", "rita is editing")
        expect(row(rita, ids[4]).locator(".wb-lock")).to_have_text("✎ boris", timeout=15_000)
        # a name never wraps mid-word in the narrow number column: cut with an ellipsis, whole in the title
        assert row(rita, ids[4]).locator(".wb-lock").evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
        # opening a row someone else has open says so in the panel
        activate(boris, ids[5], "km")
        expect(boris.locator(".wb-panel .wb-plock")).to_contain_text("rita is editing this segment too")
        activate(boris, ids[4], "km")
        # both type and confirm at the same time
        box(rita, "ru").fill("Региональный форум АСЕАН собрался в Пномпене.")
        box(boris, "km").fill("ទាំងពីររដ្ឋបានប្រារព្ធខួប។")
        box(rita, "ru").press("Control+Enter")
        box(boris, "km").press("Control+Enter")
        expect(row(rita, ids[5]).locator(".wb-rowmsg")).to_contain_text("RU confirmed by rita", timeout=15_000)
        expect(row(boris, ids[4]).locator(".wb-rowmsg")).to_contain_text("KM confirmed by boris", timeout=15_000)
        # each page shows the other's confirmed text within a few seconds, without a reload
        wait_cell(boris, ids[5], "ru", "Региональный форум АСЕАН собрался в Пномпене.")
        wait_cell(rita, ids[4], "km", "ទាំងពីររដ្ឋបានប្រារព្ធខួប។")
        expect(row(boris, ids[5]).locator(".wb-tgt[data-lang='ru'] .wb-meta")).to_contain_text("rita")
        shot(rita, "together-rita-1440")
        shot(boris, "together-boris-1366")
        # someone else saves the row rita has open while she types: her text stays, she is told
        rita_open = int(rita.locator(".wb-row.active").get_attribute("data-seg"))
        box(rita, "ru").fill("Мой черновик.")
        with Project.open(path) as proj:
            ver = proj.translation(rita_open, "ru").version
            proj.save_edit(rita_open, "ru", "Чужой текст.", expected_version=ver, author="vera")
        expect(row(rita, rita_open).locator(".wb-rowmsg")).to_contain_text("vera saved a newer RU", timeout=10_000)
        assert box(rita, "ru").input_value() == "Мой черновик."
        box(rita, "ru").press("Control+s")
        expect(row(rita, rita_open).locator(".wb-rowmsg")).to_contain_text("was changed by vera", timeout=15_000)
        with Project.open(path) as proj:
            assert proj.translation(rita_open, "ru").text == "Чужой текст."
    finally:
        rita.context.close()
        boris.context.close()


def test_a_job_shows_progress_while_another_user_confirms(browser, server, shot):
    from playwright.sync_api import expect

    url, app, path = server
    ids = _ids(path)
    step, stop = threading.Event(), threading.Event()

    def work(job):
        """Ten steps, each one when the test says so (so the page can be looked at mid-way)."""
        for k in range(10):
            job.progress(k, 10, message=f"step {k}")
            step.wait(60)
            step.clear()
            if stop.is_set():
                job.progress(k, 10)
        return "all ten steps done"

    owner = open_desk(browser, url, author="rita")
    other = open_desk(browser, url, author="sok")
    job = app.ctx.jobs.submit("test", "Checking every target", work, owner="rita", ref="fixture", unit="steps")
    try:
        bar = owner.locator("#wb-jobs .wb-job")
        expect(bar).to_contain_text("Checking every target", timeout=15_000)
        expect(bar).to_contain_text("0/10 steps", timeout=15_000)
        for _ in range(3):
            step.set()
        expect(bar).to_contain_text("/10 steps", timeout=15_000)
        expect(bar.locator("button.wb-jcancel")).to_be_visible()
        expect(other.locator("#wb-jobs .wb-job")).to_contain_text("rita: Checking every target", timeout=15_000)
        assert other.locator("#wb-jobs .wb-jcancel").count() == 0
        # sok confirms two segments meanwhile
        activate(other, ids[5], "ru")
        for text in ("Сотрудничество продолжается.", "Россия и Камбоджа подписали декларацию."):
            sid = int(other.locator(".wb-row.active").get_attribute("data-seg"))
            box(other, "ru").fill(text)
            box(other, "ru").press("Control+Enter")
            expect(row(other, sid).locator(".wb-rowmsg")).to_contain_text("RU confirmed by sok", timeout=15_000)
            with Project.open(path) as proj:
                assert proj.translation(sid, "ru").status == "translated"
        assert job.snapshot().state == "running"
        shot(owner, "job-progress")
        # a reload finds the job again; Cancel stops it (what was done stays)
        owner.reload()
        owner.wait_for_selector(".wb-row", timeout=30_000)
        expect(owner.locator("#wb-jobs .wb-job")).to_contain_text("Checking every target", timeout=15_000)
        stop.set()
        owner.locator("#wb-jobs button.wb-jcancel").click()
        owner.wait_for_function("() => document.querySelector('#wb-jobs .wb-jcancel')?.disabled !== false")
        for _ in range(300):  # the click reaches the server
            if job.cancelled:
                break
            threading.Event().wait(0.1)
        step.set()
        assert job.wait(30) and job.state == "cancelled"
        expect(owner.locator("#wb-jobs .wb-job")).to_contain_text("cancelled", timeout=15_000)
    finally:
        stop.set()
        step.set()
        job.cancel()
        owner.context.close()
        other.context.close()
