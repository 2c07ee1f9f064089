"""Line-level helpers of ingest: whitespace tidying, and date stamps (a line that is only a date and time)."""

from __future__ import annotations

import re
import unicodedata

from ..text.calendar import EN_MONTHS, RU_MONTHS, RU_WEEKDAYS, alternation


def tidy(text: str) -> str:
    """Whitespace only: NBSP, tabs and runs of spaces become one space; soft hyphens and controls go."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u00ad\u200e\u200f\ufeff]", "", text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    text = re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\r\n]+", " ", text)
    return text.strip(" \u200b")


_MONTHS = {name: n for table in (EN_MONTHS, RU_MONTHS) for n, names in table.items() for name in names}
_MONTH_RE = alternation(_MONTHS)
_TIME = r"(?:\s*(?:,|at|в|\||-|–)?\s*(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?::[0-5]\d)?\s*(?P<ampm>[ap]\.?m\.?)?)?"
# a label ("Published:") or a dateline's place ("New York, 21 September 2002", «Нью-Йорк, 21 сентября»)
_LABEL = (r"(?:(?:published|posted|updated|last updated|date|дата|опубликовано|обновлено)\s*:?\s*|"
          r"[A-ZА-ЯЁ][\w.'’-]*(?:[ -][A-ZА-ЯЁ][\w.'’-]*){0,2},\s*)?")
_WEEKDAY = rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+|(?:{alternation(RU_WEEKDAYS)}),?\s+)?"
_DATE_PATTERNS = [
    # 29 December 2020 17:39 / 29 December 202017:39 (glued) / 29 декабря 2020 г.
    re.compile(rf"^{_LABEL}{_WEEKDAY}(?P<d>\d{{1,2}})\s*(?P<mon>{_MONTH_RE})\.?,?\s*"
               rf"(?P<y>\d{{4}})(?:\s*г\.?|\s*года)?{_TIME}$", re.I),
    # December 29, 2020 17:39
    re.compile(rf"^{_LABEL}{_WEEKDAY}(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s*"
               rf"(?P<y>\d{{4}}){_TIME}$", re.I),
    # 2020-12-29 17:39 / 2020-12-29T17:39:00+07:00
    re.compile(rf"^{_LABEL}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})"
               rf"(?:T(?P<h2>\d{{2}}):(?P<mi2>\d{{2}})\S*)?{_TIME}$", re.I),
    # 29.12.2020 17:39 / 29/12/2020
    re.compile(rf"^{_LABEL}(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})[./](?P<y>\d{{4}})(?:\s*г\.?)?{_TIME}$", re.I),
]


def parse_date(text: str) -> str | None:
    """A whole line that is only a date (and time) -> ``"YYYY-MM-DD"`` or ``"YYYY-MM-DD HH:MM"``; else None."""
    s = tidy(text).strip(" •·|-–—()[]")
    for pat in _DATE_PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        g = m.groupdict()
        month = _MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
        day, year = int(g["d"]), int(g["y"])
        if not (1 <= month <= 12 and 1 <= day <= 31 and 1800 <= year <= 2200):
            return None
        out = f"{year:04d}-{month:02d}-{day:02d}"
        h, mi = g.get("h") or g.get("h2"), g.get("mi") or g.get("mi2")
        if h is not None and mi is not None:
            hour = int(h)
            ampm = (g.get("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            out += f" {hour:02d}:{int(mi):02d}"
        return out
    return None


