"""Evaluate the sentence aligner on real gold alignments: strict/lax F1, confidence AUC and calibration (ECE and a
reliability table), an ablation table, and a scaling run with timing ratios measured in one run.

    python benchmarks/align_eval.py [--eval-dir DIR] [--sets SET,...] [--ablation] [--reliability]
                                    [--by-type] [--before] [--scaling] [--scaling-sizes 2000,20000]
                                    [--baseline-rev REV] [--json OUT.json]

Sets (FLORES-derived bitexts: the shared dev bitexts 001-014 are the tuning half (001-007 also feed the word
lexicon, 008-014 the confidence calibration), 015-029 are held out; the devtest bitexts are built here the same
way, with 3-1, 1-3 and 2-2 links as well, and were never used for tuning, calibration or the lexicon):

``textberg-dev``, ``textberg`` (Text+Berg test, 7 documents), ``flores-ru-tune``, ``flores-ru-heldout``,
``flores-ru-devtest``, ``flores-km-tune``, ``flores-km-heldout``, ``flores-km-devtest``, ``partial-ru`` /
``partial-km`` (held-out bitexts whose target stops after 30 % of the links: a partial translation),
``noisy-ru`` / ``noisy-km`` (held-out bitexts with 8 % foreign sentences inserted on either side), ``real-ru``
(EN/RU UN messages in ``benchmarks/data/align_real``, gold written by reading them).

Scoring follows Vecalign's ``score.py`` convention (see ``textberg_defr_bleualign/README.md``), summed over the
documents of a set: strict precision = share of predicted links (1-0/0-1 included) equal to a gold link; strict
recall = share of gold links with both sides non-empty that are predicted exactly; lax counts a link that
overlaps a gold link on both sides. AUC: the probability that a right predicted link has a higher confidence
than a wrong one; ECE: expected calibration error over 10 equal-width confidence bins. Embeddings are cached
under ``benchmarks/out/emb`` (gitignored). Every figure is printed with the load average.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ALIGN_EVAL_CODE: another checkout's root whose workbench is timed (``--baseline-rev``); data stay this one's
sys.path.insert(0, os.environ.get("ALIGN_EVAL_CODE") or str(ROOT))

from workbench.align import AlignConfig, align_prepared, prepare, signals as sig  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
REAL = ROOT / "benchmarks" / "data" / "align_real"
FLORES_CODE = {"ru": "rus_Cyrl", "km": "khm_Khmr"}
TUNE_BITEXTS = 14
LEXICON_BITEXTS = 7   # of the tuning half, 001-007 feed the lexicon and 008-014 the calibration
DEFAULT_SETS = ("textberg,flores-ru-heldout,flores-km-heldout,flores-ru-devtest,flores-km-devtest,partial-ru,"
                "partial-km,noisy-ru,noisy-km,real-ru")
#: the aligner as it was before word translations, calibration, end gaps and 4-sentence links
BEFORE = {"max_size": 3, "lexicon": False, "bootstrap": False, "calibrate": False, "ratio_clamp": 1e9,
          "end_skip": -0.1, "nosem_end_skip": -0.12}


def load_avg() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


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


def auc(conf: list[float], right: list[bool]) -> float:
    """Probability that a right link has a higher confidence than a wrong one (ties count one half)."""
    pos = sorted(c for c, r in zip(conf, right) if r)
    neg = sorted(c for c, r in zip(conf, right) if not r)
    if not pos or not neg:
        return float("nan")
    import bisect
    total = 0.0
    for c in pos:
        lo = bisect.bisect_left(neg, c)
        hi = bisect.bisect_right(neg, c)
        total += lo + 0.5 * (hi - lo)
    return total / (len(pos) * len(neg))


def reliability(conf: list[float], right: list[bool], bins: int = 10) -> tuple[float, list[tuple]]:
    """ECE and the rows (range, n, mean confidence, share right) of equal-width bins."""
    rows = []
    ece = 0.0
    n = len(conf)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [k for k, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not idx:
            continue
        mc = sum(conf[k] for k in idx) / len(idx)
        acc = sum(right[k] for k in idx) / len(idx)
        ece += len(idx) / n * abs(acc - mc)
        rows.append((f"{lo:.1f}-{hi:.1f}", len(idx), mc, acc))
    return ece, rows


# ------------------------------------------------------------------------------------------------ data


def _flores_bitexts(eval_dir: Path, lang: str, stems) -> list:
    base = eval_dir / "flores200" / "derived" / "align" / f"eng_Latn-{FLORES_CODE[lang]}" / "dev"
    docs = []
    for st in stems(sorted(p.stem for p in base.glob("*.gold"))):
        docs.append((st, (base / f"{st}.src").read_text(encoding="utf-8").splitlines(),
                     (base / f"{st}.tgt").read_text(encoding="utf-8").splitlines(),
                     read_gold(base / f"{st}.gold"), "en", lang))
    return docs


#: link types of the built bitexts and their probabilities (the rest are 1-1)
BUILD_TYPES = [((1, 0), 0.035), ((0, 1), 0.03), ((2, 1), 0.11), ((1, 2), 0.09), ((3, 1), 0.02), ((1, 3), 0.02),
               ((2, 2), 0.02)]


def build_bitexts(eval_dir: Path, lang: str, split: str = "devtest", group: int = 10, seed: int = 2024) -> list:
    """Bitexts from FLORES articles (``group`` consecutive articles each), adjacent lines merged or dropped at
    random as in the shared dev bitexts, plus 3-1, 1-3 and 2-2 links. Deterministic."""
    base = eval_dir / "flores200"
    en = (base / split / f"eng_Latn.{split}").read_text(encoding="utf-8").splitlines()
    tg = (base / split / f"{FLORES_CODE[lang]}.{split}").read_text(encoding="utf-8").splitlines()
    urls = [ln.split("\t")[0] for ln in (base / f"metadata_{split}.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    articles: list[list[int]] = []
    for i, u in enumerate(urls):
        if not articles or urls[i - 1] != u:
            articles.append([])
        articles[-1].append(i)
    rng = random.Random(f"{seed}-{lang}-{split}")
    docs = []
    for g in range(0, len(articles), group):
        ids = [i for a in articles[g:g + group] for i in a]
        src, tgt, gold = [], [], []
        k = 0
        while k < len(ids):
            r = rng.random()
            kind = (1, 1)
            acc = 0.0
            for t, p in BUILD_TYPES:
                acc += p
                if r < acc:
                    kind = t
                    break
            need = {(2, 1): 2, (1, 2): 2, (3, 1): 3, (1, 3): 3, (2, 2): 3}.get(kind, 1)
            if k + need > len(ids):
                kind, need = (1, 1), 1
            x = ids[k:k + need]
            s0, t0 = len(src), len(tgt)
            if kind == (1, 0):
                src.append(en[x[0]])
            elif kind == (0, 1):
                tgt.append(tg[x[0]])
            elif kind in ((2, 1), (3, 1)):  # several source sentences, one target sentence
                src += [en[i] for i in x]
                tgt.append(" ".join(tg[i] for i in x))
            elif kind in ((1, 2), (1, 3)):
                src.append(" ".join(en[i] for i in x))
                tgt += [tg[i] for i in x]
            elif kind == (2, 2):  # [x+y, z] against [x, y+z]
                src += [en[x[0]] + " " + en[x[1]], en[x[2]]]
                tgt += [tg[x[0]], tg[x[1]] + " " + tg[x[2]]]
            else:
                src.append(en[x[0]])
                tgt.append(tg[x[0]])
            gold.append((tuple(range(s0, len(src))), tuple(range(t0, len(tgt)))))
            k += need
        docs.append((f"{split}{g // group + 1:03d}", src, tgt, gold, "en", lang))
    return docs


def partial(docs, keep: float = 0.3) -> list:
    """Each document with its target cut after ``keep`` of the links: the source after that has no translation."""
    out = []
    for name, src, tgt, gold, sl, tl in docs:
        cut = max(1, int(len(gold) * keep))
        kept_t = sorted(j for _s, t in gold[:cut] for j in t)
        tmap = {j: k for k, j in enumerate(kept_t)}
        new_gold = [(s, tuple(tmap[j] for j in t)) for s, t in gold[:cut]]
        new_gold += [((i,), ()) for s, _t in gold[cut:] for i in s]
        out.append((name + "-partial", src, [tgt[j] for j in kept_t], new_gold, sl, tl))
    return out


def noisy(docs, rate: float = 0.08, seed: int = 7) -> list:
    """Each document with foreign sentences (from the other documents of the set) inserted on either side at
    ``rate``: material with no counterpart (untranslated lines, site furniture), gold 1-0 / 0-1."""
    rng = random.Random(seed)
    pool_s = [x for d in docs for x in d[1]]
    pool_t = [x for d in docs for x in d[2]]
    out = []
    for name, src, tgt, gold, sl, tl in docs:
        new_s, new_t, new_gold = [], [], []
        for s, t in gold:
            for side in (0, 1):
                if rng.random() < rate / 2:
                    if side == 0:
                        new_gold.append(((len(new_s),), ()))
                        new_s.append(rng.choice(pool_s))
                    else:
                        new_gold.append(((), (len(new_t),)))
                        new_t.append(rng.choice(pool_t))
            s0, t0 = len(new_s), len(new_t)
            new_s += [src[i] for i in s]
            new_t += [tgt[j] for j in t]
            new_gold.append((tuple(range(s0, len(new_s))), tuple(range(t0, len(new_t)))))
        out.append((name + "-noisy", new_s, new_t, new_gold, sl, tl))
    return out


def real_pairs() -> list:
    """The UN messages, where their sentence files are present: the texts are not in the repository (the UN's
    terms of use do not allow redistributing them); ``build_align_real.py`` makes them from saved page texts."""
    docs = []
    missing = [g.stem for g in sorted(REAL.glob("*.gold")) if not (REAL / f"{g.stem}.en").exists()]
    if missing:
        print(f"real-ru: skipped, the sentence files of {', '.join(missing)} are not here "
              f"(see benchmarks/data/align_real/README.md to rebuild them)", file=sys.stderr)
        return []
    for gold in sorted(REAL.glob("*.gold")):
        name = gold.stem
        docs.append((name, (REAL / f"{name}.en").read_text(encoding="utf-8").splitlines(),
                     (REAL / f"{name}.ru").read_text(encoding="utf-8").splitlines(), read_gold(gold), "en", "ru"))
    return docs


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
    elif name.startswith("flores-"):
        lang = name.split("-")[1]
        part = name.split("-")[2] if name.count("-") >= 2 else "all"
        if part == "devtest":
            return build_bitexts(eval_dir, lang, "devtest")
        pick = {"tune": lambda st: st[:TUNE_BITEXTS], "heldout": lambda st: st[TUNE_BITEXTS:],
                "lex": lambda st: st[:LEXICON_BITEXTS], "calib": lambda st: st[LEXICON_BITEXTS:TUNE_BITEXTS],
                "all": lambda st: st}[part]
        return _flores_bitexts(eval_dir, lang, pick)
    elif name.startswith(("partial-", "noisy-")):
        kind, lang = name.split("-")[:2]
        part = name.split("-")[2] if name.count("-") >= 2 else "heldout"
        docs = load_set(eval_dir, f"flores-{lang}-{part}")
        return partial(docs) if kind == "partial" else noisy(docs)
    elif name == "real-ru":
        return real_pairs()
    else:
        raise SystemExit(f"unknown set {name}")
    return docs


def config_for(over: dict, embedder_langs=()) -> AlignConfig:
    over = dict(over)
    nosem_end = over.pop("nosem_end_skip", None)
    cfg = AlignConfig(**over)
    if nosem_end is not None:
        cfg = replace(cfg, nosem={**cfg.nosem, "end_skip": nosem_end})
    return cfg


def run_set(docs, cfg: AlignConfig, embedder) -> dict:
    """Scores, confidences and timing of one configuration on one set."""
    golds, tests, conf, right = [], [], [], []
    by_type: Counter = Counter()
    by_type_ok: Counter = Counter()
    t0 = time.perf_counter()
    for _name, src, tgt, gold, sl, tl in docs:
        prep = prepare(src, tgt, sl, tl, embedder=embedder, config=cfg)
        links = align_prepared(prep)
        test = [(l.src, l.tgt) for l in links]
        tests.append(test)
        golds.append(gold)
        gs = set(gold)
        for l in links:
            conf.append(l.score)
            right.append((l.src, l.tgt) in gs)
        ts = set(test)
        for g in gold:
            k = f"{len(g[0])}-{len(g[1])}"
            by_type[k] += 1
            by_type_ok[k] += g in ts
    dt = time.perf_counter() - t0
    res = score(golds, tests)
    ece, rows = reliability(conf, right)
    res.update(AUC=auc(conf, right), ECE=ece, rows=rows, seconds=dt, links=len(conf), wrong=right.count(False),
               by_type={k: (by_type_ok[k], by_type[k]) for k in sorted(by_type)},
               flag=_flag_stats(conf, right))
    return res


def _flag_stats(conf, right, share: float = 0.2) -> str:
    """How many of the wrong links are among the lowest-confidence ``share`` of links."""
    if not conf:
        return "-"
    order = sorted(range(len(conf)), key=lambda k: conf[k])
    low = set(order[:max(1, int(len(conf) * share))])
    wrong = [k for k, r in enumerate(right) if not r]
    hit = sum(k in low for k in wrong)
    return f"{hit}/{len(wrong)} wrong links in the lowest {share:.0%}"


def fmt(r: dict) -> str:
    return (f"F1 {r['F1_strict']:.3f} (P {r['P_strict']:.3f} R {r['R_strict']:.3f}; lax {r['F1_lax']:.3f}) "
            f"AUC {r['AUC']:.2f} ECE {r['ECE']:.3f}")


ABLATIONS = [
    ("all signals", {}),
    ("- word translations (lexicon and in-document)", {"lexicon": False}),
    ("- in-document lexicon (second pass)", {"bootstrap": False}),
    ("- embeddings", {"use_sem": False}),
    ("- length", {"use_length": False}),
    ("- lexical anchors (numbers, dates, names)", {"use_lex": False}),
    ("- sentence-end counts", {"w_end": 0.0}),
    ("end gaps cost like other 1-0/0-1 links", {"end_skip": -0.1, "nosem_end_skip": -0.12}),
    ("no length-ratio prior (document ratio only)", {"ratio_clamp": 1e9}),
    ("up to 3 sentences per side", {"max_size": 3}),
    ("uncalibrated confidence (logistic of the score)", {"calibrate": False}),
    ("before: none of the above changes", BEFORE),
]


# ------------------------------------------------------------------------------------------------ scaling


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


def _measure(script: Path, n: int, pythonpath: str) -> tuple[float, str, str]:
    env = {**os.environ, "PYTHONPATH": pythonpath}
    out = subprocess.run([sys.executable, str(script), "--one", str(n)], capture_output=True, text=True, check=True,
                         env=env).stdout.split()
    return float(out[0]), out[1], out[2]


def checkout(rev: str) -> str:
    """The ``workbench`` and ``benchmarks`` folders of a git revision in a temporary folder."""
    tmp = tempfile.mkdtemp(prefix="align-baseline-")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "workbench", "benchmarks"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
    return tmp


def time_sets(sets: list[str], eval_dir: Path, code: str | None) -> dict[str, float]:
    """Seconds to align each set (features and search; embeddings from the shared cache) in a fresh process,
    with this checkout's code or another's (``code``: its root)."""
    env = {**os.environ, "ALIGN_EVAL_CODE": code or ""}
    out = subprocess.run([sys.executable, __file__, "--time-only", "--sets", ",".join(sets), "--eval-dir",
                          str(eval_dir)], capture_output=True, text=True, check=True, env=env).stdout
    times = {ln.split()[1]: float(ln.split()[2]) for ln in out.splitlines() if ln.startswith("TIME ")}
    for ln in out.splitlines():
        if ln.startswith("SCORE "):
            SCORES.setdefault(code or "now", {})[ln.split()[1]] = json.loads(ln.split(" ", 2)[2])
    return times


SCORES: dict[str, dict] = {}


def timing(sets: list[str], eval_dir: Path, rev: str) -> None:
    """Run time against the code of ``rev`` on the same sets, measured in this one run (new, old, new again:
    the first run fills the embedding cache, the ratio uses the second)."""
    old_code = checkout(rev)
    time_sets(sets, eval_dir, None)
    old = time_sets(sets, eval_dir, old_code)
    new = time_sets(sets, eval_dir, None)
    print(f"\n## Run time against {rev} (fresh processes, embeddings cached; {load_avg()})")
    print(f"| set | now s | {rev} s | ratio |")
    print("|---|---|---|---|")
    for s in sets:
        print(f"| {s} | {new[s]:.1f} | {old[s]:.1f} | {new[s] / old[s]:.2f} |")
    print(f"| all | {sum(new.values()):.1f} | {sum(old.values()):.1f} | "
          f"{sum(new.values()) / sum(old.values()):.2f} |")
    print(f"\n## Quality of {rev}'s aligner on the same sets (strict F1 / AUC / ECE)")
    print("| set | now | " + rev + " |")
    print("|---|---|---|")
    for s in sets:
        a, b = SCORES.get("now", {}).get(s, {}), SCORES.get(old_code, {}).get(s, {})
        print(f"| {s} | " + " | ".join(f"{x.get('F1_strict', float('nan')):.3f} / {x.get('AUC', float('nan')):.2f} / "
                                       f"{x.get('ECE', float('nan')):.3f}" for x in (a, b)) + " |")


def scaling(sizes: list[int], baseline_rev: str | None) -> None:
    """Time per size in fresh processes, current code and (``baseline_rev``) the code at a git revision,
    measured alternately in this one run so that load affects both alike."""
    old = None
    tmp = None
    if baseline_rev:
        tmp = checkout(baseline_rev)
        old = Path(tmp) / "benchmarks" / "align_eval.py"
    print(f"\n## Scaling (synthetic en-ru, no embeddings; fresh process per size; {load_avg()} at start)")
    extra = f" {baseline_rev} time s | ratio |" if old else ""
    print("| sentences | time s | peak RSS MiB (before aligning) |" + extra)
    print("|---|---|---|" + ("---|---|" if old else ""))
    times, old_times = {}, {}
    for n in sizes:
        dt, peak, base = _measure(Path(__file__), n, str(ROOT))
        times[n] = dt
        row = f"| {n} | {dt:.2f} | {peak} ({base}) |"
        if old:
            odt, _p, _b = _measure(old, n, tmp)
            old_times[n] = odt
            row += f" {odt:.2f} | {dt / odt:.2f} |"
        print(row, flush=True)
    lo, hi = min(sizes), max(sizes)
    if lo != hi:
        print(f"\nt({hi})/t({lo}) = {times[hi] / times[lo]:.2f}" +
              (f"; {baseline_rev}: {old_times[hi] / old_times[lo]:.2f}" if old else "") + f" ({load_avg()} at end)")


# ------------------------------------------------------------------------------------------------ main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    ap.add_argument("--sets", default=DEFAULT_SETS)
    ap.add_argument("--ablation", action="store_true", help="each change on/off on every set")
    ap.add_argument("--before", action="store_true", help="also run the configuration before (timing ratio)")
    ap.add_argument("--reliability", action="store_true", help="print the reliability table of each set")
    ap.add_argument("--by-type", action="store_true", help="print recall by gold link type")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--scaling-sizes", default="2000,20000")
    ap.add_argument("--baseline-rev", help="also time the sets and the scaling runs with the code of this git "
                                           "revision (e.g. main), in this same run")
    ap.add_argument("--set-config", default="", help="JSON overrides of AlignConfig, e.g. '{\"skip\": -0.1}'")
    ap.add_argument("--json", help="write the results as JSON to this file")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--time-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        _one(args.one)
        return 0
    if args.time_only:
        emb = sig.default_embedder()
        emb = sig.CachedEmbedder(emb, OUT / "emb") if emb is not None else None
        for s in [s for s in args.sets.split(",") if s]:
            r = run_set(load_set(Path(args.eval_dir), s), AlignConfig(), emb)
            print(f"TIME {s} {r['seconds']:.3f}", flush=True)
            print("SCORE " + s + " " + json.dumps({k: r[k] for k in ("F1_strict", "AUC", "ECE")}), flush=True)
        return 0
    sets = [s for s in args.sets.split(",") if s]
    eval_dir = Path(args.eval_dir)
    base = json.loads(args.set_config) if args.set_config else {}
    results: dict = {}
    if sets:
        emb = sig.default_embedder()
        if emb is not None and not args.no_cache:
            emb = sig.CachedEmbedder(emb, OUT / "emb")
        print(f"embedder: {getattr(emb, 'name', None)}; eval data: {eval_dir}; {load_avg()}")
        data = {s: load_set(eval_dir, s) for s in sets}
        rows = ABLATIONS if args.ablation else ABLATIONS[:1] + ([ABLATIONS[-1]] if args.before else [])
        print("\n| configuration | set | strict F1 (P R; lax) AUC ECE | links (wrong) | review | seconds |")
        print("|---|---|---|---|---|---|")
        for label, over in rows:
            cfg = config_for({**base, **over})
            for s in sets:
                r = run_set(data[s], cfg, emb)
                results.setdefault(label, {})[s] = {k: v for k, v in r.items() if k != "rows"}
                print(f"| {label} | {s} | {fmt(r)} | {r['links']} ({r['wrong']}) | {r['flag']} | "
                      f"{r['seconds']:.1f} |", flush=True)
                if label == "all signals" and args.reliability:
                    print(f"|  | reliability {s}: " + "; ".join(f"{rng} n={n} conf {c:.2f} right {a:.2f}"
                                                           for rng, n, c, a in r["rows"]) + " |  |  |  |  |")
                if label == "all signals" and args.by_type:
                    print(f"|  | recall by gold type {s}: " + ", ".join(
                        f"{k} {ok}/{n}" for k, (ok, n) in r["by_type"].items()) + " |  |  |  |  |")
        if args.before or args.ablation:
            first, last = ABLATIONS[0][0], ABLATIONS[-1][0]
            t_new = sum(v["seconds"] for v in results[first].values())
            t_old = sum(v["seconds"] for v in results[last].values())
            print(f"\nrun time on these sets: {t_new:.1f} s against {t_old:.1f} s before = {t_new / t_old:.2f}x "
                  f"({load_avg()})")
    if args.baseline_rev and sets:
        timing(sets, eval_dir, args.baseline_rev)
    if args.scaling:
        scaling([int(x) for x in args.scaling_sizes.split(",")], args.baseline_rev)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
