"""Package data and the user's glossary: the default glossary and the seed article ship inside the package;
the glossary a user edits is a copy in the data directory, created on first use; ``WORKBENCH_GLOSSARY``
overrides it. A wheel built from the source carries the data and works from outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workbench.core.config import GLOSSARY_DIR, SEED_ARTICLE, data_dir
from workbench.glossary import Glossary, default_path
from workbench.glossary.glossary import shipped_path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"


def test_data_files_live_inside_the_package():
    for path in (SEED_ARTICLE, GLOSSARY_DIR / "diplomatic.csv", GLOSSARY_DIR / "SCHEMA.md"):
        assert path.is_file(), path
        assert PACKAGE in path.resolve().parents, f"{path} is not package data"
    assert shipped_path() == GLOSSARY_DIR / "diplomatic.csv"


def test_default_glossary_is_created_in_the_data_dir_on_first_use(workbench_home, monkeypatch):
    monkeypatch.delenv("WORKBENCH_GLOSSARY", raising=False)
    target = workbench_home / "glossary" / "diplomatic.csv"
    assert not target.exists()
    shipped = shipped_path().read_bytes()

    assert default_path() == target == data_dir() / "glossary" / "diplomatic.csv"
    assert target.read_bytes() == shipped

    g = Glossary.load()
    assert g.path == target
    assert "packaging-probe" not in g
    g.add_concept("packaging-probe", domain="general")
    g.add_term("packaging-probe", "en", "Packaging Probe")
    g.save()
    edited = target.read_bytes()
    assert edited != shipped and b"packaging-probe" in edited
    assert shipped_path().read_bytes() == shipped, "an edit changed the shipped default"

    assert default_path() == target and target.read_bytes() == edited, "first-use copy overwrote an edit"
    assert "packaging-probe" in Glossary.load()


def test_workbench_glossary_overrides_the_data_dir_copy(workbench_home, monkeypatch, tmp_path):
    own = tmp_path / "own.csv"
    shutil.copy(shipped_path(), own)
    monkeypatch.setenv("WORKBENCH_GLOSSARY", str(own))
    assert default_path() == own
    assert Glossary.load().path == own
    assert not (workbench_home / "glossary").exists(), "the override still created a data-dir copy"


def test_cli_edits_the_data_dir_copy_not_the_shipped_file(workbench_home, monkeypatch):
    monkeypatch.delenv("WORKBENCH_GLOSSARY", raising=False)
    shipped = shipped_path().read_bytes()
    env = {**os.environ, "WORKBENCH_HOME": str(workbench_home)}
    r = subprocess.run([sys.executable, "-m", "workbench", "glossary", "add", "packaging-probe", "--en",
                        "Packaging Probe", "--ru", "Проба упаковки", "--domain", "general"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Проба упаковки" in (workbench_home / "glossary" / "diplomatic.csv").read_text(encoding="utf-8")
    assert shipped_path().read_bytes() == shipped


@pytest.mark.slow
def test_wheel_ships_the_data_and_runs_outside_the_checkout(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(PACKAGE, src / "workbench", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                        "-w", str(wheels), str(src)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = wheels.glob("workbench-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("workbench/data/glossary/diplomatic.csv", "workbench/data/glossary/SCHEMA.md",
                 f"workbench/data/seed/{SEED_ARTICLE.name}", "workbench/mt/models.toml", "workbench/ui/__main__.py",
                 "workbench/data/align/en-km.tsv.gz", "workbench/data/align/en-ru.tsv.gz",
                 "workbench/data/align/calibration.json"):
        assert name in names, name

    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    home, work = tmp_path / "home", tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "WORKBENCH_HOME": str(home)}
    env.pop("WORKBENCH_GLOSSARY", None)

    def wb(*args):
        return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=work, env=env, capture_output=True,
                              text=True, timeout=300)

    r = subprocess.run([sys.executable, "-c", "import workbench, sys; print(workbench.__file__)"], cwd=work, env=env,
                       capture_output=True, text=True, timeout=60)
    assert Path(r.stdout.strip()).parent == site / "workbench", r.stdout + r.stderr
    r = wb("glossary", "list")
    assert r.returncode == 0 and "Российская Федерация" in r.stdout, r.stderr
    assert (home / "glossary" / "diplomatic.csv").read_bytes() == shipped_path().read_bytes()
    seed = site / "workbench" / "data" / "seed" / SEED_ARTICLE.name
    r = wb("new", str(work / "x.db"), str(seed), "--to", "ru")
    assert r.returncode == 0, r.stderr
    r = wb("segments", str(work / "x.db"))
    assert r.returncode == 0 and "resilient partnership" in r.stdout, r.stderr
