"""Who is working where: soft locks on segments ("rita is editing #12").

A browser tab that opens a segment for editing holds a soft lock on it, renewed by its regular poll and
dropped when it moves on, closes, or stops polling for :data:`LOCK_SECONDS`. A soft lock blocks nothing: it
is shown to others on the row, and the version check on save (:class:`~workbench.core.errors.VersionConflict`)
still decides what is stored. Kept in memory: it describes the people connected to this server now.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: A lock not renewed for this long is gone (the tab polls every few seconds).
LOCK_SECONDS = 20.0


@dataclass(frozen=True)
class Holder:
    """Who holds a soft lock: the user's name and the browser tab (``client``) it belongs to."""

    user: str
    client: str
    since: float


class Presence:
    """The soft locks of one server: ``{(project, segment id): {client: Holder}}``."""

    def __init__(self, ttl: float = LOCK_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._held: dict[tuple[str, int], dict[str, tuple[Holder, float]]] = {}
        self._by_client: dict[str, tuple[str, int]] = {}

    def hold(self, project: str, segment_id: int | None, user: str, client: str) -> None:
        """``client`` (one browser tab of ``user``) is editing ``segment_id`` of ``project`` now (None: nothing);
        any other segment it held is released."""
        if not client:
            return
        now = self._clock()
        with self._lock:
            old = self._by_client.get(client)
            key = (project, int(segment_id)) if segment_id is not None else None
            if old is not None and old != key:
                self._drop(client, old)
            if key is None:
                return
            holders = self._held.setdefault(key, {})
            prev = holders.get(client)
            since = prev[0].since if prev and prev[0].user == user else now
            holders[client] = (Holder(user, client, since), now)
            self._by_client[client] = key

    def release(self, client: str) -> None:
        with self._lock:
            old = self._by_client.get(client)
            if old is not None:
                self._drop(client, old)

    def holders(self, project: str, segment_ids: Iterable[int] | None = None, *,
                exclude_client: str | None = None) -> dict[int, list[Holder]]:
        """The live holders per segment of ``project`` (only ``segment_ids`` when given), earliest first,
        leaving out ``exclude_client`` (the asking tab itself)."""
        now = self._clock()
        wanted = None if segment_ids is None else {int(s) for s in segment_ids}
        out: dict[int, list[Holder]] = {}
        with self._lock:
            for (proj, sid), holders in list(self._held.items()):
                if proj != project or (wanted is not None and sid not in wanted):
                    continue
                for client, (holder, seen) in list(holders.items()):
                    if now - seen > self._ttl:
                        self._drop(client, (proj, sid))
                    elif client != exclude_client:
                        out.setdefault(sid, []).append(holder)
        for items in out.values():
            items.sort(key=lambda h: h.since)
        return out

    def _drop(self, client: str, key: tuple[str, int]) -> None:
        holders = self._held.get(key)
        if holders is not None:
            holders.pop(client, None)
            if not holders:
                del self._held[key]
        if self._by_client.get(client) == key:
            del self._by_client[client]


#: The name of everyone who has not given one (no login, no name typed): not a person to point at.
ANONYMOUS = "user"


def lock_label(holders: list[Holder], me: str | None = None) -> str:
    """``rita is editing`` / ``rita and boris are editing`` / ``you (another tab) are editing`` /
    ``someone is editing`` (people who gave no name)."""
    names: list[str] = []
    for h in holders:
        if h.user == ANONYMOUS:
            name = "someone"
        else:
            name = "you (another tab)" if me is not None and h.user == me else h.user
        if name not in names:
            names.append(name)
    if not names:
        return ""
    verb = "is" if len(names) == 1 and not names[0].startswith("you") else "are"
    if len(names) == 1:
        return f"{names[0]} {verb} editing"
    return f"{', '.join(names[:-1])} and {names[-1]} are editing"
