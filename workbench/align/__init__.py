"""Sentence alignment of bilingual documents (issue 5).

``align(src_sents, tgt_sents, src_lang, tgt_lang, *, anchors=(), ...) -> list[Link]`` is the core;
:mod:`workbench.align.document` puts it to work on a project (``align_document``, ``confirm_link``,
``review_queue``, ``three_way``).
"""

from .core import AlignConfig, Link, NULL_CONFIDENCE, align, align_prepared, prepare
from .langs import align_lang

__all__ = ["AlignConfig", "Link", "NULL_CONFIDENCE", "align", "align_prepared", "prepare", "align_lang"]
