"""Marian tokenisation with sentencepiece alone: the same token ids as transformers' ``MarianTokenizer``, without
importing torch or transformers (so the CTranslate2 backend loads in a fraction of a second and stays small).

What ``MarianTokenizer`` (transformers 5.x) does, and so what this does:

- the text is split on the special tokens (``</s>``, ``<unk>``, ``<pad>`` and any extra ones the tokenizer
  configuration names); each other piece loses a leading ``>>xxx<<`` target-language token, which is kept as one
  token, and the rest is encoded with ``source.spm`` (sentencepiece's own normalisation, NFKC for OPUS-MT);
- a piece that is not in ``vocab.json`` becomes ``<unk>``; ``</s>`` is appended; with a length limit the pieces
  are cut to ``limit - 1`` before ``</s>``;
- decoding drops the special tokens and joins the pieces with the *source* sentencepiece model when the
  vocabulary is shared (``target.spm`` when the model has separate vocabularies), ``▁`` becoming a space.

``MarianTokenizer`` also builds a Moses punctuation normaliser (sacremoses) but, in transformers 5.x, never
applies it when encoding; neither does this, so the ids stay identical.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..core.errors import ModelUnavailable

SPIECE_UNDERLINE = "▁"


def _read_json(path: Path, default: Any) -> Any:
    if not path.is_file():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise ModelUnavailable(f"{path}: not valid JSON; the model copy is damaged, import the folder again") from None


def _content(token: Any) -> str | None:
    """A special token as the configuration files write it: a string or ``{"content": ...}``."""
    if isinstance(token, dict):
        token = token.get("content")
    return token if isinstance(token, str) and token else None


def is_language_code(token: str) -> bool:
    return token.startswith(">>") and token.endswith("<<")


class SpmTokenizer:
    """The tokenizer of a Marian model folder (``source.spm``, ``target.spm``, ``vocab.json``, and
    ``tokenizer_config.json``/``special_tokens_map.json`` when present)."""

    def __init__(self, model_dir: str | Path):
        import sentencepiece

        self.path = Path(model_dir)
        cfg: dict[str, Any] = {}
        for name in ("special_tokens_map.json", "tokenizer_config.json"):
            data = _read_json(self.path / name, {})
            if isinstance(data, dict):
                cfg.update(data)
        self.separate_vocabs = bool(cfg.get("separate_vocabs", False))
        self.encoder: dict[str, int] = _read_json(self.path / "vocab.json", None)
        if not isinstance(self.encoder, dict) or not self.encoder:
            raise ModelUnavailable(f"{self.path / 'vocab.json'}: missing or empty; import the whole model folder")
        if self.separate_vocabs:
            target = _read_json(self.path / "target_vocab.json", None)
            if not isinstance(target, dict) or not target:
                raise ModelUnavailable(f"{self.path}: separate_vocabs is set but target_vocab.json is missing")
            self.target_encoder: dict[str, int] = target
            self.codes: list[str] = []
        else:
            self.target_encoder = self.encoder
            self.codes = [k for k in self.encoder if is_language_code(k)]
        self.decoder = {v: k for k, v in self.target_encoder.items()}
        self.unk_token = _content(cfg.get("unk_token")) or "<unk>"
        self.eos_token = _content(cfg.get("eos_token")) or "</s>"
        self.pad_token = _content(cfg.get("pad_token")) or "<pad>"
        extra = cfg.get("additional_special_tokens") or cfg.get("extra_special_tokens") or []
        extra = [t for t in (_content(x) for x in (extra if isinstance(extra, list) else [])) if t]
        self.special_tokens = list(dict.fromkeys([self.eos_token, self.unk_token, self.pad_token, *extra]))
        # tokens a saved tokenizer added beyond vocab.json (its "added_tokens_decoder"): they win over vocab.json
        added = cfg.get("added_tokens_decoder") if isinstance(cfg.get("added_tokens_decoder"), dict) else {}
        self.added: dict[str, int] = {}
        for k, v in added.items():
            t = _content(v)
            if t is not None and str(k).isdigit():
                self.added[t] = int(k)
        for t in (self.unk_token, self.eos_token, self.pad_token):
            if t not in self.encoder and (t == self.unk_token or t not in self.added):
                raise ModelUnavailable(f"{self.path / 'vocab.json'}: has no {t} token; not a Marian vocabulary")
        self.added_ids = {v: k for k, v in self.added.items()}
        self.unk_id = self.token_id(self.unk_token)
        self.eos_id = self.token_id(self.eos_token)
        self.pad_id = self.token_id(self.pad_token)
        self.target_special_ids = {self.added.get(t, self.target_encoder.get(t)) for t in self.special_tokens}
        self._split = re.compile("(" + "|".join(re.escape(t) for t in sorted(self.special_tokens, key=len,
                                                                            reverse=True)) + ")")
        try:
            self.model_max_length = int(cfg.get("model_max_length", 512))
        except (TypeError, ValueError):
            self.model_max_length = 512
        self.clean_up_spaces = bool(cfg.get("clean_up_tokenization_spaces", False))
        self.spm_source = self._load_spm(sentencepiece, "source.spm")
        self.spm_target = self._load_spm(sentencepiece, "target.spm")
        # MarianTokenizer decodes with the source model unless the vocabularies are separate
        self._spm_decode = self.spm_target if self.separate_vocabs else self.spm_source

    def _load_spm(self, sentencepiece, name: str):
        path = self.path / name
        sp = sentencepiece.SentencePieceProcessor()
        try:
            sp.Load(str(path))
        except (OSError, RuntimeError):
            raise ModelUnavailable(f"{path}: not a sentencepiece model; import the whole model folder again") from None
        return sp

    # -- ids ---------------------------------------------------------------------------------------

    def token_id(self, token: str) -> int:
        """A token's id (``<unk>``'s id for a piece the vocabulary does not have)."""
        if token in self.added:
            return self.added[token]
        found = self.encoder.get(token)
        return found if found is not None else self.encoder.get(self.unk_token, 1)

    def ids(self, tokens: list[str]) -> list[int]:
        return [self.token_id(t) for t in tokens]

    def tokens(self, ids: list[int]) -> list[str]:
        """Token strings of target-side ids."""
        out = []
        for i in ids:
            i = int(i)
            t = self.added_ids.get(i) or self.decoder.get(i)
            if t is None:
                t = self._spm_decode.IdToPiece(i) or self.unk_token
            out.append(t)
        return out

    # -- encoding ----------------------------------------------------------------------------------

    def pieces(self, text: str) -> list[str]:
        """The pieces of ``text`` without ``</s>``, unknown pieces kept as they are (MarianTokenizer.tokenize)."""
        out: list[str] = []
        for part in self._split.split(text):
            if not part:
                continue
            if part in self.special_tokens:
                out.append(part)
                continue
            if part.startswith(">>") and (end := part.find("<<")) != -1:
                out.append(part[:end + 2])
                part = part[end + 2:]
            out += self.spm_source.encode(part, out_type=str)
        return out

    def encode(self, text: str, max_length: int | None = None) -> list[str]:
        """The source tokens the model reads: pieces (unknown ones as ``<unk>``), cut to ``max_length - 1``,
        then ``</s>`` (the ids of ``MarianTokenizer(text, truncation=True, max_length=...)``)."""
        toks = [t if (t in self.encoder or t in self.added) else self.unk_token for t in self.pieces(text)]
        if max_length is not None and len(toks) > max_length - 1:
            toks = toks[:max(0, max_length - 1)]
        return toks + [self.eos_token]

    def count(self, text: str) -> int:
        """How many tokens ``text`` is to the model, ``</s>`` included."""
        return len(self.pieces(text)) + 1

    # -- decoding ----------------------------------------------------------------------------------

    def decode(self, tokens: list[str]) -> str:
        """Target tokens to text: special tokens (and pieces the vocabulary does not know) dropped, pieces
        joined (``MarianTokenizer.decode(ids, skip_special_tokens=True)``)."""
        keep = []
        for t in tokens:
            tid = self.added.get(t, self.target_encoder.get(t))
            if tid is not None and tid not in self.target_special_ids:
                keep.append(t)
        text = self._spm_decode.decode_pieces(keep).replace(SPIECE_UNDERLINE, " ").strip()
        if self.clean_up_spaces:
            for a, b in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                         (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
                text = text.replace(a, b)
        return text.strip()
