"""Each QA check with positive (flagged) and negative (clean) cases, in English, Russian and Khmer targets.

Expected results are written by hand from the texts, never computed with the code under test.
"""

from __future__ import annotations

import pytest

from workbench.core.errors import InputError, UnknownLanguage
from workbench.qa import Finding, check_segment, checks
from workbench.qa.dates import find_dates
from workbench.text.digits import ascii_digits


def codes(source, target, src, tgt, **kw):
    return [f.code for f in check_segment(source, target, src, tgt, **kw)]


# (check, source, target, src_lang, tgt_lang, flagged?)
CASES = [
    # -- numbers: digit systems and number formats
    ("number_mismatch", "Trade reached 1,500 tonnes.", "Товарооборот достиг 1 500 тонн.", "en", "ru", False),
    ("number_mismatch", "Trade reached 1,500 tonnes.", "Товарооборот достиг 1 600 тонн.", "en", "ru", True),
    ("number_mismatch", "Growth was 1,000.5 million dollars.", "Рост составил 1 000,5 млн долларов.", "en", "ru",
     False),
    ("number_mismatch", "Growth was 1,000.5 million dollars.", "Рост составил 1 000 млн долларов.", "en", "ru", True),
    ("number_mismatch", "Trade reached 1,500 tonnes.", "ពាណិជ្ជកម្ម​បាន​ឈាន​ដល់ ១,៥០០ តោន។", "en", "km", False),
    ("number_mismatch", "Trade reached 1,500 tonnes.", "ពាណិជ្ជកម្ម​បាន​ឈាន​ដល់ ១,៦០០ តោន។", "en", "km", True),
    ("number_mismatch", "Trade reached 1,500 tonnes.", "ពាណិជ្ជកម្ម​បាន​ឈាន​ដល់ 1,500 តោន។", "en", "km", False),
    ("number_mismatch", "Рост составил 2,5 %.", "Growth was 2.5%.", "ru", "en", False),
    ("number_mismatch", "Рост составил 2,5 %.", "Growth was 2.6%.", "ru", "en", True),
    ("number_mismatch", "ប្រាក់​ចំនួន ១០០ ដុល្លារ។", "100 dollars.", "km", "en", False),
    ("number_mismatch", "ប្រាក់​ចំនួន ១០០ ដុល្លារ។", "200 dollars.", "km", "en", True),
    ("number_mismatch", "Five countries signed the 2 agreements.", "Пять стран подписали 2 соглашения.", "en", "ru",
     False),
    ("number_mismatch", "In the 21st century.", "В XXI веке.", "en", "ru", False),
    ("number_mismatch", "In the 21st century.", "В XX веке.", "en", "ru", True),
    ("number_mismatch", "Trade rose by 1.5 million.", "ពាណិជ្ជកម្ម​កើន​ឡើង ១,៥ លាន។", "en", "km", False),
    ("number_mismatch", "Trade rose by 1.5 million.", "Товарооборот вырос на 1 500 000.", "en", "ru", False),
    # times: 12- and 24-hour clocks, military time
    ("number_mismatch", "The fire was out by 11:35 pm.", "Пожар потушили к 23:35.", "en", "ru", False),
    ("number_mismatch", "The fire was out by 11:35 pm.", "Пожар потушили к 22:35.", "en", "ru", True),
    ("number_mismatch", "It was removed at 1200 GMT.", "Его убрали в 12:00 по Гринвичу.", "en", "ru", False),
    ("number_mismatch", "The talks began at 8:30 a.m.", "កិច្ចចរចា​បាន​ចាប់ផ្តើម​នៅ​ម៉ោង ៨:៣០ ព្រឹក។", "en", "km", False),
    ("number_mismatch", "The talks began at 8:30 a.m.", "កិច្ចចរចា​បាន​ចាប់ផ្តើម​នៅ​ម៉ោង ៩:៣០ ព្រឹក។", "en", "km", True),
    ("number_mismatch", "Формула-1", "Formula 1", "ru", "en", False),
    ("number_mismatch", "វាយបាន11ដង", "hit 11 times", "km", "en", False),
    ("number_mismatch", "វាយបាន11ដង", "hit 12 times", "km", "en", True),
    # -- dates written out
    ("date_mismatch", "It was signed on 25 May 1995.", "Он был подписан 25 мая 1995 г.", "en", "ru", False),
    ("date_mismatch", "It was signed on 25 May 1995.", "Он был подписан 25 июня 1995 г.", "en", "ru", True),
    ("date_mismatch", "It was signed on May 25, 1995.", "Он был подписан 25.05.1995.", "en", "ru", False),
    ("date_mismatch", "It was signed on 25 May 1995.",
     "វា​ត្រូវ​បាន​ចុះ​ហត្ថលេខា​នៅ​ថ្ងៃទី២៥ ខែឧសភា ឆ្នាំ១៩៩៥។", "en", "km", False),
    ("date_mismatch", "It was signed on 25 May 1995.",
     "វា​ត្រូវ​បាន​ចុះ​ហត្ថលេខា​នៅ​ថ្ងៃទី២៥ ខែមិថុនា ឆ្នាំ១៩៩៥។", "en", "km", True),
    ("date_mismatch", "Визит состоялся в мае 2020 года.", "The visit took place in May 2020.", "ru", "en", False),
    ("date_mismatch", "Визит состоялся в мае 2020 года.", "The visit took place in June 2020.", "ru", "en", True),
    ("date_mismatch", "ថ្ងៃទី៧ ខែមករា ឆ្នាំ១៩៧៩", "7 January 1979", "km", "en", False),
    ("date_mismatch", "ថ្ងៃទី៧ ខែមករា ឆ្នាំ១៩៧៩", "7 February 1979", "km", "en", True),
    # -- untranslated (identical, or no letters of the target script)
    ("untranslated", "The meeting was postponed.", "The meeting was postponed.", "en", "ru", True),
    ("untranslated", "The meeting was postponed.", "Встреча была отложена.", "en", "ru", False),
    ("untranslated", "The meeting was postponed.", "The meeting was postponed.", "en", "km", True),
    ("untranslated", "The meeting was postponed.", "កិច្ចប្រជុំ​ត្រូវ​បាន​ពន្យារ​ពេល។", "en", "km", False),
    ("untranslated", "Встреча была отложена.", "Встреча была отложена.", "ru", "en", True),
    ("untranslated", "Встреча была отложена.", "The meeting was postponed.", "ru", "en", False),
    ("untranslated", "The meeting was postponed.", "Die Sitzung wurde vertagt.", "en", "ru", True),
    ("untranslated", "ASEAN", "ASEAN", "en", "ru", False),  # one name: may stay as it is
    # -- length ratio per language pair
    ("length_ratio", "The ministers discussed bilateral trade and investment.",
     "Министры обсудили двустороннюю торговлю и инвестиции.", "en", "ru", False),
    ("length_ratio", "The ministers discussed bilateral trade and investment.", "Министры.", "en", "ru", True),
    ("length_ratio", "The ministers discussed bilateral trade and investment.",
     "រដ្ឋមន្ត្រី​បាន​ពិភាក្សា​អំពី​ពាណិជ្ជកម្ម និង​ការ​វិនិយោគ​ទ្វេភាគី។", "en", "km", False),
    ("length_ratio", "The ministers discussed bilateral trade and investment.", "រដ្ឋមន្ត្រី។", "en", "km", True),
    ("length_ratio", "Министры обсудили двустороннюю торговлю и инвестиции.",
     "The ministers discussed bilateral trade and investment.", "ru", "en", False),
    ("length_ratio", "Министры обсудили торговлю.",
     "The ministers discussed bilateral trade and investment and many other questions at great length.",
     "ru", "en", True),
    # -- end punctuation (Khmer ។)
    ("end_punctuation", "Is it true?", "Это правда?", "en", "ru", False),
    ("end_punctuation", "Is it true?", "Это правда.", "en", "ru", True),
    ("end_punctuation", "It is true.", "វា​ជា​ការពិត។", "en", "km", False),
    ("end_punctuation", "It is true.", "វា​ជា​ការពិត.", "en", "km", True),
    ("end_punctuation", "It is true.", "វា​ជា​ការពិត", "en", "km", True),
    ("end_punctuation", "វា​ជា​ការពិត។", "It is true.", "km", "en", False),
    ("end_punctuation", "វា​ជា​ការពិត។", "It is true!", "km", "en", True),
    ("end_punctuation", "Он сказал: «Да».", "He said: “Yes.”", "ru", "en", False),
    ("end_punctuation", "Cambodia and Russia sign agreement", "Камбоджа и Россия подписали соглашение", "en", "ru",
     False),
    ("end_punctuation", "Cambodia and Russia sign agreement", "Камбоджа и Россия подписали соглашение.", "en", "ru",
     True),
    # -- Russian quotes and dashes (only Russian targets)
    ("ru_quotes", 'He said "yes".', "Он сказал «да».", "en", "ru", False),
    ("ru_quotes", 'He said "yes".', 'Он сказал "да".', "en", "ru", True),
    ("ru_quotes", 'He said "yes".', "Он сказал “да”.", "en", "ru", True),
    ("ru_quotes", 'The "Friendship" ("Druzhba") hotel.', "Гостиница «Дружба („Druzhba“)».", "en", "ru", False),
    ("ru_quotes", "Он сказал «да».", 'He said "yes".', "ru", "en", False),
    ("ru_quotes", 'He said "yes".', 'គាត់​បាន​និយាយ​ថា "បាទ"។', "en", "km", False),
    ("ru_dash", "Russia - Cambodia talks.", "Переговоры Россия — Камбоджа.", "en", "ru", False),
    ("ru_dash", "Russia - Cambodia talks.", "Переговоры Россия - Камбоджа.", "en", "ru", True),
    ("ru_dash", "A well-known fact.", "Общеизвестный факт, так-то.", "en", "ru", False),
    ("ru_dash", "Переговоры Россия — Камбоджа.", "Russia - Cambodia talks.", "ru", "en", False),
    ("ru_dash", "Russia - Cambodia talks.", "កិច្ចចរចា រុស្ស៊ី - កម្ពុជា។", "en", "km", False),
    # -- spaces
    ("double_space", "He came.", "Он  пришёл.", "en", "ru", True),
    ("double_space", "He came.", "Он пришёл.", "en", "ru", False),
    ("double_space", "Он пришёл.", "He  came.", "ru", "en", True),
    ("double_space", "Он пришёл.", "He came.", "ru", "en", False),
    ("double_space", "He came.", "គាត់  បាន​មក។", "en", "km", True),
    ("double_space", "He came.", "គាត់​បាន​មក។", "en", "km", False),
    ("edge_space", "He came.", "Он пришёл. ", "en", "ru", True),
    ("edge_space", "Он пришёл.", " He came.", "ru", "en", True),
    ("edge_space", "He came.", "គាត់​បាន​មក។ ", "en", "km", True),
    ("edge_space", "He came.", "គាត់​បាន​មក។", "en", "km", False),
    ("space_before_punct", "Yes, he came.", "Да , он пришёл.", "en", "ru", True),
    ("space_before_punct", "Yes, he came.", "Да, он пришёл.", "en", "ru", False),
    ("space_before_punct", "Да, он пришёл.", "Yes , he came .", "ru", "en", True),
    ("space_before_punct", "He came.", "គាត់ បាន​មក ។", "en", "km", False),  # Khmer spacing differs
    # -- repeated words
    ("repeated_word", "He came to the city.", "Он приехал в в город.", "en", "ru", True),
    ("repeated_word", "He came to the city.", "Он приехал в город.", "en", "ru", False),
    ("repeated_word", "Он приехал в город.", "He came to the the city.", "ru", "en", True),
    ("repeated_word", "Он приехал в город.", "He came to the city.", "ru", "en", False),
    ("repeated_word", "I know that that is true.", "Я знаю, что это правда.", "en", "ru", False),
    ("repeated_word", "The ministry said.", "ក្រសួង ក្រសួង​បាន​និយាយ។", "en", "km", True),
    ("repeated_word", "Various things.", "រឿង​ផ្សេងៗ។", "en", "km", False),
    ("repeated_word", "Women: women travellers.", "ស្ត្រី៖ ស្ត្រី​ជា​អ្នក​ធ្វើដំណើរ។", "en", "km", False),
    ("repeated_word", "It was used as a baseline.", "វា​ត្រូវ​បាន​ប្រើ​ជា​ជា​មូលដ្ឋាន។", "en", "km", True),
    ("repeated_word", "Near Pago Pago.", "Около Паго Паго.", "en", "ru", False),
    ("repeated_word", "Около Паго-Паго.", "Near Pago Pago.", "ru", "en", False),
    ("repeated_word", "The ministry said.", "ក្រសួង​បាន​និយាយ។", "en", "km", False),
    # -- brackets and quotes
    ("unbalanced", "The United Nations (UN) met.", "Организация Объединённых Наций (ООН собралась.", "en", "ru", True),
    ("unbalanced", "The United Nations (UN) met.", "Организация Объединённых Наций (ООН) собралась.", "en", "ru",
     False),
    ("unbalanced", "He said «yes».", "He said “yes.", "ru", "en", True),
    ("unbalanced", "He said «yes».", "He said “yes”.", "ru", "en", False),
    ("unbalanced", "The United Nations (UN) met.", "អង្គការ​សហប្រជាជាតិ (អ.ស.ប ​បាន​ប្រជុំ។", "en", "km", True),
    ("unbalanced", "The United Nations (UN) met.", "អង្គការ​សហប្រជាជាតិ (អ.ស.ប) ​បាន​ប្រជុំ។", "en", "km", False),
    ("unbalanced", "Он сказал: «Мы согласны.", "He said: “We agree.", "ru", "en", False),  # quote spans sentences
    ("unbalanced", "He said «yes».", "Он сказал «да»».", "en", "ru", True),
    # -- empty
    ("empty", "He came.", "", "en", "ru", True),
    ("empty", "He came.", "\u200b ", "en", "km", True),
    ("empty", "Он пришёл.", "He came.", "ru", "en", False),
]


@pytest.mark.parametrize("check,source,target,src,tgt,flagged", CASES,
                         ids=[f"{c[0]}-{c[4]}-{'pos' if c[5] else 'neg'}-{i}" for i, c in enumerate(CASES)])
def test_check(check, source, target, src, tgt, flagged):
    found = codes(source, target, src, tgt)
    assert (check in found) is flagged, found


def test_every_check_has_cases_in_every_target_language():
    per_check = {}
    for check, *_rest, tgt, flagged in CASES:
        per_check.setdefault(check, set()).add((tgt, flagged))
    # the term checks need a glossary, "tags" the codes of a TM match (tests/tm/test_interop.py)
    segment_checks = {c.code for c in checks("segment")} - {"term_missing", "term_forbidden", "term_deprecated",
                                                           "tags"}
    assert len(segment_checks) == 13
    for check in segment_checks:
        seen = per_check.get(check, set())
        assert {lang for lang, _ in seen} == {"en", "ru", "km"}, (check, seen)
        assert {True, False} <= {f for _, f in seen}, (check, seen)


def test_clean_translations_have_no_findings():
    assert check_segment("On 25 May 1995, 1,500 delegates met in Phnom Penh (Cambodia).",
                         "25 мая 1995 г. 1 500 делегатов встретились в Пномпене (Камбоджа).", "en", "ru") == []
    assert check_segment("Is the agreement ready?", "កិច្ចព្រមព្រៀង​រួចរាល់​ហើយ​ឬ​នៅ?", "en", "km") == []


def test_empty_severity_depends_on_status():
    (f,) = check_segment("He came.", "", "en", "ru", status="approved")
    assert (f.code, f.severity) == ("empty", "error")
    (f,) = check_segment("He came.", "", "en", "ru", status="new")
    assert (f.code, f.severity) == ("empty", "warning")


def test_finding_fields_and_span_point_at_the_problem():
    target = "Переговоры Россия - Камбоджа."
    (f,) = check_segment("Russia - Cambodia talks.", target, "en", "ru", segment_id=7)
    assert isinstance(f, Finding)
    assert (f.code, f.severity, f.lang, f.segment_id) == ("ru_dash", "warning", "ru", 7)
    assert target[f.span[0]:f.span[1]] == " - "
    d = f.as_dict()
    assert d["span"] == [17, 20] and d["code"] == "ru_dash"


def test_span_maps_back_through_zero_width_spaces():
    target = "ថ្ងៃ\u200bទី ៣ ខែ\u200bមីនា។"
    found = check_segment("Day 2.", target, "en", "km", settings={"checks": {"date_mismatch": False}})
    nums = [f for f in found if f.code == "number_mismatch"]
    assert [target[f.span[0]:f.span[1]] for f in nums if f.span] == ["៣"]


def test_settings_switch_checks_and_override_severity():
    src, tgt = "He came.", "Он  пришёл"
    assert set(codes(src, tgt, "en", "ru")) == {"double_space", "end_punctuation"}
    assert codes(src, tgt, "en", "ru", settings={"checks": {"double_space": False}}) == ["end_punctuation"]
    found = check_segment(src, tgt, "en", "ru", settings={"severity": {"end_punctuation": "info"}})
    assert {f.code: f.severity for f in found} == {"double_space": "warning", "end_punctuation": "info"}
    lr = {"length_ratio": {"en-ru": [0.1, 0.5]}, "min_length_ratio_chars": 5}
    assert "length_ratio" in codes("The ministers met today.", "Министры встретились сегодня.", "en", "ru",
                                   settings=lr)


@pytest.mark.parametrize("bad", [{"checks": {"nope": True}}, {"severity": {"empty": "fatal"}},
                                 {"length_ratio": {"en-ru": [2, 1]}}, {"length_ratio": {"en-ru": [1]}},
                                 {"length_ratio": {"en-ru": "wide"}}, {"min_length_ratio_chars": "many"},
                                 ["not", "a", "dict"]])
def test_bad_settings_are_user_errors(bad):
    with pytest.raises(InputError):
        check_segment("a b", "c d", "en", "ru", settings=bad)


def test_unknown_language_is_a_user_error():
    with pytest.raises(UnknownLanguage):
        check_segment("a", "b", "en", "fr")


def test_dates_in_three_languages():
    assert ascii_digits("ឆ្នាំ១៩៩៥\u200b") == "ឆ្នាំ1995"
    for text, lang in [("25 May 1995", "en"), ("May 25th, 1995", "en"), ("25 мая 1995 г.", "ru"),
                       ("ថ្ងៃទី25 ខែឧសភា ឆ្នាំ1995", "km"), ("1995-05-25", "en"), ("25.05.1995", "ru")]:
        (d,) = find_dates(text, lang)
        assert (1995, 5, 25) in d.values, text


# -- the glossary's own forms, untranslated targets, one finding per problem ------------------------------------


def _shipped_glossary():
    from workbench.core.config import GLOSSARY_DIR
    from workbench.glossary import Glossary

    return Glossary.load(GLOSSARY_DIR / "diplomatic.csv")


def test_a_glossary_form_never_gets_a_typography_warning():
    """«Россия – АСЕАН» and «Азия – Европа» are how the glossary writes them (inside «саммит Россия – АСЕАН»,
    «форум «Азия – Европа»»): no em-dash warning there, while other dashes are still flagged."""
    g = _shipped_glossary()
    target = "Саммит Россия – АСЕАН и форум «Азия – Европа» прошли; Россия – Китай – Индия тоже."
    found = check_segment("The Russia-ASEAN Summit and the Asia-Europe forum took place; Russia-China-India too.",
                          target, "en", "ru", glossary=g)
    dashes = [f for f in found if f.code == "ru_dash"]
    assert len(dashes) == 1, dashes  # the two unlisted dashes are one finding...
    assert [target[a:b] for a, b in dashes[0].spans] == [" – ", " – "]  # ...at both places
    assert all(a > target.index("Китай") - 4 for a, _ in dashes[0].spans)
    without = check_segment("Russia-ASEAN.", "Россия – АСЕАН.", "en", "ru")  # no glossary: plain typography
    assert [f.code for f in without if f.code == "ru_dash"] == ["ru_dash"]


@pytest.mark.parametrize("lang", ["ru", "km"])
def test_untranslated_for_every_target_language(lang):
    src = "In May 2016 the 12th Russia-ASEAN Summit took place in Sochi."
    found = check_segment(src, src, "en", lang)
    codes = [f.code for f in found]
    assert "untranslated" in codes
    # the untouched English date and numbers are not taken for wrong numbers
    assert "number_mismatch" not in codes and "date_mismatch" not in codes, found
    partly = {"ru": "Саммит took place in Sochi in May 2016, the twelfth one.",
              "km": "កិច្ចប្រជុំ took place in Sochi in May 2016, the twelfth one."}[lang]
    found = check_segment(src, partly, "en", lang)
    assert any(f.code == "untranslated" and "mostly in Latin" in f.message for f in found), found
    fine = {"ru": "В мае 2016 года в Сочи прошёл 12-й саммит Россия – АСЕАН.",
            "km": "កិច្ចប្រជុំកំពូលរុស្ស៊ី-អាស៊ានលើកទី១២ បានធ្វើឡើងនៅសូជី ក្នុងខែឧសភា ឆ្នាំ២០១៦។"}[lang]
    assert "untranslated" not in [f.code for f in check_segment(src, fine, "en", lang)]


def test_the_same_problem_twice_is_one_finding_with_both_places():
    target = "Да  нет  может быть."
    (f,) = [f for f in check_segment("Yes no maybe.", target, "en", "ru") if f.code == "double_space"]
    assert [target[a:b] for a, b in f.spans] == ["  ", "  "] and f.span == f.spans[0]
    assert f.as_dict()["spans"] == [list(s) for s in f.spans]
