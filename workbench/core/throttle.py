"""Login throttling: after ``limit`` failed logins within ``window`` seconds for one key (a user name, an
address), refuse that key for ``lockout`` seconds, even with the right password.

The editor keys every attempt by the name typed and by the client's address, so guessing one person's
password from many addresses, or many people's passwords from one address, is slowed down either way.
Refused attempts are not counted (a lock is not extended by knocking on it), and a right password clears
the failures of its name, never those of the address. State is kept in memory, per process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Record:
    failures: deque = field(default_factory=deque)
    locked_until: float = 0.0


class LoginThrottle:
    """Failures per key in a sliding window; thread-safe. ``clock`` is a monotonic clock in seconds."""

    def __init__(self, limit: int = 10, window: float = 60.0, lockout: float = 300.0, *,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000):
        if limit < 1 or window <= 0 or lockout <= 0:
            raise ValueError("limit, window and lockout must be positive")
        self.limit, self.window, self.lockout = limit, window, lockout
        self.clock = clock
        self.max_keys = max_keys
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> float:
        """Seconds until every one of ``keys`` may try again (0: try now)."""
        now = self.clock()
        with self._lock:
            until = [rec.locked_until for rec in map(self._records.get, keys) if rec is not None]
        return max([u - now for u in until if u > now], default=0.0)

    def failed(self, *keys: str) -> None:
        """Count a failed attempt for each key; a key that reaches the limit is locked."""
        now = self.clock()
        with self._lock:
            for key in keys:
                rec = self._records.get(key)
                if rec is None:
                    if len(self._records) >= self.max_keys:
                        self._prune(now)
                    rec = self._records[key] = _Record()
                if rec.locked_until > now:
                    continue
                rec.failures.append(now)
                while rec.failures and rec.failures[0] <= now - self.window:
                    rec.failures.popleft()
                if len(rec.failures) >= self.limit:
                    rec.locked_until = now + self.lockout
                    rec.failures.clear()

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key`` (a lock in force stays)."""
        with self._lock:
            rec = self._records.get(key)
            if rec is not None:
                rec.failures.clear()

    def __len__(self) -> int:
        """How many keys are remembered (bounded by ``max_keys``)."""
        with self._lock:
            return len(self._records)

    def _prune(self, now: float) -> None:
        stale = [k for k, r in self._records.items()
                 if r.locked_until <= now and (not r.failures or r.failures[-1] <= now - self.window)]
        for k in stale:
            del self._records[k]
        while len(self._records) >= self.max_keys:  # still full of live keys: forget the oldest ones
            del self._records[next(iter(self._records))]
