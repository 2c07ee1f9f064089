"""Detect the known OPUS-MT failure modes in an output, so they are flagged rather than hidden.

- ``repetition``: a word or short phrase repeated in a loop ("ура ура ура ура") that the source does not have.
- ``length_ratio``: the output is far longer (hallucinated tail) or far shorter (dropped content) than the source.
- ``truncated``: decoding stopped at the length limit.
"""

from __future__ import annotations

import re

#: output/source length ratio limits in characters (Russian runs ~10-20% longer than English; Khmer similar)
MIN_RATIO = 0.35
MAX_RATIO = 2.6
#: a short output for a short source is normal: the ratio is only judged beyond this many source characters
MIN_CHARS = 25
#: decoding limit per sentence: ``tokens(source) * DECODE_RATIO + DECODE_SLACK`` target tokens
DECODE_RATIO = 3.0
DECODE_SLACK = 10

_WORD = re.compile(r"\w+", re.UNICODE)


def _units(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    # Khmer has no spaces between words: fall back to characters for long unspaced runs
    if len(words) <= 2 and len(text) > 30:
        return [c for c in text if not c.isspace()]
    return words


def max_loop(units: list[str], max_n: int = 4) -> tuple[int, tuple[str, ...]]:
    """The longest run of consecutive repeats of any n-gram (n <= max_n): (repeats, ngram)."""
    best = (1, ())
    for n in range(1, max_n + 1):
        for i in range(0, len(units) - n):
            gram = tuple(units[i:i + n])
            reps, j = 1, i + n
            while tuple(units[j:j + n]) == gram:
                reps += 1
                j += n
            if reps > best[0]:
                best = (reps, gram)
    return best


def has_repetition(source: str, output: str, min_repeats: int = 3) -> bool:
    """True when the output loops (an n-gram repeated ``min_repeats``+ times in a row, or 4+ times for single
    characters of unspaced scripts) and the source does not loop the same way."""
    units = _units(output)
    reps, gram = max_loop(units)
    need = min_repeats if not (len(gram) == 1 and len(gram[0]) == 1) else 5
    if reps < need:
        return False
    src_reps, _ = max_loop(_units(source))
    return reps > src_reps + 1


def length_flags(source: str, output: str) -> list[str]:
    s, o = len(source.strip()), len(output.strip())
    if s < MIN_CHARS:
        return ["length_ratio"] if o > s * MAX_RATIO + 40 else []
    ratio = o / s
    return ["length_ratio"] if ratio < MIN_RATIO or ratio > MAX_RATIO else []


def decode_limit(n_source_tokens: int, max_length: int) -> int:
    return max(1, min(max_length, int(n_source_tokens * DECODE_RATIO) + DECODE_SLACK))


def check(source: str, output: str) -> list[str]:
    flags = []
    if output and has_repetition(source, output):
        flags.append("repetition")
    flags += length_flags(source, output)
    return flags
