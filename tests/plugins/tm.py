"""Fixtures for the translation memory / TMX tests (and any stage that needs a project with confirmed work)."""

from __future__ import annotations

import pytest

from workbench.core.store import Project

#: (paragraph, English source) of a small diplomatic text, with a repetition (segments 0 and 3).
TM_SOURCES = [
    (0, "The Minister of Foreign Affairs met the Ambassador of the Kingdom of Cambodia on 5 May 2024."),
    (0, "The sides discussed bilateral cooperation & trade."),
    (1, 'The Ambassador said: "We value our partnership."'),
    (1, "The Minister of Foreign Affairs met the Ambassador of the Kingdom of Cambodia on 5 May 2024."),
    (2, "Talks will continue in Phnom Penh."),
]


@pytest.fixture
def tm_project(tmp_path):
    """A real project file: 5 segments; ru: 2 confirmed + 1 draft; km: 1 confirmed. Closed after the test."""
    project = Project.create(tmp_path / "visit.db", name="Visit <2024>", source_lang="en", target_langs=["ru", "km"])
    project.add_document("Meeting with the Ambassador", TM_SOURCES, text="", date="2024-05-05")
    segs = project.segments()
    project.set_translation(segs[0].id, "ru", "Министр иностранных дел встретился с послом Королевства Камбоджа "
                            "5 мая 2024 года.", origin="human", status="translated", author="anna")
    project.set_translation(segs[1].id, "ru", "Стороны обсудили двустороннее сотрудничество и торговлю.",
                            origin="mt", status="draft", score=-0.31, author="mt")
    project.set_translation(segs[2].id, "ru", "Посол заявил: «Мы ценим наше партнёрство».", origin="aligned",
                            status="approved", score=0.93, author="boris")
    project.set_translation(segs[4].id, "km", "កិច្ចពិភាក្សានឹងបន្តនៅភ្នំពេញ។", origin="human", status="reviewed",
                            author="sokha")
    yield project
    project.close()
