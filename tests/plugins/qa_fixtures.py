"""Fixtures for the QA / metrics / report tests (usable by the UI tests too).

``qa_project``: a small real project file (en -> ru, km; two documents, five segments) with an MT draft that
was post-edited, a fuzzy and an exact TM match, an aligned segment, a repetition, a number error and an
inconsistency. The expected figures in tests/qa were counted by hand from these texts.
"""

from __future__ import annotations

import pytest

from workbench.core.store import Project

SOURCES = [
    ("Visit", [(0, "The Prime Minister arrived in Phnom Penh on 25 May 1995."), (1, "Trade reached 1,500 tonnes."),
               (2, "The talks were constructive.")]),
    ("Statement", [(0, "The talks were constructive."), (1, "Cambodia and Russia signed three agreements.")]),
]
RU_DRAFT = "Премьер-министр прибыл в Пномпень 25 мая 1995 года."
RU_FINAL = "Премьер-министр прибыл в Пномпень 25 мая 1995 г."
KM_S1 = "នាយករដ្ឋមន្ត្រី​បាន​មក​ដល់​ភ្នំពេញ​នៅ​ថ្ងៃទី២៥ ខែឧសភា ឆ្នាំ១៩៩៥។"


def build_qa_project(path) -> Project:
    p = Project.create(path, "qa-sample", "en", ["ru", "km"])
    for title, segs in SOURCES:
        p.add_document(title, segs, text=" ".join(s for _, s in segs))
    s1, s2, s3, s4, _s5 = (s.id for s in p.segments())
    p.set_translation(s1, "ru", RU_DRAFT, origin="mt", status="draft", score=-0.4,
                      meta={"mt": {"model": "test", "backend": "hf", "flags": []}}, author="mt", action="mt")
    p.set_translation(s1, "ru", RU_FINAL, origin="human", status="translated", author="anna")
    p.set_translation(s2, "ru", "Товарооборот достиг 1 600 тонн.", origin="tm", status="draft", score=87.0,
                      meta={"tm": {"match": 87.0, "tm": "main"}}, author="tm", action="tm")
    p.set_translation(s3, "ru", "Переговоры были конструктивными.", origin="aligned", status="reviewed",
                      meta={"align": {"link": [[0], [0]], "confidence": 0.93, "review": False, "anchor": False}})
    p.set_translation(s4, "ru", "Переговоры прошли конструктивно.", origin="human", status="translated")
    p.set_translation(s1, "km", KM_S1, origin="mt", status="draft", author="mt", action="mt")
    p.set_translation(s1, "km", status="approved", author="sok")
    p.set_translation(s2, "km", "ពាណិជ្ជកម្ម​បាន​ឈាន​ដល់ ១,៥០០ តោន។", origin="tm", status="approved", score=100.0,
                      meta={"tm": {"match": 100.0, "tm": "main"}}, author="tm", action="tm")
    return p


@pytest.fixture
def qa_project(tmp_path):
    """Path of a closed sample project file (see module docstring)."""
    path = tmp_path / "sample.db"
    build_qa_project(path).close()
    return path
