"""A project's segments as TMX units (for the project TMX export and for feeding the translation memory).

TMX content (see README, section "Translation memory and TMX")
    ``<tu tuid="SEGMENT_ID">`` with props ``x-project``, ``x-document`` (title), ``x-document-id``,
    ``x-segment`` (1-based position in the document), ``x-paragraph``; ``creationdate`` = when the document
    was added, ``changedate``/``changeid`` = latest change of an exported translation and who made it. The
    source ``<tuv>`` first, then one per exported target with props ``x-status``, ``x-origin``
    (mt/tm/aligned/human), ``x-score`` (when set), and ``creationdate``/``creationid`` (first recorded
    change) and ``changedate``/``changeid`` (last change), from the project's history: the ids are the names
    the changes were recorded under (the logged-in user in the editor). A target whose text holds the tags of
    inline codes (filled from a TM match with codes, ``meta["tm"]["codes"]``) is written with those codes as
    TMX markup (``<bpt>``/``<ept>``/``<ph>``/``<it>``/``<hi>``); its plain text has no tags. The header's
    ``creationdate`` is the latest change among the exported units, so exporting an unchanged project twice
    gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..core.config import check_lang
from ..core.errors import InputError
from ..core.meta import tm_codes
from ..core.store import CONFIRMED, STATUSES
from .tags import plain_text, to_markup
from .tmx import TmxUnit, TmxVariant, tmx_date


def status_filter(status: str):
    status = (status or "confirmed").strip().lower()
    if status == "confirmed":
        return lambda tr: tr.status in CONFIRMED and bool(tr.text.strip())
    if status == "all":
        return lambda tr: bool(tr.text.strip())
    if status in STATUSES:
        return lambda tr: tr.status == status and bool(tr.text.strip())
    raise InputError(f"unknown status {status!r}: use confirmed, all, or one of {', '.join(STATUSES)}")


def export_langs(project, langs: Sequence[str] | str | None) -> list[str]:
    """The target languages to export (default: all the project's). The source language may be listed too
    (it is always exported); any other language must be a target of the project."""
    if langs is None:
        return list(project.target_langs)
    if isinstance(langs, str):
        langs = langs.split(",")
    targets = [code for code in langs if str(code).strip() and check_lang(code) != project.source_lang]
    if not targets:
        raise InputError(f"choose at least one target language to export ({', '.join(project.target_langs)})")
    return project.check_targets(targets)


def _score(value: float) -> str:
    return f"{round(float(value), 4):g}"


def project_units(project, *, langs: Sequence[str] | str | None = None, status: str = "confirmed",
                  require_all: bool = False, progress=None) -> Iterator[tuple[object, TmxUnit]]:
    """``(segment, TmxUnit)`` for every segment with at least one exported target (all of them when
    ``require_all``), in document order. The source variant comes first. ``progress(done, total)`` is
    called as segments are read."""
    targets = export_langs(project, langs)
    docs = {d.id: d for d in project.documents()}
    segments = project.segments()
    for k, seg in enumerate(segments):
        if progress is not None:
            progress(k, len(segments))
        unit = segment_unit(project, seg, docs[seg.document_id], langs=targets, status=status,
                            require_all=require_all)
        if unit is not None:
            yield seg, unit
    if progress is not None:
        progress(len(segments), len(segments))


def segment_unit(project, seg, doc, *, langs: Sequence[str] | str | None = None, status: str = "confirmed",
                 require_all: bool = False) -> TmxUnit | None:
    """The TMX unit of one segment (None when no target passes the filter; see :func:`project_units`)."""
    targets = export_langs(project, langs)
    keep = status_filter(status)
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
    latest, latest_by = created, None
    for lang, tr in chosen:
        hist = project.history(seg.id, lang)
        first = hist[0] if hist else None
        props = [("x-status", tr.status)]
        if tr.origin:
            props.append(("x-origin", tr.origin))
        if tr.score is not None:
            props.append(("x-score", _score(tr.score)))
        changed = tmx_date(tr.updated_at)
        codes = tm_codes(tr.meta)
        markup = to_markup(tr.text, codes) if codes else None
        unit.variants[lang] = TmxVariant(
            lang, plain_text(tr.text, codes) if markup is not None else tr.text, props=props, markup=markup,
            creationdate=tmx_date(first.at) if first else changed, creationid=first.author if first else None,
            changedate=changed, changeid=tr.updated_by,
        )
        if changed and (latest is None or changed >= latest):
            latest, latest_by = changed, tr.updated_by
    unit.changedate, unit.changeid = latest, latest_by
    return unit


