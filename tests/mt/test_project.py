"""translate_project on a real project file with the tiny model: store, cache, resume, choose hook."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.core.errors import ModelUnavailable
from workbench.core.store import Project
from workbench.mt import translate_project
from workbench.mt.cache import MTCache

pytestmark = pytest.mark.slow


def _project(tmp_path, sentences, langs=("ru", "km")):
    p = Project.create(tmp_path / "p.db", "t", "en", list(langs))
    p.add_document("doc", [(i // 2, s) for i, s in enumerate(sentences)], text=" ".join(sentences))
    return p


def test_fills_empty_targets_with_mt(tmp_path, tiny_marian_registered, tiny_pairs):
    src = [en for en, _ in tiny_pairs["km"] if "[" not in en]
    expected = {lang: dict(tiny_pairs[lang]) for lang in ("ru", "km")}
    with _project(tmp_path, src) as p:
        stats = translate_project(p, ["ru", "km"], backend="hf")
        assert stats["ru"].translated == stats["km"].translated == len(src)
    with Project.open(tmp_path / "p.db") as p:  # reopen: it is really stored
        for seg in p.segments():
            for lang in ("ru", "km"):
                tr = seg.translations[lang]
                assert tr.text == expected[lang][seg.source]
                assert (tr.origin, tr.status) == ("mt", "draft")
                assert tr.score is not None and tr.score < 0
                assert tr.meta["mt"]["model"] == "tiny-marian" and tr.meta["mt"]["backend"] == "hf"
                assert tr.meta["mt"]["flags"] == []
                assert p.history(seg.id, lang)[-1].action == "mt"


def test_confirmed_and_edited_targets_are_left_alone(tmp_path, tiny_marian_registered, tiny_pairs):
    src = [tiny_pairs["ru"][0][0], tiny_pairs["ru"][2][0]]
    with _project(tmp_path, src, ("ru",)) as p:
        first, second = p.segments()
        p.set_translation(first.id, "ru", "Глава МИД принял посла.", origin="human", status="translated")
        translate_project(p, ["ru"], backend="hf")
        assert p.translation(first.id, "ru").text == "Глава МИД принял посла."
        assert p.translation(second.id, "ru").text == "Большое спасибо."
        # a second run changes nothing (nothing left to do)
        v = p.translation(second.id, "ru").version
        stats = translate_project(p, ["ru"], backend="hf")
        assert stats["ru"].todo == 0 and p.translation(second.id, "ru").version == v


def test_cache_hits_on_rerun_and_other_project(tmp_path, tiny_marian_registered, tiny_pairs, workbench_home):
    src = [en for en, _ in tiny_pairs["ru"][:5]]
    with _project(tmp_path, src, ("ru",)) as p:
        s1 = translate_project(p, ["ru"], backend="hf")
    assert s1["ru"].cached == 0 and s1["ru"].translated == 5
    cache = MTCache()
    assert len(cache) == 5 and (workbench_home / "mt_cache.db").is_file()
    # poison one cached entry: a hit must come from the cache, not a re-decode
    con = sqlite3.connect(str(workbench_home / "mt_cache.db"))
    con.execute("UPDATE mt_cache SET hyps = replace(hyps, 'Большое спасибо.', 'ИЗ КЭША') WHERE source = ?",
                (tiny_pairs["ru"][2][0],))
    con.commit()
    con.close()
    other = tmp_path / "o"
    other.mkdir()
    with _project(other, src, ("ru",)) as p2:
        s2 = translate_project(p2, ["ru"], backend="hf")
        assert s2["ru"].cached == 5 and s2["ru"].translated == 5
        texts = {s.source: s.translations["ru"].text for s in p2.segments()}
        assert texts[tiny_pairs["ru"][2][0]] == "ИЗ КЭША"
    # other options are another key: decoded again
    third = tmp_path / "t"
    third.mkdir()
    with _project(third, src, ("ru",)) as p3:
        s3 = translate_project(p3, ["ru"], backend="hf", beam=2)
        assert s3["ru"].cached == 0
        assert {s.translations["ru"].text for s in p3.segments()} >= {"Большое спасибо."}
    fourth = tmp_path / "f"
    fourth.mkdir()
    with _project(fourth, src, ("ru",)) as p4:  # use_cache=False: never read
        s4 = translate_project(p4, ["ru"], backend="hf", use_cache=False)
        assert s4["ru"].cached == 0
        assert "ИЗ КЭША" not in {s.translations["ru"].text for s in p4.segments()}


def test_interrupted_run_resumes(tmp_path, tiny_marian_registered, tiny_pairs):
    src = [en for en, _ in tiny_pairs["ru"] if "[" not in en and en != "Cheers."]
    calls = []

    def stop_after_first_batch(lang, done, total):
        calls.append(done)
        if done == 2:
            raise KeyboardInterrupt

    with _project(tmp_path, src, ("ru",)) as p:
        with pytest.raises(KeyboardInterrupt):
            translate_project(p, ["ru"], backend="hf", batch_size=2, progress=stop_after_first_batch)
        done = [s for s in p.segments() if s.translations["ru"].text]
        assert len(done) == 2
        versions = {s.id: s.translations["ru"].version for s in done}
        seen = []
        stats = translate_project(p, ["ru"], backend="hf", batch_size=2,
                                  progress=lambda l, d, t: seen.append((d, t)))
        assert stats["ru"].todo == len(src) - 2 and seen[0] == (0, len(src) - 2)
        segs = p.segments()
        assert all(s.translations["ru"].text == dict(tiny_pairs["ru"])[s.source] for s in segs)
        assert all(s.translations["ru"].version == versions[s.id] for s in segs if s.id in versions)


def test_choose_hook_gets_nbest_and_its_meta_is_stored(tmp_path, tiny_marian_registered, tiny_pairs):
    seen = {}

    def choose(source, hyps, lang):
        seen[source] = [h.text for h in hyps]
        pick = hyps[-1]
        return pick.text, pick.score, {"terms": {"expected": [], "found": [], "missing": [], "forbidden": []}}

    src = [tiny_pairs["ru"][0][0]]
    with _project(tmp_path, src, ("ru",)) as p:
        translate_project(p, ["ru"], backend="hf", beam=4, choose=choose)
        tr = p.segments()[0].translations["ru"]
    assert len(seen[src[0]]) == 4
    assert tr.text == seen[src[0]][-1] and tr.meta["mt"]["rank"] == 3
    assert tr.meta["terms"]["missing"] == []


def test_no_model_installed(tmp_path, workbench_home):
    with _project(tmp_path, ["Thank you very much."], ("ru",)) as p:
        with pytest.raises(ModelUnavailable, match=r"no en->ru MT model is installed: run 'workbench models pull"):
            translate_project(p, ["ru"])
        assert p.segments()[0].translations["ru"].status == "new"


def test_model_without_the_language(tmp_path, tiny_marian, workbench_home):
    from workbench.mt.registry import register_local

    register_local("ru-only", tiny_marian, tgts=["ru"])
    with _project(tmp_path, ["Thank you very much."], ("ru", "km")) as p:
        with pytest.raises(ModelUnavailable, match="translates into ru, not km"):
            translate_project(p, ["ru", "km"], model="ru-only")
        assert all(s.translations[l].status == "new" for s in p.segments() for l in ("ru", "km"))


def test_ct2_backend_in_project(tmp_path, tiny_marian_ct2, tiny_pairs, workbench_home):
    from workbench.mt.registry import register_local

    register_local("tiny-ct2", tiny_marian_ct2, default=True)
    src = [en for en, _ in tiny_pairs["km"][:3]]
    with _project(tmp_path, src, ("km",)) as p:
        stats = translate_project(p, ["km"])  # auto: the converted copy is used
        assert stats["km"].backend == "ct2"
        assert [s.translations["km"].text for s in p.segments()] == [t for _, t in tiny_pairs["km"][:3]]
        assert p.segments()[0].translations["km"].meta["mt"]["backend"] == "ct2"


def test_keep_names_per_language(tmp_path, tiny_marian_registered):
    with _project(tmp_path, ["The prize went to Smart Axiata."], ("ru",)) as p:
        stats = translate_project(p, ["ru"], backend="hf", keep=lambda lang: ["Smart Axiata"] if lang == "ru" else [])
        tr = p.segments()[0].translations["ru"]
    assert tr.text == "Премию получил Smart Axiata." and "placeholders" in tr.meta["mt"]["flags"]
    assert stats["ru"].flags.get("placeholders") == 1
