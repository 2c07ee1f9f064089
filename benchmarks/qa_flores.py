"""How often the QA checks fire on professional human translations (FLORES-200), per check and language.

Reference translations are not error-free, but most findings on them are false alarms: this is the
false-alarm rate a translator sees on good text. Also prints the length-ratio percentiles that
``workbench.qa.LENGTH_RATIO`` is set from (dev split).

    python benchmarks/qa_flores.py [--eval-dir ../shared/eval] [--split devtest] [--show CODE]
    python benchmarks/qa_flores.py --split dev --ratios
    python benchmarks/qa_flores.py --inject      # detection rate of injected errors (seeded, reproducible)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.qa import check_segment  # noqa: E402
from workbench.text.tokens import words as word_tokens  # noqa: E402

FILES = {"en": "eng_Latn", "ru": "rus_Cyrl", "km": "khm_Khmr"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR",
                                                         Path(__file__).resolve().parents[2] / "shared" / "eval"))
    ap.add_argument("--split", default="devtest")
    ap.add_argument("--show", help="print the segments flagged with this code")
    ap.add_argument("--ratios", action="store_true", help="print the 0.5/99.5th percentile length ratios")
    ap.add_argument("--inject", action="store_true", help="inject errors into the references, count detections")
    args = ap.parse_args()
    base = Path(args.eval_dir) / "flores200" / args.split
    text = {lang: (base / f"{name}.{args.split}").read_text(encoding="utf-8").splitlines()
            for lang, name in FILES.items()}
    n = len(text["en"])
    if args.ratios:
        import numpy as np

        clean = {lang: [x.replace("\u200b", "").strip() for x in v] for lang, v in text.items()}
        for a in FILES:
            for b in FILES:
                if a != b:
                    r = np.array([len(y) / len(x) for x, y in zip(clean[a], clean[b])])
                    lo, hi = np.percentile(r, [0.5, 99.5])
                    print(f"{a}-{b}: ({lo:.2f}, {hi:.2f})  median {np.median(r):.2f}")
        return
    if args.inject:
        inject(text)
        return
    for tgt in ("ru", "km"):
        t0 = time.perf_counter()
        counts: Counter = Counter()
        flagged = 0
        for i, (s, t) in enumerate(zip(text["en"], text[tgt])):
            found = check_segment(s, t, "en", tgt)
            flagged += bool(found)
            for f in found:
                counts[f.code] += 1
                if args.show == f.code:
                    print(f"  {i + 1}: {f.message}\n     {s}\n     {t}")
        dt = time.perf_counter() - t0
        print(f"en->{tgt}: {n} FLORES {args.split} pairs, {flagged} ({100 * flagged / n:.1f}%) with any finding, "
              f"{dt / n * 1000:.2f} ms/segment")
        for code, c in counts.most_common():
            print(f"    {code:22s} {c:5d}  ({100 * c / n:.1f}% of segments)")


def inject(text) -> None:
    """Change each reference once in a known way and count how often the expected check fires."""
    import random
    import re

    rng = random.Random(8)
    kh = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
    for tgt in ("ru", "km"):
        hits: Counter = Counter()
        tries: Counter = Counter()
        for s, t in zip(text["en"], text[tgt]):
            t = t.strip()
            mutations = []
            digits = [m for m in re.finditer(r"[0-9០-៩]", t)]
            if digits:  # change one digit (same digit system)
                m = rng.choice(digits)
                d = m.group(0)
                ascii_d = d.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789"))
                new = str((int(ascii_d) + rng.randint(1, 9)) % 10)
                new = new.translate(kh) if d != ascii_d else new
                mutations.append(("number changed", {"number_mismatch", "date_mismatch"},
                                  t[:m.start()] + new + t[m.end():]))
            words = word_tokens(t)
            if len(words) > 3:  # double a word
                w = rng.choice([w for w in words if not w[0].isdigit()] or words)
                m = re.search(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", t) if tgt != "km" else None
                i = m.start() if m else t.find(w)
                sep = "" if tgt == "km" else " "
                mutations.append(("word doubled", {"repeated_word"}, t[:i] + w + sep + t[i:]))
            if t and t[-1] in ".។?!":  # final punctuation dropped
                mutations.append(("final punctuation dropped", {"end_punctuation"}, t[:-1]))
            spaces = [m.start() for m in re.finditer(" ", t)]
            if spaces:  # an opening bracket left unclosed
                i = rng.choice(spaces)
                mutations.append(("unclosed bracket", {"unbalanced"}, t[:i + 1] + "(" + t[i + 1:]))
            mutations.append(("target = source", {"untranslated"}, s))
            mutations.append(("half the sentence dropped", {"length_ratio"}, t[: len(t) // 2]))
            for name, expect, mutated in mutations:
                tries[name] += 1
                codes = {f.code for f in check_segment(s, mutated, "en", tgt)}
                hits[name] += bool(codes & expect)
        print(f"en->{tgt}: injected errors detected")
        for name in tries:
            print(f"    {name:26s} {hits[name]:4d}/{tries[name]:<4d} {100 * hits[name] / tries[name]:5.1f}%")


if __name__ == "__main__":
    main()
