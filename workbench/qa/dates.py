"""Dates mentioned in a text, written out in English, Russian or Khmer (``25 May 1995``, ``25 мая 1995 г.``,
``ថ្ងៃទី២៥ ខែឧសភា ឆ្នាំ១៩៩៥``) or in numeric form (``25.05.1995``, ``1995-05-25``, ``05/25/1995``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.calendar import EN_MONTHS, KM_MONTH_VARIANTS, KM_MONTHS, alternation, en_month, km_month, ru_month

_EN_MON_RE = alternation(name.capitalize() for names in EN_MONTHS.values() for name in names)
_RU_MON_RE = r"[А-ЯЁа-яё]{3,9}\.?"  # any word: ru_month decides whether it is a month
_KM_MON_RE = alternation([*KM_MONTHS.values(), *KM_MONTH_VARIANTS])
_ORD = r"(?:st|nd|rd|th)?"

#: language -> patterns with named groups d (day), m (month word), y (year); day and year may be missing.
_WRITTEN: dict[str, list[re.Pattern]] = {
    "en": [
        re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_EN_MON_RE})\.?,?(?:\s+(?P<y>\d{{4}})\b)?"),
        re.compile(rf"\b(?P<m>{_EN_MON_RE})\.?\s+(?P<d>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<y>\d{{4}})\b)?"),
        re.compile(rf"\b(?P<m>{_EN_MON_RE})\.?,?\s+(?P<y>\d{{4}})\b"),
    ],
    "ru": [
        re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})(?:-?г?о)?\s+(?P<m>{_RU_MON_RE})(?:\s+(?P<y>\d{{4}})(?:\s*(?:г\.|год[а-я]*))?)?",
                   re.I),
        re.compile(rf"(?<!\w)(?P<m>{_RU_MON_RE})\s+(?P<y>\d{{4}})(?:\s*(?:г\.|год[а-я]*))?", re.I),
    ],
    "km": [  # ថ្ងៃទី day, ខែ month, ឆ្នាំ year
        re.compile(rf"(?:ថ្ងៃ\s*(?:ទី)?\s*)?(?P<d>\d{{1,2}})\s*(?:ខែ)?\s*(?P<m>{_KM_MON_RE})(?:\s*(?:ឆ្នាំ)?\s*(?P<y>\d{{4}}))?"),
        re.compile(rf"(?:ខែ)?\s*(?P<m>{_KM_MON_RE})\s*(?:ឆ្នាំ)?\s*(?P<y>\d{{4}})"),
    ],
}
_MONTH_OF = {"en": en_month, "ru": ru_month, "km": km_month}
#: year-month-day, day.month.year, and a/b/year (day and month either way round)
_NUMERIC = [
    re.compile(r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d])"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d])"),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d])"),
]


@dataclass(frozen=True)
class DateMention:
    """A date in a text: ``values`` holds the candidate ``(year or None, month, day or None)`` readings
    (a numeric ``05/06/1995`` can be read two ways); ``span`` is where it is in the text."""

    values: frozenset
    text: str
    span: tuple[int, int]


def find_dates(text: str, lang: str) -> list[DateMention]:
    """Dates written out (in ``lang``'s words) or in numeric form, in text order. ``text`` should have ASCII
    digits (:func:`workbench.text.digits.ascii_digits`)."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for rx in _NUMERIC:
        for m in rx.finditer(text):
            if not free(*m.span()):
                continue
            gd = m.groupdict()
            y = int(gd["y"])
            if "a" in gd:
                cands = {(y, int(gd["a"]), int(gd["b"])), (y, int(gd["b"]), int(gd["a"]))}
            else:
                cands = {(y, int(gd["m"]), int(gd["d"]))}
            cands = {c for c in cands if 1 <= c[1] <= 12 and 1 <= c[2] <= 31}
            if cands:
                out.append(DateMention(frozenset(cands), m.group(0), m.span()))
                taken.append(m.span())
    month_of = _MONTH_OF.get(lang)
    for rx in _WRITTEN.get(lang, []):
        for m in rx.finditer(text):
            start, end = m.span()
            # trim leading whitespace the optional groups may have eaten
            while start < end and text[start].isspace():
                start += 1
            if not free(start, end):
                continue
            gd = m.groupdict()
            month = month_of(gd["m"])
            if month is None:
                continue
            day = int(gd["d"]) if gd.get("d") else None
            year = int(gd["y"]) if gd.get("y") else None
            if day is not None and not 1 <= day <= 31:
                continue
            out.append(DateMention(frozenset({(year, month, day)}), text[start:end].strip(), (start, end)))
            taken.append((start, end))
    out.sort(key=lambda d: d.span)
    return out
