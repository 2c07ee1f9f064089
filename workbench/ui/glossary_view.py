"""The Glossary tab's concept list and the requests of its browser code (``static/glossary.js``): search
(best matches first), open a concept, save it with all its terms (each with its own status and *needs
review* flag), make a new one (its id made from the English term), delete one. No Gradio here.

All text is escaped here (:func:`workbench.ui.render.esc`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..core.errors import PermissionDenied, WorkbenchError
from ..core.workflow import EDIT_GLOSSARY, require
from ..glossary.model import STATUSES
from .gloss import TERM_LANGS, GlossaryStore
from .render import esc
from .rows import highlight, hit_spans

log = logging.getLogger("workbench.ui")

#: Concepts listed at most (a search narrows them).
LIST_LIMIT = 300
LANG_NAMES = {"en": "English", "ru": "Russian", "km": "Khmer"}


def term_chip(term, query: str = "") -> str:
    """One term with its status (preferred bold, admitted plain, deprecated struck, forbidden red) and a ⚑
    when it needs review; never broken inside a word."""
    flag = " <span class='g-flag' title='needs review: not attested yet'>⚑</span>" if term.needs_review else ""
    status = "" if term.status == "preferred" else f" <span class='g-st'>{esc(term.status)}</span>"
    return (f"<span class='g-term st-{esc(term.status)}' lang='{esc(term.lang)}'>"
            f"{highlight(term.text, hit_spans(term.text, query))}{status}{flag}</span>")


def concept_rows(concepts: Sequence[Any], query: str = "") -> str:
    """The concept list: id and domain, then the EN, RU and KM terms, in fixed columns."""
    if not concepts:
        return "<div class='g-none'>No concept matches.</div>"
    head = "".join(f"<th>{esc(LANG_NAMES[l])} ({l.upper()})</th>" for l in TERM_LANGS)
    body = []
    for c in concepts[:LIST_LIMIT]:
        cells = "".join("<td>" + " ".join(term_chip(t, query) for t in c.terms_in(l)) + "</td>" for l in TERM_LANGS)
        cid = highlight(c.id, hit_spans(c.id, query))
        body.append(f"<tr data-id='{esc(c.id)}' tabindex='0'><td class='g-cid'><b>{cid}</b><br>"
                    f"<span class='muted'>{esc(c.domain)}</span></td>{cells}</tr>")
    more = (f"<div class='g-more'>{len(concepts) - LIST_LIMIT} more: search to narrow the list.</div>"
            if len(concepts) > LIST_LIMIT else "")
    return (f"<table class='g-list'><colgroup><col class='g-c0'><col><col><col></colgroup><thead><tr><th>concept"
            f"</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}")


class GlossaryDesk:
    """What the Glossary tab's browser code asks for; each answer a dict (``error`` when refused)."""

    def __init__(self, store: GlossaryStore):
        self.store = store

    def call(self, action: str, data: dict[str, Any], author: str) -> dict[str, Any]:
        fn = getattr(self, f"do_{action}", None) if action.isidentifier() else None
        if fn is None:
            return {"error": f"unknown action {action!r}"}
        try:
            out = fn(data, author)
        except WorkbenchError as exc:
            return {"error": str(exc)}
        except Exception:
            log.exception("glossary action %s failed", action)
            return {"error": "Something went wrong; nothing was changed. Details are in the server log."}
        out.setdefault("can_edit", self.can_edit(author))
        return out

    @staticmethod
    def can_edit(author: str) -> bool:
        try:
            require(author, EDIT_GLOSSARY)
        except PermissionDenied:
            return False
        return True

    def do_search(self, data: dict[str, Any], author: str) -> dict[str, Any]:
        query = str(data.get("query") or "").strip()[:200]
        g = self.store.get()
        concepts = g.search(query) if query else g.concepts()
        info = f"{len(concepts)} concept{'s' if len(concepts) != 1 else ''}" + (f" matching “{query}”" if query
                                                                                  else "")
        return {"html": concept_rows(concepts, query), "info": info, "statuses": list(STATUSES),
                "langs": list(TERM_LANGS), "notice": self.store.update_notice() or ""}

    def do_take_shipped(self, data: dict[str, Any], author: str) -> dict[str, Any]:
        msg = self.store.take_shipped(author=author)
        out = self.do_search({"query": data.get("query")}, author)
        out["message"] = msg
        return out

    def do_concept(self, data: dict[str, Any], author: str) -> dict[str, Any]:
        return {"concept": self.store.concept_data(str(data.get("id") or ""))}

    def do_new_id(self, data: dict[str, Any], author: str) -> dict[str, Any]:
        return {"id": self.store.new_id(str(data.get("english") or ""))}

    def do_save(self, data: dict[str, Any], author: str) -> dict[str, Any]:
        msg = self.store.save_full(data.get("concept") or {}, author=author)
        cid = msg.rsplit(" ", 1)[-1].rstrip(".")
        out = self.do_search({"query": data.get("query")}, author)
        out.update(message=msg, concept=self.store.concept_data(cid))
        return out

    def do_delete(self, data: dict[str, Any], author: str) -> dict[str, Any]:
        msg = self.store.delete(str(data.get("id") or ""), author=author)
        out = self.do_search({"query": data.get("query")}, author)
        out["message"] = msg
        return out
