"""The glossary's data model: a :class:`Concept` holds :class:`Term` s in several languages.

A concept is one meaning (an organisation, a treaty, a title...). Each language has one or more terms with a
status:

``preferred``  the form to use (what MT enforcement puts in and QA expects);
``admitted``   acceptable too (e.g. the acronym next to the full name); counts as "found";
``deprecated`` an outdated or unofficial variant: QA warns and ``fix`` replaces it by the preferred term;
``forbidden``  must never be used (wrong official name, offensive form): QA reports an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STATUSES = ("preferred", "admitted", "deprecated", "forbidden")
#: statuses whose presence in a target counts as the concept being rendered correctly
GOOD_STATUSES = frozenset({"preferred", "admitted"})
BAD_STATUSES = frozenset({"deprecated", "forbidden"})

DOMAINS = (
    "state", "organisation", "body", "event", "treaty", "document", "title", "person", "place",
    "policy", "term", "health", "media", "general",
)

_ACRONYM = re.compile(r"^[A-ZА-ЯЁ0-9]{2,}$")


def is_acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word)) and any(c.isalpha() for c in word)


@dataclass
class Term:
    """One term of a concept in one language.

    ``case``: ``None`` (automatic: acronyms such as ``ASEAN``/``ООН`` match in capitals only, other words
    in any case), ``True`` (every word must have the same capitalisation), ``False`` (any case).
    ``needs_review``: the form is not attested by the recorded ``source`` and a translator must check it.
    """

    lang: str
    text: str
    status: str = "preferred"
    case: bool | None = None
    needs_review: bool = False
    source: str = ""
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "lang": self.lang, "text": self.text, "status": self.status, "case": self.case,
            "needs_review": self.needs_review, "source": self.source, "note": self.note,
        }


@dataclass
class Concept:
    """One meaning with its terms. ``id`` is a stable, human-readable key (``asean``, ``east-asia-summit``)."""

    id: str
    domain: str = ""
    pos: str = ""
    definition: str = ""
    terms: list[Term] = field(default_factory=list)

    def terms_in(self, lang: str, statuses=None) -> list[Term]:
        return [t for t in self.terms if t.lang == lang and (statuses is None or t.status in statuses)]

    def preferred(self, lang: str) -> Term | None:
        """The preferred term in ``lang`` (else the first admitted one), or None."""
        for wanted in ("preferred", "admitted"):
            for t in self.terms:
                if t.lang == lang and t.status == wanted:
                    return t
        return None

    def languages(self) -> list[str]:
        out: list[str] = []
        for t in self.terms:
            if t.lang not in out:
                out.append(t.lang)
        return out

    def to_dict(self) -> dict:
        return {
            "id": self.id, "domain": self.domain, "pos": self.pos, "definition": self.definition,
            "terms": [t.to_dict() for t in self.terms],
        }


@dataclass
class TermHit:
    """A glossary term found in a text: ``text[start:end] == matched``."""

    concept_id: str
    start: int
    end: int
    matched: str
    term: Term
    concept: Concept

    @property
    def status(self) -> str:
        return self.term.status

    def to_dict(self) -> dict:
        return {
            "concept": self.concept_id, "start": self.start, "end": self.end, "matched": self.matched,
            "term": self.term.text, "status": self.term.status,
        }


@dataclass
class Problem:
    """A finding of :meth:`Glossary.validate`: ``severity`` is ``error`` or ``warning``."""

    severity: str
    code: str
    message: str
    concept: str = ""
    lang: str = ""

    def __str__(self) -> str:
        where = self.concept + (f"/{self.lang}" if self.lang else "")
        return f"{self.severity}\t{self.code}\t{where}\t{self.message}"

    def to_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "concept": self.concept, "lang": self.lang,
                "message": self.message}
