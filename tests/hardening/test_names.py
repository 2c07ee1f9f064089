"""Names typed or uploaded by users never become paths outside the data folder."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from workbench.core.projects import projects_dir, safe_name

HOSTILE = ["../../etc/passwd", "..", ".", "/abs/path.db", "C:\\Windows\\system32\\x.db", "a/../../b", "\x00evil",
           "~/.ssh/id_rsa", "name\nwith\nlines", " .. ", "....//....//x", "%2e%2e%2fx", "con", "x" * 500,
           "проект/../../тест", "\u202egnp.exe", "",
           "\U00020000" * 100, "ស្ថានទូត" * 40]  # 4-byte and 3-byte word characters: 80 chars > 255 bytes


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.sampled_from(HOSTILE),
                 st.lists(st.sampled_from(["..", "/", "\\", ".", "a", "\x00", "~", "ы"]), max_size=12).map("".join)))
def test_safe_name_stays_inside_the_projects_folder(name):
    _check(name)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names(name):
    _check(name)


def _check(name):
    folder = projects_dir().resolve()
    safe = safe_name(name)
    assert safe and safe not in (".", "..")
    assert not set(safe) & {"/", "\\", "\x00", "\n", "\r"}
    assert len(safe) <= 80
    target = (folder / f"{safe}.db").resolve()
    assert target.parent == folder
    # creating it really lands in the folder (the name is usable on this filesystem)
    target.touch()
    assert target.is_file() and target.parent == folder
    target.unlink()
