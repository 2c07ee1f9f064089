"""The registry of checks: every check is declared with its code, severity and description; ``CHECKS`` and
the settings follow it; a check switched off by a setting does not run."""

from __future__ import annotations

import re

import pytest

from tests.qa.test_checks import CASES
from workbench.core.errors import InputError
from workbench.core.store import Project
from workbench.qa import CHECKS, SEVERITIES, check_project, check_segment, checks, default_settings, set_check
from workbench.qa.registry import check, get

ALL_CODES = ["empty", "untranslated", "length_ratio", "date_mismatch", "number_mismatch", "end_punctuation",
             "ru_quotes", "ru_dash", "double_space", "edge_space", "space_before_punct", "repeated_word",
             "unbalanced", "tags", "term_forbidden", "term_deprecated", "term_missing", "inconsistent_translation",
             "inconsistent_source"]


def test_every_check_is_declared_completely():
    assert [c.code for c in checks()] == ALL_CODES
    for c in checks():
        assert re.fullmatch(r"[a-z]+(?:_[a-z]+)*", c.code), c.code
        assert c.severity in SEVERITIES, c
        assert c.description and "\n" not in c.description and len(c.description) < 100, c
        assert c.scope in ("segment", "project") and callable(c.run), c
        assert get(c.code) is c
    assert [c.code for c in checks("project")] == ["inconsistent_translation", "inconsistent_source"]
    assert [c.code for c in checks("segment") if c.blank_target] == ["empty"]
    assert {c.code: c.severity for c in checks() if c.severity != "warning"} == {
        "empty": "error", "date_mismatch": "error", "number_mismatch": "error", "edge_space": "info",
        "term_forbidden": "error"}


def test_checks_table_is_the_registry():
    assert list(CHECKS) == ALL_CODES and len(CHECKS) == len(ALL_CODES)
    for c in checks():
        assert CHECKS[c.code] == (c.severity, c.default, c.description)
    assert "no_such_check" not in CHECKS
    assert default_settings()["checks"] == {c.code: c.default for c in checks()}


def test_a_code_cannot_be_registered_twice_or_with_a_bad_severity():
    with pytest.raises(ValueError, match="twice"):
        check(code="empty", severity="error", description="again")(lambda p: iter(()))
    with pytest.raises(ValueError, match="severity"):
        check(code="x_bad", severity="fatal", description="bad")
    with pytest.raises(ValueError, match="scope"):
        check(code="x_bad", severity="info", description="bad", scope="document")
    assert "x_bad" not in CHECKS and len(CHECKS) == len(ALL_CODES)


POSITIVE = {}
for _code, _src, _tgt, _sl, _tl, _flagged in CASES:
    if _flagged:
        POSITIVE.setdefault(_code, (_src, _tgt, _sl, _tl))


@pytest.mark.parametrize("code", sorted(POSITIVE))
def test_a_check_switched_off_does_not_run_and_severity_can_be_overridden(code):
    src, tgt, sl, tl = POSITIVE[code]
    found = check_segment(src, tgt, sl, tl)
    assert code in {f.code for f in found}
    off = check_segment(src, tgt, sl, tl, settings={"checks": {code: False}})
    assert code not in {f.code for f in off}
    # the findings of the other checks stay as they were
    assert [f for f in off] == [f for f in found if f.code != code]
    sev = next(s for s in SEVERITIES if s != get(code).severity)
    assert {f.severity for f in check_segment(src, tgt, sl, tl, settings={"severity": {code: sev}})
            if f.code == code} == {sev}


def test_a_blank_target_gets_only_the_empty_check():
    src = "On 25 May 1995, 1,500 delegates met (in Phnom Penh)."
    assert [f.code for f in check_segment(src, " \u200b", "en", "ru")] == ["empty"]
    assert check_segment(src, "", "en", "ru", settings={"checks": {"empty": False}}) == []


def test_project_checks_switched_off_by_the_project_setting(tmp_path):
    p = Project.create(tmp_path / "c.db", "c", "en", ["ru"])
    p.add_document("d", [(0, "The talks ended."), (1, "The meeting ended."), (2, "The talks ended.")])
    a, b, c = (s.id for s in p.segments())
    for sid, text in ((a, "Переговоры завершились."), (b, "Переговоры завершились."), (c, "Встреча завершилась.")):
        p.set_translation(sid, "ru", text, origin="human", status="translated")
    codes = [(f.segment_id, f.code) for f in check_project(p)]
    assert sorted(codes) == sorted([(a, "inconsistent_translation"), (c, "inconsistent_translation"),
                                    (a, "inconsistent_source"), (b, "inconsistent_source")])
    set_check(p, "inconsistent_translation", False)
    assert [(f.segment_id, f.code) for f in check_project(p)] == [(a, "inconsistent_source"),
                                                                 (b, "inconsistent_source")]
    found = check_project(p, settings={"severity": {"inconsistent_source": "error"}})
    assert {f.severity for f in found if f.code == "inconsistent_source"} == {"error"}
    with pytest.raises(InputError, match="unknown QA check"):
        set_check(p, "inconsistent", False)
    p.close()
