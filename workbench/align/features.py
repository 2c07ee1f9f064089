"""The aligner's settings (:class:`AlignConfig`) and the per-side features as prefix sums (:class:`Side`), so that
the features of any block of consecutive sentences are a difference of two rows."""

from __future__ import annotations

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
                                                  "skip": -0.12, "conf_mid": 0.0, "end_skip": -0.12,
                                                  "end_min_share": 0.0, "w_tr": 0.6})


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


