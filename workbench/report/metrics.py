"""Post-editing and MT metrics with sacrebleu: chrF, TER (HTER) and BLEU.

Post-editing: the MT draft of a translation is the first text the store's history records with origin
``mt``; the final text is the translation's current text. HTER is TER of the draft against the final text
(the share of words a translator had to edit); chrF and BLEU compare the draft with the final text too.

Khmer is written without spaces between words, so word-based metrics (BLEU, TER, chrF++) are meaningless on
raw Khmer text. For Khmer the primary metric is chrF (characters; sacrebleu ignores whitespace). BLEU and
TER for Khmer are computed only on text segmented into words with khmercut, and say so: the signature ends
in ``+khmercut``.

:func:`evaluate_files` scores line-aligned MT output against references (FLORES, TICO-19) and returns the
sacrebleu signatures.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER

from ..core.config import check_lang
from ..core.errors import InputError
from ..core.store import CONFIRMED
from ..text.tokens import khmer_words

MAX_EVAL_BYTES = 200 * 1024 * 1024

#: what the ``+khmercut`` suffix of a signature means
KHMER_TOKENISATION = "khmercut word segmentation (punctuation kept as tokens), then sacrebleu tokenize=none"


def _prep(texts: Sequence[str], lang: str, word_metric: bool) -> list[str]:
    if lang == "km" and word_metric:
        return [khmer_words(t) for t in texts]
    return list(texts)


def _bleu(lang: str, *, sentence: bool = False) -> BLEU:
    if lang == "km":  # already segmented by khmer_words; force: no "tokenized period" warning
        return BLEU(tokenize="none", effective_order=sentence, force=True)
    return BLEU(tokenize="13a", effective_order=sentence)


def _ter(lang: str) -> TER:
    return TER()


def _sig(metric, lang: str, word_metric: bool) -> str:
    sig = str(metric.get_signature())
    return sig + "+khmercut" if lang == "km" and word_metric else sig


# --------------------------------------------------------------------------------------- segment level


@dataclass
class SegmentScores:
    chrf: float
    ter: float  # HTER when hypothesis = MT draft and reference = post-edited text
    bleu: float | None  # None for Khmer unless asked (only meaningful with a stated tokenisation)


def strip_zwsp(text: str) -> str:
    return text.replace("\u200b", "")


def segment_scores(hypothesis: str, reference: str, lang: str, *, khmer_bleu: bool = True,
                   strip_zw: bool = True) -> SegmentScores:
    """chrF, TER and BLEU of one hypothesis against one reference (sacrebleu sentence-level).

    Khmer: TER and BLEU on khmercut words (see module docstring); with ``khmer_bleu=False`` BLEU is None.
    ``strip_zw``: for Khmer, drop zero-width spaces before chrF (they are invisible, but chrF counts them).
    """
    lang = check_lang(lang)
    if lang == "km" and strip_zw:
        hypothesis, reference = strip_zwsp(hypothesis), strip_zwsp(reference)
    chrf = CHRF().sentence_score(hypothesis, [reference]).score
    h, r = _prep([hypothesis, reference], lang, True)
    ter = TER().sentence_score(h, [r]).score
    bleu = None
    if lang != "km" or khmer_bleu:
        bleu = _bleu(lang, sentence=True).sentence_score(h, [r]).score
    return SegmentScores(chrf, ter, bleu)


def corpus_scores(hypotheses: Sequence[str], references: Sequence[Sequence[str]] | Sequence[str], lang: str,
                  *, chrf_plus: bool = False, strip_zw: bool = False) -> dict[str, Any]:
    """Corpus-level chrF, BLEU, TER (and chrF++ for non-Khmer when asked) with their signatures.

    ``references``: one list of reference lines, or several parallel lists (multi-reference).
    ``strip_zw``: Khmer only, remove zero-width spaces before chrF (the signature then ends in ``+nozwsp``);
    off by default so that scores compare with published ones (sacrebleu's default).
    """
    lang = check_lang(lang)
    if references and isinstance(references[0], str):
        refs = [list(references)]  # type: ignore[list-item]
    else:
        refs = [list(r) for r in references]  # type: ignore[union-attr]
    for r in refs:
        if len(r) != len(hypotheses):
            raise InputError(f"{len(hypotheses)} hypotheses but {len(r)} references: the files must be line-aligned")
    out: dict[str, Any] = {"lang": lang, "segments": len(hypotheses), "scores": {}, "signatures": {}}
    chrf = CHRF()
    zw = lang == "km" and strip_zw
    c_hyps = [strip_zwsp(h) for h in hypotheses] if zw else list(hypotheses)
    c_refs = [[strip_zwsp(x) for x in r] for r in refs] if zw else refs
    out["scores"]["chrF"] = chrf.corpus_score(c_hyps, c_refs).score
    out["signatures"]["chrF"] = _sig(chrf, lang, False) + ("+nozwsp" if zw else "")
    if chrf_plus and lang != "km":
        chrfpp = CHRF(word_order=2)
        out["scores"]["chrF++"] = chrfpp.corpus_score(list(hypotheses), refs).score
        out["signatures"]["chrF++"] = _sig(chrfpp, lang, False)
    hyp_w = _prep(hypotheses, lang, True)
    refs_w = [_prep(r, lang, True) for r in refs]
    bleu = _bleu(lang)
    out["scores"]["BLEU"] = bleu.corpus_score(hyp_w, refs_w).score
    out["signatures"]["BLEU"] = _sig(bleu, lang, True)
    ter = TER()
    out["scores"]["TER"] = ter.corpus_score(hyp_w, refs_w).score
    out["signatures"]["TER"] = _sig(ter, lang, True)
    if lang == "km":
        out["note"] = f"Khmer: chrF is the primary metric; BLEU and TER use {KHMER_TOKENISATION}"
    return out


# ------------------------------------------------------------------------------------ post-editing


@dataclass
class PostEdit:
    segment_id: int
    document_id: int
    lang: str
    draft: str
    final: str
    status: str
    confirmed: bool
    chrf: float
    hter: float
    bleu: float | None
    edit_distance: float  # normalised character Levenshtein distance draft -> final (0 = unchanged)
    edit_seconds: float | None  # from the MT draft to the first later confirmation, from history timestamps
    changed: bool = field(default=False)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _parse_at(at: str | None) -> _dt.datetime | None:
    if not at:
        return None
    try:
        return _dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


def mt_draft(history) -> tuple[str, int] | None:
    """The first MT text in a translation's history: ``(text, index in history)`` or None."""
    for i, h in enumerate(history):
        if h.new_origin == "mt" and (h.new_text or "").strip():
            return h.new_text, i
    return None


def post_edits(project, langs: Iterable[str] | None = None, *, confirmed_only: bool = False) -> list[PostEdit]:
    """One :class:`PostEdit` per translation that started as an MT draft and has a non-empty text now."""
    from rapidfuzz.distance import Levenshtein

    langs = [check_lang(lang) for lang in (langs or project.target_langs)]
    out: list[PostEdit] = []
    for seg in project.segments():
        for lang in langs:
            tr = seg.translations.get(lang)
            if tr is None or not tr.text.strip():
                continue
            hist = project.history(seg.id, lang)
            found = mt_draft(hist)
            if found is None:
                continue
            draft, idx = found
            if confirmed_only and tr.status not in CONFIRMED:
                continue
            sc = segment_scores(draft, tr.text, lang)
            seconds = None
            t0 = _parse_at(hist[idx].at)
            for h in hist[idx + 1:]:
                if h.new_status in CONFIRMED:
                    t1 = _parse_at(h.at)
                    if t0 and t1:
                        seconds = (t1 - t0).total_seconds()
                    break
            out.append(PostEdit(seg.id, seg.document_id, lang, draft, tr.text, tr.status, tr.status in CONFIRMED,
                                sc.chrf, sc.ter, sc.bleu,
                                Levenshtein.normalized_distance(strip_zwsp(draft), strip_zwsp(tr.text)), seconds,
                                draft != tr.text))
    return out


def post_edit_summary(edits: Sequence[PostEdit]) -> dict[str, Any]:
    """Document- or project-level scores over ``edits`` (one language): corpus chrF/HTER/BLEU of the drafts
    against the final texts, how many were changed, and median edit time."""
    if not edits:
        return {"segments": 0}
    lang = edits[0].lang
    if any(e.lang != lang for e in edits):
        raise ValueError("post_edit_summary: one language at a time")
    scores = corpus_scores([e.draft for e in edits], [e.final for e in edits], lang, strip_zw=True)
    times = sorted(e.edit_seconds for e in edits if e.edit_seconds is not None)
    return {
        "segments": len(edits),
        "changed": sum(e.changed for e in edits),
        "confirmed": sum(e.confirmed for e in edits),
        "chrF": scores["scores"]["chrF"],
        "HTER": scores["scores"]["TER"],
        "BLEU": scores["scores"]["BLEU"],
        "signatures": scores["signatures"],
        "mean_edit_distance": sum(e.edit_distance for e in edits) / len(edits),
        "median_edit_seconds": times[len(times) // 2] if times else None,
        "timed_segments": len(times),
    }


# ------------------------------------------------------------------------------------------ files


def read_lines(path: str | os.PathLike) -> list[str]:
    """Lines of a UTF-8 text file (BOM allowed); a one-line :class:`InputError` for anything else."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"{p}: the file is empty; give one segment per line")
    if size > MAX_EVAL_BYTES:
        raise InputError(f"{p}: {size // (1024 * 1024)} MB is too big to evaluate (limit {MAX_EVAL_BYTES >> 20} MB)")
    data = p.read_bytes()
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{p}: binary file, not text; give a UTF-8 text file with one segment per line")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{p}: broken UTF-16 text; save it as UTF-8") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{p}: not UTF-8 (byte {exc.start}); save it as UTF-8 (cp1251 and others are not "
                             "accepted here)") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def evaluate_files(ref: str | os.PathLike | Sequence[str | os.PathLike], hyp: str | os.PathLike,
                   lang: str, *, strip_zw: bool = False) -> dict[str, Any]:
    """Score a line-aligned hypothesis file against one or more reference files (``--ref`` in the CLI)."""
    lang = check_lang(lang)
    refs_paths = [ref] if isinstance(ref, (str, os.PathLike)) else list(ref)
    hyps = read_lines(hyp)
    refs = []
    for rp in refs_paths:
        lines = read_lines(rp)
        if len(lines) != len(hyps):
            raise InputError(f"{rp}: {len(lines)} lines but {hyp} has {len(hyps)}: the files must be line-aligned")
        refs.append(lines)
    out = corpus_scores(hyps, refs, lang, chrf_plus=True, strip_zw=strip_zw)
    out["hyp"] = str(hyp)
    out["ref"] = [str(r) for r in refs_paths]
    return out
