"""TM matching: the normalised form of a text, its index tokens and exact-match key, and the match % of one
text for another.

Exact: texts equal after :func:`normalize` (Unicode NFC, invisible characters removed, all whitespace runs incl.
no-break spaces -> one space, typographic quotes -> ASCII, any script's decimal digits -> ASCII) = 100 %.
Fuzzy (:func:`similarity`): ``rapidfuzz.fuzz.ratio`` on case-folded normalised text (``ё`` = ``е``), minus
penalties: a case-only difference 1, each added, removed or changed number 5 (at most 15), a different
punctuation sequence 2. A fuzzy match never reaches 100; the flags say which penalties applied (``case``,
``numbers``, ``punctuation``) so an editor can highlight them.

The normalised form and the keys derived from it are stored in the memory file: changing them needs a
schema migration that re-indexes every unit.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.meta import TmMeta
from ..text.digits import decimal_to_ascii
from ..text.scripts import INVISIBLE, KHMER_CLUSTER, KHMER_RUN

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'", "\u203a": "'", "\u2032": "'",
    "\u00b4": "'", "`": "'",
})
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """The exact-match form: NFC, one space for any whitespace run, ASCII quotes and digits, trimmed."""
    s = unicodedata.normalize("NFC", text or "")
    s = decimal_to_ascii(_INVISIBLE.sub("", s).translate(_QUOTES))
    return _SPACES.sub(" ", s).strip()


def fold(norm: str) -> str:
    """The fuzzy-match form of a normalised text: case-folded, ``ё`` = ``е``."""
    return norm.casefold().replace("ё", "е")


def _numbers(norm: str) -> Counter:
    return Counter(n.replace(",", "").replace(".", "") if _THOUSANDS.fullmatch(n) else n
                   for n in _NUMBER.findall(norm))


def _punct(norm: str) -> str:
    return "".join(c for c in norm if unicodedata.category(c).startswith("P"))


def index_tokens(folded: str) -> list[str]:
    """Index tokens of a folded text: words; in Khmer (no spaces), pairs of adjacent character clusters."""
    out: list[str] = []
    pos = 0
    for m in KHMER_RUN.finditer(folded):
        out += _WORD.findall(folded[pos:m.start()])
        clusters = KHMER_CLUSTER.findall(m.group())
        if len(clusters) == 1:
            out.append(clusters[0])
        out += [a + b for a, b in zip(clusters, clusters[1:])]
        pos = m.end()
    out += _WORD.findall(folded[pos:])
    return out


@functools.lru_cache(maxsize=1 << 18)
def _hash_token(lang: str, token: str) -> str:
    # lang inside the hash: one index serves every language without mixing them
    b = f"{lang}\x1f{token}".encode()
    return f"t{zlib.crc32(b):08x}{zlib.adler32(b):08x}"


def hash_tokens(tokens: Iterable[str], lang: str) -> list[str]:
    """The tokens as stored in the full-text index (hashed with the language)."""
    return [_hash_token(lang, t) for t in tokens]


def text_key(norm: str) -> int:
    """Exact-match key: a signed 64-bit hash of the normalised text (equal texts, equal keys)."""
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big",
                          signed=True)


def similarity(query: str, candidate: str) -> tuple[float, list[str]]:
    """Match % of ``candidate`` for ``query`` (100 = exact after :func:`normalize`) and the penalty flags."""
    from rapidfuzz import fuzz

    qn, cn = normalize(query), normalize(candidate)
    if qn == cn:
        return 100.0, []
    qf, cf = fold(qn), fold(cn)
    flags: list[str] = []
    penalty = 0.0
    if qf == cf:
        base = 100.0
        penalty += 1
        flags.append("case")
    else:
        base = fuzz.ratio(qf, cf)
    qnum, cnum = _numbers(qn), _numbers(cn)
    if qnum != cnum:
        diff = max(sum((qnum - cnum).values()), sum((cnum - qnum).values()))  # a changed number counts once
        penalty += min(15, 5 * diff)
        flags.append("numbers")
    if _punct(qn) != _punct(cn):
        penalty += 2
        flags.append("punctuation")
    return round(max(0.0, min(99.0, base - penalty)), 1), flags


@dataclass
class TmMatch:
    """One TM hit for a lookup: the stored source and its translation, with the match %."""

    source: str
    target: str
    score: float
    src_lang: str
    tgt_lang: str
    tm: str
    unit_id: int
    tuid: str | None = None
    flags: list[str] = field(default_factory=list)
    changedate: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    src_tag: str = ""                 # the language tags of the two variants (en-GB); "" = src_lang/tgt_lang
    tgt_tag: str = ""
    target_markup: str | None = None  # the target's <seg> content when it has inline codes
    variant_ord: int = 0

    @property
    def exact(self) -> bool:
        return self.score >= 100.0

    def tagged_target(self) -> tuple[str, list[dict]]:
        """The target with a tag for each inline code (``<g1>…</g1>``, ``<x2/>``) and the codes
        (:mod:`workbench.tm.tags`); the plain target and ``[]`` when it has none."""
        if not self.target_markup:
            return self.target, []
        from lxml import etree

        from .tags import from_markup

        try:
            tagged, codes = from_markup(self.target_markup)
        except etree.XMLSyntaxError:  # markup the workbench did not write: the plain text is still right
            return self.target, []
        return (tagged, codes) if codes else (self.target, [])

    @property
    def tagged(self) -> str:
        """The target as a translator sees it: with its inline codes as tags."""
        return self.tagged_target()[0]

    def as_tm_meta(self) -> TmMeta:
        """The ``meta["tm"]`` section a segment filled from this match carries (with the target's inline
        codes, which the tags in the filled text stand for)."""
        return TmMeta(match=self.score, tm=self.tm, unit=self.unit_id, source=self.source, tuid=self.tuid,
                      flags=list(self.flags), codes=self.tagged_target()[1])

    def as_meta(self) -> dict:
        """:meth:`as_tm_meta` as its JSON dict."""
        return self.as_tm_meta().as_dict()
