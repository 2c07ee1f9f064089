"""The user store (real SQLite file, real argon2), the editor's view of it (Logins), and login throttling."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from workbench.core.errors import InputError, NotFound
from workbench.core.throttle import LoginThrottle
from workbench.core.users import Login, Logins, UserStore, check_name


def test_add_verify_and_names_are_case_insensitive(tmp_path):
    with UserStore.open(tmp_path / "users.db") as store:
        store.add("Рита", "pass-word-1", "reviewer")
        store.add("anna.k@mfa", "pass-word-2", "admin")
        assert store.get("рита").name == "Рита" and store.get("РИТА").role == "reviewer"
        assert store.verify("рита", "pass-word-1").name == "Рита"
        assert store.verify("Рита", "pass-word-2") is None
        assert store.verify("nobody", "pass-word-1") is None
        assert store.verify("Рита", "") is None
        assert [u.name for u in store.users()] == ["anna.k@mfa", "Рита"]
        with pytest.raises(InputError, match="already exists"):
            store.add("рИТА", "pass-word-3")
    rows = sqlite3.connect(tmp_path / "users.db").execute("SELECT name, hash FROM user").fetchall()
    assert all(h.startswith("$argon2id$") and "pass-word" not in h for _, h in rows)


@pytest.mark.parametrize("bad", ["", " ", "a b", "a:b", "x" * 41, "../etc", "-dash", "tab\tname"])
def test_bad_names_are_refused(bad):
    with pytest.raises(InputError, match="not allowed"):
        check_name(bad)


def test_password_rules_and_unknown_users(tmp_path):
    with UserStore.open(tmp_path / "users.db") as store:
        with pytest.raises(InputError, match="too short"):
            store.add("rita", "1234567")
        with pytest.raises(InputError, match="too long"):
            store.add("rita", "x" * 2000)
        with pytest.raises(InputError, match="unknown role"):
            store.add("rita", "long-enough", "boss")
        assert len(store) == 0
        for call in (lambda: store.set_password("ghost", "long-enough"), lambda: store.remove("ghost"),
                     lambda: store.set_role("ghost", "admin")):
            with pytest.raises(NotFound, match="no user 'ghost'"):
                call()


def test_unknown_name_costs_as_much_as_a_wrong_password(tmp_path):
    """No timing hint about which names exist: both refusals run one argon2 check."""
    with UserStore.open(tmp_path / "users.db") as store:
        store.add("rita", "pass-word-1")

        def took(name):
            t = time.perf_counter()
            assert store.verify(name, "wrong-password") is None
            return time.perf_counter() - t

        known = min(took("rita") for _ in range(3))
        unknown = min(took("someone-else") for _ in range(3))
    assert unknown > 0.3 * known  # same order of magnitude (argon2 dominates), not a dictionary lookup


def test_passwd_and_remove_end_sessions_role_change_does_not(tmp_path):
    path = tmp_path / "users.db"
    with UserStore.open(path) as admin_cli:
        admin_cli.add("anna", "pass-word-0", "admin")
        admin_cli.add("rita", "pass-word-1", "translator")
        logins = Logins(path, refresh=0)  # the running editor's own connection
        login = logins.authenticate("RITA", "pass-word-1")
        assert login == Login("rita", "translator", 1)
        assert logins.valid(login) and logins.role("rita") == "translator"
        admin_cli.set_role("rita", "reviewer")  # another connection: the editor sees it at once
        assert logins.valid(login) and logins.role("rita") == "reviewer"
        admin_cli.set_password("rita", "pass-word-2")
        assert not logins.valid(login)
        assert logins.authenticate("rita", "pass-word-1") is None
        login = logins.authenticate("rita", "pass-word-2")
        assert logins.valid(login)
        admin_cli.remove("rita")
        assert not logins.valid(login) and logins.role("rita") is None
        logins.close()


def test_logins_turn_on_when_the_first_user_is_added(tmp_path):
    path = tmp_path / "users.db"
    logins = Logins(path, refresh=0)
    assert not logins.active() and not path.exists()  # nothing created just by looking
    assert logins.authenticate("anyone", "anything-1") is None
    with UserStore.open(path) as store:
        store.add("anna", "pass-word-0", "admin")
    assert logins.active()
    with UserStore.open(path) as store:
        store.remove("anna")
    assert not logins.active()
    logins.close()


def test_single_login_is_an_admin_and_may_not_shadow_a_user(tmp_path):
    path = tmp_path / "users.db"
    logins = Logins(path, single=("boss", "s3cret pass"))
    assert logins.active()
    assert logins.authenticate("boss", "s3cret pass") == Login("boss", "admin", 0)
    assert logins.authenticate("boss", "s3cret") is None
    assert logins.role("boss") == "admin"
    with UserStore.open(path) as store:
        store.add("anna", "pass-word-0", "admin")
    with pytest.raises(InputError, match="also a user"):
        Logins(path, single=("ANNA", "whatever-pass"))
    logins.close()


def test_last_admin_stays_while_others_exist(tmp_path):
    with UserStore.open(tmp_path / "users.db") as store:
        store.add("anna", "pass-word-0", "admin")
        store.add("rita", "pass-word-1")
        with pytest.raises(InputError, match="last admin"):
            store.remove("anna")
        with pytest.raises(InputError, match="last admin"):
            store.set_role("anna", "reviewer")
        store.set_role("rita", "admin")
        store.set_role("anna", "reviewer")  # another admin exists now
        store.remove("anna")
        store.remove("rita")  # the last user of all may go
        assert len(store) == 0


def test_damaged_user_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "users.db"
    with UserStore.open(path) as store:
        store.add("anna", "pass-word-0", "admin")
    con = sqlite3.connect(path)
    con.execute("UPDATE user SET role = 'emperor'")
    con.commit()
    con.close()
    with UserStore.open(path) as store, pytest.raises(InputError, match="user store is damaged") as info:
        store.users()
    assert "\n" not in str(info.value)
    path.write_bytes(b"not a database at all" * 10)
    with pytest.raises(InputError, match="not a workbench user store"):
        UserStore.open(path)


# ------------------------------------------------------------------------------------------------ throttle


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_throttle_locks_a_key_after_the_limit_even_for_the_right_password():
    clock = Clock()
    t = LoginThrottle(limit=10, window=60, lockout=300, clock=clock)
    keys = ("user:rita", "address:10.0.0.1")
    for _ in range(9):
        assert t.wait(*keys) == 0
        t.failed(*keys)
        clock.now += 1
    assert t.wait(*keys) == 0
    t.failed(*keys)  # the 10th failure within a minute
    assert t.wait(*keys) == pytest.approx(300)
    assert t.wait("user:rita") > 0 and t.wait("address:10.0.0.1") > 0
    assert t.wait("user:anna", "address:10.0.0.2") == 0  # others are not affected
    t.succeeded("user:rita")  # a success does not lift a lock in force
    clock.now += 120
    t.failed(*keys)  # refused attempts are not counted, the lock is not extended
    assert t.wait(*keys) == pytest.approx(180)
    clock.now += 181
    assert t.wait(*keys) == 0


def test_throttle_window_slides_and_success_clears_only_the_name():
    clock = Clock()
    t = LoginThrottle(limit=3, window=60, lockout=100, clock=clock)
    t.failed("user:a", "address:x")
    t.failed("user:a", "address:x")
    clock.now += 61  # both failures are out of the window
    t.failed("user:a", "address:x")
    assert t.wait("user:a", "address:x") == 0
    t.failed("user:a", "address:x")
    t.succeeded("user:a")
    t.failed("user:b", "address:x")  # the address reaches 3 within the window; user b has 1
    assert t.wait("address:x") == pytest.approx(100)
    assert t.wait("user:a") == 0 and t.wait("user:b") == 0


def test_throttle_memory_is_bounded_and_thread_safe():
    t = LoginThrottle(limit=5, window=60, lockout=60, max_keys=1000)

    def hammer(k):
        for i in range(2000):
            t.failed(f"address:{k}.{i}")

    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(t) <= 1000
    for _ in range(5):
        t.failed("user:x")
    assert t.wait("user:x") > 0


def test_a_running_editor_sees_changes_within_its_refresh_time(tmp_path):
    path = tmp_path / "users.db"
    with UserStore.open(path) as store:
        store.add("rita", "pass-word-1")
        logins = Logins(path)  # the default: a look at the file is reused for 0.25 s
        login = logins.authenticate("rita", "pass-word-1")
        assert logins.valid(login)
        store.set_password("rita", "pass-word-2")
        time.sleep(logins.refresh + 0.05)
        assert not logins.valid(login)
        logins.close()
