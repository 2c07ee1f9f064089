"""The HTML pieces the editor shows. Every text that comes from a project, the glossary, the TM or an error
message is escaped here, by :func:`esc`, and nowhere else: callers pass plain text and data, never markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from ..tm.tags import TAG_RE
from . import model as M


def esc(text: Any) -> str:
    """``text`` as HTML text (None -> empty)."""
    return html.escape(str(text if text is not None else ""))


def tags_html(text: Any) -> str:
    """``text`` as HTML text, the tags of inline codes (``<g1>``, ``</g1>``, ``<x2/>``; see
    :mod:`workbench.tm.tags`) shown as chips (``<span class="wb-tag">``)."""
    text = str(text if text is not None else "")
    out, at = [], 0
    for m in TAG_RE.finditer(text):
        out.append(esc(text[at:m.start()]))
        out.append(f"<span class='wb-tag'>{esc(m.group())}</span>")
        at = m.end()
    out.append(esc(text[at:]))
    return "".join(out)


# ------------------------------------------------------------------------------------------ status line


def message(text: str, kind: str = "ok") -> str:
    """One line for the status line; ``kind`` is ``ok``, ``info`` or ``err``."""
    return f'<div class="msg {kind}">{esc(text)}</div>'


def error(text: str) -> str:
    return message(text, "err")


# ------------------------------------------------------------------------------------------ headings


def project_head(name: str, progress: str, file_name: str) -> str:
    return f"<b>{esc(name)}</b> <span class='muted'>· {esc(progress)} · {esc(file_name)}</span>"


def signed_in(name: str, role: str) -> str:
    """Who is logged in, beside the *Log out* button."""
    return f"<span class='muted'>Logged in as</span> <b>{esc(name)}</b> <span class='muted'>({esc(role)})</span>"


def segment_head(seg_id: int, position: int, total: int, paragraph: int) -> str:
    return (f"<div class='seg-head' data-seg='{esc(seg_id)}'>Segment #{esc(seg_id)} <span class='muted'>· "
            f"{esc(position)} of {esc(total)} · paragraph {esc(paragraph)}</span></div>")


NO_SEGMENTS = "<span class='muted'>This project has no segments.</span>"


def target_info(tr) -> str:
    """The badge above a target box: status and origin, version, who changed it last and when."""
    cls = "confirmed" if tr.confirmed else ("new" if tr.status == "new" else "")
    when = f" · v{tr.version}" + (f" · {tr.updated_by} {tr.updated_at}" if tr.updated_at else "")
    return (f"<div class='tgt-info'><span class='badge {cls}'>{esc(M.status_label(tr))}</span>"
            f"<span class='muted'>{esc(when)}</span></div>")


def grid_info(first: int, count: int, shown: int, total: int, page: int, pages: int) -> str:
    """``Segments 1–50 of 120 (filtered from 300) · page 1/3`` (``first`` counts from 1)."""
    info = f"Segments {first}–{first + count - 1} of {shown}" if shown else "No segment matches"
    if shown != total:
        info += f" (filtered from {total})"
    return esc(info + f" · page {page + 1}/{pages}")


def column_widths(n_targets: int) -> list[str]:
    """Grid column widths: #, ¶, the source, then text and status of each target."""
    text = (92 - 10 * n_targets) / (n_targets + 1)  # #, ¶ take 8%; each status 10%
    return ["4%", "3%", f"{text:.0f}%"] + [f"{text:.0f}%", "10%"] * n_targets


# ------------------------------------------------------------------------------------------ notes panel


def origin_notes(tr) -> list[str]:
    """Where a target (a :class:`~workbench.core.store.Translation`) came from: the MT model (and its flags),
    the TM match, the alignment confidence."""
    items = []
    if tr.mt:
        flags = ", ".join(tr.mt.flags)
        items.append(f"MT: {esc(tr.mt.model or '?')}"
                     + (f" <span class='bad'>({esc(flags)})</span>" if flags else ""))
    if tr.tm:
        items.append(f"from TM: {esc(tr.tm.match)}% ({esc(tr.tm.tm or 'TM')})" + (
            " — keep its formatting tags: " + tags_html(" ".join(_tag_labels(tr.tm.codes))) if tr.tm.codes else ""))
    if tr.align:
        items.append(f"aligned, confidence {esc(tr.align.confidence)}"
                     + (" — check this link" if tr.align.review else ""))
    return items


def term_notes(report, empty: bool) -> list[str]:
    """The glossary check of a target (a :class:`~workbench.glossary.report.TermReport`): each expected term
    with whether the target uses it, then forbidden and deprecated terms used. ``empty``: the target has no
    text yet (expected terms are listed without a verdict)."""
    found = {(i["concept"], i.get("start")) for i in report.found}
    out = []
    for item in report.expected:
        arrow = f"{esc(item['source'])} → <b>{esc(item['target'])}</b>"
        review = " <span class='muted'>(term needs review)</span>" if item.get("needs_review") else ""
        if empty:
            out.append(f"<span class='term term-expected'>term: {arrow}{review}</span>")
        elif (item["concept"], item.get("start")) in found:
            out.append(f"<span class='ok term term-ok'>✓ term: {arrow}</span>")
        else:
            out.append(f"<span class='bad term term-missing'>✗ term missing: {arrow}{review}</span>")
    for item in list(report.forbidden) + list(getattr(report, "deprecated", []) or []):
        out.append(f"<span class='bad term term-bad'>⚠ {esc(item.get('message') or M.term_text(item))}</span>")
    return out


def term_check_failed(exc: Exception) -> str:
    return f"<span class='bad'>glossary check failed: {esc(exc)}</span>"


def finding_note(finding) -> str:
    """A QA finding (:class:`workbench.qa.Finding`)."""
    cls = "bad" if finding.severity in ("error", "warning") else "muted"
    return (f"<span class='{cls} qa-{esc(finding.code)}'>QA {esc(finding.severity)}: "
            f"{esc(finding.message)}</span>")


def _tag_labels(codes) -> list[str]:
    out = []
    for c in codes or []:
        if isinstance(c, dict) and c.get("kind") == "g":
            out += [f"<g{c.get('id')}>", f"</g{c.get('id')}>"]
        elif isinstance(c, dict):
            out.append(f"<{c.get('kind')}{c.get('id')}/>")
    return out


def tm_hit_note(hit) -> str:
    """A TM suggestion (:class:`workbench.tm.memory` match); inline codes of the target as tag chips."""
    return (f"<span class='tm-hit'><b>TM {hit.score:.0f}%</b> {tags_html(getattr(hit, 'tagged', hit.target))}"
            f" <span class='muted'>← {esc(hit.source)} ({esc(hit.tm)})</span></span>")


NO_NOTES = "<span class='muted'>no notes, no TM match, no QA finding</span>"


def panel(sections: Iterable[tuple[str, Sequence[str]]]) -> str:
    """The notes panel: one heading (a language name, plain text) and list of notes (HTML from the functions
    above) per target."""
    parts = [f"<h4>{esc(title)}</h4><ul>" + "".join(f"<li>{i}</li>" for i in (items or [NO_NOTES])) + "</ul>"
             for title, items in sections]
    return "<div class='panel'>" + "".join(parts) + "</div>"
