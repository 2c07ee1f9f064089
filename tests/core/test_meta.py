"""Typed sections of Translation.meta: what the stages write is what readers get, typed, and the JSON on disk
keeps the shape existing project files have."""

from __future__ import annotations

import json
import sqlite3

from workbench.core.meta import AlignMeta, MtMeta, TermsMeta, TmMeta, section, with_section, without_sections
from workbench.core.store import Project


def test_sections_round_trip_and_keep_unknown_keys():
    stored = {"model": "opus-en-ru", "backend": "ct2", "flags": ["placeholders"], "revision": "abc", "rank": 2,
              "chooser_note": "kept"}
    mt = MtMeta.from_dict(stored)
    assert (mt.model, mt.backend, mt.flags, mt.revision, mt.rank) == ("opus-en-ru", "ct2", ["placeholders"], "abc", 2)
    assert mt.extra == {"chooser_note": "kept"} and mt.as_dict() == stored
    # optional fields are left out when unset, as the writers always did
    assert MtMeta(model="m", backend="hf").as_dict() == {"model": "m", "backend": "hf", "flags": []}
    assert TmMeta(match=100.0, tm="project", segment=7, source="Hi.").as_dict() == {
        "match": 100.0, "tm": "project", "segment": 7, "source": "Hi."}
    assert AlignMeta(link=[[1], [0]], confidence=0.9).as_dict() == {
        "link": [[1], [0]], "confidence": 0.9, "review": False, "anchor": False}
    assert MtMeta.from_dict("not a dict") is None and section({"tm": 5}, TmMeta) is None
    assert section({}, AlignMeta) is None and section(None, TermsMeta) is None


def test_with_and_without_sections():
    meta = {"glossary": {"n_best": 4}, "tm": {"match": 80.0, "tm": "mfa", "unit": 3, "source": "x"}}
    out = with_section(meta, AlignMeta(link=[[1], [0]], confidence=0.5, review=True))
    assert out["align"]["review"] is True and out["tm"] == meta["tm"] and "align" not in meta  # a copy
    assert without_sections(out) == {"glossary": {"n_best": 4}}
    assert without_sections(out, "tm") == {"glossary": {"n_best": 4}, "align": out["align"]}


def test_translation_accessors_read_what_is_on_disk(tmp_path):
    path = tmp_path / "p.db"
    with Project.create(path, "p", "en", ["ru"]) as p:
        p.add_document("T", [(0, "The Minister met the envoy.")])
        sid = p.segments()[0].id
        terms = {"expected": [{"concept": "minister", "source": "Minister", "target": "министр"}],
                 "found": [], "missing": [{"concept": "minister", "source": "Minister", "target": "министр",
                                           "severity": "warning", "message": "term missing"}],
                 "forbidden": [], "deprecated": []}
        p.set_translation(sid, "ru", "Посланник.", origin="tm", status="draft", score=87.5,
                          meta=with_section({"terms": terms},
                                            TmMeta(match=87.5, tm="mfa", unit=12, source="The Minister met him.",
                                                   flags=["numbers"])))
    raw = sqlite3.connect(path).execute("SELECT meta FROM translation").fetchone()[0]
    assert json.loads(raw)["tm"] == {"match": 87.5, "tm": "mfa", "unit": 12, "source": "The Minister met him.",
                                     "flags": ["numbers"]}
    with Project.open(path) as p:
        tr = p.translation(sid, "ru")
        assert tr.tm.match == 87.5 and tr.tm.unit == 12 and tr.tm.flags == ["numbers"]
        assert tr.terms.missing[0]["target"] == "министр" and tr.terms.forbidden == []
        assert tr.mt is None and tr.align is None
