"""``workbench translate PROJECT.db --to ru,km [--model NAME] [--backend ct2|hf]``: pre-translate with MT."""

from __future__ import annotations

import sys

from ..config import parse_langs


def register(sub) -> None:
    p = sub.add_parser("translate", help="machine-translate a project's empty segments (resumable, cached)")
    p.add_argument("project", help="project file (SQLite), e.g. article.db")
    p.add_argument("--to", help="target languages, comma-separated (default: all of the project's)")
    p.add_argument("--model", help="registered model name or a Marian directory (default: per language)")
    p.add_argument("--backend", choices=["ct2", "hf", "auto"], default="auto",
                   help="ct2 (CTranslate2, fast) or hf (transformers); default: ct2 when converted")
    p.add_argument("--beam", type=int, default=4, help="beam size (default 4)")
    p.add_argument("--batch-size", type=int, default=16, help="sentences per batch (default 16)")
    p.add_argument("--no-cache", action="store_true", help="decode again even if the MT cache has the result")
    p.add_argument("--no-glossary", action="store_true", help="do not let the glossary pick among the n-best")
    p.set_defaults(func=cmd_translate)


def _glossary_hooks(src_lang: str):
    """The glossary's n-best chooser and its verbatim terms (kept unchanged by MT), if the glossary is there."""
    try:
        from ..glossary import choose, default_glossary  # type: ignore[attr-defined]
        from ..glossary.enforce import verbatim_terms  # type: ignore[attr-defined]
    except ImportError:
        return None, ()
    return choose, (lambda lang: verbatim_terms(default_glossary(), src_lang, lang))


def cmd_translate(args) -> int:
    from ..errors import InputError
    from ..mt.project import check_langs, resolve_models, translate_project
    from ..store import Project

    if args.beam < 1 or args.batch_size < 1:
        raise InputError("--beam and --batch-size must be at least 1")
    with Project.open(args.project) as project:
        langs = check_langs(project, parse_langs(args.to) if args.to else None)
        resolve_models(project.source_lang, langs, args.model)  # no model: fail now, before loading anything
        choose, keep = (None, ()) if args.no_glossary else _glossary_hooks(project.source_lang)
        bars: dict[str, object] = {}

        def progress(lang: str, done: int, total: int) -> None:
            from tqdm import tqdm

            bar = bars.get(lang)
            if bar is None:
                bar = bars[lang] = tqdm(total=total, desc=f"MT {project.source_lang}->{lang}", unit="seg",
                                        file=sys.stderr, leave=True, dynamic_ncols=True)
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        try:
            stats = translate_project(project, langs, model=args.model, backend=args.backend, choose=choose,
                                      progress=progress, beam=args.beam, batch_size=args.batch_size,
                                      keep=keep, use_cache=not args.no_cache)
        finally:
            for bar in bars.values():
                bar.close()
        for lang, st in stats.items():
            flags = ", ".join(f"{k} {v}" for k, v in sorted(st.flags.items()))
            print(f"{lang}: {st.translated} of {st.todo} translated ({st.cached} from cache) with {st.model} "
                  f"[{st.backend}]" + (f"; {st.skipped} skipped (edited meanwhile)" if st.skipped else "")
                  + (f"; {st.flagged} flagged for review: {flags}" if st.flagged else ""), file=sys.stderr)
    return 0
