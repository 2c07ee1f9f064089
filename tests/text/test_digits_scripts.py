"""Digits as ASCII, zero-width characters, the script of each language and its punctuation."""

from __future__ import annotations

import pytest

from workbench.core.config import LANGUAGES
from workbench.text.digits import KHMER_DIGITS, ascii_digits
from workbench.text.punctuation import BRACKETS, FINAL_MARKS, FULL_STOP
from workbench.text.scripts import KHMER_PUNCT, SCRIPT_CHAR, SCRIPT_NAME, ZERO_WIDTH_RE, has_cyrillic, has_khmer


@pytest.mark.parametrize("text,expected", [
    ("ឆ្នាំ១៩៩៥", "ឆ្នាំ1995"),
    ("០១២៣៤៥៦៧៨៩", "0123456789"),
    ("ថ្ងៃ\u200bទី ២៥", "ថ្ងៃទី 25"),  # zero-width space removed
    ("١٢٣ and ۴۵", "123 and 45"),  # Arabic-Indic and Persian digits are decimal digits too
    ("1,500.5 tonnes", "1,500.5 tonnes"),
])
def test_ascii_digits(text, expected):
    assert ascii_digits(text) == expected


def test_khmer_digit_table():
    assert "៣៧".translate(KHMER_DIGITS) == "37"


def test_zero_width_characters():
    assert ZERO_WIDTH_RE.sub("", "a\u200bb\u200cc\u200dd\ufeffe") == "abcde"
    assert ZERO_WIDTH_RE.sub("", "a b\u00a0c") == "a b\u00a0c"  # spaces are not zero-width


def test_script_detection():
    assert has_khmer("Phnom Penh ភ្នំពេញ") and not has_khmer("Пномпень")
    assert has_cyrillic("Пномпень") and not has_cyrillic("Phnom Penh ភ្នំពេញ")


@pytest.mark.parametrize("lang,own,foreign", [
    ("en", "Phnom Penh", "Пномпень ភ្នំពេញ 1995"),
    ("ru", "Пномпень, ёлка", "Phnom Penh ភ្នំពេញ"),
    ("km", "ភ្នំពេញ", "Phnom Penh Пномпень"),
])
def test_script_of_each_language(lang, own, foreign):
    assert SCRIPT_CHAR[lang].search(own)
    assert not SCRIPT_CHAR[lang].search(foreign)


def test_every_language_has_script_and_punctuation_tables():
    for lang in LANGUAGES:
        assert lang in SCRIPT_CHAR and lang in SCRIPT_NAME and lang in FULL_STOP, lang


def test_punctuation_tables():
    assert FULL_STOP["km"] == "។" and FINAL_MARKS["។"] == "period" and FINAL_MARKS["៖"] == "colon"
    assert set(FINAL_MARKS.values()) == {"period", "question", "exclamation", "ellipsis", "colon", "semicolon"}
    assert BRACKETS["«"] == "»" and BRACKETS["„"] == "“"
    assert "ៗ" not in KHMER_PUNCT and "។" in KHMER_PUNCT
