"""The workbench CSV (``workbench/data/glossary/SCHEMA.md``) and TICO-19 terminology CSV.

:func:`parse_rows` reads the CSV layout from any table of cells (the XLSX reader uses it too); readers are
lenient about content (validation reports it) and strict about form (one-line :class:`InputError`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ...core.errors import InputError
from ..model import STATUSES, Concept, Problem, Term
from .common import CONCEPT_FIELDS, TERM_FIELDS, flag, norm_lang, ordered_langs, safe, slug, unsafe, yes_no

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
    return parse_rows(rows, name, problems)


def parse_rows(rows: list[list[str]], name: str, problems: list[Problem], where: str = "line") -> list[Concept]:
    """The CSV layout from a table of cells (first row: the header); ``where`` names a row in messages."""
    header = [h.strip() for h in rows[0]]
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
            raise InputError(f"{name}: {where} {lineno} has {len(row)} fields but the header has {len(header)}")
        row = row + [""] * (len(header) - len(row))

        def cell(i, row=row):
            return unsafe(row[i].strip()) if i is not None else ""

        cid = cell(concept_cols.get("id"))
        if not cid:
            if "id" in concept_cols and last_id:
                cid = last_id  # continuation row: more terms of the concept above
            else:
                first = next((cell(i) for i in lang_cols.values() if cell(i)), "")
                cid = base = slug(first)
                n = 2
                while cid in concepts:
                    cid, n = f"{base}-{n}", n + 1
        if cid in concepts and cid != last_id:
            problems.append(Problem("error", "duplicate-concept",
                                    f"{name}: {where} {lineno}: concept {cid!r} appears again (rows of one concept "
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
            termtext = unsafe(row[ci].strip())
            if not termtext:
                if any(vals.values()):
                    problems.append(Problem("error", "empty-term", f"{name}: {where} {lineno}: empty {col} term "
                                            "with status/notes filled in", concept=cid, lang=lang))
                    c.terms.append(Term(lang, "", vals["status"] or "preferred"))
                continue
            status = (vals["status"] or "preferred").lower()
            if status not in STATUSES:
                problems.append(Problem("error", "bad-status", f"{name}: {where} {lineno}: status {status!r} "
                                        f"is not one of {', '.join(STATUSES)}", concept=cid, lang=lang))
                status = "admitted"
            c.terms.append(Term(lang, termtext, status, flag(vals["case"]), bool(flag(vals["review"], False)),
                                vals["source"], vals["note"]))
        last_id = cid
    return [concepts[i] for i in order]


def table_rows(concepts, langs=None) -> list[list[str]]:
    """The header and one row per term "line" of a concept (row k holds the k-th term of each language):
    what :func:`write_csv` and the XLSX writer write."""
    langs = langs or ordered_langs(concepts)
    header = list(CONCEPT_FIELDS)
    for l in langs:
        header += [l] + [f"{l}_{f}" for f in TERM_FIELDS]
    rows = [header]
    for c in concepts:
        per_lang = {l: c.terms_in(l) for l in langs}
        n = max([len(v) for v in per_lang.values()] + [1])
        for k in range(n):
            row = [c.id] + ([c.domain, c.pos, c.definition] if k == 0 else ["", "", ""])
            for l in langs:
                ts = per_lang[l]
                if k < len(ts):
                    t = ts[k]
                    row += [t.text, t.status, yes_no(t.case), "yes" if t.needs_review else "", t.source, t.note]
                else:
                    row += [""] * (1 + len(TERM_FIELDS))
            rows.append(row)
    return rows


def write_csv(concepts, langs=None) -> str:
    """Deterministic CSV of :func:`table_rows`, every cell formula-neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for row in table_rows(concepts, langs):
        w.writerow([safe(x) for x in row])
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
        cid = f"tico-{family}-{slug(rid)}"
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
