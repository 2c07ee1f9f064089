"""The Gradio editor: layout and callbacks. A thin shell over :mod:`workbench.ui.model` and the store.

Per browser tab, a ``gr.State`` remembers the open project, the current segment and the *version* of each
target as it was loaded; every save passes that version to ``Project.set_translation(expected_version=...)``,
so a stale tab's save is refused (VersionConflict) and the typed text stays in its box.

Every callback is wrapped by :func:`guard`: a :class:`~workbench.errors.WorkbenchError` becomes a one-line
message, anything else a short generic message (details go to the server log), never a traceback.

Public API endpoints (``gradio_client``): ``/list_projects``, ``/create_project``, ``/segments``,
``/segment``, ``/save``, ``/confirm``, ``/history``, ``/undo``, ``/split``, ``/merge``.
"""

import functools
import html
import logging
import os
from pathlib import Path
from typing import Any

import gradio as gr

from .. import LANGUAGES
from ..core.errors import InputError, NotFound, VersionConflict, WorkbenchError
from ..core.store import CONFIRMED, STATUSES, Project, Segment
from . import assets
from . import model as M

log = logging.getLogger("workbench.ui")

TARGETS = [code for code in LANGUAGES if code != "en"]  # the editor has a box for each; hidden if unused
HIST_HEADERS = ["when (UTC)", "lang", "change", "by", "text"]
PROJ_HEADERS = ["name", "segments", "confirmed", "file"]


# ----------------------------------------------------------------------------------------- messages


def _msg(text: str, kind: str = "ok") -> str:
    return f'<div class="msg {kind}">{html.escape(text)}</div>'


def err(text: str) -> str:
    return _msg(text, "err")


def _esc(text: Any) -> str:
    return html.escape(str(text if text is not None else ""))


def _qa_settings(proj: Project):
    from .. import qa

    try:
        return qa.project_settings(proj)
    except WorkbenchError as exc:  # broken stored settings: check with the defaults, say so in the log
        log.warning("%s: QA settings ignored (%s)", proj.path, exc)
        return None


def _widths(n_targets: int) -> list[str]:
    text = (92 - 10 * n_targets) / (n_targets + 1)  # #, ¶ take 8%; each status 10%
    return ["4%", "3%", f"{text:.0f}%"] + [f"{text:.0f}%", "10%"] * n_targets


def _loaded(state: dict, sid: int, lang: str) -> list | None:
    """``[version, text, status]`` of a target as this tab last loaded or saved it."""
    return ((state or {}).get("loaded") or {}).get(f"{sid}:{lang}")


def _remember(state: dict, tr) -> None:
    loaded = dict(state.get("loaded") or {})
    key = f"{tr.segment_id}:{tr.lang}"
    loaded.pop(key, None)
    loaded[key] = [tr.version, tr.text, tr.status]
    while len(loaded) > 64:  # only recent segments matter
        loaded.pop(next(iter(loaded)))
    state["loaded"] = loaded


# ------------------------------------------------------------------------------------------- the app


class EditorApp:
    """Builds the Blocks for one :class:`~workbench.ui.model.Workspace` and a default project."""

    def __init__(self, workspace: M.Workspace, default_project: str | os.PathLike | None = None, *,
                 tm_path: str | os.PathLike | None = None, glossary_path: str | os.PathLike | None = None):
        from ..core.config import data_dir
        from .gloss import GlossaryStore

        self.gloss = GlossaryStore(glossary_path)
        self.ws = workspace
        self.default = str(Path(default_project).resolve()) if default_project else None
        self.tm_path = Path(tm_path) if tm_path else data_dir() / "tm.db"
        self._tm = None
        self.blocks = self._build()

    def memory(self):
        """The translation memory (opened on first use; thread-safe like the store)."""
        if self._tm is None:
            from ..tm.memory import TranslationMemory

            self._tm = TranslationMemory.open(self.tm_path)
        return self._tm

    def close(self) -> None:
        """Stop the server and close the project and TM files."""
        try:
            self.blocks.close()
        finally:
            self.ws.close_all()
            if self._tm is not None:
                self._tm.close()
                self._tm = None

    def tm_matches(self, proj: Project, seg: Segment, lang: str, limit: int = 3) -> list:
        tr = seg.translations.get(lang)
        try:
            hits = self.memory().lookup(seg.source, proj.source_lang, lang, min_score=60, limit=limit + 1)
        except WorkbenchError as exc:
            log.warning("TM lookup failed: %s", exc)
            return []
        # the segment's own confirmed text, fed to the TM, is not a suggestion
        return [h for h in hits if not (tr and h.source == seg.source and h.target == tr.text)][:limit]

    def glossary(self):
        """The glossary, or None (logged) when its file is missing or broken: the editor still works."""
        try:
            return self.gloss.get()
        except WorkbenchError as exc:
            log.warning("glossary unavailable: %s", exc)
            return None

    def problems_fn(self, proj: Project):
        settings = _qa_settings(proj)
        glossary = self.glossary()
        return lambda seg, lang: M.segment_problems(seg, lang, proj.source_lang, settings, glossary)

    def _source_terms(self, proj: Project, seg: Segment) -> list:
        """The source split into (text, concept-or-None) chunks for the highlighted source view."""
        g = self.glossary()
        hits = []
        if g is not None:
            try:
                hits = sorted(g.find_terms(seg.source, proj.source_lang), key=lambda h: (h.start, -h.end))
            except WorkbenchError as exc:
                log.warning("term lookup failed: %s", exc)
        out, pos = [], 0
        for h in hits:
            if h.start < pos:
                continue
            if h.start > pos:
                out.append((seg.source[pos:h.start], None))
            out.append((seg.source[h.start:h.end], h.concept_id))
            pos = h.end
        if pos < len(seg.source):
            out.append((seg.source[pos:], None))
        return out

    def shown(self, proj: Project, segs: list[Segment], flt: M.Filter) -> list[Segment]:
        if not flt.active():
            return segs
        return M.filter_segments(segs, flt, proj.target_langs, self.problems_fn(proj) if flt.qa_only else None)

    # -- helpers -------------------------------------------------------------------------------------

    def guard(self, fn):
        """Turn errors into a message in the status line (and nothing else changes)."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except VersionConflict as exc:
                return {self.msg: err(f"Not saved: {exc}. Your text is still in the box: copy it, then press "
                                      "Reload segment.")}
            except WorkbenchError as exc:
                return {self.msg: err(str(exc))}
            except Exception:  # a bug: keep the UI usable, log the details
                log.exception("editor callback %s failed", fn.__name__)
                return {self.msg: err("Something went wrong; nothing was lost. Details are in the server log.")}

        return wrapper

    @staticmethod
    def _first_unconfirmed(proj: Project, flt: M.Filter) -> int | None:
        """Where to start work: the first segment (that the filter shows) with an unconfirmed target in the
        filter's language (any target if none), else the first segment."""
        segs = proj.segments()
        langs = proj.target_langs if flt.lang in ("all", "", None) else [flt.lang]
        for seg in (M.filter_segments(segs, flt, proj.target_langs) if flt.active() else segs):
            if any(seg.translations[l].status not in CONFIRMED for l in langs if l in seg.translations):
                return seg.id
        return segs[0].id if segs else None

    def _proj(self, state: dict) -> Project:
        return self.ws.project((state or {}).get("project") or self.default or "")

    @staticmethod
    def _filter(status, origin, lang, query, scope, qa_only) -> M.Filter:
        return M.Filter(status or "all", origin or "all", lang or "all", query or "", scope or "source and target",
                        bool(qa_only))

    def _grid(self, proj: Project, segs: list[Segment], shown: list[Segment], page: int) -> dict:
        pages = M.page_count(len(shown))
        page = min(max(0, page), pages - 1)
        lo = page * M.PAGE_SIZE
        part = shown[lo:lo + M.PAGE_SIZE]
        headers = M.grid_headers(proj)
        rows = [M.grid_row(s, proj.target_langs) for s in part]
        if not rows:
            rows = [["", "", "(no segment matches the filter)"] + [""] * (len(headers) - 3)]
        if shown:
            info = f"Segments {lo + 1}–{lo + len(part)} of {len(shown)}"
        else:
            info = "No segment matches"
        if len(shown) != len(segs):
            info += f" (filtered from {len(segs)})"
        info += f" · page {page + 1}/{pages}"
        return {
            self.grid: gr.update(value={"headers": headers, "data": rows}, column_widths=_widths(len(proj.target_langs))),
            self.page_info: _esc(info),
        }, page

    def _panel(self, proj: Project, seg: Segment) -> str:
        settings = _qa_settings(proj)
        parts = []
        for lang in proj.target_langs:
            tr = seg.translations.get(lang)
            if tr is None:
                continue
            items = []
            meta = tr.meta or {}
            if meta.get("mt"):
                mt = meta["mt"]
                flags = ", ".join(mt.get("flags") or [])
                items.append(f"MT: {_esc(mt.get('model', '?'))}" + (f" <span class='bad'>({_esc(flags)})</span>" if flags else ""))
            if meta.get("tm"):
                items.append(f"from TM: {_esc(meta['tm'].get('match'))}% ({_esc(meta['tm'].get('tm', 'TM'))})")
            if meta.get("align"):
                al = meta["align"]
                items.append(f"aligned, confidence {_esc(al.get('confidence'))}" + (" — check this link" if al.get("review") else ""))
            items += self._term_items(proj, seg, tr)
            for p in M.qa_problems(tr):
                if not p.startswith(("term missing", "forbidden term")):  # the live term check shows these
                    items.append(f"<span class='bad'>⚠ {_esc(p)}</span>")
            for f in M.live_findings(seg, lang, proj.source_lang, settings):
                cls = "bad" if f.severity in ("error", "warning") else "muted"
                items.append(f"<span class='{cls} qa-{_esc(f.code)}'>QA {_esc(f.severity)}: {_esc(f.message)}</span>")
            for h in self.tm_matches(proj, seg, lang):
                items.append(f"<span class='tm-hit'><b>TM {h.score:.0f}%</b> {_esc(h.target)}"
                             f" <span class='muted'>← {_esc(h.source)} ({_esc(h.tm)})</span></span>")
            if not items:
                items.append("<span class='muted'>no notes, no TM match, no QA finding</span>")
            parts.append(f"<h4>{_esc(M.lang_name(lang))}</h4><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        return "<div class='panel'>" + "".join(parts) + "</div>"

    def _term_items(self, proj: Project, seg: Segment, tr) -> list[str]:
        """Glossary terms of the source with the expected target term, and whether the target complies
        (checked now against the current glossary, so glossary edits show at once)."""
        g = self.glossary()
        if g is None:
            return []
        try:
            rep = g.check(seg.source, tr.text, proj.source_lang, tr.lang)
        except WorkbenchError as exc:
            return [f"<span class='bad'>glossary check failed: {_esc(exc)}</span>"]
        found = {(i["concept"], i.get("start")) for i in rep.found}
        out = []
        empty = not tr.text.strip()
        for item in rep.expected:
            arrow = f"{_esc(item['source'])} → <b>{_esc(item['target'])}</b>"
            review = " <span class='muted'>(term needs review)</span>" if item.get("needs_review") else ""
            if empty:
                out.append(f"<span class='term term-expected'>term: {arrow}{review}</span>")
            elif (item["concept"], item.get("start")) in found:
                out.append(f"<span class='ok term term-ok'>✓ term: {arrow}</span>")
            else:
                out.append(f"<span class='bad term term-missing'>✗ term missing: {arrow}{review}</span>")
        for item in list(rep.forbidden) + list(getattr(rep, "deprecated", []) or []):
            out.append(f"<span class='bad term term-bad'>⚠ {_esc(item.get('message') or M._term_text(item))}</span>")
        return out

    def _render(self, proj: Project, state: dict, flt: M.Filter, seg_id: int | None, *, msg: str | None = None,
                page: int | None = None, segs: list[Segment] | None = None) -> dict:
        """Everything the editor shows, for segment ``seg_id`` (the grid goes to the page holding it)."""
        segs = proj.segments() if segs is None else segs
        shown = self.shown(proj, segs, flt)
        by_id = {s.id: s for s in segs}
        if seg_id not in by_id:
            seg_id = shown[0].id if shown else (segs[0].id if segs else None)
        if page is None:
            page = M.page_of(seg_id, shown)
            if page is None:
                page = (state or {}).get("page", 0)
        out, page = self._grid(proj, segs, shown, page)
        new_state = {"project": str(proj.path.resolve()), "author": (state or {}).get("author") or "user",
                     "seg": seg_id, "page": page, "loaded": dict((state or {}).get("loaded") or {})}
        seg = by_id.get(seg_id)
        summary = M.project_summary(proj)
        out[self.proj_head] = (f"<b>{_esc(proj.name)}</b> <span class='muted'>· {_esc(M.progress_text(summary))}"
                               f" · {_esc(proj.path.name)}</span>")
        out[self.cur] = str(seg.id) if seg else ""
        if seg is None:
            out[self.seg_head] = "<span class='muted'>This project has no segments.</span>"
            out[self.src] = ""
        else:
            pos = [s.id for s in segs].index(seg.id) + 1
            out[self.seg_head] = (f"<div class='seg-head' data-seg='{seg.id}'>Segment #{seg.id} <span class='muted'>· {pos} of {len(segs)}"
                                  f" · paragraph {seg.paragraph}</span></div>")
            out[self.src] = seg.source
            out[self.src_terms] = self._source_terms(proj, seg)
            out[self.panel] = self._panel(proj, seg)
            out[self.hist] = gr.update(value={"headers": HIST_HEADERS, "data": M.history_rows(proj, seg.id) or
                                              [["", "", "", "", "(no changes yet)"]]})
        for lang in TARGETS:
            box, info, st, grp = self.boxes[lang], self.infos[lang], self.stats[lang], self.groups[lang]
            used = lang in proj.target_langs
            out[grp] = gr.update(visible=used)
            tr = seg.translations.get(lang) if (seg and used) else None
            if tr is None:
                out[box], out[info], out[st] = "", "", "new"
                continue
            _remember(new_state, tr)
            out[box] = tr.text
            out[st] = tr.status
            out[info] = self._info_html(tr)
        out[self.state] = new_state
        if msg is not None:
            out[self.msg] = msg
        return out

    @staticmethod
    def _info_html(tr) -> str:
        cls = "confirmed" if tr.confirmed else ("new" if tr.status == "new" else "")
        when = f" · v{tr.version}" + (f" · {tr.updated_by} {tr.updated_at}" if tr.updated_at else "")
        return (f"<div class='tgt-info'><span class='badge {cls}'>{_esc(M.status_label(tr))}</span>"
                f"<span class='muted'>{_esc(when)}</span></div>")

    def _save_dirty(self, proj: Project, state: dict, sid: int | None, texts: list, statuses: list, *,
                    confirm_lang: str | None = None, only: str | None = None) -> list[str]:
        """Save every target of segment ``sid`` whose text or status differs from what this tab loaded.

        ``sid``, ``texts`` and ``statuses`` come together from the browser (one snapshot), the loaded versions
        from the session state, so a save can never land on another segment than the one it was typed in.
        """
        saved: list[str] = []
        if sid is None:
            return saved
        order = [l for l in TARGETS if l != confirm_lang] + ([confirm_lang] if confirm_lang else [])
        for lang in order:
            if lang not in proj.target_langs or (only and lang != only):
                continue
            rec = _loaded(state, sid, lang)
            if rec is None:  # never shown in this tab: nothing of it can have been typed here
                continue
            i = TARGETS.index(lang)
            text, status = texts[i] or "", statuses[i] or rec[2]
            confirm = lang == confirm_lang
            if not confirm and text == rec[1] and status == rec[2]:
                continue
            tr = M.save_edit(proj, sid, lang, text, status=status, expected_version=rec[0], confirm=confirm,
                             author=state.get("author") or "user")
            if tr is not None:
                saved.append(lang.upper())
            _remember(state, tr or proj.translation(sid, lang))
        return saved

    # -- callbacks -----------------------------------------------------------------------------------

    def _split_args(self, args):
        """``[cur, *texts, *statuses, *filters]`` -> (segment id shown in the browser, texts, statuses, filters)."""
        n = len(TARGETS)
        cur = args[0]
        try:
            sid = int(cur) if cur not in (None, "") else None
        except (TypeError, ValueError):
            sid = None
        rest = args[1:]
        return sid, list(rest[:n]), list(rest[n:2 * n]), list(rest[2 * n:2 * n + 6])

    def on_load(self, state, *filters):
        state = dict(state or {})
        if not state.get("project"):
            if not self.default:
                avail = self.ws.available()
                if not avail:
                    return {self.msg: _msg("No project yet: create one in the Projects tab.", "info"),
                            self.proj_list: gr.update(value=self._projects_table())}
                self.default = str(avail[0])
            state["project"] = self.default
        proj = self._proj(state)
        flt = self._filter(*filters)
        out = self._render(proj, state, flt, state.get("seg") or self._first_unconfirmed(proj, flt))
        out[self.proj_list] = gr.update(value=self._projects_table())
        out[self.proj_pick] = gr.update(choices=self._project_choices(), value=str(proj.path.resolve()))
        try:
            out.update(self._gtable(""))
        except WorkbenchError as exc:
            out[self.g_info] = _esc(str(exc))
        return out

    def on_select(self, evt: gr.SelectData, state, *args):
        sid, texts, statuses, filters = self._split_args(args)
        proj = self._proj(state)
        row = evt.row_value or []
        try:
            target = int(row[0])
        except (ValueError, TypeError, IndexError):
            return {}
        state = dict(state)
        saved = self._save_dirty(proj, state, sid, texts, statuses)
        note = _msg(f"Saved {', '.join(saved)} of segment #{sid}.") if saved else None
        return self._render(proj, state, self._filter(*filters), target, msg=note, page=state.get("page"))

    def on_nav(self, step: int):
        def nav(state, *args):
            sid, texts, statuses, filters = self._split_args(args)
            proj = self._proj(state)
            state = dict(state)
            flt = self._filter(*filters)
            saved = self._save_dirty(proj, state, sid, texts, statuses)
            segs = proj.segments()
            shown = self.shown(proj, segs, flt)
            target = M.neighbour(shown, sid, step)
            note = _msg(f"Saved {', '.join(saved)} of segment #{sid}.") if saved else None
            if target is None:
                note = _msg("This is the " + ("last" if step > 0 else "first") + " segment.", "info")
                target = sid
            return self._render(proj, state, flt, target, msg=note, segs=segs)
        nav.__name__ = f"nav_{step}"
        return nav

    def _need(self, sid):
        if sid is None:
            raise NotFound("no segment is open: click a row in the grid")
        return sid

    def on_save(self, lang: str):
        def save(state, *args):
            sid, texts, statuses, filters = self._split_args(args)
            proj = self._proj(state)
            state = dict(state)
            self._need(sid)
            saved = self._save_dirty(proj, state, sid, texts, statuses)
            note = (_msg(f"Saved {', '.join(saved)} of segment #{sid}.") if saved
                    else _msg("No changes to save.", "info"))
            return self._render(proj, state, self._filter(*filters), sid, msg=note, page=state.get("page"))
        save.__name__ = f"save_{lang}"
        return save

    def on_autosave(self, lang: str):
        """Leaving a target box saves it at once. Only that target's badge, the grid and the state change:
        the other boxes keep whatever is being typed there."""
        def autosave(state, *args):
            sid, texts, statuses, filters = self._split_args(args)
            proj = self._proj(state)
            state = dict(state or {})
            if not self._save_dirty(proj, state, sid, texts, statuses, only=lang):
                return {self.state: state}
            tr = proj.translation(sid, lang)
            flt = self._filter(*filters)
            segs = proj.segments()
            shown = self.shown(proj, segs, flt)
            out, _ = self._grid(proj, segs, shown, state.get("page", 0))
            if state.get("seg") == sid:  # still showing that segment
                out[self.infos[lang]] = self._info_html(tr)
                out[self.stats[lang]] = tr.status
            out[self.state] = state
            out[self.msg] = _msg(f"Saved {lang.upper()} of segment #{sid}.")
            return out
        autosave.__name__ = f"autosave_{lang}"
        return autosave

    def on_confirm(self, lang: str):
        def confirm(state, *args):
            sid, texts, statuses, filters = self._split_args(args)
            proj = self._proj(state)
            state = dict(state)
            self._need(sid)
            self._save_dirty(proj, state, sid, texts, statuses, confirm_lang=lang)
            try:  # every confirmed pair goes to the TM at once (the project's own memory)
                self.memory().add_segment(proj, sid)
            except WorkbenchError as exc:
                log.warning("could not add segment %s to the TM: %s", sid, exc)
            flt = self._filter(*filters)
            segs = proj.segments()
            allowed = {s.id for s in self.shown(proj, segs, flt)} if flt.active() else None
            nxt = M.next_unconfirmed(segs, sid, lang, allowed=allowed)
            if nxt is None:
                return self._render(proj, state, flt, sid, segs=segs, msg=_msg(
                    f"Segment #{sid} {lang.upper()} confirmed. Every {M.lang_name(lang)} segment"
                    f"{' in this filter' if allowed is not None else ''} is confirmed."))
            return self._render(proj, state, flt, nxt, segs=segs,
                                msg=_msg(f"Segment #{sid} {lang.upper()} confirmed → #{nxt}."))
        confirm.__name__ = f"confirm_{lang}"
        return confirm

    def on_undo(self, lang: str):
        def undo(state, *args):
            sid, texts, statuses, filters = self._split_args(args)
            proj = self._proj(state)
            state = dict(state)
            self._need(sid)
            rec = _loaded(state, sid, lang)
            proj.undo(sid, lang, expected_version=rec[0] if rec else None, author=state.get("author") or "user")
            return self._render(proj, state, self._filter(*filters), sid,
                                msg=_msg(f"Undid the last change of segment #{sid} {lang.upper()}."),
                                page=state.get("page"))
        undo.__name__ = f"undo_{lang}"
        return undo

    def on_copy_source(self, lang: str):
        def copy(state, cur):
            proj = self._proj(state)
            sid = self._need(self._split_args([cur])[0])
            return {self.boxes[lang]: proj.segment(sid).source,
                    self.msg: _msg("Copied the source into the box (not saved yet).", "info")}
        copy.__name__ = f"copy_{lang}"
        return copy

    def on_use_tm(self, lang: str):
        def use(state, cur):
            proj = self._proj(state)
            sid = self._need(self._split_args([cur])[0])
            hits = self.tm_matches(proj, proj.segment(sid), lang, limit=1)
            if not hits:
                return {self.msg: _msg(f"No TM match of 60% or more for segment #{sid} ({lang.upper()}).", "info")}
            return {self.boxes[lang]: hits[0].target,
                    self.msg: _msg(f"Inserted the {hits[0].score:.0f}% TM match (not saved yet).", "info")}
        use.__name__ = f"use_tm_{lang}"
        return use

    def on_mt(self, lang: str):
        def mt(state, *args):
            sid, texts, statuses, filters = self._split_args(args)
            proj = self._proj(state)
            state = dict(state)
            self._need(sid)
            self._save_dirty(proj, state, sid, texts, statuses)  # typed text is saved (and undoable) first
            rec = _loaded(state, sid, lang)
            from ..mt.project import translate_segment

            tr = translate_segment(proj, sid, lang, glossary=self.glossary(), author=state.get("author") or "user",
                                   expected_version=rec[0] if rec else None)
            return self._render(proj, state, self._filter(*filters), sid, page=state.get("page"),
                                msg=_msg(f"Machine-translated segment #{sid} {lang.upper()} with "
                                         f"{tr.meta.get('mt', {}).get('model', 'MT')} (Undo restores the previous text)."))
        mt.__name__ = f"mt_{lang}"
        return mt

    def on_mt_all(self, state, cur, langs, *filters, progress=gr.Progress()):
        """Pre-translate every still-empty, unconfirmed target: TM first, then MT with the glossary
        (``workbench.pretranslate``)."""
        from ..pretranslate import pretranslate

        proj = self._proj(state)
        langs = [l for l in (langs or []) if l in proj.target_langs]
        if not langs:
            raise InputError("choose the language(s) to machine-translate")
        glossary = self.glossary()

        def report(lang, done, total):
            progress((done / total) if total else 1.0, desc=f"{lang.upper()}: {done}/{total} segments")

        result = pretranslate(proj, langs, require_mt=True, use_glossary=glossary is not None, glossary=glossary,
                              progress=report, author=(state or {}).get("author") or None)
        parts = result.summary()
        sid = self._split_args([cur])[0]
        return self._render(proj, dict(state), self._filter(*filters), sid, page=(state or {}).get("page"),
                            msg=_msg("Pre-translation done: " + "; ".join(parts) + "."))

    def on_export(self, state, kind, status, langs):
        from ..export.project import export_project

        proj = self._proj(state)
        import tempfile

        out_dir = Path(tempfile.mkdtemp(prefix="wb-export-"))
        stem = M.safe_name(proj.name)
        if kind == "txt":
            res = export_project(proj, out_dir / stem, fmt="txt", langs=langs or None, status=status)
        else:
            res = export_project(proj, out_dir / f"{stem}.tmx", fmt="tmx", langs=langs or None, status=status,
                                 pairwise=(kind == "tmx-pairs"))
        if not res.paths:
            return {self.ex_files: None, self.msg: _msg(
                f"Nothing to export: no {status} translation in {', '.join(langs or proj.target_langs)}.", "info")}
        names = ", ".join(p.name for p in res.paths)
        return {self.ex_files: [str(p) for p in res.paths],
                self.msg: _msg(f"Exported {res.units} segments: {names}.")}

    # -- glossary tab ----------------------------------------------------------------------------------

    def _gtable(self, query: str) -> dict:
        from .gloss import HEADERS

        rows = self.gloss.rows(query or "")
        info = f"{len(rows)} concept{'s' if len(rows) != 1 else ''}" + (f" matching {query!r}" if query else "")
        return {self.g_table: gr.update(value={"headers": HEADERS, "data": rows or [["", "", "(none)", "", ""]]}),
                self.g_info: _esc(info)}

    def on_gsearch(self, query):
        return self._gtable(query)

    def on_gselect(self, evt: gr.SelectData, query):
        row = evt.row_value or []
        if not row or not row[0]:
            return {}
        c = self.gloss.concept(str(row[0]))
        return {self.g_id: c["id"], self.g_domain: c["domain"], self.g_def: c["definition"], self.g_en: c["en"],
                self.g_ru: c["ru"], self.g_km: c["km"], self.g_status: "preferred"}

    def on_gsave(self, cid, domain, definition, en, ru, km, status, query):
        msg = self.gloss.save_concept(cid, domain=domain, definition=definition,
                                      terms={"en": en, "ru": ru, "km": km}, status=status or "preferred")
        out = self._gtable(query)
        out[self.msg] = _msg(msg)
        return out

    def on_gdelete(self, cid, query):
        if not (cid or "").strip():
            raise InputError("choose a concept in the table (or type its id) before deleting")
        msg = self.gloss.delete(cid)
        out = self._gtable(query)
        out.update({self.msg: _msg(msg), self.g_id: "", self.g_domain: "", self.g_def: "", self.g_en: "",
                    self.g_ru: "", self.g_km: ""})
        return out

    def on_gimport(self, upload, query):
        path = upload if isinstance(upload, str) or upload is None else getattr(upload, "name", None)
        if not path:
            raise InputError("choose a glossary file (.tbx, .csv or .tsv) to import")
        msg = self.gloss.import_file(path, Path(path).name)
        out = self._gtable(query)
        out[self.msg] = _msg(msg)
        return out

    def on_gexport(self, fmt):
        path = self.gloss.export(fmt or "tbx")
        return {self.g_file: str(path), self.msg: _msg(f"Exported the glossary as {path.name}.")}

    def on_panel_refresh(self, state, cur):
        """After a glossary change: re-check the open segment's terms."""
        sid = self._split_args([cur])[0]
        if sid is None or not (state or {}).get("project"):
            return {}
        proj = self._proj(state)
        seg = proj.segment(sid)
        return {self.panel: self._panel(proj, seg), self.src_terms: self._source_terms(proj, seg)}

    def on_reload(self, state, cur, *filters):
        proj = self._proj(state)
        sid = self._split_args([cur])[0]
        return self._render(proj, dict(state), self._filter(*filters), sid,
                            msg=_msg("Reloaded from the project file.", "info"), page=(state or {}).get("page"))

    def on_split(self, state, at, *args):
        sid, texts, statuses, filters = self._split_args(args)
        proj = self._proj(state)
        state = dict(state)
        self._need(sid)
        self._save_dirty(proj, state, sid, texts, statuses)
        seg = proj.segment(sid)
        a, b = proj.split_segment(sid, M.split_offset(seg.source, at), author=state.get("author") or "user")
        out = self._render(proj, state, self._filter(*filters), a.id,
                           msg=_msg(f"Split segment #{a.id}; the second part is #{b.id}."))
        out[self.split_at] = ""
        return out

    def on_merge(self, state, *args):
        sid, texts, statuses, filters = self._split_args(args)
        proj = self._proj(state)
        state = dict(state)
        self._need(sid)
        self._save_dirty(proj, state, sid, texts, statuses)
        segs = proj.segments()
        ids = [s.id for s in segs]
        i = ids.index(sid)
        if i + 1 >= len(segs) or segs[i + 1].document_id != segs[i].document_id:
            raise InputError(f"segment #{sid} is the last of its document: nothing follows to merge with")
        other = segs[i + 1].id
        proj.merge_segments(sid, other, author=state.get("author") or "user")
        return self._render(proj, state, self._filter(*filters), sid,
                            msg=_msg(f"Merged #{other} into #{sid}."))

    def on_filter(self, state, *filters):
        proj = self._proj(state)
        flt = self._filter(*filters)
        segs = proj.segments()
        shown = self.shown(proj, segs, flt)
        out, page = self._grid(proj, segs, shown, 0)
        state = dict(state)
        state["page"] = page
        out[self.state] = state
        return out

    def on_page(self, step: int):
        def page(state, *filters):
            proj = self._proj(state)
            flt = self._filter(*filters)
            segs = proj.segments()
            shown = self.shown(proj, segs, flt)
            out, pg = self._grid(proj, segs, shown, (state or {}).get("page", 0) + step)
            state = dict(state)
            state["page"] = pg
            out[self.state] = state
            return out
        page.__name__ = f"page_{step}"
        return page

    # -- projects tab --------------------------------------------------------------------------------

    def _projects_table(self) -> dict:
        rows = []
        for path in self.ws.available():
            try:
                s = M.project_summary(self.ws.project(str(path)))
                rows.append([s["name"], str(s["segments"]), M.progress_text(s), str(path)])
            except WorkbenchError as exc:
                rows.append([path.stem, "?", str(exc), str(path)])
        return {"headers": PROJ_HEADERS, "data": rows or [["(no projects yet)", "", "", ""]]}

    def _project_choices(self) -> list[tuple[str, str]]:
        return [(f"{p.stem}  ({p.parent.name}/{p.name})", str(p)) for p in self.ws.available()]

    def on_open(self, state, ref, author, *filters):
        if not ref:
            raise InputError("choose a project in the list first")
        proj = self.ws.project(ref)
        state = {"project": str(proj.path.resolve()), "author": (author or "").strip() or "user"}
        flt = self._filter(*filters)
        out = self._render(proj, state, flt, self._first_unconfirmed(proj, flt), msg=_msg(f"Opened {proj.name}."))
        out[self.tabs] = gr.update(selected="editor")
        return out

    def on_create(self, state, name, upload, pasted, fmt, targets, author, *filters):
        upload_path = upload if isinstance(upload, str) or upload is None else getattr(upload, "name", None)
        if not upload_path and not (pasted or "").strip():
            raise InputError("upload a .txt, .md or .html file, or paste the document's text")
        upload_name = Path(upload_path).name if upload_path else None
        path = self.ws.create(name, text=None if upload_path else pasted, file=upload_path,
                              upload_name=upload_name, fmt=fmt, targets=targets or [])
        proj = self.ws.project(str(path))
        state = {"project": str(path), "author": (author or "").strip() or "user"}
        n = len(proj.segments())
        out = self._render(proj, state, self._filter(*filters), None, page=0,
                           msg=_msg(f"Created {proj.name} ({n} segments) in {path.parent}."))
        out[self.proj_list] = gr.update(value=self._projects_table())
        out[self.proj_pick] = gr.update(choices=self._project_choices(), value=str(path))
        out[self.tabs] = gr.update(selected="editor")
        return out

    def on_pick_row(self, evt: gr.SelectData):
        row = evt.row_value or []
        if len(row) < 4 or not row[3]:
            return {}
        return {self.proj_pick: gr.update(choices=self._project_choices(), value=str(row[3]))}

    def on_author(self, state, author):
        state = dict(state or {})
        state["author"] = (author or "").strip() or "user"
        return {self.state: state}

    # -- public API (gradio_client) ------------------------------------------------------------------

    def _api(self):
        ws = self.ws

        def call(fn, *args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except WorkbenchError as exc:
                raise gr.Error(str(exc), print_exception=False) from None

        def list_projects() -> list[dict]:
            """Every project this server can open, with progress per language."""
            return call(lambda: [M.project_summary(ws.project(str(p))) for p in ws.available()])

        def create_project(name: str, text: str, fmt: str = "txt", targets: str = "ru,km") -> dict:
            """Create a project from a document's text (fmt txt, md or html); targets like "ru,km"."""
            from ..core.config import parse_langs

            def run():
                path = ws.create(name, text=text, fmt=fmt, targets=parse_langs(targets))
                return M.project_summary(ws.project(str(path)))
            return call(run)

        def segments(project: str, status: str = "all", origin: str = "all", lang: str = "all", query: str = "",
                     scope: str = "source and target") -> list[dict]:
            """The project's segments (optionally filtered), each with its translations."""
            def run():
                proj = ws.project(project)
                flt = M.Filter(status, origin, lang, query, scope)
                return [M.segment_dict(s) for s in M.filter_segments(proj.segments(), flt, proj.target_langs)]
            return call(run)

        def segment(project: str, segment_id: int) -> dict:
            """One segment with its translations (text, status, origin, version)."""
            return call(lambda: M.segment_dict(ws.project(project).segment(int(segment_id))))

        def save(project: str, segment_id: int, lang: str, text: str, expected_version: int,
                 status: str = "", author: str = "api") -> dict:
            """Save a target text (and optionally a status). expected_version is the version you loaded: if
            someone saved since, the call fails with a message and nothing changes."""
            def run():
                proj = ws.project(project)
                tr = M.save_edit(proj, int(segment_id), lang, text, status=status or None,
                                 expected_version=int(expected_version), author=author or "api")
                return M.translation_dict(tr or proj.translation(int(segment_id), lang))
            return call(run)

        def confirm(project: str, segment_id: int, lang: str, text: str, expected_version: int,
                    author: str = "api") -> dict:
            """Save and confirm a target; returns it and the next unconfirmed segment id (or null)."""
            def run():
                proj = ws.project(project)
                tr = M.save_edit(proj, int(segment_id), lang, text, expected_version=int(expected_version),
                                 confirm=True, author=author or "api")
                tr = tr or proj.translation(int(segment_id), lang)
                self.memory().add_segment(proj, int(segment_id))
                nxt = M.next_unconfirmed(proj.segments(), int(segment_id), tr.lang)
                return {"translation": M.translation_dict(tr), "next": nxt}
            return call(run)

        def history(project: str, segment_id: int, lang: str = "") -> list[dict]:
            """Every change of a segment's translations, oldest first."""
            def run():
                proj = ws.project(project)
                return [h.__dict__ for h in proj.history(int(segment_id), lang or None)]
            return call(run)

        def undo(project: str, segment_id: int, lang: str, expected_version: int, author: str = "api") -> dict:
            """Restore the translation before its latest change (recorded as a new change)."""
            def run():
                tr = ws.project(project).undo(int(segment_id), lang, expected_version=int(expected_version),
                                              author=author or "api")
                return M.translation_dict(tr)
            return call(run)

        def split(project: str, segment_id: int, at: str) -> list[dict]:
            """Split a segment's source before the text `at` (or at a character offset)."""
            def run():
                proj = ws.project(project)
                seg = proj.segment(int(segment_id))
                a, b = proj.split_segment(seg.id, M.split_offset(seg.source, at))
                return [M.segment_dict(a), M.segment_dict(b)]
            return call(run)

        def merge(project: str, first_id: int, second_id: int) -> dict:
            """Merge the directly following segment second_id into first_id."""
            return call(lambda: M.segment_dict(ws.project(project).merge_segments(int(first_id), int(second_id))))

        for fn in (list_projects, create_project, segments, segment, save, confirm, history, undo, split, merge):
            gr.api(fn, api_name=fn.__name__)

    # -- layout --------------------------------------------------------------------------------------

    def _build(self) -> gr.Blocks:
        with gr.Blocks(title="workbench — EN | RU | KM editor", analytics_enabled=False) as demo:
            self.state = gr.State({})
            with gr.Row(equal_height=True):
                self.proj_head = gr.HTML("", elem_id="proj-head")
                self.msg = gr.HTML("", elem_id="wb-msg")
            with gr.Tabs() as self.tabs:
                with gr.Tab("Editor", id="editor"):
                    self._build_editor()
                with gr.Tab("Projects", id="projects"):
                    self._build_projects()
                from . import align_tab

                with gr.Tab("Alignment", id="alignment") as self.al_tab_block:
                    self.align_tab = align_tab.AlignTab(self)
                    self.align_tab.build()
                with gr.Tab("Glossary", id="glossary"):
                    self._build_glossary()
                with gr.Tab("Export", id="export"):
                    self._build_export()
            self._wire()
            self._api()
        return demo

    def _build_editor(self):
        with gr.Row():
            self.f_status = gr.Dropdown(list(M.STATUS_FILTERS), value="all", label="Status", scale=1, min_width=120)
            self.f_origin = gr.Dropdown(list(M.ORIGIN_FILTERS), value="all", label="Origin", scale=1, min_width=110)
            self.f_lang = gr.Dropdown([("any target", "all")] + [(M.lang_name(l), l) for l in TARGETS], value="all",
                                      label="Language", scale=1, min_width=120)
            self.f_qa = gr.Checkbox(False, label="QA problems only", scale=1, min_width=120)
            self.f_query = gr.Textbox("", label="Search (Enter)", placeholder="words in source or target",
                                      scale=3, elem_id="search")
            self.f_scope = gr.Radio(list(M.SCOPES), value="source and target", label="Search in", scale=2)
        self.filters = [self.f_status, self.f_origin, self.f_lang, self.f_query, self.f_scope, self.f_qa]
        with gr.Row(equal_height=True):
            self.prev_page = gr.Button("◀ page", size="sm", scale=0, min_width=80)
            self.page_info = gr.HTML("", elem_id="page-info")
            self.next_page = gr.Button("page ▶", size="sm", scale=0, min_width=80)
        self.grid = gr.Dataframe(value={"headers": ["#", "¶", "EN", "RU", "RU status", "KM", "KM status"], "data": []},
                                 datatype="str", interactive=False, wrap=True, max_height=380, elem_id="grid",
                                 column_widths=_widths(2), label="Segments")
        with gr.Row():
            with gr.Column(scale=3):
                self.seg_head = gr.HTML("", elem_id="seg-head")
                self.cur = gr.Textbox("", visible=False, elem_id="cur-seg")  # the segment the boxes belong to
                self.src = gr.Textbox("", label="Source (EN)", interactive=False, lines=2, elem_id="src")
                self.src_terms = gr.HighlightedText([], label="Glossary terms in the source", elem_id="src-terms",
                                                    show_legend=False, show_inline_category=True,
                                                    combine_adjacent=False, interactive=False)
                self.boxes, self.infos, self.stats, self.groups = {}, {}, {}, {}
                self.btn_save, self.btn_confirm, self.btn_undo, self.btn_copy, self.btn_tm = {}, {}, {}, {}, {}
                self.btn_mt = {}
                for lang in TARGETS:
                    with gr.Group(elem_classes=[f"lang-{lang}"]) as grp:
                        self.groups[lang] = grp
                        self.infos[lang] = gr.HTML("", elem_id=f"info-{lang}")
                        self.boxes[lang] = gr.Textbox("", label=f"{M.lang_name(lang)} ({lang.upper()})", lines=3,
                                                      elem_id=f"tgt-{lang}", elem_classes=[f"lang-{lang}"])
                        with gr.Row(equal_height=True, elem_classes=["tgt-actions"]):
                            self.stats[lang] = gr.Dropdown(list(STATUSES), value="new", show_label=False, scale=0,
                                                           min_width=130, elem_id=f"status-{lang}", container=False)
                            self.btn_confirm[lang] = gr.Button("Confirm → next", variant="primary", size="sm",
                                                               scale=0, min_width=130, elem_id=f"confirm-{lang}")
                            self.btn_save[lang] = gr.Button("Save", size="sm", scale=0, min_width=70,
                                                            elem_id=f"save-{lang}")
                            self.btn_undo[lang] = gr.Button("Undo", size="sm", scale=0, min_width=70,
                                                            elem_id=f"undo-{lang}")
                            self.btn_copy[lang] = gr.Button("Copy source", size="sm", scale=0, min_width=100,
                                                            elem_id=f"copy-src-{lang}")
                            self.btn_tm[lang] = gr.Button("Use TM match", size="sm", scale=0, min_width=110,
                                                          elem_id=f"use-tm-{lang}")
                            self.btn_mt[lang] = gr.Button("Machine-translate", size="sm", scale=0, min_width=120,
                                                          elem_id=f"mt-{lang}")
                with gr.Row(equal_height=True):
                    self.prev_seg = gr.Button("↑ Previous (Alt+↑)", size="sm", elem_id="prev-seg")
                    self.next_seg = gr.Button("↓ Next (Alt+↓)", size="sm", elem_id="next-seg")
                    self.reload = gr.Button("Reload segment", size="sm", elem_id="reload-seg")
                    self.merge = gr.Button("Merge with next", size="sm", elem_id="merge-seg")
                with gr.Row(equal_height=True):
                    self.mt_langs = gr.CheckboxGroup([(M.lang_name(l), l) for l in TARGETS], value=list(TARGETS),
                                                     label="Languages", scale=2, elem_id="mt-langs")
                    self.mt_all = gr.Button("Pre-translate all untouched segments (TM, then MT)", size="sm", scale=2,
                                            elem_id="mt-all")
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

    def _build_projects(self):
        with gr.Row():
            with gr.Column(scale=3):
                self.proj_list = gr.Dataframe(value={"headers": PROJ_HEADERS, "data": []}, datatype="str",
                                              interactive=False, wrap=True, label="Projects", elem_id="proj-list")
                with gr.Row(equal_height=True):
                    self.proj_pick = gr.Dropdown(self._project_choices(), label="Project", scale=3, elem_id="proj-pick",
                                                 allow_custom_value=True)
                    self.proj_open = gr.Button("Open", variant="primary", scale=1, elem_id="proj-open")
                self.author = gr.Textbox("", label="Your name (recorded in the history)", elem_id="author")
            with gr.Column(scale=2):
                gr.HTML("<b>New project</b>")
                self.new_name = gr.Textbox("", label="Name", elem_id="new-name")
                self.new_file = gr.File(label="Upload a document (.txt, .md, .html)", file_types=[".txt", ".md", ".html", ".htm"],
                                        type="filepath", elem_id="new-file")
                self.new_text = gr.Textbox("", label="…or paste the text", lines=5, elem_id="new-text")
                self.new_fmt = gr.Radio(["auto", "txt", "md", "html"], value="auto", label="Format", elem_id="new-fmt")
                self.new_targets = gr.CheckboxGroup([(M.lang_name(l), l) for l in TARGETS], value=list(TARGETS),
                                                    label="Target languages", elem_id="new-targets")
                self.new_go = gr.Button("Create project", variant="primary", elem_id="new-go")

    def _build_glossary(self):
        from .gloss import HEADERS

        with gr.Row(equal_height=True):
            self.g_query = gr.Textbox("", label="Search concepts and terms (Enter)", scale=4, elem_id="g-query")
            self.g_info = gr.HTML("", elem_id="g-info")
        self.g_table = gr.Dataframe(value={"headers": HEADERS, "data": []}, datatype="str", interactive=False,
                                    wrap=True, max_height=360, elem_id="g-table", label="Concepts (click to edit)")
        with gr.Row():
            with gr.Column(scale=3):
                with gr.Row():
                    self.g_id = gr.Textbox("", label="Concept id (e.g. east-asia-summit)", elem_id="g-id")
                    self.g_domain = gr.Textbox("", label="Domain", elem_id="g-domain")
                self.g_def = gr.Textbox("", label="Definition", elem_id="g-def")
                self.g_en = gr.Textbox("", label="English term", elem_id="g-en")
                self.g_ru = gr.Textbox("", label="Russian term", elem_id="g-ru")
                self.g_km = gr.Textbox("", label="Khmer term", elem_id="g-km", elem_classes=["lang-km"])
                self.g_status = gr.Radio(["preferred", "admitted", "deprecated", "forbidden"], value="preferred",
                                         label="Status of the terms typed above", elem_id="g-status")
                with gr.Row():
                    self.g_save = gr.Button("Save concept", variant="primary", elem_id="g-save")
                    self.g_delete = gr.Button("Delete concept", variant="stop", elem_id="g-delete")
            with gr.Column(scale=2):
                self.g_upload = gr.File(label="Import a glossary (.tbx, .csv, .tsv): merged into this one",
                                        file_types=[".tbx", ".csv", ".tsv", ".xml"], type="filepath",
                                        elem_id="g-upload")
                self.g_import = gr.Button("Import", elem_id="g-import")
                self.g_fmt = gr.Radio([("TBX-Basic", "tbx"), ("CSV", "csv"), ("OmegaT TSV (EN-RU)", "tsv")],
                                      value="tbx", label="Export format", elem_id="g-fmt")
                self.g_export = gr.Button("Export glossary", elem_id="g-export")
                self.g_file = gr.File(label="Download", interactive=False, elem_id="g-file")

    def _build_export(self):
        with gr.Row():
            with gr.Column(scale=2):
                self.ex_kind = gr.Radio([("TMX 1.4b, all languages in one file", "tmx"),
                                         ("TMX 1.4b, one file per language pair", "tmx-pairs"),
                                         ("plain text, one line-aligned file per language", "txt")],
                                        value="tmx", label="What", elem_id="ex-kind")
                self.ex_status = gr.Radio([("confirmed only (translated, reviewed, approved)", "confirmed"),
                                           ("everything with a text (drafts too)", "all")], value="confirmed",
                                          label="Which translations", elem_id="ex-status")
                self.ex_langs = gr.CheckboxGroup([(M.lang_name(l), l) for l in TARGETS], value=list(TARGETS),
                                                 label="Target languages", elem_id="ex-langs")
                self.ex_go = gr.Button("Export", variant="primary", elem_id="ex-go")
            with gr.Column(scale=2):
                self.ex_files = gr.File(label="Download", file_count="multiple", interactive=False,
                                        elem_id="ex-files")

    def _wire(self):
        editor_out = [self.state, self.cur, self.msg, self.grid, self.page_info, self.proj_head, self.seg_head, self.src,
                      self.src_terms,
                      self.panel, self.hist, self.split_at, *self.boxes.values(), *self.infos.values(),
                      *self.stats.values(), *self.groups.values()]
        edit_in = [self.state, self.cur, *self.boxes.values(), *self.stats.values(), *self.filters]
        g = self.guard
        # All editor events run one at a time, so a save on leaving a box is done before the click that
        # left it is handled (and sees the new version in the session state).
        hidden = dict(api_visibility="undocumented", show_progress="hidden", concurrency_id="editor")
        load_out = editor_out + [self.proj_list, self.proj_pick, self.g_table, self.g_info]
        self.grid.select(g(self.on_select), edit_in, editor_out, api_name="ui_select", **hidden)
        self.prev_seg.click(g(self.on_nav(-1)), edit_in, editor_out, api_name="ui_prev", **hidden)
        self.next_seg.click(g(self.on_nav(1)), edit_in, editor_out, api_name="ui_next", **hidden)
        self.reload.click(g(self.on_reload), [self.state, self.cur, *self.filters], editor_out, api_name="ui_reload", **hidden)
        self.merge.click(g(self.on_merge), edit_in, editor_out, api_name="ui_merge", **hidden)
        self.split.click(g(self.on_split), [self.state, self.split_at, *edit_in[1:]], editor_out, api_name="ui_split",
                         **hidden)
        self.split_at.submit(g(self.on_split), [self.state, self.split_at, *edit_in[1:]], editor_out, **hidden)
        for lang in TARGETS:
            self.btn_save[lang].click(g(self.on_save(lang)), edit_in, editor_out, api_name=f"ui_save_{lang}", **hidden)
            self.stats[lang].input(g(self.on_save(lang)), edit_in, editor_out, api_name=f"ui_status_{lang}", **hidden)
            self.btn_confirm[lang].click(g(self.on_confirm(lang)), edit_in, editor_out, api_name=f"ui_confirm_{lang}",
                                         **hidden).then(None, js=assets.focus_js(lang))
            self.boxes[lang].blur(g(self.on_autosave(lang)), edit_in,
                                  [self.state, self.msg, self.grid, self.page_info, self.infos[lang], self.stats[lang]],
                                  **hidden)
            self.btn_tm[lang].click(g(self.on_use_tm(lang)), [self.state, self.cur], [self.boxes[lang], self.msg],
                                    api_name=f"ui_use_tm_{lang}", **hidden).then(None, js=assets.focus_js(lang))
            self.btn_mt[lang].click(g(self.on_mt(lang)), edit_in, editor_out, api_name=f"ui_mt_{lang}", **hidden)
            self.btn_undo[lang].click(g(self.on_undo(lang)), edit_in, editor_out, api_name=f"ui_undo_{lang}", **hidden)
            self.btn_copy[lang].click(g(self.on_copy_source(lang)), [self.state, self.cur], [self.boxes[lang], self.msg],
                                      api_name=f"ui_copy_{lang}", **hidden).then(None, js=assets.focus_js(lang))
        grid_out = [self.state, self.msg, self.grid, self.page_info]
        for comp in (self.f_status, self.f_origin, self.f_lang, self.f_scope, self.f_qa):
            comp.input(g(self.on_filter), [self.state, *self.filters], grid_out, **hidden)
        self.f_query.submit(g(self.on_filter), [self.state, *self.filters], grid_out, api_name="ui_filter", **hidden)
        self.prev_page.click(g(self.on_page(-1)), [self.state, *self.filters], grid_out, **hidden)
        self.next_page.click(g(self.on_page(1)), [self.state, *self.filters], grid_out, **hidden)
        proj_out = editor_out + [self.proj_list, self.proj_pick, self.tabs]
        self.proj_open.click(g(self.on_open), [self.state, self.proj_pick, self.author, *self.filters], proj_out,
                             api_name="ui_open", **hidden)
        self.new_go.click(g(self.on_create), [self.state, self.new_name, self.new_file, self.new_text, self.new_fmt,
                                              self.new_targets, self.author, *self.filters], proj_out,
                          api_name="ui_create", **hidden)
        self.ex_go.click(g(self.on_export), [self.state, self.ex_kind, self.ex_status, self.ex_langs],
                         [self.ex_files, self.msg], api_name="ui_export", **hidden)
        ghidden = dict(api_visibility="undocumented", show_progress="hidden", concurrency_id="glossary")
        refresh = dict(fn=g(self.on_panel_refresh), inputs=[self.state, self.cur],
                       outputs=[self.panel, self.src_terms, self.msg], **hidden)
        self.g_query.submit(g(self.on_gsearch), [self.g_query], [self.g_table, self.g_info, self.msg], **ghidden)
        self.g_table.select(g(self.on_gselect), [self.g_query],
                            [self.g_id, self.g_domain, self.g_def, self.g_en, self.g_ru, self.g_km, self.g_status,
                             self.msg], **ghidden)
        self.g_save.click(g(self.on_gsave), [self.g_id, self.g_domain, self.g_def, self.g_en, self.g_ru, self.g_km,
                                             self.g_status, self.g_query], [self.g_table, self.g_info, self.msg],
                          api_name="ui_glossary_save", **ghidden).then(**refresh)
        self.g_delete.click(g(self.on_gdelete), [self.g_id, self.g_query],
                            [self.g_table, self.g_info, self.msg, self.g_id, self.g_domain, self.g_def, self.g_en,
                             self.g_ru, self.g_km], **ghidden).then(**refresh)
        self.g_import.click(g(self.on_gimport), [self.g_upload, self.g_query], [self.g_table, self.g_info, self.msg],
                            **ghidden).then(**refresh)
        self.g_export.click(g(self.on_gexport), [self.g_fmt], [self.g_file, self.msg], **ghidden)
        self.mt_all.click(g(self.on_mt_all), [self.state, self.cur, self.mt_langs, *self.filters], editor_out,
                          api_name="ui_mt_all", api_visibility="undocumented", concurrency_id="editor")
        self.align_tab.wire(self.al_tab_block, dict(hidden))
        self.proj_list.select(g(self.on_pick_row), None, [self.proj_pick, self.msg], **hidden)
        self.author.change(g(self.on_author), [self.state, self.author], [self.state], **hidden)
        self._load_inputs = [self.state, *self.filters]
        self._load_outputs = load_out


def build_app(project: str | os.PathLike | None = None, *, folder: str | os.PathLike | None = None,
              tm_path: str | os.PathLike | None = None, glossary_path: str | os.PathLike | None = None) -> EditorApp:
    """The editor over the projects in ``folder`` (default ``data_dir()/projects``), opening ``project``;
    confirmed pairs go to the TM at ``tm_path`` (default ``data_dir()/tm.db``)."""
    ws = M.Workspace(folder, extra=[project] if project else [])
    app = EditorApp(ws, project, tm_path=tm_path, glossary_path=glossary_path)
    with app.blocks:
        app.blocks.load(app.guard(app.on_load), app._load_inputs, app._load_outputs, api_visibility="undocumented",
                        show_progress="hidden")
    return app


def launch_kwargs() -> dict[str, Any]:
    return dict(css=assets.css(), js=assets.SHORTCUTS_JS, head=assets.HEAD, allowed_paths=assets.font_dirs(),
                theme=gr.themes.Default(primary_hue="blue", radius_size="sm", spacing_size="sm"))


#: Largest upload accepted (documents, glossaries); Gradio refuses bigger ones before they reach the app.
MAX_UPLOAD = "20mb"


def parse_auth(spec: str | None) -> tuple[str, str] | None:
    """``"user:password"`` -> ``("user", "password")``; None or empty -> None (no login)."""
    if not spec:
        return None
    user, sep, password = spec.partition(":")
    if not sep or not user.strip() or not password:
        raise InputError("--auth / WORKBENCH_AUTH must look like user:password (both parts non-empty)")
    return user.strip(), password


def launch(app: EditorApp, *, host: str = "127.0.0.1", port: int | None = None, prevent_thread_lock: bool = False,
           quiet: bool = False, auth: tuple[str, str] | None = None, max_file_size: str | int = MAX_UPLOAD):
    """Start the server (returns Gradio's ``(app, local_url, share_url)``). ``auth``: one (user, password)
    login for the whole editor; ``max_file_size``: the upload cap."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    gr.set_static_paths(assets.font_dirs())
    return app.blocks.launch(server_name=host, server_port=port, prevent_thread_lock=prevent_thread_lock,
                             quiet=quiet, show_error=False, footer_links=["api"], auth=auth,
                             max_file_size=max_file_size, **launch_kwargs())
