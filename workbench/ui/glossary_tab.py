"""The Glossary tab: the concepts in readable EN | RU | KM columns (search ranks exact and prefix matches
first), a concept form listing every term with its own status and *needs review* flag, *New concept* (its id
made from the English term), *Delete*; import a TBX/CSV/TSV/XLSX file into the glossary (a background job) and
export it (:class:`workbench.ui.gloss.GlossaryStore`); below them the *Candidates* view, terms mined from the
project and the translation memory (:mod:`workbench.ui.candidates`).

The list and the form are one ``gr.HTML`` whose browser code (``static/glossary.js``) calls
:class:`workbench.ui.glossary_view.GlossaryDesk` through one server function. Only reviewers and admins may
change the glossary (the library refuses anyone else; the form says so).
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..core.errors import InputError
from ..core.workflow import EDIT_GLOSSARY
from . import render
from .assets import view_js
from .candidates import CandidatesView
from .context import EditorContext, upload_path
from .glossary_view import GlossaryDesk
from .jobs_view import JobWatch

#: Browser code that reloads the concept list (after an import, for instance).
RELOAD_JS = "() => { if (window.wbGloss) window.wbGloss.refresh(); return []; }"

FRAME = (
    "<div class='g-desk'>"
    "<div class='g-bar'><input type='search' id='g-query' placeholder='Search concepts and terms (Enter)' "
    "aria-label='search the glossary'><span class='g-info' aria-live='polite'></span>"
    "<button type='button' id='g-new'>New concept</button></div>"
    "<div class='g-shipped' hidden><span class='g-shipped-text'></span> <button type='button' id='g-take-shipped'>"
    "Take in the new default</button></div>"
    "<div class='g-main'><div class='g-table' id='g-table'></div>"
    "<div class='g-form'><div class='g-formhead'></div>"
    "<div class='g-fields'><label>Concept id <input id='g-id' autocomplete='off'></label>"
    "<label>Domain <input id='g-domain' autocomplete='off'></label></div>"
    "<label class='g-defl'>Definition <input id='g-def' autocomplete='off'></label>"
    "<div class='g-terms'></div>"
    "<div class='g-add'>Add a term: <button type='button' data-lang='en'>+ EN</button>"
    "<button type='button' data-lang='ru'>+ RU</button><button type='button' data-lang='km'>+ KM</button></div>"
    "<div class='g-actions'><button type='button' id='g-save' class='primary'>Save concept</button>"
    "<button type='button' id='g-delete' class='stop'>Delete concept</button><span class='g-note'></span></div>"
    "</div></div></div>")


class GlossaryTab:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self.gloss = ctx.gloss
        self.desk = GlossaryDesk(ctx.gloss)
        self.candidates = CandidatesView(ctx)

    def build(self) -> None:
        def gloss(data: dict, request: gr.Request) -> dict:
            data = data if isinstance(data, dict) else {}
            return self.desk.call(str(data.get("action") or ""), data, self.ctx.user(request, data.get("author")))

        self.html = gr.HTML("", html_template=FRAME, js_on_load=view_js("glossary.js"), server_functions=[gloss],
                            elem_id="glossary-desk", apply_default_css=False)
        with gr.Row():
            with gr.Column():
                self.upload = gr.File(label="Import a glossary (.tbx, .csv, .tsv, .xlsx): merged into this one",
                                      file_types=[".tbx", ".csv", ".tsv", ".xml", ".xlsx"], type="filepath",
                                      elem_id="g-upload")
                self.import_ = gr.Button("Import", elem_id="g-import")
                self.watch = JobWatch(self.ctx, self.imported)
            with gr.Column():
                self.fmt = gr.Radio([("TBX-Basic", "tbx"), ("CSV", "csv"), ("Excel (.xlsx)", "xlsx"),
                                     ("OmegaT TSV (EN-RU)", "tsv")],
                                    value="tbx", label="Export format", elem_id="g-fmt")
                self.export = gr.Button("Export glossary", elem_id="g-export")
                self.file = gr.File(label="Download", interactive=False, elem_id="g-file")
        self.candidates.build()

    # -- callbacks -------------------------------------------------------------------------------------

    def on_import(self, state, upload):
        """Merge the uploaded file as a background job; :meth:`imported` shows the result."""
        path = upload_path(upload)
        if not path:
            raise InputError("choose a glossary file (.tbx, .csv, .tsv or .xlsx) to import")
        name = Path(path).name
        author = self.ctx.author(state)
        self.ctx.require(EDIT_GLOSSARY)  # refused now, not as a failed job
        job = self.ctx.jobs.submit("glossary-import", f"Import {name} into the glossary",
                                   lambda job: self.gloss.import_file(path, name, author=author),
                                   owner=author, unit="concepts")
        out = self.watch.start(job)
        out[self.ctx.msg] = render.message(f"Importing {name}…", "info")
        return out

    def imported(self, job, state) -> dict:
        snap = job.snapshot()
        return {self.ctx.msg: (render.message(snap.summary) if snap.state == "done"
                               else render.error(snap.error or f"{snap.title}: {snap.state}"))}

    def on_export(self, fmt):
        path = self.gloss.export(fmt or "tbx")
        return {self.file: str(path), self.ctx.msg: render.message(f"Exported the glossary as {path.name}.")}

    def wire(self, after_change: dict) -> None:
        """``after_change``: keyword arguments of a ``.then(...)`` run after an import changed the glossary
        (the editor re-checks the open segment's terms)."""
        g, msg, ev = self.ctx.guard, self.ctx.msg, self.ctx.EVENT
        self.import_.click(g(self.on_import), [self.ctx.state, self.upload], [msg, self.watch.timer, self.watch.job_id],
                           **ev)
        js = after_change.get("js") or "() => []"
        self.watch.wire([], then_js=f"() => {{ ({RELOAD_JS})(); ({js})(); }}")
        self.export.click(g(self.on_export), [self.fmt], [self.file, msg], **ev)
        self.candidates.wire(after_change, dict(fn=None, js=RELOAD_JS))
