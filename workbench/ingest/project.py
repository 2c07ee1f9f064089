"""A new project from a source document: ingest -> segment -> store, in one call (the CLI's ``new`` and the
editor's *Create* call it)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..core.config import check_lang
from ..core.errors import InputError
from ..core.store import Project
from .readers import ingest_file, ingest_text
from .segment import segment_paragraphs


def add_source(project: Project, source: str | os.PathLike, *, text: str | None = None, fmt: str | None = None,
               origin: str | None = None):
    """Ingest a file (or ``text`` with ``origin`` as its name), segment it, and add it as a document."""
    if text is not None:
        doc = ingest_text(text, fmt=fmt or "txt", origin=origin or "<pasted text>")
    else:
        doc = ingest_file(source, fmt=fmt)
    return _add_ingested(project, doc)


def _add_ingested(project: Project, doc):
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


