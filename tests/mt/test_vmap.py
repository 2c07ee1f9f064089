"""The target-language vocabulary map of the CTranslate2 backend: what it keeps, that it is rebuilt when the
languages change, and that translations through it are the same as without it."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from workbench.mt.ct2 import CT2Engine
from workbench.mt.registry import entry_for_dir
from workbench.mt.tokenizer import SpmTokenizer
from workbench.mt.vmap import VMAP_FILE, VMAP_INFO, ensure_vmap, target_vocabulary
from workbench.text.scripts import has_cyrillic, has_khmer

pytestmark = pytest.mark.slow


def _khmer_letters(token: str) -> bool:
    return any(has_khmer(ch) and unicodedata.category(ch)[0] in "LM" for ch in token)


def test_target_vocabulary_keeps_the_target_script(tiny_marian):
    tok = SpmTokenizer(tiny_marian)
    fixed, copyable = target_vocabulary(tok, ["ru"])
    assert not any(_khmer_letters(t) for t in fixed)
    assert {"។", "០", "៩"} <= set(fixed)  # punctuation and digits of any script stay
    assert {t for t in tok.encoder if has_cyrillic(t)} <= set(fixed)
    assert {"</s>", "<unk>", "<pad>", ">>rus<<", "▁", "."} <= set(fixed)
    assert {t for t in tok.encoder if _khmer_letters(t)} == set(copyable)  # Khmer in a source may still be copied
    latin = {t for t in tok.encoder if t.strip("▁").isascii() and t.strip("▁").isalpha()}
    assert latin <= set(fixed)  # names, URLs, placeholders
    fixed_km, _ = target_vocabulary(tok, ["km"])
    assert not any(has_cyrillic(t) for t in fixed_km) and any(has_khmer(t) for t in fixed_km)
    both, none = target_vocabulary(tok, ["ru", "km"])
    assert set(both) == set(tok.encoder) and none == []


def test_map_is_written_once_and_rebuilt_for_other_languages(tiny_marian_ct2, tmp_path):
    d = tmp_path / "m"
    shutil.copytree(tiny_marian_ct2, d)
    ct2 = d / "ct2-int8"
    for f in (VMAP_FILE, VMAP_INFO):
        (ct2 / f).unlink(missing_ok=True)
    tok = SpmTokenizer(d)
    n, total = ensure_vmap(ct2, tok, ["ru"])
    assert total == len(tok.encoder) and 0 < n < total
    lines = (ct2 / VMAP_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("\t") and len(lines[0].split(" ")) == n
    assert all("\t" in line for line in lines)
    stamp = (ct2 / VMAP_FILE).stat().st_mtime_ns
    assert ensure_vmap(ct2, tok, ["ru"]) == (n, total)
    assert (ct2 / VMAP_FILE).stat().st_mtime_ns == stamp  # up to date: not rewritten
    assert ensure_vmap(ct2, tok, ["ru", "km"])[0] == total


def test_translations_through_the_map_are_the_same(tiny_marian_ct2, tiny_pairs):
    entry = entry_for_dir(tiny_marian_ct2)
    with_map = CT2Engine(entry, vmap=True)
    without = CT2Engine(entry, vmap=False)
    assert with_map.vmap is not None and without.vmap is None
    for lang in ("ru", "km"):
        src = [en for en, _ in tiny_pairs[lang]] + ["The meeting will take place on 12.05.2024.",
                                                      "The prize went to Smart Axiata."]
        a = with_map.translate(src, lang, beam=4, keep=["Smart Axiata"])
        b = without.translate(src, lang, beam=4, keep=["Smart Axiata"])
        assert [h[0].text for h in a] == [h[0].text for h in b]
        assert all(abs(x[0].score - y[0].score) < 0.05 for x, y in zip(a, b))


def test_the_map_restricts_the_output(tiny_marian_ct2, tmp_path):
    d = tmp_path / "ru-only"
    shutil.copytree(tiny_marian_ct2, d)
    entry = entry_for_dir(d)
    entry.tgt = ["ru"]  # a map for Russian only: the Khmer pieces are never scored
    eng = CT2Engine(entry, vmap=True)
    out = eng.translate(["Thank you very much."], "km", beam=2, protect_spans=False)[0][0]
    assert not has_khmer(out.text)
    assert CT2Engine(entry_for_dir(d), vmap=False).translate(["Thank you very much."], "km")[0][0].text == \
        "អរគុណច្រើន។"


def test_parts_and_threads_do_not_change_translations(tiny_marian_ct2, tiny_pairs):
    entry = entry_for_dir(tiny_marian_ct2)
    src = [en for en, _ in tiny_pairs["ru"] if "[" not in en]
    want = [h[0].text for h in CT2Engine(entry, batch_tokens=0, inter_threads=1).translate(src, "ru", batch_size=16)]
    assert want[:3] == [t for en, t in tiny_pairs["ru"][:3]]
    for opts in ({"batch_tokens": 8}, {"inter_threads": 2}, {"threads": 2, "batch_tokens": 20}, {}):
        eng = CT2Engine(entry, **opts)
        assert [h[0].text for h in eng.translate(src, "ru", batch_size=16)] == want, opts


def test_parts_decoded_in_parallel_by_default_and_by_the_environment(tiny_marian_ct2, monkeypatch):
    import os

    entry = entry_for_dir(tiny_marian_ct2)
    monkeypatch.delenv("WORKBENCH_MT_PARALLEL", raising=False)
    assert CT2Engine(entry).inter_threads == min(2, os.cpu_count() or 1)
    assert CT2Engine(entry).translator.num_translators == min(2, os.cpu_count() or 1)
    monkeypatch.setenv("WORKBENCH_MT_PARALLEL", "1")
    assert CT2Engine(entry).translator.num_translators == 1
    assert CT2Engine(entry, inter_threads=2).translator.num_translators == 2
