"""The one SQLite helper (workbench.core.db) under the project store, the TM and the MT cache: real files,
real damage, real locks held by another connection."""

from __future__ import annotations

import inspect
import sqlite3

import pytest

from workbench.core import db
from workbench.core.errors import Busy, InputError, WorkbenchError
from workbench.core.store import Project
from workbench.mt.cache import MTCache
from workbench.mt.hypothesis import Hypothesis
from workbench.tm.memory import TranslationMemory

NOTES = db.Schema(kind="a notes file", name="the notes file",
                  migrations=("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",))


class Notes(db.Database):
    """A store defined only here: its public methods are listed nowhere."""

    SCHEMA = NOTES

    @classmethod
    def open(cls, path):
        return cls.from_connection(path, db.open_file(path, NOTES))

    def add(self, bodies):
        with self.transaction() as con:
            con.executemany("INSERT INTO note (body) VALUES (?)", [(b,) for b in bodies])

    def total_length(self) -> int:
        return sum(len(r[0]) for r in self._read("SELECT body FROM note"))

    def misspelt_query(self):
        return self._read("SELECT corrupt_malformed_column FROM note")

    def bodies(self):
        for r in self._read("SELECT body FROM note ORDER BY id"):
            yield r[0]

    @property
    def count(self) -> int:
        return self._read("SELECT COUNT(*) FROM note")[0][0]


def _notes_with_damaged_page(tmp_path):
    """A notes file whose later pages are overwritten with garbage (page 1, the schema, stays intact)."""
    path = tmp_path / "notes.db"
    with Notes.open(path) as notes:
        notes.add([f"note number {i} " * 20 for i in range(400)])
        notes._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[3 * page:5 * page] = b"\xa5" * (2 * page)
    path.write_bytes(bytes(data))
    return path


def _public_methods(cls):
    for klass in cls.__mro__:
        if klass is object:
            continue
        for name, attr in vars(klass).items():
            private = name.startswith("_") and name not in db.GUARDED_SPECIAL
            if private or isinstance(attr, (classmethod, staticmethod)):
                continue
            if inspect.isfunction(attr) or isinstance(attr, property):
                yield f"{cls.__name__}.{name}", attr


@pytest.mark.parametrize("cls", [Project, TranslationMemory, MTCache, Notes])
def test_every_public_method_is_guarded_by_construction(cls):
    methods = dict(_public_methods(cls))
    assert methods, cls
    unguarded = [name for name, attr in methods.items() if not db.is_guarded(attr)]
    assert unguarded == []


def test_a_new_method_is_guarded_without_being_listed(tmp_path):
    path = _notes_with_damaged_page(tmp_path)
    with Notes.open(path) as notes:  # the schema page is fine: opening works
        for call in (notes.total_length, lambda: list(notes.bodies())):
            with pytest.raises(InputError) as info:
                call()
            msg = str(info.value)
            assert msg.startswith(f"{path}: the notes file is damaged") and "\n" not in msg
            assert "restore it from a backup" in msg


def test_a_method_added_to_a_project_subclass_is_guarded(tmp_path):
    class Audited(Project):
        def metas(self):
            return [db.load_json(r[0], dict, {}) for r in self._read("SELECT meta FROM translation")]

    path = tmp_path / "p.db"
    with Project.create(path, "p", "en", ["ru"]) as p:
        p.add_document("T", [(0, "The Minister met the envoy.")])
    con = sqlite3.connect(path)
    con.execute("UPDATE translation SET meta = '{\"terms\": [1, 2'")  # cut short, as a torn write would
    con.commit()
    con.close()
    with Audited.open(path) as p:
        assert isinstance(p, Audited)
        with pytest.raises(InputError, match="the project database is damaged"):
            p.metas()
        with pytest.raises(InputError, match="damaged"):
            p.segments()


def test_damage_is_recognised_by_code_never_by_message(tmp_path):
    path = _notes_with_damaged_page(tmp_path)
    con = db.connect(path)
    with pytest.raises(sqlite3.DatabaseError) as info:
        con.execute("SELECT body FROM note").fetchall()
    con.close()
    real = info.value
    assert real.sqlite_errorcode & 0xFF == sqlite3.SQLITE_CORRUPT and db.is_damage(real)
    # the same words without SQLite's code are not damage, and a SQL mistake mentioning them is a bug
    assert not db.is_damage(sqlite3.DatabaseError(str(real)))
    assert not db.is_damage(sqlite3.OperationalError("file is not a database: malformed, corrupt"))
    with Notes.open(tmp_path / "fine.db") as notes:
        with pytest.raises(sqlite3.OperationalError) as bug:
            notes.misspelt_query()
        assert bug.value.sqlite_errorcode == sqlite3.SQLITE_ERROR and not db.is_damage(bug.value)
    # values no workbench wrote: undecodable JSON, the wrong JSON kind, text that is not UTF-8
    with pytest.raises(db.Damage):
        db.load_json("[1, 2]", dict, {})
    with pytest.raises(ValueError) as bad_json:
        db.load_json('{"a": ', dict, {})
    assert db.is_damage(bad_json.value) and db.is_damage(db.Damage("x"))


def test_text_that_is_not_utf8_is_damage(tmp_path):
    path = tmp_path / "notes.db"
    with Notes.open(path) as notes:
        notes.add(["fine"])
    raw = sqlite3.connect(path)
    raw.execute("UPDATE note SET body = CAST(X'4d696e6973ff7465' AS TEXT)")
    raw.commit()
    raw.close()
    with Notes.open(path) as notes:
        assert notes.count == 1
        with pytest.raises(InputError, match="damaged"):
            notes.total_length()


@pytest.mark.parametrize("kind", ["tm", "cache", "project"])
def test_a_lock_held_past_the_timeout_is_a_one_line_retryable_error(tmp_path, kind):
    path = tmp_path / f"{kind}.db"
    if kind == "tm":
        store = TranslationMemory.open(path)
        write = lambda: store.add("The Minister met the envoy.", "Министр встретился с посланником.", "en", "ru")  # noqa: E731
        written = lambda: len(store)  # noqa: E731
    elif kind == "cache":
        store = MTCache(path)
        write = lambda: store.put_many([("k", "m", "ru", "Hello.", [Hypothesis("Привет.", -0.1, [])])])  # noqa: E731
        written = lambda: len(store)  # noqa: E731
    else:
        store = Project.create(path, "p", "en", ["ru"])
        write = lambda: store.set_setting("x", 1)  # noqa: E731
        written = lambda: int(store.get_setting("x") is not None)  # noqa: E731
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store._con.execute("PRAGMA busy_timeout = 100")  # the real wait is 30 s
        with pytest.raises(Busy) as info:
            write()
        msg = str(info.value)
        assert isinstance(info.value, WorkbenchError) and msg.startswith(f"{path}: ")
        assert "busy" in msg and "try again" in msg and "\n" not in msg and "locked" not in msg
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert written() == 0  # nothing half-written
    write()  # and trying again works
    assert written() == 1
    store.close()


def test_every_file_gets_the_same_pragmas(tmp_path):
    stores = [Project.create(tmp_path / "p.db", "p", "en", ["ru"]), TranslationMemory.open(tmp_path / "tm.db"),
              MTCache(tmp_path / "cache.db")]
    for store in stores:
        pragmas = {name: store._read(f"PRAGMA {name}")[0][0]
                   for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
        # synchronous 2 = FULL: the TM holds confirmed human work, as durable as the project itself
        assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                           "busy_timeout": db.BUSY_TIMEOUT_MS}, type(store).__name__
        store.close()


def test_migrations_by_user_version(tmp_path):
    v1 = db.Schema(kind="a notes file", name="the notes file",
                   migrations=("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",))
    v2 = db.Schema(kind="a notes file", name="the notes file",
                   migrations=v1.migrations + ("CREATE TABLE tag (note INTEGER REFERENCES note(id), tag TEXT);",))
    path = tmp_path / "n.db"
    db.open_file(path, v1).close()
    con = db.open_file(path, v2)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"note", "tag"}
    con.close()
    with pytest.raises(WorkbenchError, match="newer workbench"):
        db.open_file(path, v1)
    assert db.migrate(sqlite3.connect(tmp_path / "fresh.db"), v2) == 0


def test_a_damaged_definition_is_damage(tmp_path):
    path = tmp_path / "n.db"
    db.open_file(path, NOTES).close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA writable_schema = ON")
    raw.execute("UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', 'NOT NULX') WHERE name = 'note'")
    raw.commit()
    raw.close()
    with pytest.raises(InputError, match="the notes file is damaged"):
        db.open_file(path, NOTES)


def test_foreign_and_non_sqlite_files_are_refused_untouched(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(InputError, match="not a translation memory .an SQLite database of another program"):
        TranslationMemory.open(other)
    with pytest.raises(InputError, match="not an MT cache"):
        MTCache(other)
    assert other.read_bytes() == before
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all " * 10)
    with pytest.raises(InputError, match="not a translation memory .not an SQLite database"):
        TranslationMemory.open(text)


def test_an_unversioned_mt_cache_of_an_earlier_workbench_is_taken_over(tmp_path):
    path = tmp_path / "mt_cache.db"
    con = sqlite3.connect(path)
    # exactly what the cache of an earlier workbench created, with no schema version
    con.execute("CREATE TABLE IF NOT EXISTS mt_cache (key TEXT PRIMARY KEY, model TEXT NOT NULL, lang TEXT NOT NULL,"
                " source TEXT NOT NULL, hyps TEXT NOT NULL, created TEXT NOT NULL)")
    con.execute("INSERT INTO mt_cache VALUES ('k', 'm', 'ru', 'Hello.', '[{\"text\": \"Привет.\", \"score\": -0.1, "
                "\"flags\": []}]', '2024-01-01T00:00:00Z')")
    con.commit()
    con.close()
    with MTCache(path) as cache:
        assert cache.schema_version == 1
        assert cache.get_many(["k"])["k"][0].text == "Привет."


def test_a_truncated_translation_memory_is_a_one_line_error(tmp_path):
    path = tmp_path / "tm.db"
    with TranslationMemory.open(path) as tm:
        for i in range(300):
            tm.add(f"The Minister met envoy number {i}.", f"Министр встретился с посланником {i}.", "en", "ru")
        tm._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as info:
        with TranslationMemory.open(path) as tm:
            tm.lookup("The Minister met envoy number 7.", "en", "ru")
            list(tm.units())
    assert str(info.value).startswith(f"{path}: the translation memory is damaged") and "\n" not in str(info.value)


def _project_bytes(tmp_path):
    path = tmp_path / "seed.db"
    with Project.create(path, "p", "en", ["ru"]) as p:
        p.add_document("T", [(0, "The Minister met the envoy.")])
        p._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return bytearray(path.read_bytes())


@pytest.mark.parametrize("offset,value", [(44, 5), (60, 0x80000001), (18, 7)],
                         ids=["schema-format", "negative-user-version", "file-format-version"])
def test_damaged_header_fields_found_by_fuzzing(tmp_path, offset, value):
    """SQLite reports some of these as a plain SQL error, or Python reads a negative schema version."""
    data = _project_bytes(tmp_path)
    size = 1 if offset == 18 else 4
    data[offset:offset + size] = value.to_bytes(size, "big")
    path = tmp_path / "damaged.db"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as info:
        Project.open(path)
    assert str(info.value).startswith(f"{path}: the project database is damaged") and "\n" not in str(info.value)


def test_a_damaged_check_constraint_is_found_at_open(tmp_path):
    """Found by fuzzing: one flipped byte in a CHECK constraint's text made every save fail the check."""
    path = tmp_path / "p.db"
    path.write_bytes(bytes(_project_bytes(tmp_path)))
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA writable_schema = ON")
    raw.execute("UPDATE sqlite_master SET sql = replace(sql, '''draft''', '''raft''') WHERE name = 'translation'")
    raw.commit()
    raw.close()
    with pytest.raises(InputError, match="the project database is damaged"):
        Project.open(path)
