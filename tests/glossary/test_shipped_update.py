"""The user's copy of the default glossary follows a newer shipped default when nobody edited it, and is left
alone (with a notice and `glossary update`) when someone did."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.glossary import Glossary, glossary as G

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A stand-in for the package's default glossary that the test can change (as a newer release would)."""
    d = tmp_path / "package-data"
    d.mkdir()
    (d / G.DEFAULT_FILE).write_bytes(G.shipped_path().read_bytes())
    monkeypatch.setattr(G, "GLOSSARY_DIR", d)
    monkeypatch.delenv("WORKBENCH_GLOSSARY", raising=False)
    return d / G.DEFAULT_FILE


def _new_release(shipped: Path) -> None:
    g = Glossary.load(shipped)
    g.add_concept("new-shipped-concept", domain="general")
    g.add_term("new-shipped-concept", "en", "shipped novelty")
    g.save(shipped)


def test_an_unedited_copy_follows_the_new_default(shipped):
    copy = G.default_path()
    assert copy.read_bytes() == shipped.read_bytes() and G.shipped_update() is None
    _new_release(shipped)
    assert "new-shipped-concept" in Glossary.load(G.default_path())
    assert G.shipped_update() is None
    notes = [h["note"] for h in Glossary.load(G.default_path()).history()]
    assert any("before the update" in n for n in notes)  # glossary undo brings the old one back


def test_an_edited_copy_is_kept_and_update_merges(shipped):
    g = Glossary.load(G.default_path())
    g.add_concept("my-own-concept")
    g.add_term("my-own-concept", "en", "my own term")
    g.save()
    _new_release(shipped)
    g = Glossary.load(G.default_path())
    assert "my-own-concept" in g and "new-shipped-concept" not in g
    assert "glossary update" in G.shipped_update()
    counts = G.update_from_shipped()
    g = Glossary.load(G.default_path())
    assert counts["added"] == 1 and "my-own-concept" in g and "new-shipped-concept" in g
    assert G.shipped_update() is None


def test_cli_notice_and_update(tmp_path, workbench_home):
    env = {k: v for k, v in os.environ.items() if k != "WORKBENCH_GLOSSARY"}
    env["WORKBENCH_HOME"] = str(workbench_home)

    def wb(*args):
        return subprocess.run([sys.executable, "-m", "workbench", "glossary", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    assert wb("list").returncode == 0
    basis = workbench_home / "glossary" / ".shipped-sha256"
    assert basis.exists()
    copy = workbench_home / "glossary" / G.DEFAULT_FILE
    copy.write_bytes(copy.read_bytes() + b"\n")  # an edit
    basis.write_text("0" * 64)  # as if the copy came from an older release
    out = wb("list")
    assert out.returncode == 0 and "glossary update" in out.stderr
    up = wb("update")
    assert up.returncode == 0 and "updated from the shipped default" in up.stderr
    assert "glossary update" not in wb("list").stderr
