"""Translatable blocks of a document: plain text, Markdown and HTML readers (before cleaning)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.errors import InputError
from .lines import parse_date, tidy


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


# ------------------------------------------------------------------------------------------------ blocks

@dataclass
class Block:
    text: str
    kind: str = "para"  # para | heading | item | line


_SALUTATION = re.compile(r"^\S.{0,60},$")


def _starts_new(line: str) -> bool:
    """The line starts like a new unit: a capital, a digit, an opening quote or bracket, an uncased script."""
    ch = line.lstrip()[:1]
    return bool(ch) and not ch.islower() and ch not in ",;:)]»”’-–—"


def line_break_is_boundary(line: str, nxt: str, width: int) -> bool:
    """Whether a single line break between ``line`` and ``nxt`` separates two units (a heading, a date or a
    salutation from what follows) rather than wrapping one paragraph.

    A line ends a unit when the next line starts a new one (not lower case) and the first word of the next
    line would have fitted on it: the break was made by hand, not by wrapping at ``width`` (the longest line of
    the paragraph), so a heading or a date on its own line is not glued to the sentence after it. A
    salutation ("Mr. President,"), a date on either line and a heading in capitals are boundaries whatever the
    width.
    """
    a, b = tidy(line), tidy(nxt)
    if not a or not b or a.endswith(("-", "\u00ad")) or not _starts_new(b):
        return False
    if (_SALUTATION.match(a) and len(a.split()) <= 5) or parse_date(a) or parse_date(b):
        return True
    if a.isupper() and len(a) > 3 and not b.isupper():  # a heading in capitals
        return True
    first = b.split()[0]
    return len(a) + 1 + len(first) <= width


def line_groups(lines: list[str]) -> list[list[str]]:
    """Consecutive lines of one paragraph grouped into units: a break by hand after a heading, a date or a
    salutation starts a new unit (:func:`line_break_is_boundary`), a list item always does."""
    width = max((len(tidy(ln)) for ln in lines), default=0)
    groups: list[list[str]] = []
    for k, ln in enumerate(lines):
        if groups and not _LIST_MARK.match(ln) and not line_break_is_boundary(lines[k - 1], ln, width):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def text_blocks(text: str) -> list[Block]:
    """Plain text: blank lines separate blocks; a block of short lines (menus, addresses, headings) keeps each
    line as its own block; otherwise lines are hard-wrapped prose (one paragraph), except that a heading, a
    date or a salutation on a line of its own is a block of its own (:func:`line_groups`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[Block] = []
    for chunk in re.split(r"\n[ \t\u00a0\u200b\u3000]*\n", text):
        lines = [ln for ln in chunk.split("\n") if tidy(ln)]
        if not lines:
            continue
        if len(lines) > 1 and max(len(tidy(ln)) for ln in lines) < 40:
            out.extend(Block(tidy(ln), "line") for ln in lines)
            continue
        for group in line_groups(lines):
            out.append(Block(tidy(" ".join(group)), "para"))
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


def markdown_blocks(text: str) -> tuple[list[Block], dict]:
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
            for group in line_groups(para):
                t = _md_inline(" ".join(group))
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


def html_blocks(text: str, origin: str) -> tuple[list[Block], dict]:
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


