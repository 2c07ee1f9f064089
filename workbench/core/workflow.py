"""The translation workflow: where a translation came from, how far it is, and what an edit does to it.

Statuses run ``new`` (empty, untouched) -> ``draft`` -> ``translated`` -> ``reviewed`` -> ``approved``; the last
three count as confirmed by a person. :func:`edit_outcome` is the one rule for a translator's save, used by
:meth:`workbench.core.store.Project.save_edit` (the editor and its API call that):

* a changed text becomes origin ``human``;
* text typed into a ``new`` target makes it ``draft``; emptying a target makes it ``new`` again;
* confirming needs a text and raises the status to ``translated`` (``reviewed``/``approved`` stay);
* an explicit status is taken as given (then the rules above adjust it);
* nothing changed (same text, same status): no write at all.

Roles (:data:`ROLES`) say what a logged-in person may do. Each role may give a translation the statuses up to
its own (:data:`ROLE_STATUS`: a translator up to ``translated``, a reviewer up to ``reviewed``, an admin up to
``approved``) and may not change a translation whose status is above it (a translator cannot touch a reviewed
text; a reviewer cannot touch an approved one). Rights beyond editing translations are in :data:`ROLE_RIGHTS`.
An author given as an :class:`Actor` (a name with a role) is checked by the library (:func:`check_edit`,
:func:`require`); a plain name (scripts, the command line, the editor without logins) is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError, PermissionDenied

ORIGINS = ("mt", "tm", "aligned", "human")
STATUSES = ("new", "draft", "translated", "reviewed", "approved")
#: statuses that count as "confirmed by a person" (TMX export default, TM feed, progress).
CONFIRMED = frozenset({"translated", "reviewed", "approved"})


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise InputError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    return status


def check_origin(origin: str) -> str:
    if origin not in ORIGINS:
        raise InputError(f"unknown origin {origin!r}: use one of {', '.join(ORIGINS)}")
    return origin


@dataclass(frozen=True)
class EditOutcome:
    """What to store for an edit: the text, the status, the origin (None: keep the stored one), the action
    recorded in the history (``edit`` or ``confirm``)."""

    text: str
    status: str
    origin: str | None
    action: str


def edit_outcome(old_text: str, old_status: str, text: str | None, *, status: str | None = None,
                 confirm: bool = False, label: str = "the segment") -> EditOutcome | None:
    """Apply the editing rules (module docstring) to a target holding ``old_text``/``old_status``.

    ``text`` is what the translator's box holds (Windows line ends become ``\\n``); ``status`` an explicit
    choice (None or "" for none); ``label`` names the target in the error for confirming an empty one.
    Returns None when nothing changed.
    """
    text = (text or "").replace("\r\n", "\n")
    if status not in (None, ""):
        check_status(status)
    new_status = status or old_status
    changed_text = text != old_text
    if confirm:
        if not text.strip():
            raise InputError(f"{label} is empty: type a translation before confirming")
        if new_status not in CONFIRMED:
            new_status = "translated"
    elif changed_text and text.strip() and new_status == "new":
        new_status = "draft"
    elif changed_text and not text.strip() and new_status != "new":
        new_status = "new"
    if not changed_text and new_status == old_status:
        return None  # what the caller has is what is stored: nothing to save, nothing to lose
    return EditOutcome(text, new_status, "human" if changed_text else None,
                       "confirm" if confirm and not changed_text else "edit")


# ------------------------------------------------------------------------------------------- roles

ROLES = ("translator", "reviewer", "admin")
#: the highest status each role may give a translation (and the highest it may change)
ROLE_STATUS = {"translator": "translated", "reviewer": "reviewed", "admin": "approved"}
#: rights beyond editing translations
EDIT_GLOSSARY, CREATE_PROJECTS, MANAGE_USERS = "edit the glossary", "create projects", "manage users"
MANAGE_MODELS = "download, import or convert MT models"
ROLE_RIGHTS = {
    "translator": frozenset(),
    "reviewer": frozenset({EDIT_GLOSSARY}),
    "admin": frozenset({EDIT_GLOSSARY, CREATE_PROJECTS, MANAGE_USERS, MANAGE_MODELS}),
}


def check_role(role: str) -> str:
    role = (role or "").strip().lower()
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


class Actor(str):
    """A logged-in person: their name (this *is* the string, so it is what history, TM and exports record)
    and their ``role``. Pass it wherever the library takes an ``author``; the rules of the role are then
    enforced. A plain ``str`` author is not checked."""

    role: str

    def __new__(cls, name: str, role: str) -> Actor:
        self = super().__new__(cls, name)
        self.role = check_role(role)
        return self

    def __getnewargs__(self) -> tuple[str, str]:  # copy/pickle keep the role
        return str(self), self.role

    def __repr__(self) -> str:
        return f"Actor({str(self)!r}, {self.role!r})"


def role_of(author: object) -> str | None:
    """The role to enforce for ``author``: an :class:`Actor`'s role, None for a plain name."""
    return author.role if isinstance(author, Actor) else None


def statuses_for(role: str | None) -> tuple[str, ...]:
    """The statuses ``role`` may give a translation (all of them for None: no logins)."""
    if role is None:
        return STATUSES
    return STATUSES[:STATUSES.index(ROLE_STATUS[check_role(role)]) + 1]


def may(role: str | None, right: str) -> bool:
    """Whether ``role`` has ``right`` (:data:`EDIT_GLOSSARY`, :data:`CREATE_PROJECTS`, :data:`MANAGE_USERS`,
    :data:`MANAGE_MODELS`);
    None (no logins) may do everything."""
    return role is None or right in ROLE_RIGHTS[check_role(role)]


def _roles_with(test) -> str:
    names = [f"{r}s" for r in ROLES if test(r)]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def require(author: object, right: str) -> None:
    """Raise :class:`PermissionDenied` unless ``author`` (an :class:`Actor`, or a trusted plain name) has
    ``right``."""
    role = role_of(author)
    if not may(role, right):
        raise PermissionDenied(f"{author} is a {role}: only {_roles_with(lambda r: right in ROLE_RIGHTS[r])} "
                               f"may {right}")


def check_edit(author: object, old_status: str, new_status: str, label: str = "the segment") -> None:
    """Raise :class:`PermissionDenied` when ``author``'s role may not change a translation from
    ``old_status`` to ``new_status`` (see the module docstring); nothing is checked for a plain name."""
    role = role_of(author)
    if role is None:
        return
    allowed = statuses_for(role)
    if old_status not in allowed:
        top = STATUSES.index(old_status)
        raise PermissionDenied(f"{label} is {old_status}: only "
                               f"{_roles_with(lambda r: STATUSES.index(ROLE_STATUS[r]) >= top)} may change it "
                               f"({author} is a {role})")
    if new_status not in allowed:
        raise PermissionDenied(f"{author} is a {role}: a {role} may set {', '.join(allowed)}, not {new_status}")
