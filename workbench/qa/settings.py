"""QA settings: which checks are on, severity overrides, length-ratio bounds (a project's ``qa`` setting)::

    {"checks": {"length_ratio": false, "repeated_word": true},   # code -> enabled (missing: default)
     "severity": {"double_space": "info"},                        # code -> severity override
     "length_ratio": {"en-ru": [0.7, 1.78]},                      # pair -> [min, max] target/source chars
     "min_length_ratio_chars": 20}                                # shorter sources skip the ratio check
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InputError
from .registry import CHECKS, SEVERITIES, checks

#: Sources shorter than this (characters) are not checked for the length ratio.
MIN_RATIO_CHARS = 20


def default_settings() -> dict[str, Any]:
    """Every registered check at its default, no overrides."""
    return {"checks": {c.code: c.default for c in checks()}, "severity": {}, "length_ratio": {},
            "min_length_ratio_chars": MIN_RATIO_CHARS}


def _known(code: str) -> None:
    if code not in CHECKS:
        raise InputError(f"unknown QA check {code!r}: use one of {', '.join(CHECKS)}")


def resolve(settings: dict[str, Any] | None) -> dict[str, Any]:
    """``settings`` (as stored: any subset of the keys above) validated and completed with the defaults."""
    out = default_settings()
    if not settings:
        return out
    if not isinstance(settings, dict):
        raise InputError("QA settings must be a JSON object like {\"checks\": {\"length_ratio\": false}}")
    for code, on in (settings.get("checks") or {}).items():
        _known(code)
        out["checks"][code] = bool(on)
    for code, sev in (settings.get("severity") or {}).items():
        _known(code)
        if sev not in SEVERITIES:
            raise InputError(f"unknown severity {sev!r} for QA check {code}: use error, warning or info")
        out["severity"][code] = sev
    for pair, bounds in (settings.get("length_ratio") or {}).items():
        try:
            lo, hi = (float(b) for b in bounds)
        except (TypeError, ValueError):
            lo = hi = 0.0
        if not 0 < lo < hi:
            raise InputError(f"length ratio bounds for {pair} must be [min, max] with 0 < min < max, got {bounds}")
        out["length_ratio"][pair] = (lo, hi)
    if "min_length_ratio_chars" in settings:
        try:
            out["min_length_ratio_chars"] = int(settings["min_length_ratio_chars"])
        except (TypeError, ValueError):
            raise InputError("min_length_ratio_chars must be a whole number of characters, got "
                             f"{settings['min_length_ratio_chars']!r}") from None
    return out


def with_check(stored: dict[str, Any] | None, code: str, enabled: bool) -> dict[str, Any]:
    """A copy of the stored settings ``stored`` with check ``code`` switched on or off (validated)."""
    _known(code)
    new = dict(stored or {})
    switches = dict(new.get("checks") or {})
    switches[code] = bool(enabled)
    new["checks"] = switches
    resolve(new)
    return new
