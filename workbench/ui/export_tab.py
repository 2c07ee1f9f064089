"""The Export tab: the open project as TMX 1.4b (one file, or one per language pair) or line-aligned plain
text (:func:`workbench.export.project.export_project`), offered for download; and a TMX file imported into the
translation memory (:func:`workbench.tm.io.import_tmx`). Both run as background jobs: the progress shows at the
top, the files (or the import's summary) appear here when they are done, and nobody waits meanwhile.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from ..core.errors import InputError
from ..core.projects import safe_name
from ..export.project import export_project
from ..tm.io import import_tmx
from ..tm.memory import TranslationMemory
from . import model as M, render
from .context import EditorContext, upload_path
from .jobs_view import JobWatch


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
                self.watch = JobWatch(self.ctx, self.exported)
            with gr.Column(scale=2):
                self.files = gr.File(label="Download", file_count="multiple", interactive=False, elem_id="ex-files")
                gr.HTML("<b>Translation memory</b>")
                self.tmx = gr.File(label="Import a TMX file into the translation memory", file_types=[".tmx"],
                                   type="filepath", elem_id="tm-file")
                self.tm_go = gr.Button("Import into the TM", elem_id="tm-go")
                self.tm_watch = JobWatch(self.ctx, self.tm_imported)

    # -- export ------------------------------------------------------------------------------------------

    def on_export(self, state, kind, status, langs):
        proj = self.ctx.project(state)
        langs = proj.check_targets(langs or None)
        out_dir = Path(tempfile.mkdtemp(prefix="wb-export-"))
        stem = safe_name(proj.name)

        def run(job):
            p = self.ctx.job_project(proj)
            try:
                if kind == "txt":
                    return export_project(p, out_dir / stem, fmt="txt", langs=langs, status=status,
                                          progress=job.progress)
                return export_project(p, out_dir / f"{stem}.tmx", fmt="tmx", langs=langs, status=status,
                                      pairwise=(kind == "tmx-pairs"), progress=job.progress)
            finally:
                p.close()

        job = self.ctx.jobs.submit("export", f"Export {proj.name} ({kind.upper()})", run,
                                   owner=self.ctx.author(state), unit="segments", ref=self.ctx.project_key(proj))
        self.asked[job.id] = (status, ", ".join(langs))
        out = self.watch.start(job)
        out[self.files] = None
        out[self.ctx.msg] = render.message("Exporting: the files appear here when they are ready.", "info")
        return out

    def exported(self, job, state) -> dict:
        snap = job.snapshot()
        status, langs = self.asked.pop(job.id, ("confirmed", ""))
        if snap.state != "done":
            return {self.ctx.msg: render.error(snap.error or f"{snap.title}: {snap.state}")}
        res = job.result
        if not res.paths:
            return {self.files: None, self.ctx.msg: render.message(
                f"Nothing to export: no {status} translation in {langs}.", "info")}
        names = ", ".join(p.name for p in res.paths)
        return {self.files: [str(p) for p in res.paths],
                self.ctx.msg: render.message(f"Exported {res.units} segments: {names}.")}

    # -- TM import ---------------------------------------------------------------------------------------

    def on_tm_import(self, state, upload):
        path = upload_path(upload)
        if not path:
            raise InputError("choose a TMX file to import into the translation memory")
        name = Path(path).name

        def run(job):
            mem = TranslationMemory.open(self.ctx.tm_path)  # its own handle: the editor's lookups do not wait
            try:
                res = import_tmx(mem, path, Path(name).stem, progress=lambda done, total: job.progress(done))
                return (f"Imported {res.units} units from {name} into the TM “{res.name}”"
                        + (f" ({res.skipped} skipped)" if res.skipped else "") + ".")
            finally:
                mem.close()

        job = self.ctx.jobs.submit("tm-import", f"Import {name} into the TM", run, owner=self.ctx.author(state),
                                   unit="units")
        out = self.tm_watch.start(job)
        out[self.ctx.msg] = render.message(f"Importing {name} into the TM…", "info")
        return out

    def tm_imported(self, job, state) -> dict:
        snap = job.snapshot()
        if snap.state == "done":
            return {self.ctx.msg: render.message(snap.summary)}
        return {self.ctx.msg: render.error(snap.error or f"{snap.title}: {snap.state}")}

    def wire(self) -> None:
        ctx = self.ctx
        self.asked: dict[str, tuple[str, str]] = {}
        self.go.click(ctx.guard(self.on_export), [ctx.state, self.kind, self.status, self.langs],
                      [self.files, ctx.msg, self.watch.timer, self.watch.job_id], api_name="ui_export", **ctx.EVENT)
        self.watch.wire([self.files])
        self.tm_go.click(ctx.guard(self.on_tm_import), [ctx.state, self.tmx],
                         [ctx.msg, self.tm_watch.timer, self.tm_watch.job_id], api_name="ui_tm_import", **ctx.EVENT)
        self.tm_watch.wire([])
