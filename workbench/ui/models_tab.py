"""The Models tab: every registered MT model per language pair (installed or not, size, backend, revision,
the one in use), Download from the Hugging Face Hub with progress and Cancel, Import of a model folder copied
onto the server, Convert to CTranslate2 int8, and the default per pair.

Downloads, imports and conversions are background jobs (:mod:`workbench.mt.manage` on a
:class:`~workbench.core.jobs.JobRunner`): editing goes on meanwhile, and a page reload finds them again. A
finished model is used at once. The Hub is probed when the tab opens (at most a few seconds); when it cannot be
reached the tab says so and shows how to bring a model in from another machine. Every action goes through
:func:`workbench.mt.manage.require_manage_models` (admins only once there are logins); others see the list.
"""

from __future__ import annotations

import time

import gradio as gr

from ..core.config import data_dir
from ..core.errors import InputError
from ..core.jobs import JobRunner, JobSnapshot
from ..mt import manage
from ..mt.pull import hub_status
from ..mt.registry import list_models
from . import model as M, render
from .context import EditorContext
from .render import esc

TAB_ID = "models"

STYLE = """<style>
#models-table table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
#models-table th, #models-table td { border-bottom: 1px solid var(--border-color-primary); padding: 3px 6px;
  text-align: left; vertical-align: top; }
#models-table tr.pair th { background: var(--background-fill-secondary); font-size: 1em; }
#models-table tr.in-use td { background: #e7f6ec; }
#models-table .muted, #models-jobs .muted, #models-hub .muted { color: var(--body-text-color-subdued); }
#models-hub .hub { padding: 6px 10px; border-radius: 6px; font-size: 0.92em; }
#models-hub .hub.on { background: #e7f6ec; } #models-hub .hub.off { background: #fff4e5; border: 1px solid #f0c27a; }
#models-hub ol { margin: 4px 0 0 1.2em; padding: 0; }
#models-jobs .job { padding: 4px 8px; margin: 4px 0; border-radius: 6px; background: var(--background-fill-secondary); }
#models-jobs .job.failed { background: #fdecec; } #models-jobs .job.done { background: #e7f6ec; }
#models-jobs progress { width: 100%; height: 0.9em; }
</style>"""


def human_bytes(n: float | None) -> str:
    if not n:
        return "0 B"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def human_eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    return f"about {round(seconds / 60)} min left"


def table_html(rows: list[manage.ModelRow]) -> str:
    """The registered models per language pair, the best published first."""
    head = ("<tr><th>Model</th><th>Installed</th><th>Size</th><th>Backend</th><th>Revision</th><th>In use</th>"
            "<th>Note</th></tr>")
    out = [STYLE, "<table>"]
    pair = None
    for r in rows:
        if r.pair != pair:
            pair = r.pair
            title = f"{manage.lang_name(r.src)} → {manage.lang_name(r.tgt)}"
            out.append(f"<tr class='pair'><th colspan='7'>{esc(title)}</th></tr>{head}")
        size = human_bytes(r.size_bytes) if r.installed else (f"{r.size_note} model" if r.size_note else "—")
        in_use = "✓ in use" + (" (chosen)" if r.chosen else "") if r.in_use else ("chosen" if r.chosen else "")
        cls = " class='in-use'" if r.in_use else ""
        out.append(f"<tr{cls} data-model='{esc(r.name)}' data-pair='{esc(r.src)}-{esc(r.tgt)}'>"
                   f"<td><b>{esc(r.name)}</b></td><td>{'yes' if r.installed else 'no'}</td><td>{esc(size)}</td>"
                   f"<td>{esc(r.backend or '—')}</td><td><code>{esc(r.revision or '—')}</code></td>"
                   f"<td>{esc(in_use)}</td><td class='muted'>{esc(r.note)}</td></tr>")
    out.append("</table>")
    return "".join(out)


def hub_html(status) -> str:
    if status is None:
        return f"{STYLE}<div class='hub'>Checking the Hugging Face Hub…</div>"
    if status.online:
        return (f"{STYLE}<div class='hub on'>Hugging Face Hub: reachable at {esc(status.endpoint)}. Download fetches "
                "a model, converts it to CTranslate2 int8 and uses it at once.</div>")
    best = next((e.hf_id for e in list_models() if e.hf_id), "Helsinki-NLP/opus-mt-tc-big-en-zle")
    folder = best.rsplit("/", 1)[-1]
    incoming = data_dir() / "incoming" / folder
    return (f"{STYLE}<div class='hub off'><b>Hugging Face Hub: not reachable</b> — {esc(status.reason)}. "
            "Models cannot be downloaded from here; bring one in from another machine:<ol>"
            f"<li>On a machine with internet: <code>hf download {esc(best)} --local-dir {esc(folder)}</code> (or "
            f"download {esc(manage.FOLDER_FILES)} from the model's page on the Hub).</li>"
            f"<li>Copy that folder onto this server, for example to <code>{esc(incoming)}</code>.</li>"
            "<li>Type the folder's path under <b>Import a model folder</b> below and press <b>Import</b>: it is "
            "copied, converted to CTranslate2 int8 and used at once.</li></ol></div>")


def job_html(s: JobSnapshot) -> str:
    cls = s.state
    line = f"<div><b>{esc(s.title)}</b> <span class='muted'>· {esc(s.state)}</span></div>"
    body = ""
    if s.state in ("queued", "running") and s.total:
        pct = (s.fraction or 0.0) * 100
        speed = s.done / s.elapsed_s if s.elapsed_s > 0.5 and s.done else None
        parts = [f"{human_bytes(s.done)} of {human_bytes(s.total)} ({pct:.0f}%)"]
        if speed and s.done < s.total:
            parts.append(f"{human_bytes(speed)}/s")
        if s.eta_s is not None:
            parts.append(human_eta(s.eta_s))
        body = (f"<progress max='1' value='{(s.fraction or 0):.4f}'></progress>"
                f"<div class='bytes'>{esc(' · '.join(parts))}</div>")
    elif s.state in ("queued", "running"):
        body = "<progress></progress>"
    note = s.error if s.error else s.message
    if s.state == "done":
        note = "Installed and in use." if s.kind == manage.JOB_KIND else note
    return (f"<div class='job {cls}' data-job='{esc(s.id)}' data-state='{esc(s.state)}'>{line}{body}"
            f"<div class='muted note'>{esc(note or '')}</div></div>")


# -- what other tabs show about missing models -------------------------------------------------------------


#: The label of a target's Machine-translate button when no model translates into its language.
NO_MODEL_LABEL = "Get an MT model"


class ModelsTab:
    """Built inside the app's Blocks; ``runner``: the server's job runner (one is made when not given)."""

    def __init__(self, ctx: EditorContext, runner: JobRunner | None = None):
        self.ctx = ctx
        self.runner = runner or getattr(ctx, "jobs", None) or JobRunner(workers=1)
        self.jobs = manage.ModelJobs(self.runner)

    # -- layout ----------------------------------------------------------------------------------------

    def build(self) -> None:
        names = [e.name for e in list_models()]
        self.hub = gr.HTML(hub_html(None), elem_id="models-hub")
        self.table = gr.HTML("", elem_id="models-table")
        self.job_box = gr.HTML("", elem_id="models-jobs")
        with gr.Column(elem_id="models-actions") as self.actions:
            self._build_actions(names)
        self.timer = gr.Timer(1.0, active=False)
        self.seen = gr.State("")

    def _build_actions(self, names: list[str]) -> None:
        with gr.Row(equal_height=True):
            self.pick = gr.Dropdown(names, value=names[0] if names else None, label="Model", scale=3,
                                    elem_id="models-pick")
            self.download = gr.Button("Download", variant="primary", scale=0, min_width=110,
                                      elem_id="models-download")
            self.convert = gr.Button("Convert to CTranslate2 int8", scale=0, min_width=200, elem_id="models-convert")
            self.use = gr.Button("Use for its languages", scale=0, min_width=170, elem_id="models-default")
        self.cancel = gr.Button("Cancel", size="sm", visible=False, elem_id="models-cancel")
        with gr.Group():
            gr.HTML("<b>Import a model folder</b> <span class='muted'>(a Marian model copied onto this server: "
                    f"{esc(manage.FOLDER_FILES)})</span>")
            with gr.Row(equal_height=True):
                self.folder = gr.Textbox("", label="Folder on this server", scale=4, elem_id="models-folder")
                self.imp_name = gr.Dropdown(names, value=None, allow_custom_value=True, scale=3,
                                            label="Register as (empty: from the folder name)",
                                            elem_id="models-import-name")
            with gr.Row(equal_height=True):
                self.imp_langs = gr.CheckboxGroup([(M.lang_name(l), l) for l in M.TARGETS], value=[],
                                                  label="Target languages (empty: from the registry or the "
                                                        "vocabulary)", scale=3, elem_id="models-import-langs")
                self.imp_copy = gr.Checkbox(True, label="Copy into the workbench data folder", scale=2,
                                            elem_id="models-import-copy")
                self.imp_go = gr.Button("Import", scale=0, min_width=110, elem_id="models-import")

    # -- what is shown ---------------------------------------------------------------------------------

    def model_jobs(self) -> list[JobSnapshot]:
        """The active model jobs, then the last three that ended (newest first)."""
        snaps = [j.snapshot() for j in self.jobs.jobs()]
        return [s for s in snaps if s.active] + [s for s in snaps if not s.active][-3:][::-1]

    def jobs_view(self) -> tuple[str, bool, str]:
        """(HTML, whether a job is active, a signature that changes when a job starts or ends)."""
        snaps = self.model_jobs()
        html = STYLE + "".join(job_html(s) for s in snaps)
        active = any(s.active for s in snaps)
        return html, active, ";".join(f"{s.id}:{s.state}" for s in snaps)

    def refresh(self, seen: str | None = None) -> dict:
        """The jobs, and the table when ``seen`` (the jobs signature the page shows) is None or outdated."""
        html, active, sig = self.jobs_view()
        out = {self.job_box: html, self.cancel: gr.update(visible=active), self.timer: gr.Timer(active=active),
               self.seen: sig}
        if seen is None or sig != seen:
            out[self.table] = table_html(manage.model_rows())
            names = [e.name for e in list_models()]  # an import may have added one
            out[self.pick] = gr.update(choices=names)
            out[self.imp_name] = gr.update(choices=names)
        return out

    # -- events ----------------------------------------------------------------------------------------

    def _allowed(self, state) -> str:
        user = self.ctx.author(state)
        manage.require_manage_models(user)
        return user

    def on_open(self, state, seen):
        """The tab is shown (or the page loaded): the table and the jobs at once; the actions only for those
        who may manage models."""
        out = self.refresh()
        out[self.actions] = gr.update(visible=manage.may_manage_models(self.ctx.author(state)))
        return out

    def on_probe(self):
        return {self.hub: hub_html(hub_status())}

    def on_tick(self, seen):
        return self.refresh(seen)

    def on_download(self, state, name, seen):
        user = self._allowed(state)
        if not name:
            raise InputError("choose a model to download")
        job = self.jobs.download(name, owner=user)
        out = self.refresh(seen)
        out[self.ctx.msg] = render.message(f"{job.title}: started; you can go on editing meanwhile.", "info")
        return out

    def on_convert(self, state, name, seen):
        user = self._allowed(state)
        job = self.jobs.convert(name, owner=user)
        out = self.refresh(seen)
        out[self.ctx.msg] = render.message(f"{job.title}: started.", "info")
        return out

    def on_use(self, state, name, seen):
        self._allowed(state)
        entry = manage.make_default(name)
        out = self.refresh()
        langs = ", ".join(f"{manage.lang_name(entry.src)}→{manage.lang_name(t)}" for t in entry.tgt)
        out[self.ctx.msg] = render.message(f"{entry.name} is now used for {langs}.")
        return out

    def on_import(self, state, folder, name, langs, copy, seen):
        user = self._allowed(state)
        job = self.jobs.import_folder(folder, name=name or None, tgts=list(langs or []) or None, copy=bool(copy),
                                      owner=user)
        out = self.refresh(seen)
        out[self.ctx.msg] = render.message(f"{job.title}: started.", "info")
        return out

    def on_cancel(self, state, seen):
        self._allowed(state)
        stopped = [j.title for j in self.jobs.jobs(active=True) if j.cancel()]
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and self.jobs.jobs(active=True):
            time.sleep(0.1)
        out = self.refresh(seen)
        out[self.ctx.msg] = render.message(("Cancelled: " + ", ".join(stopped) + ". What was downloaded is kept "
                                            "for the next try.") if stopped else "Nothing to cancel.", "info")
        return out

    def close(self) -> None:
        """Stop this tab's own job runner (cancelling what runs); a shared one is left to its owner."""
        if self.runner is not getattr(self.ctx, "jobs", None):
            self.runner.shutdown(cancel=True, wait=False)

    # -- wiring ----------------------------------------------------------------------------------------

    def wire(self, tab, blocks) -> None:
        ctx, g = self.ctx, self.ctx.guard
        quick = dict(api_visibility="undocumented", show_progress="hidden", concurrency_limit=None)
        view = [self.job_box, self.cancel, self.timer, self.seen, self.table, self.pick, self.imp_name]
        tab.select(g(self.on_open), [ctx.state, self.seen], view + [self.actions, ctx.msg], **quick).then(
            g(self.on_probe), None, [self.hub, ctx.msg], **quick)
        blocks.load(g(self.on_open), [ctx.state, self.seen], view + [self.actions, ctx.msg], **quick)
        self.timer.tick(g(self.on_tick), [self.seen], view + [ctx.msg], **quick)
        acts = quick  # actions only start jobs (the registry has one writer at a time): nobody waits
        self.download.click(g(self.on_download), [ctx.state, self.pick, self.seen], view + [ctx.msg],
                            api_name="ui_model_download", **acts)
        self.convert.click(g(self.on_convert), [ctx.state, self.pick, self.seen], view + [ctx.msg],
                           api_name="ui_model_convert", **acts)
        self.use.click(g(self.on_use), [ctx.state, self.pick, self.seen], view + [ctx.msg],
                       api_name="ui_model_default", **acts)
        self.imp_go.click(g(self.on_import), [ctx.state, self.folder, self.imp_name, self.imp_langs, self.imp_copy,
                                              self.seen], view + [ctx.msg], api_name="ui_model_import", **acts)
        self.cancel.click(g(self.on_cancel), [ctx.state, self.seen], view + [ctx.msg], api_name="ui_model_cancel",
                          **quick)
