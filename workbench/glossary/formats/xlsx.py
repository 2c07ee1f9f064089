"""The glossary as a spreadsheet (``.xlsx``, openpyxl): the first sheet holds the workbench CSV layout, first
row = the header (``id, domain, pos, definition`` and per language ``xx, xx_status, xx_case, xx_review,
xx_source, xx_note``), one row per term line.

Writing neutralises formulas as the CSV export does (a cell that would start a formula gets a leading
apostrophe, taken off again on reading). Reading never evaluates anything: a formula cell in a file from
elsewhere is read as its text (with a warning). The archive is checked before it is opened (size when
unpacked), and at most :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns are read.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path

from ...core.errors import InputError
from ..model import Concept, Problem
from .common import ImportReport, read_bytes, safe, spaces
from .csv import parse_rows, table_rows

MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_UNPACKED = 500 * 1024 * 1024


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def read_xlsx_rows(path: str | Path, report: ImportReport | None = None) -> list[list[str]]:
    """The cells of the first sheet as text, row by row (trailing empty rows dropped)."""
    name = str(path)
    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not an .xlsx file (not a zip archive); save the spreadsheet as .xlsx") from None
    if unpacked > MAX_UNPACKED:
        raise InputError(f"{name}: the spreadsheet unpacks to {unpacked // 1_048_576} MB; the limit is "
                         f"{MAX_UNPACKED // 1_048_576} MB")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file; all mean the same to the user
        raise InputError(f"{name}: cannot read the spreadsheet ({type(exc).__name__}: "
                         f"{spaces(str(exc))[:80]}); save it as .xlsx and try again") from None
    rows: list[list[str]] = []
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise InputError(f"{name}: the spreadsheet has no sheet")
        for r, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
            if r > MAX_ROWS:
                raise InputError(f"{name}: more than {MAX_ROWS} rows; split the glossary")
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" and report is not None:
                    report.warnings.append(f"cell {cell.coordinate} holds a formula; read as its text {value!r}")
                cells.append(_cell_text(value))
            rows.append(cells)
    finally:
        wb.close()
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError(f"{name}: the spreadsheet is empty")
    return rows


def parse_xlsx(path: str | Path, problems: list[Problem], report: ImportReport | None = None) -> list[Concept]:
    rows = read_xlsx_rows(path, report)
    width = len(rows[0])
    while width and not rows[0][width - 1].strip():
        width -= 1
    rows = [r[:width] if all(not c.strip() for c in r[width:]) else r for r in rows]
    return parse_rows(rows, str(path), problems, where="row")


def write_xlsx(concepts, langs=None) -> bytes:
    """The glossary as an .xlsx file (bytes): the header row in bold and frozen, formulas neutralised."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "glossary"
    rows = table_rows(concepts, langs)
    for row in rows:
        ws.append([safe(x) for x in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for k, head in enumerate(rows[0], start=1):
        letter = openpyxl.utils.get_column_letter(k)
        ws.column_dimensions[letter].width = 28 if "_" not in head and head not in ("id", "domain", "pos") else 12
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
