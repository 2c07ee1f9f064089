"""Background jobs in the editor: the jobs bar above the tabs, and the watcher a tab uses to show a job's result
when it is done.

The bar (one ``gr.HTML`` with server functions) lists the jobs running on the open project (anyone's: "rita:
Align RU 812/2000") and the caller's own recent ones, with progress, ETA and *Cancel* for the caller's own. Its
browser code asks every 2 s while something runs, every 10 s otherwise; a reload finds the jobs again (they
belong to the user's name, not to the page).

:class:`JobWatch` serves a tab whose job delivers something to show (an export's files, an alignment's review
list): the tab's button submits the job and switches a ``gr.Timer`` on; each tick looks at the job and, when it
has ended, shows the result and switches the timer off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from ..core.jobs import Job, JobSnapshot
from . import render
from .assets import read_static

#: Finished jobs stay in the bar this long (seconds).
SHOW_FINISHED_S = 180.0


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def job_html(snap: JobSnapshot, mine: bool) -> str:
    """One job as a line of the bar."""
    who = "" if mine else f"<b>{render.esc(snap.owner or 'someone')}</b>: "
    bar = ""
    count = ""
    if snap.total:
        pct = int(100 * (snap.fraction or 0))
        bar = f"<span class='wb-jbar'><span style='width:{pct}%'></span></span>"
        count = f" {snap.done}/{snap.total} {render.esc(snap.unit)}"
    elif snap.active:
        bar = "<span class='wb-jbar wb-jbusy'><span></span></span>"
    if snap.state == "running":
        tail = (f" · ETA {_clock(snap.eta_s)}" if snap.eta_s is not None else "") + f" · {_clock(snap.elapsed_s)}"
    elif snap.state == "queued":
        tail = " · waiting for a free worker"
    elif snap.state == "done":
        tail = " · done" + (f": {render.esc(snap.summary)}" if snap.summary else "")
    elif snap.state == "cancelled":
        tail = " · cancelled; what was finished is kept"
    else:
        tail = f" · failed: {render.esc(snap.error or '')}"
    cancel = (f"<button class='wb-jcancel' data-job='{render.esc(snap.id)}' title='stop it; what is done stays'>"
              "Cancel</button>" if mine and snap.active else "")
    dismiss = (f"<button class='wb-jdismiss' data-job='{render.esc(snap.id)}' title='hide'>×</button>"
               if not snap.active else "")
    msg = f" <span class='muted'>{render.esc(snap.message)}</span>" if snap.message and snap.active else ""
    return (f"<div class='wb-job st-{render.esc(snap.state)}' data-job='{render.esc(snap.id)}'>{cancel}{dismiss}"
            f"{who}<span class='wb-jtitle'>{render.esc(snap.title)}</span>{bar}"
            f"<span class='wb-jtail'>{render.esc(count)}{tail}{msg}</span></div>")


class JobsBar:
    """The jobs bar; built inside the header row by :meth:`EditorContext.build_header`."""

    def __init__(self, ctx):
        self.ctx = ctx

        def jobs(data: dict, request: gr.Request) -> dict:
            return self.listing(data or {}, request)

        def cancel_job(data: dict, request: gr.Request) -> dict:
            return self.cancel(data or {}, request)

        self.html = gr.HTML("", html_template="<div class='wb-jobs' aria-live='polite'></div>",
                            js_on_load=read_static("jobs.js"), server_functions=[jobs, cancel_job],
                            elem_id="wb-jobs", scale=2, min_width=200)

    def visible(self, user: str, project: str | None, dismissed: set[str]) -> list[tuple[JobSnapshot, bool]]:
        out = []
        for job in self.ctx.jobs.jobs():
            snap = job.snapshot()
            if snap.id in dismissed:
                continue
            mine = snap.owner == user
            if snap.active and (mine or (project and snap.ref == project)):
                out.append((snap, mine))
            elif not snap.active and mine and (snap.ended_ago_s or 0) < SHOW_FINISHED_S:
                out.append((snap, mine))
        return out

    def listing(self, data: dict, request) -> dict:
        user = self.ctx.user(request, data.get("author"))
        shown = self.visible(user, str(data.get("project") or "") or None,
                             {str(x) for x in (data.get("dismissed") or [])})
        return {"html": "".join(job_html(s, mine) for s, mine in shown),
                "active": sum(1 for s, _ in shown if s.active),
                "ended": [s.id for s, _ in shown if not s.active]}

    def cancel(self, data: dict, request) -> dict:
        user = self.ctx.user(request, data.get("author"))
        job = self.ctx.jobs.get(str(data.get("job") or ""))
        if job is None:
            return {"error": "that job is no longer known"}
        if job.owner != user:
            return {"error": f"only {job.owner} can cancel {job.title}"}
        job.cancel()
        return {"ok": True}


class JobWatch:
    """A ``gr.Timer`` that follows one job of a tab: ``start(job)`` (in the submitting event's outputs) turns it
    on; each tick calls ``on_done(job)`` once the job has ended, which returns the tab's updates."""

    def __init__(self, ctx, on_done: Callable[[Job, dict], dict], *, every: float = 1.0):
        self.ctx = ctx
        self.on_done = on_done
        self.timer = gr.Timer(every, active=False)
        self.job_id = gr.State("")

    def start(self, job: Job) -> dict:
        return {self.timer: gr.Timer(active=True), self.job_id: job.id}

    def tick(self, job_id: str, state: dict | None) -> dict[Any, Any]:
        job = self.ctx.jobs.get(job_id or "")
        if job is None:
            return {self.timer: gr.Timer(active=False)}
        if job.snapshot().active:
            return {self.job_id: gr.skip()}  # still running: nothing changes (an empty dict is not an update)
        out = dict(self.on_done(job, state or {}) or {})
        out[self.timer] = gr.Timer(active=False)
        out[self.job_id] = ""
        return out

    def wire(self, outputs: list, *, then_js: str | None = None) -> None:
        """``then_js``: browser code run once the job's result is shown (it gets no arguments)."""
        ev = self.timer.tick(self.ctx.guard(self.tick), [self.job_id, self.ctx.state],
                             [self.timer, self.job_id, self.ctx.msg, *outputs], **self.ctx.EVENT)
        if then_js:
            ev.then(None, [self.job_id], None, js=f"(job) => {{ if (!job) ({then_js})(); return []; }}")
