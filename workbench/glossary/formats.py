"""Reading and writing glossaries: the repository CSV, TBX-Basic (ISO 30042 TBX v3), OmegaT TSV, TICO-19 CSV.

Readers are lenient about *content* (they keep empty terms, unknown languages and duplicate concepts so that
:meth:`Glossary.validate` can report them) and strict about *form*: a file that is not UTF-8, is binary,
empty, or malformed XML/CSV raises :class:`InputError` with one line naming the file.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from ..core.config import check_lang
from ..core.errors import InputError, UnknownLanguage
from .model import STATUSES, Concept, Problem, Term

CONCEPT_FIELDS = ("id", "domain", "pos", "definition")
TERM_FIELDS = ("status", "case", "review", "source", "note")
LANG_ORDER = ("en", "ru", "km")
MAX_BYTES = 50 * 1024 * 1024

FORMATS = ("csv", "tbx", "tsv", "tico")


def guess_format(path: str | os.PathLike, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise InputError(f"{path}: unknown glossary format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    ext = Path(path).suffix.lower().lstrip(".")
    if ext in ("tbx", "xml"):
        return "tbx"
    if ext in ("tsv", "txt", "utf8", "tab"):
        return "tsv"
    if ext == "csv":
        return "csv"
    raise InputError(f"{path}: cannot tell the glossary format from the extension: give --format csv, tbx or tsv")


def read_text(path: str | os.PathLike) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a glossary file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{p}: file is too large ({len(data) // 1_048_576} MB; the limit is 50 MB)")
    if not data.strip():
        raise InputError(f"{p}: file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{p}: binary file, not a glossary: give a UTF-8 CSV, TBX or TSV file")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{p}: not UTF-8 (byte {exc.start}): save the file as UTF-8 and try again"
        ) from None


def norm_lang(code: str, problems: list[Problem] | None, where: str) -> str:
    """``ru_RU`` -> ``ru``; an unknown code is kept (lower-cased) and reported."""
    try:
        return check_lang(code)
    except UnknownLanguage:
        if problems is None:
            raise UnknownLanguage(f"{where}: unknown language code {code!r}: use en, ru or km") from None
        problems.append(Problem("error", "unknown-language", f"unknown language code {code!r} ({where})",
                                lang=str(code)))
        return (code or "").strip().lower()


def _flag(value: str, default=None):
    v = (value or "").strip().lower()
    if v in ("", "auto"):
        return default
    if v in ("yes", "y", "true", "1", "x"):
        return True
    if v in ("no", "n", "false", "0"):
        return False
    return default


def _slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return s[:60] or "concept"


# ------------------------------------------------------------------------------------------------ CSV


def parse_csv(text: str, name: str, problems: list[Problem]) -> list[Concept]:
    """The workbench CSV: concept columns + per language ``xx, xx_status, xx_case, xx_review, ...``."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV ({exc})") from None
    if not rows:
        raise InputError(f"{name}: file is empty")
    header = [h.strip() for h in rows[0]]
    if "sourceString" in header and "targetString" in header:
        return parse_tico(rows, name, problems)
    lang_cols: dict[str, int] = {}
    field_cols: dict[tuple[str, str], int] = {}
    concept_cols: dict[str, int] = {}
    raw_langs: dict[str, str] = {}
    seen_cols: set[str] = set()
    for i, h in enumerate(header):
        low = h.lower()
        if low and low in seen_cols:
            raise InputError(f"{name}: column {h!r} appears twice in the header: rename or remove one")
        seen_cols.add(low)
        if low in CONCEPT_FIELDS:
            concept_cols[low] = i
            continue
        m = re.match(r"^(.+?)_(status|case|review|source|note)$", h, re.I)
        if m:
            field_cols[(m.group(1).lower(), m.group(2).lower())] = i
        elif h:
            lang_cols[h] = i
    if not lang_cols:
        raise InputError(f"{name}: no language column in the CSV header (expected columns such as en, ru, km)")
    for col in lang_cols:
        raw_langs[col] = norm_lang(col, problems, f"{name}: column {col!r}")
    for (prefix, fld) in field_cols:
        if prefix not in {c.lower() for c in lang_cols}:
            problems.append(Problem("warning", "orphan-column",
                                    f"{name}: column {prefix}_{fld} has no language column {prefix}"))
    concepts: dict[str, Concept] = {}
    order: list[str] = []
    last_id = None
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise InputError(f"{name}: line {lineno} has {len(row)} fields but the header has {len(header)}")
        row = row + [""] * (len(header) - len(row))

        def cell(i, row=row):
            return _unsafe(row[i].strip()) if i is not None else ""

        cid = cell(concept_cols.get("id"))
        if not cid:
            if "id" in concept_cols and last_id:
                cid = last_id  # continuation row: more terms of the concept above
            else:
                first = next((cell(i) for i in lang_cols.values() if cell(i)), "")
                cid = base = _slug(first)
                n = 2
                while cid in concepts:
                    cid, n = f"{base}-{n}", n + 1
        if cid in concepts and cid != last_id:
            problems.append(Problem("error", "duplicate-concept",
                                    f"{name}: line {lineno}: concept {cid!r} appears again (rows of one concept "
                                    "must be together)", concept=cid))
        c = concepts.get(cid)
        if c is None:
            c = concepts[cid] = Concept(cid)
            order.append(cid)
        for f in ("domain", "pos", "definition"):
            v = cell(concept_cols.get(f))
            if v and not getattr(c, f):
                setattr(c, f, v)
        for col, ci in lang_cols.items():
            lang = raw_langs[col]
            prefix = col.lower()
            vals = {f: cell(field_cols.get((prefix, f))) for f in TERM_FIELDS}
            termtext = _unsafe(row[ci].strip())
            if not termtext:
                if any(vals.values()):
                    problems.append(Problem("error", "empty-term", f"{name}: line {lineno}: empty {col} term "
                                            "with status/notes filled in", concept=cid, lang=lang))
                    c.terms.append(Term(lang, "", vals["status"] or "preferred"))
                continue
            status = (vals["status"] or "preferred").lower()
            if status not in STATUSES:
                problems.append(Problem("error", "bad-status", f"{name}: line {lineno}: status {status!r} "
                                        f"is not one of {', '.join(STATUSES)}", concept=cid, lang=lang))
                status = "admitted"
            c.terms.append(Term(lang, termtext, status, _flag(vals["case"]), bool(_flag(vals["review"], False)),
                                vals["source"], vals["note"]))
        last_id = cid
    return [concepts[i] for i in order]


def ordered_langs(concepts) -> list[str]:
    seen = {t.lang for c in concepts for t in c.terms}
    return [l for l in LANG_ORDER if l in seen] + sorted(seen - set(LANG_ORDER))


def _safe(value: str) -> str:
    """Spreadsheet formula neutralising (``=SUM(...)`` -> ``'=SUM(...)``), undone by :func:`_unsafe`."""
    from ..core.safeio import csv_safe_cell

    return csv_safe_cell(value)


def _unsafe(value: str) -> str:
    from ..core.safeio import FORMULA_TRIGGERS

    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def _yn(v) -> str:
    return "" if v is None else ("yes" if v else "no")


def write_csv(concepts, langs=None) -> str:
    """Deterministic CSV: one row per term "line" of a concept; row k holds the k-th term of each language."""
    langs = langs or ordered_langs(concepts)
    header = list(CONCEPT_FIELDS)
    for l in langs:
        header += [l] + [f"{l}_{f}" for f in TERM_FIELDS]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for c in concepts:
        per_lang = {l: c.terms_in(l) for l in langs}
        n = max([len(v) for v in per_lang.values()] + [1])
        for k in range(n):
            row = [c.id] + ([c.domain, c.pos, c.definition] if k == 0 else ["", "", ""])
            for l in langs:
                ts = per_lang[l]
                if k < len(ts):
                    t = ts[k]
                    row += [t.text, t.status, _yn(t.case), "yes" if t.needs_review else "", t.source, t.note]
                else:
                    row += [""] * (1 + len(TERM_FIELDS))
            w.writerow([_safe(x) for x in row])
    return buf.getvalue()


# ------------------------------------------------------------------------------------------ TICO-19

_BRACKETS = re.compile(r"\s*\[([^\]]*)\]\s*")


def _tico_alternatives(target: str) -> list[str]:
    """``заразный : передающийся при контакте`` -> two terms; ``случаи [заболевания]`` -> without and with."""
    out: list[str] = []
    for alt in re.split(r"\s+:\s+", target):
        alt = alt.strip()
        if not alt:
            continue
        bare = re.sub(r"\s+", " ", _BRACKETS.sub(" ", alt)).strip()
        full = re.sub(r"\s+", " ", alt.replace("[", "").replace("]", "")).strip()
        for v in (bare, full):
            if v and v not in out:
                out.append(v)
    return out


def parse_tico(rows: list[list[str]], name: str, problems: list[Problem]) -> list[Concept]:
    """TICO-19 terminology CSV (Facebook ``id,sourceLang,targetLang,sourceString,targetString`` or Google
    ``stringID,sourceLang,targetLang,pos,description,sourceString,targetString``)."""
    header = [h.strip() for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    idcol = col.get("id", col.get("stringID"))
    family = "g" if "stringID" in col else "f"
    base = Path(name).name
    concepts: dict[str, Concept] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{name}: line {lineno} has {len(row)} fields but the header has {len(header)}")

        def get(k, row=row):
            return row[col[k]].strip() if k in col else ""

        src_lang = norm_lang(get("sourceLang"), None, f"{name}: line {lineno}")
        tgt_lang = norm_lang(get("targetLang"), None, f"{name}: line {lineno}")
        rid = row[idcol].strip() if idcol is not None else str(lineno - 1)
        cid = f"tico-{family}-{_slug(rid)}"
        if cid in concepts:
            cid = f"{cid}-{lineno}"
        src = f"TICO-19 {'Google' if family == 'g' else 'Facebook'} COVID-19 terminology (CC0), {base} id {rid}"
        c = Concept(cid, "health", get("pos"), get("description"))
        source_text = get("sourceString")
        c.terms.append(Term(src_lang, source_text, "preferred", source=src))
        alts = _tico_alternatives(get("targetString"))
        if not alts:
            c.terms.append(Term(tgt_lang, "", "preferred", source=src))
        for k, alt in enumerate(alts):
            c.terms.append(Term(tgt_lang, alt, "preferred" if k == 0 else "admitted", source=src))
        concepts[cid] = c
    return list(concepts.values())


# ------------------------------------------------------------------------------------------ TBX

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: workbench status -> TBX administrativeStatus (ISO 12620 values)
TBX_STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "supersededTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
TBX_STATUS_BACK = {v: k for k, v in TBX_STATUS.items()}
TBX_STATUS_BACK.update({"notRecommendedTerm-admn-sts": "deprecated", "obsoleteTerm-admn-sts": "deprecated",
                        "standardizedTerm-admn-sts": "preferred", "legalTerm-admn-sts": "preferred",
                        "regulatedTerm-admn-sts": "preferred"})


def parse_tbx(text: str, name: str, problems: list[Problem]) -> list[Concept]:
    from lxml import etree

    from ..core.safeio import parse_xml_bytes

    # the text is already decoded: drop the declared encoding so lxml reads the UTF-8 bytes we give it
    text = re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding=[\"'][^\"']*[\"']", r"\1", text, count=1)
    root = parse_xml_bytes(text.encode("utf-8"), name)
    if etree.QName(root).localname not in ("tbx", "martif"):
        raise InputError(f"{name}: not a TBX file (root element <{etree.QName(root).localname}>)")

    def local(el):
        return etree.QName(el).localname if isinstance(el.tag, str) else ""

    def kids(el, nm):
        return [k for k in el if local(k) == nm]

    def typed(el, tag, typ):
        for k in el:
            if local(k) == tag and k.get("type") == typ:
                return "".join(k.itertext()).strip()
        return ""

    concepts: list[Concept] = []
    seen: set[str] = set()
    entries = [el for el in root.iter() if local(el) in ("conceptEntry", "termEntry")]
    for n, entry in enumerate(entries, start=1):
        cid = entry.get("id") or f"c{n}"
        if cid in seen:
            problems.append(Problem("error", "duplicate-concept", f"{name}: conceptEntry id {cid!r} appears twice",
                                    concept=cid))
        seen.add(cid)
        c = Concept(cid, typed(entry, "descrip", "subjectField"), "", typed(entry, "descrip", "definition"))
        for lang_sec in [k for k in entry if local(k) in ("langSec", "langSet")]:
            raw = lang_sec.get(XML_LANG) or lang_sec.get("lang") or ""
            lang = norm_lang(raw, problems, f"{name}: concept {cid!r}")
            if not c.definition:
                c.definition = typed(lang_sec, "descrip", "definition")
            for ts in [k for k in lang_sec if local(k) in ("termSec", "tig", "ntig")]:
                term_el = next((k for k in ts.iter() if local(k) == "term"), None)
                termtext = "".join(term_el.itertext()).strip() if term_el is not None else ""
                adm = typed(ts, "termNote", "administrativeStatus")
                status = TBX_STATUS_BACK.get(adm, "preferred" if not adm else None)
                if status is None:
                    problems.append(Problem("warning", "bad-status", f"{name}: unknown administrativeStatus {adm!r}",
                                            concept=cid, lang=lang))
                    status = "admitted"
                pos = typed(ts, "termNote", "partOfSpeech")
                if pos and not c.pos:
                    c.pos = pos
                proc = typed(ts, "termNote", "processStatus")
                case = _flag(typed(ts, "termNote", "x-caseSensitivity"))
                src = typed(ts, "admin", "source") or typed(ts, "descrip", "source")
                note = "; ".join("".join(k.itertext()).strip() for k in ts if local(k) == "note")
                if not termtext:
                    problems.append(Problem("error", "empty-term", f"{name}: empty <term>", concept=cid, lang=lang))
                c.terms.append(Term(lang, termtext, status, case, proc == "provisionallyProcessed", src, note))
        concepts.append(c)
    if not entries:
        raise InputError(f"{name}: TBX file has no conceptEntry")
    return concepts


def write_tbx(concepts, title: str = "workbench diplomatic glossary") -> str:
    from xml.sax.saxutils import escape, quoteattr

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
        'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
        'schematypens="http://relaxng.org/ns/structure/1.0"?>',
        f'<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="{TBX_NS}">',
        "  <tbxHeader>",
        "    <fileDesc>",
        f"      <titleStmt><title>{escape(title)}</title></titleStmt>",
        "      <sourceDesc><p>Exported by workbench</p></sourceDesc>",
        "    </fileDesc>",
        "  </tbxHeader>",
        "  <text>",
        "    <body>",
    ]
    for c in concepts:
        out.append(f"      <conceptEntry id={quoteattr(c.id)}>")
        if c.domain:
            out.append(f'        <descrip type="subjectField">{escape(c.domain)}</descrip>')
        if c.definition:
            out.append(f'        <descrip type="definition">{escape(c.definition)}</descrip>')
        for lang in c.languages():
            out.append(f"        <langSec xml:lang={quoteattr(lang)}>")
            for t in c.terms_in(lang):
                out.append("          <termSec>")
                out.append(f"            <term>{escape(t.text)}</term>")
                if c.pos:
                    out.append(f'            <termNote type="partOfSpeech">{escape(c.pos)}</termNote>')
                out.append(f'            <termNote type="administrativeStatus">{TBX_STATUS[t.status]}</termNote>')
                if t.case is not None:
                    out.append(f'            <termNote type="x-caseSensitivity">{_yn(t.case)}</termNote>')
                if t.needs_review:
                    out.append('            <termNote type="processStatus">provisionallyProcessed</termNote>')
                if t.source:
                    out.append(f'            <admin type="source">{escape(t.source)}</admin>')
                if t.note:
                    out.append(f"            <note>{escape(t.note)}</note>")
                out.append("          </termSec>")
            out.append("        </langSec>")
        out.append("      </conceptEntry>")
    out += ["    </body>", "  </text>", "</tbx>", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ OmegaT TSV

_CONCEPT_TAG = re.compile(r"^\[(?P<id>[^\]\s]+)\]\s?")


def parse_tsv(text: str, name: str, problems: list[Problem], src_lang: str = "en", tgt_lang: str = "ru"):
    """OmegaT glossary: ``source<TAB>target[<TAB>comment]`` per line, ``#`` comments.

    A comment starting with ``[concept-id]`` (what :func:`write_tsv` writes) groups lines into one concept.
    """
    src_lang = check_lang(src_lang)
    tgt_lang = check_lang(tgt_lang)
    concepts: dict[str, Concept] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise InputError(f"{name}: line {lineno}: expected source<TAB>target[<TAB>comment], found no tab")
        if len(parts) > 3:
            raise InputError(f"{name}: line {lineno}: {len(parts)} tab-separated fields; OmegaT glossaries have 2 or 3")
        src, tgt = _unsafe(parts[0].strip()), _unsafe(parts[1].strip())
        comment = _unsafe(parts[2].strip()) if len(parts) == 3 else ""
        m = _CONCEPT_TAG.match(comment)
        if m:
            cid, comment = m.group("id"), comment[m.end():]
        else:
            cid = _slug(src)
        c = concepts.get(cid)
        if c is None:
            c = concepts[cid] = Concept(cid, definition=comment)
        for lang, t in ((src_lang, src), (tgt_lang, tgt)):
            if not t:
                problems.append(Problem("error", "empty-term", f"{name}: line {lineno}: empty {lang} term",
                                        concept=cid, lang=lang))
            if not any(x.lang == lang and x.text == t for x in c.terms):
                status = "preferred" if not c.terms_in(lang) else "admitted"
                c.terms.append(Term(lang, t, status))
    if not concepts:
        raise InputError(f"{name}: no glossary lines (expected source<TAB>target)")
    return list(concepts.values())


def write_tsv(concepts, src_lang: str = "en", tgt_lang: str = "ru") -> str:
    """OmegaT glossary for one pair: every usable source term with the preferred target term;
    the comment is ``[concept-id] definition``. Statuses, review flags and sources do not fit the format."""
    lines = [f"# workbench glossary {src_lang} -> {tgt_lang} (OmegaT: source<TAB>target<TAB>comment)"]
    for c in concepts:
        tgt = c.preferred(tgt_lang)
        if tgt is None:
            continue
        targets = [tgt] + [t for t in c.terms_in(tgt_lang, ("preferred", "admitted")) if t is not tgt]
        sources = c.terms_in(src_lang, ("preferred", "admitted"))
        comment = f"[{c.id}]" + (f" {c.definition}" if c.definition else "")
        comment = comment.replace("\t", " ").replace("\n", " ")
        for s in sources:
            lines.append(f"{_safe(s.text)}\t{_safe(tgt.text)}\t{_safe(comment)}")
        first = sources[0].text if sources else ""
        for t in targets[1:]:
            lines.append(f"{_safe(first)}\t{_safe(t.text)}\t{_safe(comment)}")
    return "\n".join(lines) + "\n"
