"""Languages the aligner accepts: the workbench's own (en, ru, km) and the benchmark pair (de, fr)."""

from __future__ import annotations

from ..core.config import check_lang
from ..core.errors import UnknownLanguage

#: languages beyond the project languages that the aligner handles (Text+Berg is German-French).
EXTRA = {"de": "German", "fr": "French"}


def align_lang(code: str) -> str:
    """Normalise a language code for alignment (``en``, ``ru``, ``km``, ``de``, ``fr``)."""
    norm = (code or "").strip().replace("_", "-").split("-")[0].lower()
    if norm in EXTRA:
        return norm
    try:
        return check_lang(code)
    except UnknownLanguage:
        raise UnknownLanguage(f"unknown language code {code!r} for alignment: use one of en, ru, km, de, fr") from None
