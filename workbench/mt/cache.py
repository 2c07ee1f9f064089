"""The MT cache: SQLite in ``$WORKBENCH_HOME/mt_cache.db``, keyed by model, model revision, backend, decoding
options, target language and source text, so re-running a translation is instant and never re-decodes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable

from ..core.config import data_dir
from .hypothesis import Hypothesis
from ..core.store import now_iso


def cache_key(model: str, revision: str, backend: str, options: dict[str, Any], lang: str, source: str) -> str:
    blob = json.dumps([model, revision, backend, options, lang, source], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class MTCache:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else data_dir() / "mt_cache.db"
        self._con = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False, isolation_level=None)
        self._con.execute("PRAGMA journal_mode = WAL")
        self._con.execute("PRAGMA busy_timeout = 30000")
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS mt_cache (key TEXT PRIMARY KEY, model TEXT NOT NULL, lang TEXT NOT NULL,"
            " source TEXT NOT NULL, hyps TEXT NOT NULL, created TEXT NOT NULL)"
        )
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[str]) -> dict[str, list[Hypothesis]]:
        keys = list(keys)
        out: dict[str, list[Hypothesis]] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                rows = self._con.execute(
                    f"SELECT key, hyps FROM mt_cache WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                for k, hyps in rows:
                    out[k] = [Hypothesis(h["text"], h["score"], list(h["flags"])) for h in json.loads(hyps)]
        return out

    def put_many(self, items: Iterable[tuple[str, str, str, str, list[Hypothesis]]]) -> None:
        """``items``: (key, model, lang, source, hypotheses); one transaction."""
        rows = [
            (k, m, l, s, json.dumps([{"text": h.text, "score": h.score, "flags": h.flags} for h in hyps],
                                    ensure_ascii=False), now_iso())
            for k, m, l, s, hyps in items
        ]
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                self._con.executemany("INSERT OR REPLACE INTO mt_cache VALUES (?,?,?,?,?,?)", rows)
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return self._con.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0]

    def clear(self, model: str | None = None) -> int:
        with self._lock:
            cur = self._con.execute("DELETE FROM mt_cache" + (" WHERE model = ?" if model else ""),
                                    (model,) if model else ())
            return cur.rowcount

    def close(self) -> None:
        with self._lock:
            self._con.close()
