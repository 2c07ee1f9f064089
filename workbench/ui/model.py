"""What the editor shows and does, computed from the store. No Gradio here: the tabs and the public API
endpoints (:mod:`workbench.ui.api`) both call these functions, and tests can too.

Everything is read from and written to :class:`workbench.core.store.Project`; nothing is cached except the open
project handles (the store is thread-safe), so a reload always shows what is on disk.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .. import LANGUAGES, qa
from ..core.config import SEED_ARTICLE, check_lang
from ..core.errors import InputError, NotFound
from ..core.projects import list_projects, projects_dir, safe_name
from ..core.store import CONFIRMED, Project, Segment, Translation
from ..core.views import ORIGIN_CHOICES, SCOPES, STATUS_CHOICES, SegmentFilter
from ..ingest.project import create_from_file
from ..ingest.readers import format_for_name, read_text

#: The target languages the editor has a box for (each hidden when a project does not use it).
TARGETS = tuple(code for code in LANGUAGES if code != "en")
#: The lowest TM match (%) the editor offers as a suggestion for the open segment.
TM_SUGGESTION_MIN = 60
STATUS_FILTERS = STATUS_CHOICES
ORIGIN_FILTERS = ORIGIN_CHOICES
STATUS_MARK = {"new": "○", "draft": "◐", "translated": "✓", "reviewed": "✓✓", "approved": "★"}


# ------------------------------------------------------------------------------------------ projects


class Workspace:
    """The projects this server may open: every ``*.db`` in one folder (default ``data_dir()/projects``)
    plus the files named on the command line. Names typed or uploaded in the browser are only ever looked
    up in this list, never used as paths. Open :class:`Project` handles are cached (they are thread-safe).
    """

    def __init__(self, folder: str | os.PathLike | None = None, extra: Iterable[str | os.PathLike] = ()):
        self.folder = Path(folder) if folder else projects_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._extra: list[Path] = []
        self._open: dict[Path, Project] = {}
        self._lock = threading.RLock()
        for p in extra:
            self.add(p)

    def add(self, path: str | os.PathLike) -> Path:
        path = Path(path).resolve()
        with self._lock:
            if path not in self._extra:
                self._extra.append(path)
        return path

    def available(self) -> list[Path]:
        seen: list[Path] = []
        for p in [*self._extra, *(q.resolve() for q in list_projects(self.folder))]:
            if p not in seen and p.is_file():
                seen.append(p)
        return seen

    def resolve(self, ref: str | os.PathLike) -> Path:
        """A project path from its full path (as listed) or its name (file stem); NotFound otherwise."""
        ref_s = str(ref or "").strip()
        if not ref_s:
            raise NotFound("no project is open: open or create one in the Projects tab")
        projects = self.available()
        for p in projects:
            if ref_s == str(p):
                return p
        for p in projects:
            if ref_s in (p.stem, p.name):
                return p
        raise NotFound(f"no project named {ref_s!r} here: create it in the Projects tab, or start the app with "
                       "--project")

    def project(self, ref: str | os.PathLike) -> Project:
        path = self.resolve(ref)
        with self._lock:
            proj = self._open.get(path)
            if proj is None:
                proj = self._open[path] = Project.open(path)
            return proj

    def new_path(self, name: str) -> Path:
        """A fresh ``.db`` path in the folder for a project called ``name`` (``-2``, ``-3``... if taken)."""
        stem = safe_name(Path(str(name)).stem if str(name).lower().endswith((".db",)) else str(name))
        path, n = self.folder / f"{stem}.db", 2
        while path.exists():
            path, n = self.folder / f"{stem}-{n}.db", n + 1
        return path

    def create(self, name: str, *, text: str | None = None, file: str | os.PathLike | None = None,
               upload_name: str | None = None, fmt: str | None = None,
               targets: Sequence[str] = ("ru", "km")) -> Path:
        """Create a project from pasted ``text`` or an uploaded ``file`` (whose own name is only used to
        guess the format and as a label). Returns its path."""
        targets = [check_lang(t) for t in targets]
        if not targets:
            raise InputError("choose at least one target language (Russian, Khmer)")
        fmt = None if fmt in (None, "", "auto") else fmt
        if file:
            label = safe_name(upload_name or Path(file).name)
            if fmt is None:
                fmt = format_for_name(upload_name or str(file))
                if fmt is None:
                    raise InputError(f"{label}: unknown document type; upload a .txt, .md or .html file")

            text = read_text(file)
            origin = label
        else:
            if not (text or "").strip():
                raise InputError("paste a document, or upload a .txt, .md or .html file")
            origin = "<pasted text>"
        name = (name or "").strip() or (Path(upload_name).stem if upload_name else "pasted")
        path = self.new_path(name)
        project = create_from_file(path, None, targets, name=name, text=text, fmt=fmt or "txt", origin=origin)
        with self._lock:
            self._open[path.resolve()] = project
        return path.resolve()

    def close_all(self) -> None:
        with self._lock:
            for proj in self._open.values():
                try:
                    proj.close()
                except Exception:  # pragma: no cover - closing twice is harmless
                    pass
            self._open.clear()


def project_summary(project: Project) -> dict[str, Any]:
    prog = project.progress()
    total = sum(next(iter(prog.values())).values()) if prog else 0
    confirmed = {lang: sum(n for s, n in counts.items() if s in CONFIRMED) for lang, counts in prog.items()}
    return {
        "name": project.name,
        "file": project.path.name,  # not the full path: gradio_client would try to download it
        "segments": total,
        "languages": list(project.target_langs),
        "confirmed": confirmed,
        "progress": prog,
    }


def progress_text(summary: dict[str, Any]) -> str:
    total = summary["segments"] or 0
    parts = []
    for lang in summary["languages"]:
        done = summary["confirmed"].get(lang, 0)
        pct = 100.0 * done / total if total else 0.0
        parts.append(f"{lang.upper()} {done}/{total} ({pct:.0f}%)")
    return " · ".join(parts)


# ------------------------------------------------------------------------------------------ labels


def origin_label(tr: Translation | None) -> str:
    """``MT``, ``TM 87%``, ``aligned 0.93``, ``human`` or an empty string."""
    if tr is None or not tr.origin:
        return ""
    if tr.origin == "tm":
        match = tr.tm.match if tr.tm else tr.score
        return f"TM {float(match):.0f}%" if match is not None else "TM"
    if tr.origin == "aligned":
        conf = tr.align.confidence if tr.align else tr.score
        label = f"aligned {float(conf):.2f}" if conf is not None else "aligned"
        if tr.align and tr.align.review:
            label += " (check)"
        return label
    if tr.origin == "mt":
        return "MT"
    return tr.origin


def status_label(tr: Translation | None) -> str:
    status = tr.status if tr else "new"
    text = f"{STATUS_MARK.get(status, '')} {status}".strip()
    origin = origin_label(tr)
    return f"{text} · {origin}" if origin else text


@dataclass(frozen=True)
class Problem:
    """A problem of one target: ``code`` says what it is (a QA check code, or ``term-missing`` /
    ``term-forbidden`` for a glossary term), ``message`` is the one line shown to people."""

    code: str
    message: str


#: Codes of the term problems recorded on a translation (the codes of :meth:`TermReport.problems`).
TERM_MISSING = "term-missing"
TERM_FORBIDDEN = "term-forbidden"


def stored_problems(tr: Translation | None) -> list[Problem]:
    """The term problems recorded on a translation when it was made (``meta["terms"]``: expected target terms
    that were missing, forbidden target terms that were used)."""
    if tr is None:
        return []
    terms = tr.terms
    if terms is None:
        return []
    return ([Problem(TERM_MISSING, f"term missing: {term_text(item)}") for item in terms.missing]
            + [Problem(TERM_FORBIDDEN, f"forbidden term: {term_text(item)}") for item in terms.forbidden])


def term_text(item: Any) -> str:
    """A glossary item (``{"source", "target", "concept"}``) as ``source → target``."""
    if isinstance(item, dict):
        src, tgt = item.get("source"), item.get("target")
        return f"{src} → {tgt}" if src and tgt else str(src or tgt or item.get("concept") or item)
    return str(item)


# ------------------------------------------------------------------------------------------ filters


@dataclass
class Filter:
    """Which segments the grid shows. The editor's filter inputs and its ``/ui_*`` events carry these fields
    in this order (:data:`FILTER_FIELDS`)."""

    status: str = "all"
    origin: str = "all"
    lang: str = "all"
    query: str = ""
    scope: str = "source and target"
    qa_only: bool = False

    @classmethod
    def from_values(cls, values: Sequence[Any]) -> Filter:
        """A filter from the inputs' values in :data:`FILTER_FIELDS` order; an empty value means the default."""
        if len(values) != len(FILTER_FIELDS):
            raise ValueError(f"expected {len(FILTER_FIELDS)} filter values ({', '.join(FILTER_FIELDS)}), "
                             f"got {len(values)}")
        default = cls()
        kw = {name: (value if value not in (None, "") else getattr(default, name))
              for name, value in zip(FILTER_FIELDS, values)}
        kw["qa_only"] = bool(kw["qa_only"])
        return cls(**kw)

    def active(self) -> bool:
        return (self.status, self.origin, self.query.strip(), self.qa_only) != ("all", "all", "", False)

    def view(self, langs: Sequence[str], qa_stamp: str | None = None) -> SegmentFilter:
        """The store's :class:`~workbench.core.views.SegmentFilter` for this filter; ``langs``: the targets
        "any target" means."""
        chosen = tuple(langs) if self.lang in ("all", "", None) else (self.lang,)
        status = self.status if self.status in STATUS_FILTERS else "all"
        origin = self.origin if self.origin in ORIGIN_FILTERS else "all"
        scope = self.scope if self.scope in SCOPES else "source and target"
        return SegmentFilter(status, origin, chosen, self.query, scope, qa_stamp if self.qa_only else None)


FILTER_FIELDS = tuple(f.name for f in fields(Filter))


def live_findings(seg: Segment, lang: str, src_lang: str, settings: dict | None = None, glossary=None) -> list:
    """QA findings (:func:`workbench.qa.check_segment`) for one target, computed now from its text.
    An untouched empty target (status ``new``) has none: it is simply not translated yet."""
    tr = seg.translations.get(lang)
    if tr is None or (not tr.text.strip() and tr.status == "new"):
        return []
    return qa.check_segment(seg.source, tr.text, src_lang, lang, settings=settings, glossary=glossary,
                            status=tr.status, segment_id=seg.id, meta=tr.meta)


# ------------------------------------------------------------------------------------------ editing


def save_edit(project: Project, segment_id: int, lang: str, text: str, *, status: str | None = None,
              expected_version: int | None, confirm: bool = False, author: str = "user") -> Translation | None:
    """:meth:`Project.save_edit <workbench.core.store.Project.save_edit>` (the editing rules live there)."""
    return project.save_edit(segment_id, lang, text, status=status, expected_version=expected_version,
                             confirm=confirm, author=author)


def split_offset(source: str, at: str) -> int:
    """Where to split ``source``: ``at`` is either a character offset or the text the second part starts
    with (its first occurrence after the first character)."""
    at = (at or "").strip()
    if not at:
        raise InputError("type where to split: the words the second part starts with, or a character offset")
    if at.isdigit():
        return int(at)
    idx = source.find(at, 1)
    if idx <= 0:
        raise InputError(f"{at!r} does not occur inside this segment's source text: type words from its middle")
    return idx


def translation_dict(tr: Translation) -> dict[str, Any]:
    return {
        "segment_id": tr.segment_id, "lang": tr.lang, "text": tr.text, "status": tr.status, "origin": tr.origin,
        "origin_label": origin_label(tr), "score": tr.score, "version": tr.version, "updated_at": tr.updated_at,
        "updated_by": tr.updated_by, "confirmed": tr.confirmed,
        "problems": [p.message for p in stored_problems(tr)],
    }


def segment_dict(seg: Segment) -> dict[str, Any]:
    return {
        "id": seg.id, "document_id": seg.document_id, "position": seg.position, "paragraph": seg.paragraph,
        "source": seg.source, "translations": {l: translation_dict(t) for l, t in seg.translations.items()},
    }


def lang_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def start_project(ws: Workspace, project: str | os.PathLike | None = None) -> Path:
    """The project the editor opens on start: ``project`` if given (it must exist), else the most recently
    changed one in the workspace, else a new one made from the seed article (first run)."""
    if project:
        path = Path(project)
        if not path.is_file():
            raise NotFound(f"{path}: no such project file; create one with 'workbench new {path} SOURCE --to ru,km'"
                           " or start without --project to get the seed article")
        Project.open(path).close()  # fail early, with one line, if it is not a project
        return ws.add(path)
    avail = ws.available()
    if avail:
        return max(avail, key=lambda p: p.stat().st_mtime)
    return ws.create("seed-article", file=SEED_ARTICLE, upload_name=SEED_ARTICLE.name, targets=("ru", "km"))


