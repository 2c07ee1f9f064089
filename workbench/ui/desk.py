"""The segment desk: what the Editor tab's browser code asks the server for, and what it gets back (no Gradio).

The browser holds the page (one :data:`PAGE_SIZE` slice of the filtered segments) and sends one request at a
time per tab, in order; requests of different tabs and users run in parallel. Every request is a dict
(``project``, ``filter``, ``langs`` shown, ``page``, ``client`` = the browser tab, and what the action needs);
every answer is a dict, with ``error`` (one line) when the action was refused. Reads go through the indexed
views of :class:`workbench.core.views.SegmentViews`, so no request reads every segment.

Rows are sent as HTML (:mod:`workbench.ui.rows`) plus their data (source, and per target text, version,
status), from which the browser builds the boxes of the active row.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from ..core.errors import InputError, NotFound, VersionConflict, WorkbenchError
from ..core.store import CONFIRMED, STATUSES, Project, Segment
from ..core.views import ORIGIN_CHOICES, SCOPES, STATUS_CHOICES, ChangeCursor, SegmentFilter
from ..core.workflow import role_of
from . import model as M, render, rows as R
from .context import EditorContext
from .presence import lock_label

log = logging.getLogger("workbench.ui")

PAGE_SIZE = 50


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class Request:
    """One desk request, parsed: the project, the languages shown, the filter, the page, who asks."""

    def __init__(self, ctx: EditorContext, data: dict[str, Any] | None, user: str, login: bool = False):
        d = dict(data or {})
        self.data = d
        self.user = user
        self.login = login
        self.client = str(d.get("client") or "")[:64]
        self.project: Project = ctx.project({"project": d.get("project")})
        targets = self.project.target_langs
        shown = [l for l in (d.get("langs") or []) if l in targets]
        self.langs: list[str] = [l for l in targets if l in shown] or list(targets)
        f = d.get("filter") or {}
        self.status = f.get("status") if f.get("status") in STATUS_CHOICES else "all"
        self.origin = f.get("origin") if f.get("origin") in ORIGIN_CHOICES else "all"
        lang = f.get("lang")
        self.lang = lang if lang in targets else "all"
        self.query = str(f.get("query") or "")[:200]
        self.scope = f.get("scope") if f.get("scope") in SCOPES else "source and target"
        self.qa = bool(f.get("qa"))
        self.page = max(0, _int(d.get("page")) or 0)
        self.seg = _int(d.get("seg"))
        self.qa_stamp = ctx.qa_stamp(self.project) if self.qa else None

    @property
    def filter_langs(self) -> tuple[str, ...]:
        """The languages the status/origin/QA conditions look at: the chosen one, else the ones shown."""
        return (self.lang,) if self.lang != "all" else tuple(self.langs)

    @property
    def flt(self) -> SegmentFilter:
        return SegmentFilter(self.status, self.origin, self.filter_langs, self.query, self.scope, self.qa_stamp)

    def filter_dict(self) -> dict[str, Any]:
        return {"status": self.status, "origin": self.origin, "lang": self.lang, "query": self.query,
                "scope": self.scope, "qa": self.qa}


class Desk:
    """The operations of the segment desk over an :class:`~workbench.ui.context.EditorContext`."""

    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self._counts: dict[tuple, int] = {}
        self._lock = threading.Lock()

    # -- entry ---------------------------------------------------------------------------------------

    def call(self, action: str, data: dict[str, Any] | None, user: str, *, login: bool = False) -> dict[str, Any]:
        """Run ``action`` for ``user`` (``login``: the name comes from a login, not from what was typed); a
        :class:`WorkbenchError` becomes ``{"error": one line}``, a bug a short message (details in the server
        log)."""
        fn = getattr(self, f"do_{action}", None) if action.isidentifier() else None
        if fn is None:
            return {"error": f"unknown action {action!r}"}
        try:
            return fn(Request(self.ctx, data, user, login))
        except VersionConflict as exc:
            return {"error": f"Not saved: {exc}. Your text is still in the box.", "conflict": True}
        except NotFound as exc:  # e.g. a segment merged away by someone else: the page is reloaded
            return {"error": str(exc), "missing": action in ("panel", "save", "undo", "mt", "split", "merge")}
        except WorkbenchError as exc:
            return {"error": str(exc)}
        except Exception:
            log.exception("desk action %s failed", action)
            return {"error": "Something went wrong; nothing was lost. Details are in the server log."}

    # -- rows ------------------------------------------------------------------------------------------

    def row(self, r: Request, seg: Segment, locks: dict[int, str] | None = None,
            qa: dict[tuple[int, str], int] | None = None) -> dict[str, Any]:
        """A row: its HTML and the data the browser edits."""
        g = self.ctx.glossary()
        spans: list[R.Span] = []
        if g is not None:
            try:
                spans = R.term_spans(g.find_terms(seg.source, r.project.source_lang))
            except WorkbenchError as exc:
                log.warning("term lookup failed: %s", exc)
        qa_counts = {l: (qa or {}).get((seg.id, l), 0) for l in r.langs}
        lock = (locks or {}).get(seg.id, "")
        t = {}
        for lang in r.langs:
            tr = seg.translations.get(lang)
            if tr is not None:
                t[lang] = {"text": tr.text, "version": tr.version, "status": tr.status, "by": tr.updated_by or "",
                           "at": tr.updated_at or "", "label": M.status_label(tr)}
        return {"id": seg.id, "doc": seg.document_id, "src": seg.source, "t": t, "lock": lock,
                "html": R.row_html(seg, r.langs, src_spans=spans, query=r.query, qa=qa_counts, lock=lock)}

    def rows(self, r: Request, segs: list[Segment]) -> list[dict[str, Any]]:
        ids = [s.id for s in segs]
        locks = self.locks(r, ids)
        qa = self.ctx.qa_counts(r.project, ids, r.langs)
        return [self.row(r, s, locks, qa) for s in segs]

    def locks(self, r: Request, ids: list[int]) -> dict[int, str]:
        held = self.ctx.presence.holders(self.ctx.project_key(r.project), ids, exclude_client=r.client)
        return {sid: lock_label(h, me=r.user) for sid, h in held.items()}

    # -- pages -----------------------------------------------------------------------------------------

    def page(self, r: Request, *, page: int | None = None, around: int | None = None) -> dict[str, Any]:
        """One page of the filtered list: the one holding ``around`` if it is in the filter, else ``page``."""
        proj, flt = r.project, r.flt
        cursor = proj.change_cursor()
        total = cursor.segments
        count = self.count(proj, flt, cursor) if flt.active() else total
        pages = max(1, (count + PAGE_SIZE - 1) // PAGE_SIZE)
        if around is not None:
            ordinal = proj.segment_ordinal(around, flt, count=count)
            if ordinal is not None:
                page = ordinal // PAGE_SIZE
        page = min(max(0, page if page is not None else r.page), pages - 1)
        segs = proj.segment_page(flt, page * PAGE_SIZE, PAGE_SIZE, count=count)
        first = page * PAGE_SIZE + 1
        info = (f"Segments {first}–{first + len(segs) - 1} of {count}" if segs else "No segment matches the filter")
        if count != total:
            info += f" (filtered from {total})"
        out = {"rows": self.rows(r, segs), "page": page, "pages": pages, "count": count, "total": total,
               "info": info + f" · page {page + 1}/{pages}", "cursor": cursor.as_list(),
               "head": self.ctx.head(proj, cursor), "filter": r.filter_dict(), "langs": r.langs}
        if r.qa:
            out["qa_pending"] = self.ctx.ensure_qa(proj, r.langs, r.user)
        return out

    def count(self, proj: Project, flt: SegmentFilter, cursor: ChangeCursor) -> int:
        """How many segments ``flt`` lets through; reused while nothing in the project changed."""
        key = (str(proj.path), flt, tuple(cursor.as_list()))
        with self._lock:
            if key in self._counts:
                return self._counts[key]
        n = proj.count_segments(flt)
        with self._lock:
            self._counts[key] = n
            while len(self._counts) > 256:
                self._counts.pop(next(iter(self._counts)))
        return n

    def do_boot(self, r: Request) -> dict[str, Any]:
        """The first request of a tab: the project, the languages, the page holding the wanted segment (else
        the first one still to do)."""
        proj = r.project
        seg = r.seg
        if seg is not None and proj.segment_ordinal(seg) is None:
            seg = None  # not in this project (any more)
        if seg is None:
            lang = r.lang if r.lang != "all" else None
            for l in ([lang] if lang else r.langs):
                seg = proj.next_segment(None, r.flt, unconfirmed=l)
                if seg is not None:
                    break
        out = self.page(r, around=seg)
        if seg is None and out["rows"]:
            seg = out["rows"][0]["id"]
        out.update(self.project_info(r), active=seg)
        return out

    def project_info(self, r: Request) -> dict[str, Any]:
        proj = r.project
        return {"project": {"key": self.ctx.project_key(proj), "name": proj.name, "source": proj.source_lang,
                            "targets": [{"code": l, "name": M.lang_name(l)} for l in proj.target_langs]},
                "user": r.user, "login": r.login, "role": role_of(r.user), "mt": self.ctx.mt_notes(proj),
                "statuses": self.ctx.status_choices(role=role_of(r.user) or "admin")}

    def do_page(self, r: Request) -> dict[str, Any]:
        return self.page(r, around=r.seg if r.data.get("around") else None)

    # -- the active segment ----------------------------------------------------------------------------

    def do_panel(self, r: Request) -> dict[str, Any]:
        """The panel of the active row for one target language (``lang``)."""
        proj = r.project
        sid = self.need_seg(r)
        seg = proj.segment(sid)
        lang = r.data.get("lang") if r.data.get("lang") in proj.target_langs else r.langs[0]
        self.ctx.presence.hold(self.ctx.project_key(proj), sid, r.user, r.client)
        doc = proj.document(seg.document_id)
        in_doc = proj.count_segments(SegmentFilter(document_id=seg.document_id))
        head = R.panel_head(seg, seg.position + 1, in_doc, doc.title, self.locks(r, [sid]).get(sid, ""))
        tr = seg.translations.get(lang)
        text = tr.text if tr else ""
        parts = []
        g = self.ctx.glossary()
        if g is not None and tr is not None:
            try:
                report = g.check(seg.source, text, proj.source_lang, lang)
                parts.append(R.panel_section(f"Glossary ({lang.upper()})",
                                             R.numbered(R.term_items(report, lang, not text.strip()), "term",
                                                        "Ctrl+Alt"), "wb-terms"))
            except WorkbenchError as exc:
                parts.append(R.panel_section("Glossary", f"<li class='bad'>{R.esc(exc)}</li>"))
        hits = self.ctx.tm_matches(proj, seg, lang)
        parts.append(R.panel_section(f"TM ({lang.upper()})", R.numbered(R.tm_items(hits), "tm", "Ctrl+Shift")
                                     or "<li class='muted'>no match of 60% or more</li>", "wb-tm"))
        findings = self.ctx.findings(proj, seg, lang)
        parts.append(R.panel_section(f"QA ({lang.upper()})", R.finding_items(findings, text)
                                     or "<li class='muted'>no finding</li>", "wb-qa-list"))
        notes = render.origin_notes(tr) if tr is not None else []
        if notes:
            parts.append(R.panel_section("Where it came from", "".join(f"<li>{n}</li>" for n in notes)))
        parts.append(R.panel_section("History", R.history_items(proj.history(sid)), "wb-hist"))
        self.ctx.store_qa(proj, seg, lang, findings)
        return {"seg": sid, "lang": lang, "html": head + "".join(parts),
                "findings": [{"start": a, "end": b, "severity": f.severity, "message": f.message}
                             for f in findings for a, b in (getattr(f, "spans", None) or ([f.span] if f.span else []))]}

    def need_seg(self, r: Request) -> int:
        if r.seg is None:
            raise NotFound("no segment is open: click a row")
        return r.seg

    def target_lang(self, r: Request) -> str:
        langs = r.project.check_targets([str(r.data.get("lang") or "")])
        if not langs:
            raise InputError("no target language given: click into a target box")
        return langs[0]

    def do_save(self, r: Request) -> dict[str, Any]:
        """Save one target's text and/or status (``text``, ``status``, ``version`` as loaded); with
        ``confirm``, confirm it and find the next unconfirmed segment in that language (within the filter)."""
        proj, sid, lang = r.project, self.need_seg(r), self.target_lang(r)
        text = str(r.data.get("text") if r.data.get("text") is not None else proj.translation(sid, lang).text)
        status = r.data.get("status") if r.data.get("status") in STATUSES else None
        version = _int(r.data.get("version"))
        before = proj.translation(sid, lang)
        if r.data.get("confirm"):
            tr = self.ctx.confirm(proj, sid, lang, text, expected_version=version, author=r.user, status=status)
            what = "confirmed" if not before.confirmed or before.text != tr.text else "confirmed (unchanged)"
        else:
            tr = self.ctx.save(proj, sid, lang, text, status=status, expected_version=version, author=r.user)
            if tr is None:
                tr = before
                what = "nothing changed"
            else:
                what = _change_word(before, tr)
        seg = proj.segment(sid)
        self.ctx.store_qa(proj, seg, lang)
        out = {"row": self.rows(r, [seg])[0], "saved": {"lang": lang, "what": what, "by": tr.updated_by or r.user,
                                                        "at": tr.updated_at or "", "version": tr.version,
                                                        "status": tr.status}}
        if r.data.get("confirm") and r.data.get("advance", True):
            nxt = proj.next_segment(sid, r.flt, unconfirmed=lang)
            out["next"] = nxt
            if nxt is not None and nxt not in set(r.data.get("ids") or []):
                out["page"] = self.page(r, around=nxt)
        return out

    def do_undo(self, r: Request) -> dict[str, Any]:
        proj, sid, lang = r.project, self.need_seg(r), self.target_lang(r)
        tr = proj.undo(sid, lang, expected_version=_int(r.data.get("version")), author=r.user)
        seg = proj.segment(sid)
        self.ctx.store_qa(proj, seg, lang)
        return {"row": self.rows(r, [seg])[0], "saved": {"lang": lang, "what": "undone", "by": r.user,
                                                          "at": tr.updated_at or "", "version": tr.version,
                                                          "status": tr.status}}

    def do_mt(self, r: Request) -> dict[str, Any]:
        """Machine-translate the active segment into ``lang`` (typed text is saved first by the browser)."""
        from ..mt.project import translate_segment

        proj, sid, lang = r.project, self.need_seg(r), self.target_lang(r)
        tr = translate_segment(proj, sid, lang, glossary=self.ctx.glossary(), author=r.user,
                               expected_version=_int(r.data.get("version")))
        seg = proj.segment(sid)
        return {"row": self.rows(r, [seg])[0], "saved": {"lang": lang, "what": "machine-translated with "
                                                          + (tr.mt.model if tr.mt else "MT") + " (Undo restores)",
                                                          "by": r.user, "at": tr.updated_at or "",
                                                          "version": tr.version, "status": tr.status}}

    def do_split(self, r: Request) -> dict[str, Any]:
        proj, sid = r.project, self.need_seg(r)
        seg = proj.segment(sid)
        a, b = proj.split_segment(sid, M.split_offset(seg.source, str(r.data.get("at") or "")), author=r.user)
        out = self.page(r, around=a.id)
        out.update(active=a.id, message=f"Split segment #{a.id}; the second part is #{b.id}.")
        return out

    def do_merge(self, r: Request) -> dict[str, Any]:
        proj, sid = r.project, self.need_seg(r)
        other = proj.next_segment(sid, None, wrap=False)
        seg = proj.segment(sid)
        if other is None or proj.segment(other).document_id != seg.document_id:
            raise InputError(f"segment #{sid} is the last of its document: nothing follows to merge with")
        proj.merge_segments(sid, other, author=r.user)
        out = self.page(r, around=sid)
        out.update(active=sid, message=f"Merged #{other} into #{sid}.")
        return out

    # -- seeing each other -----------------------------------------------------------------------------

    def do_poll(self, r: Request) -> dict[str, Any]:
        """What changed since the tab's ``cursor``: rows of its page saved by anyone (re-rendered), the whole
        page when the segment list changed, the soft locks on its page, the heading. Renews this tab's soft
        lock on its active segment (``seg``)."""
        proj = r.project
        key = self.ctx.project_key(proj)
        self.ctx.presence.hold(key, r.seg, r.user, r.client)
        cursor = ChangeCursor.from_list(r.data.get("cursor"))
        changes = proj.changed_since(cursor)
        ids = [i for i in (_int(x) for x in (r.data.get("ids") or [])) if i is not None][:PAGE_SIZE * 2]
        out: dict[str, Any] = {"cursor": changes.cursor.as_list(),
                               "locks": {str(k): v for k, v in self.locks(r, ids).items()}}
        if changes.structural:
            out["page"] = self.page(r)
            return out
        changed = [i for i in ids if i in changes.segments]
        if changed:
            out["rows"] = self.rows(r, proj.segments_by_id(changed))
            out["by"] = {str(i): sorted(changes.segments[i]) for i in changed}
        if changes.segments:
            out["head"] = self.ctx.head(proj, changes.cursor)
        if r.qa:
            out["qa_pending"] = self.ctx.ensure_qa(proj, r.langs, r.user)
        return out

    def do_leave(self, r: Request) -> dict[str, Any]:
        self.ctx.presence.release(r.client)
        return {}

    def do_models(self, r: Request) -> dict[str, Any]:
        """Per target language: None when an MT model is installed, else how to get one."""
        return {"mt": self.ctx.mt_notes(r.project)}

    # -- background work -------------------------------------------------------------------------------

    def do_pretranslate(self, r: Request) -> dict[str, Any]:
        """Start pre-translating every still-empty, unconfirmed target of ``langs`` (TM, then MT) as a
        background job; rows fill in as it saves them."""
        langs = [l for l in (r.data.get("mt_langs") or r.langs) if l in r.project.target_langs]
        if not langs:
            raise InputError("choose the language(s) to pre-translate")
        job = self.ctx.start_pretranslate(r.project, langs, r.user)
        return {"job": job.id, "message": f"Pre-translation started ({', '.join(l.upper() for l in langs)}): "
                                          "its progress is shown at the top; keep working meanwhile."}


def _change_word(before, after) -> str:
    if after.status != before.status and after.text == before.text:
        return f"status set to {after.status}"
    if after.status in CONFIRMED and before.status not in CONFIRMED:
        return "saved and confirmed"
    return "saved"
