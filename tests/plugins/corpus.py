"""A real Dask cluster for the corpus tests: a ``LocalCluster`` of two worker processes (one thread each),
started once per test module, and ``dask scheduler`` / ``dask worker`` started as separate processes."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dask_client(tmp_path_factory):
    """A client of a local cluster with two worker processes. Workers start with a data directory of their
    own; every corpus run gives them the running test's settings (that is what is being tested)."""
    from distributed import Client, LocalCluster

    home = tmp_path_factory.mktemp("dask-worker-home")
    old = os.environ.get("WORKBENCH_HOME")
    os.environ["WORKBENCH_HOME"] = str(home)
    try:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1", scheduler_port=0, silence_logs=logging.ERROR)
    finally:
        if old is None:
            os.environ.pop("WORKBENCH_HOME", None)
        else:
            os.environ["WORKBENCH_HOME"] = old
    client = Client(cluster, set_as_default=False)
    client.wait_for_workers(2, timeout=120)
    yield client
    client.close()
    cluster.close()


@contextmanager
def separate_dask(tmp: Path, workers: int = 2):
    """``dask scheduler`` and ``dask worker --nworkers N`` as separate processes on 127.0.0.1 (free ports
    chosen by the scheduler); yields the scheduler address; both are stopped on exit."""
    sched_file = tmp / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    dask = str(Path(sys.executable).with_name("dask"))
    logs = [open(tmp / "scheduler.log", "wb"), open(tmp / "worker.log", "wb")]
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], env=env, stdout=logs[0], stderr=logs[0])]
    try:
        deadline = time.monotonic() + 120
        while not (sched_file.exists() and sched_file.stat().st_size):
            assert procs[0].poll() is None, (tmp / "scheduler.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "dask scheduler did not start"
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        procs.append(subprocess.Popen([dask, "worker", address, "--nworkers", str(workers), "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"], env=env, stdout=logs[1],
                                      stderr=logs[1]))
        from distributed import Client

        with Client(address, timeout=60, set_as_default=False) as c:
            c.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for f in logs:
            f.close()
