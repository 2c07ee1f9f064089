#!/usr/bin/env python3
"""The editor under load: confirm round trips on a 2,000- and a 200,000-segment project, and another user's
saves while a 2,000-sentence alignment runs (a report, not a test).

Starts the real editor in this process on a free port over fresh projects in a temporary folder, and talks
to it as browsers do (the segment desk's requests, :class:`workbench.ui.desk_client.DeskClient`) and as
scripts do (``gradio_client``):

1. 2,000 segments: ``/confirm`` (public API); the desk's confirm (what Ctrl+Enter sends: save + confirm +
   the next unconfirmed segment, with the rows to redraw), wall time and CPU time per confirm (client and
   server share this process); the panel request the browser sends next (glossary, TM, QA, history).
2. 200,000 segments (``--big``): the desk's confirm, a page, a filter change, a poll.
3. While a 2,000-sentence Russian alignment runs as a background job (started through the Alignment tab's
   own event), another session saves targets of the same project and of another one.

Goals: confirm p95 <= 120 ms and <= 40 ms CPU on 2,000 segments; p95 <= 300 ms on 200,000; another session's
save p95 <= 300 ms while the alignment runs. The load average is printed with the figures: on a shared
machine they are "under load".

Usage: python benchmarks/ui_confirm.py [--segments 2000] [--n 200] [--big 200000] [--big-n 60]
       [--align 2000] [--during-n 80]      (--big 0 / --align 0 skip a part)
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = ("cooperation between the two states continues at the bilateral level and within ASEAN, the UN and the "
         "East Asia Summit, reaffirming mutual trust and friendly relations").split()
RU_WORDS = ("сотрудничество между двумя государствами продолжается на двустороннем уровне и в рамках АСЕАН ООН "
            "и Восточноазиатского саммита подтверждая взаимное доверие и дружественные отношения").split()


def sentence(i: int) -> str:
    k = 8 + i % 17
    words = [WORDS[(i * 7 + j * 3) % len(WORDS)] for j in range(k)]
    return f"In {1990 + i % 35} " + " ".join(words) + f" (item {i})."


def ru_sentence(i: int) -> str:
    k = 8 + i % 17
    words = [RU_WORDS[(i * 5 + j * 3) % len(RU_WORDS)] for j in range(k)]
    return f"В {1990 + i % 35} году " + " ".join(words) + f" (пункт {i})."


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def line(name: str, ms: list[float], cpu: list[float] | None = None) -> str:
    out = (f"  {name:44s} n={len(ms):4d}  p50 {statistics.median(ms):7.1f} ms  p95 {pct(ms, 95):7.1f} ms"
           f"  max {max(ms):7.1f} ms")
    if cpu:
        out += f"  | CPU p50 {statistics.median(cpu):5.1f} ms  p95 {pct(cpu, 95):5.1f} ms"
    return out


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} CPUs"


def make_project(folder: Path, name: str, n: int):
    from workbench.core.store import Project

    path = folder / f"{name}.db"
    proj = Project.create(path, name, "en", ["ru", "km"])
    for start in range(0, n, 20_000):
        proj.add_document(f"{name} {start // 20_000 + 1}",
                          [(i // 5, sentence(i)) for i in range(start, min(n, start + 20_000))])
    proj.close()
    return path


def desk_confirms(desk, project: str, count: int, *, skip: int = 0) -> tuple[list[float], list[float], list[float]]:
    """``count`` confirms the way Ctrl+Enter sends them, each followed by the panel request; returns wall and
    CPU times of the confirms and wall times of the panels."""
    boot = desk.call("boot", project=project, langs=["ru", "km"])
    assert not boot.get("error"), boot
    page = boot
    rows = {r["id"]: r for r in page["rows"]}
    seg = boot["active"]
    for _ in range(skip):
        seg = desk.call("save", project=project, seg=seg, lang="ru", text="Пропуск.",
                        version=rows[seg]["t"]["ru"]["version"], confirm=True, ids=list(rows),
                        page=page["page"])["next"]
        if seg not in rows:
            page = desk.call("page", project=project, seg=seg, around=True)
            rows = {r["id"]: r for r in page["rows"]}
    wall, cpu, panel = [], [], []
    for _ in range(count):
        c0, t0 = time.process_time(), time.perf_counter()
        out = desk.call("save", project=project, seg=seg, lang="ru", text=f"Перевод {seg}.",
                        version=rows[seg]["t"]["ru"]["version"], confirm=True, ids=list(rows), page=page["page"])
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert not out.get("error") and out["saved"]["status"] == "translated", out
        if "page" in out:
            page = out["page"]
            rows = {r["id"]: r for r in page["rows"]}
        seg = out["next"]
        t0 = time.perf_counter()
        p = desk.call("panel", project=project, seg=seg, lang="ru")
        panel.append((time.perf_counter() - t0) * 1000)
        assert not p.get("error"), p
    return wall, cpu, panel


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=2000)
    ap.add_argument("--n", type=int, default=200, help="confirms to time per way of confirming")
    ap.add_argument("--big", type=int, default=200_000, help="segments of the big project (0: skip)")
    ap.add_argument("--big-n", type=int, default=60)
    ap.add_argument("--align", type=int, default=2000, help="sentences to align meanwhile (0: skip)")
    ap.add_argument("--during-n", type=int, default=80, help="saves to time during the alignment")
    args = ap.parse_args()

    from gradio_client import Client

    from workbench.core.store import Project
    from workbench.ui.app import build_app, launch
    from workbench.ui.desk_client import DeskClient

    print(f"start: {load()}")
    tmp = Path(tempfile.mkdtemp(prefix="wb-bench-"))
    os.environ["WORKBENCH_HOME"] = str(tmp)
    folder = tmp / "projects"
    folder.mkdir()
    small = make_project(folder, "bench", args.segments)
    other = make_project(folder, "other", 500)
    big = None
    if args.big:
        t0 = time.perf_counter()
        big = make_project(folder, "big", args.big)
        print(f"made a {args.big:,}-segment project in {time.perf_counter() - t0:.0f} s "
              f"({big.stat().st_size / 1e6:.0f} MB)")

    app = build_app(small, folder=folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    launch(app, port=port, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    report: list[str] = []
    try:
        client = Client(url, verbose=False)
        desk = DeskClient(url, author="bench")

        # 1. 2,000 segments ---------------------------------------------------------------------------
        with Project.open(small) as proj:
            segs = proj.segment_page(None, 0, args.n)
        api_ms, api_cpu = [], []
        for seg in segs:
            c0, t0 = time.process_time(), time.perf_counter()
            out = client.predict("bench", seg.id, "ru", f"Перевод {seg.id}.", 0, api_name="/confirm")
            api_ms.append((time.perf_counter() - t0) * 1000)
            api_cpu.append((time.process_time() - c0) * 1000)
            assert out["translation"]["status"] == "translated", out
        wall, cpu, panel = desk_confirms(desk, "bench", args.n)
        with Project.open(small) as p:
            done = p.progress()["ru"]["translated"]
        assert done == 2 * args.n, f"expected {2 * args.n} confirmed, the store has {done}"
        report += [f"{args.segments:,} segments ({load()}):", line("/confirm (API, gradio_client)", api_ms, api_cpu),
                   line("desk confirm (Ctrl+Enter: save+confirm+next)", wall, cpu),
                   line("desk panel of the next segment", panel)]
        print("\n".join(report[-4:]), flush=True)

        # 2. 200,000 segments -------------------------------------------------------------------------
        if big is not None:
            wall, cpu, panel = desk_confirms(desk, "big", args.big_n, skip=0)
            page_ms, filt_ms, poll_ms = [], [], []
            boot = desk.call("boot", project="big")
            for k in range(20):
                t0 = time.perf_counter()
                desk.call("page", project="big", page=(k * 997) % max(1, boot["pages"]))
                page_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                desk.call("page", project="big", page=0,
                          filter={"status": ("unconfirmed", "confirmed")[k % 2], "lang": "ru"})
                filt_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                desk.call("poll", project="big", cursor=boot["cursor"], ids=[r["id"] for r in boot["rows"]])
                poll_ms.append((time.perf_counter() - t0) * 1000)
            report += [f"{args.big:,} segments ({load()}):",
                       line("desk confirm (Ctrl+Enter)", wall, cpu), line("desk panel", panel),
                       line("page (anywhere in the project)", page_ms),
                       line("filter change (status in RU, with counts)", filt_ms),
                       line("poll (changes since, soft locks)", poll_ms)]
            print("\n".join(report[-6:]), flush=True)

        # 3. saves while an alignment runs ------------------------------------------------------------
        if args.align:
            with Project.open(small) as proj:
                doc = proj.documents()[0]
                km_targets = proj.segment_page(None, 1000, args.during_n * 2)
            ru_text = "\n\n".join(ru_sentence(i) for i in range(args.align)) + "\n"
            # the alignment is planned as a job (the Alignment tab's Preview)
            client.predict(f"{doc.id}: {doc.title}", "ru", None, ru_text, api_name="/ui_align_preview")
            job = next(j for j in app.ctx.jobs.jobs(kind="align"))
            same, elsewhere = DeskClient(url, author="rita"), DeskClient(url, author="boris")
            same_ms, other_ms = [], []
            with Project.open(other) as p:
                other_segs = p.segment_page(None, 0, args.during_n)
            versions: dict[int, int] = {}
            i = 0
            started = time.perf_counter()
            while job.snapshot().active and i < args.during_n:
                seg = km_targets[i]
                t0 = time.perf_counter()
                out = same.call("save", project="bench", seg=seg.id, lang="km", text=f"អត្ថបទ {i}",
                                version=versions.get(seg.id, seg.translations["km"].version))
                same_ms.append((time.perf_counter() - t0) * 1000)
                assert not out.get("error"), out
                o = other_segs[i]
                t0 = time.perf_counter()
                out = elsewhere.call("save", project="other", seg=o.id, lang="ru", text=f"Текст {i}.",
                                     version=o.translations["ru"].version)
                other_ms.append((time.perf_counter() - t0) * 1000)
                assert not out.get("error"), out
                i += 1
                time.sleep(0.2)
            during = time.perf_counter() - started
            job.wait(600)
            snap = job.snapshot()
            report += [f"while aligning {args.align:,} Russian sentences as a job ({load()}; the job "
                       f"{snap.state} after {snap.elapsed_s:.0f} s, saves timed during the first {during:.0f} s):",
                       line("another session's save, same project", same_ms),
                       line("another session's save, another project", other_ms)]
            print("\n".join(report[-3:]), flush=True)
            same.close()
            elsewhere.close()
        desk.close()
    finally:
        app.close()
    print(f"end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
