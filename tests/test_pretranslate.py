"""The pre-translation stage end to end: translation memory first, then Marian MT with the glossary."""

from __future__ import annotations

import pytest

from workbench.core.errors import ModelUnavailable
from workbench.core.store import Project
from workbench.pretranslate import pretranslate
from workbench.tm.memory import TranslationMemory


def _project(tmp_path, sentences):
    p = Project.create(tmp_path / "p.db", "t", "en", ["ru", "km"])
    p.add_document("doc", [(0, s) for s in sentences], text=" ".join(sentences))
    return p


@pytest.mark.slow
def test_tm_first_then_mt_with_glossary(tmp_path, tiny_marian_registered, tiny_pairs):
    ru = dict(tiny_pairs["ru"])
    sentences = ["Cambodia and Russia signed an agreement.", "The minister met the ambassador.",
                 "The talks were held in Phnom Penh."]
    with TranslationMemory.open() as tm:  # the user's TM (in this test's WORKBENCH_HOME)
        tm.add(sentences[1], "Министр провёл встречу с послом.", "en", "ru")
    with _project(tmp_path, sentences) as p:
        # A person already confirmed one target: nothing may touch it.
        first = p.segments()[0]
        p.set_translation(first.id, "km", "ការបកប្រែរបស់មនុស្ស។", origin="human", status="translated")
        result = pretranslate(p, ["ru", "km"], backend="hf")
        assert result.mt_unavailable is None
        assert result.tm["ru"].filled == 1 and result.tm["ru"].exact == 1
        assert result.mt["ru"].translated == 2 and result.mt["km"].translated == 2
        assert any(line.startswith("ru: 2 of 2 translated") and "TM filled 1" in line for line in result.summary())
    with Project.open(tmp_path / "p.db") as p:
        s0, s1, s2 = p.segments()
        assert (s1.translations["ru"].origin, s1.translations["ru"].score) == ("tm", 100.0)
        assert s1.translations["ru"].text == "Министр провёл встречу с послом."
        for seg in (s0, s2):
            tr = seg.translations["ru"]
            assert (tr.origin, tr.status, tr.text) == ("mt", "draft", ru[seg.source])
            # the glossary chose among the n-best and recorded which terms it expected and found
            assert {"expected", "found", "missing"} <= set(tr.meta["terms"])
            assert tr.meta["glossary"]["n_best"] >= 1
        expected_concepts = {t["concept"] for t in s0.translations["ru"].meta["terms"]["expected"]}
        assert {"cambodia", "russia"} <= expected_concepts
        assert s0.translations["km"].text == "ការបកប្រែរបស់មនុស្ស។" and s0.translations["km"].origin == "human"


def test_without_a_model_tm_still_runs_and_cli_contract_fails_fast(tmp_path):
    sentences = ["The minister met the ambassador.", "Thank you very much."]
    with TranslationMemory.open() as tm:
        tm.add(sentences[0], "Министр встретился с послом.", "en", "ru")
    with _project(tmp_path, sentences) as p:
        with pytest.raises(ModelUnavailable, match="workbench models"):
            pretranslate(p, ["ru"], require_mt=True)
        assert all(s.translations["ru"].status == "new" for s in p.segments())  # nothing written
        result = pretranslate(p, ["ru"])
        assert result.tm["ru"].filled == 1 and result.mt == {}
        assert "workbench models" in result.mt_unavailable
        assert result.summary()[-1].startswith("MT not run:")
        assert [s.translations["ru"].origin for s in p.segments()] == ["tm", None]


def test_author_reaches_the_tm_pass(tmp_path):
    sentences = ["The minister met the ambassador.", "Thank you very much."]
    with TranslationMemory.open() as tm:
        tm.add(sentences[0], "Министр встретился с послом.", "en", "ru")
    with _project(tmp_path, sentences) as p:
        result = pretranslate(p, "ru", use_mt=False, author="anna")
        assert result.tm["ru"].filled == 1
        first = p.segments()[0]
        assert first.translations["ru"].updated_by == "anna"
        assert [(h.action, h.author) for h in p.history(first.id, "ru")] == [("pretranslate", "anna")]
        assert first.translations["ru"].tm.tm == "default" and first.translations["ru"].tm.match == 100.0
    with _project(tmp_path / "2", sentences) as p:
        pretranslate(p, ["ru"], use_mt=False)
        assert p.segments()[0].translations["ru"].updated_by == "tm"  # the default author of the TM pass
