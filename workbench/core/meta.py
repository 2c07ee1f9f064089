"""Typed sections of ``Translation.meta`` (stored as JSON in the ``translation.meta`` column).

``meta`` stays a plain JSON dict on disk; each stage writes one section under its own key and readers get it
typed through :class:`~workbench.core.store.Translation` (``tr.mt``, ``tr.tm``, ``tr.align``, ``tr.terms``,
each None when absent) or :func:`section`:

``"mt"``     :class:`MtMeta`     model, backend (``hf``/``ct2``), flags, model revision, n-best rank
``"tm"``     :class:`TmMeta`     match %, memory name (``project`` for a repetition inside the project), the TM
                                 unit or project segment it came from, its source text, tuid, penalty flags,
                                 the inline codes the tags in the text stand for (``workbench.tm.tags``)
``"align"``  :class:`AlignMeta`  link (``[[source segment ids], [target sentence indices]]``), confidence,
                                 review flag, anchor, ``part_of`` (the segment holding the text of an n-1 link)
``"terms"``  :class:`TermsMeta`  the glossary check: expected/found/missing/forbidden/deprecated items

``as_dict()`` gives the JSON form (optional fields left out when unset, so files stay as they were); keys a
section does not know are kept in ``extra`` and written back. :func:`with_section` returns a meta dict with
one section set. Other keys (``"glossary"``: how MT enforcement chose among the n-best) stay plain.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, TypeVar

_S = TypeVar("_S", bound="Section")


class Section:
    """Base of the typed sections: ``KEY`` is the section's key in ``meta``."""

    KEY: ClassVar[str]
    #: fields written only when set (not None, not empty)
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_dict(cls: type[_S], data: Any) -> _S | None:
        """The section from its JSON dict (None when ``data`` is not a dict); unknown keys go to ``extra``."""
        if not isinstance(data, dict):
            return None
        names = {f.name for f in fields(cls)} - {"extra"}  # type: ignore[arg-type]
        known = {k: v for k, v in data.items() if k in names}
        obj = cls(**known)  # type: ignore[call-arg]
        obj.extra = {k: v for k, v in data.items() if k not in names}  # type: ignore[attr-defined]
        return obj

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if f.name in self.OPTIONAL and value in (None, [], {}, 0):
                continue
            out[f.name] = list(value) if isinstance(value, (list, tuple)) else value
        out.update(self.extra)  # type: ignore[attr-defined]
        return out


@dataclass
class MtMeta(Section):
    KEY: ClassVar[str] = "mt"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"revision", "rank"})

    model: str = ""
    backend: str = ""
    flags: list[str] = field(default_factory=list)
    revision: str | None = None
    rank: int | None = None           # position in the n-best list when glossary enforcement chose another
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class TmMeta(Section):
    KEY: ClassVar[str] = "tm"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"unit", "segment", "tuid", "flags", "codes"})

    match: float = 0.0
    tm: str = ""                      # memory name; "project" for a repetition confirmed inside the project
    unit: int | None = None           # the TM unit id
    segment: int | None = None        # the project segment a repetition was copied from
    source: str = ""                  # the matched source text
    tuid: str | None = None
    flags: list[str] = field(default_factory=list)  # case / numbers / punctuation penalties
    codes: list[dict[str, Any]] = field(default_factory=list)  # inline codes behind <g1>…</g1>, <x2/> tags
    extra: dict[str, Any] = field(default_factory=dict)


def tm_codes(meta: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The inline codes of a translation's ``meta["tm"]`` (``[]`` when none): what its tags stand for."""
    tm = TmMeta.from_dict((meta or {}).get(TmMeta.KEY))
    codes = tm.codes if tm is not None else []
    return [c for c in codes if isinstance(c, dict)] if isinstance(codes, list) else []


@dataclass
class AlignMeta(Section):
    KEY: ClassVar[str] = "align"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"part_of"})

    link: list[list[int]] = field(default_factory=list)  # [[source segment ids], [target sentence indices]]
    confidence: float = 0.0
    review: bool = False
    anchor: bool = False
    part_of: int | None = None        # merge=False: the first segment of the link holds the text
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class TermsMeta(Section):
    """Items are dicts with at least ``concept``, ``source`` and ``target`` (see ``glossary.TermReport``)."""

    KEY: ClassVar[str] = "terms"

    expected: list[dict[str, Any]] = field(default_factory=list)
    found: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    forbidden: list[dict[str, Any]] = field(default_factory=list)
    deprecated: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


SECTIONS: dict[str, type[Section]] = {cls.KEY: cls for cls in (MtMeta, TmMeta, AlignMeta, TermsMeta)}


def section(meta: dict[str, Any] | None, cls: type[_S]) -> _S | None:
    """The typed section ``cls`` of a meta dict, or None when it is absent or not a JSON object."""
    return cls.from_dict((meta or {}).get(cls.KEY))


def with_section(meta: dict[str, Any] | None, *sections: Section) -> dict[str, Any]:
    """A copy of ``meta`` with each section stored under its key."""
    out = dict(meta or {})
    for s in sections:
        out[s.KEY] = s.as_dict()
    return out


def without_sections(meta: dict[str, Any] | None, *keys: str) -> dict[str, Any]:
    """A copy of ``meta`` without the sections ``keys`` (default: all typed sections)."""
    drop = set(keys or SECTIONS)
    return {k: v for k, v in (meta or {}).items() if k not in drop}
