"""QA over a project: every translation through the segment checks, then the project checks (consistency);
the project's QA settings (its ``qa`` setting, see :mod:`workbench.qa.settings`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..core.config import check_lang
from ..text.scripts import ZERO_WIDTH_RE
from .checks import check_segment
from .registry import SEVERITIES, Finding, Hit, Row, check, checks
from .settings import resolve, with_check


def project_settings(project) -> dict[str, Any]:
    """The project's stored QA settings (``project.get_setting("qa")``), validated."""
    return resolve(project.get_setting("qa", None))


def set_check(project, code: str, enabled: bool) -> None:
    """Switch one check on or off for a project (stored in the project's ``qa`` setting)."""
    project.set_setting("qa", with_check(project.get_setting("qa", None), code, enabled))


# ------------------------------------------------------------------------------------ project checks


def _norm_key(text: str) -> str:
    return " ".join(ZERO_WIDTH_RE.sub("", text).split())


def _inconsistent(rows: list[Row], by_source: bool, message: str) -> Iterator[tuple[int, Hit]]:
    """Rows whose text on one side (the source if ``by_source``, else the target) is the same but whose other
    side differs; zero-width characters and spacing do not count."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        target = _norm_key(r.target)
        if not target:
            continue
        source = _norm_key(r.source)
        key, other = (source, target) if by_source else (target, source)
        groups[key].append((r.segment_id, other))
    for items in groups.values():
        if len({other for _, other in items}) > 1:
            for sid, mine in items:
                others = [str(o) for o, other in items if other != mine]
                yield sid, Hit(message.format(", ".join(others)))


@check(code="inconsistent_translation", severity="warning", scope="project",
       description="the same source is translated differently elsewhere")
def inconsistent_translation(rows: list[Row]) -> Iterator[tuple[int, Hit]]:
    return _inconsistent(rows, True, "same source translated differently in segment(s) {}")


@check(code="inconsistent_source", severity="warning", scope="project",
       description="the same translation is used for different sources")
def inconsistent_source(rows: list[Row]) -> Iterator[tuple[int, Hit]]:
    return _inconsistent(rows, False, "same translation used for a different source in segment(s) {}")


# ------------------------------------------------------------------------------------------- running


def check_project(project, langs: Iterable[str] | None = None, glossary=None, *,
                  settings: dict[str, Any] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> list[Finding]:
    """Check every translation of ``project`` (all target languages, or ``langs``), plus consistency.

    Findings come in document order, then by language. ``settings`` default to the project's ``qa``
    setting. ``progress(done, total)`` is called after each segment.
    """
    cfg = resolve(settings) if settings is not None else project_settings(project)
    langs = project.check_targets(list(langs) if langs is not None else None)
    segments = project.segments()
    found: list[Finding] = []
    for i, seg in enumerate(segments, 1):
        for lang in langs:
            tr = seg.translations.get(lang)
            if tr is None:
                continue
            found.extend(check_segment(seg.source, tr.text, project.source_lang, lang, settings=cfg,
                                       glossary=glossary, status=tr.status, segment_id=seg.id, meta=tr.meta))
        if progress is not None:
            progress(i, len(segments))
    for lang in langs:
        rows = [Row(seg.id, seg.source, seg.translations[lang].text) for seg in segments
                if lang in seg.translations]
        for c in checks("project"):
            if not cfg["checks"][c.code]:
                continue
            override = cfg["severity"].get(c.code)
            found.extend(c.finding(hit, lang, sid, override) for sid, hit in c.run(rows))
    order = {seg.id: i for i, seg in enumerate(segments)}
    found.sort(key=lambda f: (order.get(f.segment_id, -1), langs.index(f.lang)))
    return found


def check_translation(project, segment_id: int, lang: str, glossary=None) -> list[Finding]:
    """The segment checks for one stored translation, with the project's QA settings (for an editor that
    re-checks a segment after each save; consistency needs :func:`check_project`)."""
    (lang,) = project.check_targets([check_lang(lang)])
    seg = project.segment(segment_id)
    tr = seg.translations[lang]
    return check_segment(seg.source, tr.text, project.source_lang, lang, settings=project_settings(project),
                         glossary=glossary, status=tr.status, segment_id=seg.id, meta=tr.meta)


def summarise(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """``{code: {"error": n, "warning": n, "info": n}}``."""
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        out.setdefault(f.code, {s: 0 for s in SEVERITIES})[f.severity] += 1
    return out


def by_segment(findings: Iterable[Finding]) -> dict[tuple[int | None, str], list[Finding]]:
    """Findings grouped as ``{(segment_id, lang): [Finding, ...]}`` (for showing them per segment)."""
    out: dict[tuple[int | None, str], list[Finding]] = {}
    for f in findings:
        out.setdefault((f.segment_id, f.lang), []).append(f)
    return out
