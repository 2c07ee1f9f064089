"""A word translation table learned from aligned pairs: IBM Model 1 (expectation maximisation over word
co-occurrence, with an empty word), trained in both directions with numpy.

Co-occurrence alone cannot tell *coughing* → «кашель» from *coughing* → «чихание» when the two words keep
company; Model 1 can, because «чихание» is already explained by *sneezing* in those pairs. Term mining
(:mod:`workbench.glossary.mining`) weighs its phrase pairs with :meth:`Lexicon.phrase_scores`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

NULL = -1
#: probabilities below this count as this (a phrase word with no translation in the other phrase)
FLOOR = 1e-4


class Lexicon:
    """``p(f | e)`` and ``p(e | f)`` for word ids of two vocabularies."""

    def __init__(self, forward: dict[tuple[int, int], float], backward: dict[tuple[int, int], float]):
        self.forward = forward    # (e, f) -> p(f | e)
        self.backward = backward  # (e, f) -> p(e | f)

    @classmethod
    def train(cls, units: Sequence[tuple[Sequence[int], Sequence[int]]], iterations: int = 5) -> Lexicon:
        """``units``: per aligned pair, the source word ids and the target word ids (each word once)."""
        fwd = _model1(units, iterations, reverse=False)
        bwd = _model1(units, iterations, reverse=True)
        return cls(fwd, bwd)

    def phrase_scores(self, src_words: Sequence[int], tgt_words: Sequence[int]) -> tuple[float, float]:
        """How well two phrases translate each other word by word, in each direction: the geometric mean,
        over the target words, of the best ``p(f | e)`` from a word of the source phrase, and the same over
        the source words with ``p(e | f)`` (1.0: every word has a certain translation in the other phrase)."""
        if not src_words or not tgt_words:
            return FLOOR, FLOOR
        f_side = sum(math.log(max(FLOOR, max(self.forward.get((e, f), 0.0) for e in src_words)))
                     for f in tgt_words) / len(tgt_words)
        e_side = sum(math.log(max(FLOOR, max(self.backward.get((e, f), 0.0) for f in tgt_words)))
                     for e in src_words) / len(src_words)
        return math.exp(f_side), math.exp(e_side)


def _model1(units, iterations: int, reverse: bool) -> dict[tuple[int, int], float]:
    """p(f | e) (or p(e | f) with ``reverse``) over the co-occurring word pairs, keyed (e, f)."""
    pair_ids: dict[tuple[int, int], int] = {}
    given: list[int] = []   # the conditioning word of each pair (NULL included)
    rows_pair: list[int] = []
    rows_group: list[int] = []
    group = 0
    for src, tgt in units:
        cond, gen = (tgt, src) if reverse else (src, tgt)
        if not cond or not gen:
            continue
        for g in gen:
            for c in (*cond, NULL):
                key = (c, g)
                pid = pair_ids.get(key)
                if pid is None:
                    pid = pair_ids[key] = len(given)
                    given.append(c)
                rows_pair.append(pid)
                rows_group.append(group)
            group += 1
    if not rows_pair:
        return {}
    pair = np.asarray(rows_pair, dtype=np.int64)
    grp = np.asarray(rows_group, dtype=np.int64)
    cond_of_pair = np.unique(np.asarray(given, dtype=np.int64), return_inverse=True)[1]
    t = np.ones(len(given), dtype=np.float64)
    for _ in range(iterations):
        v = t[pair]
        z = np.bincount(grp, weights=v, minlength=group)
        c = v / z[grp]
        counts = np.bincount(pair, weights=c, minlength=len(given))
        totals = np.bincount(cond_of_pair, weights=counts)
        t = counts / totals[cond_of_pair]
    out: dict[tuple[int, int], float] = {}
    for (c, g), pid in pair_ids.items():
        if c == NULL:
            continue
        out[(g, c) if reverse else (c, g)] = float(t[pid])
    return out
