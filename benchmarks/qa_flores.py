"""How often the QA checks fire on professional human translations (FLORES-200), per check and language.

Reference translations are not error-free, but most findings on them are false alarms: this is the
false-alarm rate a translator sees on good text. Also prints the length-ratio percentiles that
``workbench.qa.LENGTH_RATIO`` is set from (dev split).

    python benchmarks/qa_flores.py [--eval-dir ../shared/eval] [--split devtest] [--show CODE]
    python benchmarks/qa_flores.py --split dev --ratios
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

FILES = {"en": "eng_Latn", "ru": "rus_Cyrl", "km": "khm_Khmr"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR",
                                                         Path(__file__).resolve().parents[2] / "shared" / "eval"))
    ap.add_argument("--split", default="devtest")
    ap.add_argument("--show", help="print the segments flagged with this code")
    ap.add_argument("--ratios", action="store_true", help="print the 0.5/99.5th percentile length ratios")
    args = ap.parse_args()
    base = Path(args.eval_dir) / "flores200" / args.split
    text = {l: (base / f"{f}.{args.split}").read_text(encoding="utf-8").splitlines() for l, f in FILES.items()}
    n = len(text["en"])
    if args.ratios:
        import numpy as np

        clean = {l: [x.replace("\u200b", "").strip() for x in v] for l, v in text.items()}
        for a in FILES:
            for b in FILES:
                if a != b:
                    r = np.array([len(y) / len(x) for x, y in zip(clean[a], clean[b])])
                    lo, hi = np.percentile(r, [0.5, 99.5])
                    print(f"{a}-{b}: ({lo:.2f}, {hi:.2f})  median {np.median(r):.2f}")
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


if __name__ == "__main__":
    main()
