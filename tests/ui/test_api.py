"""The editor's public API through gradio_client, against a real server (one per module)."""

from __future__ import annotations

import pytest

from workbench.core.store import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server[0], verbose=False)


def _err():
    from gradio_client.exceptions import AppError

    return AppError


def test_public_endpoints_are_named(client):
    api = client.view_api(print_info=False, return_format="dict")
    names = set(api["named_endpoints"])
    for name in ("list_projects", "create_project", "segments", "segment", "save", "confirm", "history", "undo",
                 "split", "merge"):
        assert f"/{name}" in names, sorted(names)


def test_list_and_read_segments(client, server):
    projects = client.predict(api_name="/list_projects")
    assert [p["name"] for p in projects] == ["fixture"]
    assert projects[0]["languages"] == ["ru", "km"]
    segs = client.predict("fixture", api_name="/segments")
    with Project.open(server[2]) as proj:
        assert [s["source"] for s in segs] == [s.source for s in proj.segments()]
    hits = client.predict("fixture", "all", "all", "all", "phnom penh", "source", api_name="/segments")
    assert [h["source"] for h in hits] == ["The ASEAN Regional Forum met in Phnom Penh."]


def test_save_with_version_check_and_undo(client, server):
    seg = client.predict("fixture", "all", "all", "all", "bilateral level", api_name="/segments")[0]
    sid, ver = seg["id"], seg["translations"]["ru"]["version"]
    saved = client.predict("fixture", sid, "ru", "Сотрудничество продолжается.", ver, api_name="/save")
    assert saved["version"] == ver + 1 and saved["status"] == "draft" and saved["origin"] == "human"
    # A second save built on the old version is refused and changes nothing.
    with pytest.raises(_err(), match="was changed by"):
        client.predict("fixture", sid, "ru", "Чужая правка.", ver, api_name="/save")
    with Project.open(server[2]) as proj:
        assert proj.translation(sid, "ru").text == "Сотрудничество продолжается."
    undone = client.predict("fixture", sid, "ru", saved["version"], api_name="/undo")
    assert undone["text"] == "" and undone["status"] == "new"
    hist = client.predict("fixture", sid, "ru", api_name="/history")
    assert [h["action"] for h in hist] == ["edit", "undo"]


def test_confirm_returns_next_unconfirmed(client, server):
    segs = client.predict("fixture", api_name="/segments")
    first = segs[0]
    out = client.predict("fixture", first["id"], "km", first["translations"]["km"]["text"],
                         first["translations"]["km"]["version"], api_name="/confirm")
    assert out["translation"]["status"] == "translated"
    assert out["translation"]["origin"] == "mt"  # confirmed unchanged: the origin stays MT
    unconfirmed = [s["id"] for s in segs[1:] if not s["translations"]["km"]["confirmed"]]
    assert out["next"] == unconfirmed[0]
    # The confirmed pair is in the TM at once.
    from workbench.tm.memory import TranslationMemory

    mem = TranslationMemory.open(server[1].ctx.tm_path)
    try:
        hits = mem.lookup(first["source"], "en", "km", min_score=100)
    finally:
        mem.close()
    assert first["translations"]["km"]["text"] in [h.target for h in hits]


def test_split_and_merge(client, server):
    seg = client.predict("fixture", "all", "all", "all", "Joint Declaration", api_name="/segments")[0]
    a, b = client.predict("fixture", seg["id"], "on 25 May", api_name="/split")
    assert a["source"] == "Russia and Cambodia signed the Joint Declaration"
    assert b["source"] == "on 25 May 1995."
    merged = client.predict("fixture", a["id"], b["id"], api_name="/merge")
    assert merged["source"] == seg["source"]
    with pytest.raises(_err(), match="does not occur"):
        client.predict("fixture", seg["id"], "not in there", api_name="/split")


def test_errors_are_one_line_messages(client):
    with pytest.raises(_err(), match="no project named '../../etc/passwd'"):
        client.predict("../../etc/passwd", api_name="/segments")
    with pytest.raises(_err(), match="unknown language code 'xx'"):
        client.predict("fixture", 1, "xx", "text", 0, api_name="/save")
    with pytest.raises(_err(), match="paste a document"):
        client.predict("empty", "   ", "txt", "ru", api_name="/create_project")
    with pytest.raises(_err(), match="unknown language code"):
        client.predict("x", "Some text.", "txt", "ru,zz", api_name="/create_project")


def _desk(server):
    from workbench.ui.desk_client import DeskClient

    return DeskClient(server[0], author="tester")


def _seg(server, fragment):
    with Project.open(server[2]) as proj:
        return next(s for s in proj.segments() if fragment in s.source)


def test_machine_translate_without_a_model_says_so(server):
    seg = _seg(server, "ASEAN Regional Forum")
    with _desk(server) as desk:
        out = desk.call("mt", project="fixture", seg=seg.id, lang="ru", version=seg.translations["ru"].version)
    assert "model" in out["error"].lower() and "Traceback" not in out["error"]
    with Project.open(server[2]) as proj:
        assert proj.translation(seg.id, "ru").origin is None  # nothing written


def test_machine_translate_one_segment(server, tiny_marian_registered):
    seg = _seg(server, "ASEAN Regional Forum")
    before = seg.translations["ru"]
    with _desk(server) as desk:
        out = desk.call("mt", project="fixture", seg=seg.id, lang="ru", version=before.version)
        assert out["saved"]["what"].startswith(f"machine-translated with {tiny_marian_registered}"), out
        with Project.open(server[2]) as proj:
            tr = proj.translation(seg.id, "ru")
            assert tr.origin == "mt" and tr.status == "draft" and tr.text.strip()
            assert tr.meta["mt"]["model"] == tiny_marian_registered
            assert proj.history(seg.id, "ru")[-1].action == "mt"
        # Undo gives back what was there.
        desk.call("undo", project="fixture", seg=seg.id, lang="ru", version=tr.version)
    with Project.open(server[2]) as proj:
        assert proj.translation(seg.id, "ru").text == before.text
