"""The engine interface shared by both backends (transformers and CTranslate2).

``Engine.translate(sentences, tgt_lang, *, beam=4, n_best=1, max_length=256)`` returns, for each sentence, a
list of ``n_best`` :class:`~workbench.mt.hypothesis.Hypothesis` (best first). Shared here, whatever the backend:
target-token checks, empty and over-long inputs, placeholder protection, failure-mode guards, detokenisation.
A backend only implements :meth:`Engine._decode` (token strings in, token strings + scores out).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from ..core.config import check_lang
from ..core.errors import ModelUnavailable
from ..text.scripts import sentence_separator
from . import guards, protect
from .hypothesis import Hypothesis
from .registry import DEFAULT_TOKENS, ModelEntry
from .tokenizer import SpmTokenizer

#: bump when engine logic changes what a given input produces (part of the MT cache key)
ENGINE_VERSION = 1


class Engine:
    """Base class of the backends; get one with :func:`workbench.mt.engine.load_engine`."""

    backend = "?"

    def __init__(self, entry: ModelEntry, tokenizer: SpmTokenizer, max_positions: int):
        self.entry = entry
        self.name = entry.name
        self.path = entry.model_dir
        self.tokenizer = tokenizer
        self.revision = entry.model_revision()
        limit = min(tokenizer.model_max_length or 512, max_positions, 512)
        self.max_source_tokens = max(8, limit - 2)
        self.codes = list(tokenizer.codes)
        self._lock = threading.Lock()  # the models are not re-entrant; the UI may call from several threads

    # -- languages ---------------------------------------------------------------------------------

    def target_token(self, tgt_lang: str) -> str | None:
        """The ``>>xxx<<`` prefix for ``tgt_lang`` (None for a single-target model); checked against the
        tokenizer's supported codes, since MarianTokenizer silently turns an unknown one into ``<unk>``."""
        lang = check_lang(tgt_lang)
        token = self.entry.token_for(lang)
        if self.codes:
            token = token or DEFAULT_TOKENS.get(lang)
            if token not in self.codes:
                shown = ", ".join(self.codes[:8]) + (" ..." if len(self.codes) > 8 else "")
                raise ModelUnavailable(
                    f"model {self.name} has no target token {token} for {lang} (it knows {shown}): "
                    f"choose another model with --model, see 'workbench models list'")
            return token
        if token:
            raise ModelUnavailable(f"model {self.name} is single-target but the registry gives it token {token}; "
                                   f"remove 'tokens' from its entry in models.toml")
        if self.entry.tgt and lang not in self.entry.tgt:
            raise ModelUnavailable(f"model {self.name} translates into {','.join(self.entry.tgt)}, not {lang}: "
                                   f"choose another model with --model, see 'workbench models list'")
        return None

    # -- main entry point --------------------------------------------------------------------------

    def translate(
        self,
        sentences: Sequence[str],
        tgt_lang: str,
        *,
        beam: int = 4,
        n_best: int = 1,
        max_length: int = 256,
        batch_size: int = 16,
        protect_spans: bool = True,
        keep: Sequence[str] = (),
        no_repeat_ngram_size: int = 0,
    ) -> list[list[Hypothesis]]:
        """Translate ``sentences`` into ``tgt_lang``; one list of ``n_best`` hypotheses per sentence.

        Empty sentences give ``[Hypothesis("", 0.0)]``. Sentences longer than the model's input limit are
        translated in pieces (flag ``split``). Protected spans (numbers, URLs, e-mails, ``keep`` names) that
        the model damaged are re-done with placeholders. Outputs that loop are decoded once more with
        ``no_repeat_ngram_size=3`` (flag ``no_repeat_retry``); flags ``repetition``, ``length_ratio``,
        ``truncated``, ``placeholder_lost`` mark what is still wrong.
        """
        token = self.target_token(tgt_lang)
        beam = max(1, int(beam))
        n_best = max(1, min(int(n_best), 16))
        beam = max(beam, n_best)
        opts = dict(beam=beam, n_best=n_best, max_length=int(max_length), batch_size=max(1, int(batch_size)))
        texts = [(s or "").strip() for s in sentences]
        results: list[list[Hypothesis] | None] = [None] * len(texts)
        # split over-long inputs into pieces that fit the model
        pieces: list[tuple[int, str]] = []
        for i, t in enumerate(texts):
            if not t:
                results[i] = [Hypothesis("", 0.0, [])]
                continue
            for chunk in self._chunks(t, token):
                pieces.append((i, chunk))
        hyps = self._run([c for _, c in pieces], token, no_repeat=no_repeat_ngram_size, **opts)
        by_sent: dict[int, list[list[Hypothesis]]] = {}
        for (i, _), h in zip(pieces, hyps):
            by_sent.setdefault(i, []).append(h)
        for i, parts in by_sent.items():
            if len(parts) == 1:
                results[i] = parts[0]
            else:
                text = sentence_separator(check_lang(tgt_lang)).join(p[0].text for p in parts)
                score = sum(p[0].score for p in parts) / len(parts)
                flags = sorted({f for p in parts for f in p[0].flags} | {"split"})
                results[i] = [Hypothesis(text, score, flags)]
        if no_repeat_ngram_size == 0:
            self._retry_loops(texts, results, token, opts)
        if protect_spans:
            self._protect(texts, results, token, opts, tuple(keep))
        for i, t in enumerate(texts):  # final flags on what is returned
            spans = protect.find_spans(t, keep) if t and protect_spans else []
            for h in results[i] or []:
                h.flags += [f for f in guards.check(t, h.text) if f not in h.flags]
                if spans and "placeholder_lost" not in h.flags and protect.lost(spans, h.text):
                    h.flags.append("placeholder_lost")
        return [r or [Hypothesis("", 0.0, [])] for r in results]

    # -- steps -------------------------------------------------------------------------------------

    def _retry_loops(self, texts, results, token, opts) -> None:
        idx = [i for i, r in enumerate(results) if r and texts[i] and "split" not in r[0].flags
               and guards.has_repetition(texts[i], r[0].text)]
        if not idx:
            return
        redo = self._run([texts[i] for i in idx], token, no_repeat=3, **opts)
        for i, hs in zip(idx, redo):
            for h in hs:
                h.flags.append("no_repeat_retry")
            results[i] = hs

    def _protect(self, texts, results, token, opts, keep) -> None:
        todo: list[tuple[int, dict[str, str]]] = []
        masked: list[str] = []
        for i, r in enumerate(results):
            if not r or not texts[i] or "split" in r[0].flags:
                continue
            spans = protect.find_spans(texts[i], keep)
            damaged = protect.lost(spans, r[0].text)
            if not damaged:
                continue
            m, mapping = protect.mask(texts[i], damaged, self.entry.placeholder)
            todo.append((i, mapping))
            masked.append(m)
        if not todo:
            return
        redo = self._run(masked, token, no_repeat=0, **opts)
        for (i, mapping), hs in zip(todo, redo):
            restored = []
            for h in hs:
                text, ok = protect.restore(h.text, mapping)
                if ok:
                    restored.append(Hypothesis(text, h.score, [f for f in h.flags] + ["placeholders"]))
            if restored:
                results[i] = restored + [h for h in results[i] if h.text not in {r.text for r in restored}][
                    : max(0, len(results[i]) - len(restored))]
            else:
                for h in results[i]:
                    if "placeholder_lost" not in h.flags:
                        h.flags.append("placeholder_lost")

    def _run(self, texts: list[str], token: str | None, *, beam, n_best, max_length, batch_size, no_repeat):
        """Tokenise, decode in length-sorted batches, detokenise, flag truncation."""
        if not texts:
            return []
        tok = self.tokenizer
        prefixed = [f"{token} {t}" if token else t for t in texts]
        src = [tok.encode(p, self.max_source_tokens + 2) for p in prefixed]
        order = sorted(range(len(texts)), key=lambda k: len(src[k]))
        out: list[list[Hypothesis] | None] = [None] * len(texts)
        with self._lock:
            for batch in self._batches(order, [len(s) for s in src], batch_size):
                limits = [guards.decode_limit(len(src[k]), max_length) for k in batch]
                limit = max(limits)
                decoded = self._decode([src[k] for k in batch], beam=beam, n_best=n_best, max_len=limit,
                                       no_repeat=no_repeat)
                for k, own, hyps in zip(batch, limits, decoded):
                    res = []
                    for toks, score in hyps:
                        toks = [t for t in toks if t != tok.pad_token]
                        n_tokens = len([t for t in toks if t != tok.eos_token])
                        text = tok.decode(toks)
                        flags = []
                        # at the cap (transformers forces </s> into the last slot, so count it too)
                        if len(toks) >= limit:
                            flags.append("truncated")
                        elif n_tokens > own:
                            flags.append("length_ratio")
                        res.append(Hypothesis(text, float(score), flags))
                    out[k] = res
        return out  # type: ignore[return-value]

    def _batches(self, order: list[int], lengths: list[int], batch_size: int) -> list[list[int]]:
        """``order`` (indices sorted by length) cut into batches of at most ``batch_size`` sentences."""
        return [order[b:b + batch_size] for b in range(0, len(order), batch_size)]

    def _chunks(self, text: str, token: str | None) -> list[str]:
        """``text`` as one piece, or cut at sentence/clause/word boundaries into pieces that fit the model."""
        limit = self.max_source_tokens - (1 if token else 0)
        n = self.tokenizer.count
        if n(text) <= limit:
            return [text]
        # sentence ends, then clause breaks: each part translated on its own; words: packed up to the limit
        for pattern in (r"(?<=[.!?។])\s+", r"(?<=[,;:])\s+"):
            parts = [p for p in re.split(pattern, text) if p.strip()]
            if len(parts) > 1:
                out: list[str] = []
                for p in parts:
                    out += self._chunks(p, token)
                return out
        words = text.split()
        if len(words) == 1:  # no boundary at all: cut by characters
            step = max(1, len(text) * limit // (n(text) + 1))
            words = [text[k:k + step] for k in range(0, len(text), step)]
        # pack words up to the limit, counting each word's pieces once (linear, even for a huge paragraph)
        out, cur, used = [], [], 0
        sizes: dict[str, int] = {}
        for w in words:
            k = sizes.get(w) or sizes.setdefault(w, max(1, n(w) - 1))  # pieces without </s>
            if cur and used + k > limit - 1:
                out.append(" ".join(cur))
                cur, used = [], 0
            cur.append(w)
            used += k
        if cur:
            out.append(" ".join(cur))
        return out

    def _decode(self, batch: list[list[str]], *, beam: int, n_best: int, max_len: int, no_repeat: int
                ) -> list[list[tuple[list[str], float]]]:
        raise NotImplementedError
