"""The segment desk's requests against a real server (one per module), as the browser sends them
(:class:`workbench.ui.desk_client.DeskClient`): pages and filters, save/confirm/next, conflicts, status
messages, undo, split/merge, seeing each other (changes and soft locks), background jobs that block nobody."""

from __future__ import annotations

import re
import threading

import pytest

from workbench.core.store import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def desks(server):
    from workbench.ui.desk_client import DeskClient

    a, b = DeskClient(server[0], author="rita"), DeskClient(server[0], author="boris")
    yield a, b
    a.close()
    b.close()


def _seg(server, fragment):
    with Project.open(server[2]) as proj:
        return next(s for s in proj.segments() if fragment in s.source)


def test_boot_shows_the_first_page_as_escaped_rows(desks):
    rita, _ = desks
    out = rita.call("boot", project="fixture")
    assert not out.get("error"), out
    assert out["project"]["key"] == "fixture" and [t["code"] for t in out["project"]["targets"]] == ["ru", "km"]
    assert out["info"].startswith("Segments 1–6 of 6") and len(out["rows"]) == 6
    html = " ".join(r["html"] for r in out["rows"])
    assert "<script>" not in html and "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "**Bold claims** and &lt;b&gt;tags&lt;/b&gt;" in html
    assert "<mark class='term'" in html  # glossary terms highlighted in the source
    assert out["active"] == out["rows"][0]["id"]
    assert rita.call("boot", project="../../etc/passwd")["error"].startswith("no project named")
    assert rita.call("nonsense", project="fixture")["error"] == "unknown action 'nonsense'"


def test_confirm_saves_and_moves_to_the_next_unconfirmed_in_the_filter(desks, server):
    rita, _ = desks
    seg = _seg(server, "ASEAN Regional Forum")
    page = rita.call("page", project="fixture", filter={"status": "unconfirmed", "lang": "ru"})
    ids = [r["id"] for r in page["rows"]]
    assert seg.id in ids
    ver = next(r for r in page["rows"] if r["id"] == seg.id)["t"]["ru"]["version"]
    out = rita.call("save", project="fixture", seg=seg.id, lang="ru", text="Региональный форум АСЕАН.", version=ver,
                    confirm=True, ids=ids, filter={"status": "unconfirmed", "lang": "ru"})
    assert out["saved"]["what"] == "confirmed" and out["saved"]["by"] == "rita"
    ru = out["row"]["t"]["ru"]
    assert (ru["status"], ru["text"]) == ("translated", "Региональный форум АСЕАН.")
    after = ids[ids.index(seg.id) + 1:] + ids[:ids.index(seg.id)]
    assert out["next"] == after[0]
    with Project.open(server[2]) as proj:
        tr = proj.translation(seg.id, "ru")
        assert (tr.text, tr.status, tr.origin, tr.updated_by) == ("Региональный форум АСЕАН.", "translated", "human",
                                                                  "rita")
    # A save built on the old version is refused, says by whom, and changes nothing.
    stale = rita.call("save", project="fixture", seg=seg.id, lang="ru", text="Другое.", version=ver)
    assert stale["conflict"] and "was changed by rita" in stale["error"] and "still in the box" in stale["error"]
    with Project.open(server[2]) as proj:
        assert proj.translation(seg.id, "ru").text == "Региональный форум АСЕАН."


def test_a_status_change_says_what_it_did_and_undo_restores(desks, server):
    rita, _ = desks
    seg = _seg(server, "celebrated the anniversary")
    with Project.open(server[2]) as proj:
        ver = proj.translation(seg.id, "ru").version
    out = rita.call("save", project="fixture", seg=seg.id, lang="ru", text="Годовщина.", version=ver)
    assert out["saved"]["what"] == "saved" and out["saved"]["status"] == "draft"
    out = rita.call("save", project="fixture", seg=seg.id, lang="ru", status="reviewed",
                    version=out["saved"]["version"])
    assert out["saved"]["what"] == "status set to reviewed"
    same = rita.call("save", project="fixture", seg=seg.id, lang="ru", status="reviewed",
                     version=out["saved"]["version"])
    assert same["saved"]["what"] == "nothing changed"
    undone = rita.call("undo", project="fixture", seg=seg.id, lang="ru", version=out["saved"]["version"])
    assert undone["row"]["t"]["ru"]["status"] == "draft" and undone["saved"]["what"] == "undone"
    panel = rita.call("panel", project="fixture", seg=seg.id, lang="ru")
    assert "undo" in panel["html"] and "status set" not in panel["html"]
    assert f"Segment id {seg.id}" in panel["html"] and "position 5 of 6" in panel["html"]


def test_others_see_saves_and_soft_locks(desks, server):
    rita, boris = desks
    seg = _seg(server, "bilateral level")
    page = boris.call("boot", project="fixture")
    ids = [r["id"] for r in page["rows"]]
    cursor = page["cursor"]
    # rita opens the segment (her panel request holds a soft lock on it)
    rita.call("panel", project="fixture", seg=seg.id, lang="km")
    seen = boris.call("poll", project="fixture", cursor=cursor, ids=ids, seg=ids[0])
    assert seen["locks"] == {str(seg.id): "rita is editing"}
    assert "rows" not in seen  # nothing saved since boris looked
    with Project.open(server[2]) as proj:
        ver = proj.translation(seg.id, "km").version
    rita.call("save", project="fixture", seg=seg.id, lang="km", text="កិច្ចសហប្រតិបត្តិការ", version=ver)
    seen = boris.call("poll", project="fixture", cursor=cursor, ids=ids, seg=ids[0])
    assert [r["id"] for r in seen["rows"]] == [seg.id] and seen["by"] == {str(seg.id): ["rita"]}
    assert seen["rows"][0]["t"]["km"]["text"] == "កិច្ចសហប្រតិបត្តិការ" and "RU" in seen["head"]
    # boris's own lock is not shown to him; rita sees it; leaving drops it
    assert str(ids[0]) in rita.call("poll", project="fixture", cursor=seen["cursor"], ids=ids)["locks"]
    boris.call("leave", project="fixture")
    assert rita.call("poll", project="fixture", cursor=seen["cursor"], ids=ids)["locks"] == {}


def test_a_split_reaches_the_other_session_as_a_new_page(desks, server):
    rita, boris = desks
    seg = _seg(server, "Joint Declaration")
    page = boris.call("boot", project="fixture")
    out = rita.call("split", project="fixture", seg=seg.id, at="on 25 May")
    assert "Split segment" in out["message"] and out["active"] == seg.id
    seen = boris.call("poll", project="fixture", cursor=page["cursor"], ids=[r["id"] for r in page["rows"]])
    assert seen["page"]["count"] == page["count"] + 1
    merged = rita.call("merge", project="fixture", seg=seg.id)
    assert merged["message"].startswith("Merged") and merged["count"] == page["count"]
    assert rita.call("split", project="fixture", seg=seg.id, at="nowhere in it")["error"].startswith("'nowhere")


def test_search_filter_and_a_missing_segment(desks):
    rita, _ = desks
    out = rita.call("page", project="fixture", filter={"query": "phnom penh", "scope": "source"})
    assert out["count"] == 1
    assert re.search(r"<mark class='(term )?hit'[^>]*>Phnom Penh</mark>", out["rows"][0]["html"]), out["rows"][0]
    out = rita.call("boot", project="fixture", seg=987654)  # not in the project: the first to do instead
    assert out["active"] in [r["id"] for r in out["rows"]]


def test_no_event_shares_a_server_wide_queue(server):
    """Different sessions never wait for each other: every Gradio event of the editor runs without a
    concurrency limit (and the desk's requests do not go through the queue at all)."""
    app = server[1]
    limited = [(fn.name, fn.concurrency_limit, fn.concurrency_id) for fn in app.blocks.fns.values()
               if fn.fn is not None and fn.concurrency_limit is not None]
    assert limited == []


def test_a_background_job_blocks_no_one(desks, server):
    """While a job is running (held at a known point), another session's saves and pages complete, and the
    jobs bar lists the job with its progress; cancelling stops it at its next progress report."""
    rita, boris = desks
    app = server[1]
    go, reached = threading.Event(), threading.Event()

    def work(job):
        job.progress(3, 10)
        reached.set()
        go.wait(60)
        job.progress(4, 10)
        return "finished"

    job = app.ctx.jobs.submit("test", "A long piece of work", work, owner="rita", ref="fixture", unit="steps")
    try:
        assert reached.wait(30)
        seg = _seg(server, "Phnom Penh")
        with Project.open(server[2]) as proj:
            ver = proj.translation(seg.id, "km").version
        out = boris.call("save", project="fixture", seg=seg.id, lang="km", text="វេទិកា", version=ver)
        assert out["saved"]["what"] == "saved" and job.snapshot().state == "running"
        bar = app.ctx.jobs_bar.listing({"project": "fixture", "author": "boris"}, None)
        assert "A long piece of work" in bar["html"] and "3/10 steps" in bar["html"] and bar["active"] == 1
        assert "Cancel" not in bar["html"]  # boris sees rita's job but cannot cancel it
        mine = app.ctx.jobs_bar.listing({"project": "fixture", "author": "rita"}, None)
        assert "Cancel" in mine["html"]
        assert app.ctx.jobs_bar.cancel({"job": job.id, "author": "boris"}, None)["error"].startswith("only rita")
        assert app.ctx.jobs_bar.cancel({"job": job.id, "author": "rita"}, None) == {"ok": True}
    finally:
        go.set()
    assert job.wait(30) and job.state == "cancelled"


def test_pretranslate_runs_as_a_job(desks, server, tiny_marian_registered):
    rita, _ = desks
    out = rita.call("pretranslate", project="fixture", mt_langs=["km"])
    assert "started" in out["message"], out
    job = server[1].ctx.jobs.get(out["job"])
    assert job.wait(300) and job.state == "done", job.snapshot()
    assert job.snapshot().summary.startswith("Pre-translation done: km:")
    with Project.open(server[2]) as proj:
        assert all(s.translations["km"].text for s in proj.segments())
        # the job's changes are the work of the person who started it
        assert {s.translations["km"].updated_by for s in proj.segments() if s.translations["km"].origin == "mt"} \
            == {"rita"}


def test_pretranslate_without_a_model_says_how_to_get_one(desks):
    rita, _ = desks
    out = rita.call("pretranslate", project="fixture", mt_langs=["ru"])
    assert "model" in out["error"] and "workbench models" in out["error"]
    assert rita.call("boot", project="fixture")["mt"]["ru"]


def test_a_tm_match_shows_its_codes_as_chips_and_inserts_its_plain_text():
    from workbench.tm.match import TmMatch
    from workbench.ui.rows import tm_items

    hit = TmMatch("Click Start.", "Нажмите Пуск.", 91.0, "en", "ru", "main", 1,
                  target_markup='Нажмите <bpt i="1">&lt;b&gt;</bpt>Пуск<ept i="1">&lt;/b&gt;</ept>.')
    html, insert = tm_items([hit])[0]
    assert "<span class='wb-tag'>&lt;g1&gt;</span>Пуск<span class='wb-tag'>&lt;/g1&gt;</span>" in html  # chips
    assert insert == "Нажмите Пуск."  # no tags without codes behind them in the target
