"""Project statistics: words and segments, match analysis, progress, QA findings, post-editing; PNG plots.

:func:`build_report` returns a JSON-ready dict; :func:`format_report` renders it as text;
:func:`write_plots` draws three PNG files (matplotlib, Agg backend) that the UI can show.

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
from pathlib import Path
from typing import Any, Iterable

from ..core.config import check_lang
from ..core.errors import InputError
from .metrics import post_edit_summary, post_edits
from ..qa.checks import check_project, count_words, summarise
from ..core.store import CONFIRMED, STATUSES

CATEGORIES = ("repetition", "exact", "fuzzy 95-99", "fuzzy 85-94", "fuzzy 75-84", "fuzzy 50-74", "mt", "aligned",
              "new")
PLOT_FILES = ("edit_distance.png", "progress.png", "qa_findings.png")


def _tm_match(tr, hist_score: float | None) -> float | None:
    tm = (tr.meta or {}).get("tm") if isinstance(tr.meta, dict) else None
    val = tm.get("match") if isinstance(tm, dict) else None
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
                 progress=None) -> dict[str, Any]:
    """Everything :func:`format_report` prints, as a JSON-ready dict.

    ``progress(done, total)`` is called per segment (counted twice with ``qa``: statistics, then checks).
    """
    langs = [check_lang(l) for l in (langs or project.target_langs)]
    for lang in langs:
        if lang not in project.target_langs:
            raise InputError(f"{project.path}: {lang} is not a target language of this project "
                             f"(it has {', '.join(project.target_langs)})")
    src = project.source_lang
    segments = project.segments()
    docs = {d.id: d for d in project.documents()}
    seen: set[str] = set()
    words_of: dict[int, int] = {}
    doc_rows: dict[int, dict[str, Any]] = {}
    analysis = {lang: {c: {"segments": 0, "words": 0} for c in CATEGORIES} for lang in langs}
    by_status = {lang: {s: {"segments": 0, "words": 0} for s in STATUSES} for lang in langs}
    steps = len(segments) * (2 if qa else 1)
    for k, seg in enumerate(segments):
        if progress is not None:
            progress(k, steps)
        w = count_words(seg.source, src)
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
                row["target_words"] += count_words(tr.text, lang)
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
    if progress is not None:
        progress(len(segments), steps)
    if qa:
        findings = check_project(project, langs, glossary=glossary, progress=None if progress is None else (
            lambda done, n: progress(len(segments) + done, steps)))
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
    for cat in CATEGORIES:
        cells = "".join(f"{r['match_analysis'][lang][cat]['words']:>14d} {r['match_analysis'][lang][cat]['segments']:>5d}"
                        for lang in r["target_langs"])
        out.append(f"  {cat:12s}{cells}")
    totals = "".join(f"{sum(v['words'] for v in r['match_analysis'][lang].values()):>14d} "
                     f"{sum(v['segments'] for v in r['match_analysis'][lang].values()):>5d}" for lang in r["target_langs"])
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


def write_plots(report: dict[str, Any], folder: str | os.PathLike) -> list[Path]:
    """Draw ``edit_distance.png``, ``progress.png`` and ``qa_findings.png`` into ``folder``; return the paths."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the plot folder ({exc.strerror})") from None
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    langs = report["target_langs"]
    paths: list[Path] = []

    def save(fig, name: str) -> None:
        path = folder / name
        tmp = folder / (name + ".tmp.png")
        fig.tight_layout()
        fig.savefig(tmp, dpi=100)
        plt.close(fig)
        os.replace(tmp, path)
        paths.append(path)

    # 1. edit-distance distribution
    fig, ax = plt.subplots(figsize=(6, 3.5))
    bins = [i / 10 for i in range(11)]
    series = [(lang, [e["edit_distance"] for e in report["post_edit_segments"] if e["lang"] == lang])
              for lang in langs]
    series = [(lang, vals) for lang, vals in series if vals]
    if series:  # grouped bars, one colour per language
        ax.hist([v for _, v in series], bins=bins, label=[f"{lang} (n={len(v)})" for lang, v in series])
        ax.legend()
    else:
        ax.text(0.5, 0.5, "no MT drafts in the history yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("normalised edit distance, MT draft -> current text (0 = unchanged)")
    ax.set_ylabel("segments")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Post-editing effort")
    save(fig, "edit_distance.png")

    # 2. progress by status
    fig, ax = plt.subplots(figsize=(7, 1.4 + 0.6 * len(langs)))
    colors = {"new": "#cccccc", "draft": "#f0b429", "translated": "#7cb7e8", "reviewed": "#3d7cc9",
              "approved": "#2f9e44"}
    left = [0] * len(langs)
    for status in STATUSES:
        vals = [report["progress"][lang][status]["segments"] for lang in langs]
        ax.barh(langs, vals, left=left, color=colors[status], label=status)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_xlabel("segments")
    ax.set_title("Progress by status")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
    save(fig, "progress.png")

    # 3. QA findings by type
    qa = report.get("qa") or {}
    codes = sorted({c for lang in qa for c in qa[lang]})
    fig, ax = plt.subplots(figsize=(6, 1.5 + 0.35 * max(1, len(codes))))
    if codes:
        left = [0] * len(codes)
        for sev, color in (("error", "#d9480f"), ("warning", "#f59f00"), ("info", "#74c0fc")):
            vals = [sum(qa[lang].get(c, {}).get(sev, 0) for lang in qa) for c in codes]
            ax.barh(codes, vals, left=left, color=color, label=sev)
            left = [a + b for a, b in zip(left, vals)]
        ax.legend(fontsize="small")
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.text(0.5, 0.5, "no QA findings" if "qa" in report else "QA not run", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlabel("findings (all target languages)")
    ax.set_title("QA findings by type")
    save(fig, "qa_findings.png")
    return paths


def write_project_plots(project, folder: str | os.PathLike, langs: Iterable[str] | None = None,
                        glossary=None) -> list[Path]:
    """Build the report and draw its plots into ``folder`` (for the UI): the three PNG paths."""
    return write_plots(build_report(project, langs, glossary=glossary), folder)
