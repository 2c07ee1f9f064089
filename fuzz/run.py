#!/usr/bin/env python
"""Long fuzz runs of the importers.

    python fuzz/run.py --target ingest-html --minutes 10            # hypothesis engine (default)
    python fuzz/run.py --target all --minutes 10                    # every target, 10 min each
    python fuzz/run.py --target tmx --minutes 10 --engine atheris   # coverage-guided (pip install atheris)
    python fuzz/run.py --list

The hypothesis engine feeds random buffers to the target's structure-aware strategy through
``fuzz_one_input`` (no shrinking, so it runs fast and keeps going after a crash). Every input that makes
anything other than a WorkbenchError escape is saved under ``fuzz/crashes/TARGET/`` (replay it with
``--replay FILE``) and counted once per distinct (exception type, innermost workbench frame). The atheris
engine drives the same strategies from libFuzzer's coverage-guided byte mutations and stops at the first
crash (libFuzzer's behaviour), writing the crashing buffer with ``-artifact_prefix``.

Prints one summary line per target: examples, seconds, examples/s, outcomes, distinct crashes, peak RSS.
Exit code 1 if any crash was found.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
if "WORKBENCH_HOME" not in os.environ:  # never touch the user's data: a throw-away home, removed at exit
    import atexit
    import shutil
    import tempfile

    os.environ["WORKBENCH_HOME"] = tempfile.mkdtemp(prefix="wbfuzz-home-")
    atexit.register(shutil.rmtree, os.environ["WORKBENCH_HOME"], True)

import warnings  # noqa: E402

warnings.filterwarnings("ignore")


def _property(target, outcome: Counter, last: list):
    from hypothesis import HealthCheck, given, settings, strategies as st

    strategy = target.strategy()

    @settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def prop(data):
        blob = data.draw(strategy)
        last[0] = blob
        target.harness(blob)

    return prop


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inner = [f for f in frames if "/workbench/" in f.filename] or frames
    f = inner[-1] if inner else None
    where = f"{Path(f.filename).name}:{f.lineno}" if f else "?"
    return f"{type(exc).__name__}@{where}"


def run_hypothesis(name: str, seconds: float, seed: int, out_dir: Path) -> dict:
    from fuzz.targets import STATS, TARGETS

    target = TARGETS[name]
    STATS.clear()
    outcome: Counter = Counter()
    last: list = [b""]
    fuzz_one = _property(target, outcome, last).hypothesis.fuzz_one_input
    rng = random.Random(seed)
    crashes: Counter = Counter()
    examples = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        size = rng.choice((64, 256, 1024, 4096, 16384))
        buf = rng.randbytes(size)
        examples += 1
        try:
            fuzz_one(buf)
        except Exception as exc:  # noqa: BLE001 - a crash: anything but WorkbenchError (caught in the harness)
            sig = _signature(exc)
            crashes[sig] += 1
            if crashes[sig] == 1:
                out_dir.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha1(last[0]).hexdigest()[:12]
                (out_dir / f"{sig.replace('@', '-').replace(':', '-')}-{digest}.bin").write_bytes(last[0])
                print(f"  CRASH {name}: {sig}: {str(exc).splitlines()[0][:160] if str(exc) else ''}", flush=True)
    secs = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ran = STATS["accepted"] + STATS["rejected"] + sum(crashes.values())
    return {"target": name, "engine": "hypothesis", "buffers": examples, "examples": ran, "seconds": round(secs, 1),
            "per_s": round(ran / secs, 1), "accepted": STATS["accepted"],
            "rejected_cleanly": STATS["rejected"],
            "crashes": dict(crashes), "peak_rss_mb": round(rss)}


def run_atheris(name: str, seconds: float, out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = Path(os.environ.get("TMPDIR", "/tmp")) / f"wbfuzz-corpus-{name}"
    corpus.mkdir(exist_ok=True)
    cmd = [sys.executable, str(HERE / "atheris_target.py"), name, str(corpus),
           f"-max_total_time={int(seconds)}", f"-artifact_prefix={out_dir}/", "-rss_limit_mb=4096",
           "-print_final_stats=1"]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.monotonic() - t0
    stats = {}
    for line in proc.stderr.splitlines():
        if line.startswith("stat::"):
            k, _, v = line[6:].partition(":")
            stats[k.strip()] = v.strip()
    crashed = proc.returncode != 0
    if crashed:
        print(proc.stderr[-3000:], file=sys.stderr)
    return {"target": name, "engine": "atheris", "examples": int(stats.get("number_of_executed_units", 0)),
            "seconds": round(secs, 1), "per_s": stats.get("average_exec_per_sec"),
            "crashes": {"libfuzzer-exit": proc.returncode} if crashed else {},
            "peak_rss_mb": stats.get("peak_rss_mb")}


def replay(name: str, path: Path) -> int:
    from fuzz.targets import TARGETS

    TARGETS[name].harness(path.read_bytes())
    print("no crash")
    return 0


def main(argv=None) -> int:
    from fuzz.targets import TARGETS

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", default="all", help="target name or 'all' (see --list)")
    ap.add_argument("--minutes", type=float, default=10.0, help="minutes per target (default 10)")
    ap.add_argument("--engine", choices=["hypothesis", "atheris"], default="hypothesis")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", type=Path, default=HERE / "crashes")
    ap.add_argument("--replay", type=Path, help="run one saved input through --target")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    if args.list:
        for t in TARGETS.values():
            print(f"{t.name:12} {t.module}")
        return 0
    if args.replay:
        return replay(args.target, args.replay)
    names = list(TARGETS) if args.target == "all" else [args.target]
    if args.target != "all" and args.target not in TARGETS:
        ap.error(f"unknown target {args.target!r}; see --list")
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    print(f"seed {seed}, {args.minutes} min per target, engine {args.engine}", flush=True)
    found = False
    for name in names:
        if args.engine == "atheris":
            res = run_atheris(name, args.minutes * 60, args.out / name)
        else:
            res = run_hypothesis(name, args.minutes * 60, seed, args.out / name)
        found |= bool(res["crashes"])
        print(" ".join(f"{k}={v}" for k, v in res.items()), flush=True)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
