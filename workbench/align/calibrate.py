"""A link's confidence as the probability that it is right.

Every link gets a feature vector (:func:`link_features`: its max-marginal margin, its score and each signal's
contribution, its type) and a logistic model turns the features into a probability. The coefficients were
fitted offline on development data only (``benchmarks/fit_align_calibration.py``: FLORES-200 dev bitexts of the
tuning half, the Text+Berg dev document, synthetic partial translations) and ship as
``workbench/data/align/calibration.json``, one model per mode: ``sem`` (sentence embeddings cover both
languages) and ``nosem`` (e.g. English-Khmer).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..core.config import PACKAGE_DATA

CALIBRATION_FILE = Path(PACKAGE_DATA) / "align" / "calibration.json"

#: the features, in the order of the coefficients
FEATURES = ("bias", "margin", "log_margin", "score", "sem", "len", "lex", "name", "tr", "tr_dice", "end",
            "null", "null_end", "null_len", "k11", "k_small", "k_big")


def link_features(a: int, b: int, score: float, margin: float, parts: dict, *, at_end: bool = False,
                  null_len: float = 0.0) -> np.ndarray:
    """The feature vector of one link (``a``-``b`` sentences; ``parts`` from ``Scorer.block``)."""
    def part(name: str) -> float:
        v = parts.get(name)
        return 0.0 if v is None else float(np.asarray(v).reshape(-1)[0])

    null = float(a == 0 or b == 0)
    size = a + b
    return np.array([
        1.0,
        margin,
        math.log1p(max(margin, 0.0)),
        0.0 if null else max(min(score, 5.0), -5.0),
        part("sem"),
        part("len"),
        part("lex"),
        part("name"),
        part("tr"),
        part("tr_dice") if "tr_dice" in parts else 0.0,
        part("end"),
        null,
        null * float(at_end),
        null * math.log1p(null_len),
        float(a == 1 and b == 1),
        float(not null and size == 3),
        float(not null and size >= 4),
    ])


@lru_cache(maxsize=1)
def load_calibration() -> dict[str, list[float]]:
    """``{mode: coefficients}`` from the shipped file (empty when it is missing)."""
    try:
        data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if data.get("features") != list(FEATURES):
        return {}
    return {k: v for k, v in data.get("models", {}).items()}


def probabilities(X: np.ndarray, mode: str) -> np.ndarray | None:
    """Calibrated probabilities for the rows of ``X`` (None when no model for ``mode`` ships)."""
    coef = load_calibration().get(mode)
    if coef is None or len(X) == 0:
        return None if coef is None else np.zeros(0)
    z = X @ np.asarray(coef, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty (not on the bias): the offline fit."""
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        g = X.T @ (p - y) + reg * w
        H = (X * (p * (1 - p))[:, None]).T @ X + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w
