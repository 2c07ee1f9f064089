#!/usr/bin/env python3
"""Confirm round-trip of the editor on a 2,000-segment project, through gradio_client (a report, not a test).

Starts the real editor in this process on a free port over a fresh project in a temporary folder, then times:

* ``/confirm`` (public API): save + confirm one Russian target and get the next unconfirmed segment id;
* the editor's own Confirm button event (``/ui_confirm_ru``, what Ctrl+Enter runs in the browser): save +
  confirm, find the next unconfirmed segment, and send back the whole editor (grid page, segment, history).

Usage: python benchmarks/ui_confirm.py [--segments 2000] [--n 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = ("cooperation between the two states continues at the bilateral level and within ASEAN, the UN and the "
         "East Asia Summit, reaffirming mutual trust and friendly relations").split()


def sentence(i: int) -> str:
    k = 8 + i % 17
    words = [WORDS[(i * 7 + j * 3) % len(WORDS)] for j in range(k)]
    return f"In {1990 + i % 35} " + " ".join(words) + f" (item {i})."


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=2000)
    ap.add_argument("--n", type=int, default=200, help="confirms to time per endpoint")
    args = ap.parse_args()

    from gradio_client import Client

    from workbench.core.store import Project
    from workbench.ui.app import build_app, launch

    tmp = Path(tempfile.mkdtemp(prefix="wb-bench-"))
    os.environ["WORKBENCH_HOME"] = str(tmp)
    folder = tmp / "projects"
    folder.mkdir()
    path = folder / "bench.db"
    proj = Project.create(path, "bench", "en", ["ru", "km"])
    proj.add_document("Benchmark", [(i // 5, sentence(i)) for i in range(args.segments)])
    segs = proj.segments()
    proj.close()
    print(f"project: {len(segs)} segments x 2 targets ({path})")

    app = build_app(path, folder=folder)
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    launch(app, port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)

        # 1. public API: /confirm
        api_ms, api_cpu = [], []
        for seg in segs[: args.n]:
            c0 = time.process_time()
            t0 = time.perf_counter()
            out = client.predict("bench", seg.id, "ru", f"Перевод {seg.id}.", 0, api_name="/confirm")
            api_ms.append((time.perf_counter() - t0) * 1000)
            api_cpu.append((time.process_time() - c0) * 1000)
            assert out["translation"]["status"] == "translated", out
        # 2. the editor's Confirm event (session state held by the server for this client)
        client.predict(str(path.resolve()), "bench", "all", "all", "ru", "", "source and target", False,
                       api_name="/ui_open")
        ui_ms, ui_cpu = [], []
        for seg in segs[args.n: 2 * args.n]:
            c0 = time.process_time()
            t0 = time.perf_counter()
            client.predict(str(seg.id), f"Перевод {seg.id}.", "", "new", "new", "all", "all", "ru", "",
                           "source and target", False, api_name="/ui_confirm_ru")
            ui_ms.append((time.perf_counter() - t0) * 1000)
            ui_cpu.append((time.process_time() - c0) * 1000)
        with Project.open(path) as p:
            done = p.progress()["ru"]["translated"]
        assert done == 2 * args.n, f"expected {2 * args.n} confirmed, store has {done}"
    finally:
        app.close()

    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, ms, cpu in (("/confirm (API)", api_ms, api_cpu), ("/ui_confirm_ru (editor event)", ui_ms, ui_cpu)):
        print(f"{name:32s} n={len(ms)}  wall p50 {statistics.median(ms):7.1f} ms  p95 {pct(ms, 95):7.1f} ms"
              f"  max {max(ms):7.1f} ms  | CPU (client+server, one process) p50 {statistics.median(cpu):6.1f} ms")
    print(f"all {2 * args.n} confirms are in the store")
    return 0


if __name__ == "__main__":
    sys.exit(main())
