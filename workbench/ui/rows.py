"""The HTML of the segment desk: one row per segment (source with glossary and search highlights, the targets
shown, status chips) and the panel beside the active row (glossary terms, TM matches, QA findings with their
positions, notes, history).

All text is escaped here (with :func:`workbench.ui.render.esc`); highlights are inline ``<mark>`` elements
inside the text, so they never split a word across lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..tm.tags import TAG_RE
from . import model as M
from .render import esc, tags_html


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of a text: ``cls`` is the CSS class (``term``, ``hit``, ``qa``), ``title`` its
    tooltip."""

    start: int
    end: int
    cls: str
    title: str = ""


def highlight(text: str, spans: Iterable[Span] = ()) -> str:
    """``text`` as HTML with each span wrapped in ``<mark class=...>``; overlapping spans are cut into pieces
    that carry every class covering them (one ``<mark>`` never nests in another)."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not spans:
        return esc(text)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = esc(text[a:b])
        cover = [s for s in spans if s.start <= a and b <= s.end]
        if cover:
            classes = " ".join(dict.fromkeys(s.cls for s in cover))
            title = " · ".join(dict.fromkeys(s.title for s in cover if s.title))
            out.append(f"<mark class='{classes}'" + (f" title='{esc(title)}'" if title else "") + f">{piece}</mark>")
        else:
            out.append(piece)
    return "".join(out)


def hit_spans(text: str, query: str) -> list[Span]:
    """Where ``query`` occurs in ``text`` (case-insensitive, any script)."""
    query = (query or "").strip()
    if not query or not text:
        return []
    return [Span(m.start(), m.end(), "hit") for m in re.finditer(re.escape(query), text, re.IGNORECASE)]


def term_spans(hits: Sequence[Any], expected: dict[str, str] | None = None) -> list[Span]:
    """Glossary term hits in a source (``TermHit``: ``start``, ``end``, ``concept_id``), longest first where
    they overlap; ``expected``: concept id -> the target terms, for the tooltip."""
    out: list[Span] = []
    taken: list[tuple[int, int]] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if any(h.start < b and a < h.end for a, b in taken):
            continue
        taken.append((h.start, h.end))
        title = h.concept_id + (f" → {expected[h.concept_id]}" if expected and expected.get(h.concept_id) else "")
        out.append(Span(h.start, h.end, "term", title))
    return out


# ------------------------------------------------------------------------------------------ rows


def status_chip(tr) -> str:
    """``✓ translated`` as a chip (never wrapped), with the origin after it (none for an empty target)."""
    status = tr.status if tr else "new"
    origin = M.origin_label(tr) if tr and tr.text else ""
    chip = f"<span class='wb-st st-{esc(status)}'>{esc(M.STATUS_MARK.get(status, ''))} {esc(status)}</span>"
    return chip + (f"<span class='wb-origin'>{esc(origin)}</span>" if origin else "")


def tag_spans(text: str) -> list[Span]:
    """The tags standing for inline codes (``<g1>``, ``</g1>``, ``<x2/>``), shown as chips."""
    return [Span(m.start(), m.end(), "wb-tag") for m in TAG_RE.finditer(text)]


def target_cell(lang: str, tr, *, query: str = "", qa_problems: int = 0) -> str:
    text = tr.text if tr else ""
    body = highlight(text, hit_spans(text, query) + tag_spans(text)) if text else "<span class='wb-empty'>—</span>"
    qa = (f"<span class='wb-qa' title='QA problems: {qa_problems}'>⚠ {qa_problems}</span>" if qa_problems else "")
    who = f"<span class='wb-by'>{esc(tr.updated_by)}</span>" if tr and tr.updated_by else ""
    return (f"<div class='wb-tgt' data-lang='{esc(lang)}'><div class='wb-text' lang='{esc(lang)}'>{body}</div>"
            f"<div class='wb-meta'>{status_chip(tr)}{qa}{who}</div></div>")


def lock_names(label: str) -> str:
    """The names of a lock label (``rita and boris are editing`` -> ``rita and boris``), for the row's chip."""
    for tail in (" are editing", " is editing"):
        if label.endswith(tail):
            return label[: -len(tail)]
    return label


def row_html(seg, langs: Sequence[str], *, src_spans: Sequence[Span] = (), query: str = "",
             qa: dict[str, int] | None = None, lock: str = "") -> str:
    """One segment as a row of the desk: number, source, the ``langs`` targets, a lock chip and a message
    slot (filled by the browser after a save)."""
    spans = list(src_spans) + hit_spans(seg.source, query)
    cells = "".join(target_cell(l, seg.translations.get(l), query=query, qa_problems=(qa or {}).get(l, 0))
                    for l in langs)
    lock_html = f"<span class='wb-lock' title='{esc(lock)}'>✎ {esc(lock_names(lock))}</span>" if lock else ""
    return (f"<div class='wb-num'><span class='wb-id' title='segment id'>#{esc(seg.id)}</span>"
            f"<span class='wb-para' title='paragraph'>¶{esc(seg.paragraph + 1)}</span>{lock_html}</div>"
            f"<div class='wb-src' lang='en'>{highlight(seg.source, spans)}</div>{cells}"
            "<div class='wb-rowmsg' role='status'></div>")


# ------------------------------------------------------------------------------------------ panel


def panel_head(seg, position: int, in_doc: int, doc_title: str, lock: str = "") -> str:
    """The panel's heading (the segment's id, its position in its document), who else has it open, and the
    segment's own actions."""
    buttons = "".join(f"<button type='button' data-act='{act}' title='{esc(title)}'>{esc(label)}</button>"
                      for act, label, title in (
                          ("split", "Split…", "split before the words selected in the source (or typed)"),
                          ("merge", "Merge with next", "join the next segment of the document into this one"),
                          ("reload", "Reload", "show what is stored now (drops what you typed)")))
    return (f"<div class='wb-phead'><b>Segment id {esc(seg.id)}</b> <span class='muted'>· position {esc(position)} "
            f"of {esc(in_doc)} in “{esc(doc_title)}” · paragraph {esc(seg.paragraph + 1)}</span>"
            + (f"<div class='wb-plock'>✎ {esc(lock)} this segment too: your saves are checked against theirs"
               "</div>" if lock else "")
            + f"<div class='wb-segacts'>{buttons}</div></div>")


def term_items(report, lang: str, empty: bool) -> list[tuple[str, str]]:
    """The glossary check of one target as ``(html, text to insert)`` items, numbered by the caller."""
    found = {(i["concept"], i.get("start")) for i in report.found}
    out = []
    for item in report.expected:
        arrow = f"{esc(item['source'])} → <b lang='{esc(lang)}'>{esc(item['target'])}</b>"
        review = " <span class='muted'>(term needs review)</span>" if item.get("needs_review") else ""
        if empty:
            html = f"<span class='term term-expected'>{arrow}{review}</span>"
        elif (item["concept"], item.get("start")) in found:
            html = f"<span class='ok term term-ok'>✓ {arrow}</span>"
        else:
            html = f"<span class='bad term term-missing'>✗ missing: {arrow}{review}</span>"
        out.append((html, item["target"]))
    for item in list(report.forbidden) + list(getattr(report, "deprecated", []) or []):
        out.append((f"<span class='bad term term-bad'>⚠ {esc(item.get('message') or M.term_text(item))}</span>", ""))
    return out


def numbered(items: Sequence[tuple[str, str]], kind: str, keys: str) -> str:
    """A list whose insertable items carry their number and shortcut (``kind``: ``term`` or ``tm``)."""
    rows = []
    n = 0
    for html, insert in items:
        if insert:
            n += 1
            key = f"{keys}+{n}" if n <= 9 else ""
            rows.append(f"<li class='wb-ins' data-kind='{kind}' data-n='{n}' data-insert='{esc(insert)}' "
                        f"title='click or {esc(key)}: insert at the caret'><span class='wb-n'>{n}</span>{html}</li>")
        else:
            rows.append(f"<li>{html}</li>")
    return "".join(rows)


def tm_items(hits) -> list[tuple[str, str]]:
    """TM matches, their inline codes shown as tag chips; what is inserted is the match's plain text: a
    project's source carries no formatting codes, and tags typed into a target would have no codes behind
    them (the export would write them as literal text)."""
    out = []
    for hit in hits:
        shown = getattr(hit, "tagged", None) or hit.target
        out.append((f"<span class='tm-hit'><b>{hit.score:.0f}%</b> {tags_html(shown)} <span class='muted'>← "
                    f"{esc(hit.source)} ({esc(hit.tm)})</span></span>", hit.target))
    return out


def finding_items(findings, target: str) -> str:
    """QA findings with their places (1-based character positions in the target; the same problem found
    at several places is one finding); clicking one selects its first place in the target box."""
    out = []
    for f in findings:
        cls = "bad" if f.severity in ("error", "warning") else "muted"
        spans = list(getattr(f, "spans", None) or ([f.span] if f.span else []))
        where = data = ""
        if spans:
            places = ", ".join(f"{a + 1}–{b}" for a, b in spans)
            pieces = {target[a:b] for a, b in spans}
            quoted = f": “{esc(next(iter(pieces)))}”" if len(pieces) == 1 else ""
            where = f" <span class='wb-where'>at {esc(places)}{quoted}</span>"
            data = f" data-start='{spans[0][0]}' data-end='{spans[0][1]}'"
        out.append(f"<li class='wb-finding {cls} qa-{esc(f.code)}'{data}>{esc(f.severity)}: {esc(f.message)}{where}"
                   "</li>")
    return "".join(out)


def history_items(entries: Sequence[Any], limit: int = 30) -> str:
    """The history of a segment, newest first: when, who, what changed (status, origin), the text."""
    out = []
    for h in list(reversed(entries))[:limit]:
        status = h.new_status if h.old_status == h.new_status else f"{h.old_status} → {h.new_status}"
        when = h.at.replace("T", " ").rstrip("Z")
        out.append(f"<li><div class='wb-hline'><span class='wb-hwhen'>{esc(when)}</span> "
                   f"<b>{esc(h.author)}</b> <span class='wb-haction'>{esc(h.action)}</span> "
                   f"<span class='wb-hlang'>{esc(h.lang.upper())}</span> {esc(status)}"
                   + (f" <span class='muted'>({esc(h.new_origin)})</span>" if h.new_origin else "")
                   + f"</div><div class='wb-htext' lang='{esc(h.lang)}'>{esc(h.new_text or '') or '—'}</div></li>")
    return "".join(out) or "<li class='muted'>no changes yet</li>"


def panel_section(title: str, body: str, cls: str = "") -> str:
    return f"<section class='wb-psec {cls}'><h4>{esc(title)}</h4><ul>{body}</ul></section>" if body else ""


# ------------------------------------------------------------------------------------------ the desk


def desk_skeleton(statuses: Sequence[str], confirmed: Sequence[str], status_filters: Sequence[str],
                  origin_filters: Sequence[str], scopes: Sequence[str]) -> str:
    """The desk's fixed frame (its browser code fills the rows and the panel): the filter toolbar, the tools
    strip (pre-translation), the list with its column heads, the panel, the keys legend."""
    import json

    def options(values: Sequence[str]) -> str:
        return "".join(f"<option value='{esc(v)}'>{esc(v)}</option>" for v in values)

    keys = ("<kbd>Ctrl</kbd>+<kbd>Enter</kbd> confirm → next unconfirmed · <kbd>Ctrl</kbd>+<kbd>S</kbd> save · "
            "<kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> previous/next · <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>T</kbd>/"
            "<kbd>R</kbd>/<kbd>A</kbd>/<kbd>D</kbd> translated/reviewed/approved/draft · <kbd>Ctrl</kbd>+<kbd>Alt</kbd>"
            "+<kbd>1</kbd>…<kbd>9</kbd> insert glossary term · <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>1</kbd>…"
            "<kbd>9</kbd> insert TM match · <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>U</kbd> undo · "
            "<kbd>Ctrl</kbd>+<kbd>Ins</kbd> copy source")
    return (
        f"<div class='wb-desk' data-statuses='{esc(json.dumps(list(statuses)))}' "
        f"data-confirmed='{esc(json.dumps(list(confirmed)))}'>"
        "<div class='wb-toolbar'>"
        f"<label>Status <select data-f='status'>{options(status_filters)}</select></label>"
        f"<label>Origin <select data-f='origin'>{options(origin_filters)}</select></label>"
        "<label>in <select data-f='lang'></select></label>"
        "<label class='wb-qa-only'><input type='checkbox' data-f='qa'> QA problems only</label>"
        "<input type='search' data-f='query' placeholder='Search (Enter)' aria-label='search'>"
        f"<select data-f='scope' aria-label='search in'>{options(scopes)}</select>"
        "<span class='wb-show'>Show <span class='wb-show-langs'></span></span>"
        "<span class='wb-pager'><button type='button' data-act='prev-page' title='previous page'>◀</button>"
        "<span class='wb-pageinfo'></span>"
        "<button type='button' data-act='next-page' title='next page'>▶</button></span>"
        "<button type='button' data-act='tools' title='pre-translation'>Pre-translate…</button>"
        "<span class='wb-mt-missing' hidden><span class='wb-mt-gap'></span> <button type='button' "
        "data-act='models'>Open the Models tab</button></span>"
        "</div>"
        "<div class='wb-tools' hidden><b>Pre-translate all untouched segments</b> (TM, then MT with the glossary; "
        "runs in the background): <span class='wb-mt-langs'></span> <button type='button' data-act='pretranslate'"
        " class='primary'>Start</button><div class='wb-mt-notes'></div></div>"
        "<div class='wb-notice' hidden></div>"
        "<div class='wb-main'><div class='wb-list' tabindex='-1'><div class='wb-colhead'></div>"
        "<div class='wb-rows'></div></div><aside class='wb-panel' aria-live='polite'></aside></div>"
        f"<div class='keys'>{keys}</div></div>")
