"""Glossary benchmark: term matching on real references (TICO-19) and MT enforcement methods.

1. Matching on human translations: TICO-19 test (2100 en-ru / en-km sentence pairs) with the TICO-19
   Facebook terminology. For every source term found, is the target term in the professional reference?
   Inflection-aware (pymorphy3) / normalised matching against a plain lower-case substring baseline.
2. Enforcement on hand-written cases (benchmarks/data/glossary_enforcement.jsonl: sources, n-best lists as
   an MT engine would give them, the translation a translator would accept): term compliance and exact
   match for first-best, n-best rescoring, fix, rescoring + fix.
3. Optional (--model NAME_OR_DIR): the same methods on a real engine's n-best lists for the seed article
   (e.g. the MT tests' tiny Marian model), plus placeholder survival through the model.

    python benchmarks/glossary_enforcement.py [--eval-dir ../shared/eval] [--model DIR] [--backend hf]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.glossary import Glossary  # noqa: E402
from workbench.glossary.enforce import fix_terms, protect, restore  # noqa: E402
from workbench.mt.hypothesis import Hypothesis  # noqa: E402


def tico_matching(eval_dir: Path) -> None:
    base = eval_dir / "tico19"
    for lang, term_file in (("ru", "f_en-ru_RU.csv"), ("km", "f_en-km_KH.csv")):
        src = (base / "test" / f"tico19-test.en-{lang}.en").read_text(encoding="utf-8").splitlines()
        ref = (base / "test" / f"tico19-test.en-{lang}.{lang}").read_text(encoding="utf-8").splitlines()
        g = Glossary.import_file(base / "terminologies" / term_file)
        t0 = time.perf_counter()
        expected = found = naive = 0
        for s, r in zip(src, ref):
            rep = g.check(s, r, "en", lang)
            expected += len(rep.expected)
            found += len(rep.found)
            low = r.lower()
            for e in rep.expected:
                c = g.get(e["concept"])
                terms = [t.text for t in c.terms_in(lang, ("preferred", "admitted"))]
                if lang == "km":
                    naive += any(t in r for t in terms)
                else:
                    naive += any(t.lower() in low for t in terms)
        dt = time.perf_counter() - t0
        print(f"TICO-19 test en-{lang} ({len(src)} pairs, {term_file}): {expected} source term occurrences "
              f"(first per concept per sentence); target term in the human reference: "
              f"glossary matcher {found / expected:.3f}, plain substring {naive / expected:.3f}; "
              f"{len(src) / dt:.0f} pairs/s")


def methods(g: Glossary, cases: list[dict]) -> dict:
    out = {}
    for name in ("first-best", "rescore", "fix", "rescore+fix"):
        exp = fnd = forb = exact = 0
        for c in cases:
            hyps = [Hypothesis(t, s) for t, s in c["nbest"]]
            if name.startswith("rescore"):
                text, _, _ = g.choose(c["source"], hyps, c["lang"], apply_fix=name.endswith("fix"))
            else:
                text = hyps[0].text
                if name == "fix":
                    text = fix_terms(g, c["source"], text, "en", c["lang"])[0]
            rep = g.check(c["source"], text, "en", c["lang"])
            exp += len(rep.expected)
            fnd += len(rep.found)
            forb += len(rep.forbidden) + len(rep.deprecated)
            if "expected" in c:
                exact += text == c["expected"]
        out[name] = (fnd / max(exp, 1), forb, exact)
    return out


def handwritten(g: Glossary, path: Path) -> None:
    cases = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    for lang in ("ru", "km"):
        sub = [c for c in cases if c["lang"] == lang]
        res = methods(g, sub)
        print(f"hand-written en->{lang}: {len(sub)} cases")
        for name, (comp, bad, exact) in res.items():
            print(f"  {name:12s} term compliance {comp:.3f}  deprecated/forbidden left {bad:2d}  "
                  f"exact match with the accepted translation {exact}/{len(sub)}")


def with_model(g: Glossary, model: str, backend: str, langs: list[str]) -> None:
    try:
        from workbench import mt
    except ImportError:
        print("model run skipped: workbench.mt is not in this checkout")
        return
    from workbench.core.config import SEED_ARTICLE
    from workbench.ingest.segment import split_sentences

    text = SEED_ARTICLE.read_text(encoding="utf-8")
    sents = [s for s in split_sentences(text, "en") if g.find_terms(s, "en")][:40]
    engine = mt.load_engine(model, backend=backend)
    for lang in langs:
        t0 = time.perf_counter()
        nbest = engine.translate(sents, lang, beam=4, n_best=4)
        dt = time.perf_counter() - t0
        cases = [{"source": s, "lang": lang, "nbest": [(h.text, h.score) for h in hs]} for s, hs in zip(sents, nbest)]
        res = methods(g, cases)
        print(f"model {model} en->{lang}: {len(sents)} seed-article sentences with terms, n-best 4 ({dt:.1f} s)")
        for name, (comp, bad, _) in res.items():
            print(f"  {name:12s} term compliance {comp:.3f}  deprecated/forbidden left {bad}")
        masked, slots = zip(*(protect(g, s, lang) for s in sents))
        outs = engine.translate(list(masked), lang, beam=4, n_best=1)
        total = sum(len(s) for s in slots)
        lost = sum(len(restore(o[0].text, s)[1]) for o, s in zip(outs, slots))
        print(f"  placeholders: {total} names masked, {total - lost} survived translation "
              f"({(total - lost) / max(total, 1):.3f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    ap.add_argument("--glossary", help="glossary file (default: $WORKBENCH_GLOSSARY, else the data directory's copy)")
    ap.add_argument("--cases", default=str(ROOT / "benchmarks" / "data" / "glossary_enforcement.jsonl"))
    ap.add_argument("--model", help="MT model name or directory for the engine run")
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--langs", default="ru,km")
    args = ap.parse_args()
    g = Glossary.load(args.glossary)
    handwritten(g, Path(args.cases))
    eval_dir = Path(args.eval_dir)
    if (eval_dir / "tico19").is_dir():
        tico_matching(eval_dir)
    else:
        print(f"TICO-19 matching skipped: {eval_dir}/tico19 not found")
    if args.model:
        with_model(g, args.model, args.backend, args.langs.split(","))


if __name__ == "__main__":
    main()
