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
    rejected. UTF-8 and UTF-16 (with BOM or declaration) files are read. Every ``<tuv>`` is kept, in file
    order, under its language tag with BCP 47 letter case (``eN-uS`` -> ``en-US``; TMX 1.1 ``lang=`` too):
    a unit may hold en-US and en-GB, or two fr-CA variants. :attr:`TmxVariant.lang` is the primary subtag
    (``en``), what lookups compare.
    Inline markup in ``<seg>`` never breaks reading: :attr:`TmxVariant.text` is the plain sentence (text
    outside tags and inside ``<hi>``; the native codes of ``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``, ``<ut>``
    and any ``<sub>`` within them left out, without leaving a double space) and
    :attr:`TmxVariant.markup` the ``<seg>`` content with its codes, written back as it was
    (:mod:`workbench.tm.tags`).
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
from ..core.config import lang_tag
from ..core.errors import InputError
from ..core.safeio import atomic_write, check_xml_prolog
from .tags import codes_of, plain_text, seg_xml, xml_attr, xml_text

#: deepest element nesting accepted (a TMX file needs about 6 levels, plus inline markup).
MAX_DEPTH = 64

CREATIONTOOL = "workbench"
O_TMF = "workbench"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# ------------------------------------------------------------------------------------------------ model


@dataclass
class TmxVariant:
    """One ``<tuv>``: the text in one language variant, with its own props, notes, dates and ids.

    ``TmxVariant("en-GB", text)``: :attr:`tag` is the code with BCP 47 letter case (``en-GB``),
    :attr:`lang` its primary subtag (``en``). :attr:`markup` is the ``<seg>`` content when it has inline
    codes (None otherwise): the writer writes it instead of :attr:`text`, which is the plain sentence.
    """

    lang: str
    text: str
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    creationdate: str | None = None
    creationid: str | None = None
    changedate: str | None = None
    changeid: str | None = None
    tag: str = ""
    markup: str | None = None

    def __post_init__(self) -> None:
        self.tag = lang_tag(self.tag or self.lang)
        self.lang = norm_lang(self.tag)

    def prop(self, name: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.props if k == name), default)


class Variants:
    """The variants of a unit in file order. Looked up like a dict by language tag: ``v["en-GB"]`` is that
    variant, ``v["en"]`` the ``en`` variant or else the first regional one (``en-US``); ``keys()`` are the
    tags (a tag may repeat: two fr-CA variants), ``values()`` the variants, ``len()`` their number."""

    def __init__(self, items: Iterable[TmxVariant] = ()):
        self._items: list[TmxVariant] = list(items)

    def find(self, code: str) -> TmxVariant | None:
        tag = lang_tag(code)
        for v in self._items:
            if v.tag == tag:
                return v
        if "-" not in tag:
            return next((v for v in self._items if v.lang == tag), None)
        return None

    def all(self, code: str) -> list[TmxVariant]:
        """Every variant of ``code``: a primary language (``en``) gives all its regional variants too."""
        tag = lang_tag(code)
        if "-" in tag:
            return [v for v in self._items if v.tag == tag]
        return [v for v in self._items if v.lang == tag]

    def __getitem__(self, code: str) -> TmxVariant:
        v = self.find(code)
        if v is None:
            raise KeyError(code)
        return v

    def __setitem__(self, code: str, variant: TmxVariant) -> None:
        """Replace the variant with the tag ``code`` (the first, if several), else add ``variant``."""
        tag = lang_tag(code)
        for k, v in enumerate(self._items):
            if v.tag == tag:
                self._items[k] = variant
                return
        self._items.append(variant)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.find(code) is not None

    def get(self, code: str, default=None):
        v = self.find(code)
        return default if v is None else v

    def append(self, variant: TmxVariant) -> None:
        self._items.append(variant)

    def __iter__(self) -> Iterator[str]:
        return iter([v.tag for v in self._items])

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return [v.tag for v in self._items]

    def values(self) -> list[TmxVariant]:
        return list(self._items)

    def items(self) -> list[tuple[str, TmxVariant]]:
        return [(v.tag, v) for v in self._items]

    def languages(self) -> list[str]:
        """The primary languages, in order, each once."""
        return list(dict.fromkeys(v.lang for v in self._items))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Variants) and self._items == other._items

    def __repr__(self) -> str:
        return f"Variants({self._items!r})"


@dataclass
class TmxUnit:
    """One ``<tu>``: its variants (:class:`Variants`), unit-level props/notes, dates and ids."""

    variants: Variants = field(default_factory=Variants)
    tuid: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    creationdate: str | None = None
    creationid: str | None = None
    changedate: str | None = None
    changeid: str | None = None
    srclang: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.variants, Variants):
            items = self.variants.values() if isinstance(self.variants, dict) else self.variants
            self.variants = Variants(items)

    def prop(self, name: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.props if k == name), default)

    def text(self, lang: str) -> str | None:
        v = self.variants.find(lang)
        return v.text if v is not None else None

    def add(self, lang: str, text: str, **kw) -> TmxVariant:
        """Set the variant of language tag ``lang`` (replacing one with the same tag)."""
        v = TmxVariant(lang, text, **kw)
        self.variants[v.tag] = v
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
    """``EN-GB``/``en_US``/``km-KH`` -> ``en``/``km`` (primary subtag, lower case); ``*all*`` stays.
    The full tag with its letter case normalised: :func:`workbench.core.config.lang_tag`."""
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


_attr, _text, _seg = xml_attr, xml_text, seg_xml


def _seg_content(v: TmxVariant) -> str:
    """What goes inside ``<seg>``: the variant's markup when it is well-formed, else its escaped text."""
    if v.markup is not None:
        from lxml import etree

        try:
            etree.fromstring(f"<seg>{v.markup}</seg>".encode("utf-8", "surrogatepass"),
                             etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
            return v.markup
        except (etree.XMLSyntaxError, UnicodeEncodeError):
            pass
    return _seg(v.text)


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
            yield f'      <tuv xml:lang="{_attr(v.tag)}"{_attrs(_dates(v))}>'
            yield from _meta_lines("        ", v.notes, v.props)
            yield f"        <seg>{_seg_content(v)}</seg>"
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
            srclang=lang_tag(srclang), adminlang=adminlang, segtype=segtype,
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
                header.srclang = lang_tag(a.get("srclang", ""))
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
            if not code.strip() or seg is None:
                continue
            text, markup = read_seg(seg)
            t = tuv.attrib
            v = TmxVariant(
                code, text, creationdate=t.get("creationdate"), creationid=t.get("creationid"),
                changedate=t.get("changedate"), changeid=t.get("changeid"), markup=markup,
            )
            v.props, v.notes = _props_notes(tuv)
            unit.variants.append(v)  # every variant, even a second one with the same tag
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


def read_seg(seg) -> tuple[str, str | None]:
    """``(plain text, markup)`` of a ``<seg>`` element: markup (its inner XML) only when it holds inline
    codes; a control character written as ``<ph type="x-ctrl">`` is text, not a code."""
    if len(seg) == 0:
        return seg.text or "", None
    tagged, codes = codes_of(seg)
    if not codes:  # only control characters
        return tagged, None
    return plain_text(tagged, codes), _inner_xml(seg)


def _inner_xml(seg) -> str:
    from lxml import etree

    out = [_text(seg.text or "")]
    for child in seg:
        out.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(out)
