"""Aligned sentence pairs as TMX units (what ``workbench align -o OUT.tmx`` writes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.config import check_lang
from ..text.scripts import sentence_separator
from ..tm.tmx import TmxUnit
from .core import ALIGN_LANGUAGES, Link


def link_units(links: Iterable[Link], src_sents: Sequence[str], tgt_sents: Sequence[str], src_lang: str,
               tgt_lang: str) -> list[TmxUnit]:
    """One unit per link with sentences on both sides (1-0 and 0-1 links are left out), in link order.

    Each side's sentences are joined into one text; the unit's props are ``x-align-link`` (the link as
    ``[i, j]:[k]``, 0-based line numbers) and ``x-align-confidence``.
    """
    src_lang, tgt_lang = check_lang(src_lang, ALIGN_LANGUAGES), check_lang(tgt_lang, ALIGN_LANGUAGES)
    units = []
    for link in links:
        if not link.src or not link.tgt:
            continue
        unit = TmxUnit(props=[("x-align-link", link.as_gold()), ("x-align-confidence", f"{link.score:.4f}")])
        unit.add(src_lang, sentence_separator(src_lang).join(src_sents[i] for i in link.src))
        unit.add(tgt_lang, sentence_separator(tgt_lang).join(tgt_sents[k] for k in link.tgt))
        units.append(unit)
    return units
