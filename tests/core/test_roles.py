"""Roles are library rules: a change made as an Actor (a logged-in name with a role) is refused by the store or
the glossary when the role may not make it, and the name is what history, the TM and TMX exports record."""

from __future__ import annotations

import copy
import pickle

import pytest
from lxml import etree

from workbench.core.errors import PermissionDenied
from workbench.core.store import Project
from workbench.core.workflow import (
    CREATE_PROJECTS,
    EDIT_GLOSSARY,
    MANAGE_USERS,
    Actor,
    check_edit,
    may,
    require,
    statuses_for,
)
from workbench.export.project import export_project
from workbench.glossary import Glossary
from workbench.tm.memory import TranslationMemory

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RITA = Actor("rita", "translator")
OLGA = Actor("olga", "reviewer")
ANNA = Actor("anna", "admin")


@pytest.fixture
def proj(tmp_path):
    p = Project.create(tmp_path / "visit.db", "visit", "en", ["ru", "km"])
    p.add_document("Visit", [(0, "The Minister met the envoy."), (0, "They discussed trade."),
                             (1, "The talks were frank.")], text="", format="txt")
    yield p
    p.close()


def test_what_each_role_may_set_and_do():
    assert statuses_for("translator") == ("new", "draft", "translated")
    assert statuses_for("reviewer") == ("new", "draft", "translated", "reviewed")
    assert statuses_for("admin")[-1] == "approved" and statuses_for(None)[-1] == "approved"
    assert not may("translator", EDIT_GLOSSARY) and may("reviewer", EDIT_GLOSSARY)
    assert not may("reviewer", CREATE_PROJECTS) and may("admin", CREATE_PROJECTS) and may("admin", MANAGE_USERS)
    assert may(None, CREATE_PROJECTS)  # no logins: everything allowed
    require("somebody", CREATE_PROJECTS)  # a plain name is trusted (scripts, the CLI)
    with pytest.raises(PermissionDenied, match="rita is a translator: only reviewers and admins may edit the glossary"):
        require(RITA, EDIT_GLOSSARY)
    with pytest.raises(PermissionDenied, match="only admins may create projects"):
        require(OLGA, CREATE_PROJECTS)


def test_actor_is_its_name_and_keeps_its_role_when_copied():
    assert RITA == "rita" and f"{RITA}" == "rita" and RITA.role == "translator"
    for other in (copy.deepcopy(RITA), pickle.loads(pickle.dumps(RITA))):
        assert other == "rita" and other.role == "translator" and isinstance(other, Actor)
    with pytest.raises(Exception, match="unknown role"):
        Actor("x", "boss")


def test_translator_edits_and_confirms_but_cannot_review_or_approve(proj):
    sid = proj.segments()[0].id
    tr = proj.save_edit(sid, "ru", "Министр встретился с посланником.", confirm=True, expected_version=0,
                        author=RITA)
    assert tr.status == "translated" and tr.updated_by == "rita" and type(tr.updated_by) is str
    for status in ("reviewed", "approved"):
        with pytest.raises(PermissionDenied, match=f"a translator may set new, draft, translated, not {status}"):
            proj.save_edit(sid, "ru", tr.text, status=status, expected_version=tr.version, author=RITA)
    assert proj.translation(sid, "ru").version == tr.version  # nothing written
    tr = proj.save_edit(sid, "ru", tr.text, status="reviewed", expected_version=tr.version, author=OLGA)
    assert tr.status == "reviewed"
    # a reviewed text is out of a translator's hands: editing, lowering the status, undo are refused
    for attempt in (lambda: proj.save_edit(sid, "ru", "Другой текст.", expected_version=tr.version, author=RITA),
                    lambda: proj.save_edit(sid, "ru", tr.text, status="draft", expected_version=tr.version,
                                           author=RITA),
                    lambda: proj.undo(sid, "ru", expected_version=tr.version, author=RITA)):
        with pytest.raises(PermissionDenied, match="is reviewed: only reviewers and admins may change it"):
            attempt()
    assert proj.translation(sid, "ru").text == "Министр встретился с посланником."
    tr = proj.save_edit(sid, "ru", tr.text, status="approved", expected_version=tr.version, author=ANNA)
    with pytest.raises(PermissionDenied, match="is approved: only admins may change it"):
        proj.save_edit(sid, "ru", "Правка.", expected_version=tr.version, author=OLGA)
    tr = proj.undo(sid, "ru", expected_version=tr.version, author=ANNA)  # an admin may undo the approval
    assert tr.status == "reviewed"
    assert [h.author for h in proj.history(sid, "ru")] == ["rita", "olga", "anna", "anna"]
    # a plain name (no logins, scripts) is not checked, as before
    proj.save_edit(sid, "ru", tr.text, status="approved", expected_version=tr.version, author="script")


def test_check_edit_messages_name_the_segment():
    with pytest.raises(PermissionDenied, match=r"segment 7 \(km\) is approved"):
        check_edit(RITA, "approved", "approved", "segment 7 (km)")
    check_edit(RITA, "draft", "translated")
    check_edit("anyone", "approved", "new")


def test_glossary_edits_need_a_reviewer_or_admin(tmp_path):
    path = tmp_path / "terms.csv"
    g = Glossary()
    g.add_concept("envoy")
    g.add_term("envoy", "en", "envoy", "preferred")
    g.save(path, note="start")
    g = Glossary.load(path)
    g.add_term("envoy", "ru", "посланник", "preferred")
    before = path.read_bytes()
    with pytest.raises(PermissionDenied, match="only reviewers and admins may edit the glossary"):
        g.save(path, note="edit", author=RITA)
    assert path.read_bytes() == before
    g.save(path, note="edit", author=OLGA)
    assert Glossary.load(path).get("envoy").preferred("ru").text == "посланник"
    assert any("by olga" in v["note"] for v in Glossary.load(path).history())


def test_the_acting_name_reaches_history_tm_and_tmx(proj, tmp_path):
    seg = proj.segments()[1]
    tr = proj.save_edit(seg.id, "ru", "Они обсудили торговлю.", expected_version=0, author=RITA)
    tr = proj.save_edit(seg.id, "ru", tr.text, confirm=True, expected_version=tr.version, author=RITA)
    tr = proj.save_edit(seg.id, "ru", tr.text, status="reviewed", expected_version=tr.version, author=OLGA)
    km = proj.save_edit(seg.id, "km", "ពួកគេបានពិភាក្សាអំពីពាណិជ្ជកម្ម។", confirm=True, expected_version=0, author=ANNA)
    with TranslationMemory.open(tmp_path / "tm.db") as tm:
        tm.add_segment(proj, seg.id)
        out = tmp_path / "tm.tmx"
        tm.export_tmx(out)
    ru_tuv = etree.parse(str(out)).find(".//tuv[@{http://www.w3.org/XML/1998/namespace}lang='ru']")
    assert ru_tuv.get("creationid") == "rita" and ru_tuv.get("changeid") == "olga"
    out = tmp_path / "visit.tmx"
    export_project(proj, out)
    tu = etree.parse(str(out)).find("body/tu")
    tuvs = {t.get(XML_LANG): t for t in tu.findall("tuv")}
    assert (tuvs["ru"].get("creationid"), tuvs["ru"].get("changeid")) == ("rita", "olga")
    assert (tuvs["km"].get("creationid"), tuvs["km"].get("changeid")) == ("anna", "anna")
    for t in (tuvs["ru"], tuvs["km"]):
        assert t.get("creationdate") and t.get("changedate") and t.get("creationdate") <= t.get("changedate")
    assert tuvs["ru"].get("changedate") == tr.updated_at.replace("-", "").replace(":", "")
    assert tu.get("changedate") == max(t.get("changedate") for t in (tuvs["ru"], tuvs["km"]))
    assert tu.get("changeid") == ("anna" if km.updated_at >= tr.updated_at else "olga")
