""":class:`TermReport`: the result of a term check for one segment (stored as ``Translation.meta["terms"]``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.meta import TermsMeta


@dataclass
class TermReport:
    """Glossary compliance of one target sentence.

    ``expected``: one item per concept found in the source that has a target term;
    ``found`` / ``missing``: the expected items rendered / not rendered by an allowed (preferred or admitted)
    target term; ``forbidden``: forbidden target terms used (severity ``error``); ``deprecated``: deprecated
    target terms used (``warning``). Every item is a dict with at least ``concept``, ``source`` (the matched
    source text) and ``target`` (the preferred target term); problem items also carry ``severity`` and a
    one-line ``message``.
    """

    src_lang: str = "en"
    tgt_lang: str = "ru"
    expected: list[dict] = field(default_factory=list)
    found: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    forbidden: list[dict] = field(default_factory=list)
    deprecated: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.forbidden or self.deprecated)

    def problems(self) -> list[dict]:
        """Missing, forbidden and deprecated items, each with ``severity``, ``code`` and ``message``."""
        out = []
        for code, items in (("term-forbidden", self.forbidden), ("term-missing", self.missing),
                            ("term-deprecated", self.deprecated)):
            for it in items:
                out.append({**it, "code": code})
        return out

    @property
    def severity(self) -> str | None:
        """The worst severity (``error`` > ``warning`` > ``info``) or None when compliant."""
        sevs = {p["severity"] for p in self.problems()}
        for s in ("error", "warning", "info"):
            if s in sevs:
                return s
        return None

    def penalty(self) -> float:
        """Used for n-best rescoring: forbidden 2, missing 1 (0.5 when the term needs review), deprecated 1."""
        return (2.0 * len(self.forbidden) + len(self.deprecated)
                + sum(0.5 if m.get("needs_review") else 1.0 for m in self.missing))

    def as_terms_meta(self) -> TermsMeta:
        """The ``meta["terms"]`` section of the checked translation."""
        return TermsMeta(expected=[dict(x) for x in self.expected], found=[dict(x) for x in self.found],
                         missing=[dict(x) for x in self.missing], forbidden=[dict(x) for x in self.forbidden],
                         deprecated=[dict(x) for x in self.deprecated])

    def as_meta(self) -> dict:
        """:meth:`as_terms_meta` as its JSON dict (what ``Translation.meta["terms"]`` holds)."""
        return self.as_terms_meta().as_dict()
