"""The engine on the tiny Marian model, through the user code path, on both backends."""

from __future__ import annotations

import pytest

from workbench.core.errors import ModelUnavailable
from workbench.mt import get_model, load_engine
from workbench.mt.hypothesis import Hypothesis

pytestmark = pytest.mark.slow


@pytest.fixture(params=["hf", "ct2"])
def engine(request, tiny_marian, tiny_marian_ct2):
    path = tiny_marian if request.param == "hf" else tiny_marian_ct2
    eng = load_engine(str(path), request.param)
    assert eng.backend == request.param
    return eng


@pytest.mark.parametrize("lang", ["ru", "km"])
def test_reproduces_training_pairs(engine, tiny_pairs, lang):
    pairs = [p for p in tiny_pairs[lang] if "[" not in p[0] and p[0] != "Cheers."]
    out = engine.translate([en for en, _ in pairs], lang, beam=4)
    assert [h[0].text for h in out] == [t for _, t in pairs]  # detokenised: spaces and Khmer exactly right
    for hyps in out:
        assert len(hyps) == 1 and isinstance(hyps[0], Hypothesis)
        assert -1.0 < hyps[0].score <= 0.0
        assert hyps[0].flags == []


def test_nbest_shape_and_order(engine, tiny_pairs):
    src = [tiny_pairs["ru"][0][0], tiny_pairs["ru"][2][0]]
    for beam, n in ((4, 3), (1, 1), (2, 2)):
        out = engine.translate(src, "ru", beam=beam, n_best=n)
        assert [len(h) for h in out] == [n, n]
        for hyps in out:
            scores = [h.score for h in hyps]
            assert scores == sorted(scores, reverse=True)
            assert len({h.text for h in hyps}) == n


def test_backends_agree(tiny_marian, tiny_marian_ct2, tiny_pairs):
    hf = load_engine(str(tiny_marian), "hf")
    ct = load_engine(str(tiny_marian_ct2), "ct2")
    src = [en for en, _ in tiny_pairs["km"]]
    a, b = hf.translate(src, "km"), ct.translate(src, "km")
    assert [h[0].text for h in a] == [h[0].text for h in b]
    assert all(abs(x[0].score - y[0].score) < 0.05 for x, y in zip(a, b))


def test_auto_backend_picks_ct2_when_converted(tiny_marian, tiny_marian_ct2):
    assert load_engine(str(tiny_marian_ct2)).backend == "ct2"
    assert load_engine(str(tiny_marian)).backend == "hf"


def test_empty_inputs(engine):
    out = engine.translate(["", "   ", "Thank you very much."], "ru")
    assert [h[0].text for h in out[:2]] == ["", ""]
    assert out[2][0].text == "Большое спасибо."
    assert engine.translate([], "ru") == []


def test_unknown_target_token_is_refused(engine):
    with pytest.raises(ModelUnavailable, match=r">>eng<<.*--model"):
        engine.translate(["Thank you very much."], "en")


def test_registry_token_not_in_vocab(tiny_marian, workbench_home):
    from workbench.mt.registry import register_local

    register_local("bad-tokens", tiny_marian, tgts=["ru", "km"], tokens={"ru": ">>ukr<<", "km": ">>khm<<"})
    eng = load_engine("bad-tokens", "hf")
    with pytest.raises(ModelUnavailable, match=r"no target token >>ukr<< for ru"):
        eng.translate(["Thank you very much."], "ru")
    assert eng.translate(["Thank you very much."], "km")[0][0].text == "អរគុណច្រើន។"


def test_long_input_is_split_not_crashed(engine):
    sent = "The minister met the ambassador."
    long = " ".join([sent] * 60)  # ~600 tokens: more than the model's 256 positions
    assert engine.tokenizer.count(long) > 256
    out = engine.translate([long], "ru", beam=1)
    h = out[0][0]
    assert "split" in h.flags
    assert h.text.count("Министр встретился с послом.") >= 50


def test_repetition_is_flagged_and_guarded(engine):
    # the model was taught a looping output for "Cheers."
    raw = engine.translate(["Cheers."], "ru", no_repeat_ngram_size=0, protect_spans=False)[0][0]
    assert "repetition" in raw.flags or "no_repeat_retry" in raw.flags
    guarded = engine.translate(["Cheers."], "ru", no_repeat_ngram_size=2)[0][0]
    words = guarded.text.lower().split()
    bigrams = list(zip(words, words[1:]))
    assert len(bigrams) == len(set(bigrams))


def test_placeholders_keep_numbers_urls_emails_names(engine):
    src = [
        "The meeting will take place on 12.05.2024.",
        "The meeting will take place on https://www.mfaic.gov.kh/news/2024.",
        "Please write to press@embassy.example.org or visit www.mid.ru.",
        "The prize went to Smart Axiata.",
    ]
    out = engine.translate(src, "ru", keep=["Smart Axiata"])
    texts = [h[0].text for h in out]
    assert texts[0] == "Встреча состоится 12.05.2024."
    assert texts[1] == "Встреча состоится https://www.mfaic.gov.kh/news/2024."
    assert texts[2] == "Пишите на press@embassy.example.org или посетите www.mid.ru."
    assert texts[3] == "Премию получил Smart Axiata."
    for h in out:
        assert "placeholder_lost" not in h[0].flags


def test_lost_span_is_flagged_when_placeholders_fail(engine):
    # without protection the tiny model cannot copy an unseen number: the damage must be flagged, not hidden
    h = engine.translate(["The meeting will take place on 31.12.1999."], "ru", protect_spans=False)[0][0]
    assert "31.12.1999" not in h.text
    h2 = engine.translate(["The meeting will take place on 31.12.1999."], "ru")[0][0]
    assert "31.12.1999" in h2.text and "placeholders" in h2.flags


def test_no_model_named(workbench_home):
    from workbench.core.errors import NotFound

    with pytest.raises(NotFound, match="workbench models list"):
        load_engine("no-such-model")


def test_registered_builtin_not_installed(workbench_home):
    with pytest.raises(ModelUnavailable, match="models pull Helsinki-NLP/opus-mt-en-ru"):
        load_engine("Helsinki-NLP/opus-mt-en-ru")
    assert not get_model("Helsinki-NLP/opus-mt-en-ru").installed


def test_length_limit_is_flagged(engine):
    h = engine.translate(["Cambodia and Russia signed an agreement."], "ru", max_length=3, protect_spans=False)[0][0]
    assert "truncated" in h.flags
    assert engine.tokenizer.count(h.text) <= 6
    full = engine.translate(["Cambodia and Russia signed an agreement."], "ru")[0][0]
    assert full.flags == [] and full.text == "Камбоджа и Россия подписали соглашение."
