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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: far above any article; protects the store and the UI
FORMATS = ("txt", "md", "html")
_EXT_FORMAT = {
    ".txt": "txt", ".text": "txt", "": "txt",
    ".md": "md", ".markdown": "md", ".mdown": "md", ".mkd": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}


@dataclass
class IngestedDocument:
    title: str
    date: str | None
    byline: str | None
    paragraphs: list[str]
    origin: str
    format: str
    text: str = ""
    dropped: list[str] = field(default_factory=list)  # the furniture removed (for display / debugging)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = "\n\n".join(self.paragraphs)


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
        blocks, meta = _html_blocks(text, origin)
    elif fmt == "md":
        blocks, meta = _markdown_blocks(text)
    else:
        blocks, meta = _text_blocks(text), {}
    doc = clean_blocks(blocks, origin=origin, fmt=fmt)
    if meta.get("title") and not doc.title:
        doc.title = meta["title"]
    if meta.get("date") and not doc.date:
        doc.date = parse_date(meta["date"]) or doc.date
    if not doc.paragraphs:
        raise InputError(f"{origin}: no translatable text found (only page furniture or markup); "
                         f"check that it is the right file")
    return doc


# ------------------------------------------------------------------------------------------------ blocks

@dataclass
class Block:
    text: str
    kind: str = "para"  # para | heading | item | line


def tidy(text: str) -> str:
    """Whitespace only: NBSP, tabs and runs of spaces become one space; soft hyphens and controls go."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u00ad\u200e\u200f\ufeff]", "", text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    text = re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\r\n]+", " ", text)
    return text.strip(" \u200b")


def _text_blocks(text: str) -> list[Block]:
    """Plain text: blank lines separate blocks; a block of long lines is hard-wrapped prose (one paragraph),
    a block of short lines (menus, addresses, headings) keeps each line as its own block."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[Block] = []
    for chunk in re.split(r"\n[ \t\u00a0\u200b\u3000]*\n", text):
        lines = [ln for ln in chunk.split("\n") if tidy(ln)]
        if not lines:
            continue
        if len(lines) > 1 and len(tidy(lines[0])) >= 40 and not any(_LIST_MARK.match(ln) for ln in lines[1:]):
            out.append(Block(tidy(" ".join(lines)), "para"))
        else:
            out.extend(Block(tidy(ln), "line" if len(lines) > 1 else "para") for ln in lines)
    return out


_LIST_MARK = re.compile(r"^\s*(?:[-*+•‣◦⁃]|\d{1,3}[.)])\s+")

# ------------------------------------------------------------------------------------------------ Markdown

_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images: dropped (alt text is not prose)
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _em_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strike
    (re.compile(r"`+([^`]+)`+"), r"\1"),  # code spans
]


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")


def _md_inline(text: str) -> str:
    # escaped characters are set aside first so that "\*" never opens emphasis
    escaped: list[str] = []
    text = text.replace("\x00", "")  # NUL marks the held characters below; it is never text

    def hold(m: re.Match) -> str:
        escaped.append(m.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = _MD_ESCAPE.sub(hold, text)
    for pat, rep in _MD_INLINE:
        text = pat.sub(rep, text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m.group(1))], text)
    return tidy(text)


def _markdown_blocks(text: str) -> tuple[list[Block], dict]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict = {}
    fm = re.match(r"---\n(.*?)\n(?:---|\.\.\.)\n", text, re.S)
    if fm:  # YAML front matter: only title/date are read, the rest is metadata
        for line in fm.group(1).splitlines():
            m = re.match(r"(title|date)\s*:\s*(.+)", line.strip(), re.I)
            if m:
                meta[m.group(1).lower()] = m.group(2).strip().strip("\"'")
        text = text[fm.end():]
    text = re.sub(r"^\[[^\]]+\]:\s*\S+.*$", "", text, flags=re.M)  # link reference definitions
    out: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            t = _md_inline(" ".join(para))
            if t:
                out.append(Block(t, "para"))
            para.clear()

    lines = text.split("\n")
    i = 0
    fence = None
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            i += 1
            continue
        m = re.match(r"(```+|~~~+)", stripped)
        if m:  # fenced code is not translatable prose
            flush()
            fence = m.group(1)
            i += 1
            continue
        if not stripped:
            flush()
            i += 1
            continue
        if re.fullmatch(r"(?:[-*_]\s*){3,}", stripped):  # horizontal rule (or setext underline, handled below)
            flush()
            i += 1
            continue
        if i + 1 < len(lines) and para == [] and re.fullmatch(r"=+|-+", lines[i + 1].strip() or "x"):
            out.append(Block(_md_inline(stripped), "heading"))  # setext heading
            i += 2
            continue
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", stripped)
        if m:
            flush()
            t = _md_inline(m.group(1))
            if t:
                out.append(Block(t, "heading"))
            i += 1
            continue
        if stripped.startswith("|"):  # table row: each cell is a block; the |---| row is dropped
            flush()
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                out.extend(Block(_md_inline(c), "item") for c in cells if _md_inline(c))
            i += 1
            continue
        if re.match(r"(?: {4}|\t)", line) and not para:  # indented code block
            i += 1
            continue
        line = re.sub(r"^\s*(?:>\s?)+", "", line)  # blockquote markers
        m = re.match(r"\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)", line)
        if m:
            flush()
            para.append(re.sub(r"^\[[ xX]\]\s+", "", m.group(1)))  # task-list boxes
            i += 1
            # list item continuation lines (indented, not a new item)
            while i < len(lines) and lines[i].strip() and re.match(r"\s{2,}\S", lines[i]) \
                    and not re.match(r"\s*(?:[-*+]|\d{1,3}[.)])\s+", lines[i]):
                para.append(lines[i].strip())
                i += 1
            t = _md_inline(" ".join(para))
            para.clear()
            if t:
                out.append(Block(t, "item"))
            continue
        para.append(line.rstrip("\\ ").strip())  # trailing "\" or two spaces: a hard line break
        i += 1
    flush()
    return out, meta


# ------------------------------------------------------------------------------------------------ HTML

_HTML_DROP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg",
              "button", "select", "option", "input", "textarea", "iframe", "object", "embed", "canvas", "menu",
              "head"}
_HTML_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd", "td", "th",
               "caption", "figcaption", "address", "div", "section", "article", "main", "table", "ul", "ol",
               "dl", "tr", "body", "center", "summary", "details", "time", "hr"}
_FURNITURE_HINT = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|share|sharing|social|cookie|cookies|banner|"
    r"footer|header|sidebar|lang(?:uage)?-?(?:switch|select|bar|menu)?|skip|pagination|pager|subscribe|"
    r"related|tags|toolbar|print|search|login|portlet-title|portlet-topper|sr-only|visually-hidden)(?:$|[\s_-])",
    re.I,
)


def _html_blocks(text: str, origin: str) -> tuple[list[Block], dict]:
    from lxml import etree, html as lhtml

    parser = lhtml.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                              default_doctype=False)
    # An XML declaration ("<?xml ... encoding=...?>" in XHTML) is meaningless once decoded; lxml refuses it.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    # Control characters and lone surrogates are HTML parse errors; lxml keeps them in text nodes but then
    # refuses them on any later edit (drop_tree: "All strings must be XML compatible"). Found by fuzzing.
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", " ", text)
    try:
        root = lhtml.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{origin}: cannot be read as HTML ({exc}); check the file or give it as .txt") from None
    meta: dict = {}
    t = root.find(".//title")
    if t is not None and t.text_content().strip():
        meta["title"] = tidy(t.text_content())
    for m in root.iter("meta"):
        prop = (m.get("property") or m.get("name") or "").lower()
        if prop in ("article:published_time", "date", "dc.date", "pubdate") and m.get("content"):
            meta.setdefault("date", m.get("content"))
    tm = root.find(".//time[@datetime]")
    if tm is not None:
        meta.setdefault("date", tm.get("datetime"))

    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        role = (el.get("role") or "").lower()
        hint = " ".join(filter(None, [el.get("class"), el.get("id")]))
        hidden = el.get("hidden") is not None or el.get("aria-hidden") == "true" or \
            re.search(r"display\s*:\s*none", el.get("style") or "")
        if tag in _HTML_DROP or role in ("navigation", "banner", "contentinfo", "search", "menu", "menubar") \
                or hidden or (tag not in ("body", "html", "main", "article") and _FURNITURE_HINT.search(hint)):
            if el.getparent() is not None:
                el.drop_tree()
    # Prefer the main content container when the page marks one.
    body = root.find(".//article") if root.find(".//main") is None else root.find(".//main")
    if body is None or not tidy(body.text_content()):
        body = root.find(".//body")
    if body is None:
        body = root

    blocks: list[Block] = []
    buf: list[str] = []
    kind = ["para"]

    def flush() -> None:
        t = tidy("".join(buf))
        if t:
            blocks.append(Block(t, kind[0]))
        buf.clear()
        kind[0] = "para"

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        is_block = tag in _HTML_BLOCK
        if is_block:
            flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                kind[0] = "heading"
            elif tag in ("li", "td", "th", "dt", "dd"):
                kind[0] = "item"
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if is_block:
            flush()
        elif tag == "br":
            buf.append("\n")

    walk(body)
    flush()
    return blocks, meta


# ------------------------------------------------------------------------------------------------ dates

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7, "август": 8,
    "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = r"(?:\s*(?:,|at|в|\||-|–)?\s*(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?::[0-5]\d)?\s*(?P<ampm>[ap]\.?m\.?)?)?"
_LABEL = r"(?:(?:published|posted|updated|last updated|date|дата|опубликовано|обновлено)\s*:?\s*)?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+|(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),?\s+)?"
_DATE_PATTERNS = [
    # 29 December 2020 17:39 / 29 December 202017:39 (glued) / 29 декабря 2020 г.
    re.compile(rf"^{_LABEL}{_WEEKDAY}(?P<d>\d{{1,2}})\s*(?P<mon>{_MONTH_RE})\.?,?\s*(?P<y>\d{{4}})(?:\s*г\.?|\s*года)?{_TIME}$", re.I),
    # December 29, 2020 17:39
    re.compile(rf"^{_LABEL}{_WEEKDAY}(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>\d{{4}}){_TIME}$", re.I),
    # 2020-12-29 17:39 / 2020-12-29T17:39:00+07:00
    re.compile(rf"^{_LABEL}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:T(?P<h2>\d{{2}}):(?P<mi2>\d{{2}})\S*)?{_TIME}$", re.I),
    # 29.12.2020 17:39 / 29/12/2020
    re.compile(rf"^{_LABEL}(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})[./](?P<y>\d{{4}})(?:\s*г\.?)?{_TIME}$", re.I),
]


def parse_date(text: str) -> str | None:
    """A whole line that is only a date (and time) -> ``"YYYY-MM-DD"`` or ``"YYYY-MM-DD HH:MM"``; else None."""
    s = tidy(text).strip(" •·|-–—()[]")
    for pat in _DATE_PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        g = m.groupdict()
        month = _MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
        day, year = int(g["d"]), int(g["y"])
        if not (1 <= month <= 12 and 1 <= day <= 31 and 1800 <= year <= 2200):
            return None
        out = f"{year:04d}-{month:02d}-{day:02d}"
        h, mi = g.get("h") or g.get("h2"), g.get("mi") or g.get("mi2")
        if h is not None and mi is not None:
            hour = int(h)
            ampm = (g.get("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            out += f" {hour:02d}:{int(mi):02d}"
        return out
    return None


# ------------------------------------------------------------------------------------------------ cleaning

_LOCALE_TOKEN = re.compile(r"^(?:[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?\d*|[A-Z]{2,3}\d*|[A-Z][a-z]?[-_][A-Z]{2}\d*)$")
_LANG_NAMES = {
    "english", "русский", "russian", "français", "francais", "french", "deutsch", "español", "espanol",
    "中文", "العربية", "ខ្មែរ", "ភាសាខ្មែរ", "khmer", "eng", "rus", "рус", "англ", "english version",
}
_SEP_ONLY = re.compile(r"^[\s|/•·,;:‣◦⁃\-–—>»«<›‹]*$")
_COPYRIGHT = re.compile(r"(?:^©|\(c\)\s*\d{4}|copyright\b|all rights reserved|все права защищены)", re.I)
# Labels that content-management portals print on their widgets and pages (general UI vocabulary).
_UI_LABELS = {
    "asset publisher", "web content display", "advanced settings", "settings", "configuration", "options",
    "navigation", "navigation menu", "breadcrumb", "breadcrumbs", "menu", "main menu", "search", "search results",
    "share", "share this", "print", "print version", "printable version", "print this page", "email", "e-mail",
    "subscribe", "rss", "back", "back to top", "go back", "return", "next", "previous", "read more", "more",
    "skip to content", "skip to main content", "sign in", "log in", "login", "register", "contacts", "contact us",
    "sitemap", "site map", "home", "home page", "tags", "related", "related articles", "related news", "comments",
    "loading", "loading...", "close", "toggle navigation", "cookie settings", "accept", "accept cookies",
    "version for the visually impaired", "accessibility", "follow us", "top", "up", "permalink", "download",
    "версия для печати", "распечатать", "поделиться", "главная", "поиск", "назад", "наверх", "подробнее",
    "читать далее", "все новости", "контакты", "карта сайта", "войти", "вход", "настройки", "дополнительные настройки",
    "версия для слабовидящих", "меню", "теги", "комментарии", "подписаться",
}
_BYLINE = re.compile(
    r"^(?:an?\s+)?(?:article|op-?ed|opinion|interview|statement|speech|remarks|address|commentary|column|"
    r"message|letter|comment)s?\b.{0,80}\bby\b|^by\s+[A-Z]|^(?:статья|интервью|заявление|выступление|"
    r"комментарий|послание)\b.{0,120}",
    re.I,
)
_TERMINAL = re.compile(r"[.!?…:;។៕][\"'”’»)\]]*$")


def _is_switcher(text: str) -> bool:
    """A language switcher: only locale codes or language names, e.g. "en-GB1 ru-RU1", "EN | RU | KM"."""
    body = text.strip(" •·|/-–—[]()")
    if not body:
        return False
    tokens = [t for t in re.split(r"[\s|/•·,]+", body) if t]
    if not tokens or len(tokens) > 12:
        return False
    strong = 0
    for tok in tokens:
        low = tok.lower()
        if low in _LANG_NAMES:
            strong += 1
        elif _LOCALE_TOKEN.match(tok):
            if re.search(r"[-_]|\d", tok) or tok.isupper() or len(tokens) > 1:
                strong += 1 if (re.search(r"[-_]|\d", tok) or len(tokens) > 1) else 0
            else:
                return False
        else:
            return False
    if strong == 0:
        return False
    # "EU" or "UN" alone is a word, not a switcher; "en-GB", "EN | RU", "en-GB1 ru-RU1" are switchers.
    return len(tokens) > 1 or bool(re.search(r"[-_]|\d", tokens[0])) or tokens[0].lower() in _LANG_NAMES


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text)


def _is_short(text: str) -> bool:
    """Menu-like: at most three words, no sentence punctuation, not long."""
    return len(_words(text)) <= 3 and len(text) <= 40 and not _TERMINAL.search(text)


def _is_prose(text: str) -> bool:
    """A body paragraph: a real sentence (several words ending with sentence punctuation)."""
    words = [w for w in _words(text) if not w.isdigit()]
    return len(words) >= 6 and bool(re.search(r"[.!?…។៕][\"'”’»)\]]*(?:\s|$)", text)) and not parse_date(text)


# Words that mark a short line as interface rather than content (used before and after the body only).
_UI_WORDS = set("""
widget widgets portlet portlets publisher footer header sidebar banner menu navigation nav settings preferences
configuration options links login logout signin search subscribe subscription share sharing print printable
cookie cookies breadcrumb breadcrumbs panel toolbar slider carousel rss feed newsletter sitemap viewer asset
assets display admin edit
меню навигация настройки поиск виджет подписка подписаться рассылка печати печать поделиться войти выйти
""".split())


def _is_ui_line(text: str) -> bool:
    return any(w.lower() in _UI_WORDS for w in _words(text))


def _is_name_like(text: str) -> bool:
    words = _words(text)
    return 2 <= len(words) <= 4 and all(w[0].isupper() and not w.isupper() for w in words) and not _is_ui_line(text)


def clean_blocks(blocks: list[Block], *, origin: str = "<pasted text>", fmt: str = "txt") -> IngestedDocument:
    """Remove page furniture from ``blocks`` and find title, byline and date. General rules:

    1. anywhere: lines of only separators/bullets, language switchers ("en-GB1 ru-RU1", "EN | RU"), copyright
       lines, and lines that are exactly a common portal/UI label ("Asset Publisher", "Print version") go;
    2. a line that is only a date stamp (also glued to the time: "29 December 202017:39") gives the date and
       goes (before the body only);
    3. before the first body paragraph (the page header): menu-like short lines (<= 3 words, no sentence
       punctuation) go when a longer heading-like line is there to be the title; after the last body
       paragraph (the page footer): short lines go, except a name right after the body (a signature);
    4. inside the body: runs of three or more short lines (a menu) go; a single short line is a sub-heading
       and stays. Headings from Markdown/HTML are never dropped as "short".
    """
    dropped: list[str] = []
    date: str | None = None
    keep: list[Block] = []
    page_like = fmt != "md"  # Markdown is authored, not scraped: only the universal rules apply
    for b in blocks:
        t = b.text
        low = t.lower().strip(" •·|:")
        if _SEP_ONLY.match(t) or _is_switcher(t) or _COPYRIGHT.search(t) or \
                (page_like and b.kind != "heading" and low in _UI_LABELS):
            dropped.append(t)
            continue
        keep.append(b)

    prose_idx = [i for i, b in enumerate(keep) if _is_prose(b.text)]
    first = prose_idx[0] if prose_idx else len(keep)
    last = prose_idx[-1] if prose_idx else len(keep) - 1

    out: list[Block] = []
    header = keep[:first]
    # date stamps in the header (or anywhere when there is no body)
    h2: list[Block] = []
    for b in header:
        d = parse_date(b.text) if b.kind != "heading" else None
        if d:
            date = date or d
            dropped.append(b.text)
        else:
            h2.append(b)
    header = h2
    has_long = any(not _is_short(b.text) for b in header)
    for j, b in enumerate(header):
        if page_like and b.kind != "heading" and _is_short(b.text) and prose_idx \
                and (has_long or j < len(header) - 1 or _is_ui_line(b.text)):
            dropped.append(b.text)
        else:
            out.append(b)

    body = keep[first:last + 1] if prose_idx else []
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and body[j].kind in ("line", "para") and _is_short(body[j].text):
            j += 1
        if j - i >= 3 and page_like:  # a run of menu-like lines
            dropped.extend(b.text for b in body[i:j])
            i = j
            continue
        if j > i:
            out.extend(body[i:j])
            i = j
            continue
        out.append(body[i])
        i += 1

    footer = keep[last + 1:] if prose_idx else []
    signature = True  # a name right after the body is a signature; after page furniture it is furniture
    for b in footer:
        if page_like and b.kind != "heading" and (
                parse_date(b.text) or (_is_short(b.text) and not (signature and _is_name_like(b.text)))):
            dropped.append(b.text)
            signature = False
        else:
            out.append(b)

    if not out and keep:  # never clean a document away entirely: a bare title/heading is still content
        out = keep

    paragraphs = [b.text for b in out]
    byline = next((p for p in paragraphs[:4] if _BYLINE.search(p) and not _is_prose(p)), None)
    title = ""
    for b in out:
        if b.text == byline or _is_prose(b.text):
            if _is_prose(b.text):
                break
            continue
        title = b.text
        break
    if not title:
        title = byline or (paragraphs[0] if paragraphs else "")
    if len(title) > 200:
        title = title[:197].rstrip() + "…"
    return IngestedDocument(title=title, date=date, byline=byline, paragraphs=paragraphs, origin=origin,
                            format=fmt, dropped=dropped)
