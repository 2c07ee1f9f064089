"""The Models tab in a real Chromium against a real editor server (a subprocess, so huggingface_hub starts with
the Hub switched on and ``HF_ENDPOINT`` pointing at a local stand-in, or at nothing for the offline case).

The model is the tiny Marian the test session trains: imported from a folder on the server, or downloaded from
the local Hub under the registry's name for the best en->ru model.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workbench.core.store import Project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BEST_RU = "Helsinki-NLP/opus-mt-tc-big-en-zle"
SOURCES = ["The minister met the ambassador.", "Thank you very much.", "The delegation arrived in Moscow."]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def editor(tmp_path, workbench_home):
    """Start ``python -m workbench.ui`` over a small project; yields ``start(hub_url) -> (url, project)``."""
    procs = []

    def start(hub_url: str):
        proj_path = tmp_path / "models-test.db"
        with Project.create(proj_path, "models-test", "en", ["ru", "km"]) as p:
            p.add_document("doc", [(0, s) for s in SOURCES])
        port = _port()
        env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
        env.update(HF_ENDPOINT=hub_url, WORKBENCH_HOME=str(workbench_home), GRADIO_ANALYTICS_ENABLED="False")
        log = (tmp_path / "server.log").open("w")
        proc = subprocess.Popen([sys.executable, "-m", "workbench.ui", "--project", str(proj_path), "--port",
                                 str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                urllib.request.urlopen(url, timeout=2)
                return url, proj_path
            except OSError:
                time.sleep(0.5)
        raise AssertionError("the editor did not start: " + (tmp_path / "server.log").read_text())

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _page(browser, url):
    pg = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    pg.goto(url)
    pg.wait_for_selector(".wb-row", timeout=60_000)
    return pg


def _open_models(page):
    page.get_by_role("tab", name="Models").click()
    page.wait_for_selector("#models-table table", timeout=30_000)


def _segment(page, text):
    """Back in the Editor tab, open the row whose source is ``text``."""
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Editor").click()
    page.locator(".wb-row .wb-src", has_text=text).first.click()
    expect(page.locator(".wb-row.active .wb-src")).to_have_text(text, timeout=15_000)


def _mt_button(page, lang):
    return page.locator(f".wb-row.active .wb-tgt[data-lang='{lang}'] button[data-act='mt']")


def _box(page, lang):
    return page.locator(f".wb-row.active .wb-tgt[data-lang='{lang}'] textarea")


def test_offline_import_from_a_server_folder(browser, editor, tiny_marian, tiny_pairs, shot):
    from playwright.sync_api import expect

    url, proj_path = editor("http://127.0.0.1:9")  # nothing listens there: the Hub is unreachable
    page = _page(browser, url)
    # where the translator looks: beside Pre-translate, and on each language's MT button
    missing = page.locator(".wb-mt-missing")
    expect(missing).to_be_visible(timeout=15_000)
    expect(missing).to_contain_text("No MT model for Russian (RU), Khmer (KM)")
    assert "No English→Russian MT model is installed" in missing.get_attribute("title")
    assert "No English→Khmer MT model is installed" in missing.get_attribute("title")
    _segment(page, SOURCES[0])
    expect(_mt_button(page, "ru")).to_have_text("Get an MT model")
    shot(page, "models-missing-notice")
    _mt_button(page, "ru").click()  # takes the translator to the Models tab
    expect(page.locator("#models-table")).to_be_visible(timeout=15_000)
    expect(page.locator("#wb-msg")).to_contain_text("No English→Russian MT model is installed")
    # the Hub check answers within 5 s and says how to bring a model in
    expect(page.locator("#models-hub")).to_contain_text("not reachable", timeout=5_000)
    expect(page.locator("#models-hub")).to_contain_text(f"hf download {BEST_RU}")
    expect(page.locator("#models-hub")).to_contain_text("Import")
    table = page.locator("#models-table")
    rows = table.locator("tr[data-pair='en-ru']")
    assert rows.first.get_attribute("data-model") == BEST_RU  # the best published model first
    assert table.locator("tr[data-pair='en-km']").first.get_attribute("data-model") == \
        "Helsinki-NLP/opus-mt-tc-bible-big-deu_eng_fra_por_spa-mkh"
    shot(page, "models-offline")

    page.locator("#models-folder textarea, #models-folder input").first.fill(str(tiny_marian))
    page.locator("#models-import").click()
    expect(page.locator("#models-jobs")).to_contain_text("Import tiny-marian", timeout=15_000)
    expect(page.locator("#models-jobs [data-state=done]")).to_contain_text("Installed and in use", timeout=180_000)
    row = table.locator("tr[data-model='tiny-marian'][data-pair='en-ru']")
    expect(row).to_contain_text("CTranslate2 int8", timeout=15_000)
    expect(row).to_contain_text("in use")
    expect(table.locator("tr[data-model='tiny-marian'][data-pair='en-km']")).to_contain_text("in use")
    shot(page, "models-imported")

    # used at once: no restart
    _segment(page, SOURCES[0])
    expect(page.locator(".wb-mt-missing")).to_be_hidden(timeout=15_000)
    expect(_mt_button(page, "km")).to_have_text("MT")
    _mt_button(page, "km").click()
    expect(_box(page, "km")).to_have_value(dict(tiny_pairs["km"])[SOURCES[0]], timeout=60_000)
    with Project.open(proj_path) as p:
        tr = p.translation(p.segments()[0].id, "km")
        assert tr.origin == "mt" and tr.meta["mt"]["model"] == "tiny-marian" and tr.meta["mt"]["backend"] == "ct2"


def test_download_with_progress_cancel_reload_and_resume(browser, editor, fake_hub, tiny_marian, tiny_pairs, shot):
    from playwright.sync_api import expect

    hub = fake_hub({BEST_RU: tiny_marian}, rate=120_000)  # ~10 s for the tiny model: progress can be seen
    url, proj_path = editor(hub.url)
    page = _page(browser, url)
    _open_models(page)
    expect(page.locator("#models-hub")).to_contain_text("reachable at", timeout=5_000)
    page.locator("#models-download").click()  # the first model listed: the best en->ru
    job = page.locator("#models-jobs .job").first
    expect(job).to_contain_text(f"Download {BEST_RU}", timeout=15_000)
    expect(job.locator(".bytes")).to_contain_text("%", timeout=30_000)
    expect(job.locator(".bytes")).to_contain_text(" of ")
    expect(job.locator("progress")).to_have_count(1)
    shot(page, "models-downloading")

    # editing goes on meanwhile
    _segment(page, SOURCES[1])
    box = _box(page, "ru")
    box.fill("Спасибо!")
    box.press("Control+s")
    expect(page.locator(".wb-row.active .wb-rowmsg")).to_contain_text("RU saved", timeout=15_000)

    # a reload finds the download again
    page.reload()
    page.wait_for_selector(".wb-row", timeout=60_000)
    _open_models(page)
    job = page.locator("#models-jobs .job").first
    expect(job).to_have_attribute("data-state", "running", timeout=15_000)
    expect(job.locator(".bytes")).to_contain_text("%", timeout=15_000)
    page.locator("#models-cancel").click()
    expect(page.locator("#models-jobs .job").first).to_have_attribute("data-state", "cancelled", timeout=30_000)
    shot(page, "models-cancelled")
    fetched_before = len([r for r in hub.requests if r[0] == "GET"])

    page.locator("#models-download").click()
    expect(page.locator("#models-jobs [data-state=done]").first).to_contain_text("Installed and in use",
                                                                                 timeout=180_000)
    row = page.locator(f"#models-table tr[data-model='{BEST_RU}'][data-pair='en-ru']")
    expect(row).to_contain_text("CTranslate2 int8", timeout=15_000)
    expect(row).to_contain_text("in use")
    expect(row).to_contain_text(hub.sha(BEST_RU)[:12])
    shot(page, "models-downloaded")
    assert len([r for r in hub.requests if r[0] == "GET"]) > fetched_before

    _segment(page, SOURCES[0])
    expect(_mt_button(page, "ru")).to_have_text("MT", timeout=15_000)
    _mt_button(page, "ru").click()
    expect(_box(page, "ru")).to_have_value(dict(tiny_pairs["ru"])[SOURCES[0]], timeout=60_000)
    with Project.open(proj_path) as p:
        assert p.translation(p.segments()[1].id, "ru").text == "Спасибо!"
