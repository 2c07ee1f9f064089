"""Spans that must survive machine translation unchanged: URLs, e-mail addresses, numbers, Latin-script names.

The engine translates a sentence as it is first. :func:`lost` says which protected spans did not come through
(numbers compare by their digits, so ``1,500`` -> ``1 500`` in Russian is fine). Only for sentences where
something was damaged is the sentence translated again with those spans replaced by placeholders
(``[1]``, ``[2]``... by default), which :func:`restore` puts back. If even that fails, the first translation is
kept and flagged ``placeholder_lost``: the translator sees it instead of a silently broken number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL = r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# numbers with thousands separators / decimals / times / dates: 1,500  3.5  09:30  12.05.2024  +855 23 214 441
_NUMBER = r"(?<![\w\[])[+-]?\d+(?:[.,:/]\d+)*(?:%|(?![\w\]]))"
# Latin-script tokens that are names rather than words: mixed letters+digits (COVID-19, G20) or inner capitals
# (iPhone, MoFAIC). Ordinary capitalised words and acronyms are left to the model (UN -> ООН is right).
_CODE = (r"(?<![\w@])(?:"
         r"[A-Za-z]+[-]?\d+[A-Za-z\d]*"  # letters, then digits: COVID-19, G20
         r"|\d+[A-Za-z]+[A-Za-z\d]*"  # digits, then letters
         r"|[a-z]+[A-Z][A-Za-z]*"  # an inner capital: iPhone
         r"|[A-Z]+[a-z]+[A-Z][A-Za-z]*"  # capitals, lower case, a capital: MoFAIC
         r")(?![\w@])")

_SPAN_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in
                               (("url", _URL), ("email", _EMAIL), ("code", _CODE), ("number", _NUMBER))))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    kind: str  # url, email, number, code, name


def find_spans(text: str, keep: tuple[str, ...] | list[str] = ()) -> list[Span]:
    """Protected spans of ``text``, in order, not overlapping. ``keep``: extra names to keep verbatim
    (e.g. Latin-script organisation or product names from the glossary)."""
    spans: list[Span] = []
    for name in sorted({k for k in keep if k and k.strip()}, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            spans.append(Span(m.start(), m.end(), m.group(), "name"))
    for m in _SPAN_RE.finditer(text):
        spans.append(Span(m.start(), m.end(), m.group(), m.lastgroup or "number"))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for s in spans:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def survives(span: Span, output: str) -> bool:
    if span.kind == "number":
        d = _digits(span.text)
        return d in _digits_runs(output)
    return span.text in output


def _digits_runs(output: str) -> set[str]:
    # every digit string obtainable by joining adjacent digit groups (handles "1 500 000" and "3,5")
    groups = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\d+", output)]
    runs: set[str] = set()
    for i in range(len(groups)):
        acc = groups[i][2]
        runs.add(acc)
        for j in range(i + 1, len(groups)):
            between = output[groups[j - 1][1]:groups[j][0]]
            if not re.fullmatch(r"[\s.,:/\u00a0\u202f'-]{1,2}", between):
                break
            acc += groups[j][2]
            runs.add(acc)
    return runs


def lost(spans: list[Span], output: str) -> list[Span]:
    return [s for s in spans if not survives(s, output)]


def mask(text: str, spans: list[Span], placeholder: str = "[{n}]") -> tuple[str, dict[str, str]]:
    """Replace ``spans`` with numbered placeholders; returns the masked text and ``{placeholder: original}``.
    Numbering skips placeholders that already occur in the text."""
    mapping: dict[str, str] = {}
    out, pos, n = [], 0, 1
    for s in spans:
        while placeholder.format(n=n) in text:
            n += 1
        ph = placeholder.format(n=n)
        mapping[ph] = s.text
        out += [text[pos:s.start], ph]
        pos = s.end
        n += 1
    out.append(text[pos:])
    return "".join(out), mapping


def restore(output: str, mapping: dict[str, str]) -> tuple[str, bool]:
    """Put the originals back; returns (text, every placeholder found exactly once)."""
    ok = True
    for ph, orig in mapping.items():
        if output.count(ph) != 1:
            ok = False
        output = output.replace(ph, orig)
    return output, ok
