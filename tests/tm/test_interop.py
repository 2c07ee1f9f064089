"""TMX from other tools: every language variant and inline code kept through import and export, lookups by
language or exact tag, the import report, the schema migration of older memories, TM codes in projects."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from lxml import etree

from workbench.core.errors import InputError
from workbench.core.store import Project
from workbench.export.project import export_project
from workbench.qa import check_segment
from workbench.tm.fill import fill_from_tm
from workbench.tm.memory import TranslationMemory
from workbench.tm.tmx import read_tmx

from .test_tmx import validate

DATA = Path(__file__).with_name("data")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CODES = ("bpt", "ept", "it", "ph", "hi", "sub", "ut")


def tuvs(path: Path) -> list[tuple[str, str]]:
    """Every <tuv> as (xml:lang or lang as written, lower case; the <seg> content as XML), read with lxml."""
    out = []
    for tuv in etree.parse(str(path)).getroot().iter("tuv"):
        seg = tuv.find("seg")
        if seg is None:
            continue
        inner = (seg.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in seg)
        out.append(((tuv.get(XML_LANG) or tuv.get("lang")).lower(), " ".join(inner.split())))
    return out


def codes_in(path: Path) -> int:
    root = etree.parse(str(path)).getroot()
    return sum(1 for seg in root.iter("seg") for el in seg.iter() if el.tag in CODES)


@pytest.fixture
def memory(tmp_path):
    with TranslationMemory.open(tmp_path / "tm.db") as tm:
        yield tm


def round_trip(memory, src: Path, tmp_path: Path, name="t") -> tuple[Path, Path]:
    """Import, export, import the export, export again: (first export, second export)."""
    memory.import_tmx(src, name=name)
    first = memory.export_tmx(tmp_path / f"{name}.1.tmx", tm=name)
    memory.import_tmx(first, name=name + "2")
    second = memory.export_tmx(tmp_path / f"{name}.2.tmx", tm=name + "2")
    return first, second


# ------------------------------------------------------------------------------------- hand-made files


def test_every_variant_survives_under_its_tag(memory, tmp_path):
    first, second = round_trip(memory, DATA / "variants.tmx", tmp_path)
    assert tuvs(first) == tuvs(DATA / "variants.tmx")  # every variant, in order, same text
    langs = [tuv.get(XML_LANG) for tuv in etree.parse(str(first)).getroot().iter("tuv")]
    assert langs == ["en-US", "en-GB", "ru-RU", "ru", "fr-CA", "fr-CA", "en", "km-KH"]  # letter case normalised
    assert first.read_bytes() == second.read_bytes()
    assert etree.parse(str(first)).getroot().find("header").get("srclang") == "en-US"


def test_lookup_by_language_finds_regional_variants_and_by_tag_only_that_one(memory):
    memory.import_tmx(DATA / "variants.tmx", name="v")
    hits = memory.lookup("The colour of the flag.", "en", "ru", min_score=100)
    assert {(h.src_tag, h.tgt_tag, h.target) for h in hits} == {
        ("en-US", "ru-RU", "Цвет флага."), ("en-US", "ru", "Цвет государственного флага.")}
    assert [h.target for h in memory.lookup("The colour of the flag.", "en", "ru-RU", min_score=100)] == [
        "Цвет флага."]
    fuzzy = memory.lookup("The colour of the flag.", "en-GB", "ru")  # the en-GB text is another sentence
    assert fuzzy and all(h.src_tag == "en-GB" and h.score < 100 for h in fuzzy)
    gb = memory.lookup("The colour of the national flag.", "en-gb", "ru", limit=5)
    assert gb and gb[0].src_tag == "en-GB" and gb[0].score == 100
    km = memory.lookup("The Ambassador arrived in Phnom Penh.", "en", "km")
    assert km[0].tgt_tag == "km-KH" and km[0].target == "ឯកអគ្គរដ្ឋទូតបានមកដល់ភ្នំពេញ។"
    # export of one variant: en-GB only, with ru (every ru variant)
    out = memory.export_tmx(Path(memory.path).with_name("gb.tmx"), tm="v", langs=["en-GB", "ru"])
    assert [t for t, _ in tuvs(out)] == ["en-gb", "ru-ru", "ru"]
    hits = memory.concordance("national flag", "en")
    assert hits[0].translations["ru-RU"] == "Цвет флага." and hits[0].translations["fr-CA"] == "La couleur du drapeau."


def test_inline_codes_kept_and_plain_text_matched(memory, tmp_path):
    first, second = round_trip(memory, DATA / "codes.tmx", tmp_path)
    assert tuvs(first) == tuvs(DATA / "codes.tmx") and codes_in(first) == codes_in(DATA / "codes.tmx") == 18
    assert first.read_bytes() == second.read_bytes()
    units = {u.tuid: u for u in memory.units("t")}
    assert units["placeholder"].text("en") == "Click to start."  # no double space where the <ph> was
    assert units["isolated"].text("en") == "See the annex."
    assert units["sub-and-hi"].text("en") == "Read the note first."
    assert units["codes-only"].text("en") == ""  # not whitespace: the codes are in the markup
    hit = memory.lookup("Click to start.", "en", "ru")[0]
    assert hit.score == 100 and hit.target == "Нажмите, чтобы начать."
    assert hit.tagged == "Нажмите <x1/>, чтобы начать." and hit.as_tm_meta().codes[0]["xml"].startswith("<ph")
    fuzzy = memory.lookup("Click to begin.", "en", "ru", min_score=50)[0]
    assert fuzzy.target == "Нажмите, чтобы начать." and fuzzy.score < 100


def test_import_report_counts_every_unit(memory, tmp_path):
    r = memory.import_tmx(DATA / "counts.tmx", name="c")
    assert (r.read, r.units, r.new, r.replaced) == (9, 3, 3, 0)
    assert (r.duplicates, r.same_tuid, r.empty, r.one_language, r.empty_variants) == (2, 1, 2, 1, 3)
    assert r.languages == {"en": 3, "en-GB": 1, "ru": 2}
    assert r.read == r.units + r.duplicates + r.same_tuid + r.empty + r.one_language
    assert len(memory) == 3 and memory.lookup("Two.", "en", "ru")[0].target == "Два."  # the later t2
    again = memory.import_tmx(DATA / "counts.tmx", name="c")
    assert (again.new, again.replaced) == (0, 3) and len(memory) == 3
    text = "\n".join(again.lines())
    assert "9 units read, 3 stored in 'c' (0 new, 3 replaced)" in text and "2 exact duplicates" in text
    assert "skipped: 2 empty, 1 with one language only" in text
    r = memory.import_tmx(DATA / "variants.tmx", name="c", replace=True)
    assert r.removed == 3 and len(memory) == 2


def test_only_empty_or_one_language_units_import_nothing(memory, tmp_path):
    p = tmp_path / "one.tmx"
    p.write_text('<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>Only English.</seg>'
                 '</tuv></tu><tu><tuv xml:lang="en"><seg>  </seg></tuv><tuv xml:lang="ru"><seg/></tuv></tu>'
                 '</body></tmx>', encoding="utf-8")
    with pytest.raises(InputError, match=r"2 read: 1 empty, 1 with one language only") as err:
        memory.import_tmx(p)
    assert "\n" not in str(err.value) and len(memory) == 0


def test_older_memory_is_migrated_and_keeps_working(tmp_path):
    from workbench.tm import memory as mem

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(mem._SCHEMA_1)  # a version 1 file, as the previous workbench wrote it
    con.execute("INSERT INTO unit (id, tm, key, added) VALUES (1, 'old', 'u1', '2024-01-01')")
    con.execute("INSERT INTO variant (id, unit_id, ord, lang, xml_lang, text, nkey) VALUES "
                "(1, 1, 0, 'en', 'EN-GB', 'Old unit.', 0), (2, 1, 1, 'ru', NULL, 'Старая единица.', 0)")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with TranslationMemory.open(path) as tm:
        assert tm.schema_version == 2
        unit = next(tm.units("old"))
        assert [(v.tag, v.lang, v.text, v.markup) for v in unit.variants.values()] == [
            ("en-GB", "en", "Old unit.", None), ("ru", "ru", "Старая единица.", None)]
        tm.add("New unit.", "Новая единица.", "en", "ru", tm="old")
        assert tm.lookup("New unit.", "en", "ru")[0].target == "Новая единица."
        assert tm.names() == {"old": 2}


# ------------------------------------------------------------------------------------- codes in projects


@pytest.fixture
def coded_project(tmp_path, memory):
    memory.import_tmx(DATA / "codes.tmx", name="codes")
    p = Project.create(tmp_path / "p.db", "Codes", "en", ["ru"])
    p.add_document("Doc", [(0, "The Joint Declaration was signed."), (0, "Click to start."),
                           (1, "Nothing in the memory.")])
    yield p
    p.close()


def test_fill_keeps_codes_as_tags_and_export_writes_them_back(coded_project, memory, tmp_path):
    stats = fill_from_tm(coded_project, ["ru"], tm=memory)
    assert stats["ru"].exact == 2
    segs = coded_project.segments()
    first = segs[0].translations["ru"]
    assert first.text == "<g1>Совместная декларация</g1> подписана."
    assert first.tm.codes[0]["open"] == '<bpt i="1" x="1">&lt;b&gt;</bpt>'
    # no QA finding caused by the tags themselves (numbers in tags, end punctuation after a tag...)
    assert check_segment(segs[0].source, first.text, "en", "ru", meta=first.meta) == []
    # the translator confirms; the exported project TMX has the codes as TMX markup, valid against tmx14.dtd
    for seg in segs[:2]:
        coded_project.set_translation(seg.id, "ru", status="translated")
    out = export_project(coded_project, tmp_path / "p.tmx").paths[0]
    validate(out)  # the RELAX NG transcription of TMX 1.4b (the DTD: test_project_export_passes_tmx14_dtd)
    segs_xml = [etree.tostring(s, encoding="unicode", with_tail=False)
                for s in etree.parse(str(out)).getroot().iter("seg")]
    assert '<seg><bpt i="1" x="1">&lt;b&gt;</bpt>Совместная декларация<ept i="1">&lt;/b&gt;</ept> подписана.</seg>' \
        in segs_xml
    assert '<seg>Нажмите <ph x="2">&lt;img src="go.png"/&gt;</ph>, чтобы начать.</seg>' in segs_xml
    # read back exactly: plain text, and the markup as written
    unit = list(read_tmx(out))[0]
    assert unit.text("ru") == "Совместная декларация подписана."
    assert unit.variants["ru"].markup.startswith('<bpt i="1" x="1">')
    # confirmed segments go to the TM with their codes
    memory.add_from_project(coded_project, tm="project")
    back = memory.lookup("The Joint Declaration was signed.", "en", "ru", tm="project")[0]
    assert back.tagged == first.text
    txt = export_project(coded_project, tmp_path / "p.txt", fmt="txt").paths[1]
    assert txt.read_text(encoding="utf-8").splitlines()[0] == "Совместная декларация подписана."


def test_project_export_with_codes_passes_tmx14_dtd(shared_eval, coded_project, memory, tmp_path):
    fill_from_tm(coded_project, ["ru"], tm=memory)
    out = export_project(coded_project, tmp_path / "p.tmx", status="all").paths[0]
    dtd = etree.DTD(str(shared_eval / "interop" / "schemas" / "tmx14.dtd"))
    assert dtd.validate(etree.parse(str(out))), dtd.error_log.filter_from_errors()
    assert codes_in(out) == 3  # bpt + ept of the first segment, ph of the second
    with TranslationMemory.open(tmp_path / "back.db") as back:
        back.import_tmx(out, name="p")
        again = back.export_tmx(tmp_path / "again.tmx", tm="p")
    assert again.read_bytes() == out.read_bytes()


def test_qa_reports_a_lost_tag(coded_project, memory):
    fill_from_tm(coded_project, ["ru"], tm=memory)
    seg = coded_project.segments()[0]
    tr = seg.translations["ru"]
    edited = "Совместная декларация</g1> подписана 17 раз."
    found = check_segment(seg.source, edited, "en", "ru", meta=tr.meta)
    tags = [f for f in found if f.code == "tags"]
    assert [f.message for f in tags] == ["tag <g1> is missing (formatting of the TM match)"]
    numbers = [f for f in found if f.code == "number_mismatch"]
    assert numbers and edited[numbers[0].span[0]:numbers[0].span[1]] == "17"  # spans are in the tagged text


# ------------------------------------------------------------------------------------- real files

#: files the TMX importer refuses, with the reason (every other file imports)
REFUSED = {
    "omegat__autotmx__project1.tmx": "no translation units",  # an empty <body>
    "omegat__tmx__empty.tmx": "no translation units",
}
#: units merged or skipped on purpose: file -> (exact duplicates merged, one-language units skipped)
DROPPED = {
    "omegat__tmx__test-match-stat-en-ca11.tmx": (50, 0),
    "omegat__tmx__test-missingSource.tmx": (0, 1),
}


def interop_files(shared_eval) -> list[Path]:
    return sorted((shared_eval / "interop" / "tmx").glob("*.tmx"))


def test_interop_folder_is_complete(shared_eval):
    names = {p.name for p in interop_files(shared_eval)}
    assert len(names) >= 50 and set(REFUSED) | set(DROPPED) <= names


@pytest.mark.parametrize("name", [
    "omegat__autotmx__auto1.tmx", "omegat__autotmx__auto14.tmx", "omegat__autotmx__project1.tmx",
    "omegat__enforcetmx__alternative.tmx", "omegat__enforcetmx__alternative14.tmx",
    "omegat__enforcetmx__enforce1.tmx", "omegat__enforcetmx__enforce14.tmx", "omegat__enforcetmx__project1.tmx",
    "omegat__mark__alternative.tmx",
    *[f"omegat__tmx__TMXComplianceKit__{n}.tmx" for n in (
        "ExportTest1A", "ExportTest1B", "ExportTest1C", "ExportTest1D", "ExportTest1E", "ExportTest2A",
        "ImportTest1A", "ImportTest1B", "ImportTest1C", "ImportTest1D", "ImportTest1E", "ImportTest1F",
        "ImportTest1G", "ImportTest1H", "ImportTest1I", "ImportTest1J_many", "ImportTest1K", "ImportTest1L",
        "ImportTest2A-0index", "ImportTest2A", "ImportTest2B", "ImportTest2C")],
    "omegat__tmx__empty.tmx", "omegat__tmx__en-US_sr.tmx", "omegat__tmx__en-ca.tmx", "omegat__tmx__mt__mt1.tmx",
    "omegat__tmx__penalty-010__segment_1.tmx", "omegat__tmx__project_save.tmx", "omegat__tmx__resegmenting.tmx",
    "omegat__tmx__resegmenting11.tmx", "omegat__tmx__segment_2.tmx", "omegat__tmx__test-SMP.tmx",
    "omegat__tmx__test-level1.tmx", "omegat__tmx__test-level2.tmx", "omegat__tmx__test-match-stat-en-ca11.tmx",
    "omegat__tmx__test-missingSource.tmx", "omegat__tmx__test-multiple-entries.tmx",
    "omegat__tmx__test-multiple-entries11.tmx", "omegat__tmx__test-multiple-tuv.tmx",
    "omegat__tmx__test-multiple-tuv14.tmx", "omegat__tmx__test-omegat-invalid.tmx", "omegat__tmx__test-omegat.tmx",
    "omegat__tmx__test-save-tmx14.tmx",
])
def test_third_party_tmx(shared_eval, tmp_path, name):
    src = shared_eval / "interop" / "tmx" / name
    if not src.exists():
        pytest.skip(f"{name} is not in this copy of the evaluation data")
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        if name in REFUSED:
            with pytest.raises(InputError, match=REFUSED[name]) as err:
                memory.import_tmx(src)
            assert "\n" not in str(err.value) and len(memory) == 0
            return
        result = memory.import_tmx(src, name="t")
        merged, one = DROPPED.get(name, (0, 0))
        assert (result.duplicates, result.one_language) == (merged, one)
        assert result.read == len(etree.parse(str(src)).getroot().findall("body/tu"))
        first, second = round_trip(memory, src, tmp_path)
    # every variant and every inline code back, except the units merged or skipped on purpose
    original, exported = tuvs(src), tuvs(first)
    if not merged and not one:
        assert [s for _, s in exported] == [s for _, s in original]
        assert [t for t, _ in exported] == [t.replace("_", "-") for t, _ in original]
    else:
        assert set(exported) <= set(original) and len(original) - len(exported) == 2 * merged + one
    assert codes_in(first) == codes_in(src)
    assert first.read_bytes() == second.read_bytes()
    dtd = etree.DTD(str(shared_eval / "interop" / "schemas" / "tmx14.dtd"))
    assert dtd.validate(etree.parse(str(first))), dtd.error_log.filter_from_errors()


def test_pretranslation_finds_regional_variants(memory, tmp_path):
    memory.import_tmx(DATA / "variants.tmx", name="v")
    p = Project.create(tmp_path / "r.db", "Regional", "en", ["ru", "km"])
    p.add_document("Doc", [(0, "The colour of the flag."), (0, "The Ambassador arrived in Phnom Penh.")])
    stats = fill_from_tm(p, tm=memory)
    segs = p.segments()
    assert stats["ru"].exact == 1 and stats["km"].exact == 1
    assert segs[0].translations["ru"].text == "Цвет флага."  # the ru-RU variant of the en-US source
    assert segs[1].translations["km"].text == "ឯកអគ្គរដ្ឋទូតបានមកដល់ភ្នំពេញ។"  # km-KH
    p.close()
