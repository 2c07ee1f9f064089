"""Writing systems: character classes for Khmer and Cyrillic, the script of each language, zero-width
characters, Khmer punctuation."""

from __future__ import annotations

import re

#: Khmer and Khmer Symbols blocks, as a character-class body (``f"[{KHMER}]"``).
KHMER = "\u1780-\u17ff\u19e0-\u19ff"
KHMER_CHAR = re.compile(f"[{KHMER}]")
KHMER_RUN = re.compile(f"[{KHMER}]+")
#: a Khmer character cluster: a consonant or independent vowel with its subscripts (coeng + consonant),
#: dependent vowels and signs (the unit of Khmer text, which has no spaces between words).
KHMER_CLUSTER = re.compile("[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b4-\u17d1\u17d3\u17dd])*")
#: ។ ៕ ៖ ៘ ៙ ៚: Khmer punctuation that is not part of a word (ៗ, the repetition mark, is).
KHMER_PUNCT = frozenset("\u17d4\u17d5\u17d6\u17d8\u17d9\u17da")
#: zero-width space, non-joiner, joiner, byte-order mark (Khmer text uses ZWSP to mark word breaks).
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
#: characters that never change what a text says: the zero-width ones, word joiner and soft hyphen.
INVISIBLE = ZERO_WIDTH + "\u2060\u00ad"
CYRILLIC_CHAR = re.compile("[\u0400-\u04ff]")


def has_khmer(text: str) -> bool:
    return KHMER_CHAR.search(text) is not None


def has_cyrillic(text: str) -> bool:
    return CYRILLIC_CHAR.search(text) is not None


#: Characters of each language's script: a text translated into the language has at least one.
SCRIPT_CHAR = {"en": re.compile("[A-Za-z]"), "ru": re.compile("[А-Яа-яЁё]"), "km": re.compile("[\u1780-\u17ff]")}
#: The Unicode blocks of each language's script, as character-class bodies (Cyrillic with its Supplement, the
#: Khmer blocks, basic Latin letters).
SCRIPT_BLOCKS = {"en": "A-Za-z", "ru": "\u0400-\u052f", "km": KHMER}
#: The name of each language's script, for messages.
SCRIPT_NAME = {"en": "Latin", "ru": "Cyrillic", "km": "Khmer"}


def sentence_separator(lang: str) -> str:
    """What goes between two sentences joined into one text: nothing in Khmer (no spaces between
    sentences or words), a space elsewhere."""
    return "" if lang == "km" else " "
