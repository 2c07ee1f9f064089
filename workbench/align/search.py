"""The alignment search: one dynamic programme over the lattice of links, searched in a corridor around a
coarser alignment, and the max-marginal margins of the chosen links (the link score: :mod:`.scorer`).

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

Links have up to ``max_size`` sentences a side; 4-sentence sides only in the types of ``big_types`` (lists:
four lines to one sentence), so a fourth size costs two link types, not seven.

Each chosen link also gets its *max-marginal margin*: the best total score of the path that uses it minus the
best total of any path that leaves its start point or enters its end point by another link (a forward and a
backward pass in a narrow corridor around the path). A link the evidence barely prefers has a small margin;
the calibration (:mod:`.calibrate`) turns margin and score into a probability.
"""


from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .features import AlignConfig, Side, prefix_sums, prefix_sums_u16
from .scorer import Scorer

__all__ = ["AlignConfig", "Scorer", "Side", "link_types", "margins", "path_corridor", "prefix_sums", "prefix_sums_u16",
           "search"]


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
    """The corridor of a fine path widened by ``band`` (where the margins and a second pass look)."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    pts = _points(path)
    for (i1, j1), (i2, j2) in zip(pts, pts[1:]):
        lo[i1:i2 + 1] = np.minimum(lo[i1:i2 + 1], j1)
        hi[i1:i2 + 1] = np.maximum(hi[i1:i2 + 1], j2)
    return _widen(lo, hi, n, m, band)


def search(src: Side, tgt: Side, cfg: AlignConfig, ratio: float, coarse: bool = False,
           on_row: Callable[[int], None] | None = None, free_start: bool = True, free_end: bool = True,
           scorer: Scorer | None = None) -> list[tuple[int, int]]:
    """The best path of links (``(a, b)`` per link) through the lattice of ``src`` x ``tgt``.

    ``on_row(i)`` is called as the search of the full-resolution lattice reaches source unit ``i``.
    ``scorer``: the full-resolution scorer to use (shared with :func:`margins`).
    """
    n, m = src.n, tgt.n
    if n == 0 or m == 0:
        return [(1, 0)] * n + [(0, 1)] * m
    full_lo = np.zeros(n + 1, dtype=np.int64)
    full_hi = np.full(n + 1, m, dtype=np.int64)
    if (n + 1) * (m + 1) <= cfg.full_cells or min(n, m) < 8:
        path = _dp(src, tgt, cfg, ratio, full_lo, full_hi, coarse, on_row, free_start, free_end, scorer)
        assert path is not None
        return path
    cpath = search(src.coarsen(), tgt.coarsen(), cfg, ratio, coarse=True, free_start=free_start, free_end=free_end)
    band = cfg.band
    while True:
        lo, hi = _corridor(cpath, n, m, band)
        path = _dp(src, tgt, cfg, ratio, lo, hi, coarse, on_row, free_start, free_end, scorer)
        if path is not None:
            return path
        band *= 2  # pragma: no cover - the corridor always holds the projected coarse path


def margins(src: Side, tgt: Side, cfg: AlignConfig, ratio: float, path: list[tuple[int, int]],
            free_start: bool = True, free_end: bool = True, scorer: Scorer | None = None,
            research: bool = False) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
    """Each link's score and max-marginal margin (see the module doc), in a corridor of ``margin_band``
    around ``path``: the best total minus the best total of a path that leaves the link's start point or
    enters its end point by another link (capped at 5). ``research``: the scorer changed since ``path`` was
    found (a second pass), so the best path within the corridor is taken first. Returns the path, the scores
    and the margins."""
    n, m = src.n, tgt.n
    if not path:
        return path, np.zeros(0), np.zeros(0)
    types = link_types(cfg)
    scorer = scorer or Scorer(src, tgt, cfg, ratio, False, free_start, free_end)
    lo, hi = path_corridor(path, n, m, cfg.margin_band)
    S, B, S2 = _forward(scorer, types, lo, hi, top2=True)
    if research:
        path = _backtrack(S, B, types, lo, n, m) or path
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
    return path, scores, mar
