"""Translation memory: storage, exact/fuzzy/concordance lookup, TMX import/export round trips, pre-translation,
project export."""

from __future__ import annotations

import sqlite3

import pytest
from lxml import etree

from workbench.core.errors import InputError, UnknownLanguage
from workbench.core.store import Project
from workbench.export.project import export_project
from workbench.tm.fill import fill_from_tm
from workbench.tm.match import normalize, similarity
from workbench.tm.memory import TranslationMemory

from .test_tmx import XML_LANG, validate

MIN = "The Minister of Foreign Affairs met the Ambassador of the Kingdom of Cambodia on 5 May 2024."
MIN_RU = "Министр иностранных дел встретился с послом Королевства Камбоджа 5 мая 2024 года."


@pytest.fixture
def tm(tmp_path):
    memory = TranslationMemory.open(tmp_path / "tm.db")
    memory.add(MIN, MIN_RU, "en", "ru", tm="mfa")
    memory.add("The sides discussed bilateral cooperation and trade.",
               "Стороны обсудили двустороннее сотрудничество и торговлю.", "en", "ru", tm="mfa")
    memory.add("The Prime Minister will visit Phnom Penh next week.",
               "Премьер-министр посетит Пномпень на следующей неделе.", "en", "ru", tm="mfa")
    memory.add("Talks will continue in Phnom Penh.", "កិច្ចពិភាក្សានឹងបន្តនៅភ្នំពេញ។", "en", "km", tm="mfa")
    yield memory
    memory.close()


def test_default_location_and_indexes(workbench_home):
    with TranslationMemory.open() as memory:
        assert memory.path == workbench_home / "tm.db"
        memory.add("a b", "а б", "en", "ru")
    con = sqlite3.connect(workbench_home / "tm.db")
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'table')")}
    assert {"variant_key", "variant_fts", "unit"} <= indexes
    con.close()


def test_normalize():
    assert normalize("  “Hello”\u00a0 world\u200b  ") == '"Hello" world'
    assert normalize("«Да»") == '"Да"'
    assert normalize("ឆ្នាំ ២០២៤") == "ឆ្នាំ 2024"


def test_exact_match_ignores_whitespace_quotes_and_digit_script(tm):
    query = "The  Minister of Foreign Affairs met the Ambassador of the Kingdom of Cambodia on ៥ May ២០២៤."
    hits = tm.lookup(query, "en", "ru")
    assert hits[0].score == 100 and hits[0].target == MIN_RU and hits[0].tm == "mfa" and hits[0].exact


def test_fuzzy_match_with_number_and_punctuation_penalties(tm):
    changed_number = tm.lookup(MIN.replace("5 May", "6 May"), "en", "ru")
    assert changed_number and changed_number[0].target == MIN_RU
    assert "numbers" in changed_number[0].flags and changed_number[0].score < 96
    no_period = tm.lookup(MIN[:-1], "en", "ru")[0]
    assert "punctuation" in no_period.flags and 95 <= no_period.score < 100
    case = tm.lookup(MIN.upper(), "en", "ru")[0]
    assert case.flags == ["case"] and case.score == 99
    # the same edit distance scores lower when it changes a number than when it changes a letter
    letter = tm.lookup(MIN.replace("Foreign", "Foreigm"), "en", "ru")[0]
    assert letter.score > changed_number[0].score


def test_fuzzy_ranking_threshold_and_direction(tm):
    hits = tm.lookup("The Prime Minister will visit Phnom Penh next month.", "en", "ru", min_score=50)
    assert hits[0].target.startswith("Премьер-министр") and 75 <= hits[0].score < 100
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))
    assert tm.lookup("Completely unrelated words here.", "en", "ru") == []
    # reverse direction works from the same units, and a km lookup only sees units with a km variant
    assert tm.lookup(MIN_RU, "ru", "en")[0].target == MIN
    km = tm.lookup("Talks will continue in Phnom Penh!", "en", "km")
    assert [h.target for h in km] == ["កិច្ចពិភាក្សានឹងបន្តនៅភ្នំពេញ។"]
    assert tm.lookup(MIN, "en", "km") == []
    assert tm.lookup(MIN, "en", "ru", tm="other") == []


def test_khmer_source_lookup(tm):
    hits = tm.lookup("កិច្ចពិភាក្សានឹងបន្តនៅភ្នំពេញ", "km", "en", min_score=80)
    assert hits and hits[0].target == "Talks will continue in Phnom Penh."


def test_similarity_scale():
    assert similarity("abc def", "abc  def")[0] == 100
    assert similarity("Hello world.", "Completely different")[0] < 50


def test_same_pair_added_twice_is_stored_once(tm):
    n = len(tm)
    tm.add(MIN, MIN_RU, "en", "ru", tm="mfa")
    assert len(tm) == n


def test_concordance(tm):
    hits = tm.concordance("phnom penh", "en")
    assert {h.text for h in hits} == {"The Prime Minister will visit Phnom Penh next week.",
                                      "Talks will continue in Phnom Penh."}
    for h in hits:
        assert h.text[h.span[0]:h.span[1]] == "Phnom Penh"
    assert tm.concordance("Penh Phnom", "en") == []  # a phrase, not a bag of words
    ru = tm.concordance("двустороннее сотрудничество", "ru")
    assert ru[0].translations["en"].startswith("The sides discussed")
    km = tm.concordance("ភ្នំពេញ", "km")
    assert km and km[0].translations["en"] == "Talks will continue in Phnom Penh."
    with pytest.raises(InputError):
        tm.concordance("...", "en")


def test_not_a_tm_file(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("hello")
    with pytest.raises(InputError, match="bad.db"):
        TranslationMemory.open(bad)
    with pytest.raises(InputError, match="folder"):
        TranslationMemory.open(tmp_path)


# ------------------------------------------------------------------------------------- project export


def test_export_project_tmx_structure_and_props(tm_project, tmp_path):
    out = tmp_path / "visit.tmx"
    result = export_project(tm_project, out)
    assert result.paths == [out] and result.units == 3  # segments 0, 2 (ru) and 4 (km); 1 is a draft
    tree = validate(out)
    tus = tree.getroot().findall("body/tu")
    first = tus[0]
    props = {p.get("type"): p.text for p in first.findall("prop")}
    assert props == {"x-project": "Visit <2024>", "x-document": "Meeting with the Ambassador",
                     "x-document-id": "1", "x-segment": "1", "x-paragraph": "0"}
    tuvs = first.findall("tuv")
    assert [t.get(XML_LANG) for t in tuvs] == ["en", "ru"]
    ru = tuvs[1]
    assert {p.get("type"): p.text for p in ru.findall("prop")} == {"x-status": "translated", "x-origin": "human"}
    assert ru.get("creationid") == "anna" and ru.get("changeid") == "anna" and ru.get("changedate")
    second = {p.get("type"): p.text for p in tus[1].find("tuv[2]").findall("prop")}
    assert second == {"x-status": "approved", "x-origin": "aligned", "x-score": "0.93"}
    assert tus[1].find("tuv[2]/seg").text == "Посол заявил: «Мы ценим наше партнёрство»."
    assert [t.get(XML_LANG) for t in tus[2].findall("tuv")] == ["en", "km"]


def test_export_filters_languages_status_and_pairwise(tm_project, tmp_path):
    out = tmp_path / "all.tmx"
    assert export_project(tm_project, out, status="all", langs="en,ru").units == 3
    segs = [tu.find("tuv/seg").text for tu in etree.parse(str(out)).getroot().iter("tu")]
    assert "The sides discussed bilateral cooperation & trade." in segs
    assert export_project(tm_project, tmp_path / "d.tmx", status="draft").units == 1
    r = export_project(tm_project, tmp_path / "pair.tmx", pairwise=True)
    assert [p.name for p in r.paths] == ["pair.en-ru.tmx", "pair.en-km.tmx"]
    for p in r.paths:
        validate(p)
    km = etree.parse(str(r.paths[1])).getroot()
    assert {t.get(XML_LANG) for t in km.iter("tuv")} == {"en", "km"} and len(km.findall("body/tu")) == 1
    with pytest.raises(InputError, match="status"):
        export_project(tm_project, tmp_path / "x.tmx", status="done")
    with pytest.raises(UnknownLanguage):
        export_project(tm_project, tmp_path / "x.tmx", langs="fr")
    with pytest.raises(InputError, match="no reviewed"):
        export_project(tm_project, tmp_path / "x.tmx", status="reviewed", langs="ru")
    assert not (tmp_path / "x.tmx").exists()


def test_export_is_deterministic(tm_project, tmp_path):
    a = export_project(tm_project, tmp_path / "a.tmx").paths[0].read_bytes()
    b = export_project(tm_project, tmp_path / "b.tmx").paths[0].read_bytes()
    assert a == b


def test_export_txt_is_line_aligned(tm_project, tmp_path):
    seg = tm_project.segments()[2]
    tm_project.set_translation(seg.id, "km", "ឯកអគ្គរដ្ឋទូតបាននិយាយថា\nយើង។", status="translated", origin="human")
    r = export_project(tm_project, tmp_path / "out.txt", fmt="txt")
    assert [p.name for p in r.paths] == ["out.en.txt", "out.ru.txt", "out.km.txt"]
    lines = {p.name: p.read_text(encoding="utf-8").split("\n") for p in r.paths}
    assert lines["out.en.txt"] == ['The Ambassador said: "We value our partnership."', ""]
    assert lines["out.ru.txt"] == ["Посол заявил: «Мы ценим наше партнёрство».", ""]
    assert lines["out.km.txt"] == ["ឯកអគ្គរដ្ឋទូតបាននិយាយថា យើង។", ""]


def test_round_trip_export_import_export_byte_identical(tm_project, tmp_path):
    first = export_project(tm_project, tmp_path / "first.tmx", status="all").paths[0]
    with TranslationMemory.open(tmp_path / "rt.db") as memory:
        r = memory.import_tmx(first, name="visit")
        assert r.units == 4
        memory.import_tmx(first, name="visit")  # importing again replaces, never duplicates
        assert len(memory) == 4
        second = memory.export_tmx(tmp_path / "second.tmx", tm="visit")
    assert first.read_bytes() == second.read_bytes()


def test_add_from_project_feeds_only_confirmed(tm_project, tmp_path):
    with TranslationMemory.open(tmp_path / "p.db") as memory:
        assert memory.add_from_project(tm_project) == 3
        assert memory.add_from_project(tm_project) == 3 and len(memory) == 3
        assert memory.lookup("The sides discussed bilateral cooperation & trade.", "en", "ru") == []  # draft
        hit = memory.lookup('The Ambassador said: "We value our partnership"', "en", "ru")[0]
        assert hit.target == "Посол заявил: «Мы ценим наше партнёрство»." and hit.tm == "Visit <2024>"


def test_broken_import_changes_nothing(tm, tmp_path):
    before = len(tm)
    bad = tmp_path / "half.tmx"
    bad.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body>'
                   '<tu><tuv xml:lang="en"><seg>one</seg></tuv><tuv xml:lang="ru"><seg>один</seg></tuv></tu>'
                   '<tu><tuv xml:lang="en"><seg>two</seg></tuv><tuv xml:lang="ru"><seg>два', encoding="utf-8")
    with pytest.raises(InputError):
        tm.import_tmx(bad)
    assert len(tm) == before and tm.lookup("one", "en", "ru") == []


# ------------------------------------------------------------------------------------------ TICO-19


def _seg_texts(path):
    """Independent reading with plain lxml: [(tuid, {lang: text})]."""
    out = []
    for tu in etree.parse(str(path)).getroot().iter("tu"):
        out.append((tu.get("tuid"), {tuv.get(XML_LANG): "".join(tuv.find("seg").itertext()) for tuv in tu.iter("tuv")}))
    return out


@pytest.mark.parametrize("pair", ["en-ru", "en-km"])
def test_tico19_import_export_keeps_every_unit(shared_eval, tmp_path, pair):
    src = shared_eval / "tico19" / "TM" / f"all.{pair}.tmx"
    with TranslationMemory.open(tmp_path / "tico.db") as memory:
        r = memory.import_tmx(src, name="tico")
        assert r.units == 3071
        out = memory.export_tmx(tmp_path / "out.tmx", tm="tico")
        # lookups against real data: a TMX sentence is its own exact match
        original = _seg_texts(src)
        tuid, texts = original[100]
        tgt = pair.split("-")[1]
        assert memory.lookup(texts["en"], "en", tgt, limit=1)[0].target == texts[tgt]
    assert _seg_texts(out) == original
    tree = etree.parse(str(out))
    assert tree.getroot().find("header").get("srclang") == "en"


# ---------------------------------------------------------------------------------------- pretranslate


def test_pretranslate_real_project(tm_project, tm, tmp_path):
    # a second document repeating an unconfirmed sentence twice
    tm_project.add_document("Follow-up", [(0, "The Prime Minister will visit Phnom Penh next month."),
                                          (0, "The Prime Minister will visit Phnom Penh next month."),
                                          (1, "Nothing like this is in the memory.")])
    path = tm_project.path
    stats = fill_from_tm(tm_project, ["ru", "km"], tm=tm, threshold=75)
    with Project.open(path) as reopened:  # what was written is in the file
        segs = reopened.segments()
        by_src = [(s.source, s.translations["ru"]) for s in segs]
        # segment 3 repeats confirmed segment 0: reuses its translation as a 100 % project match
        rep = by_src[3][1]
        assert rep.text == MIN_RU and rep.origin == "tm" and rep.status == "draft" and rep.score == 100
        assert rep.meta["tm"]["tm"] == "project"
        # the draft (segment 1) was not new: untouched
        assert by_src[1][1].origin == "mt" and by_src[1][1].status == "draft"
        # segment 4 ru: TM has no en-ru match at 75 % -> stays new
        assert by_src[4][1].status == "new"
        fuzzy = [t for s, t in by_src[5:7]]
        assert fuzzy[0].text == fuzzy[1].text == "Премьер-министр посетит Пномпень на следующей неделе."
        assert 75 <= fuzzy[0].score < 100 and fuzzy[0].meta["tm"]["match"] == fuzzy[0].score
        assert fuzzy[0].meta["tm"]["tm"] == "mfa"
        assert by_src[7][1].status == "new"
        # km: segment 4 (confirmed) untouched; others have no km match
        assert segs[4].translations["km"].status == "reviewed"
        hist = reopened.history(segs[5].id, "ru")
        assert hist[-1].action == "pretranslate" and hist[-1].author == "tm"
    assert stats["ru"].filled == 3 and stats["ru"].repetitions == 2 and stats["ru"].fuzzy == 2
    assert stats["ru"].exact == 1 and stats["ru"].no_match == 2
    # running again changes nothing: the filled targets are no longer new
    again = fill_from_tm(tm_project, ["ru"], tm=tm)
    assert again["ru"].filled == 0


def test_pretranslate_threshold_and_bad_language(tm_project, tm):
    tm_project.add_document("Follow-up", [(0, "The Prime Minister will visit Phnom Penh next month.")])
    assert fill_from_tm(tm_project, ["ru"], tm=tm, threshold=99.5)["ru"].filled == 1  # the repetition only
    with pytest.raises(InputError):
        fill_from_tm(tm_project, ["en"], tm=tm)


def test_add_segment_when_confirmed(tm_project, tmp_path):
    seg = tm_project.segments()[1]
    with TranslationMemory.open(tmp_path / "s.db") as memory:
        assert memory.add_segment(tm_project, seg.id) is None  # only a draft so far
        assert len(memory) == 0
        tm_project.set_translation(seg.id, "ru", status="reviewed")
        uid = memory.add_segment(tm_project, seg.id)
        assert uid and memory.add_segment(tm_project, seg.id) == uid  # updated in place
        memory.add_from_project(tm_project)
        assert len(memory) == 4  # segments 0, 1, 2, 4: the bulk feed reused the unit of segment 1
        hit = memory.lookup("The sides discussed bilateral cooperation & trade.", "en", "ru")[0]
        assert hit.score == 100 and hit.target.startswith("Стороны обсудили")


def test_empty_tmx_import_adds_nothing(tmp_path):
    p = tmp_path / "empty-body.tmx"
    p.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body></body></tmx>', encoding="utf-8")
    with TranslationMemory.open(tmp_path / "e.db") as memory:
        with pytest.raises(InputError, match="no translation units"):
            memory.import_tmx(p)
        assert memory.names() == {} and memory._read("SELECT COUNT(*) FROM header")[0][0] == 0


def test_replacing_units_keeps_token_frequencies_exact(tm_project, tmp_path):
    path = export_project(tm_project, tmp_path / "v.tmx", status="all").paths[0]
    with TranslationMemory.open(tmp_path / "df.db") as memory:
        memory.import_tmx(path, name="v")
        once = memory._read("SELECT token, n FROM token_df ORDER BY token")
        memory.import_tmx(path, name="v")
        memory.add_from_project(tm_project, tm="v2")
        memory.add_from_project(tm_project, tm="v2")
        twice = memory._read("SELECT token, n FROM token_df WHERE n > 0 ORDER BY token")
        assert {t for t, _ in once} == {t for t, _ in twice}
        # re-importing replaced units without double counting: the FTS index agrees with every count
        for token, n in twice:
            got = memory._read("SELECT COUNT(*) FROM variant_fts WHERE variant_fts MATCH ?", (f'"{token}"',))[0][0]
            assert got == n
