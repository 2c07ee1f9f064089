"""Alignment in a project: translations with origin 'aligned', n:m mapping, review queue, anchors, three-way."""

from __future__ import annotations

import pytest

from workbench.align import Link
from workbench.align.document import (
    accept_aligned,
    align_document,
    alignment_record,
    confirm_link,
    pivot_rows,
    review_queue,
    three_way,
)
from workbench.core.errors import InputError, NotFound

EN_TEXT = """Minister visits Cambodia

The Minister of Foreign Affairs arrived in Phnom Penh on 12 March 2024. He was met at the airport by his counterpart.

The two ministers signed 4 agreements. Trade reached 350 million dollars last year.

The next round of talks will take place in Moscow in 2025.
"""

RU_TEXT = """Министр посетил Камбоджу

Министр иностранных дел прибыл в Пномпень 12 марта 2024 года, и в аэропорту его встретил камбоджийский коллега.

Два министра подписали 4 соглашения. Товарооборот в прошлом году достиг 350 миллионов долларов. \
Это рекордный показатель за последние десять лет.

Следующий раунд переговоров пройдёт в Москве в 2025 году.
"""


@pytest.fixture
def project(tmp_path):
    from workbench.ingest.project import create_from_file

    src = tmp_path / "article.txt"
    src.write_text(EN_TEXT, encoding="utf-8")
    p = create_from_file(tmp_path / "p.db", src, ["ru", "km"])
    yield p
    p.close()


def _doc(project):
    return project.documents()[0].id


def test_align_document_writes_aligned_translations(project, tmp_path):
    doc = _doc(project)
    before = [s.source for s in project.segments(doc)]
    assert len(before) == 6
    target = tmp_path / "ru.txt"
    target.write_text(RU_TEXT, encoding="utf-8")
    res = align_document(project, doc, "ru", target)
    segs = project.segments(doc)
    # the two English sentences of the first paragraph have one Russian sentence: a merge proposal, not applied
    assert res.merged == 0 and res.proposals == 1 and len(segs) == 6
    assert [segs[1].translations["ru"].text, segs[2].translations["ru"].text] == ["", ""]
    assert alignment_record(project, doc, "ru")["proposals"][0]["segments"] == [segs[1].id, segs[2].id]
    res = align_document(project, doc, "ru", target, merge=True)  # the caller accepts the proposals
    segs = project.segments(doc)
    assert res.merged == 1 and len(segs) == 5
    assert segs[1].source.startswith("The Minister of Foreign Affairs") and "counterpart" in segs[1].source
    for seg in segs:
        tr = seg.translations["ru"]
        assert tr.origin == "aligned" and tr.status == "draft" and tr.text
        info = tr.meta["align"]
        assert set(info) >= {"link", "confidence", "review", "anchor"}
        assert tr.score == info["confidence"]
    assert segs[1].translations["ru"].text.startswith("Министр иностранных дел прибыл")
    # the extra Russian sentence has no English: it is listed, not dropped
    rec = alignment_record(project, doc, "ru")
    extra = [rec["target"][k][1] for k in rec["unaligned_targets"]]
    assert any("рекордный" in t for t in extra) or any("рекордный" in s.translations["ru"].text for s in segs)
    # the merge is logged with both source texts
    log = project.segment_log()
    assert log[-1]["action"] == "merge" and before[1] in log[-1]["detail"]["sources"]


def test_human_and_confirmed_translations_are_kept(project, tmp_path):
    doc = _doc(project)
    seg = project.segments(doc)[0]
    project.set_translation(seg.id, "ru", "Мой заголовок", origin="human", status="translated")
    res = align_document(project, doc, "ru", RU_TEXT)
    assert res.kept >= 1
    assert project.translation(seg.id, "ru").text == "Мой заголовок"


def test_unreadable_target_changes_nothing(project, tmp_path):
    doc = _doc(project)
    bad = tmp_path / "ru.bin"
    bad.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    with pytest.raises(InputError):
        align_document(project, doc, "ru", bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError):
        align_document(project, doc, "ru", empty)
    assert all(s.translations["ru"].text == "" for s in project.segments(doc))
    with pytest.raises(NotFound):
        align_document(project, 999, "ru", RU_TEXT)
    with pytest.raises(NotFound):
        confirm_link(project, doc, "ru", project.segments(doc)[0].id)


def test_review_queue_lowest_confidence_first(project):
    doc = _doc(project)
    align_document(project, doc, "ru", RU_TEXT, threshold=0.99)
    q = review_queue(project, "ru", doc)
    linked = [it for it in q if it.segment_id is not None]
    assert linked, "with threshold 0.99 some links must be flagged"
    confs = [it.confidence for it in linked]
    assert confs == sorted(confs)
    # confirmed ones leave the queue
    sid = linked[0].segment_id
    project.set_translation(sid, "ru", status="reviewed")
    assert sid not in [it.segment_id for it in review_queue(project, "ru", doc)]


def test_confirm_link_becomes_anchor_and_realigns(project):
    doc = _doc(project)
    align_document(project, doc, "ru", RU_TEXT)
    segs = project.segments(doc)
    rec = alignment_record(project, doc, "ru")
    n_t = len(rec["target"])
    # the translator says: the last English segment goes with the last Russian sentence (already true) ...
    last = segs[-1].id
    res = confirm_link(project, doc, "ru", last, [n_t - 1])
    tr = project.translation(last, "ru")
    assert tr.status == "translated" and tr.meta["align"]["anchor"] is True and tr.score == 1.0
    assert any(l["anchor"] and l["segments"] == [last] for l in res.links)
    # ... and the title is the first Russian sentence; then a forced wrong anchor moves the rest around it
    first = segs[0].id
    res = confirm_link(project, doc, "ru", segs[2].id, [0])
    anchors = [l for l in res.links if l["anchor"]]
    assert {tuple(l["segments"]) for l in anchors} == {(last,), (segs[2].id,)}
    assert project.translation(segs[2].id, "ru").text == rec["target"][0][1]
    # the segment before the forced anchor can only get nothing (its targets are all after)
    assert project.translation(first, "ru").text == "" or project.translation(first, "ru").status != "translated"
    # links still cover every target sentence exactly once
    tgt = sorted(k for l in res.links for k in l["target"])
    assert tgt == list(range(n_t))


def test_accept_aligned_confirms_confident_unflagged_pairs_only(project):
    doc = _doc(project)
    align_document(project, doc, "ru", RU_TEXT)
    segs = project.segments(doc)
    # one pair flagged for review, one typed by a person, one already reviewed: none of them may change
    flagged, human, reviewed = segs[0], segs[1], segs[2]
    tr = flagged.translations["ru"]
    project.set_translation(flagged.id, "ru", meta={**tr.meta, "align": {**tr.meta["align"], "review": True}},
                            author="aligner")
    project.set_translation(human.id, "ru", "Мой перевод.", origin="human", status="draft")
    project.set_translation(reviewed.id, "ru", status="reviewed")
    before = {s.id: s.translations["ru"] for s in project.segments(doc)}
    rest = [s.id for s in segs[3:] if before[s.id].text and not before[s.id].align.review]
    assert rest, "the last paragraphs align confidently"
    low = min(before[sid].align.confidence for sid in rest)
    done = accept_aligned(project, "ru", doc, low, author="anna")
    assert done == rest
    for seg in project.segments(doc):
        tr = seg.translations["ru"]
        if seg.id in done:
            assert (tr.status, tr.origin, tr.text, tr.updated_by) == ("translated", "aligned",
                                                                      before[seg.id].text, "anna")
            assert project.history(seg.id, "ru")[-1].action == "confirm"
        else:
            assert tr == before[seg.id]
    assert accept_aligned(project, "ru", doc, 0.0) == []  # what is left is flagged, human or confirmed
    assert project.translation(flagged.id, "ru").status == "draft"


def test_accept_aligned_threshold(project):
    doc = _doc(project)
    align_document(project, doc, "ru", RU_TEXT)
    assert accept_aligned(project, "ru", doc, 1.01) == []
    assert all(s.translations["ru"].status == ("draft" if s.translations["ru"].text else "new")
               for s in project.segments(doc))
    with pytest.raises(InputError, match="not a target language"):
        accept_aligned(project, "en", doc, 0.5)


def test_three_way_rows_pivot_on_english():
    # EN 0,1 -> RU 0 (2-1) while EN 1,2 -> KM 1 (2-1): English 0-2 must share one row
    ru = [Link((0, 1), (0,), 0.9), Link((2,), (1,), 0.8), Link((), (2,), 0.3), Link((3,), (3,), 0.9)]
    km = [Link((0,), (0,), 0.9), Link((1, 2), (1,), 0.7), Link((3,), (2, 3), 0.6)]
    rows = pivot_rows(4, ru, km)
    assert [(r.en, r.ru, r.km) for r in rows] == [
        ((0, 1, 2), (0, 1), (0, 1)),
        ((), (2,), ()),
        ((3,), (3,), (2, 3)),
    ]
    assert rows[0].confidence == {"ru": 0.8, "km": 0.7}


def test_three_way_project_view(project):
    doc = _doc(project)
    align_document(project, doc, "ru", RU_TEXT, merge=True)
    km = ("រដ្ឋមន្ត្រីទស្សនកម្ពុជា\n\nរដ្ឋមន្ត្រីការបរទេសបានមកដល់ភ្នំពេញនៅថ្ងៃទី១២ ខែមីនា ឆ្នាំ២០២៤។ "
          "លោកត្រូវបានទទួលស្វាគមន៍នៅព្រលានយន្តហោះដោយសហការីរបស់លោក។\n\n"
          "រដ្ឋមន្ត្រីទាំងពីរបានចុះហត្ថលេខាលើកិច្ចព្រមព្រៀងចំនួន ៤។ ពាណិជ្ជកម្មបានឈានដល់ ៣៥០ លានដុល្លារកាលពីឆ្នាំមុន។\n\n"
          "កិច្ចពិភាក្សាជុំបន្ទាប់នឹងធ្វើឡើងនៅទីក្រុងមូស្គូក្នុងឆ្នាំ២០២៥។\n")
    align_document(project, doc, "km", km)
    rows = three_way(project, doc)
    assert len(rows) == len(project.segments(doc))
    assert all(r["ru"] and r["km"] for r in rows)
    assert "២០២៥" in rows[-1]["km"] and "2025" in rows[-1]["ru"] and "2025" in rows[-1]["en"]
