"""Project exports: TMX 1.4b (multilingual or one file per language pair) and plain text per language.

The units and their props are built by :mod:`workbench.tm.units`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError
from ..core.safeio import atomic_write
from ..tm.tmx import TmxHeader, tmx_date, write_tmx
from ..tm.units import export_langs, project_units, status_filter

FORMATS = ("tmx", "txt")


@dataclass
class ExportResult:
    paths: list[Path]
    units: int


def export_project(project, path: str | os.PathLike, *, fmt: str = "tmx", langs: Sequence[str] | str | None = None,
                   status: str = "confirmed", pairwise: bool = False, progress=None) -> ExportResult:
    """Export a project's translations.

    ``fmt="tmx"``: one multilingual TMX at ``path``, or with ``pairwise`` one file per language pair
    (``OUT.en-ru.tmx``, ``OUT.en-km.tmx``). ``fmt="txt"``: line-aligned plain text, one file per language
    (``OUT.en.txt``, ``OUT.ru.txt``...), only segments whose every chosen target passes the filter.
    ``langs``: target languages (the source is always included); ``status``: ``confirmed`` (default:
    translated/reviewed/approved), ``all`` (every non-empty target) or one status name.
    ``progress(done, total)`` is called as segments are read.
    """
    fmt = (fmt or "tmx").lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}: use tmx or txt")
    path = Path(path)
    targets = export_langs(project, langs)
    status_filter(status)
    if fmt == "txt":
        return _export_txt(project, path, targets, status, progress)
    if pairwise:
        groups = [[lang] for lang in targets]
        paths = [_suffixed(path, f"{project.source_lang}-{lang}", ".tmx") for lang in targets]
    else:
        groups, paths = [targets], [path]
    written, total = [], 0
    for k, (group, out) in enumerate(zip(groups, paths)):
        step = None if progress is None else (
            lambda done, n, k=k: progress(k * n + done, len(groups) * n))
        units = [u for _, u in project_units(project, langs=group, status=status, progress=step)]
        if not units:
            continue
        latest = max((u.changedate or u.creationdate or "" for u in units), default="") or tmx_date(project.created)
        header = TmxHeader(srclang=project.source_lang, creationdate=latest)
        write_tmx(out, units, header=header)
        written.append(out)
        total = max(total, len(units)) if pairwise else len(units)
    if not written:
        raise InputError(f"{project.path}: no {status} translations in {', '.join(targets)} to export; "
                         "confirm some segments, or use --status all")
    return ExportResult(written, total)


def _suffixed(path: Path, tag: str, ext: str) -> Path:
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return path.with_name(f"{stem}.{tag}{ext}")


_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _line(text: str) -> str:
    """One line: every character that some tool treats as a line break becomes a space."""
    return _BREAKS.sub(" ", text)


def _export_txt(project, path: Path, targets: list[str], status: str, progress=None) -> ExportResult:
    pairs = list(project_units(project, langs=targets, status=status, require_all=True, progress=progress))
    if not pairs:
        raise InputError(f"{project.path}: no segments with {status} translations in all of {', '.join(targets)}; "
                         "confirm some segments, choose fewer languages (--to), or use --status all")
    paths = []
    for lang in [project.source_lang] + targets:
        out = _suffixed(path, lang, ".txt")
        with atomic_write(out, "w", encoding="utf-8", newline="\n") as fh:
            for _, unit in pairs:
                fh.write(_line(unit.variants[lang].text) + "\n")
        paths.append(out)
    return ExportResult(paths, len(pairs))
