"""Numbers in words: number words, scale words ("million", "млн", "លាន"), Roman numerals, clock words."""

from __future__ import annotations

#: A number word after a figure multiplies it: "1.5 million", "1,5 млн", "១,៥ លាន".
SCALE_WORDS = {
    "en": {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "trillion": 1e12},
    "ru": {"тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
           "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "трлн": 1e12,
           "триллион": 1e12, "триллиона": 1e12, "триллионов": 1e12},
    "km": {"ពាន់លាន": 1e9, "ពាន់": 1e3, "ម៉ឺន": 1e4, "សែន": 1e5, "លាន": 1e6},
}
#: Numbers commonly written as words (cardinals, ordinals, "twice", "half"), lower case.
NUMBER_WORDS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100, "first": 1, "second": 2,
           "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
           "thousand": 1000, "million": 1e6, "billion": 1e9, "once": 1, "twice": 2, "both": 2, "half": 0.5},
    "ru": {"один": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "одному": 1, "два": 2, "две": 2, "двух": 2,
           "двум": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5,
           "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9,
           "девяти": 9, "десять": 10, "десяти": 10, "двенадцать": 12, "двадцать": 20, "сто": 100,
           "первый": 1, "первая": 1, "первое": 1, "первого": 1, "первой": 1, "второй": 2, "второго": 2,
           "вторая": 2, "третий": 3, "третьего": 3, "третья": 3, "четвертый": 4, "пятый": 5, "десятый": 10,
           "тысяча": 1000, "тысячи": 1000, "миллион": 1e6, "миллиард": 1e9, "оба": 2, "обе": 2,
           "дважды": 2, "половина": 0.5, "половину": 0.5},
    "km": {"មួយ": 1, "ពីរ": 2, "បី": 3, "បួន": 4, "ប្រាំ": 5, "ប្រាំមួយ": 6, "ប្រាំពីរ": 7, "ប្រាំបី": 8,
           "ប្រាំបួន": 9, "ដប់": 10, "ម្ភៃ": 20, "រយ": 100, "ពាន់": 1000, "លាន": 1e6, "ទីមួយ": 1, "ទីពីរ": 2,
           "ទីបី": 3},
}
#: Russian words after a Roman numeral that make it a century ("XXI век", "XIX–XX вв."), as a regex alternation.
RU_CENTURY_WORDS = r"вв?\.|век|века|веке|веков|веками|столети[еяию]"
#: Words after four digits that make them a time of day ("1200 GMT", "1200 ч", "1200 ម៉ោង"), as a regex
#: alternation.
CLOCK_WORDS = r"GMT|UTC|hours|hrs|ч\.?\b|ម៉ោង"

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral: str) -> int | None:
    """``"XXI"`` -> 21; None when ``numeral`` is not made of Roman digits (upper case)."""
    total, prev = 0, 0
    for ch in reversed(numeral):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None
