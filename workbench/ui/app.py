"""The Gradio editor: builds the Blocks from the tabs and starts the server.

The parts: :mod:`~workbench.ui.context` (what the tabs share: projects, glossary, TM, background jobs, soft
locks, session state, status line, error guard), one module per tab (:mod:`~workbench.ui.editor_tab`, the
segment desk, with :mod:`~workbench.ui.desk` and :mod:`~workbench.ui.rows`, :mod:`~workbench.ui.projects_tab`,
:mod:`~workbench.ui.align_tab`, :mod:`~workbench.ui.glossary_tab`, :mod:`~workbench.ui.export_tab`,
:mod:`~workbench.ui.models_tab`),
:mod:`~workbench.ui.render` (the HTML pieces, escaped in one place), :mod:`~workbench.ui.api` (the public
``gradio_client`` endpoints) and :mod:`~workbench.ui.model` (what is shown, computed from the store; no
Gradio).

:func:`launch` starts the server behind :mod:`~workbench.ui.security` (Host and Origin checks, cookies) and
:mod:`~workbench.ui.login` (logins when users exist or ``auth`` is given, throttling, logout).
"""

from __future__ import annotations

import os
from typing import Any

import gradio as gr

from ..core.errors import InputError, WorkbenchError
from ..core.throttle import LoginThrottle
from ..core.users import Logins
from . import assets, model as M, render
from .align_tab import AlignTab
from .api import PublicApi
from .context import EditorContext, clean_name
from .editor_tab import MODELS_JS, REFRESH_JS, EditorTab
from .export_tab import ExportTab
from .glossary_tab import GlossaryTab
from .login import LoginGate
from .models_tab import TAB_ID as MODELS_TAB, ModelsTab
from .projects_tab import ProjectsTab
from .security import WebGuard, WebPolicy, install

#: Largest upload accepted (documents, glossaries); Gradio refuses bigger ones before they reach the app.
MAX_UPLOAD = "20mb"


class EditorApp:
    """The editor for one :class:`~workbench.ui.model.Workspace` and a default project: ``ctx`` (the shared
    :class:`~workbench.ui.context.EditorContext`), the tabs, and ``blocks`` (the Gradio app)."""

    def __init__(self, workspace: M.Workspace, default_project: str | os.PathLike | None = None, *,
                 tm_path: str | os.PathLike | None = None, glossary_path: str | os.PathLike | None = None):
        self.ctx = EditorContext(workspace, default_project, tm_path=tm_path, glossary_path=glossary_path)
        self.editor = EditorTab(self.ctx)
        self.projects = ProjectsTab(self.ctx, self.editor)
        self.alignment = AlignTab(self.ctx)
        self.glossary = GlossaryTab(self.ctx)
        self.export = ExportTab(self.ctx)
        self.models = ModelsTab(self.ctx)
        self.api = PublicApi(self.ctx)
        self.blocks = self._build()

    def _build(self) -> gr.Blocks:
        ctx = self.ctx
        with gr.Blocks(title="workbench — EN | RU | KM editor", analytics_enabled=False, fill_width=True) as blocks:
            ctx.build_header()
            with gr.Tabs() as ctx.tabs:
                with gr.Tab("Editor", id="editor") as editor_tab:
                    self.editor.build()
                with gr.Tab("Projects", id="projects") as projects_tab:
                    self.projects.build()
                with gr.Tab("Alignment", id="alignment") as align_tab:
                    self.alignment.build()
                with gr.Tab("Glossary", id="glossary"):
                    self.glossary.build()
                with gr.Tab("Export", id="export"):
                    self.export.build()
                with gr.Tab("Models", id=MODELS_TAB, elem_id="models-tab") as models_tab:
                    self.models.build()
            self.projects.wire()
            self.export.wire()
            self.glossary.wire(after_change=dict(fn=None, js=REFRESH_JS))
            self.alignment.wire(align_tab)
            self.models.wire(models_tab, blocks)
            self.api.register()
            editor_tab.select(None, js=MODELS_JS, **ctx.EVENT)
            projects_tab.select(ctx.guard(lambda: self.projects.refresh()), None,
                                [self.projects.proj_list, self.projects.proj_pick, ctx.msg], **ctx.EVENT)
            ctx.author_box.change(ctx.guard(self.on_author), [ctx.state, ctx.author_box], [ctx.state, ctx.msg],
                                  **ctx.EVENT)
            ctx.logout.click(None, js="() => fetch('logout', {method: 'POST', credentials: 'same-origin'})"
                                      ".then(() => { window.location.href = 'login'; })")
            blocks.load(ctx.guard(self.on_load), [ctx.state, ctx.author_box],
                        [ctx.state, ctx.msg, ctx.proj_head, self.projects.proj_list, self.projects.proj_pick,
                         ctx.who, ctx.logout, ctx.author_box], **ctx.EVENT)
        return blocks

    def on_load(self, state, author, page: gr.Request):
        """A browser tab opens: its project is the one in its URL (the desk loads it), else the default."""
        ctx = self.ctx
        state = dict(state or {})
        who = self.who_is_here()
        key = (page.query_params.get("project") if page is not None else None) or state.get("project")
        try:
            proj = ctx.ws.project(key) if key else None
        except WorkbenchError:
            proj = None
        if proj is None:
            if not ctx.default:
                avail = ctx.ws.available()
                if not avail:
                    return {ctx.msg: render.message("No project yet: create one in the Projects tab.", "info"),
                            self.projects.proj_list: gr.update(value=self.projects.table()), **who}
                ctx.default = str(avail[0])
            proj = ctx.project({})
        state["project"] = str(proj.path.resolve())
        state["author"] = clean_name(author)
        out = {ctx.state: state, ctx.proj_head: ctx.head(proj), **who}
        out.update(self.projects.refresh(str(proj.path.resolve())))
        return out

    def on_author(self, state, author):
        state = dict(state or {})
        state["author"] = clean_name(author)
        return {self.ctx.state: state}

    def who_is_here(self) -> dict:
        """The logged-in person's line (name, role, *Log out*); the free-text name only without logins."""
        ctx = self.ctx
        author = ctx.author()
        role = ctx.role()
        if role is None:
            return {ctx.who: "", ctx.logout: gr.update(visible=False), ctx.author_box: gr.update(visible=True)}
        return {ctx.who: render.signed_in(str(author), role), ctx.logout: gr.update(visible=True),
                ctx.author_box: gr.update(visible=False)}

    def close(self) -> None:
        """Stop the server and close the project and TM files."""
        try:
            self.blocks.close()
        finally:
            self.models.close()
            self.ctx.close()
            if self.ctx.logins is not None:
                self.ctx.logins.close()


def build_app(project: str | os.PathLike | None = None, *, folder: str | os.PathLike | None = None,
              tm_path: str | os.PathLike | None = None, glossary_path: str | os.PathLike | None = None) -> EditorApp:
    """The editor over the projects in ``folder`` (default ``data_dir()/projects``), opening ``project``;
    confirmed pairs go to the TM at ``tm_path`` (default ``data_dir()/tm.db``)."""
    ws = M.Workspace(folder, extra=[project] if project else [])
    return EditorApp(ws, project, tm_path=tm_path, glossary_path=glossary_path)


def launch_kwargs() -> dict[str, Any]:
    return dict(css=assets.css(), head=assets.HEAD, allowed_paths=assets.font_dirs(),
                theme=gr.themes.Default(primary_hue="blue", radius_size="sm", spacing_size="sm"))


def parse_auth(spec: str | None) -> tuple[str, str] | None:
    """``"user:password"`` -> ``("user", "password")``; None or empty -> None (no login)."""
    if not spec:
        return None
    user, sep, password = spec.partition(":")
    if not sep or not user.strip() or not password:
        raise InputError("--auth / WORKBENCH_AUTH must look like user:password (both parts non-empty)")
    return user.strip(), password


def launch(app: EditorApp, *, host: str = "127.0.0.1", port: int | None = None, prevent_thread_lock: bool = False,
           quiet: bool = False, auth: tuple[str, str] | None = None, max_file_size: str | int = MAX_UPLOAD,
           users: str | os.PathLike | None = None, allowed_hosts: tuple[str, ...] | list[str] = (),
           public_url: str | None = None, throttle: LoginThrottle | None = None):
    """Start the server (returns Gradio's ``(app, local_url, share_url)``) behind the web security layer.

    ``auth``: one ``(user, password)`` login (an admin); ``users``: the user file (default
    ``data_dir()/users.db``; once it holds a user, everyone logs in); ``allowed_hosts``/``public_url``: the
    host names served besides localhost and the address users open (see :class:`~workbench.ui.security.WebPolicy`);
    ``throttle``: the login throttle (default: 10 failures a minute lock a name or address for 5 minutes);
    ``max_file_size``: the upload cap."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    policy = WebPolicy.build(bind_host=host, allowed_hosts=allowed_hosts, public_url=public_url)
    logins = Logins(users, single=auth)
    gate = LoginGate(logins, throttle, secure=policy.secure_cookies)
    lifespan = install(lambda stack: WebGuard(stack, policy, gate))
    app.ctx.logins = logins
    gr.set_static_paths(assets.font_dirs())
    result = app.blocks.launch(server_name=host, server_port=port, prevent_thread_lock=prevent_thread_lock,
                               quiet=quiet, show_error=False, footer_links=["api"], auth_dependency=gate.username,
                               app_kwargs={"lifespan": lifespan}, max_file_size=max_file_size, **launch_kwargs())
    if not lifespan.installed:  # never serve without the security layer
        app.close()
        raise RuntimeError("the web security layer was not installed: the server was stopped")
    return result
