"""Glossary term checks through the real workbench.glossary matcher, on a small hand-written glossary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.store import Project
from workbench.qa import check_project, check_segment

TERMS = Path(__file__).resolve().parent / "glossary_terms.csv"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def terms():
    from workbench.glossary import Glossary

    return Glossary.load(TERMS)


def term_codes(source, target, src, tgt, glossary, **kw):
    return sorted((f.code, f.severity) for f in check_segment(source, target, src, tgt, glossary=glossary, **kw)
                  if f.code.startswith("term_"))


@pytest.mark.parametrize("source,target,src,tgt,expected", [
    ("The Kingdom of Cambodia welcomed the delegation.", "Королевство Камбоджа приветствовало делегацию.", "en",
     "ru", []),
    ("The Kingdom of Cambodia welcomed the delegation.", "Кампучия приветствовала делегацию.", "en", "ru",
     [("term_forbidden", "error"), ("term_missing", "warning")]),
    ("The Kingdom of Cambodia welcomed the delegation.", "Камбоджа приветствовала делегацию.", "en", "ru",
     [("term_missing", "warning")]),
    ("The Kingdom of Cambodia welcomed the delegation.", "ព្រះរាជាណាចក្រកម្ពុជា​បាន​ស្វាគមន៍​គណៈប្រតិភូ។", "en",
     "km", []),
    ("The Kingdom of Cambodia welcomed the delegation.", "កម្ពុជាប្រជាធិបតេយ្យ​បាន​ស្វាគមន៍​គណៈប្រតិភូ។", "en",
     "km", [("term_forbidden", "error"), ("term_missing", "warning")]),
    ("Российская Федерация приветствует решение.", "The Russian Federation welcomes the decision.", "ru", "en",
     []),
    ("Российская Федерация приветствует решение.", "Russia welcomes the decision.", "ru", "en",
     [("term_missing", "warning")]),
    ("The Association of Southeast Asian Nations met.", "Ассоциация стран Юго-Восточной Азии собралась.", "en",
     "ru", [("term_deprecated", "warning"), ("term_missing", "warning")]),
])
def test_term_checks(terms, source, target, src, tgt, expected):
    assert term_codes(source, target, src, tgt, terms) == expected


def test_forbidden_term_span_and_switches(terms):
    target = "Кампучия приветствовала делегацию."
    (f,) = [f for f in check_segment("The Kingdom of Cambodia welcomed them.", target, "en", "ru", glossary=terms)
            if f.code == "term_forbidden"]
    assert target[f.span[0]:f.span[1]] == "Кампучия"
    assert "Кампучия" in f.message
    off = {"checks": {"term_missing": False, "term_forbidden": False}}
    assert term_codes("The Kingdom of Cambodia welcomed them.", target, "en", "ru", terms, settings=off) == []


def test_check_project_and_cli_with_glossary(terms, tmp_path):
    path = tmp_path / "g.db"
    p = Project.create(path, "g", "en", ["ru"])
    p.add_document("d", [(0, "The Kingdom of Cambodia welcomed the delegation.")])
    (sid,) = (s.id for s in p.segments())
    p.set_translation(sid, "ru", "Кампучия приветствовала делегацию.", origin="mt", status="draft")
    assert {f.code for f in check_project(p, glossary=terms)} == {"term_forbidden", "term_missing"}
    assert not {f.code for f in check_project(p)} & {"term_forbidden", "term_missing"}
    p.close()
    res = subprocess.run([sys.executable, "-m", "workbench", "qa", str(path), "--json", "--glossary", str(TERMS)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert {d["code"] for d in json.loads(res.stdout)} == {"term_forbidden", "term_missing"}
    res = subprocess.run([sys.executable, "-m", "workbench", "qa", str(path), "--glossary", str(tmp_path / "no.csv")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
