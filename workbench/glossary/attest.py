"""Attestation: which glossary terms are backed by a published source, per language.

A term's ``source`` field holds one or more entries separated by ``" | "``. Each entry is either

* an **attestation** — where the form is used: ``title — address (date): «quote»`` for a web page, or the
  dataset, file and line for third-party data (``TICO-19 test set (CC0), tico19-test.en-km.km line 1199: «…»``);
* a **search record** — an entry starting with ``searched:`` that says where the form was looked for and
  not found (queries, corpora, what was found instead);
* an **unattested note** — any entry mentioning *knowledge* (``engineer's knowledge of usage; not checked``).

A term is *attested* when at least one entry is an attestation. Whether it still *needs review* is the
separate ``needs_review`` flag (an attested term normally has it cleared).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Concept, Term

SEPARATOR = " | "
SEARCHED = "searched:"
#: a search record: ``searched:`` (or a slip such as ``searched (second round): …``) at the start of an entry
_SEARCHED_RE = re.compile(r"searched(?![\w-])", re.IGNORECASE)
UNATTESTED_WORD = "knowledge"


def entries(source: str) -> list[str]:
    """The entries of a source field (split on ``" | "``, blanks dropped)."""
    return [e.strip() for e in (source or "").split(SEPARATOR.strip()) if e.strip()]


def is_search_record(entry: str) -> bool:
    """An entry starting with the word *searched* (``searched: …``): never counted as an attestation."""
    return bool(_SEARCHED_RE.match(entry.strip()))


def is_attestation(entry: str) -> bool:
    """An entry that names a published use: neither a search record nor a *knowledge* note."""
    e = entry.strip()
    return bool(e) and not is_search_record(e) and UNATTESTED_WORD not in e.lower()


def is_attested(term: Term) -> bool:
    return any(is_attestation(e) for e in entries(term.source))


def search_records(term: Term) -> list[str]:
    return [e for e in entries(term.source) if is_search_record(e)]


def join_entries(items: Iterable[str]) -> str:
    """A source field from entries (duplicates dropped, order kept; ``|`` inside an entry becomes ``/``)."""
    out: list[str] = []
    for e in items:
        e = " ".join(e.replace("|", "/").split())
        if e and e not in out:
            out.append(e)
    return SEPARATOR.join(out)


@dataclass
class LanguageAttestation:
    """Counts for one language: ``terms`` (non-empty), ``attested``, ``needs_review`` (flag set),
    ``searched`` (unattested but with a search record) and the ``unattested`` (concept, term) pairs."""

    lang: str
    terms: int = 0
    attested: int = 0
    needs_review: int = 0
    searched: int = 0
    unattested: list[tuple[Concept, Term]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.attested / self.terms if self.terms else 0.0

    def summary(self) -> str:
        return (f"{self.lang}: {self.attested} of {self.terms} terms attested ({100 * self.share:.1f} %), "
                f"{self.needs_review} need review, {len(self.unattested)} unattested "
                f"({self.searched} with a search record)")

    def to_dict(self) -> dict:
        return {"lang": self.lang, "terms": self.terms, "attested": self.attested,
                "needs_review": self.needs_review, "unattested": len(self.unattested),
                "searched": self.searched, "share": round(self.share, 4)}


def attestation(concepts: Iterable[Concept], langs: Iterable[str] | None = None) -> dict[str, LanguageAttestation]:
    """Per-language attestation counts of ``concepts`` (languages in order of first appearance, or ``langs``)."""
    out: dict[str, LanguageAttestation] = {lang: LanguageAttestation(lang) for lang in (langs or ())}
    for c in concepts:
        for t in c.terms:
            if not t.text.strip():
                continue
            if langs is not None and t.lang not in out:
                continue
            a = out.setdefault(t.lang, LanguageAttestation(t.lang))
            a.terms += 1
            a.needs_review += bool(t.needs_review)
            if is_attested(t):
                a.attested += 1
            else:
                a.unattested.append((c, t))
                a.searched += bool(search_records(t))
    return out


def unattested_entry(concept: Concept, term: Term) -> dict:
    """One unattested term as a report entry (the same keys as a validation problem, plus the term)."""
    searched = search_records(term)
    flag = ", needs review" if term.needs_review else ""
    why = searched[0] if searched else (term.source or "no source")
    return {"severity": "info", "code": "unattested", "concept": concept.id, "lang": term.lang,
            "message": f"«{term.text}» ({term.status}{flag}): {why}",
            "term": term.text, "status": term.status, "needs_review": term.needs_review,
            "source": term.source}
