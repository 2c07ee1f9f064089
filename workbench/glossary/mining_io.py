"""Where term mining reads its pairs (a TMX file, a project, the translation memory) and what it remembers
(the rejected candidates), and how an accepted candidate goes into the glossary."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import InputError
from ..core.safeio import atomic_write_text
from ..core.workflow import CONFIRMED
from .mining import Candidate, Pair

#: project translations that are a person's work: confirmed ones, and aligned/human/TM ones not yet confirmed
PROJECT_ORIGINS = frozenset({"aligned", "human", "tm"})


def tmx_pairs(path: str | os.PathLike, src_lang: str, tgt_lang: str) -> Iterator[Pair]:
    """The ``src_lang``/``tgt_lang`` pairs of a TMX file (streamed; units without both languages skipped)."""
    from ..tm.tmx import read_tmx

    f = read_tmx(path)
    for n, unit in enumerate(f, start=1):
        s, t = unit.text(src_lang), unit.text(tgt_lang)
        if s and t:
            yield Pair(s, t, f"{Path(path).name} {unit.tuid or f'unit {n}'}")


def count_tmx_units(path: str | os.PathLike) -> int:
    """How many ``<tu>`` a TMX file has (a quick scan, for a progress bar); 0 if unknown."""
    try:
        with open(path, "rb") as fh:
            return sum(chunk.count(b"<tu ") + chunk.count(b"<tu>") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return 0


def project_pairs(project, tgt_lang: str) -> list[Pair]:
    """A project's pairs worth mining: translations confirmed by a person, and aligned, human or TM
    translations not confirmed yet (machine translation drafts are left out: they would only teach the
    machine's own choices back)."""
    (tgt_lang,) = project.check_targets([tgt_lang])
    out = []
    docs = {d.id: d.title for d in project.documents()}
    for seg in project.segments():
        tr = seg.translations.get(tgt_lang)
        if tr is None or not (tr.text or "").strip():
            continue
        if tr.status in CONFIRMED or tr.origin in PROJECT_ORIGINS:
            out.append(Pair(seg.source, tr.text, f"{docs.get(seg.document_id, '')} #{seg.id}".strip()))
    return out


def memory_pairs(memory, src_lang: str, tgt_lang: str) -> Iterator[Pair]:
    """The translation memory's ``src_lang``/``tgt_lang`` pairs."""
    for unit in memory.units():
        s, t = unit.text(src_lang), unit.text(tgt_lang)
        if s and t:
            yield Pair(s, t, f"TM {unit.tuid or ''}".strip())


# ------------------------------------------------------------------------------------------ rejections

REJECT_HEADER = ["src", "tgt", "source_key", "target_key", "source", "target", "date"]


class Rejections:
    """Candidates a reviewer rejected, kept in a TSV file beside the glossary (``<glossary>.rejected.tsv``) and
    never proposed again for the same language pair. Written atomically; a damaged file is an
    :class:`InputError` naming it."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._lock = threading.Lock()

    @classmethod
    def beside(cls, glossary_path: str | os.PathLike) -> Rejections:
        p = Path(glossary_path)
        return cls(p.with_name(p.stem + ".rejected.tsv"))

    def _rows(self) -> list[dict]:
        if not self.path.exists():
            return []
        try:
            text = self.path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as exc:
            raise InputError(f"{self.path}: cannot read the rejected candidates ({exc}); delete the file to "
                             "start again") from None
        rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
        if not rows or rows[0] != REJECT_HEADER:
            raise InputError(f"{self.path}: not a rejected-candidates file (header {REJECT_HEADER}); delete it "
                             "to start again")
        return [dict(zip(REJECT_HEADER, r)) for r in rows[1:] if len(r) >= 4]

    def keys(self, src_lang: str, tgt_lang: str) -> set[tuple[str, str]]:
        with self._lock:
            return {(r["source_key"], r["target_key"]) for r in self._rows()
                    if r["src"] == src_lang and r["tgt"] == tgt_lang}

    def add(self, cand: Candidate, src_lang: str, tgt_lang: str) -> None:
        with self._lock:
            rows = self._rows()
            if any(r["src"] == src_lang and r["tgt"] == tgt_lang and (r["source_key"], r["target_key"]) == cand.key
                   for r in rows):
                return
            rows.append({"src": src_lang, "tgt": tgt_lang, "source_key": cand.source_key,
                         "target_key": cand.target_key, "source": cand.source, "target": cand.target,
                         "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d")})
            lines = ["\t".join(REJECT_HEADER)]
            lines += ["\t".join(_clean(r.get(k, "")) for k in REJECT_HEADER) for r in rows]
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, "\n".join(lines) + "\n")

    def __len__(self) -> int:
        with self._lock:
            return len(self._rows())


def _clean(s: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", s or "")


# ------------------------------------------------------------------------------------------ accept


def _slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return s[:60] or "term"


def accept(glossary, cand: Candidate, src_lang: str, tgt_lang: str, origin: str) -> str:
    """Put a candidate into ``glossary`` (not saved): a new concept with both terms, or the translation added
    to the known concept; every term added is marked *needs review*, with the source "mined from …".
    Returns the concept id. A translation the glossary marks deprecated or forbidden is refused
    (:class:`InputError`)."""
    if cand.flag:
        raise InputError(f"{cand.target} is a {cand.flag} term in the glossary ({cand.note}): nothing to add; "
                         "correct the translations that use it (QA lists them)")
    source = f"mined from {origin} ({cand.count} pairs; score {cand.score:.2f})" if origin else "mined"
    if cand.known and cand.known in glossary:
        cid = cand.known
    else:
        cid = base = _slug(cand.source)
        n = 2
        while cid in glossary:
            cid = f"{base}-{n}"
            n += 1
        glossary.add_concept(cid, domain="term", definition="")
        glossary.add_term(cid, src_lang, cand.source, "preferred", needs_review=True, source=source)
    concept = glossary.get(cid)
    if not any(t.text == cand.target for t in concept.terms_in(tgt_lang)):
        status = "admitted" if concept.terms_in(tgt_lang, ("preferred",)) else "preferred"
        glossary.add_term(cid, tgt_lang, cand.target, status, needs_review=True, source=source)
    return cid
