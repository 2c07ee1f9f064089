"""Alignment inside a project: an existing target-language document becomes drafts of a source document's
translations, without ever damaging the project.

* :func:`~workbench.align.plan.plan_alignment` computes what a run would do and writes nothing;
  ``plan.preview()`` is exactly what :func:`apply_alignment` writes.
* :func:`apply_alignment` writes drafts (origin ``aligned``, status ``draft``, ``score`` = confidence,
  ``meta["align"]`` = :class:`~workbench.core.meta.AlignMeta` with the link, confidence, review flag and the
  run id) only on segments whose translation is empty or machine-written. It never merges or splits segments
  unless merge proposals are accepted (``merges=``), never touches a translation that is confirmed or was edited
  by a person, and writes nothing (not even a history entry) for a segment that gets no target text.
* A run (what each write replaced, the merges it applied, the alignment record before it) is kept in the project
  setting ``align-runs/<document id>/<lang>``; :func:`undo_alignment` reverts a whole run in one call.
* Merge proposals (n-1 / n-m links) are listed in the alignment record and the review list
  (:mod:`workbench.align.review`); :func:`accept_proposal` applies one, :func:`reject_proposal` drops it.
* :func:`confirm_link` makes a link an anchor and re-aligns the rest; :func:`accept_aligned` confirms the
  confident, unflagged pairs (the editor's *Accept*).

The alignment record (target sentences, links, proposals, covered span) is the project setting
``align/<document id>/<lang>`` (:func:`alignment_record`), so re-alignment needs no target file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.config import check_lang
from ..core.errors import InputError, NotFound, VersionConflict
from ..core.meta import AlignMeta, with_section
from ..core.store import Project, now_iso
from .core import AlignConfig
from .plan import (
    REVIEW_THRESHOLD,
    AlignPlan,
    PlannedLink,
    is_protected,
    join_sentences,
    plan_alignment,
    read_target,
    record_key,
)
from .review import ReviewItem, review_list, review_queue
from .threeway import Row, align_three_way, pivot_rows, three_way

__all__ = ["AUTHOR", "REVIEW_THRESHOLD", "AlignPlan", "AlignResult", "ReviewItem", "Row", "UndoResult",
           "accept_aligned", "accept_proposal", "align_document", "align_three_way", "alignment_record",
           "alignment_runs", "apply_alignment", "confirm_link", "pivot_rows", "plan_alignment", "read_target",
           "reject_proposal", "review_list", "review_queue", "three_way", "undo_alignment"]

AUTHOR = "aligner"
#: how many runs per document and language are kept for undo
KEEP_RUNS = 50


@dataclass
class AlignResult:
    document_id: int
    lang: str
    links: list[dict[str, Any]]          # {"segments", "target", "confidence", "anchor", "action", "review"}
    written: int = 0                     # translations written
    kept: int = 0                        # links whose segment holds a confirmed or person-edited translation
    merged: int = 0                      # segment merges applied (accepted proposals only)
    proposals: int = 0                   # merge proposals left for a person to decide
    unaligned_targets: list[int] = field(default_factory=list)
    review: int = 0                      # written links flagged for review
    run_id: int | None = None
    covered: tuple[int, int] | None = None

    def summary(self) -> str:
        cov = f"segments {self.covered[0]}-{self.covered[1]} covered, " if self.covered else "nothing covered, "
        return (f"{cov}{self.written} drafts written, {self.kept} kept (confirmed or edited by a person), "
                f"{self.proposals} merge proposals to review, {self.merged} merges applied, {self.review} to "
                f"review, {len(self.unaligned_targets)} target sentences without a source")


@dataclass
class UndoResult:
    run_id: int
    restored: list[int] = field(default_factory=list)        # segment ids whose translation was restored
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (segment id, why) left as they are
    split: list[int] = field(default_factory=list)           # ids of the segments re-created by splitting

    def summary(self) -> str:
        out = f"alignment run {self.run_id} undone: {len(self.restored)} translations restored"
        if self.split:
            out += f", {len(self.split)} merged segments split again"
        if self.skipped:
            out += f", {len(self.skipped)} left as they are (changed since)"
        return out


def alignment_record(project: Project, document_id: int, lang: str) -> dict[str, Any] | None:
    """The stored alignment: ``target`` (``[paragraph, sentence]``), ``links``, ``proposals``, ``covered``,
    ``unaligned_targets``, ``run``."""
    return project.get_setting(record_key(document_id, check_lang(lang)))


def _runs_key(document_id: int, lang: str) -> str:
    return f"align-runs/{document_id}/{lang}"


def alignment_runs(project: Project, document_id: int, lang: str) -> list[dict[str, Any]]:
    """The runs of a document and language, oldest first: ``id``, ``kind`` (align, merge, reject, confirm),
    ``at``, ``author``, ``writes``, ``merges``, ``undone``."""
    return project.get_setting(_runs_key(document_id, check_lang(lang))) or []


def _state(tr) -> dict[str, Any]:
    return {"text": tr.text, "origin": tr.origin, "status": tr.status, "score": tr.score, "meta": tr.meta}


class _Run:
    """Collects what one run changes, then stores it next to the others."""

    def __init__(self, project: Project, document_id: int, lang: str, kind: str, author: str):
        self.project, self.doc, self.lang, self.author = project, document_id, lang, author
        runs = alignment_runs(project, document_id, lang)
        self.id = max((r["id"] for r in runs), default=0) + 1
        self.data: dict[str, Any] = {"id": self.id, "kind": kind, "at": now_iso(), "author": author, "writes": [],
                                     "merges": [], "undone": False,
                                     "record_before": project.get_setting(record_key(document_id, lang))}

    def write(self, segment_id: int, text: str, *, confidence: float, link: list[list[int]], review: bool,
              anchor: bool = False, status: str = "draft", expected_version: int | None = None,
              action: str = "align", origin: str = "aligned") -> None:
        tr = self.project.translation(segment_id, self.lang)
        info = AlignMeta(link=link, confidence=round(confidence, 4), review=review, anchor=anchor,
                         extra={"run": self.id})
        new = self.project.set_translation(segment_id, self.lang, text, origin=origin, status=status,
                                           score=round(confidence, 4), meta=with_section(tr.meta, info),
                                           expected_version=expected_version, author=self.author, action=action)
        self.data["writes"].append({"segment": segment_id, "before": _state(tr), "version": new.version})

    def merge(self, segment_ids: Sequence[int]) -> int:
        """Merge consecutive segments (recorded so that undo can split them again); returns the first id."""
        segs = [self.project.segment(s) for s in segment_ids]
        before = {str(s.id): {l: _state(t) for l, t in s.translations.items()} for s in segs}
        first = segs[0].id
        for other in segs[1:]:
            self.project.merge_segments(first, other.id, author=self.author)
        self.data["merges"].append({"segment": first, "removed": [s.id for s in segs[1:]],
                                    "sources": [s.source for s in segs], "before": before,
                                    "merged_source": self.project.segment(first).source})
        return first

    def save(self) -> None:
        runs = alignment_runs(self.project, self.doc, self.lang)
        runs.append(self.data)
        self.project.set_setting(_runs_key(self.doc, self.lang), runs[-KEEP_RUNS:])


def _record(plan: AlignPlan, run_id: int, links: list[PlannedLink]) -> dict[str, Any]:
    return {
        "target": [list(p) for p in plan.target],
        "links": [l.as_dict() for l in links],
        "proposals": [{"segments": l.segment_ids, "target": l.target, "confidence": l.confidence,
                       "text": l.text, "blocked": l.blocked} for l in links if l.action == "merge"],
        "covered": list(plan.covered) if plan.covered else None,
        "unaligned_targets": [k for l in links if l.action == "no-source" for k in l.target],
        "threshold": plan.threshold,
        "run": run_id,
    }


def _check_fresh(project: Project, plan: AlignPlan) -> None:
    segs = project.segments(plan.document_id)
    if [s.id for s in segs] != plan.order or any(plan.sources.get(s.id) != s.source for s in segs):
        raise VersionConflict(f"document {plan.document_id} changed since the alignment was previewed (segments "
                              "merged, split or edited): preview it again")
    by_id = {s.id: s for s in segs}
    for l in plan.writes:
        tr = by_id[l.segment_ids[0]].translations.get(plan.lang)
        if tr is None or tr.version != l.version:
            who = getattr(tr, "updated_by", None) or "someone"
            raise VersionConflict(f"segment {l.positions[0]} ({plan.lang}) was changed by {who} since the "
                                  "alignment was previewed: preview it again")


def apply_alignment(project: Project, plan: AlignPlan, *, author: str = AUTHOR,
                    merges: Iterable[int] | str = ()) -> AlignResult:
    """Write what ``plan`` says (its ``write`` links) and, when ``merges`` lists accepted proposals (indices into
    ``plan.proposals``, or ``"all"``), apply those merges. Refuses a plan made stale by later changes."""
    _check_fresh(project, plan)
    proposals = plan.proposals
    accept = set(range(len(proposals))) if merges == "all" else {int(k) for k in merges}
    for k in sorted(accept):
        if not 0 <= k < len(proposals):
            raise InputError(f"there is no merge proposal {k + 1}: the plan has {len(proposals)}")
        if proposals[k].blocked and merges != "all":
            raise InputError(f"merge proposal {k + 1} cannot be accepted: {proposals[k].blocked}")
    if plan.lang not in project.target_langs:
        project.add_target_lang(plan.lang)
    run = _Run(project, plan.document_id, plan.lang, "align", author)
    res = AlignResult(plan.document_id, plan.lang, [], run_id=run.id, covered=plan.covered)
    links: list[PlannedLink] = []
    for l in plan.links:
        if l.action == "write":
            run.write(l.segment_ids[0], l.text, confidence=l.confidence, link=[l.segment_ids, l.target],
                      review=l.review, anchor=l.anchor, expected_version=l.version)
            res.written += 1
            res.review += int(l.review)
        elif l.action == "merge" and proposals.index(l) in accept and not l.blocked:
            first = run.merge(l.segment_ids)
            run.write(first, l.text, confidence=l.confidence, link=[[first], l.target], review=l.review)
            res.merged += len(l.segment_ids) - 1
            res.written += 1
            l = PlannedLink([first], l.positions[:1], l.target, l.confidence, "write", l.text, review=l.review)
        elif l.action == "kept":
            res.kept += 1
        links.append(l)
    rec = _record(plan, run.id, links)
    project.set_setting(record_key(plan.document_id, plan.lang), rec)
    run.save()
    res.links = rec["links"]
    res.proposals = len(rec["proposals"])
    res.unaligned_targets = rec["unaligned_targets"]
    return res


def align_document(project: Project, document_id: int, tgt_lang: str, target: str | os.PathLike | None = None, *,
                   fmt: str | None = None, threshold: float = REVIEW_THRESHOLD, merge: bool = False,
                   embedder: Any = "auto", glossary: Any = None, mt_engine: Any = None,
                   config: AlignConfig | None = None, author: str = AUTHOR, progress=None) -> AlignResult:
    """Plan and apply in one call (see the module doc). ``merge=True`` also applies the merge proposals that
    no confirmed or person-edited segment blocks. ``target=None`` re-aligns against the stored target."""
    plan = plan_alignment(project, document_id, tgt_lang, target, fmt=fmt, threshold=threshold, embedder=embedder,
                          glossary=glossary, mt_engine=mt_engine, config=config, progress=progress)
    return apply_alignment(project, plan, author=author, merges="all" if merge else ())


# ------------------------------------------------------------------------------------------------ undo


def undo_alignment(project: Project, document_id: int, lang: str, run_id: int | None = None, *,
                   author: str = "user") -> UndoResult:
    """Revert a whole run (the latest one not yet undone when ``run_id`` is None): every translation it wrote
    that nobody changed since gets its previous text, status, origin and notes back (history action ``undo``),
    merges it applied are split again, and the alignment record goes back to what it was."""
    lang = check_lang(lang)
    runs = alignment_runs(project, document_id, lang)
    live = [r for r in runs if not r.get("undone")]
    if run_id is None:
        if not live:
            raise NotFound(f"document {document_id} has no {lang} alignment to undo")
        run = live[-1]
    else:
        run = next((r for r in runs if r["id"] == run_id), None)
        if run is None:
            raise NotFound(f"document {document_id} has no {lang} alignment run {run_id}")
        if run.get("undone"):
            raise InputError(f"alignment run {run_id} of document {document_id} ({lang}) is already undone")
    res = UndoResult(run["id"])
    for w in reversed(run["writes"]):
        sid = w["segment"]
        try:
            cur = project.translation(sid, lang)
        except NotFound:
            res.skipped.append((sid, "the segment no longer exists"))
            continue
        if cur.version != w["version"]:
            res.skipped.append((sid, f"changed since by {cur.updated_by or 'someone'}"))
            continue
        _restore(project, sid, lang, w["before"], author, cur.version)
        res.restored.append(sid)
    remap: dict[int, int] = {}
    for m in reversed(run["merges"]):
        remap.update(_unmerge(project, m, author, res))
    run["undone"] = True
    run["undone_at"] = now_iso()
    record = run.get("record_before")
    if remap:  # segments split again have new ids: the record and the other runs follow them
        record = _remap(record, remap)
        runs = [_remap(r, remap) for r in runs]
    project.set_setting(record_key(document_id, lang), record)
    project.set_setting(_runs_key(document_id, lang), runs)
    return res


def _remap(data: Any, ids: dict[int, int]) -> Any:
    """``data`` (a record or a run) with segment ids replaced after an undone merge gave them new ids."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k in ("segments", "removed") and isinstance(v, list):
                out[k] = [ids.get(x, x) for x in v]
            elif k == "segment" and isinstance(v, int):
                out[k] = ids.get(v, v)
            elif k == "link" and isinstance(v, list) and v and isinstance(v[0], list):
                out[k] = [[ids.get(x, x) for x in v[0]], *v[1:]]
            else:
                out[k] = _remap(v, ids)
        return out
    if isinstance(data, list):
        return [_remap(v, ids) for v in data]
    return data


def _restore(project: Project, segment_id: int, lang: str, state: dict[str, Any], author: str,
             version: int | None = None) -> None:
    project.set_translation(segment_id, lang, state["text"], origin=state["origin"] or "", status=state["status"],
                            score=state["score"], meta=state["meta"], expected_version=version, author=author,
                            action="undo")


def _unmerge(project: Project, m: dict[str, Any], author: str, res: UndoResult) -> dict[int, int]:
    """Split a merged segment again and restore the translations of its parts; returns old id -> new id."""
    first = m["segment"]
    try:
        seg = project.segment(first)
    except NotFound:
        res.skipped.append((first, "the merged segment no longer exists"))
        return {}
    if seg.source != m["merged_source"]:
        res.skipped.append((first, "the merged segment was edited or split since: not split again"))
        return {}
    sources = m["sources"]
    # split from the end: each split leaves the first pieces joined in the first segment
    new_ids: list[int] = []
    for k in range(len(sources) - 1, 0, -1):
        joined = project.segment(first).source
        offset = len(joined) - len(sources[k])
        if joined[offset:] != sources[k]:
            res.skipped.append((first, "the merged text no longer ends with the merged sentence: not split"))
            return {}
        _left, right = project.split_segment(first, offset, author=author)
        new_ids.insert(0, right.id)
    ids = [first, *new_ids]
    old_ids = [str(first), *[str(r) for r in m["removed"]]]
    for sid, old in zip(ids, old_ids):
        for lang, state in m["before"].get(old, {}).items():
            cur = project.translation(sid, lang)
            if (cur.text, cur.status, cur.origin) != (state["text"], state["status"], state["origin"]):
                _restore(project, sid, lang, state, author)
    res.split.extend(new_ids)
    return dict(zip(m["removed"], new_ids))


# ------------------------------------------------------------------------------------------- proposals


def _proposal(record: dict[str, Any] | None, document_id: int, lang: str, proposal: int) -> dict[str, Any]:
    props = (record or {}).get("proposals") or []
    if not 0 <= proposal < len(props):
        raise NotFound(f"document {document_id} has no {lang} merge proposal {proposal + 1} "
                       f"({len(props)} proposals): align it again")
    return props[proposal]


def accept_proposal(project: Project, document_id: int, lang: str, proposal: int, *,
                    author: str = "user") -> AlignResult:
    """Accept merge proposal ``proposal`` (its index in the record / ``ReviewItem.proposal``): its segments are
    merged and get the target text as a draft. Refused when a segment in it is confirmed or edited by a person
    or the segments are no longer as proposed. A run of its own (undoable)."""
    lang = check_lang(lang)
    record = alignment_record(project, document_id, lang)
    prop = _proposal(record, document_id, lang, proposal)
    segs = {s.id: s for s in project.segments(document_id)}
    order = [s.id for s in project.segments(document_id)]
    ids = prop["segments"]
    if not all(i in segs for i in ids) or order[order.index(ids[0]):order.index(ids[0]) + len(ids)] != ids:
        raise InputError(f"merge proposal {proposal + 1}: its segments were changed since; align again")
    for i in ids:
        if any(is_protected(t) for t in segs[i].translations.values()):
            raise InputError(f"merge proposal {proposal + 1}: segment {order.index(i) + 1} is confirmed or edited "
                             "by a person, and such segments are never merged")
    run = _Run(project, document_id, lang, "merge", author)
    first = run.merge(ids)
    run.write(first, prop["text"], confidence=prop["confidence"], link=[[first], prop["target"]], review=False)
    record = dict(record)
    record["proposals"] = [p for k, p in enumerate(record["proposals"]) if k != proposal]
    for l in record["links"]:
        if l["segments"] == ids:
            l.update(segments=[first], action="write", review=False)
    record["run"] = run.id
    project.set_setting(record_key(document_id, lang), record)
    run.save()
    return AlignResult(document_id, lang, record["links"], written=1, merged=len(ids) - 1,
                       proposals=len(record["proposals"]), run_id=run.id,
                       covered=tuple(record["covered"]) if record.get("covered") else None,
                       unaligned_targets=record.get("unaligned_targets", []))


def reject_proposal(project: Project, document_id: int, lang: str, proposal: int, *, author: str = "user") -> None:
    """Drop merge proposal ``proposal``: its segments stay as they are, with no text from the target document."""
    lang = check_lang(lang)
    record = alignment_record(project, document_id, lang)
    prop = _proposal(record, document_id, lang, proposal)
    run = _Run(project, document_id, lang, "reject", author)
    record = dict(record)
    record["proposals"] = [p for k, p in enumerate(record["proposals"]) if k != proposal]
    for l in record["links"]:
        if l["segments"] == prop["segments"]:
            l.update(action="rejected", review=False)
    project.set_setting(record_key(document_id, lang), record)
    run.save()


# ------------------------------------------------------------------------------------------- confirm, accept


def confirm_link(project: Project, document_id: int, tgt_lang: str, segment_id: int,
                 target: Iterable[int] | None = None, *, realign: bool = True, author: str = "user",
                 **kw: Any) -> AlignResult | None:
    """Confirm the link of ``segment_id`` (optionally correcting its 0-based target sentence indices) as an
    anchor: the segment's translation becomes the target sentence(s) with status ``translated``; with
    ``realign`` the rest of the document is aligned again around all anchors (only the spans between anchors
    change, and only as :func:`apply_alignment` may)."""
    lang = check_lang(tgt_lang)
    record = alignment_record(project, document_id, lang)
    if not record:
        raise NotFound(f"document {document_id} has no {lang} alignment: align it first")
    project.segment(segment_id)
    link = next((l for l in record["links"] if segment_id in l["segments"]), None)
    if link is None:
        raise NotFound(f"segment {segment_id} is not in the {lang} alignment of document {document_id}")
    if target is None and len(link["segments"]) > 1:
        raise InputError(f"segment {segment_id} is part of a merge proposal: accept the proposal (it merges the "
                         "segments) or say which target sentences belong to this segment alone")
    tgt = list(link["target"]) if target is None else sorted(int(k) for k in target)
    n_t = len(record["target"])
    if any(k < 0 or k >= n_t for k in tgt):
        raise InputError(f"target sentence out of range: the {lang} document has sentences 1..{n_t} "
                         f"(indices 0..{n_t - 1})")
    if tgt and tgt != list(range(tgt[0], tgt[0] + len(tgt))):
        raise InputError("the target sentences of a link must be consecutive")
    tr = project.translation(segment_id, lang)
    if tr.origin == "human" and tr.text and tr.text != join_sentences([record["target"][k][1] for k in tgt], lang):
        raise InputError(f"segment {segment_id} holds a translation edited by a person: it is not replaced "
                         "by the aligned text")
    run = _Run(project, document_id, lang, "confirm", author)
    record = dict(record)
    links = []
    for l in record["links"]:
        if l is link:
            l = {"segments": [segment_id], "target": tgt, "confidence": 1.0, "anchor": True, "action": "same",
                 "review": False}
        else:
            kept = [k for k in l["target"] if k not in tgt]
            if len(kept) != len(l["target"]):
                l = {**l, "target": kept, "anchor": False}
        links.append(l)
    record["links"] = links
    record["run"] = run.id
    text = join_sentences([record["target"][k][1] for k in tgt], lang)
    run.write(segment_id, text, confidence=1.0, link=[[segment_id], tgt], review=False, anchor=True,
              status="translated", action="confirm", origin="human" if tr.origin == "human" else "aligned")
    project.set_setting(record_key(document_id, lang), record)
    run.save()
    if realign:
        return align_document(project, document_id, lang, None, author=author, **kw)
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
