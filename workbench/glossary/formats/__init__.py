"""Reading and writing glossaries: the repository CSV, TBX (TBX-Basic v3 out; TBX v3 and v2 in), OmegaT TSV,
TICO-19 CSV, XLSX.

Readers are lenient about *content* (they keep empty terms, unknown languages and duplicate concepts so that
:meth:`Glossary.validate` can report them; the TBX reader leaves out languages other than en/ru/km and counts
them) and strict about *form*: a file that is not UTF-8, is binary, empty, or malformed XML/CSV/XLSX raises
:class:`InputError` with one line naming the file. :func:`read` returns the concepts and an
:class:`ImportReport` (what was kept, what was left out, the warnings).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import Concept, Problem
from .common import (
    CONCEPT_FIELDS,
    FORMATS,
    LANG_ORDER,
    MAX_BYTES,
    TERM_FIELDS,
    WRITE_FORMATS,
    ImportReport,
    guess_format,
    norm_lang,
    ordered_langs,
    read_text,
)
from .csv import parse_csv, parse_rows, parse_tico, table_rows, write_csv
from .tbx import TBX_NS, TBX_STATUS, XML_LANG, parse_tbx, status_of, write_tbx
from .tsv import parse_tsv, write_tsv
from .xlsx import parse_xlsx, write_xlsx

__all__ = ["CONCEPT_FIELDS", "FORMATS", "LANG_ORDER", "MAX_BYTES", "TBX_NS", "TBX_STATUS", "TERM_FIELDS",
           "WRITE_FORMATS", "XML_LANG", "ImportReport", "dump", "guess_format", "norm_lang", "ordered_langs",
           "parse_csv", "parse_rows", "parse_tbx", "parse_tico", "parse_tsv", "parse_xlsx", "read", "read_text",
           "status_of", "table_rows", "write_csv", "write_tbx", "write_tsv", "write_xlsx"]


def read(path: str | os.PathLike, fmt: str | None = None, *, src_lang: str = "en", tgt_lang: str = "ru",
         langs=None) -> tuple[list[Concept], list[Problem], ImportReport]:
    """Parse a glossary file: ``(concepts, problems, report)``. ``langs``: keep only these languages (terms
    of others are left out and counted; concepts left without terms are skipped)."""
    p = Path(path)
    fmt = guess_format(p, fmt)
    problems: list[Problem] = []
    report = ImportReport(str(p), fmt)
    if fmt == "tbx":
        concepts = parse_tbx(read_text(p), str(p), problems, langs=langs, report=report)
    elif fmt == "xlsx":
        concepts = parse_xlsx(p, problems, report)
    elif fmt == "tsv":
        concepts = parse_tsv(read_text(p), str(p), problems, src_lang, tgt_lang)
    else:
        concepts = parse_csv(read_text(p), str(p), problems)
    if fmt != "tbx":
        report.concepts_read = len(concepts)
        if langs:
            concepts = _only(concepts, langs, report)
        report.concepts = len(concepts)
        report.terms.update(t.lang for c in concepts for t in c.terms)
        report.warnings += [p.message for p in problems if p.severity == "warning"]
    return concepts, problems, report


def _only(concepts: list[Concept], langs, report: ImportReport) -> list[Concept]:
    out = []
    for c in concepts:
        for t in c.terms:
            if t.lang not in langs:
                report.skipped_langs[t.lang] += 1
        c.terms = [t for t in c.terms if t.lang in langs]
        if c.terms:
            out.append(c)
        else:
            report.skipped_concepts += 1
    return out


def dump(concepts, fmt: str, *, src_lang: str = "en", tgt_lang: str = "ru") -> bytes:
    """The concepts in ``fmt`` (csv, tbx, tsv: UTF-8 text; xlsx) as bytes."""
    if fmt == "xlsx":
        return write_xlsx(concepts)
    if fmt == "tbx":
        return write_tbx(concepts).encode("utf-8")
    if fmt == "tsv":
        return write_tsv(concepts, src_lang, tgt_lang).encode("utf-8")
    return write_csv(concepts).encode("utf-8")
