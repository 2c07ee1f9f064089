"""Shared test set-up.

Every test runs with its own ``WORKBENCH_HOME`` (a temporary data directory) so nothing touches the user's
data. Stage-specific fixtures live in ``tests/plugins/*.py`` and are loaded here automatically.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = Path(os.environ.get("WORKBENCH_EVAL_DIR", ROOT.parent / "shared" / "eval"))

pytest_plugins = sorted(
    f"tests.plugins.{p.stem}" for p in (Path(__file__).parent / "plugins").glob("*.py") if p.stem != "__init__"
)


@pytest.fixture(autouse=True)
def workbench_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("wbhome")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """The third-party evaluation data beside the checkout (skips if absent)."""
    if not SHARED_EVAL.is_dir():
        pytest.skip(f"evaluation data not found at {SHARED_EVAL} (set WORKBENCH_EVAL_DIR)")
    return SHARED_EVAL
