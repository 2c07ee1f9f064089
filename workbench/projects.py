"""Project-level library API: what the CLI and the UI call to create and find projects.

``create_from_file`` runs the first stages (ingest -> segment -> store) in one go.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Sequence

from .config import check_lang, data_dir
from .errors import InputError
from .store import Project


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


def add_source(project: Project, source: str | os.PathLike, *, text: str | None = None, fmt: str | None = None,
               origin: str | None = None):
    """Ingest a file (or ``text`` with ``origin`` as its name), segment it, and add it as a document."""
    from .ingest import ingest_file, ingest_text

    if text is not None:
        doc = ingest_text(text, fmt=fmt or "txt", origin=origin or "<pasted text>")
    else:
        doc = ingest_file(source, fmt=fmt)
    return _add_ingested(project, doc)


def _add_ingested(project: Project, doc):
    from .segment import segment_paragraphs

    segments = segment_paragraphs(doc.paragraphs, project.source_lang)
    return project.add_document(
        doc.title, segments, text=doc.text, date=doc.date, byline=doc.byline, origin=doc.origin, format=doc.format
    )


def create_from_file(
    db_path: str | os.PathLike,
    source: str | os.PathLike | None,
    target_langs: Sequence[str] = ("ru", "km"),
    *,
    source_lang: str = "en",
    name: str | None = None,
    text: str | None = None,
    fmt: str | None = None,
    origin: str | None = None,
) -> Project:
    """Create ``db_path`` from a source document (a file, or ``text``). Nothing is left behind on failure."""
    db_path = Path(db_path)
    check_lang(source_lang)
    # Ingest first: a bad file must not leave an empty project behind.
    from .ingest import ingest_file, ingest_text

    if text is not None:
        doc = ingest_text(text, fmt=fmt or "txt", origin=origin or "<pasted text>")
    elif source is not None:
        doc = ingest_file(source, fmt=fmt)
    else:
        raise InputError("a new project needs a source document (a file or pasted text)")
    project = Project.create(db_path, name=name, source_lang=source_lang, target_langs=target_langs)
    try:
        _add_ingested(project, doc)  # ingested once, above
    except BaseException:
        project.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        raise
    return project


def list_projects(folder: str | os.PathLike | None = None) -> list[Path]:
    folder = Path(folder) if folder else projects_dir()
    return sorted(p for p in folder.glob("*.db") if p.is_file())
