"""``workbench evaluate``: reference-based MT evaluation of line-aligned files with sacrebleu."""

from __future__ import annotations

import json
import sys

from ..report.metrics import evaluate_files


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="score MT output against references (chrF, BLEU, TER; sacrebleu)")
    p.add_argument("--ref", required=True, action="append", metavar="REF",
                   help="reference file, one segment per line (repeat for several references)")
    p.add_argument("--hyp", required=True, metavar="HYP", help="MT output, line-aligned with the references")
    p.add_argument("--lang", required=True, help="target language: ru or km (en also accepted)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--strip-zwsp", action="store_true",
                   help="Khmer: remove zero-width spaces before chrF (invisible, but chrF counts them)")
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args) -> int:
    res = evaluate_files(args.ref, args.hyp, args.lang, strip_zw=args.strip_zwsp)
    if args.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{res['segments']} segments, target {res['lang']}: {args.hyp} against {', '.join(res['ref'])}")
    for name, score in res["scores"].items():
        print(f"{name:7s} {score:6.2f}  {res['signatures'][name]}")
    if res.get("note"):
        print(res["note"])
    return 0
