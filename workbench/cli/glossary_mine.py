"""``workbench glossary mine``: glossary candidates mined from a TMX file or a project (added to the
``glossary`` command group by :mod:`workbench.cli.glossary`)."""

from __future__ import annotations

import sys

from ..core.config import check_lang
from ..core.errors import InputError
from ..core.safeio import atomic_write_text
from ..glossary import Glossary
from ..glossary.mining import mine, to_tsv
from ..glossary.mining_io import Rejections, count_tmx_units, project_pairs, tmx_pairs
from .progress import Bars, add_quiet


def add_parser(gs) -> None:
    """Add ``mine`` to the ``glossary`` subcommands ``gs``."""
    p = gs.add_parser("mine", help="glossary candidates (term and translation) mined from a TMX file or a project")
    p.add_argument("--glossary", metavar="FILE",
                   help="glossary whose terms are left out and whose deprecated/forbidden terms are flagged "
                        "(default: $WORKBENCH_GLOSSARY, else $WORKBENCH_HOME/glossary/diplomatic.csv)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--tmx", metavar="FILE.tmx", help="mine the pairs of a TMX file")
    src.add_argument("--project", metavar="P.db",
                     help="mine a project's confirmed translations and its aligned/human ones")
    p.add_argument("--src", "--from", dest="src", default="en", metavar="L", help="source language (default en)")
    p.add_argument("--tgt", "--to", dest="tgt", required=True, metavar="L", help="target language: ru or km")
    p.add_argument("-o", "--output", required=True, metavar="CANDIDATES.tsv", help="TSV file to write ('-': stdout)")
    p.add_argument("--top", type=int, default=0, metavar="N", help="keep the N best candidates (default: all)")
    p.add_argument("--min-count", type=int, default=2, metavar="K",
                   help="pairs a term and its translation must share (default 2)")
    p.add_argument("--include-known", action="store_true",
                   help="keep candidates whose English is already a glossary term (marked in the note column)")
    add_quiet(p)
    p.set_defaults(func=cmd_mine)


def cmd_mine(args) -> int:
    src, tgt = check_lang(args.src), check_lang(args.tgt)
    if args.top < 0 or args.min_count < 1:
        raise InputError("--top must be 0 or more and --min-count 1 or more")
    glossary = Glossary.load(args.glossary)
    rejected = Rejections.beside(glossary.path).keys(src, tgt)
    with Bars(args) as bars:
        if args.tmx:
            origin = args.tmx
            pairs, total = tmx_pairs(args.tmx, src, tgt), count_tmx_units(args.tmx)
        else:
            from ..core.store import Project

            with Project.open(args.project) as proj:
                if proj.source_lang != src:
                    raise InputError(f"{args.project}: the project's source language is {proj.source_lang}, "
                                     f"not {src}: give --src {proj.source_lang}")
                pairs = project_pairs(proj, tgt)
                origin = f"project {proj.name}"
            total = len(pairs)
            if not pairs:
                raise InputError(f"{args.project}: no confirmed or aligned {tgt} translations to mine; confirm or "
                                 "align some first")
        result = mine(pairs, src, tgt, glossary=glossary, min_count=args.min_count, top=args.top or None,
                      include_known=args.include_known, rejected=rejected, total=total, origin=origin,
                      progress=bars.callback("mine", unit="pair"))
    text = to_tsv(result)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        atomic_write_text(args.output, text)
    flagged = sum(1 for c in result.candidates if c.flag)
    print(f"{len(result.candidates)} candidates from {len(result.pairs)} {src}-{tgt} pairs of {origin}"
          + (f"; {flagged} deprecated/forbidden glossary terms in use" if flagged else "")
          + ("" if args.output == "-" else f" -> {args.output}"), file=sys.stderr)
    return 0

