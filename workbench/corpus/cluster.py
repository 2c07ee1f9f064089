"""Running corpus work on Dask (``dask.distributed``): the cluster, the workers' set-up, bounded streaming.

:func:`open_client` gives a client for an in-process :class:`~distributed.LocalCluster` with N worker
processes (one thread each: the work is CPU-bound Python and numpy), or for an existing cluster at a
scheduler address. Every worker gets the client's workbench settings (:data:`FORWARDED_ENV`: the data
directory with the model registry, TM and MT cache, the glossary file, thread limits) through a worker
plugin, so a worker started elsewhere works with the same files, as long as the same paths exist there.

:func:`stream` submits tasks with a bounded number in flight and yields results as they finish, so neither
the client nor the scheduler ever holds more than a window of documents.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.errors import InputError

#: environment variables a worker takes over from the client (see docs/corpus.md)
FORWARDED_ENV = ("WORKBENCH_HOME", "WORKBENCH_GLOSSARY", "WORKBENCH_LABSE", "WORKBENCH_MT_THREADS",
                 "WORKBENCH_MT_PARALLEL", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HOME")
#: seconds to wait for a scheduler given with --scheduler
CONNECT_TIMEOUT = 20


def client_env(worker_home: str | os.PathLike | None = None) -> dict[str, str | None]:
    """The settings the workers take over from this process; ``WORKBENCH_HOME`` made absolute, or
    ``worker_home`` (the data directory as the workers see it) when given."""
    from ..core.config import data_dir

    env: dict[str, str | None] = {k: os.environ.get(k) for k in FORWARDED_ENV}
    env["WORKBENCH_HOME"] = str(worker_home) if worker_home else str(data_dir().resolve())
    # the workers are the parallelism: one MT translation at a time in each, unless the user says otherwise
    env["WORKBENCH_MT_PARALLEL"] = env.get("WORKBENCH_MT_PARALLEL") or "1"
    if env.get("WORKBENCH_GLOSSARY"):
        env["WORKBENCH_GLOSSARY"] = os.path.abspath(env["WORKBENCH_GLOSSARY"])
    return env


@contextmanager
def open_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client: to ``scheduler`` (``tcp://HOST:PORT``) if given, else to a new local cluster of
    ``workers`` processes (default: the machine's cores). Closed (and the local cluster stopped) on exit."""
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc.__class__.__name__}); "
                             "start it with 'dask scheduler' and check the address") from None
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            client.close()
            raise InputError(f"the Dask scheduler at {scheduler} has no workers ({exc.__class__.__name__}); start "
                             f"some with 'dask worker {scheduler}'") from None
    else:
        n = workers or os.cpu_count() or 1
        if n < 1:
            raise InputError("--workers must be at least 1")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR, host="127.0.0.1", scheduler_port=0)
        client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def setup_workers(client, worker_home: str | os.PathLike | None = None) -> None:
    """Give every worker of ``client``'s cluster the workbench settings of this process (:func:`client_env`),
    also workers that join later. Called at the start of every corpus run, so a cluster shared by runs
    with different settings always works with the current ones."""
    from .tasks import WorkbenchSetup

    client.register_plugin(WorkbenchSetup(client_env(worker_home)))


def glossary_payload(client, path: str | None) -> tuple[Any, str | None]:
    """The glossary file sent to every worker once (a future to pass to tasks) and its sha256; (None, None)
    without a glossary."""
    if not path:
        return None, None
    data = Path(path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    # a list of one: scatter() would send the items of a bare tuple one by one
    return client.scatter([(Path(path).name, sha, data)], broadcast=True)[0], sha


def _workers(client) -> dict[str, dict]:
    import inspect

    kw = {"n_workers": -1} if "n_workers" in inspect.signature(client.scheduler_info).parameters else {}
    return client.scheduler_info(**kw).get("workers", {})


def worker_count(client) -> int:
    """Threads across the cluster's workers (what can run at once)."""
    return sum(w.get("nthreads", 1) for w in _workers(client).values()) or 1


def on_every_worker(client, fn: Callable, *args, one_at_a_time: bool = False) -> list[Any]:
    """``fn(*args)`` once on every worker, as a task (in the worker's task thread, not its event loop);
    ``one_at_a_time``: each waits for the previous one (for work that must not race, such as creating files)."""
    out = []
    futures = []
    for a in _workers(client):
        fut = client.submit(fn, *args, workers=[a], allow_other_workers=False, pure=False)
        if one_at_a_time:
            out.append(fut.result())
        else:
            futures.append(fut)
    return out + client.gather(futures)


def workers_see(client, *folders: str) -> bool:
    """Whether every worker sees all of ``folders`` (then workers read the files themselves)."""
    from .tasks import folders_visible

    seen = client.run(folders_visible, [os.path.abspath(f) for f in folders])
    return bool(seen) and all(seen.values())


def stream(client, fn: Callable, items: Iterable[Any], args: Callable[[Any], tuple], *, window: int,
           ) -> Iterator[tuple[Any, Any]]:
    """Submit ``fn(*args(item))`` for every item with at most ``window`` in flight; yield ``(item, result)``
    as tasks finish (a task that failed yields its exception as the result)."""
    from distributed import as_completed

    it = iter(items)
    pending: dict[Any, Any] = {}
    done_iter = as_completed(loop=client.loop)

    def submit_next() -> bool:
        for item in it:
            fut = client.submit(fn, *args(item), pure=False)
            pending[fut] = item
            done_iter.add(fut)
            return True
        return False

    for _ in range(max(1, window)):
        if not submit_next():
            break
    for fut in done_iter:
        item = pending.pop(fut)
        try:
            result = fut.result()
        except Exception as exc:  # the task raised, or its worker died (KilledWorker): reported per item
            result = exc
        fut.release()
        submit_next()
        yield item, result
