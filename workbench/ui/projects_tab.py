"""The Projects tab: the projects this server may open (with progress), open one, create one from an uploaded or
pasted document. Opening or creating one shows it in the Editor tab (its desk loads it in the browser)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..core.errors import InputError, WorkbenchError
from ..core.workflow import CREATE_PROJECTS
from . import model as M, render
from .context import EditorContext, upload_path
from .editor_tab import OPEN_JS, EditorTab

PROJ_HEADERS = ["name", "segments", "confirmed", "file"]


class ProjectsTab:
    def __init__(self, ctx: EditorContext, editor: EditorTab):
        self.ctx = ctx
        self.editor = editor

    def build(self) -> None:
        with gr.Row():
            with gr.Column(scale=3):
                self.proj_list = gr.Dataframe(value={"headers": PROJ_HEADERS, "data": []}, datatype="str",
                                              interactive=False, wrap=True, label="Projects", elem_id="proj-list")
                with gr.Row(equal_height=True):
                    self.proj_pick = gr.Dropdown(self.choices(), label="Project", scale=3, elem_id="proj-pick",
                                                 allow_custom_value=True)
                    self.proj_open = gr.Button("Open", variant="primary", scale=1, elem_id="proj-open")
                self.opened = gr.Textbox("", visible=False, elem_id="proj-opened")  # the key the desk opens
            with gr.Column(scale=2):
                gr.HTML("<b>New project</b>")
                self.new_name = gr.Textbox("", label="Name", elem_id="new-name")
                self.new_file = gr.File(label="Upload a document (.txt, .md, .html)",
                                        file_types=[".txt", ".md", ".html", ".htm"], type="filepath",
                                        elem_id="new-file")
                self.new_text = gr.Textbox("", label="…or paste the text", lines=5, elem_id="new-text")
                self.new_fmt = gr.Radio(["auto", "txt", "md", "html"], value="auto", label="Format", elem_id="new-fmt")
                self.new_targets = gr.CheckboxGroup([(M.lang_name(l), l) for l in M.TARGETS], value=list(M.TARGETS),
                                                    label="Target languages", elem_id="new-targets")
                self.new_go = gr.Button("Create project", variant="primary", elem_id="new-go")

    # -- views -----------------------------------------------------------------------------------------

    def table(self) -> dict:
        rows = []
        for path in self.ctx.ws.available():
            try:
                s = M.project_summary(self.ctx.ws.project(str(path)))
                rows.append([s["name"], str(s["segments"]), M.progress_text(s), str(path)])
            except WorkbenchError as exc:
                rows.append([path.stem, "?", str(exc), str(path)])
        return {"headers": PROJ_HEADERS, "data": rows or [["(no projects yet)", "", "", ""]]}

    def choices(self) -> list[tuple[str, str]]:
        return [(f"{p.stem}  ({p.parent.name}/{p.name})", str(p)) for p in self.ctx.ws.available()]

    def refresh(self, selected: str | None = None) -> dict:
        """The project list and the project picker (showing ``selected``), brought up to date."""
        return {self.proj_list: gr.update(value=self.table()),
                self.proj_pick: gr.update(choices=self.choices(), value=selected)}

    # -- callbacks -------------------------------------------------------------------------------------

    def opened_outputs(self, state: dict | None, proj, msg: str) -> dict:
        state = dict(state or {})
        state["project"] = str(proj.path.resolve())
        return {self.ctx.state: state, self.opened: self.ctx.project_key(proj), self.ctx.msg: render.message(msg),
                self.ctx.proj_head: self.ctx.head(proj), self.ctx.tabs: gr.update(selected="editor")}

    def on_open(self, state, ref):
        if not ref:
            raise InputError("choose a project in the list first")
        proj = self.ctx.ws.project(ref)
        return self.opened_outputs(state, proj, f"Opened {proj.name}.")

    def on_create(self, state, name, upload, pasted, fmt, targets):
        self.ctx.require(CREATE_PROJECTS)
        path_in = upload_path(upload)
        if not path_in and not (pasted or "").strip():
            raise InputError("upload a .txt, .md or .html file, or paste the document's text")
        path = self.ctx.ws.create(name, text=None if path_in else pasted, file=path_in,
                                  upload_name=Path(path_in).name if path_in else None, fmt=fmt, targets=targets or [])
        proj = self.ctx.ws.project(str(path))
        out = self.opened_outputs(state, proj, f"Created {proj.name} ({proj.count_segments()} segments) in "
                                               f"{path.parent}.")
        out.update(self.refresh(str(path)))
        return out

    def on_pick_row(self, evt: gr.SelectData):
        row = evt.row_value or []
        if len(row) < 4 or not row[3]:
            return {}
        return {self.proj_pick: gr.update(choices=self.choices(), value=str(row[3]))}

    def wire(self) -> None:
        ctx, g, ev = self.ctx, self.ctx.guard, self.ctx.EVENT
        out = [ctx.state, self.opened, ctx.msg, ctx.proj_head, ctx.tabs, self.proj_list, self.proj_pick]
        self.proj_open.click(g(self.on_open), [ctx.state, self.proj_pick], out, api_name="ui_open",
                             **ev).then(None, [self.opened], None, js=OPEN_JS)
        self.new_go.click(g(self.on_create), [ctx.state, self.new_name, self.new_file, self.new_text, self.new_fmt,
                                              self.new_targets], out, api_name="ui_create",
                          **ev).then(None, [self.opened], None, js=OPEN_JS)
        self.proj_list.select(g(self.on_pick_row), None, [self.proj_pick, ctx.msg], **ev)
