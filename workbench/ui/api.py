"""The editor's public API for ``gradio_client``: ``/list_projects``, ``/create_project``, ``/segments``,
``/segment``, ``/save``, ``/confirm``, ``/history``, ``/undo``, ``/split``, ``/merge``.

Unlike the ``/ui_*`` events of the tabs these keep no session state: every call names its project and, for a
change, the version it is based on. A :class:`~workbench.core.errors.WorkbenchError` reaches the client as
a one-line error. Gradio reads each endpoint's parameters from the method's signature and type hints, so
they are written out (this module does not postpone annotations).
"""

import gradio as gr

from ..core.config import parse_langs
from ..core.errors import WorkbenchError
from ..core.workflow import CREATE_PROJECTS
from . import model as M
from .context import EditorContext

#: The endpoints, in the order of the API page.
ENDPOINTS = ("list_projects", "create_project", "segments", "segment", "save", "confirm", "history", "undo",
             "split", "merge")


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except WorkbenchError as exc:
        raise gr.Error(str(exc), print_exception=False) from None


class PublicApi:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self.ws = ctx.ws

    def register(self) -> None:
        """Add the endpoints to the Blocks being built."""
        for name in ENDPOINTS:  # no server-wide queue: different clients' calls run in parallel
            gr.api(self.ctx.as_user(getattr(self, name)), api_name=name, concurrency_limit=None)

    def author(self, given: str) -> str:
        """Who a change is recorded as: the logged-in person when there are logins (``given`` is ignored),
        else ``given`` (default ``api``)."""
        return self.ctx.author({"author": given or "api"})

    def list_projects(self) -> list[dict]:
        """Every project this server can open, with progress per language."""
        return _call(lambda: [M.project_summary(self.ws.project(str(p))) for p in self.ws.available()])

    def create_project(self, name: str, text: str, fmt: str = "txt", targets: str = "ru,km") -> dict:
        """Create a project from a document's text (fmt txt, md or html); targets like "ru,km"."""
        def run():
            self.ctx.require(CREATE_PROJECTS)
            path = self.ws.create(name, text=text, fmt=fmt, targets=parse_langs(targets))
            return M.project_summary(self.ws.project(str(path)))
        return _call(run)

    def segments(self, project: str, status: str = "all", origin: str = "all", lang: str = "all", query: str = "",
                 scope: str = "source and target") -> list[dict]:
        """The project's segments (optionally filtered), each with its translations."""
        def run():
            proj = self.ws.project(project)
            flt = M.Filter(status, origin, lang, query, scope).view(proj.target_langs)
            return [M.segment_dict(s) for s in proj.segment_page(flt, 0, proj.count_segments())]
        return _call(run)

    def segment(self, project: str, segment_id: int) -> dict:
        """One segment with its translations (text, status, origin, version)."""
        return _call(lambda: M.segment_dict(self.ws.project(project).segment(int(segment_id))))

    def save(self, project: str, segment_id: int, lang: str, text: str, expected_version: int,
             status: str = "", author: str = "api") -> dict:
        """Save a target text (and optionally a status). expected_version is the version you loaded: if
        someone saved since, the call fails with a message and nothing changes."""
        def run():
            proj = self.ws.project(project)
            tr = M.save_edit(proj, int(segment_id), lang, text, status=status or None,
                             expected_version=int(expected_version), author=self.author(author))
            return M.translation_dict(tr or proj.translation(int(segment_id), lang))
        return _call(run)

    def confirm(self, project: str, segment_id: int, lang: str, text: str, expected_version: int,
                author: str = "api") -> dict:
        """Save and confirm a target; returns it and the next unconfirmed segment id (or null)."""
        def run():
            proj = self.ws.project(project)
            tr = self.ctx.confirm(proj, int(segment_id), lang, text, expected_version=int(expected_version),
                                  author=self.author(author), wait_tm=10)
            nxt = proj.next_segment(int(segment_id), None, unconfirmed=tr.lang)
            return {"translation": M.translation_dict(tr), "next": nxt}
        return _call(run)

    def history(self, project: str, segment_id: int, lang: str = "") -> list[dict]:
        """Every change of a segment's translations, oldest first."""
        def run():
            proj = self.ws.project(project)
            return [h.__dict__ for h in proj.history(int(segment_id), lang or None)]
        return _call(run)

    def undo(self, project: str, segment_id: int, lang: str, expected_version: int, author: str = "api") -> dict:
        """Restore the translation before its latest change (recorded as a new change)."""
        def run():
            tr = self.ws.project(project).undo(int(segment_id), lang, expected_version=int(expected_version),
                                               author=self.author(author))
            return M.translation_dict(tr)
        return _call(run)

    def split(self, project: str, segment_id: int, at: str) -> list[dict]:
        """Split a segment's source before the text `at` (or at a character offset)."""
        def run():
            proj = self.ws.project(project)
            seg = proj.segment(int(segment_id))
            a, b = proj.split_segment(seg.id, M.split_offset(seg.source, at), author=self.author(""))
            return [M.segment_dict(a), M.segment_dict(b)]
        return _call(run)

    def merge(self, project: str, first_id: int, second_id: int) -> dict:
        """Merge the directly following segment second_id into first_id."""
        return _call(lambda: M.segment_dict(self.ws.project(project).merge_segments(int(first_id), int(second_id),
                                                                                    author=self.author(""))))
