"""``workbench align``: align two one-sentence-per-line files and print the links; ``workbench align-doc``:
align a translation with a project's document, print what is written and proposed, and write the drafts.

    workbench align --src-lang L1 --tgt-lang L2 SRC TGT [--scores] [-o OUT.tmx]
    workbench align-doc PROJECT TARGET --to L [--dry-run] [--apply-merges] | PROJECT --to L --undo [RUN]

One link per line, ``[i, j]:[k]`` (0-based line numbers; ``[]`` for a 1-0 / 0-1 link), in document order,
covering every line of both files exactly once; ``--scores`` appends a TAB and the confidence.
"""

from __future__ import annotations

import argparse
import ast
import sys

from ..core.config import check_lang
from ..core.errors import InputError, NotFound
from ..core.store import Project
from ..ingest.readers import read_text
from ..tm.tmx import write_tmx
from .progress import Bars, add_quiet

# The aligner (numpy) is imported when an align command runs: the parser imports every command module, and
# the other commands should not pay for numpy at start-up.


def register(sub) -> None:
    p = sub.add_parser("align", help="align two files with one sentence per line; print links [i, j]:[k]")
    p.add_argument("src", metavar="SRC", help="source file, one sentence per line")
    p.add_argument("tgt", metavar="TGT", help="target file, one sentence per line")
    p.add_argument("--src-lang", "--from", dest="src_lang", required=True,
                   help="source language (en, ru, km; de, fr for benchmarks)")
    p.add_argument("--tgt-lang", "--to", dest="tgt_lang", required=True, help="target language")
    p.add_argument("--scores", action="store_true", help="append a TAB and the link's confidence (0..1)")
    p.add_argument("-o", "--output", metavar="OUT.tmx",
                   help="also write the aligned pairs (1-0/0-1 links left out) as TMX 1.4b")
    p.add_argument("--tmx", dest="output", help=argparse.SUPPRESS)
    p.add_argument("--anchor", action="append", default=[], metavar="'[i]:[k]'",
                   help="a link to keep fixed (repeatable), e.g. --anchor '[3]:[3, 4]'")
    p.add_argument("--no-embeddings", action="store_true", help="length and lexical anchors only (faster)")
    add_quiet(p)
    p.set_defaults(func=cmd_align)

    p = sub.add_parser("align-doc", help="align a target-language document with a project's source document: "
                                         "preview, then write drafts (never merges or overwrites by itself)")
    p.add_argument("project", help="project file (SQLite)")
    p.add_argument("target", nargs="?", help="the existing translation (txt, md, html); not needed with --undo")
    p.add_argument("--to", metavar="L", help="language of the target document (ru, km); required")
    p.add_argument("--lang", dest="to", help=argparse.SUPPRESS)
    p.add_argument("--document", type=int, help="document id (default: the project's first document)")
    p.add_argument("--threshold", type=float, default=0.5,
                   help="links below this confidence (probability that the link is right) go to review")
    p.add_argument("--dry-run", action="store_true", help="print what would be written and proposed; write nothing")
    p.add_argument("--apply-merges", action="store_true",
                   help="also accept the merge proposals (n-1 links); segments confirmed or edited by a person "
                        "are never merged")
    p.add_argument("--no-merge", action="store_true", help=argparse.SUPPRESS)  # the default now
    p.add_argument("--undo", nargs="?", type=int, const=0, metavar="RUN",
                   help="undo the latest alignment run of the document (or run RUN) in one step")
    add_quiet(p)
    p.set_defaults(func=cmd_align_doc)


def read_lines(path: str) -> list[str]:
    """The lines of a text file (UTF-8, UTF-16 with BOM, cp1251 accepted), without line ends."""
    lines = read_text(path).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [l.rstrip("\r") for l in lines]


def _parse_anchor(spec: str):
    try:
        s, t = spec.split(":")
        src, tgt = ast.literal_eval(s.strip()), ast.literal_eval(t.strip())
        if not (isinstance(src, list) and isinstance(tgt, list) and all(isinstance(x, int) for x in src + tgt)):
            raise ValueError
    except (ValueError, SyntaxError):
        raise InputError(f"--anchor {spec!r}: write it like '[3]:[3, 4]' (0-based line numbers)") from None
    return src, tgt


def cmd_align(args) -> int:
    from ..align import ALIGN_LANGUAGES, align, link_units

    src_lang, tgt_lang = check_lang(args.src_lang, ALIGN_LANGUAGES), check_lang(args.tgt_lang, ALIGN_LANGUAGES)
    src, tgt = read_lines(args.src), read_lines(args.tgt)
    anchors = [_parse_anchor(a) for a in args.anchor]
    with Bars(args) as bars:
        links = align(src, tgt, src_lang, tgt_lang, anchors=anchors, embedder=None if args.no_embeddings else "auto",
                      progress=bars.callback("align", unit="sent"))
    out = sys.stdout
    for l in links:
        line = l.as_gold()
        if args.scores:
            line += f"\t{l.score:.4f}"
        out.write(line + "\n")
    if args.output:
        units = link_units(links, src, tgt, src_lang, tgt_lang)
        write_tmx(args.output, units, srclang=src_lang)
        print(f"wrote {len(units)} aligned pairs to {args.output}", file=sys.stderr)
    return 0


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def cmd_align_doc(args) -> int:
    from ..align.document import apply_alignment, plan_alignment, review_list, undo_alignment

    if not args.to:
        raise InputError("align-doc needs the language of the target document: --to ru or --to km")
    if args.undo is None and not args.target:
        raise InputError("align-doc needs the target document (or --undo to revert an alignment run)")
    with Project.open(args.project) as project:
        docs = project.documents()
        if not docs:
            raise NotFound(f"{args.project}: the project has no document")
        doc_id = args.document if args.document is not None else docs[0].id
        if args.undo is not None:
            res = undo_alignment(project, doc_id, args.to, args.undo or None)
            print(res.summary(), file=sys.stderr)
            for sid, why in res.skipped:
                print(f"skipped\tid {sid}\t{why}")
            return 0
        with Bars(args) as bars:
            plan = plan_alignment(project, doc_id, args.to, args.target, threshold=args.threshold,
                                  progress=bars.callback("align", unit="sent"))
        out = sys.stdout
        # what is (or would be) written: position, segment id, confidence, source, new target text
        for row in plan.preview():
            out.write(f"write\t{row.position}\tid {row.segment_id}\t{row.confidence:.2f}\t"
                      f"{_one_line(row.source)}\t{_one_line(row.new)}\n")
        for k, l in enumerate(plan.proposals):
            span = f"{l.positions[0]}-{l.positions[-1]}"
            note = f"\t(blocked: {l.blocked})" if l.blocked else ""
            out.write(f"merge\t{k + 1}\t{span}\t{l.confidence:.2f}\t"
                      f"{_one_line(' '.join(plan.sources[s] for s in l.segment_ids))}\t{_one_line(l.text)}{note}\n")
        if args.dry_run:
            print(f"preview of document {doc_id} with {args.target} (nothing written): {plan.summary()}",
                  file=sys.stderr)
            return 0
        res = apply_alignment(project, plan, merges="all" if args.apply_merges else ())
        print(f"aligned document {doc_id} with {args.target} (run {res.run_id}; undo with --undo): "
              f"{res.summary()}", file=sys.stderr)
        rl = review_list(project, doc_id, args.to)
        for item in rl.items:
            if item.kind == "link":
                out.write(f"review\t{item.positions[0]}\tid {item.segment_id}\t{item.confidence:.2f}\t"
                          f"{_one_line(item.source)}\t{_one_line(item.target)}\n")
        for g in rl.groups:
            out.write(f"{g.kind}\t{g.ranges}\t{len(g)}\t{g.title}\n")
    return 0
