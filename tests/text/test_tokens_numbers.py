"""Word tokens (Khmer segmented by khmercut), tokens for word-level metrics, numbers in words."""

from __future__ import annotations

import pytest

from workbench.text.numbers import NUMBER_WORDS, SCALE_WORDS, roman_value
from workbench.text.tokens import count_words, khmer_words, words


def test_words_english_and_russian():
    assert words("The well-known minister's visit, in 2020.") == ["The", "well-known", "minister's", "visit",
                                                                   "in", "2020"]
    assert words("Рост составил 1\u00a0000,5 млн, т. е. 3.14") == ["Рост", "составил", "1\u00a0000,5", "млн", "т",
                                                                    "е", "3.14"]


def test_words_khmer_segmented_without_punctuation():
    # trade / (past) / rise / up / 5 / percent: zero-width spaces and ។ are not words
    assert words("ពាណិជ្ជកម្ម\u200bបាន\u200bកើន\u200bឡើង ៥ ភាគរយ។") == ["ពាណិជ្ជកម្ម", "បាន", "កើន", "ឡើង", "៥",
                                                                         "ភាគរយ"]
    # the meeting / (passive marker, one word) / postpone / time: unspaced text is segmented too
    assert words("កិច្ចប្រជុំត្រូវបានពន្យារពេល។") == ["កិច្ចប្រជុំ", "ត្រូវបាន", "ពន្យារ", "ពេល"]
    # the repetition mark ៗ stays with its word
    assert words("រឿង​ផ្សេងៗ។") == ["រឿង", "ផ្សេងៗ"]


def test_count_words():
    assert count_words("The well-known minister's visit, in 2020.") == 6
    assert count_words("Визит министра состоялся в 2020 году.") == 6
    assert count_words("ពាណិជ្ជកម្ម\u200bបាន\u200bកើន\u200bឡើង ៥ ភាគរយ។") == 6
    assert count_words("") == 0 and count_words(" \u200b ។ ") == 0


def test_khmer_words_for_metrics_keep_punctuation_as_tokens():
    assert khmer_words("វា​ជា​ការពិត។ OK, 2020.") == "វា ជា ការពិត ។ OK , 2020 ."
    assert khmer_words("Hello, world!") == "Hello , world !"


@pytest.mark.parametrize("numeral,value", [("I", 1), ("IV", 4), ("IX", 9), ("XIX", 19), ("XXI", 21),
                                           ("XLII", 42), ("MCMXCV", 1995), ("", None), ("XIV ", None),
                                           ("xxi", None), ("ABC", None)])
def test_roman_value(numeral, value):
    assert roman_value(numeral) == value


def test_number_word_tables():
    assert NUMBER_WORDS["en"]["five"] == 5 and NUMBER_WORDS["ru"]["пять"] == 5 and NUMBER_WORDS["km"]["ប្រាំ"] == 5
    assert SCALE_WORDS["ru"]["млн"] == SCALE_WORDS["en"]["million"] == SCALE_WORDS["km"]["លាន"] == 1e6
    for table in (*NUMBER_WORDS.values(), *SCALE_WORDS.values()):
        assert all(w == w.lower() for w in table)  # looked up in lower case
