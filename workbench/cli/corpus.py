"""``workbench corpus align``: pair the documents of two folders and align every pair into one TMX;
``workbench corpus translate``: pre-translate every document of a folder. Both on Dask.

    workbench corpus align SRC_DIR TGT_DIR --src-lang en --tgt-lang ru -o OUT.tmx [--pairs PAIRS.tsv]
                           [--scheduler tcp://HOST:PORT] [--workers N] [--min-confidence 0.5]
    workbench corpus translate DIR --to ru,km -o OUT_DIR [--format db|txt] [--scheduler ADDRESS]
"""

from __future__ import annotations

import sys

from ..core.errors import InputError
from .progress import Bars, add_quiet
from .translate import add_pretranslate_options

#: how many unpaired or skipped documents are named on stderr (the TSV lists them all)
SHOW = 20


def register(sub) -> None:
    p = sub.add_parser("corpus", help="whole folders of documents: pair and align them, or pre-translate them "
                                      "(on this machine or a Dask cluster)")
    csub = p.add_subparsers(dest="corpus_command", metavar="COMMAND", parser_class=type(p))

    a = csub.add_parser("align", help="pair the documents of two folders and align every pair into one TMX")
    a.add_argument("src_dir", metavar="SRC_DIR", help="folder of source-language documents (txt, md, html)")
    a.add_argument("tgt_dir", metavar="TGT_DIR", help="folder of target-language documents")
    a.add_argument("--src-lang", "--from", dest="src_lang", required=True, help="language of SRC_DIR (en, ru, km)")
    a.add_argument("--tgt-lang", "--to", dest="tgt_lang", required=True, help="language of TGT_DIR")
    a.add_argument("-o", "--output", required=True, metavar="OUT.tmx",
                   help="the TMX to write; OUT.review.tsv, OUT.unpaired.tsv and OUT.state.db go beside it")
    a.add_argument("--pairs", metavar="PAIRS.tsv", help="where to write the document pairs (default OUT.pairs.tsv)")
    a.add_argument("--min-confidence", type=float, default=0.5, metavar="P",
                   help="links below this confidence go to OUT.review.tsv instead of the TMX (default 0.5)")
    a.add_argument("--no-embeddings", action="store_true",
                   help="pair and align on numbers, names, terms and length only (faster)")
    a.add_argument("--glossary", metavar="FILE", help="glossary whose terms anchor pairing and alignment "
                                                      "(default: the default glossary)")
    a.add_argument("--no-glossary", action="store_true", help="no glossary anchors")
    a.add_argument("--state", metavar="FILE", help="the state file that makes a rerun resume (default OUT.state.db)")
    _cluster_args(a)
    add_quiet(a)
    a.set_defaults(func=cmd_align)

    t = csub.add_parser("translate", help="pre-translate every document of a folder (TM, then MT + glossary)")
    t.add_argument("folder", metavar="DIR", help="folder of source documents (txt, md, html)")
    t.add_argument("--to", required=True, metavar="L[,L]", help="target languages, comma-separated (ru,km)")
    t.add_argument("--from", dest="src_lang", default="en", help="language of the documents (default en)")
    t.add_argument("-o", "--output", required=True, metavar="OUT_DIR", help="folder for the results")
    t.add_argument("--format", choices=["db", "txt"], default="db",
                   help="db: one project file per document (default); txt: line-aligned text files per language")
    add_pretranslate_options(t)
    t.add_argument("--glossary", metavar="FILE", help="glossary file (default: the default glossary)")
    _cluster_args(t)
    add_quiet(t)
    t.set_defaults(func=cmd_translate)
    p.set_defaults(func=lambda args: _no_command(p))


def _no_command(p) -> int:
    p.print_help(sys.stderr)
    return 2


def _cluster_args(p) -> None:
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="an existing Dask scheduler (tcp://HOST:PORT); default: a local cluster on this machine")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes of the local cluster (default: the machine's cores)")
    p.add_argument("--worker-home", metavar="DIR",
                   help="the data directory (models, TM, MT cache) as the workers see it; default: this one")
    p.add_argument("--send-text", action="store_true", default=None,
                   help="send the documents to the workers instead of letting them read the files "
                        "(automatic when a worker cannot see the folders)")


def _check_cluster(args) -> None:
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers must be at least 1")
    if args.scheduler and args.workers is not None:
        print("workbench: --workers is ignored with --scheduler (the cluster has its own workers)", file=sys.stderr)


def _list(title: str, rows: list[str], more_in: str | None) -> None:
    if not rows:
        return
    print(title, file=sys.stderr)
    for r in rows[:SHOW]:
        print("  " + r, file=sys.stderr)
    if len(rows) > SHOW:
        print(f"  ... and {len(rows) - SHOW} more" + (f" (all in {more_in})" if more_in else ""), file=sys.stderr)


def cmd_align(args) -> int:
    from ..corpus import align_corpus

    _check_cluster(args)
    glossary = None
    if not args.no_glossary:
        if args.glossary:
            glossary = args.glossary
        else:
            from ..glossary import default_path

            glossary = default_path()
    with Bars(args) as bars:
        progress = None if not bars.on else (
            lambda stage, done, total: bars.update(stage, done, total, unit="pair" if stage == "pairs" else "doc"))
        res = align_corpus(args.src_dir, args.tgt_dir, args.output, src_lang=args.src_lang, tgt_lang=args.tgt_lang,
                           scheduler=args.scheduler, workers=args.workers, pairs_path=args.pairs,
                           state_path=args.state, min_confidence=args.min_confidence,
                           embeddings=not args.no_embeddings, glossary=glossary, send_text=args.send_text,
                           worker_home=args.worker_home, progress=progress)
    unpaired_tsv = str(res.outputs["unpaired"])
    _list(f"skipped ({len(res.skipped)}):", [s.reason for s in res.skipped], unpaired_tsv)
    _list("unpaired:", [f"{side} {name}: {why}" + (f" (best: {best}, {score:.2f})" if best else "")
                        for side, name, why, best, score in res.unpaired], unpaired_tsv)
    _list(f"failed ({len(res.failed)}):", [f"{a} / {b}: {why}" for a, b, why in res.failed], None)
    for line in res.summary():
        print(line, file=sys.stderr)
    return 0


def cmd_translate(args) -> int:
    from ..corpus import translate_corpus

    _check_cluster(args)
    if args.beam < 1 or args.batch_size < 1:
        raise InputError("--beam and --batch-size must be at least 1")
    with Bars(args) as bars:
        progress = None if not bars.on else (
            lambda stage, done, total: bars.update(stage, done, total, unit="doc"))
        res = translate_corpus(args.folder, args.output, args.to, src_lang=args.src_lang, fmt=args.format,
                               scheduler=args.scheduler, workers=args.workers, model=args.model,
                               backend=args.backend, use_tm=not args.no_tm, tm_threshold=args.tm_threshold,
                               use_glossary=not args.no_glossary, glossary=args.glossary, beam=args.beam,
                               batch_size=args.batch_size, send_text=args.send_text,
                               worker_home=args.worker_home, progress=progress)
    _list(f"skipped ({len(res.skipped)}):", [why for _, why in res.skipped], None)
    for line in res.summary():
        print(line, file=sys.stderr)
    return 0

