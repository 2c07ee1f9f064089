"""The project store: one SQLite file per project, the single model every stage reads and writes.

The tables are described in :mod:`workbench.core.schema`; the file is opened, migrated, checked and written
through :mod:`workbench.core.db` (WAL, ``synchronous = FULL``, busy and damage reported as one-line errors
naming the file, every public method guarded). The workflow rules (statuses, origins, what a translator's
save does) live in :mod:`workbench.core.workflow`; ``Translation.meta``'s typed sections in
:mod:`workbench.core.meta`.

The :class:`Project` object is safe to share between threads (the Gradio server does): every operation
takes an internal lock and writes inside one transaction.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import db
from .config import check_lang
from .errors import InputError, NotFound, VersionConflict
from .meta import AlignMeta, MtMeta, TermsMeta, TmMeta, section
from .schema import MIGRATIONS, PROJECT_SCHEMA, SCHEMA_VERSION
from .views import SegmentViews
from .workflow import CONFIRMED, ORIGINS, STATUSES, check_edit, check_origin, check_status, edit_outcome

__all__ = ["CONFIRMED", "MIGRATIONS", "ORIGINS", "SCHEMA_VERSION", "STATUSES", "Document", "HistoryEntry",
           "Project", "Segment", "Translation", "migrate", "now_iso"]


def now_iso() -> str:
    """UTC timestamp, second precision, ISO 8601 with a ``Z``."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def migrate(con: sqlite3.Connection) -> int:
    """Bring a project file's schema up to :data:`SCHEMA_VERSION`; returns the version found before."""
    return db.migrate(con, PROJECT_SCHEMA, label="this project")


# --------------------------------------------------------------------------------------------- model


@dataclass
class Translation:
    segment_id: int
    lang: str
    text: str = ""
    origin: str | None = None
    status: str = "new"
    score: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    updated_at: str | None = None
    updated_by: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status in CONFIRMED

    @property
    def mt(self) -> MtMeta | None:
        """``meta["mt"]``, typed (None when the text did not come from MT)."""
        return section(self.meta, MtMeta)

    @property
    def tm(self) -> TmMeta | None:
        """``meta["tm"]``, typed (None when the text did not come from the TM)."""
        return section(self.meta, TmMeta)

    @property
    def align(self) -> AlignMeta | None:
        """``meta["align"]``, typed (None when the translation was not aligned)."""
        return section(self.meta, AlignMeta)

    @property
    def terms(self) -> TermsMeta | None:
        """``meta["terms"]``, typed: the glossary check stored with the text (None when never checked)."""
        return section(self.meta, TermsMeta)


@dataclass
class Segment:
    id: int
    document_id: int
    position: int
    paragraph: int
    source: str
    translations: dict[str, Translation] = field(default_factory=dict)


@dataclass
class Document:
    id: int
    title: str
    date: str | None
    byline: str | None
    origin: str | None
    format: str | None
    text: str
    created: str


@dataclass
class HistoryEntry:
    id: int
    segment_id: int
    lang: str
    version: int
    action: str
    old_text: str | None
    new_text: str | None
    old_status: str | None
    new_status: str | None
    old_origin: str | None
    new_origin: str | None
    author: str
    at: str


# ------------------------------------------------------------------------------------------- project


class Project(db.Database, SegmentViews):
    """One translation project stored in one SQLite file. Create with :meth:`create`, open with :meth:`open`.
    Paged, filtered and counted reads come from :class:`~workbench.core.views.SegmentViews`."""

    SCHEMA = PROJECT_SCHEMA

    def __init__(self, path: Path, con: sqlite3.Connection):
        super().__init__(path, con)
        con.create_function("wb_fold", 1, _fold, deterministic=True)  # case-insensitive search of short queries
        row = con.execute("SELECT * FROM project WHERE id = 1").fetchone()
        if row is None:
            raise InputError(f"{path}: not a workbench project (no project record); create one with 'workbench new'")
        self.name: str = row["name"]
        self.source_lang: str = row["source_lang"]
        self.target_langs: list[str] = db.load_json(row["target_langs"], list, [])
        if not all(isinstance(lang, str) for lang in self.target_langs):
            raise db.Damage("the target languages are not language codes")
        self.created: str = row["created"]

    # -- lifecycle ---------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike,
        name: str | None = None,
        source_lang: str = "en",
        target_langs: Sequence[str] = ("ru", "km"),
        *,
        overwrite: bool = False,
    ) -> Project:
        path = Path(path)
        src = check_lang(source_lang)
        tgts = [check_lang(t) for t in target_langs]
        if not tgts:
            raise InputError("a project needs at least one target language, e.g. --to ru,km")
        if src in tgts:
            raise InputError(f"target languages {','.join(tgts)} include the source language {src}")
        if path.exists():
            if not overwrite:
                raise InputError(f"{path}: already exists; open it, or choose another file name")
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        con = db.open_file(path, PROJECT_SCHEMA)
        con.execute(
            "INSERT INTO project (id, name, source_lang, target_langs, created) VALUES (1, ?, ?, ?, ?)",
            (name or path.stem, src, json.dumps(tgts), now_iso()),
        )
        return cls.from_connection(path, con)

    @classmethod
    def open(cls, path: str | os.PathLike, *, quick_check: bool = True) -> Project:
        """Open a project file: migrated to the current schema, every page and the columns checked first, so
        a damaged file is reported now, with a clear message, not as a crash in the middle of an edit.
        ``quick_check=False`` skips reading every page (a second handle on a file just opened and checked,
        e.g. for a background job)."""
        path = Path(path)
        if not path.is_file():
            raise NotFound(f"{path}: no such project file; create one with "
                           f"'workbench new {path} SOURCE_FILE --to ru,km'")
        return cls.from_connection(path, db.open_file(path, PROJECT_SCHEMA, quick_check=quick_check))

    def check_targets(self, langs: Sequence[str] | str | None = None) -> list[str]:
        """Validated target languages: ``None`` or empty means all of the project's; a string may list several
        (``"ru,km"``). Codes are normalised (``RU`` -> ``ru``), duplicates dropped, order kept; a language that
        is not a target of this project is an :class:`InputError` naming the project file."""
        if isinstance(langs, str):
            langs = langs.split(",")
        out: list[str] = []
        for code in langs or ():
            if not str(code).strip():
                continue
            lang = check_lang(code)
            if lang not in self.target_langs:
                raise InputError(f"{self.path}: {lang} is not a target language of this project "
                                 f"(it has {', '.join(self.target_langs)})")
            if lang not in out:
                out.append(lang)
        return out or list(self.target_langs)

    # -- settings ----------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM setting WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as con:
            con.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    def add_target_lang(self, lang: str) -> None:
        lang = check_lang(lang)
        if lang == self.source_lang or lang in self.target_langs:
            return
        langs = [*self.target_langs, lang]
        with self.transaction() as con:
            con.execute("UPDATE project SET target_langs = ? WHERE id = 1", (json.dumps(langs),))
            con.execute("INSERT INTO translation (segment_id, lang) SELECT id, ? FROM segment", (lang,))
        self.target_langs[:] = langs

    # -- documents ---------------------------------------------------------------------------------

    def add_document(
        self,
        title: str,
        segments: Iterable[tuple[int, str]],
        *,
        text: str = "",
        date: str | None = None,
        byline: str | None = None,
        origin: str | None = None,
        format: str | None = None,
    ) -> Document:
        """Store a document and its segments, given as ``(paragraph_number, source_sentence)`` pairs in order.

        Every segment gets an empty translation row (status ``new``) per target language.
        """
        segs = [(int(p), s) for p, s in segments if s and s.strip()]
        if not segs:
            raise InputError(f"{origin or title}: the document has no text to translate")
        with self.transaction() as con:
            cur = con.execute(
                "INSERT INTO document (title, date, byline, origin, format, text, created) VALUES (?,?,?,?,?,?,?)",
                (title, date, byline, origin, format, text, now_iso()),
            )
            doc_id = cur.lastrowid
            for pos, (para, src) in enumerate(segs):
                sid = con.execute(
                    "INSERT INTO segment (document_id, position, paragraph, source) VALUES (?,?,?,?)",
                    (doc_id, pos, para, src),
                ).lastrowid
                con.executemany("INSERT INTO translation (segment_id, lang) VALUES (?, ?)",
                                [(sid, lang) for lang in self.target_langs])
        return self.document(doc_id)

    def document(self, doc_id: int) -> Document:
        rows = self._read("SELECT * FROM document WHERE id = ?", (doc_id,))
        if not rows:
            raise NotFound(f"no document {doc_id} in {self.path}")
        return Document(**{k: rows[0][k] for k in rows[0].keys()})

    def documents(self) -> list[Document]:
        return [Document(**{k: r[k] for k in r.keys()}) for r in self._read("SELECT * FROM document ORDER BY id")]

    # -- segments ----------------------------------------------------------------------------------

    def segments(self, document_id: int | None = None) -> list[Segment]:
        """All segments in document order, each with its translations (one per target language)."""
        where, params = ("WHERE s.document_id = ?", (document_id,)) if document_id is not None else ("", ())
        seg_rows = self._read(
            f"SELECT s.* FROM segment s {where} ORDER BY s.document_id, s.position", params
        )
        tr_rows = self._read(
            f"SELECT t.* FROM translation t JOIN segment s ON s.id = t.segment_id {where}", params
        )
        return self._build_segments(seg_rows, tr_rows)

    def _build_segments(self, seg_rows: Sequence[sqlite3.Row], tr_rows: Sequence[sqlite3.Row]) -> list[Segment]:
        """Segments (in the order of ``seg_rows``) with the translations among ``tr_rows`` attached."""
        segs = {
            r["id"]: Segment(r["id"], r["document_id"], r["position"], r["paragraph"], r["source"]) for r in seg_rows
        }
        for r in tr_rows:
            seg = segs.get(r["segment_id"])
            if seg is not None:
                seg.translations[r["lang"]] = _translation(r)
        return list(segs.values())

    def segment(self, segment_id: int) -> Segment:
        rows = self._read("SELECT * FROM segment WHERE id = ?", (segment_id,))
        if not rows:
            raise NotFound(f"no segment {segment_id} in {self.path}")
        r = rows[0]
        seg = Segment(r["id"], r["document_id"], r["position"], r["paragraph"], r["source"])
        for t in self._read("SELECT * FROM translation WHERE segment_id = ?", (segment_id,)):
            seg.translations[t["lang"]] = _translation(t)
        return seg

    def translation(self, segment_id: int, lang: str) -> Translation:
        rows = self._read("SELECT * FROM translation WHERE segment_id = ? AND lang = ?", (segment_id, lang))
        if not rows:
            raise NotFound(f"no {lang} translation for segment {segment_id} in {self.path}")
        return _translation(rows[0])

    # -- translations ------------------------------------------------------------------------------

    def set_translation(
        self,
        segment_id: int,
        lang: str,
        text: str | None = None,
        *,
        origin: str | None = None,
        status: str | None = None,
        score: float | None = None,
        meta: dict[str, Any] | None = None,
        expected_version: int | None = None,
        author: str = "user",
        action: str = "edit",
    ) -> Translation:
        """Change a translation; ``None`` leaves a field as it is (``origin=""`` clears the origin, as on a
        translation nobody has written). Records the change in ``history``.

        ``expected_version``: the version the caller loaded; if someone saved since, raise
        :class:`VersionConflict` and change nothing (optimistic locking). An ``author`` given as a
        :class:`~workbench.core.workflow.Actor` must have a role that may make the change
        (:func:`~workbench.core.workflow.check_edit`), else :class:`PermissionDenied` and nothing changes.
        """
        if origin:
            check_origin(origin)
        if status is not None:
            check_status(status)
        with self.transaction() as con:
            old = self._current(con, segment_id, lang)
            if expected_version is not None and expected_version != old.version:
                raise VersionConflict(
                    f"segment {segment_id} ({lang}) was changed by {old.updated_by or 'someone'} at "
                    f"{old.updated_at}; reload it to see their version before saving yours"
                )
            check_edit(author, old.status, old.status if status is None else status,
                       f"segment {segment_id} ({lang})")
            new = Translation(
                segment_id,
                lang,
                old.text if text is None else text,
                old.origin if origin is None else (origin or None),
                old.status if status is None else status,
                old.score if score is None and origin is None else score,
                old.meta if meta is None else meta,
            )
            return self._write(con, old, new, author, action)

    def save_edit(self, segment_id: int, lang: str, text: str | None, *, status: str | None = None,
                  expected_version: int | None = None, confirm: bool = False,
                  author: str = "user") -> Translation | None:
        """Save what a translator did to one target, by the rules of :func:`workbench.core.workflow.edit_outcome`
        (a changed text becomes origin ``human``; typing into a ``new`` target makes it ``draft``, emptying it
        ``new`` again; ``confirm`` raises the status to ``translated``, reviewed/approved stay). Returns the new
        translation, or None when nothing changed (nothing is written). A stale ``expected_version`` raises
        :class:`VersionConflict` and changes nothing."""
        lang = self.check_targets([lang])[0]
        cur = self.translation(segment_id, lang)
        outcome = edit_outcome(cur.text, cur.status, text, status=status, confirm=confirm,
                               label=f"segment {segment_id} ({lang})")
        if outcome is None:
            return None
        return self.set_translation(segment_id, lang, outcome.text, origin=outcome.origin, status=outcome.status,
                                    expected_version=expected_version, author=author or "user",
                                    action=outcome.action)

    def _current(self, con: sqlite3.Connection, segment_id: int, lang: str) -> Translation:
        row = con.execute("SELECT * FROM translation WHERE segment_id = ? AND lang = ?", (segment_id, lang)).fetchone()
        if row is None:
            raise NotFound(f"no {lang} translation for segment {segment_id} in {self.path}")
        return _translation(row)

    def _write(self, con: sqlite3.Connection, old: Translation, new: Translation, author: str,
               action: str) -> Translation:
        """Store ``new`` over ``old`` (inside the caller's transaction) and record the change in ``history``.
        The one place translations are changed: the version goes up by one, ``updated_at/by`` are set."""
        author = str(author)  # an Actor is recorded by its name
        new.version, new.updated_at, new.updated_by = old.version + 1, now_iso(), author
        con.execute(
            "UPDATE translation SET text=?, origin=?, status=?, score=?, meta=?, version=?, updated_at=?, updated_by=?"
            " WHERE segment_id=? AND lang=?",
            (new.text, new.origin, new.status, new.score, json.dumps(new.meta, ensure_ascii=False), new.version,
             new.updated_at, new.updated_by, old.segment_id, old.lang),
        )
        con.execute(
            "INSERT INTO history (segment_id, lang, version, action, old_text, new_text, old_status, new_status,"
            " old_origin, new_origin, author, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (old.segment_id, old.lang, new.version, action, old.text, new.text, old.status, new.status,
             old.origin, new.origin, author, new.updated_at),
        )
        return new

    def history(self, segment_id: int, lang: str | None = None) -> list[HistoryEntry]:
        """Every recorded change of a segment's translations, oldest first."""
        sql = "SELECT * FROM history WHERE segment_id = ?"
        params: list[Any] = [segment_id]
        if lang is not None:
            sql += " AND lang = ?"
            params.append(lang)
        return [HistoryEntry(**{k: r[k] for k in r.keys()}) for r in self._read(sql + " ORDER BY id", params)]

    def undo(self, segment_id: int, lang: str, *, author: str = "user",
             expected_version: int | None = None) -> Translation:
        """Restore the text/status/origin before the latest change, as a new change (nothing is erased)."""
        entries = [h for h in self.history(segment_id, lang)]
        if not entries:
            raise NotFound(f"nothing to undo for segment {segment_id} ({lang})")
        # Undo of an undo walks further back: skip pairs of (change, its undo).
        depth = 0
        target = None
        for h in reversed(entries):
            if h.action == "undo":
                depth += 1
            elif depth:
                depth -= 1
            else:
                target = h
                break
        if target is None:
            raise NotFound(f"nothing left to undo for segment {segment_id} ({lang})")
        return self.set_translation(
            segment_id,
            lang,
            target.old_text or "",
            origin=target.old_origin or "human",
            status=target.old_status or "new",
            expected_version=expected_version,
            author=author,
            action="undo",
        )

    # -- split / merge -----------------------------------------------------------------------------

    def split_segment(self, segment_id: int, offset: int, *, author: str = "user") -> tuple[Segment, Segment]:
        """Split a segment's source at character ``offset``; translations stay on the first half.

        Both halves keep the paragraph number; the second half gets fresh ``new`` translations.
        """
        seg = self.segment(segment_id)
        left, right = seg.source[:offset].rstrip(), seg.source[offset:].lstrip()
        if not left or not right:
            raise InputError(f"cannot split segment {segment_id} at {offset}: both parts need text")
        with self.transaction() as con:
            con.execute(
                "UPDATE segment SET position = position + 1 WHERE document_id = ? AND position > ?",
                (seg.document_id, seg.position),
            )
            con.execute("UPDATE segment SET source = ? WHERE id = ?", (left, segment_id))
            new_id = con.execute(
                "INSERT INTO segment (document_id, position, paragraph, source) VALUES (?,?,?,?)",
                (seg.document_id, seg.position + 1, seg.paragraph, right),
            ).lastrowid
            con.executemany("INSERT INTO translation (segment_id, lang) VALUES (?, ?)",
                            [(new_id, lang) for lang in self.target_langs])
            self._log(con, "split", {"segment": segment_id, "new_segment": new_id, "source": seg.source,
                                     "offset": offset}, author)
        return self.segment(segment_id), self.segment(new_id)

    def merge_segments(self, first_id: int, second_id: int, *, author: str = "user") -> Segment:
        """Merge ``second_id`` (which must directly follow) into ``first_id``; source texts and translations
        are joined with a space (no space for Khmer), statuses fall back to ``draft`` if either was not
        confirmed. The removed segment's texts are kept in the segment log and history."""
        a, b = self.segment(first_id), self.segment(second_id)
        if a.document_id != b.document_id or b.position != a.position + 1:
            raise InputError(f"segments {first_id} and {second_id} are not neighbours: only adjacent segments merge")
        joined_src = _join(a.source, b.source, self.source_lang)
        with self.transaction() as con:
            for lang in self.target_langs:
                ta, tb = a.translations.get(lang), b.translations.get(lang)
                if ta is None or tb is None or not (ta.text or tb.text):
                    continue
                text = _join(ta.text, tb.text, lang)
                status = ta.status if ta.status == tb.status else ("draft" if text else "new")
                origin = ta.origin if ta.origin == tb.origin else "human"
                old = self._current(con, first_id, lang)
                self._write(con, old, Translation(first_id, lang, text, origin, status, old.score, old.meta),
                            author, "merge")
            con.execute("UPDATE segment SET source = ? WHERE id = ?", (joined_src, first_id))
            self._log(con, "merge", {
                "segment": first_id, "removed_segment": second_id, "sources": [a.source, b.source],
                "translations": {l: [a.translations[l].text, b.translations[l].text] for l in self.target_langs
                                 if l in a.translations and l in b.translations},
            }, author)
            con.execute("DELETE FROM segment WHERE id = ?", (second_id,))
            con.execute(
                "UPDATE segment SET position = position - 1 WHERE document_id = ? AND position > ?",
                (a.document_id, a.position),
            )
        return self.segment(first_id)

    def segment_log(self) -> list[dict[str, Any]]:
        return [
            {"id": r["id"], "action": r["action"], "detail": db.load_json(r["detail"], dict, {}), "author": r["author"],
             "at": r["at"]}
            for r in self._read("SELECT * FROM segment_log ORDER BY id")
        ]

    def _log(self, con: sqlite3.Connection, action: str, detail: dict[str, Any], author: str) -> None:
        con.execute(
            "INSERT INTO segment_log (action, detail, author, at) VALUES (?,?,?,?)",
            (action, json.dumps(detail, ensure_ascii=False), str(author), now_iso()),
        )

    # -- summaries ---------------------------------------------------------------------------------

    def progress(self) -> dict[str, dict[str, int]]:
        """``{lang: {status: count}}`` over all segments."""
        out: dict[str, dict[str, int]] = {lang: {s: 0 for s in STATUSES} for lang in self.target_langs}
        for r in self._read("SELECT lang, status, COUNT(*) AS n FROM translation GROUP BY lang, status"):
            out.setdefault(r["lang"], {s: 0 for s in STATUSES})[r["status"]] = r["n"]
        return out

    def integrity_check(self) -> str:
        return self._read("PRAGMA integrity_check")[0][0]




def _translation(r: sqlite3.Row) -> Translation:
    return Translation(
        r["segment_id"], r["lang"], r["text"], r["origin"], r["status"], r["score"],
        db.load_json(r["meta"], dict, {}), r["version"], r["updated_at"], r["updated_by"],
    )


def _fold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else text


def _join(a: str, b: str, lang: str) -> str:
    if not a or not b:
        return a or b
    return a + b if lang == "km" else a + " " + b
