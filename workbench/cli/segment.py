"""``workbench segment --lang {en,ru,km} [FILE]``: print one sentence per line (FILE or stdin)."""

from __future__ import annotations

import re
import sys

from ..core.config import check_lang
from ..core.errors import InputError
from ..ingest.readers import MAX_BYTES, decode_bytes, read_text
from ..ingest.segment import split_sentences


def register(sub) -> None:
    p = sub.add_parser("segment", help="split text into sentences, one per line (FILE or stdin)")
    p.add_argument("--lang", required=True, help="language of the text: en, ru or km")
    p.add_argument("file", nargs="?", help="text file (UTF-8, UTF-8/UTF-16 with BOM or cp1251); default: stdin")
    p.set_defaults(func=cmd_segment)


def cmd_segment(args) -> int:
    lang = check_lang(args.lang)
    if args.file and args.file != "-":
        text = read_text(args.file)
    else:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(f"<stdin>: too big (limit {MAX_BYTES // 2**20} MB); split the text into smaller files")
        text = decode_bytes(data, "<stdin>")
        if not text.strip():
            raise InputError("<stdin>: is empty; give some text on standard input or a FILE")
    out = sys.stdout
    for sentence in split_sentences(text.lstrip("\ufeff"), lang):
        # One sentence per line: a line break inside a sentence (hard-wrapped text) is shown as a space.
        out.write(re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ", sentence) + "\n")
    return 0
