"""``translate_project``: machine-translate every target that is still empty, batch by batch.

Each batch is looked up in the MT cache first, the misses are decoded, the cache is updated, then the
results are saved (origin ``mt``, status ``draft``, the model score, ``meta["mt"]``:
:class:`~workbench.core.meta.MtMeta`). Every save is its own
committed transaction with a version check, so Ctrl-C loses at most the batch in flight and a rerun
continues where it stopped; a translation a person typed meanwhile is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InputError, ModelUnavailable, VersionConflict
from ..core.meta import MtMeta, with_section, without_sections
from ..core.store import CONFIRMED, Project, Translation
from .cache import MTCache, cache_key
from .engine import ENGINE_VERSION, Engine, load_engine, resolve_backend
from .hypothesis import Hypothesis
from .registry import ModelEntry, default_model, get_model

Choose = Callable[[str, list[Hypothesis], str], "tuple[str, float | None, dict[str, Any]]"]
Progress = Callable[[str, int, int], None]
#: flags that record what the engine did rather than a problem (not counted as "flagged for review")
INFO_FLAGS = frozenset({"placeholders"})


@dataclass
class LangStats:
    model: str = ""
    backend: str = ""
    todo: int = 0
    translated: int = 0
    cached: int = 0
    skipped: int = 0  # changed by someone else while we worked
    flagged: int = 0
    flags: dict[str, int] = field(default_factory=dict)


def needs_mt(tr) -> bool:
    """A target MT may fill: empty and not confirmed by a person."""
    return tr is not None and not (tr.text or "").strip() and tr.status not in CONFIRMED


def resolve_models(project_src: str, langs: Sequence[str], model: str | ModelEntry | None) -> dict[str, ModelEntry]:
    """Which model translates each language; raises before anything heavy is loaded."""
    out: dict[str, ModelEntry] = {}
    for lang in langs:
        if model is None:
            out[lang] = default_model(project_src, lang)
            continue
        entry = model if isinstance(model, ModelEntry) else get_model(str(model))
        if entry.tgt and lang not in entry.tgt:
            raise ModelUnavailable(f"model {entry.name} translates into {','.join(entry.tgt)}, not {lang}: "
                                   f"leave out --model to use the default per language, or translate --to "
                                   f"{','.join(l for l in langs if l in entry.tgt) or '...'}")
        if not entry.installed:
            raise ModelUnavailable(
                f"model {entry.name} is not installed: run 'workbench models pull {entry.name}' (needs internet) "
                f"or 'workbench models import {entry.name} DIR' for a local copy")
        out[lang] = entry
    return out


def translate_project(
    project: Project,
    langs: Sequence[str] | None = None,
    *,
    model: str | ModelEntry | None = None,
    backend: str = "auto",
    choose: Choose | None = None,
    progress: Progress | None = None,
    beam: int = 4,
    n_best: int | None = None,
    batch_size: int = 16,
    max_length: int = 256,
    keep: Sequence[str] | Callable[[str], Sequence[str]] = (),
    use_cache: bool = True,
    author: str | None = None,
) -> dict[str, LangStats]:
    """Fill every still-empty target in ``langs`` (default: all the project's targets) with MT.

    ``choose(source, hypotheses, tgt_lang) -> (text, score, meta)`` picks among the n-best (glossary
    enforcement); its ``meta`` is stored in the translation's meta next to ``meta["mt"]``. With ``choose``,
    ``n_best`` defaults to ``beam`` so it has candidates to pick from. ``progress(lang, done, total)`` is called
    after each batch. ``keep``: Latin-script names to keep verbatim (a list, or a function of the target
    language, e.g. the glossary's verbatim terms). Returns statistics per language.
    """
    langs = project.check_targets(langs)
    entries = resolve_models(project.source_lang, langs, model)
    if n_best is None:
        n_best = beam if choose is not None else 1
    keep_for = keep if callable(keep) else (lambda _lang, _k=tuple(keep): _k)
    cache = MTCache() if use_cache else None
    stats: dict[str, LangStats] = {}
    try:
        for lang in langs:
            entry = entries[lang]
            kind = resolve_backend(entry, backend)
            st = stats[lang] = LangStats(model=entry.name, backend=kind)
            lang_keep = sorted({k for k in keep_for(lang) if k and k.strip()})
            options = {"beam": beam, "n_best": n_best, "max_length": max_length, "keep": lang_keep,
                       "engine": ENGINE_VERSION}
            todo = [(s.id, s.source, s.translations[lang].version) for s in project.segments()
                    if needs_mt(s.translations.get(lang)) and s.source.strip()]
            st.todo = len(todo)
            if progress:
                progress(lang, 0, len(todo))
            engine: Engine | None = None
            revision = entry.model_revision()
            for b in range(0, len(todo), batch_size):
                batch = todo[b:b + batch_size]
                keys = [cache_key(entry.name, revision, kind, options, lang, src) for _, src, _ in batch]
                found = cache.get_many(keys) if cache is not None else {}
                misses = sorted({src for (_, src, _), k in zip(batch, keys) if k not in found})
                if misses:
                    if engine is None:
                        engine = load_engine(entry, kind)
                    hyps = engine.translate(misses, lang, beam=beam, n_best=n_best, max_length=max_length,
                                            batch_size=batch_size, keep=lang_keep)
                    fresh = dict(zip(misses, hyps))
                    if cache is not None:
                        cache.put_many((cache_key(entry.name, revision, kind, options, lang, s), entry.name, lang, s, h)
                                       for s, h in fresh.items())
                else:
                    fresh = {}
                for (sid, src, version), key in zip(batch, keys):
                    hs = found.get(key) or fresh.get(src)
                    if key in found:
                        st.cached += 1
                    _save(project, sid, lang, src, hs, version, entry, kind, choose, author, st)
                if progress:
                    progress(lang, min(b + batch_size, len(todo)), len(todo))
    finally:
        if cache is not None:
            cache.close()
    return stats


def _save(project, sid, lang, src, hyps, version, entry, kind, choose, author, st: LangStats) -> None:
    best = hyps[0]
    meta: dict[str, Any] = {}
    if choose is not None:
        text, score, extra = choose(src, [Hypothesis(h.text, h.score, list(h.flags)) for h in hyps], lang)
        meta.update(extra or {})
        picked = next((h for h in hyps if h.text == text), None)
        flags = list(picked.flags) if picked else list(best.flags) + ["edited_by_choose"]
        rank = hyps.index(picked) if picked else None
    else:
        text, score, flags, rank = best.text, best.score, list(best.flags), 0
    info = MtMeta(model=entry.name, backend=kind, flags=flags, revision=entry.model_revision(), rank=rank or None)
    chosen = meta.get(MtMeta.KEY)  # what the chooser said about MT wins
    meta = with_section(meta, MtMeta.from_dict({**info.as_dict(), **chosen}) if isinstance(chosen, dict) else info)
    try:
        project.set_translation(sid, lang, text, origin="mt", status="draft", score=score, meta=meta,
                                expected_version=version, author=author or f"mt:{entry.name}", action="mt")
    except VersionConflict:
        st.skipped += 1
        return
    st.translated += 1
    if set(flags) - INFO_FLAGS:
        st.flagged += 1
    if flags:
        for f in flags:
            st.flags[f] = st.flags.get(f, 0) + 1


def translate_segment(project: Project, segment_id: int, lang: str, *, glossary=None,
                      expected_version: int | None = None, author: str = "user", beam: int = 4) -> Translation:
    """Re-translate one target (the editor's per-segment button) with the default MT model for the pair, letting the
    glossary pick among the n-best and fix term variants when one is given. Writes origin ``mt``, status
    ``draft``, the model score and ``meta["mt"]`` like ``translate_project``. A confirmed target is refused
    (change its status first); ``ModelUnavailable`` says how to install a model."""
    lang = project.check_targets([lang])[0]
    tr = project.translation(segment_id, lang)
    if tr.confirmed:
        raise InputError(f"segment {segment_id} ({lang}) is confirmed ({tr.status}): set its status to draft "
                         "first if machine translation should replace it")
    entry = default_model(project.source_lang, lang)
    engine = load_engine(entry)
    source = project.segment(segment_id).source
    n_best = beam if glossary is not None else 1
    hyps = engine.translate([source], lang, beam=beam, n_best=n_best)[0]
    meta: dict[str, Any] = without_sections(tr.meta)  # the new text has none of the old text's provenance
    if glossary is not None:
        text, score, extra = glossary.choose(source, [Hypothesis(h.text, h.score, list(h.flags)) for h in hyps],
                                             lang, src_lang=project.source_lang)
        meta.update(extra or {})
        picked = next((h for h in hyps if h.text == text), None)
        flags = list(picked.flags) if picked else list(hyps[0].flags) + ["edited_by_choose"]
    else:
        text, score, flags = hyps[0].text, hyps[0].score, list(hyps[0].flags)
    chosen = meta.get(MtMeta.KEY)
    info = MtMeta.from_dict({**(chosen if isinstance(chosen, dict) else {}), "model": entry.name,
                             "backend": getattr(engine, "backend", "?"), "flags": flags})
    meta = with_section(meta, info)
    return project.set_translation(segment_id, lang, text, origin="mt", status="draft", score=score, meta=meta,
                                   expected_version=tr.version if expected_version is None else expected_version,
                                   author=author, action="mt")
