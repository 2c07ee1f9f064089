"""Word-translation evidence: a shipped bilingual lexicon per language pair, and an in-document lexicon
learnt from the first pass's confident links (as hunalign does).

The shipped tables (``workbench/data/align/en-km.tsv.gz``, ``en-ru.tsv.gz``; rebuilt by
``scripts/build_align_lexicon.py`` from TICO-19, the FLORES-200 dev split and the glossary with IBM Model 1)
list ``english_key<TAB>target_key<TAB>p`` lines. Keys are normalised words (:func:`word_keys`): lower case,
English and Russian cut to a stem of ``STEM`` letters, Khmer words as khmercut segments them, function words
left out.

For alignment each English key in a sentence becomes the item ``x:<key>``; each target word becomes the items
``x:<english key>`` of its translations. The overlap of the items of two blocks of sentences is the evidence
(:class:`~workbench.align.scorer.Scorer`, term ``w_tr``).
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from ..core.config import PACKAGE_DATA
from ..text.digits import KHMER_DIGITS
from ..text.scripts import KHMER_CHAR
from ..text.tokens import words
from ..text.translit import EN_STOPWORDS, RU_STOPWORDS

#: folder of the shipped tables
LEXICON_DIR = Path(PACKAGE_DATA) / "align"
#: letters kept of an English or Russian word (a crude stem: minister/ministers, министр/министра)
STEM = {"en": 6, "ru": 5, "de": 6, "fr": 6}
_STOP = {"en": EN_STOPWORDS, "ru": RU_STOPWORDS}
_LATIN_WORD = re.compile(r"[^\W\d_]+", re.U)


def word_keys(text: str, lang: str, tokens: Sequence[str] | None = None) -> list[str]:
    """The content words of a sentence as lexicon keys (see the module doc); ``tokens``: Khmer text already
    segmented by :func:`workbench.text.tokens.words`."""
    if lang == "km":
        out = []
        for w in (tokens if tokens is not None else words(text.translate(KHMER_DIGITS))):
            if KHMER_CHAR.match(w):
                out.append(w)
            elif w.isalpha():
                lw = w.lower()
                if lw not in EN_STOPWORDS:
                    out.append(lw[:STEM["en"]])
        return out
    text = text.translate(KHMER_DIGITS)
    stop = _STOP.get(lang, frozenset())
    size = STEM.get(lang, 6)
    out = []
    for w in _LATIN_WORD.findall(text):
        lw = w.lower().replace("ё", "е")
        if len(lw) > 1 and lw not in stop:
            out.append(lw[:size])
    return out


class Lexicon:
    """Translations between English keys and target keys of one language (either direction of use)."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self.en: set[str] = set()
        self.tgt: dict[str, set[str]] = {}
        self.add(pairs)

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        for e, f in pairs:
            self.en.add(e)
            self.tgt.setdefault(f, set()).add(e)

    def __len__(self) -> int:
        return sum(len(v) for v in self.tgt.values())

    def copy(self) -> Lexicon:
        lx = Lexicon()
        lx.en = set(self.en)
        lx.tgt = {k: set(v) for k, v in self.tgt.items()}
        return lx

    def english_items(self, keys: Sequence[str]) -> tuple[list[str], int]:
        """Items of an English sentence and how many of its words have an entry."""
        items = ["x:" + k for k in keys if k in self.en]
        return items, len(items)

    def target_items(self, keys: Sequence[str]) -> tuple[list[str], int]:
        """Items of a target-language sentence (every translation of each word) and how many words have one."""
        items: list[str] = []
        n = 0
        for k in keys:
            tr = self.tgt.get(k)
            if tr:
                n += 1
                items.extend("x:" + e for e in tr)
        return items, n


@lru_cache(maxsize=8)
def _load(pair: str) -> Lexicon | None:
    path = LEXICON_DIR / f"{pair}.tsv.gz"
    if not path.is_file():
        return None
    pairs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and not line.startswith("#"):
                pairs.append((parts[0], parts[1]))
    return Lexicon(pairs)


def load_lexicon(src_lang: str, tgt_lang: str) -> tuple[Lexicon | None, bool]:
    """The shipped lexicon for a pair and whether English is the *target* side (``None`` when there is none).
    Read once per process; callers copy it before adding to it."""
    if src_lang == "en":
        return _load(f"en-{tgt_lang}"), False
    if tgt_lang == "en":
        return _load(f"en-{src_lang}"), True
    return None, False


def document_pairs(src_keys: Sequence[Sequence[str]], tgt_keys: Sequence[Sequence[str]],
                   links: Iterable[tuple[Sequence[int], Sequence[int]]], *, min_count: int = 2,
                   min_dice: float = 0.6) -> list[tuple[str, str]]:
    """Word pairs that keep occurring together in confident links of one document: ``(src key, tgt key)``
    with at least ``min_count`` joint occurrences and a Dice coefficient of ``min_dice`` (each key counted once
    per link)."""
    cs: Counter = Counter()
    ct: Counter = Counter()
    joint: Counter = Counter()
    n = 0
    for src, tgt in links:
        a = {k for i in src for k in src_keys[i]}
        b = {k for j in tgt for k in tgt_keys[j]}
        if not a or not b:
            continue
        n += 1
        cs.update(a)
        ct.update(b)
        joint.update((x, y) for x in a for y in b)
    out = []
    for (x, y), c in joint.items():
        if c >= min_count and 2.0 * c / (cs[x] + ct[y]) >= min_dice:
            out.append((x, y))
    return out
