"""``workbench export``: a project's translations as TMX 1.4b or line-aligned plain text."""

from __future__ import annotations

import argparse
import sys

from ..core.store import STATUSES, Project
from ..export.project import export_project
from .progress import Bars, add_quiet


def register(sub) -> None:
    p = sub.add_parser("export", help="export a project's translations as TMX 1.4b or plain text per language")
    p.add_argument("project", help="project file (PROJECT.db)")
    p.add_argument("--format", dest="fmt", choices=["tmx", "txt"], default="tmx", help="output format (default: tmx)")
    p.add_argument("-o", "--output", required=True,
                   help="output file; txt writes OUT.<lang>.txt per language, --pairwise OUT.<src>-<tgt>.tmx")
    p.add_argument("--to", metavar="L[,L]",
                   help="target languages to export, e.g. ru,km (default: all; the source is always included)")
    p.add_argument("--langs", dest="to", help=argparse.SUPPRESS)
    p.add_argument("--status", default="confirmed", choices=["confirmed", "all", *STATUSES],
                   help="which translations: confirmed (translated/reviewed/approved, default), all, or one status")
    p.add_argument("--pairwise", action="store_true",
                   help="TMX: one file per language pair instead of one multilingual file")
    add_quiet(p)
    p.set_defaults(func=cmd_export)


def cmd_export(args) -> int:
    with Project.open(args.project) as project, Bars(args) as bars:
        result = export_project(project, args.output, fmt=args.fmt, langs=args.to, status=args.status,
                                pairwise=args.pairwise, progress=bars.callback("export", unit="seg"))
    for path in result.paths:
        print(path)
    print(f"exported {result.units} units ({args.status}) from {args.project}", file=sys.stderr)
    return 0
