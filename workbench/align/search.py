"""The alignment search: features as prefix sums, the score of a link, and one dynamic programme over the
lattice of links, searched in a corridor around a coarser alignment.

Search
------
The lattice point ``(i, j)`` means "the first ``i`` source and ``j`` target sentences are aligned". A link
of type ``a-b`` moves from ``(i-a, j-b)`` to ``(i, j)``; the best path maximises the sum of link scores
(Bertalign-style: good links add up, so the search prefers the finest segmentation that still matches).
Rows of the lattice are processed one at a time and every row is a numpy vector, so each row costs a few
dozen vector operations.

Long documents are not searched over the whole ``n x m`` lattice: both sides are coarsened (pairs of
consecutive units, features summed) recursively until they are small, aligned there, and the coarse path,
projected back and widened by ``band`` units, is the only part of the finer lattice that is searched
(Vecalign-style recursive downsampling). Cost and memory are therefore ``O((n + m) * band)`` per level;
the levels shrink geometrically, so the whole is about linear in document length.

Link score (both sides non-empty)::

    w_sem * (cos - nbr) * log2(1 + min/max length)      embeddings (when the embedder covers both languages)
  + w_len * -(delta**2) / 2                              Gale-Church: delta of the length ratio learned from the pair
  + w_lex * (dice - 0.5) * min(items, 4) / 4             numbers, dates on both sides
  + w_name * min(matches, 3) / 3                         names (transliterated), glossary concepts: matches only
  + w_tr * (dice - tr_base) * min(words, 8) / 8          word translations (lexicon + in-document lexicon)
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

Links have up to ``max_size`` sentences a side; 4-sentence sides only in the types of ``big_types`` (lists:
four lines to one sentence), so a fourth size costs two link types, not seven.

Each chosen link also gets its *max-marginal margin*: the best total score of the path that uses it minus the
best total of any path that leaves its start point or enters its end point by another link (a forward and a
backward pass in a narrow corridor around the path). A link the evidence barely prefers has a small margin;
the calibration (:mod:`.calibrate`) turns margin and score into a probability.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import signals as sig


@dataclass
class AlignConfig:
    """Weights and search settings (defaults tuned on the Text+Berg dev document and FLORES dev bitexts 001-010)."""

    max_size: int = 4            # sentences per side in one link
    max_total: int = 6           # sentences in one link, both sides together (Bertalign: 5)
    big_types: tuple = ((4, 1), (1, 4))  # the allowed link types with a side above 3 sentences
    win_max: int = 3             # real concatenations are embedded up to this many sentences (beyond: mean vector)
    w_sem: float = 1.0
    w_len: float = 0.02
    w_lex: float = 0.25
    w_name: float = 0.1
    w_end: float = 0.08
    end_min_share: float = 0.05  # sentence-end term only when >= 5% of one side's lines hold 2+ sentences
    w_mt: float = 1.0
    w_tr: float = 0.3            # word translations (lexicon): weight
    tr_base: float = 0.25        # the translation dice that counts as neutral
    lexicon: bool = True         # word-translation evidence from the shipped lexicon and the document
    bootstrap: bool = True       # second pass with a lexicon learnt from the first pass's confident links
    ratio_clamp: float = 1.3     # the document's length ratio kept within prior / clamp .. prior * clamp
    nbr: float = 1.0             # how much of the neighbourhood mean similarity is subtracted
    margin: str = "sample"       # "sample": a random sample of the other side; "local": Bertalign's margin
    skip: float = -0.1           # score of a 1-0 / 0-1 link
    end_skip: float = 0.0        # ... before the first / after the last link of the document
    prior_many: float = 0.0      # per extra sentence in a link beyond 1-1
    band: int = 8                # half-width (in units) of the search corridor around the coarse path
    full_cells: int = 60_000     # below this many lattice cells the whole lattice is searched
    windows: bool = True         # embed real concatenations of 2..max_size sentences (else sum of vectors)
    use_length: bool = True
    use_lex: bool = True
    use_sem: bool = True
    use_mt: bool = True
    calibrate: bool = True       # confidence from the shipped calibration (else a logistic of the score)
    margin_band: int = 4         # half-width of the corridor the max-marginal margins are computed in
    # uncalibrated confidence = sigmoid((link score per sentence pair - conf_mid) * conf_k)
    conf_mid: float = 0.25
    conf_k: float = 8.0
    #: overrides used when no embedder covers the pair (e.g. English-Khmer): tuned separately.
    nosem: dict = field(default_factory=lambda: {"prior_many": -0.1, "w_len": 0.04, "w_lex": 0.25, "w_name": 0.2,
                                                  "skip": -0.12, "conf_mid": 0.0, "end_skip": -0.05,
                                                  "end_min_share": 0.0, "w_tr": 0.6})


# ------------------------------------------------------------------------------------- features


@dataclass
class Side:
    """One side of a document pair as prefix sums over its units (sentences, or coarsened runs of them)."""

    n: int
    Lp: np.ndarray                       # (n+1,) prefix sums of lengths
    lexp: np.ndarray | None              # (n+1, LEX_DIM) prefix sums of hashed strong anchors (numbers, dates)
    endp: np.ndarray                     # (n+1,) prefix sums of sentence-end counts
    E: np.ndarray | None = None          # (n, d) unit embeddings (normalised)
    Ep: np.ndarray | None = None         # (n+1, d) prefix sums of E
    win: dict[int, np.ndarray] | None = None   # k -> (n-k+1, d): embeddings of real k-sentence windows
    nbr: dict[int, np.ndarray] | None = None   # k -> (n-k+1,): mean similarity to the other side
    chrp: np.ndarray | None = None       # (n+1, CHR_DIM) prefix sums of char n-gram counts
    chrtot: np.ndarray | None = None     # (n+1,) prefix sums of char n-gram totals
    namep: np.ndarray | None = None      # (n+1, LEX_DIM) prefix sums of hashed weak anchors (names, terms)
    brkp: np.ndarray | None = None       # (n+1,) prefix sums of "unit k does not follow unit k-1" (left-out lines)
    trp: np.ndarray | None = None        # (n+1, TR_DIM) uint16 prefix sums of hashed word-translation keys
    trn: np.ndarray | None = None        # (n+1,) prefix sums of the words that have a lexicon entry

    def slice(self, a: int, b: int) -> Side:
        """Units ``a..b-1`` as a side of their own (prefix sums re-based)."""
        def p(x):
            return None if x is None else x[a:b + 1] - x[a]
        win = None if self.win is None else {k: v[a:max(a, b - k + 1)] for k, v in self.win.items()}
        nbr = None if self.nbr is None else {k: v[a:max(a, b - k + 1)] for k, v in self.nbr.items()}
        return Side(b - a, p(self.Lp), p(self.lexp), p(self.endp),
                     None if self.E is None else self.E[a:b], p(self.Ep), win, nbr, p(self.chrp), p(self.chrtot),
                     p(self.namep), p(self.brkp), p(self.trp), p(self.trn))

    def select(self, idx: np.ndarray) -> Side:
        """The units at ``idx`` (sorted) as a side of their own; a contiguous run is a cheap slice."""
        if len(idx) == 0:
            return self.slice(0, 0)
        a, b = int(idx[0]), int(idx[-1]) + 1
        if b - a == len(idx):
            return self.slice(a, b)
        def p(x):
            return None if x is None else prefix_sums(np.diff(x, axis=0)[idx])
        E = None if self.E is None else self.E[idx]
        # a link may not span a line left out of the search (a blank line, a 1-0 / 0-1 anchor)
        brk = np.concatenate([[0.0], (np.diff(idx) > 1).astype(np.float64)])
        trp = None if self.trp is None else prefix_sums_u16(np.diff(self.trp, axis=0)[idx])
        return Side(len(idx), p(self.Lp), p(self.lexp), p(self.endp), E, None if E is None else prefix_sums(E),
                     None, None, p(self.chrp), p(self.chrtot), p(self.namep), prefix_sums(brk), trp, p(self.trn))

    def coarsen(self) -> Side:
        """Pairs of consecutive units as one unit (the last one alone when ``n`` is odd)."""
        idx = np.arange(0, self.n + 1, 2)
        if idx[-1] != self.n:
            idx = np.append(idx, self.n)
        def p(x):
            return None if x is None else x[idx]
        E = Ep = None
        if self.Ep is not None:
            Ep = self.Ep[idx]
            E = sig.normalise(np.diff(Ep, axis=0))
            Ep = np.vstack([np.zeros((1, Ep.shape[1]), np.float32), np.cumsum(E, axis=0)])
        return Side(len(idx) - 1, p(self.Lp), p(self.lexp), p(self.endp), E, Ep, None, None,
                     p(self.chrp), p(self.chrtot), p(self.namep), None, p(self.trp), p(self.trn))

    def block_emb(self, i0: np.ndarray | int, k: int) -> np.ndarray:
        if self.win is not None and k in self.win:
            return self.win[k][i0]
        v = self.Ep[np.asarray(i0) + k] - self.Ep[i0]
        if v.ndim == 1:
            nv = np.linalg.norm(v) or 1.0
            return v / nv
        nv = np.linalg.norm(v, axis=1, keepdims=True)
        nv[nv == 0] = 1.0
        return v / nv

    def block_nbr(self, i0, k: int):
        if self.nbr is not None and k in self.nbr:
            return self.nbr[k][i0]
        return 0.0


def prefix_sums(x: np.ndarray) -> np.ndarray:
    z = np.zeros((1,) + x.shape[1:], dtype=np.float32 if x.dtype != np.float64 else np.float64)
    return np.concatenate([z, np.cumsum(x, axis=0)], axis=0)


def prefix_sums_u16(x: np.ndarray) -> np.ndarray:
    """Prefix sums in uint16, which wrap around: a difference of two is exact while a block's count < 65536
    (half the memory of float32 for the wide word-translation vectors)."""
    z = np.zeros((1,) + x.shape[1:], dtype=np.uint16)
    return np.concatenate([z, np.cumsum(x.astype(np.uint16), axis=0, dtype=np.uint16)], axis=0)


# ------------------------------------------------------------------------------------- scoring


class Scorer:
    """The link score of the module docstring, for one source block against a vector of target blocks.

    ``free_start`` / ``free_end``: the sides begin / end a document (not an anchor), so 1-0 / 0-1 links there
    score ``end_skip``.
    """

    def __init__(self, src: Side, tgt: Side, cfg: AlignConfig, ratio: float, coarse: bool,
                 free_start: bool = True, free_end: bool = True):
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
        self._memo: dict[tuple[int, int, int], tuple[int, np.ndarray]] = {}

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
            start, vals = got
            if start <= lo and hi < start + len(vals):
                return vals[j0 - start]
            lo, hi = min(lo, start), max(hi, start + len(vals) - 1)
        vals = self._block(i0, a, np.arange(lo, hi + 1), b, None)
        self._memo[key] = (lo, vals)
        return vals[j0 - lo]

    def _block(self, i0: int, a: int, j0: np.ndarray, b: int, parts: dict | None) -> np.ndarray:
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
        src_lex, src_name, src_tr = self._source(i0, a) if (self.lex or self.tr) else (None, None, None)
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
        if self.tr:
            cols, vals, ns = src_tr
            nt = t.trn[j0 + b] - t.trn[j0]
            tot = ns + nt
            if len(cols):
                vt = t.trp[j0 + b][:, cols] - t.trp[j0][:, cols]
                matched = np.minimum(vt, vals).sum(axis=1, dtype=np.float64)
            else:
                matched = np.zeros(len(j0))
            dice = np.where(tot > 0, np.minimum(2.0 * matched / np.maximum(tot, 1.0), 1.0), cfg.tr_base)
            term = (dice - cfg.tr_base) * np.minimum(tot, 8.0) / 8.0
            score += cfg.w_tr * term
            if parts is not None:
                parts["tr"] = term
                parts["tr_dice"] = dice
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


def link_types(cfg: AlignConfig) -> list[tuple[int, int]]:
    """The link types searched: 1-1, 1-0, 0-1, every a-b up to 3 a side within ``max_total``, and
    ``big_types`` (sides of 4) when ``max_size`` allows them."""
    types = [(1, 1), (1, 0), (0, 1)]
    for a in range(1, min(cfg.max_size, 3) + 1):
        for b in range(1, min(cfg.max_size, 3) + 1):
            if (a, b) != (1, 1) and a + b <= cfg.max_total:
                types.append((a, b))
    types += [tuple(t) for t in cfg.big_types if max(t) <= cfg.max_size and tuple(t) not in types]
    return types


def _top2(best: np.ndarray, second: np.ndarray, idx: np.ndarray, cand: np.ndarray) -> None:
    """Fold candidates into the best and second-best values at ``idx`` (in place)."""
    b, s2 = best[idx], second[idx]
    second[idx] = np.maximum(s2, np.minimum(b, cand))
    best[idx] = np.maximum(b, cand)


def _forward(scorer: Scorer, types, lo: np.ndarray, hi: np.ndarray, on_row: Callable[[int], None] | None = None,
             top2: bool = False) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray] | None]:
    """Best score of every lattice point within ``lo[i] <= j <= hi[i]`` from (0, 0), the link type used, and
    (``top2``) the best score reaching the point by a different last link."""
    n = scorer.s.n
    S: list[np.ndarray] = []
    B: list[np.ndarray] = []
    S2: list[np.ndarray] | None = [] if top2 else None
    col01 = types.index((0, 1))
    for i in range(n + 1):
        if on_row is not None:
            on_row(i)
        l, h = int(lo[i]), int(hi[i])
        js = np.arange(l, h + 1)
        best = np.full(len(js), -np.inf)
        second = np.full(len(js), -np.inf)
        bp = np.full(len(js), -1, dtype=np.int8)
        if i == 0 and l == 0:
            best[0] = 0.0
        for ti, (a, b) in enumerate(types):
            if a == 0 or i - a < 0:
                continue
            r = i - a
            pj = js - b
            rl, rh = int(lo[r]), int(hi[r])
            valid = (pj >= rl) & (pj <= rh)
            if not valid.any():
                continue
            vidx = np.nonzero(valid)[0]
            prev = S[r][pj[vidx] - rl]
            ok = np.isfinite(prev)
            if not ok.any():
                continue
            vidx, prev = vidx[ok], prev[ok]
            cand = prev + scorer.block(r, a, pj[vidx], b)
            better = cand > best[vidx]
            bp[vidx[better]] = ti
            if top2:
                _top2(best, second, vidx, cand)
            else:
                best[vidx[better]] = cand[better]
        # 0-1 links within the row: best[j] = max(best[j], best[j-1] + skip), all at once.
        if len(js) > 1:
            step = np.concatenate([[0.0], scorer.null(i, 0, js[1:] - 1, 1)])
            cum = np.cumsum(step)
            run = np.maximum.accumulate(best - cum) + cum
            better = run > best + 1e-12
            if top2:
                cand = np.concatenate([[-np.inf], run[:-1] + step[1:]])
                _top2(best, second, np.arange(len(js)), cand)
            best = np.where(better, run, best)
            bp[better] = col01
        S.append(best)
        B.append(bp)
        if S2 is not None:
            S2.append(second)
    return S, B, S2


def _backward(scorer: Scorer, types, lo: np.ndarray, hi: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Best score from every lattice point within the corridor to (n, m), and the best by a different first
    link."""
    n, m = scorer.s.n, scorer.t.n
    G: list = [None] * (n + 1)
    G2: list = [None] * (n + 1)
    for i in range(n, -1, -1):
        l, h = int(lo[i]), int(hi[i])
        js = np.arange(l, h + 1)
        best = np.full(len(js), -np.inf)
        second = np.full(len(js), -np.inf)
        if i == n and h == m:
            best[-1] = 0.0
        for a, b in types:
            if a == 0 or i + a > n:
                continue
            r = i + a
            nj = js + b
            rl, rh = int(lo[r]), int(hi[r])
            valid = (nj >= rl) & (nj <= rh)
            if not valid.any():
                continue
            vidx = np.nonzero(valid)[0]
            nxt = G[r][nj[vidx] - rl]
            ok = np.isfinite(nxt)
            if not ok.any():
                continue
            vidx, nxt = vidx[ok], nxt[ok]
            _top2(best, second, vidx, nxt + scorer.block(i, a, js[vidx], b))
        # 0-1 links within the row, right to left: best[j] = max(best[j], skip(j) + best[j+1])
        if len(js) > 1:
            step = scorer.null(i, 0, js[:-1], 1)
            rev = best[::-1]
            st = np.concatenate([[0.0], step[::-1]])
            cum = np.cumsum(st)
            run = (np.maximum.accumulate(rev - cum) + cum)[::-1]
            cand = np.concatenate([run[1:] + step, [-np.inf]])
            _top2(best, second, np.arange(len(js)), cand)
        G[i] = best
        G2[i] = second
    return G, G2


def _backtrack(S, B, types, lo: np.ndarray, n: int, m: int) -> list[tuple[int, int]] | None:
    if not (lo[n] <= m < lo[n] + len(S[n])) or not np.isfinite(S[n][m - lo[n]]):
        return None
    path: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = B[i][j - lo[i]]
        if t < 0:
            return None
        a, b = types[t]
        path.append((a, b))
        i, j = i - a, j - b
    path.reverse()
    return path


def _dp(src: Side, tgt: Side, cfg: AlignConfig, ratio: float, lo: np.ndarray, hi: np.ndarray,
        coarse: bool, on_row: Callable[[int], None] | None = None, free_start: bool = True,
        free_end: bool = True, scorer: Scorer | None = None) -> list[tuple[int, int]] | None:
    """Best path within the corridor ``lo[i] <= j <= hi[i]``; ``None`` if the corridor has no path.
    ``on_row(i)`` is called as row ``i`` of the lattice is reached."""
    types = link_types(cfg)
    scorer = scorer or Scorer(src, tgt, cfg, ratio, coarse, free_start, free_end)
    S, B, _ = _forward(scorer, types, lo, hi, on_row)
    return _backtrack(S, B, types, lo, src.n, tgt.n)


def _points(path: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    pts = [(0, 0)]
    for a, b in path:
        i, j = pts[-1]
        pts.append((i + a, j + b))
    return pts


def _widen(lo: np.ndarray, hi: np.ndarray, n: int, m: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """A corridor that is +-band in both directions around ``lo..hi``."""
    lo_w = lo.copy()
    hi_w = hi.copy()
    for d in range(1, band + 1):
        lo_w[d:] = np.minimum(lo_w[d:], lo[:-d])
        hi_w[:-d] = np.maximum(hi_w[:-d], hi[d:])
    lo_w = np.clip(lo_w - band, 0, m)
    hi_w = np.clip(hi_w + band, 0, m)
    lo_w[0] = 0
    hi_w[n] = m
    return lo_w, hi_w


def _corridor(coarse_path, n: int, m: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """Project a coarse path (units of two) onto the fine lattice and widen it by ``band``."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    pts = [(min(2 * i, n), min(2 * j, m)) for i, j in _points(coarse_path)]
    for (i1, j1), (i2, j2) in zip(pts, pts[1:]):
        lo[i1:i2 + 1] = np.minimum(lo[i1:i2 + 1], j1)
        hi[i1:i2 + 1] = np.maximum(hi[i1:i2 + 1], j2)
    return _widen(lo, hi, n, m, band)


def path_corridor(path, n: int, m: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """The corridor of a fine path widened by ``band`` (for a second pass, and for the margins)."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    pts = _points(path)
    for (i1, j1), (i2, j2) in zip(pts, pts[1:]):
        lo[i1:i2 + 1] = np.minimum(lo[i1:i2 + 1], j1)
        hi[i1:i2 + 1] = np.maximum(hi[i1:i2 + 1], j2)
    return _widen(lo, hi, n, m, band)


def search(src: Side, tgt: Side, cfg: AlignConfig, ratio: float, coarse: bool = False,
           on_row: Callable[[int], None] | None = None, free_start: bool = True, free_end: bool = True,
           around: list[tuple[int, int]] | None = None, scorer: Scorer | None = None) -> list[tuple[int, int]]:
    """The best path of links (``(a, b)`` per link) through the lattice of ``src`` x ``tgt``.

    ``on_row(i)`` is called as the search of the full-resolution lattice reaches source unit ``i``.
    ``around``: a path found before (a first pass); only a corridor of ``band`` around it is searched.
    ``scorer``: the full-resolution scorer to use (shared with :func:`margins`).
    """
    n, m = src.n, tgt.n
    if n == 0 or m == 0:
        return [(1, 0)] * n + [(0, 1)] * m
    full_lo = np.zeros(n + 1, dtype=np.int64)
    full_hi = np.full(n + 1, m, dtype=np.int64)
    if around is None and ((n + 1) * (m + 1) <= cfg.full_cells or min(n, m) < 8):
        path = _dp(src, tgt, cfg, ratio, full_lo, full_hi, coarse, on_row, free_start, free_end, scorer)
        assert path is not None
        return path
    cpath = None if around is not None else search(src.coarsen(), tgt.coarsen(), cfg, ratio, coarse=True,
                                                     free_start=free_start, free_end=free_end)
    band = cfg.band
    while True:
        lo, hi = path_corridor(around, n, m, band) if around is not None else _corridor(cpath, n, m, band)
        path = _dp(src, tgt, cfg, ratio, lo, hi, coarse, on_row, free_start, free_end, scorer)
        if path is not None:
            return path
        band *= 2  # pragma: no cover - the corridor always holds the projected coarse path


def margins(src: Side, tgt: Side, cfg: AlignConfig, ratio: float, path: list[tuple[int, int]],
            free_start: bool = True, free_end: bool = True,
            scorer: Scorer | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each link's score and max-marginal margin (see the module doc), in a corridor of ``margin_band``
    around ``path``: the best total minus the best total of a path that leaves the link's start point or
    enters its end point by another link (capped at 5)."""
    n, m = src.n, tgt.n
    k = len(path)
    if not k:
        return np.zeros(0), np.zeros(0)
    types = link_types(cfg)
    scorer = scorer or Scorer(src, tgt, cfg, ratio, False, free_start, free_end)
    lo, hi = path_corridor(path, n, m, cfg.margin_band)
    S, _B, S2 = _forward(scorer, types, lo, hi, top2=True)
    G, G2 = _backward(scorer, types, lo, hi)
    pts = _points(path)
    fw = np.array([S[i][j - lo[i]] for i, j in pts])
    fw2 = np.array([S2[i][j - lo[i]] for i, j in pts])
    bw = np.array([G[i][j - lo[i]] for i, j in pts])
    bw2 = np.array([G2[i][j - lo[i]] for i, j in pts])
    total = fw[-1]
    scores = np.diff(fw)
    alt = np.maximum(fw[:-1] + bw2[:-1], fw2[1:] + bw[1:])  # leave the start / enter the end another way
    with np.errstate(invalid="ignore"):
        mar = np.where(np.isfinite(alt), np.minimum(total - alt, 5.0), 5.0)
    return scores, mar
