"""SQLite, one way, for every file the workbench keeps: the project store, the translation memory, the MT cache.

Opening (:func:`open_file`, :func:`connect`)
    WAL journal, foreign keys on, a 30 s busy timeout and ``synchronous = FULL``: every commit reaches the
    disk before it returns, so an acknowledged edit or TM unit survives a power cut, not only a crash (NORMAL
    may lose the last commits on power loss; FULL costs about 0.1 ms per commit here). Text cells are decoded
    as strict UTF-8, so a damaged cell raises :class:`UnicodeDecodeError` instead of reading as something else.
    A file that is not SQLite, or an SQLite file of another program, is refused before anything is written.

Schema (:class:`Schema`, :func:`migrate`)
    The version lives in ``PRAGMA user_version``; ``migrations[i]`` brings a file from version ``i`` to
    ``i + 1``, each step in one transaction. After opening, every table and index must be defined exactly as
    the workbench wrote it (a damaged definition still parses, but names columns or constraints differently).

Using (:class:`Database`)
    The base class of the objects that own a file. ``transaction()`` is ``BEGIN IMMEDIATE`` ... ``COMMIT``,
    rolled back on any error. Every public method (and property) of a subclass is wrapped when the class is
    defined (``__init_subclass__``), so a method added later is covered without being listed anywhere: a
    damaged file surfaces as a one-line :class:`~workbench.core.errors.InputError` naming the file, a lock
    held past the busy timeout as :class:`~workbench.core.errors.Busy` (nothing changed, retryable), a disk
    or permission problem as a one-line ``InputError``.

Damage is recognised by type, never by message text: SQLite's result codes (``SQLITE_CORRUPT`` and its
extended codes, ``SQLITE_NOTADB``, ``SQLITE_FORMAT``, a short read of a truncated file), text that is not
UTF-8, JSON that does not decode, and :class:`Damage`, which the checks here and the stores raise for values
the workbench cannot have written.
"""

from __future__ import annotations

import functools
import inspect
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, NoReturn, TypeVar

from .errors import Busy, InputError, WorkbenchError

BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"
#: primary result codes that mean the file's content is damaged
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT})
#: extended result codes that mean the same (a truncated file reads short)
DAMAGE_EXTENDED_CODES = frozenset({sqlite3.SQLITE_IOERR_SHORT_READ})
#: another connection holds the lock (past the busy timeout)
BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
#: the disk or the file system refuses (no space, read-only, no permission, I/O error)
ACCESS_CODES = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
                          sqlite3.SQLITE_FULL, sqlite3.SQLITE_PERM})


class Damage(Exception):
    """A value or table the workbench cannot have written; reported to the user as a damaged file."""


# ------------------------------------------------------------------------------------------ errors


def error_code(exc: BaseException) -> int | None:
    """SQLite's extended result code of ``exc`` (None for errors that did not come from SQLite)."""
    return getattr(exc, "sqlite_errorcode", None) if isinstance(exc, sqlite3.Error) else None


def _primary(exc: BaseException) -> int | None:
    code = error_code(exc)
    return None if code is None else code & 0xFF


def is_busy(exc: BaseException) -> bool:
    return _primary(exc) in BUSY_CODES


def is_damage(exc: BaseException) -> bool:
    """Errors that mean the file's content is damaged (not a bug in the caller, not a busy database)."""
    if isinstance(exc, (Damage, UnicodeDecodeError, json.JSONDecodeError)):
        return True
    return _primary(exc) in DAMAGE_CODES or error_code(exc) in DAMAGE_EXTENDED_CODES


def _detail(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return text or type(exc).__name__


def user_error(exc: BaseException, path: Path, schema: Schema) -> BaseException:
    """The one-line error to raise instead of ``exc`` (busy, damage, disk), or ``exc`` itself (a bug)."""
    if isinstance(exc, WorkbenchError):
        return exc
    if is_busy(exc):
        return Busy(f"{path}: {schema.name} is busy (another program or tab has been writing to it for a long "
                    "time); nothing was changed, try again in a moment")
    if is_damage(exc):
        return InputError(f"{path}: {schema.name} is damaged ({_detail(exc)}); {schema.advice}")
    if _primary(exc) in ACCESS_CODES:
        return InputError(f"{path}: cannot use {schema.name} ({_detail(exc)}); check the disk space and the "
                          "file's permissions")
    return exc


def reraise_for_user(exc: BaseException, path: Path, schema: Schema) -> NoReturn:
    """Raise :func:`user_error` of ``exc`` (from an ``except`` block); a bug is raised as it is."""
    err = user_error(exc, path, schema)
    if err is exc:
        raise exc
    raise err from None


# ------------------------------------------------------------------------------------------ schema


@dataclass(frozen=True)
class Schema:
    """What a kind of file holds and how it is named in messages.

    ``migrations[i]`` is the SQL script that upgrades a file from ``user_version`` i to i + 1.
    ``legacy_tables``: tables a file without a version (``user_version`` 0) may hold because an earlier
    workbench created them unversioned; any other table there means the file belongs to another program.
    """

    kind: str                     # "a workbench project": "<path>: not a workbench project (...)"
    name: str                     # "the project database": "<path>: the project database is damaged"
    migrations: tuple[str, ...]
    advice: str = "restore it from a backup (run 'PRAGMA integrity_check' with sqlite3 for details)"
    legacy_tables: frozenset[str] = frozenset()

    @property
    def version(self) -> int:
        return len(self.migrations)

    def definitions(self) -> dict[str, str]:
        """``{table or index name: its CREATE statement}`` as SQLite stores them for a file at this version."""
        return _definitions(self.migrations)


@functools.cache
def _definitions(migrations: tuple[str, ...]) -> dict[str, str]:
    mem = sqlite3.connect(":memory:")
    try:
        for script in migrations:
            mem.executescript(script)
        return stored_definitions(mem)
    finally:
        mem.close()


def stored_definitions(con: sqlite3.Connection) -> dict[str, str]:
    """The CREATE statements in ``sqlite_master`` by name; SQLite's own objects (automatic indexes) and the
    shadow tables of virtual tables (which the SQLite version may define differently) are left out."""
    rows = [tuple(r) for r in con.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")]
    virtual = [name for kind, name, sql in rows if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]
    return {name: sql for _kind, name, sql in rows
            if not name.startswith("sqlite_") and not any(name.startswith(v + "_") for v in virtual)}


def check_schema(con: sqlite3.Connection, schema: Schema) -> None:
    """Raise :class:`Damage` unless every table and index of the schema is defined exactly as the workbench
    wrote it (a damaged definition still parses, but names columns or constraints differently)."""
    found = stored_definitions(con)
    for name, sql in schema.definitions().items():
        if found.get(name) != sql:
            raise Damage(f"the definition of {name} is not the one the workbench wrote")


def migrate(con: sqlite3.Connection, schema: Schema, *, label: str = "this file") -> int:
    """Bring the file up to ``schema.version``; returns the version found before."""
    found = con.execute("PRAGMA user_version").fetchone()[0]
    if found < 0:
        raise Damage(f"schema version {found}")
    if found > schema.version:
        raise WorkbenchError(f"{label} was written by a newer workbench (schema {found} > {schema.version}): "
                             "upgrade workbench")
    for version in range(found, schema.version):
        try:  # one transaction per step: the script and the version bump land together or not at all
            con.executescript(f"BEGIN IMMEDIATE;\n{schema.migrations[version]}\n;\n"
                              f"PRAGMA user_version = {version + 1};\nCOMMIT;")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    return found


# ------------------------------------------------------------------------------------------ opening


def _strict_text(raw: bytes) -> str:
    return str(raw, "utf-8")  # strict: a damaged cell raises UnicodeDecodeError


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the workbench's pragmas (see the module docstring); autocommit, shareable
    between threads (callers serialise with a lock)."""
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                          isolation_level=None)
    con.row_factory = sqlite3.Row
    con.text_factory = _strict_text
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    con.execute("PRAGMA foreign_keys = ON")
    mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":  # pragma: no cover - only on file systems without shared memory
        con.close()
        raise WorkbenchError(f"{path}: SQLite could not switch to WAL mode ({mode})")
    con.execute("PRAGMA synchronous = FULL")
    return con


def _foreign(path: Path, schema: Schema) -> bool:
    """A read-only look: an unversioned file with tables we did not create belongs to another program."""
    ro = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    ro.text_factory = _strict_text
    try:
        if ro.execute("PRAGMA user_version").fetchone()[0] != 0:
            return False
        tables = {r[0] for r in ro.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return bool(tables - schema.legacy_tables)
    finally:
        ro.close()


def check_header(head: bytes) -> None:
    """Raise :class:`Damage` for an SQLite header whose version fields no SQLite wrote (SQLite itself reports
    some of them as a plain SQL error); ``head`` is the file's first 100 bytes (or fewer)."""
    if len(head) >= 20 and not (head[18] in (1, 2) and head[19] in (1, 2)):
        raise Damage(f"file format versions {head[18]}/{head[19]} in the header")
    if len(head) >= 48 and int.from_bytes(head[44:48], "big") > 4:
        raise Damage(f"schema format {int.from_bytes(head[44:48], 'big')} in the header")


def open_file(path: str | Path, schema: Schema, *, quick_check: bool = False) -> sqlite3.Connection:
    """Open ``path`` (created when missing) as a file of ``schema``: refused when it is not SQLite or another
    program's database (untouched, not even switched to WAL), migrated, its definitions checked, with
    ``quick_check`` every page read (milliseconds for an article-sized project). Problems are one-line
    errors naming the file."""
    path = Path(path)
    con = None
    try:
        if path.exists():
            with open(path, "rb") as fh:
                head = fh.read(100)
            if head and not head.startswith(SQLITE_HEADER):
                raise InputError(f"{path}: not {schema.kind} (not an SQLite database)")
            check_header(head)
            if head and _foreign(path, schema):
                raise InputError(f"{path}: not {schema.kind} (an SQLite database of another program)")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = connect(path)
        migrate(con, schema, label=str(path))
        if quick_check:
            check = con.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise Damage(check)
        check_schema(con, schema)
        return con
    except OSError as exc:  # the file or its folder cannot be read or made
        if con is not None:
            con.close()
        raise InputError(f"{path}: cannot use {schema.name} ({exc.strerror or exc}); check the path and the "
                         "permissions") from None
    except Exception as exc:
        if con is not None:
            con.close()
        reraise_for_user(exc, path, schema)


# ------------------------------------------------------------------------------------------ the guard

_F = TypeVar("_F", bound=Callable[..., Any])
#: special methods guarded like public ones
GUARDED_SPECIAL = frozenset({"__len__", "__iter__", "__contains__", "__getitem__"})


def guarded(fn: _F) -> _F:
    """``fn`` (a method of a :class:`Database`) with busy/damage/disk errors turned into one-line errors;
    generator methods are guarded while they are iterated."""
    if getattr(fn, "__guarded__", False):
        return fn
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def wrapper(self, *args, **kwargs):
            try:
                return (yield from fn(self, *args, **kwargs))
            except Exception as exc:
                reraise_for_user(exc, self.path, self.SCHEMA)
    else:
        @functools.wraps(fn)
        def wrapper(self, *args, **kwargs):
            try:
                return fn(self, *args, **kwargs)
            except Exception as exc:
                reraise_for_user(exc, self.path, self.SCHEMA)
    wrapper.__guarded__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def guard_members(cls: type) -> None:
    """Wrap every public method and property defined in ``cls`` itself with :func:`guarded`."""
    for name, attr in list(vars(cls).items()):
        if name.startswith("_") and name not in GUARDED_SPECIAL:
            continue
        if isinstance(attr, property):
            setattr(cls, name, property(attr.fget and guarded(attr.fget), attr.fset and guarded(attr.fset),
                                        attr.fdel, attr.__doc__))
        elif inspect.isfunction(attr):
            setattr(cls, name, guarded(attr))


def is_guarded(method: Any) -> bool:
    if isinstance(method, property):
        method = method.fget
    return bool(getattr(method, "__guarded__", False))


class Database:
    """An object that owns one SQLite file (see the module docstring). Thread-safe: every operation takes
    an internal lock; writes go through :meth:`transaction`."""

    SCHEMA: ClassVar[Schema]

    def __init__(self, path: str | Path, con: sqlite3.Connection):
        self.path = Path(path)
        self._con = con
        self._lock = threading.RLock()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        guard_members(cls)

    @classmethod
    def from_connection(cls, path: Path, con: sqlite3.Connection, *args: Any, **kwargs: Any):
        """``cls(path, con, ...)`` for a connection from :func:`open_file`; errors of the constructor are reported
        like a method's (and ``con`` is closed)."""
        try:
            return cls(path, con, *args, **kwargs)
        except Exception as exc:
            con.close()
            reraise_for_user(exc, path, cls.SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); commits on success, rolls back on any error."""
        with self._lock:
            try:
                self._con.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                reraise_for_user(exc, self.path, self.SCHEMA)
            try:
                yield self._con
            except BaseException:
                if self._con.in_transaction:
                    self._con.execute("ROLLBACK")
                raise
            try:
                self._con.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._con.in_transaction:
                    self._con.execute("ROLLBACK")
                reraise_for_user(exc, self.path, self.SCHEMA)

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()


guard_members(Database)


#: values per ``IN (...)`` list: well below SQLite's limit on parameters of one statement
IN_CHUNK = 500


def chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``, for ``IN (...)`` queries."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def marks(n: int) -> str:
    """``?,?,?`` for ``n`` parameters."""
    return ",".join("?" * n)


def load_json(raw: str | bytes | None, kind: type, default: Any) -> Any:
    """A JSON cell that must decode to ``kind`` (``dict``/``list``); anything else is :class:`Damage`."""
    if raw is None or raw == "":
        return default
    value = json.loads(raw)
    if not isinstance(value, kind):
        raise Damage(f"a stored value is {type(value).__name__}, not {kind.__name__}")
    return value
