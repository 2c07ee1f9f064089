"""The Editor tab: the segment list (:mod:`workbench.ui.segment_list`), the open segment's source and one box
per target with its actions, the notes panel and the history.

Every event that can save receives the browser's snapshot ``[cur, *texts, *statuses, *filters]`` (the open
segment id, each target's text and status, the filter values) and saves only what differs from what this tab
loaded (:meth:`EditorTab.save_dirty`), so a save can never land on another segment than the one it was
typed in.
"""

from __future__ import annotations

import gradio as gr

from ..core.errors import InputError
from ..core.store import STATUSES, Project, Segment
from ..mt.project import translate_segment
from ..pretranslate import pretranslate
from . import assets, model as M, models_tab, panel, render
from .context import EditorContext
from .segment_list import SegmentList
from .session import Snapshot, loaded, open_segment, remember, segment_id

HIST_HEADERS = ["when (UTC)", "lang", "change", "by", "text"]


def _saved_note(saved: list[str], sid: int | None) -> str | None:
    return render.message(f"Saved {', '.join(saved)} of segment #{sid}.") if saved else None


class Target:
    """The box of one target language, with its status, badge and buttons."""

    def __init__(self, lang: str):
        self.lang = lang
        with gr.Group(elem_classes=[f"lang-{lang}"]) as self.group:
            self.info = gr.HTML("", elem_id=f"info-{lang}")
            self.box = gr.Textbox("", label=f"{M.lang_name(lang)} ({lang.upper()})", lines=3, elem_id=f"tgt-{lang}",
                                  elem_classes=[f"lang-{lang}"])
            with gr.Row(equal_height=True, elem_classes=["tgt-actions"]):
                self.status = gr.Dropdown(list(STATUSES), value="new", show_label=False, scale=0, min_width=130,
                                          elem_id=f"status-{lang}", container=False)
                self.confirm = gr.Button("Confirm → next", variant="primary", size="sm", scale=0, min_width=130,
                                         elem_id=f"confirm-{lang}")
                self.save = gr.Button("Save", size="sm", scale=0, min_width=70, elem_id=f"save-{lang}")
                self.undo = gr.Button("Undo", size="sm", scale=0, min_width=70, elem_id=f"undo-{lang}")
                self.copy = gr.Button("Copy source", size="sm", scale=0, min_width=100, elem_id=f"copy-src-{lang}")
                self.tm = gr.Button("Use TM match", size="sm", scale=0, min_width=110, elem_id=f"use-tm-{lang}")
                self.mt = gr.Button("Machine-translate", size="sm", scale=0, min_width=120, elem_id=f"mt-{lang}")


class EditorTab:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self.list = SegmentList(ctx)

    # -- layout ----------------------------------------------------------------------------------------

    def build(self) -> None:
        self.list.build()
        with gr.Row():
            with gr.Column(scale=3):
                self.seg_head = gr.HTML("", elem_id="seg-head")
                self.cur = gr.Textbox("", visible=False, elem_id="cur-seg")  # the segment the boxes belong to
                self.src = gr.Textbox("", label="Source (EN)", interactive=False, lines=2, elem_id="src")
                self.src_terms = gr.HighlightedText([], label="Glossary terms in the source", elem_id="src-terms",
                                                    show_legend=False, show_inline_category=True,
                                                    combine_adjacent=False, interactive=False)
                self.targets = {lang: Target(lang) for lang in M.TARGETS}
                with gr.Row(equal_height=True):
                    self.prev_seg = gr.Button("↑ Previous (Alt+↑)", size="sm", elem_id="prev-seg")
                    self.next_seg = gr.Button("↓ Next (Alt+↓)", size="sm", elem_id="next-seg")
                    self.reload = gr.Button("Reload segment", size="sm", elem_id="reload-seg")
                    self.merge = gr.Button("Merge with next", size="sm", elem_id="merge-seg")
                with gr.Row(equal_height=True):
                    self.mt_langs = gr.CheckboxGroup([(M.lang_name(l), l) for l in M.TARGETS], value=list(M.TARGETS),
                                                     label="Languages", scale=2, elem_id="mt-langs")
                    self.mt_all = gr.Button("Pre-translate all untouched segments (TM, then MT)", size="sm", scale=2,
                                            elem_id="mt-all")
                with gr.Row(equal_height=False):  # target languages without an MT model, and the way to one
                    self.mt_missing = gr.HTML("", elem_id="mt-missing")
                    self.to_models = gr.Button("Open the Models tab", size="sm", scale=0, min_width=150,
                                               visible=False, elem_id="mt-to-models")
                with gr.Row(equal_height=False):
                    self.split_at = gr.Textbox("", label="Split before (words the second part starts with, or a "
                                                         "character offset; Enter splits)", scale=4, elem_id="split-at")
                    self.split = gr.Button("Split", size="sm", scale=0, min_width=80, elem_id="split-seg")
                gr.HTML("<div class='keys'><kbd>Ctrl</kbd>+<kbd>Enter</kbd> confirm and go to the next unconfirmed · "
                        "<kbd>Ctrl</kbd>+<kbd>S</kbd> save · <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> previous/next "
                        "(saves first) · <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>U</kbd> undo · "
                        "<kbd>Ctrl</kbd>+<kbd>Ins</kbd> copy source</div>")
            with gr.Column(scale=2):
                self.panel = gr.HTML("", label="Notes", elem_id="panel")
                self.hist = gr.Dataframe(value={"headers": HIST_HEADERS, "data": []}, datatype="str",
                                         interactive=False, wrap=True, max_height=300, label="History (newest first)",
                                         elem_id="history")

    @property
    def filters(self) -> list:
        """The filter components, in the order the events receive their values."""
        return self.list.filters.components

    @property
    def outputs(self) -> list:
        """Everything :meth:`render` may update."""
        ctx, t = self.ctx, self.targets.values()
        return [ctx.state, self.cur, ctx.msg, self.list.grid, self.list.page_info, ctx.proj_head, self.seg_head,
                self.src, self.src_terms, self.panel, self.hist, self.split_at, *(x.box for x in t),
                *(x.info for x in t), *(x.status for x in t), *(x.group for x in t), self.mt_missing,
                self.to_models, *(x.mt for x in t), ctx.tabs]

    @property
    def inputs(self) -> list:
        """The snapshot of the open segment (see :class:`Snapshot`), after the session state."""
        t = self.targets.values()
        return [self.ctx.state, self.cur, *(x.box for x in t), *(x.status for x in t), *self.filters]

    # -- showing a segment -----------------------------------------------------------------------------

    def render(self, proj: Project, state: dict, flt: M.Filter, seg_id: int | None, *, msg: str | None = None,
               page: int | None = None, segs: list[Segment] | None = None) -> dict:
        """Everything the editor shows, for segment ``seg_id`` (the grid goes to the page holding it)."""
        ctx = self.ctx
        segs = proj.segments() if segs is None else segs
        shown = ctx.shown(proj, segs, flt)
        by_id = {s.id: s for s in segs}
        if seg_id not in by_id:
            seg_id = shown[0].id if shown else (segs[0].id if segs else None)
        if page is None:
            page = M.page_of(seg_id, shown)
            if page is None:
                page = (state or {}).get("page", 0)
        out, page = self.list.show(proj, segs, shown, page)
        new_state = {"project": str(proj.path.resolve()), "author": ctx.author(state), "seg": seg_id, "page": page,
                     "loaded": dict((state or {}).get("loaded") or {})}
        seg = by_id.get(seg_id)
        out[ctx.proj_head] = ctx.head(proj)
        out[self.cur] = str(seg.id) if seg else ""
        if seg is None:
            out[self.seg_head] = render.NO_SEGMENTS
            out[self.src] = ""
        else:
            pos = [s.id for s in segs].index(seg.id) + 1
            out[self.seg_head] = render.segment_head(seg.id, pos, len(segs), seg.paragraph)
            out[self.src] = seg.source
            out[self.src_terms] = panel.source_terms(ctx, proj, seg)
            out[self.panel] = panel.notes_html(ctx, proj, seg)
            out[self.hist] = gr.update(value={"headers": HIST_HEADERS, "data": M.history_rows(proj, seg.id) or
                                              [["", "", "", "", "(no changes yet)"]]})
        _, out[self.mt_missing], no_model = models_tab.missing_view(proj)
        out[self.to_models] = gr.update(visible=bool(no_model))
        for lang, t in self.targets.items():
            out[t.mt] = gr.update(value=models_tab.NO_MODEL_LABEL if lang in no_model else "Machine-translate")
            used = lang in proj.target_langs
            out[t.group] = gr.update(visible=used)
            tr = seg.translations.get(lang) if (seg and used) else None
            if tr is None:
                out[t.box], out[t.info], out[t.status] = "", "", gr.update(value="new", choices=ctx.status_choices())
                continue
            remember(new_state, tr)
            out[t.box] = tr.text
            out[t.status] = gr.update(value=tr.status, choices=ctx.status_choices(tr.status))
            out[t.info] = render.target_info(tr)
        out[ctx.state] = new_state
        if msg is not None:
            out[ctx.msg] = msg
        return out

    def first_unconfirmed(self, proj: Project, flt: M.Filter) -> int | None:
        return self.list.first_unconfirmed(proj, flt)

    # -- saving ----------------------------------------------------------------------------------------

    def save_dirty(self, proj: Project, state: dict, snap: Snapshot, *, only: str | None = None,
                   skip: str | None = None) -> list[str]:
        """Save every target of the snapshot's segment whose text or status differs from what this tab loaded
        (``only``: just that language; ``skip``: all but that one). Returns the saved languages (upper case).

        The segment id, texts and statuses come together from the browser (one snapshot), the loaded versions
        from the session state.
        """
        saved: list[str] = []
        sid = snap.sid
        if sid is None:
            return saved
        for lang in M.TARGETS:
            if lang not in proj.target_langs or (only and lang != only) or lang == skip:
                continue
            rec = loaded(state, sid, lang)
            if rec is None:  # never shown in this tab: nothing of it can have been typed here
                continue
            text, status = snap.texts[lang] or "", snap.statuses[lang] or rec[2]
            if text == rec[1] and status == rec[2]:
                continue
            tr = M.save_edit(proj, sid, lang, text, status=status, expected_version=rec[0],
                             author=self.ctx.author(state))
            if tr is not None:
                saved.append(lang.upper())
            remember(state, tr or proj.translation(sid, lang))
        return saved

    # -- callbacks -------------------------------------------------------------------------------------

    def on_select(self, evt: gr.SelectData, state, *args):
        snap = Snapshot.parse(args)
        proj = self.ctx.project(state)
        row = evt.row_value or []
        try:
            target = int(row[0])
        except (ValueError, TypeError, IndexError):
            return {}
        state = dict(state)
        saved = self.save_dirty(proj, state, snap)
        return self.render(proj, state, snap.flt, target, msg=_saved_note(saved, snap.sid), page=state.get("page"))

    def on_nav(self, step: int):
        def nav(state, *args):
            snap = Snapshot.parse(args)
            proj = self.ctx.project(state)
            state = dict(state)
            saved = self.save_dirty(proj, state, snap)
            segs = proj.segments()
            target = M.neighbour(self.ctx.shown(proj, segs, snap.flt), snap.sid, step)
            note = _saved_note(saved, snap.sid)
            if target is None:
                note = render.message("This is the " + ("last" if step > 0 else "first") + " segment.", "info")
                target = snap.sid
            return self.render(proj, state, snap.flt, target, msg=note, segs=segs)
        nav.__name__ = f"nav_{step}"
        return nav

    def on_save(self, lang: str):
        def save(state, *args):
            snap = Snapshot.parse(args)
            proj = self.ctx.project(state)
            state = dict(state)
            sid = snap.need()
            saved = self.save_dirty(proj, state, snap)
            note = _saved_note(saved, sid) or render.message("No changes to save.", "info")
            return self.render(proj, state, snap.flt, sid, msg=note, page=state.get("page"))
        save.__name__ = f"save_{lang}"
        return save

    def on_autosave(self, lang: str):
        """Leaving a target box saves it at once. Only that target's badge, the grid and the state change:
        the other boxes keep whatever is being typed there."""
        def autosave(state, *args):
            snap = Snapshot.parse(args)
            proj = self.ctx.project(state)
            state = dict(state or {})
            if not self.save_dirty(proj, state, snap, only=lang):
                return {self.ctx.state: state}
            sid = snap.sid
            tr = proj.translation(sid, lang)
            segs = proj.segments()
            out, _ = self.list.show(proj, segs, self.ctx.shown(proj, segs, snap.flt), state.get("page", 0))
            if state.get("seg") == sid:  # still showing that segment
                out[self.targets[lang].info] = render.target_info(tr)
                out[self.targets[lang].status] = tr.status
            out[self.ctx.state] = state
            out[self.ctx.msg] = render.message(f"Saved {lang.upper()} of segment #{sid}.")
            return out
        autosave.__name__ = f"autosave_{lang}"
        return autosave

    def on_confirm(self, lang: str):
        def confirm(state, *args):
            snap = Snapshot.parse(args)
            proj = self.ctx.project(state)
            state = dict(state)
            sid = snap.need()
            self.save_dirty(proj, state, snap, skip=lang)  # the other targets' typed text first
            rec = loaded(state, sid, lang)
            if rec is None:
                raise InputError(f"segment #{sid} {lang.upper()} is not open in this tab: click it in the grid")
            tr = self.ctx.confirm(proj, sid, lang, snap.texts[lang] or "", status=snap.statuses[lang] or rec[2],
                                  expected_version=rec[0], author=self.ctx.author(state))
            remember(state, tr)
            segs = proj.segments()
            allowed = {s.id for s in self.ctx.shown(proj, segs, snap.flt)} if snap.flt.active() else None
            nxt = M.next_unconfirmed(segs, sid, lang, allowed=allowed)
            if nxt is None:
                return self.render(proj, state, snap.flt, sid, segs=segs, msg=render.message(
                    f"Segment #{sid} {lang.upper()} confirmed. Every {M.lang_name(lang)} segment"
                    f"{' in this filter' if allowed is not None else ''} is confirmed."))
            return self.render(proj, state, snap.flt, nxt, segs=segs,
                               msg=render.message(f"Segment #{sid} {lang.upper()} confirmed → #{nxt}."))
        confirm.__name__ = f"confirm_{lang}"
        return confirm

    def on_undo(self, lang: str):
        def undo(state, *args):
            snap = Snapshot.parse(args)
            proj = self.ctx.project(state)
            state = dict(state)
            sid = snap.need()
            rec = loaded(state, sid, lang)
            proj.undo(sid, lang, expected_version=rec[0] if rec else None, author=self.ctx.author(state))
            return self.render(proj, state, snap.flt, sid, page=state.get("page"),
                               msg=render.message(f"Undid the last change of segment #{sid} {lang.upper()}."))
        undo.__name__ = f"undo_{lang}"
        return undo

    def on_copy_source(self, lang: str):
        def copy(state, cur):
            proj = self.ctx.project(state)
            sid = open_segment(segment_id(cur))
            return {self.targets[lang].box: proj.segment(sid).source,
                    self.ctx.msg: render.message("Copied the source into the box (not saved yet).", "info")}
        copy.__name__ = f"copy_{lang}"
        return copy

    def on_use_tm(self, lang: str):
        def use(state, cur):
            proj = self.ctx.project(state)
            sid = open_segment(segment_id(cur))
            hits = self.ctx.tm_matches(proj, proj.segment(sid), lang, limit=1)
            if not hits:
                return {self.ctx.msg: render.message(
                    f"No TM match of {M.TM_SUGGESTION_MIN}% or more for segment #{sid} ({lang.upper()}).", "info")}
            return {self.targets[lang].box: hits[0].target,
                    self.ctx.msg: render.message(f"Inserted the {hits[0].score:.0f}% TM match (not saved yet).",
                                                 "info")}
        use.__name__ = f"use_tm_{lang}"
        return use

    def on_mt(self, lang: str):
        def mt(state, *args):
            snap = Snapshot.parse(args)
            proj = self.ctx.project(state)
            gap = next((m for m in models_tab.missing_view(proj)[0] if m.tgt == lang), None)
            if gap is not None:  # no model for this language: say so and show where to get one
                return {self.ctx.msg: render.error(gap.message), self.ctx.tabs: models_tab.open_models_tab()}
            state = dict(state)
            sid = snap.need()
            self.save_dirty(proj, state, snap)  # typed text is saved (and undoable) first
            rec = loaded(state, sid, lang)
            tr = translate_segment(proj, sid, lang, glossary=self.ctx.glossary(), author=self.ctx.author(state),
                                   expected_version=rec[0] if rec else None)
            return self.render(proj, state, snap.flt, sid, page=state.get("page"),
                               msg=render.message(f"Machine-translated segment #{sid} {lang.upper()} with "
                                                  f"{tr.mt.model if tr.mt else 'MT'} (Undo restores the "
                                                  "previous text)."))
        mt.__name__ = f"mt_{lang}"
        return mt

    def on_mt_all(self, state, cur, langs, *filters, progress=gr.Progress()):
        """Pre-translate every still-empty, unconfirmed target: TM first, then MT with the glossary
        (``workbench.pretranslate``)."""
        proj = self.ctx.project(state)
        langs = [l for l in (langs or []) if l in proj.target_langs]
        if not langs:
            raise InputError("choose the language(s) to machine-translate")
        glossary = self.ctx.glossary()

        def report(lang, done, total):
            progress((done / total) if total else 1.0, desc=f"{lang.upper()}: {done}/{total} segments")

        result = pretranslate(proj, langs, require_mt=True, use_glossary=glossary is not None, glossary=glossary,
                              progress=report, author=self.ctx.author(state))
        return self.render(proj, dict(state), M.Filter.from_values(filters), segment_id(cur),
                           page=(state or {}).get("page"),
                           msg=render.message("Pre-translation done: " + "; ".join(result.summary()) + "."))

    def on_panel_refresh(self, state, cur):
        """After a glossary change: re-check the open segment's terms."""
        sid = segment_id(cur)
        if sid is None or not (state or {}).get("project"):
            return {}
        proj = self.ctx.project(state)
        seg = proj.segment(sid)
        return {self.panel: panel.notes_html(self.ctx, proj, seg),
                self.src_terms: panel.source_terms(self.ctx, proj, seg)}

    def on_reload(self, state, cur, *filters):
        proj = self.ctx.project(state)
        return self.render(proj, dict(state), M.Filter.from_values(filters), segment_id(cur),
                           msg=render.message("Reloaded from the project file.", "info"),
                           page=(state or {}).get("page"))

    def on_split(self, state, at, *args):
        snap = Snapshot.parse(args)
        proj = self.ctx.project(state)
        state = dict(state)
        sid = snap.need()
        self.save_dirty(proj, state, snap)
        seg = proj.segment(sid)
        a, b = proj.split_segment(sid, M.split_offset(seg.source, at), author=self.ctx.author(state))
        out = self.render(proj, state, snap.flt, a.id,
                          msg=render.message(f"Split segment #{a.id}; the second part is #{b.id}."))
        out[self.split_at] = ""
        return out

    def on_merge(self, state, *args):
        snap = Snapshot.parse(args)
        proj = self.ctx.project(state)
        state = dict(state)
        sid = snap.need()
        self.save_dirty(proj, state, snap)
        segs = proj.segments()
        i = [s.id for s in segs].index(sid)
        if i + 1 >= len(segs) or segs[i + 1].document_id != segs[i].document_id:
            raise InputError(f"segment #{sid} is the last of its document: nothing follows to merge with")
        other = segs[i + 1].id
        proj.merge_segments(sid, other, author=self.ctx.author(state))
        return self.render(proj, state, snap.flt, sid, msg=render.message(f"Merged #{other} into #{sid}."))

    # -- wiring ----------------------------------------------------------------------------------------

    def refresh_after_glossary_change(self) -> dict:
        """Keyword arguments for a ``.then(...)`` that re-checks the open segment's terms."""
        return dict(fn=self.ctx.guard(self.on_panel_refresh), inputs=[self.ctx.state, self.cur],
                    outputs=[self.panel, self.src_terms, self.ctx.msg], **self.ctx.EVENT)

    def wire(self) -> None:
        ctx, g, ev = self.ctx, self.ctx.guard, self.ctx.EVENT
        out, inp = self.outputs, self.inputs
        self.list.grid.select(g(self.on_select), inp, out, api_name="ui_select", **ev)
        self.prev_seg.click(g(self.on_nav(-1)), inp, out, api_name="ui_prev", **ev)
        self.next_seg.click(g(self.on_nav(1)), inp, out, api_name="ui_next", **ev)
        self.reload.click(g(self.on_reload), [ctx.state, self.cur, *self.filters], out, api_name="ui_reload", **ev)
        self.merge.click(g(self.on_merge), inp, out, api_name="ui_merge", **ev)
        self.split.click(g(self.on_split), [ctx.state, self.split_at, *inp[1:]], out, api_name="ui_split", **ev)
        self.split_at.submit(g(self.on_split), [ctx.state, self.split_at, *inp[1:]], out, **ev)
        for lang, t in self.targets.items():
            t.save.click(g(self.on_save(lang)), inp, out, api_name=f"ui_save_{lang}", **ev)
            t.status.input(g(self.on_save(lang)), inp, out, api_name=f"ui_status_{lang}", **ev)
            t.confirm.click(g(self.on_confirm(lang)), inp, out, api_name=f"ui_confirm_{lang}",
                            **ev).then(None, js=assets.focus_js(lang))
            t.box.blur(g(self.on_autosave(lang)), inp,
                       [ctx.state, ctx.msg, self.list.grid, self.list.page_info, t.info, t.status], **ev)
            t.tm.click(g(self.on_use_tm(lang)), [ctx.state, self.cur], [t.box, ctx.msg], api_name=f"ui_use_tm_{lang}",
                       **ev).then(None, js=assets.focus_js(lang))
            t.mt.click(g(self.on_mt(lang)), inp, out, api_name=f"ui_mt_{lang}", **ev)
            t.undo.click(g(self.on_undo(lang)), inp, out, api_name=f"ui_undo_{lang}", **ev)
            t.copy.click(g(self.on_copy_source(lang)), [ctx.state, self.cur], [t.box, ctx.msg],
                         api_name=f"ui_copy_{lang}", **ev).then(None, js=assets.focus_js(lang))
        self.list.wire()
        self.to_models.click(models_tab.open_models_tab, None, ctx.tabs, api_visibility="undocumented",
                             show_progress="hidden")
        self.mt_all.click(g(self.on_mt_all), [ctx.state, self.cur, self.mt_langs, *self.filters], out,
                          api_name="ui_mt_all", api_visibility="undocumented", concurrency_id="editor")
