"""Fixtures for ingest/segmentation tests (the seed article, small page-like inputs)."""

from __future__ import annotations

import pytest

from workbench.core.config import SEED_ARTICLE


@pytest.fixture(scope="session")
def seed_article_path():
    return SEED_ARTICLE


@pytest.fixture(scope="session")
def seed_article_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")
