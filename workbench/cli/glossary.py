"""``workbench glossary list|search|find|check|add|edit|remove|import|export|validate|history|undo|update``.

Scriptable: data goes to stdout (TSV, or JSON with ``--json``), messages to stderr; exit codes 0 = OK,
1 = nothing found / problems found (``search``, ``validate``, ``check``), 2 = a usage or input error.
Every command takes ``--glossary FILE`` (default: ``$WORKBENCH_GLOSSARY``, else ``glossary/diplomatic.csv``
in the data directory, created from the shipped default on first use); edits are saved atomically and the
previous version goes to the history.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..core.config import check_lang, parse_langs
from ..core.errors import InputError
from ..glossary import Glossary
from ..glossary.attest import attestation, unattested_entry
from ..glossary.glossary import shipped_update, update_from_shipped
from .glossary_mine import add_parser as add_mine_parser
from .progress import Bars, add_quiet

LANG_COLUMNS = ("en", "ru", "km")


def _load(args):
    if not args.glossary:
        notice = shipped_update()
        if notice:
            print(f"workbench: note: {notice}", file=sys.stderr)
    return Glossary.load(args.glossary)


def _common(p, json_flag=False):
    p.add_argument("--glossary", metavar="FILE",
                   help="glossary file (default: $WORKBENCH_GLOSSARY, else $WORKBENCH_HOME/glossary/diplomatic.csv)")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON instead of TSV")


def _case(value):
    if value is None:
        return "keep"
    v = value.lower()
    if v in ("auto", ""):
        return None
    if v in ("yes", "true", "1"):
        return True
    if v in ("no", "false", "0"):
        return False
    raise InputError(f"--case {value!r}: use yes, no or auto")


def register(sub) -> None:
    g = sub.add_parser("glossary", help="the diplomatic glossary: list, search, edit, import/export, validate")
    gs = g.add_subparsers(dest="glossary_command", metavar="ACTION", parser_class=type(g))
    g.set_defaults(func=lambda a: (g.print_help(sys.stderr), 2)[1])

    p = gs.add_parser("list", help="one line per concept: id, domain, en, ru, km (preferred terms)")
    _common(p, True)
    p.add_argument("--domain", help="only concepts of this domain")
    p.add_argument("--lang", help="only concepts with a term in this language")
    p.add_argument("--review", action="store_true", help="only concepts with a term that needs review")
    p.set_defaults(func=cmd_list)

    p = gs.add_parser("search", help="concepts whose id, terms or definition contain QUERY (exit 1 if none)")
    _common(p, True)
    p.add_argument("query")
    p.add_argument("--lang", help="search only the terms of this language")
    p.set_defaults(func=cmd_search)

    p = gs.add_parser("find",
                      help="glossary terms in a text (from the argument or stdin): start, end, concept, status, text")
    _common(p, True)
    p.add_argument("text", nargs="?", help="text (default: read stdin)")
    p.add_argument("--lang", required=True)
    p.set_defaults(func=cmd_find)

    p = gs.add_parser("check", help="term check of one source/target pair (exit 1 on a missing/forbidden term)")
    _common(p, True)
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--from", dest="src_lang", default="en")
    p.add_argument("--to", dest="tgt_lang", required=True)
    p.set_defaults(func=cmd_check)

    p = gs.add_parser("add", help="add a concept, or add terms to an existing one")
    _common(p)
    p.add_argument("concept", help="concept id, e.g. east-asia-summit")
    for lang in LANG_COLUMNS:
        p.add_argument(f"--{lang}", action="append", default=[], metavar="TERM", help=f"{lang} term (repeatable)")
    p.add_argument("--domain", default="")
    p.add_argument("--pos", default="")
    p.add_argument("--definition", default="")
    p.add_argument("--status", default="preferred", help="status of the terms given (default: preferred)")
    p.add_argument("--case", default="auto", help="yes, no or auto (acronyms in capitals only)")
    p.add_argument("--review", action="store_true", help="mark the terms given as needing review")
    p.add_argument("--source", default="", help="what attests the terms")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_add)

    p = gs.add_parser("edit", help="edit a concept's fields, or one term (--lang and --term select it)")
    _common(p)
    p.add_argument("concept")
    p.add_argument("--domain")
    p.add_argument("--pos")
    p.add_argument("--definition")
    p.add_argument("--lang", help="language of the term to edit")
    p.add_argument("--term", help="the term to edit (its current text)")
    p.add_argument("--text", help="new text of the term")
    p.add_argument("--status")
    p.add_argument("--case", help="yes, no or auto")
    p.add_argument("--review", dest="review", action="store_true", default=None)
    p.add_argument("--no-review", dest="review", action="store_false")
    p.add_argument("--source")
    p.add_argument("--note")
    p.set_defaults(func=cmd_edit)

    p = gs.add_parser("remove", help="remove a concept, or one of its terms (--lang and --term)")
    _common(p)
    p.add_argument("concept")
    p.add_argument("--lang")
    p.add_argument("--term")
    p.set_defaults(func=cmd_remove)

    p = gs.add_parser("import", help="merge a glossary file (csv, tbx, xlsx, OmegaT tsv, TICO-19 csv) into the "
                                     "glossary; prints what was kept and left out")
    _common(p)
    p.add_argument("file")
    p.add_argument("--format", choices=["csv", "tbx", "tsv", "tico", "xlsx"])
    _tsv_langs(p, "TSV file:")
    p.add_argument("--langs", metavar="L[,L]", help="keep only these languages (default: en,ru,km)")
    p.add_argument("--strict", action="store_true", help="refuse a file that gives warnings")
    p.add_argument("--replace", action="store_true", help="replace concepts with the same id instead of merging")
    p.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
    add_quiet(p)
    p.set_defaults(func=cmd_import)

    p = gs.add_parser("export", help="write the glossary as csv, tbx (TBX-Basic v3), xlsx or OmegaT tsv")
    _common(p)
    p.add_argument("-o", "--output", metavar="FILE", help="output file ('-' for stdout with --format)")
    p.add_argument("file", nargs="?", help=argparse.SUPPRESS)  # the output file given without -o
    p.add_argument("--format", choices=["csv", "tbx", "tsv", "xlsx"])
    _tsv_langs(p, "TSV:")
    p.set_defaults(func=cmd_export)

    p = gs.add_parser("validate",
                      help="report empty terms, duplicates, preferred+forbidden, unknown languages "
                           "(exit 1 on errors)")
    _common(p, True)
    p.add_argument("file", nargs="?", help="file to validate (default: the glossary)")
    p.add_argument("--format", choices=["csv", "tbx", "tsv", "tico"])
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--unattested", action="store_true",
                   help="also list every term without a published source (code 'unattested')")
    p.add_argument("--lang", help="attestation counts and --unattested for this language only")
    p.set_defaults(func=cmd_validate)

    p = gs.add_parser("history", help="earlier versions of the glossary file")
    _common(p, True)
    p.set_defaults(func=cmd_history)

    p = gs.add_parser("undo",
                      help="restore the version before the last save (or --version N); undo itself can be undone")
    _common(p)
    p.add_argument("--version", type=int, metavar="N", help="version number from `glossary history`")
    p.add_argument("--to", dest="version", type=int, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_undo)

    p = gs.add_parser("update", help="take in the default glossary shipped with this workbench: its new concepts "
                                     "and terms (your edits are kept); --replace takes its version of every "
                                     "concept it has")
    p.add_argument("--replace", action="store_true",
                   help="the shipped version of each shipped concept replaces yours (your own concepts stay)")
    p.set_defaults(func=cmd_update)

    add_mine_parser(gs)  # glossary mine


def _tsv_langs(p, prefix: str) -> None:
    """``--from``/``--to``: the two languages of an OmegaT TSV file (``--src``/``--tgt`` still accepted)."""
    p.add_argument("--from", dest="src", default="en", metavar="L", help=f"{prefix} source language (default en)")
    p.add_argument("--to", dest="tgt", default="ru", metavar="L", help=f"{prefix} target language (default ru)")
    p.add_argument("--src", dest="src", help=argparse.SUPPRESS)
    p.add_argument("--tgt", dest="tgt", help=argparse.SUPPRESS)


# ----------------------------------------------------------------------------------------------- output


def _cell(s: str) -> str:
    return (s or "").replace("\t", " ").replace("\n", " ")


def _row(c) -> str:
    cols = [c.id, c.domain]
    for lang in LANG_COLUMNS:
        t = c.preferred(lang)
        cols.append("" if t is None else t.text + (" (review)" if t.needs_review else ""))
    return "\t".join(_cell(x) for x in cols)


def _print_concepts(concepts, as_json: bool) -> None:
    if as_json:
        json.dump([c.to_dict() for c in concepts], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for c in concepts:
            print(_row(c))


def cmd_list(args) -> int:
    g = _load(args)
    lang = check_lang(args.lang) if args.lang else None
    out = [c for c in g.concepts()
           if (not args.domain or c.domain == args.domain)
           and (not lang or c.terms_in(lang))
           and (not args.review or any(t.needs_review for t in c.terms))]
    _print_concepts(out, args.json)
    return 0


def cmd_search(args) -> int:
    g = _load(args)
    out = g.search(args.query, args.lang)
    _print_concepts(out, args.json)
    return 0 if out else 1


def cmd_find(args) -> int:
    g = _load(args)
    text = args.text if args.text is not None else sys.stdin.read()
    hits = g.find_terms(text, args.lang)
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False))
    else:
        for h in hits:
            print(f"{h.start}\t{h.end}\t{h.concept_id}\t{h.status}\t{_cell(h.matched)}")
    return 0


def cmd_check(args) -> int:
    g = _load(args)
    r = g.check(args.source, args.target, args.src_lang, args.tgt_lang)
    if args.json:
        print(json.dumps(r.as_meta(), ensure_ascii=False))
    else:
        for f in r.found:
            print(f"ok\t{f['concept']}\t{_cell(f['source'])}\t{_cell(f['matched'])}")
        for p in r.problems():
            print(f"{p['severity']}\t{p['concept']}\t{_cell(p.get('source', ''))}\t{_cell(p['message'])}")
    return 0 if r.severity in (None, "info") else 1


def cmd_add(args) -> int:
    g = _load(args)
    terms = [(lang, t) for lang in LANG_COLUMNS for t in getattr(args, lang)]
    case = _case(args.case)
    new = args.concept not in g
    if new:
        if not terms:
            raise InputError(f"concept {args.concept!r} needs at least one term: give --en, --ru or --km")
        g.add_concept(args.concept, domain=args.domain, pos=args.pos, definition=args.definition)
    elif not terms:
        raise InputError(f"concept {args.concept!r} exists: give terms to add (--en/--ru/--km) or use `glossary edit`")
    try:
        for lang, t in terms:
            g.add_term(args.concept, lang, t, status=args.status, case=case, needs_review=args.review,
                       source=args.source, note=args.note)
    except Exception:
        if new:
            g.remove_concept(args.concept)
        raise
    path = g.save(note=f"add {args.concept}")
    print(f"{'added' if new else 'updated'} {args.concept} ({len(terms)} term(s)) in {path}", file=sys.stderr)
    return 0


def cmd_edit(args) -> int:
    g = _load(args)
    g.edit_concept(args.concept, domain=args.domain, pos=args.pos, definition=args.definition)
    term_opts = (args.text, args.status, args.case, args.review, args.source, args.note)
    if args.lang or args.term:
        if not (args.lang and args.term):
            raise InputError("to edit a term give both --lang and --term (its current text)")
        g.edit_term(args.concept, args.lang, args.term, new_text=args.text, status=args.status,
                    case=_case(args.case), needs_review=args.review, source=args.source, note=args.note)
    elif any(v is not None for v in term_opts):
        raise InputError("--text/--status/--case/--review/--source/--note edit a term: add --lang and --term")
    problems = [p for p in g.validate() if p.severity == "error" and p.concept == args.concept]
    if problems:
        raise InputError(f"edit not saved: {problems[0].message}")
    path = g.save(note=f"edit {args.concept}")
    print(f"edited {args.concept} in {path}", file=sys.stderr)
    return 0


def cmd_remove(args) -> int:
    g = _load(args)
    if args.lang or args.term:
        if not (args.lang and args.term):
            raise InputError("to remove a term give both --lang and --term")
        g.remove_term(args.concept, args.lang, args.term)
        what = f"{args.lang} term {args.term!r} of {args.concept}"
    else:
        g.remove_concept(args.concept)
        what = f"concept {args.concept}"
    path = g.save(note=f"remove {args.concept}")
    print(f"removed {what} from {path} (`workbench glossary undo` brings it back)", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    with Bars(args) as bars:
        steps = 3 if args.dry_run else 4  # read the glossary, read the file, merge, save
        bars.update("glossary import", 0, steps, unit="step")
        g = _load(args)
        bars.update("glossary import", 1, steps, unit="step")
        incoming = Glossary.import_file(args.file, args.format, src_lang=args.src, tgt_lang=args.tgt,
                                        langs=parse_langs(args.langs) if args.langs else None, strict=args.strict)
        bars.update("glossary import", 2, steps, unit="step")
        counts = g.merge(incoming, replace=args.replace)
        bars.update("glossary import", 3, steps, unit="step")
        if not args.dry_run:
            g.save(note=f"import {args.file}")
            bars.update("glossary import", 4, steps, unit="step")
    print("\n".join(incoming.import_report.lines()))
    print(f"{'would import' if args.dry_run else 'imported'} {args.file}: {len(incoming)} concepts, "
          f"{counts['added']} added, {counts['updated']} updated, {counts['terms']} terms added")
    return 0


def cmd_export(args) -> int:
    if args.output and args.file and args.output != args.file:
        raise InputError(f"two output files given ({args.file} and -o {args.output}): give one")
    out = args.output or args.file
    if not out:
        raise InputError("glossary export needs an output file: -o FILE (or -o - --format csv|tbx|tsv for stdout)")
    g = _load(args)
    if out == "-":
        if not args.format or args.format == "xlsx":
            raise InputError("export to stdout needs --format csv, tbx or tsv (xlsx: give -o FILE.xlsx)")
        sys.stdout.write(g.dumps(args.format, src_lang=args.src, tgt_lang=args.tgt))
        return 0
    path = g.export(out, args.format, src_lang=args.src, tgt_lang=args.tgt)
    print(f"exported {len(g)} concepts to {path}", file=sys.stderr)
    return 0


def cmd_validate(args) -> int:
    g = Glossary.read(args.file, args.format) if args.file else _load(args)
    problems = g.validate()
    counts = attestation(g.concepts(), [check_lang(args.lang)] if args.lang else None).values()
    listed = [unattested_entry(c, t) for a in counts for c, t in a.unattested] if args.unattested else []
    if args.json:
        info = [{"severity": "info", "code": "attestation", "concept": "", "lang": a.lang,
                 "message": a.summary(), **a.to_dict()} for a in counts]
        print(json.dumps([p.to_dict() for p in problems] + info + listed, ensure_ascii=False))
    else:
        for p in problems:
            print(str(p))
        for e in listed:
            print(f"info\tunattested\t{e['concept']}/{e['lang']}\t{e['message']}")
        for a in counts:
            print(f"attestation {a.summary()}", file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{g.path}: {len(g)} concepts, {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_history(args) -> int:
    g = _load(args)
    hist = g.history()
    if args.json:
        print(json.dumps([{k: v for k, v in h.items() if k != "path"} for h in hist], ensure_ascii=False))
    else:
        for h in hist:
            print(f"{h['version']}\t{h['time']}\t{h['note']}")
    return 0


def cmd_update(args) -> int:
    counts = update_from_shipped(replace=args.replace)
    print(f"updated from the shipped default: {counts['added']} concepts added, {counts['updated']} updated, "
          f"{counts['terms']} terms taken in; the previous version is in `glossary history`", file=sys.stderr)
    return 0


def cmd_undo(args) -> int:
    g = _load(args)
    restored = g.undo(args.version)
    print(f"restored {restored.path} ({len(restored)} concepts); the replaced version is in `glossary history`",
          file=sys.stderr)
    return 0
