"""The Alignment tab: align an existing target-language document with a project document
(:mod:`workbench.align.document`), review links lowest confidence first, confirm a link as an anchor (the rest
re-aligns around it), accept confident links into the project and the TM, and see EN | RU | KM side by side.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..align.document import accept_aligned, align_document, alignment_record, confirm_link, review_queue, three_way
from ..core.errors import InputError
from ..ingest.readers import format_for_name
from . import model as M, render
from .context import EditorContext, upload_path
from .editor_tab import REFRESH_JS
from .jobs_view import JobWatch

REVIEW_HEADERS = ["segment", "confidence", "EN", "target", "target sentences"]


def parse_indices(spec: str) -> list[int] | None:
    """``"4"`` -> [4]; ``"4-6"`` or ``"4,5,6"`` -> [4, 5, 6]; empty -> None (keep the link's own)."""
    spec = (spec or "").strip()
    if not spec:
        return None
    out: list[int] = []
    for part in spec.replace(" ", "").split(","):
        a, sep, b = part.partition("-")
        if not a.isdigit() or (sep and not b.isdigit()):
            raise InputError(f"target sentences {spec!r}: give numbers like 4, 4-5 or 4,5")
        out += list(range(int(a), int(b) + 1)) if sep else [int(a)]
    return out


class AlignTab:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self.watch_doc: dict[str, tuple[int, str]] = {}  # job id -> (document, language) it aligns

    def build(self) -> None:
        gr.HTML("<div class='keys'>Align an existing translation with one of this project's documents. Links "
                "below the review threshold come first; confirm a link (correct its target sentences if needed) "
                "and the rest re-aligns around it.</div>")
        with gr.Row():
            self.doc = gr.Dropdown([], label="Source document (in this project)", scale=3, elem_id="al-doc",
                                   allow_custom_value=True)
            self.lang = gr.Radio([(M.lang_name(l), l) for l in M.TARGETS], value=M.TARGETS[0], label="Target language",
                                 scale=2, elem_id="al-lang")
        with gr.Row():
            self.file = gr.File(label="Target document (.txt, .md, .html)", file_types=[".txt", ".md", ".html", ".htm"],
                                type="filepath", elem_id="al-file")
            self.text = gr.Textbox("", label="…or paste the target text", lines=4, elem_id="al-text")
        self.go = gr.Button("Align", variant="primary", elem_id="al-go")
        self.watch = JobWatch(self.ctx, self.aligned)
        self.review = gr.Dataframe(value={"headers": REVIEW_HEADERS, "data": []}, datatype="str", interactive=False,
                                   wrap=True, max_height=320, elem_id="al-review",
                                   column_widths=["8%", "9%", "37%", "36%", "10%"],
                                   label="Links to review, lowest confidence first (click one)")
        with gr.Row(equal_height=True):
            self.seg = gr.Textbox("", label="Segment", scale=1, elem_id="al-seg")
            self.tgt = gr.Textbox("", label="Its target sentences (e.g. 4 or 4-5; empty: as aligned)", scale=2,
                                  elem_id="al-tgt")
            self.confirm = gr.Button("Confirm link as anchor and re-align", scale=2, elem_id="al-confirm")
        with gr.Row(equal_height=True):
            self.min_conf = gr.Slider(0.5, 1.0, value=0.8, step=0.01, label="Accept links with confidence at least",
                                      scale=3, elem_id="al-min")
            self.accept = gr.Button("Accept into the project and the TM", scale=2, elem_id="al-accept")
        with gr.Row():
            self.targets = gr.Dataframe(value={"headers": ["#", "target sentence"], "data": []}, datatype="str",
                                        interactive=False, wrap=True, max_height=320, elem_id="al-targets",
                                        label="Target sentences", scale=2, column_widths=["10%", "90%"])
            self.three = gr.Dataframe(value={"headers": ["#", "EN", "RU", "KM"], "data": []}, datatype="str",
                                      interactive=False, wrap=True, max_height=320, elem_id="al-three",
                                      label="EN | RU | KM (confidence)", scale=3,
                                      column_widths=["6%", "31%", "32%", "31%"])

    # -- views -------------------------------------------------------------------------------------

    def _doc_id(self, doc) -> int:
        try:
            return int(str(doc).split(":", 1)[0])
        except (TypeError, ValueError):
            raise InputError("choose the source document to align with") from None

    def _tables(self, proj, doc_id: int, lang: str) -> dict:
        rows = []
        for it in review_queue(proj, lang, doc_id):
            tgt = it.link[1] if len(it.link) > 1 else []
            rows.append([str(it.segment_id or "—"), f"{it.confidence:.2f}", it.source, it.target,
                         ", ".join(str(k) for k in tgt)])
        rec = alignment_record(proj, doc_id, lang) or {}
        targets = [[str(k), s] for k, (_p, s) in enumerate(rec.get("target", []))]
        langs = [l for l in ("ru", "km") if l in proj.target_langs]
        three = []
        for r in three_way(proj, doc_id, langs):
            cells = [str(r["segment_id"]), r[proj.source_lang]]
            for l in ("ru", "km"):
                conf = r["confidence"].get(l)
                text = r.get(l, "")
                cells.append(f"{text}  [{conf:.2f}]" if conf is not None and text else text)
            three.append(cells)
        return {
            self.ctx.proj_head: self.ctx.head(proj),
            self.review: gr.update(value={"headers": REVIEW_HEADERS,
                                          "data": rows or [["", "", "(nothing to review)", "", ""]]}),
            self.targets: gr.update(value={"headers": ["#", "target sentence"],
                                           "data": targets or [["", "(not aligned yet)"]]}),
            self.three: gr.update(value={"headers": ["#", "EN", "RU", "KM"], "data": three or [["", "", "", ""]]}),
        }

    # -- callbacks ---------------------------------------------------------------------------------

    def on_tab(self, state, doc, lang):
        proj = self.ctx.project(state)
        docs = proj.documents()
        choices = [f"{d.id}: {d.title}" for d in docs]
        value = doc if doc in choices else (choices[0] if choices else None)
        out = {self.doc: gr.update(choices=choices, value=value)}
        if value:
            out.update(self._tables(proj, self._doc_id(value), lang or "ru"))
        return out

    def on_align(self, state, doc, lang, upload, text):
        """Start aligning as a background job (on its own project handle); :meth:`aligned` shows the result."""
        proj = self.ctx.project(state)
        doc_id = self._doc_id(doc)
        path = upload_path(upload)
        if path:
            fmt = format_for_name(path)
            if fmt is None:
                raise InputError(f"{Path(path).name}: upload a .txt, .md or .html file")
            target, kw = Path(path), {"fmt": fmt}
        elif (text or "").strip():
            target, kw = text.rstrip("\n") + "\n", {}
        else:
            raise InputError("upload the target document or paste its text")
        author = self.ctx.author(state)

        def run(job):
            p = self.ctx.job_project(proj)
            try:
                res = align_document(p, doc_id, lang, target, author=author, progress=job.progress, **kw)
                return f"Aligned {M.lang_name(lang)}: {res.summary()}."
            finally:
                p.close()

        job = self.ctx.jobs.submit("align", f"Align {M.lang_name(lang)} with document {doc_id} of {proj.name}", run,
                                   owner=author, unit="steps", ref=self.ctx.project_key(proj))
        self.watch_doc[job.id] = (doc_id, lang)
        out = self.watch.start(job)
        out[self.ctx.msg] = render.message(f"Aligning {M.lang_name(lang)}: the progress is shown at the top; the "
                                           "review list appears here when it is done.", "info")
        return out

    def aligned(self, job, state) -> dict:
        snap = job.snapshot()
        proj = self.ctx.project(state)
        out = {}
        if snap.state == "done":
            out[self.ctx.msg] = render.message(snap.summary)
        else:
            out[self.ctx.msg] = render.error(snap.error or f"{snap.title}: {snap.state}")
        doc_id = self.watch_doc.pop(job.id, None)
        if doc_id is not None:
            out.update(self._tables(proj, doc_id[0], doc_id[1]))
        return out

    def on_select(self, evt: gr.SelectData):
        row = evt.row_value or []
        if not row or not str(row[0]).isdigit():
            return {}
        return {self.seg: str(row[0]), self.tgt: str(row[4]).replace(" ", "") if len(row) > 4 else ""}

    def on_confirm(self, state, doc, lang, seg, tgt):
        proj = self.ctx.project(state)
        doc_id = self._doc_id(doc)
        if not str(seg or "").strip().isdigit():
            raise InputError("click a link in the review list (or type its segment number) first")
        sid = int(seg)
        confirm_link(proj, doc_id, lang, sid, parse_indices(tgt), author=self.ctx.author(state))
        self.ctx.add_to_tm(proj, sid)
        out = self._tables(proj, doc_id, lang)
        out[self.ctx.msg] = render.message(
            f"Segment #{sid} confirmed as an anchor; the rest of the document was re-aligned.")
        out[self.seg], out[self.tgt] = "", ""
        return out

    def on_accept(self, state, doc, lang, min_conf):
        proj = self.ctx.project(state)
        doc_id = self._doc_id(doc)
        ids = accept_aligned(proj, lang, doc_id, float(min_conf), author=self.ctx.author(state))
        for sid in ids:
            self.ctx.add_to_tm(proj, sid)
        out = self._tables(proj, doc_id, lang)
        out[self.ctx.msg] = render.message(f"Accepted {len(ids)} aligned {lang.upper()} pairs (confidence ≥ "
                                           f"{float(min_conf):.2f}) as translated and added them to the TM.")
        return out

    def wire(self, tab: gr.Tab) -> None:
        """``tab``: the Alignment tab itself (selecting it loads the project's documents)."""
        ctx, g, ev = self.ctx, self.ctx.guard, self.ctx.EVENT
        tables = [self.review, self.targets, self.three, ctx.msg, ctx.proj_head]
        tab.select(g(self.on_tab), [ctx.state, self.doc, self.lang], [self.doc, *tables], **ev)
        for comp in (self.doc, self.lang):
            comp.input(g(self.on_tab), [ctx.state, self.doc, self.lang], [self.doc, *tables], **ev)
        self.go.click(g(self.on_align), [ctx.state, self.doc, self.lang, self.file, self.text],
                      [ctx.msg, self.watch.timer, self.watch.job_id], api_name="ui_align", **ev)
        self.watch.wire([self.review, self.targets, self.three, ctx.proj_head], then_js=REFRESH_JS)
        self.review.select(g(self.on_select), None, [self.seg, self.tgt, ctx.msg], **ev)
        self.confirm.click(g(self.on_confirm), [ctx.state, self.doc, self.lang, self.seg, self.tgt],
                           [*tables, self.seg, self.tgt], api_name="ui_align_confirm", **ev)
        self.accept.click(g(self.on_accept), [ctx.state, self.doc, self.lang, self.min_conf], tables,
                          api_name="ui_align_accept", **ev)
