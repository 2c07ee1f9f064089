"""Sentence segmentation for English, Russian and Khmer.

``split_sentences(text, lang)`` returns the sentences of ``text`` as *exact* substrings of it (only leading and
trailing whitespace is stripped, nothing inside is rewritten). Blank lines are always boundaries; a single line
break is not (hard-wrapped text), it stays inside the sentence.

How each language is done:

* **English**: pySBD (the Golden Rules segmenter) decides the hard cases, but it is slow (tens of ms per
  paragraph), so a fast pass first cuts each paragraph at *unambiguous* boundaries (``word. Capital`` where
  ``word`` is an ordinary lower-case word, not a known abbreviation). Only pieces that still hold a possible
  boundary go to pySBD. Our own rules then repair what pySBD gets wrong (a sentence cannot be just
  "At 5 a.m.").
* **Russian**: razdel (fast) plus our own rules: no break after non-final abbreviations it misses
  ("янв.", "пгт.", "Рос."), no break inside «…» quotes, and a break after a year abbreviation ("1995 г.")
  when the next word is an ordinary word rather than a proper name (pymorphy3 decides; "2012 гг. Виктор"
  stays one sentence, "1995 г. Он" is two).
* **Khmer**: our own rules: a sentence ends with ``។`` ``៕`` ``៚`` ``?`` ``!`` (plus closing quotes/brackets);
  the abbreviation ``។ល។`` ("etc.") does not end one; zero-width spaces are never part of a sentence edge.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from functools import cache

from ..core.config import check_lang

Span = tuple[int, int]

# Paragraph breaks: a line holding only whitespace (incl. NBSP / zero-width space) separates paragraphs.
_PARA_BREAK = re.compile(r"\n[ \t\u00a0\u200b\u3000\r\f\v]*\n\s*")
_EDGE_WS = " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
           "\u2028\u2029\u202f\u205f\u3000\u200b\ufeff"


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in _EDGE_WS:
        start += 1
    while end > start and text[end - 1] in _EDGE_WS:
        end -= 1
    return start, end


def _paragraph_spans(text: str) -> list[Span]:
    spans, pos = [], 0
    for m in _PARA_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        s, e = _strip_span(text, s, e)
        if e > s:
            out.append((s, e))
    return out


def sentence_spans(text: str, lang: str) -> list[Span]:
    """``(start, end)`` offsets of each sentence in ``text`` (stripped; in order; never overlapping)."""
    lang = check_lang(lang)
    splitter = _SPLITTERS[lang]
    out: list[Span] = []
    for ps, pe in _paragraph_spans(text):
        # A single line break (hard-wrapped text) is not a boundary: the splitters see a space there (same
        # length, so offsets still point into the original text).
        para = re.sub(r"[\r\n\u2028\u2029]", " ", text[ps:pe])
        for s, e in splitter(para):
            s, e = _strip_span(text, ps + s, ps + e)
            if e <= s:
                continue
            # A piece with no letter or digit ("។" after "។ ", a stray closing quote) belongs to the sentence before.
            if out and out[-1][0] >= ps and not any(ch.isalnum() for ch in text[s:e]):
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
    return out


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text``: exact substrings, stripped, in order. Blank lines are always boundaries."""
    return [text[s:e] for s, e in sentence_spans(text, lang)]


def segment_paragraphs(paragraphs: Sequence[str], lang: str) -> list[tuple[int, str]]:
    """``[(paragraph_no, sentence), ...]`` for a document's paragraphs (numbered from 0, in order).

    A paragraph that itself holds blank lines is still one paragraph number (its parts are split apart).
    """
    lang = check_lang(lang)
    out: list[tuple[int, str]] = []
    for no, para in enumerate(paragraphs):
        for sent in split_sentences(para, lang):
            out.append((no, sent))
    return out


# --------------------------------------------------------------------------------------------------- helpers

def _merge(spans: list[Span], should_merge) -> list[Span]:
    """Merge neighbouring spans while ``should_merge(left, right)`` says so."""
    out: list[Span] = []
    for sp in spans:
        if out and should_merge(out[-1], sp):
            out[-1] = (out[-1][0], sp[1])
        else:
            out.append(sp)
    return out


def _quote_merge(text: str, spans: list[Span], pairs: Iterable[tuple[str, str]], max_len: int = 400) -> list[Span]:
    """No boundary inside a quotation that opens and closes within the paragraph (short ones only)."""
    inside: list[Span] = []
    for op, cl in pairs:
        depth_start = None
        for i, ch in enumerate(text):
            if ch == op and depth_start is None:
                depth_start = i
            elif ch == cl and depth_start is not None:
                if i - depth_start <= max_len:
                    inside.append((depth_start, i))
                depth_start = None

    def within(pos: int) -> bool:
        return any(a < pos <= b for a, b in inside)

    return _merge(spans, lambda left, right: within(left[1]) or within(right[0]))


# --------------------------------------------------------------------------------------------------- English

# Words that end with a full stop without ending the sentence (compared lower-case, without the stop).
_EN_ABBREV = frozenset("""
mr mrs ms mx dr jr sr st co corp inc ltd llc plc bros gen col lt capt cmdr adm maj sgt cpl gov sen rep rev prof
hon amb esq messrs mme mlle mssrs pres supt insp det fig figs vol vols ch chap art arts sec sect dept univ assn
ave blvd rd mt ft jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
approx est etc vs al cf ca no nos nr pp ed eds op cit ibid viz resp incl excl misc dept min max tel ext ref
para paras sq ph hr hrs mins sec secs yr yrs mo mos wk wks dist twp pl
""".split())

# An unambiguous boundary: an ordinary word (2+ letters, at least the last two lower-case), then . ! or ?,
# closing quotes/brackets, whitespace, and an opening quote/bracket or capital letter.
_EN_SURE = re.compile(
    r"(?<![\w.@/])([A-Za-z][a-z]*[a-z]{2}|[a-z]{2,})([.!?]+)([\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[A-Z])"
)
# Anything else that might be a boundary (left for pySBD).
_EN_MAYBE = re.compile(r"[.!?…][\"'”’»)\]]*\s|[•⁃]|\d\)")

# "Sputnik V. With regard to ..." : a single capital letter, a stop, then a closed-class word that cannot be a
# surname ends a sentence (pySBD reads the letter as an initial). "Albert I. Jones" stays one sentence.
_EN_LETTER_END = re.compile(
    r"(?<=[\s(])(?:[A-HJ-Z]\.|(?:[A-Z]\.){2,4})(\s+)(?=(?:The|With|In|On|At|It|This|That|These|Those|He|She|We|They|But|However|"
    r"As|For|By|From|There|Its|His|Her|Their|Our|After|Before|During|When|While|If|Although|Since|Such|"
    r"Both|Then|Thus|Moreover|Furthermore|Meanwhile|Today|Yesterday|Now)\b)"
)

# Titles before a name never end a sentence; reference words ("No. 5", "Art. 3", "p. 34") do not either when
# a number follows.
_EN_TITLE_END = re.compile(
    r"(?:^|[\s(])(?:Mr|Mrs|Ms|Mx|Dr|Prof|Amb|Gen|Sen|Rep|Gov|Hon|Rev|Messrs|Mme|Mlle|Capt|Col|Lt|Maj|Adm|Sgt|"
    r"Cmdr|Pres|Supt|Insp|Fr|Sr|Jr|H\.E|HH\.EE|H\.M|H\.R\.H|S\.E)\.$"
)
_EN_REF_END = re.compile(r"(?:^|[\s(])(?:No|Nos|Art|Arts|Vol|Vols|p|pp|para|paras|Fig|Figs|ch|Ch|chap|Sec|sec|"
                         r"Sect|sect|Par|Para|Doc|Res|Ref)\.$")
_EN_NUMBER_START = re.compile(r"^(?:\d|[IVXLC]+\b)")

_EN_TIME_FRAGMENT = re.compile(
    r"^(?:at|by|from|until|till|before|after|around|about|since|to)\s+\d{1,2}(?:[:.]\d{2})?\s*[ap]\.\s?m\.$",
    re.IGNORECASE,
)


@cache
def _pysbd(lang: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pysbd
    return pysbd.Segmenter(language=lang, clean=False, char_span=True)


def _pysbd_spans(text: str, lang: str) -> list[Span]:
    spans = []
    pos = 0
    for piece in _pysbd(lang).segment(text):
        start = text.find(piece.sent, pos)
        if start < 0:  # pysbd promised substrings; fall back to its offsets
            start = piece.start
        end = start + len(piece.sent)
        spans.append((start, end))
        pos = end
    # pysbd sometimes drops a piece (e.g. "!!" on the line after "a."): no text may be lost, so every
    # uncovered stretch that is not blank becomes a span of its own.
    covered, prev = [], 0
    for start, end in spans + [(len(text), len(text))]:
        if start > prev and text[prev:start].strip():
            covered.append((prev, start))
        if end > start:
            covered.append((start, end))
        prev = max(prev, end)
    return covered


def _en_rough_cuts(text: str) -> list[Span]:
    cuts, pos = [], 0
    for m in _EN_SURE.finditer(text):
        if m.group(1).lower() in _EN_ABBREV:
            continue
        cuts.append((pos, m.end(3)))
        pos = m.end(4)
    cuts.append((pos, len(text)))
    return cuts


def _split_en(text: str) -> list[Span]:
    spans: list[Span] = []
    for s, e in _en_rough_cuts(text):
        piece = text[s:e].rstrip()  # a stop at the very end is the piece's own end
        if _EN_MAYBE.search(piece):
            spans.extend((s + a, s + b) for a, b in _pysbd_spans(text[s:e], "en"))
        else:
            spans.append((s, e))
    spans = [_strip_span(text, a, b) for a, b in spans]
    spans = [sp for sp in spans if sp[1] > sp[0]]
    # A sentence cannot be just "At 5 a.m.": join such a fragment to what follows.
    def merge(left: Span, right: Span) -> bool:
        prev, nxt = text[left[0]:left[1]], text[right[0]:right[1]]
        return bool(_EN_TIME_FRAGMENT.match(prev) or _EN_TITLE_END.search(prev)
                    or (_EN_REF_END.search(prev) and _EN_NUMBER_START.match(nxt)))

    spans = _merge(spans, merge)
    out: list[Span] = []
    for s, e in spans:
        for m in _EN_LETTER_END.finditer(text, s, e):
            out.append((s, m.start(1)))
            s = m.end(1)
        out.append((s, e))
    return out


# --------------------------------------------------------------------------------------------------- Russian

# Abbreviations that never end a sentence (compared lower-case, with their stops).
_RU_NONFINAL = frozenset("""
янв. фев. февр. мар. апр. авг. сен. сент. окт. нояб. дек. рос. росс. федер. респ. им. ул. пр. пр-т. просп.
пл. пер. наб. ш. д. кв. корп. стр. пгт. пос. дер. обл. р-н. проф. акад. доц. ген. ген.-л. полк. адм. канд.
чл.-корр. г-н. г-жа. гг-да. т. см. ср. напр. рис. табл. гл. ст. п. пп. ч. разд. прим. тыс. млн. млрд. трлн.
руб. долл. коп. тел. искл. т.е. т.к. т.н. т.ч. т.п. т.д. и.о. вкл. англ. рус. лат. нем. франц. кхм. им
""".split())
_RU_TOKEN_BEFORE = re.compile(r"(\S+)$")
_RU_INITIAL = re.compile(r"(?:^|[\s(«\"])[А-ЯЁA-Z]\.$")
_RU_YEAR_ABBR = re.compile(
    r"(?:\b\d{3,4}(?:\s*[-–—]\s*\d{2,4})?(?:-х)?|\b[IVXLC]+(?:\s*[-–—]\s*[IVXLC]+)?)\s*(?:гг|г|вв|в)\.(\s+)(?=[«\"„(]?([А-ЯЁ][а-яё\-]*))"
)

_RU_YEAR_ABBR_END = re.compile(
    r"(?:\b\d{3,4}(?:\s*[-–—]\s*\d{2,4})?(?:-х)?|\b[IVXLC]+(?:\s*[-–—]\s*[IVXLC]+)?)\s*(?:гг|г|вв|в)\.$"
)


@cache
def _morph():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pymorphy3
    return pymorphy3.MorphAnalyzer()


_PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}


def _is_proper_name(word: str) -> bool:
    parses = _morph().parse(word)
    best = parses[0]
    if best.tag.POS in {"PREP", "CONJ", "PRCL", "NPRO", "ADVB", "INTJ", "PRED"}:
        return False
    return any(tag in best.tag for tag in _PROPER)


def _ru_nonfinal_end(piece: str) -> bool:
    m = _RU_TOKEN_BEFORE.search(piece)
    if not m:
        return False
    tok = m.group(1).lower().lstrip("(«\"")
    if tok in _RU_NONFINAL:
        return True
    if _RU_INITIAL.search(piece):  # "А." an initial
        return True
    return False


def _split_ru(text: str) -> list[Span]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import razdel
    spans = [(s.start, s.stop) for s in razdel.sentenize(text)]

    def merge(left: Span, right: Span) -> bool:
        nxt = text[right[0]:right[1]]
        prev = text[left[0]:left[1]]
        if _ru_nonfinal_end(prev) or _RU_YEAR_ABBR_END.search(prev):  # year abbreviations: decided below
            return True
        if prev.rstrip().endswith((";", ",", ":")):  # razdel breaks after ";" before a digit or a capital
            return True
        # razdel sometimes breaks before a lower-case word or a closing piece of punctuation
        return bool(nxt) and (nxt[0].islower() or nxt[0] in ",;:)»")

    spans = _merge(spans, merge)
    spans = _quote_merge(text, spans, [("«", "»"), ("“", "”"), ("„", "“")])
    # Break after "1995 г." / "XX в." when the next word is an ordinary word (not a name).
    out: list[Span] = []
    for s, e in spans:
        start = s
        for m in _RU_YEAR_ABBR.finditer(text, s, e):
            if _is_proper_name(m.group(2)):
                continue
            out.append((start, m.start(1)))
            start = m.end(1)
        out.append((start, e))
    return out


# --------------------------------------------------------------------------------------------------- Khmer

_KM_ETC = "\u17d4\u179b\u17d4"  # ។ល។
_KM_END = re.compile(
    r"(?:[\u17d4\u17d5\u17da]|[?!\u061f]+|\.(?=[\s\u200b]+[\u1780-\u17ff]))"  # ។ ៕ ៚ ? ! (and '.' before Khmer)
    r"[\u17d4\u17d5\u17da?!]*"  # runs: ។។ ?!
    r"[\"'”’»)\]\u200b]*"  # closing quotes/brackets, zero-width spaces
)


def _split_km(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _KM_END.finditer(text):
        i = m.start()
        # ។ល។ is "etc.": neither of its ។ ends a sentence, unless another terminator follows it ("។ល។ ។").
        if text.startswith(_KM_ETC, i):
            continue
        if text.startswith(_KM_ETC, i - 2) and not re.match(r"[\u17d4\u17d5\u17da?!]", text[i + 1:m.end()]):
            continue
        end = m.end()
        # '។ "' : a straight quote after a space closes the sentence when the sentence holds an open one.
        q = re.match(r"[ \u00a0\u200b]*[\"”»]", text[end:])
        if q and (text.count('"', start, end) % 2 == 1
                  or (text[end + q.end() - 1] in "”»"
                      and text.count("«", start, end) > text.count("»", start, end))):
            end += q.end()
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


_SPLITTERS = {"en": _split_en, "ru": _split_ru, "km": _split_km}
