"""The Glossary tab's *Candidates* view: mine glossary candidates from the open project and the translation
memory as a background job (:mod:`workbench.core.jobs`, with progress and cancel), review each candidate with
its examples in context, accept it (a new concept, or a translation added to a known one, every term marked
*needs review* with the source "mined from …") or reject it (remembered beside the glossary file and not
proposed again) (:mod:`workbench.glossary.mining`).
"""

from __future__ import annotations

import itertools

import gradio as gr

from ..core.errors import InputError
from ..core.jobs import JobRunner
from ..core.workflow import EDIT_GLOSSARY
from ..glossary.mining import MiningResult, mine
from ..glossary.mining_io import Rejections, accept, memory_pairs, project_pairs
from . import render
from .context import EditorContext

HEADERS = ["#", "EN", "Translation", "pairs", "score", "note"]
#: candidates listed at once (best first)
SHOWN = 300
#: pairs mined at most (the project's first, then the TM's): time and memory grow with them
MAX_PAIRS = 50_000
#: examples shown for the selected candidate
EXAMPLES = 5
#: Events run without a server-wide limit (one session's events stay in order: ``EditorContext.guard``).
EVENT = dict(api_visibility="undocumented", show_progress="hidden", concurrency_limit=None)


def mining_pairs(ctx: EditorContext, proj, lang: str, use_tm: bool) -> tuple[list, str]:
    """The pairs to mine for ``lang``: the project's confirmed/aligned translations, then the TM's pairs
    (each distinct pair once, :data:`MAX_PAIRS` at most). Returns ``(pairs, origin)``."""
    pairs = project_pairs(proj, lang) if lang in proj.target_langs else []
    origin = f"project {proj.name}"
    tm = memory_pairs(ctx.memory(), proj.source_lang, lang) if use_tm else iter(())
    if use_tm:
        origin += " and the translation memory"
    seen: set[tuple[str, str]] = set()
    out = []
    for p in itertools.chain(pairs, tm):
        if (p.source, p.target) not in seen:
            if len(out) >= MAX_PAIRS:
                origin += f" (the first {MAX_PAIRS:,} pairs)"
                break
            seen.add((p.source, p.target))
            out.append(p)
    return out, origin


# ------------------------------------------------------------------------------------------ HTML


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in spans:
        out.append(render.esc(text[pos:s]))
        out.append(f"<mark>{render.esc(text[s:e])}</mark>")
        pos = e
    out.append(render.esc(text[pos:]))
    return "".join(out)


def detail_html(result: MiningResult, cand) -> str:
    """A candidate with its figures and examples in context (both sides marked)."""
    km = " lang-km" if result.tgt_lang == "km" else ""
    head = (f"<div class='cand-head'><b>{render.esc(cand.source)}</b> = <b class='{km.strip()}'>"
            f"{render.esc(cand.target)}</b> <span class='muted'>· {render.esc(cand.count)} pairs together · "
            f"{render.esc(cand.source)} in {render.esc(cand.source_count)}, the translation in "
            f"{render.esc(cand.target_count)} · score {render.esc(f'{cand.score:.3f}')}</span></div>")
    note = f"<div class='cand-note'>{render.esc(cand.note)}</div>" if cand.note else ""
    rows = []
    for pair in result.examples(cand, EXAMPLES):
        ss, ts = result.spans(cand, pair)
        rows.append(f"<li><div>{_marked(pair.source, ss)}</div><div class='{km.strip()}'>{_marked(pair.target, ts)}"
                    f"</div><div class='muted'>{render.esc(pair.ref)}</div></li>")
    return f"<div id='cand-detail'>{head}{note}<ol class='cand-examples'>{''.join(rows)}</ol></div>"


def status_html(snap) -> str:
    if snap.state in ("queued", "running"):
        done = f"{snap.done:,}" + (f" of {snap.total:,}" if snap.total else "")
        pct = f" ({snap.fraction:.0%})" if snap.fraction is not None else ""
        eta = f", about {snap.eta_s:.0f} s left" if snap.eta_s is not None else ""
        return render.message(f"Mining candidates… {done} pairs read{pct}{eta}", "info")
    if snap.state == "failed":
        return render.error(snap.error or "Mining failed.")
    if snap.state == "cancelled":
        return render.message("Mining cancelled.", "info")
    return ""


# ------------------------------------------------------------------------------------------ the view


class CandidatesView:
    """Built inside the Glossary tab (:meth:`build`), wired by it (:meth:`wire`)."""

    def __init__(self, ctx: EditorContext, runner: JobRunner | None = None):
        self.ctx = ctx
        self.runner = runner or JobRunner(workers=1)

    def build(self) -> None:
        with gr.Accordion("Candidates: terms mined from the open project and the translation memory", open=False,
                          elem_id="c-acc"):
            with gr.Row(equal_height=True):
                self.lang = gr.Radio([("Russian", "ru"), ("Khmer", "km")], value="ru", label="Translations in",
                                     elem_id="c-lang")
                self.min_count = gr.Number(2, precision=0, minimum=1, label="Pairs at least", elem_id="c-min")
                self.use_tm = gr.Checkbox(True, label="Include the translation memory", elem_id="c-tm")
                self.run = gr.Button("Mine candidates", variant="primary", elem_id="c-run")
                self.cancel = gr.Button("Cancel", elem_id="c-cancel")
            self.status = gr.HTML("", elem_id="c-status")
            self.query = gr.Textbox("", label="Filter the candidates (Enter): words of the term or its translation",
                                    elem_id="c-query")
            self.timer = gr.Timer(1.0, active=False)
            self.table = gr.Dataframe(value={"headers": HEADERS, "data": []}, datatype="str", interactive=False,
                                      wrap=True, max_height=360, elem_id="c-table",
                                      label="Candidates, best first (click one to see it in context)")
            self.detail = gr.HTML("", elem_id="c-detail")
            with gr.Row():
                self.accept_btn = gr.Button("Accept: add to the glossary (marked needs review)", variant="primary",
                                            elem_id="c-accept")
                self.reject_btn = gr.Button("Reject: do not propose again", variant="stop", elem_id="c-reject")
            self.cstate = gr.State({})

    # -- helpers ---------------------------------------------------------------------------------------

    def _job(self, cstate: dict | None):
        job_id = (cstate or {}).get("job")
        return self.runner.get(job_id) if job_id else None

    def _result(self, cstate) -> MiningResult:
        job = self._job(cstate)
        if job is None or job.result is None:
            raise InputError("mine candidates first (Mine candidates), then choose one in the list")
        return job.result

    def _selected(self, cstate):
        result = self._result(cstate)
        key = tuple((cstate or {}).get("sel") or ())
        cand = next((c for c in result.candidates if c.key == key), None)
        if cand is None:
            raise InputError("choose a candidate in the list first")
        return result, cand

    def _table(self, result: MiningResult | None, query: str = "") -> dict:
        """The best :data:`SHOWN` candidates (those matching ``query``); ``#`` is the place in the whole list."""
        rows = []
        q = (query or "").strip().lower()
        if result is not None:
            for n, c in enumerate(result.candidates, start=1):
                if q and q not in c.source.lower() and q not in c.target.lower():
                    continue
                rows.append([str(n), c.source, c.target, str(c.count), f"{c.score:.3f}", c.note])
                if len(rows) >= SHOWN:
                    break
        return {"headers": HEADERS, "data": rows or [["", "(no candidates)", "", "", "", ""]]}

    def _summary(self, result: MiningResult) -> str:
        n = len(result.candidates)
        shown = f"; the best {SHOWN} are listed" if n > SHOWN else ""
        return render.message(f"{n} candidate{'s' if n != 1 else ''} from {len(result.pairs)} pairs of "
                              f"{result.origin}{shown}.")

    # -- callbacks -------------------------------------------------------------------------------------

    def on_run(self, state, cstate, lang, min_count, use_tm):
        proj = self.ctx.project(state)
        lang = lang or "ru"
        min_count = int(min_count or 2)
        old = self._job(cstate)
        if old is not None and old.snapshot().active:
            raise InputError("candidates are being mined already: wait for it or cancel it")
        src = proj.source_lang
        gloss_path = self.ctx.gloss.path

        def work(job):
            pairs, origin = mining_pairs(self.ctx, proj, lang, bool(use_tm))
            if not pairs:
                raise InputError(f"{proj.name}: no confirmed or aligned {lang} translations, and none in the "
                                 "translation memory: confirm or align some first")
            glossary = self.ctx.glossary()
            rejected = Rejections.beside(gloss_path).keys(src, lang)
            return mine(pairs, src, lang, glossary=glossary, min_count=min_count, rejected=rejected,
                        progress=job.progress, total=len(pairs), origin=origin)

        job = self.runner.submit("mine-terms", f"Mining {lang} candidates in {proj.name}", work, unit="pairs")
        return {self.cstate: {"job": job.id, "query": (cstate or {}).get("query", "")},
                self.timer: gr.Timer(active=True),
                self.status: render.message("Mining candidates…", "info"), self.detail: "",
                self.table: gr.update(value=self._table(None))}

    def on_filter(self, cstate, query):
        job = self._job(cstate)
        result = job.result if job is not None else None
        return {self.table: gr.update(value=self._table(result, query)), self.detail: "",
                self.cstate: {**(cstate or {}), "sel": None, "query": query or ""}}

    def on_tick(self, cstate):
        job = self._job(cstate)
        if job is None:
            return {self.timer: gr.Timer(active=False)}
        snap = job.snapshot()
        if snap.active:
            return {self.status: status_html(snap)}
        out = {self.timer: gr.Timer(active=False)}
        if snap.state == "done":
            out[self.status] = self._summary(job.result)
            out[self.table] = gr.update(value=self._table(job.result, (cstate or {}).get("query", "")))
        else:
            out[self.status] = status_html(snap)
        return out

    def on_cancel(self, cstate):
        job = self._job(cstate)
        if job is None or not job.cancel():
            return {self.status: render.message("Nothing is being mined.", "info")}
        return {self.status: render.message("Cancelling…", "info")}

    def on_select(self, evt: gr.SelectData, cstate):
        row = evt.row_value or []
        result = self._result(cstate)
        try:
            cand = result.candidates[int(row[0]) - 1]
        except (ValueError, IndexError, TypeError):
            return {}
        return {self.cstate: {**(cstate or {}), "sel": list(cand.key)}, self.detail: detail_html(result, cand)}

    def _drop(self, cstate, result: MiningResult, cand) -> dict:
        result.candidates = [c for c in result.candidates if c is not cand]
        return {self.cstate: {**(cstate or {}), "sel": None}, self.detail: "",
                self.table: gr.update(value=self._table(result, (cstate or {}).get("query", "")))}

    def on_accept(self, cstate):
        self.ctx.require(EDIT_GLOSSARY)  # reviewers and admins, once there are logins
        result, cand = self._selected(cstate)
        cid = self.ctx.gloss.change(lambda g: accept(g, cand, result.src_lang, result.tgt_lang, result.origin),
                                    note=f"ui: accept mined {cand.source} = {cand.target}", author=self.ctx.author())
        out = self._drop(cstate, result, cand)
        out[self.ctx.msg] = render.message(f"Added {cand.source} = {cand.target} to concept {cid} (marked needs "
                                           "review).")
        return out

    def on_reject(self, cstate):
        self.ctx.require(EDIT_GLOSSARY)
        result, cand = self._selected(cstate)
        Rejections.beside(self.ctx.gloss.path).add(cand, result.src_lang, result.tgt_lang)
        out = self._drop(cstate, result, cand)
        out[self.ctx.msg] = render.message(f"Rejected {cand.source} = {cand.target}: it will not be proposed "
                                           "again.")
        return out

    def wire(self, after_change: dict, refresh: dict) -> None:
        """``after_change``: run after the glossary changed (the editor re-checks terms); ``refresh``: the
        Glossary tab's table update (``.then`` keyword arguments)."""
        g, msg = self.ctx.guard, self.ctx.msg
        self.run.click(g(self.on_run), [self.ctx.state, self.cstate, self.lang, self.min_count, self.use_tm],
                       [self.cstate, self.timer, self.status, self.detail, self.table, msg], **EVENT)
        self.timer.tick(g(self.on_tick), [self.cstate], [self.timer, self.status, self.table, msg],
                        **EVENT)
        self.cancel.click(g(self.on_cancel), [self.cstate], [self.status, msg], **EVENT)
        self.query.submit(g(self.on_filter), [self.cstate, self.query], [self.table, self.detail, self.cstate, msg],
                          **EVENT)
        self.table.select(g(self.on_select), [self.cstate], [self.cstate, self.detail, msg], **EVENT)
        shown = [self.cstate, self.detail, self.table, msg]
        self.accept_btn.click(g(self.on_accept), [self.cstate], shown, **EVENT).then(**refresh).then(**after_change)
        self.reject_btn.click(g(self.on_reject), [self.cstate], shown, **EVENT)
