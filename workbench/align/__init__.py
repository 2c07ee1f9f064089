"""Sentence alignment of bilingual documents.

``align(src_sents, tgt_sents, src_lang, tgt_lang, *, anchors=(), ...) -> list[Link]`` is the core;
:mod:`workbench.align.document` puts it to work on a project (``align_document``, ``confirm_link``,
``review_queue``, ``three_way``).
"""

from .core import ALIGN_LANGUAGES, NULL_CONFIDENCE, AlignConfig, Link, align, align_prepared, prepare
from .units import link_units

__all__ = ["ALIGN_LANGUAGES", "AlignConfig", "Link", "NULL_CONFIDENCE", "align", "align_prepared", "link_units",
           "prepare"]
