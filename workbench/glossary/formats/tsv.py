"""The OmegaT glossary: ``source<TAB>target[<TAB>comment]`` for one language pair."""

from __future__ import annotations

import re

from ...core.config import check_lang
from ...core.errors import InputError
from ..model import Concept, Problem, Term
from .common import safe, slug, unsafe

_CONCEPT_TAG = re.compile(r"^\[(?P<id>[^\]\s]+)\]\s?")


def parse_tsv(text: str, name: str, problems: list[Problem], src_lang: str = "en", tgt_lang: str = "ru"):
    """OmegaT glossary: ``source<TAB>target[<TAB>comment]`` per line, ``#`` comments.

    A comment starting with ``[concept-id]`` (what :func:`write_tsv` writes) groups lines into one concept.
    """
    src_lang = check_lang(src_lang)
    tgt_lang = check_lang(tgt_lang)
    concepts: dict[str, Concept] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise InputError(f"{name}: line {lineno}: expected source<TAB>target[<TAB>comment], found no tab")
        if len(parts) > 3:
            raise InputError(f"{name}: line {lineno}: {len(parts)} tab-separated fields; OmegaT glossaries have 2 or 3")
        src, tgt = unsafe(parts[0].strip()), unsafe(parts[1].strip())
        comment = unsafe(parts[2].strip()) if len(parts) == 3 else ""
        m = _CONCEPT_TAG.match(comment)
        if m:
            cid, comment = m.group("id"), comment[m.end():]
        else:
            cid = slug(src)
        c = concepts.get(cid)
        if c is None:
            c = concepts[cid] = Concept(cid, definition=comment)
        for lang, t in ((src_lang, src), (tgt_lang, tgt)):
            if not t:
                problems.append(Problem("error", "empty-term", f"{name}: line {lineno}: empty {lang} term",
                                        concept=cid, lang=lang))
            if not any(x.lang == lang and x.text == t for x in c.terms):
                status = "preferred" if not c.terms_in(lang) else "admitted"
                c.terms.append(Term(lang, t, status))
    if not concepts:
        raise InputError(f"{name}: no glossary lines (expected source<TAB>target)")
    return list(concepts.values())


def write_tsv(concepts, src_lang: str = "en", tgt_lang: str = "ru") -> str:
    """OmegaT glossary for one pair: every usable source term with the preferred target term;
    the comment is ``[concept-id] definition``. Statuses, review flags and sources do not fit the format."""
    lines = [f"# workbench glossary {src_lang} -> {tgt_lang} (OmegaT: source<TAB>target<TAB>comment)"]
    for c in concepts:
        tgt = c.preferred(tgt_lang)
        if tgt is None:
            continue
        targets = [tgt] + [t for t in c.terms_in(tgt_lang, ("preferred", "admitted")) if t is not tgt]
        sources = c.terms_in(src_lang, ("preferred", "admitted"))
        comment = f"[{c.id}]" + (f" {c.definition}" if c.definition else "")
        comment = comment.replace("\t", " ").replace("\n", " ")
        for s in sources:
            lines.append(f"{safe(s.text)}\t{safe(tgt.text)}\t{safe(comment)}")
        first = sources[0].text if sources else ""
        for t in targets[1:]:
            lines.append(f"{safe(first)}\t{safe(t.text)}\t{safe(comment)}")
    return "\n".join(lines) + "\n"
