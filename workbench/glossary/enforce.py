"""Glossary enforcement for machine translation, working with any backend (transformers or CTranslate2).

* :func:`choose` — n-best rescoring: every hypothesis is checked against the glossary and the one with the
  best ``model score - weight * penalty`` wins (penalty: forbidden 2, missing 1, deprecated 1); then
  :func:`fix_terms` repairs what is left.
* :func:`fix_terms` — replaces a deprecated/forbidden target variant by the preferred term; in Russian the
  preferred term is inflected (pymorphy3) to the case and number of the variant it replaces, e.g.
  «со Саммитом Восточной Азии» -> «с Восточноазиатским саммитом» (the head noun and the adjectives before
  it inflect, governed words after the head stay as they are).
* :func:`protect` / :func:`restore` — placeholder protection: names are replaced by ``TERM0``, ``TERM1``…
  before translation and the preferred target forms put back after it (nominative: the placeholder gives
  the model no case information, so use it for names that do not inflect or when rescoring cannot help).
"""

from __future__ import annotations

import re

from .match import best_target, morph, morph_lock, ru_keys
from .model import BAD_STATUSES, GOOD_STATUSES

# Russian prepositions and the cases they govern (to choose between ambiguous parses).
PREP_CASES = {
    "с": {"ablt", "gent"}, "со": {"ablt", "gent"}, "к": {"datv"}, "ко": {"datv"}, "по": {"datv", "loct"},
    "о": {"loct", "accs"}, "об": {"loct", "accs"}, "обо": {"loct"}, "при": {"loct"},
    "в": {"loct", "accs"}, "во": {"loct", "accs"}, "на": {"loct", "accs"},
    "для": {"gent"}, "от": {"gent"}, "до": {"gent"}, "из": {"gent"}, "без": {"gent"}, "у": {"gent"},
    "после": {"gent"}, "около": {"gent"}, "среди": {"gent"}, "кроме": {"gent"}, "против": {"gent"},
    "из-за": {"gent"}, "вне": {"gent"}, "между": {"ablt"}, "над": {"ablt"}, "перед": {"ablt"},
    "под": {"ablt", "accs"}, "за": {"ablt", "accs"}, "через": {"accs"}, "про": {"accs"},
}
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _parse(word: str):
    with morph_lock:
        return morph().parse(word)


def _head_index(words: list[str]) -> int | None:
    """Index of the head noun of a Russian base-form phrase: the first noun in the nominative."""
    for i, w in enumerate(words):
        for p in _parse(w.lower()):
            if "NOUN" in p.tag and "nomn" in p.tag and "Fixd" not in p.tag:
                return i
    return None


def _case_number(span_words: list[str], head_lemmas: frozenset, prep: str | None):
    """Case and number of the variant as used in the text, from its head noun (and a preposition before it)."""
    allowed = PREP_CASES.get((prep or "").lower())
    cands = []
    for w in span_words:
        for p in _parse(w.lower()):
            if "NOUN" in p.tag and p.normal_form.replace("ё", "е") in head_lemmas:
                cands.append(p)
        if cands:
            break
    if not cands:
        return None, None
    if allowed:
        for p in cands:
            if p.tag.case in allowed:
                return p.tag.case, p.tag.number
    return cands[0].tag.case, cands[0].tag.number


def _match_caps(src: str, new: str) -> str:
    if src.isupper() and len(src) > 1:
        return new.upper()
    if src[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def inflect_ru(phrase: str, case: str | None, number: str | None = None) -> str:
    """Inflect a Russian base-form term (nominative) to ``case``/``number``: the head noun and the words before
    it that agree with it change, words after the head (governed genitives, names in apposition) do not."""
    if not case or case == "nomn" and number in (None, "sing"):
        return phrase
    parts = re.split(r"(\s+)", phrase)
    words = [p for p in parts if p.strip()]
    head = _head_index([re.sub(r"[«»\"“”]", "", w) for w in words])
    if head is None:
        return phrase
    out_words = []
    for i, w in enumerate(words):
        core = re.sub(r"[«»\"“”()]", "", w)
        if i > head or not core:
            out_words.append(w)
            continue
        grammemes = {case}
        if number:
            grammemes.add(number)
        best = None
        for p in _parse(core.lower()):
            if "nomn" in p.tag and ("NOUN" in p.tag if i == head else ("ADJF" in p.tag or "PRTF" in p.tag)):
                best = p
                break
        if best is None:
            out_words.append(w)
            continue
        if i < head:  # adjectives agree with the head noun's gender in the singular
            hp = next((p for p in _parse(words[head].lower()) if "NOUN" in p.tag and "nomn" in p.tag), None)
            if hp is not None and (number or "sing") == "sing" and hp.tag.gender:
                grammemes.add(hp.tag.gender)
            if case == "accs" and hp is not None and hp.tag.animacy:
                grammemes.add(hp.tag.animacy)
        inf = best.inflect(grammemes) or best.inflect({case})
        if inf is None:
            out_words.append(w)
            continue
        new = inf.word.replace("ё", "е") if "ё" not in core else inf.word
        out_words.append(w.replace(core, _match_caps(core, new)))
    it = iter(out_words)
    return "".join(next(it) if p.strip() else p for p in parts)


def fix_terms(glossary, source: str, target: str, src_lang: str, tgt_lang: str):
    """Replace forbidden terms (always) and deprecated terms (when the concept is in the source) by the
    preferred target term. Returns ``(new_target, changes)``; each change is
    ``{"concept", "from", "to", "status", "case"}``."""
    src_concepts = {h.concept_id for h in glossary.find_terms(source, src_lang)}
    hits = glossary.find_all(target, tgt_lang)
    good = [(h.start, h.end) for h in hits if h.term.status in GOOD_STATUSES]
    bad = [h for h in hits if h.term.status in BAD_STATUSES
           and (h.term.status == "forbidden" or h.concept_id in src_concepts)
           and not any(s <= h.start and h.end <= e and (e - s) > (h.end - h.start) for s, e in good)]
    # longest first, no overlaps
    chosen = []
    for h in sorted(bad, key=lambda h: (-(h.end - h.start), h.start)):
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    changes = []
    out = target
    for h in sorted(chosen, key=lambda h: -h.start):
        pref = best_target(h.concept, tgt_lang, h.term.text, tgt_lang)
        if pref is None:
            continue
        new = pref.text
        case = None
        start = h.start
        if tgt_lang == "ru":
            bad_words = _WORD.findall(h.term.text)
            hi = _head_index(bad_words)
            head_lemmas = ru_keys(bad_words[hi]) if hi is not None else frozenset()
            before = _WORD.findall(out[:h.start])
            prep = before[-1] if before else None
            case, number = _case_number(_WORD.findall(h.matched), head_lemmas, prep)
            new = inflect_ru(new, case, number)
            # "со Саммитом" -> "с Восточноазиатским": fix the preposition's euphonic form
            if prep and prep.lower() in ("со", "с") and out[:h.start].rstrip().endswith(prep):
                want = "со" if re.match(r"(?i)[сзшжщ][бвгджзклмнпрстфхцчшщ]|мн|вс", new) else "с"
                if want != prep.lower():
                    ps = out[:h.start].rstrip()
                    gap = out[len(ps):h.start]
                    replacement = _match_caps(prep, want)
                    out = ps[: -len(prep)] + replacement + gap + out[h.start:]
                    start = h.start + len(replacement) - len(prep)
        if h.matched[:1].isupper() or (h.matched.isupper() and len(h.matched) > 1):
            new = _match_caps(h.matched, new)
        end = start + (h.end - h.start)
        out = out[:start] + new + out[end:]
        changes.append({"concept": h.concept_id, "from": h.matched, "to": new, "status": h.term.status, "case": case})
    changes.reverse()
    return out, changes


def choose(glossary, source: str, hypotheses, tgt_lang: str, *, src_lang: str = "en", weight: float = 1.0,
           apply_fix: bool = True):
    """MT hook ``choose(source, hypotheses, tgt_lang) -> (text, score, meta)``.

    ``score`` is the chosen hypothesis's model score; ``meta`` = ``{"terms": TermReport.as_meta(),
    "glossary": {"n_best", "chosen", "rescored", "penalties", "fixed"}}`` — merge it into the translation's
    meta (``meta["terms"]`` is what the editor and QA show).
    """
    hyps = list(hypotheses)
    if not hyps:
        report = glossary.check(source, "", src_lang, tgt_lang)
        return "", 0.0, {"terms": report.as_meta(), "glossary": {"n_best": 0, "chosen": None, "rescored": False,
                                                                  "penalties": [], "fixed": []}}
    penalties = [glossary.check(source, h.text, src_lang, tgt_lang).penalty() for h in hyps]
    best = max(range(len(hyps)), key=lambda i: (hyps[i].score - weight * penalties[i], -i))
    text = hyps[best].text
    fixed = []
    if apply_fix:
        text, fixed = fix_terms(glossary, source, text, src_lang, tgt_lang)
    report = glossary.check(source, text, src_lang, tgt_lang)
    meta = {"terms": report.as_meta(),
            "glossary": {"n_best": len(hyps), "chosen": best, "rescored": best != 0,
                         "penalties": penalties, "fixed": fixed}}
    return text, hyps[best].score, meta


PLACEHOLDER = "[{n}]"
_PH_RE = re.compile(r"\[\s*(\d+)\s*\]")
PROTECT_DOMAINS = frozenset({"person", "place", "state", "organisation", "body", "event", "treaty", "media"})


def protect(glossary, source: str, tgt_lang: str, *, src_lang: str = "en", domains=PROTECT_DOMAINS):
    """Replace source names (concepts in ``domains`` with a preferred target term) by ``[1]``, ``[2]``… (the
    placeholder form the MT engine and its models use; numbers already in the text are skipped).
    Returns ``(masked_source, slots)``; pass both to :func:`restore` after translation."""
    slots = []
    out = []
    pos = 0
    n = 1
    for h in glossary.find_terms(source, src_lang):
        pref = best_target(h.concept, tgt_lang, h.term.text, src_lang)
        if pref is None or (domains and h.concept.domain not in domains):
            continue
        while PLACEHOLDER.format(n=n) in source:
            n += 1
        ph = PLACEHOLDER.format(n=n)
        n += 1
        slots.append({"placeholder": ph, "concept": h.concept_id, "source": h.matched, "target": pref.text})
        out.append(source[pos:h.start])
        out.append(ph)
        pos = h.end
    out.append(source[pos:])
    return "".join(out), slots


def restore(text: str, slots: list[dict]):
    """Put the preferred target terms (base form) back; returns ``(text, lost)`` where ``lost`` lists the
    slots whose placeholder the MT output dropped (flag those segments ``placeholder_lost``)."""
    by_no = {int(_PH_RE.fullmatch(s["placeholder"]).group(1)): s for s in slots}
    used = set()

    def sub(m):
        n = int(m.group(1))
        if n in by_no:
            used.add(n)
            return by_no[n]["target"]
        return m.group(0)

    out = _PH_RE.sub(sub, text)
    lost = [s for n, s in by_no.items() if n not in used]
    return out, lost


def verbatim_terms(glossary, src_lang: str, tgt_lang: str) -> list[str]:
    """Source terms whose preferred target form is the same string (``COVID-19``, ``SARS-CoV-2``): pass them
    as ``keep=`` to the MT engine so they are copied unchanged."""
    out = []
    for c in glossary.concepts():
        targets = {t.text for t in c.terms_in(tgt_lang, GOOD_STATUSES)}
        for t in c.terms_in(src_lang, GOOD_STATUSES):
            if t.text in targets and t.text not in out:
                out.append(t.text)
    return out
