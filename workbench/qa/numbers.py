"""Numbers mentioned in a text, in English (``1,000.5``) or Russian (``1 000,5``) format, times of day
(``11:35 pm``, ``23:35``, ``1200 GMT``), scale words (``1.5 million``, ``1,5 млн``), Russian centuries in
Roman numerals (``XXI век``), and numbers written as words (``five``, ``пять``, ``ប្រាំ``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.numbers import CLOCK_WORDS, NUMBER_WORDS, RU_CENTURY_WORDS, SCALE_WORDS, roman_value
from ..text.tokens import words


@dataclass(frozen=True)
class NumberMention:
    """A number in a text: ``values`` holds its candidate readings (``1,000`` may be one thousand or one
    point zero; a time is ``("time", hour, minute)``); ``span`` is where it is in the text."""

    values: frozenset
    text: str
    span: tuple[int, int]


_GROUP_SPACES = "[ \u00a0\u202f\u2009]"  # space, no-break space, narrow no-break space, thin space
_NUM_RE = re.compile(
    r"(?<![\d.,])"
    rf"(?:\d{{1,3}}(?:{_GROUP_SPACES}\d{{3}})+(?:[.,]\d+)?"  # 1 000 or 1 000,5 (grouped by spaces)
    r"|\d+(?:[.,]\d+)*)"  # 1000, 1,000.5, 1.000,5, 3.14
)
_TIME_RE = re.compile(
    r"(?<![\d.,:])(?P<h>\d{1,2})(?P<sep>[:.])(?P<m>\d{2})(?![\d]|[.,:]\d)"
    r"(?:\s*(?P<ampm>[ap]\.\s?m\.|[ap]m\b|[AP]M\b))?"
)
_MIL_TIME_RE = re.compile(rf"(?<![\d.,:])(\d{{4}})\s*(?:{CLOCK_WORDS})")
_RU_CENTURY = re.compile(rf"\b(?P<r>[IVXLC]{{1,6}})(?:[-–—](?P<r2>[IVXLC]{{1,6}}))?\s+(?:{RU_CENTURY_WORDS})", re.U)


def parse_number(token: str) -> set[float]:
    """Every value a number token can mean: ``"1,000"`` -> {1.0, 1000.0}; ``"1 000,5"`` -> {1000.5}.

    Readings are kept whatever the language: "1,000" (en) and "1 000" (ru) must meet.
    """
    tok = re.sub(_GROUP_SPACES, "", token)
    vals: set[float] = set()
    if re.fullmatch(r"\d+", tok):
        return {float(tok)}
    seps = [c for c in tok if c in ".,"]
    if len(set(seps)) == 2:  # both: the last one is the decimal separator
        dec = seps[-1]
        grp = "," if dec == "." else "."
        if tok.count(dec) == 1 and re.fullmatch(rf"\d{{1,3}}(?:\{grp}\d{{3}})*\{dec}\d+", tok):
            return {float(tok.replace(grp, "").replace(dec, "."))}
        return {float(re.sub(r"[.,]", "", tok))}
    sep = seps[0]
    parts = tok.split(sep)
    grouped = len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])
    if len(parts) == 2:
        vals.add(float(parts[0] + "." + parts[1]))  # decimal reading
    if grouped:
        vals.add(float("".join(parts)))  # thousands reading
    if not vals:  # e.g. 1.2.3 (section numbers): compare as the digit string
        vals.add(float("".join(parts)))
    return vals


def _overlaps(a: int, b: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(not (b <= x or a >= y) for x, y in spans)


def find_numbers(text: str, lang: str, *, skip: Sequence[tuple[int, int]] = ()) -> list[NumberMention]:
    """Numbers in ``text`` (ASCII digits: :func:`workbench.text.digits.ascii_digits`), outside the ``skip``
    spans (dates, say): times first, then figures (with a scale word after them), then Russian centuries."""
    out: list[NumberMention] = []
    scales = SCALE_WORDS.get(lang, {})
    skip = list(skip)
    for m in _TIME_RE.finditer(text):
        a, b = m.span()
        if _overlaps(a, b, skip):
            continue
        h, mi = int(m.group("h")), int(m.group("m"))
        if h > 24 or mi > 59:
            continue
        ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm":
            hours = {h % 12 + 12}
        elif ampm == "am":
            hours = {h % 12}
        else:
            hours = {h, (h + 12) % 24} if h <= 12 else {h}
        vals: set = {("time", hh, mi) for hh in hours}
        if m.group("sep") == ".":  # 12.30 may also be a decimal number
            vals.add(float(f"{h}.{m.group('m')}"))
        out.append(NumberMention(frozenset(vals), m.group(0).strip(), (a, b)))
        skip.append((a, b))
    for m in _MIL_TIME_RE.finditer(text):  # 1200 GMT
        a, b = m.span(1)
        if _overlaps(a, b, skip):
            continue
        hm = m.group(1)
        vals = {float(hm)}
        if int(hm[:2]) <= 24 and int(hm[2:]) < 60:
            vals.add(("time", int(hm[:2]), int(hm[2:])))
        out.append(NumberMention(frozenset(vals), hm, (a, b)))
        skip.append((a, b))
    for m in _NUM_RE.finditer(text):
        a, b = m.span()
        if _overlaps(a, b, skip):
            continue
        vals = parse_number(m.group(0))
        after = text[b:b + 16].lstrip(" \u00a0\u202f")
        word = re.match(r"[^\W\d_]+", after)
        if word:
            w = word.group(0).lower()
            for sw, mult in scales.items():
                if w == sw or (lang == "km" and w.startswith(sw)):  # Khmer: the next word follows unspaced
                    vals |= {v * mult for v in vals}
                    break
        out.append(NumberMention(frozenset(vals), m.group(0), (a, b)))
    if lang == "ru":
        for m in _RU_CENTURY.finditer(text):
            for g in ("r", "r2"):
                if m.group(g):
                    v = roman_value(m.group(g))
                    if v:
                        out.append(NumberMention(frozenset({float(v)}), m.group(g), m.span(g)))
    return out


def number_words(text: str, lang: str) -> Counter:
    """How often each value is written as a word in ``text`` (``"five"`` -> ``Counter({5: 1})``)."""
    table = NUMBER_WORDS.get(lang, {})
    return Counter(table[w] for w in (w.lower() for w in words(text)) if w in table)

