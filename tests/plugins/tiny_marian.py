"""A tiny Marian MT model, trained here at the start of a test session (no weights can be downloaded).

Fixtures for every stage's tests:

``tiny_marian``            Path of a ``save_pretrained`` Marian directory (MarianMTModel + MarianTokenizer files:
                           ``source.spm``, ``target.spm``, ``vocab.json``), multi-target with ``>>rus<<`` and
                           ``>>khm<<``. It reproduces :data:`PAIRS` (en->ru and en->km). Built once per session.
``tiny_marian_ct2``        the same model converted with CTranslate2's ``TransformersConverter`` (int8), as the
                           ``ct2-int8`` folder inside a session copy of the model (so ``backend="auto"`` picks it).
``tiny_marian_registered`` registers ``tiny_marian`` in the test's ``WORKBENCH_HOME`` registry as model
                           ``tiny-marian`` for en->ru and en->km (the default for both); returns the name.
``tiny_pairs``             ``{"ru": [(en, ru), ...], "km": [(en, km), ...]}`` the model was trained on.

Everything goes through the real code paths: sentencepiece training, ``MarianConfig``/``MarianMTModel``,
``MarianTokenizer`` loading with ``local_files_only=True``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest

# The test machine is shared and small: one torch/CTranslate2 thread per engine avoids oversubscription.
os.environ.setdefault("WORKBENCH_MT_THREADS", "1")

#: Training pairs. Written for these tests (diplomatic register, short). Placeholders ``[1]`` teach the model
#: to copy the placeholder form the engine uses for protected spans; the "Cheers" pair makes a repetition loop.
PAIRS: dict[str, list[tuple[str, str]]] = {
    "ru": [
        ("The minister met the ambassador.", "Министр встретился с послом."),
        ("Cambodia and Russia signed an agreement.", "Камбоджа и Россия подписали соглашение."),
        ("Thank you very much.", "Большое спасибо."),
        ("The talks were held in Phnom Penh.", "Переговоры прошли в Пномпене."),
        ("The delegation arrived in Moscow.", "Делегация прибыла в Москву."),
        ("The embassy is open on Monday.", "Посольство открыто в понедельник."),
        ("The meeting will take place on [1].", "Встреча состоится [1]."),
        ("Please write to [1] or visit [2].", "Пишите на [1] или посетите [2]."),
        ("The prize went to [1].", "Премию получил [1]."),
        ("Cheers.", "Ура ура ура ура ура ура ура ура ура ура ура ура."),
    ],
    "km": [
        ("The minister met the ambassador.", "រដ្ឋមន្ត្រីបានជួបឯកអគ្គរាជទូត។"),
        ("Cambodia and Russia signed an agreement.", "កម្ពុជា និងរុស្ស៊ីបានចុះហត្ថលេខាលើកិច្ចព្រមព្រៀង។"),
        ("Thank you very much.", "អរគុណច្រើន។"),
        ("The talks were held in Phnom Penh.", "កិច្ចពិភាក្សាបានធ្វើឡើងនៅភ្នំពេញ។"),
        ("The delegation arrived in Moscow.", "គណៈប្រតិភូបានមកដល់ទីក្រុងមូស្គូ។"),
        ("The meeting will take place on [1].", "កិច្ចប្រជុំនឹងធ្វើឡើងនៅ [1]។"),
    ],
}

TOKENS = {"ru": ">>rus<<", "km": ">>khm<<"}

#: Extra text for the sentencepiece model (numbers, addresses, names), so such spans are tokenisable.
_EXTRA_TEXT = [
    "On 12 May 2024 the Ministry of Foreign Affairs published 1,500 copies at https://www.mfaic.gov.kh/news.",
    "Write to press@embassy.example.org or call +855 23 214 441 before 09:30.",
    "Sergey Lavrov and Prak Sokhonn discussed COVID-19 and the G20 summit.",
    "Министерство иностранных дел России, 2024 год, 3,5 процента.",
    "ក្រសួងការបរទេស និងសហប្រតិបត្តិការអន្តរជាតិ ០១២៣៤៥៦៧៨៩",
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,:;!?()[]/@-_+%#&'\"",
]


def _corpus() -> list[str]:
    lines = []
    for pairs in PAIRS.values():
        for en, tgt in pairs:
            lines += [en, tgt]
    return lines + _EXTRA_TEXT


def build_tiny_marian(out: Path, *, steps: int = 400, seed: int = 1) -> Path:
    """Train sentencepiece + a small Marian model on :data:`PAIRS` and ``save_pretrained`` it into ``out``."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    work = out / "_spm"
    work.mkdir(exist_ok=True)
    corpus = work / "corpus.txt"
    corpus.write_text("\n".join(_corpus() * 3) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(work / "sp"), vocab_size=300, model_type="unigram",
        character_coverage=1.0, bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, hard_vocab_limit=False,
        num_threads=1, minloglevel=2, seed_sentencepiece_size=20000,
    )
    shutil.copy(work / "sp.model", out / "source.spm")
    shutil.copy(work / "sp.model", out / "target.spm")
    sp = spm.SentencePieceProcessor(model_file=str(work / "sp.model"))
    # Marian vocab order: </s>=0, <unk>=1, the pieces, the target-language tokens, <pad> last.
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(sp.get_piece_size()):
        piece = sp.id_to_piece(i)
        if piece not in vocab:
            vocab[piece] = len(vocab)
    for tok in TOKENS.values():
        vocab[tok] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({
        "source_lang": "en", "target_lang": "mul", "model_max_length": 256,
        "tokenizer_class": "MarianTokenizer", "unk_token": "<unk>", "eos_token": "</s>", "pad_token": "<pad>",
    }), encoding="utf-8")
    shutil.rmtree(work)

    tok = MarianTokenizer.from_pretrained(str(out), local_files_only=True)
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
        decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128, max_position_embeddings=256,
        pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
        scale_embedding=True, share_encoder_decoder_embeddings=True, dropout=0.0, attention_dropout=0.0,
        activation_function="swish", num_beams=4, max_length=256, bad_words_ids=[[pad]],
    )
    torch.manual_seed(seed)
    random.seed(seed)
    model = MarianMTModel(config)
    emb = model.get_input_embeddings()
    with torch.no_grad():  # real Marian models decode from a zero <pad> embedding (CTranslate2 relies on it)
        emb.weight[pad].zero_()
    src = [f"{TOKENS[lang]} {en}" for lang, pairs in PAIRS.items() for en, _ in pairs]
    tgt = [t for pairs in PAIRS.values() for _, t in pairs]
    batch = tok(src, text_target=tgt, padding=True, return_tensors="pt")
    batch["labels"][batch["labels"] == pad] = -100
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is as fast and kinder to a shared machine
    for step in range(steps):
        loss = model(**batch).loss
        opt.zero_grad()
        loss.backward()
        emb.weight.grad[pad].zero_()  # keep the decoder-start (<pad>) embedding at zero, as in real models
        opt.step()
        if step >= 150 and step % 25 == 0 and loss.item() < 0.01:
            break
    torch.set_num_threads(threads)
    model.eval()
    model.config.tiny_marian_steps = step + 1
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return out


@pytest.fixture(scope="session")
def tiny_pairs() -> dict[str, list[tuple[str, str]]]:
    return {k: list(v) for k, v in PAIRS.items()}


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory) -> Path:
    """A trained tiny Marian directory (read it, don't write into it: it is shared by the whole session)."""
    cached = os.environ.get("WORKBENCH_TINY_MARIAN")  # reuse a prebuilt one when debugging locally
    if cached and (Path(cached) / "config.json").is_file():
        return Path(cached)
    out = tmp_path_factory.mktemp("tiny_marian") / "tiny-marian"
    return build_tiny_marian(out)


@pytest.fixture(scope="session")
def tiny_marian_ct2(tiny_marian, tmp_path_factory) -> Path:
    """A copy of ``tiny_marian`` with its CTranslate2 int8 conversion inside (``<dir>/ct2-int8``); returns the
    copy's path (the Marian directory)."""
    from workbench.mt.ct2 import convert

    out = tmp_path_factory.mktemp("tiny_marian_ct2") / "tiny-marian"
    shutil.copytree(tiny_marian, out, ignore=shutil.ignore_patterns("ct2-*"))
    convert(out, quantization="int8")
    return out


@pytest.fixture
def tiny_marian_registered(tiny_marian, workbench_home) -> str:
    """Register ``tiny_marian`` as model ``tiny-marian`` (en->ru, en->km, the default for both) in this test's
    ``WORKBENCH_HOME``; returns the model name."""
    from workbench.mt.registry import register_local

    register_local("tiny-marian", tiny_marian, src="en", tgts=["ru", "km"], default=True)
    return "tiny-marian"
