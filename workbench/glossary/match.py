"""Term matching for English (source), Russian (inflection-aware, pymorphy3) and Khmer (normalised).

Every language turns a text into tokens with character spans and a set of *keys* per token. A term is
compiled into a sequence of (keys, shape) pairs; it matches a run of text tokens when every term token
shares a key with the text token (and has the same capitalisation *shape* where the term requires it).

* English keys: lower case, possessive removed (``ASEAN's``, ``Ministers’``), simple plural removed
  (``vaccines`` -> ``vaccine``, ``economies`` -> ``economy``); dashes of every kind are one token ``-``.
* Russian keys: the lower-cased word (``ё`` -> ``е``) plus the pymorphy3 lemmas of its readings, so
  «с Ассоциацией государств Юго-Восточной Азии» matches «Ассоциация государств Юго-Восточной Азии»,
  whichever words inflect. A form that is most probably a function word drops its unlikely readings:
  the preposition «после» is not the noun «посол» (except after «о», «об», «обо», «при»).
* Khmer: no spaces between words, so matching is on a normalised character string (zero-width spaces and
  joiners, all whitespace removed; Khmer digits -> ASCII; COENG DA -> COENG TA, which writers use
  interchangeably, as in សេចក្ដី/សេចក្តី; Latin lower-cased). For short terms the match must start and end
  on a khmercut word boundary, so a 2-3 letter term is not found inside a longer word.

Overlapping matches are resolved longest-first (by characters, then earliest start), so
"ASEAN Regional Forum" wins over "ASEAN".
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from .model import Concept, Term, is_acronym

DASHES = "-‐‑‒–—―−"
_DASH_RE = re.compile(f"[{DASHES}]")
QUOTES = "«»“”„‟\"‘’‚'`´"

# ------------------------------------------------------------------------------------------ tokens


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    surface: str
    keys: frozenset
    shape: str  # "U" all capitals (2+ letters), "T" capitalised, "l" lower, "o" other


def shape_of(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "o"
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "U"
    if letters[0].isupper():
        return "T"
    if all(c.islower() for c in letters):
        return "l"
    return "o"


_EN_TOKEN = re.compile(
    r"(?P<word>[^\W_]+(?:['’]s\b|(?<=s)['’](?![^\W_]))?)"
    rf"|(?P<dash>[{DASHES}])"
    rf"|(?P<punct>[^\w\s{QUOTES}])"
)


def _en_strip_possessive(word: str) -> str:
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    if len(word) > 1 and word[-1] in "'’":
        return word[:-1]
    return word


def en_singular(w: str) -> str:
    """A crude but symmetric plural stripper (applied to text and terms alike)."""
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes", "uses")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def en_tokens(text: str) -> list[Token]:
    out = []
    for m in _EN_TOKEN.finditer(text):
        if m.group("dash"):
            out.append(Token(m.start(), m.end(), m.group(), frozenset({"-"}), "o"))
        elif m.group("punct"):
            out.append(Token(m.start(), m.end(), m.group(), frozenset({m.group()}), "o"))
        else:
            base = _en_strip_possessive(m.group())
            out.append(Token(m.start(), m.end(), m.group(), frozenset({en_singular(base.lower())}), shape_of(base)))
    return out


_RU_TOKEN = re.compile(
    rf"(?P<word>[^\W_]+(?:-[^\W_]+)*)|(?P<dash>[{DASHES}])|(?P<punct>[^\w\s{QUOTES}])"
)

_morph = None
morph_lock = threading.RLock()  # hold it around every call into the shared analyser


def morph():
    """The shared pymorphy3 analyser (loaded once, thread-safe)."""
    global _morph
    if _morph is None:
        with morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer()
    return _morph


def _yo(s: str) -> str:
    return s.replace("ё", "е").replace("Ё", "Е")


#: pymorphy3 parts of speech of function words: preposition, conjunction, particle.
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL"})
#: A form whose most probable reading is a function word keeps its other readings only from this
#: probability up: «после» ("after", 0.99) is not read as «посол» ("ambassador", 0.001), while «путём»
#: ("by means of", 0.71) still inflects «путь» (0.27).
MIN_READING_SCORE = 0.05
#: Prepositions that take only the prepositional case: the word after them is read in full, so
#: «о после России» ("about Russia's ambassador") still finds «посол».
PREPOSITIONAL_ONLY = frozenset({"о", "об", "обо", "при"})


@lru_cache(maxsize=200_000)
def ru_keys(word: str, governed: bool = False) -> frozenset:
    """The lower-cased form (``ё`` -> ``е``) and the lemmas of its likely pymorphy3 readings.

    When the most probable reading is a function word (:data:`FUNCTION_POS`), readings below
    :data:`MIN_READING_SCORE` are dropped unless ``governed`` (the word follows a preposition of
    :data:`PREPOSITIONAL_ONLY`)."""
    w = _yo(word.lower())
    keys = {w}
    if any("а" <= c <= "я" for c in w):
        with morph_lock:
            parses = morph().parse(w)
        if parses and not governed and parses[0].tag.POS in FUNCTION_POS:
            parses = [p for p in parses if p.tag.POS in FUNCTION_POS or p.score >= MIN_READING_SCORE]
        keys.update(_yo(p.normal_form) for p in parses)
    return frozenset(keys)


def ru_tokens(text: str) -> list[Token]:
    out = []
    previous = ""
    for m in _RU_TOKEN.finditer(text):
        if m.group("dash"):
            out.append(Token(m.start(), m.end(), m.group(), frozenset({"-"}), "o"))
            previous = ""
        elif m.group("punct"):
            out.append(Token(m.start(), m.end(), m.group(), frozenset({m.group()}), "o"))
            previous = ""
        else:
            w = m.group()
            out.append(Token(m.start(), m.end(), w, ru_keys(w, previous in PREPOSITIONAL_ONLY), shape_of(w)))
            previous = w.lower()
    return out


TOKENIZERS = {"en": en_tokens, "ru": ru_tokens}

# ------------------------------------------------------------------------------------------ Khmer

_KM_DIGITS = {ord("០") + i: str(i) for i in range(10)}
_KM_DROP = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
COENG = "\u17d2"


def km_normalise(text: str) -> tuple[str, list[int]]:
    """Normalised Khmer string and, for each of its characters, the index in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        if c in _KM_DROP or c.isspace():
            continue
        if c == "\u178a" and chars and chars[-1] == COENG:  # COENG DA -> COENG TA
            c = "\u178f"
        elif ord(c) in _KM_DIGITS:
            c = _KM_DIGITS[ord(c)]
        elif _DASH_RE.match(c):
            c = "-"
        elif c in QUOTES:
            continue
        else:
            c = c.lower()
        chars.append(c)
        index.append(i)
    return "".join(chars), index


def km_key(term: str) -> str:
    return km_normalise(term)[0]


#: Khmer terms shorter than this (normalised code points) must also sit on khmercut word boundaries.
KM_BOUNDARY_BELOW = 8


def _km_dependent(c: str) -> bool:
    """A Khmer vowel sign, sign or COENG: it belongs to the cluster before it, so no term ends before it."""
    return "\u17b4" <= c <= "\u17d3" or c == "\u17dd"


def km_boundaries(text: str) -> set[int]:
    import khmercut

    out = {0, len(text)}
    pos = 0
    for tok in khmercut.tokenize(text):
        pos += len(tok)
        out.add(pos)
    return out


# ------------------------------------------------------------------------------------------ matcher


@dataclass
class _Compiled:
    payload: object           # what the caller gets back (e.g. (concept, term))
    steps: tuple              # ((keys, shape or None), ...)
    length: int


class Matcher:
    """All terms of one language compiled for fast matching.

    ``add(text, case, payload)`` registers a term; ``find(text)`` returns non-overlapping
    ``(start, end, payload)`` sorted by position; ``find_all(text)`` keeps overlaps.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self._index: dict[str, list[_Compiled]] = {}
        self._km: list[tuple[str, object]] = []

    def add(self, text: str, case: bool | None, payload: object) -> None:
        if self.lang == "km" or self.lang not in TOKENIZERS:
            key = km_key(text) if self.lang == "km" else text.lower()
            if key:
                self._km.append((key, payload))
            return
        for variant in _dash_variants(text, self.lang):
            toks = [t for t in TOKENIZERS[self.lang](variant)]
            if not toks:
                continue
            steps = []
            for t in toks:
                need = None
                if t.shape in "UT" and case is True:
                    need = t.shape
                elif t.shape == "U" and case is None and is_acronym(_en_strip_possessive(t.surface)):
                    need = "U"
                steps.append((t.keys, need))
            comp = _Compiled(payload, tuple(steps), len(variant))
            for k in toks[0].keys:
                self._index.setdefault(k, []).append(comp)

    def find_all(self, text: str) -> list[tuple[int, int, object]]:
        if self.lang == "km" or self.lang not in TOKENIZERS:
            return self._find_km(text)
        toks = TOKENIZERS[self.lang](text)
        hits = []
        for i, tok in enumerate(toks):
            seen = set()
            for k in tok.keys:
                for comp in self._index.get(k, ()):
                    if id(comp) in seen:
                        continue
                    seen.add(id(comp))
                    n = len(comp.steps)
                    if i + n > len(toks):
                        continue
                    if all(
                        (keys & toks[i + j].keys) and (need is None or toks[i + j].shape == need)
                        for j, (keys, need) in enumerate(comp.steps)
                    ):
                        hits.append((tok.start, toks[i + n - 1].end, comp.payload))
        return hits

    def _find_km(self, text: str) -> list[tuple[int, int, object]]:
        norm, index = km_normalise(text) if self.lang == "km" else (text.lower(), list(range(len(text))))
        bounds = None
        hits = []
        for key, payload in self._km:
            start = norm.find(key)
            while start >= 0:
                s, e = index[start], index[start + len(key) - 1] + 1
                ok = not (self.lang == "km" and ((e < len(text) and _km_dependent(text[e]))
                                                 or _km_dependent(text[s])))
                if ok and self.lang == "km" and not any("\u1780" <= ch <= "\u17ff" for ch in key):
                    # a Latin/digit term (SARS, COVID-19) inside Khmer text: plain word boundaries
                    ok = not ((s > 0 and text[s - 1].isalnum() and text[s - 1].isascii())
                              or (e < len(text) and text[e].isalnum() and text[e].isascii()))
                elif ok and self.lang == "km" and len(key) < KM_BOUNDARY_BELOW:
                    if bounds is None:
                        bounds = km_boundaries(text)
                    ok = s in bounds and e in bounds
                if ok:
                    hits.append((s, e, payload))
                start = norm.find(key, start + 1)
        return hits

    def find(self, text: str) -> list[tuple[int, int, object]]:
        return resolve_overlaps(self.find_all(text))


def resolve_overlaps(hits):
    """Keep the longest matches (ties: earliest) that do not overlap; return them in text order."""
    chosen: list = []
    for h in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
        if all(h[1] <= c[0] or h[0] >= c[1] for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: (h[0], h[1]))


def _dash_variants(text: str, lang: str) -> list[str]:
    """``Россия – АСЕАН`` is also written ``Россия-АСЕАН`` (one hyphenated token in Russian)."""
    out = [text]
    if lang == "ru":
        joined = re.sub(rf"\s*[{DASHES}]\s*", "-", text)
        spaced = re.sub(rf"(?<=\w)[{DASHES}](?=\w)", " – ", text)
        for v in (joined, spaced):
            if v not in out:
                out.append(v)
    return out


def best_target(concept: Concept, lang: str, like: str = "", like_lang: str = "") -> Term | None:
    """The preferred ``lang`` term of ``concept`` that best corresponds to ``like`` (a source term or a
    deprecated variant): an acronym for an acronym, a full name for a full name; in the same language the one
    sharing most words. Falls back to admitted terms when there is no preferred one."""
    cands = concept.terms_in(lang, ("preferred",)) or concept.terms_in(lang, ("admitted",))
    cands = [t for t in cands if t.text.strip()]
    if not cands:
        return None
    if len(cands) == 1 or not like:
        return cands[0]
    like_words = like.split()
    like_acr = len(like_words) == 1 and is_acronym(re.sub(r"\W", "", like))
    like_keys = set()
    if like_lang == lang and lang in ("en", "ru"):
        for tok in (en_tokens if lang == "en" else ru_tokens)(like):
            like_keys |= tok.keys

    def score(t: Term):
        words = t.text.split()
        acr = len(words) == 1 and is_acronym(re.sub(r"\W", "", t.text))
        overlap = 0
        if like_keys:
            overlap = sum(1 for tok in (en_tokens if lang == "en" else ru_tokens)(t.text) if tok.keys & like_keys)
        return (acr == like_acr, overlap, -abs(len(words) - len(like_words)))

    return max(cands, key=lambda t: (score(t), -cands.index(t)))
