"""Evaluate the sentence aligner on real gold alignments, with an ablation table and a scaling run.

    python benchmarks/align_eval.py [--eval-dir DIR] [--sets textberg-dev,textberg,flores-ru,flores-km]
                                    [--ablation] [--scaling] [--scaling-sizes 1000,2000,5000,10000,20000]

Scoring follows Vecalign's ``score.py`` convention (see ``textberg_defr_bleualign/README.md``), summed over
the documents of a set: strict precision = share of predicted links (1-0/0-1 included) equal to a gold link;
strict recall = share of gold links with both sides non-empty that are predicted exactly; lax counts a link
that overlaps a gold link on both sides. Embeddings are cached under ``benchmarks/out/emb`` (gitignored).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.align import (  # noqa: E402
    AlignConfig,
    align_prepared,
    prepare,
    signals as sig,  # noqa: E402
)

OUT = ROOT / "benchmarks" / "out"


def read_gold(path: Path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            s, t = line.split(":")
            out.append((tuple(ast.literal_eval(s)), tuple(ast.literal_eval(t))))
    return out


def _precision(gold, test):
    """(tp_strict, fp_strict, tp_lax, fp_lax) of ``test`` against ``gold`` (Vecalign's convention)."""
    gold_set = set(gold)
    tps = fps = tpl = fpl = 0
    for s, t in test:
        if not s and not t:
            continue
        if (s, t) in gold_set:
            tps += 1
            tpl += 1
        else:
            fps += 1
            if any(set(s) & set(gs) and set(t) & set(gt) for gs, gt in gold):
                tpl += 1
            else:
                fpl += 1
    return tps, fps, tpl, fpl


def score(golds, tests) -> dict[str, float]:
    """Strict and lax P/R/F1 summed over documents."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(golds, tests):
        for k, v in enumerate(_precision(gold, test)):
            p[k] += v
        gold_nonnull = [(s, t) for s, t in gold if s and t]
        for k, v in enumerate(_precision(test, gold_nonnull)):
            r[k] += v

    def ratio(a, b):
        return a / (a + b) if a + b else 0.0

    def f1(x, y):
        return 2 * x * y / (x + y) if x + y else 0.0

    ps, pl = ratio(p[0], p[1]), ratio(p[2], p[3])
    rs, rl = ratio(r[0], r[1]), ratio(r[2], r[3])
    return {"P_strict": ps, "R_strict": rs, "F1_strict": f1(ps, rs), "P_lax": pl, "R_lax": rl, "F1_lax": f1(pl, rl)}


def load_set(eval_dir: Path, name: str):
    """[(doc_name, src_lines, tgt_lines, gold, src_lang, tgt_lang)] for a named set."""
    docs = []
    if name.startswith("textberg"):
        base = eval_dir / "textberg_defr_bleualign"
        stems = ["dev"] if name == "textberg-dev" else [f"test{k}" for k in range(7)]
        for st in stems:
            docs.append((st, (base / f"{st}.de").read_text(encoding="utf-8").splitlines(),
                         (base / f"{st}.fr").read_text(encoding="utf-8").splitlines(),
                         read_gold(base / f"{st}.defr"), "de", "fr"))
    elif name.startswith("flores"):
        lang, code = ("ru", "rus_Cyrl") if "ru" in name else ("km", "khm_Khmr")
        base = eval_dir / "flores200" / "derived" / "align" / f"eng_Latn-{code}" / "dev"
        stems = sorted(p.stem for p in base.glob("*.gold"))
        if name.endswith("-tune"):
            stems = stems[:10]
        elif name.endswith("-heldout"):
            stems = stems[10:]
        for st in stems:
            docs.append((st, (base / f"{st}.src").read_text(encoding="utf-8").splitlines(),
                         (base / f"{st}.tgt").read_text(encoding="utf-8").splitlines(),
                         read_gold(base / f"{st}.gold"), "en", lang))
    else:
        raise SystemExit(f"unknown set {name}")
    return docs


def run_set(docs, cfg: AlignConfig, embedder, review: dict | None = None) -> dict[str, float]:
    golds, tests = [], []
    for _name, src, tgt, gold, sl, tl in docs:
        prep = prepare(src, tgt, sl, tl, embedder=embedder, config=cfg)
        links = align_prepared(prep)
        tests.append([(l.src, l.tgt) for l in links])
        golds.append(gold)
        if review is not None:  # how well "confidence < 0.5" points at the wrong links
            gs = set(gold)
            for l in links:
                wrong = (l.src, l.tgt) not in gs
                flagged = l.score < 0.5
                review["n"] = review.get("n", 0) + 1
                review["wrong"] = review.get("wrong", 0) + wrong
                review["flagged"] = review.get("flagged", 0) + flagged
                review["wrong_flagged"] = review.get("wrong_flagged", 0) + (wrong and flagged)
    return score(golds, tests)


def review_line(r: dict) -> str:
    if not r.get("n"):
        return "-"
    return (f"{r['flagged'] / r['n']:.0%} of links flagged; they hold {r['wrong_flagged'] / max(r['wrong'], 1):.0%} "
            f"of the wrong links; {r['wrong_flagged'] / max(r['flagged'], 1):.0%} of flagged links are wrong")


def fmt(r: dict[str, float]) -> str:
    return (f"P {r['P_strict']:.3f} R {r['R_strict']:.3f} F1 {r['F1_strict']:.3f} | "
            f"lax F1 {r['F1_lax']:.3f}")


ABLATIONS = [
    ("all signals", {}),
    ("- embeddings", {"use_sem": False}),
    ("- length", {"use_length": False}),
    ("- lexical anchors", {"use_lex": False}),
    ("- sentence-end counts", {"w_end": 0.0}),
    ("- neighbour normalisation", {"nbr": 0.0}),
    ("- window embeddings (sum of vectors)", {"windows": False}),
    ("margin from adjacent sentences (Bertalign) instead of a sample", {"margin": "local"}),
    ("+ length term and link prior of the previous version", {"w_len": 0.06, "prior_many": -0.02, "skip": -0.12}),
    ("up to 4 sentences per side (the issue says 3)", {"max_size": 4}),
    ("length only (Gale-Church)", {"use_sem": False, "use_lex": False, "w_end": 0.0}),
]


def synthetic(n: int, seed: int = 1) -> tuple[list[str], list[str]]:
    """A synthetic document pair of ``n`` source sentences with random merges, drops and numbers."""
    rng = random.Random(seed)
    words = "the of treaty minister embassy talks council cooperation foreign visit agreement press".split()
    src, tgt = [], []
    for _ in range(n):
        k = rng.randint(4, 30)
        s = " ".join(rng.choice(words) for _ in range(k)) + f" {rng.randint(1, 3000)}."
        src.append(s.capitalize())
        r = rng.random()
        t = " ".join(w[::-1] for w in s.split())
        if r < 0.05 and tgt:
            tgt[-1] = tgt[-1] + " " + t
        elif r < 0.07:
            continue
        else:
            tgt.append(t)
    return src, tgt


def _one(n: int) -> None:
    """One scaling measurement in this (fresh) process: prints "seconds peak_rss_mib"."""
    import resource

    src, tgt = synthetic(n)
    cfg = AlignConfig(use_sem=False)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    prep = prepare(src, tgt, "en", "ru", embedder=None, config=cfg)
    links = align_prepared(prep)
    dt = time.perf_counter() - t0
    assert sum(len(l.src) for l in links) == len(src) and sum(len(l.tgt) for l in links) == len(tgt)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{dt:.3f} {peak:.0f} {base:.0f}")


def scaling(sizes: list[int]) -> None:
    import subprocess

    print("\n## Scaling (synthetic, length + lexical + sentence ends; embeddings excluded, see README)")
    print("| sentences | time s | peak RSS MiB (process before aligning) |")
    print("|---|---|---|")
    times = {}
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                             check=True).stdout.split()
        dt, peak, base = float(out[0]), out[1], out[2]
        times[n] = dt
        print(f"| {n} | {dt:.2f} | {peak} ({base}) |", flush=True)
    if 2000 in times and 20000 in times:
        print(f"\nt(20k)/t(2k) = {times[20000] / times[2000]:.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    ap.add_argument("--sets", default="textberg-dev,textberg,flores-ru,flores-km")
    ap.add_argument("--ablation", action="store_true", help="each signal on/off on every set")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--scaling-sizes", default="1000,2000,5000,10000,20000")
    ap.add_argument("--set-config", default="", help="JSON overrides of AlignConfig, e.g. '{\"skip\": -0.1}'")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        _one(args.one)
        return 0
    if not [s for s in args.sets.split(",") if s]:
        scaling([int(x) for x in args.scaling_sizes.split(",")]) if args.scaling else None
        return 0
    eval_dir = Path(args.eval_dir)
    base = json.loads(args.set_config) if args.set_config else {}
    emb = sig.default_embedder()
    if emb is not None and not args.no_cache:
        emb = sig.CachedEmbedder(emb, OUT / "emb")
    print(f"embedder: {getattr(emb, 'name', None)}; eval data: {eval_dir}")
    sets = [s for s in args.sets.split(",") if s]
    rows = ABLATIONS if args.ablation else ABLATIONS[:1]
    if sets:
        print("\n| configuration | " + " | ".join(sets) + " |")
        print("|---|" + "---|" * len(sets))
        data = {s: load_set(eval_dir, s) for s in sets}
        for label, over in rows:
            cfg = AlignConfig(**{**base, **over})
            cells = []
            reviews = {}
            for s in sets:
                t0 = time.perf_counter()
                reviews[s] = {}
                r = run_set(data[s], cfg, emb, reviews[s] if not over else None)
                cells.append(fmt(r) + f" ({time.perf_counter() - t0:.0f}s)")
            print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
            if not over:
                flags = " | ".join(review_line(reviews[s]) for s in sets)
                review_rows = ["| review flag (confidence < 0.5) | " + flags + " |"]
    if sets:
        print("\n| links flagged for review | " + " | ".join(sets) + " |")
        print("|---|" + "---|" * len(sets))
        print("\n".join(review_rows))
    if args.scaling:
        scaling([int(x) for x in args.scaling_sizes.split(",")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
