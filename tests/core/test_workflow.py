"""The workflow rules in the library: what a translator's save does (Project.save_edit / edit_outcome) and the
one target-language check (Project.check_targets), on real project files."""

from __future__ import annotations

import pytest

from workbench.core.errors import InputError, UnknownLanguage, VersionConflict
from workbench.core.store import Project
from workbench.core.workflow import EditOutcome, edit_outcome


@pytest.fixture
def proj(tmp_path):
    p = Project.create(tmp_path / "p.db", "demo", "en", ["ru", "km"])
    p.add_document("T", [(0, "The Minister met the envoy."), (0, "They discussed trade."), (1, "Thank you.")])
    yield p
    p.close()


def test_edit_outcome_rules():
    assert edit_outcome("", "new", "Привет.") == EditOutcome("Привет.", "draft", "human", "edit")
    assert edit_outcome("Привет.", "draft", "Привет.") is None  # nothing changed: no write
    assert edit_outcome("Привет.", "draft", "Привет.", confirm=True) == EditOutcome("Привет.", "translated", None,
                                                                                    "confirm")
    assert edit_outcome("Привет.", "approved", "Привет!", confirm=True) == EditOutcome("Привет!", "approved",
                                                                                      "human", "edit")
    assert edit_outcome("Привет.", "translated", "  ") == EditOutcome("  ", "new", "human", "edit")  # emptied
    assert edit_outcome("a", "draft", "a", status="reviewed") == EditOutcome("a", "reviewed", None, "edit")
    assert edit_outcome("a\nb", "draft", "a\r\nb") is None  # Windows line ends are the same text
    assert edit_outcome("", "new", "x", status="") == EditOutcome("x", "draft", "human", "edit")
    with pytest.raises(InputError, match="segment 4 .ru. is empty"):
        edit_outcome("", "new", " ", confirm=True, label="segment 4 (ru)")
    with pytest.raises(InputError, match="unknown status"):
        edit_outcome("", "new", "x", status="done")


def test_save_edit_writes_by_the_rules(proj):
    sid = proj.segments()[0].id
    tr = proj.save_edit(sid, "RU", "Министр встретился с посланником.", expected_version=0, author="anna")
    assert (tr.status, tr.origin, tr.version, tr.updated_by) == ("draft", "human", 1, "anna")
    assert proj.save_edit(sid, "ru", "Министр встретился с посланником.", expected_version=1) is None
    assert len(proj.history(sid, "ru")) == 1  # no write for no change
    tr = proj.save_edit(sid, "ru", tr.text, expected_version=1, confirm=True)
    assert (tr.status, tr.origin) == ("translated", "human") and proj.history(sid, "ru")[-1].action == "confirm"
    with pytest.raises(VersionConflict):
        proj.save_edit(sid, "ru", "Другое.", expected_version=1)
    assert proj.translation(sid, "ru").text == "Министр встретился с посланником."
    tr = proj.save_edit(sid, "ru", "", expected_version=2)
    assert (tr.status, tr.text) == ("new", "")


def test_confirming_an_unchanged_machine_translation_keeps_its_origin(proj):
    sid = proj.segments()[1].id
    proj.set_translation(sid, "km", "ពួកគេបានពិភាក្សាអំពីពាណិជ្ជកម្ម។", origin="mt", status="draft", author="mt:x")
    tr = proj.save_edit(sid, "km", "ពួកគេបានពិភាក្សាអំពីពាណិជ្ជកម្ម។", expected_version=1, confirm=True)
    assert (tr.status, tr.origin) == ("translated", "mt")


def test_check_targets_is_the_one_target_language_check(proj):
    assert proj.check_targets() == ["ru", "km"]
    assert proj.check_targets(None) == ["ru", "km"] and proj.check_targets([]) == ["ru", "km"]
    assert proj.check_targets("km") == ["km"]
    assert proj.check_targets("KM, ru,km") == ["km", "ru"]
    assert proj.check_targets(["ru-RU", "ru"]) == ["ru"]
    with pytest.raises(InputError) as info:
        proj.check_targets(["ru", "en"])
    assert str(info.value) == f"{proj.path}: en is not a target language of this project (it has ru, km)"
    with pytest.raises(UnknownLanguage):
        proj.check_targets("xx")
    with pytest.raises(InputError, match="not a target language"):
        proj.save_edit(proj.segments()[0].id, "en", "x", expected_version=0)
