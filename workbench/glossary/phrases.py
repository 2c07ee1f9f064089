"""Term candidates in a text: the phrases that could be glossary terms, each with a normalised *key*, for
English, Russian and Khmer. Used by term mining (:mod:`workbench.glossary.mining`).

No part-of-speech model is needed:

* **English**: words split at punctuation; a candidate is 1..``max_words`` words that neither begin nor end
  with a function word (:data:`workbench.text.stopwords.EN_STOP`), a month or weekday name or a bare
  number, with at most two function words of :data:`~workbench.text.stopwords.EN_INNER` inside
  (*shortness of breath*; *the* only after *of*, *for*...). Hyphenated words stay whole (*SARS-CoV-2*,
  *alcohol-based*). Key: lower case, possessive removed, the plural of the last word removed (the same rule
  as glossary matching), so *face masks* and *Face mask* are one candidate; acronyms keep their letters
  (*SARS*).
* **Russian**: every word analysed with pymorphy3 (its most likely parse): nouns, adjectives, participles
  and Latin words make phrases (adjectives and nouns, a preposition or «и» inside: «передача в обществе»,
  ending in a noun or a Latin word); single verbs count too. Key: the lemmas, so «Восточноазиатского
  саммита» and «Восточноазиатский саммит» are one candidate. :func:`ru_base_form` gives a phrase in its
  dictionary form (head noun and the adjectives agreeing with it in the nominative).
* **Khmer** (no spaces between words): words from khmercut; function words from
  :data:`~workbench.text.stopwords.KM_STOP` neither begin nor end a candidate, noun-making prefixes (ការ,
  ភាព) do not end one. Key: the normalised string of glossary matching (spaces and zero-width characters
  removed, Khmer digits as ASCII, COENG DA as COENG TA).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.calendar import EN_MONTHS, WEEKDAYS
from ..text.scripts import KHMER, KHMER_PUNCT, ZERO_WIDTH
from ..text.stopwords import EN_INNER, EN_STOP, KM_INNER, KM_NOT_LAST, KM_STOP
from ..text.tokens import khmer_tokenizer
from .match import en_singular, km_key, morph, morph_lock
from .model import is_acronym

#: longest candidate, in words (a hyphenated word counts as one)
MAX_WORDS = 5
LANGS = ("en", "ru", "km")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A candidate in a text: ``text[start:end]``, its key, its length in words."""

    key: str
    start: int
    end: int
    words: int
    #: the keys of its content words (for word-level translation probabilities)
    parts: tuple = ()


# ------------------------------------------------------------------------------------------ English

HYPHENS = "-‐‑"
_EN_WORD = re.compile(rf"[^\W_]+(?:['’][^\W_]+)*(?:[{HYPHENS}][^\W_]+(?:['’][^\W_]+)*)*")
_DIGITS = re.compile(r"^[\d.,]+$")
#: month and weekday names: dates, never glossary terms
_EN_CALENDAR = frozenset([names[0] for names in EN_MONTHS.values()] + [names[0] for names in WEEKDAYS.values()])
_WS = re.compile(rf"^[\s{ZERO_WIDTH}]*$")


def en_word_key(word: str) -> tuple[str, str]:
    """``(key, kind)`` of an English word: kind ``W`` (content word), ``I`` (function word allowed inside a
    term), ``S`` (function word), ``N`` (number)."""
    w = word
    if len(w) > 2 and w[-2] in "'’" and w[-1] in "sS":
        w = w[:-2]
    if _DIGITS.match(w):
        return w, "N"
    low = w.lower()
    acronym = is_acronym(w.replace("-", "").replace("‐", "").replace("‑", ""))
    if not acronym and ("'" in low or "’" in low or len(low) < 2):
        return low, "S"
    if not acronym:
        if low in EN_INNER:
            return low, "I"
        if low in EN_STOP or low in _EN_CALENDAR:
            return low, "S"
    if acronym or not low[-1:].isalpha():
        return low, "W"
    head, sep, last = low.rpartition("-") if "-" in low else ("", "", low)
    return head + sep + en_singular(last), "W"


def _en_words(text: str) -> list[list[tuple[int, int, str, str]]]:
    """Chunks (runs of words separated by spaces only) of ``(start, end, key, kind)``."""
    chunks: list[list[tuple[int, int, str, str]]] = []
    cur: list[tuple[int, int, str, str]] = []
    last_end = 0
    for m in _EN_WORD.finditer(text):
        if cur and not _WS.match(text[last_end:m.start()]):
            chunks.append(cur)
            cur = []
        key, kind = en_word_key(m.group())
        cur.append((m.start(), m.end(), key, kind))
        last_end = m.end()
    if cur:
        chunks.append(cur)
    return chunks


def _ngrams(chunk, max_words: int, first: set, last: set, inner: set, limits: dict, sep: str = " ",
            content: frozenset = frozenset("W")):
    """Phrases of a chunk of ``(start, end, key, kind)``: they begin with a kind in ``first``, end with one in
    ``last``, hold only ``inner`` kinds between, and at most ``limits[kind]`` words of a limited kind."""
    out = []
    n = len(chunk)
    for i in range(n):
        if chunk[i][3] not in first:
            continue
        used = dict.fromkeys(limits, 0)
        for j in range(i, min(n, i + max_words)):
            kind = chunk[j][3]
            if j > i and kind not in inner and kind not in last:
                break
            if kind in used:
                used[kind] += 1
                if used[kind] > limits[kind]:
                    break
            if kind in last:
                words = chunk[i:j + 1]
                out.append(Phrase(sep.join(w[2] for w in words), chunk[i][0], chunk[j][1], j - i + 1,
                                  tuple(w[2] for w in words if w[3] in content)))
    return out


_LOOSE_THE = re.compile(r"(?:^|\s)(?!(?:of|for|and|on|in|to|from|with|against) the\b)\S+ the\b")


def en_phrases(text: str, max_words: int = MAX_WORDS) -> list[Phrase]:
    out = []
    for chunk in _en_words(text):
        out.extend(p for p in _ngrams(chunk, max_words, {"W"}, {"W"}, {"W", "I", "N"}, {"I": 2})
                   if " the " not in p.key or not _LOOSE_THE.search(p.key))  # "the" only after "of", "for"...
    return out


# ------------------------------------------------------------------------------------------ Russian

_RU_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
_CYR = re.compile("[а-яё]")


@lru_cache(maxsize=200_000)
def ru_word(word: str) -> tuple[str, str]:
    """``(lemma, kind)`` of a lower-cased Russian word: kind ``N`` noun, ``A`` adjective or participle, ``V``
    verb, ``P`` preposition, ``C`` «и», ``L`` a Latin word, ``D`` a number, ``S`` anything else."""
    w = word.replace("ё", "е")
    if _DIGITS.match(w):
        return w, "D"
    if not _CYR.search(w):
        return w, "L" if any(c.isalpha() for c in w) else "S"
    if w == "и":
        return w, "C"
    p = _parses(w)[0]
    lemma = p.normal_form.replace("ё", "е")
    pos = p.tag.POS
    if (pos == "NOUN" or "UNKN" in p.tag) and len(w) < 2:  # «г.», «т.»: abbreviations, not terms
        return lemma, "S"
    if pos == "NOUN" or "UNKN" in p.tag:  # unknown words: acronyms (РНК, ИВЛ), new names
        return lemma, "N"
    if pos in ("ADJF", "PRTF", "ADJS"):  # short adjectives too: «заразен» is «заразный»
        return lemma, "S" if ("Apro" in p.tag or "Anum" in p.tag) else "A"
    if pos in ("VERB", "INFN"):
        return lemma, "V"
    if pos == "PREP":
        return lemma, "P"
    return lemma, "S"


def _ru_words(text: str):
    chunks, cur, last_end = [], [], 0
    for m in _RU_WORD.finditer(text):
        if cur and not _WS.match(text[last_end:m.start()]):
            chunks.append(cur)
            cur = []
        lemma, kind = ru_word(m.group().lower())
        cur.append((m.start(), m.end(), lemma, kind))
        last_end = m.end()
    if cur:
        chunks.append(cur)
    return chunks


def ru_phrases(text: str, max_words: int = MAX_WORDS) -> list[Phrase]:
    out = []
    for chunk in _ru_words(text):
        for w in chunk:  # single verbs (infinitive as the key)
            if w[3] == "V":
                out.append(Phrase(w[2], w[0], w[1], 1, (w[2],)))
        out.extend(_ngrams(chunk, max_words, {"N", "A", "L"}, {"N", "L"}, {"N", "A", "L", "P", "C", "D"},
                           {"P": 1, "C": 1}, content=frozenset("NAL")))
        # single adjectives (an English adjective is often a term: respiratory, asymptomatic)
        out.extend(Phrase(w[2], w[0], w[1], 1, (w[2],)) for w in chunk if w[3] == "A")
    return out


@lru_cache(maxsize=100_000)
def _parses(word: str) -> tuple:
    with morph_lock:
        return tuple(morph().parse(word))


def _caps_like(src: str, new: str) -> str:
    if len(src) > 1 and src.isupper():
        return new.upper()
    if src[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def ru_base_form(phrase: str, number: str | None = None) -> str:
    """A Russian phrase in its dictionary form: the head noun (the first noun) and the adjectives before it
    that agree with it go to the nominative, keeping the head's number (and so does a noun group joined to
    the head by «и»/«или» in the same case); other words after the head (governed genitives, names) stay as
    written. «Восточноазиатского саммита» -> «Восточноазиатский саммит», «средствами индивидуальной защиты»
    -> «средства индивидуальной защиты», «школ и университетов» -> «школы и университеты». ``number``
    (``sing``/``plur``) sets the number (nouns used only in one number keep it). A single adjective or verb
    becomes its dictionary form."""
    words = list(_RU_WORD.finditer(phrase))
    if not words:
        return phrase
    low = [m.group().lower() for m in words]
    parses = [_parses(w) if _CYR.search(w) else () for w in low]
    kinds = [ru_word(w)[1] for w in low]
    new = [m.group() for m in words]
    head = next((i for i, k in enumerate(kinds) if k == "N" and parses[i]), None)
    if head is None:
        if len(words) == 1 and parses[0] and kinds[0] in ("A", "V"):
            new[0] = _caps_like(words[0].group(), parses[0][0].normal_form)
        return _rebuild(phrase, words, new)
    case = _nominative(words, low, parses, kinds, 0, head, number, None, new)
    if case is None:
        return phrase
    # a second noun group in the same case after «и»/«или»: «школ и университетов»
    j = head + 1
    if j < len(words) and low[j] in ("и", "или"):
        k = j + 1
        while k < len(words) and kinds[k] == "A":
            k += 1
        if k < len(words) and kinds[k] == "N" and parses[k]:
            _nominative(words, low, parses, kinds, j + 1, k, number, case, new)
    return _rebuild(phrase, words, new)


def _nominative(words, low, parses, kinds, start: int, head: int, number, case, new: list) -> str | None:
    """Put the noun group ``start..head`` (adjectives, then the head noun) into the nominative in ``new``;
    ``case``: the case the head must be in (for a coordinated group). Returns the head's case as written."""
    adjs = [i for i in range(start, head) if kinds[i] == "A"]
    lemma = ru_word(low[head])[0]
    nouns = [p for p in parses[head] if p.tag.POS == "NOUN" and (case is None or p.tag.case == case)]
    nouns = [p for p in nouns if p.normal_form.replace("ё", "е") == lemma] or nouns  # the key's reading
    best, best_score = None, (-1, False)
    for p in nouns:  # most agreement; then singular (пандемии: genitive singular, not nominative plural)
        score = (sum(any(a.tag.POS in ("ADJF", "PRTF") and a.tag.case == p.tag.case and
                         (a.tag.number == p.tag.number) for a in parses[i]) for i in adjs), p.tag.number == "sing")
        if score > best_score:
            best, best_score = p, score
    if best is None:
        return None
    num = number or best.tag.number or "sing"
    if "Pltm" in best.tag:
        num = "plur"
    elif "Sgtm" in best.tag:
        num = "sing"
    with morph_lock:
        head_form = best.inflect({"nomn", num})
    if head_form is not None:
        new[head] = _caps_like(words[head].group(), head_form.word)
    for i in adjs:
        adj = next((a for a in parses[i] if a.tag.POS in ("ADJF", "PRTF") and a.tag.case == best.tag.case), None)
        if adj is None:
            continue
        want = {"nomn", num}
        if num == "sing" and best.tag.gender:
            want.add(best.tag.gender)
        with morph_lock:
            form = adj.inflect(want)
        if form is not None:
            new[i] = _caps_like(words[i].group(), form.word)
    return best.tag.case


def _rebuild(phrase: str, words, new: list[str]) -> str:
    out, pos = [], 0
    for m, w in zip(words, new, strict=True):
        out.append(phrase[pos:m.start()])
        out.append(w)
        pos = m.end()
    out.append(phrase[pos:])
    return "".join(out)


# ------------------------------------------------------------------------------------------ Khmer

_KM_TOKEN = re.compile(rf"(?P<km>[{KHMER}]+)|(?P<w>[^\W_]+)|(?P<sp>[\s{ZERO_WIDTH}]+)|(?P<o>.)", re.S)


def _km_tokens(text: str):
    """``(start, end, kind)`` tokens; kinds ``km`` (a khmercut word), ``w`` (Latin word or number), ``sep``
    (punctuation: a boundary), ``sp`` (space), ``-``."""
    toks = []
    for m in _KM_TOKEN.finditer(text):
        if m.group("km"):
            pos = m.start()
            for t in khmer_tokenizer()(m.group()):
                end = pos + len(t)
                core = t.strip(ZERO_WIDTH + " ")
                if not core:
                    toks.append((pos, end, "sp"))
                elif all(c in KHMER_PUNCT for c in core):
                    toks.append((pos, end, "sep"))
                elif core == "ៗ" and toks and toks[-1][2] == "km" and toks[-1][1] == pos:
                    toks[-1] = (toks[-1][0], end, "km")
                else:
                    toks.append((pos, end, "km"))
                pos = end
        elif m.group("w"):
            toks.append((m.start(), m.end(), "w"))
        elif m.group("sp"):
            toks.append((m.start(), m.end(), "sp"))
        else:
            toks.append((m.start(), m.end(), "-" if m.group() in HYPHENS else "sep"))
    return toks


@lru_cache(maxsize=1)
def _km_lists() -> tuple[frozenset, frozenset, frozenset]:
    return tuple(frozenset(km_key(w) for w in words) for words in (KM_INNER, KM_STOP, KM_NOT_LAST))


def _km_words(text: str):
    """Chunks of ``(start, end, key, kind)``: hyphen-joined tokens merged (កូវីដ-19), chunks split at
    punctuation; kinds ``W`` word, ``L`` Latin, ``D`` number, ``S`` function word, ``F`` prefix, ``I`` a
    function word allowed inside."""
    toks = _km_tokens(text)
    merged: list[list] = []
    i = 0
    while i < len(toks):
        s, e, k = toks[i]
        if k in ("km", "w"):
            while (i + 2 < len(toks) and toks[i + 1][2] == "-" and toks[i + 1][0] == e
                   and toks[i + 2][2] in ("km", "w") and toks[i + 2][0] == toks[i + 1][1]):
                e = toks[i + 2][1]
                i += 2
            merged.append([s, e, "word"])
        else:
            merged.append([s, e, k])
        i += 1
    inner, stop, not_last = _km_lists()
    chunks, cur = [], []
    space = False
    for s, e, k in merged:
        if k == "sp":
            space = True
            continue
        if k != "word":
            if cur:
                chunks.append(cur)
            cur = []
            continue
        surface = text[s:e]
        key = km_key(surface)
        if not key:
            continue
        if key in inner:
            kind = "I"
        elif key in stop:
            kind = "S"
        elif key in not_last:
            kind = "F"
        elif _DIGITS.match(key):
            kind = "D"
        elif key.isascii():
            kind = "L" if any(c.isalpha() for c in key) else "S"
        else:
            kind = "W"
        # a space between two Khmer words separates phrases; around a Latin word it is only spacing
        if space and cur and not key.isascii() and not cur[-1][2].isascii():
            chunks.append(cur)
            cur = []
        space = False
        cur.append((s, e, key, kind))
    if cur:
        chunks.append(cur)
    return chunks


def km_phrases(text: str, max_words: int = MAX_WORDS + 1) -> list[Phrase]:
    out = []
    for chunk in _km_words(text):
        out.extend(_ngrams(chunk, max_words, {"W", "L", "F"}, {"W", "L"}, {"W", "L", "F", "D", "I"},
                           {"I": 1}, sep="", content=frozenset("WL")))
    return out


# ------------------------------------------------------------------------------------------ any

EXTRACTORS = {"en": en_phrases, "ru": ru_phrases, "km": km_phrases}


def phrases(text: str, lang: str, max_words: int | None = None) -> list[Phrase]:
    """Term candidates of ``text`` in ``lang`` (en, ru, km), in text order of their start."""
    fn = EXTRACTORS[lang]
    return fn(text) if max_words is None else fn(text, max_words)


def base_form(surface: str, lang: str, number: str | None = None) -> str:
    """How a candidate is shown: Russian in its dictionary form (:func:`ru_base_form`), others as written."""
    return ru_base_form(surface, number) if lang == "ru" else surface
