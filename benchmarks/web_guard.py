"""What the editor's web security layer costs: time per request through ``WebGuard`` (Host and Origin checks,
session lookup with a user store, cookie and header rewriting) against the same trivial ASGI app without it,
and the time of one login check (argon2id).

    python benchmarks/web_guard.py [--n 20000]

Prints the load average with the figures (the ratio within one run is what to compare across machines).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def app(scope, receive, send):  # the cheapest possible response
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"set-cookie", b"x=1; Path=/")]})
    await send({"type": "http.response.body", "body": b"ok"})


def scope(cookie: str) -> dict:
    return {"type": "http", "method": "POST", "path": "/gradio_api/queue/join", "scheme": "http",
            "server": ("127.0.0.1", 7860), "client": ("127.0.0.1", 50000), "root_path": "",
            "headers": [(b"host", b"127.0.0.1:7860"), (b"origin", b"http://127.0.0.1:7860"),
                        (b"content-type", b"application/json"), (b"cookie", cookie.encode()),
                        (b"accept", b"*/*"), (b"user-agent", b"bench")]}


async def run(handler, sc: dict, n: int) -> float:
    async def receive():
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        pass

    t = time.perf_counter()
    for _ in range(n):
        await handler(dict(sc), receive, send)
    return (time.perf_counter() - t) / n


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    args = ap.parse_args()
    os.environ["WORKBENCH_HOME"] = tempfile.mkdtemp(prefix="wb-bench-guard-")
    from workbench.core.users import Logins, UserStore
    from workbench.ui.login import LoginGate
    from workbench.ui.security import WebGuard, WebPolicy

    users = Path(os.environ["WORKBENCH_HOME"]) / "users.db"
    with UserStore.open(users) as store:
        for k in range(20):
            store.add(f"user{k}", "bench-password", "translator")
    logins = Logins(users)
    gate = LoginGate(logins)
    token = gate.sessions.create(logins.authenticate("user3", "bench-password"))
    guard = WebGuard(app, WebPolicy.build(), gate)
    sc = scope(f"{gate.cookie_name(scope(''))}={token}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    bare, guarded = [], []
    for _ in range(5):  # interleaved rounds: both sides see the same load
        bare.append(asyncio.run(run(app, sc, args.n)))
        guarded.append(asyncio.run(run(guard, sc, args.n)))
    b, g = statistics.median(bare), statistics.median(guarded)
    print(f"per request, median of 5 x {args.n}: bare app {b * 1e6:.1f} us, through WebGuard with a session "
          f"{g * 1e6:.1f} us (+{(g - b) * 1e6:.1f} us)")
    checks = []
    for _ in range(5):
        t = time.perf_counter()
        assert logins.authenticate("user7", "bench-password")
        checks.append(time.perf_counter() - t)
    print(f"one login check (argon2id, 64 MiB, t=3): median {statistics.median(checks) * 1000:.0f} ms")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    logins.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
