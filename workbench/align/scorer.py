"""The score of a link: every signal of a source block against a vector of target blocks.

Link score (both sides non-empty)::

    w_sem * (cos - nbr) * log2(1 + min/max length)      embeddings (when the embedder covers both languages)
  + w_len * -(delta**2) / 2                              Gale-Church: delta of the length ratio learned from the pair
  + w_lex * (dice - 0.5) * min(items, 4) / 4             numbers, dates on both sides
  + w_name * min(matches, 3) / 3                         names (transliterated), glossary concepts: matches only
  + w_tr * (dice - tr_base) * min(words, 4) / 4          word translations (lexicon + in-document lexicon),
                                                         where both blocks have words the lexicon knows
  - w_end * |sentence ends difference|                   a 2-sentence line rarely matches a 1-sentence line
                                                         (with embeddings: only when >= 5% of lines hold 2+)
  + w_mt  * (chrF-style F of MT(source) vs target - 0.3) when an MT engine is given
  + prior[a-b]

``cos`` is the cosine of the embeddings of the concatenated sentences on each side, ``nbr`` the mean cosine
of each side with a sample of the other side's sentences (Vecalign's normalisation: a generic sentence that
is close to everything gains nothing; ``margin="local"`` uses Bertalign's margin instead, the sentences just
before and after the partner block, which measured worse here). A 1-0 or 0-1 link scores ``skip``, or
``end_skip`` before the first and after the last link of a document (a partial translation leaves the rest
of the source unlinked instead of gluing it on). A link never spans a line left out of the search (a blank line
or a 1-0 / 0-1 anchor).
"""

from __future__ import annotations

import numpy as np

from .features import AlignConfig, Side


class Scorer:
    """The link score of the module docstring, for one source block against a vector of target blocks.

    ``free_start`` / ``free_end``: the sides begin / end a document (not an anchor), so 1-0 / 0-1 links there
    score ``end_skip``.
    """

    def __init__(self, src: Side, tgt: Side, cfg: AlignConfig, ratio: float, coarse: bool,
                 free_start: bool = True, free_end: bool = True, prev: Scorer | None = None):
        self.s, self.t, self.cfg, self.c = src, tgt, cfg, ratio
        self.sem = cfg.use_sem and src.Ep is not None and tgt.Ep is not None
        self.lex = cfg.use_lex and src.lexp is not None and tgt.lexp is not None
        self.mt = cfg.use_mt and src.chrp is not None and tgt.chrp is not None
        self.tr = cfg.w_tr != 0 and src.trp is not None and tgt.trp is not None
        self.s2 = 6.8
        self.t_lexn = tgt.lexp.sum(axis=1) if self.lex else None
        self.coarse = coarse
        self.free_start, self.free_end = free_start, free_end
        self._src: dict[tuple[int, int], tuple] = {}
        self._memo: dict[tuple[int, int, int], tuple[int, np.ndarray, np.ndarray]] = {}
        # a scorer of the same sides whose terms other than word translations still hold (the first pass)
        self.prev = prev

    def _source(self, i0: int, a: int) -> tuple:
        """What the sparse terms need of source block (i0, a): the buckets it uses and their counts (computed
        once per block: every target block and link type of a row reuses it)."""
        key = (i0, a)
        got = self._src.get(key)
        if got is None:
            s = self.s
            lex = name = tr = None
            if self.lex:
                vs = s.lexp[i0 + a] - s.lexp[i0]
                cols = np.nonzero(vs)[0]
                ws = s.namep[i0 + a] - s.namep[i0]
                wcols = np.nonzero(ws)[0]
                lex, name = (cols, vs[cols], vs[cols].sum()), (wcols, ws[wcols])
            if self.tr:
                vs = s.trp[i0 + a] - s.trp[i0]
                cols = np.nonzero(vs)[0]
                tr = (cols, vs[cols], float(s.trn[i0 + a] - s.trn[i0]))
            if len(self._src) > 4096:
                self._src.clear()
            got = self._src[key] = (lex, name, tr)
        return got

    def _local_margin(self, i0: int, a: int, j0: np.ndarray, b: int, es: np.ndarray, et: np.ndarray) -> np.ndarray:
        """Bertalign's margin: mean similarity of each block with the sentences just before and after its partner.

        A block that matches its neighbours as well as its partner (a generic or a split sentence) gains little.
        """
        s, t = self.s, self.t
        left_t = j0 - 1
        right_t = j0 + b
        has_l = left_t >= 0
        has_r = right_t < t.n
        simt = np.zeros(len(j0))
        if t.n:
            Et = t.E
            simt = (np.where(has_l, Et[np.clip(left_t, 0, t.n - 1)] @ es, 0.0)
                    + np.where(has_r, Et[np.clip(right_t, 0, t.n - 1)] @ es, 0.0))
        cnt = has_l.astype(np.float64) + has_r
        simt = simt / np.maximum(cnt, 1.0)
        sims = np.zeros(len(j0))
        cs = 0
        if i0 - 1 >= 0:
            sims = sims + et @ s.E[i0 - 1]
            cs += 1
        if i0 + a < s.n:
            sims = sims + et @ s.E[i0 + a]
            cs += 1
        sims = sims / max(cs, 1)
        return 0.5 * (simt + sims)

    def null(self, i0: int, a: int, j0: np.ndarray, b: int) -> np.ndarray:
        """Scores of 1-0 (``b == 0``) or 0-1 (``a == 0``) links at ``(i0, j0)``."""
        cfg = self.cfg
        out = np.full(len(j0), cfg.skip)
        if b == 0:  # a source sentence left out: before any target (j0 == 0) or after all of it
            out[((j0 == 0) & self.free_start) | ((j0 == self.t.n) & self.free_end)] = cfg.end_skip
        elif (i0 == 0 and self.free_start) or (i0 == self.s.n and self.free_end):
            out[:] = cfg.end_skip
        return out

    def block(self, i0: int, a: int, j0: np.ndarray, b: int, parts: dict | None = None) -> np.ndarray:
        """Scores of the links (src i0..i0+a-1, tgt j0..j0+b-1) for a vector of ``j0``; ``parts`` (a dict)
        receives each term's contribution (the calibration's features).

        Full-resolution scores are remembered per source block and link type over the range of ``j0`` asked
        for, so the passes that share a scorer (the search, then the margins' forward and backward passes)
        compute each link once."""
        if a == 0 or b == 0:
            return self.null(i0, a, j0, b)
        if parts is not None or self.coarse or not len(j0):
            return self._block(i0, a, j0, b, parts)
        key = (i0, a, b)
        lo, hi = int(j0.min()), int(j0.max())
        got = self._memo.get(key)
        if got is not None:
            start, _base, total = got
            if start <= lo and hi < start + len(total):
                return total[j0 - start]
            lo, hi = min(lo, start), max(hi, start + len(total) - 1)
        js = np.arange(lo, hi + 1)
        base = None
        if self.prev is not None:
            pg = self.prev._memo.get(key)
            if pg is not None and pg[0] <= lo and hi < pg[0] + len(pg[1]):
                base = pg[1][js - pg[0]]
        if base is None:
            base = self._block(i0, a, js, b, None, tr=False)
        total = base + self._tr_term(i0, a, js, b, None) if self.tr else base
        self._memo[key] = (lo, base, total)
        return total[j0 - lo]

    def _tr_term(self, i0: int, a: int, j0: np.ndarray, b: int, parts: dict | None) -> np.ndarray:
        """The word-translation term: Dice of the lexicon items of the two blocks against a neutral value."""
        cfg, t = self.cfg, self.t
        cols, vals, ns = self._source(i0, a)[2]
        nt = t.trn[j0 + b] - t.trn[j0]
        tot = ns + nt
        if len(cols):
            vt = t.trp[j0 + b][:, cols] - t.trp[j0][:, cols]
            matched = np.minimum(vt, vals).sum(axis=1, dtype=np.float64)
        else:
            matched = np.zeros(len(j0))
        # evidence only where both blocks have words the lexicon knows
        dice = np.where((nt > 0) & (ns > 0), np.minimum(2.0 * matched / np.maximum(tot, 1.0), 1.0), cfg.tr_base)
        term = (dice - cfg.tr_base) * np.minimum(np.minimum(ns, nt), 4.0) / 4.0
        if parts is not None:
            parts["tr"] = term
            parts["tr_dice"] = dice
        return cfg.w_tr * term

    def _block(self, i0: int, a: int, j0: np.ndarray, b: int, parts: dict | None, tr: bool = True) -> np.ndarray:
        cfg = self.cfg
        s, t = self.s, self.t
        ls = s.Lp[i0 + a] - s.Lp[i0]
        lt = t.Lp[j0 + b] - t.Lp[j0]
        exp = ls * self.c
        score = np.full(len(j0), cfg.prior_many * (a + b - 2), dtype=np.float64)
        if not self.coarse:
            if a > 1 and s.brkp is not None and s.brkp[i0 + a] - s.brkp[i0 + 1] > 0:
                return np.full(len(j0), -np.inf)
            if b > 1 and t.brkp is not None:
                score[t.brkp[j0 + b] - t.brkp[j0 + 1] > 0] = -np.inf
        if cfg.use_length:
            mean = np.maximum((exp + lt) / 2.0, 1.0)
            delta = (lt - exp) / np.sqrt(self.s2 * mean)
            term = -cfg.w_len * np.minimum(delta * delta / 2.0, 50.0)
            score += term
            if parts is not None:
                parts["len"] = np.minimum(delta * delta / 2.0, 50.0)
        if self.sem:
            es = s.block_emb(i0, a)
            et = t.block_emb(j0, b)
            cos = et @ es
            if cfg.nbr and not self.coarse:
                if cfg.margin == "local":
                    cos = cos - cfg.nbr * self._local_margin(i0, a, j0, b, es, et)
                else:
                    cos = cos - cfg.nbr * 0.5 * (s.block_nbr(i0, a) + t.block_nbr(j0, b))
            lenfac = np.log2(1.0 + np.minimum(exp, lt) / np.maximum(np.maximum(exp, lt), 1e-9))
            score += cfg.w_sem * cos * lenfac
            if parts is not None:
                parts["sem"] = cos * lenfac
        src_lex, src_name, _src_tr = self._source(i0, a) if (self.lex or self.tr) else (None, None, None)
        if self.lex:
            # only the buckets the source block uses can match: a handful of columns, not all LEX_DIM
            cols, vals, ns = src_lex
            nt = self.t_lexn[j0 + b] - self.t_lexn[j0]
            tot = ns + nt
            if ns > 0 or nt.any():
                if len(cols):
                    vt = t.lexp[j0 + b][:, cols] - t.lexp[j0][:, cols]
                    matched = np.minimum(vt, vals).sum(axis=1)
                else:
                    matched = 0.0
                dice = np.where(tot > 0, 2.0 * matched / np.maximum(tot, 1), 0.5)
                term = (dice - 0.5) * np.minimum(tot, 4.0) / 4.0
                score += cfg.w_lex * term
                if parts is not None:
                    parts["lex"] = term
            # names and terms: only a match counts (a capitalised common word has no partner to miss)
            wcols, wvals = src_name
            if len(wcols):
                wt = t.namep[j0 + b][:, wcols] - t.namep[j0][:, wcols]
                term = np.minimum(np.minimum(wt, wvals).sum(axis=1), 3.0) / 3.0
                score += cfg.w_name * term
                if parts is not None:
                    parts["name"] = term
        if self.tr and tr:
            score += self._tr_term(i0, a, j0, b, parts)
        if cfg.w_end:
            es_ = s.endp[i0 + a] - s.endp[i0]
            et_ = t.endp[j0 + b] - t.endp[j0]
            score -= cfg.w_end * np.abs(es_ - et_)
            if parts is not None:
                parts["end"] = np.abs(es_ - et_)
        if self.mt:
            h = s.chrp[i0 + a] - s.chrp[i0]
            r = t.chrp[j0 + b] - t.chrp[j0]
            match = np.minimum(r, h).sum(axis=1)
            ph = match / max(s.chrtot[i0 + a] - s.chrtot[i0], 1.0)
            rc = match / np.maximum(t.chrtot[j0 + b] - t.chrtot[j0], 1.0)
            beta2 = 4.0  # chrF's beta = 2: recall weighs more
            f = np.where(ph + rc > 0, (1 + beta2) * ph * rc / np.maximum(beta2 * ph + rc, 1e-9), 0.0)
            score += cfg.w_mt * (f - 0.3)
            if parts is not None:
                parts["mt"] = f
        return score


