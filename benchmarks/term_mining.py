"""Term mining benchmark: glossary candidates mined from the TICO-19 translation memories (3,071 en-ru and
en-km units) judged against the TICO-19 COVID-19 term lists.

* **Recall**: of the terms of the Facebook list (``f_en-*.csv``) whose English form occurs at least 5 times
  in the TMX (case-insensitive whole words: 107 for en-ru), the share found among the candidates with the
  right target — the English side matched as glossary matching does (plurals, case), the target by lemmas
  for Russian and by the normalised string for Khmer (and, reported beside it, loosely: see :func:`km_loose`).
  "English found" counts those with any target.
  Reported over all candidates and the top 500 / 1,000.
* **Precision of the top 100**: a candidate is right when its English and its target match one entry of
  either list (Facebook or Google); "judged" are those whose English is in a list at all (the lists cover
  COVID-19 terms, not every term of the texts).
* **Speed**: mining time per language pair, with the load average (the machine may be shared).

    python benchmarks/term_mining.py [--eval-dir ../shared/eval] [--langs ru,km] [--min-count 2] [--show 30]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.glossary import Glossary  # noqa: E402
from workbench.glossary.match import km_key  # noqa: E402
from workbench.glossary.mining import mine  # noqa: E402
from workbench.glossary.mining_io import tmx_pairs  # noqa: E402

LISTS = {"ru": ("f_en-ru_RU.csv", "g_en_ru.csv"), "km": ("f_en-km_KH.csv", "g_en_km.csv")}
FREQUENT = 5


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _covering(g: Glossary, text: str, lang: str) -> set[str]:
    core = text.strip()
    return {h.concept_id for h in g.find_all(core, lang) if h.start == 0 and h.end == len(core)}


def km_loose(text: str) -> str:
    """A Khmer term without what the term lists and the translations disagree on: the spelling ជម្ងឺ/ជំងឺ
    (disease), a noun-making ការ / adjective-making ដែល / នៃ "of" in front, the plural word នានា after."""
    k = km_key(text).replace("ជម្ងឺ", "ជំងឺ")
    for prefix in ("ការ", "ដែល", "នៃ"):
        if k.startswith(prefix) and len(k) > len(prefix) + 1:
            k = k[len(prefix):]
    return k.removesuffix("នានា") or k


def judge(g: Glossary, cand, lang: str, loose: bool = False) -> tuple[set[str], set[str]]:
    """(concepts whose English the candidate is, those of them whose target it also has); ``loose``: Khmer
    compared with :func:`km_loose`."""
    en = _covering(g, cand.source, "en")
    if not en:
        return set(), set()
    if loose:
        want = km_loose(cand.target)
        return en, {cid for cid in en if any(km_loose(t.text) == want for t in g.get(cid).terms_in(lang))}
    tgt = _covering(g, cand.target, lang)
    return en, en & tgt


def run(eval_dir: Path, lang: str, min_count: int, show: int) -> None:
    base = eval_dir / "tico19"
    tmx = base / "TM" / f"all.en-{lang}.tmx"
    f_list, g_list = (Glossary.read(base / "terminologies" / name, "tico") for name in LISTS[lang])
    both = Glossary([*f_list.concepts(), *g_list.concepts()])
    pairs = list(tmx_pairs(tmx, "en", lang))
    english = [p.source.lower() for p in pairs]
    frequent = []
    for c in f_list.concepts():
        en = c.preferred("en").text.strip().lower()
        pat = re.compile(r"(?<!\w)" + re.escape(en) + r"(?!\w)")
        if sum(len(pat.findall(e)) for e in english) >= FREQUENT:
            frequent.append(c.id)
    print(f"\n== en-{lang}: {tmx.name}, {len(pairs)} pairs; {len(frequent)} terms of {LISTS[lang][0]} occur "
          f">= {FREQUENT} times ({load()})")
    t0 = time.perf_counter()
    res = mine(pairs, "en", lang, min_count=min_count)
    dt = time.perf_counter() - t0
    print(f"mined {len(res.candidates)} candidates (min count {min_count}) in {dt:.1f} s "
          f"({len(pairs) / dt:.0f} pairs/s; {load()})")
    judged = [judge(f_list, c, lang) for c in res.candidates]
    for cut in (None, 1000, 500):
        en_found, right = set(), set()
        for en, ok in judged[:cut]:
            en_found |= en
            right |= ok
        f_en, f_ok = len(en_found & set(frequent)), len(right & set(frequent))
        name = "all candidates" if cut is None else f"top {cut}"
        print(f"  {name:>14}: right target {f_ok}/{len(frequent)} = {f_ok / len(frequent):.1%}; "
              f"English found {f_en}/{len(frequent)} = {f_en / len(frequent):.1%}")
    if lang == "km":
        right = set()
        for c in res.candidates:
            right |= judge(f_list, c, lang, loose=True)[1]
        n = len(right & set(frequent))
        print(f"  all candidates, Khmer compared loosely (ជម្ងឺ=ជំងឺ, without a leading ការ/ដែល/នៃ or a final "
              f"នានា): right target {n}/{len(frequent)} = {n / len(frequent):.1%}")
    top = res.candidates[:100]
    j = [judge(both, c, lang) for c in top]
    n_judged = sum(1 for en, _ in j if en)
    n_right = sum(1 for _, ok in j if ok)
    print(f"  top 100 precision against both lists: {n_right}/100 right; {n_right}/{n_judged} of those in a list "
          f"= {n_right / max(1, n_judged):.1%}")
    if show:
        print(f"  first {show} candidates (+ right, ~ English in a list with another target, . not in a list):")
        for c, (en, ok) in list(zip(res.candidates, judged + [(set(), set())] * len(res.candidates)))[:show]:
            mark = "+" if ok else "~" if en else "."
            print(f"    {mark} {c.score:.3f} {c.count:4d}  {c.source} = {c.target}")
        missed = [cid for cid in frequent if not any(cid in ok for _, ok in judged)]
        print(f"  missed ({len(missed)}):")
        for cid in missed:
            c = f_list.get(cid)
            mined = [x for x, (en, _) in zip(res.candidates, judged) if cid in en]
            got = f" -> mined {mined[0].target} ({mined[0].count})" if mined else " -> English not mined"
            print(f"    {c.preferred('en').text} = {c.preferred(lang).text}{got}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    ap.add_argument("--langs", default="ru,km")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--show", type=int, default=0, help="print the first N candidates and the missed terms")
    args = ap.parse_args()
    eval_dir = Path(args.eval_dir)
    if not (eval_dir / "tico19" / "TM").is_dir():
        print(f"TICO-19 not found under {eval_dir} (give --eval-dir)", file=sys.stderr)
        return 2
    print(f"term mining benchmark; {os.cpu_count()} CPUs; {load()}")
    for lang in args.langs.split(","):
        run(eval_dir, lang.strip(), args.min_count, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
