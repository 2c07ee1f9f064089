"""What every part of the editor shares: the projects it may open, the glossary, the translation memory, and
the components every tab writes to (the per-browser-tab session state, the project heading, the status line).

The tabs and the public API receive one :class:`EditorContext`; none of them imports the app, and a tab
imports another only to show it (the Projects tab opens a project in the Editor tab). The session state is
described in :mod:`workbench.ui.session`.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from .. import qa
from ..core.config import data_dir
from ..core.errors import VersionConflict, WorkbenchError
from ..core.store import Project, Segment, Translation
from ..tm.memory import TranslationMemory
from . import model as M, render
from .gloss import GlossaryStore

log = logging.getLogger("workbench.ui")


def upload_path(upload) -> str | None:
    """The server-side path of a ``gr.File`` value (a path string, or an object with ``.name``)."""
    return upload if isinstance(upload, str) or upload is None else getattr(upload, "name", None)


class EditorContext:
    """Shared by the tabs of one editor. ``state``, ``msg``, ``proj_head`` and ``tabs`` are the shared
    components, made by :meth:`build_header` (and the app, for ``tabs``) inside the Blocks."""

    def __init__(self, workspace: M.Workspace, default_project: str | os.PathLike | None = None, *,
                 tm_path: str | os.PathLike | None = None, glossary_path: str | os.PathLike | None = None):
        self.ws = workspace
        self.default = str(Path(default_project).resolve()) if default_project else None
        self.gloss = GlossaryStore(glossary_path)
        self.tm_path = Path(tm_path) if tm_path else data_dir() / "tm.db"
        self._tm = None
        self.state: gr.State | None = None
        self.msg: gr.HTML | None = None
        self.proj_head: gr.HTML | None = None
        self.tabs: gr.Tabs | None = None

    def build_header(self) -> None:
        """The session state and the row above the tabs: the open project, the status line."""
        self.state = gr.State({})
        with gr.Row(equal_height=True):
            self.proj_head = gr.HTML("", elem_id="proj-head")
            self.msg = gr.HTML("", elem_id="wb-msg")

    # -- stores ----------------------------------------------------------------------------------------

    def memory(self):
        """The translation memory (opened on first use; thread-safe like the store)."""
        if self._tm is None:
            self._tm = TranslationMemory.open(self.tm_path)
        return self._tm

    def close(self) -> None:
        """Close the project and TM files."""
        try:
            self.ws.close_all()
        finally:
            if self._tm is not None:
                self._tm.close()
                self._tm = None

    def glossary(self):
        """The glossary, or None (logged) when its file is missing or broken: the editor still works."""
        try:
            return self.gloss.get()
        except WorkbenchError as exc:
            log.warning("glossary unavailable: %s", exc)
            return None

    def project(self, state: dict | None) -> Project:
        """The project this browser tab has open (the default one before it opened any)."""
        return self.ws.project((state or {}).get("project") or self.default or "")

    @staticmethod
    def author(state: dict | None) -> str:
        return (state or {}).get("author") or "user"

    def head(self, proj: Project) -> str:
        """The project heading: name, progress per language, file."""
        return render.project_head(proj.name, M.progress_text(M.project_summary(proj)), proj.path.name)

    # -- confirming ------------------------------------------------------------------------------------

    def confirm(self, proj: Project, segment_id: int, lang: str, text: str, *, expected_version: int | None,
                author: str, status: str | None = None) -> Translation:
        """Save ``text`` (and ``status``, if given) and confirm one target (:func:`~workbench.ui.model.save_edit`
        with ``confirm``), then give the segment's confirmed pairs to the TM. Returns the translation as
        stored."""
        tr = M.save_edit(proj, segment_id, lang, text, status=status, expected_version=expected_version,
                         confirm=True, author=author)
        self.add_to_tm(proj, segment_id)
        return tr or proj.translation(segment_id, lang)

    def add_to_tm(self, proj: Project, segment_id: int) -> None:
        """Give a segment's confirmed translations to the TM (the project's own memory). A TM that cannot
        take them is logged: the confirmation stands, and ``workbench tm add-project`` fills the TM later."""
        try:
            self.memory().add_segment(proj, segment_id)
        except WorkbenchError as exc:
            log.warning("could not add segment %s to the TM: %s", segment_id, exc)

    # -- what the editor shows about a segment ---------------------------------------------------------

    def qa_settings(self, proj: Project):
        try:
            return qa.project_settings(proj)
        except WorkbenchError as exc:  # broken stored settings: check with the defaults, say so in the log
            log.warning("%s: QA settings ignored (%s)", proj.path, exc)
            return None

    def tm_matches(self, proj: Project, seg: Segment, lang: str, limit: int = 3) -> list:
        """TM suggestions of at least :data:`~workbench.ui.model.TM_SUGGESTION_MIN` % for one target."""
        tr = seg.translations.get(lang)
        try:
            hits = self.memory().lookup(seg.source, proj.source_lang, lang, min_score=M.TM_SUGGESTION_MIN,
                                        limit=limit + 1)
        except WorkbenchError as exc:
            log.warning("TM lookup failed: %s", exc)
            return []
        # the segment's own confirmed text, fed to the TM, is not a suggestion
        return [h for h in hits if not (tr and h.source == seg.source and h.target == tr.text)][:limit]

    def problems_fn(self, proj: Project) -> Callable[[Segment, str], list[M.Problem]]:
        settings = self.qa_settings(proj)
        glossary = self.glossary()
        return lambda seg, lang: M.segment_problems(seg, lang, proj.source_lang, settings, glossary)

    def shown(self, proj: Project, segs: list[Segment], flt: M.Filter) -> list[Segment]:
        """The segments the filter lets through (its QA-problems switch uses the live QA checks)."""
        if not flt.active():
            return segs
        return M.filter_segments(segs, flt, proj.target_langs, self.problems_fn(proj) if flt.qa_only else None)

    # -- callbacks -------------------------------------------------------------------------------------

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback: a :class:`~workbench.core.errors.WorkbenchError` becomes a one-line message in the
        status line (and nothing else changes), anything else a short generic message (details go to the
        server log), never a traceback."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except VersionConflict as exc:
                return {self.msg: render.error(f"Not saved: {exc}. Your text is still in the box: copy it, then "
                                               "press Reload segment.")}
            except WorkbenchError as exc:
                return {self.msg: render.error(str(exc))}
            except Exception:  # a bug: keep the UI usable, log the details
                log.exception("editor callback %s failed", fn.__name__)
                return {self.msg: render.error("Something went wrong; nothing was lost. Details are in the "
                                               "server log.")}

        return wrapper

    #: Keyword arguments of every editor event: not in the API docs, no spinner, and one at a time, so a save
    #: on leaving a box is done before the click that left it is handled (and sees the new version).
    EVENT = dict(api_visibility="undocumented", show_progress="hidden", concurrency_id="editor")
