"""The people who may log in to the editor: names, roles and argon2 password hashes in ``users.db`` in the
data directory (an SQLite file opened through :mod:`workbench.core.db`).

:class:`UserStore` is the file (``workbench users add|list|passwd|remove|role`` use it); :class:`Logins` is
what a running editor asks: is a login required, is this name and password right, is this session still
valid, which role does this name have. Roles and what they allow are in :mod:`workbench.core.workflow`.

Passwords are never stored: only argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommended
setting: 64 MiB, 3 passes). Checking a name that does not exist costs as much as a wrong password, so the
time a refusal takes does not tell which names exist. Each user has an ``epoch`` that goes up when the
password changes or the user is removed: sessions opened before end at their next request.
"""

from __future__ import annotations

import hmac
import re
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import db
from .config import data_dir
from .errors import InputError, NotFound
from .store import now_iso
from .workflow import ROLES, check_role

USERS_SCHEMA = db.Schema(
    kind="a workbench user store",
    name="the user store",
    migrations=("""
        CREATE TABLE user (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            hash TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
    """,),
    advice="restore it from a backup, or move it away and add the users again with 'workbench users add'",
)

#: a user name: letters (any script), digits, and . _ @ - inside; no spaces or colons
NAME_RE = re.compile(r"^\w[\w.@-]{0,39}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
HASHER = PasswordHasher()
#: hashed once, so that checking an unknown name costs the same as checking a wrong password
_DUMMY_HASH = HASHER.hash("workbench: no such user")


def users_path() -> Path:
    """``$WORKBENCH_HOME/users.db``."""
    return data_dir() / "users.db"


def check_name(name: str) -> str:
    """A user name, NFC-normalised and trimmed; an :class:`InputError` says what a name may contain."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not NAME_RE.match(name):
        raise InputError(f"user name {name!r} is not allowed: use 1-40 letters or digits (and . _ @ - inside), "
                         "no spaces or colons")
    return name


def check_password(password: str) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise InputError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"the password is too long: use at most {MAX_PASSWORD} characters")
    return password


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", (name or "").strip()).casefold()


@dataclass(frozen=True)
class User:
    name: str
    role: str
    epoch: int
    created_at: str
    changed_at: str


class UserStore(db.Database):
    """The user file. Thread-safe; every change is one transaction."""

    SCHEMA = USERS_SCHEMA

    def __init__(self, path: Path, con: sqlite3.Connection):
        super().__init__(path, con)
        self._cache: dict[str, User] | None = None
        self._cache_version: int | None = None

    @classmethod
    def open(cls, path: str | Path | None = None) -> UserStore:
        """Open (or create) the user file; default :func:`users_path`."""
        path = Path(path) if path else users_path()
        return cls.from_connection(path, db.open_file(path, USERS_SCHEMA))

    # -- reading ------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, User]:
        """Every user by key (the case-folded name), re-read only when the file changed (``PRAGMA
        data_version`` moves when another connection commits; this connection's own writes clear the cache)."""
        with self._lock:
            version = self._con.execute("PRAGMA data_version").fetchone()[0]
            if self._cache is None or version != self._cache_version:
                rows = self._con.execute("SELECT key, name, role, epoch, created_at, changed_at FROM user").fetchall()
                users = {}
                for r in rows:
                    if r["role"] not in ROLES or not isinstance(r["epoch"], int):
                        raise db.Damage(f"user {r['name']!r} has role {r['role']!r}")
                    users[r["key"]] = User(r["name"], r["role"], r["epoch"], r["created_at"], r["changed_at"])
                self._cache, self._cache_version = users, version
            return self._cache

    def users(self) -> list[User]:
        """Every user, by name."""
        return sorted(self.snapshot().values(), key=lambda u: _key(u.name))

    def get(self, name: str) -> User | None:
        """The user called ``name`` (case does not matter), or None."""
        return self.snapshot().get(_key(name))

    def __len__(self) -> int:
        return len(self.snapshot())

    def need(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise NotFound(f"no user {name!r}: see 'workbench users list'")
        return user

    def verify(self, name: str, password: str) -> User | None:
        """The user, if ``password`` is theirs; None otherwise (an unknown name takes as long as a wrong
        password). A hash made with older parameters is replaced by one with the current ones."""
        key = _key(name)
        with self._lock:
            row = self._con.execute("SELECT hash FROM user WHERE key = ?", (key,)).fetchone()
        stored = row["hash"] if row else _DUMMY_HASH
        try:
            HASHER.verify(stored, password or "")
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if HASHER.check_needs_rehash(stored):
            with self.transaction() as con:
                con.execute("UPDATE user SET hash = ? WHERE key = ? AND hash = ?",
                            (HASHER.hash(password), key, stored))
            self._cache = None
        return self.get(name)

    # -- changing -----------------------------------------------------------------------------------

    def add(self, name: str, password: str, role: str = "translator") -> User:
        name, role = check_name(name), check_role(role)
        digest = HASHER.hash(check_password(password))
        now = now_iso()
        with self.transaction() as con:
            if con.execute("SELECT 1 FROM user WHERE key = ?", (_key(name),)).fetchone():
                raise InputError(f"user {name!r} already exists: change the password with 'workbench users passwd "
                                 f"{name}' or the role with 'workbench users role {name} ROLE'")
            con.execute("INSERT INTO user (key, name, role, hash, epoch, created_at, changed_at) VALUES "
                        "(?,?,?,?,?,?,?)", (_key(name), name, role, digest, 1, now, now))
        self._cache = None
        return self.need(name)

    def set_password(self, name: str, password: str) -> User:
        """A new password; the user's open sessions end."""
        user = self.need(name)
        digest = HASHER.hash(check_password(password))
        with self.transaction() as con:
            con.execute("UPDATE user SET hash = ?, epoch = epoch + 1, changed_at = ? WHERE key = ?",
                        (digest, now_iso(), _key(user.name)))
        self._cache = None
        return self.need(name)

    def set_role(self, name: str, role: str) -> User:
        """Another role (effective at the user's next action; the last admin keeps the role while other users
        exist, so somebody can still approve and create projects)."""
        role = check_role(role)
        with self.transaction() as con:
            user = self._locked_user(con, name)
            if user["role"] == "admin" and role != "admin":
                self._keep_an_admin(con, user["key"], f"make {user['name']} a {role}")
            con.execute("UPDATE user SET role = ?, changed_at = ? WHERE key = ?", (role, now_iso(), user["key"]))
        self._cache = None
        return self.need(name)

    def remove(self, name: str) -> None:
        """Remove a user; their open sessions end. The history keeps their name on what they did."""
        with self.transaction() as con:
            user = self._locked_user(con, name)
            if user["role"] == "admin":
                self._keep_an_admin(con, user["key"], f"remove {user['name']}")
            con.execute("DELETE FROM user WHERE key = ?", (user["key"],))
        self._cache = None

    @staticmethod
    def _locked_user(con: sqlite3.Connection, name: str) -> sqlite3.Row:
        row = con.execute("SELECT key, name, role FROM user WHERE key = ?", (_key(name),)).fetchone()
        if row is None:
            raise NotFound(f"no user {name!r}: see 'workbench users list'")
        return row

    @staticmethod
    def _keep_an_admin(con: sqlite3.Connection, key: str, what: str) -> None:
        admins = con.execute("SELECT COUNT(*) FROM user WHERE role = 'admin' AND key != ?", (key,)).fetchone()[0]
        others = con.execute("SELECT COUNT(*) FROM user WHERE key != ?", (key,)).fetchone()[0]
        if admins == 0 and others > 0:
            raise InputError(f"cannot {what}: it is the last admin; make another user an admin first "
                             "('workbench users role NAME admin')")


@dataclass(frozen=True)
class Login:
    """Who logged in: the name as stored, the role, the epoch at login (see :meth:`Logins.valid`)."""

    name: str
    role: str
    epoch: int


class Logins:
    """Who may log in to a running editor: the users in the file ``path`` (default :func:`users_path`; the file
    is opened only once it exists, so adding the first user while the editor runs turns logins on), and an
    optional ``single`` ``(name, password)`` login given on the command line, which has the admin role.
    Changes to the file (by ``workbench users`` in another process) are seen within ``refresh`` seconds."""

    def __init__(self, path: str | Path | None = None, single: tuple[str, str] | None = None, *,
                 refresh: float = 0.25):
        self.path = Path(path) if path else users_path()
        self.single = single
        #: seconds a look at the user file is reused (a change by ``workbench users`` counts within this)
        self.refresh = refresh
        self._store: UserStore | None = None
        self._lock = threading.Lock()
        self._users: dict[str, User] = {}
        self._looked = -1.0
        if single is not None:
            store = self.store()
            if store is not None and store.get(single[0]) is not None:
                raise InputError(f"--auth user {single[0]!r} is also a user in {self.path}: drop --auth or use "
                                 "another name")

    def store(self) -> UserStore | None:
        """The user store, or None while its file does not exist."""
        if self._store is None and self.path.is_file():
            with self._lock:
                if self._store is None:
                    self._store = UserStore.open(self.path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def users(self) -> dict[str, User]:
        """The users by key, as of at most ``refresh`` seconds ago (every request asks; this keeps it cheap)."""
        now = time.monotonic()
        if now - self._looked >= self.refresh:
            store = self.store()
            self._users = store.snapshot() if store is not None else {}
            self._looked = now
        return self._users

    def active(self) -> bool:
        """Whether the editor requires a login (a single login is set, or at least one user exists)."""
        return self.single is not None or bool(self.users())

    def _is_single(self, name: str) -> bool:
        return self.single is not None and _key(name) == _key(self.single[0])

    def authenticate(self, name: str, password: str) -> Login | None:
        """The login for a right name and password, else None (slow on purpose: argon2)."""
        if self._is_single(name):
            ok = hmac.compare_digest(password.encode("utf-8"), self.single[1].encode("utf-8"))
            return Login(self.single[0], "admin", 0) if ok else None
        store = self.store()
        if store is None:
            HASHER.verify(_DUMMY_HASH, "workbench: no such user")  # same cost as a refusal by the store
            return None
        user = store.verify(name, password)
        return Login(user.name, user.role, user.epoch) if user else None

    def role(self, name: str) -> str | None:
        """The current role of ``name`` (None: no such login any more)."""
        if self._is_single(name):
            return "admin"
        user = self.users().get(_key(name))
        return user.role if user else None

    def valid(self, login: Login) -> bool:
        """Whether a session opened with ``login`` may go on: the user still exists and their password has
        not changed since."""
        if self._is_single(login.name):
            return True
        user = self.users().get(_key(login.name))
        return user is not None and user.epoch == login.epoch
