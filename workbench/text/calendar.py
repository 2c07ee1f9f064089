"""Month and weekday names (en, ru, km; de and fr for the alignment evaluation), numbered from 1.

Each consumer builds what it needs from these tables: date parsing in page cleaning, date checks in QA,
calendar anchors in the aligner.
"""

from __future__ import annotations

import re

#: English month names and their abbreviations.
EN_MONTHS = {
    1: ("january", "jan"), 2: ("february", "feb"), 3: ("march", "mar"), 4: ("april", "apr"), 5: ("may",),
    6: ("june", "jun"), 7: ("july", "jul"), 8: ("august", "aug"), 9: ("september", "sep", "sept"),
    10: ("october", "oct"), 11: ("november", "nov"), 12: ("december", "dec"),
}
#: Russian month names, nominative and genitive ("декабрь", "декабря").
RU_MONTHS = {
    1: ("январь", "января"), 2: ("февраль", "февраля"), 3: ("март", "марта"), 4: ("апрель", "апреля"),
    5: ("май", "мая"), 6: ("июнь", "июня"), 7: ("июль", "июля"), 8: ("август", "августа"),
    9: ("сентябрь", "сентября"), 10: ("октябрь", "октября"), 11: ("ноябрь", "ноября"), 12: ("декабрь", "декабря"),
}
#: Russian month forms as regular expressions: every case ending, then the abbreviation.
RU_MONTH_PATTERNS = {
    1: ("январ[ьяюеё]", "янв"), 2: ("феврал[ьяюеё]", "фев"), 3: ("март[аеу]?", "мар"), 4: ("апрел[ьяюеё]", "апр"),
    5: ("ма[йяюе]",), 6: ("июн[ьяюеё]", "июн"), 7: ("июл[ьяюеё]", "июл"), 8: ("август[аеу]?", "авг"),
    9: ("сентябр[ьяюеё]", "сент?"), 10: ("октябр[ьяюеё]", "окт"), 11: ("ноябр[ьяюеё]", "нояб?"),
    12: ("декабр[ьяюеё]", "дек"),
}
#: Russian month stems (prefixes of every case form; May's stem is too short to be used as a prefix).
RU_MONTH_STEMS = {1: "январ", 2: "феврал", 3: "март", 4: "апрел", 5: "ма", 6: "июн", 7: "июл", 8: "август",
                  9: "сентябр", 10: "октябр", 11: "ноябр", 12: "декабр"}
#: Khmer month names (the names used in Cambodia, from Sanskrit), then common variant spellings.
KM_MONTHS = {1: "មករា", 2: "កុម្ភៈ", 3: "មីនា", 4: "មេសា", 5: "ឧសភា", 6: "មិថុនា", 7: "កក្កដា", 8: "សីហា",
             9: "កញ្ញា", 10: "តុលា", 11: "វិច្ឆិកា", 12: "ធ្នូ"}
KM_MONTH_VARIANTS = {"កុម្ភះ": 2}
DE_MONTHS = {1: "januar", 2: "februar", 3: "märz", 4: "april", 5: "mai", 6: "juni", 7: "juli", 8: "august",
             9: "september", 10: "oktober", 11: "november", 12: "dezember"}
FR_MONTHS = {1: "janvier", 2: "février", 3: "mars", 4: "avril", 5: "mai", 6: "juin", 7: "juillet", 8: "août",
             9: "septembre", 10: "octobre", 11: "novembre", 12: "décembre"}

#: Weekdays, Monday = 1: English, German, French, Russian stem, Khmer.
WEEKDAYS = {
    1: ("monday", "montag", "lundi", "понедельник", "ច័ន្ទ"),
    2: ("tuesday", "dienstag", "mardi", "вторник", "អង្គារ"),
    3: ("wednesday", "mittwoch", "mercredi", "сред", "ពុធ"),
    4: ("thursday", "donnerstag", "jeudi", "четверг", "ព្រហស្បតិ៍"),
    5: ("friday", "freitag", "vendredi", "пятниц", "សុក្រ"),
    6: ("saturday", "samstag", "samedi", "суббот", "សៅរ៍"),
    7: ("sunday", "sonntag", "dimanche", "воскресень", "អាទិត្យ"),
}
#: Russian weekday names in full (nominative).
RU_WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


def en_month(word: str) -> int | None:
    """``"Dec."``/``"December"`` -> 12."""
    w = word.lower().rstrip(".")
    return next((n for n, names in EN_MONTHS.items() if w in names), None)


def ru_month(word: str) -> int | None:
    """Any case form or abbreviation of a Russian month -> its number."""
    w = word.lower().rstrip(".")
    for month, forms in RU_MONTH_PATTERNS.items():
        for form in forms:
            if re.fullmatch(form, w):
                return month
    return None


def km_month(word: str) -> int | None:
    return next((n for n, name in KM_MONTHS.items() if name == word), None) or KM_MONTH_VARIANTS.get(word)


def alternation(names) -> str:
    """A regex alternation of ``names``, longest first (so that "sept" wins over "sep")."""
    return "|".join(sorted(names, key=len, reverse=True))
