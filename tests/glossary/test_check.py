"""Term checks: expected / found / missing / forbidden per segment, severities, meta for the store."""

from __future__ import annotations

import json

from workbench.core.store import Project
from workbench.glossary import Glossary, check, find_terms


def test_found_and_missing(mini_glossary):
    r = mini_glossary.check("Russia-ASEAN Dialogue Partnership and the East Asia Summit",
                            "диалоговое партнерство Россия – АСЕАН и саммит", "en", "ru")
    assert [e["concept"] for e in r.expected] == ["ra-dp", "eas"]
    assert [f["concept"] for f in r.found] == ["ra-dp"]
    assert [m["concept"] for m in r.missing] == ["eas"]
    m = r.missing[0]
    assert m["severity"] == "warning"
    assert m["source"] == "East Asia Summit" and m["target"] == "Восточноазиатский саммит"
    assert r.severity == "warning" and not r.ok


def test_inflected_target_counts_as_found(mini_glossary):
    r = mini_glossary.check("cooperation with the Association of Southeast Asian Nations",
                            "сотрудничество с Ассоциацией государств Юго-Восточной Азии", "en", "ru")
    assert r.ok and [f["matched"] for f in r.found] == ["Ассоциацией государств Юго-Восточной Азии"]
    # the expected target follows the source form: the full name for the full name, the acronym for the acronym
    assert r.expected[0]["target"] == "Ассоциация государств Юго-Восточной Азии"
    r2 = mini_glossary.check("ASEAN", "x", "en", "ru")
    assert r2.expected[0]["target"] == "АСЕАН"


def test_admitted_counts_and_acronym_source(mini_glossary):
    r = mini_glossary.check("the UN and ASEAN", "ООН и АСЕАН", "en", "ru")
    assert r.ok and {f["concept"] for f in r.found} == {"un", "asean"}


def test_forbidden_is_error_and_deprecated_warning(mini_glossary):
    r = mini_glossary.check("the Kingdom of Cambodia and ASEAN", "Кампучия и Ассоциация стран Юго-Восточной Азии",
                            "en", "ru")
    assert [f["used"] for f in r.forbidden] == ["Кампучия"]
    assert r.forbidden[0]["severity"] == "error"
    assert r.forbidden[0]["target"] == "Королевство Камбоджа"
    assert [d["used"] for d in r.deprecated] == ["Ассоциация стран Юго-Восточной Азии"]
    assert r.deprecated[0]["severity"] == "warning"
    assert r.severity == "error"
    codes = sorted(p["code"] for p in r.problems())
    assert codes == ["term-deprecated", "term-forbidden", "term-missing", "term-missing"]


def test_forbidden_even_without_source_concept(mini_glossary):
    r = mini_glossary.check("Hello.", "Кампучия", "en", "ru")
    assert r.expected == [] and len(r.forbidden) == 1


def test_needs_review_missing_is_info(mini_glossary):
    r = mini_glossary.check("the East Asia Summit", "កិច្ចប្រជុំ", "en", "km")
    assert r.missing[0]["severity"] == "info" and r.missing[0]["needs_review"] is True


def test_khmer_check(mini_glossary):
    r = mini_glossary.check("ASEAN and COVID-19", "អាស៊ាន និង កូវីដ-១៩", "en", "km")
    assert r.ok and len(r.found) == 2


def test_meta_is_json_and_stored(mini_glossary, tmp_path):
    r = mini_glossary.check("the ASEAN Regional Forum", "Региональный форум АСЕАН", "en", "ru")
    meta = r.as_meta()
    assert set(meta) >= {"expected", "found", "missing", "forbidden"}
    for item in meta["expected"] + meta["found"]:
        assert {"concept", "source", "target"} <= set(item)
    p = Project.create(tmp_path / "p.db", "t", "en", ["ru"])
    p.add_document("t", [(1, "the ASEAN Regional Forum")])
    seg = p.segments()[0]
    p.set_translation(seg.id, "ru", "Региональный форум АСЕАН", origin="human", status="translated",
                      meta={"terms": meta})
    p.close()
    again = Project.open(tmp_path / "p.db")
    stored = again.translation(seg.id, "ru").meta["terms"]
    assert stored == json.loads(json.dumps(meta))
    again.close()


def test_module_level_functions_use_env_glossary(mini_glossary_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_GLOSSARY", str(mini_glossary_path))
    assert [h.concept_id for h in find_terms("East Asian Summit", "en")] == ["eas"]
    assert check("East Asian Summit", "Восточноазиатский саммит", "en", "ru").ok


def test_repository_glossary_defaults(repo_glossary_copy):
    g = Glossary.load()
    assert len(g) >= 60
    r = g.check("Russia takes part in the East Asia Summit.", "Россия участвует в Восточноазиатском саммите.",
                "en", "ru")
    assert r.ok and {f["concept"] for f in r.found} == {"russia", "east-asia-summit"}


def test_qa_check_segment_shows_glossary_findings(mini_glossary):
    from workbench.qa.checks import check_segment

    findings = check_segment("The Kingdom of Cambodia hosts the East Asia Summit.",
                             "Кампучия принимает Саммит Восточной Азии.", "en", "ru", glossary=mini_glossary)
    by_code = {f.code: f for f in findings}
    assert by_code["term_forbidden"].severity == "error"
    assert by_code["term_forbidden"].span == (0, len("Кампучия"))
    assert by_code["term_deprecated"].severity == "warning"
    assert by_code["term_missing"].severity == "warning"
    ok = check_segment("The Kingdom of Cambodia hosts the East Asia Summit.",
                       "Королевство Камбоджа принимает Восточноазиатский саммит.", "en", "ru", glossary=mini_glossary)
    assert not [f for f in ok if f.code.startswith("term_")]
