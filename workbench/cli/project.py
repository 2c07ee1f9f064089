"""``workbench new`` and ``workbench segments``: create a project from a document; list its segments."""

from __future__ import annotations

import sys

from ..core.config import parse_langs
from ..core.store import Project
from ..ingest.project import create_from_file


def register(sub) -> None:
    p = sub.add_parser("new", help="create a project from a source document (txt, md, html)")
    p.add_argument("project", help="project file to create (SQLite), e.g. article.db")
    p.add_argument("source", help="source document")
    p.add_argument("--to", default="ru,km", help="target languages, comma-separated (default: ru,km)")
    p.add_argument("--from", dest="source_lang", default="en", help="source language (default: en)")
    p.add_argument("--name", help="project name (default: file name)")
    p.add_argument("--format", choices=["txt", "md", "html"], help="source format (default: from the extension)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("segments", help="print a project's segments as TSV")
    p.add_argument("project")
    p.set_defaults(func=cmd_segments)


def cmd_new(args) -> int:
    project = create_from_file(
        args.project, args.source, parse_langs(args.to), source_lang=args.source_lang, name=args.name, fmt=args.format
    )
    with project:
        n = sum(1 for _ in project.segments())
        doc = project.documents()[0]
        print(f"created {args.project}: '{doc.title}' ({doc.date or 'no date'}), {n} segments, "
              f"{project.source_lang} -> {','.join(project.target_langs)}", file=sys.stderr)
    return 0


def _cell(text: str) -> str:
    # TSV: one segment per line, so tabs and newlines inside texts become spaces.
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def cmd_segments(args) -> int:
    with Project.open(args.project) as project:
        out = sys.stdout
        for seg in project.segments():
            cells = [str(seg.id), str(seg.paragraph), _cell(seg.source)]
            for lang in project.target_langs:
                tr = seg.translations.get(lang)
                cells += [tr.status if tr else "new", _cell(tr.text) if tr else ""]
            out.write("\t".join(cells) + "\n")
    return 0
