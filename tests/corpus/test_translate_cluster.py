"""``translate_corpus`` on a real Dask ``LocalCluster`` with two worker processes and the tiny Marian model.

The workers were started with a data directory of their own: the model registry they must use (this test's
``WORKBENCH_HOME``, where the tiny model is registered) reaches them only through the corpus run's settings.
"""

from __future__ import annotations

import pytest

from workbench.core.errors import ModelUnavailable
from workbench.core.store import Project
from workbench.corpus import translate_corpus

DOCS = {
    "a.txt": "The minister met the ambassador.\n\nThank you very much.\n",
    "sub/b.txt": "The delegation arrived in Moscow.\n\nThe talks were held in Phnom Penh.\n",
    "c.md": "# Statement\n\nCambodia and Russia signed an agreement.\n",
    "d.txt": "The embassy is open on Monday.\n",
}


def _folder(tmp_path):
    src = tmp_path / "in"
    for name, text in DOCS.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (src / "broken.txt").write_bytes(b"\x00\xff" * 50)
    return src


def test_every_document_becomes_a_pretranslated_project(dask_client, tmp_path, tiny_marian_registered):
    src, out = _folder(tmp_path), tmp_path / "out"
    res = translate_corpus(src, out, "ru,km", client=dask_client, beam=1)
    assert res.translated == 4 and res.reused == 0
    assert [n for n, _ in res.skipped] == ["broken.txt"] and "binary" in res.skipped[0][1]
    for name in ("a.db", "sub/b.db", "c.db", "d.db"):
        with Project.open(out / name) as p:
            segs = p.segments()
            assert segs and all(s.translations[l].text and s.translations[l].origin == "mt"
                                for s in segs for l in ("ru", "km"))
    with Project.open(out / "a.db") as p:
        assert p.segments()[0].translations["ru"].text == "Министр встретился с послом."
    assert res.langs["ru"]["mt"] == res.langs["km"]["mt"] == 7  # c.md: a heading and a sentence
    # each worker process loaded the model once and used that one engine for all its documents
    assert 1 <= len(res.engines) <= 2 and all(len(ids) == 1 for ids in res.engines.values())

    again = translate_corpus(src, out, "ru,km", client=dask_client, beam=1)
    assert (again.translated, again.reused) == (0, 4)


def test_a_project_made_from_another_version_is_never_overwritten(dask_client, tmp_path, tiny_marian_registered):
    src, out = _folder(tmp_path), tmp_path / "out"
    translate_corpus(src, out, "ru", client=dask_client, beam=1)
    with Project.open(out / "d.db") as p:
        seg = p.segments()[0]
        p.save_edit(seg.id, "ru", "Посольство работает в понедельник.", confirm=True)
    (src / "d.txt").write_text("The embassy is open on Monday. Thank you very much.\n", encoding="utf-8")
    res = translate_corpus(src, out, "ru", client=dask_client, beam=1)
    skipped = dict(res.skipped)
    assert res.reused == 3 and sorted(skipped) == ["broken.txt", "d.txt"] and "move it away" in skipped["d.txt"]
    with Project.open(out / "d.db") as p:
        assert p.segments()[0].translations["ru"].text == "Посольство работает в понедельник."


def test_text_output_one_file_per_language(dask_client, tmp_path, tiny_marian_registered):
    src, out = _folder(tmp_path), tmp_path / "txt"
    res = translate_corpus(src, out, ["ru"], client=dask_client, fmt="txt", beam=1)
    assert res.translated == 4
    assert (out / "a.en.txt").read_text(encoding="utf-8").splitlines() == [
        "The minister met the ambassador.", "Thank you very much."]
    assert (out / "a.ru.txt").read_text(encoding="utf-8").splitlines()[1] == "Большое спасибо."
    assert (out / "sub" / "b.ru.txt").is_file() and not [p for p in out.rglob("*.db") if not p.name.startswith(".")]


def test_no_model_is_one_error_before_any_work(tmp_path, workbench_home):
    src = _folder(tmp_path)
    with pytest.raises(ModelUnavailable):
        translate_corpus(src, tmp_path / "out", "ru", workers=1)
    assert not (tmp_path / "out").exists()


def test_workers_decode_one_part_at_a_time_unless_told(monkeypatch, tmp_path):
    from workbench.corpus.cluster import client_env

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    monkeypatch.delenv("WORKBENCH_MT_PARALLEL", raising=False)
    assert client_env()["WORKBENCH_MT_PARALLEL"] == "1"  # the workers are the parallelism
    monkeypatch.setenv("WORKBENCH_MT_PARALLEL", "2")
    assert client_env()["WORKBENCH_MT_PARALLEL"] == "2"
