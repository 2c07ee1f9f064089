"""The diplomatic glossary (EN/RU/KM): model, storage, formats, term matching, checks and MT enforcement.

Quick use::

    from . import Glossary
    g = Glossary.load()                       # $WORKBENCH_GLOSSARY, or the data directory's copy of the default
    g.find_terms("ASEAN's Regional Forum", "en")
    report = g.check(source, target, "en", "ru")
    translation_meta["terms"] = report.as_meta()

Module-level :func:`find_terms`, :func:`check`, :func:`choose` and :func:`fix` use the default glossary
(reloaded when its file changes), so ``choose`` can be passed directly as the MT engine's hook.
"""

from __future__ import annotations

import os
import threading

from .glossary import Glossary, default_path
from .model import BAD_STATUSES, GOOD_STATUSES, STATUSES, Concept, Problem, Term, TermHit
from .report import TermReport

__all__ = [
    "Glossary", "Concept", "Term", "TermHit", "TermReport", "Problem", "STATUSES", "GOOD_STATUSES",
    "BAD_STATUSES", "default_glossary", "default_path", "find_terms", "check", "choose", "fix",
]

_cache: dict = {}
_cache_lock = threading.Lock()


def default_glossary() -> Glossary:
    """The default glossary, cached and reloaded when the file's modification time changes."""
    path = default_path()
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        stamp = None
    with _cache_lock:
        hit = _cache.get(str(path))
        if hit and hit[0] == stamp:
            return hit[1]
        g = Glossary.load(path)
        _cache[str(path)] = (stamp, g)
        return g


def find_terms(text: str, lang: str) -> list[TermHit]:
    return default_glossary().find_terms(text, lang)


def check(source: str, target: str, src_lang: str = "en", tgt_lang: str = "ru") -> TermReport:
    return default_glossary().check(source, target, src_lang, tgt_lang)


def choose(source, hypotheses, tgt_lang, src_lang: str = "en", **kw):
    """MT hook: pick among the n-best by term compliance, fix deprecated/forbidden variants, and return
    ``(text, score, meta)``; ``meta`` holds ``"terms"`` (for ``Translation.meta["terms"]``) and ``"glossary"``."""
    return default_glossary().choose(source, hypotheses, tgt_lang, src_lang=src_lang, **kw)


def fix(source: str, target: str, tgt_lang: str = "ru", src_lang: str = "en") -> str:
    return default_glossary().fix(source, target, tgt_lang, src_lang)
