"""Ingest: read a source document (plain text, Markdown, HTML), clean it, and return its translatable blocks.

``ingest_file(path)`` / ``ingest_text(text, fmt)`` return an :class:`IngestedDocument`:

* ``paragraphs``: every translatable block in reading order (byline, headline, body paragraphs, headings,
  list items), each with its inner whitespace tidied (NBSP and runs of spaces become one space);
* ``title``: the headline (the first heading-like line, or the first block); ``byline``: an "Article by ..."
  line when there is one; ``date``: ISO ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` from a date stamp line, or None;
* ``text``: the paragraphs joined by blank lines.

Scraped pages carry page furniture (portal widget labels, menus, language switchers, date stamps glued to
times, copyright lines). It is removed with general rules, see :func:`clean_blocks`. Nothing is fetched and no
entity is resolved: HTML is parsed by lxml with network access and entity resolution off.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from ..core.errors import InputError
from .blocks import IngestedDocument, html_blocks, markdown_blocks, text_blocks
from .clean import clean_blocks, parse_date

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: far above any article; protects the store and the UI
FORMATS = ("txt", "md", "html")
_EXT_FORMAT = {
    ".txt": "txt", ".text": "txt", "": "txt",
    ".md": "md", ".markdown": "md", ".mdown": "md", ".mkd": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}




# ------------------------------------------------------------------------------------------------ decoding

_CP1251_LETTERS = set(range(0xC0, 0x100)) | {0xA8, 0xB8}  # А..я, Ё, ё


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(sample) // 100)


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """Decode a document: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1251 (Russian). Else InputError."""
    what = f"{name}"
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{what}: has a UTF-8 mark but is not valid UTF-8 (byte {exc.start}); "
                             f"re-save it as UTF-8") from None
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        # checked before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one (found by fuzzing)
        try:
            text = data.decode("utf-32")
        except UnicodeDecodeError:
            text = None  # e.g. UTF-16 LE text whose first character is U+0000: handled below
        if text is not None:
            if "\x00" in text:
                raise InputError(f"{what}: is a binary file, not text; give a .txt, .md or .html document")
            return text
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{what}: has a UTF-16 mark but is not valid UTF-16; re-save it as UTF-8") from None
        if "\x00" in text:  # NUL characters: not text in UTF-16 either (binary, or another encoding)
            raise InputError(f"{what}: is a binary file, not text; give a .txt, .md or .html document")
        return text
    if _looks_binary(data):
        raise InputError(f"{what}: is a binary file, not text; give a .txt, .md or .html document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # cp1251: accept it only when the high bytes are overwhelmingly Cyrillic letters (Russian text).
    high = [b for b in data if b >= 0x80]
    letters = sum(1 for b in high if b in _CP1251_LETTERS)
    if high and letters / len(high) >= 0.9:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            text = None
        if text is not None and _cyrillic_words_ok(text):
            return text
    raise InputError(f"{what}: unknown text encoding (not UTF-8, UTF-16 or cp1251); re-save it as UTF-8")


def _cyrillic_words_ok(text: str) -> bool:
    """Russian words in cp1251 text: mostly lower-case Cyrillic with few case switches inside words."""
    words = re.findall(r"[А-Яа-яЁё]{2,}", text)
    if not words:
        return False
    odd = sum(1 for w in words if any(c.isupper() for c in w[1:]) and not w.isupper())
    letters = "".join(words)
    lower = sum(1 for c in letters if c.islower())
    # KOI8-R or other Cyrillic code pages read as cp1251 come out mostly upper-case or with case switches.
    return odd / len(words) < 0.2 and lower / len(letters) >= 0.6


def read_text(path: str | os.PathLike) -> str:
    """Read a text file (UTF-8, UTF-8 BOM, UTF-16 BOM, cp1251). Missing, empty, binary, huge -> InputError."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file; give a document file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: too big ({size / 1e6:.1f} MB, limit {MAX_BYTES // 2**20} MB); "
                             f"split it into smaller documents")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    text = decode_bytes(data, str(path))
    if not text.strip(" \t\r\n\f\v\u00a0\u200b\ufeff\u3000"):
        raise InputError(f"{path}: is empty; give a document with some text")
    return text


# ------------------------------------------------------------------------------------------------ entry points

def detect_format(path: str | os.PathLike, text: str | None = None) -> str:
    ext = Path(path).suffix.lower()
    if ext in _EXT_FORMAT and ext != "":
        return _EXT_FORMAT[ext]
    if text is not None:
        head = text.lstrip()[:1000].lower()
        if head.startswith("<!doctype html") or head.startswith("<html") or re.search(r"<(body|p|div|h1)\b", head):
            return "html"
    return "txt"


def format_for_name(name: str | os.PathLike) -> str | None:
    """The document format a file name's extension says ("txt", "md", "html"), or None if it says none."""
    ext = Path(str(name)).suffix.lower()
    return _EXT_FORMAT.get(ext) if ext else None


def _check_fmt(fmt: str | None) -> str | None:
    if fmt is None:
        return None
    f = fmt.lower().lstrip(".")
    f = {"markdown": "md", "htm": "html", "text": "txt"}.get(f, f)
    if f not in FORMATS:
        raise InputError(f"unknown document format {fmt!r}: use one of {', '.join(FORMATS)}")
    return f


def ingest_file(path: str | os.PathLike, fmt: str | None = None) -> IngestedDocument:
    """Read, decode, clean and split a document file into translatable blocks."""
    fmt = _check_fmt(fmt)
    text = read_text(path)
    fmt = fmt or detect_format(path, text)
    return ingest_text(text, fmt=fmt, origin=str(path))


def ingest_text(text: str, fmt: str = "txt", origin: str = "<pasted text>") -> IngestedDocument:
    """Clean and split ``text`` (already decoded) in format ``fmt`` ("txt", "md", "html")."""
    fmt = _check_fmt(fmt) or "txt"
    if text is None or not str(text).strip(" \t\r\n\f\v\u00a0\u200b\ufeff\u3000"):
        raise InputError(f"{origin}: is empty; give a document with some text")
    if len(text) > MAX_BYTES:
        raise InputError(f"{origin}: too big (limit {MAX_BYTES // 2**20} MB); split it into smaller documents")
    text = text.lstrip("\ufeff")
    if fmt == "html":
        blocks, meta = html_blocks(text, origin)
    elif fmt == "md":
        blocks, meta = markdown_blocks(text)
    else:
        blocks, meta = text_blocks(text), {}
    doc = clean_blocks(blocks, origin=origin, fmt=fmt)
    if meta.get("title") and not doc.title:
        doc.title = meta["title"]
    if meta.get("date") and not doc.date:
        doc.date = parse_date(meta["date"]) or doc.date
    if not doc.paragraphs:
        raise InputError(f"{origin}: no translatable text found (only page furniture or markup); "
                         f"check that it is the right file")
    return doc


