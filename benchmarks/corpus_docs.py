"""Build FLORES-derived document folders for the corpus benchmark and tests.

    python benchmarks/corpus_docs.py OUT_DIR [--eval-dir DIR] [--split dev|devtest] [--tgt ru|km]
                                     [--pairs 12] [--sentences 40] [--unpaired 2] [--seed 1]

FLORES-200 is translated line by line and its lines come in articles (consecutive lines with the same URL in
``metadata_<split>.tsv``). A document here is ``--sentences`` consecutive FLORES lines, one paragraph per
article (lines of an article joined by a space), so the segmenter has to find the sentence ends itself.
``OUT_DIR/en`` gets the English of ``--pairs`` documents plus ``--unpaired`` English-only documents,
``OUT_DIR/<tgt>`` the translations of the same ``--pairs`` documents plus ``--unpaired`` target-only documents
built from other lines; the file names are random and unrelated across the two folders. ``OUT_DIR/gold.json``
records, for every true pair, the two file names and the FLORES lines of each side (for scoring).
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

FLORES_CODES = {"en": "eng_Latn", "ru": "rus_Cyrl", "km": "khm_Khmr"}


def eval_dir(path: str | os.PathLike | None = None) -> Path:
    """The evaluation data folder: ``path``, else ``$WORKBENCH_EVAL_DIR``, else ``../shared/eval`` beside the
    checkout."""
    if path:
        return Path(path)
    env = os.environ.get("WORKBENCH_EVAL_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def _lines(folder: Path, split: str, lang: str) -> list[str]:
    text = (folder / split / f"{FLORES_CODES[lang]}.{split}").read_text(encoding="utf-8")
    return text.rstrip("\n").split("\n")


def _document(lines: list[str], urls: list[str], start: int, count: int, sep: str) -> str:
    paras: list[list[str]] = []
    for i in range(start, start + count):
        if not paras or urls[i] != urls[i - 1]:
            paras.append([])
        paras[-1].append(lines[i])
    return "\n\n".join(sep.join(p) for p in paras) + "\n"


def build_docs(out: str | os.PathLike, *, eval_path: str | os.PathLike | None = None, split: str = "dev",
               tgt: str = "ru", pairs: int = 12, sentences: int = 40, unpaired: int = 2, seed: int = 1,
               first_line: int = 0) -> dict:
    """Write the two folders and ``gold.json`` under ``out``; returns the gold record.

    Documents take consecutive blocks of ``sentences`` lines from ``first_line`` on: the paired ones first,
    then ``unpaired`` English-only blocks, then ``unpaired`` target-only blocks.
    """
    flores = eval_dir(eval_path) / "flores200"
    if not (flores / split).is_dir():
        raise FileNotFoundError(f"FLORES-200 not found under {flores}")
    en, tg = _lines(flores, split, "en"), _lines(flores, split, tgt)
    meta = (flores / f"metadata_{split}.tsv").read_text(encoding="utf-8").rstrip("\n").split("\n")[1:]
    urls = [row.split("\t")[0] for row in meta]
    need = first_line + sentences * (pairs + 2 * unpaired)
    if need > len(en):
        raise ValueError(f"{split} has {len(en)} lines; {need} are needed")
    rng = random.Random(seed)
    out = Path(out)
    src_dir, tgt_dir = out / "en", out / tgt
    src_dir.mkdir(parents=True, exist_ok=True)
    tgt_dir.mkdir(parents=True, exist_ok=True)
    names: set[str] = set()

    def name() -> str:
        while True:
            n = f"{rng.getrandbits(40):010x}.txt"
            if n not in names:
                names.add(n)
                return n

    gold: dict = {"split": split, "src_lang": "en", "tgt_lang": tgt, "pairs": [], "unpaired_src": [],
                  "unpaired_tgt": []}
    for k in range(pairs + 2 * unpaired):
        start = first_line + k * sentences
        ids = list(range(start, start + sentences))
        if k < pairs or k < pairs + unpaired:
            sname = name()
            (src_dir / sname).write_text(_document(en, urls, start, sentences, " "), encoding="utf-8")
        if k < pairs or k >= pairs + unpaired:
            tname = name()
            (tgt_dir / tname).write_text(_document(tg, urls, start, sentences, " "), encoding="utf-8")
        if k < pairs:
            gold["pairs"].append({"src": sname, "tgt": tname, "src_lines": [en[i] for i in ids],
                                  "tgt_lines": [tg[i] for i in ids]})
        elif k < pairs + unpaired:
            gold["unpaired_src"].append(sname)
        else:
            gold["unpaired_tgt"].append(tname)
    (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    return gold


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder to write (en/, ru/ or km/, gold.json)")
    ap.add_argument("--eval-dir", help="evaluation data folder (default: $WORKBENCH_EVAL_DIR or ../shared/eval)")
    ap.add_argument("--split", default="dev", choices=["dev", "devtest"])
    ap.add_argument("--tgt", default="ru", choices=["ru", "km"])
    ap.add_argument("--pairs", type=int, default=12)
    ap.add_argument("--sentences", type=int, default=40)
    ap.add_argument("--unpaired", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first-line", type=int, default=0)
    a = ap.parse_args(argv)
    gold = build_docs(a.out, eval_path=a.eval_dir, split=a.split, tgt=a.tgt, pairs=a.pairs, sentences=a.sentences,
                      unpaired=a.unpaired, seed=a.seed, first_line=a.first_line)
    print(f"{a.out}: {len(gold['pairs'])} pairs, {len(gold['unpaired_src'])} + {len(gold['unpaired_tgt'])} unpaired")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
