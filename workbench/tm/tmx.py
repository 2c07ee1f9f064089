"""TMX 1.4b: a deterministic, atomic writer and a streaming, hardened reader.

Writing (:func:`write_tmx`)
    The full TMX 1.4b header, one ``<tu>`` per :class:`TmxUnit`, ``<tuv xml:lang>`` per language, props and
    notes in the order given, attributes in a fixed order, two-space indentation, UTF-8, LF line ends.
    The same units give the same bytes. The file is written to a temporary file beside the target and
    renamed over it, so a crash never leaves half a file. Text that XML 1.0 cannot carry is still written
    safely: ``\\r`` becomes ``&#13;``; a control character inside a segment becomes
    ``<ph type="x-ctrl">U+0007</ph>`` (read back as the character by :func:`read_tmx`); in props, notes
    and attributes, where no markup is allowed, it becomes U+FFFD.

Reading (:func:`read_tmx`)
    lxml ``iterparse``: units are yielded one at a time and their elements freed, so memory stays bounded
    for any file size. No DTD is loaded, no entity is resolved, nothing is fetched from the network.
    A document type declaration with an internal subset (where entities live: billion laughs, XXE) is
    rejected with :class:`~workbench.errors.InputError`; a bare ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``
    (which OmegaT and Trados write) is accepted and ignored. Nesting deeper than :data:`MAX_DEPTH` is
    rejected. UTF-8 and UTF-16 (with BOM or declaration) files are read. Language codes are matched
    case-insensitively on their primary subtag (``EN-GB`` -> ``en``, ``km-KH`` -> ``km``).
    Inline markup in ``<seg>`` never breaks reading: text outside tags and inside ``<hi>`` is kept;
    the native codes inside ``<bpt>``, ``<ept>``, ``<ph>``, ``<it>`` (and any ``<sub>`` within them) are
    formatting, not sentence text, and are left out of :attr:`TmxVariant.text` (the raw markup stays in
    :attr:`TmxVariant.markup`). ``<ut>`` (deprecated) is treated like ``<ph>``.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..core.errors import InputError
from ..core.safeio import atomic_write, check_xml_prolog

#: deepest element nesting accepted (a TMX file needs about 6 levels, plus inline markup).
MAX_DEPTH = 64

CREATIONTOOL = "workbench"
O_TMF = "workbench"

_CODE_TAGS = {"bpt", "ept", "ph", "it", "ut"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters XML 1.0 forbids (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CTRL_RE = re.compile(r"^U\+([0-9A-Fa-f]{4,6})$")


# ------------------------------------------------------------------------------------------------ model


@dataclass
class TmxVariant:
    """One ``<tuv>``: the text in one language, with its own props, notes, dates and ids."""

    lang: str  # normalised primary subtag: "en", "ru", "km" (others kept lower-case)
    text: str
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    creationdate: str | None = None
    creationid: str | None = None
    changedate: str | None = None
    changeid: str | None = None
    xml_lang: str | None = None  # the code exactly as written in the file (None: same as ``lang``)
    markup: str | None = None  # raw inner XML of <seg> when it had inline elements (read only)

    def prop(self, name: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.props if k == name), default)


@dataclass
class TmxUnit:
    """One ``<tu>``: variants keyed by language, unit-level props/notes, dates and ids."""

    variants: dict[str, TmxVariant] = field(default_factory=dict)
    tuid: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    creationdate: str | None = None
    creationid: str | None = None
    changedate: str | None = None
    changeid: str | None = None
    srclang: str | None = None

    def prop(self, name: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.props if k == name), default)

    def text(self, lang: str) -> str | None:
        v = self.variants.get(norm_lang(lang))
        return v.text if v is not None else None

    def add(self, lang: str, text: str, **kw) -> TmxVariant:
        v = TmxVariant(norm_lang(lang), text, **kw)
        self.variants[v.lang] = v
        return v


@dataclass
class TmxHeader:
    srclang: str = "en"
    adminlang: str = "en"
    creationtool: str = CREATIONTOOL
    creationtoolversion: str = __version__
    segtype: str = "sentence"
    o_tmf: str = O_TMF
    datatype: str = "plaintext"
    creationdate: str | None = None
    creationid: str | None = None
    changedate: str | None = None
    changeid: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    version: str = "1.4"


def norm_lang(code: str) -> str:
    """``EN-GB``/``en_US``/``km-KH`` -> ``en``/``km`` (primary subtag, lower case); ``*all*`` stays."""
    code = (code or "").strip()
    if code.lower() == "*all*":
        return "*all*"
    return code.replace("_", "-").split("-")[0].lower()


def tmx_date(value: str | _dt.datetime | None) -> str | None:
    """A TMX date (``YYYYMMDDThhmmssZ``, UTC) from an ISO string, a datetime, or a TMX date."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
        return dt.astimezone(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    s = str(value).strip()
    if re.fullmatch(r"\d{8}T\d{6}Z", s):
        return s
    try:
        dt = _dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"bad date {value!r}: use ISO 8601 (2024-05-01T12:00:00Z) or TMX (20240501T120000Z)") from None
    return tmx_date(dt)


# ----------------------------------------------------------------------------------------------- writer


def _attr(value: str) -> str:
    value = _INVALID.sub("\ufffd", str(value))
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    )


def _text(value: str) -> str:
    value = _INVALID.sub("\ufffd", str(value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _seg(value: str) -> str:
    """Segment content: escaped text; XML-invalid characters as ``<ph type="x-ctrl">U+XXXX</ph>``."""
    out: list[str] = []
    pos = 0
    for m in _INVALID.finditer(value):
        out.append(_text(value[pos:m.start()]))
        out.append(f'<ph type="x-ctrl">U+{ord(m.group()):04X}</ph>')
        pos = m.end()
    out.append(_text(value[pos:]))
    return "".join(out)


def _attrs(pairs: Sequence[tuple[str, str | None]]) -> str:
    return "".join(f' {k}="{_attr(v)}"' for k, v in pairs if v is not None)


def _meta_lines(indent: str, notes: Iterable[str], props: Iterable[tuple[str, str]]) -> list[str]:
    lines = [f"{indent}<note>{_text(n)}</note>" for n in notes]
    lines += [f'{indent}<prop type="{_attr(k)}">{_text(v)}</prop>' for k, v in props]
    return lines


def _dates(obj) -> list[tuple[str, str | None]]:
    return [
        ("creationdate", tmx_date(obj.creationdate)), ("creationid", obj.creationid),
        ("changedate", tmx_date(obj.changedate)), ("changeid", obj.changeid),
    ]


def tmx_lines(units: Iterable[TmxUnit], header: TmxHeader) -> Iterator[str]:
    """The TMX document as lines (without line ends); what :func:`write_tmx` writes."""
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<tmx version="1.4">'
    hattrs = _attrs([
        ("creationtool", header.creationtool), ("creationtoolversion", header.creationtoolversion),
        ("segtype", header.segtype), ("o-tmf", header.o_tmf), ("adminlang", header.adminlang),
        ("srclang", header.srclang), ("datatype", header.datatype),
    ] + _dates(header))
    meta = _meta_lines("    ", header.notes, header.props)
    if meta:
        yield f"  <header{hattrs}>"
        yield from meta
        yield "  </header>"
    else:
        yield f"  <header{hattrs}/>"
    yield "  <body>"
    for unit in units:
        if not unit.variants:
            continue
        yield f"    <tu{_attrs([('tuid', unit.tuid), ('srclang', unit.srclang)] + _dates(unit))}>"
        yield from _meta_lines("      ", unit.notes, unit.props)
        for v in unit.variants.values():
            yield f'      <tuv xml:lang="{_attr(v.xml_lang or v.lang)}"{_attrs(_dates(v))}>'
            yield from _meta_lines("        ", v.notes, v.props)
            yield f"        <seg>{_seg(v.text)}</seg>"
            yield "      </tuv>"
        yield "    </tu>"
    yield "  </body>"
    yield "</tmx>"


def write_tmx(
    path: str | os.PathLike,
    units: Iterable[TmxUnit],
    srclang: str = "en",
    *,
    header: TmxHeader | None = None,
    creationdate: str | _dt.datetime | None = None,
    adminlang: str = "en",
    segtype: str = "sentence",
    props: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
) -> Path:
    """Write ``units`` as TMX 1.4b to ``path`` atomically; returns the path.

    Give ``creationdate`` (or a full ``header``) for byte-identical output across runs; without one the
    header carries the current time. ``srclang`` may be ``"*all*"``.
    """
    path = Path(path)
    if header is None:
        header = TmxHeader(
            srclang=srclang if srclang == "*all*" else norm_lang(srclang), adminlang=adminlang, segtype=segtype,
            creationdate=tmx_date(creationdate) or tmx_date(_dt.datetime.now(_dt.UTC).replace(microsecond=0)),
            props=list(props), notes=list(notes),
        )
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in tmx_lines(units, header):
            fh.write(line)
            fh.write("\n")
    return path


# ----------------------------------------------------------------------------------------------- reader


def _prolog_check(path: Path) -> None:
    """Reject entity declarations before the parser sees them (billion laughs, XXE) and non-XML files."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if not head.strip():
        raise InputError(f"{path}: the file is empty; export a TMX file from your CAT tool and try again")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif head[:2] == b"<\x00":
        enc = "utf-16-le"
    elif head[:2] == b"\x00<":
        enc = "utf-16-be"
    else:
        enc = "utf-8"
    text = head.decode(enc, errors="replace")
    if "\x00" in text and enc == "utf-8":
        raise InputError(f"{path}: not a TMX file (binary data)")
    root = re.search(r"<(?![?!])", text)  # only the prolog: a <![CDATA[...]]> in a segment may say anything
    check_xml_prolog((text[: root.start()] if root else text).encode("utf-8"), path)


class TmxFile:
    """A TMX file being read: :attr:`header` is available at once, units stream from iteration (once).

    :attr:`skipped` counts ``<tu>`` elements that had no ``<tuv>`` with a ``<seg>``.
    """

    def __init__(self, path: str | os.PathLike):
        from lxml import etree

        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such TMX file")
        _prolog_check(self.path)
        self._etree = etree
        self.skipped = 0
        self.count = 0
        self._events = etree.iterparse(
            str(self.path), events=("start", "end"), resolve_entities=False, load_dtd=False, no_network=True,
            dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True,
        )
        self._depth = 0
        self._pending: list[tuple[str, object]] = []
        self._parent = None  # the element holding <tu>s (kept to check that read units are freed)
        self.header = self._read_header()

    # -- low level ------------------------------------------------------------------------------

    def _next(self):
        try:
            event, elem = next(self._events)
        except StopIteration:
            raise
        except self._etree.XMLSyntaxError as exc:
            msg = str(exc).splitlines()[0] if str(exc) else "malformed XML"
            raise InputError(f"{self.path}: not well-formed TMX ({msg}); fix or re-export the file") from None
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{self.path}: cannot decode the file ({exc}); save it as UTF-8 or UTF-16") from None
        if event == "start":
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise InputError(f"{self.path}: elements nested deeper than {MAX_DEPTH} levels; not a usable TMX file")
        else:
            self._depth -= 1
        return event, elem

    def _read_header(self) -> TmxHeader:
        try:
            event, root = self._next()
        except StopIteration:
            raise InputError(f"{self.path}: no XML content; export a TMX file and try again") from None
        docinfo = root.getroottree().docinfo
        dtd = docinfo.internalDTD
        if dtd is not None and (any(True for _ in dtd.iterentities()) or any(True for _ in dtd.iterelements())):
            raise InputError(
                f"{self.path}: the file has a DTD internal subset, which is never processed (possible XML "
                "entity attack); remove the <!DOCTYPE ...[...]> block and try again"
            )
        if _local(root.tag) != "tmx":
            raise InputError(f"{self.path}: not a TMX file (root element <{_local(root.tag)}>, expected <tmx>)")
        header = TmxHeader(version=root.get("version", ""))
        header.srclang = ""
        header.adminlang = header.creationtool = header.creationtoolversion = ""
        header.segtype = header.o_tmf = header.datatype = ""
        while True:
            try:
                event, elem = self._next()
            except StopIteration:
                raise InputError(f"{self.path}: the TMX file ends before its <body>") from None
            tag = _local(elem.tag)
            if event == "end" and tag == "header":
                a = elem.attrib
                header.srclang = a.get("srclang", "")
                if header.srclang.lower() != "*all*":
                    header.srclang = norm_lang(header.srclang)
                header.adminlang = a.get("adminlang", "")
                header.creationtool = a.get("creationtool", "")
                header.creationtoolversion = a.get("creationtoolversion", "")
                header.segtype = a.get("segtype", "")
                header.o_tmf = a.get("o-tmf", "")
                header.datatype = a.get("datatype", "")
                header.creationdate, header.creationid = a.get("creationdate"), a.get("creationid")
                header.changedate, header.changeid = a.get("changedate"), a.get("changeid")
                header.props, header.notes = _props_notes(elem)
                elem.clear()
                return header
            if event == "start" and tag in ("body", "tu"):
                self._pending.append((event, elem))  # header missing: tolerate, keep the event
                return header

    def __iter__(self) -> Iterator[TmxUnit]:
        return self.units()

    def units(self) -> Iterator[TmxUnit]:
        def events():
            while self._pending:
                yield self._pending.pop(0)
            while True:
                try:
                    yield self._next()
                except StopIteration:
                    return

        for event, elem in events():
            if event != "end" or _local(elem.tag) != "tu":
                continue
            unit = self._unit(elem)
            # free the element and everything before it: bounded memory for any file size
            elem.clear()
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
                self._parent = parent
            if unit is None:
                self.skipped += 1
                continue
            self.count += 1
            yield unit

    def _unit(self, tu) -> TmxUnit | None:
        a = tu.attrib
        unit = TmxUnit(
            tuid=a.get("tuid"), creationdate=a.get("creationdate"), creationid=a.get("creationid"),
            changedate=a.get("changedate"), changeid=a.get("changeid"),
            srclang=a.get("srclang"),
        )
        unit.props, unit.notes = _props_notes(tu)
        for tuv in tu:
            if _local(tuv.tag) != "tuv":
                continue
            code = tuv.get(_XML_LANG) or tuv.get("lang") or ""  # TMX 1.1 used lang=
            seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
            if not code or seg is None:
                continue
            text, has_markup = _seg_text(seg)
            lang = norm_lang(code)
            if lang in unit.variants:  # a second variant in the same language: keep the first
                continue
            t = tuv.attrib
            v = TmxVariant(
                lang, text, creationdate=t.get("creationdate"), creationid=t.get("creationid"),
                changedate=t.get("changedate"), changeid=t.get("changeid"),
                xml_lang=None if code == lang else code,
                markup=_inner_xml(seg) if has_markup else None,
            )
            v.props, v.notes = _props_notes(tuv)
            unit.variants[lang] = v
        return unit if unit.variants else None


def read_tmx(path: str | os.PathLike) -> TmxFile:
    """Open a TMX file for streaming: ``f = read_tmx(p); f.header; for unit in f: ...``."""
    return TmxFile(path)


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _props_notes(elem) -> tuple[list[tuple[str, str]], list[str]]:
    props, notes = [], []
    for c in elem:
        tag = _local(c.tag)
        if tag == "prop":
            props.append((c.get("type", ""), "".join(c.itertext())))
        elif tag == "note":
            notes.append("".join(c.itertext()))
    return props, notes


def _seg_text(seg) -> tuple[str, bool]:
    """The sentence text of a ``<seg>``: text and ``<hi>`` content kept, native codes left out."""
    parts: list[str] = []
    markup = False

    def walk(el) -> None:
        nonlocal markup
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = _local(child.tag)
            if tag:
                markup = True
            if tag == "ph" and child.get("type") == "x-ctrl":
                m = _CTRL_RE.match("".join(child.itertext()).strip())
                if m:
                    parts.append(chr(int(m.group(1), 16)))
            elif tag in _CODE_TAGS or tag == "sub":
                pass  # native code (or a sub-flow inside it): not part of the sentence
            elif tag:
                walk(child)  # <hi> and unknown elements: keep their text
            if child.tail:
                parts.append(child.tail)

    walk(seg)
    return "".join(parts), markup


def _inner_xml(seg) -> str:
    from lxml import etree

    out = [_text(seg.text or "")]
    for child in seg:
        out.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(out)
