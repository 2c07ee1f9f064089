"""MT enforcement: n-best rescoring, fixing deprecated/forbidden variants with inflection, placeholders."""

from __future__ import annotations

import pytest

from workbench.glossary import choose
from workbench.glossary.enforce import fix_terms, inflect_ru, protect, restore
from workbench.mt.hypothesis import Hypothesis


@pytest.mark.parametrize("phrase,case,number,expected", [
    ("Восточноазиатский саммит", "ablt", None, "Восточноазиатским саммитом"),
    ("Восточноазиатский саммит", "gent", None, "Восточноазиатского саммита"),
    ("Ассоциация государств Юго-Восточной Азии", "ablt", None, "Ассоциацией государств Юго-Восточной Азии"),
    ("Королевство Камбоджа", "loct", None, "Королевстве Камбоджа"),
    ("Генеральная Ассамблея ООН", "datv", None, "Генеральной Ассамблее ООН"),
    ("Евразийский экономический союз", "loct", None, "Евразийском экономическом союзе"),
    ("Шанхайская организация сотрудничества", "gent", None, "Шанхайской организации сотрудничества"),
    ("зелёный коридор", "gent", "plur", "зелёных коридоров"),
    ("премьер-министр", "datv", None, "премьер-министру"),
    ("АСЕАН", "gent", None, "АСЕАН"),
    ("Восточноазиатский саммит", "nomn", None, "Восточноазиатский саммит"),
])
def test_inflect_ru(phrase, case, number, expected):
    assert inflect_ru(phrase, case, number) == expected


@pytest.mark.parametrize("source,target,expected", [
    ("talks at the East Asia Summit", "переговоры на Саммите Восточной Азии",
     "переговоры на Восточноазиатском саммите"),
    ("the East Asia Summit began", "Саммит Восточной Азии начался", "Восточноазиатский саммит начался"),
    ("ties with the East Asia Summit", "связи со Саммитом Восточной Азии", "связи с Восточноазиатским саммитом"),
    ("the role of the East Asia Summit", "роль Саммита Восточной Азии", "роль Восточноазиатского саммита"),
    ("cooperation with the Association of Southeast Asian Nations",
     "сотрудничество с Ассоциацией стран Юго-Восточной Азии",
     "сотрудничество с Ассоциацией государств Юго-Восточной Азии"),
    ("members of the Association of Southeast Asian Nations", "члены Ассоциации стран Юго-Восточной Азии",
     "члены Ассоциации государств Юго-Восточной Азии"),
])
def test_fix_inflects_preferred_term(mini_glossary, source, target, expected):
    fixed, changes = fix_terms(mini_glossary, source, target, "en", "ru")
    assert fixed == expected
    assert changes and changes[0]["status"] == "deprecated"
    assert mini_glossary.check(source, fixed, "en", "ru").ok


def test_fix_forbidden_always_deprecated_only_with_source(mini_glossary):
    # forbidden: replaced even when the source does not name the concept
    assert mini_glossary.fix("Hello", "Кампучия", "ru") == "Королевство Камбоджа"
    # deprecated, concept not in the source: left alone (it may be a quotation or another meaning)
    assert mini_glossary.fix("Hello", "Саммит Восточной Азии", "ru") == "Саммит Восточной Азии"
    # nothing to fix: unchanged
    assert mini_glossary.fix("the East Asia Summit", "Восточноазиатский саммит", "ru") == "Восточноазиатский саммит"


def test_choose_prefers_compliant_hypothesis(mini_glossary):
    source = "Russia-ASEAN Dialogue Partnership and the East Asia Summit"
    hyps = [
        Hypothesis("партнерство России и стран региона и саммит", -0.30),
        Hypothesis("диалоговое партнерство Россия – АСЕАН и Восточноазиатский саммит", -0.45),
        Hypothesis("диалоговое партнерство Россия – АСЕАН и встреча", -0.35),
    ]
    text, score, meta = mini_glossary.choose(source, hyps, "ru")
    assert text == hyps[1].text and score == -0.45
    assert meta["glossary"]["chosen"] == 1 and meta["glossary"]["rescored"] is True
    assert meta["glossary"]["penalties"] == [2.0, 0.0, 1.0]
    terms = meta["terms"]
    assert [e["concept"] for e in terms["expected"]] == ["ra-dp", "eas"]
    assert terms["missing"] == [] and len(terms["found"]) == 2


def test_choose_model_score_wins_when_far_better(mini_glossary):
    hyps = [Hypothesis("встреча", -0.1), Hypothesis("Восточноазиатский саммит", -3.0)]
    text, _, meta = mini_glossary.choose("the East Asia Summit", hyps, "ru", weight=1.0)
    assert text == "встреча" and meta["terms"]["missing"][0]["concept"] == "eas"
    text, _, _ = mini_glossary.choose("the East Asia Summit", hyps, "ru", weight=5.0)
    assert text == "Восточноазиатский саммит"


def test_choose_then_fix(mini_glossary):
    hyps = [Hypothesis("на Саммите Восточной Азии", -0.2)]
    text, _, meta = mini_glossary.choose("at the East Asia Summit", hyps, "ru")
    assert text == "на Восточноазиатском саммите"
    assert meta["glossary"]["fixed"][0]["from"] == "Саммите Восточной Азии"
    assert meta["terms"]["deprecated"] == [] and len(meta["terms"]["found"]) == 1


def test_choose_khmer_and_empty(mini_glossary):
    hyps = [Hypothesis("កិច្ចសហប្រតិបត្តិការ", -0.1), Hypothesis("កិច្ចសហប្រតិបត្តិការជាមួយអាស៊ាន", -0.4)]
    text, _, meta = mini_glossary.choose("cooperation with ASEAN", hyps, "km")
    assert text == hyps[1].text and meta["terms"]["found"][0]["concept"] == "asean"
    text, score, meta = mini_glossary.choose("ASEAN", [], "ru")
    assert text == "" and meta["glossary"]["n_best"] == 0


def test_module_choose_is_a_valid_hook(mini_glossary_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_GLOSSARY", str(mini_glossary_path))
    text, score, meta = choose("the UN", [Hypothesis("Объединенные", -0.1), Hypothesis("ООН", -0.2)], "ru")
    assert text == "ООН" and set(meta) == {"terms", "glossary"}


def test_protect_and_restore(mini_glossary):
    masked, slots = protect(mini_glossary, "The Kingdom of Cambodia chairs ASEAN in 2022.", "ru")
    assert masked == "The [1] chairs [2] in 2022."
    assert [s["target"] for s in slots] == ["Королевство Камбоджа", "АСЕАН"]
    out, lost = restore("[1] председательствует в [ 2 ] в 2022 году.", slots)
    assert out == "Королевство Камбоджа председательствует в АСЕАН в 2022 году." and lost == []
    out, lost = restore("председательствует в 2022 году.", slots)
    assert [s["concept"] for s in lost] == ["cambodia-kingdom", "asean"]
    # placeholders already in the text are not reused
    masked, slots = protect(mini_glossary, "See [1]: ASEAN.", "ru")
    assert masked == "See [1]: [2]." and slots[0]["placeholder"] == "[2]"


def test_verbatim_terms(mini_glossary):
    from workbench.glossary.enforce import verbatim_terms

    assert verbatim_terms(mini_glossary, "en", "ru") == ["COVID-19"]
