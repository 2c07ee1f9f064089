"""The HTML pieces the editor shows. Every text that comes from a project, the glossary, the TM or an error
message is escaped here, by :func:`esc`, and nowhere else: callers pass plain text and data, never markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from ..tm.tags import TAG_RE


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


def _tag_labels(codes) -> list[str]:
    out = []
    for c in codes or []:
        if isinstance(c, dict) and c.get("kind") == "g":
            out += [f"<g{c.get('id')}>", f"</g{c.get('id')}>"]
        elif isinstance(c, dict):
            out.append(f"<{c.get('kind')}{c.get('id')}/>")
    return out


NO_NOTES = "<span class='muted'>no notes, no TM match, no QA finding</span>"


def panel(sections: Iterable[tuple[str, Sequence[str]]]) -> str:
    """The notes panel: one heading (a language name, plain text) and list of notes (HTML from the functions
    above) per target."""
    parts = [f"<h4>{esc(title)}</h4><ul>" + "".join(f"<li>{i}</li>" for i in (items or [NO_NOTES])) + "</ul>"
             for title, items in sections]
    return "<div class='panel'>" + "".join(parts) + "</div>"
