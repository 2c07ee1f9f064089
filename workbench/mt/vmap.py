"""A target-language vocabulary restriction for CTranslate2 (``use_vmap``).

The output layer over the whole vocabulary (62,518 tokens for opus-mt-en-ru) is most of a Marian decoder's
work. An OPUS-MT model writes its target side with ``target.spm`` only, so the pieces it can produce are the
target sentencepiece model's; of those, a Russian or Khmer translation needs the pieces written in the target
language's script, plain ASCII (names, numbers, URLs, placeholders) and pieces without letters (punctuation,
digits, ``▁``). That set is the map's fixed line; a source piece outside it (a name in another script, an
accented Latin name) maps to itself, so a name can still be copied through. The rest of the vocabulary (the
source language's own pieces, other scripts of a multi-target model) is never scored.

The map is ``vmap.txt`` in the CTranslate2 folder (CTranslate2's format: ``source n-gram<TAB>target tokens``,
an empty source side for the tokens that are always candidates), with ``vmap.json`` recording the languages it
was built for; it is rebuilt when those change.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from ..core.config import check_lang
from ..text.scripts import SCRIPT_BLOCKS
from .tokenizer import SpmTokenizer, is_language_code

VMAP_FILE = "vmap.txt"
VMAP_INFO = "vmap.json"
#: bump when the rule below changes (maps built by an older rule are rebuilt)
VMAP_VERSION = 1
_SPACE = re.compile(r"\s")  # the map's separators: a token holding one cannot be written


def _allowed_letters(langs: Sequence[str]) -> re.Pattern:
    blocks = "".join(SCRIPT_BLOCKS[lang] for lang in langs if lang in SCRIPT_BLOCKS)
    return re.compile(f"[A-Za-z{blocks}]")


def _fits(piece: str, allowed: re.Pattern) -> bool:
    """True when every letter (and combining mark) of ``piece`` is ASCII or of the target scripts."""
    for ch in piece:
        if unicodedata.category(ch)[0] in "LM" and not allowed.match(ch):
            return False
    return True


def target_vocabulary(tok: SpmTokenizer, langs: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(fixed, copyable)``: the tokens always scored when translating into ``langs``, and the source pieces
    outside them that may be copied when the source has them."""
    langs = [check_lang(lang) for lang in langs]
    allowed = _allowed_letters(langs)
    vocab = tok.target_encoder
    target_pieces = {tok.spm_target.IdToPiece(i) for i in range(tok.spm_target.GetPieceSize())}
    fixed = [t for t in vocab if not _SPACE.search(t) and (t in tok.special_tokens or is_language_code(t)
                                                         or (t in target_pieces and _fits(t, allowed)))]
    fixed_set = set(fixed)
    source_pieces = (tok.spm_source.IdToPiece(i) for i in range(tok.spm_source.GetPieceSize()))
    copyable = [p for p in source_pieces if p in vocab and p not in fixed_set and not _SPACE.search(p)
                and not _fits(p, allowed)]
    return fixed, copyable


def ensure_vmap(ct2_dir: Path, tok: SpmTokenizer, langs: Sequence[str]) -> tuple[int, int] | None:
    """Write ``vmap.txt`` for ``langs`` into ``ct2_dir`` unless an up-to-date one is there. Returns ``(fixed
    tokens, vocabulary size)``, or None when the folder is read-only (CTranslate2 then scores every token)."""
    langs = sorted({check_lang(lang) for lang in langs})
    info_path = ct2_dir / VMAP_INFO
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = None
    if (isinstance(info, dict) and info.get("langs") == langs and info.get("version") == VMAP_VERSION
            and (ct2_dir / VMAP_FILE).is_file()):
        return int(info.get("fixed", 0)), int(info.get("vocabulary", 0))
    fixed, copyable = target_vocabulary(tok, langs)
    lines = ["\t" + " ".join(fixed)] + [f"{p}\t{p}" for p in copyable]
    try:
        for name, text in ((VMAP_FILE, "\n".join(lines) + "\n"),
                           (VMAP_INFO, json.dumps({"version": VMAP_VERSION, "langs": langs, "fixed": len(fixed),
                                                   "vocabulary": len(tok.target_encoder)}))):
            tmp = ct2_dir / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, ct2_dir / name)
    except OSError:
        return None
    return len(fixed), len(tok.target_encoder)
