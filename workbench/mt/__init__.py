"""Marian machine translation (en->ru, en->km): model registry, one engine over transformers and
CTranslate2, placeholder protection, failure-mode guards, an MT cache and :func:`translate_project`.

Importing this package is cheap (no torch): the heavy parts load on first use.
"""

from __future__ import annotations

from .engine import load_engine
from .project import translate_project
from .registry import ModelEntry, default_model, get_model, list_models, register_local

__all__ = ["ModelEntry", "default_model", "get_model", "list_models", "register_local", "load_engine",
           "translate_project"]
