"""``workbench tm``: import TMX into the translation memory, search it, feed it, pre-translate with it."""

from __future__ import annotations

import argparse
import sys

from ..core.config import check_lang, lang_tag, parse_langs
from ..core.errors import InputError
from ..core.store import Project
from ..tm.fill import fill_from_tm
from ..tm.memory import TranslationMemory
from .progress import Bars, add_quiet


def register(sub) -> None:
    tm = sub.add_parser("tm", help="translation memory: import TMX, search, add a project, pre-translate")
    tm_sub = tm.add_subparsers(dest="tm_command", metavar="TM_COMMAND")
    tm.set_defaults(func=lambda args: (tm.print_help(sys.stderr), 2)[1])

    def common(p):
        p.add_argument("--db", help="translation memory file (default: $WORKBENCH_HOME/tm.db)")

    p = tm_sub.add_parser("import", help="import a TMX file (any CAT tool's; UTF-8 or UTF-16); prints what happened "
                                         "to every unit")
    p.add_argument("file", help="FILE.tmx")
    p.add_argument("--tm", dest="name", help="memory name inside the TM (default: the file name)")
    p.add_argument("--replace", action="store_true",
                   help="delete that memory's units first (e.g. a file imported by an older version)")
    common(p)
    add_quiet(p)
    p.set_defaults(func=cmd_import)

    p = tm_sub.add_parser("search", help="fuzzy-match a sentence against the TM, or --concordance for a phrase")
    p.add_argument("text", help="the sentence (or phrase with --concordance)")
    p.add_argument("--to", metavar="L[,L]",
                   help="target language(s) to show, e.g. ru or ru,km; a regional tag (en-GB) only that variant "
                        "(default: all but --from)")
    p.add_argument("--lang", dest="to", help=argparse.SUPPRESS)
    p.add_argument("--from", dest="src", default="en",
                   help="language of TEXT (default: en: any en variant; en-US: only that one)")
    p.add_argument("--tm-threshold", dest="tm_threshold", type=float, default=75,
                   help="lowest match %% to show (default: 75)")
    p.add_argument("--min", dest="tm_threshold", type=float, help=argparse.SUPPRESS)
    p.add_argument("--limit", type=int, default=5, help="matches per language (default: 5)")
    p.add_argument("--tm", dest="name", help="search only this memory")
    p.add_argument("--concordance", action="store_true", help="find units containing TEXT as a phrase")
    common(p)
    p.set_defaults(func=cmd_search)

    p = tm_sub.add_parser("add-project", help="store a project's confirmed segments in the TM")
    p.add_argument("project")
    p.add_argument("--tm", dest="name", help="memory name (default: the project name)")
    common(p)
    add_quiet(p)
    p.set_defaults(func=cmd_add_project)

    p = tm_sub.add_parser("pretranslate", help="fill a project's new targets from TM matches (origin tm, draft)")
    p.add_argument("project")
    p.add_argument("--to", metavar="L[,L]", help="target languages (default: all of the project's)")
    p.add_argument("--langs", dest="to", help=argparse.SUPPRESS)
    p.add_argument("--tm-threshold", dest="tm_threshold", type=float, default=75,
                   help="lowest match %% used (default: 75)")
    p.add_argument("--threshold", dest="tm_threshold", type=float, help=argparse.SUPPRESS)
    common(p)
    add_quiet(p)
    p.set_defaults(func=cmd_pretranslate)

    p = tm_sub.add_parser("export", help="write the TM (or one memory) as TMX 1.4b")
    p.add_argument("-o", "--output", required=True, help="TMX file to write")
    p.add_argument("--tm", dest="name", help="only this memory")
    p.add_argument("--to", metavar="L[,L]",
                   help="only these languages, e.g. en,ru (every en variant) or en-GB,ru (only en-GB)")
    p.add_argument("--langs", dest="to", help=argparse.SUPPRESS)
    common(p)
    p.set_defaults(func=cmd_export)

    p = tm_sub.add_parser("list", help="memories in the TM and their unit counts")
    common(p)
    p.set_defaults(func=cmd_list)


def _open(args) -> TranslationMemory:
    return TranslationMemory.open(args.db)


def cmd_import(args) -> int:
    with _open(args) as tm, Bars(args) as bars:
        r = tm.import_tmx(args.file, name=args.name, replace=args.replace,
                          progress=bars.callback("import", unit="unit"))
    print("\n".join(r.lines()))
    print(f"{r.seconds:.1f} s", file=sys.stderr)
    return 0


def _tags(spec: str) -> list[str]:
    """``ru,en-GB`` -> ``["ru", "en-GB"]``: validated languages, a regional tag kept as given (case normalised)."""
    out: list[str] = []
    for part in (spec or "").split(","):
        if part.strip():
            check_lang(part)
            tag = lang_tag(part)
            if tag not in out:
                out.append(tag)
    return out or parse_langs(spec)


def _cell(text: str) -> str:
    return " ".join(text.split())


def cmd_search(args) -> int:
    src = check_lang(args.src)
    with _open(args) as tm:
        if args.concordance:
            hits = tm.concordance(args.text, src, limit=args.limit, tm=args.name)
            want = _tags(args.to) if args.to else None
            for h in hits:
                print(f"{h.tm}\t{src}: {_cell(h.text)}")
                for tag, text in h.translations.items():
                    if want is None or tag in want or check_lang(tag) in want:
                        print(f"\t{tag}: {_cell(text)}")
            if not hits:
                print(f"no unit contains {args.text!r}", file=sys.stderr)
            return 0
        targets = _tags(args.to) if args.to else [l for l in ("en", "ru", "km") if l != src]
        found = 0
        for tgt in targets:
            if tgt == lang_tag(args.src) or (tgt == src and "-" not in lang_tag(args.src)):
                raise InputError(f"--to {tgt} is the language of the text (--from {args.src}); choose another")
            for m in tm.lookup(args.text, args.src, tgt, min_score=args.tm_threshold, limit=args.limit,
                               tm=args.name):
                found += 1
                flags = f" [{','.join(m.flags)}]" if m.flags else ""
                print(f"{m.score:5.1f}%\t{m.src_lang}-{m.tgt_lang}\t{m.tm}{flags}")
                print(f"\t{m.src_tag or src}: {_cell(m.source)}")
                print(f"\t{m.tgt_tag or m.tgt_lang}: {_cell(m.tagged)}")
        if not found:
            print(f"no match at or above {args.tm_threshold:g}%", file=sys.stderr)
    return 0


def cmd_add_project(args) -> int:
    with Project.open(args.project) as project, _open(args) as tm, Bars(args) as bars:
        n = tm.add_from_project(project, tm=args.name, progress=bars.callback("add-project", unit="seg"))
    print(f"stored {n} confirmed units from {args.project}", file=sys.stderr)
    return 0


def cmd_pretranslate(args) -> int:
    with Project.open(args.project) as project, _open(args) as tm, Bars(args) as bars:
        langs = parse_langs(args.to) if args.to else None
        stats = fill_from_tm(project, langs, tm=tm, threshold=args.tm_threshold,
                             progress=bars.callback("pretranslate", unit="seg"))
    for lang, s in stats.items():
        print(f"{lang}: filled {s.filled} ({s.exact} exact, {s.fuzzy} fuzzy, {s.repetitions} repetitions), "
              f"{s.no_match} without a match >= {args.tm_threshold:g}%", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    with _open(args) as tm:
        if args.name and args.name not in tm.names():
            raise InputError(f"no memory named {args.name!r} in {tm.path}; see 'workbench tm list'")
        tm.export_tmx(args.output, tm=args.name, langs=_tags(args.to) if args.to else None)
    print(args.output)
    return 0


def cmd_list(args) -> int:
    with _open(args) as tm:
        for name, n in tm.names().items():
            print(f"{name}\t{n}")
    return 0
