"""Fixtures for the editor tests: one real Gradio server per test module, one real Chromium."""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "ui"

#: A small project: markup-looking text that must show literally, and one Khmer translation.
SENTENCES = [
    (0, "Russia and Cambodia signed the Joint Declaration on 25 May 1995."),
    (0, "The ambassador wrote: <script>window.__pwned = 1</script> is not a greeting."),
    (1, "**Bold claims** and <b>tags</b> stay as typed."),
    (1, "The ASEAN Regional Forum met in Phnom Penh."),
    (2, "Both states celebrated the anniversary of friendly relations."),
    (2, "Cooperation continues at the bilateral level and within the UN."),
]
KHMER = "ព្រះរាជាណាចក្រកម្ពុជា និងសហព័ន្ធរុស្ស៊ី"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_editor(path: Path, folder: Path, glossary_src: Path, **launch_kw):
    """The editor on a free port over project ``path`` (projects in ``folder``), with its own TM beside the
    folder and a copy of ``glossary_src`` (tests edit it): yields (url, EditorApp, glossary copy); closed after."""
    import shutil

    from workbench.ui.app import build_app, launch

    glossary = folder.parent / "glossary.csv"
    shutil.copy(glossary_src, glossary)
    app = build_app(path, folder=folder, tm_path=folder.parent / "tm.db", glossary_path=glossary)
    port = free_port()
    launch(app, port=port, prevent_thread_lock=True, quiet=True, **launch_kw)
    try:
        yield f"http://127.0.0.1:{port}/", app, glossary
    finally:
        app.close()


def make_project(folder: Path, name: str = "fixture"):
    from workbench.core.store import Project

    folder.mkdir(parents=True, exist_ok=True)
    proj = Project.create(folder / f"{name}.db", name, "en", ["ru", "km"])
    proj.add_document("Fixture article", SENTENCES, text="\n".join(s for _, s in SENTENCES), origin="fixture.txt",
                      format="txt")
    first = proj.segments()[0]
    proj.set_translation(first.id, "km", KHMER, origin="mt", status="draft", meta={"mt": {"model": "fixture"}},
                         author="mt")
    proj.close()
    return folder / f"{name}.db"


@pytest.fixture(scope="module")
def ui_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ui") / "projects"


@pytest.fixture(scope="module")
def server(ui_folder):
    """A running editor on a free port over a fresh fixture project, with its own TM and a copy of the
    repository glossary: yields (url, EditorApp, project path)."""
    from workbench.core.config import GLOSSARY_DIR

    path = make_project(ui_folder)
    with running_editor(path, ui_folder, GLOSSARY_DIR / "diplomatic.csv") as (url, app, _glossary):
        yield url, app, path


@pytest.fixture
def shot():
    OUT.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


#: The two screen sizes the browser tests look at.
SIZES = {"1440": (1440, 900), "1366": (1366, 768)}


def open_desk(browser, url: str, *, size=(1440, 900), author: str | None = None, query: str = ""):
    """A new browser context on the editor with the desk loaded (its rows shown); ``author``: the name the
    browser remembers."""
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    if author:
        ctx.add_init_script(f"localStorage.setItem('wb-author', {author!r});")
    page = ctx.new_page()
    page.goto(url + query)
    page.wait_for_selector(".wb-row", timeout=30_000)
    return page


def row(page, seg_id: int):
    return page.locator(f".wb-row[data-seg='{seg_id}']")


def activate(page, seg_id: int, lang: str | None = None):
    """Click a row (on its source, or on the ``lang`` target) and wait until its boxes are open."""
    from playwright.sync_api import expect

    target = row(page, seg_id).locator(f".wb-tgt[data-lang='{lang}']" if lang else ".wb-src")
    target.click()
    expect(page.locator(f".wb-row.active[data-seg='{seg_id}'] textarea").first).to_be_visible(timeout=15_000)


def box(page, lang: str):
    """The active row's ``lang`` box."""
    return page.locator(f".wb-row.active .wb-tgt[data-lang='{lang}'] textarea")


def wait_cell(page, seg_id: int, lang: str, text: str, timeout: float = 10_000) -> None:
    """Wait until a row shows ``text`` for ``lang`` (in its box when the row is open, else as text)."""
    page.wait_for_function(
        """([seg, lang, text]) => {
            const c = document.querySelector(`.wb-row[data-seg="${seg}"] .wb-tgt[data-lang="${lang}"]`);
            if (!c) return false; const ta = c.querySelector('textarea');
            return (ta ? ta.value : (c.querySelector('.wb-text') || {}).textContent) === text; }""",
        arg=[seg_id, lang, text], timeout=timeout)


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory):
    """A running editor over a project made from the seed article (35 segments, EN -> RU, KM) and a second,
    small project: yields (url, EditorApp, seed project path)."""

    from workbench.core.config import GLOSSARY_DIR, SEED_ARTICLE
    from workbench.ui.model import Workspace

    folder = tmp_path_factory.mktemp("seed") / "projects"
    ws = Workspace(folder)
    path = ws.create("seed-article", file=SEED_ARTICLE, upload_name=SEED_ARTICLE.name, targets=("ru", "km"))
    ws.close_all()
    make_project(folder, "second")
    with running_editor(path, folder, GLOSSARY_DIR / "diplomatic.csv") as (url, app, _glossary):
        yield url, app, path


#: Rows of the segment list entirely in view (the list's box and the window).
VISIBLE_ROWS_JS = """() => {
  const list = document.querySelector('.wb-list').getBoundingClientRect();
  return [...document.querySelectorAll('.wb-row')].filter(r => { const b = r.getBoundingClientRect();
    return b.top >= list.top - 1 && b.bottom <= list.bottom + 1 && b.bottom <= innerHeight + 1; })
    .map(r => parseInt(r.dataset.seg, 10)); }"""
