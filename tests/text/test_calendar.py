"""Month and weekday names: every table covers the year, lookups accept the forms found in real texts."""

from __future__ import annotations

import re

import pytest

from workbench.text.calendar import (
    DE_MONTHS,
    EN_MONTHS,
    FR_MONTHS,
    KM_MONTHS,
    RU_MONTH_PATTERNS,
    RU_MONTH_STEMS,
    RU_MONTHS,
    RU_WEEKDAYS,
    WEEKDAYS,
    alternation,
    en_month,
    km_month,
    ru_month,
)


@pytest.mark.parametrize("table", [EN_MONTHS, RU_MONTHS, RU_MONTH_PATTERNS, RU_MONTH_STEMS, KM_MONTHS, DE_MONTHS,
                                   FR_MONTHS])
def test_month_tables_cover_the_year(table):
    assert sorted(table) == list(range(1, 13))


def test_weekday_tables_cover_the_week():
    assert sorted(WEEKDAYS) == list(range(1, 8))
    assert WEEKDAYS[1][0] == "monday" and WEEKDAYS[7][0] == "sunday"
    assert len(RU_WEEKDAYS) == 7 and RU_WEEKDAYS[0] == "понедельник"


@pytest.mark.parametrize("word,month", [("January", 1), ("jan", 1), ("Dec.", 12), ("sept", 9), ("Sep", 9),
                                        ("MAY", 5), ("Mayo", None), ("Mar.", 3), ("marches", None)])
def test_en_month(word, month):
    assert en_month(word) == month


@pytest.mark.parametrize("word,month", [("января", 1), ("январь", 1), ("янв.", 1), ("мая", 5), ("май", 5),
                                        ("мае", 5), ("декабре", 12), ("Сентября", 9), ("сент.", 9), ("сен", 9),
                                        ("марта", 3), ("март", 3), ("ноябрю", 11), ("маяк", None),
                                        ("мартовский", None), ("год", None)])
def test_ru_month_all_cases_and_abbreviations(word, month):
    assert ru_month(word) == month


@pytest.mark.parametrize("word,month", [("មករា", 1), ("ឧសភា", 5), ("ធ្នូ", 12), ("កុម្ភៈ", 2), ("កុម្ភះ", 2),
                                        ("ខែ", None), ("May", None)])
def test_km_month_and_variant_spellings(word, month):
    assert km_month(word) == month


def test_ru_stems_are_prefixes_of_the_month_names():
    for n, (nominative, genitive) in RU_MONTHS.items():
        assert nominative.startswith(RU_MONTH_STEMS[n]) and genitive.startswith(RU_MONTH_STEMS[n])


def test_alternation_puts_longer_names_first():
    assert alternation(["sep", "september", "sept"]) == "september|sept|sep"
    rx = re.compile(rf"\b(?:{alternation(['sep', 'sept'])})\b")
    assert rx.search("in sept 1995").group(0) == "sept"
