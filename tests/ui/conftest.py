"""Fixtures for the editor tests: one real Gradio server per test module, one real Chromium."""

from __future__ import annotations

import os
import socket
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
    import shutil

    from workbench.core.config import GLOSSARY_DIR
    from workbench.ui.app import build_app, launch

    path = make_project(ui_folder)
    glossary = ui_folder.parent / "glossary.csv"  # a copy: tests edit it
    shutil.copy(GLOSSARY_DIR / "diplomatic.csv", glossary)
    app = build_app(path, folder=ui_folder, tm_path=ui_folder.parent / "tm.db", glossary_path=glossary)
    port = free_port()
    launch(app, port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/", app, path
    finally:
        app.close()


@pytest.fixture
def shot():
    OUT.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
