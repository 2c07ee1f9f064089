"""Import/export: workbench CSV, TBX-Basic v3, OmegaT TSV, TICO-19 CSV; malformed input; validation."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from workbench.core.errors import InputError, UnknownLanguage
from workbench.glossary import Glossary

TICO = ("f_en-ru_RU.csv", "f_en-km_KH.csv", "g_en_ru.csv", "g_en_km.csv")


def snapshot(g):
    return [c.to_dict() for c in g.concepts()]


@pytest.mark.parametrize("fmt", ["csv", "tbx"])
def test_full_round_trip_repository_glossary(repo_glossary_copy, tmp_path, fmt):
    g = Glossary.load()
    out = g.export(tmp_path / f"out.{fmt}")
    again = Glossary.import_file(out)
    assert snapshot(again) == snapshot(g)
    # and a second export is byte-identical (deterministic, diff-friendly)
    out2 = again.export(tmp_path / f"out2.{fmt}")
    assert out.read_bytes() == out2.read_bytes()


def test_tbx_structure(mini_glossary, tmp_path):
    path = mini_glossary.export(tmp_path / "g.tbx")
    root = etree.parse(str(path)).getroot()
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    assert root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    entries = root.findall("t:text/t:body/t:conceptEntry", ns)
    assert len(entries) == len(mini_glossary)
    asean = next(e for e in entries if e.get("id") == "asean")
    langs = [ls.get("{http://www.w3.org/XML/1998/namespace}lang") for ls in asean.findall("t:langSec", ns)]
    assert langs == ["en", "ru", "km"]
    statuses = [n.text for n in asean.iterfind(".//t:termNote[@type='administrativeStatus']", ns)]
    assert "preferredTerm-admn-sts" in statuses and "supersededTerm-admn-sts" in statuses


def test_tsv_round_trip_keeps_pairs(mini_glossary, tmp_path):
    out = mini_glossary.export(tmp_path / "g.tsv", src_lang="en", tgt_lang="ru")
    lines = [l for l in out.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    assert all(len(l.split("\t")) == 3 for l in lines)
    again = Glossary.import_file(out, src_lang="en", tgt_lang="ru")
    for c in mini_glossary.concepts():
        pref = c.preferred("ru")
        if pref is None or not c.terms_in("en"):
            continue
        other = again.get(c.id)
        assert {t.text for t in other.terms_in("ru")} == {t.text for t in c.terms_in("ru", ("preferred", "admitted"))}
        assert {t.text for t in other.terms_in("en")} == {t.text for t in c.terms_in("en", ("preferred", "admitted"))}
    # a TSV written by hand (OmegaT style, no concept tags)
    hand = tmp_path / "omegat.txt"
    hand.write_text("# comment\nEast Asia Summit\tВосточноазиатский саммит\tEAS\nmoratorium\tмораторий\n",
                    encoding="utf-8")
    g = Glossary.import_file(hand, "tsv", tgt_lang="ru")
    assert [(c.preferred("en").text, c.preferred("ru").text) for c in g] == [
        ("East Asia Summit", "Восточноазиатский саммит"), ("moratorium", "мораторий")]


def _tico_rows(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh)]


@pytest.mark.parametrize("name", TICO)
def test_import_tico19_terminologies(shared_eval, name):
    path = shared_eval / "tico19" / "terminologies" / name
    g = Glossary.import_file(path, "tico")
    rows = _tico_rows(path)
    assert len(g) == len(rows)
    tgt = "km" if "km" in name else "ru"
    for row, c in zip(rows, g.concepts()):
        assert c.domain == "health"
        assert c.preferred("en").text == row["sourceString"].strip()
        assert "TICO-19" in c.preferred("en").source and name in c.preferred("en").source
        # every target alternative ("a : b") is there, without the bracket marks
        for alt in row["targetString"].split(" : "):
            assert alt.replace("[", "").replace("]", "").strip() in {t.text for t in c.terms_in(tgt)}


def test_tico19_alternatives_and_brackets(shared_eval):
    g = Glossary.import_file(shared_eval / "tico19" / "terminologies" / "g_en_ru.csv")
    c = next(c for c in g if c.preferred("en").text == "active cases")
    assert [(t.text, t.status) for t in c.terms_in("ru")] == [
        ("активные случаи", "preferred"), ("активные случаи заболевания", "admitted")]
    c = next(c for c in g if c.preferred("en").text == "contagious")
    assert [t.text for t in c.terms_in("ru")] == ["заразный", "передающийся при контакте"]


def test_tico19_import_is_usable_for_checks(shared_eval):
    g = Glossary.import_file(shared_eval / "tico19" / "terminologies" / "f_en-ru_RU.csv")
    r = g.check("The incubation period of the virus", "инкубационного периода вируса", "en", "ru")
    assert "incubation period" in [e["source"] for e in r.expected]
    assert any(f["source"] == "incubation period" for f in r.found)


# ------------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("name,content,needle", [
    ("empty.csv", b"", "empty"),
    ("blank.tbx", b"   \n", "empty"),
    ("bin.csv", b"\x00\x01\x02binary\x00", "binary"),
    ("cp1251.csv", "en,ru\nsummit,саммит\n".encode("cp1251"), "UTF-8"),
    ("bad.tbx", b"<tbx><text><body><conceptEntry id='a'>", "not well-formed XML"),
    ("cdata.tbx", b"<tbx><text><body><![CDATA[ x", "not well-formed XML"),
    ("bomb.tbx", b'<!DOCTYPE tbx [<!ENTITY a "aaaa">]><tbx>&a;</tbx>', "entities"),
    ("bad.csv", b'en,ru\n"unterminated,x\n', "malformed CSV"),
    ("wide.csv", b"en,ru\na,b,c,d\n", "fields"),
    ("nolang.csv", b"id,domain\nx,y\n", "no language column"),
    ("dupcol.csv", b"id,en,ru,en\nx,a,b,c\n", "appears twice"),
    ("bad.tsv", b"just one column\n", "tab"),
    ("html.tbx", b"<html><body/></html>", "not a TBX"),
])
def test_malformed_files_one_line_errors(tmp_path, name, content, needle):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError) as exc:
        Glossary.import_file(p)
    msg = str(exc.value)
    assert str(p) in msg and needle in msg and "\n" not in msg


def test_unknown_language_and_empty_term_refused_on_import(tmp_path):
    p = tmp_path / "fr.csv"
    p.write_text("id,en,fr\nx,summit,sommet\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown language code 'fr'"):
        Glossary.import_file(p)
    tbx = tmp_path / "x.tbx"
    tbx.write_text('<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a">'
                   '<langSec xml:lang="de"><termSec><term>Gipfel</term></termSec></langSec>'
                   '</conceptEntry></body></text></tbx>', encoding="utf-8")
    with pytest.raises(InputError, match=r"no term in en, ru, km \(terms found: de 1\)"):
        Glossary.import_file(tbx)  # real termbases are multilingual: other languages are left out, counted
    tico = tmp_path / "t.csv"
    tico.write_text("id,sourceLang,targetLang,sourceString,targetString\n1,en,xx_XX,a,b\n", encoding="utf-8")
    with pytest.raises(UnknownLanguage, match=str(tico)):
        Glossary.import_file(tico)
    empty = tmp_path / "e.csv"
    empty.write_text("id,en,ru,ru_status\nx,summit,,preferred\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty ru term"):
        Glossary.import_file(empty)


def test_validate_finds_problems(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text(
        "id,domain,en,en_status,ru,ru_status,xx\n"
        "a,org,Summit,preferred,саммит,preferred,\n"
        "b,org,Forum,preferred,саммит,forbidden,\n"        # same ru term preferred in a and forbidden in b
        "a,org,Summit again,preferred,,,\n"                # concept a again, not next to its rows
        "c,org,Thing,bogus,,preferred,chose\n",            # bad status, empty ru term, unknown language
        encoding="utf-8")
    codes = {(pr.code, pr.concept) for pr in Glossary.read(p).validate()}
    assert ("preferred-and-forbidden", "a") in codes
    assert ("duplicate-concept", "a") in codes
    assert ("bad-status", "c") in codes
    assert ("empty-term", "c") in codes
    assert any(code == "unknown-language" for code, _ in codes)


def test_repository_glossary_is_valid_and_sourced(repo_glossary_copy):
    g = Glossary.load()
    problems = g.validate()
    assert [p for p in problems if p.severity == "error"] == []
    assert len(g) >= 60
    for c in g:
        for t in c.terms:
            assert t.source, (c.id, t.text)          # every term records what attests it
        assert c.preferred("en") and c.preferred("ru") and c.preferred("km"), c.id
    # health terms from TICO-19 say so
    assert "TICO-19" in g.get("pandemic").preferred("ru").source


def test_formula_cells_neutralised_and_round_trip(tmp_path):
    g = Glossary([])
    g.add_concept("f", terms=[{"lang": "en", "text": "=HYPERLINK(\"x\")"}, {"lang": "ru", "text": "+7 дней"}])
    for fmt in ("csv", "tsv"):
        out = g.export(tmp_path / f"f.{fmt}")
        raw = out.read_text(encoding="utf-8")
        assert "'=HYPERLINK" in raw and "'+7 дней" in raw
        again = Glossary.import_file(out)
        assert {t.text for t in again.get("f").terms} == {'=HYPERLINK("x")', "+7 дней"}


def test_tbx_with_encoding_declaration(tmp_path, mini_glossary):
    text = mini_glossary.dumps("tbx").replace('<?xml version="1.0" encoding="UTF-8"?>',
                                               "<?xml version='1.0' encoding='utf-8'?>")
    p = tmp_path / "x.tbx"
    p.write_text(text, encoding="utf-8")
    assert len(Glossary.import_file(p)) == len(mini_glossary)
