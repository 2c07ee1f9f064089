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
    return [w.lower() for w in _WORD.findall(text)]


def _chars(text: str) -> list[str]:
    return [c for c in text.lower() if not c.isspace()]


def _loop(units: list[str], n: int) -> tuple[int, tuple[str, ...]]:
    """The longest run of consecutive repeats of any n-gram of exactly ``n`` units: (repeats, ngram)."""
    best: tuple[int, tuple[str, ...]] = (1, ())
    for i in range(0, len(units) - n):
        gram = tuple(units[i:i + n])
        reps, j = 1, i + n
        while tuple(units[j:j + n]) == gram:
            reps += 1
            j += n
        if reps > best[0]:
            best = (reps, gram)
    return best


def max_loop(units: list[str], max_n: int = 4) -> tuple[int, tuple[str, ...]]:
    """The longest run of consecutive repeats of any n-gram (n <= max_n): (repeats, ngram)."""
    return max((_loop(units, n) for n in range(1, max_n + 1)), key=lambda r: r[0])


def has_repetition(source: str, output: str, min_repeats: int = 3) -> bool:
    """True when the output loops and the source does not loop the same way: a word or phrase (up to 4 words)
    repeated ``min_repeats``+ times in a row, or, for unspaced scripts such as Khmer, one character 5+ times
    or a 2-4 character sequence 4+ times in a row."""
    reps, _ = max_loop(_units(output))
    if reps >= min_repeats and reps > max_loop(_units(source))[0] + 1:
        return True
    chars = _chars(output)
    for n, need in ((1, 5), (2, 4), (3, 4), (4, 4)):
        reps, gram = _loop(chars, n)
        if reps >= need and not any(c.isdigit() for c in gram) and reps > _loop(_chars(source), n)[0] + 1:
            return True
    return False


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
