"""TBX: reading real termbases (TBX v3 ``<tbx>``, DCA and DCT style; TBX v2 ``<martif>``) and writing valid
TBX-Basic (ISO 30042:2019, DCA style).

Reading
    Terms in en, ru and km are kept (regional tags map: ``ru-RU`` -> ``ru``; ``langs`` restricts further);
    terms in other languages are left out and counted per language; a concept left with no term is skipped
    (counted), never the file. Domain: ``subjectField``; definition: a ``definition`` at the concept level,
    else the one of the first kept language (both directly or in a ``descripGrp``); part of speech: the
    ``partOfSpeech`` of the first kept term (or our own ``part of speech: ...`` concept note). Statuses
    (``administrativeStatus``, or TBX v2 ``normativeAuthorization``) map to preferred / admitted / deprecated
    / forbidden (:func:`status_of`); in a language, terms without a status are preferred (the first, unless
    the language has a preferred term) or admitted. Notes and terms are whitespace-normalised. What could
    not be read as it stands (an unknown status, an empty term) is a warning.

Writing (:func:`write_tbx`)
    Only data categories TBX-Basic allows: ``subjectField``, ``definition``, ``administrativeStatus``
    (preferredTerm / admittedTerm / supersededTerm = deprecated / deprecatedTerm = forbidden),
    ``partOfSpeech`` (adjective, noun, other, verb, adverb) on the English terms, ``admin source``,
    ``note``. What TBX-Basic has no category for is a note our reader reads back: ``needs review``,
    ``case-sensitive`` / ``not case-sensitive`` on a term, ``part of speech: proper noun`` on a concept whose
    part of speech is not one of the five. So our export, imported again, gives the same glossary.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from ...core.config import LANGUAGES, lang_tag
from ...core.errors import InputError
from ..model import Concept, Problem, Term
from .common import LANG_ORDER, ImportReport, spaces

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: the schemas a TBX-Basic (DCA) file declares, as the TBX-Basic dialect publishes them
XML_MODELS = (
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng" '
    'type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>',
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>',
)
#: workbench status -> TBX administrativeStatus (ISO 12620 values)
TBX_STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "supersededTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
#: administrativeStatus / normativeAuthorization values (without "Term-admn-sts", lower case) -> status
STATUS_WORDS = {
    "preferred": "preferred", "standardized": "preferred", "standardised": "preferred", "legal": "preferred",
    "regulated": "preferred", "regulatory": "preferred", "normative": "preferred", "mandatory": "preferred",
    "admitted": "admitted", "admissible": "admitted", "acceptable": "admitted", "permitted": "admitted",
    "allowed": "admitted", "proposed": "admitted", "new": "admitted",
    "superseded": "deprecated", "obsolete": "deprecated", "notrecommended": "deprecated",
    "outdated": "deprecated", "nonstandardized": "deprecated", "archaic": "deprecated", "old": "deprecated",
    "deprecated": "forbidden", "forbidden": "forbidden", "prohibited": "forbidden", "rejected": "forbidden",
    "banned": "forbidden",
}
#: TBX-Basic partOfSpeech values; other parts of speech map here for the export
TBX_POS = ("adjective", "noun", "other", "verb", "adverb")
POS_WORDS = {"proper noun": "noun", "noun phrase": "noun", "common noun": "noun", "adj": "adjective",
             "adv": "adverb", "n": "noun", "v": "verb"}
NOTE_REVIEW = "needs review"
NOTE_CASE = {"case-sensitive": True, "not case-sensitive": False}
NOTE_POS = "part of speech: "
_GROUPS = ("descripGrp", "adminGrp", "termNoteGrp", "transacGrp", "noteGrp")


def status_of(value: str) -> str | None:
    """A TBX status value as a glossary status (None when unknown): ``obsoleteTerm-admn-sts`` -> deprecated."""
    key = re.sub(r"[\s_\-]", "", (value or "").lower().replace("-admn-sts", ""))
    key = key[:-4] if key.endswith("term") else key
    return STATUS_WORDS.get(key)


def tbx_pos(pos: str) -> str | None:
    """A part of speech as a TBX-Basic value (None when empty)."""
    p = spaces(pos).lower()
    if not p:
        return None
    return p if p in TBX_POS else POS_WORDS.get(p, "other")


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _text(el) -> str:
    return spaces("".join(el.itertext()))


def _values(el, category: str, groups=_GROUPS) -> list[str]:
    """The values of a data category at the level of ``el``: DCA (``<descrip type="definition">``), DCT
    (``<basic:definition>``), directly or in one of ``groups`` (``descripGrp``...)."""
    out = []
    for child in el:
        name = _local(child)
        if name in groups:
            out += _values(child, category, groups)
        elif child.get("type") == category or name == category:
            value = _text(child)
            if value:
                out.append(value)
    return out


def _value(el, category: str) -> str:
    found = _values(el, category)
    return found[0] if found else ""


def _notes(el) -> list[str]:
    return [t for t in (_text(c) for c in el if _local(c) == "note") if t]


def parse_tbx(text: str, name: str, problems: list[Problem], *, langs=None,
              report: ImportReport | None = None) -> list[Concept]:
    """The concepts of a TBX file with their terms in ``langs`` (default en, ru, km)."""
    from lxml import etree

    from ...core.safeio import parse_xml_bytes

    keep = tuple(langs) if langs else LANGUAGES
    report = report if report is not None else ImportReport(name, "tbx")
    # the text is already decoded: drop the declared encoding so lxml reads the UTF-8 bytes we give it
    text = re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding=[\"'][^\"']*[\"']", r"\1", text, count=1)
    root = parse_xml_bytes(text.encode("utf-8"), name)
    if etree.QName(root).localname not in ("tbx", "martif"):
        raise InputError(f"{name}: not a TBX file (root element <{etree.QName(root).localname}>, expected <tbx> "
                         "or <martif>)")

    def warn(message: str, concept: str = "", lang: str = "") -> None:
        problems.append(Problem("warning", "tbx", f"{name}: {message}", concept=concept, lang=lang))
        report.warnings.append(message)

    entries = [el for el in root.iter() if _local(el) in ("conceptEntry", "termEntry")]
    if not entries:
        raise InputError(f"{name}: TBX file has no conceptEntry (or termEntry)")
    concepts: list[Concept] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        cid = entry.get("id") or f"c{n}"
        report.concepts_read += 1
        c = Concept(cid, _value(entry, "subjectField"), "", _value(entry, "definition"))
        pos_note = next((x[len(NOTE_POS):] for x in _notes(entry) if x.lower().startswith(NOTE_POS)), "")
        lang_defs: dict[str, str] = {}
        term_pos: list[tuple[str, str]] = []
        for lang_sec in (k for k in entry if _local(k) in ("langSec", "langSet")):
            raw = lang_sec.get(XML_LANG) or lang_sec.get("lang") or ""
            tag = lang_tag(raw)
            lang = tag.split("-")[0]
            term_secs = [k for k in lang_sec if _local(k) in ("termSec", "tig", "ntig")]
            if lang not in keep:
                report.skipped_langs[tag.split("-")[0] or "(none)"] += len(term_secs)
                continue
            if _value(lang_sec, "definition"):
                lang_defs.setdefault(lang, _value(lang_sec, "definition"))
            for ts in term_secs:
                term = _read_term(ts, lang, tag, cid, warn)
                if term is not None:
                    c.terms.append(term)
                    pos = _value(ts, "partOfSpeech") or _value(_grp(ts), "partOfSpeech")
                    if pos:
                        term_pos.append((lang, pos))
        if not c.terms:
            report.skipped_concepts += 1
            continue
        if cid in seen:
            problems.append(Problem("error", "duplicate-concept", f"{name}: conceptEntry id {cid!r} appears twice",
                                    concept=cid))
        seen.add(cid)
        if not c.definition:
            c.definition = next((lang_defs[l] for l in LANG_ORDER if l in lang_defs), "")
        c.pos = pos_note or next((p for l, p in term_pos if l == "en"), "") or (term_pos[0][1] if term_pos else "")
        _resolve_statuses(c)
        concepts.append(c)
    report.concepts = len(concepts)
    for c in concepts:
        report.terms.update(t.lang for t in c.terms)
    if not concepts:
        wanted = ", ".join(keep)
        found = ", ".join(f"{k} {v}" for k, v in sorted(report.skipped_langs.items())) or "none"
        raise InputError(f"{name}: no term in {wanted} (terms found: {found}); nothing to import")
    return concepts


def _grp(ts):
    """A TBX v2 ``ntig``'s ``termGrp`` (where its term and termNotes are), else the element itself."""
    return next((k for k in ts if _local(k) == "termGrp"), ts)


def _read_term(ts, lang: str, tag: str, cid: str, warn) -> Term | None:
    holder = _grp(ts)
    term_els = [k for k in holder if _local(k) == "term"]
    text = _text(term_els[0]) if term_els else ""
    if len(term_els) > 1:
        warn(f"concept {cid!r}: one {tag} termSec holds {len(term_els)} terms; only the first, {text!r}, is kept",
             cid, lang)
    if not text:
        warn(f"concept {cid!r}: an empty {tag} term was left out", cid, lang)
        return None
    raw_status = (_value(ts, "administrativeStatus") or _value(holder, "administrativeStatus")
                  or _value(ts, "normativeAuthorization") or _value(holder, "normativeAuthorization"))
    status = status_of(raw_status) if raw_status else None
    if raw_status and status is None:
        warn(f"concept {cid!r}: unknown administrativeStatus {raw_status!r} of {text!r}: read as admitted",
             cid, lang)
        status = "admitted"
    notes, review, case = [], False, None
    for note in _notes(ts):
        low = note.lower()
        if low == NOTE_REVIEW:
            review = True
        elif low in NOTE_CASE:
            case = NOTE_CASE[low]
        else:
            notes.append(note)
    # what earlier workbench versions wrote (not TBX-Basic): processStatus and x-caseSensitivity
    if _value(ts, "processStatus") == "provisionallyProcessed":
        review = True
    legacy_case = _value(ts, "x-caseSensitivity").lower()
    if legacy_case in ("yes", "no"):
        case = legacy_case == "yes"
    found = _values(ts, "source", groups=("adminGrp",))  # not the source of a context in a descripGrp
    source = found[0] if found else ""
    return Term(lang, text, status or "", case, review, source, "; ".join(notes))


def _resolve_statuses(c: Concept) -> None:
    """Terms without a status: the first of a language is preferred unless the language has a preferred
    term; the others are admitted."""
    for lang in c.languages():
        terms = c.terms_in(lang)
        has_preferred = any(t.status == "preferred" for t in terms)
        for t in terms:
            if not t.status:
                t.status = "admitted" if has_preferred else "preferred"
                has_preferred = True


def write_tbx(concepts, title: str = "workbench diplomatic glossary") -> str:
    """TBX-Basic v3 (DCA): valid against the TBX core RNG and the TBX-Basic schematron (see the module
    docstring for how each field is written)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', *XML_MODELS,
           f'<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="{TBX_NS}">',
           "  <tbxHeader>",
           "    <fileDesc>",
           f"      <titleStmt><title>{escape(title)}</title></titleStmt>",
           "      <sourceDesc><p>Exported by workbench</p></sourceDesc>",
           "    </fileDesc>",
           "  </tbxHeader>",
           "  <text>",
           "    <body>"]
    for c in concepts:
        pos = tbx_pos(c.pos)
        out.append(f"      <conceptEntry id={quoteattr(c.id)}>")
        if c.domain:
            out.append(f'        <descrip type="subjectField">{escape(c.domain)}</descrip>')
        if c.definition:
            out.append(f'        <descrip type="definition">{escape(c.definition)}</descrip>')
        if c.pos and (c.pos != pos or not c.terms_in("en")):
            out.append(f"        <note>{escape(NOTE_POS + c.pos)}</note>")
        for lang in c.languages():
            out.append(f"        <langSec xml:lang={quoteattr(lang)}>")
            for t in c.terms_in(lang):
                out.append("          <termSec>")
                out.append(f"            <term>{escape(t.text)}</term>")
                out.append(f'            <termNote type="administrativeStatus">{TBX_STATUS[t.status]}</termNote>')
                if pos and lang == "en":
                    out.append(f'            <termNote type="partOfSpeech">{pos}</termNote>')
                if t.source:
                    out.append(f'            <admin type="source">{escape(t.source)}</admin>')
                if t.needs_review:
                    out.append(f"            <note>{NOTE_REVIEW}</note>")
                if t.case is not None:
                    case = next(k for k, v in NOTE_CASE.items() if v == t.case)
                    out.append(f"            <note>{case}</note>")
                if t.note:
                    out.append(f"            <note>{escape(t.note)}</note>")
                out.append("          </termSec>")
            out.append("        </langSec>")
        out.append("      </conceptEntry>")
    out += ["    </body>", "  </text>", "</tbx>", ""]
    return "\n".join(out)
