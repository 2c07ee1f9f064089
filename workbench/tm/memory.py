"""Translation memory: SQLite storage, exact and fuzzy lookup, concordance, TMX import/export, pre-translation.

Storage (one SQLite file, default ``data_dir()/tm.db``)
    ``unit``      one row per translation unit: memory name (``tm``), a unique ``key`` within it (the TMX
                  ``tuid``, or ``project@created#segment`` for project segments, or a content hash), dates,
                  ids, props and notes (JSON, order kept).
    ``variant``   one row per unit and language, in file order: text, ``nkey`` (a 64-bit hash of the
                  normalised text, indexed with the language, for exact matches), props, notes, dates.
    ``variant_fts`` an FTS5 index over hashed word tokens (Khmer: pairs of character clusters), used to
                  pick fuzzy candidates (contentless, no positions); ``token_df`` holds each token's document
                  frequency (kept in step on every add/replace), so the rarest query tokens are found at once.
    ``header``    the TMX header of each imported memory, so exporting it again gives the same file.
    Adding a unit with a key that exists replaces it (importing the same file twice adds nothing).

Matching
    Exact: texts equal after :func:`normalize` (Unicode NFC, all whitespace runs incl. no-break and
    zero-width spaces -> one space, typographic quotes -> ASCII, any script's digits -> ASCII) = 100 %.
    Fuzzy: candidates from the FTS index (the query's rarest tokens, OR-ed, best BM25 first), then
    ``rapidfuzz.fuzz.ratio`` on case-folded normalised text (``ё`` = ``е``), minus penalties: a case-only
    difference 1, each added, removed or changed number 5 (at most 15), a different
    punctuation sequence 2. A fuzzy match never reaches 100. :attr:`TmMatch.flags` says which penalties
    applied (``case``, ``numbers``, ``punctuation``) so an editor can highlight them.
"""

from __future__ import annotations

import functools
import hashlib
import math
import json
import os
import re
import sqlite3
import threading
import time
import unicodedata
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from ..core.config import check_lang, data_dir, parse_langs
from ..core.errors import InputError, VersionConflict
from .tmx import TmxHeader, TmxUnit, TmxVariant, norm_lang, read_tmx, tmx_date, write_tmx
from .units import project_units, segment_unit

SCHEMA_VERSION = 1
DEFAULT_NAME = "default"

_SCHEMA = """
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

# ------------------------------------------------------------------------------------ normalisation

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'", "\u203a": "'", "\u2032": "'",
    "\u00b4": "'", "`": "'",
})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]+")
_WORD = re.compile(r"\w+")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# A Khmer character cluster: a consonant or independent vowel with its subscripts (coeng + consonant),
# dependent vowels and signs. Used to index Khmer, which is written without spaces between words.
_KCC = re.compile("[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b4-\u17d1\u17d3\u17dd])*")


def normalize(text: str) -> str:
    """The exact-match form: NFC, one space for any whitespace run, ASCII quotes and digits, trimmed."""
    s = unicodedata.normalize("NFC", text or "")
    s = _ZERO_WIDTH.sub("", s).translate(_QUOTES)
    if not s.isascii():
        s = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), 0)), s)
    return _SPACES.sub(" ", s).strip()


def _fold(norm: str) -> str:
    return norm.casefold().replace("ё", "е")


def _numbers(norm: str) -> Counter:
    return Counter(n.replace(",", "").replace(".", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", n) else n
                   for n in _NUMBER.findall(norm))


def _punct(norm: str) -> str:
    return "".join(c for c in norm if unicodedata.category(c).startswith("P"))


def _tokens(fold: str) -> list[str]:
    """Index tokens: words; in Khmer (no spaces), pairs of adjacent character clusters."""
    out: list[str] = []
    pos = 0
    for m in _KHMER.finditer(fold):
        out += _WORD.findall(fold[pos:m.start()])
        clusters = _kcc(m.group())
        if len(clusters) == 1:
            out.append(clusters[0])
        out += [a + b for a, b in zip(clusters, clusters[1:])]
        pos = m.end()
    out += _WORD.findall(fold[pos:])
    return out


def _kcc(run: str) -> list[str]:
    return _KCC.findall(run)


@functools.lru_cache(maxsize=1 << 18)
def _hash_token(lang: str, token: str) -> str:
    # lang inside the hash: one index serves every language without mixing them
    b = f"{lang}\x1f{token}".encode()
    return f"t{zlib.crc32(b):08x}{zlib.adler32(b):08x}"


def _hash_tokens(tokens: Iterable[str], lang: str) -> list[str]:
    return [_hash_token(lang, t) for t in tokens]


def _nkey(norm: str) -> int:
    """Exact-match key: a signed 64-bit hash of the normalised text (equal texts, equal keys)."""
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big",
                          signed=True)


def similarity(query: str, candidate: str) -> tuple[float, list[str]]:
    """Match % of ``candidate`` for ``query`` (100 = exact after :func:`normalize`) and the penalty flags."""
    from rapidfuzz import fuzz

    qn, cn = normalize(query), normalize(candidate)
    if qn == cn:
        return 100.0, []
    qf, cf = _fold(qn), _fold(cn)
    flags: list[str] = []
    penalty = 0.0
    if qf == cf:
        base = 100.0
        penalty += 1
        flags.append("case")
    else:
        base = fuzz.ratio(qf, cf)
    qnum, cnum = _numbers(qn), _numbers(cn)
    if qnum != cnum:
        diff = max(sum((qnum - cnum).values()), sum((cnum - qnum).values()))  # a changed number counts once
        penalty += min(15, 5 * diff)
        flags.append("numbers")
    if _punct(qn) != _punct(cn):
        penalty += 2
        flags.append("punctuation")
    return round(max(0.0, min(99.0, base - penalty)), 1), flags


# ------------------------------------------------------------------------------------------- results


@dataclass
class TmMatch:
    """One TM hit for a lookup: the stored source and its translation, with the match %."""

    source: str
    target: str
    score: float
    src_lang: str
    tgt_lang: str
    tm: str
    unit_id: int
    tuid: str | None = None
    flags: list[str] = field(default_factory=list)
    changedate: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.score >= 100.0

    def as_meta(self) -> dict[str, Any]:
        """The ``meta["tm"]`` dict a pre-translated segment carries."""
        meta: dict[str, Any] = {"match": self.score, "tm": self.tm, "unit": self.unit_id, "source": self.source}
        if self.tuid:
            meta["tuid"] = self.tuid
        if self.flags:
            meta["flags"] = list(self.flags)
        return meta


@dataclass
class ConcordanceHit:
    """A unit whose ``lang`` text contains the phrase; ``span`` is where (in ``text``), when known."""

    text: str
    lang: str
    translations: dict[str, str]
    tm: str
    unit_id: int
    span: tuple[int, int] | None = None


@dataclass
class ImportResult:
    name: str
    path: Path
    units: int
    skipped: int
    languages: dict[str, int]
    seconds: float


# --------------------------------------------------------------------------------------------- memory


class TranslationMemory:
    """A translation memory in one SQLite file (see the module docstring). Thread-safe like the store."""

    def __init__(self, path: Path, con: sqlite3.Connection):
        self.path = path
        self._con = con
        self._lock = threading.RLock()
        self._counts: dict[str, int] | None = None
        self._df: Counter = Counter()

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "TranslationMemory":
        path = Path(path) if path is not None else data_dir() / "tm.db"
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a translation memory file, e.g. {path / 'tm.db'}")
        if path.exists():
            with open(path, "rb") as fh:
                head = fh.read(16)
            if head and not head.startswith(b"SQLite format 3\x00"):
                raise InputError(f"{path}: not a translation memory (not an SQLite database); choose another file")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA busy_timeout = 30000")
            con.execute("PRAGMA foreign_keys = ON")
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
            found = con.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise InputError(f"{path}: written by a newer workbench (TM schema {found}); upgrade workbench")
            if found < SCHEMA_VERSION:
                con.executescript(f"BEGIN IMMEDIATE;\n{_SCHEMA}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
            else:
                con.execute("SELECT 1 FROM unit LIMIT 1")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path}: cannot read the translation memory ({exc})") from None
        return cls(path, con)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            self._df = Counter()
            try:
                yield self._con
                if self._df:  # token document frequencies, written once per transaction
                    self._con.executemany(
                        "INSERT INTO token_df (token, n) VALUES (?, ?) ON CONFLICT(token) DO UPDATE SET n = n + excluded.n",
                        [(k, v) for k, v in self._df.items() if v])
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            else:
                self._con.execute("COMMIT")
            finally:
                self._counts = None
                self._df = Counter()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    # -- writing ------------------------------------------------------------------------------------

    def add_unit(self, unit: TmxUnit, *, tm: str = DEFAULT_NAME, key: str | None = None,
                 _con: sqlite3.Connection | None = None) -> int:
        """Store a unit (replacing the one with the same ``key`` in memory ``tm``); returns its id."""
        if not unit.variants:
            raise InputError("a translation unit needs at least one language variant")
        key = key or unit.tuid or _content_key(unit)
        if _con is None:
            with self.transaction() as con:
                return self._add(con, unit, tm, key)
        return self._add(_con, unit, tm, key)

    def _add(self, con: sqlite3.Connection, unit: TmxUnit, tm: str, key: str) -> int:
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
                " notes, added) VALUES (?,?,?,?,?,?,?,?,?,?,?)", (tm, key) + values + (_now(),)).lastrowid
        for ord_, v in enumerate(unit.variants.values()):
            norm = normalize(v.text)
            vid = con.execute(
                "INSERT INTO variant (unit_id, ord, lang, xml_lang, text, nkey, props, notes, creationdate,"
                " creationid, changedate, changeid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (uid, ord_, v.lang, v.xml_lang, v.text, _nkey(norm), _j(v.props), _j(v.notes), v.creationdate,
                 v.creationid, v.changedate, v.changeid)).lastrowid
            con.execute("INSERT INTO variant_fts (rowid, toks) VALUES (?, ?)", (vid, self._index(norm, v.lang, +1)))
        return uid

    def _index(self, norm: str, lang: str, sign: int) -> str:
        toks = _hash_tokens(_tokens(_fold(norm)), lang)
        for t in set(toks):
            self._df[t] += sign
        return " ".join(toks)

    def add(self, source: str, target: str, src_lang: str, tgt_lang: str, *, tm: str = DEFAULT_NAME,
            key: str | None = None, tuid: str | None = None, props: Sequence[tuple[str, str]] = (),
            author: str | None = None, date: str | None = None) -> int:
        """Add one sentence pair; the same pair added twice is stored once."""
        src, tgt = check_lang(src_lang), check_lang(tgt_lang)
        if not (source or "").strip() or not (target or "").strip():
            raise InputError("a TM entry needs both a source and a target text")
        date = tmx_date(date) if date else tmx_date(_now())
        unit = TmxUnit(tuid=tuid, props=list(props), creationdate=date, changedate=date, creationid=author,
                       changeid=author)
        unit.variants[src] = TmxVariant(src, source)
        unit.variants[tgt] = TmxVariant(tgt, target)
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
            return self._add(con, unit, tm or project.name, f"{project.name}@{project.created}#{seg.id}")

    def import_tmx(self, path: str | os.PathLike, name: str | None = None, *, progress=None) -> ImportResult:
        """Import a TMX file into memory ``name`` (default: the file name without extension).

        Streams the file; one transaction, so a file that turns out broken half-way adds nothing.
        ``progress(done, 0)`` is called every 1,000 units read and at the end (0: the total is not known).
        """
        started = time.perf_counter()
        path = Path(path)
        name = name or path.stem
        reader = read_tmx(path)
        langs: Counter = Counter()
        n = 0
        with self.transaction() as con:
            for unit in reader:
                self._add(con, unit, name, unit.tuid or _content_key(unit))
                langs.update(unit.variants.keys())
                n += 1
                if progress is not None and n % 1000 == 0:
                    progress(n, 0)
            if progress is not None:
                progress(n, 0)
            if n == 0:  # raised inside the transaction: nothing is kept
                raise InputError(f"{path}: no translation units with text found; nothing imported")
            h = reader.header
            con.execute("INSERT INTO header (tm, header) VALUES (?, ?) ON CONFLICT(tm) DO UPDATE SET header ="
                        " excluded.header", (name, json.dumps(h.__dict__, ensure_ascii=False)))
        return ImportResult(name, path, n, reader.skipped, dict(sorted(langs.items())),
                            time.perf_counter() - started)

    # -- reading ------------------------------------------------------------------------------------

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
                unit = TmxUnit(tuid=r["tuid"], props=_pairs(r["props"]), notes=json.loads(r["notes"]),
                               creationdate=r["creationdate"], creationid=r["creationid"],
                               changedate=r["changedate"], changeid=r["changeid"], srclang=r["srclang"])
                for v in variants.get(r["id"], []):
                    unit.variants[v["lang"]] = TmxVariant(
                        v["lang"], v["text"], props=_pairs(v["props"]), notes=json.loads(v["notes"]),
                        creationdate=v["creationdate"], creationid=v["creationid"], changedate=v["changedate"],
                        changeid=v["changeid"], xml_lang=v["xml_lang"])
                yield unit
            last = ids[-1]

    def export_tmx(self, path: str | os.PathLike, *, tm: str | None = None, langs: Sequence[str] | None = None,
                   srclang: str | None = None) -> Path:
        """Write memory ``tm`` (or all) as TMX. An imported memory keeps its header, so import -> export
        reproduces the file our exporter wrote. Otherwise the header date is the latest unit change."""
        keep = [norm_lang(l) for l in langs] if langs else None
        header = None
        if tm is not None:
            rows = self._read("SELECT header FROM header WHERE tm = ?", (tm,))
            if rows:
                header = TmxHeader(**json.loads(rows[0][0]))
                header.props = [tuple(p) for p in header.props]
        units = self.units(tm)
        if keep:
            units = (_only(u, keep) for u in units)
        if header is None:
            latest = self._read("SELECT MAX(COALESCE(changedate, creationdate)) FROM unit" + (
                " WHERE tm = ?" if tm else ""), (tm,) if tm else ())[0][0]
            header = TmxHeader(srclang=norm_lang(srclang or "en"), creationdate=tmx_date(latest or _now()))
        return write_tmx(path, (u for u in units if u.variants), header=header)

    # -- lookup ---------------------------------------------------------------------------------------

    def lookup(self, text: str, src_lang: str, tgt_lang: str, min_score: float = 75, limit: int = 5, *,
               tm: str | Sequence[str] | None = None, candidates: int = 100) -> list[TmMatch]:
        """Best TM matches for ``text`` (``src_lang`` -> ``tgt_lang``), best first, at least ``min_score`` %."""
        from rapidfuzz import fuzz

        src, tgt = check_lang(src_lang), check_lang(tgt_lang)
        qn = normalize(text)
        if not qn:
            return []
        where, params = _tm_filter(tm, "u")
        base = ("SELECT s.id AS vid, s.text AS source, t.text AS target, u.id AS unit_id,"
                " u.tm, u.tuid, u.props, COALESCE(t.changedate, u.changedate, t.creationdate, u.creationdate)"
                " AS changed FROM variant s CROSS JOIN unit u ON u.id = s.unit_id"  # CROSS JOIN: s drives
                " CROSS JOIN variant t ON t.unit_id = s.unit_id AND t.lang = ?")
        rows = list(self._read(f"{base} WHERE s.lang = ? AND s.nkey = ? {where}", [tgt, src, _nkey(qn)] + params))
        if min_score < 100:
            seen = {r["vid"] for r in rows}
            ranked = self._candidates(qn, src)
            for page in range(0, min(len(ranked), 3 * candidates), candidates):
                ids = [i for i in ranked[page:page + candidates] if i not in seen]
                if ids:
                    rows += self._read(f"{base} WHERE s.id IN ({','.join('?' * len(ids))}) {where}",
                                       [tgt] + ids + params)
                if len(rows) >= limit:
                    break
        best: dict[tuple[str, str], TmMatch] = {}
        qf = _fold(qn)
        for r in rows:
            if not r["target"].strip():
                continue
            norm = normalize(r["source"])
            if norm != qn and fuzz.ratio(qf, _fold(norm), score_cutoff=min_score) < min_score:
                continue  # penalties only lower a score: no need to compute them
            score, flags = similarity(qn, norm)
            if score < min_score:
                continue
            m = TmMatch(r["source"], r["target"], score, src, tgt, r["tm"], r["unit_id"], r["tuid"], flags,
                        r["changed"], _pairs(r["props"]))
            k = (norm, normalize(r["target"]))
            old = best.get(k)
            if old is None or (m.score, m.changedate or "", m.unit_id) > (old.score, old.changedate or "", old.unit_id):
                best[k] = m
        # best score first; among equals the most recently changed, then the most recently added
        ranked_matches = sorted(best.values(), key=lambda m: (m.score, m.changedate or "", m.unit_id), reverse=True)
        return ranked_matches[:limit]

    def _candidates(self, qn: str, src: str, limit: int = 600) -> list[int]:
        """Variant ids in ``src`` sharing the query's rarest tokens, most shared IDF weight first."""
        toks = list(dict.fromkeys(_hash_tokens(_tokens(_fold(qn)), src)))
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
                self._counts = {r[0]: r[1] for r in self._con.execute("SELECT lang, COUNT(*) FROM variant GROUP BY lang")}
            return self._counts.get(lang, 0)

    def concordance(self, phrase: str, lang: str, *, limit: int = 20,
                    tm: str | Sequence[str] | None = None) -> list[ConcordanceHit]:
        """Units whose ``lang`` text contains ``phrase`` (case-insensitive, normalised), with their
        translations; newest first."""
        lang = check_lang(lang)
        pn = _fold(normalize(phrase))
        toks = _tokens(pn)
        if not toks:
            raise InputError(f"concordance needs a word to search for, got {phrase!r}")
        where, params = _tm_filter(tm, "u")
        # every token must occur (FTS5 AND; the index keeps no positions), then the phrase is checked in the text
        match = " ".join(f'"{t}"' for t in dict.fromkeys(_hash_tokens(toks, lang)))
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
                folded = _fold(norm)
                at = folded.find(pn)
                if at < 0:
                    continue
                span = None
                if len(folded) == len(r["text"]) and norm == r["text"]:
                    span = (at, at + len(pn))
                trans = {t["lang"]: t["text"] for t in self._read(
                    "SELECT lang, text FROM variant WHERE unit_id = ? AND lang != ? ORDER BY ord", (r["unit_id"], lang))}
                hits.append(ConcordanceHit(r["text"], lang, trans, r["tm"], r["unit_id"], span))
                if len(hits) >= limit:
                    break
            last = rows[-1]["id"]
        return hits


# -------------------------------------------------------------------------------------- pre-translation


@dataclass
class PretranslateStats:
    filled: int = 0
    exact: int = 0
    fuzzy: int = 0
    repetitions: int = 0
    no_match: int = 0
    skipped: int = 0  # not new, or changed by someone while we worked

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def pretranslate(project, langs: Sequence[str] | None = None, *, tm: TranslationMemory | None = None,
                 threshold: float = 75, author: str = "tm", progress=None) -> dict[str, PretranslateStats]:
    """Fill every still-``new`` target with the best TM match at or above ``threshold`` %.

    Writes origin ``tm``, status ``draft``, score = match %, ``meta["tm"]`` (see :meth:`TmMatch.as_meta`).
    Repetitions: identical sources (after :func:`normalize`) are looked up once and share the first
    one's translation; a source already confirmed in this project is reused as a 100 % match
    (``meta["tm"]["tm"] == "project"``) before the TM is asked. Confirmed or edited targets are never
    touched. Returns per-language counts. ``progress(done, total)`` is called per segment and language.
    """
    own = tm is None
    memory = tm or TranslationMemory.open()
    try:
        if isinstance(langs, str):
            langs = parse_langs(langs)
        targets = [check_lang(l) for l in (langs or project.target_langs)]
        segs = project.segments()
        out: dict[str, PretranslateStats] = {}
        for lang in targets:
            if lang not in project.target_langs:
                raise InputError(f"{project.path}: {lang} is not a target language of this project "
                                 f"({', '.join(project.target_langs)})")
            stats = out[lang] = PretranslateStats()
            confirmed: dict[str, tuple[str, int]] = {}
            for seg in segs:
                tr = seg.translations.get(lang)
                if tr is not None and tr.confirmed and tr.text.strip():
                    confirmed.setdefault(normalize(seg.source), (tr.text, seg.id))
            cache: dict[str, tuple[str, float, dict] | None] = {}
            for k, seg in enumerate(segs):
                if progress is not None:
                    progress(len(segs) * targets.index(lang) + k, len(segs) * len(targets))
                tr = seg.translations.get(lang)
                if tr is None or tr.status != "new" or tr.text:
                    stats.skipped += tr is not None and tr.status != "new"
                    continue
                key = normalize(seg.source)
                if key in cache:
                    found = cache[key]
                    if found is not None:
                        stats.repetitions += 1
                elif key in confirmed:
                    text, sid = confirmed[key]
                    found = cache[key] = (text, 100.0, {"match": 100.0, "tm": "project", "segment": sid,
                                                       "source": seg.source})
                    stats.repetitions += 1
                else:
                    hits = memory.lookup(seg.source, project.source_lang, lang, min_score=threshold, limit=1)
                    found = cache[key] = (hits[0].target, hits[0].score, hits[0].as_meta()) if hits else None
                if found is None:
                    stats.no_match += 1
                    continue
                text, score, tm_meta = found
                try:
                    project.set_translation(
                        seg.id, lang, text, origin="tm", status="draft", score=score,
                        meta={**tr.meta, "tm": tm_meta}, expected_version=tr.version, author=author,
                        action="pretranslate")
                except VersionConflict:
                    stats.skipped += 1
                    continue
                stats.filled += 1
                if score >= 100:
                    stats.exact += 1
                else:
                    stats.fuzzy += 1
        if progress is not None:
            progress(len(segs) * len(targets), len(segs) * len(targets))
        return out
    finally:
        if own:
            memory.close()


# ------------------------------------------------------------------------------------------- helpers


def _now() -> str:
    from ..core.store import now_iso

    return now_iso()


def _j(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pairs(raw: str) -> list[tuple[str, str]]:
    return [tuple(p) for p in json.loads(raw or "[]")]


def _content_key(unit: TmxUnit) -> str:
    h = hashlib.sha1()
    for lang in sorted(unit.variants):
        h.update(lang.encode() + b"\x1f" + unit.variants[lang].text.encode("utf-8", "surrogatepass") + b"\x1e")
    return "sha1:" + h.hexdigest()


def _tm_filter(tm: str | Sequence[str] | None, alias: str) -> tuple[str, list]:
    if tm is None:
        return "", []
    names = [tm] if isinstance(tm, str) else list(tm)
    if not names:
        return "", []
    return f" AND {alias}.tm IN ({','.join('?' * len(names))})", names


def _only(unit: TmxUnit, langs: Sequence[str]) -> TmxUnit:
    variants = {l: v for l, v in unit.variants.items() if l in langs}
    if len(variants) < 2:
        variants = {}
    return TmxUnit(variants, unit.tuid, unit.props, unit.notes, unit.creationdate, unit.creationid,
                   unit.changedate, unit.changeid, unit.srclang)
