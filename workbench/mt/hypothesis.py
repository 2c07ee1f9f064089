"""The one result type of machine translation, shared by the MT engine, glossary enforcement and QA."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hypothesis:
    """One candidate translation of one sentence.

    ``score``: the model's length-normalised log-probability (higher is better; 0 is certain).
    ``flags``: problems the engine noticed and did not hide, e.g. ``"repetition"``, ``"length_ratio"``,
    ``"placeholder_lost"``, ``"truncated"``.
    """

    text: str
    score: float
    flags: list[str] = field(default_factory=list)
