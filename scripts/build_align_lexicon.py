"""Rebuild the aligner's word-translation tables (``workbench/data/align/en-km.tsv.gz``, ``en-ru.tsv.gz``).

    python scripts/build_align_lexicon.py --eval-dir DIR [--pairs en-km,en-ru] [--out workbench/data/align]
                                          [--tune-bitexts 7] [--iterations 8]

Data (read in place from ``--eval-dir``; none of it is copied into the repository):

* TICO-19: ``tico19/TM/all.en-{km,ru}.tmx`` (dev + test, 3071 units each) and the Facebook and Google
  COVID-19 terminologies ``tico19/terminologies/*.csv`` (CC0). Public source: tico-19.github.io
  (``data/TM``, ``data/terminologies``).
* FLORES-200 **dev** (CC BY-SA 4.0): only the lines of the bitexts the aligner is tuned on
  (``flores200/derived/align/eng_Latn-XXX/dev/001..NNN.ids``, ``--tune-bitexts``), so the held-out bitexts
  and the devtest split never feed the table. Public source: the FLORES-200 release (``flores200_dataset``,
  ``dev/{eng_Latn,rus_Cyrl,khm_Khmr}.dev``).
* The workbench glossary (``workbench/data/glossary/diplomatic.csv``): every concept's English term with each
  of its target terms, given three times.

Method: IBM Model 1 (EM, a NULL word on the conditioning side) in both directions over the keys of
:func:`workbench.align.lexicon.word_keys` (khmercut words for Khmer, 5-6 letter stems for English and
Russian, function words left out). A pair is kept when it occurred together at least twice and both
``t(target|english)`` and ``t(english|target)`` reach ``--min-p``; the file lists ``english<TAB>target<TAB>p``
with ``p`` their geometric mean. The tables derived from FLORES are shared under CC BY-SA 4.0 (see
``workbench/data/align/README.md``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.align.lexicon import word_keys  # noqa: E402

FLORES_CODE = {"ru": "rus_Cyrl", "km": "khm_Khmr"}
GLOSSARY = ROOT / "workbench" / "data" / "glossary" / "diplomatic.csv"


def tmx_pairs(path: Path, lang: str) -> list[tuple[str, str]]:
    out = []
    for tu in ET.parse(path).getroot().iter("tu"):
        segs = {}
        for tuv in tu.iter("tuv"):
            code = tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is not None:
                segs[code.split("-")[0].split("_")[0].lower()] = "".join(seg.itertext())
        if segs.get("en") and segs.get(lang):
            out.append((segs["en"], segs[lang]))
    return out


def term_pairs(folder: Path, lang: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("sourceLang") == "en" and (row.get("targetLang") or "").split("_")[0] == lang:
                    for alt in (row.get("targetString") or "").split(":"):
                        if alt.strip() and row.get("sourceString"):
                            out.append((row["sourceString"], alt.strip().strip("[]")))
    return out


def flores_pairs(eval_dir: Path, lang: str, tune: int) -> list[tuple[str, str]]:
    base = eval_dir / "flores200"
    en = (base / "dev" / "eng_Latn.dev").read_text(encoding="utf-8").splitlines()
    tg = (base / "dev" / f"{FLORES_CODE[lang]}.dev").read_text(encoding="utf-8").splitlines()
    folder = base / "derived" / "align" / f"eng_Latn-{FLORES_CODE[lang]}" / "dev"
    ids: list[int] = []
    for path in sorted(folder.glob("*.ids"))[:tune]:
        ids += [int(x) for x in path.read_text(encoding="utf-8").split()]
    return [(en[i], tg[i]) for i in sorted(set(ids))]


def glossary_pairs(lang: str) -> list[tuple[str, str]]:
    out = []
    english: dict[str, str] = {}
    with GLOSSARY.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row.get("en"):
            english.setdefault(row["id"], row["en"])
    for row in rows:
        if row.get(lang) and english.get(row["id"]) and row.get(f"{lang}_status") != "forbidden":
            out += [(english[row["id"]], row[lang])] * 3
    return out


def ibm1(pairs: list[tuple[list[int], list[int]]], n_cond: int, n_out: int, iterations: int) -> dict:
    """t(out | cond) by IBM Model 1; id 0 of the conditioning side is NULL. Returns {(cond, out): p}."""
    pe, pf, occ = [], [], []
    o = 0
    for cond, out in pairs:
        c = np.array([0, *cond], dtype=np.int64)
        for f in out:
            pe.append(c)
            pf.append(np.full(len(c), f, dtype=np.int64))
            occ.append(np.full(len(c), o, dtype=np.int64))
            o += 1
    e = np.concatenate(pe)
    f = np.concatenate(pf)
    occ_id = np.concatenate(occ)
    key = e * n_out + f
    uniq, pair_id = np.unique(key, return_inverse=True)
    ue, uf = uniq // n_out, uniq % n_out
    t = np.full(len(uniq), 1.0 / n_out)
    for _ in range(iterations):
        tp = t[pair_id]
        z = np.bincount(occ_id, tp, minlength=o)
        delta = tp / z[occ_id]
        counts = np.bincount(pair_id, delta, minlength=len(uniq))
        tot = np.bincount(ue, counts, minlength=n_cond)
        t = counts / tot[ue]
    cooc = np.bincount(pair_id, minlength=len(uniq))
    return {(int(a), int(b)): (float(p), int(c)) for a, b, p, c in zip(ue, uf, t, cooc) if a != 0}


def build(eval_dir: Path, lang: str, tune: int, iterations: int, min_p: float) -> tuple[list[tuple], dict]:
    tico = eval_dir / "tico19"
    sources = {
        "tico19-tmx": tmx_pairs(tico / "TM" / f"all.en-{lang}.tmx", lang),
        "tico19-terms": term_pairs(tico / "terminologies", lang) * 2,
        "flores-dev-001-007": flores_pairs(eval_dir, lang, tune),
        "glossary": glossary_pairs(lang),
    }
    texts = [p for v in sources.values() for p in v]
    en_vocab: dict[str, int] = {"<null>": 0}
    tg_vocab: dict[str, int] = {"<null>": 0}
    data = []
    for en, tg in texts:
        ek = [en_vocab.setdefault(k, len(en_vocab)) for k in word_keys(en, "en")]
        fk = [tg_vocab.setdefault(k, len(tg_vocab)) for k in word_keys(tg, lang)]
        if ek and fk:
            data.append((ek, fk))
    fwd = ibm1(data, len(en_vocab), len(tg_vocab), iterations)                 # t(target | english)
    bwd = ibm1([(f, e) for e, f in data], len(tg_vocab), len(en_vocab), iterations)  # t(english | target)
    en_words = {v: k for k, v in en_vocab.items()}
    tg_words = {v: k for k, v in tg_vocab.items()}
    rows = []
    for (e, f), (p1, c) in fwd.items():
        p2 = bwd.get((f, e), (0.0, 0))[0]
        if c >= 2 and p1 >= min_p and p2 >= min_p:
            rows.append((en_words[e], tg_words[f], math.sqrt(p1 * p2)))
    rows.sort()
    return rows, {k: len(v) for k, v in sources.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    ap.add_argument("--pairs", default="en-km,en-ru")
    ap.add_argument("--out", default=str(ROOT / "workbench" / "data" / "align"))
    ap.add_argument("--tune-bitexts", type=int, default=7, help="FLORES dev bitexts 001..N feed the table")
    ap.add_argument("--iterations", type=int, default=8)
    ap.add_argument("--min-p", type=float, default=0.08)
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for pair in args.pairs.split(","):
        lang = pair.split("-")[1]
        rows, counts = build(Path(args.eval_dir), lang, args.tune_bitexts, args.iterations, args.min_p)
        path = out / f"{pair}.tsv.gz"
        with gzip.GzipFile(path, "wb", mtime=0) as raw:
            body = "".join(f"{e}\t{f}\t{p:.3f}\n" for e, f, p in rows)
            head = (f"# {pair} word translations for sentence alignment (IBM Model 1, both directions); "
                    f"sentence pairs: {counts}. TICO-19 (CC0), FLORES-200 dev (CC BY-SA 4.0), workbench glossary. "
                    f"Rebuild: python scripts/build_align_lexicon.py\n")
            raw.write((head + body).encode("utf-8"))
        print(f"{path}: {len(rows)} pairs from {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
