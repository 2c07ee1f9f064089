"""Arbitrary text never crashes the checks, and every span points inside the target."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from workbench.qa import check_segment

ALPHABET = st.sampled_from(list("aZ я Ё០៩ក្ខ\u17b6\u200b។.,:;!?()[]{}«»„“”\"'-–—1234567890 \u00a0\t\n") +
                           ["May", "мая", "ខែឧសភា", "1,000.5", "1 000,5", "p.m.", "XXI век", "the", "в"])
TEXT = st.lists(ALPHABET, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, st.sampled_from(["en", "ru", "km"]), st.sampled_from(["en", "ru", "km"]))
def test_checks_never_crash_and_spans_are_inside(source, target, src, tgt):
    for f in check_segment(source, target, src, tgt):
        assert f.severity in ("error", "warning", "info")
        assert f.message and "\n" not in f.message
        if f.span is not None:
            a, b = f.span
            assert 0 <= a <= b <= len(target), (f, target)
