"""The project store: one SQLite file per project, the single model every stage reads and writes.

Tables
------
``project``      one row: name, source language, target languages (JSON list), created.
``document``     title, date, byline, origin file, format, cleaned text.
``segment``      document, position (global order within the document), paragraph number, source text.
``translation``  one row per segment and target language: text, origin (mt/tm/aligned/human),
                 status (new/draft/translated/reviewed/approved), score, meta (JSON: glossary terms
                 expected/found/missing, MT flags, TM match...), version (optimistic locking), updated_at/by.
``history``      every change to a translation (old/new text, status, origin, who, when, action).
                 Nothing is deleted: undo writes a new change that restores the previous values.
``segment_log``  split/merge operations on segments with the texts involved (JSON), so they can be audited.
``setting``      project settings as JSON values (QA switches, MT model choice...).

SQLite runs in WAL mode with foreign keys on and a busy timeout; the schema version lives in
``PRAGMA user_version`` and :data:`MIGRATIONS` brings any older file up to date on open.

The :class:`Project` object is safe to share between threads (the Gradio server does): every operation
takes an internal lock and writes inside one transaction.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .config import check_lang
from .errors import InputError, NotFound, VersionConflict, WorkbenchError

ORIGINS = ("mt", "tm", "aligned", "human")
STATUSES = ("new", "draft", "translated", "reviewed", "approved")
#: statuses that count as "confirmed by a person" (TMX export default, TM feed, progress).
CONFIRMED = frozenset({"translated", "reviewed", "approved"})

SCHEMA_VERSION = 1


def now_iso() -> str:
    """UTC timestamp, second precision, ISO 8601 with a ``Z``."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


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


# ---------------------------------------------------------------------------------------- migrations


_MIGRATION_1 = (
        """
        CREATE TABLE project (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_langs TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT,
            byline TEXT,
            origin TEXT,
            format TEXT,
            text TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE segment (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            source TEXT NOT NULL
        );
        CREATE INDEX segment_doc_pos ON segment(document_id, position);
        CREATE TABLE translation (
            segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            origin TEXT CHECK (origin IS NULL OR origin IN ('mt','tm','aligned','human')),
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new','draft','translated','reviewed','approved')),
            score REAL,
            meta TEXT NOT NULL DEFAULT '{}',
            version INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT,
            updated_by TEXT,
            PRIMARY KEY (segment_id, lang)
        );
        CREATE INDEX translation_status ON translation(lang, status);
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL,
            lang TEXT NOT NULL,
            version INTEGER NOT NULL,
            action TEXT NOT NULL,
            old_text TEXT, new_text TEXT,
            old_status TEXT, new_status TEXT,
            old_origin TEXT, new_origin TEXT,
            author TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX history_seg ON history(segment_id, lang, id);
        CREATE TABLE segment_log (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            author TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
)


#: ``MIGRATIONS[i]`` is the SQL script that upgrades a database from user_version ``i`` to ``i + 1``.
MIGRATIONS = [_MIGRATION_1]
assert len(MIGRATIONS) == SCHEMA_VERSION


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA busy_timeout = 30000")
    con.execute("PRAGMA foreign_keys = ON")
    mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":  # pragma: no cover - only on filesystems without shared memory
        raise WorkbenchError(f"{path}: SQLite could not switch to WAL mode ({mode})")
    # FULL: every COMMIT fsyncs the WAL, so an acknowledged edit survives a power cut, not only a process
    # crash (NORMAL may lose the last commits on power loss). Measured cost here: ~0.1 ms per edit.
    con.execute("PRAGMA synchronous = FULL")
    return con


_DAMAGE_MARKS = ("malformed", "not a database", "could not decode", "corrupt", "no such table", "no such column",
                 "no item with that key", "file is encrypted", "expecting", "codec can't decode", "unterminated",
                 "extra data", "invalid control character", "integrity")


def _is_damage(exc: BaseException) -> bool:
    """Errors that mean the file's content is damaged (not a bug in the caller, not a busy database)."""
    if isinstance(exc, (UnicodeDecodeError, json.JSONDecodeError)):
        return True
    if isinstance(exc, sqlite3.DatabaseError) and _is_busy(exc):
        return False
    return isinstance(exc, (sqlite3.DatabaseError, IndexError)) and any(m in str(exc).lower() for m in _DAMAGE_MARKS)


def _damaged(path: Path, exc: BaseException) -> InputError:
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return InputError(f"{path}: the project database is damaged ({detail}); restore it from a backup "
                      "(run 'PRAGMA integrity_check' with sqlite3 for details)")


def _guard_damage(fn):
    """Method decorator: a damaged database surfaces as a one-line InputError naming the file."""
    import functools

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except WorkbenchError:
            raise
        except (sqlite3.DatabaseError, UnicodeDecodeError, json.JSONDecodeError, IndexError) as exc:
            if not _is_damage(exc):
                raise
            raise _damaged(self.path, exc) from None

    return wrapper


_EXPECTED_SCHEMA: dict[str, list[str]] | None = None


def _columns(con: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: [c[1] for c in con.execute(f'PRAGMA table_info("{t}")')] for t in tables}


def _check_schema(con: sqlite3.Connection) -> None:
    """The tables and columns must be exactly the current schema's (a damaged schema text in the file parses
    fine but names columns differently; found by fuzzing)."""
    global _EXPECTED_SCHEMA
    if _EXPECTED_SCHEMA is None:
        mem = sqlite3.connect(":memory:")
        for script in MIGRATIONS:
            mem.executescript(script)
        _EXPECTED_SCHEMA = _columns(mem)
        mem.close()
    found = _columns(con)
    for table, cols in _EXPECTED_SCHEMA.items():
        if found.get(table) != cols:
            raise sqlite3.DatabaseError(f"database schema is corrupt: table {table} has columns {found.get(table)}")


def _busy(path: Path, exc: sqlite3.OperationalError) -> WorkbenchError:
    """SQLite gave up waiting for another writer (busy timeout, 30 s): a user-facing, retryable error."""
    return WorkbenchError(
        f"{path}: the project is busy (another program or tab has been saving for a long time); "
        f"nothing was changed, try again in a moment"
    )


def _is_busy(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


def migrate(con: sqlite3.Connection) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`; returns the version found before."""
    found = con.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise WorkbenchError(
            f"this project was written by a newer workbench (schema {found} > {SCHEMA_VERSION}): upgrade workbench"
        )
    for version in range(found, SCHEMA_VERSION):
        try:  # one transaction per step: the script and the version bump land together or not at all
            con.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    return found


# ------------------------------------------------------------------------------------------- project


class Project:
    """One translation project stored in one SQLite file. Create with :meth:`create`, open with :meth:`open`."""

    def __init__(self, path: Path, con: sqlite3.Connection):
        self.path = Path(path)
        self._con = con
        self._lock = threading.RLock()
        row = con.execute("SELECT * FROM project WHERE id = 1").fetchone()
        if row is None:
            raise InputError(f"{path}: not a workbench project (no project record); create one with 'workbench new'")
        self.name: str = row["name"]
        self.source_lang: str = row["source_lang"]
        self.target_langs: list[str] = json.loads(row["target_langs"])
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
    ) -> "Project":
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
        path.parent.mkdir(parents=True, exist_ok=True)
        con = _connect(path)
        migrate(con)
        con.execute(
            "INSERT INTO project (id, name, source_lang, target_langs, created) VALUES (1, ?, ?, ?, ?)",
            (name or path.stem, src, json.dumps(tgts), now_iso()),
        )
        return cls(path, con)

    @classmethod
    def open(cls, path: str | os.PathLike) -> "Project":
        path = Path(path)
        if not path.is_file():
            raise NotFound(f"{path}: no such project file; create one with 'workbench new {path} SOURCE_FILE --to ru,km'")
        with open(path, "rb") as fh:
            head = fh.read(16)
        if head and not head.startswith(b"SQLite format 3\x00"):
            raise InputError(f"{path}: not a workbench project (not an SQLite database)")
        con = None
        try:
            # Read-only look first: someone else's database (tables but no schema version) is never touched,
            # not even switched to WAL mode.
            ro = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
            try:
                foreign = ro.execute("PRAGMA user_version").fetchone()[0] == 0 and ro.execute(
                    "SELECT COUNT(*) FROM sqlite_master").fetchone()[0] > 0
            finally:
                ro.close()
            if foreign:
                raise InputError(f"{path}: not a workbench project (an SQLite database of another program)")
            con = _connect(path)
            migrate(con)
            # quick_check reads every page (milliseconds for an article-sized project): a damaged file is
            # reported now, with a clear message, not as a crash in the middle of an edit.
            check = con.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed: {check}")
            _check_schema(con)
            return cls(path, con)
        except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError, IndexError, KeyError, TypeError) as exc:
            if con is not None:
                con.close()
            if isinstance(exc, sqlite3.DatabaseError) or _is_damage(exc):
                raise _damaged(path, exc) from None
            raise

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._con.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); commits on success, rolls back on error."""
        with self._lock:
            try:
                self._con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise _busy(self.path, exc) from None
                raise
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            else:
                try:
                    self._con.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    if self._con.in_transaction:
                        self._con.execute("ROLLBACK")
                    if _is_busy(exc):
                        raise _busy(self.path, exc) from None
                    raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

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
        with self.transaction() as con:
            self.target_langs.append(lang)
            con.execute("UPDATE project SET target_langs = ? WHERE id = 1", (json.dumps(self.target_langs),))
            con.execute(
                "INSERT INTO translation (segment_id, lang) SELECT id, ? FROM segment", (lang,)
            )

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
                con.executemany(
                    "INSERT INTO translation (segment_id, lang) VALUES (?, ?)", [(sid, lang) for lang in self.target_langs]
                )
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
        """Change a translation; ``None`` leaves a field as it is. Records the change in ``history``.

        ``expected_version``: the version the caller loaded; if someone saved since, raise
        :class:`VersionConflict` and change nothing (optimistic locking).
        """
        if origin is not None and origin not in ORIGINS:
            raise InputError(f"unknown origin {origin!r}: use one of {', '.join(ORIGINS)}")
        if status is not None and status not in STATUSES:
            raise InputError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        with self.transaction() as con:
            row = con.execute(
                "SELECT * FROM translation WHERE segment_id = ? AND lang = ?", (segment_id, lang)
            ).fetchone()
            if row is None:
                raise NotFound(f"no {lang} translation for segment {segment_id} in {self.path}")
            old = _translation(row)
            if expected_version is not None and expected_version != old.version:
                raise VersionConflict(
                    f"segment {segment_id} ({lang}) was changed by {old.updated_by or 'someone'} at "
                    f"{old.updated_at}; reload it to see their version before saving yours"
                )
            new = Translation(
                segment_id,
                lang,
                old.text if text is None else text,
                old.origin if origin is None else origin,
                old.status if status is None else status,
                old.score if score is None and origin is None else score,
                old.meta if meta is None else meta,
                old.version + 1,
                now_iso(),
                author,
            )
            con.execute(
                "UPDATE translation SET text=?, origin=?, status=?, score=?, meta=?, version=?, updated_at=?, updated_by=?"
                " WHERE segment_id=? AND lang=?",
                (
                    new.text, new.origin, new.status, new.score, json.dumps(new.meta, ensure_ascii=False),
                    new.version, new.updated_at, new.updated_by, segment_id, lang,
                ),
            )
            con.execute(
                "INSERT INTO history (segment_id, lang, version, action, old_text, new_text, old_status, new_status,"
                " old_origin, new_origin, author, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    segment_id, lang, new.version, action, old.text, new.text, old.status, new.status,
                    old.origin, new.origin, author, new.updated_at,
                ),
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

    def undo(self, segment_id: int, lang: str, *, author: str = "user", expected_version: int | None = None) -> Translation:
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
            con.executemany(
                "INSERT INTO translation (segment_id, lang) VALUES (?, ?)", [(new_id, lang) for lang in self.target_langs]
            )
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
                if ta is None or tb is None:
                    continue
                text = _join(ta.text, tb.text, lang)
                if ta.text or tb.text:
                    status = ta.status if ta.status == tb.status else ("draft" if text else "new")
                    origin = ta.origin if ta.origin == tb.origin else "human"
                    con.execute(
                        "UPDATE translation SET text=?, status=?, origin=?, version=version+1, updated_at=?, updated_by=?"
                        " WHERE segment_id=? AND lang=?",
                        (text, status, origin, now_iso(), author, first_id, lang),
                    )
                    con.execute(
                        "INSERT INTO history (segment_id, lang, version, action, old_text, new_text, old_status,"
                        " new_status, old_origin, new_origin, author, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (first_id, lang, ta.version + 1, "merge", ta.text, text, ta.status, status, ta.origin,
                         origin, author, now_iso()),
                    )
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
            {"id": r["id"], "action": r["action"], "detail": json.loads(r["detail"]), "author": r["author"], "at": r["at"]}
            for r in self._read("SELECT * FROM segment_log ORDER BY id")
        ]

    def _log(self, con: sqlite3.Connection, action: str, detail: dict[str, Any], author: str) -> None:
        con.execute(
            "INSERT INTO segment_log (action, detail, author, at) VALUES (?,?,?,?)",
            (action, json.dumps(detail, ensure_ascii=False), author, now_iso()),
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
        json.loads(r["meta"] or "{}"), r["version"], r["updated_at"], r["updated_by"],
    )


def _join(a: str, b: str, lang: str) -> str:
    if not a or not b:
        return a or b
    return a + b if lang == "km" else a + " " + b


for _name in ("get_setting", "set_setting", "add_target_lang", "add_document", "document", "documents", "segments",
              "segment", "translation", "set_translation", "history", "undo", "split_segment", "merge_segments",
              "segment_log", "progress", "integrity_check"):
    setattr(Project, _name, _guard_damage(getattr(Project, _name)))
del _name
