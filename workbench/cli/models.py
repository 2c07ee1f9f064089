"""``workbench models list|pull|import|convert``: the MT model registry and installed models."""

from __future__ import annotations

import sys

from ..core.config import parse_langs
from ..core.errors import ModelUnavailable
from ..mt.ct2 import convert
from ..mt.pull import pull
from ..mt.registry import get_model, list_models, register_local, set_default
from .progress import Bars, add_quiet


def register(sub) -> None:
    p = sub.add_parser("models", help="MT models: list, pull (download), import a local copy, convert to CTranslate2")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION")
    msub.required = True

    q = msub.add_parser("list", help="registered models, installed or not, backend and size")
    q.set_defaults(func=cmd_list)

    q = msub.add_parser("pull", help="download a registered model from the Hugging Face Hub (needs internet)")
    q.add_argument("name")
    q.add_argument("--revision", help="a Hub branch, tag or commit (default: main)")
    add_quiet(q)
    q.set_defaults(func=cmd_pull)

    q = msub.add_parser("import", help="register a local Marian model directory under NAME")
    q.add_argument("name", help="registry name (a built-in one such as Helsinki-NLP/opus-mt-en-ru, or a new one)")
    q.add_argument("dir", help="folder with config.json, source.spm, target.spm, vocab.json and the weights")
    q.add_argument("--from", dest="src", default="en", help="source language (default: en)")
    q.add_argument("--to", help="target languages, e.g. ru or ru,km (default: from the registry or the vocabulary)")
    q.add_argument("--copy", action="store_true", help="copy the folder into the workbench data directory")
    q.add_argument("--default", action="store_true", help="make it the default model for its language pairs")
    add_quiet(q)
    q.set_defaults(func=cmd_import)

    q = msub.add_parser("default", help="use an installed model for its language pairs from now on")
    q.add_argument("name")
    q.set_defaults(func=cmd_default)

    q = msub.add_parser("convert", help="convert an installed model to CTranslate2 (used automatically after)")
    q.add_argument("name")
    q.add_argument("--quantization", default="int8", help="int8 (default), int8_float32, int16 or float32")
    q.add_argument("--force", action="store_true", help="convert again even if a converted copy exists")
    q.set_defaults(func=cmd_convert)


def _size(n: int) -> str:
    if n <= 0:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def cmd_list(args) -> int:
    rows = [("NAME", "PAIR", "INSTALLED", "BACKEND", "SIZE", "TOKENS", "DEFAULT")]
    for e in list_models():
        pairs = ",".join(f"{e.src}-{t}" for t in e.tgt)
        rows.append((e.name, pairs, "yes" if e.installed else "no", "+".join(e.backends) or "-",
                     _size(e.disk_size()) if e.installed else (e.size or "-"),
                     ",".join(f"{k}:{v}" for k, v in e.tokens.items()) or "-", "yes" if e.default else ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return 0


def cmd_pull(args) -> int:
    with Bars(args) as bars:
        dest = pull(args.name, revision=args.revision, progress=bars.callback("download", unit="B"))
    print(f"installed {args.name} in {dest}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    with Bars(args) as bars:
        e = register_local(args.name, args.dir, src=args.src, tgts=parse_langs(args.to) if args.to else None,
                           default=args.default, copy=args.copy, progress=bars.callback("copy", unit="B"))
    tokens = ", ".join(f"{k} {v}" for k, v in e.tokens.items()) or "single target"
    print(f"registered {e.name}: {e.src} -> {','.join(e.tgt)} ({tokens}) at {e.model_dir}", file=sys.stderr)
    return 0


def cmd_convert(args) -> int:
    e = get_model(args.name)
    if not e.installed:
        raise ModelUnavailable(f"model {e.name} is not installed: run 'workbench models pull {e.name}' or "
                               f"'workbench models import {e.name} DIR' first")
    dest = convert(e.model_dir, quantization=args.quantization, name=e.name, force=args.force)
    print(f"converted {e.name} to CTranslate2 ({args.quantization}) in {dest}", file=sys.stderr)
    return 0


def cmd_default(args) -> int:
    e = get_model(args.name)
    if not e.installed:
        raise ModelUnavailable(f"model {e.name} is not installed: run 'workbench models pull {e.name}' or "
                               f"'workbench models import {e.name} DIR' first")
    e = set_default(e.name)
    print(f"{e.name} is now the default for {', '.join(f'{e.src}->{t}' for t in e.tgt)}", file=sys.stderr)
    return 0
