"""The notes beside the open segment: per target where it came from, the glossary terms it should use (checked
now against the current glossary, so glossary edits show at once), live QA findings and TM suggestions; and
the source split into glossary terms for the highlighted source view."""

from __future__ import annotations

import logging

from ..core.errors import WorkbenchError
from ..core.store import Project, Segment
from . import model as M, render
from .context import EditorContext

log = logging.getLogger("workbench.ui")


def notes_html(ctx: EditorContext, proj: Project, seg: Segment) -> str:
    settings = ctx.qa_settings(proj)
    glossary = ctx.glossary()
    sections = []
    for lang in proj.target_langs:
        tr = seg.translations.get(lang)
        if tr is None:
            continue
        items = render.origin_notes(tr)
        if glossary is not None:
            try:
                items += render.term_notes(glossary.check(seg.source, tr.text, proj.source_lang, tr.lang),
                                           empty=not tr.text.strip())
            except WorkbenchError as exc:
                items.append(render.term_check_failed(exc))
        items += [render.finding_note(f) for f in M.live_findings(seg, lang, proj.source_lang, settings)]
        items += [render.tm_hit_note(h) for h in ctx.tm_matches(proj, seg, lang)]
        sections.append((M.lang_name(lang), items))
    return render.panel(sections)


def source_terms(ctx: EditorContext, proj: Project, seg: Segment) -> list[tuple[str, str | None]]:
    """The source as (text, concept id or None) chunks, for the highlighted source view."""
    g = ctx.glossary()
    hits = []
    if g is not None:
        try:
            hits = sorted(g.find_terms(seg.source, proj.source_lang), key=lambda h: (h.start, -h.end))
        except WorkbenchError as exc:
            log.warning("term lookup failed: %s", exc)
    out, pos = [], 0
    for h in hits:
        if h.start < pos:
            continue
        if h.start > pos:
            out.append((seg.source[pos:h.start], None))
        out.append((seg.source[h.start:h.end], h.concept_id))
        pos = h.end
    if pos < len(seg.source):
        out.append((seg.source[pos:], None))
    return out
