"""Archive mode at scale: pairing and alignment quality on FLORES-derived documents, the same run through a
separately started Dask scheduler, and documents per second with 1 and 2 workers.

    python benchmarks/corpus_scale.py [--eval-dir DIR] [--tgt ru,km] [--pairs 12] [--speed-pairs 20]
                                      [--workers 1,2] [--pairing-docs 5000] [--no-quality] [--no-scheduler]
                                      [--no-speed] [--keep DIR]

Quality (per target language): ``--pairs`` documents of 40 FLORES dev lines with their translations, plus 2
documents on each side without a partner, random file names (``benchmarks/corpus_docs.py``). Reported:
pairs right / false / missed, distractors left unpaired, and how many of the gold sentence pairs (FLORES
lines) the TMX holds: *exact* when a unit is that line on both sides, *in the TMX* when the line is wholly
inside units whose source and target cover the same lines (a 2-2 unit of lines 5-6 on both sides holds
both pairs); unit precision is the share of units whose two sides cover the same lines.

Scheduler: starts ``dask scheduler`` and ``dask worker --nworkers 2`` as separate processes on 127.0.0.1,
runs the en-ru set through ``--scheduler`` and compares the TMX units with the local run's.

Pairing scale: ``--pairing-docs`` synthetic documents a side, pairing alone (one process): pair scores per
second, which is what pairing 100,000 x 100,000 documents costs.

Speed: ``--speed-pairs`` pairs (+2 distractors a side) through a warmed-up local cluster of 1 and of 2
worker processes (one thread each), every run from an empty state file; documents per second and the ratio,
measured in the same run, with the load average before and after each timing; also how busy the workers
were during alignment and the CPU seconds one pair took. Not a test.

Under load the ratio says little on a machine that shares CPU between sessions (Linux autogroup: all the
processes of one run together get one session's share, however many workers it starts); the busy share and
the CPU per pair still show whether the work is spread and what it costs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # corpus_docs beside this script ("benchmarks" is not a package)

from corpus_docs import build_docs  # noqa: E402

from workbench.tm.tmx import read_tmx  # noqa: E402

_WS = re.compile(r"\s+")


def _nows(text: str) -> str:
    return _WS.sub("", text).replace("\u200b", "")


class _Doc:
    """A document's FLORES lines as one string without white space, with each line's character span."""

    def __init__(self, lines: list[str]):
        parts = [_nows(l) for l in lines]
        self.text = "".join(parts)
        self.starts = []
        pos = 0
        for p in parts:
            self.starts.append(pos)
            pos += len(p)
        self.ends = [s + len(p) for s, p in zip(self.starts, parts)]
        self.cursor = 0

    def locate(self, seg: str) -> tuple[int, int] | None:
        s = _nows(seg)
        pos = self.text.find(s, self.cursor)
        if pos < 0:
            pos = self.text.find(s)
        if pos < 0:
            return None
        self.cursor = pos + len(s)
        return pos, pos + len(s)

    def lines(self, span: tuple[int, int]) -> frozenset[int]:
        a, b = span
        return frozenset(i for i, (s, e) in enumerate(zip(self.starts, self.ends)) if s < b and e > a)


def score_tmx(tmx: str | os.PathLike, gold: dict) -> dict:
    """How many of the gold line pairs the TMX holds (see the module docstring)."""
    src_lang, tgt_lang = gold["src_lang"], gold["tgt_lang"]
    by_pair = {(p["src"], p["tgt"]): p for p in gold["pairs"]}
    units: dict[tuple[str, str], list] = {}
    for u in read_tmx(tmx):
        units.setdefault((u.prop("x-document"), u.prop("x-target-document")), []).append(u)
    total = exact = held = n_units = good_units = 0
    for (a, b), p in by_pair.items():
        n = len(p["src_lines"])
        total += n
        us = units.get((a, b), [])
        ds, dt = _Doc(p["src_lines"]), _Doc(p["tgt_lines"])
        cov_s, cov_t = [0] * n, [0] * n  # covered characters per line
        bad = set()
        for u in us:
            n_units += 1
            ss, st = ds.locate(u.text(src_lang)), dt.locate(u.text(tgt_lang))
            if ss is None or st is None:
                continue
            ls, lt = ds.lines(ss), dt.lines(st)
            if ls != lt:
                bad |= ls | lt
                continue
            good_units += 1
            for i in ls:
                cov_s[i] += min(ss[1], ds.ends[i]) - max(ss[0], ds.starts[i])
                cov_t[i] += min(st[1], dt.ends[i]) - max(st[0], dt.starts[i])
            if len(ls) == 1 and ss == (ds.starts[min(ls)], ds.ends[min(ls)]) and \
                    st == (dt.starts[min(lt)], dt.ends[min(lt)]):
                exact += 1
        for i in range(n):
            if i not in bad and cov_s[i] == ds.ends[i] - ds.starts[i] and cov_t[i] == dt.ends[i] - dt.starts[i]:
                held += 1
    return {"line_pairs": total, "in_tmx": held, "exact": exact, "units": n_units, "good_units": good_units,
            "recall": held / total if total else 0.0, "exact_recall": exact / total if total else 0.0,
            "unit_precision": good_units / n_units if n_units else 0.0}


def score_pairs(result, gold: dict) -> dict:
    gp = {(p["src"], p["tgt"]) for p in gold["pairs"]}
    got = {(a, b) for a, b, _ in result.pairs}
    unpaired = {(side, name) for side, name, *_ in result.unpaired}
    distractors = {(gold["src_lang"], n) for n in gold["unpaired_src"]} | {(gold["tgt_lang"], n)
                                                                           for n in gold["unpaired_tgt"]}
    return {"pairs_right": len(got & gp), "pairs_false": len(got - gp), "pairs_missed": len(gp - got),
            "gold_pairs": len(gp), "distractors_unpaired": len(distractors & unpaired),
            "distractors": len(distractors)}


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _units(tmx) -> list[tuple]:
    return [(tuple(u.props), tuple((v.lang, v.text) for v in u.variants.values())) for u in read_tmx(tmx)]


def quality(tgt: str, pairs: int, work: Path, eval_dir, glossary) -> tuple[dict, Path]:
    from workbench.corpus import align_corpus

    folder = work / f"quality-{tgt}"
    gold = build_docs(folder, eval_path=eval_dir, tgt=tgt, pairs=pairs)
    t0 = time.perf_counter()
    res = align_corpus(folder / "en", folder / tgt, folder / "out" / "corpus.tmx", src_lang="en", tgt_lang=tgt,
                       workers=2, glossary=glossary)
    wall = time.perf_counter() - t0
    out = {"tgt": tgt, **score_pairs(res, gold), **score_tmx(folder / "out" / "corpus.tmx", gold),
           "review_links": res.review, "seconds": round(wall, 1), "signals": res.signals}
    return out, folder


def through_scheduler(folder: Path, glossary) -> dict:
    """The en-ru quality set through a separately started scheduler and 2 workers; same units?"""
    from workbench.corpus import align_corpus

    tmp = Path(tempfile.mkdtemp(prefix="corpus-sched-"))
    sched_file = tmp / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    dask = str(Path(sys.executable).with_name("dask"))
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        for _ in range(300):
            if sched_file.exists() and sched_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        procs.append(subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout=30) as c:
            c.wait_for_workers(2, timeout=120)
        out = tmp / "corpus.tmx"
        res = align_corpus(folder / "en", folder / "ru", out, src_lang="en", tgt_lang="ru", scheduler=address,
                           glossary=glossary)
        same = _units(out) == _units(folder / "out" / "corpus.tmx")
        return {"scheduler": address, "pairs": len(res.pairs), "units": res.units, "same_units_as_local": same}
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def speed(pairs: int, workers: list[int], work: Path, eval_dir, glossary) -> list[dict]:
    from workbench.corpus import align_corpus
    from workbench.corpus.cluster import open_client

    folder = work / "speed"
    build_docs(folder, eval_path=eval_dir, tgt="ru", pairs=pairs)
    warm = work / "warm"
    build_docs(warm, eval_path=eval_dir, tgt="ru", pairs=2, sentences=10, unpaired=0, first_line=900)
    rows = []
    for n in workers:
        with open_client(workers=n) as client:
            # warm-up: every worker imports the aligner, loads the embedder, segmenters and the glossary
            align_corpus(warm / "en", warm / "ru", work / f"warm-{n}" / "w.tmx", src_lang="en", tgt_lang="ru",
                         client=client, glossary=glossary)
            before = load()
            t0 = time.perf_counter()
            res = align_corpus(folder / "en", folder / "ru", work / f"speed-{n}" / "corpus.tmx", src_lang="en",
                               tgt_lang="ru", client=client, glossary=glossary)
            wall = time.perf_counter() - t0
            docs = res.n_src + res.n_tgt
            align_wall = res.seconds["alignment"]
            rows.append({"workers": n, "documents": docs, "pairs": len(res.pairs), "seconds": round(wall, 1),
                         "docs_per_s": round(docs / wall, 3), "pairs_per_s": round(len(res.pairs) / wall, 3),
                         "stages": {k: round(v, 1) for k, v in res.seconds.items()},
                         # how busy the workers were during alignment, and the CPU one pair costs: under load
                         # the wall time per pair grows, the CPU time does not
                         "workers_busy": round(res.task_seconds / (align_wall * n), 3) if align_wall else None,
                         "cpu_per_pair": round(res.task_cpu / max(1, res.aligned), 2),
                         "cpu_per_document_features": round(res.features_cpu / max(1, res.features_done), 2),
                         "wall_per_pair_task": round(res.task_seconds / max(1, res.aligned), 2),
                         "load_before": before, "load_after": load()})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def pairing_scale(n: int, seed: int = 0) -> dict:
    """Pairing alone on ``n`` synthetic documents a side (no Dask, one process): each source document has
    ~110 lexical items (a Zipf-distributed common part and ~30 rare ones) and a random 512-d embedding; its
    partner keeps 80 % of the items and a noisy copy of the embedding. Pair scores per second is the figure
    that scales: the whole n x n matrix is scored."""
    import numpy as np

    from workbench.corpus.documents import DocFeatures
    from workbench.corpus.pairing import pair_documents

    rng = np.random.default_rng(seed)
    src, tgt = [], []
    for i in range(n):
        items = np.unique(np.concatenate([rng.zipf(1.3, 90).astype(np.int64), rng.integers(10**6, 10**12, 30)]))
        keep = rng.random(len(items)) < 0.8
        e = rng.standard_normal(512).astype(np.float32)
        e2 = e + 0.5 * rng.standard_normal(512).astype(np.float32) / np.sqrt(512)
        src.append(DocFeatures(f"s{i}", "", 40, 4000, items, np.ones(len(items), np.float32),
                               e / np.linalg.norm(e), "usem3"))
        tgt.append(DocFeatures(f"t{i}", "", 40, 4500, items[keep], np.ones(int(keep.sum()), np.float32),
                               e2 / np.linalg.norm(e2), "usem3"))
    before = load()
    t0 = time.perf_counter()
    res = pair_documents(src, tgt)
    wall = time.perf_counter() - t0
    return {"documents_per_side": n, "seconds": round(wall, 1), "pair_scores_per_s": round(n * n / wall),
            "right": sum(i == j for i, j, _ in res.pairs), "load_before": before, "load_after": load()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", help="evaluation data folder (default: $WORKBENCH_EVAL_DIR or ../shared/eval)")
    ap.add_argument("--tgt", default="ru,km", help="target languages of the quality sets (default ru,km)")
    ap.add_argument("--pairs", type=int, default=12)
    ap.add_argument("--speed-pairs", type=int, default=20)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--no-scheduler", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--pairing-docs", type=int, default=5000,
                    help="synthetic documents a side for the pairing-only scale run (0: skip it)")
    ap.add_argument("--no-glossary", action="store_true", help="no glossary anchors (default: the shipped glossary)")
    ap.add_argument("--keep", help="write the document sets and outputs here (default: a temporary folder)")
    a = ap.parse_args(argv)
    from workbench.core.config import GLOSSARY_DIR

    glossary = None if a.no_glossary else str(GLOSSARY_DIR / "diplomatic.csv")
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {load()} (1/5/15 min)", flush=True)
    try:
        ru_folder = None
        if not a.no_quality or not a.no_scheduler:
            for tgt in [t.strip() for t in a.tgt.split(",") if t.strip()]:
                if tgt != "ru" and a.no_quality:
                    continue
                q, folder = quality(tgt, a.pairs, work, a.eval_dir, glossary)
                if tgt == "ru":
                    ru_folder = folder
                print(json.dumps({"quality": q, "load": load()}, ensure_ascii=False), flush=True)
        if not a.no_scheduler and ru_folder is not None:
            print(json.dumps({"separate_scheduler": through_scheduler(ru_folder, glossary), "load": load()}),
                  flush=True)
        if a.pairing_docs:
            print(json.dumps({"pairing_scale": pairing_scale(a.pairing_docs)}), flush=True)
        if not a.no_speed:
            rows = speed(a.speed_pairs, [int(x) for x in a.workers.split(",")], work, a.eval_dir, glossary)
            if len(rows) >= 2:
                print(json.dumps({"speedup": round(rows[0]["seconds"] / rows[-1]["seconds"], 2),
                                  "workers": [r["workers"] for r in rows], "load": load()}), flush=True)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
