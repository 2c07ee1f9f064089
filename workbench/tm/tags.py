"""Inline codes of a TMX segment, and the tags that stand for them in a translation's text.

A TMX ``<seg>`` may hold inline codes: ``<bpt>``/``<ept>`` (the two halves of a paired code such as bold),
``<ph>`` (a placeholder: an image, a line break), ``<it>`` (a code whose other half is in another
segment), ``<ut>`` (deprecated), ``<hi>`` (highlighted text) and ``<sub>`` (a sub-flow inside a code). They
are formatting, not sentence text: matching and the fuzzy score use the plain text (:func:`plain_text`).

In a translation's text the codes appear as short tags a translator can see, move and type:

``<g1>…</g1>``   a paired code (``bpt``/``ept``, or ``hi``) around the text it formats;
``<x2/>``        a standalone code (``ph``, ``ut``, a ``bpt`` or ``ept`` without its partner);
``<b3/>``, ``<e3/>``  the beginning / end of a code whose other half is in another segment (``it``).

Numbers count from 1 in the order the codes appear in the segment. The original codes are kept beside the
text as a list of dicts (:func:`codes_of`; stored in the translation's ``meta["tm"]["codes"]``):
``{"id": 1, "kind": "g", "open": "<bpt i=\\"1\\">&lt;b&gt;</bpt>", "close": "<ept i=\\"1\\">&lt;/b&gt;</ept>"}``
or ``{"id": 2, "kind": "x", "xml": "<ph x=\\"2\\">&lt;br/&gt;</ph>"}``. :func:`to_markup` turns tagged text
and its codes back into TMX ``<seg>`` content, always well-formed: a tag whose code is unknown stays
text, a paired tag that lost its partner becomes an ``<it>``, a repeated pair gets a fresh ``i``.

A control character XML 1.0 cannot carry is written as ``<ph type="x-ctrl">U+0007</ph>`` and read back
as the character (it is not a code). Literal text that happens to look like a tag (``<x1/>``) is only
taken as a tag when the code list has that number and kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: a tag of the notation: <g1>, </g1>, <x1/>, <b1/>, <e1/>
TAG_RE = re.compile(r"<(/?)g(\d+)>|<([xbe])(\d+)/>")
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut", "hi", "sub"})
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
# Characters XML 1.0 forbids (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF).
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CTRL_RE = re.compile(r"^U\+([0-9A-Fa-f]{4,6})$")
_CLOSING = frozenset(",.;:!?…)]}»”’។៕")


# ----------------------------------------------------------------------------------------- escaping


def xml_text(value: str) -> str:
    """Element text: ``& < >`` and CR escaped; characters XML cannot carry become U+FFFD."""
    value = INVALID_XML.sub("\ufffd", str(value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(value: str) -> str:
    value = INVALID_XML.sub("\ufffd", str(value))
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    )


def seg_xml(value: str) -> str:
    """Segment content from plain text: escaped; XML-invalid characters as ``<ph type="x-ctrl">U+XXXX</ph>``."""
    out: list[str] = []
    pos = 0
    for m in INVALID_XML.finditer(value):
        out.append(xml_text(value[pos:m.start()]))
        out.append(f'<ph type="x-ctrl">U+{ord(m.group()):04X}</ph>')
        pos = m.end()
    out.append(xml_text(value[pos:]))
    return "".join(out)


# ----------------------------------------------------------------------------------------- reading


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _raw(el) -> str:
    from lxml import etree

    return etree.tostring(el, encoding="unicode", with_tail=False)


def _start_tag(el) -> str:
    attrs = []
    for k, v in el.attrib.items():
        if k.startswith(_XML_NS):
            k = "xml:" + k[len(_XML_NS):]
        elif k.startswith("{"):
            continue
        attrs.append(f' {k}="{xml_attr(v)}"')
    return f"<{_local(el.tag)}{''.join(attrs)}>"


def ctrl_char(el) -> str | None:
    """The character an ``<ph type="x-ctrl">U+0007</ph>`` stands for (None for any other element)."""
    if _local(el.tag) != "ph" or el.get("type") != "x-ctrl":
        return None
    m = _CTRL_RE.match("".join(el.itertext()).strip())
    return chr(int(m.group(1), 16)) if m else None


def codes_of(seg) -> tuple[str, list[dict]]:
    """``(tagged text, codes)`` of a ``<seg>`` element (lxml): the sentence text with a tag where each
    inline code was, and the codes (see the module docstring). No codes: the plain text and ``[]``."""
    bpts, epts = set(), set()
    for el in seg.iter():
        name = _local(el.tag)
        if name == "bpt":
            bpts.add(el.get("i"))
        elif name == "ept":
            epts.add(el.get("i"))
    paired_i = (bpts & epts) - {None}
    out: list[str] = []
    codes: list[dict] = []
    pending: dict[str, dict] = {}

    def new(kind: str, **kw) -> dict:
        code = {"id": len(codes) + 1, "kind": kind, **kw}
        codes.append(code)
        return code

    def walk(parent) -> None:
        if parent.text:
            out.append(parent.text)
        for el in parent:
            name = _local(el.tag)
            ch = ctrl_char(el)
            if ch is not None:
                out.append(ch)
            elif name == "bpt" and el.get("i") in paired_i and el.get("i") not in pending:
                code = pending[el.get("i")] = new("g", open=_raw(el))
                out.append(f"<g{code['id']}>")
            elif name == "ept" and el.get("i") in pending:
                code = pending.pop(el.get("i"))
                code["close"] = _raw(el)
                out.append(f"</g{code['id']}>")
            elif name == "it" and el.get("pos") in ("begin", "end"):
                code = new("b" if el.get("pos") == "begin" else "e", xml=_raw(el))
                out.append(f"<{code['kind']}{code['id']}/>")
            elif name in ("bpt", "ept", "ph", "it", "ut", "sub") or not isinstance(el.tag, str) or \
                    el.tag.startswith("{"):
                code = new("x", xml=_raw(el))
                out.append(f"<x{code['id']}/>")
            else:  # <hi> and unknown elements: formatting around text that is part of the sentence
                code = new("g", open=_start_tag(el), close=f"</{_local(el.tag)}>")
                out.append(f"<g{code['id']}>")
                walk(el)
                out.append(f"</g{code['id']}>")
            if el.tail:
                out.append(el.tail)

    walk(seg)
    for code in pending.values():  # a bpt whose ept came first: keep it as a standalone code
        code["kind"] = "x"
        code["xml"] = code.pop("open")
        text = "".join(out)
        out[:] = [text.replace(f"<g{code['id']}>", f"<x{code['id']}/>", 1)]
    return "".join(out), codes


def from_markup(markup: str | None) -> tuple[str, list[dict]]:
    """``(tagged text, codes)`` of a segment's inner XML (what :attr:`TmxVariant.markup` holds)."""
    from lxml import etree

    if not markup:
        return "", []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    seg = etree.fromstring(f"<seg>{markup}</seg>".encode("utf-8", "surrogatepass"), parser)
    return codes_of(seg)


# ----------------------------------------------------------------------------------------- plain text


@dataclass(frozen=True)
class Tag:
    """A tag found in a text: ``text[start:end]``; ``kind`` g (open or close: ``closing``), x, b or e."""

    start: int
    end: int
    kind: str
    id: int
    closing: bool = False

    @property
    def label(self) -> str:
        if self.kind == "g":
            return f"</g{self.id}>" if self.closing else f"<g{self.id}>"
        return f"<{self.kind}{self.id}/>"


def find_tags(text: str, codes: Sequence[dict] | None = None) -> list[Tag]:
    """The tags in ``text``; with ``codes``, only those whose number and kind are in the list."""
    known = None if codes is None else {(c.get("id"), c.get("kind")) for c in codes}
    out = []
    for m in TAG_RE.finditer(text or ""):
        if m.group(2) is not None:
            tag = Tag(m.start(), m.end(), "g", int(m.group(2)), bool(m.group(1)))
        else:
            tag = Tag(m.start(), m.end(), m.group(3), int(m.group(4)))
        if known is None or (tag.id, tag.kind) in known:
            out.append(tag)
    return out


def plain_map(text: str, codes: Sequence[dict] | None = None) -> tuple[str, list[int]]:
    """The text without its tags (see :func:`plain_text`) and, for each of its characters, the index in
    ``text`` (one more entry: the end), to map spans found in the plain text back."""
    text = text or ""
    tags = find_tags(text, codes)
    if not tags:
        return text, list(range(len(text) + 1))
    chars: list[str] = []
    pos: list[int] = []
    at = 0
    removed = False
    for tag in tags + [None]:
        end = tag.start if tag is not None else len(text)
        piece_start = at
        if removed and (not chars or chars[-1].isspace()):
            while piece_start < end and text[piece_start].isspace():
                piece_start += 1  # no double space (or leading space) where a code was taken out
        if removed and chars and chars[-1].isspace() and piece_start < end and text[piece_start] in _CLOSING:
            while chars and chars[-1].isspace():  # "Click <x1/>, then" -> "Click, then"
                chars.pop()
                pos.pop()
        for i in range(piece_start, end):
            chars.append(text[i])
            pos.append(i)
        if tag is None:
            break
        removed = True
        at = tag.end
    if tags[-1].end == len(text) or (tags and not text[tags[-1].end:].strip()):
        while chars and chars[-1].isspace():  # no trailing space left by a code at the end
            chars.pop()
            pos.pop()
    pos.append(pos[-1] + 1 if pos else len(text))
    return "".join(chars), pos


def plain_text(text: str, codes: Sequence[dict] | None = None) -> str:
    """``text`` without its tags (only the tags of ``codes`` when given): what matching, QA and plain-text
    exports see. Where a code stood between two spaces one space is left, and a code at the start or the
    end leaves no space behind."""
    return plain_map(text, codes)[0]


# ----------------------------------------------------------------------------------------- writing


def _set_i(raw: str, i: int, rename: str | None = None, pos: str | None = None) -> str:
    """A ``bpt``/``ept`` code with ``i`` changed, or turned into an ``it`` (``rename``/``pos``)."""
    from lxml import etree

    el = etree.fromstring(raw.encode("utf-8", "surrogatepass"))
    if rename:
        el.tag = rename
        if "i" in el.attrib:
            del el.attrib["i"]
        el.set("pos", pos or "begin")
    else:
        el.set("i", str(i))
    return etree.tostring(el, encoding="unicode")


def to_markup(text: str, codes: Sequence[dict] | None) -> str | None:
    """TMX ``<seg>`` content for a tagged text and its codes (None when no tag of ``codes`` is in the text:
    the plain text is then written as it is). Always well-formed: tags whose partner is missing become
    ``<it>`` (a ``hi`` without its partner is left out), overlapping ``hi`` pairs are left out, a repeated
    ``bpt``/``ept`` pair gets a fresh ``i``."""
    codes = list(codes or [])
    tags = find_tags(text, codes)
    if not tags:
        return None
    by_id = {c["id"]: c for c in codes}
    # pair opening and closing tags (each closing tag with the nearest unmatched opening one)
    partner: dict[int, int] = {}
    open_stack: dict[int, list[int]] = {}
    for k, t in enumerate(tags):
        if t.kind != "g":
            continue
        if not t.closing:
            open_stack.setdefault(t.id, []).append(k)
        elif open_stack.get(t.id):
            j = open_stack[t.id].pop()
            partner[j], partner[k] = k, j
    # <hi> pairs must nest like XML elements: drop a pair that crosses another
    stack: list[int] = []
    dropped: set[int] = set()
    for k, t in enumerate(tags):
        if t.kind != "g" or k not in partner or not by_id[t.id].get("open", "").startswith("<hi"):
            continue
        if not t.closing:
            stack.append(k)
        elif stack and stack[-1] == partner[k]:
            stack.pop()
        else:
            dropped.update((k, partner[k]))
            if partner[k] in stack:
                stack.remove(partner[k])
    used_i: set[str] = set()
    new_i: dict[int, str] = {}
    out: list[str] = []
    at = 0
    for k, t in enumerate(tags):
        out.append(seg_xml(text[at:t.start]))
        at = t.end
        code = by_id[t.id]
        if t.kind != "g":
            out.append(code.get("xml", ""))
            continue
        raw = code.get("close" if t.closing else "open") or ""
        hi = not raw.startswith(("<bpt", "<ept"))
        if k in dropped or (hi and k not in partner):
            continue  # formatting only: the text inside stays
        if hi:
            out.append(raw)
        elif k not in partner:  # one half of a pair: a code whose partner is elsewhere
            out.append(_set_i(raw, 0, rename="it", pos="end" if t.closing else "begin"))
        else:
            first = min(k, partner[k])
            if first not in new_i:
                i = _i_of(code.get("open", ""))
                if i is None or i in used_i:
                    i = str(max([int(x) for x in used_i if x.isdigit()] + [0]) + 1)
                used_i.add(i)
                new_i[first] = i
            i = new_i[first]
            out.append(raw if _i_of(raw) == i else _set_i(raw, int(i)))
    out.append(seg_xml(text[at:]))
    return "".join(out)


_I_RE = re.compile(r"""\si\s*=\s*["']([^"']*)["']""")


def _i_of(raw: str) -> str | None:
    m = _I_RE.search(raw.split(">", 1)[0])
    return m.group(1) if m else None


# ----------------------------------------------------------------------------------------- checking


def tag_problems(text: str, codes: Sequence[dict] | None) -> list[tuple[str, tuple[int, int] | None]]:
    """What is wrong with the tags of a translation whose codes are ``codes``: ``(message, span)`` per
    problem (a missing tag has no span). Every code's tag once, a pair opened before it is closed."""
    codes = list(codes or [])
    if not codes:
        return []
    tags = find_tags(text, codes)
    out: list[tuple[str, tuple[int, int] | None]] = []
    for code in codes:
        kind, n = code.get("kind"), code.get("id")
        if kind == "g":
            opens = [t for t in tags if t.id == n and t.kind == "g" and not t.closing]
            closes = [t for t in tags if t.id == n and t.kind == "g" and t.closing]
            for label, found in ((f"<g{n}>", opens), (f"</g{n}>", closes)):
                if not found:
                    out.append((f"tag {label} is missing (formatting of the TM match)", None))
                for extra in found[1:]:
                    out.append((f"tag {label} appears more than once", (extra.start, extra.end)))
            if opens and closes and closes[0].start < opens[0].start:
                out.append((f"tag </g{n}> comes before <g{n}>", (closes[0].start, closes[0].end)))
        else:
            found = [t for t in tags if t.id == n and t.kind == kind]
            label = f"<{kind}{n}/>"
            if not found:
                out.append((f"tag {label} is missing (formatting of the TM match)", None))
            for extra in found[1:]:
                out.append((f"tag {label} appears more than once", (extra.start, extra.end)))
    return out
