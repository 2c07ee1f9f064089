"""Where things live on disk. Everything can be overridden with environment variables."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from .. import LANGUAGES
from .errors import UnknownLanguage

#: Files shipped inside the package (installed with it, read-only): the default glossary and the seed article.
PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"
#: The shipped default glossary (``diplomatic.csv``) and its format description (``SCHEMA.md``). The glossary a
#: user edits is a copy in the data directory: see :func:`workbench.glossary.default_path`.
GLOSSARY_DIR = PACKAGE_DATA / "glossary"
#: The seed article the editor builds its first project from.
SEED_DIR = PACKAGE_DATA / "seed"
SEED_ARTICLE = SEED_DIR / "000_b55619ad5f1e0ac3.txt"


def data_dir() -> Path:
    """The user's data directory (projects, translation memory, models, caches).

    ``$WORKBENCH_HOME`` if set, else ``~/.local/share/workbench``. Created on first use.
    """
    env = os.environ.get("WORKBENCH_HOME")
    path = Path(env) if env else Path.home() / ".local" / "share" / "workbench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_lang(code: str, allowed: Collection[str] = LANGUAGES) -> str:
    """Normalise and validate a language code (``EN``, ``ru-RU``, ``km_KH`` -> ``en``/``ru``/``km``).

    ``allowed``: the codes accepted (default: the workbench's languages; the aligner also takes de and fr).
    """
    norm = (code or "").strip().replace("_", "-").split("-")[0].lower()
    if norm not in allowed:
        raise UnknownLanguage(
            f"unknown language code {code!r}: use one of {', '.join(allowed)}"
        )
    return norm


def parse_langs(spec: str) -> list[str]:
    """Parse ``"ru,km"`` into ``["ru", "km"]`` (validated, order kept, duplicates dropped)."""
    out: list[str] = []
    for part in (spec or "").split(","):
        if part.strip():
            code = check_lang(part)
            if code not in out:
                out.append(code)
    if not out:
        raise UnknownLanguage("no target language given: use e.g. --to ru,km")
    return out


def lang_tag(code: str) -> str:
    """A language tag with BCP 47 letter case, any language (``EN-us`` -> ``en-US``, ``zh_hant_tw`` ->
    ``zh-Hant-TW``, ``sr-latn`` -> ``sr-Latn``); ``*all*`` (TMX: every language) stays. Its primary subtag is
    what :func:`check_lang` compares."""
    code = (code or "").strip().replace("_", "-")
    if code.lower() == "*all*":
        return "*all*"
    parts = [p for p in code.split("-") if p]
    out = []
    for k, p in enumerate(parts):
        if k == 0 or len(p) == 1 or (out and len(out[-1]) == 1):  # language, singleton and what follows it
            out.append(p.lower())
        elif len(p) == 4 and p.isalpha():  # script
            out.append(p.title())
        elif (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()):  # region
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)
