"""The editor's logic (workbench.ui.model) on real project files, without a server."""

from __future__ import annotations

import pytest

from workbench.core.errors import InputError, NotFound, VersionConflict
from workbench.core.store import Project
from workbench.ui import model as M

from .conftest import make_project


@pytest.fixture
def proj(tmp_path):
    path = make_project(tmp_path / "projects")
    with Project.open(path) as p:
        yield p


def test_save_edit_statuses_and_origins(proj):
    sid = proj.segments()[1].id
    tr = M.save_edit(proj, sid, "ru", "Посол написал.", expected_version=0)
    assert (tr.status, tr.origin, tr.version) == ("draft", "human", 1)
    assert M.save_edit(proj, sid, "ru", "Посол написал.", expected_version=1) is None  # nothing changed
    tr = M.save_edit(proj, sid, "ru", "Посол написал.", expected_version=1, confirm=True)
    assert (tr.status, tr.origin) == ("translated", "human")
    assert proj.history(sid, "ru")[-1].action == "confirm"
    with pytest.raises(VersionConflict):
        M.save_edit(proj, sid, "ru", "Другое.", expected_version=1)
    assert proj.translation(sid, "ru").text == "Посол написал."
    tr = M.save_edit(proj, sid, "ru", "Посол написал.", status="approved", expected_version=2)
    assert tr.status == "approved"
    # confirming keeps a higher status
    tr = M.save_edit(proj, sid, "ru", "Посол написал!", expected_version=3, confirm=True)
    assert tr.status == "approved"
    with pytest.raises(InputError, match="empty"):
        M.save_edit(proj, sid, "km", "  ", expected_version=0, confirm=True)


def test_confirm_unchanged_mt_keeps_origin(proj):
    first = proj.segments()[0]
    tr = M.save_edit(proj, first.id, "km", first.translations["km"].text, expected_version=1, confirm=True)
    assert (tr.status, tr.origin) == ("translated", "mt")


def test_filters_and_search(proj):
    """The editor's filters read the store's indexed views (and agree with what the rows hold)."""
    segs = proj.segments()
    langs = proj.target_langs

    def ids(flt: M.Filter) -> list[int]:
        return [s.id for s in proj.segment_page(flt.view(langs), 0, 100)]

    assert ids(M.Filter(origin="mt")) == [segs[0].id]
    assert ids(M.Filter(origin="mt", lang="ru")) == []
    assert len(ids(M.Filter(status="new", lang="km"))) == len(segs) - 1
    assert len(ids(M.Filter(status="unconfirmed"))) == len(segs)
    assert ids(M.Filter(status="confirmed")) == []
    found = proj.segment_page(M.Filter(query="ASEAN regional").view(langs))
    assert [s.source for s in found] == ["The ASEAN Regional Forum met in Phnom Penh."]
    assert ids(M.Filter(query="ASEAN", scope="target")) == []
    assert len(ids(M.Filter(query="សហព័ន្ធ", scope="target"))) == 1
    missing = {"concept": "arf", "source": "ASEAN Regional Forum", "target": "Региональный форум АСЕАН"}
    tr = proj.set_translation(segs[2].id, "ru", "x", meta={"terms": {"missing": [missing], "forbidden": []}})
    assert M.stored_problems(tr) == [M.Problem("term-missing", "term missing: ASEAN Regional Forum → "
                                                               "Региональный форум АСЕАН")]


def test_filter_from_input_values():
    flt = M.Filter.from_values(["confirmed", None, "km", "Phnom", "", 1])
    assert flt == M.Filter(status="confirmed", origin="all", lang="km", query="Phnom", scope="source and target",
                           qa_only=True)
    assert M.FILTER_FIELDS == ("status", "origin", "lang", "query", "scope", "qa_only")
    with pytest.raises(ValueError, match="expected 6 filter values"):
        M.Filter.from_values(["all"] * 5)


def test_live_findings_carry_codes(proj):
    seg = next(s for s in proj.segments() if "25 May 1995" in s.source)
    proj.set_translation(seg.id, "ru", "Россия и Камбоджа подписали Совместную декларацию 25 мая 1996 года.")
    found = M.live_findings(proj.segment(seg.id), "ru", "en")
    assert {f.code for f in found if f.severity in ("error", "warning")} == {"date_mismatch"}, found
    assert any("25 May 1995" in f.message for f in found)
    other = next(s for s in proj.segments() if "Phnom Penh" in s.source)
    assert M.live_findings(other, "km", "en") == []  # untouched: not translated yet


def test_labels(proj):
    sid = proj.segments()[3].id
    tr = proj.set_translation(sid, "ru", "x", origin="tm", status="draft", score=87.4, meta={"tm": {"match": 87.4}})
    assert M.status_label(tr) == "◐ draft · TM 87%"
    tr = proj.set_translation(sid, "ru", "x", origin="aligned", meta={"align": {"confidence": 0.42, "review": True}})
    assert M.origin_label(tr) == "aligned 0.42 (check)"
    from workbench.ui.rows import row_html

    html = row_html(proj.segment(sid), ["km"])
    assert f"#{sid}" in html and "The ASEAN Regional Forum met in Phnom Penh." in html
    assert "data-lang='km'" in html and "data-lang='ru'" not in html  # only the languages shown


def test_split_offset():
    src = "One sentence here and another there."
    assert M.split_offset(src, "and another") == src.index("and another")
    assert M.split_offset(src, "12") == 12
    with pytest.raises(InputError):
        M.split_offset(src, "missing words")
    with pytest.raises(InputError):
        M.split_offset(src, "")


def test_workspace_never_uses_names_as_paths(tmp_path):
    path = make_project(tmp_path / "projects")
    ws = M.Workspace(tmp_path / "projects")
    assert ws.resolve("fixture") == path.resolve()
    assert ws.resolve(str(path.resolve())) == path.resolve()
    outside = make_project(tmp_path / "elsewhere", "other")
    for ref in (str(outside), "../elsewhere/other", "other", "/etc/passwd", ""):
        with pytest.raises(NotFound):
            ws.resolve(ref)
    assert ws.new_path("../../evil name").parent == (tmp_path / "projects")
    assert ws.new_path("fixture").name == "fixture-2.db"
    ws.add(outside)
    assert ws.resolve("other") == outside.resolve()
    ws.close_all()


def test_start_project_missing_file_is_one_line_error(tmp_path):
    ws = M.Workspace(tmp_path / "projects")
    with pytest.raises(NotFound, match="no such project file"):
        M.start_project(ws, tmp_path / "nope.db")
    bad = tmp_path / "bad.db"
    bad.write_text("not sqlite")
    with pytest.raises(InputError, match="not a workbench project"):
        M.start_project(ws, bad)


def test_workspace_create_from_uploads(tmp_path):
    from workbench.core.config import SEED_ARTICLE

    ws = M.Workspace(tmp_path / "projects")
    # The upload's own name is a label, never a path; the project lands in the workspace folder.
    up = tmp_path / "upload.tmp"
    up.write_bytes(SEED_ARTICLE.read_bytes())
    path = ws.create("", file=up, upload_name="../../Seed Article.txt", targets=["ru"])
    assert path.parent == (tmp_path / "projects").resolve() and path.name == "Seed Article.db"
    proj = ws.project(str(path))
    assert proj.target_langs == ["ru"] and proj.documents()[0].origin == "Seed Article.txt"
    html = tmp_path / "page.bin"
    html.write_text("<html><body><h1>Title here</h1><p>First sentence. Second sentence.</p></body></html>",
                    encoding="utf-8")
    path = ws.create("page", file=html, upload_name="page.html")
    assert [s.source for s in ws.project(str(path)).segments()][-2:] == ["First sentence.", "Second sentence."]
    before = sorted(p.name for p in (tmp_path / "projects").iterdir())
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02\xff" * 100)
    with pytest.raises(InputError):
        ws.create("bad", file=bad, upload_name="bad.txt")
    with pytest.raises(InputError, match="unknown document type"):
        ws.create("bad", file=bad, upload_name="bad.docx")
    with pytest.raises(InputError, match="target language"):
        ws.create("x", text="Some text.", targets=[])
    assert sorted(p.name for p in (tmp_path / "projects").iterdir()) == before  # nothing left behind
    ws.close_all()


def test_confirmed_segment_feeds_the_tm_under_the_project_key(proj, tmp_path):
    from workbench.tm.memory import TranslationMemory

    sid = proj.segments()[3].id
    mem = TranslationMemory.open(tmp_path / "tm.db")
    assert mem.add_segment(proj, sid) is None  # nothing confirmed yet
    proj.set_translation(sid, "ru", "Форум АСЕАН собрался.", status="translated")
    uid = mem.add_segment(proj, sid)
    assert uid and mem.add_segment(proj, sid) == uid  # re-feeding updates the same unit
    hits = mem.lookup("The ASEAN Regional Forum met in Phnom Penh.", "en", "ru")
    assert [(h.target, round(h.score)) for h in hits] == [("Форум АСЕАН собрался.", 100)]
    # A later bulk import of the project replaces the unit rather than duplicating it.
    mem.add_from_project(proj)
    assert len(mem.lookup("The ASEAN Regional Forum met in Phnom Penh.", "en", "ru")) == 1
    mem.close()


def test_callback_errors_become_one_short_message(tmp_path, caplog):
    from workbench.core.errors import VersionConflict
    from workbench.ui.app import build_app

    path = make_project(tmp_path / "projects")
    app = build_app(path, folder=tmp_path / "projects", tm_path=tmp_path / "tm.db")
    try:
        def user_mistake():
            raise InputError("bad.txt: not UTF-8; save it as UTF-8")

        def conflict():
            raise VersionConflict("segment 3 (ru) was changed by ana at 2024-01-01T00:00:00Z; reload it")

        def bug():
            raise RuntimeError("internal detail /secret/path")

        ctx = app.ctx
        msgs = {name: ctx.guard(fn)()[ctx.msg] for name, fn in
                (("mistake", user_mistake), ("conflict", conflict), ("bug", bug))}
        assert "bad.txt: not UTF-8; save it as UTF-8" in msgs["mistake"]
        assert "Not saved" in msgs["conflict"] and "still in the box" in msgs["conflict"]
        assert "secret" not in msgs["bug"] and "Traceback" not in msgs["bug"] and "server log" in msgs["bug"]
        assert "internal detail /secret/path" in caplog.text  # the details went to the log
        # Messages are escaped text, never markup.
        def markup():
            raise InputError("<img src=x onerror=alert(1)>.txt: empty")
        assert "<img" not in ctx.guard(markup)()[ctx.msg]
    finally:
        app.close()
