"""Hostile XML documents (generated, never downloaded) and the XML readers they are thrown at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

TMX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n')
TMX_OPEN = ('<tmx version="1.4"><header creationtool="t" creationtoolversion="1" datatype="plaintext" '
            'segtype="sentence" adminlang="en" srclang="en" o-tmf="t"/><body>')
TMX_CLOSE = "</body></tmx>"
TBX_OPEN = ('<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader>'
            '<fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader><text><body>')
TBX_CLOSE = "</body></text></tbx>"


def tu(en: str, ru: str) -> str:
    return f'<tu><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="ru"><seg>{ru}</seg></tuv></tu>'


def concept(en: str, ru: str) -> str:
    return (f'<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>{en}</term></termSec></langSec>'
            f'<langSec xml:lang="ru"><termSec><term>{ru}</term></termSec></langSec></conceptEntry>')


def billion_laughs(kind: str) -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    root = "tmx" if kind == "tmx" else "tbx"
    dtd = f"<!DOCTYPE {root} [{''.join(ents)}]>"
    body = TMX_OPEN + tu("&lol9;", "x") + TMX_CLOSE if kind == "tmx" else TBX_OPEN + concept("&lol9;", "x") + TBX_CLOSE
    return (TMX_HEAD + dtd + body).encode()


def xxe(kind: str, secret: Path) -> bytes:
    root = "tmx" if kind == "tmx" else "tbx"
    dtd = f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    body = TMX_OPEN + tu("&xxe;", "x") + TMX_CLOSE if kind == "tmx" else TBX_OPEN + concept("&xxe;", "x") + TBX_CLOSE
    return (TMX_HEAD + dtd + body).encode()


def external_dtd(kind: str, url: str) -> bytes:
    """A DOCTYPE pointing at an external DTD (network or file): must never be fetched."""
    root = "tmx" if kind == "tmx" else "tbx"
    body = TMX_OPEN + tu("a", "b") + TMX_CLOSE if kind == "tmx" else TBX_OPEN + concept("a", "b") + TBX_CLOSE
    return (TMX_HEAD + f'<!DOCTYPE {root} SYSTEM "{url}">' + body).encode()


def parameter_entity(kind: str, url: str) -> bytes:
    root = "tmx" if kind == "tmx" else "tbx"
    body = TMX_OPEN + tu("a", "b") + TMX_CLOSE if kind == "tmx" else TBX_OPEN + concept("a", "b") + TBX_CLOSE
    return (TMX_HEAD + f'<!DOCTYPE {root} [<!ENTITY % ext SYSTEM "{url}"> %ext;]>' + body).encode()


def deep_nesting(kind: str, depth: int = 100_000) -> bytes:
    inner = "<hi>" * depth + "x" + "</hi>" * depth
    if kind == "tmx":
        return (TMX_HEAD + TMX_OPEN + tu(inner, "x") + TMX_CLOSE).encode()
    return (TMX_HEAD + TBX_OPEN + "<x>" * depth + "</x>" * depth + TBX_CLOSE).encode()


def utf16_billion_laughs(kind: str) -> bytes:
    return billion_laughs(kind).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")


def utf32_billion_laughs(kind: str) -> bytes:
    return billion_laughs(kind).decode().replace('encoding="UTF-8"', 'encoding="UTF-32"').encode("utf-32")


def write_big_tmx(path: Path, megabytes: int) -> int:
    """A valid TMX of about ``megabytes`` MB (streamed to disk); returns the number of units."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(TMX_HEAD + TMX_OPEN + "\n")
        written = 0
        while written < megabytes * 1024 * 1024:
            line = tu(f"The Minister met the Ambassador on day {n} to discuss trade and security.",
                      f"Министр встретился с послом в день {n}, чтобы обсудить торговлю и безопасность.") + "\n"
            fh.write(line)
            written += len(line.encode())
            n += 1
        fh.write(TMX_CLOSE + "\n")
    return n


# -- readers: (name, module, kind, function(path) -> list of extracted texts) -------------------------------


def _read_tmx(path: Path) -> list[str]:
    from workbench.tm.tmx import read_tmx

    out = []
    for unit in read_tmx(path):
        out.extend(v.text if hasattr(v, "text") else str(v) for v in unit.variants.values())
    return out


def _tm_import(path: Path) -> list[str]:
    from workbench.tm.memory import TranslationMemory

    tm = TranslationMemory.open(path.with_suffix(".tmdb"))
    try:
        tm.import_tmx(path)
        return [" ".join(map(str, tuple(r))) for r in tm._read("SELECT * FROM unit")] if hasattr(tm, "_read") else []
    finally:
        getattr(tm, "close", lambda: None)()


def _tbx(path: Path) -> list[str]:
    from workbench.glossary import Glossary

    g = Glossary.import_file(path)
    return [g.dumps("csv")]


def _safeio(path: Path) -> list[str]:
    from workbench.core.safeio import parse_xml_file

    return ["".join(parse_xml_file(path).itertext())]


READERS: list[tuple[str, str, str, Callable[[Path], list[str]]]] = [
    ("safeio", "workbench.core.safeio", "tmx", _safeio),
    ("read_tmx", "workbench.tm.tmx", "tmx", _read_tmx),
    ("tm_import", "workbench.tm.memory", "tmx", _tm_import),
    ("glossary_tbx", "workbench.glossary", "tbx", _tbx),
]
