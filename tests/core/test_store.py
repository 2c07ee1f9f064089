"""Project store: real SQLite files, reopened from disk."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from workbench.core import store
from workbench.core.errors import InputError, NotFound, UnknownLanguage, VersionConflict
from workbench.core.store import Project

SEGS = [(0, "Russia and Cambodia signed the declaration."), (1, "ASEAN is a partner."), (1, "It was 1995.")]


def make(tmp_path, name="p.db", targets=("ru", "km")) -> Project:
    p = Project.create(tmp_path / name, name="demo", target_langs=targets)
    p.add_document("Title", SEGS, text="t", date="2020-12-29 17:39", byline="by X", origin="a.txt", format="txt")
    return p


def test_create_reopen_and_pragmas(tmp_path):
    p = make(tmp_path)
    p.close()
    with Project.open(tmp_path / "p.db") as q:
        assert q.name == "demo" and q.source_lang == "en" and q.target_langs == ["ru", "km"]
        assert q.schema_version == store.SCHEMA_VERSION
        assert q._read("PRAGMA journal_mode")[0][0] == "wal"
        assert q._read("PRAGMA foreign_keys")[0][0] == 1
        segs = q.segments()
        assert [s.source for s in segs] == [s for _, s in SEGS]
        assert [s.paragraph for s in segs] == [0, 1, 1]
        assert all(set(s.translations) == {"ru", "km"} for s in segs)
        assert all(t.status == "new" and t.text == "" for s in segs for t in s.translations.values())
        doc = q.documents()[0]
        assert (doc.title, doc.date, doc.byline, doc.origin) == ("Title", "2020-12-29 17:39", "by X", "a.txt")
        assert q.integrity_check() == "ok"


def test_set_translation_history_and_undo(tmp_path):
    p = make(tmp_path)
    sid = p.segments()[0].id
    t1 = p.set_translation(sid, "ru", "Россия и Камбоджа.", origin="mt", status="draft", score=-0.4,
                           meta={"terms": {"missing": []}}, author="mt")
    assert (t1.version, t1.origin, t1.status, t1.score) == (1, "mt", "draft", -0.4)
    t2 = p.set_translation(sid, "ru", "Россия и Камбоджа подписали декларацию.", origin="human",
                           status="translated", expected_version=1, author="anna")
    assert t2.version == 2 and t2.confirmed and t2.score is None and t2.meta == {"terms": {"missing": []}}
    hist = p.history(sid, "ru")
    assert [(h.action, h.old_text, h.new_text, h.author) for h in hist] == [
        ("edit", "", "Россия и Камбоджа.", "mt"),
        ("edit", "Россия и Камбоджа.", "Россия и Камбоджа подписали декларацию.", "anna"),
    ]
    t3 = p.undo(sid, "ru", author="anna")
    assert (t3.text, t3.status, t3.origin, t3.version) == ("Россия и Камбоджа.", "draft", "mt", 3)
    t4 = p.undo(sid, "ru", author="anna")  # undo again walks further back
    assert (t4.text, t4.status) == ("", "new")
    assert len(p.history(sid, "ru")) == 4  # nothing erased
    p.close()
    with Project.open(tmp_path / "p.db") as q:
        assert q.translation(sid, "ru").version == 4
        assert len(q.history(sid)) == 4


def test_version_conflict_changes_nothing(tmp_path):
    p = make(tmp_path)
    sid = p.segments()[1].id
    p.set_translation(sid, "km", "ក", origin="human", status="draft")
    other = Project.open(tmp_path / "p.db")  # a second tab / process
    other.set_translation(sid, "km", "ខ", origin="human", status="translated", expected_version=1, author="b")
    with pytest.raises(VersionConflict, match="reload"):
        p.set_translation(sid, "km", "គ", expected_version=1, author="a")
    assert p.translation(sid, "km").text == "ខ"
    assert len(p.history(sid, "km")) == 2
    other.close()


def test_bad_values_rejected(tmp_path):
    p = make(tmp_path)
    sid = p.segments()[0].id
    with pytest.raises(InputError):
        p.set_translation(sid, "ru", "x", origin="robot")
    with pytest.raises(InputError):
        p.set_translation(sid, "ru", "x", status="done")
    with pytest.raises(NotFound):
        p.set_translation(sid, "de", "x")
    with pytest.raises(NotFound):
        p.segment(99999)
    with pytest.raises(UnknownLanguage):
        Project.create(tmp_path / "x.db", target_langs=["xx"])
    with pytest.raises(InputError, match="already exists"):
        Project.create(tmp_path / "p.db")
    with pytest.raises(InputError, match="no text"):
        p.add_document("empty", [(0, "   ")])


def test_open_errors(tmp_path):
    with pytest.raises(NotFound, match="workbench new"):
        Project.open(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01 not sqlite" * 10)
    with pytest.raises(InputError, match="not an SQLite"):
        Project.open(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(InputError, match="not a workbench project"):
        Project.open(other)


def test_migration_from_empty_and_newer_schema_refused(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    assert store.migrate(con) == 0
    assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert store.migrate(con) == store.SCHEMA_VERSION  # idempotent
    con.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(Exception, match="newer workbench"):
        Project.open(path)


def test_split_and_merge_keep_everything(tmp_path):
    p = make(tmp_path)
    s0, s1, s2 = p.segments()
    p.set_translation(s1.id, "ru", "АСЕАН — партнёр.", origin="human", status="translated")
    p.set_translation(s2.id, "ru", "Это был 1995 год.", origin="human", status="translated")
    merged = p.merge_segments(s1.id, s2.id)
    assert merged.source == "ASEAN is a partner. It was 1995."
    assert merged.translations["ru"].text == "АСЕАН — партнёр. Это был 1995 год."
    assert merged.translations["ru"].status == "translated"
    assert [s.position for s in p.segments()] == [0, 1]
    log = p.segment_log()
    assert log[-1]["action"] == "merge" and log[-1]["detail"]["translations"]["ru"][1] == "Это был 1995 год."
    a, b = p.split_segment(merged.id, len("ASEAN is a partner."))
    assert (a.source, b.source) == ("ASEAN is a partner.", "It was 1995.")
    assert b.translations["ru"].status == "new"
    assert [s.source for s in p.segments()] == [SEGS[0][1], "ASEAN is a partner.", "It was 1995."]
    with pytest.raises(InputError):
        p.merge_segments(s0.id, b.id)  # not neighbours
    with pytest.raises(InputError):
        p.split_segment(s0.id, 0)


def test_khmer_merge_has_no_space(tmp_path):
    p = make(tmp_path, targets=("km",))
    s0, s1, _ = p.segments()
    p.set_translation(s0.id, "km", "ក។", origin="human", status="draft")
    p.set_translation(s1.id, "km", "ខ។", origin="human", status="draft")
    assert p.merge_segments(s0.id, s1.id).translations["km"].text == "ក។ខ។"


def test_concurrent_writers_threads_and_processes(tmp_path):
    p = make(tmp_path)
    q = Project.open(tmp_path / "p.db")
    sids = [s.id for s in p.segments()]
    errors: list[BaseException] = []

    def work(proj, lang, tag):
        try:
            for i in range(40):
                proj.set_translation(sids[i % 3], lang, f"{tag}{i}", origin="human", status="draft", author=tag)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(p, "ru", "a")), threading.Thread(target=work, args=(q, "km", "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(len(p.history(s)) for s in sids) == 80
    q.close()


def test_settings_progress_and_new_language(tmp_path):
    p = make(tmp_path, targets=("ru",))
    p.set_setting("qa", {"double_space": False})
    assert p.get_setting("qa") == {"double_space": False}
    assert p.get_setting("missing", 7) == 7
    sid = p.segments()[0].id
    p.set_translation(sid, "ru", "x", origin="human", status="approved")
    assert p.progress()["ru"]["approved"] == 1 and p.progress()["ru"]["new"] == 2
    p.add_target_lang("km")
    assert p.target_langs == ["ru", "km"]
    assert all("km" in s.translations for s in p.segments())
    p.close()
    with Project.open(tmp_path / "p.db") as q:
        assert q.target_langs == ["ru", "km"]
