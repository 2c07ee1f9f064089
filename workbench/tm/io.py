"""TMX in and out of a translation memory: :func:`import_tmx` and :func:`export_tmx` (also available as the
memory's methods ``TranslationMemory.import_tmx`` / ``export_tmx``).

Import streams the file into one transaction (a file that turns out broken half-way adds nothing) and keeps
the TMX header, so exporting an imported memory reproduces the file our exporter wrote. A unit's key in its
memory is its ``tuid``, else :func:`content_key`: importing the same file twice adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..core.errors import InputError
from ..core.store import now_iso
from .tmx import TmxHeader, TmxUnit, norm_lang, read_tmx, tmx_date, write_tmx


class Memory(Protocol):
    """What import and export use of :class:`workbench.tm.memory.TranslationMemory`."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def add_unit(self, unit: TmxUnit, *, tm: str, key: str | None = None,
                 con: sqlite3.Connection | None = None) -> int: ...
    def set_header(self, tm: str, header: TmxHeader, *, con: sqlite3.Connection | None = None) -> None: ...
    def header(self, tm: str) -> TmxHeader | None: ...
    def units(self, tm: str | Sequence[str] | None = None) -> Iterator[TmxUnit]: ...
    def latest_change(self, tm: str | None = None) -> str | None: ...


@dataclass
class ImportResult:
    name: str
    path: Path
    units: int
    skipped: int
    languages: dict[str, int]
    seconds: float


def content_key(unit: TmxUnit) -> str:
    """A unit's key from its content (languages and texts): the same pair gets the same key."""
    h = hashlib.sha1()
    for lang in sorted(unit.variants):
        h.update(lang.encode() + b"\x1f" + unit.variants[lang].text.encode("utf-8", "surrogatepass") + b"\x1e")
    return "sha1:" + h.hexdigest()


def header_json(header: TmxHeader) -> str:
    return json.dumps(header.__dict__, ensure_ascii=False)


def header_from_json(raw: str) -> TmxHeader:
    header = TmxHeader(**json.loads(raw))
    header.props = [tuple(p) for p in header.props]
    return header


def import_tmx(memory: Memory, path: str | os.PathLike, name: str | None = None, *,
               progress=None) -> ImportResult:
    """Import a TMX file into memory ``name`` (default: the file name without extension).

    ``progress(done, 0)`` is called every 1,000 units read and at the end (0: the total is not known).
    """
    started = time.perf_counter()
    path = Path(path)
    name = name or path.stem
    reader = read_tmx(path)
    langs: Counter = Counter()
    n = 0
    with memory.transaction() as con:
        for unit in reader:
            memory.add_unit(unit, tm=name, key=unit.tuid or content_key(unit), con=con)
            langs.update(unit.variants.keys())
            n += 1
            if progress is not None and n % 1000 == 0:
                progress(n, 0)
        if progress is not None:
            progress(n, 0)
        if n == 0:  # raised inside the transaction: nothing is kept
            raise InputError(f"{path}: no translation units with text found; nothing imported")
        memory.set_header(name, reader.header, con=con)
    return ImportResult(name, path, n, reader.skipped, dict(sorted(langs.items())), time.perf_counter() - started)


def export_tmx(memory: Memory, path: str | os.PathLike, *, tm: str | None = None,
               langs: Sequence[str] | None = None, srclang: str | None = None) -> Path:
    """Write memory ``tm`` (or all) as TMX, only the languages ``langs`` when given (units left with fewer
    than two are left out). An imported memory keeps its header; otherwise the header date is the latest
    unit change."""
    keep = [norm_lang(lang) for lang in langs] if langs else None
    header = memory.header(tm) if tm is not None else None
    units = memory.units(tm)
    if keep:
        units = (_only(u, keep) for u in units)
    if header is None:
        header = TmxHeader(srclang=norm_lang(srclang or "en"),
                           creationdate=tmx_date(memory.latest_change(tm) or now_iso()))
    return write_tmx(path, (u for u in units if u.variants), header=header)


def _only(unit: TmxUnit, langs: Sequence[str]) -> TmxUnit:
    variants = {lang: v for lang, v in unit.variants.items() if lang in langs}
    if len(variants) < 2:
        variants = {}
    return TmxUnit(variants, unit.tuid, unit.props, unit.notes, unit.creationdate, unit.creationid,
                   unit.changedate, unit.changeid, unit.srclang)
