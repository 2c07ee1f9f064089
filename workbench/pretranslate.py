"""Pre-translation, the third stage: translation memory first, then Marian MT with the glossary enforced.

One function, :func:`pretranslate`, that the CLI (``workbench translate``) and the editor ("MT all untouched")
both call. It only ever fills targets that are still empty and unconfirmed; what a person typed or confirmed
is never touched. Each pass commits segment by segment, so an interrupted run loses nothing and a rerun
continues (MT results are also cached).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .core.errors import ModelUnavailable
from .core.store import Project
from .glossary import default_glossary
from .glossary.enforce import verbatim_terms
from .mt.project import resolve_models, translate_project
from .tm.fill import fill_from_tm

Progress = Callable[[str, int, int], None]


@dataclass
class PretranslateResult:
    tm: dict[str, Any] = field(default_factory=dict)  # lang -> workbench.tm.fill.FillStats
    mt: dict[str, Any] = field(default_factory=dict)  # lang -> workbench.mt.project.LangStats
    mt_unavailable: str | None = None  # why MT did not run (no model installed), one line

    def summary(self) -> list[str]:
        """One line per language, for the CLI and the UI."""
        lines = []
        for lang in sorted(set(self.tm) | set(self.mt)):
            parts = []
            st = self.mt.get(lang)
            if st is not None:
                parts.append(f"{st.translated} of {st.todo} translated ({st.cached} from cache) with {st.model} "
                             f"[{st.backend}]" + (f", {st.skipped} skipped (edited meanwhile)" if st.skipped else "")
                             + (f", {st.flagged} flagged for review: "
                                + ", ".join(f"{k} {v}" for k, v in sorted(st.flags.items())) if st.flagged else ""))
            tm = self.tm.get(lang)
            if tm is not None:
                parts.append(f"TM filled {tm.filled} ({tm.exact} exact, {tm.fuzzy} fuzzy, "
                             f"{tm.repetitions} repetitions)")
            lines.append(f"{lang}: " + "; ".join(parts))
        if self.mt_unavailable:
            lines.append(f"MT not run: {self.mt_unavailable}")
        return lines


def glossary_hooks(src_lang: str, glossary: Any = None):
    """The glossary's n-best chooser and, per target language, the terms MT must copy verbatim.

    ``glossary``: a :class:`workbench.glossary.Glossary`, or None for the default glossary file.
    """
    g = glossary if glossary is not None else default_glossary()

    def choose(source, hypotheses, tgt_lang):
        return g.choose(source, hypotheses, tgt_lang, src_lang=src_lang)

    return choose, (lambda lang: verbatim_terms(g, src_lang, lang))


def pretranslate(
    project: Project,
    langs: Sequence[str] | None = None,
    *,
    use_tm: bool = True,
    tm_threshold: float = 75,
    tm: Any = None,
    use_mt: bool = True,
    require_mt: bool = False,
    model: str | None = None,
    backend: str = "auto",
    use_glossary: bool = True,
    glossary: Any = None,
    progress: Progress | None = None,
    beam: int = 4,
    batch_size: int = 16,
    use_cache: bool = True,
    author: str | None = None,
) -> PretranslateResult:
    """Fill every still-empty, unconfirmed target of ``langs`` (default: all the project's targets).

    1. Translation memory (:func:`workbench.tm.fill.fill_from_tm`): a match >= ``tm_threshold`` % (origin
       ``tm``, score = match %); identical sources inside the project are looked up once.
    2. Marian MT for what is left (origin ``mt``, score = model log-probability), the glossary picking among
       the n-best and fixing deprecated/forbidden variants (``meta["terms"]`` records expected/found/missing).

    ``author``: who the changes are recorded as (default: ``tm`` for the TM pass, ``mt:MODEL`` for MT).
    With no MT model installed: ``require_mt`` raises :class:`ModelUnavailable` *before* anything is written
    (the CLI's contract); otherwise the TM pass still runs and ``mt_unavailable`` says which command installs
    a model.
    """
    langs = project.check_targets(langs)
    result = PretranslateResult()
    if use_mt:
        try:
            resolve_models(project.source_lang, langs, model)  # fails fast, before any work
        except ModelUnavailable as exc:
            if require_mt:
                raise
            result.mt_unavailable = str(exc)
            use_mt = False
    if use_tm:
        result.tm = fill_from_tm(project, langs, tm=tm, threshold=tm_threshold, author=author)
    if use_mt:
        choose, keep = glossary_hooks(project.source_lang, glossary) if use_glossary else (None, ())
        result.mt = translate_project(project, langs, model=model, backend=backend, choose=choose, progress=progress,
                                      beam=beam, batch_size=batch_size, keep=keep, use_cache=use_cache, author=author)
    return result
