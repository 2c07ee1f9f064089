"""The Alignment tab: bring an existing translation of a document into the project without ever damaging it
(:mod:`workbench.align.document`).

*Preview* plans the alignment as a background job (``plan_alignment``: nothing is written) and shows what an
apply would do: drafts written, segments left alone because they are confirmed or were edited by a person, merge
proposals, source sentences without a translation, segments the target does not cover. *Apply* writes exactly
the previewed drafts (``apply_alignment``) and nothing structural. The review list (``review_list``) puts the
doubtful links and every merge proposal first (*Accept*/*Reject* a proposal), then one entry per group of
sentences that need one decision (e.g. "source sentences without a translation: segments 8-35"). A link can be
confirmed as an anchor (the rest re-aligns around it), confident links accepted as translations, and a whole
alignment run undone in one step (``undo_alignment``; the runs are listed from ``alignment_runs``).

Numbers shown are 1-based: positions of segments in their document and target sentence numbers; store ids are
labelled as ids. After any change the tab's tables, the header and the Editor tab's desk are refreshed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import gradio as gr

from ..align.document import (
    AlignPlan,
    accept_aligned,
    accept_proposal,
    alignment_record,
    alignment_runs,
    apply_alignment,
    confirm_link,
    plan_alignment,
    reject_proposal,
    review_list,
    three_way,
    undo_alignment,
)
from ..core.errors import InputError
from ..ingest.readers import format_for_name
from . import model as M, render
from .context import EditorContext, upload_path
from .editor_tab import REFRESH_JS
from .jobs_view import JobWatch

PREVIEW_HEADERS = ["segment", "EN", "now", "will be", "confidence"]
REVIEW_HEADERS = ["#", "what", "confidence", "EN", "target", "target sentences"]
THREE_HEADERS = ["segment", "EN", "RU", "KM"]
#: plans kept for *Apply* (the newest ones; an older preview is simply made again)
KEEP_PLANS = 32
RUN_KINDS = {"align": "alignment", "merge": "merge accepted", "reject": "proposal rejected",
             "confirm": "link confirmed"}


def parse_numbers(spec: str) -> list[int] | None:
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


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _nums(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def seg_label(seg_id: int, position: int, total: int) -> str:
    """``Segment id 14 · position 8 of 25``."""
    return f"Segment id {seg_id} · position {position} of {total}"


def preview_html(plan: AlignPlan) -> str:
    """The counts of a plan, before anything is written."""
    n = len(plan.order)
    untranslated = sum(len(l.segment_ids) for l in plan.links if l.action == "untranslated")
    outside = sum(len(l.segment_ids) for l in plan.links if l.action == "outside")
    no_source = sum(len(l.target) for l in plan.links if l.action == "no-source")
    cov = (f"The {M.lang_name(plan.lang)} text covers segments {plan.covered[0]}–{plan.covered[1]} of {n}."
           if plan.covered else f"The {M.lang_name(plan.lang)} text matches none of the {n} segments.")
    items = [
        ("al-n-write", plan.count("write"), "drafts will be written (status draft, origin aligned)"),
        ("al-n-kept", plan.count("kept"), "segments skipped: confirmed or edited by a person (never overwritten)"),
        ("al-n-same", plan.count("same"), "already hold that text"),
        ("al-n-merge", plan.count("merge"), "merge proposals (applied only when you accept one)"),
        ("al-n-untranslated", untranslated, "source sentences without a translation"),
        ("al-n-outside", outside, "segments outside the translated span (left as they are)"),
        ("al-n-nosource", no_source, "target sentences without a source"),
    ]
    lis = "".join(f"<li class='{cls}'><b>{k}</b> {render.esc(text)}</li>" for cls, k, text in items)
    return (f"<div class='al-preview'><b>Preview</b> · {render.esc(cov)} Nothing is written until you "
            f"<i>Apply</i>; segments are never merged or split by it.<ul>{lis}</ul></div>")


def _review_rows(rl, total: int) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """The review list as table rows, and what each row stands for (for a click)."""
    rows, keys = [], []
    for it in rl.items:
        n = len(rows) + 1
        if it.kind == "merge":
            what = f"merge proposal: {it.label}" + (f" — cannot be accepted: {it.blocked}" if it.blocked else "")
        else:
            what = it.label
        rows.append([str(n), what, f"{it.confidence:.2f}", it.source, it.target, _nums(it.target_numbers)])
        keys.append({"kind": it.kind, "seg": it.segment_id, "ids": it.segment_ids, "positions": it.positions,
                     "target": it.target_numbers, "proposal": it.proposal, "blocked": it.blocked,
                     "confidence": it.confidence, "total": total})
    for g in rl.groups:
        n = len(rows) + 1
        first = _short(g.texts[0]) if g.texts else ""
        more = f" … ({len(g)} in all)" if len(g) > 1 else ""
        en, tgt = (first + more, "") if g.kind != "no-source" else ("", first + more)
        rows.append([str(n), f"{g.label} ({len(g)})", "", en, tgt,
                     g.ranges if g.kind == "no-source" else ""])
        keys.append({"kind": "group", "label": g.label})
    return rows, keys


def runs_choices(runs: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """The runs that can be undone, newest first, as dropdown choices."""
    out = []
    for r in reversed(runs):
        if r.get("undone"):
            continue
        when = str(r.get("at") or "").replace("T", " ")[:16]
        writes, merges = len(r.get("writes") or []), len(r.get("merges") or [])
        what = f"{writes} translation{'s' if writes != 1 else ''} written"
        if merges:
            what += f", {merges} merge{'s' if merges != 1 else ''}"
        out.append((f"run {r['id']} · {RUN_KINDS.get(r.get('kind'), r.get('kind'))} · {when} UTC · by "
                    f"{r.get('author') or '?'} · {what}", int(r["id"])))
    return out


class AlignTab:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self.plans: dict[str, tuple[str, AlignPlan]] = {}  # job id -> (project key, the plan it made), for Apply
        self.realigns: dict[str, tuple[int, str]] = {}  # job id -> (document, language) it re-aligns
        self._lock = threading.Lock()

    def build(self) -> None:
        gr.HTML("<div class='keys'>Align an existing translation with one of this project's documents. "
                "<b>Preview</b> shows what will be written; <b>Apply</b> writes drafts only where a segment is "
                "empty or machine-written — it never merges, splits or overwrites confirmed or edited segments. "
                "Merge proposals wait in the review list for a person; a whole run can be undone.</div>")
        with gr.Row():
            self.doc = gr.Dropdown([], label="Source document (in this project)", scale=3, elem_id="al-doc",
                                   allow_custom_value=True)
            self.lang = gr.Radio([(M.lang_name(l), l) for l in M.TARGETS], value=M.TARGETS[0], label="Target language",
                                 scale=2, elem_id="al-lang")
        with gr.Row():
            self.file = gr.File(label="Target document (.txt, .md, .html)", file_types=[".txt", ".md", ".html", ".htm"],
                                type="filepath", elem_id="al-file")
            self.text = gr.Textbox("", label="…or paste the target text", lines=4, elem_id="al-text")
        with gr.Row(equal_height=True):
            self.go = gr.Button("Preview", variant="primary", scale=1, elem_id="al-go")
            self.apply = gr.Button("Apply: write the drafts", scale=1, interactive=False, elem_id="al-apply")
        self.watch = JobWatch(self.ctx, self.previewed)
        self.confirm_watch = JobWatch(self.ctx, self.realigned)
        self.plan_id = gr.State("")
        self.preview_info = gr.HTML("", elem_id="al-preview-info")
        self.preview = gr.Dataframe(value={"headers": PREVIEW_HEADERS, "data": []}, datatype="str", interactive=False,
                                    wrap=True, max_height=260, elem_id="al-preview", visible=False,
                                    column_widths=["16%", "32%", "12%", "32%", "8%"],
                                    label="What Apply will write")
        self.review = gr.Dataframe(value={"headers": REVIEW_HEADERS, "data": []}, datatype="str", interactive=False,
                                   wrap=True, max_height=320, elem_id="al-review",
                                   column_widths=["4%", "20%", "8%", "30%", "30%", "8%"],
                                   label="To review: doubtful links and merge proposals (lowest confidence first), "
                                         "then groups (click a row)")
        self.sel = gr.State({})
        self.pick = gr.HTML("", elem_id="al-pick")
        with gr.Row(equal_height=True):
            self.tgt = gr.Textbox("", label="Its target sentences (e.g. 4 or 4-5; empty: as aligned)", scale=2,
                                  elem_id="al-tgt")
            self.confirm = gr.Button("Confirm link as anchor and re-align", scale=2, elem_id="al-confirm")
            self.accept_prop = gr.Button("Accept merge proposal", scale=1, elem_id="al-prop-accept")
            self.reject_prop = gr.Button("Reject merge proposal", scale=1, elem_id="al-prop-reject")
        with gr.Row(equal_height=True):
            self.min_conf = gr.Slider(0.5, 1.0, value=0.8, step=0.01, label="Accept links with confidence at least",
                                      scale=3, elem_id="al-min")
            self.accept = gr.Button("Accept into the project and the TM", scale=2, elem_id="al-accept")
        with gr.Row(equal_height=True):
            self.runs = gr.Dropdown([], label="Alignment runs of this document and language (newest first)",
                                    scale=4, elem_id="al-runs")
            self.undo = gr.Button("Undo this alignment run", variant="stop", scale=1, elem_id="al-undo")
        with gr.Row():
            self.targets = gr.Dataframe(value={"headers": ["#", "target sentence"], "data": []}, datatype="str",
                                        interactive=False, wrap=True, max_height=320, elem_id="al-targets",
                                        label="Target sentences", scale=2, column_widths=["10%", "90%"])
            self.three = gr.Dataframe(value={"headers": THREE_HEADERS, "data": []}, datatype="str",
                                      interactive=False, wrap=True, max_height=320, elem_id="al-three",
                                      label="EN | RU | KM as the project holds them (confidence; click a "
                                            "segment to confirm its link)", scale=3,
                                      column_widths=["13%", "29%", "29%", "29%"])

    # -- views -------------------------------------------------------------------------------------

    def _doc_id(self, doc) -> int:
        try:
            return int(str(doc).split(":", 1)[0])
        except (TypeError, ValueError):
            raise InputError("choose the source document to align with") from None

    def _tables(self, proj, doc_id: int, lang: str) -> dict:
        """Everything the tab shows of the project now (after any change)."""
        total = len(proj.segments(doc_id))
        rows, _keys = _review_rows(review_list(proj, doc_id, lang), total)
        rec = alignment_record(proj, doc_id, lang) or {}
        targets = [[str(k + 1), s] for k, (_p, s) in enumerate(rec.get("target", []))]
        langs = [l for l in ("ru", "km") if l in proj.target_langs]
        three = []
        for pos, r in enumerate(three_way(proj, doc_id, langs), start=1):
            cells = [f"{pos} (id {r['segment_id']})", r[proj.source_lang]]
            for l in ("ru", "km"):
                conf = r["confidence"].get(l)
                text = r.get(l, "")
                cells.append(f"{text}  [{conf:.2f}]" if conf is not None and text else text)
            three.append(cells)
        runs = runs_choices(alignment_runs(proj, doc_id, lang))
        return {
            self.ctx.proj_head: self.ctx.head(proj),
            self.review: gr.update(value={"headers": REVIEW_HEADERS,
                                          "data": rows or [["", "(nothing to review)", "", "", "", ""]]}),
            self.targets: gr.update(value={"headers": ["#", "target sentence"],
                                           "data": targets or [["", "(not aligned yet)"]]}),
            self.three: gr.update(value={"headers": THREE_HEADERS, "data": three or [["", "", "", ""]]}),
            self.runs: gr.update(choices=runs, value=runs[0][1] if runs else None),
            self.sel: {}, self.pick: "", self.tgt: "", self.preview_info: "",
        }

    @property
    def table_outputs(self) -> list:
        return [self.review, self.targets, self.three, self.runs, self.sel, self.pick, self.tgt, self.preview_info,
                self.ctx.msg, self.ctx.proj_head]

    # -- callbacks ---------------------------------------------------------------------------------

    def on_tab(self, state, doc, lang, plan_id):
        proj = self.ctx.project(state)
        docs = proj.documents()
        choices = [f"{d.id}: {d.title}" for d in docs]
        value = doc if doc in choices else (choices[0] if choices else None)
        out = {self.doc: gr.update(choices=choices, value=value)}
        if value:
            out.update(self._tables(proj, self._doc_id(value), lang or "ru"))
        with self._lock:
            key, plan = self.plans.get(plan_id or "") or (None, None)
        if plan is not None and key == self.ctx.project_key(proj) and value and \
                (plan.document_id, plan.lang) == (self._doc_id(value), lang or "ru"):
            out.pop(self.preview_info)  # back in the tab: the preview is still there, ready to Apply
        else:  # another document, language or project: a preview made before is not applied by mistake
            out.update({self.plan_id: "", self.apply: gr.update(interactive=False, variant="secondary"),
                        self.preview: gr.update(visible=False), self.preview_info: ""})
        return out

    def on_preview(self, state, doc, lang, upload, text):
        """Plan the alignment as a background job (nothing is written); :meth:`previewed` shows the plan."""
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
        key = self.ctx.project_key(proj)

        def run(job):
            p = self.ctx.job_project(proj)
            try:
                plan = plan_alignment(p, doc_id, lang, target, progress=job.progress, **kw)
            finally:
                p.close()
            with self._lock:
                self.plans[job.id] = (key, plan)
                while len(self.plans) > KEEP_PLANS:
                    self.plans.pop(next(iter(self.plans)))
            return f"Preview of the {M.lang_name(lang)} alignment: {plan.summary()}."

        job = self.ctx.jobs.submit("align", f"Preview {M.lang_name(lang)} alignment of document {doc_id} of "
                                   f"{proj.name}", run, owner=author, unit="steps", ref=self.ctx.project_key(proj))
        out = self.watch.start(job)
        out.update({self.plan_id: "", self.apply: gr.update(interactive=False, variant="secondary"),
                    self.preview_info: "", self.preview: gr.update(visible=False)})
        out[self.ctx.msg] = render.message(f"Aligning {M.lang_name(lang)} for a preview: the progress is shown at the "
                                           "top; nothing is written until you Apply.", "info")
        return out

    def previewed(self, job, state) -> dict:
        snap = job.snapshot()
        with self._lock:
            plan = (self.plans.get(job.id) or (None, None))[1]
        if snap.state != "done" or plan is None:
            return {self.ctx.msg: render.error(snap.error or f"{snap.title}: {snap.state}")}
        proj = self.ctx.project(state)
        total = len(plan.order)
        rows = []
        for r in plan.preview(proposals=True):
            if r.action == "merge":
                where = (f"Merge proposal from position {r.position} (id {r.segment_id}): written only if you "
                         "accept it")
            else:
                where = seg_label(r.segment_id, r.position, total)
            rows.append([where, r.source, r.current, r.new, f"{r.confidence:.2f}"])
        return {self.plan_id: job.id, self.apply: gr.update(interactive=bool(plan.writes), variant="primary"),
                self.preview_info: preview_html(plan),
                self.preview: gr.update(value={"headers": PREVIEW_HEADERS,
                                               "data": rows or [["", "(nothing to write)", "", "", ""]]},
                                        visible=True),
                self.ctx.proj_head: self.ctx.head(proj),
                self.ctx.msg: render.message("Preview ready: check what will be written, then Apply.", "info")}

    def on_apply(self, state, plan_id):
        proj = self.ctx.project(state)
        with self._lock:
            key, plan = self.plans.get(plan_id or "") or (None, None)
        if plan is None or key != self.ctx.project_key(proj):
            raise InputError("preview the alignment of this project first (Preview), then Apply")
        with self._lock:
            self.plans.pop(plan_id, None)
        res = apply_alignment(proj, plan, author=self.ctx.author(state))
        out = self._tables(proj, plan.document_id, plan.lang)
        line = f"Applied alignment run {res.run_id} ({M.lang_name(plan.lang)}): {res.summary()}."
        out.update({self.plan_id: "", self.apply: gr.update(interactive=False, variant="secondary"),
                    self.preview: gr.update(visible=False),
                    self.preview_info: f"<div class='al-preview al-applied'>{render.esc(line)} Review below; "
                                       "<i>Undo this alignment run</i> takes it all back.</div>"})
        out[self.ctx.msg] = render.message(line)
        return out

    def on_select(self, evt: gr.SelectData, state, doc, lang):
        """A click on a review row: what it stands for, ready to confirm, accept or reject."""
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        proj = self.ctx.project(state)
        doc_id = self._doc_id(doc)
        _rows, keys = _review_rows(review_list(proj, doc_id, lang), len(proj.segments(doc_id)))
        if not isinstance(index, int) or not 0 <= index < len(keys):
            return {}
        k = keys[index]
        if k["kind"] == "group":
            note = (f"{k['label']}: one decision for the group — nothing is written for them; translate them in "
                    "the Editor tab or align a fuller translation.")
            return {self.sel: k, self.pick: f"<div class='al-pick'>{render.esc(note)}</div>", self.tgt: ""}
        tgt = "target sentence" + ("s " if len(k["target"]) > 1 else " ") + _nums(k["target"])
        if k["kind"] == "merge":
            head = (f"Merge proposal {k['proposal'] + 1}: segments {_nums(k['positions'])} (ids {_nums(k['ids'])}) "
                    f"of {k['total']} ← {tgt} · confidence {k['confidence']:.2f}")
            if k["blocked"]:
                head += f" · cannot be accepted: {k['blocked']}"
        else:
            head = f"{seg_label(k['seg'], k['positions'][0], k['total'])} ← {tgt} · confidence {k['confidence']:.2f}"
        return {self.sel: k, self.pick: f"<div class='al-pick'>{render.esc(head)}</div>",
                self.tgt: _nums(k["target"]) if k["kind"] != "merge" else ""}

    def on_pick_segment(self, evt: gr.SelectData, state, doc, lang):
        """A click on a row of the EN | RU | KM table: that segment's link, ready to confirm as an anchor."""
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        proj = self.ctx.project(state)
        doc_id = self._doc_id(doc)
        segs = proj.segments(doc_id)
        if not isinstance(index, int) or not 0 <= index < len(segs):
            return {}
        seg = segs[index]
        rec = alignment_record(proj, doc_id, lang) or {}
        link = next((l for l in rec.get("links", []) if seg.id in l["segments"]), None)
        if link is None:
            raise InputError(f"{seg_label(seg.id, index + 1, len(segs))} is not in a {lang.upper()} alignment: "
                             "preview and apply one first")
        numbers = [k + 1 for k in link["target"]]
        k = {"kind": "link", "seg": seg.id, "ids": [seg.id], "positions": [index + 1], "target": numbers,
             "proposal": None, "blocked": "", "confidence": float(link.get("confidence") or 0), "total": len(segs)}
        tgt = ("target sentence" + ("s " if len(numbers) > 1 else " ") + _nums(numbers)) if numbers else \
            "no target sentence yet (type its number)"
        head = f"{seg_label(seg.id, index + 1, len(segs))} ← {tgt}"
        return {self.sel: k, self.pick: f"<div class='al-pick'>{render.esc(head)}</div>", self.tgt: _nums(numbers)}

    def _picked(self, sel, kind: str) -> dict:
        if not sel or sel.get("kind") == "group" or (kind == "merge") != (sel.get("kind") == "merge"):
            what = "a merge proposal" if kind == "merge" else "a link (a segment's row)"
            raise InputError(f"click {what} in the review list (or a segment in the EN | RU | KM table) first")
        return sel

    def on_confirm(self, state, doc, lang, sel, tgt):
        """Confirm the chosen link as an anchor, then re-align the rest around the anchors: a background job
        (re-aligning a long document takes a while); :meth:`realigned` shows the result."""
        proj = self.ctx.project(state)
        doc_id = self._doc_id(doc)
        k = self._picked(sel, "link")
        numbers = parse_numbers(tgt)
        sid = int(k["seg"])
        label = seg_label(sid, k["positions"][0], k["total"])
        author = self.ctx.author(state)

        def run(job):
            p = self.ctx.job_project(proj)
            try:
                confirm_link(p, doc_id, lang, sid, [n - 1 for n in numbers] if numbers is not None else None,
                             author=author, progress=job.progress)
            finally:
                p.close()
            self.ctx.add_to_tm(proj, sid)
            return f"{label} confirmed as an anchor; the rest of the document was re-aligned."

        job = self.ctx.jobs.submit("align", f"Confirm a {lang.upper()} link of {proj.name} and re-align", run,
                                   owner=author, unit="steps", ref=self.ctx.project_key(proj))
        with self._lock:
            self.realigns[job.id] = (doc_id, lang)
        out = self.confirm_watch.start(job)
        out[self.ctx.msg] = render.message(f"Confirming {label} and re-aligning the rest (progress at the top)…",
                                           "info")
        return out

    def realigned(self, job, state) -> dict:
        snap = job.snapshot()
        with self._lock:
            where = self.realigns.pop(job.id, None)
        out = {}
        if where is not None:
            out.update(self._tables(self.ctx.project(state), *where))
        out[self.ctx.msg] = (render.message(snap.summary) if snap.state == "done"
                             else render.error(snap.error or f"{snap.title}: {snap.state}"))
        return out

    def on_proposal(self, accept: bool):
        def run(state, doc, lang, sel):
            proj = self.ctx.project(state)
            doc_id = self._doc_id(doc)
            k = self._picked(sel, "merge")
            where = f"segments {_nums(k['positions'])} (ids {_nums(k['ids'])})"
            if accept:
                res = accept_proposal(proj, doc_id, lang, int(k["proposal"]), author=self.ctx.author(state))
                msg = (f"Merged {where} into segment id {k['ids'][0]} with the aligned text as a draft (run "
                       f"{res.run_id}; undo it below).")
            else:
                reject_proposal(proj, doc_id, lang, int(k["proposal"]), author=self.ctx.author(state))
                msg = f"Rejected the merge of {where}: they stay as they are."
            out = self._tables(proj, doc_id, lang)
            out[self.ctx.msg] = render.message(msg)
            return out

        return run

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

    def on_undo(self, state, doc, lang, run_id):
        proj = self.ctx.project(state)
        doc_id = self._doc_id(doc)
        if run_id in (None, ""):
            raise InputError("there is no alignment run to undo for this document and language")
        res = undo_alignment(proj, doc_id, lang, int(run_id), author=self.ctx.author(state))
        out = self._tables(proj, doc_id, lang)
        skipped = "; ".join(f"id {sid}: {why}" for sid, why in res.skipped[:3])
        line = res.summary()
        out[self.ctx.msg] = render.message(line[:1].upper() + line[1:] + "." + (f" ({skipped})" if skipped else ""))
        return out

    def wire(self, tab: gr.Tab) -> None:
        """``tab``: the Alignment tab itself (selecting it loads the project's documents)."""
        ctx, g, ev = self.ctx, self.ctx.guard, self.ctx.EVENT
        tables = self.table_outputs
        where = [ctx.state, self.doc, self.lang]
        shown = [self.doc, *tables, self.plan_id, self.apply, self.preview]
        tab.select(g(self.on_tab), [*where, self.plan_id], shown, **ev)
        for comp in (self.doc, self.lang):
            comp.input(g(self.on_tab), [*where, self.plan_id], shown, **ev)
        self.go.click(g(self.on_preview), [*where, self.file, self.text],
                      [ctx.msg, self.watch.timer, self.watch.job_id, self.plan_id, self.apply, self.preview_info,
                       self.preview], api_name="ui_align_preview", **ev)
        self.watch.wire([self.plan_id, self.apply, self.preview_info, self.preview, ctx.proj_head])
        refresh = dict(fn=None, js=REFRESH_JS)  # the desk shows what changed (rows, counts, structure)
        self.apply.click(g(self.on_apply), [ctx.state, self.plan_id],
                         [*tables, self.plan_id, self.apply, self.preview, self.preview_info],
                         api_name="ui_align_apply", **ev).then(**refresh)
        self.review.select(g(self.on_select), where, [self.sel, self.pick, self.tgt, ctx.msg], **ev)
        self.three.select(g(self.on_pick_segment), where, [self.sel, self.pick, self.tgt, ctx.msg], **ev)
        self.confirm.click(g(self.on_confirm), [*where, self.sel, self.tgt],
                           [ctx.msg, self.confirm_watch.timer, self.confirm_watch.job_id], api_name="ui_align_confirm",
                           **ev)
        self.confirm_watch.wire([t for t in tables if t is not ctx.msg], then_js=REFRESH_JS)
        self.accept_prop.click(g(self.on_proposal(True)), [*where, self.sel], tables,
                               api_name="ui_align_accept_proposal", **ev).then(**refresh)
        self.reject_prop.click(g(self.on_proposal(False)), [*where, self.sel], tables,
                               api_name="ui_align_reject_proposal", **ev).then(**refresh)
        self.accept.click(g(self.on_accept), [*where, self.min_conf], tables, api_name="ui_align_accept",
                          **ev).then(**refresh)
        self.undo.click(g(self.on_undo), [*where, self.runs], tables, api_name="ui_align_undo", **ev).then(**refresh)
