"""Translation memory benchmark: TMX import speed (TICO-19) and fuzzy lookup latency on a large TM.

    python benchmarks/tm_bench.py [--eval-dir ../shared/eval] [--units 100000] [--queries 200]

1. Import: read_tmx alone, then TranslationMemory.import_tmx, for TICO-19 all.en-ru.tmx and all.en-km.tmx.
2. Builds a synthetic TM of ``--units`` three-language units (en/ru/km) from FLORES-200 dev+devtest:
   each unit joins the first half of one FLORES sentence with the second half of another (per language,
   at the same relative cut), so the vocabulary and lengths are real and every English text is distinct.
3. Lookup en->ru: "near" queries (a stored sentence with one word replaced or a number changed: a fuzzy
   match must exist), "far" queries (three words replaced or dropped) and "novel" queries (TICO-19 sentences:
   mostly no match). p50/p95 latency of
   ``lookup(min_score=75)``, and the prefilter's recall: how often the FTS5-prefiltered lookup finds a
   match as good as an exhaustive rapidfuzz scan over every English text (same base ratio).
Prints figures only; nothing is written to the repository (the TM goes to a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.tm.memory import TranslationMemory, _fold, normalize  # noqa: E402
from workbench.tm.tmx import TmxUnit, TmxVariant, read_tmx  # noqa: E402


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def cut(text: str, frac: float, first: bool) -> str:
    if " " in text.strip():
        words = text.split()
        k = max(1, int(len(words) * frac))
        return " ".join(words[:k]) if first else " ".join(words[k:])
    k = max(1, int(len(text) * frac))  # Khmer: no spaces
    return text[:k] if first else text[k:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-import", action="store_true", help="skip the TICO-19 import timing")
    ap.add_argument("--keep", metavar="DB",
                    help="build the synthetic TM in this file and keep it; reuse it if it exists")
    args = ap.parse_args()
    ev = Path(args.eval_dir)
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="tm_bench_"))

    print("== import (TICO-19)")
    for pair in () if args.skip_import else ("en-ru", "en-km"):
        path = ev / "tico19" / "TM" / f"all.{pair}.tmx"
        t = time.perf_counter()
        n = sum(1 for _ in read_tmx(path))
        parse = time.perf_counter() - t
        with TranslationMemory.open(tmp / f"tico-{pair}.db") as tm:
            c = time.process_time()
            r = tm.import_tmx(path)
            cpu = time.process_time() - c
        print(f"{path.name}: {n} units, {path.stat().st_size / 1e6:.1f} MB; read_tmx {parse:.2f} s "
              f"({n / parse:,.0f} units/s); import_tmx {r.seconds:.2f} s ({r.units / r.seconds:,.0f} units/s; "
              f"CPU {cpu:.2f} s = {r.units / cpu:,.0f} units/s)")

    print(f"== synthetic TM: {args.units:,} units (en/ru/km) from FLORES-200 dev+devtest")
    fl = ev / "flores200"
    lines = {}
    for code, name in (("en", "eng_Latn"), ("ru", "rus_Cyrl"), ("km", "khm_Khmr")):
        lines[code] = (fl / "dev" / f"{name}.dev").read_text(encoding="utf-8").splitlines() + \
            (fl / "devtest" / f"{name}.devtest").read_text(encoding="utf-8").splitlines()
    base = len(lines["en"])
    db = Path(args.keep) if args.keep else tmp / "big.db"
    reuse = db.exists()
    tm = TranslationMemory.open(db)
    seen: set[str] = set()
    english: list[tuple[int, str]] = []
    if reuse:
        english = [(r[0], r[1]) for r in tm._read("SELECT unit_id, text FROM variant WHERE lang = 'en' ORDER BY id")]
        english = english[: args.units]
        print(f"reusing {db} ({len(english):,} units)")
    t = time.perf_counter()
    with tm.transaction() as con:
        i = 0
        while len(english) < args.units:
            a, b = rng.randrange(base), rng.randrange(base)
            frac = rng.uniform(0.3, 0.7)
            unit = TmxUnit(tuid=f"syn-{i}")
            i += 1
            texts = {lang: (cut(lines[lang][a], frac, True) + " " + cut(lines[lang][b], frac, False)).strip()
                     for lang in ("en", "ru", "km")}
            if texts["en"] in seen:
                continue
            seen.add(texts["en"])
            for lang, text in texts.items():
                unit.variants[lang] = TmxVariant(lang, text)
            uid = tm.add_unit(unit, tm="synthetic", con=con)
            english.append((uid, texts["en"]))
    build = time.perf_counter() - t
    if not reuse:
        print(f"built in {build:.1f} s ({len(english) / build:,.0f} units/s); file {db.stat().st_size / 1e6:.0f} MB")

    # queries
    rng = random.Random(args.seed + 1)  # the same queries whether the TM was built now or reused
    near = []
    for _, text in rng.sample(english, args.queries // 2):
        words = text.split()
        nums = [k for k, w in enumerate(words) if any(c.isdigit() for c in w)]
        k = rng.choice(nums) if nums and rng.random() < 0.3 else rng.randrange(len(words))
        words[k] = "17" if k in nums else rng.choice(["important", "regional", "several", "however", "new"])
        near.append(" ".join(words))
    far = []  # three words replaced or dropped: matches around 75-90 %, where a prefilter can miss
    for _, text in rng.sample(english, args.queries // 2):
        words = text.split()
        for _ in range(3):
            k = rng.randrange(len(words))
            if rng.random() < 0.5 and len(words) > 4:
                del words[k]
            else:
                words[k] = rng.choice(["important", "regional", "several", "however", "new"])
        far.append(" ".join(words))
    tico = [line for line in (ev / "tico19" / "test" / "tico19-test.en-ru.en").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    novel = rng.sample(tico, args.queries - len(near))

    from rapidfuzz import fuzz, process

    folded = [_fold(normalize(text)) for _, text in english]
    tm.lookup("warm up the page cache", "en", "ru")
    for label, queries in (("near", near), ("far", far), ("novel", novel)):
        lat, cpu, brute_lat, found, agree, should = [], [], [], 0, 0, 0
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            hits = tm.lookup(q, "en", "ru", min_score=75, limit=5)
            lat.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            t = time.perf_counter()
            best = process.extractOne(_fold(normalize(q)), folded, scorer=fuzz.ratio, score_cutoff=60)
            brute_lat.append((time.perf_counter() - t) * 1000)
            found += bool(hits)
            if best is not None and best[1] >= 80:  # a match surely above 75 % after penalties exists
                should += 1
                ours = fuzz.ratio(_fold(normalize(q)), _fold(normalize(hits[0].source))) if hits else 0
                agree += ours >= best[1] - 0.01
        print(f"lookup {label:5s} ({len(queries)} queries): p50 {statistics.median(lat):.1f} ms, "
              f"p95 {pct(lat, 95):.1f} ms, "
              f"max {max(lat):.1f} ms (CPU p50 {statistics.median(cpu):.1f} ms); {found} with a match >= 75 %; "
              f"prefilter recall {agree}/{should} "
              f"(exhaustive scan p50 {statistics.median(brute_lat):.1f} ms = "
              f"{statistics.median(brute_lat) / statistics.median(lat):.1f}x slower)")
    tm.close()
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
