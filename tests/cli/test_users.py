"""``workbench users``: add, list, passwd, remove, role, run as a user would (a subprocess; the password typed
on a real pseudo-terminal, or given in WORKBENCH_PASSWORD)."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

from workbench.core.users import UserStore

from .test_conventions import wb

ROOT = Path(__file__).resolve().parents[2]


def wb_pw(*args, home: Path, password: str | None):
    import subprocess

    env = {**os.environ, "WORKBENCH_HOME": str(home)}
    env.pop("WORKBENCH_PASSWORD", None)
    if password is not None:
        env["WORKBENCH_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def typed(args: list[str], answers: list[str], home: Path, timeout: float = 120) -> tuple[int, str]:
    """Run ``workbench ARGS`` on a pseudo-terminal that is its controlling terminal (where getpass asks) and type
    each answer after the next prompt ending in ': '. Returns (exit code, everything the terminal showed)."""
    env = {k: v for k, v in os.environ.items() if k != "WORKBENCH_PASSWORD"}
    env["WORKBENCH_HOME"] = str(home)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "workbench", *args], env)
    shown, pending, answered_at = b"", list(answers), 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
        # answer only a prompt that appeared after the last answer: the newline getpass prints after an answer
        # must not count as a new prompt (an answer typed before getpass flushes the terminal would be lost)
        fresh = shown[answered_at:].strip()
        if pending and fresh and fresh.endswith(b":"):
            os.write(fd, pending.pop(0).encode() + b"\n")
            answered_at = len(shown)
    else:  # the deadline passed: end the child instead of waiting for it forever
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_add_asks_for_the_password_twice_on_the_terminal_and_never_shows_it(tmp_path):
    code, shown = typed(["users", "add", "rita", "--role", "reviewer"], ["Tr4nslat0r pass", "Tr4nslat0r pass"],
                        tmp_path)
    assert code == 0, shown
    assert "password for rita" in shown and "again" in shown
    assert "Tr4nslat0r" not in shown  # not echoed
    with UserStore.open(tmp_path / "users.db") as store:
        assert store.get("rita").role == "reviewer"
        assert store.verify("rita", "Tr4nslat0r pass") is not None


def test_two_different_passwords_change_nothing(tmp_path):
    code, shown = typed(["users", "add", "rita"], ["first-password", "other-password"], tmp_path)
    assert code == 2 and "differ" in shown
    assert len(UserStore.open(tmp_path / "users.db")) == 0


def test_script_use_with_environment_password_and_every_subcommand(tmp_path):
    r = wb_pw("users", "add", "anna", "--role", "admin", home=tmp_path, password="admin-pass-1")
    assert r.returncode == 0, r.stderr
    r = wb_pw("users", "add", "rita", home=tmp_path, password="translator-1")
    assert r.returncode == 0 and "rita (translator)" in r.stderr
    r = wb("users", "list", home=tmp_path)
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("name\trole") and [l.split("\t")[:2] for l in lines[1:]] == [["anna", "admin"],
                                                                                             ["rita", "translator"]]
    assert "pass" not in r.stdout and "$argon2" not in r.stdout  # no secrets listed
    assert wb("users", "role", "rita", "reviewer", home=tmp_path).returncode == 0
    with UserStore.open(tmp_path / "users.db") as store:
        assert store.get("rita").role == "reviewer"
        epoch = store.get("rita").epoch
    r = wb_pw("users", "passwd", "rita", home=tmp_path, password="a-new-password")
    assert r.returncode == 0 and "sessions end" in r.stderr
    with UserStore.open(tmp_path / "users.db") as store:
        assert store.verify("rita", "translator-1") is None and store.verify("rita", "a-new-password")
        assert store.get("rita").epoch == epoch + 1
    assert wb("users", "remove", "rita", home=tmp_path).returncode == 0
    with UserStore.open(tmp_path / "users.db") as store:
        assert [u.name for u in store.users()] == ["anna"]
    # the file holds hashes only
    raw = (tmp_path / "users.db").read_bytes()
    assert b"admin-pass-1" not in raw and b"$argon2id$" in raw


def test_mistakes_are_one_line_errors(tmp_path):
    cases = [
        (["users", "add", "bad name"], "good-password", "not allowed"),
        (["users", "add", "a:b"], "good-password", "not allowed"),
        (["users", "add", "rita"], "short", "too short"),
        (["users", "passwd", "nobody"], "good-password", "no user 'nobody'"),
        (["users", "remove", "nobody"], None, "no user 'nobody'"),
    ]
    for args, password, expect in cases:
        r = wb_pw(*args, home=tmp_path, password=password)
        assert r.returncode == 2, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and expect in lines[0] and "Traceback" not in r.stderr, (args, r.stderr)
    assert wb_pw("users", "add", "anna", "--role", "admin", home=tmp_path, password="good-password").returncode == 0
    r = wb_pw("users", "add", "ANNA", home=tmp_path, password="good-password")
    assert r.returncode == 2 and "already exists" in r.stderr
    assert wb_pw("users", "add", "rita", home=tmp_path, password="good-password").returncode == 0
    r = wb("users", "remove", "anna", home=tmp_path)  # the last admin, while rita remains
    assert r.returncode == 2 and "last admin" in r.stderr
    r = wb("users", "role", "anna", "translator", home=tmp_path)
    assert r.returncode == 2 and "last admin" in r.stderr
    r = wb("users", "role", "anna", "boss", home=tmp_path)
    assert r.returncode == 2 and "invalid choice" in r.stderr
    # no terminal and no WORKBENCH_PASSWORD: says what to do
    r = wb_pw("users", "add", "vera", home=tmp_path, password=None)
    assert r.returncode == 2 and "WORKBENCH_PASSWORD" in r.stderr
