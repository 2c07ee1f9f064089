"""The Projects tab: the projects this server may open (with progress), open one, create one from an uploaded or
pasted document, and the name recorded in the history."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..core.errors import InputError, WorkbenchError
from ..core.workflow import CREATE_PROJECTS
from . import model as M, render
from .context import EditorContext, upload_path
from .editor_tab import EditorTab

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
                self.author = gr.Textbox("", label="Your name (recorded in the history)", elem_id="author")
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

    def on_open(self, state, ref, author, *filters):
        if not ref:
            raise InputError("choose a project in the list first")
        proj = self.ctx.ws.project(ref)
        state = {"project": str(proj.path.resolve()), "author": (author or "").strip() or "user"}
        flt = M.Filter.from_values(filters)
        out = self.editor.render(proj, state, flt, self.editor.first_unconfirmed(proj, flt),
                                 msg=render.message(f"Opened {proj.name}."))
        out[self.ctx.tabs] = gr.update(selected="editor")
        return out

    def on_create(self, state, name, upload, pasted, fmt, targets, author, *filters):
        self.ctx.require(CREATE_PROJECTS)
        path_in = upload_path(upload)
        if not path_in and not (pasted or "").strip():
            raise InputError("upload a .txt, .md or .html file, or paste the document's text")
        path = self.ctx.ws.create(name, text=None if path_in else pasted, file=path_in,
                                  upload_name=Path(path_in).name if path_in else None, fmt=fmt, targets=targets or [])
        proj = self.ctx.ws.project(str(path))
        state = {"project": str(path), "author": (author or "").strip() or "user"}
        n = len(proj.segments())
        out = self.editor.render(proj, state, M.Filter.from_values(filters), None, page=0,
                                 msg=render.message(f"Created {proj.name} ({n} segments) in {path.parent}."))
        out.update(self.refresh(str(path)))
        out[self.ctx.tabs] = gr.update(selected="editor")
        return out

    def on_pick_row(self, evt: gr.SelectData):
        row = evt.row_value or []
        if len(row) < 4 or not row[3]:
            return {}
        return {self.proj_pick: gr.update(choices=self.choices(), value=str(row[3]))}

    def on_author(self, state, author):
        state = dict(state or {})
        state["author"] = (author or "").strip() or "user"
        return {self.ctx.state: state}

    def wire(self) -> None:
        ctx, g, ev = self.ctx, self.ctx.guard, self.ctx.EVENT
        out = self.editor.outputs + [self.proj_list, self.proj_pick, ctx.tabs]
        self.proj_open.click(g(self.on_open), [ctx.state, self.proj_pick, self.author, *self.editor.filters], out,
                             api_name="ui_open", **ev)
        self.new_go.click(g(self.on_create), [ctx.state, self.new_name, self.new_file, self.new_text, self.new_fmt,
                                              self.new_targets, self.author, *self.editor.filters], out,
                          api_name="ui_create", **ev)
        self.proj_list.select(g(self.on_pick_row), None, [self.proj_pick, ctx.msg], **ev)
        self.author.change(g(self.on_author), [ctx.state, self.author], [ctx.state], **ev)
