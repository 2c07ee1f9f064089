"""What every glossary format shares: reading a file's text, telling the format, language codes, yes/no flags,
spreadsheet-formula neutralising, and the import report."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ...core.config import check_lang
from ...core.errors import InputError, UnknownLanguage
from ..model import Problem

CONCEPT_FIELDS = ("id", "domain", "pos", "definition")
TERM_FIELDS = ("status", "case", "review", "source", "note")
LANG_ORDER = ("en", "ru", "km")
MAX_BYTES = 50 * 1024 * 1024

FORMATS = ("csv", "tbx", "tsv", "tico", "xlsx")
#: formats the glossary can be written in
WRITE_FORMATS = ("csv", "tbx", "tsv", "xlsx")


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
    if ext == "xlsx":
        return "xlsx"
    raise InputError(f"{path}: cannot tell the glossary format from the extension: give --format csv, tbx, tsv "
                     "or xlsx")


def read_bytes(path: str | os.PathLike) -> bytes:
    """The file's bytes (at most :data:`MAX_BYTES`); missing, folder, unreadable, too large, empty: one line."""
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
    return data


def read_text(path: str | os.PathLike) -> str:
    p = Path(path)
    data = read_bytes(p)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{p}: binary file, not a glossary: give a UTF-8 CSV, TBX or TSV file (or an .xlsx)")
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


def flag(value: str, default=None):
    v = (value or "").strip().lower()
    if v in ("", "auto"):
        return default
    if v in ("yes", "y", "true", "1", "x"):
        return True
    if v in ("no", "n", "false", "0"):
        return False
    return default


def yes_no(v) -> str:
    return "" if v is None else ("yes" if v else "no")


def slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return s[:60] or "concept"


def spaces(text: str) -> str:
    """Runs of whitespace (newlines, tabs) as one space, trimmed."""
    return " ".join((text or "").split())


def safe(value: str) -> str:
    """Spreadsheet formula neutralising (``=SUM(...)`` -> ``'=SUM(...)``), undone by :func:`unsafe`."""
    from ...core.safeio import csv_safe_cell

    return csv_safe_cell(value)


def unsafe(value: str) -> str:
    from ...core.safeio import FORMULA_TRIGGERS

    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def ordered_langs(concepts) -> list[str]:
    seen = {t.lang for c in concepts for t in c.terms}
    return [l for l in LANG_ORDER if l in seen] + sorted(seen - set(LANG_ORDER))


@dataclass
class ImportReport:
    """What reading a glossary file kept and left out (``Glossary.read`` sets it as ``g.import_report``)."""

    path: str
    format: str
    concepts_read: int = 0
    concepts: int = 0                                       # concepts kept
    skipped_concepts: int = 0                               # no term in a kept language (en/ru/km, --langs)
    terms: Counter = field(default_factory=Counter)         # terms kept per language
    skipped_langs: Counter = field(default_factory=Counter)  # terms left out per language (as in the file)
    warnings: list[str] = field(default_factory=list)

    def lines(self, limit: int = 5) -> list[str]:
        """The report for a person: counts, the languages left out, the warnings (first ``limit``)."""
        terms = ", ".join(f"{k} {v}" for k, v in sorted(self.terms.items(), key=lambda kv: _lang_rank(kv[0])))
        out = [f"{Path(self.path).name} ({self.format}): {self.concepts_read} concepts read, {self.concepts} kept"
               f" ({terms or 'no terms'})"]
        if self.skipped_concepts:
            out.append(f"  skipped {self.skipped_concepts} concepts with no term in a kept language")
        if self.skipped_langs:
            out.append("  languages left out (terms): "
                       + ", ".join(f"{k} {v}" for k, v in sorted(self.skipped_langs.items())))
        if self.warnings:
            out.append(f"  {len(self.warnings)} warning(s):")
            out += [f"    {w}" for w in self.warnings[:limit]]
            if len(self.warnings) > limit:
                out.append(f"    ... and {len(self.warnings) - limit} more")
        return out


def _lang_rank(lang: str) -> tuple:
    return (LANG_ORDER.index(lang) if lang in LANG_ORDER else len(LANG_ORDER), lang)
