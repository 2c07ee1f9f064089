"""Fuzz targets: one harness per importer, shared by the short in-test runs and the long runs (fuzz/run.py).

A harness takes raw bytes (the file a user might give), writes them to a file with the importer's usual
extension, runs the importer the way the CLI/UI do, and checks the one rule: the only exceptions that may
escape are :class:`workbench.errors.WorkbenchError` subclasses with a one-line message. On success it
checks the result's basic shape. Anything else (IndexError, UnicodeError, lxml errors, RecursionError...)
propagates: that is a crash.

Inputs come from hypothesis strategies (:data:`STRATEGIES`) that mix raw bytes, text in many encodings,
grammar-generated markup (HTML/Markdown/TMX/TBX/CSV) and byte-level mutations of real seed files, so a
random buffer reaches deep code, not only the decoder.
"""

from __future__ import annotations

import codecs
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from workbench.core.errors import WorkbenchError

SEEDS = Path(__file__).with_name("seeds")
REPO = Path(__file__).resolve().parent.parent


class HarnessFailure(AssertionError):
    """A harness invariant failed (e.g. a multi-line error message or a malformed result)."""


_TMP: Path | None = None


def _tmpdir() -> Path:
    global _TMP
    if _TMP is None or not _TMP.exists():
        import atexit
        import shutil

        _TMP = Path(tempfile.mkdtemp(prefix="wbfuzz-"))
        atexit.register(shutil.rmtree, _TMP, True)
    return _TMP


def _write(data: bytes, suffix: str) -> Path:
    path = _tmpdir() / f"input{suffix}"
    path.write_bytes(data)
    return path


def _expect_clean_error(exc: WorkbenchError) -> None:
    msg = str(exc)
    if not msg.strip() or "\n" in msg:
        raise HarnessFailure(f"WorkbenchError message must be one non-empty line, got {msg!r}")


#: outcome counts of run_guarded since start: "accepted" (imported) and "rejected" (clean WorkbenchError)
STATS: Counter = Counter()


def run_guarded(fn: Callable[[], object]) -> object | None:
    """Run ``fn``; a WorkbenchError is a correct answer to bad input (checked to be one line)."""
    try:
        result = fn()
    except WorkbenchError as exc:
        _expect_clean_error(exc)
        STATS["rejected"] += 1
        return None
    STATS["accepted"] += 1
    return result


# ------------------------------------------------------------------------------------------- harnesses


def _ingest(data: bytes, suffix: str) -> None:
    from workbench.ingest.readers import IngestedDocument, ingest_file
    from workbench.ingest.segment import segment_paragraphs

    path = _write(data, suffix)

    def go():
        doc = ingest_file(path)
        if not isinstance(doc, IngestedDocument) or not doc.paragraphs:
            raise HarnessFailure("ingest returned no paragraphs without raising InputError")
        if not all(isinstance(p, str) and p.strip() for p in doc.paragraphs):
            raise HarnessFailure(f"ingest returned an empty or non-text paragraph: {doc.paragraphs[:3]!r}")
        # the next stage the CLI runs: sentence segmentation must cope with whatever ingest produced
        for lang in ("en",):
            segs = segment_paragraphs(doc.paragraphs, lang)
            if not all(isinstance(s, str) for _, s in segs):
                raise HarnessFailure("segment_paragraphs returned a non-string sentence")
        return doc

    run_guarded(go)


def ingest_txt(data: bytes) -> None:
    _ingest(data, ".txt")


def ingest_md(data: bytes) -> None:
    _ingest(data, ".md")


def ingest_html(data: bytes) -> None:
    _ingest(data, ".html")


def project_new(data: bytes) -> None:
    """The whole `workbench new` path: ingest -> segment -> store; a failure leaves no project file."""
    from workbench.ingest.project import create_from_file

    src = _write(data, ".html" if data[:1] == b"<" else ".txt")
    db = _tmpdir() / "fuzz.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    try:
        project = create_from_file(db, src, ["ru", "km"])
    except WorkbenchError as exc:
        _expect_clean_error(exc)
        STATS["rejected"] += 1
        if db.exists():
            raise HarnessFailure("a failed 'workbench new' left a project file behind") from exc
        return
    STATS["accepted"] += 1
    with project:
        if project.integrity_check() != "ok" or not project.segments():
            raise HarnessFailure("project created without segments or with a damaged database")


_PROJECT_SEED: bytes | None = None


def project_seed() -> bytes:
    """A real, checkpointed project database (200 segments, some translated): the seed for damage fuzzing."""
    global _PROJECT_SEED
    if _PROJECT_SEED is None:
        from workbench.core.store import Project

        path = _tmpdir() / "seed-project.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        with Project.create(path, "seed", "en", ["ru", "km"]) as p:
            p.add_document("Seed", [(i // 4, f"The Minister met envoy number {i}.") for i in range(200)])
            for seg in p.segments()[:60]:
                p.set_translation(seg.id, "ru", f"Министр встретился с посланником {seg.id}.", status="translated",
                                  meta={"terms": {"expected": [], "found": []}})
            p._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _PROJECT_SEED = path.read_bytes()
    return _PROJECT_SEED


def project_open(data: bytes) -> None:
    """A damaged project file (bit rot, truncated copy): opening and using it gives a one-line InputError."""
    from workbench.core.store import Project

    path = _write(data, ".db")
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)

    def go():
        with Project.open(path) as p:
            segs = p.segments()
            p.progress()
            p.documents()
            if segs:
                p.history(segs[0].id)
                lang = p.target_langs[0] if p.target_langs else "ru"
                p.set_translation(segs[0].id, lang, "проверка", status="draft")
        return True

    run_guarded(go)


@st.composite
def damaged_db(draw) -> bytes:
    data = bytearray(project_seed())
    for _ in range(draw(st.integers(1, 24))):
        i = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[i] = draw(st.integers(0, 255))
        else:
            data[i:i + 4] = draw(st.binary(min_size=4, max_size=4))
    if draw(st.integers(0, 4)) == 0:
        del data[draw(st.integers(100, len(data) - 1)):]
    return bytes(data)


def tmx_read(data: bytes) -> None:
    from workbench.tm import tmx

    path = _write(data, ".tmx")

    def go():
        units = tmx.read_tmx(path)
        return list(units) if not isinstance(units, list) else units  # generators must be drained

    run_guarded(go)


def tm_import(data: bytes) -> None:
    from workbench.tm.memory import TranslationMemory

    path = _write(data, ".tmx")
    db = _tmpdir() / "tm.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    tm = TranslationMemory.open(db)
    try:
        run_guarded(lambda: tm.import_tmx(path))
    finally:
        getattr(tm, "close", lambda: None)()


def _glossary_import(data: bytes, suffix: str) -> None:
    """The glossary's import path (``workbench glossary import``): read + validate; then write it back out in
    every export format, since imported content is what gets exported next."""
    from workbench.glossary import Glossary

    path = _write(data, suffix)

    def go():
        g = Glossary.import_file(path)
        for fmt in ("csv", "tbx", "tsv"):
            out = g.dumps(fmt)
            if not isinstance(out, str):
                raise HarnessFailure(f"Glossary.dumps({fmt!r}) returned {type(out).__name__}")
        return g

    run_guarded(go)


def glossary_tbx(data: bytes) -> None:
    _glossary_import(data, ".tbx")


def glossary_csv(data: bytes) -> None:
    _glossary_import(data, ".csv")


def glossary_tsv(data: bytes) -> None:
    _glossary_import(data, ".tsv")


# ------------------------------------------------------------------------------------------- strategies

_TEXT_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("АБВгдеёжзийклмнопрстуфхцчшщъыьэюя ។៕៖ៗ៛កខគឃងចឆជឈញ្ាិីុូេែៃោៅំះ\u200b\u00a0\ufeff\u202e"
                         "\u0301\t\r\n.,;:!?«»“”\"'()-–—…&<>#*_`[]|0123456789")),
)
_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "latin-1", "koi8-r", "utf-32")


@st.composite
def encoded_text(draw, text_strategy=None) -> bytes:
    text = draw(text_strategy if text_strategy is not None else st.text(_TEXT_ALPHABET, max_size=400))
    enc = draw(st.sampled_from(_ENCODINGS))
    data = text.encode(enc, errors="replace")
    if draw(st.booleans()) and enc == "utf-8":
        data = codecs.BOM_UTF8 + data
    return data


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """Byte-level mutations of a real file: flips, inserts, deletes, truncation, splices of chunks."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 8))):
        if not data:
            break
        op = draw(st.integers(0, 5))
        i = draw(st.integers(0, len(data) - 1))
        if op == 0:
            data[i] = draw(st.integers(0, 255))
        elif op == 1:
            data[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == 2:
            del data[i:i + draw(st.integers(1, 64))]
        elif op == 3:
            del data[i:]
        elif op == 4:  # duplicate a chunk (repeats tags, entities, quotes)
            j = draw(st.integers(i, min(len(data), i + 200)))
            data[j:j] = data[i:j] * draw(st.integers(1, 20))
        else:
            data[i:i] = draw(st.sampled_from(_MARKUP_BITS)).encode()
    return bytes(data)


_MARKUP_BITS = [
    "<", ">", "</", "&", "&amp;", "&#0;", "&#x110000;", "&#xD800;", "&nbsp;", "&bogus;", "<!--", "-->",
    "<![CDATA[", "]]>", "<?xml version='1.0'?>", "<!DOCTYPE html>", "<script>", "</script>", "<style>", "\x00",
    "\ufeff", "\u202e", "\r", "\n\n", "# ", "```", "---\n", "* ", "1. ", "| a | b |\n|---|---|\n", "[x](y)",
    "![i](j)", "<br/>", "<p>", "</p>", "<tu>", "</tu>", "<tuv xml:lang='ru'>", "<seg>", "</seg>", "\"", "\"\"",
    ",", "\t", "=cmd|' /C calc'!A0", "<!ENTITY a 'b'>", "<bpt i='1'>", "<ph/>",
]

_HTML_TAGS = ["p", "div", "span", "h1", "h2", "h3", "article", "section", "header", "footer", "nav", "aside",
              "main", "ul", "li", "table", "tr", "td", "a", "b", "i", "em", "strong", "script", "style", "br",
              "time", "figure", "figcaption", "blockquote", "pre", "noscript", "svg", "math", "template",
              "iframe", "title", "head", "body", "html", "meta", "form", "button", "img"]
_ATTRS = ["class", "id", "href", "src", "content", "property", "name", "datetime", "style", "lang", "dir",
          "onload", "hidden", "role", "aria-hidden"]
_ATTR_VALUES = ["menu", "nav", "share", "article-body", "2020-12-29T17:39:00+07:00", "date", "article:published_time",
                "javascript:alert(1)", "sr-only", "", "rtl", "en", "x" * 50]


def _words():
    return st.text(_TEXT_ALPHABET, min_size=0, max_size=60)


def _html_node(children):
    @st.composite
    def node(draw):
        tag = draw(st.sampled_from(_HTML_TAGS))
        attrs = "".join(
            f' {draw(st.sampled_from(_ATTRS))}="{draw(st.sampled_from(_ATTR_VALUES))}"'
            for _ in range(draw(st.integers(0, 3)))
        )
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", f"</{tag}>", "", "</p>"]))
        return f"<{tag}{attrs}>{inner}{close}"

    return node()


html_fragment = st.recursive(
    st.one_of(_words(), st.sampled_from(_MARKUP_BITS)), _html_node, max_leaves=40
)


@st.composite
def html_document(draw) -> bytes:
    body = "".join(draw(st.lists(html_fragment, min_size=1, max_size=6)))
    title = draw(_words())
    doc = draw(st.sampled_from([
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f"<meta charset='utf-8'><meta property='article:published_time' content='{draw(_words())}'></head>"
        f"<body>{body}</body></html>",
        body,
        f"<html><body><article><h1>{title}</h1>{body}</article></body></html>",
    ]))
    return doc.encode(draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1251"])), errors="replace")


_MD_LINE = st.one_of(
    _words(),
    st.builds(lambda h, w: "#" * h + " " + w, st.integers(1, 7), _words()),
    st.builds(lambda w: "* " + w, _words()),
    st.builds(lambda n, w: f"{n}. " + w, st.integers(0, 99999), _words()),
    st.builds(lambda w: f"> {w}", _words()),
    st.builds(lambda w, u: f"[{w}]({u})", _words(), _words()),
    st.builds(lambda w: f"**{w}** _{w}_ `{w}`", _words()),
    st.sampled_from(["```", "---", "***", "| a | b |", "|---|---|", "<div>", "</div>", "", "",
                     "title: x", "date: 2020-12-29 17:39", "By Staff Writer", "Photo: AFP", "Share"]),
)


@st.composite
def markdown_document(draw) -> bytes:
    lines = draw(st.lists(_MD_LINE, min_size=1, max_size=30))
    if draw(st.booleans()):
        lines = ["---", f"title: {draw(_words())}", f"date: {draw(_words())}", "---"] + lines
    sep = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return sep.join(lines).encode("utf-8")


def _xml_text():
    return st.text(_TEXT_ALPHABET, max_size=40).map(
        lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
    ) | st.sampled_from(_MARKUP_BITS)


_INLINE = ["", '<bpt i="1">&lt;b&gt;</bpt>', '<ph x="1"/>', "<hi>x</hi>"]
_TU_ATTRS = ["", ' tuid="1"', ' srclang="ru"']


@st.composite
def tmx_document(draw) -> bytes:
    langs = ["en", "en-GB", "ru", "ru-RU", "km", "km-KH", "xx", "", "EN", "fr"]
    tus = []
    for _ in range(draw(st.integers(0, 6))):
        tuvs = "".join(
            f'<tuv xml:lang="{draw(st.sampled_from(langs))}"><seg>{draw(_xml_text())}'
            f'{draw(st.sampled_from(_INLINE))}'
            f'{draw(_xml_text())}</seg></tuv>'
            for _ in range(draw(st.integers(0, 4)))
        )
        props = draw(st.sampled_from(["", '<prop type="x-status">approved</prop>', "<note>n</note>"]))
        tus.append(f"<tu{draw(st.sampled_from(_TU_ATTRS))}>{props}{tuvs}</tu>")
    header = draw(st.sampled_from([
        '<header creationtool="x" creationtoolversion="1" datatype="plaintext" segtype="sentence" '
        'adminlang="en" srclang="en" o-tmf="x"/>',
        '<header srclang="*all*"/>', "", '<header/>',
    ]))
    doc = f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="{draw(st.sampled_from(["1.4", "1.4b", "2"]))}">' \
          f'{header}<body>{"".join(tus)}</body></tmx>'
    return doc.encode("utf-8")


STATUS_NOTES = ["preferredTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts",
                "admittedTerm-admn-sts", "noun", "", "zzz"]


@st.composite
def tbx_document(draw) -> bytes:
    entries = []
    for k in range(draw(st.integers(0, 5))):
        secs = "".join(
            f'<langSec xml:lang="{draw(st.sampled_from(["en", "ru", "km", "de", ""]))}"><termSec>'
            f'<term>{draw(_xml_text())}</term>'
            f'<termNote type="{draw(st.sampled_from(["administrativeStatus", "partOfSpeech", "x"]))}">'
            f'{draw(st.sampled_from(STATUS_NOTES))}</termNote>'
            f'</termSec></langSec>'
            for _ in range(draw(st.integers(0, 3)))
        )
        cid = draw(st.sampled_from(["c1", "c1", "", "&amp;", str(k)]))
        entries.append(f'<conceptEntry id="{cid}">{secs}</conceptEntry>')
    doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" '
           f'xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc>'
           f'</tbxHeader><text><body>{"".join(entries)}</body></text></tbx>')
    return doc.encode("utf-8")


@st.composite
def delimited_document(draw, sep: str) -> bytes:
    header = draw(st.sampled_from([
        ["concept", "en", "ru", "km", "status"], ["en", "ru", "km"], ["source", "target", "comment"],
        ["id", "lang", "term", "status"], [], ["en"],
    ]))
    cell = st.one_of(_words(), st.sampled_from(["=1+1", "+7", "-", "@SUM(A1)", "preferred", "forbidden",
                                                "deprecated", "", '"', '""', "a\nb", sep]))
    rows = [header] + [draw(st.lists(cell, max_size=7)) for _ in range(draw(st.integers(0, 8)))]

    def fmt(c: str) -> str:
        return f'"{c}"' if draw(st.booleans()) and '"' not in c else c

    text = "\r\n".join(sep.join(fmt(c) for c in row) for row in rows)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"])), errors="replace")


def _seeds(*names: str) -> list[bytes]:
    out = []
    for name in names:
        p = SEEDS / name
        if p.is_file():
            out.append(p.read_bytes())
    return out or [b"The Minister met the Ambassador.\n\nThey discussed trade."]


def _mix(*structured):
    return lambda seeds: st.one_of(
        st.binary(max_size=300), encoded_text(), *structured, mutated(seeds), mutated(seeds),
    )


@dataclass(frozen=True)
class Target:
    name: str
    harness: Callable[[bytes], None]
    strategy: Callable[[], st.SearchStrategy[bytes]]
    module: str  # the importer module the target drives


TARGETS: dict[str, Target] = {t.name: t for t in [
    Target("ingest-txt", ingest_txt, lambda: _mix()(_seeds("article.txt", "russian-cp1251.txt")),
           "workbench.ingest"),
    Target("ingest-md", ingest_md, lambda: _mix(markdown_document())(_seeds("article.md")), "workbench.ingest"),
    Target("ingest-html", ingest_html, lambda: _mix(html_document(), html_document())(_seeds("article.html")),
           "workbench.ingest"),
    Target("project-new", project_new, lambda: _mix(html_document(), markdown_document())(
        _seeds("article.txt", "article.html")), "workbench.ingest"),
    Target("project-open", project_open, lambda: damaged_db(), "workbench.core.store"),
    Target("tmx", tmx_read, lambda: _mix(tmx_document(), tmx_document())(_seeds("memory.tmx")), "workbench.tm.tmx"),
    Target("tm-import", tm_import, lambda: _mix(tmx_document())(_seeds("memory.tmx")), "workbench.tm.memory"),
    Target("tbx", glossary_tbx, lambda: _mix(tbx_document(), tbx_document())(_seeds("glossary.tbx")),
           "workbench.glossary"),
    Target("csv", glossary_csv, lambda: _mix(delimited_document(","), delimited_document(","))(
        _seeds("glossary.csv")), "workbench.glossary"),
    Target("tsv", glossary_tsv, lambda: _mix(delimited_document("\t"), delimited_document("\t"))(
        _seeds("glossary.tsv")), "workbench.glossary"),
]}
