"""check_project (consistency, settings stored in the project) and the project report on a real project file."""

from __future__ import annotations

import sqlite3

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from tests.plugins.qa_fixtures import RU_DRAFT, RU_FINAL
from workbench.core.errors import InputError
from workbench.core.store import Project
from workbench.qa import check_project, project_settings, set_check
from workbench.report.metrics import post_edits
from workbench.report.project import build_report, format_report, write_plots


def by_segment(findings):
    out = {}
    for f in findings:
        out.setdefault((f.segment_id, f.lang), []).append(f.code)
    return out


def test_check_project_findings(qa_project):
    with Project.open(qa_project) as p:
        ids = [s.id for s in p.segments()]
        found = by_segment(check_project(p))
    s1, s2, s3, s4, s5 = ids
    assert sorted(found[(s2, "ru")]) == ["number_mismatch", "number_mismatch"]
    assert found[(s3, "ru")] == ["inconsistent_translation"]
    assert found[(s4, "ru")] == ["inconsistent_translation"]
    assert found[(s5, "ru")] == ["empty"]
    assert (s1, "ru") not in found and (s1, "km") not in found and (s2, "km") not in found
    assert {sid for sid, lang in found if lang == "km"} == {s3, s4, s5}


def test_same_target_for_different_sources(tmp_path):
    p = Project.create(tmp_path / "c.db", "c", "en", ["ru", "km"])
    p.add_document("d", [(0, "The talks ended."), (1, "The meeting ended."), (2, "The talks ended.")])
    a, b, c = (s.id for s in p.segments())
    p.set_translation(a, "km", "កិច្ចប្រជុំ​បាន​បញ្ចប់។", origin="human", status="translated")
    p.set_translation(b, "km", "កិច្ចប្រជុំ​បាន​បញ្ចប់។", origin="human", status="translated")
    p.set_translation(c, "km", "កិច្ចប្រជុំ\u200bបាន\u200bបញ្ចប់។ ", origin="human", status="translated")
    p.set_translation(a, "ru", "Переговоры завершились.", origin="human", status="translated")
    p.set_translation(b, "ru", "Встреча завершилась.", origin="human", status="translated")
    p.set_translation(c, "ru", "Переговоры завершились.", origin="human", status="translated")
    found = check_project(p)
    km = {(f.segment_id, f.code) for f in found if f.lang == "km" and f.code.startswith("inconsistent")}
    # zero-width and edge spaces do not make a different translation
    assert km == {(a, "inconsistent_source"), (b, "inconsistent_source"), (c, "inconsistent_source")}
    assert not [f for f in found if f.lang == "ru" and f.code.startswith("inconsistent")]
    p.close()


def test_checks_switched_per_project_are_stored(qa_project):
    with Project.open(qa_project) as p:
        set_check(p, "number_mismatch", False)
        set_check(p, "empty", False)
    with Project.open(qa_project) as p:  # reopened: the setting is in the file
        assert p.get_setting("qa")["checks"] == {"number_mismatch": False, "empty": False}
        assert project_settings(p)["checks"]["number_mismatch"] is False
        codes = {f.code for f in check_project(p, ["ru"])}
    assert codes == {"inconsistent_translation"}
    with Project.open(qa_project) as p, pytest.raises(InputError):
        set_check(p, "no_such_check", True)


def test_check_project_is_read_only_and_rejects_foreign_language(qa_project):
    with Project.open(qa_project) as p:
        before = p._read("SELECT COUNT(*) FROM history")[0][0], [t.version for s in p.segments()
                                                                  for t in s.translations.values()]
        check_project(p)
        after = p._read("SELECT COUNT(*) FROM history")[0][0], [t.version for s in p.segments()
                                                                 for t in s.translations.values()]
        assert before == after
        with pytest.raises(InputError):
            check_project(p, ["en"])


def test_report_counts(qa_project):
    with Project.open(qa_project) as p:
        r = build_report(p)
    assert (r["segments"], r["source_words"]) == (5, 29)
    assert [(d["title"], d["segments"], d["source_words"]) for d in r["documents"]] == [("Visit", 3, 19),
                                                                                     ("Statement", 2, 10)]
    visit_ru = r["documents"][0]["languages"]["ru"]
    assert (visit_ru["translated_segments"], visit_ru["confirmed_segments"]) == (3, 2)
    ru, km = r["match_analysis"]["ru"], r["match_analysis"]["km"]
    assert {c: v["words"] for c, v in ru.items() if v["segments"]} == {
        "repetition": 4, "fuzzy 85-94": 4, "mt": 11, "aligned": 4, "new": 6}
    assert {c: v["segments"] for c, v in km.items() if v["segments"]} == {
        "repetition": 1, "exact": 1, "mt": 1, "new": 2}
    assert km["new"]["words"] == 10
    prog = r["progress"]
    assert {s: v["segments"] for s, v in prog["ru"].items() if isinstance(v, dict)} == {
        "new": 1, "draft": 1, "translated": 2, "reviewed": 1, "approved": 0}
    assert prog["ru"]["translated"]["words"] == 15
    assert prog["ru"]["confirmed_words_pct"] == 65.5  # 19 of 29
    assert prog["km"]["confirmed_words_pct"] == 51.7  # 15 of 29
    assert r["qa"]["ru"]["number_mismatch"]["error"] == 2
    assert r["qa"]["km"]["empty"]["warning"] == 3


def test_report_post_editing_against_sacrebleu(qa_project):
    with Project.open(qa_project) as p:
        r = build_report(p, ["ru"])
    (seg,) = r["post_edit_segments"]
    assert (seg["draft"], seg["final"], seg["changed"]) == (RU_DRAFT, RU_FINAL, True)
    assert seg["chrf"] == pytest.approx(CHRF().sentence_score(RU_DRAFT, [RU_FINAL]).score)
    assert seg["hter"] == pytest.approx(TER().sentence_score(RU_DRAFT, [RU_FINAL]).score)
    assert seg["bleu"] == pytest.approx(BLEU(effective_order=True).sentence_score(RU_DRAFT, [RU_FINAL]).score)
    doc = r["post_editing"]["ru"]["documents"]["1"]
    assert doc["HTER"] == pytest.approx(TER().corpus_score([RU_DRAFT], [[RU_FINAL]]).score)
    assert doc["chrF"] == pytest.approx(CHRF().corpus_score([RU_DRAFT], [[RU_FINAL]]).score)
    text = format_report(r)
    assert "Match analysis" in text and "HTER" in text and "nrefs:1|" in text


def test_unchanged_khmer_draft_scores_perfect(qa_project):
    with Project.open(qa_project) as p:
        (e,) = post_edits(p, ["km"])
    assert (e.changed, e.chrf, e.hter, e.edit_distance, e.confirmed) == (False, 100.0, 0.0, 0.0, True)


def test_mt_draft_is_the_first_mt_text_and_edit_time_comes_from_history(qa_project):
    with Project.open(qa_project) as p:
        s1 = p.segments()[0].id
        # a second MT pass must not replace the draft the translator started from
        p.set_translation(s1, "ru", "Другой машинный вариант.", origin="mt", status="draft", action="mt")
        p.set_translation(s1, "ru", RU_FINAL, origin="human", status="approved")
    con = sqlite3.connect(qa_project)  # spread the timestamps out as a real editing session would
    rows = con.execute("SELECT id FROM history WHERE segment_id=? AND lang='ru' ORDER BY id", (s1,)).fetchall()
    stamps = ["2024-05-01T10:00:00Z", "2024-05-01T10:01:30Z", "2024-05-01T10:05:00Z", "2024-05-01T10:06:00Z"]
    for (hid,), at in zip(rows, stamps):
        con.execute("UPDATE history SET at=? WHERE id=?", (at, hid))
    con.commit()
    con.close()
    with Project.open(qa_project) as p:
        (e,) = post_edits(p, ["ru"])
    assert e.draft == RU_DRAFT
    assert e.edit_seconds == 90.0  # MT draft at 10:00:00, first confirmation at 10:01:30


def test_plots_are_written(qa_project, tmp_path):
    with Project.open(qa_project) as p:
        r = build_report(p)
    paths = write_plots(r, tmp_path / "plots")
    assert sorted(x.name for x in paths) == ["edit_distance.png", "progress.png", "qa_findings.png"]
    import matplotlib.image as mpimg

    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        img = mpimg.imread(path)
        assert img.shape[0] > 100 and img.shape[1] > 300
    assert not list((tmp_path / "plots").glob("*.tmp.png"))


def test_plots_on_a_fresh_project(tmp_path):
    p = Project.create(tmp_path / "f.db", "f", "en", ["km"])
    p.add_document("d", [(0, "Hello there.")])
    paths = write_plots(build_report(p, qa=False), tmp_path / "out")
    assert len(paths) == 3 and all(x.stat().st_size > 1000 for x in paths)
    p.close()


def test_plot_folder_that_is_a_file_is_a_user_error(qa_project, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with Project.open(qa_project) as p:
        r = build_report(p, qa=False)
    with pytest.raises(InputError):
        write_plots(r, f)


def test_post_editing_ignores_invisible_khmer_zero_width_spaces(tmp_path):
    p = Project.create(tmp_path / "z.db", "z", "en", ["km"])
    p.add_document("d", [(0, "The talks took place.")])
    (sid,) = (s.id for s in p.segments())
    p.set_translation(sid, "km", "កិច្ចចរចា\u200bបាន\u200bធ្វើ\u200bឡើង។", origin="mt", status="draft")
    p.set_translation(sid, "km", "កិច្ចចរចាបានធ្វើឡើង។", origin="human", status="translated")
    (e,) = post_edits(p)
    assert (e.chrf, e.hter, e.edit_distance, e.changed) == (100.0, 0.0, 0.0, True)
    p.close()


def test_check_translation_uses_project_settings(qa_project):
    from workbench.qa import by_segment as group, check_translation

    with Project.open(qa_project) as p:
        s2 = p.segments()[1].id
        assert [f.code for f in check_translation(p, s2, "ru")] == ["number_mismatch", "number_mismatch"]
        set_check(p, "number_mismatch", False)
        assert check_translation(p, s2, "ru") == []
        grouped = group(check_project(p, ["ru"]))
        assert (s2, "ru") not in grouped and all(k[1] == "ru" for k in grouped)


def test_match_analysis_after_real_tm_pretranslation(tmp_path):
    from workbench.tm.fill import fill_from_tm
    from workbench.tm.memory import TranslationMemory

    tm = TranslationMemory.open(tmp_path / "tm.db")
    tm.add("The talks were constructive.", "Переговоры были конструктивными.", "en", "ru")
    tm.add("The ministers signed three agreements today.", "Министры сегодня подписали три соглашения.",
           "en", "ru")
    p = Project.create(tmp_path / "p.db", "p", "en", ["ru"])
    p.add_document("d", [(0, "The talks were constructive."), (1, "The ministers signed two agreements today."),
                         (2, "The talks were constructive."), (3, "Nothing like this is in the memory.")])
    fill_from_tm(p, ["ru"], tm=tm, threshold=75)
    s1, s2, s3, s4 = p.segments()
    assert s2.translations["ru"].origin == "tm" and s2.translations["ru"].score < 100
    # the translator fixes the fuzzy match: it still counts as a fuzzy match in the analysis
    p.set_translation(s2.id, "ru", "Министры сегодня подписали два соглашения.", origin="human",
                      status="translated")
    r = build_report(p, qa=False)
    cats = {c: v["segments"] for c, v in r["match_analysis"]["ru"].items() if v["segments"]}
    fuzzy = [c for c in cats if c.startswith("fuzzy")]
    assert cats["exact"] == 1 and cats["repetition"] == 1 and cats["new"] == 1 and len(fuzzy) == 1
    assert r["match_analysis"]["ru"]["exact"]["words"] == 4
    assert r["match_analysis"]["ru"][fuzzy[0]]["words"] == 6
    tm.close()
    p.close()


def test_check_translation_rejects_a_language_that_is_not_a_target(qa_project):
    from workbench.qa import check_translation

    with Project.open(qa_project) as p, pytest.raises(InputError, match="en is not a target language"):
        check_translation(p, p.segments()[0].id, "en")


def test_progress_callbacks_count_every_segment(qa_project):
    calls = []
    with Project.open(qa_project) as p:
        found = check_project(p, progress=lambda done, total: calls.append((done, total)))
        assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
        assert found == check_project(p)
        calls.clear()
        r = build_report(p, progress=lambda done, total: calls.append((done, total)))
        assert calls == [(i, 10) for i in range(1, 11)]  # counting, then QA
        assert r == build_report(p)
        calls.clear()
        build_report(p, qa=False, progress=lambda done, total: calls.append((done, total)))
        assert calls == [(i, 5) for i in range(1, 6)]
    with Project.open(qa_project) as p, pytest.raises(InputError, match="not a target language"):
        build_report(p, ["en"])
