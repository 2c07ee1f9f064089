"""``workbench translate PROJECT.db --to ru,km [--model NAME] [--backend ct2|hf]``.

TM first, then MT (glossary enforced)."""

from __future__ import annotations

import sys

from ..core.config import parse_langs
from ..core.errors import InputError
from ..core.store import Project
from ..pretranslate import pretranslate
from .progress import Bars, add_quiet


def add_pretranslate_options(p) -> None:
    """The options of a pre-translation (TM, then MT with the glossary): ``translate`` and ``corpus translate``."""
    p.add_argument("--model", help="registered model name or a Marian directory (default: per language)")
    p.add_argument("--backend", choices=["ct2", "hf", "auto"], default="auto",
                   help="ct2 (CTranslate2, fast) or hf (transformers); default: ct2 when converted")
    p.add_argument("--beam", type=int, default=4, help="beam size (default 4)")
    p.add_argument("--batch-size", type=int, default=16, help="sentences per batch (default 16)")
    p.add_argument("--no-glossary", action="store_true", help="do not let the glossary pick among the n-best")
    p.add_argument("--no-tm", action="store_true", help="skip the translation-memory pass that runs before MT")
    p.add_argument("--tm-threshold", type=float, default=75, help="lowest TM match %% that fills a target (default 75)")


def register(sub) -> None:
    p = sub.add_parser("translate", help="machine-translate a project's empty segments (resumable, cached)")
    p.add_argument("project", help="project file (SQLite), e.g. article.db")
    p.add_argument("--to", metavar="L[,L]", help="target languages, comma-separated (default: all of the project's)")
    add_pretranslate_options(p)
    p.add_argument("--no-cache", action="store_true", help="decode again even if the MT cache has the result")
    add_quiet(p)
    p.set_defaults(func=cmd_translate)


def cmd_translate(args) -> int:
    if args.beam < 1 or args.batch_size < 1:
        raise InputError("--beam and --batch-size must be at least 1")
    with Project.open(args.project) as project, Bars(args) as bars:
        src = project.source_lang
        progress = None if not bars.on else (
            lambda lang, done, total: bars.update(f"MT {src}->{lang}", done, total, unit="seg"))
        result = pretranslate(project, parse_langs(args.to) if args.to else None, use_tm=not args.no_tm,
                              tm_threshold=args.tm_threshold, require_mt=True, model=args.model,
                              backend=args.backend, use_glossary=not args.no_glossary, progress=progress,
                              beam=args.beam, batch_size=args.batch_size, use_cache=not args.no_cache)
        for line in result.summary():
            print(line, file=sys.stderr)
    return 0
