"""Digits: Khmer (០-៩) and any other Unicode decimal digits as ASCII."""

from __future__ import annotations

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
