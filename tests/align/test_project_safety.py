"""Alignment never damages a project: a partial translation of the seed article, previews, merge proposals,
protected segments, undo of a whole run, numbering and grouping in the review list, the CLI's align-doc."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.align.document import (
    accept_proposal,
    align_document,
    alignment_record,
    alignment_runs,
    apply_alignment,
    plan_alignment,
    reject_proposal,
    review_list,
    undo_alignment,
)
from workbench.core.config import SEED_ARTICLE
from workbench.core.errors import InputError, NotFound, VersionConflict

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
PARTIAL_RU = (DATA / "seed_partial.ru.txt").read_text(encoding="utf-8")
# the Russian sentences of the partial translation, in order (segments 1-7 of the seed)
RU_SENTS = [
    "Статья Посла Российской Федерации в Королевстве Камбоджа Анатолия Боровика в газете Khmer Times",
    "Россия, Камбоджа и АСЕАН – прочное партнерство во времена потрясений",
    "Пандемия новой коронавирусной инфекции нарушила привычный ход 2020 года",
    "Тем не менее эти трудности не поколебали стремления Российской Федерации",
    "Уходящий год подтвердил важность последовательного сотрудничества России и Камбоджи",
    "В 2020 году наши государства отметили 25-летие подписания Совместной декларации",
    "Этот документ приумножил прежние достижения советско-камбоджийского взаимодействия",
]


@pytest.fixture
def seed(tmp_path):
    from workbench.ingest.project import create_from_file

    p = create_from_file(tmp_path / "seed.db", SEED_ARTICLE, ["ru", "km"])
    yield p
    p.close()


def _state(project, doc):
    return [(s.id, s.source, {l: (t.text, t.status, t.origin, t.version) for l, t in s.translations.items()})
            for s in project.segments(doc)]


def test_partial_translation_of_the_seed_lands_only_on_its_segments(seed):
    doc = seed.documents()[0].id
    segs = seed.segments(doc)
    assert len(segs) == 35
    # a translator confirmed segment 4 before, with their own wording, and edited segment 20
    seed.save_edit(segs[3].id, "ru", "Мой перевод четвёртого предложения.", confirm=True, author="anna")
    seed.save_edit(segs[19].id, "ru", "Черновик переводчика.", author="anna")
    before = _state(seed, doc)

    plan = plan_alignment(seed, doc, "ru", PARTIAL_RU)
    assert _state(seed, doc) == before, "planning writes nothing"
    assert plan.covered == (1, 7)
    assert not plan.proposals
    preview = plan.preview()
    assert [r.position for r in preview] == [1, 2, 3, 5, 6, 7]  # segment 4 is confirmed: kept
    assert next(l for l in plan.links if l.positions == [4]).action == "kept"
    assert all(l.action == "outside" for l in plan.links if l.positions and l.positions[0] > 7)

    res = apply_alignment(seed, plan, author="aligner")
    after = seed.segments(doc)
    assert len(after) == 35 and [s.id for s in after] == [s.id for s in segs]
    assert res.written == 6 and res.merged == 0 and res.kept == 1
    for k, seg in enumerate(after):
        tr = seg.translations["ru"]
        if k < 7 and k != 3:
            assert tr.text.startswith(RU_SENTS[k]) and (tr.origin, tr.status) == ("aligned", "draft")
            assert tr.align.extra["run"] == res.run_id
        elif k == 3:
            assert (tr.text, tr.status) == ("Мой перевод четвёртого предложения.", "translated")
        else:
            assert (tr.text, tr.status, tr.origin, tr.version) == before[k][2]["ru"]
        if k >= 7:  # segments that got nothing have no new history entry
            assert all(h.action != "align" for h in seed.history(seg.id, "ru"))
        assert seg.translations["km"].text == ""
    # preview said exactly what was written
    assert {(r.segment_id, r.new) for r in preview} == {
        (s.id, s.translations["ru"].text) for s in after if s.translations["ru"].origin == "aligned"}

    rl = review_list(seed, doc, "ru")
    outside = rl.group("outside")
    assert outside is not None and outside.positions == list(range(8, 36)) and len(rl.groups) == 1
    assert outside.label.endswith("segments 8-35")
    assert all(it.positions[0] <= 7 for it in rl.items)

    # the whole run is undone in one call; the person's work stays
    undo = undo_alignment(seed, doc, "ru", author="anna")
    assert undo.run_id == res.run_id and len(undo.restored) == 6 and not undo.skipped
    restored = _state(seed, doc)
    for (sid, src, trs), (sid0, src0, trs0) in zip(restored, before):
        assert (sid, src) == (sid0, src0)
        assert trs["ru"][:3] == trs0["ru"][:3]
    assert seed.translation(segs[0].id, "ru").origin is None
    assert alignment_record(seed, doc, "ru") is None
    with pytest.raises(NotFound):
        undo_alignment(seed, doc, "ru")


def test_merge_is_a_proposal_applied_only_when_accepted_and_undone_by_a_split(seed):
    doc = seed.documents()[0].id
    segs = seed.segments(doc)
    # the translator made one Russian sentence of segments 3 and 4
    ru = PARTIAL_RU.replace("каждой стране. Тем не менее эти", "каждой стране, однако эти")
    plan = plan_alignment(seed, doc, "ru", ru)
    assert [l.positions for l in plan.proposals] == [[3, 4]]
    res = apply_alignment(seed, plan)
    assert res.merged == 0 and res.proposals == 1 and len(seed.segments(doc)) == 35
    assert seed.translation(segs[2].id, "ru").text == ""  # nothing written on a proposal's segments
    rl = review_list(seed, doc, "ru")
    merge = [it for it in rl.items if it.kind == "merge"]
    assert len(merge) == 1 and merge[0].positions == [3, 4] and merge[0].label.startswith("segments 3-4 (ids")
    assert merge[0].target_numbers == [3]

    from workbench.align.document import confirm_link

    with pytest.raises(InputError, match="part of a merge proposal"):  # a one-sentence text on one of them
        confirm_link(seed, doc, "ru", segs[2].id)
    acc = accept_proposal(seed, doc, "ru", merge[0].proposal, author="anna")
    assert acc.merged == 1 and len(seed.segments(doc)) == 34
    merged = seed.segment(segs[2].id)
    assert merged.source == segs[2].source + " " + segs[3].source
    assert merged.translations["ru"].text.startswith("Пандемия") and "однако эти" in merged.translations["ru"].text
    assert not [it for it in review_list(seed, doc, "ru").items if it.kind == "merge"]

    undo = undo_alignment(seed, doc, "ru", author="anna")
    assert undo.run_id == acc.run_id and len(undo.split) == 1
    after = seed.segments(doc)
    assert [s.source for s in after] == [s.source for s in segs]
    assert after[2].translations["ru"].text == "" and after[3].translations["ru"].text == ""
    assert [it.kind for it in review_list(seed, doc, "ru").items].count("merge") == 1  # the proposal is back
    reject_proposal(seed, doc, "ru", 0, author="anna")
    assert not [it for it in review_list(seed, doc, "ru").items if it.kind == "merge"]
    assert [r["kind"] for r in alignment_runs(seed, doc, "ru")] == ["align", "merge", "reject"]


def test_confirmed_or_person_edited_segments_are_never_merged(seed):
    doc = seed.documents()[0].id
    segs = seed.segments(doc)
    seed.save_edit(segs[3].id, "km", "ការបកប្រែ។", author="sok")  # edited by a person, in another language
    ru = PARTIAL_RU.replace("каждой стране. Тем не менее эти", "каждой стране, однако эти")
    plan = plan_alignment(seed, doc, "ru", ru)
    assert plan.proposals[0].blocked
    res = apply_alignment(seed, plan, merges="all")
    assert res.merged == 0 and len(seed.segments(doc)) == 35
    with pytest.raises(InputError, match="never merged"):
        accept_proposal(seed, doc, "ru", 0)
    with pytest.raises(InputError, match="cannot be accepted"):
        apply_alignment(seed, plan_alignment(seed, doc, "ru", ru), merges=[0])


def test_a_stale_preview_is_refused(seed):
    doc = seed.documents()[0].id
    segs = seed.segments(doc)
    plan = plan_alignment(seed, doc, "ru", PARTIAL_RU)
    seed.save_edit(segs[1].id, "ru", "Заголовок переводчика.", author="anna")
    with pytest.raises(VersionConflict, match="preview it again"):
        apply_alignment(seed, plan)
    plan = plan_alignment(seed, doc, "ru", PARTIAL_RU)
    seed.merge_segments(segs[30].id, segs[31].id)
    with pytest.raises(VersionConflict):
        apply_alignment(seed, plan)


def test_undo_leaves_what_a_person_changed_since(seed):
    doc = seed.documents()[0].id
    res = align_document(seed, doc, "ru", PARTIAL_RU)
    first = seed.segments(doc)[0]
    seed.save_edit(first.id, "ru", "Исправлено переводчиком.", author="anna")
    undo = undo_alignment(seed, doc, "ru", res.run_id)
    assert [sid for sid, _why in undo.skipped] == [first.id]
    assert seed.translation(first.id, "ru").text == "Исправлено переводчиком."
    assert all(seed.translation(s.id, "ru").text == "" for s in seed.segments(doc)[1:])
    with pytest.raises(InputError, match="already undone"):
        undo_alignment(seed, doc, "ru", res.run_id)


def test_untranslated_source_sentences_are_one_group(seed):
    doc = seed.documents()[0].id
    # segments 5 and 6 left untranslated in the middle of the covered span
    ru = PARTIAL_RU.replace("Уходящий год подтвердил важность последовательного сотрудничества России и Камбоджи "
                            "как в двустороннем формате, так и на международных площадках, включая ООН, механизм "
                            "партнерства по диалогу Россия – АСЕАН, Региональный форум АСЕАН, Восточноазиатский "
                            "саммит и форум «Азия – Европа». В 2020 году наши государства отметили 25-летие "
                            "подписания Совместной декларации об основах дружественных отношений от 25 мая 1995 "
                            "года. ", "")
    assert ru != PARTIAL_RU
    align_document(seed, doc, "ru", ru)
    rl = review_list(seed, doc, "ru")
    g = rl.group("untranslated")
    assert g is not None and g.positions == [5, 6] and g.title == "Source sentences without a translation"
    assert rl.group("outside").positions == list(range(8, 36))
    assert all(it.segment_id not in g.segment_ids for it in rl.items)


def test_cli_align_doc_previews_applies_and_undoes(tmp_path):
    db = tmp_path / "seed.db"
    ru = tmp_path / "partial.ru.txt"
    ru.write_text(PARTIAL_RU, encoding="utf-8")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)

    r = run("new", str(db), str(SEED_ARTICLE), "--to", "ru,km")
    assert r.returncode == 0, r.stderr
    r = run("align-doc", str(db), str(ru), "--to", "ru", "--dry-run")
    assert r.returncode == 0, r.stderr
    writes = [l.split("\t") for l in r.stdout.splitlines() if l.startswith("write\t")]
    assert [w[1] for w in writes] == ["1", "2", "3", "4", "5", "6", "7"]
    assert "nothing written" in r.stderr
    from workbench.core.store import Project

    with Project.open(db) as p:
        assert all(s.translations["ru"].text == "" for s in p.segments())
    r = run("align-doc", str(db), str(ru), "--to", "ru")
    assert r.returncode == 0, r.stderr
    assert "outside\t8-35\t28" in r.stdout
    with Project.open(db) as p:
        segs = p.segments()
        assert len(segs) == 35 and sum(bool(s.translations["ru"].text) for s in segs) == 7
    r = run("align-doc", str(db), "--to", "ru", "--undo")
    assert r.returncode == 0, r.stderr and "7 translations restored" in r.stderr
    with Project.open(db) as p:
        assert all(s.translations["ru"].text == "" for s in p.segments())
    r = run("align-doc", str(db), "--to", "ru")
    assert r.returncode == 2 and "needs the target document" in r.stderr
