"""Glossaries from and for other tools: real TBX termbases (v3 DCA/DCT, v2 martif), valid TBX-Basic export
read back losslessly, XLSX import and export, the import report, --langs and --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree, isoschematron

from workbench.core.errors import InputError
from workbench.glossary import Glossary
from workbench.glossary.glossary import shipped_path

DATA = Path(__file__).with_name("data")
ROOT = Path(__file__).resolve().parents[2]
NS = {"t": "urn:iso:std:iso:30042:ed-2"}
BASIC_TERMNOTES = {"administrativeStatus", "partOfSpeech", "geographicalUsage", "grammaticalGender", "termLocation",
                   "termType"}


def snapshot(g):
    return [c.to_dict() for c in g.concepts()]


def terms(g, cid, lang):
    return [(t.text, t.status) for t in g.get(cid).terms_in(lang)]


# ------------------------------------------------------------------------------------------ TBX import


def test_multilingual_termbase_keeps_en_ru_km_and_counts_the_rest():
    g = Glossary.import_file(DATA / "multilingual.tbx")
    r = g.import_report
    assert (r.concepts_read, r.concepts, r.skipped_concepts) == (3, 2, 1)
    assert dict(r.terms) == {"en": 4, "ru": 3, "km": 3}
    assert dict(r.skipped_langs) == {"de": 1, "es": 1, "fr": 1}
    assert len(r.warnings) == 2
    assert any("empty km-KH term" in w for w in r.warnings)
    assert any("unknown administrativeStatus 'maybeTerm-admn-sts'" in w for w in r.warnings)
    ga = g.get("un-ga")
    assert ga.domain == "organisation" and ga.pos == "noun"
    assert ga.definition == "The main deliberative organ of the United Nations."  # langSec descripGrp, one line
    # no status: the first of a language is preferred, the others admitted
    assert terms(g, "un-ga", "en") == [("General Assembly", "preferred"), ("UNGA", "admitted")]
    assert terms(g, "un-ga", "ru") == [("Генеральная Ассамблея", "admitted"), ("Генассамблея", "deprecated"),
                                       ("ГА ООН", "preferred")]
    assert g.get("un-ga").terms_in("en")[0].note == "Capitalised when it means the UN body."
    assert terms(g, "moratorium", "en") == [("moratorium", "preferred"), ("freeze", "preferred")]
    assert terms(g, "moratorium", "km") == [("ការផ្អាក", "deprecated"), ("ការព្យួរ", "forbidden"),
                                            ("មរ៉ាតូរ្យូម", "admitted")]
    text = "\n".join(r.lines())
    assert "3 concepts read, 2 kept (en 4, ru 3, km 3)" in text
    assert "skipped 1 concepts with no term in a kept language" in text
    assert "languages left out (terms): de 1, es 1, fr 1" in text and "2 warning(s):" in text


def test_langs_and_strict():
    g = Glossary.import_file(DATA / "multilingual.tbx", langs=["ru"])
    assert [c.id for c in g] == ["un-ga"] and {t.lang for t in g.get("un-ga").terms} == {"ru"}
    assert g.import_report.skipped_langs == {"en": 4, "km": 4, "de": 1, "es": 1, "fr": 1}
    with pytest.raises(InputError, match=r"2 warning\(s\) and --strict: concept 'moratorium'"):
        Glossary.import_file(DATA / "multilingual.tbx", strict=True)
    assert len(Glossary.import_file(DATA / "martif.tbx", strict=True)) == 1


def test_tbx_v2_martif_with_tig_and_ntig():
    g = Glossary.import_file(DATA / "martif.tbx")
    asean = g.get("asean")
    assert asean.domain == "organisation" and asean.definition == "Association of Southeast Asian Nations"
    assert terms(g, "asean", "en") == [("ASEAN", "preferred")] and terms(g, "asean", "ru") == [("АСЕАН", "preferred")]


@pytest.mark.parametrize("content,needle", [
    ("<html><body><p>not a termbase</p></body></html>", r"not a TBX file \(root element <html>"),
    ('<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a"><langSec xml:lang="de"><termSec>'
     "<term>Gipfel</term></termSec></langSec></conceptEntry></body></text></tbx>", "no term in en, ru, km"),
    ('<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a">', "not well-formed XML"),
    ('<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body/></text></tbx>', "no conceptEntry"),
])
def test_tbx_refused_with_one_line(tmp_path, content, needle):
    p = tmp_path / "x.tbx"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=needle) as err:
        Glossary.import_file(p)
    assert "\n" not in str(err.value) and str(p) in str(err.value)


def test_cli_import_prints_the_report_and_strict_refuses(tmp_path, workbench_home):
    target = tmp_path / "g.csv"
    target.write_text("id,en\n", encoding="utf-8")
    env = {**os.environ, "WORKBENCH_HOME": str(workbench_home), "WORKBENCH_GLOSSARY": str(target)}

    def wb(*args):
        return subprocess.run([sys.executable, "-m", "workbench", "glossary", *map(str, args)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    r = wb("import", DATA / "multilingual.tbx", "--strict")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--strict" in r.stderr
    assert target.read_text(encoding="utf-8") == "id,en\n"
    r = wb("import", DATA / "multilingual.tbx", "--langs", "en,ru")
    assert r.returncode == 0, r.stderr
    assert "3 concepts read, 2 kept (en 4, ru 3)" in r.stdout and "km 4" in r.stdout
    assert "imported" in r.stdout and "warning" not in r.stdout  # the two warnings concern km terms
    r = wb("import", DATA / "multilingual.tbx", "--dry-run")
    assert r.returncode == 0 and "2 warning(s):" in r.stdout and "unknown administrativeStatus" in r.stdout
    html = tmp_path / "page.tbx"
    html.write_text("<html/>", encoding="utf-8")
    r = wb("import", html)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


# ------------------------------------------------------------------------------------------ TBX export


def test_export_uses_only_tbx_basic_categories_and_reads_back(mini_glossary, tmp_path):
    out = mini_glossary.export(tmp_path / "g.tbx")
    text = out.read_text(encoding="utf-8")
    assert "TBXcoreStructV03.rng" in text and "DCA/TBX-Basic_DCA.sch" in text  # the current schemas
    root = etree.parse(str(out)).getroot()
    types = {n.get("type") for n in root.iterfind(".//t:termNote", NS)}
    assert types <= BASIC_TERMNOTES
    for ls in root.iterfind(".//t:langSec", NS):
        pos = [n.text for n in ls.iterfind(".//t:termNote[@type='partOfSpeech']", NS)]
        if ls.get("{http://www.w3.org/XML/1998/namespace}lang") != "en":
            assert pos == []  # Russian and Khmer terms do not inherit the concept's part of speech
        assert set(pos) <= {"adjective", "noun", "other", "verb", "adverb"}
    back = Glossary.import_file(out)
    assert snapshot(back) == snapshot(mini_glossary)
    assert back.export(tmp_path / "g2.tbx").read_bytes() == out.read_bytes()


def test_review_case_and_pos_survive_the_tbx_round_trip(tmp_path):
    g = Glossary([])
    g.add_concept("x", domain="title", pos="proper noun", definition="A name.", terms=[
        {"lang": "en", "text": "Prime Minister", "case": True, "needs_review": True, "source": "doc 1",
         "note": "a note"},
        {"lang": "ru", "text": "премьер-министр", "case": False, "status": "admitted"},
        {"lang": "km", "text": "នាយករដ្ឋមន្ត្រី", "needs_review": True}])
    out = g.export(tmp_path / "x.tbx")
    back = Glossary.import_file(out)
    assert snapshot(back) == snapshot(g)
    # CSV -> TBX -> CSV gives the same bytes
    csv1 = g.export(tmp_path / "x.csv")
    assert back.export(tmp_path / "x2.csv").read_bytes() == csv1.read_bytes()


def test_older_workbench_tbx_is_still_read(tmp_path):
    old = tmp_path / "old.tbx"
    old.write_text(
        '<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>'
        '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>ASEAN</term>'
        '<termNote type="partOfSpeech">proper noun</termNote>'
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>'
        '<termNote type="x-caseSensitivity">yes</termNote>'
        '<termNote type="processStatus">provisionallyProcessed</termNote>'
        "</termSec></langSec></conceptEntry></body></text></tbx>", encoding="utf-8")
    t = Glossary.import_file(old).get("a").terms[0]
    assert (t.case, t.needs_review) == (True, True)
    assert Glossary.import_file(old).get("a").pos == "proper noun"


def validators(shared_eval):
    schemas = shared_eval / "interop" / "schemas"
    rng = etree.RelaxNG(file=str(schemas / "TBXcoreStructV03.rng"))
    sch = isoschematron.Schematron(etree.parse(str(schemas / "TBX-Basic_DCA.xslt1.sch")), store_report=True)
    return rng, sch


def tbx_basic_errors(path: Path, shared_eval) -> list[str]:
    rng, sch = validators(shared_eval)
    doc = etree.parse(str(path))
    errors = [] if rng.validate(doc) else [str(e) for e in rng.error_log]
    if not sch.validate(doc):
        errors += ["".join(f.itertext()).strip() for f in
                   sch.validation_report.iterfind(".//{http://purl.oclc.org/dsdl/svrl}failed-assert")]
    return errors


def test_shipped_glossary_exports_valid_tbx_basic(shared_eval, tmp_path):
    g = Glossary.load(shipped_path())
    out = g.export(tmp_path / "diplomatic.tbx")
    assert tbx_basic_errors(out, shared_eval) == []
    back = Glossary.import_file(out)
    assert snapshot(back) == snapshot(g)
    csv = g.export(tmp_path / "d.csv")
    assert back.export(tmp_path / "d2.csv").read_bytes() == csv.read_bytes() == shipped_path().read_bytes()


#: expected outcome per third-party TBX file: (concepts kept, en terms kept) or the refusal
TBX_FILES = {
    "ltacbasic__Astronomy_DCA.tbx": (39, 55),
    "ltacbasic__Astronomy_DCT.tbx": (39, 55),
    "ltactest__basic_bad.tbx": (39, 55),
    "ltactest__basic_good.tbx": (39, 55),
    "ltactest__core_structure_bad.tbx": (39, 55),  # a termSec holds two terms: the first is kept, with a warning
    "ltactest__core_structure_good.tbx": (39, 55),
    "ltactest__min_bad.tbx": (39, 55),
    "ltactest__min_good.tbx": (39, 55),
    "ltactest__poorly_formed_xml.tbx": "not well-formed XML",
    "tbxutils__InvalidPickList.tbx": (1, 1),
}


@pytest.mark.parametrize("name", sorted(TBX_FILES))
def test_third_party_tbx(shared_eval, tmp_path, name):
    path = shared_eval / "interop" / "tbx" / name
    if not path.exists():
        pytest.skip(f"{name} is not in this copy of the evaluation data")
    expected = TBX_FILES[name]
    if isinstance(expected, str):
        with pytest.raises(InputError, match=expected) as err:
            Glossary.import_file(path)
        assert "\n" not in str(err.value)
        return
    g = Glossary.import_file(path)
    r = g.import_report
    assert (r.concepts, r.terms["en"]) == expected
    assert r.concepts + r.skipped_concepts == r.concepts_read
    if name.startswith("ltac"):
        assert dict(r.skipped_langs) == {"es": 52, "zu": 6}
        assert all(c.domain for c in g) or "core" in name  # TBX-Core has no subjectField
    if "basic" in name:  # the TBX-Basic files define their concepts (in langSec-level descripGrp)
        defined = [c for c in g if c.definition]
        assert len(defined) >= 30 and all("\n" not in c.definition for c in defined)
        assert g.get("c1").pos == ("nominal" if name.endswith("_bad.tbx") else "noun")
    out = g.export(tmp_path / "out.tbx")
    assert tbx_basic_errors(out, shared_eval) == []
    assert snapshot(Glossary.import_file(out)) == snapshot(g)


def test_reference_example_definitions_and_statuses(shared_eval):
    path = shared_eval / "interop" / "tbx" / "ltacbasic__Astronomy_DCA.tbx"
    if not path.exists():
        pytest.skip("the TBX-Basic reference example is not in this copy of the evaluation data")
    g = Glossary.import_file(path)
    c1 = g.get("c1")
    assert c1.definition == "A group of stars formed together in the spiral arms of a galaxy."
    assert c1.domain == "General"
    assert terms(g, "c1", "en") == [("open cluster", "preferred"), ("galactic cluster", "deprecated")]
    note = c1.terms_in("en")[1].note
    assert note.startswith("Another name for an open star cluster.") and "\n" not in note and "  " not in note


# ------------------------------------------------------------------------------------------ XLSX


def test_xlsx_round_trip_and_formula_cells(mini_glossary, tmp_path):
    import openpyxl

    mini_glossary.add_concept("f", terms=[{"lang": "en", "text": '=HYPERLINK("http://x","y")'},
                                          {"lang": "ru", "text": "+7 дней"}])
    out = mini_glossary.export(tmp_path / "g.xlsx")
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:6] == ["id", "domain", "pos", "definition", "en", "en_status"] and "km_note" in header
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in values and "'+7 дней" in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    back = Glossary.import_file(out)
    assert snapshot(back) == snapshot(mini_glossary)
    # CSV -> XLSX -> CSV: the same bytes
    csv = mini_glossary.export(tmp_path / "g.csv")
    assert back.export(tmp_path / "g2.csv").read_bytes() == csv.read_bytes()


def test_xlsx_from_elsewhere(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["en", "ru", "ru_status", "km"])
    ws.append(["bilateral", "двусторонний", "preferred", None])
    ws.append(["summit", "=A2", None, "កិច្ចប្រជុំកំពូល"])  # a formula: read as its text, never evaluated
    ws.append([2024, "год", None, None])
    ws.append([None, None, None, None])
    wb.save(tmp_path / "agency.xlsx")
    g = Glossary.import_file(tmp_path / "agency.xlsx")
    assert [(c.preferred("en").text, c.preferred("ru").text) for c in g] == [
        ("bilateral", "двусторонний"), ("summit", "=A2"), ("2024", "год")]
    assert any("formula" in w for w in g.import_report.warnings)
    with pytest.raises(InputError, match="--strict"):
        Glossary.import_file(tmp_path / "agency.xlsx", strict=True)


@pytest.mark.parametrize("data,needle", [
    (b"PK\x03\x04 not really a zip", "not an .xlsx file"),
    (b"id,en\nx,y\n", "not an .xlsx file"),
    (b"", "empty"),
])
def test_bad_xlsx_one_line(tmp_path, data, needle):
    p = tmp_path / "bad.xlsx"
    p.write_bytes(data)
    with pytest.raises(InputError, match=needle) as err:
        Glossary.import_file(p)
    assert "\n" not in str(err.value) and str(p) in str(err.value)


def test_xlsx_that_is_a_zip_but_no_spreadsheet(tmp_path):
    import zipfile

    p = tmp_path / "other.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    with pytest.raises(InputError, match="cannot read the spreadsheet") as err:
        Glossary.import_file(p)
    assert "\n" not in str(err.value)
