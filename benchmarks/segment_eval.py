"""Sentence segmentation benchmark: Golden Rules scores, FLORES-200 article re-splitting, speed vs pySBD.

    python benchmarks/segment_eval.py [--eval-dir DIR] [--repeat N]

Prints, for ours (``workbench.segment``) and the libraries:
* English Golden Rules (48) and pySBD's 10 extra English cases;
* Russian Golden Rules: 41 items, and item 42 separately (its gold keeps "1898 г. В 1854 году" together);
* FLORES-200 dev articles (281 per language: the article's sentences joined with spaces, split again):
  boundary precision / recall / F1 and the share of articles split exactly right (en, ru, km);
* speed: characters per second on the FLORES articles, and the ratio ours / pySBD measured in this run.

The evaluation data is read in place from ``--eval-dir`` (default ``$WORKBENCH_EVAL_DIR`` or
``<repo>/../shared/eval``); nothing is copied.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
warnings.filterwarnings("ignore")

from workbench.ingest.segment import split_sentences  # noqa: E402


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pysbd_splitter(lang: str):
    import pysbd

    seg = pysbd.Segmenter(language=lang, clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def razdel_splitter(text: str) -> list[str]:
    import razdel

    return [s.text for s in razdel.sentenize(text)]


def ours(lang: str):
    return lambda text: split_sentences(text, lang)


def score_items(items: list[dict], split) -> tuple[int, list]:
    failed = [r["id"] for r in items if split(r["text"]) != r["expected"]]
    return len(items) - len(failed), failed


def boundaries(sentences: list[str]) -> set[int]:
    """Character offsets (in the joined text) where sentences end, without the last."""
    out, pos = set(), 0
    for s in sentences[:-1]:
        pos += len(s)
        out.add(pos)
        pos += 1
    return out


def flores_scores(docs: list[dict], split) -> dict:
    tp = fp = fn = exact = 0
    for doc in docs:
        gold = doc["sentences"]
        text = " ".join(gold)
        got = split(text)
        # map predicted sentences to offsets in text
        pred, pos = set(), 0
        for s in got[:-1]:
            i = text.find(s, pos)
            pos = i + len(s)
            pred.add(len(text[:pos].rstrip()) if i >= 0 else -1)
        gb = boundaries(gold)
        tp += len(pred & gb)
        fp += len(pred - gb)
        fn += len(gb - pred)
        exact += got == gold
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "exact": exact / len(docs)}


def timed(split, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            split(t)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("WORKBENCH_EVAL_DIR") or str(REPO.parent / "shared" / "eval")
    ap.add_argument("--eval-dir", default=default, help=f"evaluation data folder (default: {default})")
    ap.add_argument("--repeat", type=int, default=3, help="timing repeats, best of N (default 3)")
    args = ap.parse_args(argv)
    root = Path(args.eval_dir)
    gr = root / "sbd_golden_rules"
    if not gr.is_dir():
        print(f"segment_eval: no Golden Rules at {gr}; pass --eval-dir", file=sys.stderr)
        return 2

    en = load_jsonl(gr / "golden_rules_en.jsonl")
    en_extra = [r for r in load_jsonl(gr / "pysbd_tests_en.jsonl") if r["id"] > 48]
    ru_all = load_jsonl(gr / "golden_rules_ru.jsonl")
    ru = [r for r in ru_all if r["id"] != 42]
    ru42 = [r for r in ru_all if r["id"] == 42]

    print("== Golden Rules (exact sentence lists)")
    rows = [
        ("English (48)", en, [("ours", ours("en")), ("pysbd", pysbd_splitter("en"))]),
        ("English extra, pySBD clean=False cases (10)", en_extra,
         [("ours", ours("en")), ("pysbd", pysbd_splitter("en"))]),
        ("Russian (41, without item 42)", ru, [("ours", ours("ru")), ("pysbd", pysbd_splitter("ru")),
                                               ("razdel", razdel_splitter)]),
        ("Russian item 42 (gold keeps '1898 г. В 1854' together)", ru42,
         [("ours", ours("ru")), ("pysbd", pysbd_splitter("ru")), ("razdel", razdel_splitter)]),
    ]
    for title, items, tools in rows:
        cells = []
        for name, split in tools:
            ok, failed = score_items(items, split)
            cells.append(f"{name} {ok}/{len(items)}" + (f" (fails {failed})" if failed and len(failed) <= 6 else ""))
        print(f"  {title}: " + "; ".join(cells))

    docs_dir = root / "flores200" / "derived" / "docs"
    texts: dict[str, list[str]] = {}
    if docs_dir.is_dir():
        print("== FLORES-200 dev articles re-split (boundary P / R / F1, articles exactly right)")
        for code, lang in (("eng_Latn", "en"), ("rus_Cyrl", "ru"), ("khm_Khmr", "km")):
            path = docs_dir / f"{code}.dev.jsonl"
            if not path.exists():
                continue
            docs = load_jsonl(path)
            texts[lang] = [" ".join(d["sentences"]) for d in docs]
            tools = [("ours", ours(lang))]
            if lang in ("en", "ru"):
                tools.append(("pysbd", pysbd_splitter(lang)))
            if lang == "ru":
                tools.append(("razdel", razdel_splitter))
            for name, split in tools:
                s = flores_scores(docs, split)
                print(f"  {lang} {name:6s} P {s['P']:.3f}  R {s['R']:.3f}  F1 {s['F1']:.3f}  exact {s['exact']:.1%}"
                      f"  ({len(docs)} articles)")
    else:
        print(f"(no FLORES docs at {docs_dir}: speed measured on the Golden Rules texts only)")
        texts = {"en": [r["text"] for r in en], "ru": [r["text"] for r in ru_all]}

    print(f"== Speed (best of {args.repeat}, same run, same texts)")
    for lang in ("en", "ru", "km"):
        if lang not in texts:
            continue
        chars = sum(len(t) for t in texts[lang])
        ours_split = ours(lang)
        ours_split(texts[lang][0])  # warm-up: lazy imports, pymorphy3 dictionaries
        t_ours = timed(ours_split, texts[lang], args.repeat)
        line = f"  {lang}: ours {chars / t_ours / 1000:.0f}k chars/s ({t_ours * 1000:.0f} ms for {chars} chars)"
        if lang in ("en", "ru"):
            ps = pysbd_splitter(lang)
            ps(texts[lang][0])
            t_ps = timed(ps, texts[lang], args.repeat)
            line += f"; pysbd {chars / t_ps / 1000:.0f}k chars/s; ours is {t_ps / t_ours:.1f}x pysbd's speed"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
