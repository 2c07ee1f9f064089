"""``workbench qa``: run the QA checks over a project and print the findings (text or JSON);
``workbench qa --list-checks`` prints the checks themselves."""

from __future__ import annotations

import argparse
import json
import sys

from ..core.config import parse_langs
from ..core.errors import InputError, WorkbenchError
from ..core.store import Project
from ..glossary import Glossary
from ..qa import CHECKS, check_project, summarise
from .progress import Bars, add_quiet


def register(sub) -> None:
    p = sub.add_parser("qa", help="QA checks: numbers, dates, punctuation, typography, terms, consistency")
    p.add_argument("project", nargs="?", help="project file (SQLite)")
    p.add_argument("--to", metavar="L[,L]", help="target language(s) to check, comma-separated (default: all)")
    p.add_argument("--lang", dest="to", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print JSON (a list of findings) instead of text")
    p.add_argument("--glossary", metavar="PATH",
                   help="glossary file for the term checks (default: the workbench's glossary, if available)")
    p.add_argument("--no-glossary", action="store_true", help="skip the glossary term checks")
    p.add_argument("--strict", action="store_true", help="exit with code 1 when there are errors")
    p.add_argument("--list-checks", action="store_true",
                   help="print the checks (code, default severity, on/off by default, description) and exit")
    add_quiet(p)
    p.set_defaults(func=cmd_qa)


def load_glossary(path: str | None, no_glossary: bool = False) -> Glossary | None:
    """The glossary for the term checks: ``path``, else the default glossary; None with ``no_glossary`` or
    when there is no default glossary to load."""
    if no_glossary:
        return None
    if path:
        return Glossary.load(path)
    try:
        return Glossary.load()
    except WorkbenchError:
        return None


def list_checks(as_json: bool) -> None:
    rows = [(code, severity, "on" if on else "off", description)
            for code, (severity, on, description) in CHECKS.items()]
    if as_json:
        json.dump([dict(zip(("code", "severity", "default", "description"), r)) for r in rows], sys.stdout,
                  ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for r in rows:
            print("\t".join(r))


def cmd_qa(args) -> int:
    if args.list_checks:
        list_checks(args.json)
        return 0
    if not args.project:
        raise InputError("qa needs a project file (workbench qa PROJECT.db), or --list-checks")
    langs = parse_langs(args.to) if args.to else None
    glossary = load_glossary(args.glossary, args.no_glossary)
    with Project.open(args.project) as project, Bars(args) as bars:
        findings = check_project(project, langs, glossary=glossary, progress=bars.callback("qa", unit="seg"))
        sources = {s.id: s.source for s in project.segments()} if not args.json else {}
    if args.json:
        json.dump([f.as_dict() for f in findings], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for f in findings:
            src = sources.get(f.segment_id, "")
            src = src if len(src) <= 60 else src[:57] + "..."
            print(f"{f.segment_id}\t{f.lang}\t{f.severity}\t{f.code}\t{f.message}\t{src}")
        counts = {sev: 0 for sev in ("error", "warning", "info")}
        for f in findings:
            counts[f.severity] += 1
        print(f"{len(findings)} findings: {counts['error']} errors, {counts['warning']} warnings, "
              f"{counts['info']} info ({len(summarise(findings))} kinds)", file=sys.stderr)
    if args.strict and any(f.severity == "error" for f in findings):
        return 1
    return 0
