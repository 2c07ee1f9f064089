"""The sentencepiece tokenizer of the CTranslate2 path against transformers' MarianTokenizer: the same ids, the
same decoded text; and the CTranslate2 engine working without torch or transformers in the process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.errors import ModelUnavailable
from workbench.mt.tokenizer import SpmTokenizer

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    ">>rus<< The minister met the ambassador.",
    ">>khm<< Thank you very much.",
    ">>rus<<The talks were held in Phnom Penh.",
    "  spaced   out  text  ",
    "“Quotes” — «guillemets» … ‘single’ – dash, „low“ ‚low‘",  # what Moses punctuation normalisation would change
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ ﬁ ligature ½",  # NFKC in sentencepiece's normaliser
    "tab\tnew\nline\r\nwindows",
    "</s> inside <unk> and <pad> as text",
    "x</s>y<pad>z",
    ">>xx<< an unknown code",
    "no>>rus<<in the middle",
    ">>rus<<",
    "emoji 🙂 and ñ é ü ß ø",
    "ក្រសួងការបរទេស និងសហប្រតិបត្តិការអន្តរជាតិ ០១២៣",
    "Министерство иностранных дел, 3,5 %, «Ура».",
    "\u200b zero\u200bwidth \u00a0nbsp \u00adsoft",
    "COVID-19, G20, iPhone, press@embassy.example.org, https://www.mid.ru/ru/.",
    "",
    " ",
    "word " * 300,
]


@pytest.fixture(scope="module")
def marian_tokenizer(tiny_marian):
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(str(tiny_marian), local_files_only=True)


def _same(hf, ours: SpmTokenizer, texts=TEXTS) -> None:
    for text in texts:
        for limit in (None, 9, 40):
            want = hf(text, truncation=limit is not None, max_length=limit)["input_ids"] if limit else \
                hf(text)["input_ids"]
            assert ours.ids(ours.encode(text, limit)) == want, (text, limit)
        ids = hf(text)["input_ids"]
        assert ours.count(text) == len(ids)
        # the same ids read as what a model wrote (target side)
        assert ours.tokens(ids) == hf.convert_ids_to_tokens(ids)
        assert ours.decode(ours.tokens(ids)) == hf.decode(ids, skip_special_tokens=True).strip(), text


def test_same_ids_and_text_as_marian_tokenizer(tiny_marian, marian_tokenizer, tiny_pairs):
    ours = SpmTokenizer(tiny_marian)
    assert ours.codes == marian_tokenizer.supported_language_codes == [">>rus<<", ">>khm<<"]
    assert (ours.eos_id, ours.pad_id, ours.unk_id) == (marian_tokenizer.eos_token_id, marian_tokenizer.pad_token_id,
                                                       marian_tokenizer.unk_token_id)
    assert ours.model_max_length == marian_tokenizer.model_max_length
    pairs = [p for lang in ("ru", "km") for p in tiny_pairs[lang]]
    _same(marian_tokenizer, ours, TEXTS + [en for en, _ in pairs] + [t for _, t in pairs])
    # the target-language token is one token, as the model was trained with it
    toks = ours.encode(">>khm<< Thank you very much.")
    assert toks[0] == ">>khm<<" and toks[-1] == "</s>"
    # decoding what the model writes: target pieces back to text, special tokens dropped
    for _, target in pairs:
        ids = marian_tokenizer(text_target=target)["input_ids"]
        assert ours.decode(marian_tokenizer.convert_ids_to_tokens(ids)) == target


def test_moses_normalisation_is_not_applied_by_either(tiny_marian, marian_tokenizer):
    # transformers 5.x builds the sacremoses normaliser but never applies it when encoding: neither do we
    text = "«Quotes» … “curly”"
    assert marian_tokenizer.normalize(text) != text
    ours = SpmTokenizer(tiny_marian)
    assert ours.ids(ours.encode(text)) == marian_tokenizer(text)["input_ids"]
    assert ours.ids(ours.encode(text)) != marian_tokenizer(marian_tokenizer.normalize(text))["input_ids"]


def test_separate_vocabularies_and_config_files(tiny_marian, tmp_path):
    """A Marian folder with separate vocabularies (target_vocab.json) and a special_tokens_map.json."""
    from transformers import MarianTokenizer

    d = tmp_path / "sep"
    shutil.copytree(tiny_marian, d)
    vocab = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
    specials = {"</s>", "<unk>", "<pad>"}
    others = sorted((t for t in vocab if t not in specials), key=lambda t: -vocab[t])  # another order
    free = iter(sorted(i for t, i in vocab.items() if t not in specials))
    target = {**{t: vocab[t] for t in specials}, **{t: next(free) for t in others}}
    (d / "target_vocab.json").write_text(json.dumps(target, ensure_ascii=False), encoding="utf-8")
    cfg = json.loads((d / "tokenizer_config.json").read_text(encoding="utf-8"))
    cfg["separate_vocabs"] = True
    (d / "tokenizer_config.json").write_text(json.dumps(cfg), encoding="utf-8")
    hf = MarianTokenizer.from_pretrained(str(d), local_files_only=True)
    ours = SpmTokenizer(d)
    assert ours.codes == hf.supported_language_codes == []
    _same(hf, ours, TEXTS[:8])


def test_damaged_folders_are_one_line(tiny_marian, tmp_path):
    d = tmp_path / "bad"
    shutil.copytree(tiny_marian, d)
    (d / "vocab.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="vocab.json: not valid JSON"):
        SpmTokenizer(d)
    (d / "vocab.json").write_text(json.dumps({"a": 0}), encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="has no <unk> token"):
        SpmTokenizer(d)
    shutil.copy(tiny_marian / "vocab.json", d / "vocab.json")
    (d / "source.spm").write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="source.spm: not a sentencepiece model"):
        SpmTokenizer(d)


def test_ct2_engine_runs_without_torch_or_transformers(tiny_marian_ct2, tiny_pairs):
    code = f"""
import json, sys
from workbench.mt.engine import load_engine
eng = load_engine({str(tiny_marian_ct2)!r}, "ct2")
out = eng.translate({[en for en, _ in tiny_pairs["ru"][:3]]!r}, "ru")
print(json.dumps([[h[0].text for h in out], sorted(m for m in ("torch", "transformers") if m in sys.modules),
                  eng.backend]))
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    texts, heavy, backend = json.loads(r.stdout.strip().splitlines()[-1])
    assert backend == "ct2" and heavy == []
    assert texts == [t for _, t in tiny_pairs["ru"][:3]]
