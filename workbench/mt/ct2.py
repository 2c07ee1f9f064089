"""CTranslate2 backend: the Marian directory converted with CTranslate2's own ``TransformersConverter``
(int8 by default), kept beside the model as ``ct2-int8/`` (or under ``$WORKBENCH_HOME/models/ct2/`` when the
model folder is read-only) and used automatically when present."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..core.errors import ModelUnavailable
from .base import Engine
from .registry import ModelEntry, ct2_candidates, validate_marian_dir
from .tokenizer import SpmTokenizer
from .vmap import ensure_vmap

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float32")
#: CTranslate2 threads per translation (intra_threads) unless $WORKBENCH_MT_THREADS says otherwise
DEFAULT_THREADS = 1
#: parts of a batch decoded in parallel (CTranslate2 ``inter_threads``) unless $WORKBENCH_MT_PARALLEL says
#: otherwise: one per core, at most two (measured on 2 cores: 1.7x the speed of one part at beam 4, batch 32,
#: for 1.5x the peak memory; docs/benchmarks.md)
DEFAULT_PARALLEL = max(1, min(2, os.cpu_count() or 1))
#: a batch is decoded in equal, length-sorted parts of about this many source tokens at most (0: whole): this
#: bounds the memory of a batch (beam search holds every hypothesis' attention caches) at no measured cost in speed
DEFAULT_BATCH_TOKENS = 512


def convert(model_dir: str | os.PathLike, *, quantization: str = "int8", name: str | None = None,
            force: bool = False) -> Path:
    """Convert a Marian directory to CTranslate2; returns the converted folder (atomic: written aside, then
    renamed, so an interrupted conversion never leaves a half model that ``auto`` would pick)."""
    import ctranslate2

    if quantization not in QUANTIZATIONS:
        raise ModelUnavailable(f"unknown quantization {quantization!r}: use one of {', '.join(QUANTIZATIONS)}")
    model_dir = Path(model_dir)
    validate_marian_dir(model_dir)
    for dest in ct2_candidates(model_dir, name or model_dir.name, quantization):
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".ct2-tmp-", dir=dest.parent))
        except OSError:
            continue  # read-only model folder: use the data-dir location
        try:
            conv = ctranslate2.converters.TransformersConverter(str(model_dir), load_as_float16=False)
            conv.convert(str(tmp / "m"), quantization=quantization, force=True)
            if dest.exists():
                if not force and (dest / "model.bin").is_file():
                    shutil.rmtree(tmp)
                    return dest
                shutil.rmtree(dest)
            os.replace(tmp / "m", dest)
            return dest
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    raise ModelUnavailable(f"{model_dir}: nowhere writable to put the CTranslate2 conversion; check permissions")


class CT2Engine(Engine):
    """Marian on CTranslate2. Imports neither torch nor transformers: tokenised by
    :class:`~workbench.mt.tokenizer.SpmTokenizer`.

    ``threads`` (default ``$WORKBENCH_MT_THREADS``, else :data:`DEFAULT_THREADS`) are CTranslate2's
    ``intra_threads``; with ``inter_threads`` (default ``$WORKBENCH_MT_PARALLEL``, else
    :data:`DEFAULT_PARALLEL`) > 1 the parts of a batch are decoded in parallel; ``batch_tokens``
    (default :data:`DEFAULT_BATCH_TOKENS`) cuts a batch into parts of at most that many source tokens;
    ``vmap`` (default: on unless ``$WORKBENCH_CT2_VMAP=0``) restricts the output layer to the target language's
    tokens (:mod:`workbench.mt.vmap`);
    ``compute_type`` is CTranslate2's (``auto`` takes the converted type).
    """

    backend = "ct2"

    def __init__(self, entry: ModelEntry, *, threads: int | None = None, inter_threads: int | None = None,
                 compute_type: str = "auto", vmap: bool | None = None, batch_tokens: int | None = None):
        import ctranslate2

        ct2_dir = entry.ct2_dir()
        if ct2_dir is None:
            raise ModelUnavailable(f"model {entry.name} has no CTranslate2 copy: "
                                   f"run 'workbench models convert {entry.name}'")
        if threads is None:
            threads = int(os.environ.get("WORKBENCH_MT_THREADS", "0") or 0) or DEFAULT_THREADS
        if inter_threads is None:
            inter_threads = int(os.environ.get("WORKBENCH_MT_PARALLEL", "0") or 0) or DEFAULT_PARALLEL
        tokenizer = SpmTokenizer(entry.model_dir)
        self.ct2_dir = ct2_dir
        self.inter_threads = max(1, int(inter_threads))
        self.batch_tokens = DEFAULT_BATCH_TOKENS if batch_tokens is None else max(0, int(batch_tokens))
        self.vmap = None
        if vmap is None:
            vmap = os.environ.get("WORKBENCH_CT2_VMAP", "1").strip().lower() not in ("0", "false", "no", "off")
        if vmap and entry.tgt:
            self.vmap = ensure_vmap(ct2_dir, tokenizer, entry.tgt)
        try:
            self.translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type=compute_type,
                                                     intra_threads=threads, inter_threads=inter_threads)
        except (RuntimeError, ValueError) as exc:
            raise ModelUnavailable(f"{ct2_dir}: cannot load the CTranslate2 model ({str(exc).splitlines()[0]}); "
                                   f"convert it again with 'workbench models convert {entry.name} --force'") from None
        try:
            cfg = json.loads((entry.model_dir / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            cfg = {}
        super().__init__(entry, tokenizer, int(cfg.get("max_position_embeddings", 512) or 512))

    def decode_tokens(self, batch: list[list[str]], *, beam: int, n_best: int = 1, max_len: int, min_len: int = 1,
                      no_repeat: int = 0) -> list:
        """CTranslate2 on source tokens as this engine runs it (threads, vocabulary map, the batch cut into equal
        parts of about ``batch_tokens`` source tokens at most); CTranslate2's results."""
        # parts of equal size (CTranslate2 sorts them by length): enough for the token budget, at least one per
        # parallel translation
        tokens = sum(len(x) for x in batch)
        parts = max(self.inter_threads, -(-tokens // self.batch_tokens) if self.batch_tokens else 1)
        opts = {"max_batch_size": -(-len(batch) // parts)} if parts > 1 else {}
        return self.translator.translate_batch(
            batch, beam_size=beam, num_hypotheses=n_best, max_decoding_length=max_len, min_decoding_length=min_len,
            no_repeat_ngram_size=no_repeat, return_scores=True, length_penalty=1.0, return_end_token=True,
            use_vmap=self.vmap is not None, **opts)

    def _decode(self, batch, *, beam, n_best, max_len, no_repeat):
        res = self.decode_tokens(batch, beam=beam, n_best=n_best, max_len=max_len, no_repeat=no_repeat)
        return [[(list(h), float(s)) for h, s in zip(r.hypotheses, r.scores)] for r in res]
