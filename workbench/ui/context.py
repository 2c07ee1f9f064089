"""What every part of the editor shares: the projects it may open, the glossary, the translation memory, the
background jobs and who is where (soft locks), and the components every tab writes to (the per-browser-tab
session state, the project heading, the jobs bar, the status line).

The tabs and the public API receive one :class:`EditorContext`; none of them imports the app, and a tab
imports another only to show it (the Projects tab opens a project in the Editor tab).

Events of different browser sessions run in parallel (no event shares a server-wide concurrency group);
events of one session run one at a time (:meth:`EditorContext.guard` holds a lock per session), and the
Editor tab's own requests are sent one after the other by its browser code.

Who is acting: every callback wrapped by :meth:`EditorContext.guard` (and every public API endpoint, through
:meth:`EditorContext.as_user`) receives Gradio's request; while it runs, :meth:`EditorContext.author` is the
logged-in person as a :class:`~workbench.core.workflow.Actor` (name and current role), so the library
records that name and enforces that role. Without logins it is the name typed in the header (remembered by
the browser). The Editor tab's requests name their person through :meth:`EditorContext.user`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import inspect
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import gradio as gr

from .. import qa
from ..core.config import data_dir
from ..core.errors import PermissionDenied, VersionConflict, WorkbenchError
from ..core.jobs import Job, JobRunner
from ..core.store import STATUSES, Project, Segment, Translation
from ..core.workflow import Actor, require, statuses_for
from ..tm.memory import TranslationMemory
from . import model as M, render
from .gloss import GlossaryStore
from .presence import Presence

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


def login_name(request: Any) -> str | None:
    """The name the request's browser logged in with, or None without a login. Accepts a ``gr.Request`` or
    the plain request a component's server function receives (asked through the app's login dependency)."""
    if request is None:
        return None
    name = getattr(request, "username", None)
    if name:
        return str(name)
    raw = getattr(request, "request", None) or request
    app = getattr(raw, "app", None)
    dependency = getattr(app, "auth_dependency", None)
    if dependency is not None and getattr(raw, "scope", None) is not None:
        user = dependency(raw)
        return str(user) if user and not inspect.isawaitable(user) else None
    return None


def clean_name(name: Any) -> str:
    """A typed author name: one line, at most 60 characters (empty if none)."""
    return " ".join(str(name or "").split())[:60]


class EditorContext:
    """Shared by the tabs of one editor. ``state``, ``msg``, ``proj_head``, ``author`` and ``tabs`` are the
    shared components, made by :meth:`build_header` (and the app, for ``tabs``) inside the Blocks."""

    def __init__(self, workspace: M.Workspace, default_project: str | os.PathLike | None = None, *,
                 tm_path: str | os.PathLike | None = None, glossary_path: str | os.PathLike | None = None,
                 job_workers: int = 2):
        self.ws = workspace
        self.default = str(Path(default_project).resolve()) if default_project else None
        self.gloss = GlossaryStore(glossary_path)
        self.tm_path = Path(tm_path) if tm_path else data_dir() / "tm.db"
        self._tm = None
        self._tm_lock = threading.Lock()
        self._tm_writer = None  # the TM handle of the writer thread
        self._tm_writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench-tm")
        self.jobs = JobRunner(workers=job_workers)
        self.presence = Presence()
        self._heads: dict[str, tuple[tuple, str]] = {}  # project -> (cursor, heading)
        self._sessions: dict[str, threading.Lock] = {}
        self._sessions_lock = threading.Lock()
        self.state: gr.State | None = None
        self.msg: gr.HTML | None = None
        self.proj_head: gr.HTML | None = None
        self.author_box: gr.Textbox | None = None
        self.tabs: gr.Tabs | None = None
        #: who may log in (:class:`~workbench.core.users.Logins`), set by :func:`~workbench.ui.app.launch`
        self.logins = None

    def build_header(self) -> None:
        """The session state and the row above the tabs: the open project, the background jobs, your name,
        the status line."""
        from .jobs_view import JobsBar

        self.state = gr.State({})
        with gr.Row(equal_height=True, elem_id="wb-header"):
            self.proj_head = gr.HTML("", elem_id="proj-head")
            self.jobs_bar = JobsBar(self)
            self.msg = gr.HTML("", elem_id="wb-msg")
            self.author_box = gr.Textbox("", show_label=False, placeholder="Your name", max_lines=1,
                                         elem_id="author", scale=0, min_width=180, container=False)
            self.who = gr.HTML("", elem_id="wb-who")  # the logged-in person and role
            self.logout = gr.Button("Log out", size="sm", scale=0, min_width=80, visible=False, elem_id="wb-logout")

    # -- stores ----------------------------------------------------------------------------------------

    def memory(self):
        """The translation memory (opened on first use; thread-safe like the store)."""
        with self._tm_lock:
            if self._tm is None:
                self._tm = TranslationMemory.open(self.tm_path)
            return self._tm

    def close(self) -> None:
        """Stop the background jobs, close the project and TM files."""
        try:
            self.jobs.shutdown(cancel=True, wait=False)
            self._tm_writes.shutdown(wait=True)
            self.ws.close_all()
        finally:
            for tm in (self._tm, self._tm_writer):
                if tm is not None:
                    tm.close()
            self._tm = self._tm_writer = None

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
    def project_key(proj: Project) -> str:
        """The name a project is known by in URLs and the API (its file stem)."""
        return proj.path.stem

    def job_project(self, proj: Project) -> Project:
        """A second handle on a project file for a background job: its reads never wait for the editor's,
        and its writes are short transactions the editor's writes wait for at most one of (SQLite WAL)."""
        return Project.open(proj.path, quick_check=False)

    # -- who is acting ----------------------------------------------------------------------------------

    def author(self, state: dict | None = None) -> str:
        """The author of a change: the logged-in person (an :class:`~workbench.core.workflow.Actor`, whose role
        the library enforces), else the name typed in the header (``"user"`` when none)."""
        actor = ACTING.get()
        return actor if actor is not None else (state or {}).get("author") or "user"

    def actor(self, name: str | None) -> Actor | None:
        """The logged-in person ``name`` with their current role; None without logins."""
        if not name or self.logins is None:
            return None
        role = self.logins.role(name)
        if role is None:
            raise PermissionDenied(f"{name} may no longer use the editor: log in again")
        return Actor(name, role)

    def acting(self, request) -> Actor | None:
        """The logged-in person of a Gradio request, with their current role; None without logins."""
        return self.actor(getattr(request, "username", None))

    def user(self, request: Any = None, typed: Any = None) -> str:
        """Who makes a change from the Editor tab: the logged-in person (an ``Actor``) when there are logins,
        else the name typed in the browser (remembered there), else ``user``."""
        return self.actor(login_name(request)) or clean_name(typed) or "user"

    def role(self) -> str | None:
        """The acting person's role (None: no logins, everything allowed)."""
        actor = ACTING.get()
        return actor.role if actor is not None else None

    def status_choices(self, current: str | None = None, role: str | None = None) -> list[str]:
        """The statuses to offer: those the role (default: the acting person's) may set, and the ``current``
        one (to show it)."""
        allowed = statuses_for(role if role is not None else self.role())
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

    def head(self, proj: Project, cursor=None) -> str:
        """The project heading: name, progress per language, file. With the project's change ``cursor``, the
        heading computed at that cursor is reused (counting every target's status is the dear part)."""
        key = (str(proj.path), tuple(cursor.as_list())) if cursor is not None else None
        if key is not None and self._heads.get(str(proj.path), (None, ""))[0] == key:
            return self._heads[str(proj.path)][1]
        html = render.project_head(proj.name, M.progress_text(M.project_summary(proj)), proj.path.name)
        if key is not None:
            self._heads[str(proj.path)] = (key, html)
        return html

    # -- confirming ------------------------------------------------------------------------------------

    def confirm(self, proj: Project, segment_id: int, lang: str, text: str, *, expected_version: int | None,
                author: str, status: str | None = None, wait_tm: float | None = None) -> Translation:
        """Save ``text`` (and ``status``, if given) and confirm one target (:func:`~workbench.ui.model.save_edit`
        with ``confirm``), then give the segment's confirmed pairs to the TM (see :meth:`add_to_tm`). Returns
        the translation as stored."""
        tr = M.save_edit(proj, segment_id, lang, text, status=status, expected_version=expected_version,
                         confirm=True, author=author)
        self.add_to_tm(proj, segment_id, wait=wait_tm)
        return tr or proj.translation(segment_id, lang)

    def save(self, proj: Project, segment_id: int, lang: str, text: str, *, expected_version: int | None,
             author: str, status: str | None = None) -> Translation | None:
        """Save ``text`` and/or ``status`` of one target (:func:`~workbench.ui.model.save_edit`); a target that
        becomes confirmed, or a confirmed one whose text changed, goes to the TM. None: nothing changed."""
        before = proj.translation(segment_id, lang)
        tr = M.save_edit(proj, segment_id, lang, text, status=status, expected_version=expected_version,
                         author=author)
        if tr is not None and tr.confirmed and (not before.confirmed or tr.text != before.text):
            self.add_to_tm(proj, segment_id)
        return tr

    def add_to_tm(self, proj: Project, segment_id: int, *, wait: float | None = None) -> None:
        """Give a segment's confirmed translations to the TM (the project's own memory). The TM is written by
        one thread of its own, in order, so a confirmation never waits for the TM (a TMX import holding it,
        say); ``wait`` seconds: wait that long for it to be stored. A TM that cannot take them is logged: the
        confirmation stands, and ``workbench tm add-project`` fills the TM later."""
        future = self._tm_writes.submit(self._add_to_tm_now, proj, segment_id)
        if wait:
            try:
                future.result(wait)
            except TimeoutError:
                log.warning("segment %s: the TM is busy; it is stored when the TM is free", segment_id)

    def _add_to_tm_now(self, proj: Project, segment_id: int) -> None:
        try:
            if self._tm_writer is None:
                self._tm_writer = TranslationMemory.open(self.tm_path)
            self._tm_writer.add_segment(proj, segment_id)
        except WorkbenchError as exc:
            log.warning("could not add segment %s to the TM: %s", segment_id, exc)
        except Exception:  # a bug: logged, the confirmation stands
            log.exception("could not add segment %s to the TM", segment_id)

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

    def findings(self, proj: Project, seg: Segment, lang: str, settings=None, glossary=None) -> list:
        """The live QA findings of one target (glossary checks included)."""
        return M.live_findings(seg, lang, proj.source_lang, settings if settings is not None else
                               self.qa_settings(proj), glossary if glossary is not None else self.glossary())

    # -- the QA cache behind "QA problems only" --------------------------------------------------------

    def qa_stamp(self, proj: Project) -> str:
        """What QA results depend on besides the text: the glossary version and the project's QA settings."""
        settings = json.dumps(self.qa_settings(proj) or {}, sort_keys=True, default=str)
        return hashlib.sha1(f"{self.gloss.stamp()}|{settings}".encode()).hexdigest()[:16]

    def qa_counts(self, proj: Project, ids: Sequence[int], langs: Sequence[str]) -> dict[tuple[int, str], int]:
        return proj.qa_counts(ids, langs, self.qa_stamp(proj))

    def store_qa(self, proj: Project, seg: Segment, lang: str, findings: list | None = None) -> None:
        """Record a target's current QA problem count (after a save, or when its findings were computed)."""
        tr = seg.translations.get(lang)
        if tr is None:
            return
        if findings is None:
            findings = self.findings(proj, seg, lang)
        problems = sum(1 for f in findings if f.severity in ("error", "warning"))
        proj.set_qa_state([(seg.id, lang, tr.version, self.qa_stamp(proj), problems)])

    def ensure_qa(self, proj: Project, langs: Sequence[str], user: str) -> int:
        """How many targets of ``langs`` still wait for a QA check under the current stamp; starts a
        background job checking them when there are some and none runs yet for this project."""
        stamp = self.qa_stamp(proj)
        pending = proj.qa_stale_count(stamp, langs)
        if pending and not self.jobs.jobs(kind="qa", active=True, owner=None, ref=self.project_key(proj)):
            self.start_qa(proj, langs, user)
        return pending

    def start_qa(self, proj: Project, langs: Sequence[str], user: str) -> Job:
        settings, glossary, stamp = self.qa_settings(proj), self.glossary(), self.qa_stamp(proj)

        def run(job: Job):
            p = self.job_project(proj)
            try:
                total = p.qa_stale_count(stamp, langs)
                done = 0
                job.progress(0, total)
                while True:
                    batch = p.qa_stale(stamp, langs, limit=200)
                    if not batch:
                        break
                    segs = {s.id: s for s in p.segments_by_id({sid for sid, _ in batch})}
                    rows = []
                    for sid, lang in batch:
                        seg = segs.get(sid)
                        if seg is None or lang not in seg.translations:
                            continue
                        found = self.findings(p, seg, lang, settings, glossary)
                        rows.append((sid, lang, seg.translations[lang].version, stamp,
                                     sum(1 for f in found if f.severity in ("error", "warning"))))
                    p.set_qa_state(rows)
                    done += len(batch)
                    job.progress(min(done, total), max(total, done))
                return f"QA checked {done} targets"
            finally:
                p.close()

        return self.jobs.submit("qa", f"QA check of {proj.name}", run, owner=user, unit="targets",
                                ref=self.project_key(proj))

    # -- machine translation ---------------------------------------------------------------------------

    def mt_notes(self, proj: Project) -> dict[str, str | None]:
        """Per target language: None when an MT model is installed, else the line saying how to get one (the
        Models tab's notice, :func:`workbench.mt.manage.missing_models`)."""
        from ..mt.manage import missing_models

        gaps = {m.tgt: m.message for m in missing_models(proj)}
        return {lang: gaps.get(lang) for lang in proj.target_langs}

    def start_pretranslate(self, proj: Project, langs: Sequence[str], user: str) -> Job:
        """Pre-translate (TM, then MT with the glossary) as a background job on its own project handle.
        Refuses at once, before starting anything, when a language has no MT model."""
        from ..mt.project import resolve_models
        from ..pretranslate import pretranslate

        resolve_models(proj.source_lang, langs, None)  # ModelUnavailable: a one-line message, nothing started
        glossary = self.glossary()

        def run(job: Job):
            p = self.job_project(proj)
            try:
                def report(lang, done, total):
                    job.progress(done, total, message=f"{lang.upper()}: {done}/{total} segments")
                result = pretranslate(p, list(langs), require_mt=True, use_glossary=glossary is not None,
                                      glossary=glossary, progress=report, author=user)
                return "Pre-translation done: " + "; ".join(result.summary())
            finally:
                p.close()

        return self.jobs.submit("pretranslate", f"Pre-translate {proj.name} ({', '.join(l.upper() for l in langs)})",
                                run, owner=user, unit="segments", ref=self.project_key(proj))

    # -- callbacks -------------------------------------------------------------------------------------

    def session_lock(self, session: str | None) -> threading.Lock:
        with self._sessions_lock:
            lock = self._sessions.get(session or "")
            if lock is None:
                if len(self._sessions) > 10_000:  # forget idle sessions
                    for key in [k for k, v in self._sessions.items() if not v.locked()][:5_000]:
                        del self._sessions[key]
                lock = self._sessions[session or ""] = threading.Lock()
            return lock

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback: it runs alone within its browser session (other sessions are not held up), as
        the logged-in person; a :class:`~workbench.core.errors.WorkbenchError` becomes a one-line message in
        the status line (and nothing else changes), anything else a short generic message (details go to the
        server log), never a traceback."""

        def run(request=None, *args, **kwargs):
            try:
                with self.session_lock(getattr(request, "session_hash", None)), self.acting_as(request):
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

    #: Keyword arguments of every editor event: not in the API docs, no spinner, and no server-wide queue
    #: (sessions run in parallel; :meth:`guard` keeps one session's events one at a time).
    EVENT = dict(api_visibility="undocumented", show_progress="hidden", concurrency_limit=None)
