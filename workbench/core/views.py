"""Paged, filtered and counted views of a project's segments, read through indexes (never every segment): what
the editor needs per event on a project of any size.

:class:`SegmentFilter` says which segments are wanted (status, origin and QA conditions on some target
languages, a text search in the source and/or the targets, one document); :class:`SegmentViews` is mixed into
:class:`workbench.core.store.Project` and answers with SQL over the indexes of schema version 2:

* ``count_segments(flt)``, ``segment_page(flt, offset, limit)``, ``segment_ordinal(id, flt)`` (where a segment
  stands in the filtered order), ``next_segment(id, flt, unconfirmed=lang)`` (the next one, wrapping round);
* ``change_cursor()`` and ``changed_since(cursor)``: what was saved since a client last looked (from the
  history and segment log, by row id), so an open page can refresh what others saved;
* the QA cache (``qa_state``): ``qa_stale(stamp, ...)`` lists targets whose cached problem count is missing or
  older than their text, ``set_qa_state(rows)`` stores counts.

Text search uses the trigram full-text indexes (case-insensitive, any script); a query shorter than three
characters falls back to a scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import db
from .workflow import CONFIRMED, ORIGINS, STATUSES

#: Status filter values: any status, not confirmed, confirmed, or one status.
STATUS_CHOICES = ("all", "unconfirmed", "confirmed") + STATUSES
#: Origin filter values: any origin, one origin, or none (never filled).
ORIGIN_CHOICES = ("all",) + ORIGINS + ("none",)
#: Where a text search looks.
SCOPES = ("source and target", "source", "target")
#: Shortest query the full-text index answers (shorter ones scan).
MIN_INDEXED_QUERY = 3


@dataclass(frozen=True)
class SegmentFilter:
    """Which segments to show. ``langs``: the target languages the status, origin and QA conditions (and a
    target search) look at; empty means every target of the project. A segment passes when *one* of those
    targets meets the status, origin and QA conditions together. ``qa_stamp``: only targets whose cached QA
    state at this stamp has problems. ``document_id``: one document only."""

    status: str = "all"
    origin: str = "all"
    langs: tuple[str, ...] = ()
    query: str = ""
    scope: str = "source and target"
    qa_stamp: str | None = None
    document_id: int | None = None

    def active(self) -> bool:
        """Whether the filter leaves anything out (a language list alone does not)."""
        return (self.status != "all" or self.origin != "all" or bool(self.query.strip())
                or self.qa_stamp is not None or self.document_id is not None)


@dataclass(frozen=True)
class ChangeCursor:
    """Where the project's change logs stood: the last history row, the last segment-log row, the highest
    segment id and the number of segments (the last two catch documents added or segments removed)."""

    history: int = 0
    log: int = 0
    max_segment: int = 0
    segments: int = 0

    def as_list(self) -> list[int]:
        return [self.history, self.log, self.max_segment, self.segments]

    @classmethod
    def from_list(cls, values: Sequence[Any] | None) -> ChangeCursor | None:
        try:
            return cls(*(int(v) for v in values)) if values and len(values) == 4 else None
        except (TypeError, ValueError):
            return None


@dataclass
class Changes:
    """What changed since a cursor: ``segments`` whose translations were saved (with who saved them last),
    and whether the segment list itself changed (split, merge, alignment, a document added)."""

    cursor: ChangeCursor
    segments: dict[int, set[str]] = field(default_factory=dict)
    structural: bool = False


def fts_phrase(query: str) -> str:
    """A user's text as one FTS5 phrase (quotes doubled), matched as a substring by the trigram index."""
    return '"' + query.replace('"', '""') + '"'


class SegmentViews:
    """Mixed into :class:`~workbench.core.store.Project`, which provides ``_read``, ``transaction``,
    ``target_langs`` and ``_build_segments(segment rows, translation rows)``."""

    target_langs: list[str]
    _read: Any
    transaction: Any
    _build_segments: Any

    # -- the filter as SQL -------------------------------------------------------------------------

    def _filter_sql(self, flt: SegmentFilter | None, dense: bool = False) -> tuple[str, list[Any]]:
        """``(where clause over segment s, parameters)``; the clause is ``1`` for no filter. ``dense``: the
        status/origin condition lets most segments through, so it is checked per segment while walking them
        in order (a page stops after its rows) instead of listing the ids first."""
        if flt is None:
            return "1", []
        langs = [l for l in flt.langs if l in self.target_langs] or list(self.target_langs)
        marks = ",".join("?" * len(langs))
        where: list[str] = []
        params: list[Any] = []
        if flt.document_id is not None:
            where.append("s.document_id = ?")
            params.append(int(flt.document_id))
        target_conds: list[str] = []
        target_params: list[Any] = []
        if flt.status != "all":
            wanted = {"confirmed": CONFIRMED, "unconfirmed": tuple(s for s in STATUSES if s not in CONFIRMED)}.get(
                flt.status, (flt.status,))
            target_conds.append(f"t.status IN ({','.join('?' * len(wanted))})")
            target_params += list(wanted)
        if flt.origin != "all":
            if flt.origin == "none":
                target_conds.append("t.origin IS NULL")
            else:
                target_conds.append("t.origin = ?")
                target_params.append(flt.origin)
        if flt.qa_stamp is not None:
            # driven by the (small) set of targets with problems
            where.append(f"s.id IN (SELECT t.segment_id FROM qa_state q JOIN translation t ON t.segment_id = "
                         f"q.segment_id AND t.lang = q.lang WHERE q.lang IN ({marks}) AND q.problems > 0 AND "
                         f"q.stamp = ? AND q.version = t.version"
                         + "".join(f" AND {c}" for c in target_conds) + ")")
            params += [*langs, flt.qa_stamp, *target_params]
        elif target_conds and dense:
            where.append(f"EXISTS (SELECT 1 FROM translation t WHERE t.segment_id = s.id AND t.lang IN ({marks})"
                         f" AND {' AND '.join(target_conds)})")
            params += langs + target_params
        elif target_conds:
            # a list of ids from the covering (lang, status|origin, segment) indexes: cheap when it is short
            where.append(f"s.id IN (SELECT t.segment_id FROM translation t WHERE t.lang IN ({marks})"
                         f" AND {' AND '.join(target_conds)})")
            params += langs + target_params
        query = flt.query.strip()
        if query:
            either: list[str] = []
            if flt.scope in ("source and target", "source"):
                if len(query) >= MIN_INDEXED_QUERY:
                    either.append("s.id IN (SELECT rowid FROM segment_fts WHERE segment_fts MATCH ?)")
                    params.append(fts_phrase(query))
                else:
                    either.append("instr(wb_fold(s.source), ?) > 0")
                    params.append(query.casefold())
            if flt.scope in ("source and target", "target"):
                if len(query) >= MIN_INDEXED_QUERY:
                    either.append(f"s.id IN (SELECT t.segment_id FROM translation t WHERE t.lang IN ({marks}) AND "
                                  "t.rowid IN (SELECT rowid FROM translation_fts WHERE translation_fts MATCH ?))")
                else:
                    either.append(f"EXISTS (SELECT 1 FROM translation t WHERE t.segment_id = s.id AND t.lang IN "
                                  f"({marks}) AND instr(wb_fold(t.text), ?) > 0)")
                params += langs + [fts_phrase(query) if len(query) >= MIN_INDEXED_QUERY else query.casefold()]
            if either:
                where.append("(" + " OR ".join(either) + ")")
        return (" AND ".join(where) or "1"), params

    # -- counting and paging -----------------------------------------------------------------------

    def count_segments(self, flt: SegmentFilter | None = None) -> int:
        """How many segments the filter lets through (all segments without one)."""
        simple = self._single_target_sql(flt)
        if simple is not None:
            return self._read(f"SELECT COUNT(*) FROM translation t WHERE {simple[0]}", simple[1])[0][0]
        where, params = self._filter_sql(flt)
        return self._read(f"SELECT COUNT(*) FROM segment s WHERE {where}", params)[0][0]

    def _single_target_sql(self, flt: SegmentFilter | None) -> tuple[str, list[Any]] | None:
        """For a filter on the status and/or origin of one target language only, the condition on that
        language's translation rows (one row per segment: counted straight from the covering index)."""
        if (flt is None or flt.query.strip() or flt.qa_stamp is not None or flt.document_id is not None
                or (flt.status == "all" and flt.origin == "all")):
            return None
        langs = [l for l in flt.langs if l in self.target_langs] or list(self.target_langs)
        if len(langs) != 1:
            return None
        conds, params = ["t.lang = ?"], [langs[0]]
        if flt.status != "all":
            wanted = {"confirmed": CONFIRMED, "unconfirmed": tuple(s for s in STATUSES if s not in CONFIRMED)}.get(
                flt.status, (flt.status,))
            conds.append(f"t.status IN ({','.join('?' * len(wanted))})")
            params += list(wanted)
        if flt.origin == "none":
            conds.append("t.origin IS NULL")
        elif flt.origin != "all":
            conds.append("t.origin = ?")
            params.append(flt.origin)
        return " AND ".join(conds), params

    def segment_page(self, flt: SegmentFilter | None = None, offset: int = 0, limit: int = 50, *,
                     count: int | None = None) -> list:
        """``limit`` segments of the filtered list, in document order, from ``offset`` (0-based), each with its
        translations. ``count``: how many the filter lets through, when the caller knows (it picks the
        cheaper way to read a page)."""
        where, params = self._filter_sql(flt, self._dense(count))
        ids = [r[0] for r in self._read(
            f"SELECT s.id FROM segment s WHERE {where} ORDER BY s.document_id, s.position LIMIT ? OFFSET ?",
            [*params, int(limit), max(0, int(offset))])]
        return self.segments_by_id(ids)

    def segments_by_id(self, ids: Iterable[int]) -> list:
        """The segments with these ids (those that exist), in document order, each with its translations."""
        ids = [int(i) for i in ids]
        if not ids:
            return []
        out = []
        for chunk in db.chunks(ids):
            marks = ",".join("?" * len(chunk))
            out += self._build_segments(self._read(f"SELECT * FROM segment WHERE id IN ({marks})", chunk),
                                        self._read(f"SELECT * FROM translation WHERE segment_id IN ({marks})", chunk))
        return sorted(out, key=lambda s: (s.document_id, s.position))

    def _dense(self, count: int | None) -> bool:
        """Whether a filter letting ``count`` segments through keeps most of them (see :meth:`_filter_sql`)."""
        if count is None:
            return False
        total = self._read("SELECT COALESCE(MAX(id), 0) FROM segment")[0][0]  # O(1); close to the count
        return count * 4 > total

    def segment_ordinal(self, segment_id: int, flt: SegmentFilter | None = None, *,
                        count: int | None = None) -> int | None:
        """Where a segment stands in the filtered list (0-based), or None when the filter leaves it out or it
        does not exist. ``count``: as for :meth:`segment_page`."""
        rows = self._read("SELECT document_id, position FROM segment WHERE id = ?", (int(segment_id),))
        if not rows:
            return None
        doc, pos = rows[0]
        where, params = self._filter_sql(flt, self._dense(count))
        if flt is not None and flt.active():
            inside = self._read(f"SELECT 1 FROM segment s WHERE s.id = ? AND {where}", [int(segment_id), *params])
            if not inside:
                return None
        return self._read(f"SELECT COUNT(*) FROM segment s WHERE (s.document_id, s.position) < (?, ?) AND {where}",
                          [doc, pos, *params])[0][0]

    def next_segment(self, after: int | None, flt: SegmentFilter | None = None, *, unconfirmed: str | None = None,
                     step: int = 1, wrap: bool = True) -> int | None:
        """The id of the segment after (``step`` 1) or before (-1) ``after`` in the filtered list; with
        ``unconfirmed=lang`` only segments whose ``lang`` target is not confirmed count. ``wrap`` goes round
        from the other end. None when there is none (``after`` itself is never returned)."""
        where, params = self._filter_sql(flt)
        if unconfirmed is not None:
            where += (" AND EXISTS (SELECT 1 FROM translation u WHERE u.segment_id = s.id AND u.lang = ? AND "
                      f"u.status NOT IN ({','.join('?' * len(CONFIRMED))}))")
            params = [*params, unconfirmed, *CONFIRMED]
        order = "ASC" if step > 0 else "DESC"
        key = None
        if after is not None:
            rows = self._read("SELECT document_id, position FROM segment WHERE id = ?", (int(after),))
            key = tuple(rows[0]) if rows else None
        if key is not None:
            cmp = ">" if step > 0 else "<"
            rows = self._read(f"SELECT s.id FROM segment s WHERE (s.document_id, s.position) {cmp} (?, ?) AND {where}"
                              f" ORDER BY s.document_id {order}, s.position {order} LIMIT 1", [*key, *params])
            if rows:
                return rows[0][0]
            if not wrap:
                return None
        rows = self._read(f"SELECT s.id FROM segment s WHERE {where} ORDER BY s.document_id {order}, "
                          f"s.position {order} LIMIT 2", params)
        found = [r[0] for r in rows if r[0] != after]
        return found[0] if found else None

    # -- what changed ------------------------------------------------------------------------------

    def change_cursor(self) -> ChangeCursor:
        """Where the change logs stand now (cheap: row ids and one count over the smallest index)."""
        r = self._read("SELECT (SELECT COALESCE(MAX(id), 0) FROM history), (SELECT COALESCE(MAX(id), 0) FROM "
                       "segment_log), (SELECT COALESCE(MAX(id), 0) FROM segment), (SELECT COUNT(*) FROM segment)")[0]
        return ChangeCursor(*(int(v) for v in r))

    def changed_since(self, cursor: ChangeCursor | None, limit: int = 5000) -> Changes:
        """The segments whose translations changed after ``cursor`` (with the authors of those changes) and
        whether the segment list changed. With no cursor, or more than ``limit`` changes, everything counts
        as changed (``structural``)."""
        now = self.change_cursor()
        if cursor is None:
            return Changes(now, {}, True)
        out = Changes(now)
        if (now.log, now.max_segment, now.segments) != (cursor.log, cursor.max_segment, cursor.segments):
            out.structural = True
        if now.history > cursor.history:
            rows = self._read("SELECT segment_id, author FROM history WHERE id > ? ORDER BY id LIMIT ?",
                              (cursor.history, limit + 1))
            if len(rows) > limit:
                out.structural = True
            for sid, author in rows[:limit]:
                out.segments.setdefault(int(sid), set()).add(author)
        return out

    # -- the QA cache --------------------------------------------------------------------------------

    def qa_stale(self, stamp: str, langs: Sequence[str] | None = None, limit: int = 500) -> list[tuple[int, str]]:
        """Up to ``limit`` targets (``(segment id, lang)``, in segment order) with a text whose cached QA state
        is missing or was computed for another version or stamp."""
        langs = [l for l in (langs or self.target_langs) if l in self.target_langs]
        if not langs:
            return []
        rows = self._read(
            f"SELECT t.segment_id, t.lang FROM translation t LEFT JOIN qa_state q ON q.segment_id = t.segment_id "
            f"AND q.lang = t.lang WHERE t.lang IN ({','.join('?' * len(langs))}) AND t.text != '' AND "
            "(q.segment_id IS NULL OR q.version != t.version OR q.stamp != ?) ORDER BY t.segment_id LIMIT ?",
            [*langs, stamp, int(limit)])
        return [(int(a), b) for a, b in rows]

    def qa_stale_count(self, stamp: str, langs: Sequence[str] | None = None) -> int:
        langs = [l for l in (langs or self.target_langs) if l in self.target_langs]
        if not langs:
            return 0
        return self._read(
            f"SELECT COUNT(*) FROM translation t LEFT JOIN qa_state q ON q.segment_id = t.segment_id AND "
            f"q.lang = t.lang WHERE t.lang IN ({','.join('?' * len(langs))}) AND t.text != '' AND "
            "(q.segment_id IS NULL OR q.version != t.version OR q.stamp != ?)", [*langs, stamp])[0][0]

    def qa_counts(self, segment_ids: Iterable[int], langs: Sequence[str], stamp: str) -> dict[tuple[int, str], int]:
        """``{(segment id, lang): problems}`` for the targets whose cached QA state is current (same version
        of the text, same stamp) and has problems."""
        ids = [int(i) for i in segment_ids]
        langs = [l for l in langs if l in self.target_langs]
        if not ids or not langs:
            return {}
        out: dict[tuple[int, str], int] = {}
        for chunk in db.chunks(ids):
            rows = self._read(
                f"SELECT q.segment_id, q.lang, q.problems FROM qa_state q JOIN translation t ON t.segment_id = "
                f"q.segment_id AND t.lang = q.lang WHERE q.segment_id IN ({','.join('?' * len(chunk))}) AND "
                f"q.lang IN ({','.join('?' * len(langs))}) AND q.stamp = ? AND q.version = t.version AND "
                "q.problems > 0", [*chunk, *langs, stamp])
            out.update({(int(a), b): int(n) for a, b, n in rows})
        return out

    def set_qa_state(self, rows: Iterable[tuple[int, str, int, str, int]]) -> None:
        """Store ``(segment id, lang, version, stamp, problems)`` rows (one short transaction)."""
        rows = list(rows)
        if not rows:
            return
        with self.transaction() as con:
            con.executemany(
                "INSERT INTO qa_state (segment_id, lang, version, stamp, problems) VALUES (?,?,?,?,?) "
                "ON CONFLICT(segment_id, lang) DO UPDATE SET version = excluded.version, stamp = excluded.stamp, "
                "problems = excluded.problems", rows)


db.guard_members(SegmentViews)
