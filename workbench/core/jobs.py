"""Background jobs: long work (pre-translate a project, align a document, import a TM or a glossary, download a
model, mine terms, export a big project) runs on a worker thread while people keep editing.

A job is a function ``fn(job)`` that reports with ``job.progress(done, total)`` (the same ``progress(done,
total)`` callback every long library function takes, so ``fn`` is usually one call with
``progress=job.progress``) and returns its result. Cancelling is cooperative: after :meth:`Job.cancel`, the
next ``job.progress(...)`` call raises :class:`Cancelled` inside the job, so the work stops at a point where
what was saved so far is consistent (every library function saves per item, in transactions).

Jobs live in a :class:`JobRunner` (one per server), keyed by id, so a page reload finds its jobs again
(:meth:`JobRunner.jobs` with ``owner``). Nothing here knows about the UI: the editor renders
:meth:`Job.snapshot`.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .errors import WorkbenchError

log = logging.getLogger("workbench.jobs")

STATES = ("queued", "running", "done", "failed", "cancelled")
ACTIVE = frozenset({"queued", "running"})


class Cancelled(WorkbenchError):
    """Raised inside a job by :meth:`Job.progress` once the job was cancelled."""


@dataclass(frozen=True)
class JobSnapshot:
    """A consistent copy of a job's state, for display (safe to read from any thread)."""

    id: str
    kind: str
    title: str
    owner: str | None
    ref: str | None
    state: str
    done: int
    total: int | None
    unit: str
    fraction: float | None
    eta_s: float | None
    elapsed_s: float
    message: str
    error: str | None
    summary: str  # the result, when the work returned a line of text
    ended_ago_s: float | None  # seconds since it ended (None while queued or running)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


class Job:
    """One unit of background work. Created by :meth:`JobRunner.submit`."""

    def __init__(self, job_id: str, kind: str, title: str, fn: Callable[[Job], Any], *, owner: str | None = None,
                 unit: str = "items", ref: str | None = None, clock: Callable[[], float] = time.monotonic):
        self.id = job_id
        self.kind = kind
        self.title = title
        self.owner = owner
        self.ref = ref
        self.unit = unit
        self._fn = fn
        self._clock = clock
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self._state = "queued"
        self._done = 0
        self._total: int | None = None
        self._message = ""
        self._error: str | None = None
        self._result: Any = None
        self._created = clock()
        self._started: float | None = None
        self._ended: float | None = None

    # -- called by the work ---------------------------------------------------------------------------

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Report progress; raises :class:`Cancelled` when the job was cancelled."""
        with self._lock:
            self._done = int(done)
            if total is not None:
                self._total = int(total)
            if message is not None:
                self._message = message
        if self._cancel.is_set():
            raise Cancelled(f"{self.title}: cancelled; what was finished before is kept")

    def note(self, message: str) -> None:
        """Set the line shown under the progress bar (without counting)."""
        with self._lock:
            self._message = message

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- called by people ------------------------------------------------------------------------------

    def cancel(self) -> bool:
        """Ask the job to stop. Returns False when it had already finished."""
        if self._finished.is_set():
            return False
        self._cancel.set()
        with self._lock:
            if self._state == "queued":  # never started: it will not start
                self._state = "cancelled"
                self._ended = self._clock()
                self._finished.set()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (any end state); False on timeout."""
        return self._finished.wait(timeout)

    @property
    def state(self) -> str:
        return self._state

    @property
    def result(self) -> Any:
        """What the function returned (None until it is done)."""
        return self._result

    @property
    def error(self) -> str | None:
        return self._error

    def snapshot(self) -> JobSnapshot:
        with self._lock:
            now = self._clock()
            start = self._started
            elapsed = ((self._ended or now) - start) if start is not None else 0.0
            fraction = None
            eta = None
            if self._total:
                fraction = min(1.0, self._done / self._total)
                if self._state == "running" and 0 < self._done < self._total and elapsed > 0:
                    eta = elapsed / self._done * (self._total - self._done)
            elif self._state == "done":
                fraction = 1.0
            summary = self._result if isinstance(self._result, str) else ""
            ago = (now - self._ended) if self._ended is not None else None
            return JobSnapshot(self.id, self.kind, self.title, self.owner, self.ref, self._state, self._done,
                               self._total, self.unit, fraction, eta, elapsed, self._message, self._error, summary,
                               ago)

    # -- run by the runner -----------------------------------------------------------------------------

    def _run(self) -> None:
        with self._lock:
            if self._state != "queued":
                return
            self._state = "running"
            self._started = self._clock()
        try:
            result = self._fn(self)
        except Cancelled as exc:
            self._end("cancelled", error=str(exc))
        except WorkbenchError as exc:
            self._end("failed", error=str(exc))
        except Exception as exc:  # a bug: logged with its traceback, shown as one line
            log.exception("job %s (%s) failed", self.id, self.title)
            self._end("failed", error=f"{self.title}: failed ({type(exc).__name__}: {exc}); see the server log")
        else:
            self._result = result
            self._end("done")

    def _end(self, state: str, *, error: str | None = None) -> None:
        with self._lock:
            self._state = state
            self._error = error
            self._ended = self._clock()
        self._finished.set()


class JobRunner:
    """Runs jobs on ``workers`` threads (default 2) and remembers them (finished ones too, up to ``keep``)."""

    def __init__(self, workers: int = 2, *, keep: int = 200):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="workbench-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._keep = keep

    def submit(self, kind: str, title: str, fn: Callable[[Job], Any], *, owner: str | None = None,
               unit: str = "items", ref: str | None = None) -> Job:
        """Queue ``fn(job)``; returns the job at once. ``owner``: who started it; ``ref``: what it works on
        (e.g. a project), to find it again."""
        with self._lock:
            job = Job(f"{kind}-{next(self._ids)}", kind, title, fn, owner=owner, unit=unit, ref=ref)
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(job._run)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self, *, owner: str | None = None, kind: str | None = None, active: bool | None = None,
             ref: str | None = None) -> list[Job]:
        """Jobs in submission order, filtered by owner, kind, what they work on and whether they are still
        active."""
        with self._lock:
            out = list(self._jobs.values())
        return [j for j in out if (owner is None or j.owner == owner) and (kind is None or j.kind == kind)
                and (ref is None or j.ref == ref) and (active is None or (j.state in ACTIVE) == active)]

    def cancel(self, job_id: str) -> bool:
        job = self.get(job_id)
        return job.cancel() if job else False

    def shutdown(self, *, cancel: bool = True, wait: bool = True) -> None:
        """Stop taking jobs; with ``cancel``, ask running ones to stop."""
        if cancel:
            for job in self.jobs(active=True):
                job.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=cancel)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state not in ACTIVE]
        for k in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[k]
