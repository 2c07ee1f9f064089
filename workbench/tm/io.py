"""TMX in and out of a translation memory: :func:`import_tmx` and :func:`export_tmx` (also available as the
memory's methods ``TranslationMemory.import_tmx`` / ``export_tmx``).

Import streams the file into one transaction (a file that turns out broken half-way adds nothing) and keeps
the TMX header, so exporting an imported memory reproduces the file our exporter wrote. A unit's key in its
memory is its ``tuid``, else :func:`content_key`: importing the same file twice adds nothing, and a unit that
repeats an earlier one of the file exactly is merged with it (and counted). Variants without text or codes
are left out; a unit left with fewer than two language tags is skipped (counted): it holds no translation.
:class:`ImportResult` says what happened to every unit read.
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

from ..core.config import lang_tag
from ..core.errors import InputError
from ..core.store import now_iso
from .tmx import TmxHeader, TmxUnit, Variants, read_tmx, tmx_date, write_tmx


class Memory(Protocol):
    """What import and export use of :class:`workbench.tm.memory.TranslationMemory`."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def add_unit(self, unit: TmxUnit, *, tm: str, key: str | None = None,
                 con: sqlite3.Connection | None = None) -> int: ...
    def store_unit(self, con: sqlite3.Connection, unit: TmxUnit, *, tm: str, key: str) -> bool: ...
    def remove_in(self, con: sqlite3.Connection, tm: str) -> int: ...
    def set_header(self, tm: str, header: TmxHeader, *, con: sqlite3.Connection | None = None) -> None: ...
    def header(self, tm: str) -> TmxHeader | None: ...
    def units(self, tm: str | Sequence[str] | None = None) -> Iterator[TmxUnit]: ...
    def latest_change(self, tm: str | None = None) -> str | None: ...


@dataclass
class ImportResult:
    """What a TMX import did: every unit read is stored, merged, or skipped (and said so)."""

    name: str
    path: Path
    units: int                  # units stored (written to the memory)
    skipped: int                # units skipped: empty + one language
    languages: dict[str, int]   # variants stored per language tag
    seconds: float
    read: int = 0               # <tu> elements read
    new: int = 0                # stored units that were not in the memory yet
    replaced: int = 0           # stored units that replaced one with the same key (an earlier import)
    duplicates: int = 0         # units merged: an exact duplicate of a unit earlier in the file (no tuid)
    same_tuid: int = 0          # units that replaced an earlier unit of the file with the same tuid
    empty: int = 0              # units with no variant holding text or codes
    one_language: int = 0       # units with fewer than two language tags (nothing to translate from/into)
    empty_variants: int = 0     # variants left out: no text, no codes
    with_codes: int = 0         # stored variants with inline codes (kept, written back on export)
    removed: int = 0            # units of the memory deleted first (``replace=True``)

    def lines(self) -> list[str]:
        """The report as lines for a person (the CLI prints them; the editor shows them)."""
        langs = ", ".join(f"{k} {v}" for k, v in self.languages.items()) or "none"
        out = [f"{self.path.name}: {self.read} units read, {self.units} stored in '{self.name}' "
               f"({self.new} new, {self.replaced} replaced)"]
        if self.removed:
            out.append(f"  {self.removed} units of '{self.name}' deleted first (--replace)")
        out.append(f"  merged: {self.duplicates} exact duplicates of an earlier unit, "
                   f"{self.same_tuid} units with the tuid of an earlier one (the later kept)")
        out.append(f"  skipped: {self.empty} empty, {self.one_language} with one language only"
                   + (f"; {self.empty_variants} empty variants left out" if self.empty_variants else ""))
        out.append(f"  languages: {langs}")
        if self.with_codes:
            out.append(f"  inline codes kept in {self.with_codes} variants")
        return out


def content_key(unit: TmxUnit) -> str:
    """A unit's key from its content (language tags, texts, inline codes): the same content, the same key."""
    h = hashlib.sha1()
    for tag, text, markup in sorted((v.tag, v.text, v.markup or "") for v in unit.variants.values()):
        h.update(tag.encode() + b"\x1f" + text.encode("utf-8", "surrogatepass")
                 + (b"\x1f" + markup.encode("utf-8", "surrogatepass") if markup else b"") + b"\x1e")
    return "sha1:" + h.hexdigest()


def header_json(header: TmxHeader) -> str:
    return json.dumps(header.__dict__, ensure_ascii=False)


def header_from_json(raw: str) -> TmxHeader:
    header = TmxHeader(**json.loads(raw))
    header.props = [tuple(p) for p in header.props]
    return header


def import_tmx(memory: Memory, path: str | os.PathLike, name: str | None = None, *, replace: bool = False,
               progress=None) -> ImportResult:
    """Import a TMX file into memory ``name`` (default: the file name without extension); ``replace``: delete
    that memory's units first (in the same transaction). Returns what happened to every unit.

    ``progress(done, 0)`` is called every 1,000 units read and at the end (0: the total is not known).
    """
    started = time.perf_counter()
    path = Path(path)
    name = name or path.stem
    reader = read_tmx(path)
    r = ImportResult(name, path, 0, 0, {}, 0.0)
    langs: Counter = Counter()
    seen_keys: set[int] = set()
    seen_tuids: dict[str, list[str]] = {}  # tuid -> the tags stored under it (a later unit replaces them)
    with memory.transaction() as con:
        if replace:
            r.removed = memory.remove_in(con, name)
        for unit in reader:
            r.read += 1
            if progress is not None and r.read % 1000 == 0:
                progress(r.read, 0)
            kept = [v for v in unit.variants.values() if v.text.strip() or v.markup]
            r.empty_variants += len(unit.variants) - len(kept)
            if not kept:
                r.empty += 1
                continue
            if len({v.tag for v in kept}) < 2:
                r.one_language += 1
                continue
            unit.variants = Variants(kept)
            key = unit.tuid or content_key(unit)
            if hash(key) in seen_keys:
                if unit.tuid:
                    r.same_tuid += 1
                else:
                    r.duplicates += 1
                    continue
            seen_keys.add(hash(key))
            replaced = memory.store_unit(con, unit, tm=name, key=key)
            if unit.tuid and unit.tuid in seen_tuids:  # replaced the earlier unit of this file (in same_tuid)
                langs.subtract(seen_tuids[unit.tuid])
            elif replaced:
                r.replaced += 1
            else:
                r.new += 1
            if unit.tuid:
                seen_tuids[unit.tuid] = unit.variants.keys()
            langs.update(unit.variants.keys())
            r.with_codes += sum(1 for v in kept if v.markup)
        if progress is not None:
            progress(r.read, 0)
        r.empty += reader.skipped
        r.read += reader.skipped
        r.units = r.new + r.replaced
        r.skipped = r.empty + r.one_language
        if r.units == 0:  # raised inside the transaction: nothing is kept
            why = f" ({r.read} read: {r.empty} empty, {r.one_language} with one language only)" if r.read else ""
            raise InputError(f"{path}: no translation units with text in two languages found{why}; nothing imported")
        memory.set_header(name, reader.header, con=con)
    r.languages = {k: v for k, v in sorted(langs.items()) if v > 0}
    r.seconds = time.perf_counter() - started
    return r


def export_tmx(memory: Memory, path: str | os.PathLike, *, tm: str | None = None,
               langs: Sequence[str] | None = None, srclang: str | None = None) -> Path:
    """Write memory ``tm`` (or all) as TMX, every variant with its inline codes; only the languages ``langs``
    when given (``en``: every en variant; ``en-GB``: that one; units left with fewer than two variants are
    left out). An imported memory keeps its header; otherwise the header date is the latest unit change."""
    keep = [lang_tag(lang) for lang in langs] if langs else None
    header = memory.header(tm) if tm is not None else None
    units = memory.units(tm)
    if keep:
        units = (_only(u, keep) for u in units)
    if header is None:
        header = TmxHeader(srclang=lang_tag(srclang or "en"),
                           creationdate=tmx_date(memory.latest_change(tm) or now_iso()))
    return write_tmx(path, (u for u in units if u.variants), header=header)


def _only(unit: TmxUnit, langs: Sequence[str]) -> TmxUnit:
    variants = [v for v in unit.variants.values() if v.tag in langs or v.lang in langs]
    if len(variants) < 2:
        variants = []
    return TmxUnit(Variants(variants), unit.tuid, unit.props, unit.notes, unit.creationdate, unit.creationid,
                   unit.changedate, unit.changeid, unit.srclang)
