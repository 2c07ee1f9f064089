"""The segment list at the top of the Editor tab: the filter inputs, paging and the grid of segments."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..core.store import Project, Segment
from . import model as M, render
from .context import EditorContext


class FilterInputs:
    """The filter components, one per :class:`~workbench.ui.model.Filter` field; :attr:`components` lists them
    in :data:`~workbench.ui.model.FILTER_FIELDS` order, the order the events receive their values in."""

    def __init__(self):
        self.status = gr.Dropdown(list(M.STATUS_FILTERS), value="all", label="Status", scale=1, min_width=120)
        self.origin = gr.Dropdown(list(M.ORIGIN_FILTERS), value="all", label="Origin", scale=1, min_width=110)
        self.lang = gr.Dropdown([("any target", "all")] + [(M.lang_name(l), l) for l in M.TARGETS], value="all",
                                label="Language", scale=1, min_width=120)
        self.qa_only = gr.Checkbox(False, label="QA problems only", scale=1, min_width=120)
        self.query = gr.Textbox("", label="Search (Enter)", placeholder="words in source or target", scale=3,
                                elem_id="search")
        self.scope = gr.Radio(list(M.SCOPES), value="source and target", label="Search in", scale=2)
        self.components = [getattr(self, name) for name in M.FILTER_FIELDS]


class SegmentList:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx

    def build(self) -> None:
        with gr.Row():
            self.filters = FilterInputs()
        with gr.Row(equal_height=True):
            self.prev_page = gr.Button("◀ page", size="sm", scale=0, min_width=80)
            self.page_info = gr.HTML("", elem_id="page-info")
            self.next_page = gr.Button("page ▶", size="sm", scale=0, min_width=80)
        self.grid = gr.Dataframe(value={"headers": ["#", "¶", "EN", "RU", "RU status", "KM", "KM status"], "data": []},
                                 datatype="str", interactive=False, wrap=True, max_height=380, elem_id="grid",
                                 column_widths=render.column_widths(2), label="Segments")

    def show(self, proj: Project, segs: list[Segment], shown: list[Segment], page: int) -> tuple[dict[Any, Any], int]:
        """The grid at ``page`` of the ``shown`` segments (clamped to the pages there are), and that page."""
        pages = M.page_count(len(shown))
        page = min(max(0, page), pages - 1)
        lo = page * M.PAGE_SIZE
        part = shown[lo:lo + M.PAGE_SIZE]
        headers = M.grid_headers(proj)
        rows = [M.grid_row(s, proj.target_langs) for s in part]
        if not rows:
            rows = [["", "", "(no segment matches the filter)"] + [""] * (len(headers) - 3)]
        return {
            self.grid: gr.update(value={"headers": headers, "data": rows},
                                 column_widths=render.column_widths(len(proj.target_langs))),
            self.page_info: render.grid_info(lo + 1, len(part), len(shown), len(segs), page, pages),
        }, page

    def first_unconfirmed(self, proj: Project, flt: M.Filter) -> int | None:
        """Where to start work: the first segment (that the filter shows) with an unconfirmed target in the
        filter's language (any target if none), else the first segment."""
        segs = proj.segments()
        langs = proj.target_langs if flt.lang in ("all", "", None) else [flt.lang]
        for seg in (M.filter_segments(segs, flt, proj.target_langs) if flt.active() else segs):
            if any(not seg.translations[l].confirmed for l in langs if l in seg.translations):
                return seg.id
        return segs[0].id if segs else None

    # -- callbacks -------------------------------------------------------------------------------------

    def _show_page(self, state, filter_values, page_of: Any) -> dict:
        proj = self.ctx.project(state)
        flt = M.Filter.from_values(filter_values)
        segs = proj.segments()
        out, page = self.show(proj, segs, self.ctx.shown(proj, segs, flt), page_of(state or {}))
        state = dict(state)
        state["page"] = page
        out[self.ctx.state] = state
        return out

    def on_filter(self, state, *filters):
        return self._show_page(state, filters, lambda st: 0)

    def on_page(self, step: int):
        def page(state, *filters):
            return self._show_page(state, filters, lambda st: st.get("page", 0) + step)
        page.__name__ = f"page_{step}"
        return page

    def wire(self) -> None:
        ctx, g, f = self.ctx, self.ctx.guard, self.filters
        inputs = [ctx.state, *f.components]
        outputs = [ctx.state, ctx.msg, self.grid, self.page_info]
        for comp in (f.status, f.origin, f.lang, f.scope, f.qa_only):
            comp.input(g(self.on_filter), inputs, outputs, **ctx.EVENT)
        f.query.submit(g(self.on_filter), inputs, outputs, api_name="ui_filter", **ctx.EVENT)
        self.prev_page.click(g(self.on_page(-1)), inputs, outputs, **ctx.EVENT)
        self.next_page.click(g(self.on_page(1)), inputs, outputs, **ctx.EVENT)
