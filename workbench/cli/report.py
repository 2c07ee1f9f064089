"""``workbench report``: words, match analysis, progress, post-editing metrics, QA summary; PNG plots."""

from __future__ import annotations

import argparse
import json
import sys

from ..core.config import parse_langs
from ..core.store import Project
from ..report import build_report, format_report, write_plots
from .progress import Bars, add_quiet
from .qa import load_glossary


def register(sub) -> None:
    p = sub.add_parser("report", help="project statistics: words, match analysis, progress, post-editing, QA")
    p.add_argument("project", help="project file (SQLite)")
    p.add_argument("--to", metavar="L[,L]", help="target language(s), comma-separated (default: all)")
    p.add_argument("--lang", dest="to", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--plots", metavar="DIR", help="also write edit_distance.png, progress.png, qa_findings.png here")
    p.add_argument("--no-qa", action="store_true", help="skip the QA summary")
    p.add_argument("--glossary", metavar="PATH", help="glossary for the QA term checks")
    p.add_argument("--no-glossary", action="store_true", help="skip the glossary term checks")
    add_quiet(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    langs = parse_langs(args.to) if args.to else None
    glossary = None if args.no_qa else load_glossary(args.glossary, args.no_glossary)
    with Project.open(args.project) as project, Bars(args) as bars:
        rep = build_report(project, langs, qa=not args.no_qa, glossary=glossary,
                           progress=bars.callback("report", unit="seg"))
    if args.plots:
        paths = write_plots(rep, args.plots)
        rep["plots"] = [str(p) for p in paths]
    if args.json:
        json.dump(rep, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_report(rep))
        for p in rep.get("plots", []):
            print(f"plot: {p}")
    return 0
