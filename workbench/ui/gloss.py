"""The editor's view of the glossary (:mod:`workbench.glossary`): one file, reloaded when it changes on disk,
saved (atomically, with the glossary's own history) after every change made in the Glossary tab, so the
segment panel's term checks use the new terms at once.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Any

from ..core.errors import InputError, NotFound
from ..core.workflow import EDIT_GLOSSARY, require
from ..glossary import Glossary, default_path
from ..glossary.formats import guess_format
from ..glossary.model import STATUSES

TERM_LANGS = ("en", "ru", "km")


class GlossaryStore:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else Path(default_path())
        self.is_default = path is None  # the user's copy of the shipped default glossary
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

    def stamp(self) -> str:
        """Which version of the glossary file is in use (changes whenever the file does); ``none`` when there
        is no usable glossary."""
        try:
            self.get()
        except Exception:  # a missing or broken glossary: checks run without it
            return "none"
        return str(self._stamp)

    def _save(self, note: str, author: str | None) -> None:
        g = self._g
        g.save(self.path, note=note, author=author)
        self._stamp = self.path.stat().st_mtime_ns

    def change(self, fn, *, note: str, author: str | None = None):
        """Run ``fn(glossary)`` and save the glossary, under the store's lock (so two people's changes never
        overwrite each other); returns what ``fn`` returned."""
        require(author, EDIT_GLOSSARY)
        with self._lock:
            out = fn(self.get())
            self._save(note, author)
            return out

    def update_notice(self) -> str | None:
        """When this is the user's copy of the shipped default and the package now ships a newer default, the
        line that says so (:func:`workbench.glossary.glossary.shipped_update`); else None."""
        if not self.is_default:
            return None
        from ..glossary.glossary import shipped_update

        try:
            return shipped_update()
        except OSError:
            return None

    def take_shipped(self, *, author: str | None = None) -> str:
        """Merge the new shipped default's concepts and terms into the user's copy (a change with history, like
        ``workbench glossary update``). Returns a one-line summary."""
        require(author, EDIT_GLOSSARY)
        from ..glossary.glossary import update_from_shipped

        if not self.is_default:
            raise InputError(f"{self.path.name} is not the default glossary: there is no shipped version to take in")
        with self._lock:
            counts = update_from_shipped(author=author)
            self._g = None
        done = ", ".join(f"{v} {k}" for k, v in counts.items()) if isinstance(counts, dict) else str(counts)
        return f"Took in the new shipped default glossary ({done or 'nothing new'})."

    def concept(self, concept_id: str) -> dict[str, Any]:
        c = self.get().get(concept_id)
        pref = {l: (c.preferred(l).text if c.preferred(l) else "") for l in TERM_LANGS}
        return {"id": c.id, "domain": c.domain, "definition": c.definition, **pref,
                "terms": [t.to_dict() for t in c.terms]}

    # -- the Glossary tab's concept form --------------------------------------------------------------------

    def concept_data(self, concept_id: str) -> dict[str, Any]:
        """A concept with every term (language, text, status, needs review, source, note), for the form."""
        c = self.get().get(concept_id)
        return {"id": c.id, "domain": c.domain, "pos": c.pos, "definition": c.definition,
                "terms": [t.to_dict() for t in c.terms]}

    def new_id(self, english: str) -> str:
        """A fresh concept id made from the English term: ``East Asia Summit`` -> ``east-asia-summit`` (``-2``,
        ``-3``... when taken)."""
        slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", english or "").encode("ascii", "ignore")
                      .decode().lower()).strip("-")[:60].strip("-") or "concept"
        g = self.get()
        cid, n = slug, 2
        while cid in g:
            cid, n = f"{slug}-{n}", n + 1
        return cid

    def save_full(self, data: dict[str, Any], *, author: str | None = None) -> str:
        """Add a concept (``data["new"]``; its id made from the English term when none is given) or update one
        from the Glossary tab's form: domain, definition and the whole list of terms, each with its own
        status and *needs review* flag (``orig``: the text a term had when the form was loaded, so a corrected
        spelling edits that term). Terms left out of the list are removed. Returns a one-line summary."""
        require(author, EDIT_GLOSSARY)
        terms = [t for t in (data.get("terms") or []) if str(t.get("text") or "").strip()]
        if not terms:
            raise InputError("give at least one term (EN, RU or KM) for the concept")
        for t in terms:
            if t.get("status") not in STATUSES:
                raise InputError(f"term {t.get('text')!r}: status must be one of {', '.join(STATUSES)}")
            if t.get("lang") not in TERM_LANGS:
                raise InputError(f"term {t.get('text')!r}: language must be one of {', '.join(TERM_LANGS)}")
        with self._lock:
            g = self.get()
            created = bool(data.get("new"))
            cid = str(data.get("id") or "").strip()
            if created and not cid:
                en = next((t["text"] for t in terms if t["lang"] == "en"), terms[0]["text"])
                cid = self.new_id(en)
            try:
                if created:
                    g.add_concept(cid, domain=str(data.get("domain") or ""), definition=str(data.get("definition")
                                                                                         or ""))
                else:
                    g.edit_concept(cid, domain=str(data.get("domain") or ""),
                                   definition=str(data.get("definition") or ""))
                c = g.get(cid)
                kept = {(t["lang"], str(t.get("orig") or "").strip()) for t in terms if t.get("orig")}
                for old in list(c.terms):
                    if (old.lang, old.text) not in kept:
                        g.remove_term(cid, old.lang, old.text)
                for t in terms:
                    text, orig = " ".join(str(t["text"]).split()), str(t.get("orig") or "").strip()
                    review = bool(t.get("needs_review"))
                    if orig and any(x.lang == t["lang"] and x.text == orig for x in c.terms):
                        g.edit_term(cid, t["lang"], orig, new_text=text if text != orig else None,
                                    status=t["status"], needs_review=review)
                    else:
                        g.add_term(cid, t["lang"], text, t["status"], needs_review=review)
                self._save(f"ui: {'add' if created else 'edit'} {cid}", author)
            except BaseException:
                self._g = None  # drop the half-changed copy; the file is unchanged
                raise
        return f"{'Added' if created else 'Updated'} concept {cid}."

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
