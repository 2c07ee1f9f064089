"""Punctuation: each language's full stop, what a sentence-final mark is, brackets and quotes that pair up."""

from __future__ import annotations

#: The full stop of each language (Khmer ends a sentence with ។, the khan).
FULL_STOP = {"en": ".", "ru": ".", "km": "។"}
#: Sentence-final marks and their kind: ``period``, ``question``, ``exclamation``, ``ellipsis``, ``colon``,
#: ``semicolon`` (Khmer ។ and ៕ end a sentence, ៖ introduces what follows like a colon; full-width ？ ！).
FINAL_MARKS = {".": "period", "។": "period", "៕": "period", "?": "question", "？": "question",
               "!": "exclamation", "！": "exclamation", "…": "ellipsis", ":": "colon", ";": "semicolon",
               "៖": "colon"}
#: Closing quotes and brackets that may follow a sentence-final mark.
CLOSING_MARKS = "\"'”’»“)]}›>"
#: Opening bracket or quote -> its closing partner (Russian „лапки“ close with “).
BRACKETS = {"(": ")", "[": "]", "{": "}", "«": "»", "„": "“"}
