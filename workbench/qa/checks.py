"""The segment checks (en/ru/km), as CAT tools run them before a text goes out, and :func:`check_segment`.

Each check is one function registered with :func:`workbench.qa.registry.check`; :func:`check_segment`
runs the enabled ones, in the order they are declared here, on a :class:`Pair`. Numbers and dates are
compared after normalising digit systems (Khmer ០-៩), number formats (English ``1,000.5``, Russian
``1 000,5``) and dates written out in any of the three languages (:mod:`workbench.qa.numbers`,
:mod:`workbench.qa.dates`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from ..core.config import check_lang
from ..core.meta import tm_codes
from ..core.store import CONFIRMED
from ..text.digits import ascii_digits
from ..text.punctuation import BRACKETS, CLOSING_MARKS, FINAL_MARKS, FULL_STOP
from ..text.scripts import KHMER_CHAR, SCRIPT_CHAR, SCRIPT_NAME, ZERO_WIDTH, ZERO_WIDTH_RE
from ..text.tokens import words
from ..tm.tags import plain_map, tag_problems
from .dates import DateMention, find_dates
from .numbers import find_numbers, number_words
from .registry import SEVERITIES, Finding, Hit, check, checks
from .settings import resolve

#: Target/source length ratio (characters, zero-width spaces removed) outside which a segment is flagged.
#: The 0.5th and 99.5th percentiles over FLORES-200 dev (997 sentences), measured with
#: ``benchmarks/qa_flores.py --split dev --ratios``.
LENGTH_RATIO: dict[str, tuple[float, float]] = {
    "en-ru": (0.70, 1.78), "en-km": (0.68, 1.85),
    "ru-en": (0.56, 1.42), "ru-km": (0.56, 1.86),
    "km-en": (0.54, 1.48), "km-ru": (0.54, 1.78),
}


class Pair:
    """One source/target pair as the segment checks see it; what several checks need is computed once.

    ``settings``: resolved settings (:func:`workbench.qa.settings.resolve`); ``glossary``: anything with
    ``check(source, target, src_lang, tgt_lang)`` returning a report with ``missing``, ``forbidden`` and
    ``deprecated`` lists of dicts (:class:`workbench.glossary.Glossary`); ``status``: the translation's status.
    ``tagged``/``codes``: the target as stored, with the tags of inline codes (``<g1>…</g1>``, see
    :mod:`workbench.tm.tags`), and those codes; ``target`` is then the text without the tags.
    """

    def __init__(self, source: str, target: str, src_lang: str, tgt_lang: str, settings: dict[str, Any],
                 glossary=None, status: str | None = None, tagged: str | None = None,
                 codes: list | None = None) -> None:
        self.source = source or ""
        self.target = target or ""
        self.tagged = tagged if tagged is not None else self.target
        self.codes = codes or []
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self.settings = settings
        self.glossary = glossary
        self.status = status

    def enabled(self, code: str) -> bool:
        return self.settings["checks"][code]

    @cached_property
    def src_clean(self) -> str:
        """The source without zero-width characters."""
        return ZERO_WIDTH_RE.sub("", self.source)

    @cached_property
    def tgt_clean(self) -> str:
        """The target without zero-width characters."""
        return ZERO_WIDTH_RE.sub("", self.target)

    @property
    def blank(self) -> bool:
        return not self.tgt_clean.strip()

    @cached_property
    def src_words(self) -> list[str]:
        return words(self.src_clean)

    @cached_property
    def src_digits(self) -> str:
        """The source with ASCII digits and without zero-width characters (where numbers and dates are found)."""
        return ascii_digits(self.source)

    @cached_property
    def tgt_digits(self) -> str:
        return ascii_digits(self.target)

    @cached_property
    def src_dates(self) -> list[DateMention]:
        return find_dates(self.src_digits, self.src_lang)

    @cached_property
    def tgt_dates(self) -> list[DateMention]:
        """Dates of the target, read as the target language; a date left in the source's language (an
        untranslated stretch: "May 2016" in a Khmer box) counts as a date too, not as loose numbers."""
        found = find_dates(self.tgt_digits, self.tgt_lang)
        if self.src_lang != self.tgt_lang and SCRIPT_CHAR[self.src_lang].search(self.tgt_clean):
            taken = [d.span for d in found]
            found += [d for d in find_dates(self.tgt_digits, self.src_lang)
                      if not any(d.span[0] < b and a < d.span[1] for a, b in taken)]
            found.sort(key=lambda d: d.span)
        return found

    @cached_property
    def term_report(self):
        return self.glossary.check(self.source, self.target, self.src_lang, self.tgt_lang)

    @cached_property
    def protected(self) -> list[tuple[int, int]]:
        """Stretches of the target written as the glossary writes them (a preferred or admitted term, or the
        dashed or quoted part of one, e.g. «Россия – АСЕАН» of «саммит Россия – АСЕАН»): typography checks
        leave them alone, so the glossary's own form is never flagged."""
        return glossary_forms(self.glossary, self.target, self.tgt_lang) if self.glossary is not None else []

    def is_protected(self, span: tuple[int, int]) -> bool:
        return any(a <= span[0] and span[1] <= b for a, b in self.protected)

    def target_span(self, span: tuple[int, int]) -> tuple[int, int]:
        """A span of the target found without its zero-width characters, as a span of the target."""
        if not ZERO_WIDTH_RE.search(self.target):
            return span
        idx = [i for i, ch in enumerate(self.target) if ch not in ZERO_WIDTH]
        a, b = span
        n = len(self.target)
        return (idx[a] if a < len(idx) else n, (idx[b - 1] + 1) if 0 < b <= len(idx) else n)


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
    meta: dict[str, Any] | None = None,
) -> list[Finding]:
    """All enabled segment checks for one translation. ``settings``: see :mod:`workbench.qa.settings`.

    ``glossary``: see :class:`Pair`; the term checks run only with one. ``status``: the translation's
    status (an empty target that is confirmed is an error, otherwise a warning). ``meta``: the
    translation's meta; when it records inline codes (a TM match with formatting), the tags standing for
    them are checked by ``tags`` and the other checks see the text without them (spans still point into
    ``target``).
    """
    src_lang, tgt_lang = check_lang(src_lang), check_lang(tgt_lang)
    cfg = resolve(settings)
    codes = tm_codes(meta)
    plain, pos = plain_map(target or "", codes) if codes else (target or "", None)
    pair = Pair(source, plain, src_lang, tgt_lang, cfg, glossary, status, tagged=target or "", codes=codes)
    found: list[Finding] = []
    for c in checks("segment"):
        if not cfg["checks"][c.code] or (pair.blank and not c.blank_target):
            continue
        override = cfg["severity"].get(c.code)
        for hit in c.run(pair):
            f = c.finding(hit, tgt_lang, segment_id, override)
            if pos is not None and f.span and c.code not in _TAGGED_SPANS:
                f.span = _remap(f.span, pos)
            found.append(f)
    return merge_duplicates(found)


def merge_duplicates(findings: list[Finding]) -> list[Finding]:
    """One finding per check, severity and message: the same problem found at several places is one finding
    whose ``spans`` lists them all (``span`` is the first)."""
    out: dict[tuple[str, str, str], Finding] = {}
    for f in findings:
        key = (f.code, f.severity, f.message)
        seen = out.get(key)
        if seen is None:
            out[key] = f
            if f.span and not f.spans:
                f.spans = [f.span]
        elif f.span and f.span not in seen.spans:
            seen.spans = sorted([*seen.spans, f.span])
            seen.span = seen.spans[0]
    return list(out.values())


def glossary_forms(glossary, text: str, lang: str) -> list[tuple[int, int]]:
    """Where ``text`` has a preferred or admitted ``lang`` term of ``glossary`` (found with its inflections),
    or the part of one around a dash or inside quotes ("Россия – АСЕАН", "«Азия – Европа»")."""
    spans: list[tuple[int, int]] = []
    find = getattr(glossary, "find_terms", None)
    if find is not None:
        try:
            spans += [(h.start, h.end) for h in find(text, lang) if getattr(h, "status", "preferred")
                      in ("preferred", "admitted")]
        except Exception:  # a glossary that cannot search this text protects nothing
            spans = []
    folded = text.casefold()
    for piece in _typographic_pieces(glossary, lang):
        start = folded.find(piece)
        while start >= 0:
            spans.append((start, start + len(piece)))
            start = folded.find(piece, start + 1)
    return spans


_PIECE = re.compile(r"[«„\"“]?[^\W\d_][\w.-]*(?:\s*[–—-]\s*|\s+-\s+)[^\W\d_][\w.-]*[»“\"”]?")


def _typographic_pieces(glossary, lang: str) -> tuple[str, ...]:
    """The dashed word pairs (with their quotes) of the glossary's preferred and admitted ``lang`` terms,
    case-folded; remembered per glossary object."""
    cache = getattr(glossary, "_qa_pieces", None)
    if cache is None:
        cache = {}
        try:
            glossary._qa_pieces = cache
        except AttributeError:  # a read-only object: compute each time
            pass
    if lang not in cache:
        pieces: set[str] = set()
        concepts = getattr(glossary, "concepts", None)
        for concept in (concepts() if callable(concepts) else []):
            for term in concept.terms_in(lang):
                if term.status in ("preferred", "admitted"):
                    pieces.update(m.group(0).casefold() for m in _PIECE.finditer(term.text))
        cache[lang] = tuple(sorted(pieces, key=len, reverse=True))
    return cache[lang]


#: checks whose spans are already offsets in the tagged target
_TAGGED_SPANS = frozenset({"tags"})


def _remap(span: tuple[int, int], pos: list[int]) -> tuple[int, int]:
    """A span of the target without tags as a span of the tagged target (``pos``: from ``plain_map``)."""
    n = len(pos) - 1
    a = max(0, min(span[0], n))
    b = max(a, min(span[1], n))
    return (pos[a], pos[b - 1] + 1) if b > a else (pos[a], pos[a])


# ---------------------------------------------------------------------------------------- the checks
# Declaration order is the order findings come in.


@check(code="empty", severity="error", blank_target=True,
       description="target is empty (error once confirmed, warning before)")
def empty(p: Pair) -> Iterator[Hit]:
    if p.blank and p.source.strip():
        confirmed = p.status in CONFIRMED
        yield Hit("target is empty" + (" but marked " + p.status if confirmed else ""),
                  severity=None if confirmed else "warning")


_LETTER = re.compile(r"[^\W\d_]")


@check(code="untranslated", severity="warning",
       description="target equals the source, or has no letters of the target script")
def untranslated(p: Pair) -> Iterator[Hit]:
    if not p.src_clean.strip():
        return
    if " ".join(p.tgt_clean.split()).casefold() == " ".join(p.src_clean.split()).casefold() and re.search(
            r"[^\W\d_]{2,}", p.src_clean) and len(p.src_words) >= 2:
        yield Hit("target is the same as the source: not translated?")
    elif _LETTER.search(p.src_clean) and _LETTER.search(p.tgt_clean) and not SCRIPT_CHAR[p.tgt_lang].search(
            p.tgt_clean) and len(p.src_words) >= 2:
        yield Hit(f"target has no {SCRIPT_NAME[p.tgt_lang]} letters: not translated into {p.tgt_lang}?")
    elif len(p.src_words) >= 4 and SCRIPT_NAME[p.src_lang] != SCRIPT_NAME[p.tgt_lang]:
        letters = _LETTER.findall(p.tgt_clean)
        own = sum(1 for ch in letters if SCRIPT_CHAR[p.src_lang].match(ch))
        if letters and own / len(letters) >= 0.6:
            yield Hit(f"target is mostly in {SCRIPT_NAME[p.src_lang]} letters: partly not translated into "
                      f"{p.tgt_lang}?")


@check(code="length_ratio", severity="warning",
       description="target much longer or shorter than usual for the language pair")
def length_ratio(p: Pair) -> Iterator[Hit]:
    if len(p.src_clean.strip()) < p.settings["min_length_ratio_chars"]:
        return
    pair = f"{p.src_lang}-{p.tgt_lang}"
    bounds = p.settings["length_ratio"].get(pair) or LENGTH_RATIO.get(pair)
    if not bounds:
        return
    ratio = len(p.tgt_clean.strip()) / len(p.src_clean.strip())
    lo, hi = bounds
    if ratio < lo:
        yield Hit(f"target is short for {pair}: {ratio:.2f}x the source length (usual ≥ {lo})")
    elif ratio > hi:
        yield Hit(f"target is long for {pair}: {ratio:.2f}x the source length (usual ≤ {hi})")


def _unpaired(a: list, b: list) -> tuple[list, list]:
    """Pair mentions (numbers or dates) of ``a`` and ``b`` that share a reading, greedily in order; return
    the unpaired ones of ``a`` and of ``b``."""
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


@check(code="date_mismatch", severity="error",
       description="dates differ (written-out and numeric dates, all three languages)")
def date_mismatch(p: Pair) -> Iterator[Hit]:
    miss, extra = _unpaired(p.src_dates, p.tgt_dates)
    for d in miss:
        yield Hit(f"date '{d.text}' of the source is not in the target")
    for d in extra:
        yield Hit(f"date '{d.text}' in the target is not in the source", p.target_span(d.span))


@check(code="number_mismatch", severity="error",
       description="numbers differ (after normalising digits and number formats)")
def number_mismatch(p: Pair) -> Iterator[Hit]:
    # numbers inside dates are compared as dates (unless that check is off)
    dates_checked = p.enabled("date_mismatch")
    s_nums = find_numbers(p.src_digits, p.src_lang, skip=[d.span for d in p.src_dates] if dates_checked else [])
    t_nums = find_numbers(p.tgt_digits, p.tgt_lang, skip=[d.span for d in p.tgt_dates] if dates_checked else [])
    miss, extra = _unpaired(s_nums, t_nums)
    if not (miss or extra):
        return
    # a number written as a word on the other side is accepted ("five" <-> 5)
    s_words, t_words = number_words(p.source, p.src_lang), number_words(p.target, p.tgt_lang)
    for n in miss:
        hit = next((v for v in n.values if t_words.get(v)), None)
        if hit is not None:
            t_words[hit] -= 1
            continue
        yield Hit(f"number {n.text} of the source is not in the target")
    for n in extra:
        hit = next((v for v in n.values if s_words.get(v)), None)
        if hit is not None:
            s_words[hit] -= 1
            continue
        yield Hit(f"number {n.text} in the target is not in the source", p.target_span(n.span))


_CLOSERS = CLOSING_MARKS + " \t\u00a0\u202f" + ZERO_WIDTH
_KIND_MARK = {"question": "?", "exclamation": "!", "ellipsis": "…", "colon": ":", "semicolon": ";"}


def _end_class(text: str) -> tuple[str | None, int]:
    """The kind of sentence-final mark of ``text`` (see ``FINAL_MARKS``) and its offset."""
    t = text.rstrip(_CLOSERS)
    if not t:
        return None, 0
    if t.endswith("..."):
        return "ellipsis", len(t) - 3
    return FINAL_MARKS.get(t[-1]), len(t) - 1


@check(code="end_punctuation", severity="warning",
       description="sentence-final punctuation differs (., ?, !, … ; Khmer ។)")
def end_punctuation(p: Pair) -> Iterator[Hit]:
    s_cls, _ = _end_class(p.src_clean)
    t_cls, t_pos = _end_class(p.tgt_clean)
    t_stripped = p.tgt_clean.rstrip(_CLOSERS)
    if s_cls != t_cls:
        got = t_stripped[-1:] if t_cls else "none"
        span = p.target_span((t_pos, t_pos + 1)) if t_cls else None
        if s_cls:
            want = FULL_STOP[p.tgt_lang] if s_cls == "period" else _KIND_MARK[s_cls]
            yield Hit(f"source ends with {want}, target with {got}", span)
        else:
            yield Hit(f"source has no final punctuation, target ends with {got}", span)
    elif t_cls == "period":
        last = t_stripped[-1]
        if p.tgt_lang == "km" and last == ".":
            yield Hit("Khmer sentence ends with '.': use ។")
        elif p.tgt_lang != "km" and last in "។៕":
            yield Hit(f"{p.tgt_lang} sentence ends with Khmer {last}: use '.'")


@check(code="ru_quotes", severity="warning", description="Russian target uses \"\" or “” instead of «» („“ inside)")
def ru_quotes(p: Pair) -> Iterator[Hit]:
    if p.tgt_lang != "ru":
        return
    inner = re.sub(r"„[^“”\"«»]*“", lambda m: " " * len(m.group(0)), p.target)  # offsets kept
    spans = [m.span() for m in re.finditer(r"[\"“”]", inner) if not p.is_protected(m.span())]
    if spans:
        yield Hit("use «ёлочки» for Russian quotes („лапки“ inside them)", spans[0])


@check(code="ru_dash", severity="warning",
       description="Russian target uses a hyphen or en dash between words instead of —")
def ru_dash(p: Pair) -> Iterator[Hit]:
    if p.tgt_lang != "ru":
        return
    for m in re.finditer(r"(?<=\S)(?:\s+(?:-|--|–)\s+|--)(?=\S)", p.target):
        if not p.is_protected(m.span()):
            yield Hit(f"'{m.group(0).strip()}' between words: use an em dash — with spaces", m.span())


@check(code="double_space", severity="warning", description="two or more spaces in a row")
def double_space(p: Pair) -> Iterator[Hit]:
    for m in re.finditer(r"(?<=\S)[ \u00a0]{2,}(?=\S)", p.target):
        yield Hit("double space", m.span())


@check(code="edge_space", severity="info", description="target starts or ends with whitespace")
def edge_space(p: Pair) -> Iterator[Hit]:
    t = p.target
    if t != t.strip(" \t\n\u00a0" + ZERO_WIDTH) or t.strip() != t:
        yield Hit("target starts or ends with a space")


@check(code="space_before_punct", severity="warning", description="space before , . ; : ! ? (English, Russian)")
def space_before_punct(p: Pair) -> Iterator[Hit]:
    if p.tgt_lang not in ("en", "ru"):
        return
    t = p.target
    for m in re.finditer(r"(?<=[^\W_])[ \u00a0]+[,.;:!?](?!\d)", t):
        if t[m.end() - 1] == "." and t[m.end():m.end() + 2] == "..":
            continue
        yield Hit(f"space before '{t[m.end() - 1]}'", m.span())


#: Words that are correctly written twice in a row ("I know that that is true", "так так").
_REPEAT_OK = {"en": {"had", "that", "is", "bye", "no", "very"}, "ru": {"что", "так", "да", "нет", "ну"}}
_KHMER_CHUNKS = re.compile(r"[\u17d4-\u17da,.;:!?()\[\]{}«»“”\"'\-–—]")  # Khmer and other punctuation


@check(code="repeated_word", severity="warning", description="the same word twice in a row")
def repeated_word(p: Pair) -> Iterator[Hit]:
    t = p.target
    ok = _REPEAT_OK.get(p.tgt_lang, set())
    for m in re.finditer(r"(?<![^\W_])([^\W\d_]+)\s+(\1)(?![^\W_])", t, re.I):
        a, b = m.group(1), m.group(2)
        at_start = not t[:m.start()].strip() or t[:m.start()].rstrip()[-1] in ".!?…។:;«\"“„("
        # a capitalised pair inside a sentence is taken as a name ("Pago Pago"); "The The" at the start is not
        name = a[:1].isupper() and b[:1].isupper() and not at_start
        if KHMER_CHAR.search(a) or a.lower() in ok or name:
            continue
        yield Hit(f"repeated word '{m.group(0)}'", m.span())
    if KHMER_CHAR.search(t):  # Khmer: words are not spaced; segment each run between punctuation
        for chunk in _KHMER_CHUNKS.split(t):
            toks = words(chunk)
            for x, y in zip(toks, toks[1:]):
                if x == y and KHMER_CHAR.search(x) and len(x) >= 2 and not x.endswith("ៗ"):
                    yield Hit(f"repeated word '{x} {y}'")
                    break


_CLOSING = {v: k for k, v in BRACKETS.items()}


def imbalance(text: str) -> list[str]:
    """Descriptions of unbalanced brackets/quotes in ``text`` (empty list if balanced)."""
    problems: list[str] = []
    stack: list[str] = []
    # curly English quotes pair as “ ”; „ (Russian/German low) closes with “.
    for ch in text:
        if ch in BRACKETS:
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


@check(code="unbalanced", severity="warning",
       description="unbalanced brackets or quotes (when the source is balanced)")
def unbalanced(p: Pair) -> Iterator[Hit]:
    problems = imbalance(p.target)
    if problems and not imbalance(p.source):
        yield Hit("unbalanced: " + "; ".join(problems))


@check(code="tags", severity="warning",
       description="a tag of the TM match's formatting (<g1>…</g1>, <x2/>) is missing, repeated or out of order")
def tags(p: Pair) -> Iterator[Hit]:
    for message, span in tag_problems(p.tagged, p.codes):
        yield Hit(message, span)


def _term_hits(p: Pair, kind: str) -> Iterator[Hit]:
    """Hits for the glossary report's ``kind`` items (dicts with ``source``, ``target``, and for problems a
    ``severity``, a one-line ``message`` and the ``target_start``/``target_end`` of the term used)."""
    if p.glossary is None:
        return
    for item in getattr(p.term_report, kind, None) or []:
        msg = item.get("message") or ""
        if not msg:
            if kind == "missing":
                msg = f"term '{item.get('source') or ''}' should be translated as '{item.get('target') or ''}'"
            else:
                msg = f"{kind} term '{item.get('used') or item.get('target') or ''}' used"
        start, end = item.get("target_start"), item.get("target_end")
        span = (start, end) if isinstance(start, int) and isinstance(end, int) else None
        sev = item.get("severity")  # a missing term that needs review is only "info"
        yield Hit(msg, span, sev if kind == "missing" and sev in SEVERITIES else None)


@check(code="term_forbidden", severity="error", description="a forbidden glossary term is used")
def term_forbidden(p: Pair) -> Iterator[Hit]:
    return _term_hits(p, "forbidden")


@check(code="term_deprecated", severity="warning", description="a deprecated glossary term is used")
def term_deprecated(p: Pair) -> Iterator[Hit]:
    return _term_hits(p, "deprecated")


@check(code="term_missing", severity="warning",
       description="a glossary term of the source lacks its preferred translation")
def term_missing(p: Pair) -> Iterator[Hit]:
    return _term_hits(p, "missing")
