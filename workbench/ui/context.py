"""What every part of the editor shares: the projects it may open, the glossary, the translation memory, and
the components every tab writes to (the per-browser-tab session state, the project heading, the status line).

The tabs and the public API receive one :class:`EditorContext`; none of them imports the app, and a tab
imports another only to show it (the Projects tab opens a project in the Editor tab). The session state is
described in :mod:`workbench.ui.session`.

Who is acting: every callback wrapped by :meth:`EditorContext.guard` (and every public API endpoint, through
:meth:`EditorContext.as_user`) receives Gradio's request; while it runs, :meth:`EditorContext.author` is the
logged-in person as a :class:`~workbench.core.workflow.Actor` (name and current role), so the library
records that name and enforces that role. Without logins it is the name typed in the Projects tab.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from .. import qa
from ..core.config import data_dir
from ..core.errors import PermissionDenied, VersionConflict, WorkbenchError
from ..core.store import STATUSES, Project, Segment, Translation
from ..core.workflow import Actor, require, statuses_for
from ..tm.memory import TranslationMemory
from . import model as M, render
from .gloss import GlossaryStore

log = logging.getLogger("workbench.ui")

#: the logged-in person while a callback runs (None: no logins)
ACTING: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("workbench_acting", default=None)


def with_request(fn: Callable[..., Any], run: Callable[..., Any]) -> Callable[..., Any]:
    """``run`` dressed as ``fn`` with a leading ``request: gr.Request`` parameter, which Gradio fills with
    the event's request (the other parameters, their types and the docstring stay ``fn``'s, so Gradio
    passes the same inputs and documents the same API)."""
    wrapper = functools.wraps(fn)(run)
    sig = inspect.signature(fn)
    req = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=gr.Request)
    wrapper.__signature__ = sig.replace(parameters=[req, *sig.parameters.values()])
    wrapper.__annotations__ = {**getattr(fn, "__annotations__", {}), "request": gr.Request}
    return wrapper


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
        #: who may log in (:class:`~workbench.core.users.Logins`), set by :func:`~workbench.ui.app.launch`
        self.logins = None

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

    # -- who is acting ----------------------------------------------------------------------------------

    def author(self, state: dict | None = None) -> str:
        """The author of a change: the logged-in person (an :class:`~workbench.core.workflow.Actor`, whose role
        the library enforces), else the name typed in the Projects tab (``"user"`` when none)."""
        actor = ACTING.get()
        return actor if actor is not None else (state or {}).get("author") or "user"

    def acting(self, request) -> Actor | None:
        """The logged-in person of a Gradio request, with their current role; None without logins."""
        name = getattr(request, "username", None)
        if not name or self.logins is None:
            return None
        role = self.logins.role(name)
        if role is None:
            raise PermissionDenied(f"{name} may no longer use the editor: log in again")
        return Actor(name, role)

    def role(self) -> str | None:
        """The acting person's role (None: no logins, everything allowed)."""
        actor = ACTING.get()
        return actor.role if actor is not None else None

    def status_choices(self, current: str | None = None) -> list[str]:
        """The statuses to offer: those the acting role may set, and the ``current`` one (to show it)."""
        allowed = statuses_for(self.role())
        return [s for s in STATUSES if s in allowed or s == current]

    def require(self, right: str) -> None:
        """:func:`~workbench.core.workflow.require` for the acting person."""
        require(self.author(), right)

    @contextlib.contextmanager
    def acting_as(self, request) -> Iterator[None]:
        """Within the block, :meth:`author` is the logged-in person of ``request``."""
        token = ACTING.set(None)
        try:
            ACTING.set(self.acting(request))
            yield
        finally:
            ACTING.reset(token)

    def as_user(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn`` (a public API endpoint) run as the logged-in person (see :meth:`author`)."""

        def run(request=None, *args, **kwargs):
            try:
                with self.acting_as(request):
                    return fn(*args, **kwargs)
            except WorkbenchError as exc:
                raise gr.Error(str(exc), print_exception=False) from None

        return with_request(fn, run)

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

        def run(request=None, *args, **kwargs):
            try:
                with self.acting_as(request):
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

        return with_request(fn, run)

    #: Keyword arguments of every editor event: not in the API docs, no spinner, and one at a time, so a save
    #: on leaving a box is done before the click that left it is handled (and sees the new version).
    EVENT = dict(api_visibility="undocumented", show_progress="hidden", concurrency_id="editor")
