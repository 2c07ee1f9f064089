"""The Export tab: the open project as TMX 1.4b (one file, or one per language pair) or line-aligned plain
text (:func:`workbench.export.project.export_project`), offered for download."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from ..core.projects import safe_name
from ..export.project import export_project
from . import model as M, render
from .context import EditorContext


class ExportTab:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx

    def build(self) -> None:
        with gr.Row():
            with gr.Column(scale=2):
                self.kind = gr.Radio([("TMX 1.4b, all languages in one file", "tmx"),
                                      ("TMX 1.4b, one file per language pair", "tmx-pairs"),
                                      ("plain text, one line-aligned file per language", "txt")],
                                     value="tmx", label="What", elem_id="ex-kind")
                self.status = gr.Radio([("confirmed only (translated, reviewed, approved)", "confirmed"),
                                        ("everything with a text (drafts too)", "all")], value="confirmed",
                                       label="Which translations", elem_id="ex-status")
                self.langs = gr.CheckboxGroup([(M.lang_name(l), l) for l in M.TARGETS], value=list(M.TARGETS),
                                              label="Target languages", elem_id="ex-langs")
                self.go = gr.Button("Export", variant="primary", elem_id="ex-go")
            with gr.Column(scale=2):
                self.files = gr.File(label="Download", file_count="multiple", interactive=False, elem_id="ex-files")

    def on_export(self, state, kind, status, langs):
        proj = self.ctx.project(state)
        out_dir = Path(tempfile.mkdtemp(prefix="wb-export-"))
        stem = safe_name(proj.name)
        if kind == "txt":
            res = export_project(proj, out_dir / stem, fmt="txt", langs=langs or None, status=status)
        else:
            res = export_project(proj, out_dir / f"{stem}.tmx", fmt="tmx", langs=langs or None, status=status,
                                 pairwise=(kind == "tmx-pairs"))
        if not res.paths:
            return {self.files: None, self.ctx.msg: render.message(
                f"Nothing to export: no {status} translation in {', '.join(langs or proj.target_langs)}.", "info")}
        names = ", ".join(p.name for p in res.paths)
        return {self.files: [str(p) for p in res.paths],
                self.ctx.msg: render.message(f"Exported {res.units} segments: {names}.")}

    def wire(self) -> None:
        ctx = self.ctx
        self.go.click(ctx.guard(self.on_export), [ctx.state, self.kind, self.status, self.langs],
                      [self.files, ctx.msg], api_name="ui_export", **ctx.EVENT)
