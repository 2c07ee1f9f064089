"""The review list of a document's alignment: what a person should look at, most doubtful first.

``review_list(project, document_id, lang)`` gives

* ``items``: written links below the review threshold and every merge proposal, lowest confidence first
  (confidence is the calibrated probability that the link is right);
* ``groups``: the sentences that need one decision each as a group, not one row per sentence: source sentences
  without a translation inside the covered span, source segments the target does not cover (a partial
  translation), target sentences without a source.

Segment positions and target sentence numbers are 1-based (what a person sees); ids are labelled as ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.config import check_lang
from ..core.store import Project
from .plan import record_key

GROUP_TITLES = {
    "untranslated": "Source sentences without a translation",
    "outside": "Source segments not covered by the target document",
    "no-source": "Target sentences without a source",
}


@dataclass
class ReviewItem:
    segment_id: int | None               # the first segment's id; None: a target sentence with no source
    lang: str
    confidence: float
    source: str
    target: str
    link: list[list[int]]                # [[segment ids], [0-based target sentence indices]]
    kind: str = "link"                   # "link" (a written draft) | "merge" (a proposal) | "no-source"
    segment_ids: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)       # 1-based positions in the document
    target_numbers: list[int] = field(default_factory=list)  # 1-based target sentence numbers
    current: str = ""                    # the first segment's translation now
    proposal: int | None = None          # index of a merge proposal (for accept_proposal / reject_proposal)
    blocked: str = ""                    # why a merge proposal cannot be accepted

    @property
    def label(self) -> str:
        """``segment 8 (id 14)``, ``segments 3-5 (ids 12, 13, 14)``, ``target sentence 9``."""
        if not self.positions:
            return "target sentence" + ("s " if len(self.target_numbers) > 1 else " ") + _ranges(self.target_numbers)
        ids = ", ".join(str(i) for i in self.segment_ids)
        if len(self.positions) == 1:
            return f"segment {self.positions[0]} (id {ids})"
        return f"segments {_ranges(self.positions)} (ids {ids})"


@dataclass
class ReviewGroup:
    kind: str                            # "untranslated" | "outside" | "no-source"
    title: str
    positions: list[int] = field(default_factory=list)       # 1-based segment positions (source groups)
    segment_ids: list[int] = field(default_factory=list)
    target_numbers: list[int] = field(default_factory=list)  # 1-based (the no-source group)
    texts: list[str] = field(default_factory=list)

    @property
    def ranges(self) -> str:
        """The positions (target numbers for ``no-source``) as ranges: ``"8-35"``."""
        return _ranges(self.target_numbers if self.kind == "no-source" else self.positions)

    @property
    def label(self) -> str:
        if self.kind == "no-source":
            return f"{self.title}: {self.ranges}"
        return f"{self.title}: segments {self.ranges}"

    def __len__(self) -> int:
        return len(self.positions) or len(self.target_numbers)


@dataclass
class ReviewList:
    document_id: int
    lang: str
    items: list[ReviewItem] = field(default_factory=list)
    groups: list[ReviewGroup] = field(default_factory=list)
    covered: tuple[int, int] | None = None

    def group(self, kind: str) -> ReviewGroup | None:
        return next((g for g in self.groups if g.kind == kind), None)


def _ranges(numbers: list[int]) -> str:
    """``[3, 4, 5, 8]`` -> ``"3-5, 8"``."""
    out: list[str] = []
    nums = sorted(numbers)
    k = 0
    while k < len(nums):
        j = k
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[k]) if j == k else f"{nums[k]}-{nums[j]}")
        k = j + 1
    return ", ".join(out)


def review_list(project: Project, document_id: int, lang: str, *, threshold: float | None = None) -> ReviewList:
    """What to review in a document's ``lang`` alignment (see the module doc); empty when not aligned."""
    lang = check_lang(lang)
    record: dict[str, Any] = project.get_setting(record_key(document_id, lang)) or {}
    out = ReviewList(document_id, lang, covered=tuple(record["covered"]) if record.get("covered") else None)
    if not record:
        return out
    segs = project.segments(document_id)
    pos = {s.id: k + 1 for k, s in enumerate(segs)}
    by_id = {s.id: s for s in segs}
    target = record["target"]

    def tgt_text(ks: list[int]) -> str:
        return " ".join(target[k][1] for k in ks if 0 <= k < len(target))

    groups: dict[str, ReviewGroup] = {}
    for l in record.get("links", []):
        action = l.get("action", "write")
        ids = [i for i in l["segments"] if i in by_id]
        if action in ("untranslated", "outside") and ids:
            g = groups.setdefault(action, ReviewGroup(action, GROUP_TITLES[action]))
            g.positions += [pos[i] for i in ids]
            g.segment_ids += ids
            g.texts += [by_id[i].source for i in ids]
        elif action == "no-source":
            g = groups.setdefault(action, ReviewGroup(action, GROUP_TITLES[action]))
            g.target_numbers += [k + 1 for k in l["target"]]
            g.texts += [target[k][1] for k in l["target"]]
        elif action == "write" and len(ids) == 1 and not l.get("anchor"):
            tr = by_id[ids[0]].translations.get(lang)
            if tr is None or tr.confirmed or tr.align is None:
                continue
            conf = float(l["confidence"])
            if not (conf < threshold if threshold is not None else l.get("review")):
                continue
            out.items.append(ReviewItem(ids[0], lang, conf, by_id[ids[0]].source, tgt_text(l["target"]),
                                        [ids, list(l["target"])], "link", ids, [pos[ids[0]]],
                                        [k + 1 for k in l["target"]], tr.text))
    for k, p in enumerate(record.get("proposals", [])):
        ids = [i for i in p["segments"] if i in by_id]
        if len(ids) != len(p["segments"]):
            continue
        tr = by_id[ids[0]].translations.get(lang)
        out.items.append(ReviewItem(ids[0], lang, float(p["confidence"]), " ".join(by_id[i].source for i in ids),
                                    p["text"], [ids, list(p["target"])], "merge", ids, [pos[i] for i in ids],
                                    [j + 1 for j in p["target"]], tr.text if tr else "", k, p.get("blocked", "")))
    out.items.sort(key=lambda it: it.confidence)
    out.groups = [groups[k] for k in ("untranslated", "no-source", "outside") if k in groups]
    return out


def review_queue(project: Project, lang: str, document_id: int | None = None,
                 threshold: float | None = None) -> list[ReviewItem]:
    """The review items of one document (or all), lowest confidence first, then one item per target sentence
    without a source (the flat list older callers show)."""
    lang = check_lang(lang)
    docs = [document_id] if document_id is not None else [d.id for d in project.documents()]
    items: list[ReviewItem] = []
    extra: list[ReviewItem] = []
    for d in docs:
        rl = review_list(project, d, lang, threshold=threshold)
        items += rl.items
        g = rl.group("no-source")
        if g is not None:
            extra += [ReviewItem(None, lang, 0.0, "", t, [[], [n - 1]], "no-source", target_numbers=[n])
                      for n, t in zip(g.target_numbers, g.texts)]
    items.sort(key=lambda it: it.confidence)
    return items + extra
