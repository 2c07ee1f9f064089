"""The Glossary tab: search the concepts, add, edit or delete one, import a TBX/CSV/TSV file into the glossary,
export it (:class:`workbench.ui.gloss.GlossaryStore`)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..core.errors import InputError, WorkbenchError
from . import render
from .context import EditorContext, upload_path
from .gloss import HEADERS

#: Glossary events run one at a time, apart from the editor's.
EVENT = dict(api_visibility="undocumented", show_progress="hidden", concurrency_id="glossary")


class GlossaryTab:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self.gloss = ctx.gloss

    def build(self) -> None:
        with gr.Row(equal_height=True):
            self.query = gr.Textbox("", label="Search concepts and terms (Enter)", scale=4, elem_id="g-query")
            self.info = gr.HTML("", elem_id="g-info")
        self.table = gr.Dataframe(value={"headers": HEADERS, "data": []}, datatype="str", interactive=False,
                                  wrap=True, max_height=360, elem_id="g-table", label="Concepts (click to edit)")
        with gr.Row():
            with gr.Column(scale=3):
                with gr.Row():
                    self.cid = gr.Textbox("", label="Concept id (e.g. east-asia-summit)", elem_id="g-id")
                    self.domain = gr.Textbox("", label="Domain", elem_id="g-domain")
                self.definition = gr.Textbox("", label="Definition", elem_id="g-def")
                self.en = gr.Textbox("", label="English term", elem_id="g-en")
                self.ru = gr.Textbox("", label="Russian term", elem_id="g-ru")
                self.km = gr.Textbox("", label="Khmer term", elem_id="g-km", elem_classes=["lang-km"])
                self.status = gr.Radio(["preferred", "admitted", "deprecated", "forbidden"], value="preferred",
                                       label="Status of the terms typed above", elem_id="g-status")
                with gr.Row():
                    self.save = gr.Button("Save concept", variant="primary", elem_id="g-save")
                    self.delete = gr.Button("Delete concept", variant="stop", elem_id="g-delete")
            with gr.Column(scale=2):
                self.upload = gr.File(label="Import a glossary (.tbx, .csv, .tsv, .xlsx): merged into this one",
                                      file_types=[".tbx", ".csv", ".tsv", ".xml", ".xlsx"], type="filepath",
                                      elem_id="g-upload")
                self.import_ = gr.Button("Import", elem_id="g-import")
                self.fmt = gr.Radio([("TBX-Basic", "tbx"), ("CSV", "csv"), ("Excel (.xlsx)", "xlsx"),
                                     ("OmegaT TSV (EN-RU)", "tsv")],
                                    value="tbx", label="Export format", elem_id="g-fmt")
                self.export = gr.Button("Export glossary", elem_id="g-export")
                self.file = gr.File(label="Download", interactive=False, elem_id="g-file")

    # -- views -----------------------------------------------------------------------------------------

    def show(self, query: str) -> dict:
        """The concepts matching ``query`` (all if empty) and how many there are."""
        rows = self.gloss.rows(query or "")
        info = f"{len(rows)} concept{'s' if len(rows) != 1 else ''}" + (f" matching {query!r}" if query else "")
        return {self.table: gr.update(value={"headers": HEADERS, "data": rows or [["", "", "(none)", "", ""]]}),
                self.info: render.esc(info)}

    def on_page_load(self) -> dict:
        """The table when the page opens; a missing or broken glossary is said in the tab's info line."""
        try:
            return self.show("")
        except WorkbenchError as exc:
            return {self.info: render.esc(str(exc))}

    @property
    def form(self) -> list:
        return [self.cid, self.domain, self.definition, self.en, self.ru, self.km]

    # -- callbacks -------------------------------------------------------------------------------------

    def on_search(self, query):
        return self.show(query)

    def on_select(self, evt: gr.SelectData, query):
        row = evt.row_value or []
        if not row or not row[0]:
            return {}
        c = self.gloss.concept(str(row[0]))
        return {self.cid: c["id"], self.domain: c["domain"], self.definition: c["definition"], self.en: c["en"],
                self.ru: c["ru"], self.km: c["km"], self.status: "preferred"}

    def on_save(self, cid, domain, definition, en, ru, km, status, query):
        msg = self.gloss.save_concept(cid, domain=domain, definition=definition,
                                      terms={"en": en, "ru": ru, "km": km}, status=status or "preferred",
                                      author=self.ctx.author())
        out = self.show(query)
        out[self.ctx.msg] = render.message(msg)
        return out

    def on_delete(self, cid, query):
        if not (cid or "").strip():
            raise InputError("choose a concept in the table (or type its id) before deleting")
        msg = self.gloss.delete(cid, author=self.ctx.author())
        out = self.show(query)
        out[self.ctx.msg] = render.message(msg)
        out.update({box: "" for box in self.form})
        return out

    def on_import(self, upload, query):
        path = upload_path(upload)
        if not path:
            raise InputError("choose a glossary file (.tbx, .csv or .tsv) to import")
        msg = self.gloss.import_file(path, Path(path).name, author=self.ctx.author())
        out = self.show(query)
        out[self.ctx.msg] = render.message(msg)
        return out

    def on_export(self, fmt):
        path = self.gloss.export(fmt or "tbx")
        return {self.file: str(path), self.ctx.msg: render.message(f"Exported the glossary as {path.name}.")}

    def wire(self, after_change: dict) -> None:
        """``after_change``: keyword arguments of a ``.then(...)`` run after the glossary changed (the editor
        re-checks the open segment's terms)."""
        g, msg = self.ctx.guard, self.ctx.msg
        shown = [self.table, self.info, msg]
        self.query.submit(g(self.on_search), [self.query], shown, **EVENT)
        self.table.select(g(self.on_select), [self.query], [*self.form, self.status, msg], **EVENT)
        self.save.click(g(self.on_save), [*self.form, self.status, self.query], shown,
                        api_name="ui_glossary_save", **EVENT).then(**after_change)
        self.delete.click(g(self.on_delete), [self.cid, self.query], [*shown, *self.form], **EVENT).then(**after_change)
        self.import_.click(g(self.on_import), [self.upload, self.query], shown, **EVENT).then(**after_change)
        self.export.click(g(self.on_export), [self.fmt], [self.file, msg], **EVENT)
