"""The translation memory: one SQLite file (default ``data_dir()/tm.db``), exact and fuzzy lookup, concordance.

Storage (opened through :mod:`workbench.core.db`: WAL, ``synchronous = FULL`` like the project store, since
the memory holds confirmed human work; busy and damage are one-line errors naming the file)
    ``unit``      one row per translation unit: memory name (``tm``), a unique ``key`` within it (the TMX
                  ``tuid``, or ``project@created#segment`` for project segments, or a content hash), dates,
                  ids, props and notes (JSON, order kept).
    ``variant``   one row per ``<tuv>``, in file order (``ord``): ``lang`` (primary subtag, what lookups
                  compare), ``tag`` (the full language tag with BCP 47 letter case: ``en-GB``; a unit may
                  hold several variants of one language, even two with the same tag), the plain ``text``,
                  ``markup`` (the ``<seg>`` content with its inline codes, written back on export; NULL
                  without codes), ``nkey`` (a 64-bit hash of the normalised text, indexed with the language,
                  for exact matches), props, notes, dates.
    ``variant_fts`` an FTS5 index over hashed word tokens (Khmer: pairs of character clusters), used to
                  pick fuzzy candidates (contentless, no positions); ``token_df`` holds each token's document
                  frequency (kept in step on every add/replace), so the rarest query tokens are found at once.
    ``header``    the TMX header of each imported memory, so exporting it again gives the same file.
    Adding a unit with a key that exists replaces it (importing the same file twice adds nothing).

Matching (:mod:`workbench.tm.match`)
    Exact: equal after ``normalize`` = 100 %. Fuzzy: candidates from the FTS index (the query's rarest
    tokens, weighted by IDF), then ``similarity`` (edit ratio minus case/number/punctuation penalties).

TMX import/export live in :mod:`workbench.tm.io` (also as :meth:`TranslationMemory.import_tmx` and
:meth:`TranslationMemory.export_tmx`); filling a project from the memory in :mod:`workbench.tm.fill`.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..core import db
from ..core.config import check_lang, data_dir, lang_tag
from ..core.errors import InputError
from ..core.store import now_iso
from .io import ImportResult, content_key, export_tmx, header_from_json, header_json, import_tmx
from .match import TmMatch, fold, hash_tokens, index_tokens, normalize, similarity, text_key
from .tmx import TmxHeader, TmxUnit, TmxVariant, tmx_date
from .units import project_units, segment_unit

DEFAULT_NAME = "default"

# The text is kept byte for byte: files store it, and opening compares it (see core.db.check_schema).
_SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS unit (
    id INTEGER PRIMARY KEY,
    tm TEXT NOT NULL,
    key TEXT NOT NULL,
    tuid TEXT,
    srclang TEXT,
    creationdate TEXT, creationid TEXT, changedate TEXT, changeid TEXT,
    props TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '[]',
    added TEXT NOT NULL,
    UNIQUE (tm, key)
);
CREATE TABLE IF NOT EXISTS variant (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    lang TEXT NOT NULL,
    xml_lang TEXT,
    text TEXT NOT NULL,
    nkey INTEGER NOT NULL,
    props TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '[]',
    creationdate TEXT, creationid TEXT, changedate TEXT, changeid TEXT,
    UNIQUE (unit_id, lang)
);
CREATE INDEX IF NOT EXISTS variant_key ON variant(lang, nkey);
CREATE INDEX IF NOT EXISTS unit_tm ON unit(tm, id);
CREATE VIRTUAL TABLE IF NOT EXISTS variant_fts USING fts5(toks, content = '', tokenize = 'unicode61', detail = 'none');
CREATE TABLE IF NOT EXISTS token_df (token TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS header (
    tm TEXT PRIMARY KEY,
    header TEXT NOT NULL
);
"""

# Version 2: every variant kept (several per language), under its full language tag, with its inline codes.
_SCHEMA_2 = """
CREATE TABLE variant2 (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    lang TEXT NOT NULL,
    tag TEXT NOT NULL,
    text TEXT NOT NULL,
    markup TEXT,
    nkey INTEGER NOT NULL,
    props TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '[]',
    creationdate TEXT, creationid TEXT, changedate TEXT, changeid TEXT,
    UNIQUE (unit_id, ord)
);
INSERT INTO variant2 (id, unit_id, ord, lang, tag, text, markup, nkey, props, notes, creationdate, creationid,
                      changedate, changeid)
SELECT id, unit_id, ord, lang,
       CASE WHEN xml_lang IS NULL OR trim(xml_lang) = '' THEN lang
            WHEN length(xml_lang) = 5 AND substr(xml_lang, 3, 1) IN ('-', '_')
                 THEN lower(substr(xml_lang, 1, 2)) || '-' || upper(substr(xml_lang, 4, 2))
            ELSE lower(replace(trim(xml_lang), '_', '-')) END,
       text, NULL, nkey, props, notes, creationdate, creationid, changedate, changeid
FROM variant;
DROP TABLE variant;
ALTER TABLE variant2 RENAME TO variant;
CREATE INDEX variant_key ON variant(lang, nkey);
"""

TM_SCHEMA = db.Schema(kind="a translation memory", name="the translation memory", migrations=(_SCHEMA_1, _SCHEMA_2))
SCHEMA_VERSION = TM_SCHEMA.version


@dataclass
class ConcordanceHit:
    """A unit whose ``lang`` text contains the phrase; ``span`` is where (in ``text``), when known."""

    text: str
    lang: str
    translations: dict[str, str]
    tm: str
    unit_id: int
    span: tuple[int, int] | None = None


class TranslationMemory(db.Database):
    """A translation memory in one SQLite file (see the module docstring). Thread-safe like the store."""

    SCHEMA = TM_SCHEMA

    def __init__(self, path: Path, con: sqlite3.Connection):
        super().__init__(path, con)
        self._counts: dict[str, int] | None = None
        self._df: Counter = Counter()

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> TranslationMemory:
        """Open (or create) the memory file; default ``data_dir()/tm.db``."""
        path = Path(path) if path is not None else data_dir() / "tm.db"
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a translation memory file, e.g. {path / 'tm.db'}")
        return cls.from_connection(path, db.open_file(path, TM_SCHEMA))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the token document frequencies of what it indexed are written at its end."""
        with super().transaction() as con:
            self._df = Counter()
            try:
                yield con
                if self._df:  # token document frequencies, written once per transaction
                    con.executemany("INSERT INTO token_df (token, n) VALUES (?, ?)"
                                    " ON CONFLICT(token) DO UPDATE SET n = n + excluded.n",
                                    [(k, v) for k, v in self._df.items() if v])
            finally:
                self._counts = None
                self._df = Counter()

    # -- writing ------------------------------------------------------------------------------------

    def add_unit(self, unit: TmxUnit, *, tm: str = DEFAULT_NAME, key: str | None = None,
                 con: sqlite3.Connection | None = None) -> int:
        """Store a unit (replacing the one with the same ``key`` in memory ``tm``); returns its id.

        ``con``: a transaction of this memory (from :meth:`transaction`) to add many units in one go.
        """
        if not unit.variants:
            raise InputError("a translation unit needs at least one language variant")
        key = key or unit.tuid or content_key(unit)
        if con is None:
            with self.transaction() as own:
                return self._add(own, unit, tm, key)[0]
        return self._add(con, unit, tm, key)[0]

    def store_unit(self, con: sqlite3.Connection, unit: TmxUnit, *, tm: str, key: str) -> bool:
        """:meth:`add_unit` inside a transaction of this memory; True when it replaced a unit with ``key``."""
        if not unit.variants:
            raise InputError("a translation unit needs at least one language variant")
        return self._add(con, unit, tm, key)[1]

    def _add(self, con: sqlite3.Connection, unit: TmxUnit, tm: str, key: str) -> tuple[int, bool]:
        row = con.execute("SELECT id FROM unit WHERE tm = ? AND key = ?", (tm, key)).fetchone()
        values = (unit.tuid, unit.srclang, unit.creationdate, unit.creationid, unit.changedate, unit.changeid,
                  _j(unit.props), _j(unit.notes))
        if row is not None:
            uid = row[0]
            old = con.execute("SELECT id, lang, text FROM variant WHERE unit_id = ?", (uid,)).fetchall()
            # contentless index: a delete repeats the tokens that were indexed
            con.executemany("INSERT INTO variant_fts (variant_fts, rowid, toks) VALUES ('delete', ?, ?)",
                            [(r[0], self._index(normalize(r[2]), r[1], -1)) for r in old])
            con.execute("DELETE FROM variant WHERE unit_id = ?", (uid,))
            con.execute(
                "UPDATE unit SET tuid=?, srclang=?, creationdate=?, creationid=?, changedate=?, changeid=?, props=?,"
                " notes=? WHERE id=?", values + (uid,))
        else:
            uid = con.execute(
                "INSERT INTO unit (tm, key, tuid, srclang, creationdate, creationid, changedate, changeid, props,"
                " notes, added) VALUES (?,?,?,?,?,?,?,?,?,?,?)", (tm, key) + values + (now_iso(),)).lastrowid
        for ord_, v in enumerate(unit.variants.values()):
            norm = normalize(v.text)
            vid = con.execute(
                "INSERT INTO variant (unit_id, ord, lang, tag, text, markup, nkey, props, notes, creationdate,"
                " creationid, changedate, changeid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (uid, ord_, v.lang, v.tag, v.text, v.markup, text_key(norm), _j(v.props), _j(v.notes),
                 v.creationdate, v.creationid, v.changedate, v.changeid)).lastrowid
            con.execute("INSERT INTO variant_fts (rowid, toks) VALUES (?, ?)", (vid, self._index(norm, v.lang, +1)))
        return uid, row is not None

    def remove(self, tm: str) -> int:
        """Delete memory ``tm`` (its units and its kept TMX header); returns the number of units deleted."""
        with self.transaction() as con:
            return self.remove_in(con, tm)

    def remove_in(self, con: sqlite3.Connection, tm: str) -> int:
        """:meth:`remove` inside a transaction of this memory (from :meth:`transaction`)."""
        old = con.execute("SELECT v.id, v.lang, v.text FROM variant v JOIN unit u ON u.id = v.unit_id"
                          " WHERE u.tm = ?", (tm,)).fetchall()
        con.executemany("INSERT INTO variant_fts (variant_fts, rowid, toks) VALUES ('delete', ?, ?)",
                        [(r[0], self._index(normalize(r[2]), r[1], -1)) for r in old])
        n = con.execute("DELETE FROM unit WHERE tm = ?", (tm,)).rowcount
        con.execute("DELETE FROM header WHERE tm = ?", (tm,))
        return n

    def _index(self, norm: str, lang: str, sign: int) -> str:
        toks = hash_tokens(index_tokens(fold(norm)), lang)
        for t in set(toks):
            self._df[t] += sign
        return " ".join(toks)

    def add(self, source: str, target: str, src_lang: str, tgt_lang: str, *, tm: str = DEFAULT_NAME,
            key: str | None = None, tuid: str | None = None, props: Sequence[tuple[str, str]] = (),
            author: str | None = None, date: str | None = None) -> int:
        """Add one sentence pair; the same pair added twice is stored once."""
        check_lang(src_lang), check_lang(tgt_lang)
        src, tgt = lang_tag(src_lang), lang_tag(tgt_lang)  # "en-GB" stays a regional variant
        if not (source or "").strip() or not (target or "").strip():
            raise InputError("a TM entry needs both a source and a target text")
        date = tmx_date(date) if date else tmx_date(now_iso())
        unit = TmxUnit(tuid=tuid, props=list(props), creationdate=date, changedate=date, creationid=author,
                       changeid=author)
        unit.add(src, source)
        unit.add(tgt, target)
        return self.add_unit(unit, tm=tm, key=key)

    def add_from_project(self, project, *, tm: str | None = None, progress=None) -> int:
        """Store every segment with at least one confirmed translation (source + confirmed targets).

        Re-adding a project updates its units in place (key: project name, creation time, segment id).
        Returns the number of units stored. ``progress(done, total)`` is called as segments are read.
        """
        name = tm or project.name
        n = 0
        with self.transaction() as con:
            for seg, unit in project_units(project, status="confirmed", progress=progress):
                self._add(con, unit, name, f"{project.name}@{project.created}#{seg.id}")
                n += 1
        return n

    def add_segment(self, project, segment_id: int, *, tm: str | None = None) -> int | None:
        """Store one segment (source + its confirmed targets), e.g. right after a translator confirms it;
        same key as :meth:`add_from_project`, so either updates the other's unit. Returns the unit id, or
        None (storing nothing) when no target of the segment is confirmed."""
        seg = project.segment(segment_id)
        unit = segment_unit(project, seg, project.document(seg.document_id), status="confirmed")
        if unit is None:
            return None
        with self.transaction() as con:
            return self._add(con, unit, tm or project.name, f"{project.name}@{project.created}#{seg.id}")[0]

    def set_header(self, tm: str, header: TmxHeader, *, con: sqlite3.Connection | None = None) -> None:
        """Keep the TMX header of memory ``tm`` (written again when it is exported)."""
        sql = "INSERT INTO header (tm, header) VALUES (?, ?) ON CONFLICT(tm) DO UPDATE SET header = excluded.header"
        if con is None:
            with self.transaction() as own:
                own.execute(sql, (tm, header_json(header)))
        else:
            con.execute(sql, (tm, header_json(header)))

    def import_tmx(self, path: str | os.PathLike, name: str | None = None, *, replace: bool = False,
                   progress=None) -> ImportResult:
        """Import a TMX file into memory ``name`` (default: the file name); see :func:`workbench.tm.io.import_tmx`."""
        return import_tmx(self, path, name, replace=replace, progress=progress)

    # -- reading ------------------------------------------------------------------------------------

    def header(self, tm: str) -> TmxHeader | None:
        """The TMX header memory ``tm`` was imported with (None when it was not imported)."""
        rows = self._read("SELECT header FROM header WHERE tm = ?", (tm,))
        return header_from_json(rows[0][0]) if rows else None

    def latest_change(self, tm: str | None = None) -> str | None:
        """The latest change (or creation) date of the units of memory ``tm`` (or all)."""
        return self._read("SELECT MAX(COALESCE(changedate, creationdate)) FROM unit" + (
            " WHERE tm = ?" if tm else ""), (tm,) if tm else ())[0][0]

    def names(self) -> dict[str, int]:
        """Memory names and their unit counts."""
        return {r[0]: r[1] for r in self._read("SELECT tm, COUNT(*) FROM unit GROUP BY tm ORDER BY tm")}

    def __len__(self) -> int:
        return self._read("SELECT COUNT(*) FROM unit")[0][0]

    def units(self, tm: str | Sequence[str] | None = None) -> Iterator[TmxUnit]:
        """Stored units in insertion order, as :class:`TmxUnit` (what :meth:`export_tmx` writes)."""
        where, params = _tm_filter(tm, "u")
        last = 0
        while True:
            rows = self._read(f"SELECT u.* FROM unit u WHERE u.id > ? {where} ORDER BY u.id LIMIT 500",
                              [last] + params)
            if not rows:
                return
            ids = [r["id"] for r in rows]
            variants: dict[int, list[sqlite3.Row]] = {}
            for v in self._read(f"SELECT * FROM variant WHERE unit_id IN ({','.join('?' * len(ids))})"
                                " ORDER BY unit_id, ord", ids):
                variants.setdefault(v["unit_id"], []).append(v)
            for r in rows:
                unit = TmxUnit(tuid=r["tuid"], props=_pairs(r["props"]), notes=db.load_json(r["notes"], list, []),
                               creationdate=r["creationdate"], creationid=r["creationid"],
                               changedate=r["changedate"], changeid=r["changeid"], srclang=r["srclang"])
                for v in variants.get(r["id"], []):
                    unit.variants.append(TmxVariant(
                        v["tag"], v["text"], props=_pairs(v["props"]), notes=db.load_json(v["notes"], list, []),
                        creationdate=v["creationdate"], creationid=v["creationid"], changedate=v["changedate"],
                        changeid=v["changeid"], markup=v["markup"]))
                yield unit
            last = ids[-1]

    def export_tmx(self, path: str | os.PathLike, *, tm: str | None = None, langs: Sequence[str] | None = None,
                   srclang: str | None = None) -> Path:
        """Write memory ``tm`` (or all) as TMX; see :func:`workbench.tm.io.export_tmx`."""
        return export_tmx(self, path, tm=tm, langs=langs, srclang=srclang)

    # -- lookup ---------------------------------------------------------------------------------------

    def lookup(self, text: str, src_lang: str, tgt_lang: str, min_score: float = 75, limit: int = 5, *,
               tm: str | Sequence[str] | None = None, candidates: int = 100) -> list[TmMatch]:
        """Best TM matches for ``text`` (``src_lang`` -> ``tgt_lang``), best first, at least ``min_score`` %.

        A language (``en``) matches every variant of it (``en-US``, ``en-GB``); a full tag (``en-GB``) only
        that variant. Several target variants of one unit give one match each.
        """
        from rapidfuzz import fuzz

        (src, src_tag), (tgt, tgt_tag) = _lookup_lang(src_lang), _lookup_lang(tgt_lang)
        qn = normalize(text)
        if not qn:
            return []
        where, params = _tm_filter(tm, "u")
        if src_tag:
            where += " AND s.tag = ?"
            params.append(src_tag)
        join = [tgt] + ([tgt_tag] if tgt_tag else [])
        base = ("SELECT s.id AS vid, s.text AS source, s.tag AS src_tag, t.text AS target, t.tag AS tgt_tag,"
                " t.markup AS target_markup, t.ord AS tord, u.id AS unit_id,"
                " u.tm, u.tuid, u.props, COALESCE(t.changedate, u.changedate, t.creationdate, u.creationdate)"
                " AS changed FROM variant s CROSS JOIN unit u ON u.id = s.unit_id"  # CROSS JOIN: s drives
                " CROSS JOIN variant t ON t.unit_id = s.unit_id AND t.id != s.id AND t.lang = ?"
                + (" AND t.tag = ?" if tgt_tag else ""))
        rows = list(self._read(f"{base} WHERE s.lang = ? AND s.nkey = ? {where}", join + [src, text_key(qn)] + params))
        if min_score < 100:
            seen = {r["vid"] for r in rows}
            ranked = self._candidates(qn, src)
            for page in range(0, min(len(ranked), 3 * candidates), candidates):
                ids = [i for i in ranked[page:page + candidates] if i not in seen]
                if ids:
                    rows += self._read(f"{base} WHERE s.id IN ({','.join('?' * len(ids))}) {where}",
                                       join + ids + params)
                if len(rows) >= limit:
                    break
        best: dict[tuple[str, str], TmMatch] = {}
        qf = fold(qn)
        for r in rows:
            if not r["target"].strip():
                continue
            norm = normalize(r["source"])
            if norm != qn and fuzz.ratio(qf, fold(norm), score_cutoff=min_score) < min_score:
                continue  # penalties only lower a score: no need to compute them
            score, flags = similarity(qn, norm)
            if score < min_score:
                continue
            m = TmMatch(r["source"], r["target"], score, src, tgt, r["tm"], r["unit_id"], r["tuid"], flags,
                        r["changed"], _pairs(r["props"]), src_tag=r["src_tag"], tgt_tag=r["tgt_tag"],
                        target_markup=r["target_markup"], variant_ord=r["tord"])
            k = (norm, normalize(r["target"]), r["tgt_tag"], r["target_markup"] or "")
            old = best.get(k)
            if old is None or _rank(m) > _rank(old):
                best[k] = m
        # best score first; among equals the most recently changed, the most recently added, the first variant
        return sorted(best.values(), key=_rank, reverse=True)[:limit]

    def _candidates(self, qn: str, src: str, limit: int = 600) -> list[int]:
        """Variant ids in ``src`` sharing the query's rarest tokens, most shared IDF weight first."""
        toks = list(dict.fromkeys(hash_tokens(index_tokens(fold(qn)), src)))
        if not toks:
            return []
        df = {r[0]: r[1] for r in self._read(
            f"SELECT token, n FROM token_df WHERE token IN ({','.join('?' * len(toks))}) AND n > 0", toks)}
        present = sorted((t for t in toks if t in df), key=lambda t: (df[t], t))
        if not present:
            return []
        total = max(self._count(src), 1)
        # rarest tokens first; stop at 12 tokens or ~10k postings (at least 3 tokens, however common)
        chosen: list[str] = []
        postings = 0
        for t in present:
            if len(chosen) >= 3 and (postings + df[t] > 10_000 or df[t] > max(100, 0.05 * total)):
                break
            chosen.append(t)
            postings += df[t]
            if len(chosen) >= 12:
                break
        import numpy as np

        ids, weights = [], []
        with self._lock:
            for t in chosen:
                # one string per posting list: 4x faster than fetching a row per id
                joined = self._con.execute("SELECT group_concat(rowid) FROM variant_fts WHERE variant_fts MATCH ?",
                                           (f'"{t}"',)).fetchone()[0]
                rowids = np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.zeros(0, np.int64)
                ids.append(rowids)
                weights.append(np.full(len(rowids), math.log(1 + total / df[t])))
        all_ids = np.concatenate(ids)
        if not len(all_ids):
            return []
        uniq, inverse = np.unique(all_ids, return_inverse=True)
        score = np.bincount(inverse, weights=np.concatenate(weights))
        n = min(limit, len(uniq))
        top = np.argpartition(-score, n - 1)[:n] if n < len(uniq) else np.arange(len(uniq))
        order = top[np.lexsort((-uniq[top], -score[top]))]  # best weight first, newer variant first on ties
        return uniq[order].tolist()

    def _count(self, lang: str) -> int:
        with self._lock:
            if self._counts is None:
                rows = self._con.execute("SELECT lang, COUNT(*) FROM variant GROUP BY lang")
                self._counts = {r[0]: r[1] for r in rows}
            return self._counts.get(lang, 0)

    def concordance(self, phrase: str, lang: str, *, limit: int = 20,
                    tm: str | Sequence[str] | None = None) -> list[ConcordanceHit]:
        """Units whose ``lang`` text contains ``phrase`` (case-insensitive, normalised), with their
        translations; newest first."""
        lang = check_lang(lang)
        pn = fold(normalize(phrase))
        toks = index_tokens(pn)
        if not toks:
            raise InputError(f"concordance needs a word to search for, got {phrase!r}")
        where, params = _tm_filter(tm, "u")
        # every token must occur (FTS5 AND; the index keeps no positions), then the phrase is checked in the text
        match = " ".join(f'"{t}"' for t in dict.fromkeys(hash_tokens(toks, lang)))
        hits: list[ConcordanceHit] = []
        last = None
        while len(hits) < limit:
            rows = self._read(
                "SELECT s.id, s.text, u.id AS unit_id, u.tm FROM variant_fts f JOIN variant s ON s.id = f.rowid"
                f" JOIN unit u ON u.id = s.unit_id WHERE variant_fts MATCH ? AND s.lang = ? {where}"
                + (" AND s.id < ?" if last is not None else "") + " ORDER BY s.id DESC LIMIT 200",
                [match, lang] + params + ([last] if last is not None else []))
            if not rows:
                break
            for r in rows:
                norm = normalize(r["text"])
                folded = fold(norm)
                at = folded.find(pn)
                if at < 0:
                    continue
                span = None
                if len(folded) == len(r["text"]) and norm == r["text"]:
                    span = (at, at + len(pn))
                trans: dict[str, str] = {}
                for t in self._read("SELECT tag, text FROM variant WHERE unit_id = ? AND lang != ? ORDER BY ord",
                                    (r["unit_id"], lang)):
                    trans.setdefault(t["tag"], t["text"])
                hits.append(ConcordanceHit(r["text"], lang, trans, r["tm"], r["unit_id"], span))
                if len(hits) >= limit:
                    break
            last = rows[-1]["id"]
        return hits


def _rank(m: TmMatch) -> tuple:
    return (m.score, m.changedate or "", m.unit_id, -m.variant_ord)


def _lookup_lang(code: str) -> tuple[str, str | None]:
    """``(language, exact tag or None)``: ``en`` -> ``("en", None)``, ``en-gb`` -> ``("en", "en-GB")``."""
    lang = check_lang(code)
    tag = lang_tag(code)
    return lang, (tag if "-" in tag else None)


def _j(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pairs(raw: str) -> list[tuple[str, str]]:
    return [tuple(p) for p in db.load_json(raw, list, [])]


def _tm_filter(tm: str | Sequence[str] | None, alias: str) -> tuple[str, list]:
    if tm is None:
        return "", []
    names = [tm] if isinstance(tm, str) else list(tm)
    if not names:
        return "", []
    return f" AND {alias}.tm IN ({','.join('?' * len(names))})", names
