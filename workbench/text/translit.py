"""Romanisation for matching names across scripts: Cyrillic and Khmer to Latin, and a script-independent
consonant skeleton of a name (``Borovik``, ``Боровик`` and ``បូរ៉ូវិក`` share one), plus the function words
of English and Russian that carry no content for word matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
                 "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))

# Khmer consonants as foreign names are transcribed with them (UNGEGN-like, one Latin consonant each).
_KM_CONS = dict(zip(
    "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវឝឞសហឡអ",
    ["k", "k", "k", "k", "ng", "c", "c", "c", "c", "n", "d", "t", "d", "t", "n", "t", "t", "t", "t", "n",
     "b", "p", "p", "p", "m", "y", "r", "l", "v", "s", "s", "s", "h", "l", ""]))
_COENG = "\u17d2"
_MUUSIKATOAN = "\u17c9"   # ៉ : ប៉ is "p", and raises ម ន យ រ វ in foreign words (no change for the skeleton)
# ហ្គ ហ្ន ហ្ម ហ្ល ហ្វ: h with a subscript writes a foreign g n m l f
_KM_H_PLUS = {"គ": "g", "ន": "n", "ម": "m", "ល": "l", "វ": "f"}


def romanise_khmer(text: str) -> str:
    """Khmer letters as Latin consonants (vowels dropped): enough to compare transcribed foreign names."""
    out: list[str] = []
    k = 0
    while k < len(text):
        ch = text[k]
        if ch == "ហ" and k + 2 < len(text) and text[k + 1] == _COENG and text[k + 2] in _KM_H_PLUS:
            out.append(_KM_H_PLUS[text[k + 2]])
            k += 3
            continue
        if ch in _KM_CONS:
            lat = _KM_CONS[ch]
            if ch == "ប" and k + 1 < len(text) and text[k + 1] == _MUUSIKATOAN:
                lat = "p"
            out.append(lat)
        k += 1
    return "".join(out)


def transliterate(word: str) -> str:
    """Cyrillic and Khmer -> Latin, lower case; other letters lose their diacritics."""
    if any("\u1780" <= c <= "\u17ff" for c in word):
        return romanise_khmer(word)
    out = []
    for ch in word.lower():
        if ch in _CYR:
            out.append(_CYR[ch])
        else:
            out.append(unicodedata.normalize("NFD", ch)[0])
    return "".join(out)


_FOLD = (("ph", "f"), ("th", "t"), ("ck", "k"), ("kh", "k"), ("sh", "s"), ("ch", "c"), ("zh", "z"), ("ts", "c"),
         ("ng", "n"), ("x", "ks"), ("q", "k"), ("w", "v"), ("j", "c"))
_VOICE = str.maketrans({"b": "p", "g": "k", "d": "t", "f": "v", "z": "s", "c": "k"})


@lru_cache(maxsize=1 << 16)
def name_skeleton(word: str, size: int = 3) -> str:
    """A script-independent key for a proper name: transliterate, fold spelling variants and voicing, drop
    vowels and doubled letters, keep ``size`` consonants.

    ``Stanford`` / ``Стэнфордского``, ``Pattavee`` / ``Паттави``, ``Borovik`` / ``Боровик`` / ``បូរ៉ូវិក`` each
    share a skeleton.
    """
    w = transliterate(word)
    for a, b in _FOLD:
        w = w.replace(a, b)
    w = w.replace("h", "")
    w = re.sub(r"[aeiouy'’\-\s]", "", w).translate(_VOICE)
    w = re.sub(r"(.)\1+", r"\1", w)
    return w[:size]


#: English words that carry no content for word matching (compared lower case).
EN_STOPWORDS = frozenset("""
a an the and or but nor so yet of in on at to for from by with without within into onto upon about above below
over under between among through during before after since until till as than then that this these those there
here it its it's he him his she her hers they them their theirs we us our ours you your yours i me my mine who
whom whose which what when where why how all any both each few more most other some such no not only own same
too very can could may might must shall should will would is are was were be been being am do does did doing
have has had having also just one ones s t ll re ve d m o
""".split())

#: Russian function words (compared lower case, ё as е).
RU_STOPWORDS = frozenset("""
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня
еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там
потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже
себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас
про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им
более всегда конечно всю между это также которые который которая которое которых также
""".replace("ё", "е").split())
