"""Where projects live: the projects folder of the data directory, listing, safe file names."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .config import data_dir


def projects_dir() -> Path:
    path = data_dir() / "projects"
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_name(name: str) -> str:
    """A file-name-safe project name (never a path: uploads and typed names can't escape the folder)."""
    stem = re.sub(r"[^\w\-. ]+", "_", Path(str(name)).name, flags=re.UNICODE).strip(" .")
    stem = stem[:80]
    while len(stem.encode("utf-8")) > 200:  # file names are limited to 255 bytes, not characters
        stem = stem[:-1]
    return stem.strip(" .") or "project"


def list_projects(folder: str | os.PathLike | None = None) -> list[Path]:
    folder = Path(folder) if folder else projects_dir()
    return sorted(p for p in folder.glob("*.db") if p.is_file())
