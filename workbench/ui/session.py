"""What one browser tab's session remembers, and what the browser sends with an editor event.

The session state (one ``gr.State`` per browser tab) is ``{"project": path, "author": name, "seg": open
segment id, "page": grid page, "loaded": {"<segment>:<lang>": [version, text, status]}}``. Every save passes
the version this tab loaded to the store, so a stale tab's save is refused (VersionConflict) and the typed
text stays in its box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import NotFound
from . import model as M

#: Segments whose loaded versions a session remembers (only recent ones matter).
REMEMBERED = 64


def loaded(state: dict | None, sid: int, lang: str) -> list | None:
    """``[version, text, status]`` of a target as this browser tab last loaded or saved it."""
    return ((state or {}).get("loaded") or {}).get(f"{sid}:{lang}")


def remember(state: dict, tr) -> None:
    items = dict(state.get("loaded") or {})
    key = f"{tr.segment_id}:{tr.lang}"
    items.pop(key, None)
    items[key] = [tr.version, tr.text, tr.status]
    while len(items) > REMEMBERED:
        items.pop(next(iter(items)))
    state["loaded"] = items


def segment_id(cur: Any) -> int | None:
    """The open segment id the browser sent (the hidden ``cur`` box), or None."""
    try:
        return int(cur) if cur not in (None, "") else None
    except (TypeError, ValueError):
        return None


@dataclass
class Snapshot:
    """What the browser sent with an event: the open segment, each target's text and status, the filter."""

    sid: int | None
    texts: dict[str, str]
    statuses: dict[str, str]
    flt: M.Filter

    @classmethod
    def parse(cls, args) -> Snapshot:
        n = len(M.TARGETS)
        texts, statuses, filters = args[1:1 + n], args[1 + n:1 + 2 * n], args[1 + 2 * n:]
        return cls(segment_id(args[0]), dict(zip(M.TARGETS, texts)), dict(zip(M.TARGETS, statuses)),
                   M.Filter.from_values(filters))

    def need(self) -> int:
        return open_segment(self.sid)


def open_segment(sid: int | None) -> int:
    """``sid``, or NotFound when no segment is open."""
    if sid is None:
        raise NotFound("no segment is open: click a row in the grid")
    return sid


