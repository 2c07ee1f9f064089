"""Word tokenisers: words as CAT tools count them, and Khmer (written without spaces between words)
segmented into words with khmercut (a CRF word segmenter, ~90k characters/s)."""

from __future__ import annotations

import re
from functools import lru_cache

from .scripts import KHMER, KHMER_CHAR, KHMER_PUNCT, ZERO_WIDTH_RE

_WORD_RE = re.compile(rf"\d+(?:[.,\u00a0\u202f]\d+)+|[{KHMER}]+|[^\W_]+(?:['’\-][^\W_]+)*", re.U)
_OTHER_TOKENS = re.compile(r"\w+(?:[-'’.,]\w+)*|[^\w\s]")


@lru_cache(maxsize=1)
def khmer_tokenizer():
    """khmercut's ``tokenize`` (imported on first use: it loads a CRF model)."""
    from khmercut import tokenize

    return tokenize


def words(text: str) -> list[str]:
    """Word tokens (numbers with separators stay whole); Khmer runs are segmented with khmercut, Khmer
    punctuation dropped, and the repetition mark ៗ kept with the word before it."""
    out: list[str] = []
    for tok in _WORD_RE.findall(ZERO_WIDTH_RE.sub(" ", text)):
        if KHMER_CHAR.match(tok):
            for t in khmer_tokenizer()(tok):
                t = "".join(ch for ch in t if ch not in KHMER_PUNCT).strip()
                if t == "ៗ" and out:
                    out[-1] += t
                elif t:
                    out.append(t)
        else:
            out.append(tok)
    return out


def count_words(text: str) -> int:
    """Words as CAT tools count them (Khmer segmented into words with khmercut)."""
    return len(words(text))


def khmer_words(text: str) -> str:
    """Text as tokens separated by single spaces, for word-level metrics: runs with Khmer letters segmented by
    khmercut (punctuation such as ។ stays a token), other runs split into words and punctuation marks;
    zero-width spaces are dropped."""
    out: list[str] = []
    for chunk in text.replace("\u200b", " ").split():
        if KHMER_CHAR.search(chunk):
            out.extend(t for t in khmer_tokenizer()(chunk) if t.strip())
        else:
            out.extend(_OTHER_TOKENS.findall(chunk))
    return " ".join(out)
