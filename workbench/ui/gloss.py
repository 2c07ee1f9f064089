"""The editor's view of the glossary (:mod:`workbench.glossary`): one file, reloaded when it changes on disk,
saved (atomically, with the glossary's own history) after every change made in the Glossary tab, so the
segment panel's term checks use the new terms at once.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..core.errors import InputError, NotFound
from ..core.workflow import EDIT_GLOSSARY, require
from ..glossary import Glossary, default_path
from ..glossary.formats import guess_format

TERM_LANGS = ("en", "ru", "km")
HEADERS = ["concept", "domain", "EN", "RU", "KM"]


def _terms_text(concept, lang: str) -> str:
    out = []
    for t in concept.terms_in(lang):
        out.append(t.text if t.status == "preferred" else f"{t.text} ({t.status})")
    return "; ".join(out)


class GlossaryStore:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else Path(default_path())
        self._g = None
        self._stamp: int | None = None
        self._lock = threading.RLock()

    def get(self):
        """The glossary, reloaded if its file changed since it was read."""
        with self._lock:
            try:
                stamp = self.path.stat().st_mtime_ns
            except OSError:
                raise NotFound(f"{self.path}: glossary file not found; import one in the Glossary tab") from None
            if self._g is None or stamp != self._stamp:
                self._g = Glossary.load(self.path)
                self._stamp = stamp
            return self._g

    def _save(self, note: str, author: str | None) -> None:
        g = self._g
        g.save(self.path, note=note, author=author)
        self._stamp = self.path.stat().st_mtime_ns

    def rows(self, query: str = "") -> list[list[str]]:
        g = self.get()
        concepts = g.search(query) if (query or "").strip() else g.concepts()
        return [[c.id, c.domain, *(_terms_text(c, l) for l in TERM_LANGS)] for c in concepts]

    def concept(self, concept_id: str) -> dict[str, Any]:
        c = self.get().get(concept_id)
        pref = {l: (c.preferred(l).text if c.preferred(l) else "") for l in TERM_LANGS}
        return {"id": c.id, "domain": c.domain, "definition": c.definition, **pref,
                "terms": [t.to_dict() for t in c.terms]}

    def save_concept(self, concept_id: str, *, domain: str = "", definition: str = "", terms: dict[str, str],
                     status: str = "preferred", author: str | None = None) -> str:
        """Add a concept, or update one: each given ``terms[lang]`` becomes that language's term with
        ``status`` (an existing term of the same text changes status; a new text is added and the old
        preferred term is kept as ``admitted``). Returns a one-line summary. Every change checks first that
        ``author`` may edit the glossary (:func:`~workbench.core.workflow.require`)."""
        require(author, EDIT_GLOSSARY)
        concept_id = (concept_id or "").strip()
        if not any((v or "").strip() for v in terms.values()):
            raise InputError("give at least one term (EN, RU or KM) for the concept")
        with self._lock:
            g = self.get()
            created = concept_id not in g
            try:
                if created:
                    g.add_concept(concept_id, domain=domain or "", definition=definition or "")
                else:
                    g.edit_concept(concept_id, domain=domain or None, definition=definition or None)
                for lang, text in terms.items():
                    text = (text or "").strip()
                    if not text:
                        continue
                    c = g.get(concept_id)
                    same = [t for t in c.terms_in(lang) if t.text == text]
                    if same:
                        if same[0].status != status:
                            g.edit_term(concept_id, lang, text, status=status)
                        continue
                    if status == "preferred":
                        for t in c.terms_in(lang, ("preferred",)):
                            g.edit_term(concept_id, lang, t.text, status="admitted")
                    g.add_term(concept_id, lang, text, status)
                self._save(f"ui: {'add' if created else 'edit'} {concept_id}", author)
            except BaseException:
                self._g = None  # drop the half-changed copy; the file is unchanged
                raise
        return f"{'Added' if created else 'Updated'} concept {concept_id}."

    def delete(self, concept_id: str, *, author: str | None = None) -> str:
        require(author, EDIT_GLOSSARY)
        with self._lock:
            g = self.get()
            try:
                g.remove_concept((concept_id or "").strip())
                self._save(f"ui: delete {concept_id}", author)
            except BaseException:
                self._g = None
                raise
        return f"Deleted concept {concept_id} (the glossary history keeps it)."

    def import_file(self, path: str | os.PathLike, name: str, *, author: str | None = None) -> str:
        """Merge an uploaded TBX/CSV/TSV/XLSX file (format from the upload's name; the name is never a path).
        Returns the import report and what the merge did."""
        require(author, EDIT_GLOSSARY)
        fmt = guess_format(Path(Path(name).name), None)
        other = Glossary.import_file(path, fmt)
        report = other.import_report.lines() if other.import_report else []
        if report:  # the report names the uploaded file by the upload's name, not the temporary path
            report[0] = Path(name).name + report[0][len(Path(path).name):]
        with self._lock:
            g = self.get()
            try:
                counts = g.merge(other)
                self._save(f"ui: import {Path(name).name}", author)
            except BaseException:
                self._g = None
                raise
        return "\n".join(report + [f"Imported {Path(name).name}: "
                                    + ", ".join(f"{v} {k}" for k, v in (counts or {}).items())])

    def export(self, fmt: str) -> Path:
        if fmt not in ("tbx", "csv", "tsv", "xlsx"):
            raise InputError(f"cannot export the glossary as {fmt!r}: use tbx, csv, tsv or xlsx")
        out = Path(tempfile.mkdtemp(prefix="wb-glossary-")) / f"glossary.{fmt}"
        return self.get().export(out, fmt)

    def check(self, source: str, target: str, src_lang: str, tgt_lang: str):
        return self.get().check(source, target, src_lang, tgt_lang)
