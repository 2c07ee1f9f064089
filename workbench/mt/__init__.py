"""Marian machine translation (en->ru, en->km): model registry, one engine over transformers and
CTranslate2, placeholder protection, failure-mode guards, an MT cache and :func:`translate_project`.

Importing this package is cheap (no torch): the heavy parts load on first use.
"""

from __future__ import annotations

from .registry import ModelEntry, default_model, get_model, list_models, register_local  # noqa: F401


def load_engine(model, backend: str = "auto"):
    from .engine import load_engine as _load

    return _load(model, backend)


def translate_project(project, langs=None, **kwargs):
    from .project import translate_project as _tp

    return _tp(project, langs, **kwargs)


__all__ = ["ModelEntry", "default_model", "get_model", "list_models", "register_local", "load_engine",
           "translate_project"]
