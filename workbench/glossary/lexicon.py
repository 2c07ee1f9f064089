"""A word translation table learned from aligned pairs: IBM Model 1 (expectation maximisation over word
co-occurrence, with an empty word), trained in both directions with numpy.

Co-occurrence alone cannot tell *coughing* → «кашель» from *coughing* → «чихание» when the two words keep
company; Model 1 can, because «чихание» is already explained by *sneezing* in those pairs. Term mining
(:mod:`workbench.glossary.mining`) weighs its phrase pairs with :meth:`Lexicon.phrase_scores`.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

import numpy as np

NULL = -1
#: probabilities below this count as this (a phrase word with no translation in the other phrase)
FLOOR = 1e-4


class Lexicon:
    """``p(f | e)`` and ``p(e | f)`` for word ids (non-negative integers) of two vocabularies."""

    def __init__(self, forward: dict[int, float], backward: dict[int, float], base: int):
        self.forward = forward    # e * base + f -> p(f | e)
        self.backward = backward  # e * base + f -> p(e | f)
        self.base = base

    @classmethod
    def train(cls, units: Sequence[tuple[Sequence[int], Sequence[int]]], iterations: int = 5) -> Lexicon:
        """``units``: per aligned pair, the source word ids and the target word ids (each word once)."""
        base = 1 + max((max(ws) for pair in units for ws in pair if ws), default=0)
        return cls(_model1(units, iterations, base, reverse=False), _model1(units, iterations, base, reverse=True),
                   base)

    def p(self, e: int, f: int) -> float:
        """``p(f | e)``."""
        return self.forward.get(e * self.base + f, 0.0)

    def phrase_scores(self, src_words: Sequence[int], tgt_words: Sequence[int]) -> tuple[float, float]:
        """How well two phrases translate each other word by word, in each direction: the geometric mean,
        over the target words, of the best ``p(f | e)`` from a word of the source phrase, and the same over
        the source words with ``p(e | f)`` (1.0: every word has a certain translation in the other phrase)."""
        if not src_words or not tgt_words:
            return FLOOR, FLOOR
        b, fw, bw = self.base, self.forward, self.backward
        f_side = sum(math.log(max(FLOOR, max(fw.get(e * b + f, 0.0) for e in src_words)))
                     for f in tgt_words) / len(tgt_words)
        e_side = sum(math.log(max(FLOOR, max(bw.get(e * b + f, 0.0) for f in tgt_words)))
                     for e in src_words) / len(src_words)
        return math.exp(f_side), math.exp(e_side)


def _model1(units, iterations: int, base: int, reverse: bool) -> dict[int, float]:
    """p(f | e) (or p(e | f) with ``reverse``) over the co-occurring word pairs, keyed ``e * base + f``.
    Word pairs are integers ``(conditioning word + 1) * base + generated word`` (0 for the empty word) and the
    rows live in compact arrays, so a big memory does not need gigabytes."""
    pair_ids: dict[int, int] = {}
    rows_pair = array("q")
    rows_group = array("q")
    group = 0
    for src, tgt in units:
        cond, gen = (tgt, src) if reverse else (src, tgt)
        if not cond or not gen:
            continue
        for g in gen:
            for c in (*cond, NULL):
                key = (c + 1) * base + g
                pid = pair_ids.get(key)
                if pid is None:
                    pid = pair_ids[key] = len(pair_ids)
                rows_pair.append(pid)
                rows_group.append(group)
            group += 1
    if not rows_pair:
        return {}
    keys = np.fromiter(pair_ids.keys(), dtype=np.int64, count=len(pair_ids))
    pair = np.frombuffer(rows_pair, dtype=np.int64)
    grp = np.frombuffer(rows_group, dtype=np.int64)
    cond_of_pair = np.unique(keys // base, return_inverse=True)[1]
    t = np.ones(len(keys), dtype=np.float64)
    for _ in range(iterations):
        v = t[pair]
        z = np.bincount(grp, weights=v, minlength=group)
        c = v / z[grp]
        counts = np.bincount(pair, weights=c, minlength=len(keys))
        totals = np.bincount(cond_of_pair, weights=counts)
        t = counts / totals[cond_of_pair]
    cond = keys // base - 1
    gen = keys % base
    real = cond != NULL
    e, f = (gen, cond) if reverse else (cond, gen)
    return dict(zip((e[real] * base + f[real]).tolist(), t[real].tolist()))
