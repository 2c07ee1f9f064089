"""Saving: atomic write-then-rename, history, undo, conflicts; editing API."""

from __future__ import annotations

import os

import pytest

from workbench.core.errors import InputError, NotFound, VersionConflict
from workbench.glossary import Glossary


def test_edit_save_reload(mini_glossary_path):
    g = Glossary.load(mini_glossary_path)
    g.add_concept("sochi", domain="place", terms=[{"lang": "en", "text": "Sochi"}, {"lang": "ru", "text": "Сочи"}])
    g.add_term("eas", "ru", "ВАС", status="admitted", source="test")
    g.edit_term("eas", "ru", "Саммит Восточной Азии", status="forbidden", note="calque")
    g.edit_concept("eas", definition="leaders' forum")
    g.remove_term("asean", "ru", "Ассоциация стран Юго-Восточной Азии")
    g.save()
    again = Glossary.load(mini_glossary_path)
    assert again.get("sochi").preferred("ru").text == "Сочи"
    assert again.find_term("eas", "ru", "ВАС").status == "admitted"
    t = again.find_term("eas", "ru", "Саммит Восточной Азии")
    assert (t.status, t.note) == ("forbidden", "calque")
    assert again.get("eas").definition == "leaders' forum"
    with pytest.raises(NotFound):
        again.find_term("asean", "ru", "Ассоциация стран Юго-Восточной Азии")
    # the edits are visible to matching at once
    assert [h.concept_id for h in again.find_terms("in Sochi", "en")] == ["sochi"]


def test_bad_edits_refused(mini_glossary):
    g = mini_glossary
    with pytest.raises(InputError):
        g.add_term("eas", "ru", "   ")
    with pytest.raises(InputError):
        g.add_term("eas", "ru", "x", status="recommended")
    with pytest.raises(InputError):
        g.add_concept("eas")
    with pytest.raises(InputError):
        g.add_concept("bad id!")
    with pytest.raises(NotFound):
        g.get("nope")
    with pytest.raises(Exception, match="unknown language"):
        g.add_term("eas", "fr", "Sommet de l'Asie de l'Est")


def test_history_and_undo(mini_glossary_path):
    original = mini_glossary_path.read_bytes()
    g = Glossary.load(mini_glossary_path)
    g.remove_concept("eas")
    g.save(note="remove eas")
    assert "eas" not in Glossary.load(mini_glossary_path)
    hist = g.history()
    assert [h["note"] for h in hist] == ["remove eas"]
    restored = g.undo()
    assert "eas" in restored
    # the restored file has the same concepts as the original (written in canonical form)
    assert [c.to_dict() for c in restored] == [c.to_dict() for c in Glossary.read(mini_glossary_path)]
    assert len(restored.history()) == 2          # the undone version is kept too
    again = restored.undo()                      # undo the undo
    assert "eas" not in again
    assert original  # the fixture file was real


def test_atomic_save_leaves_no_temp_files_and_keeps_old_file_on_failure(mini_glossary_path, monkeypatch):
    g = Glossary.load(mini_glossary_path)
    before = mini_glossary_path.read_bytes()
    g.add_term("eas", "ru", "ВАС", status="admitted")

    def boom(*a, **k):
        raise OSError("disk full")

    with monkeypatch.context() as m:  # undoes only this patch, not the test's WORKBENCH_HOME
        m.setattr(os, "replace", boom)
        with pytest.raises(OSError):
            g.save()
    assert mini_glossary_path.read_bytes() == before
    assert [p.name for p in mini_glossary_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    g.save()
    assert Glossary.load(mini_glossary_path).find_term("eas", "ru", "ВАС")


def test_concurrent_edit_conflict(mini_glossary_path):
    a = Glossary.load(mini_glossary_path)
    b = Glossary.load(mini_glossary_path)
    a.add_term("eas", "ru", "ВАС", status="admitted")
    a.save()
    b.add_term("eas", "ru", "ВАСК", status="admitted")
    with pytest.raises(VersionConflict, match=str(mini_glossary_path)):
        b.save()
    assert Glossary.load(mini_glossary_path).find_term("eas", "ru", "ВАС")


def test_tbx_as_working_file(mini_glossary, tmp_path):
    p = tmp_path / "work.tbx"
    mini_glossary.export(p)
    g = Glossary.load(p)
    g.add_term("eas", "ru", "ВАС", status="admitted")
    g.save()
    assert Glossary.load(p).find_term("eas", "ru", "ВАС").status == "admitted"
    assert len(g.history()) == 1


def test_missing_default_file(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_GLOSSARY", str(tmp_path / "none.csv"))
    with pytest.raises(NotFound, match="none.csv"):
        Glossary.load()


def test_search_ranks_exact_and_prefix_matches_first():
    """Searching "ASEAN" lists the concept ASEAN first, then the terms starting with it, then those with it
    as a word, then mere mentions (a definition that names ASEAN comes last)."""
    from workbench.core.config import GLOSSARY_DIR
    from workbench.glossary import Glossary

    g = Glossary.load(GLOSSARY_DIR / "diplomatic.csv")
    found = [c.id for c in g.search("ASEAN")]
    assert found[0] == "asean"
    assert found.index("asean-regional-forum") < found.index("russia-asean-summit")
    mentions = [c.id for c in g.concepts() if "asean" in c.definition.lower()
                and not any("asean" in t.text.lower() or "асеан" in t.text.lower() for t in c.terms)
                and "asean" not in c.id]
    assert all(found.index(m) > found.index("russia-asean-summit") for m in mentions)
    assert [c.id for c in g.search("асеан")][0] == "asean"
    assert [c.id for c in g.search("Sochi")][0] == "sochi"
    assert g.search("no such thing anywhere") == []
