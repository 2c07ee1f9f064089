"""The Glossary tab's server side: the notice that a newer default glossary ships with the package, and taking
it in (reviewers and admins only)."""

from __future__ import annotations

import pytest

from workbench.core.errors import PermissionDenied
from workbench.core.workflow import Actor
from workbench.glossary import Glossary
from workbench.ui.gloss import GlossaryStore
from workbench.ui.glossary_view import GlossaryDesk


def test_a_newer_shipped_default_is_announced_and_taken_in(workbench_home):
    store = GlossaryStore()  # the user's copy of the shipped default, made on first use
    desk = GlossaryDesk(store)
    assert desk.call("search", {}, "anna")["notice"] == ""
    # the user edited the copy, and the package now ships another default than the copy started from
    store.save_full({"new": True, "terms": [{"lang": "en", "text": "Green corridor", "status": "preferred"}]},
                    author="anna")
    (store.path.parent / ".shipped-sha256").write_text("0" * 64, encoding="ascii")
    shipped = Glossary.load(store.path).get("asean")
    store.change(lambda g: g.remove_concept("asean"), note="test: drop a shipped concept", author="anna")
    notice = desk.call("search", {}, "anna")["notice"]
    assert "ships a newer default glossary" in notice and "workbench glossary update" in notice
    # a translator may not take it in
    out = desk.call("take_shipped", {}, Actor("tom", "translator"))
    assert "error" in out and not out.get("can_edit")
    with pytest.raises(PermissionDenied):
        store.take_shipped(author=Actor("tom", "translator"))
    out = desk.call("take_shipped", {}, "anna")
    assert out["message"].startswith("Took in the new shipped default glossary") and out["notice"] == ""
    g = Glossary.load(store.path)
    assert g.get("green-corridor") is not None  # the user's own concept stays
    assert g.get("asean").preferred("en").text == shipped.preferred("en").text  # the shipped one is back
