"""Filling a project from the translation memory: :func:`fill_from_tm` (the TM pass of
:func:`workbench.pretranslate.pretranslate`, and ``workbench tm pretranslate``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core.errors import VersionConflict
from ..core.meta import TmMeta, tm_codes, with_section
from ..core.store import Project
from .match import normalize
from .memory import TranslationMemory

#: the memory name recorded for a repetition copied from a translation confirmed in the same project
PROJECT_MEMORY = "project"


@dataclass
class FillStats:
    filled: int = 0
    exact: int = 0
    fuzzy: int = 0
    repetitions: int = 0
    no_match: int = 0
    skipped: int = 0  # not new, or changed by someone while we worked

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def fill_from_tm(project: Project, langs: Sequence[str] | str | None = None, *, tm: TranslationMemory | None = None,
                 threshold: float = 75, author: str | None = None, progress=None) -> dict[str, FillStats]:
    """Fill every still-``new`` target of ``langs`` (default: all the project's targets; ``"ru,km"`` works
    too) with the best TM match at or above ``threshold`` %.

    Writes origin ``tm``, status ``draft``, score = match %, ``meta["tm"]`` (:class:`~workbench.core.meta.TmMeta`).
    A match with inline codes fills the target with a tag per code (``<g1>…</g1>``, ``<x2/>``) and keeps the
    codes in ``meta["tm"]["codes"]`` (:mod:`workbench.tm.tags`), so the project's TMX export writes them back.
    Repetitions: identical sources (after :func:`~workbench.tm.match.normalize`) are looked up once and share
    the first one's translation; a source already confirmed in this project is reused as a 100 % match
    (memory name ``project``, with the segment it came from) before the TM is asked. Confirmed or edited
    targets are never touched. ``tm``: an open memory (default: the user's, opened and closed here);
    ``author``: who the changes are recorded as (default ``tm``). ``progress(done, total)`` is called per
    segment and language. Returns per-language counts.
    """
    targets = project.check_targets(langs)
    own = tm is None
    memory = tm or TranslationMemory.open()
    try:
        segs = project.segments()
        total = len(segs) * len(targets)
        out = {}
        for i, lang in enumerate(targets):
            base = i * len(segs)
            step = (lambda k, base=base: progress(base + k, total)) if progress else None
            out[lang] = _fill(project, segs, lang, memory, threshold, author or "tm", step)
        if progress is not None:
            progress(total, total)
        return out
    finally:
        if own:
            memory.close()


def _fill(project: Project, segs, lang: str, memory: TranslationMemory, threshold: float, author: str,
          step: Callable[[int], None] | None) -> FillStats:
    """Fill ``lang``; ``step(k)`` is called before the k-th segment."""
    stats = FillStats()
    confirmed: dict[str, tuple[str, int, list]] = {}
    for seg in segs:
        tr = seg.translations.get(lang)
        if tr is not None and tr.confirmed and tr.text.strip():
            confirmed.setdefault(normalize(seg.source), (tr.text, seg.id, tm_codes(tr.meta)))
    cache: dict[str, tuple[str, float, TmMeta] | None] = {}
    for k, seg in enumerate(segs):
        if step is not None:
            step(k)
        tr = seg.translations.get(lang)
        if tr is None or tr.status != "new" or tr.text:
            stats.skipped += tr is not None and tr.status != "new"
            continue
        key = normalize(seg.source)
        if key in cache:
            found = cache[key]
            if found is not None:
                stats.repetitions += 1
        elif key in confirmed:
            text, sid, codes = confirmed[key]
            found = cache[key] = (text, 100.0, TmMeta(match=100.0, tm=PROJECT_MEMORY, segment=sid, source=seg.source,
                                                      codes=codes))
            stats.repetitions += 1
        else:
            hits = memory.lookup(seg.source, project.source_lang, lang, min_score=threshold, limit=1)
            found = cache[key] = (hits[0].tagged, hits[0].score, hits[0].as_tm_meta()) if hits else None
        if found is None:
            stats.no_match += 1
            continue
        text, score, info = found
        try:
            project.set_translation(seg.id, lang, text, origin="tm", status="draft", score=score,
                                    meta=with_section(tr.meta, info), expected_version=tr.version, author=author,
                                    action="pretranslate")
        except VersionConflict:
            stats.skipped += 1
            continue
        stats.filled += 1
        if score >= 100:
            stats.exact += 1
        else:
            stats.fuzzy += 1
    return stats
