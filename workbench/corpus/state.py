"""The state file of a corpus run (SQLite, beside the output): what a rerun reuses.

``features``: the pairing features of every document read, keyed by the file's content (sha256), its
language and the feature settings; ``pairs``: every aligned document pair (both documents' sentences and
the links), keyed by the two files' contents and the alignment settings; ``translations``: the documents
``corpus translate`` has finished, keyed by content and settings. Each result is committed as it
arrives, so an interrupted run loses only the work in flight; renaming or moving files costs nothing, and a
changed file is read and aligned again. The file is a cache: deleting it only means starting over.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core import db
from ..core.store import now_iso

_SCHEMA_1 = """
CREATE TABLE features (key TEXT PRIMARY KEY, sha TEXT NOT NULL, lang TEXT NOT NULL, embedder TEXT,
                       data BLOB NOT NULL, created TEXT NOT NULL);
CREATE TABLE pairs (key TEXT PRIMARY KEY, src_sha TEXT NOT NULL, tgt_sha TEXT NOT NULL, data BLOB NOT NULL,
                    created TEXT NOT NULL);
"""

_SCHEMA_2 = """
CREATE TABLE translations (key TEXT PRIMARY KEY, name TEXT NOT NULL, outputs TEXT NOT NULL, created TEXT NOT NULL);
"""

STATE_SCHEMA = db.Schema(kind="a corpus state file", name="the corpus state file", migrations=(_SCHEMA_1, _SCHEMA_2),
                         advice="delete it (it only holds work a rerun can do again)")


def key(*parts: Any) -> str:
    """A stable key for a JSON-able tuple of settings and content hashes."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


class CorpusState(db.Database):
    SCHEMA = STATE_SCHEMA

    def __init__(self, path: str | Path):
        path = Path(path)
        super().__init__(path, db.open_file(path, STATE_SCHEMA))

    # ---------------------------------------------------------------------------------- features

    def get_features(self, keys: Iterable[str]) -> dict[str, tuple[str | None, bytes]]:
        """``{key: (embedder, packed features)}`` for the keys stored."""
        out: dict[str, tuple[str | None, bytes]] = {}
        for part in db.chunks(list(keys)):
            for k, emb, data in self._read(f"SELECT key, embedder, data FROM features WHERE key IN "
                                           f"({db.marks(len(part))})", part):
                out[k] = (emb, bytes(data))
        return out

    def put_features(self, rows: Iterable[tuple[str, str, str, str | None, bytes]]) -> None:
        """``rows``: (key, sha, lang, embedder, packed features); one transaction."""
        now = now_iso()
        with self.transaction() as con:
            con.executemany("INSERT OR REPLACE INTO features VALUES (?,?,?,?,?,?)",
                            [(*r, now) for r in rows])

    # ---------------------------------------------------------------------------------- pairs

    def _stored(self, table: str, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` that ``table`` (``pairs`` or ``translations``) holds."""
        out: set[str] = set()
        for part in db.chunks(list(keys)):
            out.update(r[0] for r in self._read(f"SELECT key FROM {table} WHERE key IN ({db.marks(len(part))})",
                                                part))
        return out

    def has_pairs(self, keys: Iterable[str]) -> set[str]:
        return self._stored("pairs", keys)

    def put_pair(self, k: str, src_sha: str, tgt_sha: str, result: dict[str, Any]) -> None:
        blob = zlib.compress(json.dumps(result, ensure_ascii=False).encode("utf-8"), 6)
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO pairs VALUES (?,?,?,?,?)", (k, src_sha, tgt_sha, blob, now_iso()))

    def get_pair(self, k: str) -> dict[str, Any] | None:
        rows = self._read("SELECT data FROM pairs WHERE key = ?", (k,))
        if not rows:
            return None
        try:
            raw = zlib.decompress(bytes(rows[0][0]))
        except zlib.error as exc:
            raise db.Damage("a stored pair does not decompress") from exc
        return db.load_json(raw, dict, {})

    # ---------------------------------------------------------------------------------- translations

    def done_translations(self, keys: Iterable[str]) -> set[str]:
        return self._stored("translations", keys)

    def put_translation(self, k: str, name: str, outputs: list[str]) -> None:
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO translations VALUES (?,?,?,?)",
                        (k, name, json.dumps(outputs, ensure_ascii=False), now_iso()))
