"""``workbench users``: the people who may log in to the editor (``add``, ``list``, ``passwd``, ``remove``,
``role``). The password is asked for twice on the terminal, or read from ``WORKBENCH_PASSWORD`` (scripts).

Whoever can run this command on the data directory manages the users (as an admin would): it is the way to
create the first admin.
"""

from __future__ import annotations

import getpass
import os
import sys

from ..core.errors import InputError
from ..core.users import UserStore, users_path
from ..core.workflow import ROLE_STATUS, ROLES, statuses_for

PASSWORD_ENV = "WORKBENCH_PASSWORD"


def register(sub) -> None:
    users = sub.add_parser("users", help="editor logins: add, list, passwd, remove, role")
    users_sub = users.add_subparsers(dest="users_command", metavar="USERS_COMMAND")
    users.set_defaults(func=lambda args: (users.print_help(sys.stderr), 2)[1])

    def common(p):
        p.add_argument("--db", help="user file (default: $WORKBENCH_HOME/users.db)")

    p = users_sub.add_parser("add", help="add a user (password from the terminal, or $WORKBENCH_PASSWORD)")
    p.add_argument("name")
    p.add_argument("--role", default="translator", choices=ROLES,
                   help="translator (edit, confirm), reviewer (also review, glossary), admin (also approve, "
                        "create projects, manage users); default: translator")
    common(p)
    p.set_defaults(func=cmd_add)

    p = users_sub.add_parser("list", help="list the users and their roles")
    common(p)
    p.set_defaults(func=cmd_list)

    p = users_sub.add_parser("passwd", help="set a user's password (their open sessions end)")
    p.add_argument("name")
    common(p)
    p.set_defaults(func=cmd_passwd)

    p = users_sub.add_parser("remove", help="remove a user (their open sessions end; the history keeps the name)")
    p.add_argument("name")
    common(p)
    p.set_defaults(func=cmd_remove)

    p = users_sub.add_parser("role", help="change a user's role")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    common(p)
    p.set_defaults(func=cmd_role)


def read_password(name: str) -> str:
    """``$WORKBENCH_PASSWORD``, else asked twice on the terminal (not echoed)."""
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise InputError(f"no terminal to ask for {name}'s password: set {PASSWORD_ENV} for scripts")
    first = getpass.getpass(f"password for {name}: ")
    if getpass.getpass("again: ") != first:
        raise InputError("the two passwords differ; nothing was changed")
    return first


def _store(args) -> UserStore:
    return UserStore.open(args.db or users_path())


def _rights(role: str) -> str:
    return f"statuses up to {ROLE_STATUS[role]}" + {"translator": "", "reviewer": ", glossary",
                                                     "admin": ", glossary, projects, users"}[role]


def cmd_add(args) -> int:
    with _store(args) as store:
        password = read_password(args.name)
        user = store.add(args.name, password, args.role)
        admins = [u for u in store.users() if u.role == "admin"]
        print(f"added {user.name} ({user.role}); the editor now requires a login", file=sys.stderr)
        if not admins:
            print("note: there is no admin yet (admins approve, create projects in the editor): "
                  "workbench users add NAME --role admin", file=sys.stderr)
    return 0


def cmd_list(args) -> int:
    with _store(args) as store:
        users = store.users()
        if not users:
            print("no users: the editor needs no login (add one with 'workbench users add NAME --role admin')",
                  file=sys.stderr)
            return 0
        print("name\trole\tmay set\tchanged")
        for u in users:
            print(f"{u.name}\t{u.role}\t{','.join(statuses_for(u.role)[2:])}\t{u.changed_at}")
    return 0


def cmd_passwd(args) -> int:
    with _store(args) as store:
        store.need(args.name)
        user = store.set_password(args.name, read_password(args.name))
        print(f"new password for {user.name}; their open sessions end", file=sys.stderr)
    return 0


def cmd_remove(args) -> int:
    with _store(args) as store:
        user = store.need(args.name)
        store.remove(user.name)
        left = len(store)
        print(f"removed {user.name}" + ("" if left else "; no users left: the editor needs no login"),
              file=sys.stderr)
    return 0


def cmd_role(args) -> int:
    with _store(args) as store:
        user = store.set_role(args.name, args.role)
        print(f"{user.name} is now a {user.role} ({_rights(user.role)})", file=sys.stderr)
    return 0
