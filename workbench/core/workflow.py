"""The translation workflow: where a translation came from, how far it is, and what an edit does to it.

Statuses run ``new`` (empty, untouched) -> ``draft`` -> ``translated`` -> ``reviewed`` -> ``approved``; the last
three count as confirmed by a person. :func:`edit_outcome` is the one rule for a translator's save, used by
:meth:`workbench.core.store.Project.save_edit` (the editor and its API call that):

* a changed text becomes origin ``human``;
* text typed into a ``new`` target makes it ``draft``; emptying a target makes it ``new`` again;
* confirming needs a text and raises the status to ``translated`` (``reviewed``/``approved`` stay);
* an explicit status is taken as given (then the rules above adjust it);
* nothing changed (same text, same status): no write at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError

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
