"""The :class:`Glossary`: load/save (atomic, with history), edit, validate, find terms, check, enforce."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import re
import threading
from pathlib import Path

from ..core.config import GLOSSARY_DIR, LANGUAGES, check_lang, data_dir
from ..core.errors import InputError, NotFound, VersionConflict
from ..core.safeio import atomic_write_bytes
from ..core.workflow import EDIT_GLOSSARY, require
from . import formats
from .enforce import choose, fix_terms
from .match import Matcher, best_target, km_key
from .model import BAD_STATUSES, GOOD_STATUSES, STATUSES, Concept, Problem, Term, TermHit
from .report import TermReport

DEFAULT_FILE = "diplomatic.csv"
_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_ID_RE = re.compile(r"^[\w][\w.\-]*$")


def shipped_path() -> Path:
    """The default glossary shipped inside the package (read-only; the starting point of every user's copy)."""
    return GLOSSARY_DIR / DEFAULT_FILE


#: beside the user's copy: the digest of the shipped default it was made from (or last updated to)
_BASIS_FILE = ".shipped-sha256"


def default_path() -> Path:
    """The glossary the user edits: ``$WORKBENCH_GLOSSARY`` if set, else ``<data dir>/glossary/diplomatic.csv``.

    The data-directory copy is created from the shipped default (:func:`shipped_path`) the first time it is
    needed, so edits never touch the installed package. When a newer workbench ships a changed default, a copy
    nobody edited is brought up to it (the old version goes into the glossary history, so ``glossary undo``
    restores it); an edited copy is left alone and :func:`shipped_update` says how to take the new default in.
    """
    env = os.environ.get("WORKBENCH_GLOSSARY")
    if env:
        return Path(env)
    path = data_dir() / "glossary" / DEFAULT_FILE
    basis_file = path.parent / _BASIS_FILE
    shipped = shipped_path().read_bytes()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, shipped)
        _atomic_write(basis_file, _digest(shipped).encode())
        return path
    basis = basis_file.read_text(encoding="ascii").strip() if basis_file.exists() else None
    if basis is not None and basis != _digest(shipped):
        current = path.read_bytes()
        if _digest(current) == basis:  # an unedited copy of an older default: update it
            with _file_lock(path):
                _history_add(path, current, "before the update to the new shipped default")
                _atomic_write(path, shipped)
                _atomic_write(basis_file, _digest(shipped).encode())
    return path


def shipped_update() -> str | None:
    """A one-line notice when the shipped default differs from what the user's edited copy started from
    (None when there is nothing to take in, or ``$WORKBENCH_GLOSSARY`` points elsewhere)."""
    if os.environ.get("WORKBENCH_GLOSSARY"):
        return None
    path = default_path()
    basis_file = path.parent / _BASIS_FILE
    basis = basis_file.read_text(encoding="ascii").strip() if basis_file.exists() else None
    if basis == _digest(shipped_path().read_bytes()):
        return None
    return (f"{path}: this workbench ships a newer default glossary than the one your copy started from; "
            "'workbench glossary update' merges its new concepts and terms in (--replace takes its version of "
            "every shipped concept)")


def update_from_shipped(*, replace: bool = False, author: str | None = None) -> dict:
    """Merge the shipped default into the user's copy (new concepts and terms; with ``replace``, the shipped
    version of every concept it has) and record it as the copy's basis. Returns the merge counts."""
    path = default_path()
    g = Glossary.load(path)
    counts = g.merge(Glossary.load(shipped_path()), replace=replace)
    g.save(note="update from the shipped default" + (" (replace)" if replace else ""), author=author)
    _atomic_write(path.parent / _BASIS_FILE, _digest(shipped_path().read_bytes()).encode())
    return counts


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _norm_text(lang: str, text: str) -> str:
    if lang == "km":
        return km_key(text)
    return re.sub(r"\s+", " ", text.strip().lower().replace("ё", "е"))


_LANG_RANK = {"en": 0, "ru": 1, "km": 2}


def _sort_terms(c: Concept) -> None:
    """Terms grouped by language (en, ru, km, others), keeping their order within a language."""
    c.terms.sort(key=lambda t: (_LANG_RANK.get(t.lang, 3), t.lang if t.lang not in _LANG_RANK else ""))


class Glossary:
    """A set of concepts. Build one with :meth:`load` (a file) or ``Glossary(concepts)``."""

    def __init__(self, concepts=(), path: str | os.PathLike | None = None):
        self.path = Path(path) if path else None
        self._concepts: dict[str, Concept] = {}
        for c in concepts:
            if c.id in self._concepts:  # merge duplicates; validate() reports them from load_problems
                self._concepts[c.id].terms.extend(c.terms)
            else:
                self._concepts[c.id] = c
        for c in self._concepts.values():
            _sort_terms(c)
        self.load_problems: list[Problem] = []
        self.import_report: formats.ImportReport | None = None
        self._digest: str | None = None
        self._matchers: dict[str, Matcher] = {}
        self._lock = threading.RLock()

    # ----------------------------------------------------------------------------------- load / save

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, fmt: str | None = None) -> Glossary:
        p = Path(path) if path else default_path()
        if not p.exists():
            raise NotFound(f"{p}: glossary file not found (set WORKBENCH_GLOSSARY or give --glossary)")
        g = cls.read(p, fmt)
        g._digest = _digest(p.read_bytes())
        return g

    @classmethod
    def read(cls, path: str | os.PathLike, fmt: str | None = None, *, src_lang: str = "en",
             tgt_lang: str = "ru", langs=None) -> Glossary:
        """Parse a glossary file (csv / tbx / tsv / TICO-19 csv / xlsx) without validating its content.
        ``langs``: keep only these languages. What was kept and left out: ``g.import_report``."""
        p = Path(path)
        concepts, problems, report = formats.read(p, fmt, src_lang=src_lang, tgt_lang=tgt_lang,
                                                  langs=[check_lang(x) for x in langs] if langs else None)
        g = cls(concepts, p)
        g.load_problems = problems
        g.import_report = report
        return g

    @classmethod
    def import_file(cls, path, fmt=None, *, src_lang="en", tgt_lang="ru", langs=None, strict=False) -> Glossary:
        """Read a file for import: any error-level problem (empty term, unknown language, duplicate concept,
        a term both preferred and forbidden) raises :class:`InputError` naming the file; with ``strict``, any
        warning too. ``g.import_report`` says what was kept and left out."""
        g = cls.read(path, fmt, src_lang=src_lang, tgt_lang=tgt_lang, langs=langs)
        problems = g.validate()
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise InputError(f"{path}: {errors[0].message}{more}: fix the file and import again")
        report = g.import_report
        known = set(report.warnings)
        report.warnings += [p.message for p in problems if p.severity == "warning" and p.message not in known
                            and p not in g.load_problems]
        if strict and report.warnings:
            more = f" (and {len(report.warnings) - 1} more)" if len(report.warnings) > 1 else ""
            raise InputError(f"{path}: {len(report.warnings)} warning(s) and --strict: {report.warnings[0]}{more}")
        return g

    def dumps(self, fmt: str = "csv", *, src_lang: str = "en", tgt_lang: str = "ru") -> str:
        """The glossary as text in a text format (csv, tbx, tsv)."""
        if fmt not in ("csv", "tbx", "tsv"):
            raise InputError(f"cannot write glossary format {fmt!r} as text: use csv, tbx or tsv")
        return self.dump_bytes(fmt, src_lang=src_lang, tgt_lang=tgt_lang).decode("utf-8")

    def dump_bytes(self, fmt: str = "csv", *, src_lang: str = "en", tgt_lang: str = "ru") -> bytes:
        """The glossary as a file's bytes in any writable format (csv, tbx, tsv, xlsx)."""
        if fmt not in formats.WRITE_FORMATS:
            raise InputError(f"cannot write glossary format {fmt!r}: use {', '.join(formats.WRITE_FORMATS)}")
        return formats.dump(self.concepts(), fmt, src_lang=check_lang(src_lang), tgt_lang=check_lang(tgt_lang))

    def export(self, path, fmt: str | None = None, *, src_lang: str = "en", tgt_lang: str = "ru") -> Path:
        p = Path(path)
        fmt = formats.guess_format(p, fmt)
        if fmt == "tico":
            raise InputError(f"{p}: TICO-19 CSV is an import-only format: export csv, tbx, tsv or xlsx")
        _atomic_write(p, self.dump_bytes(fmt, src_lang=src_lang, tgt_lang=tgt_lang))
        return p

    def save(self, path: str | os.PathLike | None = None, *, note: str = "save", author: str | None = None) -> Path:
        """Write the glossary atomically (temp file + rename); the previous content goes to the history.

        Raises :class:`VersionConflict` if the file changed on disk since this glossary was loaded. An
        ``author`` given as a :class:`~workbench.core.workflow.Actor` must be allowed to edit the glossary
        (reviewers and admins), else :class:`~workbench.core.errors.PermissionDenied` and nothing is written;
        the history note names the author.
        """
        require(author, EDIT_GLOSSARY)
        if author:
            note = f"{note} by {author}"
        with self._lock:
            p = Path(path) if path else (self.path or default_path())
            fmt = formats.guess_format(p)
            data = self.dump_bytes(fmt)
            with _file_lock(p):
                if p.exists():
                    old = p.read_bytes()
                    same_file = self.path is not None and p.resolve() == self.path.resolve()
                    if same_file and self._digest is not None and _digest(old) != self._digest:
                        raise VersionConflict(f"{p}: the glossary was changed by someone else since it was loaded: "
                                              "reload it and make your edit again")
                    if old != data:
                        _history_add(p, old, note)
                _atomic_write(p, data)
            self.path = p
            self._digest = _digest(data)
            return p

    def history(self) -> list[dict]:
        """Earlier versions of this glossary's file, oldest first: ``{"version", "time", "note", "path"}``."""
        return _history_list(self.path or default_path())

    def undo(self, version: int | None = None) -> Glossary:
        """Restore an earlier version (default: the one before the last save) and return the reloaded
        glossary. The current content is kept in the history too, so an undo can itself be undone."""
        p = self.path or default_path()
        versions = self.history()
        if not versions:
            raise NotFound(f"{p}: no earlier version to go back to")
        if version is None:
            chosen = versions[-1]
        else:
            chosen = next((v for v in versions if v["version"] == version), None)
            if chosen is None:
                raise NotFound(f"{p}: no version {version}: see `workbench glossary history`")
        data = Path(chosen["path"]).read_bytes()
        with _file_lock(p):
            if p.exists():
                current = p.read_bytes()
                if self._digest is not None and _digest(current) != self._digest:
                    raise VersionConflict(f"{p}: the glossary was changed by someone else since it was loaded: "
                                          "reload it and undo again")
                _history_add(p, current, f"before undo to version {chosen['version']}")
            _atomic_write(p, data)
        return Glossary.load(p)

    # ----------------------------------------------------------------------------------- access

    def concepts(self) -> list[Concept]:
        return list(self._concepts.values())

    def __len__(self) -> int:
        return len(self._concepts)

    def __iter__(self):
        return iter(self.concepts())

    def __contains__(self, concept_id: str) -> bool:
        return concept_id in self._concepts

    def get(self, concept_id: str) -> Concept:
        try:
            return self._concepts[concept_id]
        except KeyError:
            raise NotFound(f"no concept {concept_id!r} in the glossary: see `workbench glossary search`") from None

    def search(self, query: str, lang: str | None = None) -> list[Concept]:
        """Concepts whose id, terms or definition contain ``query`` (case- and ``ё``-insensitive; Khmer
        normalised), best first: a term equal to the query, then a term (or the id) starting with it, then a
        word of a term starting with it, then a term containing it, then the id or definition containing it;
        the glossary's order within each rank."""
        lang = check_lang(lang) if lang else None
        ranked: list[tuple[int, int, Concept]] = []
        for n, c in enumerate(self._concepts.values()):
            best = None
            for t in c.terms:
                if lang not in (None, t.lang):
                    continue
                term, q = _norm_text(t.lang, t.text), _norm_text(t.lang, query)
                if not q or q not in term:
                    continue
                rank = 0 if term == q else 1 if term.startswith(q) else 2 if re.search(
                    r"(?<![^\W_])" + re.escape(q), term) else 3
                best = rank if best is None else min(best, rank)
            if not lang:
                q = _norm_text("en", query)
                cid = _norm_text("en", c.id)
                if q and cid.startswith(q):
                    best = min(best, 1) if best is not None else 1
                elif q and (q in cid or q in _norm_text("en", c.definition)):
                    best = min(best, 4) if best is not None else 4
            if best is not None:
                ranked.append((best, n, c))
        return [c for _, _, c in sorted(ranked, key=lambda x: (x[0], x[1]))]

    # ----------------------------------------------------------------------------------- editing

    def _changed(self) -> None:
        self._matchers = {}

    def add_concept(self, concept_id: str, *, domain: str = "", pos: str = "", definition: str = "",
                    terms=()) -> Concept:
        concept_id = (concept_id or "").strip()
        if not concept_id or not _ID_RE.match(concept_id):
            raise InputError(f"bad concept id {concept_id!r}: "
                             "use letters, digits, '-', '_' or '.' (e.g. east-asia-summit)")
        if concept_id in self._concepts:
            raise InputError(f"concept {concept_id!r} already exists: use `glossary edit` or another id")
        c = Concept(concept_id, domain.strip(), pos.strip(), definition.strip())
        with self._lock:
            self._concepts[concept_id] = c
            for t in terms:
                self.add_term(concept_id, **(t if isinstance(t, dict) else t.to_dict()))
            self._changed()
        return c

    def add_term(self, concept_id: str, lang: str, text: str, status: str = "preferred", case=None,
                 needs_review: bool = False, source: str = "", note: str = "") -> Term:
        c = self.get(concept_id)
        lang = check_lang(lang)
        text = re.sub(r"\s+", " ", (text or "").strip())
        if not text:
            raise InputError(f"empty {lang} term for concept {concept_id!r}: give the term's text")
        if status not in STATUSES:
            raise InputError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        if any(t.lang == lang and t.text == text for t in c.terms):
            raise InputError(f"concept {concept_id!r} already has the {lang} term {text!r}: use `glossary edit`")
        t = Term(lang, text, status, case, bool(needs_review), source.strip(), note.strip())
        with self._lock:
            c.terms.append(t)
            _sort_terms(c)
            self._changed()
        return t

    def edit_concept(self, concept_id: str, **fields) -> Concept:
        c = self.get(concept_id)
        for k, v in fields.items():
            if k not in ("domain", "pos", "definition"):
                raise InputError(f"cannot edit concept field {k!r}: use domain, pos or definition")
            if v is not None:
                setattr(c, k, str(v).strip())
        self._changed()
        return c

    def find_term(self, concept_id: str, lang: str, text: str) -> Term:
        c = self.get(concept_id)
        lang = check_lang(lang)
        for t in c.terms:
            if t.lang == lang and t.text == text.strip():
                return t
        raise NotFound(f"concept {concept_id!r} has no {lang} term {text!r}")

    def edit_term(self, concept_id: str, lang: str, text: str, *, new_text: str | None = None,
                  status: str | None = None, case="keep", needs_review: bool | None = None,
                  source: str | None = None, note: str | None = None) -> Term:
        t = self.find_term(concept_id, lang, text)
        if new_text is not None:
            new_text = re.sub(r"\s+", " ", new_text.strip())
            if not new_text:
                raise InputError(f"empty {t.lang} term for concept {concept_id!r}: give the term's text")
            t.text = new_text
        if status is not None:
            if status not in STATUSES:
                raise InputError(f"status {status!r} is not one of {', '.join(STATUSES)}")
            t.status = status
        if case != "keep":
            t.case = case
        if needs_review is not None:
            t.needs_review = bool(needs_review)
        if source is not None:
            t.source = source.strip()
        if note is not None:
            t.note = note.strip()
        self._changed()
        return t

    def remove_concept(self, concept_id: str) -> Concept:
        c = self.get(concept_id)
        with self._lock:
            del self._concepts[concept_id]
            self._changed()
        return c

    def remove_term(self, concept_id: str, lang: str, text: str) -> Term:
        t = self.find_term(concept_id, lang, text)
        with self._lock:
            self._concepts[concept_id].terms.remove(t)
            self._changed()
        return t

    def merge(self, other: Glossary, *, replace: bool = False) -> dict:
        """Add ``other``'s concepts: new ids are added; for an existing id, new terms are appended (or, with
        ``replace``, the concept is replaced). Returns counts."""
        added = updated = terms = 0
        with self._lock:
            for c in other.concepts():
                mine = self._concepts.get(c.id)
                if mine is None or replace:
                    copied = [Term(**t.to_dict()) for t in c.terms]
                    self._concepts[c.id] = Concept(c.id, c.domain, c.pos, c.definition, copied)
                    added += mine is None
                    updated += mine is not None
                    terms += len(c.terms)
                    continue
                changed = False
                for f in ("domain", "pos", "definition"):
                    if getattr(c, f) and not getattr(mine, f):
                        setattr(mine, f, getattr(c, f))
                        changed = True
                for t in c.terms:
                    if not any(x.lang == t.lang and x.text == t.text for x in mine.terms):
                        mine.terms.append(Term(**t.to_dict()))
                        terms += 1
                        changed = True
                _sort_terms(mine)
                updated += changed
            self._changed()
        return {"added": added, "updated": updated, "terms": terms}

    # ----------------------------------------------------------------------------------- validation

    def validate(self) -> list[Problem]:
        """Problems: empty terms, duplicate concepts, a term both preferred and forbidden, unknown languages,
        bad statuses, concepts without terms or without a preferred term, the same term in two concepts."""
        out = list(self.load_problems)
        seen_terms: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for c in self._concepts.values():
            if not c.terms:
                out.append(Problem("error", "no-terms", f"concept {c.id!r} has no terms", concept=c.id))
            for t in c.terms:
                if not t.text.strip():
                    if not any(p.code == "empty-term" and p.concept == c.id for p in self.load_problems):
                        out.append(Problem("error", "empty-term", f"concept {c.id!r} has an empty {t.lang} term",
                                           concept=c.id, lang=t.lang))
                    continue
                if t.lang not in LANGUAGES and not any(p.code == "unknown-language" and p.lang == t.lang
                                                       for p in out):
                    out.append(Problem("error", "unknown-language",
                                       f"unknown language code {t.lang!r} (term {t.text!r})",
                                       concept=c.id, lang=t.lang))
                if t.status not in STATUSES:
                    out.append(Problem("error", "bad-status", f"status {t.status!r} of {t.text!r}", c.id, t.lang))
                seen_terms.setdefault((t.lang, _norm_text(t.lang, t.text)), []).append((c.id, t.status))
            for lang in c.languages():
                good = c.terms_in(lang, GOOD_STATUSES)
                if c.terms_in(lang) and not good:
                    out.append(Problem("warning", "no-preferred", f"concept {c.id!r} has no preferred or admitted "
                                       f"{lang} term", concept=c.id, lang=lang))
        for (lang, text), uses in seen_terms.items():
            statuses = {s for _, s in uses}
            ids = sorted({i for i, _ in uses})
            if statuses & GOOD_STATUSES and "forbidden" in statuses:
                out.append(Problem("error", "preferred-and-forbidden",
                                   f"{lang} term {text!r} is both allowed and forbidden (concepts {', '.join(ids)})",
                                   concept=ids[0], lang=lang))
            elif len(uses) > 1 and len(ids) == 1:
                out.append(Problem("warning", "duplicate-term", f"{lang} term {text!r} listed twice in {ids[0]!r}",
                                   concept=ids[0], lang=lang))
            elif len(ids) > 1:
                out.append(Problem("warning", "shared-term",
                                   f"{lang} term {text!r} belongs to several concepts: {', '.join(ids)}",
                                   concept=ids[0], lang=lang))
        return out

    # ----------------------------------------------------------------------------------- matching

    def matcher(self, lang: str) -> Matcher:
        lang = check_lang(lang)
        with self._lock:
            m = self._matchers.get(lang)
            if m is None:
                m = Matcher(lang)
                entries = [(c, t) for c in self._concepts.values() for t in c.terms
                           if t.lang == lang and t.text.strip()]
                entries.sort(key=lambda ct: _STATUS_RANK.get(ct[1].status, 9))
                for c, t in entries:
                    m.add(t.text, t.case, (c, t))
                self._matchers[lang] = m
            return m

    def find_terms(self, text: str, lang: str) -> list[TermHit]:
        """Glossary terms in ``text`` (any status), longest first, no overlaps, in text order."""
        return [TermHit(c.id, s, e, text[s:e], t, c) for s, e, (c, t) in self.matcher(lang).find(text or "")]

    def find_all(self, text: str, lang: str) -> list[TermHit]:
        """Like :meth:`find_terms` but keeps overlapping and nested matches."""
        return [TermHit(c.id, s, e, text[s:e], t, c) for s, e, (c, t) in self.matcher(lang).find_all(text or "")]

    def check(self, source: str, target: str, src_lang: str = "en", tgt_lang: str = "ru") -> TermReport:
        """Which glossary concepts of ``source`` are rendered in ``target`` by an allowed term, which are
        missing (warning; info when the expected term still needs review) and which forbidden (error) or
        deprecated (warning) terms the target uses."""
        src_lang, tgt_lang = check_lang(src_lang), check_lang(tgt_lang)
        report = TermReport(src_lang, tgt_lang)
        src_hits = self.find_terms(source, src_lang)
        tgt_hits = self.find_all(target, tgt_lang)
        good_spans = [(h.start, h.end) for h in tgt_hits if h.term.status in GOOD_STATUSES]
        seen: set[str] = set()
        for h in src_hits:
            if h.concept_id in seen:
                continue
            seen.add(h.concept_id)
            pref = best_target(h.concept, tgt_lang, h.term.text, src_lang)
            if pref is None:
                continue
            item = {"concept": h.concept_id, "source": h.matched, "target": pref.text, "domain": h.concept.domain,
                    "needs_review": pref.needs_review, "start": h.start, "end": h.end}
            report.expected.append(dict(item))
            match = next((t for t in tgt_hits if t.concept_id == h.concept_id and t.term.status in GOOD_STATUSES), None)
            if match:
                report.found.append({**item, "matched": match.matched, "target_start": match.start,
                                     "target_end": match.end})
            else:
                sev = "info" if pref.needs_review else "warning"
                report.missing.append({**item, "severity": sev,
                                       "message": f"glossary: '{h.matched}' should be rendered as '{pref.text}'"
                                                  + (" (term needs review)" if pref.needs_review else "")})
        src_concepts = {h.concept_id: h for h in src_hits}
        for t in tgt_hits:
            if t.term.status not in BAD_STATUSES:
                continue
            if any(s <= t.start and t.end <= e and (e - s) > (t.end - t.start) for s, e in good_spans):
                continue  # part of a longer allowed term
            sh = src_concepts.get(t.concept_id)
            pref = best_target(t.concept, tgt_lang, t.term.text, tgt_lang)
            forbidden = t.term.status == "forbidden"
            item = {"concept": t.concept_id, "source": sh.matched if sh else "", "target": pref.text if pref else "",
                    "used": t.matched, "status": t.term.status, "severity": "error" if forbidden else "warning",
                    "target_start": t.start, "target_end": t.end,
                    "message": f"glossary: {'forbidden' if forbidden else 'deprecated'} term '{t.matched}'"
                               + (f": use '{pref.text}'" if pref else "")}
            (report.forbidden if forbidden else report.deprecated).append(item)
        return report

    # ----------------------------------------------------------------------------------- enforcement

    def fix(self, source: str, target: str, tgt_lang: str = "ru", src_lang: str = "en") -> str:
        return fix_terms(self, source, target, src_lang, tgt_lang)[0]

    def choose(self, source: str, hypotheses, tgt_lang: str, src_lang: str = "en", **kw):
        return choose(self, source, hypotheses, tgt_lang, src_lang=src_lang, **kw)


# ------------------------------------------------------------------------------------------- files


def _atomic_write(path: Path, data: bytes) -> None:
    """Write-then-rename (temporary file in the same folder, fsync, rename, fsync the folder)."""
    atomic_write_bytes(path, data)


@contextlib.contextmanager
def _file_lock(path: Path):
    """An exclusive lock (per glossary file, across processes) around check-then-replace in save/undo."""
    d = history_dir(path)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / ".lock", "a") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except (ImportError, OSError):  # pragma: no cover - no flock (Windows): the digest check still applies
            pass
        yield


def history_dir(path: Path) -> Path:
    """Where earlier versions of ``path`` are kept: ``$WORKBENCH_HOME/glossary-history/<name>-<hash>/``."""
    key = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:10]
    return data_dir() / "glossary-history" / f"{Path(path).stem}-{key}"


_HIST_RE = re.compile(r"^(\d{5})-(\d{8}T\d{6}Z)-(.*)\.[a-z]+$")


def _history_list(path: Path) -> list[dict]:
    d = history_dir(path)
    out = []
    if d.is_dir():
        for f in sorted(d.iterdir()):
            m = _HIST_RE.match(f.name)
            if m:
                t = _dt.datetime.strptime(m.group(2), "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%dT%H:%M:%SZ")
                out.append({"version": int(m.group(1)), "time": t, "note": m.group(3).replace("_", " "),
                            "path": str(f)})
    return out


def _history_add(path: Path, data: bytes, note: str) -> None:
    d = history_dir(path)
    d.mkdir(parents=True, exist_ok=True)
    existing = _history_list(path)
    n = existing[-1]["version"] + 1 if existing else 1
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    safe = re.sub(r"[^\w.-]+", "_", note)[:60] or "save"
    _atomic_write(d / f"{n:05d}-{stamp}-{safe}{Path(path).suffix or '.csv'}", data)
