"""Property tests: matching and checking never crash and spans always point at the matched text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

ALPHABET = st.sampled_from(list("ASEANasean Summit's’–-—,.«»\u200b\u200c០១៩ អាស៊ានកម្ពុជា្ដតិំ៉ "
                                "Саммит Восточноазиатский АСЕАН ёЁ()[]1"))
WORDS = st.sampled_from(["Кампучия", "Кампучии ", "Саммит Восточной Азии", "Саммитом Восточной Азии ", " со ", " с ",
                         "Ассоциацией стран Юго-Восточной Азии", "East Asia Summit", "ASEAN", " the ",
                         "Kingdom of Cambodia", "កិច្ចប្រជុំកំពូលអាស៊ីបូព៌ា", "ថ្នាំ", " "])
TEXT = st.lists(st.one_of(ALPHABET, WORDS), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, lang=st.sampled_from(["en", "ru", "km"]))
def test_find_terms_spans(mini_glossary, text, lang):
    hits = mini_glossary.find_terms(text, lang)
    last_end = 0
    for h in hits:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start:h.end] == h.matched
        assert h.start >= last_end            # no overlaps, in order
        last_end = h.end


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=TEXT, target=TEXT, lang=st.sampled_from(["ru", "km"]))
def test_check_and_fix_total(mini_glossary, source, target, lang):
    r = mini_glossary.check(source, target, "en", lang)
    assert len(r.found) + len(r.missing) == len(r.expected)
    fixed = mini_glossary.fix(source, target, lang)
    assert isinstance(fixed, str)
    # fixing never leaves a forbidden term behind
    assert mini_glossary.check(source, fixed, "en", lang).forbidden == []
