"""Child processes for the crash-safety and concurrency tests (run as scripts, killed or raced by the tests).

Each command prints one line per *completed* (committed / renamed) operation and flushes at once, so the
parent knows exactly what was acknowledged before it sent SIGKILL.

    children.py edits DB START TOTAL          set_translation stream; prints "ack I SEG LANG"
    children.py increment DB SEG LANG N NAME  N read-modify-write increments with expected_version; retries
                                              on VersionConflict; prints "done N CONFLICTS"
    children.py hold DB                       holds a write transaction until a line on stdin; prints "holding"
    children.py export PATH ROUNDS SIZE       atomic_write of a SIZE-byte file ROUNDS times; prints "ack I"
    children.py project-export DB OUT ROUNDS FMT   export_project(status="all") ROUNDS times; prints "ack I"
"""

from __future__ import annotations

import hashlib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from workbench.core.errors import VersionConflict  # noqa: E402
from workbench.core.safeio import atomic_write  # noqa: E402
from workbench.core.store import Project  # noqa: E402


def edit_text(i: int) -> str:
    # Mixed scripts so the stored bytes are realistic (Cyrillic, Khmer, quotes).
    return f"правка {i} — កែ {i} «{i}»"


def edits(db: str, start: int, total: int) -> None:
    project = Project.open(db)
    slots = [(s.id, lang) for s in project.segments() for lang in project.target_langs]
    for i in range(start, total):
        seg, lang = slots[i % len(slots)]
        project.set_translation(seg, lang, edit_text(i), origin="human", status="translated", author=f"e{i}")
        sys.stdout.write(f"ack {i} {seg} {lang}\n")
        sys.stdout.flush()
    project.close()


def increment(db: str, seg: int, lang: str, n: int, name: str) -> None:
    project = Project.open(db)
    print("ready", flush=True)
    sys.stdin.readline()  # start barrier: both racers begin together
    conflicts = 0
    done = 0
    while done < n:
        tr = project.translation(seg, lang)
        value = int(tr.text or "0")
        time.sleep(random.uniform(0, 0.002))  # "think time" between loading and saving, as in the editor
        try:
            project.set_translation(seg, lang, str(value + 1), origin="human", status="draft",
                                    expected_version=tr.version, author=name)
        except VersionConflict:
            conflicts += 1
            continue
        done += 1
    project.close()
    print(f"done {done} {conflicts}", flush=True)


def hold(db: str) -> None:
    """Hold a write transaction until a line arrives on stdin (no timing assumptions in the tests)."""
    project = Project.open(db)
    with project.transaction() as con:
        con.execute("INSERT INTO setting (key, value) VALUES ('held', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        print("holding", flush=True)
        sys.stdin.readline()
    project.close()
    print("released", flush=True)


def export_payload(i: int, size: int) -> bytes:
    """A file whose last 64 bytes are the SHA-256 (hex) of everything before them: completeness is checkable."""
    body = (f"export {i}\n".encode() * (size // 10 + 1))[: max(size - 64, 0)]
    return body + hashlib.sha256(body).hexdigest().encode()


def export(path: str, rounds: int, size: int) -> None:
    for i in range(rounds):
        data = export_payload(i, size)
        with atomic_write(path, "wb") as fh:
            for k in range(0, len(data), 65536):  # many small writes: a kill lands mid-file often
                fh.write(data[k:k + 65536])
        sys.stdout.write(f"ack {i}\n")
        sys.stdout.flush()


def project_export(db: str, out: str, rounds: int, fmt: str) -> None:
    from workbench.export.project import export_project

    project = Project.open(db)
    for i in range(rounds):
        export_project(project, out, fmt=fmt, status="all")
        sys.stdout.write(f"ack {i}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "edits":
        edits(args[0], int(args[1]), int(args[2]))
    elif cmd == "increment":
        increment(args[0], int(args[1]), args[2], int(args[3]), args[4])
    elif cmd == "hold":
        hold(args[0])
    elif cmd == "export":
        export(args[0], int(args[1]), int(args[2]))
    elif cmd == "project-export":
        project_export(args[0], args[1], int(args[2]), args[3])
    else:
        raise SystemExit(f"unknown command {cmd}")
