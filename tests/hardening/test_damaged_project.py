"""A damaged project file (bit rot, a truncated copy, a foreign SQLite file) gives a one-line InputError
naming the file, never a traceback; the short fuzz run is in test_fuzz_importers (target project-open)."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.core.errors import InputError
from workbench.core.store import Project


def test_truncated_copy(tmp_path):
    from fuzz.targets import project_seed

    data = project_seed()
    path = tmp_path / "half.db"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as info:
        with Project.open(path) as p:
            p.segments()
    msg = str(info.value)
    assert str(path) in msg and "damaged" in msg and "\n" not in msg


def test_invalid_utf8_in_a_stored_text(tmp_path):
    path = tmp_path / "bad-text.db"
    with Project.create(path, "x", "en", ["ru"]) as p:
        p.add_document("T", [(0, "The Minister met the envoy.")])
    con = sqlite3.connect(path)  # damage one cell the way bit rot would: bytes that are not UTF-8
    con.execute("UPDATE segment SET source = CAST(X'4d696e6973ff7465' AS TEXT)")
    con.commit()
    con.close()
    with Project.open(path) as p:
        with pytest.raises(InputError, match="damaged"):
            p.segments()
        assert p.integrity_check() == "ok"  # the file is structurally fine; only that text is unreadable


def test_foreign_sqlite_file(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(InputError) as info:
        Project.open(path)
    assert str(path) in str(info.value) and "another program" in str(info.value)
    assert path.read_bytes() == before  # the other program's file is not touched


def test_damaged_schema_text_is_reported_not_a_crash(tmp_path):
    """Found by fuzz target project-open: one flipped byte in the stored CREATE TABLE text renames a
    column; the file passes quick_check but rows no longer fit the model (TypeError before the fix)."""
    path = tmp_path / "schema.db"
    with Project.create(path, "x", "en", ["ru"]) as p:
        p.add_document("T", [(0, "The Minister met the envoy.")])
        seg = p.segments()[0].id
        p.set_translation(seg, "ru", "Министр встретился с посланником.")
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = replace(sql, 'new_origin', 'Zew_origin') WHERE name = 'history'")
    con.commit()
    con.close()
    with pytest.raises(InputError) as info:
        with Project.open(path) as p:
            p.history(seg)
    assert "damaged" in str(info.value) and "\n" not in str(info.value)
