"""transformers backend: ``MarianMTModel``, torch on CPU (tokenised by :class:`~workbench.mt.tokenizer.SpmTokenizer`,
which gives ``MarianTokenizer``'s ids)."""

from __future__ import annotations

import os

from ..core.errors import ModelUnavailable
from .base import Engine
from .registry import ModelEntry
from .tokenizer import SpmTokenizer


class HFEngine(Engine):
    backend = "hf"

    def __init__(self, entry: ModelEntry):
        import torch
        from transformers import MarianMTModel
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        threads = int(os.environ.get("WORKBENCH_MT_THREADS", "0") or 0)
        if threads > 0:
            torch.set_num_threads(threads)
        tokenizer = SpmTokenizer(entry.model_dir)
        try:
            self.model = MarianMTModel.from_pretrained(str(entry.model_dir), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"{entry.model_dir}: cannot load the Marian model ({str(exc).splitlines()[0]}); "
                                   "re-import the model folder") from None
        self.model.eval()
        super().__init__(entry, tokenizer, int(self.model.config.max_position_embeddings))

    def _decode(self, batch, *, beam, n_best, max_len, no_repeat):
        import torch

        tok = self.tokenizer
        ids = [tok.ids(t) for t in batch]
        width = max(len(x) for x in ids)
        pad = tok.pad_id
        input_ids = torch.tensor([x + [pad] * (width - len(x)) for x in ids])
        mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids])
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=input_ids, attention_mask=mask, num_beams=beam, num_return_sequences=n_best,
                max_new_tokens=max_len, no_repeat_ngram_size=no_repeat, do_sample=False, length_penalty=1.0,
                early_stopping=True, output_scores=True, return_dict_in_generate=True,
            )
            seqs = out.sequences
            if beam > 1:
                scores = out.sequences_scores.tolist()
            else:
                trans = self.model.compute_transition_scores(seqs, out.scores, normalize_logits=True)
                scores = []
                for row_ids, row in zip(seqs[:, 1:].tolist(), trans.tolist()):
                    n = _length(row_ids, pad, tok.eos_id)
                    scores.append(sum(row[:n]) / max(1, n))
        results = []
        for b in range(len(batch)):
            hyps = []
            for j in range(n_best):
                k = b * n_best + j
                row = seqs[k, 1:].tolist()
                row = row[: _length(row, pad, tok.eos_id)]
                hyps.append((tok.tokens(row), scores[k]))
            results.append(hyps)
        return results


def _length(row, pad, eos):
    """Generated tokens up to and including </s> (padding after it excluded)."""
    for i, t in enumerate(row):
        if t == eos:
            return i + 1
        if t == pad:
            return i
    return len(row)
