"""Interoperability report: third-party TMX and TBX files through the workbench's importers and exporters.

For every file of ``$WORKBENCH_EVAL_DIR/interop/tmx`` and ``.../tbx`` (see that folder's README), prints one
table row: what the workbench did with it and how much of it came back out.

TMX: ``tm import`` into a fresh memory, then ``tm export``. Columns: result (ok, or the one-line error),
units and variants in the file (read independently with lxml: ``<tu>`` and ``<tuv>`` with a ``<seg>``),
units stored, variants and inline codes (``bpt ept it ph hi sub ut``) in the file and in the export.

TBX: ``glossary import`` of the file into an empty glossary, then ``glossary export`` as TBX. Columns:
result, concepts and terms in the file, concepts and terms kept (en/ru/km), and the errors of our export
against the TBX core RNG and the TBX-Basic schematron (``interop/schemas``).

A last line validates the export of the shipped diplomatic glossary the same way.

Usage::

    WORKBENCH_EVAL_DIR=/path/to/eval python benchmarks/interop_report.py [--markdown]

Works with any version of the workbench that has ``TranslationMemory.import_tmx/export_tmx`` and
``Glossary.import_file/export`` (so the same script measures before and after a change). No timing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from lxml import etree, isoschematron

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # a PYTHONPATH checkout (e.g. an older version) comes first

CODES = ("bpt", "ept", "it", "ph", "hi", "sub", "ut")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def eval_dir() -> Path:
    return Path(os.environ.get("WORKBENCH_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def tmx_counts(path: Path) -> tuple[int, int, int] | None:
    """(units, variants with a seg, inline code elements) read with plain lxml; None if lxml cannot parse it."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (etree.XMLSyntaxError, OSError):
        return None
    units = variants = codes = 0
    for tu in root.iter("tu"):
        units += 1
        for tuv in tu.iter("tuv"):
            seg = tuv.find("seg")
            if seg is None:
                continue
            variants += 1
            codes += sum(1 for el in seg.iter() if _local(el.tag) in CODES)
    return units, variants, codes


def one_line(exc: BaseException, path: Path) -> str:
    text = " ".join(str(exc).replace(str(path), path.name).split())
    return text if len(text) <= 90 else text[:87] + "..."


def tmx_row(path: Path, work: Path) -> dict:
    from workbench.tm.memory import TranslationMemory

    row = {"file": path.name, "result": "", "units": "-", "variants": "-", "codes": "-", "stored": "-",
           "variants_out": "-", "codes_out": "-"}
    counts = tmx_counts(path)
    if counts:
        row["units"], row["variants"], row["codes"] = counts
    db = work / f"{path.stem}.db"
    out = work / f"{path.stem}.out.tmx"
    try:
        with TranslationMemory.open(db) as tm:
            result = tm.import_tmx(path, name="t")
            row["stored"] = len(tm)
            tm.export_tmx(out, tm="t")
        back = tmx_counts(out)
        if back:
            _, row["variants_out"], row["codes_out"] = back
        row["result"] = "ok"
        said = [f"{getattr(result, k)} {label}" for k, label in (("duplicates", "merged"), ("skipped", "skipped"))
                if getattr(result, k, 0)]
        if said:
            row["result"] += f" ({', '.join(said)})"
    except Exception as exc:  # noqa: BLE001 - the report says what happened to every file
        kind = "refused" if type(exc).__name__ in ("InputError", "UnknownLanguage", "WorkbenchError") else "CRASH"
        row["result"] = f"{kind}: {one_line(exc, path)}"
    return row


def tbx_counts(path: Path) -> tuple[int, Counter] | None:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (etree.XMLSyntaxError, OSError):
        return None
    concepts = 0
    terms: Counter = Counter()
    for el in root.iter():
        name = _local(el.tag)
        if name in ("conceptEntry", "termEntry"):
            concepts += 1
        elif name in ("langSec", "langSet"):
            lang = (el.get(XML_LANG) or el.get("lang") or "?").lower()
            terms[lang] += sum(1 for t in el.iter() if _local(t.tag) == "term")
    return concepts, terms


def tbx_validators(schemas: Path):
    rng = etree.RelaxNG(file=str(schemas / "TBXcoreStructV03.rng"))
    sch = isoschematron.Schematron(etree.parse(str(schemas / "TBX-Basic_DCA.xslt1.sch")), store_report=True)
    return rng, sch


def tbx_errors(path: Path, validators) -> tuple[int, int]:
    """(RNG errors, schematron failed asserts) of a TBX file."""
    rng, sch = validators
    doc = etree.parse(str(path))
    rng.validate(doc)
    sch.validate(doc)
    report = sch.validation_report
    failed = len(report.findall(".//{http://purl.oclc.org/dsdl/svrl}failed-assert")) if report is not None else 0
    return len(rng.error_log), failed


def tbx_row(path: Path, work: Path, validators) -> dict:
    from workbench.glossary import Glossary

    row = {"file": path.name, "result": "", "concepts": "-", "terms": "-", "kept": "-", "kept_terms": "-",
           "rng": "-", "sch": "-"}
    counts = tbx_counts(path)
    if counts:
        row["concepts"] = counts[0]
        row["terms"] = " ".join(f"{k} {v}" for k, v in sorted(counts[1].items()))
    try:
        g = Glossary.import_file(path)
        langs = Counter(t.lang for c in g.concepts() for t in c.terms)
        row["kept"] = len(g)
        row["kept_terms"] = " ".join(f"{k} {v}" for k, v in sorted(langs.items()))
        out = g.export(work / f"{path.stem}.out.tbx")
        row["rng"], row["sch"] = tbx_errors(out, validators)
        report = getattr(g, "import_report", None)
        warnings = len(getattr(report, "warnings", []) or [])
        row["result"] = "ok" + (f" ({warnings} warnings)" if warnings else "")
    except Exception as exc:  # noqa: BLE001
        kind = "refused" if type(exc).__name__ in ("InputError", "UnknownLanguage", "WorkbenchError") else "CRASH"
        row["result"] = f"{kind}: {one_line(exc, path)}"
    return row


def table(rows: list[dict], columns: list[tuple[str, str]], markdown: bool) -> str:
    heads = [h for _, h in columns]
    body = [[str(r[k]) for k, _ in columns] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in b) + " |" for b in body]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(heads, *body)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)) for line in [heads] + body)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = ap.parse_args(argv)
    interop = eval_dir() / "interop"
    if not interop.is_dir():
        print(f"no interop data at {interop} (set WORKBENCH_EVAL_DIR)", file=sys.stderr)
        return 2
    os.environ.setdefault("WORKBENCH_HOME", tempfile.mkdtemp(prefix="wb-interop-home-"))
    validators = tbx_validators(interop / "schemas")
    with tempfile.TemporaryDirectory(prefix="wb-interop-") as tmp:
        work = Path(tmp)
        tmx_rows = [tmx_row(p, work) for p in sorted((interop / "tmx").glob("*.tmx"))]
        tbx_rows = [tbx_row(p, work, validators) for p in sorted((interop / "tbx").glob("*.tbx"))]
        from workbench.glossary import Glossary
        from workbench.glossary.glossary import shipped_path

        own = Glossary.load(shipped_path()).export(work / "diplomatic.tbx")
        own_rng, own_sch = tbx_errors(own, validators)

    import datetime as _dt

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"interop report, {_dt.date.today().isoformat()}, data {interop} (no timing; load average {load:.1f})\n")
    print(f"## tmx ({len(tmx_rows)} files)\n")
    print(table(tmx_rows, [("file", "file"), ("result", "result"), ("units", "units"), ("stored", "stored"),
                           ("variants", "variants in"), ("variants_out", "variants out"), ("codes", "codes in"),
                           ("codes_out", "codes out")], args.markdown))
    ok = [r for r in tmx_rows if r["result"].startswith("ok")]
    lost_v = sum(r["variants"] - r["variants_out"] for r in ok if isinstance(r["variants"], int))
    silent = sum(r["variants"] - r["variants_out"] for r in ok
                 if isinstance(r["variants"], int) and "(" not in r["result"])
    lost_c = sum(r["codes"] - r["codes_out"] for r in ok if isinstance(r["codes"], int))
    print(f"\ntmx: {len(ok)}/{len(tmx_rows)} imported; variants not written back by import+export: {lost_v} "
          f"({silent} without the import saying so); inline codes lost: {lost_c}; "
          f"files losing variants: {sum(1 for r in ok if r['variants'] != r['variants_out'])}; "
          f"files losing codes: {sum(1 for r in ok if r['codes'] != r['codes_out'])}; "
          f"crashes: {sum(r['result'].startswith('CRASH') for r in tmx_rows)}\n")
    print(f"## tbx ({len(tbx_rows)} files)\n")
    print(table(tbx_rows, [("file", "file"), ("result", "result"), ("concepts", "concepts"), ("terms", "terms"),
                           ("kept", "concepts kept"), ("kept_terms", "terms kept"), ("rng", "export RNG errors"),
                           ("sch", "export TBX-Basic errors")], args.markdown))
    ok = [r for r in tbx_rows if r["result"].startswith("ok")]
    print(f"\ntbx: {len(ok)}/{len(tbx_rows)} imported; "
          f"crashes: {sum(r['result'].startswith('CRASH') for r in tbx_rows)}")
    print(f"shipped glossary exported as TBX: {own_rng} RNG errors, {own_sch} TBX-Basic schematron errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
