"""The documents of a folder: listing, reading one document into sentences, and its pairing features.

Everything here runs where the work runs (a Dask worker, or the calling process): a document is read from its
path, or from bytes the caller sends, segmented the way a project segments it, and reduced to
:class:`DocFeatures`, a few kilobytes that say what survives translation (numbers, dates, names, glossary
terms, length, a document embedding). The text itself is not kept.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core.config import check_lang
from ..core.errors import InputError
from ..ingest.readers import MAX_BYTES, decode_bytes, detect_format, ingest_text
from ..ingest.segment import segment_paragraphs

#: the version of the features below; stored with cached features so a change recomputes them
FEATURES_VERSION = 1
#: file names never taken as documents (editor and OS litter)
_IGNORED = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class DocRef:
    """A document to read: ``name`` (its path relative to the folder, with ``/``), the folder, its size.

    ``data``: the file's bytes when the caller sends them instead of letting the worker read the file.
    """

    name: str
    root: str
    size: int = 0
    data: bytes | None = None

    @property
    def path(self) -> Path:
        return Path(self.root) / self.name

    def with_data(self) -> DocRef:
        return DocRef(self.name, self.root, self.size, read_bytes(self.path))


@dataclass
class Document:
    name: str
    sha: str  # sha256 of the file's bytes (the key of everything cached about it)
    sentences: list[str]
    paragraphs: list[int]  # paragraph number of each sentence


@dataclass
class DocFeatures:
    """What pairing needs of one document."""

    name: str
    sha: str
    n_sents: int
    chars: int  # characters without white space
    items: np.ndarray  # int64: hashed lexical items (numbers, months, weekdays, names, glossary concepts)
    counts: np.ndarray  # float32: how often each occurs
    emb: np.ndarray | None = None  # float32: mean sentence embedding (L2-normalised), None without embeddings
    embedder: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def list_documents(folder: str | os.PathLike) -> list[DocRef]:
    """Every file under ``folder`` (recursively, hidden files and folders left out), sorted by name.

    Raises :class:`InputError` for a missing folder or one without files.
    """
    root = Path(folder)
    if not root.exists():
        raise InputError(f"{root}: no such folder; give the folder that holds the documents")
    if not root.is_dir():
        raise InputError(f"{root}: is a file, not a folder; give the folder that holds the documents")
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in filenames:
            if fn.startswith(".") or fn in _IGNORED:
                continue
            p = Path(dirpath) / fn
            try:
                size = p.stat().st_size
            except OSError:
                size = 0
            out.append(DocRef(p.relative_to(root).as_posix(), str(root), size))
    if not out:
        raise InputError(f"{root}: the folder holds no documents")
    out.sort(key=lambda d: d.name)
    return out


def read_bytes(path: Path) -> bytes:
    """A document's bytes; :class:`InputError` when it cannot be read or is over the size limit."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: too big ({size / 1e6:.1f} MB, limit {MAX_BYTES // 2**20} MB); "
                             f"split it into smaller documents")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (is the folder visible where the work runs?)") from None
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_document(ref: DocRef, lang: str) -> Document:
    """Read, decode, clean and segment one document (as ``workbench new`` does). InputError when it is
    missing, binary, empty, undecodable or too big."""
    lang = check_lang(lang)
    data = ref.data if ref.data is not None else read_bytes(ref.path)
    sha = hashlib.sha256(data).hexdigest()
    label = str(ref.path)
    text = decode_bytes(data, label)
    doc = ingest_text(text, fmt=detect_format(ref.name, text), origin=label)
    segs = segment_paragraphs(doc.paragraphs, lang)
    if not segs:
        raise InputError(f"{label}: no sentences found; give a document with some text")
    return Document(ref.name, sha, [s for _, s in segs], [p for p, _ in segs])


def sha256_file(path: str | os.PathLike) -> str:
    """The sha256 of a file, read in blocks (OSError when it cannot be read)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ------------------------------------------------------------------------------------------------ features


def item_hash(item: str) -> int:
    """A stable 63-bit id of a lexical item (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(item.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def document_items(sentences: Sequence[str], lang: str, glossary: Any = None) -> Counter:
    """The lexical items of a document (the aligner's anchors: numbers, months, weekdays, Latin-script words,
    transliterated names, glossary concepts), counted."""
    from ..align.signals import lexical_items

    c: Counter = Counter()
    for s in sentences:
        c.update(lexical_items(s, lang, glossary))
    return c


def features(doc: Document, lang: str, *, embedder: Any = None, glossary: Any = None,
             max_embed: int = 200) -> DocFeatures:
    """Pairing features of a read document. ``embedder``: an object with ``name``, ``langs`` and
    ``encode(texts)`` (used only when it covers ``lang``); at most ``max_embed`` sentences, spread over the
    document, are embedded."""
    items = document_items(doc.sentences, lang, glossary)
    keys = sorted(items)
    ids = np.array([item_hash(k) for k in keys], dtype=np.int64)
    counts = np.array([items[k] for k in keys], dtype=np.float32)
    order = np.argsort(ids, kind="stable")
    chars = sum(len("".join(s.split()).replace("\u200b", "")) for s in doc.sentences)
    emb = None
    name = None
    if embedder is not None and lang in embedder.langs:
        sents = doc.sentences
        if len(sents) > max_embed:
            pick = np.linspace(0, len(sents) - 1, max_embed).round().astype(int)
            sents = [sents[i] for i in pick]
        vecs = np.asarray(embedder.encode(list(sents)), dtype=np.float32)
        v = vecs.mean(axis=0)
        norm = float(np.linalg.norm(v))
        emb = (v / norm if norm else v).astype(np.float32)
        name = embedder.name
    return DocFeatures(doc.name, doc.sha, len(doc.sentences), chars, ids[order], counts[order], emb, name)


def pack_features(f: DocFeatures) -> bytes:
    """DocFeatures as compact bytes (for the state file)."""
    import io

    buf = io.BytesIO()
    np.savez(buf, items=f.items, counts=f.counts, emb=f.emb if f.emb is not None else np.zeros(0, np.float32),
             meta=np.array([f.n_sents, f.chars], dtype=np.int64))
    return zlib.compress(buf.getvalue(), 3)


def unpack_features(raw: bytes, name: str, sha: str, embedder: str | None) -> DocFeatures:
    import io

    with np.load(io.BytesIO(zlib.decompress(raw))) as z:
        emb = z["emb"]
        n_sents, chars = (int(x) for x in z["meta"])
        return DocFeatures(name, sha, n_sents, chars, z["items"], z["counts"], emb if emb.size else None,
                           embedder if emb.size else None)


def iter_chunks(seq: Sequence, size: int) -> Iterator[Sequence]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]
