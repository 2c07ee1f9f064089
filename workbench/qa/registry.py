"""The registry of QA checks: each check is a function declared with :func:`check`, which records its code,
default severity, whether it is on by default and what it checks.

Two kinds of check: ``segment`` checks look at one source/target pair (:func:`workbench.qa.check_segment`
runs them in the order they are declared); ``project`` checks look at every translation of one target
language together (:func:`workbench.qa.check_project` runs them after the segment checks).

A segment check takes a :class:`workbench.qa.checks.Pair` and yields :class:`Hit` objects; a project check
takes a list of :class:`Row` and yields ``(segment_id, Hit)`` pairs. The caller turns hits into
:class:`Finding` objects with the check's code, the severity (the project's override, else the hit's own,
else the check's default), the target language and the segment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

SEVERITIES = ("error", "warning", "info")
SCOPES = ("segment", "project")


@dataclass
class Finding:
    """One problem found in a translation; ``code`` names the check that found it."""

    code: str
    severity: str
    message: str
    lang: str
    segment_id: int | None = None
    span: tuple[int, int] | None = None  # character offsets in the target text (the first place)
    spans: list[tuple[int, int]] = field(default_factory=list)  # every place (the same problem found again)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span) if self.span else None
        d["spans"] = [list(s) for s in self.spans]
        return d


@dataclass(frozen=True)
class Hit:
    """What a check reports: a message, where in the target (if it can tell), a severity of its own (if the
    problem's weight varies: an empty target is worse once confirmed)."""

    message: str
    span: tuple[int, int] | None = None
    severity: str | None = None


class Row(NamedTuple):
    """One translation, as project checks see it: the segment, its source and the target text."""

    segment_id: int
    source: str
    target: str


@dataclass(frozen=True)
class Check:
    """A registered check: ``run`` is the decorated function."""

    code: str
    severity: str
    default: bool
    description: str
    scope: str
    run: Callable[..., Any]
    blank_target: bool = False  # runs when the target is blank (the others do not)

    def finding(self, hit: Hit, lang: str, segment_id: int | None = None, severity: str | None = None) -> Finding:
        """``hit`` as a finding of this check; ``severity``: the project's override, if any."""
        return Finding(self.code, severity or hit.severity or self.severity, " ".join(hit.message.split()), lang,
                       segment_id, hit.span)


_REGISTRY: dict[str, Check] = {}


def check(*, code: str, severity: str, description: str, default: bool = True, scope: str = "segment",
          blank_target: bool = False) -> Callable[[Callable], Callable]:
    """Register the decorated function as the QA check ``code``.

    ``severity``: the default severity of its findings; ``default``: on unless a project switches it off;
    ``description``: one line saying what it flags (``workbench qa --list-checks`` prints it);
    ``scope``: ``segment`` or ``project`` (see the module docstring); ``blank_target``: a segment check
    that also runs when the target is blank (every other segment check is skipped then).
    """
    if severity not in SEVERITIES:
        raise ValueError(f"QA check {code}: severity must be one of {', '.join(SEVERITIES)}")
    if scope not in SCOPES:
        raise ValueError(f"QA check {code}: scope must be one of {', '.join(SCOPES)}")

    def register(fn: Callable) -> Callable:
        if code in _REGISTRY:
            raise ValueError(f"QA check {code!r} is registered twice")
        _REGISTRY[code] = Check(code, severity, default, " ".join(description.split()), scope, fn, blank_target)
        return fn

    return register


def checks(scope: str | None = None) -> list[Check]:
    """The registered checks in the order they were declared (only those of ``scope`` if given)."""
    return [c for c in _REGISTRY.values() if scope is None or c.scope == scope]


def get(code: str) -> Check:
    """The check registered as ``code`` (KeyError if there is none)."""
    return _REGISTRY[code]


class _Table(Mapping):
    """``code -> (default severity, on by default, description)``, read from the registry."""

    def __getitem__(self, code: str) -> tuple[str, bool, str]:
        c = _REGISTRY[code]
        return (c.severity, c.default, c.description)

    def __iter__(self) -> Iterator[str]:
        return iter(list(_REGISTRY))

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __repr__(self) -> str:
        return repr(dict(self))


#: code -> (default severity, enabled by default, what it checks), in declaration order.
CHECKS: Mapping[str, tuple[str, bool, str]] = _Table()
