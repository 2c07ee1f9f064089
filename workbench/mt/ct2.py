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
from .hf import load_tokenizer
from .registry import ModelEntry, ct2_candidates, validate_marian_dir

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float32")


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
    backend = "ct2"

    def __init__(self, entry: ModelEntry, *, intra_threads: int | None = None):
        import ctranslate2

        ct2_dir = entry.ct2_dir()
        if ct2_dir is None:
            raise ModelUnavailable(f"model {entry.name} has no CTranslate2 copy: "
                                   f"run 'workbench models convert {entry.name}'")
        if intra_threads is None:
            intra_threads = int(os.environ.get("WORKBENCH_MT_THREADS", "0") or 0)
        self.ct2_dir = ct2_dir
        self.translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="auto",
                                                 intra_threads=intra_threads, inter_threads=1)
        cfg = json.loads((entry.model_dir / "config.json").read_text(encoding="utf-8"))
        super().__init__(entry, load_tokenizer(entry.model_dir), int(cfg.get("max_position_embeddings", 512)))

    def _decode(self, batch, *, beam, n_best, max_len, no_repeat):
        res = self.translator.translate_batch(
            batch, beam_size=beam, num_hypotheses=n_best, max_decoding_length=max_len,
            no_repeat_ngram_size=no_repeat, return_scores=True, length_penalty=1.0, max_batch_size=0,
            return_end_token=True,
        )
        return [[(list(h), float(s)) for h, s in zip(r.hypotheses, r.scores)] for r in res]
