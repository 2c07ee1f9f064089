"""The MT cache: SQLite in ``$WORKBENCH_HOME/mt_cache.db``, keyed by model, model revision, backend, decoding
options, target language and source text, so re-running a translation is instant and never re-decodes.

Opened through :mod:`workbench.core.db` like the project store and the TM (same pragmas; busy and damage are
one-line errors naming the file; a damaged cache can simply be deleted)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core import db
from ..core.config import data_dir
from ..core.store import now_iso
from .hypothesis import Hypothesis

# The text is kept byte for byte: files store it, and opening compares it. Caches written before the
# schema had a version hold only this table (unversioned), and are taken over as they are.
_SCHEMA_1 = ("CREATE TABLE IF NOT EXISTS mt_cache (key TEXT PRIMARY KEY, model TEXT NOT NULL, lang TEXT NOT NULL,"
             " source TEXT NOT NULL, hyps TEXT NOT NULL, created TEXT NOT NULL)")

CACHE_SCHEMA = db.Schema(kind="an MT cache", name="the MT cache", migrations=(_SCHEMA_1,),
                         advice="delete the file (it is only a cache: translations are decoded again)",
                         legacy_tables=frozenset({"mt_cache"}))


def cache_key(model: str, revision: str, backend: str, options: dict[str, Any], lang: str, source: str) -> str:
    blob = json.dumps([model, revision, backend, options, lang, source], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class MTCache(db.Database):
    SCHEMA = CACHE_SCHEMA

    def __init__(self, path: str | Path | None = None):
        path = Path(path) if path else data_dir() / "mt_cache.db"
        super().__init__(path, db.open_file(path, CACHE_SCHEMA))

    def get_many(self, keys: Iterable[str]) -> dict[str, list[Hypothesis]]:
        keys = list(keys)
        out: dict[str, list[Hypothesis]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            rows = self._read(f"SELECT key, hyps FROM mt_cache WHERE key IN ({','.join('?' * len(part))})", part)
            for k, hyps in rows:
                out[k] = [Hypothesis(h["text"], h["score"], list(h["flags"])) for h in db.load_json(hyps, list, [])]
        return out

    def put_many(self, items: Iterable[tuple[str, str, str, str, list[Hypothesis]]]) -> None:
        """``items``: (key, model, lang, source, hypotheses); one transaction."""
        rows = [
            (k, m, l, s, json.dumps([{"text": h.text, "score": h.score, "flags": h.flags} for h in hyps],
                                    ensure_ascii=False), now_iso())
            for k, m, l, s, hyps in items
        ]
        with self.transaction() as con:
            con.executemany("INSERT OR REPLACE INTO mt_cache VALUES (?,?,?,?,?,?)", rows)

    def __len__(self) -> int:
        return self._read("SELECT COUNT(*) FROM mt_cache")[0][0]

    def clear(self, model: str | None = None) -> int:
        with self.transaction() as con:
            cur = con.execute("DELETE FROM mt_cache" + (" WHERE model = ?" if model else ""), (model,) if model else ())
            return cur.rowcount
