"""Alignment inside a project: an existing target-language document becomes the translations of a source document.

``align_document(project, document_id, tgt_lang, target)``
    Ingests and segments ``target`` (a file path or the text itself) with the ingest/segment stages, aligns it
    with the document's source segments and writes each aligned pair as a translation with origin
    ``aligned``, status ``draft``, ``score`` = confidence and ``meta["align"]``
    (:class:`~workbench.core.meta.AlignMeta`: ``link`` = ``[[source segment ids], [target sentence indices]]``,
    ``confidence``, ``review`` (confidence below the threshold), ``anchor``).

How n:m links land on source segments (one translation per segment):
    * 1-1 and 1-n: the target sentence(s) become that segment's translation (joined with a space; no space in
      Khmer).
    * n-1 and n-m: the source segments are merged first (``Project.merge_segments``, logged in the segment log
      and undoable in spirit: both source texts are kept there), so the pair that goes to TMX and the TM is
      the true pair. ``merge=False`` keeps the segments and puts the target on the first one; the others get
      ``meta["align"]["part_of"]`` = the first segment's id and no text.
    * 1-0: the segment keeps its (empty) translation and gets ``meta["align"]`` with ``review`` set.
    * 0-1: a target sentence with no source is listed in the document's alignment record
      (``unaligned_targets``) and in the review queue; it is never dropped silently.

Nothing a person saved is overwritten: a translation that is confirmed (translated/reviewed/approved) or was
last written by a person (origin ``human``) keeps its text. The alignment record (target sentences, links,
anchors) is kept as the project setting ``align/<document id>/<lang>``, so ``confirm_link`` can re-align
without the target file.

``accept_aligned`` confirms the confident, unflagged pairs of a document in one go (the editor's "Accept").
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.config import check_lang
from ..core.errors import InputError, NotFound
from ..core.meta import AlignMeta, with_section
from ..core.store import CONFIRMED, Project
from ..text.scripts import sentence_separator
from .core import AlignConfig, Link, align

#: links below this confidence are flagged for review.
REVIEW_THRESHOLD = 0.5
AUTHOR = "aligner"


@dataclass
class AlignResult:
    document_id: int
    lang: str
    links: list[dict[str, Any]]          # {"segments": [...], "target": [...], "confidence": c, "anchor": b}
    written: int = 0                     # translations written
    kept: int = 0                        # segments whose human/confirmed translation was left alone
    merged: int = 0                      # source segment merges done for n-1 / n-m links
    unaligned_targets: list[int] = field(default_factory=list)
    review: int = 0                      # links flagged for review

    def summary(self) -> str:
        return (f"{len(self.links)} links, {self.written} translations written, {self.kept} kept (confirmed or "
                f"edited by a person), {self.merged} segment merges, {self.review} to review, "
                f"{len(self.unaligned_targets)} target sentences without a source")


def _setting_key(document_id: int, lang: str) -> str:
    return f"align/{document_id}/{lang}"


def _join(parts: Sequence[str], lang: str) -> str:
    return sentence_separator(lang).join(p for p in parts if p)


def read_target(target: str | os.PathLike, lang: str, fmt: str | None = None) -> list[tuple[int, str]]:
    """Ingest and segment a target document given as a file path or as text: ``[(paragraph, sentence)]``."""
    from ..ingest.readers import ingest_file, ingest_text
    from ..ingest.segment import segment_paragraphs

    if isinstance(target, os.PathLike) or (isinstance(target, str) and "\n" not in target and len(target) < 4096
                                           and Path(target).suffix and Path(target).exists()):
        doc = ingest_file(target, fmt=fmt)
    else:
        doc = ingest_text(str(target), fmt=fmt or "txt", origin="<target text>")
    sents = segment_paragraphs(doc.paragraphs, lang)
    if not sents:
        raise InputError(f"{getattr(doc, 'origin', 'target')}: no sentences found in the target document")
    return sents


def _is_protected(tr) -> bool:
    return tr is not None and bool(tr.text) and (tr.status in CONFIRMED or tr.origin == "human")


def align_document(project: Project, document_id: int, tgt_lang: str, target: str | os.PathLike | None = None, *,
                   fmt: str | None = None, threshold: float = REVIEW_THRESHOLD, merge: bool = True,
                   embedder: Any = "auto", glossary: Any = None, mt_engine: Any = None,
                   config: AlignConfig | None = None, author: str = AUTHOR, progress=None) -> AlignResult:
    """Align ``target`` (file or text) with a document's source segments and store the pairs (see module doc).

    ``target=None`` re-aligns against the target stored by a previous run, keeping its anchors.
    ``progress(done, total)``: see :func:`workbench.align.core.align`.
    """
    lang = check_lang(tgt_lang)
    project.document(document_id)  # NotFound with a clear message
    if lang == project.source_lang:
        raise InputError(f"{lang} is the project's source language: align a document in a target language")
    record = project.get_setting(_setting_key(document_id, lang))
    if target is None:
        if not record:
            raise NotFound(f"document {document_id} has no {lang} alignment yet: give the {lang} document to align")
        tgt_sents = [s for _p, s in record["target"]]
        tgt_pairs = record["target"]
    else:
        tgt_pairs = [list(x) for x in read_target(target, lang, fmt)]
        tgt_sents = [s for _p, s in tgt_pairs]
        record = None  # a new target document: old anchors refer to other sentences
    if lang not in project.target_langs:
        project.add_target_lang(lang)
    segs = project.segments(document_id)
    pos = {s.id: k for k, s in enumerate(segs)}
    anchors = []
    if record:
        for l in record["links"]:
            if l.get("anchor") and all(sid in pos for sid in l["segments"]):
                anchors.append(([pos[sid] for sid in l["segments"]], list(l["target"])))
    links = align([s.source for s in segs], tgt_sents, project.source_lang, lang, anchors=anchors,
                  embedder=embedder, glossary=glossary, mt_engine=mt_engine, config=config, progress=progress)
    anchored = {(tuple(a), tuple(b)) for a, b in anchors}
    return _write(project, document_id, lang, segs, tgt_pairs, links, anchored, threshold, merge, author)


def _write(project: Project, document_id: int, lang: str, segs, tgt_pairs, links: list[Link], anchored,
           threshold: float, merge: bool, author: str) -> AlignResult:
    tgt_sents = [s for _p, s in tgt_pairs]
    res = AlignResult(document_id, lang, [])
    for link in links:
        is_anchor = (link.src, link.tgt) in anchored
        conf = 1.0 if is_anchor else float(link.score)
        seg_ids = [segs[i].id for i in link.src]
        review = (not is_anchor) and conf < threshold
        info = AlignMeta(link=[seg_ids, list(link.tgt)], confidence=round(conf, 4), review=review, anchor=is_anchor)
        res.links.append({"segments": seg_ids, "target": list(link.tgt), "confidence": round(conf, 4),
                          "anchor": is_anchor})
        res.review += int(review)
        if not link.src:
            res.unaligned_targets.extend(link.tgt)
            continue
        text = _join([tgt_sents[k] for k in link.tgt], lang)
        first = seg_ids[0]
        if len(seg_ids) > 1 and link.tgt:
            if merge:
                for other in seg_ids[1:]:
                    project.merge_segments(first, other, author=author)
                    res.merged += 1
            else:
                for other in seg_ids[1:]:
                    tr = project.translation(other, lang)
                    if _is_protected(tr):
                        res.kept += 1
                        continue
                    part = AlignMeta(info.link, info.confidence, info.review, info.anchor, part_of=first)
                    project.set_translation(other, lang, "", origin="aligned", status="new", score=conf,
                                            meta=with_section(tr.meta, part), author=author, action="align")
        tr = project.translation(first, lang)
        if _is_protected(tr) and not (is_anchor and tr.text == text):
            res.kept += 1
            continue
        status = "translated" if is_anchor else ("draft" if text else "new")
        project.set_translation(first, lang, text, origin="aligned", status=status, score=conf,
                                meta=with_section(tr.meta, info), author=author, action="align")
        res.written += 1
    project.set_setting(_setting_key(document_id, lang), {
        "target": [list(p) for p in tgt_pairs], "links": res.links, "threshold": threshold,
        "unaligned_targets": res.unaligned_targets,
    })
    return res


def alignment_record(project: Project, document_id: int, lang: str) -> dict[str, Any] | None:
    """The stored alignment (target sentences as ``[paragraph, sentence]``, links, unaligned targets)."""
    return project.get_setting(_setting_key(document_id, check_lang(lang)))


def confirm_link(project: Project, document_id: int, tgt_lang: str, segment_id: int,
                 target: Iterable[int] | None = None, *, realign: bool = True, author: str = "user",
                 **kw: Any) -> AlignResult | None:
    """Confirm the link of ``segment_id`` (optionally correcting its target sentence indices) as an anchor.

    The segment's translation becomes the target sentence(s) with status ``translated``; with ``realign`` the
    rest of the document is aligned again around all anchors (only the spans between anchors change).
    """
    lang = check_lang(tgt_lang)
    record = project.get_setting(_setting_key(document_id, lang))
    if not record:
        raise NotFound(f"document {document_id} has no {lang} alignment: align it first")
    project.segment(segment_id)
    link = next((l for l in record["links"] if segment_id in l["segments"]), None)
    if link is None:
        raise NotFound(f"segment {segment_id} is not in the {lang} alignment of document {document_id}")
    tgt = list(link["target"]) if target is None else sorted(int(k) for k in target)
    n_t = len(record["target"])
    if any(k < 0 or k >= n_t for k in tgt):
        raise InputError(f"target sentence out of range: the {lang} document has sentences 0..{n_t - 1}")
    if tgt and tgt != list(range(tgt[0], tgt[0] + len(tgt))):
        raise InputError("the target sentences of a link must be consecutive")
    for l in record["links"]:  # the corrected target leaves any other link
        if l is not link:
            kept = [k for k in l["target"] if k not in tgt]
            if len(kept) != len(l["target"]):
                l["target"], l["anchor"] = kept, False
    link["segments"] = [segment_id]
    link["target"] = tgt
    link["anchor"] = True
    link["confidence"] = 1.0
    project.set_setting(_setting_key(document_id, lang), record)
    text = _join([record["target"][k][1] for k in tgt], lang)
    tr = project.translation(segment_id, lang)
    meta = with_section(tr.meta, AlignMeta(link=[[segment_id], tgt], confidence=1.0, review=False, anchor=True))
    project.set_translation(segment_id, lang, text, origin="aligned" if tr.origin != "human" else "human",
                            status="translated", score=1.0, meta=meta, author=author, action="confirm")
    if realign:
        return align_document(project, document_id, lang, None, **kw)
    return None


def accept_aligned(project: Project, lang: str, document_id: int, min_confidence: float, *,
                   author: str = "user") -> list[int]:
    """Confirm (status ``translated``) every aligned, unconfirmed, non-empty pair of a document whose link
    confidence is at least ``min_confidence`` and that is not flagged for review. Returns the segment ids."""
    lang = project.check_targets([lang])[0]
    done = []
    for seg in project.segments(document_id):
        tr = seg.translations.get(lang)
        if tr is None or tr.confirmed or tr.origin != "aligned" or not tr.text.strip():
            continue
        info = tr.align or AlignMeta()
        if info.review or float(info.confidence) < min_confidence:
            continue
        project.set_translation(seg.id, lang, status="translated", expected_version=tr.version, author=author,
                                action="confirm")
        done.append(seg.id)
    return done


@dataclass
class ReviewItem:
    segment_id: int | None               # None: a target sentence with no source
    lang: str
    confidence: float
    source: str
    target: str
    link: list[list[int]]


def review_queue(project: Project, lang: str, document_id: int | None = None,
                 threshold: float | None = None) -> list[ReviewItem]:
    """Aligned pairs still to check, lowest confidence first (confirmed ones excluded), then target
    sentences that found no source."""
    lang = check_lang(lang)
    items: list[ReviewItem] = []
    for seg in project.segments(document_id):
        tr = seg.translations.get(lang)
        info = tr.align if tr is not None and not tr.confirmed else None
        if info is None:
            continue
        conf = float(info.confidence)
        flagged = conf < threshold if threshold is not None else bool(info.review)
        if flagged and info.part_of is None:
            items.append(ReviewItem(seg.id, lang, conf, seg.source, tr.text, info.link))
    items.sort(key=lambda it: it.confidence)
    docs = [document_id] if document_id is not None else [d.id for d in project.documents()]
    for d in docs:
        rec = project.get_setting(_setting_key(d, lang)) or {}
        for k in rec.get("unaligned_targets", []):
            items.append(ReviewItem(None, lang, 0.0, "", rec["target"][k][1], [[], [k]]))
    return items


# --------------------------------------------------------------------------------------------- three-way


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
    after ``align_document`` for each language, segments are the pivot (n-1 links were merged)."""
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
