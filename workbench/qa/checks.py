"""Quality assurance checks for translations (en/ru/km), as CAT tools run them before a text goes out.

:func:`check_segment` checks one source/target pair; :func:`check_project` checks every translation of a
project and adds the checks that need the whole project (consistency). Every finding is a :class:`Finding`
with a ``code`` (see :data:`CHECKS`), a severity (``error``/``warning``/``info``) and a one-line message.

Checks are switched on and off per project with ``project.set_setting("qa", {...})``::

    {"checks": {"length_ratio": false, "repeated_word": true},   # code -> enabled (missing: default)
     "severity": {"double_space": "info"},                        # code -> severity override
     "length_ratio": {"en-ru": [0.7, 1.78]},                      # pair -> [min, max] target/source chars
     "min_length_ratio_chars": 20}                                # shorter sources skip the ratio check

Numbers and dates are compared after normalising digit systems (Khmer ០-៩), number formats (English
``1,000.5``, Russian ``1 000,5``) and dates written out in any of the three languages (``25 May 1995``,
``25 мая 1995 г.``, ``ថ្ងៃទី២៥ ខែឧសភា ឆ្នាំ១៩៩៥``, ``25.05.1995``, ``1995-05-25``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

from ..core.config import check_lang
from ..core.errors import InputError
from ..text.calendar import EN_MONTHS, KM_MONTH_VARIANTS, KM_MONTHS, alternation, ru_month
from ..text.digits import ascii_digits
from ..text.scripts import KHMER_CHAR, ZERO_WIDTH, ZERO_WIDTH_RE
from ..text.tokens import count_words as count_tokens
from ..text.tokens import words

SEVERITIES = ("error", "warning", "info")

#: code -> (default severity, enabled by default, what it checks). The UI lists these as switches.
CHECKS: dict[str, tuple[str, bool, str]] = {
    "empty": ("error", True, "target is empty (error once confirmed, warning before)"),
    "untranslated": ("warning", True, "target equals the source, or has no letters of the target script"),
    "length_ratio": ("warning", True, "target much longer or shorter than usual for the language pair"),
    "number_mismatch": ("error", True, "numbers differ (after normalising digits and number formats)"),
    "date_mismatch": ("error", True, "dates differ (written-out and numeric dates, all three languages)"),
    "end_punctuation": ("warning", True, "sentence-final punctuation differs (., ?, !, … ; Khmer ។)"),
    "ru_quotes": ("warning", True, "Russian target uses \"\" or “” instead of «» („“ inside)"),
    "ru_dash": ("warning", True, "Russian target uses a hyphen or en dash between words instead of —"),
    "double_space": ("warning", True, "two or more spaces in a row"),
    "edge_space": ("info", True, "target starts or ends with whitespace"),
    "space_before_punct": ("warning", True, "space before , . ; : ! ? (English, Russian)"),
    "repeated_word": ("warning", True, "the same word twice in a row"),
    "unbalanced": ("warning", True, "unbalanced brackets or quotes (when the source is balanced)"),
    "inconsistent_translation": ("warning", True, "the same source is translated differently elsewhere"),
    "inconsistent_source": ("warning", True, "the same translation is used for different sources"),
    "term_missing": ("warning", True, "a glossary term of the source lacks its preferred translation"),
    "term_forbidden": ("error", True, "a forbidden glossary term is used"),
    "term_deprecated": ("warning", True, "a deprecated glossary term is used"),
}

#: Target/source length ratio (characters, zero-width spaces removed) outside which a segment is flagged.
#: The 0.5th and 99.5th percentiles over FLORES-200 dev (997 sentences), measured with
#: ``benchmarks/qa_flores.py --split dev --ratios``.
LENGTH_RATIO: dict[str, tuple[float, float]] = {
    "en-ru": (0.70, 1.78), "en-km": (0.68, 1.85),
    "ru-en": (0.56, 1.42), "ru-km": (0.56, 1.86),
    "km-en": (0.54, 1.48), "km-ru": (0.54, 1.78),
}
MIN_RATIO_CHARS = 20


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    lang: str
    segment_id: int | None = None
    span: tuple[int, int] | None = None  # character offsets in the target text

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span) if self.span else None
        return d


# ------------------------------------------------------------------------------------------ settings


def default_settings() -> dict[str, Any]:
    return {"checks": {c: on for c, (_, on, _) in CHECKS.items()}, "severity": {}, "length_ratio": {},
            "min_length_ratio_chars": MIN_RATIO_CHARS}


def _settings(settings: dict[str, Any] | None) -> dict[str, Any]:
    out = default_settings()
    if not settings:
        return out
    if not isinstance(settings, dict):
        raise InputError("QA settings must be a JSON object like {\"checks\": {\"length_ratio\": false}}")
    for code, on in (settings.get("checks") or {}).items():
        if code not in CHECKS:
            raise InputError(f"unknown QA check {code!r}: use one of {', '.join(CHECKS)}")
        out["checks"][code] = bool(on)
    for code, sev in (settings.get("severity") or {}).items():
        if code not in CHECKS:
            raise InputError(f"unknown QA check {code!r}: use one of {', '.join(CHECKS)}")
        if sev not in SEVERITIES:
            raise InputError(f"unknown severity {sev!r} for QA check {code}: use error, warning or info")
        out["severity"][code] = sev
    for pair, bounds in (settings.get("length_ratio") or {}).items():
        lo, hi = (float(b) for b in bounds)
        if not 0 < lo < hi:
            raise InputError(f"length ratio bounds for {pair} must be 0 < min < max, got {bounds}")
        out["length_ratio"][pair] = (lo, hi)
    if "min_length_ratio_chars" in settings:
        out["min_length_ratio_chars"] = int(settings["min_length_ratio_chars"])
    return out


def project_settings(project) -> dict[str, Any]:
    """The project's stored QA settings (``project.get_setting("qa")``), validated."""
    return _settings(project.get_setting("qa", None))


def set_check(project, code: str, enabled: bool) -> None:
    """Switch one check on or off for a project (stored in the project's ``qa`` setting)."""
    if code not in CHECKS:
        raise InputError(f"unknown QA check {code!r}: use one of {', '.join(CHECKS)}")
    stored = dict(project.get_setting("qa", None) or {})
    checks = dict(stored.get("checks") or {})
    checks[code] = bool(enabled)
    stored["checks"] = checks
    _settings(stored)  # validate before saving
    project.set_setting("qa", stored)


# --------------------------------------------------------------------------------------- normalising

_ZW = ZERO_WIDTH
_ZW_RE = ZERO_WIDTH_RE
_SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space

normalise_digits = ascii_digits
_EN_MONTHS = {name: n for n, names in EN_MONTHS.items() for name in names}
_KM_MONTHS = {**{name: n for n, name in KM_MONTHS.items()}, **KM_MONTH_VARIANTS}
_ru_month = ru_month


_EN_MON_RE = alternation(k.capitalize() for k in _EN_MONTHS)
_RU_MON_RE = r"[А-ЯЁа-яё]{3,9}\.?"
_KM_MON_RE = alternation(_KM_MONTHS)
_ORD = r"(?:st|nd|rd|th)?"

_DATE_PATTERNS: dict[str, list[tuple[re.Pattern, str]]] = {
    "en": [
        (re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_EN_MON_RE})\.?,?(?:\s+(?P<y>\d{{4}})\b)?"), "en"),
        (re.compile(rf"\b(?P<m>{_EN_MON_RE})\.?\s+(?P<d>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<y>\d{{4}})\b)?"), "en"),
        (re.compile(rf"\b(?P<m>{_EN_MON_RE})\.?,?\s+(?P<y>\d{{4}})\b"), "en"),
    ],
    "ru": [
        (re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})(?:-?г?о)?\s+(?P<m>{_RU_MON_RE})(?:\s+(?P<y>\d{{4}})(?:\s*(?:г\.|год[а-я]*))?)?",
                    re.I), "ru"),
        (re.compile(rf"(?<!\w)(?P<m>{_RU_MON_RE})\s+(?P<y>\d{{4}})(?:\s*(?:г\.|год[а-я]*))?", re.I), "ru"),
    ],
    "km": [
        (re.compile(rf"(?:ថ្ងៃ\s*(?:ទី)?\s*)?(?P<d>\d{{1,2}})\s*(?:ខែ)?\s*(?P<m>{_KM_MON_RE})(?:\s*(?:ឆ្នាំ)?\s*(?P<y>\d{{4}}))?"),
         "km"),
        (re.compile(rf"(?:ខែ)?\s*(?P<m>{_KM_MON_RE})\s*(?:ឆ្នាំ)?\s*(?P<y>\d{{4}})"), "km"),
    ],
}
_NUMERIC_DATES = [
    re.compile(r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d])"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d])"),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d])"),
]


@dataclass(frozen=True)
class DateMention:
    values: frozenset  # candidate (year or None, month, day or None) tuples (numeric d/m/y can be ambiguous)
    text: str
    span: tuple[int, int]

    def describe(self) -> str:
        return self.text


def _month_value(kind: str, word: str) -> int | None:
    if kind == "en":
        return _EN_MONTHS.get(word.lower().rstrip("."))
    if kind == "ru":
        return _ru_month(word)
    return _KM_MONTHS.get(word)


def find_dates(text: str, lang: str) -> list[DateMention]:
    """Dates written out (in ``lang``'s words) or in numeric form; ``text`` should have ASCII digits."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for rx in _NUMERIC_DATES:
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
    for rx, kind in _DATE_PATTERNS.get(lang, []):
        for m in rx.finditer(text):
            start, end = m.span()
            # trim leading whitespace the optional groups may have eaten
            while start < end and text[start].isspace():
                start += 1
            if not free(start, end):
                continue
            gd = m.groupdict()
            month = _month_value(kind, gd["m"])
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


# numbers ------------------------------------------------------------------------------------------

_SCALE_WORDS = {
    "en": {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "trillion": 1e12},
    "ru": {"тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
           "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "трлн": 1e12,
           "триллион": 1e12, "триллиона": 1e12, "триллионов": 1e12},
    "km": {"ពាន់លាន": 1e9, "ពាន់": 1e3, "ម៉ឺន": 1e4, "សែន": 1e5, "លាន": 1e6},
}
_NUMBER_WORDS = {
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
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_RU_CENTURY = re.compile(r"\b(?P<r>[IVXLC]{1,6})(?:[-–—](?P<r2>[IVXLC]{1,6}))?\s+(?:вв?\.|век|века|веке|веков|"
                         r"веками|столети[еяию])", re.U)


def _roman(s: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


@dataclass(frozen=True)
class NumberMention:
    values: frozenset  # candidate values (float): "1,000" may be one thousand or one point zero
    text: str
    span: tuple[int, int]


_NUM_RE = re.compile(
    r"(?<![\d.,])"
    r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?"  # 1 000 or 1 000,5 (grouped by spaces)
    r"|\d+(?:[.,]\d+)*)"  # 1000, 1,000.5, 1.000,5, 3.14
)


_TIME_RE = re.compile(
    r"(?<![\d.,:])(?P<h>\d{1,2})(?P<sep>[:.])(?P<m>\d{2})(?![\d]|[.,:]\d)"
    r"(?:\s*(?P<ampm>[ap]\.\s?m\.|[ap]m\b|[AP]M\b))?"
)
_MIL_TIME_RE = re.compile(r"(?<![\d.,:])(\d{4})\s*(?:GMT|UTC|hours|hrs|ч\.?\b|ម៉ោង)")


def _parse_number(tok: str, lang: str) -> set[float]:
    tok = re.sub(r"[ \u00a0\u202f\u2009]", "", tok)
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
    # language preference does not remove readings: "1,000" (en) and "1 000" (ru) must meet.
    return vals


def find_numbers(text: str, lang: str, *, skip: Sequence[tuple[int, int]] = ()) -> list[NumberMention]:
    """Numbers in ``text`` (ASCII digits, see :func:`normalise_digits`), outside the ``skip`` spans."""
    out: list[NumberMention] = []
    scales = _SCALE_WORDS.get(lang, {})
    skip = list(skip)
    for m in _TIME_RE.finditer(text):
        a, b = m.span()
        if any(not (b <= x or a >= y) for x, y in skip):
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
        if any(not (b <= x or a >= y) for x, y in skip):
            continue
        hm = m.group(1)
        vals = {float(hm)}
        if int(hm[:2]) <= 24 and int(hm[2:]) < 60:
            vals.add(("time", int(hm[:2]), int(hm[2:])))
        out.append(NumberMention(frozenset(vals), hm, (a, b)))
        skip.append((a, b))
    for m in _NUM_RE.finditer(text):
        a, b = m.span()
        if any(not (b <= x or a >= y) for x, y in skip):
            continue
        vals = _parse_number(m.group(0), lang)
        after = text[b:b + 16].lstrip(" \u00a0\u202f")
        word = re.match(r"[^\W\d_]+", after)
        if word:
            w = word.group(0).lower()
            for sw, mult in scales.items():
                if w == sw or (lang == "km" and w.startswith(sw)):
                    vals |= {v * mult for v in vals}
                    break
        out.append(NumberMention(frozenset(vals), m.group(0), (a, b)))
    if lang == "ru":
        for m in _RU_CENTURY.finditer(text):
            for g in ("r", "r2"):
                if m.group(g):
                    v = _roman(m.group(g))
                    if v:
                        out.append(NumberMention(frozenset({float(v)}), m.group(g), m.span(g)))
    return out


def _number_words(text: str, lang: str) -> Counter:
    words = _words(text, lang)
    table = _NUMBER_WORDS.get(lang, {})
    return Counter(table[w] for w in (w.lower() for w in words) if w in table)


def _match(a: list, b: list) -> tuple[list, list]:
    """Greedy matching of mentions by overlapping candidate values; returns (unmatched a, unmatched b)."""
    rest_b = list(b)
    left_a = []
    for x in a:
        for i, y in enumerate(rest_b):
            if x.values & y.values:
                del rest_b[i]
                break
        else:
            left_a.append(x)
    return left_a, rest_b


def _fmt_num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


# words --------------------------------------------------------------------------------------------

def _words(text: str, lang: str) -> list[str]:
    return words(text)


def count_words(text: str, lang: str) -> int:
    """Words as CAT tools count them (Khmer segmented into words with khmercut)."""
    return count_tokens(text)


# ------------------------------------------------------------------------------------------ checks

_END_CLASSES = {".": "period", "។": "period", "៕": "period", "?": "question", "？": "question",
                "!": "exclamation", "！": "exclamation", "…": "ellipsis", ":": "colon", ";": "semicolon",
                "៖": "colon"}
_CLOSERS = "\"'”’»“)]}›> \t\u00a0\u202f" + _ZW
_PERIOD_FOR = {"en": ".", "ru": ".", "km": "។"}


def _end_class(text: str) -> tuple[str | None, int]:
    t = text.rstrip(_CLOSERS)
    if not t:
        return None, 0
    if t.endswith("..."):
        return "ellipsis", len(t) - 3
    return _END_CLASSES.get(t[-1]), len(t) - 1


_BRACKETS = {"(": ")", "[": "]", "{": "}", "«": "»", "„": "“"}
_CLOSING = {v: k for k, v in _BRACKETS.items()}


def _imbalance(text: str) -> list[str]:
    """Descriptions of unbalanced brackets/quotes in ``text`` (empty list if balanced)."""
    problems: list[str] = []
    stack: list[str] = []
    # curly English quotes pair as “ ”; „ (Russian/German low) closes with “.
    for ch in text:
        if ch in _BRACKETS and not (ch == "„"):
            stack.append(ch)
        elif ch == "„":
            stack.append(ch)
        elif ch == "“":
            if stack and stack[-1] == "„":
                stack.pop()
            else:
                stack.append(ch)
        elif ch == "”":
            if stack and stack[-1] == "“":
                stack.pop()
            else:
                problems.append("closing ” without opening “")
        elif ch in _CLOSING:
            if stack and stack[-1] == _CLOSING[ch]:
                stack.pop()
            elif ch in stack:
                while stack and stack[-1] != _CLOSING[ch]:
                    problems.append(f"{stack.pop()} not closed")
                stack.pop()
            else:
                problems.append(f"closing {ch} without opening {_CLOSING[ch]}")
    problems.extend(f"{ch} not closed" for ch in stack)
    if text.count('"') % 2:
        problems.append('odd number of " quotes')
    return problems


_RU_REPEAT_OK = {"что", "так", "да", "нет", "ну"}
_EN_REPEAT_OK = {"had", "that", "is", "bye", "no", "very"}


def check_segment(
    source: str,
    target: str,
    src_lang: str,
    tgt_lang: str,
    *,
    settings: dict[str, Any] | None = None,
    glossary=None,
    status: str | None = None,
    segment_id: int | None = None,
) -> list[Finding]:
    """All enabled single-segment checks for one translation. ``settings``: see the module docstring.

    ``glossary``: anything with ``check(source, target, src_lang, tgt_lang)`` returning a report with
    ``missing`` and ``forbidden`` lists (:class:`workbench.glossary.Glossary`). ``status``: the
    translation's status (an empty target that is confirmed is an error, otherwise a warning).
    """
    src_lang, tgt_lang = check_lang(src_lang), check_lang(tgt_lang)
    cfg = _settings(settings)
    on = cfg["checks"]
    found: list[Finding] = []
    source = source or ""
    target = target or ""

    def add(code: str, message: str, span: tuple[int, int] | None = None, severity: str | None = None) -> None:
        sev = cfg["severity"].get(code) or severity or CHECKS[code][0]
        found.append(Finding(code, sev, " ".join(message.split()), tgt_lang, segment_id, span))  # one line

    tgt_clean = _ZW_RE.sub("", target)
    if not tgt_clean.strip():
        if on["empty"] and source.strip():
            confirmed = status in ("translated", "reviewed", "approved")
            add("empty", "target is empty" + (" but marked " + status if confirmed else ""),
                severity=None if confirmed else "warning")
        return found

    src_clean = _ZW_RE.sub("", source)
    # -- untranslated
    if on["untranslated"] and src_clean.strip():
        if " ".join(tgt_clean.split()).casefold() == " ".join(src_clean.split()).casefold() and re.search(
                r"[^\W\d_]{2,}", src_clean) and len(_words(src_clean, src_lang)) >= 2:
            add("untranslated", "target is the same as the source: not translated?")
        else:
            script = {"ru": r"[А-Яа-яЁё]", "km": r"[\u1780-\u17ff]", "en": r"[A-Za-z]"}[tgt_lang]
            if re.search(r"[^\W\d_]", src_clean) and re.search(r"[^\W\d_]", tgt_clean) and not re.search(
                    script, tgt_clean) and len(_words(src_clean, src_lang)) >= 2:
                name = {"ru": "Cyrillic", "km": "Khmer", "en": "Latin"}[tgt_lang]
                add("untranslated", f"target has no {name} letters: not translated into {tgt_lang}?")

    # -- length ratio
    if on["length_ratio"] and len(src_clean.strip()) >= cfg["min_length_ratio_chars"]:
        pair = f"{src_lang}-{tgt_lang}"
        bounds = cfg["length_ratio"].get(pair) or LENGTH_RATIO.get(pair)
        if bounds:
            ratio = len(tgt_clean.strip()) / len(src_clean.strip())
            lo, hi = bounds
            if ratio < lo:
                add("length_ratio", f"target is short for {pair}: {ratio:.2f}x the source length (usual ≥ {lo})")
            elif ratio > hi:
                add("length_ratio", f"target is long for {pair}: {ratio:.2f}x the source length (usual ≤ {hi})")

    # -- numbers and dates
    if on["number_mismatch"] or on["date_mismatch"]:
        s_norm, t_norm = normalise_digits(source), normalise_digits(target)
        s_dates, t_dates = find_dates(s_norm, src_lang), find_dates(t_norm, tgt_lang)
        if on["date_mismatch"]:
            miss, extra = _match(s_dates, t_dates)
            for d in miss:
                add("date_mismatch", f"date '{d.text}' of the source is not in the target")
            for d in extra:
                add("date_mismatch", f"date '{d.text}' in the target is not in the source", _map_span(target, d.span))
        if on["number_mismatch"]:
            # numbers inside dates are compared as dates (unless that check is off)
            s_skip = [d.span for d in s_dates] if on["date_mismatch"] else []
            t_skip = [d.span for d in t_dates] if on["date_mismatch"] else []
            s_nums = find_numbers(s_norm, src_lang, skip=s_skip)
            t_nums = find_numbers(t_norm, tgt_lang, skip=t_skip)
            miss, extra = _match(s_nums, t_nums)
            # a number written as a word on the other side is accepted ("five" <-> 5)
            s_words, t_words = _number_words(source, src_lang), _number_words(target, tgt_lang)
            for n in miss:
                hit = next((v for v in n.values if t_words.get(v)), None)
                if hit is not None:
                    t_words[hit] -= 1
                    continue
                add("number_mismatch", f"number {n.text} of the source is not in the target")
            for n in extra:
                hit = next((v for v in n.values if s_words.get(v)), None)
                if hit is not None:
                    s_words[hit] -= 1
                    continue
                add("number_mismatch", f"number {n.text} in the target is not in the source",
                    _map_span(target, n.span))

    # -- end punctuation
    if on["end_punctuation"]:
        s_cls, _ = _end_class(src_clean)
        t_cls, t_pos = _end_class(tgt_clean)
        t_stripped = tgt_clean.rstrip(_CLOSERS)
        if s_cls != t_cls:
            want = {"period": _PERIOD_FOR[tgt_lang], "question": "?", "exclamation": "!", "ellipsis": "…",
                    "colon": ":", "semicolon": ";", None: "no final punctuation"}[s_cls]
            got = t_stripped[-1:] if t_cls else "none"
            add("end_punctuation", f"source ends with {want!s}, target with {got}" if s_cls else
                f"source has no final punctuation, target ends with {got}", _map_span(target, (t_pos, t_pos + 1))
                if t_cls else None)
        elif t_cls == "period":
            last = t_stripped[-1]
            if tgt_lang == "km" and last == ".":
                add("end_punctuation", "Khmer sentence ends with '.': use ។")
            elif tgt_lang != "km" and last in "។៕":
                add("end_punctuation", f"{tgt_lang} sentence ends with Khmer {last}: use '.'")

    # -- Russian typography
    if tgt_lang == "ru":
        if on["ru_quotes"]:
            inner = re.sub(r"„[^“”\"«»]*“", "", target)
            for m in re.finditer(r"[\"“”]", inner):
                add("ru_quotes", "use «ёлочки» for Russian quotes („лапки“ inside them)")
                break
        if on["ru_dash"]:
            for m in re.finditer(r"(?<=\S)(?:\s+(?:-|--|–)\s+|--)(?=\S)", target):
                add("ru_dash", f"'{m.group(0).strip()}' between words: use an em dash — with spaces", m.span())

    # -- spaces
    if on["double_space"]:
        for m in re.finditer(r"(?<=\S)[ \u00a0]{2,}(?=\S)", target):
            add("double_space", "double space", m.span())
    if on["edge_space"] and (target != target.strip(" \t\n\u00a0" + _ZW) or target.strip() != target):
        add("edge_space", "target starts or ends with a space")
    if on["space_before_punct"] and tgt_lang in ("en", "ru"):
        for m in re.finditer(r"(?<=[^\W_])[ \u00a0]+[,.;:!?](?!\d)", target):
            if target[m.end() - 1] == "." and target[m.end():m.end() + 2] == "..":
                continue
            add("space_before_punct", f"space before '{target[m.end() - 1]}'", m.span())

    # -- repeated words (a capitalised pair like "Pago Pago" inside a sentence is taken as a name)
    if on["repeated_word"]:
        ok = {"en": _EN_REPEAT_OK, "ru": _RU_REPEAT_OK}.get(tgt_lang, set())
        for m in re.finditer(r"(?<![^\W_])([^\W\d_]+)\s+(\1)(?![^\W_])", target, re.I):
            a, b = m.group(1), m.group(2)
            at_start = not target[:m.start()].strip() or target[:m.start()].rstrip()[-1] in ".!?…។:;«\"“„("
            name = a[:1].isupper() and b[:1].isupper() and not at_start  # "Pago Pago"; but "The The" at start
            if KHMER_CHAR.search(a) or a.lower() in ok or name:
                continue
            add("repeated_word", f"repeated word '{m.group(0)}'", m.span())
        if KHMER_CHAR.search(target):  # Khmer: words are not spaced; segment each run between punctuation
            for chunk in re.split(r"[\u17d4-\u17da,.;:!?()\[\]{}«»“”\"'\-–—]", target):
                toks = _words(chunk, "km")
                for x, y in zip(toks, toks[1:]):
                    if x == y and KHMER_CHAR.search(x) and len(x) >= 2 and not x.endswith("ៗ"):
                        add("repeated_word", f"repeated word '{x} {y}'")
                        break

    # -- brackets and quotes
    if on["unbalanced"]:
        problems = _imbalance(target)
        if problems and not _imbalance(source):
            add("unbalanced", "unbalanced: " + "; ".join(problems))

    # -- glossary (workbench.glossary: TermReport items are dicts with concept/source/target, and for
    #    problems a severity, a one-line message and the target span)
    if glossary is not None and (on["term_missing"] or on["term_forbidden"] or on["term_deprecated"]):
        report = glossary.check(source, target, src_lang, tgt_lang)
        for code, attr in (("term_forbidden", "forbidden"), ("term_deprecated", "deprecated"),
                           ("term_missing", "missing")):
            if not on[code]:
                continue
            for item in getattr(report, attr, None) or []:
                msg = _term(item, "message")
                if not msg:
                    if code == "term_missing":
                        msg = f"term '{_term(item, 'source')}' should be translated as '{_term(item, 'target')}'"
                    else:
                        msg = f"{attr} term '{_term(item, 'used') or _term(item, 'target')}' used"
                sev = _term(item, "severity")
                span = None
                start, end = _get(item, "target_start"), _get(item, "target_end")
                if isinstance(start, int) and isinstance(end, int):
                    span = (start, end)
                add(code, msg, span, severity=sev if sev in SEVERITIES and code == "term_missing" else None)
    return found


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def _term(item: Any, key: str) -> str:
    v = _get(item, key)
    if v is not None and not isinstance(v, str):
        v = getattr(v, "text", None) or getattr(v, "term", None) or str(v)
    return v or ""


def _map_span(original: str, span: tuple[int, int]) -> tuple[int, int]:
    """Spans found on normalised text (zero-width characters removed) mapped back onto ``original``."""
    if not _ZW_RE.search(original):
        return span
    idx = [i for i, ch in enumerate(original) if ch not in _ZW]
    a, b = span
    return (idx[a] if a < len(idx) else len(original), (idx[b - 1] + 1) if 0 < b <= len(idx) else len(original))


# ---------------------------------------------------------------------------------------- project


def _norm_key(text: str) -> str:
    return " ".join(_ZW_RE.sub("", text).split())


def check_project(project, langs: Iterable[str] | None = None, glossary=None, *,
                  settings: dict[str, Any] | None = None, progress=None) -> list[Finding]:
    """Check every translation of ``project`` (all target languages, or ``langs``), plus consistency.

    Findings come in document order, then by language. ``settings`` default to the project's ``qa``
    setting. ``progress(done, total)`` is called per segment.
    """
    cfg = _settings(settings) if settings is not None else project_settings(project)
    langs = [check_lang(l) for l in (langs or project.target_langs)]
    for lang in langs:
        if lang not in project.target_langs:
            raise InputError(f"{project.path}: {lang} is not a target language of this project "
                             f"(it has {', '.join(project.target_langs)})")
    segments = project.segments()
    found: list[Finding] = []
    for k, seg in enumerate(segments):
        if progress is not None:
            progress(k, len(segments))
        for lang in langs:
            tr = seg.translations.get(lang)
            if tr is None:
                continue
            found.extend(check_segment(seg.source, tr.text, project.source_lang, lang, settings=cfg,
                                       glossary=glossary, status=tr.status, segment_id=seg.id))
    if progress is not None:
        progress(len(segments), len(segments))
    on = cfg["checks"]
    for lang in langs:
        by_source: dict[str, list[tuple[int, str]]] = defaultdict(list)
        by_target: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for seg in segments:
            tr = seg.translations.get(lang)
            if tr is None or not _norm_key(tr.text):
                continue
            by_source[_norm_key(seg.source)].append((seg.id, _norm_key(tr.text)))
            by_target[_norm_key(tr.text)].append((seg.id, _norm_key(seg.source)))

        for code, groups, message in (
            ("inconsistent_translation", by_source, "same source translated differently in segment(s) {}"),
            ("inconsistent_source", by_target, "same translation used for a different source in segment(s) {}"),
        ):
            if not on[code]:
                continue
            severity = cfg["severity"].get(code) or CHECKS[code][0]
            for items in groups.values():  # items: (segment id, the other side's text)
                if len({other for _, other in items}) > 1:
                    for sid, mine in items:
                        others = [str(o) for o, other in items if other != mine]
                        found.append(Finding(code, severity, message.format(", ".join(others)), lang, sid))
    order = {seg.id: i for i, seg in enumerate(segments)}
    found.sort(key=lambda f: (order.get(f.segment_id, -1), langs.index(f.lang)))
    return found


def summarise(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """``{code: {"error": n, "warning": n, "info": n}}``."""
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        out.setdefault(f.code, {s: 0 for s in SEVERITIES})[f.severity] += 1
    return out


def check_translation(project, segment_id: int, lang: str, glossary=None) -> list[Finding]:
    """The single-segment checks for one stored translation, with the project's QA settings (for an editor
    that re-checks a segment after each save; consistency needs :func:`check_project`)."""
    lang = check_lang(lang)
    seg = project.segment(segment_id)
    tr = seg.translations.get(lang)
    if tr is None:
        raise InputError(f"{project.path}: {lang} is not a target language of this project")
    return check_segment(seg.source, tr.text, project.source_lang, lang, settings=project_settings(project),
                         glossary=glossary, status=tr.status, segment_id=seg.id)


def by_segment(findings: Iterable[Finding]) -> dict[tuple[int | None, str], list[Finding]]:
    """Findings grouped as ``{(segment_id, lang): [Finding, ...]}`` (for showing them per segment)."""
    out: dict[tuple[int | None, str], list[Finding]] = {}
    for f in findings:
        out.setdefault((f.segment_id, f.lang), []).append(f)
    return out
