"""Term mining: glossary candidates (an English term and its translation) from aligned sentence pairs — a TMX
file, the translation memory or a project's confirmed and aligned translations.

Method:

1. *Candidates on each side* (:mod:`workbench.glossary.phrases`): English phrases bounded by content words,
   Russian phrases keyed by their lemmas (so every case form counts as one), Khmer phrases from khmercut
   words.
2. *Document frequency* of every candidate over the pairs; English candidates seen in fewer than
   ``min_count`` pairs are dropped, and so is one that nearly always occurs inside a longer candidate
   (*CoV* inside *SARS-CoV*: the longer one is the term).
3. *Association*: for every English candidate, every target candidate that shares at least ``min_count``
   pairs with it is scored with the Dice coefficient ``2·both / (source pairs + target pairs)``; the best one
   is the translation (ties: more shared pairs, then the longer phrase, so «вспышка коронавируса» wins over
   «вспышка» for *coronavirus outbreak*).
4. *Ranking*: ``score = dice · (1 − 1/√both) · r``, where ``r`` (the reverse check) is how close the
   English candidate comes to being the target's own best English partner; frequent, one-to-one pairs come
   first.
5. *The glossary*: a candidate whose English is already a glossary term is left out (``include_known``
   keeps it, with a note); a mined translation that is a deprecated or forbidden glossary term is always
   reported, flagged, since it shows a wrong form in use. Rejected pairs (:class:`Rejections`) are not
   proposed again.

The result keeps the pairs, so each candidate's examples can be shown in context.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..core.config import LANGUAGES, check_lang
from ..core.errors import InputError
from ..core.safeio import csv_safe_cell
from ..text.scripts import ZERO_WIDTH_RE
from .lexicon import Lexicon
from .match import en_singular
from .model import BAD_STATUSES, GOOD_STATUSES
from .phrases import base_form, phrases, ru_word

Progress = Callable[[int, int], None]

#: a candidate inside a longer one in at least this share of its pairs is dropped (the longer one stays)
NESTED_SHARE = 0.9
#: the word translation table is learned from at most about this many pairs (evenly spread)
LEXICON_PAIRS = 10_000
#: weight of the word translation table against co-occurrence (Dice · lexical^weight)
FWD_WEIGHT = 1.0
BWD_WEIGHT = 0.5
REV_WEIGHT = 0.5
#: target candidates kept per English candidate when looking for deprecated/forbidden variants
ALTERNATIVES = 5
#: translations proposed per English candidate: the best, and others in use that are mostly its translation
#: (their association with it at least VARIANT_REV of their best with any English candidate)
VARIANTS = 3
VARIANT_REV = 0.5
#: a longer translation holding the best one wins when it comes with it (NESTED_SHARE of its pairs) and
#: is nearly as strongly associated (LONGER_SHARE)
LONGER_SHARE = 0.8
#: English partners remembered per target candidate for the reverse check
RIVALS = 6


@dataclass(frozen=True)
class Pair:
    """One aligned pair: source and target text, and where it comes from (a TMX ``tuid``, a segment)."""

    source: str
    target: str
    ref: str = ""


@dataclass
class Candidate:
    """A mined term pair. ``count``: pairs holding both; ``source_count``/``target_count``: pairs holding each;
    ``examples``: indices into :attr:`MiningResult.pairs` (shortest first); ``known``: the concept whose
    English term this is; ``flag``: ``deprecated``/``forbidden`` when the translation is such a glossary
    term; ``note``: a line for the reviewer."""

    source: str
    target: str
    count: int
    score: float
    dice: float
    source_key: str
    target_key: str
    source_count: int
    target_count: int
    examples: list[int] = field(default_factory=list)
    known: str | None = None
    flag: str | None = None
    note: str = ""
    #: 1 for the best translation of the English candidate, 2, 3... for other translations in use
    rank: int = 1

    @property
    def key(self) -> tuple[str, str]:
        return self.source_key, self.target_key


@dataclass
class MiningResult:
    src_lang: str
    tgt_lang: str
    candidates: list[Candidate]
    pairs: list[Pair]
    origin: str = ""
    #: pairs read, pairs used (both sides non-empty)
    read: int = 0

    def examples(self, cand: Candidate, limit: int = 3) -> list[Pair]:
        return [self.pairs[i] for i in cand.examples[:limit]]

    def spans(self, cand: Candidate, pair: Pair) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Where the candidate's two sides are in an example pair (character spans, for highlighting)."""
        return (_spans(pair.source, self.src_lang, cand.source_key),
                _spans(pair.target, self.tgt_lang, cand.target_key))


def _spans(text: str, lang: str, key: str) -> list[tuple[int, int]]:
    hits = sorted({(p.start, p.end) for p in phrases(text, lang) if p.key == key})
    out: list[tuple[int, int]] = []
    for s, e in hits:
        if not out or s >= out[-1][1]:
            out.append((s, e))
    return out


# ------------------------------------------------------------------------------------------ mining


class _Side:
    """Candidates of one language over all pairs: ids, document frequency, surface forms."""

    def __init__(self, lang: str):
        self.lang = lang
        self.ids: dict[str, int] = {}
        self.keys: list[str] = []
        self.words: list[int] = []
        self.df: list[int] = []
        self.surfaces: list[Counter | str] = []  # a candidate seen once keeps its one form (memory)
        self.parts: list[tuple] = []
        self._shown: dict[tuple[int, str | None], str] = {}

    def add(self, text: str) -> set[int]:
        seen: set[int] = set()
        for p in phrases(text, self.lang):
            i = self.ids.get(p.key)
            if i is None:
                i = self.ids[p.key] = len(self.keys)
                self.keys.append(p.key)
                self.words.append(p.words)
                self.df.append(0)
                self.surfaces.append(text[p.start:p.end])
                self.parts.append(p.parts)
            else:
                forms = self.surfaces[i]
                if isinstance(forms, str):
                    forms = self.surfaces[i] = Counter({forms: 1})
                forms[text[p.start:p.end]] += 1
            if i not in seen:
                seen.add(i)
                self.df[i] += 1
        return seen

    def modifier(self, i: int) -> bool:
        """A Russian adjective alone (not a translation of a multi-word English term: *clinical trials* is
        not «клинический»)."""
        return self.lang == "ru" and self.words[i] == 1 and ru_word(self.keys[i])[1] == "A"

    def word_ids(self, i: int) -> tuple[int, ...]:
        """The single-word candidates making up candidate ``i`` (its content words)."""
        return tuple(j for j in (self.ids.get(k) for k in self.parts[i]) if j is not None)

    def display(self, i: int, number: str | None = None) -> str:
        """The form to show: the most frequent one (lower case preferred over a capitalised sentence start),
        Russian in its dictionary form, in ``number`` (``sing``/``plur``) if given."""
        shown = self._shown.get((i, number))
        if shown is None:
            shown = self._shown[(i, number)] = self._display(i, number)
        return shown

    def _display(self, i: int, number: str | None) -> str:
        counts = self.surfaces[i]
        if isinstance(counts, str):
            counts = Counter({counts: 1})
        forms = counts.most_common()
        best = forms[0][0]
        total = sum(n for _, n in forms)
        if best[:1].isupper() and not best.isupper():
            low = best[:1].lower() + best[1:]
            n_low = counts.get(low, 0)
            if n_low * 4 >= total:
                best = low
        return re.sub(r"\s+", " ", ZERO_WIDTH_RE.sub("", base_form(best, self.lang, number))).strip()


def _nested(side: _Side, kept: set[int]) -> set[int]:
    """Candidates that occur inside a longer kept candidate in nearly all of their pairs."""
    longest_super: dict[int, int] = {}
    for j in kept:
        if side.words[j] < 2:
            continue
        parts = side.keys[j].split(" ")
        n = len(parts)
        for a in range(n):
            for b in range(a + 1, n + 1):
                if b - a == n:
                    continue
                i = side.ids.get(" ".join(parts[a:b]))
                if i is not None and i in kept and side.df[j] > longest_super.get(i, 0):
                    longest_super[i] = side.df[j]
    # a single word goes only when it never occurs alone (incubation stays beside incubation period)
    return {i for i, df in longest_super.items()
            if df >= (NESTED_SHARE if side.words[i] > 1 else 1.0) * side.df[i]}


def mine(pairs: Iterable[Pair | tuple], src_lang: str = "en", tgt_lang: str = "ru", *, glossary=None,
         min_count: int = 2, top: int | None = None, include_known: bool = False,
         rejected: set[tuple[str, str]] | None = None, progress: Progress | None = None,
         total: int | None = None, origin: str = "") -> MiningResult:
    """Mine term candidates from aligned ``pairs`` (:class:`Pair` or ``(source, target[, ref])``).

    ``glossary``: known terms are left out (kept, with a note, when ``include_known``); deprecated/forbidden
    translations are flagged. ``rejected``: ``(source_key, target_key)`` pairs never proposed.
    ``progress(done, total)`` is called while the pairs are read (``total`` if known, else 0) and once per
    later step. Raises :class:`InputError` when no pair has text on both sides."""
    src_lang, tgt_lang = check_lang(src_lang, LANGUAGES), check_lang(tgt_lang, LANGUAGES)
    if src_lang == tgt_lang:
        raise InputError(f"source and target language are both {src_lang!r}: give two different languages")
    min_count = max(1, int(min_count))
    rejected = rejected or set()
    src, tgt = _Side(src_lang), _Side(tgt_lang)
    kept_pairs: list[Pair] = []
    unit_src: list[set[int]] = []
    unit_tgt: list[set[int]] = []
    read = 0
    steps = 3
    for raw in pairs:
        read += 1
        pair = raw if isinstance(raw, Pair) else Pair(*raw)
        if not (pair.source or "").strip() or not (pair.target or "").strip():
            continue
        kept_pairs.append(pair)
        unit_src.append(src.add(pair.source))
        unit_tgt.append(tgt.add(pair.target))
        if progress and read % 50 == 0:
            progress(read, (total or 0) + steps if total else 0)
    if not kept_pairs:
        where = f"{origin}: " if origin else ""
        among = f" among the {read} read" if read else ""
        raise InputError(f"{where}no {src_lang}-{tgt_lang} pairs with text on both sides{among}: "
                         f"give a source with {src_lang} and {tgt_lang} translations")
    n_total = read + steps
    if progress:
        progress(read, n_total)

    # 2. frequent candidates; nested ones out
    s_kept = {i for i, df in enumerate(src.df) if df >= min_count}
    s_kept -= _nested(src, s_kept)
    t_kept = {i for i, df in enumerate(tgt.df) if df >= min_count}
    postings: dict[int, list[int]] = {}
    co: dict[int, Counter] = {}
    for u, (ss, ts) in enumerate(zip(unit_src, unit_tgt)):
        es = ss & s_kept
        if not es:
            continue
        tk = [t for t in ts if t in t_kept]
        for e in es:
            postings.setdefault(e, []).append(u)
            c = co.get(e)
            if c is None:
                c = co[e] = Counter()
            c.update(tk)
    if progress:
        progress(read + 1, n_total)

    # 3. association: Dice over the pairs, weighed by the word translation table
    words_src = {i for i, w in enumerate(src.words) if w == 1 and src.df[i] >= 2}
    words_tgt = {i for i, w in enumerate(tgt.words) if w == 1 and tgt.df[i] >= 2}
    step = max(1, len(unit_src) // LEXICON_PAIRS)  # a big memory: learn the word table from a sample
    lex = Lexicon.train([(sorted(ss & words_src), sorted(ts & words_tgt))
                         for ss, ts in zip(unit_src[::step], unit_tgt[::step])])
    if progress:
        progress(read + 2, n_total)
    partners: dict[int, list[tuple[float, int]]] = {}
    scored: dict[int, list[tuple[float, float, int, int]]] = {}
    for e, c in co.items():
        dfe = src.df[e]
        ew = src.word_ids(e)
        lst = []
        for t, both in c.items():
            if both < min_count:
                continue
            d = 2.0 * both / (dfe + tgt.df[t])
            fwd, bwd = lex.phrase_scores(ew, tgt.word_ids(t))
            a = d * fwd ** FWD_WEIGHT * bwd ** BWD_WEIGHT
            lst.append((a, d, both, t))
            partners.setdefault(t, []).append((a, e))
        if lst:
            scored[e] = lst
    for p in partners.values():
        p.sort(reverse=True)
        del p[RIVALS:]

    def rev(e: int, t: int, a: float) -> float:
        """The reverse check: ``a`` against the target's best association with an English candidate that is
        not ``e``, a part of it or a phrase holding it (*mortality* does not compete with *mortality rate*)."""
        rival = next((a2 for a2, e2 in partners[t] if e2 != e and not _inside(src.keys[e2], src.keys[e], src_lang)
                      and not _inside(src.keys[e], src.keys[e2], src_lang)), 0.0)
        return 1.0 if a >= rival else a / rival

    for e, lst in scored.items():
        lst[:] = [(a * rev(e, t, a) ** REV_WEIGHT, a, d, both, t) for a, d, both, t in lst]
        lst.sort(key=lambda x: (x[0], x[3], tgt.words[x[4]]), reverse=True)
        del lst[ALTERNATIVES:]

    # 4. pick (the best translation, and other frequent ones in use), rank, check against the glossary
    out: list[Candidate] = []
    for e, lst in scored.items():
        choices = [x for x in lst if (src.keys[e], tgt.keys[x[4]]) not in rejected
                   and not (src.words[e] > 1 and tgt.modifier(x[4]))]
        if not choices:
            continue
        best = choices[0]
        for x in choices[1:]:  # the whole phrase rather than its part when they come together
            if (_inside(tgt.keys[best[4]], tgt.keys[x[4]], tgt_lang) and x[3] >= NESTED_SHARE * best[3]
                    and x[1] >= LONGER_SHARE * best[1]):
                best = x
        chosen = [best]
        for x in choices:
            if x is best:
                continue
            if len(chosen) >= VARIANTS:
                break
            if rev(e, x[4], x[1]) < VARIANT_REV:  # mostly another term's translation
                continue
            # a part of a translation already chosen, not used more often on its own: a fragment
            if any(_inside(tgt.keys[x[4]], tgt.keys[c[4]], tgt_lang) and x[3] <= c[3] for c in chosen):
                continue
            chosen.append(x)
        rows = []
        for rank, (_, a, d, both, t) in enumerate(chosen, start=1):
            cand = _candidate(src, tgt, e, t, a, d, both, rev(e, t, a), unit_tgt, postings, kept_pairs)
            cand.rank = rank
            rows.append(cand)
        if glossary is not None:
            for cand in rows:
                _glossary_note(glossary, cand, src_lang, tgt_lang)
            for _, a, d, both, t in choices[len(chosen):]:  # a frequent wrong form in use: show it too
                alt = _candidate(src, tgt, e, t, a, d, both, rev(e, t, a), unit_tgt, postings, kept_pairs)
                _glossary_note(glossary, alt, src_lang, tgt_lang)
                if alt.flag:
                    alt.rank = len(rows) + 1
                    rows.append(alt)
        for cand in rows:
            if cand.rank > 1:
                cand.note = "; ".join(x for x in (f"another translation of {cand.source} in use", cand.note) if x)
            if include_known or not cand.known or cand.flag:
                out.append(cand)
    out.sort(key=lambda c: (-c.score, -c.count, c.source))
    if top:
        out = out[:top]
    if progress:
        progress(n_total, n_total)
    return MiningResult(src_lang, tgt_lang, out, kept_pairs, origin, read)


def _candidate(src: _Side, tgt: _Side, e: int, t: int, assoc: float, dice: float, both: int, rev: float,
               unit_tgt: list[set[int]], postings: dict, pairs: list[Pair]) -> Candidate:
    score = assoc * (1.0 - 1.0 / math.sqrt(both)) * rev if both > 1 else 0.0
    units = [u for u in postings.get(e, ()) if t in unit_tgt[u]]
    units.sort(key=lambda u: len(pairs[u].source) + len(pairs[u].target))
    source = src.display(e)
    target = tgt.display(t, _number(source) if tgt.lang == "ru" and src.lang == "en" else None)
    if source[:1].islower() and target[:1].isupper() and not target.split()[0].isupper():
        target = target[:1].lower() + target[1:]  # «Министры» at a sentence start, for *ministers*
    return Candidate(source, target, both, round(score, 4), round(dice, 4), src.keys[e],
                     tgt.keys[t], src.df[e], tgt.df[t], examples=units[:10])


def _number(english: str) -> str:
    """``plur`` when an English term ends in a plural (*countries*), else ``sing``: the Russian follows it."""
    last = english.rsplit(None, 1)[-1] if english.strip() else ""
    if last.isalpha() and not last.isupper() and en_singular(last.lower()) != last.lower():
        return "plur"
    return "sing"


def _inside(a: str, b: str, lang: str) -> bool:
    """Is candidate key ``a`` a part of key ``b`` (whole words; Khmer keys have no spaces)?"""
    if lang == "km":
        return a in b
    return f" {a} " in f" {b} "


def _covers(hits, text: str) -> list:
    """Hits that cover the whole text (ignoring surrounding spaces and quotes)."""
    core = text.strip(" \"'«»“”")
    start = text.find(core)
    return [h for h in hits if h.start <= start and h.end >= start + len(core)]


def _glossary_note(glossary, cand: Candidate, src_lang: str, tgt_lang: str) -> None:
    """Mark a candidate whose source is a glossary term (``known``) and one whose translation is a
    deprecated/forbidden glossary term (``flag``), with a note for the reviewer."""
    notes = []
    known = _covers(glossary.find_terms(cand.source, src_lang), cand.source)
    concept = known[0].concept if known else None
    if concept is not None:
        cand.known = concept.id
        pref = concept.preferred(tgt_lang)
        good = {h.concept_id for h in glossary.find_all(cand.target, tgt_lang) if h.term.status in GOOD_STATUSES}
        if concept.id in good:
            notes.append(f"known: {concept.id} (same as the glossary)")
        elif pref is not None:
            notes.append(f"known: {concept.id} (glossary: {pref.text})")
        else:
            notes.append(f"known: {concept.id} (no {tgt_lang} term in the glossary)")
    for h in glossary.find_all(cand.target, tgt_lang):
        if h.term.status in BAD_STATUSES:
            cand.flag = h.term.status if cand.flag != "forbidden" else cand.flag
            pref = h.concept.preferred(tgt_lang)
            use = f"; use {pref.text}" if pref is not None else ""
            notes.append(f"{h.term.status} in the glossary: {h.matched} ({h.concept_id}{use})")
    cand.note = "; ".join(notes)


# ------------------------------------------------------------------------------------------ output

TSV_EXTRA = ("note",)


def tsv_header(tgt_lang: str, src_lang: str = "en") -> list[str]:
    return [src_lang, tgt_lang, "count", "score", f"example_{src_lang}", "example_target", *TSV_EXTRA]


def _cell(s: str) -> str:
    """One TSV cell: no tabs or line breaks; a cell that a spreadsheet would run as a formula is neutralised."""
    return csv_safe_cell(re.sub(r"[\t\r\n]+", " ", s or "").strip())


def to_tsv(result: MiningResult) -> str:
    """The candidates as TSV, best first: ``en``, the target language, ``count``, ``score``, ``example_en``,
    ``example_target``, ``note`` (known term, deprecated/forbidden variant). A cell a spreadsheet would run as
    a formula (``=…``, ``+…``) gets an apostrophe in front."""
    lines = ["\t".join(tsv_header(result.tgt_lang, result.src_lang))]
    for c in result.candidates:
        ex = result.examples(c, 1)
        es, et = (ex[0].source, ex[0].target) if ex else ("", "")
        lines.append("\t".join(_cell(x) for x in (c.source, c.target, str(c.count), f"{c.score:.4f}", es, et,
                                                   c.note)))
    return "\n".join(lines) + "\n"
