"""Digits: Khmer (០-៩) and any other Unicode decimal digits as ASCII."""

from __future__ import annotations

import re
import unicodedata

from .scripts import ZERO_WIDTH_RE

#: ``str.translate`` table: Khmer digits -> ASCII digits.
KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")


def ascii_digits(text: str) -> str:
    """Khmer (and any other Unicode decimal) digits -> ASCII; zero-width characters removed."""
    text = ZERO_WIDTH_RE.sub("", text.translate(KHMER_DIGITS))
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() and
                   unicodedata.digit(ch, None) is not None else ch for ch in text)


_NON_ASCII_DECIMAL = re.compile(r"(?![0-9])\d")


def decimal_to_ascii(text: str) -> str:
    """Decimal digits of any script (Unicode category Nd: Khmer, Arabic-Indic, fullwidth...) -> ASCII; every
    other character, superscripts and zero-width ones included, stays as it is."""
    if text.isascii():
        return text
    return _NON_ASCII_DECIMAL.sub(lambda m: str(unicodedata.decimal(m.group(), 0)), text)
