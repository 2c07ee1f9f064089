"""Safe file helpers every stage may use: atomic writes, size-limited reads, hardened XML parsing.

Atomic writes
    :func:`atomic_write` writes to a temporary file in the *same directory* as the target, flushes and
    ``fsync``s it, renames it over the target with :func:`os.replace` (atomic on POSIX), then ``fsync``s the
    directory so the rename itself survives a power cut. A reader, or a process killed at any moment
    (SIGKILL included), sees either the complete old file / no file, or the complete new file — never a
    truncated one. A stale temporary file (``.NAME.*.tmp``) may be left after a SIGKILL; it is never the
    target and :func:`atomic_write` ignores it.

Size-limited reads
    :func:`read_bytes_limited` refuses files larger than a limit with an :class:`~workbench.errors.InputError`
    naming the file, *before* reading them into memory (and also if a file grows while it is read).

Hardened XML
    :func:`xml_parser` and :func:`iterparse` never resolve entities, never load a DTD, never touch the
    network and keep libxml2's default size/depth limits (``huge_tree=False``): billion-laughs, external
    entities (XXE) and very deep nesting are refused. :func:`check_xml_prolog` rejects documents that declare
    entities or an internal DTD subset at all (TMX/TBX/XLIFF never need them) with a clear one-line error.
    :func:`xml_error` turns an lxml syntax error into an ``InputError`` naming the file and line.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import InputError

#: Default cap for documents users give us (source articles, glossaries): 50 MB.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
#: Default cap for XML exchange files read whole (TBX); streamed readers (TMX) need no cap.
MAX_XML_BYTES = 200 * 1024 * 1024


# ------------------------------------------------------------------------------------------ atomic writes


def fsync_dir(path: str | os.PathLike) -> None:
    """``fsync`` a directory so a rename/creation inside it is durable (no-op where unsupported)."""
    try:
        fd = os.open(str(path), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None,
    fsync: bool = True,
) -> Iterator[IO]:
    """Open a temporary file next to ``path`` for writing; on a clean exit it replaces ``path`` atomically.

    On an exception the temporary file is removed and ``path`` is left untouched. ``mode`` is ``"w"``
    (text) or ``"wb"`` (binary). The new file gets the old file's permission bits (or 0o644).
    """
    if mode not in ("w", "wb"):
        raise ValueError("atomic_write mode must be 'w' or 'wb'")
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(folder))
    tmp = Path(tmp_name)
    try:
        try:
            perms = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            perms = 0o666 & ~umask
        os.fchmod(fd, perms)
        if "b" in mode:
            fh = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
        if fsync:
            fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, fsync: bool = True) -> None:
    with atomic_write(path, "wb", fsync=fsync) as fh:
        fh.write(data)


def atomic_write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8", fsync: bool = True) -> None:
    with atomic_write(path, "w", encoding=encoding, newline="", fsync=fsync) as fh:
        fh.write(text)


# ------------------------------------------------------------------------------------------ limited reads


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def check_size(path: str | os.PathLike, max_bytes: int = MAX_DOCUMENT_BYTES) -> int:
    """Return the file size, or raise ``InputError`` if it is missing, not a regular file, or too big."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror or exc})") from None
    if p.is_dir():
        raise InputError(f"{p}: is a folder, not a file; give a document file")
    if st.st_size > max_bytes:
        raise InputError(f"{p}: file is too big ({_mb(st.st_size)}; the limit is {_mb(max_bytes)}); split it first")
    return st.st_size


def read_bytes_limited(path: str | os.PathLike, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Read a whole file, refusing (``InputError``) anything over ``max_bytes`` without reading it all."""
    p = Path(path)
    check_size(p, max_bytes)
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # it grew after the size check (or is a special file)
        raise InputError(f"{p}: file is too big (more than {_mb(max_bytes)}); split it first")
    return data


# -------------------------------------------------------------------------------------------- hardened XML

_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
)

_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def xml_parser(**extra):
    """An ``lxml.etree.XMLParser`` that resolves no entities, loads no DTD, uses no network, keeps limits."""
    from lxml import etree

    opts = dict(_PARSER_OPTIONS)
    opts.update(extra)
    return etree.XMLParser(**opts)


def check_xml_prolog(head: bytes, name: str | os.PathLike = "<xml>") -> None:
    """Refuse XML whose prolog declares entities or an internal DTD subset (entity-expansion/XXE attacks).

    ``head`` is the start of the file (the first 64 KiB are plenty: the prolog precedes the root element).
    UTF-16 input is normalised for the check.
    """
    sample = head
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
        sample = sample.replace(b"\x00", b"")
    if _ENTITY_DECL.search(sample) or _DOCTYPE_SUBSET.search(sample):
        raise InputError(
            f"{name}: XML declares entities or an inline DTD, which exchange files never need and attacks use; "
            "remove the <!DOCTYPE ...[...]> block and try again"
        )


def xml_error(name: str | os.PathLike, exc: Exception) -> InputError:
    """One-line ``InputError`` for an lxml parse error (naming the file and, if known, the line)."""
    msg = str(getattr(exc, "msg", "") or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    line = getattr(exc, "lineno", None) or (getattr(exc, "position", None) or (None,))[0]
    where = f" (line {line})" if line else ""
    return InputError(f"{name}: not well-formed XML{where}: {msg}; fix or re-export the file")


def parse_xml_bytes(data: bytes, name: str | os.PathLike = "<xml>"):
    """Parse a whole XML document from bytes with the hardened parser; errors become ``InputError``."""
    from lxml import etree

    check_xml_prolog(data[:65536], name)
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as exc:
        raise xml_error(name, exc) from None
    except ValueError as exc:  # e.g. unicode strings with an encoding declaration
        raise InputError(f"{name}: cannot parse as XML ({exc}); save it as UTF-8 and try again") from None
    if root is None:
        raise InputError(f"{name}: empty XML document")
    return root


def parse_xml_file(path: str | os.PathLike, max_bytes: int = MAX_XML_BYTES):
    """Read (size-limited) and parse an XML file with the hardened parser; returns the root element."""
    return parse_xml_bytes(read_bytes_limited(path, max_bytes), path)


def iterparse(path: str | os.PathLike, events=("end",), tag=None):
    """Stream an XML file with the hardened options (memory stays bounded if the caller clears elements).

    Yields ``(event, element)`` like :func:`lxml.etree.iterparse`; syntax errors become ``InputError``.
    Callers should call ``elem.clear()`` (and delete preceding siblings) after using each element.
    """
    from lxml import etree

    p = Path(path)
    check_size(p, max_bytes=1 << 62)
    with open(p, "rb") as fh:
        check_xml_prolog(fh.read(65536), p)
    try:
        yield from etree.iterparse(str(p), events=events, tag=tag, **_PARSER_OPTIONS)
    except etree.XMLSyntaxError as exc:
        raise xml_error(p, exc) from None


# ------------------------------------------------------------------------------------ CSV formula injection

#: Characters that make Excel/LibreOffice/Google Sheets treat a cell as a formula (OWASP list, plus the
#: full-width forms some spreadsheet locales accept).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def csv_safe_cell(value: object) -> str:
    """Neutralise a spreadsheet formula: a cell starting with ``= + - @`` (or TAB/CR, or their full-width
    forms) gets a leading apostrophe, which spreadsheets show as text and hide. Plain numbers (``-5``,
    ``+7``) cannot run anything and are left alone. Use it for files meant to be opened in a spreadsheet
    (exports), not for the project's own storage formats, which must round-trip exactly."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_safe_row(row) -> list[str]:
    return [csv_safe_cell(v) for v in row]
