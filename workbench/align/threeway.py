"""Three-way view: EN | RU | KM rows pivoting on the source language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.store import Project
from .core import Link, align


@dataclass
class Row:
    """One EN|RU|KM row: sentence indices per language (English is the pivot)."""

    en: tuple[int, ...]
    ru: tuple[int, ...]
    km: tuple[int, ...]
    confidence: dict[str, float] = field(default_factory=dict)


def pivot_rows(n_en: int, ru_links: Sequence[Link], km_links: Sequence[Link]) -> list[Row]:
    """Combine EN-RU and EN-KM links into rows over English: English sentences tied together by either
    alignment share a row; target sentences with no English get a row of their own where they fall."""
    parent = list(range(n_en))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for links in (ru_links, km_links):
        for l in links:
            for a, b in zip(l.src, l.src[1:]):
                parent[find(b)] = find(a)
    groups: dict[int, list[int]] = {}
    for i in range(n_en):
        groups.setdefault(find(i), []).append(i)
    # groups are contiguous because links are
    rows: dict[int, Row] = {g[0]: Row(tuple(g), (), ()) for g in groups.values()}
    head = {i: find_head for find_head in rows for i in rows[find_head].en}
    ordered: list[tuple[float, Row]] = [(float(r.en[0]), r) for r in rows.values()]
    for lang, links in (("ru", ru_links), ("km", km_links)):
        last = -1.0
        for l in links:
            if l.src:
                r = rows[head[l.src[0]]]
                setattr(r, lang, getattr(r, lang) + tuple(l.tgt))
                r.confidence[lang] = min(r.confidence.get(lang, 1.0), float(l.score))
                last = float(l.src[-1])
            else:  # a target sentence with no English: its own row right after the last English seen
                row = Row((), tuple(l.tgt) if lang == "ru" else (), tuple(l.tgt) if lang == "km" else (),
                          {lang: float(l.score)})
                ordered.append((last + 0.5, row))
    ordered.sort(key=lambda x: x[0])
    return [r for _k, r in ordered]


def align_three_way(en: Sequence[str], ru: Sequence[str], km: Sequence[str], **kw: Any) -> list[Row]:
    """Align EN-RU and EN-KM and return EN|RU|KM rows pivoting on English."""
    ru_links = align(en, ru, "en", "ru", **kw)
    km_links = align(en, km, "en", "km", **kw)
    return pivot_rows(len(en), ru_links, km_links)


def three_way(project: Project, document_id: int, langs: Sequence[str] = ("ru", "km")) -> list[dict[str, Any]]:
    """The project view of a document as rows ``{"segment_id", "en", "ru", "km", "confidence": {...}}``:
    the segments are the pivot (each row one segment, with what each language holds now)."""
    rows = []
    for seg in project.segments(document_id):
        row: dict[str, Any] = {"segment_id": seg.id, project.source_lang: seg.source, "confidence": {}}
        for lang in langs:
            tr = seg.translations.get(lang)
            row[lang] = tr.text if tr else ""
            if tr is not None and tr.align is not None:
                row["confidence"][lang] = tr.align.confidence
        rows.append(row)
    return rows
