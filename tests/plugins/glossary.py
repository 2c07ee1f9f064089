"""Fixtures for the glossary tests: a small hand-written glossary and a writable copy of the repository one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

GLOSSARY_TEST_DATA = Path(__file__).resolve().parent.parent / "glossary" / "data"


@pytest.fixture
def mini_glossary_path(tmp_path) -> Path:
    """A writable copy of tests/glossary/data/mini.csv (16 hand-written concepts)."""
    dst = tmp_path / "mini.csv"
    shutil.copy(GLOSSARY_TEST_DATA / "mini.csv", dst)
    return dst


@pytest.fixture
def mini_glossary(mini_glossary_path):
    from workbench.glossary import Glossary

    return Glossary.load(mini_glossary_path)


@pytest.fixture
def repo_glossary_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the repository glossary, made the default through WORKBENCH_GLOSSARY."""
    from workbench.core.config import GLOSSARY_DIR

    dst = tmp_path / "diplomatic.csv"
    shutil.copy(GLOSSARY_DIR / "diplomatic.csv", dst)
    monkeypatch.setenv("WORKBENCH_GLOSSARY", str(dst))
    return dst
