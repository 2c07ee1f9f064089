#!/usr/bin/env python3
"""The translator's core loop in real Chromium: actions per segment and segments in view (a report, not a test).

Starts the real editor in this process over a project made from the seed article (35 segments, EN -> RU, KM)
and drives Debian's Chromium with Playwright, as a translator would:

* **segments in view**: rows of the segment list entirely visible without scrolling, at 1440x900 and
  1366x768, with both targets shown and with one (a Russian translator hiding Khmer);
* **actions per segment**: from opening the page, translate ``--n`` segments into Russian the way the desk is
  made for (type, ``Ctrl+Enter``): counted are the key presses and clicks that are not the translation's own
  text, per segment; and the time from ``Ctrl+Enter`` until the next row is open with the caret in its
  Russian box (what the translator waits for), p50/p95.

Usage: python benchmarks/ui_desk.py [--n 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHROMIUM = "/usr/bin/chromium"
SIZES = ((1440, 900), (1366, 768))

VISIBLE_JS = """() => {
  const list = document.querySelector('.wb-list').getBoundingClientRect();
  return [...document.querySelectorAll('.wb-row')].filter(r => { const b = r.getBoundingClientRect();
    return b.top >= list.top - 1 && b.bottom <= list.bottom + 1 && b.bottom <= innerHeight + 1; }).length; }"""


#: the next row is open (another segment) with the caret in its Russian box
NEXT_OPEN_JS = """(seg) => { const a = document.querySelector('.wb-row.active'); const f = document.activeElement;
  return a && a.dataset.seg !== seg && f && f.closest('.wb-row.active .wb-tgt[data-lang="ru"]'); }"""


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="segments to translate in the loop")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from workbench.core.config import GLOSSARY_DIR
    from workbench.ui.app import build_app, launch
    from workbench.ui.model import Workspace, start_project

    print(f"start: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    home = Path(tempfile.mkdtemp(prefix="wb-desk-bench-"))
    os.environ["WORKBENCH_HOME"] = str(home)
    ws = Workspace()
    path = start_project(ws)
    ws.close_all()
    glossary = home / "glossary.csv"
    shutil.copy(GLOSSARY_DIR / "diplomatic.csv", glossary)
    app = build_app(path, glossary_path=glossary, tm_path=home / "tm.db")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    launch(app, port=port, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            print("segments in view (rows entirely visible without scrolling):")
            for w, h in SIZES:
                for show in ("", "ru"):
                    page = browser.new_context(viewport={"width": w, "height": h}).new_page()
                    page.goto(url + (f"?show={show}" if show else ""))
                    page.wait_for_selector(".wb-row.active textarea", timeout=60_000)
                    page.wait_for_timeout(800)
                    n = page.evaluate(VISIBLE_JS)
                    print(f"  {w}x{h}, targets shown: {show.upper() or 'RU, KM':7s} {n:3d} segments")
                    page.context.close()

            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            page.goto(url + "?show=ru")
            page.wait_for_selector(".wb-row.active textarea", timeout=60_000)
            actions = 0  # the page opens on the first segment to do, caret in its box: no action to get there
            waits = []
            started = time.perf_counter()
            for i in range(args.n):
                seg = page.locator(".wb-row.active").get_attribute("data-seg")
                if page.evaluate("() => !(document.activeElement && document.activeElement.closest("
                                 "'.wb-row.active .wb-tgt[data-lang=\"ru\"]'))"):
                    page.locator(".wb-row.active .wb-tgt[data-lang='ru'] textarea").click()
                    actions += 1
                page.keyboard.type(f"Перевод {i + 1}.")
                t0 = time.perf_counter()
                page.keyboard.press("Control+Enter")
                actions += 1
                page.wait_for_function(NEXT_OPEN_JS, arg=seg, timeout=30_000)
                waits.append((time.perf_counter() - t0) * 1000)
            total = time.perf_counter() - started
            browser.close()
    finally:
        app.close()
    print(f"core loop, {args.n} segments into Russian at 1440x900 (load average {os.getloadavg()[0]:.1f}):")
    print(f"  actions besides typing the translation: {actions} ({actions / args.n:.2f} per segment: "
          "Ctrl+Enter, nothing else)")
    print(f"  Ctrl+Enter -> next row open with the caret in it: p50 {statistics.median(waits):.0f} ms, "
          f"p95 {pct(waits, 95):.0f} ms, max {max(waits):.0f} ms; {total:.1f} s for the loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
