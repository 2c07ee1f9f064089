"""What an alignment run would do to a project, computed without writing anything.

:func:`plan_alignment` segments the target document, aligns it with a document's source segments and says for
every link what applying it would do (:class:`PlannedLink.action`):

``write``         the target text becomes a draft of an empty, machine-written or aligner-written translation
``same``          the translation already holds that text
``kept``          the translation was confirmed or edited by a person: it is never overwritten
``merge``         an n-1 / n-m link: a *proposal* to merge source segments; applied only when a person accepts
``untranslated``  a source segment inside the covered span with no target sentence (1-0)
``outside``       a source segment before or after the span the target covers (a partial translation)
``no-source``     a target sentence with no source segment (0-1)

Positions are 1-based (what a person sees: "segment 8"); ``segment_ids`` are the store's ids; target sentences
are indexed from 0 internally (``target``) and numbered from 1 for display (``target_numbers``).
:meth:`AlignPlan.preview` lists exactly the writes :func:`workbench.align.document.apply_alignment` makes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.config import check_lang
from ..core.errors import InputError, NotFound
from ..core.store import CONFIRMED, Project, Translation
from ..text.scripts import sentence_separator
from .core import AlignConfig, align

#: links below this confidence are flagged for review.
REVIEW_THRESHOLD = 0.5
#: what each action means, for display
ACTIONS = {
    "write": "draft written",
    "same": "already there",
    "kept": "kept: confirmed or edited by a person",
    "merge": "merge proposal: applied only when accepted",
    "untranslated": "no translation in the target document",
    "outside": "not covered by the target document",
    "no-source": "target sentence without a source",
}


def record_key(document_id: int, lang: str) -> str:
    """The project setting that holds a document's alignment record for one language."""
    return f"align/{document_id}/{lang}"


def join_sentences(parts: Sequence[str], lang: str) -> str:
    return sentence_separator(lang).join(p for p in parts if p)


def is_protected(tr: Translation | None) -> bool:
    """Confirmed by a person, or written by one: the aligner never overwrites it."""
    return tr is not None and bool(tr.text) and (tr.status in CONFIRMED or tr.origin == "human")


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


@dataclass
class PlannedLink:
    segment_ids: list[int]
    positions: list[int]                  # 1-based positions of the segments in the document
    target: list[int]                     # 0-based indices into AlignPlan.target
    confidence: float
    action: str
    text: str = ""                        # the target text of the link
    current: str = ""                     # the (first) segment's translation now
    version: int | None = None            # its version now (apply refuses when it changed)
    review: bool = False
    anchor: bool = False
    blocked: str = ""                     # a merge proposal that cannot be accepted, and why

    @property
    def target_numbers(self) -> list[int]:
        return [k + 1 for k in self.target]

    @property
    def kind(self) -> str:
        return f"{len(self.segment_ids)}-{len(self.target)}"

    def as_dict(self) -> dict[str, Any]:
        return {"segments": list(self.segment_ids), "target": list(self.target), "confidence": self.confidence,
                "anchor": self.anchor, "action": self.action, "review": self.review}


@dataclass
class PreviewRow:
    """One write an apply would make (or a proposal it would not make without acceptance)."""

    position: int
    segment_id: int
    source: str
    current: str
    new: str
    confidence: float
    action: str


@dataclass
class AlignPlan:
    document_id: int
    lang: str
    threshold: float
    target: list[list[Any]]               # [[paragraph, sentence], ...]
    links: list[PlannedLink]
    sources: dict[int, str] = field(default_factory=dict)   # segment id -> source text at planning time
    order: list[int] = field(default_factory=list)          # segment ids in document order at planning time
    covered: tuple[int, int] | None = None                  # 1-based first/last covered source position
    anchors: list[tuple[list[int], list[int]]] = field(default_factory=list)

    @property
    def writes(self) -> list[PlannedLink]:
        return [l for l in self.links if l.action == "write"]

    @property
    def proposals(self) -> list[PlannedLink]:
        """Merge proposals, in document order; ``apply_alignment(..., merges=[k])`` refers to them by index."""
        return [l for l in self.links if l.action == "merge"]

    def count(self, action: str) -> int:
        return sum(l.action == action for l in self.links)

    def preview(self, *, proposals: bool = False) -> list[PreviewRow]:
        """Exactly the translations an apply writes (``proposals=True``: also what accepting each merge
        proposal would write, on the first segment of the proposal)."""
        rows = []
        for l in self.links:
            if l.action == "write" or (proposals and l.action == "merge"):
                sid = l.segment_ids[0]
                rows.append(PreviewRow(l.positions[0], sid, " ".join(self.sources[s] for s in l.segment_ids),
                                       l.current, l.text, l.confidence, l.action))
        return rows

    def summary(self) -> str:
        n_src = len(self.order)
        cov = (f"target covers segments {self.covered[0]}-{self.covered[1]} of {n_src}" if self.covered
               else f"target covers none of the {n_src} segments")
        return (f"{cov}; {self.count('write')} drafts to write, {self.count('same')} unchanged, "
                f"{self.count('kept')} kept (confirmed or edited by a person), {self.count('merge')} merge "
                f"proposals, {sum(l.review for l in self.links if l.action == 'write')} to review, "
                f"{sum(len(l.segment_ids) for l in self.links if l.action == 'untranslated')} source sentences "
                f"without a translation, {sum(len(l.target) for l in self.links if l.action == 'no-source')} "
                f"target sentences without a source")


def plan_alignment(project: Project, document_id: int, tgt_lang: str, target: str | os.PathLike | None = None, *,
                   fmt: str | None = None, threshold: float = REVIEW_THRESHOLD, embedder: Any = "auto",
                   glossary: Any = None, mt_engine: Any = None, config: AlignConfig | None = None,
                   progress=None) -> AlignPlan:
    """Align ``target`` (a file, text, or ``None`` for the stored target and its anchors) with a document's
    segments and return what applying it would do. Nothing is written."""
    lang = check_lang(tgt_lang)
    project.document(document_id)  # NotFound with a clear message
    if lang == project.source_lang:
        raise InputError(f"{lang} is the project's source language: align a document in a target language")
    record = project.get_setting(record_key(document_id, lang))
    if target is None:
        if not record:
            raise NotFound(f"document {document_id} has no {lang} alignment yet: give the {lang} document to align")
        tgt_pairs = [list(p) for p in record["target"]]
    else:
        tgt_pairs = [list(x) for x in read_target(target, lang, fmt)]
        record = None  # a new target document: old anchors refer to other sentences
    tgt_sents = [s for _p, s in tgt_pairs]
    segs = project.segments(document_id)
    pos = {s.id: k for k, s in enumerate(segs)}
    anchors: list[tuple[list[int], list[int]]] = []
    if record:
        for l in record.get("links", []):
            if l.get("anchor") and l["segments"] and all(sid in pos for sid in l["segments"]):
                anchors.append(([pos[sid] for sid in l["segments"]], list(l["target"])))
    links = align([s.source for s in segs], tgt_sents, project.source_lang, lang, anchors=anchors,
                  embedder=embedder, glossary=glossary, mt_engine=mt_engine, config=config, progress=progress)
    anchored = {(tuple(a), tuple(b)) for a, b in anchors}
    with_both = [k for k, l in enumerate(links) if l.src and l.tgt]
    covered = None
    lo_link = hi_link = -1
    if with_both:
        lo_link, hi_link = with_both[0], with_both[-1]
        covered = (links[lo_link].src[0] + 1, links[hi_link].src[-1] + 1)
    planned: list[PlannedLink] = []
    for k, link in enumerate(links):
        ids = [segs[i].id for i in link.src]
        positions = [i + 1 for i in link.src]
        text = join_sentences([tgt_sents[j] for j in link.tgt], lang)
        is_anchor = (link.src, link.tgt) in anchored
        conf = 1.0 if is_anchor else round(float(link.score), 4)
        pl = PlannedLink(ids, positions, list(link.tgt), conf, "", text, anchor=is_anchor)
        if not link.src:
            pl.action = "no-source"
        elif not link.tgt:
            pl.action = "outside" if (k < lo_link or k > hi_link or lo_link < 0) else "untranslated"
        else:
            tr = segs[link.src[0]].translations.get(lang)
            pl.current = tr.text if tr else ""
            pl.version = tr.version if tr else None
            if len(ids) > 1:
                pl.action = "merge"
                blockers = [segs[i] for i in link.src
                            if any(is_protected(t) for t in segs[i].translations.values())]
                if blockers:
                    pl.blocked = ("segment " + ", ".join(str(s.position + 1) for s in blockers)
                                  + " is confirmed or edited by a person: it is never merged")
            elif tr is not None and tr.text == text and (is_protected(tr) or tr.origin == "aligned"):
                pl.action = "same"
            elif is_protected(tr):
                pl.action = "kept"
            else:
                pl.action = "write"
        pl.review = (not is_anchor) and pl.action in ("write", "merge", "same") and conf < threshold
        planned.append(pl)
    return AlignPlan(document_id, lang, threshold, tgt_pairs, planned, {s.id: s.source for s in segs},
                     [s.id for s in segs], covered, anchors)
