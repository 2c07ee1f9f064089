"""Paged, filtered, counted and searched views of a project's segments (indexed queries), what changed since a
cursor, and the QA cache: against real project files, compared with the plain reading of every segment."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.core.store import CONFIRMED, Project
from workbench.core.views import ChangeCursor, SegmentFilter

SOURCES = [
    "Russia and ASEAN held talks in Phnom Penh.",
    "The Joint Declaration was signed in 1995.",
    "Cooperation continues within the UN.",
    "Россия – АСЕАН: a strategic partnership.",
    "The ministers met on 12 March.",
    "A short one.",
]


@pytest.fixture
def proj(tmp_path):
    p = Project.create(tmp_path / "v.db", "v", "en", ["ru", "km"])
    p.add_document("One", [(0, s) for s in SOURCES[:4]])
    p.add_document("Two", [(0, s) for s in SOURCES[4:]])
    segs = p.segments()
    p.set_translation(segs[0].id, "ru", "Россия и АСЕАН провели переговоры в Пномпене.", origin="mt", status="draft",
                      author="mt")
    p.set_translation(segs[1].id, "ru", "Совместная декларация подписана в 1995 году.", origin="human",
                      status="translated", author="rita")
    p.set_translation(segs[2].id, "km", "កិច្ចសហប្រតិបត្តិការ", origin="tm", status="reviewed", author="boris")
    p.set_translation(segs[4].id, "ru", "Министры встретились 12 марта.", origin="aligned", status="approved",
                      author="vera")
    yield p
    p.close()


def plain(proj: Project, flt: SegmentFilter) -> list[int]:
    """The same filter by reading every segment (what the indexes must agree with)."""
    langs = [l for l in flt.langs if l in proj.target_langs] or proj.target_langs
    out = []
    for s in proj.segments():
        if flt.document_id is not None and s.document_id != flt.document_id:
            continue
        if flt.status != "all" or flt.origin != "all":
            ok = False
            for l in langs:
                t = s.translations[l]
                st = {"confirmed": t.status in CONFIRMED, "unconfirmed": t.status not in CONFIRMED}.get(
                    flt.status, flt.status in ("all", t.status))
                org = flt.origin == "all" or (t.origin is None if flt.origin == "none" else t.origin == flt.origin)
                ok = ok or (st and org)
            if not ok:
                continue
        q = flt.query.strip().casefold()
        if q:
            hay = ([s.source] if flt.scope != "target" else []) + (
                [s.translations[l].text for l in langs] if flt.scope != "source" else [])
            if not any(q in h.casefold() for h in hay):
                continue
        out.append(s.id)
    return out


FILTERS = [
    SegmentFilter(),
    SegmentFilter(status="unconfirmed"),
    SegmentFilter(status="unconfirmed", langs=("ru",)),
    SegmentFilter(status="confirmed", langs=("km",)),
    SegmentFilter(status="draft"),
    SegmentFilter(origin="none", langs=("ru",)),
    SegmentFilter(origin="aligned"),
    SegmentFilter(status="translated", origin="human", langs=("ru", "km")),
    SegmentFilter(query="асеан"),  # Cyrillic, other case: the trigram index folds case
    SegmentFilter(query="ASEAN", scope="source"),
    SegmentFilter(query="ASEAN", scope="target"),
    SegmentFilter(query="АСЕАН", scope="target", langs=("km",)),
    SegmentFilter(query="un"),  # shorter than a trigram: scanned
    SegmentFilter(query="1995", scope="source and target"),
    SegmentFilter(query='"quoted"'),
    SegmentFilter(document_id=2),
    SegmentFilter(status="unconfirmed", query="the", document_id=1),
]


@pytest.mark.parametrize("flt", FILTERS, ids=[repr(f) for f in FILTERS])
def test_indexed_views_agree_with_reading_every_segment(proj, flt):
    want = plain(proj, flt)
    assert proj.count_segments(flt) == len(want)
    assert [s.id for s in proj.segment_page(flt, 0, 100)] == want
    assert [s.id for s in proj.segment_page(flt, 1, 2)] == want[1:3]
    for k, sid in enumerate(want):
        assert proj.segment_ordinal(sid, flt) == k
    outside = [s.id for s in proj.segments() if s.id not in want]
    for sid in outside:
        assert proj.segment_ordinal(sid, flt) is None


def test_pages_carry_the_translations(proj):
    page = proj.segment_page(None, 0, 2)
    full = proj.segments()[:2]
    assert page == full


def test_next_segment_wraps_and_skips_confirmed(proj):
    ids = [s.id for s in proj.segments()]
    assert proj.next_segment(ids[0]) == ids[1]
    assert proj.next_segment(ids[-1]) == ids[0]  # wraps
    assert proj.next_segment(ids[-1], wrap=False) is None
    assert proj.next_segment(ids[1], step=-1) == ids[0]
    # ru: segment 2 (translated) and 5 (approved) are confirmed
    assert proj.next_segment(ids[0], unconfirmed="ru") == ids[2]
    assert proj.next_segment(ids[3], unconfirmed="ru") == ids[5]
    assert proj.next_segment(None, unconfirmed="ru") == ids[0]
    only = SegmentFilter(document_id=2)
    assert proj.next_segment(ids[5], only, unconfirmed="ru") is None  # the one left in the filter is itself
    for sid in ids:
        proj.save_edit(sid, "ru", "Текст.", confirm=True)
    assert proj.next_segment(ids[0], unconfirmed="ru") is None


def test_search_follows_edits_splits_and_merges(proj):
    seg = proj.segments()[2]
    assert proj.count_segments(SegmentFilter(query="миротворцы")) == 0
    proj.save_edit(seg.id, "ru", "Сотрудничество и миротворцы.")
    assert [s.id for s in proj.segment_page(SegmentFilter(query="МИРОТВОРЦЫ"))] == [seg.id]
    proj.save_edit(seg.id, "ru", "Сотрудничество продолжается.")
    assert proj.count_segments(SegmentFilter(query="миротворцы")) == 0
    a, b = proj.split_segment(seg.id, SOURCES[2].index("within"))
    assert [s.id for s in proj.segment_page(SegmentFilter(query="within the UN", scope="source"))] == [b.id]
    proj.merge_segments(a.id, b.id)
    assert [s.id for s in proj.segment_page(SegmentFilter(query="continues within", scope="source"))] == [a.id]


def test_changes_since_a_cursor(proj):
    segs = proj.segments()
    cur = proj.change_cursor()
    assert proj.changed_since(cur).segments == {} and not proj.changed_since(cur).structural
    proj.save_edit(segs[3].id, "km", "អត្ថបទ", author="sok")
    proj.save_edit(segs[3].id, "ru", "Текст.", author="rita")
    ch = proj.changed_since(cur)
    assert ch.segments == {segs[3].id: {"sok", "rita"}} and not ch.structural
    assert proj.changed_since(ch.cursor).segments == {}
    proj.split_segment(segs[0].id, 10)
    assert proj.changed_since(ch.cursor).structural
    assert proj.changed_since(None).structural
    assert ChangeCursor.from_list(ch.cursor.as_list()) == ch.cursor
    assert ChangeCursor.from_list(["x"]) is None and ChangeCursor.from_list([1, 2, "a", 4]) is None


def test_qa_cache_is_stale_until_stored_for_the_current_version(proj):
    segs = proj.segments()
    with_text = [(s.id, l) for s in segs for l in ("ru", "km") if s.translations[l].text]
    assert sorted(proj.qa_stale("g1")) == sorted(with_text)
    assert proj.qa_stale_count("g1") == len(with_text)
    rows = [(sid, l, proj.translation(sid, l).version, "g1", 2 if l == "ru" else 0) for sid, l in with_text]
    proj.set_qa_state(rows)
    assert proj.qa_stale("g1") == [] and proj.qa_stale_count("g1") == 0
    assert proj.qa_stale_count("g2") == len(with_text)  # another glossary or settings: all stale again
    flagged = SegmentFilter(qa_stamp="g1")
    ru_flagged = sorted({sid for sid, l in with_text if l == "ru"})
    assert [s.id for s in proj.segment_page(flagged)] == ru_flagged
    assert proj.count_segments(SegmentFilter(qa_stamp="g1", langs=("km",))) == 0
    assert proj.qa_counts([segs[0].id, segs[2].id], ["ru", "km"], "g1") == {(segs[0].id, "ru"): 2}
    proj.save_edit(segs[0].id, "ru", "Новый текст.")  # a new version: its cached count no longer counts
    assert proj.qa_stale("g1") == [(segs[0].id, "ru")]
    assert segs[0].id not in [s.id for s in proj.segment_page(flagged)]


def test_a_version_1_file_is_upgraded_with_its_indexes(tmp_path):
    """A project written before the indexes existed opens with search and the QA cache working."""
    from workbench.core.schema import MIGRATIONS

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    con.execute("INSERT INTO project VALUES (1, 'old', 'en', '[\"ru\"]', '2024-01-01T00:00:00Z')")
    con.execute("INSERT INTO document (id, title, text, created) VALUES (1, 'd', '', '2024')")
    con.execute("INSERT INTO segment (id, document_id, position, paragraph, source) VALUES (1, 1, 0, 0, 'Hello "
                "ASEAN world.')")
    con.execute("INSERT INTO translation (segment_id, lang, text, status) VALUES (1, 'ru', 'Привет, АСЕАН.', "
                "'draft')")
    con.commit()
    con.close()
    with Project.open(path) as p:
        assert p.schema_version == len(MIGRATIONS)
        assert p.count_segments(SegmentFilter(query="asean", scope="source")) == 1
        assert p.count_segments(SegmentFilter(query="асеан", scope="target")) == 1
        assert p.qa_stale("x") == [(1, "ru")]
