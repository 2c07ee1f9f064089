"""Project statistics: words and segments, match analysis, progress, QA findings, post-editing.

:func:`build_report` returns a JSON-ready dict; :func:`format_report` renders it as text;
:func:`write_project_plots` builds it and draws its three PNG plots (:mod:`workbench.report.plots`) for the UI.

Match analysis puts every segment (per target language) in one category, the way CAT tools analyse a
project, counting source words: ``repetition`` (the same source text occurred earlier in the project),
``exact`` (TM 100 %), fuzzy TM bands ``fuzzy 95-99`` / ``fuzzy 85-94`` / ``fuzzy 75-84`` / ``fuzzy 50-74``,
``mt``, ``aligned``, ``new``. The category comes from how the translation *started*: the first origin the
store's history records with a text (so a TM match later edited by a person still counts as a TM match), the
TM match % from ``meta["tm"]["match"]`` or the score.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.store import CONFIRMED, STATUSES
from ..qa import check_project, summarise
from ..text.tokens import count_words
from .metrics import post_edit_summary, post_edits
from .plots import write_plots

CATEGORIES = ("repetition", "exact", "fuzzy 95-99", "fuzzy 85-94", "fuzzy 75-84", "fuzzy 50-74", "mt", "aligned",
              "new")


def _tm_match(tr, hist_score: float | None) -> float | None:
    val = tr.tm.match if tr.tm else None
    if val is None:
        val = hist_score
    if val is None:
        return None
    val = float(val)
    return val * 100 if val <= 1.0 else val


def categorise(origin: str | None, match: float | None) -> str:
    """The match-analysis category of a translation that started with ``origin`` (and TM ``match`` %)."""
    if origin == "tm":
        if match is None or match >= 100:
            return "exact"
        for lo, name in ((95, "fuzzy 95-99"), (85, "fuzzy 85-94"), (75, "fuzzy 75-84"), (50, "fuzzy 50-74")):
            if match >= lo:
                return name
        return "new"
    if origin in ("mt", "aligned"):
        return origin
    return "new"


def _first_origin(project, seg_id: int, lang: str, tr) -> str | None:
    for h in project.history(seg_id, lang):
        if (h.new_text or "").strip() and h.new_origin:
            return h.new_origin
    return tr.origin if tr.text.strip() else None


def build_report(project, langs: Iterable[str] | None = None, *, qa: bool = True, glossary=None,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Everything :func:`format_report` prints, as a JSON-ready dict.

    ``progress(done, total)`` is called after each segment is counted, and again for each segment QA checks
    (``total`` is twice the segments when ``qa``).
    """
    langs = project.check_targets(list(langs) if langs is not None else None)
    src = project.source_lang
    segments = project.segments()
    docs = {d.id: d for d in project.documents()}
    seen: set[str] = set()
    words_of: dict[int, int] = {}
    doc_rows: dict[int, dict[str, Any]] = {}
    analysis = {lang: {c: {"segments": 0, "words": 0} for c in CATEGORIES} for lang in langs}
    by_status = {lang: {s: {"segments": 0, "words": 0} for s in STATUSES} for lang in langs}
    steps = len(segments) * (2 if qa else 1)
    for i, seg in enumerate(segments, 1):
        w = count_words(seg.source)
        words_of[seg.id] = w
        key = " ".join(seg.source.split())
        repeated = key in seen
        seen.add(key)
        d = doc_rows.setdefault(seg.document_id, {
            "id": seg.document_id, "title": docs[seg.document_id].title if seg.document_id in docs else "",
            "segments": 0, "source_words": 0,
            "languages": {lang: {"target_words": 0, "translated_segments": 0, "confirmed_segments": 0,
                                 "status": {s: 0 for s in STATUSES}} for lang in langs}})
        d["segments"] += 1
        d["source_words"] += w
        for lang in langs:
            tr = seg.translations.get(lang)
            if tr is None:
                continue
            row = d["languages"][lang]
            row["status"][tr.status] += 1
            if tr.text.strip():
                row["target_words"] += count_words(tr.text)
                row["translated_segments"] += 1
            if tr.status in CONFIRMED:
                row["confirmed_segments"] += 1
            by_status[lang][tr.status]["segments"] += 1
            by_status[lang][tr.status]["words"] += w
            if repeated:
                cat = "repetition"
            else:
                origin = _first_origin(project, seg.id, lang, tr)
                cat = categorise(origin, _tm_match(tr, tr.score if tr.origin == "tm" else None))
            analysis[lang][cat]["segments"] += 1
            analysis[lang][cat]["words"] += w
        if progress is not None:
            progress(i, steps)
    total_words = sum(words_of.values())
    report: dict[str, Any] = {
        "project": project.name, "path": str(project.path), "source_lang": src, "target_langs": langs,
        "segments": len(segments), "source_words": total_words,
        "documents": list(doc_rows.values()),
        "match_analysis": analysis,
        "progress": by_status,
    }
    for lang in langs:
        done = sum(by_status[lang][s]["words"] for s in CONFIRMED)
        report["progress"][lang]["confirmed_words_pct"] = round(100 * done / total_words, 1) if total_words else 0.0
    edits = post_edits(project, langs)
    pe: dict[str, Any] = {}
    for lang in langs:
        mine = [e for e in edits if e.lang == lang]
        pe[lang] = {"project": post_edit_summary(mine),
                    "documents": {str(doc): post_edit_summary([e for e in mine if e.document_id == doc])
                                  for doc in doc_rows if any(e.document_id == doc for e in mine)}}
    report["post_editing"] = pe
    report["post_edit_segments"] = [e.as_dict() for e in edits]
    if qa:
        qa_progress = None if progress is None else (lambda done, total: progress(len(segments) + done, steps))
        findings = check_project(project, langs, glossary=glossary, progress=qa_progress)
        report["qa"] = {lang: summarise(f for f in findings if f.lang == lang) for lang in langs}
        report["qa_total"] = dict(Counter(f.severity for f in findings))
    return report


def format_report(r: dict[str, Any]) -> str:
    out: list[str] = []
    out.append(f"Project {r['project']} ({r['path']}): {r['source_lang']} -> {', '.join(r['target_langs'])}; "
               f"{len(r['documents'])} document(s), {r['segments']} segments, {r['source_words']} source words")
    out.append("")
    out.append("Documents")
    for d in r["documents"]:
        out.append(f"  #{d['id']} {d['title'][:60]}: {d['segments']} segments, {d['source_words']} words")
        for lang, row in d["languages"].items():
            out.append(f"      {lang}: {row['translated_segments']}/{d['segments']} translated, "
                       f"{row['confirmed_segments']} confirmed, {row['target_words']} target words")
    out.append("")
    out.append("Match analysis (source words and segments)")
    header = f"  {'category':12s}" + "".join(f"{lang + ' words':>14s} {'segs':>5s}" for lang in r["target_langs"])
    out.append(header)
    ma = r["match_analysis"]
    for cat in CATEGORIES:
        cells = "".join(f"{ma[lang][cat]['words']:>14d} {ma[lang][cat]['segments']:>5d}" for lang in r["target_langs"])
        out.append(f"  {cat:12s}{cells}")
    totals = "".join(f"{sum(v['words'] for v in ma[lang].values()):>14d} "
                     f"{sum(v['segments'] for v in ma[lang].values()):>5d}" for lang in r["target_langs"])
    out.append(f"  {'total':12s}{totals}")
    out.append("")
    out.append("Progress by status (segments, source words)")
    for lang in r["target_langs"]:
        p = r["progress"][lang]
        cells = ", ".join(f"{s} {p[s]['segments']} ({p[s]['words']} w)" for s in STATUSES)
        out.append(f"  {lang}: {cells}; confirmed {p['confirmed_words_pct']}% of words")
    out.append("")
    out.append("Post-editing of MT drafts (draft -> current text)")
    for lang in r["target_langs"]:
        s = r["post_editing"][lang]["project"]
        if not s.get("segments"):
            out.append(f"  {lang}: no MT drafts in the history")
            continue
        t = s["median_edit_seconds"]
        out.append(f"  {lang}: {s['segments']} segments, {s['changed']} changed, chrF {s['chrF']:.1f}, "
                   f"HTER {s['HTER']:.1f}, BLEU {s['BLEU']:.1f}, mean edit distance {s['mean_edit_distance']:.3f}"
                   + (f", median edit time {t:.0f} s ({s['timed_segments']} timed)" if t is not None else ""))
        for doc, ds in r["post_editing"][lang]["documents"].items():
            out.append(f"      doc #{doc}: {ds['segments']} segments, chrF {ds['chrF']:.1f}, HTER {ds['HTER']:.1f}")
        for name, sig in s["signatures"].items():
            out.append(f"      {name}: {sig}")
    if "qa" in r:
        out.append("")
        total = r.get("qa_total", {})
        out.append("QA findings: " + ", ".join(f"{total.get(s, 0)} {s}" + ("" if s == "info" else "s")
                                          for s in ("error", "warning", "info")))
        for lang in r["target_langs"]:
            for code, sev in sorted(r["qa"][lang].items()):
                out.append(f"  {lang} {code:26s} " + ", ".join(f"{n} {k}" for k, n in sev.items() if n))
    return "\n".join(out) + "\n"


def write_project_plots(project, folder: str | os.PathLike, langs: Iterable[str] | None = None,
                        glossary=None) -> list[Path]:
    """Build the report and draw its plots into ``folder`` (for the UI): the three PNG paths."""
    return write_plots(build_report(project, langs, glossary=glossary), folder)
