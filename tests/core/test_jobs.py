"""Background jobs: progress, ETA, cancel, failures as one line, finished jobs remembered."""

from __future__ import annotations

import threading

import pytest

from workbench.core.errors import InputError
from workbench.core.jobs import Cancelled, JobRunner


@pytest.fixture
def runner():
    r = JobRunner(workers=2)
    yield r
    r.shutdown()


def test_a_job_reports_progress_and_its_result(runner):
    seen = []

    def work(job):
        for i in range(5):
            job.progress(i, 5)
            seen.append(job.snapshot().done)
        job.progress(5, 5)
        return "ok"

    job = runner.submit("test", "five steps", work, owner="rita", unit="segments")
    assert job.wait(10)
    snap = job.snapshot()
    assert (snap.state, snap.done, snap.total, snap.fraction, snap.unit) == ("done", 5, 5, 1.0, "segments")
    assert job.result == "ok" and seen == [0, 1, 2, 3, 4]
    assert runner.jobs(owner="rita") == [job] and runner.jobs(owner="bob") == []
    assert runner.get(job.id) is job and runner.jobs(active=True) == []


def test_eta_while_running(runner):
    started, release = threading.Event(), threading.Event()

    def work(job):
        job.progress(1, 4)
        started.set()
        release.wait(10)
        job.progress(4, 4)

    job = runner.submit("test", "slow", work)
    assert started.wait(10)
    snap = job.snapshot()
    assert snap.state == "running" and snap.active and snap.fraction == 0.25
    assert snap.eta_s is not None and snap.eta_s >= 0
    release.set()
    assert job.wait(10) and job.state == "done"


def test_cancel_stops_the_work_at_the_next_progress_call(runner):
    started, release = threading.Event(), threading.Event()
    steps = []

    def work(job):
        for i in range(100):
            job.progress(i, 100)
            steps.append(i)
            if i == 2:
                started.set()
                release.wait(10)

    job = runner.submit("test", "long", work)
    assert started.wait(10)
    assert job.cancel()
    release.set()
    assert job.wait(10)
    assert job.state == "cancelled" and steps == [0, 1, 2]
    assert "cancelled" in job.error and job.cancel() is False


def test_a_queued_job_cancelled_never_runs():
    runner = JobRunner(workers=1)
    gate = threading.Event()
    ran = []
    first = runner.submit("test", "blocker", lambda job: gate.wait(10))
    second = runner.submit("test", "queued", lambda job: ran.append(1))
    assert second.cancel() and second.state == "cancelled"
    gate.set()
    assert first.wait(10) and second.wait(10)
    runner.shutdown()
    assert ran == []


def test_failures_are_one_line(runner):
    def user_error(job):
        raise InputError("memory.tmx: not a TMX file; check the file")

    def bug(job):
        return 1 / 0

    a, b = runner.submit("test", "import", user_error), runner.submit("test", "broken", bug)
    assert a.wait(10) and b.wait(10)
    assert (a.state, a.error) == ("failed", "memory.tmx: not a TMX file; check the file")
    assert b.state == "failed" and "ZeroDivisionError" in b.error and "\n" not in b.error


def test_progress_raises_cancelled_inside_the_job(runner):
    errors = []

    def work(job):
        job.cancel()
        try:
            job.progress(1, 2)
        except Cancelled as exc:
            errors.append(str(exc))
            raise

    job = runner.submit("test", "self-cancel", work)
    assert job.wait(10) and job.state == "cancelled" and errors


def test_only_recent_finished_jobs_are_kept():
    runner = JobRunner(workers=1, keep=3)
    jobs = [runner.submit("test", f"j{i}", lambda job: None) for i in range(6)]
    for j in jobs:
        assert j.wait(10)
    runner.submit("test", "last", lambda job: None).wait(10)
    assert len(runner.jobs()) <= 4
    runner.shutdown()
