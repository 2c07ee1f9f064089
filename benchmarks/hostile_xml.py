#!/usr/bin/env python
"""Hostile and huge XML, measured: a 200 MB TMX streamed by read_tmx and imported into the TM (seconds, peak
RSS, each in its own child process), plus billion laughs / XXE / deep nesting against every XML reader.

    python benchmarks/hostile_xml.py [--mb 200] [--skip-import]

The big file is generated into a temporary folder and deleted afterwards.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import resource, sys, time
sys.path.insert(0, sys.argv[1])
mode, path = sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
if mode == "read":
    from workbench.tm.tmx import read_tmx
    n = sum(1 for _ in read_tmx(path))
elif mode == "import":
    import os
    from workbench.tm.memory import TranslationMemory
    tm = TranslationMemory.open(os.path.join(os.path.dirname(path), "bench-tm.db"))
    n = tm.import_tmx(path).units
else:
    from workbench.core.safeio import parse_xml_file
    from workbench.core.errors import WorkbenchError
    try:
        parse_xml_file(path)
        n = -1
    except WorkbenchError as exc:
        n = 0
        print("refused:", exc, file=sys.stderr)
print(n, round(time.perf_counter() - t0, 2), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def child(mode: str, path: Path) -> tuple[int, float, int, str]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), mode, str(path)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    n, secs, rss = out.stdout.split()
    return int(n), float(secs), int(rss), out.stderr.strip().splitlines()[-1] if out.stderr.strip() else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--skip-import", action="store_true")
    args = ap.parse_args()
    from tests.hardening import hostile

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small, big = tmp / "small.tmx", tmp / "big.tmx"
        hostile.write_big_tmx(small, 1)
        t0 = time.perf_counter()
        units = hostile.write_big_tmx(big, args.mb)
        print(f"generated {big.stat().st_size / 2**20:.0f} MB TMX, {units} units, in {time.perf_counter() - t0:.1f} s")
        for mode in ("read",) + (() if args.skip_import else ("import",)):
            n1, s1, r1, _ = child(mode, small)
            n, s, r, _ = child(mode, big)
            print(f"{mode:6} 1 MB: {n1} units {s1} s peak RSS {r1} MB | {args.mb} MB: {n} units {s} s "
                  f"({args.mb / max(s, 1e-9):.1f} MB/s) peak RSS {r} MB")
        n, s, r, msg = child("dom", big)
        print(f"safeio.parse_xml_file (whole-document reader, 200 MB cap) on it: {'refused' if n == 0 else 'parsed'} "
              f"in {s} s, peak RSS {r} MB {msg[:120]}")
        for name, _module, kind, fn in hostile.READERS:
            secret = tmp / "secret.txt"
            secret.write_text("SECRET")
            for label, data in (("billion laughs", hostile.billion_laughs(kind)), ("xxe", hostile.xxe(kind, secret)),
                                ("deep 100k", hostile.deep_nesting(kind))):
                p = tmp / f"h.{kind}"
                p.write_bytes(data)
                t0 = time.perf_counter()
                try:
                    fn(p)
                    res = "ACCEPTED"
                except Exception as exc:  # noqa: BLE001 - reported
                    res = f"{type(exc).__name__}: {str(exc)[:90]}"
                print(f"{name:13} {label:15} {time.perf_counter() - t0:6.3f} s  {res}")


if __name__ == "__main__":
    main()
