"""``workbench qa``: run the QA checks over a project and print the findings (text or JSON)."""

from __future__ import annotations

import json
import sys

from ..core.config import parse_langs
from ..qa import check_project, summarise
from ..core.store import Project


def register(sub) -> None:
    p = sub.add_parser("qa", help="QA checks: numbers, dates, punctuation, typography, terms, consistency")
    p.add_argument("project", help="project file (SQLite)")
    p.add_argument("--lang", help="target language(s) to check, comma-separated (default: all)")
    p.add_argument("--json", action="store_true", help="print JSON (a list of findings) instead of text")
    p.add_argument("--glossary", metavar="PATH",
                   help="glossary file for the term checks (default: the repository's glossary, if available)")
    p.add_argument("--no-glossary", action="store_true", help="skip the glossary term checks")
    p.add_argument("--strict", action="store_true", help="exit with code 1 when there are errors")
    p.set_defaults(func=cmd_qa)


def load_glossary(path: str | None, no_glossary: bool = False):
    """The glossary for the term checks, or None when there is none to use (see README, section qa)."""
    if no_glossary:
        return None
    try:
        from ..glossary import Glossary  # lands with the glossary stage
    except ImportError:
        if path:
            from ..core.errors import InputError

            raise InputError(f"{path}: this workbench has no glossary support installed; run without --glossary")
        return None
    return Glossary.load(path) if path else _default_glossary(Glossary)


def _default_glossary(cls):
    from ..core.errors import WorkbenchError

    try:
        return cls.load()
    except WorkbenchError:
        return None


def cmd_qa(args) -> int:
    langs = parse_langs(args.lang) if args.lang else None
    glossary = load_glossary(args.glossary, args.no_glossary)
    with Project.open(args.project) as project:
        findings = check_project(project, langs, glossary=glossary)
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
