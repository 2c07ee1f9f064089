"""Segment the real EN/RU document pairs of ``benchmarks/data/align_real/raw`` into the sentence files the
alignment benchmark reads (``<name>.en``, ``<name>.ru``: one sentence per line, as the workbench ingests and
segments the page text). The gold links (``<name>.gold``) were written by hand on these files: rerun this only
when the raw text changes, and check the gold afterwards.

    python benchmarks/build_align_real.py [--check]

``--check`` only reports whether the current ingest and segmenter still give the stored sentences.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.ingest.readers import ingest_file  # noqa: E402
from workbench.ingest.segment import segment_paragraphs  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "align_real"


def sentences(path: Path, lang: str) -> list[str]:
    doc = ingest_file(path)
    return [" ".join(s.split()) for _p, s in segment_paragraphs(doc.paragraphs, lang)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    differ = 0
    for raw in sorted((DATA / "raw").glob("*.txt")):
        name, lang = raw.name.split(".")[:2]
        out = DATA / f"{name}.{lang}"
        lines = sentences(raw, lang)
        text = "\n".join(lines) + "\n"
        if args.check:
            same = out.exists() and out.read_text(encoding="utf-8") == text
            differ += not same
            print(f"{out.name}: {'same' if same else 'DIFFERENT'}")
        else:
            out.write_text(text, encoding="utf-8")
            print(f"{out.name}: {len(lines)} sentences")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
