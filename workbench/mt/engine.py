"""Loading an MT engine: picks the backend (CTranslate2 when a converted copy exists, else transformers) and
keeps one engine per model and backend in the process.

:class:`~workbench.mt.base.Engine` and ``ENGINE_VERSION`` are re-exported here for callers that type against
the engine.
"""

from __future__ import annotations

import os
import sys
import threading

from ..core.errors import ModelUnavailable
from .base import ENGINE_VERSION, Engine
from .ct2 import CT2Engine, convert
from .hf import HFEngine
from .registry import ModelEntry, get_model

__all__ = ["ENGINE_VERSION", "Engine", "clear_engines", "load_engine", "resolve_backend"]

_ENGINES: dict[tuple, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def resolve_backend(entry: ModelEntry, backend: str = "auto") -> str:
    backend = (backend or "auto").lower()
    if backend not in ("auto", "hf", "ct2"):
        raise ModelUnavailable(f"unknown MT backend {backend!r}: use hf, ct2 or auto")
    if backend == "auto":
        return "ct2" if entry.ct2_dir() is not None else "hf"
    return backend


def load_engine(model: str | ModelEntry | os.PathLike, backend: str = "auto") -> Engine:
    """Load a registered model (by name, entry or local directory) on the ``hf`` or ``ct2`` backend.

    ``auto`` uses CTranslate2 when a converted copy exists (``workbench models convert``), else transformers.
    Asking for ``ct2`` without a converted copy converts it first (int8). Engines are cached per process.
    """
    entry = model if isinstance(model, ModelEntry) else get_model(str(model))
    if not entry.installed:
        raise ModelUnavailable(
            f"model {entry.name} is not installed: run 'workbench models pull {entry.name}' (needs internet) "
            f"or 'workbench models import {entry.name} DIR' for a local copy")
    kind = resolve_backend(entry, backend)
    key = (str(entry.model_dir.resolve()), kind, entry.model_revision(), tuple(sorted(entry.tokens.items())),
           tuple(entry.tgt))
    with _ENGINES_LOCK:
        eng = _ENGINES.get(key)
        if eng is None:
            if kind == "ct2":
                if entry.ct2_dir() is None:
                    print(f"workbench: converting {entry.name} to CTranslate2 (int8), once...", file=sys.stderr)
                    convert(entry.model_dir, name=entry.name)
                eng = CT2Engine(entry)
            else:
                eng = HFEngine(entry)
            _ENGINES[key] = eng
    return eng


def clear_engines() -> None:
    with _ENGINES_LOCK:
        _ENGINES.clear()
