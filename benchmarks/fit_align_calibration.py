"""Fit the aligner's confidence calibration (``workbench/data/align/calibration.json``) on development data.

    python benchmarks/fit_align_calibration.py [--eval-dir DIR] [--l2 1.0] [--dry-run]

Data (development only; nothing held out by ``benchmarks/align_eval.py`` is used): FLORES-200 dev bitexts
008-014 en-ru and en-km (001-007 feed the word lexicon, 015-029 and the devtest bitexts are held out), the same
bitexts cut after 30 % of their links (partial translations) and with foreign sentences inserted (material on one
side only), and the Text+Berg dev document; the pairs with embeddings are also aligned without them for the
``nosem`` model. Each predicted link
is labelled right when it equals a gold link (1-0 / 0-1 links included), and a logistic regression on the link
features of :mod:`workbench.align.calibrate` is fitted per mode: ``sem`` (sentence embeddings: en-ru, de-fr) and
``nosem`` (en-km). Prints the fit's ECE and AUC on the fitting data; the held-out figures come from
``align_eval.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import align_eval as ae  # noqa: E402

from workbench.align import AlignConfig, prepare, signals as sig  # noqa: E402
from workbench.align.calibrate import CALIBRATION_FILE, FEATURES, fit_logistic  # noqa: E402
from workbench.align.core import link_feature_rows  # noqa: E402

SETS = ["flores-ru-calib", "flores-km-calib", "partial-ru-calib", "partial-km-calib", "noisy-ru-calib",
        "noisy-km-calib", "textberg-dev"]


def collect(eval_dir: Path, embedder) -> dict[str, tuple[list, list]]:
    """Features and labels per mode. Pairs with embeddings are also aligned without them, as examples of the
    ``nosem`` mode (English-Khmer alone has too few wrong links to fit on)."""
    out: dict[str, tuple[list, list]] = {"sem": ([], []), "nosem": ([], [])}
    runs = [(name, embedder) for name in SETS] + [(name, None) for name in SETS if "-km-" not in name]
    for name, emb in runs:
        for _doc, src, tgt, gold, sl, tl in ae.load_set(eval_dir, name):
            prep = prepare(src, tgt, sl, tl, embedder=emb, config=AlignConfig())
            links, feats = link_feature_rows(prep)
            mode = "sem" if prep.embedder_name else "nosem"
            gs = set(gold)
            for l, f in zip(links, feats):
                out[mode][0].append(f)
                out[mode][1].append(float((l.src, l.tgt) in gs))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", default=os.environ.get("WORKBENCH_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    emb = sig.default_embedder()
    if emb is not None:
        emb = sig.CachedEmbedder(emb, ae.OUT / "emb")
    data = collect(Path(args.eval_dir), emb)
    models = {}
    for mode, (X, y) in data.items():
        X, y = np.vstack(X), np.array(y)
        w = fit_logistic(X, y, l2=args.l2)
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        ece, _rows = ae.reliability(list(p), [bool(v) for v in y])
        print(f"{mode}: {len(y)} links, {int(len(y) - y.sum())} wrong; fit ECE {ece:.3f}, "
              f"AUC {ae.auc(list(p), [bool(v) for v in y]):.3f}")
        print("  " + ", ".join(f"{n} {c:+.2f}" for n, c in zip(FEATURES, w)))
        models[mode] = [round(float(c), 5) for c in w]
    if not args.dry_run:
        CALIBRATION_FILE.write_text(json.dumps({
            "features": list(FEATURES), "models": models, "embedder": getattr(emb, "name", None),
            "fitted_on": SETS, "script": "benchmarks/fit_align_calibration.py"}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
