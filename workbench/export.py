"""Project exports: TMX 1.4b (multilingual or one file per language pair) and plain text per language.

TMX content (see README, section "Translation memory and TMX")
    ``<tu tuid="SEGMENT_ID">`` with props ``x-project``, ``x-document`` (title), ``x-document-id``,
    ``x-segment`` (1-based position in the document), ``x-paragraph``; ``creationdate`` = when the document
    was added, ``changedate`` = latest change of an exported translation. The source ``<tuv>`` first, then
    one per exported target with props ``x-status``, ``x-origin`` (mt/tm/aligned/human), ``x-score``
    (when set), and ``creationdate``/``creationid`` (first recorded change) and ``changedate``/``changeid``
    (last change). The header's ``creationdate`` is the latest change among the exported units, so
    exporting an unchanged project twice gives byte-identical files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .config import check_lang
from .errors import InputError
from .safeio import atomic_write
from .store import CONFIRMED, STATUSES
from .tmx import TmxHeader, TmxUnit, TmxVariant, tmx_date, write_tmx

FORMATS = ("tmx", "txt")


@dataclass
class ExportResult:
    paths: list[Path]
    units: int


def _status_filter(status: str):
    status = (status or "confirmed").strip().lower()
    if status == "confirmed":
        return lambda tr: tr.status in CONFIRMED and bool(tr.text.strip())
    if status == "all":
        return lambda tr: bool(tr.text.strip())
    if status in STATUSES:
        return lambda tr: tr.status == status and bool(tr.text.strip())
    raise InputError(f"unknown status {status!r}: use confirmed, all, or one of {', '.join(STATUSES)}")


def _langs(project, langs: Sequence[str] | str | None) -> list[str]:
    if langs is None:
        return list(project.target_langs)
    if isinstance(langs, str):
        langs = langs.split(",")
    out: list[str] = []
    for code in langs:
        if not str(code).strip():
            continue
        lang = check_lang(code)
        if lang == project.source_lang or lang in out:
            continue
        if lang not in project.target_langs:
            raise InputError(f"{project.path}: {lang} is not a language of this project "
                             f"({', '.join([project.source_lang] + project.target_langs)})")
        out.append(lang)
    if not out:
        raise InputError(f"choose at least one target language to export ({', '.join(project.target_langs)})")
    return out


def _score(value: float) -> str:
    return f"{round(float(value), 4):g}"


def project_units(project, *, langs: Sequence[str] | str | None = None, status: str = "confirmed",
                  require_all: bool = False) -> Iterator[tuple[object, TmxUnit]]:
    """``(segment, TmxUnit)`` for every segment with at least one exported target (all of them when
    ``require_all``), in document order. The source variant comes first."""
    targets = _langs(project, langs)
    docs = {d.id: d for d in project.documents()}
    for seg in project.segments():
        unit = segment_unit(project, seg, docs[seg.document_id], langs=targets, status=status,
                            require_all=require_all)
        if unit is not None:
            yield seg, unit


def segment_unit(project, seg, doc, *, langs: Sequence[str] | str | None = None, status: str = "confirmed",
                 require_all: bool = False) -> TmxUnit | None:
    """The TMX unit of one segment (None when no target passes the filter; see :func:`project_units`)."""
    targets = _langs(project, langs)
    keep = _status_filter(status)
    chosen = [(lang, seg.translations[lang]) for lang in targets
              if lang in seg.translations and keep(seg.translations[lang])]
    if not chosen or (require_all and len(chosen) < len(targets)):
        return None
    created = tmx_date(doc.created)
    unit = TmxUnit(
        tuid=str(seg.id), creationdate=created,
        props=[("x-project", project.name), ("x-document", doc.title), ("x-document-id", str(doc.id)),
               ("x-segment", str(seg.position + 1)), ("x-paragraph", str(seg.paragraph))],
    )
    unit.variants[project.source_lang] = TmxVariant(project.source_lang, seg.source, creationdate=created)
    latest = created
    for lang, tr in chosen:
        hist = project.history(seg.id, lang)
        first = hist[0] if hist else None
        props = [("x-status", tr.status)]
        if tr.origin:
            props.append(("x-origin", tr.origin))
        if tr.score is not None:
            props.append(("x-score", _score(tr.score)))
        changed = tmx_date(tr.updated_at)
        unit.variants[lang] = TmxVariant(
            lang, tr.text, props=props,
            creationdate=tmx_date(first.at) if first else changed, creationid=first.author if first else None,
            changedate=changed, changeid=tr.updated_by,
        )
        if changed and (latest is None or changed > latest):
            latest = changed
    unit.changedate = latest
    return unit


def export_project(project, path: str | os.PathLike, *, fmt: str = "tmx", langs: Sequence[str] | str | None = None,
                   status: str = "confirmed", pairwise: bool = False) -> ExportResult:
    """Export a project's translations.

    ``fmt="tmx"``: one multilingual TMX at ``path``, or with ``pairwise`` one file per language pair
    (``OUT.en-ru.tmx``, ``OUT.en-km.tmx``). ``fmt="txt"``: line-aligned plain text, one file per language
    (``OUT.en.txt``, ``OUT.ru.txt``...), only segments whose every chosen target passes the filter.
    ``langs``: target languages (the source is always included); ``status``: ``confirmed`` (default:
    translated/reviewed/approved), ``all`` (every non-empty target) or one status name.
    """
    fmt = (fmt or "tmx").lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}: use tmx or txt")
    path = Path(path)
    targets = _langs(project, langs)
    _status_filter(status)
    if fmt == "txt":
        return _export_txt(project, path, targets, status)
    if pairwise:
        groups = [[lang] for lang in targets]
        paths = [_suffixed(path, f"{project.source_lang}-{lang}", ".tmx") for lang in targets]
    else:
        groups, paths = [targets], [path]
    written, total = [], 0
    for group, out in zip(groups, paths):
        units = [u for _, u in project_units(project, langs=group, status=status)]
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


def _export_txt(project, path: Path, targets: list[str], status: str) -> ExportResult:
    pairs = list(project_units(project, langs=targets, status=status, require_all=True))
    if not pairs:
        raise InputError(f"{project.path}: no segments with {status} translations in all of {', '.join(targets)}; "
                         "confirm some segments, choose fewer languages (--langs), or use --status all")
    paths = []
    for lang in [project.source_lang] + targets:
        out = _suffixed(path, lang, ".txt")
        with atomic_write(out, "w", encoding="utf-8", newline="\n") as fh:
            for _, unit in pairs:
                fh.write(_line(unit.variants[lang].text) + "\n")
        paths.append(out)
    return ExportResult(paths, len(pairs))
