"""Two processes (or two editor tabs/threads) editing one project: no lost update, no 'database is locked'."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from workbench.core.errors import VersionConflict, WorkbenchError
from workbench.core.store import Project

CHILD = Path(__file__).with_name("children.py")
ROOT = Path(__file__).resolve().parents[2]


def _project(tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "shared.db"
    with Project.create(db, "shared", "en", ["ru", "km"]) as p:
        p.add_document("Shared", [(0, "The Minister met the Ambassador."), (1, "They discussed trade.")])
        return db, p.segments()[0].id


@pytest.mark.timeout(300)
def test_two_processes_increment_one_translation_without_lost_updates(tmp_path):
    db, seg = _project(tmp_path)
    n = 150
    procs = [
        subprocess.Popen([sys.executable, str(CHILD), "increment", str(db), str(seg), "ru", str(n), name],
                         cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("alice", "bob")
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [p.communicate(timeout=240) for p in procs]
    for proc, (_out, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err, err
    conflicts = sum(int(out.split()[2]) for out, _ in results)
    assert conflicts > 0, "the two processes never raced; the test proves nothing"
    with Project.open(db) as p:
        tr = p.translation(seg, "ru")
        # each process read-modify-wrote n times: any lost update would leave less than 2n
        assert tr.text == str(2 * n)
        assert tr.version == 2 * n
        hist = p.history(seg, "ru")
        assert [h.new_text for h in hist] == [str(i) for i in range(1, 2 * n + 1)]
        assert {h.author for h in hist} == {"alice", "bob"}
        assert p.integrity_check() == "ok"
    print(f"2 processes x {n} increments: {conflicts} version conflicts detected and retried, no lost update")


def test_stale_save_from_second_tab_raises_version_conflict_and_keeps_first(tmp_path):
    db, seg = _project(tmp_path)
    tab1, tab2 = Project.open(db), Project.open(db)  # two connections, like two browser tabs/server workers
    try:
        v1 = tab1.translation(seg, "km").version
        v2 = tab2.translation(seg, "km").version
        tab1.set_translation(seg, "km", "រដ្ឋមន្ត្រី", status="translated", expected_version=v1, author="tab1")
        with pytest.raises(VersionConflict) as info:
            tab2.set_translation(seg, "km", "overwrite", status="translated", expected_version=v2, author="tab2")
        assert "tab1" in str(info.value) and "\n" not in str(info.value)
        assert tab2.translation(seg, "km").text == "រដ្ឋមន្ត្រី"
        assert [h.author for h in tab2.history(seg, "km")] == ["tab1"]
    finally:
        tab1.close()
        tab2.close()


def _holder(db: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, str(CHILD), "hold", str(db)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _release(holder: subprocess.Popen) -> None:
    out, err = holder.communicate("go\n", timeout=60)
    assert holder.returncode == 0 and "released" in out, err


def test_writer_waits_for_another_process_holding_the_lock(tmp_path):
    db, seg = _project(tmp_path)
    holder = _holder(db)
    result: dict = {}
    writer = Project.open(db)  # opened before the thread starts: only the write itself can block

    def write():
        try:
            result["tr"] = writer.set_translation(seg, "ru", "Министр", status="translated")  # waits, then succeeds
        except BaseException as exc:  # pragma: no cover - reported below
            result["error"] = exc

    t = threading.Thread(target=write)
    try:
        t.start()
        t.join(1.0)
        assert t.is_alive() and not result, "the write did not wait for the other process's transaction"
    finally:
        _release(holder)
    t.join(60)
    writer.close()
    assert "error" not in result, result.get("error")
    assert result["tr"].text == "Министр"
    with Project.open(db) as p:
        assert p.translation(seg, "ru").version == 1 and p.get_setting("held") == 1


def test_lock_held_past_busy_timeout_becomes_a_one_line_workbench_error(tmp_path):
    db, seg = _project(tmp_path)
    holder = _holder(db)
    try:
        with Project.open(db) as p:
            p._con.execute("PRAGMA busy_timeout = 200")  # the real timeout is 30 s; shorten it for the test
            with pytest.raises(WorkbenchError) as info:
                p.set_translation(seg, "ru", "never saved")
            msg = str(info.value)
            assert "busy" in msg and "try again" in msg and "\n" not in msg
            assert "database is locked" not in msg
    finally:
        _release(holder)
    with Project.open(db) as p:
        assert p.translation(seg, "ru").text == ""  # nothing half-written
        assert p.history(seg, "ru") == []


def test_threads_sharing_one_project_object_and_separate_connections(tmp_path):
    """The Gradio server shares one Project between request threads; other tabs may open their own."""
    db, _ = _project(tmp_path)
    shared = Project.open(db)
    own = Project.open(db)
    segs = [s.id for s in shared.segments()]
    errors: list[BaseException] = []

    def worker(project: Project, lang: str, name: str) -> None:
        try:
            for _ in range(100):
                for seg in segs:
                    while True:
                        tr = project.translation(seg, lang)
                        try:
                            project.set_translation(seg, lang, str(int(tr.text or 0) + 1),
                                                    expected_version=tr.version, author=name)
                            break
                        except VersionConflict:
                            continue
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(pr, "ru", f"t{k}")) for k, pr in enumerate((shared, shared, own))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    for seg in segs:
        assert shared.translation(seg, "ru").text == "300"
    shared.close()
    own.close()
